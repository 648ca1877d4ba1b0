/* Private to the report builders: the charts and tables more than one report draws. */
#ifndef S75_REPORT_INTERNAL_H
#define S75_REPORT_INTERNAL_H

#include "s75/kpi.h"
#include "s75/ledger.h"
#include "s75/report.h"
#include "s75/settle.h"

/* The agreement file's sha256 in lower-case hex (65 bytes with the NUL). */
void report_sha256_hex(char hex[65], const s75_agreement *ag);
/* A KPI value as a reader writes it: 58.5% for a percentage (`pretty`), else exact. */
void report_kpi_value(s75_buf *b, const s75_kpi *k, int64_t v, bool pretty);

/* Budget against forecast outturn by element of `pool` at `per` (bars). 0 or an error code. */
int report_chart_elements(s75_doc *d, s75_db *db, const s75_agreement *ag, int pool,
			  s75_period per);
/* Cumulative actual against the profiled budget, month by month to `per` (lines). */
int report_chart_cumulative(s75_doc *d, s75_db *db, const s75_agreement *ag, int pool,
			    s75_period per);
/* A waterfall per partner of the pool: contribution, each risk-share step, final cost. */
void report_chart_waterfalls(s75_doc *d, const s75_agreement *ag, const s75_settle_pool *p);

/* The balancing payments: a table, and its JSON array (settle and the annual return). */
/* The sentence that says how the forecast's RAG is judged: the agreement's tolerance, or
 * the default it uses when the agreement states none. */
void report_rag_basis(s75_buf *out, const s75_agreement *ag);
/* The balancing payments of `s`: of pool `only` alone, or every payment when `only` < 0. */
s75_table *report_payments_table(const s75_agreement *ag, const s75_settlement *s, int only);
struct json_t *report_payments_json(const s75_agreement *ag, const s75_settlement *s, int only);

/* Warnings as a JSON array of strings (the reports' `warnings`). */
struct json_t *report_warnings_json(char *const *w, size_t n);
/* A monitored cost centre's forecast basis, flags and note, added to JSON object `o`. */
void report_monitor_row_json(struct json_t *o, const s75_monitor_row *r);

/* The savings delivery section (savings_report.c) of the monitoring and quarterly reports
 * at `per`: with `doc`, its tables in `d`; with `root`, its JSON `savings` (and
 * `savings_warnings`) in `root`. Nothing when the year states no savings for `pool` (every
 * pool when < 0). 0 or an error code. */
int report_savings_section(s75_doc *d, struct json_t *root, s75_db *db, const s75_agreement *ag,
			   s75_period per, int pool, bool doc);
/* The budget revisions of a year in force at period `p` (1..12): number, decision, date,
 * first period, cost centres, change, note, recorded; and as a JSON array with their lines
 * (budgets_report.c; the budgets and monitoring reports). */
struct s75_budget_versions;
s75_table *report_revisions_table(const struct s75_budget_versions *v, int p);
struct json_t *report_revisions_json(const s75_agreement *ag, const struct s75_budget_versions *v,
				     int p);
/* The budget revisions in force at `per` (a report showing the original beside the revised
 * budget): their table in `d`, and their array as `budget_revisions` in `j` (either NULL);
 * nothing when none is in force. */
int report_revisions_in_force(s75_doc *d, struct json_t *j, s75_db *db, const s75_agreement *ag,
			      s75_period per);
/*
 * Long lists in a report's JSON (tens of thousands of care packages) without a jansson
 * tree: doc_json_rows() returns an empty array to put in the tree where the list goes (the
 * tree takes it, as with json_object_set_new()); when the JSON is rendered, row(w, i, ctx)
 * writes each of the `n` rows with the doc_json_row_* functions below, formatted as jansson
 * formats the rest. `ctx` must live as long as the document: give it to doc_own().
 */
typedef struct doc_json_row {
	s75_buf *out;
	int depth, level;
	size_t n[8];
} doc_json_row;
typedef void (*doc_json_row_fn)(doc_json_row *w, size_t i, const void *ctx);
struct json_t *doc_json_rows(s75_doc *d, size_t n, doc_json_row_fn row, const void *ctx);
/* The document frees `data` with `free_fn` when it is freed. */
void doc_own(s75_doc *d, void *data, void (*free_fn)(void *));
/* `{`, then "key": value pairs, then `}`; objects nest (a key, then doc_json_row_object). */
void doc_json_row_object(doc_json_row *w);
void doc_json_row_key(doc_json_row *w, const char *key);
void doc_json_row_end(doc_json_row *w);
/* "key": "s" (null when `s` is NULL), "key": v. */
void doc_json_row_string(doc_json_row *w, const char *key, const char *s);
void doc_json_row_int(doc_json_row *w, const char *key, int64_t v);

#endif
