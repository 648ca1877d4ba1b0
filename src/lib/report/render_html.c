/* A report document as one self-contained HTML page: inline CSS, inline SVG charts
 * drawn here, no script, font, image or link to anything outside the file. The markup is
 * well-formed XML as well as HTML5, so it can be checked with an XML parser. Charts
 * carry a title and a description, and their figures are repeated in a table. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "s75/kpi.h"
#include "s75/text.h"
#include "xalloc.h"

/* The one escaper of the page (html_esc.c), for every value. */
static void esc(s75_buf *out, const char *text)
{
	doc_html_esc(out, text);
}

static const char *const css =
	"@page wide{size:A4 landscape}section.wide{page:wide}"
	"body{font-family:Arial,Helvetica,sans-serif;font-size:10pt;color:#111;margin:0 auto;max-width:250mm;padding:0 8px}"
	"thead{display:table-header-group}tr{break-inside:avoid}td{overflow-wrap:break-word}"
	"h1{font-size:16pt;margin:0 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt;border-bottom:1.5pt solid #1f4e79;color:#1f4e79}"
	"h3{font-size:11pt;margin:10pt 0 4pt}"
	"ul.warnings{border:2px solid #b00;background:#fff3f3;color:#600;padding:4pt 4pt 4pt 18pt;"
	"font-size:9pt;font-weight:bold}"
	"dl.cover{display:grid;grid-template-columns:max-content auto;gap:2pt 10pt;font-size:9pt}"
	"dl.cover dt{font-weight:bold}dl.cover dd{margin:0;word-break:break-all}"
	"table{border-collapse:collapse;margin:4pt 0 10pt;font-size:8.5pt;page-break-inside:auto}"
	"caption{text-align:left;font-weight:bold;padding:2pt 0}"
	"td:first-child{min-width:9em}th,td{padding:2pt 5pt;border-bottom:0.5pt solid #bbb;vertical-align:top}"
	"th{background:#1f4e79;color:#fff;text-align:left}th.n,td.n{text-align:right}td.n{white-space:nowrap}th{min-width:4em}"
	"tr.total td{font-weight:bold;border-top:1pt solid #111}tr.strong td{border-bottom:2pt double #111}"
	"td.adverse{color:#9c0006;font-weight:bold}"
	"td.rag{font-weight:bold;white-space:nowrap}td.rag-r{background:#f4c7c3;color:#7a0000}"
	"td.rag-a{background:#fce8b2;color:#5c4300}td.rag-g{background:#c6e6c9;color:#0b4d16}"
	"p.note{font-size:8.5pt;font-style:italic;color:#333}"
	"figure{margin:6pt 0;page-break-inside:avoid;max-width:180mm}figcaption{font-weight:bold;font-size:9pt}"
	"svg text{font-family:Arial,Helvetica,sans-serif}"
	"section{page-break-before:always}section:first-of-type{page-break-before:auto}"
	"table.chart-data{font-size:7.5pt}p.chart-alt{font-size:8.5pt;color:#333;margin:2pt 0 4pt}"
	"@media screen{section.wide table{font-size:7.5pt}section.wide th,section.wide td{padding:2pt 3pt}}" /* a wide table fits a 1200 px screen */
	"@media print{body{max-width:none;padding:0}th,td.rag{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	/* on paper as a committee paper: the cover and the tables tighter, so that a summary of
	 * a few pools (with the warnings and the rounding note above it) stays on page 1 */
	"dl.cover{gap:0 10pt;font-size:8pt}ul.warnings{margin:4pt 0}p.note{margin:4pt 0}"
	"th,td{padding:1.5pt 5pt}table{margin:3pt 0 7pt}h2{margin:10pt 0 4pt}h3{margin:7pt 0 3pt}"
	"details>summary{display:none}details::details-content{content-visibility:visible;display:block}}";

/* A string for CSS `content`: quotes and backslashes escaped, '<' and '&' as hex escapes so
 * that it can neither close the style element nor break the XML, control characters as
 * spaces. */
static void css_string(s75_buf *out, const char *s)
{
	s75_buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			s75_buf_printf(out, "\\%c", *s);
		else if (*s == '<' || *s == '&') /* the page is XML too */
			s75_buf_printf(out, "\\%x ", (unsigned)*s);
		else if ((unsigned char)*s < 0x20)
			s75_buf_putc(out, ' ');
		else
			s75_buf_putc(out, *s);
	}
	s75_buf_putc(out, '"');
}

