/* Importing the care-package register from CSV, as the ledger import does (import.c): one
 * transaction, every bad row reported as FILE:LINE: reason, the file's sha256 recorded so
 * the same content is never imported twice, control totals and the audit log. The register
 * holds pseudonymous ids only: a column that looks like personal data is refused. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "db_internal.h"
#include "rows.h"
#include "sha256.h"
#include "s75/alloc.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "s75/personal.h"
#include "s75/packages.h"
#include "strmap.h"
#include "xalloc.h"

__extension__ typedef __int128 i128;

enum {
	C_PACKAGE, C_PERSON, C_POOL, C_ELEMENT, C_COST_CENTRE, C_SERVICE, C_PROVIDER, C_START,
	C_END, C_EFFECTIVE, C_WEEKLY, C_FUNDING, C_HEALTH_SHARE, C_CLIENT, C_LAST_REVIEW,
	C_NEXT_REVIEW, C_HEALTH_PARTNER, C_SOCIAL_PARTNER, C_REASON, C_COUNT
};

static const struct {
	const char *name, *alias;
	bool required;
} columns[C_COUNT] = {
	{"package", "package_id", true},
	{"person", "person_id", true},
	{"pool", NULL, false},
	{"element", NULL, true},
	{"cost_centre", NULL, false},
	{"service", "service_type", true},
	{"provider", NULL, false},
	{"start", "start_date", true},
	{"end", "end_date", false},
	{"effective", "effective_from", false},
	{"weekly_cost", NULL, true},
	{"funding", "funding_category", true},
	{"health_share", NULL, false},
	{"client_contribution", NULL, false},
	{"last_review", NULL, false},
	{"next_review", "next_review_due", false},
	{"health_partner", NULL, false},
	{"social_partner", NULL, false},
	{"reason", NULL, false},
};

/*
 * Headers that name personal data, matched on the header in lower case with everything
 * but letters and digits taken out ("NHS No." -> "nhsno"), and what each one is.
 */
static const struct {
	const char *match, *what;
} personal[] = {
	{"name", "a name"},
	{"forename", "a name"},
	{"surname", "a name"},
	{"initials", "a name"},
	{"address", "an address"},
	{"street", "an address"},
	{"postcode", "a postcode"},
	{"zipcode", "a postcode"},
	{"nhsn", "an NHS number"},
	{"nhsid", "an NHS number"},
	{"dob", "a date of birth"},
	{"birth", "a date of birth"},
	{"nino", "a National Insurance number"},
	{"nationalinsurance", "a National Insurance number"},
	{"phone", "a telephone number"},
	{"mobile", "a telephone number"},
	{"email", "an email address"},
};

/* A package's record as this file leaves it: from its row with the latest effective date. */
typedef struct pkg_rec {
	char *id, *person, *cost_centre, *provider;
	int pool, element, health_partner, social_partner;
	s75_service service;
	s75_date start, end, last_review, next_review, effective;
	bool has_end, has_last_review, in_register;
	long line;
	s75_date *effs; /* effective dates seen in this file (a few: a list, not a map) */
	size_t neff;
} pkg_rec;

typedef struct pimp {
	s75_db *db;
	const s75_agreement *ag;
	const s75_import_options *o;
	s75_import_result *res;
	s75_packages_import_stats *stats;
	const char *name;
	s75_csv *csv;
	s75_sha256 *sha;
	int col[C_COUNT];
	size_t ncols;
	s75_buf *text; /* per column: a copy of the current row's field, when trimmed at its end */
	const char **textp; /* per column: the current row's field, NUL-terminated and trimmed */
	int64_t batch_id;
	bool in_tx;
	db_rows *ins_terms;  /* the terms, many rows a statement */
	sql_stmt *q_person, *q_terms;
	bool register_empty; /* no package before this file: nothing to look up per row */
	int *defaults;       /* side_partner() of an unnamed side, per pool and kind, + 2
			      * (0: not worked out yet) */
	pkg_rec *recs;
	size_t nrecs, alloc_recs;
	s75_strmap *rec_index; /* NULL while the file is in order of package id */
	long *tot_rows;      /* partner x {expenditure, income} */
	int64_t *tot_amount;
} pimp;

static void observe_sha(void *data, const unsigned char *bytes, size_t len)
{
	s75_sha256_update(data, bytes, len);
}

static void add_error(pimp *im, long line, const char *fmt, va_list ap)
{
	batch_error(im->res, im->name, line, fmt, ap);
}

/* A bad row: reported with its line and counted as rejected. */
static void row_error(pimp *im, const char *fmt, ...) S75_PRINTF(2, 3);
static void row_error(pimp *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_error(im, s75_csv_line(im->csv), fmt, ap);
	va_end(ap);
	im->res->rows_rejected++;
}

