/* Risk exposure (docs/exposure.md): a Monte Carlo of a pool's year-end variance by
 * element, each draw shared by s75_riskshare_apply() — the function settle uses — under
 * the agreement as it stands and under alternative fixed ratios.
 *
 * Reproducibility: every random number is a pure function of (seed, draw, stream), so
 * draws can be made in any order, on any number of threads, with the same result.
 * Exactness: each draw's element variances are rounded once to whole pence; from there
 * on everything is integer pence, and the risk share conserves every draw to the penny. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>


#include "s75/alloc.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "s75/exposure.h"
#include "s75/riskshare.h"
#include "s75/variation.h"
#include "xalloc.h"

/* ---- the generator --------------------------------------------------------------- */

/* splitmix64's output function (Steele, Lea and Flood 2014; Stafford's "Mix13"): a
 * bijection of 64 bits with full avalanche. splitmix64 is itself counter-based — its n-th
 * output is mix(state + n * gamma) — so keying the state by (seed, stream) and taking the
 * draw number as the counter gives any draw directly, without stepping through the ones
 * before it: what identical results on 1 or 2 threads need. It passes BigCrush; we need
 * far less (a few million normals). */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t s75_rng_u64(uint64_t seed, uint64_t draw, uint64_t stream)
{
	uint64_t key = mix64(seed ^ mix64(stream * 0xd1b54a32d192ed03ULL + 0x2545f4914f6cdd1dULL));
	return mix64(key + (draw + 1) * 0x9e3779b97f4a7c15ULL);
}

/* A uniform in (0, 1), never 0 or 1: the top 53 bits, centred in their interval. */
static double uniform(uint64_t seed, uint64_t draw, uint64_t stream)
{
	return ((double)(s75_rng_u64(seed, draw, stream) >> 11) + 0.5) * 0x1p-53;
}

/* Wichura (1988), Algorithm AS241 PPND16: the normal quantile to about 1e-16. */
double s75_normal_quantile(double p)
{
	double q = p - 0.5, r, x;
	if (fabs(q) <= 0.425) {
		r = 0.180625 - q * q;
		return q *
		       (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
			    45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
			 133.14166789178437745) * r + 3.387132872796366608) /
		       (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
			    21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
			 42.313330701600911252) * r + 1.0);
	}
	r = q < 0 ? p : 1.0 - p;
	if (r <= 0)
		return q < 0 ? -INFINITY : INFINITY;
	r = sqrt(-log(r));
	if (r <= 5.0) {
		r -= 1.6;
		x = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
			 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
		      4.6303378461565452959) * r + 1.42343711074968357734) /
		    (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
			 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
		      2.05319162663775882187) * r + 1.0);
	} else {
		r -= 5.0;
		x = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
			 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
		      5.4637849111641143699) * r + 6.6579046435011037772) /
		    (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
			 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
		      0.59983220655588793769) * r + 1.0);
	}
	return q < 0 ? -x : x;
}

int64_t s75_quantile_sorted(const int64_t *v, size_t n, int64_t q_bp)
{
	if (!n)
		return 0;
	/* nearest rank: the smallest value with at least q of the draws at or below it */
	uint64_t k = ((uint64_t)n * (uint64_t)q_bp + 9999) / 10000; /* n <= 2^32: no overflow */
	return v[k ? (size_t)k - 1 : 0];
}

/* ---- the model ------------------------------------------------------------------- */

#define Z90 1.2815515655446004 /* the standard normal's 90th percentile */

typedef struct model {
	const s75_agreement *ag;
	const s75_year *y;
	int pool, fy;
	size_t np, ne, nc;
	double *sdl, *sdh;        /* per element: spread below and above the centre, pence */
	int64_t *centre;          /* per element */
	double wc, wi;            /* sqrt(common weight), sqrt(1 - common weight) */
	int64_t *contrib;         /* element x partner */
	int64_t *cc_budget;       /* per cost centre (for the own method), or NULL */
	const s75_rs_rule **rules; /* per option */
	const s75_rs_rule *uncapped; /* option 0 without its caps, or NULL when it has none */
	int64_t *min_cap;         /* per partner: its smallest stated cap (-1: none) */
	int64_t *saving_of;       /* per partner: shortfalls of its unagreed savings (step 1) */
	bool precheck;            /* the shares outside the bands are known: see bands_may_cap() */
	size_t nopt;
	int aligned;
	uint64_t seed, draws;
} model;

