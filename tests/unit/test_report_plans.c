/* The statutory reports (and the packages report and exit analysis) read their figures in
 * the order of an index: no statement any of them runs needs a temporary B-tree to sort or
 * group (EXPLAIN QUERY PLAN shows no "USE TEMP B-TREE"), so none writes a temporary sort
 * file however large the workspace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "db_internal.h"
#include "s75/s75.h"

#define MAX_SQL 256

typedef struct seen {
	char *sql[MAX_SQL];
	size_t n;
} seen;

/* Every distinct SELECT the connection runs (triggers' and PRAGMAs' aside). */
static int on_statement(unsigned type, void *ctx, void *p, void *x)
{
	seen *s = ctx;
	(void)type;
	(void)x;
	const char *sql = sqlite3_sql((sqlite3_stmt *)p);
	if (!sql || strncmp(sql, "SELECT", 6))
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->sql[i], sql))
			return 0;
	if (s->n < MAX_SQL)
		s->sql[s->n++] = strdup(sql);
	return 0;
}

static bool seen_any(const seen *s, const char *what)
{
	for (size_t i = 0; i < s->n; i++)
		if (strstr(s->sql[i], what))
			return true;
	return false;
}

/* How many of the statements seen need a temporary B-tree (each named on stderr). */
static int count_sorts(s75_db *db, seen *s)
{
	int sorts = 0;
	for (size_t i = 0; i < s->n; i++) {
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", s->sql[i]);
		sqlite3_stmt *plan;
		assert_int_equal(sqlite3_prepare_v2(((sqlite3 *)db->conn), q, -1, &plan, NULL), SQLITE_OK);
		while (sqlite3_step(plan) == SQLITE_ROW) {
			const char *detail = (const char *)sqlite3_column_text(plan, 3);
			if (detail && strstr(detail, "USE TEMP B-TREE")) {
				fprintf(stderr, "sorts (%s): %s\n", detail, s->sql[i]);
				sorts++;
			}
		}
		sqlite3_finalize(plan);
		sqlite3_free(q);
		free(s->sql[i]);
	}
	s->n = 0;
	return sorts;
}

