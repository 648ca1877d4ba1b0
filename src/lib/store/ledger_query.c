/* Reading the ledger back: its latest period, a year of its aggregates for the reports
 * (ledger_year.h), and pages of its rows for the drill-down. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "ledger_year.h"
#include "strmap.h"
#include "s75/buf.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/money.h"
#include "xalloc.h"

int s75_ledger_latest_period(s75_period *out, s75_db *db)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, "SELECT fy, period FROM ledger_agg WHERE rows > 0 AND kind IN (0, 1, 2)"
				      " ORDER BY fy DESC, period DESC LIMIT 1")))
		return rc;
	rc = s75_error_set(S75_ENOTFOUND, "the ledger is empty");
	if (sql_step(st) == SQL_ROW) {
		out->fy = sql_column_int(st, 0);
		out->p = sql_column_int(st, 1);
		rc = 0;
	}
	sql_finalize(st);
	return rc;
}

void ledger_years_free(ledger_year *y)
{
	while (y) {
		ledger_year *next = y->next;
		for (size_t i = 0; i < y->ncodes; i++)
			free(y->codes[i]);
		for (size_t i = 0; i < y->nparts; i++)
			free(y->parts[i]);
		free(y->codes);
		free(y->parts);
		free(y->amount);
		free(y->flags);
		free(y);
		y = next;
	}
}

/* The index of `s` (len bytes) in names[], added if new; `map` indexes names[]. */
static size_t name_index(char ***names, size_t *n, size_t *alloc, s75_strmap *map,
			 const char *s, size_t len)
{
	int i = s75_strmap_get(map, s, len);
	if (i >= 0)
		return (size_t)i;
	ALLOC_GROW(*names, *n + 1, *alloc);
	char *copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	(*names)[*n] = copy;
	s75_strmap_put(map, copy, len, (int)*n);
	return (*n)++;
}

static bool same_name(const char *name, const char *s, size_t len)
{
	return !strncmp(name, s, len) && name[len] == '\0';
}

typedef struct agg_row {
	uint32_t code, part;
	uint8_t period, kind, flags;
	int64_t amount;
} agg_row;

static int read_year(ledger_year *y, s75_db *db)
{
	sql_stmt *st;
	agg_row *r = NULL;
	size_t nr = 0, ralloc = 0, codes_alloc = 0, palloc = 0, last = SIZE_MAX;
	size_t lastp = SIZE_MAX;
	s75_strmap *codes = s75_strmap_new(), *parts = s75_strmap_new();
	int rc;
	/* in the order of the key (fy, period, cost_centre, partner, kind): no sort; every kind
	 * (a filter on kind costs SQLite a look-up per row), commitments included */
	if ((rc = db_prepare(db, &st, "SELECT period, cost_centre, partner, kind, amount"
				      " FROM ledger_agg WHERE fy = ?"
				      " ORDER BY period, cost_centre, partner, kind")))
		goto done;
	sql_bind_int(st, 1, y->fy);
	while ((rc = sql_step(st)) == SQL_ROW) {
		int per = sql_column_int(st, 0), kind = sql_column_int(st, 3);
		const char *code = sql_column_text(st, 1);
		size_t clen = (size_t)sql_column_bytes(st, 1);
		const char *pid = sql_column_text(st, 2);
		size_t plen = (size_t)sql_column_bytes(st, 2);
		char fy[8];
		if (per < 1 || per > 12 || kind < 0 || kind >= S75_TXN_NKINDS || !code || !pid) {
			rc = s75_error_set(S75_EINVALID,
					   "the ledger of %s has a total for period %d, kind %d: the workspace is damaged",
					   s75_fy_format(fy, y->fy), per, kind);
			goto done;
		}
		ALLOC_GROW(r, nr + 1, ralloc);
		agg_row *x = &r[nr++];
		/* the rows of one cost centre are together, and each period lists the cost
		 * centres in the same (key) order: try this one, then the next, then look up */
		if (last == SIZE_MAX || !same_name(y->codes[last], code, clen)) {
			if (last != SIZE_MAX && last + 1 < y->ncodes && same_name(y->codes[last + 1], code, clen))
				last++;
			else
				last = name_index(&y->codes, &y->ncodes, &codes_alloc, codes, code, clen);
		}
		x->code = (uint32_t)last;
		/* a handful of partners: compare with the last one before looking it up */
		if (lastp == SIZE_MAX || !same_name(y->parts[lastp], pid, plen))
			lastp = name_index(&y->parts, &y->nparts, &palloc, parts, pid, plen);
		x->part = (uint32_t)lastp;
		x->period = (uint8_t)per;
		x->kind = (uint8_t)kind;
		x->flags = LY_PRESENT;
		if (sql_column_type(st, 4) != SQL_INTEGER)
			x->flags |= LY_NOT_INT;
		x->amount = sql_column_int64(st, 4); /* a commitment's is read as it always was */
	}
	if (rc != SQL_DONE) {
		rc = db_error(db, "cannot read the ledger");
		goto done;
	}
	rc = 0;
	size_t ncells = y->ncodes * y->nparts * 12 * S75_TXN_NKINDS;
	y->amount = xcalloc(ncells + 1, sizeof(int64_t));
	y->flags = xcalloc(ncells + 1, 1);
	for (size_t i = 0; i < nr; i++) {
		size_t c = LY_CELL(y, r[i].code, r[i].part, r[i].period, r[i].kind);
		y->amount[c] = r[i].amount;
		y->flags[c] = r[i].flags;
	}
done:
	sql_finalize(st);
	s75_strmap_free(codes);
	s75_strmap_free(parts);
	free(r);
	return rc;
}

