/* The monthly monitoring report (s75 report monitoring) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/budgets.h"
#include "s75/error.h"
#include "s75/variation.h"
#include "xalloc.h"

static const char *row_label(const s75_agreement *ag, const s75_monitor_row *r, int which)
{
	if (which == 0)
		return r->pool >= 0 ? ag->arrangements[r->pool].id : "";
	if (which == 1)
		return r->element >= 0 ? ag->arrangements[r->pool].elements[r->element].id : "";
	return r->cost_centre >= 0 ? ag->cost_centres[r->cost_centre].code : "";
}

/* For a reader: the pool's and element's names (the ids stay in CSV and JSON). */
static const char *row_name(const s75_agreement *ag, const s75_monitor_row *r, int which)
{
	if (which == 0)
		return r->pool >= 0 ? ag->arrangements[r->pool].name : "";
	if (which == 1)
		return r->element >= 0 ? ag->arrangements[r->pool].elements[r->element].name : "";
	return r->cost_centre >= 0 && ag->cost_centres[r->cost_centre].name
		       ? ag->cost_centres[r->cost_centre].name
		       : row_label(ag, r, 2);
}

/* With budget revisions in force (`rev`), the original budget beside the revised one and the
 * forecast's variance against it; without, the shapes as they always were. */
static void amounts_json(json_t *o, const s75_monitor_row *r, bool rev, bool com)
{
	json_object_set_new(o, "budget", json_integer(r->budget));
	json_object_set_new(o, "budget_to_date", json_integer(r->budget_to_date));
	json_object_set_new(o, "actual_to_date", json_integer(r->actual_to_date));
	json_object_set_new(o, "variance_to_date", json_integer(r->variance_to_date));
	json_object_set_new(o, "forecast", json_integer(r->forecast));
	json_object_set_new(o, "forecast_variance", json_integer(r->forecast_variance));
	json_object_set_new(o, "movement", json_integer(r->movement));
	json_object_set_new(o, "expenditure_to_date", json_integer(r->expenditure_to_date));
	json_object_set_new(o, "income_to_date", json_integer(r->income_to_date));
	if (com) { /* commitments imported: committed beside actual */
		json_object_set_new(o, "committed", json_integer(r->committed));
		json_object_set_new(o, "available", json_integer(r->available));
	}
	if (rev) {
		int64_t v;
		json_object_set_new(o, "original_budget", json_integer(r->original_budget));
		json_object_set_new(o, "variance_against_original",
				    s75_money_sub(&v, r->forecast, r->original_budget) ? json_null()
										      : json_integer(v));
	}
}

/* acc += r, amounts only; 0 or S75_EOVERFLOW */
static int add_amounts(s75_monitor_row *acc, const s75_monitor_row *r)
{
	return s75_money_add(&acc->budget, acc->budget, r->budget) ||
	       s75_money_add(&acc->budget_to_date, acc->budget_to_date, r->budget_to_date) ||
	       s75_money_add(&acc->actual_to_date, acc->actual_to_date, r->actual_to_date) ||
	       s75_money_add(&acc->variance_to_date, acc->variance_to_date, r->variance_to_date) ||
	       s75_money_add(&acc->forecast, acc->forecast, r->forecast) ||
	       s75_money_add(&acc->forecast_variance, acc->forecast_variance, r->forecast_variance) ||
	       s75_money_add(&acc->movement, acc->movement, r->movement) ||
	       s75_money_add(&acc->income_to_date, acc->income_to_date, r->income_to_date) ||
	       s75_money_add(&acc->expenditure_to_date, acc->expenditure_to_date,
			     r->expenditure_to_date) ||
	       s75_money_add(&acc->original_budget, acc->original_budget, r->original_budget) ||
	       s75_money_add(&acc->committed, acc->committed, r->committed) ||
	       s75_money_add(&acc->available, acc->available, r->available)
		       ? S75_EOVERFLOW
		       : 0;
}

/* Keeps the rows of pool `pool` alone, their sum the totals. */
static int monitoring_keep_pool(s75_monitoring *m, int pool)
{
	size_t k = 0;
	memset(&m->totals, 0, sizeof(m->totals));
	m->totals.pool = m->totals.element = m->totals.cost_centre = -1;
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i].pool == pool) {
			m->rows[k++] = m->rows[i];
			if (add_amounts(&m->totals, &m->rows[i]))
				return S75_EOVERFLOW;
		}
	m->nrows = k;
	return 0;
}