/* A problem with the whole file (its header, its size). */
static int file_error(pimp *im, long line, const char *fmt, ...) S75_PRINTF(3, 4);
static int file_error(pimp *im, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_error(im, line, fmt, ap);
	va_end(ap);
	return S75_EINVALID;
}

static int map_header(pimp *im, const s75_csv_field *f, size_t nf)
{
	long line = s75_csv_line(im->csv);
	int rc = 0;
	for (int k = 0; k < C_COUNT; k++)
		im->col[k] = -1;
	for (size_t i = 0; i < nf; i++) {
		const char *h = f[i].ptr;
		size_t hl = f[i].len;
		char key[64], norm[64];
		size_t nk = 0, nn = 0;
		bool pd = false;
		s75_text_trim(&h, &hl);
		for (size_t j = 0; j < hl; j++) {
			unsigned char c = (unsigned char)h[j];
			if (isalnum(c) && nk + 1 < sizeof(key))
				key[nk++] = (char)tolower(c);
			if (nn + 1 < sizeof(norm))
				norm[nn++] = c == ' ' || c == '-' ? '_' : (char)tolower(c);
		}
		key[nk] = norm[nn] = '\0';
		int shown = (int)(hl > 60 ? 60 : hl);
		if (!s75_text_valid_utf8((const unsigned char *)h, hl)) {
			rc = file_error(im, line, "column %zu of the header is not valid UTF-8", i + 1);
			continue;
		}
		for (size_t k = 0; k < sizeof(personal) / sizeof(personal[0]) && !pd; k++)
			if (strstr(key, personal[k].match)) {
				rc = file_error(im, line,
						"column '%.*s' looks like personal data (%s): the register keeps pseudonymous person ids only; remove the column",
						shown, h, personal[k].what);
				pd = true;
			}
		if (pd)
			continue;
		int found = -1;
		for (int k = 0; k < C_COUNT && found < 0; k++)
			if (!strcmp(norm, columns[k].name) ||
			    (columns[k].alias && !strcmp(norm, columns[k].alias)))
				found = k;
		if (found < 0) {
			rc = file_error(im, line,
					"unknown column '%.*s' (a package register has only the columns docs/packages.md lists, so that nothing personal rides along)",
					shown, h);
		} else if (im->col[found] >= 0) {
			rc = file_error(im, line, "column '%s' appears twice", columns[found].name);
		} else {
			im->col[found] = (int)i;
		}
	}
	for (int k = 0; k < C_COUNT; k++)
		if (columns[k].required && im->col[k] < 0)
			rc = file_error(im, line, "the header has no column '%s'", columns[k].name);
	return rc;
}

/* The current row's text of field k, trimmed ("" if the file has no such column). */
static const char *text(pimp *im, int k)
{
	return im->col[k] < 0 ? "" : im->textp[im->col[k]];
}

/* Reads every field of the row into im->textp, trimmed; false after reporting a bad one.
 * A field with nothing to trim at its end is the reader's own text (NUL-terminated, valid
 * until the next record); only one with trailing space is copied into im->text. */
static bool read_fields(pimp *im, const s75_csv_field *f, size_t nf)
{
	for (size_t i = 0; i < nf; i++) {
		const char *s = f[i].ptr;
		size_t len = f[i].len;
		if (!s75_text_valid_utf8((const unsigned char *)s, len)) {
			row_error(im, "column %zu is not valid UTF-8", i + 1);
			return false;
		}
		s75_text_trim(&s, &len);
		if (s + len == f[i].ptr + f[i].len) {
			im->textp[i] = s;
		} else {
			s75_buf_reset(&im->text[i]);
			s75_buf_add(&im->text[i], s, len);
			im->textp[i] = im->text[i].ptr;
		}
	}
	return true;
}

/* An id of the register: letters, digits, '_', '-', '.', '/'; at most 64 characters. */
static bool valid_id(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-./", s[i]))
			return false;
	return true;
}

/* A percentage with at most two decimals, 0 to 100, in basis points ("60", "62.5%"). */
static int parse_percent(int64_t *bp, const char *s)
{
	int64_t whole = 0, frac = 0;
	int nd = 0, nf = 0;
	const char *p = s;
	for (; isdigit((unsigned char)*p) && nd < 4; p++, nd++)
		whole = whole * 10 + (*p - '0');
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p) && nf < 3; p++, nf++)
			frac = frac * 10 + (*p - '0');
	if (*p == '%')
		p++;
	if (*p || !nd || nf > 2)
		return -1;
	*bp = whole * 100 + (nf == 1 ? frac * 10 : frac);
	return *bp <= 10000 ? 0 : -1;
}

