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

static s75_date D(const char *iso)
{
	s75_date d;
	if (s75_date_parse(&d, iso))
		fail_msg("%s", s75_error_last());
	return d;
}

/* A package built by hand: one set of terms from its start. */
static void package_init(s75_package *p, s75_package_terms *t, size_t nt, const char *start,
			 const char *end)
{
	memset(p, 0, sizeof(*p));
	p->start = D(start);
	p->has_end = end != NULL;
	p->end = end ? D(end) : 0;
	p->terms = t;
	p->nterms = nt;
	p->health_partner = 1;
	p->social_partner = 0;
}

static s75_package_terms terms(const char *eff, int64_t weekly, s75_funding f, int64_t bp,
			       int64_t client)
{
	s75_package_terms t;
	memset(&t, 0, sizeof(t));
	t.effective = D(eff);
	t.weekly = weekly;
	t.funding = f;
	t.health_bp = bp;
	t.client_weekly = client;
	return t;
}

static void test_year_days(void **st)
{
	(void)st;
	/* a year from d: 366 days when it holds a 29 February */
	assert_int_equal(s75_year_days_from(D("2022-04-01")), 365);
	assert_int_equal(s75_year_days_from(D("2023-04-01")), 366);
	assert_int_equal(s75_year_days_from(D("2023-03-01")), 366);
	assert_int_equal(s75_year_days_from(D("2023-02-28")), 365);
	assert_int_equal(s75_year_days_from(D("2024-02-29")), 365);
	assert_int_equal(s75_year_days_from(D("2024-03-01")), 365);
	assert_int_equal(s75_year_days_from(D("2099-04-01")), 365); /* 2100 is not leap */
	assert_int_equal(s75_year_days_from(D("2099-03-01")), 365);
	assert_int_equal(s75_year_days_from(D("1999-03-01")), 366); /* 2000 is */
}

static void test_cost_days(void **st)
{
	(void)st;
	s75_package p;
	s75_package_cost c;
	s75_package_terms t[1] = {terms("2020-01-01", 70000, S75_FUND_SOCIAL, 0, 0)};
	package_init(&p, t, 1, "2020-01-01", NULL);
	/* across the year end: 25 March .. 7 April = 14 days = two weeks */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-03-25"), D("2023-04-07")), 0);
	assert_int_equal(c.days, 14);
	assert_int_equal(c.gross, 140000);
	assert_int_equal(c.net, 140000);
	assert_int_equal(c.social, 140000);
	assert_int_equal(c.health, 0);
	/* February and March: 60 days in a leap year, 59 otherwise */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2024-02-01"), D("2024-03-31")), 0);
	assert_int_equal(c.days, 60);
	assert_int_equal(c.gross, 600000);
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-02-01"), D("2023-03-31")), 0);
	assert_int_equal(c.days, 59);
	assert_int_equal(c.gross, 590000);
	/* whole financial years: 2023/24 has 366 days, 2022/23 365 */
	assert_int_equal(s75_package_cost_range(&c, &p, s75_fy_start(2023), s75_fy_end(2023)), 0);
	assert_int_equal(c.gross, 70000 * 366 / 7);
	assert_int_equal(s75_package_cost_range(&c, &p, s75_fy_start(2022), s75_fy_end(2022)), 0);
	assert_int_equal(c.gross, 70000 * 365 / 7);
	/* clipped to the package's dates; none outside them */
	package_init(&p, t, 1, "2024-02-26", "2024-03-03");
	assert_int_equal(s75_package_cost_range(&c, &p, s75_fy_start(2023), s75_fy_end(2023)), 0);
	assert_int_equal(c.days, 7);
	assert_int_equal(c.gross, 70000);
	assert_int_equal(s75_package_cost_range(&c, &p, D("2024-03-04"), D("2024-12-31")), 0);
	assert_int_equal(c.days, 0);
	assert_int_equal(c.gross, 0);
}

