/* Tolerance alerts: the element-level forecast variance of each period of a year against
 * the agreement's tolerance, runs of periods beyond it, and the tolerance reports received. */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/alerts.h"
#include "s75/error.h"
#include "s75/governance.h"
#include "s75/ledger.h"
#include "s75/workdays.h"
#include "xalloc.h"

/* Whether |variance| is beyond the tolerance for `budget`; the limit in pence in *limit. */
static bool beyond(const s75_tolerance *t, int64_t budget, int64_t variance, int64_t *limit)
{
	__extension__ typedef __int128 i128;
	i128 v = variance < 0 ? -(i128)variance : (i128)variance;
	i128 b = budget < 0 ? -(i128)budget : (i128)budget;
	bool out = false;
	*limit = -1;
	if (t->bp > 0) {
		*limit = (int64_t)(b * t->bp / 10000);
		out = v * 10000 > b * t->bp;
	}
	if (t->amount > 0) {
		if (*limit < 0 || t->amount < *limit)
			*limit = t->amount;
		out = out || v > t->amount;
	}
	return out;
}

/* The day the forecasts made at `p` were first imported (batches not undone); 0 if none. */
static int forecast_day(s75_db *db, s75_period p, s75_date *out)
{
	sql_stmt *st;
	char pb[16];
	int rc;
	*out = 0;
	if ((rc = db_prepare(db, &st, "SELECT min(imported_at) FROM batch WHERE kind = 'forecasts'"
				      " AND undone_at IS NULL AND period = ?")))
		return rc;
	sql_bind_text_copy(st, 1, s75_period_format(pb, p), -1);
	if (sql_step(st) == SQL_ROW && !sql_column_is_null(st, 0)) {
		const char *at = sql_column_text(st, 0);
		if (strlen(at) >= 10)
			s75_date_parse_fmt(out, at, 10, "yyyy-mm-dd");
	}
	sql_finalize(st);
	return 0;
}

static int cmp_alert(const void *pa, const void *pb)
{
	const s75_alert *a = pa, *b = pb;
	int c = s75_period_cmp(a->first, b->first);
	if (c)
		return c;
	if (a->pool != b->pool)
		return a->pool - b->pool;
	return a->element - b->element;
}

int s75_alerts_build(s75_alerts **out, s75_db *db, const s75_agreement *ag, s75_period period)
{
	s75_alerts *a = xcalloc(1, sizeof(*a));
	s75_receipt *r = NULL;
	size_t nr = 0, alloc = 0;
	int rc = 0;
	char fy[8];
	*out = NULL;
	a->period = period;
	a->tolerance = ag->tolerance;
	if (!s75_agreement_find_year(ag, period.fy)) {
		rc = s75_error_set(S75_EINVALID, "the agreement has no year %s", s75_fy_format(fy, period.fy));
		goto fail;
	}
	if (!ag->tolerance.present) {
		*out = a;
		return 0;
	}
	if ((rc = s75_receipts_list(&r, &nr, db, NULL)))
		goto fail;
	/* open[pool][element]: the alert of the run still going, or -1 */
	size_t nel = 0;
	for (size_t i = 0; i < ag->narrangements; i++)
		nel += ag->arrangements[i].nelements;
	long *open = xcalloc(nel + 1, sizeof(long));
	for (size_t i = 0; i <= nel; i++)
		open[i] = -1;
	for (int k = 1; k <= period.p; k++) {
		s75_period q = {period.fy, k};
		s75_monitoring *m = NULL;
		if ((rc = s75_monitoring_build(&m, db, ag, q, S75_LEVEL_ELEMENT)))
			break;
		for (size_t i = 0; i < m->nrows; i++) {
			const s75_monitor_row *row = &m->rows[i];
			if (row->element < 0 || row->pool < 0)
				continue;
			size_t slot = 0;
			for (int pl = 0; pl < row->pool; pl++)
				slot += ag->arrangements[pl].nelements;
			slot += (size_t)row->element;
			int64_t limit;
			if (!beyond(&ag->tolerance, row->budget, row->forecast_variance, &limit)) {
				open[slot] = -1;
				continue;
			}
			if (open[slot] >= 0) {
				a->items[open[slot]].last = q;
				a->items[open[slot]].variance_now = row->forecast_variance;
				continue;
			}
			ALLOC_GROW(a->items, a->n + 1, alloc);
			s75_alert *x = &a->items[a->n];
			memset(x, 0, sizeof(*x));
			x->pool = row->pool;
			x->element = row->element;
			x->first = x->last = q;
			x->budget = row->budget;
			x->variance = x->variance_now = row->forecast_variance;
			x->limit = limit;
			open[slot] = (long)a->n++;
		}
		s75_monitoring_free(m);
	}
	for (size_t i = 0; i < a->n && !rc; i++) {
		s75_alert *x = &a->items[i];
		x->current = s75_period_cmp(x->last, period) == 0;
		if ((rc = forecast_day(db, x->first, &x->since)))
			break;
		if (!x->since)
			x->since = s75_period_end(x->first);
		if ((rc = s75_working_day_add(&x->deadline, x->since, ag->tolerance.working_days)))
			break;
		/* the first report received for a period of the run */
		for (size_t j = 0; j < nr; j++) {
			s75_period rp;
			if (strcmp(r[j].item, "tolerance-report") || s75_period_parse(&rp, r[j].period))
				continue;
			if (rp.fy != x->first.fy || rp.p < x->first.p || rp.p > x->last.p)
				continue;
			if (!x->reported || r[j].date < x->reported) {
				x->reported = r[j].date;
				free(x->reported_to);
				x->reported_to = xstrdup(r[j].body);
			}
		}
		if (x->reported)
			x->working_days = s75_working_days_between(x->since, x->reported);
	}
	free(open);
	s75_receipts_free(r, nr);
	if (rc)
		goto fail;
	qsort(a->items, a->n, sizeof(*a->items), cmp_alert);
	*out = a;
	return 0;
fail:
	s75_alerts_free(a);
	return rc;
}

void s75_alerts_free(s75_alerts *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->items[i].reported_to);
	free(a->items);
	free(a);
}

bool s75_alert_overdue(const s75_alert *a, s75_date as_of)
{
	if (a->reported)
		return a->reported > a->deadline;
	return as_of > a->deadline;
}
