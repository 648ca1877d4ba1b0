/* Importing ledger extracts and forecasts: all or nothing by default, every bad row
 * reported with its line, the file's sha256 recorded so the same content is never
 * imported twice, and aggregates kept so reports do not rescan the ledger. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "batch.h"
#include "db_internal.h"
#include "sha256.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/notice.h"
#include "strmap.h"
#include "xalloc.h"

typedef struct agg {
	int fy, period, cc, partner;
	s75_txn_kind kind;
	long rows;
	int64_t amount;
} agg;

typedef struct importer {
	s75_db *db;
	const s75_agreement *ag;
	const s75_import_options *o;
	s75_import_result *res;
	const char *name;
	s75_csv *csv;
	s75_sha256 *sha;
	/* reject file: written beside its target, renamed at the end */
	FILE *rej;
	char *rej_tmp;
	s75_buf header_raw; /* skipped lines and the header, copied to the reject file */
	int col[S75_F_COUNT];
	size_t ncols;
	s75_encoding encoding;
	iconv_t cd;
	s75_buf *conv; /* per column */
	int64_t batch_id;
	int in_tx;
	/* aggregation */
	s75_u64map *aggmap;
	agg *aggs;
	size_t naggs, alloc_aggs;
	/* control totals: partner x kind */
	long *tot_rows;
	int64_t *tot_amount;
	/* unknown cost centres */
	s75_strmap *unknown_map;
	size_t alloc_unknown;
} importer;

static void observe_sha(void *data, const unsigned char *bytes, size_t len)
{
	s75_sha256_update(data, bytes, len);
}

/* Reports a bad row: the message, the count, and the raw record to the reject file. */
static void row_error(importer *im, const char *fmt, ...) S75_PRINTF(2, 3);
static void row_error(importer *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	batch_error(im->res, im->name, s75_csv_line(im->csv), fmt, ap);
	va_end(ap);
	im->res->rows_rejected++;
	if (im->rej) {
		size_t len;
		const char *raw = s75_csv_raw(im->csv, &len);
		fwrite(raw, 1, len, im->rej);
		/* the last line of a file may have no line end */
		if (len && raw[len - 1] != '\n' && raw[len - 1] != '\r')
			fputc('\n', im->rej);
	}
}

/* A whole-file problem (not a row): reported and counted. */
static int file_error(importer *im, long line, const char *fmt, ...) S75_PRINTF(3, 4);
static int file_error(importer *im, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	batch_error(im->res, im->name, line, fmt, ap);
	va_end(ap);
	return S75_EINVALID;
}

/*
 * A record the CSV reader could not read (a stray or unterminated quote): the file cannot
 * be trusted past it, so the import stops here and nothing is imported.
 */
static int bad_record(importer *im, int r)
{
	s75_pos pos;
	const char *why;
	if (r == S75_EIO)
		return S75_EIO;
	why = s75_csv_error(im->csv, &pos);
	im->res->rows_read++;
	im->res->rows_rejected++;
	file_error(im, 0, "%d:%d: %s (nothing after this point can be read reliably)", pos.line,
		   pos.col, why);
	/* file_error() wrote "FILE: " before the position: make it "FILE:LINE:COL:" */
	char *m = im->res->errors[im->res->nerrors - 1];
	size_t n = strlen(im->name);
	if (!strncmp(m, im->name, n) && m[n] == ':' && m[n + 1] == ' ')
		memmove(m + n + 1, m + n + 2, strlen(m + n + 2) + 1);
	return S75_EINVALID;
}

/*
 * The text of column `c` of the current record as UTF-8, or NULL after reporting the row.
 * Windows-1252 text is converted with iconv; UTF-8 is checked.
 */
