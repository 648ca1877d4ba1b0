/* The documents the dashboard adds to the reports: the pools at a glance, one pool's
 * monitoring with its drill-down, a page of ledger rows, and the result of an import. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/error.h"
#include "s75/money.h"

s75_rag s75_forecast_rag(int64_t forecast_variance, int64_t budget)
{
	return s75_monitor_rag(forecast_variance, budget, S75_FORECAST_TOLERANCE_DEFAULT_BP);
}

/* The period asked for, or the latest the ledger has. 0, or S75_ENOTFOUND (empty ledger). */
static int period_or_latest(s75_period *per, s75_db *db, const s75_period *asked)
{
	if (asked) {
		*per = *asked;
		return 0;
	}
	return s75_ledger_latest_period(per, db);
}

static bool visible(const bool *pools, size_t i)
{
	return !pools || pools[i];
}

/* Whether the reader sees every pooled fund. */
static bool sees_all(const s75_agreement *ag, const bool *pools)
{
	for (size_t a = 0; a < ag->narrangements; a++)
		if (ag->arrangements[a].kind == S75_ARR_POOLED_FUND && !visible(pools, a))
			return false;
	return true;
}

/* The pools' forecast table (and, when `json` is not NULL, their JSON). */
static s75_table *glance_table(const s75_agreement *ag, const s75_monitoring *m,
			       const bool *pools, const char *title, json_t *json)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "Name", S75_CELL_TEXT);
	s75_table_column(t, "Budget", S75_CELL_MONEY);
	s75_table_column(t, "Forecast", S75_CELL_MONEY);
	s75_table_column(t, "Forecast variance", S75_CELL_MONEY);
	s75_table_column(t, "Variance %", S75_CELL_BP);
	s75_table_column(t, "RAG", S75_CELL_TEXT);
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		if (r->pool < 0 || !visible(pools, (size_t)r->pool))
			continue;
		const s75_arrangement *a = &ag->arrangements[r->pool];
		s75_rag rag = s75_monitor_rag(r->forecast_variance, r->budget, ag->forecast_tolerance_bp);
		/* basis points of the budget, rounded toward zero; 0 when there is no budget */
		int64_t bp = 0;
		if (r->budget > 0 && r->forecast_variance > INT64_MIN / 10000 &&
		    r->forecast_variance < INT64_MAX / 10000)
			bp = r->forecast_variance * 10000 / r->budget;
		s75_table_row(t, 0);
		s75_table_text(t, a->id);
		s75_table_text(t, a->name);
		s75_table_money(t, r->budget);
		s75_table_money(t, r->forecast);
		s75_table_money(t, r->forecast_variance);
		s75_table_bp(t, bp);
		s75_table_text(t, s75_rag_name(rag));
		if (json) {
			json_t *x = json_object();
			json_object_set_new(x, "pool", json_string(a->id));
			json_object_set_new(x, "budget", json_integer(r->budget));
			json_object_set_new(x, "forecast", json_integer(r->forecast));
			json_object_set_new(x, "forecast_variance", json_integer(r->forecast_variance));
			json_object_set_new(x, "rag", json_string(s75_rag_name(rag)));
			json_array_append_new(json, x);
		}
	}
	return t;
}

