/* s75 import actuals|forecasts FILE; s75 import undo BATCH. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Progress on stderr for a large file on a terminal. */
static void show_progress(void *data, long long done, long long total, long rows)
{
	(void)data;
	if (total > 0)
		fprintf(stderr, "\rimporting: %3lld%% (%ld rows)", done * 100 / total, rows);
	else
		fprintf(stderr, "\rimporting: %ld rows", rows);
}

/* Renders a table of the import's summary to `fp`, if there is one. */
static void put_table(FILE *fp, s75_table *t, bool gap)
{
	s75_buf out = S75_BUF_INIT;
	if (!t)
		return;
	s75_table_render_text(t, &out, S75_UNIT_POUNDS);
	if (gap)
		fputc('\n', fp);
	fputs(out.ptr, fp);
	s75_buf_release(&out);
	s75_table_free(t);
}

static void print_result(const s75_import_result *r, const char *file, int rc)
{
	for (size_t i = 0; i < r->nerrors; i++)
		fprintf(stderr, "%s\n", r->errors[i]);
	if (r->error_count > (long)r->nerrors)
		fprintf(stderr, "... and %ld more\n", r->error_count - (long)r->nerrors);
	put_table(stderr, s75_report_import_unknown(r), false);
	if (rc == S75_EEXISTS) {
		cli_error("'%s' was imported already, as batch %lld on %s (undo it first to import it again)",
			  file, (long long)r->duplicate_of, r->duplicate_at);
	} else if (rc && r->rows_read == 0) {
		cli_error("nothing imported from '%s'", file);
	} else if (rc) {
		/* all or nothing: the good rows were read and checked but not imported */
		long good = r->rows_read - r->rows_rejected - r->rows_skipped - r->rows_outside;
		char more[96] = "", out[48] = "";
		if (r->rows_outside)
			snprintf(out, sizeof(out), ", %ld outside the pool", r->rows_outside);
		if (r->rows_skipped)
			snprintf(more, sizeof(more), ", %ld skipped%s", r->rows_skipped, out);
		else
			snprintf(more, sizeof(more), "%s", out);
		cli_error("nothing imported from '%s': %ld row%s read, %ld good, %ld bad%s%s", file,
			  r->rows_read, r->rows_read == 1 ? "" : "s", good, r->rows_rejected, more,
			  r->rows_rejected && good > 0 ? " (use --reject-file to import the good rows)"
						       : "");
	} else {
		printf("imported '%s' as batch %lld: %ld rows read, %ld imported, %ld rejected", file,
		       (long long)r->batch_id, r->rows_read, r->rows_imported, r->rows_rejected);
		if (r->rows_skipped)
			printf(", %ld skipped", r->rows_skipped);
		if (r->rows_outside)
			printf(", %ld outside the pool", r->rows_outside);
		if (r->rows_prior)
			printf(", %ld dated in a closed period posted to the first open one (prior-period items: s75 period list)",
			       r->rows_prior);
		printf("\nsha256 %s\n\n", r->sha256);
		put_table(stdout, s75_report_import_totals(r), false);
		put_table(stdout, s75_report_import_skipped(r), true);
	}
}

