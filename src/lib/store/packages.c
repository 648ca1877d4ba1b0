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

/* Text columns of the record being read, copied (a step frees SQLite's) and reused. */
enum { F_ID, F_PERSON, F_POOL, F_ELEMENT, F_CC, F_SERVICE, F_PROVIDER, F_HP, F_SP, NFIELDS };

/* A text resolved for a column and what it gave: packages share a few pools, elements,
 * services, cost centres and partners, so each column keeps its last few. */
typedef struct resolved {
	s75_buf text;
	bool null, valid;
	int index;
	int pool; /* an element's: element ids are per pool (-1 for the other columns) */
} resolved;
#define NRESOLVED 8

struct s75_package_cursor {
	s75_db *db;
	const s75_agreement *ag;
	sql_stmt *st, *tt; /* records and terms, each on its next unread row */
	int st_rc, tt_rc;      /* their last sql_step() */
	s75_package p;         /* the package handed out last */
	size_t terms_alloc;
	s75_buf field[NFIELDS];
	bool null[NFIELDS];
	s75_buf *reason; /* per slot of p.terms */
	size_t nreason;
	resolved cache[NFIELDS][NRESOLVED];
	unsigned next_slot[NFIELDS]; /* the one to replace next */
	resolved funding; /* the last funding category's text and value */
};

static void field_copy(s75_package_cursor *c, int f, int col)
{
	const char *t = sql_column_text(c->st, col);
	s75_buf_reset(&c->field[f]);
	c->null[f] = !t;
	if (t)
		s75_buf_add(&c->field[f], t, (size_t)sql_column_bytes(c->st, col));
}

/* Whether column `f` holds a text resolved before (in `pool`, for an element), whose
 * index is then `*out`. */
static bool cached_in(s75_package_cursor *c, int f, int pool, int *out)
{
	for (int k = 0; k < NRESOLVED; k++) {
		const resolved *r = &c->cache[f][k];
		if (r->valid && r->pool == pool && r->null == c->null[f] &&
		    r->text.len == c->field[f].len &&
		    !memcmp(r->text.ptr, c->field[f].ptr, r->text.len)) {
			*out = r->index;
			return true;
		}
	}
	return false;
}

static bool cached(s75_package_cursor *c, int f, int *out)
{
	return cached_in(c, f, -1, out);
}

static void remember_in(s75_package_cursor *c, int f, int pool, int index)
{
	resolved *r = &c->cache[f][c->next_slot[f]++ % NRESOLVED];
	r->pool = pool;
	s75_buf_reset(&r->text);
	s75_buf_add(&r->text, c->field[f].ptr, c->field[f].len);
	r->null = c->null[f];
	r->valid = true;
	r->index = index;
}

static void remember(s75_package_cursor *c, int f, int index)
{
	remember_in(c, f, -1, index);
}

/* The partner column `f` names (-1 for none); sets the error if the agreement lost it. */
static int resolve_partner(s75_package_cursor *c, int f, int *out)
{
	const char *id = c->null[f] ? NULL : c->field[f].ptr;
	if (cached(c, f, out))
		return 0;
	*out = id ? s75_agreement_find_partner(c->ag, id) : -1;
	if (id && *out < 0)
		return s75_error_set(S75_EINVALID,
				     "package '%s' is funded by partner '%s', which the agreement no longer lists",
				     c->p.id, id);
	remember(c, f, *out);
	return 0;
}

/* Resolves the record's references to the agreement; sets the error if one is gone. */
static int resolve(s75_package_cursor *c)
{
	const s75_agreement *ag = c->ag;
	s75_package *p = &c->p;
	const char *pool = c->field[F_POOL].ptr, *el = c->field[F_ELEMENT].ptr;
	const char *cc = c->null[F_CC] ? NULL : c->field[F_CC].ptr;
	int v, rc;
	if (cached(c, F_SERVICE, &v)) {
		p->service = (s75_service)v;
	} else {
		if ((rc = s75_service_parse(&p->service, c->field[F_SERVICE].ptr,
					    c->field[F_SERVICE].len)))
			return rc;
		remember(c, F_SERVICE, (int)p->service);
	}
	if (!cached(c, F_POOL, &p->pool)) {
		p->pool = s75_agreement_find_arrangement(ag, pool);
		if (p->pool < 0 || ag->arrangements[p->pool].kind != S75_ARR_POOLED_FUND)
			return s75_error_set(S75_EINVALID,
					     "package '%s' is in pool '%s', which the agreement no longer lists",
					     p->id, pool);
		remember(c, F_POOL, p->pool);
	}
	if (!cached_in(c, F_ELEMENT, p->pool, &p->element)) {
		p->element = s75_arrangement_find_element(&ag->arrangements[p->pool], el);
		if (p->element < 0)
			return s75_error_set(S75_EINVALID,
					     "package '%s' is in element '%s' of pool '%s', which the agreement no longer lists",
					     p->id, el, pool);
		remember_in(c, F_ELEMENT, p->pool, p->element);
	}
	if (!cached(c, F_CC, &p->cost_centre)) {
		p->cost_centre = -1;
		if (cc && (p->cost_centre = s75_agreement_find_cost_centre(ag, cc, strlen(cc))) < 0)
			return s75_error_set(S75_EINVALID,
					     "package '%s' is on cost centre '%s', which the agreement no longer lists",
					     p->id, cc);
		remember(c, F_CC, p->cost_centre);
	}
	/* a side with no share may have no partner */
	if ((rc = resolve_partner(c, F_HP, &p->health_partner)))
		return rc;
	return resolve_partner(c, F_SP, &p->social_partner);
}

