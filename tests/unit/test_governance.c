/* Governance: reporting periods, KPI values, RAG and trend, notice date arithmetic (month
 * ends, leap years), variations in force, the loader's errors, and the governance check on
 * a fixture built to contain each kind of breach. */
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

static char *fixture(const char *name)
{
	static char buf[4096];
	const char *dir = getenv("S75_TESTS");
	snprintf(buf, sizeof(buf), "%s/fixtures/%s", dir ? dir : "tests", name);
	return buf;
}

static s75_date D(const char *s)
{
	s75_date d;
	if (s75_date_parse(&d, s))
		fail_msg("bad date '%s'", s);
	return d;
}

/* Writes `text` to a temporary file; returns its path (static). */
static const char *write_temp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/s75-test-gov-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static s75_agreement *load_text(const char *text, s75_diags *d)
{
	const char *path = write_temp(text);
	s75_agreement *ag = NULL;
	s75_agreement_load(&ag, path, d);
	unlink(path);
	return ag;
}

static void test_rperiod(void **st)
{
	(void)st;
	const char *ok[][4] = {
	    /* text, label, start, end */
	    {"2017/18 P6", "2017/18 P6", "2017-09-01", "2017-09-30"},
	    {"2017-09", "2017/18 P6", "2017-09-01", "2017-09-30"},
	    {"2017/18 P11", "2017/18 P11", "2018-02-01", "2018-02-28"},
	    {"2019/20 P11", "2019/20 P11", "2020-02-01", "2020-02-29"}, /* leap year */
	    {"2017/18 Q1", "2017/18 Q1", "2017-04-01", "2017-06-30"},
	    {"2017/18-Q4", "2017/18 Q4", "2018-01-01", "2018-03-31"},
	    {"2017/18Q3", "2017/18 Q3", "2017-10-01", "2017-12-31"},
	    {"2015/16", "2015/16", "2015-04-01", "2016-03-31"},
	    {"2015/2016", "2015/16", "2015-04-01", "2016-03-31"},
	    {"2014", "2014", "2014-01-01", "2014-12-31"},
	    {"2017-09-30", "2017-09-30", "2017-09-30", "2017-09-30"},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		s75_rperiod p;
		if (s75_rperiod_parse(&p, ok[i][0]))
			fail_msg("'%s': %s", ok[i][0], s75_error_last());
		assert_string_equal(p.label, ok[i][1]);
		assert_int_equal(p.start, D(ok[i][2]));
		assert_int_equal(p.end, D(ok[i][3]));
	}
	const char *bad[] = {"",           "2017/19", "2017/18 Q5", "2017/18 Q0", "2017/18 P13",
	                     "17",         "2017-13", "2017-02-30", "Q1",         "2017/18 X1",
	                     "2017/18 Q1x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s75_rperiod p;
		if (s75_rperiod_parse(&p, bad[i]) != S75_EINVALID)
			fail_msg("'%s' was accepted as %s", bad[i], p.label);
	}
}

static void test_kpi_values(void **st)
{
	(void)st;
	const struct {
		const char *in;
		int64_t v;
		const char *plain, *sep;
	} ok[] = {
	    {"95", 950000, "95", "95"},
	    {"43.8", 438000, "43.8", "43.8"},
	    {"43.8%", 438000, "43.8", "43.8"},
	    {"7,036", 70360000, "7036", "7,036"},
	    {"1,234,567.0125", 12345670125, "1234567.0125", "1,234,567.0125"},
	    {"-1.5", -15000, "-1.5", "-1.5"},
	    {" +0.25 ", 2500, "0.25", "0.25"},
	    {"0", 0, "0", "0"},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int64_t v;
		if (s75_kpi_value_parse(&v, ok[i].in, strlen(ok[i].in)))
			fail_msg("'%s': %s", ok[i].in, s75_error_last());
		assert_int_equal(v, ok[i].v);
		s75_buf b = S75_BUF_INIT;
		s75_kpi_value_format(&b, v, false);
		assert_string_equal(b.ptr, ok[i].plain);
		s75_buf_reset(&b);
		s75_kpi_value_format(&b, v, true);
		assert_string_equal(b.ptr, ok[i].sep);
		s75_buf_release(&b);
	}
	/* never rounded: five decimals are an error, as are misplaced separators */
	const char *bad[] = {"",    "1.23456", "1,23",     "12,3456",          "1.", ".5", "abc",
	                     "1e3", "--1",     "1,000,00", "99999999999999999"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int64_t v;
		if (s75_kpi_value_parse(&v, bad[i], strlen(bad[i])) != S75_EINVALID)
			fail_msg("'%s' was accepted as %lld", bad[i], (long long)v);
	}
}

