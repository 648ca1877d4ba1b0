/* Applying a risk share (docs/risk-share.md): savings not delivered first, then
 * ring-fenced elements, then the part of the year before pooling began, then the bands.
 * Every split goes through s75_alloc_split(), so every step sums back to the penny. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "s75/alloc.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/riskshare.h"
#include "xalloc.h"

typedef struct rs {
	const s75_rs_input *in;
	const s75_agreement *ag;
	const s75_arrangement *pool;
	size_t np, ne;
	s75_rs_result *res;
	int64_t *v;       /* remaining variance per element */
	int64_t *d;       /* scratch per-partner distribution */
	bool quiet;       /* leave each step's `what` empty */
} rs;

static s75_rs_step *new_step(rs *x, int64_t amount, const char *fmt, ...) S75_PRINTF(3, 4);
static s75_rs_step *new_step(rs *x, int64_t amount, const char *fmt, ...)
{
	s75_rs_result *r = x->res;
	va_list ap;
	s75_buf b = S75_BUF_INIT;
	r->steps = xreallocarray(r->steps, r->nsteps + 1, sizeof(*r->steps));
	s75_rs_step *s = &r->steps[r->nsteps++];
	if (!x->quiet) {
		va_start(ap, fmt);
		s75_buf_vprintf(&b, fmt, ap);
		va_end(ap);
	}
	s->what = s75_buf_detach(&b);
	s->amount = amount;
	s->by_partner = xcalloc(x->np + 1, sizeof(int64_t));
	s->to_reserve = 0;
	return s;
}

static int give(rs *x, s75_rs_step *s, size_t p, int64_t amount)
{
	if (__builtin_add_overflow(s->by_partner[p], amount, &s->by_partner[p]) ||
	    __builtin_add_overflow(x->res->share[p], amount, &x->res->share[p]))
		return s75_error_set(S75_EOVERFLOW, "risk share out of range");
	return 0;
}

/* Net contribution weights of element `e` (or of the pool's shared elements when e < 0). */
static bool contribution_weights(rs *x, int e, int64_t *w)
{
	const s75_rs_rule *rule = x->in->rule;
	bool any = false;
	for (size_t p = 0; p < x->np; p++) {
		w[p] = 0;
		for (size_t k = 0; k < x->ne; k++) {
			if (e >= 0 ? (int)k != e : rule && rule->ring_fenced[k])
				continue;
			int64_t c = x->in->contribution[k * x->np + p];
			if (c > 0)
				w[p] += c;
		}
		any |= w[p] > 0;
	}
	if (!any && e < 0 && rule) {
		/* every element ring-fenced or unfunded: all of the pool's contributions */
		for (size_t p = 0; p < x->np; p++) {
			w[p] = 0;
			for (size_t k = 0; k < x->ne; k++)
				if (x->in->contribution[k * x->np + p] > 0)
					w[p] += x->in->contribution[k * x->np + p];
			any |= w[p] > 0;
		}
	}
	return any;
}

/* Splits `amount` by contributions (of element e, falling back to the pool) into d. */
static int by_contributions(rs *x, int e, int64_t amount, int64_t *d)
{
	int64_t *w = xcalloc(x->np + 1, sizeof(int64_t));
	int rc = 0;
	if (!(e >= 0 && contribution_weights(x, e, w)) && !contribution_weights(x, -1, w)) {
		rc = s75_error_set(S75_EINVALID, "pool '%s' has no positive contributions to share by",
				   x->pool->id);
	} else {
		rc = s75_alloc_split(d, amount, w, x->np);
	}
	free(w);
	return rc;
}

/*
 * Each partner's own variance in element e: the variances of the cost centres that serve
 * its functions, plus its part (by contribution) of whatever the cost centres do not
 * explain (an unallocated budget, a saving taken out in step 1). Signed: a partner whose
 * cost centres underspend has a negative own variance.
 */
static int own_variance(rs *x, int e, int64_t *o)
{
	const s75_agreement *ag = x->ag;
	int64_t explained = 0, *res = xcalloc(x->np + 1, sizeof(int64_t));
	int rc = 0;
	memset(o, 0, x->np * sizeof(int64_t));
	for (size_t c = 0; x->in->cc_variance && c < ag->ncost_centres; c++) {
		const s75_cost_centre *cc = &ag->cost_centres[c];
		if (cc->pool != x->in->pool || cc->element != e || cc->partner < 0)
			continue;
		o[cc->partner] += x->in->cc_variance[c];
		explained += x->in->cc_variance[c];
	}
	if (x->v[e] != explained) {
		if (!(rc = by_contributions(x, e, x->v[e] - explained, res)))
			for (size_t p = 0; p < x->np; p++)
				o[p] += res[p];
	}
	free(res);
	return rc;
}

