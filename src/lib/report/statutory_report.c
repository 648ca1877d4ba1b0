/* The pool manager's statutory reports (SI 2000/617): the quarterly report to the
 * partners and the annual return, the memorandum account of the pooled fund. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/error.h"
#include "s75/contrib.h"
#include "s75/kpi.h"
#include "s75/statement.h"
#include "s75/variation.h"
#include "xalloc.h"

typedef struct pool_figures {
	s75_monitoring *now, *before; /* element level at the quarter's end and start */
	int64_t *spent, *transferred; /* per partner, to the quarter's end */
} pool_figures;

static void amounts_json(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, json_integer(v));
}

/*
 * Contributions due (four equal instalments, s75_contrib_due_to_date) against what each partner has put in: what
 * it spent on the pool through its own ledger plus the contributions it paid to (or less
 * those it received from) the other partners.
 */
static s75_table *contributions_table(const s75_agreement *ag, const s75_settle_pool *p,
				      const pool_figures *f, int quarter, json_t *jarr)
{
	s75_table *t = s75_table_new("Contributions due and received");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Net contribution", S75_CELL_MONEY);
	s75_table_column(t, "Due to date", S75_CELL_MONEY);
	s75_table_column(t, "Spent directly", S75_CELL_MONEY);
	s75_table_column(t, "Transferred (paid +, received -)", S75_CELL_MONEY);
	s75_table_column(t, "Contributed to date", S75_CELL_MONEY);
	s75_table_column(t, "Outstanding", S75_CELL_MONEY);
	int64_t tot[6] = {0};
	for (size_t k = 0; k < ag->npartners; k++) {
		const s75_settle_partner *x = &p->partners[k];
		if (!x->involved)
			continue;
		int64_t due = s75_contrib_due_to_date(x->contribution, quarter);
		int64_t put_in = f->spent[k] + f->transferred[k];
		int64_t v[6] = {x->contribution, due, f->spent[k], f->transferred[k], put_in, due - put_in};
		s75_table_row(t, 0);
		s75_table_text(t, ag->partners[k].name);
		for (int i = 0; i < 6; i++) {
			s75_table_money(t, v[i]);
			tot[i] += v[i];
		}
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(ag->partners[k].id));
		amounts_json(o, "contribution", x->contribution);
		amounts_json(o, "due_to_date", due);
		amounts_json(o, "spent_to_date", f->spent[k]);
		amounts_json(o, "transferred_to_date", f->transferred[k]);
		amounts_json(o, "contributed_to_date", put_in);
		amounts_json(o, "outstanding", due - put_in);
		json_array_append_new(jarr, o);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (int i = 0; i < 6; i++)
		s75_table_money(t, tot[i]);
	return t;
}

/* Expenditure, other income and net by element, for the quarter and the year to date; with
 * budget revisions in force, the original budget beside the revised one (as monitoring). */
static s75_table *elements_table(const s75_agreement *ag, int pool, const pool_figures *f,
				 json_t *jarr)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	bool rev = f->now->nrevisions > 0;
	s75_table *t = s75_table_new("Expenditure and other income by element");
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Expenditure, quarter", S75_CELL_MONEY);
	s75_table_column(t, "Other income, quarter", S75_CELL_MONEY);
	s75_table_column(t, "Expenditure, year to date", S75_CELL_MONEY);
	s75_table_column(t, "Other income, year to date", S75_CELL_MONEY);
	s75_table_column(t, "Net, year to date", S75_CELL_MONEY);
	if (rev)
		s75_table_column(t, "Original budget", S75_CELL_MONEY);
	s75_table_column(t, rev ? "Revised budget" : "Budget", S75_CELL_MONEY);
	s75_table_column(t, "Forecast outturn", S75_CELL_MONEY);
	s75_monitor_row tot;
	int64_t eq = 0, iq = 0;
	memset(&tot, 0, sizeof(tot));
	for (size_t i = 0; i < f->now->nrows; i++) {
		const s75_monitor_row *r = &f->now->rows[i], *b = NULL;
		if (r->pool != pool)
			continue;
		for (size_t k = 0; f->before && k < f->before->nrows; k++)
			if (f->before->rows[k].pool == pool && f->before->rows[k].element == r->element)
				b = &f->before->rows[k];
		int64_t e_q = r->expenditure_to_date - (b ? b->expenditure_to_date : 0);
		int64_t i_q = r->income_to_date - (b ? b->income_to_date : 0);
		s75_table_row(t, 0);
		s75_table_text(t, a->elements[r->element].name);
		s75_table_money(t, e_q);
		s75_table_money(t, i_q);
		s75_table_money(t, r->expenditure_to_date);
		s75_table_money(t, r->income_to_date);
		s75_table_money(t, r->actual_to_date);
		if (rev)
			s75_table_money(t, r->original_budget);
		s75_table_money(t, r->budget);
		s75_table_money(t, r->forecast);
		eq += e_q;
		iq += i_q;
		tot.expenditure_to_date += r->expenditure_to_date;
		tot.income_to_date += r->income_to_date;
		tot.actual_to_date += r->actual_to_date;
		tot.budget += r->budget;
		tot.original_budget += r->original_budget;
		tot.forecast += r->forecast;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(a->elements[r->element].id));
		amounts_json(o, "expenditure_quarter", e_q);
		amounts_json(o, "income_quarter", i_q);
		amounts_json(o, "expenditure_to_date", r->expenditure_to_date);
		amounts_json(o, "income_to_date", r->income_to_date);
		amounts_json(o, "net_to_date", r->actual_to_date);
		amounts_json(o, "budget", r->budget);
		if (rev)
			amounts_json(o, "original_budget", r->original_budget);
		amounts_json(o, "forecast", r->forecast);
		json_array_append_new(jarr, o);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	s75_table_money(t, eq);
	s75_table_money(t, iq);
	s75_table_money(t, tot.expenditure_to_date);
	s75_table_money(t, tot.income_to_date);
	s75_table_money(t, tot.actual_to_date);
	if (rev)
		s75_table_money(t, tot.original_budget);
	s75_table_money(t, tot.budget);
	s75_table_money(t, tot.forecast);
	return t;
}

