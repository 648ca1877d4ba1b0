#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_internal.h"
#include "s75/buf.h"
#include "s75/date.h"
#include "s75/error.h"
#include "xalloc.h"

/* The SQL of later migrations lives with the module that owns the tables. */
#include "migrations.h"
#include "accounts_sql.h"
#include "packages_sql.h"
#include "reads_sql.h"

/* Forward migrations: entry i takes the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 0 -> 1: batches, ledger, aggregates, forecasts, audit */
	"CREATE TABLE batch("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('actuals', 'forecasts', 'packages')),"
	"  file TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  profile TEXT,"
	"  period TEXT,"
	"  rows_read INTEGER NOT NULL,"
	"  rows_imported INTEGER NOT NULL,"
	"  rows_rejected INTEGER NOT NULL,"
	"  imported_at TEXT NOT NULL,"
	"  undone_at TEXT);"
	"CREATE INDEX batch_sha ON batch(kind, sha256);"
	"CREATE TABLE batch_total("
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"
	"  partner TEXT NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  PRIMARY KEY (batch_id, partner, kind)) WITHOUT ROWID;"
	/* every ledger row; its id is (batch << 32) + the row's line in the file, so the rows
	 * of a batch are one range of the table: appended in order, undone by a range delete */
	"CREATE TABLE txn("
	"  id INTEGER PRIMARY KEY,"
	"  date INTEGER NOT NULL,"
	"  fy INTEGER NOT NULL,"
	"  period INTEGER NOT NULL,"
	"  partner TEXT NOT NULL,"
	"  cost_centre TEXT NOT NULL,"
	"  account TEXT,"
	"  kind INTEGER NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  description TEXT,"
	"  reference TEXT);"
	/* kept at import time so that a report's cost does not grow with the ledger */
	"CREATE TABLE ledger_agg("
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL,"
	"  cost_centre TEXT NOT NULL, partner TEXT NOT NULL, kind INTEGER NOT NULL,"
	"  rows INTEGER NOT NULL, amount INTEGER NOT NULL,"
	"  PRIMARY KEY (fy, period, cost_centre, partner, kind)) WITHOUT ROWID;"
	"CREATE TABLE forecast("
	"  batch_id INTEGER NOT NULL REFERENCES batch(id),"
	"  fy INTEGER NOT NULL, period INTEGER NOT NULL,"
	"  cost_centre TEXT NOT NULL,"
	"  amount INTEGER NOT NULL,"
	"  note TEXT,"
	"  PRIMARY KEY (fy, period, cost_centre, batch_id)) WITHOUT ROWID;"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  batch_id INTEGER,"
	"  detail TEXT);"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	/* 1 -> 2: governance (KPI values, meetings, decisions, notices); see governance_db.c */
	S75_MIGRATION_GOVERNANCE,
	/* 2 -> 3: care packages and their history; see packages_import.c */
	S75_MIGRATION_PACKAGES,
	/* conflicts of interest: the register and who took part in decisions; interests.c */
	S75_MIGRATION_INTERESTS,
	/* notice grounds 'by-agreement'; see notice.c */
	S75_MIGRATION_NOTICE_BY_AGREEMENT,
	/* rows skipped and outside the pool in each batch; see migrations.h */
	S75_MIGRATION_IMPORT_ROWS,
	/* web accounts, sessions, the login throttle; who and where in the audit log;
	 * see users.c */
	S75_MIGRATION_ACCOUNTS,
	/* the packages' funding checked by a lookup table, not a CHECK; see packages_sql.h */
	S75_MIGRATION_FUNDING_TABLE,
	/* indexes for the reports' reads in order (no temporary sort); see reads_sql.h */
	S75_MIGRATION_READ_INDEXES,
	/* closed periods and prior-period items; see periods.c */
	S75_MIGRATION_PERIODS,
	/* payments of the partners' contributions; see payments.c */
	S75_MIGRATION_PAYMENTS,
};

/* What really happened, in words a finance officer can act on, for the causes that are
 * not a bug: a lock held too long, a full disk, a read-only or damaged file. NULL otherwise. */