int s75_package_cursor_new(s75_package_cursor **out, s75_db *db, const s75_agreement *ag)
{
	s75_package_cursor *c = xcalloc(1, sizeof(*c));
	int rc;
	*out = NULL;
	c->db = db;
	c->ag = ag;
	for (int f = 0; f < NFIELDS; f++) {
		s75_buf_init(&c->field[f]);
		for (int k = 0; k < NRESOLVED; k++)
			s75_buf_init(&c->cache[f][k].text);
	}
	s75_buf_init(&c->funding.text);
	/* both in their key's order, read as they lie (no sort): every record of a package,
	 * the latest batch's last (undone batches' rows are gone: the undo trigger), and every
	 * batch's terms; merged here by package id with strcmp(), which is SQLite's BINARY
	 * order of the key (a PostgreSQL back end orders them COLLATE "C" for the same) */
	if ((rc = db_prepare(db, &c->st,
			     "SELECT package, person, pool, element, cost_centre, service, provider,"
			     " start_date, end_date, health_partner, social_partner, last_review,"
			     " next_review, batch_id FROM package ORDER BY package, batch_id")) ||
	    (rc = db_prepare(db, &c->tt,
			     "SELECT package, effective, weekly, funding, health_bp, client_weekly,"
			     " reason, batch_id FROM package_terms ORDER BY package, effective,"
			     " batch_id"))) {
		s75_package_cursor_free(c);
		return rc;
	}
	c->st_rc = sql_step(c->st);
	c->tt_rc = sql_step(c->tt);
	*out = c;
	return 0;
}

void s75_package_cursor_free(s75_package_cursor *c)
{
	if (!c)
		return;
	sql_finalize(c->st);
	sql_finalize(c->tt);
	for (int f = 0; f < NFIELDS; f++) {
		s75_buf_release(&c->field[f]);
		for (int k = 0; k < NRESOLVED; k++)
			s75_buf_release(&c->cache[f][k].text);
	}
	s75_buf_release(&c->funding.text);
	for (size_t i = 0; i < c->nreason; i++)
		s75_buf_release(&c->reason[i]);
	free(c->reason);
	free(c->p.terms);
	free(c);
}

/* The record on the statement's row into the fields and `p` (references resolved later). */
static void record_copy(s75_package_cursor *c)
{
	sql_stmt *st = c->st;
	s75_package *p = &c->p;
	static const int cols[NFIELDS] = {0, 1, 2, 3, 4, 5, 6, 9, 10};
	for (int f = 0; f < NFIELDS; f++)
		field_copy(c, f, cols[f]);
	p->start = sql_column_int(st, 7);
	p->has_end = !sql_column_is_null(st, 8);
	p->end = sql_column_int(st, 8);
	p->has_last_review = !sql_column_is_null(st, 11);
	p->last_review = sql_column_int(st, 11);
	p->next_review = sql_column_int(st, 12);
	p->batch_id = sql_column_int64(st, 13);
}

/* Reads the terms of package `id` (the terms statement's next rows); skips any of a
 * package with no record. Of two batches' terms from the same date (identical, or the
 * import refuses them) the later one is kept: it comes after the earlier and takes its
 * place. */
