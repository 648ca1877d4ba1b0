/* s75 — the ledger: importing each partner's general-ledger extract, forecasts, and the
 * monthly monitoring report (budget, actual, forecast outturn, variance, movement). */
#ifndef S75_LEDGER_H
#define S75_LEDGER_H

#include "agreement.h"
#include "buf.h"
#include "db.h"
#include "diag.h"
#include "kpi.h"

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
	bool has_period;         /**< actuals: the whole file is in `period` (no date column) */
	int year;                /**< actuals: the financial year of period codes with no year; -1 */
	/** actuals and forecasts: read and check the file as an import would (errors, unknown
	 *  cost centres, control totals, the reject file) and store nothing: no lock is taken,
	 *  batch_id is 0 and rows_imported counts the rows an import would store */
	bool validate_only;
	const char *only_partner;/**< forecasts: a row for another partner's cost centre is a
	                              bad row (a partner uploading its own); NULL: any */
	/** actuals: a row dated in a closed period (include/s75/periods.h) is posted to the first
	 *  open period after it, as a prior-period item, instead of being a bad row (also the
	 *  profile's late_to_open) */
	bool late_to_open;
} s75_import_options;

#define S75_IMPORT_OPTIONS_INIT {NULL, NULL, NULL, NULL, {0, 0}, NULL, NULL, false, -1, false, NULL, false}

/** Rows and total of a cost centre the agreement does not know. */
typedef struct s75_unknown_cc {
	char *code;
	long rows;
	int64_t total;
	char *suggestion; /**< a known code or mapped name spelt nearly the same, or NULL */
} s75_unknown_cc;

/** Rows that are not transactions, by why: an empty row, a footer, a skip_when rule. */
typedef struct s75_skip_count {
	char *reason;
	long rows;
} s75_skip_count;

typedef struct s75_import_result {
	int64_t batch_id;       /**< the new batch, 0 if nothing was imported */
	/** rows_read = rows_imported + rows_skipped + rows_outside + rows_rejected */
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
	long rows_skipped;      /**< rows that are not transactions (empty, footer, skip_when) */
	s75_skip_count *skipped;/**< by reason, in the order first seen */
	size_t nskipped;
	long rows_outside;      /**< rows left out by include_when / exclude_when */
	int64_t outside_total;  /**< their amounts as the file states them (debit - credit) */
	long rows_prior;        /**< rows dated in a closed period, posted to a later open one */
} s75_import_result;

#define S75_IMPORT_MAX_ERRORS 20

/**
 * Imports a ledger extract into the workspace, in one transaction.
 *
 * The file is read and every row checked before the database's write lock is taken (the
 * errors, unknown cost centres, reject file, control totals and aggregates), so a bad file
 * is reported at once even while another import holds the lock; the good rows wait in a
 * TEMP table (a file in the temporary folder: SQLITE_TMPDIR or TMPDIR). Only then is the
 * lock taken (waiting for it as long as the busy timeout allows), the sha256 checked
 * again under it, and the rows copied into the ledger.
 *
 * By default any bad row means nothing is imported; every bad row is reported in
 * `res->errors` as `FILE:LINE: reason`. With `reject_path` the good rows are imported
 * and the bad ones written, byte for byte and after the file's header, to that file.
 * rows_read = rows_imported + rows_rejected always. A file whose content was imported
 * before (same sha256, not undone) is refused. With `validate_only` the same checks run and the
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

/** Where a cost centre's forecast outturn at a period came from. */
typedef enum s75_forecast_basis {
	S75_FC_IMPORTED, /**< a forecast imported at this period */
	S75_FC_CARRIED,  /**< the latest forecast imported at an earlier period of the year */
	S75_FC_BUDGET,   /**< none imported this year: the element's forecast_default */
	S75_FC_RUN_RATE,
	S75_FC_PACKAGES
} s75_forecast_basis;

/** "imported", "carried", "budget", "run_rate" or "packages". */
S75_EXTERN(const char *) s75_forecast_basis_name(s75_forecast_basis b);

/** Flags of a cost-centre row of the monitoring report. */
#define S75_MON_STALE 1u        /**< forecast older than the agreement's forecast_stale_after */
#define S75_MON_BELOW_ACTUAL 2u /**< forecast outturn below the actual to date */
#define S75_MON_NOT_YEAR_END 4u /**< at P12, the forecast was not made at P12 */

