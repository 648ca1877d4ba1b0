/* Private to the store: the statement layer every SQL call of the library goes through.
 *
 * It mirrors SQLite's own API (sqlite3_prepare/bind/step/column/reset/finalize) so that
 * converting a call is a rename (scripts/sqlconv.sh), and it runs on a back end chosen
 * when the workspace is opened: SQLite (sql_sqlite.c) or PostgreSQL (sql_pg.c). Only a
 * back end includes its client library's header.
 *
 * SQL written for this layer runs unchanged on SQLite 3.40 and PostgreSQL 15:
 *   - placeholders are `?` (numbered left to right from 1) or `?N` (the same N may repeat);
 *     the PostgreSQL back end rewrites them to $N;
 *   - no INSERT OR IGNORE/REPLACE (INSERT ... ON CONFLICT (...) DO NOTHING / DO UPDATE),
 *     no last_insert_rowid() (INSERT ... RETURNING id), no group_concat, no GLOB, no SQLite
 *     date functions (dates are integers, worked in C), no PRAGMA outside a back end;
 *   - integers compared with integers, booleans 0/1 integers, money INTEGER (BIGINT on
 *     PostgreSQL), and an ORDER BY on every multi-row SELECT whose order reaches output.
 *
 * Errors: a function that returns an int returns 0 (or SQL_ROW/SQL_DONE for sql_step) on
 * success; on failure db_error() words the cause in terms a finance officer can act on.
 */
#ifndef S75_SQL_H
#define S75_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s75/agreement.h"
#include "s75/buf.h"
#include "s75/db.h"

struct stage;
struct stage_row;

/* A prepared statement, owned by whoever prepared it (sql_finalize), except a kept one
 * (db_prepare_kept), which the connection owns. */
typedef struct sql_stmt sql_stmt;

/* What sql_step() and the back end's calls return. The numbers are SQLite's, so that its
 * back end passes them through. */
enum {
	SQL_OK = 0,
	SQL_ERROR = 1,       /* any other failure: db_error() describes it */
	SQL_BUSY = 5,        /* a lock not granted in time, or (PostgreSQL) a serialisation
			      * failure: the whole transaction may be retried */
	SQL_CONSTRAINT = 19, /* a UNIQUE, CHECK, NOT NULL or foreign key constraint refused it */
	SQL_ROW = 100,       /* sql_step(): a row is ready for sql_column_*() */
	SQL_DONE = 101,      /* sql_step(): finished, no (more) rows */
};

/* A column's type in the current row (sql_column_type). */
enum { SQL_INTEGER = 1, SQL_FLOAT = 2, SQL_TEXT = 3, SQL_BLOB = 4, SQL_NULL = 5 };

/* ---- connection ---- */

/* Runs `sql`, one or more statements separated by ';', with no parameters and no results
 * (DDL, a migration, DELETE without parameters). On failure sets the last error
 * ("database error: CAUSE ('path')") and returns S75_EIO. */
int db_exec(s75_db *db, const char *sql);

/* Prepares one statement of `sql` into *st; on failure sets the last error, *st is NULL
 * and returns S75_EIO. The caller finalizes *st with sql_finalize(). */
int db_prepare(s75_db *db, sql_stmt **st, const char *sql);

/* As db_prepare(), but the statement of `sql` (a string constant: it is known by its
 * address) stays prepared on the connection for the next call, for what runs on every
 * request of the web server. Give it back with db_done(), never sql_finalize(). */
int db_prepare_kept(s75_db *db, sql_stmt **st, const char *sql);
/* Resets a kept statement and clears its bindings (or finalizes one that was not kept). */
void db_done(s75_db *db, sql_stmt *st);

/* Sets the last error to "WHAT: CAUSE ('path')" from the connection's last failure, and
 * returns S75_EIO. */
int db_error(s75_db *db, const char *what);
/* As db_error() for a failure of temporary storage: names the temporary folder, not the
 * workspace. */
int db_temp_error(s75_db *db, const char *what);

