#include <stdlib.h>
#include <string.h>

#include "s75/alloc.h"
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
	for (void *b = t->text_blocks, *next; b; b = next) {
		memcpy(&next, b, sizeof(void *));
		free(b);
	}
	for (size_t i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->headers);
	free(t->types);
	free(t->cells);
	free(t->flags);
	free(t->colflags);
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
	t->colflags = xreallocarray(t->colflags, t->ncols + 1, sizeof(unsigned));
	t->colflags[t->ncols] = 0;
	t->ncols++;
}

void s75_table_column_flags(s75_table *t, unsigned flags)
{
	if (!t->ncols)
		abort(); /* programming error: no column yet */
	t->colflags[t->ncols - 1] = flags;
}

bool s75_table_adverse(const s75_table *t, size_t r, size_t c)
{
	const s75_cell *x = &t->cells[r * t->ncols + c];
	if (x->type != S75_CELL_MONEY && x->type != S75_CELL_BP && x->type != S75_CELL_INT)
		return false;
	return ((t->colflags[c] & S75_COL_ADVERSE_POSITIVE) && x->v > 0) ||
	       ((t->colflags[c] & S75_COL_ADVERSE_NEGATIVE) && x->v < 0);
}

int64_t s75_unit_quantum(s75_unit unit)
{
	return unit == S75_UNIT_THOUSANDS ? 100000 : unit == S75_UNIT_MILLIONS ? 10000000 : 1;
}

void s75_unit_format(s75_buf *out, int64_t q, s75_unit unit)
{
	if (unit == S75_UNIT_POUNDS) {
		s75_money_format(out, q, unit, S75_FMT_SEP | S75_FMT_BRACKETS);
		return;
	}
	uint64_t m = q < 0 ? (uint64_t)0 - (uint64_t)q : (uint64_t)q;
	if (q < 0)
		s75_buf_putc(out, '(');
	uint64_t whole = unit == S75_UNIT_MILLIONS ? m / 10 : m;
	/* the whole part with separators, as whole pounds */
	s75_money_format(out, (int64_t)whole * 100, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_WHOLE);
	if (unit == S75_UNIT_MILLIONS)
		s75_buf_printf(out, ".%u", (unsigned)(m % 10));
	if (q < 0)
		s75_buf_putc(out, ')');
}

void s75_unit_amount(s75_buf *out, int64_t pence, s75_unit unit)
{
	/* the magnitude, in its unit, then the sign in front */
	uint64_t m = pence < 0 ? (uint64_t)0 - (uint64_t)pence : (uint64_t)pence;
	if (pence < 0)
		s75_buf_putc(out, '-');
	s75_buf_puts(out, "£");
	if (unit == S75_UNIT_POUNDS || m > (uint64_t)INT64_MAX) {
		s75_money_format(out, (int64_t)(m > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : m),
				 S75_UNIT_POUNDS, S75_FMT_SEP);
		return;
	}
	s75_unit_format(out, s75_alloc_round_one((int64_t)m, s75_unit_quantum(unit)), unit);
	s75_buf_puts(out, unit == S75_UNIT_THOUSANDS ? "k" : "m");
}

/* Column c of the rows [from, to) (a total among them stays as already shown) rounded so
 * that they add to the total at row `to`. */
static void round_group(int64_t *out, const s75_table *t, size_t c, size_t from, size_t to,
			int64_t quantum)
{
	int64_t exact = 0, fixed = 0;
	size_t nfree = 0;
	for (size_t r = from; r < to; r++) {
		const s75_cell *x = &t->cells[r * t->ncols + c];
		if (x->type != S75_CELL_MONEY)
			continue;
		if (s75_money_add(&exact, exact, x->v))
			return;
		if (t->flags[r] & S75_ROW_TOTAL)
			fixed += out[r * t->ncols + c];
		else
			nfree++;
	}
	if (!nfree || exact != t->cells[to * t->ncols + c].v)
		return; /* not a sum of these rows: each stays rounded on its own */
	int64_t *v = xcalloc(nfree, sizeof(int64_t)), *q = xcalloc(nfree, sizeof(int64_t));
	size_t k = 0;
	for (size_t r = from; r < to; r++)
		if (t->cells[r * t->ncols + c].type == S75_CELL_MONEY && !(t->flags[r] & S75_ROW_TOTAL))
			v[k++] = t->cells[r * t->ncols + c].v;
	if (s75_alloc_round(q, v, nfree, quantum, out[to * t->ncols + c] - fixed) == 0) {
		k = 0;
		for (size_t r = from; r < to; r++)
			if (t->cells[r * t->ncols + c].type == S75_CELL_MONEY &&
			    !(t->flags[r] & S75_ROW_TOTAL))
				out[r * t->ncols + c] = q[k++];
	}
	free(v);
	free(q);
}

