/* s75 status: where the agreement and each arrangement stand. */
#include <jansson.h>
#include <stdio.h>

#include "cli.h"

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

int cmd_status(int argc, char **argv, cli_ctx *ctx)
{
	const char *as_of = NULL, *format = "table";
	int first;
	const cli_opt opts[] = {
	    {"as-of", 0, OPT_STRING, "DATE", "where things stand on DATE (default: today)", &as_of},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "status",
	    "[--as-of DATE] [--format table|csv|json]",
	    "Where the agreement and each arrangement stand: not started, active, under notice\n"
	    "(with the notice recorded and the day it takes effect) or ended. A pooled fund that\n"
	    "has ended takes no periods after its end and shows its final settlement as due.",
	    opts,
	    0,
	    0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_date day;
	s75_db *db = NULL;
	s75_status *s;
	s75_buf out = S75_BUF_INIT, t = S75_BUF_INIT;
	char d[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt) || cli_date(as_of, &day))
		return EXIT_USAGE;
	if ((rc = cli_db_optional(&db)))
		return rc;
	rc = s75_status_build(&s, db, ag, day);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON) {
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
		cli_json_out(root, &out);
	} else {
		s75_buf title = S75_BUF_INIT;
		s75_buf_printf(&title, "Status on %s — %s", s75_date_format(d, day), ag->title);
		s75_table *tb = s75_table_new(fmt == FMT_CSV ? NULL : title.ptr);
		const char *cols[] = {"Arrangement", "Kind", "Start", "Ends", "State"};
		for (int i = 0; i < 5; i++)
			s75_table_column(tb, cols[i], S75_CELL_TEXT);
		for (size_t i = 0; i <= s->narrangements; i++) {
			const s75_arr_status *x = i ? &s->arrangements[i - 1] : &s->agreement;
			s75_table_row(tb, 0);
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
		cli_render_table(tb, fmt, S75_UNIT_POUNDS, &out);
		s75_table_free(tb);
		s75_buf_release(&title);
	}
	rc = cli_write(&out, NULL);
	s75_buf_release(&out);
	s75_buf_release(&t);
	s75_status_free(s);
	return rc;
}
