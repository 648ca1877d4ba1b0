/* The staging file of an import: rows come back as they were put, in order, texts and
 * NULLs included, across the buffer's boundary and past its size. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"
#include "stage.h"

static stage_row row_no(uint32_t i, char *text, size_t textlen)
{
	stage_row r = {.line = i + 2, .date = (int32_t)(17000 + i % 365), .fy = 2017,
		       .period = (int32_t)(1 + i % 12), .partner = (int32_t)(i % 3),
		       .cost_centre = (int32_t)(i % 2000), .kind = (int32_t)(i % 3),
		       .amount = (int64_t)i * 1000003 - 500000000000LL};
	snprintf(text, textlen, "Row %u", i);
	r.text[STAGE_ACCOUNT] = i % 5 ? "5100" : NULL;
	r.len[STAGE_ACCOUNT] = i % 5 ? 4 : 0;
	r.text[STAGE_DESCRIPTION] = text;
	r.len[STAGE_DESCRIPTION] = (uint32_t)strlen(text);
	r.text[STAGE_REFERENCE] = i % 7 ? "" : NULL; /* an empty text is not NULL */
	r.len[STAGE_REFERENCE] = 0;
	return r;
}

static void round_trip(void **state)
{
	(void)state;
	stage *s;
	char text[32];
	const uint32_t n = 100000; /* about 5 MB: several buffers' worth */
	assert_int_equal(stage_new(&s), 0);
	for (uint32_t i = 0; i < n; i++) {
		stage_row r = row_no(i, text, sizeof(text));
		assert_int_equal(stage_put(s, &r), 0);
	}
	assert_int_equal(stage_rows(s), n);
	assert_int_equal(stage_rewind(s), 0);
	stage_row got;
	for (uint32_t i = 0; i < n; i++) {
		stage_row want = row_no(i, text, sizeof(text));
		assert_int_equal(stage_get(s, &got), 1);
		assert_int_equal(got.line, want.line);
		assert_int_equal(got.date, want.date);
		assert_int_equal(got.fy, want.fy);
		assert_int_equal(got.period, want.period);
		assert_int_equal(got.partner, want.partner);
		assert_int_equal(got.cost_centre, want.cost_centre);
		assert_int_equal(got.kind, want.kind);
		assert_true(got.amount == want.amount);
		for (int t = 0; t < STAGE_NTEXT; t++) {
			assert_int_equal(got.text[t] == NULL, want.text[t] == NULL);
			assert_int_equal(got.len[t], want.len[t]);
			if (want.text[t])
				assert_memory_equal(got.text[t], want.text[t], want.len[t]);
		}
	}
	assert_int_equal(stage_get(s, &got), 0);
	stage_free(s);
}

/* A row larger than the buffer (1 MB) is kept whole. */
static void big_row(void **state)
{
	(void)state;
	stage *s;
	size_t big = (1u << 20) + 12345;
	char *text = malloc(big);
	assert_non_null(text);
	for (size_t i = 0; i < big; i++)
		text[i] = (char)('a' + i % 26);
	stage_row r = {.line = 7, .amount = -1, .text = {"x", text, "y"}, .len = {1, (uint32_t)big, 1}};
	assert_int_equal(stage_new(&s), 0);
	assert_int_equal(stage_put(s, &r), 0);
	r.line = 8;
	r.len[1] = 3;
	assert_int_equal(stage_put(s, &r), 0);
	assert_int_equal(stage_rewind(s), 0);
	stage_row got;
	assert_int_equal(stage_get(s, &got), 1);
	assert_int_equal(got.line, 7);
	assert_true(got.amount == -1);
	assert_int_equal(got.len[1], big);
	assert_memory_equal(got.text[1], text, big);
	assert_memory_equal(got.text[2], "y", 1);
	assert_int_equal(stage_get(s, &got), 1);
	assert_int_equal(got.line, 8);
	assert_memory_equal(got.text[1], "abc", 3);
	assert_int_equal(stage_get(s, &got), 0);
	stage_free(s);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(big_row),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
