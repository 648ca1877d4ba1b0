#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

__extension__ typedef __int128 i128;

static void test_examples(void **st)
{
	(void)st;
	int64_t out[4];
	/* Cambridgeshire LDP 2022/23: 93,710 and 28,340 of 122,050 (£'000) -> 76.78% : 23.22% */
	int64_t w[2] = {9371000000LL, 2834000000LL};
	assert_int_equal(s75_alloc_shares_bp(out, w, 2), 0);
	assert_int_equal(out[0], 7678);
	assert_int_equal(out[1], 2322);
	/* 100 pence in thirds: 33.33.. each, the extra penny to the first (tie -> order) */
	int64_t third[3] = {1, 1, 1};
	assert_int_equal(s75_alloc_split(out, 100, third, 3), 0);
	assert_int_equal(out[0], 34);
	assert_int_equal(out[1], 33);
	assert_int_equal(out[2], 33);
	/* a negative amount mirrors the positive */
	assert_int_equal(s75_alloc_split(out, -100, third, 3), 0);
	assert_int_equal(out[0], -34);
	assert_int_equal(out[1], -33);
	assert_int_equal(out[2], -33);
	/* largest remainder, not order: 10p by 1:2:7 ->1, 2, 7 exactly; 11p -> 1.1, 2.2, 7.7 -> 1, 2, 8 */
	int64_t w3[3] = {1, 2, 7};
	assert_int_equal(s75_alloc_split(out, 11, w3, 3), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 2);
	assert_int_equal(out[2], 8);
	/* 70:30 of £1,000,000.01 -> 700,000.007 and 300,000.003 -> the penny to the 70 */
	int64_t w7030[2] = {70, 30};
	assert_int_equal(s75_alloc_split(out, 100000001, w7030, 2), 0);
	assert_int_equal(out[0], 70000001);
	assert_int_equal(out[1], 30000000);
	/* zero weights get nothing */
	int64_t wz[3] = {0, 5, 0};
	assert_int_equal(s75_alloc_split(out, 999, wz, 3), 0);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 999);
	assert_int_equal(out[2], 0);
	/* bad weights */
	int64_t neg[2] = {-1, 2}, zero[2] = {0, 0};
	assert_int_equal(s75_alloc_split(out, 10, neg, 2), S75_EINVALID);
	assert_int_equal(s75_alloc_split(out, 10, zero, 2), S75_EINVALID);
	/* extremes do not overflow */
	int64_t big[2] = {INT64_MAX, INT64_MAX};
	assert_int_equal(s75_alloc_split(out, INT64_MAX, big, 2), 0);
	assert_int_equal(out[0], INT64_MAX / 2 + 1);
	assert_int_equal(out[1], INT64_MAX / 2);
	assert_int_equal(s75_alloc_split(out, INT64_MIN + 1, big, 2), 0);
	assert_int_equal(out[0] + out[1], INT64_MIN + 1);
}

/* xorshift: a fixed-seed generator so failures repeat */
static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void test_property_sums_back(void **st)
{
	(void)st;
	int64_t w[16], out[16];
	for (int iter = 0; iter < 200000; iter++) {
		size_t n = 1 + next() % 16;
		int any = 0;
		for (size_t i = 0; i < n; i++) {
			uint64_t r = next();
			/* mix small weights (ties) and huge ones */
			w[i] = (r & 3) == 0 ? 0 : (r & 4) ? (int64_t)(next() % 5) : (int64_t)(next() >> 1);
			any |= w[i] > 0;
		}
		if (!any)
			w[0] = 1;
		int64_t amount = (int64_t)(next() >> (next() % 63));
		if (next() & 1)
			amount = -amount;
		assert_int_equal(s75_alloc_split(out, amount, w, n), 0);
		i128 sum = 0, W = 0;
		for (size_t i = 0; i < n; i++) {
			sum += out[i];
			W += w[i];
		}
		assert_true(sum == amount);
		/* each part is within one penny of its exact share, and zero weights get zero */
		for (size_t i = 0; i < n; i++) {
			i128 exact_num = (i128)amount * w[i]; /* exact share = exact_num / W */
			i128 diff = (i128)out[i] * W - exact_num;
			if (diff < 0)
				diff = -diff;
			assert_true(diff < W);
			if (w[i] == 0)
				assert_int_equal(out[i], 0);
		}
	}
}

