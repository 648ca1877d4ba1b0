#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "recharges_sql.h"
#include "budget_revisions_sql.h"
#include "sql_pg.h"
#include "workspace.h"
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
	/* recharge statements, issued and kept; see recharges_sql.h */
	S75_MIGRATION_RECHARGES,
	/* savings delivered period by period; see savings.c */
	S75_MIGRATION_SAVINGS,
	/* budget revisions, each with its decision; see budget_revisions.c */
	S75_MIGRATION_BUDGET_REVISIONS,
	/* a file imported once: unique (kind, hash) among the batches not undone; migrations.h */
	S75_MIGRATION_BATCH_HASH_ONCE,
	/* the packages tables without their batch indexes (undo scans); see packages_sql.h */
	S75_MIGRATION_PACKAGES_NO_BATCH_INDEX,
	/* PostgreSQL: rows numbered by a column default, not a row trigger; see migrations.h */
	S75_MIGRATION_PG_ROWID_DEFAULTS,
};

int db_audit(s75_db *db, const char *at, const char *action, int64_t batch_id,
	     const char *detail)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO audit(at, action, batch_id, detail, actor, address)"
			     " VALUES (?, ?, ?, ?, ?, ?)")))
		return rc;
	sql_bind_text(st, 5, db->actor, -1);
	sql_bind_text(st, 6, db->address, -1);
	sql_bind_text(st, 1, at, -1);
	sql_bind_text(st, 2, action, -1);
	if (batch_id)
		sql_bind_int64(st, 3, batch_id);
	sql_bind_text(st, 4, detail, -1);
	rc = sql_step(st) == SQL_DONE ? 0 : db_error(db, "cannot write the audit log");
	sql_finalize(st);
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
	sql_stmt *st;
	int64_t g = -1;
	if (db_prepare_kept(db, &st, "SELECT coalesce(max(id), 0) FROM audit"))
		return -1;
	if (sql_step(st) == SQL_ROW)
		g = sql_column_int64(st, 0);
	db_done(db, st);
	return g;
}

int s75_db_read_begin(int64_t *generation, s75_db *db)
{
	int rc;
	*generation = -1;
	if ((rc = db_begin_read(db)))
		return rc;
	/* the first read takes the snapshot */
	if ((*generation = s75_db_generation(db)) < 0) {
		db_rollback(db);
		return S75_EIO;
	}
	return 0;
}

void s75_db_read_end(s75_db *db)
{
	/* nothing was written: ends the snapshot */
	sql_stmt *st;
	if (db_in_transaction(db) && !db_prepare_kept(db, &st, "ROLLBACK")) {
		sql_step(st);
		db_done(db, st);
	}
}

int s75_db_schema_version(s75_db *db)
{
	return db_schema_version_get(db);
}

const char *const *db_migrations(int *n)
{
	*n = (int)(sizeof(migrations) / sizeof(migrations[0]));
	return migrations;
}

/* The migrations from the version the write lock finds to `target`, in one transaction. */
static int migrate_once(s75_db *db, int target)
{
	int v, rc;
	if ((rc = db_begin_write(db)))
		return rc;
	/* another process may have migrated it while this one waited for the write lock */
	if ((v = s75_db_schema_version(db)) < 0) {
		rc = S75_EIO;
		goto fail;
	}
	for (; v < target; v++)
		if ((rc = db_exec(db, migrations[v])) || (rc = db_schema_version_set(db, v + 1)))
			goto fail;
	return db_commit(db);
fail:
	db_exec(db, "ROLLBACK");
	return rc;
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
	/* a migration's DDL waits for the tables' locks while its own are held: on PostgreSQL
	 * it can deadlock with a reader's snapshot (a web server's request), and then runs
	 * again (docs/deploy.md, "Concurrent use") */
	int attempt = 0;
	while ((rc = migrate_once(db, target)) && db_retry(db, rc, &attempt))
		;
	return rc;
}

const sql_backend *sql_backend_for(const char *target)
{
	if (!strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11))
		return &sql_pg_backend;
	return &sql_sqlite_backend;
}

