/* s75 — ids that would carry personal data.
 *
 * Care packages are kept under pseudonymous ids only. An id shaped like an NHS number, a
 * date of birth, a postcode, a National Insurance number or a phone number is refused at
 * import (docs/packages.md lists the rules).
 */
#ifndef S75_PERSONAL_H
#define S75_PERSONAL_H

#include <stdbool.h>
#include "common.h"

/**
 * What personal data `id` looks like: "an NHS number", "a date of birth", "a postcode",
 * "a National Insurance number" or "a phone number"; NULL when it looks like none.
 * The string returned is static.
 */
S75_EXTERN(const char *) s75_personal_data_kind(const char *id);

/** True when the ten digits pass the NHS number's modulus-11 check digit. */
S75_EXTERN(bool) s75_nhs_number_valid(const char digits[10]);

#endif
