/* Budget revisions: recording one (a file of new annual budgets, with its decision; never in
 * a closed period; audited) and reading a year's back for the reports (compute/budgets.c
 * turns them into the budget in force at a period). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_internal.h"
#include "periods_internal.h"
#include "s75/budgets.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "s75/money.h"
#include "s75/text.h"
#include "xalloc.h"

/* A good row of a revision file. */
typedef struct rev_row {
	int cc;
	int64_t amount;
	char *note;
	long line;
} rev_row;

static void rows_free(rev_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(r[i].note);
	free(r);
}

static char *col_dup(sql_stmt *st, int i)
{
	const char *t = sql_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* `name`:`line`: message, the file's name shown safely. */
static int row_fail(const char *name, long line, const char *fmt, ...) S75_PRINTF(3, 4);
static int row_fail(const char *name, long line, const char *fmt, ...)
{
	s75_buf b = S75_BUF_INIT, m = S75_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	s75_buf_vprintf(&m, fmt, ap);
	va_end(ap);
	s75_text_escape(&b, name, strlen(name), S75_TEXT_MSG_MAX);
	if (line > 0)
		s75_buf_printf(&b, ":%ld", line);
	s75_buf_printf(&b, ": %s", m.ptr);
	int rc = s75_error_set(S75_EINVALID, "%s", b.ptr);
	s75_buf_release(&b);
	s75_buf_release(&m);
	return rc;
}

/* A header cell is `want`, ignoring case and surrounding spaces. */
static bool header_is(const s75_csv_field *f, const char *want)
{
	const char *s = f->ptr;
	size_t len = f->len;
	s75_text_trim(&s, &len);
	return len == strlen(want) && !strncasecmp(s, want, len);
}

/* Reads the whole file before anything is locked: cost_centre,budget[,note]. */
static int read_rows(rev_row **out, size_t *n, const s75_agreement *ag, const char *path,
		     const char *name)
{
	s75_csv *csv = NULL;
	const s75_csv_field *f;
	size_t nf, ncols, k = 0;
	int rc, r, ccol = -1, bcol = -1, ncol = -1;
	rev_row *rows = xcalloc(ag->ncost_centres + 1, sizeof(*rows));
	char *seen = xcalloc(ag->ncost_centres + 1, 1);
	*out = NULL;
	*n = 0;
	if ((rc = s75_csv_open(&csv, path, name, ',')))
		goto done;
	if ((r = s75_csv_next(csv, &f, &nf)) <= 0) {
		rc = r < 0 ? r : row_fail(name, 0, "the file is empty: expected the header cost_centre,budget (and optionally note)");
		goto done;
	}
	ncols = nf;
	for (size_t i = 0; i < nf; i++) {
		if (header_is(&f[i], "cost_centre"))
			ccol = (int)i;
		else if (header_is(&f[i], "budget"))
			bcol = (int)i;
		else if (header_is(&f[i], "note"))
			ncol = (int)i;
	}
	if (ccol < 0 || bcol < 0) {
		rc = row_fail(name, s75_csv_line(csv), "expected the header cost_centre,budget (and optionally note)");
		goto done;
	}
	while ((r = s75_csv_next(csv, &f, &nf)) > 0) {
		long line = s75_csv_line(csv);
		const char *s = f[0].ptr;
		size_t len;
		int cc;
		if (nf == 1 && f[0].len == 0)
			continue;
		if (nf != ncols) {
			rc = row_fail(name, line, "expected %zu fields as in the header, found %zu", ncols, nf);
			goto done;
		}
		s = f[ccol].ptr;
		len = f[ccol].len;
		s75_text_trim(&s, &len);
		if ((cc = s75_agreement_find_cost_centre(ag, s, len)) < 0) {
			s75_buf e = S75_BUF_INIT;
			s75_text_escape(&e, s, len, S75_TEXT_MSG_MAX);
			rc = row_fail(name, line, "'cost_centre': unknown cost centre '%s'", e.ptr);
			s75_buf_release(&e);
			goto done;
		}
		if (seen[cc]) {
			rc = row_fail(name, line, "'cost_centre': cost centre '%s' is revised twice in this file",
				      ag->cost_centres[cc].code);
			goto done;
		}
		seen[cc] = 1;
		if (s75_money_parse(&rows[k].amount, f[bcol].ptr, f[bcol].len, S75_UNIT_POUNDS, 0)) {
			rc = row_fail(name, line, "'budget': %s (the new annual budget in £)", s75_error_last());
			goto done;
		}
		rows[k].cc = cc;
		rows[k].line = line;
		if (ncol >= 0 && f[ncol].len)
			rows[k].note = xstrndup(f[ncol].ptr, f[ncol].len);
		k++;
	}
	if (r < 0) {
		rc = r;
		goto done;
	}
	if (!k) {
		rc = row_fail(name, 0, "no cost centre is revised: the file has a header and no rows");
		goto done;
	}
	*out = rows;
	*n = k;
	rows = NULL;
done:
	if (rows)
		rows_free(rows, k);
	free(seen);
	s75_csv_free(csv);
	return rc;
}

/* The latest period a revision of year `fy` already recorded for cost centre `code` takes
 * effect from (0 if none). */
static int latest_from(int *out, s75_db *db, int fy, const char *code)
{
	sql_stmt *st;
	int rc;
	*out = 0;
	if ((rc = db_prepare(db, &st,
			     "SELECT coalesce(max(r.from_period), 0) FROM budget_revision r"
			     " JOIN budget_revision_line l ON l.revision_id = r.id"
			     " WHERE r.fy = ? AND l.cost_centre = ?")))
		return rc;
	sql_bind_int(st, 1, fy);
	sql_bind_text(st, 2, code, -1);
	if (sql_step(st) != SQL_ROW)
		rc = db_error(db, "cannot read the budget revisions");
	else
		*out = sql_column_int(st, 0);
	sql_finalize(st);
	return rc;
}

/* How many revisions year `fy` has, and whether `decision` is one of them (*dup its number). */
static int year_revisions(int *count, int *dup, s75_db *db, int fy, const char *decision)
{
	sql_stmt *st;
	int rc, k = 0;
	*dup = 0;
	if ((rc = db_prepare(db, &st, "SELECT decision FROM budget_revision WHERE fy = ? ORDER BY id")))
		return rc;
	sql_bind_int(st, 1, fy);
	while ((rc = sql_step(st)) == SQL_ROW) {
		k++;
		if (!strcmp(sql_column_text(st, 0), decision))
			*dup = k;
	}
	sql_finalize(st);
	*count = k;
	return rc == SQL_DONE ? 0 : db_error(db, "cannot read the budget revisions");
}

/* Checks every row against the closings and the revisions recorded, under the write lock. */
static int check_rows(s75_db *db, const s75_agreement *ag, const s75_budget_revise_options *o,
		      const char *name, const rev_row *rows, size_t n)
{
	period_set *closed = NULL;
	s75_period from = {o->fy, o->from};
	char per[16];
	int rc;
	s75_period_format(per, from);
	if ((rc = period_set_load(&closed, db, ag)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const s75_cost_centre *cc = &ag->cost_centres[rows[i].cc];
		int last;
		if (period_set_closed(closed, from, cc->partner)) {
			s75_period open;
			s75_buf hint = S75_BUF_INIT;
			if (!period_set_first_open(closed, from, cc->partner, &open) && open.fy == o->fy) {
				char op[16];
				s75_period_format(op, open);
				s75_buf_printf(&hint, ": take it from %s, the first period open for it, or reopen %s", op, per);
			} else {
				s75_buf_printf(&hint, ": reopen %s first", per);
			}
			rc = row_fail(name, rows[i].line,
				      "'cost_centre': a revision of '%s' from %s would alter a closed period (%s is closed for %s)%s",
				      cc->code, per, per, ag->partners[cc->partner].name, hint.ptr);
			s75_buf_release(&hint);
		} else if (!(rc = latest_from(&last, db, o->fy, cc->code)) && last > o->from) {
			char lp[16];
			s75_period_format(lp, (s75_period){o->fy, last});
			rc = row_fail(name, rows[i].line,
				      "'cost_centre': '%s' has a revision taking effect from %s already; a later revision cannot take effect before it (from %s)",
				      cc->code, lp, per);
		}
	}
	period_set_free(closed);
	return rc;
}

int s75_budget_revise(int *number, s75_db *db, const s75_agreement *ag, const char *path,
		      const s75_budget_revise_options *o)
{
	s75_budget_revise_options opt = *o;
	const char *name = o->name ? o->name : path;
	rev_row *rows = NULL;
	size_t n = 0;
	sql_stmt *st = NULL;
	int64_t id = 0;
	int rc, count, dup;
	char fyb[8];
	*number = 0;
	if (!s75_agreement_find_year(ag, o->fy))
		return s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fyb, o->fy));
	if (!o->decision || !*o->decision)
		return s75_error_set(S75_EINVALID, "a budget revision needs its decision's reference");
	if (!o->decided_on)
		return s75_error_set(S75_EINVALID, "a budget revision needs the date of its decision");
	if (!opt.from) { /* the decision's own period, within the year */
		if (o->decided_on < s75_fy_start(o->fy))
			opt.from = 1;
		else if (o->decided_on > s75_fy_end(o->fy))
			opt.from = 12;
		else
			opt.from = s75_period_of_date(o->decided_on).p;
	}
	if (opt.from < 1 || opt.from > 12)
		return s75_error_set(S75_EINVALID, "a revision takes effect from a period 1..12, not %d", opt.from);
	if (db->readonly)
		return s75_error_set(S75_EINVALID, "the workspace is read-only");
	if ((rc = read_rows(&rows, &n, ag, path, name)))
		return rc;
	if ((rc = db_begin_write(db)))
		goto done;
	if ((rc = year_revisions(&count, &dup, db, o->fy, o->decision)))
		goto fail;
	if (dup) {
		rc = s75_error_set(S75_EINVALID, "decision '%s' revised %s's budgets already (R%d)",
				   o->decision, s75_fy_format(fyb, o->fy), dup);
		goto fail;
	}
	if ((rc = check_rows(db, ag, &opt, name, rows, n)))
		goto fail;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO budget_revision(fy, from_period, decision, decided_on, note, file,"
			     " recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")))
		goto fail;
	sql_bind_int(st, 1, o->fy);
	sql_bind_int(st, 2, opt.from);
	sql_bind_text(st, 3, o->decision, -1);
	sql_bind_int(st, 4, o->decided_on);
	if (o->note && *o->note)
		sql_bind_text(st, 5, o->note, -1);
	sql_bind_text(st, 6, name, -1);
	sql_bind_text(st, 7, o->now, -1);
	if (db->actor)
		sql_bind_text(st, 8, db->actor, -1);
	if (sql_step(st) != SQL_ROW) {
		rc = db_error(db, "cannot record the budget revision");
		goto fail;
	}
	id = sql_column_int64(st, 0);
	sql_finalize(st);
	st = NULL;
	if ((rc = db_prepare(db, &st, "INSERT INTO budget_revision_line(revision_id, cost_centre, amount, note)"
				      " VALUES (?, ?, ?, ?)")))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		sql_bind_int64(st, 1, id);
		sql_bind_text(st, 2, ag->cost_centres[rows[i].cc].code, -1);
		sql_bind_int64(st, 3, rows[i].amount);
		if (rows[i].note)
			sql_bind_text(st, 4, rows[i].note, -1);
		else
			sql_bind_null(st, 4);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot record the budget revision");
			goto fail;
		}
		sql_reset(st);
	}
	sql_finalize(st);
	st = NULL;
	{
		s75_buf d = S75_BUF_INIT;
		char per[16], date[11];
		s75_period_format(per, (s75_period){o->fy, opt.from});
		s75_buf_printf(&d, "R%d %s from %s: decision %s of %s, %zu cost centre%s, file %s",
			       count + 1, s75_fy_format(fyb, o->fy), per, o->decision,
			       s75_date_format(date, o->decided_on), n, n == 1 ? "" : "s", name);
		rc = db_audit(db, o->now, "budget revise", 0, d.ptr);
		s75_buf_release(&d);
		if (rc)
			goto fail;
	}
	if ((rc = db_commit(db)))
		goto fail;
	*number = count + 1;
	goto done;