/* The forecast variance as a percentage of the budget, in basis points rounded half away
 * from zero; false when there is no budget to measure it against. */
static bool variance_bp(int64_t *out, const s75_monitor_row *r)
{
	if (r->budget <= 0)
		return false;
	__extension__ __int128 num = (__int128)r->forecast_variance * 10000 * 2;
	__extension__ __int128 q = (num + (num < 0 ? -(__int128)r->budget : (__int128)r->budget)) /
				   (2 * (__int128)r->budget);
	if (q > INT64_MAX || q < -INT64_MAX)
		return false;
	*out = (int64_t)q;
	return true;
}

/* The RAG of a row against the agreement's tolerance. */
static s75_rag row_rag(const s75_agreement *ag, const s75_monitor_row *r)
{
	return s75_monitor_rag(r->forecast_variance, r->budget, ag->forecast_tolerance_bp);
}

static void amounts_row(s75_table *t, const s75_monitor_row *r, bool pct, bool rev, bool com)
{
	if (rev)
		s75_table_money(t, r->original_budget);
	s75_table_money(t, r->budget);
	s75_table_money(t, r->budget_to_date);
	s75_table_money(t, r->actual_to_date);
	if (com) {
		s75_table_money(t, r->committed);
		s75_table_money(t, r->available);
	}
	s75_table_money(t, r->variance_to_date);
	s75_table_money(t, r->forecast);
	s75_table_money(t, r->forecast_variance);
	if (pct) {
		int64_t bp;
		if (variance_bp(&bp, r))
			s75_table_bp(t, bp);
		else
			s75_table_empty(t);
	}
	s75_table_money(t, r->movement);
	if (rev) {
		int64_t v;
		if (s75_money_sub(&v, r->forecast, r->original_budget))
			s75_table_empty(t);
		else
			s75_table_money(t, v);
	}
}

/* The label cells after the first, empty on a total row. */
static void label_gap(s75_table *t, s75_level lvl, const char *title)
{
	size_t n = (lvl != S75_LEVEL_POOL) + (lvl == S75_LEVEL_COST_CENTRE) * (title ? 2 : 1);
	while (n--)
		s75_table_empty(t);
}

/* The table; `title` NULL for CSV (ids, data rows only). In the document, below the pool
 * level, each pool's rows are closed by its subtotal. NULL when a subtotal overflows. */
