/* s75 import packages FILE; s75 report packages: the care-package register. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --date, else today (S75_NOW when set). 0, or EXIT_USAGE after an error. */
int cli_date(const char *arg, s75_date *out)
{
	char today[11];
	if (!arg) {
		snprintf(today, sizeof(today), "%.10s", cli_now());
		arg = today;
	}
	if (s75_date_parse(out, arg)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	return 0;
}

static void print_import(const s75_import_result *r, const s75_packages_import_stats *st,
			 const char *file, int rc)
{
	s75_buf out = S75_BUF_INIT;
	for (size_t i = 0; i < r->nerrors; i++)
		fprintf(stderr, "%s\n", r->errors[i]);
	if (r->error_count > (long)r->nerrors)
		fprintf(stderr, "... and %ld more\n", r->error_count - (long)r->nerrors);
	if (rc == S75_EEXISTS) {
		cli_error("'%s' was imported already, as batch %lld on %s (undo it first to import it again)",
			  file, (long long)r->duplicate_of, r->duplicate_at);
		return;
	}
	if (rc && r->rows_read == 0) {
		cli_error("nothing imported from '%s'", file);
		return;
	}
	if (rc) {
		cli_error("nothing imported from '%s': %ld row%s read, %ld bad", file, r->rows_read,
			  r->rows_read == 1 ? "" : "s", r->rows_rejected);
		return;
	}
	printf("imported '%s' as batch %lld: %ld rows read, %ld imported, %ld rejected\n", file,
	       (long long)r->batch_id, r->rows_read, r->rows_imported, r->rows_rejected);
	printf("sha256 %s\n", r->sha256);
	printf("%ld package%s (%ld new), %ld reassessment%s, %ld terms unchanged\n\n", st->packages,
	       st->packages == 1 ? "" : "s", st->new_packages, st->reassessments,
	       st->reassessments == 1 ? "" : "s", st->unchanged);
	s75_table *t = s75_table_new("Control totals (weekly costs of the rows imported)");
	s75_table_column(t, "Partner", S75_CELL_TEXT);
	s75_table_column(t, "Kind", S75_CELL_TEXT);
	s75_table_column(t, "Rows", S75_CELL_INT);
	s75_table_column(t, "Weekly", S75_CELL_MONEY);
	for (size_t i = 0; i < r->ntotals; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, r->totals[i].partner);
		s75_table_text(t, r->totals[i].kind == S75_TXN_INCOME ? "client contributions"
								     : "cost");
		s75_table_int(t, r->totals[i].rows);
		s75_table_money(t, r->totals[i].amount);
	}
	s75_table_render_text(t, &out, S75_UNIT_POUNDS);
	fputs(out.ptr, stdout);
	s75_table_free(t);
	s75_buf_release(&out);
}

