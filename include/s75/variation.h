/* s75 — variations: in-year changes to contributions, to the risk share or to KPIs, each
 * effective from a date and approved by a decision (e.g. the £2.7m of adult social care
 * precept Oxfordshire added to its pools, 002 §35).
 *
 * A year's schedule is what was agreed for the year; what is *in force* on a day is the
 * schedule plus every variation of that year effective on or before the day. Reports ask
 * for what was in force for their period:
 *
 *     s75_contribution *c; size_t n;
 *     s75_year_contributions_at(&c, &n, ag, y, s75_fy_end(y->fy)); // the year's end
 *     ...
 *     free(c);
 */
#ifndef S75_VARIATION_H
#define S75_VARIATION_H

#include "agreement.h"
#include "kpi.h"

/** A change to one partner's contribution to one element: amounts added (or taken, if negative). */
typedef struct s75_var_contribution {
	int pool, element, partner;
	int64_t gross, income, grants, net; /**< pence; net = gross - income - grants */
	s75_pos pos;
} s75_var_contribution;

/** A change to a KPI: the fields set replace the KPI's from the effective date. */
typedef struct s75_var_kpi {
	int kpi;
	bool set_target, set_target_date, set_tolerance, set_baseline;
	int64_t target, tolerance, baseline;
	s75_date target_date;
	const char *baseline_period;
	s75_pos pos;
} s75_var_kpi;

typedef struct s75_variation {
	const char *id;
	const char *description;
	const char *decision; /**< id of the decision that approved it (the decisions log) */
	s75_date effective;
	int fy;        /**< the financial year it falls in */
	s75_unit unit; /**< of its amounts */
	s75_var_contribution *contributions;
	size_t ncontributions;
	s75_rs_rule
	    *risk_share; /**< rules that replace each named pool's from the effective date */
	size_t nrisk_share;
	s75_var_kpi *kpis;
	size_t nkpis;
	s75_pos pos;
} s75_variation;

/**
 * The contributions in force on `date` in year `y`: the schedule with every variation of the
 * year effective on or before `date` added, line by line (a variation for a line the
 * schedule does not have adds one). The lines keep the schedule's order; added lines follow.
 * @param[out] out  a new array (free() it); *n lines
 * @return 0 or S75_EOVERFLOW
 */
S75_EXTERN(int)
s75_year_contributions_at(s75_contribution **out, size_t *n, const s75_agreement *ag,
                          const s75_year *y, s75_date date);

/**
 * The contribution of (`pool`, `element`, `partner`) in force on `date`.
 * @return 0; S75_ENOTFOUND when the agreement has no schedule for the date's year or no
 *         such contribution; S75_EOVERFLOW
 */
S75_EXTERN(int)
s75_contribution_at(s75_contribution *out, const s75_agreement *ag, int pool, int element,
                    int partner, s75_date date);

/** The risk share of `pool` in force on `date` in year `y` (NULL: shared by contributions). */
S75_EXTERN(const s75_rs_rule *)
s75_year_risk_share_at(const s75_agreement *ag, const s75_year *y, int pool, s75_date date);

/** KPI `kpi` as in force on `date` (its variations effective by then applied). */
S75_EXTERN(s75_kpi) s75_kpi_at(const s75_agreement *ag, int kpi, s75_date date);

/** The agreement's variations (NULL and 0 if none), in the order of the file. */
S75_EXTERN(const s75_variation *) s75_agreement_variations(const s75_agreement *ag, size_t *n);

#endif
