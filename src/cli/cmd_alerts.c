/* s75 alerts: the breaches of the agreement's tolerance and whether each was reported
 * (built by src/lib/report/alerts_report.c). */
#include "cli.h"

int cmd_alerts(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *as_of = NULL, *format = "table", *units = "£", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"period", 0, OPT_STRING, "P", "the period (2017/18 P6 or 2017-09): its year up to it", &period},
		{"as-of", 0, OPT_STRING, "DATE", "whether reports are overdue on DATE (default today)", &as_of},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"alerts", "--period P [--as-of DATE] [--format table|csv|json|xlsx|html|pdf] [--units U] [-o FILE]",
		"Lists each breach of the agreement's tolerance in the year up to period P: an\n"
		"element whose forecast variance, either way, went beyond the tolerance's percentage\n"
		"of its budget or its amount; the periods it lasted, since when it was known (the\n"
		"forecasts' import), the day the partners must be told by (the tolerance's working\n"
		"days, England and Wales bank holidays), and the tolerance report received for it\n"
		"(s75 record receipt --item tolerance-report --period P). One not reported in time is\n"
		"a breach in 'governance check'.",
		opts, 0, 1};
	cli_format fmt;
	s75_unit unit;
	s75_period p;
	s75_date at;
	s75_doc *d = NULL;
	s75_buf joined = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if ((rc = cli_period_join(&period, &joined, first, argc, argv)) || (rc = cli_period(period, &p)) ||
	    (rc = cli_date(as_of, &at))) {
		s75_buf_release(&joined);
		return rc;
	}
	s75_buf_release(&joined);
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_alerts(&d, ctx->db, ctx->ag, p, at, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}