static int parse_date_field(pimp *im, int k, s75_date *out, bool *has)
{
	const char *s = text(im, k);
	*has = *s != '\0';
	if (!*has)
		return 0;
	if (s75_date_parse(out, s)) {
		row_error(im, "%s: %s", columns[k].name, s75_error_last());
		return -1;
	}
	return 0;
}

/*
 * The partner on one side of a package: the named one (of the right kind), or the
 * pool's only partner of that kind (its contributors first, else the agreement's).
 * -2 after reporting a bad name; -1 when there is no one such partner (reported when
 * `report`: a side with no share needs no partner).
 */
static int side_partner_find(pimp *im, int k, int pool, s75_partner_kind kind,
			     const char *side, bool report)
{
	const s75_agreement *ag = im->ag;
	const char *s = text(im, k);
	if (*s) {
		int p = s75_agreement_find_partner(ag, s);
		if (p < 0) {
			row_error(im, "%s: unknown partner '%s'", columns[k].name, s);
			return -2;
		}
		if (ag->partners[p].kind != kind) {
			row_error(im, "%s: partner '%s' is not %s", columns[k].name, s,
				  kind == S75_PARTNER_NHS_BODY ? "an NHS body" : "a local authority");
			return -2;
		}
		return p;
	}
	for (int pass = 0; pass < 2; pass++) {
		int found = -1, n = 0;
		s75_buf names = S75_BUF_INIT;
		for (size_t p = 0; p < ag->npartners; p++) {
			bool in = ag->partners[p].kind == kind;
			if (in && pass == 0) {
				in = false;
				for (size_t y = 0; y < ag->nyears && !in; y++)
					for (size_t c = 0; c < ag->years[y].ncontributions && !in; c++)
						in = ag->years[y].contributions[c].pool == pool &&
						     ag->years[y].contributions[c].partner == (int)p;
			}
			if (in) {
				found = (int)p;
				s75_buf_printf(&names, "%s%s", n++ ? ", " : "", ag->partners[p].id);
			}
		}
		if (n > 1 && report)
			row_error(im, "pool '%s' has %d %s partners (%s): say which in %s",
				  ag->arrangements[pool].id, n, side, names.ptr, columns[k].name);
		s75_buf_release(&names);
		if (n > 1)
			return -1;
		if (n == 1)
			return found;
	}
	if (report)
		row_error(im, "the agreement has no %s partner for the %s side of a package",
			  kind == S75_PARTNER_NHS_BODY ? "nhs-body" : "local-authority", side);
	return -1;
}

/* side_partner_find(), its answer for an unnamed side kept per pool and kind: it depends
 * on nothing else, and was a scan of the agreement's contributions on every row. */
static int side_partner(pimp *im, int k, int pool, s75_partner_kind kind, const char *side,
			bool report)
{
	if (*text(im, k))
		return side_partner_find(im, k, pool, kind, side, report);
	size_t slot = (size_t)pool * 2 + (kind == S75_PARTNER_NHS_BODY);
	if (!im->defaults)
		im->defaults = xcalloc(im->ag->narrangements * 2 + 1, sizeof(int));
	int known = im->defaults[slot];
	if (known && (known >= 2 || !report))
		return known - 2;
	int p = side_partner_find(im, k, pool, kind, side, report);
	im->defaults[slot] = p + 2;
	return p;
}

static int begin(pimp *im)
{
	int rc;
	im->in_tx = true; /* from here a failure rolls back */
	rc = batch_begin(im->db, "packages", im->name, NULL, NULL, im->o->now, &im->batch_id);
	if (!rc)
		im->ins_terms = db_rows_new(im->db,
					    "INSERT INTO package_terms(batch_id, package, effective, weekly,"
					    " funding, health_bp, client_weekly, reason, line)", 9);
	if (!rc)
		rc = db_prepare(im->db, &im->q_person,
				"SELECT person, batch_id, health_partner, social_partner FROM package"
				" WHERE package = ?"
				" ORDER BY batch_id DESC LIMIT 1");
	if (!rc)
		rc = db_prepare(im->db, &im->q_terms,
				"SELECT weekly, funding, health_bp, client_weekly, batch_id FROM package_terms"
				" WHERE package = ? AND effective = ? AND batch_id <> ?"
				" ORDER BY batch_id DESC LIMIT 1");
	if (!rc) {
		/* a first import has nothing in the register to check its rows against */
		sql_stmt *st = NULL;
		/* an integer in SQLite and PostgreSQL alike (EXISTS is a boolean in the latter) */
		if (!(rc = db_prepare(im->db, &st,
				      "SELECT COUNT(*) FROM (SELECT 1 FROM package LIMIT 1) AS x"))) {
			if (sql_step(st) == SQL_ROW)
				im->register_empty = sql_column_int(st, 0) == 0;
			else
				rc = db_error(im->db, "cannot read the package register");
		}
		sql_finalize(st);
	}
	return rc;
}

