/* s75 — individual care packages: the register, its reassessments, what the packages cost
 * each partner, the commitment they add to a forecast, and what ending a pool would mean.
 *
 * A package belongs to one pooled fund and element. Its terms — weekly cost, funding
 * category, the NHS share of the cost, and the weekly client contribution — are kept per
 * effective date, so a reassessment is history and every day is costed with the terms in
 * force on it. docs/packages.md describes the CSV and every rule.
 *
 *     s75_package_register *reg;
 *     if (s75_packages_load(&reg, db, ag) < 0) { ...s75_error_last()...; }
 *     s75_package_cost c;
 *     s75_package_cost_range(&c, &reg->packages[0], from, to);   // c.health + c.social == c.net
 *     s75_packages_free(reg);
 */
#ifndef S75_PACKAGES_H
#define S75_PACKAGES_H

#include <stdbool.h>
#include "agreement.h"
#include "common.h"
#include "date.h"
#include "db.h"
#include "ledger.h"

/** Who pays for a package. */
typedef enum s75_funding {
	S75_FUND_CHC,    /**< NHS 100%: continuing healthcare */
	S75_FUND_JOINT,  /**< jointly funded at an agreed split */
	S75_FUND_S117,   /**< section 117 mental-health aftercare, at a split a panel agreed */
	S75_FUND_SOCIAL, /**< social care 100% (means-tested client contribution) */
	S75_FUND_COUNT
} s75_funding;

/** What kind of service a package buys. */
typedef enum s75_service {
	S75_SVC_RESIDENTIAL,
	S75_SVC_NURSING,
	S75_SVC_SUPPORTED_LIVING,
	S75_SVC_DAY_SERVICE,
	S75_SVC_HOME_CARE,
	S75_SVC_DIRECT_PAYMENT,
	S75_SVC_INPATIENT_BED,
	S75_SVC_COUNT
} s75_service;

/** The short name of a funding category (`chc`, `joint`, `s117`, `social_care`). */
S75_EXTERN(const char *) s75_funding_name(s75_funding f);
/** Its long name, e.g. "NHS 100% (continuing healthcare)". */
S75_EXTERN(const char *) s75_funding_title(s75_funding f);
/** Parses a funding category or one of its aliases; S75_EINVALID if none. */
S75_EXTERN(int) s75_funding_parse(s75_funding *out, const char *s, size_t len);
/** The short name of a service type (`residential`, `supported_living`, ...). */
S75_EXTERN(const char *) s75_service_name(s75_service s);
/** Parses a service type (case, spaces and hyphens ignored; `day_services` etc. too). */
S75_EXTERN(int) s75_service_parse(s75_service *out, const char *s, size_t len);

/** A package's terms from one effective date until the next. Amounts in pence. */
typedef struct s75_package_terms {
	s75_date effective;
	int64_t weekly;        /**< gross weekly cost */
	s75_funding funding;
	int64_t health_bp;     /**< the NHS side's share of the gross cost, basis points */
	int64_t client_weekly; /**< weekly client contribution (reduces the council's cost) */
	char *reason;          /**< why (a panel decision, a review); NULL if not given */
	int64_t batch_id;
} s75_package_terms;

/** One package of the register. Indices refer to the agreement (-1 = none). */
typedef struct s75_package {
	char *id, *person;   /**< the package id and the pseudonymous person id */
	int pool, element;   /**< arrangement index, element index in it */
	int cost_centre;     /**< -1 when the CSV gave none */
	int health_partner;  /**< the NHS side (nhs-body partner); -1 only if no terms give it a share */
	int social_partner;  /**< the social-care side (local-authority partner); likewise */
	s75_service service;
	char *provider;      /**< NULL if not given */
	s75_date start, end;
	bool has_end;
	s75_date last_review, next_review;
	bool has_last_review;
	s75_package_terms *terms; /**< by effective date, at least one */
	size_t nterms;
	int64_t batch_id;    /**< the batch of this record */
} s75_package;

typedef struct s75_package_register {
	s75_package *packages; /**< in order of package id */
	size_t n;
} s75_package_register;

/**
 * Reads the register: each package's latest record and all its terms, from batches not
 * undone. Fails if a package names a pool, element, cost centre or partner the agreement
 * no longer has.
 * @param[out] out  free with s75_packages_free()
 */
S75_EXTERN(int) s75_packages_load(s75_package_register **out, s75_db *db,
				  const s75_agreement *ag);
S75_EXTERN(void) s75_packages_free(s75_package_register *r);

