/* s75 record saving, s75 report savings: savings delivery (include/s75/savings.h); the
 * import (`import savings`) is with the other CSV imports in cmd_kpi.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* An amount in £ for option `name`: 0, or EXIT_USAGE after an error. */
static int need_amount(const char *arg, const char *name, int64_t *out)
{
	if (s75_money_parse(out, arg, strlen(arg), S75_UNIT_POUNDS, 0)) {
		cli_error("--%s: %s", name, s75_error_last());
		return EXIT_USAGE;
	}
	return 0;
}

int record_saving(int argc, char **argv, cli_ctx *ctx)
{
	const char *saving = NULL, *period = NULL, *delivered = NULL, *rest = NULL, *ref = NULL;
	int first;
	const cli_opt opts[] = {
		{"saving", 's', OPT_STRING, "ID", "the saving (its id in the year's savings)", &saving},
		{"period", 'p', OPT_STRING, "P", "the period it was delivered in, e.g. 2017/18 P4", &period},
		{"delivered", 0, OPT_STRING, "AMOUNT", "delivered in the period, in £ (e.g. 40000.00)", &delivered},
		{"forecast-rest", 0, OPT_STRING, "AMOUNT", "forecast to be delivered in the rest of the year, in £", &rest},
		{"reference", 0, OPT_STRING, "REF", "where the figure comes from (a tracker, a paper)", &ref},
		{0},
	};
	const cli_spec spec = {
		"record saving", "--saving ID --period P --delivered AMOUNT [--forecast-rest AMOUNT] [--reference REF]",
		"Records what a saving delivered in a period, and optionally the forecast for the rest\n"
		"of the year (audited). A saving and period already recorded is refused. The risk share\n"
		"uses delivery to date plus the forecast for the rest of the year (report savings).",
		opts, 0, 1};
	s75_saving_delivery_input in;
	s75_buf pjoin = S75_BUF_INIT;
	char per[16];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	memset(&in, 0, sizeof(in));
	rc = cli_period_join(&period, &pjoin, first, argc, argv);
	if (!rc && (!saving || !period || !delivered)) {
		cli_error("--saving, --period and --delivered are needed");
		rc = EXIT_USAGE;
	}
	if (!rc)
		rc = cli_period(period, &in.period);
	if (!rc)
		rc = need_amount(delivered, "delivered", &in.delivered);
	if (!rc && rest) {
		in.has_forecast = true;
		rc = need_amount(rest, "forecast-rest", &in.forecast_rest);
	}
	s75_buf_release(&pjoin);
	if (rc)
		return EXIT_USAGE;
	in.saving = saving;
	in.reference = ref;
	if (s75_saving_delivery_record(ctx->db, ctx->ag, &in, cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("recorded the delivery of saving %s in %s\n", saving, s75_period_format(per, in.period));
	return EXIT_OK;
}

int report_savings(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *pool = NULL, *format = "table", *output = NULL, *units = NULL;
	int first;
	const cli_opt opts[] = {
		{"period", 'p', OPT_STRING, "P", "the period, e.g. 2017/18 P6 or 2017-09", &period},
		{"pool", 0, OPT_STRING, "ID", "one pool's savings alone (default: every pool's)", &pool},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report savings", "--period P [--pool ID] [--format F] [--units U] [-o FILE]",
		"Savings delivery at a period: each saving's plan and delivery to date, the forecast\n"
		"for the year (delivery to date plus the forecast for the rest), the shortfall and who\n"
		"bears it (the partner that moved an unagreed saving into the pool; the risk share for\n"
		"an agreed one), RAG and plans at risk; and the plan and delivery by period.",
		opts, 0, 1};
	cli_format fmt;
	s75_period per;
	s75_unit unit;
	s75_doc *d = NULL;
	s75_buf pjoin = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	rc = cli_period_join(&period, &pjoin, first, argc, argv) ||
	     cli_output_parse(format, FMT_ALL, &fmt, units, &unit) || cli_period(period, &per);
	s75_buf_release(&pjoin);
	if (rc)
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	ro.pool = pool;
	if (s75_report_savings(&d, ctx->db, ctx->ag, per, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}