/* ---- transactions ---- */

/* Starts a transaction that will write: takes the workspace's write lock at once (SQLite
 * BEGIN IMMEDIATE), waiting for another command's for up to DB_BUSY_WAIT_MS. */
int db_begin_write(s75_db *db);
/* The same, if no other command holds the write lock now: *taken says whether the
 * transaction began (a lock held elsewhere is no error: *taken false, nothing open). */
int db_try_begin_write(s75_db *db, bool *taken);
/* Starts a read-only transaction: every read until db_rollback()/db_commit() sees one
 * snapshot of the workspace. */
int db_begin_read(s75_db *db);
int db_commit(s75_db *db);
/* Rolls back the open transaction, if any: never fails, and keeps the last error (after a
 * full disk or a lock timeout the back end may have rolled back already). */
void db_rollback(s75_db *db);
/* 1 inside a transaction, 0 outside. */
int db_in_transaction(s75_db *db);
/* Savepoints inside a transaction; `name` is an SQL identifier the caller chooses. */
int db_savepoint(s75_db *db, const char *name);
int db_release(s75_db *db, const char *name);
int db_rollback_to(s75_db *db, const char *name);

/* ---- statements (mirror sqlite3_bind_*, sqlite3_step, sqlite3_column_*) ---- */

/* Parameters are numbered from 1. A bind returns SQL_OK or an error code. */
int sql_bind_int(sql_stmt *st, int i, int v);
int sql_bind_int64(sql_stmt *st, int i, int64_t v);
/* `s` of n bytes (n < 0: up to its NUL), not copied: it must stay valid until the
 * parameter is bound again, or the statement reset or finalized. NULL binds NULL. */
int sql_bind_text(sql_stmt *st, int i, const char *s, int n);
/* As sql_bind_text(), but copies `s` at once. */
int sql_bind_text_copy(sql_stmt *st, int i, const char *s, int n);
/* `p` of n bytes, not copied (as sql_bind_text()). */
int sql_bind_blob(sql_stmt *st, int i, const void *p, int n);
int sql_bind_null(sql_stmt *st, int i);
/* The largest parameter number in the statement's SQL. */
int sql_bind_parameter_count(sql_stmt *st);
/* Sets every parameter back to NULL. */
int sql_clear_bindings(sql_stmt *st);

/* Runs the statement, or moves to its next row: SQL_ROW, SQL_DONE, or an error code
 * (SQL_BUSY, SQL_CONSTRAINT, SQL_ERROR) after which db_error() describes the cause. */
int sql_step(sql_stmt *st);
/* Columns of the current row, numbered from 0. A NULL is 0 for the numbers and NULL for
 * text and blobs. Text and blobs stay valid until the next sql_step(), sql_reset() or
 * sql_finalize() of the statement. */
int sql_column_int(sql_stmt *st, int i);
int64_t sql_column_int64(sql_stmt *st, int i);
const char *sql_column_text(sql_stmt *st, int i);
const void *sql_column_blob(sql_stmt *st, int i);
/* The bytes of the text or blob of sql_column_text()/sql_column_blob(), without a NUL. */
int sql_column_bytes(sql_stmt *st, int i);
/* A copy of the text of column i (the caller frees it), or NULL for NULL. */
char *sql_column_dup(sql_stmt *st, int i);
int sql_column_type(sql_stmt *st, int i);
bool sql_column_is_null(sql_stmt *st, int i);
/* Back to before the first sql_step(); the bindings are kept. */
int sql_reset(sql_stmt *st);
/* Frees the statement; NULL is allowed. */
void sql_finalize(sql_stmt *st);
/* The rows the statement's last run inserted, updated or deleted (called after sql_step()
 * returned SQL_DONE, before another statement of the connection runs). */
int64_t sql_changes(sql_stmt *st);

/* ---- the workspace (what differs between back ends beyond statements) ---- */

/* The schema version the migrations have reached (0 for a new, empty store), or -1 with
 * the last error set. */