static void write_file(const char *dir, const char *name, const char *text, char *path, size_t cap)
{
	snprintf(path, cap, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_statutory_reports_never_sort(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-plans-XXXXXX", path[256], csv[256];
	const char *tests = getenv("S75_TESTS");
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	seen s = {{0}, 0};
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/ledger-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);

	/* actuals in two periods and for both partners, and forecasts at two periods */
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	o.now = "2018-04-10T00:00:00Z";
	write_file(dir, "a.csv",
		   "date,partner,cost_centre,account,kind,amount,description,reference\n"
		   "2017-04-10,la,LA-CARE,5100,expenditure,100.00,x,A1\n"
		   "2017-05-03,la,LA-DAY,9100,income,25.50,x,A2\n"
		   "2017-06-01,icb,ICB-CARE,5100,expenditure,10.01,x,A3\n"
		   "2017-06-02,icb,ICB-CARE,T001,transfer,5.00,x,A4\n"
		   "2017-06-02,la,LA-CARE,T001,transfer,-5.00,x,A5\n",
		   csv, sizeof(csv));
	assert_int_equal(s75_import_actuals(db, ag, csv, &o, &r), 0);
	s75_import_result_release(&r);
	write_file(dir, "f1.csv", "cost_centre,forecast,note\nLA-CARE,1300.00,first\n", csv, sizeof(csv));
	o.period = (s75_period){2017, 1};
	assert_int_equal(s75_import_forecasts(db, ag, csv, &o, &r), 0);
	s75_import_result_release(&r);
	write_file(dir, "f3.csv", "cost_centre,forecast,note\nLA-CARE,1250.00,revised\nICB-CARE,600.00,\n",
		   csv, sizeof(csv));
	o.period = (s75_period){2017, 3};
	assert_int_equal(s75_import_forecasts(db, ag, csv, &o, &r), 0);
	s75_import_result_release(&r);

	/* every statutory report, in the form that builds everything (charts included) */
	sqlite3_trace_v2(((sqlite3 *)db->conn), SQLITE_TRACE_STMT, on_statement, &s);
	s75_report_options ro = S75_REPORT_OPTIONS_INIT;
	s75_period p12 = {2017, 12};
	s75_doc *doc;
	for (int lvl = S75_LEVEL_POOL; lvl <= S75_LEVEL_COST_CENTRE; lvl++) {
		assert_int_equal(s75_report_monitoring(&doc, db, ag, p12, (s75_level)lvl, &ro), 0);
		s75_doc_free(doc);
	}
	assert_int_equal(s75_report_riskshare(&doc, db, ag, p12, &ro), 0);
	s75_doc_free(doc);
	assert_int_equal(s75_report_settle(&doc, db, ag, 2017, false, false, &ro), 0);
	s75_doc_free(doc);
	assert_int_equal(s75_report_quarterly(&doc, db, ag, 2017, 4, &ro), 0);
	s75_doc_free(doc);
	assert_int_equal(s75_report_annual_return(&doc, db, ag, 2017, false, false, &ro), 0);
	s75_doc_free(doc);
	sqlite3_trace_v2(((sqlite3 *)db->conn), 0, NULL, NULL);

	/* the reads of the ledger and the forecasts are among them */
	assert_true(seen_any(&s, "FROM ledger_agg"));
	assert_true(seen_any(&s, "FROM forecast"));
	assert_int_equal(count_sorts(db, &s), 0);

	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A workspace in `dir` (a mkdtemp template) with the packages-ws fixture's register. */
static s75_db *packages_ws(char *dir, s75_agreement **ag, s75_diags *d)
{
	char path[256];
	const char *tests = getenv("S75_TESTS");
	s75_db *db;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fixtures/packages-ws/agreement.yaml", tests ? tests : "tests");
	assert_int_equal(s75_agreement_load(ag, path, d), 0);
	snprintf(path, sizeof(path), "%s/s75.db", dir);
	assert_int_equal(s75_db_open(&db, path, S75_DB_CREATE), 0);
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	o.now = "2023-09-04T09:00:00Z";
	snprintf(path, sizeof(path), "%s/fixtures/packages-ws/packages.csv", tests ? tests : "tests");
	assert_int_equal(s75_import_packages(db, *ag, path, &o, &r, NULL), 0);
	s75_import_result_release(&r);
	return db;
}

static void packages_ws_free(char *dir, s75_db *db, s75_agreement *ag, s75_diags *d)
{
	char cmd[300];
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The packages report and the exit analysis read the register (a package's latest record
 * and its terms) in key order too. */
static void test_packages_reports_never_sort(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-plans-XXXXXX";
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db = packages_ws(dir, &ag, &d);
	seen s = {{0}, 0};

	sqlite3_trace_v2(((sqlite3 *)db->conn), SQLITE_TRACE_STMT, on_statement, &s);
	s75_report_options ro = S75_REPORT_OPTIONS_INIT;
	s75_date on;
	s75_doc *doc;
	assert_int_equal(s75_date_parse(&on, "2023-08-31"), 0);
	assert_int_equal(s75_report_packages(&doc, db, ag, -1, on, &ro), 0);
	s75_doc_free(doc);
	assert_int_equal(s75_date_parse(&on, "2024-08-31"), 0);
	assert_int_equal(s75_report_exit(&doc, db, ag, 0, on, NULL, NULL, 0, &ro), 0);
	s75_doc_free(doc);
	sqlite3_trace_v2(((sqlite3 *)db->conn), 0, NULL, NULL);
	assert_true(seen_any(&s, "FROM package_terms"));
	assert_int_equal(count_sorts(db, &s), 0);

	packages_ws_free(dir, db, ag, &d);
}

/* Renders `d` as `form` into `out` (text for S75_FORM_DOC); the render's return code. */
static int render_form(const s75_doc *d, s75_report_form form, s75_buf *out)
{
	s75_buf_reset(out);
	if (form == S75_FORM_JSON)
		return s75_doc_render_json(d, out);
	if (form == S75_FORM_CSV)
		return s75_doc_render_csv(d, out);
	s75_doc_render_text(d, out, S75_UNIT_POUNDS);
	return 0;
}

/* report packages and exit build only the form asked for (the 100k-package memory goal,
 * issue 15), and that form reads byte for byte as from a document built for every form. */
static void test_packages_reports_one_form(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-forms-XXXXXX";
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db = packages_ws(dir, &ag, &d);

	const s75_report_form forms[] = {S75_FORM_DOC, S75_FORM_JSON, S75_FORM_CSV};
	s75_buf all = S75_BUF_INIT, one = S75_BUF_INIT;
	for (int rep = 0; rep < 2; rep++)
		for (size_t f = 0; f < 3; f++) {
			s75_report_options ro = S75_REPORT_OPTIONS_INIT;
			s75_doc *full, *part;
			s75_date on;
			ro.now = "2023-09-04T09:00:00Z";
			assert_int_equal(s75_date_parse(&on, rep ? "2024-08-31" : "2023-08-31"), 0);
			if (rep)
				assert_int_equal(s75_report_exit(&full, db, ag, 0, on, NULL, NULL, 0, &ro), 0);
			else
				assert_int_equal(s75_report_packages(&full, db, ag, -1, on, &ro), 0);
			ro.form = forms[f];
			if (rep)
				assert_int_equal(s75_report_exit(&part, db, ag, 0, on, NULL, NULL, 0, &ro), 0);
			else
				assert_int_equal(s75_report_packages(&part, db, ag, -1, on, &ro), 0);
			assert_int_equal(render_form(full, forms[f], &all), 0);
			assert_int_equal(render_form(part, forms[f], &one), 0);
			assert_true(all.len > 100);
			assert_string_equal(one.ptr, all.ptr);
			/* and not the others: no JSON beside a page, no CSV beside JSON */
			s75_buf_reset(&one);
			if (forms[f] != S75_FORM_JSON)
				assert_int_not_equal(s75_doc_render_json(part, &one), 0);
			if (forms[f] != S75_FORM_CSV)
				assert_int_not_equal(s75_doc_render_csv(part, &one), 0);
			s75_doc_free(full);
			s75_doc_free(part);
		}
	s75_buf_release(&all);
	s75_buf_release(&one);
	packages_ws_free(dir, db, ag, &d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statutory_reports_never_sort),
		cmocka_unit_test(test_packages_reports_never_sort),
		cmocka_unit_test(test_packages_reports_one_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
