/* Savings delivery (s75 report savings, and its section of the monitoring and quarterly
 * reports) as a document, from the plans and the deliveries recorded (compute/savings.c). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"
#include "s75/error.h"
#include "s75/money.h"
#include "s75/savings.h"

static const char *pname(const s75_agreement *ag, int i)
{
	return ag->partners[i].name ? ag->partners[i].name : ag->partners[i].id;
}

static bool wanted(const s75_saving_progress *x, int pool)
{
	return pool < 0 || x->saving->pool == pool;
}

/* One row per saving (of `pool`, or all when < 0), with a total. */
static s75_table *plans_table(const s75_agreement *ag, const s75_savings_progress *p, int pool,
			      const char *title)
{
	s75_table *t = s75_table_new(title);
	static const char *const money[] = {"Amount", "Planned to date", "Delivered to date",
					    "Variance to date", "Forecast rest of year",
					    "Forecast for the year", "Shortfall"};
	s75_table_column(t, "Saving", S75_CELL_TEXT);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Agreed strategy", S75_CELL_TEXT);
	for (size_t k = 0; k < sizeof(money) / sizeof(*money); k++)
		s75_table_column(t, money[k], S75_CELL_MONEY);
	s75_table_column(t, "RAG", S75_CELL_TEXT);
	s75_table_column_flags(t, S75_COL_RAG);
	s75_table_column(t, "Shortfall borne by", S75_CELL_TEXT);
	int64_t tot[7] = {0};
	for (size_t i = 0; i < p->n; i++) {
		const s75_saving_progress *x = &p->items[i];
		const s75_saving *s = x->saving;
		if (!wanted(x, pool))
			continue;
		const s75_arrangement *a = &ag->arrangements[s->pool];
		int64_t v[7] = {s->amount, x->planned_to_date, x->delivered_to_date,
				x->delivered_to_date - x->planned_to_date, x->forecast_rest,
				x->forecast_year, x->shortfall};
		s75_table_row(t, 0);
		s75_table_text(t, s->id);
		s75_table_text(t, a->id);
		s75_table_text(t, a->elements[s->element].id);
		s75_table_text(t, pname(ag, s->partner));
		s75_table_text(t, s->agreed ? "yes" : "no");
		for (int k = 0; k < 7; k++) {
			s75_table_money(t, v[k]);
			tot[k] += v[k];
		}
		s75_table_text(t, s75_rag_name(x->rag));
		s75_table_text(t, !x->shortfall ? "" : s->agreed ? "shared by the risk share" : pname(ag, s->partner));
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	for (int k = 0; k < 4; k++)
		s75_table_empty(t);
	for (int k = 0; k < 7; k++)
		s75_table_money(t, tot[k]);
	s75_table_empty(t);
	s75_table_empty(t);
	return t;
}

/* Planned and delivered by period, all the savings (of `pool`) together. */
static s75_table *periods_table(const s75_savings_progress *p, int pool, const char *title)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Period", S75_CELL_TEXT);
	s75_table_column(t, "Planned", S75_CELL_MONEY);
	s75_table_column(t, "Delivered", S75_CELL_MONEY);
	s75_table_column(t, "Planned to date", S75_CELL_MONEY);
	s75_table_column(t, "Delivered to date", S75_CELL_MONEY);
	int64_t cp = 0, cd = 0, tp = 0, td = 0;
	for (int k = 0; k < 12; k++) {
		int64_t pl = 0, dl = 0;
		char per[16];
		for (size_t i = 0; i < p->n; i++)
			if (wanted(&p->items[i], pool)) {
				pl += p->items[i].planned[k];
				dl += p->items[i].delivered[k];
			}
		cp += pl;
		cd += dl;
		tp += pl;
		td += dl;
		s75_table_row(t, 0);
		s75_table_text(t, s75_period_format(per, (s75_period){p->fy, k + 1}));
		s75_table_money(t, pl);
		if (k < p->period) {
			s75_table_money(t, dl);
			s75_table_money(t, cp);
			s75_table_money(t, cd);
		} else {
			s75_table_empty(t);
			s75_table_money(t, cp);
			s75_table_empty(t);
		}
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Year");
	s75_table_money(t, tp);
	s75_table_money(t, td);
	s75_table_empty(t);
	s75_table_empty(t);
	return t;
}

static json_t *savings_json(const s75_agreement *ag, const s75_savings_progress *p, int pool)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < p->n; i++) {
		const s75_saving_progress *x = &p->items[i];
		const s75_saving *s = x->saving;
		if (!wanted(x, pool))
			continue;
		json_t *o = json_object(), *jp = json_array(), *jd = json_array();
		json_object_set_new(o, "id", json_string(s->id));
		json_object_set_new(o, "pool", json_string(ag->arrangements[s->pool].id));
		json_object_set_new(o, "element", json_string(ag->arrangements[s->pool].elements[s->element].id));
		json_object_set_new(o, "partner", json_string(ag->partners[s->partner].id));
		json_object_set_new(o, "agreed_strategy", json_boolean(s->agreed));
		json_object_set_new(o, "amount", json_integer(s->amount));
		for (int k = 0; k < 12; k++) {
			json_array_append_new(jp, json_integer(x->planned[k]));
			json_array_append_new(jd, k < p->period ? json_integer(x->delivered[k]) : json_null());
		}
		json_object_set_new(o, "planned", jp);
		json_object_set_new(o, "delivered", jd);
		json_object_set_new(o, "recorded", json_boolean(x->recorded));
		json_object_set_new(o, "planned_to_date", json_integer(x->planned_to_date));
		json_object_set_new(o, "delivered_to_date", json_integer(x->delivered_to_date));
		json_object_set_new(o, "forecast_rest", json_integer(x->forecast_rest));
		json_object_set_new(o, "forecast_basis", json_string(x->forecast_from < 0  ? "agreement"
								     : x->forecast_from ? "stated"
											: "plan"));
		json_object_set_new(o, "forecast_year", json_integer(x->forecast_year));
		json_object_set_new(o, "shortfall", json_integer(x->shortfall));
		json_object_set_new(o, "rag", json_string(s75_rag_name(x->rag)));
		json_object_set_new(o, "at_risk", json_boolean(x->at_risk));
		json_object_set_new(o, "shortfall_borne_by",
				    x->shortfall && !s->agreed ? json_string(ag->partners[s->partner].id) : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* The headline: plans at risk and the shortfall, and who bears the unagreed part. */
static void headline(s75_doc *d, const s75_agreement *ag, const s75_savings_progress *p, int pool)
{
	size_t n = 0, risk = 0;
	int64_t v[3] = {0, 0, 0}; /* planned, shortfall, unagreed shortfall */
	for (size_t i = 0; i < p->n; i++) {
		const s75_saving_progress *x = &p->items[i];
		if (!wanted(x, pool))
			continue;
		n++;
		risk += x->at_risk;
		v[0] += x->saving->amount;
		v[1] += x->shortfall;
		if (!x->saving->agreed)
			v[2] += x->shortfall;
	}
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "%zu of %zu savings plan%s at risk. Planned {}; forecast shortfall {}", risk, n,
		       n == 1 ? "" : "s");
	if (v[2])
		s75_buf_puts(&b, ", of which {} has no agreed delivery strategy and is borne in full by the partner that moved it into the pool");
	s75_buf_puts(&b, ".");
	s75_doc_para_amounts(d, b.ptr, v, v[2] ? 3 : 2);
	s75_buf_release(&b);
	s75_buf_reset(&b);
	s75_buf_puts(&b, "RAG: green with no forecast shortfall and delivery to date on plan; amber behind the plan to date, or a shortfall of at most ");
	s75_bp_format(&b, ag->forecast_tolerance_bp);
	s75_buf_puts(&b, "% of the saving; red beyond. The forecast for the year is the delivery to date plus the forecast for the rest of the year (where none is stated, the plan).");
	s75_doc_para(d, b.ptr);
	s75_buf_release(&b);
}

/* The headline and the two tables, at period `pb`. */
static void body(s75_doc *d, const s75_agreement *ag, const s75_savings_progress *p, int pool,
		 const char *pb)
{
	s75_buf t = S75_BUF_INIT;
	headline(d, ag, p, pool);
	s75_buf_printf(&t, "Savings plans at %s", pb);
	s75_doc_table(d, plans_table(ag, p, pool, t.ptr));
	s75_buf_reset(&t);
	s75_buf_printf(&t, "Savings planned and delivered by period to %s", pb);
	s75_doc_table(d, periods_table(p, pool, t.ptr));
	s75_buf_release(&t);
}

/* Whether year `fy` has a saving of `pool` (every pool when < 0). */
static bool has_savings(const s75_agreement *ag, int fy, int pool)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	for (size_t i = 0; y && i < y->nsavings; i++)
		if (pool < 0 || y->savings[i].pool == pool)
			return true;
	return false;
}

