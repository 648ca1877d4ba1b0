/* s75 governance check|risks|meetings|decisions: breaches of the agreement's governance
 * (exit 1 when there are any, for cron), the risk register and the logs
 * (src/lib/report/governance_report.c). */
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
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "governance check",
	    "[--as-of DATE] [--from DATE] [--months N] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
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
	s75_doc *doc = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt) || cli_date(as_of, &o.as_of))
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
	size_t nb = 0;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_governance_check(&doc, &nb, ctx->db, ctx->ag, &o, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	rc = cli_output_doc(doc, fmt, S75_UNIT_POUNDS, output);
	if (!rc && nb)
		rc = EXIT_BAD_INPUT;
	return rc;
}

static int risks(int argc, char **argv, cli_ctx *ctx)
{
	const char *as_of = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"as-of", 0, OPT_STRING, "DATE", "flag risks past review on DATE (default: today)",
	     &as_of},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "governance risks",
	    "[--as-of DATE] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
	    "The risk register: each risk's kind, pool, owner, likelihood and impact (1-5) and\n"
	    "their product the score, its mitigating actions, and its review date (flagged when\n"
	    "past), highest score first.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_date day;
	s75_doc *doc = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt) || cli_date(as_of, &day))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_risks(&doc, ctx->ag, day, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(doc, fmt, S75_UNIT_POUNDS, output);
}

static int meetings(int argc, char **argv, cli_ctx *ctx)
{
	const char *body = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"body", 'b', OPT_STRING, "BODY", "one body's meetings (default: all)", &body},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "governance meetings",
	    "[--body BODY] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
	    "The meetings log: each meeting, whether in public, the members present\n"
	    "by partner, whether it was quorate, and the reports it received.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_doc *doc = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_meetings(&doc, ctx->db, ctx->ag, body, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(doc, fmt, S75_UNIT_POUNDS, output);
}

static int decisions(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "governance decisions",
	    "[--format table|csv|json|xlsx|html|pdf] [-o FILE]",
	    "The decisions log: each decision, who took it, when, and what it approved.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_doc *doc = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_decisions(&doc, ctx->db, ctx->ag, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(doc, fmt, S75_UNIT_POUNDS, output);
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
		            "[--format F] [-o FILE]\n"
		            "       s75 governance risks [--as-of DATE] [--format F] [-o FILE]\n"
		            "       s75 governance meetings [--body BODY] [--format F] [-o FILE]\n"
		            "       s75 governance decisions [--format F] [-o FILE]\n");
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
