/* The PostgreSQL back end (src/lib/store/sql_pg.c): placeholder rewriting, the DDL
 * translation and the connection string without a server; binding, stepping and reading
 * every type, int64 limits, errors and nested statements against the cluster of
 * S75_TEST_PG (scripts/test.sh starts one; without it those tests are skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db_internal.h"
#include "ledger_year.h"
#include "workspace.h"
#include "s75/error.h"
#include "sql_pg.h"

static char *rewrite(const char *sql, int *n)
{
	s75_buf b = S75_BUF_INIT;
	pg_params pp;
	assert_int_equal(pg_rewrite_placeholders(&b, &pp, sql), 0);
	*n = pp.n;
	pg_params_release(&pp);
	return s75_buf_detach(&b);
}

static void test_placeholders(void **state)
{
	int n;
	char *s;
	(void)state;
	s = rewrite("SELECT a FROM t WHERE b = ? AND c = ?", &n);
	assert_string_equal(s, "SELECT a FROM t WHERE b = $1 AND c = $2");
	assert_int_equal(n, 2);
	free(s);
	/* ?N repeats; a bare ? after it is one more than the largest so far, as in SQLite */
	s = rewrite("SELECT ?2, ?1, ?, ?2", &n);
	assert_string_equal(s, "SELECT $2, $1, $3, $2");
	assert_int_equal(n, 3);
	free(s);
	/* quoted literals, identifiers and comments keep their question marks */
	s = rewrite("SELECT 'it''s ?', \"a?b\", ? -- what ?\n, ? /* ? */ FROM t", &n);
	assert_string_equal(s, "SELECT 'it''s ?', \"a?b\", $1 -- what ?\n, $2 /* ? */ FROM t");
	assert_int_equal(n, 2);
	free(s);
	s = rewrite("SELECT 1", &n);
	assert_string_equal(s, "SELECT 1");
	assert_int_equal(n, 0);
	free(s);
	/* a parameter tested for NULL: a hidden text one carries its NULL-ness */
	s75_buf b = S75_BUF_INIT;
	pg_params pp;
	assert_int_equal(pg_rewrite_placeholders(&b, &pp, "SELECT a FROM t WHERE (?1 IS NULL OR a = ?1)"
							   " AND (?2 is  not\nnull OR b = ?3) AND ?4 IS NULLX"), 0);
	assert_string_equal(b.ptr, "SELECT a FROM t WHERE ($5::text IS NULL OR a = $1)"
				   " AND ($6::text is  not\nnull OR b = $3) AND $4 IS NULLX");
	assert_int_equal(pp.n, 4);
	assert_int_equal(pp.nhidden, 2);
	assert_int_equal(pp.mirror[0], 1);
	assert_int_equal(pp.mirror[1], 2);
	assert_int_equal(pp.used[0], 1);
	assert_int_equal(pp.used[1], 0); /* only in the test: sent as text */
	pg_params_release(&pp);
	s75_buf_reset(&b);
	assert_int_equal(pg_rewrite_placeholders(&b, &pp, "SELECT ?0"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "?0"));
	pg_params_release(&pp);
	s75_buf_reset(&b);
	assert_int_equal(pg_rewrite_placeholders(&b, &pp, "SELECT ?40000"), S75_EINVALID);
	pg_params_release(&pp);
	s75_buf_release(&b);
}

