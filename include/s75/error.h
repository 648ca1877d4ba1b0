/* s75 — the thread-local last error.
 *
 * Library functions return 0 or a negative S75_E* code; the message is kept here
 * until the next error on the same thread.
 */
#ifndef S75_ERROR_H
#define S75_ERROR_H

#include "common.h"

/** The message of the last error on this thread, or "" if none. Owned by the library. */
S75_EXTERN(const char *) s75_error_last(void);

/** The code of the last error on this thread (0 if none). */
S75_EXTERN(int) s75_error_code(void);

/** Sets the last error; returns `code` so callers can `return s75_error_set(...)`. */
S75_EXTERN(int) s75_error_set(int code, const char *fmt, ...) S75_PRINTF(2, 3);

/** Clears the last error. */
S75_EXTERN(void) s75_error_clear(void);

#endif