/**
 * The register one package at a time, in order of package id, without holding it: each
 * package's latest record and all its terms, checked as s75_packages_load() checks them.
 * Two statements read the records and the terms in their keys' order; nothing is sorted.
 *
 *     s75_package_cursor *c;
 *     const s75_package *p;
 *     if ((rc = s75_package_cursor_new(&c, db, ag))) return rc;
 *     while (!(rc = s75_package_cursor_next(&p, c)) && p) { ...fold p into totals... }
 *     s75_package_cursor_free(c);
 *
 * @param[out] out  free with s75_package_cursor_free()
 */
typedef struct s75_package_cursor s75_package_cursor;
S75_EXTERN(int) s75_package_cursor_new(s75_package_cursor **out, s75_db *db,
				       const s75_agreement *ag);
/**
 * The next package.
 * @param[out] out  the package, owned by the cursor and valid until the next call (copy
 *                  what must outlive it); NULL after the last
 * @return 0, or an error (a package naming what the agreement no longer lists; S75_EIO)
 */
S75_EXTERN(int) s75_package_cursor_next(const s75_package **out, s75_package_cursor *c);
S75_EXTERN(void) s75_package_cursor_free(s75_package_cursor *c);

/** True if the package runs on day `d` (start <= d <= end). */
S75_EXTERN(bool) s75_package_active_on(const s75_package *p, s75_date d);
/** The terms in force on `d`: the latest effective on or before it, else the first. */
S75_EXTERN(const s75_package_terms *) s75_package_terms_on(const s75_package *p, s75_date d);

/**
 * What a package costs over some days, by its own funding arrangement. `net` is what the
 * partners carry: gross less client contributions; `health` + `social` == `net`, always.
 */
typedef struct s75_package_cost {
	int64_t gross;  /**< weekly cost x days / 7 */
	int64_t client; /**< client contributions: gross - net */
	int64_t net;
	int64_t health; /**< the health partner's part of net */
	int64_t social; /**< the social partner's part of net (its gross part less contributions) */
	long days;      /**< days costed */
} s75_package_cost;

/**
 * The cost of `p` over the days `from`..`to` (inclusive) it runs, each day at the terms in
 * force on it. Exact integers: Σ weekly pence x days, divided by 7 and rounded once (half
 * away from zero) for gross and for net; net split between the partners with
 * s75_alloc_split() weighted by each one's pence-days.
 * @return 0, or S75_EOVERFLOW
 */
S75_EXTERN(int) s75_package_cost_range(s75_package_cost *out, const s75_package *p,
				       s75_date from, s75_date to);

/** Days in the year that starts on `d`: to the day before the same date a year on (365 or 366). */
S75_EXTERN(int) s75_year_days_from(s75_date d);

/**
 * The annual cost of `p` at the terms in force on `on`: weekly x s75_year_days_from(on) / 7,
 * rounded as s75_package_cost_range() does. End dates are not applied (a run rate).
 */
S75_EXTERN(int) s75_package_annual_cost(s75_package_cost *out, const s75_package *p, s75_date on);

/** True if `p`'s funding was last reviewed more than 12 months before `on`, or never. */
S75_EXTERN(bool) s75_package_unreviewed(const s75_package *p, s75_date on);

/** What an import of packages did, beside the counts in s75_import_result. */
typedef struct s75_packages_import_stats {
	long packages;      /**< packages the file describes */
	long new_packages;  /**< of them, not in the register before */
	long terms;         /**< terms rows read */
	long reassessments; /**< new terms from a date after the package's start */
	long unchanged;     /**< terms the register held already, identical */
} s75_packages_import_stats;

/**
 * Imports a package register CSV (docs/packages.md) in one transaction, all or nothing
 * (`o->reject_path` is not supported). Refuses columns that look like personal data
 * (names, addresses, postcodes, dates of birth, NHS numbers) and any column it does not
 * know, person ids that look like NHS numbers, and a file whose content was imported
 * before. A package already in the register gets a new record; terms from a new effective
 * date are a reassessment; different terms from an effective date the register holds are
 * an error.
 * @param[out] res    filled in all cases; release with s75_import_result_release()
 * @param[out] stats  may be NULL
 * @return 0; S75_EINVALID (bad rows or header); S75_EEXISTS (already imported); S75_EIO
 */
S75_EXTERN(int) s75_import_packages(s75_db *db, const s75_agreement *ag, const char *path,
				    const s75_import_options *o, s75_import_result *res,
				    s75_packages_import_stats *stats);

/**
 * The commitment of the register for the rest of the year after `period`: per cost centre
 * of the agreement (`out` has ag->ncost_centres entries, set here), the net cost of the
 * packages of every element whose forecast_default is `packages`, from the day after the
 * period to 31 March (or each package's end). A package with a cost centre goes to it;
 * otherwise each partner's part goes to the element's cost centres of that partner (all of
 * the element's if it has none), pro rata to their budgets (equally when none).
 */
