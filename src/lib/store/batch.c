#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "s75/text.h"
#include "s75/error.h"
#include "xalloc.h"

int batch_begin(s75_db *db, const char *kind, const char *name, const char *profile,
		const char *period, const char *now, int64_t *id)
{
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	return batch_add(db, kind, name, profile, period, now, id);
}

int batch_add(s75_db *db, const char *kind, const char *name, const char *profile,
	      const char *period, const char *now, int64_t *id)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO batch(kind, file, sha256, profile, period, rows_read,"
			     " rows_imported, rows_rejected, imported_at) VALUES (?, ?, '', ?, ?, 0, 0, 0, ?) RETURNING id")))
		return rc;
	sql_bind_text(st, 1, kind, -1);
	sql_bind_text(st, 2, name, -1);
	sql_bind_text(st, 3, profile, -1);
	sql_bind_text(st, 4, period, -1);
	sql_bind_text(st, 5, now, -1);
	if (sql_step(st) == SQL_ROW) {
		*id = sql_column_int64(st, 0);
		rc = sql_step(st) == SQL_DONE ? 0 : db_error(db, "cannot record the batch");
	} else
		rc = db_error(db, "cannot record the batch");
	sql_finalize(st);
	return rc;
}

int batch_check_duplicate(s75_db *db, const char *kind, int64_t id, const char *name,
			  s75_import_result *r)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "SELECT id, imported_at FROM batch WHERE kind = ? AND sha256 = ?"
			     " AND undone_at IS NULL AND id <> ? ORDER BY id")))
		return rc;
	sql_bind_text(st, 1, kind, -1);
	sql_bind_text(st, 2, r->sha256, -1);
	sql_bind_int64(st, 3, id);
	if (sql_step(st) == SQL_ROW) {
		r->duplicate_of = sql_column_int64(st, 0);
		r->duplicate_at = xstrdup(sql_column_text(st, 1));
		rc = s75_error_set(S75_EEXISTS, "'%s' was imported already, as batch %lld on %s",
				   name, (long long)r->duplicate_of, r->duplicate_at);
	}
	sql_finalize(st);
	return rc;
}

int batch_record(s75_db *db, int64_t id, const char *kind, const char *name, const char *now,
		 s75_import_result *r, const char *extra)
{
	sql_stmt *st = NULL;
	int rc;
	if ((rc = db_prepare(db, &st,
			     "INSERT INTO batch_total(batch_id, partner, kind, rows, amount, seq)"
			     " VALUES (?, ?, ?, ?, ?, ?)")))
		return rc;
	for (size_t i = 0; i < r->ntotals; i++) {
		const s75_batch_total *t = &r->totals[i];
		sql_bind_int64(st, 1, id);
		sql_bind_text(st, 2, t->partner, -1);
		sql_bind_int(st, 3, t->kind);
		sql_bind_int64(st, 4, t->rows);
		sql_bind_int64(st, 5, t->amount);
		sql_bind_int64(st, 6, (int64_t)i + 1);
		if (sql_step(st) != SQL_DONE) {
			rc = db_error(db, "cannot record the control totals");
			goto done;
		}
		sql_reset(st);
	}
	sql_finalize(st);
	st = NULL;
	if ((rc = db_prepare(db, &st,
			     "UPDATE batch SET sha256 = ?, rows_read = ?, rows_imported = ?,"
			     " rows_rejected = ?, rows_skipped = ?, rows_outside = ?, outside_amount = ?"
			     " WHERE id = ?")))
		goto done;
	sql_bind_text(st, 1, r->sha256, -1);
	sql_bind_int64(st, 2, r->rows_read);
	sql_bind_int64(st, 3, r->rows_imported);
	sql_bind_int64(st, 4, r->rows_rejected);
	sql_bind_int64(st, 5, r->rows_skipped);
	sql_bind_int64(st, 6, r->rows_outside);
	sql_bind_int64(st, 7, r->outside_total);
	sql_bind_int64(st, 8, id);
	/* the unique index on the hash (batch_sha_once) refuses a file another command imported
	 * after batch_check_duplicate looked (writers take turns, so only if that ever fails):
	 * back to the savepoint, where the statement layer works again, and the same refusal */
	if ((rc = db_exec(db, "SAVEPOINT batch_hash")))
		goto done;
	int step = sql_step(st);
	if (step == SQL_CONSTRAINT) {
		sql_finalize(st);
		st = NULL;
		if (!(rc = db_exec(db, "ROLLBACK TO batch_hash")) &&
		    !(rc = batch_check_duplicate(db, kind, id, name, r)))
			rc = db_error(db, "cannot record the batch");
		goto done;
	}
	if (step != SQL_DONE) {
		rc = db_error(db, "cannot record the batch");
		goto done;
	}
	if ((rc = db_exec(db, "RELEASE batch_hash")))
		goto done;
	s75_buf detail = S75_BUF_INIT;
	s75_buf_printf(&detail, "%s %s sha256 %s: %ld rows read, %ld imported, %ld rejected", kind,
		       name, r->sha256, r->rows_read, r->rows_imported, r->rows_rejected);
	if (r->rows_skipped || r->rows_outside)
		s75_buf_printf(&detail, ", %ld skipped, %ld outside the pool", r->rows_skipped,
			       r->rows_outside);
	if (extra)
		s75_buf_puts(&detail, extra);
	rc = db_audit(db, now, "import", id, detail.ptr);
	s75_buf_release(&detail);
done:
	sql_finalize(st);
	return rc;
}

void batch_error(s75_import_result *r, const char *name, long line, const char *fmt, va_list ap)
{
	r->error_count++;
	if (r->nerrors >= S75_IMPORT_MAX_ERRORS)
		return;
	s75_buf raw = S75_BUF_INIT, b = S75_BUF_INIT;
	if (line > 0)
		s75_buf_printf(&raw, "%s:%ld: ", name, line);
	else
		s75_buf_printf(&raw, "%s: ", name);
	s75_buf_vprintf(&raw, fmt, ap);
	/* values from the file reach the terminal: control characters escaped, long ones cut */
	s75_text_escape_msg(&b, raw.ptr);
	s75_buf_release(&raw);
	r->errors = xreallocarray(r->errors, r->nerrors + 1, sizeof(char *));
	r->errors[r->nerrors++] = s75_buf_detach(&b);
}

void batch_total(s75_import_result *r, const char *partner, s75_txn_kind kind, long rows,
		 int64_t amount)
{
	r->totals = xreallocarray(r->totals, r->ntotals + 1, sizeof(*r->totals));
	s75_batch_total *t = &r->totals[r->ntotals++];
	t->partner = xstrdup(partner);
	t->kind = kind;
	t->rows = rows;
	t->amount = amount;
}
