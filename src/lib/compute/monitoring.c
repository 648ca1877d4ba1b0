/* The monthly monitoring report: budget, budget to date, actual to date, forecast
 * outturn, variance and movement, per cost centre and rolled up to elements and pools.
 * It reads the aggregates kept at import time, never the transactions. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "ledger_year.h"
#include "s75/alloc.h"
#include "s75/buf.h"
#include "s75/budgets.h"
#include "s75/money.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/packages.h"
#include "xalloc.h"

__extension__ typedef __int128 i128;

const char *s75_forecast_basis_name(s75_forecast_basis b)
{
	static const char *const names[] = {"imported", "carried", "budget", "run_rate", "packages"};
	return (unsigned)b < 5 ? names[b] : "?";
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
	int64_t forecast, forecast_prev;   /* the latest made at or before P, P - 1 */
	int forecast_period;               /* the period the latest was made at */
	bool has_forecast, has_forecast_prev;
	char *note;                        /* of the latest forecast */
} cc_data;

static void free_cc_data(cc_data *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++)
		free(d[i].note);
	free(d);
}

static int add_row(s75_monitor_row *to, const s75_monitor_row *r)
{
	int64_t *a[] = {&to->budget,	       &to->budget_to_date,    &to->actual_to_date,
			&to->variance_to_date, &to->forecast,	       &to->forecast_variance,
			&to->movement,	       &to->income_to_date,    &to->expenditure_to_date,
			&to->original_budget,  &to->committed,	       &to->available};
	const int64_t b[] = {r->budget,		  r->budget_to_date, r->actual_to_date,
			     r->variance_to_date, r->forecast,	     r->forecast_variance,
			     r->movement,	  r->income_to_date, r->expenditure_to_date,
			     r->original_budget,  r->committed,	     r->available};
	for (size_t i = 0; i < sizeof(b) / sizeof(b[0]); i++)
		if (__builtin_add_overflow(*a[i], b[i], a[i]))
			return s75_error_set(S75_EOVERFLOW, "monitoring totals out of range");
	return 0;
}

/* The year's aggregates to P (and to P - 1), added once from the ledger year kept in
 * memory: no query, no sort, the same cost whatever the number of ledger rows. */
static int read_actuals(s75_db *db, const s75_agreement *ag, s75_period period, cc_data *d,
			bool *any)
{
	const ledger_year *y;
	int *ccs, *parts, rc = 0;
	if ((rc = ledger_year_get(&y, db, period.fy)))
		return rc;
	ledger_year_map(&ccs, &parts, y, ag);
	int last = period.p > 12 ? 12 : period.p;
	for (size_t c = 0; c < y->ncodes && !rc; c++)
		for (size_t pa = 0; pa < y->nparts && !rc; pa++)
			for (int p = 1; p <= last && !rc; p++)
				for (int kind = S75_TXN_EXPENDITURE; kind <= S75_TXN_INCOME; kind++) {
					size_t k = LY_CELL(y, c, pa, p, kind);
					if (!(y->flags[k] & LY_PRESENT))
						continue;
					*any = true;
					if (y->flags[k] & LY_NOT_INT) {
						char per[16];
						s75_period_format(per, (s75_period){period.fy, p});
						rc = s75_error_set(S75_EOVERFLOW,
								   "the ledger total of cost centre '%s' for %s is past the largest amount s75 can hold: undo the batch that took it there",
								   y->codes[c], per);
						break;
					}
					if (ccs[c] < 0) {
						rc = s75_error_set(S75_EINVALID,
								   "the ledger has actuals for cost centre '%s', which the agreement no longer lists",
								   y->codes[c]);
						break;
					}
					cc_data *x = &d[ccs[c]];
					int64_t *now = kind == S75_TXN_INCOME ? &x->inc_to_date : &x->exp_to_date;
					int64_t *prev = kind == S75_TXN_INCOME ? &x->inc_prev : &x->exp_prev;
					if (__builtin_add_overflow(*now, y->amount[k], now) ||
					    (p < period.p && __builtin_add_overflow(*prev, y->amount[k], prev))) {
						rc = s75_error_set(S75_EOVERFLOW, "actuals out of range");
						break;
					}
				}
	free(ccs);
	free(parts);
	return rc;
}

