/* s75 — a report document: a title, the parameters and provenance for a cover, and
 * sections (one per pool, say) of paragraphs, tables and charts. Every data report is
 * built as a document and rendered as a text table, an XLSX workbook (a cover sheet and
 * a sheet per section) or one self-contained HTML page with inline SVG charts.
 *
 *     s75_doc *d = s75_doc_new("Monitoring 2017/18 P6");
 *     s75_doc_meta(d, "Agreement", ag->title);
 *     s75_doc_section(d, "adults");
 *     s75_doc_table(d, table);          // the document takes the table
 *     s75_doc_render_html(d, &buf);
 *     s75_doc_free(d);
 */
#ifndef S75_DOC_H
#define S75_DOC_H

#include "buf.h"
#include "common.h"
#include "table.h"

typedef struct s75_doc s75_doc;
typedef struct s75_chart s75_chart;
struct json_t; /* jansson's */

typedef enum s75_chart_kind {
	S75_CHART_BARS,     /**< grouped bars: a bar per series for each category */
	S75_CHART_LINES,    /**< a line per series over the categories (e.g. months) */
	S75_CHART_WATERFALL, /**< the first value a base, the rest steps up or down, the last a total */
	S75_CHART_HISTOGRAM  /**< bars of counts (not money): how many draws fell in each band */
} s75_chart_kind;

S75_EXTERN(s75_doc *) s75_doc_new(const char *title);
S75_EXTERN(void) s75_doc_free(s75_doc *d);
/** The document's title (owned by the document). */
S75_EXTERN(const char *) s75_doc_title(const s75_doc *d);
/** A line of the cover: what, when, parameters, provenance. */
S75_EXTERN(void) s75_doc_meta(s75_doc *d, const char *key, const char *value);
/**
 * A warning a reader must see before any figure (a missing input, a stale forecast):
 * every rendering puts the warnings first, in the order added.
 */
S75_EXTERN(void) s75_doc_warning(s75_doc *d, const char *text);
/** Number of warnings added so far. */
S75_EXTERN(size_t) s75_doc_nwarnings(const s75_doc *d);
/** Starts a section (a sheet named `sheet`, or after the heading, in XLSX; a heading in
 * HTML and text). */
S75_EXTERN(void) s75_doc_section(s75_doc *d, const char *heading, const char *sheet);
S75_EXTERN(void) s75_doc_para(s75_doc *d, const char *text);
/** A sentence with amounts: each `{}` in `text` is the next of the `n` amounts (pence),
 * written when rendered in the document's unit (s75_unit_amount()). */
S75_EXTERN(void) s75_doc_para_amounts(s75_doc *d, const char *text, const int64_t *pence, size_t n);
/** Adds a table to the current section; the document frees it. */
S75_EXTERN(void) s75_doc_table(s75_doc *d, s75_table *t);
/**
 * Whether the document will be rendered in a form that draws charts (HTML, PDF): true
 * unless set. A report building for text, XLSX, JSON or CSV sets false; its charts then
 * keep their place (title and description) but it need not work out their figures.
 */
S75_EXTERN(void) s75_doc_set_charts_drawn(s75_doc *d, bool drawn);
S75_EXTERN(bool) s75_doc_charts_drawn(const s75_doc *d);
/** Adds a chart to the current section (HTML only); fill it with the functions below. */
S75_EXTERN(s75_chart *) s75_doc_chart(s75_doc *d, s75_chart_kind kind, const char *title,
				      const char *description);
S75_EXTERN(void) s75_chart_category(s75_chart *c, const char *label);
/** A series of values in pence, one per category (in order). */
S75_EXTERN(void) s75_chart_series(s75_chart *c, const char *name, const int64_t *pence, size_t n);

/** What a chart's values are: pence (the default), or KPI values in fixed point with four
 * decimals (S75_KPI_SCALE) shown with `suffix` (e.g. "%", or "" for none). */
typedef enum s75_chart_values {
	S75_CHART_PENCE,
	S75_CHART_FIXED4
} s75_chart_values;
S75_EXTERN(void) s75_chart_values_as(s75_chart *c, s75_chart_values kind, const char *suffix);