/* Checks a row's terms against the register: identical, new, or a conflict (reported). */
static int against_register(pimp *im, pkg_rec *r, const s75_package_terms *t, bool *unchanged)
{
	sql_stmt *q = im->q_terms;
	int rc = 0;
	*unchanged = false;
	sql_reset(q);
	sql_bind_text(q, 1, r->id, -1);
	sql_bind_int(q, 2, t->effective);
	sql_bind_int64(q, 3, im->batch_id);
	if (sql_step(q) == SQL_ROW) {
		const char *f = sql_column_text(q, 1);
		if (sql_column_int64(q, 0) == t->weekly && !strcmp(f, s75_funding_name(t->funding)) &&
		    sql_column_int64(q, 2) == t->health_bp &&
		    sql_column_int64(q, 3) == t->client_weekly) {
			*unchanged = true;
		} else {
			char d[11];
			long long b = sql_column_int64(q, 4);
			row_error(im, "package '%s' has other terms from %s in the register (batch %lld): a change needs a later effective date, or undo batch %lld first",
				  r->id, s75_date_format(d, t->effective), b, b);
			rc = -1;
		}
	}
	sql_reset(q);
	return rc;
}

/* Finds or adds the file's record of package `id`. A file in order of package id (an
 * extract usually is) needs no map: a package is the last one or a new one. The map is made
 * when a row first comes out of order, of every package before it. */
static pkg_rec *record(pimp *im, const char *id, bool *created)
{
	if (!im->rec_index) {
		int cmp = im->nrecs ? strcmp(id, im->recs[im->nrecs - 1].id) : 1;
		if (cmp == 0) {
			*created = false;
			return &im->recs[im->nrecs - 1];
		}
		if (cmp < 0) {
			im->rec_index = s75_strmap_new();
			for (size_t k = 0; k < im->nrecs; k++)
				s75_strmap_put(im->rec_index, im->recs[k].id, strlen(im->recs[k].id), (int)k);
		}
	}
	int i = im->rec_index ? s75_strmap_get(im->rec_index, id, strlen(id)) : -1;
	*created = i < 0;
	if (i >= 0)
		return &im->recs[i];
	ALLOC_GROW(im->recs, im->nrecs + 1, im->alloc_recs);
	pkg_rec *r = &im->recs[im->nrecs];
	memset(r, 0, sizeof(*r));
	r->id = xstrdup(id);
	if (im->rec_index)
		s75_strmap_put(im->rec_index, r->id, strlen(r->id), (int)im->nrecs);
	im->nrecs++;
	return r;
}

/* Adds a row's weekly amount to the control totals; false if a total would overflow. */
static bool add_totals(pimp *im, int partner, int kind, int64_t amount)
{
	size_t i = (size_t)partner * 2 + (size_t)kind;
	if (__builtin_add_overflow(im->tot_amount[i], amount, &im->tot_amount[i]))
		return false;
	im->tot_rows[i]++;
	return true;
}

