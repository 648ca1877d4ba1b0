/* s75 init: create the workspace database beside the agreement. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"

int cmd_init(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {
		"init", "",
		"Creates the workspace database s75.db in the current folder (or -C DIR), beside\n"
		"agreement.yaml, which must load without errors. On an existing database it only\n"
		"migrates the schema forward.",
		opts, 0, 0};
	s75_db *db;
	int rc = cli_parse(&spec, argc, argv, &first);
	(void)ctx;
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	int existed = access(CLI_DB_PATH, F_OK) == 0;
	if (s75_db_open(&db, CLI_DB_PATH, S75_DB_CREATE)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("%s %s (schema version %d)\n", existed ? "opened" : "created", CLI_DB_PATH,
	       s75_db_schema_version(db));
	s75_db_close(db);
	return EXIT_OK;
}
