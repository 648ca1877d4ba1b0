/* s75 — splitting an amount between parties, to the penny.
 *
 * Every split in s75 (contributions to shares, variances to partners, a payment into
 * instalments) goes through s75_alloc_split(): the parts always sum back to the whole.
 */
#ifndef S75_ALLOC_H
#define S75_ALLOC_H

#include "common.h"

/**
 * Splits `amount` in proportion to `weights` by the largest-remainder method.
 *
 * Each part is first the proportional share rounded towards zero; the pennies left over
 * go one each to the parts with the largest remainders, ties to the earlier index (the
 * order of the agreement). A negative amount is split as its magnitude and negated, so
 * the split of -x mirrors the split of x. The parts sum to `amount` exactly.
 *
 * @param[out] out  `n` parts, caller-allocated
 * @param weights   `n` non-negative weights, at least one positive
 * @return 0, or S75_EINVALID if the weights are negative or all zero
 */
S75_EXTERN(int) s75_alloc_split(int64_t *out, int64_t amount, const int64_t *weights, size_t n);

/**
 * Splits `amount` in proportion to signed `weights` (whose sum is not zero): each part is
 * amount × weight / Σweights, rounded towards zero, and the pennies left over go to the
 * largest remainders in their direction, earliest first. For variances that offset each
 * other: a partner whose own variance runs the other way gets a part of the other sign.
 * The parts sum to `amount` exactly.
 * @return 0, or S75_EINVALID if the weights sum to zero
 */
S75_EXTERN(int) s75_alloc_split_signed(int64_t *out, int64_t amount, const int64_t *weights,
				       size_t n);

/**
 * Shares as percentages with two decimals (basis points) that sum to exactly 100.00:
 * s75_alloc_split() of 10,000 by the weights.
 */
S75_EXTERN(int) s75_alloc_shares_bp(int64_t *out_bp, const int64_t *weights, size_t n);

/** `v` in whole units of `quantum` pence, rounded half away from zero. */
S75_EXTERN(int64_t) s75_alloc_round_one(int64_t v, int64_t quantum);

/**
 * Rounds `n` amounts to whole units of `quantum` pence (for display in £'000 or £m) so that
 * the rounded parts add to `target` units, the rounded total (largest remainder: each part
 * rounded down, then one unit each to the largest remainders, ties to the earlier part).
 * Every part moves by less than one unit from its exact value.
 * @return 0, or S75_EINVALID (parts then rounded one by one) when no such rounding exists
 */
S75_EXTERN(int) s75_alloc_round(int64_t *out, const int64_t *v, size_t n, int64_t quantum,
				int64_t target);

#endif
