/* s75 migrate --to: a workspace copied into PostgreSQL, table by table through the
 * statement layer, in one transaction that commits only when the copy is proved: every
 * table's rows counted on both sides, every batch's control totals summed again from the
 * copied ledger rows, and every period's monitoring totals (the aggregates the reports
 * read) summed again from them too. Then the workspace records the new connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/buf.h"
#include "s75/date.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "workspace.h"
#include "xalloc.h"

/* Every table of the schema, parents before children. funding_category is made and filled
 * by its migration on both sides. A table missing here fails the copy (count_tables()). */
static const char *const tables[] = {
	"batch", "batch_total", "txn", "ledger_agg", "forecast", "audit", "kpi_value", "meeting",
	"attendance", "receipt", "decision", "notice", "package", "package_terms", "interest",
	"participation", "account", "session", "login_failure", "period_close", "prior_item",
	"payment", "recharge_issue", "recharge_statement", "recharge_line", "saving_delivery",
	"budget_revision", "budget_revision_line",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static void add_check(s75_copy_result *r, size_t *alloc, const char *what, long rf, long rt,
		      int64_t af, int64_t at)
{
	ALLOC_GROW(r->checks, r->nchecks + 1, *alloc);
	s75_copy_check *c = &r->checks[r->nchecks++];
	c->what = xstrdup(what);
	c->rows_from = rf;
	c->rows_to = rt;
	c->amount_from = af;
	c->amount_to = at;
	if (rf != rt || af != at)
		r->mismatches++;
}

/* Runs a query of one number. */
static int count_of(s75_db *db, const char *sql, int64_t *out)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, sql)))
		return rc;
	rc = sql_step(st) == SQL_ROW ? 0 : db_error(db, "cannot read the database");
	*out = rc ? 0 : sql_column_int64(st, 0);
	sql_finalize(st);
	return rc;
}

/* The destination's tables are exactly `tables` and funding_category (and its version). */
static int count_tables(s75_db *to)
{
	int64_t n;
	int rc = count_of(to,
			  "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
			  " AND table_type = 'BASE TABLE'",
			  &n);
	if (rc)
		return rc;
	/* + funding_category + s75_schema_version */
	if (n != (int64_t)NTABLES + 2)
		return s75_error_set(S75_EINVALID,
				     "the schema has %lld tables where s75 migrate copies %d: this s75 needs updating (src/lib/store/copy.c)",
				     (long long)n, (int)NTABLES + 2);
	return 0;
}

/* The destination's columns of `table`, in order, as "a, b, c" and their number. */
static int columns_of(s75_db *to, const char *table, s75_buf *cols, int *n)
{
	sql_stmt *st;
	int rc;
	*n = 0;
	if ((rc = db_prepare(to, &st,
			     "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
			     " AND table_name = ? ORDER BY ordinal_position")))
		return rc;
	sql_bind_text(st, 1, table, -1);
	while ((rc = sql_step(st)) == SQL_ROW) {
		s75_buf_printf(cols, "%s%s", *n ? ", " : "", sql_column_text(st, 0));
		(*n)++;
	}
	rc = rc == SQL_DONE ? 0 : db_error(to, "cannot read the schema");
	sql_finalize(st);
	return rc;
}

