/* Importing ledger extracts and forecasts: all or nothing by default, every bad row
 * reported with its line, the file's sha256 recorded so the same content is never
 * imported twice, and aggregates kept so reports do not rescan the ledger. */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "batch.h"
#include "db_internal.h"
#include "periods_internal.h"
#include "sha256.h"
#include "stage.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/notice.h"
#include "s75/outfile.h"
#include "payments_internal.h"
#include "s75/arrears.h"
#include "strmap.h"
#include "textmatch.h"
#include "xalloc.h"

typedef struct agg {
	int fy, period, cc, partner;
	s75_txn_kind kind;
	long rows;
	int64_t amount;
} agg;

/* One record of the file: straight from the reader, or a copy held back (skip_footer). */
typedef struct rec {
	const s75_csv_field *f;
	size_t nf;
	long line;
	const char *raw;
	size_t rawlen;
} rec;

typedef struct saved_rec {
	rec r;
	s75_buf data, raw;
	s75_csv_field *fields;
	size_t alloc;
} saved_rec;

typedef struct importer {
	s75_db *db;
	const s75_agreement *ag;
	const s75_import_options *o;
	s75_import_result *res;
	const char *name;
	s75_csv *csv;
	s75_sha256 *sha;
	/* reject file: written beside its target, renamed at the end */
	s75_outfile *rej_out;
	FILE *rej;
	s75_buf header_raw; /* skipped lines and the header, copied to the reject file */
	size_t header_at;   /* where the header line starts in header_raw */
	char delim;
	char **hdr;         /* the header's names, decoded to UTF-8 */
	const rec *cur;     /* the record being read */
	rec live;
	s75_buf scratch;
	size_t alloc_skipped;
	int col[S75_F_COUNT];
	size_t ncols;
	s75_encoding encoding;
	iconv_t cd;
	iconv_t cd_out; /* UTF-8 to Windows-1252, for reasons in a reject file */
	s75_buf *conv; /* per column */
	int64_t batch_id;
	int in_tx;
	int parsed;       /* the rows were read (the header was good) */
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
	/* the sums of the amounts' sizes, in and outside the pool (saturating): while they
	 * stay below INT64_MAX no total can overflow, in whatever order the rows are added */
	uint64_t abs_amounts, abs_outside;
} importer;

static uint64_t abs_add(uint64_t sum, int64_t v)
{
	uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v, t;
	return __builtin_add_overflow(sum, a, &t) ? UINT64_MAX : t;
}

/* Writes the current record to the reject file, with `reason` as a last field. */
static void reject_write(importer *im, const char *reason)
{
	const char *raw = im->cur->raw;
	size_t len = im->cur->rawlen, body = len;
	while (body && (raw[body - 1] == '\n' || raw[body - 1] == '\r'))
		body--;
	fwrite(raw, 1, body, im->rej);
	s75_buf enc = S75_BUF_INIT;
	if (reason && im->encoding == S75_ENC_WINDOWS_1252) {
		/* the reason in the file's own encoding, so a spreadsheet shows it right */
		bool ascii = true;
		for (const char *q = reason; *q && ascii; q++)
			ascii = (unsigned char)*q < 0x80;
		if (!ascii && im->cd_out == (iconv_t)-1)
			im->cd_out = iconv_open("WINDOWS-1252//TRANSLIT", "UTF-8");
		if (!ascii && im->cd_out != (iconv_t)-1) {
			char *in = (char *)reason, *out;
			size_t inleft = strlen(reason), outleft;
			s75_buf_grow(&enc, inleft * 2 + 1);
			out = enc.ptr;
			outleft = enc.alloc - 1;
			iconv(im->cd_out, NULL, NULL, NULL, NULL);
			if (iconv(im->cd_out, &in, &inleft, &out, &outleft) != (size_t)-1) {
				enc.len = (size_t)(out - enc.ptr);
				enc.ptr[enc.len] = '\0';
				reason = enc.ptr;
			}
		}
	}
	if (reason) {
		s75_buf b = S75_BUF_INIT;
		s75_buf_putc(&b, im->delim);
		s75_buf_putc(&b, '"');
		for (const char *q = reason; *q; q++) {
			if (*q == '"')
				s75_buf_putc(&b, '"');
			s75_buf_putc(&b, *q);
		}
		s75_buf_putc(&b, '"');
		fwrite(b.ptr, 1, b.len, im->rej);
		s75_buf_release(&b);
	}
	s75_buf_release(&enc);
	/* the record's own line end; the last line of a file may have none */
	if (body < len)
		fwrite(raw + body, 1, len - body, im->rej);
	else
		fputc('\n', im->rej);
}

/* Reports a bad row: the message, the count, and the raw record and why to the reject file. */
static void row_error(importer *im, const char *fmt, ...) S75_PRINTF(2, 3);
static void row_error(importer *im, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (im->rej) {
		va_list ap2;
		va_copy(ap2, ap);
		s75_buf reason = S75_BUF_INIT;
		s75_buf_vprintf(&reason, fmt, ap2);
		va_end(ap2);
		reject_write(im, reason.ptr);
		s75_buf_release(&reason);
	}
	batch_error(im->res, im->name, im->cur->line, fmt, ap);
	va_end(ap);
	im->res->rows_rejected++;
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
		if (i < x->len && !s75_text_valid_utf8((const unsigned char *)x->ptr, x->len)) {
			row_error(im, "column '%s' is not valid UTF-8 (is the file Windows-1252? set 'encoding: windows-1252' in the profile)",
				  im->hdr[c]);
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
		row_error(im, "column '%s' has a byte that is not Windows-1252 text", im->hdr[c]);
		return NULL;
	}
	b->len = (size_t)(out - b->ptr);
	b->ptr[b->len] = '\0';
	*len = b->len;
	return b->ptr;
}

static int open_reject(importer *im)
{
	int rc = s75_outfile_open(&im->rej_out, im->o->reject_path);
	if (rc)
		return rc;
	im->rej = s75_outfile_fp(im->rej_out);
	/* the lines before the header as they are; the header with a `reason` column */
	const char *h = im->header_raw.ptr + im->header_at;
	size_t len = im->header_raw.len - im->header_at, body = len;
	while (body && (h[body - 1] == '\n' || h[body - 1] == '\r'))
		body--;
	fwrite(im->header_raw.ptr, 1, im->header_at + body, im->rej);
	fputc(im->delim, im->rej);
	fputs("reason", im->rej);
	fwrite(h + body, 1, len - body, im->rej);
	return 0;
}

/* Closes the reject file: renamed into place when `keep`, removed otherwise. */
static int close_reject(importer *im, bool keep)
{
	int rc = 0;
	if (!im->rej_out)
		return 0;
	if (keep)
		rc = s75_outfile_commit(im->rej_out);
	else
		s75_outfile_abort(im->rej_out);
	im->rej_out = NULL;
	im->rej = NULL;
	return rc;
}

/*
 * The header's names as UTF-8 for matching and messages: Windows-1252 decoded, a
 * byte-order mark and one decoded as Windows-1252 text (`ï»¿`) stripped, spaces
 * trimmed; bytes that are not text in the file's encoding shown as \xNN.
 */
static void header_names(importer *im, const s75_csv_field *f, size_t nf)
{
	im->hdr = xcalloc(nf + 1, sizeof(char *));
	for (size_t i = 0; i < nf; i++) {
		s75_buf b = S75_BUF_INIT;
		const unsigned char *q = (const unsigned char *)f[i].ptr;
		size_t n = f[i].len;
		bool ok = true;
		if (im->encoding == S75_ENC_WINDOWS_1252 && im->cd != (iconv_t)-1) {
			char *in = (char *)f[i].ptr, *out;
			size_t inleft = n, outleft;
			s75_buf_grow(&b, n * 3 + 1);
			out = b.ptr;
			outleft = b.alloc - 1;
			iconv(im->cd, NULL, NULL, NULL, NULL);
			ok = iconv(im->cd, &in, &inleft, &out, &outleft) != (size_t)-1;
			b.len = ok ? (size_t)(out - b.ptr) : 0;
			b.ptr[b.len] = '\0';
		} else {
			ok = s75_text_valid_utf8(q, n);
			if (ok)
				s75_buf_add(&b, f[i].ptr, n);
		}
		if (!ok) {
			s75_buf_reset(&b);
			for (size_t j = 0; j < n; j++)
				if (q[j] >= 0x20 && q[j] < 0x7F)
					s75_buf_putc(&b, (char)q[j]);
				else
					s75_buf_printf(&b, "\\x%02X", q[j]);
		}
		const char *h = b.ptr ? b.ptr : "";
		size_t hl = b.len;
		for (int again = 1; i == 0 && again;) {
			again = 0;
			if (hl >= 3 && !memcmp(h, "\xEF\xBB\xBF", 3)) {
				h += 3, hl -= 3, again = 1;
			} else if (hl >= 6 && !memcmp(h, "\xC3\xAF\xC2\xBB\xC2\xBF", 6)) {
				h += 6, hl -= 6, again = 1;
			}
		}
		s75_text_trim(&h, &hl);
		im->hdr[i] = xstrndup(h, hl);
		s75_buf_release(&b);
	}
}

/* Opens the file, skips `skip` lines and reads the header. */
static int read_header(importer *im, const char *path, char delim, int skip,
		       const s75_csv_field **f, size_t *nf)
{
	int r;
	im->delim = delim;
	if (s75_csv_open(&im->csv, path, im->name, delim))
		return S75_EIO;
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
		im->header_at = im->header_raw.len;
		s75_buf_add(&im->header_raw, raw, len);
		if (len && raw[len - 1] != '\n' && raw[len - 1] != '\r')
			s75_buf_putc(&im->header_raw, '\n');
	}
	im->ncols = *nf;
	im->conv = xcalloc(*nf + 1, sizeof(s75_buf));
	for (size_t i = 0; i <= *nf; i++)
		s75_buf_init(&im->conv[i]);
	header_names(im, *f, *nf);
	return 0;
}

/* The header position of a column (by any of its names, or its number), or -1. */
static int find_column(importer *im, const s75_column *c, size_t nf)
{
	if (!c->name)
		return (size_t)c->index <= nf ? c->index - 1 : -1;
	/* the built-in profile has one name and no list */
	const char *const *names = c->nnames ? c->names : &c->name;
	size_t nn = c->nnames ? c->nnames : 1;
	for (size_t n = 0; n < nn; n++)
		for (size_t i = 0; i < nf; i++)
			if (text_same_name(im->hdr[i], strlen(im->hdr[i]), names[n], strlen(names[n])))
				return (int)i;
	return -1;
}

