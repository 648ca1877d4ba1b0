/* s75 — recharges: what one partner pays for care packages another must carry.
 *
 * The partner that pays a package's provider (the package's cost centre's partner, else its
 * element's lead commissioner, else the pool's host) recharges the other side its part of
 * the package's net cost, month by month: the NHS side's part of a continuing-healthcare,
 * joint or section 117 package, or the council's part where the NHS body pays. Each month's
 * recharge is each package's cost over the month's days (s75_package_cost_range(): the
 * split by s75_alloc_split(), summing to the net), and a statement for a period also
 * carries the difference between what is due now for each earlier month and what earlier
 * statements charged for it (a reassessment backdated into a month already charged).
 *
 * A statement is numbered when it is issued (s75_recharges_issue()), and kept: an issued
 * period is read back from the store, never worked out again, so it comes out the same
 * byte for byte however the register changes later. docs/recharges.md has the rules.
 */
#ifndef S75_RECHARGES_H
#define S75_RECHARGES_H

#include <stdbool.h>
#include "agreement.h"
#include "db.h"

/** What a line charges. */
typedef enum s75_recharge_kind {
	S75_RECHARGE_CHARGE,     /**< a month no statement charged before (the period's own, or a gap) */
	S75_RECHARGE_ADJUSTMENT  /**< the change in a month an earlier statement charged */
} s75_recharge_kind;

/** One package in one month on a statement. Strings are owned by the statement. */
typedef struct s75_recharge_line {
	char *package, *person; /**< the package id and the pseudonymous person id */
	char *pool, *element;   /**< ids */
	s75_period month;       /**< the month charged */
	s75_recharge_kind kind;
	char *funding;          /**< short name of the funding in force at the month's last day costed; NULL if gone */
	int64_t health_bp;      /**< the NHS share then, basis points */
	long days;              /**< the days of the month the package ran */
	int64_t net;            /**< the package's net cost in the month (pence) */
	int64_t due;            /**< the debtor's part of it, as the register says now */
	int64_t charged;        /**< what earlier statements charged for it */
	int64_t amount;         /**< this statement: due - charged */
	char *reason;           /**< the reason of the terms in force then, or NULL */
} s75_recharge_line;

/** One statement: what one partner (the debtor) owes another (the creditor) for a period. */
typedef struct s75_recharge_statement {
	int64_t number;          /**< its number, from 1; 0 while a draft */
	char *creditor, *debtor; /**< partner ids: the one that paid the providers, the one recharged */
	char *creditor_name, *debtor_name;
	s75_recharge_line *lines; /**< the period's own month first, then earlier months; by package */
	size_t nlines;
	int64_t charges;         /**< Σ amount of the CHARGE lines */
	int64_t adjustments;     /**< Σ amount of the ADJUSTMENT lines */
	int64_t total;           /**< charges + adjustments: what the debtor pays (negative: is owed) */
} s75_recharge_statement;

/** A period's recharges: a draft worked out from the register, or the statements issued. */
typedef struct s75_recharges {
	s75_period period;
	s75_period first;        /**< the first period recharged (the first issued, or this one) */
	bool issued;
	char *issued_at;         /**< issued: when (ISO 8601 UTC) */
	char *issued_by;         /**< issued: who (the audit log's actor), NULL if not known */
	char *agreement_title, *agreement_path, *agreement_sha256; /**< issued: the agreement then */
	s75_recharge_statement *statements; /**< by creditor, then debtor, in agreement order */
	size_t n;
	char **warnings;
	size_t nwarnings;
	size_t packages;         /**< packages in the register when worked out (0 when issued) */
} s75_recharges;

/**
 * The recharges of period `p`: the statements issued for it (read back as issued), or a
 * draft from the register. A draft charges every month from the first period recharged to
 * `p` not charged before, and adjusts every earlier month charged whose figures changed.
 * @param[out] out  free with s75_recharges_free()
 * @return 0; S75_EINVALID (a later period was issued and `p` was not: its months were
 *         charged on the later statement; or `p` is before the first period recharged)
 */
S75_EXTERN(int) s75_recharges_build(s75_recharges **out, s75_db *db, const s75_agreement *ag,
				    s75_period p);

/**
 * Issues the draft of `p`: numbers its statements, keeps them and their lines, and logs it
 * in the audit log (`recharges issue`), all in one transaction. `now` is the time issued.
 * @param[out] out  the statements as issued; free with s75_recharges_free()
 * A month is issued only once it has ended: `now` (ISO 8601, `2023-07-05T09:00:00Z`) must fall
 * after its last day.
 * @return 0; S75_EEXISTS (`p` was issued already); S75_EINVALID (`p` has not ended, nothing
 *         written; or as s75_recharges_build())
 */
S75_EXTERN(int) s75_recharges_issue(s75_recharges **out, s75_db *db, const s75_agreement *ag,
				    s75_period p, const char *now);

S75_EXTERN(void) s75_recharges_free(s75_recharges *r);

/** The latest period issued; *any false (and *out untouched) when none was. */
S75_EXTERN(int) s75_recharges_latest(s75_period *out, bool *any, s75_db *db);

#endif
