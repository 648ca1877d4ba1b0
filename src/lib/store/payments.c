/* Payments of the partners' contributions received by the host: recorded one at a time,
 * audited, listed for the arrears (compute/arrears.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "payments_internal.h"
#include "s75/arrears.h"
#include "s75/error.h"
#include "s75/money.h"
#include "xalloc.h"

int payment_insert(s75_db *db, const s75_agreement *ag, const char *partner, int fy, s75_date date,
		   int64_t amount, const char *reference, const char *now, int64_t *id)
{
	sql_stmt *st = NULL;
	char fyb[8], d[11], detail[256];
	int rc;
	if (s75_agreement_find_partner(ag, partner) < 0)
		return s75_error_set(S75_EINVALID, "no partner '%s' in the agreement", partner);
	if (!s75_agreement_find_year(ag, fy))
		return s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fyb, fy));
	if (amount <= 0)
		return s75_error_set(S75_EINVALID, "a payment's amount must be above zero");
	if (reference && !*reference)
		reference = NULL;
	/* the same partner, day, amount and reference twice is a duplicate, not a second payment */
	if ((rc = db_prepare(db, &st, "SELECT id FROM payment WHERE partner = ? AND date = ? AND amount = ?"
				      " AND COALESCE(reference, '') = ? ORDER BY id")))
		return rc;
	sql_bind_text(st, 1, partner, -1);
	sql_bind_int(st, 2, date);
	sql_bind_int64(st, 3, amount);
	sql_bind_text(st, 4, reference ? reference : "", -1);
	rc = sql_step(st);
	int64_t dup = rc == SQL_ROW ? sql_column_int64(st, 0) : 0;
	sql_finalize(st);
	st = NULL;
	if (rc != SQL_ROW && rc != SQL_DONE)
		return db_error(db, "cannot read the payments");
	if (dup) {
		s75_buf b = S75_BUF_INIT;
		s75_money_format(&b, amount, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
		rc = s75_error_set(S75_EINVALID, "a payment of %s from %s on %s%s%s is already recorded (payment %lld)",
				   b.ptr, partner, s75_date_format(d, date), reference ? " with reference " : "",
				   reference ? reference : "", (long long)dup);
		s75_buf_release(&b);
		return rc;
	}
	if ((rc = db_prepare(db, &st, "INSERT INTO payment(partner, fy, date, amount, reference, recorded_at)"
				      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")))
		return rc;
	sql_bind_text(st, 1, partner, -1);
	sql_bind_int(st, 2, fy);
	sql_bind_int(st, 3, date);
	sql_bind_int64(st, 4, amount);
	if (reference)
		sql_bind_text(st, 5, reference, -1);
	sql_bind_text(st, 6, now, -1);
	if (sql_step(st) != SQL_ROW) {
		rc = db_error(db, "cannot record the payment");
		sql_finalize(st);
		return rc;
	}
	*id = sql_column_int64(st, 0);
	while ((rc = sql_step(st)) == SQL_ROW)
		;
	sql_finalize(st);
	if (rc != SQL_DONE)
		return db_error(db, "cannot record the payment");
	snprintf(detail, sizeof(detail), "%s %s %lld pence on %s", partner, s75_fy_format(fyb, fy),
		 (long long)amount, s75_date_format(d, date));
	return db_audit(db, now, "payment", 0, detail);
}

int s75_payment_record(s75_db *db, const s75_agreement *ag, const char *partner, int fy,
		       s75_date date, int64_t amount, const char *reference, const char *now,
		       int64_t *id)
{
	int rc;
	if ((rc = db_begin_write(db)))
		return rc;
	if ((rc = payment_insert(db, ag, partner, fy, date, amount, reference, now, id))) {
		db_exec(db, "ROLLBACK");
		return rc;
	}
	return db_commit(db);
}

int s75_payments_list(s75_contribution_payment **out, size_t *n, s75_db *db)
{
	sql_stmt *st;
	s75_contribution_payment *p = NULL;
	size_t np = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st, "SELECT id, partner, fy, date, amount, reference FROM payment"
				      " ORDER BY fy, partner, date, id")))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(p, np + 1, alloc);
		s75_contribution_payment *x = &p[np++];
		x->id = sql_column_int64(st, 0);
		x->partner = sql_column_dup(st, 1);
		x->fy = sql_column_int(st, 2);
		x->date = sql_column_int(st, 3);
		x->amount = sql_column_int64(st, 4);
		x->reference = sql_column_dup(st, 5);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_payments_free(p, np);
		return db_error(db, "cannot read the payments");
	}
	*out = p;
	*n = np;
	return 0;
}

void s75_payments_free(s75_contribution_payment *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].partner);
		free(p[i].reference);
	}
	free(p);
}