/** One line of the monitoring report; amounts in pence; variances positive = overspend. */
typedef struct s75_monitor_row {
	int pool, element, cost_centre; /**< indices; -1 above the row's level */
	int64_t budget, budget_to_date, actual_to_date, variance_to_date;
	int64_t forecast, forecast_variance, movement;
	int64_t income_to_date, expenditure_to_date;
	int64_t original_budget; /**< the annual budget the agreement set, before any revision
	                              (budget is the one in force at the period: budgets.h) */
	int64_t committed;       /**< with s75_monitoring.any_committed: the purchase orders
	                              imported as commitments to the period plus the care-package
	                              register's cost for the rest of the year (packages.h) */
	int64_t available;       /**< with any_committed: budget - actual to date - committed */
	bool forecast_imported; /**< false: the element's default made the forecast */
	/* cost-centre rows only: */
	int forecast_period;    /**< 1..12: the period the forecast was made at; 0: a default */
	s75_forecast_basis forecast_basis;
	unsigned flags;         /**< S75_MON_* */
	const char *note;       /**< the note imported with the forecast (owned by the report), or NULL */
} s75_monitor_row;

typedef struct s75_monitoring {
	s75_period period;
	s75_level level;
	size_t nrevisions;             /**< budget revisions in force at the period (budgets.h);
	                                    0: every budget is the original */
	s75_monitor_row *rows;
	size_t nrows;
	s75_monitor_row totals;
	s75_monitor_row *cost_centres; /**< every cost-centre row, whatever the level */
	size_t ncost_centres;
	char **warnings;               /**< what a reader must know before the figures, in order:
	                                    first the year's inputs (no actuals or budgets first,
	                                    then s75_year_input_warnings()), then the forecasts' */
	size_t nwarnings;
	int *warning_pools;            /**< per warning: the pool (arrangement) it is about, or
	                                    -1 (the agreement's inputs, or several pools) */
	size_t ninputs;                /**< how many of the warnings are about the inputs */
	bool no_actuals, no_budgets;   /**< the year has no actuals to the period / no budgets */
	bool any_committed;            /**< commitments were imported to the period (kind
	                                    commitment): the rows' committed and available are set */
	char **notes;                  /**< per cost centre: the note its row points at (owned) */
	size_t nnotes;
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
 * How a cost-centre row's forecast stands, for a reader: "imported P6", "carried from
 * P6", "carried from P3 (stale)", "budget default"... Writes into `out`.
 */
S75_EXTERN(void) s75_monitor_row_basis(s75_buf *out, const s75_monitor_row *r);

/**
 * Checks a workspace's ledger against the agreement, adding a warning (file `name`, no
 * position) for each year with contributions but no actuals, each period with actuals but
 * no forecast imported at it, each forecast flag (stale, below the actual to date, no
 * year-end forecast) at the latest period with actuals of each year, and each actuals
 * batch that no report received (governance receipts) covers yet.
 * @return 0, or an error reading the workspace
 */
S75_EXTERN(int) s75_ledger_check(s75_diags *d, s75_db *db, const s75_agreement *ag,
				 const char *name);

/**
 * Month by month for one pool in year `fy`, P1..P12: `actual` (expenditure less income)
 * and `budget` (the profiled cost-centre budgets). For the cumulative chart.
 */
S75_EXTERN(int) s75_monitoring_months(s75_db *db, const s75_agreement *ag, int fy, int pool,
				      int64_t actual[12], int64_t budget[12]);

/**
 * A cost centre's budget to the end of period `p`: the annual budget times the profile
 * weights of P1..p over all twelve, rounded to the nearest penny (halves away from zero).
 * The cumulative figure is profiled, not each month, so every period end is the nearest
 * penny to its exact value, P12 is the whole budget, and a month's budget is the
 * difference of two cumulative figures. NULL or p <= 0: 0.
 */
S75_EXTERN(int64_t) s75_budget_to_date(const s75_budget *b, int p);

/**
 * A forecast as a RAG against the agreement's tolerance (kpi.h's s75_rag): Green on or under
 * budget, Amber an overspend of at most `tolerance_bp` basis points of the budget (exactly:
 * variance x 10000 <= budget x tolerance_bp), Red beyond, or any overspend of no budget.
 */
S75_EXTERN(s75_rag) s75_monitor_rag(int64_t forecast_variance, int64_t budget,
				    int64_t tolerance_bp);

/** The latest period the ledger has rows for. @return 0, or S75_ENOTFOUND when empty */
S75_EXTERN(int) s75_ledger_latest_period(s75_period *out, s75_db *db);

/**
 * The commitments imported (rows of kind `commitment`: purchase orders raised, less those
 * released) of each cost centre in year `period.fy` to `period`, added to `out` (one per
 * cost centre of `ag`, in its order); `*any` set when one is not zero. Never actual spend.
 */
S75_EXTERN(int) s75_ledger_committed(int64_t *out, bool *any, s75_db *db,
				     const s75_agreement *ag, s75_period period);

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
