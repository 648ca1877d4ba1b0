/* What-if options side by side on the same year and pool (s75 scenario), as a document with
 * its JSON and CSV. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/error.h"
#include "s75/report.h"

typedef struct option {
	const char *name;
	s75_settlement *s;
} option;

static json_t *scenario_json(const s75_agreement *ag, const option *ops, size_t nops, size_t slot,
			     int fy, int pi)
{
	size_t np = ag->npartners;
	json_t *root = json_object(), *arr = json_array();
	char fys[8];
	json_object_set_new(root, "year", json_string(s75_fy_format(fys, fy)));
	json_object_set_new(root, "pool", json_string(ag->arrangements[pi].id));
	for (size_t i = 0; i < nops; i++) {
		const s75_settle_pool *p = &ops[i].s->pools[slot];
		json_t *o = json_object(), *parts = json_array();
		json_object_set_new(o, "option", json_string(ops[i].name));
		json_object_set_new(o, "variance", json_integer(p->variance));
		json_object_set_new(o, "reserve", json_integer(p->reserve));
		for (size_t k = 0; k < np; k++) {
			if (!p->partners[k].involved && !ops[0].s->pools[slot].partners[k].involved)
				continue;
			json_t *x = json_object();
			json_object_set_new(x, "id", json_string(ag->partners[k].id));
			json_object_set_new(x, "contribution", json_integer(p->partners[k].contribution));
			json_object_set_new(x, "variance_share", json_integer(p->partners[k].variance_share));
			json_object_set_new(x, "final_cost", json_integer(p->partners[k].final_cost));
			json_object_set_new(x, "difference", json_integer(p->partners[k].final_cost - ops[0].s->pools[slot].partners[k].final_cost));
			json_array_append_new(parts, x);
		}
		json_object_set_new(o, "partners", parts);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "options", arr);
	return root;
}

static s75_table *scenario_table(const s75_agreement *ag, const option *ops, size_t nops,
				 size_t slot, const bool *in_pool, bool csv)
{
	size_t np = ag->npartners;
	const s75_settle_pool *b0 = &ops[0].s->pools[slot];
	s75_table *t = s75_table_new(csv ? NULL : "Final cost of each partner, and its difference from the agreement as it stands");
	s75_table_column(t, "Option", S75_CELL_TEXT);
	s75_table_column(t, "Variance", S75_CELL_MONEY);
	s75_table_column_flags(t, S75_COL_ADVERSE_POSITIVE);
	for (size_t k = 0; k < np; k++) {
		if (!in_pool[k])
			continue;
		char h[160];
		snprintf(h, sizeof(h), "%s final cost", ag->partners[k].id);
		s75_table_column(t, h, S75_CELL_MONEY);
		snprintf(h, sizeof(h), "%s difference", ag->partners[k].id);
		s75_table_column(t, h, S75_CELL_MONEY);
	}
	s75_table_column(t, "Reserve", S75_CELL_MONEY);
	for (size_t i = 0; i < nops; i++) {
		const s75_settle_pool *p = &ops[i].s->pools[slot];
		s75_table_row(t, 0);
		s75_table_text(t, ops[i].name);
		s75_table_money(t, p->variance);
		for (size_t k = 0; k < np; k++) {
			if (!in_pool[k])
				continue;
			s75_table_money(t, p->partners[k].final_cost);
			s75_table_money(t, p->partners[k].final_cost - b0->partners[k].final_cost);
		}
		s75_table_money(t, p->reserve);
	}
	return t;
}

int s75_report_scenario(s75_doc **out, s75_db *db, const s75_agreement *ag, int fy, int pool,
			const s75_scenario_option *opts, size_t nopts, const s75_period *forecast_at,
			const char *params, const s75_report_options *ro)
{
	size_t np = ag->npartners, slot = 0;
	int rc = 0;
	*out = NULL;
	option *ops = calloc(nopts + 1, sizeof(option));
	bool *in_pool = calloc(np + 1, sizeof(bool));
	if (!ops || !in_pool)
		abort();
	s75_pool_partners(in_pool, ag, pool, fy);
	for (size_t i = 0; i < nopts; i++) {
		s75_settle_options so;
		memset(&so, 0, sizeof(so));
		so.what_if = &opts[i].w;
		if (forecast_at) {
			so.period = *forecast_at;
			so.forecast = true;
		}
		ops[i].name = opts[i].name;
		if ((rc = s75_settle(&ops[i].s, db, ag, fy, &so))) {
			char *msg = strdup(s75_error_last());
			s75_error_set(rc, "%s: %s", opts[i].name, msg ? msg : "");
			free(msg);
			goto done;
		}
	}
	/* the chosen pool of each option's result */
	for (size_t i = 0; nopts && i < ops[0].s->npools; i++)
		if (ops[0].s->pools[i].pool == pool)
			slot = i;
	s75_buf title = S75_BUF_INIT;
	char fys[8];
	const s75_settle_pool *b0 = &ops[0].s->pools[slot];
	s75_buf_printf(&title, "Scenarios %s, pool %s", s75_fy_format(fys, fy), ag->arrangements[pool].id);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, params, ro);
	s75_buf_reset(&title);
	s75_buf_printf(&title, "Variance {} (%s)", opts[0].w.has_variance ? "given" : forecast_at ? "forecast" : "the year's actuals");
	s75_doc_para_amounts(d, title.ptr, &b0->variance, 1);
	s75_buf_release(&title);
	s75_doc_table(d, scenario_table(ag, ops, nopts, slot, in_pool, false));
	s75_doc_csv(d, scenario_table(ag, ops, nopts, slot, in_pool, true));
	s75_doc_json(d, scenario_json(ag, ops, nopts, slot, fy, pool));
	*out = d;
done:
	for (size_t i = 0; i < nopts; i++)
		s75_settlement_free(ops[i].s);
	free(ops);
	free(in_pool);
	return rc;
}