int s75_report_glance(s75_doc **out, s75_db *db, const s75_agreement *ag,
		      const s75_period *period, const bool *pools, const s75_report_options *o)
{
	s75_monitoring *m = NULL;
	s75_batch *b = NULL;
	size_t nb = 0;
	s75_period per;
	char ptext[16];
	int rc;
	*out = NULL;
	bool have = period_or_latest(&per, db, period) == 0;
	s75_error_clear();
	if (have && (rc = s75_monitoring_build(&m, db, ag, per, S75_LEVEL_POOL)))
		return rc;
	if ((rc = s75_batches_list(&b, &nb, db, false))) {
		s75_monitoring_free(m);
		return rc;
	}
	s75_doc *d = s75_report_doc_new(ag, "The pools at a glance",
					have ? s75_period_format(ptext, per) : NULL, o);
	json_t *jpools = json_array();
	if (!have)
		s75_doc_para(d, "Warning: no ledger has been imported yet: there are no figures.");
	/* the monitoring's warnings (stale forecasts, forecasts below the actual, missing
	 * inputs) name cost centres of any pool: shown only to a reader who sees every pool */
	bool all = sees_all(ag, pools);
	json_t *jwarn = json_array();
	for (size_t i = 0; have && all && i < m->nwarnings; i++) {
		s75_doc_warning(d, m->warnings[i]);
		json_array_append_new(jwarn, json_string(m->warnings[i]));
	}
	if (have) {
		s75_doc_table(d, glance_table(ag, m, pools, "Forecast outturn", jpools));
		/* CSV: the same rows */
		s75_doc_csv(d, glance_table(ag, m, pools, NULL, NULL));
	}

	/* the latest import of each partner taking part in a pool shown */
	s75_table *li = s75_table_new("Last import per partner");
	s75_table_column(li, "Partner", S75_CELL_TEXT);
	s75_table_column(li, "Batch", S75_CELL_INT);
	s75_table_column(li, "Kind", S75_CELL_TEXT);
	s75_table_column(li, "File", S75_CELL_TEXT);
	s75_table_column(li, "Imported at", S75_CELL_TEXT);
	json_t *jimports = json_array();
	for (size_t p = 0; p < ag->npartners; p++) {
		bool in = false;
		for (size_t a = 0; a < ag->narrangements && !in; a++)
			in = ag->arrangements[a].kind == S75_ARR_POOLED_FUND && visible(pools, a) &&
			     s75_agreement_partner_in_pool(ag, (int)p, (int)a);
		if (!in)
			continue;
		const s75_batch *last = NULL;
		for (size_t k = 0; k < nb; k++)
			for (size_t j = 0; j < b[k].ntotals; j++)
				if (!strcmp(b[k].totals[j].partner, ag->partners[p].id))
					last = &b[k];
		s75_table_row(li, 0);
		s75_table_text(li, ag->partners[p].name);
		if (last) {
			s75_table_int(li, last->id);
			s75_table_text(li, last->kind);
			s75_table_text(li, last->file);
			s75_table_text(li, last->imported_at);
		} else {
			s75_table_empty(li);
			s75_table_text(li, "");
			s75_table_text(li, "no import yet");
			s75_table_text(li, "");
		}
		json_t *x = json_object();
		json_object_set_new(x, "partner", json_string(ag->partners[p].id));
		json_object_set_new(x, "batch", last ? json_integer(last->id) : json_null());
		json_object_set_new(x, "imported_at", last ? json_string(last->imported_at) : json_null());
		json_array_append_new(jimports, x);
	}
	s75_doc_table(d, li);
	json_t *root = json_object();
	json_object_set_new(root, "period", have ? json_string(ptext) : json_null());
	json_object_set_new(root, "pools", jpools);
	json_object_set_new(root, "last_imports", jimports);
	json_object_set_new(root, "warnings", jwarn);
	s75_doc_json(d, root);
	s75_monitoring_free(m);
	s75_batches_free(b, nb);
	*out = d;
	return 0;
}

