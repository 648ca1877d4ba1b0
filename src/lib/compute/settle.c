/* The risk share applied to a year: variances from the monitoring figures, each pool's
 * rule, each partner's final cost, what it paid through its own ledger, and the
 * balancing payments. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "ledger_year.h"
#include "s75/alloc.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/notice.h"
#include "s75/savings.h"
#include "s75/settle.h"
#include "s75/variation.h"
#include "xalloc.h"

/* A rule that shares everything by fixed ratios, for the what-if of other ratios. */
typedef struct fixed_rule {
	s75_rs_rule rule;
	s75_rs_band band;
	int64_t *cap;
	bool *ring_fenced;
} fixed_rule;

static void fixed_rule_init(fixed_rule *f, int pool, const int64_t *ratio_bp, size_t np,
			    size_t ne)
{
	memset(f, 0, sizeof(*f));
	f->cap = xcalloc(np + 1, sizeof(int64_t));
	for (size_t p = 0; p < np; p++)
		f->cap[p] = -1;
	f->ring_fenced = xcalloc(ne + 1, sizeof(bool));
	f->band.method = S75_RS_FIXED;
	f->band.ratio_bp = (int64_t *)ratio_bp;
	f->band.partner = -1;
	f->band.cap = f->cap;
	f->rule.pool = pool;
	f->rule.over = f->rule.under = &f->band;
	f->rule.nover = f->rule.nunder = 1;
	f->rule.ring_fenced = f->ring_fenced;
}

static void fixed_rule_release(fixed_rule *f)
{
	free(f->cap);
	free(f->ring_fenced);
}

/* Periods of the year before pooling began. */
static int aligned_periods(const s75_rs_rule *r, int fy)
{
	if (!r || !r->has_pooled_from || r->pooled_from <= s75_fy_start(fy))
		return 0;
	if (r->pooled_from > s75_fy_end(fy))
		return 12;
	s75_period p = s75_period_of_date(r->pooled_from);
	return p.p - 1 + (s75_period_start(p) != r->pooled_from);
}

/* Spent (expenditure - income) and transferred per cost centre and partner, to `period`,
 * added once from the ledger year kept in memory (no GROUP BY, no sort). */
static int ledger_by_partner(s75_db *db, const s75_agreement *ag, s75_period period,
			     int64_t *spent, int64_t *transferred)
{
	const ledger_year *y;
	int *ccs, *parts, rc = 0;
	size_t np = ag->npartners;
	if ((rc = ledger_year_get(&y, db, period.fy)))
		return rc;
	ledger_year_map(&ccs, &parts, y, ag);
	int last = period.p > 12 ? 12 : period.p;
	for (size_t c = 0; c < y->ncodes && !rc; c++)
		for (size_t pa = 0; pa < y->nparts && !rc; pa++)
			for (int kind = S75_TXN_EXPENDITURE; kind <= S75_TXN_TRANSFER && !rc; kind++)
				for (int p = 1; p <= last; p++) {
					size_t k = LY_CELL(y, c, pa, p, kind);
					if (!(y->flags[k] & LY_PRESENT))
						continue;
					if (y->flags[k] & LY_NOT_INT) {
						rc = s75_error_set(S75_EOVERFLOW,
								   "the ledger total of cost centre '%s' is past the largest amount s75 can hold: undo the batch that took it there",
								   y->codes[c]);
						break;
					}
					if (ccs[c] < 0 || parts[pa] < 0) {
						rc = s75_error_set(S75_EINVALID,
								   "the ledger has rows for '%s' / '%s', which the agreement no longer lists",
								   y->codes[c], y->parts[pa]);
						break;
					}
					size_t at = (size_t)ccs[c] * np + (size_t)parts[pa];
					int64_t *to = kind == S75_TXN_TRANSFER ? &transferred[at] : &spent[at];
					if (kind == S75_TXN_INCOME ? __builtin_sub_overflow(*to, y->amount[k], to)
								   : __builtin_add_overflow(*to, y->amount[k], to)) {
						rc = s75_error_set(S75_EOVERFLOW, "ledger totals out of range");
						break;
					}
				}
	free(ccs);
	free(parts);
	return rc;
}