static void test_ddl(void **state)
{
	s75_buf b = S75_BUF_INIT;
	(void)state;
	pg_translate_ddl(&b, "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER NOT NULL, b BLOB,"
			     " e TEXT UNIQUE COLLATE NOCASE, s TEXT DEFAULT 'INTEGER') WITHOUT ROWID;"
			     "CREATE INDEX t_n ON t(n);");
	assert_non_null(strstr(b.ptr, "CREATE TABLE t(id BIGINT PRIMARY KEY,"
				      " n BIGINT NOT NULL, b BYTEA, e TEXT UNIQUE COLLATE s75_nocase,"
				      " s TEXT DEFAULT 'INTEGER') ;\n"));
	/* a row's id as SQLite's rowid: the largest + 1, not a sequence */
	assert_non_null(strstr(b.ptr, "format('SELECT coalesce(max(%I), 0) + 1 FROM %s', col, t)"));
	/* by the column's default, not a BEFORE ROW trigger (which stops COPY batching rows) */
	assert_non_null(strstr(b.ptr, ";\nALTER TABLE t ALTER COLUMN id SET DEFAULT s75_rowid_next('t', 'id');\n"));
	assert_null(strstr(b.ptr, "CREATE TRIGGER"));
	assert_non_null(strstr(b.ptr, ";\nCREATE INDEX t_n ON t(n);\n"));
	s75_buf_reset(&b);
	/* SQL for PostgreSQL alone, in a comment SQLite skips */
	pg_translate_ddl(&b, "CREATE INDEX a ON t(n);" PG_ONLY_OPEN " SELECT 1; SELECT '*' */ CREATE INDEX c ON t(e);");
	assert_string_equal(b.ptr, "CREATE INDEX a ON t(n);\n SELECT 1; SELECT '*' ;\nCREATE INDEX c ON t(e);\n");
	s75_buf_reset(&b);
	pg_translate_ddl(&b, "CREATE TRIGGER t_no_delete BEFORE DELETE ON t"
			     "  BEGIN SELECT RAISE(ABORT, 'kept; for ever'); END;");
	assert_non_null(strstr(b.ptr, "CREATE OR REPLACE FUNCTION t_no_delete_fn() RETURNS trigger LANGUAGE plpgsql"));
	assert_non_null(strstr(b.ptr, "RAISE EXCEPTION 'kept; for ever';"));
	assert_non_null(strstr(b.ptr, "CREATE TRIGGER t_no_delete BEFORE DELETE ON t FOR EACH ROW"
				      " EXECUTE FUNCTION t_no_delete_fn()"));
	s75_buf_reset(&b);
	pg_translate_ddl(&b, "CREATE TRIGGER u AFTER UPDATE OF x ON t WHEN NEW.x IS NOT NULL"
			     " BEGIN DELETE FROM v WHERE id = NEW.id; DELETE FROM w WHERE id = NEW.id; END;"
			     "DROP TRIGGER u;");
	assert_non_null(strstr(b.ptr, "DELETE FROM v WHERE id = NEW.id; DELETE FROM w WHERE id = NEW.id; RETURN NULL;"));
	assert_non_null(strstr(b.ptr, "CREATE TRIGGER u AFTER UPDATE OF x ON t FOR EACH ROW WHEN ( NEW.x IS NOT NULL ) EXECUTE"));
	assert_non_null(strstr(b.ptr, "DROP TRIGGER u ON %I"));
	s75_buf_release(&b);
}

static void test_target(void **state)
{
	char *ci, *schema;
	(void)state;
	assert_int_equal(pg_target_parse(&ci, &schema, "postgresql:///pools?host=/run/pg&schema=oxon&port=5433"), 0);
	assert_string_equal(ci, "postgresql:///pools?host=/run/pg&port=5433");
	assert_string_equal(schema, "oxon");
	free(ci);
	free(schema);
	assert_int_equal(pg_target_parse(&ci, &schema, "postgres://db.example/pools"), 0);
	assert_string_equal(ci, "postgres://db.example/pools");
	assert_string_equal(schema, PG_DEFAULT_SCHEMA);
	free(ci);
	free(schema);
	assert_int_equal(pg_target_parse(&ci, &schema, "postgresql://s75:secret@db.example/pools"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "pgpass"));
	assert_int_equal(pg_target_parse(&ci, &schema, "postgresql:///pools?password=x"), S75_EINVALID);
	assert_int_equal(pg_target_parse(&ci, &schema, "postgresql:///pools?schema=Oxon;drop"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "schema 'Oxon;drop'"));
	assert_int_equal(pg_target_parse(&ci, &schema, "postgresql:///pools?nosuch=1"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "nosuch"));
}

/* ---- against a server ---- */

typedef struct live {
	s75_db db;
	char uri[512];
} live;

static int live_setup(void **state)
{
	const char *pg = getenv("S75_TEST_PG");
	if (!pg || !*pg)
		return 0;
	live *l = calloc(1, sizeof(*l));
	snprintf(l->uri, sizeof(l->uri), "%s&schema=unit_sql_pg_%ld", pg, (long)getpid());
	l->db.be = &sql_pg_backend;
	l->db.path = l->uri;
	if (sql_pg_backend.open(&l->db, l->uri, S75_DB_CREATE)) {
		fprintf(stderr, "%s\n", s75_error_last());
		free(l);
		return -1;
	}
	*state = l;
	return 0;
}

