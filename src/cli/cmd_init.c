/* s75 init: create the workspace database beside the agreement, or in PostgreSQL. */
#include <stdio.h>

#include "cli.h"

int cmd_init(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const char *database = NULL;
	const cli_opt opts[] = {
		{"database", 0, OPT_STRING, "URI",
		 "keep the workspace in PostgreSQL: postgresql://[USER@]HOST[:PORT]/DB[?schema=NAME] (no password: PGPASSFILE or ~/.pgpass)",
		 &database},
		{0},
	};
	const cli_spec spec = {
		"init", "[--database URI]",
		"Creates the workspace database s75.db in the current folder (or -C DIR), beside\n"
		"agreement.yaml, which must load without errors. On an existing database it only\n"
		"migrates the schema forward. With --database, the workspace's tables are a schema\n"
		"of a PostgreSQL database instead (schema=NAME, by default s75; one per agreement),\n"
		"recorded in the workspace's s75.database so that every later command uses it;\n"
		"S75_DATABASE overrides both.",
		opts, 0, 0};
	s75_db *db;
	int rc = cli_parse(&spec, argc, argv, &first);
	(void)ctx;
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (database ? s75_db_init_database(&db, CLI_DB_PATH, database)
		     : s75_db_open(&db, CLI_DB_PATH, S75_DB_CREATE)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("%s %s (schema version %d)\n", s75_db_created(db) ? "created" : "opened",
	       s75_db_location(db), s75_db_schema_version(db));
	s75_db_close(db);
	return EXIT_OK;
}
