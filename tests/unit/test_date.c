#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

static s75_date D(const char *s)
{
	s75_date d;
	if (s75_date_parse(&d, s))
		fail_msg("%s", s75_error_last());
	return d;
}

static void assert_date(s75_date d, const char *want)
{
	char buf[11];
	assert_string_equal(s75_date_format(buf, d), want);
}

static void test_parse(void **st)
{
	(void)st;
	s75_date d;
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("2017-04-01") + 1, D("2017-04-02"));
	assert_date(D("2024-02-29"), "2024-02-29");
	assert_int_equal(s75_date_parse(&d, "2023-02-29"), S75_EINVALID);
	assert_int_equal(s75_date_parse(&d, "2017-13-01"), S75_EINVALID);
	assert_int_equal(s75_date_parse(&d, "2017-04-31"), S75_EINVALID);
	assert_int_equal(s75_date_parse(&d, "31/08/2024"), S75_EINVALID);
	assert_int_equal(s75_date_parse(&d, "2017-4-1"), S75_EINVALID);
	assert_int_equal(s75_date_parse(&d, ""), S75_EINVALID);
	/* 1900 is not a leap year, 2000 is */
	assert_int_equal(s75_date_parse(&d, "1900-02-29"), S75_EINVALID);
	assert_date(D("2000-02-29"), "2000-02-29");
	/* a year has 365 or 366 days */
	assert_int_equal(D("2024-04-01") - D("2023-04-01"), 366);
	assert_int_equal(D("2023-04-01") - D("2022-04-01"), 365);
}

static void test_add_months(void **st)
{
	(void)st;
	/* Cambridgeshire: notice accepted 31 August 2023, 12 months -> 31 August 2024 */
	assert_date(s75_date_add_months(D("2023-08-31"), 12), "2024-08-31");
	/* month ends: no such day -> the last day of the month */
	assert_date(s75_date_add_months(D("2023-01-31"), 1), "2023-02-28");
	assert_date(s75_date_add_months(D("2024-01-31"), 1), "2024-02-29");
	assert_date(s75_date_add_months(D("2023-08-31"), 6), "2024-02-29");
	assert_date(s75_date_add_months(D("2022-08-31"), 6), "2023-02-28");
	assert_date(s75_date_add_months(D("2017-07-18"), 6), "2018-01-18");
	assert_date(s75_date_add_months(D("2017-10-31"), 3), "2018-01-31");
	assert_date(s75_date_add_months(D("2017-11-30"), 3), "2018-02-28");
	assert_date(s75_date_add_months(D("2024-02-29"), 12), "2025-02-28");
	assert_date(s75_date_add_months(D("2024-02-29"), 48), "2028-02-29");
	assert_date(s75_date_add_months(D("2024-03-31"), -1), "2024-02-29");
	assert_date(s75_date_add_months(D("2024-01-15"), -13), "2022-12-15");
	assert_date(s75_date_month_end(D("2024-02-03")), "2024-02-29");
	assert_date(s75_date_month_end(D("2023-12-31")), "2023-12-31");
}

static void test_financial_year(void **st)
{
	(void)st;
	int fy;
	char buf[12];
	assert_int_equal(s75_fy_parse(&fy, "2017/18"), 0);
	assert_int_equal(fy, 2017);
	assert_date(s75_fy_start(fy), "2017-04-01");
	assert_date(s75_fy_end(fy), "2018-03-31");
	assert_string_equal(s75_fy_format(buf, 2017), "2017/18");
	assert_string_equal(s75_fy_format(buf, 1999), "1999/00");
	assert_int_equal(s75_fy_parse(&fy, "1999/00"), 0);
	assert_int_equal(fy, 1999);
	assert_int_equal(s75_fy_parse(&fy, "2017/2018"), 0);
	assert_int_equal(s75_fy_parse(&fy, "2017/19"), S75_EINVALID);
	assert_int_equal(s75_fy_parse(&fy, "2017"), S75_EINVALID);
	assert_int_equal(s75_fy_parse(&fy, "17/18"), S75_EINVALID);
	assert_int_equal(s75_fy_of_date(D("2018-03-31")), 2017);
	assert_int_equal(s75_fy_of_date(D("2018-04-01")), 2018);
	assert_int_equal(s75_fy_of_date(D("2018-01-01")), 2017);
}

