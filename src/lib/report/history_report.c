/* The changes to the agreement (s75 history) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdio.h>

#include "s75/notice.h"
#include "s75/report.h"

static json_t *history_json(const s75_history *h)
{
	char d[11];
	json_t *root = json_object(), *arr = json_array();
	for (size_t i = 0; i < h->n; i++) {
		const s75_change *c = &h->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "date", json_string(s75_date_format(d, c->date)));
		json_object_set_new(o, "kind", json_string(c->kind));
		json_object_set_new(o, "ref", json_string(c->ref));
		json_object_set_new(o, "decision",
		                    c->decision ? json_string(c->decision) : json_null());
		json_object_set_new(o, "change", json_string(c->what));
		json_object_set_new(o, "net_before",
		                    c->has_amounts ? json_integer(c->before) : json_null());
		json_object_set_new(o, "net_after",
		                    c->has_amounts ? json_integer(c->after) : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "units", json_string("pence"));
	json_object_set_new(root, "changes", arr);
	return root;
}

static s75_table *history_table(const s75_agreement *ag, const s75_history *h, bool csv)
{
	char d[11];
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "History — %s", ag->title);
	s75_table *tb = s75_table_new(csv ? NULL : title.ptr);
	const char *cols[] = {"Date", "Kind", "Ref", "Decision", "Change"};
	for (int i = 0; i < 5; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	s75_table_column(tb, "Net before", S75_CELL_MONEY);
	s75_table_column(tb, "Net after", S75_CELL_MONEY);
	for (size_t i = 0; i < h->n; i++) {
		const s75_change *c = &h->items[i];
		s75_table_row(tb, 0);
		s75_table_text(tb, s75_date_format(d, c->date));
		s75_table_text(tb, c->kind);
		s75_table_text(tb, c->ref);
		s75_table_text(tb, c->decision ? c->decision : "");
		s75_table_text(tb, csv ? c->what : c->label);
		if (c->has_amounts) {
			s75_table_money(tb, c->before);
			s75_table_money(tb, c->after);
		}
	}
	s75_buf_release(&title);
	return tb;
}

int s75_report_history(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
		       const s75_report_options *o)
{
	s75_history *h;
	char fys[8];
	int rc;
	*out = NULL;
	if ((rc = s75_history_build(&h, db, ag, fy)))
		return rc;
	s75_doc *d = s75_report_doc_new(ag, "History", fy >= 0 ? s75_fy_format(fys, fy) : NULL, o);
	s75_doc_bare(d);
	s75_doc_table(d, history_table(ag, h, false));
	s75_doc_csv(d, history_table(ag, h, true));
	s75_doc_json(d, history_json(h));
	s75_history_free(h);
	*out = d;
	return 0;
}
