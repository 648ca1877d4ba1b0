/* The governance logs in the workspace: meetings (attendance and the reports they
 * received), reports received outside meetings, and decisions, each linked to what it
 * approved. Recording appends to the audit log; imports are all or nothing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "govern_internal.h"
#include "sha256.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/notice.h"
#include "xalloc.h"

/* ---- the shared CSV import --------------------------------------------------------- */

static void observe_sha(void *data, const unsigned char *bytes, size_t len)
{
	s75_sha256_update(data, bytes, len);
}

static void add_error(s75_gov_import_result *r, char *msg)
{
	r->error_count++;
	if (r->nerrors < S75_IMPORT_MAX_ERRORS) {
		r->errors = xreallocarray(r->errors, r->nerrors + 1, sizeof(char *));
		r->errors[r->nerrors++] = msg;
	} else {
		free(msg);
	}
}

static void file_error(gov_csv *c, const char *fmt, ...) S75_PRINTF(2, 3);
static void file_error(gov_csv *c, const char *fmt, ...)
{
	s75_buf b = S75_BUF_INIT;
	va_list ap;
	s75_buf_printf(&b, "%s: ", c->name);
	va_start(ap, fmt);
	s75_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_error(c->res, s75_buf_detach(&b));
}

void gov_csv_error(gov_csv *c, const char *fmt, ...)
{
	s75_buf b = S75_BUF_INIT;
	va_list ap;
	s75_buf_printf(&b, "%s:%ld: ", c->name, s75_csv_line(c->csv));
	va_start(ap, fmt);
	s75_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	add_error(c->res, s75_buf_detach(&b));
}


int gov_csv_open(gov_csv *c, s75_db *db, const char *path, const char *const *cols, int nrequired,
                 s75_gov_import_result *res)
{
	const s75_csv_field *f;
	size_t nf;
	int r, rc = 0;
	memset(c, 0, sizeof(*c));
	memset(res, 0, sizeof(*res));
	c->db = db;
	c->name = path;
	c->res = res;
	c->cols = cols;
	for (int k = 0; k < GOV_CSV_MAX_COLS; k++) {
		c->map[k] = -1;
		s75_buf_init(&c->vals[k]);
	}
	c->sha = s75_sha256_new();
	if (s75_csv_open(&c->csv, path, path, ','))
		return S75_EIO;
	s75_csv_observe(c->csv, observe_sha, c->sha);
	r = s75_csv_next(c->csv, &f, &nf);
	if (r < 0) {
		s75_pos p;
		const char *why = s75_csv_error(c->csv, &p);
		file_error(c, "%s", why);
		return S75_EINVALID;
	}
	s75_buf want = S75_BUF_INIT;
	for (int k = 0; cols[k]; k++)
		s75_buf_printf(&want, "%s%s", k ? "," : "", cols[k]);
	if (r == 0) {
		file_error(c, "empty file (expected the header %s)", want.ptr);
		s75_buf_release(&want);
		return S75_EINVALID;
	}
	c->ncols = nf;
	for (size_t i = 0; i < nf; i++) {
		const char *h = f[i].ptr;
		size_t hl = f[i].len;
		int found = -1;
		s75_text_trim(&h, &hl);
		for (int k = 0; cols[k]; k++)
			if (hl == strlen(cols[k]) && !strncasecmp(h, cols[k], hl))
				found = k;
		if (found < 0) {
			gov_csv_error(c, "unknown column '%.*s' (expected %s)", (int)hl, h,
			              want.ptr);
			rc = S75_EINVALID;
		} else if (c->map[found] >= 0) {
			gov_csv_error(c, "column '%s' appears twice", cols[found]);
			rc = S75_EINVALID;
		} else {
			c->map[found] = (int)i;
		}
	}
	for (int k = 0; k < nrequired; k++)
		if (c->map[k] < 0) {
			gov_csv_error(c, "missing column '%s' (expected %s)", cols[k], want.ptr);
			rc = S75_EINVALID;
		}
	s75_buf_release(&want);
	if (rc)
		return rc;
	if ((rc = db_begin_write(db)))
		return rc;
	c->in_tx = true;
	return 0;
}