static void test_property_deterministic(void **st)
{
	(void)st;
	int64_t w[5] = {3, 3, 3, 3, 3}, a[5], b[5];
	for (int64_t amount = -50; amount <= 50; amount++) {
		assert_int_equal(s75_alloc_split(a, amount, w, 5), 0);
		assert_int_equal(s75_alloc_split(b, amount, w, 5), 0);
		assert_memory_equal(a, b, sizeof(a));
		/* equal weights: the earlier partner never gets less */
		for (int i = 1; i < 5; i++)
			assert_true(amount >= 0 ? a[i - 1] >= a[i] : a[i - 1] <= a[i]);
	}
}

static void test_signed(void **st)
{
	(void)st;
	int64_t out[4];
	/* own variances 80 and 20 of a 100 overspend: each exactly its own */
	int64_t w[2] = {8000, 2000};
	assert_int_equal(s75_alloc_split_signed(out, 10000, w, 2), 0);
	assert_int_equal(out[0], 8000);
	assert_int_equal(out[1], 2000);
	/* offsetting variances +120 and -20: a slice of 50 gives 60 and -10 */
	int64_t w2[2] = {120, -20};
	assert_int_equal(s75_alloc_split_signed(out, 50, w2, 2), 0);
	assert_int_equal(out[0], 60);
	assert_int_equal(out[1], -10);
	/* a weight sum of zero cannot be split */
	int64_t w3[2] = {5, -5};
	assert_int_equal(s75_alloc_split_signed(out, 50, w3, 2), S75_EINVALID);
	for (int iter = 0; iter < 100000; iter++) {
		size_t n = 1 + next() % 4;
		int64_t ws[4], sum = 0;
		for (size_t i = 0; i < n; i++) {
			ws[i] = (int64_t)(next() % 2000001) - 1000000;
			sum += ws[i];
		}
		if (!sum)
			continue;
		int64_t amount = (int64_t)(next() % 20000000001ULL) - 10000000000LL, total = 0;
		assert_int_equal(s75_alloc_split_signed(out, amount, ws, n), 0);
		for (size_t i = 0; i < n; i++) {
			total += out[i];
			/* within a penny of the exact share */
			i128 diff = (i128)out[i] * sum - (i128)amount * ws[i];
			if (diff < 0)
				diff = -diff;
			assert_true(diff < (sum < 0 ? -(i128)sum : (i128)sum));
		}
		assert_int_equal(total, amount);
	}
}

static void test_shares_sum_to_100(void **st)
{
	(void)st;
	int64_t w[8], out[8];
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = 1 + next() % 8;
		for (size_t i = 0; i < n; i++)
			w[i] = 1 + (int64_t)(next() % 1000000000000ULL);
		assert_int_equal(s75_alloc_shares_bp(out, w, n), 0);
		int64_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += out[i];
		assert_int_equal(sum, 10000);
	}
}

/* Rounding to £'000 so that rounded rows add to the rounded total, worked by hand. */
static void test_round_to_total(void **st)
{
	(void)st;
	int64_t out[3];
	/* £1,400 three times, total £4,200: 1.4 + 1.4 + 1.4 = 4.2 -> total 4; floors 1+1+1 = 3,
	 * the one unit left goes to the first of the equal remainders */
	const int64_t a[3] = {140000, 140000, 140000};
	assert_int_equal(s75_alloc_round_one(420000, 100000), 4);
	assert_int_equal(s75_alloc_round(out, a, 3, 100000, 4), 0);
	assert_int_equal(out[0], 2);
	assert_int_equal(out[1], 1);
	assert_int_equal(out[2], 1);
	/* -£1,600 and £3,100 make £1,500 -> 2 (half away from zero); floors -2 (remainder 400)
	 * and 3 (remainder 100): the unit goes to the first, -1 + 3 = 2 */
	const int64_t b[2] = {-160000, 310000};
	assert_int_equal(s75_alloc_round_one(150000, 100000), 2);
	assert_int_equal(s75_alloc_round_one(-150000, 100000), -2);
	assert_int_equal(s75_alloc_round(out, b, 2, 100000, 2), 0);
	assert_int_equal(out[0], -1);
	assert_int_equal(out[1], 3);
	/* a total no rounding reaches: each part rounded alone, and an error */
	assert_int_equal(s75_alloc_round(out, b, 2, 100000, 7), S75_EINVALID);
	assert_int_equal(out[0], -2);
	assert_int_equal(out[1], 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_property_sums_back),
		cmocka_unit_test(test_property_deterministic),
		cmocka_unit_test(test_shares_sum_to_100),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_round_to_total),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
