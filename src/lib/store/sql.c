/* The statement layer (sql.h): the calls every store and compute file makes, passed to the
 * workspace's back end, and the errors worded once for all back ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_internal.h"
#include "s75/error.h"
#include "xalloc.h"

int db_error(s75_db *db, const char *what)
{
	return s75_error_set(S75_EIO, "%s: %s ('%s')", what, db->be->cause(db), db->path);
}

/* The folder TEMP tables and temporary files go in on Unix: SQLITE_TMPDIR, TMPDIR, or the
 * first of /var/tmp, /usr/tmp, /tmp that can be written (SQLite's own rule). */
const char *db_temp_folder(void)
{
	const char *env[] = {"SQLITE_TMPDIR", "TMPDIR"};
	const char *dirs[] = {"/var/tmp", "/usr/tmp", "/tmp"};
	struct stat st;
	for (size_t i = 0; i < 2; i++) {
		const char *d = getenv(env[i]);
		if (d && !stat(d, &st) && S_ISDIR(st.st_mode) && !access(d, W_OK | X_OK))
			return d;
	}
	for (size_t i = 0; i < 3; i++)
		if (!stat(dirs[i], &st) && S_ISDIR(st.st_mode) && !access(dirs[i], W_OK | X_OK))
			return dirs[i];
	return ".";
}

int db_temp_error(s75_db *db, const char *what)
{
	return s75_error_set(S75_EIO, "%s: %s (the temporary folder '%s'; set TMPDIR to use another)",
			     what, db->be->cause(db), db_temp_folder());
}

int db_exec(s75_db *db, const char *sql)
{
	if (!strcmp(sql, "ROLLBACK")) {
		db_rollback(db);
		return 0;
	}
	if (db->be->exec(db, sql) != SQL_OK)
		return db_error(db, "database error");
	return 0;
}

int db_prepare(s75_db *db, sql_stmt **st, const char *sql)
{
	*st = NULL;
	if (db->be->prepare(db, st, sql, false) != SQL_OK)
		return db_error(db, "database error");
	return 0;
}

int db_prepare_kept(s75_db *db, sql_stmt **st, const char *sql)
{
	int i;
	for (i = 0; i < DB_KEPT && db->kept_sql[i]; i++)
		if (db->kept_sql[i] == sql) {
			*st = db->kept[i];
			return 0;
		}
	if (i == DB_KEPT)
		return db_prepare(db, st, sql); /* not kept (a full table): db_done() finalizes it */
	*st = NULL;
	if (db->be->prepare(db, st, sql, true) != SQL_OK)
		return db_error(db, "database error");
	db->kept_sql[i] = sql;
	db->kept[i] = *st;
	return 0;
}

void db_done(s75_db *db, sql_stmt *st)
{
	for (int i = 0; i < DB_KEPT; i++)
		if (db->kept[i] == st) {
			st->be->reset(st);
			st->be->clear_bindings(st);
			return;
		}
	sql_finalize(st);
}

/* ---- transactions ---- */

int db_begin_write(s75_db *db)
{
	return db->be->begin_write(db) == SQL_OK ? 0 : db_error(db, "database error");
}

int db_try_begin_write(s75_db *db, bool *taken)
{
	db->be->set_wait(db, 0);
	int rc = db->be->begin_write(db);
	db->be->set_wait(db, DB_BUSY_WAIT_MS);
	*taken = rc == SQL_OK;
	return rc == SQL_OK || rc == SQL_BUSY ? 0 : db_error(db, "database error");
}

int db_begin_read(s75_db *db)
{
	return db->be->begin_read(db) == SQL_OK ? 0 : db_error(db, "database error");
}

int db_commit(s75_db *db)
{
	return db->be->exec(db, "COMMIT") == SQL_OK ? 0 : db_error(db, "database error");
}

void db_rollback(s75_db *db)
{
	/* after a full disk or a lock timeout the back end may have rolled back already: the
	 * error that caused the rollback is the one to keep, never "no transaction" */
	if (db->be->in_transaction(db))
		db->be->exec(db, "ROLLBACK");
}

int db_in_transaction(s75_db *db)
{
	return db->be->in_transaction(db);
}

bool db_retry(s75_db *db, int rc, int *attempt)
{
	if (!rc || *attempt >= DB_RETRIES || !db->be->retryable || !db->be->retryable(db) ||
	    db_in_transaction(db))
		return false;
	/* 20, 40, 80, 160 ms and a little of the clock, so the racers part */
	struct timespec now, ts;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (20L << *attempt) + now.tv_nsec % 20;
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	nanosleep(&ts, NULL);
	++*attempt;
	return true;
}

/* "VERB name" for a savepoint, run with db_exec(). */
static int savepoint_exec(s75_db *db, const char *verb, const char *name)
{
	char sql[128];
	if ((size_t)snprintf(sql, sizeof(sql), "%s %s", verb, name) >= sizeof(sql))
		return s75_error_set(S75_EINVALID, "savepoint name '%s' is too long", name);
	return db_exec(db, sql);
}

