/* Folding, globs, glob overlap and near spellings (src/lib/textmatch.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "textmatch.h"

static void test_fold(void **state)
{
	(void)state;
	char b[32];
	assert_int_equal(text_fold(b, sizeof(b), "  childrens \t services ", 23), 18);
	assert_string_equal(b, "CHILDRENS SERVICES");
	assert_int_equal(text_fold(b, 4, "ABCDEF", 6), 4); /* did not fit */
}

static void test_glob(void **state)
{
	(void)state;
	assert_true(text_glob("A3*", "A305", 4));
	assert_true(text_glob("a3*", "A3", 2));
	assert_false(text_glob("A3*", "B305", 4));
	assert_true(text_glob("*TOTAL*", "Page total", 10));
	assert_true(text_glob("A?C", "abc", 3));
	assert_false(text_glob("A?C", "ac", 2));
	assert_true(text_glob("*", "", 0));
}

static void test_overlap(void **state)
{
	(void)state;
	assert_true(text_globs_overlap("A3*", "A30*"));
	assert_true(text_globs_overlap("A*1", "*31"));
	assert_false(text_globs_overlap("A3*", "B*"));
	assert_false(text_globs_overlap("A?", "A??"));
	assert_true(text_globs_overlap("*X", "X*"));
	assert_false(text_globs_overlap("A1*", "A2*"));
}

static void test_names_and_distance(void **state)
{
	(void)state;
	assert_true(text_same_name(" Payment  Date ", 15, "paymentdate", 11));
	assert_false(text_same_name("Date", 4, "Dates", 5));
	assert_int_equal(text_distance("ASC109", 6, "ASC100", 6, 2), 1);
	assert_int_equal(text_distance("la-care", 7, "LA-CARE", 7, 2), 0);
	assert_int_equal(text_distance("ABCDEFG", 7, "XYZ", 3, 2), 3); /* over the limit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_names_and_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