static s75_table *monitoring_table(const s75_agreement *ag, const s75_monitoring *m, s75_level lvl,
				   const char *title)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	if (lvl != S75_LEVEL_POOL)
		s75_table_column(t, "Element", S75_CELL_TEXT);
	if (lvl == S75_LEVEL_COST_CENTRE)
		s75_table_column(t, "Cost centre", S75_CELL_TEXT);
	if (lvl == S75_LEVEL_COST_CENTRE && title)
		s75_table_column(t, "Code", S75_CELL_TEXT); /* to match the ledger and the agreement */
	bool rev = m->nrevisions > 0; /* the original budget beside the revised one */
	bool com = m->any_committed;
	const char *cols[] = {rev ? "Revised budget" : "Budget", "Budget to date", "Actual to date",
			      "Variance to date", "Forecast", "Forecast variance", "Movement"};
	if (rev)
		s75_table_column(t, "Original budget", S75_CELL_MONEY);
	for (int i = 0; i < 7; i++) {
		if (i == 6 && title) { /* the page: the forecast variance as a % of the budget too */
			s75_table_column(t, "Variance %", S75_CELL_BP);
			s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
		}
		s75_table_column(t, cols[i], S75_CELL_MONEY);
		if (i == 3 || i >= 5) /* an overspend, or a forecast growing, is bad news */
			s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
		if (i == 2 && com) { /* committed vs actual, where commitments are imported */
			s75_table_column(t, "Committed", S75_CELL_MONEY);
			s75_table_column(t, "Available", S75_CELL_MONEY);
		}
	}
	if (rev) {
		s75_table_column(t, "Forecast v original", S75_CELL_MONEY);
		s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	}
	if (title) { /* the forecast against the agreement's tolerance */
		s75_table_column(t, "RAG", S75_CELL_TEXT);
		s75_table_column_flags(t, S75_COL_RAG);
	}
	const char *(*label)(const s75_agreement *, const s75_monitor_row *, int) =
		title ? row_name : row_label;
	bool subtotals = title && lvl != S75_LEVEL_POOL;
	size_t npools = 0;
	for (size_t i = 0; i < m->nrows; i++)
		npools += i == 0 || m->rows[i].pool != m->rows[i - 1].pool;
	s75_monitor_row sub;
	memset(&sub, 0, sizeof(sub));
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		s75_table_row(t, 0);
		s75_table_text(t, label(ag, r, 0));
		if (lvl != S75_LEVEL_POOL)
			s75_table_text(t, label(ag, r, 1));
		if (lvl == S75_LEVEL_COST_CENTRE)
			s75_table_text(t, label(ag, r, 2));
		if (lvl == S75_LEVEL_COST_CENTRE && title)
			s75_table_text(t, row_label(ag, r, 2));
		amounts_row(t, r, title != NULL, rev, com);
		if (title)
			s75_table_text(t, s75_rag_name(row_rag(ag, r)));
		if (!subtotals || npools < 2)
			continue;
		if (add_amounts(&sub, r)) {
			s75_table_free(t);
			s75_error_set(S75_EOVERFLOW, "a pool's subtotal is beyond the range of amounts");
			return NULL;
		}
		if (i + 1 == m->nrows || m->rows[i + 1].pool != r->pool) {
			s75_buf b = S75_BUF_INIT;
			s75_buf_printf(&b, "Subtotal: %s", label(ag, r, 0));
			s75_table_row(t, S75_ROW_TOTAL | S75_ROW_SUBTOTAL);
			s75_table_text(t, b.ptr);
			s75_buf_release(&b);
			label_gap(t, lvl, title);
			amounts_row(t, &sub, title != NULL, rev, com);
			s75_table_text(t, s75_rag_name(row_rag(ag, &sub)));
			memset(&sub, 0, sizeof(sub));
		}
	}
	if (title) { /* CSV: data rows only, the totals are a sum */
		s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
		s75_table_text(t, "Total");
		label_gap(t, lvl, title);
		amounts_row(t, &m->totals, title != NULL, rev, com);
		s75_table_text(t, s75_rag_name(row_rag(ag, &m->totals)));
	}
	return t;
}

/* One element's figures on one partner's side of a pool: the sum of its cost centres. */
typedef struct side_row {
	int element, partner;
	s75_monitor_row sum;
} side_row;

/* The sides of pool `pool`, element by element (agreement order), partner by partner
 * (agreement order): the cost-centre rows summed. *out NULL when the pool has none.
 * 0 or S75_EOVERFLOW. */
static int pool_sides(side_row **out, size_t *n, const s75_agreement *ag, const s75_monitoring *m,
		      int pool)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	side_row *v = NULL;
	size_t k = 0;
	*out = NULL;
	*n = 0;
	for (size_t e = 0; e < a->nelements; e++)
		for (size_t p = 0; p < ag->npartners; p++) {
			bool any = false;
			s75_monitor_row sum;
			memset(&sum, 0, sizeof(sum));
			for (size_t i = 0; i < m->ncost_centres; i++) {
				const s75_monitor_row *r = &m->cost_centres[i];
				if (r->pool != pool || r->element != (int)e ||
				    ag->cost_centres[r->cost_centre].partner != (int)p)
					continue;
				any = true;
				if (add_amounts(&sum, r)) {
					free(v);
					return S75_EOVERFLOW;
				}
			}
			if (!any)
				continue;
			v = xreallocarray(v, k + 1, sizeof(*v));
			v[k].element = (int)e;
			v[k].partner = (int)p;
			v[k].sum = sum;
			v[k].sum.pool = pool;
			v[k].sum.element = (int)e;
			v[k].sum.cost_centre = -1;
			k++;
		}
	*out = v;
	*n = k;
	return 0;
}

/* The page's figures for one side or one element: budget, actual to date, forecast outturn,
 * forecast variance (£ and %), movement, RAG. */
