/* s75 import kpi|meetings|decisions FILE; s75 report kpi --period P. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int import_gov(int argc, char **argv, cli_ctx *ctx, int which)
{
	static const char *const names[] = {"import kpi", "import meetings", "import decisions",
					    "import interests", "import participation",
					    "import savings"};
	static const char *const what[] = {
	    "Imports KPI values from a CSV with the header kpi,period,value and an optional note\n"
	    "column. A period is a month (2017/18 P6 or 2017-09), a quarter (2017/18 Q2), a\n"
	    "financial year (2017/18), a calendar year (2014) or a day (2017-09-30). A value for "
	    "a\n"
	    "KPI and period already held is replaced (a restatement).",
	    "Imports meetings from a CSV with the header body,date,public,present,received,note\n"
	    "(body and date required): public is yes or no; present is PARTNER:N;... or a number\n"
	    "of members; received is ITEM:PERIOD;... (e.g. quarterly-report:2017/18 Q1).",
	    "Imports decisions from a CSV with the header id,body,date,approves,summary: body is\n"
	    "a governance body or a partner; approves is what the decision approved, e.g.\n"
	    "variation:ID, schedules:2018/19, kpi:ID, risk:ID, pool:ID, other:TEXT.",
	    "Imports the register of interests of the people who sit on the bodies, from a CSV\n"
	    "with the header person,body,subject,nature,from and optional name and to columns:\n"
	    "body is a governance body; subject is what the interest is in (a provider, a\n"
	    "partner); from and to are the days it began and ended.",
	    "Imports who took part in each decision, from a CSV with the header\n"
	    "decision,person,subjects and an optional declared column: subjects are what the\n"
	    "decision concerned, declared the interests the person declared at it (each\n"
	    "separated by ;). 'governance check' reports a breach when someone with a registered\n"
	    "interest in a subject took part without declaring it.",
	    "Imports savings delivery from a CSV with the header saving,period,delivered and\n"
	    "optional forecast_rest and reference columns: saving is a saving's id in the\n"
	    "agreement, period the month delivered in (2017/18 P4 or 2017-07), delivered the amount\n"
	    "in £ and forecast_rest what is forecast for the rest of the year. A saving and period\n"
	    "already recorded, in the workspace or earlier in the file, is refused."};
	int first;
	const cli_opt opts[] = {{0}};
	cli_spec spec = {names[which], "FILE", NULL, opts, 1, 1};
	s75_buf desc = S75_BUF_INIT;
	s75_buf_printf(
	    &desc,
	    "%s\nAll or nothing: any bad row means nothing is imported, and every bad row is\n"
	    "listed as FILE:LINE: reason. The audit log records the import.",
	    what[which]);
	spec.description = desc.ptr;
	s75_gov_import_result r;
	int rc = cli_parse(&spec, argc, argv, &first);
	s75_buf_release(&desc);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *file = argv[first];
	const char *now = cli_now();
	rc = which == 0   ? s75_kpi_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 1 ? s75_meetings_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 2 ? s75_decisions_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 3 ? s75_interests_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 4 ? s75_participation_import(ctx->db, ctx->ag, file, now, &r)
	                  : s75_saving_delivery_import(ctx->db, ctx->ag, file, now, &r);
	if (rc == S75_EIO && r.error_count == 0) {
		cli_error("%s", s75_error_last());
		s75_gov_import_result_release(&r);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < r.nerrors; i++)
		fprintf(stderr, "%s\n", r.errors[i]);
	if (r.error_count > (long)r.nerrors)
		fprintf(stderr, "... and %ld more\n", r.error_count - (long)r.nerrors);
	if (rc && r.rows_read == 0)
		cli_error("nothing imported from '%s'", file);
	else if (rc)
		cli_error("nothing imported from '%s': %ld row%s read, %ld bad", file, r.rows_read,
		          r.rows_read == 1 ? "" : "s", r.error_count);
	else if (which == 0)
		printf("imported '%s': %ld row%s read, %ld value%s imported (%ld replacing values "
		       "held)\n",
		       file, r.rows_read, r.rows_read == 1 ? "" : "s", r.rows_imported,
		       r.rows_imported == 1 ? "" : "s", r.rows_replaced);
	else
		printf("imported '%s': %ld row%s read, %ld %s%s recorded\n", file, r.rows_read,
		       r.rows_read == 1 ? "" : "s", r.rows_imported,
		       which == 1   ? "meeting"
		       : which == 2 ? "decision"
		       : which == 3 ? "interest"
		       : which == 4 ? "participant"
		                    : "delivery record",
		       r.rows_imported == 1 ? "" : "s");
	s75_gov_import_result_release(&r);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

int cmd_import_kpi(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 0);
}

int cmd_import_meetings(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 1);
}

int cmd_import_decisions(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 2);
}

int cmd_import_interests(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 3);
}

int cmd_import_participation(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 4);
}

int cmd_import_savings(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 5);
}

int report_kpi(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *pool = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"period", 'p', OPT_STRING, "P",
	     "the period: 2017/18 P6, 2017-09, 2017/18 Q2 or 2017/18", &period},
	    {"pool", 0, OPT_STRING, "POOL", "one pool's KPIs (default: all)", &pool},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "report kpi",
	    "--period P [--pool POOL] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
	    "The KPI dashboard at a period: for each KPI the latest value reported for a period\n"
	    "ending by the period's end, against its baseline and its target (as in force then,\n"
	    "variations included), its RAG status (green: target met; amber: missed by no more\n"
	    "than the tolerance; red: missed by more) and its trend since the value before.",
	    opts,
	    0,
	    1};
	cli_format fmt;
	s75_rperiod p;
	s75_doc *d = NULL;
	s75_buf pjoin = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_period_join(&period, &pjoin, first, argc, argv))
		return EXIT_USAGE;
	if (cli_format_parse(format, FMT_ALL, &fmt)) {
		s75_buf_release(&pjoin);
		return EXIT_USAGE;
	}
	if (!period) {
		cli_error("a period is needed (e.g. --period 2017/18 Q2)");
		return EXIT_USAGE;
	}
	rc = s75_rperiod_parse(&p, period);
	s75_buf_release(&pjoin);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	int pi = cli_pool(ctx->ag, pool);
	if (pi == -2)
		return EXIT_BAD_INPUT;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_kpi(&d, ctx->db, ctx->ag, &p, pi, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, output);
}