int gov_csv_next(gov_csv *c)
{
	const s75_csv_field *f;
	size_t nf;
	int r;
	for (;;) {
		r = s75_csv_next(c->csv, &f, &nf);
		if (r < 0) {
			s75_pos p;
			const char *why = s75_csv_error(c->csv, &p);
			c->res->rows_read++;
			s75_buf b = S75_BUF_INIT;
			s75_buf_printf(
			    &b, "%s:%d:%d: %s (nothing after this point can be read reliably)",
			    c->name, p.line, p.col, why);
			add_error(c->res, s75_buf_detach(&b));
			return S75_EINVALID;
		}
		if (r == 0)
			return 0;
		if (nf == 1 && f[0].len == 0)
			continue; /* a blank line */
		c->res->rows_read++;
		if (nf != c->ncols) {
			gov_csv_error(c, "expected %zu fields as in the header, found %zu",
			              c->ncols, nf);
			continue;
		}
		bool ok = true;
		for (int k = 0; c->cols[k]; k++) {
			s75_buf_reset(&c->vals[k]);
			if (c->map[k] < 0)
				continue;
			const char *s = f[c->map[k]].ptr;
			size_t len = f[c->map[k]].len;
			s75_text_trim(&s, &len);
			if (memchr(s, '\0', len)) {
				gov_csv_error(c, "column '%s' contains a NUL byte", c->cols[k]);
				ok = false;
				break;
			}
			s75_buf_add(&c->vals[k], s, len);
		}
		if (ok)
			return 1;
	}
}

const char *gov_csv_field(gov_csv *c, int k)
{
	return c->vals[k].ptr;
}

int gov_csv_end(gov_csv *c, int rc, const char *now, const char *action)
{
	s75_gov_import_result *r = c->res;
	if (!rc && r->error_count)
		rc = S75_EINVALID;
	if (!rc && r->rows_read == 0) {
		file_error(c, "no data rows after the header");
		rc = S75_EINVALID;
	}
	if (!rc) {
		char hex[65];
		s75_sha256_final_hex(c->sha, hex);
		c->sha = NULL;
		s75_buf d = S75_BUF_INIT;
		s75_buf_printf(&d, "%s sha256 %s: %ld rows read, %ld imported", c->name, hex,
		               r->rows_read, r->rows_imported);
		if (r->rows_replaced)
			s75_buf_printf(&d, ", %ld replaced", r->rows_replaced);
		rc = db_audit(c->db, now, action, 0, d.ptr);
		s75_buf_release(&d);
	}
	if (!rc && c->in_tx)
		rc = db_commit(c->db);
	if (rc) {
		if (c->in_tx)
			db_exec(c->db, "ROLLBACK");
		if (rc == S75_EINVALID && r->error_count == 0)
			file_error(c, "%s", s75_error_last());
		r->rows_imported = r->rows_replaced = 0;
	}
	s75_csv_free(c->csv);
	s75_sha256_free(c->sha);
	c->sha = NULL;
	for (int k = 0; k < GOV_CSV_MAX_COLS; k++)
		s75_buf_release(&c->vals[k]);
	return rc;
}

/* ---- meetings ------------------------------------------------------------------------ */

/* Members of `b` from partner `p`. */
static int members_of(const s75_gov_body *b, int p)
{
	int n = 0;
	for (size_t i = 0; i < b->nmembers; i++)
		if (b->members[i].partner == p)
			n += b->members[i].count;
	return n;
}

static int body_members(const s75_gov_body *b)
{
	int n = 0;
	for (size_t i = 0; i < b->nmembers; i++)
		n += b->members[i].count;
	return n;
}

/* Reads `PARTNER:N,...` or `N` into per-partner counts (-1 = not given) and a total. */
static int parse_present(const s75_agreement *ag, const s75_gov_body *b, const char *s, int *by,
                         int *total, bool *breakdown)
{
	size_t np = ag->npartners;
	for (size_t p = 0; p < np; p++)
		by[p] = -1;
	*total = 0;
	*breakdown = false;
	const char *q = s;
	while (*q == ' ')
		q++;
	if (*q >= '0' && *q <= '9' && !strchr(q, ':')) {
		char *end;
		long n = strtol(q, &end, 10);
		while (*end == ' ')
			end++;
		if (*end || n < 0 || n > 1000)
			return s75_error_set(S75_EINVALID,
			                     "attendance '%s' is not a number of members", s);
		if (n > body_members(b))
			return s75_error_set(S75_EINVALID, "%ld members present, but '%s' has %d",
			                     n, b->id, body_members(b));
		*total = (int)n;
		return 0;
	}
	*breakdown = true;
	while (*q) {
		const char *colon = strchr(q, ':');
		size_t len = strcspn(q, ",; ");
		if (!colon || (size_t)(colon - q) >= len)
			return s75_error_set(S75_EINVALID,
			                     "attendance '%s' is not PARTNER:N,... (members "
			                     "present from each partner)",
			                     s);
		char id[64];
		snprintf(id, sizeof(id), "%.*s", (int)(colon - q < 63 ? colon - q : 63), q);
		char *end;
		long n = strtol(colon + 1, &end, 10);
		if (end == colon + 1 || (*end && !strchr(",; ", *end)) || n < 0)
			return s75_error_set(S75_EINVALID,
			                     "attendance '%s': '%.*s' is not PARTNER:N", s,
			                     (int)len, q);
		int p = s75_agreement_find_partner(ag, id);
		if (p < 0)
			return s75_error_set(S75_EINVALID, "attendance '%s': unknown partner '%s'",
			                     s, id);
		if (by[p] >= 0)
			return s75_error_set(S75_EINVALID, "attendance '%s': '%s' given twice", s,
			                     id);
		if (n > members_of(b, p))
			return s75_error_set(
			    S75_EINVALID,
			    "attendance '%s': %ld members of '%s' present, but it has %d on '%s'",
			    s, n, id, members_of(b, p), b->id);
		by[p] = (int)n;
		*total += (int)n;
		q = end;
		while (*q && strchr(",; ", *q))
			q++;
	}
	return 0;
}

