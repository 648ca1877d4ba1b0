/* Recharges: each package's cost in each month from the first period recharged to the one
 * asked, the part the paying partner recharges the other side, against what the issued
 * statements charged for the same package, month and pair of partners. A month of the
 * period (or one no statement charged) is a charge; a change in a month charged before is
 * an adjustment. Issued periods are read back from the store (recharges_db.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recharges_store.h"
#include "s75/error.h"
#include "s75/packages.h"
#include "xalloc.h"

/* The partner that pays the provider of `p`: its cost centre's partner, else its element's
 * lead commissioner, else its pool's host (the agreement's host when the pool names none). */
static int payer_of(const s75_agreement *ag, const s75_package *p)
{
	const s75_arrangement *a = &ag->arrangements[p->pool];
	if (p->cost_centre >= 0 && ag->cost_centres[p->cost_centre].partner >= 0)
		return ag->cost_centres[p->cost_centre].partner;
	if (p->element >= 0 && a->elements[p->element].lead >= 0)
		return a->elements[p->element].lead;
	return a->host >= 0 ? a->host : ag->host;
}

/* One (creditor, debtor, package, month) amount: due now (from a package) or charged. */
typedef struct item {
	int creditor, debtor; /* partner indices; -1 for one the agreement no longer has */
	const char *cred_id, *debt_id;
	const char *package;
	s75_period month;
	int64_t amount;
	const s75_package *pkg;         /* due: the package */
	const recharge_charged *charged; /* charged: its first line */
} item;

static int item_cmp(const void *a, const void *b)
{
	const item *x = a, *y = b;
	int c = strcmp(x->cred_id, y->cred_id);
	if (!c)
		c = strcmp(x->debt_id, y->debt_id);
	if (!c)
		c = strcmp(x->package, y->package);
	if (!c)
		c = s75_period_cmp(x->month, y->month);
	return c;
}

static int pkg_cmp(const void *a, const void *b)
{
	const s75_package *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

static void warn(s75_recharges *r, const char *text)
{
	r->warnings = xrealloc(r->warnings, (r->nwarnings + 1) * sizeof(char *));
	r->warnings[r->nwarnings++] = xstrdup(text);
}

/* A line's details from the package (NULL if gone: from the charged line) for `month`. */
static int fill_line(s75_recharge_line *l, const s75_agreement *ag, const s75_package *p,
		     const recharge_charged *c, s75_period month)
{
	memset(l, 0, sizeof(*l));
	l->month = month;
	if (!p) {
		l->package = xstrdup(c->package);
		l->person = xstrdup(c->person);
		l->pool = xstrdup(c->pool);
		l->element = xstrdup(c->element);
		return 0;
	}
	const s75_arrangement *a = &ag->arrangements[p->pool];
	l->package = xstrdup(p->id);
	l->person = xstrdup(p->person);
	l->pool = xstrdup(a->id);
	l->element = xstrdup(p->element >= 0 ? a->elements[p->element].id : "");
	s75_date from = s75_period_start(month), to = s75_period_end(month), last = to;
	if (p->has_end && p->end < last)
		last = p->end;
	s75_package_cost c0;
	int rc = s75_package_cost_range(&c0, p, from, to);
	if (rc)
		return rc;
	if (c0.days > 0) {
		const s75_package_terms *t = s75_package_terms_on(p, last);
		l->funding = xstrdup(s75_funding_name(t->funding));
		l->health_bp = t->health_bp;
		l->reason = t->reason ? xstrdup(t->reason) : NULL;
		l->days = c0.days;
		l->net = c0.net;
	}
	return 0;
}

/* Adds `b` to `*a`, or sets the overflow error. */
static int add(int64_t *a, int64_t b)
{
	if (__builtin_add_overflow(*a, b, a))
		return s75_error_set(S75_EOVERFLOW, "the recharges are out of range");
	return 0;
}

/* The statement of (creditor, debtor), added at the end if new. */
static s75_recharge_statement *statement_for(s75_recharges *r, size_t *alloc, const s75_agreement *ag,
					     const item *it)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->statements[i].creditor, it->cred_id) && !strcmp(r->statements[i].debtor, it->debt_id))
			return &r->statements[i];
	ALLOC_GROW(r->statements, r->n + 1, *alloc);
	s75_recharge_statement *s = &r->statements[r->n++];
	memset(s, 0, sizeof(*s));
	s->creditor = xstrdup(it->cred_id);
	s->debtor = xstrdup(it->debt_id);
	s->creditor_name = xstrdup(s75_agreement_partner_name(ag, it->cred_id));
	s->debtor_name = xstrdup(s75_agreement_partner_name(ag, it->debt_id));
	return s;
}

