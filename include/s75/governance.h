/* s75 — governance: the bodies that run the agreement (members by partner, chair, quorum,
 * how often they meet, their duties and what they receive by when), the risk register,
 * the logs kept in the workspace (meetings, reports received, decisions) and the check
 * that lists every breach with its evidence (seed 000 §2.2: "the governance arrangements
 * specified in the agreement are not being fulfilled").
 *
 * The agreement file holds what should happen (docs/agreement-format.md); the database holds
 * what did (docs/governance.md); s75_governance_check() compares them.
 *
 *     s75_gov_check_options o = S75_GOV_CHECK_OPTIONS_INIT;
 *     o.as_of = today;
 *     s75_breaches *b;
 *     if (s75_governance_check(&b, db, ag, &o) == 0) { ...b->items...; s75_breaches_free(b); }
 */
#ifndef S75_GOVERNANCE_H
#define S75_GOVERNANCE_H

#include <stdbool.h>
#include "agreement.h"
/* the workspace (db.h, a layer above): only pointers to it here */
typedef struct s75_db s75_db;
#include "kpi.h"
#include "variation.h"

/** What a body receives, and by when. */
typedef enum s75_gov_item {
	S75_ITEM_QUARTERLY_REPORT, /**< the pool manager's quarterly report: within N days of the
	                              quarter's end */
	S75_ITEM_ANNUAL_RETURN,    /**< the annual return: by a day after the year's end */
	S75_ITEM_SCHEDULES, /**< next year's schedules agreed: by a day before the year starts */
	S75_ITEM_RISK_ASSESSMENT, /**< the annual risk assessment: by a day in the year */
	S75_ITEM_TOLERANCE_REPORT, /**< a forecast variance beyond the agreement's tolerance,
	                              reported for a period (s75 alerts): within its working days */
	S75_ITEM_COUNT
} s75_gov_item;

typedef struct s75_gov_duty {
	s75_gov_item item;
	int within_days;      /**< -1 when not stated */
	int by_month, by_day; /**< 0 when not stated */
	s75_pos pos;
} s75_gov_duty;

typedef struct s75_gov_member {
	int partner; /**< partner index */
	const char *role;
	int count; /**< how many members with this role (default 1) */
} s75_gov_member;

typedef struct s75_gov_body {
	const char *id, *name;
	int *pools; /**< arrangement indices it oversees */
	size_t npools;
	int chair_partner; /**< -1 if not stated */
	const char *chair_role;
	s75_gov_member *members;
	size_t nmembers;
	int quorum_members;      /**< members present for a quorum (0: none stated) */
	int quorum_each_partner; /**< and at least this many from each partner with members (0:
	                            none) */
	int every_months;    /**< meets at least once in every this many months (0: not stated) */
	int public_meetings; /**< meetings held in public each financial year (0: no duty) */
	s75_strlist duties;  /**< other duties, in words */
	s75_gov_duty *receives;
	size_t nreceives;
	bool has_from, has_to;
	s75_date from, to; /**< when it was set up and stood down, if not with the agreement */
	s75_pos pos;
} s75_gov_body;

typedef enum s75_risk_kind {
	S75_RISK_REPUTATION,  /**< damage to a partner's corporate reputation */
	S75_RISK_WORKFORCE,   /**< arising from actions of the workforce */
	S75_RISK_CLAIMS,      /**< claims from clients or patients */
	S75_RISK_FINANCIAL,   /**< overspends, financial risk */
	S75_RISK_RISK_SHARE,  /**< financial risk sharing */
	S75_RISK_PERFORMANCE, /**< failure to perform to the required level */
	S75_RISK_OTHER
} s75_risk_kind;

/** An entry of the risk register (seed 001 §5.1.2). */
typedef struct s75_risk {
	const char *id, *title;
	s75_risk_kind kind;
	int pool;  /**< arrangement index, -1 for the whole agreement */
	int owner; /**< partner index */
	const char *owner_role;
	int likelihood, impact; /**< 1 (low) to 5 (high); score = likelihood x impact */
	s75_strlist mitigations;
	s75_date review; /**< next review due */
	bool has_reviewed;
	s75_date reviewed; /**< last reviewed */
	s75_pos pos;
} s75_risk;

/** Everything the agreement says about governance, KPIs, risks and variations. */
typedef struct s75_gov_model {
	s75_kpi *kpis;
	size_t nkpis;
	s75_gov_body *bodies;
	size_t nbodies;
	int end_warning_months; /**< the check warns of an end this many months ahead (default 6) */
	s75_risk *risks;
	size_t nrisks;
	s75_variation *variations;
	size_t nvariations;
} s75_gov_model;

