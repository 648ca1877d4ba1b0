/* s75 status: where the agreement and each arrangement stand (src/lib/report/status_report.c). */
#include "cli.h"

int cmd_status(int argc, char **argv, cli_ctx *ctx)
{
	const char *as_of = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"as-of", 0, OPT_STRING, "DATE", "where things stand on DATE (default: today)", &as_of},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "status",
	    "[--as-of DATE] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
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
	s75_doc *doc = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt) || cli_date(as_of, &day))
		return EXIT_USAGE;
	if ((rc = cli_db_optional(&db)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	rc = s75_report_status(&doc, db, ag, day, &ro);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(doc, fmt, S75_UNIT_POUNDS, output);
}