/* Wide tables go on landscape pages. */
static bool section_wide(const doc_section *s)
{
	for (size_t k = 0; k < s->nblocks; k++)
		if (s->blocks[k].table && s->blocks[k].table->ncols >= 8)
			return true;
	return false;
}

/* A red/amber/green cell: coloured, and labelled in words for greyscale and screen readers. */
static bool rag_cell(s75_buf *out, const char *text)
{
	static const char *const rag[][3] = {{"red", "rag-r", "Red"}, {"amber", "rag-a", "Amber"},
					     {"green", "rag-g", "Green"}};
	for (size_t i = 0; i < 3; i++)
		if (!strcmp(text, rag[i][0]) || !strcmp(text, rag[i][2])) {
			s75_buf_printf(out, "<td class=\"rag %s\"><span aria-hidden=\"true\">%s</span> %s</td>",
				       rag[i][1], i == 0 ? "&#9650;" : i == 1 ? "&#9670;" : "&#9679;", rag[i][2]);
			return true;
		}
	return false;
}

static void table_html(s75_buf *out, const s75_table *t, const char *cls, s75_unit unit)
{
	int64_t *shown = xcalloc(t->nrows * t->ncols + 1, sizeof(int64_t));
	s75_table_display(shown, t, unit);
	s75_buf_printf(out, "<table%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	if (*t->title) {
		s75_buf_puts(out, "<caption>");
		esc(out, t->title);
		s75_buf_puts(out, "</caption>");
	}
	s75_buf_puts(out, "<thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		s75_buf_printf(out, "<th scope=\"col\"%s>", t->types[c] == S75_CELL_TEXT ? "" : " class=\"n\"");
		esc(out, t->headers[c]);
		s75_buf_puts(out, "</th>");
	}
	s75_buf_puts(out, "</tr></thead><tbody>");
	for (size_t r = 0; r < t->nrows; r++) {
		unsigned f = t->flags[r];
		/* fixed strings: put, not printed (a table can have thousands of rows) */
		s75_buf_puts(out, (f & S75_ROW_STRONG) ? "<tr class=\"total strong\">"
				  : (f & S75_ROW_TOTAL) ? "<tr class=\"total\">"
							: "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const s75_cell *x = &t->cells[r * t->ncols + c];
			/* red is for bad news (an overspend), not for every negative figure */
			bool bad = s75_table_adverse(t, r, c);
			if (x->type == S75_CELL_TEXT && (t->colflags[c] & S75_COL_RAG) && rag_cell(out, x->text))
				continue;
			s75_buf_puts(out, x->type == S75_CELL_TEXT || x->type == S75_CELL_EMPTY
						  ? "<td>"
						  : bad ? "<td class=\"n adverse\">" : "<td class=\"n\">");
			switch (x->type) {
			case S75_CELL_TEXT:
				esc(out, x->text);
				break;
			case S75_CELL_MONEY:
				s75_unit_format(out, shown[r * t->ncols + c], unit);
				break;
			case S75_CELL_BP:
				s75_bp_format(out, x->v);
				s75_buf_putc(out, '%');
				break;
			case S75_CELL_INT:
				s75_buf_printf(out, "%lld", (long long)x->v);
				break;
			case S75_CELL_EMPTY:
				break;
			}
			s75_buf_puts(out, "</td>");
		}
		s75_buf_puts(out, "</tr>");
	}
	s75_buf_puts(out, "</tbody></table>\n");
	free(shown);
}

/* A chart (render_chart.c), its text alternative under it, and its figures as a table for
 * readers who cannot see it. */
