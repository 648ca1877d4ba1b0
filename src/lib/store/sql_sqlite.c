/* The SQLite back end of the statement layer (sql.h): a thin wrapper of SQLite's own API,
 * and what only SQLite has (the file, WAL, the busy timeout, PRAGMAs, the schema check
 * against an in-memory database, the staging virtual table's bulk load). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"
#include "stage.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "xalloc.h"

typedef struct sqlite_stmt {
	sql_stmt base;
	sqlite3_stmt *h;
} sqlite_stmt;

#define H(db) ((sqlite3 *)(db)->conn)
#define S(st) (((sqlite_stmt *)(st))->h)

/* SQLite's result code as the layer's: the few a caller tells apart, else SQL_ERROR. */
static int code(int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE:
	case SQLITE_CONSTRAINT:
		return rc & 0xFF;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return SQL_BUSY;
	default:
		return SQL_ERROR;
	}
}

/* What really happened, in words a finance officer can act on, for the causes that are
 * not a bug: a lock held too long, a full disk, a read-only or damaged file. NULL otherwise. */
static const char *cause_of(int rc)
{
	switch (rc & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return "the workspace is locked by another s75 command that is still running (waited " DB_BUSY_WAIT_TEXT ")";
	case SQLITE_FULL:
		return "the disk is full";
	case SQLITE_READONLY:
		return "the workspace is read-only (its folder or s75.db cannot be written)";
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return "permission denied";
	case SQLITE_IOERR:
		return "the disk reported an input/output error";
	case SQLITE_CORRUPT:
		return "the database file is damaged";
	case SQLITE_NOTADB:
		return "the file is not an s75 workspace (not a SQLite database)";
	case SQLITE_CANTOPEN:
		return "the database file cannot be opened";
	default:
		return NULL;
	}
}

static const char *s_cause(s75_db *db)
{
	const char *cause = cause_of(sqlite3_extended_errcode(H(db)));
	return cause ? cause : sqlite3_errmsg(H(db));
}

