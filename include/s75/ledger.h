/* s75 — the ledger: importing each partner's general-ledger extract, forecasts, and the
 * monthly monitoring report (budget, actual, forecast outturn, variance, movement). */
#ifndef S75_LEDGER_H
#define S75_LEDGER_H

#include "agreement.h"
#include "db.h"

/** Called now and then during a long import: bytes read of the file's total, rows so far. */
typedef void (*s75_progress_fn)(void *data, long long done, long long total, long rows);

typedef struct s75_import_options {
	const char *profile;     /**< import profile id ("standard" if NULL) */
	const char *reject_path; /**< import good rows, write bad ones here; NULL = all or nothing */
	const char *name;        /**< the file name to record and show (default: the path) */
	const char *now;         /**< the time to record, ISO 8601 (required) */
	s75_period period;       /**< forecasts: the period they are made at */
	s75_progress_fn progress;
	void *progress_data;
	bool dry_run;            /**< read and check everything, then roll back: a preview */
	const char *only_partner;/**< forecasts: a row for another partner's cost centre is a
	                              bad row (a partner uploading its own); NULL: any */
} s75_import_options;

#define S75_IMPORT_OPTIONS_INIT {NULL, NULL, NULL, NULL, {0, 0}, NULL, NULL, false, NULL}

/** Rows and total of a cost centre the agreement does not know. */
typedef struct s75_unknown_cc {
	char *code;
	long rows;
	int64_t total;
} s75_unknown_cc;

typedef struct s75_import_result {
	int64_t batch_id;       /**< the new batch, 0 if nothing was imported */
	long rows_read, rows_imported, rows_rejected;
	char **errors;          /**< the first S75_IMPORT_MAX_ERRORS messages, `FILE:LINE: reason` */
	size_t nerrors;
	long error_count;       /**< all of them */
	s75_unknown_cc *unknown;
	size_t nunknown;
	s75_batch_total *totals;/**< control totals per partner and kind, of the rows imported */
	size_t ntotals;
	int64_t duplicate_of;   /**< the batch this file was already imported as, or 0 */
	char *duplicate_at;
	char sha256[65];
} s75_import_result;

#define S75_IMPORT_MAX_ERRORS 20

/**
 * Imports a ledger extract into the workspace, in one transaction.
 *
 * By default any bad row means nothing is imported; every bad row is reported in
 * `res->errors` as `FILE:LINE: reason`. With `reject_path` the good rows are imported
 * and the bad ones written, byte for byte and after the file's header, to that file.
 * rows_read = rows_imported + rows_rejected always. A file whose content was imported
 * before (same sha256, not undone) is refused. With `dry_run` the same checks run and the
 * result is filled as if imported (rows_imported, control totals), but nothing is kept:
 * batch_id is 0 and the database is as before (a preview).
 *
 * @param[out] res  filled in all cases; release with s75_import_result_release()
 * @return 0; S75_EINVALID (bad rows or header); S75_EEXISTS (already imported); S75_EIO
 */
S75_EXTERN(int) s75_import_actuals(s75_db *db, const s75_agreement *ag, const char *path,
				   const s75_import_options *o, s75_import_result *res);

/**
 * Imports forecast outturns made at `o->period`: a CSV with the header
 * `cost_centre,forecast,note` (forecast in £). Same rules as s75_import_actuals().
 * A later batch for the same period replaces an earlier one's cost centres.
 */
S75_EXTERN(int) s75_import_forecasts(s75_db *db, const s75_agreement *ag, const char *path,
				     const s75_import_options *o, s75_import_result *res);

S75_EXTERN(void) s75_import_result_release(s75_import_result *res);

typedef enum s75_level { S75_LEVEL_POOL, S75_LEVEL_ELEMENT, S75_LEVEL_COST_CENTRE } s75_level;

/** One line of the monitoring report; amounts in pence; variances positive = overspend. */
typedef struct s75_monitor_row {
	int pool, element, cost_centre; /**< indices; -1 above the row's level */
	int64_t budget, budget_to_date, actual_to_date, variance_to_date;
	int64_t forecast, forecast_variance, movement;
	int64_t income_to_date, expenditure_to_date;
	bool forecast_imported; /**< false: the element's default made the forecast */
} s75_monitor_row;

typedef struct s75_monitoring {
	s75_period period;
	s75_level level;
	s75_monitor_row *rows;
	size_t nrows;
	s75_monitor_row totals;
} s75_monitoring;

/**
 * Builds the monitoring report for `period` at `level`, from the aggregates kept at
 * import time (its cost does not grow with the number of transactions).
 * @param[out] out  free with s75_monitoring_free()
 */
S75_EXTERN(int) s75_monitoring_build(s75_monitoring **out, s75_db *db, const s75_agreement *ag,
				     s75_period period, s75_level level);
S75_EXTERN(void) s75_monitoring_free(s75_monitoring *m);

/**
 * Month by month for one pool in year `fy`, P1..P12: `actual` (expenditure less income)
 * and `budget` (the profiled cost-centre budgets). For the cumulative chart.
 */
S75_EXTERN(int) s75_monitoring_months(s75_db *db, const s75_agreement *ag, int fy, int pool,
				      int64_t actual[12], int64_t budget[12]);

/**
 * The annual budget of every cost centre in year `fy` and its profile to period `p`:
 * budget_to_date = s75_alloc_split() of the budget by the profile weights, summed to p.
 */
S75_EXTERN(int64_t) s75_budget_to_date(const s75_budget *b, int p);

/** The latest period the ledger has rows for. @return 0, or S75_ENOTFOUND when empty */
S75_EXTERN(int) s75_ledger_latest_period(s75_period *out, s75_db *db);

/** A page of ledger rows: year `fy` to `period` (its periods 1..period), of a cost centre
 * (or every one when NULL), whose description, reference or account contains `search`
 * (any when NULL or ""), in date order. */
typedef struct s75_txn_query {
	s75_period period;
	const char *cost_centre;
	const char *search;
	long offset, limit;
} s75_txn_query;

typedef struct s75_txn {
	s75_date date;
	s75_period period;
	char *partner, *cost_centre, *account, *description, *reference;
	s75_txn_kind kind;
	int64_t amount; /**< pence, as stored: positive = as the kind says */
} s75_txn;

/** The rows of `q` and how many match in all (*total). Free with s75_txns_free(). */
S75_EXTERN(int) s75_txn_list(s75_txn **out, size_t *n, long *total, s75_db *db,
                             const s75_txn_query *q);
S75_EXTERN(void) s75_txns_free(s75_txn *t, size_t n);

#endif
