/* What is in force on a day: a year's schedule plus the variations of the year effective
 * on or before it (contributions, risk share, KPIs). */
#include <stdlib.h>
#include <string.h>

#include "s75/error.h"
#include "s75/governance.h"
#include "s75/variation.h"
#include "xalloc.h"

/* Whether variation `b` comes after `a`: by effective date, then by place in the file. */
static bool later(const s75_variation *a, const s75_variation *b)
{
	return b->effective > a->effective || (b->effective == a->effective && b > a);
}

static int add_change(s75_contribution *c, const s75_var_contribution *v)
{
	if (__builtin_add_overflow(c->gross, v->gross, &c->gross) ||
	    __builtin_add_overflow(c->income, v->income, &c->income) ||
	    __builtin_add_overflow(c->grants, v->grants, &c->grants) ||
	    __builtin_add_overflow(c->net, v->net, &c->net))
		return s75_error_set(S75_EOVERFLOW, "contribution out of range after variations");
	return 0;
}

int s75_year_contributions_at(s75_contribution **out, size_t *n, const s75_agreement *ag,
                              const s75_year *y, s75_date date)
{
	size_t nv = 0, extra = 0, k = y->ncontributions;
	const s75_variation *v = s75_agreement_variations(ag, &nv);
	int rc = 0;
	for (size_t i = 0; i < nv; i++)
		if (v[i].fy == y->fy && v[i].effective <= date)
			extra += v[i].ncontributions;
	s75_contribution *c = xcalloc(y->ncontributions + extra + 1, sizeof(*c));
	if (y->ncontributions)
		memcpy(c, y->contributions, y->ncontributions * sizeof(*c));
	for (size_t i = 0; i < nv; i++) {
		if (v[i].fy != y->fy || v[i].effective > date)
			continue;
		for (size_t j = 0; j < v[i].ncontributions; j++) {
			const s75_var_contribution *x = &v[i].contributions[j];
			size_t at = 0;
			while (at < k && !(c[at].pool == x->pool && c[at].element == x->element &&
			                   c[at].partner == x->partner))
				at++;
			if (at == k) {
				/* a line the schedule does not have */
				memset(&c[k], 0, sizeof(c[k]));
				c[k].pool = x->pool;
				c[k].element = x->element;
				c[k].partner = x->partner;
				c[k].basis =
				    y->partner_basis ? y->partner_basis[x->partner] : c[k].basis;
				c[k].note = v[i].description;
				c[k].pos = x->pos;
				k++;
			}
			if ((rc = add_change(&c[at], x))) {
				free(c);
				*out = NULL;
				*n = 0;
				return rc;
			}
		}
	}
	*out = c;
	*n = k;
	return 0;
}

int s75_contribution_at(s75_contribution *out, const s75_agreement *ag, int pool, int element,
                        int partner, s75_date date)
{
	int fy = s75_fy_of_date(date);
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_contribution *c;
	size_t n;
	int rc;
	char buf[8];
	if (!y)
		return s75_error_set(S75_ENOTFOUND, "the agreement has no schedule for %s",
		                     s75_fy_format(buf, fy));
	if ((rc = s75_year_contributions_at(&c, &n, ag, y, date)))
		return rc;
	rc = s75_error_set(S75_ENOTFOUND, "no contribution of that partner to that element in %s",
	                   s75_fy_format(buf, fy));
	for (size_t i = 0; i < n; i++)
		if (c[i].pool == pool && c[i].element == element && c[i].partner == partner) {
			*out = c[i];
			rc = 0;
			break;
		}
	if (!rc)
		s75_error_clear();
	free(c);
	return rc;
}

const s75_rs_rule *s75_year_risk_share_at(const s75_agreement *ag, const s75_year *y, int pool,
                                          s75_date date)
{
	size_t nv;
	const s75_variation *v = s75_agreement_variations(ag, &nv), *best = NULL;
	const s75_rs_rule *rule = s75_year_find_risk_share(y, pool);
	for (size_t i = 0; i < nv; i++) {
		if (v[i].fy != y->fy || v[i].effective > date || (best && !later(best, &v[i])))
			continue;
		for (size_t j = 0; j < v[i].nrisk_share; j++)
			if (v[i].risk_share[j].pool == pool) {
				rule = &v[i].risk_share[j];
				best = &v[i];
			}
	}
	return rule;
}

s75_kpi s75_kpi_at(const s75_agreement *ag, int kpi, s75_date date)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	s75_kpi k = g->kpis[kpi];
	size_t nv;
	const s75_variation *v = s75_agreement_variations(ag, &nv);
	/* applied in effective order, so that the latest change of each field wins */
	const s75_variation **order = xcalloc(nv + 1, sizeof(*order));
	size_t no = 0;
	for (size_t i = 0; i < nv; i++) {
		if (v[i].effective > date)
			continue;
		size_t at = no;
		while (at > 0 && later(&v[i], order[at - 1]))
			at--;
		memmove(&order[at + 1], &order[at], (no - at) * sizeof(*order));
		order[at] = &v[i];
		no++;
	}
	for (size_t i = 0; i < no; i++)
		for (size_t j = 0; j < order[i]->nkpis; j++) {
			const s75_var_kpi *x = &order[i]->kpis[j];
			if (x->kpi != kpi)
				continue;
			if (x->set_target) {
				k.has_target = true;
				k.target = x->target;
				k.has_target_date = x->set_target_date;
				k.target_date = x->target_date;
			}
			if (x->set_tolerance)
				k.tolerance = x->tolerance;
			if (x->set_baseline) {
				k.has_baseline = true;
				k.baseline = x->baseline;
				k.baseline_period = x->baseline_period;
			}
		}
	free(order);
	return k;
}
