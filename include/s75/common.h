/* s75 — common definitions shared by every public header. */
#ifndef S75_COMMON_H
#define S75_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define S75_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define S75_EXTERN(type) type
#endif

#if defined(__GNUC__)
#define S75_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define S75_PRINTF(f, a)
#endif

/** Error codes returned by library functions (0 is success). */
enum {
	S75_OK = 0,
	S75_ERROR = -1,    /**< generic failure; see s75_error_last() */
	S75_EINVALID = -2, /**< bad input (a file, an amount, a date) */
	S75_ENOTFOUND = -3,/**< a thing asked for does not exist */
	S75_EEXISTS = -4,  /**< a thing to create exists already */
	S75_EOVERFLOW = -5,/**< an amount would not fit in int64 pence */
	S75_EIO = -6       /**< a file could not be read or written */
};

/** A position in a source file: 1-based line and column, 0 when unknown. */
typedef struct s75_pos {
	int line;
	int col;
} s75_pos;

/** A list of strings (aims, outcomes, functions, services; the YAML helpers fill it). */
typedef struct s75_strlist {
	const char **items;
	size_t n;
} s75_strlist;

#endif