fail:
	sql_finalize(st);
	db_exec(db, "ROLLBACK");
done:
	rows_free(rows, n);
	return rc;
}

int s75_budget_versions_load(s75_budget_versions **out, s75_db *db, const s75_agreement *ag, int fy)
{
	s75_budget_versions *v = xcalloc(1, sizeof(*v));
	const s75_year *y = s75_agreement_find_year(ag, fy);
	sql_stmt *st = NULL;
	size_t alloc = 0, lalloc = 0;
	long *last = NULL;
	int rc = 0;
	*out = NULL;
	v->fy = fy;
	v->upto = 12;
	v->ncost_centres = ag->ncost_centres;
	v->first_line = xcalloc(ag->ncost_centres + 1, sizeof(long));
	for (size_t i = 0; i < ag->ncost_centres; i++)
		v->first_line[i] = -1;
	if (!db)
		goto done;
	/* in the order of their keys: no sort */
	if ((rc = db_prepare(db, &st,
			     "SELECT id, from_period, decision, decided_on, note, file, recorded_at,"
			     " recorded_by FROM budget_revision WHERE fy = ? ORDER BY fy, id")))
		goto done;
	sql_bind_int(st, 1, fy);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(v->revisions, v->nrevisions + 1, alloc);
		s75_budget_revision *r = &v->revisions[v->nrevisions++];
		memset(r, 0, sizeof(*r));
		r->id = sql_column_int64(st, 0);
		r->number = (int)v->nrevisions;
		r->fy = fy;
		r->from = sql_column_int(st, 1);
		r->decision = col_dup(st, 2);
		r->decided_on = sql_column_int(st, 3);
		r->note = col_dup(st, 4);
		r->file = col_dup(st, 5);
		r->recorded_at = col_dup(st, 6);
		r->recorded_by = col_dup(st, 7);
	}
	sql_finalize(st);
	st = NULL;
	if (rc != SQL_DONE) {
		rc = db_error(db, "cannot read the budget revisions");
		goto done;
	}
	rc = 0;
	last = xcalloc(ag->ncost_centres + 1, sizeof(long));
	for (size_t i = 0; i < ag->ncost_centres; i++)
		last[i] = -1;
	for (size_t k = 0; k < v->nrevisions && !rc; k++) {
		s75_budget_revision *r = &v->revisions[k];
		if ((rc = db_prepare(db, &st, "SELECT cost_centre, amount, note FROM budget_revision_line"
					      " WHERE revision_id = ? ORDER BY revision_id, cost_centre")))
			break;
		sql_bind_int64(st, 1, r->id);
		r->first = v->nlines;
		while ((rc = sql_step(st)) == SQL_ROW) {
			const char *code = sql_column_text(st, 0);
			int cc = s75_agreement_find_cost_centre(ag, code, strlen(code));
			if (cc < 0) {
				char fyb[8];
				rc = s75_error_set(S75_EINVALID,
						   "budget revision R%d of %s revises cost centre '%s', which the agreement no longer lists",
						   r->number, s75_fy_format(fyb, fy), code);
				break;
			}
			ALLOC_GROW(v->lines, v->nlines + 1, lalloc);
			s75_budget_revision_line *l = &v->lines[v->nlines];
			l->revision = k;
			l->cost_centre = cc;
			l->amount = sql_column_int64(st, 1);
			l->note = col_dup(st, 2);
			l->next = -1;
			if (last[cc] < 0) {
				const s75_budget *b = y ? s75_year_find_budget(y, cc) : NULL;
				l->previous = b ? b->amount : 0;
				v->first_line[cc] = (long)v->nlines;
			} else {
				l->previous = v->lines[last[cc]].amount;
				v->lines[last[cc]].next = (long)v->nlines;
			}
			last[cc] = (long)v->nlines;
			v->nlines++;
			r->nlines++;
		}
		sql_finalize(st);
		st = NULL;
		if (rc == SQL_DONE)
			rc = 0;
		else if (rc > 0) /* SQLite's, not ours (ours are negative) */
			rc = db_error(db, "cannot read the budget revisions");
	}
done:
	free(last);
	if (rc) {
		s75_budget_versions_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void s75_budget_versions_free(s75_budget_versions *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nrevisions; i++) {
		free(v->revisions[i].decision);
		free(v->revisions[i].note);
		free(v->revisions[i].file);
		free(v->revisions[i].recorded_at);
		free(v->revisions[i].recorded_by);
	}
	for (size_t i = 0; i < v->nlines; i++)
		free(v->lines[i].note);
	free(v->revisions);
	free(v->lines);
	free(v->first_line);
	free(v);
}
