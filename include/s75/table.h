/* s75 — a report table with typed cells (text, money, percentage), rendered as an
 * aligned text table or CSV. Reports build tables; clients choose the rendering. */
#ifndef S75_TABLE_H
#define S75_TABLE_H

#include <stdbool.h>
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
	S75_ROW_STRONG = 2,  /**< emphasised (a grand total) */
	/** with S75_ROW_TOTAL: a section's subtotal (a pool's, say). The rows after it start a
	 * new section, and the next S75_ROW_STRONG total is the sum of the subtotals. */
	S75_ROW_SUBTOTAL = 4
};

/** What a column's figures mean to a reader (s75_table_column_flags()). */
enum {
	S75_COL_ADVERSE_POSITIVE = 1, /**< a positive figure is bad news (an overspend): red */
	S75_COL_ADVERSE_NEGATIVE = 2, /**< a negative figure is bad news (a shortfall): red */
	S75_COL_RAG = 4               /**< text cells red/amber/green: coloured and labelled */
};

typedef struct s75_table {
	char *title;
	size_t ncols;
	char **headers;
	s75_cell_type *types;
	s75_cell *cells; /**< nrows * ncols */
	unsigned *flags;
	size_t nrows, alloc_rows, cur_col;
	unsigned *colflags; /**< per column, S75_COL_* */
	/* private: the cells' texts, in blocks freed with the table (no allocation per cell) */
	char *text_pos;
	size_t text_left, text_block;
	void *text_blocks;
} s75_table;

/** A new empty table; free with s75_table_free(). */
S75_EXTERN(s75_table *) s75_table_new(const char *title);
S75_EXTERN(void) s75_table_free(s75_table *t);
/** Declares a column; all columns come before the first row. */
S75_EXTERN(void) s75_table_column(s75_table *t, const char *header, s75_cell_type type);
/** Sets S75_COL_* flags on the column declared last. */
S75_EXTERN(void) s75_table_column_flags(s75_table *t, unsigned flags);
/** Starts a row; cells are then added left to right (missing ones stay empty). */
S75_EXTERN(void) s75_table_row(s75_table *t, unsigned flags);
S75_EXTERN(void) s75_table_text(s75_table *t, const char *s);
S75_EXTERN(void) s75_table_money(s75_table *t, int64_t pence);
S75_EXTERN(void) s75_table_bp(s75_table *t, int64_t bp);
S75_EXTERN(void) s75_table_int(s75_table *t, int64_t v);
S75_EXTERN(void) s75_table_empty(s75_table *t);

/** Pence in one displayed unit of `unit`: a penny for £, £1,000 for £'000, £100,000 for £m
 * (shown to one decimal place). */
S75_EXTERN(int64_t) s75_unit_quantum(s75_unit unit);
/** Appends `q` displayed units of `unit` (s75_unit_quantum()): 74,883 in £'000, 9.8 in £m;
 * negatives in brackets. */
S75_EXTERN(void) s75_unit_format(s75_buf *out, int64_t q, s75_unit unit);
/** An amount in a sentence, in `unit`: £2,758,563.92, £2,759k or £2.8m (rounded, half away
 * from zero), a negative with a leading minus. */
S75_EXTERN(void) s75_unit_amount(s75_buf *out, int64_t pence, s75_unit unit);
/**
 * The money cells of `t` as displayed in `unit` (`out`: nrows × ncols units of
 * s75_unit_quantum(), other cells left 0). A grand total (S75_ROW_STRONG) is its exact
 * value rounded, and the subtotals above it are rounded to add to it; every other total is
 * its exact value rounded; the rows a total sums (those since the previous total, which
 * stays as shown, or since the previous subtotal) are rounded by the largest remainder so
 * that, as printed, they add to it. When a total is not the sum of the rows it closes, each
 * is rounded on its own.
 */
S75_EXTERN(void) s75_table_display(int64_t *out, const s75_table *t, s75_unit unit);
/** Whether cell (r, c) is bad news by its column's S75_COL_ADVERSE_* flags. */
S75_EXTERN(bool) s75_table_adverse(const s75_table *t, size_t r, size_t c);

/** An aligned text table; money in `unit` with separators, negatives in brackets; in £'000
 * and £m rounded by s75_table_display(). */
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
