/* s75 — working days in England and Wales: weekdays that are not bank holidays, from the
 * list in data/bank-holidays-england-wales.csv (compiled in; 2017 to 2030). */
#ifndef S75_WORKDAYS_H
#define S75_WORKDAYS_H

#include <stdbool.h>
#include "common.h"
#include "date.h"

/** True if `d` is a bank holiday in England and Wales; its name in *name (static) if not NULL. */
S75_EXTERN(bool) s75_bank_holiday(s75_date d, const char **name);
/** The first and last calendar years the list of bank holidays covers. */
S75_EXTERN(void) s75_bank_holiday_years(int *first, int *last);
/** True on a Monday to Friday that is not a bank holiday. */
S75_EXTERN(bool) s75_working_day(s75_date d);
/**
 * The `n`th working day after `d` (n >= 0; 0 gives `d`): 10 working days after a breach
 * arises is the last day to report it. S75_EINVALID if the answer is past the years the
 * list covers (a bank holiday there cannot be known).
 */
S75_EXTERN(int) s75_working_day_add(s75_date *out, s75_date d, int n);
/** The working days after `from` up to and including `to`; 0 if `to` <= `from`. */
S75_EXTERN(int) s75_working_days_between(s75_date from, s75_date to);

#endif