/* Copies one table's rows; *rows the number copied. */
static int copy_table(s75_db *from, s75_db *to, const char *table, long *rows)
{
	s75_buf cols = S75_BUF_INIT, sql = S75_BUF_INIT;
	sql_stmt *sel = NULL, *ins = NULL;
	int n, rc, r;
	*rows = 0;
	if ((rc = columns_of(to, table, &cols, &n)))
		goto done;
	s75_buf_printf(&sql, "SELECT %s FROM %s", cols.ptr, table);
	if ((rc = db_prepare(from, &sel, sql.ptr)))
		goto done;
	s75_buf_reset(&sql);
	s75_buf_printf(&sql, "INSERT INTO %s(%s) VALUES (", table, cols.ptr);
	for (int i = 0; i < n; i++)
		s75_buf_puts(&sql, i ? ", ?" : "?");
	s75_buf_putc(&sql, ')');
	if ((rc = db_prepare(to, &ins, sql.ptr)))
		goto done;
	while ((r = sql_step(sel)) == SQL_ROW) {
		for (int i = 0; i < n; i++)
			switch (sql_column_type(sel, i)) {
			case SQL_NULL:
				sql_bind_null(ins, i + 1);
				break;
			case SQL_INTEGER:
				sql_bind_int64(ins, i + 1, sql_column_int64(sel, i));
				break;
			case SQL_BLOB:
				sql_bind_blob(ins, i + 1, sql_column_blob(sel, i), sql_column_bytes(sel, i));
				break;
			default:
				sql_bind_text(ins, i + 1, sql_column_text(sel, i), sql_column_bytes(sel, i));
			}
		if (sql_step(ins) != SQL_DONE) {
			rc = db_error(to, "cannot copy the workspace");
			goto done;
		}
		sql_reset(ins);
		(*rows)++;
	}
	if (r != SQL_DONE)
		rc = db_error(from, "cannot read the workspace");
done:
	sql_finalize(sel);
	sql_finalize(ins);
	s75_buf_release(&cols);
	s75_buf_release(&sql);
	return rc;
}

/* The control totals of every batch of ledger rows still imported, as the source recorded
 * them, against the copied rows summed again. */
static int check_batches(s75_copy_result *r, size_t *alloc, s75_db *from, s75_db *to)
{
	sql_stmt *tot = NULL, *sum = NULL;
	int rc;
	if ((rc = db_prepare(from, &tot,
			     "SELECT t.batch_id, t.partner, t.kind, t.rows, t.amount FROM batch_total t"
			     " JOIN batch b ON b.id = t.batch_id WHERE b.kind = 'actuals' AND b.undone_at IS NULL"
			     " ORDER BY t.batch_id, t.seq")) ||
	    (rc = db_prepare(to, &sum,
			     "SELECT count(*), coalesce(sum(amount), 0) FROM txn WHERE id BETWEEN ?1 * 4294967296"
			     " AND ?1 * 4294967296 + 4294967295 AND partner = ?2 AND kind = ?3")))
		goto done;
	while ((rc = sql_step(tot)) == SQL_ROW) {
		char what[160];
		int64_t id = sql_column_int64(tot, 0);
		int kind = sql_column_int(tot, 2);
		snprintf(what, sizeof(what), "batch %lld: %s %s", (long long)id, sql_column_text(tot, 1),
			 s75_txn_kind_name((s75_txn_kind)kind));
		sql_reset(sum);
		sql_bind_int64(sum, 1, id);
		sql_bind_text(sum, 2, sql_column_text(tot, 1), -1);
		sql_bind_int(sum, 3, kind);
		if (sql_step(sum) != SQL_ROW) {
			rc = db_error(to, "cannot check the copy");
			goto done;
		}
		add_check(r, alloc, what, (long)sql_column_int64(tot, 3), (long)sql_column_int64(sum, 0),
			  sql_column_int64(tot, 4), sql_column_int64(sum, 1));
	}
	rc = rc == SQL_DONE ? 0 : db_error(from, "cannot read the batches");
done:
	sql_finalize(tot);
	sql_finalize(sum);
	return rc;
}

/* Each period's totals by kind as the source's aggregates hold them (what the monitoring
 * report reads) against the copied ledger rows summed again. */
