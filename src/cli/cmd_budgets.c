/* s75 budgets: the cost-centre budgets of a year and their monthly profile. */
#include <jansson.h>

#include "cli.h"

int cmd_budgets(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year (default: the latest)", &year},
		{"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
		{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
		{0},
	};
	const cli_spec spec = {"budgets", "[--year Y] [--format table|csv|json] [-o FILE]",
			       "Lists every cost centre with its pool, element, the partner whose\n"
			       "statutory function it serves, and its budget for the year (zero if\n"
			       "none was set). JSON amounts are integer pence.",
			       opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_buf out = S75_BUF_INIT;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	const s75_year *y = s75_agreement_find_year(ag, fy);
	char fys[8];
	s75_fy_format(fys, fy);
	if (fmt == FMT_JSON) {
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
		cli_json_out(root, &out);
	} else {
		s75_buf title = S75_BUF_INIT;
		s75_buf_printf(&title, "Cost-centre budgets %s", fys);
		s75_table *t = s75_table_new(fmt == FMT_CSV ? NULL : title.ptr);
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
				cli_error("the budgets of %s add up to more than s75 can hold", fys);
				s75_table_free(t);
				s75_buf_release(&title);
				s75_buf_release(&out);
				return EXIT_BAD_INPUT;
			}
		}
		if (fmt != FMT_CSV) {
			s75_table_row(t, S75_ROW_TOTAL);
			s75_table_text(t, "Total");
			for (int i = 0; i < 4; i++)
				s75_table_empty(t);
			s75_table_money(t, total);
		}
		cli_render_table(t, fmt, S75_UNIT_POUNDS, &out);
		s75_table_free(t);
		s75_buf_release(&title);
	}
	rc = cli_write(&out, output);
	s75_buf_release(&out);
	return rc;
}