static void side_cells(s75_table *t, const s75_agreement *ag, const s75_monitor_row *r)
{
	int64_t bp;
	s75_table_money(t, r->budget);
	s75_table_money(t, r->actual_to_date);
	s75_table_money(t, r->forecast);
	s75_table_money(t, r->forecast_variance);
	if (variance_bp(&bp, r))
		s75_table_bp(t, bp);
	else
		s75_table_empty(t);
	s75_table_money(t, r->movement);
	s75_table_text(t, s75_rag_name(row_rag(ag, r)));
}

/* The council and NHS sides of a pool: per element a row per partner, the element's
 * subtotal, then the pool's total. NULL when the pool has no cost centres; *rc set on an
 * overflow. */
static s75_table *sides_table(const s75_agreement *ag, const side_row *v, size_t n, int pool,
			      int *rc)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	*rc = 0;
	if (!n)
		return NULL;
	s75_table *t = s75_table_new("Each partner's side, by element");
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Budget", S75_CELL_MONEY);
	s75_table_column(t, "Actual to date", S75_CELL_MONEY);
	s75_table_column(t, "Forecast outturn", S75_CELL_MONEY);
	s75_table_column(t, "Forecast variance", S75_CELL_MONEY);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(t, "Variance %", S75_CELL_BP);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(t, "Movement", S75_CELL_MONEY);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	s75_table_column(t, "RAG", S75_CELL_TEXT);
	s75_table_column_flags(t, S75_COL_RAG);
	s75_monitor_row sub, tot;
	memset(&sub, 0, sizeof(sub));
	memset(&tot, 0, sizeof(tot));
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, a->elements[v[i].element].name);
		s75_table_text(t, ag->partners[v[i].partner].name);
		side_cells(t, ag, &v[i].sum);
		if (add_amounts(&sub, &v[i].sum) || add_amounts(&tot, &v[i].sum)) {
			*rc = s75_error_set(S75_EOVERFLOW, "a pool's total is beyond the range of amounts");
			break;
		}
		if (i + 1 == n || v[i + 1].element != v[i].element) {
			s75_buf_reset(&b);
			s75_buf_printf(&b, "Subtotal: %s", a->elements[v[i].element].name);
			s75_table_row(t, S75_ROW_TOTAL | S75_ROW_SUBTOTAL);
			s75_table_text(t, b.ptr);
			s75_table_empty(t);
			side_cells(t, ag, &sub);
			memset(&sub, 0, sizeof(sub));
		}
	}
	s75_buf_reset(&b);
	s75_buf_printf(&b, "Total: %s", a->name);
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, b.ptr);
	s75_table_empty(t);
	side_cells(t, ag, &tot);
	s75_buf_release(&b);
	if (*rc) {
		s75_table_free(t);
		return NULL;
	}
	return t;
}

/* Per element of a pool: the gross budget, income and grants and the net the agreement's
 * schedule states (in force at the period's end), beside the expenditure, income and net
 * to date. */
typedef struct gin_row {
	int64_t gross, income, grants, net;    /* the schedule's */
	int64_t expenditure, other_income, net_to_date; /* the ledger's, to date */
} gin_row;

/* Per element of `pool` (a->nelements rows): the schedule's gross, income, grants and net in
 * force at the period's end and the cost centres' expenditure, income and net to date.
 * *stated: the schedule states income or grants for the pool (else gross is net, and the
 * table says nothing more); *grants: it states grants. 0 or S75_EOVERFLOW. */
