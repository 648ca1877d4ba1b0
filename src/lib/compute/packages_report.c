/* What the package register tells the partners: the commitment it adds to the monitoring
 * forecast, the register summarised at a date, and what ending a pool would mean for each
 * partner beside the agreement's risk share (docs/packages.md). */
#include <stdlib.h>
#include <string.h>

#include "s75/alloc.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/packages.h"
#include "s75/riskshare.h"
#include "xalloc.h"

/*
 * Adds `amount`, one partner's part of the packages of an element that named no cost
 * centre, to that element's cost centres of the partner (all of the element's if it has
 * none), pro rata to their budgets in `y` (equally when none has a budget).
 */
static int attribute(int64_t *out, const s75_agreement *ag, const s75_year *y, int pool,
		     int element, int partner, int64_t amount)
{
	size_t nc = ag->ncost_centres;
	int64_t *w = xcalloc(nc + 1, sizeof(int64_t)), *parts = xcalloc(nc + 1, sizeof(int64_t));
	bool *in = xcalloc(nc + 1, sizeof(bool));
	bool any = false, anyw = false;
	int rc = 0;
	for (int pass = 0; pass < 2 && !any; pass++)
		for (size_t c = 0; c < nc; c++) {
			const s75_cost_centre *cc = &ag->cost_centres[c];
			in[c] = cc->pool == pool && cc->element == element &&
				(pass || cc->partner == partner);
			any |= in[c];
		}
	for (size_t c = 0; c < nc; c++) {
		const s75_budget *b = in[c] && y ? s75_year_find_budget(y, (int)c) : NULL;
		w[c] = b && b->amount > 0 ? b->amount : 0;
		anyw |= w[c] > 0;
	}
	for (size_t c = 0; c < nc && !anyw; c++)
		w[c] = in[c];
	/* an element with no cost centres has no line in the monitoring report */
	if (any && amount && !(rc = s75_alloc_split(parts, amount, w, nc)))
		for (size_t c = 0; c < nc && !rc; c++)
			if (__builtin_add_overflow(out[c], parts[c], &out[c]))
				rc = s75_error_set(S75_EOVERFLOW, "package commitment out of range");
	free(w);
	free(parts);
	free(in);
	return rc;
}

static int add(int64_t *to, int64_t v)
{
	if (__builtin_add_overflow(*to, v, to))
		return s75_error_set(S75_EOVERFLOW, "package totals out of range");
	return 0;
}

/* Adds a side's part to its partner's entry; a side with no partner has no part. */
static int add_part(int64_t *by_partner, int partner, int64_t v)
{
	if (partner < 0)
		return v ? s75_error_set(S75_EINVALID, "a package's share has no partner") : 0;
	return add(&by_partner[partner], v);
}

/* Index of each pool's first element in one array over all pools' elements. */
static size_t *element_offsets(const s75_agreement *ag, size_t *total)
{
	size_t *off = xcalloc(ag->narrangements + 1, sizeof(size_t)), n = 0;
	for (size_t a = 0; a < ag->narrangements; a++) {
		off[a] = n;
		n += ag->arrangements[a].nelements;
	}
	*total = n;
	return off;
}

/*
 * Per cost centre, the costs of packages folded in one at a time: a package's whole cost
 * to its own cost centre, else each side's part to its element and partner, attributed at
 * the end by attribute().
 */
typedef struct cc_fold {
	int64_t *out; /* per cost centre */
	size_t np, *off;
	int64_t *acc; /* [(element offset + element) * np + partner] */
} cc_fold;

static void cc_fold_init(cc_fold *f, const s75_agreement *ag, int64_t *out)
{
	size_t ne;
	f->out = out;
	f->np = ag->npartners;
	f->off = element_offsets(ag, &ne);
	f->acc = xcalloc(ne * f->np + 1, sizeof(int64_t));
}