/** How a chart is drawn (s75_chart_flags(), OR-ed). */
enum {
	/** Above each category (bars) or at the last point of the shortest series (lines), the
	 * second series less the first, labelled; red when positive (an overspend: adverse). */
	S75_CHART_LABEL_DIFF = 1,
	/** Lines: the second and later series drawn as columns, under the first as a line. */
	S75_CHART_LINE_OVER_COLUMNS = 2,
	/** Lines: the last series is a target, drawn dashed with no markers and labelled. */
	S75_CHART_LAST_IS_TARGET = 4
};
S75_EXTERN(void) s75_chart_flags(s75_chart *c, unsigned flags);

/** The unit amounts are shown in by text, HTML and XLSX (£ unless set): in £'000 and £m
 * tables are rounded so that rows add to their totals (s75_table_display()) and a line
 * under the title says so; XLSX keeps the exact amount and shows it in the unit. */
S75_EXTERN(void) s75_doc_units(s75_doc *d, s75_unit unit);
/** The note on rounding a paper in `unit` carries (empty for £). */
S75_EXTERN(const char *) s75_doc_rounding_note(s75_unit unit);

/** The report's data for JSON: a jansson value (the document takes the reference). */
S75_EXTERN(void) s75_doc_json(s75_doc *d, struct json_t *data);
/** Marks a report whose terminal form is bare: text renders its paragraphs and tables alone,
 * one after another, with no title line and no blank lines between (the one-table reports:
 * KPIs, budgets, batches, status, history, governance). */
S75_EXTERN(void) s75_doc_bare(s75_doc *d);
/** The table CSV writes (one row per record, a header row first); the document takes it. */
S75_EXTERN(void) s75_doc_csv(s75_doc *d, s75_table *t);

/** Text: the warnings (`warning: ...`, one a line), the title, then each section's paragraphs
 * and tables (the cover is left out), in `unit`. */
S75_EXTERN(void) s75_doc_render_text(const s75_doc *d, s75_buf *out, s75_unit unit);
/** JSON: the document's data, indented by two, keys in order, then a newline.
 * @return 0, or S75_EINVALID (message set) when the report has no JSON form */
S75_EXTERN(int) s75_doc_render_json(const s75_doc *d, s75_buf *out);
/** CSV (RFC 4180, CRLF): the document's CSV table with its header row; amounts in pounds.
 * @return 0, or S75_EINVALID (message set) when the report has no CSV form */
S75_EXTERN(int) s75_doc_render_csv(const s75_doc *d, s75_buf *out);
/**
 * HTML: one self-contained page (inline CSS and SVG; no script, font, image or link to
 * anywhere), accessible (titles and descriptions on charts, every chart's figures also in
 * a table) and laid out to print on A4.
 */
S75_EXTERN(void) s75_doc_render_html(const s75_doc *d, s75_buf *out);
/** The page's body alone (its header with the cover, then its sections, with no style
 * attribute and no script) for a client that wraps the document in a page of its own and
 * serves the style sheet, s75_doc_html_css(), as a file. */
S75_EXTERN(void) s75_doc_render_html_body(const s75_doc *d, s75_buf *out);
/** The style sheet of the HTML rendering (a static string). */
S75_EXTERN(const char *) s75_doc_html_css(void);
/**
 * XLSX at `path`: a cover sheet, then a sheet per section; £ number formats with
 * negatives in brackets, frozen headers and a filter on each sheet's first table, and
 * every total row written as a SUM formula over the cells above it.
 * @return 0 or S75_EIO
 */
S75_EXTERN(int) s75_doc_render_xlsx(const s75_doc *d, const char *path);
/**
 * PDF at `path`: the HTML page printed on A4 by headless Chromium (`chromium`, NULL for
 * "chromium" on the PATH), printed through s75_outfile (a temporary file renamed over `path`).
 * @return 0, or S75_EIO with a message naming the Debian package when Chromium is missing
 */
S75_EXTERN(int) s75_doc_render_pdf(const s75_doc *d, const char *path, const char *chromium);

#endif
