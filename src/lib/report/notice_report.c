/* What a notice does (s75 notice): who served it, when it takes effect and what it ends, as
 * a document with its JSON. */
#include <jansson.h>
#include <stdio.h>

#include "s75/notice.h"
#include "s75/report.h"

/* The arrangements a notice ends: all for the agreement, else the one it names. */
static void ended_ids(const s75_agreement *ag, const s75_notice *n, s75_buf *b, json_t *arr)
{
	for (size_t i = 0; i < ag->narrangements; i++) {
		if (n->arrangement >= 0 && (int)i != n->arrangement)
			continue;
		if (b)
			s75_buf_printf(b, "%s%s", b->len ? ", " : "", ag->arrangements[i].id);
		if (arr)
			json_array_append_new(arr, json_string(ag->arrangements[i].id));
	}
}

static json_t *notice_json(const s75_agreement *ag, const s75_notice *n, bool dry)
{
	char d[11], e[11];
	s75_date_format(d, n->date);
	s75_date_format(e, n->effective);
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "effective", json_string(e));
	json_object_set_new(root, "scope", json_string(n->scope));
	json_object_set_new(root, "grounds", json_string(s75_grounds_name(n->grounds)));
	json_object_set_new(root, "served_by", json_string(ag->partners[n->by].id));
	json_object_set_new(root, "date", json_string(d));
	json_object_set_new(root, "notice_months", json_integer(n->months));
	ended_ids(ag, n, NULL, arr);
	json_object_set_new(root, "arrangements", arr);
	json_object_set_new(root, "scheduled_end",
	                    n->has_scheduled_end
	                        ? json_string(s75_date_format(d, n->scheduled_end))
	                        : json_null());
	json_object_set_new(root, "recorded", json_boolean(!dry));
	json_object_set_new(root, "id", dry ? json_null() : json_integer(n->id));
	return root;
}

static void notice_text(s75_buf *out, const s75_agreement *ag, const s75_notice *n, bool dry)
{
	char d[11], e[11];
	s75_date_format(d, n->date);
	s75_date_format(e, n->effective);
	s75_buf ids = S75_BUF_INIT;
	ended_ids(ag, n, &ids, NULL);
	s75_buf_printf(out, "notice by %s on %s to end %s (grounds: %s)\n",
	               ag->partners[n->by].id, d, n->scope, s75_grounds_name(n->grounds));
	s75_buf_printf(out, "%d month%s' notice: takes effect on %s\n", n->months,
	               n->months == 1 ? "" : "s", e);
	s75_buf_printf(out, "ends: %s\n", ids.ptr);
	if (n->has_scheduled_end && n->scheduled_end <= n->effective)
		s75_buf_printf(out, "(it ends anyway on %s, its scheduled end)\n",
		               s75_date_format(d, n->scheduled_end));
	if (dry)
		s75_buf_puts(out, "not recorded (--dry-run)\n");
	else
		s75_buf_printf(out, "recorded as notice %lld\n", (long long)n->id);
	s75_buf_release(&ids);
}

int s75_report_notice(s75_doc **out, const s75_agreement *ag, const s75_notice *n, bool recorded,
		      const s75_report_options *o)
{
	s75_buf text = S75_BUF_INIT;
	*out = NULL;
	s75_doc *d = s75_report_doc_new(ag, "Notice", n->scope, o);
	s75_doc_bare(d);
	notice_text(&text, ag, n, !recorded);
	if (text.len && text.ptr[text.len - 1] == '\n')
		text.ptr[--text.len] = '\0'; /* a bare paragraph ends its own line */
	s75_doc_para(d, text.ptr);
	s75_buf_release(&text);
	s75_doc_json(d, notice_json(ag, n, !recorded));
	*out = d;
	return 0;
}