/* Periods of the year before pooling began (as settle counts them). */
static int aligned_periods(const s75_rs_rule *r, int fy)
{
	if (!r || !r->has_pooled_from || r->pooled_from <= s75_fy_start(fy))
		return 0;
	if (r->pooled_from > s75_fy_end(fy))
		return 12;
	s75_period p = s75_period_of_date(r->pooled_from);
	return p.p - 1 + (s75_period_start(p) != r->pooled_from);
}

static bool rule_needs_cost_centres(const s75_rs_rule *r, int aligned)
{
	if (aligned > 0)
		return true;
	for (size_t i = 0; r && i < r->nover + r->nunder; i++) {
		const s75_rs_band *b = i < r->nover ? &r->over[i] : &r->under[i - r->nover];
		if (b->method == S75_RS_OWN)
			return true;
	}
	return false;
}

/* A rule of one band sharing everything by fixed ratios (what settle's what-if does). */
static s75_rs_rule *ratio_rule(int pool, const int64_t *bp, size_t np, size_t ne)
{
	s75_rs_rule *r = xcalloc(1, sizeof(*r));
	s75_rs_band *b = xcalloc(1, sizeof(*b));
	b->method = S75_RS_FIXED;
	b->ratio_bp = (int64_t *)bp;
	b->partner = -1;
	b->cap = xcalloc(np + 1, sizeof(int64_t));
	for (size_t p = 0; p < np; p++)
		b->cap[p] = -1;
	r->pool = pool;
	r->over = r->under = b;
	r->nover = r->nunder = 1;
	r->ring_fenced = xcalloc(ne + 1, sizeof(bool));
	return r;
}

static void ratio_rule_free(s75_rs_rule *r)
{
	if (!r)
		return;
	free(r->over->cap);
	free(r->over);
	free(r->ring_fenced);
	free(r);
}

/* The rule without its caps: a copy whose bands share their caps array of -1s. */
static s75_rs_rule *uncapped_rule(const s75_rs_rule *r, size_t np)
{
	bool any = false;
	for (size_t i = 0; r && i < r->nover; i++)
		for (size_t p = 0; p < np; p++)
			any |= r->over[i].cap[p] >= 0;
	if (!any)
		return NULL;
	s75_rs_rule *u = xcalloc(1, sizeof(*u));
	*u = *r;
	u->over = xcalloc(r->nover + 1, sizeof(s75_rs_band));
	memcpy(u->over, r->over, r->nover * sizeof(s75_rs_band));
	int64_t *none = xcalloc(np + 1, sizeof(int64_t));
	for (size_t p = 0; p < np; p++)
		none[p] = -1;
	for (size_t i = 0; i < r->nover; i++)
		u->over[i].cap = none;
	return u;
}

static void uncapped_free(s75_rs_rule *u)
{
	if (!u)
		return;
	if (u->nover)
		free(u->over[0].cap);
	free(u->over);
	free(u);
}

/* Whether a cap may have held a partner down in this draw. A cap binds only when the
 * partner's share through the bands reaches the cap in force, which is at least its
 * smallest stated cap; when nothing but the bands and the (fixed) savings shortfalls gives
 * it a share, and no band can take a share back (the own method can), a share below that
 * shows the cap did not bind, and the draw needs no second, uncapped, run. */
static bool bands_may_cap(const model *m, const int64_t *share)
{
	if (!m->precheck)
		return true;
	for (size_t p = 0; p < m->np; p++)
		if (m->min_cap[p] >= 0 && share[p] - m->saving_of[p] >= m->min_cap[p])
			return true;
	return false;
}

/* ---- the draws ------------------------------------------------------------------- */

typedef struct worker {
	const model *m;
	s75_exposure *x;
	uint64_t from, to;
	uint64_t overspends;
	uint64_t *cap_binds; /* npartners */
	int rc;
	char err[512];
} worker;

/* The element variances of draw d, in whole pence. */
static int draw_variances(const model *m, uint64_t d, int64_t *ev)
{
	double z0 = s75_normal_quantile(uniform(m->seed, d, 0));
	for (size_t e = 0; e < m->ne; e++) {
		double z = m->wc * z0 + m->wi * s75_normal_quantile(uniform(m->seed, d, e + 1));
		double dev = (z < 0 ? m->sdl[e] : m->sdh[e]) * z;
		if (!(fabs(dev) < 9.0e15)) /* beyond 2^53 pence the rounding would not be exact */
			return s75_error_set(S75_EOVERFLOW, "a draw of element %zu is out of range", e);
		if (__builtin_add_overflow(m->centre[e], (int64_t)llround(dev), &ev[e]))
			return s75_error_set(S75_EOVERFLOW, "a draw of element %zu is out of range", e);
	}
	return 0;
}

