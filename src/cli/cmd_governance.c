/* s75 governance check|risks|meetings|decisions: breaches of the agreement's governance
 * (exit 1 when there are any, for cron), the risk register and the logs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int check(int argc, char **argv, cli_ctx *ctx)
{
	const char *as_of = NULL, *from = NULL, *months = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"as-of", 0, OPT_STRING, "DATE", "check up to DATE (default: today)", &as_of},
	    {"from", 0, OPT_STRING, "DATE",
	     "check from DATE (default: the start of the first year)", &from},
	    {"months", 0, OPT_STRING, "N",
	     "warn of an end within N months (default: the agreement's, else 6)", &months},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "governance check",
	    "[--as-of DATE] [--from DATE] [--months N] [--format table|csv|json]",
	    "Lists every breach of the agreement's governance with its evidence: meetings missed\n"
	    "against a body's frequency, a year without its meeting in public, meetings without a\n"
	    "quorum, reports late or missing, a year's schedules not agreed before it started "
	    "(work\n"
	    "on indicative figures), next year's schedules not agreed by the body's date, the\n"
	    "agreement or an arrangement ending within N months, risks past their review date, no\n"
	    "risk register, variations whose approving decision is not in the log, and decisions\n"
	    "in which someone with a registered interest in their subject took part without\n"
	    "declaring it (import interests, import participation).\n"
	    "Exit 0 when all is in order, 1 when there is a breach (so it can run from cron).",
	    opts,
	    0,
	    0};
	s75_gov_check_options o = S75_GOV_CHECK_OPTIONS_INIT;
	cli_format fmt;
	s75_breaches *b;
	s75_buf out = S75_BUF_INIT;
	char d[11], f[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt) || cli_date(as_of, &o.as_of))
		return EXIT_USAGE;
	if (from) {
		if (s75_date_parse(&o.from, from)) {
			cli_error("--from: %s", s75_error_last());
			return EXIT_USAGE;
		}
		o.has_from = true;
	}
	if (months) {
		char *end;
		long n = strtol(months, &end, 10);
		if (*end || n < 0 || n > 120) {
			cli_error("--months: '%s' is not a number of months (0 to 120)", months);
			return EXIT_USAGE;
		}
		o.end_warning_months = (int)n;
	}
	if (s75_governance_check(&b, ctx->db, ctx->ag, &o)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *arr = json_array();
		json_object_set_new(root, "from", json_string(s75_date_format(f, b->from)));
		json_object_set_new(root, "as_of", json_string(s75_date_format(d, b->as_of)));
		json_object_set_new(root, "in_order", json_boolean(b->n == 0));
		for (size_t i = 0; i < b->n; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "date",
			                    json_string(s75_date_format(d, b->items[i].date)));
			json_object_set_new(x, "breach",
			                    json_string(s75_breach_kind_name(b->items[i].kind)));
			json_object_set_new(x, "subject", json_string(b->items[i].subject));
			json_object_set_new(x, "evidence", json_string(b->items[i].evidence));
			json_array_append_new(arr, x);
		}
		json_object_set_new(root, "breaches", arr);
		cli_json_out(root, &out);
	} else {
		if (fmt == FMT_TABLE) {
			s75_buf_printf(&out, "Governance check — %s\n", ctx->ag->title);
			s75_buf_printf(&out, "from %s to %s: ", s75_date_format(f, b->from),
			               s75_date_format(d, b->as_of));
			if (b->n)
				s75_buf_printf(&out, "%zu breach%s\n\n", b->n,
				               b->n == 1 ? "" : "es");
			else
				s75_buf_puts(&out, "all in order\n");
		}
		if (b->n || fmt == FMT_CSV) {
			s75_table *t = s75_table_new(NULL);
			const char *cols[] = {"Date", "Breach", "Subject", "Evidence"};
			for (int i = 0; i < 4; i++)
				s75_table_column(t, cols[i], S75_CELL_TEXT);
			for (size_t i = 0; i < b->n; i++) {
				s75_table_row(t, 0);
				s75_table_text(t, s75_date_format(d, b->items[i].date));
				s75_table_text(t, s75_breach_kind_name(b->items[i].kind));
				s75_table_text(t, b->items[i].subject);
				s75_table_text(t, b->items[i].evidence);
			}
			cli_render_table(t, fmt, S75_UNIT_POUNDS, &out);
			s75_table_free(t);
		}
	}
	rc = cli_write(&out, output);
	s75_buf_release(&out);
	if (!rc && b->n)
		rc = EXIT_BAD_INPUT;
	s75_breaches_free(b);
	return rc;
}

static int risks(int argc, char **argv, cli_ctx *ctx)
{
	const char *as_of = NULL, *format = "table";
	int first;
	const cli_opt opts[] = {
	    {"as-of", 0, OPT_STRING, "DATE", "flag risks past review on DATE (default: today)",
	     &as_of},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "governance risks",
	    "[--as-of DATE] [--format table|csv|json]",
	    "The risk register: each risk's kind, pool, owner, likelihood and impact (1-5) and\n"
	    "their product the score, its mitigating actions, and its review date (flagged when\n"
	    "past), highest score first.",
	    opts,
	    0,
	    0};
	const s75_agreement *ag = ctx->ag;
	const s75_gov_model *g = s75_agreement_governance(ag);
	cli_format fmt;
	s75_date day;
	s75_buf out = S75_BUF_INIT, t = S75_BUF_INIT;
	char d[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt) || cli_date(as_of, &day))
		return EXIT_USAGE;
	/* highest score first; ties in the file's order */
	size_t *order = calloc(g->nrisks + 1, sizeof(size_t));
	if (!order)
		abort();
	for (size_t i = 0; i < g->nrisks; i++) {
		size_t at = i;
		int sc = g->risks[i].likelihood * g->risks[i].impact;
		while (at > 0 &&
		       g->risks[order[at - 1]].likelihood * g->risks[order[at - 1]].impact < sc) {
			order[at] = order[at - 1];
			at--;
		}
		order[at] = i;
	}
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *arr = json_array();
		json_object_set_new(root, "as_of", json_string(s75_date_format(d, day)));
		for (size_t k = 0; k < g->nrisks; k++) {
			const s75_risk *r = &g->risks[order[k]];
			json_t *o = json_object(), *m = json_array();
			json_object_set_new(o, "id", json_string(r->id));
			json_object_set_new(o, "title", json_string(r->title));
			json_object_set_new(o, "kind", json_string(s75_risk_kind_name(r->kind)));
			json_object_set_new(o, "pool",
			                    r->pool >= 0 ? json_string(ag->arrangements[r->pool].id)
			                                 : json_null());
			json_object_set_new(o, "owner", json_string(ag->partners[r->owner].id));
			json_object_set_new(o, "owner_role", json_string(r->owner_role));
			json_object_set_new(o, "likelihood", json_integer(r->likelihood));
			json_object_set_new(o, "impact", json_integer(r->impact));
			json_object_set_new(o, "score", json_integer(r->likelihood * r->impact));
			for (size_t i = 0; i < r->mitigations.n; i++)
				json_array_append_new(m, json_string(r->mitigations.items[i]));
			json_object_set_new(o, "mitigations", m);
			json_object_set_new(o, "review",
			                    json_string(s75_date_format(d, r->review)));
			json_object_set_new(o, "reviewed",
			                    r->has_reviewed
			                        ? json_string(s75_date_format(d, r->reviewed))
			                        : json_null());
			json_object_set_new(o, "overdue", json_boolean(r->review < day));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "risks", arr);
		cli_json_out(root, &out);
	} else {
		s75_buf title = S75_BUF_INIT;
		s75_buf_printf(&title, "Risk register on %s — %s", s75_date_format(d, day),
		               ag->title);
		s75_table *tb = s75_table_new(fmt == FMT_CSV ? NULL : title.ptr);
		const char *cols[] = {"Risk", "Kind", "Pool", "Owner"};
		for (int i = 0; i < 4; i++)
			s75_table_column(tb, cols[i], S75_CELL_TEXT);
		s75_table_column(tb, "L", S75_CELL_INT);
		s75_table_column(tb, "I", S75_CELL_INT);
		s75_table_column(tb, "Score", S75_CELL_INT);
		s75_table_column(tb, "Review", S75_CELL_TEXT);
		s75_table_column(tb, "Mitigating actions", S75_CELL_TEXT);
		for (size_t k = 0; k < g->nrisks; k++) {
			const s75_risk *r = &g->risks[order[k]];
			s75_table_row(tb, 0);
			s75_table_text(tb, r->id);
			s75_table_text(tb, s75_risk_kind_name(r->kind));
			s75_table_text(tb, r->pool >= 0 ? ag->arrangements[r->pool].id : "all");
			s75_buf_reset(&t);
			s75_buf_printf(&t, "%s %s", ag->partners[r->owner].id, r->owner_role);
			s75_table_text(tb, t.ptr);
			s75_table_int(tb, r->likelihood);
			s75_table_int(tb, r->impact);
			s75_table_int(tb, r->likelihood * r->impact);
			s75_buf_reset(&t);
			s75_buf_printf(&t, "%s%s", s75_date_format(d, r->review),
			               r->review < day ? " OVERDUE" : "");
			s75_table_text(tb, t.ptr);
			s75_buf_reset(&t);
			for (size_t i = 0; i < r->mitigations.n; i++)
				s75_buf_printf(&t, "%s%s", i ? "; " : "", r->mitigations.items[i]);
			s75_table_text(tb, t.ptr);
		}
		cli_render_table(tb, fmt, S75_UNIT_POUNDS, &out);
		s75_table_free(tb);
		s75_buf_release(&title);
	}
	free(order);
	rc = cli_write(&out, NULL);
	s75_buf_release(&out);
	s75_buf_release(&t);
	return rc;
}

