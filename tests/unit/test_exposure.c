/* The exposure Monte Carlo: exact, reproducible, and right in distribution.
 * The agreement is the riskshare-caps case's (tests/e2e/cases/riskshare-caps): the first
 * £1,000 of an overspend shared 50:50, the rest by contributions (council £7,000, icb
 * £2,000), the icb's share capped at £600 in all. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

static s75_agreement *load_case(const char *name)
{
	char path[1024];
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = NULL;
	snprintf(path, sizeof(path), "%s/e2e/cases/%s/agreement.yaml", getenv("S75_TESTS"), name);
	assert_int_equal(s75_agreement_load(&ag, path, &d), 0);
	s75_diags_release(&d);
	return ag;
}

static s75_agreement *load(void)
{
	return load_case("riskshare-caps");
}

/* care ~ the given P10/P50/P90 (pence), day fixed at zero */
static s75_exposure *run(const s75_agreement *ag, int64_t p10, int64_t p50, int64_t p90,
			 uint64_t draws, int threads, const int64_t *const *bp, size_t nbp)
{
	s75_expo_range r[2] = {{0, p10, p50, p90}, {1, 0, 0, 0}};
	static const char *const names[] = {"70:30", "60:40"};
	s75_exposure_options o = S75_EXPOSURE_OPTIONS_INIT;
	s75_exposure *x = NULL;
	o.draws = draws;
	o.seed = 42;
	o.threads = threads;
	o.ranges = r;
	o.nranges = 2;
	o.ratio_bp = bp;
	o.ratio_name = names;
	o.nratios = nbp;
	assert_int_equal(s75_exposure_run(&x, NULL, ag, 2017, &o), 0);
	return x;
}

