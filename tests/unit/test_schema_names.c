/* The check on opening a workspace reads the schema's names from the migrations' text
 * (db_schema_names_parsed) instead of running them: at every version it must give what
 * running them on an empty database gives, or the check would disagree with the
 * migrations. And the reading itself: a dropped table takes its indexes and triggers, a
 * renamed one keeps them, and what it does not understand it says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db_internal.h"

static void every_version_as_run(void **state)
{
	(void)state;
	int n;
	const char *const *m = db_migrations(&n);
	assert_true(n >= 11);
	for (int v = 0; v <= n; v++) {
		s75_buf parsed = S75_BUF_INIT, run = S75_BUF_INIT;
		int rc = db_schema_names_parsed(&parsed, m, v);
		if (rc)
			fail_msg("version %d: a migration up to it is not understood by schema_names.c", v);
		assert_int_equal(db_schema_names_run(&run, m, v), 0);
		if (strcmp(parsed.ptr ? parsed.ptr : "", run.ptr ? run.ptr : ""))
			fail_msg("version %d: read from the text:\n%s\nas run:\n%s", v,
				 parsed.ptr ? parsed.ptr : "", run.ptr ? run.ptr : "");
		s75_buf_release(&parsed);
		s75_buf_release(&run);
	}
}

static char *parse(const char *sql)
{
	static char out[1024];
	const char *m[1] = {sql};
	s75_buf b = S75_BUF_INIT;
	int rc = db_schema_names_parsed(&b, m, 1);
	snprintf(out, sizeof(out), "%s", rc ? "(not understood)" : b.ptr ? b.ptr : "");
	s75_buf_release(&b);
	return out;
}

static void by_hand(void **state)
{
	(void)state;
	/* a string or a comment holding a keyword is not a statement; a trigger's body holds ';' */
	assert_string_equal(parse("CREATE TABLE t(a TEXT CHECK (a IN ('drop table t;')));"
				  "-- DROP TABLE t;\n"
				  "CREATE INDEX t_a ON t(a);"
				  "CREATE TRIGGER t_no BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no'); END;"
				  "CREATE TABLE u(b);"),
			    "index t_a\ntable t\ntable u\ntrigger t_no\n");
	/* a dropped table takes its index and trigger; a renamed one keeps them */
	assert_string_equal(parse("CREATE TABLE t(a); CREATE INDEX t_a ON t(a);"
				  "CREATE TRIGGER t_no BEFORE DELETE ON t BEGIN SELECT 1; END;"
				  "CREATE TABLE t_new(a); CREATE INDEX n_a ON t_new(a);"
				  "DROP TABLE t; ALTER TABLE t_new RENAME TO t;"
				  "ALTER TABLE t ADD COLUMN b INTEGER; ALTER TABLE t RENAME COLUMN b TO c;"
				  "DROP INDEX IF EXISTS nothing;"),
			    "index n_a\ntable t\n");
	/* what it cannot vouch for */
	assert_string_equal(parse("CREATE VIEW v AS SELECT 1;"), "(not understood)");
	assert_string_equal(parse("CREATE TEMP TABLE x(a);"), "(not understood)");
	assert_string_equal(parse("CREATE TABLE main.x(a);"), "(not understood)");
	assert_string_equal(parse("PRAGMA foo = 1;"), "(not understood)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_version_as_run),
		cmocka_unit_test(by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