int s75_ledger_partner_totals(s75_db *db, const s75_agreement *ag, s75_period period, int pool,
			      int64_t *spent, int64_t *transferred)
{
	size_t np = ag->npartners, nc = ag->ncost_centres;
	int64_t *s = xcalloc(nc * np + 1, sizeof(int64_t)), *t = xcalloc(nc * np + 1, sizeof(int64_t));
	int rc = ledger_by_partner(db, ag, period, s, t);
	memset(spent, 0, np * sizeof(int64_t));
	memset(transferred, 0, np * sizeof(int64_t));
	for (size_t c = 0; !rc && c < nc; c++) {
		if (ag->cost_centres[c].pool != pool)
			continue;
		for (size_t p = 0; p < np; p++) {
			spent[p] += s[c * np + p];
			transferred[p] += t[c * np + p];
		}
	}
	free(s);
	free(t);
	return rc;
}

int s75_balancing_payments(s75_payment **out, size_t *n, const int64_t *balance,
			   size_t npartners, int host)
{
	s75_payment *pay = xcalloc(npartners + 1, sizeof(*pay));
	size_t k = 0;
	int64_t *left = xcalloc(npartners + 1, sizeof(int64_t));
	memcpy(left, balance, npartners * sizeof(int64_t));
	if (host >= 0) {
		/* everyone settles with the host */
		for (size_t p = 0; p < npartners; p++) {
			if ((int)p == host || !left[p])
				continue;
			pay[k].from = left[p] < 0 ? (int)p : host;
			pay[k].to = left[p] < 0 ? host : (int)p;
			pay[k].amount = left[p] < 0 ? -left[p] : left[p];
			k++;
		}
	} else {
		/* the largest debtor pays the largest creditor until all are square: each
		 * payment clears at least one partner, so there are at most n - 1 */
		for (;;) {
			int d = -1, c = -1;
			for (size_t p = 0; p < npartners; p++) {
				if (left[p] < 0 && (d < 0 || left[p] < left[d]))
					d = (int)p;
				if (left[p] > 0 && (c < 0 || left[p] > left[c]))
					c = (int)p;
			}
			if (d < 0 || c < 0)
				break;
			int64_t amt = -left[d] < left[c] ? -left[d] : left[c];
			pay[k].from = d;
			pay[k].to = c;
			pay[k].amount = amt;
			k++;
			left[d] += amt;
			left[c] -= amt;
		}
	}
	free(left);
	for (size_t i = 0; i < k; i++)
		pay[i].pool = -1;
	*out = pay;
	*n = k;
	return 0;
}