static int cc_fold_add(cc_fold *f, const s75_package *p, const s75_package_cost *c)
{
	int rc;
	if (p->cost_centre >= 0) {
		if (__builtin_add_overflow(f->out[p->cost_centre], c->net, &f->out[p->cost_centre]))
			return s75_error_set(S75_EOVERFLOW, "package costs out of range");
		return 0;
	}
	int64_t *a = &f->acc[(f->off[p->pool] + (size_t)p->element) * f->np];
	if ((rc = add_part(a, p->health_partner, c->health)))
		return rc;
	return add_part(a, p->social_partner, c->social);
}

/* Attributes what each element's partners carry (when `ag`) and frees the fold. */
static int cc_fold_finish(cc_fold *f, const s75_agreement *ag, const s75_year *y)
{
	int rc = 0;
	for (size_t a = 0; ag && a < ag->narrangements && !rc; a++)
		for (size_t e = 0; e < ag->arrangements[a].nelements && !rc; e++)
			for (size_t q = 0; q < f->np && !rc; q++) {
				int64_t v = f->acc[(f->off[a] + e) * f->np + q];
				if (v)
					rc = attribute(f->out, ag, y, (int)a, (int)e, (int)q, v);
			}
	free(f->acc);
	free(f->off);
	f->acc = NULL;
	f->off = NULL;
	return rc;
}

int s75_packages_commitment(int64_t *out, s75_db *db, const s75_agreement *ag, s75_period period)
{
	s75_package_cursor *cur = NULL;
	const s75_package *p;
	s75_date from = s75_period_end(period) + 1, to = s75_fy_end(period.fy);
	bool any = false;
	cc_fold f;
	int rc;

	memset(out, 0, ag->ncost_centres * sizeof(int64_t));
	for (size_t a = 0; a < ag->narrangements; a++)
		for (size_t e = 0; e < ag->arrangements[a].nelements; e++)
			any |= ag->arrangements[a].elements[e].forecast_default == S75_FORECAST_PACKAGES;
	if (!any || from > to)
		return 0;
	if ((rc = s75_package_cursor_new(&cur, db, ag)))
		return rc;
	cc_fold_init(&f, ag, out);
	while (!(rc = s75_package_cursor_next(&p, cur)) && p) {
		s75_package_cost c;
		if (ag->arrangements[p->pool].elements[p->element].forecast_default !=
		    S75_FORECAST_PACKAGES)
			continue;
		if ((rc = s75_package_cost_range(&c, p, from, to)) || (rc = cc_fold_add(&f, p, &c)))
			break;
	}
	int frc = cc_fold_finish(&f, rc ? NULL : ag, s75_agreement_find_year(ag, period.fy));
	s75_package_cursor_free(cur);
	return rc ? rc : frc;
}

int s75_packages_overdue_reviews(long *out, s75_db *db, const s75_agreement *ag, int pool,
				 s75_date on)
{
	s75_package_cursor *cur = NULL;
	const s75_package *p;
	int rc = s75_package_cursor_new(&cur, db, ag);
	*out = 0;
	while (!rc && !(rc = s75_package_cursor_next(&p, cur)) && p)
		if ((pool < 0 || p->pool == pool) && s75_package_active_on(p, on) &&
		    p->next_review < on)
			(*out)++;
	s75_package_cursor_free(cur);
	if (rc)
		*out = 0;
	return rc;
}

static int group_add(s75_pkg_group *g, int64_t v)
{
	g->packages++;
	return add(&g->annual, v);
}

/* A list of rows whose strings go into one buffer; pointed to once the list is complete. */
typedef struct row_list {
	s75_pkg_row *v;
	size_t n, alloc;
} row_list;