/* "'A' or 'B'": the names a column may have, for messages. */
static void column_names(s75_buf *b, const s75_column *c)
{
	if (!c->name) {
		s75_buf_printf(b, "column %d", c->index);
		return;
	}
	if (!c->nnames)
		s75_buf_printf(b, "'%s'", c->name);
	for (size_t n = 0; n < c->nnames; n++)
		s75_buf_printf(b, "%s'%s'", n ? " or " : "", c->names[n]);
}

/* Maps the profile's columns to header positions. */
static int map_columns(importer *im, const s75_import_profile *p, const s75_csv_field *f,
		       size_t nf)
{
	int rc = 0, nmissing = 0;
	long line = s75_csv_line(im->csv);
	s75_buf missing = S75_BUF_INIT;
	(void)f;
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
		im->col[k] = find_column(im, c, nf);
		if (im->col[k] < 0) {
			s75_buf_puts(&missing, missing.len ? ", " : "");
			column_names(&missing, c);
			s75_buf_printf(&missing, " (%s)", s75_field_name((s75_field)k));
			nmissing++;
		}
	}
	if (nmissing) {
		/* one message, with the header as found (decoded; control bytes shown as \xNN) */
		s75_buf found = S75_BUF_INIT;
		for (size_t i = 0; i < nf && found.len < 300; i++) {
			s75_buf_puts(&found, i ? ", " : "");
			for (const char *q = im->hdr[i]; *q && found.len < 300; q++) {
				unsigned char ch = (unsigned char)*q;
				if (ch < 0x20 || ch == 0x7F)
					s75_buf_printf(&found, "\\x%02X", ch);
				else
					s75_buf_putc(&found, (char)ch);
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
	size_t i = (size_t)partner * S75_TXN_NKINDS + kind;
	im->tot_rows[i]++;
	im->tot_amount[i] += amount; /* bounded: checked against overflow by the aggregate */
}

/* The in-memory aggregate of a year, period, cost centre, partner and kind, made if new. */
static agg *agg_find(importer *im, int fy, int period, int cc, int partner, s75_txn_kind kind)
{
	const s75_agreement *ag = im->ag;
	uint64_t key = ((((uint64_t)(fy - 1900) * 13 + (uint64_t)period) * (ag->ncost_centres + 1) +
			 (uint64_t)cc) * (ag->npartners + 1) + (uint64_t)partner) * S75_TXN_NKINDS + kind;
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
	return &im->aggs[slot];
}

/* Adds a row to the in-memory aggregate; false if a total would overflow. */
static bool aggregate(importer *im, int fy, int period, int cc, int partner, s75_txn_kind kind,
		      int64_t amount)
{
	agg *a = agg_find(im, fy, period, cc, partner, kind);
	int64_t sum, t;
	size_t ti = (size_t)partner * S75_TXN_NKINDS + kind;
	if (__builtin_add_overflow(a->amount, amount, &sum) ||
	    __builtin_add_overflow(im->tot_amount[ti], amount, &t))
		return false;
	a->amount = sum;
	a->rows++;
	add_total(im, partner, kind, amount);
	im->abs_amounts = abs_add(im->abs_amounts, amount);
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
		r->unknown[i].suggestion = NULL;
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

/* The control totals into the result, in agreement order of partners and kinds. */
static void control_totals(importer *im)
{
	for (size_t p = 0; p < im->ag->npartners; p++)
		for (int k = 0; k < S75_TXN_NKINDS; k++) {
			size_t i = p * S75_TXN_NKINDS + (size_t)k;
			if (im->tot_rows[i])
				batch_total(im->res, im->ag->partners[p].id, (s75_txn_kind)k,
					    im->tot_rows[i], im->tot_amount[i]);
		}
}

/* The error for an aggregate whose total would pass int64 with the batches already imported. */
static int agg_overflow(importer *im, const agg *a)
{
	char per[16];
	s75_period_format(per, (s75_period){a->fy, a->period});
	return file_error(im, 0,
			  "the total of cost centre '%s' for %s (%s, %s) would pass the largest amount s75 can hold (about £92,233 trillion) with the batches already imported",
			  im->ag->cost_centres[a->cc].code, per, im->ag->partners[a->partner].id,
			  s75_txn_kind_name(a->kind));
}

/* An aggregate against a row of ledger_agg of its year, in the table's key order. */
static int cmp_agg_row(const importer *im, const agg *a, sql_stmt *st)
{
	int per = sql_column_int(st, 0), kind = sql_column_int(st, 3), c;
	const char *code = sql_column_text(st, 1);
	const char *pid = sql_column_text(st, 2);
	if (a->period != per)
		return a->period < per ? -1 : 1;
	if ((c = strcmp(im->ag->cost_centres[a->cc].code, code ? code : "")))
		return c;
	if ((c = strcmp(im->ag->partners[a->partner].id, pid ? pid : "")))
		return c;
	return (int)a->kind < kind ? -1 : (int)a->kind > kind;
}

/*
 * Checks, before anything is written, that no aggregate's total passes int64 when added to
 * what ledger_agg already holds (a total an older s75 stored as a float counts as passed):
 * the sorted aggregates and each of their years' rows, read in the key's order, walked
 * together. One read per year rather than a RETURNING per upsert, which cost SQLite a
 * temporary table each time (14 % of a 1M-row import of 2,000 cost centres).
 */
static int check_agg_totals(importer *im)
{
	sql_stmt *st = NULL;
	int rc = 0, step = SQL_DONE;
	if ((rc = db_prepare(im->db, &st, "SELECT period, cost_centre, partner, kind, amount FROM ledger_agg"
					  " WHERE fy = ? ORDER BY period, cost_centre, partner, kind")))
		return rc;
	for (size_t i = 0; i < im->naggs && !rc; i++) {
		const agg *a = &im->aggs[i];
		if (!i || a->fy != im->aggs[i - 1].fy) {
			sql_reset(st);
			sql_bind_int(st, 1, a->fy);
			step = sql_step(st);
		}
		int c = 1;
		while (step == SQL_ROW && (c = cmp_agg_row(im, a, st)) > 0)
			step = sql_step(st);
		if (step != SQL_ROW && step != SQL_DONE) {
			rc = db_error(im->db, "cannot read the aggregates");
			break;
		}
		int64_t sum;
		if (step == SQL_ROW && c == 0 &&
		    (sql_column_type(st, 4) != SQL_INTEGER ||
		     __builtin_add_overflow(sql_column_int64(st, 4), a->amount, &sum)))
			rc = agg_overflow(im, a);
	}
	sql_finalize(st);
	return rc;
}

/* Aggregates upserted by one statement (7 parameters each: within SQLite's 32,766). */
#define AGG_BATCH 256

/* The upsert of n aggregates into ledger_agg (n distinct keys: one statement may not
 * update a row twice on PostgreSQL). */
static int prepare_agg_upsert(s75_db *db, sql_stmt **out, size_t n)
{
	s75_buf sql = S75_BUF_INIT;
	int rc;
	s75_buf_puts(&sql, "INSERT INTO ledger_agg(fy, period, cost_centre, partner, kind, rows, amount) VALUES ");
	for (size_t i = 0; i < n; i++)
		s75_buf_puts(&sql, i ? ", (?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?)");
	s75_buf_puts(&sql, " ON CONFLICT(fy, period, cost_centre, partner, kind) DO UPDATE SET"
			   " rows = ledger_agg.rows + excluded.rows, amount = ledger_agg.amount + excluded.amount");
	rc = db_prepare(db, out, sql.ptr);
	s75_buf_release(&sql);
	return rc;
}

/* The sorted aggregates added to ledger_agg, AGG_BATCH per statement: one round trip each
 * on PostgreSQL, where a statement per aggregate made the round trips most of a 1M-row
 * import. */
static int upsert_aggs(importer *im)
{
	s75_db *db = im->db;
	sql_stmt *up = NULL;
	int rc = 0;
	for (size_t i = 0; i < im->naggs; i += AGG_BATCH) {
		size_t n = im->naggs - i < AGG_BATCH ? im->naggs - i : AGG_BATCH;
		if (!up || n < AGG_BATCH) {
			sql_finalize(up);
			up = NULL;
			if ((rc = prepare_agg_upsert(db, &up, n)))
				goto done;
		}
		for (size_t j = 0; j < n; j++) {
			const agg *a = &im->aggs[i + j];
			int p = (int)j * 7;
			sql_bind_int(up, p + 1, a->fy);
			sql_bind_int(up, p + 2, a->period);
			sql_bind_text(up, p + 3, im->ag->cost_centres[a->cc].code, -1);
			sql_bind_text(up, p + 4, im->ag->partners[a->partner].id, -1);
			sql_bind_int(up, p + 5, a->kind);
			sql_bind_int64(up, p + 6, a->rows);
			sql_bind_int64(up, p + 7, a->amount);
		}
		if (sql_step(up) != SQL_DONE) {
			rc = db_error(db, "cannot record the aggregates");
			goto done;
		}
		sql_reset(up);
	}
done:
	sql_finalize(up);
	return rc;
}

/* The same on a back end that can copy (PostgreSQL): the sorted aggregates by one COPY into
 * a temporary table, then added to ledger_agg by one statement, where 238 statements of 256
 * took a third of a 1M-row import. Their sums were checked in C (check_agg_totals). */
static int copy_aggs(importer *im)
{
	s75_db *db = im->db;
	db_copy *c = NULL;
	int rc;
	if ((rc = db_exec(db, "CREATE TEMPORARY TABLE s75_agg_in(fy INTEGER, period INTEGER, cost_centre TEXT,"
			      " partner TEXT, kind INTEGER, rows BIGINT, amount BIGINT) ON COMMIT DROP")) ||
	    (rc = db_copy_begin(db, &c, "s75_agg_in(fy, period, cost_centre, partner, kind, rows, amount)")))
		goto done;
	for (size_t i = 0; i < im->naggs && !rc; i++) {
		const agg *a = &im->aggs[i];
		const char *code = im->ag->cost_centres[a->cc].code, *pid = im->ag->partners[a->partner].id;
		db_copy_int64(c, a->fy);
		db_copy_int64(c, a->period);
		db_copy_text(c, code, strlen(code));
		db_copy_text(c, pid, strlen(pid));
		db_copy_int64(c, a->kind);
		db_copy_int64(c, a->rows);
		db_copy_int64(c, a->amount);
		rc = db_copy_row_end(c);
	}
	int end = db_copy_end(c, !rc);
	c = NULL;
	if (!rc)
		rc = end;
	/* dropped at once: another import in the same transaction makes its own */
	if (rc ||
	    (rc = db_exec(db, "INSERT INTO ledger_agg(fy, period, cost_centre, partner, kind, rows, amount)"
			      " SELECT fy, period, cost_centre, partner, kind, rows, amount FROM s75_agg_in"
			      " ON CONFLICT(fy, period, cost_centre, partner, kind) DO UPDATE SET"
			      " rows = ledger_agg.rows + excluded.rows, amount = ledger_agg.amount + excluded.amount;"
			      " DROP TABLE s75_agg_in")))
		goto done;
done:
	db_copy_end(c, false);
	return rc ? db_error(db, "cannot record the aggregates") : 0;
}

/* Writes the aggregates, totals and final counts; checks the file was not imported before. */
static int finish(importer *im, const char *kind)
{
	s75_import_result *r = im->res;
	s75_db *db = im->db;
	int rc;

	if ((rc = batch_check_duplicate(db, kind, im->batch_id, im->name, r)))
		return rc;

	if (im->naggs) {
		/* in the table's key order, so the upserts walk the B-tree once */
		sort_aggs(im);
		if ((rc = check_agg_totals(im)))
			goto done;
		rc = db_can_copy(db) ? copy_aggs(im) : upsert_aggs(im);
		if (rc)
			goto done;
	}
	control_totals(im);
	rc = batch_record(db, im->batch_id, kind, im->name, im->o->now, r, NULL);
done:
	return rc;
}

static int cmp_unknown(const void *pa, const void *pb)
{
	const s75_unknown_cc *a = pa, *b = pb;
	uint64_t x = a->total < 0 ? 0 - (uint64_t)a->total : (uint64_t)a->total;
	uint64_t y = b->total < 0 ? 0 - (uint64_t)b->total : (uint64_t)b->total;
	if (x != y)
		return x > y ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* A known code or mapped name spelt nearly as `code` (case, a letter or two), or NULL. */
static char *suggest(const importer *im, const char *code)
{
	const s75_agreement *ag = im->ag;
	const s75_import_profile *p = im->o->profile ? s75_agreement_find_profile(ag, im->o->profile) : NULL;
	size_t n = strlen(code);
	int max = n <= 3 ? 0 : n <= 6 ? 1 : 2, best = max + 1;
	const char *pick = NULL;
	for (size_t i = 0; i < ag->ncost_centres; i++) {
		const char *c = ag->cost_centres[i].code;
		int d = text_distance(code, n, c, strlen(c), max);
		if (d < best)
			best = d, pick = c;
	}
	for (size_t i = 0; p && i < p->ncc_map; i++) {
		const char *c = p->cc_map[i].written;
		if (p->cc_map[i].glob)
			continue;
		int d = text_distance(code, n, c, strlen(c), max);
		if (d < best)
			best = d, pick = c;
	}
	return pick ? xstrdup(pick) : NULL;
}

/* The unknown cost centres, largest amount first, each with a near spelling if any. */
static void sort_unknown(importer *im)
{
	s75_import_result *r = im->res;
	if (!r->nunknown)
		return;
	qsort(r->unknown, r->nunknown, sizeof(*r->unknown), cmp_unknown);
	for (size_t i = 0; i < r->nunknown && i < 200; i++)
		r->unknown[i].suggestion = suggest(im, r->unknown[i].code);
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
	im->cd_out = (iconv_t)-1;
	s75_buf_init(&im->header_raw);
	s75_buf_init(&im->scratch);
	im->sha = s75_sha256_new();
	im->aggmap = s75_u64map_new();
	im->unknown_map = s75_strmap_new();
	im->tot_rows = xcalloc(ag->npartners * S75_TXN_NKINDS + 1, sizeof(long));
	im->tot_amount = xcalloc(ag->npartners * S75_TXN_NKINDS + 1, sizeof(int64_t));
}

/* Commits when all is well; otherwise rolls back and leaves nothing behind. */
static int importer_end(importer *im, int rc, const char *kind)
{
	s75_import_result *r = im->res;
	bool atomic_fail = !im->o->reject_path && r->error_count > 0;
	if (!rc && atomic_fail)
		rc = S75_EINVALID;
	if (!rc && im->parsed && r->rows_imported == 0 && r->rows_read > 0)
		rc = s75_error_set(S75_EINVALID, "no row of '%s' could be imported", im->name);
	if (!rc && r->rows_read == 0 && r->error_count == 0)
		rc = file_error(im, 0, "no data rows after the header");
	if (!rc && im->in_tx)
		rc = finish(im, kind);
	else if (!rc && im->o->validate_only)
		control_totals(im); /* what an import would record */
	if (!rc)
		rc = close_reject(im, true);
	if (!rc && im->in_tx)
		rc = db_commit(im->db);
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
	if (im->cd_out != (iconv_t)-1)
		iconv_close(im->cd_out);
	for (size_t i = 0; im->conv && i <= im->ncols; i++)
		s75_buf_release(&im->conv[i]);
	free(im->conv);
	s75_buf_release(&im->header_raw);
	s75_buf_release(&im->scratch);
	for (size_t i = 0; im->hdr && i < im->ncols; i++)
		free(im->hdr[i]);
	free(im->hdr);
	sort_unknown(im);
	s75_u64map_free(im->aggmap);
	free(im->aggs);
	s75_strmap_free(im->unknown_map);
	free(im->tot_rows);
	free(im->tot_amount);
	return rc;
}

/* Reads the file in the profile's encoding (Windows-1252 through iconv). */
static int set_encoding(importer *im, const s75_import_profile *p)
{
	im->encoding = p->encoding;
	if (p->encoding == S75_ENC_WINDOWS_1252 &&
	    (im->cd = iconv_open("UTF-8", "WINDOWS-1252")) == (iconv_t)-1)
		return s75_error_set(S75_EIO, "cannot convert from Windows-1252: %s", strerror(errno));
	return 0;
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
		s75_text_trim(&kind, &klen);
		for (size_t i = 0; i < p->nkind_values; i++)
			if (strlen(p->kind_values[i].match) == klen &&
			    !strncasecmp(p->kind_values[i].match, kind, klen)) {
				*out = p->kind_values[i].kind;
				return 0;
			}
		s75_buf exp = S75_BUF_INIT;
		for (size_t i = 0; i < p->nkind_values; i++)
			s75_buf_printf(&exp, "%s%s", i ? ", " : "", p->kind_values[i].match);
		row_error(im, "'%s': unknown kind '%.*s' (expected one of: %s)", im->hdr[im->col[S75_F_KIND]],
			  (int)klen, kind, exp.ptr);
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
		      bool empty_ok, int64_t *out)
{
	size_t len;
	const char *s = field(im, f, c, &len);
	if (!s)
		return -1;
	s75_text_trim(&s, &len);
	if (!len && empty_ok) {
		*out = 0;
		return 0;
	}
	if (s75_money_parse(out, s, len, p->unit, 0)) {
		row_error(im, "'%s': %s", im->hdr[c], s75_error_last());
		return -1;
	}
	return 0;
}

/* Counts a row that is not a transaction under `reason`. */
static void skip_row(importer *im, const char *reason)
{
	s75_import_result *r = im->res;
	size_t i;
	for (i = 0; i < r->nskipped; i++)
		if (!strcmp(r->skipped[i].reason, reason))
			break;
	if (i == r->nskipped) {
		ALLOC_GROW(r->skipped, r->nskipped + 1, im->alloc_skipped);
		r->skipped[i].reason = xstrdup(reason);
		r->skipped[i].rows = 0;
		r->nskipped++;
	}
	r->skipped[i].rows++;
	r->rows_skipped++;
}

/*
 * The file's sha256, before any row is read: a file imported already is refused as
 * such, not reported row by row.
 */
static int prehash(importer *im, const char *path, const char *kind)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *blk;
	size_t n;
	if (!fp)
		return s75_error_set(S75_EIO, "cannot open '%s': %s", im->name, strerror(errno));
	blk = xmalloc(1 << 20);
	while ((n = fread(blk, 1, 1 << 20, fp)) > 0)
		s75_sha256_update(im->sha, blk, n);
	free(blk);
	if (ferror(fp)) {
		fclose(fp);
		return s75_error_set(S75_EIO, "cannot read '%s'", im->name);
	}
	fclose(fp);
	s75_sha256_final_hex(im->sha, im->res->sha256);
	im->sha = NULL;
	return batch_check_duplicate(im->db, kind, 0, im->name, im->res);
}

/* The folded text of column `c` of the row in im->scratch (empty if the row is short);
 * -1 after reporting text that is not readable. */
static int cell_folded(importer *im, const rec *r, int c, const char **out, size_t *len)
{
	const char *s = "";
	size_t n = 0;
	if (c >= 0 && (size_t)c < r->nf && (size_t)c < im->ncols) {
		if (!(s = field(im, r->f, c, &n)))
			return -1;
	} else if (c >= 0 && (size_t)c < r->nf) {
		s = r->f[c].ptr;
		n = r->f[c].len;
	}
	s75_buf_reset(&im->scratch);
	s75_buf_grow(&im->scratch, n + 1);
	*len = text_fold(im->scratch.ptr, n + 1, s, n);
	*out = im->scratch.ptr;
	return 0;
}

/* Whether a rule holds for the row: 1, 0, or -1 (the row was reported). */
static int rule_holds(importer *im, const s75_row_rule *rule, const int *cols, const rec *r)
{
	for (size_t k = 0; k < rule->nconds; k++) {
		const s75_cond *c = &rule->conds[k];
		const char *s;
		size_t n;
		bool ok = false;
		if (cell_folded(im, r, cols[k], &s, &n))
			return -1;
		if (c->op == S75_COND_EMPTY)
			ok = n == 0;
		for (size_t v = 0; v < c->nvalues && !ok; v++) {
			const char *fold = c->folded[v];
			size_t vn = strlen(fold);
			if (c->op == S75_COND_MATCHES)
				ok = text_glob(fold, s, n);
			else
				ok = c->op == S75_COND_STARTS_WITH ? n >= vn && !memcmp(s, fold, vn)
								   : n == vn && !memcmp(s, fold, vn);
		}
		if (!ok)
			return 0;
	}
	return 1;
}

/* The header positions of each condition of a list of rules, flattened in order. */
static int rule_columns(importer *im, const s75_row_rule *rules, size_t n, const char *key,
			size_t nf, int **out)
{
	size_t total = 0, at = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++)
		total += rules[i].nconds;
	*out = xcalloc(total + 1, sizeof(int));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < rules[i].nconds; k++) {
			const s75_column *c = &rules[i].conds[k].column;
			int col = find_column(im, c, nf);
			/* a field's name (cost_centre, date ...) stands for its column */
			for (int f = 0; col < 0 && c->name && f < S75_F_COUNT; f++)
				if (!strcmp(c->name, s75_field_name((s75_field)f)))
					col = im->col[f];
			if (col < 0 && !rc) {
				s75_buf b = S75_BUF_INIT;
				column_names(&b, c);
				rc = file_error(im, s75_csv_line(im->csv), "%s names %s, which the header does not have",
						key, b.ptr);
				s75_buf_release(&b);
			}
			(*out)[at++] = col;
		}
	return rc;
}

/* The first rule of a list that holds: its index, -1 if none, -2 if the row was reported. */
static int first_rule(importer *im, const s75_row_rule *rules, size_t n, const int *cols,
		      const rec *r)
{
	for (size_t i = 0; i < n; i++) {
		int h = rule_holds(im, &rules[i], cols, r);
		if (h < 0)
			return -2;
		if (h)
			return (int)i;
		cols += rules[i].nconds;
	}
	return -1;
}

/* A cost centre by its code, or through the profile's map; -1 if neither knows it. */
static int resolve_cc(importer *im, const s75_import_profile *p, const char *s, size_t len)
{
	int cc = s75_agreement_find_cost_centre(im->ag, s, len);
	if (cc >= 0 || !p->ncc_map)
		return cc;
	char buf[256];
	size_t n = text_fold(buf, sizeof(buf), s, len);
	if (n >= sizeof(buf))
		return -1;
	int k = s75_strmap_get(p->cc_map_index, buf, n);
	if (k >= 0)
		return p->cc_map[k].cost_centre;
	for (size_t i = 0; i < p->ncc_map; i++)
		if (p->cc_map[i].glob && text_glob(p->cc_map[i].pattern, buf, n))
			return p->cc_map[i].cost_centre;
	return -1;
}

/* The amount of a row as the file states it (amount, or debit - credit), for the
 * total of rows outside the pool; false if it cannot be read. */
static bool stated_amount(importer *im, const s75_import_profile *p, const rec *r, int64_t *out)
{
	int cols[3] = {im->col[S75_F_AMOUNT], im->col[S75_F_DEBIT], im->col[S75_F_CREDIT]};
	int64_t v[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		if (cols[k] < 0 || (size_t)cols[k] >= r->nf)
			continue;
		const char *s = r->f[cols[k]].ptr;
		size_t len = r->f[cols[k]].len;
		s75_text_trim(&s, &len);
		if (len && s75_money_parse(&v[k], s, len, p->unit, 0))
			return false;
	}
	return !__builtin_add_overflow(v[0], v[1], out) && !__builtin_sub_overflow(*out, v[2], out);
}

/* A row dated in a closed period and posted to a later open one: its line and that period. */
typedef struct prior_row {
	long line;
	int fy, period;
} prior_row;

/* Everything the rows of one actuals import share. */
typedef struct actx {
	const s75_import_profile *p;
	stage *stage; /* the good rows, until the write lock is taken; NULL when only checking */
	db_txn_stream *copy; /* else, where the good rows go as they are read (the lock taken
			      * first: a back end that streams them into txn), or NULL */
	stage *stage2; /* those of the file's second half when it was read apart (NULL if not), */
	long line_base2; /* their lines counted from this one */
	s75_date *ends;
	s75_date ag_end; /* the agreement's last day (with extensions), 0 if open-ended */
	bool fixed;
	s75_period period;
	int year;
	int *skip_cols, *incl_cols, *excl_cols;
	period_set *closed; /* the closed periods when the file was opened */
	prior_row *prior; /* the prior-period items among the rows read (few), */
	size_t nprior, alloc_prior; /* by their line in the whole file */
	bool any_closed;
	bool late_to_open;
} actx;

/* True if every field of the record is empty or spaces. */
static bool all_empty(const rec *r)
{
	for (size_t i = 0; i < r->nf; i++) {
		const char *s = r->f[i].ptr;
		size_t n = r->f[i].len;
		s75_text_trim(&s, &n);
		if (n)
			return false;
	}
	return true;
}

/* A row dated in a period closed for its partner: a bad row, or (late_to_open) moved to the
 * first open period after it, a prior-period item. 0 to go on with the row, 1 if it is bad. */
static int late_row(importer *im, actx *a, s75_period *per, int partner, s75_date date)
{
	char pb[16], ob[16], what[200], d[11];
	s75_period open;
	if (!period_set_closed(a->closed, *per, partner))
		return 0;
	s75_period_format(pb, *per);
	const char *who = im->ag->partners[partner].name ? im->ag->partners[partner].name : im->ag->partners[partner].id;
	int dc = im->col[S75_F_DATE] >= 0 ? im->col[S75_F_DATE] : im->col[S75_F_PERIOD];
	bool next = !period_set_first_open(a->closed, *per, partner, &open);
	/* the field and its value, as the other row errors name them */
	if (dc >= 0 && date)
		snprintf(what, sizeof(what), "'%s': %s is in %s, which", im->hdr[dc], s75_date_format(d, date), pb);
	else if (dc >= 0)
		snprintf(what, sizeof(what), "'%s': %s", im->hdr[dc], pb);
	else
		snprintf(what, sizeof(what), "the file's period %s", pb);
	if (!next) {
		row_error(im, "%s is closed for %s and no later period of the agreement is open", what, who);
		return 1;
	}
	s75_period_format(ob, open);
	if (!a->late_to_open) {
		row_error(im, "%s is closed for %s (import with --late-to-open to post the row to %s as a prior-period item, or reopen %s)",
			  what, who, ob, pb);
		return 1;
	}
	*per = open;
	im->res->rows_prior++;
	return 0;
}

/* Reads one row of an actuals file; a non-zero return stops the import. */
static int actuals_row(importer *im, actx *a, const rec *r)
{
	const s75_import_profile *p = a->p;
	const s75_agreement *ag = im->ag;
	s75_import_result *res = im->res;
	const s75_csv_field *f = r->f;
	size_t nf = r->nf;
	const int *col = im->col;
	size_t len;
	const char *s;
	s75_date date = 0;
	s75_period per;
	int partner = p->partner, cc, k;
	s75_txn_kind kind;
	int64_t amount = 0, debit = 0, credit = 0;
	const char *account = NULL, *kindtext = NULL;
	size_t klen = 0, alen = 0;

	im->cur = r;
	res->rows_read++;
	progress(im);
	if (all_empty(r)) {
		skip_row(im, "empty row");
		return 0;
	}
	if ((k = first_rule(im, p->skip_when, p->nskip_when, a->skip_cols, r)) != -1) {
		if (k >= 0)
			skip_row(im, p->skip_when[k].label);
		return 0;
	}
	int in = p->ninclude_when ? first_rule(im, p->include_when, p->ninclude_when, a->incl_cols, r) : 0;
	int out = in == -2 ? -2 : in == -1 ? 0 : first_rule(im, p->exclude_when, p->nexclude_when, a->excl_cols, r);
	if (in == -2 || out == -2)
		return 0;
	if (in == -1 || out >= 0) {
		int64_t v;
		res->rows_outside++;
		if (!stated_amount(im, p, r, &v))
			return 0;
		im->abs_outside = abs_add(im->abs_outside, v);
		if (__builtin_add_overflow(res->outside_total, v, &res->outside_total))
			res->outside_total = v > 0 ? INT64_MAX : INT64_MIN;
		return 0;
	}
	if (nf < im->ncols || (nf > im->ncols && p->extra_fields != S75_EXTRA_IGNORE)) {
		row_error(im, "expected %zu fields as in the header, found %zu%s", im->ncols, nf,
			  nf > im->ncols ? " (if the extra fields are empty or not needed, set 'extra_fields: ignore' in the profile)" : "");
		return 0;
	}
	if (a->fixed) {
		per = a->period;
		date = s75_period_end(per);
	} else if (col[S75_F_DATE] >= 0) {
		if (!(s = field(im, f, col[S75_F_DATE], &len)))
			return 0;
		if (s75_date_parse_fmt(&date, s, len, p->date_format)) {
			row_error(im, "'%s': %s", im->hdr[col[S75_F_DATE]], s75_error_last());
			return 0;
		}
		per = s75_period_of_date(date);
	} else {
		if (!(s = field(im, f, col[S75_F_PERIOD], &len)))
			return 0;
		s75_text_trim(&s, &len);
		int bad;
		if (p->period_format) {
			bad = s75_period_parse_fmt(&per, s, len, p->period_format, p->period_year, a->year);
		} else {
			char tmp[32];
			snprintf(tmp, sizeof(tmp), "%.*s", (int)(len < 31 ? len : 31), s);
			bad = s75_period_parse(&per, tmp);
		}
		if (bad) {
			row_error(im, "'%s': %s", im->hdr[col[S75_F_PERIOD]], s75_error_last());
			return 0;
		}
		date = s75_period_end(per);
	}
	/* a row the reports cannot show is refused, so control totals equal what they show */
	s75_date first = col[S75_F_DATE] >= 0 ? date : s75_period_start(per);
	if (date < ag->start || (a->ag_end && first > a->ag_end)) {
		char d[11], e[11];
		bool before = date < ag->start;
		int dc = col[S75_F_DATE] >= 0 ? col[S75_F_DATE] : col[S75_F_PERIOD];
		char pb[12];
		if (dc >= 0)
			row_error(im, "'%s': %s is %s the agreement (%s %s)", im->hdr[dc],
				  col[S75_F_DATE] >= 0 ? s75_date_format(d, date) : s75_period_format(pb, per),
				  before ? "before the start of" : "after the end of",
				  before ? "it starts" : "it ends",
				  s75_date_format(e, before ? ag->start : a->ag_end));
		else
			row_error(im, "the file's period %s is %s the agreement (%s %s)",
				  s75_period_format(pb, per), before ? "before the start of" : "after the end of",
				  before ? "it starts" : "it ends",
				  s75_date_format(e, before ? ag->start : a->ag_end));
		return 0;
	}
	if (col[S75_F_PARTNER] >= 0) {
		if (!(s = field(im, f, col[S75_F_PARTNER], &len)))
			return 0;
		s75_text_trim(&s, &len);
		/* partners are few: compare in place rather than copy each row's id */
		partner = -1;
		for (size_t i = 0; i < ag->npartners && partner < 0; i++)
			if (ag->partners[i].id && strlen(ag->partners[i].id) == len &&
			    !memcmp(ag->partners[i].id, s, len))
				partner = (int)i;
		if (partner < 0) {
			row_error(im, "'%s': unknown partner '%.*s'", im->hdr[col[S75_F_PARTNER]],
				  (int)(len < 127 ? len : 127), s);
			return 0;
		}
	}
	if (col[S75_F_ACCOUNT] >= 0 && !(account = field(im, f, col[S75_F_ACCOUNT], &alen)))
		return 0;
	if (col[S75_F_KIND] >= 0 && !(kindtext = field(im, f, col[S75_F_KIND], &klen)))
		return 0;
	if (row_kind(im, p, kindtext, klen, account, &kind))
		return 0;
	if (col[S75_F_AMOUNT] >= 0) {
		if (row_amount(im, p, f, col[S75_F_AMOUNT], false, &amount))
			return 0;
	} else {
		if (col[S75_F_DEBIT] >= 0 && row_amount(im, p, f, col[S75_F_DEBIT], true, &debit))
			return 0;
		if (col[S75_F_CREDIT] >= 0 && row_amount(im, p, f, col[S75_F_CREDIT], true, &credit))
			return 0;
		if (__builtin_sub_overflow(debit, credit, &amount)) {
			row_error(im, "debit less credit is out of range");
			return 0;
		}
	}
	/* to the kind's own sign: spent, received or paid positive */
	if (p->sign == S75_SIGN_CREDIT_POSITIVE)
		amount = -amount;
	if (p->sign != S75_SIGN_AS_KIND && kind == S75_TXN_INCOME)
		amount = -amount;
	if (!(s = field(im, f, col[S75_F_COST_CENTRE], &len)))
		return 0;
	s75_text_trim(&s, &len);
	if ((cc = resolve_cc(im, p, s, len)) < 0) {
		note_unknown(im, s, len, amount);
		row_error(im, "'%s': unknown cost centre '%.*s'", im->hdr[col[S75_F_COST_CENTRE]],
			  (int)len, s);
		return 0;
	}
	int pool = ag->cost_centres[cc].pool;
	if (pool >= 0 && a->ends[pool] && s75_period_start(per) > a->ends[pool]) {
		char e[11], pb[12];
		row_error(im, "pool '%s' ended on %s: it takes no periods after its end (%s)",
			  ag->arrangements[pool].id, s75_date_format(e, a->ends[pool]),
			  s75_period_format(pb, per));
		return 0;
	}
	if (!s75_agreement_find_year(ag, per.fy)) {
		char fy[8];
		row_error(im, "the agreement has no year %s (add it under 'years' to import its rows)",
			  s75_fy_format(fy, per.fy));
		return 0;
	}
	/* a closed period takes no rows: refused, or posted to the first open period */
	s75_period dated = per;
	if (a->any_closed && late_row(im, a, &per, partner, col[S75_F_DATE] >= 0 ? date : 0))
		return 0;
	/* the free text too must be readable before the row counts */
	const char *text[2] = {NULL, NULL};
	size_t tlen[2] = {0, 0};
	for (int t = 0; t < 2; t++) {
		int c = col[t ? S75_F_REFERENCE : S75_F_DESCRIPTION];
		if (c >= 0 && !(text[t] = field(im, f, c, &tlen[t])))
			return 0;
	}
	if (res->error_count && !im->o->reject_path)
		return 0; /* nothing will be imported: only look for more errors */
	if (!aggregate(im, per.fy, per.p, cc, partner, kind, amount)) {
		row_error(im, "totals out of range");
		return 0;
	}
	long line = r->line;
	if (line < 0 || line > 0xFFFFFFFFL) {
		row_error(im, "more lines than one import can hold (4,294,967,295)");
		return 0;
	}
	res->rows_imported++;
	if (!a->stage)
		return 0; /* only checking (validate_only) */
	/* kept by line: the batch's id is known once the lock is taken (a record is at most
	 * 1 MB, so every length fits) */
	stage_row sr = {.line = (uint32_t)line, .date = date, .fy = per.fy, .period = per.p,
			.partner = partner, .cost_centre = cc, .kind = kind, .amount = amount,
			.text = {account, text[0], text[1]},
			.len = {(uint32_t)strnlen(account ? account : "", alen), (uint32_t)tlen[0], (uint32_t)tlen[1]}};
	if ((dated.fy != per.fy || dated.p != per.p)) {
		/* a prior-period item: its txn id and the period it is dated in */
		ALLOC_GROW(a->prior, a->nprior + 1, a->alloc_prior);
		a->prior[a->nprior++] = (prior_row){.line = line, .fy = dated.fy, .period = dated.p};
	}
	return a->copy ? db_txn_stream_put(a->copy, &sr) : stage_put(a->stage, &sr);
}

/* Copies the reader's current record into `s`, to be read later. */
static void save_rec(importer *im, saved_rec *s, const s75_csv_field *f, size_t nf)
{
	size_t total = 0;
	for (size_t i = 0; i < nf; i++)
		total += f[i].len + 1;
	s75_buf_reset(&s->data);
	s75_buf_grow(&s->data, total + 1);
	ALLOC_GROW(s->fields, nf + 1, s->alloc);
	char *q = s->data.ptr;
	for (size_t i = 0; i < nf; i++) {
		memcpy(q, f[i].ptr, f[i].len);
		q[f[i].len] = '\0';
		s->fields[i] = f[i];
		s->fields[i].ptr = q;
		q += f[i].len + 1;
	}
	s->r.f = s->fields;
	s->r.nf = nf;
	s->r.line = s75_csv_line(im->csv);
	s75_buf_reset(&s->raw);
	size_t len = 0;
	const char *raw = s75_csv_raw(im->csv, &len);
	if (raw && len)
		s75_buf_add(&s->raw, raw, len);
	s->r.raw = s->raw.ptr ? s->raw.ptr : "";
	s->r.rawlen = s->raw.len;
}

/*
 * The second half of a large file, read on a second thread while the first half is read
 * on this one. Its work is kept only if neither half found anything to report and the
 * first half ended exactly where the second began (a quoted field holding a line end
 * there would have misled the split); otherwise it is thrown away and the first thread
 * reads on, so every message, count and row is the same as from one reader.
 */
typedef struct half {
	importer im;
	actx a;
	s75_import_options o;
	s75_import_result res;
	const char *path;
	long long start;
	atomic_int *stop;
	int rc; /* non-zero: the half cannot be used */
	pthread_t thread;
} half;

/* Files smaller than this are read by one thread (S75_IMPORT_SPLIT_MIN, in bytes, changes
 * it: the tests use 1 to read even small files in halves). */
static long long split_min(void)
{
	const char *e = getenv("S75_IMPORT_SPLIT_MIN");
	return e && *e ? atoll(e) : 8LL << 20;
}

/* Where the second half starts: just after the first line end past the middle of the
 * file; false if the file is too small or has none. */
static bool split_point(importer *im, const char *path, long long *start)
{
	long long done, size, mid;
	s75_csv_progress(im->csv, &done, &size);
	mid = size / 2;
	if (size <= 0 || size < split_min() || mid < done)
		return false;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return false;
	bool found = false;
	char buf[4096];
	size_t n;
	if (!fseeko(fp, (off_t)mid, SEEK_SET))
		for (long long at = mid; !found && at < mid + (1 << 20) && (n = fread(buf, 1, sizeof(buf), fp)) > 0; at += (long long)n) {
			char *nl = memchr(buf, '\n', n);
			if (nl) {
				*start = at + (nl - buf) + 1;
				found = *start < size;
			}
			if (nl)
				break;
		}
	fclose(fp);
	return found;
}

static void *half_run(void *arg)
{
	half *h = arg;
	importer *m = &h->im;
	const s75_csv_field *f;
	size_t nf;
	int r = 0;
	if (m->encoding == S75_ENC_WINDOWS_1252 &&
	    (m->cd = iconv_open("UTF-8", "WINDOWS-1252")) == (iconv_t)-1) {
		h->rc = S75_EIO;
		return NULL;
	}
	if ((h->rc = s75_csv_open(&m->csv, h->path, m->name, m->delim)) ||
	    (h->rc = s75_csv_range(m->csv, h->start, 0)))
		return NULL;
	s75_csv_keep_raw(m->csv, 0);
	if (!h->o.validate_only && (h->rc = stage_new(&h->a.stage)))
		return NULL;
	while (!atomic_load(h->stop) && (r = s75_csv_next(m->csv, &f, &nf)) > 0) {
		if (nf == 1 && f[0].len == 0)
			continue;
		m->live.f = f;
		m->live.nf = nf;
		m->live.line = s75_csv_line(m->csv);
		m->live.raw = "";
		m->live.rawlen = 0;
		if ((h->rc = actuals_row(m, &h->a, &m->live)))
			return NULL;
		if (h->res.error_count || h->res.nunknown)
			break; /* of no use: the first thread will read this half itself */
	}
	if (r != 0 || atomic_load(h->stop) || h->res.error_count || h->res.nunknown)
		h->rc = S75_EINVALID;
	return NULL;
}

static void half_free(half *h)
{
	importer *m = &h->im;
	s75_csv_free(m->csv);
	if (m->cd != (iconv_t)-1)
		iconv_close(m->cd);
	for (size_t i = 0; i <= m->ncols; i++)
		s75_buf_release(&m->conv[i]);
	free(m->conv);
	s75_buf_release(&m->scratch);
	s75_u64map_free(m->aggmap);
	free(m->aggs);
	s75_strmap_free(m->unknown_map);
	free(m->tot_rows);
	free(m->tot_amount);
	stage_free(h->a.stage);
	free(h->a.prior);
	s75_import_result_release(&h->res);
	free(h);
}

/* Starts reading the second half from `start`; NULL if no thread could be started. */
static half *half_start(importer *im, actx *a, const char *path, long long start, atomic_int *stop)
{
	const s75_agreement *ag = im->ag;
	half *h = xcalloc(1, sizeof(*h));
	importer *m = &h->im;
	h->o = *im->o;
	h->o.progress = NULL; /* the caller's callback is called from its own thread only */
	h->path = path;
	h->start = start;
	h->stop = stop;
	m->db = im->db;
	m->ag = ag;
	m->o = &h->o;
	m->res = &h->res;
	m->name = im->name;
	m->delim = im->delim;
	m->hdr = im->hdr; /* read only, and the first thread's */
	memcpy(m->col, im->col, sizeof(m->col));
	m->ncols = im->ncols;
	m->encoding = im->encoding;
	m->cd = m->cd_out = (iconv_t)-1;
	m->conv = xcalloc(m->ncols + 1, sizeof(s75_buf));
	for (size_t i = 0; i <= m->ncols; i++)
		s75_buf_init(&m->conv[i]);
	s75_buf_init(&m->scratch);
	m->aggmap = s75_u64map_new();
	m->unknown_map = s75_strmap_new();
	m->tot_rows = xcalloc(ag->npartners * S75_TXN_NKINDS + 1, sizeof(long));
	m->tot_amount = xcalloc(ag->npartners * S75_TXN_NKINDS + 1, sizeof(int64_t));
	h->a = *a;
	h->a.stage = h->a.stage2 = NULL;
	h->a.copy = NULL; /* the second half's rows wait in its own file */
	h->a.prior = NULL;
	h->a.nprior = h->a.alloc_prior = 0;
	if (pthread_create(&h->thread, NULL, half_run, h)) {
		half_free(h);
		return NULL;
	}
	return h;
}

/* Adds the second half's work to the first's, if it can be used as it is. */
static bool half_merge(importer *im, actx *a, half *h)
{
	s75_import_result *r = im->res, *r2 = &h->res;
	long long done, size;
	s75_csv_progress(im->csv, &done, &size);
	long base = s75_csv_line(im->csv) - 1; /* the lines before the second half */
	uint64_t am = h->im.abs_amounts, ao = h->im.abs_outside;
	if (h->rc || done != h->start || r->error_count || r2->error_count || r2->nunknown ||
	    am >= INT64_MAX || im->abs_amounts >= INT64_MAX - am || ao >= INT64_MAX ||
	    im->abs_outside >= INT64_MAX - ao || base + s75_csv_line(h->im.csv) > 0xFFFFFFFFL)
		return false;
	/* no total can overflow (the sums of sizes are in range), so plain additions */
	for (size_t i = 0; i < h->im.naggs; i++) {
		const agg *x = &h->im.aggs[i];
		agg *y = agg_find(im, x->fy, x->period, x->cc, x->partner, x->kind);
		y->rows += x->rows;
		y->amount += x->amount;
	}
	for (size_t i = 0; i < im->ag->npartners * S75_TXN_NKINDS; i++) {
		im->tot_rows[i] += h->im.tot_rows[i];
		im->tot_amount[i] += h->im.tot_amount[i];
	}
	im->abs_amounts += am;
	im->abs_outside += ao;
	r->rows_read += r2->rows_read;
	r->rows_imported += r2->rows_imported;
	r->rows_outside += r2->rows_outside;
	r->outside_total += r2->outside_total;
	for (size_t k = 0; k < r2->nskipped; k++) {
		size_t i;
		for (i = 0; i < r->nskipped; i++)
			if (!strcmp(r->skipped[i].reason, r2->skipped[k].reason))
				break;
		if (i == r->nskipped) {
			ALLOC_GROW(r->skipped, r->nskipped + 1, im->alloc_skipped);
			r->skipped[i].reason = xstrdup(r2->skipped[k].reason);
			r->skipped[i].rows = 0;
			r->nskipped++;
		}
		r->skipped[i].rows += r2->skipped[k].rows;
	}
	r->rows_skipped += r2->rows_skipped;
	r->rows_prior += r2->rows_prior;
	for (size_t k = 0; k < h->a.nprior; k++) {
		ALLOC_GROW(a->prior, a->nprior + 1, a->alloc_prior);
		a->prior[a->nprior] = h->a.prior[k];
		a->prior[a->nprior++].line += base;
	}
	a->stage2 = h->a.stage;
	a->line_base2 = base;
	h->a.stage = NULL;
	if (im->o->progress)
		im->o->progress(im->o->progress_data, size, size, r->rows_read);
	return true;
}

/* Reads an actuals file: header, columns, then every row (into a->ins when it is set). */
static int actuals_read(importer *im, actx *a, const char *path)
{
	const s75_import_profile *p = a->p;
	const s75_csv_field *f;
	size_t nf;
	saved_rec *ring = NULL;
	size_t nring = (size_t)p->skip_footer, ring_at = 0;
	int rc, r;
	half *h = NULL;
	atomic_int stop = 0;

	if ((rc = read_header(im, path, p->delimiter, p->skip_rows, &f, &nf)))
		return rc;
	if ((rc = map_columns(im, p, f, nf)))
		return rc;
	if ((rc = rule_columns(im, p->skip_when, p->nskip_when, "skip_when", nf, &a->skip_cols)) ||
	    (rc = rule_columns(im, p->include_when, p->ninclude_when, "include_when", nf, &a->incl_cols)) ||
	    (rc = rule_columns(im, p->exclude_when, p->nexclude_when, "exclude_when", nf, &a->excl_cols)))
		return rc;
	if (im->o->reject_path && (rc = open_reject(im)))
		return rc;
	/* with skip_footer, records wait in a ring until N more have been read */
	if (nring)
		ring = xcalloc(nring, sizeof(saved_rec));
	/* a large file is read in two halves at once (2 cores), unless a footer or a reject
	 * file needs the records in one sequence */
	long long start;
	if (!nring && !im->rej && split_point(im, path, &start) &&
	    (h = half_start(im, a, path, start, &stop)))
		s75_csv_range(im->csv, 0, start);
again:
	while ((r = s75_csv_next(im->csv, &f, &nf)) > 0) {
		if (nf == 1 && f[0].len == 0)
			continue; /* a blank line holds no row */
		im->live.f = f;
		im->live.nf = nf;
		im->live.line = s75_csv_line(im->csv);
		im->live.raw = s75_csv_raw(im->csv, &im->live.rawlen);
		if (!nring || all_empty(&im->live)) {
			if ((rc = actuals_row(im, a, &im->live)))
				goto done;
			continue;
		}
		saved_rec *slot = &ring[ring_at % nring];
		if (ring_at >= nring && (rc = actuals_row(im, a, &slot->r)))
			goto done;
		save_rec(im, slot, f, nf);
		ring_at++;
	}
	if (h && r == 0) {
		pthread_join(h->thread, NULL);
		bool merged = half_merge(im, a, h);
		half_free(h);
		h = NULL;
		if (!merged) {
			s75_csv_range(im->csv, 0, 0); /* read on from where the first half ended */
			goto again;
		}
	}
	if (r < 0) {
		rc = bad_record(im, r);
		goto done;
	}
	/* what is left in the ring is the footer */
	for (size_t i = ring_at > nring ? ring_at - nring : 0; i < ring_at; i++) {
		im->cur = &ring[i % nring].r;
		im->res->rows_read++;
		skip_row(im, "footer (skip_footer)");
		if (im->rej)
			reject_write(im, NULL);
	}
done:
	if (h) {
		atomic_store(&stop, 1);
		pthread_join(h->thread, NULL);
		half_free(h);
	}
	for (size_t i = 0; i < nring; i++) {
		s75_buf_release(&ring[i].data);
		s75_buf_release(&ring[i].raw);
		free(ring[i].fields);
	}
	free(ring);
	return rc;
}

/* Under the write lock: the prior-period items of the batch's rows (ids as stage_store()). */
static int store_prior(s75_db *db, const actx *a, int64_t batch_id)
{
	sql_stmt *pi = NULL;
	int rc = db_prepare(db, &pi, "INSERT INTO prior_item(txn_id, fy, period) VALUES (?, ?, ?)");
	for (size_t k = 0; !rc && k < a->nprior; k++) {
		sql_bind_int64(pi, 1, batch_id * 4294967296LL + a->prior[k].line);
		sql_bind_int(pi, 2, a->prior[k].fy);
		sql_bind_int(pi, 3, a->prior[k].period);
		if (sql_step(pi) != SQL_DONE)
			rc = db_error(db, "cannot store the prior-period items");
		sql_reset(pi);
	}
	sql_finalize(pi);
	return rc;
}

/* Nothing streamed is kept: the COPY refused and the transaction rolled back, so that
 * importer_end() finds the import as if it had read the file before taking the lock. */
static void unstream(importer *im, actx *a)
{
	if (!a->copy)
		return;
	db_txn_stream_end(a->copy, false);
	a->copy = NULL;
	db_exec(im->db, "ROLLBACK");
	im->in_tx = 0;
}

/* The whole command again while PostgreSQL picks its transaction to fail (db_retry()). */
static int import_actuals_once(s75_db *db, const s75_agreement *ag, const char *path,
		       const s75_import_options *o, s75_import_result *res);

int s75_import_actuals(s75_db *db, const s75_agreement *ag, const char *path,
		       const s75_import_options *o, s75_import_result *res)
{
	int rc, attempt = 0;
	while ((rc = import_actuals_once(db, ag, path, o, res)) && db_retry(db, rc, &attempt))
		s75_import_result_release(res);
	return rc;
}

static int import_actuals_once(s75_db *db, const s75_agreement *ag, const char *path,
		       const s75_import_options *o, s75_import_result *res)
{
	importer im;
	actx a;
	int rc;
	bool streamed = false; /* the rows go into txn as they are read */
	const char *pid = o->profile ? o->profile : "standard";
	const s75_import_profile *p = s75_agreement_find_profile(ag, pid);

	memset(&a, 0, sizeof(a));
	importer_init(&im, db, ag, o, res, path);
	if (!p) {
		rc = s75_error_set(S75_EINVALID, "no import profile '%s' in the agreement", pid);
		file_error(&im, 0, "%s", s75_error_last());
		goto end;
	}
	if (p->receipts) {
		rc = file_error(&im, 0, "profile '%s' reads receipts of contributions: import them with 'import payments'", p->id);
		goto end;
	}
	a.p = p;
	a.fixed = o->has_period || p->has_period;
	a.period = o->has_period ? o->period : p->period;
	a.year = o->year >= 0 ? o->year : p->year;
	a.ag_end = ag->has_end ? (ag->nextensions ? ag->extensions[ag->nextensions - 1].to : ag->end) : 0;
	if (o->has_period && (p->columns[S75_F_DATE].used || p->columns[S75_F_PERIOD].used)) {
		rc = file_error(&im, 0, "profile '%s' reads each row's %s from the file: --period is for files with no date",
				p->id, p->columns[S75_F_DATE].used ? "date" : "period");
		goto end;
	}
	if (!a.fixed && !p->columns[S75_F_DATE].used && !p->columns[S75_F_PERIOD].used) {
		rc = file_error(&im, 0, "profile '%s' has no date or period column: give the file's period with --period P",
				p->id);
		goto end;
	}
	if ((rc = prehash(&im, path, "actuals")))
		goto end;
	if ((rc = set_encoding(&im, p)))
		goto end;
	if ((rc = s75_arrangement_ends(&a.ends, db, ag)))
		goto end;
	if ((rc = period_set_load(&a.closed, db, ag)))
		goto end;
	a.any_closed = !period_set_empty(a.closed);
	a.late_to_open = o->late_to_open || p->late_to_open;
	/* the good rows wait in a file of the temporary folder (memory stays flat), which
	 * takes no lock on the workspace */
	if (!o->validate_only && (rc = stage_new(&a.stage)))
		goto end;
	/* a back end that can stream the rows into txn gets them while the file is read (its
	 * server and this process at work at once), holding the write lock while it reads:
	 * only when no other command holds the lock now, so that a file with a bad row is
	 * never kept waiting for another import to be told so (e2e import-parse-before-lock);
	 * else the rows wait in the temporary folder, as on SQLite */
	if (!o->validate_only && db_txn_can_stream(db)) {
		if ((rc = db_try_begin_write(db, &streamed)))
			goto end;
		if (streamed) {
			im.in_tx = 1; /* from here a failure rolls back */
			if ((rc = batch_add(db, "actuals", im.name, p->id, NULL, o->now, &im.batch_id)) ||
			    (rc = batch_check_duplicate(db, "actuals", im.batch_id, im.name, res)) ||
			    (rc = db_txn_stream_begin(db, &a.copy, ag, im.batch_id * 4294967296LL)))
				goto end;
		}
	}
	/* every row read and checked (without the write lock, unless streamed) */
	if ((rc = actuals_read(&im, &a, path))) {
		unstream(&im, &a);
		goto end;
	}
	im.parsed = 1;
	if (o->validate_only || (res->error_count && !o->reject_path) || !res->rows_imported) {
		unstream(&im, &a);
		goto end; /* nothing to store: importer_end() says why */
	}
	if (a.copy) {
		rc = db_txn_stream_end(a.copy, true);
		a.copy = NULL;
		if (rc)
			goto end;
	}
	/* the write lock, only now; another import holding it is waited for */
	if (!streamed && (rc = begin(&im, "actuals", p->id, NULL)))
		goto end;
	/* the same file may have been imported while this one was read */
	if (!streamed && (rc = batch_check_duplicate(db, "actuals", im.batch_id, im.name, res)))
		goto end;
	s75_date *ends = NULL;
	if ((rc = s75_arrangement_ends(&ends, db, ag)))
		goto end;
	bool same = !memcmp(ends, a.ends, ag->narrangements * sizeof(s75_date));
	free(ends);
	if (!same) {
		rc = file_error(&im, 0, "a pool's end date changed while the file was read (nothing was imported: import it again)");
		goto end;
	}
	if ((rc = period_set_unchanged(a.closed, db))) {
		if (rc == S75_EINVALID)
			rc = file_error(&im, 0, "%s (nothing was imported: import it again)", s75_error_last());
		goto end;
	}
	/* the rows read, in the order of the file, in one statement */
	const char *store = "INSERT INTO txn(id, date, fy, period, partner, cost_centre, account,"
			    " kind, amount, description, reference) SELECT * FROM s75_stage";
	if ((!streamed && (rc = db_bulk_load_txn(db, a.stage, ag, im.batch_id * 4294967296LL, store))) ||
	    (a.stage2 && (rc = db_bulk_load_txn(db, a.stage2, ag, im.batch_id * 4294967296LL + a.line_base2, store))))
		goto end;
	if (a.nprior && (rc = store_prior(db, &a, im.batch_id)))
		goto end;
end:
	db_txn_stream_end(a.copy, false); /* a failure before the last row: nothing kept */
	free(a.skip_cols);
	free(a.incl_cols);
	free(a.excl_cols);
	free(a.ends);
	period_set_free(a.closed);
	free(a.prior);
	stage_free(a.stage);
	stage_free(a.stage2);
	return importer_end(&im, rc, "actuals");
}

/* A good row of a forecasts file, kept until the write lock is taken. */
typedef struct fc_row {
	int cc;
	int64_t amount;
	char *note; /* NULL if none */
} fc_row;

/* Reads a forecasts file: the header, then every row; the good ones (at most one per cost
 * centre, so few) into rows[]. */
static int forecasts_read(importer *im, const char *path, fc_row *rows, size_t *nrows)
{
	const s75_agreement *ag = im->ag;
	const s75_import_options *o = im->o;
	s75_import_result *res = im->res;
	const s75_csv_field *f;
	size_t nf;
	int rc, r;
	int ccol = -1, fcol = -1, ncol = -1;

	if ((rc = read_header(im, path, ',', 0, &f, &nf)))
		return rc;
	for (size_t i = 0; i < nf; i++) {
		const char *h = f[i].ptr;
		size_t hl = f[i].len;
		s75_text_trim(&h, &hl);
		if (hl == 11 && !strncasecmp(h, "cost_centre", 11))
			ccol = (int)i;
		else if (hl == 8 && !strncasecmp(h, "forecast", 8))
			fcol = (int)i;
		else if (hl == 4 && !strncasecmp(h, "note", 4))
			ncol = (int)i;
	}
	if (ccol < 0 || fcol < 0)
		return file_error(im, s75_csv_line(im->csv),
				  "expected the header cost_centre,forecast,note");
	if (o->reject_path && (rc = open_reject(im)))
		return rc;
	char *seen = xcalloc(ag->ncost_centres + 1, 1);
	while ((r = s75_csv_next(im->csv, &f, &nf)) > 0) {
		size_t len;
		const char *s;
		int64_t amount;
		int cc;
		if (nf == 1 && f[0].len == 0)
			continue;
		im->live.f = f;
		im->live.nf = nf;
		im->live.line = s75_csv_line(im->csv);
		im->live.raw = s75_csv_raw(im->csv, &im->live.rawlen);
		im->cur = &im->live;
		res->rows_read++;
		if (nf != im->ncols) {
			row_error(im, "expected %zu fields as in the header, found %zu", im->ncols, nf);
			continue;
		}
		if (!(s = field(im, f, ccol, &len)))
			continue;
		s75_text_trim(&s, &len);
		if ((cc = s75_agreement_find_cost_centre(ag, s, len)) < 0) {
			note_unknown(im, s, len, 0);
			row_error(im, "unknown cost centre '%.*s'", (int)len, s);
			continue;
		}
		if (im->o->only_partner &&
		    strcmp(ag->partners[ag->cost_centres[cc].partner].id, im->o->only_partner)) {
			row_error(im, "cost centre '%.*s' is %s's, not %s's", (int)len, s,
				  ag->partners[ag->cost_centres[cc].partner].id, im->o->only_partner);
			continue;
		}
		if (seen[cc]) {
			row_error(im, "cost centre '%.*s' has a second forecast in this file", (int)len, s);
			continue;
		}
		seen[cc] = 1;
		if (!(s = field(im, f, fcol, &len)))
			continue;
		if (s75_money_parse(&amount, s, len, S75_UNIT_POUNDS, 0)) {
			row_error(im, "'%s': %s", im->hdr[fcol], s75_error_last());
			continue;
		}
		const char *note = ncol >= 0 ? field(im, f, ncol, &len) : NULL;
		if (ncol >= 0 && !note)
			continue;
		if (res->error_count && !o->reject_path)
			continue;
		int partner = ag->cost_centres[cc].partner;
		int64_t t;
		if (__builtin_add_overflow(im->tot_amount[(size_t)partner * S75_TXN_NKINDS], amount, &t)) {
			row_error(im, "totals out of range");
			continue;
		}
		add_total(im, partner, S75_TXN_EXPENDITURE, amount);
		rows[*nrows].cc = cc;
		rows[*nrows].amount = amount;
		rows[*nrows].note = note && *note ? xstrndup(note, len) : NULL;
		(*nrows)++;
		res->rows_imported++;
	}
	free(seen);
	return r < 0 ? bad_record(im, r) : 0;
}

/* The whole command again while PostgreSQL picks its transaction to fail (db_retry()). */
static int import_forecasts_once(s75_db *db, const s75_agreement *ag, const char *path,
			 const s75_import_options *o, s75_import_result *res);

int s75_import_forecasts(s75_db *db, const s75_agreement *ag, const char *path,
			 const s75_import_options *o, s75_import_result *res)
{
	int rc, attempt = 0;
	while ((rc = import_forecasts_once(db, ag, path, o, res)) && db_retry(db, rc, &attempt))
		s75_import_result_release(res);
	return rc;
}

static int import_forecasts_once(s75_db *db, const s75_agreement *ag, const char *path,
			 const s75_import_options *o, s75_import_result *res)
{
	importer im;
	sql_stmt *ins = NULL;
	period_set *closed = NULL;
	fc_row *rows = xcalloc(ag->ncost_centres + 1, sizeof(fc_row));
	size_t nrows = 0;
	int rc;
	char period[16], fybuf[8];

	importer_init(&im, db, ag, o, res, path);
	im.encoding = S75_ENC_UTF8;
	s75_period_format(period, o->period);
	if (!s75_agreement_find_year(ag, o->period.fy)) {
		rc = file_error(&im, 0, "forecasts for %s: the agreement has no year %s",
				period, s75_fy_format(fybuf, o->period.fy));
		goto end;
	}
	if ((rc = period_set_load(&closed, db, ag)))
		goto end;
	if (period_set_closed(closed, o->period, -1)) {
		rc = file_error(&im, 0, "forecasts for %s: the period is closed (reopen it first: s75 period reopen %s --reason TEXT)",
				period, period);
		goto end;
	}
	if ((rc = prehash(&im, path, "forecasts")))
		goto end;
	/* every row read and checked, without the write lock */
	if ((rc = forecasts_read(&im, path, rows, &nrows)))
		goto end;
	im.parsed = 1;
	if (o->validate_only || (res->error_count && !o->reject_path) || !res->rows_imported)
		goto end; /* nothing to store: importer_end() says why */
	if ((rc = begin(&im, "forecasts", NULL, period)))
		goto end;
	if ((rc = batch_check_duplicate(db, "forecasts", im.batch_id, im.name, res)))
		goto end;
	if ((rc = period_set_unchanged(closed, db))) {
		if (rc == S75_EINVALID)
			rc = file_error(&im, 0, "%s (nothing was imported: import it again)", s75_error_last());
		goto end;
	}
	if ((rc = db_prepare(db, &ins,
			     "INSERT INTO forecast(batch_id, fy, period, cost_centre, amount, note)"
			     " VALUES (?, ?, ?, ?, ?, ?)")))
		goto end;
	for (size_t i = 0; i < nrows; i++) {
		sql_bind_int64(ins, 1, im.batch_id);
		sql_bind_int(ins, 2, o->period.fy);
		sql_bind_int(ins, 3, o->period.p);
		sql_bind_text(ins, 4, ag->cost_centres[rows[i].cc].code, -1);
		sql_bind_int64(ins, 5, rows[i].amount);
		if (rows[i].note)
			sql_bind_text(ins, 6, rows[i].note, -1);
		else
			sql_bind_null(ins, 6);
		if (sql_step(ins) != SQL_DONE) {
			rc = db_error(db, "cannot store a forecast");
			goto end;
		}
		sql_reset(ins);
	}
end:
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].note);
	free(rows);
	period_set_free(closed);
	sql_finalize(ins);
	return importer_end(&im, rc, "forecasts");
}

