/* s75 — diagnostics: every problem found in an input file, with its position.
 *
 * Loaders do not stop at the first problem; they add each one here so the user sees
 * all of them at once, as `FILE:LINE:COL: error: message`.
 */
#ifndef S75_DIAG_H
#define S75_DIAG_H

#include "buf.h"
#include "common.h"

typedef enum s75_diag_level { S75_DIAG_ERROR, S75_DIAG_WARNING } s75_diag_level;

typedef struct s75_diag {
	s75_diag_level level;
	char *file; /**< owned */
	s75_pos pos;
	char *msg;  /**< owned */
	size_t seq; /**< order of addition, to keep sorting stable */
} s75_diag;

typedef struct s75_diags {
	s75_diag *items;
	size_t n, alloc;
	size_t nerrors, nwarnings;
} s75_diags;

#define S75_DIAGS_INIT {NULL, 0, 0, 0, 0}

S75_EXTERN(void) s75_diags_add(s75_diags *d, s75_diag_level level, const char *file, s75_pos pos,
			       const char *fmt, ...) S75_PRINTF(5, 6);
/** Sorts by file, line and column, keeping the order of addition among equals. */
S75_EXTERN(void) s75_diags_sort(s75_diags *d);
/** Appends one line per diagnostic: `FILE:LINE:COL: error: message` (`FILE: …` without a position). */
S75_EXTERN(void) s75_diags_format(const s75_diags *d, s75_buf *out);
S75_EXTERN(void) s75_diags_release(s75_diags *d);

#endif
