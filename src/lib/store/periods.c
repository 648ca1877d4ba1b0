/* Closed periods: closing and reopening a month (audited, sealed with the sha256 of its
 * ledger totals), the set of closed periods an import checks its rows against, and the
 * prior-period items (rows dated in a closed month, posted to the first open one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "periods_internal.h"
#include "sha256.h"
#include "s75/error.h"
#include "s75/periods.h"
#include "s75/text.h"
#include "xalloc.h"

struct period_set {
	const s75_agreement *ag;
	int fy0, nfy;
	size_t np;
	unsigned char *closed; /* [(fy - fy0) * 12 + p - 1][1 + partner]: slot 0 is every partner */
	int64_t count, maxid, nreopened;
};

/* The agreement's last day (with its extensions), 0 if open-ended. */
static s75_date agreement_end(const s75_agreement *ag)
{
	if (!ag->has_end)
		return 0;
	return ag->nextensions ? ag->extensions[ag->nextensions - 1].to : ag->end;
}

/* "every partner" or the partner's name. */
static const char *scope_name(const s75_agreement *ag, const char *partner)
{
	return partner ? s75_agreement_partner_name(ag, partner) : "every partner";
}

/* The closings' count, last id and reopenings: what an import compares after its lock. */
static int read_stamp(s75_db *db, int64_t st3[3])
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, "SELECT count(*), coalesce(max(id), 0), count(reopened_at)"
				      " FROM period_close")))
		return rc;
	if (sql_step(st) != SQL_ROW) {
		sql_finalize(st);
		return db_error(db, "cannot read the closed periods");
	}
	for (int i = 0; i < 3; i++)
		st3[i] = sql_column_int64(st, i);
	sql_finalize(st);
	return 0;
}

static unsigned char *slot(const period_set *s, s75_period p)
{
	if (p.fy < s->fy0 || p.fy >= s->fy0 + s->nfy || p.p < 1 || p.p > 12)
		return NULL;
	return s->closed + ((size_t)(p.fy - s->fy0) * 12 + (size_t)(p.p - 1)) * (s->np + 1);
}

int period_set_load(period_set **out, s75_db *db, const s75_agreement *ag)
{
	period_set *s = xcalloc(1, sizeof(*s));
	sql_stmt *st = NULL;
	int64_t stamp[3];
	int rc;
	*out = NULL;
	s->ag = ag;
	s->np = ag->npartners;
	s->fy0 = ag->nyears ? ag->years[0].fy : 0;
	int last = s->fy0;
	for (size_t i = 0; i < ag->nyears; i++) {
		if (ag->years[i].fy < s->fy0)
			s->fy0 = ag->years[i].fy;
		if (ag->years[i].fy > last)
			last = ag->years[i].fy;
	}
	s->nfy = ag->nyears ? last - s->fy0 + 1 : 0;
	s->closed = xcalloc((size_t)s->nfy * 12 * (s->np + 1) + 1, 1);
	if ((rc = read_stamp(db, stamp)))
		goto fail;
	s->count = stamp[0];
	s->maxid = stamp[1];
	s->nreopened = stamp[2];
	if ((rc = db_prepare(db, &st, "SELECT fy, period, partner FROM period_close"
				      " WHERE reopened_at IS NULL")))
		goto fail;
	while ((rc = sql_step(st)) == SQL_ROW) {
		s75_period p = {sql_column_int(st, 0), sql_column_int(st, 1)};
		unsigned char *c = slot(s, p);
		const char *partner = sql_column_text(st, 2);
		int i = partner ? s75_agreement_find_partner(ag, partner) : -1;
		if (c && (!partner || i >= 0))
			c[i + 1] = 1;
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		rc = db_error(db, "cannot read the closed periods");
		goto fail;
	}
	*out = s;
	return 0;
fail:
	period_set_free(s);
	return rc;
}

void period_set_free(period_set *s)
{
	if (!s)
		return;
	free(s->closed);
	free(s);
}

bool period_set_empty(const period_set *s)
{
	return !s || s->count == s->nreopened;
}

bool period_set_closed(const period_set *s, s75_period p, int partner)
{
	const unsigned char *c = s ? slot(s, p) : NULL;
	if (!c)
		return false;
	if (c[0])
		return true;
	if (partner >= 0)
		return c[partner + 1] != 0;
	for (size_t i = 0; i < s->np; i++)
		if (!c[i + 1])
			return false;
	return s->np > 0;
}

int period_set_first_open(const period_set *s, s75_period p, int partner, s75_period *out)
{
	s75_date end = agreement_end(s->ag);
	for (s75_period q = s75_period_add(p, 1); q.fy < s->fy0 + s->nfy; q = s75_period_add(q, 1)) {
		if (end && s75_period_start(q) > end)
			break;
		if (s75_agreement_find_year(s->ag, q.fy) && !period_set_closed(s, q, partner)) {
			*out = q;
			return 0;
		}
	}
	return -1;
}

