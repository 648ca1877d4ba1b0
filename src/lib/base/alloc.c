#include <stdlib.h>

#include "s75/alloc.h"
#include "s75/error.h"
#include "xalloc.h"

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

int s75_alloc_split(int64_t *out, int64_t amount, const int64_t *weights, size_t n)
{
	u128 total = 0;
	u128 mag = amount < 0 ? (u128)0 - (u128)(i128)amount : (u128)amount;
	u128 given = 0;
	u128 *rem = NULL;

	for (size_t i = 0; i < n; i++) {
		if (weights[i] < 0)
			return s75_error_set(S75_EINVALID, "negative weight in a split");
		total += (u128)weights[i];
	}
	if (total == 0)
		return s75_error_set(S75_EINVALID, "a split needs at least one positive weight");

	rem = xcalloc(n, sizeof(*rem));
	for (size_t i = 0; i < n; i++) {
		/* mag < 2^63 and weight < 2^63: the product fits in 126 bits */
		u128 prod = mag * (u128)weights[i];
		u128 q = prod / total;
		rem[i] = prod % total;
		out[i] = (int64_t)q;
		given += q;
	}
	/* fewer than n pennies are left; hand them to the largest remainders, earliest first */
	for (u128 left = mag - given; left > 0; left--) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (weights[i] > 0 && (best == n || rem[i] > rem[best]))
				best = i;
		out[best]++;
		rem[best] = 0;
	}
	free(rem);
	if (amount < 0)
		for (size_t i = 0; i < n; i++)
			out[i] = -out[i];
	return 0;
}

int s75_alloc_split_signed(int64_t *out, int64_t amount, const int64_t *weights, size_t n)
{
	i128 W = 0, given = 0;
	i128 *rem;
	int sign = 1;
	for (size_t i = 0; i < n; i++)
		W += weights[i];
	if (W == 0)
		return s75_error_set(S75_EINVALID, "a split needs weights that do not sum to zero");
	if (W < 0) {
		sign = -1;
		W = -W;
	}
	rem = xcalloc(n + 1, sizeof(*rem));
	for (size_t i = 0; i < n; i++) {
		i128 prod = (i128)amount * weights[i] * sign;
		i128 q = prod / W; /* rounds towards zero */
		rem[i] = prod - q * W;
		out[i] = (int64_t)q;
		given += q;
	}
	/* |left| < n: each penny to the largest remainder in its direction, earliest first */
	for (i128 left = (i128)amount - given; left != 0; left += left > 0 ? -1 : 1) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (best == n || (left > 0 ? rem[i] > rem[best] : rem[i] < rem[best]))
				best = i;
		out[best] += left > 0 ? 1 : -1;
		rem[best] += left > 0 ? -W : W;
	}
	free(rem);
	return 0;
}

int s75_alloc_shares_bp(int64_t *out_bp, const int64_t *weights, size_t n)
{
	return s75_alloc_split(out_bp, 10000, weights, n);
}

/* v / q rounded towards minus infinity, and the remainder (0 <= rem < q). */
static int64_t floor_div(int64_t v, int64_t q, int64_t *rem)
{
	int64_t d = v / q, r = v % q;
	if (r < 0) {
		d--;
		r += q;
	}
	*rem = r;
	return d;
}

int64_t s75_alloc_round_one(int64_t v, int64_t quantum)
{
	int64_t rem, d = floor_div(v, quantum, &rem);
	/* half away from zero */
	if (rem * 2 > quantum || (rem * 2 == quantum && v > 0))
		d++;
	return d;
}

int s75_alloc_round(int64_t *out, const int64_t *v, size_t n, int64_t quantum, int64_t target)
{
	int64_t *rem, sum = 0;
	if (quantum <= 0)
		return s75_error_set(S75_EINVALID, "cannot round to a quantum of %lld", (long long)quantum);
	rem = xcalloc(n + 1, sizeof(int64_t));
	for (size_t i = 0; i < n; i++) {
		out[i] = floor_div(v[i], quantum, &rem[i]);
		sum += out[i];
	}
	int64_t left = target - sum;
	if (left < 0 || (uint64_t)left > n) {
		for (size_t i = 0; i < n; i++)
			out[i] = s75_alloc_round_one(v[i], quantum);
		free(rem);
		return s75_error_set(S75_EINVALID, "the rounded parts cannot add to %lld", (long long)target);
	}
	/* one unit each to the largest remainders, ties to the earlier part */
	while (left-- > 0) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (rem[i] >= 0 && (best == n || rem[i] > rem[best]))
				best = i;
		out[best]++;
		rem[best] = -1;
	}
	free(rem);
	return 0;
}
