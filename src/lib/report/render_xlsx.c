/* A report document as an XLSX workbook, with libxlsxwriter: a cover sheet, then a
 * sheet per section; £ formats with negatives in brackets; frozen headers and a filter
 * on each sheet's first table; every total row a SUM formula over the cells above it,
 * so that finance can audit the workbook rather than trust it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "doc_internal.h"
#include "s75/error.h"
#include "s75/outfile.h"
#include "s75/text.h"
#include "xalloc.h"

typedef struct formats {
	lxw_format *money, *money_total, *pct, *pct_total, *bold, *header, *title, *wrap,
		*text_total, *integer, *date;
} formats;

/* A text cell that is a date (YYYY-MM-DD, a real day) goes in as a date, so that a
 * spreadsheet sorts and filters it as one. */
static bool as_date(const char *s, lxw_datetime *out)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0)))
		return false;
	*out = (lxw_datetime){y, m, d, 0, 0, 0};
	return true;
}

/*
 * The spreadsheet's number type is a double: this is the one place an amount leaves
 * integer pence. Pence below 2^53 convert exactly, and the division by 100 gives the
 * nearest double to the exact pounds-and-pence value, which the £ format shows exactly.
 */
static double pounds_for_sheet(int64_t pence)
{
	return (double)pence / 100.0;
}

static double pct_for_sheet(int64_t bp)
{
	return (double)bp / 10000.0;
}

/* Text from imported files could start a formula in a spreadsheet: neutralise it. */
static void write_text(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	/* a string cell is never a formula, so "=..." needs no apostrophe; characters XML
	 * cannot carry are replaced so the workbook stays well-formed */
	if (!s[s75_text_xml_plain(s)]) {
		worksheet_write_string(ws, r, c, s, f); /* plain ASCII: safe as it is */
		return;
	}
	s75_buf b = S75_BUF_INIT;
	s75_text_xml_safe(&b, s);
	worksheet_write_string(ws, r, c, b.ptr, f);
	s75_buf_release(&b);
}

static void col_name(char *buf, size_t n, lxw_col_t c)
{
	char tmp[8];
	int k = 0;
	c++;
	while (c > 0 && k < 7) {
		tmp[k++] = (char)('A' + (c - 1) % 26);
		c = (lxw_col_t)((c - 1) / 26);
	}
	size_t i = 0;
	while (k > 0 && i + 1 < n)
		buf[i++] = tmp[--k];
	buf[i] = '\0';
}