static void test_periods(void **st)
{
	(void)st;
	s75_period p, q;
	char buf[12];
	assert_int_equal(s75_period_parse(&p, "2017/18 P6"), 0);
	assert_int_equal(s75_period_parse(&q, "2017-09"), 0);
	assert_int_equal(p.fy, 2017);
	assert_int_equal(p.p, 6);
	assert_int_equal(s75_period_cmp(p, q), 0);
	assert_string_equal(s75_period_format(buf, p), "2017/18 P6");
	/* P1 = April, P12 = March of the next calendar year */
	assert_int_equal(s75_period_parse(&p, "2018-03"), 0);
	assert_int_equal(p.fy, 2017);
	assert_int_equal(p.p, 12);
	assert_int_equal(s75_period_parse(&p, "2017-04"), 0);
	assert_int_equal(p.p, 1);
	assert_date(s75_period_start(p), "2017-04-01");
	assert_date(s75_period_end(p), "2017-04-30");
	p.p = 11; /* February 2024: a leap month */
	p.fy = 2023;
	assert_date(s75_period_end(p), "2024-02-29");
	assert_int_equal(s75_period_parse(&p, "2017/18 P13"), S75_EINVALID);
	assert_int_equal(s75_period_parse(&p, "2017/18 P0"), S75_EINVALID);
	assert_int_equal(s75_period_parse(&p, "2017-00"), S75_EINVALID);
	assert_int_equal(s75_period_parse(&p, "P6"), S75_EINVALID);
	assert_int_equal(s75_period_parse(&p, "2017/18-P06"), 0);
	assert_int_equal(p.p, 6);
	p = s75_period_of_date(D("2018-01-15"));
	assert_int_equal(p.fy, 2017);
	assert_int_equal(p.p, 10);
	q = s75_period_add(p, 3);
	assert_int_equal(q.fy, 2018);
	assert_int_equal(q.p, 1);
	q = s75_period_add(p, -10);
	assert_int_equal(q.fy, 2016);
	assert_int_equal(q.p, 12);
}

/* Period codes, worked by hand: 2022/23 P1 is April 2022, P12 March 2023. */
static void test_period_codes(void **state)
{
	(void)state;
	s75_period p;
#define PC(text, fmt, yk, dfy, wfy, wp)                                                        \
	do {                                                                                   \
		assert_int_equal(s75_period_parse_fmt(&p, text, strlen(text), fmt, yk, dfy), 0); \
		assert_int_equal(p.fy, wfy);                                                   \
		assert_int_equal(p.p, wp);                                                     \
	} while (0)
	PC("202205", "yyyypp", S75_PERIOD_YEAR_FINANCIAL, -1, 2022, 5);     /* August 2022 */
	PC("202305", "yyyypp", S75_PERIOD_YEAR_FINANCIAL_END, -1, 2022, 5);
	PC("202205", "yyyypp", S75_PERIOD_YEAR_CALENDAR, -1, 2022, 2);      /* May 2022 */
	PC("202301", "yyyypp", S75_PERIOD_YEAR_CALENDAR, -1, 2022, 10);     /* January 2023 */
	PC("Month 5", "Month p", S75_PERIOD_YEAR_FINANCIAL, 2022, 2022, 5);
	PC("MONTH   12", "Month p", S75_PERIOD_YEAR_FINANCIAL, 2022, 2022, 12);
	PC("P05", "Ppp", S75_PERIOD_YEAR_FINANCIAL, 2017, 2017, 5);
	PC("May-22", "mon-yy", S75_PERIOD_YEAR_FINANCIAL, -1, 2022, 2);
	PC("March-23", "mon-yy", S75_PERIOD_YEAR_FINANCIAL, -1, 2022, 12);
	PC("Jan", "mon", S75_PERIOD_YEAR_FINANCIAL, 2022, 2022, 10);
#undef PC
	assert_int_equal(s75_period_parse_fmt(&p, "Month 5", 7, "Month p", 0, -1), S75_EINVALID);
	assert_int_equal(s75_period_parse_fmt(&p, "202213", 6, "yyyypp", 0, -1), S75_EINVALID);
	assert_int_equal(s75_period_parse_fmt(&p, "202200", 6, "yyyypp", 0, -1), S75_EINVALID);
	assert_int_equal(s75_period_parse_fmt(&p, "2022051", 7, "yyyypp", 0, -1), S75_EINVALID);
	assert_true(s75_period_fmt_valid("yyyypp"));
	assert_true(s75_period_fmt_valid("Month p"));
	assert_false(s75_period_fmt_valid("yyyy"));
	assert_false(s75_period_fmt_valid("mm/pp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_financial_year),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_period_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