static void test_rag_trend(void **st)
{
	(void)st;
	s75_kpi up = {0}, down = {0};
	up.better = S75_KPI_HIGHER;
	up.has_target = true;
	up.target = 950000;   /* 95 */
	up.tolerance = 20000; /* 2 */
	down.better = S75_KPI_LOWER;
	down.has_target = true;
	down.target = 100000;   /* 10 */
	down.tolerance = 30000; /* 3 */
	assert_int_equal(s75_kpi_rag(&up, 950000), S75_RAG_GREEN);
	assert_int_equal(s75_kpi_rag(&up, 960000), S75_RAG_GREEN);
	assert_int_equal(s75_kpi_rag(&up, 930000), S75_RAG_AMBER); /* missed by exactly 2 */
	assert_int_equal(s75_kpi_rag(&up, 929999), S75_RAG_RED);
	assert_int_equal(s75_kpi_rag(&down, 100000), S75_RAG_GREEN);
	assert_int_equal(s75_kpi_rag(&down, 130000), S75_RAG_AMBER);
	assert_int_equal(s75_kpi_rag(&down, 130001), S75_RAG_RED);
	assert_int_equal(s75_kpi_rag(&down, 50000), S75_RAG_GREEN);
	up.tolerance = 0;
	assert_int_equal(s75_kpi_rag(&up, 949999), S75_RAG_RED);
	up.has_target = false;
	assert_int_equal(s75_kpi_rag(&up, 0), S75_RAG_NONE);
	assert_int_equal(s75_kpi_trend(&up, 10, 11), S75_TREND_IMPROVING);
	assert_int_equal(s75_kpi_trend(&up, 11, 10), S75_TREND_WORSENING);
	assert_int_equal(s75_kpi_trend(&down, 11, 10), S75_TREND_IMPROVING);
	assert_int_equal(s75_kpi_trend(&down, 10, 11), S75_TREND_WORSENING);
	assert_int_equal(s75_kpi_trend(&down, 10, 10), S75_TREND_SAME);
}

static const char *notice_agreement =
    "agreement: {id: n, title: N, start: 2016-04-01, host_partner: la,"
    " pool_manager: {role: M, partner: la}}\n"
    "partners:\n"
    "  - {id: la, name: LA, kind: local-authority}\n"
    "  - {id: icb, name: ICB, kind: nhs-body}\n"
    "notice: {general_months: 6, no_contribution_agreement_months: 3, default_months: 0}\n"
    "arrangements:\n"
    "  - {id: pool, name: Pool, kind: pooled-fund, elements: [{id: e, name: E}]}\n"
    "  - {id: lc, name: LC, kind: lead-commissioning, lead: la, on_behalf_of: [icb]}\n"
    "  - {id: ip, name: IP, kind: integrated-provision, end: 2025-03-31}\n";

static s75_date effective(const s75_agreement *ag, const char *date, const char *scope,
                          s75_grounds g)
{
	s75_notice_input in = {"icb", D(date), scope, g, NULL, 0};
	s75_notice n;
	if (s75_notice_compute(&n, ag, &in))
		fail_msg("%s %s: %s", date, scope, s75_error_last());
	return n.effective;
}

