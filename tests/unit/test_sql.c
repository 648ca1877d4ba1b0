/* The statement layer (src/lib/store/sql.h) on a workspace's back end: what the store's
 * code relies on, so that a back end that breaks it fails here before an e2e case does.
 * Runs on a fresh SQLite workspace in the temporary folder. */
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
#include "s75/s75.h"

typedef struct fixture {
	char dir[64];
	char path[96];
	s75_db *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/s75-test-sql-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/s75.db", f->dir);
	if (s75_db_open(&f->db, f->path, S75_DB_CREATE))
		return -1;
	if (db_exec(f->db, "CREATE TABLE t(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
			   " amount INTEGER, note TEXT)"))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char p[128];
	s75_db_close(f->db);
	const char *ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, ext[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Inserts a row and returns its id (INSERT ... RETURNING id), or -1. */
static int64_t insert(s75_db *db, const char *code, int64_t amount, const char *note)
{
	sql_stmt *st;
	int64_t id = -1;
	if (db_prepare(db, &st, "INSERT INTO t(code, amount, note) VALUES (?, ?, ?) RETURNING id"))
		return -1;
	sql_bind_text(st, 1, code, -1);
	sql_bind_int64(st, 2, amount);
	sql_bind_text(st, 3, note, -1);
	if (sql_step(st) == SQL_ROW) {
		id = sql_column_int64(st, 0);
		if (sql_step(st) != SQL_DONE)
			id = -1;
	}
	sql_finalize(st);
	return id;
}

static void returning_and_transactions(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	assert_int_equal(db_in_transaction(db), 0);
	assert_int_equal(db_begin_write(db), 0);
	assert_int_equal(db_in_transaction(db), 1);
	assert_true(insert(db, "a", 1, NULL) == 1);
	assert_true(insert(db, "b", 2, "two") == 2);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_in_transaction(db), 0);

	/* rolled back: the row is gone and the ids go on from the last committed */
	assert_int_equal(db_begin_write(db), 0);
	assert_true(insert(db, "c", 3, NULL) == 3);
	db_rollback(db);
	assert_int_equal(db_in_transaction(db), 0);
	db_rollback(db); /* outside a transaction: nothing, no error */

	sql_stmt *st;
	assert_int_equal(db_prepare(db, &st, "SELECT count(*), sum(amount) FROM t"), 0);
	assert_int_equal(sql_step(st), SQL_ROW);
	assert_int_equal(sql_column_int(st, 0), 2);
	assert_true(sql_column_int64(st, 1) == 3);
	assert_int_equal(sql_step(st), SQL_DONE);
	sql_finalize(st);
}

static void savepoints(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	sql_stmt *st;
	assert_int_equal(db_begin_write(db), 0);
	assert_true(insert(db, "s1", 10, NULL) > 0);
	assert_int_equal(db_savepoint(db, "sp"), 0);
	assert_true(insert(db, "s2", 20, NULL) > 0);
	assert_int_equal(db_rollback_to(db, "sp"), 0);
	assert_int_equal(db_release(db, "sp"), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_prepare(db, &st, "SELECT code FROM t WHERE code LIKE 's%' ORDER BY code"), 0);
	assert_int_equal(sql_step(st), SQL_ROW);
	assert_string_equal(sql_column_text(st, 0), "s1");
	assert_int_equal(sql_step(st), SQL_DONE);
	sql_finalize(st);
}

static void binds_and_columns(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	sql_stmt *st;
	char buf[16];

	/* the extremes of a 64-bit amount, a NULL, a copied text outliving its buffer */
	snprintf(buf, sizeof(buf), "copied");
	assert_int_equal(db_prepare(db, &st, "INSERT INTO t(code, amount, note) VALUES (?, ?, ?)"), 0);
	assert_int_equal(sql_bind_parameter_count(st), 3);
	sql_bind_text_copy(st, 1, buf, -1);
	sql_bind_int64(st, 2, INT64_MAX);
	sql_bind_null(st, 3);
	memset(buf, 'x', sizeof(buf) - 1);
	assert_int_equal(sql_step(st), SQL_DONE);
	assert_int_equal(sql_changes(st), 1);
	sql_reset(st);
	sql_bind_text(st, 1, "min", 3);
	sql_bind_int64(st, 2, INT64_MIN + 1);
	sql_bind_text(st, 3, NULL, -1); /* NULL text binds NULL */
	assert_int_equal(sql_step(st), SQL_DONE);
	sql_finalize(st);

	assert_int_equal(db_prepare(db, &st, "SELECT code, amount, note FROM t"
					     " WHERE code IN ('copied', 'min') ORDER BY amount"), 0);
	assert_int_equal(sql_step(st), SQL_ROW);
	assert_string_equal(sql_column_text(st, 0), "min");
	assert_int_equal(sql_column_bytes(st, 0), 3);
	assert_true(sql_column_int64(st, 1) == INT64_MIN + 1);
	assert_true(sql_column_is_null(st, 2));
	assert_int_equal(sql_column_type(st, 2), SQL_NULL);
	assert_int_equal(sql_column_type(st, 1), SQL_INTEGER);
	assert_null(sql_column_text(st, 2));
	assert_null(sql_column_dup(st, 2));
	assert_int_equal(sql_column_int(st, 2), 0);
	assert_int_equal(sql_step(st), SQL_ROW);
	char *dup = sql_column_dup(st, 0);
	assert_string_equal(dup, "copied");
	free(dup);
	assert_true(sql_column_int64(st, 1) == INT64_MAX);
	assert_false(sql_column_is_null(st, 1));
	assert_int_equal(sql_step(st), SQL_DONE);
	sql_finalize(st);

	/* ?N may repeat; numbered and counted by the largest N */
	assert_int_equal(db_prepare(db, &st, "SELECT ?1 + ?1 * ?2"), 0);
	assert_int_equal(sql_bind_parameter_count(st), 2);
	sql_bind_int(st, 1, 3);
	sql_bind_int(st, 2, 5);
	assert_int_equal(sql_step(st), SQL_ROW);
	assert_int_equal(sql_column_int(st, 0), 18);
	sql_finalize(st);
}

static void changes_conflicts_and_errors(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	sql_stmt *st;
	assert_true(insert(db, "u1", 1, NULL) > 0);
	assert_true(insert(db, "u2", 1, NULL) > 0);
	assert_int_equal(db_prepare(db, &st, "UPDATE t SET amount = amount + 1 WHERE code LIKE 'u%'"), 0);
	assert_int_equal(sql_step(st), SQL_DONE);
	assert_int_equal(sql_changes(st), 2);
	sql_finalize(st);
	assert_int_equal(db_prepare(db, &st, "DELETE FROM t WHERE code = 'none'"), 0);
	assert_int_equal(sql_step(st), SQL_DONE);
	assert_int_equal(sql_changes(st), 0);
	sql_finalize(st);

	/* a duplicate is SQL_CONSTRAINT; ON CONFLICT ... DO UPDATE adds to the row */
	assert_int_equal(db_prepare(db, &st, "INSERT INTO t(code, amount) VALUES ('u1', 5)"), 0);
	assert_int_equal(sql_step(st), SQL_CONSTRAINT);
	assert_int_equal(db_error(db, "cannot add"), S75_EIO);
	assert_non_null(strstr(s75_error_last(), "cannot add: "));
	sql_finalize(st);
	assert_int_equal(db_prepare(db, &st, "INSERT INTO t(code, amount) VALUES (?, ?)"
					     " ON CONFLICT (code) DO UPDATE SET amount = t.amount + excluded.amount"
					     " RETURNING amount"), 0);
	sql_bind_text(st, 1, "u1", -1);
	sql_bind_int(st, 2, 5);
	assert_int_equal(sql_step(st), SQL_ROW);
	assert_int_equal(sql_column_int(st, 0), 7);
	assert_int_equal(sql_step(st), SQL_DONE);
	sql_finalize(st);

	/* a statement that cannot be prepared: the error names the workspace */
	assert_int_equal(db_prepare(db, &st, "SELECT nothing FROM nowhere"), S75_EIO);
	assert_null(st);
	assert_non_null(strstr(s75_error_last(), "s75.db"));
	/* a rollback after a failure keeps that failure's message */
	assert_int_equal(db_begin_write(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO nowhere VALUES (1)"), S75_EIO);
	char *msg = strdup(s75_error_last());
	db_rollback(db);
	assert_string_equal(s75_error_last(), msg);
	free(msg);
}

static void kept_statements(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	static const char sql[] = "SELECT count(*) FROM t WHERE code = ?";
	sql_stmt *a, *b;
	assert_true(insert(db, "a", 1, NULL) > 0);
	assert_int_equal(db_prepare_kept(db, &a, sql), 0);
	sql_bind_text(a, 1, "a", -1);
	assert_int_equal(sql_step(a), SQL_ROW);
	assert_int_equal(sql_column_int(a, 0), 1);
	db_done(db, a);
	/* the same statement again, reset with its parameter cleared (NULL: no row equal) */
	assert_int_equal(db_prepare_kept(db, &b, sql), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(sql_step(b), SQL_ROW);
	assert_int_equal(sql_column_int(b, 0), 0);
	db_done(db, b);
}

static void data_version(void **state)
{
	s75_db *db = ((fixture *)*state)->db;
	int64_t v1, c1, v2, c2;
	assert_int_equal(db_data_version(db, &v1, &c1), 0);
	assert_int_equal(db_data_version(db, &v2, &c2), 0);
	assert_true(v1 == v2 && c1 == c2); /* nothing written between */
	assert_true(insert(db, "dv", 1, NULL) > 0);
	assert_int_equal(db_data_version(db, &v2, &c2), 0);
	assert_true(v1 != v2 || c1 != c2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(returning_and_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(savepoints, setup, teardown),
		cmocka_unit_test_setup_teardown(binds_and_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(changes_conflicts_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(kept_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(data_version, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
