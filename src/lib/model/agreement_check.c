/* Checks that the inputs of each year are complete and consistent, so that no report rests
 * on a silent gap: budgets, pooled_from, savings, partners named by the risk share. */
#include <stdlib.h>
#include <string.h>

#include "s75/agreement.h"
#include "s75/buf.h"
#include "s75/date.h"
#include "s75/diag.h"
#include "s75/money.h"
#include "xalloc.h"

#define NO_BUDGETS "%s has contributions but no cost-centre budgets: its reports have no budget to set actuals against"

/* Whether `partner` has a positive net contribution to `pool` (and `element`, if >= 0). */
static bool funds(const s75_year *y, int pool, int element, int partner)
{
	for (size_t k = 0; k < y->ncontributions; k++) {
		const s75_contribution *c = &y->contributions[k];
		if (c->pool == pool && c->partner == partner && c->net > 0 &&
		    (element < 0 || c->element == element))
			return true;
	}
	return false;
}

static void check_rule(const s75_agreement *ag, const s75_year *y, const s75_rs_rule *r,
		       const char *fy, s75_diags *d)
{
	const char *pool = ag->arrangements[r->pool].id;
	if (r->has_pooled_from && (r->pooled_from < s75_fy_start(y->fy) || r->pooled_from > s75_fy_end(y->fy))) {
		char when[11], a[11], b[11];
		s75_date_format(when, r->pooled_from);
		s75_date_format(a, s75_fy_start(y->fy));
		s75_date_format(b, s75_fy_end(y->fy));
		s75_diags_add(d, S75_DIAG_WARNING, ag->path, r->pos,
			      "%s pool '%s': pooled_from %s lies outside the year (%s to %s), so it has no effect",
			      fy, pool, when, a, b);
	}
	for (int side = 0; side < 2; side++) {
		const s75_rs_band *bands = side ? r->under : r->over;
		size_t n = side ? r->nunder : r->nover;
		for (size_t i = 0; i < n; i++) {
			const s75_rs_band *b = &bands[i];
			for (size_t p = 0; p < ag->npartners; p++) {
				bool named = (b->method == S75_RS_PARTNER && b->partner == (int)p) ||
					     (b->method == S75_RS_FIXED && b->ratio_bp && b->ratio_bp[p] > 0);
				if (named && !funds(y, r->pool, -1, (int)p))
					s75_diags_add(d, S75_DIAG_WARNING, ag->path, b->pos,
						      "%s pool '%s': the %s rule gives a share to '%s', which does not contribute to the pool",
						      fy, pool, side ? "underspend" : "overspend", ag->partners[p].id);
			}
		}
	}
}

void s75_agreement_check_inputs(const s75_agreement *ag, s75_diags *d)
{
	for (size_t yi = 0; yi < ag->nyears; yi++) {
		const s75_year *y = &ag->years[yi];
		char fy[8];
		if (y->fy < 0)
			continue;
		s75_fy_format(fy, y->fy);
		if (y->ncontributions && !y->nbudgets)
			s75_diags_add(d, S75_DIAG_WARNING, ag->path, y->pos, NO_BUDGETS, fy);
		for (size_t k = 0; k < y->nrisk_share; k++)
			check_rule(ag, y, &y->risk_share[k], fy, d);
		for (size_t k = 0; k < y->nsavings; k++) {
			const s75_saving *s = &y->savings[k];
			if (s->pool < 0 || s->element < 0 || s->partner < 0)
				continue;
			const s75_arrangement *a = &ag->arrangements[s->pool];
			if (s->delivery > s->amount) {
				s75_buf x = S75_BUF_INIT, z = S75_BUF_INIT;
				s75_money_format(&x, s->delivery, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
				s75_money_format(&z, s->amount, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
				s75_diags_add(d, S75_DIAG_WARNING, ag->path, s->pos,
					      "%s saving of '%s' on element '%s' of pool '%s': delivery %s exceeds its amount %s",
					      fy, ag->partners[s->partner].id, a->elements[s->element].id, a->id,
					      x.ptr, z.ptr);
				s75_buf_release(&x);
				s75_buf_release(&z);
			}
			if (!funds(y, s->pool, s->element, s->partner))
				s75_diags_add(d, S75_DIAG_WARNING, ag->path, s->pos,
					      "%s saving of '%s' on element '%s' of pool '%s': '%s' does not fund that element",
					      fy, ag->partners[s->partner].id, a->elements[s->element].id, a->id,
					      ag->partners[s->partner].id);
		}
	}
	s75_diags_sort(d);
}

void s75_year_input_warnings(char ***out, size_t *n, const s75_agreement *ag, int fy)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_diags d = S75_DIAGS_INIT;
	char fys[8];
	size_t len;
	*out = NULL;
	*n = 0;
	if (!y)
		return;
	s75_fy_format(fys, fy);
	len = strlen(fys);
	char **w = xcalloc(8, sizeof(char *));
	size_t cap = 8;
	s75_buf nb = S75_BUF_INIT;
	s75_buf_printf(&nb, NO_BUDGETS, fys);
	if (y->ncontributions && !y->nbudgets) /* first: every figure rests on it */
		w[(*n)++] = xstrdup(nb.ptr);
	if (y->status != S75_YEAR_AGREED) {
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%s contributions are indicative: the schedule is not agreed", fys);
		w[(*n)++] = s75_buf_detach(&b);
	}
	s75_agreement_check_budgets(ag, &d);
	s75_agreement_check_inputs(ag, &d);
	for (size_t i = 0; i < d.n; i++) {
		const char *m = d.items[i].msg;
		if (d.items[i].level != S75_DIAG_WARNING || strncmp(m, fys, len) || m[len] != ' ' ||
		    !strcmp(m, nb.ptr))
			continue;
		if (*n + 1 >= cap) {
			cap *= 2;
			w = xreallocarray(w, cap, sizeof(char *));
		}
		w[(*n)++] = xstrdup(m);
	}
	s75_buf_release(&nb);
	s75_diags_release(&d);
	*out = w;
}

void s75_strings_free(char **s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i]);
	free(s);
}
