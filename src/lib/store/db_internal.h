/* Private to the library: what is behind an s75_db (a back end's connection), and helpers. */
#ifndef S75_DB_INTERNAL_H
#define S75_DB_INTERNAL_H

#include "s75/buf.h"
#include "s75/db.h"
#include "sql.h"

#define DB_KEPT 8

struct s75_db {
	const sql_backend *be; /* SQLite or PostgreSQL (sql.h) */
	void *conn;            /* the back end's connection (SQLite: the sqlite3 *) */
	char *path;            /* the file, or the URI without its password */
	int created;  /* the open created its tables (the schema version was 0) */
	int readonly; /* opened read-only: the file or its folder cannot be written */
	char *actor, *address; /* s75_db_set_actor(): recorded with each audit entry */
	struct ledger_year *years; /* the ledger's aggregates by year, kept (ledger_year.h), */
	void (*years_free)(struct ledger_year *); /* and how to free them (db.c is below) */
	/* statements kept prepared (db_prepare_kept), by their SQL's address */
	const char *kept_sql[DB_KEPT];
	sql_stmt *kept[DB_KEPT];
};

/* How long a command waits for another one's lock: long enough for a whole import of the
 * benchmark's size (bench/), so that concurrent imports queue rather than fail. */
#define DB_BUSY_WAIT_MS (10 * 60 * 1000)
#define DB_BUSY_WAIT_TEXT "10 minutes"

/* The statement layer (db_exec, db_prepare, db_prepare_kept, db_done, db_error,
 * db_temp_error, transactions) is declared in sql.h. */
/* The folder TEMP tables and other temporary files go in: SQLITE_TMPDIR, TMPDIR, or the
 * first of /var/tmp, /usr/tmp, /tmp that can be written. */
const char *db_temp_folder(void);
/* Appends to the audit log (inside the caller's transaction). */
int db_audit(s75_db *db, const char *at, const char *action, int64_t batch_id,
	     const char *detail);

/* The migrations (entry i takes the schema from version i to i + 1) and their number. */
const char *const *db_migrations(int *n);
/* The schema's names after migrations[0 .. version) ("type name" lines, sorted, as sqlite_master lists them,
 * without SQLite's own): _run runs the migrations on an empty in-memory database (S75_EIO
 * if the names cannot be read; sql_sqlite.c); _parsed reads them from the migrations' SQL
 * text (CREATE, DROP and ALTER TABLE ... RENAME TO), about a thousand times cheaper, and
 * returns -1, leaving `out` unfinished, at a statement it does not understand
 * (schema_names.c). */
int db_schema_names_run(s75_buf *out, const char *const *migrations, int version);
int db_schema_names_parsed(s75_buf *out, const char *const *migrations, int version);

#endif