static int s_schema_version_get(s75_db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(H(db), "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK) {
		db_error(db, "cannot read the database");
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else
		db_error(db, "cannot read the database");
	sqlite3_finalize(st);
	return v;
}

static int s_schema_version_set(s75_db *db, int v)
{
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
	return code(sqlite3_exec(H(db), pragma, NULL, NULL, NULL));
}

static int s_open(s75_db *db, const char *path, unsigned flags)
{
	struct stat st;
	int rc, existed, oflags = SQLITE_OPEN_NOMUTEX;
	sqlite3 *h = NULL;
	existed = !stat(path, &st);
	if (!(flags & S75_DB_CREATE) && !existed)
		return s75_error_set(S75_ENOTFOUND,
				     "no database '%s' here (run 's75 init' in the workspace)", path);
	if (existed && !S_ISREG(st.st_mode))
		return s75_error_set(S75_EINVALID, "'%s' is not a regular file, so not an s75 workspace", path);
	if (existed && st.st_size == 0)
		return s75_error_set(S75_EINVALID,
				     "'%s' is empty, not an s75 workspace (remove it and run 's75 init' to start afresh)",
				     path);
	/* a workspace that cannot be written can still be read: reports, batches */
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';
	if (existed && (access(path, W_OK) || access(slash ? dir : ".", W_OK)))
		db->readonly = 1;
	free(dir);
	oflags |= db->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	s75_buf uri = S75_BUF_INIT;
	struct stat wal;
	s75_buf_printf(&uri, "%s-wal", path);
	if (db->readonly && (stat(uri.ptr, &wal) || wal.st_size == 0)) {
		/* nothing pending in a write-ahead log, and none can be written while the file is
		 * read-only: open it as immutable, which needs no -shm file beside it */
		s75_buf_reset(&uri);
		s75_buf_puts(&uri, "file:");
		for (const char *p = path; *p; p++)
			if (strchr("?#%", *p))
				s75_buf_printf(&uri, "%%%02X", (unsigned char)*p);
			else
				s75_buf_putc(&uri, *p);
		s75_buf_puts(&uri, "?immutable=1");
		oflags |= SQLITE_OPEN_URI;
	} else {
		s75_buf_reset(&uri);
		s75_buf_puts(&uri, path);
	}
	/* one connection per process, used by one thread: no mutexes needed */
	rc = sqlite3_open_v2(uri.ptr, &h, oflags, NULL);
	s75_buf_release(&uri);
	db->conn = h; /* even on failure: the handle holds the message, s_close() frees it */
	if (rc != SQLITE_OK)
		return db_error(db, "cannot open the database");
	sqlite3_busy_timeout(h, DB_BUSY_WAIT_MS);
	if (existed && s_schema_version_get(db) == -1 && sqlite3_errcode(h) != SQLITE_OK)
		return S75_EIO; /* not a database at all, or unreadable: the message is set */
	if (existed && s_schema_version_get(db) == 0)
		/* s75 always leaves a version: a file without one was written by something else */
		return s75_error_set(S75_EINVALID,
				     "'%s' is a SQLite database but not an s75 workspace (it has no s75 schema version)",
				     path);
	if (!db->readonly && (rc = db_exec(db, "PRAGMA journal_mode = WAL")))
		return rc;
	return db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;");
}

static void s_close(s75_db *db)
{
	sqlite3_close(H(db));
}

static int s_exec(s75_db *db, const char *sql)
{
	return code(sqlite3_exec(H(db), sql, NULL, NULL, NULL));
}

static int s_prepare(s75_db *db, sql_stmt **out, const char *sql, bool kept)
{
	sqlite3_stmt *h;
	int rc = sqlite3_prepare_v3(H(db), sql, -1, kept ? SQLITE_PREPARE_PERSISTENT : 0, &h, NULL);
	if (rc != SQLITE_OK)
		return code(rc);
	sqlite_stmt *st = xmalloc(sizeof(*st));
	st->base.be = &sql_sqlite_backend;
	st->base.db = db;
	st->h = h;
	*out = &st->base;
	return SQL_OK;
}

static int s_in_transaction(s75_db *db)
{
	return !sqlite3_get_autocommit(H(db));
}

static int s_begin_write(s75_db *db)
{
	return s_exec(db, "BEGIN IMMEDIATE");
}

/* BEGIN runs on every request of the web server: kept prepared. */
static int s_begin_read(s75_db *db)
{
	sql_stmt *st;
	if (db_prepare_kept(db, &st, "BEGIN"))
		return SQL_ERROR;
	int rc = sqlite3_step(S(st)) == SQLITE_DONE ? SQL_OK : code(sqlite3_errcode(H(db)));
	db_done(db, st);
	return rc;
}

/* The names of the tables, indexes and triggers in `h`, sorted, one per line. */
static int schema_names(sqlite3 *h, s75_buf *out)
{
	sqlite3_stmt *st;
	int r;
	if (sqlite3_prepare_v2(h,
			       "SELECT type || ' ' || name FROM sqlite_master"
			       " WHERE name NOT LIKE 'sqlite_%' ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		s75_buf_puts(out, (const char *)sqlite3_column_text(st, 0));
		s75_buf_putc(out, '\n');
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? 0 : -1;
}

/* The first line of `a` that is not a line of `b`, or NULL. */
static const char *first_line_not_in(const char *a, const char *b)
{
	while (*a) {
		size_t n = strcspn(a, "\n") + 1;
		const char *p = b;
		int found = 0;
		while (*p && !found) {
			size_t m = strcspn(p, "\n") + 1;
			found = m == n && !strncmp(a, p, n);
			p += m;
		}
		if (!found)
			return a;
		a += n;
	}
	return NULL;
}

/* The schema's names at `version` after running the migrations on an empty in-memory
 * database (db_internal.h). */
int db_schema_names_run(s75_buf *out, const char *const *migrations, int version)
{
	sqlite3 *mem = NULL;
	int rc;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		abort();
	for (int v = 0; v < version; v++)
		if (sqlite3_exec(mem, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
			abort(); /* the migrations are ours: they always run */
	rc = schema_names(mem, out) ? S75_EIO : 0;
	sqlite3_close(mem);
	return rc;
}

/*
 * Checks that the workspace holds exactly the tables of its schema version: the names the
 * migrations up to that version create (db_schema_names_parsed(), which
 * tests/unit/test_schema_names.c holds to running them on an empty in-memory database at
 * every version, so the check can never disagree with the migrations themselves) against
 * the workspace's.
 */
static int s_check_schema(s75_db *db, const char *const *migrations, int version)
{
	s75_buf want = S75_BUF_INIT, have = S75_BUF_INIT;
	int rc = 0;
	/* the names read from the migrations' text (a few microseconds), or, for a statement
	 * that reading does not understand, the names SQLite gives after running them */
	if (db_schema_names_parsed(&want, migrations, version)) {
		s75_buf_reset(&want);
		if ((rc = db_schema_names_run(&want, migrations, version)))
			goto done;
	}
	if (schema_names(H(db), &have)) {
		rc = db_error(db, "cannot read the database");
		goto done;
	}
	if (strcmp(want.ptr, have.ptr)) {
		/* name the first thing missing, else the first foreign one */
		const char *miss = first_line_not_in(want.ptr, have.ptr);
		const char *extra = miss ? NULL : first_line_not_in(have.ptr, want.ptr);
		const char *what = miss ? miss : extra ? extra : "?";
		int n = (int)strcspn(what, "\n");
		rc = s75_error_set(S75_EINVALID,
				   "'%s' is not a complete s75 workspace of schema version %d: %s %.*s %s",
				   db->path, version, miss ? "its" : "it has a foreign", n, what,
				   miss ? "is missing" : "that s75 never creates");
	}
done:

	s75_buf_release(&want);
	s75_buf_release(&have);
	return rc;
}

/* PRAGMA data_version (changes when another connection commits) and this connection's
 * own changes. */
static int s_data_version(s75_db *db, int64_t *version, int64_t *own_changes)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = sqlite3_prepare_v2(H(db), "PRAGMA data_version", -1, &st, NULL)) != SQLITE_OK)
		return code(rc);
	rc = sqlite3_step(st) == SQLITE_ROW ? SQL_OK : code(sqlite3_errcode(H(db)));
	*version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	*own_changes = sqlite3_total_changes64(H(db));
	return rc;
}

static void s_set_wait(s75_db *db, int ms)
{
	sqlite3_busy_timeout(H(db), ms);
}

static int s_bulk_load_txn(s75_db *db, struct stage *s, const s75_agreement *ag,
			   int64_t id_base, const char *insert)
{
	return stage_store(s, db, ag, id_base, insert);
}

static int s_bind_int64(sql_stmt *st, int i, int64_t v)
{
	return code(sqlite3_bind_int64(S(st), i, v));
}

static int s_bind_text(sql_stmt *st, int i, const char *s, int n, bool copy)
{
	return code(sqlite3_bind_text(S(st), i, s, n, copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
}

static int s_bind_blob(sql_stmt *st, int i, const void *p, int n)
{
	return code(sqlite3_bind_blob(S(st), i, p, n, SQLITE_STATIC));
}

static int s_bind_null(sql_stmt *st, int i)
{
	return code(sqlite3_bind_null(S(st), i));
}

static int s_bind_parameter_count(sql_stmt *st)
{
	return sqlite3_bind_parameter_count(S(st));
}

static int s_clear_bindings(sql_stmt *st)
{
	return code(sqlite3_clear_bindings(S(st)));
}

static int s_step(sql_stmt *st)
{
	return code(sqlite3_step(S(st)));
}

static int64_t s_column_int64(sql_stmt *st, int i)
{
	return sqlite3_column_int64(S(st), i);
}

static const char *s_column_text(sql_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(S(st), i);
}

static const void *s_column_blob(sql_stmt *st, int i)
{
	return sqlite3_column_blob(S(st), i);
}

static int s_column_bytes(sql_stmt *st, int i)
{
	return sqlite3_column_bytes(S(st), i);
}

static int s_column_type(sql_stmt *st, int i)
{
	return sqlite3_column_type(S(st), i); /* SQLite's numbers are the layer's */
}

static int s_reset(sql_stmt *st)
{
	return code(sqlite3_reset(S(st)));
}

static void s_finalize(sql_stmt *st)
{
	sqlite3_finalize(S(st));
	free(st);
}

static int64_t s_changes(sql_stmt *st)
{
	return sqlite3_changes64(sqlite3_db_handle(S(st)));
}

const sql_backend sql_sqlite_backend = {
	.name = "sqlite",
	.open = s_open,
	.close = s_close,
	.exec = s_exec,
	.prepare = s_prepare,
	.cause = s_cause,
	.in_transaction = s_in_transaction,
	.begin_write = s_begin_write,
	.begin_read = s_begin_read,
	.schema_version_get = s_schema_version_get,
	.schema_version_set = s_schema_version_set,
	.check_schema = s_check_schema,
	.data_version = s_data_version,
	.set_wait = s_set_wait,
	.bulk_load_txn = s_bulk_load_txn,
	.bind_int64 = s_bind_int64,
	.bind_text = s_bind_text,
	.bind_blob = s_bind_blob,
	.bind_null = s_bind_null,
	.bind_parameter_count = s_bind_parameter_count,
	.clear_bindings = s_clear_bindings,
	.step = s_step,
	.column_int64 = s_column_int64,
	.column_text = s_column_text,
	.column_blob = s_column_blob,
	.column_bytes = s_column_bytes,
	.column_type = s_column_type,
	.reset = s_reset,
	.finalize = s_finalize,
	.changes = s_changes,
};