int cmd_import_packages(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {
		"import packages", "FILE",
		"Imports the care-package register (docs/packages.md) in one transaction: any bad\n"
		"row means nothing is imported, and every bad row is listed as FILE:LINE: reason.\n"
		"Columns that look like personal data (names, addresses, postcodes, dates of birth,\n"
		"NHS numbers) and columns s75 does not know are refused. A package already in the\n"
		"register takes the file's record; terms from a new effective date are a\n"
		"reassessment. A file whose content was imported before is refused.",
		opts, 1, 1};
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	s75_packages_import_stats st;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *file = argv[first];
	o.now = cli_now();
	rc = s75_import_packages(ctx->db, ctx->ag, file, &o, &r, &st);
	if (rc == S75_EIO && r.error_count == 0) {
		cli_error("%s", s75_error_last());
		s75_import_result_release(&r);
		return EXIT_BAD_INPUT;
	}
	print_import(&r, &st, file, rc);
	s75_import_result_release(&r);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

/* The pooled fund named `id`, or -1 (every pool) when NULL; -2 after an error. */
int cli_pool(const s75_agreement *ag, const char *id)
{
	if (!id)
		return -1;
	int p = s75_agreement_find_arrangement(ag, id);
	if (p < 0 || ag->arrangements[p].kind != S75_ARR_POOLED_FUND) {
		cli_error("no pooled fund '%s' in the agreement", id);
		return -2;
	}
	return p;
}

static json_t *group_json(const char *key, const char *value, const s75_pkg_group *g)
{
	json_t *o = json_object();
	json_object_set_new(o, key, json_string(value));
	json_object_set_new(o, "packages", json_integer(g->packages));
	json_object_set_new(o, "annual_cost", json_integer(g->annual));
	return o;
}

static json_t *reviews_json(const s75_agreement *ag, const s75_package *const *list, size_t n,
			    s75_date on)
{
	json_t *arr = json_array();
	char d[11];
	for (size_t i = 0; i < n; i++) {
		const s75_package *p = list[i];
		json_t *o = json_object();
		json_object_set_new(o, "package", json_string(p->id));
		json_object_set_new(o, "person", json_string(p->person));
		json_object_set_new(o, "pool", json_string(ag->arrangements[p->pool].id));
		json_object_set_new(o, "element",
				    json_string(ag->arrangements[p->pool].elements[p->element].id));
		json_object_set_new(o, "next_review", json_string(s75_date_format(d, p->next_review)));
		json_object_set_new(o, "last_review", p->has_last_review
							      ? json_string(s75_date_format(d, p->last_review))
							      : json_null());
		json_object_set_new(o, "days", json_integer(p->next_review < on ? on - p->next_review
										 : p->next_review - on));
		json_array_append_new(arr, o);
	}
	return arr;
}

static s75_table *reviews_table(const s75_agreement *ag, const s75_package *const *list,
				size_t n, s75_date on, const char *title, bool overdue)
{
	s75_table *t = s75_table_new(title);
	char d[11];
	s75_table_column(t, "Package", S75_CELL_TEXT);
	s75_table_column(t, "Person", S75_CELL_TEXT);
	s75_table_column(t, "Pool", S75_CELL_TEXT);
	s75_table_column(t, "Element", S75_CELL_TEXT);
	s75_table_column(t, "Last review", S75_CELL_TEXT);
	s75_table_column(t, "Next review", S75_CELL_TEXT);
	s75_table_column(t, overdue ? "Days overdue" : "Days to go", S75_CELL_INT);
	for (size_t i = 0; i < n; i++) {
		const s75_package *p = list[i];
		s75_table_row(t, 0);
		s75_table_text(t, p->id);
		s75_table_text(t, p->person);
		s75_table_text(t, ag->arrangements[p->pool].id);
		s75_table_text(t, ag->arrangements[p->pool].elements[p->element].id);
		s75_table_text(t, p->has_last_review ? s75_date_format(d, p->last_review) : "never");
		s75_table_text(t, s75_date_format(d, p->next_review));
		s75_table_int(t, overdue ? on - p->next_review : p->next_review - on);
	}
	return t;
}

static s75_table *summary_table(const char *title, const char *what, const char *const *names,
				 const s75_pkg_group *g, size_t n, const s75_packages_report *r,
				 bool skip_empty)
{
	s75_table *t = s75_table_new(title);
	s75_table_column(t, what, S75_CELL_TEXT);
	s75_table_column(t, "Packages", S75_CELL_INT);
	s75_table_column(t, "Annual cost", S75_CELL_MONEY);
	for (size_t i = 0; i < n; i++) {
		if (skip_empty && !g[i].packages)
			continue;
		s75_table_row(t, 0);
		s75_table_text(t, names[i]);
		s75_table_int(t, g[i].packages);
		s75_table_money(t, g[i].annual);
	}
	s75_table_row(t, S75_ROW_TOTAL | S75_ROW_STRONG);
	s75_table_text(t, "Total");
	if (skip_empty)
		s75_table_empty(t); /* partners share packages: their counts do not add up */
	else
		s75_table_int(t, r->packages);
	s75_table_money(t, r->net);
	return t;
}

int cmd_report_packages(int argc, char **argv, cli_ctx *ctx)
{
	const char *date = NULL, *pool = NULL, *format = "table", *output = NULL, *units = "£";
	int first;
	const cli_opt opts[] = {
		{"date", 'd', OPT_STRING, "DATE", "the day to report at (default: today)", &date},
		{"pool", 0, OPT_STRING, "POOL", "one pool (default: every pool)", &pool},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report packages", "[--date D] [--pool P] [--format table|csv|json|xlsx|html] [-o FILE]",
		"The care-package register at a date: the packages active that day, counted and\n"
		"costed for a full year from it at the terms then in force (net of client\n"
		"contributions), by funding category, service type and paying partner; and the\n"
		"reviews overdue (next review before the date) and due in the next 90 days.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	s75_date on;
	s75_packages_report *r;
	s75_buf out = S75_BUF_INIT;
	char d[11], d2[11];
	int pi, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if ((rc = cli_date(date, &on)))
		return rc;
	if ((pi = cli_pool(ag, pool)) < -1)
		return EXIT_USAGE;
	if (s75_packages_report_build(&r, ctx->db, ag, pi, on)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	const char *fnames[S75_FUND_COUNT], *ftitles[S75_FUND_COUNT], *snames[S75_SVC_COUNT];
	const char **pnames = calloc(ag->npartners + 1, sizeof(char *));
	int64_t overdue_cost = r->overdue_annual, due_cost = r->due_annual;
	for (int i = 0; i < S75_FUND_COUNT; i++) {
		fnames[i] = s75_funding_name((s75_funding)i);
		ftitles[i] = s75_funding_title((s75_funding)i);
	}
	for (int i = 0; i < S75_SVC_COUNT; i++)
		snames[i] = s75_service_name((s75_service)i);
	for (size_t p = 0; p < ag->npartners; p++)
		pnames[p] = ag->partners[p].id;
	s75_date_format(d, on);
	s75_date_format(d2, on + 90);
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *a;
		json_object_set_new(root, "date", json_string(d));
		json_object_set_new(root, "pool", pi >= 0 ? json_string(ag->arrangements[pi].id) : json_null());
		json_object_set_new(root, "days", json_integer(r->days));
		json_object_set_new(root, "packages", json_integer(r->packages));
		json_object_set_new(root, "gross_annual_cost", json_integer(r->gross));
		json_object_set_new(root, "client_contributions", json_integer(r->client));
		json_object_set_new(root, "annual_cost_total", json_integer(r->net));
		a = json_array();
		for (int i = 0; i < S75_FUND_COUNT; i++) {
			json_t *o = group_json("funding", fnames[i], &r->by_funding[i]);
			json_object_set_new(o, "name", json_string(ftitles[i]));
			json_array_append_new(a, o);
		}
		json_object_set_new(root, "by_funding", a);
		a = json_array();
		for (int i = 0; i < S75_SVC_COUNT; i++)
			json_array_append_new(a, group_json("service", snames[i], &r->by_service[i]));
		json_object_set_new(root, "by_service", a);
		a = json_array();
		for (size_t p = 0; p < ag->npartners; p++)
			if (r->by_partner[p].packages)
				json_array_append_new(a, group_json("id", pnames[p], &r->by_partner[p]));
		json_object_set_new(root, "by_partner", a);
		json_object_set_new(root, "reviews_overdue", json_integer((json_int_t)r->noverdue));
		json_object_set_new(root, "reviews_overdue_annual_cost", json_integer(overdue_cost));
		json_object_set_new(root, "reviews_due_90_days", json_integer((json_int_t)r->ndue));
		json_object_set_new(root, "reviews_due_annual_cost", json_integer(due_cost));
		json_object_set_new(root, "overdue", reviews_json(ag, r->overdue, r->noverdue, on));
		json_object_set_new(root, "due", reviews_json(ag, r->due, r->ndue, on));
		cli_json_out(root, &out);
	} else if (fmt == FMT_CSV) {
		s75_table *t = s75_table_new(NULL);
		s75_table_column(t, "Group", S75_CELL_TEXT);
		s75_table_column(t, "Item", S75_CELL_TEXT);
		s75_table_column(t, "Packages", S75_CELL_INT);
		s75_table_column(t, "Annual cost", S75_CELL_MONEY);
		for (int g = 0; g < 3; g++) {
			size_t n = g == 0 ? S75_FUND_COUNT : g == 1 ? S75_SVC_COUNT : ag->npartners;
			for (size_t i = 0; i < n; i++) {
				const s75_pkg_group *x = g == 0 ? &r->by_funding[i]
						       : g == 1 ? &r->by_service[i] : &r->by_partner[i];
				if (g == 2 && !x->packages)
					continue;
				s75_table_row(t, 0);
				s75_table_text(t, g == 0 ? "funding" : g == 1 ? "service" : "partner");
				s75_table_text(t, g == 0 ? fnames[i] : g == 1 ? snames[i] : pnames[i]);
				s75_table_int(t, x->packages);
				s75_table_money(t, x->annual);
			}
		}
		s75_table_row(t, 0);
		s75_table_text(t, "total");
		s75_table_text(t, "all");
		s75_table_int(t, r->packages);
		s75_table_money(t, r->net);
		s75_table_row(t, 0);
		s75_table_text(t, "reviews");
		s75_table_text(t, "overdue");
		s75_table_int(t, (int64_t)r->noverdue);
		s75_table_money(t, overdue_cost);
		s75_table_row(t, 0);
		s75_table_text(t, "reviews");
		s75_table_text(t, "due_90_days");
		s75_table_int(t, (int64_t)r->ndue);
		s75_table_money(t, due_cost);
		s75_table_render_csv(t, &out, 1);
		s75_table_free(t);
	} else {
		s75_buf b = S75_BUF_INIT;
		s75_buf_printf(&b, "Care packages at %s", d);
		s75_doc *doc = cli_doc_new(ctx, b.ptr, pi >= 0 ? ag->arrangements[pi].id : "every pool");
		s75_buf_reset(&b);
		if (pi >= 0)
			s75_buf_printf(&b, "Pool %s: ", ag->arrangements[pi].id);
		s75_buf_printf(&b, "%ld package%s active; annual cost for a full year from %s (%d days) at the terms then in force, net of client contributions.",
			       r->packages, r->packages == 1 ? "" : "s", d, r->days);
		s75_doc_para(doc, b.ptr);
		s75_doc_table(doc, summary_table("By funding", "Funding", ftitles, r->by_funding,
						 S75_FUND_COUNT, r, false));
		s75_doc_table(doc, summary_table("By service", "Service", snames, r->by_service,
						 S75_SVC_COUNT, r, false));
		s75_doc_table(doc, summary_table("By partner (the packages each pays a part of, and its part)",
						 "Partner", pnames, r->by_partner, ag->npartners, r,
						 true));
		s75_doc_section(doc, "Reviews", NULL);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Reviews overdue (next review before %s): %zu", d, r->noverdue);
		if (r->noverdue)
			s75_doc_table(doc, reviews_table(ag, r->overdue, r->noverdue, on, b.ptr, true));
		else
			s75_doc_para(doc, b.ptr);
		s75_buf_reset(&b);
		s75_buf_printf(&b, "Reviews due in the next 90 days (%s to %s): %zu", d, d2, r->ndue);
		if (r->ndue)
			s75_doc_table(doc, reviews_table(ag, r->due, r->ndue, on, b.ptr, false));
		else
			s75_doc_para(doc, b.ptr);
		s75_buf_release(&b);
		free(pnames);
		s75_packages_report_free(r);
		return cli_output_doc(doc, fmt, unit, output);
	}
	rc = cli_write(&out, output);
	s75_buf_release(&out);
	free(pnames);
	s75_packages_report_free(r);
	return rc;
}