static void test_cost_rounding(void **st)
{
	(void)st;
	s75_package p;
	s75_package_cost c;
	s75_package_terms t[1] = {terms("2023-01-01", 10000, S75_FUND_SOCIAL, 0, 0)};
	package_init(&p, t, 1, "2023-01-01", NULL);
	/* £100 a week for a day: 10,000 / 7 = 1,428.57 -> 1,429 */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-01")), 0);
	assert_int_equal(c.gross, 1429);
	/* 3 days: 30,000 / 7 = 4,285.71 -> 4,286 */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-03")), 0);
	assert_int_equal(c.gross, 4286);
	/* rounded once per range: 10 days = 14,285.71 -> 14,286, not 10 x 1,429 */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-10")), 0);
	assert_int_equal(c.gross, 14286);
	/* a split of a rounded amount: 1,429 at 33.33% health -> 476.29 / 952.71: the penny
	 * to the larger remainder */
	t[0] = terms("2023-01-01", 10000, S75_FUND_JOINT, 3333, 0);
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-01")), 0);
	assert_int_equal(c.net, 1429);
	assert_int_equal(c.health, 476);
	assert_int_equal(c.social, 953);
}

static void test_split_changes(void **st)
{
	(void)st;
	s75_package p;
	s75_package_cost c;
	/* joint at 50%, reassessed to 75% from 1 October 2023: 183 days each side of it in
	 * 2023/24, so 62.5% of 36,600.00 */
	s75_package_terms t[2] = {terms("2023-04-01", 70000, S75_FUND_JOINT, 5000, 0),
				  terms("2023-10-01", 70000, S75_FUND_JOINT, 7500, 0)};
	package_init(&p, t, 2, "2023-04-01", NULL);
	assert_int_equal(s75_package_cost_range(&c, &p, s75_fy_start(2023), s75_fy_end(2023)), 0);
	assert_int_equal(c.gross, 3660000);
	assert_int_equal(c.health, 2287500);
	assert_int_equal(c.social, 1372500);
	/* the terms in force on each day */
	assert_int_equal(s75_package_terms_on(&p, D("2023-09-30"))->health_bp, 5000);
	assert_int_equal(s75_package_terms_on(&p, D("2023-10-01"))->health_bp, 7500);
	assert_int_equal(s75_package_terms_on(&p, D("2022-01-01"))->health_bp, 5000);
	/* a cost change too: 700 -> 770 a week from 1 October: 183 x (700 + 770) / 7 */
	t[1].weekly = 77000;
	assert_int_equal(s75_package_cost_range(&c, &p, s75_fy_start(2023), s75_fy_end(2023)), 0);
	assert_int_equal(c.gross, 3843000);
	assert_int_equal(c.health + c.social, c.net);
	/* the half of the year after the change only: 183 days at 75% of 770 */
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-10-01"), D("2024-03-31")), 0);
	assert_int_equal(c.gross, 2013000);
	assert_int_equal(c.health, 1509750);
	/* the annual cost uses the terms on the day, for the year from it */
	assert_int_equal(s75_package_annual_cost(&c, &p, D("2023-09-30")), 0);
	assert_int_equal(c.days, 366);
	assert_int_equal(c.gross, 3660000);
	assert_int_equal(c.health, 1830000);
	assert_int_equal(s75_package_annual_cost(&c, &p, D("2024-10-01")), 0);
	assert_int_equal(c.days, 365);
	assert_int_equal(c.gross, 4015000);
}

static void test_client_contributions(void **st)
{
	(void)st;
	s75_package p;
	s75_package_cost c;
	/* joint 40% of £1,000 with a £100 contribution: NHS 400, council 600 - 100 = 500 */
	s75_package_terms t[1] = {terms("2023-01-01", 100000, S75_FUND_JOINT, 4000, 10000)};
	package_init(&p, t, 1, "2023-01-01", NULL);
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-14")), 0);
	assert_int_equal(c.gross, 200000);
	assert_int_equal(c.client, 20000);
	assert_int_equal(c.net, 180000);
	assert_int_equal(c.health, 80000);
	assert_int_equal(c.social, 100000);
	/* social care with a contribution as large as the cost: nothing left to pay */
	t[0] = terms("2023-01-01", 35000, S75_FUND_SOCIAL, 0, 35000);
	assert_int_equal(s75_package_cost_range(&c, &p, D("2023-05-01"), D("2023-05-03")), 0);
	assert_int_equal(c.gross, 15000);
	assert_int_equal(c.net, 0);
	assert_int_equal(c.client, 15000);
	assert_int_equal(c.social, 0);
}