/* Checks one `ITEM:PERIOD` received; writes the canonical period label. */
static int parse_item(const char *s, size_t len, int *item, char *period, size_t psize)
{
	const char *colon = memchr(s, ':', len);
	char name[32], per[32];
	s75_rperiod p;
	if (!colon || colon - s >= (long)sizeof(name) ||
	    len - (size_t)(colon - s) - 1 >= sizeof(per))
		return s75_error_set(S75_EINVALID,
		                     "'%.*s' is not ITEM:PERIOD (e.g. quarterly-report:2017/18 Q1)",
		                     (int)len, s);
	snprintf(name, sizeof(name), "%.*s", (int)(colon - s), s);
	snprintf(per, sizeof(per), "%.*s", (int)(len - (size_t)(colon - s) - 1), colon + 1);
	if ((*item = s75_gov_item_parse(name)) < 0)
		return s75_error_set(S75_EINVALID,
		                     "unknown item '%s' (expected quarterly-report, annual-return, "
		                     "schedules, risk-assessment or tolerance-report)",
		                     name);
	if (s75_rperiod_parse(&p, per))
		return S75_EINVALID;
	s75_rperiod_kind want = *item == S75_ITEM_QUARTERLY_REPORT ? S75_RP_QUARTER
	                        : *item == S75_ITEM_TOLERANCE_REPORT ? S75_RP_MONTH
	                                                              : S75_RP_YEAR;
	if (p.kind != want)
		return s75_error_set(S75_EINVALID, "%s is for a %s, not '%s'", name,
		                     want == S75_RP_QUARTER ? "quarter (e.g. 2017/18 Q1)"
		                     : want == S75_RP_MONTH ? "period (e.g. 2017/18 P6)"
		                                            : "financial year (e.g. 2017/18)",
		                     per);
	snprintf(period, psize, "%s", p.label);
	return 0;
}

static int insert_receipt(s75_db *db, const char *body, const char *item, const char *period,
                          s75_date date, int64_t meeting, const char *now)
{
	sql_stmt *st;
	int rc;
	if ((rc =
	         db_prepare(db, &st,
	                    "INSERT INTO receipt(body, item, period, date, meeting_id, recorded_at)"
	                    " VALUES (?, ?, ?, ?, ?, ?)")))
		return rc;
	sql_bind_text(st, 1, body, -1);
	sql_bind_text(st, 2, item, -1);
	sql_bind_text(st, 3, period, -1);
	sql_bind_int(st, 4, date);
	if (meeting)
		sql_bind_int64(st, 5, meeting);
	sql_bind_text(st, 6, now, -1);
	rc = sql_step(st) == SQL_DONE ? 0 : db_error(db, "cannot record a report received");
	sql_finalize(st);
	return rc;
}

