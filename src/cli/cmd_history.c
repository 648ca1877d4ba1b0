/* s75 history: the changes to the agreement (src/lib/report/history_report.c). */
#include "cli.h"

int cmd_history(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL, *units = "£";
	int first, fy = -1;
	const cli_opt opts[] = {
	    {"year", 'y', OPT_STRING, "YEAR", "one financial year's changes (default: all)", &year},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    CLI_UNITS_OUTPUT_OPTS(units, output),
	    {0},
	};
	const cli_spec spec = {
	    "history",
	    "[--year Y] [--format table|csv|json|xlsx|html|pdf] [--units U] [-o FILE]",
	    "The changes to the agreement in date order: each year's schedule (agreed or still\n"
	    "indicative), each variation's changes to contributions (the net in force before and\n"
	    "after), to the risk share and to KPIs with the decision that approved it, and each\n"
	    "notice recorded.",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_unit unit;
	s75_db *db = NULL;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if (year && s75_fy_parse(&fy, year)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	if ((rc = cli_db_optional(&db)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	rc = s75_report_history(&d, db, ctx->ag, fy, &ro);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}