/* Rows [from, to) of column c that are subtotals: rounded to add to the grand total at `to`. */
static void round_subtotals(int64_t *out, const s75_table *t, size_t c, size_t from, size_t to,
			    int64_t quantum)
{
	size_t n = 0;
	int64_t exact = 0;
	for (size_t r = from; r < to; r++)
		if ((t->flags[r] & S75_ROW_SUBTOTAL) && t->cells[r * t->ncols + c].type == S75_CELL_MONEY) {
			if (s75_money_add(&exact, exact, t->cells[r * t->ncols + c].v))
				return;
			n++;
		}
	if (!n || exact != t->cells[to * t->ncols + c].v)
		return;
	int64_t *v = xcalloc(n, sizeof(int64_t)), *q = xcalloc(n, sizeof(int64_t));
	size_t k = 0;
	for (size_t r = from; r < to; r++)
		if ((t->flags[r] & S75_ROW_SUBTOTAL) && t->cells[r * t->ncols + c].type == S75_CELL_MONEY)
			v[k++] = t->cells[r * t->ncols + c].v;
	if (s75_alloc_round(q, v, n, quantum, out[to * t->ncols + c]) == 0) {
		k = 0;
		for (size_t r = from; r < to; r++)
			if ((t->flags[r] & S75_ROW_SUBTOTAL) &&
			    t->cells[r * t->ncols + c].type == S75_CELL_MONEY)
				out[r * t->ncols + c] = q[k++];
	}
	free(v);
	free(q);
}

void s75_table_display(int64_t *out, const s75_table *t, s75_unit unit)
{
	int64_t quantum = s75_unit_quantum(unit);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const s75_cell *x = &t->cells[r * t->ncols + c];
			out[r * t->ncols + c] =
				x->type == S75_CELL_MONEY ? s75_alloc_round_one(x->v, quantum) : 0;
		}
	if (quantum == 1)
		return;
	for (size_t c = 0; c < t->ncols; c++) {
		/* top down: each grand total's subtotals first */
		size_t from = 0;
		for (size_t r = 0; r < t->nrows; r++)
			if ((t->flags[r] & S75_ROW_STRONG) && (t->flags[r] & S75_ROW_TOTAL)) {
				if (t->cells[r * t->ncols + c].type == S75_CELL_MONEY)
					round_subtotals(out, t, c, from, r, quantum);
				from = r + 1;
			}
		/* then the rows of each total */
		from = 0;
		bool subtotals = false;
		for (size_t r = 0; r < t->nrows; r++) {
			if (!(t->flags[r] & S75_ROW_TOTAL))
				continue;
			bool sub = (t->flags[r] & S75_ROW_SUBTOTAL) != 0;
			bool grand_of_subtotals = (t->flags[r] & S75_ROW_STRONG) && subtotals;
			if (!grand_of_subtotals && t->cells[r * t->ncols + c].type == S75_CELL_MONEY)
				round_group(out, t, c, from, r, quantum);
			subtotals |= sub;
			if (t->flags[r] & S75_ROW_STRONG)
				subtotals = false;
			/* the next total sums from this one, as the workbook's SUM does, or after a
			 * subtotal from the next section's first row */
			from = sub ? r + 1 : r;
		}
	}
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

/* A copy of `s` in the table's blocks: a table of 70,000 rows has hundreds of thousands of
 * texts, each a malloc of its own before. */
static char *text_copy(s75_table *t, const char *s)
{
	size_t n = strlen(s) + 1;
	if (n > t->text_left) {
		t->text_block = t->text_block ? t->text_block * 2 : 1024;
		if (t->text_block > (1u << 20))
			t->text_block = 1u << 20;
		size_t size = n > t->text_block ? n : t->text_block;
		char *b = xmalloc(sizeof(void *) + size);
		memcpy(b, &t->text_blocks, sizeof(void *));
		t->text_blocks = b;
		t->text_pos = b + sizeof(void *);
		t->text_left = size;
	}
	char *c = t->text_pos;
	memcpy(c, s, n);
	t->text_pos += n;
	t->text_left -= n;
	return c;
}

