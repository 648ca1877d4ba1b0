#include <stdlib.h>
#include <string.h>

#include "s75/table.h"
#include "s75/text.h"
#include "xalloc.h"

s75_table *s75_table_new(const char *title)
{
	s75_table *t = xcalloc(1, sizeof(*t));
	t->title = xstrdup(title ? title : "");
	return t;
}

void s75_table_free(s75_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i].text);
	for (size_t i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->types);
	free(t->cells);
	free(t->flags);
	free(t->title);
	free(t);
}

void s75_table_column(s75_table *t, const char *header, s75_cell_type type)
{
	if (t->nrows)
		abort(); /* programming error: columns come first */
	t->headers = xreallocarray(t->headers, t->ncols + 1, sizeof(char *));
	t->types = xreallocarray(t->types, t->ncols + 1, sizeof(s75_cell_type));
	t->headers[t->ncols] = xstrdup(header);
	t->types[t->ncols] = type;
	t->ncols++;
}

void s75_table_row(s75_table *t, unsigned flags)
{
	size_t old = t->alloc_rows;
	ALLOC_GROW(t->flags, t->nrows + 1, t->alloc_rows);
	if (t->alloc_rows != old) {
		t->cells = xreallocarray(t->cells, t->alloc_rows * t->ncols, sizeof(s75_cell));
	}
	memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(s75_cell));
	t->flags[t->nrows] = flags;
	t->nrows++;
	t->cur_col = 0;
}

static s75_cell *next_cell(s75_table *t)
{
	if (!t->nrows || t->cur_col >= t->ncols)
		abort(); /* programming error: more cells than columns */
	return &t->cells[(t->nrows - 1) * t->ncols + t->cur_col++];
}

void s75_table_text(s75_table *t, const char *s)
{
	s75_cell *c = next_cell(t);
	c->type = S75_CELL_TEXT;
	c->text = xstrdup(s ? s : "");
}

void s75_table_money(s75_table *t, int64_t pence)
{
	s75_cell *c = next_cell(t);
	c->type = S75_CELL_MONEY;
	c->v = pence;
}

void s75_table_bp(s75_table *t, int64_t bp)
{
	s75_cell *c = next_cell(t);
	c->type = S75_CELL_BP;
	c->v = bp;
}

void s75_table_int(s75_table *t, int64_t v)
{
	s75_cell *c = next_cell(t);
	c->type = S75_CELL_INT;
	c->v = v;
}

void s75_table_empty(s75_table *t)
{
	next_cell(t)->type = S75_CELL_EMPTY;
}

static void cell_text(const s75_cell *c, s75_buf *out, s75_unit unit, int csv)
{
	switch (c->type) {
	case S75_CELL_EMPTY:
		break;
	case S75_CELL_TEXT:
		/* on a terminal, control characters from a file are shown escaped, never obeyed;
		 * CSV keeps the value as it is (quoted) */
		if (csv)
			s75_buf_puts(out, c->text);
		else
			s75_text_escape(out, c->text, strlen(c->text), S75_TEXT_NO_LIMIT);
		break;
	case S75_CELL_MONEY:
		s75_money_format(out, c->v, csv ? S75_UNIT_POUNDS : unit,
				 csv ? 0 : S75_FMT_SEP | S75_FMT_BRACKETS);
		break;
	case S75_CELL_BP:
		s75_bp_format(out, c->v);
		if (!csv)
			s75_buf_putc(out, '%');
		break;
	case S75_CELL_INT:
		s75_buf_printf(out, "%lld", (long long)c->v);
		break;
	}
}

/* Display width of UTF-8 text: one column per code point. */
static size_t width(const char *s, size_t len)
{
	size_t w = 0;
	for (size_t i = 0; i < len; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

static void pad(s75_buf *out, size_t n)
{
	while (n--)
		s75_buf_putc(out, ' ');
}

void s75_table_render_text(const s75_table *t, s75_buf *out, s75_unit unit)
{
	size_t *w = xcalloc(t->ncols + 1, sizeof(size_t));
	s75_buf cell = S75_BUF_INIT;

	for (size_t c = 0; c < t->ncols; c++)
		w[c] = width(t->headers[c], strlen(t->headers[c]));
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			s75_buf_reset(&cell);
			cell_text(&t->cells[r * t->ncols + c], &cell, unit, 0);
			size_t cw = width(cell.ptr, cell.len);
			if (cw > w[c])
				w[c] = cw;
		}
	if (*t->title)
		s75_buf_printf(out, "%s\n", t->title);
	size_t total = 0;
	for (size_t c = 0; c < t->ncols; c++)
		total += w[c] + (c ? 2 : 0);
	for (size_t r = 0; r <= t->nrows; r++) {
		if (r > 0 && (t->flags[r - 1] & S75_ROW_TOTAL)) {
			for (size_t i = 0; i < total; i++)
				s75_buf_putc(out, '-');
			s75_buf_putc(out, '\n');
		}
		size_t line_start = out->len;
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s;
			size_t len;
			int right = t->types[c] != S75_CELL_TEXT;
			s75_buf_reset(&cell);
			if (r == 0)
				s75_buf_puts(&cell, t->headers[c]);
			else
				cell_text(&t->cells[(r - 1) * t->ncols + c], &cell, unit, 0);
			s = cell.ptr;
			len = cell.len;
			size_t cw = width(s, len);
			if (c)
				pad(out, 2);
			if (right)
				pad(out, w[c] - cw);
			s75_buf_add(out, s, len);
			if (!right)
				pad(out, w[c] - cw);
		}
		while (out->len > line_start && out->ptr[out->len - 1] == ' ')
			out->len--;
		out->ptr[out->len] = '\0';
		s75_buf_putc(out, '\n');
		if (r == 0) {
			for (size_t i = 0; i < total; i++)
				s75_buf_putc(out, '=');
			s75_buf_putc(out, '\n');
		}
	}
	s75_buf_release(&cell);
	free(w);
}

void s75_csv_put_field(s75_buf *out, const char *s)
{
	int quote = 0, formula = strchr("=+-@\t\r", s[0]) && s[0];
	for (const char *p = s; *p && !quote; p++)
		quote = *p == ',' || *p == '"' || *p == '\n' || *p == '\r';
	if (quote)
		s75_buf_putc(out, '"');
	if (formula)
		s75_buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			s75_buf_putc(out, '"');
		s75_buf_putc(out, *p);
	}
	if (quote)
		s75_buf_putc(out, '"');
}

void s75_table_render_csv(const s75_table *t, s75_buf *out, int with_header)
{
	s75_buf cell = S75_BUF_INIT;
	if (with_header) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				s75_buf_putc(out, ',');
			s75_csv_put_field(out, t->headers[c]);
		}
		s75_buf_puts(out, "\r\n");
	}
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const s75_cell *x = &t->cells[r * t->ncols + c];
			if (c)
				s75_buf_putc(out, ',');
			if (x->type == S75_CELL_TEXT) {
				s75_csv_put_field(out, x->text);
			} else {
				s75_buf_reset(&cell);
				cell_text(x, &cell, S75_UNIT_POUNDS, 1);
				s75_buf_add(out, cell.ptr, cell.len);
			}
		}
		s75_buf_puts(out, "\r\n");
	}
	s75_buf_release(&cell);
}