int db_open_at(s75_db **out, const char *path, const char *database, unsigned flags)
{
	s75_db *db;
	const sql_backend *be;
	char *target = NULL;
	int rc, v, nmig = (int)(sizeof(migrations) / sizeof(migrations[0]));
	*out = NULL;
	if ((rc = db_target(&target, path, database)))
		return rc;
	be = sql_backend_for(target);
	if (!be)
		return s75_error_set(S75_EINVALID, "'%s': this s75 was built without PostgreSQL", path);
	db = xcalloc(1, sizeof(*db));
	db->be = be;
	db->path = target;
	if ((rc = be->open(db, target, flags)))
		goto fail;
	v = db_schema_version_get(db);
	if (v > 0 && v <= nmig && (rc = be->check_schema(db, migrations, v)))
		goto fail;
	db->created = v == 0;
	if ((rc = migrate(db)))
		goto fail;
	*out = db;
	return 0;
fail:
	s75_db_close(db);
	return rc;
}

int s75_db_open(s75_db **out, const char *path, unsigned flags)
{
	return db_open_at(out, path, NULL, flags);
}

int s75_db_init_database(s75_db **out, const char *path, const char *database)
{
	struct stat st;
	int rc;
	*out = NULL;
	if (!stat(path, &st))
		return s75_error_set(S75_EINVALID,
				     "the workspace has its database in '%s' already (copy it to PostgreSQL with s75 migrate --to URI)",
				     path);
	/* a workspace keeps one database: a recorded one is not silently replaced */
	char *recorded = NULL;
	if ((rc = db_recorded_target(&recorded, path)))
		return rc;
	if (recorded && strcmp(recorded, database)) {
		rc = s75_error_set(S75_EINVALID,
				   "the workspace's database is '%s' already (recorded in its " DB_RECORD_FILE "); remove that file first to start another",
				   recorded);
		free(recorded);
		return rc;
	}
	free(recorded);
	if (strncmp(database, "postgresql://", 13) && strncmp(database, "postgres://", 11))
		return s75_error_set(S75_EINVALID, "--database '%s': expected a postgresql:// URI", database);
	/* the password check first: nothing is created for a connection that cannot be kept */
	char *conninfo, *schema;
	if ((rc = pg_target_parse(&conninfo, &schema, database)))
		return rc;
	free(conninfo);
	free(schema);
	if ((rc = db_open_at(out, path, database, S75_DB_CREATE)))
		return rc;
	if ((rc = db_record_target(path, database))) {
		s75_db_close(*out);
		*out = NULL;
	}
	return rc;
}

const char *s75_db_location(const s75_db *db)
{
	return db->path;
}

int s75_db_created(const s75_db *db)
{
	return db->created;
}

void s75_db_close(s75_db *db)
{
	if (!db)
		return;
	if (db->years_free)
		db->years_free(db->years);
	for (int i = 0; i < DB_KEPT; i++)
		sql_finalize(db->kept[i]);
	if (db->conn)
		db->be->close(db);
	free(db->path);
	free(db->actor);
	free(db->address);
	free(db);
}

int s75_batches_list(s75_batch **out, size_t *n, s75_db *db, bool all)
{
	sql_stmt *st = NULL, *tt = NULL;
	s75_batch *b = NULL;
	size_t nb = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT id, kind, file, sha256, profile, period, imported_at, undone_at,"
			     " rows_read, rows_imported, rows_rejected, rows_skipped, rows_outside,"
			     " outside_amount FROM batch"
			     " WHERE ?1 <> 0 OR undone_at IS NULL ORDER BY id")) ||
	    (rc = db_prepare(db, &tt,
			     "SELECT partner, kind, rows, amount FROM batch_total WHERE batch_id = ?"
			     " ORDER BY seq")))
		goto done;
	sql_bind_int(st, 1, all);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(b, nb + 1, alloc);
		s75_batch *x = &b[nb++];
		memset(x, 0, sizeof(*x));
		x->id = sql_column_int64(st, 0);
		x->kind = sql_column_dup(st, 1);
		x->file = sql_column_dup(st, 2);
		x->sha256 = sql_column_dup(st, 3);
		x->profile = sql_column_dup(st, 4);
		x->period = sql_column_dup(st, 5);
		x->imported_at = sql_column_dup(st, 6);
		x->undone_at = sql_column_dup(st, 7);
		x->rows_read = sql_column_int(st, 8);
		x->rows_imported = sql_column_int(st, 9);
		x->rows_rejected = sql_column_int(st, 10);
		x->rows_skipped = sql_column_int(st, 11);
		x->rows_outside = sql_column_int(st, 12);
		x->outside_amount = sql_column_int64(st, 13);
		size_t ta = 0;
		sql_reset(tt);
		sql_bind_int64(tt, 1, x->id);
		while (sql_step(tt) == SQL_ROW) {
			ALLOC_GROW(x->totals, x->ntotals + 1, ta);
			s75_batch_total *t = &x->totals[x->ntotals++];
			t->partner = sql_column_dup(tt, 0);
			t->kind = (s75_txn_kind)sql_column_int(tt, 1);
			t->rows = sql_column_int(tt, 2);
			t->amount = sql_column_int64(tt, 3);
		}
	}
	rc = rc == SQL_DONE ? 0 : db_error(db, "cannot list batches");
