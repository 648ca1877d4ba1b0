/* Tolerance alerts (s75 alerts) as a document: each breach of tolerance of a year up to a
 * period, since when, its deadline in working days and whether it was reported. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "s75/alerts.h"
#include "s75/governance.h"
#include "s75/money.h"
#include "s75/report.h"

/* What became of an alert on `as_of`, in words and as a code for JSON. */
static const char *alert_status(const s75_alert *a, s75_date as_of, const char **code)
{
	if (a->reported) {
		*code = a->reported <= a->deadline ? "reported" : "reported-late";
		return a->reported <= a->deadline ? "reported in time" : "reported late";
	}
	*code = as_of > a->deadline ? "not-reported" : "due";
	return as_of > a->deadline ? "NOT REPORTED" : "to report";
}

static const char *body_name(const s75_agreement *ag, const char *id)
{
	int i = id ? s75_agreement_find_body(ag, id) : -1;
	return i >= 0 ? s75_agreement_governance(ag)->bodies[i].name : id ? id : "";
}

static s75_table *alerts_table(const s75_agreement *ag, const s75_alerts *al, s75_date as_of)
{
	s75_table *t = s75_table_new("Breaches of tolerance");
	const char *text1[] = {"Pool", "Element", "From", "To"};
	for (int i = 0; i < 4; i++)
		s75_table_column(t, text1[i], S75_CELL_TEXT);
	s75_table_column(t, "Budget", S75_CELL_MONEY);
	s75_table_column(t, "Tolerance", S75_CELL_MONEY);
	s75_table_column(t, "Forecast variance then", S75_CELL_MONEY);
	s75_table_column(t, "Forecast variance now", S75_CELL_MONEY);
	const char *text2[] = {"Known since", "Report due by", "Reported", "To whom"};
	for (int i = 0; i < 4; i++)
		s75_table_column(t, text2[i], S75_CELL_TEXT);
	s75_table_column(t, "Working days", S75_CELL_INT);
	s75_table_column(t, "Status", S75_CELL_TEXT);
	for (size_t i = 0; i < al->n; i++) {
		const s75_alert *a = &al->items[i];
		const s75_arrangement *pool = &ag->arrangements[a->pool];
		char pb[16], d[11];
		const char *code;
		s75_table_row(t, 0);
		s75_table_text(t, pool->name ? pool->name : pool->id);
		s75_table_text(t, pool->elements[a->element].name ? pool->elements[a->element].name
								   : pool->elements[a->element].id);
		s75_table_text(t, s75_period_format(pb, a->first));
		s75_table_text(t, a->current ? "still beyond" : s75_period_format(pb, a->last));
		s75_table_money(t, a->budget);
		s75_table_money(t, a->limit);
		s75_table_money(t, a->variance);
		s75_table_money(t, a->variance_now);
		s75_table_text(t, s75_date_format(d, a->since));
		s75_table_text(t, s75_date_format(d, a->deadline));
		s75_table_text(t, a->reported ? s75_date_format(d, a->reported) : "");
		s75_table_text(t, body_name(ag, a->reported_to));
		if (a->reported)
			s75_table_int(t, a->working_days);
		else
			s75_table_empty(t);
		s75_table_text(t, alert_status(a, as_of, &code));
	}
	return t;
}

