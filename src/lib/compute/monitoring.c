/* The monthly monitoring report: budget, budget to date, actual to date, forecast
 * outturn, variance and movement, per cost centre and rolled up to elements and pools.
 * It reads the aggregates kept at import time, never the transactions. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/alloc.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/packages.h"
#include "xalloc.h"

__extension__ typedef __int128 i128;

int64_t s75_budget_to_date(const s75_budget *b, int p)
{
	int64_t parts[12], sum = 0;
	if (!b || p <= 0)
		return 0;
	if (s75_alloc_split(parts, b->amount, b->weights, 12))
		return 0; /* weights are checked at load: not reached */
	for (int i = 0; i < p && i < 12; i++)
		sum += parts[i];
	return sum;
}

/* actual * 12 / p, rounded half away from zero */
static int64_t run_rate(int64_t actual, int p)
{
	i128 n = (i128)actual * 12;
	i128 q = n / p, r = n % p;
	if (r * 2 >= p)
		q++;
	else if (r * 2 <= -p)
		q--;
	if (q > INT64_MAX || q < INT64_MIN)
		return actual < 0 ? INT64_MIN : INT64_MAX;
	return (int64_t)q;
}

/* actual + the care packages' commitment for the rest of the year, saturating as run_rate() */
static int64_t with_commitment(int64_t actual, int64_t commitment)
{
	int64_t sum;
	if (__builtin_add_overflow(actual, commitment, &sum))
		return actual < 0 ? INT64_MIN : INT64_MAX;
	return sum;
}

typedef struct cc_data {
	int64_t exp_to_date, inc_to_date;   /* at P */
	int64_t exp_prev, inc_prev;         /* at P - 1 */
	int64_t forecast, forecast_prev;
	bool has_forecast, has_forecast_prev;
} cc_data;

static int add_row(s75_monitor_row *to, const s75_monitor_row *r)
{
	int64_t *a[] = {&to->budget,	       &to->budget_to_date,    &to->actual_to_date,
			&to->variance_to_date, &to->forecast,	       &to->forecast_variance,
			&to->movement,	       &to->income_to_date,    &to->expenditure_to_date};
	const int64_t b[] = {r->budget,		  r->budget_to_date, r->actual_to_date,
			     r->variance_to_date, r->forecast,	     r->forecast_variance,
			     r->movement,	  r->income_to_date, r->expenditure_to_date};
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (__builtin_add_overflow(*a[i], b[i], a[i]))
			return s75_error_set(S75_EOVERFLOW, "monitoring totals out of range");
	return 0;
}

static int read_actuals(s75_db *db, const s75_agreement *ag, s75_period period, cc_data *d)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     /* in key order, summed here: no sort, one pass over the year's rows */
			     "SELECT cost_centre, period, kind, amount FROM ledger_agg"
			     " WHERE fy = ? AND period <= ? AND kind IN (0, 1)")))
		return rc;
	sqlite3_bind_int(st, 1, period.fy);
	sqlite3_bind_int(st, 2, period.p);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		int p = sqlite3_column_int(st, 1), kind = sqlite3_column_int(st, 2);
		int64_t amount = sqlite3_column_int64(st, 3);
		int cc = s75_agreement_find_cost_centre(ag, code, strlen(code));
		if (cc < 0) {
			rc = s75_error_set(S75_EINVALID,
					   "the ledger has actuals for cost centre '%s', which the agreement no longer lists",
					   code);
			sqlite3_finalize(st);
			return rc;
		}
		int64_t *now = kind == S75_TXN_INCOME ? &d[cc].inc_to_date : &d[cc].exp_to_date;
		int64_t *prev = kind == S75_TXN_INCOME ? &d[cc].inc_prev : &d[cc].exp_prev;
		if (__builtin_add_overflow(*now, amount, now) ||
		    (p < period.p && __builtin_add_overflow(*prev, amount, prev))) {
			sqlite3_finalize(st);
			return s75_error_set(S75_EOVERFLOW, "actuals out of range");
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "cannot read the ledger");
}

