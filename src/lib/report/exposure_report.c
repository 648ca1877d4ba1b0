/* The risk exposure report (docs/exposure.md): the document, its table and its JSON, built
 * from an s75_exposure that compute/exposure.c simulated. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "s75/report.h"
#include "s75/riskshare.h"
#include "xalloc.h"

/* ---- the report ------------------------------------------------------------------ */

static int64_t per_bp(uint64_t count, uint64_t draws)
{
	return (int64_t)((count * 10000 + draws / 2) / draws);
}

static void stats_cells(s75_table *t, const s75_expo_stats *s)
{
	s75_table_money(t, s->mean);
	s75_table_money(t, s->p50);
	s75_table_money(t, s->p90);
	s75_table_money(t, s->p95);
	s75_table_money(t, s->p99);
}

static s75_table *exposure_table(const s75_exposure *x, const s75_agreement *ag)
{
	s75_table *t = s75_table_new("Each partner's share of the variance over the draws");
	s75_table_column(t, "Option", S75_CELL_TEXT);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Mean", S75_CELL_MONEY);
	s75_table_column(t, "P50", S75_CELL_MONEY);
	s75_table_column(t, "P90", S75_CELL_MONEY);
	s75_table_column(t, "P95", S75_CELL_MONEY);
	s75_table_column(t, "P99", S75_CELL_MONEY);
	s75_table_column(t, "Cap binds", S75_CELL_BP);
	for (size_t p = 0; p < x->npartners; p++) {
		if (!x->in_pool[p])
			continue;
		for (size_t i = 0; i < x->noptions; i++) {
			const s75_expo_option *o = &x->options[i];
			s75_table_row(t, 0);
			s75_table_text(t, o->name);
			s75_table_text(t, ag->partners[p].id);
			stats_cells(t, &o->share[p]);
			if (o->has_cap[p])
				s75_table_bp(t, per_bp(o->cap_binds[p], x->draws));
			else
				s75_table_empty(t);
		}
	}
	return t;
}

static void money_text(s75_buf *b, int64_t v)
{
	s75_buf_puts(b, "£");
	s75_money_format(b, v, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS);
}

static void source_text(s75_buf *b, const s75_exposure *x, const s75_agreement *ag)
{
	char fy[16];
	if (x->source != S75_EXPO_HISTORY) {
		if (x->source == S75_EXPO_AGREEMENT)
			s75_buf_printf(b, "The workspace's history could not be used (%s). ", x->source_name);
		s75_buf_printf(b, "Where the uncertainty comes from: the ranges stated in %s, each element's "
				  "P10, P50 and P90, fitted by a two-piece normal (one spread below the median, "
				  "(P50 - P10) / 1.2816, and one above, (P90 - P50) / 1.2816).",
			       x->source == S75_EXPO_AGREEMENT ? "the agreement (the pool's risk share)" : x->source_name);
	} else {
		s75_buf_printf(b, "Where the uncertainty comes from: the workspace's own history. Centre: the "
				  "forecast variance at %s (forecast outturn less net contribution). Spread: "
				  "the root mean square of the error of the forecasts made at P%d in earlier years "
				  "against those years' outturn, with %d month%s remaining, per element.",
			       s75_period_format(fy, x->period), x->period.p, 12 - x->period.p,
			       12 - x->period.p == 1 ? "" : "s");
	}
	s75_buf_puts(b, " The elements are linked by one common factor of weight ");
	s75_bp_format(b, x->common_bp);
	s75_buf_printf(b, "%% (the correlation between any two elements). %llu draws, seed %llu.",
		       (unsigned long long)x->draws, (unsigned long long)x->seed);
	(void)ag;
}