static const char *cause_of(int code)
{
	switch (code & 0xFF) {
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

int db_error(s75_db *db, const char *what)
{
	const char *cause = cause_of(sqlite3_extended_errcode(db->h));
	return s75_error_set(S75_EIO, "%s: %s ('%s')", what,
			     cause ? cause : sqlite3_errmsg(db->h), db->path);
}

/* The folder SQLite keeps TEMP tables in on Unix: SQLITE_TMPDIR, TMPDIR, or the first of
 * /var/tmp, /usr/tmp, /tmp that can be written. */
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
	const char *cause = cause_of(sqlite3_extended_errcode(db->h));
	return s75_error_set(S75_EIO, "%s: %s (the temporary folder '%s'; set TMPDIR to use another)",
			     what, cause ? cause : sqlite3_errmsg(db->h), db_temp_folder());
}

int db_exec(s75_db *db, const char *sql)
{
	char *msg = NULL;
	if (!strcmp(sql, "ROLLBACK")) {
		/* after a full disk or a lock timeout SQLite may have rolled back already: the
		 * error that caused the rollback is the one to keep, never "no transaction" */
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, sql, NULL, NULL, NULL);
		return 0;
	}
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		const char *cause = cause_of(sqlite3_extended_errcode(db->h));
		int rc = s75_error_set(S75_EIO, "database error: %s ('%s')",
				       cause ? cause : msg ? msg : "?", db->path);
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int db_prepare(s75_db *db, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v2(db->h, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(db, "database error");
	return 0;
}

int db_prepare_kept(s75_db *db, sqlite3_stmt **st, const char *sql)
{
	int i;
	for (i = 0; i < DB_KEPT && db->kept_sql[i]; i++)
		if (db->kept_sql[i] == sql) {
			*st = db->kept[i];
			return 0;
		}
	if (i == DB_KEPT)
		return db_prepare(db, st, sql); /* not kept (a full table): db_done() finalizes it */
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_error(db, "database error");
	db->kept_sql[i] = sql;
	db->kept[i] = *st;
	return 0;
}

void db_done(s75_db *db, sqlite3_stmt *st)
{
	for (int i = 0; i < DB_KEPT; i++)
		if (db->kept[i] == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

int db_audit(s75_db *db, const char *at, const char *action, int64_t batch_id,
	     const char *detail)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO audit(at, action, batch_id, detail, actor, address)"
			     " VALUES (?, ?, ?, ?, ?, ?)")))
		return rc;
	sqlite3_bind_text(st, 5, db->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, db->address, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 1, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	if (batch_id)
		sqlite3_bind_int64(st, 3, batch_id);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, "cannot write the audit log");
	sqlite3_finalize(st);
	return rc;
}

void s75_db_set_actor(s75_db *db, const char *actor, const char *address)
{
	free(db->actor);
	free(db->address);
	db->actor = actor ? xstrdup(actor) : NULL;
	db->address = address ? xstrdup(address) : NULL;
}

int s75_audit_record(s75_db *db, const char *now, const char *action, const char *detail)
{
	return db_audit(db, now, action, 0, detail);
}

int64_t s75_db_generation(s75_db *db)
{
	sqlite3_stmt *st;
	int64_t g = -1;
	if (db_prepare_kept(db, &st, "SELECT coalesce(max(id), 0) FROM audit"))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		g = sqlite3_column_int64(st, 0);
	db_done(db, st);
	return g;
}

/* Runs a kept statement with no results (BEGIN, ROLLBACK). */
static int exec_kept(s75_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_prepare_kept(db, &st, sql)))
		return rc;
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, "database error");
	db_done(db, st);
	return rc;
}

int s75_db_read_begin(int64_t *generation, s75_db *db)
{
	int rc;
	*generation = -1;
	if ((rc = exec_kept(db, "BEGIN")))
		return rc;
	/* the first read takes the snapshot */
	if ((*generation = s75_db_generation(db)) < 0) {
		db_exec(db, "ROLLBACK");
		return S75_EIO;
	}
	return 0;
}

void s75_db_read_end(s75_db *db)
{
	/* nothing was written: ends the snapshot */
	if (!sqlite3_get_autocommit(db->h))
		exec_kept(db, "ROLLBACK");
}

