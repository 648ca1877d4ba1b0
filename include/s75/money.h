/* s75 — money as exact integer pence.
 *
 * Every amount in s75 is an int64_t number of pence. Arithmetic goes through the
 * checked helpers below; nothing passes through floating point.
 */
#ifndef S75_MONEY_H
#define S75_MONEY_H

#include <stdbool.h>
#include "buf.h"
#include "common.h"

/** The unit a table of amounts is declared in. */
typedef enum s75_unit {
	S75_UNIT_POUNDS = 0,    /**< £ (and pence after the point) */
	S75_UNIT_THOUSANDS = 1, /**< £'000 */
	S75_UNIT_MILLIONS = 2   /**< £m */
} s75_unit;

/** Flags for s75_money_parse(). */
enum {
	/** accept a trailing `k` or `m` (e.g. `9.8m`) when the unit is pounds */
	S75_MONEY_SUFFIX = 1
};

/**
 * Parses an amount written as a person or a spreadsheet writes it:
 * `1234`, `1234.5`, `1,234.56`, `-1,234.56`, `(1,234.56)`, `£1,234.56`, in `unit`.
 *
 * Rejects more decimal places than resolve to a whole penny in that unit (`1.234`
 * in pounds), misplaced thousands separators (`1,23`), repeated points, empty text,
 * anything else, and values beyond int64 pence.
 *
 * @param[out] out  the amount in pence
 * @return 0, or S75_EINVALID / S75_EOVERFLOW with the reason in s75_error_last()
 */
S75_EXTERN(int) s75_money_parse(int64_t *out, const char *s, size_t len, s75_unit unit,
				unsigned flags);

/** Parses a unit name: `£`, `pounds`, `£'000`, `thousands`, `£k`, `£m`, `millions`. */
S75_EXTERN(int) s75_unit_parse(s75_unit *out, const char *s);
S75_EXTERN(const char *) s75_unit_name(s75_unit u);

/** Checked arithmetic: 0 or S75_EOVERFLOW (with a message). */
S75_EXTERN(int) s75_money_add(int64_t *out, int64_t a, int64_t b);
S75_EXTERN(int) s75_money_sub(int64_t *out, int64_t a, int64_t b);
S75_EXTERN(int) s75_money_mul(int64_t *out, int64_t a, int64_t b);

/** Flags for s75_money_format(). */
enum {
	S75_FMT_SEP = 1,      /**< thousands separators: 1,234.56 */
	S75_FMT_POUND = 2,    /**< a leading £ */
	S75_FMT_BRACKETS = 4, /**< negatives as (1,234.56) rather than -1,234.56 */
	S75_FMT_WHOLE = 8     /**< round to whole units (half away from zero) */
};

/** Appends `pence` to `out` in `unit` (thousands: 74,883.00 for £74,883,000). */
S75_EXTERN(void) s75_money_format(s75_buf *out, int64_t pence, s75_unit unit, unsigned flags);

/** Appends a percentage held in basis points (7678 → "76.78"). */
S75_EXTERN(void) s75_bp_format(s75_buf *out, int64_t bp);

#endif