static void test_normal_quantile(void **st)
{
	(void)st;
	assert_true(fabs(s75_normal_quantile(0.9) - 1.2815515655446004) < 1e-14);
	assert_true(fabs(s75_normal_quantile(0.975) - 1.959963984540054) < 1e-14);
	assert_true(fabs(s75_normal_quantile(0.5)) < 1e-15);
	assert_true(fabs(s75_normal_quantile(1e-10) + 6.361340902404056) < 1e-12);
	/* the generator: a pure function of (seed, draw, stream) */
	assert_true(s75_rng_u64(1, 5, 2) == s75_rng_u64(1, 5, 2));
	assert_true(s75_rng_u64(1, 5, 2) != s75_rng_u64(1, 6, 2));
	assert_true(s75_rng_u64(1, 5, 2) != s75_rng_u64(1, 5, 3));
	assert_true(s75_rng_u64(1, 5, 2) != s75_rng_u64(2, 5, 2));
	/* docs/exposure.md's draw worked by hand: 918.20 by 7 : 2 is 714.16 and 204.04 */
	int64_t part[2], w72[2] = {700000, 200000};
	double z = sqrt(0.5) * 1.0 + sqrt(0.5) * 0.5;
	assert_int_equal(60000 + llround(30000 * z), 91820);
	assert_int_equal(s75_alloc_split(part, 91820, w72, 2), 0);
	assert_int_equal(part[0], 71416);
	assert_int_equal(part[1], 20404);
	int64_t v[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	assert_int_equal(s75_quantile_sorted(v, 10, 5000), 5);  /* ceil(5.0) = 5th */
	assert_int_equal(s75_quantile_sorted(v, 10, 9000), 9);
	assert_int_equal(s75_quantile_sorted(v, 10, 9500), 10); /* ceil(9.5) = 10th */
	assert_int_equal(s75_quantile_sorted(v, 10, 100), 1);
}

/* A proportional rule: each draw's share is the variance split exactly, so the sorted
 * shares are the sorted variances split (largest remainder is monotone), penny for penny. */
static void test_proportional_scaled_exactly(void **st)
{
	(void)st;
	s75_agreement *ag = load();
	int64_t bp7030[2] = {7000, 3000};
	const int64_t *bp[1] = {bp7030};
	s75_exposure *x = run(ag, -50000, 20000, 150000, 20000, 2, bp, 1);
	const int64_t *v = x->options[0].shares + 2 * x->draws; /* the variance, sorted */
	const int64_t *a = x->options[1].shares, *b = x->options[1].shares + x->draws;
	int64_t part[2], sum_v = 0, sum_s = 0;
	for (uint64_t i = 0; i < x->draws; i++) {
		assert_int_equal(s75_alloc_split(part, v[i], bp7030, 2), 0);
		assert_int_equal(a[i], part[0]);
		assert_int_equal(b[i], part[1]);
		sum_v += v[i];
		sum_s += a[i] + b[i];
	}
	assert_int_equal(sum_s, sum_v); /* to the penny over every draw */
	s75_exposure_free(x);
	s75_agreement_free(ag);
}

/* A normal variance: P90 within its Monte Carlo error of the analytic z90 * sigma at 10^6
 * draws (shared by contributions). Standard error of a quantile: sqrt(q (1 - q) / n) / f(x_q) = 0.0003 / (phi(1.2816)
 * / sigma) = 0.00171 sigma; we allow four of them. */
static void test_normal_p90(void **st)
{
	(void)st;
	s75_agreement *ag = load_case("riskshare-contributions"); /* one band: the quickest rule */
	double sigma = 1000000.0; /* £10,000 */
	int64_t p90 = llround(1.2815515655446004 * sigma);
	s75_exposure *x = run(ag, -p90, 0, p90, 1000000, 2, NULL, 0);
	assert_true(llabs(x->variance.p90 - p90) < (long long)(4 * 0.00171 * sigma));
	assert_true(llabs(x->variance.mean) < (long long)(4 * sigma / 1000.0));
	assert_true(llabs(x->variance.p50) < (long long)(4 * 0.0005 * 2.5066 * sigma)); /* sqrt(.25/n)/phi(0) */
	assert_int_equal(x->elements[0].sd_low, (int64_t)sigma);
	/* about half the draws overspend: 4 standard errors of 0.0005 */
	assert_true(fabs((double)x->overspends / 1e6 - 0.5) < 0.002);
	s75_exposure_free(x);
	s75_agreement_free(ag);
}

/* The icb's cap of £600 is never exceeded, and binds exactly when its uncapped share would
 * pass it: the first £1,000 gives it £500, then 2/9 of the rest, so from an overspend of
 * £1,450 on (500 + 450 x 2/9 = 600). */
static void test_caps_never_exceeded(void **st)
{
	(void)st;
	s75_agreement *ag = load();
	s75_exposure *x = run(ag, -100000, 100000, 400000, 50000, 2, NULL, 0);
	const int64_t *icb = x->options[0].shares + x->draws, *v = x->options[0].shares + 2 * x->draws;
	uint64_t over = 0;
	for (uint64_t i = 0; i < x->draws; i++) {
		assert_true(icb[i] <= 60000);
		over += v[i] > 145000;
	}
	assert_true(x->options[0].has_cap[1]);
	assert_false(x->options[0].has_cap[0]);
	/* binds exactly when the variance passes £1,450 (to within the draws at £1,450 itself) */
	assert_true(x->options[0].cap_binds[1] <= over && over - x->options[0].cap_binds[1] < 10);
	assert_int_equal(x->options[0].share[1].max, 60000);
	s75_exposure_free(x);
	s75_agreement_free(ag);
}

/* The same seed on 1 and 2 threads: identical draws and shares. */
static void test_threads_identical(void **st)
{
	(void)st;
	s75_agreement *ag = load();
	int64_t bp6040[2] = {6000, 4000};
	const int64_t *bp[1] = {bp6040};
	s75_exposure *a = run(ag, -100000, 50000, 300000, 30001, 1, bp, 1);
	s75_exposure *b = run(ag, -100000, 50000, 300000, 30001, 2, bp, 1);
	for (size_t i = 0; i < 2; i++)
		assert_memory_equal(a->options[i].shares, b->options[i].shares,
				    (2 + !i) * a->draws * sizeof(int64_t));
	assert_memory_equal(&a->variance, &b->variance, sizeof(a->variance));
	assert_int_equal(a->overspends, b->overspends);
	assert_int_equal(a->options[0].cap_binds[1], b->options[0].cap_binds[1]);
	s75_exposure_free(a);
	s75_exposure_free(b);
	s75_agreement_free(ag);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_quantile),
		cmocka_unit_test(test_proportional_scaled_exactly),
		cmocka_unit_test(test_normal_p90),
		cmocka_unit_test(test_caps_never_exceeded),
		cmocka_unit_test(test_threads_identical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
