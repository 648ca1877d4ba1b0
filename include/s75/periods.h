/* s75 — closed periods: a month of the ledger sealed once it is reconciled, so that a
 * report on it comes out the same however much is imported later; and the prior-period
 * items, rows dated in a closed month that an import posted to the first open one. */
#ifndef S75_PERIODS_H
#define S75_PERIODS_H

#include "agreement.h"
#include "db.h"

/** One closing of a period, for every partner or for one (kept after a reopening). */
typedef struct s75_closing {
	int64_t id;
	s75_period period;
	char *partner;     /**< the partner's id; NULL: every partner */
	char *closed_at;   /**< ISO 8601 UTC */
	char *closed_by;   /**< who (the audit log's actor); NULL if not known */
	char *reopened_at; /**< NULL while the period stays closed */
	char *reopened_by;
	char *reason;      /**< why it was reopened */
	int64_t rows;      /**< ledger rows in the period (of the partner) when it was closed */
	int64_t spend;     /**< their expenditure, pence */
	char seal[65];     /**< sha256 of the period's ledger totals (and forecasts) when closed */
} s75_closing;

/** A ledger row dated in a closed period and posted to a later open one. */
typedef struct s75_prior_item {
	int64_t batch_id;
	long line;           /**< its line in the batch's file */
	s75_period dated;    /**< the closed period its date falls in */
	s75_period posted;   /**< the open period it was posted to */
	s75_date date;
	char *partner, *cost_centre, *description, *reference; /**< the last two may be NULL */
	s75_txn_kind kind;
	int64_t amount;      /**< pence, to its kind's sign */
} s75_prior_item;

/**
 * Closes `p` for every partner (`partner` NULL) or one, and every earlier period of its
 * financial year that is still open for them, from the agreement's start: each one sealed
 * with the sha256 of its ledger totals (s75_period_seal()) and logged in the audit log.
 * A period that has not ended by `now` cannot be closed.
 *
 * @param[out] out  the periods closed, oldest first; free() it
 * @return 0; S75_EINVALID (no such year or partner, not ended, closed already); S75_EIO
 */
S75_EXTERN(int) s75_period_close(s75_period **out, size_t *n, s75_db *db, const s75_agreement *ag,
				 s75_period p, const char *partner, const char *now);

/**
 * Reopens `p` and every later period of its year that is closed for the same partners
 * (all of them when `partner` is NULL), for `reason` (required), logged in the audit log.
 *
 * @param[out] out  the periods reopened, oldest first; free() it
 * @return 0; S75_EINVALID (not closed, no reason); S75_EIO
 */
S75_EXTERN(int) s75_period_reopen(s75_period **out, size_t *n, s75_db *db, const s75_agreement *ag,
				  s75_period p, const char *partner, const char *reason,
				  const char *now);

/** Every closing, in the order of period, partner and time; free with s75_period_closes_free(). */
S75_EXTERN(int) s75_period_closes_list(s75_closing **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_period_closes_free(s75_closing *c, size_t n);

/** The prior-period items of batches not undone, by batch and line; free with
 *  s75_prior_items_free(). */
S75_EXTERN(int) s75_prior_items_list(s75_prior_item **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_prior_items_free(s75_prior_item *it, size_t n);

/**
 * The seal of period `p` as the ledger stands: the sha256 of its totals by cost centre,
 * partner and kind (of `partner` only, or all with NULL, when also of its forecasts),
 * with their rows and expenditure.
 */
S75_EXTERN(int) s75_period_seal(char seal[65], int64_t *rows, int64_t *spend, s75_db *db,
				s75_period p, const char *partner);

#endif
