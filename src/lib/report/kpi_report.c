/* The KPI dashboard at a period (s75 report kpi) as a document with its JSON and CSV. */
#include <jansson.h>
#include <stdlib.h>

#include "report_internal.h"
#include "s75/kpi.h"

/* A KPI value as text: with separators and a % for percentages when `pretty`. */
void report_kpi_value(s75_buf *b, const s75_kpi *k, int64_t v, bool pretty)
{
	s75_kpi_value_format(b, v, pretty);
	if (pretty && k->unit == S75_KPI_PERCENT)
		s75_buf_putc(b, '%');
}

/* A change: of a percentage in percentage points. */
static void change_text(s75_buf *b, const s75_kpi *k, int64_t ch, bool pretty)
{
	if (ch > 0 && pretty)
		s75_buf_putc(b, '+');
	s75_kpi_value_format(b, ch, pretty);
	if (pretty && k->unit == S75_KPI_PERCENT)
		s75_buf_puts(b, " pp");
}

static json_t *value_json(int64_t v)
{
	s75_buf b = S75_BUF_INIT;
	s75_kpi_value_format(&b, v, false);
	json_t *j = json_string(b.ptr);
	s75_buf_release(&b);
	return j;
}

static json_t *kv_json(const s75_kpi_value *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "period", json_string(v->period));
	json_object_set_new(o, "value", value_json(v->value));
	json_object_set_new(o, "note", v->note ? json_string(v->note) : json_null());
	return o;
}

static json_t *kpi_json(const s75_agreement *ag, const s75_kpi_report *r)
{
	json_t *root = json_object(), *arr = json_array();
	char d[11];
	json_object_set_new(root, "period", json_string(r->period.label));
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, r->period.end)));
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *x = &r->lines[i];
		const s75_kpi *k = &x->def;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(k->id));
		json_object_set_new(o, "pool", json_string(ag->arrangements[k->pool].id));
		json_object_set_new(o, "name", json_string(k->name));
		json_object_set_new(o, "unit", json_string(s75_kpi_unit_name(k->unit)));
		json_object_set_new(o, "better",
		                    json_string(k->better == S75_KPI_HIGHER ? "higher" : "lower"));
		if (k->has_baseline) {
			json_t *b = json_object();
			json_object_set_new(b, "value", value_json(k->baseline));
			json_object_set_new(b, "period", json_string(k->baseline_period));
			json_object_set_new(o, "baseline", b);
		} else {
			json_object_set_new(o, "baseline", json_null());
		}
		if (k->has_target) {
			json_t *t = json_object();
			json_object_set_new(t, "value", value_json(k->target));
			json_object_set_new(t, "by",
			                    k->has_target_date
			                        ? json_string(s75_date_format(d, k->target_date))
			                        : json_null());
			json_object_set_new(o, "target", t);
			json_object_set_new(o, "tolerance", value_json(k->tolerance));
		} else {
			json_object_set_new(o, "target", json_null());
			json_object_set_new(o, "tolerance", json_null());
		}
		json_object_set_new(o, "latest", x->has_latest ? kv_json(&x->latest) : json_null());
		json_object_set_new(o, "previous",
		                    x->has_previous ? kv_json(&x->previous) : json_null());
		json_object_set_new(o, "rag",
		                    x->rag ? json_string(s75_rag_name(x->rag)) : json_null());
		json_object_set_new(o, "trend",
		                    x->trend ? json_string(s75_trend_name(x->trend)) : json_null());
		json_object_set_new(o, "change_from_baseline",
		                    x->has_latest && k->has_baseline
		                        ? value_json(x->latest.value - k->baseline)
		                        : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "kpis", arr);
	return root;
}