/* Splits `amount` of element e (or of every shared element, e < 0) in proportion to each
 * partner's own variance: the whole of it gives each partner exactly its own. */
static int by_own(rs *x, int e, int64_t amount, int64_t *d)
{
	int64_t *o = xcalloc(x->np + 1, sizeof(int64_t)), *t = xcalloc(x->np + 1, sizeof(int64_t));
	int rc = 0;
	for (size_t k = 0; k < x->ne && !rc; k++) {
		if ((e >= 0 && (int)k != e) || (e < 0 && x->in->rule && x->in->rule->ring_fenced[k]))
			continue;
		if (!(rc = own_variance(x, (int)k, t)))
			for (size_t p = 0; p < x->np; p++)
				o[p] += t[p];
	}
	if (!rc && s75_alloc_split_signed(d, amount, o, x->np))
		rc = by_contributions(x, e, amount, d); /* own variances cancel out: by contributions */
	free(o);
	free(t);
	return rc;
}

/* Apportions `amount` to the shared elements by their variance of the same sign. */
static int to_elements(rs *x, int64_t amount, int64_t *parts)
{
	const s75_rs_rule *rule = x->in->rule;
	int64_t *w = xcalloc(x->ne + 1, sizeof(int64_t));
	bool any = false;
	for (size_t e = 0; e < x->ne; e++) {
		if (rule && rule->ring_fenced[e])
			continue;
		int64_t v = x->v[e];
		w[e] = amount > 0 ? (v > 0 ? v : 0) : (v < 0 ? -v : 0);
		any |= w[e] > 0;
	}
	int rc = any ? s75_alloc_split(parts, amount, w, x->ne)
		     : s75_error_set(S75_EINVALID, "no element of pool '%s' has a variance to share",
				     x->pool->id);
	free(w);
	return rc;
}

/* The distribution of one band's slice by its method, before caps. */
static int distribute(rs *x, const s75_rs_band *b, int64_t slice, int64_t *d, int64_t *reserve)
{
	int64_t *parts = xcalloc(x->ne + 1, sizeof(int64_t)), *tmp = xcalloc(x->np + 1, sizeof(int64_t));
	int rc = 0;
	memset(d, 0, x->np * sizeof(int64_t));
	*reserve = 0;
	switch (b ? b->method : S75_RS_CONTRIBUTIONS) {
	case S75_RS_CARRY_FORWARD:
		*reserve = -slice; /* an underspend (negative) kept in the pool */
		break;
	case S75_RS_FIXED:
		rc = s75_alloc_split(d, slice, b->ratio_bp, x->np);
		break;
	case S75_RS_PARTNER:
		d[b->partner] = slice;
		break;
	case S75_RS_OWN:
		rc = by_own(x, -1, slice, d);
		break;
	case S75_RS_CONTRIBUTIONS:
		if (!b || !b->by_element) {
			rc = by_contributions(x, -1, slice, d);
			break;
		}
		/* fall through - by element, each part by that element's contributions */
	case S75_RS_LEAD:
		if ((rc = to_elements(x, slice, parts)))
			break;
		for (size_t e = 0; e < x->ne && !rc; e++) {
			if (!parts[e])
				continue;
			int lead = x->pool->elements[e].lead;
			if (b->method == S75_RS_LEAD && lead >= 0) {
				d[lead] += parts[e];
				continue;
			}
			rc = by_contributions(x, (int)e, parts[e], tmp);
			for (size_t p = 0; p < x->np && !rc; p++)
				d[p] += tmp[p];
		}
		break;
	}
	free(parts);
	free(tmp);
	return rc;
}

/*
 * Holds each capped partner to its cap on its share of the overspend over all the bands so
 * far; the excess goes to the band's other partners in proportion to what the band gave
 * them. A cap stated on a band holds from that band on, until a later band states another.
 * Where the bands before already put a partner over its cap, its share of this band is
 * negative: that excess moves to the others too, so its total is exactly its cap.
 */
