/* Private to the store: the PostgreSQL back end of the statement layer (sql.h), and the
 * pieces of it the unit tests reach on their own (tests/unit/test_sql_pg.c). */
#ifndef S75_SQL_PG_H
#define S75_SQL_PG_H

#include "s75/buf.h"
#include "sql.h"

extern const sql_backend sql_pg_backend;

/* The schema a workspace uses when its connection names none. */
#define PG_DEFAULT_SCHEMA "s75"

/* A migration's SQL for PostgreSQL alone: in a comment from this to its end, which SQLite
 * skips (no "*" "/" inside) and pg_translate_ddl() copies out as it is. */
#define PG_ONLY_OPEN "/*postgresql:"

/*
 * The function that numbers a table's rows as SQLite numbers a rowid: one more than the
 * largest, under the schema's write lock (db_begin_write's advisory lock), so a rolled-back
 * insert leaves no gap as a sequence would. It is the default of each INTEGER PRIMARY KEY
 * column, s75_rowid_next('table'::regclass, 'column') (the table by its oid: a renamed one
 * keeps it), so it runs only for a row inserted without the column; a COPY that gives the
 * column keeps its batched inserts, which a BEFORE ROW trigger would turn off.
 */
#define PG_ROWID_FUNCTION                                                                        \
	"CREATE OR REPLACE FUNCTION s75_rowid_next(t regclass, col text) RETURNS bigint"            \
	" LANGUAGE plpgsql AS $f$DECLARE n bigint; BEGIN"                                           \
	" PERFORM pg_advisory_xact_lock(hashtextextended('s75:' || current_schema(), 0));"          \
	" EXECUTE format('SELECT coalesce(max(%I), 0) + 1 FROM %s', col, t) INTO n; RETURN n; END$f$"

/* The parameters of a statement once rewritten for PostgreSQL. */
typedef struct pg_params {
	int n;          /* the statement's own: the largest ?N */
	int nhidden;    /* hidden ones after them, $n+1 ... $n+nhidden */
	int *mirror;    /* [nhidden]: the parameter whose NULL-ness each hidden one carries */
	unsigned char *used; /* [n]: 1 if it appears other than in an IS [NOT] NULL test */
	size_t alloc;
} pg_params;

/*
 * Rewrites the `?` and `?N` placeholders of `sql` to PostgreSQL's $N, numbering a bare `?`
 * as SQLite does (one more than the largest number so far); quoted literals, quoted
 * identifiers and comments are copied as they are. A placeholder tested with IS [NOT]
 * NULL, which PostgreSQL cannot give a type, becomes a hidden text parameter bound NULL
 * when it is (`?1 IS NULL OR x = ?1` is `$2::text IS NULL OR x = $1`).
 * Returns 0, or S75_EINVALID (the last error set) for `?0` or a number above 32767.
 * Release `pp` with pg_params_release() (also after a failure).
 */
int pg_rewrite_placeholders(s75_buf *out, pg_params *pp, const char *sql);
void pg_params_release(pg_params *pp);

/*
 * Translates the SQLite dialect of the migrations (DDL) to PostgreSQL's: INTEGER PRIMARY
 * KEY to a BIGINT numbered as SQLite numbers a rowid (PG_ROWID_DEFAULT), INTEGER to BIGINT, BLOB to BYTEA, COLLATE NOCASE to the
 * schema's case-insensitive collation; WITHOUT ROWID and STRICT dropped; a trigger with a
 * BEGIN ... END body becomes a PL/pgSQL function and a trigger calling it (RAISE(ABORT, m)
 * becomes RAISE EXCEPTION); DROP TRIGGER finds the trigger's table. Anything else is
 * copied unchanged, so plain statements pass through. A comment opening with PG_ONLY_OPEN
 * holds SQL for PostgreSQL alone (SQLite skips it): its text is copied out as it is.
 */
void pg_translate_ddl(s75_buf *out, const char *sql);

/*
 * Splits an s75 connection string, a postgresql:// (or postgres://) URI that may carry
 * `schema=NAME` among its parameters, into what libpq takes and the schema
 * (PG_DEFAULT_SCHEMA when none). A password in it is refused: libpq reads it from
 * PGPASSFILE, ~/.pgpass or PGPASSWORD, never from the workspace.
 * @param[out] conninfo  the URI without `schema=` (free())
 * @param[out] schema    the schema's name (free())
 * @return 0 or S75_EINVALID with the last error set
 */
int pg_target_parse(char **conninfo, char **schema, const char *target);

#endif