static s75_table *kpi_table(const s75_agreement *ag, const s75_kpi_report *r, bool pretty)
{
	s75_buf title = S75_BUF_INIT, t = S75_BUF_INIT;
	char d[11];
	s75_buf_printf(&title, "KPIs at %s (to %s) — %s", r->period.label,
	               s75_date_format(d, r->period.end), ag->title);
	s75_table *tb = s75_table_new(pretty ? title.ptr : NULL);
	const char *cols[] = {"Pool",     "KPI",    "Unit",   "Better",
	                      "Baseline", "Target", "Period", "Latest",
	                      "Previous", "RAG",    "Trend",  "Since baseline"};
	for (int i = 0; i < 12; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	tb->colflags[9] = S75_COL_RAG; /* the RAG column: coloured and labelled on the page */
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *x = &r->lines[i];
		const s75_kpi *k = &x->def;
		s75_table_row(tb, 0);
		/* the pool by name on the page, by id in CSV */
		s75_table_text(tb, pretty ? ag->arrangements[k->pool].name : ag->arrangements[k->pool].id);
		s75_table_text(tb, pretty ? k->name : k->id);
		s75_table_text(tb, s75_kpi_unit_name(k->unit));
		s75_table_text(tb, k->better == S75_KPI_HIGHER ? "higher" : "lower");
		s75_buf_reset(&t);
		if (k->has_baseline) {
			report_kpi_value(&t, k, k->baseline, pretty);
			s75_buf_printf(&t, " (%s)", k->baseline_period);
		}
		s75_table_text(tb, t.ptr);
		s75_buf_reset(&t);
		if (k->has_target) {
			report_kpi_value(&t, k, k->target, pretty);
			if (k->has_target_date)
				s75_buf_printf(&t, " by %s", s75_date_format(d, k->target_date));
			if (k->tolerance) {
				s75_buf_puts(&t, " ±");
				report_kpi_value(&t, k, k->tolerance, pretty);
			}
		}
		s75_table_text(tb, t.ptr);
		s75_table_text(tb, x->has_latest ? x->latest.period : "");
		s75_buf_reset(&t);
		if (x->has_latest)
			report_kpi_value(&t, k, x->latest.value, pretty);
		s75_table_text(tb, x->has_latest ? t.ptr : "no value");
		s75_buf_reset(&t);
		if (x->has_previous) {
			report_kpi_value(&t, k, x->previous.value, pretty);
			s75_buf_printf(&t, " (%s)", x->previous.period);
		}
		s75_table_text(tb, t.ptr);
		s75_table_text(tb, s75_rag_name(x->rag));
		s75_table_text(tb, s75_trend_name(x->trend));
		s75_buf_reset(&t);
		if (x->has_latest && k->has_baseline) {
			change_text(&t, k, x->latest.value - k->baseline, pretty);
		}
		s75_table_text(tb, t.ptr);
	}
	s75_buf_release(&title);
	s75_buf_release(&t);
	return tb;
}

/* Each KPI's values up to the period's end against its target, as a line chart. */
static int kpi_trend_charts(s75_doc *d, s75_db *db, const s75_agreement *ag,
			    const s75_kpi_report *r)
{
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi *k = &r->lines[i].def;
		s75_kpi_value *v = NULL;
		size_t n = 0, m = 0;
		int rc = s75_kpi_values_list(&v, &n, db, k->id);
		if (rc)
			return rc;
		while (m < n && v[m].end <= r->period.end)
			m++; /* oldest first: those reported by the period's end */
		if (m == 0) {
			s75_kpi_values_free(v, n);
			continue;
		}
		s75_buf title = S75_BUF_INIT, desc = S75_BUF_INIT;
		s75_buf_printf(&title, "%s (%s): trend", k->name, ag->arrangements[k->pool].name);
		s75_buf_printf(&desc, "Each value reported up to %s, oldest first (%s is better)%s.",
			       r->period.label, k->better == S75_KPI_HIGHER ? "higher" : "lower",
			       k->has_target ? ", against the target as in force at the period's end" : "");
		s75_chart *c = s75_doc_chart(d, S75_CHART_LINES, title.ptr, desc.ptr);
		s75_chart_values_as(c, S75_CHART_FIXED4, k->unit == S75_KPI_PERCENT ? "%" : "");
		int64_t *val = calloc(m + 1, sizeof(int64_t)), *tgt = calloc(m + 1, sizeof(int64_t));
		if (!val || !tgt)
			abort();
		for (size_t j = 0; j < m; j++) {
			s75_chart_category(c, v[j].period);
			val[j] = v[j].value;
			tgt[j] = k->target;
		}
		s75_chart_series(c, "Value", val, m);
		if (k->has_target) {
			s75_chart_series(c, "Target", tgt, m);
			s75_chart_flags(c, S75_CHART_LAST_IS_TARGET);
		}
		free(val);
		free(tgt);
		s75_buf_release(&title);
		s75_buf_release(&desc);
		s75_kpi_values_free(v, n);
	}
	return 0;
}

int s75_report_kpi(s75_doc **out, s75_db *db, const s75_agreement *ag, const s75_rperiod *period,
		   int pool, const s75_report_options *o)
{
	s75_kpi_report *r;
	int rc;
	*out = NULL;
	if ((rc = s75_kpi_report_build(&r, db, ag, period, pool)))
		return rc;
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "KPIs at %s", r->period.label);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, r->period.label, o);
	s75_buf_release(&title);
	s75_doc_bare(d);
	s75_doc_table(d, kpi_table(ag, r, true));
	if ((rc = kpi_trend_charts(d, db, ag, r))) {
		s75_doc_free(d);
		s75_kpi_report_free(r);
		return rc;
	}
	s75_doc_csv(d, kpi_table(ag, r, false));
	s75_doc_json(d, kpi_json(ag, r));
	s75_kpi_report_free(r);
	*out = d;
	return 0;
}