static void exposure_doc(s75_doc *d, const s75_exposure *x, const s75_agreement *ag)
{
	const s75_arrangement *a = &ag->arrangements[x->pool];
	s75_buf b = S75_BUF_INIT;
	s75_doc_section(d, "Risk exposure", "Exposure");
	source_text(&b, x, ag);
	s75_doc_para(d, b.ptr);
	s75_buf_reset(&b);
	s75_buf_puts(&b, "Probability that the pool overspends: ");
	s75_bp_format(&b, per_bp(x->overspends, x->draws));
	s75_buf_puts(&b, "%. Median variance ");
	money_text(&b, x->variance.p50);
	s75_buf_puts(&b, ", one year in ten above ");
	money_text(&b, x->variance.p90);
	s75_buf_puts(&b, ", one in twenty above ");
	money_text(&b, x->variance.p95);
	s75_buf_putc(&b, '.');
	s75_doc_para(d, b.ptr);

	s75_table *t = exposure_table(x, ag);
	s75_doc_table(d, t);

	t = s75_table_new("The pool's variance over the draws");
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "Mean", S75_CELL_MONEY);
	s75_table_column(t, "P50", S75_CELL_MONEY);
	s75_table_column(t, "P90", S75_CELL_MONEY);
	s75_table_column(t, "P95", S75_CELL_MONEY);
	s75_table_column(t, "P99", S75_CELL_MONEY);
	s75_table_column(t, "Overspends", S75_CELL_BP);
	s75_table_row(t, 0);
	s75_table_text(t, a->id);
	stats_cells(t, &x->variance);
	s75_table_bp(t, per_bp(x->overspends, x->draws));
	s75_doc_table(d, t);

	t = s75_table_new("Each element's variance as modelled");
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "P10", S75_CELL_MONEY);
	s75_table_column(t, "P50", S75_CELL_MONEY);
	s75_table_column(t, "P90", S75_CELL_MONEY);
	s75_table_column(t, "Spread below", S75_CELL_MONEY);
	s75_table_column(t, "Spread above", S75_CELL_MONEY);
	if (x->source == S75_EXPO_HISTORY)
		s75_table_column(t, "Years of history", S75_CELL_INT);
	for (size_t e = 0; e < x->nelements; e++) {
		const s75_expo_element *el = &x->elements[e];
		s75_table_row(t, 0);
		s75_table_text(t, a->elements[e].id);
		s75_table_money(t, el->p10);
		s75_table_money(t, el->centre);
		s75_table_money(t, el->p90);
		s75_table_money(t, el->sd_low);
		s75_table_money(t, el->sd_high);
		if (x->source == S75_EXPO_HISTORY)
			s75_table_int(t, el->history_years);
	}
	s75_doc_table(d, t);

	/* a histogram per partner of its share under the agreement as it stands */
	const s75_expo_option *o = &x->options[0];
	for (size_t p = 0; p < x->npartners; p++) {
		if (!x->in_pool[p])
			continue;
		const int64_t *v = o->shares + p * x->draws;
		int64_t lo = o->share[p].min, hi = o->share[p].max, nb = x->bins, width = 100;
		/* bands of a round width (1, 2 or 5 times a power of ten pounds) from a multiple of it */
		while (width < INT64_MAX / 10 && (hi - lo) / width >= nb) {
			if ((hi - lo) / (width * 2) < nb) {
				width *= 2;
				break;
			}
			if ((hi - lo) / (width * 5) < nb) {
				width *= 5;
				break;
			}
			width *= 10;
		}
		lo = lo >= 0 ? lo / width * width : -((-lo + width - 1) / width) * width;
		nb = (hi - lo) / width + 1;
		int64_t *count = xcalloc((size_t)nb + 1, sizeof(int64_t));
		for (uint64_t i = 0; i < x->draws; i++)
			count[(v[i] - lo) / width]++;
		s75_buf_reset(&b);
		s75_buf_printf(&b, "%s: its share of the variance, as agreed", ag->partners[p].id);
		s75_buf desc = S75_BUF_INIT;
		s75_buf_printf(&desc, "How many of the %llu draws gave %s each share, in %lld bands from ",
			       (unsigned long long)x->draws, ag->partners[p].id, (long long)nb);
		money_text(&desc, lo);
		s75_buf_puts(&desc, " to ");
		money_text(&desc, hi);
		s75_chart *c = s75_doc_chart(d, S75_CHART_HISTOGRAM, b.ptr, desc.ptr);
		for (int64_t k = 0; k < nb; k++) {
			s75_buf l = S75_BUF_INIT;
			s75_buf_puts(&l, "from ");
			money_text(&l, lo + k * width);
			s75_chart_category(c, l.ptr);
			s75_buf_release(&l);
		}
		s75_chart_series(c, "draws", count, (size_t)nb);
		s75_buf_release(&desc);
		free(count);
	}
	s75_buf_release(&b);
}

static json_t *stats_json(const s75_expo_stats *s)
{
	json_t *j = json_object();
	json_object_set_new(j, "mean", json_integer(s->mean));
	json_object_set_new(j, "p50", json_integer(s->p50));
	json_object_set_new(j, "p90", json_integer(s->p90));
	json_object_set_new(j, "p95", json_integer(s->p95));
	json_object_set_new(j, "p99", json_integer(s->p99));
	json_object_set_new(j, "min", json_integer(s->min));
	json_object_set_new(j, "max", json_integer(s->max));
	return j;
}

