/* s75 — notice and termination: a partner's notice to end the agreement, a pool or a
 * lead-commissioning function, the day it takes effect under the agreement's notice terms,
 * where each arrangement stands, and the history of changes (variations and notices).
 *
 * Oxfordshire (002 §10): 6 months' notice, 3 where there is no agreement on the annual
 * contribution, shorter on default. Cambridgeshire (000 §2.8): notice accepted on 31 August
 * 2023, the agreement ceases on 31 August 2024 — 12 months:
 *
 *     s75_notice_input in = {"ccc", date, "agreement", S75_GROUNDS_GENERAL, NULL, 0};
 *     s75_notice n;
 *     s75_notice_compute(&n, ag, &in);   // n.effective == 2024-08-31
 */
#ifndef S75_NOTICE_H
#define S75_NOTICE_H

#include "agreement.h"
#include "db.h"

typedef enum s75_grounds {
	S75_GROUNDS_GENERAL,                   /**< either party, no reason needed */
	S75_GROUNDS_NO_CONTRIBUTION_AGREEMENT, /**< no agreement on the annual contribution */
	S75_GROUNDS_DEFAULT,                   /**< the other party is in default */
	S75_GROUNDS_BY_AGREEMENT               /**< the partners agree the day it takes effect
	                                            (a shorter period than the terms give) */
} s75_grounds;

S75_EXTERN(const char *) s75_grounds_name(s75_grounds g);
/** The grounds named `s`, or -1. */
S75_EXTERN(int) s75_grounds_parse(const char *s);

typedef struct s75_notice_input {
	const char *by;    /**< partner id serving it */
	s75_date date;     /**< the day it is served (or accepted) */
	const char *scope; /**< `agreement`, `pool:ID` (a pooled fund), `function:ID` (a
	                      lead-commissioning or integrated-provision arrangement) or
	                      `arrangement:ID` (any kind) */
	s75_grounds grounds;
	const char *note;
	s75_date effective; /**< by-agreement only: the day agreed (its last day); else 0 */
} s75_notice_input;

typedef struct s75_notice {
	int64_t id; /**< 0 until recorded */
	int by;     /**< partner index */
	s75_date date;
	char scope[160]; /**< as given, normalised */
	int arrangement; /**< -1 for the whole agreement */
	s75_grounds grounds;
	int months;             /**< the notice period the terms give */
	s75_date effective;     /**< the day it takes effect: the arrangement's last day */
	s75_date scheduled_end; /**< the end it would have had anyway (0 if open-ended) */
	bool has_scheduled_end;
	char note[256];
} s75_notice;

/**
 * Works out when a notice takes effect: its date plus the months the notice terms give for
 * its grounds (s75_date_add_months(), so month ends clamp: 31 Aug + 6 months = 28/29 Feb);
 * by agreement, the day the partners agreed (`in->effective`, after the date; `months` is
 * then the whole months between them).
 * @return 0; S75_EINVALID for an unknown partner or scope, a scope of the wrong kind, grounds
 *         the terms state no period for, or a date outside the agreement's term
 */
S75_EXTERN(int)
s75_notice_compute(s75_notice *out, const s75_agreement *ag, const s75_notice_input *in);
/** Computes and records a notice (and the audit entry); `out` gets its id. */
S75_EXTERN(int)
s75_notice_record(s75_notice *out, s75_db *db, const s75_agreement *ag, const s75_notice_input *in,
                  const char *now);
/** The notices recorded, by date. `out` is a new array (free() it). */
S75_EXTERN(int) s75_notices_list(s75_notice **out, size_t *n, s75_db *db, const s75_agreement *ag);

/** The last day of the agreement: its end, or its last extension's; false if open-ended. */
S75_EXTERN(bool) s75_agreement_end(const s75_agreement *ag, s75_date *end);

/**
 * The day each arrangement ends: the earliest of its own end, the agreement's end and the
 * effective day of any notice recorded for it or for the whole agreement. `db` may be NULL
 * (no notices). @param[out] out  per arrangement, 0 when open-ended (free() it)
 */
S75_EXTERN(int) s75_arrangement_ends(s75_date **out, s75_db *db, const s75_agreement *ag);

typedef enum s75_arr_state {
	S75_STATE_NOT_STARTED,
	S75_STATE_ACTIVE,
	S75_STATE_ENDING, /**< a notice has been served: it ends on `ends` */
	S75_STATE_ENDED
} s75_arr_state;

S75_EXTERN(const char *) s75_arr_state_name(s75_arr_state s);

/** Where one arrangement stands. */
typedef struct s75_arr_status {
	int arrangement; /**< -1 for the agreement as a whole */
	s75_date start;
	bool has_end;
	s75_date ends; /**< the day it ends, notices included */
	s75_arr_state state;
	int notice;              /**< index into `notices` of the notice that ends it, or -1 */
	bool settlement_due;     /**< a pool that has ended: its final settlement is due */
	s75_period final_period; /**< the last period it takes (the settlement's) */
} s75_arr_status;

typedef struct s75_status {
	s75_date as_of;
	s75_arr_status agreement;
	s75_arr_status *arrangements; /**< per arrangement index */
	size_t narrangements;
	s75_notice *notices;
	size_t nnotices;
} s75_status;

/** Where the agreement and each arrangement stand on `as_of`. `db` may be NULL. */
S75_EXTERN(int)
s75_status_build(s75_status **out, s75_db *db, const s75_agreement *ag, s75_date as_of);
S75_EXTERN(void) s75_status_free(s75_status *s);

/** One change in the history of the agreement. */
typedef struct s75_change {
	s75_date date;  /**< effective (a variation), served (a notice) or agreed (a schedule) */
	char *kind;     /**< `schedule`, `contribution`, `risk-share`, `kpi`, `notice` */
	char *ref;      /**< the variation or notice (or year) */
	char *decision; /**< the approving decision's id, or NULL */
	char *what;     /**< the change in words, naming partners, pools, elements and KPIs by id
	                     (CSV, JSON) */
	char *label;    /**< the same naming them by name (text, HTML, XLSX) */
	bool has_amounts;
	int64_t before, after; /**< contributions: the net in force before and after, pence */
} s75_change;

typedef struct s75_history {
	s75_change *items; /**< by date, then in the order of the file */
	size_t n;
} s75_history;

/**
 * The changes to the agreement: each year's schedule (when agreed), each variation's
 * changes with the amounts before and after, and each notice recorded. `fy` >= 0 keeps one
 * financial year. `db` may be NULL.
 */
S75_EXTERN(int) s75_history_build(s75_history **out, s75_db *db, const s75_agreement *ag, int fy);
S75_EXTERN(void) s75_history_free(s75_history *h);

#endif
