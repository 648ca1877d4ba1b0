/* s75 riskshare / settle: the risk share applied to a year (src/lib/report/settlement.c). */
#include "cli.h"

static int run(int argc, char **argv, cli_ctx *ctx, bool settle)
{
	const char *period = NULL, *year = NULL, *format = "table", *output = NULL, *units = NULL,
		   *pool = NULL;
	int direct = 0, net = 0, first;
	const cli_opt ropts[] = {
		{"period", 'p', OPT_STRING, "P", "the period of the forecasts, e.g. 2017/18P6 or 2017-09", &period},
		{"pool", 0, OPT_STRING, "ID", "one pool alone (default: every pool)", &pool},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_opt sopts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year to settle (default: the latest)", &year},
		{"pool", 0, OPT_STRING, "ID", "one pool alone, with its own payments (default: every pool)", &pool},
		{"direct", 0, OPT_FLAG, NULL, "the fewest direct payments instead of through the host", &direct},
		{"net", 0, OPT_FLAG, NULL, "net the pools' balances into one set of payments", &net},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec rspec = {
		"riskshare", "--period P [--pool ID] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
		"Projects the split of each pool's forecast variance at period P under the\n"
		"agreement's risk share, with the working step by step: savings not delivered,\n"
		"ring-fenced elements, any part of the year before pooling, then each band.",
		ropts, 0, 1};
	const cli_spec sspec = {
		"settle", "[--year Y] [--pool ID] [--direct] [--net] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
		"The year-end settlement on actuals: per pool and partner the net contribution, its\n"
		"share of the variance by step, its final cost, what it spent and transferred\n"
		"through its own ledger, and the balance owed to (positive) or by it; the balancing\n"
		"payments of each pool through that pool's host (with --net, the pools' balances\n"
		"netted through the agreement's host; with --direct, the fewest direct payments);\n"
		"and any reserve carried forward (held by the pool's host).",
		sopts, 0, 0};
	s75_period per = {0, 0};
	s75_doc *d = NULL;
	cli_format fmt;
	s75_unit unit;
	s75_buf pj = S75_BUF_INIT;
	int fy, rc = cli_parse(settle ? &sspec : &rspec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if (settle) {
		if ((rc = cli_year(ctx->ag, year, &fy)))
			return rc;
	} else {
		rc = cli_period_join(&period, &pj, first, argc, argv) ? EXIT_USAGE
									: cli_period(period, &per);
		s75_buf_release(&pj);
		if (rc)
			return rc;
	}
	s75_report_options ro = cli_report_options(fmt);
	ro.pool = pool;
	if (settle ? s75_report_settle(&d, ctx->db, ctx->ag, fy, direct, net, &ro)
		   : s75_report_riskshare(&d, ctx->db, ctx->ag, per, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int cmd_riskshare(int argc, char **argv, cli_ctx *ctx)
{
	return run(argc, argv, ctx, false);
}

int cmd_settle(int argc, char **argv, cli_ctx *ctx)
{
	return run(argc, argv, ctx, true);
}