int gov_meeting_insert(s75_db *db, const s75_agreement *ag, const s75_meeting_input *in,
                       const char *now, int64_t *id)
{
	sql_stmt *st = NULL;
	int bi = s75_agreement_find_body(ag, in->body), rc, total = -1;
	int *by = xcalloc(ag->npartners + 1, sizeof(int));
	bool breakdown = false;
	char d[11];
	if (bi < 0) {
		rc = s75_error_set(S75_EINVALID, "unknown governance body '%s'", in->body);
		goto done;
	}
	const s75_gov_body *b = &s75_agreement_governance(ag)->bodies[bi];
	if (in->present && *in->present &&
	    (rc = parse_present(ag, b, in->present, by, &total, &breakdown)))
		goto done;
	if (b->quorum_each_partner && in->present && *in->present && !breakdown) {
		rc = s75_error_set(S75_EINVALID,
		                   "'%s' needs members of each partner for a quorum: give "
		                   "attendance as PARTNER:N,...",
		                   b->id);
		goto done;
	}
	/* the items received, checked before anything is written */
	const char *r = in->received ? in->received : "";
	for (const char *q = r; *q;) {
		size_t len = strcspn(q, ";,");
		const char *s = q;
		size_t sl = len;
		s75_text_trim(&s, &sl);
		int item;
		char per[16];
		if (sl && (rc = parse_item(s, sl, &item, per, sizeof(per))))
			goto done;
		q += len;
		if (*q)
			q++;
	}
	if ((rc = db_prepare(db, &st, "SELECT 1 FROM meeting WHERE body = ? AND date = ?")))
		goto done;
	sql_bind_text(st, 1, b->id, -1);
	sql_bind_int(st, 2, in->date);
	if (sql_step(st) == SQL_ROW) {
		rc = s75_error_set(S75_EEXISTS, "a meeting of '%s' on %s is recorded already",
		                   b->id, s75_date_format(d, in->date));
		goto done;
	}
	sql_finalize(st);
	if ((rc = db_prepare(
	         db, &st,
	         "INSERT INTO meeting(body, date, public, present_total, note, recorded_at)"
	         " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")))
		goto done;
	sql_bind_text(st, 1, b->id, -1);
	sql_bind_int(st, 2, in->date);
	sql_bind_int(st, 3, in->public_meeting);
	if (total >= 0 && in->present && *in->present)
		sql_bind_int(st, 4, total);
	if (in->note && *in->note)
		sql_bind_text(st, 5, in->note, -1);
	sql_bind_text(st, 6, now, -1);
	int64_t mid = 0;
	if (sql_step(st) != SQL_ROW || (mid = sql_column_int64(st, 0), sql_step(st) != SQL_DONE)) {
		rc = db_error(db, "cannot record the meeting");
		goto done;
	}
	sql_finalize(st);
	st = NULL;
	if (breakdown) {
		if ((rc = db_prepare(
		         db, &st,
		         "INSERT INTO attendance(meeting_id, partner, members) VALUES (?, ?, ?)")))
			goto done;
		for (size_t p = 0; p < ag->npartners; p++) {
			if (by[p] < 0)
				continue;
			sql_reset(st);
			sql_bind_int64(st, 1, mid);
			sql_bind_text(st, 2, ag->partners[p].id, -1);
			sql_bind_int(st, 3, by[p]);
			if (sql_step(st) != SQL_DONE) {
				rc = db_error(db, "cannot record the attendance");
				goto done;
			}
		}
	}
	for (const char *q = r; *q;) {
		size_t len = strcspn(q, ";,");
		const char *s = q;
		size_t sl = len;
		s75_text_trim(&s, &sl);
		int item;
		char per[16];
		if (sl) {
			parse_item(s, sl, &item, per, sizeof(per));
			if ((rc = insert_receipt(db, b->id, s75_gov_item_name((s75_gov_item)item),
			                         per, in->date, mid, now)))
				goto done;
		}
		q += len;
		if (*q)
			q++;
	}
	if (id)
		*id = mid;
	rc = 0;
done:
	sql_finalize(st);
	free(by);
	return rc;
}

int s75_meeting_record(s75_db *db, const s75_agreement *ag, const s75_meeting_input *in,
                       const char *now, int64_t *id)
{
	int64_t mid = 0;
	char d[11];
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = gov_meeting_insert(db, ag, in, now, &mid)))
		goto fail;
	s75_buf det = S75_BUF_INIT;
	s75_buf_printf(&det, "meeting %lld of %s on %s%s", (long long)mid, in->body,
	               s75_date_format(d, in->date), in->public_meeting ? " (in public)" : "");
	rc = db_audit(db, now, "record meeting", 0, det.ptr);
	s75_buf_release(&det);
	if (rc || (rc = db_commit(db)))
		goto fail;
	if (id)
		*id = mid;
	return 0;
fail:
	db_exec(db, "ROLLBACK");
	return rc;
}

int s75_receipt_record(s75_db *db, const s75_agreement *ag, const char *body, const char *item,
                       const char *period, s75_date date, const char *now)
{
	int it, rc;
	char per[16], d[11];
	if (s75_agreement_find_body(ag, body) < 0)
		return s75_error_set(S75_EINVALID, "unknown governance body '%s'", body);
	s75_buf spec = S75_BUF_INIT;
	s75_buf_printf(&spec, "%s:%s", item, period);
	rc = parse_item(spec.ptr, spec.len, &it, per, sizeof(per));
	s75_buf_release(&spec);
	if (rc)
		return rc;
	if ((rc = db_begin_write(db)))
		return rc;
	s75_buf det = S75_BUF_INIT;
	s75_buf_printf(&det, "%s %s received by %s on %s", s75_gov_item_name((s75_gov_item)it), per,
	               body, s75_date_format(d, date));
	if (!(rc =
	          insert_receipt(db, body, s75_gov_item_name((s75_gov_item)it), per, date, 0, now)))
		rc = db_audit(db, now, "record receipt", 0, det.ptr);
	s75_buf_release(&det);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_exec(db, "ROLLBACK");
	return rc;
}

/* ---- decisions ----------------------------------------------------------------------- */

static bool valid_id(const char *s)
{
	bool ok = *s && ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'));
	for (const char *p = s; ok && *p; p++)
		ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		     *p == '-' || *p == '.';
	return ok;
}

