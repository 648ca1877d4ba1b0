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
#include "strmap.h"

__extension__ typedef __int128 i128;

static void test_date_formats(void **st)
{
	(void)st;
	s75_date d, want;
	char buf[11];
	assert_int_equal(s75_date_parse(&want, "2017-09-05"), 0);
	const char *ok[][2] = {
		{"05/09/2017", "dd/mm/yyyy"}, {"5/9/2017", "d/m/yyyy"},   {"2017-09-05", "yyyy-mm-dd"},
		{"05-Sep-2017", "dd-mon-yyyy"}, {"05-SEP-17", "dd-mon-yy"}, {"20170905", "yyyymmdd"},
		{"05 September 2017", "dd mon yyyy"}, {"05/09/2017 00:00:00", "dd/mm/yyyy"},
		{" 5/09/2017 ", "d/mm/yyyy"},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (s75_date_parse_fmt(&d, ok[i][0], strlen(ok[i][0]), ok[i][1]))
			fail_msg("'%s' as %s: %s", ok[i][0], ok[i][1], s75_error_last());
		assert_string_equal(s75_date_format(buf, d), "2017-09-05");
	}
	const char *bad[][2] = {
		{"31/04/2017", "dd/mm/yyyy"}, {"2017-09-05", "dd/mm/yyyy"}, {"05/09/17", "dd/mm/yyyy"},
		{"05-Spt-2017", "dd-mon-yyyy"}, {"29/02/2023", "dd/mm/yyyy"}, {"", "dd/mm/yyyy"},
		{"05/09/2017x", "dd/mm/yyyy"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (s75_date_parse_fmt(&d, bad[i][0], strlen(bad[i][0]), bad[i][1]) != S75_EINVALID)
			fail_msg("'%s' as %s was accepted", bad[i][0], bad[i][1]);
	assert_true(s75_date_fmt_valid("dd/mm/yyyy"));
	assert_false(s75_date_fmt_valid("dd/mm"));
	assert_false(s75_date_fmt_valid("dd/qq/yyyy"));
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* the monthly budgets of a profile always sum back to the annual budget */
static void test_budget_profile_sums(void **st)
{
	(void)st;
	s75_budget b;
	for (int iter = 0; iter < 50000; iter++) {
		memset(&b, 0, sizeof(b));
		b.amount = (int64_t)(next() % 10000000000000ULL) - 2000000000000LL;
		int64_t sumw = 0;
		for (int i = 0; i < 12; i++) {
			b.weights[i] = (next() & 3) ? (int64_t)(next() % 100) : 0;
			sumw += b.weights[i];
		}
		if (!sumw) {
			b.weights[5] = 1;
			sumw = 1;
		}
		int64_t prev = 0, cumw = 0;
		for (int p = 1; p <= 12; p++) {
			int64_t td = s75_budget_to_date(&b, p);
			/* every period end within half a penny of amount * cumw / sumw */
			cumw += b.weights[p - 1];
			i128 err = (i128)td * sumw - (i128)b.amount * cumw;
			if (err < 0)
				err = -err;
			assert_true(2 * err <= (i128)sumw);
			/* a month with no weight gets nothing */
			if (b.weights[p - 1] == 0)
				assert_int_equal(td, prev);
			prev = td;
		}
		assert_int_equal(s75_budget_to_date(&b, 12), b.amount);
	}
	/* 240.00 over 2,1,...,1,2 (sum 14): hand-worked in tests/e2e import-standard-monitoring */
	memset(&b, 0, sizeof(b));
	b.amount = 24000;
	for (int i = 0; i < 12; i++)
		b.weights[i] = i == 0 || i == 11 ? 2 : 1;
	/* cumulative: P1 24000 * 2 / 14 = 3428.57 -> 3429; P2 24000 * 3 / 14 = 5142.86 -> 5143 */
	assert_int_equal(s75_budget_to_date(&b, 1), 3429);
	assert_int_equal(s75_budget_to_date(&b, 2), 5143);
	assert_int_equal(s75_budget_to_date(NULL, 6), 0);
	/* £180m evenly: P3 is exactly a quarter, £45m, not 45,000,000.06 */
	for (int i = 0; i < 12; i++)
		b.weights[i] = 1;
	b.amount = 18000000000LL;
	assert_int_equal(s75_budget_to_date(&b, 3), 4500000000LL);
	assert_int_equal(s75_budget_to_date(&b, 6), 9000000000LL);
	/* 100.00 evenly: P1 8.333 -> 8.33, P2 16.667 -> 16.67, P12 the whole */
	b.amount = 10000;
	assert_int_equal(s75_budget_to_date(&b, 1), 833);
	assert_int_equal(s75_budget_to_date(&b, 2), 1667);
	assert_int_equal(s75_budget_to_date(&b, 12), 10000);
	b.amount = -10000; /* halves and rounding mirror for a negative budget */
	assert_int_equal(s75_budget_to_date(&b, 2), -1667);
	b.amount = 0;
	for (int p = 0; p <= 12; p++)
		assert_int_equal(s75_budget_to_date(&b, p), 0);
}

static void test_maps(void **st)
{
	(void)st;
	s75_strmap *m = s75_strmap_new();
	char keys[3000][12];
	for (int i = 0; i < 3000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "CC%05d", i);
		s75_strmap_put(m, keys[i], strlen(keys[i]), i);
	}
	for (int i = 0; i < 3000; i++)
		assert_int_equal(s75_strmap_get(m, keys[i], strlen(keys[i])), i);
	assert_int_equal(s75_strmap_get(m, "CC", 2), -1);
	assert_int_equal(s75_strmap_get(m, "CC00001x", 8), -1);
	s75_strmap_free(m);
	s75_u64map *u = s75_u64map_new();
	int created;
	for (uint64_t k = 0; k < 100000; k++)
		assert_int_equal(s75_u64map_slot(u, k * 7919, &created), k);
	assert_int_equal(s75_u64map_slot(u, 7919 * 5, &created), 5);
	assert_int_equal(created, 0);
	assert_int_equal(s75_u64map_count(u), 100000);
	s75_u64map_free(u);
}

static int64_t total_actual(const s75_import_result *r)
{
	int64_t t = 0;
	for (size_t i = 0; i < r->ntotals; i++)
		if (r->totals[i].kind == S75_TXN_EXPENDITURE)
			t += r->totals[i].amount;
		else if (r->totals[i].kind == S75_TXN_INCOME)
			t -= r->totals[i].amount;
	return t;
}

/* random extracts through the API: the report's total actual reconciles to the control totals */
static void test_import_reconciles(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-ledger-XXXXXX", path[256], csv[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	const char *ccs[] = {"LA-CARE", "ICB-CARE", "LA-DAY", "ICB-DAY"};
	const char *kinds[] = {"expenditure", "income", "transfer"};
	int64_t expected = 0;
	for (int f = 0; f < 3; f++) {
		snprintf(csv, sizeof(csv), "%s/ledger-%d.csv", dir, f);
		FILE *fp = fopen(csv, "w");
		fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n");
		for (int i = 0; i < 2000; i++) {
			int kind = (int)(next() % 3);
			int64_t pence = (int64_t)(next() % 2000000) - 100000;
			int month = 4 + (int)(next() % 12);
			fprintf(fp, "%d-%02d-%02d,%s,%s,5000,%s,%s%lld.%02lld,row,R\n",
				month > 12 ? 2018 : 2017, month > 12 ? month - 12 : month,
				1 + (int)(next() % 28), next() & 1 ? "la" : "icb", ccs[next() % 4],
				kinds[kind], pence < 0 ? "-" : "", (long long)llabs(pence) / 100,
				(long long)llabs(pence) % 100);
			if (kind == 0)
				expected += pence;
			else if (kind == 1)
				expected -= pence;
		}
		fclose(fp);
		s75_import_options o = S75_IMPORT_OPTIONS_INIT;
		s75_import_result r;
		o.now = "2018-04-10T00:00:00Z";
		assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
		assert_int_equal(r.rows_read, 2000);
		assert_int_equal(r.rows_imported + r.rows_rejected, r.rows_read);
		(void)total_actual(&r);
		s75_import_result_release(&r);
	}
	s75_monitoring *m;
	s75_period p12 = {2017, 12};
	assert_int_equal(s75_monitoring_build(&m, db, ag, p12, S75_LEVEL_COST_CENTRE), 0);
	assert_int_equal(m->totals.actual_to_date, expected);
	int64_t sum = 0;
	for (size_t i = 0; i < m->nrows; i++)
		sum += m->rows[i].actual_to_date;
	assert_int_equal(sum, expected);
	s75_monitoring_free(m);
	/* undo the second batch: the report drops exactly its rows */
	s75_batch *b;
	size_t nb;
	assert_int_equal(s75_batches_list(&b, &nb, db, false), 0);
	assert_int_equal(nb, 3);
	int64_t second = 0;
	for (size_t k = 0; k < b[1].ntotals; k++)
		second += b[1].totals[k].kind == S75_TXN_EXPENDITURE ? b[1].totals[k].amount
			  : b[1].totals[k].kind == S75_TXN_INCOME    ? -b[1].totals[k].amount
								      : 0;
	assert_int_equal(s75_batch_undo(db, NULL, b[1].id, "2018-04-11T00:00:00Z"), 0);
	s75_batches_free(b, nb);
	assert_int_equal(s75_monitoring_build(&m, db, ag, p12, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, expected - second);
	s75_monitoring_free(m);
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Writes `rows` under the standard header to DIR/NAME and imports it through `db`. */
static void import_rows(s75_db *db, const s75_agreement *ag, const char *dir, const char *name,
			const char *rows)
{
	char csv[256];
	snprintf(csv, sizeof(csv), "%s/%s", dir, name);
	FILE *fp = fopen(csv, "w");
	assert_non_null(fp);
	fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n%s", rows);
	fclose(fp);
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	o.now = "2018-04-10T00:00:00Z";
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	s75_import_result_release(&r);
}

/*
 * The reports add up a year of aggregates kept in memory with the workspace
 * (ledger_year.h): what they show must follow every change, made through the same
 * connection or another one. By hand, pool ld (index 0):
 *   first file:  LA-CARE P1 expenditure 100.00 (la); LA-DAY P2 income 25.50 (la)
 *                -> actual 100.00 - 25.50 = 74.50; months P1 100.00, P2 -25.50; la spent 74.50
 *   second file, through another connection: ICB-CARE P3 expenditure 10.01 (icb) and a
 *                transfer of 5.00 paid by icb on ICB-CARE in P3
 *                -> actual 74.50 + 10.01 = 84.51; P3 10.01; icb spent 10.01, transferred 5.00
 */
static void test_ledger_year_follows_changes(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-ledger-XXXXXX", path[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db, *other;
	s75_monitoring *m;
	int64_t act[12], bud[12], spent[2], transferred[2];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	assert_string_equal(ag->arrangements[0].id, "ld");
	assert_int_equal(s75_agreement_find_partner(ag, "la"), 0);
	assert_int_equal(s75_agreement_find_partner(ag, "icb"), 1);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	import_rows(db, ag, dir, "a.csv",
		    "2017-04-10,la,LA-CARE,5100,expenditure,100.00,x,A1\n"
		    "2017-05-03,la,LA-DAY,9100,income,25.50,x,A2\n");
	assert_int_equal(s75_monitoring_build(&m, db, ag, (s75_period){2017, 12}, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, 7450);
	s75_monitoring_free(m);
	assert_int_equal(s75_monitoring_months(db, ag, 2017, 0, act, bud), 0);
	assert_int_equal(act[0], 10000);
	assert_int_equal(act[1], -2550);
	assert_int_equal(act[2], 0);
	assert_int_equal(s75_ledger_partner_totals(db, ag, (s75_period){2017, 12}, 0, spent, transferred), 0);
	assert_int_equal(spent[0], 7450);
	assert_int_equal(spent[1], 0);
	/* to P1 only: the income of P2 is not in it */
	assert_int_equal(s75_monitoring_build(&m, db, ag, (s75_period){2017, 1}, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, 10000);
	s75_monitoring_free(m);

	/* another connection imports: this one sees it at once */
	assert_int_equal(s75_db_open(&other, path, 0), 0);
	import_rows(other, ag, dir, "b.csv",
		    "2017-06-01,icb,ICB-CARE,5100,expenditure,10.01,x,B1\n"
		    "2017-06-02,icb,ICB-CARE,T001,transfer,5.00,x,B2\n");
	s75_db_close(other);
	assert_int_equal(s75_monitoring_build(&m, db, ag, (s75_period){2017, 12}, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, 8451);
	s75_monitoring_free(m);
	assert_int_equal(s75_monitoring_months(db, ag, 2017, 0, act, bud), 0);
	assert_int_equal(act[2], 1001);
	assert_int_equal(s75_ledger_partner_totals(db, ag, (s75_period){2017, 12}, 0, spent, transferred), 0);
	assert_int_equal(spent[0], 7450);
	assert_int_equal(spent[1], 1001);
	assert_int_equal(transferred[0], 0);
	assert_int_equal(transferred[1], 500);

	/* undone through this connection: gone from the next report */
	s75_batch *b;
	size_t nb;
	assert_int_equal(s75_batches_list(&b, &nb, db, false), 0);
	assert_int_equal(nb, 2);
	assert_int_equal(s75_batch_undo(db, NULL, b[0].id, "2018-04-11T00:00:00Z"), 0);
	s75_batches_free(b, nb);
	assert_int_equal(s75_monitoring_build(&m, db, ag, (s75_period){2017, 12}, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, 1001);
	s75_monitoring_free(m);

	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Rewrites the file being imported, once, while the first pass is reading it. */
static void swap_file(void *data, long long done, long long total, long rows)
{
	const char *const *paths = data; /* {the file, its replacement} */
	(void)done, (void)total, (void)rows;
	if (paths[1] && rename(paths[1], paths[0]) == 0)
		((const char **)data)[1] = NULL;
}

static long count_batches(s75_db *db)
{
	s75_batch *b;
	size_t nb;
	assert_int_equal(s75_batches_list(&b, &nb, db, true), 0);
	s75_batches_free(b, nb);
	return (long)nb;
}

/* validate_only checks a file as an import would and stores nothing; an import stores the
 * rows it read, once, even if the file is replaced while it is read. */
static void test_import_validate_only(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-validate-XXXXXX", path[256], csv[256], rej[256], big[256], big2[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	snprintf(csv, sizeof(csv), "%s/ledger.csv", dir);
	snprintf(rej, sizeof(rej), "%s/rejects.csv", dir);
	FILE *fp = fopen(csv, "w");
	fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n"
		    "2017-04-03,la,LA-CARE,5100,expenditure,10.00,a,A1\n"
		    "2017-04-04,icb,ICB-CARE,5100,expenditure,5.50,b,B1\n"
		    "2017-04-05,la,XX-NOPE,5100,expenditure,7.00,c,C1\n");
	fclose(fp);
	o.now = "2017-05-02T09:00:00Z";
	o.validate_only = true;
	/* all or nothing: line 4's cost centre is reported, nothing stored */
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), S75_EINVALID);
	assert_int_equal(r.error_count, 1);
	assert_non_null(strstr(r.errors[0], "ledger.csv:4: 'cost_centre': unknown cost centre 'XX-NOPE'"));
	assert_int_equal(r.nunknown, 1);
	assert_int_equal(r.unknown[0].total, 700);
	assert_int_equal(r.batch_id, 0);
	s75_import_result_release(&r);
	assert_int_equal(count_batches(db), 0);
	/* with a reject file: the two good rows would be imported, the bad one is written */
	o.reject_path = rej;
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	assert_int_equal(r.batch_id, 0);
	assert_int_equal(r.rows_read, 3);
	assert_int_equal(r.rows_imported, 2);
	assert_int_equal(r.rows_rejected, 1);
	assert_int_equal(r.ntotals, 2); /* la 10.00 and icb 5.50, expenditure */
	assert_string_equal(r.totals[0].partner, "la");
	assert_int_equal(r.totals[0].amount, 1000);
	assert_string_equal(r.totals[1].partner, "icb");
	assert_int_equal(r.totals[1].amount, 550);
	s75_import_result_release(&r);
	assert_int_equal(count_batches(db), 0);
	char line[256];
	fp = fopen(rej, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_non_null(strstr(line, "2017-04-05,la,XX-NOPE"));
	assert_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	/* the import itself stores the same two rows */
	o.validate_only = false;
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	assert_int_equal(r.batch_id, 1);
	assert_int_equal(r.rows_imported, 2);
	s75_import_result_release(&r);
	assert_int_equal(count_batches(db), 1);

	/* a file replaced while it is read: the import is read once, so it stores what it
	 * read (70,000 rows of 1.00 = 7,000,000p), not the replacement's 2.00s */
	snprintf(big, sizeof(big), "%s/big.csv", dir);
	snprintf(big2, sizeof(big2), "%s/big2.csv", dir);
	for (int k = 0; k < 2; k++) {
		fp = fopen(k ? big2 : big, "w");
		fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n");
		for (int i = 0; i < 70000; i++)
			fprintf(fp, "2017-04-%02d,la,LA-DAY,5100,expenditure,%d.00,r,R%d\n", 1 + i % 28,
				k ? 2 : 1, i);
		fclose(fp);
	}
	const char *paths[2] = {big, big2};
	o.reject_path = NULL;
	o.progress = swap_file;
	o.progress_data = paths;
	assert_int_equal(s75_import_actuals(db, ag, big, &o, &r), 0);
	assert_null(paths[1]); /* it was swapped */
	assert_int_equal(r.batch_id, 2);
	assert_int_equal(r.rows_imported, 70000);
	assert_int_equal(r.ntotals, 1);
	assert_int_equal(r.totals[0].amount, 7000000);
	s75_import_result_release(&r);
	assert_int_equal(count_batches(db), 2);
	s75_monitoring *m;
	assert_int_equal(s75_monitoring_build(&m, db, ag, (s75_period){2017, 1}, S75_LEVEL_POOL), 0);
	assert_int_equal(m->totals.actual_to_date, 1000 + 550 + 7000000);
	s75_monitoring_free(m);
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Property: with a P12 forecast equal to each cost centre's actual, the projection at P12
 * (what the quarterly report's Q4 shows) is the settlement, figure for figure. */
static void test_projection_at_p12_is_settlement(void **st)
{
	(void)st;
	const char *tests = getenv("S75_TESTS");
	const char *ccs[] = {"LA-CARE", "ICB-CARE", "LA-DAY", "ICB-DAY"};
	const char *partner[] = {"la", "icb", "la", "icb"};
	char path[256];
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	for (int round = 0; round < 8; round++) {
		char dir[] = "/tmp/s75-test-proj-XXXXXX", csv[256];
		s75_db *db;
		int64_t cc_actual[4] = {0};
		assert_non_null(mkdtemp(dir));
		snprintf(path, sizeof(path), "%s/s75.db", dir);
		assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
		snprintf(csv, sizeof(csv), "%s/ledger.csv", dir);
		FILE *fp = fopen(csv, "w");
		fprintf(fp, "date,partner,cost_centre,account,kind,amount,description,reference\n");
		for (int i = 0; i < 300; i++) {
			int c = (int)(next() % 4), income = (next() % 5) == 0;
			int64_t pence = (int64_t)(next() % 50000000);
			int month = 4 + (int)(next() % 12);
			fprintf(fp, "%d-%02d-%02d,%s,%s,5000,%s,%lld.%02lld,row,R\n",
				month > 12 ? 2018 : 2017, month > 12 ? month - 12 : month,
				1 + (int)(next() % 28), partner[c], ccs[c],
				income ? "income" : "expenditure", (long long)pence / 100,
				(long long)pence % 100);
			cc_actual[c] += income ? -pence : pence;
		}
		fclose(fp);
		s75_import_options o = S75_IMPORT_OPTIONS_INIT;
		s75_import_result r;
		o.now = "2018-04-10T00:00:00Z";
		assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
		s75_import_result_release(&r);
		/* the year-end forecasts: each cost centre's actual, in pounds */
		snprintf(csv, sizeof(csv), "%s/forecasts.csv", dir);
		fp = fopen(csv, "w");
		fprintf(fp, "cost_centre,forecast,note\n");
		for (int c = 0; c < 4; c++)
			fprintf(fp, "%s,%s%lld.%02lld,year end\n", ccs[c], cc_actual[c] < 0 ? "-" : "",
				(long long)llabs(cc_actual[c]) / 100, (long long)llabs(cc_actual[c]) % 100);
		fclose(fp);
		o.period = (s75_period){2017, 12};
		assert_int_equal(s75_import_forecasts(db, ag, csv, &o, &r), 0);
		s75_import_result_release(&r);

		s75_settlement *proj, *set;
		s75_settle_options so;
		memset(&so, 0, sizeof(so));
		assert_int_equal(s75_settle(&set, db, ag, 2017, &so), 0);
		so.forecast = true;
		so.period = (s75_period){2017, 12};
		assert_int_equal(s75_settle(&proj, db, ag, 2017, &so), 0);
		assert_int_equal(proj->npools, set->npools);
		for (size_t i = 0; i < set->npools; i++) {
			const s75_settle_pool *a = &proj->pools[i], *b = &set->pools[i];
			assert_int_equal(a->budget, b->budget);
			assert_int_equal(a->outturn, b->outturn);
			assert_int_equal(a->variance, b->variance);
			assert_int_equal(a->reserve, b->reserve);
			for (size_t k = 0; k < ag->npartners; k++) {
				assert_int_equal(a->partners[k].variance_share, b->partners[k].variance_share);
				assert_int_equal(a->partners[k].final_cost, b->partners[k].final_cost);
			}
			/* and the outturn is the ledger's, worked here from the rows written */
			assert_int_equal(b->outturn, cc_actual[0] + cc_actual[1] + cc_actual[2] + cc_actual[3]);
		}
		s75_settlement_free(proj);
		s75_settlement_free(set);
		s75_db_close(db);
		snprintf(csv, sizeof(csv), "rm -rf '%s'", dir);
		assert_int_equal(system(csv), 0);
	}
	s75_agreement_free(ag);
	s75_diags_release(&d);
}

/* The RAG of a forecast against a tolerance in basis points, exact at the edge of the band. */
static void test_monitor_rag(void **st)
{
	(void)st;
	assert_int_equal(s75_monitor_rag(-1, 120000, 500), S75_RAG_GREEN);
	assert_int_equal(s75_monitor_rag(0, 0, 500), S75_RAG_GREEN);      /* on a budget of nothing */
	assert_int_equal(s75_monitor_rag(6000, 120000, 500), S75_RAG_AMBER); /* 5% exactly */
	assert_int_equal(s75_monitor_rag(6001, 120000, 500), S75_RAG_RED);
	assert_int_equal(s75_monitor_rag(1, 120000, 0), S75_RAG_RED);     /* no band at all */
	assert_int_equal(s75_monitor_rag(1, -5, 500), S75_RAG_RED);       /* no budget to measure */
	assert_int_equal(s75_monitor_rag(INT64_MAX, INT64_MAX, 10000), S75_RAG_AMBER); /* no overflow */
	assert_int_equal(s75_monitor_rag(INT64_MAX, INT64_MAX, 9999), S75_RAG_RED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monitor_rag),
		cmocka_unit_test(test_date_formats),
		cmocka_unit_test(test_budget_profile_sums),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_import_reconciles),
		cmocka_unit_test(test_import_validate_only),
		cmocka_unit_test(test_ledger_year_follows_changes),
		cmocka_unit_test(test_projection_at_p12_is_settlement),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