done:
	sql_finalize(st);
	sql_finalize(tt);
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

/* The whole command again while PostgreSQL picks its transaction to fail (db_retry()). */
static int batch_undo_once(s75_db *db, const s75_agreement *ag, int64_t id, const char *now);

int s75_batch_undo(s75_db *db, const s75_agreement *ag, int64_t id, const char *now)
{
	int rc, attempt = 0;
	while ((rc = batch_undo_once(db, ag, id, now)) && db_retry(db, rc, &attempt))
		;
	return rc;
}

static int batch_undo_once(s75_db *db, const s75_agreement *ag, int64_t id, const char *now)
{
	sql_stmt *st = NULL;
	int rc, found = 0, undone = 0;
	char detail[160];

	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = db_prepare(db, &st, "SELECT CASE WHEN undone_at IS NULL THEN 0 ELSE 1 END, file, kind FROM batch WHERE id = ?")))
		goto fail;
	sql_bind_int64(st, 1, id);
	if (sql_step(st) == SQL_ROW) {
		found = 1;
		undone = sql_column_int(st, 0);
		snprintf(detail, sizeof(detail), "%s %s", sql_column_text(st, 2),
			 sql_column_text(st, 1));
	}
	sql_finalize(st);
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
	sql_bind_int64(st, 1, id);
	if (sql_step(st) == SQL_ROW) {
		char pb[16];
		const char *who = sql_column_text(st, 2);
		s75_period_format(pb, (s75_period){sql_column_int(st, 0), sql_column_int(st, 1)});
		rc = s75_error_set(S75_EINVALID, "batch %lld has rows in %s, which is closed%s%s (reopen it first: s75 period reopen %s --reason TEXT)",
				   (long long)id, pb, who ? " for " : "",
				   who ? s75_agreement_partner_name(ag, who) : "", pb);
		goto fail;
	}
	sql_finalize(st);
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
	sql_bind_int64(st, 1, id);
	if (sql_step(st) != SQL_DONE) {
		rc = db_error(db, "cannot undo the batch");
		goto fail;
	}
	sql_finalize(st);
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
		if (sql_bind_parameter_count(st) >= 1)
			sql_bind_int64(st, 1, id);
		if (sql_bind_parameter_count(st) >= 2)
			sql_bind_text(st, 2, now, -1);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot undo the batch");
			goto fail;
		}
		sql_finalize(st);
		st = NULL;
	}
	if ((rc = db_audit(db, now, "undo", id, detail)))
		goto fail;
	return db_commit(db);
fail:
	sql_finalize(st);
	db_exec(db, "ROLLBACK");
	return rc;
}

int s75_audit_list(s75_audit_entry **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_audit_entry *e = NULL;
	size_t ne = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT id, at, action, batch_id, detail, actor, address FROM audit"
				       " ORDER BY id")))
		return rc;
	while (sql_step(st) == SQL_ROW) {
		ALLOC_GROW(e, ne + 1, alloc);
		e[ne].id = sql_column_int64(st, 0);
		e[ne].at = sql_column_dup(st, 1);
		e[ne].action = sql_column_dup(st, 2);
		e[ne].batch_id = sql_column_int64(st, 3);
		e[ne].detail = sql_column_dup(st, 4);
		e[ne].actor = sql_column_dup(st, 5);
		e[ne].address = sql_column_dup(st, 6);
		ne++;
	}
	sql_finalize(st);
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