/*
 * A forecast stands until it is revised: the forecast at P is the latest imported at or
 * before P in the year (at P - 1 likewise, for the movement); a later batch for the same
 * period replaces an earlier one's cost centres.
 */
static int read_forecasts(s75_db *db, const s75_agreement *ag, s75_period period, cc_data *d)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "SELECT f.cost_centre, f.period, f.amount, f.note FROM forecast f"
			     " JOIN batch b ON b.id = f.batch_id"
			     " WHERE b.undone_at IS NULL AND f.fy = ? AND f.period <= ?"
			     /* the key's order (no sort): each cost centre's by period, then batch */
			     " ORDER BY f.period, f.cost_centre, f.batch_id")))
		return rc;
	sql_bind_int(st, 1, period.fy);
	sql_bind_int(st, 2, period.p);
	while ((rc = sql_step(st)) == SQL_ROW) {
		const char *code = sql_column_text(st, 0);
		int cc = s75_agreement_find_cost_centre(ag, code, strlen(code));
		int p = sql_column_int(st, 1);
		const char *note = sql_column_text(st, 3);
		if (cc < 0)
			continue; /* a forecast for a cost centre no longer listed has no budget line */
		d[cc].forecast = sql_column_int64(st, 2);
		d[cc].forecast_period = p;
		d[cc].has_forecast = true;
		free(d[cc].note);
		d[cc].note = note && *note ? xstrdup(note) : NULL;
		if (p < period.p) {
			d[cc].forecast_prev = d[cc].forecast;
			d[cc].has_forecast_prev = true;
		}
	}
	sql_finalize(st);
	return rc == SQL_DONE ? 0 : db_error(db, "cannot read the forecasts");
}

/* The text of `b` (taken) as a warning about `pool` (an arrangement), or -1: the agreement,
 * or several pools. */
static void add_warning(s75_monitoring *m, int pool, s75_buf *b)
{
	m->warnings = xreallocarray(m->warnings, m->nwarnings + 1, sizeof(char *));
	m->warning_pools = xreallocarray(m->warning_pools, m->nwarnings + 1, sizeof(int));
	m->warning_pools[m->nwarnings] = pool;
	m->warnings[m->nwarnings++] = s75_buf_detach(b);
}

