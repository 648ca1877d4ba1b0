#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "s75/buf.h"
#include "s75/csv.h"
#include "s75/error.h"
#include "xalloc.h"

#define CHUNK (1 << 16)

struct s75_csv {
	FILE *fp;
	char *name;
	char delim;
	unsigned char *in;
	size_t in_len, in_pos;
	int eof;
	long line;        /* current physical line */
	long rec_line;    /* line the last record started on */
	long records;
	long long consumed, size;
	int bom;
	s75_buf data;     /* unescaped field bytes */
	s75_buf raw;      /* raw record bytes */
	size_t *starts;   /* field start offsets into data */
	int *quoted;
	size_t nfields, afields, aquoted;
	s75_csv_field *fields;
	size_t afields_out;
	s75_csv_observer observe;
	void *observe_data;
	char err[128];
	s75_pos err_pos;
};

const char *s75_csv_error(const s75_csv *c, s75_pos *pos)
{
	*pos = c->err_pos;
	return c->err;
}

void s75_csv_observe(s75_csv *c, s75_csv_observer fn, void *data)
{
	c->observe = fn;
	c->observe_data = data;
}

int s75_csv_open(s75_csv **out, const char *path, const char *name, char delim)
{
	struct stat st;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return s75_error_set(S75_EIO, "cannot open '%s': %s", name ? name : path,
				     strerror(errno));
	s75_csv *c = xcalloc(1, sizeof(*c));
	c->fp = fp;
	c->name = xstrdup(name ? name : path);
	c->delim = delim;
	c->in = xmalloc(CHUNK);
	c->line = 1;
	s75_buf_init(&c->data);
	s75_buf_init(&c->raw);
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
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
	free(c->quoted);
	free(c->fields);
	free(c);
}

/* Next byte, or -1 at the end; -2 on a read error. */
static int getb(s75_csv *c)
{
	if (c->in_pos == c->in_len) {
		if (c->eof)
			return -1;
		c->in_len = fread(c->in, 1, CHUNK, c->fp);
		c->in_pos = 0;
		if (c->in_len == 0) {
			c->eof = 1;
			return ferror(c->fp) ? -2 : -1;
		}
		if (c->observe)
			c->observe(c->observe_data, c->in, c->in_len);
		if (c->consumed == 0 && c->in_len >= 3 && c->in[0] == 0xEF && c->in[1] == 0xBB &&
		    c->in[2] == 0xBF) {
			c->in_pos = 3;
			c->bom = 1;
			c->consumed = 3;
		}
	}
	c->consumed++;
	return c->in[c->in_pos++];
}

static int peekb(s75_csv *c)
{
	int b = getb(c);
	if (b >= 0) {
		c->in_pos--;
		c->consumed--;
	}
	return b;
}

static void new_field(s75_csv *c)
{
	ALLOC_GROW(c->starts, c->nfields + 1, c->afields);
	ALLOC_GROW(c->quoted, c->nfields + 1, c->aquoted);
	c->starts[c->nfields] = c->data.len;
	c->quoted[c->nfields] = 0;
	c->nfields++;
}

static int fail(s75_csv *c, long col, const char *why)
{
	snprintf(c->err, sizeof(c->err), "%s", why);
	c->err_pos.line = (int)c->line;
	c->err_pos.col = (int)col;
	return s75_error_set(S75_EINVALID, "%s:%ld:%ld: %s", c->name, c->line, col, why);
}

int s75_csv_next(s75_csv *c, const s75_csv_field **fields, size_t *nfields)
{
	int b;
	long col = 0;

	s75_buf_reset(&c->data);
	s75_buf_reset(&c->raw);
	c->nfields = 0;
	c->rec_line = c->line;
	b = getb(c);
	if (b == -2)
		return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
	if (b == -1)
		return 0;
	new_field(c);
	for (;;) {
		col++;
		if (b == -2)
			return s75_error_set(S75_EIO, "cannot read '%s'", c->name);
		if (b == -1)
			break;
		s75_buf_putc(&c->raw, (char)b);
		if (b == '"' && c->data.len == c->starts[c->nfields - 1] &&
		    !c->quoted[c->nfields - 1]) {
			/* quoted field: read to the closing quote */
			long qline = c->line, qcol = col;
			c->quoted[c->nfields - 1] = 1;
			for (;;) {
				b = getb(c);
				col++;
				if (b < 0) {
					c->line = qline;
					return fail(c, qcol, "unterminated quoted field");
				}
				s75_buf_putc(&c->raw, (char)b);
				if (b == '\n') {
					c->line++;
					col = 0;
				}
				if (b == '"') {
					if (peekb(c) == '"') {
						s75_buf_putc(&c->raw, (char)getb(c));
						col++;
						s75_buf_putc(&c->data, '"');
						continue;
					}
					break;
				}
				s75_buf_putc(&c->data, (char)b);
			}
			b = getb(c);
			if (b >= 0 && b != c->delim && b != '\n' && b != '\r')
				return fail(c, col + 1, "text after a closing quote");
			continue;
		}
		if (b == '"')
			return fail(c, col, "stray quote in an unquoted field");
		if (b == c->delim) {
			new_field(c);
		} else if (b == '\r') {
			if (peekb(c) == '\n') {
				s75_buf_putc(&c->raw, (char)getb(c));
			}
			c->line++;
			break;
		} else if (b == '\n') {
			c->line++;
			break;
		} else {
			s75_buf_putc(&c->data, (char)b);
		}
		b = getb(c);
	}
	c->records++;
	if (c->afields_out < c->nfields) {
		c->fields = xreallocarray(c->fields, c->nfields, sizeof(*c->fields));
		c->afields_out = c->nfields;
	}
	for (size_t i = 0; i < c->nfields; i++) {
		size_t end = i + 1 < c->nfields ? c->starts[i + 1] : c->data.len;
		c->fields[i].ptr = c->data.ptr + c->starts[i];
		c->fields[i].len = end - c->starts[i];
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
