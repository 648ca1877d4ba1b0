/* A streaming CSV reader. Unquoted runs are found by scanning the read buffer and copied
 * as a block, so the common case costs about one pass over the bytes (see bench/). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "s75/buf.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "xalloc.h"

#define CHUNK (1 << 18)
/* No ledger row comes near these: past them the input is not the CSV it claims to be
 * (a binary file, /dev/zero), and reading on would only eat memory. */
#define MAX_RECORD (1u << 20)
#define MAX_FIELDS 10000

struct s75_csv {
	FILE *fp;
	char *name;
	unsigned char delim;
	unsigned char *in;
	size_t in_len, in_pos;
	int eof, started;
	long line;       /* current physical line */
	long rec_line;   /* line the last record started on */
	long records;
	long long consumed, size, line_start; /* byte offsets in the file */
	long long end;   /* s75_csv_range(): no record starts at or after it (0: none) */
	int bom, keep_raw;
	int utf16;       /* the file starts as UTF-16 text does */
	s75_buf data;    /* unescaped field bytes, each field followed by a NUL */
	s75_buf raw;     /* raw record bytes */
	size_t *starts, *lens;
	int *quoted;
	size_t nfields, afields;
	s75_csv_field *fields;
	size_t afields_out;
	s75_csv_observer observe;
	void *observe_data;
	char err[128];
	s75_pos err_pos;
};

void s75_csv_observe(s75_csv *c, s75_csv_observer fn, void *data)
{
	c->observe = fn;
	c->observe_data = data;
}

void s75_csv_keep_raw(s75_csv *c, int keep)
{
	c->keep_raw = keep;
}

int s75_csv_range(s75_csv *c, long long start, long long end)
{
	if (start > 0) {
		if (c->started || fseeko(c->fp, (off_t)start, SEEK_SET))
			return s75_error_set(S75_EIO, "cannot read '%s' from byte %lld", c->name, start);
		c->started = 1; /* a byte-order mark is only at the start */
		c->consumed = c->line_start = start;
	}
	c->end = end;
	return 0;
}

const char *s75_csv_error(const s75_csv *c, s75_pos *pos)
{
	*pos = c->err_pos;
	return c->err;
}

int s75_csv_open(s75_csv **out, const char *path, const char *name, char delim)
{
	struct stat st;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return s75_error_set(S75_EIO, "cannot open '%s': %s", name ? name : path,
				     strerror(errno));
	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(fp);
		return s75_error_set(S75_EIO, "cannot read '%s': it is a folder", name ? name : path);
	}
	s75_csv *c = xcalloc(1, sizeof(*c));
	c->fp = fp;
	c->name = xstrdup(name ? name : path);
	c->delim = (unsigned char)delim;
	c->in = xmalloc(CHUNK);
	c->line = 1;
	c->keep_raw = 1;
	s75_buf_init(&c->data);
	s75_buf_init(&c->raw);
	if (S_ISREG(st.st_mode))
		c->size = st.st_size;
	*out = c;
	return 0;
}

void s75_csv_free(s75_csv *c)
{
	if (!c)
		return;
	if (c->fp)
		fclose(c->fp);
	free(c->name);
	free(c->in);
	s75_buf_release(&c->data);
	s75_buf_release(&c->raw);
	free(c->starts);
	free(c->lens);
	free(c->quoted);
	free(c->fields);
	free(c);
}

/* Makes at least one byte available: 1, 0 at the end of the file, -1 on a read error. */
static int fill(s75_csv *c)
{
	if (c->in_pos < c->in_len)
		return 1;
	if (c->eof)
		return 0;
	c->in_len = fread(c->in, 1, CHUNK, c->fp);
	c->in_pos = 0;
	if (c->in_len == 0) {
		c->eof = 1;
		return ferror(c->fp) ? -1 : 0;
	}
	if (c->observe)
		c->observe(c->observe_data, c->in, c->in_len);
	if (!c->started) {
		c->started = 1;
		/* a UTF-16 byte order mark, or ASCII with every other byte NUL */
		if (c->in_len >= 2 && ((c->in[0] == 0xFF && c->in[1] == 0xFE) ||
				       (c->in[0] == 0xFE && c->in[1] == 0xFF) ||
				       (c->in[0] && !c->in[1]) || (!c->in[0] && c->in[1])))
			c->utf16 = 1;
		if (c->in_len >= 3 && c->in[0] == 0xEF && c->in[1] == 0xBB && c->in[2] == 0xBF) {
			c->in_pos = 3;
			c->bom = 1;
			c->consumed = c->line_start = 3;
			if (c->in_len == 3)
				return fill(c);
		}
	}
	return 1;
}

/* Consumes n bytes from the read buffer, copying them to the raw record. */
static void take(s75_csv *c, size_t n)
{
	if (c->keep_raw)
		s75_buf_add(&c->raw, c->in + c->in_pos, n);
	c->in_pos += n;
	c->consumed += (long long)n;
}

static void new_field(s75_csv *c)
{
	if (c->nfields == c->afields) {
		c->afields = c->afields ? c->afields * 2 : 16;
		c->starts = xreallocarray(c->starts, c->afields, sizeof(size_t));
		c->lens = xreallocarray(c->lens, c->afields, sizeof(size_t));
		c->quoted = xreallocarray(c->quoted, c->afields, sizeof(int));
	}
	c->starts[c->nfields] = c->data.len;
	c->lens[c->nfields] = 0;
	c->quoted[c->nfields] = 0;
	c->nfields++;
}

static void end_field(s75_csv *c)
{
	c->lens[c->nfields - 1] = c->data.len - c->starts[c->nfields - 1];
	s75_buf_putc(&c->data, '\0');
}