static int live_teardown(void **state)
{
	live *l = *state;
	char sql[96];
	if (!l)
		return 0;
	sql_pg_backend.exec(&l->db, "ROLLBACK");
	snprintf(sql, sizeof(sql), "DROP SCHEMA unit_sql_pg_%ld CASCADE", (long)getpid());
	assert_int_equal(sql_pg_backend.exec(&l->db, sql), 0);
	sql_pg_backend.close(&l->db);
	free(l);
	return 0;
}

static live *need_server(void **state)
{
	if (!*state)
		skip();
	return *state;
}

static sql_stmt *prep(live *l, const char *sql)
{
	sql_stmt *st = NULL;
	int rc = sql_pg_backend.prepare(&l->db, &st, sql, false);
	if (rc)
		fail_msg("%s: %s", sql, sql_pg_backend.cause(&l->db));
	return st;
}

static void test_types(void **state)
{
	live *l = need_server(state);
	const sql_backend *be = &sql_pg_backend;
	assert_int_equal(be->exec(&l->db, "CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, s TEXT, b BLOB,"
					 " f INTEGER NOT NULL DEFAULT 0 CHECK (f IN (0, 1)))"), 0);
	sql_stmt *ins = prep(l, "INSERT INTO t(n, s, b, f) VALUES (?, ?, ?, ?4) RETURNING id");
	assert_int_equal(be->bind_parameter_count(ins), 4);
	const int64_t ns[] = {INT64_MIN, -1, 0, INT64_MAX};
	const char bytes[] = {'a', 0, '\\', 'x', (char)0xff};
	for (int i = 0; i < 4; i++) {
		be->bind_int64(ins, 1, ns[i]);
		be->bind_text(ins, 2, i == 1 ? NULL : "it's a 'quote' ? and ?1", -1, i == 2);
		be->bind_blob(ins, 3, bytes, i == 3 ? 0 : (int)sizeof(bytes));
		be->bind_int64(ins, 4, i & 1);
		assert_int_equal(be->step(ins), SQL_ROW);
		assert_int_equal(be->column_int64(ins, 0), i + 1);
		assert_int_equal(be->step(ins), SQL_DONE);
		assert_int_equal(be->changes(ins), 1);
		be->reset(ins);
	}
	be->finalize(ins);
	/* a rolled-back insert leaves no gap in the ids, as in SQLite */
	assert_int_equal(be->begin_write(&l->db), 0);
	assert_int_equal(be->exec(&l->db, "INSERT INTO t(n) VALUES (5)"), 0);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	sql_stmt *next = prep(l, "INSERT INTO t(n) VALUES (6) RETURNING id");
	assert_int_equal(be->step(next), SQL_ROW);
	assert_int_equal(be->column_int64(next, 0), 5);
	be->finalize(next);
	assert_int_equal(be->exec(&l->db, "DELETE FROM t WHERE id = 5"), 0);
	sql_stmt *sel = prep(l, "SELECT id, n, s, b, f = 1, NULL, sum(n) OVER () FROM t WHERE id <= ?1 ORDER BY id");
	be->bind_int64(sel, 1, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(be->step(sel), SQL_ROW);
		assert_int_equal(be->column_int64(sel, 1), ns[i]);
		assert_int_equal(be->column_type(sel, 1), SQL_INTEGER);
		if (i == 1) {
			assert_null(be->column_text(sel, 2));
			assert_int_equal(be->column_type(sel, 2), SQL_NULL);
		} else {
			assert_string_equal(be->column_text(sel, 2), "it's a 'quote' ? and ?1");
			assert_int_equal(be->column_type(sel, 2), SQL_TEXT);
		}
		assert_int_equal(be->column_bytes(sel, 3), sizeof(bytes));
		assert_memory_equal(be->column_blob(sel, 3), bytes, sizeof(bytes));
		assert_int_equal(be->column_type(sel, 3), SQL_BLOB);
		/* a boolean reads as SQLite's 0/1 */
		assert_int_equal(be->column_int64(sel, 4), i & 1);
		assert_string_equal(be->column_text(sel, 4), (i & 1) ? "1" : "0");
		assert_int_equal(be->column_type(sel, 5), SQL_NULL);
		assert_int_equal(be->column_int64(sel, 5), 0);
	}
	assert_int_equal(be->step(sel), SQL_DONE);
	be->reset(sel);
	be->bind_int64(sel, 1, 4);
	assert_int_equal(be->step(sel), SQL_ROW);
	/* the sum of all four, INT64_MIN + -1 + 0 + INT64_MAX = -2, fits */
	assert_int_equal(be->column_int64(sel, 6), -2);
	be->finalize(sel);
	/* a parameter tested for NULL and compared: NULL matches every row, a value one */
	sel = prep(l, "SELECT count(*) FROM t WHERE (?1 IS NULL OR s = ?1) AND (?2 IS NULL OR n = ?2)");
	assert_int_equal(be->step(sel), SQL_ROW);
	assert_int_equal(be->column_int64(sel, 0), 4);
	be->reset(sel);
	be->bind_int64(sel, 2, INT64_MAX);
	assert_int_equal(be->step(sel), SQL_ROW);
	assert_int_equal(be->column_int64(sel, 0), 1);
	be->reset(sel);
	be->bind_text(sel, 1, "nothing", -1, false);
	assert_int_equal(be->step(sel), SQL_ROW);
	assert_int_equal(be->column_int64(sel, 0), 0);
	be->finalize(sel);
	/* INT64_MIN + -1 (a numeric) does not fit: never a wrong figure, an error */
	sel = prep(l, "SELECT sum(n) FROM t WHERE n < 0");
	assert_int_equal(be->step(sel), SQL_ROW);
	be->column_int64(sel, 0);
	assert_int_equal(be->step(sel), SQL_ERROR);
	assert_non_null(strstr(be->cause(&l->db), "not a whole number within 64 bits"));
	be->finalize(sel);
	/* integers of up to 18 digits are read without strtoll(), 19 digits with it: the
	 * edges of both, and leading zeros, all as PostgreSQL wrote them */
	sel = prep(l, "SELECT 999999999999999999, -999999999999999999, 1000000000000000000,"
		      " -1000000000000000000, 7, -0, '007', 12.00");
	assert_int_equal(be->step(sel), SQL_ROW);
	assert_int_equal(be->column_int64(sel, 0), INT64_C(999999999999999999));
	assert_int_equal(be->column_int64(sel, 1), -INT64_C(999999999999999999));
	assert_int_equal(be->column_int64(sel, 2), INT64_C(1000000000000000000));
	assert_int_equal(be->column_int64(sel, 3), -INT64_C(1000000000000000000));
	assert_int_equal(be->column_int64(sel, 4), 7);
	assert_int_equal(be->column_int64(sel, 5), 0);
	assert_int_equal(be->column_int64(sel, 6), 7);
	assert_int_equal(be->column_int64(sel, 7), 12);
	assert_int_equal(be->step(sel), SQL_DONE);
	be->finalize(sel);
	/* text that is not a whole number is never read as one, whichever way it goes */
	const char *const bad[] = {"'-'", "''", "'12a'", "'1-'", "'--1'", "'1.5'", "'99999999999999999999'"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char q[64];
		snprintf(q, sizeof(q), "SELECT %s", bad[i]);
		sel = prep(l, q);
		assert_int_equal(be->step(sel), SQL_ROW);
		be->column_int64(sel, 0);
		assert_int_equal(be->step(sel), SQL_ERROR);
		assert_non_null(strstr(be->cause(&l->db), "not a whole number within 64 bits"));
		be->finalize(sel);
	}
}