S75_EXTERN(int) s75_packages_commitment(int64_t *out, s75_db *db, const s75_agreement *ag,
					s75_period period);

/** The number of packages of `pool` (-1: all) active on `on` whose next review is before it. */
S75_EXTERN(int) s75_packages_overdue_reviews(long *out, s75_db *db, const s75_agreement *ag,
					     int pool, s75_date on);

/** Count and annual cost of one group of packages. */
typedef struct s75_pkg_group {
	long packages;
	int64_t annual; /**< net annual cost (for a partner: its part) */
} s75_pkg_group;

/**
 * A package in a list a report prints (reviews due, packages not reviewed): what the list
 * shows, held without the rest of the register. The strings belong to the report.
 */
typedef struct s75_pkg_row {
	const char *id, *person;
	int pool, element;
	int health_partner, social_partner;
	s75_date next_review, last_review;
	bool has_last_review;
	s75_funding funding;     /**< of the terms in force on the report's date */
	int64_t health_bp;       /**< likewise */
	s75_package_cost annual; /**< at those terms, for a year from the date */
	size_t id_off, person_off; /**< private: where the strings are while the list grows */
} s75_pkg_row;

/** The register summarised at a date (step 4). */
typedef struct s75_packages_report {
	s75_date on;
	int pool;                  /**< -1: every pool */
	int days;                  /**< s75_year_days_from(on) */
	long packages;             /**< active on `on` */
	int64_t gross, client, net;/**< annual */
	s75_pkg_group by_funding[S75_FUND_COUNT];
	s75_pkg_group by_service[S75_SVC_COUNT];
	s75_pkg_group *by_partner; /**< per partner index: packages it pays a part of, its part */
	size_t npartners;
	s75_pkg_row *overdue;      /**< active, next review before `on`, oldest first; NULL
				    *   when built without the lists */
	size_t noverdue;           /**< how many (the rows of `overdue` when it is kept) */
	s75_pkg_row *due;          /**< active, next review within 90 days from `on`; likewise */
	size_t ndue;
	int64_t overdue_annual, due_annual; /**< their annual costs */
	char *strings;             /**< owns the rows' ids */
} s75_packages_report;

/**
 * Reads the register once (s75_package_cursor) and keeps only the totals and the review
 * lists. `lists` false: the lists are counted and costed but not kept (a report that
 * prints the aggregates alone).
 * @param[out] out  free with s75_packages_report_free()
 */
S75_EXTERN(int) s75_packages_report_build(s75_packages_report **out, s75_db *db,
					  const s75_agreement *ag, int pool, s75_date on,
					  bool lists);
S75_EXTERN(void) s75_packages_report_free(s75_packages_report *r);

/** What ending a pool on a date would mean for each partner (step 5). */
typedef struct s75_exit {
	int pool;
	s75_date on;
	int days;                /**< the full year costed: s75_year_days_from(on) */
	int fy;                  /**< the year whose risk share and contributions were used */
	char *basis;             /**< the risk share applied, in words */
	int64_t register_total;  /**< Σ net annual cost of the packages active on `on` */
	int64_t gross, client;
	int64_t *by_package;     /**< per partner: by each package's own funding arrangement */
	int64_t *by_risk_share;  /**< per partner: register_total under the pool's risk share */
	int64_t *by_ratio;       /**< [r * npartners + p]: register_total split by ratios r */
	size_t nratios;
	bool *involved;          /**< per partner: contributes to the pool or pays a package */
	size_t npartners;
	size_t npackages;        /**< active on `on` */
	int64_t unreviewed_total;   /**< Σ net annual cost of the unreviewed packages */
	int64_t *unreviewed_by_partner;
	s75_pkg_row *unreviewed;    /**< the packages not reviewed in the 12 months to `on`
				     *   (s75_package_unreviewed()), in order of package id */
	size_t nunreviewed;
	char *strings;              /**< owns the rows' ids */
} s75_exit;

/**
 * Works out the exit figures for `pool` on `on`. The risk share is the year of `on`'s, or
 * the latest year before it the agreement states. `ratios_bp` holds `nratios` splits, each
 * npartners basis points summing to 10000. Σ by_package == Σ by_risk_share == Σ by_ratio[r]
 * == register_total, to the penny.
 * @param[out] out  free with s75_exit_free()
 * @return 0, S75_ENOTFOUND (no year at or before `on`), S75_EINVALID, S75_EOVERFLOW
 */
S75_EXTERN(int) s75_exit_build(s75_exit **out, s75_db *db, const s75_agreement *ag, int pool,
			       s75_date on, const int64_t *ratios_bp, size_t nratios);
S75_EXTERN(void) s75_exit_free(s75_exit *e);

#endif