static int fail(s75_csv *c, long line, long long at, const char *why)
{
	snprintf(c->err, sizeof(c->err), "%s", why);
	c->err_pos.line = (int)line;
	c->err_pos.col = (int)(at - c->line_start + 1);
	return s75_error_set(S75_EINVALID, "%s:%d:%d: %s", c->name, c->err_pos.line,
			     c->err_pos.col, why);
}

static void newline(s75_csv *c)
{
	c->line++;
	c->line_start = c->consumed;
}

/* Reads a quoted field (the opening quote is next). 0, or an error. */
static int quoted(s75_csv *c)
{
	long qline = c->line;
	long long qat = c->consumed, qline_start = c->line_start;
	int r;
	c->quoted[c->nfields - 1] = 1;
	take(c, 1);
	for (;;) {
		if ((r = fill(c)) <= 0) {
			if (r < 0)
				return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
			c->line = qline;
			c->line_start = qline_start;
			return fail(c, qline, qat, "unterminated quoted field");
		}
		const unsigned char *p = c->in + c->in_pos, *end = c->in + c->in_len, *q = p;
		while (q < end && *q != '"' && *q != '\n' && *q)
			q++;
		s75_buf_add(&c->data, p, (size_t)(q - p));
		take(c, (size_t)(q - p));
		if (c->data.len > MAX_RECORD)
			return fail(c, c->line, c->consumed, "a record longer than 1 MiB (is this a CSV file?)");
		if (q == end)
			continue;
		if (!*q)
			return fail(c, c->line, c->consumed, "a NUL byte inside a field (is this a text file?)");
		if (*q == '\n') {
			s75_buf_putc(&c->data, '\n');
			take(c, 1);
			newline(c);
			continue;
		}
		take(c, 1); /* a quote: the end, or the first of a doubled one */
		if ((r = fill(c)) < 0)
			return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
		if (r > 0 && c->in[c->in_pos] == '"') {
			s75_buf_putc(&c->data, '"');
			take(c, 1);
			continue;
		}
		return 0;
	}
}

int s75_csv_next(s75_csv *c, const s75_csv_field **fields, size_t *nfields)
{
	int r;

	s75_buf_reset(&c->data);
	s75_buf_reset(&c->raw);
	c->nfields = 0;
	c->rec_line = c->line;
	if (c->end && c->consumed >= c->end)
		return 0;
	if ((r = fill(c)) < 0)
		return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
	if (r == 0)
		return 0;
	if (c->utf16)
		return fail(c, 1, c->line_start, "the file is UTF-16 text (save it as 'CSV UTF-8')");
	new_field(c);
	for (;;) {
		if ((r = fill(c)) < 0)
			return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
		if (r == 0)
			break; /* the last record has no line end */
		unsigned char ch = c->in[c->in_pos];
		if (ch == '"' && c->data.len == c->starts[c->nfields - 1] && !c->quoted[c->nfields - 1]) {
			if ((r = quoted(c)))
				return r;
			/* after the closing quote: a delimiter, a line end or the end of the file */
			if ((r = fill(c)) < 0)
				return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
			if (r == 0)
				break;
			ch = c->in[c->in_pos];
			if (ch != c->delim && ch != '\n' && ch != '\r')
				return fail(c, c->line, c->consumed, "text after a closing quote");
			continue;
		}
		/* an unquoted run: copy it as one block */
		const unsigned char *p = c->in + c->in_pos, *end = c->in + c->in_len, *q = p;
		unsigned char d = c->delim;
		while (q < end && *q != d && *q != '\n' && *q != '\r' && *q != '"' && *q)
			q++;
		s75_buf_add(&c->data, p, (size_t)(q - p));
		take(c, (size_t)(q - p));
		if (c->data.len > MAX_RECORD)
			return fail(c, c->line, c->consumed, "a record longer than 1 MiB (is this a CSV file?)");
		if (q == end)
			continue;
		if (*q == '"')
			return fail(c, c->line, c->consumed, "stray quote in an unquoted field");
		if (!*q)
			return fail(c, c->line, c->consumed, "a NUL byte inside a field (is this a text file?)");
		if (*q == d) {
			take(c, 1);
			end_field(c);
			if (c->nfields >= MAX_FIELDS)
				return fail(c, c->line, c->consumed, "more than 10,000 fields in a record");
			new_field(c);
			continue;
		}
		/* a line end: LF, CRLF or a lone CR */
		take(c, 1);
		if (*q == '\r' && fill(c) > 0 && c->in[c->in_pos] == '\n')
			take(c, 1);
		newline(c);
		break;
	}
	end_field(c);
	c->records++;
	if (c->afields_out < c->nfields) {
		c->fields = xreallocarray(c->fields, c->nfields, sizeof(*c->fields));
		c->afields_out = c->nfields;
	}
	for (size_t i = 0; i < c->nfields; i++) {
		c->fields[i].ptr = c->data.ptr + c->starts[i];
		c->fields[i].len = c->lens[i];
		c->fields[i].quoted = c->quoted[i];
	}
	*fields = c->fields;
	*nfields = c->nfields;
	return 1;
}

long s75_csv_line(const s75_csv *c)
{
	return c->rec_line;
}

long s75_csv_record(const s75_csv *c)
{
	return c->records;
}

const char *s75_csv_raw(const s75_csv *c, size_t *len)
{
	*len = c->raw.len;
	return c->raw.ptr;
}

void s75_csv_progress(const s75_csv *c, long long *done, long long *total)
{
	*done = c->consumed;
	*total = c->size;
}

int s75_csv_had_bom(const s75_csv *c)
{
	return c->bom;
}
