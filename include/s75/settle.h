/* s75 — the risk share applied to a year: the projection at a period (from forecasts),
 * the year-end settlement (from actuals) with the balancing payments between partners,
 * and what-if scenarios. */
#ifndef S75_SETTLE_H
#define S75_SETTLE_H

#include "db.h"
#include "riskshare.h"

typedef struct s75_settle_partner {
	int64_t contribution;   /**< net contribution */
	int64_t variance_share; /**< its share of the variance (risk share) */
	int64_t final_cost;     /**< contribution + variance_share */
	int64_t spent;          /**< expenditure less income through its own ledger */
	int64_t transferred;    /**< contributions paid to (positive) or received from partners */
	int64_t reserve_held;   /**< the host holds the reserve carried forward */
	int64_t balance;        /**< spent + transferred + reserve_held - final_cost: positive = owed to it */
	bool involved;          /**< contributes to the pool or has ledger rows in it */
} s75_settle_partner;

typedef struct s75_settle_pool {
	int pool;
	int host;          /**< partner index */
	int64_t budget;    /**< net contributions */
	int64_t outturn;   /**< actual (or forecast) net expenditure */
	int64_t variance;  /**< outturn - budget */
	int64_t reserve;   /**< underspend carried forward */
	s75_rs_result *rs;
	s75_settle_partner *partners; /**< per partner index */
	/* a pool that ends inside the year (its end, the agreement's, or a notice) settles
	 * its part year: */
	bool part_year;
	s75_date ends;        /**< its last day */
	s75_period to;        /**< the last period settled (P12 for a whole year) */
	int64_t part_num, part_den; /**< contributions × part_num ÷ part_den (months or days) */
} s75_settle_pool;

typedef struct s75_payment {
	int from, to;
	int64_t amount;
	int pool; /**< the pool it settles (arrangement index); -1: netted across pools */
} s75_payment;

typedef struct s75_settlement {
	int fy;
	s75_period period;     /**< the period of the figures (P12 for a settlement) */
	bool forecast;         /**< projected from forecasts rather than settled on actuals */
	s75_settle_pool *pools;
	size_t npools;
	int64_t *balance;      /**< per partner, over all pools */
	bool net;              /**< the payments are netted across pools */
	s75_payment *payments; /**< per pool, through each pool's own host, in pool order;
	                            netted: through the agreement's host */
	size_t npayments;
	size_t npartners;
	char **warnings;       /**< what a reader must know first: the year's inputs and, for a
	                            projection, its forecasts (s75_monitoring's warnings) */
	size_t nwarnings;
} s75_settlement;

/** What-if changes to the agreement as it stands. */
typedef struct s75_what_if {
	int pool;                  /**< the pool it applies to; -1: every pool */
	const int64_t *ratio_bp;   /**< per partner: share every variance by these ratios (NULL: as agreed) */
	const int64_t *rebase_bp;  /**< per partner: contributions rebased to this split, same total */
	bool has_variance;
	int64_t variance;          /**< this variance instead of the ledger's, spread over the
	                                elements and cost centres by their budgets */
	int64_t saving_shortfall;  /**< an unagreed saving of this amount not delivered... */
	int saving_partner;        /**< ...moved into the pool by this partner (-1: none) */
} s75_what_if;

#define S75_WHAT_IF_INIT {-1, NULL, NULL, false, 0, 0, -1}

typedef struct s75_settle_options {
	bool forecast;           /**< project at `period` from forecasts; else settle the year on actuals */
	s75_period period;
	bool direct;             /**< fewest direct payments rather than through the host */
	const s75_what_if *what_if;
	bool net;                /**< net every pool's balances into one set of payments
	                              (through the agreement's host) rather than per pool */
} s75_settle_options;

/**
 * Applies each pool's risk share to the year and works out who owes what.
 * Reconciles to the penny: per pool Σ final_cost = outturn + reserve, Σ balance = 0.
 * @param[out] out  free with s75_settlement_free()
 */
S75_EXTERN(int) s75_settle(s75_settlement **out, s75_db *db, const s75_agreement *ag, int fy,
			   const s75_settle_options *o);
S75_EXTERN(void) s75_settlement_free(s75_settlement *s);

/**
 * What each partner spent (expenditure less income) and transferred (contributions paid,
 * positive, or received, negative) through its own ledger on `pool`'s cost centres,
 * P1..`period`. `spent` and `transferred` have one entry per partner.
 */
S75_EXTERN(int) s75_ledger_partner_totals(s75_db *db, const s75_agreement *ag, s75_period period,
					  int pool, int64_t *spent, int64_t *transferred);

/** Balancing payments for `balance` (per partner, summing to zero): through `host`, or the
 * fewest direct transfers (at most one fewer than the partners) when host < 0. Each
 * payment's `pool` is -1 (the caller says which pool, if any). */
S75_EXTERN(int) s75_balancing_payments(s75_payment **out, size_t *n, const int64_t *balance,
				       size_t npartners, int host);

#endif
