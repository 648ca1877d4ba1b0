/* s75 migrate --to URI: copy the workspace into PostgreSQL and prove the copy
 * (src/lib/store/copy.c, src/lib/report/migrate_report.c). */
#include "cli.h"

int cmd_migrate(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table", *to = NULL;
	int first;
	const cli_opt opts[] = {
		{"to", 0, OPT_STRING, "URI",
		 "postgresql://[USER@]HOST[:PORT]/DB?schema=NAME, a new schema (no password: PGPASSFILE or ~/.pgpass)",
		 &to},
		{"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
		{0},
	};
	const cli_spec spec = {
		"migrate", "--to URI [--format table|csv|json]",
		"Copies the workspace's s75.db into a new PostgreSQL schema in one transaction,\n"
		"kept only if every table's rows, every batch's control totals and every period's\n"
		"totals by kind agree between the workspace and the copy (summed again from the\n"
		"copied ledger rows); then records the connection in s75.database, so that later\n"
		"commands use PostgreSQL. s75.db is left as it was. Lists the checks.",
		opts, 0, 0};
	cli_format fmt;
	s75_copy_result r;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!to) {
		cli_error("migrate needs --to URI (a postgresql:// URI)");
		return EXIT_USAGE;
	}
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	rc = s75_db_migrate_to(&r, ctx->db, CLI_DB_PATH, to);
	if (rc && !r.nchecks) {
		cli_error("%s", s75_error_last());
		s75_copy_result_release(&r);
		return EXIT_BAD_INPUT;
	}
	/* the checks are shown, and a disagreement is also an error */
	char msg[1024];
	snprintf(msg, sizeof(msg), "%s", rc ? s75_error_last() : "");
	s75_report_options ro = cli_report_options(fmt);
	s75_report_migration(&d, &r, &ro);
	s75_copy_result_release(&r);
	int out = cli_output_doc(d, fmt, S75_UNIT_POUNDS, NULL);
	if (rc) {
		cli_error("%s", msg);
		return EXIT_BAD_INPUT;
	}
	return out;
}