/* Puts the lines of the period's own month first, keeping the order (package, month) the
 * merge made them in. */
static void own_month_first(s75_recharge_statement *s, s75_period p)
{
	s75_recharge_line *v = xcalloc(s->nlines + 1, sizeof(*v));
	size_t k = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < s->nlines; i++)
			if ((s75_period_cmp(s->lines[i].month, p) == 0) == (pass == 0))
				v[k++] = s->lines[i];
	free(s->lines);
	s->lines = v;
}

/* A statement's place: its creditor's and debtor's places in the agreement (gone: last). */
typedef struct stmt_key {
	int creditor, debtor;
	s75_recharge_statement s;
} stmt_key;

static int stmt_cmp(const void *a, const void *b)
{
	const stmt_key *x = a, *y = b;
	if (x->creditor != y->creditor)
		return x->creditor < y->creditor ? -1 : 1;
	if (x->debtor != y->debtor)
		return x->debtor < y->debtor ? -1 : 1;
	int c = strcmp(x->s.creditor, y->s.creditor);
	return c ? c : strcmp(x->s.debtor, y->s.debtor);
}

static int place(const s75_agreement *ag, const char *id)
{
	int i = s75_agreement_find_partner(ag, id);
	return i < 0 ? (int)ag->npartners : i;
}

static void order_statements(s75_recharges *r, const s75_agreement *ag)
{
	stmt_key *k = xcalloc(r->n + 1, sizeof(*k));
	for (size_t i = 0; i < r->n; i++)
		k[i] = (stmt_key){place(ag, r->statements[i].creditor), place(ag, r->statements[i].debtor), r->statements[i]};
	qsort(k, r->n, sizeof(*k), stmt_cmp);
	for (size_t i = 0; i < r->n; i++)
		r->statements[i] = k[i].s;
	free(k);
}

