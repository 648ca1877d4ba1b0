/* What every report's document starts with: its cover. */
#include <jansson.h>

#include "report_internal.h"
#include "s75/error.h"
#include "sha256.h"

void report_sha256_hex(char hex[65], const s75_agreement *ag)
{
	s75_sha256_hex(hex, ag->sha256);
}

s75_doc *s75_report_doc_new(const s75_agreement *ag, const char *title, const char *params,
                            const s75_report_options *o)
{
	s75_doc *d = s75_doc_new(title);
	char hex[65];
	if (o && (o->no_charts || o->form == S75_FORM_JSON || o->form == S75_FORM_CSV))
		s75_doc_set_charts_drawn(d, false);
	s75_doc_meta(d, "Report", title);
	if (o && o->now)
		s75_doc_meta(d, "Produced", o->now);
	if (o && o->producer)
		s75_doc_meta(d, "Produced by", o->producer);
	if (ag) {
		report_sha256_hex(hex, ag);
		s75_doc_meta(d, "Agreement", ag->title);
		s75_doc_meta(d, "Agreement file", ag->path);
		s75_doc_meta(d, "Agreement sha256", hex);
	}
	if (params && *params)
		s75_doc_meta(d, "Parameters", params);
	return d;
}

json_t *report_warnings_json(char *const *w, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(w[i]));
	return a;
}

void report_monitor_row_json(json_t *o, const s75_monitor_row *r)
{
	json_object_set_new(o, "forecast_period",
			    r->forecast_period ? json_integer(r->forecast_period) : json_null());
	json_object_set_new(o, "forecast_basis", json_string(s75_forecast_basis_name(r->forecast_basis)));
	json_object_set_new(o, "forecast_stale", json_boolean(r->flags & S75_MON_STALE));
	json_object_set_new(o, "forecast_below_actual", json_boolean(r->flags & S75_MON_BELOW_ACTUAL));
	json_object_set_new(o, "forecast_not_year_end", json_boolean(r->flags & S75_MON_NOT_YEAR_END));
	json_object_set_new(o, "note", r->note ? json_string(r->note) : json_null());
}

int s75_report_pool_index(const s75_agreement *ag, const s75_report_options *o)
{
	if (!o || !o->pool)
		return -1;
	int a = s75_agreement_find_arrangement(ag, o->pool);
	if (a >= 0 && ag->arrangements[a].kind == S75_ARR_POOLED_FUND)
		return a;
	/* name the pools there are, so the reader can pick one */
	s75_buf b = S75_BUF_INIT;
	for (size_t i = 0; i < ag->narrangements; i++)
		if (ag->arrangements[i].kind == S75_ARR_POOLED_FUND)
			s75_buf_printf(&b, "%s%s", b.len ? ", " : "", ag->arrangements[i].id);
	int rc = s75_error_set(S75_EINVALID,
			       "--pool: the agreement has no pooled fund '%s' (its pooled funds: %s)",
			       o->pool, b.len ? b.ptr : "none");
	s75_buf_release(&b);
	return rc;
}


void report_rag_basis(s75_buf *out, const s75_agreement *ag)
{
	s75_buf_puts(out, "RAG against the budget: green on or under it, amber an overspend of at most ");
	s75_bp_format(out, ag->forecast_tolerance_bp);
	s75_buf_puts(out, "% of it, red beyond");
	if (ag->has_forecast_tolerance)
		s75_buf_puts(out, " (the agreement's forecast_tolerance).");
	else if (ag->forecast_tolerance_from_alerts)
		s75_buf_puts(out, " (the percent of the agreement's tolerance, which must be reported to the partners).");
	else {
		s75_buf_puts(out, " (the agreement states no forecast_tolerance: the default of ");
		s75_bp_format(out, S75_FORECAST_TOLERANCE_DEFAULT_BP);
		s75_buf_puts(out, "% is used).");
	}
}
