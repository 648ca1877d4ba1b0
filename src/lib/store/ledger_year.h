/* Private to the library: a year of the ledger's aggregates in memory, read once in the
 * order of ledger_agg's key (no sort) and kept with the workspace until it changes, so that
 * every report that needs the year's actuals (monitoring, its charts, the risk share, the
 * settlement, the statutory reports that combine them) adds the aggregates up once, in C,
 * without a GROUP BY or a temporary sort, whatever the number of ledger rows. */
#ifndef S75_LEDGER_YEAR_H
#define S75_LEDGER_YEAR_H

#include <stddef.h>
#include <stdint.h>

#include "s75/agreement.h"
#include "s75/db.h"

enum {
	LY_PRESENT = 1, /* ledger_agg has a row for the cell */
	LY_NOT_INT = 2  /* its amount is not an integer (an older s75 let a sum pass int64) */
};

typedef struct ledger_year {
	int fy;
	size_t ncodes, nparts;
	char **codes;    /* cost-centre codes, in the order first met */
	char **parts;    /* partner ids, in the order first met */
	int64_t *amount; /* the cell LY_CELL(code, partner, period, kind): 0 when not present */
	uint8_t *flags;  /* LY_PRESENT, LY_NOT_INT per cell */
	int64_t data_version, changes; /* the workspace as it was read */
	struct ledger_year *next;
} ledger_year;

/* Periods P1..P12, kinds expenditure, income, transfer and commitment (s75_txn_kind):
 * every kind in the one read, so that a report that needs the commitments too does not
 * read the year a second time. */
#define LY_CELL(y, c, p, per, k) \
	((((size_t)(c) * (y)->nparts + (size_t)(p)) * 12 + (size_t)(per) - 1) * S75_TXN_NKINDS + (size_t)(k))

/* The aggregates of year `fy` (an empty year has no codes), read or kept from the last
 * call while the workspace is unchanged (by this connection or another). Owned by `db`. */
int ledger_year_get(const ledger_year **out, s75_db *db, int fy);
/* For each code of `y`, its cost centre's index in `ag` (-1: not listed), and for each
 * partner its index (-1: not a partner); free both. */
void ledger_year_map(int **cc, int **partner, const ledger_year *y, const s75_agreement *ag);
/* Frees the years kept with a workspace (s75_db_close). */
void ledger_years_free(ledger_year *y);

#endif
