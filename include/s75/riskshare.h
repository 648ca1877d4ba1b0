/* s75 — the risk share: who carries what of a pool's over- or underspend.
 *
 * s75_riskshare_apply() takes a pool's variance by element and cost centre and the
 * rule the agreement states, and returns each partner's share with every step of the
 * working, so a finance lead can check it by hand. The shares less the reserve (an
 * underspend kept in the pool) always equal the variance to the penny.
 * docs/risk-share.md explains each method.
 */
#ifndef S75_RISKSHARE_H
#define S75_RISKSHARE_H

#include "agreement.h"

/** What the risk share is applied to: one pool's variance in one year. */
typedef struct s75_rs_input {
	const s75_agreement *ag;
	int fy;
	int pool;
	const s75_rs_rule *rule;        /**< NULL: shared by contributions (no rule stated) */
	const int64_t *element_variance; /**< per element of the pool: outturn - net contribution */
	const int64_t *cc_variance;     /**< per cost centre of the agreement (own method); may be NULL */
	const int64_t *contribution;    /**< net contribution per element x partner: [e * npartners + p] */
	const s75_saving *savings;      /**< the year's savings (those of other pools are skipped) */
	size_t nsavings;
	int aligned_periods;            /**< periods of the year before pooling starts (0..12) */
} s75_rs_input;

/** One step of the working. */
typedef struct s75_rs_step {
	char *what;          /**< e.g. "band 1 (first £500,000.00): lead" */
	int64_t amount;      /**< what the step shares */
	int64_t *by_partner; /**< per partner */
	int64_t to_reserve;  /**< carried forward in the pool (positive); amount = Σ by_partner - to_reserve */
} s75_rs_step;

typedef struct s75_rs_result {
	int64_t variance;  /**< the pool's variance, positive = overspend */
	int64_t *share;    /**< per partner: its share of the variance */
	int64_t reserve;   /**< underspend carried forward (positive), less what the overspend
	                        waterfall drew from the fund's reserve and uncommitted funds */
	s75_rs_step *steps;
	size_t nsteps;
	size_t npartners;
	int64_t reserve_drawn;    /**< the waterfall: met from the risk reserve (in `reserve`, negated) */
	int64_t uncommitted_used; /**< the waterfall: met from uncommitted funds (in `reserve`, negated) */
} s75_rs_result;

/**
 * Applies the risk share. Σ share - reserve == Σ element_variance, always.
 * @param[out] out  free with s75_rs_result_free()
 * @return 0, S75_EOVERFLOW, or S75_EINVALID (e.g. caps leave an amount no one can carry)
 */
S75_EXTERN(int) s75_riskshare_apply(s75_rs_result **out, const s75_rs_input *in);
/**
 * The same, with the same figures and steps, but each step's `what` left empty: for the
 * millions of draws of s75_exposure_run(), which need the shares and not the words.
 */
S75_EXTERN(int) s75_riskshare_apply_figures(s75_rs_result **out, const s75_rs_input *in);
S75_EXTERN(void) s75_rs_result_free(s75_rs_result *r);

#endif
