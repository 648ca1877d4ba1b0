#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

/* A pool built in memory: np partners, ne elements, two cost centres per element. */
enum { MAXP = 4, MAXE = 4, MAXB = 3 };

typedef struct world {
	s75_agreement ag;
	s75_partner partners[MAXP];
	s75_arrangement pool;
	s75_element elements[MAXE];
	s75_cost_centre ccs[MAXE * 2];
	int64_t contribution[MAXE * MAXP];
	int64_t ev[MAXE], cv[MAXE * 2];
	s75_rs_rule rule;
	s75_rs_band over[MAXB], under[MAXB];
	int64_t ratios[MAXB][MAXP], caps[MAXB][MAXP];
	bool ring[MAXE];
	size_t np, ne;
} world;

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}
static int64_t rnd(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next() % (uint64_t)(hi - lo + 1));
}

static const char *const ids[] = {"a", "b", "c", "d"};

static void make_world(world *w, bool caps, bool only_proportional)
{
	memset(w, 0, sizeof(*w));
	w->np = (size_t)rnd(2, MAXP);
	w->ne = (size_t)rnd(1, MAXE);
	for (size_t p = 0; p < w->np; p++) {
		w->partners[p].id = ids[p];
		w->partners[p].name = ids[p];
	}
	w->pool.id = "pool";
	w->pool.kind = S75_ARR_POOLED_FUND;
	w->pool.elements = w->elements;
	w->pool.nelements = w->ne;
	for (size_t e = 0; e < w->ne; e++) {
		w->elements[e].id = ids[e];
		w->elements[e].lead = (int)(next() % w->np);
		for (int k = 0; k < 2; k++) {
			s75_cost_centre *c = &w->ccs[e * 2 + (size_t)k];
			c->code = ids[k];
			c->pool = 0;
			c->element = (int)e;
			c->partner = (int)(next() % w->np);
		}
		for (size_t p = 0; p < w->np; p++)
			w->contribution[e * w->np + p] = (next() & 3) ? rnd(0, 100000000) : 0;
		w->contribution[e * w->np] += 1; /* every element has a funder */
	}
	w->ag.partners = w->partners;
	w->ag.npartners = w->np;
	w->ag.arrangements = &w->pool;
	w->ag.narrangements = 1;
	w->ag.cost_centres = w->ccs;
	w->ag.ncost_centres = w->ne * 2;
	w->rule.pool = 0;
	w->rule.ring_fenced = w->ring;
	for (size_t e = 0; e < w->ne && !only_proportional; e++)
		w->ring[e] = (next() % 5) == 0;
	for (int side = 0; side < 2; side++) {
		s75_rs_band *bands = side ? w->under : w->over;
		size_t nb = (size_t)rnd(1, MAXB);
		int64_t up = 0;
		for (size_t i = 0; i < nb; i++) {
			s75_rs_band *b = &bands[i];
			int m = only_proportional ? (int)(next() % 2) : (int)(next() % (side ? 6 : 5));
			b->method = (s75_rs_method)m;
			b->by_element = m == S75_RS_CONTRIBUTIONS && !only_proportional && (next() & 1);
			b->partner = (int)(next() % w->np);
			b->ratio_bp = w->ratios[side * 0 + i];
			b->cap = w->caps[i];
			if (!side) {
				int64_t left = 10000;
				for (size_t p = 0; p < w->np; p++) {
					int64_t r = p + 1 < w->np ? rnd(0, left) : left;
					w->ratios[i][p] = r;
					left -= r;
				}
				for (size_t p = 0; p < w->np; p++)
					w->caps[i][p] = caps && p > 0 && (next() & 1) ? rnd(0, 30000000) : -1;
			}
			up += rnd(1, 50000000);
			b->bounded = i + 1 < nb;
			b->up_to = up;
		}
		if (side) {
			w->rule.under = bands;
			w->rule.nunder = nb;
		} else {
			w->rule.over = bands;
			w->rule.nover = nb;
		}
	}
}

static void set_variance(world *w, int64_t total)
{
	/* spread `total` over elements and cost centres, with some of the other sign */
	int64_t wts[MAXE], parts[MAXE];
	for (size_t e = 0; e < w->ne; e++)
		wts[e] = rnd(1, 100);
	assert_int_equal(s75_alloc_split(parts, total, wts, w->ne), 0);
	for (size_t e = 0; e < w->ne; e++) {
		int64_t noise = rnd(-1000000, 1000000);
		w->ev[e] = parts[e];
		w->cv[e * 2] = parts[e] / 2 + noise;
		w->cv[e * 2 + 1] = parts[e] - parts[e] / 2 - noise;
	}
}

static s75_rs_result *apply(world *w, const s75_saving *sv, size_t nsv, int aligned)
{
	s75_rs_input in = {&w->ag, 2017, 0, &w->rule, w->ev, w->cv, w->contribution, sv, nsv, aligned};
	s75_rs_result *r = NULL;
	int rc = s75_riskshare_apply(&r, &in);
	if (rc && rc != S75_EINVALID)
		fail_msg("riskshare: %s", s75_error_last());
	return r;
}