static int meetings(int argc, char **argv, cli_ctx *ctx)
{
	const char *body = NULL, *format = "table";
	int first;
	const cli_opt opts[] = {
	    {"body", 'b', OPT_STRING, "BODY", "one body's meetings (default: all)", &body},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "governance meetings",
	    "[--body BODY] [--format table|csv|json]",
	    "The meetings log: each meeting, whether in public, the members present\n"
	    "by partner, whether it was quorate, and the reports it received.",
	    opts,
	    0,
	    0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_meeting *m = NULL;
	s75_receipt *r = NULL;
	size_t nm = 0, nr = 0;
	s75_buf out = S75_BUF_INIT, t = S75_BUF_INIT;
	char d[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	if (s75_meetings_list(&m, &nm, ctx->db, ag, body) ||
	    s75_receipts_list(&r, &nr, ctx->db, body)) {
		cli_error("%s", s75_error_last());
		s75_meetings_free(m, nm);
		return EXIT_BAD_INPUT;
	}
	json_t *arr = json_array();
	s75_table *tb = s75_table_new(NULL);
	const char *cols[] = {"Date", "Body", "Public", "Present", "Quorate", "Received", "Note"};
	for (int i = 0; i < 7; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < nm; i++) {
		int bi = s75_agreement_find_body(ag, m[i].body);
		const char *why = NULL;
		bool q = bi < 0 || s75_meeting_quorate(
		                       ag, &s75_agreement_governance(ag)->bodies[bi], &m[i], &why);
		s75_buf present = S75_BUF_INIT;
		if (m[i].present) {
			for (size_t p = 0; p < ag->npartners; p++)
				if (m[i].present[p] >= 0)
					s75_buf_printf(&present, "%s%s:%d", present.len ? "," : "",
					               ag->partners[p].id, m[i].present[p]);
		} else if (m[i].present_total >= 0) {
			s75_buf_printf(&present, "%d", m[i].present_total);
		}
		json_t *rec = json_array();
		s75_buf_reset(&t);
		for (size_t k = 0; k < nr; k++)
			if (r[k].date == m[i].date && !strcmp(r[k].body, m[i].body)) {
				s75_buf_printf(&t, "%s%s:%s", t.len ? ";" : "", r[k].item,
				               r[k].period);
				json_t *x = json_object();
				json_object_set_new(x, "item", json_string(r[k].item));
				json_object_set_new(x, "period", json_string(r[k].period));
				json_array_append_new(rec, x);
			}
		s75_date_format(d, m[i].date);
		if (fmt == FMT_JSON) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(m[i].id));
			json_object_set_new(o, "date", json_string(d));
			json_object_set_new(o, "body", json_string(m[i].body));
			json_object_set_new(o, "public", json_boolean(m[i].public_meeting));
			json_object_set_new(o, "present",
			                    present.len ? json_string(present.ptr) : json_null());
			json_object_set_new(o, "quorate", json_boolean(q));
			json_object_set_new(o, "received", rec);
			json_object_set_new(o, "note",
			                    m[i].note ? json_string(m[i].note) : json_null());
			json_array_append_new(arr, o);
		} else {
			json_decref(rec);
			s75_table_row(tb, 0);
			s75_table_text(tb, d);
			s75_table_text(tb, m[i].body);
			s75_table_text(tb, m[i].public_meeting ? "yes" : "no");
			s75_table_text(tb, present.ptr);
			s75_table_text(tb, q ? "yes" : why);
			s75_table_text(tb, t.ptr);
			s75_table_text(tb, m[i].note ? m[i].note : "");
		}
		s75_buf_release(&present);
	}
	if (fmt == FMT_JSON) {
		json_t *root = json_object();
		json_object_set_new(root, "meetings", arr);
		cli_json_out(root, &out);
	} else {
		json_decref(arr);
		cli_render_table(tb, fmt, S75_UNIT_POUNDS, &out);
	}
	s75_table_free(tb);
	rc = cli_write(&out, NULL);
	s75_buf_release(&out);
	s75_buf_release(&t);
	s75_meetings_free(m, nm);
	s75_receipts_free(r, nr);
	return rc;
}

