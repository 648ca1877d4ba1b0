/* s75 period close|reopen|list: sealing a month of the ledger once reconciled
 * (include/s75/periods.h; the list is built by src/lib/report/periods_report.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Prints "closed 2017/18P1, 2017/18P2 for every partner". */
static void say_periods(const char *verb, const s75_period *p, size_t n, const s75_agreement *ag,
			const char *partner)
{
	char pb[16];
	int i = partner ? s75_agreement_find_partner(ag, partner) : -1;
	printf("%s", verb);
	for (size_t k = 0; k < n; k++)
		printf("%s%s", k ? ", " : " ", s75_period_format(pb, p[k]));
	printf(" for %s\n", i >= 0 ? ag->partners[i].name : "every partner");
}

static int period_close(int argc, char **argv, cli_ctx *ctx)
{
	const char *partner = NULL;
	int first;
	const cli_opt opts[] = {
		{"partner", 'p', OPT_STRING, "P", "close it for this partner only (its id)", &partner},
		{0},
	};
	const cli_spec spec = {
		"period close", "PERIOD [--partner P]",
		"Closes a period once its ledger is reconciled (e.g. 2017/18P6), with every earlier\n"
		"period of its year still open, for every partner or one. Later imports of rows dated\n"
		"in it are refused unless imported with --late-to-open (or the profile's late_to_open),\n"
		"which posts them to the first open period as prior-period items; its forecasts cannot\n"
		"be replaced nor its batches undone. Each period closed is sealed with the sha256 of\n"
		"its ledger totals ('check --ledger' compares) and logged in the audit log.",
		opts, 1, 1};
	s75_period p, *done = NULL;
	size_t n;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if ((rc = cli_period(argv[first], &p)))
		return rc;
	if (s75_period_close(&done, &n, ctx->db, ctx->ag, p, partner, cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	say_periods("closed", done, n, ctx->ag, partner);
	free(done);
	return EXIT_OK;
}

static int period_reopen(int argc, char **argv, cli_ctx *ctx)
{
	const char *partner = NULL, *reason = NULL;
	int first;
	const cli_opt opts[] = {
		{"partner", 'p', OPT_STRING, "P", "reopen it for this partner only (its id)", &partner},
		{"reason", 'r', OPT_STRING, "TEXT", "why it is reopened (required; kept in the audit log)",
		 &reason},
		{0},
	};
	const cli_spec spec = {
		"period reopen", "PERIOD --reason TEXT [--partner P]",
		"Reopens a closed period, and every later period of its year closed for the same\n"
		"partners, for a reason recorded with the closing and in the audit log.",
		opts, 1, 1};
	s75_period p, *done = NULL;
	size_t n;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if ((rc = cli_period(argv[first], &p)))
		return rc;
	if (!reason) {
		cli_error("--reason is needed: why the period is reopened");
		return EXIT_USAGE;
	}
	if (s75_period_reopen(&done, &n, ctx->db, ctx->ag, p, partner, reason, cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	say_periods("reopened", done, n, ctx->ag, partner);
	free(done);
	return EXIT_OK;
}

static int period_list(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table", *units = "£", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"period list", "[--format table|csv|json|xlsx|html|pdf] [--units U] [-o FILE]",
		"Lists every closing of a period: for whom, when and by whom, its rows, expenditure\n"
		"and seal, and any reopening with its reason; then the prior-period items (rows dated\n"
		"in a closed period that an import posted to a later one). CSV is the closings.",
		opts, 0, 0};
	cli_format fmt;
	s75_unit unit;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_periods(&d, ctx->db, ctx->ag, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int cmd_period(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 period close PERIOD [--partner P]\n"
			    "       s75 period reopen PERIOD --reason TEXT [--partner P]\n"
			    "       s75 period list [--format FMT] [--units U] [-o FILE]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "close"))
		return period_close(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "reopen"))
		return period_reopen(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "list"))
		return period_list(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not a period command (close, reopen, list)", argv[1]);
	return EXIT_USAGE;
}
