/* Recharge statements in the store: the periods issued, what every issued line charged,
 * an issued period read back as it was issued, and a draft kept as issued (numbered,
 * audited, one transaction). Nothing here updates or deletes: the tables' triggers refuse
 * it (recharges_sql.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "recharges_store.h"
#include "sha256.h"
#include "s75/error.h"
#include "xalloc.h"

static char *col_dup(sql_stmt *st, int i)
{
	const char *t = sql_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

int recharges_store_periods(s75_period **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT fy, period FROM recharge_issue ORDER BY fy, period")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(*out, *n + 1, alloc);
		(*out)[*n].fy = sql_column_int(st, 0);
		(*out)[(*n)++].p = sql_column_int(st, 1);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return db_error(db, "cannot read the recharges issued");
	}
	return 0;
}

void recharges_charged_free(recharge_charged *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].creditor);
		free(c[i].debtor);
		free(c[i].package);
		free(c[i].person);
		free(c[i].pool);
		free(c[i].element);
	}
	free(c);
}

int recharges_store_charged(recharge_charged **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	recharge_charged *c = NULL;
	size_t nc = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT s.creditor, s.debtor, l.package, l.person, l.pool, l.element,"
				      " l.fy, l.period, l.amount"
				      " FROM recharge_line l JOIN recharge_statement s ON s.id = l.statement_id"
				      " ORDER BY s.number, l.seq")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(c, nc + 1, alloc);
		recharge_charged *x = &c[nc++];
		x->creditor = col_dup(st, 0);
		x->debtor = col_dup(st, 1);
		x->package = col_dup(st, 2);
		x->person = col_dup(st, 3);
		x->pool = col_dup(st, 4);
		x->element = col_dup(st, 5);
		x->month.fy = sql_column_int(st, 6);
		x->month.p = sql_column_int(st, 7);
		x->amount = sql_column_int64(st, 8);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		recharges_charged_free(c, nc);
		return db_error(db, "cannot read the recharges issued");
	}
	*out = c;
	*n = nc;
	return 0;
}

/* The lines of statement `id` into `s`. */
static int load_lines(s75_recharge_statement *s, s75_db *db, int64_t id)
{
	sql_stmt *st;
	size_t alloc = 0;
	int rc;
	if ((rc = db_prepare(db, &st, "SELECT package, person, pool, element, fy, period, kind, funding,"
				      " health_bp, days, net, due, charged, amount, reason"
				      " FROM recharge_line WHERE statement_id = ? ORDER BY seq")))
		return rc;
	sql_bind_int64(st, 1, id);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(s->lines, s->nlines + 1, alloc);
		s75_recharge_line *l = &s->lines[s->nlines++];
		l->package = col_dup(st, 0);
		l->person = col_dup(st, 1);
		l->pool = col_dup(st, 2);
		l->element = col_dup(st, 3);
		l->month.fy = sql_column_int(st, 4);
		l->month.p = sql_column_int(st, 5);
		l->kind = sql_column_int(st, 6) ? S75_RECHARGE_ADJUSTMENT : S75_RECHARGE_CHARGE;
		l->funding = col_dup(st, 7);
		l->health_bp = sql_column_int64(st, 8);
		l->days = (long)sql_column_int64(st, 9);
		l->net = sql_column_int64(st, 10);
		l->due = sql_column_int64(st, 11);
		l->charged = sql_column_int64(st, 12);
		l->amount = sql_column_int64(st, 13);
		l->reason = col_dup(st, 14);
	}
	sql_finalize(st);
	return rc == SQL_DONE ? 0 : db_error(db, "cannot read a recharge statement");
}