int period_set_unchanged(const period_set *s, s75_db *db)
{
	int64_t stamp[3];
	int rc;
	if ((rc = read_stamp(db, stamp)))
		return rc;
	if (stamp[0] != s->count || stamp[1] != s->maxid || stamp[2] != s->nreopened)
		return s75_error_set(S75_EINVALID, "a period was closed or reopened while the file was read");
	return 0;
}

int s75_period_seal(char seal[65], int64_t *rows, int64_t *spend, s75_db *db, s75_period p,
		    const char *partner)
{
	sql_stmt *st = NULL;
	s75_sha256 *h = s75_sha256_new();
	s75_buf line = S75_BUF_INIT;
	int rc;
	*rows = 0;
	*spend = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT cost_centre, partner, kind, rows, amount FROM ledger_agg"
			     " WHERE fy = ?1 AND period = ?2 AND (?3 IS NULL OR partner = ?3)"
			     " AND rows <> 0 ORDER BY cost_centre, partner, kind")))
		goto done;
	sql_bind_int(st, 1, p.fy);
	sql_bind_int(st, 2, p.p);
	if (partner)
		sql_bind_text(st, 3, partner, -1);
	while ((rc = sql_step(st)) == SQL_ROW) {
		int64_t r = sql_column_int64(st, 3), a = sql_column_int64(st, 4);
		int kind = sql_column_int(st, 2);
		s75_buf_reset(&line);
		s75_buf_printf(&line, "L|%s|%s|%d|%lld|%lld\n", sql_column_text(st, 0),
			       sql_column_text(st, 1), kind, (long long)r,
			       (long long)a);
		s75_sha256_update(h, line.ptr, line.len);
		*rows += r;
		if (kind == S75_TXN_EXPENDITURE && __builtin_add_overflow(*spend, a, spend)) {
			rc = s75_error_set(S75_EINVALID, "the expenditure of a period is out of range");
			goto done;
		}
	}
	if (rc != SQL_DONE) {
		rc = db_error(db, "cannot read the ledger");
		goto done;
	}
	sql_finalize(st);
	st = NULL;
	rc = 0;
	if (!partner) {
		/* the forecasts made at the period belong to its reports too */
		if ((rc = db_prepare(db, &st,
				     "SELECT batch_id, cost_centre, amount FROM forecast"
				     " WHERE fy = ?1 AND period = ?2 ORDER BY batch_id, cost_centre")))
			goto done;
		sql_bind_int(st, 1, p.fy);
		sql_bind_int(st, 2, p.p);
		while ((rc = sql_step(st)) == SQL_ROW) {
			s75_buf_reset(&line);
			s75_buf_printf(&line, "F|%lld|%s|%lld\n", (long long)sql_column_int64(st, 0),
				       sql_column_text(st, 1),
				       (long long)sql_column_int64(st, 2));
			s75_sha256_update(h, line.ptr, line.len);
		}
		if (rc != SQL_DONE) {
			rc = db_error(db, "cannot read the forecasts");
			goto done;
		}
		rc = 0;
	}
	s75_sha256_final_hex(h, seal);
	h = NULL;
done:
	sql_finalize(st);
	s75_sha256_free(h);
	s75_buf_release(&line);
	return rc;
}

/* Checks a partner id and the period against the agreement: 0 or S75_EINVALID. */
static int check_period(const s75_agreement *ag, s75_period p, const char *partner)
{
	char pb[16], fy[8], d[11];
	s75_period_format(pb, p);
	if (partner && s75_agreement_find_partner(ag, partner) < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement", partner);
	if (!s75_agreement_find_year(ag, p.fy))
		return s75_error_set(S75_EINVALID, "%s: the agreement has no year %s", pb,
				     s75_fy_format(fy, p.fy));
	if (s75_period_end(p) < ag->start)
		return s75_error_set(S75_EINVALID, "%s is before the agreement (it starts %s)", pb,
				     s75_date_format(d, ag->start));
	return 0;
}

/* Whether `p` has a closing not reopened: of every partner (partner NULL), of the
 * partner's own, or of any (any != 0). 1, 0, or an error. */
static int is_closed(s75_db *db, s75_period p, const char *partner, int any)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "SELECT count(*) FROM period_close WHERE fy = ?1 AND period = ?2"
			     " AND reopened_at IS NULL"
			     " AND (?4 <> 0 OR partner IS NULL OR partner = ?3)")))
		return rc;
	sql_bind_int(st, 1, p.fy);
	sql_bind_int(st, 2, p.p);
	if (partner)
		sql_bind_text(st, 3, partner, -1);
	sql_bind_int(st, 4, any);
	rc = sql_step(st) == SQL_ROW ? sql_column_int(st, 0) > 0 : db_error(db, "cannot read the closed periods");
	sql_finalize(st);
	return rc;
}

