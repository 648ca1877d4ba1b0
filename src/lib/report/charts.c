/* The charts the reports draw: budget against forecast outturn by element, cumulative
 * actual against the profiled budget, and a waterfall from contribution to final cost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define ELEMENTS_DESC                                                                      \
	"For each element of the pool, the annual budget beside the forecast outturn for the year," \
	" with the forecast variance labelled above (red when an overspend)."
#define CUMULATIVE_DESC                                                                    \
	"Month by month from April, the actual spend to date (expenditure less income) as"    \
	" columns under the line of the budget profiled to date, with the difference at the"  \
	" latest month labelled."

int report_chart_elements(s75_doc *d, s75_db *db, const s75_agreement *ag, int pool,
			  s75_period per)
{
	const s75_arrangement *arr = &ag->arrangements[pool];
	s75_monitoring *el = NULL;
	int rc;
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "%s: budget and forecast outturn by element", arr->name);
	if (!s75_doc_charts_drawn(d)) { /* its place only: no rendering will draw it */
		s75_doc_chart(d, S75_CHART_BARS, b.ptr, ELEMENTS_DESC);
		s75_buf_release(&b);
		return 0;
	}
	if ((rc = s75_monitoring_build(&el, db, ag, per, S75_LEVEL_ELEMENT))) {
		s75_buf_release(&b);
		return rc;
	}
	s75_chart *c = s75_doc_chart(d, S75_CHART_BARS, b.ptr, ELEMENTS_DESC);
	s75_chart_flags(c, S75_CHART_LABEL_DIFF);
	s75_buf_release(&b);
	int64_t *bud = calloc(arr->nelements + 1, sizeof(int64_t));
	int64_t *fc = calloc(arr->nelements + 1, sizeof(int64_t));
	size_t n = 0;
	for (size_t i = 0; i < el->nrows; i++)
		if (el->rows[i].pool == pool) {
			s75_chart_category(c, arr->elements[el->rows[i].element].name);
			bud[n] = el->rows[i].budget;
			fc[n++] = el->rows[i].forecast;
		}
	s75_chart_series(c, "Budget", bud, n);
	s75_chart_series(c, "Forecast outturn", fc, n);
	free(bud);
	free(fc);
	s75_monitoring_free(el);
	return 0;
}

int report_chart_cumulative(s75_doc *d, s75_db *db, const s75_agreement *ag, int pool,
			    s75_period per)
{
	const s75_arrangement *arr = &ag->arrangements[pool];
	int64_t act[12], budm[12], cum_a[12], cum_b[12];
	int rc;
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "%s: cumulative actual against the profiled budget", arr->name);
	if (!s75_doc_charts_drawn(d)) {
		s75_doc_chart(d, S75_CHART_LINES, b.ptr, CUMULATIVE_DESC);
		s75_buf_release(&b);
		return 0;
	}
	if ((rc = s75_monitoring_months(db, ag, per.fy, pool, act, budm))) {
		s75_buf_release(&b);
		return rc;
	}
	s75_chart *c = s75_doc_chart(d, S75_CHART_LINES, b.ptr, CUMULATIVE_DESC);
	s75_chart_flags(c, S75_CHART_LABEL_DIFF | S75_CHART_LINE_OVER_COLUMNS);
	s75_buf_release(&b);
	for (int p = 0; p < 12; p++) {
		char lbl[8];
		snprintf(lbl, sizeof(lbl), "P%d", p + 1);
		s75_chart_category(c, lbl);
		cum_b[p] = budm[p] + (p ? cum_b[p - 1] : 0);
		cum_a[p] = act[p] + (p ? cum_a[p - 1] : 0);
	}
	s75_chart_series(c, "Profiled budget", cum_b, 12);
	s75_chart_series(c, "Actual", cum_a, (size_t)per.p);
	return 0;
}

void report_chart_waterfalls(s75_doc *d, const s75_agreement *ag, const s75_settle_pool *p)
{
	const s75_arrangement *a = &ag->arrangements[p->pool];
	for (size_t k = 0; k < ag->npartners; k++) {
		const s75_settle_partner *x = &p->partners[k];
		if (!x->involved)
			continue;
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%s, %s: from contribution to final cost", ag->partners[k].name,
			       a->name);
		s75_chart *c = s75_doc_chart(d, S75_CHART_WATERFALL, b.ptr,
					     "The partner's net contribution, then what each step of the risk share adds (orange) or takes away (green), then its final cost.");
		int64_t *v = calloc(p->rs->nsteps + 3, sizeof(int64_t));
		size_t n = 0;
		s75_chart_category(c, "Contribution");
		v[n++] = x->contribution;
		for (size_t i = 0; i < p->rs->nsteps; i++) {
			/* the step as the working names it (the chart wraps it under its bar) */
			s75_buf_reset(&b);
			s75_buf_printf(&b, "%zu. %s", i + 1,
				       p->rs->steps[i].what ? p->rs->steps[i].what : "");
			s75_chart_category(c, b.ptr);
			v[n++] = p->rs->steps[i].by_partner[k];
		}
		s75_chart_category(c, "Final cost");
		v[n++] = x->final_cost;
		s75_chart_series(c, ag->partners[k].name, v, n);
		s75_buf_release(&b);
		free(v);
	}
}
