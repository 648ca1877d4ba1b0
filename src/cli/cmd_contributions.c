/* s75 contributions: the contributions schedule of a year. */
#include "cli.h"

int cmd_contributions(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *units = NULL, *output = NULL, *as_of = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year, e.g. 2017/18 (default: the latest)", &year},
		{"as-of", 0, OPT_STRING, "DATE", "contributions in force on DATE (default: the year's end)", &as_of},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"contributions", "[--year Y] [--as-of DATE] [--format table|csv|json|xlsx|html|pdf] [--units U] [-o FILE]",
		"Prints the contributions schedule of a year: per pool, element and partner the gross\n"
		"contribution, less service-user income, less grants, the net, and each partner's share\n"
		"of the pool's net; totals per pool and per partner. JSON amounts are integer pence.\n"
		"The contributions are those in force at the year's end (the schedule plus the year's\n"
		"variations), or on --as-of DATE (the year is then DATE's unless --year says).",
		opts, 0, 0};
	cli_format fmt;
	s75_unit unit;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	s75_doc *d = NULL;

	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_date at = 0;
	if (as_of && s75_date_parse(&at, as_of)) {
		cli_error("--as-of: %s", s75_error_last());
		return EXIT_USAGE;
	}
	if (as_of && !year) {
		char fys[8];
		fy = s75_fy_of_date(at);
		if (!s75_agreement_find_year(ctx->ag, fy)) {
			cli_error("the agreement has no year %s", s75_fy_format(fys, fy));
			return EXIT_BAD_INPUT;
		}
	} else if ((rc = cli_year(ctx->ag, year, &fy))) {
		return rc;
	}
	if (as_of && s75_fy_of_date(at) != fy) {
		cli_error("--as-of %s is not in the year %s", as_of, year);
		return EXIT_USAGE;
	}
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_contributions(&d, ctx->ag, fy, as_of ? at : s75_fy_end(fy), &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}
