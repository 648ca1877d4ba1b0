#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

static int64_t parse_ok(const char *s, s75_unit u)
{
	int64_t v = -12345;
	int rc = s75_money_parse(&v, s, strlen(s), u, 0);
	if (rc)
		fail_msg("'%s' rejected: %s", s, s75_error_last());
	return v;
}

static void parse_bad(const char *s, s75_unit u, int code, const char *why)
{
	int64_t v = 777;
	int rc = s75_money_parse(&v, s, strlen(s), u, 0);
	if (rc != code)
		fail_msg("'%s' gave %d, expected %d", s, rc, code);
	assert_int_equal(v, 777); /* nothing written on failure */
	if (why && !strstr(s75_error_last(), why))
		fail_msg("'%s': message '%s' lacks '%s'", s, s75_error_last(), why);
}

static void test_parse_pounds(void **st)
{
	(void)st;
	assert_int_equal(parse_ok("1234", S75_UNIT_POUNDS), 123400);
	assert_int_equal(parse_ok("1234.5", S75_UNIT_POUNDS), 123450);
	assert_int_equal(parse_ok("1,234.56", S75_UNIT_POUNDS), 123456);
	assert_int_equal(parse_ok("-1,234.56", S75_UNIT_POUNDS), -123456);
	assert_int_equal(parse_ok("(1,234.56)", S75_UNIT_POUNDS), -123456);
	assert_int_equal(parse_ok("£1,234.56", S75_UNIT_POUNDS), 123456);
	assert_int_equal(parse_ok("-£1,234.56", S75_UNIT_POUNDS), -123456);
	assert_int_equal(parse_ok("  42 ", S75_UNIT_POUNDS), 4200);
	assert_int_equal(parse_ok("0.01", S75_UNIT_POUNDS), 1);
	assert_int_equal(parse_ok("-0", S75_UNIT_POUNDS), 0);
	assert_int_equal(parse_ok("1,000,000", S75_UNIT_POUNDS), 100000000);
	assert_int_equal(parse_ok("+7", S75_UNIT_POUNDS), 700);
	/* the largest amount that fits: 92,233,720,368,547,758.07 */
	assert_int_equal(parse_ok("92233720368547758.07", S75_UNIT_POUNDS), INT64_MAX);
}

static void test_parse_units(void **st)
{
	(void)st;
	/* Cambridgeshire LDP 2022/23 in £'000: 93,710 -> £93,710,000 */
	assert_int_equal(parse_ok("93,710", S75_UNIT_THOUSANDS), 9371000000LL);
	assert_int_equal(parse_ok("1.234", S75_UNIT_THOUSANDS), 123400);  /* £1,234 */
	assert_int_equal(parse_ok("0.00001", S75_UNIT_THOUSANDS), 1);    /* one penny */
	assert_int_equal(parse_ok("(5,502)", S75_UNIT_THOUSANDS), -550200000LL);
	assert_int_equal(parse_ok("9.8", S75_UNIT_MILLIONS), 980000000LL); /* £9.8m */
	assert_int_equal(parse_ok("63.7", S75_UNIT_MILLIONS), 6370000000LL);
	int64_t v;
	assert_int_equal(s75_money_parse(&v, "9.8m", 4, S75_UNIT_POUNDS, S75_MONEY_SUFFIX), 0);
	assert_int_equal(v, 980000000LL);
	assert_int_equal(s75_money_parse(&v, "500k", 4, S75_UNIT_POUNDS, S75_MONEY_SUFFIX), 0);
	assert_int_equal(v, 50000000LL);
	/* without the flag a suffix is text */
	assert_int_equal(s75_money_parse(&v, "500k", 4, S75_UNIT_POUNDS, 0), S75_EINVALID);
}

