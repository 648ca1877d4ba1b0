/* A report document as one self-contained HTML page: inline CSS, inline SVG charts
 * drawn here, no script, font, image or link to anything outside the file. The markup is
 * well-formed XML as well as HTML5, so it can be checked with an XML parser. Charts
 * carry a title and a description, and their figures are repeated in a table. */
#include <stdlib.h>
#include <string.h>

#include "doc_internal.h"
#include "s75/text.h"
#include "xalloc.h"

static void esc(s75_buf *out, const char *text)
{
	/* what XML cannot carry (controls, non-characters, broken UTF-8) replaced first */
	s75_buf safe = S75_BUF_INIT;
	s75_text_xml_safe(&safe, text);
	for (const char *s = safe.ptr ? safe.ptr : ""; *s; s++) {
		switch (*s) {
		case '&':
			s75_buf_puts(out, "&amp;");
			break;
		case '<':
			s75_buf_puts(out, "&lt;");
			break;
		case '>':
			s75_buf_puts(out, "&gt;");
			break;
		case '"':
			s75_buf_puts(out, "&quot;");
			break;
		default:
			/* control characters have no place in a committee paper */
			if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
				s75_buf_putc(out, ' ');
			else
				s75_buf_putc(out, *s);
		}
	}
	s75_buf_release(&safe);
}

static const char *const css =
	"@page wide{size:A4 landscape}section.wide{page:wide}"
	"body{font-family:Arial,Helvetica,sans-serif;font-size:10pt;color:#111;margin:0 auto;max-width:250mm;padding:0 8px}"
	"thead{display:table-header-group}tr{break-inside:avoid}td{overflow-wrap:anywhere}"
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
	"figure{margin:6pt 0;page-break-inside:avoid}figcaption{font-weight:bold;font-size:9pt}"
	"svg text{font-family:Arial,Helvetica,sans-serif}"
	"section{page-break-before:always}section:first-of-type{page-break-before:auto}"
	"table.chart-data{font-size:7.5pt}"
	"@media print{body{max-width:none;padding:0}th,td.rag{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
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

