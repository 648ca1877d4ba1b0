/* s75 — tolerance alerts: each element whose forecast variance went beyond the agreement's
 * tolerance, since when, and whether it was reported to the partners in time. */
#ifndef S75_ALERTS_H
#define S75_ALERTS_H

#include "agreement.h"
#include "db.h"

/** One breach of tolerance: a run of periods an element's forecast variance was beyond it. */
typedef struct s75_alert {
	int pool, element;        /**< indices in the agreement */
	s75_period first, last;   /**< the run's first and last period (last <= the period asked) */
	bool current;             /**< still beyond tolerance at the period asked */
	int64_t budget;           /**< the element's budget at `first`, pence */
	int64_t variance;         /**< its forecast variance at `first` (+ overspend), pence */
	int64_t limit;            /**< the tolerance in pence at `first`: the smaller of the
	                               percentage of the budget (rounded down) and the amount */
	int64_t variance_now;     /**< the forecast variance at `last` */
	s75_date since;           /**< the day it became known: the import of the forecasts made
	                               at `first` (the period's last day if there were none) */
	s75_date deadline;        /**< `since` plus the tolerance's working days */
	s75_date reported;        /**< the first tolerance report received for a period of the run
	                               (record receipt --item tolerance-report); 0 if none */
	int working_days;         /**< working days from `since` to `reported` (0 if not reported) */
	char *reported_to;        /**< the body that received it; NULL if none */
} s75_alert;

typedef struct s75_alerts {
	s75_period period;
	s75_tolerance tolerance;  /**< the agreement's (present false: no tolerance stated) */
	s75_alert *items;         /**< by first period, pool, element */
	size_t n;
} s75_alerts;

/**
 * The breaches of tolerance of `period`'s financial year up to `period`, from the
 * element-level monitoring of each period (forecast variance against the element's budget).
 * @param[out] out  free with s75_alerts_free()
 * @return 0; S75_EINVALID (no such year; a deadline past the bank holidays known); S75_EIO
 */
S75_EXTERN(int) s75_alerts_build(s75_alerts **out, s75_db *db, const s75_agreement *ag,
				 s75_period period);
S75_EXTERN(void) s75_alerts_free(s75_alerts *a);

/** Whether an alert is a breach of governance on `as_of`: not reported and past its
 *  deadline, or reported after it. */
S75_EXTERN(bool) s75_alert_overdue(const s75_alert *a, s75_date as_of);

#endif