S75_EXTERN(const char *) s75_gov_item_name(s75_gov_item i);
/** The item named `s` (`quarterly-report`, ...), or -1. */
S75_EXTERN(int) s75_gov_item_parse(const char *s);
S75_EXTERN(const char *) s75_risk_kind_name(s75_risk_kind k);
/** `monthly`, `bi-monthly`, `quarterly`, `six-monthly`, `annually` for 1, 2, 3, 6, 12. */
S75_EXTERN(const char *) s75_frequency_name(int every_months);

/** The agreement's governance model; never NULL for a loaded agreement. */
S75_EXTERN(const s75_gov_model *) s75_agreement_governance(const s75_agreement *ag);
/** The body `id`'s index, or -1. */
S75_EXTERN(int) s75_agreement_find_body(const s75_agreement *ag, const char *id);

/* ---- the logs ------------------------------------------------------------------- */

/** A meeting to record. `present` is `PARTNER:N,...` (members present per partner) or a
 * total `N`; `received` is `ITEM:PERIOD;...` (e.g. `quarterly-report:2017/18 Q1`). */
typedef struct s75_meeting_input {
	const char *body;
	s75_date date;
	bool public_meeting;
	const char *present;  /**< NULL: not recorded */
	const char *received; /**< NULL: nothing */
	const char *note;
} s75_meeting_input;

typedef struct s75_receipt {
	char *body, *item, *period;
	s75_date date;
} s75_receipt;

typedef struct s75_meeting {
	int64_t id;
	char *body;
	s75_date date;
	bool public_meeting;
	int *present;      /**< per partner index, -1 where not recorded; NULL when no breakdown */
	int present_total; /**< -1 when attendance was not recorded */
	char *note;
} s75_meeting;

typedef struct s75_decision {
	char *id, *body;
	s75_date date;
	char *approves; /**< what it approved: `variation:ID`, `schedules:2018/19`, ... */
	char *summary;
} s75_decision;

typedef struct s75_decision_input {
	const char *id; /**< NULL: the next free `dN` */
	const char *body;
	s75_date date;
	const char *approves;
	const char *summary;
} s75_decision_input;

/**
 * Records a meeting (and the items it received) and appends to the audit log, in one
 * transaction. Refuses an unknown body, a second meeting of a body on one day, bad
 * attendance and unknown items. @param[out] id  the meeting's number (may be NULL)
 * @return 0, S75_EINVALID, S75_EEXISTS, S75_EIO
 */
S75_EXTERN(int)
s75_meeting_record(s75_db *db, const s75_agreement *ag, const s75_meeting_input *in,
                   const char *now, int64_t *id);
/** Records that `body` received `item` for `period` on `date` (outside a meeting). */
S75_EXTERN(int)
s75_receipt_record(s75_db *db, const s75_agreement *ag, const char *body, const char *item,
                   const char *period, s75_date date, const char *now);
/**
 * Records a decision. `approves` is `KIND:REF` — `variation:ID`, `schedules:YEAR`,
 * `kpi:ID`, `risk:ID`, `pool:ID`, `function:ID`, `budget:YEAR`, `notice:N`, `agreement`, or
 * `other:TEXT` — and a reference to the agreement must exist in it.
 * @param[out] id_out  the decision's id (free() it; may be NULL)
 */
S75_EXTERN(int)
s75_decision_record(s75_db *db, const s75_agreement *ag, const s75_decision_input *in,
                    const char *now, char **id_out);

/** Imports meetings from a CSV `body,date,public,present,received,note` (all or nothing). */
S75_EXTERN(int)
s75_meetings_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                    s75_gov_import_result *res);
/** Imports decisions from a CSV `id,body,date,approves,summary` (all or nothing). */
S75_EXTERN(int)
s75_decisions_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                     s75_gov_import_result *res);

/**
 * Imports the register of interests of the people who sit on the bodies: a CSV
 * `person,body,subject,nature,from` with optional `name` and `to` (all or nothing). The
 * subject is what the interest is in: a provider, a partner, any name decisions use.
 */
S75_EXTERN(int)
s75_interests_import(s75_db *db, const s75_agreement *ag, const char *path, const char *now,
                     s75_gov_import_result *res);
/**
 * Imports who took part in each decision: a CSV `decision,person,subjects` with an
 * optional `declared` (all or nothing): `subjects` are what the decision concerned and
 * `declared` the interests the person declared at it, each `;`-separated. A later row for a
 * decision and person replaces the earlier.
 */