int s75_period_close(s75_period **out, size_t *n, s75_db *db, const s75_agreement *ag,
		     s75_period p, const char *partner, const char *now)
{
	sql_stmt *ins = NULL;
	s75_period *done_p = NULL;
	size_t nd = 0, alloc = 0;
	char pb[16], d[11];
	s75_date today;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = check_period(ag, p, partner)))
		return rc;
	if (!now || strlen(now) < 10 || s75_date_parse_fmt(&today, now, 10, "yyyy-mm-dd"))
		return s75_error_set(S75_EINVALID, "the time '%s' is not an ISO 8601 time", now ? now : "");
	s75_period_format(pb, p);
	if (today <= s75_period_end(p))
		return s75_error_set(S75_EINVALID, "%s has not ended (its last day is %s): a period is closed once reconciled, after its end",
				     pb, s75_date_format(d, s75_period_end(p)));
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = is_closed(db, p, partner, 0)) < 0)
		goto fail;
	if (rc) {
		rc = s75_error_set(S75_EINVALID, "%s is closed already for %s", pb, scope_name(ag, partner));
		goto fail;
	}
	if ((rc = db_prepare(db, &ins,
			     "INSERT INTO period_close(fy, period, partner, closed_at, closed_by, rows,"
			     " spend, seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")))
		goto fail;
	for (int k = 1; k <= p.p; k++) {
		s75_period q = {p.fy, k};
		char seal[65];
		int64_t rows, spend;
		if (s75_period_end(q) < ag->start)
			continue;
		if ((rc = is_closed(db, q, partner, 0)) < 0)
			goto fail;
		if (rc)
			continue;
		if ((rc = s75_period_seal(seal, &rows, &spend, db, q, partner)))
			goto fail;
		sql_bind_int(ins, 1, q.fy);
		sql_bind_int(ins, 2, q.p);
		if (partner)
			sql_bind_text(ins, 3, partner, -1);
		else
			sql_bind_null(ins, 3);
		sql_bind_text(ins, 4, now, -1);
		sql_bind_text(ins, 5, db->actor, -1);
		sql_bind_int64(ins, 6, rows);
		sql_bind_int64(ins, 7, spend);
		sql_bind_text_copy(ins, 8, seal, -1);
		if (sql_step(ins) != SQL_DONE) {
			rc = db_error(db, "cannot close the period");
			goto fail;
		}
		sql_reset(ins);
		char qb[16], detail[256];
		snprintf(detail, sizeof(detail), "%s %s: %lld row%s, seal %s", s75_period_format(qb, q),
			 partner ? partner : "all partners", (long long)rows, rows == 1 ? "" : "s", seal);
		if ((rc = db_audit(db, now, "period close", 0, detail)))
			goto fail;
		ALLOC_GROW(done_p, nd + 1, alloc);
		done_p[nd++] = q;
	}
	sql_finalize(ins);
	ins = NULL;
	if ((rc = db_commit(db)))
		goto fail;
	*out = done_p;
	*n = nd;
	return 0;
fail:
	sql_finalize(ins);
	db_exec(db, "ROLLBACK");
	free(done_p);
	return rc;
}