/* One row of the file: checks it and stores its terms. */
static void import_row(pimp *im)
{
	const s75_agreement *ag = im->ag;
	s75_package_terms t;
	s75_date start, end = 0, eff, last = 0, next = 0;
	bool has, has_end, has_eff, has_last, has_next, created, unchanged = false;
	int pool = -1, element, cc = -1, hp, sp;
	s75_service svc;
	const char *s;

	memset(&t, 0, sizeof(t));
	/* ids: pseudonymous only */
	const char *id = text(im, C_PACKAGE), *person = text(im, C_PERSON), *kind;
	/* the value is not repeated: it may be the personal data it should not be */
	if ((kind = s75_personal_data_kind(id))) {
		row_error(im, "package: the id looks like %s: the register keeps pseudonymous ids only", kind);
		return;
	}
	if ((kind = s75_personal_data_kind(person))) {
		row_error(im, "person: the id looks like %s: the register keeps pseudonymous person ids only", kind);
		return;
	}
	if (!*id || !valid_id(id)) {
		row_error(im, "package: '%s' is not a package id (letters, digits, '_', '-', '.', '/'; at most 64)", id);
		return;
	}
	if (!valid_id(person)) {
		row_error(im, "person: the id is not a pseudonymous id (letters, digits, '_', '-', '.', '/'; no spaces; at most 64)");
		return;
	}
	/* where it sits */
	s = text(im, C_POOL);
	if (*s) {
		pool = s75_agreement_find_arrangement(ag, s);
		if (pool < 0 || ag->arrangements[pool].kind != S75_ARR_POOLED_FUND) {
			row_error(im, "pool: '%s' is not a pooled fund of the agreement", s);
			return;
		}
	} else {
		int n = 0;
		for (size_t a = 0; a < ag->narrangements; a++)
			if (ag->arrangements[a].kind == S75_ARR_POOLED_FUND && !n++)
				pool = (int)a;
		if (n != 1) {
			row_error(im, "pool: the agreement has %d pooled funds: say which", n);
			return;
		}
	}
	s = text(im, C_ELEMENT);
	if ((element = s75_arrangement_find_element(&ag->arrangements[pool], s)) < 0) {
		row_error(im, "element: pool '%s' has no element '%s'", ag->arrangements[pool].id, s);
		return;
	}
	s = text(im, C_COST_CENTRE);
	if (*s) {
		if ((cc = s75_agreement_find_cost_centre(ag, s, strlen(s))) < 0) {
			row_error(im, "cost_centre: unknown cost centre '%s'", s);
			return;
		}
		if (ag->cost_centres[cc].pool != pool || ag->cost_centres[cc].element != element) {
			row_error(im, "cost_centre: '%s' is not in element '%s' of pool '%s'", s,
				  ag->arrangements[pool].elements[element].id, ag->arrangements[pool].id);
			return;
		}
	}
	s = text(im, C_SERVICE);
	if (s75_service_parse(&svc, s, strlen(s))) {
		row_error(im, "service: %s", s75_error_last());
		return;
	}
	/* dates */
	if (parse_date_field(im, C_START, &start, &has) || parse_date_field(im, C_END, &end, &has_end) ||
	    parse_date_field(im, C_EFFECTIVE, &eff, &has_eff) ||
	    parse_date_field(im, C_LAST_REVIEW, &last, &has_last) ||
	    parse_date_field(im, C_NEXT_REVIEW, &next, &has_next))
		return;
	if (!has) {
		row_error(im, "start: a start date is needed");
		return;
	}
	if (has_end && end < start) {
		row_error(im, "end: the package ends before it starts");
		return;
	}
	if (!has_eff)
		eff = start;
	if (eff < start || (has_end && eff > end)) {
		row_error(im, "effective: terms from %s are outside the package's dates", text(im, C_EFFECTIVE));
		return;
	}
	/* terms */
	t.effective = eff;
	s = text(im, C_WEEKLY);
	if (s75_money_parse(&t.weekly, s, strlen(s), S75_UNIT_POUNDS, 0)) {
		row_error(im, "weekly_cost: %s", s75_error_last());
		return;
	}
	if (t.weekly < 0) {
		row_error(im, "weekly_cost: a cost cannot be negative");
		return;
	}
	/* the annual cost is worked in pence x basis points x days (packages.c): a weekly cost
	 * past this limit would make every later report of the register fail */
	if (t.weekly > INT64_MAX / (10000 * 366)) {
		s75_buf lim = S75_BUF_INIT;
		s75_money_format(&lim, INT64_MAX / (10000 * 366), S75_UNIT_POUNDS, S75_FMT_SEP);
		row_error(im, "weekly_cost: '%s' a week would overflow the package's annual cost (at most £%s a week)",
			  s, lim.ptr);
		s75_buf_release(&lim);
		return;
	}
	s = text(im, C_FUNDING);
	if (s75_funding_parse(&t.funding, s, strlen(s))) {
		row_error(im, "funding: %s", s75_error_last());
		return;
	}
	s = text(im, C_HEALTH_SHARE);
	if (*s && parse_percent(&t.health_bp, s)) {
		row_error(im, "health_share: '%s' is not a percentage from 0 to 100 with at most two decimals", s);
		return;
	}
	switch (t.funding) {
	case S75_FUND_CHC:
		if (*s && t.health_bp != 10000) {
			row_error(im, "health_share: continuing healthcare is NHS 100%%, not %s%%", s);
			return;
		}
		t.health_bp = 10000;
		break;
	case S75_FUND_SOCIAL:
		if (*s && t.health_bp != 0) {
			row_error(im, "health_share: social care 100%% has no health share, not %s%%", s);
			return;
		}
		t.health_bp = 0;
		break;
	default:
		if (!*s) {
			row_error(im, "health_share: %s funding needs the agreed split (the health share in %%)",
				  s75_funding_name(t.funding));
			return;
		}
	}
	s = text(im, C_CLIENT);
	if (*s && s75_money_parse(&t.client_weekly, s, strlen(s), S75_UNIT_POUNDS, 0)) {
		row_error(im, "client_contribution: %s", s75_error_last());
		return;
	}
	if (t.client_weekly < 0) {
		row_error(im, "client_contribution: a contribution cannot be negative");
		return;
	}
	if (t.client_weekly && (t.funding == S75_FUND_CHC || t.funding == S75_FUND_S117)) {
		row_error(im, "client_contribution: %s is free to the person: no client contribution",
			  t.funding == S75_FUND_CHC ? "continuing healthcare" : "section 117 aftercare");
		return;
	}
	/* the council collects it, so it can be no more than the council's part */
	if ((i128)t.client_weekly * 10000 > (i128)t.weekly * (10000 - t.health_bp)) {
		row_error(im, "client_contribution: %s a week is more than the council's part of the weekly cost", s);
		return;
	}
	s = text(im, C_REASON);
	t.reason = *s ? (char *)s : NULL;
	if ((hp = side_partner(im, C_HEALTH_PARTNER, pool, S75_PARTNER_NHS_BODY, "health", false)) < -1 ||
	    (sp = side_partner(im, C_SOCIAL_PARTNER, pool, S75_PARTNER_LOCAL_AUTHORITY, "social care", false)) < -1)
		return;
	if (!has_next) {
		/* reviews: annual after the last; a first CHC review at three months (DOMAIN.md) */
		next = has_last ? s75_date_add_months(last, 12)
				: s75_date_add_months(start, t.funding == S75_FUND_CHC ? 3 : 12);
	}

	/* the package across the file and the register */
	pkg_rec *r = record(im, id, &created);
	bool seen = false;
	for (size_t k = 0; k < r->neff && !seen; k++)
		seen = r->effs[k] == eff;
	if (!created && strcmp(r->person, person)) {
		row_error(im, "package '%s' is for person '%s' on line %ld, not '%s'", id, r->person,
			  r->line, person);
		return;
	}
	if (seen) {
		char d[11];
		row_error(im, "package '%s' has a second row with terms from %s", id, s75_date_format(d, eff));
		return;
	}
	if (created && im->register_empty) {
		r->person = xstrdup(person);
		r->health_partner = r->social_partner = -1;
	} else if (created) {
		r->person = xstrdup(person);
		sql_stmt *q = im->q_person;
		sql_reset(q);
		sql_bind_text(q, 1, id, -1);
		r->health_partner = r->social_partner = -1;
		if (sql_step(q) == SQL_ROW) {
			r->in_register = true;
			const char *was = sql_column_text(q, 0);
			/* the register's partners, for rows that do not say */
			for (int side = 0; side < 2; side++) {
				const char *pid = sql_column_text(q, 2 + side);
				int *to = side ? &r->social_partner : &r->health_partner;
				*to = pid ? s75_agreement_find_partner(ag, pid) : -1;
			}
			if (strcmp(was, person)) {
				row_error(im, "package '%s' is for person '%s' in the register (batch %lld), not '%s'",
					  id, was, (long long)sql_column_int64(q, 1), person);
				sql_reset(q);
				r->line = s75_csv_line(im->csv);
				r->effective = INT32_MIN;
				return;
			}
		}
		sql_reset(q);
	}
	/* a side with a share needs its partner: the row's, else the package's */
	if (hp < 0)
		hp = r->health_partner;
	if (sp < 0)
		sp = r->social_partner;
	if ((hp < 0 && t.health_bp > 0 &&
	     side_partner(im, C_HEALTH_PARTNER, pool, S75_PARTNER_NHS_BODY, "health", true) < 0) ||
	    (sp < 0 && t.health_bp < 10000 &&
	     side_partner(im, C_SOCIAL_PARTNER, pool, S75_PARTNER_LOCAL_AUTHORITY, "social care", true) < 0))
		return;
	r->effs = xreallocarray(r->effs, r->neff + 1, sizeof(*r->effs));
	r->effs[r->neff++] = eff;
	if (r->in_register && against_register(im, r, &t, &unchanged))
		return;
	/* the partners: the latest row's that names one; the record: the latest row's */
	if (hp >= 0 && (r->health_partner < 0 || created || eff > r->effective))
		r->health_partner = hp;
	if (sp >= 0 && (r->social_partner < 0 || created || eff > r->effective))
		r->social_partner = sp;
	if (created || eff > r->effective) {
		free(r->cost_centre);
		free(r->provider);
		r->cost_centre = cc >= 0 ? xstrdup(ag->cost_centres[cc].code) : NULL;
		s = text(im, C_PROVIDER);
		r->provider = *s ? xstrdup(s) : NULL;
		r->pool = pool;
		r->element = element;
		r->service = svc;
		r->start = start;
		r->end = end;
		r->has_end = has_end;
		r->last_review = last;
		r->has_last_review = has_last;
		r->next_review = next;
		r->effective = eff;
		r->line = s75_csv_line(im->csv);
	}
	if (im->res->error_count) {
		/* nothing will be imported: only look for more errors (rows read = good + bad) */
		im->res->rows_imported++;
		return;
	}
	int64_t w[2] = {t.health_bp, 10000 - t.health_bp}, parts[2];
	s75_alloc_split(parts, t.weekly, w, 2);
	if ((t.health_bp > 0 && !add_totals(im, hp, 0, parts[0])) ||
	    (t.health_bp < 10000 && !add_totals(im, sp, 0, parts[1])) ||
	    (t.client_weekly && !add_totals(im, sp, 1, t.client_weekly))) {
		row_error(im, "weekly_cost: the file's weekly totals are out of range");
		return;
	}
	if (im->stats) {
		im->stats->terms++;
		im->stats->unchanged += unchanged;
		im->stats->reassessments += !unchanged && eff != start;
	}
	db_rows *st = im->ins_terms;
	db_rows_int(st, im->batch_id);
	db_rows_text(st, id);
	db_rows_int(st, eff);
	db_rows_int(st, t.weekly);
	db_rows_text(st, s75_funding_name(t.funding));
	db_rows_int(st, t.health_bp);
	db_rows_int(st, t.client_weekly);
	db_rows_text(st, t.reason);
	db_rows_int(st, s75_csv_line(im->csv));
	if (db_rows_end(st)) {
		row_error(im, "cannot store a package: %s", s75_error_last());
		return;
	}
	im->res->rows_imported++;
}