static int pool_gin(gin_row **out, bool *stated, bool *grants, const s75_agreement *ag,
		    const s75_monitoring *m, int pool, s75_period per)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	const s75_year *y = s75_agreement_find_year(ag, per.fy);
	s75_contribution *c = NULL;
	size_t nc = 0;
	int rc = 0;
	*out = NULL;
	*stated = *grants = false;
	if (!y || !a->nelements)
		return 0;
	if ((rc = s75_year_contributions_at(&c, &nc, ag, y, s75_period_end(per))))
		return rc;
	gin_row *g = xcalloc(a->nelements, sizeof(*g));
	for (size_t k = 0; k < nc && !rc; k++) {
		const s75_contribution *x = &c[k];
		if (x->pool != pool || x->element < 0 || (size_t)x->element >= a->nelements)
			continue;
		gin_row *r = &g[x->element];
		*stated |= x->income != 0 || x->grants != 0;
		*grants |= x->grants != 0;
		rc = s75_money_add(&r->gross, r->gross, x->gross) ||
		     s75_money_add(&r->income, r->income, x->income) ||
		     s75_money_add(&r->grants, r->grants, x->grants) ||
		     s75_money_add(&r->net, r->net, x->net);
	}
	for (size_t i = 0; i < m->ncost_centres && !rc; i++) {
		const s75_monitor_row *x = &m->cost_centres[i];
		if (x->pool != pool || x->element < 0 || (size_t)x->element >= a->nelements)
			continue;
		gin_row *r = &g[x->element];
		rc = s75_money_add(&r->expenditure, r->expenditure, x->expenditure_to_date) ||
		     s75_money_add(&r->other_income, r->other_income, x->income_to_date) ||
		     s75_money_add(&r->net_to_date, r->net_to_date, x->actual_to_date);
	}
	free(c);
	if (rc) {
		free(g);
		return s75_error_set(S75_EOVERFLOW, "a pool's total is beyond the range of amounts");
	}
	*out = g;
	return 0;
}

/* Gross, income and net by element: the schedule's beside the ledger's to date. */
static s75_table *gin_table(const s75_agreement *ag, const gin_row *g, bool grants, int pool,
			    int *rc)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	s75_table *t = s75_table_new("Gross, income and net by element");
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Gross budget", S75_CELL_MONEY);
	s75_table_column(t, "Income budget", S75_CELL_MONEY);
	if (grants)
		s75_table_column(t, "Grants", S75_CELL_MONEY);
	s75_table_column(t, "Net budget", S75_CELL_MONEY);
	s75_table_column(t, "Expenditure to date", S75_CELL_MONEY);
	s75_table_column(t, "Income to date", S75_CELL_MONEY);
	s75_table_column(t, "Net to date", S75_CELL_MONEY);
	gin_row tot;
	memset(&tot, 0, sizeof(tot));
	*rc = 0;
	for (size_t e = 0; e <= a->nelements; e++) {
		const gin_row *r = e < a->nelements ? &g[e] : &tot;
		if (e < a->nelements) {
			s75_table_row(t, 0);
			s75_table_text(t, a->elements[e].name);
			if (s75_money_add(&tot.gross, tot.gross, r->gross) ||
			    s75_money_add(&tot.income, tot.income, r->income) ||
			    s75_money_add(&tot.grants, tot.grants, r->grants) ||
			    s75_money_add(&tot.net, tot.net, r->net) ||
			    s75_money_add(&tot.expenditure, tot.expenditure, r->expenditure) ||
			    s75_money_add(&tot.other_income, tot.other_income, r->other_income) ||
			    s75_money_add(&tot.net_to_date, tot.net_to_date, r->net_to_date)) {
				*rc = S75_EOVERFLOW;
				s75_table_free(t);
				return NULL;
			}
		} else {
			s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
			s75_table_text(t, "Total");
		}
		s75_table_money(t, r->gross);
		s75_table_money(t, r->income);
		if (grants)
			s75_table_money(t, r->grants);
		s75_table_money(t, r->net);
		s75_table_money(t, r->expenditure);
		s75_table_money(t, r->other_income);
		s75_table_money(t, r->net_to_date);
	}
	return t;
}

/* Per pool, its page: each partner's side by element, the gross, income and net where the
 * schedule states income, the forecast commentary, then the charts of budget against
 * forecast outturn by element and of the cumulative actual against the profiled budget. */
