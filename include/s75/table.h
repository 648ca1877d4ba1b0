/* s75 — a report table with typed cells (text, money, percentage), rendered as an
 * aligned text table or CSV. Reports build tables; clients choose the rendering. */
#ifndef S75_TABLE_H
#define S75_TABLE_H

#include "buf.h"
#include "common.h"
#include "money.h"

typedef enum s75_cell_type {
	S75_CELL_EMPTY,
	S75_CELL_TEXT,
	S75_CELL_MONEY, /**< pence */
	S75_CELL_BP,    /**< a percentage in basis points */
	S75_CELL_INT
} s75_cell_type;

typedef struct s75_cell {
	s75_cell_type type;
	int64_t v;
	char *text; /**< owned by the table */
} s75_cell;

enum {
	S75_ROW_TOTAL = 1, /**< a total: ruled off above in text */
	S75_ROW_STRONG = 2 /**< emphasised (a grand total) */
};

typedef struct s75_table {
	char *title;
	size_t ncols;
	char **headers;
	s75_cell_type *types;
	s75_cell *cells; /**< nrows * ncols */
	unsigned *flags;
	size_t nrows, alloc_rows, cur_col;
} s75_table;

/** A new empty table; free with s75_table_free(). */
S75_EXTERN(s75_table *) s75_table_new(const char *title);
S75_EXTERN(void) s75_table_free(s75_table *t);
/** Declares a column; all columns come before the first row. */
S75_EXTERN(void) s75_table_column(s75_table *t, const char *header, s75_cell_type type);
/** Starts a row; cells are then added left to right (missing ones stay empty). */
S75_EXTERN(void) s75_table_row(s75_table *t, unsigned flags);
S75_EXTERN(void) s75_table_text(s75_table *t, const char *s);
S75_EXTERN(void) s75_table_money(s75_table *t, int64_t pence);
S75_EXTERN(void) s75_table_bp(s75_table *t, int64_t bp);
S75_EXTERN(void) s75_table_int(s75_table *t, int64_t v);
S75_EXTERN(void) s75_table_empty(s75_table *t);

/** An aligned text table; money in `unit` with separators, negatives in brackets. */
S75_EXTERN(void) s75_table_render_text(const s75_table *t, s75_buf *out, s75_unit unit);
/**
 * CSV (RFC 4180) with a header row; money as pounds with two decimals and no separators,
 * percentages with two decimals. Text that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or CR) is prefixed with a single quote.
 */
S75_EXTERN(void) s75_table_render_csv(const s75_table *t, s75_buf *out, int with_header);

/** Appends `s` as one CSV field, quoted when needed and neutralised against formulas. */
S75_EXTERN(void) s75_csv_put_field(s75_buf *out, const char *s);

#endif