static int terms_read(s75_package_cursor *c, const char *id)
{
	s75_package *p = &c->p;
	p->nterms = 0;
	for (; c->tt_rc == SQL_ROW; c->tt_rc = sql_step(c->tt)) {
		const char *tid = sql_column_text(c->tt, 0);
		int cmp = strcmp(tid, id);
		if (cmp < 0)
			continue;
		if (cmp > 0)
			break;
		s75_date eff = sql_column_int(c->tt, 1);
		size_t j;
		if (p->nterms && p->terms[p->nterms - 1].effective == eff) {
			j = p->nterms - 1;
		} else {
			ALLOC_GROW(p->terms, p->nterms + 1, c->terms_alloc);
			j = p->nterms++;
		}
		if (j >= c->nreason) {
			c->reason = xreallocarray(c->reason, j + 1, sizeof(*c->reason));
			s75_buf_init(&c->reason[j]);
			c->nreason = j + 1;
		}
		s75_package_terms *t = &p->terms[j];
		const char *f = sql_column_text(c->tt, 3);
		size_t flen = (size_t)sql_column_bytes(c->tt, 3);
		const char *why = sql_column_text(c->tt, 6);
		t->effective = eff;
		t->weekly = sql_column_int64(c->tt, 2);
		resolved *fr = &c->funding;
		if (!fr->valid || fr->text.len != flen || memcmp(fr->text.ptr, f, flen)) {
			s75_funding x = S75_FUND_SOCIAL;
			s75_funding_parse(&x, f, flen); /* the schema's key checks it */
			s75_buf_reset(&fr->text);
			s75_buf_add(&fr->text, f, flen);
			fr->index = (int)x;
			fr->valid = true;
		}
		t->funding = (s75_funding)fr->index;
		t->health_bp = sql_column_int64(c->tt, 4);
		t->client_weekly = sql_column_int64(c->tt, 5);
		s75_buf_reset(&c->reason[j]);
		if (why)
			s75_buf_add(&c->reason[j], why, (size_t)sql_column_bytes(c->tt, 6));
		t->reason = why ? c->reason[j].ptr : NULL;
		t->batch_id = sql_column_int64(c->tt, 7);
	}
	if (c->tt_rc != SQL_ROW && c->tt_rc != SQL_DONE)
		return db_error(c->db, "cannot read the package register");
	return 0;
}

int s75_package_cursor_next(const s75_package **out, s75_package_cursor *c)
{
	s75_package *p = &c->p;
	int rc;
	*out = NULL;
	if (c->st_rc == SQL_DONE)
		return 0;
	if (c->st_rc != SQL_ROW)
		return db_error(c->db, "cannot read the package register");
	/* the package's latest record: the last of its rows */
	do {
		record_copy(c);
		c->st_rc = sql_step(c->st);
	} while (c->st_rc == SQL_ROW &&
		 !strcmp(sql_column_text(c->st, 0), c->field[F_ID].ptr));
	if (c->st_rc != SQL_ROW && c->st_rc != SQL_DONE)
		return db_error(c->db, "cannot read the package register");
	p->id = c->field[F_ID].ptr;
	p->person = c->field[F_PERSON].ptr;
	p->provider = c->null[F_PROVIDER] ? NULL : c->field[F_PROVIDER].ptr;
	if ((rc = resolve(c)) || (rc = terms_read(c, p->id)))
		return rc;
	/* every share has its partner (the import sees to it) */
	if (!p->nterms)
		return s75_error_set(S75_EINVALID, "package '%s' has no terms", p->id);
	for (size_t j = 0; j < p->nterms; j++)
		if ((p->terms[j].health_bp > 0 && p->health_partner < 0) ||
		    (p->terms[j].health_bp < 10000 && p->social_partner < 0))
			return s75_error_set(S75_EINVALID,
					     "package '%s' has a share with no partner to pay it", p->id);
	*out = p;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int s75_packages_load(s75_package_register **out, s75_db *db, const s75_agreement *ag)
{
	s75_package_register *r = xcalloc(1, sizeof(*r));
	s75_package_cursor *c = NULL;
	const s75_package *q;
	size_t alloc = 0;
	int rc;

	*out = NULL;
	if ((rc = s75_package_cursor_new(&c, db, ag)))
		goto done;
	while (!(rc = s75_package_cursor_next(&q, c)) && q) {
		ALLOC_GROW(r->packages, r->n + 1, alloc);
		s75_package *p = &r->packages[r->n++];
		*p = *q;
		p->id = xstrdup(q->id);
		p->person = xstrdup(q->person);
		p->provider = dup_or_null(q->provider);
		p->terms = xcalloc(q->nterms, sizeof(*p->terms));
		for (size_t j = 0; j < q->nterms; j++) {
			p->terms[j] = q->terms[j];
			p->terms[j].reason = dup_or_null(q->terms[j].reason);
		}
	}
done:
	s75_package_cursor_free(c);
	if (rc) {
		s75_packages_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
