/* The care-package register: names of funding categories and service types, reading the
 * register from the workspace, and what a package costs over some days (docs/packages.md).
 * Costs are exact: Σ weekly pence x days in integers, divided by 7 and rounded once. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/alloc.h"
#include "s75/error.h"
#include "s75/packages.h"
#include "xalloc.h"

__extension__ typedef __int128 i128;

static const char *const funding_names[S75_FUND_COUNT] = {"chc", "joint", "s117", "social_care"};
static const char *const funding_titles[S75_FUND_COUNT] = {
	"NHS 100% (continuing healthcare)", "Joint (agreed split)", "Section 117 aftercare",
	"Social care 100%"};
static const char *const service_names[S75_SVC_COUNT] = {
	"residential", "nursing", "supported_living", "day_service",
	"home_care", "direct_payment", "inpatient_bed"};

const char *s75_funding_name(s75_funding f)
{
	return f >= 0 && f < S75_FUND_COUNT ? funding_names[f] : "?";
}

const char *s75_funding_title(s75_funding f)
{
	return f >= 0 && f < S75_FUND_COUNT ? funding_titles[f] : "?";
}

const char *s75_service_name(s75_service s)
{
	return s >= 0 && s < S75_SVC_COUNT ? service_names[s] : "?";
}

/* Lower case, spaces and hyphens as underscores, trimmed: "Supported living" -> "supported_living". */
static size_t normalise(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = c == ' ' || c == '-' ? '_' : (char)tolower(c);
	}
	out[n] = '\0';
	return len < cap ? n : cap; /* too long: matches nothing */
}

int s75_funding_parse(s75_funding *out, const char *s, size_t len)
{
	static const struct {
		const char *name;
		s75_funding f;
	} names[] = {
		{"chc", S75_FUND_CHC},		 {"nhs", S75_FUND_CHC},
		{"nhs_100", S75_FUND_CHC},	 {"nhs_100%", S75_FUND_CHC},
		{"continuing_healthcare", S75_FUND_CHC},
		{"joint", S75_FUND_JOINT},	 {"jointly_funded", S75_FUND_JOINT},
		{"s117", S75_FUND_S117},	 {"section_117", S75_FUND_S117},
		{"social_care", S75_FUND_SOCIAL}, {"social", S75_FUND_SOCIAL},
		{"social_care_100", S75_FUND_SOCIAL}, {"social_care_100%", S75_FUND_SOCIAL},
	};
	char buf[32];
	normalise(buf, sizeof(buf), s, len);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(buf, names[i].name)) {
			*out = names[i].f;
			return 0;
		}
	return s75_error_set(S75_EINVALID,
			     "unknown funding '%.*s' (expected chc, joint, s117 or social_care)",
			     (int)(len > 40 ? 40 : len), s);
}

int s75_service_parse(s75_service *out, const char *s, size_t len)
{
	char buf[32];
	size_t n = normalise(buf, sizeof(buf), s, len);
	/* a plural is the same service: day_services, direct_payments, inpatient_beds */
	if (n > 1 && n < sizeof(buf) && buf[n - 1] == 's' && strcmp(buf, "nursing"))
		buf[n - 1] = '\0';
	if (!strcmp(buf, "inpatient") || !strcmp(buf, "in_patient_bed"))
		strcpy(buf, "inpatient_bed");
	for (int i = 0; i < S75_SVC_COUNT; i++)
		if (!strcmp(buf, service_names[i])) {
			*out = (s75_service)i;
			return 0;
		}
	return s75_error_set(S75_EINVALID,
			     "unknown service '%.*s' (expected residential, nursing, supported_living, day_service, home_care, direct_payment or inpatient_bed)",
			     (int)(len > 40 ? 40 : len), s);
}

bool s75_package_active_on(const s75_package *p, s75_date d)
{
	return p->start <= d && (!p->has_end || d <= p->end);
}

const s75_package_terms *s75_package_terms_on(const s75_package *p, s75_date d)
{
	const s75_package_terms *t = p->nterms ? &p->terms[0] : NULL;
	for (size_t i = 1; i < p->nterms && p->terms[i].effective <= d; i++)
		t = &p->terms[i];
	return t;
}

int s75_year_days_from(s75_date d)
{
	return (int)(s75_date_add_months(d, 12) - d);
}

bool s75_package_unreviewed(const s75_package *p, s75_date on)
{
	return !p->has_last_review || p->last_review < s75_date_add_months(on, -12);
}

/* Pence-days of a cost: gross, client, and each side's weight for the split of net. */
typedef struct cost_acc {
	i128 gross, client, health, social;
} cost_acc;

