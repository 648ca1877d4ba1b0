/* Private: the rows an import has read and checked, kept until it has the write lock.
 *
 * A file of packed records in the temporary folder, unlinked as soon as it is made (so
 * nothing is left behind if the process dies), written and read back in order through a
 * buffer: memory stays flat whatever the size of the ledger, and no SQL is run for a row
 * until it is stored. */
#ifndef S75_STAGE_H
#define S75_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "s75/agreement.h"
#include "s75/db.h"

typedef struct stage stage;

enum { STAGE_ACCOUNT, STAGE_DESCRIPTION, STAGE_REFERENCE, STAGE_NTEXT };

/* One row: its line in the file, where it falls, and its texts (NULL for none). */
typedef struct stage_row {
	uint32_t line;
	int32_t date;
	int32_t fy;
	int32_t period;
	int32_t partner;     /* index in the agreement */
	int32_t cost_centre; /* index in the agreement */
	int32_t kind;
	int64_t amount;
	const char *text[STAGE_NTEXT];
	uint32_t len[STAGE_NTEXT];
} stage_row;

/* A new, empty staging file in the temporary folder; on failure the error names it. */
int stage_new(stage **out);
/* Appends a row; S75_EIO (the error naming the temporary folder) if it cannot be kept. */
int stage_put(stage *s, const stage_row *r);
/* Writes out what is buffered and goes back to the first row for reading. */
int stage_rewind(stage *s);
/* The next row: 1, 0 after the last, or S75_EIO. The texts stay valid until the next call. */
int stage_get(stage *s, stage_row *r);
/* Runs `insert`, an INSERT ... SELECT ... FROM s75_stage, over every row put, in order: one
 * statement, not one per row. s75_stage has the columns of the txn table, its id being
 * id_base + the row's line, and partner and cost_centre the agreement's codes. */
int stage_store(stage *s, s75_db *db, const s75_agreement *ag, int64_t id_base, const char *insert);
/* The number of rows put. */
size_t stage_rows(const stage *s);
void stage_free(stage *s);

#endif
