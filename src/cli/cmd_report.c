/* s75 report monitoring: the monthly monitoring report. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *row_label(const s75_agreement *ag, const s75_monitor_row *r, int which)
{
	if (which == 0)
		return r->pool >= 0 ? ag->arrangements[r->pool].id : "";
	if (which == 1)
		return r->element >= 0 ? ag->arrangements[r->pool].elements[r->element].id : "";
	return r->cost_centre >= 0 ? ag->cost_centres[r->cost_centre].code : "";
}

static void amounts_json(json_t *o, const s75_monitor_row *r)
{
	json_object_set_new(o, "budget", json_integer(r->budget));
	json_object_set_new(o, "budget_to_date", json_integer(r->budget_to_date));
	json_object_set_new(o, "actual_to_date", json_integer(r->actual_to_date));
	json_object_set_new(o, "variance_to_date", json_integer(r->variance_to_date));
	json_object_set_new(o, "forecast", json_integer(r->forecast));
	json_object_set_new(o, "forecast_variance", json_integer(r->forecast_variance));
	json_object_set_new(o, "movement", json_integer(r->movement));
	json_object_set_new(o, "expenditure_to_date", json_integer(r->expenditure_to_date));
	json_object_set_new(o, "income_to_date", json_integer(r->income_to_date));
}

static s75_table *monitoring_table(const s75_agreement *ag, const s75_monitoring *m, s75_level lvl,
				   const char *title)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	if (lvl != S75_LEVEL_POOL)
		s75_table_column(t, "Element", S75_CELL_TEXT);
	if (lvl == S75_LEVEL_COST_CENTRE)
		s75_table_column(t, "Cost centre", S75_CELL_TEXT);
	const char *cols[] = {"Budget", "Budget to date", "Actual to date", "Variance to date",
			      "Forecast", "Forecast variance", "Movement"};
	for (int i = 0; i < 7; i++)
		s75_table_column(t, cols[i], S75_CELL_MONEY);
	for (size_t i = 0; i <= m->nrows; i++) {
		const s75_monitor_row *r = i < m->nrows ? &m->rows[i] : &m->totals;
		if (i == m->nrows && !title)
			break; /* CSV: data rows only, the totals are a sum */
		s75_table_row(t, i == m->nrows ? S75_ROW_TOTAL | S75_ROW_STRONG : 0);
		s75_table_text(t, i == m->nrows ? "Total" : row_label(ag, r, 0));
		if (lvl != S75_LEVEL_POOL)
			s75_table_text(t, row_label(ag, r, 1));
		if (lvl == S75_LEVEL_COST_CENTRE)
			s75_table_text(t, row_label(ag, r, 2));
		s75_table_money(t, r->budget);
		s75_table_money(t, r->budget_to_date);
		s75_table_money(t, r->actual_to_date);
		s75_table_money(t, r->variance_to_date);
		s75_table_money(t, r->forecast);
		s75_table_money(t, r->forecast_variance);
		s75_table_money(t, r->movement);
	}
	return t;
}

/* Per pool: budget against forecast outturn by element; cumulative actual against the
 * profiled budget by month. */
static int monitoring_charts(const cli_ctx *ctx, s75_doc *d, s75_period per)
{
	const s75_agreement *ag = ctx->ag;
	int rc = 0;
	for (size_t a = 0; a < ag->narrangements && !rc; a++) {
		const s75_arrangement *arr = &ag->arrangements[a];
		if (arr->kind != S75_ARR_POOLED_FUND)
			continue;
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "%s (%s)", arr->name, arr->id);
		s75_doc_section(d, b.ptr, arr->id);
		s75_buf_release(&b);
		if (!(rc = cli_chart_elements(d, ctx, (int)a, per)))
			rc = cli_chart_cumulative(d, ctx, (int)a, per);
	}
	return rc;
}