/* A row per partner of pool `p` (after a cell `pool` when not NULL): its net contribution,
 * share of the variance and final cost, and the same in `jarr`; `sum` their totals (the
 * settlement reconciles them, so they cannot overflow). */
static void share_rows(s75_table *t, const s75_agreement *ag, const s75_settle_pool *p,
		       const char *pool, json_t *jarr, int64_t sum[3])
{
	sum[0] = sum[1] = sum[2] = 0;
	for (size_t k = 0; k < ag->npartners; k++) {
		const s75_settle_partner *x = &p->partners[k];
		if (!x->involved)
			continue;
		s75_table_row(t, 0);
		if (pool)
			s75_table_text(t, pool);
		s75_table_text(t, ag->partners[k].name);
		s75_table_money(t, x->contribution);
		s75_table_money(t, x->variance_share);
		s75_table_money(t, x->final_cost);
		sum[0] += x->contribution;
		sum[1] += x->variance_share;
		sum[2] += x->final_cost;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(ag->partners[k].id));
		amounts_json(o, "contribution", x->contribution);
		amounts_json(o, "variance_share", x->variance_share);
		amounts_json(o, "final_cost", x->final_cost);
		json_array_append_new(jarr, o);
	}
}

static s75_table *riskshare_table(const s75_agreement *ag, const s75_settle_pool *p,
				  const char *title, json_t *jarr)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Net contribution", S75_CELL_MONEY);
	s75_table_column(t, "Share of the variance", S75_CELL_MONEY);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(t, "Final cost", S75_CELL_MONEY);
	int64_t sum[3];
	share_rows(t, ag, p, NULL, jarr, sum);
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (int i = 0; i < 3; i++)
		s75_table_money(t, sum[i]);
	return t;
}

/* Variations of the contributions, risk share or KPIs of `pool` effective in [from, to]. */
static s75_table *variations_table(const s75_agreement *ag, int pool, s75_date from, s75_date to,
				   json_t *jarr)
{
	size_t n;
	const s75_variation *v = s75_agreement_variations(ag, &n);
	s75_table *t = s75_table_new("Variations agreed in the quarter");
	s75_table_column(t, "Variation", S75_CELL_TEXT);
	s75_table_column(t, "Effective", S75_CELL_TEXT);
	s75_table_column(t, "Decision", S75_CELL_TEXT);
	s75_table_column(t, "What", S75_CELL_TEXT);
	s75_table_column(t, "Net change to contributions", S75_CELL_MONEY);
	for (size_t i = 0; i < n; i++) {
		const s75_variation *x = &v[i];
		bool here = false;
		int64_t net = 0;
		for (size_t k = 0; k < x->ncontributions; k++)
			if (x->contributions[k].pool == pool) {
				here = true;
				net += x->contributions[k].net;
			}
		for (size_t k = 0; k < x->nrisk_share; k++)
			here |= x->risk_share[k].pool == pool;
		for (size_t k = 0; k < x->nkpis; k++)
			here |= x->kpis[k].kpi >= 0 && ag->gov && s75_kpi_at(ag, x->kpis[k].kpi, x->effective).pool == pool;
		if (!here || x->effective < from || x->effective > to)
			continue;
		char eff[11];
		s75_date_format(eff, x->effective);
		s75_table_row(t, 0);
		s75_table_text(t, x->id);
		s75_table_text(t, eff);
		s75_table_text(t, x->decision ? x->decision : "");
		s75_table_text(t, x->description ? x->description : "");
		s75_table_money(t, net);
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(x->id));
		json_object_set_new(o, "effective", json_string(eff));
		json_object_set_new(o, "decision", x->decision ? json_string(x->decision) : json_null());
		amounts_json(o, "net_contribution_change", net);
		json_array_append_new(jarr, o);
	}
	return t;
}