int s75_period_reopen(s75_period **out, size_t *n, s75_db *db, const s75_agreement *ag,
		      s75_period p, const char *partner, const char *reason, const char *now)
{
	sql_stmt *st = NULL;
	s75_period *done_p = NULL;
	size_t nd = 0, alloc = 0;
	char pb[16];
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = check_period(ag, p, partner)))
		return rc;
	const char *r = reason ? reason : "";
	size_t rlen = strlen(r);
	s75_text_trim(&r, &rlen);
	if (!rlen)
		return s75_error_set(S75_EINVALID, "a period is reopened only for a reason (--reason TEXT): it is kept in the audit log");
	s75_period_format(pb, p);
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = is_closed(db, p, partner, partner == NULL)) < 0)
		goto fail;
	if (!rc) {
		rc = s75_error_set(S75_EINVALID, "%s is not closed for %s", pb, scope_name(ag, partner));
		goto fail;
	}
	if (partner) {
		/* a closing of every partner stays whole: reopen it, then close the others again */
		for (int k = p.p; k <= 12; k++) {
			s75_period q = {p.fy, k};
			if ((rc = is_closed(db, q, NULL, 0)) < 0)
				goto fail;
			if (rc) {
				char qb[16];
				rc = s75_error_set(S75_EINVALID, "%s is closed for every partner: reopen it without --partner (and close it again for the others)",
						   s75_period_format(qb, q));
				goto fail;
			}
		}
	}
	for (int k = p.p; k <= 12; k++) {
		s75_period q = {p.fy, k};
		if ((rc = is_closed(db, q, partner, partner == NULL)) < 0)
			goto fail;
		if (!rc)
			continue;
		if ((rc = db_prepare(db, &st,
				     "UPDATE period_close SET reopened_at = ?4, reopened_by = ?5, reason = ?6"
				     " WHERE fy = ?1 AND period = ?2 AND reopened_at IS NULL"
				     " AND (?3 IS NULL OR partner = ?3)")))
			goto fail;
		sql_bind_int(st, 1, q.fy);
		sql_bind_int(st, 2, q.p);
		if (partner)
			sql_bind_text(st, 3, partner, -1);
		sql_bind_text(st, 4, now, -1);
		sql_bind_text(st, 5, db->actor, -1);
		sql_bind_text(st, 6, r, (int)rlen);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot reopen the period");
			goto fail;
		}
		sql_finalize(st);
		st = NULL;
		char qb[16];
		s75_buf detail = S75_BUF_INIT;
		s75_buf_printf(&detail, "%s %s: %.*s", s75_period_format(qb, q),
			       partner ? partner : "all partners", (int)rlen, r);
		rc = db_audit(db, now, "period reopen", 0, detail.ptr);
		s75_buf_release(&detail);
		if (rc)
			goto fail;
		ALLOC_GROW(done_p, nd + 1, alloc);
		done_p[nd++] = q;
	}
	if ((rc = db_commit(db)))
		goto fail;
	*out = done_p;
	*n = nd;
	return 0;
fail:
	sql_finalize(st);
	db_exec(db, "ROLLBACK");
	free(done_p);
	return rc;
}

int s75_period_closes_list(s75_closing **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_closing *c = NULL;
	size_t nc = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT id, fy, period, partner, closed_at, closed_by, reopened_at,"
			     " reopened_by, reason, rows, spend, seal FROM period_close"
			     " ORDER BY fy, period, partner IS NOT NULL, partner, id")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(c, nc + 1, alloc);
		s75_closing *x = &c[nc++];
		memset(x, 0, sizeof(*x));
		x->id = sql_column_int64(st, 0);
		x->period.fy = sql_column_int(st, 1);
		x->period.p = sql_column_int(st, 2);
		x->partner = sql_column_dup(st, 3);
		x->closed_at = sql_column_dup(st, 4);
		x->closed_by = sql_column_dup(st, 5);
		x->reopened_at = sql_column_dup(st, 6);
		x->reopened_by = sql_column_dup(st, 7);
		x->reason = sql_column_dup(st, 8);
		x->rows = sql_column_int64(st, 9);
		x->spend = sql_column_int64(st, 10);
		snprintf(x->seal, sizeof(x->seal), "%s", sql_column_text(st, 11));
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_period_closes_free(c, nc);
		return db_error(db, "cannot read the closed periods");
	}
	*out = c;
	*n = nc;
	return 0;
}

void s75_period_closes_free(s75_closing *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].partner);
		free(c[i].closed_at);
		free(c[i].closed_by);
		free(c[i].reopened_at);
		free(c[i].reopened_by);
		free(c[i].reason);
	}
	free(c);
}

int s75_prior_items_list(s75_prior_item **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_prior_item *it = NULL;
	size_t ni = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT t.id >> 32, t.id & 4294967295, p.fy, p.period, t.fy, t.period,"
			     " t.date, t.partner, t.cost_centre, t.description, t.reference, t.kind,"
			     " t.amount FROM prior_item p JOIN txn t ON t.id = p.txn_id ORDER BY t.id")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(it, ni + 1, alloc);
		s75_prior_item *x = &it[ni++];
		x->batch_id = sql_column_int64(st, 0);
		x->line = (long)sql_column_int64(st, 1);
		x->dated = (s75_period){sql_column_int(st, 2), sql_column_int(st, 3)};
		x->posted = (s75_period){sql_column_int(st, 4), sql_column_int(st, 5)};
		x->date = sql_column_int(st, 6);
		x->partner = sql_column_dup(st, 7);
		x->cost_centre = sql_column_dup(st, 8);
		x->description = sql_column_dup(st, 9);
		x->reference = sql_column_dup(st, 10);
		x->kind = (s75_txn_kind)sql_column_int(st, 11);
		x->amount = sql_column_int64(st, 12);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_prior_items_free(it, ni);
		return db_error(db, "cannot read the prior-period items");
	}
	*out = it;
	*n = ni;
	return 0;
}

void s75_prior_items_free(s75_prior_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(it[i].partner);
		free(it[i].cost_centre);
		free(it[i].description);
		free(it[i].reference);
	}
	free(it);
}