static int monitoring(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *level = "element", *format = "table", *output = NULL,
		   *units = "£";
	int first;
	const cli_opt opts[] = {
		{"period", 'p', OPT_STRING, "P", "the period, e.g. 2017/18 P6 or 2017-09", &period},
		{"level", 'l', OPT_STRING, "LEVEL", "pool, element or cost-centre (default element)", &level},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report monitoring", "--period P [--level pool|element|cost-centre] [--format table|csv|json|xlsx|html] [-o FILE]",
		"The monthly monitoring report: annual budget, budget to date (profiled), actual to\n"
		"date (expenditure less income; transfers between partners are not spend), variance\n"
		"to date, forecast outturn, forecast variance and the movement in the forecast since\n"
		"the previous period, with totals. Variances are positive for an overspend. A forecast\n"
		"stands until it is revised: a cost centre's forecast is the latest imported at or\n"
		"before the period; where none was imported that year, the element's forecast_default\n"
		"applies. Stale forecasts, forecasts below the actual to date and missing inputs are\n"
		"warned of at the top; forecast notes are the rows' commentary.",
		opts, 0, 1};
	cli_format fmt;
	s75_period per;
	s75_level lvl;
	s75_unit unit;
	s75_monitoring *m;
	s75_buf out = S75_BUF_INIT;
	const s75_agreement *ag = ctx->ag;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	s75_buf pjoin = S75_BUF_INIT;
	rc = cli_period_join(&period, &pjoin, first, argc, argv) ||
	     cli_output_parse(format, FMT_ALL, &fmt, units, &unit) || cli_period(period, &per);
	s75_buf_release(&pjoin);
	if (rc)
		return EXIT_USAGE;
	if (!strcmp(level, "pool"))
		lvl = S75_LEVEL_POOL;
	else if (!strcmp(level, "element"))
		lvl = S75_LEVEL_ELEMENT;
	else if (!strcmp(level, "cost-centre"))
		lvl = S75_LEVEL_COST_CENTRE;
	else {
		cli_error("unknown level '%s' (expected pool, element or cost-centre)", level);
		return EXIT_USAGE;
	}
	if (s75_monitoring_build(&m, ctx->db, ag, per, lvl)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	char pbuf[16];
	s75_period_format(pbuf, per);
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *rows = json_array(), *tot = json_object();
		json_object_set_new(root, "period", json_string(pbuf));
		json_object_set_new(root, "level", json_string(level));
		for (size_t i = 0; i < m->nrows; i++) {
			const s75_monitor_row *r = &m->rows[i];
			json_t *o = json_object();
			json_object_set_new(o, "pool", json_string(row_label(ag, r, 0)));
			json_object_set_new(o, "element", r->element >= 0 ? json_string(row_label(ag, r, 1)) : json_null());
			json_object_set_new(o, "cost_centre", r->cost_centre >= 0 ? json_string(row_label(ag, r, 2)) : json_null());
			amounts_json(o, r);
			if (r->cost_centre >= 0) {
				json_object_set_new(o, "forecast_source",
						    json_string(r->forecast_imported ? "imported" : "default"));
				cli_monitor_row_json(o, r);
			}
			json_array_append_new(rows, o);
		}
		json_object_set_new(root, "rows", rows);
		json_object_set_new(root, "warnings", cli_warnings_json(m->warnings, m->nwarnings));
		amounts_json(tot, &m->totals);
		json_object_set_new(root, "totals", tot);
		cli_json_out(root, &out);
	} else if (fmt == FMT_CSV) {
		s75_table *t = monitoring_table(ag, m, lvl, NULL);
		s75_table_render_csv(t, &out, 1);
		s75_table_free(t);
	} else {
		s75_buf title = S75_BUF_INIT;
		s75_buf_printf(&title, "Monitoring %s", pbuf);
		s75_doc *d = cli_doc_new(ctx, title.ptr, pbuf);
		s75_buf_release(&title);
		for (size_t i = 0; i < m->nwarnings; i++)
			s75_doc_warning(d, m->warnings[i]);
		s75_doc_table(d, monitoring_table(ag, m, lvl, "Budget, actual and forecast outturn"));
		s75_table *ct = s75_monitoring_commentary(m, ag, -1);
		if (ct)
			s75_doc_table(d, ct);
		if ((rc = monitoring_charts(ctx, d, per))) {
			s75_doc_free(d);
			s75_monitoring_free(m);
			return rc;
		}
		s75_monitoring_free(m);
		return cli_output_doc(d, fmt, unit, output);
	}
	rc = cli_write(&out, output);
	s75_buf_release(&out);
	s75_monitoring_free(m);
	return rc;
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 report monitoring --period P [--level L] [--format F]\n"
			    "       s75 report quarterly --year Y --quarter Q [--format F]\n"
			    "       s75 report annual-return [--year Y] [--format F]\n"
			    "       s75 report partner-statement --partner P [--year Y] [--format F]\n"
			    "       s75 report packages [--date D] [--pool P] [--format F]\n"
			    "       s75 report kpi --period P [--pool P] [--format F]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "monitoring"))
		return monitoring(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "quarterly"))
		return report_quarterly(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "annual-return"))
		return report_annual_return(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "partner-statement"))
		return report_partner_statement(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "packages"))
		return cmd_report_packages(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "kpi"))
		return report_kpi(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not a report (monitoring, quarterly, annual-return, partner-statement, packages, kpi)", argv[1]);
	return EXIT_USAGE;
}