static void test_reviews(void **st)
{
	(void)st;
	s75_package p;
	s75_package_terms t[1] = {terms("2020-01-01", 70000, S75_FUND_JOINT, 5000, 0)};
	package_init(&p, t, 1, "2020-01-01", NULL);
	assert_true(s75_package_unreviewed(&p, D("2024-08-31"))); /* never reviewed */
	p.has_last_review = true;
	p.last_review = D("2023-08-31");
	assert_false(s75_package_unreviewed(&p, D("2024-08-31"))); /* twelve months to the day */
	p.last_review = D("2023-08-30");
	assert_true(s75_package_unreviewed(&p, D("2024-08-31")));
	p.last_review = D("2023-02-28");
	assert_false(s75_package_unreviewed(&p, D("2024-02-29")));
	assert_true(s75_package_active_on(&p, D("2020-01-01")));
	assert_false(s75_package_active_on(&p, D("2019-12-31")));
}

static void test_names(void **st)
{
	(void)st;
	s75_funding f;
	s75_service s;
	const char *fund[][2] = {{"chc", "chc"}, {"NHS", "chc"}, {"Continuing healthcare", "chc"},
				 {"joint", "joint"}, {"Section 117", "s117"}, {"s117", "s117"},
				 {" Social care ", "social_care"}, {"social", "social_care"}};
	for (size_t i = 0; i < sizeof(fund) / sizeof(fund[0]); i++) {
		assert_int_equal(s75_funding_parse(&f, fund[i][0], strlen(fund[i][0])), 0);
		assert_string_equal(s75_funding_name(f), fund[i][1]);
	}
	assert_int_equal(s75_funding_parse(&f, "private", 7), S75_EINVALID);
	const char *svc[][2] = {{"Residential", "residential"},
				{"nursing", "nursing"},
				{"Supported living", "supported_living"},
				{"day-services", "day_service"},
				{"home care", "home_care"},
				{"Direct payments", "direct_payment"},
				{"inpatient", "inpatient_bed"},
				{"Inpatient bed", "inpatient_bed"}};
	for (size_t i = 0; i < sizeof(svc) / sizeof(svc[0]); i++) {
		assert_int_equal(s75_service_parse(&s, svc[i][0], strlen(svc[i][0])), 0);
		assert_string_equal(s75_service_name(s), svc[i][1]);
	}
	assert_int_equal(s75_service_parse(&s, "respite", 7), S75_EINVALID);
}

static bool has_error(const s75_import_result *r, const char *needle)
{
	for (size_t i = 0; i < r->nerrors; i++)
		if (strstr(r->errors[i], needle))
			return true;
	return false;
}

static void test_personal_data_refused(void **st)
{
	(void)st;
	ws w;
	s75_import_result r;
	s75_package_register *reg;
	ws_open(&w);
	const char *headers[][2] = {
		{"Name", "column 'Name' looks like personal data (a name)"},
		{"forename", "column 'forename' looks like personal data (a name)"},
		{"Client Surname", "column 'Client Surname' looks like personal data (a name)"},
		{"address_line_1", "column 'address_line_1' looks like personal data (an address)"},
		{"Postcode", "column 'Postcode' looks like personal data (a postcode)"},
		{"NHS Number", "column 'NHS Number' looks like personal data (an NHS number)"},
		{"nhs_no", "column 'nhs_no' looks like personal data (an NHS number)"},
		{"NHS No.", "column 'NHS No.' looks like personal data (an NHS number)"},
		{"DOB", "column 'DOB' looks like personal data (a date of birth)"},
		{"Date of birth", "column 'Date of birth' looks like personal data (a date of birth)"},
		{"notes", "unknown column 'notes'"},
	};
	for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text),
			 "package,person,element,service,start,weekly_cost,funding,%s\n"
			 "P1,X1,care,residential,2023-04-03,700.00,social_care,x\n",
			 headers[i][0]);
		assert_int_equal(ws_import_packages(&w, "names.csv", text, &r), S75_EINVALID);
		if (!has_error(&r, headers[i][1]))
			fail_msg("'%s': expected \"%s\", got \"%s\"", headers[i][0], headers[i][1],
				 r.nerrors ? r.errors[0] : "");
		assert_int_equal(r.batch_id, 0);
		s75_import_result_release(&r);
	}
	/* ids that look like NHS numbers or names */
	const char *ids[] = {"9434765919", "943 476 5919", "943-476-5919", "Jo Bloggs"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text),
			 "package,person,element,service,start,weekly_cost,funding\n"
			 "P1,%s,care,residential,2023-04-03,700.00,social_care\n",
			 ids[i]);
		assert_int_equal(ws_import_packages(&w, "ids.csv", text, &r), S75_EINVALID);
		assert_true(has_error(&r, "ids.csv:2: person"));
		s75_import_result_release(&r);
	}
	assert_int_equal(s75_packages_load(&reg, w.db, w.ag), 0);
	assert_int_equal(reg->n, 0);
	s75_packages_free(reg);
	ws_close(&w);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Random registers: every split of the exit figures and of the commitment reconciles to
 * the register to the penny. */
