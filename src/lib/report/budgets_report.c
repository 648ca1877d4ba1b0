/* The cost-centre budgets of a year and their monthly profile (s75 budgets), as a document
 * with its JSON and CSV. */
#include <jansson.h>

#include "s75/error.h"
#include "s75/ledger.h"
#include "s75/report.h"

static json_t *budgets_json(const s75_agreement *ag, const s75_year *y, const char *fys)
{
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "year", json_string(fys));
	for (size_t i = 0; i < ag->ncost_centres; i++) {
		const s75_cost_centre *cc = &ag->cost_centres[i];
		const s75_budget *b = s75_year_find_budget(y, (int)i);
		json_t *o = json_object(), *prof = json_array();
		json_object_set_new(o, "code", json_string(cc->code));
		json_object_set_new(o, "name", cc->name ? json_string(cc->name) : json_null());
		json_object_set_new(o, "pool", json_string(ag->arrangements[cc->pool].id));
		json_object_set_new(o, "element", json_string(ag->arrangements[cc->pool].elements[cc->element].id));
		json_object_set_new(o, "partner", json_string(ag->partners[cc->partner].id));
		json_object_set_new(o, "budget", json_integer(b ? b->amount : 0));
		for (int p = 1; p <= 12; p++)
			json_array_append_new(prof, json_integer(s75_budget_to_date(b, p) -
								  s75_budget_to_date(b, p - 1)));
		json_object_set_new(o, "monthly", prof);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "cost_centres", arr);
	return root;
}

static s75_table *budgets_table(const s75_agreement *ag, const s75_year *y, const char *title,
				 bool csv)
{
	s75_table *t = s75_table_new(csv ? NULL : title);
	const char *cols[] = {"Code", "Name", "Pool", "Element", "Partner"};
	for (int i = 0; i < 5; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	s75_table_column(t, "Budget", S75_CELL_MONEY);
	int64_t total = 0;
	for (size_t i = 0; i < ag->ncost_centres; i++) {
		const s75_cost_centre *cc = &ag->cost_centres[i];
		const s75_budget *b = s75_year_find_budget(y, (int)i);
		s75_table_row(t, 0);
		s75_table_text(t, cc->code);
		s75_table_text(t, cc->name ? cc->name : "");
		s75_table_text(t, ag->arrangements[cc->pool].id);
		s75_table_text(t, ag->arrangements[cc->pool].elements[cc->element].id);
		s75_table_text(t, ag->partners[cc->partner].id);
		s75_table_money(t, b ? b->amount : 0);
		if (b && __builtin_add_overflow(total, b->amount, &total)) {
			char fys[8];
			s75_error_set(S75_EOVERFLOW, "the budgets of %s add up to more than s75 can hold",
				      s75_fy_format(fys, y->fy));
			s75_table_free(t);
			return NULL;
		}
	}
	if (!csv) {
		s75_table_row(t, S75_ROW_TOTAL);
		s75_table_text(t, "Total");
		for (int i = 0; i < 4; i++)
			s75_table_empty(t);
		s75_table_money(t, total);
	}
	return t;
}

int s75_report_budgets(s75_doc **out, const s75_agreement *ag, int fy, const s75_report_options *o)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	char fys[8];
	s75_table *t, *csv;
	*out = NULL;
	s75_fy_format(fys, fy);
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Cost-centre budgets %s", fys);
	if (!(t = budgets_table(ag, y, title.ptr, false))) {
		s75_buf_release(&title);
		return S75_EOVERFLOW;
	}
	csv = budgets_table(ag, y, NULL, true);
	s75_doc *d = s75_report_doc_new(ag, title.ptr, fys, o);
	s75_buf_release(&title);
	s75_doc_bare(d);
	s75_doc_table(d, t);
	s75_doc_csv(d, csv);
	s75_doc_json(d, budgets_json(ag, y, fys));
	*out = d;
	return 0;
}