static void test_errors(void **state)
{
	live *l = need_server(state);
	const sql_backend *be = &sql_pg_backend;
	assert_int_equal(be->exec(&l->db, "CREATE TABLE u(k TEXT PRIMARY KEY, v INTEGER CHECK (v > 0))"), 0);
	sql_stmt *ins = prep(l, "INSERT INTO u(k, v) VALUES (?, ?)");
	be->bind_text(ins, 1, "a", -1, false);
	be->bind_int64(ins, 2, 1);
	assert_int_equal(be->step(ins), SQL_DONE);
	be->reset(ins);
	assert_int_equal(be->step(ins), SQL_CONSTRAINT);
	assert_non_null(strstr(be->cause(&l->db), "SQLSTATE 23505"));
	be->reset(ins);
	be->bind_text(ins, 1, "b", -1, false);
	be->bind_int64(ins, 2, -5);
	assert_int_equal(be->step(ins), SQL_CONSTRAINT);
	assert_non_null(strstr(be->cause(&l->db), "SQLSTATE 23514"));
	assert_int_equal(be->bind_int64(ins, 3, 1), SQL_ERROR);
	be->finalize(ins);
	sql_stmt *bad = prep(l, "SELEKT 1");
	assert_int_equal(be->step(bad), SQL_ERROR);
	assert_non_null(strstr(be->cause(&l->db), "SQLSTATE 42601"));
	be->finalize(bad);
	/* a trigger's RAISE(ABORT, ...) comes back as its message */
	assert_int_equal(be->exec(&l->db, "CREATE TRIGGER u_kept BEFORE DELETE ON u"
					 "  BEGIN SELECT RAISE(ABORT, 'u is append-only'); END;"), 0);
	assert_int_not_equal(be->exec(&l->db, "DELETE FROM u"), 0);
	assert_non_null(strstr(be->cause(&l->db), "u is append-only"));
	assert_int_equal(be->exec(&l->db, "DROP TRIGGER u_kept;"), 0);
	assert_int_equal(be->exec(&l->db, "DELETE FROM u"), 0);
}