int db_schema_version_get(s75_db *db);
/* Records `v` as the schema version, inside the migrating transaction. */
int db_schema_version_set(s75_db *db, int v);
/* A pair that changes whenever the workspace may have changed since the last call: a
 * number another connection's commit changes, and this connection's own changes (rows
 * written). For caches of what was read (ledger_query.c). */
int db_data_version(s75_db *db, int64_t *version, int64_t *own_changes);
/* How long to wait for another command's lock from now on: DB_BUSY_WAIT_MS, or 0 not to
 * wait (a best-effort write that may be skipped). */
void db_set_wait(s75_db *db, int ms);
/* Stores the rows of `s` in txn inside the caller's write transaction: SQLite runs
 * `insert` (an INSERT ... SELECT ... FROM s75_stage, stage.h); another back end may load
 * them its own way (COPY) as long as the txn rows are the same: id id_base + the row's
 * line, partner and cost_centre the agreement's codes. */
int db_bulk_load_txn(s75_db *db, struct stage *s, const s75_agreement *ag, int64_t id_base,
		     const char *insert);

/* Rows stored in txn as they are read, inside the caller's write transaction, on a back end
 * that can (PostgreSQL: one COPY the server works on while the file is still being read);
 * the rows as db_bulk_load_txn() stores them. Opened by db_txn_stream_begin() (*out NULL,
 * returning 0, when the back end cannot, as db_txn_can_stream() tells: keep the rows for
 * db_bulk_load_txn()), fed in the
 * order of their ids with db_txn_stream_put(), closed and freed by db_txn_stream_end() (NULL allowed): with
 * keep false the rows sent are refused (the transaction must then be rolled back), and no
 * other statement of the connection may run in between. Each returns 0 or a negative
 * error code with the last error set. */
typedef struct db_txn_stream db_txn_stream;
bool db_txn_can_stream(s75_db *db);
int db_txn_stream_begin(s75_db *db, db_txn_stream **out, const s75_agreement *ag, int64_t id_base);
int db_txn_stream_put(db_txn_stream *st, const struct stage_row *r);
int db_txn_stream_end(db_txn_stream *st, bool keep);

/* Rows copied into `table` ("name(col, col, ...)") by one statement inside the caller's
 * transaction, on a back end that can (PostgreSQL: COPY ... FROM STDIN, sent in large
 * blocks: one round trip per block rather than per row or per statement of rows).
 * db_copy_begin() opens it (*out NULL, returning 0, when the back end cannot, as
 * db_can_copy() tells); each row is its fields in the columns' order by
 * db_copy_int64()/db_copy_text() then db_copy_row_end(); db_copy_end() (NULL allowed)
 * closes and frees it: with keep false the rows are refused (roll the transaction back).
 * A failure is kept and returned by the next db_copy_row_end() or db_copy_end(), negative
 * with the last error set; no other statement of the connection may run in between. */
typedef struct db_copy db_copy;
bool db_can_copy(s75_db *db);
int db_copy_begin(s75_db *db, db_copy **out, const char *table);
void db_copy_int64(db_copy *c, int64_t v);
void db_copy_text(db_copy *c, const char *s, size_t n);
int db_copy_row_end(db_copy *c);
int db_copy_end(db_copy *c, bool keep);

/* After a transaction failed with rc (rolled back, none open now): true, after a short
 * wait, if the failure was one the back end says a re-run may cure (PostgreSQL: a
 * serialisation failure 40001 or a deadlock 40P01) and fewer than DB_RETRIES re-runs were
 * made (*attempt counts them, from 0); false to give the failure to the user. A command
 * whose whole transaction can run again loops on it:
 *   while ((rc = once(...)) && db_retry(db, rc, &attempt)) ...;
 * A lock not granted in time is not retried: DB_BUSY_WAIT_MS was waited already. */
#define DB_RETRIES 4
bool db_retry(s75_db *db, int rc, int *attempt);

/* ---- back ends ---- */

