/* What the dashboard adds to the library: the forecast RAG, the dry-run import behind the
 * upload's preview, and the ledger drill-down's search. */
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

static void test_forecast_rag(void **st)
{
	(void)st;
	/* budget £100.00: 1% is £1.00 */
	assert_int_equal(s75_forecast_rag(-500, 10000), S75_RAG_GREEN);
	assert_int_equal(s75_forecast_rag(0, 10000), S75_RAG_GREEN);
	assert_int_equal(s75_forecast_rag(1, 10000), S75_RAG_AMBER);
	assert_int_equal(s75_forecast_rag(100, 10000), S75_RAG_AMBER);
	assert_int_equal(s75_forecast_rag(101, 10000), S75_RAG_RED);
	assert_int_equal(s75_forecast_rag(1, 0), S75_RAG_RED); /* an overspend of no budget */
	assert_int_equal(s75_forecast_rag(INT64_MAX, INT64_MAX), S75_RAG_RED);
}

static void write_csv(const char *path, const char *body)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("date,partner,cost_centre,account,kind,amount,description,reference\n", fp);
	fputs(body, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_dry_run_and_search(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-web-XXXXXX", path[256], csv[256], bad[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_import_result r;
	s75_batch *b;
	size_t nb;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	snprintf(csv, sizeof(csv), "%s/a.csv", dir);
	snprintf(bad, sizeof(bad), "%s/bad.csv", dir);
	write_csv(csv, "2017-04-10,la,LA-CARE,5100,expenditure,100.00,Care 100% of_it,I1\n"
		       "2017-04-11,la,LA-CARE,5100,expenditure,20.50,Respite,I2\n"
		       "2017-04-12,icb,ICB-CARE,5100,income,5.00,Refund,I3\n");
	write_csv(bad, "2017-04-10,la,LA-CARE,5100,expenditure,1.2.3,Broken,I1\n");
	int64_t gen0 = s75_db_generation(db);

	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	o.now = "2017-05-01T09:00:00Z";
	o.validate_only = true;
	/* a preview: every row checked, the totals as if imported, nothing kept */
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	assert_int_equal(r.batch_id, 0);
	assert_int_equal(r.rows_read, 3);
	assert_int_equal(r.rows_imported, 3);
	assert_int_equal(r.ntotals, 2);
	assert_int_equal(r.totals[0].amount, 12050); /* la expenditure 100.00 + 20.50 */
	s75_import_result_release(&r);
	assert_int_equal(s75_batches_list(&b, &nb, db, true), 0);
	assert_int_equal(nb, 0);
	s75_batches_free(b, nb);
	s75_period latest;
	assert_int_equal(s75_ledger_latest_period(&latest, db), S75_ENOTFOUND);
	assert_int_equal(s75_db_generation(db), gen0); /* nothing audited */
	/* a bad row: the same refusal as the import */
	assert_int_equal(s75_import_actuals(db, ag, bad, &o, &r), S75_EINVALID);
	assert_int_equal(r.rows_rejected, 1);
	assert_non_null(strstr(r.errors[0], "bad.csv:2:"));
	s75_import_result_release(&r);

	o.validate_only = false;
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	assert_int_equal(r.batch_id, 1);
	s75_import_result_release(&r);
	assert_true(s75_db_generation(db) > gen0);
	/* a preview of a file imported before is refused as a duplicate */
	o.validate_only = true;
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), S75_EEXISTS);
	assert_int_equal(r.duplicate_of, 1);
	s75_import_result_release(&r);

	assert_int_equal(s75_ledger_latest_period(&latest, db), 0);
	assert_int_equal(latest.fy, 2017);
	assert_int_equal(latest.p, 1);
	/* the search takes % and _ literally, and pages */
	s75_txn *x;
	size_t n;
	long total;
	s75_txn_query q = {latest, "LA-CARE", "100%", 0, 10};
	assert_int_equal(s75_txn_list(&x, &n, &total, db, &q), 0);
	assert_int_equal(total, 1);
	assert_string_equal(x[0].description, "Care 100% of_it");
	assert_int_equal(x[0].amount, 10000);
	s75_txns_free(x, n);
	q.search = "0_";
	assert_int_equal(s75_txn_list(&x, &n, &total, db, &q), 0);
	assert_int_equal(total, 0); /* "0_" is not "0 " or "0x" */
	s75_txns_free(x, n);
	q.search = NULL;
	q.limit = 1;
	q.offset = 1;
	assert_int_equal(s75_txn_list(&x, &n, &total, db, &q), 0);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_string_equal(x[0].description, "Respite");
	s75_txns_free(x, n);

	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The care packages page of anyone but the pool manager: counts and totals, no package */