/* The day a notice takes effect: month ends clamp, leap years count. */
static void test_notice_dates(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = load_text(notice_agreement, &d);
	assert_non_null(ag);
	const struct {
		const char *date, *scope;
		s75_grounds g;
		const char *want;
	} cases[] = {
	    {"2023-08-31", "agreement", S75_GROUNDS_GENERAL,
	     "2024-02-29"}, /* into a leap February */
	    {"2022-08-31", "agreement", S75_GROUNDS_GENERAL, "2023-02-28"}, /* a common one */
	    {"2023-08-30", "pool:pool", S75_GROUNDS_GENERAL, "2024-02-29"},
	    {"2023-08-29", "pool:pool", S75_GROUNDS_GENERAL, "2024-02-29"},
	    {"2023-08-28", "pool:pool", S75_GROUNDS_GENERAL, "2024-02-28"},
	    {"2024-02-29", "agreement", S75_GROUNDS_GENERAL, "2024-08-29"}, /* from a leap day */
	    {"2023-11-30", "pool:pool", S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, "2024-02-29"},
	    {"2024-11-30", "pool:pool", S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, "2025-02-28"},
	    {"2023-12-31", "pool:pool", S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, "2024-03-31"},
	    {"2024-01-31", "function:lc", S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, "2024-04-30"},
	    {"2017-09-30", "function:lc", S75_GROUNDS_GENERAL, "2018-03-30"},
	    {"2017-03-31", "pool:pool", S75_GROUNDS_GENERAL, "2017-09-30"},
	    {"2017-06-15", "pool:pool", S75_GROUNDS_DEFAULT, "2017-06-15"}, /* 0 months: at once */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[11];
		s75_date_format(got, effective(ag, cases[i].date, cases[i].scope, cases[i].g));
		if (strcmp(got, cases[i].want))
			fail_msg("%s + notice (%s) = %s, want %s", cases[i].date,
			         s75_grounds_name(cases[i].g), got, cases[i].want);
	}
	/* errors */
	s75_notice n;
	const struct {
		const char *by, *date, *scope;
		const char *msg;
	} bad[] = {
	    {"nobody", "2020-01-01", "agreement", "no partner 'nobody'"},
	    {"la", "2020-01-01", "pool", "scope 'pool' is not"},
	    {"la", "2020-01-01", "pool:lc", "'lc' is lead-commissioning, not a pooled fund"},
	    {"la", "2020-01-01", "function:pool",
	     "'pool' is pooled-fund, not a function (lead commissioning or integrated provision)"},
	    {"la", "2020-01-01", "pool:none", "no arrangement 'none'"},
	    {"la", "2015-01-01", "agreement", "before the agreement starts"},
	    /* an integrated provision is a function that can be ended, but not after its end */
	    {"la", "2025-04-01", "function:ip", "comes after 'ip' ended (2025-03-31)"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s75_notice_input in = {bad[i].by, D(bad[i].date), bad[i].scope, S75_GROUNDS_GENERAL,
		                       NULL, 0};
		assert_int_equal(s75_notice_compute(&n, ag, &in), S75_EINVALID);
		if (!strstr(s75_error_last(), bad[i].msg))
			fail_msg("'%s' lacks '%s'", s75_error_last(), bad[i].msg);
	}
	/* by agreement: the day agreed, whatever the terms; whole months between */
	s75_notice_input ba = {"la", D("2020-01-31"), "arrangement:ip", S75_GROUNDS_BY_AGREEMENT,
	                       NULL, D("2020-04-30")};
	assert_int_equal(s75_notice_compute(&n, ag, &ba), 0);
	assert_int_equal(n.effective, D("2020-04-30"));
	assert_int_equal(n.months, 3); /* 31 Jan + 3 months = 30 Apr (clamped) */
	ba.effective = 0;
	assert_int_equal(s75_notice_compute(&n, ag, &ba), S75_EINVALID);
	ba.effective = D("2020-01-31");
	assert_int_equal(s75_notice_compute(&n, ag, &ba), S75_EINVALID);
	ba.grounds = S75_GROUNDS_GENERAL;
	ba.effective = D("2020-04-30");
	assert_int_equal(s75_notice_compute(&n, ag, &ba), S75_EINVALID);
	s75_agreement_free(ag);
	s75_diags_release(&d);

	/* Cambridgeshire: notice accepted 31 August 2023, 12 months: ceases 31 August 2024 */
	d = (s75_diags)S75_DIAGS_INIT;
	char path[4096];
	const char *ex = getenv("S75_EXAMPLES");
	snprintf(path, sizeof(path), "%s/cambridgeshire-ldp/agreement.yaml", ex ? ex : "examples");
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	s75_notice_input in = {"ccc", D("2023-08-31"), "agreement", S75_GROUNDS_GENERAL, NULL, 0};
	assert_int_equal(s75_notice_compute(&n, ag, &in), 0);
	assert_int_equal(n.effective, D("2024-08-31"));
	assert_int_equal(n.months, 12);
	/* the terms state no notice for these grounds */
	in.grounds = S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT;
	assert_int_equal(s75_notice_compute(&n, ag, &in), S75_EINVALID);
	assert_non_null(strstr(s75_error_last(), "no_contribution_agreement_months"));
	/* after the agreement has ended */
	in.grounds = S75_GROUNDS_GENERAL;
	in.date = D("2024-09-01");
	assert_int_equal(s75_notice_compute(&n, ag, &in), S75_EINVALID);
	s75_agreement_free(ag);
	s75_diags_release(&d);
}

static const char *variation_agreement =
    "agreement: {id: v, title: V, start: 2017-04-01, host_partner: la,"
    " pool_manager: {role: M, partner: la}}\n"
    "partners:\n"
    "  - {id: la, name: LA, kind: local-authority}\n"
    "  - {id: icb, name: ICB, kind: nhs-body}\n"
    "arrangements:\n"
    "  - {id: pool, name: Pool, kind: pooled-fund, elements: [{id: a, name: A}, {id: b, name: "
    "B}]}\n"
    "years:\n"
    "  - year: 2017/18\n"
    "    status: agreed\n"
    "    agreed_on: 2017-03-01\n"
    "    units: \"£'000\"\n"
    "    contributions: {pool: {a: {la: 1000, icb: 500}}}\n"
    "    risk_share: {pool: {overspend: {method: contributions}, underspend: {method: "
    "contributions}}}\n"
    "kpis:\n"
    "  - {id: k, pool: pool, name: K, unit: percent, better: higher, target: 90, tolerance: 2}\n"
    "variations:\n"
    "  - id: v1\n"
    "    effective: 2017-07-18\n"
    "    decision: d1\n"
    "    contributions:\n"
    "      - {pool: pool, element: a, partner: la, gross: \"1,350\"}\n"
    "      - {pool: pool, element: b, partner: icb, gross: 200, income: 20}\n"
    "  - id: v2\n"
    "    effective: 2017-10-01\n"
    "    decision: d2\n"
    "    contributions: [{pool: pool, element: a, partner: la, gross: -350}]\n"
    "    risk_share: {pool: {overspend: {method: fixed, ratios: {la: 70, icb: 30}},"
    " underspend: {method: carry_forward}}}\n"
    "    kpis: [{kpi: k, target: {value: 92.5, by: 2018-03-31}}]\n"
    "  - id: v3\n"
    "    effective: 2017-10-01\n"
    "    decision: d3\n"
    "    kpis: [{kpi: k, tolerance: 1.5}]\n";

static int64_t net_of(const s75_contribution *c, size_t n, int el, int p)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].element == el && c[i].partner == p)
			return c[i].net;
	return -1;
}