/* The pool's KPIs at the quarter's end: latest value, target, RAG and trend. */
static int kpi_table(s75_db *db, const s75_agreement *ag, int pool, int fy, int q, s75_table **out,
		     json_t *jarr, s75_doc *d, json_t *jwarn)
{
	s75_kpi_report *r = NULL;
	s75_rperiod per = s75_rperiod_quarter(fy, q);
	*out = NULL;
	if (s75_kpi_report_build(&r, db, ag, &per, pool))
		return -1;
	s75_table *t = s75_table_new("Performance indicators at the quarter's end");
	s75_table_column(t, "Indicator", S75_CELL_TEXT);
	s75_table_column(t, "Latest", S75_CELL_TEXT);
	s75_table_column(t, "Period", S75_CELL_TEXT);
	s75_table_column(t, "Target", S75_CELL_TEXT);
	s75_table_column(t, "Baseline", S75_CELL_TEXT);
	s75_table_column(t, "RAG", S75_CELL_TEXT);
	s75_table_column_flags(t, S75_COL_RAG);
	s75_table_column(t, "Trend", S75_CELL_TEXT);
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *l = &r->lines[i];
		json_t *o = json_object();
		s75_table_row(t, 0);
		s75_table_text(t, l->def.name);
		json_object_set_new(o, "id", json_string(l->def.id));
		s75_buf_reset(&b);
		if (l->has_latest)
			s75_kpi_value_format(&b, l->latest.value, true);
		json_object_set_new(o, "latest", l->has_latest ? json_string(b.ptr) : json_null());
		s75_buf_reset(&b);
		if (l->has_latest) /* the table keeps the unit: 58.5% */
			report_kpi_value(&b, &l->def, l->latest.value, true);
		s75_table_text(t, b.ptr);
		s75_table_text(t, l->has_latest ? l->latest.period : "");
		s75_buf_reset(&b);
		if (l->def.has_target)
			report_kpi_value(&b, &l->def, l->def.target, true);
		s75_table_text(t, b.ptr);
		s75_buf_reset(&b);
		if (l->def.has_baseline)
			report_kpi_value(&b, &l->def, l->def.baseline, true);
		s75_table_text(t, b.ptr);
		s75_table_text(t, l->has_latest ? s75_rag_name(l->rag) : "no value");
		s75_table_text(t, l->has_latest && l->has_previous ? s75_trend_name(l->trend) : "");
		json_object_set_new(o, "rag", json_string(l->has_latest ? s75_rag_name(l->rag) : "none"));
		json_array_append_new(jarr, o);
	}
	s75_buf_release(&b);
	char **w;
	size_t nw;
	s75_kpi_report_warnings(&w, &nw, r);
	for (size_t i = 0; i < nw; i++) {
		s75_doc_warning(d, w[i]);
		json_array_append_new(jwarn, json_string(w[i]));
	}
	s75_strings_free(w, nw);
	size_t n = r->nlines;
	s75_kpi_report_free(r);
	if (!n) {
		s75_table_free(t);
		return 0;
	}
	*out = t;
	return 0;
}

/* An element's figure now (its forecast outturn, or with `actual` its actual to date) and
 * its movement since `before` (that figure's forecast then; the budget when NULL). */
typedef struct movement {
	int element;
	int64_t variance, movement;
} movement;

static int by_size(const void *a, const void *b)
{
	const movement *x = a, *y = b;
	int64_t u = x->movement < 0 ? -x->movement : x->movement;
	int64_t v = y->movement < 0 ? -y->movement : y->movement;
	return u < v ? 1 : u > v ? -1 : x->element - y->element;
}

/* The main movements of pool `pool`: its elements that moved, largest first, at most three. */
static size_t main_movements(movement out[3], const s75_monitoring *now,
			     const s75_monitoring *before, int pool, bool actual)
{
	movement *all = NULL;
	size_t n = 0;
	for (size_t i = 0; i < now->nrows; i++) {
		const s75_monitor_row *r = &now->rows[i];
		if (r->pool != pool)
			continue;
		int64_t then = r->budget;
		for (size_t k = 0; before && k < before->nrows; k++)
			if (before->rows[k].pool == pool && before->rows[k].element == r->element)
				then = before->rows[k].forecast;
		int64_t fig = actual ? r->actual_to_date : r->forecast, mv, var;
		if (s75_money_sub(&mv, fig, then) || s75_money_sub(&var, fig, r->budget) || !mv)
			continue;
		all = xreallocarray(all, n + 1, sizeof(*all));
		all[n].element = r->element;
		all[n].variance = var;
		all[n].movement = mv;
		n++;
	}
	if (n)
		qsort(all, n, sizeof(*all), by_size);
	size_t k = n < 3 ? n : 3;
	if (k)
		memcpy(out, all, k * sizeof(*all));
	free(all);
	return k;
}

/* One flag from the inputs of pool `pool` (an id; NULL: every pool): added to the pool's
 * line of the table, `line`, and to the JSON. */
static void flag(s75_buf *line, json_t *arr, const char *pool, const char *text)
{
	s75_buf_printf(line, "%s%s", line->len ? "; " : "", text);
	json_t *o = json_object();
	json_object_set_new(o, "pool", pool ? json_string(pool) : json_null());
	json_object_set_new(o, "flag", json_string(text));
	json_array_append_new(arr, o);
}

/* The table's row of a pool's flags, when it has any. */
static void flag_row(s75_table *t, const char *pool, s75_buf *line)
{
	if (!line->len)
		return;
	s75_table_row(t, 0);
	s75_table_text(t, pool);
	s75_table_text(t, line->ptr);
	s75_buf_reset(line);
}

/*
 * The one screen that opens the quarterly report and the annual return: per pool (`only`,
 * or every pool of `s`) its net contributions, outturn (forecast, or with `actual` the
 * year's actual), variance and RAG; each partner's share; the main movements of its
 * elements since `since` (since the budget when its period is 0); and the flags from the
 * inputs (an indicative schedule, a pool with the default risk share, flagged forecasts,
 * KPI values older than `kper`). JSON: root's "summary".
 */