int recharges_store_load(s75_recharges *r, bool *found, s75_db *db, s75_period p)
{
	sql_stmt *st = NULL;
	int64_t issue = 0, *ids = NULL;
	size_t alloc = 0;
	int rc;
	*found = false;
	if ((rc = db_prepare(db, &st, "SELECT id, first_fy, first_period, issued_at, issued_by,"
				      " agreement_title, agreement_path, agreement_sha256"
				      " FROM recharge_issue WHERE fy = ? AND period = ?")))
		return rc;
	sql_bind_int(st, 1, p.fy);
	sql_bind_int(st, 2, p.p);
	rc = sql_step(st);
	if (rc == SQL_ROW) {
		*found = true;
		issue = sql_column_int64(st, 0);
		r->first.fy = sql_column_int(st, 1);
		r->first.p = sql_column_int(st, 2);
		r->issued_at = col_dup(st, 3);
		r->issued_by = col_dup(st, 4);
		r->agreement_title = col_dup(st, 5);
		r->agreement_path = col_dup(st, 6);
		r->agreement_sha256 = col_dup(st, 7);
		r->issued = true;
	}
	sql_finalize(st);
	st = NULL;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return db_error(db, "cannot read the recharges issued");
	if (!*found)
		return 0;
	if ((rc = db_prepare(db, &st, "SELECT id, number, creditor, debtor, creditor_name, debtor_name,"
				      " charges, adjustments, total"
				      " FROM recharge_statement WHERE issue_id = ? ORDER BY number")))
		return rc;
	sql_bind_int64(st, 1, issue);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(r->statements, r->n + 1, alloc);
		ids = xrealloc(ids, (r->n + 1) * sizeof(*ids));
		s75_recharge_statement *s = &r->statements[r->n];
		memset(s, 0, sizeof(*s));
		ids[r->n++] = sql_column_int64(st, 0);
		s->number = sql_column_int64(st, 1);
		s->creditor = col_dup(st, 2);
		s->debtor = col_dup(st, 3);
		s->creditor_name = col_dup(st, 4);
		s->debtor_name = col_dup(st, 5);
		s->charges = sql_column_int64(st, 6);
		s->adjustments = sql_column_int64(st, 7);
		s->total = sql_column_int64(st, 8);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		free(ids);
		return db_error(db, "cannot read the recharges issued");
	}
	rc = 0;
	for (size_t i = 0; i < r->n && !rc; i++)
		rc = load_lines(&r->statements[i], db, ids[i]);
	free(ids);
	return rc;
}

/* Binds text, or NULL. */
static void bind_text(sql_stmt *st, int i, const char *s)
{
	if (s)
		sql_bind_text(st, i, s, -1);
	else
		sql_bind_null(st, i);
}

/* Runs an INSERT ... RETURNING id. */
static int insert_returning(s75_db *db, sql_stmt *st, int64_t *id, const char *what)
{
	if (sql_step(st) != SQL_ROW)
		return db_error(db, what);
	*id = sql_column_int64(st, 0);
	if (sql_step(st) != SQL_DONE)
		return db_error(db, what);
	return 0;
}