int report_savings_section(s75_doc *d, json_t *root, s75_db *db, const s75_agreement *ag,
			   s75_period per, int pool, bool doc)
{
	s75_savings_progress *p = NULL;
	char pb[16];
	int rc;
	if (!has_savings(ag, per.fy, pool))
		return 0;
	if ((rc = s75_savings_progress_build(&p, db, ag, per.fy, per.p)))
		return rc;
	s75_period_format(pb, per);
	if (doc) {
		s75_doc_section(d, "Savings delivery", "savings");
		for (size_t i = 0; i < p->nwarnings; i++)
			s75_doc_warning(d, p->warnings[i]);
		body(d, ag, p, pool, pb);
	}
	if (root) {
		json_object_set_new(root, "savings", savings_json(ag, p, pool));
		json_object_set_new(root, "savings_warnings", report_warnings_json(p->warnings, p->nwarnings));
	}
	s75_savings_progress_free(p);
	return 0;
}

int s75_report_savings(s75_doc **out, s75_db *db, const s75_agreement *ag, s75_period per,
		       const s75_report_options *o)
{
	s75_savings_progress *p = NULL;
	char pb[16];
	int rc;
	*out = NULL;
	int pool = s75_report_pool_index(ag, o);
	if (pool < -1)
		return pool;
	if ((rc = s75_savings_progress_build(&p, db, ag, per.fy, per.p)))
		return rc;
	s75_period_format(pb, per);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Savings delivery %s", pb);
	if (pool >= 0)
		s75_buf_printf(&title, " — %s", ag->arrangements[pool].name);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, pb, o);
	s75_buf_release(&title);
	for (size_t i = 0; i < p->nwarnings; i++)
		s75_doc_warning(d, p->warnings[i]);
	if (!has_savings(ag, per.fy, pool))
		s75_doc_para(d, "The year states no savings plans.");
	else
		body(d, ag, p, pool, pb);
	s75_doc_csv(d, plans_table(ag, p, pool, NULL));
	json_t *root = json_object();
	json_object_set_new(root, "period", json_string(pb));
	if (pool >= 0)
		json_object_set_new(root, "pool", json_string(ag->arrangements[pool].id));
	json_object_set_new(root, "savings", savings_json(ag, p, pool));
	json_object_set_new(root, "warnings", report_warnings_json(p->warnings, p->nwarnings));
	s75_doc_json(d, root);
	s75_savings_progress_free(p);
	*out = d;
	return 0;
}
