/* The imports with their control totals (s75 batches) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdio.h>

#include "s75/ledger.h"
#include "s75/report.h"

static json_t *batches_json(const s75_batch *b, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *tot = json_array();
		json_object_set_new(o, "id", json_integer(b[i].id));
		json_object_set_new(o, "kind", json_string(b[i].kind));
		json_object_set_new(o, "file", json_string(b[i].file));
		json_object_set_new(o, "sha256", json_string(b[i].sha256));
		json_object_set_new(o, "profile", b[i].profile ? json_string(b[i].profile) : json_null());
		json_object_set_new(o, "period", b[i].period ? json_string(b[i].period) : json_null());
		json_object_set_new(o, "rows_read", json_integer(b[i].rows_read));
		json_object_set_new(o, "rows_imported", json_integer(b[i].rows_imported));
		json_object_set_new(o, "rows_rejected", json_integer(b[i].rows_rejected));
		json_object_set_new(o, "rows_skipped", json_integer(b[i].rows_skipped));
		json_object_set_new(o, "rows_outside", json_integer(b[i].rows_outside));
		json_object_set_new(o, "outside_amount", json_integer(b[i].outside_amount));
		json_object_set_new(o, "imported_at", json_string(b[i].imported_at));
		json_object_set_new(o, "undone_at", b[i].undone_at ? json_string(b[i].undone_at) : json_null());
		for (size_t k = 0; k < b[i].ntotals; k++) {
			json_t *t = json_object();
			json_object_set_new(t, "partner", json_string(b[i].totals[k].partner));
			json_object_set_new(t, "kind", json_string(s75_txn_kind_name(b[i].totals[k].kind)));
			json_object_set_new(t, "rows", json_integer(b[i].totals[k].rows));
			json_object_set_new(t, "amount", json_integer(b[i].totals[k].amount));
			json_array_append_new(tot, t);
		}
		json_object_set_new(o, "totals", tot);
		json_array_append_new(arr, o);
	}
	json_t *root = json_object();
	json_object_set_new(root, "batches", arr);
	return root;
}

static s75_table *batches_table(const s75_batch *b, size_t n, bool csv)
{
	s75_table *t = s75_table_new(NULL);
	const char *cols[] = {"Batch", "Kind", "File", "Period", "Imported at", "Undone at", "sha256"};
	for (int i = 0; i < 7; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "Read", S75_CELL_INT);
	s75_table_column(t, "Imported", S75_CELL_INT);
	s75_table_column(t, "Rejected", S75_CELL_INT);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Row kind", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	for (size_t i = 0; i < n; i++) {
		char id[32];
		snprintf(id, sizeof(id), "%lld", (long long)b[i].id);
		for (size_t k = 0; k < (b[i].ntotals ? b[i].ntotals : 1); k++) {
			s75_table_row(t, 0);
			s75_table_text(t, id);
			s75_table_text(t, b[i].kind);
			s75_table_text(t, b[i].file);
			s75_table_text(t, b[i].period ? b[i].period : "");
			s75_table_text(t, b[i].imported_at);
			s75_table_text(t, b[i].undone_at ? b[i].undone_at : "");
			/* the full hash in CSV; enough to recognise it in a table */
			char sha[17];
			snprintf(sha, sizeof(sha), "%s", b[i].sha256);
			s75_table_text(t, csv ? b[i].sha256 : sha);
			s75_table_int(t, b[i].rows_read);
			s75_table_int(t, b[i].rows_imported);
			s75_table_int(t, b[i].rows_rejected);
			if (b[i].ntotals) {
				s75_table_text(t, b[i].totals[k].partner);
				s75_table_text(t, s75_txn_kind_name(b[i].totals[k].kind));
				s75_table_int(t, b[i].totals[k].rows);
				s75_table_money(t, b[i].totals[k].amount);
			}
		}
	}
	return t;
}

int s75_report_batches(s75_doc **out, s75_db *db, bool all, const s75_report_options *o)
{
	s75_batch *b;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = s75_batches_list(&b, &n, db, all)))
		return rc;
	s75_doc *d = s75_report_doc_new(NULL, "Import batches", all ? "all" : NULL, o);
	s75_doc_bare(d);
	s75_doc_table(d, batches_table(b, n, false));
	s75_doc_csv(d, batches_table(b, n, true));
	s75_doc_json(d, batches_json(b, n));
	s75_batches_free(b, n);
	*out = d;
	return 0;
}