/* A good row of a receipts file, kept until the write lock is taken. */
typedef struct pay_row {
	int partner;
	s75_date date;
	int64_t amount;
	char *reference; /* NULL if none */
	long line;
} pay_row;

/* One receipt: the payer (its id or name), the day, the amount received (signed by the
 * profile: as stated, or a credit under debit-positive) and the reference. 0 and *out, or
 * -1 after reporting the row. */
static int payment_row(importer *im, const s75_import_profile *p, const rec *r, pay_row *out)
{
	const s75_agreement *ag = im->ag;
	const int *col = im->col;
	const char *s;
	size_t len;
	int64_t amount = 0, debit = 0, credit = 0;
	im->cur = r;
	memset(out, 0, sizeof(*out));
	out->line = r->line;
	if (r->nf < im->ncols || (r->nf > im->ncols && p->extra_fields != S75_EXTRA_IGNORE)) {
		row_error(im, "expected %zu fields as in the header, found %zu", im->ncols, r->nf);
		return -1;
	}
	if (!(s = field(im, r->f, col[S75_F_DATE], &len)))
		return -1;
	if (s75_date_parse_fmt(&out->date, s, len, p->date_format)) {
		row_error(im, "'%s': %s", im->hdr[col[S75_F_DATE]], s75_error_last());
		return -1;
	}
	if (!(s = field(im, r->f, col[S75_F_PARTNER], &len)))
		return -1;
	s75_text_trim(&s, &len);
	out->partner = -1;
	for (size_t i = 0; i < ag->npartners && out->partner < 0; i++)
		if ((strlen(ag->partners[i].id) == len && !memcmp(ag->partners[i].id, s, len)) ||
		    (ag->partners[i].name && text_same_name(ag->partners[i].name, strlen(ag->partners[i].name), s, len)))
			out->partner = (int)i;
	if (out->partner < 0) {
		row_error(im, "'%s': '%.*s' is no partner of the agreement (its id or its name)",
			  im->hdr[col[S75_F_PARTNER]], (int)(len < 127 ? len : 127), s);
		return -1;
	}
	if (col[S75_F_AMOUNT] >= 0) {
		if (row_amount(im, p, r->f, col[S75_F_AMOUNT], false, &amount))
			return -1;
		if (p->sign == S75_SIGN_DEBIT_POSITIVE && __builtin_sub_overflow((int64_t)0, amount, &amount)) {
			row_error(im, "the amount is out of range");
			return -1;
		}
	} else {
		if (col[S75_F_DEBIT] >= 0 && row_amount(im, p, r->f, col[S75_F_DEBIT], true, &debit))
			return -1;
		if (col[S75_F_CREDIT] >= 0 && row_amount(im, p, r->f, col[S75_F_CREDIT], true, &credit))
			return -1;
		/* a receipt is a credit */
		if (__builtin_sub_overflow(credit, debit, &amount)) {
			row_error(im, "credit less debit is out of range");
			return -1;
		}
	}
	if (amount <= 0) {
		row_error(im, "a receipt is an amount above zero (a refund or reversal is not a payment of a contribution)");
		return -1;
	}
	out->amount = amount;
	if (col[S75_F_REFERENCE] >= 0) {
		if (!(s = field(im, r->f, col[S75_F_REFERENCE], &len)))
			return -1;
		s75_text_trim(&s, &len);
		out->reference = len ? xstrndup(s, len) : NULL;
	}
	return 0;
}