/* Writes table `t` from row `r0`; returns the next free row. */
static lxw_row_t write_table(lxw_worksheet *ws, const s75_table *t, lxw_row_t r0,
			     const formats *f, bool first)
{
	lxw_row_t r = r0;
	if (*t->title)
		worksheet_write_string(ws, r++, 0, t->title, f->bold);
	lxw_row_t head = r;
	for (size_t c = 0; c < t->ncols; c++)
		worksheet_write_string(ws, r, (lxw_col_t)c, t->headers[c], f->header);
	r++;
	lxw_row_t group_start = r; /* the rows a total sums: back to the previous total, inclusive,
				      or to the row after the previous subtotal */
	s75_buf subs = S75_BUF_INIT; /* the subtotals' rows (1-based) since the last grand total */
	for (size_t i = 0; i < t->nrows; i++, r++) {
		bool total = (t->flags[i] & S75_ROW_TOTAL) != 0;
		bool grand_of_subtotals = total && (t->flags[i] & S75_ROW_STRONG) && subs.len;
		for (size_t c = 0; c < t->ncols; c++) {
			const s75_cell *x = &t->cells[i * t->ncols + c];
			lxw_col_t col = (lxw_col_t)c;
			if (total && (x->type == S75_CELL_MONEY || x->type == S75_CELL_INT) &&
			    (r > group_start || grand_of_subtotals)) {
				char cn[8];
				s75_buf formula = S75_BUF_INIT;
				col_name(cn, sizeof(cn), col);
				if (grand_of_subtotals) {
					/* the sum of the sections' subtotals */
					s75_buf_puts(&formula, "=SUM(");
					char *p = subs.ptr;
					for (bool first_sub = true; *p; first_sub = false) {
						unsigned row = (unsigned)strtoul(p, &p, 10);
						s75_buf_printf(&formula, "%s%s%u", first_sub ? "" : ",", cn, row);
						if (*p == ',')
							p++;
					}
					s75_buf_putc(&formula, ')');
				} else {
					s75_buf_printf(&formula, "=SUM(%s%u:%s%u)", cn, (unsigned)group_start + 1,
						       cn, (unsigned)r);
				}
				double cached = x->type == S75_CELL_MONEY ? pounds_for_sheet(x->v) : (double)x->v;
				worksheet_write_formula_num(ws, r, col, formula.ptr,
							    x->type == S75_CELL_MONEY ? f->money_total : f->bold,
							    cached);
				s75_buf_release(&formula);
				continue;
			}
			switch (x->type) {
			case S75_CELL_TEXT: {
				lxw_datetime dt;
				if (as_date(x->text, &dt))
					worksheet_write_datetime(ws, r, col, &dt, f->date);
				else
					write_text(ws, r, col, x->text, total ? f->text_total : NULL);
				break;
			}
			case S75_CELL_MONEY:
				worksheet_write_number(ws, r, col, pounds_for_sheet(x->v),
						       total ? f->money_total : f->money);
				break;
			case S75_CELL_BP:
				worksheet_write_number(ws, r, col, pct_for_sheet(x->v),
						       total ? f->pct_total : f->pct);
				break;
			case S75_CELL_INT:
				worksheet_write_number(ws, r, col, (double)x->v, f->integer);
				break;
			case S75_CELL_EMPTY:
				break;
			}
		}
		if (total && (t->flags[i] & S75_ROW_SUBTOTAL)) {
			s75_buf_printf(&subs, "%s%u", subs.len ? "," : "", (unsigned)r + 1);
			group_start = r + 1;
		} else if (total) {
			group_start = r;
		}
		if (total && (t->flags[i] & S75_ROW_STRONG))
			s75_buf_reset(&subs);
	}
	s75_buf_release(&subs);
	if (first) {
		worksheet_freeze_panes(ws, head + 1, 0);
		if (t->nrows)
			worksheet_autofilter(ws, head, 0, r - 1, (lxw_col_t)(t->ncols ? t->ncols - 1 : 0));
	}
	return r + 1;
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\, unique. */
static void sheet_name(char *out, size_t n, const char *heading, size_t index)
{
	size_t k = 0;
	for (const char *p = heading; *p && k < 28 && k + 1 < n; p++)
		out[k++] = strchr("[]:*?/\\'", *p) ? '-' : *p;
	out[k] = '\0';
	if (!k || index)
		snprintf(out + k, n - k, "%s%zu", k ? " " : "Sheet ", index + 1);
}

int s75_doc_render_xlsx(const s75_doc *d, const char *path)
{
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	s75_outfile *of;
	int rc = s75_outfile_open(&of, path);
	if (rc)
		return rc;
	/* libxlsxwriter writes a file by name: its temporary one, renamed over `path` at the end */
	s75_outfile_release_fp(of);
	lxw_workbook *wb = workbook_new_opt(s75_outfile_tmp_path(of), &opt);
	formats f;
	if (!wb) {
		s75_outfile_abort(of);
		return s75_error_set(S75_EIO, "cannot create '%s'", path);
	}
	/* the exact amount in the cell; £'000 and £m only in how it is shown, so that
	 * formulas still add pence */
	const char *money_fmt = d->unit == S75_UNIT_THOUSANDS ? "£#,##0,;(£#,##0,);£0,"
				: d->unit == S75_UNIT_MILLIONS ? "£#,##0.0,,;(£#,##0.0,,);£0.0,,"
							       : "£#,##0.00;(£#,##0.00);£0.00";
	f.money = workbook_add_format(wb);
	format_set_num_format(f.money, money_fmt);
	f.money_total = workbook_add_format(wb);
	format_set_num_format(f.money_total, money_fmt);
	format_set_bold(f.money_total);
	format_set_top(f.money_total, LXW_BORDER_THIN);
	f.pct = workbook_add_format(wb);
	format_set_num_format(f.pct, "0.00%");
	f.pct_total = workbook_add_format(wb);
	format_set_num_format(f.pct_total, "0.00%");
	format_set_bold(f.pct_total);
	f.bold = workbook_add_format(wb);
	format_set_bold(f.bold);
	f.text_total = workbook_add_format(wb);
	format_set_bold(f.text_total);
	format_set_top(f.text_total, LXW_BORDER_THIN);
	f.header = workbook_add_format(wb);
	format_set_bold(f.header);
	format_set_bg_color(f.header, 0x1F4E79);
	format_set_font_color(f.header, LXW_COLOR_WHITE);
	f.title = workbook_add_format(wb);
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	f.wrap = workbook_add_format(wb);
	format_set_text_wrap(f.wrap);
	f.integer = workbook_add_format(wb);
	format_set_num_format(f.integer, "#,##0");
	f.date = workbook_add_format(wb);
	format_set_num_format(f.date, "yyyy-mm-dd");

	lxw_doc_properties props = {0};
	props.title = d->title;
	static char comments[] = "Produced by s75";
	props.comments = comments;
	workbook_set_properties(wb, &props);

	/* the cover: what, when, parameters, provenance */
	lxw_worksheet *cover = workbook_add_worksheet(wb, "Cover");
	worksheet_write_string(cover, 0, 0, d->title, f.title);
	lxw_row_t row = 2;
	for (size_t i = 0; i < d->nwarnings; i++, row++) {
		worksheet_write_string(cover, row, 0, "Warning", f.bold);
		write_text(cover, row, 1, d->warnings[i], f.bold);
	}
	row += d->nwarnings > 0;
	for (size_t i = 0; i < d->nmeta; i++, row++) {
		worksheet_write_string(cover, row, 0, d->meta[i].key, f.bold);
		lxw_datetime dt; /* a parameter that is a day (status, risks) as a date too */
		if (as_date(d->meta[i].value, &dt))
			worksheet_write_datetime(cover, row, 1, &dt, f.date);
		else
			write_text(cover, row, 1, d->meta[i].value, NULL);
	}
	if (d->unit != S75_UNIT_POUNDS) {
		/* the cells hold the exact amounts; the format shows them in the unit */
		worksheet_write_string(cover, row, 0, "Amounts shown in", f.bold);
		worksheet_write_string(cover, row, 1, s75_unit_name(d->unit), NULL);
	}
	worksheet_set_column(cover, 0, 0, 28, NULL);
	worksheet_set_column(cover, 1, 1, 90, NULL);
	worksheet_set_paper(cover, 9); /* A4 */

	for (size_t i = 0; i < d->nsections; i++) {
		const doc_section *s = &d->sections[i];
		char name[40];
		bool tables = false;
		for (size_t k = 0; k < s->nblocks; k++)
			tables |= s->blocks[k].table != NULL;
		if (!tables)
			continue; /* charts are drawn in the HTML; the workbook holds the figures */
		const char *base = s->sheet ? s->sheet : s->heading;
		sheet_name(name, sizeof(name), base, 0);
		/* a clash with an earlier sheet gets a number */
		for (size_t k = 0; k < i; k++) {
			char other[40];
			sheet_name(other, sizeof(other), d->sections[k].sheet ? d->sections[k].sheet : d->sections[k].heading, 0);
			if (!strcmp(other, name) || !strcmp(name, "Cover")) {
				sheet_name(name, sizeof(name), base, i);
				break;
			}
		}
		lxw_worksheet *ws = workbook_add_worksheet(wb, name);
		if (!ws) {
			workbook_close(wb);
			s75_outfile_abort(of);
			return s75_error_set(S75_EIO, "cannot add sheet '%s' to '%s'", name, path);
		}
		worksheet_set_paper(ws, 9);
		worksheet_set_landscape(ws);
		worksheet_fit_to_pages(ws, 1, 0);
		lxw_row_t r = 0;
		bool first = true;
		size_t widest = 0;
		for (size_t k = 0; k < s->nblocks; k++) {
			const doc_block *b = &s->blocks[k];
			if (b->text) {
				s75_buf para = S75_BUF_INIT;
				doc_para_text(&para, b, d->unit);
				write_text(ws, r, 0, para.ptr, NULL);
				s75_buf_release(&para);
				r += 2;
			} else if (b->table) {
				if (first) {
					/* the first table's header is at the top so it can be frozen */
					r = write_table(ws, b->table, r, &f, true);
					first = false;
				} else {
					r = write_table(ws, b->table, r, &f, false);
				}
				if (b->table->ncols > widest)
					widest = b->table->ncols;
			}
		}
		worksheet_set_column(ws, 0, 0, 44, NULL);
		if (widest > 1)
			worksheet_set_column(ws, 1, (lxw_col_t)(widest - 1), 17, NULL);
	}
	errno = 0;
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		/* the system's reason (a full disk) says more than the zip library's */
		int err = errno;
		s75_outfile_abort(of);
		return s75_error_set(S75_EIO, "cannot write '%s': %s (the file is unchanged)", path,
				     err ? strerror(err) : lxw_strerror(e));
	}
	return s75_outfile_commit(of);
}
