/* Multi-row INSERT statements (rows.h): the values of up to DB_ROWS_PER rows are kept
 * here, then bound to one statement of that many rows and stepped once. */
#include <stdlib.h>
#include <string.h>

#include "rows.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "xalloc.h"

typedef struct value {
	int kind; /* 0 NULL, 1 integer, 2 text at `at` in the texts */
	int64_t v;
	size_t at;
} value;

struct db_rows {
	s75_db *db;
	char *head;
	int ncols;
	value *v; /* DB_ROWS_PER * ncols */
	int nv, nrows;
	s75_buf texts;
	sql_stmt *full; /* for DB_ROWS_PER rows, kept */
};

db_rows *db_rows_new(s75_db *db, const char *head, int ncols)
{
	db_rows *r = xcalloc(1, sizeof(*r));
	r->db = db;
	r->head = xstrdup(head);
	r->ncols = ncols;
	r->v = xcalloc((size_t)DB_ROWS_PER * (size_t)ncols, sizeof(value));
	s75_buf_init(&r->texts);
	return r;
}

void db_rows_free(db_rows *r)
{
	if (!r)
		return;
	sql_finalize(r->full);
	free(r->head);
	free(r->v);
	s75_buf_release(&r->texts);
	free(r);
}

static value *next(db_rows *r)
{
	if (r->nv >= (r->nrows + 1) * r->ncols)
		abort(); /* programming error: more values than columns */
	return &r->v[r->nv++];
}

void db_rows_int(db_rows *r, int64_t v)
{
	value *x = next(r);
	x->kind = 1;
	x->v = v;
}

void db_rows_text(db_rows *r, const char *s)
{
	value *x = next(r);
	if (!s) {
		x->kind = 0;
		return;
	}
	x->kind = 2;
	x->at = r->texts.len;
	s75_buf_add(&r->texts, s, strlen(s) + 1);
}

void db_rows_null(db_rows *r)
{
	next(r)->kind = 0;
}

/* Prepares "head VALUES (?, ...), ..." for `n` rows. */
static int prepare(db_rows *r, sql_stmt **st, int n)
{
	s75_buf sql = S75_BUF_INIT;
	s75_buf_puts(&sql, r->head);
	s75_buf_puts(&sql, " VALUES ");
	for (int i = 0; i < n; i++) {
		s75_buf_puts(&sql, i ? ", (" : "(");
		for (int c = 0; c < r->ncols; c++)
			s75_buf_puts(&sql, c ? ", ?" : "?");
		s75_buf_putc(&sql, ')');
	}
	int rc = db_prepare(r->db, st, sql.ptr);
	s75_buf_release(&sql);
	return rc;
}

/* Binds the waiting rows to `st` (of exactly that many rows) and steps it once. */
static int store(db_rows *r, sql_stmt *st)
{
	for (int i = 0; i < r->nv; i++) {
		const value *x = &r->v[i];
		if (x->kind == 1)
			sql_bind_int64(st, i + 1, x->v);
		else if (x->kind == 2)
			sql_bind_text(st, i + 1, r->texts.ptr + x->at, -1);
		else
			sql_bind_null(st, i + 1);
	}
	int stepped = sql_step(st);
	sql_reset(st);
	r->nv = r->nrows = 0;
	s75_buf_reset(&r->texts);
	return stepped == SQL_DONE ? 0 : db_error(r->db, "cannot store the rows");
}

int db_rows_end(db_rows *r)
{
	int rc;
	if (r->nv != (r->nrows + 1) * r->ncols)
		abort(); /* programming error: a row short of its columns */
	if (++r->nrows < DB_ROWS_PER)
		return 0;
	if (!r->full && (rc = prepare(r, &r->full, DB_ROWS_PER)))
		return rc;
	return store(r, r->full);
}

int db_rows_flush(db_rows *r)
{
	sql_stmt *st = NULL;
	int rc;
	if (!r->nrows)
		return 0;
	if ((rc = prepare(r, &st, r->nrows)))
		return rc;
	rc = store(r, st);
	sql_finalize(st);
	return rc;
}