static void test_exit_reconciles(void **st)
{
	(void)st;
	static const char *const fund[] = {"chc", "joint", "s117", "social_care"};
	static const char *const svc[] = {"residential", "nursing", "supported_living",
					  "day_service", "home_care", "direct_payment",
					  "inpatient_bed"};
	static const char *const ccs[] = {"", "", "LA-CARE", "ICB-CARE"};
	for (int round = 0; round < 6; round++) {
		ws w;
		s75_import_result r;
		s75_buf csv = S75_BUF_INIT;
		ws_open(&w);
		s75_buf_puts(&csv, "package,person,element,cost_centre,service,start,end,effective,"
				   "weekly_cost,funding,health_share,client_contribution,last_review\n");
		int n = 50 + (int)(next() % 300);
		for (int i = 0; i < n; i++) {
			int f = (int)(next() % 4), day = (int)(next() % 2);
			int64_t weekly = (int64_t)(next() % 1500000) + 1; /* up to £15,000 a week */
			int64_t bp = f == 0 ? 10000 : f == 3 ? 0 : (int64_t)(next() % 10001);
			int64_t client = (f == 1 || f == 3) && next() % 2
						 ? (int64_t)(next() % (uint64_t)(weekly * (10000 - bp) / 10000 + 1))
						 : 0;
			int sy = 2019 + (int)(next() % 5), sm = 1 + (int)(next() % 12);
			char end[16] = "";
			if (next() % 4 == 0)
				snprintf(end, sizeof(end), "%d-%02d-28", sy + 1 + (int)(next() % 4),
					 1 + (int)(next() % 12));
			int versions = 1 + (int)(next() % 3);
			for (int v = 0; v < versions; v++) {
				char eff[16] = "";
				if (v)
					snprintf(eff, sizeof(eff), "%d-%02d-%02d", sy, sm, 1 + v * 9);
				s75_buf_printf(&csv,
					       "Q%d,Z%d,%s,%s,%s,%d-%02d-01,%s,%s,%lld.%02lld,%s,%lld.%02lld,%lld.%02lld,%s\n",
					       i, i / 2, day ? "day" : "care", day ? "" : ccs[next() % 4],
					       svc[next() % 7], sy, sm, end, eff,
					       (long long)(weekly / 100), (long long)(weekly % 100), fund[f],
					       (long long)(bp / 100), (long long)(bp % 100),
					       (long long)(client / 100), (long long)(client % 100),
					       next() % 3 ? "2023-01-15" : "");
			}
		}
		if (ws_import_packages(&w, "random.csv", csv.ptr, &r))
			fail_msg("%s", r.nerrors ? r.errors[0] : s75_error_last());
		s75_import_result_release(&r);
		s75_buf_release(&csv);

		const int64_t ratios[] = {7000, 3000, 6000, 4000, 3333, 6667};
		const char *dates[] = {"2023-08-31", "2024-02-29", "2024-08-31", "2021-06-15"};
		for (size_t k = 0; k < sizeof(dates) / sizeof(dates[0]); k++) {
			s75_exit *x;
			s75_packages_report *rep;
			s75_date on = D(dates[k]);
			if (s75_exit_build(&x, w.db, w.ag, 0, on, ratios, 3) != 0) {
				/* before 2023/24 the agreement states no year */
				assert_true(on < s75_fy_start(2023));
				continue;
			}
			int64_t sp = 0, sr = 0, s0 = 0, s1 = 0, s2 = 0, su = 0, net = 0;
			for (size_t p = 0; p < x->npartners; p++) {
				sp += x->by_package[p];
				sr += x->by_risk_share[p];
				s0 += x->by_ratio[p];
				s1 += x->by_ratio[x->npartners + p];
				s2 += x->by_ratio[2 * x->npartners + p];
				su += x->unreviewed_by_partner[p];
			}
			/* the register, loaded whole, costed package by package */
			s75_package_register *all;
			size_t active = 0;
			assert_int_equal(s75_packages_load(&all, w.db, w.ag), 0);
			for (size_t i = 0; i < all->n; i++) {
				s75_package_cost c;
				if (!s75_package_active_on(&all->packages[i], on))
					continue;
				active++;
				assert_int_equal(s75_package_annual_cost(&c, &all->packages[i], on), 0);
				assert_int_equal(c.health + c.social, c.net);
				assert_int_equal(c.gross - c.client, c.net);
				net += c.net;
			}
			s75_packages_free(all);
			assert_int_equal(active, x->npackages);
			/* the list of those not reviewed adds up to its totals */
			int64_t un = 0, unp[8] = {0};
			for (size_t i = 0; i < x->nunreviewed; i++) {
				const s75_pkg_row *row = &x->unreviewed[i];
				un += row->annual.net;
				if (row->health_partner >= 0)
					unp[row->health_partner] += row->annual.health;
				if (row->social_partner >= 0)
					unp[row->social_partner] += row->annual.social;
				assert_true(i == 0 || strcmp(x->unreviewed[i - 1].id, row->id) < 0);
			}
			assert_int_equal(un, x->unreviewed_total);
			for (size_t p = 0; p < x->npartners && p < 8; p++)
				assert_int_equal(unp[p], x->unreviewed_by_partner[p]);
			assert_int_equal(sp, x->register_total);
			assert_int_equal(sr, x->register_total);
			assert_int_equal(s0, x->register_total);
			assert_int_equal(s1, x->register_total);
			assert_int_equal(s2, x->register_total);
			assert_int_equal(net, x->register_total);
			assert_true(su <= x->register_total);
			assert_int_equal(x->gross - x->client, x->register_total);
			/* the report at the same day agrees with the exit's register */
			assert_int_equal(s75_packages_report_build(&rep, w.db, w.ag, 0, on, true), 0);
			/* the review lists: oldest review first, then package id */
			for (int l = 0; l < 2; l++) {
				const s75_pkg_row *v = l ? rep->due : rep->overdue;
				size_t nv = l ? rep->ndue : rep->noverdue;
				for (size_t i = 1; i < nv; i++)
					assert_true(v[i - 1].next_review < v[i].next_review ||
						    (v[i - 1].next_review == v[i].next_review &&
						     strcmp(v[i - 1].id, v[i].id) < 0));
			}
			assert_int_equal(rep->net, x->register_total);
			assert_int_equal((size_t)rep->packages, x->npackages);
			int64_t bf = 0, bs = 0, bpart = 0;
			for (int i = 0; i < S75_FUND_COUNT; i++)
				bf += rep->by_funding[i].annual;
			for (int i = 0; i < S75_SVC_COUNT; i++)
				bs += rep->by_service[i].annual;
			for (size_t p = 0; p < rep->npartners; p++) {
				bpart += rep->by_partner[p].annual;
				assert_int_equal(rep->by_partner[p].annual, x->by_package[p]);
			}
			assert_int_equal(bf, rep->net);
			assert_int_equal(bs, rep->net);
			assert_int_equal(bpart, rep->net);
			s75_packages_report_free(rep);
			s75_exit_free(x);
		}
		/* the commitment of the care element reconciles to its packages' costs */
		for (int p = 1; p <= 12; p++) {
			s75_period per = {2023, p};
			int64_t *out = calloc(w.ag->ncost_centres + 1, sizeof(int64_t)), sum = 0, want = 0;
			s75_package_register *reg;
			assert_int_equal(s75_packages_commitment(out, w.db, w.ag, per), 0);
			for (size_t c = 0; c < w.ag->ncost_centres; c++) {
				sum += out[c];
				if (w.ag->cost_centres[c].element != 0)
					assert_int_equal(out[c], 0); /* day: forecast on budget */
			}
			assert_int_equal(s75_packages_load(&reg, w.db, w.ag), 0);
			for (size_t i = 0; i < reg->n; i++) {
				s75_package_cost c;
				if (reg->packages[i].element != 0)
					continue;
				assert_int_equal(s75_package_cost_range(&c, &reg->packages[i],
									s75_period_end(per) + 1,
									s75_fy_end(2023)), 0);
				want += c.net;
			}
			assert_int_equal(sum, want);
			if (p == 12)
				assert_int_equal(sum, 0);
			s75_packages_free(reg);
			free(out);
		}
		ws_close(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_days),
		cmocka_unit_test(test_cost_days),
		cmocka_unit_test(test_cost_rounding),
		cmocka_unit_test(test_split_changes),
		cmocka_unit_test(test_client_contributions),
		cmocka_unit_test(test_reviews),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_personal_data_refused),
		cmocka_unit_test(test_exit_reconciles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