static int apply_caps(rs *x, const int64_t *cap, const int64_t *cum, int64_t *d)
{
	int64_t *w = xcalloc(x->np + 1, sizeof(int64_t)), *extra = xcalloc(x->np + 1, sizeof(int64_t));
	bool *capped = xcalloc(x->np + 1, sizeof(bool));
	int rc = 0;
	for (;;) {
		int64_t excess = 0;
		for (size_t p = 0; p < x->np; p++) {
			if (cap[p] < 0 || capped[p])
				continue;
			int64_t room;
			if (__builtin_sub_overflow(cap[p], cum[p], &room)) {
				rc = s75_error_set(S75_EOVERFLOW, "a cap of pool '%s' is out of range",
						   x->pool->id);
				goto done;
			}
			if (d[p] > room) {
				excess += d[p] - room;
				d[p] = room;
				capped[p] = true;
			}
		}
		if (!excess)
			break;
		bool any = false;
		for (size_t p = 0; p < x->np; p++) {
			w[p] = capped[p] || d[p] <= 0 ? 0 : d[p];
			any |= w[p] > 0;
		}
		if (!any) {
			/* nobody took a share of this band: fall back to the contributions of the uncapped */
			contribution_weights(x, -1, w);
			for (size_t p = 0; p < x->np; p++) {
				if (capped[p])
					w[p] = 0;
				any |= w[p] > 0;
			}
		}
		if (!any) {
			s75_buf t = S75_BUF_INIT;
			s75_money_format(&t, excess, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
			rc = s75_error_set(S75_EINVALID,
					   "the caps of pool '%s' leave %s of overspend that no partner can carry",
					   x->pool->id, t.ptr);
			s75_buf_release(&t);
			break;
		}
		if ((rc = s75_alloc_split(extra, excess, w, x->np)))
			break;
		for (size_t p = 0; p < x->np; p++)
			d[p] += extra[p];
	}
done:
	free(w);
	free(extra);
	free(capped);
	return rc;
}

static void describe_band(s75_buf *t, const s75_agreement *ag, const s75_rs_band *b,
			  int64_t lower, size_t i, size_t n)
{
	s75_buf_printf(t, "band %zu", i + 1);
	if (n > 1 || (b && b->bounded)) {
		s75_buf_puts(t, " (");
		if (b && b->bounded) {
			s75_buf_puts(t, lower ? "from £" : "first £");
			if (lower) {
				s75_money_format(t, lower, S75_UNIT_POUNDS, S75_FMT_SEP);
				s75_buf_puts(t, " to £");
			}
			s75_money_format(t, b->up_to, S75_UNIT_POUNDS, S75_FMT_SEP);
		} else {
			s75_buf_puts(t, "above £");
			s75_money_format(t, lower, S75_UNIT_POUNDS, S75_FMT_SEP);
		}
		s75_buf_putc(t, ')');
	}
	s75_buf_printf(t, ": %s", b ? s75_rs_method_name(b->method) : "contributions (no rule stated)");
	if (b && b->method == S75_RS_FIXED) {
		s75_buf_puts(t, " ");
		for (size_t p = 0, first = 1; p < ag->npartners; p++)
			if (b->ratio_bp[p]) {
				s75_buf_printf(t, "%s%s ", first ? "" : " : ", ag->partners[p].id);
				s75_bp_format(t, b->ratio_bp[p]);
				first = 0;
			}
	}
	if (b && b->method == S75_RS_PARTNER)
		s75_buf_printf(t, " %s", ag->partners[b->partner].id);
	if (b && b->by_element)
		s75_buf_puts(t, " of each element");
}

static int share_bands(rs *x, int64_t V)
{
	const s75_rs_rule *rule = x->in->rule;
	bool over = V > 0;
	const s75_rs_band *bands = rule ? (over ? rule->over : rule->under) : NULL;
	size_t nb = rule ? (over ? rule->nover : rule->nunder) : 1;
	int64_t mag = over ? V : -V, lower = 0, *cum = xcalloc(x->np + 1, sizeof(int64_t));
	int64_t *cap = xcalloc(x->np + 1, sizeof(int64_t));
	for (size_t p = 0; p < x->np; p++)
		cap[p] = -1;
	int rc = 0;
	for (size_t i = 0; i < nb && lower < mag && !rc; i++) {
		const s75_rs_band *b = bands ? &bands[i] : NULL;
		int64_t upper = b && b->bounded && b->up_to < mag ? b->up_to : mag;
		int64_t slice = upper - lower, reserve;
		if (slice <= 0)
			continue;
		if (!over)
			slice = -slice;
		if ((rc = distribute(x, b, slice, x->d, &reserve)))
			break;
		for (size_t p = 0; over && b && p < x->np; p++)
			if (b->cap[p] >= 0)
				cap[p] = b->cap[p];
		if (over && b && (rc = apply_caps(x, cap, cum, x->d)))
			break;
		s75_buf t = S75_BUF_INIT;
		if (!x->quiet)
			describe_band(&t, x->ag, b, lower, i, nb);
		s75_rs_step *s = new_step(x, slice, "%s", t.ptr);
		s75_buf_release(&t);
		for (size_t p = 0; p < x->np && !rc; p++) {
			rc = give(x, s, p, x->d[p]);
			cum[p] += x->d[p];
		}
		s->to_reserve = reserve;
		x->res->reserve += reserve;
		lower = upper;
	}
	free(cum);
	free(cap);
	return rc;
}

/*
 * The overspend waterfall (docs/risk-share.md): before the bands, an overspend is met from
 * the sources the agreement names, in its order. Underspends on other elements meet the
 * overspent elements' overspend (the pool's variance is already net of them, so this step
 * only says so, and from then on the reserve and uncommitted funds meet the net overspend
 * rather than the gross); the risk reserve and uncommitted funds held in the fund each meet
 * what is still unmet, up to what they hold. What they meet leaves the fund (a negative
 * `to_reserve`) and is taken off the overspent elements in proportion to their overspends.
 */
static int waterfall(rs *x)
{
	const s75_rs_rule *rule = x->in->rule;
	int64_t gross = 0, under = 0, net = 0, drawn = 0;
	bool netted = false;
	for (size_t e = 0; e < x->ne; e++) {
		if (rule->ring_fenced[e])
			continue;
		if (x->v[e] > 0)
			gross += x->v[e];
		else
			under -= x->v[e];
		net += x->v[e];
	}
	if (net <= 0 && gross <= 0)
		return 0;
	for (size_t i = 0; i < rule->nwaterfall; i++) {
		s75_rs_source src = rule->waterfall[i];
		int64_t unmet = (netted ? net : gross) - drawn, avail, take;
		if (unmet <= 0)
			break;
		if (src == S75_RS_OTHER_ELEMENTS) {
			int64_t met = under < unmet ? under : unmet;
			netted = true;
			if (met > 0) {
				s75_buf t = S75_BUF_INIT;
				if (!x->quiet)
					s75_money_format(&t, met, S75_UNIT_POUNDS, S75_FMT_SEP);
				new_step(x, 0, "waterfall: overspends met by £%s of underspends on other elements", t.ptr);
				s75_buf_release(&t);
			}
			continue;
		}
		avail = src == S75_RS_RESERVE ? rule->reserve : rule->uncommitted;
		take = avail < unmet ? avail : unmet;
		if (take <= 0)
			continue;
		s75_rs_step *s = new_step(x, take, "waterfall: met from the %s",
					  src == S75_RS_RESERVE ? "risk reserve held in the fund" : "uncommitted funds");
		s->to_reserve = -take;
		x->res->reserve -= take;
		if (src == S75_RS_RESERVE)
			x->res->reserve_drawn += take;
		else
			x->res->uncommitted_used += take;
		drawn += take;
		/* off the overspent elements, by their overspends */
		int64_t *parts = xcalloc(x->ne + 1, sizeof(int64_t));
		int rc = to_elements(x, take, parts);
		for (size_t e = 0; e < x->ne && !rc; e++)
			x->v[e] -= parts[e];
		free(parts);
		if (rc)
			return rc;
	}
	return 0;
}

static int apply(s75_rs_result **out, const s75_rs_input *in, bool quiet)
{
	const s75_agreement *ag = in->ag;
	const s75_rs_rule *rule = in->rule;
	rs x;
	int rc = 0;
	size_t nmax;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	x.in = in;
	x.quiet = quiet;
	x.ag = ag;
	x.pool = &ag->arrangements[in->pool];
	x.np = ag->npartners;
	x.ne = x.pool->nelements;
	nmax = x.np > x.ne ? x.np : x.ne;
	x.res = xcalloc(1, sizeof(*x.res));
	x.res->npartners = x.np;
	x.res->share = xcalloc(x.np + 1, sizeof(int64_t));
	x.v = xcalloc(x.ne + 1, sizeof(int64_t));
	x.d = xcalloc(nmax + 1, sizeof(int64_t));
	int64_t total = 0;
	for (size_t e = 0; e < x.ne; e++) {
		x.v[e] = in->element_variance[e];
		if (__builtin_add_overflow(total, x.v[e], &total)) {
			rc = s75_error_set(S75_EOVERFLOW, "variance out of range");
			goto done;
		}
	}
	x.res->variance = total;

	/* 1. a saving moved in without an agreed strategy: its shortfall is that partner's */
	for (size_t i = 0; i < in->nsavings; i++) {
		const s75_saving *sv = &in->savings[i];
		int64_t shortfall = sv->amount - sv->delivery;
		if (sv->pool != in->pool || sv->agreed || shortfall <= 0)
			continue;
		s75_rs_step *s = new_step(&x, shortfall,
					  "saving of %s on element '%s' with no agreed delivery strategy: the shortfall is borne by %s in full",
					  ag->partners[sv->partner].id, x.pool->elements[sv->element].id,
					  ag->partners[sv->partner].id);
		if ((rc = give(&x, s, (size_t)sv->partner, shortfall)))
			goto done;
		x.v[sv->element] -= shortfall;
	}
	/* 2. ring-fenced elements: their variance stays with their own funders */
	for (size_t e = 0; rule && e < x.ne; e++) {
		if (!rule->ring_fenced[e] || !x.v[e])
			continue;
		if ((rc = by_contributions(&x, (int)e, x.v[e], x.d)))
			goto done;
		s75_rs_step *s = new_step(&x, x.v[e],
					  "element '%s' is ring-fenced: its variance goes to its own funders by their contributions to it",
					  x.pool->elements[e].id);
		for (size_t p = 0; p < x.np && !rc; p++)
			rc = give(&x, s, p, x.d[p]);
		x.v[e] = 0;
		if (rc)
			goto done;
	}
	/* 3. before pooling began: each cost centre's variance is its own partner's */
	if (in->aligned_periods > 0) {
		int64_t wts[2] = {in->aligned_periods, 12 - in->aligned_periods}, halves[2];
		int64_t aligned = 0;
		s75_rs_step *s = NULL;
		for (size_t e = 0; e < x.ne; e++) {
			if ((rule && rule->ring_fenced[e]) || !x.v[e])
				continue;
			if ((rc = s75_alloc_split(halves, x.v[e], wts, 2)))
				goto done;
			if (!halves[0])
				continue;
			if (!s)
				s = new_step(&x, 0, "%d of 12 periods before pooling began: each partner carries its own variance",
					     in->aligned_periods);
			if ((rc = by_own(&x, (int)e, halves[0], x.d)))
				goto done;
			for (size_t p = 0; p < x.np && !rc; p++)
				rc = give(&x, s, p, x.d[p]);
			if (rc)
				goto done;
			aligned += halves[0];
			x.v[e] -= halves[0];
		}
		if (s)
			s->amount = aligned;
	}
	/* 3a. the overspend waterfall: the sources the agreement names, in its order */
	if (rule && rule->nwaterfall && (rc = waterfall(&x)))
		goto done;
	/* 4. what is left is shared by the bands */
	int64_t V = 0;
	for (size_t e = 0; e < x.ne; e++)
		if (!(rule && rule->ring_fenced[e]))
			V += x.v[e];
	if (V)
		rc = share_bands(&x, V);
	if (!rc) {
		/* conservation, the invariant every caller relies on: what the partners carry,
		 * less the underspend kept in the pool, is the variance */
		int64_t sum = -x.res->reserve;
		for (size_t p = 0; p < x.np; p++)
			sum += x.res->share[p];
		if (sum != total)
			abort();
	}
done:
	free(x.v);
	free(x.d);
	if (rc) {
		s75_rs_result_free(x.res);
		return rc;
	}
	*out = x.res;
	return 0;
}

int s75_riskshare_apply(s75_rs_result **out, const s75_rs_input *in)
{
	return apply(out, in, false);
}

int s75_riskshare_apply_figures(s75_rs_result **out, const s75_rs_input *in)
{
	return apply(out, in, true);
}

void s75_rs_result_free(s75_rs_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsteps; i++) {
		free(r->steps[i].what);
		free(r->steps[i].by_partner);
	}
	free(r->steps);
	free(r->share);
	free(r);
}