static void row_add(row_list *l, s75_buf *strings, const s75_package *p,
		    const s75_package_terms *t, const s75_package_cost *c)
{
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	s75_pkg_row *r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	r->id_off = strings->len;
	s75_buf_add(strings, p->id, strlen(p->id) + 1);
	r->person_off = strings->len;
	s75_buf_add(strings, p->person, strlen(p->person) + 1);
	r->pool = p->pool;
	r->element = p->element;
	r->health_partner = p->health_partner;
	r->social_partner = p->social_partner;
	r->next_review = p->next_review;
	r->last_review = p->last_review;
	r->has_last_review = p->has_last_review;
	r->funding = t->funding;
	r->health_bp = t->health_bp;
	r->annual = *c;
}

static void rows_point(row_list *l, const char *strings)
{
	for (size_t i = 0; i < l->n; i++) {
		l->v[i].id = strings + l->v[i].id_off;
		l->v[i].person = strings + l->v[i].person_off;
	}
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Oldest review first, then package id: the rows came in order of package id, so a stable
 * sort by review date alone gives that order (a counting sort: no string is compared; for
 * dates spread over centuries, integer keys of date and place). */
static void sort_by_review(row_list *l)
{
	if (l->n < 2)
		return;
	s75_date lo = l->v[0].next_review, hi = lo;
	for (size_t i = 1; i < l->n; i++) {
		if (l->v[i].next_review < lo)
			lo = l->v[i].next_review;
		if (l->v[i].next_review > hi)
			hi = l->v[i].next_review;
	}
	size_t range = (size_t)((int64_t)hi - lo) + 1;
	s75_pkg_row *v = xcalloc(l->n, sizeof(*v));
	if (range > 4 * l->n + 65536) {
		uint64_t *key = xcalloc(l->n, sizeof(uint64_t));
		for (size_t i = 0; i < l->n; i++)
			key[i] = (uint64_t)((int64_t)l->v[i].next_review - lo) << 32 | (uint32_t)i;
		qsort(key, l->n, sizeof(uint64_t), by_key);
		for (size_t i = 0; i < l->n; i++)
			v[i] = l->v[key[i] & 0xFFFFFFFFu];
		free(key);
		free(l->v);
		l->v = v;
		l->alloc = l->n;
		return;
	}
	size_t *at = xcalloc(range + 1, sizeof(size_t));
	for (size_t i = 0; i < l->n; i++)
		at[(size_t)((int64_t)l->v[i].next_review - lo) + 1]++;
	for (size_t d = 1; d <= range; d++)
		at[d] += at[d - 1];
	for (size_t i = 0; i < l->n; i++)
		v[at[(size_t)((int64_t)l->v[i].next_review - lo)]++] = l->v[i];
	free(at);
	free(l->v);
	l->v = v;
	l->alloc = l->n;
}

int s75_packages_report_build(s75_packages_report **out, s75_db *db, const s75_agreement *ag,
			      int pool, s75_date on, bool lists)
{
	s75_packages_report *r = xcalloc(1, sizeof(*r));
	s75_package_cursor *cur = NULL;
	const s75_package *p;
	s75_buf strings = S75_BUF_INIT;
	row_list overdue = {0}, due = {0};
	int rc;
	*out = NULL;
	r->on = on;
	r->pool = pool;
	r->days = s75_year_days_from(on);
	r->npartners = ag->npartners;
	r->by_partner = xcalloc(ag->npartners + 1, sizeof(s75_pkg_group));
	if ((rc = s75_package_cursor_new(&cur, db, ag)))
		goto fail;
	while (!(rc = s75_package_cursor_next(&p, cur)) && p) {
		s75_package_cost c;
		if ((pool >= 0 && p->pool != pool) || !s75_package_active_on(p, on))
			continue;
		const s75_package_terms *t = s75_package_terms_on(p, on);
		if ((rc = s75_package_annual_cost(&c, p, on)))
			goto fail;
		r->packages++;
		if ((rc = add(&r->gross, c.gross)) || (rc = add(&r->client, c.client)) ||
		    (rc = add(&r->net, c.net)) || (rc = group_add(&r->by_funding[t->funding], c.net)) ||
		    (rc = group_add(&r->by_service[p->service], c.net)))
			goto fail;
		/* a partner counts a package it pays any part of */
		if (p->health_partner >= 0 && (t->health_bp > 0 || c.health) &&
		    (rc = group_add(&r->by_partner[p->health_partner], c.health)))
			goto fail;
		if (p->social_partner >= 0 && (t->health_bp < 10000 || c.social) &&
		    (rc = group_add(&r->by_partner[p->social_partner], c.social)))
			goto fail;
		if (p->next_review < on) {
			r->noverdue++;
			if (lists)
				row_add(&overdue, &strings, p, t, &c);
			rc = add(&r->overdue_annual, c.net);
		} else if (p->next_review <= on + 90) {
			r->ndue++;
			if (lists)
				row_add(&due, &strings, p, t, &c);
			rc = add(&r->due_annual, c.net);
		}
		if (rc)
			goto fail;
	}
	if (rc)
		goto fail;
	sort_by_review(&overdue);
	sort_by_review(&due);
	r->strings = s75_buf_detach(&strings);
	rows_point(&overdue, r->strings);
	rows_point(&due, r->strings);
	r->overdue = overdue.v;
	r->due = due.v;
	s75_package_cursor_free(cur);
	*out = r;
	return 0;
fail:
	s75_package_cursor_free(cur);
	s75_buf_release(&strings);
	free(overdue.v);
	free(due.v);
	s75_packages_report_free(r);
	return rc;
}

void s75_packages_report_free(s75_packages_report *r)
{
	if (!r)
		return;
	free(r->by_partner);
	free(r->overdue);
	free(r->due);
	free(r->strings);
	free(r);
}

/* The latest year the agreement states at or before `fy`, or NULL. */
static const s75_year *year_at_or_before(const s75_agreement *ag, int fy)
{
	const s75_year *best = NULL;
	for (size_t i = 0; i < ag->nyears; i++)
		if (ag->years[i].fy <= fy && (!best || ag->years[i].fy > best->fy))
			best = &ag->years[i];
	return best;
}

/* The pool's contribution shares in words: "ccc 76.78% : icb 23.22%". */
static void describe_shares(s75_buf *b, const s75_agreement *ag, const int64_t *w)
{
	size_t np = ag->npartners;
	int64_t *bp = xcalloc(np + 1, sizeof(int64_t));
	if (!s75_alloc_shares_bp(bp, w, np))
		for (size_t p = 0, first = 1; p < np; p++)
			if (w[p] > 0) {
				s75_buf_printf(b, "%s%s ", first ? "" : " : ", ag->partners[p].id);
				s75_bp_format(b, bp[p]);
				s75_buf_putc(b, '%');
				first = 0;
			}
	free(bp);
}

/*
 * The register total under the pool's risk share: the method of the last (unbounded)
 * band of the year's overspend rule, applied to the whole of each element's package
 * costs with no caps (caps bound a share of an overspend, not of the cost base);
 * ring-fenced elements stay with their own funders. No rule: by contributions.
 */
static int risk_share(s75_exit *x, const s75_agreement *ag, const s75_year *y,
		      const int64_t *ev, const int64_t *cv)
{
	const s75_arrangement *a = &ag->arrangements[x->pool];
	size_t np = ag->npartners, ne = a->nelements;
	const s75_rs_rule *orig = s75_year_find_risk_share(y, x->pool);
	int64_t *contrib = xcalloc(ne * np + 1, sizeof(int64_t));
	int64_t *w = xcalloc(np + 1, sizeof(int64_t)), *cap = xcalloc(np + 1, sizeof(int64_t));
	s75_rs_rule rule;
	s75_rs_band band;
	s75_rs_result *res = NULL;
	s75_buf basis = S75_BUF_INIT;
	int rc = 0;

	for (size_t k = 0; k < y->ncontributions; k++) {
		const s75_contribution *c = &y->contributions[k];
		if (c->pool != x->pool)
			continue;
		contrib[(size_t)c->element * np + (size_t)c->partner] += c->net;
		/* the shares the rest is split by: ring-fenced elements stay with their funders */
		if (c->net > 0 && !(orig && orig->ring_fenced[c->element]))
			w[c->partner] += c->net;
	}
	for (size_t p = 0; p < np; p++)
		cap[p] = -1;
	const s75_rs_band *last = orig && orig->nover ? &orig->over[orig->nover - 1] : NULL;
	if (last && last->method == S75_RS_CARRY_FORWARD)
		last = NULL;
	if (last) {
		band = *last;
		band.bounded = false;
		band.cap = cap;
		memset(&rule, 0, sizeof(rule));
		rule.pool = x->pool;
		rule.over = rule.under = &band;
		rule.nover = rule.nunder = 1;
		rule.ring_fenced = orig->ring_fenced;
	}
	s75_buf_puts(&basis, s75_rs_method_name(last ? last->method : S75_RS_CONTRIBUTIONS));
	if (!last || (last->method == S75_RS_CONTRIBUTIONS && !last->by_element)) {
		s75_buf_puts(&basis, " (");
		describe_shares(&basis, ag, w);
		s75_buf_putc(&basis, ')');
	} else if (last->method == S75_RS_FIXED) {
		s75_buf_puts(&basis, " (");
		describe_shares(&basis, ag, last->ratio_bp);
		s75_buf_putc(&basis, ')');
	} else if (last->method == S75_RS_PARTNER) {
		s75_buf_printf(&basis, " %s", ag->partners[last->partner].id);
	} else if (last->by_element) {
		s75_buf_puts(&basis, " of each element");
	}
	for (size_t e = 0; orig && e < ne; e++)
		if (orig->ring_fenced[e]) {
			s75_buf_puts(&basis, "; ring-fenced elements to their own funders");
			break;
		}
	if (orig && orig->nover > 1)
		s75_buf_puts(&basis, "; the last band of the overspend rule, applied to the whole cost");
	x->basis = s75_buf_detach(&basis);

	if (x->register_total) {
		s75_rs_input in = {ag, y->fy, x->pool, last ? &rule : NULL, ev, cv, contrib, NULL, 0, 0};
		if ((rc = s75_riskshare_apply(&res, &in)))
			goto done;
		memcpy(x->by_risk_share, res->share, np * sizeof(int64_t));
		if (res->reserve) /* not reached: an overspend rule keeps nothing back */
			rc = s75_error_set(S75_EINVALID, "the risk share kept part of the cost in the pool");
	}
done:
	s75_rs_result_free(res);
	free(contrib);
	free(w);
	free(cap);
	return rc;
}

int s75_exit_build(s75_exit **out, s75_db *db, const s75_agreement *ag, int pool, s75_date on,
		   const int64_t *ratios_bp, size_t nratios)
{
	size_t np = ag->npartners;
	s75_exit *x = xcalloc(1, sizeof(*x));
	const s75_year *y;
	s75_package_cursor *cur = NULL;
	const s75_package *p;
	s75_buf strings = S75_BUF_INIT;
	row_list un = {0};
	cc_fold f = {0};
	int64_t *ev = NULL, *cv = NULL;
	int rc = 0;

	*out = NULL;
	x->pool = pool;
	x->on = on;
	x->days = s75_year_days_from(on);
	x->npartners = np;
	x->nratios = nratios;
	x->by_package = xcalloc(np + 1, sizeof(int64_t));
	x->by_risk_share = xcalloc(np + 1, sizeof(int64_t));
	x->by_ratio = xcalloc(nratios * np + 1, sizeof(int64_t));
	x->unreviewed_by_partner = xcalloc(np + 1, sizeof(int64_t));
	x->involved = xcalloc(np + 1, sizeof(bool));
	if (pool < 0 || (size_t)pool >= ag->narrangements ||
	    ag->arrangements[pool].kind != S75_ARR_POOLED_FUND) {
		rc = s75_error_set(S75_EINVALID, "not a pooled fund");
		goto fail;
	}
	if (!(y = year_at_or_before(ag, s75_fy_of_date(on)))) {
		char b[8];
		rc = s75_error_set(S75_ENOTFOUND,
				   "the agreement states no year of contributions at or before %s",
				   s75_fy_format(b, s75_fy_of_date(on)));
		goto fail;
	}
	x->fy = y->fy;
	if ((rc = s75_package_cursor_new(&cur, db, ag)))
		goto fail;
	ev = xcalloc(ag->arrangements[pool].nelements + 1, sizeof(int64_t));
	cv = xcalloc(ag->ncost_centres + 1, sizeof(int64_t));
	/* per cost centre, for a risk share that gives each cost centre's partner its own */
	cc_fold_init(&f, ag, cv);
	while (!(rc = s75_package_cursor_next(&p, cur)) && p) {
		s75_package_cost c;
		if (p->pool != pool || !s75_package_active_on(p, on))
			continue;
		if ((rc = s75_package_annual_cost(&c, p, on)))
			goto fail;
		x->npackages++;
		if ((rc = add(&x->register_total, c.net)) || (rc = add(&x->gross, c.gross)) ||
		    (rc = add(&x->client, c.client)) || (rc = add(&ev[p->element], c.net)) ||
		    (rc = add_part(x->by_package, p->health_partner, c.health)) ||
		    (rc = add_part(x->by_package, p->social_partner, c.social)) ||
		    (rc = cc_fold_add(&f, p, &c)))
			goto fail;
		if (c.health)
			x->involved[p->health_partner] = true;
		if (c.social)
			x->involved[p->social_partner] = true;
		if (s75_package_unreviewed(p, on)) {
			row_add(&un, &strings, p, s75_package_terms_on(p, on), &c);
			if ((rc = add(&x->unreviewed_total, c.net)) ||
			    (rc = add_part(x->unreviewed_by_partner, p->health_partner, c.health)) ||
			    (rc = add_part(x->unreviewed_by_partner, p->social_partner, c.social)))
				goto fail;
		}
	}
	if (rc)
		goto fail;
	x->strings = s75_buf_detach(&strings);
	rows_point(&un, x->strings);
	x->unreviewed = un.v;
	x->nunreviewed = un.n;
	un.v = NULL;
	for (size_t k = 0; k < y->ncontributions; k++)
		if (y->contributions[k].pool == pool)
			x->involved[y->contributions[k].partner] = true;
	if ((rc = cc_fold_finish(&f, ag, y)) || (rc = risk_share(x, ag, y, ev, cv)))
		goto fail;
	for (size_t r = 0; r < nratios; r++)
		if (x->register_total &&
		    (rc = s75_alloc_split(&x->by_ratio[r * np], x->register_total, &ratios_bp[r * np], np)))
			goto fail;
	for (size_t q = 0; q < np; q++)
		x->involved[q] |= x->by_risk_share[q] != 0;
	s75_package_cursor_free(cur);
	free(ev);
	free(cv);
	*out = x;
	return 0;
fail:
	if (f.acc)
		cc_fold_finish(&f, NULL, NULL);
	s75_package_cursor_free(cur);
	s75_buf_release(&strings);
	free(un.v);
	free(ev);
	free(cv);
	s75_exit_free(x);
	return rc;
}

void s75_exit_free(s75_exit *e)
{
	if (!e)
		return;
	free(e->basis);
	free(e->by_package);
	free(e->by_risk_share);
	free(e->by_ratio);
	free(e->unreviewed_by_partner);
	free(e->involved);
	free(e->unreviewed);
	free(e->strings);
	free(e);
}