/* A warning about `pool`, printf-formatted. */
static void warn(s75_monitoring *m, int pool, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(s75_monitoring *m, int pool, const char *fmt, ...)
{
	va_list ap;
	s75_buf b = S75_BUF_INIT;
	va_start(ap, fmt);
	s75_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_warning(m, pool, &b);
}

/* A warning: `head` (printf-formatted) then the list `tail` as it is, not through printf (it
 * can name thousands of cost centres). */
static void warn_list(s75_monitoring *m, int pool, const s75_buf *tail, const char *head, ...)
	__attribute__((format(printf, 4, 5)));
static void warn_list(s75_monitoring *m, int pool, const s75_buf *tail, const char *head, ...)
{
	va_list ap;
	s75_buf b = S75_BUF_INIT;
	va_start(ap, head);
	s75_buf_vprintf(&b, head, ap);
	va_end(ap);
	s75_buf_add(&b, tail->ptr, tail->len);
	add_warning(m, pool, &b);
}

/* Warnings gathered over the cost centres, one line per kind. */
typedef struct flag_lists {
	s75_buf stale, year_end;
	size_t nstale, nyear_end;
	int stale_pool, year_end_pool; /* the pool of all the list's cost centres, or -1 */
	s75_buf below, below_one; /* forecasts short of the actual: the first BELOW_LISTED, */
	size_t nbelow;            /* and the sentence when there is only one */
	int below_pool;
} flag_lists;

/* A board reads the first few forecasts short of the actual in the warning; the rest are
 * counted there and flagged in their rows (a ledger gone wrong can flag thousands). */
#define BELOW_LISTED 10

/* The pool of a list's cost centres so far: the first one's, -1 once they differ. */
static void list_pool(int *pool, size_t n_before, int cc_pool)
{
	if (n_before == 0)
		*pool = cc_pool;
	else if (*pool != cc_pool)
		*pool = -1;
}

/* The flags of a cost-centre row whose figures are made, gathered by kind for the warnings. */
static void flag_row(s75_monitoring *m, const s75_agreement *ag, s75_monitor_row *r,
		     flag_lists *fl)
{
	const char *code = ag->cost_centres[r->cost_centre].code;
	if (r->forecast_basis == S75_FC_CARRIED &&
	    m->period.p - r->forecast_period > ag->forecast_stale_after) {
		r->flags |= S75_MON_STALE;
		list_pool(&fl->stale_pool, fl->nstale, ag->cost_centres[r->cost_centre].pool);
		if (fl->nstale++)
			s75_buf_puts(&fl->stale, ", ");
		s75_buf_puts(&fl->stale, code);
		s75_buf_printf(&fl->stale, " (P%d)", r->forecast_period);
	}
	if (m->period.p == 12 && r->forecast_basis != S75_FC_IMPORTED) {
		r->flags |= S75_MON_NOT_YEAR_END;
		list_pool(&fl->year_end_pool, fl->nyear_end, ag->cost_centres[r->cost_centre].pool);
		if (fl->nyear_end++)
			s75_buf_puts(&fl->year_end, ", ");
		s75_buf_puts(&fl->year_end, code);
		if (r->forecast_basis == S75_FC_CARRIED)
			s75_buf_printf(&fl->year_end, " (P%d forecast)", r->forecast_period);
		else {
			s75_buf_puts(&fl->year_end, " (");
			s75_buf_puts(&fl->year_end, s75_forecast_basis_name(r->forecast_basis));
			s75_buf_puts(&fl->year_end, " default)");
		}
	}
	/* The money is spent (or received): a forecast outturn nearer nothing than the actual
	 * to date cannot be right. For a net income line (a negative actual) that is a forecast
	 * of less income than has come in; a forecast of more income is not a fault. */
	bool income = r->actual_to_date < 0;
	if (income ? r->forecast > r->actual_to_date : r->forecast < r->actual_to_date) {
		s75_buf f = S75_BUF_INIT, a = S75_BUF_INIT;
		r->flags |= S75_MON_BELOW_ACTUAL;
		s75_money_format(&f, r->forecast, S75_UNIT_POUNDS, S75_FMT_SEP);
		s75_money_format(&a, r->actual_to_date, S75_UNIT_POUNDS, S75_FMT_SEP);
		list_pool(&fl->below_pool, fl->nbelow, ag->cost_centres[r->cost_centre].pool);
		if (fl->nbelow < BELOW_LISTED)
			s75_buf_printf(&fl->below, "%s%s (£%s against £%s)", fl->nbelow ? ", " : "", code,
				       f.ptr, a.ptr);
		if (fl->nbelow++ == 0) /* the sentence when it is the only one */
			s75_buf_printf(&fl->below_one,
				       income ? "cost centre '%s': forecast outturn £%s is less income than the actual to date £%s"
					      : "cost centre '%s': forecast outturn £%s is below the actual to date £%s",
				       code, f.ptr, a.ptr);
		s75_buf_release(&f);
		s75_buf_release(&a);
	}
}

static void flag_lists_warn(s75_monitoring *m, const s75_agreement *ag, flag_lists *fl)
{
	if (fl->nbelow == 1)
		warn(m, fl->below_pool, "%s", fl->below_one.ptr);
	else if (fl->nbelow > BELOW_LISTED)
		warn(m, fl->below_pool, "forecast outturn short of the actual to date (less spending, or less income, than has happened) for %zu cost centres: %s and %zu more (each is flagged in the cost-centre rows)",
		     fl->nbelow, fl->below.ptr, fl->nbelow - BELOW_LISTED);
	else if (fl->nbelow)
		warn(m, fl->below_pool, "forecast outturn short of the actual to date (less spending, or less income, than has happened) for %zu cost centres: %s",
		     fl->nbelow, fl->below.ptr);
	s75_buf_release(&fl->below);
	s75_buf_release(&fl->below_one);
	if (fl->nyear_end)
		warn_list(m, fl->year_end_pool, &fl->year_end, "no forecast made at the year's last period for %zu cost centre%s: ",
			  fl->nyear_end, fl->nyear_end == 1 ? "" : "s");
	if (fl->nstale)
		warn_list(m, fl->stale_pool, &fl->stale, "forecast%s more than %d period%s old (stale) for %zu cost centre%s: ",
			  fl->nstale == 1 ? "" : "s", ag->forecast_stale_after,
			  ag->forecast_stale_after == 1 ? "" : "s", fl->nstale, fl->nstale == 1 ? "" : "s");
	s75_buf_release(&fl->stale);
	s75_buf_release(&fl->year_end);
}

int s75_monitoring_build(s75_monitoring **out, s75_db *db, const s75_agreement *ag,
			 s75_period period, s75_level level)
{
	const s75_year *y = s75_agreement_find_year(ag, period.fy);
	cc_data *d = NULL;
	s75_budget_versions *bv = NULL; /* the revisions of the year's budgets */
	int64_t *commit = NULL; /* packages: [c] after P, [nc + c] after P - 1 */
	size_t nc = ag->ncost_centres;
	s75_monitoring *m = NULL;
	bool any_actuals = false, any_committed = false;
	flag_lists fl = {.stale = S75_BUF_INIT, .year_end = S75_BUF_INIT, .stale_pool = -1, .year_end_pool = -1,
			 .below = S75_BUF_INIT, .below_one = S75_BUF_INIT, .below_pool = -1};
	int rc;

	*out = NULL;
	if (!y) {
		char fy[8];
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s",
				     s75_fy_format(fy, period.fy));
	}
	d = xcalloc(ag->ncost_centres + 1, sizeof(*d));
	if ((rc = read_actuals(db, ag, period, d, &any_actuals)) || (rc = read_forecasts(db, ag, period, d)) ||
	    (rc = s75_budget_versions_load(&bv, db, ag, period.fy)))
		goto fail;
	commit = xcalloc(3 * nc + 1, sizeof(int64_t));
	if ((rc = s75_packages_commitment(commit, db, ag, period)) ||
	    (period.p > 1 &&
	     (rc = s75_packages_commitment(commit + nc, db, ag, s75_period_add(period, -1)))) ||
	    (rc = s75_ledger_committed(commit + 2 * nc, &any_committed, db, ag, period)))
		goto fail;

	m = xcalloc(1, sizeof(*m));
	m->period = period;
	m->level = level;
	m->nrevisions = s75_budget_versions_in_force(bv, period.p);
	m->any_committed = any_committed;
	m->rows = xcalloc(ag->ncost_centres + 2 * ag->narrangements + 64, sizeof(s75_monitor_row));
	m->cost_centres = xcalloc(nc + 1, sizeof(s75_monitor_row));
	m->notes = xcalloc(nc + 1, sizeof(char *));
	m->nnotes = nc;
	{
		char fy[8];
		s75_fy_format(fy, period.fy);
		m->no_budgets = !y->nbudgets;
		m->no_actuals = !any_actuals;
		if (m->no_actuals)
			warn(m, -1, "%s has no actuals to P%d: there is no spending to report, only budgets%s",
			     fy, period.p, m->no_budgets ? "" : " and forecasts");
		char **iw;
		size_t niw;
		s75_year_input_warnings(&iw, &niw, ag, period.fy);
		for (size_t i = 0; i < niw; i++)
			warn(m, -1, "%s", iw[i]);
		s75_strings_free(iw, niw);
		m->ninputs = m->nwarnings;
	}
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
				/* the budget in force at P: the original as revised (budgets.h) */
				r.original_budget = b ? b->amount : 0;
				r.budget = s75_budget_annual(bv, y, (int)c, period.p);
				r.budget_to_date = s75_budget_version_to_date(bv, y, (int)c, period.p);
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
				if (d[c].has_forecast) {
					r.forecast = d[c].forecast;
					r.forecast_period = d[c].forecast_period;
					r.forecast_basis = d[c].forecast_period == period.p ? S75_FC_IMPORTED
											     : S75_FC_CARRIED;
					r.note = m->notes[c] = d[c].note; /* the report owns it now */
					d[c].note = NULL;
				} else if (el->forecast_default == S75_FORECAST_RUN_RATE) {
					r.forecast = run_rate(r.actual_to_date, period.p);
					r.forecast_basis = S75_FC_RUN_RATE;
				} else if (el->forecast_default == S75_FORECAST_PACKAGES) {
					r.forecast = with_commitment(r.actual_to_date, commit[c]);
					r.forecast_basis = S75_FC_PACKAGES;
				} else {
					r.forecast = r.budget;
					r.forecast_basis = S75_FC_BUDGET;
				}
				/* like with like: at P - 1 by the same rule */
				if (d[c].has_forecast_prev)
					fprev = d[c].forecast_prev;
				else if (period.p > 1 && el->forecast_default == S75_FORECAST_RUN_RATE)
					fprev = run_rate(prev_actual, period.p - 1);
				else if (period.p > 1 && el->forecast_default == S75_FORECAST_PACKAGES)
					fprev = with_commitment(prev_actual, commit[nc + c]);
				else /* before P1 the year is expected on budget; later, on the budget
				      * then in force (a revision since is a movement) */
					fprev = period.p > 1 ? s75_budget_annual(bv, y, (int)c, period.p - 1)
							     : r.budget;
				if (__builtin_sub_overflow(r.forecast, r.budget, &r.forecast_variance) ||
				    __builtin_sub_overflow(r.forecast, fprev, &r.movement)) {
					rc = s75_error_set(S75_EOVERFLOW, "forecast out of range");
					goto fail;
				}
				/* committed vs actual, once commitments are imported: the orders
				 * to date and the packages' rest of the year */
				if (any_committed &&
				    (s75_money_add(&r.committed, commit[2 * nc + c], commit[c]) ||
				     s75_money_sub(&r.available, r.budget, r.actual_to_date) ||
				     s75_money_sub(&r.available, r.available, r.committed))) {
					rc = s75_error_set(S75_EOVERFLOW, "commitments out of range");
					goto fail;
				}
				flag_row(m, ag, &r, &fl);
				m->cost_centres[m->ncost_centres++] = r;
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
	flag_lists_warn(m, ag, &fl);
	free_cc_data(d, nc);
	free(commit);
	s75_budget_versions_free(bv);
	*out = m;
	return 0;
fail:
	s75_buf_release(&fl.stale);
	s75_buf_release(&fl.year_end);
	s75_buf_release(&fl.below);
	s75_buf_release(&fl.below_one);
	free_cc_data(d, nc);
	free(commit);
	s75_budget_versions_free(bv);
	s75_monitoring_free(m);
	return rc;
}

