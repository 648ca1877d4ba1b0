/* s75 check --ledger: gaps in a workspace's ledger that would make a report silently
 * wrong — years with no actuals, periods with actuals but no forecast, and the forecast
 * flags (stale, below the actual to date) at each year's latest period. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/diag.h"
#include "s75/ledger.h"
#include "xalloc.h"

/* Per year of the agreement: a bit per period 1..12 with actuals, and with forecasts. */
static int read_periods(s75_db *db, const s75_agreement *ag, const char *sql, unsigned *bits)
{
	sqlite3_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, sql)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int fy = sqlite3_column_int(st, 0), p = sqlite3_column_int(st, 1);
		for (size_t i = 0; i < ag->nyears; i++)
			if (ag->years[i].fy == fy && p >= 1 && p <= 12)
				bits[i] |= 1u << p;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "cannot read the ledger");
}

int s75_ledger_check(s75_diags *d, s75_db *db, const s75_agreement *ag, const char *name)
{
	unsigned *act = xcalloc(ag->nyears + 1, sizeof(unsigned));
	unsigned *fc = xcalloc(ag->nyears + 1, sizeof(unsigned));
	s75_pos none = {0, 0};
	int rc;
	if ((rc = read_periods(db, ag,
			       "SELECT DISTINCT fy, period FROM ledger_agg"
			       " WHERE kind IN (0, 1) AND rows > 0",
			       act)) ||
	    (rc = read_periods(db, ag,
			       "SELECT DISTINCT f.fy, f.period FROM forecast f"
			       " JOIN batch b ON b.id = f.batch_id WHERE b.undone_at IS NULL",
			       fc)))
		goto done;
	for (size_t i = 0; i < ag->nyears; i++) {
		const s75_year *y = &ag->years[i];
		char fy[8];
		if (y->fy < 0)
			continue;
		s75_fy_format(fy, y->fy);
		if (!act[i]) {
			if (y->ncontributions)
				s75_diags_add(d, S75_DIAG_WARNING, name, none,
					      "%s has contributions but no actuals imported", fy);
			continue;
		}
		s75_buf b = S75_BUF_INIT;
		int n = 0, last = 0;
		for (int p = 1; p <= 12; p++) {
			if (act[i] & (1u << p))
				last = p;
			if ((act[i] & (1u << p)) && !(fc[i] & (1u << p)))
				s75_buf_printf(&b, "%sP%d", n++ ? ", " : "", p);
		}
		if (n)
			s75_diags_add(d, S75_DIAG_WARNING, name, none,
				      "%s has actuals but no forecast imported at %s", fy, b.ptr);
		s75_buf_release(&b);
		/* the forecasts' flags where the ledger has got to */
		s75_monitoring *m = NULL;
		if ((rc = s75_monitoring_build(&m, db, ag, (s75_period){y->fy, last},
					       S75_LEVEL_POOL)))
			goto done;
		for (size_t k = m->ninputs; k < m->nwarnings; k++)
			s75_diags_add(d, S75_DIAG_WARNING, name, none, "%s P%d: %s", fy, last,
				      m->warnings[k]);
		s75_monitoring_free(m);
	}
done:
	free(act);
	free(fc);
	return rc;
}
