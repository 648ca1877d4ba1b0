/* Closed periods (src/lib/store/periods.c): closing in order, the rules of reopening, the
 * set an import checks rows against, across partners and to the end of the agreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "periods_internal.h"
#include "s75/s75.h"

static const char *fixture(const char *name)
{
	static char buf[512];
	const char *dir = getenv("S75_TESTS");
	snprintf(buf, sizeof(buf), "%s/fixtures/%s", dir ? dir : "tests", name);
	return buf;
}

static void test_close_and_reopen(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-periods-XXXXXX", db_path[128];
	assert_non_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/s75.db", dir);
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_period *p = NULL, p3 = {2017, 3};
	size_t n;
	assert_int_equal(s75_agreement_load(&ag, fixture("ledger-ws/agreement.yaml"), &d), 0);
	assert_int_equal(s75_db_open(&db, db_path, S75_DB_CREATE), 0);
	int la = s75_agreement_find_partner(ag, "la"), icb = s75_agreement_find_partner(ag, "icb");

	/* P3 (June) ends on 30 June: not closable on that day, closable the day after, with P1, P2 */
	assert_int_equal(s75_period_close(&p, &n, db, ag, p3, "la", "2017-06-30T23:00:00Z"), S75_EINVALID);
	assert_int_equal(s75_period_close(&p, &n, db, ag, p3, "la", "2017-07-01T09:00:00Z"), 0);
	assert_int_equal(n, 3);
	assert_int_equal(p[0].p, 1);
	assert_int_equal(p[2].p, 3);
	free(p);
	assert_int_equal(s75_period_close(&p, &n, db, ag, p3, "la", "2017-07-01T09:00:00Z"), S75_EINVALID);
	assert_int_equal(s75_period_close(&p, &n, db, ag, p3, "nobody", "2017-07-01T09:00:00Z"), S75_EINVALID);
	assert_int_equal(s75_period_close(&p, &n, db, ag, (s75_period){2019, 1}, NULL, "2019-07-01T09:00:00Z"), S75_EINVALID);

	period_set *s;
	assert_int_equal(period_set_load(&s, db, ag), 0);
	assert_false(period_set_empty(s));
	assert_true(period_set_closed(s, p3, la));
	assert_false(period_set_closed(s, p3, icb));
	assert_false(period_set_closed(s, p3, -1)); /* not for every partner */
	assert_false(period_set_closed(s, (s75_period){2017, 4}, la));
	s75_period open;
	assert_int_equal(period_set_first_open(s, (s75_period){2017, 1}, la, &open), 0);
	assert_int_equal(open.fy, 2017);
	assert_int_equal(open.p, 4);

	/* the whole year closed: nothing after March 2018 is in the agreement's years */
	assert_int_equal(s75_period_close(&p, &n, db, ag, (s75_period){2017, 12}, NULL, "2018-04-01T09:00:00Z"), 0);
	assert_int_equal(n, 12);
	free(p);
	assert_int_equal(period_set_unchanged(s, db), S75_EINVALID); /* an import would start again */
	period_set_free(s);
	assert_int_equal(period_set_load(&s, db, ag), 0);
	assert_true(period_set_closed(s, (s75_period){2017, 12}, -1));
	assert_int_equal(period_set_first_open(s, (s75_period){2017, 5}, icb, &open), -1);
	assert_int_equal(period_set_unchanged(s, db), 0);
	period_set_free(s);

	/* reopening: a reason, not blank; la's alone while every partner's closing stands: no */
	assert_int_equal(s75_period_reopen(&p, &n, db, ag, (s75_period){2017, 11}, NULL, "  ", "2018-04-02T09:00:00Z"), S75_EINVALID);
	assert_int_equal(s75_period_reopen(&p, &n, db, ag, p3, "la", "error", "2018-04-02T09:00:00Z"), S75_EINVALID);
	assert_int_equal(s75_period_reopen(&p, &n, db, ag, (s75_period){2017, 11}, NULL, "late accrual", "2018-04-02T09:00:00Z"), 0);
	assert_int_equal(n, 2); /* P11 and P12 */
	assert_int_equal(p[1].p, 12);
	free(p);
	assert_int_equal(s75_period_reopen(&p, &n, db, ag, (s75_period){2017, 12}, NULL, "again", "2018-04-02T09:00:00Z"), S75_EINVALID);

	s75_closing *c;
	size_t nc, reopened = 0;
	assert_int_equal(s75_period_closes_list(&c, &nc, db), 0);
	assert_int_equal(nc, 15); /* 3 of la's, 12 of every partner's */
	for (size_t i = 0; i < nc; i++)
		if (c[i].reopened_at) {
			reopened++;
			assert_string_equal(c[i].reason, "late accrual");
			assert_null(c[i].partner);
		}
	assert_int_equal(reopened, 2);
	/* nothing in the ledger: each seal is the sha256 of nothing */
	assert_string_equal(c[0].seal, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	s75_period_closes_free(c, nc);

	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	unlink(db_path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_and_reopen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