static void test_nested_and_transactions(void **state)
{
	live *l = need_server(state);
	const sql_backend *be = &sql_pg_backend;
	assert_int_equal(be->exec(&l->db, "CREATE TABLE w(i INTEGER NOT NULL);"
					 "INSERT INTO w SELECT generate_series(1, 1000)"), 0);
	/* an outer statement streaming while an inner one runs for each of its rows */
	sql_stmt *outer = prep(l, "SELECT i FROM w ORDER BY i");
	sql_stmt *inner = prep(l, "SELECT count(*) FROM w WHERE i <= ?");
	int64_t rows = 0, sum = 0;
	while (be->step(outer) == SQL_ROW) {
		int64_t i = be->column_int64(outer, 0);
		be->reset(inner);
		be->bind_int64(inner, 1, i);
		assert_int_equal(be->step(inner), SQL_ROW);
		assert_int_equal(be->column_int64(inner, 0), i);
		rows++;
		sum += i;
	}
	assert_int_equal(rows, 1000);
	assert_int_equal(sum, 500500);
	be->finalize(outer);
	be->finalize(inner);
	/* a statement stepped once and finalized leaves the connection usable */
	outer = prep(l, "SELECT i FROM w ORDER BY i");
	assert_int_equal(be->step(outer), SQL_ROW);
	be->finalize(outer);
	assert_int_equal(be->in_transaction(&l->db), 0);
	assert_int_equal(be->begin_write(&l->db), 0);
	assert_int_equal(be->in_transaction(&l->db), 1);
	sql_stmt *del = prep(l, "DELETE FROM w WHERE i > ?");
	be->bind_int64(del, 1, 10);
	assert_int_equal(be->step(del), SQL_DONE);
	assert_int_equal(be->changes(del), 990);
	be->finalize(del);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	assert_int_equal(be->in_transaction(&l->db), 0);
	assert_int_equal(be->begin_read(&l->db), 0);
	sql_stmt *cnt = prep(l, "SELECT count(*) FROM w");
	assert_int_equal(be->step(cnt), SQL_ROW);
	assert_int_equal(be->column_int64(cnt, 0), 1000);
	be->finalize(cnt);
	/* a read-only snapshot refuses a write */
	assert_int_not_equal(be->exec(&l->db, "DELETE FROM w"), 0);
	assert_non_null(strstr(be->cause(&l->db), "read-only"));
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	/* the schema version is kept in a table */
	assert_int_equal(be->schema_version_get(&l->db), 0);
	assert_int_equal(be->schema_version_set(&l->db, 7), 0);
	assert_int_equal(be->schema_version_get(&l->db), 7);
}

/* db_data_version() on PostgreSQL: unchanged while nothing is committed (so what was read
 * is kept), changed by another connection's commit and by this one's own writes (and their
 * rollback), and, inside a read snapshot, the snapshot's own */
