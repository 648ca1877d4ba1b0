/* s75 notice: record a notice to end the agreement, a pool or a lead-commissioning
 * function, and say when it takes effect. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_db_optional(s75_db **out)
{
	int rc = s75_db_open(out, CLI_DB_PATH, 0);
	if (rc == S75_ENOTFOUND) {
		*out = NULL;
		return 0;
	}
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	cli_set_actor(*out);
	return 0;
}

int cmd_notice(int argc, char **argv, cli_ctx *ctx)
{
	const char *by = NULL, *date = NULL, *scope = "agreement", *grounds = "general",
	           *note = NULL, *format = "table", *effective = NULL;
	int dry = 0, first;
	const cli_opt opts[] = {
	    {"by", 0, OPT_STRING, "PARTNER", "the partner serving notice", &by},
	    {"date", 'd', OPT_STRING, "DATE", "the day notice is served (or accepted)", &date},
	    {"scope", 0, OPT_STRING, "S",
	     "agreement (default), pool:ID, function:ID or arrangement:ID", &scope},
	    {"grounds", 0, OPT_STRING, "G",
	     "general (default), no-contribution-agreement, default or by-agreement", &grounds},
	    {"effective", 0, OPT_STRING, "DATE",
	     "by-agreement: the last day, as the partners agreed", &effective},
	    {"note", 0, OPT_STRING, "TEXT", "a note (e.g. the letter's reference)", &note},
	    {"dry-run", 'n', OPT_FLAG, NULL, "compute the day it takes effect without recording it",
	     &dry},
	    {"format", 'f', OPT_STRING, "FMT", "table or json (default table)", &format},
	    {0},
	};
	const cli_spec spec = {
	    "notice",
	    "--by PARTNER --date DATE [--scope S] [--grounds G] [--effective DATE] [--dry-run] [--format table|json]",
	    "Records a partner's notice to end the agreement (scope agreement), a pooled fund\n"
	    "(pool:ID), a lead-commissioning or integrated-provision function (function:ID) or\n"
	    "any arrangement (arrangement:ID), and computes the day it takes effect from the\n"
	    "agreement's notice terms: the date plus general_months,\n"
	    "no_contribution_agreement_months or default_months for its grounds (month ends "
	    "clamp:\n"
	    "31 August + 6 months is the end of February); with --grounds by-agreement, the day\n"
	    "the partners agreed (--effective). That day is the arrangement's last.\n"
	    "--dry-run computes without recording (no workspace database is needed).",
	    opts,
	    0,
	    0};
	cli_format fmt;
	s75_notice_input in;
	s75_notice n;
	s75_db *db = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 5, &fmt))
		return EXIT_USAGE;
	if (!by || !date) {
		cli_error("--by and --date are needed");
		return EXIT_USAGE;
	}
	memset(&in, 0, sizeof(in));
	if (s75_date_parse(&in.date, date)) {
		cli_error("--date: %s", s75_error_last());
		return EXIT_USAGE;
	}
	int g = s75_grounds_parse(grounds);
	if (g < 0) {
		cli_error(
		    "unknown grounds '%s' (expected general, no-contribution-agreement, default or by-agreement)",
		    grounds);
		return EXIT_USAGE;
	}
	in.by = by;
	in.scope = scope;
	in.grounds = (s75_grounds)g;
	in.note = note;
	if (effective && s75_date_parse(&in.effective, effective)) {
		cli_error("--effective: %s", s75_error_last());
		return EXIT_USAGE;
	}
	if (dry) {
		rc = s75_notice_compute(&n, ctx->ag, &in);
	} else {
		if (s75_db_open(&db, CLI_DB_PATH, 0)) {
			cli_error("%s", s75_error_last());
			return EXIT_BAD_INPUT;
		}
		rc = s75_notice_record(&n, db, ctx->ag, &in, cli_now());
		s75_db_close(db);
	}
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	s75_doc *doc = NULL;
	s75_report_options ro = cli_report_options(fmt);
	s75_report_notice(&doc, ctx->ag, &n, !dry, &ro);
	return cli_output_doc(doc, fmt, S75_UNIT_POUNDS, NULL);
}