static int check_periods(s75_copy_result *r, size_t *alloc, s75_db *from, s75_db *to)
{
	sql_stmt *agg = NULL, *sum = NULL;
	int rc;
	if ((rc = db_prepare(from, &agg,
			     "SELECT fy, period, kind, sum(rows), sum(amount) FROM ledger_agg"
			     " GROUP BY fy, period, kind ORDER BY fy, period, kind")) ||
	    (rc = db_prepare(to, &sum,
			     "SELECT count(*), coalesce(sum(amount), 0) FROM txn WHERE fy = ? AND period = ?"
			     " AND kind = ?")))
		goto done;
	while ((rc = sql_step(agg)) == SQL_ROW) {
		char what[96], pb[16];
		s75_period p = {sql_column_int(agg, 0), sql_column_int(agg, 1)};
		int kind = sql_column_int(agg, 2);
		snprintf(what, sizeof(what), "%s %s", s75_period_format(pb, p),
			 s75_txn_kind_name((s75_txn_kind)kind));
		sql_reset(sum);
		sql_bind_int(sum, 1, p.fy);
		sql_bind_int(sum, 2, p.p);
		sql_bind_int(sum, 3, kind);
		if (sql_step(sum) != SQL_ROW) {
			rc = db_error(to, "cannot check the copy");
			goto done;
		}
		add_check(r, alloc, what, (long)sql_column_int64(agg, 3), (long)sql_column_int64(sum, 0),
			  sql_column_int64(agg, 4), sql_column_int64(sum, 1));
	}
	rc = rc == SQL_DONE ? 0 : db_error(from, "cannot read the aggregates");
done:
	sql_finalize(agg);
	sql_finalize(sum);
	return rc;
}

int s75_db_migrate_to(s75_copy_result *out, s75_db *from, const char *path, const char *database)
{
	s75_db *to = NULL;
	size_t alloc = 0;
	int rc, reading = 0, writing = 0;
	memset(out, 0, sizeof(*out));
	if (strncmp(database, "postgresql://", 13) && strncmp(database, "postgres://", 11))
		return s75_error_set(S75_EINVALID, "--to '%s': expected a postgresql:// URI", database);
	if (!strcmp(from->be->name, "postgresql"))
		return s75_error_set(S75_EINVALID, "the workspace is in PostgreSQL already ('%s')", from->path);
	if ((rc = db_open_at(&to, path, database, S75_DB_CREATE)))
		return rc;
	out->from = xstrdup(from->path);
	out->to = xstrdup(to->path);
	if ((rc = count_tables(to)))
		goto done;
	if ((rc = db_begin_read(from)))
		goto done;
	reading = 1;
	if ((rc = db_begin_write(to)))
		goto done;
	writing = 1;
	for (size_t i = 0; i < NTABLES; i++) {
		char sql[96];
		int64_t there;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		if ((rc = count_of(to, sql, &there)))
			goto done;
		if (there) {
			rc = s75_error_set(S75_EINVALID,
					   "'%s' is not empty (its table %s has %lld rows): s75 migrate copies into a new schema only",
					   to->path, tables[i], (long long)there);
			goto done;
		}
	}
	for (size_t i = 0; i < NTABLES; i++) {
		char sql[96], what[96];
		long copied;
		int64_t had, has;
		if ((rc = copy_table(from, to, tables[i], &copied)))
			goto done;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		if ((rc = count_of(from, sql, &had)) || (rc = count_of(to, sql, &has)))
			goto done;
		snprintf(what, sizeof(what), "table %s", tables[i]);
		add_check(out, &alloc, what, (long)had, (long)has, 0, 0);
	}
	if ((rc = check_batches(out, &alloc, from, to)) || (rc = check_periods(out, &alloc, from, to)))
		goto done;
	if (out->mismatches) {
		rc = s75_error_set(S75_EINVALID, "the copy does not agree with the workspace in %zu check%s: nothing was kept",
				   out->mismatches, out->mismatches == 1 ? "" : "s");
		goto done;
	}
	if ((rc = db_commit(to)))
		goto done;
	writing = 0;
	rc = db_record_target(path, database);
done:
	if (writing)
		db_rollback(to);
	if (reading)
		db_rollback(from);
	s75_db_close(to);
	return rc;
}

void s75_copy_result_release(s75_copy_result *r)
{
	for (size_t i = 0; i < r->nchecks; i++)
		free(r->checks[i].what);
	free(r->checks);
	free(r->from);
	free(r->to);
	memset(r, 0, sizeof(*r));
}
