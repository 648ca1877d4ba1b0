/* s75 recharges: the recharge statements of a period, a draft or as issued; --issue numbers
 * and keeps them (include/s75/recharges.h; the document by src/lib/report/recharges_report.c). */
#include "cli.h"

int cmd_recharges(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *partner = NULL, *format = "table", *units = "£", *output = NULL;
	int first, issue = 0;
	const cli_opt opts[] = {
		{"period", 0, OPT_STRING, "P", "the month recharged (2023/24 P3 or 2023-06)", &period},
		{"partner", 'p', OPT_STRING, "P", "only the statements partner P pays or receives", &partner},
		{"issue", 0, OPT_FLAG, NULL, "issue the draft: number its statements and keep them (audited)", &issue},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"recharges", "--period P [--issue] [--partner P] [--format F] [--units U] [-o FILE]",
		"The recharges of care packages for period P: the partner that pays a package's\n"
		"provider (its cost centre's partner, else its element's lead, else the pool's host)\n"
		"recharges the other side its part of the net cost (a CHC package's, the NHS share\n"
		"of a joint or section 117 one), month by month at the terms in force each day, split\n"
		"to the penny. A statement also adjusts each earlier month already charged whose\n"
		"figures changed (a backdated reassessment). Without --issue it is a draft; --issue\n"
		"numbers the statements and keeps them: an issued period is shown as issued ever\n"
		"after, and a later change is an adjustment on the next period's statement.",
		opts, 0, 1};
	cli_format fmt;
	s75_unit unit;
	s75_period p;
	s75_doc *d = NULL;
	s75_recharges *r = NULL;
	s75_buf joined = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if ((rc = cli_period_join(&period, &joined, first, argc, argv)) || (rc = cli_period(period, &p))) {
		s75_buf_release(&joined);
		return rc;
	}
	s75_buf_release(&joined);
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (issue) {
		if (s75_recharges_issue(&r, ctx->db, ctx->ag, p, cli_now())) {
			cli_error("%s", s75_error_last());
			return EXIT_BAD_INPUT;
		}
		rc = s75_report_recharges_doc(&d, r, ctx->ag, partner, &ro);
		s75_recharges_free(r);
	} else {
		rc = s75_report_recharges(&d, ctx->db, ctx->ag, p, partner, &ro);
	}
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}