static void test_data_version(void **state)
{
	live *l = need_server(state);
	const sql_backend *be = &sql_pg_backend;
	s75_db other = {0};
	int64_t v1, o1, v2, o2, v3, o3;
	other.be = be;
	other.path = l->uri;
	assert_int_equal(be->open(&other, l->uri, 0), 0);
	assert_int_equal(be->exec(&l->db, "CREATE TABLE dv(i INTEGER NOT NULL)"), 0);
	assert_int_equal(be->data_version(&l->db, &v1, &o1), SQL_OK);
	/* nothing committed since: the same pair, as often as it is asked */
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_true(v2 == v1 && o2 == o1);
	assert_int_equal(be->begin_read(&l->db), 0);
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_true(v2 == v1 && o2 == o1);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	/* another connection's commit */
	assert_int_equal(be->exec(&other, "INSERT INTO dv VALUES (1)"), 0);
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_true(v2 != v1);
	assert_true(o2 == o1);
	/* inside a snapshot: the snapshot's version, whatever commits meanwhile */
	assert_int_equal(be->begin_read(&l->db), 0);
	assert_int_equal(be->data_version(&l->db, &v3, &o3), SQL_OK);
	assert_true(v3 == v2);
	assert_int_equal(be->exec(&other, "INSERT INTO dv VALUES (2)"), 0);
	assert_int_equal(be->data_version(&l->db, &v3, &o3), SQL_OK);
	assert_true(v3 == v2);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	assert_int_equal(be->data_version(&l->db, &v3, &o3), SQL_OK);
	assert_true(v3 != v2);
	/* this connection's own write, then its rollback: each a change */
	assert_int_equal(be->begin_write(&l->db), 0);
	assert_int_equal(be->data_version(&l->db, &v1, &o1), SQL_OK);
	sql_stmt *ins = prep(l, "INSERT INTO dv VALUES (?)");
	be->bind_int64(ins, 1, 3);
	assert_int_equal(be->step(ins), SQL_DONE);
	be->finalize(ins);
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_true(o2 != o1);
	/* a later transaction of another connection commits meanwhile: the snapshot after
	 * the rollback may then read as the one before it, so the rollback counts itself */
	assert_int_equal(be->exec(&other, "INSERT INTO dv VALUES (4)"), 0);
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	assert_int_equal(be->data_version(&l->db, &v3, &o3), SQL_OK);
	assert_true(o3 != o2);
	/* a read-only snapshot ended is no change */
	assert_int_equal(be->data_version(&l->db, &v1, &o1), SQL_OK);
	assert_int_equal(be->begin_read(&l->db), 0);
	assert_int_equal(be->exec(&l->db, "ROLLBACK"), 0);
	assert_int_equal(be->data_version(&l->db, &v2, &o2), SQL_OK);
	assert_true(v2 == v1 && o2 == o1);
	be->close(&other);
}

/* The year of the ledger kept by ledger_year_get(): read once while the workspace is
 * unchanged, read again after another process's commit, with its figure */
static void test_ledger_year_kept(void **state)
{
	live *l = need_server(state);
	char uri[600], sql[128];
	s75_db *a = NULL, *b = NULL;
	const ledger_year *y1, *y2;
	snprintf(uri, sizeof(uri), "%s&schema=unit_year_%ld", getenv("S75_TEST_PG"), (long)getpid());
	assert_int_equal(db_open_at(&a, "unused", uri, S75_DB_CREATE), 0);
	assert_int_equal(db_open_at(&b, "unused", uri, 0), 0);
	assert_int_equal(db_exec(b, "INSERT INTO ledger_agg(fy, period, cost_centre, partner, kind, rows, amount)"
				    " VALUES (2017, 3, 'CC1', 'council', 0, 1, 1250)"),
			 0);
	assert_int_equal(ledger_year_get(&y1, a, 2017), 0);
	assert_int_equal(y1->ncodes, 1);
	assert_int_equal(y1->amount[LY_CELL(y1, 0, 0, 3, 0)], 1250);
	/* unchanged: the same year, not read again */
	assert_int_equal(ledger_year_get(&y2, a, 2017), 0);
	assert_ptr_equal(y2, y1);
	/* another connection commits: the next read has it (12.50 + 7.50 = 20.00) */
	assert_int_equal(db_exec(b, "UPDATE ledger_agg SET amount = amount + 750, rows = rows + 1"), 0);
	assert_int_equal(ledger_year_get(&y2, a, 2017), 0);
	assert_int_equal(y2->amount[LY_CELL(y2, 0, 0, 3, 0)], 2000);
	s75_db_close(b);
	snprintf(sql, sizeof(sql), "DROP SCHEMA unit_year_%ld CASCADE", (long)getpid());
	assert_int_equal(db_exec(a, sql), 0);
	s75_db_close(a);
	(void)l;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_ddl),
		cmocka_unit_test(test_target),
		cmocka_unit_test_setup_teardown(test_types, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_errors, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_nested_and_transactions, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_data_version, live_setup, live_teardown),
		cmocka_unit_test_setup_teardown(test_ledger_year_kept, live_setup, live_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