/* The draft of `p` from the register and the lines issued before. */
static int build_draft(s75_recharges *r, s75_db *db, const s75_agreement *ag, s75_period p,
		       const s75_period *issued, size_t nissued)
{
	s75_package_register *reg = NULL;
	recharge_charged *ch = NULL;
	size_t nch = 0, ndue = 0, dalloc = 0, salloc = 0;
	item *due = NULL, *got = NULL;
	const s75_package **byid = NULL;
	char per[16], buf[256];
	int rc;
	r->first = nissued ? issued[0] : p;
	if ((rc = s75_packages_load(&reg, db, ag)) || (rc = recharges_store_charged(&ch, &nch, db)))
		goto done;
	r->packages = reg->n;
	if (!reg->n)
		warn(r, "no care packages in the register ('s75 import packages'): nothing to recharge");
	byid = xcalloc(reg->n + 1, sizeof(*byid));
	for (size_t i = 0; i < reg->n; i++)
		byid[i] = &reg->packages[i];
	qsort(byid, reg->n, sizeof(*byid), pkg_cmp);
	/* what is due now, per package and month, from each side that does not pay the provider */
	for (size_t i = 0; i < reg->n; i++) {
		const s75_package *pk = byid[i];
		int payer = payer_of(ag, pk);
		for (s75_period m = r->first; s75_period_cmp(m, p) <= 0; m = s75_period_add(m, 1)) {
			s75_package_cost c;
			if ((rc = s75_package_cost_range(&c, pk, s75_period_start(m), s75_period_end(m)))) {
				snprintf(buf, sizeof(buf), "%s", s75_error_last());
				s75_error_set(rc, "package '%s' in %s: %s", pk->id, s75_period_format(per, m), buf);
				goto done;
			}
			int side[2] = {pk->health_partner, pk->social_partner};
			int64_t part[2] = {c.health, c.social};
			for (int k = 0; k < 2; k++) {
				if (side[k] < 0 || side[k] == payer || !part[k])
					continue;
				ALLOC_GROW(due, ndue + 1, dalloc);
				due[ndue++] = (item){payer, side[k], ag->partners[payer].id, ag->partners[side[k]].id,
						     pk->id, m, part[k], pk, NULL};
			}
		}
	}
	/* what was charged, summed per package, month and pair */
	got = xcalloc(nch + 1, sizeof(*got));
	for (size_t i = 0; i < nch; i++)
		got[i] = (item){s75_agreement_find_partner(ag, ch[i].creditor), s75_agreement_find_partner(ag, ch[i].debtor),
				ch[i].creditor, ch[i].debtor, ch[i].package, ch[i].month, ch[i].amount, NULL, &ch[i]};
	qsort(got, nch, sizeof(*got), item_cmp);
	size_t ngot = 0;
	for (size_t i = 0; i < nch; i++) {
		if (ngot && !item_cmp(&got[ngot - 1], &got[i])) {
			if ((rc = add(&got[ngot - 1].amount, got[i].amount)))
				goto done;
		} else {
			got[ngot++] = got[i];
		}
	}
	if (ndue) /* qsort() wants a pointer even for no items: there may be none due */
		qsort(due, ndue, sizeof(*due), item_cmp);
	s75_period latest = nissued ? issued[nissued - 1] : (s75_period){0, 0};
	size_t i = 0, j = 0;
	while (i < ndue || j < ngot) {
		int c = i >= ndue ? 1 : j >= ngot ? -1 : item_cmp(&due[i], &got[j]);
		const item *it = c <= 0 ? &due[i] : &got[j];
		int64_t d = c <= 0 ? due[i].amount : 0, g = c >= 0 ? got[j].amount : 0;
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
		if (d == g)
			continue;
		bool charged_before = nissued && s75_period_cmp(it->month, latest) <= 0;
		const s75_package *pk = it->pkg;
		if (!pk) { /* only charged: the package as the register has it now, if it does */
			const s75_package key = {.id = (char *)it->package}, *kp = &key;
			const s75_package **f = bsearch(&kp, byid, reg->n, sizeof(*byid), pkg_cmp);
			pk = f ? *f : NULL;
		}
		s75_recharge_statement *s = statement_for(r, &salloc, ag, it);
		s->lines = xrealloc(s->lines, (s->nlines + 1) * sizeof(*s->lines));
		s75_recharge_line *l = &s->lines[s->nlines++];
		if ((rc = fill_line(l, ag, pk, it->charged, it->month)))
			goto done;
		l->kind = charged_before ? S75_RECHARGE_ADJUSTMENT : S75_RECHARGE_CHARGE;
		l->due = d;
		l->charged = g;
		if (__builtin_sub_overflow(d, g, &l->amount)) {
			rc = s75_error_set(S75_EOVERFLOW, "the recharges are out of range");
			goto done;
		}
		if ((rc = add(l->kind == S75_RECHARGE_CHARGE ? &s->charges : &s->adjustments, l->amount)) ||
		    (rc = add(&s->total, l->amount)))
			goto done;
	}
	for (size_t k = 0; k < r->n; k++)
		own_month_first(&r->statements[k], p);
	order_statements(r, ag);
	if (nissued && s75_period_cmp(s75_period_add(latest, 1), p) < 0) {
		char lb[16];
		snprintf(buf, sizeof(buf), "no statement was issued after %s: this one charges the months from %s",
			 s75_period_format(lb, latest), s75_period_format(per, s75_period_add(latest, 1)));
		warn(r, buf);
	}
done:
	free(byid);
	free(due);
	free(got);
	recharges_charged_free(ch, nch);
	s75_packages_free(reg);
	return rc;
}

