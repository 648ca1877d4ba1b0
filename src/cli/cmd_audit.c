/* s75 audit: the append-only audit log (src/lib/report/audit_report.c). */
#include "cli.h"

int cmd_audit(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
		{0},
	};
	const cli_spec spec = {"audit", "[--format FMT] [-o FILE]",
			       "Prints the audit log, oldest first: every import, undo, record, notice,\n"
			       "account change and login (failed ones too), with when, who and from where.",
			       opts, 0, 0};
	cli_format fmt;
	s75_doc *d;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, FMT_ALL, &fmt))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_audit(&d, ctx->db, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, output);
}
