/* s75 history: the changes to the agreement (schedules, variations, notices). */
#include <jansson.h>
#include <stdio.h>

#include "cli.h"

int cmd_history(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table";
	int first, fy = -1;
	const cli_opt opts[] = {
	    {"year", 'y', OPT_STRING, "YEAR", "one financial year's changes (default: all)", &year},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "history",
	    "[--year Y] [--format table|csv|json]",
	    "The changes to the agreement in date order: each year's schedule (agreed or still\n"
	    "indicative), each variation's changes to contributions (the net in force before and\n"
	    "after), to the risk share and to KPIs with the decision that approved it, and each\n"
	    "notice recorded.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_db *db = NULL;
	s75_history *h;
	s75_buf out = S75_BUF_INIT;
	char d[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	if (year && s75_fy_parse(&fy, year)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	if ((rc = cli_db_optional(&db)))
		return rc;
	rc = s75_history_build(&h, db, ctx->ag, fy);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON) {
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
		cli_json_out(root, &out);
	} else {
		s75_buf title = S75_BUF_INIT;
		s75_buf_printf(&title, "History — %s", ctx->ag->title);
		s75_table *tb = s75_table_new(fmt == FMT_CSV ? NULL : title.ptr);
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
			s75_table_text(tb, c->what);
			if (c->has_amounts) {
				s75_table_money(tb, c->before);
				s75_table_money(tb, c->after);
			}
		}
		cli_render_table(tb, fmt, S75_UNIT_POUNDS, &out);
		s75_table_free(tb);
		s75_buf_release(&title);
	}
	rc = cli_write(&out, NULL);
	s75_buf_release(&out);
	s75_history_free(h);
	return rc;
}