static void test_variations(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = load_text(variation_agreement, &d);
	if (!ag) {
		s75_buf b = S75_BUF_INIT;
		s75_diags_format(&d, &b);
		fail_msg("%s", b.ptr);
	}
	const s75_year *y = s75_agreement_find_year(ag, 2017);
	s75_contribution *c;
	size_t n;
	/* before any variation: the schedule */
	assert_int_equal(s75_year_contributions_at(&c, &n, ag, y, D("2017-07-17")), 0);
	assert_int_equal(n, 2);
	assert_int_equal(net_of(c, n, 0, 0), 100000000);
	free(c);
	/* on the day v1 takes effect: +1,350 to a/la and a new line b/icb of 200 - 20 */
	assert_int_equal(s75_year_contributions_at(&c, &n, ag, y, D("2017-07-18")), 0);
	assert_int_equal(n, 3);
	assert_int_equal(net_of(c, n, 0, 0), 235000000);
	assert_int_equal(net_of(c, n, 1, 1), 18000000);
	assert_int_equal(c[2].gross, 20000000);
	assert_int_equal(c[2].income, 2000000);
	free(c);
	/* at the year's end: v2 takes 350 back */
	assert_int_equal(s75_year_contributions_at(&c, &n, ag, y, s75_fy_end(2017)), 0);
	assert_int_equal(net_of(c, n, 0, 0), 200000000);
	free(c);
	s75_contribution one;
	assert_int_equal(s75_contribution_at(&one, ag, 0, 0, 0, D("2017-09-30")), 0);
	assert_int_equal(one.net, 235000000);
	assert_int_equal(s75_contribution_at(&one, ag, 0, 1, 0, D("2017-09-30")), S75_ENOTFOUND);
	assert_int_equal(s75_contribution_at(&one, ag, 0, 0, 0, D("2018-04-01")), S75_ENOTFOUND);
	/* the schedule and the year's end as the contributions report shows them */
	s75_contrib_schedule *s;
	assert_int_equal(s75_contrib_schedule_build(&s, ag, 2017), 0);
	assert_int_equal(s->total.net, 200000000 + 50000000 + 18000000);
	s75_contrib_schedule_free(s);
	assert_int_equal(s75_contrib_schedule_build_at(&s, ag, 2017, D("2017-04-01")), 0);
	assert_int_equal(s->total.net, 150000000);
	s75_contrib_schedule_free(s);
	/* the risk share in force */
	const s75_rs_rule *r = s75_year_risk_share_at(ag, y, 0, D("2017-09-30"));
	assert_int_equal(r->over[0].method, S75_RS_CONTRIBUTIONS);
	r = s75_year_risk_share_at(ag, y, 0, D("2017-10-01"));
	assert_int_equal(r->over[0].method, S75_RS_FIXED);
	assert_int_equal(r->over[0].ratio_bp[0], 7000);
	assert_int_equal(r->under[0].method, S75_RS_CARRY_FORWARD);
	/* KPIs: v2 sets the target, v3 (same day, later in the file) the tolerance */
	s75_kpi k = s75_kpi_at(ag, 0, D("2017-09-30"));
	assert_int_equal(k.target, 900000);
	assert_false(k.has_target_date);
	assert_int_equal(k.tolerance, 20000);
	k = s75_kpi_at(ag, 0, D("2017-10-01"));
	assert_int_equal(k.target, 925000);
	assert_true(k.has_target_date);
	assert_int_equal(k.target_date, D("2018-03-31"));
	assert_int_equal(k.tolerance, 15000);
	s75_agreement_free(ag);
	s75_diags_release(&d);
}

