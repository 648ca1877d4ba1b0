/* s75 — the contributions schedule of a year: per pool, element and partner the gross,
 * less service-user income, less grants, = net, and each partner's % share. */
#ifndef S75_CONTRIB_H
#define S75_CONTRIB_H

#include "agreement.h"

typedef struct s75_amounts {
	int64_t gross, income, grants, net;
} s75_amounts;

typedef struct s75_contrib_element {
	int element;              /**< index in the pool's elements */
	s75_amounts *by_partner;  /**< per partner index (npartners) */
	bool *has;                /**< per partner: a contribution is declared */
	s75_amounts total;
} s75_contrib_element;

typedef struct s75_contrib_pool {
	int pool;                 /**< arrangement index */
	s75_contrib_element *elements;
	size_t nelements;
	s75_amounts *by_partner;  /**< per partner index */
	bool *contributes;        /**< per partner: declares any contribution to the pool */
	int64_t *share_bp;        /**< per partner: % of the pool's net in basis points */
	bool shares_valid;        /**< false if the pool's net is not positive */
	s75_amounts total;
} s75_contrib_pool;

typedef struct s75_contrib_schedule {
	int fy;
	const s75_year *year;
	s75_contrib_pool *pools;
	size_t npools;
	s75_amounts *by_partner;  /**< across all pools */
	int64_t *share_bp;
	bool shares_valid;
	s75_amounts total;
	size_t npartners;
	s75_date as_of;           /**< the contributions in force on this day (variations, variation.h) */
} s75_contrib_schedule;

/**
 * Builds the schedule of year `fy` (every pooled fund, in agreement order), as in force at
 * the year's end: the agreed schedule plus every variation of the year.
 * Shares are split with s75_alloc_shares_bp(), so within a pool they sum to 100.00.
 * @param[out] out  free with s75_contrib_schedule_free()
 * @return 0, S75_ENOTFOUND if the agreement has no such year, S75_EOVERFLOW
 */
S75_EXTERN(int) s75_contrib_schedule_build(s75_contrib_schedule **out, const s75_agreement *ag,
					   int fy);
/** As s75_contrib_schedule_build() (which uses the year's end), with the contributions in
 * force on `as_of`: the schedule plus the year's variations effective by then. */
S75_EXTERN(int) s75_contrib_schedule_build_at(s75_contrib_schedule **out,
					      const s75_agreement *ag, int fy, s75_date as_of);
S75_EXTERN(void) s75_contrib_schedule_free(s75_contrib_schedule *s);

/** Adds `b` to `a` field by field; S75_EOVERFLOW if any sum overflows. */
S75_EXTERN(int) s75_amounts_add(s75_amounts *a, const s75_amounts *b);

/**
 * What of a year's net contribution `net` has fallen due by the end of quarter `quarter`
 * (0..4): the contribution is paid in four equal instalments, one a quarter, split by the
 * one largest-remainder rule (the odd pennies to the earliest), so the four sum to `net`.
 */
S75_EXTERN(int64_t) s75_contrib_due_to_date(int64_t net, int quarter);

#endif