int s75_import_payments(s75_db *db, const s75_agreement *ag, const char *path,
			const s75_import_options *o, s75_import_result *res)
{
	static const s75_field wanted[] = {S75_F_DATE, S75_F_PARTNER, S75_F_AMOUNT, S75_F_DEBIT,
					   S75_F_CREDIT, S75_F_REFERENCE};
	importer im;
	const char *pid = o->profile ? o->profile : "receipts";
	const s75_import_profile *p = s75_agreement_find_profile(ag, pid);
	s75_import_profile q;
	const s75_csv_field *f;
	size_t nf, nsaved = 0, alloc = 0, nrows = 0;
	saved_rec *saved = NULL;
	pay_row *rows = NULL;
	int rc, r;

	importer_init(&im, db, ag, o, res, path);
	if (!p || !p->receipts) {
		rc = file_error(&im, 0, p ? "profile '%s' reads a ledger, not receipts ('reads: receipts'): import it with 'import actuals'"
					  : "no import profile '%s' in the agreement", pid);
		goto end;
	}
	if ((rc = set_encoding(&im, p)))
		goto end;
	/* the profile's columns that a receipt has; the others are not looked for */
	q = *p;
	memset(q.columns, 0, sizeof(q.columns));
	for (size_t k = 0; k < sizeof(wanted) / sizeof(*wanted); k++)
		q.columns[wanted[k]] = p->columns[wanted[k]];
	if ((rc = read_header(&im, path, p->delimiter, p->skip_rows, &f, &nf)) ||
	    (rc = map_columns(&im, &q, f, nf)))
		goto end;
	/* every record kept (a receipts file is short), so that the footer can be left off */
	while ((r = s75_csv_next(im.csv, &f, &nf)) > 0) {
		if (nf == 1 && f[0].len == 0)
			continue;
		ALLOC_GROW(saved, nsaved + 1, alloc);
		memset(&saved[nsaved], 0, sizeof(*saved));
		s75_buf_init(&saved[nsaved].data);
		s75_buf_init(&saved[nsaved].raw);
		save_rec(&im, &saved[nsaved++], f, nf);
	}
	if (r < 0) {
		rc = bad_record(&im, r);
		goto end;
	}
	rows = xcalloc(nsaved + 1, sizeof(*rows));
	for (size_t i = 0; i < nsaved; i++) {
		res->rows_read++;
		im.cur = &saved[i].r;
		if (i + (size_t)p->skip_footer >= nsaved) {
			skip_row(&im, "footer (skip_footer)");
			continue;
		}
		if (all_empty(&saved[i].r)) {
			skip_row(&im, "empty row");
			continue;
		}
		if (!payment_row(&im, p, &saved[i].r, &rows[nrows]))
			nrows++;
	}
	im.parsed = 1;
	if (res->error_count || !nrows)
		goto end;
	/* under the write lock: each receipt checked against those recorded (and the file's
	 * own earlier rows), all or nothing */
	if ((rc = db_begin_write(db)))
		goto end;
	for (size_t i = 0; i < nrows; i++) {
		int64_t id;
		rec at = {NULL, 0, rows[i].line, NULL, 0};
		int x = payment_insert(db, ag, ag->partners[rows[i].partner].id, s75_fy_of_date(rows[i].date),
				       rows[i].date, rows[i].amount, rows[i].reference, o->now, &id);
		if (x == S75_EIO) {
			rc = x;
			break;
		}
		im.cur = &at;
		if (x)
			row_error(&im, "%s", s75_error_last());
		else
			res->rows_imported++;
	}
	if (!rc && !res->error_count) {
		s75_buf d = S75_BUF_INIT;
		s75_buf_printf(&d, "%s: %ld receipts recorded", im.name, res->rows_imported);
		rc = db_audit(db, o->now, "import payments", 0, d.ptr);
		s75_buf_release(&d);
	}
	if (!rc && !res->error_count)
		rc = db_commit(db);
	else
		db_exec(db, "ROLLBACK");
end:
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].reference);
	free(rows);
	for (size_t i = 0; i < nsaved; i++) {
		s75_buf_release(&saved[i].data);
		s75_buf_release(&saved[i].raw);
		free(saved[i].fields);
	}
	free(saved);
	return importer_end(&im, rc, "payments");
}

void s75_import_result_release(s75_import_result *res)
{
	for (size_t i = 0; i < res->nunknown; i++)
		free(res->unknown[i].suggestion);
	for (size_t i = 0; i < res->nskipped; i++)
		free(res->skipped[i].reason);
	free(res->skipped);
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