static int read_forecasts(s75_db *db, const s75_agreement *ag, s75_period period, cc_data *d)
{
	sqlite3_stmt *st;
	int rc;
	/* later batches replace earlier ones for the same period */
	if ((rc = db_prepare(db, &st,
			     "SELECT f.cost_centre, f.period, f.amount FROM forecast f"
			     " JOIN batch b ON b.id = f.batch_id"
			     " WHERE b.undone_at IS NULL AND f.fy = ? AND f.period IN (?, ?)"
			     " ORDER BY f.batch_id")))
		return rc;
	sqlite3_bind_int(st, 1, period.fy);
	sqlite3_bind_int(st, 2, period.p);
	sqlite3_bind_int(st, 3, period.p - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		int cc = s75_agreement_find_cost_centre(ag, code, strlen(code));
		if (cc < 0)
			continue; /* a forecast for a cost centre no longer listed has no budget line */
		if (sqlite3_column_int(st, 1) == period.p) {
			d[cc].forecast = sqlite3_column_int64(st, 2);
			d[cc].has_forecast = true;
		} else {
			d[cc].forecast_prev = sqlite3_column_int64(st, 2);
			d[cc].has_forecast_prev = true;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "cannot read the forecasts");
}

int s75_monitoring_build(s75_monitoring **out, s75_db *db, const s75_agreement *ag,
			 s75_period period, s75_level level)
{
	const s75_year *y = s75_agreement_find_year(ag, period.fy);
	cc_data *d = NULL;
	int64_t *commit = NULL; /* packages: [c] after P, [nc + c] after P - 1 */
	size_t nc = ag->ncost_centres;
	s75_monitoring *m = NULL;
	int rc;

	*out = NULL;
	if (!y) {
		char fy[8];
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s",
				     s75_fy_format(fy, period.fy));
	}
	d = xcalloc(ag->ncost_centres + 1, sizeof(*d));
	if ((rc = read_actuals(db, ag, period, d)) || (rc = read_forecasts(db, ag, period, d)))
		goto fail;
	commit = xcalloc(2 * nc + 1, sizeof(int64_t));
	if ((rc = s75_packages_commitment(commit, db, ag, period)) ||
	    (period.p > 1 &&
	     (rc = s75_packages_commitment(commit + nc, db, ag, s75_period_add(period, -1)))))
		goto fail;

	m = xcalloc(1, sizeof(*m));
	m->period = period;
	m->level = level;
	m->rows = xcalloc(ag->ncost_centres + 2 * ag->narrangements + 64, sizeof(s75_monitor_row));
	/* walk pools, elements, cost centres in agreement order */
	for (size_t a = 0; a < ag->narrangements; a++) {
		const s75_arrangement *arr = &ag->arrangements[a];
		if (arr->kind != S75_ARR_POOLED_FUND)
			continue;
		size_t pool_row = m->nrows;
		if (level == S75_LEVEL_POOL) {
			m->rows = xreallocarray(m->rows, m->nrows + 1, sizeof(*m->rows));
			memset(&m->rows[m->nrows], 0, sizeof(*m->rows));
			m->rows[m->nrows].pool = (int)a;
			m->rows[m->nrows].element = m->rows[m->nrows].cost_centre = -1;
			m->nrows++;
		}
		for (size_t e = 0; e < arr->nelements; e++) {
			const s75_element *el = &arr->elements[e];
			size_t el_row = m->nrows;
			if (level == S75_LEVEL_ELEMENT) {
				m->rows = xreallocarray(m->rows, m->nrows + 1, sizeof(*m->rows));
				memset(&m->rows[m->nrows], 0, sizeof(*m->rows));
				m->rows[m->nrows].pool = (int)a;
				m->rows[m->nrows].element = (int)e;
				m->rows[m->nrows].cost_centre = -1;
				m->nrows++;
			}
			for (size_t c = 0; c < ag->ncost_centres; c++) {
				const s75_cost_centre *cc = &ag->cost_centres[c];
				if (cc->pool != (int)a || cc->element != (int)e)
					continue;
				const s75_budget *b = s75_year_find_budget(y, (int)c);
				s75_monitor_row r;
				memset(&r, 0, sizeof(r));
				r.pool = (int)a;
				r.element = (int)e;
				r.cost_centre = (int)c;
				r.budget = b ? b->amount : 0;
				r.budget_to_date = s75_budget_to_date(b, period.p);
				r.expenditure_to_date = d[c].exp_to_date;
				r.income_to_date = d[c].inc_to_date;
				int64_t prev_actual;
				if (__builtin_sub_overflow(d[c].exp_to_date, d[c].inc_to_date,
							   &r.actual_to_date) ||
				    __builtin_sub_overflow(d[c].exp_prev, d[c].inc_prev, &prev_actual) ||
				    __builtin_sub_overflow(r.actual_to_date, r.budget_to_date,
							   &r.variance_to_date)) {
					rc = s75_error_set(S75_EOVERFLOW, "actuals out of range");
					goto fail;
				}
				/* the forecast outturn now and at the previous period */
				int64_t fprev;
				r.forecast_imported = d[c].has_forecast;
				if (d[c].has_forecast)
					r.forecast = d[c].forecast;
				else if (el->forecast_default == S75_FORECAST_RUN_RATE)
					r.forecast = run_rate(r.actual_to_date, period.p);
				else if (el->forecast_default == S75_FORECAST_PACKAGES)
					r.forecast = with_commitment(r.actual_to_date, commit[c]);
				else
					r.forecast = r.budget;
				if (d[c].has_forecast_prev)
					fprev = d[c].forecast_prev;
				else if (period.p > 1 && el->forecast_default == S75_FORECAST_RUN_RATE)
					fprev = run_rate(prev_actual, period.p - 1);
				else if (period.p > 1 && el->forecast_default == S75_FORECAST_PACKAGES)
					fprev = with_commitment(prev_actual, commit[nc + c]);
				else
					fprev = r.budget; /* before P1 the year is expected on budget */
				if (__builtin_sub_overflow(r.forecast, r.budget, &r.forecast_variance) ||
				    __builtin_sub_overflow(r.forecast, fprev, &r.movement)) {
					rc = s75_error_set(S75_EOVERFLOW, "forecast out of range");
					goto fail;
				}
				if ((rc = add_row(&m->totals, &r)))
					goto fail;
				if (level == S75_LEVEL_COST_CENTRE) {
					m->rows = xreallocarray(m->rows, m->nrows + 1, sizeof(*m->rows));
					m->rows[m->nrows++] = r;
				} else if (level == S75_LEVEL_ELEMENT) {
					if ((rc = add_row(&m->rows[el_row], &r)))
						goto fail;
				} else if ((rc = add_row(&m->rows[pool_row], &r))) {
					goto fail;
				}
			}
		}
	}
	m->totals.pool = m->totals.element = m->totals.cost_centre = -1;
	free(d);
	free(commit);
	*out = m;
	return 0;
fail:
	free(d);
	free(commit);
	s75_monitoring_free(m);
	return rc;
}

