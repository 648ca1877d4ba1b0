/* Rows stored by multi-row INSERT statements (rows.c): a statement per DB_ROWS_PER rows
 * rather than one per row, so that SQLite's work per statement (its halt, the foreign-key
 * counters, the reset) is done once for many rows. Private to the store. */
#ifndef S75_ROWS_H
#define S75_ROWS_H

#include <stdint.h>

#include "db_internal.h"

#define DB_ROWS_PER 64

typedef struct db_rows db_rows;

/* `head` names the table and its `ncols` columns: "INSERT INTO t(a, b, c)"; free with
 * db_rows_free(). Nothing is prepared until the first statement is due. */
db_rows *db_rows_new(s75_db *db, const char *head, int ncols);
/* The next value of the current row (texts are copied; NULL text is SQL NULL). */
void db_rows_int(db_rows *r, int64_t v);
void db_rows_text(db_rows *r, const char *s);
void db_rows_null(db_rows *r);
/* Ends a row of `ncols` values; stores DB_ROWS_PER rows when that many are waiting.
 * @return 0, or an error code with the last error set */
int db_rows_end(db_rows *r);
/* Stores the rows still waiting. @return 0 or an error code */
int db_rows_flush(db_rows *r);
void db_rows_free(db_rows *r);

#endif