S75_EXTERN(int)
s75_participation_import(s75_db *db, const s75_agreement *ag, const char *path,
                         const char *now, s75_gov_import_result *res);

/** The meetings of `body` (all when NULL), by date. Free with s75_meetings_free(). */
S75_EXTERN(int)
s75_meetings_list(s75_meeting **out, size_t *n, s75_db *db, const s75_agreement *ag,
                  const char *body);
S75_EXTERN(void) s75_meetings_free(s75_meeting *m, size_t n);
/** The reports received by `body` (all when NULL), by date. */
S75_EXTERN(int) s75_receipts_list(s75_receipt **out, size_t *n, s75_db *db, const char *body);
S75_EXTERN(void) s75_receipts_free(s75_receipt *r, size_t n);
/** The decisions, by date then id. */
S75_EXTERN(int) s75_decisions_list(s75_decision **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_decisions_free(s75_decision *d, size_t n);

/**
 * Whether `m` was quorate under `b`'s quorum. `*why` (may be NULL) gets a static text of
 * the shortfall. True when the body states no quorum.
 */
S75_EXTERN(bool)
s75_meeting_quorate(const s75_agreement *ag, const s75_gov_body *b, const s75_meeting *m,
                    const char **why);

/* ---- the check ------------------------------------------------------------------ */

typedef enum s75_breach_kind {
	S75_BREACH_MEETING_MISSED,      /**< no meeting in a window of the body's frequency */
	S75_BREACH_NO_PUBLIC_MEETING,   /**< a year without the meetings in public it owes */
	S75_BREACH_QUORUM,              /**< a meeting without its quorum */
	S75_BREACH_REPORT_MISSING,      /**< a report not received and its deadline passed */
	S75_BREACH_REPORT_LATE,         /**< a report received after its deadline */
	S75_BREACH_SCHEDULES,           /**< a year's schedules not agreed before it started */
	S75_BREACH_SCHEDULES_LATE,      /**< next year's schedules not agreed by the body's date */
	S75_BREACH_ENDING,              /**< the agreement or an arrangement ends within N months */
	S75_BREACH_RISK_REVIEW,         /**< a risk past its review date */
	S75_BREACH_NO_RISK_REGISTER,    /**< pools but no risk register */
	S75_BREACH_VARIATION_UNAPPROVED, /**< a variation whose decision is not in the log */
	S75_BREACH_REVIEWS_OVERDUE,     /**< care packages past their annual review (000 §2.13) */
	S75_BREACH_INTEREST_UNDECLARED, /**< took part in a decision on a subject of a registered
	                                   interest without declaring it */
	S75_BREACH_TOLERANCE_UNREPORTED, /**< a forecast variance beyond the agreement's tolerance
	                                   not reported within its working days (s75/alerts.h) */
	S75_BREACH_CONTRIBUTION_OVERDUE /**< an instalment of a partner's contribution not paid by
	                                   its due day (s75/arrears.h) */
} s75_breach_kind;

typedef struct s75_breach {
	s75_breach_kind kind;
	s75_date date;  /**< when it arose (a deadline, a window's end, a meeting) */
	char *subject;  /**< a body, year, risk, variation or arrangement id */
	char *evidence; /**< what shows it, in words */
} s75_breach;

typedef struct s75_breaches {
	s75_date as_of, from; /**< the span checked */
	s75_breach *items;    /**< by date, then kind */
	size_t n;
} s75_breaches;

typedef struct s75_gov_check_options {
	s75_date as_of; /**< check up to this day (required) */
	bool has_from;
	s75_date from; /**< from this day (default: the start of the agreement's first year) */
	int end_warning_months; /**< -1: the agreement's (default 6) */
} s75_gov_check_options;

#define S75_GOV_CHECK_OPTIONS_INIT                                                                 \
	{                                                                                          \
		0, false, 0, -1                                                                    \
	}

S75_EXTERN(const char *) s75_breach_kind_name(s75_breach_kind k);

/**
 * Lists every breach of the agreement's governance between `from` and `as_of`, each with
 * its evidence: meetings missed against a body's frequency, years without a meeting in
 * public, meetings without a quorum, reports late or missing, schedules not agreed before
 * their year (work on indicative figures), the agreement or an arrangement ending within N
 * months, risks past review, variations without a recorded decision.
 * @param[out] out  free with s75_breaches_free()
 */
S75_EXTERN(int)
s75_governance_check(s75_breaches **out, s75_db *db, const s75_agreement *ag,
                     const s75_gov_check_options *o);
S75_EXTERN(void) s75_breaches_free(s75_breaches *b);

#endif