static int monitoring_pools(s75_db *db, const s75_agreement *ag, const s75_monitoring *m,
			    s75_doc *d, s75_period per, int pool)
{
	int rc = 0;
	for (size_t a = 0; a < ag->narrangements && !rc; a++) {
		const s75_arrangement *arr = &ag->arrangements[a];
		if (arr->kind != S75_ARR_POOLED_FUND || (pool >= 0 && (int)a != pool))
			continue;
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%s (%s)", arr->name, arr->id);
		s75_doc_section(d, b.ptr, arr->id);
		s75_buf_release(&b);
		side_row *v;
		size_t n;
		if ((rc = pool_sides(&v, &n, ag, m, (int)a)))
			return s75_error_set(rc, "a pool's total is beyond the range of amounts");
		s75_table *st = sides_table(ag, v, n, (int)a, &rc);
		free(v);
		if (rc)
			return rc;
		if (st)
			s75_doc_table(d, st);
		gin_row *g;
		bool stated, grants;
		if ((rc = pool_gin(&g, &stated, &grants, ag, m, (int)a, per)))
			return rc;
		if (stated) {
			s75_table *gt = gin_table(ag, g, grants, (int)a, &rc);
			if (gt)
				s75_doc_table(d, gt);
		}
		free(g);
		if (rc)
			return s75_error_set(rc, "a pool's total is beyond the range of amounts");
		s75_table *ct = s75_monitoring_commentary(m, ag, (int)a);
		if (ct)
			s75_doc_table(d, ct);
		if (!(rc = report_chart_elements(d, db, ag, (int)a, per)))
			rc = report_chart_cumulative(d, db, ag, (int)a, per);
	}
	return rc;
}

/* The JSON of each pool's sides: pool, element, partner and the side's figures. */
static int sides_json(json_t *arr, const s75_agreement *ag, const s75_monitoring *m, int pool)
{
	for (size_t a = 0; a < ag->narrangements; a++) {
		if (ag->arrangements[a].kind != S75_ARR_POOLED_FUND || (pool >= 0 && (int)a != pool))
			continue;
		side_row *v;
		size_t n;
		if (pool_sides(&v, &n, ag, m, (int)a))
			return s75_error_set(S75_EOVERFLOW, "a pool's total is beyond the range of amounts");
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "pool", json_string(ag->arrangements[a].id));
			json_object_set_new(o, "element",
					    json_string(ag->arrangements[a].elements[v[i].element].id));
			json_object_set_new(o, "partner", json_string(ag->partners[v[i].partner].id));
			amounts_json(o, &v[i].sum, m->nrevisions > 0, m->any_committed);
			json_object_set_new(o, "rag", json_string(s75_rag_name(row_rag(ag, &v[i].sum))));
			json_array_append_new(arr, o);
		}
		free(v);
	}
	return 0;
}

/* NULL on an overflow (message set). */
static json_t *monitoring_json(const s75_agreement *ag, const s75_monitoring *m, const char *period,
			       const char *level, int pool)
{
	json_t *root = json_object(), *rows = json_array(), *tot = json_object();
	json_object_set_new(root, "period", json_string(period));
	json_object_set_new(root, "level", json_string(level));
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "pool", json_string(row_label(ag, r, 0)));
		json_object_set_new(o, "element", r->element >= 0 ? json_string(row_label(ag, r, 1)) : json_null());
		json_object_set_new(o, "cost_centre", r->cost_centre >= 0 ? json_string(row_label(ag, r, 2)) : json_null());
		amounts_json(o, r, m->nrevisions > 0, m->any_committed);
		json_object_set_new(o, "rag", json_string(s75_rag_name(row_rag(ag, r))));
		if (r->cost_centre >= 0) {
			json_object_set_new(o, "forecast_source",
					    json_string(r->forecast_imported ? "imported" : "default"));
			report_monitor_row_json(o, r);
		}
		json_array_append_new(rows, o);
	}
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "warnings", report_warnings_json(m->warnings, m->nwarnings));
	amounts_json(tot, &m->totals, m->nrevisions > 0, m->any_committed);
	json_object_set_new(tot, "rag", json_string(s75_rag_name(row_rag(ag, &m->totals))));
	json_object_set_new(root, "totals", tot);
	json_object_set_new(root, "forecast_tolerance_bp", json_integer(ag->forecast_tolerance_bp));
	json_object_set_new(root, "forecast_tolerance_stated", json_boolean(ag->has_forecast_tolerance));
	json_t *sides = json_array();
	if (sides_json(sides, ag, m, pool)) {
		json_decref(sides);
		json_decref(root);
		return NULL;
	}
	json_object_set_new(root, "sides", sides);
	return root;
}

