/* The monthly monitoring report (s75 report monitoring) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/error.h"

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

static void amounts_json(json_t *o, const s75_monitor_row *r)
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
			     r->expenditure_to_date)
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

static void amounts_row(s75_table *t, const s75_monitor_row *r, bool pct)
{
	s75_table_money(t, r->budget);
	s75_table_money(t, r->budget_to_date);
	s75_table_money(t, r->actual_to_date);
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
	const char *cols[] = {"Budget", "Budget to date", "Actual to date", "Variance to date",
			      "Forecast", "Forecast variance", "Movement"};
	for (int i = 0; i < 7; i++) {
		if (i == 6 && title) { /* the page: the forecast variance as a % of the budget too */
			s75_table_column(t, "Variance %", S75_CELL_BP);
			s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
		}
		s75_table_column(t, cols[i], S75_CELL_MONEY);
		if (i == 3 || i >= 5) /* an overspend, or a forecast growing, is bad news */
			s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
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
		amounts_row(t, r, title != NULL);
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
			amounts_row(t, &sub, title != NULL);
			memset(&sub, 0, sizeof(sub));
		}
	}
	if (title) { /* CSV: data rows only, the totals are a sum */
		s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
		s75_table_text(t, "Total");
		label_gap(t, lvl, title);
		amounts_row(t, &m->totals, title != NULL);
	}
	return t;
}

/* Per pool: budget against forecast outturn by element; cumulative actual against the
 * profiled budget by month. */
static int monitoring_charts(s75_db *db, const s75_agreement *ag, s75_doc *d, s75_period per,
			     int pool)
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
		if (!(rc = report_chart_elements(d, db, ag, (int)a, per)))
			rc = report_chart_cumulative(d, db, ag, (int)a, per);
	}
	return rc;
}

static json_t *monitoring_json(const s75_agreement *ag, const s75_monitoring *m, const char *period,
			       const char *level)
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
		amounts_json(o, r);
		if (r->cost_centre >= 0) {
			json_object_set_new(o, "forecast_source",
					    json_string(r->forecast_imported ? "imported" : "default"));
			report_monitor_row_json(o, r);
		}
		json_array_append_new(rows, o);
	}
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "warnings", report_warnings_json(m->warnings, m->nwarnings));
	amounts_json(tot, &m->totals);
	json_object_set_new(root, "totals", tot);
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
		s75_table *t = monitoring_table(ag, m, lvl, "Budget, actual and forecast outturn");
		if (!t) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return S75_EOVERFLOW;
		}
		s75_doc_table(d, t);
		s75_table *ct = s75_monitoring_commentary(m, ag, -1);
		if (ct)
			s75_doc_table(d, ct);
		if ((rc = monitoring_charts(db, ag, d, per, pool))) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
	}
	if (form == S75_FORM_ALL || form == S75_FORM_JSON)
	{
		json_t *j = monitoring_json(ag, m, pbuf, levels[lvl]);
		if (pool >= 0)
			json_object_set_new(j, "pool", json_string(ag->arrangements[pool].id));
		s75_doc_json(d, j);
	}
	if (form == S75_FORM_ALL || form == S75_FORM_CSV)
		s75_doc_csv(d, monitoring_table(ag, m, lvl, NULL));
	s75_monitoring_free(m);
	*out = d;
	return 0;
}
