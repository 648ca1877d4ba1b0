/* s75 import packages FILE; s75 report packages: the care-package register. */
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
	s75_table *t = s75_report_packages_import_totals(r);
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
	s75_report_options o = S75_REPORT_OPTIONS_INIT;
	o.pool = id;
	int p = s75_report_pool_index(ag, &o);
	if (p < -1) {
		cli_error("%s", s75_error_last());
		return -2;
	}
	return p;
}

int cmd_report_packages(int argc, char **argv, cli_ctx *ctx)
{
	const char *date = NULL, *pool = NULL, *format = "table", *output = NULL, *units = NULL;
	int first;
	const cli_opt opts[] = {
		{"date", 'd', OPT_STRING, "DATE", "the day to report at (default: today)", &date},
		{"pool", 0, OPT_STRING, "POOL", "one pool (default: every pool)", &pool},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report packages", "[--date D] [--pool P] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
		"The care-package register at a date: the packages active that day, counted and\n"
		"costed for a full year from it at the terms then in force (net of client\n"
		"contributions), by funding category, service type and paying partner; and the\n"
		"reviews overdue (next review before the date) and due in the next 90 days.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	s75_date on;
	s75_doc *doc = NULL;
	int pi, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if ((rc = cli_date(date, &on)))
		return rc;
	if ((pi = cli_pool(ag, pool)) < -1)
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_packages(&doc, ctx->db, ag, pi, on, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(doc, fmt, unit, output);
}
