/* Savings delivery: the plan phased to the penny, the forecast for the rest of the year
 * (stated, less what came in after; never below nil; else the plan), the RAG at the edge of
 * the tolerance, and the records refused. On the agreement of the e2e case savings-delivery:
 * chc-review £1,200.00 phased equally, day-recommission £600.00 phased from P4; tolerance 1%. */
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

typedef struct ws {
	s75_agreement *ag;
	s75_db *db;
	char path[64];
} ws;

static int setup(void **st)
{
	static ws w;
	char ag[4096];
	s75_diags d = S75_DIAGS_INIT;
	const char *dir = getenv("S75_TESTS");
	snprintf(ag, sizeof(ag), "%s/e2e/cases/savings-delivery/agreement.yaml", dir ? dir : "tests");
	if (s75_agreement_load(&w.ag, ag, &d))
		return -1;
	s75_diags_release(&d);
	snprintf(w.path, sizeof(w.path), "/tmp/s75-test-savings-XXXXXX");
	int fd = mkstemp(w.path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(w.path);
	if (s75_db_open(&w.db, w.path, S75_DB_CREATE))
		return -1;
	*st = &w;
	return 0;
}

static int teardown(void **st)
{
	ws *w = *st;
	s75_db_close(w->db);
	s75_agreement_free(w->ag);
	unlink(w->path);
	return 0;
}

/* Records `pence` delivered by saving `id` in period `p` of 2017/18 (rest < 0: none stated). */
static int rec(ws *w, const char *id, int p, int64_t pence, int64_t rest)
{
	s75_saving_delivery_input in = {id, {2017, p}, pence, rest >= 0, rest >= 0 ? rest : 0, NULL};
	return s75_saving_delivery_record(w->db, w->ag, &in, "2017-10-20T09:00:00Z");
}

static const s75_saving_progress *at(s75_savings_progress **p, ws *w, int period, const char *id)
{
	s75_savings_progress_free(*p);
	assert_int_equal(s75_savings_progress_build(p, w->db, w->ag, 2017, period), 0);
	for (size_t i = 0; i < (*p)->n; i++)
		if (!strcmp((*p)->items[i].saving->id, id))
			return &(*p)->items[i];
	fail_msg("no saving '%s'", id);
	return NULL;
}

static void test_phasing(void **st)
{
	ws *w = *st;
	s75_savings_progress *p = NULL;
	/* 60,000p over nine months: 6,666 each and 6 pennies to the earliest, P4-P9 */
	const s75_saving_progress *x = at(&p, w, 3, "day-recommission");
	int64_t want[12] = {0, 0, 0, 6667, 6667, 6667, 6667, 6667, 6667, 6666, 6666, 6666}, sum = 0;
	for (int k = 0; k < 12; k++) {
		assert_int_equal(x->planned[k], want[k]);
		sum += x->planned[k];
	}
	assert_int_equal(sum, 60000);
	/* nothing recorded: the agreement's delivery (all of it), no shortfall, green */
	assert_false(x->recorded);
	assert_int_equal(x->forecast_from, -1);
	assert_int_equal(x->forecast_year, 60000);
	assert_int_equal(x->rag, S75_RAG_GREEN);
	assert_int_equal(p->nwarnings, 2);
	s75_savings_progress_free(p);
}

static void test_forecast_and_rag(void **st)
{
	ws *w = *st;
	s75_savings_progress *p = NULL;
	const s75_saving_progress *x;
	/* chc-review: 100.00 a month planned; 300.00 delivered in P1, the rest stated 888.00 */
	assert_int_equal(rec(w, "chc-review", 1, 30000, 88800), 0);
	x = at(&p, w, 1, "chc-review");
	/* 300.00 + 888.00 = 1,188.00: short 12.00, exactly 1% of 1,200.00: amber */
	assert_int_equal(x->forecast_year, 118800);
	assert_int_equal(x->shortfall, 1200);
	assert_int_equal(x->rag, S75_RAG_AMBER);
	assert_true(x->at_risk);
	/* at P3 with nothing after P1: the stated rest stands (no plan added for P2, P3) */
	x = at(&p, w, 3, "chc-review");
	assert_int_equal(x->forecast_from, 1);
	assert_int_equal(x->forecast_rest, 88800);
	assert_int_equal(x->planned_to_date, 30000);
	assert_int_equal(x->delivered_to_date, 30000);
	/* P2 brings in 1.00: the rest stated at P1 less what came in after it, 887.00 */
	assert_int_equal(rec(w, "chc-review", 2, 100, -1), 0);
	x = at(&p, w, 2, "chc-review");
	assert_int_equal(x->forecast_rest, 88700);
	assert_int_equal(x->forecast_year, 118800);
	/* a rest stated one penny short more: 12.01 short, beyond 1%: red */
	assert_int_equal(rec(w, "chc-review", 3, 0, 88699), 0);
	x = at(&p, w, 3, "chc-review");
	assert_int_equal(x->shortfall, 1201);
	assert_int_equal(x->rag, S75_RAG_RED);
	/* more delivered after the stated rest than it said: the rest is nil, not negative */
	assert_int_equal(rec(w, "chc-review", 4, 90000, -1), 0);
	x = at(&p, w, 4, "chc-review");
	assert_int_equal(x->forecast_rest, 0);
	assert_int_equal(x->forecast_year, 30000 + 100 + 0 + 90000);
	assert_int_equal(x->shortfall, 0);
	/* day-recommission: P4 on plan, nothing stated: the plan for P5-P12; green */
	assert_int_equal(rec(w, "day-recommission", 4, 6667, -1), 0);
	x = at(&p, w, 4, "day-recommission");
	assert_int_equal(x->forecast_from, 0);
	assert_int_equal(x->forecast_rest, 60000 - 6667);
	assert_int_equal(x->rag, S75_RAG_GREEN);
	/* P5 one penny behind the plan, the plan for the rest: short 0.01, within 1%: amber */
	assert_int_equal(rec(w, "day-recommission", 5, 6666, -1), 0);
	x = at(&p, w, 5, "day-recommission");
	assert_int_equal(x->shortfall, 1);
	assert_int_equal(x->rag, S75_RAG_AMBER);
	s75_savings_progress_free(p);
}

static void test_refused(void **st)
{
	ws *w = *st;
	/* a second record of a saving and period, a saving not in the year, a rest after P12 */
	assert_int_equal(rec(w, "chc-review", 1, 1, -1), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "already recorded"));
	assert_int_equal(rec(w, "nope", 6, 1, -1), S75_EINVALID);
	assert_int_equal(rec(w, "chc-review", 12, 1, 1), S75_EINVALID);
	s75_saving_delivery_input neg = {"chc-review", {2017, 11}, 1, true, -5, NULL};
	assert_int_equal(s75_saving_delivery_record(w->db, w->ag, &neg, "2017-10-20T09:00:00Z"), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "below zero"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_phasing),
	    cmocka_unit_test(test_forecast_and_rag),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
