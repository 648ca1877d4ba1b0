/* Savings delivery at a period (include/s75/savings.h): each saving's plan and recorded
 * delivery by period, the forecast for the rest of the year, the shortfall, a RAG. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/buf.h"
#include "s75/error.h"
#include "s75/money.h"
#include "s75/savings.h"
#include "xalloc.h"

static void warn(s75_savings_progress *p, s75_buf *b)
{
	p->warnings = xreallocarray(p->warnings, p->nwarnings + 1, sizeof(char *));
	p->warnings[p->nwarnings++] = s75_buf_detach(b);
}

/* Green, amber or red (savings.h): `tol_bp` of the amount is the amber band. */
static s75_rag saving_rag(const s75_saving_progress *x, int64_t tol_bp)
{
	if (!x->shortfall)
		return !x->recorded || x->delivered_to_date >= x->planned_to_date ? S75_RAG_GREEN
										   : S75_RAG_AMBER;
	/* shortfall ≤ amount × tol ÷ 10,000, in integers: shortfall × 10,000 ≤ amount × tol */
	int64_t lhs, rhs;
	if (__builtin_mul_overflow(x->shortfall, (int64_t)10000, &lhs) ||
	    __builtin_mul_overflow(x->saving->amount, tol_bp, &rhs))
		return S75_RAG_RED;
	return lhs <= rhs ? S75_RAG_AMBER : S75_RAG_RED;
}

/* One saving's figures from its records (`v`, by period, the saving's alone). */
static int progress_of(s75_saving_progress *x, const s75_saving_delivery *v, size_t n, int period)
{
	const s75_saving *s = x->saving;
	int64_t stated = 0;
	memcpy(x->planned, s->planned, sizeof(x->planned));
	x->forecast_from = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].period > period)
			continue;
		x->recorded = true;
		x->delivered[v[i].period - 1] = v[i].delivered;
		if (v[i].has_forecast) {
			x->forecast_from = v[i].period;
			stated = v[i].forecast_rest;
		}
	}
	for (int k = 0; k < 12; k++) {
		if (k < period && (__builtin_add_overflow(x->planned_to_date, x->planned[k], &x->planned_to_date) ||
				   __builtin_add_overflow(x->delivered_to_date, x->delivered[k], &x->delivered_to_date)))
			return s75_error_set(S75_EOVERFLOW, "saving '%s': delivery out of range", s->id);
		if (k >= period && !x->forecast_from)
			x->forecast_rest += x->planned[k];
	}
	if (!x->recorded) {
		/* nothing recorded: the agreement's forecast of the year's delivery stands */
		x->forecast_from = -1;
		x->forecast_year = s->delivery;
		x->forecast_rest = s->delivery;
	} else {
		if (x->forecast_from > 0) {
			/* the stated forecast, less what came in after the period that stated it */
			int64_t since = 0;
			for (int k = x->forecast_from; k < period; k++)
				if (__builtin_add_overflow(since, x->delivered[k], &since))
					return s75_error_set(S75_EOVERFLOW, "saving '%s': delivery out of range", s->id);
			x->forecast_rest = stated - since > 0 ? stated - since : 0;
		}
		if (__builtin_add_overflow(x->delivered_to_date, x->forecast_rest, &x->forecast_year))
			return s75_error_set(S75_EOVERFLOW, "saving '%s': delivery out of range", s->id);
	}
	x->shortfall = s->amount - x->forecast_year > 0 ? s->amount - x->forecast_year : 0;
	return 0;
}

int s75_savings_progress_build(s75_savings_progress **out, s75_db *db, const s75_agreement *ag,
			       int fy, int period)
{
	s75_saving_delivery *v = NULL;
	size_t nv = 0;
	char fyb[8];
	int rc;
	*out = NULL;
	const s75_year *y = s75_agreement_find_year(ag, fy);
	if (!y)
		return s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fyb, fy));
	if (period < 1 || period > 12)
		return s75_error_set(S75_EINVALID, "a period is 1 to 12");
	if (db && (rc = s75_saving_deliveries_list(&v, &nv, db, fy)))
		return rc;
	s75_savings_progress *p = xcalloc(1, sizeof(*p));
	p->fy = fy;
	p->period = period;
	p->n = y->nsavings;
	p->items = xcalloc(p->n + 1, sizeof(*p->items));
	int64_t tol = ag->forecast_tolerance_bp;
	rc = 0;
	for (size_t i = 0; i < y->nsavings && !rc; i++) {
		s75_saving_progress *x = &p->items[i];
		size_t from = 0, to;
		x->saving = &y->savings[i];
		while (from < nv && strcmp(v[from].saving, x->saving->id))
			from++;
		for (to = from; to < nv && !strcmp(v[to].saving, x->saving->id); to++)
			;
		if ((rc = progress_of(x, v + from, to - from, period)))
			break;
		x->rag = saving_rag(x, tol);
		x->at_risk = x->rag != S75_RAG_GREEN;
		if (!x->recorded) {
			s75_buf b = S75_BUF_INIT;
			char per[16];
			s75_buf_printf(&b, "no delivery of saving '%s' recorded by %s: the agreement's forecast delivery of ",
				       x->saving->id, s75_period_format(per, (s75_period){fy, period}));
			s75_money_format(&b, x->saving->delivery, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
			s75_buf_puts(&b, " is used");
			warn(p, &b);
		}
	}
	/* a record for a saving the agreement no longer states is not silently dropped */
	for (size_t k = 0; k < nv && !rc; k++) {
		bool known = false;
		for (size_t i = 0; i < y->nsavings && !known; i++)
			known = !strcmp(y->savings[i].id, v[k].saving);
		if (!known && (k == 0 || strcmp(v[k - 1].saving, v[k].saving))) {
			s75_buf b = S75_BUF_INIT;
			s75_buf_printf(&b, "delivery is recorded for saving '%s', which %s does not state: it is left out",
				       v[k].saving, s75_fy_format(fyb, fy));
			warn(p, &b);
		}
	}
	s75_saving_deliveries_free(v, nv);
	if (rc) {
		s75_savings_progress_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void s75_savings_progress_free(s75_savings_progress *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	free(p->items);
	free(p);
}