int s75_monitoring_months(s75_db *db, const s75_agreement *ag, int fy, int pool,
			  int64_t actual[12], int64_t budget[12])
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	sqlite3_stmt *st;
	int rc;
	memset(actual, 0, 12 * sizeof(int64_t));
	memset(budget, 0, 12 * sizeof(int64_t));
	for (size_t i = 0; y && i < y->nbudgets; i++) {
		const s75_budget *b = &y->budgets[i];
		if (ag->cost_centres[b->cost_centre].pool != pool)
			continue;
		for (int p = 1; p <= 12; p++)
			budget[p - 1] += s75_budget_to_date(b, p) - s75_budget_to_date(b, p - 1);
	}
	if ((rc = db_prepare(db, &st,
			     "SELECT cost_centre, period, kind, SUM(amount) FROM ledger_agg"
			     " WHERE fy = ? AND kind IN (0, 1) GROUP BY cost_centre, period, kind")))
		return rc;
	sqlite3_bind_int(st, 1, fy);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		int cc = s75_agreement_find_cost_centre(ag, code, strlen(code));
		int p = sqlite3_column_int(st, 1);
		int64_t v = sqlite3_column_int64(st, 3);
		if (cc < 0 || ag->cost_centres[cc].pool != pool || p < 1 || p > 12)
			continue;
		actual[p - 1] += sqlite3_column_int(st, 2) == S75_TXN_INCOME ? -v : v;
	}
	sqlite3_finalize(st);
	return 0;
}

void s75_monitoring_free(s75_monitoring *m)
{
	if (!m)
		return;
	free(m->rows);
	free(m);
}