int s75_report_pool(s75_doc **out, s75_db *db, const s75_agreement *ag, int pool,
		    const s75_period *period, s75_level level, const bool *pools,
		    const s75_report_options *o)
{
	s75_monitoring *m = NULL;
	s75_period per;
	char ptext[16];
	int rc;
	*out = NULL;
	if (pool < 0 || (size_t)pool >= ag->narrangements)
		return s75_error_set(S75_ENOTFOUND, "no such pool");
	if (level == S75_LEVEL_POOL)
		level = S75_LEVEL_ELEMENT;
	const s75_arrangement *a = &ag->arrangements[pool];
	if ((rc = period_or_latest(&per, db, period)))
		return rc == S75_ENOTFOUND
			       ? s75_error_set(S75_ENOTFOUND, "no ledger has been imported yet")
			       : rc;
	if ((rc = s75_monitoring_build(&m, db, ag, per, level)))
		return rc;
	s75_buf title = S75_BUF_INIT, params = S75_BUF_INIT;
	s75_buf_printf(&title, "Monitoring: %s", a->name);
	s75_buf_printf(&params, "%s, by %s", s75_period_format(ptext, per),
		       level == S75_LEVEL_ELEMENT ? "element" : "cost centre");
	s75_doc *d = s75_report_doc_new(ag, title.ptr, params.ptr, o);
	s75_buf_release(&title);
	s75_buf_release(&params);
	/* the warnings about this pool; those about the agreement or several pools (they may
	 * name other pools' cost centres) to a reader who sees every pool */
	bool all = sees_all(ag, pools);
	json_t *jwarn = json_array();
	for (size_t i = 0; i < m->nwarnings; i++) {
		int about = m->warning_pools ? m->warning_pools[i] : -1;
		if (about == pool || (about < 0 && all)) {
			s75_doc_warning(d, m->warnings[i]);
			json_array_append_new(jwarn, json_string(m->warnings[i]));
		}
	}
	s75_doc_section(d, a->name, a->id);
	s75_table *t = s75_table_new(NULL), *csv = s75_table_new(NULL);
	s75_table *ts[2] = {t, csv};
	for (int k = 0; k < 2; k++) {
		s75_table_column(ts[k], "Element", S75_CELL_TEXT);
		if (level == S75_LEVEL_COST_CENTRE)
			s75_table_column(ts[k], "Cost centre", S75_CELL_TEXT);
		const char *cols[] = {"Budget", "Budget to date", "Actual to date", "Variance to date",
				      "Forecast", "Forecast variance", "Movement"};
		for (int i = 0; i < 7; i++) {
			s75_table_column(ts[k], cols[i], S75_CELL_MONEY);
			/* an overspend, or a forecast growing, is bad news (as in the papers) */
			if (i == 3 || i >= 5)
				s75_table_column_flags(ts[k], S75_COL_ADVERSE_POSITIVE);
		}
	}
	s75_monitor_row tot;
	memset(&tot, 0, sizeof(tot));
	json_t *rows = json_array();
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		if (r->pool != pool)
			continue;
		const int64_t v[7] = {r->budget, r->budget_to_date, r->actual_to_date,
				      r->variance_to_date, r->forecast, r->forecast_variance,
				      r->movement};
		int64_t *sum[7] = {&tot.budget, &tot.budget_to_date, &tot.actual_to_date,
				   &tot.variance_to_date, &tot.forecast, &tot.forecast_variance,
				   &tot.movement};
		for (int j = 0; j < 7; j++)
			if (s75_money_add(sum[j], *sum[j], v[j])) {
				rc = S75_EOVERFLOW;
				goto fail;
			}
		json_t *x = json_object();
		for (int k = 0; k < 2; k++) {
			s75_table_row(ts[k], 0);
			s75_table_text(ts[k], a->elements[r->element].id);
			if (level == S75_LEVEL_COST_CENTRE)
				s75_table_text(ts[k], r->cost_centre >= 0
							      ? ag->cost_centres[r->cost_centre].code
							      : "");
			for (int j = 0; j < 7; j++)
				s75_table_money(ts[k], v[j]);
		}
		json_object_set_new(x, "element", json_string(a->elements[r->element].id));
		if (level == S75_LEVEL_COST_CENTRE && r->cost_centre >= 0)
			json_object_set_new(x, "cost_centre",
					    json_string(ag->cost_centres[r->cost_centre].code));
		json_object_set_new(x, "forecast_variance", json_integer(r->forecast_variance));
		json_object_set_new(x, "actual_to_date", json_integer(r->actual_to_date));
		json_object_set_new(x, "forecast", json_integer(r->forecast));
		json_array_append_new(rows, x);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	if (level == S75_LEVEL_COST_CENTRE)
		s75_table_empty(t);
	const int64_t tv[7] = {tot.budget, tot.budget_to_date, tot.actual_to_date,
			       tot.variance_to_date, tot.forecast, tot.forecast_variance,
			       tot.movement};
	for (int j = 0; j < 7; j++)
		s75_table_money(t, tv[j]);
	s75_doc_table(d, t);
	s75_doc_csv(d, csv);
	t = csv = NULL;
	if ((rc = report_chart_elements(d, db, ag, pool, per)) ||
	    (rc = report_chart_cumulative(d, db, ag, pool, per)))
		goto fail;
	json_t *root = json_object();
	json_object_set_new(root, "pool", json_string(a->id));
	json_object_set_new(root, "period", json_string(ptext));
	json_object_set_new(root, "rows", rows);
	json_object_set_new(root, "actual_to_date", json_integer(tot.actual_to_date));
	json_object_set_new(root, "forecast_variance", json_integer(tot.forecast_variance));
	json_object_set_new(root, "warnings", jwarn);
	s75_doc_json(d, root);
	s75_monitoring_free(m);
	*out = d;
	return 0;
fail:
	json_decref(jwarn);
	if (rc == S75_EOVERFLOW)
		s75_error_set(rc, "the pool's totals do not fit in 64-bit pence");
	s75_table_free(t);
	s75_table_free(csv);
	json_decref(rows);
	s75_doc_free(d);
	s75_monitoring_free(m);
	return rc;
}