static void *work(void *arg)
{
	worker *w = arg;
	const model *m = w->m;
	s75_exposure *x = w->x;
	size_t np = m->np, ne = m->ne, nc = m->nc;
	int64_t *ev = xcalloc(ne + 1, sizeof(int64_t)), *cv = NULL, *wts = NULL;
	s75_rs_result *r = NULL, *u = NULL;
	int rc = 0;
	if (m->cc_budget) {
		cv = xcalloc(nc + 1, sizeof(int64_t));
		wts = xcalloc(nc + 1, sizeof(int64_t));
	}
	for (uint64_t d = w->from; d < w->to && !rc; d++) {
		if ((rc = draw_variances(m, d, ev)))
			break;
		int64_t total = 0;
		for (size_t e = 0; e < ne && !rc; e++)
			if (__builtin_add_overflow(total, ev[e], &total))
				rc = s75_error_set(S75_EOVERFLOW, "a draw's variance is out of range");
		if (rc)
			break;
		if (cv) {
			/* each element's draw over its cost centres by their budgets */
			for (size_t e = 0; e < ne && !rc; e++) {
				bool any = false;
				for (size_t c = 0; c < nc; c++) {
					const s75_cost_centre *cc = &m->ag->cost_centres[c];
					wts[c] = cc->pool == m->pool && (size_t)cc->element == e && m->cc_budget[c] > 0
							 ? m->cc_budget[c]
							 : 0;
					any |= wts[c] > 0;
				}
				if (any) {
					int64_t *parts = xcalloc(nc + 1, sizeof(int64_t));
					if (!(rc = s75_alloc_split(parts, ev[e], wts, nc)))
						for (size_t c = 0; c < nc; c++)
							if (wts[c])
								cv[c] = parts[c];
					free(parts);
				}
			}
		}
		if (total > 0)
			w->overspends++;
		for (size_t o = 0; o < m->nopt && !rc; o++) {
			s75_rs_input in = {m->ag, m->fy, m->pool, m->rules[o], ev, cv, m->contrib,
					   m->y->savings, m->y->nsavings, o ? 0 : m->aligned};
			if ((rc = s75_riskshare_apply_figures(&r, &in)))
				break;
			int64_t *col = x->options[o].shares;
			for (size_t p = 0; p < np; p++)
				col[p * m->draws + d] = r->share[p];
			if (!o && m->uncapped && total > 0 && bands_may_cap(m, r->share)) {
				in.rule = m->uncapped;
				if (!(rc = s75_riskshare_apply_figures(&u, &in)))
					for (size_t p = 0; p < np; p++)
						if (r->share[p] < u->share[p])
							w->cap_binds[p]++;
				s75_rs_result_free(u);
				u = NULL;
			}
			s75_rs_result_free(r);
			r = NULL;
		}
		/* the pool's variance of the draw, kept beside the shares */
		x->options[0].shares[np * m->draws + d] = total;
	}
	if (rc) {
		w->rc = rc;
		snprintf(w->err, sizeof(w->err), "%s", s75_error_last());
	}
	free(ev);
	free(cv);
	free(wts);
	return NULL;
}

/* Sorts n signed amounts: an LSD radix sort, a byte a pass (passes where every value has
 * the same byte are skipped), several times quicker than qsort() at a million draws. */
static void sort64(int64_t *v, size_t n)
{
	uint64_t *a = (uint64_t *)v, *b = xmalloc((n + 1) * sizeof(uint64_t)), *src = a, *dst = b;
	size_t count[256];
	for (size_t i = 0; i < n; i++)
		a[i] ^= (uint64_t)1 << 63; /* order signed values as unsigned */
	for (int shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < n; i++)
			count[(src[i] >> shift) & 255]++;
		if (n && count[(src[0] >> shift) & 255] == n)
			continue;
		for (size_t k = 0, at = 0; k < 256; k++) {
			size_t c = count[k];
			count[k] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i] >> shift) & 255]++] = src[i];
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(uint64_t));
	for (size_t i = 0; i < n; i++)
		a[i] ^= (uint64_t)1 << 63;
	free(b);
}

__extension__ typedef __int128 i128; /* sums of up to 2^32 amounts in pence */

