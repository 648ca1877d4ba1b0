/* Recharges (include/s75/recharges.h): whatever the reassessments, what the statements of
 * every period charge for a package's month adds up, to the penny, to its NHS part as the
 * register now says; an issued period is kept and read back as issued. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "packages_ws.h"
#include "s75/s75.h"

/* Imports the register `text`; a failure fails the test. */
static void import_text(ws *w, const char *name, const char *text)
{
	s75_import_result r;
	if (ws_import_packages(w, name, text, &r))
		fail_msg("%s: %s", name, r.nerrors ? r.errors[0] : s75_error_last());
	s75_import_result_release(&r);
}

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xffffff;
}

#define NPKG 40
#define NMONTHS 5

/* Σ of what every statement (issued for P1..P4, the draft of P5) charges per package and
 * month: [package][month]. */
static void add_statements(int64_t (*sum)[NMONTHS], const s75_recharges *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const s75_recharge_statement *s = &r->statements[i];
		int64_t charges = 0, adjustments = 0;
		/* every package here is paid by la, the element's lead: only icb is recharged */
		assert_string_equal(s->creditor, "la");
		assert_string_equal(s->debtor, "icb");
		for (size_t j = 0; j < s->nlines; j++) {
			const s75_recharge_line *l = &s->lines[j];
			int k = atoi(l->package + 1), m = l->month.p - 1;
			assert_true(k >= 0 && k < NPKG && m >= 0 && m < NMONTHS);
			assert_int_equal(l->amount, l->due - l->charged);
			sum[k][m] += l->amount;
			if (l->kind == S75_RECHARGE_CHARGE)
				charges += l->amount;
			else
				adjustments += l->amount;
		}
		assert_int_equal(s->charges, charges);
		assert_int_equal(s->adjustments, adjustments);
		assert_int_equal(s->total, charges + adjustments);
	}
}

static void test_backdated_sums(void **st)
{
	(void)st;
	ws w;
	s75_buf csv = S75_BUF_INIT, re = S75_BUF_INIT;
	uint32_t seed = 75;
	static int64_t sum[NPKG][NMONTHS];
	s75_recharges *r = NULL, *again = NULL;
	s75_package_register *reg = NULL;
	const char *funding[] = {"chc", "joint", "s117", "social_care"};
	ws_open(&w);
	memset(sum, 0, sizeof(sum));
	s75_buf_puts(&csv, "package,person,pool,element,service,start,end,weekly_cost,funding,health_share,client_contribution\n");
	s75_buf_puts(&re, "package,person,pool,element,service,start,end,effective,weekly_cost,funding,health_share,client_contribution\n");
	for (int k = 0; k < NPKG; k++) {
		int f = (int)(rnd(&seed) % 4), start = 1 + (int)(rnd(&seed) % 50), len = 20 + (int)(rnd(&seed) % 200);
		long weekly = 5000 + (long)(rnd(&seed) % 300000);
		int share = f == 0 ? 100 : f == 3 ? 0 : 1 + (int)(rnd(&seed) % 99);
		long client = f == 1 ? (long)(weekly * (100 - share) / 100 * (rnd(&seed) % 50) / 100) : 0;
		char sd[11], ed[11], eff[11];
		s75_date d0 = s75_date_add_months(s75_fy_start(2023), 0) + start - 1;
		char sh[8] = "";
		if (f == 1 || f == 2)
			snprintf(sh, sizeof(sh), "%d", share);
		s75_buf_printf(&csv, "K%02d,Q%02d,ld,care,residential,%s,%s,%ld.%02ld,%s,%s,%ld.%02ld\n", k, k,
			       s75_date_format(sd, d0), k % 3 ? "" : s75_date_format(ed, d0 + len), weekly / 100,
			       weekly % 100, funding[f], sh, client / 100, client % 100);
		if (f == 1 || f == 2) {
			/* a reassessment backdated into the months already charged */
			int ns = 1 + (int)(rnd(&seed) % 99);
			s75_date e = d0 + 1 + (s75_date)(rnd(&seed) % (uint32_t)(len < 60 ? len - 1 : 60));
			long nc = f == 1 ? (long)(weekly * (100 - ns) / 100 * (rnd(&seed) % 50) / 100) : 0;
			s75_buf_printf(&re, "K%02d,Q%02d,ld,care,residential,%s,%s,%s,%ld.%02ld,%s,%d,%ld.%02ld\n", k, k,
				       s75_date_format(sd, d0), k % 3 ? "" : s75_date_format(ed, d0 + len),
				       s75_date_format(eff, e), weekly / 100, weekly % 100, funding[f], ns, nc / 100, nc % 100);
		}
	}
	import_text(&w, "p.csv", csv.ptr);
	for (int m = 1; m <= 4; m++) {
		char now[32];
		snprintf(now, sizeof(now), "2023-%02d-05T09:00:00Z", m + 4);
		assert_int_equal(s75_recharges_issue(&r, w.db, w.ag, (s75_period){2023, m}, now), 0);
		assert_true(r->issued);
		for (size_t i = 0; i < r->n; i++)
			assert_int_equal(r->statements[i].number, (int64_t)m);
		add_statements(sum, r);
		/* read back as issued */
		assert_int_equal(s75_recharges_build(&again, w.db, w.ag, (s75_period){2023, m}), 0);
		assert_true(again->issued);
		assert_int_equal(again->n, r->n);
		assert_int_equal(again->statements[0].total, r->statements[0].total);
		assert_int_equal(again->statements[0].nlines, r->statements[0].nlines);
		s75_recharges_free(again);
		s75_recharges_free(r);
	}
	import_text(&w, "re.csv", re.ptr);
	/* P5's draft: June's charges and the adjustments to April..July */
	assert_int_equal(s75_recharges_build(&r, w.db, w.ag, (s75_period){2023, 5}), 0);
	assert_false(r->issued);
	add_statements(sum, r);
	s75_recharges_free(r);
	/* every package's month: all the statements together = its NHS part now, to the penny */
	assert_int_equal(s75_packages_load(&reg, w.db, w.ag), 0);
	assert_int_equal(reg->n, NPKG);
	int64_t checked = 0;
	for (size_t i = 0; i < reg->n; i++) {
		int k = atoi(reg->packages[i].id + 1);
		for (int m = 1; m <= NMONTHS; m++) {
			s75_package_cost c;
			s75_period p = {2023, m};
			assert_int_equal(s75_package_cost_range(&c, &reg->packages[i], s75_period_start(p), s75_period_end(p)), 0);
			assert_int_equal(c.health + c.social, c.net);
			assert_int_equal(sum[k][m - 1], c.health);
			checked += c.health != 0;
		}
	}
	assert_true(checked > 50);
	s75_packages_free(reg);
	/* issued once; an earlier period not issued is refused; so is one before the first */
	assert_int_equal(s75_recharges_issue(&r, w.db, w.ag, (s75_period){2023, 4}, "2023-09-01T00:00:00Z"), S75_EEXISTS);
	assert_int_equal(s75_recharges_build(&r, w.db, w.ag, (s75_period){2022, 12}), S75_EINVALID);
	s75_buf_release(&csv);
	s75_buf_release(&re);
	ws_close(&w);
}

