/* Property tests: every summing path, driven with values near the int64 limit, either
 * gives the exact sum (worked here in 128 bits) or refuses with an error — never a
 * wrapped, clamped or floating-point figure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "s75/s75.h"

__extension__ typedef __int128 i128;

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool fits(i128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

/* A value within 2^62 of either limit, or small: where overflows are. */
static int64_t near_limit(void)
{
	int64_t off = (int64_t)(next() >> 2);
	switch (next() % 3) {
	case 0:
		return INT64_MAX - off;
	case 1:
		return INT64_MIN + off;
	default:
		return (int64_t)(next() % 2000001) - 1000000;
	}
}

static void test_amounts_add(void **st)
{
	(void)st;
	for (int i = 0; i < 20000; i++) {
		s75_amounts a = {near_limit(), near_limit(), near_limit(), near_limit()};
		const s75_amounts b = {near_limit(), near_limit(), near_limit(), near_limit()};
		const s75_amounts a0 = a;
		bool ok = fits((i128)a.gross + b.gross) && fits((i128)a.income + b.income) &&
			  fits((i128)a.grants + b.grants) && fits((i128)a.net + b.net);
		int rc = s75_amounts_add(&a, &b);
		if (ok) {
			assert_int_equal(rc, 0);
			assert_true((i128)a.gross == (i128)a0.gross + b.gross);
			assert_true((i128)a.net == (i128)a0.net + b.net);
		} else {
			assert_int_equal(rc, S75_EOVERFLOW);
		}
	}
}

static void test_split_near_limit(void **st)
{
	(void)st;
	for (int i = 0; i < 20000; i++) {
		int64_t w[3] = {(int64_t)(next() >> 1), (int64_t)(next() >> 1), (int64_t)(next() >> 1)};
		int64_t parts[3], total = near_limit();
		if (s75_alloc_split(parts, total, w, 3) == 0) {
			i128 sum = (i128)parts[0] + parts[1] + parts[2];
			assert_true(sum == total);
		}
	}
}

/* Batches of near-limit amounts imported one after another: each is imported exactly
 * when every sum it takes part in fits; the report then reconciles exactly or refuses. */
static void test_ledger_batches(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-overflow-XXXXXX", path[256], csv[300];
	const char *tests = getenv("S75_TESTS");
	const char *ccs[] = {"LA-CARE", "LA-DAY"};
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	i128 have[2] = {0, 0};
	int imported = 0, refused = 0;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	for (int f = 0; f < 40; f++) {
		i128 add[2] = {0, 0}, batch = 0;
		int nrows = 1 + (int)(next() % 3);
		snprintf(csv, sizeof(csv), "%s/b%d.csv", dir, f);
		FILE *fp = fopen(csv, "w");
		assert_non_null(fp);
		fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n");
		for (int i = 0; i < nrows; i++) {
			/* positive, so every partial sum fits when the last one does */
			int64_t pence = (int64_t)(next() % (uint64_t)(INT64_MAX / 3));
			int c = (int)(next() % 2);
			fprintf(fp, "2018-03-%02d,la,%s,5000,expenditure,%lld.%02lld,row,R%d\n", 1 + i,
				ccs[c], (long long)(pence / 100), (long long)(pence % 100), i);
			add[c] += pence;
			batch += pence;
		}
		fclose(fp);
		bool ok = fits(batch) && fits(have[0] + add[0]) && fits(have[1] + add[1]);
		s75_import_options o = S75_IMPORT_OPTIONS_INIT;
		s75_import_result r;
		o.now = "2018-04-10T00:00:00Z";
		int rc = s75_import_actuals(db, ag, csv, &o, &r);
		if (ok) {
			assert_int_equal(rc, 0);
			have[0] += add[0];
			have[1] += add[1];
			imported++;
		} else {
			assert_int_not_equal(rc, 0);
			assert_true(r.batch_id == 0);
			refused++;
		}
		s75_import_result_release(&r);

		/* the report: exact, or refused */
		s75_monitoring *m;
		s75_period p12 = {2017, 12};
		rc = s75_monitoring_build(&m, db, ag, p12, S75_LEVEL_POOL);
		if (fits(have[0] + have[1])) {
			assert_int_equal(rc, 0);
			assert_true((i128)m->totals.actual_to_date == have[0] + have[1]);
			s75_monitoring_free(m);
		} else {
			assert_int_equal(rc, S75_EOVERFLOW);
		}
		int64_t actual[12], budget[12];
		rc = s75_monitoring_months(db, ag, 2017, 0, actual, budget);
		if (fits(have[0] + have[1])) {
			assert_int_equal(rc, 0);
			assert_true((i128)actual[11] == have[0] + have[1]);
		} else {
			assert_int_not_equal(rc, 0);
		}
	}
	/* both outcomes were driven */
	assert_true(imported > 0 && refused > 0);
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amounts_add),
		cmocka_unit_test(test_split_near_limit),
		cmocka_unit_test(test_ledger_batches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
