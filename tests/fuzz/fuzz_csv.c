/* Fuzzes the CSV reader: the input is written to a file and read to the end, with `,`
 * and with `;` as the delimiter.
 *
 * Invariants: the raw bytes of the records put together are the input less a leading
 * UTF-8 BOM (all of it at the end of the file, a prefix of it after an error); each
 * record's fields, quoted again, give back its raw bytes; an unquoted field holds no
 * delimiter, quote or line end; lines and record numbers only go up; every error has
 * a message and a position; a reader that keeps no raw bytes reads the same records. */
#include <string.h>

#include "fuzz_util.h"
#include "s75/buf.h"
#include "s75/csv.h"
#include "s75/error.h"

/* The record's fields written back as CSV, without its line end. */
static void reencode(s75_buf *out, const s75_csv_field *f, size_t nf, char delim)
{
	for (size_t i = 0; i < nf; i++) {
		if (i)
			s75_buf_putc(out, delim);
		if (!f[i].quoted) {
			s75_buf_add(out, f[i].ptr, f[i].len);
			continue;
		}
		s75_buf_putc(out, '"');
		for (size_t j = 0; j < f[i].len; j++) {
			if (f[i].ptr[j] == '"')
				s75_buf_putc(out, '"');
			s75_buf_putc(out, f[i].ptr[j]);
		}
		s75_buf_putc(out, '"');
	}
}

/* Appends what the reader made of the file (every record's fields, then how it ended) to
 * `out`, to compare two readings. */
static void summary_add(s75_buf *out, const s75_csv_field *f, size_t nf, char delim)
{
	s75_buf_printf(out, "%zu:", nf);
	reencode(out, f, nf, delim);
	s75_buf_putc(out, '\n');
}

static void summary_end(s75_buf *out, s75_csv *c, int r)
{
	s75_pos pos = {0, 0};
	if (r)
		s75_csv_error(c, &pos);
	s75_buf_printf(out, "end %d at %d:%d after %ld records, line %ld", r, pos.line, pos.col,
	               s75_csv_record(c), s75_csv_line(c));
}

/* Reads the file again without raw bytes: the same records and the same end. */
static void fuzz_no_raw(const char *path, char delim, const s75_buf *want)
{
	s75_csv *c = NULL;
	const s75_csv_field *f;
	size_t nf;
	s75_buf got = S75_BUF_INIT;
	int r;
	FUZZ_CHECK(s75_csv_open(&c, path, "in.csv", delim) == 0, "cannot open: %s",
	           s75_error_last());
	s75_csv_keep_raw(c, 0);
	while ((r = s75_csv_next(c, &f, &nf)) > 0)
		summary_add(&got, f, nf, delim);
	summary_end(&got, c, r);
	FUZZ_CHECK(got.len == want->len && !memcmp(got.ptr, want->ptr, got.len),
	           "read without raw bytes:\n%s\nwith them:\n%s", got.ptr, want->ptr);
	s75_csv_free(c);
	s75_buf_release(&got);
}

static void fuzz_delim(const char *path, const uint8_t *data, size_t size, char delim,
                       s75_buf *summary)
{
	s75_csv *c = NULL;
	const s75_csv_field *f;
	size_t nf, off, skip = 0;
	s75_buf all = S75_BUF_INIT, again = S75_BUF_INIT;
	long last_line = 0, records = 0;
	int r;

	FUZZ_CHECK(s75_csv_open(&c, path, "in.csv", delim) == 0, "cannot open: %s",
	           s75_error_last());
	if (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
		skip = 3;
	while ((r = s75_csv_next(c, &f, &nf)) > 0) {
		size_t rawlen;
		const char *raw = s75_csv_raw(c, &rawlen);
		records++;
		FUZZ_CHECK(nf >= 1, "a record with no fields");
		FUZZ_CHECK(rawlen >= 1, "record %ld has no raw bytes", records);
		FUZZ_CHECK(s75_csv_record(c) == records, "record %ld numbered %ld", records,
		           s75_csv_record(c));
		FUZZ_CHECK(s75_csv_line(c) > last_line, "record %ld starts on line %ld after %ld",
		           records, s75_csv_line(c), last_line);
		last_line = s75_csv_line(c);
		for (size_t i = 0; i < nf; i++) {
			FUZZ_CHECK(f[i].ptr != NULL || f[i].len == 0, "field %zu has no bytes", i);
			if (!f[i].quoted)
				for (size_t j = 0; j < f[i].len; j++)
					FUZZ_CHECK(
					    f[i].ptr[j] != delim && f[i].ptr[j] != '"' &&
					        f[i].ptr[j] != '\n' && f[i].ptr[j] != '\r',
					    "unquoted field %zu of record %ld holds byte 0x%02X", i,
					    records, (unsigned char)f[i].ptr[j]);
		}
		/* the fields quoted again, then the line end, are the raw bytes */
		s75_buf_reset(&again);
		reencode(&again, f, nf, delim);
		off = again.len;
		FUZZ_CHECK(
		    rawlen >= off && !memcmp(raw, again.ptr, off),
		    "record %ld: fields re-encoded as '%s' do not begin its raw bytes '%.*s'",
		    records, again.ptr, (int)rawlen, raw);
		const char *end = raw + off;
		size_t endlen = rawlen - off;
		FUZZ_CHECK(endlen == 0 || (endlen == 1 && (end[0] == '\n' || end[0] == '\r')) ||
		               (endlen == 2 && end[0] == '\r' && end[1] == '\n'),
		           "record %ld: %zu bytes after its fields in its raw bytes", records,
		           endlen);
		summary_add(summary, f, nf, delim);
		s75_buf_add(&all, raw, rawlen);
		FUZZ_CHECK(all.len <= size - skip && !memcmp(all.ptr, data + skip, all.len),
		           "after record %ld the raw bytes are not a prefix of the input", records);
	}
	if (r == 0) {
		long long done, total;
		FUZZ_CHECK(all.len == size - skip,
		           "the raw bytes of %ld records are %zu bytes; the input less its BOM %zu",
		           records, all.len, size - skip);
		s75_csv_progress(c, &done, &total);
		FUZZ_CHECK(total == (long long)size && done == total,
		           "progress %lld of %lld at the end of %zu bytes", done, total, size);
		/* the end stays the end */
		FUZZ_CHECK(s75_csv_next(c, &f, &nf) == 0, "a record after the end");
	} else {
		s75_pos pos = {0, 0};
		const char *why = s75_csv_error(c, &pos);
		FUZZ_CHECK(r == S75_EINVALID, "s75_csv_next returned %d: %s", r, s75_error_last());
		FUZZ_CHECK(why && *why && pos.line >= 1 && pos.col >= 1,
		           "an error without a reason or a position: '%s' at %d:%d", why, pos.line,
		           pos.col);
		FUZZ_CHECK(!strncmp(s75_error_last(), "in.csv:", 7), "error '%s' without the file",
		           s75_error_last());
	}
	FUZZ_CHECK(s75_csv_had_bom(c) == (skip == 3), "BOM %d, expected %d", s75_csv_had_bom(c),
	           skip == 3);
	summary_end(summary, c, r);
	s75_csv_free(c);
	s75_buf_release(&all);
	s75_buf_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	if (!path)
		path = fuzz_path("in.csv");
	s75_buf summary = S75_BUF_INIT;
	fuzz_write_file(path, data, size);
	fuzz_delim(path, data, size, ',', &summary);
	fuzz_no_raw(path, ',', &summary);
	s75_buf_reset(&summary);
	fuzz_delim(path, data, size, ';', &summary);
	s75_buf_release(&summary);
	return 0;
}
