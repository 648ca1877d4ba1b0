/* Where the agreement and each arrangement stand (s75 status), as a document with its JSON
 * and CSV. */
#include <jansson.h>
#include <stdio.h>

#include "s75/notice.h"
#include "s75/report.h"

static json_t *date_json(bool has, s75_date d)
{
	char b[11];
	return has ? json_string(s75_date_format(b, d)) : json_null();
}

/* The state of one line in words. */
static void state_text(s75_buf *b, const s75_status *s, const s75_arr_status *x)
{
	char d[11], fy[8];
	switch (x->state) {
	case S75_STATE_NOT_STARTED:
		s75_buf_printf(b, "starts on %s", s75_date_format(d, x->start));
		break;
	case S75_STATE_ACTIVE:
		s75_buf_puts(b, "active");
		if (x->has_end)
			s75_buf_printf(b, " until %s", s75_date_format(d, x->ends));
		break;
	case S75_STATE_ENDING:
		s75_buf_printf(b, "under notice: ends on %s", s75_date_format(d, x->ends));
		break;
	case S75_STATE_ENDED:
		s75_buf_printf(b, "ended on %s", s75_date_format(d, x->ends));
		break;
	}
	if (x->notice >= 0) {
		const s75_notice *n = &s->notices[x->notice];
		s75_buf_printf(b, " (notice %lld, %s)", (long long)n->id,
		               s75_grounds_name(n->grounds));
	}
	if (x->settlement_due)
		s75_buf_printf(b, "; final settlement of %s (to P%d) due",
		               s75_fy_format(fy, x->final_period.fy), x->final_period.p);
}

static json_t *status_json(const s75_agreement *ag, const s75_status *s, s75_date day)
{
	char d[11];
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, day)));
	for (size_t i = 0; i <= s->narrangements; i++) {
		const s75_arr_status *x = i ? &s->arrangements[i - 1] : &s->agreement;
		json_t *o = json_object();
		json_object_set_new(o, "id",
		                    json_string(i ? ag->arrangements[i - 1].id : ag->id));
		json_object_set_new(
		    o, "kind",
		    json_string(i ? s75_arrangement_kind_name(ag->arrangements[i - 1].kind)
		                  : "agreement"));
		json_object_set_new(o, "start", date_json(true, x->start));
		json_object_set_new(o, "ends", date_json(x->has_end, x->ends));
		json_object_set_new(o, "state", json_string(s75_arr_state_name(x->state)));
		json_object_set_new(o, "notice",
		                    x->notice >= 0 ? json_integer(s->notices[x->notice].id)
		                                   : json_null());
		if (x->settlement_due) {
			char fy[8], p[12];
			json_t *f = json_object();
			json_object_set_new(
			    f, "year", json_string(s75_fy_format(fy, x->final_period.fy)));
			json_object_set_new(
			    f, "period",
			    json_string(s75_period_format(p, x->final_period)));
			json_object_set_new(o, "final_settlement_due", f);
		} else {
			json_object_set_new(o, "final_settlement_due", json_null());
		}
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "arrangements", arr);
	return root;
}

static s75_table *status_table(const s75_agreement *ag, const s75_status *s, s75_date day,
			       bool csv)
{
	s75_buf t = S75_BUF_INIT;
	char d[11];
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Status on %s — %s", s75_date_format(d, day), ag->title);
	s75_table *tb = s75_table_new(csv ? NULL : title.ptr);
	const char *cols[] = {"Arrangement", "Kind", "Start", "Ends", "State"};
	for (int i = 0; i < 5; i++) {
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
		if (i == 0 && !csv) /* names on the page, the id beside to match the agreement */
			s75_table_column(tb, "Id", S75_CELL_TEXT);
	}
	for (size_t i = 0; i <= s->narrangements; i++) {
		const s75_arr_status *x = i ? &s->arrangements[i - 1] : &s->agreement;
		s75_table_row(tb, 0);
		if (!csv)
			s75_table_text(tb, i ? ag->arrangements[i - 1].name : "The agreement");
		s75_table_text(tb, i ? ag->arrangements[i - 1].id : ag->id);
		s75_table_text(tb,
		               i ? s75_arrangement_kind_name(ag->arrangements[i - 1].kind)
		                 : "agreement");
		s75_table_text(tb, s75_date_format(d, x->start));
		s75_table_text(tb, x->has_end ? s75_date_format(d, x->ends) : "");
		s75_buf_reset(&t);
		state_text(&t, s, x);
		s75_table_text(tb, t.ptr);
	}
	s75_buf_release(&title);
	s75_buf_release(&t);
	return tb;
}

int s75_report_status(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_date day,
		      const s75_report_options *o)
{
	s75_status *s;
	char d[11];
	int rc;
	*out = NULL;
	if ((rc = s75_status_build(&s, db, ag, day)))
		return rc;
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Status on %s", s75_date_format(d, day));
	s75_doc *doc = s75_report_doc_new(ag, title.ptr, d, o);
	s75_buf_release(&title);
	s75_doc_bare(doc);
	s75_doc_table(doc, status_table(ag, s, day, false));
	s75_doc_csv(doc, status_table(ag, s, day, true));
	s75_doc_json(doc, status_json(ag, s, day));
	s75_status_free(s);
	*out = doc;
	return 0;
}