int s75_db_schema_version(s75_db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (db_prepare(db, &st, "PRAGMA user_version"))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	else
		db_error(db, "cannot read the database");
	sqlite3_finalize(st);
	return v;
}

static int migrate(s75_db *db)
{
	int v = s75_db_schema_version(db), rc;
	int target = (int)(sizeof(migrations) / sizeof(migrations[0]));
	if (v == -1)
		return S75_EIO;
	if (v < 0)
		return s75_error_set(S75_EINVALID,
				     "'%s' has schema version %d, which no s75 writes (the file is damaged or not an s75 workspace)",
				     db->path, v);
	if (v > target)
		return s75_error_set(S75_EINVALID,
				     "'%s' has schema version %d; this s75 knows up to %d (upgrade s75)",
				     db->path, v, target);
	if (v == target)
		return 0;
	if (db->readonly)
		return s75_error_set(S75_EIO,
				     "'%s' has schema version %d and needs upgrading to %d, but it is read-only",
				     db->path, v, target);
	if ((rc = db_exec(db, "BEGIN IMMEDIATE")))
		return rc;
	for (; v < target; v++) {
		char pragma[64];
		if ((rc = db_exec(db, migrations[v])))
			goto fail;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if ((rc = db_exec(db, pragma)))
			goto fail;
	}
	return db_exec(db, "COMMIT");
fail:
	db_exec(db, "ROLLBACK");
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

/*
 * Checks that the workspace holds exactly the tables of its schema version: the names the
 * migrations up to that version create (db_schema_names_parsed(), which
 * tests/unit/test_schema_names.c holds to running them on an empty in-memory database at
 * every version, so the check can never disagree with the migrations themselves) against
 * the workspace's.
 */
int db_schema_names_run(s75_buf *out, int version)
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

const char *const *db_migrations(int *n)
{
	*n = (int)(sizeof(migrations) / sizeof(migrations[0]));
	return migrations;
}

static int check_schema(s75_db *db, int version)
{
	s75_buf want = S75_BUF_INIT, have = S75_BUF_INIT;
	int rc = 0;
	/* the names read from the migrations' text (a few microseconds), or, for a statement
	 * that reading does not understand, the names SQLite gives after running them */
	if (db_schema_names_parsed(&want, migrations, version)) {
		s75_buf_reset(&want);
		if ((rc = db_schema_names_run(&want, version)))
			goto done;
	}
	if (schema_names(db->h, &have)) {
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

int s75_db_open(s75_db **out, const char *path, unsigned flags)
{
	s75_db *db;
	struct stat st;
	int rc, existed, oflags = SQLITE_OPEN_NOMUTEX;
	*out = NULL;
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
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
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
	rc = sqlite3_open_v2(uri.ptr, &db->h, oflags, NULL);
	s75_buf_release(&uri);
	if (rc != SQLITE_OK) {
		rc = db_error(db, "cannot open the database");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, DB_BUSY_WAIT_MS);
	if (existed && s75_db_schema_version(db) == -1 && sqlite3_errcode(db->h) != SQLITE_OK) {
		rc = S75_EIO; /* not a database at all, or unreadable: the message is set */
		goto fail;
	}
	if (existed && s75_db_schema_version(db) == 0) {
		/* s75 always leaves a version: a file without one was written by something else */
		rc = s75_error_set(S75_EINVALID,
				   "'%s' is a SQLite database but not an s75 workspace (it has no s75 schema version)",
				   path);
		goto fail;
	}
	if (!db->readonly && (rc = db_exec(db, "PRAGMA journal_mode = WAL")))
		goto fail;
	if ((rc = db_exec(db, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")))
		goto fail;
	if (existed && s75_db_schema_version(db) > 0 &&
	    s75_db_schema_version(db) <= (int)(sizeof(migrations) / sizeof(migrations[0])) &&
	    (rc = check_schema(db, s75_db_schema_version(db))))
		goto fail;
	if ((rc = migrate(db)))
		goto fail;
	*out = db;
	return 0;
fail:
	s75_db_close(db);
	return rc;
}

void s75_db_close(s75_db *db)
{
	if (!db)
		return;
	if (db->years_free)
		db->years_free(db->years);
	for (int i = 0; i < DB_KEPT; i++)
		sqlite3_finalize(db->kept[i]);
	sqlite3_close(db->h);
	free(db->path);
	free(db->actor);
	free(db->address);
	free(db);
}

static char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int s75_batches_list(s75_batch **out, size_t *n, s75_db *db, bool all)
{
	sqlite3_stmt *st = NULL, *tt = NULL;
	s75_batch *b = NULL;
	size_t nb = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT id, kind, file, sha256, profile, period, imported_at, undone_at,"
			     " rows_read, rows_imported, rows_rejected, rows_skipped, rows_outside,"
			     " outside_amount FROM batch"
			     " WHERE ?1 OR undone_at IS NULL ORDER BY id")) ||
	    (rc = db_prepare(db, &tt,
			     "SELECT partner, kind, rows, amount FROM batch_total WHERE batch_id = ?"
			     " ORDER BY seq")))
		goto done;
	sqlite3_bind_int(st, 1, all);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ALLOC_GROW(b, nb + 1, alloc);
		s75_batch *x = &b[nb++];
		memset(x, 0, sizeof(*x));
		x->id = sqlite3_column_int64(st, 0);
		x->kind = col_text(st, 1);
		x->file = col_text(st, 2);
		x->sha256 = col_text(st, 3);
		x->profile = col_text(st, 4);
		x->period = col_text(st, 5);
		x->imported_at = col_text(st, 6);
		x->undone_at = col_text(st, 7);
		x->rows_read = sqlite3_column_int(st, 8);
		x->rows_imported = sqlite3_column_int(st, 9);
		x->rows_rejected = sqlite3_column_int(st, 10);
		x->rows_skipped = sqlite3_column_int(st, 11);
		x->rows_outside = sqlite3_column_int(st, 12);
		x->outside_amount = sqlite3_column_int64(st, 13);
		size_t ta = 0;
		sqlite3_reset(tt);
		sqlite3_bind_int64(tt, 1, x->id);
		while (sqlite3_step(tt) == SQLITE_ROW) {
			ALLOC_GROW(x->totals, x->ntotals + 1, ta);
			s75_batch_total *t = &x->totals[x->ntotals++];
			t->partner = col_text(tt, 0);
			t->kind = (s75_txn_kind)sqlite3_column_int(tt, 1);
			t->rows = sqlite3_column_int(tt, 2);
			t->amount = sqlite3_column_int64(tt, 3);
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_error(db, "cannot list batches");
done:
	sqlite3_finalize(st);
	sqlite3_finalize(tt);
	if (rc) {
		s75_batches_free(b, nb);
		return rc;
	}
	*out = b;
	*n = nb;
	return 0;
}

void s75_batches_free(s75_batch *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(b[i].kind);
		free(b[i].file);
		free(b[i].sha256);
		free(b[i].profile);
		free(b[i].period);
		free(b[i].imported_at);
		free(b[i].undone_at);
		for (size_t k = 0; k < b[i].ntotals; k++)
			free(b[i].totals[k].partner);
		free(b[i].totals);
	}
	free(b);
}

int s75_batch_undo(s75_db *db, const s75_agreement *ag, int64_t id, const char *now)
{
	sqlite3_stmt *st = NULL;
	int rc, found = 0, undone = 0;
	char detail[160];

	if ((rc = db_exec(db, "BEGIN IMMEDIATE")))
		return rc;
	if ((rc = db_prepare(db, &st, "SELECT undone_at IS NOT NULL, file, kind FROM batch WHERE id = ?")))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		found = 1;
		undone = sqlite3_column_int(st, 0);
		snprintf(detail, sizeof(detail), "%s %s", (const char *)sqlite3_column_text(st, 2),
			 (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!found) {
		rc = s75_error_set(S75_ENOTFOUND, "no batch %lld", (long long)id);
		goto fail;
	}
	if (undone) {
		rc = s75_error_set(S75_EINVALID, "batch %lld was undone already", (long long)id);
		goto fail;
	}
	/* a closed period's figures stay as they were closed: its rows are not undone */
	if ((rc = db_prepare(db, &st,
			     "SELECT fy, period, partner FROM period_close c WHERE reopened_at IS NULL"
			     " AND (EXISTS (SELECT 1 FROM txn t WHERE t.id BETWEEN ?1 * 4294967296"
			     "  AND ?1 * 4294967296 + 4294967295 AND t.fy = c.fy AND t.period = c.period"
			     "  AND (c.partner IS NULL OR c.partner = t.partner))"
			     " OR (c.partner IS NULL AND EXISTS (SELECT 1 FROM forecast f WHERE"
			     "  f.batch_id = ?1 AND f.fy = c.fy AND f.period = c.period)))"
			     " ORDER BY fy, period LIMIT 1")))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		char pb[16];
		const char *who = (const char *)sqlite3_column_text(st, 2);
		s75_period_format(pb, (s75_period){sqlite3_column_int(st, 0), sqlite3_column_int(st, 1)});
		rc = s75_error_set(S75_EINVALID, "batch %lld has rows in %s, which is closed%s%s (reopen it first: s75 period reopen %s --reason TEXT)",
				   (long long)id, pb, who ? " for " : "",
				   who ? s75_agreement_partner_name(ag, who) : "", pb);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* take the batch's share out of the aggregates, then its rows (one range of txn) */
	if ((rc = db_prepare(db, &st,
			     "UPDATE ledger_agg SET rows = ledger_agg.rows - b.rows,"
			     " amount = ledger_agg.amount - b.amount"
			     " FROM (SELECT fy, period, cost_centre, partner, kind, count(*) AS rows,"
			     "  sum(amount) AS amount FROM txn WHERE id BETWEEN ?1 * 4294967296"
			     "  AND ?1 * 4294967296 + 4294967295 GROUP BY 1, 2, 3, 4, 5) AS b"
			     " WHERE b.fy = ledger_agg.fy"
			     " AND b.period = ledger_agg.period AND b.cost_centre = ledger_agg.cost_centre"
			     " AND b.partner = ledger_agg.partner AND b.kind = ledger_agg.kind")))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = db_error(db, "cannot undo the batch");
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	static const char *const dels[] = {
		"DELETE FROM ledger_agg WHERE rows = 0 AND amount = 0",
		"DELETE FROM prior_item WHERE txn_id BETWEEN ?1 * 4294967296 AND ?1 * 4294967296 + 4294967295",
		"DELETE FROM txn WHERE id BETWEEN ?1 * 4294967296 AND ?1 * 4294967296 + 4294967295",
		"DELETE FROM forecast WHERE batch_id = ?1",
		"UPDATE batch SET undone_at = ?2 WHERE id = ?1",
	};
	for (size_t i = 0; i < sizeof(dels) / sizeof(dels[0]); i++) {
		if ((rc = db_prepare(db, &st, dels[i])))
			goto fail;
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_int64(st, 1, id);
		if (sqlite3_bind_parameter_count(st) >= 2)
			sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = db_error(db, "cannot undo the batch");
			goto fail;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	if ((rc = db_audit(db, now, "undo", id, detail)))
		goto fail;
	return db_exec(db, "COMMIT");
fail:
	sqlite3_finalize(st);
	db_exec(db, "ROLLBACK");
	return rc;
}

int s75_audit_list(s75_audit_entry **out, size_t *n, s75_db *db)
{
	sqlite3_stmt *st;
	s75_audit_entry *e = NULL;
	size_t ne = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT id, at, action, batch_id, detail, actor, address FROM audit"
				       " ORDER BY id")))
		return rc;
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(e, ne + 1, alloc);
		e[ne].id = sqlite3_column_int64(st, 0);
		e[ne].at = col_text(st, 1);
		e[ne].action = col_text(st, 2);
		e[ne].batch_id = sqlite3_column_int64(st, 3);
		e[ne].detail = col_text(st, 4);
		e[ne].actor = col_text(st, 5);
		e[ne].address = col_text(st, 6);
		ne++;
	}
	sqlite3_finalize(st);
	*out = e;
	*n = ne;
	return 0;
}

void s75_audit_free(s75_audit_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].at);
		free(e[i].action);
		free(e[i].detail);
		free(e[i].actor);
		free(e[i].address);
	}
	free(e);
}