int s75_monitoring_months(s75_db *db, const s75_agreement *ag, int fy, int pool,
			  int64_t actual[12], int64_t budget[12])
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_budget_versions *bv;
	int rc;
	memset(actual, 0, 12 * sizeof(int64_t));
	memset(budget, 0, 12 * sizeof(int64_t));
	if ((rc = s75_budget_versions_load(&bv, db, ag, fy)))
		return rc;
	/* each month's budget as the revisions in force then make it */
	for (size_t c = 0; y && c < ag->ncost_centres; c++) {
		if (ag->cost_centres[c].pool != pool ||
		    (!s75_year_find_budget(y, (int)c) && bv->first_line[c] < 0))
			continue;
		int64_t before = s75_budget_version_to_date(bv, y, (int)c, 0); /* each month's once */
		for (int p = 1; p <= 12; p++) {
			int64_t to_date = s75_budget_version_to_date(bv, y, (int)c, p);
			if (__builtin_add_overflow(budget[p - 1], to_date - before, &budget[p - 1])) {
				s75_budget_versions_free(bv);
				return s75_error_set(S75_EOVERFLOW, "the month's budgets of pool '%s' add up to more than s75 can hold",
						     ag->arrangements[pool].id);
			}
			before = to_date;
		}
	}
	s75_budget_versions_free(bv);
	const ledger_year *ly;
	int *ccs, *parts;
	if ((rc = ledger_year_get(&ly, db, fy)))
		return rc;
	ledger_year_map(&ccs, &parts, ly, ag);
	for (size_t c = 0; c < ly->ncodes && !rc; c++) {
		if (ccs[c] < 0 || ag->cost_centres[ccs[c]].pool != pool)
			continue;
		for (size_t pa = 0; pa < ly->nparts && !rc; pa++)
			for (int p = 1; p <= 12 && !rc; p++)
				for (int kind = S75_TXN_EXPENDITURE; kind <= S75_TXN_INCOME; kind++) {
					size_t k = LY_CELL(ly, c, pa, p, kind);
					int64_t v = ly->amount[k];
					if ((ly->flags[k] & LY_NOT_INT) ||
					    (kind == S75_TXN_INCOME
						     ? __builtin_sub_overflow(actual[p - 1], v, &actual[p - 1])
						     : __builtin_add_overflow(actual[p - 1], v, &actual[p - 1]))) {
						rc = s75_error_set(S75_EOVERFLOW, "the month's actuals of pool '%s' add up to more than s75 can hold",
								   ag->arrangements[pool].id);
						break;
					}
				}
	}
	free(ccs);
	free(parts);
	return rc; /* never a partial chart */
}