static int import_file(int argc, char **argv, cli_ctx *ctx, int forecasts)
{
	const char *profile = NULL, *reject = NULL, *period = NULL;
	int first, quiet = 0, late = 0;
	const char *year = NULL;
	const cli_opt aopts[] = {
		{"profile", 'p', OPT_STRING, "ID", "import profile (default: standard)", &profile},
		{"period", 0, OPT_STRING, "P", "the period of the whole file, for files with no date (2017/18 P6 or 2017-09)", &period},
		{"year", 0, OPT_STRING, "Y", "the financial year of period codes that name none (Month 5, P05)", &year},
		{"reject-file", 0, OPT_STRING, "OUT", "import the good rows; write the bad ones to OUT", &reject},
		{"late-to-open", 0, OPT_FLAG, NULL, "post rows dated in a closed period to the first open one", &late},
		{"quiet", 'q', OPT_FLAG, NULL, "no progress on stderr", &quiet},
		{0},
	};
	const cli_opt fopts[] = {
		{"period", 0, OPT_STRING, "P", "the period the forecasts are made at (2017/18 P6 or 2017-09)", &period},
		{"reject-file", 0, OPT_STRING, "OUT", "import the good rows; write the bad ones to OUT", &reject},
		{"quiet", 'q', OPT_FLAG, NULL, "no progress on stderr", &quiet},
		{0},
	};
	const cli_spec aspec = {
		"import actuals", "FILE [--profile ID] [--reject-file OUT] [--period P] [--year Y] [--late-to-open]",
		"Imports a partner's general-ledger extract in one transaction. Any bad row means\n"
		"nothing is imported, and every bad row is listed as FILE:LINE: reason; with\n"
		"--reject-file the good rows are imported and the bad ones written, unchanged but\n"
		"for a last 'reason' column, to OUT. Rows the profile says are not transactions or\n"
		"are outside the pool are counted, not imported. A file whose content was imported\n"
		"before is refused. A row dated in a closed period (s75 period close) is a bad row;\n"
		"with --late-to-open it is posted to the first open period, a prior-period item.\n"
		"Prints the control totals.",
		aopts, 1, 1};
	const cli_spec fspec = {
		"import forecasts", "FILE --period P [--reject-file OUT]",
		"Imports forecast outturns made at period P: a CSV with the header\n"
		"cost_centre,forecast,note (forecast in £). A later import for the same period\n"
		"replaces an earlier one's cost centres.",
		fopts, 1, 1};
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	int rc = cli_parse(forecasts ? &fspec : &aspec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *file = argv[first];
	o.profile = profile;
	o.reject_path = reject;
	o.late_to_open = late;
	o.now = cli_now();
	if (!quiet && isatty(2)) {
		o.progress = show_progress;
	}
	if (forecasts && (rc = cli_period(period, &o.period)))
		return rc;
	if (!forecasts && period) {
		if ((rc = cli_period(period, &o.period)))
			return rc;
		o.has_period = true;
	}
	if (!forecasts && year && s75_fy_parse(&o.year, year)) {
		cli_error("'%s' is not a financial year (expected e.g. 2022/23)", year);
		return EXIT_USAGE;
	}
	rc = forecasts ? s75_import_forecasts(ctx->db, ctx->ag, file, &o, &r)
		       : s75_import_actuals(ctx->db, ctx->ag, file, &o, &r);
	if (o.progress && r.rows_read >= 65536)
		fputc('\n', stderr);
	if (rc == S75_EIO && r.error_count == 0) {
		cli_error("%s", s75_error_last());
		s75_import_result_release(&r);
		return EXIT_BAD_INPUT;
	}
	print_result(&r, file, rc);
	s75_import_result_release(&r);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

static int undo(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {"import undo", "BATCH",
			       "Removes an import: its rows and its share of the aggregates. The batch\n"
			       "stays listed as undone and the audit log records it.",
			       opts, 1, 1};
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	char *end;
	errno = 0;
	long long id = strtoll(argv[first], &end, 10);
	if (*end || id <= 0 || errno == ERANGE) {
		cli_error("'%s' is not a batch number", argv[first]);
		return EXIT_USAGE;
	}
	if (s75_batch_undo(ctx->db, ctx->ag, id, cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("undid batch %lld\n", id);
	return EXIT_OK;
}

int cmd_import(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 import actuals FILE [--profile ID] [--reject-file OUT] [--period P] [--year Y]\n"
			    "       s75 import forecasts FILE --period P [--reject-file OUT]\n"
			    "       s75 import packages FILE\n"
			    "       s75 import kpi|meetings|decisions|interests|participation|savings FILE\n"
			    "       s75 import payments FILE [--profile ID]\n"
			    "       s75 import undo BATCH\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "actuals"))
		return import_file(argc - 1, argv + 1, ctx, 0);
	if (!strcmp(argv[1], "forecasts"))
		return import_file(argc - 1, argv + 1, ctx, 1);
	if (!strcmp(argv[1], "packages"))
		return cmd_import_packages(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "kpi"))
		return cmd_import_kpi(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "meetings"))
		return cmd_import_meetings(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "decisions"))
		return cmd_import_decisions(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "interests"))
		return cmd_import_interests(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "participation"))
		return cmd_import_participation(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "savings"))
		return cmd_import_savings(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "payments"))
		return cmd_import_payments(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "undo"))
		return undo(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not something to import (actuals, forecasts, packages, kpi, meetings, decisions, interests, participation, savings, payments, undo)", argv[1]);
	return EXIT_USAGE;
}