int db_savepoint(s75_db *db, const char *name)
{
	return savepoint_exec(db, "SAVEPOINT", name);
}

int db_release(s75_db *db, const char *name)
{
	return savepoint_exec(db, "RELEASE SAVEPOINT", name);
}

int db_rollback_to(s75_db *db, const char *name)
{
	return savepoint_exec(db, "ROLLBACK TO SAVEPOINT", name);
}

/* ---- statements ---- */

int sql_bind_int(sql_stmt *st, int i, int v)
{
	return st->be->bind_int64(st, i, v);
}

int sql_bind_int64(sql_stmt *st, int i, int64_t v)
{
	return st->be->bind_int64(st, i, v);
}

int sql_bind_text(sql_stmt *st, int i, const char *s, int n)
{
	return s ? st->be->bind_text(st, i, s, n, false) : st->be->bind_null(st, i);
}

int sql_bind_text_copy(sql_stmt *st, int i, const char *s, int n)
{
	return s ? st->be->bind_text(st, i, s, n, true) : st->be->bind_null(st, i);
}

int sql_bind_blob(sql_stmt *st, int i, const void *p, int n)
{
	return p ? st->be->bind_blob(st, i, p, n) : st->be->bind_null(st, i);
}

int sql_bind_null(sql_stmt *st, int i)
{
	return st->be->bind_null(st, i);
}

int sql_bind_parameter_count(sql_stmt *st)
{
	return st->be->bind_parameter_count(st);
}

int sql_clear_bindings(sql_stmt *st)
{
	return st->be->clear_bindings(st);
}

int sql_step(sql_stmt *st)
{
	return st->be->step(st);
}

int sql_column_int(sql_stmt *st, int i)
{
	return (int)st->be->column_int64(st, i);
}

int64_t sql_column_int64(sql_stmt *st, int i)
{
	return st->be->column_int64(st, i);
}

const char *sql_column_text(sql_stmt *st, int i)
{
	return st->be->column_text(st, i);
}

const void *sql_column_blob(sql_stmt *st, int i)
{
	return st->be->column_blob(st, i);
}

char *sql_column_dup(sql_stmt *st, int i)
{
	const char *t = st->be->column_text(st, i);
	return t ? xstrdup(t) : NULL;
}

int sql_column_bytes(sql_stmt *st, int i)
{
	return st->be->column_bytes(st, i);
}

int sql_column_type(sql_stmt *st, int i)
{
	return st->be->column_type(st, i);
}

bool sql_column_is_null(sql_stmt *st, int i)
{
	return st->be->column_type(st, i) == SQL_NULL;
}

int sql_reset(sql_stmt *st)
{
	return st->be->reset(st);
}

void sql_finalize(sql_stmt *st)
{
	if (st)
		st->be->finalize(st);
}

int64_t sql_changes(sql_stmt *st)
{
	return st->be->changes(st);
}

/* ---- the workspace ---- */

int db_schema_version_get(s75_db *db)
{
	return db->be->schema_version_get(db);
}

int db_schema_version_set(s75_db *db, int v)
{
	return db->be->schema_version_set(db, v) == SQL_OK ? 0 : db_error(db, "database error");
}

int db_data_version(s75_db *db, int64_t *version, int64_t *own_changes)
{
	return db->be->data_version(db, version, own_changes) == SQL_OK ? 0 : db_error(db, "cannot read the ledger");
}

void db_set_wait(s75_db *db, int ms)
{
	db->be->set_wait(db, ms);
}

int db_bulk_load_txn(s75_db *db, struct stage *s, const s75_agreement *ag, int64_t id_base,
		     const char *insert)
{
	return db->be->bulk_load_txn(db, s, ag, id_base, insert);
}

bool db_txn_can_stream(s75_db *db)
{
	return db->be->txn_stream_begin != NULL;
}

int db_txn_stream_begin(s75_db *db, db_txn_stream **out, const s75_agreement *ag, int64_t id_base)
{
	*out = NULL;
	return db->be->txn_stream_begin ? db->be->txn_stream_begin(db, out, ag, id_base) : 0;
}

int db_txn_stream_put(db_txn_stream *st, const struct stage_row *r)
{
	return st->be->txn_stream_put(st, r);
}

int db_txn_stream_end(db_txn_stream *st, bool keep)
{
	return st ? st->be->txn_stream_end(st, keep) : 0;
}

bool db_can_copy(s75_db *db)
{
	return db->be->copy_begin != NULL;
}

int db_copy_begin(s75_db *db, db_copy **out, const char *table)
{
	*out = NULL;
	return db->be->copy_begin ? db->be->copy_begin(db, out, table) : 0;
}

void db_copy_int64(db_copy *c, int64_t v)
{
	c->be->copy_int64(c, v);
}

void db_copy_text(db_copy *c, const char *s, size_t n)
{
	c->be->copy_text(c, s, n);
}

int db_copy_row_end(db_copy *c)
{
	return c->be->copy_row_end(c);
}

int db_copy_end(db_copy *c, bool keep)
{
	return c ? c->be->copy_end(c, keep) : 0;
}
