#include <stdlib.h>

#include "s75/alloc.h"
#include "s75/contrib.h"
#include "s75/error.h"
#include "s75/variation.h"
#include "xalloc.h"

int s75_amounts_add(s75_amounts *a, const s75_amounts *b)
{
	if (__builtin_add_overflow(a->gross, b->gross, &a->gross) ||
	    __builtin_add_overflow(a->income, b->income, &a->income) ||
	    __builtin_add_overflow(a->grants, b->grants, &a->grants) ||
	    __builtin_add_overflow(a->net, b->net, &a->net))
		return s75_error_set(S75_EOVERFLOW, "contribution totals out of range");
	return 0;
}

/* Shares of the positive nets; a pool whose net is not positive has no shares. */
static bool shares(int64_t *out, const s75_amounts *by, const bool *in, size_t n)
{
	int64_t *w = xcalloc(n, sizeof(*w));
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		if (in && !in[i])
			continue;
		if (by[i].net < 0)
			ok = false;
		w[i] = by[i].net;
	}
	if (!ok || s75_alloc_shares_bp(out, w, n)) {
		for (size_t i = 0; i < n; i++)
			out[i] = 0;
		ok = false;
	}
	free(w);
	return ok;
}

int s75_contrib_schedule_build(s75_contrib_schedule **out, const s75_agreement *ag, int fy)
{
	return s75_contrib_schedule_build_at(out, ag, fy, s75_fy_end(fy));
}

int s75_contrib_schedule_build_at(s75_contrib_schedule **out, const s75_agreement *ag, int fy,
				  s75_date as_of)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	size_t np = ag->npartners, nyc = 0;
	s75_contribution *yc = NULL;
	int rc = 0;

	*out = NULL;
	if (!y) {
		char buf[8];
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s",
				     s75_fy_format(buf, fy));
	}
	if ((rc = s75_year_contributions_at(&yc, &nyc, ag, y, as_of)))
		return rc;
	s75_contrib_schedule *s = xcalloc(1, sizeof(*s));
	s->fy = fy;
	s->as_of = as_of;
	s->year = y;
	s->npartners = np;
	s->by_partner = xcalloc(np, sizeof(s75_amounts));
	s->share_bp = xcalloc(np, sizeof(int64_t));
	s->pools = xcalloc(ag->narrangements + 1, sizeof(s75_contrib_pool));
	for (size_t i = 0; i < ag->narrangements; i++) {
		const s75_arrangement *a = &ag->arrangements[i];
		if (a->kind != S75_ARR_POOLED_FUND)
			continue;
		s75_contrib_pool *p = &s->pools[s->npools++];
		p->pool = (int)i;
		p->nelements = a->nelements;
		p->elements = xcalloc(a->nelements + 1, sizeof(s75_contrib_element));
		p->by_partner = xcalloc(np, sizeof(s75_amounts));
		p->contributes = xcalloc(np, sizeof(bool));
		p->share_bp = xcalloc(np, sizeof(int64_t));
		for (size_t e = 0; e < a->nelements; e++) {
			p->elements[e].element = (int)e;
			p->elements[e].by_partner = xcalloc(np, sizeof(s75_amounts));
			p->elements[e].has = xcalloc(np, sizeof(bool));
		}
	}
	for (size_t k = 0; k < nyc; k++) {
		const s75_contribution *c = &yc[k];
		s75_contrib_pool *p = NULL;
		for (size_t i = 0; i < s->npools; i++)
			if (s->pools[i].pool == c->pool)
				p = &s->pools[i];
		if (!p)
			continue;
		s75_amounts a = {c->gross, c->income, c->grants, c->net};
		s75_contrib_element *e = &p->elements[c->element];
		e->has[c->partner] = true;
		p->contributes[c->partner] = true;
		if ((rc = s75_amounts_add(&e->by_partner[c->partner], &a)) ||
		    (rc = s75_amounts_add(&e->total, &a)) ||
		    (rc = s75_amounts_add(&p->by_partner[c->partner], &a)) ||
		    (rc = s75_amounts_add(&p->total, &a)) ||
		    (rc = s75_amounts_add(&s->by_partner[c->partner], &a)) ||
		    (rc = s75_amounts_add(&s->total, &a)))
			goto fail;
	}
	for (size_t i = 0; i < s->npools; i++) {
		s75_contrib_pool *p = &s->pools[i];
		p->shares_valid = shares(p->share_bp, p->by_partner, p->contributes, np);
	}
	s->shares_valid = shares(s->share_bp, s->by_partner, NULL, np);
	free(yc);
	*out = s;
	return 0;
fail:
	free(yc);
	s75_contrib_schedule_free(s);
	return rc;
}

void s75_contrib_schedule_free(s75_contrib_schedule *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npools; i++) {
		s75_contrib_pool *p = &s->pools[i];
		for (size_t e = 0; e < p->nelements; e++) {
			free(p->elements[e].by_partner);
			free(p->elements[e].has);
		}
		free(p->elements);
		free(p->by_partner);
		free(p->contributes);
		free(p->share_bp);
	}
	free(s->pools);
	free(s->by_partner);
	free(s->share_bp);
	free(s);
}

int64_t s75_contrib_due_to_date(int64_t net, int quarter)
{
	int64_t inst[4], w[4] = {1, 1, 1, 1}, due = 0;
	s75_alloc_split(inst, net, w, 4);
	for (int q = 0; q < quarter && q < 4; q++)
		due += inst[q];
	return due;
}
