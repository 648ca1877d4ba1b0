/* Reading the ledger back: its latest period, and pages of its rows for the drill-down. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "xalloc.h"

int s75_ledger_latest_period(s75_period *out, s75_db *db)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, "SELECT fy, period FROM ledger_agg WHERE rows > 0"
				      " ORDER BY fy DESC, period DESC LIMIT 1")))
		return rc;
	rc = s75_error_set(S75_ENOTFOUND, "the ledger is empty");
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->fy = sqlite3_column_int(st, 0);
		out->p = sqlite3_column_int(st, 1);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* `s` as a LIKE pattern matching it anywhere, with %, _ and \ taken literally. */
static void like_pattern(s75_buf *b, const char *s)
{
	s75_buf_putc(b, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			s75_buf_putc(b, '\\');
		s75_buf_putc(b, *s);
	}
	s75_buf_putc(b, '%');
}

#define TXN_WHERE                                                                           \
	" FROM txn WHERE fy = ?1 AND period <= ?2 AND (?3 IS NULL OR cost_centre = ?3)"    \
	" AND (?4 IS NULL OR description LIKE ?4 ESCAPE '\\' OR reference LIKE ?4 ESCAPE '\\'" \
	" OR account LIKE ?4 ESCAPE '\\')"

static void bind_query(sqlite3_stmt *st, const s75_txn_query *q, const s75_buf *pat)
{
	sqlite3_bind_int(st, 1, q->period.fy);
	sqlite3_bind_int(st, 2, q->period.p);
	if (q->cost_centre)
		sqlite3_bind_text(st, 3, q->cost_centre, -1, SQLITE_STATIC);
	if (pat->len)
		sqlite3_bind_text(st, 4, pat->ptr, -1, SQLITE_STATIC);
}

int s75_txn_list(s75_txn **out, size_t *n, long *total, s75_db *db, const s75_txn_query *q)
{
	sqlite3_stmt *st = NULL;
	s75_buf pat = S75_BUF_INIT;
	s75_txn *t = NULL;
	size_t nt = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	*total = 0;
	if (q->search && *q->search)
		like_pattern(&pat, q->search);
	if ((rc = db_prepare(db, &st, "SELECT count(*)" TXN_WHERE)))
		goto done;
	bind_query(st, q, &pat);
	if (sqlite3_step(st) == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((rc = db_prepare(db, &st, "SELECT date, fy, period, partner, cost_centre, account,"
				      " description, reference, kind, amount" TXN_WHERE
				      " ORDER BY date, id LIMIT ?5 OFFSET ?6")))
		goto done;
	bind_query(st, q, &pat);
	sqlite3_bind_int64(st, 5, q->limit > 0 ? q->limit : 100);
	sqlite3_bind_int64(st, 6, q->offset > 0 ? q->offset : 0);
	while (sqlite3_step(st) == SQLITE_ROW) {
		ALLOC_GROW(t, nt + 1, alloc);
		s75_txn *x = &t[nt++];
		x->date = sqlite3_column_int(st, 0);
		x->period.fy = sqlite3_column_int(st, 1);
		x->period.p = sqlite3_column_int(st, 2);
		x->partner = col_str(st, 3);
		x->cost_centre = col_str(st, 4);
		x->account = col_str(st, 5);
		x->description = col_str(st, 6);
		x->reference = col_str(st, 7);
		x->kind = (s75_txn_kind)sqlite3_column_int(st, 8);
		x->amount = sqlite3_column_int64(st, 9);
	}
	*out = t;
	*n = nt;
done:
	sqlite3_finalize(st);
	s75_buf_release(&pat);
	return rc;
}

void s75_txns_free(s75_txn *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++) {
		free(t[i].partner);
		free(t[i].cost_centre);
		free(t[i].account);
		free(t[i].description);
		free(t[i].reference);
	}
	free(t);
}
