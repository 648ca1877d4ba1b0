/* s75 budgets: the cost-centre budgets of a year (src/lib/report/budgets_report.c). */
#include "cli.h"

int cmd_budgets(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year (default: the latest)", &year},
		{"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
		{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
		{0},
	};
	const cli_spec spec = {"budgets", "[--year Y] [--format table|csv|json] [-o FILE]",
			       "Lists every cost centre with its pool, element, the partner whose\n"
			       "statutory function it serves, and its budget for the year (zero if\n"
			       "none was set). JSON amounts are integer pence.",
			       opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_doc *d = NULL;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_budgets(&d, ag, fy, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, output);
}
