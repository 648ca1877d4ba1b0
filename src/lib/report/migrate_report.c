/* s75 migrate --to as a document: where the workspace was copied and every check that
 * proves the copy (rows of each table, each batch's control totals, each period's totals). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "s75/report.h"

static s75_table *checks_table(const s75_copy_result *r)
{
	s75_table *t = s75_table_new("Checks: the workspace and its copy");
	s75_table_column(t, "Check", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Rows in the copy", S75_CELL_INT);
	s75_table_column(t, "Amount", S75_CELL_MONEY);
	s75_table_column(t, "Amount in the copy", S75_CELL_MONEY);
	s75_table_column(t, "Agree", S75_CELL_TEXT);
	for (size_t i = 0; i < r->nchecks; i++) {
		const s75_copy_check *c = &r->checks[i];
		s75_table_row(t, 0);
		s75_table_text(t, c->what);
		s75_table_int(t, c->rows_from);
		s75_table_int(t, c->rows_to);
		/* a table's check is its rows alone */
		if (!strncmp(c->what, "table ", 6)) {
			s75_table_empty(t);
			s75_table_empty(t);
		} else {
			s75_table_money(t, c->amount_from);
			s75_table_money(t, c->amount_to);
		}
		s75_table_text(t, c->rows_from == c->rows_to && c->amount_from == c->amount_to ? "yes" : "NO");
	}
	return t;
}

static json_t *checks_json(const s75_copy_result *r)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "from", json_string(r->from ? r->from : ""));
	json_object_set_new(root, "to", json_string(r->to ? r->to : ""));
	json_object_set_new(root, "mismatches", json_integer((json_int_t)r->mismatches));
	for (size_t i = 0; i < r->nchecks; i++) {
		const s75_copy_check *c = &r->checks[i];
		json_t *o = json_object();
		json_object_set_new(o, "check", json_string(c->what));
		json_object_set_new(o, "rows", json_integer(c->rows_from));
		json_object_set_new(o, "rows_copy", json_integer(c->rows_to));
		json_object_set_new(o, "amount", json_integer(c->amount_from));
		json_object_set_new(o, "amount_copy", json_integer(c->amount_to));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "checks", arr);
	return root;
}

int s75_report_migration(s75_doc **out, const s75_copy_result *r, const s75_report_options *o)
{
	char line[1024];
	s75_doc *d = s75_report_doc_new(NULL, "Workspace copied to PostgreSQL", NULL, o);
	snprintf(line, sizeof(line),
		 "Copied %s to %s: %zu checks, %zu disagreeing%s", r->from ? r->from : "?", r->to ? r->to : "?",
		 r->nchecks, r->mismatches,
		 r->mismatches ? " (nothing was kept)"
			       : "; the workspace now uses the copy (its s75.database), and s75.db is left as it was");
	s75_doc_para(d, line);
	s75_doc_table(d, checks_table(r));
	s75_doc_csv(d, checks_table(r));
	s75_doc_json(d, checks_json(r));
	*out = d;
	return 0;
}