/* The recharges of `p` with the issued periods read (for the issue to check again). */
static int build(s75_recharges **out, size_t *nissued_out, s75_db *db, const s75_agreement *ag, s75_period p)
{
	s75_period *issued = NULL;
	size_t nissued = 0;
	bool found = false;
	char per[16], other[16];
	int rc;
	*out = NULL;
	if ((rc = recharges_store_periods(&issued, &nissued, db)))
		return rc;
	s75_recharges *r = xcalloc(1, sizeof(*r));
	r->period = p;
	if ((rc = recharges_store_load(r, &found, db, p)))
		goto done;
	if (found)
		goto done;
	if (nissued && s75_period_cmp(p, issued[0]) < 0) {
		rc = s75_error_set(S75_EINVALID, "recharges begin at %s, the first period issued: %s is before it",
				   s75_period_format(other, issued[0]), s75_period_format(per, p));
		goto done;
	}
	if (nissued && s75_period_cmp(p, issued[nissued - 1]) < 0) {
		size_t k = 0;
		while (s75_period_cmp(issued[k], p) < 0)
			k++;
		rc = s75_error_set(S75_EINVALID, "no statement was issued for %s: the recharges for %s issued later charged its months",
				   s75_period_format(per, p), s75_period_format(other, issued[k]));
		goto done;
	}
	rc = build_draft(r, db, ag, p, issued, nissued);
done:
	free(issued);
	if (rc) {
		s75_recharges_free(r);
		return rc;
	}
	*nissued_out = nissued;
	*out = r;
	return 0;
}

int s75_recharges_build(s75_recharges **out, s75_db *db, const s75_agreement *ag, s75_period p)
{
	size_t n;
	return build(out, &n, db, ag, p);
}

/* A month is recharged once it is over: `now` (ISO 8601, its date first) must be after the
 * last day of `p`, or a statement would be issued, and kept, on part of a month. */
static int month_ended(s75_period p, const char *now)
{
	char per[16], last[11], today[11], from[11];
	s75_date end = s75_period_end(p), d;
	snprintf(today, sizeof(today), "%s", now ? now : "");
	if (s75_date_parse(&d, today))
		return s75_error_set(S75_EINVALID, "cannot tell whether %s has ended: the time now '%s' is not an ISO 8601 date",
				     s75_period_format(per, p), now ? now : "");
	if (d > end)
		return 0;
	s75_date_format(last, end);
	return s75_error_set(S75_EINVALID,
			     "the recharges for %s cannot be issued before the month has ended: its last day is %s and today is %s; issue them from %s",
			     s75_period_format(per, p), last, today, s75_date_format(from, end + 1));
}

int s75_recharges_issue(s75_recharges **out, s75_db *db, const s75_agreement *ag, s75_period p,
			const char *now)
{
	s75_recharges *r = NULL;
	size_t nissued = 0;
	char per[16];
	int rc;
	*out = NULL;
	if ((rc = month_ended(p, now)))
		return rc;
	if ((rc = build(&r, &nissued, db, ag, p)))
		return rc;
	if (r->issued) {
		s75_recharges_free(r);
		return s75_error_set(S75_EEXISTS, "the recharges for %s were issued already: an issued statement is kept as it is; a change goes on the next period's",
				     s75_period_format(per, p));
	}
	if ((rc = recharges_store_save(r, db, ag, nissued, now))) {
		s75_recharges_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