/* Every problem in the new sections is a diagnostic at its place. */
static void test_load_errors(void **st)
{
	(void)st;
	const char *text =
	    "agreement: {id: x, title: X, start: 2017-04-01, host_partner: la,"
	    " pool_manager: {role: M, partner: la}}\n"                                    /* 1 */
	    "partners:\n"                                                                 /* 2 */
	    "  - {id: la, name: LA, kind: local-authority}\n"                             /* 3 */
	    "  - {id: icb, name: ICB, kind: nhs-body}\n"                                  /* 4 */
	    "arrangements:\n"                                                             /* 5 */
	    "  - {id: p, name: P, kind: pooled-fund, elements: [{id: e, name: E}]}\n"     /* 6 */
	    "years:\n"                                                                    /* 7 */
	    "  - {year: 2017/18, status: indicative, contributions: {p: {e: {la: 1}}}}\n" /* 8 */
	    "kpis:\n"                                                                     /* 9 */
	    "  - {id: k, pool: q, name: K, unit: percent, better: up, target: 1.23456}\n" /* 10 */
	    "governance:\n"                                                               /* 11 */
	    "  bodies:\n"                                                                 /* 12 */
	    "    - id: b\n"                                                               /* 13 */
	    "      name: B\n"                                                             /* 14 */
	    "      members: [{partner: la, role: M}, {partner: nobody, role: M}]\n"       /* 15 */
	    "      quorum: 5\n"                                                           /* 16 */
	    "      meets: weekly\n"                                                       /* 17 */
	    "      receives: [{item: quarterly-report, by: 13-01}, {item: minutes, within_days: "
	    "5}]\n"               /* 18 */
	    "      colour: red\n" /* 19 */
	    "risks:\n"            /* 20 */
	    "  - {id: r, title: R, kind: weather, owner: {partner: la, role: O}, likelihood: 6, "
	    "impact: 3,"
	    " mitigations: [x], review: 2018-01-01}\n" /* 21 */
	    "variations:\n"                            /* 22 */
	    "  - {id: v, effective: 2019-01-01, decision: d, contributions: [{pool: p, element: e, "
	    "partner: la, gross: 1}]}\n"                           /* 23 */
	    "  - {id: w, effective: 2017-05-01, decision: D W}\n"; /* 24 */
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = load_text(text, &d);
	assert_null(ag);
	s75_buf b = S75_BUF_INIT;
	s75_diags_format(&d, &b);
	/* positions checked by hand: the token each error is about (a list: its key) */
	const char *want[] = {
	    ":10:19: error: unknown pool 'q' (known: p)",
	    ":10:54: error: KPI 'better' is 'up' (expected one of: higher, lower)",
	    ":10:66: error: target: '1.23456' has more than four decimals",
	    ":15:51: error: unknown partner 'nobody' (known: la, icb)",
	    ":16:15: error: a quorum of 5 members is more than the 1 members of 'b'",
	    ":17:14: error: governance body 'meets' is 'weekly' (expected one of: monthly, "
	    "bi-monthly, quarterly, six-monthly, annually)",
	    ":18:47: error: 'by' is a day of the year written MM-DD (e.g. 12-31), not '13-01'",
	    ":18:47: error: a quarterly report is due 'within_days' of each quarter's end",
	    ":18:62: error: what a body receives 'item' is 'minutes' (expected one of: "
	    "quarterly-report, annual-return, schedules, risk-assessment)",
	    ":19:7: error: unknown key 'colour' in a governance body",
	    ":21:29: error: risk 'kind' is 'weather'",
	    ":21:81: error: risk 'likelihood' must be a whole number from 1 to 5, not '6'",
	    ":23:49: error: variation 'v' takes effect in 2018/19, for which the agreement has no "
	    "schedule (years)",
	    ":24:5: error: variation 'w' changes nothing",
	    ":24:46: error: 'D W' is not a valid id for variation",
	};

	const char *p = b.ptr;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *hit = strstr(p, want[i]);
		if (!hit)
			fail_msg("missing '%s' after the earlier ones in:\n%s", want[i], b.ptr);
		p = hit + strlen(want[i]);
	}
	s75_buf_release(&b);
	s75_diags_release(&d);
}