void s75_table_text(s75_table *t, const char *s)
{
	s75_cell *c = next_cell(t);
	c->type = S75_CELL_TEXT;
	c->text = text_copy(t, s ? s : "");
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

static void cell_text(const s75_cell *c, s75_buf *out, s75_unit unit, int csv, int64_t shown)
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
		if (csv)
			s75_money_format(out, c->v, S75_UNIT_POUNDS, 0);
		else
			s75_unit_format(out, shown, unit);
		break;
	case S75_CELL_BP:
		s75_bp_format(out, c->v);
		if (!csv)
			s75_buf_putc(out, '%');
		break;
	case S75_CELL_INT: {
		/* as "%lld", without printf */
		char b[24];
		size_t k = sizeof(b);
		uint64_t a = c->v < 0 ? (uint64_t)0 - (uint64_t)c->v : (uint64_t)c->v;
		do {
			b[--k] = (char)('0' + a % 10);
			a /= 10;
		} while (a);
		if (c->v < 0)
			b[--k] = '-';
		s75_buf_add(out, b + k, sizeof(b) - k);
		break;
	}
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
	s75_buf_grow(out, n);
	memset(out->ptr + out->len, ' ', n);
	out->len += n;
	out->ptr[out->len] = '\0';
}

void s75_table_render_text(const s75_table *t, s75_buf *out, s75_unit unit)
{
	size_t *w = xcalloc(t->ncols + 1, sizeof(size_t));
	int64_t *shown = xcalloc(t->nrows * t->ncols + 1, sizeof(int64_t));
	/* every cell formatted once, one after another, for its width and then its line */
	size_t ncells = (t->nrows + 1) * t->ncols;
	size_t *at = xcalloc(ncells + 1, sizeof(size_t)), *cw = xcalloc(ncells + 1, sizeof(size_t));
	s75_buf all = S75_BUF_INIT;

	s75_table_display(shown, t, unit);

	for (size_t r = 0; r <= t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			at[i] = all.len;
			if (r == 0)
				s75_buf_puts(&all, t->headers[c]);
			else
				cell_text(&t->cells[(r - 1) * t->ncols + c], &all, unit, 0,
					  shown[(r - 1) * t->ncols + c]);
			cw[i] = width(all.ptr + at[i], all.len - at[i]);
			if (cw[i] > w[c])
				w[c] = cw[i];
		}
	at[ncells] = all.len;
	if (*t->title)
		s75_buf_printf(out, "%s\n", t->title);
	size_t total = 0;
	for (size_t c = 0; c < t->ncols; c++)
		total += w[c] + (c ? 2 : 0);
	for (size_t r = 0; r <= t->nrows; r++) {
		if (r > 0 && (t->flags[r - 1] & S75_ROW_TOTAL)) {
			pad(out, total);
			memset(out->ptr + out->len - total, '-', total);
			s75_buf_putc(out, '\n');
		}
		size_t line_start = out->len;
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			int right = t->types[c] != S75_CELL_TEXT;
			if (c)
				pad(out, 2);
			if (right)
				pad(out, w[c] - cw[i]);
			s75_buf_add(out, all.ptr + at[i], at[i + 1] - at[i]);
			if (!right)
				pad(out, w[c] - cw[i]);
		}
		while (out->len > line_start && out->ptr[out->len - 1] == ' ')
			out->len--;
		out->ptr[out->len] = '\0';
		s75_buf_putc(out, '\n');
		if (r == 0) {
			pad(out, total);
			memset(out->ptr + out->len - total, '=', total);
			s75_buf_putc(out, '\n');
		}
	}
	s75_buf_release(&all);
	free(at);
	free(cw);
	free(shown);
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
				cell_text(x, &cell, S75_UNIT_POUNDS, 1, 0);
				s75_buf_add(out, cell.ptr, cell.len);
			}
		}
		s75_buf_puts(out, "\r\n");
	}
	s75_buf_release(&cell);
}