/* Checks what a decision approves against the agreement (and the notices recorded). */
static int check_approves(s75_db *db, const s75_agreement *ag, const char *s, s75_buf *canon)
{
	static const char *const kinds[] = {"variation",   "schedules",     "budget",    "kpi",
	                                    "risk",        "risk-register", "pool",      "function",
	                                    "arrangement", "notice",        "agreement", "other",
	                                    NULL};
	const char *colon = strchr(s, ':');
	size_t kl = colon ? (size_t)(colon - s) : strlen(s);
	const char *ref = colon ? colon + 1 : "";
	int k = -1, fy, i;
	for (int j = 0; kinds[j]; j++)
		if (strlen(kinds[j]) == kl && !strncmp(kinds[j], s, kl))
			k = j;
	if (k < 0)
		return s75_error_set(
		    S75_EINVALID,
		    "'%s' is not what a decision approves (variation:ID, schedules:YEAR, "
		    "budget:YEAR, kpi:ID, risk:ID, risk-register:YEAR, pool:ID, function:ID, "
		    "arrangement:ID, notice:N, agreement, other:TEXT)",
		    s);
	const char *kind = kinds[k];
	if (k != 10 && !*ref)
		return s75_error_set(S75_EINVALID, "'%s' needs a reference after '%s:'", s, kind);
	switch (k) {
	case 0: {
		size_t n;
		const s75_variation *v = s75_agreement_variations(ag, &n);
		for (i = 0; i < (int)n && !(v[i].id && !strcmp(v[i].id, ref)); i++)
			;
		if (i == (int)n)
			return s75_error_set(S75_EINVALID, "no variation '%s' in the agreement",
			                     ref);
		break;
	}
	case 1:
	case 2:
	case 5: {
		char b[8];
		if (s75_fy_parse(&fy, ref))
			return S75_EINVALID;
		s75_buf_printf(canon, "%s:%s", kind, s75_fy_format(b, fy));
		return 0;
	}
	case 3:
		if (s75_agreement_find_kpi(ag, ref) < 0)
			return s75_error_set(S75_EINVALID, "no KPI '%s' in the agreement", ref);
		break;
	case 4: {
		const s75_gov_model *g = s75_agreement_governance(ag);
		for (i = 0; i < (int)g->nrisks && !(g->risks[i].id && !strcmp(g->risks[i].id, ref));
		     i++)
			;
		if (i == (int)g->nrisks)
			return s75_error_set(S75_EINVALID, "no risk '%s' in the agreement", ref);
		break;
	}
	case 6:
	case 7:
	case 8:
		i = s75_agreement_find_arrangement(ag, ref);
		if (i < 0)
			return s75_error_set(S75_EINVALID, "no arrangement '%s' in the agreement",
			                     ref);
		if (k == 6 && ag->arrangements[i].kind != S75_ARR_POOLED_FUND)
			return s75_error_set(S75_EINVALID, "'%s' is %s, not a pooled fund", ref,
			                     s75_arrangement_kind_name(ag->arrangements[i].kind));
		if (k == 7 && ag->arrangements[i].kind != S75_ARR_LEAD_COMMISSIONING)
			return s75_error_set(S75_EINVALID,
			                     "'%s' is %s, not a lead-commissioning function", ref,
			                     s75_arrangement_kind_name(ag->arrangements[i].kind));
		break;
	case 9: {
		sql_stmt *st;
		char *end;
		long long n = strtoll(ref, &end, 10);
		int rc, found;
		if (*end || n <= 0)
			return s75_error_set(S75_EINVALID, "'%s' is not a notice number", ref);
		if ((rc = db_prepare(db, &st, "SELECT 1 FROM notice WHERE id = ?")))
			return rc;
		sql_bind_int64(st, 1, n);
		found = sql_step(st) == SQL_ROW;
		sql_finalize(st);
		if (!found)
			return s75_error_set(S75_EINVALID, "no notice %lld is recorded", n);
		break;
	}
	default:
		break;
	}
	s75_buf_puts(canon, s);
	return 0;
}