/* The common head of every back end's statement: `struct sqlite_stmt { sql_stmt base; ...}`. */
struct sql_stmt {
	const struct sql_backend *be;
	s75_db *db;
};

/* The common head of every back end's txn stream. */
struct db_txn_stream {
	const struct sql_backend *be;
};

/* The common head of every back end's COPY (db_copy_*()). */
struct db_copy {
	const struct sql_backend *be;
};

/* One back end. Every function is given the connection or statement it made. */
typedef struct sql_backend {
	const char *name; /* "sqlite", "postgresql" */
	/* Opens `target` (a file path, or a postgresql:// URI) into db->conn, setting
	 * db->readonly; S75_DB_CREATE allows creating it. Leaves the schema alone. */
	int (*open)(s75_db *db, const char *target, unsigned flags);
	/* Closes db->conn (finalizing nothing: db.c finalizes the kept statements first). */
	void (*close)(s75_db *db);
	int (*exec)(s75_db *db, const char *sql);
	/* kept: the statement will be used many times (a hint) */
	int (*prepare)(s75_db *db, sql_stmt **st, const char *sql, bool kept);
	/* The last failure in words (a cause a finance officer can act on, else the back
	 * end's message); never NULL. */
	const char *(*cause)(s75_db *db);
	int (*in_transaction)(s75_db *db);
	int (*begin_write)(s75_db *db);
	int (*begin_read)(s75_db *db);
	int (*schema_version_get)(s75_db *db);
	int (*schema_version_set)(s75_db *db, int v);
	/* Checks that the store holds exactly what migrations[0 .. version) create; sets
	 * the last error naming the first difference. */
	int (*check_schema)(s75_db *db, const char *const *migrations, int version);
	int (*data_version)(s75_db *db, int64_t *version, int64_t *own_changes);
	void (*set_wait)(s75_db *db, int ms);
	/* true if the last failure may be cured by running its transaction again; NULL: never */
	bool (*retryable)(s75_db *db);
	int (*bulk_load_txn)(s75_db *db, struct stage *s, const s75_agreement *ag,
			     int64_t id_base, const char *insert);
	/* db_txn_stream_*(); NULL when the back end cannot stream */
	int (*txn_stream_begin)(s75_db *db, db_txn_stream **out, const s75_agreement *ag, int64_t id_base);
	int (*txn_stream_put)(db_txn_stream *st, const struct stage_row *r);
	int (*txn_stream_end)(db_txn_stream *st, bool keep);
	/* db_copy_*(); NULL when the back end cannot copy */
	int (*copy_begin)(s75_db *db, db_copy **out, const char *table);
	void (*copy_int64)(db_copy *c, int64_t v);
	void (*copy_text)(db_copy *c, const char *s, size_t n);
	int (*copy_row_end)(db_copy *c);
	int (*copy_end)(db_copy *c, bool keep);

	int (*bind_int64)(sql_stmt *st, int i, int64_t v);
	int (*bind_text)(sql_stmt *st, int i, const char *s, int n, bool copy);
	int (*bind_blob)(sql_stmt *st, int i, const void *p, int n);
	int (*bind_null)(sql_stmt *st, int i);
	int (*bind_parameter_count)(sql_stmt *st);
	int (*clear_bindings)(sql_stmt *st);
	int (*step)(sql_stmt *st);
	int64_t (*column_int64)(sql_stmt *st, int i);
	const char *(*column_text)(sql_stmt *st, int i);
	const void *(*column_blob)(sql_stmt *st, int i);
	int (*column_bytes)(sql_stmt *st, int i);
	int (*column_type)(sql_stmt *st, int i);
	int (*reset)(sql_stmt *st);
	void (*finalize)(sql_stmt *st);
	int64_t (*changes)(sql_stmt *st);
} sql_backend;

extern const sql_backend sql_sqlite_backend;

/* The back end for a workspace's database: PostgreSQL for a postgresql:// or postgres://
 * URI (NULL when this build has none), else SQLite for a file path. */
const sql_backend *sql_backend_for(const char *target);

#endif
