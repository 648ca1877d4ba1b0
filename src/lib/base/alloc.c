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