static int decisions(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table";
	int first;
	const cli_opt opts[] = {
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "governance decisions",
	    "[--format table|csv|json]",
	    "The decisions log: each decision, who took it, when, and what it approved.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_decision *v;
	size_t n;
	s75_buf out = S75_BUF_INIT;
	char d[11];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	if (s75_decisions_list(&v, &n, ctx->db)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(v[i].id));
			json_object_set_new(o, "body", json_string(v[i].body));
			json_object_set_new(o, "date", json_string(s75_date_format(d, v[i].date)));
			json_object_set_new(o, "approves", json_string(v[i].approves));
			json_object_set_new(o, "summary", json_string(v[i].summary));
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "decisions", arr);
		cli_json_out(root, &out);
	} else {
		s75_table *tb = s75_table_new(NULL);
		const char *cols[] = {"Id", "Body", "Date", "Approves", "Summary"};
		for (int i = 0; i < 5; i++)
			s75_table_column(tb, cols[i], S75_CELL_TEXT);
		for (size_t i = 0; i < n; i++) {
			s75_table_row(tb, 0);
			s75_table_text(tb, v[i].id);
			s75_table_text(tb, v[i].body);
			s75_table_text(tb, s75_date_format(d, v[i].date));
			s75_table_text(tb, v[i].approves);
			s75_table_text(tb, v[i].summary);
		}
		cli_render_table(tb, fmt, S75_UNIT_POUNDS, &out);
		s75_table_free(tb);
	}
	rc = cli_write(&out, NULL);
	s75_buf_release(&out);
	s75_decisions_free(v, n);
	return rc;
}

/* Opens the workspace database for the subcommands that read the logs. */
static int need_db(cli_ctx *ctx)
{
	if (!ctx->db && s75_db_open(&ctx->db, CLI_DB_PATH, 0)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return 0;
}

int cmd_governance(int argc, char **argv, cli_ctx *ctx)
{
	int wants_help = 0, rc;
	for (int i = 2; i < argc; i++)
		wants_help |= !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help");
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 governance check [--as-of DATE] [--from DATE] [--months N] "
		            "[--format F]\n"
		            "       s75 governance risks [--as-of DATE] [--format F]\n"
		            "       s75 governance meetings [--body BODY] [--format F]\n"
		            "       s75 governance decisions [--format F]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "risks"))
		return risks(argc - 1, argv + 1, ctx);
	cli_fn fn = !strcmp(argv[1], "check")       ? check
	            : !strcmp(argv[1], "meetings")  ? meetings
	            : !strcmp(argv[1], "decisions") ? decisions
	                                            : NULL;
	if (fn)
		return !wants_help && (rc = need_db(ctx)) ? rc : fn(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not a governance command (check, risks, meetings, decisions)", argv[1]);
	return EXIT_USAGE;
}
