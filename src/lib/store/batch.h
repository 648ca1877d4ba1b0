/* Private: the bookkeeping every import shares — its batch row, the check that the same
 * content was not imported before, errors with their lines, control totals, the counts,
 * and the audit log. */
#ifndef S75_BATCH_H
#define S75_BATCH_H

#include <stdarg.h>
#include <stdbool.h>

#include "db_internal.h"
#include "s75/text.h"
#include "s75/ledger.h"

/* BEGIN IMMEDIATE, then a new batch row of `kind`; its id in *id. */
int batch_begin(s75_db *db, const char *kind, const char *name, const char *profile,
		const char *period, const char *now, int64_t *id);
/* The batch row alone, in the caller's write transaction. */
int batch_add(s75_db *db, const char *kind, const char *name, const char *profile,
	      const char *period, const char *now, int64_t *id);

/* S75_EEXISTS (and r->duplicate_of / duplicate_at) if a live batch of `kind` other than
 * `id` has the sha256 in r->sha256; 0 if not. */
int batch_check_duplicate(s75_db *db, const char *kind, int64_t id, const char *name,
			  s75_import_result *r);

/* Writes r->totals as the batch's control totals, its counts and sha256, and the audit
 * line `KIND NAME sha256 ...: N rows read, N imported, N rejected` and `extra` if any.
 * A live batch of the same file (the unique index batch_sha_once) gives the refusal of
 * batch_check_duplicate(), r->duplicate_of and duplicate_at set. */
int batch_record(s75_db *db, int64_t id, const char *kind, const char *name, const char *now,
		 s75_import_result *r, const char *extra);

/* Appends `NAME:LINE: message` (`NAME: message` when line <= 0) to r's errors, keeping the
 * first S75_IMPORT_MAX_ERRORS, and counts it. */
void batch_error(s75_import_result *r, const char *name, long line, const char *fmt,
		 va_list ap);

/* Appends a control total line. */
void batch_total(s75_import_result *r, const char *partner, s75_txn_kind kind, long rows,
		 int64_t amount);


#endif
