/* s75 batches: the imports with their control totals (src/lib/report/batches_report.c). */
#include "cli.h"

int cmd_batches(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table";
	int all = 0, first;
	const cli_opt opts[] = {
		{"all", 'a', OPT_FLAG, NULL, "include undone imports", &all},
		{"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
		{0},
	};
	const cli_spec spec = {"batches", "[--all] [--format table|csv|json]",
			       "Lists the imports: id, kind, file, sha256, rows read, imported and\n"
			       "rejected, when, and the control totals per partner and kind.",
			       opts, 0, 0};
	cli_format fmt;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_batches(&d, ctx->db, all, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, NULL);
}
