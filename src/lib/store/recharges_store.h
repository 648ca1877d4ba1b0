/* Private to the library: the recharge statements kept in the store (recharges_db.c), for
 * the recharges' computation (compute/recharges.c). */
#ifndef S75_RECHARGES_STORE_H
#define S75_RECHARGES_STORE_H

#include "s75/recharges.h"

/* One line of an issued statement, as what it charged: who, which package, which month. */
typedef struct recharge_charged {
	char *creditor, *debtor;
	char *package, *person, *pool, *element;
	s75_period month;
	int64_t amount;
} recharge_charged;

/* The periods issued, oldest first; *n 0 when none. Free *out with free(). */
int recharges_store_periods(s75_period **out, size_t *n, s75_db *db);
/* Every line of every issued statement (by statement number, then line). */
int recharges_store_charged(recharge_charged **out, size_t *n, s75_db *db);
void recharges_charged_free(recharge_charged *c, size_t n);
/* Reads the statements issued for `p` into `r` (its period set); *found false if none. */
int recharges_store_load(s75_recharges *r, bool *found, s75_db *db, s75_period p);
/* Keeps draft `r` as issued at `now`: numbers its statements (in `r` too) and fills its
 * issued fields, logs it in the audit log; one transaction. S75_EEXISTS when `r->period`
 * or a later one was issued meanwhile, or the issues are no longer the `nissued` seen. */
int recharges_store_save(s75_recharges *r, s75_db *db, const s75_agreement *ag,
			 size_t nissued, const char *now);

#endif
