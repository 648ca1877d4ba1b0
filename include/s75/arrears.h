/* s75 — instalments and arrears: each partner's contribution paid to the host in instalments
 * (the agreement's `instalments`), the payments received, and what is overdue. */
#ifndef S75_ARREARS_H
#define S75_ARREARS_H

#include "agreement.h"
#include "db.h"
#include "ledger.h"

/** A payment of a partner's contribution received by the host. */
typedef struct s75_contribution_payment {
	int64_t id;
	char *partner;
	int fy;
	s75_date date;
	int64_t amount;    /**< pence */
	char *reference;   /**< NULL if none */
} s75_contribution_payment;

/** Records a payment of `partner`'s contribution for year `fy` (audited). */
S75_EXTERN(int) s75_payment_record(s75_db *db, const s75_agreement *ag, const char *partner,
				   int fy, s75_date date, int64_t amount, const char *reference,
				   const char *now, int64_t *id);
/**
 * Imports the host's receipts of the partners' contributions from a CSV read by an import
 * profile with `reads: receipts` (columns date, partner — its id or its name — amount, or
 * debit and credit, and reference; the title lines, footer, date format, encoding and sign
 * of the ERP's export), or by the built-in `receipts` profile (the header
 * `date,partner,amount,reference`, ISO dates, amounts in £) when `o->profile` is NULL. All or
 * nothing: any bad row, or a receipt already recorded (the same partner, day, amount and
 * reference, in the workspace or earlier in the file), means nothing is imported; every one
 * is reported in `res->errors` as `FILE:LINE: reason`. Each year's payment is the year of
 * its date. Audited.
 */
S75_EXTERN(int) s75_import_payments(s75_db *db, const s75_agreement *ag, const char *path,
				    const s75_import_options *o, s75_import_result *res);

/** Every payment, by year, partner, date; free with s75_payments_free(). */
S75_EXTERN(int) s75_payments_list(s75_contribution_payment **out, size_t *n, s75_db *db);
S75_EXTERN(void) s75_payments_free(s75_contribution_payment *p, size_t n);

/** One instalment of a partner's contribution and what has been paid against it. */
typedef struct s75_instalment {
	int partner;         /**< index in the agreement */
	int number;          /**< 1.. in the year */
	s75_date due;
	int64_t amount, received, outstanding; /**< pence; outstanding = amount - received */
	int days_late;       /**< as of the day asked, if outstanding and due before it; else 0 */
} s75_instalment;

typedef struct s75_arrears {
	int fy;
	s75_date as_of;
	s75_instalment *items; /**< by partner, then number */
	size_t n;
	int64_t *unallocated;  /**< per partner: paid beyond the year's instalments */
	int64_t *mismatch;     /**< per partner: its instalments stated by date and amount less
				    its net contribution (0: they agree) */
} s75_arrears;

/**
 * The instalments of year `fy` of every partner but the host (the year's own dates and
 * amounts where it states them for the partner; else its net contribution in force at the
 * year's end split into the agreement's equal instalments, the odd pennies to the
 * earliest), and the
 * payments received by `as_of` set against them oldest first.
 * @return 0; S75_EINVALID (no such year; the agreement states no instalments)
 */
S75_EXTERN(int) s75_arrears_build(s75_arrears **out, s75_db *db, const s75_agreement *ag, int fy,
				  s75_date as_of);
S75_EXTERN(void) s75_arrears_free(s75_arrears *a);

#endif