/* Writes the packages' records, the control totals, the counts and the audit entry. */
static int finish(pimp *im)
{
	s75_import_result *r = im->res;
	s75_db *db = im->db;
	db_rows *st = NULL;
	int rc;

	s75_sha256_final_hex(im->sha, r->sha256);
	im->sha = NULL;
	if ((rc = batch_check_duplicate(db, "packages", im->batch_id, im->name, r)))
		return rc;
	if ((rc = db_rows_flush(im->ins_terms)))
		return rc;
	st = db_rows_new(db,
			 "INSERT INTO package(batch_id, package, person, pool, element, cost_centre,"
			 " service, provider, start_date, end_date, health_partner, social_partner,"
			 " last_review, next_review, line)", 15);
	for (size_t i = 0; i < im->nrecs; i++) {
		const pkg_rec *p = &im->recs[i];
		const s75_arrangement *a = &im->ag->arrangements[p->pool];
		db_rows_int(st, im->batch_id);
		db_rows_text(st, p->id);
		db_rows_text(st, p->person);
		db_rows_text(st, a->id);
		db_rows_text(st, a->elements[p->element].id);
		db_rows_text(st, p->cost_centre);
		db_rows_text(st, s75_service_name(p->service));
		db_rows_text(st, p->provider);
		db_rows_int(st, p->start);
		if (p->has_end)
			db_rows_int(st, p->end);
		else
			db_rows_null(st);
		for (int side = 0; side < 2; side++) {
			int q = side ? p->social_partner : p->health_partner;
			db_rows_text(st, q >= 0 ? im->ag->partners[q].id : NULL);
		}
		if (p->has_last_review)
			db_rows_int(st, p->last_review);
		else
			db_rows_null(st);
		db_rows_int(st, p->next_review);
		db_rows_int(st, p->line);
		if ((rc = db_rows_end(st)))
			goto done;
		if (im->stats) {
			im->stats->packages++;
			im->stats->new_packages += !p->in_register;
		}
	}
	if ((rc = db_rows_flush(st)))
		goto done;
	db_rows_free(st);
	st = NULL;
	for (size_t p = 0; p < im->ag->npartners; p++)
		for (int k = 0; k < 2; k++) {
			size_t i = p * 2 + (size_t)k;
			if (im->tot_rows[i])
				batch_total(r, im->ag->partners[p].id,
					    k ? S75_TXN_INCOME : S75_TXN_EXPENDITURE, im->tot_rows[i],
					    im->tot_amount[i]);
		}
	s75_buf extra = S75_BUF_INIT;
	if (im->stats)
		s75_buf_printf(&extra, "; %ld packages (%ld new), %ld reassessments",
			       im->stats->packages, im->stats->new_packages, im->stats->reassessments);
	rc = batch_record(db, im->batch_id, "packages", im->name, im->o->now, r,
			  im->stats ? extra.ptr : NULL);
	s75_buf_release(&extra);
done:
	db_rows_free(st);
	return rc;
}