/* The fixture built to contain each kind of breach but the missing register. */
static void test_governance_check(void **st)
{
	(void)st;
	char dir[] = "/tmp/s75-test-gov-ws-XXXXXX", db_path[128], src[4096];
	assert_non_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/s75.db", dir);
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag;
	s75_db *db;
	s75_gov_import_result r;
	assert_int_equal(s75_agreement_load(&ag, fixture("governance/agreement.yaml"), &d), 0);
	assert_int_equal(s75_db_open(&db, db_path, S75_DB_CREATE), 0);
	assert_int_equal(s75_db_schema_version(db), S75_DB_SCHEMA_VERSION);
	snprintf(src, sizeof(src), "%s", fixture("governance/meetings.csv"));
	assert_int_equal(s75_meetings_import(db, ag, src, "2021-10-01T00:00:00Z", &r), 0);
	assert_int_equal(r.rows_imported, 5);
	s75_gov_import_result_release(&r);
	snprintf(src, sizeof(src), "%s", fixture("governance/decisions.csv"));
	assert_int_equal(s75_decisions_import(db, ag, src, "2021-10-01T00:00:00Z", &r), 0);
	s75_gov_import_result_release(&r);

	s75_gov_check_options o = S75_GOV_CHECK_OPTIONS_INIT;
	o.as_of = D("2021-10-01");
	s75_breaches *b;
	assert_int_equal(s75_governance_check(&b, db, ag, &o), 0);
	int count[16] = {0};
	for (size_t i = 0; i < b->n; i++)
		count[b->items[i].kind]++;
	assert_int_equal(count[S75_BREACH_MEETING_MISSED], 1);
	assert_int_equal(count[S75_BREACH_NO_PUBLIC_MEETING], 1);
	assert_int_equal(count[S75_BREACH_QUORUM], 1);
	assert_int_equal(count[S75_BREACH_REPORT_MISSING], 1);
	assert_int_equal(count[S75_BREACH_REPORT_LATE], 2);
	assert_int_equal(count[S75_BREACH_SCHEDULES], 2);
	assert_int_equal(count[S75_BREACH_SCHEDULES_LATE], 1);
	assert_int_equal(count[S75_BREACH_ENDING], 2);
	assert_int_equal(count[S75_BREACH_RISK_REVIEW], 1);
	assert_int_equal(count[S75_BREACH_NO_RISK_REGISTER], 0);
	assert_int_equal(count[S75_BREACH_VARIATION_UNAPPROVED], 2);
	assert_int_equal(b->n, 14);
	/* sorted by date */
	for (size_t i = 1; i < b->n; i++)
		assert_true(b->items[i - 1].date <= b->items[i].date);
	s75_breaches_free(b);

	/* mending each breach of the past: the check then finds only what is still open */
	s75_meeting_input m = {
	    "jmg", D("2020-08-01"), true, "la:2,nhs:1", "quarterly-report:2020/21 Q1", NULL};
	assert_int_equal(s75_meeting_record(db, ag, &m, "2021-10-02T00:00:00Z", NULL), 0);
	s75_decision_input dv = {"d-missing", "jmg", D("2020-09-01"), "variation:v1", "v1"};
	assert_int_equal(s75_decision_record(db, ag, &dv, "2021-10-02T00:00:00Z", NULL), 0);
	/* a second meeting of a body on one day, and references that do not exist */
	assert_int_equal(s75_meeting_record(db, ag, &m, "2021-10-02T00:00:00Z", NULL), S75_EEXISTS);
	s75_decision_input bad = {NULL, "jmg", D("2020-09-01"), "kpi:none", "x"};
	assert_int_equal(s75_decision_record(db, ag, &bad, "t", NULL), S75_EINVALID);
	bad.approves = "schedules:2021/23";
	assert_int_equal(s75_decision_record(db, ag, &bad, "t", NULL), S75_EINVALID);
	bad.approves = "schedules:2021/22";
	char *id = NULL;
	assert_int_equal(s75_decision_record(db, ag, &bad, "t", &id), 0);
	assert_string_equal(id, "d1"); /* the next free dN */
	free(id);
	m.date = D("2021-08-01");
	m.present = "la:9";
	assert_int_equal(s75_meeting_record(db, ag, &m, "t", NULL), S75_EINVALID);
	m.present = "4"; /* a total, but the quorum needs each partner */
	assert_int_equal(s75_meeting_record(db, ag, &m, "t", NULL), S75_EINVALID);
	m.present = "la:2,nhs:1";
	m.received = "quarterly-report:2021/22"; /* a year, not a quarter */
	assert_int_equal(s75_meeting_record(db, ag, &m, "t", NULL), S75_EINVALID);
	assert_int_equal(s75_governance_check(&b, db, ag, &o), 0);
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < b->n; i++)
		count[b->items[i].kind]++;
	assert_int_equal(count[S75_BREACH_MEETING_MISSED], 0);
	assert_int_equal(count[S75_BREACH_NO_PUBLIC_MEETING], 0);
	assert_int_equal(count[S75_BREACH_REPORT_MISSING], 0);
	assert_int_equal(count[S75_BREACH_VARIATION_UNAPPROVED], 1);
	/* schedules:2021/22 approved on 2020-09-01: before the deadline and the year */
	assert_int_equal(count[S75_BREACH_SCHEDULES_LATE], 0);
	assert_int_equal(count[S75_BREACH_SCHEDULES], 1);
	s75_breaches_free(b);

	/* a notice ends the lead commissioning earlier; an ended pool takes no KPI periods */
	s75_notice_input ni = {"nhs", D("2021-04-30"), "function:lc",
	                       S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, NULL, 0};
	s75_notice nt;
	assert_int_equal(s75_notice_record(&nt, db, ag, &ni, "t"), 0);
	assert_int_equal(nt.effective, D("2021-07-30"));
	s75_status *stt;
	assert_int_equal(s75_status_build(&stt, db, ag, D("2021-10-01")), 0);
	assert_int_equal(stt->arrangements[1].state, S75_STATE_ENDED);
	assert_int_equal(stt->arrangements[1].ends, D("2021-07-30"));
	assert_false(stt->arrangements[1].settlement_due); /* not a pool */
	assert_int_equal(stt->arrangements[0].state, S75_STATE_ACTIVE);
	s75_status_free(stt);
	assert_int_equal(s75_status_build(&stt, db, ag, D("2022-04-01")), 0);
	assert_int_equal(stt->arrangements[0].state, S75_STATE_ENDED);
	assert_true(stt->arrangements[0].settlement_due);
	assert_int_equal(stt->arrangements[0].final_period.fy, 2021);
	assert_int_equal(stt->arrangements[0].final_period.p, 12);
	s75_status_free(stt);

	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The missing register is its own breach. */