int gov_decision_insert(s75_db *db, const s75_agreement *ag, const s75_decision_input *in,
                        const char *now, char **id_out)
{
	sql_stmt *st = NULL;
	s75_buf canon = S75_BUF_INIT, id = S75_BUF_INIT;
	int rc;
	if (s75_agreement_find_body(ag, in->body) < 0 &&
	    s75_agreement_find_partner(ag, in->body) < 0) {
		rc = s75_error_set(
		    S75_EINVALID,
		    "'%s' is neither a governance body nor a partner of the agreement", in->body);
		goto done;
	}
	if (!in->summary || !*in->summary) {
		rc = s75_error_set(S75_EINVALID, "a decision needs a summary");
		goto done;
	}
	if (!in->approves || !*in->approves) {
		rc = s75_error_set(S75_EINVALID, "a decision needs what it approves");
		goto done;
	}
	if ((rc = check_approves(db, ag, in->approves, &canon)))
		goto done;
	if (in->id && *in->id) {
		if (!valid_id(in->id)) {
			rc = s75_error_set(S75_EINVALID,
			                   "'%s' is not a valid decision id (lower-case letters, "
			                   "digits, '_', '-', '.')",
			                   in->id);
			goto done;
		}
		s75_buf_puts(&id, in->id);
	}
	if ((rc = db_prepare(db, &st, "SELECT 1 FROM decision WHERE id = ?")))
		goto done;
	for (int n = 1;; n++) {
		if (!in->id || !*in->id) {
			/* the next free dN */
			s75_buf_reset(&id);
			s75_buf_printf(&id, "d%d", n);
		}
		sql_reset(st);
		sql_bind_text(st, 1, id.ptr, -1);
		if (sql_step(st) != SQL_ROW)
			break;
		if (in->id && *in->id) {
			rc =
			    s75_error_set(S75_EEXISTS, "decision '%s' is recorded already", id.ptr);
			goto done;
		}
	}
	sql_finalize(st);
	if ((rc = db_prepare(db, &st,
	                     "INSERT INTO decision(id, body, date, approves, summary, recorded_at)"
	                     " VALUES (?, ?, ?, ?, ?, ?)")))
		goto done;
	sql_bind_text(st, 1, id.ptr, -1);
	sql_bind_text(st, 2, in->body, -1);
	sql_bind_int(st, 3, in->date);
	sql_bind_text(st, 4, canon.ptr, -1);
	sql_bind_text(st, 5, in->summary, -1);
	sql_bind_text(st, 6, now, -1);
	if (sql_step(st) != SQL_DONE) {
		rc = db_error(db, "cannot record the decision");
		goto done;
	}
	if (id_out)
		*id_out = xstrdup(id.ptr);
done:
	sql_finalize(st);
	s75_buf_release(&canon);
	s75_buf_release(&id);
	return rc;
}

int s75_decision_record(s75_db *db, const s75_agreement *ag, const s75_decision_input *in,
                        const char *now, char **id_out)
{
	char *id = NULL, d[11];
	int rc;
	if (id_out)
		*id_out = NULL;
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = gov_decision_insert(db, ag, in, now, &id)))
		goto fail;
	s75_buf det = S75_BUF_INIT;
	s75_buf_printf(&det, "decision %s of %s on %s approves %s", id, in->body,
	               s75_date_format(d, in->date), in->approves);
	rc = db_audit(db, now, "record decision", 0, det.ptr);
	s75_buf_release(&det);
	if (rc || (rc = db_commit(db)))
		goto fail;
	if (id_out)
		*id_out = id;
	else
		free(id);
	return 0;
fail:
	free(id);
	db_exec(db, "ROLLBACK");
	return rc;
}

/* A yes/no cell. */
static int yes_no(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "y", "true", "1", "public", NULL};
	static const char *const no[] = {"no", "n", "false", "0", "private", "", NULL};
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return *out = true, 0;
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i]))
			return *out = false, 0;
	return -1;
}

int s75_meetings_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                        s75_gov_import_result *res)
{
	static const char *const cols[] = {"body",     "date", "public", "present",
	                                   "received", "note", NULL};
	gov_csv c;
	int rc;
	if (!(rc = gov_csv_open(&c, db, path, cols, 2, res)))
		while ((rc = gov_csv_next(&c)) > 0) {
			s75_meeting_input in = {gov_csv_field(&c, 0),
			                        0,
			                        false,
			                        gov_csv_field(&c, 3),
			                        gov_csv_field(&c, 4),
			                        gov_csv_field(&c, 5)};
			if (s75_date_parse(&in.date, gov_csv_field(&c, 1))) {
				gov_csv_error(&c, "date: %s", s75_error_last());
				continue;
			}
			if (yes_no(gov_csv_field(&c, 2), &in.public_meeting)) {
				gov_csv_error(&c, "public: '%s' is not yes or no",
				              gov_csv_field(&c, 2));
				continue;
			}
			/* the row is checked (and inserted) even after an error, so that every bad
			 * row is reported; the transaction is rolled back at the end */
			int r = gov_meeting_insert(db, ag, &in, now, NULL);
			if (r == S75_EIO) {
				rc = r;
				break;
			}
			if (r)
				gov_csv_error(&c, "%s", s75_error_last());
			else
				res->rows_imported++;
		}
	return gov_csv_end(&c, rc, now, "import meetings");
}

int s75_decisions_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                         s75_gov_import_result *res)
{
	static const char *const cols[] = {"id", "body", "date", "approves", "summary", NULL};
	gov_csv c;
	int rc;
	if (!(rc = gov_csv_open(&c, db, path, cols, 5, res)))
		while ((rc = gov_csv_next(&c)) > 0) {
			s75_decision_input in = {gov_csv_field(&c, 0), gov_csv_field(&c, 1), 0,
			                         gov_csv_field(&c, 3), gov_csv_field(&c, 4)};
			if (s75_date_parse(&in.date, gov_csv_field(&c, 2))) {
				gov_csv_error(&c, "date: %s", s75_error_last());
				continue;
			}
			if (!*in.id) {
				gov_csv_error(&c, "a decision needs an id");
				continue;
			}
			int r = gov_decision_insert(db, ag, &in, now, NULL);
			if (r == S75_EIO) {
				rc = r;
				break;
			}
			if (r)
				gov_csv_error(&c, "%s", s75_error_last());
			else
				res->rows_imported++;
		}
	return gov_csv_end(&c, rc, now, "import decisions");
}

