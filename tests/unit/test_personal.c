/* Ids shaped like personal data (personal.c). The NHS numbers' check digits are worked by
 * hand: 943 476 5919 -> 9x10 + 4x9 + 3x8 + 4x7 + 7x6 + 6x5 + 5x4 + 9x3 + 1x2 = 299,
 * 299 mod 11 = 2, 11 - 2 = 9 = the last digit (valid); 401 023 2137 -> 40 + 0 + 8 + 0 +
 * 12 + 15 + 8 + 3 + 6 = 92, 92 mod 11 = 4, 11 - 4 = 7 (valid); 943 476 5918 ends in 8,
 * not 9 (invalid, so a ten-digit id that is not an NHS number passes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

static void expect(const char *id, const char *kind)
{
	const char *got = s75_personal_data_kind(id);
	if (!kind) {
		if (got)
			fail_msg("'%s' taken for %s", id, got);
	} else if (!got || strcmp(got, kind)) {
		fail_msg("'%s': expected %s, got %s", id, kind, got ? got : "nothing");
	}
}

static void test_nhs_numbers(void **st)
{
	(void)st;
	assert_true(s75_nhs_number_valid("9434765919"));
	assert_true(s75_nhs_number_valid("4010232137"));
	assert_false(s75_nhs_number_valid("9434765918"));
	const char *nhs = "an NHS number";
	expect("9434765919", nhs);
	expect("943 476 5919", nhs);
	expect("943-476-5919", nhs);
	expect("943.476.5919", nhs);
	expect("9-4-3-4-7-6-5-9-1-9", nhs);
	expect("NHS9434765919", nhs);
	expect("nhs:401-023-2137", nhs);
	expect("P/4010232137", nhs);
	expect("9434765918", NULL);  /* fails the check digit */
	expect("94347659190", NULL); /* eleven digits */
	expect("X1", NULL);
	expect("P-000123", NULL);
}

static void test_dates(void **st)
{
	(void)st;
	const char *dob = "a date of birth";
	expect("1956-03-14", dob);
	expect("14/03/1956", dob);
	expect("4.3.1956", dob);
	expect("14031956", dob);
	expect("19560314", dob);
	expect("X_1956-03-14", dob);
	expect("12345678", NULL);    /* neither YYYYMMDD nor DDMMYYYY is a real date */
	expect("31/02/1956", NULL);  /* no such day */
	expect("2023-13-01", NULL);
}

static void test_postcodes(void **st)
{
	(void)st;
	const char *pc = "a postcode";
	expect("OX1 1AA", pc);
	expect("OX11AA", pc);
	expect("SW1A 1AA", pc);
	expect("m1 1ae", pc);
	expect("CB22 3AB", pc);
	expect("W1A0AX", pc);
	expect("ref_OX1 1AA", pc);
	expect("PKG-0001", NULL);
	expect("ABC123", NULL);
}

static void test_ni_and_phone(void **st)
{
	(void)st;
	expect("QQ123456C", NULL); /* Q is never a first letter */
	expect("AB123456C", "a National Insurance number");
	expect("AB 12 34 56 C", "a National Insurance number");
	expect("ab123456d", "a National Insurance number");
	expect("AB123456E", NULL);
	expect("07700 900123", "a phone number");
	expect("07700900123", "a phone number");
	expect("+44 7700 900123", "a phone number");
	expect("01865 123456", "a phone number");
	expect("(01865) 123-456", "a phone number");
	expect("0044 1865 123456", "a phone number");
	expect("0123", NULL);
	expect("P07700", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nhs_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_postcodes),
		cmocka_unit_test(test_ni_and_phone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