static void chart_html(s75_buf *out, const s75_chart *c, size_t id)
{
	bool counts = c->kind == S75_CHART_HISTOGRAM, kpi = c->values == S75_CHART_FIXED4;
	doc_chart_svg(out, c, id);
	s75_table *t = s75_table_new("");
	s75_table_column(t, "", S75_CELL_TEXT);
	for (size_t s = 0; s < c->nseries; s++)
		s75_table_column(t, c->series[s].name,
				 counts ? S75_CELL_INT : kpi ? S75_CELL_TEXT : S75_CELL_MONEY);
	s75_buf v = S75_BUF_INIT;
	for (size_t i = 0; i < c->ncats; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, c->cats[i]);
		for (size_t s = 0; s < c->nseries; s++) {
			bool has = i < c->series[s].n;
			int64_t x = has ? c->series[s].v[i] : 0;
			if (counts) {
				s75_table_int(t, x);
			} else if (kpi) {
				s75_buf_reset(&v);
				if (has) {
					s75_kpi_value_format(&v, x, true);
					s75_buf_puts(&v, c->suffix ? c->suffix : "");
				}
				s75_table_text(t, v.ptr ? v.ptr : "");
			} else {
				s75_table_money(t, x);
			}
		}
	}
	s75_buf_release(&v);
	s75_buf_puts(out, "<details><summary>Figures of the chart</summary>");
	table_html(out, t, "chart-data", S75_UNIT_POUNDS);
	s75_buf_puts(out, "</details>\n");
	s75_table_free(t);
}


const char *s75_doc_html_css(void)
{
	return css;
}

void s75_doc_render_html(const s75_doc *d, s75_buf *out)
{
	s75_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"/>"
			  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>");
	esc(out, d->title);
	s75_buf_printf(out, "</title><style>%s", css);
	/* A4, the paper's title in a running header and the page numbers at the foot */
	s75_buf_puts(out, "@page{size:A4;margin:14mm 12mm 12mm;@top-left{content:");
	css_string(out, d->title);
	s75_buf_puts(out, ";font-size:8pt;color:#444}@bottom-right{content:\"Page \" counter(page) "
			  "\" of \" counter(pages);font-size:8pt;color:#444}}");
	s75_buf_puts(out, "</style></head>\n<body>");
	s75_doc_render_html_body(d, out);
	s75_buf_puts(out, "</body></html>\n");
}

void s75_doc_render_html_body(const s75_doc *d, s75_buf *out)
{
	size_t chart_id = 0;
	s75_buf_puts(out, "<header><h1>");
	esc(out, d->title);
	s75_buf_puts(out, "</h1>");
	if (d->nwarnings) {
		s75_buf_puts(out, "<ul class=\"warnings\" role=\"alert\">");
		for (size_t i = 0; i < d->nwarnings; i++) {
			s75_buf_puts(out, "<li>");
			esc(out, d->warnings[i]);
			s75_buf_puts(out, "</li>");
		}
		s75_buf_puts(out, "</ul>");
	}
	s75_buf_puts(out, "<dl class=\"cover\">");
	for (size_t i = 0; i < d->nmeta; i++) {
		s75_buf_puts(out, "<dt>");
		esc(out, d->meta[i].key);
		s75_buf_puts(out, "</dt><dd>");
		esc(out, d->meta[i].value);
		s75_buf_puts(out, "</dd>");
	}
	s75_buf_puts(out, "</dl>");
	if (d->unit != S75_UNIT_POUNDS) {
		s75_buf_puts(out, "<p class=\"note\">");
		esc(out, s75_doc_rounding_note(d->unit));
		s75_buf_puts(out, "</p>");
	}
	s75_buf_puts(out, "</header>\n<main>");
	for (size_t i = 0; i < d->nsections; i++) {
		const doc_section *s = &d->sections[i];
		s75_buf_puts(out, section_wide(s) ? "<section class=\"wide\">" : "<section>");
		if (strcmp(s->heading, d->title)) {
			s75_buf_puts(out, "<h2>");
			esc(out, s->heading);
			s75_buf_puts(out, "</h2>");
		}
		s75_buf_puts(out, "\n");
		for (size_t k = 0; k < s->nblocks; k++) {
			const doc_block *b = &s->blocks[k];
			if (b->text) {
				s75_buf para = S75_BUF_INIT;
				doc_para_text(&para, b, d->unit);
				s75_buf_puts(out, "<p>");
				esc(out, para.ptr);
				s75_buf_puts(out, "</p>\n");
				s75_buf_release(&para);
			} else if (b->table) {
				table_html(out, b->table, NULL, d->unit);
			} else if (b->chart) {
				chart_html(out, b->chart, ++chart_id);
			}
		}
		s75_buf_puts(out, "</section>\n");
	}
	s75_buf_puts(out, "</main>");
}