static int settle_pool(s75_settlement *s, s75_db *db, const s75_agreement *ag, const s75_year *y,
		       const s75_monitoring *m, const int64_t *spent, const int64_t *transferred,
		       int pool, const s75_settle_options *o, s75_settle_pool *sp)
{
	const s75_arrangement *a = &ag->arrangements[pool];
	const s75_what_if *wi = o->what_if && (o->what_if->pool < 0 || o->what_if->pool == pool)
					? o->what_if
					: NULL;
	size_t np = ag->npartners, ne = a->nelements, nc = ag->ncost_centres;
	int64_t *contrib = xcalloc(ne * np + 1, sizeof(int64_t));
	int64_t *ev = xcalloc(ne + 1, sizeof(int64_t)), *eb = xcalloc(ne + 1, sizeof(int64_t));
	int64_t *cv = xcalloc(nc + 1, sizeof(int64_t)), *cb = xcalloc(nc + 1, sizeof(int64_t));
	int64_t *w = xcalloc(np + nc + ne + 1, sizeof(int64_t));
	int64_t *parts = xcalloc(np + nc + ne + 1, sizeof(int64_t));
	s75_saving *savings = NULL;
	fixed_rule fr;
	int rc = 0;

	memset(&fr, 0, sizeof(fr));
	sp->pool = pool;
	sp->host = a->host >= 0 ? a->host : ag->host;
	sp->partners = xcalloc(np + 1, sizeof(s75_settle_partner));
	/* the contributions and risk share in force at the year's end (a projection: at its
	 * period's end), variations included (variation.h) */
	s75_date in_force = o->forecast	   ? s75_period_end(o->period)
			    : sp->part_year ? sp->ends
					    : s75_fy_end(y->fy);
	s75_contribution *yc = NULL;
	size_t nyc = 0;
	if ((rc = s75_year_contributions_at(&yc, &nyc, ag, y, in_force)))
		goto done;
	for (size_t k = 0; k < nyc; k++) {
		const s75_contribution *c = &yc[k];
		if (c->pool == pool) {
			int64_t *to = &contrib[(size_t)c->element * np + (size_t)c->partner];
			if (__builtin_add_overflow(*to, c->net, to)) {
				free(yc);
				rc = s75_error_set(S75_EOVERFLOW, "the contributions to pool '%s' add up to more than s75 can hold (see 's75 check')",
						   a->id);
				goto done;
			}
			sp->partners[c->partner].involved = true;
		}
	}
	free(yc);
	if (sp->part_year) {
		/* the part year's share of each contribution, to the penny (months or days) */
		int64_t pw[2] = {sp->part_num, sp->part_den - sp->part_num}, two[2];
		for (size_t k = 0; k < ne * np; k++)
			if (contrib[k] && (rc = s75_alloc_split(two, contrib[k], pw, 2)) == 0)
				contrib[k] = two[0];
			else if (rc)
				goto done;
	}
	if (wi && wi->rebase_bp) {
		/* the same total per element, split anew */
		for (size_t e = 0; e < ne; e++) {
			int64_t t = 0;
			for (size_t p = 0; p < np; p++)
				if (__builtin_add_overflow(t, contrib[e * np + p], &t)) {
					rc = s75_error_set(S75_EOVERFLOW, "the contributions to pool '%s' add up to more than s75 can hold (see 's75 check')",
							   a->id);
					goto done;
				}
			if ((rc = s75_alloc_split(&contrib[e * np], t, wi->rebase_bp, np)))
				goto done;
		}
		for (size_t p = 0; p < np; p++)
			sp->partners[p].involved |= wi->rebase_bp[p] > 0;
	}
	for (size_t e = 0; e < ne; e++)
		for (size_t p = 0; p < np; p++) {
			int64_t v = contrib[e * np + p];
			if (__builtin_add_overflow(eb[e], v, &eb[e]) ||
			    __builtin_add_overflow(sp->partners[p].contribution, v, &sp->partners[p].contribution) ||
			    __builtin_add_overflow(sp->budget, v, &sp->budget)) {
				rc = s75_error_set(S75_EOVERFLOW, "the contributions to pool '%s' add up to more than s75 can hold (see 's75 check')",
						   a->id);
				goto done;
			}
		}
	/* outturn per cost centre: the forecast at the period, or the actual of the year */
	for (size_t i = 0; i < m->nrows; i++) {
		const s75_monitor_row *r = &m->rows[i];
		if (r->pool != pool)
			continue;
		int64_t out = o->forecast ? r->forecast : r->actual_to_date;
		/* a part year: the budget profile cut at its end */
		cb[r->cost_centre] = sp->part_year ? r->budget_to_date : r->budget;
		if (__builtin_sub_overflow(out, cb[r->cost_centre], &cv[r->cost_centre]) ||
		    __builtin_add_overflow(ev[r->element], out, &ev[r->element]) ||
		    __builtin_add_overflow(sp->outturn, out, &sp->outturn)) {
			rc = s75_error_set(S75_EOVERFLOW, "the outturn of pool '%s' is past the largest amount s75 can hold", a->id);
			goto done;
		}
	}
	for (size_t e = 0; e < ne; e++)
		if (__builtin_sub_overflow(ev[e], eb[e], &ev[e])) { /* outturn - net contribution */
			rc = s75_error_set(S75_EOVERFLOW, "the variance of pool '%s' is past the largest amount s75 can hold", a->id);
			goto done;
		}
	if (wi && wi->has_variance) {
		/* a given variance, spread over elements and cost centres by their budgets */
		bool any = false;
		for (size_t e = 0; e < ne; e++)
			any |= (w[e] = eb[e] > 0 ? eb[e] : 0) > 0;
		if (!any)
			for (size_t e = 0; e < ne; e++)
				w[e] = 1;
		if ((rc = s75_alloc_split(ev, wi->variance, w, ne)))
			goto done;
		for (size_t e = 0; e < ne; e++) {
			bool anyc = false;
			for (size_t c = 0; c < nc; c++) {
				const s75_cost_centre *cc = &ag->cost_centres[c];
				w[c] = cc->pool == pool && (size_t)cc->element == e && cb[c] > 0 ? cb[c] : 0;
				anyc |= w[c] > 0;
			}
			if (anyc && (rc = s75_alloc_split(parts, ev[e], w, nc)))
				goto done;
			for (size_t c = 0; c < nc; c++)
				if (ag->cost_centres[c].pool == pool && (size_t)ag->cost_centres[c].element == e)
					cv[c] = anyc ? parts[c] : 0;
		}
		if (__builtin_add_overflow(sp->budget, wi->variance, &sp->outturn)) {
			rc = s75_error_set(S75_EOVERFLOW, "a variance of that size takes the outturn out of range");
			goto done;
		}
	}
	/* savings: the year's, and a what-if shortfall that adds to the overspend */
	size_t ns = y->nsavings;
	savings = xcalloc(ns + 2, sizeof(*savings));
	if (ns)
		memcpy(savings, y->savings, ns * sizeof(*savings));
	if (ns && db) {
		/* delivery recorded in the workspace: to date, plus the forecast for the rest */
		s75_savings_progress *sp_ = NULL;
		if ((rc = s75_savings_progress_build(&sp_, db, ag, y->fy, o->forecast ? o->period.p : 12)))
			goto done;
		for (size_t i = 0; i < ns; i++)
			if (sp_->items[i].recorded)
				savings[i].delivery = sp_->items[i].forecast_year;
		s75_savings_progress_free(sp_);
	}
	if (wi && wi->saving_partner >= 0 && wi->saving_shortfall > 0 && ne > 0) {
		size_t big = 0;
		for (size_t e = 1; e < ne; e++)
			if (eb[e] > eb[big])
				big = e;
		s75_saving *x = &savings[ns++];
		memset(x, 0, sizeof(*x));
		x->pool = pool;
		x->element = (int)big;
		x->partner = wi->saving_partner;
		x->amount = wi->saving_shortfall;
		x->delivery = 0;
		x->agreed = false;
		if (__builtin_add_overflow(ev[big], wi->saving_shortfall, &ev[big]) ||
		    __builtin_add_overflow(sp->outturn, wi->saving_shortfall, &sp->outturn)) {
			rc = s75_error_set(S75_EOVERFLOW, "a saving of that size takes the outturn out of range");
			goto done;
		}
	}
	sp->variance = sp->outturn - sp->budget;

	const s75_rs_rule *rule = s75_year_risk_share_at(ag, y, pool, in_force);
	if (wi && wi->ratio_bp) {
		fixed_rule_init(&fr, pool, wi->ratio_bp, np, ne);
		rule = &fr.rule;
	}
	s75_rs_input in = {ag, y->fy, pool, rule, ev, cv, contrib, savings, ns,
			   aligned_periods(rule, y->fy)};
	if ((rc = s75_riskshare_apply(&sp->rs, &in)))
		goto done;
	sp->reserve = sp->rs->reserve;
	for (size_t p = 0; p < np; p++) {
		s75_settle_partner *x = &sp->partners[p];
		x->variance_share = sp->rs->share[p];
		x->final_cost = x->contribution + x->variance_share;
		x->involved |= x->variance_share != 0;
	}
	/* what each partner paid through its own ledger, and what it owes or is owed */
	if (!o->forecast && !(wi && wi->has_variance)) {
		int64_t transfers = 0;
		for (size_t c = 0; c < nc; c++) {
			if (ag->cost_centres[c].pool != pool)
				continue;
			for (size_t p = 0; p < np; p++) {
				sp->partners[p].spent += spent[c * np + p];
				sp->partners[p].transferred += transferred[c * np + p];
				transfers += transferred[c * np + p];
				sp->partners[p].involved |= spent[c * np + p] || transferred[c * np + p];
			}
		}
		if (transfers) {
			s75_buf t = S75_BUF_INIT;
			s75_money_format(&t, transfers, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
			rc = s75_error_set(S75_EINVALID,
					   "contribution transfers in pool '%s' do not net to zero (%s more paid than received): import both partners' sides of each transfer",
					   a->id, t.ptr);
			s75_buf_release(&t);
			goto done;
		}
		if (sp->host >= 0)
			sp->partners[sp->host].reserve_held = sp->reserve;
		for (size_t p = 0; p < np; p++) {
			s75_settle_partner *x = &sp->partners[p];
			x->balance = x->spent + x->transferred + x->reserve_held - x->final_cost;
			s->balance[p] += x->balance;
		}
	}
done:
	if (wi && wi->ratio_bp)
		fixed_rule_release(&fr);
	free(savings);
	free(contrib);
	free(ev);
	free(eb);
	free(cv);
	free(cb);
	free(w);
	free(parts);
	return rc;
}

/*
 * The balancing payments: per pool through that pool's own host (where its reserve is
 * held), or netted across pools through the agreement's host; with `direct`, the fewest
 * direct transfers instead.
 */
static int pool_payments(s75_settlement *s, size_t np, int host, const s75_settle_options *o)
{
	int rc = 0;
	s->net = o->net;
	if (o->net) {
		if ((rc = s75_balancing_payments(&s->payments, &s->npayments, s->balance, np,
						 o->direct ? -1 : host)))
			return rc;
		for (size_t i = 0; i < s->npayments; i++)
			s->payments[i].pool = -1;
		return 0;
	}
	int64_t *bal = xcalloc(np + 1, sizeof(int64_t));
	for (size_t i = 0; i < s->npools && !rc; i++) {
		const s75_settle_pool *p = &s->pools[i];
		s75_payment *pay = NULL;
		size_t n = 0;
		for (size_t k = 0; k < np; k++)
			bal[k] = p->partners[k].balance;
		if ((rc = s75_balancing_payments(&pay, &n, bal, np, o->direct ? -1 : p->host)))
			break;
		s->payments = xreallocarray(s->payments, s->npayments + n + 1, sizeof(*pay));
		for (size_t k = 0; k < n; k++) {
			pay[k].pool = p->pool;
			s->payments[s->npayments++] = pay[k];
		}
		free(pay);
	}
	free(bal);
	return rc;
}

int s75_settle(s75_settlement **out, s75_db *db, const s75_agreement *ag, int fy,
	       const s75_settle_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	s75_monitoring *m = NULL, *mpart = NULL;
	s75_settlement *s = NULL;
	int64_t *spent = NULL, *transferred = NULL, *spart = NULL, *tpart = NULL;
	s75_date *ends = NULL;
	size_t np = ag->npartners;
	int rc;

	*out = NULL;
	if (!y) {
		char b[8];
		return s75_error_set(S75_ENOTFOUND, "the agreement has no year %s", s75_fy_format(b, fy));
	}
	s = xcalloc(1, sizeof(*s));
	s->fy = fy;
	s->forecast = o->forecast;
	s->period = o->forecast ? o->period : (s75_period){fy, 12};
	s->npartners = np;
	s->balance = xcalloc(np + 1, sizeof(int64_t));
	s->pools = xcalloc(ag->narrangements + 1, sizeof(s75_settle_pool));
	spent = xcalloc(ag->ncost_centres * np + 1, sizeof(int64_t));
	transferred = xcalloc(ag->ncost_centres * np + 1, sizeof(int64_t));
	if ((rc = s75_monitoring_build(&m, db, ag, s->period, S75_LEVEL_COST_CENTRE)) ||
	    (rc = ledger_by_partner(db, ag, s->period, spent, transferred)))
		goto done;
	s->nwarnings = o->forecast ? m->nwarnings : m->ninputs;
	s->warnings = xcalloc(s->nwarnings + 1, sizeof(char *));
	for (size_t i = 0; i < s->nwarnings; i++)
		s->warnings[i] = xstrdup(m->warnings[i]);
	/* a pool that ends inside the year settles its part year (not a projection) */
	if (!o->forecast && (rc = s75_arrangement_ends(&ends, db, ag)))
		goto done;
	for (size_t a = 0; a < ag->narrangements; a++) {
		if (ag->arrangements[a].kind != S75_ARR_POOLED_FUND)
			continue;
		s75_settle_pool *sp = &s->pools[s->npools++];
		const s75_monitoring *pm = m;
		const int64_t *ps = spent, *pt = transferred;
		sp->to = s->period;
		if (ends && ends[a] >= s75_fy_start(fy) && ends[a] < s75_fy_end(fy)) {
			const s75_notice_terms *nt = &ag->notice;
			sp->part_year = true;
			sp->ends = ends[a];
			sp->to = s75_period_of_date(ends[a]);
			sp->part_num = nt->pro_rata_days ? ends[a] - s75_fy_start(fy) + 1 : sp->to.p;
			sp->part_den = nt->pro_rata_days ? s75_fy_end(fy) - s75_fy_start(fy) + 1 : 12;
			s75_monitoring_free(mpart);
			mpart = NULL;
			if (!spart)
				spart = xcalloc(ag->ncost_centres * np + 1, sizeof(int64_t));
			if (!tpart)
				tpart = xcalloc(ag->ncost_centres * np + 1, sizeof(int64_t));
			memset(spart, 0, (ag->ncost_centres * np + 1) * sizeof(int64_t));
			memset(tpart, 0, (ag->ncost_centres * np + 1) * sizeof(int64_t));
			if ((rc = s75_monitoring_build(&mpart, db, ag, sp->to, S75_LEVEL_COST_CENTRE)) ||
			    (rc = ledger_by_partner(db, ag, sp->to, spart, tpart)))
				goto done;
			pm = mpart;
			ps = spart;
			pt = tpart;
		}
		if ((rc = settle_pool(s, db, ag, y, pm, ps, pt, (int)a, o, sp)))
			goto done;
	}
	if (!o->forecast && !(o->what_if && o->what_if->has_variance))
		rc = pool_payments(s, np, ag->host, o);
done:
	s75_monitoring_free(m);
	s75_monitoring_free(mpart);
	free(spent);
	free(transferred);
	free(spart);
	free(tpart);
	free(ends);
	if (rc) {
		s75_settlement_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void s75_settlement_free(s75_settlement *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->npools; i++) {
		s75_rs_result_free(s->pools[i].rs);
		free(s->pools[i].partners);
	}
	free(s->pools);
	s75_strings_free(s->warnings, s->nwarnings);
	free(s->balance);
	free(s->payments);
	free(s);
}
