/* Private to the store: which periods are closed, as an import reads its rows (periods.c). */
#ifndef S75_PERIODS_INTERNAL_H
#define S75_PERIODS_INTERNAL_H

#include <stdbool.h>

#include "db_internal.h"
#include "s75/agreement.h"

typedef struct period_set period_set;

/* The periods closed now, for each partner of the agreement; free with period_set_free(). */
int period_set_load(period_set **out, s75_db *db, const s75_agreement *ag);
void period_set_free(period_set *s);
/* True if no period is closed (nothing to check). */
bool period_set_empty(const period_set *s);
/* True if `p` is closed for the partner at index `partner` of the agreement; with
 * partner -1, if it is closed for every partner. */
bool period_set_closed(const period_set *s, s75_period p, int partner);
/* The first period after `p` of the agreement's years open for `partner`: 0, or -1 if none. */
int period_set_first_open(const period_set *s, s75_period p, int partner, s75_period *out);
/* 0 if the closings are still those loaded into `s`; S75_EINVALID if one was made or undone
 * since (the caller's rows were checked against an old state); S75_EIO. */
int period_set_unchanged(const period_set *s, s75_db *db);

#endif