/* Mean (rounded half away from zero to the penny) and quantiles; sorts v. */
static void stats_of(s75_expo_stats *s, int64_t *v, size_t n)
{
	i128 sum = 0;
	sort64(v, n);
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	i128 half = (i128)n / 2;
	s->mean = (int64_t)(sum >= 0 ? (sum + half) / (i128)n : -((-sum + half) / (i128)n));
	s->p50 = s75_quantile_sorted(v, n, 5000);
	s->p90 = s75_quantile_sorted(v, n, 9000);
	s->p95 = s75_quantile_sorted(v, n, 9500);
	s->p99 = s75_quantile_sorted(v, n, 9900);
	s->min = n ? v[0] : 0;
	s->max = n ? v[n - 1] : 0;
}

/* The summaries, a column per job, shared among the threads (each job is independent). */
typedef struct stats_job {
	s75_expo_stats *out;
	int64_t *v;
} stats_job;

typedef struct stats_work {
	stats_job *jobs;
	size_t njobs, first, step, n;
} stats_work;

static void *stats_worker(void *arg)
{
	stats_work *w = arg;
	for (size_t j = w->first; j < w->njobs; j += w->step)
		stats_of(w->jobs[j].out, w->jobs[j].v, w->n);
	return NULL;
}

static void all_stats(s75_exposure *x, size_t np, int nth)
{
	size_t nj = 0;
	stats_job *jobs = xcalloc(x->noptions * np + 2, sizeof(*jobs));
	stats_work *ws = xcalloc((size_t)nth, sizeof(*ws));
	pthread_t *th = xcalloc((size_t)nth, sizeof(pthread_t));
	jobs[nj++] = (stats_job){&x->variance, x->options[0].shares + np * x->draws};
	for (size_t i = 0; i < x->noptions; i++)
		for (size_t p = 0; p < np; p++)
			jobs[nj++] = (stats_job){&x->options[i].share[p], x->options[i].shares + p * x->draws};
	for (int t = 0; t < nth; t++)
		ws[t] = (stats_work){jobs, nj, (size_t)t, (size_t)nth, x->draws};
	int started = 0;
	for (int t = 1; t < nth; t++, started++)
		if (pthread_create(&th[t], NULL, stats_worker, &ws[t]))
			break;
	stats_worker(&ws[0]);
	for (int t = 1; t <= started; t++)
		pthread_join(th[t], NULL);
	for (int t = started + 1; t < nth; t++)
		stats_worker(&ws[t]);
	free(jobs);
	free(ws);
	free(th);
}

/* ---- where the uncertainty comes from ---------------------------------------------- */

/* Forecast outturn and actual to date per element at `per` (summed over its cost
 * centres), and whether any of its cost centres had a forecast imported. */
static int element_forecasts(s75_db *db, const s75_agreement *ag, int pool, s75_period per,
			     int64_t *fc, bool *imported, int64_t *actual)
{
	s75_monitoring *m = NULL;
	int rc = s75_monitoring_build(&m, db, ag, per, S75_LEVEL_COST_CENTRE);
	size_t ne = ag->arrangements[pool].nelements;
	if (rc)
		return rc;
	if (fc)
		memset(fc, 0, ne * sizeof(int64_t));
	if (actual)
		memset(actual, 0, ne * sizeof(int64_t));
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		if (r->pool != pool || r->element < 0)
			continue;
		if ((fc && __builtin_add_overflow(fc[r->element], r->forecast, &fc[r->element])) ||
		    (actual && __builtin_add_overflow(actual[r->element], r->actual_to_date, &actual[r->element]))) {
			rc = s75_error_set(S75_EOVERFLOW, "forecasts out of range");
			break;
		}
		if (imported)
			imported[r->element] |= r->forecast_basis == S75_FC_IMPORTED; /* made at this period */
	}
	s75_monitoring_free(m);
	return rc;
}

