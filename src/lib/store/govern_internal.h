/* Private to the governance modules (kpi.c, governance_db.c, notice.c): the atomic CSV
 * import they share, and the checks behind recording a meeting or a decision. */
#ifndef S75_GOVERN_INTERNAL_H
#define S75_GOVERN_INTERNAL_H


#include "db_internal.h"
#include "s75/csv.h"
#include "s75/governance.h"

#define GOV_CSV_MAX_COLS 8

/* A CSV import in one transaction: the header maps named columns (any order, matched
 * case-insensitively); each row's fields are copied, trimmed and NUL-terminated. */
typedef struct gov_csv {
	s75_db *db;
	s75_csv *csv;
	const char *name;
	s75_gov_import_result *res;
	const char *const *cols;
	int map[GOV_CSV_MAX_COLS]; /* header position of each wanted column, -1 if absent */
	size_t ncols;              /* fields in the header */
	s75_buf vals[GOV_CSV_MAX_COLS];
	struct s75_sha256 *sha; /* sha256.h */
	bool in_tx;
} gov_csv;

/* Opens `path`, reads the header (the first `nrequired` of the NULL-terminated `cols` must
 * be there; others are optional; any other column is an error) and begins a transaction. */
int gov_csv_open(gov_csv *c, s75_db *db, const char *path, const char *const *cols, int nrequired,
                 s75_gov_import_result *res);
/* The next row: 1, 0 at the end, or a negative code (a record that cannot be read). */
int gov_csv_next(gov_csv *c);
/* Column `k` of the current row ("" when the file has no such column). */
const char *gov_csv_field(gov_csv *c, int k);
/* Reports the current row as bad: `FILE:LINE: reason`. */
void gov_csv_error(gov_csv *c, const char *fmt, ...) S75_PRINTF(2, 3);
/* Commits (with an audit entry `action`) when `rc` is 0 and no row was bad; else rolls back. */
int gov_csv_end(gov_csv *c, int rc, const char *now, const char *action);

/* Checks and inserts a meeting, inside the caller's transaction. */
int gov_meeting_insert(s75_db *db, const s75_agreement *ag, const s75_meeting_input *in,
                       const char *now, int64_t *id);
/* Checks and inserts a decision, inside the caller's transaction; *id_out is malloc'd. */
int gov_decision_insert(s75_db *db, const s75_agreement *ag, const s75_decision_input *in,
                        const char *now, char **id_out);

/* A decision taken with an undeclared registered interest (interests.c). */
typedef struct gov_interest_breach {
	char *decision;
	s75_date date;
	char *evidence;
} gov_interest_breach;

/* Every participation in a decision dated from..to by someone with a registered interest,
 * current on the decision's day, in one of its subjects, not declared at it. */
int gov_interest_breaches(gov_interest_breach **out, size_t *n, s75_db *db, s75_date from,
			  s75_date to);
void gov_interest_breaches_free(gov_interest_breach *v, size_t n);

#endif