s75_table *s75_monitoring_commentary(const s75_monitoring *m, const s75_agreement *ag, int pool)
{
	s75_table *t = NULL;
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < m->ncost_centres; i++) {
		const s75_monitor_row *r = &m->cost_centres[i];
		if ((pool >= 0 && r->pool != pool) || (!r->note && !r->flags))
			continue;
		if (!t) {
			t = s75_table_new("Forecast commentary");
			s75_table_column(t, "Cost centre", S75_CELL_TEXT);
			s75_table_column(t, "Element", S75_CELL_TEXT);
			s75_table_column(t, "Forecast", S75_CELL_MONEY);
			s75_table_column(t, "Basis", S75_CELL_TEXT);
			s75_table_column(t, "Commentary", S75_CELL_TEXT);
			s75_table_column(t, "Flags", S75_CELL_TEXT);
		}
		s75_table_row(t, 0);
		s75_table_text(t, ag->cost_centres[r->cost_centre].code);
		s75_table_text(t, ag->arrangements[r->pool].elements[r->element].name);
		s75_table_money(t, r->forecast);
		s75_buf_reset(&b);
		s75_monitor_row_basis(&b, r);
		s75_table_text(t, b.ptr);
		s75_table_text(t, r->note ? r->note : "");
		s75_buf_reset(&b);
		if (r->flags & S75_MON_BELOW_ACTUAL)
			s75_buf_puts(&b, "below actual to date");
		if (r->flags & S75_MON_NOT_YEAR_END)
			s75_buf_printf(&b, "%sno year-end forecast", b.len ? "; " : "");
		s75_table_text(t, b.ptr);
	}
	s75_buf_release(&b);
	return t;
}

int s75_report_monitoring(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period per,
			  s75_level lvl, const s75_report_options *o)
{
	static const char *const levels[] = {"pool", "element", "cost-centre"};
	s75_monitoring *m;
	int rc;
	*out = NULL;
	int pool = s75_report_pool_index(ag, o);
	if (pool < -1)
		return pool;
	if ((rc = s75_monitoring_build(&m, db, ag, per, lvl)))
		return rc;
	if (pool >= 0 && (rc = monitoring_keep_pool(m, pool))) {
		s75_monitoring_free(m);
		return s75_error_set(rc, "the pool's total is beyond the range of amounts");
	}
	char pbuf[16];
	s75_period_format(pbuf, per);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Monitoring %s", pbuf);
	if (pool >= 0)
		s75_buf_printf(&title, " — %s", ag->arrangements[pool].name);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, pbuf, o);
	s75_buf_release(&title);
	s75_report_form form = o ? o->form : S75_FORM_ALL;
	if (form == S75_FORM_ALL || form == S75_FORM_DOC) {
		for (size_t i = 0; i < m->nwarnings; i++)
			s75_doc_warning(d, m->warnings[i]);
		s75_buf rag = S75_BUF_INIT;
		report_rag_basis(&rag, ag);
		s75_doc_para(d, rag.ptr);
		s75_buf_release(&rag);
		s75_table *t = monitoring_table(ag, m, lvl, "Budget, actual and forecast outturn");
		if (!t) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return S75_EOVERFLOW;
		}
		s75_doc_table(d, t);
		if (m->nrevisions && (rc = report_revisions_in_force(d, NULL, db, ag, per))) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
		if ((rc = monitoring_pools(db, ag, m, d, per, pool)) ||
		    (rc = report_savings_section(d, NULL, db, ag, per, pool, true))) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
	}
	if (form == S75_FORM_ALL || form == S75_FORM_JSON)
	{
		json_t *j = monitoring_json(ag, m, pbuf, levels[lvl], pool);
		if (!j) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return S75_EOVERFLOW;
		}
		if (pool >= 0)
			json_object_set_new(j, "pool", json_string(ag->arrangements[pool].id));
		if ((m->nrevisions && (rc = report_revisions_in_force(NULL, j, db, ag, per))) ||
		    (rc = report_savings_section(d, j, db, ag, per, pool, false))) {
			json_decref(j);
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
		s75_doc_json(d, j);
	}
	if (form == S75_FORM_ALL || form == S75_FORM_CSV)
		s75_doc_csv(d, monitoring_table(ag, m, lvl, NULL));
	s75_monitoring_free(m);
	*out = d;
	return 0;
}