static s75_table *txn_table(const s75_txn *x, size_t n)
{
	s75_table *t = s75_table_new(NULL);
	const char *cols[] = {"Date", "Period", "Partner", "Cost centre", "Account", "Kind"};
	for (int i = 0; i < 6; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	s75_table_column(t, "Description", S75_CELL_TEXT);
	s75_table_column(t, "Reference", S75_CELL_TEXT);
	for (size_t i = 0; i < n; i++) {
		char date[16], per[16];
		s75_table_row(t, 0);
		s75_table_text(t, s75_date_format(date, x[i].date));
		s75_table_text(t, s75_period_format(per, x[i].period));
		s75_table_text(t, x[i].partner);
		s75_table_text(t, x[i].cost_centre);
		s75_table_text(t, x[i].account ? x[i].account : "");
		s75_table_text(t, s75_txn_kind_name(x[i].kind));
		s75_table_money(t, x[i].amount);
		s75_table_text(t, x[i].description ? x[i].description : "");
		s75_table_text(t, x[i].reference ? x[i].reference : "");
	}
	return t;
}

int s75_report_transactions(s75_doc **out, long *total, s75_db *db, const s75_agreement *ag,
			    const s75_txn_query *q, const s75_report_options *o)
{
	s75_txn *x;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = s75_txn_list(&x, &n, total, db, q)))
		return rc;
	char per[16];
	s75_buf params = S75_BUF_INIT;
	s75_buf_printf(&params, "%s year to date", s75_period_format(per, q->period));
	if (q->cost_centre)
		s75_buf_printf(&params, ", cost centre %s", q->cost_centre);
	if (q->search && *q->search)
		s75_buf_printf(&params, ", containing \"%s\"", q->search);
	s75_doc *d = s75_report_doc_new(ag, "Ledger transactions", params.ptr, o);
	s75_buf_reset(&params);
	if (n)
		s75_buf_printf(&params, "Rows %ld to %ld of %ld.", q->offset + 1, q->offset + (long)n,
			       *total);
	else
		s75_buf_printf(&params, "No rows of %ld here.", *total);
	s75_doc_para(d, params.ptr);
	s75_buf_release(&params);
	s75_doc_table(d, txn_table(x, n));
	s75_doc_csv(d, txn_table(x, n));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char date[16];
		json_t *j = json_object();
		json_object_set_new(j, "date", json_string(s75_date_format(date, x[i].date)));
		json_object_set_new(j, "partner", json_string(x[i].partner));
		json_object_set_new(j, "cost_centre", json_string(x[i].cost_centre));
		json_object_set_new(j, "kind", json_string(s75_txn_kind_name(x[i].kind)));
		json_object_set_new(j, "amount", json_integer(x[i].amount));
		json_object_set_new(j, "description",
				    x[i].description ? json_string(x[i].description) : json_null());
		json_array_append_new(arr, j);
	}
	json_t *root = json_object();
	json_object_set_new(root, "total", json_integer(*total));
	json_object_set_new(root, "rows", arr);
	s75_doc_json(d, root);
	s75_txns_free(x, n);
	*out = d;
	return 0;
}

