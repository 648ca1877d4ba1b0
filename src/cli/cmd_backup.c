/* s75 backup FILE: an online copy of the workspace's s75.db. */
#include <stdio.h>

#include "cli.h"

int cmd_backup(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {
		"backup", "FILE",
		"Copies the workspace's database s75.db to FILE while other commands and the web\n"
		"server keep running (SQLite's backup API: one consistent snapshot), checks the\n"
		"copy and only then puts it in place. Restore by stopping the server and copying\n"
		"FILE over s75.db. A workspace in PostgreSQL is backed up with pg_dump instead\n"
		"(docs/deploy.md).",
		opts, 1, 1};
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (s75_db_backup(ctx->db, argv[first])) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("backed up %s to %s (schema version %d)\n", s75_db_location(ctx->db), argv[first],
	       s75_db_schema_version(ctx->db));
	return EXIT_OK;
}