/* A period skipped is charged on the next statement, and one not issued before a later one
 * was cannot be asked for on its own. */
static void test_skipped_period(void **st)
{
	(void)st;
	ws w;
	s75_recharges *r = NULL;
	ws_open(&w);
	import_text(&w, "p.csv",
		    "package,person,pool,element,service,start,weekly_cost,funding\n"
		    "C1,Q1,ld,care,residential,2023-04-01,700.00,chc\n");
	assert_int_equal(s75_recharges_issue(&r, w.db, w.ag, (s75_period){2023, 1}, "2023-05-05T09:00:00Z"), 0);
	assert_int_equal(r->statements[0].total, 300000); /* 70,000p x 30 / 7 */
	s75_recharges_free(r);
	assert_int_equal(s75_recharges_issue(&r, w.db, w.ag, (s75_period){2023, 3}, "2023-07-05T09:00:00Z"), 0);
	/* May (31 days, 310,000p) and June (30 days, 300,000p), both charges */
	assert_int_equal(r->n, 1);
	assert_int_equal(r->statements[0].nlines, 2);
	assert_int_equal(r->statements[0].charges, 610000);
	assert_int_equal(r->statements[0].adjustments, 0);
	assert_int_equal(r->statements[0].lines[0].month.p, 3); /* the period's own month first */
	assert_int_equal(r->statements[0].lines[1].month.p, 2);
	assert_int_equal(r->statements[0].number, 2);
	s75_recharges_free(r);
	assert_int_equal(s75_recharges_build(&r, w.db, w.ag, (s75_period){2023, 2}), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "2023/24 P3"));
	bool any = false;
	s75_period latest;
	assert_int_equal(s75_recharges_latest(&latest, &any, w.db), 0);
	assert_true(any);
	assert_int_equal(latest.p, 3);
	ws_close(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backdated_sums),
		cmocka_unit_test(test_skipped_period),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