int s75_report_import(s75_doc **out, const s75_import_result *r, const char *file, int rc,
		      bool preview, const s75_report_options *o)
{
	s75_buf b = S75_BUF_INIT;
	*out = NULL;
	s75_doc *d = s75_report_doc_new(NULL, preview ? "Import preview" : "Import", file, o);
	if (rc == S75_EEXISTS)
		s75_buf_printf(&b, "Refused: '%s' was imported already, as batch %lld on %s.", file,
			       (long long)r->duplicate_of, r->duplicate_at ? r->duplicate_at : "?");
	else if (rc)
		s75_buf_printf(&b, "Nothing imported from '%s': %ld rows read, %ld good, %ld bad.",
			       file, r->rows_read, r->rows_read - r->rows_rejected, r->rows_rejected);
	else if (preview)
		s75_buf_printf(&b, "'%s' can be imported: %ld rows read, all good. Nothing is "
				   "imported until you confirm.", file, r->rows_read);
	else
		s75_buf_printf(&b, "Imported '%s' as batch %lld: %ld rows.", file,
			       (long long)r->batch_id, r->rows_imported);
	s75_doc_para(d, b.ptr);
	if (r->sha256[0]) {
		s75_buf_reset(&b);
		s75_buf_printf(&b, "sha256 %s", r->sha256);
		s75_doc_para(d, b.ptr);
	}
	s75_buf_release(&b);
	if (r->nerrors) {
		s75_table *t = s75_table_new("Rejected rows and their reasons");
		s75_table_column(t, "Problem", S75_CELL_TEXT);
		for (size_t i = 0; i < r->nerrors; i++) {
			s75_table_row(t, 0);
			s75_table_text(t, r->errors[i]);
		}
		if (r->error_count > (long)r->nerrors) {
			char more[64];
			snprintf(more, sizeof(more), "... and %ld more", r->error_count - (long)r->nerrors);
			s75_table_row(t, 0);
			s75_table_text(t, more);
		}
		s75_doc_table(d, t);
	}
	if (r->nunknown) {
		s75_table *t = s75_table_new("Unknown cost centres (not in the agreement)");
		s75_table_column(t, "Cost centre", S75_CELL_TEXT);
		s75_table_column(t, "Rows", S75_CELL_INT);
		s75_table_column(t, "Total", S75_CELL_MONEY);
		for (size_t i = 0; i < r->nunknown; i++) {
			s75_table_row(t, 0);
			s75_table_text(t, r->unknown[i].code);
			s75_table_int(t, r->unknown[i].rows);
			s75_table_money(t, r->unknown[i].total);
		}
		s75_doc_table(d, t);
	}
	if (!rc && r->ntotals) {
		s75_table *t = s75_table_new("Control totals");
		s75_table_column(t, "Partner", S75_CELL_TEXT);
		s75_table_column(t, "Kind", S75_CELL_TEXT);
		s75_table_column(t, "Rows", S75_CELL_INT);
		s75_table_column(t, "Amount", S75_CELL_MONEY);
		for (size_t i = 0; i < r->ntotals; i++) {
			s75_table_row(t, 0);
			s75_table_text(t, r->totals[i].partner);
			s75_table_text(t, s75_txn_kind_name(r->totals[i].kind));
			s75_table_int(t, r->totals[i].rows);
			s75_table_money(t, r->totals[i].amount);
		}
		s75_doc_table(d, t);
	}
	json_t *root = json_object();
	json_object_set_new(root, "rows_read", json_integer(r->rows_read));
	json_object_set_new(root, "rows_rejected", json_integer(r->rows_rejected));
	json_object_set_new(root, "batch", r->batch_id ? json_integer(r->batch_id) : json_null());
	s75_doc_json(d, root);
	*out = d;
	return 0;
}
