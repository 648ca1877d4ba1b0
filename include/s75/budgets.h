/* s75 — budget versions: the original budget the agreement sets for each cost centre, the
 * revisions agreed in the year (each with its decision reference and date, taking effect
 * from a period that is still open), and the budget in force at any period. */
#ifndef S75_BUDGETS_H
#define S75_BUDGETS_H

#include "agreement.h"
#include "db.h"

/** A revision of a year's budgets: the new annual budget of some cost centres. */
typedef struct s75_budget_revision {
	int64_t id;         /**< the workspace's number for it */
	int number;         /**< 1.. in the order recorded within its year: R1, R2, ... */
	int fy;
	int from;           /**< the first period it takes effect in, 1..12 */
	char *decision;     /**< the decision's reference (a meeting minute, a delegated decision) */
	s75_date decided_on;
	char *note;         /**< NULL if none */
	char *file;         /**< the file's name as given */
	char *recorded_at, *recorded_by; /**< recorded_by NULL if not known */
	size_t first, nlines; /**< its lines: s75_budget_versions.lines[first .. first + nlines) */
} s75_budget_revision;

/** One cost centre's new annual budget in a revision. */
typedef struct s75_budget_revision_line {
	size_t revision;   /**< index into s75_budget_versions.revisions */
	int cost_centre;   /**< index into the agreement's cost centres */
	int64_t amount;    /**< the new annual budget, pence */
	int64_t previous;  /**< the annual budget it replaced (the original, or the last revision) */
	char *note;        /**< NULL if none */
	long next;         /**< the cost centre's next revision line, or -1 */
} s75_budget_revision_line;

/** The revisions of one year, in the order recorded. */
typedef struct s75_budget_versions {
	int fy;
	s75_budget_revision *revisions;
	size_t nrevisions;
	s75_budget_revision_line *lines; /**< by revision, then cost-centre code */
	size_t nlines;
	long *first_line; /**< per cost centre (agreement order): its first line, or -1 */
	size_t ncost_centres;
	int upto;         /**< revisions taking effect after this period are left out of the
	                       figures below (12 when loaded: none); set it for a version as it
	                       stood at a period */
} s75_budget_versions;

/** Which budget a list shows (s75 budgets --version). */
typedef enum s75_budget_version {
	S75_BV_ORIGINAL, /**< as the agreement set it */
	S75_BV_REVISED,  /**< the original, the revisions and the revised budget side by side */
	S75_BV_LATEST    /**< original, revised and the latest forecast outturn, kept apart, and
	                      the latest of them */
} s75_budget_version;

/** "original", "revised" or "latest". */
S75_EXTERN(const char *) s75_budget_version_name(s75_budget_version v);
/** Parses one of those names: 0, or S75_EINVALID. */
S75_EXTERN(int) s75_budget_version_parse(s75_budget_version *out, const char *s);

/** What a revision records; `path` is read as `cost_centre,budget[,note]`, budget in £. */
typedef struct s75_budget_revise_options {
	int fy;               /**< the year revised */
	int from;             /**< the first period it takes effect in (1..12); 0: the period of
	                           `decided_on` if it is in `fy`, else P1 */
	const char *decision; /**< required */
	s75_date decided_on;  /**< required */
	const char *note;     /**< optional */
	const char *name;     /**< the file's name in messages and the record (NULL: path) */
	const char *now;      /**< the time recorded, ISO 8601 UTC */
} s75_budget_revise_options;

#define S75_BUDGET_REVISE_OPTIONS_INIT {0, 0, NULL, 0, NULL, NULL, NULL}

/**
 * Records a revision of year `o->fy`'s budgets from the file at `path` (a header
 * `cost_centre,budget` and optionally `note`, one row per cost centre revised, the new
 * annual budget in £), audited. A revision may not alter a closed period: it is refused when
 * its first period is closed for the partner of any cost centre it revises, or earlier than
 * a revision already recorded for one of them. The same decision cannot revise a year twice.
 * All or nothing; a bad row names the file, line and column by its header.
 *
 * @param[out] number  the revision's number in its year (R1, R2, ...)
 * @return 0; S75_EINVALID (bad file, closed period, ...); S75_EIO
 */
S75_EXTERN(int) s75_budget_revise(int *number, s75_db *db, const s75_agreement *ag,
				  const char *path, const s75_budget_revise_options *o);

/**
 * The revisions of year `fy` recorded in the workspace (none when `db` is NULL).
 * @param[out] out  free with s75_budget_versions_free()
 */
S75_EXTERN(int) s75_budget_versions_load(s75_budget_versions **out, s75_db *db,
					 const s75_agreement *ag, int fy);
S75_EXTERN(void) s75_budget_versions_free(s75_budget_versions *v);

/** How many revisions take effect at or before period `p` (1..12) of the year. */
S75_EXTERN(size_t) s75_budget_versions_in_force(const s75_budget_versions *v, int p);

/**
 * Cost centre `cc`'s annual budget in force at period `p` of `y`: the original (the
 * agreement's, 0 if none) as changed by every revision taking effect at or before `p`
 * (`v` NULL: the original). p >= 12: every revision of the year.
 */
S75_EXTERN(int64_t) s75_budget_annual(const s75_budget_versions *v, const s75_year *y, int cc,
				      int p);

/**
 * Cost centre `cc`'s budget to the end of period `p` (0..12) as the revisions in force at
 * `p` make it. The original is profiled as s75_budget_to_date(); a revision taking effect
 * from period F leaves every period before F as it was and spreads its change (new annual
 * budget less the one it replaced) over F..P12 by the original's profile weights of those
 * periods (even twelfths when they are all zero, or there is no original), cumulatively and
 * to the nearest penny, halves away from zero: so P12 is the revised annual budget.
 */
S75_EXTERN(int64_t) s75_budget_version_to_date(const s75_budget_versions *v, const s75_year *y,
					       int cc, int p);

#endif
