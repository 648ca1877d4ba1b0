/* Budget versions (compute/budgets.c): the budget in force at a period, original and revised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "s75/s75.h"

/* A year with one cost centre (index 0) budgeted `amount` with `weights` (NULL: none set),
 * and cost centre 1 with no budget. */
typedef struct fixture {
	s75_year y;
	s75_budget b;
	int index[3];
	s75_budget_revision rev[8];
	s75_budget_revision_line line[8];
	long first[2];
	s75_budget_versions v;
} fixture;

static void setup(fixture *f, int64_t amount, const int64_t *weights)
{
	memset(f, 0, sizeof(*f));
	f->y.fy = 2017;
	f->b.cost_centre = 0;
	f->b.amount = amount;
	for (int i = 0; i < 12; i++)
		f->b.weights[i] = weights ? weights[i] : 1;
	f->y.budgets = &f->b;
	f->y.nbudgets = 1;
	f->index[0] = 0;
	f->index[1] = f->index[2] = -1;
	f->y.budget_index = f->index;
	f->first[0] = f->first[1] = -1;
	f->v.fy = 2017;
	f->v.revisions = f->rev;
	f->v.lines = f->line;
	f->v.first_line = f->first;
	f->v.ncost_centres = 2;
	f->v.upto = 12;
}

/* Revision number n (from 1), of cost centre `cc`, to `amount` from period `from`. */
static void revise(fixture *f, int cc, int from, int64_t amount)
{
	size_t k = f->v.nrevisions++;
	f->rev[k].number = (int)k + 1;
	f->rev[k].from = from;
	f->rev[k].first = f->v.nlines;
	f->rev[k].nlines = 1;
	s75_budget_revision_line *l = &f->line[f->v.nlines];
	l->revision = k;
	l->cost_centre = cc;
	l->amount = amount;
	l->next = -1;
	l->previous = s75_budget_annual(&f->v, &f->y, cc, 12);
	if (f->first[cc] < 0) {
		f->first[cc] = (long)f->v.nlines;
	} else {
		long x = f->first[cc];
		while (f->line[x].next >= 0)
			x = f->line[x].next;
		f->line[x].next = (long)f->v.nlines;
	}
	f->v.nlines++;
}

/* The worked example of e2e budget-revision-beside-original. */
static void test_worked_example(void **st)
{
	(void)st;
	fixture f;
	setup(&f, 120000, NULL);
	revise(&f, 0, 6, 132000);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 5), 50000);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 6), 61714);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 7), 73429);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 12), 132000);
	assert_int_equal(s75_budget_annual(&f.v, &f.y, 0, 5), 120000);
	assert_int_equal(s75_budget_annual(&f.v, &f.y, 0, 6), 132000);
	revise(&f, 0, 9, 140000);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 9), 98857);
	assert_int_equal(s75_budget_annual(&f.v, &f.y, 0, 8), 132000);
	assert_int_equal(s75_budget_versions_in_force(&f.v, 8), 1);
	/* as it stood at P8: the second not in force, however far the year goes */
	f.v.upto = 8;
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 12), 132000);
	assert_int_equal(s75_budget_annual(&f.v, &f.y, 0, 12), 132000);
	/* no versions: the original */
	assert_int_equal(s75_budget_version_to_date(NULL, &f.y, 0, 6), 60000);
}

/* Halves away from zero; no original budget, or weights of nothing in the rest of the year:
 * the change spread evenly. */
static void test_halves_and_no_weights(void **st)
{
	(void)st;
	fixture f;
	const int64_t w[12] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
	setup(&f, 1000, w);
	revise(&f, 1, 11, 1); /* cost centre 1 has no original: 1p over P11, P12 */
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 1, 10), 0);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 1, 11), 1);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 1, 12), 1);
	revise(&f, 0, 11, 999); /* -1p over P11, P12, whose weights are 0: evenly */
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 10), 1000);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 11), 999);
	assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 12), 999);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Whatever the revisions: the periods before each keep their figures, P12 is the last
 * revised budget, and the months sum to it. */
static void test_revisions_keep_earlier_periods(void **st)
{
	(void)st;
	for (int iter = 0; iter < 20000; iter++) {
		fixture f, g;
		int64_t w[12];
		for (int i = 0; i < 12; i++)
			w[i] = (int64_t)(next() % 4);
		if (next() % 3 == 0)
			w[next() % 12] += 1; /* never all zero */
		int64_t sum = 0;
		for (int i = 0; i < 12; i++)
			sum += w[i];
		if (!sum)
			w[0] = 1;
		setup(&f, (int64_t)(next() % 100000000), w);
		int n = 1 + (int)(next() % 4), from = 1;
		for (int k = 0; k < n; k++) {
			g = f; /* before this revision */
			g.v.revisions = g.rev;
			g.v.lines = g.line;
			g.v.first_line = g.first;
			from += (int)(next() % 4);
			if (from > 12)
				from = 12;
			int64_t amount = (int64_t)(next() % 100000000) - 20000000;
			revise(&f, 0, from, amount);
			for (int p = 0; p < from; p++)
				assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, p),
						 s75_budget_version_to_date(&g.v, &g.y, 0, p));
			assert_int_equal(s75_budget_version_to_date(&f.v, &f.y, 0, 12), amount);
			int64_t months = 0;
			for (int p = 1; p <= 12; p++)
				months += s75_budget_version_to_date(&f.v, &f.y, 0, p) -
					  s75_budget_version_to_date(&f.v, &f.y, 0, p - 1);
			assert_int_equal(months, amount);
		}
	}
}

static void test_version_names(void **st)
{
	(void)st;
	s75_budget_version v;
	assert_int_equal(s75_budget_version_parse(&v, "latest"), 0);
	assert_int_equal(v, S75_BV_LATEST);
	assert_string_equal(s75_budget_version_name(S75_BV_REVISED), "revised");
	assert_int_equal(s75_budget_version_parse(&v, "final"), S75_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_halves_and_no_weights),
		cmocka_unit_test(test_revisions_keep_earlier_periods),
		cmocka_unit_test(test_version_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