static json_t *alerts_json(const s75_agreement *ag, const s75_alerts *al, s75_date as_of)
{
	json_t *root = json_object(), *arr = json_array(), *tol = json_object();
	char pb[16], d[11];
	json_object_set_new(root, "period", json_string(s75_period_format(pb, al->period)));
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, as_of)));
	json_object_set_new(tol, "percent_bp", al->tolerance.bp > 0 ? json_integer(al->tolerance.bp) : json_null());
	json_object_set_new(tol, "amount", al->tolerance.amount > 0 ? json_integer(al->tolerance.amount) : json_null());
	json_object_set_new(tol, "working_days", json_integer(al->tolerance.working_days));
	json_object_set_new(root, "tolerance", al->tolerance.present ? tol : (json_decref(tol), json_null()));
	for (size_t i = 0; i < al->n; i++) {
		const s75_alert *a = &al->items[i];
		const s75_arrangement *pool = &ag->arrangements[a->pool];
		const char *code;
		json_t *o = json_object();
		json_object_set_new(o, "pool", json_string(pool->id));
		json_object_set_new(o, "element", json_string(pool->elements[a->element].id));
		json_object_set_new(o, "from", json_string(s75_period_format(pb, a->first)));
		json_object_set_new(o, "to", json_string(s75_period_format(pb, a->last)));
		json_object_set_new(o, "current", json_boolean(a->current));
		json_object_set_new(o, "budget", json_integer(a->budget));
		json_object_set_new(o, "tolerance", json_integer(a->limit));
		json_object_set_new(o, "forecast_variance", json_integer(a->variance));
		json_object_set_new(o, "forecast_variance_now", json_integer(a->variance_now));
		json_object_set_new(o, "since", json_string(s75_date_format(d, a->since)));
		json_object_set_new(o, "deadline", json_string(s75_date_format(d, a->deadline)));
		json_object_set_new(o, "reported", a->reported ? json_string(s75_date_format(d, a->reported)) : json_null());
		json_object_set_new(o, "reported_to", a->reported_to ? json_string(a->reported_to) : json_null());
		json_object_set_new(o, "working_days", a->reported ? json_integer(a->working_days) : json_null());
		alert_status(a, as_of, &code);
		json_object_set_new(o, "status", json_string(code));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "alerts", arr);
	return root;
}

int s75_report_alerts(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period period,
		      s75_date as_of, const s75_report_options *o)
{
	s75_alerts *al = NULL;
	char pb[16], d[11];
	int rc;
	*out = NULL;
	if ((rc = s75_alerts_build(&al, db, ag, period)))
		return rc;
	s75_buf params = S75_BUF_INIT, line = S75_BUF_INIT;
	s75_buf_printf(&params, "%s, as of %s", s75_period_format(pb, period), s75_date_format(d, as_of));
	s75_doc *doc = s75_report_doc_new(ag, "Tolerance alerts", params.ptr, o);
	if (!al->tolerance.present) {
		s75_doc_warning(doc, "the agreement states no tolerance ('tolerance' with a percent or an amount): there is nothing to alert on");
	} else {
		s75_buf_puts(&line, "Tolerance: a forecast variance, either way, beyond ");
		if (al->tolerance.bp > 0) {
			s75_bp_format(&line, al->tolerance.bp);
			s75_buf_puts(&line, "% of the element's budget");
		}
		if (al->tolerance.bp > 0 && al->tolerance.amount > 0)
			s75_buf_puts(&line, " or ");
		if (al->tolerance.amount > 0)
			s75_money_format(&line, al->tolerance.amount, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
		s75_buf_printf(&line, ", reported to the partners within %d working days (England and Wales bank holidays).",
			       al->tolerance.working_days);
		s75_doc_para(doc, line.ptr);
		size_t late = 0;
		for (size_t i = 0; i < al->n; i++)
			late += s75_alert_overdue(&al->items[i], as_of);
		s75_buf_reset(&line);
		s75_buf_printf(&line, "%zu breach%s of tolerance in %s to %s; %zu not reported in time.", al->n,
			       al->n == 1 ? "" : "es", s75_fy_format(d, period.fy), pb, late);
		s75_doc_para(doc, line.ptr);
	}
	s75_doc_table(doc, alerts_table(ag, al, as_of));
	s75_doc_csv(doc, alerts_table(ag, al, as_of));
	s75_doc_json(doc, alerts_json(ag, al, as_of));
	s75_buf_release(&params);
	s75_buf_release(&line);
	s75_alerts_free(al);
	*out = doc;
	return 0;
}