static int summary_section(s75_doc *d, json_t *root, s75_db *db, const s75_agreement *ag,
			   const s75_settlement *s, int only, s75_period at, s75_period since,
			   const s75_rperiod *kper, bool actual)
{
	s75_monitoring *now = NULL, *before = NULL;
	int rc;
	if ((rc = s75_monitoring_build(&now, db, ag, at, S75_LEVEL_ELEMENT)) ||
	    (since.p > 0 && (rc = s75_monitoring_build(&before, db, ag, since, S75_LEVEL_ELEMENT)))) {
		s75_monitoring_free(now);
		return rc;
	}
	const s75_year *y = s75_agreement_find_year(ag, s->fy);
	char sp[16];
	s75_buf b = S75_BUF_INIT;
	json_t *js = json_object(), *jpools = json_array(), *jflags = json_array();
	s75_doc_section(d, "Summary", "Summary");
	report_rag_basis(&b, ag);
	s75_doc_para(d, b.ptr);

	s75_table *tp = s75_table_new(actual ? "Outturn by pool" : "Forecast outturn by pool");
	s75_table_column(tp, "Pool", S75_CELL_TEXT);
	s75_table_column(tp, "Net contributions", S75_CELL_MONEY);
	s75_table_column(tp, actual ? "Outturn" : "Forecast outturn", S75_CELL_MONEY);
	s75_table_column(tp, "Variance", S75_CELL_MONEY);
	s75_table_column_flags(tp, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(tp, "RAG", S75_CELL_TEXT);
	s75_table_column_flags(tp, S75_COL_RAG);
	s75_table *ts = s75_table_new(actual ? "Each partner's share" : "Each partner's projected share");
	s75_table_column(ts, "Pool", S75_CELL_TEXT);
	s75_table_column(ts, "Partner", S75_CELL_TEXT);
	s75_table_column(ts, "Net contribution", S75_CELL_MONEY);
	s75_table_column(ts, "Share of the variance", S75_CELL_MONEY);
	s75_table_column_flags(ts, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(ts, "Final cost", S75_CELL_MONEY);
	s75_buf_reset(&b);
	if (since.p > 0)
		s75_buf_printf(&b, "Main movements since %s", s75_period_format(sp, since));
	else
		s75_buf_puts(&b, "Main movements against the budget");
	s75_table *tm = s75_table_new(b.ptr);
	s75_table_column(tm, "Pool", S75_CELL_TEXT);
	s75_table_column(tm, "Element", S75_CELL_TEXT);
	s75_table_column(tm, "Variance", S75_CELL_MONEY);
	s75_table_column_flags(tm, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(tm, "Movement", S75_CELL_MONEY);
	s75_table_column_flags(tm, S75_COL_ADVERSE_POSITIVE);
	s75_table *tf = s75_table_new("Flags from the inputs");
	s75_table_column(tf, "Pool", S75_CELL_TEXT);
	s75_table_column(tf, "Flags", S75_CELL_TEXT);
	s75_buf fl = S75_BUF_INIT;
	if (y && y->status == S75_YEAR_INDICATIVE) {
		char fys[8];
		s75_buf_reset(&b);
		s75_buf_printf(&b, "the %s schedule of contributions is indicative, not agreed",
			       s75_fy_format(fys, s->fy));
		flag(&fl, jflags, NULL, b.ptr);
	}
	if (now->no_actuals) {
		s75_buf_reset(&b);
		s75_buf_printf(&b, "no actuals to %s: the outturn rests on budgets and forecasts alone",
			       s75_period_format(sp, at));
		flag(&fl, jflags, NULL, b.ptr);
	}
	if (now->no_budgets)
		flag(&fl, jflags, NULL, "no cost-centre budgets: the forecasts have no budget to fall back on");
	flag_row(tf, "All pools", &fl);
	int64_t tot[3] = {0, 0, 0};
	size_t npools = 0;
	for (size_t i = 0; i < s->npools && !rc; i++) {
		const s75_settle_pool *p = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		if (only >= 0 && p->pool != only)
			continue;
		npools++;
		s75_rag rag = s75_monitor_rag(p->variance, p->budget, ag->forecast_tolerance_bp);
		s75_table_row(tp, 0);
		s75_table_text(tp, a->name);
		s75_table_money(tp, p->budget);
		s75_table_money(tp, p->outturn);
		s75_table_money(tp, p->variance);
		s75_table_text(tp, s75_rag_name(rag));
		if (s75_money_add(&tot[0], tot[0], p->budget) ||
		    s75_money_add(&tot[1], tot[1], p->outturn) ||
		    s75_money_add(&tot[2], tot[2], p->variance)) {
			rc = S75_EOVERFLOW;
			break;
		}
		json_t *jp = json_object(), *jpart = json_array(), *jmov = json_array();
		json_object_set_new(jp, "id", json_string(a->id));
		amounts_json(jp, "budget", p->budget);
		amounts_json(jp, "outturn", p->outturn);
		amounts_json(jp, "variance", p->variance);
		json_object_set_new(jp, "rag", json_string(s75_rag_name(rag)));
		int64_t sum[3];
		share_rows(ts, ag, p, a->name, jpart, sum);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Subtotal: %s", a->name);
		s75_table_row(ts, S75_ROW_TOTAL | S75_ROW_SUBTOTAL);
		s75_table_text(ts, b.ptr);
		s75_table_empty(ts);
		for (int k = 0; k < 3; k++)
			s75_table_money(ts, sum[k]);
		movement mv[3];
		size_t nm = main_movements(mv, now, before, p->pool, actual);
		for (size_t k = 0; k < nm; k++) {
			s75_table_row(tm, 0);
			s75_table_text(tm, a->name);
			s75_table_text(tm, a->elements[mv[k].element].name);
			s75_table_money(tm, mv[k].variance);
			s75_table_money(tm, mv[k].movement);
			json_t *o = json_object();
			json_object_set_new(o, "element", json_string(a->elements[mv[k].element].id));
			amounts_json(o, "variance", mv[k].variance);
			amounts_json(o, "movement", mv[k].movement);
			json_array_append_new(jmov, o);
		}
		if (y && !s75_year_risk_share_at(ag, y, p->pool, s75_fy_end(s->fy)))
			flag(&fl, jflags, a->id,
			     "no risk share stated: shared by contributions (the default)");
		size_t nstale = 0, nbelow = 0;
		for (size_t k = 0; k < now->ncost_centres; k++) {
			const s75_monitor_row *r = &now->cost_centres[k];
			if (r->pool != p->pool)
				continue;
			nstale += (r->flags & S75_MON_STALE) != 0;
			nbelow += (r->flags & S75_MON_BELOW_ACTUAL) != 0;
		}
		if (nstale) {
			s75_buf_reset(&b);
			s75_buf_printf(&b, "%zu stale forecast%s (older than %d periods)", nstale,
				       nstale == 1 ? "" : "s", ag->forecast_stale_after);
			flag(&fl, jflags, a->id, b.ptr);
		}
		if (nbelow) {
			s75_buf_reset(&b);
			s75_buf_printf(&b, "%zu forecast%s below the actual to date", nbelow,
				       nbelow == 1 ? "" : "s");
			flag(&fl, jflags, a->id, b.ptr);
		}
		s75_kpi_report *kr = NULL;
		if (ag->gov && s75_kpi_report_build(&kr, db, ag, kper, p->pool) == 0) {
			size_t nold = 0, nnone = 0;
			for (size_t k = 0; k < kr->nlines; k++) {
				nnone += !kr->lines[k].has_latest;
				nold += kr->lines[k].has_latest &&
					kr->lines[k].latest.end < kr->period.start;
			}
			s75_kpi_report_free(kr);
			if (nold || nnone) {
				s75_buf_reset(&b);
				if (nold)
					s75_buf_printf(&b, "%zu KPI value%s older than the period", nold,
						       nold == 1 ? "" : "s");
				if (nnone)
					s75_buf_printf(&b, "%s%zu KPI%s with no value", nold ? "; " : "",
						       nnone, nnone == 1 ? "" : "s");
				flag(&fl, jflags, a->id, b.ptr);
			}
		}
		flag_row(tf, a->name, &fl);
		json_object_set_new(jp, "partners", jpart);
		json_object_set_new(jp, "movements", jmov);
		json_array_append_new(jpools, jp);
	}
	if (npools > 1) {
		s75_table_row(tp, S75_ROW_TOTAL | S75_ROW_STRONG);
		s75_table_text(tp, "Total");
		for (int i = 0; i < 3; i++)
			s75_table_money(tp, tot[i]);
		s75_table_text(tp, s75_rag_name(s75_monitor_rag(tot[2], tot[0], ag->forecast_tolerance_bp)));
	}
	s75_doc_table(d, tp);
	s75_doc_table(d, ts);
	if (tm->nrows)
		s75_doc_table(d, tm);
	else {
		s75_table_free(tm);
		s75_doc_para(d, "No element's figures moved.");
	}
	if (tf->nrows)
		s75_doc_table(d, tf);
	else {
		s75_table_free(tf);
		s75_doc_para(d, "No flags from the inputs.");
	}
	json_object_set_new(js, "pools", jpools);
	json_object_set_new(js, "flags", jflags);
	json_object_set_new(root, "summary", js);
	s75_buf_release(&b);
	s75_buf_release(&fl);
	s75_monitoring_free(now);
	s75_monitoring_free(before);
	return rc ? s75_error_set(rc, "a total is beyond the range of amounts") : 0;
}

static void release(pool_figures *f)
{
	s75_monitoring_free(f->now);
	s75_monitoring_free(f->before);
	free(f->spent);
	free(f->transferred);
}

int s75_report_quarterly(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy, int q,
			 const s75_report_options *o)
{
	s75_settlement *proj = NULL;
	s75_buf params = S75_BUF_INIT, b = S75_BUF_INIT;
	int rc = 0;
	*out = NULL;
	int only = s75_report_pool_index(ag, o);
	if (only < -1)
		return only;
	s75_period end = {fy, 3 * q}, start = {fy, 3 * q - 3};
	s75_settle_options so;
	memset(&so, 0, sizeof(so));
	so.forecast = true;
	so.period = end;
	if ((rc = s75_settle(&proj, db, ag, fy, &so)))
		return rc;
	char fys[8], per[16];
	s75_fy_format(fys, fy);
	s75_buf_printf(&b, "Quarterly report %s Q%d", fys, q);
	if (only >= 0)
		s75_buf_printf(&b, " — %s", ag->arrangements[only].name);
	s75_buf_printf(&params, "year %s, quarter %d (to %s)", fys, q, s75_period_format(per, end));
	s75_doc *d = s75_report_doc_new(ag, b.ptr, params.ptr, o);
	s75_buf_release(&params);
	json_t *root = json_object(), *jpools = json_array();
	json_object_set_new(root, "year", json_string(fys));
	json_object_set_new(root, "quarter", json_integer(q));
	if (only >= 0)
		json_object_set_new(root, "pool", json_string(ag->arrangements[only].id));
	{
		s75_rperiod kq = s75_rperiod_quarter(fy, q);
		/* the summary; the budget revisions in force, if any (the year's, for every pool) */
		if ((rc = summary_section(d, root, db, ag, proj, only, end, start, &kq, false)) ||
		    (rc = report_revisions_in_force(d, root, db, ag, end))) {
			s75_settlement_free(proj);
			s75_buf_release(&b);
			s75_doc_free(d);
			json_decref(root);
			json_decref(jpools);
			return rc;
		}
	}
	bool first = true;
	for (size_t i = 0; i < proj->npools; i++) {
		const s75_settle_pool *p = &proj->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		if (only >= 0 && p->pool != only)
			continue;
		pool_figures f;
		memset(&f, 0, sizeof(f));
		f.spent = calloc(ag->npartners + 1, sizeof(int64_t));
		f.transferred = calloc(ag->npartners + 1, sizeof(int64_t));
		if ((rc = s75_monitoring_build(&f.now, db, ag, end, S75_LEVEL_ELEMENT)) ||
		    (start.p > 0 && (rc = s75_monitoring_build(&f.before, db, ag, start, S75_LEVEL_ELEMENT))) ||
		    (rc = s75_ledger_partner_totals(db, ag, end, p->pool, f.spent, f.transferred))) {
			release(&f);
			break;
		}
		json_t *jp = json_object(), *jc = json_array(), *je = json_array(), *jr = json_array();
		json_object_set_new(jp, "id", json_string(a->id));
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s (%s)", a->name, a->id);
		s75_doc_section(d, b.ptr, a->id);
		s75_doc_table(d, contributions_table(ag, p, &f, q, jc));
		s75_doc_table(d, elements_table(ag, p->pool, &f, je));
		if (first) {
			first = false;
			for (size_t k = 0; k < f.now->nwarnings; k++)
				s75_doc_warning(d, f.now->warnings[k]);
			json_object_set_new(root, "warnings",
					    report_warnings_json(f.now->warnings, f.now->nwarnings));
		}
		s75_table *ct = s75_monitoring_commentary(f.now, ag, p->pool);
		if (ct)
			s75_doc_table(d, ct);
		json_t *jcom = json_array();
		for (size_t k = 0; k < f.now->ncost_centres; k++) {
			const s75_monitor_row *r = &f.now->cost_centres[k];
			if (r->pool != p->pool || (!r->note && !r->flags))
				continue;
			json_t *jo = json_object();
			json_object_set_new(jo, "cost_centre",
					    json_string(ag->cost_centres[r->cost_centre].code));
			amounts_json(jo, "forecast", r->forecast);
			report_monitor_row_json(jo, r);
			json_array_append_new(jcom, jo);
		}
		json_object_set_new(jp, "commentary", jcom);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Forecast outturn and projected risk share at %s", per);
		s75_doc_table(d, riskshare_table(ag, p, b.ptr, jr));
		s75_buf_reset(&b);
		{
			int64_t v[3] = {p->variance < 0 ? -p->variance : p->variance, p->budget, p->reserve};
			s75_buf_printf(&b, "Forecast %s {} against net contributions of {}",
				       p->variance >= 0 ? "overspend" : "underspend");
			if (p->reserve)
				s75_buf_puts(&b, "; to be carried forward {}");
			s75_doc_para_amounts(d, b.ptr, v, 3);
		}
		json_t *jv = json_array(), *jk = json_array();
		s75_table *vt = variations_table(ag, p->pool, s75_period_start(s75_period_add(end, -2)),
						 s75_period_end(end), jv);
		if (vt->nrows)
			s75_doc_table(d, vt);
		else {
			s75_table_free(vt);
			s75_doc_para(d, "No variations agreed in the quarter.");
		}
		json_object_set_new(jp, "variations", jv);
		s75_table *kt = NULL;
		if (kpi_table(db, ag, p->pool, fy, q, &kt, jk, d, json_object_get(root, "warnings"))) {
			json_decref(jk);
			release(&f);
			json_decref(jc);
			json_decref(je);
			json_decref(jr);
			json_decref(jp);
			rc = S75_ERROR;
			break;
		}
		if (kt)
			s75_doc_table(d, kt);
		json_object_set_new(jp, "kpis", jk);
		if ((rc = report_chart_elements(d, db, ag, p->pool, end)) ||
		    (rc = report_chart_cumulative(d, db, ag, p->pool, end))) {
			release(&f);
			json_decref(jc);
			json_decref(je);
			json_decref(jr);
			json_decref(jp);
			break;
		}
		report_chart_waterfalls(d, ag, p);
		json_object_set_new(jp, "contributions", jc);
		json_object_set_new(jp, "elements", je);
		amounts_json(jp, "budget", p->budget);
		amounts_json(jp, "forecast_outturn", p->outturn);
		amounts_json(jp, "forecast_variance", p->variance);
		amounts_json(jp, "reserve", p->reserve);
		json_object_set_new(jp, "risk_share", jr);
		json_array_append_new(jpools, jp);
		release(&f);
	}
	json_object_set_new(root, "pools", jpools);
	s75_settlement_free(proj);
	s75_buf_release(&b);
	if (!rc)
		rc = report_savings_section(d, root, db, ag, end, only, true);
	if (rc) {
		s75_doc_free(d);
		json_decref(root);
		return rc;
	}
	s75_doc_json(d, root);
	*out = d;
	return 0;
}

/* The batches the report rests on: file, sha256, rows and control totals. */
static s75_table *batches_table(s75_db *db, json_t *jarr, int *rc)
{
	s75_batch *b;
	size_t n;
	s75_table *t = s75_table_new("Import batches this return rests on");
	s75_table_column(t, "Batch", S75_CELL_INT);
	s75_table_column(t, "Kind", S75_CELL_TEXT);
	s75_table_column(t, "File", S75_CELL_TEXT);
	s75_table_column(t, "sha256", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Row kind", S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	if ((*rc = s75_batches_list(&b, &n, db, false)))
		return t;
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *tot = json_array();
		json_object_set_new(o, "id", json_integer(b[i].id));
		json_object_set_new(o, "kind", json_string(b[i].kind));
		json_object_set_new(o, "file", json_string(b[i].file));
		json_object_set_new(o, "sha256", json_string(b[i].sha256));
		json_object_set_new(o, "rows", json_integer(b[i].rows_imported));
		for (size_t k = 0; k < (b[i].ntotals ? b[i].ntotals : 1); k++) {
			s75_table_row(t, 0);
			s75_table_int(t, b[i].id);
			s75_table_text(t, b[i].kind);
			s75_table_text(t, b[i].file);
			s75_table_text(t, b[i].sha256);
			s75_table_int(t, b[i].rows_imported);
			if (!b[i].ntotals)
				continue;
			s75_table_text(t, b[i].totals[k].partner);
			s75_table_text(t, s75_txn_kind_name(b[i].totals[k].kind));
			s75_table_money(t, b[i].totals[k].amount);
			json_t *x = json_object();
			json_object_set_new(x, "partner", json_string(b[i].totals[k].partner));
			json_object_set_new(x, "kind", json_string(s75_txn_kind_name(b[i].totals[k].kind)));
			json_object_set_new(x, "rows", json_integer(b[i].totals[k].rows));
			json_object_set_new(x, "amount", json_integer(b[i].totals[k].amount));
			json_array_append_new(tot, x);
		}
		json_object_set_new(o, "totals", tot);
		json_array_append_new(jarr, o);
	}
	s75_batches_free(b, n);
	return t;
}

int s75_report_annual_return(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
			     bool direct, bool net, const s75_report_options *ro)
{
	s75_settlement *s = NULL;
	s75_monitoring *m = NULL;
	s75_buf b = S75_BUF_INIT;
	int rc = 0;
	*out = NULL;
	int only = s75_report_pool_index(ag, ro);
	if (only < -1)
		return only;
	if (only >= 0 && net)
		return s75_error_set(S75_EINVALID, "--net nets the balances across every pool: "
						   "it cannot be used with --pool");
	s75_settle_options so;
	memset(&so, 0, sizeof(so));
	so.direct = direct;
	so.net = net;
	s75_period p12 = {fy, 12};
	if ((rc = s75_settle(&s, db, ag, fy, &so)) ||
	    (rc = s75_monitoring_build(&m, db, ag, p12, S75_LEVEL_ELEMENT))) {
		s75_settlement_free(s);
		return rc;
	}
	const s75_year *y = s75_agreement_find_year(ag, fy);
	char fys[8];
	s75_fy_format(fys, fy);
	s75_buf_printf(&b, "Annual return of the pooled fund %s", fys);
	if (only >= 0)
		s75_buf_printf(&b, " — %s", ag->arrangements[only].name);
	s75_doc *d = s75_report_doc_new(ag, b.ptr, fys, ro);
	json_t *root = json_object(), *jpools = json_array();
	json_object_set_new(root, "year", json_string(fys));
	if (only >= 0)
		json_object_set_new(root, "pool", json_string(ag->arrangements[only].id));
	for (size_t i = 0; i < s->nwarnings; i++)
		s75_doc_warning(d, s->warnings[i]);
	json_object_set_new(root, "warnings", report_warnings_json(s->warnings, s->nwarnings));
	{
		/* the outturn against the forecast at the third quarter's end */
		s75_rperiod kq = s75_rperiod_year(fy);
		s75_period p9 = {fy, 9};
		if ((rc = summary_section(d, root, db, ag, s, only, p12, p9, &kq, true))) {
			s75_settlement_free(s);
			s75_monitoring_free(m);
			s75_buf_release(&b);
			s75_doc_free(d);
			json_decref(root);
			json_decref(jpools);
			return rc;
		}
	}
	for (size_t i = 0; i < s->npools; i++) {
		const s75_settle_pool *p = &s->pools[i];
		const s75_arrangement *a = &ag->arrangements[p->pool];
		if (only >= 0 && p->pool != only)
			continue;
		json_t *jp = json_object(), *jin = json_array(), *jel = json_array(), *jr = json_array();
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s (%s)", a->name, a->id);
		s75_doc_section(d, b.ptr, a->id);
		/* the memorandum account */
		s75_table *t = s75_table_new("Memorandum account");
		s75_table_column(t, "", S75_CELL_TEXT);
		s75_table_column(t, "Amount", S75_CELL_MONEY);
		int64_t grants = 0, income = 0, exp = 0;
		s75_contribution *in_force = NULL;
		size_t nin = 0;
		if (s75_year_contributions_at(&in_force, &nin, ag, y, s75_fy_end(fy)) == 0)
			for (size_t k = 0; k < nin; k++)
				if (in_force[k].pool == p->pool)
					grants += in_force[k].grants;
		free(in_force);
		for (size_t k = 0; k < ag->npartners; k++) {
			if (!p->partners[k].involved)
				continue;
			s75_buf_reset(&b);
			s75_buf_printf(&b, "Contribution: %s", ag->partners[k].name);
			s75_table_row(t, 0);
			s75_table_text(t, b.ptr);
			s75_table_money(t, p->partners[k].contribution);
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(ag->partners[k].id));
			amounts_json(o, "contribution", p->partners[k].contribution);
			json_array_append_new(jin, o);
		}
		for (size_t k = 0; k < m->nrows; k++)
			if (m->rows[k].pool == p->pool) {
				income += m->rows[k].income_to_date;
				exp += m->rows[k].expenditure_to_date;
			}
		s75_table_row(t, 0);
		s75_table_text(t, "Other income (service-user contributions and other income received)");
		s75_table_money(t, income);
		s75_table_row(t, S75_ROW_TOTAL);
		s75_table_text(t, "Total income of the pool");
		s75_table_money(t, p->budget + income);
		for (size_t k = 0; k < m->nrows; k++) {
			const s75_monitor_row *r = &m->rows[k];
			if (r->pool != p->pool)
				continue;
			s75_buf_reset(&b);
			s75_buf_printf(&b, "Expenditure: %s", a->elements[r->element].name);
			s75_table_row(t, 0);
			s75_table_text(t, b.ptr);
			s75_table_money(t, -r->expenditure_to_date);
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(a->elements[r->element].id));
			amounts_json(o, "expenditure", r->expenditure_to_date);
			amounts_json(o, "income", r->income_to_date);
			json_array_append_new(jel, o);
		}
		s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
		s75_table_text(t, "Surplus (deficit) for the year");
		s75_table_money(t, p->budget + income - exp);
		s75_doc_table(d, t);
		if (grants) {
			s75_doc_para_amounts(d, "Grant funding in the schedule (netted off the partners' gross "
					     "contributions): {}", &grants, 1);
		}
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Allocation of the %s under the risk share",
			       p->variance > 0 ? "deficit" : "surplus");
		s75_doc_table(d, riskshare_table(ag, p, b.ptr, jr));
		if ((rc = report_chart_elements(d, db, ag, p->pool, p12))) {
			json_decref(jin);
			json_decref(jel);
			json_decref(jr);
			json_decref(jp);
			break;
		}
		report_chart_waterfalls(d, ag, p);
		if (p->reserve) {
			s75_doc_para_amounts(d, "Reserve carried forward, held by the host partner: {}",
					     &p->reserve, 1);

		}
		const s75_rs_rule *rule = s75_year_risk_share_at(ag, y, p->pool, s75_fy_end(fy));
		if (rule && (rule->has_reserve || rule->has_uncommitted)) {
			/* the risk reserve's movements (the overspend waterfall, docs/risk-share.md) */
			int64_t opening = rule->has_reserve ? rule->reserve : 0;
			int64_t drawn = p->rs->reserve_drawn, used = p->rs->uncommitted_used;
			int64_t carried = p->reserve + drawn + used;
			json_t *jm = json_object();
			s75_table *rt = s75_table_new("Risk reserve held in the fund");
			s75_table_column(rt, "", S75_CELL_TEXT);
			s75_table_column(rt, "Amount", S75_CELL_MONEY);
			s75_table_row(rt, 0);
			s75_table_text(rt, "Risk reserve at the start of the year");
			s75_table_money(rt, opening);
			s75_table_row(rt, 0);
			s75_table_text(rt, "Drawn to meet the overspend");
			s75_table_money(rt, -drawn);
			s75_table_row(rt, 0);
			s75_table_text(rt, "Underspend carried forward");
			s75_table_money(rt, carried);
			s75_table_row(rt, S75_ROW_TOTAL);
			s75_table_text(rt, "Risk reserve at the year end");
			s75_table_money(rt, opening - drawn + carried);
			if (rule->has_uncommitted) {
				s75_table_row(rt, 0);
				s75_table_text(rt, "Uncommitted funds used to meet the overspend (memorandum)");
				s75_table_money(rt, used);
			}
			s75_doc_table(d, rt);
			amounts_json(jm, "opening", opening);
			amounts_json(jm, "drawn", drawn);
			amounts_json(jm, "carried_forward", carried);
			amounts_json(jm, "closing", opening - drawn + carried);
			amounts_json(jm, "uncommitted_used", used);
			/* the start of the year against the end of the last, where the workspace has it */
			int64_t prev = 0;
			bool known = false;
			if ((rc = s75_reserve_at_year_end(&prev, &known, db, ag, fy - 1, p->pool))) {
				json_decref(jm);
				json_decref(jin);
				json_decref(jel);
				json_decref(jr);
				json_decref(jp);
				break;
			}
			if (known) {
				char pys[8];
				s75_fy_format(pys, fy - 1);
				amounts_json(jm, "previous_year_end", prev);
				if (prev != opening) {
					s75_buf_reset(&b);
					s75_buf_printf(&b, "Warning: the agreement states a risk reserve of £");
					s75_money_format(&b, opening, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS);
					s75_buf_printf(&b, " at the start of %s, but %s's settlement left £", fys, pys);
					s75_money_format(&b, prev, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS);
					s75_buf_puts(&b, " in it (its stated reserve less what was drawn, plus the underspend carried forward); any difference should be an agreed top-up or release.");
					s75_doc_para(d, b.ptr);
					json_object_set_new(jm, "warning", json_string(b.ptr));
				}
			}
			json_object_set_new(jp, "reserve_movements", jm);
		}
		json_object_set_new(jp, "id", json_string(a->id));
		json_object_set_new(jp, "contributions", jin);
		amounts_json(jp, "other_income", income);
		amounts_json(jp, "grants", grants);
		json_object_set_new(jp, "expenditure", jel);
		amounts_json(jp, "surplus", p->budget + income - exp);
		amounts_json(jp, "outturn", p->outturn);
		amounts_json(jp, "reserve", p->reserve);
		json_object_set_new(jp, "risk_share", jr);
		json_array_append_new(jpools, jp);
	}
	json_object_set_new(root, "pools", jpools);
	if (rc) {
		s75_settlement_free(s);
		s75_monitoring_free(m);
		s75_buf_release(&b);
		s75_doc_free(d);
		json_decref(root);
		return rc;
	}
	/* the balancing payments; the provenance of the figures in an appendix, out of the body */
	s75_doc_section(d, "Balancing payments", "Payments");
	s75_doc_table(d, report_payments_table(ag, s, only));
	json_object_set_new(root, "payments", report_payments_json(ag, s, only));
	s75_doc_section(d, "Appendix: the provenance of the figures", "Provenance");
	s75_doc_para(d, "The agreement file the figures rest on, and the ledger imports (batches) they "
			"were computed from, each with its sha256.");
	char hex[65];
	report_sha256_hex(hex, ag);
	s75_buf_reset(&b);
	s75_buf_printf(&b, "Agreement file %s, sha256 %s", ag->path, hex);
	s75_doc_para(d, b.ptr);
	json_object_set_new(root, "agreement_sha256", json_string(hex));
	json_t *jb = json_array();
	s75_doc_table(d, batches_table(db, jb, &rc));
	json_object_set_new(root, "batches", jb);
	s75_settlement_free(s);
	s75_monitoring_free(m);
	s75_buf_release(&b);
	if (rc) {
		s75_doc_free(d);
		json_decref(root);
		return rc;
	}
	s75_doc_json(d, root);
	*out = d;
	return 0;
}
