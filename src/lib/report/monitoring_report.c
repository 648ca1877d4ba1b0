/* The monthly monitoring report (s75 report monitoring) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

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
		s75_table_column(t, cols[i], S75_CELL_MONEY);
		if (i == 3 || i >= 5) /* an overspend, or a forecast growing, is bad news */
			s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	}
	for (size_t i = 0; i <= m->nrows; i++) {
		const s75_monitor_row *r = i < m->nrows ? &m->rows[i] : &m->totals;
		if (i == m->nrows && !title)
			break; /* CSV: data rows only, the totals are a sum */
		s75_table_row(t, i == m->nrows ? S75_ROW_TOTAL | S75_ROW_STRONG : 0);
		const char *(*label)(const s75_agreement *, const s75_monitor_row *, int) =
			title ? row_name : row_label;
		s75_table_text(t, i == m->nrows ? "Total" : label(ag, r, 0));
		if (lvl != S75_LEVEL_POOL)
			s75_table_text(t, label(ag, r, 1));
		if (lvl == S75_LEVEL_COST_CENTRE)
			s75_table_text(t, label(ag, r, 2));
		if (lvl == S75_LEVEL_COST_CENTRE && title)
			s75_table_text(t, row_label(ag, r, 2));
		s75_table_money(t, r->budget);
		s75_table_money(t, r->budget_to_date);
		s75_table_money(t, r->actual_to_date);
		s75_table_money(t, r->variance_to_date);
		s75_table_money(t, r->forecast);
		s75_table_money(t, r->forecast_variance);
		s75_table_money(t, r->movement);
	}
	return t;
}

/* Per pool: budget against forecast outturn by element; cumulative actual against the
 * profiled budget by month. */
static int monitoring_charts(s75_db *db, const s75_agreement *ag, s75_doc *d, s75_period per)
{
	int rc = 0;
	for (size_t a = 0; a < ag->narrangements && !rc; a++) {
		const s75_arrangement *arr = &ag->arrangements[a];
		if (arr->kind != S75_ARR_POOLED_FUND)
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
		if (r->cost_centre >= 0)
			json_object_set_new(o, "forecast_source",
					    json_string(r->forecast_imported ? "imported" : "default"));
		json_array_append_new(rows, o);
	}
	json_object_set_new(root, "rows", rows);
	amounts_json(tot, &m->totals);
	json_object_set_new(root, "totals", tot);
	return root;
}

int s75_report_monitoring(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period per,
			  s75_level lvl, const s75_report_options *o)
{
	static const char *const levels[] = {"pool", "element", "cost-centre"};
	s75_monitoring *m;
	int rc;
	*out = NULL;
	if ((rc = s75_monitoring_build(&m, db, ag, per, lvl)))
		return rc;
	char pbuf[16];
	s75_period_format(pbuf, per);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Monitoring %s", pbuf);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, pbuf, o);
	s75_buf_release(&title);
	s75_report_form form = o ? o->form : S75_FORM_ALL;
	if (form == S75_FORM_ALL || form == S75_FORM_DOC) {
		s75_doc_table(d, monitoring_table(ag, m, lvl, "Budget, actual and forecast outturn"));
		if ((rc = monitoring_charts(db, ag, d, per))) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
	}
	if (form == S75_FORM_ALL || form == S75_FORM_JSON)
		s75_doc_json(d, monitoring_json(ag, m, pbuf, levels[lvl]));
	if (form == S75_FORM_ALL || form == S75_FORM_CSV)
		s75_doc_csv(d, monitoring_table(ag, m, lvl, NULL));
	s75_monitoring_free(m);
	*out = d;
	return 0;
}