static void test_packages_aggregates_only(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-webpkg-XXXXXX", path[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_import_result r;
	s75_packages_import_stats ps;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/packages-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	snprintf(path, sizeof(path), "%s/fixtures/packages-ws/packages.csv", tests ? tests : "tests");
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	o.now = "2023-09-04T09:00:00Z";
	assert_int_equal(s75_import_packages(db, ag, path, &o, &r, &ps), 0);
	s75_import_result_release(&r);
	s75_date on;
	assert_int_equal(s75_date_parse(&on, "2023-08-31"), 0);
	s75_report_options ro = S75_REPORT_OPTIONS_INIT;
	s75_doc *full, *agg;
	s75_buf a = S75_BUF_INIT, b = S75_BUF_INIT, ja = S75_BUF_INIT;
	assert_int_equal(s75_report_packages(&full, db, ag, -1, on, &ro), 0);
	ro.aggregates_only = true;
	assert_int_equal(s75_report_packages(&agg, db, ag, -1, on, &ro), 0);
	s75_doc_render_html(full, &a);
	s75_doc_render_html(agg, &b);
	assert_int_equal(s75_doc_render_json(agg, &ja), 0);
	/* P2's last review was 2022-07-01: a year on it is overdue at 2023-08-31 */
	assert_non_null(strstr(a.ptr, "<td>P2</td>"));
	assert_null(strstr(b.ptr, "<td>P2</td>"));
	assert_non_null(strstr(b.ptr, "Reviews overdue (next review before 2023-08-31): "));
	assert_null(strstr(ja.ptr, "\"P2\""));
	assert_non_null(strstr(ja.ptr, "\"overdue\": []"));
	s75_buf_release(&a);
	s75_buf_release(&b);
	s75_buf_release(&ja);
	s75_doc_free(full);
	s75_doc_free(agg);
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The pool's page: the monitoring's warnings about that pool to whoever sees it, those about
 * other pools never, those about the agreement only to a reader of every pool; an
 * overspend in the adverse colour. tests/web/agreement.yaml: LA-CARE in pool 'ld' has a
 * budget of £1,200.00 a year (forecast by default at its budget); £5,000.00 spent in April
 * puts its forecast £1,200.00 below the actual to date £5,000.00. */
static void test_pool_warnings(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-webpool-XXXXXX", path[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_import_result r;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/web/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	snprintf(path, sizeof(path), "%s/a.csv", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("date,cost_centre,kind,amount,description,reference\n"
	      "2017-04-10,LA-CARE,expenditure,5000.00,Care,I1\n", fp);
	assert_int_equal(fclose(fp), 0);
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	o.now = "2017-05-01T09:00:00Z";
	o.profile = "la-csv";
	assert_int_equal(s75_import_actuals(db, ag, path, &o, &r), 0);
	s75_import_result_release(&r);
	int ld = -1, mh = -1;
	for (size_t a = 0; a < ag->narrangements; a++) {
		if (!strcmp(ag->arrangements[a].id, "ld"))
			ld = (int)a;
		if (!strcmp(ag->arrangements[a].id, "mh"))
			mh = (int)a;
	}
	assert_true(ld >= 0 && mh >= 0);
	bool only_ld[16] = {false}, only_mh[16] = {false};
	only_ld[ld] = only_mh[mh] = true;
	s75_report_options ro = S75_REPORT_OPTIONS_INIT;
	ro.now = "2017-05-01T09:00:00Z";
	const char *below = "cost centre 'LA-CARE': forecast outturn £1,200.00 is below the actual to date £5,000.00";
	s75_doc *doc;
	s75_buf h = S75_BUF_INIT;
	/* pool ld, to a reader of ld alone: its warning; the overspend in red */
	assert_int_equal(s75_report_pool(&doc, db, ag, ld, NULL, S75_LEVEL_ELEMENT, only_ld, &ro), 0);
	s75_doc_render_html(doc, &h);
	assert_non_null(strstr(h.ptr, below));
	assert_non_null(strstr(h.ptr, "class=\"n adverse\""));
	size_t limited = s75_doc_nwarnings(doc);
	s75_doc_free(doc);
	/* pool ld, to a reader of every pool: the same and those about the agreement */
	assert_int_equal(s75_report_pool(&doc, db, ag, ld, NULL, S75_LEVEL_ELEMENT, NULL, &ro), 0);
	assert_true(s75_doc_nwarnings(doc) >= limited);
	s75_doc_free(doc);
	/* pool mh, to a reader of mh alone and to a reader of every pool: never ld's warning */
	for (int k = 0; k < 2; k++) {
		s75_buf_reset(&h);
		assert_int_equal(s75_report_pool(&doc, db, ag, mh, NULL, S75_LEVEL_ELEMENT,
						 k ? NULL : only_mh, &ro), 0);
		s75_doc_render_html(doc, &h);
		assert_null(strstr(h.ptr, "LA-CARE"));
		s75_doc_free(doc);
	}
	s75_buf_release(&h);
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
		cmocka_unit_test(test_forecast_rag),
		cmocka_unit_test(test_dry_run_and_search),
		cmocka_unit_test(test_packages_aggregates_only),
		cmocka_unit_test(test_pool_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