static int from_history(model *m, s75_exposure *x, s75_db *db, const s75_exposure_options *o)
{
	const s75_agreement *ag = m->ag;
	const s75_arrangement *a = &ag->arrangements[m->pool];
	size_t ne = m->ne;
	int64_t *fc = xcalloc(ne + 1, sizeof(int64_t)), *act = xcalloc(ne + 1, sizeof(int64_t));
	bool *imp = xcalloc(ne + 1, sizeof(bool));
	double *sq = xcalloc(ne + 1, sizeof(double));
	int rc = 0;
	char b[16];
	s75_period per = o->period;
	if (!db) {
		rc = s75_error_set(S75_EINVALID, "no workspace (s75.db) to take the history of forecasts from: import forecasts, or give each element's P10/P50/P90 with --ranges FILE");
		goto done;
	}
	if (!o->has_period) {
		/* the latest period of the year with forecasts imported for the pool */
		per.fy = m->fy;
		per.p = 0;
		for (int p = 12; p >= 1 && !per.p && !rc; p--) {
			memset(imp, 0, ne * sizeof(bool));
			if (!(rc = element_forecasts(db, ag, m->pool, (s75_period){m->fy, p}, NULL, imp, NULL)))
				for (size_t e = 0; e < ne; e++)
					if (imp[e])
						per.p = p;
		}
		if (rc)
			goto done;
		if (!per.p) {
			rc = s75_error_set(S75_EINVALID,
					   "no forecasts imported for pool '%s' in %s: import forecasts, or give each element's P10/P50/P90 with --ranges FILE",
					   a->id, s75_fy_format(b, m->fy));
			goto done;
		}
	}
	x->period = per;
	/* the centre: the forecast variance at the period (forecast outturn - net contribution) */
	if ((rc = element_forecasts(db, ag, m->pool, per, fc, NULL, NULL)))
		goto done;
	for (size_t e = 0; e < ne; e++) {
		int64_t c = 0;
		for (size_t p = 0; p < m->np; p++)
			c += m->contrib[e * m->np + p];
		m->centre[e] = fc[e] - c;
	}
	/* the spread: past forecasts at the same period against their year's outturn */
	for (size_t k = 0; k < ag->nyears; k++) {
		int fy = ag->years[k].fy;
		if (fy >= m->fy)
			continue;
		memset(imp, 0, ne * sizeof(bool));
		if ((rc = element_forecasts(db, ag, m->pool, (s75_period){fy, per.p}, fc, imp, NULL)) ||
		    (rc = element_forecasts(db, ag, m->pool, (s75_period){fy, 12}, NULL, NULL, act)))
			goto done;
		for (size_t e = 0; e < ne; e++) {
			if (!imp[e])
				continue;
			double err = (double)(act[e] - fc[e]);
			sq[e] += err * err;
			x->elements[e].history_years++;
		}
	}
	for (size_t e = 0; e < ne; e++) {
		if (!x->elements[e].history_years) {
			rc = s75_error_set(S75_EINVALID,
					   "element '%s' of pool '%s' has no history: no earlier year has a forecast at P%d to set against its outturn; give each element's P10/P50/P90 with --ranges FILE",
					   a->elements[e].id, a->id, per.p);
			goto done;
		}
		m->sdl[e] = m->sdh[e] = sqrt(sq[e] / x->elements[e].history_years);
	}
done:
	free(fc);
	free(act);
	free(imp);
	free(sq);
	return rc;
}

static int from_ranges(model *m, s75_exposure *x, const s75_exposure_options *o)
{
	const s75_arrangement *a = &m->ag->arrangements[m->pool];
	bool *seen = xcalloc(m->ne + 1, sizeof(bool));
	int rc = 0;
	for (size_t i = 0; i < o->nranges; i++) {
		const s75_expo_range *r = &o->ranges[i];
		if (r->element < 0 || (size_t)r->element >= m->ne) {
			rc = s75_error_set(S75_EINVALID, "a range names element %d, which pool '%s' does not have",
					   r->element, a->id);
			goto done;
		}
		seen[r->element] = true;
		m->centre[r->element] = r->p50;
		m->sdl[r->element] = (double)(r->p50 - r->p10) / Z90;
		m->sdh[r->element] = (double)(r->p90 - r->p50) / Z90;
	}
	for (size_t e = 0; e < m->ne; e++)
		if (!seen[e]) {
			rc = s75_error_set(S75_EINVALID, "%s: no range for element '%s' of pool '%s'",
					   o->ranges_name ? o->ranges_name : "ranges", a->elements[e].id, a->id);
			goto done;
		}
	x->source = S75_EXPO_RANGES;
	x->source_name = xstrdup(o->ranges_name ? o->ranges_name : "ranges");
done:
	free(seen);
	return rc;
}