/* ---- lists ----------------------------------------------------------------------------- */

int s75_meetings_list(s75_meeting **out, size_t *n, s75_db *db, const s75_agreement *ag,
                      const char *body)
{
	sql_stmt *st = NULL, *at = NULL;
	s75_meeting *m = NULL;
	size_t nm = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
	                     "SELECT id, body, date, public, present_total, note FROM meeting"
	                     " WHERE ?1 IS NULL OR body = ?1 ORDER BY date, body")) ||
	    (rc = db_prepare(db, &at,
	                     "SELECT partner, members FROM attendance WHERE meeting_id = ?"
	                     " ORDER BY partner")))
		goto done;
	if (body)
		sql_bind_text(st, 1, body, -1);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(m, nm + 1, alloc);
		s75_meeting *x = &m[nm++];
		memset(x, 0, sizeof(*x));
		x->id = sql_column_int64(st, 0);
		x->body = sql_column_dup(st, 1);
		x->date = sql_column_int(st, 2);
		x->public_meeting = sql_column_int(st, 3) != 0;
		x->present_total =
		    sql_column_is_null(st, 4) ? -1 : sql_column_int(st, 4);
		x->note = sql_column_dup(st, 5);
		sql_reset(at);
		sql_bind_int64(at, 1, x->id);
		while (sql_step(at) == SQL_ROW) {
			int p = s75_agreement_find_partner(
			    ag, sql_column_text(at, 0));
			if (p < 0)
				continue;
			if (!x->present) {
				x->present = xcalloc(ag->npartners + 1, sizeof(int));
				for (size_t k = 0; k < ag->npartners; k++)
					x->present[k] = -1;
			}
			x->present[p] = sql_column_int(at, 1);
		}
	}
	rc = rc == SQL_DONE ? 0 : db_error(db, "cannot read the meetings");
done:
	sql_finalize(st);
	sql_finalize(at);
	if (rc) {
		s75_meetings_free(m, nm);
		return rc;
	}
	*out = m;
	*n = nm;
	return 0;
}

void s75_meetings_free(s75_meeting *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].body);
		free(m[i].present);
		free(m[i].note);
	}
	free(m);
}

int s75_receipts_list(s75_receipt **out, size_t *n, s75_db *db, const char *body)
{
	sql_stmt *st;
	s75_receipt *r = NULL;
	size_t nr = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
	                     "SELECT body, item, period, date FROM receipt"
	                     " WHERE ?1 IS NULL OR body = ?1 ORDER BY date, id")))
		return rc;
	if (body)
		sql_bind_text(st, 1, body, -1);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(r, nr + 1, alloc);
		r[nr].body = sql_column_dup(st, 0);
		r[nr].item = sql_column_dup(st, 1);
		r[nr].period = sql_column_dup(st, 2);
		r[nr].date = sql_column_int(st, 3);
		nr++;
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_receipts_free(r, nr);
		return db_error(db, "cannot read the reports received");
	}
	*out = r;
	*n = nr;
	return 0;
}

void s75_receipts_free(s75_receipt *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].body);
		free(r[i].item);
		free(r[i].period);
	}
	free(r);
}

int s75_decisions_list(s75_decision **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_decision *d = NULL;
	size_t nd = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(
	         db, &st,
	         "SELECT id, body, date, approves, summary FROM decision ORDER BY date, id")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(d, nd + 1, alloc);
		d[nd].id = sql_column_dup(st, 0);
		d[nd].body = sql_column_dup(st, 1);
		d[nd].date = sql_column_int(st, 2);
		d[nd].approves = sql_column_dup(st, 3);
		d[nd].summary = sql_column_dup(st, 4);
		nd++;
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_decisions_free(d, nd);
		return db_error(db, "cannot read the decisions");
	}
	*out = d;
	*n = nd;
	return 0;
}

void s75_decisions_free(s75_decision *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].id);
		free(d[i].body);
		free(d[i].approves);
		free(d[i].summary);
	}
	free(d);
}