static void acc_add(cost_acc *a, const s75_package_terms *t, long days)
{
	a->gross += (i128)t->weekly * days;
	a->client += (i128)t->client_weekly * days;
	a->health += (i128)t->weekly * t->health_bp * days;
	a->social += ((i128)t->weekly * (10000 - t->health_bp) - (i128)t->client_weekly * 10000) * days;
}

/* Divides by 7 once, rounding half away from zero (7 is odd: there is never a tie). */
static i128 div7(i128 n)
{
	return n >= 0 ? (n + 3) / 7 : -((-n + 3) / 7);
}

static int acc_finish(s75_package_cost *out, const cost_acc *a)
{
	i128 gross = div7(a->gross), net = div7(a->gross - a->client);
	int64_t parts[2], w[2];
	if (gross > INT64_MAX || gross < INT64_MIN || net > INT64_MAX || net < INT64_MIN ||
	    a->health > INT64_MAX || a->social > INT64_MAX)
		return s75_error_set(S75_EOVERFLOW, "package cost out of range");
	if (a->health < 0 || a->social < 0)
		return s75_error_set(S75_EINVALID,
				     "a client contribution is more than the council's part of the cost");
	out->gross = (int64_t)gross;
	out->net = (int64_t)net;
	out->client = out->gross - out->net;
	out->health = out->social = 0;
	w[0] = (int64_t)a->health;
	w[1] = (int64_t)a->social;
	if (out->net && (w[0] || w[1])) {
		int rc = s75_alloc_split(parts, out->net, w, 2);
		if (rc)
			return rc;
		out->health = parts[0];
		out->social = parts[1];
	}
	return 0;
}

int s75_package_cost_range(s75_package_cost *out, const s75_package *p, s75_date from, s75_date to)
{
	cost_acc a;
	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	if (from < p->start)
		from = p->start;
	if (p->has_end && to > p->end)
		to = p->end;
	if (from > to || !p->nterms)
		return 0;
	for (size_t i = 0; i < p->nterms; i++) {
		/* terms i run from their effective date (the first from any day) to the next's */
		s75_date lo = i == 0 ? from : p->terms[i].effective;
		s75_date hi = i + 1 < p->nterms ? p->terms[i + 1].effective - 1 : to;
		if (lo < from)
			lo = from;
		if (hi > to)
			hi = to;
		if (lo <= hi)
			acc_add(&a, &p->terms[i], (long)hi - lo + 1);
	}
	out->days = (long)to - from + 1;
	int rc = acc_finish(out, &a);
	out->days = rc ? 0 : (long)to - from + 1;
	return rc;
}

int s75_package_annual_cost(s75_package_cost *out, const s75_package *p, s75_date on)
{
	cost_acc a;
	const s75_package_terms *t = s75_package_terms_on(p, on);
	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	if (!t)
		return 0;
	long days = s75_year_days_from(on);
	acc_add(&a, t, days);
	int rc = acc_finish(out, &a);
	out->days = rc ? 0 : days;
	return rc;
}

static void package_release(s75_package *p)
{
	free(p->id);
	free(p->person);
	free(p->provider);
	for (size_t i = 0; i < p->nterms; i++)
		free(p->terms[i].reason);
	free(p->terms);
}

void s75_packages_free(s75_package_register *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		package_release(&r->packages[i]);
	free(r->packages);
	free(r);
}

/* Resolves a package's references to the agreement; sets the error if one is gone. */
static int resolve(const s75_agreement *ag, s75_package *p, sql_stmt *st)
{
	const char *pool = sql_column_text(st, 2);
	const char *el = sql_column_text(st, 3);
	const char *cc = sql_column_text(st, 4);
	const char *hp = sql_column_text(st, 9);
	const char *sp = sql_column_text(st, 10);
	p->pool = s75_agreement_find_arrangement(ag, pool);
	if (p->pool < 0 || ag->arrangements[p->pool].kind != S75_ARR_POOLED_FUND)
		return s75_error_set(S75_EINVALID,
				     "package '%s' is in pool '%s', which the agreement no longer lists",
				     p->id, pool);
	p->element = s75_arrangement_find_element(&ag->arrangements[p->pool], el);
	if (p->element < 0)
		return s75_error_set(S75_EINVALID,
				     "package '%s' is in element '%s' of pool '%s', which the agreement no longer lists",
				     p->id, el, pool);
	p->cost_centre = -1;
	if (cc && (p->cost_centre = s75_agreement_find_cost_centre(ag, cc, strlen(cc))) < 0)
		return s75_error_set(S75_EINVALID,
				     "package '%s' is on cost centre '%s', which the agreement no longer lists",
				     p->id, cc);
	/* a side with no share may have no partner */
	p->health_partner = hp ? s75_agreement_find_partner(ag, hp) : -1;
	p->social_partner = sp ? s75_agreement_find_partner(ag, sp) : -1;
	if ((hp && p->health_partner < 0) || (sp && p->social_partner < 0))
		return s75_error_set(S75_EINVALID,
				     "package '%s' is funded by partner '%s', which the agreement no longer lists",
				     p->id, hp && p->health_partner < 0 ? hp : sp);
	return 0;
}