static json_t *exposure_json(const s75_exposure *x, const s75_agreement *ag)
{
	const s75_arrangement *a = &ag->arrangements[x->pool];
	json_t *root = json_object(), *src = json_object(), *els = json_array(), *ops = json_array();
	char fy[16];
	s75_buf b = S75_BUF_INIT;
	json_object_set_new(root, "year", json_string(s75_fy_format(fy, x->fy)));
	json_object_set_new(root, "pool", json_string(a->id));
	json_object_set_new(root, "draws", json_integer((json_int_t)x->draws));
	json_object_set_new(root, "seed", json_integer((json_int_t)x->seed));
	json_object_set_new(src, "method", json_string(x->source == S75_EXPO_RANGES      ? "ranges"
						       : x->source == S75_EXPO_AGREEMENT ? "agreement"
											 : "history"));
	if (x->source == S75_EXPO_RANGES)
		json_object_set_new(src, "file", json_string(x->source_name));
	else
		json_object_set_new(src, "period", json_string(s75_period_format(fy, x->period)));
	json_object_set_new(src, "common_factor_bp", json_integer(x->common_bp));
	source_text(&b, x, ag);
	json_object_set_new(src, "text", json_string(b.ptr));
	json_object_set_new(root, "source", src);
	for (size_t e = 0; e < x->nelements; e++) {
		const s75_expo_element *el = &x->elements[e];
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(a->elements[e].id));
		json_object_set_new(j, "p10", json_integer(el->p10));
		json_object_set_new(j, "p50", json_integer(el->centre));
		json_object_set_new(j, "p90", json_integer(el->p90));
		json_object_set_new(j, "sd_low", json_integer(el->sd_low));
		json_object_set_new(j, "sd_high", json_integer(el->sd_high));
		if (x->source == S75_EXPO_HISTORY)
			json_object_set_new(j, "history_years", json_integer(el->history_years));
		json_array_append_new(els, j);
	}
	json_object_set_new(root, "elements", els);
	json_object_set_new(root, "variance", stats_json(&x->variance));
	json_object_set_new(root, "overspend_draws", json_integer((json_int_t)x->overspends));
	json_object_set_new(root, "overspend_bp", json_integer(per_bp(x->overspends, x->draws)));
	for (size_t i = 0; i < x->noptions; i++) {
		const s75_expo_option *o = &x->options[i];
		json_t *j = json_object(), *parts = json_array();
		json_object_set_new(j, "option", json_string(o->name));
		for (size_t p = 0; p < x->npartners; p++) {
			if (!x->in_pool[p])
				continue;
			json_t *q = stats_json(&o->share[p]);
			json_object_set_new(q, "id", json_string(ag->partners[p].id));
			json_object_set_new(q, "cap", json_boolean(o->has_cap[p]));
			if (o->has_cap[p]) {
				json_object_set_new(q, "cap_binds_draws", json_integer((json_int_t)o->cap_binds[p]));
				json_object_set_new(q, "cap_binds_bp", json_integer(per_bp(o->cap_binds[p], x->draws)));
			}
			json_array_append_new(parts, q);
		}
		json_object_set_new(j, "partners", parts);
		json_array_append_new(ops, j);
	}
	json_object_set_new(root, "options", ops);
	s75_buf_release(&b);
	return root;
}

int s75_report_exposure(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy,
			const s75_exposure_options *eo, const char *params,
			const s75_report_options *o)
{
	s75_exposure *x = NULL;
	s75_buf title = S75_BUF_INIT;
	char fys[16];
	int rc;
	*out = NULL;
	if ((rc = s75_exposure_run(&x, db, ag, fy, eo)))
		return rc;
	s75_buf_printf(&title, "Risk exposure %s, pool %s", s75_fy_format(fys, fy),
		       ag->arrangements[eo->pool].id);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, params, o);
	s75_buf_release(&title);
	s75_report_form form = o ? o->form : S75_FORM_ALL;
	if (form == S75_FORM_ALL || form == S75_FORM_DOC)
		exposure_doc(d, x, ag);
	s75_doc_json(d, exposure_json(x, ag));
	s75_doc_csv(d, exposure_table(x, ag));
	s75_exposure_free(x);
	*out = d;
	return 0;
}