bool s75_meeting_quorate(const s75_agreement *ag, const s75_gov_body *b, const s75_meeting *m,
                         const char **why)
{
	if (why)
		*why = NULL;
	if (!b->quorum_members && !b->quorum_each_partner)
		return true;
	if (m->present_total < 0) {
		if (why)
			*why = "attendance not recorded";
		return false;
	}
	if (b->quorum_members && m->present_total < b->quorum_members) {
		if (why)
			*why = "too few members present";
		return false;
	}
	for (size_t p = 0; b->quorum_each_partner && p < ag->npartners; p++) {
		if (!members_of(b, (int)p))
			continue;
		int here = m->present ? m->present[p] : -1;
		if (here < b->quorum_each_partner) {
			if (why)
				*why = "a partner not represented as the quorum requires";
			return false;
		}
	}
	return true;
}

/* ---- KPI values ---------------------------------------------------------------- */

void s75_gov_import_result_release(s75_gov_import_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++)
		free(res->errors[i]);
	free(res->errors);
	memset(res, 0, sizeof(*res));
}

int s75_kpi_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                   s75_gov_import_result *res)
{
	static const char *const cols[] = {"kpi", "period", "value", "note", NULL};
	gov_csv c;
	sql_stmt *old = NULL, *ins = NULL;
	s75_date *ends = NULL;
	char **seen = NULL;
	size_t nseen = 0, aseen = 0;
	int rc;

	if ((rc = gov_csv_open(&c, db, path, cols, 3, res)))
		goto done;
	if ((rc = s75_arrangement_ends(&ends, db, ag)))
		goto done;
	if ((rc = db_prepare(db, &old,
	                     "SELECT value FROM kpi_value WHERE kpi = ? AND period = ?")) ||
	    (rc = db_prepare(
	         db, &ins,
	         "INSERT INTO kpi_value(kpi, period, period_start, period_end,"
	         " value, note, file, line, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	         " ON CONFLICT (kpi, period) DO UPDATE SET period_start = excluded.period_start,"
	         " period_end = excluded.period_end, value = excluded.value, note = excluded.note,"
	         " file = excluded.file, line = excluded.line, recorded_at = excluded.recorded_at")))
		goto done;
	while ((rc = gov_csv_next(&c)) > 0) {
		const char *id = gov_csv_field(&c, 0), *per = gov_csv_field(&c, 1);
		const char *val = gov_csv_field(&c, 2), *note = gov_csv_field(&c, 3);
		s75_rperiod p;
		int64_t v;
		int k = s75_agreement_find_kpi(ag, id);
		if (k < 0) {
			gov_csv_error(&c, "unknown KPI '%s'", id);
			continue;
		}
		if (s75_rperiod_parse(&p, per)) {
			gov_csv_error(&c, "period: %s", s75_error_last());
			continue;
		}
		if (s75_kpi_value_parse(&v, val, strlen(val))) {
			gov_csv_error(&c, "value: %s", s75_error_last());
			continue;
		}
		const s75_kpi *kd = &s75_agreement_governance(ag)->kpis[k];
		if (kd->pool >= 0 && ends[kd->pool] && p.start > ends[kd->pool]) {
			char d[11];
			gov_csv_error(&c,
			              "KPI '%s' belongs to pool '%s', which ended on %s: it takes "
			              "no periods after its end",
			              id, ag->arrangements[kd->pool].id,
			              s75_date_format(d, ends[kd->pool]));
			continue;
		}
		/* one value per KPI and period in a file */
		s75_buf key = S75_BUF_INIT;
		s75_buf_printf(&key, "%s\n%s", id, p.label);
		bool dup = false;
		for (size_t i = 0; i < nseen && !dup; i++)
			dup = !strcmp(seen[i], key.ptr);
		if (dup) {
			gov_csv_error(&c, "KPI '%s' has a second value for %s in this file", id,
			              p.label);
			s75_buf_release(&key);
			continue;
		}
		ALLOC_GROW(seen, nseen + 1, aseen);
		seen[nseen++] = s75_buf_detach(&key);
		if (res->error_count)
			continue; /* nothing will be imported: only look for more errors */
		sql_reset(old);
		sql_bind_text_copy(old, 1, id, -1);
		sql_bind_text_copy(old, 2, p.label, -1);
		if (sql_step(old) == SQL_ROW)
			res->rows_replaced++;
		sql_reset(ins);
		sql_bind_text_copy(ins, 1, id, -1);
		sql_bind_text_copy(ins, 2, p.label, -1);
		sql_bind_int(ins, 3, p.start);
		sql_bind_int(ins, 4, p.end);
		sql_bind_int64(ins, 5, v);
		if (note && *note)
			sql_bind_text_copy(ins, 6, note, -1);
		else
			sql_bind_null(ins, 6);
		sql_bind_text(ins, 7, c.name, -1);
		sql_bind_int64(ins, 8, s75_csv_line(c.csv));
		sql_bind_text(ins, 9, now, -1);
		if (sql_step(ins) != SQL_DONE) {
			rc = db_error(db, "cannot store a KPI value");
			goto done;
		}
		res->rows_imported++;
	}
done:
	sql_finalize(old);
	sql_finalize(ins);
	free(ends);
	for (size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	return gov_csv_end(&c, rc, now, "import kpi");
}