int s75_packages_load(s75_package_register **out, s75_db *db, const s75_agreement *ag)
{
	sql_stmt *st = NULL, *tt = NULL;
	s75_package_register *r = xcalloc(1, sizeof(*r));
	size_t alloc = 0, k = 0;
	int rc;

	*out = NULL;
	/* each package's latest record; undone batches' rows are gone (the undo trigger) */
	if ((rc = db_prepare(db, &st,
			     "SELECT package, person, pool, element, cost_centre, service, provider,"
			     " start_date, end_date, health_partner, social_partner, last_review,"
			     " next_review, batch_id FROM package p WHERE batch_id ="
			     " (SELECT MAX(batch_id) FROM package q WHERE q.package = p.package)"
			     " ORDER BY package")) ||
	    (rc = db_prepare(db, &tt,
			     /* the key's order: read as it lies, no sort */
			     "SELECT package, effective, weekly, funding, health_bp, client_weekly,"
			     " reason, batch_id FROM package_terms ORDER BY package, effective,"
			     " batch_id")))
		goto done;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(r->packages, r->n + 1, alloc);
		s75_package *p = &r->packages[r->n++];
		memset(p, 0, sizeof(*p));
		p->id = sql_column_dup(st, 0);
		p->person = sql_column_dup(st, 1);
		p->provider = sql_column_dup(st, 6);
		const char *svc = sql_column_text(st, 5);
		if ((rc = s75_service_parse(&p->service, svc, strlen(svc))) ||
		    (rc = resolve(ag, p, st)))
			goto done;
		p->start = sql_column_int(st, 7);
		p->has_end = !sql_column_is_null(st, 8);
		p->end = sql_column_int(st, 8);
		p->has_last_review = !sql_column_is_null(st, 11);
		p->last_review = sql_column_int(st, 11);
		p->next_review = sql_column_int(st, 12);
		p->batch_id = sql_column_int64(st, 13);
	}
	if (rc != SQL_DONE) {
		rc = db_error(db, "cannot read the package register");
		goto done;
	}
	/* terms in the same order as the packages: merge; of two batches' terms from the
	 * same date (identical, or the import refuses them) the later one is kept: it comes
	 * after the earlier and takes its place */
	while ((rc = sql_step(tt)) == SQL_ROW) {
		const char *id = sql_column_text(tt, 0);
		while (k < r->n && strcmp(r->packages[k].id, id) < 0)
			k++;
		if (k == r->n || strcmp(r->packages[k].id, id))
			continue;
		s75_package *p = &r->packages[k];
		s75_date eff = sql_column_int(tt, 1);
		s75_package_terms *t;
		if (p->nterms && p->terms[p->nterms - 1].effective == eff) {
			t = &p->terms[p->nterms - 1];
			free(t->reason);
		} else {
			p->terms = xreallocarray(p->terms, p->nterms + 1, sizeof(*p->terms));
			t = &p->terms[p->nterms++];
		}
		const char *f = sql_column_text(tt, 3);
		t->effective = eff;
		t->weekly = sql_column_int64(tt, 2);
		t->funding = S75_FUND_SOCIAL;
		s75_funding_parse(&t->funding, f, strlen(f)); /* the schema's key checks it */
		t->health_bp = sql_column_int64(tt, 4);
		t->client_weekly = sql_column_int64(tt, 5);
		t->reason = sql_column_dup(tt, 6);
		t->batch_id = sql_column_int64(tt, 7);
	}
	rc = rc == SQL_DONE ? 0 : db_error(db, "cannot read the package register");
	/* every share has its partner (the import sees to it) */
	for (size_t i = 0; i < r->n && !rc; i++) {
		const s75_package *p = &r->packages[i];
		if (!p->nterms)
			rc = s75_error_set(S75_EINVALID, "package '%s' has no terms", p->id);
		for (size_t j = 0; j < p->nterms && !rc; j++)
			if ((p->terms[j].health_bp > 0 && p->health_partner < 0) ||
			    (p->terms[j].health_bp < 10000 && p->social_partner < 0))
				rc = s75_error_set(S75_EINVALID,
						   "package '%s' has a share with no partner to pay it", p->id);
	}
done:
	sql_finalize(st);
	sql_finalize(tt);
	if (rc) {
		s75_packages_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
