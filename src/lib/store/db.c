#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "s75/error.h"
#include "xalloc.h"

/* The SQL of later migrations lives with the module that owns the tables. */
#include "migrations.h"
#include "accounts_sql.h"

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
	/* 3 -> 4: web accounts, sessions, the login throttle; who and where in the audit log;
	 * see users.c */
	S75_MIGRATION_ACCOUNTS,
};

int db_error(s75_db *db, const char *what)
{
	return s75_error_set(S75_EIO, "%s: %s ('%s')", what, sqlite3_errmsg(db->h), db->path);
}

int db_exec(s75_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = s75_error_set(S75_EIO, "database error: %s ('%s')", msg ? msg : "?",
				       db->path);
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
	if (db_prepare(db, &st, "SELECT coalesce(max(id), 0) FROM audit"))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		g = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return g;
}

int s75_db_schema_version(s75_db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (db_prepare(db, &st, "PRAGMA user_version"))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(s75_db *db)
{
	int v = s75_db_schema_version(db), rc;
	int target = (int)(sizeof(migrations) / sizeof(migrations[0]));
	if (v < 0)
		return S75_EIO;
	if (v > target)
		return s75_error_set(S75_EINVALID,
				     "'%s' has schema version %d; this s75 knows up to %d (upgrade s75)",
				     db->path, v, target);
	if (v == target)
		return 0;
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

int s75_db_open(s75_db **out, const char *path, unsigned flags)
{
	s75_db *db;
	int rc;
	*out = NULL;
	if (!(flags & S75_DB_CREATE) && access(path, F_OK))
		return s75_error_set(S75_ENOTFOUND,
				     "no database '%s' here (run 's75 init' in the workspace)", path);
	db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	/* one connection per process, used by one thread: no mutexes needed */
	if (sqlite3_open_v2(path, &db->h,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		rc = db_error(db, "cannot open the database");
		goto fail;
	}
	sqlite3_busy_timeout(db->h, 5000);
	if ((rc = db_exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
			      "PRAGMA synchronous = NORMAL;")))
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
			     " rows_read, rows_imported, rows_rejected FROM batch"
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

int s75_batch_undo(s75_db *db, int64_t id, const char *now)
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
