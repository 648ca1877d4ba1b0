/* The England and Wales bank holidays 2017-2030 (data/bank-holidays-england-wales.csv) and
 * working days. Every date below was checked by hand against a calendar and the published
 * announcements: Easter from the Easter tables, the moved and extra holidays from the
 * proclamations (VE day 2020, the Platinum Jubilee 2022, the State Funeral 2022, the
 * coronation 2023), the substitute days from the rule (a holiday on a Saturday or Sunday
 * moves to the next weekday not already a holiday). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"
#include "s75/workdays.h"

static s75_date D(const char *s)
{
	s75_date d;
	if (s75_date_parse(&d, s))
		fail_msg("bad date '%s'", s);
	return d;
}

static void want_holiday(const char *day, const char *name_part)
{
	const char *name = NULL;
	if (!s75_bank_holiday(D(day), &name))
		fail_msg("%s is not in the list", day);
	if (name_part && !strstr(name, name_part))
		fail_msg("%s is '%s', expected '%s'", day, name, name_part);
}

static void test_easter(void **st)
{
	(void)st;
	/* Easter Sunday 2017-2030: 16 Apr, 1 Apr, 21 Apr, 12 Apr, 4 Apr, 17 Apr, 9 Apr, 31 Mar,
	 * 20 Apr, 5 Apr, 28 Mar, 16 Apr, 1 Apr, 21 Apr */
	const char *gf[] = {"2017-04-14", "2018-03-30", "2019-04-19", "2020-04-10", "2021-04-02",
			    "2022-04-15", "2023-04-07", "2024-03-29", "2025-04-18", "2026-04-03",
			    "2027-03-26", "2028-04-14", "2029-03-30", "2030-04-19"};
	const char *em[] = {"2017-04-17", "2018-04-02", "2019-04-22", "2020-04-13", "2021-04-05",
			    "2022-04-18", "2023-04-10", "2024-04-01", "2025-04-21", "2026-04-06",
			    "2027-03-29", "2028-04-17", "2029-04-02", "2030-04-22"};
	for (size_t i = 0; i < 14; i++) {
		want_holiday(gf[i], "Good Friday");
		want_holiday(em[i], "Easter Monday");
	}
	assert_false(s75_bank_holiday(D("2017-04-16"), NULL)); /* Easter Sunday is a Sunday */
}

static void test_moved_and_extra(void **st)
{
	(void)st;
	want_holiday("2020-05-08", "Early May"); /* moved from Monday 4 May for VE day */
	assert_false(s75_bank_holiday(D("2020-05-04"), NULL));
	want_holiday("2022-06-02", "Spring");   /* moved from Monday 30 May */
	want_holiday("2022-06-03", "Jubilee");
	assert_false(s75_bank_holiday(D("2022-05-30"), NULL));
	want_holiday("2022-09-19", "Funeral");
	want_holiday("2023-05-01", "Early May");
	want_holiday("2023-05-08", "coronation");
	want_holiday("2017-05-01", "Early May");
	want_holiday("2017-05-29", "Spring");
	want_holiday("2017-08-28", "Summer");
}

static void test_substitute_days(void **st)
{
	(void)st;
	/* Christmas on a Saturday (2021, 2027): Mon 27 and Tue 28 */
	want_holiday("2021-12-27", "Christmas Day (substitute");
	want_holiday("2021-12-28", "Boxing Day (substitute");
	want_holiday("2027-12-27", "Christmas Day (substitute");
	want_holiday("2027-12-28", "Boxing Day (substitute");
	/* Christmas on a Sunday (2022): Boxing Day Mon 26, Christmas substitute Tue 27 */
	want_holiday("2022-12-26", "Boxing Day");
	want_holiday("2022-12-27", "Christmas Day (substitute");
	/* Boxing Day on a Saturday (2020, 2026): Mon 28 */
	want_holiday("2020-12-28", "Boxing Day (substitute");
	want_holiday("2026-12-28", "Boxing Day (substitute");
	assert_false(s75_bank_holiday(D("2020-12-26"), NULL));
	/* New Year's Day on a Sunday (2017, 2023) or Saturday (2022, 2028) */
	want_holiday("2017-01-02", "New Year");
	want_holiday("2023-01-02", "New Year");
	want_holiday("2022-01-03", "New Year");
	want_holiday("2028-01-03", "New Year");
}

static void test_counts(void **st)
{
	(void)st;
	int first, last;
	s75_bank_holiday_years(&first, &last);
	assert_int_equal(first, 2017);
	assert_int_equal(last, 2030);
	/* 8 a year, but 10 in 2022 (Jubilee, funeral) and 9 in 2023 (coronation) */
	for (int y = 2017; y <= 2030; y++) {
		int n = 0;
		s75_date a, b;
		s75_date_from_ymd(&a, y, 1, 1);
		s75_date_from_ymd(&b, y, 12, 31);
		for (s75_date d = a; d <= b; d++)
			n += s75_bank_holiday(d, NULL);
		assert_int_equal(n, y == 2022 ? 10 : y == 2023 ? 9 : 8);
	}
}

static void test_working_days(void **st)
{
	(void)st;
	s75_date d;
	/* from Thu 13 Apr 2017: Fri 14 Good Friday, Mon 17 Easter Monday; 10 working days are
	 * 18, 19, 20, 21, 24, 25, 26, 27, 28 Apr and 2 May (Mon 1 May is a bank holiday) */
	assert_int_equal(s75_working_day_add(&d, D("2017-04-13"), 10), 0);
	assert_int_equal(d, D("2017-05-02"));
	assert_int_equal(s75_working_days_between(D("2017-04-13"), D("2017-05-02")), 10);
	assert_int_equal(s75_working_days_between(D("2017-04-13"), D("2017-04-13")), 0);
	/* over Christmas 2021: Fri 24 Dec, then 29, 30, 31 Dec, 4 Jan (3 Jan substitute) */
	assert_int_equal(s75_working_day_add(&d, D("2021-12-23"), 5), 0);
	assert_int_equal(d, D("2022-01-04"));
	assert_false(s75_working_day(D("2017-10-14"))); /* a Saturday */
	assert_true(s75_working_day(D("2017-10-16")));
	assert_int_equal(s75_working_day_add(&d, D("2030-12-20"), 10), S75_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter),          cmocka_unit_test(test_moved_and_extra),
		cmocka_unit_test(test_substitute_days), cmocka_unit_test(test_counts),
		cmocka_unit_test(test_working_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
