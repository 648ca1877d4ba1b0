/* s75 — key performance indicators: each pool's KPI dashboard (002 §12, §27–32), the
 * values reported against it period by period, and the report of the latest value
 * against target and baseline with its RAG status and trend.
 *
 * KPI values are exact fixed-point numbers: S75_KPI_SCALE units per 1 (four decimals),
 * so 43.8% is 438000 and a count of 7,036 is 70360000. Nothing passes through floating
 * point.
 *
 *     s75_rperiod p;
 *     s75_rperiod_parse(&p, "2017/18 Q2");
 *     s75_kpi_report *r;
 *     if (s75_kpi_report_build(&r, db, ag, &p) == 0) { ...r->lines...; s75_kpi_report_free(r); }
 */
#ifndef S75_KPI_H
#define S75_KPI_H

#include <stdbool.h>
#include "agreement.h"
#include "buf.h"
#include "common.h"
#include "date.h"
/* the workspace (db.h, a layer above): only pointers to it here */
typedef struct s75_db s75_db;

/** Fixed-point scale of KPI values: four decimals. */
#define S75_KPI_SCALE 10000

typedef enum s75_kpi_unit {
	S75_KPI_COUNT,     /**< a number of people, assessments, incidents */
	S75_KPI_PERCENT,   /**< a percentage */
	S75_KPI_RATE_100K, /**< a rate per 100,000 population */
	S75_KPI_DAYS       /**< a number of days (delays, length of stay) */
} s75_kpi_unit;

typedef enum s75_kpi_better { S75_KPI_HIGHER, S75_KPI_LOWER } s75_kpi_better;

/** One indicator of a pool's dashboard, as the agreement (and its variations) state it. */
typedef struct s75_kpi {
	const char *id, *name;
	int pool; /**< arrangement index (a pooled fund) */
	s75_kpi_unit unit;
	s75_kpi_better better; /**< whether a higher or a lower value is better */
	bool has_baseline;
	int64_t baseline;            /**< fixed point */
	const char *baseline_period; /**< canonical label, e.g. `2015/16` */
	bool has_target;
	int64_t target; /**< fixed point */
	bool has_target_date;
	s75_date target_date; /**< the target is to be met by this day */
	int64_t tolerance;    /**< amber band: a miss by at most this much is amber (0: none) */
	const char *source;   /**< where the KPI comes from, e.g. a report paragraph */
	s75_pos pos;
} s75_kpi;

S75_EXTERN(const char *) s75_kpi_unit_name(s75_kpi_unit u);

/**
 * Parses a KPI value: `95`, `43.8`, `7,036`, `-1.5`, `43.8%`; at most four decimals,
 * never rounded. @return 0 or S75_EINVALID
 */
S75_EXTERN(int) s75_kpi_value_parse(int64_t *out, const char *s, size_t len);
/** Appends a value with as few decimals as it needs; `sep` adds thousands separators. */
S75_EXTERN(void) s75_kpi_value_format(s75_buf *out, int64_t v, bool sep);

/** The KPI `id`'s index, or -1. */
S75_EXTERN(int) s75_agreement_find_kpi(const s75_agreement *ag, const char *id);

/** RAG status of a value against its target. */
typedef enum s75_rag {
	S75_RAG_NONE,  /**< no target or no value */
	S75_RAG_GREEN, /**< meets the target */
	S75_RAG_AMBER, /**< misses it by no more than the tolerance */
	S75_RAG_RED    /**< misses it by more */
} s75_rag;

typedef enum s75_trend {
	S75_TREND_NONE,      /**< no earlier value to compare with */
	S75_TREND_IMPROVING, /**< moved in the better direction since the previous value */
	S75_TREND_SAME,
	S75_TREND_WORSENING
} s75_trend;

S75_EXTERN(const char *) s75_rag_name(s75_rag r);
S75_EXTERN(const char *) s75_trend_name(s75_trend t);
/** The RAG status of `value` against `k`'s target and tolerance. */
S75_EXTERN(s75_rag) s75_kpi_rag(const s75_kpi *k, int64_t value);
/** The trend from `previous` to `latest` in `k`'s better direction. */
S75_EXTERN(s75_trend) s75_kpi_trend(const s75_kpi *k, int64_t previous, int64_t latest);

/** A value reported for a KPI. */
typedef struct s75_kpi_value {
	char *period; /**< canonical label */
	s75_date start, end;
	int64_t value;
	char *note; /**< NULL if none */
} s75_kpi_value;

/** One KPI in the report. */
typedef struct s75_kpi_line {
	int kpi;     /**< index into the agreement's KPIs */
	s75_kpi def; /**< the KPI as in force at the end of the period (variations applied) */
	bool has_latest, has_previous;
	s75_kpi_value
	    latest; /**< the latest value reported for a period ending by the period's end */
	s75_kpi_value previous; /**< the one before it */
	s75_rag rag;
	s75_trend trend;
} s75_kpi_line;

typedef struct s75_kpi_report {
	s75_rperiod period;
	s75_kpi_line *lines; /**< in agreement order */
	size_t nlines;
} s75_kpi_report;

/**
 * The KPI report at `period`: for each KPI (of `pool`, or all when pool < 0) its latest
 * value reported for a period ending on or before the period's end, against the target and
 * baseline in force at that day, with RAG status and trend.
 * @param[out] out  free with s75_kpi_report_free()
 */
S75_EXTERN(int)
s75_kpi_report_build(s75_kpi_report **out, s75_db *db, const s75_agreement *ag,
                     const s75_rperiod *period, int pool);

/**
 * The KPIs of a report whose latest value is older than the report's period (it ends
 * before the period starts) or that have none: one line each, for the top of a report.
 * @param[out] out  `*n` strings; free with s75_strings_free()
 */
S75_EXTERN(void) s75_kpi_report_warnings(char ***out, size_t *n, const s75_kpi_report *r);
S75_EXTERN(void) s75_kpi_report_free(s75_kpi_report *r);

/** What an import of a governance log (KPI values, meetings, decisions) did. */
typedef struct s75_gov_import_result {
	long rows_read, rows_imported;
	long rows_replaced; /**< KPI values: restatements of a value already held */
	char **errors;      /**< `FILE:LINE: reason`, the first S75_IMPORT_MAX_ERRORS of them */
	size_t nerrors;
	long error_count;
} s75_gov_import_result;

/**
 * Imports KPI values from a CSV with the header `kpi,period,value` and an optional
 * `note` column, in one transaction: any bad row means nothing is imported, and every bad
 * row is reported as `FILE:LINE: reason`. A value for a KPI and period already held is
 * replaced (a restatement). A period that starts after the KPI's pool has ended is refused.
 * @param now  the time to record (ISO 8601)
 * @param[out] res  release with s75_gov_import_result_release()
 * @return 0, S75_EINVALID, S75_EIO
 */
S75_EXTERN(int)
s75_kpi_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
               s75_gov_import_result *res);
S75_EXTERN(void) s75_gov_import_result_release(s75_gov_import_result *res);

/** Every value held for KPI `id`, oldest period first. Free with s75_kpi_values_free(). */
S75_EXTERN(int) s75_kpi_values_list(s75_kpi_value **out, size_t *n, s75_db *db, const char *id);
S75_EXTERN(void) s75_kpi_values_free(s75_kpi_value *v, size_t n);

#endif
