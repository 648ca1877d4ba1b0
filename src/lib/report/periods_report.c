/* The closed periods (s75 period list) as a document: each closing with its seal, who closed
 * and reopened it and why, and the prior-period items imports posted to a later period. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "s75/periods.h"
#include "s75/report.h"

/* A partner's name (the id if the agreement does not know it), "Every partner" for NULL. */
static const char *partner_name(const s75_agreement *ag, const char *id)
{
	return id ? s75_agreement_partner_name(ag, id) : "Every partner";
}

/* "CODE Name" of a cost centre, or the code alone. */
static void cc_label(char *buf, size_t n, const s75_agreement *ag, const char *code)
{
	int i = s75_agreement_find_cost_centre(ag, code, strlen(code));
	if (i >= 0 && ag->cost_centres[i].name)
		snprintf(buf, n, "%s %s", code, ag->cost_centres[i].name);
	else
		snprintf(buf, n, "%s", code);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *periods_json(const s75_closing *c, size_t nc, const s75_prior_item *it,
			    size_t ni)
{
	json_t *root = json_object(), *arr = json_array(), *items = json_array();
	char pb[16], d[11];
	for (size_t i = 0; i < nc; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "period", json_string(s75_period_format(pb, c[i].period)));
		json_object_set_new(o, "partner", str_or_null(c[i].partner));
		json_object_set_new(o, "status", json_string(c[i].reopened_at ? "reopened" : "closed"));
		json_object_set_new(o, "closed_at", json_string(c[i].closed_at));
		json_object_set_new(o, "closed_by", str_or_null(c[i].closed_by));
		json_object_set_new(o, "rows", json_integer(c[i].rows));
		json_object_set_new(o, "expenditure", json_integer(c[i].spend));
		json_object_set_new(o, "seal", json_string(c[i].seal));
		json_object_set_new(o, "reopened_at", str_or_null(c[i].reopened_at));
		json_object_set_new(o, "reopened_by", str_or_null(c[i].reopened_by));
		json_object_set_new(o, "reason", str_or_null(c[i].reason));
		json_array_append_new(arr, o);
	}
	for (size_t i = 0; i < ni; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "batch", json_integer(it[i].batch_id));
		json_object_set_new(o, "line", json_integer(it[i].line));
		json_object_set_new(o, "date", json_string(s75_date_format(d, it[i].date)));
		json_object_set_new(o, "dated_period", json_string(s75_period_format(pb, it[i].dated)));
		json_object_set_new(o, "posted_to", json_string(s75_period_format(pb, it[i].posted)));
		json_object_set_new(o, "partner", json_string(it[i].partner));
		json_object_set_new(o, "cost_centre", json_string(it[i].cost_centre));
		json_object_set_new(o, "kind", json_string(s75_txn_kind_name(it[i].kind)));
		json_object_set_new(o, "amount", json_integer(it[i].amount));
		json_object_set_new(o, "description", str_or_null(it[i].description));
		json_object_set_new(o, "reference", str_or_null(it[i].reference));
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "closings", arr);
	json_object_set_new(root, "prior_period_items", items);
	return root;
}

static s75_table *closings_table(const s75_agreement *ag, const s75_closing *c, size_t nc,
				 bool csv)
{
	s75_table *t = s75_table_new("Periods closed");
	const char *cols[] = {"Period", "Partner", "Status", "Closed at", "Closed by"};
	char pb[16];
	for (int i = 0; i < 5; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Expenditure", S75_CELL_MONEY);
	s75_table_column(t, "Seal (sha256)", S75_CELL_TEXT);
	s75_table_column(t, "Reopened at", S75_CELL_TEXT);
	s75_table_column(t, "Reopened by", S75_CELL_TEXT);
	s75_table_column(t, "Reason", S75_CELL_TEXT);
	for (size_t i = 0; i < nc; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, s75_period_format(pb, c[i].period));
		s75_table_text(t, partner_name(ag, c[i].partner));
		s75_table_text(t, c[i].reopened_at ? "reopened" : "closed");
		s75_table_text(t, c[i].closed_at);
		s75_table_text(t, c[i].closed_by ? c[i].closed_by : "");
		s75_table_int(t, c[i].rows);
		s75_table_money(t, c[i].spend);
		/* the whole seal in CSV; enough to recognise it elsewhere */
		char seal[17];
		snprintf(seal, sizeof(seal), "%s", c[i].seal);
		s75_table_text(t, csv ? c[i].seal : seal);
		s75_table_text(t, c[i].reopened_at ? c[i].reopened_at : "");
		s75_table_text(t, c[i].reopened_by ? c[i].reopened_by : "");
		s75_table_text(t, c[i].reason ? c[i].reason : "");
	}
	return t;
}

static s75_table *items_table(const s75_agreement *ag, const s75_prior_item *it, size_t ni)
{
	s75_table *t = s75_table_new("Prior-period items (dated in a closed period, posted to the first open one)");
	const char *cols[] = {"Batch", "Line", "Date", "Dated in", "Posted to", "Partner",
			      "Cost centre", "Kind"};
	for (int i = 0; i < 8; i++)
		s75_table_column(t, cols[i], i < 2 ? S75_CELL_INT : S75_CELL_TEXT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	s75_table_column(t, "Description", S75_CELL_TEXT);
	s75_table_column(t, "Reference", S75_CELL_TEXT);
	for (size_t i = 0; i < ni; i++) {
		char pb[16], d[11], cc[160];
		s75_table_row(t, 0);
		s75_table_int(t, it[i].batch_id);
		s75_table_int(t, it[i].line);
		s75_table_text(t, s75_date_format(d, it[i].date));
		s75_table_text(t, s75_period_format(pb, it[i].dated));
		s75_table_text(t, s75_period_format(pb, it[i].posted));
		s75_table_text(t, partner_name(ag, it[i].partner));
		cc_label(cc, sizeof(cc), ag, it[i].cost_centre);
		s75_table_text(t, cc);
		s75_table_text(t, s75_txn_kind_name(it[i].kind));
		s75_table_money(t, it[i].amount);
		s75_table_text(t, it[i].description ? it[i].description : "");
		s75_table_text(t, it[i].reference ? it[i].reference : "");
	}
	return t;
}

int s75_report_periods(s75_doc **out, s75_db *db, const s75_agreement *ag,
		       const s75_report_options *o)
{
	s75_closing *c = NULL;
	s75_prior_item *it = NULL;
	size_t nc = 0, ni = 0, nclosed = 0;
	int rc;
	*out = NULL;
	if ((rc = s75_period_closes_list(&c, &nc, db)) || (rc = s75_prior_items_list(&it, &ni, db)))
		goto done;
	s75_doc *d = s75_report_doc_new(ag, "Closed periods", NULL, o);
	for (size_t i = 0; i < nc; i++)
		nclosed += !c[i].reopened_at;
	char line[160];
	snprintf(line, sizeof(line), "%zu closing%s in force, %zu reopened; %zu prior-period item%s.",
		 nclosed, nclosed == 1 ? "" : "s", nc - nclosed, ni, ni == 1 ? "" : "s");
	s75_doc_para(d, line);
	s75_doc_table(d, closings_table(ag, c, nc, false));
	s75_doc_table(d, items_table(ag, it, ni));
	s75_doc_csv(d, closings_table(ag, c, nc, true));
	s75_doc_json(d, periods_json(c, nc, it, ni));
	*out = d;
done:
	s75_period_closes_free(c, nc);
	s75_prior_items_free(it, ni);
	return rc;
}
