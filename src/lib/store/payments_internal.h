/* Private to the store: recording a payment of a contribution inside the caller's
 * transaction (payments.c), for `record payment` and the receipts import (import.c). */
#ifndef S75_PAYMENTS_INTERNAL_H
#define S75_PAYMENTS_INTERNAL_H

#include "db_internal.h"
#include "s75/agreement.h"

/* Checks and inserts one payment (audited), refusing one already recorded with the same
 * partner, day, amount and reference. 0 and *id, or an error code with the message set. */
int payment_insert(s75_db *db, const s75_agreement *ag, const char *partner, int fy, s75_date date,
		   int64_t amount, const char *reference, const char *now, int64_t *id);

#endif
