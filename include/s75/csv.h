/* s75 — a streaming CSV reader (RFC 4180 plus what ERP exports do).
 *
 * Why our own rather than a library: Debian has no well-kept C CSV library (libcsv is
 * unmaintained since 2013 and not packaged for -dev use everywhere), and the ledger
 * import needs the raw bytes of each record (for reject files), the physical line of
 * each record (for errors) and a pass that stays close to `sqlite3 .import` speed.
 *
 * Handles quoted fields with "" escapes and embedded newlines, CRLF and LF line ends,
 * a UTF-8 byte-order mark, and any one-byte delimiter. A stray quote in an unquoted
 * field, text after a closing quote and an unterminated quote are errors.
 */
#ifndef S75_CSV_H
#define S75_CSV_H

#include <stdio.h>
#include "common.h"

typedef struct s75_csv s75_csv;

typedef struct s75_csv_field {
	const char *ptr; /**< followed by a NUL; valid until the next s75_csv_next() */
	size_t len;
	int quoted;
} s75_csv_field;

/**
 * Opens `path` for reading as CSV. `name` is used in error messages (NULL: `path`).
 * @param[out] out  the reader; free with s75_csv_free()
 */
S75_EXTERN(int) s75_csv_open(s75_csv **out, const char *path, const char *name, char delim);

/**
 * Reads the next record.
 * @return 1 and the fields, 0 at the end of the file, or S75_EINVALID with
 *         `FILE:LINE:COL: reason` in s75_error_last()
 */
S75_EXTERN(int) s75_csv_next(s75_csv *c, const s75_csv_field **fields, size_t *nfields);

/** Whether to keep each record's raw bytes for s75_csv_raw() (on by default; a reader that
 * never asks for them reads faster without). */
S75_EXTERN(void) s75_csv_keep_raw(s75_csv *c, int keep);

/** Called with every block of bytes read from the file, in order (e.g. to hash it). */
typedef void (*s75_csv_observer)(void *data, const unsigned char *bytes, size_t len);
S75_EXTERN(void) s75_csv_observe(s75_csv *c, s75_csv_observer fn, void *data);

/**
 * Reads one part of the file: from byte `start` (which must begin a line; lines are then
 * numbered from 1 there), before any record is read, and no record that begins at or
 * after byte `end` (0: to the end of the file), where s75_csv_next() returns 0 as at the
 * end. s75_csv_progress() then tells whether the part ended exactly at `end`.
 */
S75_EXTERN(int) s75_csv_range(s75_csv *c, long long start, long long end);

/** After s75_csv_next() failed: the reason alone, and where (line, column). */
S75_EXTERN(const char *) s75_csv_error(const s75_csv *c, s75_pos *pos);

/** The physical line (1-based) on which the last record started. */
S75_EXTERN(long) s75_csv_line(const s75_csv *c);
/** The record number (1-based) of the last record, counting the header. */
S75_EXTERN(long) s75_csv_record(const s75_csv *c);
/** The raw bytes of the last record, including its line end. */
S75_EXTERN(const char *) s75_csv_raw(const s75_csv *c, size_t *len);
/** Bytes consumed so far and the file's size (0 if unknown), for progress. */
S75_EXTERN(void) s75_csv_progress(const s75_csv *c, long long *done, long long *total);
/** True if the file started with a UTF-8 byte-order mark. */
S75_EXTERN(int) s75_csv_had_bom(const s75_csv *c);
S75_EXTERN(void) s75_csv_free(s75_csv *c);

#endif