int s75_exposure_run(s75_exposure **out, s75_db *db, const s75_agreement *ag, int fy,
		     const s75_exposure_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_exposure *x = NULL;
	model m;
	worker *ws = NULL;
	pthread_t *th = NULL;
	s75_contribution *yc = NULL;
	size_t nyc = 0;
	s75_rs_rule **fixed = NULL;
	int rc = 0, nth = o->threads > 0 ? o->threads : 1;
	char b[16];

	*out = NULL;
	memset(&m, 0, sizeof(m));
	if (!y)
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s", s75_fy_format(b, fy));
	if (o->pool < 0 || (size_t)o->pool >= ag->narrangements ||
	    ag->arrangements[o->pool].kind != S75_ARR_POOLED_FUND)
		return s75_error_set(S75_ENOTFOUND, "no such pooled fund");
	if (o->draws < 1 || o->draws > S75_EXPOSURE_MAX_DRAWS) /* every share of every draw is kept */
		return s75_error_set(S75_EINVALID, "the number of draws must be from 1 to 100,000,000");
	if (o->has_period && o->period.fy != fy) {
		char pb[16];
		return s75_error_set(S75_EINVALID, "the period %s is not in %s", s75_period_format(pb, o->period),
				     s75_fy_format(b, fy));
	}
	if (o->common_bp < 0 || o->common_bp > 10000)
		return s75_error_set(S75_EINVALID, "the common factor's weight must be from 0 to 100%%");
	m.ag = ag;
	m.y = y;
	m.fy = fy;
	m.pool = o->pool;
	m.np = ag->npartners;
	m.ne = ag->arrangements[o->pool].nelements;
	m.nc = ag->ncost_centres;
	m.seed = o->seed;
	m.draws = o->draws;
	m.wc = sqrt((double)o->common_bp / 10000.0);
	m.wi = sqrt(1.0 - (double)o->common_bp / 10000.0);
	m.sdl = xcalloc(m.ne + 1, sizeof(double));
	m.sdh = xcalloc(m.ne + 1, sizeof(double));
	m.centre = xcalloc(m.ne + 1, sizeof(int64_t));
	m.contrib = xcalloc(m.ne * m.np + 1, sizeof(int64_t));
	m.nopt = 1 + o->nratios;

	x = xcalloc(1, sizeof(*x));
	x->fy = fy;
	x->pool = o->pool;
	x->draws = o->draws;
	x->seed = o->seed;
	x->common_bp = o->common_bp;
	x->nelements = m.ne;
	x->npartners = m.np;
	x->bins = o->bins > 0 ? o->bins : 20;
	x->elements = xcalloc(m.ne + 1, sizeof(s75_expo_element));
	x->in_pool = xcalloc(m.np + 1, sizeof(bool));
	x->noptions = m.nopt;
	x->options = xcalloc(m.nopt, sizeof(s75_expo_option));

	/* the contributions and rule in force at the year's end, as the settlement takes them */
	if ((rc = s75_year_contributions_at(&yc, &nyc, ag, y, s75_fy_end(fy))))
		goto done;
	for (size_t k = 0; k < nyc; k++)
		if (yc[k].pool == o->pool) {
			m.contrib[(size_t)yc[k].element * m.np + (size_t)yc[k].partner] += yc[k].net;
			x->in_pool[yc[k].partner] = true;
		}
	const s75_rs_rule *rule = s75_year_risk_share_at(ag, y, o->pool, s75_fy_end(fy));
	m.aligned = aligned_periods(rule, fy);
	m.rules = xcalloc(m.nopt, sizeof(*m.rules));
	fixed = xcalloc(m.nopt, sizeof(*fixed));
	m.rules[0] = rule;
	for (size_t i = 0; i < o->nratios; i++)
		m.rules[i + 1] = fixed[i + 1] = ratio_rule(o->pool, o->ratio_bp[i], m.np, m.ne);
	m.uncapped = uncapped_rule(rule, m.np);
	m.min_cap = xcalloc(m.np + 1, sizeof(int64_t));
	m.saving_of = xcalloc(m.np + 1, sizeof(int64_t));
	m.precheck = m.aligned == 0;
	for (size_t p = 0; p < m.np; p++)
		m.min_cap[p] = -1;
	for (size_t k = 0; rule && k < rule->nover; k++) {
		m.precheck &= rule->over[k].method != S75_RS_OWN;
		for (size_t p = 0; p < m.np; p++)
			if (rule->over[k].cap[p] >= 0 && (m.min_cap[p] < 0 || rule->over[k].cap[p] < m.min_cap[p]))
				m.min_cap[p] = rule->over[k].cap[p];
	}
	for (size_t e = 0; rule && e < m.ne; e++)
		m.precheck &= !rule->ring_fenced[e];
	for (size_t i = 0; i < y->nsavings; i++) {
		const s75_saving *sv = &y->savings[i];
		if (sv->pool == o->pool && !sv->agreed && sv->amount > sv->delivery)
			m.saving_of[sv->partner] += sv->amount - sv->delivery;
	}
	if (rule_needs_cost_centres(rule, m.aligned)) {
		m.cc_budget = xcalloc(m.nc + 1, sizeof(int64_t));
		for (size_t c = 0; c < m.nc; c++) {
			const s75_budget *bd = s75_year_find_budget(y, (int)c);
			m.cc_budget[c] = bd ? bd->amount : 0;
		}
	}

	if (o->ranges) {
		rc = from_ranges(&m, x, o);
	} else if ((rc = from_history(&m, x, db, o)) && rc == S75_EINVALID && rule && rule->has_range) {
		/* no history: the ranges the agreement states, if it states one for every element */
		bool all = true;
		for (size_t e = 0; e < m.ne; e++)
			all &= rule->has_range[e];
		if (all) {
			x->source_name = xstrdup(s75_error_last());
			s75_expo_range *r = xcalloc(m.ne + 1, sizeof(*r));
			for (size_t e = 0; e < m.ne; e++)
				r[e] = (s75_expo_range){(int)e, rule->range[e][0], rule->range[e][1], rule->range[e][2]};
			s75_exposure_options ao = *o;
			ao.ranges = r;
			ao.nranges = m.ne;
			memset(x->elements, 0, m.ne * sizeof(*x->elements));
			char *why = x->source_name;
			x->source_name = NULL;
			rc = from_ranges(&m, x, &ao);
			free(x->source_name);
			x->source_name = why;
			x->source = S75_EXPO_AGREEMENT;
			free(r);
		}
	}
	if (rc)
		goto done;
	for (size_t e = 0; e < m.ne; e++) {
		s75_expo_element *el = &x->elements[e];
		el->centre = m.centre[e];
		el->sd_low = llround(m.sdl[e]);
		el->sd_high = llround(m.sdh[e]);
		el->p10 = m.centre[e] - llround(m.sdl[e] * Z90);
		el->p90 = m.centre[e] + llround(m.sdh[e] * Z90);
		if (m.sdl[e] < 0 || m.sdh[e] < 0) {
			rc = s75_error_set(S75_EINVALID, "element '%s': P10 <= P50 <= P90 is needed",
					   ag->arrangements[o->pool].elements[e].id);
			goto done;
		}
	}

	for (size_t i = 0; i < m.nopt; i++) {
		s75_expo_option *op = &x->options[i];
		op->name = xstrdup(i ? o->ratio_name[i - 1] : "as agreed");
		op->share = xcalloc(m.np + 1, sizeof(s75_expo_stats));
		op->cap_binds = xcalloc(m.np + 1, sizeof(uint64_t));
		op->has_cap = xcalloc(m.np + 1, sizeof(bool));
		/* option 0 keeps one more column: the pool's variance */
		op->shares = xcalloc((m.np + (i == 0)) * m.draws + 1, sizeof(int64_t));
	}
	for (size_t k = 0; rule && k < rule->nover; k++)
		for (size_t p = 0; p < m.np; p++)
			x->options[0].has_cap[p] |= rule->over[k].cap[p] >= 0;

	/* the draws, in contiguous ranges per thread */
	if ((uint64_t)nth > m.draws)
		nth = (int)m.draws;
	ws = xcalloc((size_t)nth, sizeof(worker));
	th = xcalloc((size_t)nth, sizeof(pthread_t));
	for (int t = 0; t < nth; t++) {
		ws[t].m = &m;
		ws[t].x = x;
		ws[t].from = m.draws * (uint64_t)t / (uint64_t)nth;
		ws[t].to = m.draws * (uint64_t)(t + 1) / (uint64_t)nth;
		ws[t].cap_binds = xcalloc(m.np + 1, sizeof(uint64_t));
	}
	int started = 0;
	for (int t = 1; t < nth; t++, started++)
		if (pthread_create(&th[t], NULL, work, &ws[t]))
			break;
	work(&ws[0]);
	for (int t = 1; t <= started; t++)
		pthread_join(th[t], NULL);
	for (int t = started + 1; t < nth; t++)
		work(&ws[t]); /* a thread that could not start: its range on this one */
	for (int t = 0; t < nth; t++) {
		if (ws[t].rc && !rc)
			rc = s75_error_set(ws[t].rc, "%s", ws[t].err);
		x->overspends += ws[t].overspends;
		for (size_t p = 0; p < m.np; p++)
			x->options[0].cap_binds[p] += ws[t].cap_binds[p];
	}
	if (rc)
		goto done;
	all_stats(x, m.np, nth);
done:
	for (int t = 0; ws && t < nth; t++)
		free(ws[t].cap_binds);
	free(ws);
	free(th);
	free(yc);
	for (size_t i = 1; fixed && i < m.nopt; i++)
		ratio_rule_free(fixed[i]);
	free(fixed);
	uncapped_free((s75_rs_rule *)m.uncapped);
	free(m.rules);
	free(m.sdl);
	free(m.sdh);
	free(m.centre);
	free(m.contrib);
	free(m.cc_budget);
	free(m.min_cap);
	free(m.saving_of);
	if (rc) {
		s75_exposure_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

void s75_exposure_free(s75_exposure *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->noptions; i++) {
		free(x->options[i].name);
		free(x->options[i].share);
		free(x->options[i].cap_binds);
		free(x->options[i].has_cap);
		free(x->options[i].shares);
	}
	free(x->options);
	free(x->elements);
	free(x->in_pool);
	free(x->source_name);
	free(x);
}

/* ---- the ranges file ------------------------------------------------------------- */

int s75_exposure_read_ranges(s75_expo_range **out, size_t *n, const s75_agreement *ag, int pool,
			     const char *path)
{
	static const char *const want[] = {"element", "p10", "p50", "p90"};
	const s75_arrangement *a = &ag->arrangements[pool];
	s75_csv *c = NULL;
	const s75_csv_field *f;
	size_t nf, k = 0;
	s75_expo_range *r = xcalloc(a->nelements + 1, sizeof(*r));
	int rc = s75_csv_open(&c, path, NULL, ',');
	*out = NULL;
	*n = 0;
	if (rc)
		goto done;
	if ((rc = s75_csv_next(c, &f, &nf)) <= 0) {
		rc = rc < 0 ? rc : s75_error_set(S75_EINVALID, "%s: empty file: expected the header element,p10,p50,p90", path);
		goto done;
	}
	for (size_t i = 0; i < 4; i++)
		if (nf != 4 || strcmp(f[i].ptr, want[i])) {
			rc = s75_error_set(S75_EINVALID, "%s:1: expected the header element,p10,p50,p90", path);
			goto done;
		}
	while ((rc = s75_csv_next(c, &f, &nf)) == 1) {
		long line = s75_csv_line(c);
		if (nf != 4) {
			rc = s75_error_set(S75_EINVALID, "%s:%ld: expected 4 fields (element,p10,p50,p90), found %zu",
					   path, line, nf);
			goto done;
		}
		int e = -1;
		for (size_t i = 0; i < a->nelements; i++)
			if (!strcmp(a->elements[i].id, f[0].ptr))
				e = (int)i;
		if (e < 0) {
			rc = s75_error_set(S75_EINVALID, "%s:%ld: element: pool '%s' has no element '%s'",
					   path, line, a->id, f[0].ptr);
			goto done;
		}
		for (size_t i = 0; i < k; i++)
			if (r[i].element == e) {
				rc = s75_error_set(S75_EINVALID, "%s:%ld: element '%s' is given twice", path, line, f[0].ptr);
				goto done;
			}
		int64_t v[3];
		for (size_t i = 0; i < 3; i++)
			if (s75_money_parse(&v[i], f[i + 1].ptr, f[i + 1].len, S75_UNIT_POUNDS, S75_MONEY_SUFFIX)) {
				char why[256];
				snprintf(why, sizeof(why), "%s", s75_error_last());
				rc = s75_error_set(S75_EINVALID, "%s:%ld: %s: %s", path, line, want[i + 1], why);
				goto done;
			}
		if (v[0] > v[1] || v[1] > v[2]) {
			rc = s75_error_set(S75_EINVALID, "%s:%ld: expected p10 <= p50 <= p90", path, line);
			goto done;
		}
		r[k].element = e;
		r[k].p10 = v[0];
		r[k].p50 = v[1];
		r[k].p90 = v[2];
		k++;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	for (size_t e = 0; e < a->nelements; e++) {
		bool seen = false;
		for (size_t i = 0; i < k; i++)
			seen |= r[i].element == (int)e;
		if (!seen) {
			rc = s75_error_set(S75_EINVALID, "%s: no range for element '%s' of pool '%s'", path,
					   a->elements[e].id, a->id);
			goto done;
		}
	}
done:
	s75_csv_free(c);
	if (rc) {
		free(r);
		return rc;
	}
	*out = r;
	*n = k;
	return 0;
}