static void test_no_risk_register(void **st)
{
	(void)st;
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = load_text(notice_agreement, &d);
	char dir[] = "/tmp/s75-test-gov-ws-XXXXXX", db_path[128];
	assert_non_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/s75.db", dir);
	s75_db *db;
	assert_int_equal(s75_db_open(&db, db_path, S75_DB_CREATE), 0);
	s75_gov_check_options o = S75_GOV_CHECK_OPTIONS_INIT;
	o.as_of = D("2017-01-01");
	o.has_from = true; /* no schedules are due: the span starts on the day */
	o.from = o.as_of;
	o.end_warning_months = 0;
	s75_breaches *b;
	assert_int_equal(s75_governance_check(&b, db, ag, &o), 0);
	assert_int_equal(b->n, 1);
	assert_int_equal(b->items[0].kind, S75_BREACH_NO_RISK_REGISTER);
	s75_breaches_free(b);
	s75_db_close(db);
	s75_agreement_free(ag);
	s75_diags_release(&d);
	unlink(db_path);
	char w[160];
	snprintf(w, sizeof(w), "%s-wal", db_path);
	unlink(w);
	snprintf(w, sizeof(w), "%s-shm", db_path);
	unlink(w);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rperiod),          cmocka_unit_test(test_kpi_values),
	    cmocka_unit_test(test_rag_trend),        cmocka_unit_test(test_notice_dates),
	    cmocka_unit_test(test_variations),       cmocka_unit_test(test_load_errors),
	    cmocka_unit_test(test_governance_check), cmocka_unit_test(test_no_risk_register),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