static void test_parse_rejects(void **st)
{
	(void)st;
	parse_bad("1.234", S75_UNIT_POUNDS, S75_EINVALID, "fractions of a penny");
	parse_bad("1,23", S75_UNIT_POUNDS, S75_EINVALID, "thousands separator");
	parse_bad("1234,567", S75_UNIT_POUNDS, S75_EINVALID, "thousands separator");
	parse_bad("1,2345", S75_UNIT_POUNDS, S75_EINVALID, "thousands separator");
	parse_bad(",123", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("12..3", S75_UNIT_POUNDS, S75_EINVALID, "decimal point");
	parse_bad("1.2.3", S75_UNIT_POUNDS, S75_EINVALID, "decimal point");
	parse_bad("", S75_UNIT_POUNDS, S75_EINVALID, "empty");
	parse_bad("   ", S75_UNIT_POUNDS, S75_EINVALID, "empty");
	parse_bad("abc", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("12a", S75_UNIT_POUNDS, S75_EINVALID, "unexpected character");
	parse_bad("1 234", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("1.", S75_UNIT_POUNDS, S75_EINVALID, "after the decimal point");
	parse_bad(".5", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("(12", S75_UNIT_POUNDS, S75_EINVALID, "bracket");
	parse_bad("(-12)", S75_UNIT_POUNDS, S75_EINVALID, "sign inside brackets");
	parse_bad("£", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("1e5", S75_UNIT_POUNDS, S75_EINVALID, NULL);
	parse_bad("92233720368547758.08", S75_UNIT_POUNDS, S75_EOVERFLOW, "too large");
	parse_bad("99999999999999999999", S75_UNIT_POUNDS, S75_EOVERFLOW, "too large");
	parse_bad("100000000000", S75_UNIT_MILLIONS, S75_EOVERFLOW, "too large");
	parse_bad("0.000001", S75_UNIT_THOUSANDS, S75_EINVALID, "resolve to a penny");
}

static void fmt(int64_t v, s75_unit u, unsigned flags, const char *want)
{
	s75_buf b = S75_BUF_INIT;
	s75_money_format(&b, v, u, flags);
	assert_string_equal(b.ptr, want);
	s75_buf_release(&b);
}

static void test_format(void **st)
{
	(void)st;
	fmt(123456, S75_UNIT_POUNDS, S75_FMT_SEP, "1,234.56");
	fmt(-123456, S75_UNIT_POUNDS, S75_FMT_SEP, "-1,234.56");
	fmt(-123456, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS, "(1,234.56)");
	fmt(123456, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND, "£1,234.56");
	fmt(5, S75_UNIT_POUNDS, 0, "0.05");
	fmt(0, S75_UNIT_POUNDS, S75_FMT_SEP, "0.00");
	fmt(100000000, S75_UNIT_POUNDS, S75_FMT_SEP, "1,000,000.00");
	fmt(12345678, S75_UNIT_POUNDS, 0, "123456.78");
	fmt(INT64_MAX, S75_UNIT_POUNDS, S75_FMT_SEP, "92,233,720,368,547,758.07");
	fmt(INT64_MIN, S75_UNIT_POUNDS, S75_FMT_SEP, "-92,233,720,368,547,758.08");
	/* £93,710k shown in £'000 */
	fmt(9371000000LL, S75_UNIT_THOUSANDS, S75_FMT_SEP, "93,710.00");
	fmt(9371049999LL, S75_UNIT_THOUSANDS, S75_FMT_SEP | S75_FMT_WHOLE, "93,710");
	fmt(9371050000LL, S75_UNIT_THOUSANDS, S75_FMT_SEP | S75_FMT_WHOLE, "93,711");
	fmt(-550200000LL, S75_UNIT_THOUSANDS, S75_FMT_SEP | S75_FMT_BRACKETS, "(5,502.00)");
	fmt(980000000LL, S75_UNIT_MILLIONS, 0, "9.80");
	/* half a thousandth of a million rounds away from zero */
	fmt(500000LL, S75_UNIT_MILLIONS, 0, "0.01");
	fmt(499999LL, S75_UNIT_MILLIONS, 0, "0.00");
	fmt(-499999LL, S75_UNIT_MILLIONS, S75_FMT_BRACKETS, "0.00");
}

static void test_round_trip(void **st)
{
	(void)st;
	/* format without separators then parse gives back the same pence */
	int64_t vals[] = {0, 1, -1, 99, 100, 123456789, -987654321, INT64_MAX, INT64_MIN + 1};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		s75_buf b = S75_BUF_INIT;
		int64_t back;
		s75_money_format(&b, vals[i], S75_UNIT_POUNDS, S75_FMT_SEP);
		assert_int_equal(s75_money_parse(&back, b.ptr, b.len, S75_UNIT_POUNDS, 0), 0);
		assert_int_equal(back, vals[i]);
		s75_buf_release(&b);
	}
}

static void test_checked_arith(void **st)
{
	(void)st;
	int64_t r;
	assert_int_equal(s75_money_add(&r, 1, 2), 0);
	assert_int_equal(r, 3);
	assert_int_equal(s75_money_add(&r, INT64_MAX, 1), S75_EOVERFLOW);
	assert_int_equal(s75_money_sub(&r, INT64_MIN, 1), S75_EOVERFLOW);
	assert_int_equal(s75_money_mul(&r, INT64_MAX / 2, 3), S75_EOVERFLOW);
	assert_int_equal(s75_money_mul(&r, -4, 25), 0);
	assert_int_equal(r, -100);
}

static void test_units(void **st)
{
	(void)st;
	s75_unit u;
	assert_int_equal(s75_unit_parse(&u, "£'000"), 0);
	assert_int_equal(u, S75_UNIT_THOUSANDS);
	assert_int_equal(s75_unit_parse(&u, "£m"), 0);
	assert_int_equal(u, S75_UNIT_MILLIONS);
	assert_int_equal(s75_unit_parse(&u, "£"), 0);
	assert_int_equal(u, S75_UNIT_POUNDS);
	assert_int_equal(s75_unit_parse(&u, "dollars"), S75_EINVALID);
}

static void test_bp(void **st)
{
	(void)st;
	s75_buf b = S75_BUF_INIT;
	s75_bp_format(&b, 7678);
	assert_string_equal(b.ptr, "76.78");
	s75_buf_reset(&b);
	s75_bp_format(&b, 5);
	assert_string_equal(b.ptr, "0.05");
	s75_buf_reset(&b);
	s75_bp_format(&b, 10000);
	assert_string_equal(b.ptr, "100.00");
	s75_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_pounds), cmocka_unit_test(test_parse_units),
		cmocka_unit_test(test_parse_rejects), cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),   cmocka_unit_test(test_checked_arith),
		cmocka_unit_test(test_units),	     cmocka_unit_test(test_bp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