/* The issues kept and the latest: under the write lock, what the draft must still match. */
static int read_latest(s75_db *db, int64_t *count, s75_period *latest)
{
	sql_stmt *st;
	int rc;
	*count = 0;
	latest->fy = latest->p = 0;
	if ((rc = db_prepare(db, &st, "SELECT fy, period FROM recharge_issue ORDER BY fy, period")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		(*count)++;
		latest->fy = sql_column_int(st, 0);
		latest->p = sql_column_int(st, 1);
	}
	sql_finalize(st);
	return rc == SQL_DONE ? 0 : db_error(db, "cannot read the recharges issued");
}

int recharges_store_save(s75_recharges *r, s75_db *db, const s75_agreement *ag, size_t nissued,
			 const char *now)
{
	sql_stmt *st = NULL;
	char hex[65], per[16], detail[256];
	int64_t count, issue = 0, number = 0, sid = 0;
	s75_period latest;
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = read_latest(db, &count, &latest)))
		goto fail;
	if ((size_t)count != nissued || (count && s75_period_cmp(latest, r->period) >= 0)) {
		rc = s75_error_set(S75_EEXISTS, "recharges for %s were issued meanwhile: run the command again",
				   s75_period_format(per, r->period));
		goto fail;
	}
	if ((rc = db_prepare(db, &st, "SELECT coalesce(max(number), 0) FROM recharge_statement")))
		goto fail;
	if (sql_step(st) != SQL_ROW) {
		rc = db_error(db, "cannot number the recharge statements");
		goto fail;
	}
	number = sql_column_int64(st, 0);
	sql_finalize(st);
	s75_sha256_hex(hex, ag->sha256);
	if ((rc = db_prepare(db, &st, "INSERT INTO recharge_issue(fy, period, first_fy, first_period,"
				      " issued_at, issued_by, agreement_title, agreement_path, agreement_sha256)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")))
		goto fail;
	sql_bind_int(st, 1, r->period.fy);
	sql_bind_int(st, 2, r->period.p);
	sql_bind_int(st, 3, r->first.fy);
	sql_bind_int(st, 4, r->first.p);
	bind_text(st, 5, now);
	bind_text(st, 6, db->actor);
	bind_text(st, 7, ag->title ? ag->title : ag->id);
	bind_text(st, 8, ag->path);
	bind_text(st, 9, hex);
	if ((rc = insert_returning(db, st, &issue, "cannot keep the recharges")))
		goto fail;
	sql_finalize(st);
	st = NULL;
	for (size_t i = 0; i < r->n; i++) {
		s75_recharge_statement *s = &r->statements[i];
		s->number = ++number;
		if ((rc = db_prepare(db, &st, "INSERT INTO recharge_statement(issue_id, number, creditor, debtor,"
					      " creditor_name, debtor_name, charges, adjustments, total)"
					      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")))
			goto fail;
		sql_bind_int64(st, 1, issue);
		sql_bind_int64(st, 2, s->number);
		bind_text(st, 3, s->creditor);
		bind_text(st, 4, s->debtor);
		bind_text(st, 5, s->creditor_name);
		bind_text(st, 6, s->debtor_name);
		sql_bind_int64(st, 7, s->charges);
		sql_bind_int64(st, 8, s->adjustments);
		sql_bind_int64(st, 9, s->total);
		if ((rc = insert_returning(db, st, &sid, "cannot keep a recharge statement")))
			goto fail;
		sql_finalize(st);
		st = NULL;
		if ((rc = db_prepare(db, &st, "INSERT INTO recharge_line(statement_id, seq, package, person, pool,"
					      " element, fy, period, kind, funding, health_bp, days, net, due,"
					      " charged, amount, reason)"
					      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
			goto fail;
		for (size_t j = 0; j < s->nlines; j++) {
			const s75_recharge_line *l = &s->lines[j];
			sql_bind_int64(st, 1, sid);
			sql_bind_int64(st, 2, (int64_t)j);
			bind_text(st, 3, l->package);
			bind_text(st, 4, l->person);
			bind_text(st, 5, l->pool);
			bind_text(st, 6, l->element);
			sql_bind_int(st, 7, l->month.fy);
			sql_bind_int(st, 8, l->month.p);
			sql_bind_int(st, 9, l->kind == S75_RECHARGE_ADJUSTMENT);
			bind_text(st, 10, l->funding);
			sql_bind_int64(st, 11, l->health_bp);
			sql_bind_int64(st, 12, l->days);
			sql_bind_int64(st, 13, l->net);
			sql_bind_int64(st, 14, l->due);
			sql_bind_int64(st, 15, l->charged);
			sql_bind_int64(st, 16, l->amount);
			bind_text(st, 17, l->reason);
			if (sql_step(st) != SQL_DONE) {
				rc = db_error(db, "cannot keep a recharge line");
				goto fail;
			}
			sql_reset(st);
			sql_clear_bindings(st);
		}
		sql_finalize(st);
		st = NULL;
	}
	if (r->n == 1)
		snprintf(detail, sizeof(detail), "%s: statement %lld", s75_period_format(per, r->period),
			 (long long)number);
	else if (r->n)
		snprintf(detail, sizeof(detail), "%s: statements %lld to %lld", s75_period_format(per, r->period),
			 (long long)r->statements[0].number, (long long)number);
	else
		snprintf(detail, sizeof(detail), "%s: nothing to recharge", s75_period_format(per, r->period));
	if ((rc = db_audit(db, now, "recharges issue", 0, detail)))
		goto fail;
	if ((rc = db_commit(db)))
		goto fail;
	r->issued = true;
	r->issued_at = xstrdup(now);
	r->issued_by = db->actor ? xstrdup(db->actor) : NULL;
	r->agreement_title = xstrdup(ag->title ? ag->title : ag->id);
	r->agreement_path = xstrdup(ag->path);
	r->agreement_sha256 = xstrdup(hex);
	return 0;
fail:
	sql_finalize(st);
	db_exec(db, "ROLLBACK");
	for (size_t i = 0; i < r->n; i++)
		r->statements[i].number = 0;
	return rc;
}

int s75_recharges_latest(s75_period *out, bool *any, s75_db *db)
{
	int64_t count;
	s75_period latest;
	int rc = read_latest(db, &count, &latest);
	*any = !rc && count > 0;
	if (*any)
		*out = latest;
	return rc;
}

void s75_recharges_free(s75_recharges *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		s75_recharge_statement *s = &r->statements[i];
		for (size_t j = 0; j < s->nlines; j++) {
			s75_recharge_line *l = &s->lines[j];
			free(l->package);
			free(l->person);
			free(l->pool);
			free(l->element);
			free(l->funding);
			free(l->reason);
		}
		free(s->lines);
		free(s->creditor);
		free(s->debtor);
		free(s->creditor_name);
		free(s->debtor_name);
	}
	free(r->statements);
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	free(r->issued_at);
	free(r->issued_by);
	free(r->agreement_title);
	free(r->agreement_path);
	free(r->agreement_sha256);
	free(r);
}