void s75_monitoring_free(s75_monitoring *m)
{
	if (!m)
		return;
	free(m->rows);
	free(m->cost_centres);
	for (size_t i = 0; i < m->nnotes; i++)
		free(m->notes[i]);
	free(m->notes);
	for (size_t i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	free(m->warning_pools);
	free(m);
}

void s75_monitor_row_basis(s75_buf *out, const s75_monitor_row *r)
{
	switch (r->forecast_basis) {
	case S75_FC_IMPORTED:
		s75_buf_printf(out, "imported P%d", r->forecast_period);
		break;
	case S75_FC_CARRIED:
		s75_buf_printf(out, "carried from P%d", r->forecast_period);
		break;
	default:
		s75_buf_printf(out, "%s default", s75_forecast_basis_name(r->forecast_basis));
		break;
	}
	if (r->flags & S75_MON_STALE)
		s75_buf_puts(out, " (stale)");
}

s75_rag s75_monitor_rag(int64_t forecast_variance, int64_t budget, int64_t tolerance_bp)
{
	if (forecast_variance <= 0)
		return S75_RAG_GREEN;
	__extension__ __int128 v = (__int128)forecast_variance * 10000;
	__extension__ __int128 band = (__int128)budget * tolerance_bp;
	return budget > 0 && v <= band ? S75_RAG_AMBER : S75_RAG_RED;
}
