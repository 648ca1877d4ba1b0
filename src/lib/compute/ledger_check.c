/* s75 check --ledger: gaps in a workspace's ledger that would make a report silently
 * wrong — years with no actuals, periods with actuals but no forecast, and the forecast
 * flags (stale, below the actual to date) at each year's latest period. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/diag.h"
#include "s75/governance.h"
#include "s75/kpi.h"
#include "s75/ledger.h"
#include "s75/periods.h"
#include "xalloc.h"

/* Per year of the agreement: a bit per period 1..12 with actuals, and with forecasts. */
static int read_periods(s75_db *db, const s75_agreement *ag, const char *sql, unsigned *bits)
{
	sql_stmt *st;
	int rc;
	if ((rc = db_prepare(db, &st, sql)))
		return rc;
	while ((rc = sql_step(st)) == SQL_ROW) {
		int fy = sql_column_int(st, 0), p = sql_column_int(st, 1);
		for (size_t i = 0; i < ag->nyears; i++)
			if (ag->years[i].fy == fy && p >= 1 && p <= 12)
				bits[i] |= 1u << p;
	}
	sql_finalize(st);
	return rc == SQL_DONE ? 0 : db_error(db, "cannot read the ledger");
}

/*
 * Actuals batches no report received covers: a batch's actuals run to its latest period;
 * a quarterly report or annual return received (`record receipt`, or at a meeting) for a
 * period of the same year ending on or after that period's end covers it (they are to date).
 */
static int check_reported(s75_diags *d, s75_db *db, const char *name)
{
	s75_receipt *r = NULL;
	size_t nr = 0;
	sql_stmt *st;
	s75_pos none = {0, 0};
	int rc;
	if ((rc = s75_receipts_list(&r, &nr, db, NULL)))
		return rc;
	s75_date *ends = xcalloc(nr + 1, sizeof(s75_date));
	for (size_t i = 0; i < nr; i++) {
		s75_rperiod p;
		/* the reports of the figures: the quarterly report and the annual return */
		bool figures = !strcmp(r[i].item, "quarterly-report") || !strcmp(r[i].item, "annual-return");
		ends[i] = !figures || s75_rperiod_parse(&p, r[i].period) ? 0 : p.end;
	}
	if ((rc = db_prepare(db, &st,
			     "SELECT b.id, b.file, (SELECT MAX(t.fy * 100 + t.period) FROM txn t"
			     "  WHERE t.id BETWEEN b.id * 4294967296 AND b.id * 4294967296 + 4294967295)"
			     " FROM batch b WHERE b.kind = 'actuals' AND b.undone_at IS NULL"
			     " ORDER BY b.id")))
		goto done;
	while ((rc = sql_step(st)) == SQL_ROW) {
		if (sql_column_is_null(st, 2))
			continue;
		int v = sql_column_int(st, 2);
		s75_period last = {v / 100, v % 100};
		s75_date end = s75_period_end(last);
		bool covered = false;
		for (size_t i = 0; i < nr && !covered; i++)
			covered = ends[i] >= end && s75_fy_of_date(ends[i]) == last.fy;
		if (!covered) {
			char per[16];
			s75_diags_add(d, S75_DIAG_WARNING, name, none,
				      "batch %lld ('%s', actuals to %s) is in no report received yet",
				      (long long)sql_column_int64(st, 0),
				      sql_column_text(st, 1),
				      s75_period_format(per, last));
		}
	}
	sql_finalize(st);
	rc = rc == SQL_DONE ? 0 : db_error(db, "cannot read the batches");
done:
	free(ends);
	s75_receipts_free(r, nr);
	return rc;
}

/* Each period closed (and not reopened) still has the ledger it was sealed with: a change
 * since (the database edited by hand, a row lost) is an error. */
static int check_seals(s75_diags *d, s75_db *db, const char *name)
{
	s75_closing *c = NULL;
	size_t n = 0;
	s75_pos none = {0, 0};
	int rc;
	if ((rc = s75_period_closes_list(&c, &n, db)))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		char seal[65], pb[16];
		int64_t rows, spend;
		if (c[i].reopened_at || (rc = s75_period_seal(seal, &rows, &spend, db, c[i].period, c[i].partner)))
			continue;
		if (strcmp(seal, c[i].seal))
			s75_diags_add(d, S75_DIAG_ERROR, name, none,
				      "%s (%s) changed after it was closed on %s: closed with %lld rows and seal %.16s, the ledger now has %lld rows and seal %.16s",
				      s75_period_format(pb, c[i].period), c[i].partner ? c[i].partner : "every partner",
				      c[i].closed_at, (long long)c[i].rows, c[i].seal, (long long)rows, seal);
	}
	s75_period_closes_free(c, n);
	return rc;
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
	if (!(rc = check_reported(d, db, name)))
		rc = check_seals(d, db, name);
done:
	free(act);
	free(fc);
	return rc;
}