static const char *field(importer *im, const s75_csv_field *f, int c, size_t *len)
{
	const s75_csv_field *x = &f[c];
	size_t i;
	for (i = 0; i < x->len && (unsigned char)x->ptr[i] < 0x80; i++)
		;
	if (i == x->len || im->encoding == S75_ENC_UTF8) {
		if (i < x->len && !text_valid_utf8((const unsigned char *)x->ptr, x->len)) {
			row_error(im, "column %d is not valid UTF-8 (is the file Windows-1252? set 'encoding: windows-1252' in the profile)",
				  c + 1);
			return NULL;
		}
		/* the reader NUL-terminates every field: use it as it is */
		*len = x->len;
		return x->ptr;
	}
	s75_buf *b = &im->conv[c];
	char *in = (char *)x->ptr;
	size_t inleft = x->len;
	s75_buf_reset(b);
	s75_buf_grow(b, x->len * 3 + 1);
	char *out = b->ptr;
	size_t outleft = b->alloc - 1;
	iconv(im->cd, NULL, NULL, NULL, NULL);
	if (iconv(im->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		row_error(im, "column %d has a byte that is not Windows-1252 text", c + 1);
		return NULL;
	}
	b->len = (size_t)(out - b->ptr);
	b->ptr[b->len] = '\0';
	*len = b->len;
	return b->ptr;
}

static int open_reject(importer *im)
{
	const char *path = im->o->reject_path;
	size_t n = strlen(path) + 32;
	im->rej_tmp = xmalloc(n);
	snprintf(im->rej_tmp, n, "%s.tmp.%ld", path, (long)getpid());
	im->rej = fopen(im->rej_tmp, "wb");
	if (!im->rej)
		return s75_error_set(S75_EIO, "cannot write '%s': %s", path, strerror(errno));
	fwrite(im->header_raw.ptr, 1, im->header_raw.len, im->rej);
	return 0;
}

/* Closes the reject file: renamed into place when `keep`, removed otherwise. */
static int close_reject(importer *im, bool keep)
{
	int rc = 0;
	if (!im->rej)
		return 0;
	if (fclose(im->rej) && keep)
		rc = s75_error_set(S75_EIO, "cannot write '%s'", im->o->reject_path);
	im->rej = NULL;
	if (keep && !rc && rename(im->rej_tmp, im->o->reject_path))
		rc = s75_error_set(S75_EIO, "cannot write '%s': %s", im->o->reject_path,
				   strerror(errno));
	if (!keep || rc)
		remove(im->rej_tmp);
	return rc;
}

/* Opens the file, skips `skip` lines and reads the header. */
static int read_header(importer *im, const char *path, char delim, int skip,
		       const s75_csv_field **f, size_t *nf)
{
	int r;
	if (s75_csv_open(&im->csv, path, im->name, delim))
		return S75_EIO;
	s75_csv_observe(im->csv, observe_sha, im->sha);
	/* the raw bytes of a record are needed only to write it to a reject file */
	s75_csv_keep_raw(im->csv, im->o->reject_path != NULL);
	for (int i = 0; i <= skip; i++) {
		r = s75_csv_next(im->csv, f, nf);
		if (r < 0)
			return bad_record(im, r);
		if (r == 0)
			return file_error(im, 0, "empty file (expected a header row%s)",
					  skip ? " after the lines to skip" : "");
		size_t len;
		const char *raw = s75_csv_raw(im->csv, &len);
		s75_buf_add(&im->header_raw, raw, len);
		if (len && raw[len - 1] != '\n' && raw[len - 1] != '\r')
			s75_buf_putc(&im->header_raw, '\n');
	}
	im->ncols = *nf;
	im->conv = xcalloc(*nf + 1, sizeof(s75_buf));
	for (size_t i = 0; i <= *nf; i++)
		s75_buf_init(&im->conv[i]);
	return 0;
}

/* Maps the profile's columns to header positions. */
static int map_columns(importer *im, const s75_import_profile *p, const s75_csv_field *f,
		       size_t nf)
{
	int rc = 0, nmissing = 0;
	long line = s75_csv_line(im->csv);
	s75_buf missing = S75_BUF_INIT;
	for (int k = 0; k < S75_F_COUNT; k++) {
		const s75_column *c = &p->columns[k];
		im->col[k] = -1;
		if (!c->used)
			continue;
		if (!c->name) {
			if ((size_t)c->index > nf)
				rc = file_error(im, line, "the profile reads %s from column %d, but the header has %zu columns",
						s75_field_name((s75_field)k), c->index, nf);
			else
				im->col[k] = c->index - 1;
			continue;
		}
		for (size_t i = 0; i < nf; i++) {
			const char *h = f[i].ptr;
			size_t hl = f[i].len;
			/* the header may be Windows-1252 too: compare ASCII names only */
			text_trim(&h, &hl);
			if (hl == strlen(c->name) && !strncasecmp(h, c->name, hl)) {
				im->col[k] = (int)i;
				break;
			}
		}
		if (im->col[k] < 0) {
			s75_buf_printf(&missing, "%s'%s' (%s)", missing.len ? ", " : "", c->name,
				       s75_field_name((s75_field)k));
			nmissing++;
		}
	}
	if (nmissing) {
		/* one message, with the header as found (bytes outside ASCII shown as \xNN) */
		s75_buf found = S75_BUF_INIT;
		for (size_t i = 0; i < nf && found.len < 300; i++) {
			s75_buf_puts(&found, i ? ", " : "");
			for (size_t j = 0; j < f[i].len && found.len < 300; j++) {
				unsigned char ch = (unsigned char)f[i].ptr[j];
				if (ch >= 0x20 && ch < 0x7F)
					s75_buf_putc(&found, (char)ch);
				else
					s75_buf_printf(&found, "\\x%02X", ch);
			}
		}
		rc = file_error(im, line, "the header has no column%s %s; found: %s%s (is this the right profile?)",
				nmissing > 1 ? "s" : "", missing.ptr, found.ptr,
				found.len >= 300 ? "..." : "");
		s75_buf_release(&found);
	}
	s75_buf_release(&missing);
	return rc;
}

static int begin(importer *im, const char *kind, const char *profile, const char *period)
{
	im->in_tx = 1; /* from here a failure rolls back */
	return batch_begin(im->db, kind, im->name, profile, period, im->o->now, &im->batch_id);
}

static void add_total(importer *im, int partner, s75_txn_kind kind, int64_t amount)
{
	size_t i = (size_t)partner * 3 + kind;
	im->tot_rows[i]++;
	im->tot_amount[i] += amount; /* bounded: checked against overflow by the aggregate */
}

/* Adds a row to the in-memory aggregate; false if a total would overflow. */
static bool aggregate(importer *im, int fy, int period, int cc, int partner, s75_txn_kind kind,
		      int64_t amount)
{
	const s75_agreement *ag = im->ag;
	uint64_t key = ((((uint64_t)(fy - 1900) * 13 + (uint64_t)period) * (ag->ncost_centres + 1) +
			 (uint64_t)cc) * (ag->npartners + 1) + (uint64_t)partner) * 3 + kind;
	int created;
	size_t slot = s75_u64map_slot(im->aggmap, key, &created);
	if (created) {
		ALLOC_GROW(im->aggs, im->naggs + 1, im->alloc_aggs);
		agg *a = &im->aggs[im->naggs++];
		a->fy = fy;
		a->period = period;
		a->cc = cc;
		a->partner = partner;
		a->kind = kind;
		a->rows = 0;
		a->amount = 0;
	}
	agg *a = &im->aggs[slot];
	int64_t sum, t;
	size_t ti = (size_t)partner * 3 + kind;
	if (__builtin_add_overflow(a->amount, amount, &sum) ||
	    __builtin_add_overflow(im->tot_amount[ti], amount, &t))
		return false;
	a->amount = sum;
	a->rows++;
	add_total(im, partner, kind, amount);
	return true;
}

static void note_unknown(importer *im, const char *code, size_t len, int64_t amount)
{
	s75_import_result *r = im->res;
	char *key = xstrndup(code, len);
	int i = s75_strmap_get(im->unknown_map, key, len);
	if (i < 0) {
		ALLOC_GROW(r->unknown, r->nunknown + 1, im->alloc_unknown);
		i = (int)r->nunknown++;
		r->unknown[i].code = key;
		r->unknown[i].rows = 0;
		r->unknown[i].total = 0;
		s75_strmap_put(im->unknown_map, key, len, i);
	} else {
		free(key);
	}
	r->unknown[i].rows++;
	if (__builtin_add_overflow(r->unknown[i].total, amount, &r->unknown[i].total))
		r->unknown[i].total = amount > 0 ? INT64_MAX : INT64_MIN;
}

/*
 * The order of ledger_agg's key: year, period, cost centre code, partner id, kind. The
 * codes and ids are ranked once, so sorting compares integers.
 */
static const s75_agreement *g_rank_ag;
static int cmp_cc_code(const void *a, const void *b)
{
	return strcmp(g_rank_ag->cost_centres[*(const int *)a].code,
		      g_rank_ag->cost_centres[*(const int *)b].code);
}
static int cmp_partner_id(const void *a, const void *b)
{
	return strcmp(g_rank_ag->partners[*(const int *)a].id, g_rank_ag->partners[*(const int *)b].id);
}

static int *ranks(const s75_agreement *ag, size_t n, int (*cmp)(const void *, const void *))
{
	int *order = xcalloc(n + 1, sizeof(int)), *rank = xcalloc(n + 1, sizeof(int));
	for (size_t i = 0; i < n; i++)
		order[i] = (int)i;
	g_rank_ag = ag;
	qsort(order, n, sizeof(int), cmp);
	for (size_t i = 0; i < n; i++)
		rank[order[i]] = (int)i;
	free(order);
	return rank;
}

static uint64_t agg_key(const agg *a, const int *cc_rank, const int *p_rank)
{
	return ((((uint64_t)(a->fy - 1900) * 16 + (uint64_t)a->period) << 40) |
		((uint64_t)cc_rank[a->cc] << 12) | ((uint64_t)p_rank[a->partner] << 2)) + a->kind;
}

static int cmp_u64_first(const void *pa, const void *pb)
{
	const uint64_t *a = pa, *b = pb;
	return *a < *b ? -1 : *a > *b;
}

/* Sorts the aggregates into the table's key order. */
static void sort_aggs(importer *im)
{
	const s75_agreement *ag = im->ag;
	int *cc_rank = ranks(ag, ag->ncost_centres, cmp_cc_code);
	int *p_rank = ranks(ag, ag->npartners, cmp_partner_id);
	uint64_t(*keys)[2] = xcalloc(im->naggs + 1, sizeof(*keys));
	agg *sorted = xcalloc(im->naggs + 1, sizeof(agg));
	for (size_t i = 0; i < im->naggs; i++) {
		keys[i][0] = agg_key(&im->aggs[i], cc_rank, p_rank);
		keys[i][1] = i;
	}
	qsort(keys, im->naggs, sizeof(*keys), cmp_u64_first);
	for (size_t i = 0; i < im->naggs; i++)
		sorted[i] = im->aggs[keys[i][1]];
	memcpy(im->aggs, sorted, im->naggs * sizeof(agg));
	free(sorted);
	free(keys);
	free(cc_rank);
	free(p_rank);
}

/* Writes the aggregates, totals and final counts; checks the file was not imported before. */
static int finish(importer *im, const char *kind)
{
	s75_import_result *r = im->res;
	s75_db *db = im->db;
	sqlite3_stmt *st = NULL, *up = NULL;
	int rc;

	s75_sha256_final_hex(im->sha, r->sha256);
	im->sha = NULL;
	if ((rc = batch_check_duplicate(db, kind, im->batch_id, im->name, r)))
		return rc;

	if (im->naggs) {
		/* in the table's key order, so the upserts walk the B-tree once */
		sort_aggs(im);
		if ((rc = db_prepare(db, &up,
				     "INSERT INTO ledger_agg(fy, period, cost_centre, partner, kind, rows,"
				     " amount) VALUES (?, ?, ?, ?, ?, ?, ?)"
				     " ON CONFLICT(fy, period, cost_centre, partner, kind) DO UPDATE SET"
				     " rows = rows + excluded.rows, amount = amount + excluded.amount")))
			goto done;
		for (size_t i = 0; i < im->naggs; i++) {
			const agg *a = &im->aggs[i];
			sqlite3_bind_int(up, 1, a->fy);
			sqlite3_bind_int(up, 2, a->period);
			sqlite3_bind_text(up, 3, im->ag->cost_centres[a->cc].code, -1, SQLITE_STATIC);
			sqlite3_bind_text(up, 4, im->ag->partners[a->partner].id, -1, SQLITE_STATIC);
			sqlite3_bind_int(up, 5, a->kind);
			sqlite3_bind_int64(up, 6, a->rows);
			sqlite3_bind_int64(up, 7, a->amount);
			if (sqlite3_step(up) != SQLITE_DONE) {
				rc = db_error(db, "cannot record the aggregates");
				goto done;
			}
			sqlite3_reset(up);
		}
		sqlite3_finalize(up);
		up = NULL;
	}
	/* control totals, in agreement order of partners and kinds */
	for (size_t p = 0; p < im->ag->npartners; p++)
		for (int k = 0; k < 3; k++) {
			size_t i = p * 3 + (size_t)k;
			if (im->tot_rows[i])
				batch_total(r, im->ag->partners[p].id, (s75_txn_kind)k, im->tot_rows[i],
					    im->tot_amount[i]);
		}
	rc = batch_record(db, im->batch_id, kind, im->name, im->o->now, r, NULL);
done:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

static void importer_init(importer *im, s75_db *db, const s75_agreement *ag,
			  const s75_import_options *o, s75_import_result *res, const char *path)
{
	memset(im, 0, sizeof(*im));
	memset(res, 0, sizeof(*res));
	im->db = db;
	im->ag = ag;
	im->o = o;
	im->res = res;
	im->name = o->name ? o->name : path;
	im->cd = (iconv_t)-1;
	s75_buf_init(&im->header_raw);
	im->sha = s75_sha256_new();
	im->aggmap = s75_u64map_new();
	im->unknown_map = s75_strmap_new();
	im->tot_rows = xcalloc(ag->npartners * 3 + 1, sizeof(long));
	im->tot_amount = xcalloc(ag->npartners * 3 + 1, sizeof(int64_t));
}

/* Commits when all is well; otherwise rolls back and leaves nothing behind. */
static int importer_end(importer *im, int rc, const char *kind)
{
	s75_import_result *r = im->res;
	bool atomic_fail = !im->o->reject_path && r->error_count > 0;
	if (!rc && atomic_fail)
		rc = S75_EINVALID;
	if (!rc && im->in_tx && r->rows_imported == 0 && r->rows_read > 0)
		rc = s75_error_set(S75_EINVALID, "no row of '%s' could be imported", im->name);
	if (!rc && r->rows_read == 0 && r->error_count == 0)
		rc = file_error(im, 0, "no data rows after the header");
	if (!rc && im->in_tx)
		rc = finish(im, kind);
	if (!rc)
		rc = close_reject(im, true);
	if (!rc && im->in_tx && im->o->dry_run) {
		/* a preview: everything checked, nothing kept */
		db_exec(im->db, "ROLLBACK");
		im->in_tx = false;
		im->batch_id = 0;
	}
	if (!rc && im->in_tx)
		rc = db_exec(im->db, "COMMIT");
	if (rc) {
		if (im->in_tx)
			db_exec(im->db, "ROLLBACK");
		close_reject(im, false);
		r->batch_id = 0;
		r->rows_imported = 0; /* rolled back: nothing was imported */
		if (rc == S75_EINVALID && !atomic_fail && r->error_count == 0)
			file_error(im, 0, "%s", s75_error_last());
	} else {
		r->batch_id = im->batch_id;
	}
	s75_csv_free(im->csv);
	s75_sha256_free(im->sha);
	if (im->cd != (iconv_t)-1)
		iconv_close(im->cd);
	for (size_t i = 0; im->conv && i <= im->ncols; i++)
		s75_buf_release(&im->conv[i]);
	free(im->conv);
	s75_buf_release(&im->header_raw);
	free(im->rej_tmp);
	s75_u64map_free(im->aggmap);
	free(im->aggs);
	s75_strmap_free(im->unknown_map);
	free(im->tot_rows);
	free(im->tot_amount);
	return rc;
}

static void progress(importer *im)
{
	if (im->o->progress && (im->res->rows_read & 0xFFFF) == 0) {
		long long done, total;
		s75_csv_progress(im->csv, &done, &total);
		im->o->progress(im->o->progress_data, done, total, im->res->rows_read);
	}
}

/* The kind of a row: the kind column's value, else the account rules, else the default. */
static int row_kind(importer *im, const s75_import_profile *p, const char *kind, size_t klen,
		    const char *account, s75_txn_kind *out)
{
	if (kind) {
		text_trim(&kind, &klen);
		for (size_t i = 0; i < p->nkind_values; i++)
			if (strlen(p->kind_values[i].match) == klen &&
			    !strncasecmp(p->kind_values[i].match, kind, klen)) {
				*out = p->kind_values[i].kind;
				return 0;
			}
		s75_buf exp = S75_BUF_INIT;
		for (size_t i = 0; i < p->nkind_values; i++)
			s75_buf_printf(&exp, "%s%s", i ? ", " : "", p->kind_values[i].match);
		row_error(im, "unknown kind '%.*s' (expected one of: %s)", (int)klen, kind, exp.ptr);
		s75_buf_release(&exp);
		return -1;
	}
	for (size_t i = 0; account && i < p->nkind_accounts; i++)
		if (!strncmp(account, p->kind_accounts[i].match, strlen(p->kind_accounts[i].match))) {
			*out = p->kind_accounts[i].kind;
			return 0;
		}
	*out = p->kind_default;
	return 0;
}

/* Parses an amount column; an empty debit or credit is zero. */
static int row_amount(importer *im, const s75_import_profile *p, const s75_csv_field *f, int c,
		      bool empty_ok, const char *what, int64_t *out)
{
	size_t len;
	const char *s = field(im, f, c, &len);
	if (!s)
		return -1;
	text_trim(&s, &len);
	if (!len && empty_ok) {
		*out = 0;
		return 0;
	}
	if (s75_money_parse(out, s, len, p->unit, 0)) {
		row_error(im, "%s: %s", what, s75_error_last());
		return -1;
	}
	return 0;
}

int s75_import_actuals(s75_db *db, const s75_agreement *ag, const char *path,
		       const s75_import_options *o, s75_import_result *res)
{
	importer im;
	const s75_csv_field *f;
	size_t nf;
	sqlite3_stmt *ins = NULL;
	s75_date *ends = NULL; /* per pool: the day it ends (notice.h), 0 if open-ended */
	int rc, r;
	const char *pid = o->profile ? o->profile : "standard";
	const s75_import_profile *p = s75_agreement_find_profile(ag, pid);

	importer_init(&im, db, ag, o, res, path);
	if (!p) {
		rc = s75_error_set(S75_EINVALID, "no import profile '%s' in the agreement", pid);
		file_error(&im, 0, "%s", s75_error_last());
		goto end;
	}
	im.encoding = p->encoding;
	if (p->encoding == S75_ENC_WINDOWS_1252 &&
	    (im.cd = iconv_open("UTF-8", "WINDOWS-1252")) == (iconv_t)-1) {
		rc = s75_error_set(S75_EIO, "cannot convert from Windows-1252: %s", strerror(errno));
		goto end;
	}
	if ((rc = read_header(&im, path, p->delimiter, p->skip_rows, &f, &nf)))
		goto end;
	if ((rc = map_columns(&im, p, f, nf)))
		goto end;
	if (o->reject_path && (rc = open_reject(&im)))
		goto end;
	if ((rc = begin(&im, "actuals", p->id, NULL)))
		goto end;
	if ((rc = s75_arrangement_ends(&ends, db, ag)))
		goto end;
	if ((rc = db_prepare(db, &ins,
			     "INSERT INTO txn(id, date, fy, period, partner, cost_centre,"
			     " account, kind, amount, description, reference)"
			     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
		goto end;
	while ((r = s75_csv_next(im.csv, &f, &nf)) > 0) {
		const int *col = im.col;
		size_t len;
		const char *s;
		s75_date date = 0;
		s75_period per;
		int partner = p->partner, cc;
		s75_txn_kind kind;
		int64_t amount = 0, debit = 0, credit = 0;
		const char *account = NULL, *kindtext = NULL;
		size_t klen = 0;

		if (nf == 1 && f[0].len == 0)
			continue; /* a blank line holds no row */
		res->rows_read++;
		progress(&im);
		if (nf != im.ncols) {
			row_error(&im, "expected %zu fields as in the header, found %zu", im.ncols, nf);
			continue;
		}
		if (col[S75_F_DATE] >= 0) {
			if (!(s = field(&im, f, col[S75_F_DATE], &len)))
				continue;
			if (s75_date_parse_fmt(&date, s, len, p->date_format)) {
				row_error(&im, "date: %s", s75_error_last());
				continue;
			}
			per = s75_period_of_date(date);
		} else {
			if (!(s = field(&im, f, col[S75_F_PERIOD], &len)))
				continue;
			text_trim(&s, &len);
			char tmp[32];
			snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 31 ? len : 31), s);
			if (s75_period_parse(&per, tmp)) {
				row_error(&im, "period: %s", s75_error_last());
				continue;
			}
			date = s75_period_end(per);
		}
		if (col[S75_F_PARTNER] >= 0) {
			if (!(s = field(&im, f, col[S75_F_PARTNER], &len)))
				continue;
			text_trim(&s, &len);
			char tmp[128];
			snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 127 ? len : 127), s);
			if ((partner = s75_agreement_find_partner(ag, tmp)) < 0) {
				row_error(&im, "unknown partner '%s'", tmp);
				continue;
			}
		}
		if (col[S75_F_ACCOUNT] >= 0 && !(account = field(&im, f, col[S75_F_ACCOUNT], &len)))
			continue;
		if (col[S75_F_KIND] >= 0 && !(kindtext = field(&im, f, col[S75_F_KIND], &klen)))
			continue;
		if (row_kind(&im, p, kindtext, klen, account, &kind))
			continue;
		if (col[S75_F_AMOUNT] >= 0) {
			if (row_amount(&im, p, f, col[S75_F_AMOUNT], false, "amount", &amount))
				continue;
		} else {
			if (col[S75_F_DEBIT] >= 0 &&
			    row_amount(&im, p, f, col[S75_F_DEBIT], true, "debit", &debit))
				continue;
			if (col[S75_F_CREDIT] >= 0 &&
			    row_amount(&im, p, f, col[S75_F_CREDIT], true, "credit", &credit))
				continue;
			if (__builtin_sub_overflow(debit, credit, &amount)) {
				row_error(&im, "debit less credit is out of range");
				continue;
			}
		}
		/* to the kind's own sign: spent, received or paid positive */
		if (p->sign == S75_SIGN_CREDIT_POSITIVE)
			amount = -amount;
		if (p->sign != S75_SIGN_AS_KIND && kind == S75_TXN_INCOME)
			amount = -amount;
		if (!(s = field(&im, f, col[S75_F_COST_CENTRE], &len)))
			continue;
		text_trim(&s, &len);
		if ((cc = s75_agreement_find_cost_centre(ag, s, len)) < 0) {
			note_unknown(&im, s, len, amount);
			row_error(&im, "unknown cost centre '%.*s'", (int)len, s);
			continue;
		}
		int pool = ag->cost_centres[cc].pool;
		if (pool >= 0 && ends[pool] && s75_period_start(per) > ends[pool]) {
			char e[11], pb[12];
			row_error(&im, "pool '%s' ended on %s: it takes no periods after its end (%s)",
				  ag->arrangements[pool].id, s75_date_format(e, ends[pool]),
				  s75_period_format(pb, per));
			continue;
		}
		/* the free text too must be readable before the row counts */
		const char *text[2] = {NULL, NULL};
		size_t tlen[2] = {0, 0};
		bool bad_text = false;
		for (int k = 0; k < 2 && !bad_text; k++) {
			int c = col[k ? S75_F_REFERENCE : S75_F_DESCRIPTION];
			if (c >= 0 && !(text[k] = field(&im, f, c, &tlen[k])))
				bad_text = true;
		}
		if (bad_text)
			continue;
		if (res->error_count && !o->reject_path)
			continue; /* nothing will be imported: only look for more errors */
		if (!aggregate(&im, per.fy, per.p, cc, partner, kind, amount)) {
			row_error(&im, "totals out of range");
			continue;
		}
		long line = s75_csv_line(im.csv);
		if (line < 0 || line > 0xFFFFFFFFL) {
			row_error(&im, "more lines than one import can hold (4,294,967,295)");
			continue;
		}
		sqlite3_bind_int64(ins, 1, im.batch_id * 4294967296LL + line);
		sqlite3_bind_int(ins, 2, date);
		sqlite3_bind_int(ins, 3, per.fy);
		sqlite3_bind_int(ins, 4, per.p);
		sqlite3_bind_text(ins, 5, ag->partners[partner].id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, ag->cost_centres[cc].code, -1, SQLITE_STATIC);
		if (account)
			sqlite3_bind_text(ins, 7, account, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(ins, 7);
		sqlite3_bind_int(ins, 8, kind);
		sqlite3_bind_int64(ins, 9, amount);
		for (int k = 0; k < 2; k++) {
			/* the text stays where it is until the row is stored */
			if (text[k])
				sqlite3_bind_text(ins, 10 + k, text[k], (int)tlen[k], SQLITE_STATIC);
			else
				sqlite3_bind_null(ins, 10 + k);
		}
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = db_error(db, "cannot store a transaction");
			goto end;
		}
		sqlite3_reset(ins);
		res->rows_imported++;
	}
	if (r < 0)
		rc = bad_record(&im, r);
end:
	free(ends);
	sqlite3_finalize(ins);
	return importer_end(&im, rc, "actuals");
}

int s75_import_forecasts(s75_db *db, const s75_agreement *ag, const char *path,
			 const s75_import_options *o, s75_import_result *res)
{
	importer im;
	const s75_csv_field *f;
	size_t nf;
	sqlite3_stmt *ins = NULL;
	int rc, r;
	char period[16], fybuf[8];
	int ccol = -1, fcol = -1, ncol = -1;
	char *seen = NULL;

	importer_init(&im, db, ag, o, res, path);
	im.encoding = S75_ENC_UTF8;
	s75_period_format(period, o->period);
	if (!s75_agreement_find_year(ag, o->period.fy)) {
		rc = file_error(&im, 0, "forecasts for %s: the agreement has no year %s",
				period, s75_fy_format(fybuf, o->period.fy));
		goto end;
	}
	if ((rc = read_header(&im, path, ',', 0, &f, &nf)))
		goto end;
	for (size_t i = 0; i < nf; i++) {
		const char *h = f[i].ptr;
		size_t hl = f[i].len;
		text_trim(&h, &hl);
		if (hl == 11 && !strncasecmp(h, "cost_centre", 11))
			ccol = (int)i;
		else if (hl == 8 && !strncasecmp(h, "forecast", 8))
			fcol = (int)i;
		else if (hl == 4 && !strncasecmp(h, "note", 4))
			ncol = (int)i;
	}
	if (ccol < 0 || fcol < 0) {
		rc = file_error(&im, s75_csv_line(im.csv),
				"expected the header cost_centre,forecast,note");
		goto end;
	}
	if (o->reject_path && (rc = open_reject(&im)))
		goto end;
	if ((rc = begin(&im, "forecasts", NULL, period)))
		goto end;
	if ((rc = db_prepare(db, &ins,
			     "INSERT INTO forecast(batch_id, fy, period, cost_centre, amount, note)"
			     " VALUES (?, ?, ?, ?, ?, ?)")))
		goto end;
	seen = xcalloc(ag->ncost_centres + 1, 1);
	while ((r = s75_csv_next(im.csv, &f, &nf)) > 0) {
		size_t len;
		const char *s;
		int64_t amount;
		int cc;
		if (nf == 1 && f[0].len == 0)
			continue;
		res->rows_read++;
		if (nf != im.ncols) {
			row_error(&im, "expected %zu fields as in the header, found %zu", im.ncols, nf);
			continue;
		}
		if (!(s = field(&im, f, ccol, &len)))
			continue;
		text_trim(&s, &len);
		if ((cc = s75_agreement_find_cost_centre(ag, s, len)) < 0) {
			note_unknown(&im, s, len, 0);
			row_error(&im, "unknown cost centre '%.*s'", (int)len, s);
			continue;
		}
		if (o->only_partner &&
		    strcmp(ag->partners[ag->cost_centres[cc].partner].id, o->only_partner)) {
			row_error(&im, "cost centre '%.*s' is %s's, not %s's", (int)len, s,
				  ag->partners[ag->cost_centres[cc].partner].id, o->only_partner);
			continue;
		}
		if (seen[cc]) {
			row_error(&im, "cost centre '%.*s' has a second forecast in this file", (int)len, s);
			continue;
		}
		seen[cc] = 1;
		if (!(s = field(&im, f, fcol, &len)))
			continue;
		if (s75_money_parse(&amount, s, len, S75_UNIT_POUNDS, 0)) {
			row_error(&im, "forecast: %s", s75_error_last());
			continue;
		}
		const char *note = ncol >= 0 ? field(&im, f, ncol, &len) : NULL;
		if (ncol >= 0 && !note)
			continue;
		if (res->error_count && !o->reject_path)
			continue;
		int partner = ag->cost_centres[cc].partner;
		int64_t t;
		if (__builtin_add_overflow(im.tot_amount[(size_t)partner * 3], amount, &t)) {
			row_error(&im, "totals out of range");
			continue;
		}
		add_total(&im, partner, S75_TXN_EXPENDITURE, amount);
		sqlite3_bind_int64(ins, 1, im.batch_id);
		sqlite3_bind_int(ins, 2, o->period.fy);
		sqlite3_bind_int(ins, 3, o->period.p);
		sqlite3_bind_text(ins, 4, ag->cost_centres[cc].code, -1, SQLITE_STATIC);
		sqlite3_bind_int64(ins, 5, amount);
		if (note && *note)
			sqlite3_bind_text(ins, 6, note, (int)len, SQLITE_TRANSIENT);
		else
			sqlite3_bind_null(ins, 6);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			rc = db_error(db, "cannot store a forecast");
			goto end;
		}
		sqlite3_reset(ins);
		res->rows_imported++;
	}
	if (r < 0)
		rc = bad_record(&im, r);
end:
	free(seen);
	sqlite3_finalize(ins);
	return importer_end(&im, rc, "forecasts");
}

void s75_import_result_release(s75_import_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++)
		free(res->errors[i]);
	free(res->errors);
	for (size_t i = 0; i < res->nunknown; i++)
		free(res->unknown[i].code);
	free(res->unknown);
	for (size_t i = 0; i < res->ntotals; i++)
		free(res->totals[i].partner);
	free(res->totals);
	free(res->duplicate_at);
	memset(res, 0, sizeof(*res));
}
