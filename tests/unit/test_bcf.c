/* The Better Care Fund module: loading the framework and the fixture's plan, the check's
 * count of conditions not met on an empty ledger (worked by hand below), and the loader's
 * errors with their positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "s75/s75.h"

static char *fixture(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("S75_TESTS");
	snprintf(buf, sizeof(buf), "%s/fixtures/%s", dir ? dir : "tests", name);
	return buf;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_load_and_check(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-bcf-XXXXXX", db_path[128];
	assert_non_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/s75.db", dir);
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_bcf *b;
	s75_db *db;
	assert_int_equal(s75_agreement_load(&ag, fixture("bcf-ws/agreement.yaml"), &d), 0);
	assert_int_equal(s75_bcf_load(&b, ag, -1, &d), 0);
	assert_int_equal(d.nerrors, 0);
	assert_string_equal(s75_bcf_framework_id(b), "bcf-2017-19");
	assert_int_equal(s75_bcf_pool(b), 0);
	assert_int_equal(s75_db_open(&db, db_path, S75_DB_CREATE), 0);

	/* No decisions and no transfers: plans-jointly-agreed and transfers-of-care have no
	 * decision, dfg-passed nothing transferred (3 not met); nhs-minimum 1,000 >= 1,000,
	 * asc 450 >= 400, ooh 350 >= 300 and the four streams' balances are met. */
	s75_doc *doc = s75_doc_new("check");
	size_t failed = 99;
	s75_date as_of;
	s75_date_parse(&as_of, "2018-03-31");
	assert_int_equal(s75_bcf_check_report(doc, &failed, b, db, ag, 2017, as_of), 0);
	assert_int_equal(failed, 3);
	s75_doc_free(doc);

	/* the plan's year must exist */
	doc = s75_doc_new("plan");
	assert_int_equal(s75_bcf_plan_report(doc, b, ag, 2018), S75_ENOTFOUND);
	assert_int_equal(s75_bcf_plan_report(doc, b, ag, 2017), 0);
	s75_buf out = S75_BUF_INIT;
	s75_doc_render_text(doc, &out, S75_UNIT_POUNDS);
	assert_non_null(strstr(out.ptr, "2,000.00")); /* 650 + 350 + 200 + 500 + 300 */
	s75_buf_release(&out);
	s75_doc_free(doc);

	s75_db_close(db);
	s75_bcf_free(b);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	unlink(db_path);
	rmdir(dir);
}

static void test_load_errors(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-bcf-XXXXXX", path[256], cmd[8192];
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp %s %s/", fixture("bcf-ws/agreement.yaml"), dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/bcf-plan.yaml", dir);
	write_file(path, "s75_bcf_plan: 1\n"
			 "years:\n"
			 "  - year: 2017/18\n"
			 "    income:\n"
			 "      - {stream: nope, amount: 1}\n"
			 "    schemes: []\n");
	snprintf(path, sizeof(path), "%s/agreement.yaml", dir);
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_bcf *b = (s75_bcf *)1;
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	assert_int_equal(s75_bcf_load(&b, ag, -1, &d), S75_EINVALID);
	assert_null(b);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.items[0].pos.line, 5);
	assert_non_null(strstr(d.items[0].msg, "unknown funding stream 'nope'"));
	s75_agreement_free(ag);
	s75_diags_release(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The 2023-25 framework in the repository loads: with the fixture's 2017/18 plan the
 * errors are all the plan's (the year is not one of the framework's; 2017-19's scheme types
 * and conditions are not its), none in the framework itself, which is read first. */
static void test_frameworks_parse(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_bcf *b;
	assert_int_equal(s75_agreement_load(&ag, fixture("bcf-ws/agreement.yaml"), &d), 0);
	ag->arrangements[0].bcf_framework = "bcf-2023-25";
	assert_int_equal(s75_bcf_load(&b, ag, -1, &d), S75_EINVALID);
	bool year_error = false;
	for (size_t i = 0; i < d.n; i++) {
		assert_null(strstr(d.items[i].file, "bcf-2023-25.yaml")); /* none in the framework */
		year_error |= strstr(d.items[i].msg, "is not a year of framework 'bcf-2023-25'") != NULL;
	}
	assert_true(year_error);
	s75_agreement_free(ag);
	s75_diags_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_and_check),
	    cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_frameworks_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
