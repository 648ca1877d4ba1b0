/* KPI values: RAG status and trend, and the report of the latest value against target.
 * (Reporting periods are in base/date.c, value parsing in model/governance_load.c, the
 * import of values in store/governance_db.c.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "s75/error.h"
#include "s75/governance.h"
#include "s75/kpi.h"
#include "s75/variation.h"
#include "xalloc.h"

const char *s75_rag_name(s75_rag r)
{
	static const char *const names[] = {"", "green", "amber", "red"};
	return names[r];
}

const char *s75_trend_name(s75_trend t)
{
	static const char *const names[] = {"", "improving", "same", "worsening"};
	return names[t];
}

s75_rag s75_kpi_rag(const s75_kpi *k, int64_t value)
{
	if (!k->has_target)
		return S75_RAG_NONE;
	int64_t miss = k->better == S75_KPI_HIGHER ? k->target - value : value - k->target;
	if (miss <= 0)
		return S75_RAG_GREEN;
	return miss <= k->tolerance ? S75_RAG_AMBER : S75_RAG_RED;
}

s75_trend s75_kpi_trend(const s75_kpi *k, int64_t previous, int64_t latest)
{
	if (latest == previous)
		return S75_TREND_SAME;
	bool up = latest > previous;
	return up == (k->better == S75_KPI_HIGHER) ? S75_TREND_IMPROVING : S75_TREND_WORSENING;
}

static void read_value(sql_stmt *st, int c, s75_kpi_value *v)
{
	const char *t;
	v->period = xstrdup(sql_column_text(st, c));
	v->start = sql_column_int(st, c + 1);
	v->end = sql_column_int(st, c + 2);
	v->value = sql_column_int64(st, c + 3);
	t = sql_column_text(st, c + 4);
	v->note = t ? xstrdup(t) : NULL;
}

int s75_kpi_values_list(s75_kpi_value **out, size_t *n, s75_db *db, const char *id)
{
	sql_stmt *st;
	s75_kpi_value *v = NULL;
	size_t nv = 0, alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if ((rc = db_prepare(db, &st,
	                     "SELECT period, period_start, period_end, value, note FROM kpi_value"
	                     " WHERE kpi = ? ORDER BY period_end, period_start")))
		return rc;
	sql_bind_text(st, 1, id, -1);
	while ((rc = sql_step(st)) == SQL_ROW) {
		ALLOC_GROW(v, nv + 1, alloc);
		read_value(st, 0, &v[nv++]);
	}
	sql_finalize(st);
	if (rc != SQL_DONE) {
		s75_kpi_values_free(v, nv);
		return db_error(db, "cannot read the KPI values");
	}
	*out = v;
	*n = nv;
	return 0;
}

void s75_kpi_values_free(s75_kpi_value *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].period);
		free(v[i].note);
	}
	free(v);
}

static void value_release(s75_kpi_value *v)
{
	free(v->period);
	free(v->note);
}

int s75_kpi_report_build(s75_kpi_report **out, s75_db *db, const s75_agreement *ag,
                         const s75_rperiod *period, int pool)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	sql_stmt *st = NULL;
	s75_kpi_report *r;
	int rc;
	*out = NULL;
	if ((rc = db_prepare(db, &st,
	                     "SELECT period, period_start, period_end, value, note FROM kpi_value"
	                     " WHERE kpi = ? AND period_end <= ? ORDER BY period_end DESC,"
	                     " period_start DESC LIMIT 2")))
		return rc;
	r = xcalloc(1, sizeof(*r));
	r->period = *period;
	r->lines = xcalloc(g->nkpis + 1, sizeof(s75_kpi_line));
	for (size_t i = 0; i < g->nkpis; i++) {
		if (pool >= 0 && g->kpis[i].pool != pool)
			continue;
		s75_kpi_line *x = &r->lines[r->nlines++];
		x->kpi = (int)i;
		x->def = s75_kpi_at(ag, (int)i, period->end);
		sql_reset(st);
		sql_bind_text(st, 1, g->kpis[i].id, -1);
		sql_bind_int(st, 2, period->end);
		for (int k = 0; k < 2 && (rc = sql_step(st)) == SQL_ROW; k++) {
			read_value(st, 0, k ? &x->previous : &x->latest);
			*(k ? &x->has_previous : &x->has_latest) = true;
		}
		if (rc != SQL_ROW && rc != SQL_DONE) {
			rc = db_error(db, "cannot read the KPI values");
			sql_finalize(st);
			s75_kpi_report_free(r);
			return rc;
		}
		x->rag = x->has_latest ? s75_kpi_rag(&x->def, x->latest.value) : S75_RAG_NONE;
		x->trend = x->has_previous
		               ? s75_kpi_trend(&x->def, x->previous.value, x->latest.value)
		               : S75_TREND_NONE;
	}
	sql_finalize(st);
	*out = r;
	return 0;
}

void s75_kpi_report_free(s75_kpi_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nlines; i++) {
		if (r->lines[i].has_latest)
			value_release(&r->lines[i].latest);
		if (r->lines[i].has_previous)
			value_release(&r->lines[i].previous);
	}
	free(r->lines);
	free(r);
}

void s75_kpi_report_warnings(char ***out, size_t *n, const s75_kpi_report *r)
{
	*out = xcalloc(r->nlines + 1, sizeof(char *));
	*n = 0;
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *l = &r->lines[i];
		s75_buf b = S75_BUF_INIT;
		if (!l->has_latest)
			s75_buf_printf(&b, "KPI '%s' has no value reported by the end of %s", l->def.id,
				       r->period.label);
		else if (l->latest.end < r->period.start)
			s75_buf_printf(&b, "KPI '%s': the latest value is for %s, older than %s",
				       l->def.id, l->latest.period, r->period.label);
		else
			continue;
		(*out)[(*n)++] = s75_buf_detach(&b);
	}
}
