/* s75 report: the monitoring report (src/lib/report/monitoring_report.c), the statutory
 * quarterly report and annual return (src/lib/report/statutory_report.c), and the dispatch
 * to the others. */
#include <string.h>

#include "cli.h"

static int monitoring(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *level = "element", *format = "table", *output = NULL,
		   *units = NULL, *pool = NULL;
	int first;
	const cli_opt opts[] = {
		{"period", 'p', OPT_STRING, "P", "the period, e.g. 2017/18 P6 or 2017-09", &period},
		{"pool", 0, OPT_STRING, "ID", "one pool alone (default: every pool, each with its subtotal)", &pool},
		{"level", 'l', OPT_STRING, "LEVEL", "pool, element or cost-centre (default element)", &level},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report monitoring", "--period P [--pool ID] [--level pool|element|cost-centre] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
		"The monthly monitoring report: annual budget, budget to date (profiled), actual to\n"
		"date (expenditure less income; transfers between partners are not spend), variance\n"
		"to date, forecast outturn, forecast variance and the movement in the forecast since\n"
		"the previous period, with totals. Variances are positive for an overspend. A forecast\n"
		"stands until it is revised: a cost centre's forecast is the latest imported at or\n"
		"before the period; where none was imported that year, the element's forecast_default\n"
		"applies. Stale forecasts, forecasts below the actual to date and missing inputs are\n"
		"warned of at the top; forecast notes are the rows' commentary.",
		opts, 0, 1};
	cli_format fmt;
	s75_period per;
	s75_level lvl;
	s75_unit unit;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	s75_buf pjoin = S75_BUF_INIT;
	rc = cli_period_join(&period, &pjoin, first, argc, argv) ||
	     cli_output_parse(format, FMT_ALL, &fmt, units, &unit) || cli_period(period, &per);
	s75_buf_release(&pjoin);
	if (rc)
		return EXIT_USAGE;
	if (!strcmp(level, "pool"))
		lvl = S75_LEVEL_POOL;
	else if (!strcmp(level, "element"))
		lvl = S75_LEVEL_ELEMENT;
	else if (!strcmp(level, "cost-centre"))
		lvl = S75_LEVEL_COST_CENTRE;
	else {
		cli_error("unknown level '%s' (expected pool, element or cost-centre)", level);
		return EXIT_USAGE;
	}
	s75_report_options ro = cli_report_options(fmt);
	ro.pool = pool;
	if ((rc = s75_report_monitoring(&d, ctx->db, ctx->ag, per, lvl, &ro))) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int report_quarterly(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *quarter = NULL, *format = "table", *output = NULL, *units = NULL,
		   *pool = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year, e.g. 2017/18", &year},
		{"quarter", 'q', OPT_STRING, "Q", "the quarter, 1 (April-June) to 4 (January-March)", &quarter},
		{"pool", 0, OPT_STRING, "ID", "one pool alone (default: every pool, a section each)", &pool},
		{"format", 'f', OPT_STRING, "FMT", "table, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report quarterly", "--year Y --quarter Q [--pool ID] [--format table|json|xlsx|html|pdf] [-o FILE]",
		"The pool manager's quarterly report to the partners, per pool: contributions due\n"
		"(four equal instalments) and paid or received by each partner, other income and\n"
		"expenditure by element for the quarter and the year to date, the forecast outturn\n"
		"and the projected risk share at the quarter's end.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	int fy, q, rc = cli_parse(&spec, argc, argv, &first);
	s75_doc *d = NULL;
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL & ~(1u << FMT_CSV), &fmt, units, &unit))
		return EXIT_USAGE;
	if (!quarter || strlen(quarter) != 1 || quarter[0] < '1' || quarter[0] > '4') {
		cli_error("--quarter takes 1, 2, 3 or 4");
		return EXIT_USAGE;
	}
	q = quarter[0] - '0';
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	ro.pool = pool;
	if (s75_report_quarterly(&d, ctx->db, ag, fy, q, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int report_annual_return(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL, *units = NULL, *pool = NULL;
	int first, direct = 0, net = 0;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"pool", 0, OPT_STRING, "ID", "one pool alone, with its own payments (default: every pool)", &pool},
		{"direct", 0, OPT_FLAG, NULL, "balancing payments directly between partners", &direct},
		{"net", 0, OPT_FLAG, NULL, "net the pools' balances into one set of payments", &net},
		{"format", 'f', OPT_STRING, "FMT", "table, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report annual-return", "[--year Y] [--pool ID] [--direct] [--net] [--format table|json|xlsx|html|pdf] [-o FILE]",
		"The annual return of the pooled fund: its memorandum account (contributions by\n"
		"partner, other income, grants, expenditure by element, surplus or deficit), the\n"
		"allocation under the risk share, the balancing payments (per pool through its\n"
		"host, or with --net netted across pools) and the reserve carried\n"
		"forward. It states the sha256 of the agreement file and lists the import batches\n"
		"(file, sha256, rows, totals) it rests on.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	s75_doc *d = NULL;
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL & ~(1u << FMT_CSV), &fmt, units, &unit))
		return EXIT_USAGE;
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	ro.pool = pool;
	if (s75_report_annual_return(&d, ctx->db, ag, fy, direct, net, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 report monitoring --period P [--pool P] [--level L] [--format F]\n"
			    "       s75 report quarterly --year Y --quarter Q [--pool P] [--format F]\n"
			    "       s75 report annual-return [--year Y] [--pool P] [--format F]\n"
			    "       s75 report partner-statement --partner P [--year Y] [--format F]\n"
			    "       s75 report packages [--date D] [--pool P] [--format F]\n"
			    "       s75 report kpi --period P [--pool P] [--format F]\n"
			    "       s75 report contributions-due [--year Y] [--as-of D] [--format F]\n"
			    "       s75 report savings --period P [--pool P] [--format F]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "monitoring"))
		return monitoring(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "quarterly"))
		return report_quarterly(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "annual-return"))
		return report_annual_return(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "partner-statement"))
		return report_partner_statement(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "packages"))
		return cmd_report_packages(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "kpi"))
		return report_kpi(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "contributions-due"))
		return report_contributions_due(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "savings"))
		return report_savings(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not a report (monitoring, quarterly, annual-return, partner-statement, packages, kpi, contributions-due, savings)", argv[1]);
	return EXIT_USAGE;
}