/* The whole command again while PostgreSQL picks its transaction to fail (db_retry()). */
static int import_packages_once(s75_db *db, const s75_agreement *ag, const char *path,
			const s75_import_options *o, s75_import_result *res,
			s75_packages_import_stats *stats);

int s75_import_packages(s75_db *db, const s75_agreement *ag, const char *path,
			const s75_import_options *o, s75_import_result *res,
			s75_packages_import_stats *stats)
{
	int rc, attempt = 0;
	while ((rc = import_packages_once(db, ag, path, o, res, stats)) && db_retry(db, rc, &attempt))
		s75_import_result_release(res);
	return rc;
}

static int import_packages_once(s75_db *db, const s75_agreement *ag, const char *path,
			const s75_import_options *o, s75_import_result *res,
			s75_packages_import_stats *stats)
{
	pimp im;
	const s75_csv_field *f;
	size_t nf;
	int rc = 0, r;

	memset(&im, 0, sizeof(im));
	memset(res, 0, sizeof(*res));
	if (stats)
		memset(stats, 0, sizeof(*stats));
	im.db = db;
	im.ag = ag;
	im.o = o;
	im.res = res;
	im.stats = stats;
	im.name = o->name ? o->name : path;
	im.tot_rows = xcalloc(ag->npartners * 2 + 1, sizeof(long));
	im.tot_amount = xcalloc(ag->npartners * 2 + 1, sizeof(int64_t));
	im.sha = s75_sha256_new();

	if (o->reject_path) {
		rc = file_error(&im, 0, "a package register is imported whole: --reject-file is not supported");
		goto end;
	}
	if ((rc = s75_csv_open(&im.csv, path, im.name, ','))) {
		rc = S75_EIO;
		goto end;
	}
	s75_csv_observe(im.csv, observe_sha, im.sha);
	/* no record's raw bytes are wanted (no reject file): not copied for every field */
	s75_csv_keep_raw(im.csv, 0);
	r = s75_csv_next(im.csv, &f, &nf);
	if (r == 0) {
		rc = file_error(&im, 0, "empty file (expected a header row)");
		goto end;
	}
	if (r < 0) {
		s75_pos pos;
		const char *why = s75_csv_error(im.csv, &pos);
		rc = r == S75_EIO ? S75_EIO : file_error(&im, pos.line, "%s", why);
		goto end;
	}
	im.ncols = nf;
	im.text = xcalloc(nf + 1, sizeof(s75_buf));
	im.textp = xcalloc(nf + 1, sizeof(*im.textp));
	for (size_t i = 0; i <= nf; i++) {
		s75_buf_init(&im.text[i]);
		im.textp[i] = im.text[i].ptr;
	}
	if ((rc = map_header(&im, f, nf)))
		goto end;
	if ((rc = begin(&im)))
		goto end;
	while ((r = s75_csv_next(im.csv, &f, &nf)) > 0) {
		if (nf == 1 && f[0].len == 0)
			continue; /* a blank line holds no row */
		res->rows_read++;
		if (nf != im.ncols) {
			row_error(&im, "expected %zu fields as in the header, found %zu", im.ncols, nf);
			continue;
		}
		if (read_fields(&im, f, nf))
			import_row(&im);
	}
	if (r < 0) {
		s75_pos pos;
		const char *why = s75_csv_error(im.csv, &pos);
		if (r == S75_EIO) {
			rc = S75_EIO;
			goto end;
		}
		res->rows_read++;
		res->rows_rejected++;
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%d:%d: %s (nothing after this point can be read reliably)",
			       pos.line, pos.col, why);
		file_error(&im, 0, "%s", b.ptr);
		s75_buf_release(&b);
		/* "FILE: LINE:COL:" -> "FILE:LINE:COL:" as import.c writes it */
		if (res->nerrors) {
			char *m = res->errors[res->nerrors - 1];
			size_t n = strlen(im.name);
			if (!strncmp(m, im.name, n) && m[n] == ':' && m[n + 1] == ' ')
				memmove(m + n + 1, m + n + 2, strlen(m + n + 2) + 1);
		}
	}
	if (res->error_count)
		rc = S75_EINVALID;
	else if (res->rows_read == 0)
		rc = file_error(&im, 0, "no data rows after the header");
	if (!rc)
		rc = finish(&im);
	if (!rc)
		rc = db_commit(db);
end:
	db_rows_free(im.ins_terms);
	sql_finalize(im.q_person);
	sql_finalize(im.q_terms);
	if (rc) {
		if (im.in_tx)
			db_exec(db, "ROLLBACK");
		res->batch_id = 0;
		if (stats)
			memset(stats, 0, sizeof(*stats));
	} else {
		res->batch_id = im.batch_id;
	}
	s75_csv_free(im.csv);
	s75_sha256_free(im.sha);
	for (size_t i = 0; im.text && i <= im.ncols; i++)
		s75_buf_release(&im.text[i]);
	free(im.text);
	free(im.textp);
	for (size_t i = 0; i < im.nrecs; i++) {
		pkg_rec *p = &im.recs[i];
		free(p->id);
		free(p->person);
		free(p->cost_centre);
		free(p->provider);
		free(p->effs);
	}
	free(im.recs);
	s75_strmap_free(im.rec_index);
	free(im.tot_rows);
	free(im.tot_amount);
	free(im.defaults);
	return rc;
}