static void test_conservation_and_caps(void **st)
{
	(void)st;
	for (int iter = 0; iter < 20000; iter++) {
		world w;
		make_world(&w, true, false);
		int64_t total = rnd(-200000000, 200000000);
		set_variance(&w, total);
		s75_saving sv = {0, 0, (int)(next() % w.np), rnd(0, 5000000), 0, (next() & 1) != 0, NULL, {0, 0}, NULL, {0}};
		sv.delivery = rnd(0, sv.amount);
		s75_rs_result *r = apply(&w, &sv, 1, (int)rnd(0, 12) * ((next() & 3) == 0));
		if (!r)
			continue; /* caps that leave an amount nobody can carry: an error, not a wrong split */
		int64_t sum = -r->reserve;
		for (size_t p = 0; p < w.np; p++)
			sum += r->share[p];
		assert_int_equal(sum, total);
		assert_int_equal(r->variance, total);
		/* each step sums to what it shares */
		for (size_t i = 0; i < r->nsteps; i++) {
			int64_t s = -r->steps[i].to_reserve;
			for (size_t p = 0; p < w.np; p++)
				s += r->steps[i].by_partner[p];
			assert_int_equal(s, r->steps[i].amount);
		}
		/* caps: a partner's cumulative share of the overspend bands never exceeds a cap */
		int64_t cum[MAXP] = {0};
		size_t band = 0;
		for (size_t i = 0; i < r->nsteps; i++) {
			if (strncmp(r->steps[i].what, "band ", 5) || r->steps[i].amount <= 0)
				continue;
			for (size_t p = 0; p < w.np; p++) {
				cum[p] += r->steps[i].by_partner[p];
				/* which band: the n in "band n" */
				band = (size_t)atoi(r->steps[i].what + 5) - 1;
				if (w.over[band].cap[p] >= 0 && r->steps[i].by_partner[p] > 0)
					assert_true(cum[p] <= w.over[band].cap[p]);
			}
		}
		s75_rs_result_free(r);
	}
}

static void test_monotone(void **st)
{
	(void)st;
	for (int iter = 0; iter < 5000; iter++) {
		world w;
		make_world(&w, false, true);
		w.ne = 1; /* one element: the overspend grows as a whole */
		w.pool.nelements = 1;
		w.ag.ncost_centres = 2;
		w.rule.nover = 1; /* one band: contributions or fixed ratios */
		w.over[0].bounded = false;
		int64_t v = rnd(0, 100000000), more = v + rnd(1, 100000000);
		set_variance(&w, v);
		s75_rs_result *a = apply(&w, NULL, 0, 0);
		set_variance(&w, more);
		s75_rs_result *b = apply(&w, NULL, 0, 0);
		assert_non_null(a);
		assert_non_null(b);
		/*
		 * Largest remainder can move a rounding penny away from a partner when the total
		 * grows (the Alabama paradox), so the property is: a share never falls by more than
		 * that penny, and never falls at all once the growth adds a whole penny to the
		 * partner's exact share.
		 */
		int64_t W = 0, wp[MAXP];
		for (size_t p = 0; p < w.np; p++) {
			const s75_rs_band *bd = &w.over[0];
			wp[p] = bd->method == S75_RS_FIXED ? bd->ratio_bp[p] : w.contribution[p];
			W += wp[p];
		}
		for (size_t p = 0; p < w.np; p++) {
			if (b->share[p] < a->share[p] - 1)
				fail_msg("partner %zu: %lld at %lld but %lld at %lld", p,
					 (long long)a->share[p], (long long)v, (long long)b->share[p],
					 (long long)more);
			__extension__ __int128 gain = (__int128)(more - v) * wp[p];
			if (gain >= W && b->share[p] < a->share[p])
				fail_msg("partner %zu lost a penny on a rise of %lld", p,
					 (long long)(more - v));
		}
		s75_rs_result_free(a);
		s75_rs_result_free(b);
	}
}

/* Cambridgeshire LDP 2022/23: £93,710k and £28,340k; an illustrative £9.8m overspend. */
static void test_cambridgeshire(void **st)
{
	(void)st;
	world w;
	make_world(&w, false, true);
	w.np = 2;
	w.ne = 1;
	w.pool.nelements = 1;
	w.ag.npartners = 2;
	w.ag.ncost_centres = 2;
	w.contribution[0] = 9371000000LL;
	w.contribution[1] = 2834000000LL;
	w.ring[0] = false;
	w.rule.over[0].method = S75_RS_CONTRIBUTIONS;
	w.rule.over[0].bounded = false;
	w.rule.over[0].cap[0] = w.rule.over[0].cap[1] = -1;
	w.rule.nover = 1;
	set_variance(&w, 980000000LL);
	s75_rs_result *r = apply(&w, NULL, 0, 0);
	/* 9,800,000.00 x 93,710 / 122,050 = 7,524,440.802949... and x 28,340 / 122,050 =
	 * 2,275,559.197050...: floors 7,524,440.80 and 2,275,559.19 leave one penny, which goes
	 * to the larger remainder (.705 of a penny, the ICB's) */
	assert_int_equal(r->share[0], 752444080LL);
	assert_int_equal(r->share[1], 227555920LL);
	s75_rs_result_free(r);
	/* 70 : 30 and 60 : 40 */
	int64_t bp[2][2] = {{7000, 3000}, {6000, 4000}};
	int64_t want[2][2] = {{686000000LL, 294000000LL}, {588000000LL, 392000000LL}};
	for (int k = 0; k < 2; k++) {
		w.rule.over[0].method = S75_RS_FIXED;
		w.rule.over[0].ratio_bp = bp[k];
		r = apply(&w, NULL, 0, 0);
		assert_int_equal(r->share[0], want[k][0]);
		assert_int_equal(r->share[1], want[k][1]);
		s75_rs_result_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conservation_and_caps),
		cmocka_unit_test(test_monotone),
		cmocka_unit_test(test_cambridgeshire),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