/* Dark enough for 4.5:1 against white (WCAG AA), told apart by shade too. */
static const char *const palette[] = {"#1f4e79", "#c55a11", "#375623", "#7030a0", "#7f6000",
				      "#404040"};

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
		s75_buf_printf(out, "<tr%s>",
			       (f & S75_ROW_STRONG) ? " class=\"total strong\""
			       : (f & S75_ROW_TOTAL) ? " class=\"total\""
						     : "");
		for (size_t c = 0; c < t->ncols; c++) {
			const s75_cell *x = &t->cells[r * t->ncols + c];
			/* red is for bad news (an overspend), not for every negative figure */
			bool bad = s75_table_adverse(t, r, c);
			if (x->type == S75_CELL_TEXT && (t->colflags[c] & S75_COL_RAG) && rag_cell(out, x->text))
				continue;
			s75_buf_printf(out, "<td%s>",
				       x->type == S75_CELL_TEXT || x->type == S75_CELL_EMPTY
					       ? ""
					       : bad ? " class=\"n adverse\"" : " class=\"n\"");
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

/*
 * Chart geometry. Pixel positions are drawing coordinates, not money: the amounts
 * stay in pence and are converted to a position on the axis only here, with doubles.
 */
enum { W = 680, H = 300, ML = 78, MR = 16, MT = 34, MB = 58 };

typedef struct axis {
	int64_t lo, hi; /* pence, lo <= 0 <= hi */
} axis;

static double ypos(const axis *a, int64_t v)
{
	double span = (double)(a->hi - a->lo);
	return MT + (double)(H - MT - MB) * (1.0 - (double)(v - a->lo) / (span > 0 ? span : 1.0));
}

/* A round step for about five gridlines: 1, 2 or 5 times a power of ten pounds. */
static int64_t nice_step(int64_t span)
{
	int64_t step = 100; /* £1 */
	while (step < INT64_MAX / 10) {
		if (span / step <= 5)
			return step;
		if (span / (step * 2) <= 5)
			return step * 2;
		if (span / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
	return step;
}

static void axis_label(s75_buf *out, int64_t pence, bool counts)
{
	if (counts) {
		s75_buf_printf(out, "%lld", (long long)pence);
		return;
	}
	int64_t a = pence < 0 ? -pence : pence;
	if (a >= 100000000) { /* £1m and more */
		s75_buf_puts(out, pence < 0 ? "-£" : "£");
		s75_money_format(out, a, S75_UNIT_MILLIONS, S75_FMT_SEP);
		s75_buf_putc(out, 'm');
	} else if (a >= 100000) {
		s75_buf_puts(out, pence < 0 ? "-£" : "£");
		s75_money_format(out, a, S75_UNIT_THOUSANDS, S75_FMT_SEP | S75_FMT_WHOLE);
		s75_buf_putc(out, 'k');
	} else {
		s75_buf_puts(out, pence < 0 ? "-£" : "£");
		s75_money_format(out, a, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_WHOLE);
	}
}

static void draw_axis(s75_buf *out, axis *a, bool counts)
{
	int64_t step = counts ? 1 : 100, span = a->hi - a->lo > 0 ? a->hi - a->lo : step;
	if (counts) /* 1, 2 or 5 times a power of ten */
		while (span / step > 5)
			step = span / (step * 2) <= 5 ? step * 2 : span / (step * 5) <= 5 ? step * 5 : step * 10;
	else
		step = nice_step(span);
	/* round the ends out to whole steps */
	a->lo = a->lo < 0 ? -((-a->lo + step - 1) / step) * step : 0;
	a->hi = a->hi > 0 ? ((a->hi + step - 1) / step) * step : 0;
	if (a->hi == a->lo)
		a->hi = a->lo + step;
	for (int64_t v = a->lo; v <= a->hi; v += step) {
		double y = ypos(a, v);
		s75_buf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>",
			       ML, y, W - MR, y, v ? "#d0d0d0" : "#333", v ? "0.6" : "1");
		s75_buf_printf(out, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#333\">", ML - 4, y + 3.5);
		axis_label(out, v, counts);
		s75_buf_puts(out, "</text>");
		if (v > INT64_MAX - step)
			break;
	}
}

static void legend(s75_buf *out, const s75_chart *c)
{
	double x = ML;
	for (size_t s = 0; s < c->nseries && c->kind != S75_CHART_WATERFALL; s++) {
		s75_buf_printf(out, "<rect x=\"%.1f\" y=\"10\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, palette[s % 6]);
		s75_buf_printf(out, "<text x=\"%.1f\" y=\"19\" font-size=\"10\" fill=\"#111\">", x + 14);
		esc(out, c->series[s].name);
		s75_buf_puts(out, "</text>");
		x += 24 + 6.0 * (double)strlen(c->series[s].name);
	}
}

static void category_labels(s75_buf *out, const s75_chart *c, double slot)
{
	for (size_t i = 0; i < c->ncats; i++) {
		double x = ML + slot * ((double)i + 0.5);
		s75_buf_printf(out, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"end\" fill=\"#111\" transform=\"rotate(-30 %.1f %d)\">",
			       x, H - MB + 14, x, H - MB + 14);
		esc(out, c->cats[i]);
		s75_buf_puts(out, "</text>");
	}
}

static void chart_svg(s75_buf *out, const s75_chart *c, size_t id)
{
	axis a = {0, 0};
	size_t n = c->ncats;
	double slot = n ? (double)(W - ML - MR) / (double)n : 1;
	int64_t *run = NULL;

	/* the range of the axis */
	if (c->kind == S75_CHART_WATERFALL && c->nseries) {
		const chart_series *s = &c->series[0];
		run = xcalloc(s->n + 1, sizeof(int64_t));
		int64_t acc = 0;
		for (size_t i = 0; i < s->n; i++) {
			bool total = i == 0 || i + 1 == s->n;
			acc = total ? s->v[i] : acc + s->v[i];
			run[i] = acc;
			if (acc < a.lo)
				a.lo = acc;
			if (acc > a.hi)
				a.hi = acc;
		}
	} else {
		for (size_t s = 0; s < c->nseries; s++)
			for (size_t i = 0; i < c->series[s].n; i++) {
				if (c->series[s].v[i] < a.lo)
					a.lo = c->series[s].v[i];
				if (c->series[s].v[i] > a.hi)
					a.hi = c->series[s].v[i];
			}
	}
	s75_buf_printf(out, "<figure><svg role=\"img\" aria-labelledby=\"c%zu-t c%zu-d\" viewBox=\"0 0 %d %d\" width=\"100%%\" preserveAspectRatio=\"xMidYMid meet\">", id, id, W, H);
	s75_buf_printf(out, "<title id=\"c%zu-t\">", id);
	esc(out, c->title);
	s75_buf_printf(out, "</title><desc id=\"c%zu-d\">", id);
	esc(out, c->desc);
	s75_buf_puts(out, "</desc>");
	s75_buf_printf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>", W, H);
	bool counts = c->kind == S75_CHART_HISTOGRAM;
	draw_axis(out, &a, counts);
	legend(out, c);
	if (c->kind == S75_CHART_BARS || counts) {
		double bw = slot * 0.8 / (double)(c->nseries ? c->nseries : 1);
		for (size_t s = 0; s < c->nseries; s++)
			for (size_t i = 0; i < c->series[s].n && i < n; i++) {
				int64_t v = c->series[s].v[i];
				double y0 = ypos(&a, 0), y1 = ypos(&a, v);
				double x = ML + slot * (double)i + slot * 0.1 + bw * (double)s;
				s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
					       x, y1 < y0 ? y1 : y0, bw > 1 ? bw - 1 : bw, y1 < y0 ? y0 - y1 : y1 - y0,
					       palette[s % 6]);
			}
	} else if (c->kind == S75_CHART_LINES) {
		for (size_t s = 0; s < c->nseries; s++) {
			s75_buf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
				       palette[s % 6], s % 2 ? " stroke-dasharray=\"6 3\"" : "");
			for (size_t i = 0; i < c->series[s].n && i < n; i++)
				s75_buf_printf(out, "%s%.1f,%.1f", i ? " " : "", ML + slot * ((double)i + 0.5),
					       ypos(&a, c->series[s].v[i]));
			s75_buf_puts(out, "\"/>");
			/* a marker at each point, a circle or a square by series, so that a line
			 * drawn over another still shows */
			for (size_t i = 0; i < c->series[s].n && i < n; i++) {
				double x = ML + slot * ((double)i + 0.5), y = ypos(&a, c->series[s].v[i]);
				if (s % 2)
					s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"#fff\" stroke=\"%s\" stroke-width=\"1.5\"/>",
						       x - 3.5, y - 3.5, palette[s % 6]);
				else
					s75_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>", x, y,
						       palette[s % 6]);
			}
		}
	} else if (c->nseries) {
		const chart_series *s = &c->series[0];
		for (size_t i = 0; i < s->n && i < n; i++) {
			bool total = i == 0 || i + 1 == s->n;
			int64_t from = total ? 0 : run[i - 1], to = run[i];
			double y0 = ypos(&a, from), y1 = ypos(&a, to);
			const char *fill = total ? palette[0] : to >= from ? palette[1] : palette[2];
			s75_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
				       ML + slot * (double)i + slot * 0.15, y1 < y0 ? y1 : y0, slot * 0.7,
				       (y1 < y0 ? y0 - y1 : y1 - y0) + 0.5, fill);
		}
	}
	category_labels(out, c, slot);
	s75_buf_puts(out, "</svg><figcaption>");
	esc(out, c->title);
	s75_buf_puts(out, "</figcaption></figure>\n");

	/* the same figures as a table, for readers who cannot see the chart */
	s75_table *t = s75_table_new("");
	s75_table_column(t, "", S75_CELL_TEXT);
	for (size_t s = 0; s < c->nseries; s++)
		s75_table_column(t, c->series[s].name, counts ? S75_CELL_INT : S75_CELL_MONEY);
	for (size_t i = 0; i < n; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, c->cats[i]);
		for (size_t s = 0; s < c->nseries; s++)
			if (counts)
				s75_table_int(t, i < c->series[s].n ? c->series[s].v[i] : 0);
			else
				s75_table_money(t, i < c->series[s].n ? c->series[s].v[i] : 0);
	}
	s75_buf_puts(out, "<details><summary>Figures of the chart</summary>");
	table_html(out, t, "chart-data", S75_UNIT_POUNDS);
	s75_buf_puts(out, "</details>\n");
	s75_table_free(t);
	free(run);
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
	s75_buf_puts(out, "@page{size:A4;margin:16mm 12mm 14mm;@top-left{content:");
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
				chart_svg(out, b->chart, ++chart_id);
			}
		}
		s75_buf_puts(out, "</section>\n");
	}
	s75_buf_puts(out, "</main>");
}
