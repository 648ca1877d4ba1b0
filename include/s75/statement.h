/* s75 — each partner's share of a pooled fund for its own statutory accounts.
 *
 * A pooled budget is a joint arrangement: each partner recognises its share of the pool's
 * income, expenditure, assets and liabilities. s75_partner_statement_build() takes the
 * year's settlement (the memorandum account, the risk share and the balances) and gives
 * every partner's share of each line, so that the shares of all partners sum to the
 * memorandum account to the penny. docs/reports.md explains the basis.
 */
#ifndef S75_STATEMENT_H
#define S75_STATEMENT_H

#include "doc.h"
#include "settle.h"

/** One line of the statement, per pool: one amount per partner and the pool's own. */
typedef enum s75_pst_line {
	S75_PST_CONTRIBUTION,  /**< its contribution to the pool (the pool's income from it) */
	S75_PST_INCOME,        /**< its share of the pool's other income */
	S75_PST_EXPENDITURE,   /**< its share of the pool's gross expenditure */
	S75_PST_SURPLUS,       /**< its share of the surplus (deficit): contribution + income - expenditure */
	S75_PST_RISK_SHARE,    /**< of which: the over- (under-) spend it bears under the risk share, as a charge */
	S75_PST_RESERVE,       /**< its share of the reserve carried forward in the pool (an asset) */
	S75_PST_BALANCE,       /**< the year-end balance owed to it (positive) or due from it */
	S75_PST_NLINES
} s75_pst_line;

typedef struct s75_pst_pool {
	int pool;
	int64_t *share[S75_PST_NLINES]; /**< per line, per partner */
	int64_t total[S75_PST_NLINES];  /**< per line: the memorandum account's figure */
	int64_t *weight;                /**< per partner: the basis of the shares (its final cost) */
	bool *involved;                 /**< per partner */
	bool no_actuals;                /**< the workspace has no expenditure or income for the pool */
} s75_pst_pool;

typedef struct s75_partner_statement {
	int fy, partner;
	s75_pst_pool *pools;
	size_t npools, npartners;
} s75_partner_statement;

/**
 * Builds the statement of `partner` for year `fy` from the settlement on actuals.
 * Every line's shares over all partners equal the memorandum account's figure.
 * @param[out] out  free with s75_partner_statement_free()
 */
S75_EXTERN(int) s75_partner_statement_build(s75_partner_statement **out, s75_db *db,
					    const s75_agreement *ag, int fy, int partner);
S75_EXTERN(void) s75_partner_statement_free(s75_partner_statement *s);
/**
 * The risk reserve of `pool` at the end of year `fy`: the reserve the rule states at the
 * year's start, less what the overspend waterfall drew, plus the underspend carried forward,
 * from the year's settlement. *known is false (and *out 0) when the workspace has no actuals
 * for that year, or the agreement no such year.
 */
S75_EXTERN(int) s75_reserve_at_year_end(int64_t *out, bool *known, s75_db *db,
					const s75_agreement *ag, int fy, int pool);

#endif