int ledger_year_get(const ledger_year **out, s75_db *db, int fy)
{
	int64_t dv, ch;
	int rc;
	*out = NULL;
	if ((rc = db_data_version(db, &dv, &ch)))
		return rc;
	if (db->years && (db->years->data_version != dv || db->years->changes != ch)) {
		ledger_years_free(db->years);
		db->years = NULL;
	}
	for (ledger_year *y = db->years; y; y = y->next)
		if (y->fy == fy) {
			*out = y;
			return 0;
		}
	ledger_year *y = xcalloc(1, sizeof(*y));
	y->fy = fy;
	y->data_version = dv;
	y->changes = ch;
	if ((rc = read_year(y, db))) {
		ledger_years_free(y);
		return rc;
	}
	y->next = db->years;
	db->years = y;
	db->years_free = ledger_years_free;
	*out = y;
	return 0;
}

void ledger_year_map(int **cc, int **partner, const ledger_year *y, const s75_agreement *ag)
{
	*cc = xcalloc(y->ncodes + 1, sizeof(int));
	*partner = xcalloc(y->nparts + 1, sizeof(int));
	for (size_t i = 0; i < y->ncodes; i++)
		(*cc)[i] = s75_agreement_find_cost_centre(ag, y->codes[i], strlen(y->codes[i]));
	for (size_t i = 0; i < y->nparts; i++)
		(*partner)[i] = s75_agreement_find_partner(ag, y->parts[i]);
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

/* LIKE ignores case on SQLite (ASCII), not on PostgreSQL: lower() on both sides makes the
 * two agree */
#define TXN_WHERE                                                                           \
	" FROM txn WHERE fy = ?1 AND period <= ?2 AND (?3 IS NULL OR cost_centre = ?3)"    \
	" AND (?4 IS NULL OR lower(description) LIKE lower(?4) ESCAPE '\\'"                  \
	" OR lower(reference) LIKE lower(?4) ESCAPE '\\' OR lower(account) LIKE lower(?4) ESCAPE '\\')"

static void bind_query(sql_stmt *st, const s75_txn_query *q, const s75_buf *pat)
{
	sql_bind_int(st, 1, q->period.fy);
	sql_bind_int(st, 2, q->period.p);
	if (q->cost_centre)
		sql_bind_text(st, 3, q->cost_centre, -1);
	if (pat->len)
		sql_bind_text(st, 4, pat->ptr, -1);
}

int s75_txn_list(s75_txn **out, size_t *n, long *total, s75_db *db, const s75_txn_query *q)
{
	sql_stmt *st = NULL;
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
	if (sql_step(st) == SQL_ROW)
		*total = sql_column_int64(st, 0);
	sql_finalize(st);
	if ((rc = db_prepare(db, &st, "SELECT date, fy, period, partner, cost_centre, account,"
				      " description, reference, kind, amount" TXN_WHERE
				      " ORDER BY date, id LIMIT ?5 OFFSET ?6")))
		goto done;
	bind_query(st, q, &pat);
	sql_bind_int64(st, 5, q->limit > 0 ? q->limit : 100);
	sql_bind_int64(st, 6, q->offset > 0 ? q->offset : 0);
	while (sql_step(st) == SQL_ROW) {
		ALLOC_GROW(t, nt + 1, alloc);
		s75_txn *x = &t[nt++];
		x->date = sql_column_int(st, 0);
		x->period.fy = sql_column_int(st, 1);
		x->period.p = sql_column_int(st, 2);
		x->partner = sql_column_dup(st, 3);
		x->cost_centre = sql_column_dup(st, 4);
		x->account = sql_column_dup(st, 5);
		x->description = sql_column_dup(st, 6);
		x->reference = sql_column_dup(st, 7);
		x->kind = (s75_txn_kind)sql_column_int(st, 8);
		x->amount = sql_column_int64(st, 9);
	}
	*out = t;
	*n = nt;
done:
	sql_finalize(st);
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

int s75_ledger_committed(int64_t *out, bool *any, s75_db *db, const s75_agreement *ag,
			 s75_period period)
{
	const ledger_year *y;
	int *ccs, *parts, rc;
	/* from the year kept in memory, which the report's actuals read too: no second query */
	if ((rc = ledger_year_get(&y, db, period.fy)))
		return rc;
	ledger_year_map(&ccs, &parts, y, ag);
	int last = period.p > 12 ? 12 : period.p;
	for (size_t c = 0; c < y->ncodes && !rc; c++) {
		if (ccs[c] < 0)
			continue; /* a cost centre the agreement no longer has: the ledger check names it */
		for (size_t pa = 0; pa < y->nparts && !rc; pa++)
			for (int p = 1; p <= last; p++) {
				size_t k = LY_CELL(y, c, pa, p, S75_TXN_COMMITMENT);
				if (!(y->flags[k] & LY_PRESENT))
					continue;
				if (s75_money_add(&out[ccs[c]], out[ccs[c]], y->amount[k])) {
					rc = s75_error_set(S75_EOVERFLOW,
							   "the commitments of cost centre '%s' are out of range",
							   y->codes[c]);
					break;
				}
				*any |= y->amount[k] != 0;
			}
	}
	free(ccs);
	free(parts);
	return rc;
}
