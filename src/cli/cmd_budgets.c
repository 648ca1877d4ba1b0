/* s75 budgets [history|revise]: the cost-centre budgets of a year in a version (original,
 * revised, latest), a cost centre's budget history, and recording a revision
 * (include/s75/budgets.h; the lists are built by src/lib/report/budgets_report.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BUDGET_FORMATS ((1u << FMT_TABLE) | (1u << FMT_CSV) | (1u << FMT_JSON) | (1u << FMT_XLSX) | (1u << FMT_HTML))

/* The year of --period when given (it must agree with --year), else --year's. */
static int year_and_period(const s75_agreement *ag, const char *year, const char *period, int *fy,
			   int *p)
{
	int rc;
	*p = 0;
	if (period) {
		s75_period per;
		if ((rc = cli_period(period, &per)))
			return rc;
		if (year && (rc = cli_year(ag, year, fy)))
			return rc;
		if (year && *fy != per.fy) {
			char a[8], b[16];
			cli_error("--period %s is not in --year %s", s75_period_format(b, per), s75_fy_format(a, *fy));
			return EXIT_USAGE;
		}
		if ((rc = cli_year(ag, s75_fy_format((char[8]){0}, per.fy), fy)))
			return rc;
		*p = per.p;
		return 0;
	}
	return cli_year(ag, year, fy);
}

static int budgets_list(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL, *version = "original",
		   *period = NULL, *by = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year (default: the latest)", &year},
		{"version", 'v', OPT_STRING, "V", "original (default), revised or latest", &version},
		{"period", 'p', OPT_STRING, "PERIOD", "the budget in force at PERIOD (revised, latest)", &period},
		{"by", 0, OPT_STRING, "DIM", "totals by a dimension of the cost centres (e.g. scheme)", &by},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
		{0},
	};
	const cli_spec spec = {"budgets", "[--year Y] [--version original|revised|latest] [--period P] [--by DIM] [-f FMT] [-o FILE]",
			       "Lists every cost centre with its pool, element, the partner whose\n"
			       "statutory function it serves, and its budget for the year (zero if\n"
			       "none was set). JSON amounts are integer pence. --version revised shows\n"
			       "the original, the change and the revised budget with the revisions\n"
			       "recorded ('budgets revise') and their decisions; --version latest adds\n"
			       "the latest forecast outturn and which of the three is the latest.\n"
			       "--by DIM totals the budgets by the values of a dimension the agreement\n"
			       "gives the cost centres (a scheme, a funding stream) across them.",
			       opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_doc *d = NULL;
	s75_db *db = NULL;
	s75_budgets_options bo = S75_BUDGETS_OPTIONS_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, BUDGET_FORMATS, &fmt))
		return EXIT_USAGE;
	if (s75_budget_version_parse(&bo.version, version)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	if ((rc = year_and_period(ag, year, period, &bo.fy, &bo.period)))
		return rc;
	bo.by = by;
	s75_report_options ro = cli_report_options(fmt);
	if (bo.version != S75_BV_ORIGINAL || by) {
		if ((rc = cli_db_optional(&db)))
			return rc;
	}
	rc = s75_report_budget_versions(&d, db, ag, &bo, &ro);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, output);
}

static int budgets_history(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year (default: the latest)", &year},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
		{0},
	};
	const cli_spec spec = {"budgets history", "COST_CENTRE [--year Y] [-f FMT] [-o FILE]",
			       "The history of a cost centre's budget in a year: the original the\n"
			       "agreement set, then each revision of it with its decision, date, the\n"
			       "period it takes effect from, the new annual budget and the change.",
			       opts, 1, 1};
	cli_format fmt;
	s75_doc *d = NULL;
	s75_db *db = NULL;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, BUDGET_FORMATS, &fmt))
		return EXIT_USAGE;
	if ((rc = cli_year(ctx->ag, year, &fy)) || (rc = cli_db_optional(&db)))
		return rc;
	s75_report_options ro = cli_report_options(fmt);
	rc = s75_report_budget_history(&d, db, ctx->ag, fy, argv[first], &ro);
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, output);
}

static int budgets_revise(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *decision = NULL, *date = NULL, *from = NULL, *note = NULL;
	int first;
	const cli_opt opts[] = {
		{"decision", 'd', OPT_STRING, "REF", "the decision's reference (required)", &decision},
		{"date", 0, OPT_STRING, "DATE", "the day it was decided, YYYY-MM-DD (required)", &date},
		{"from", 0, OPT_STRING, "PERIOD", "the first period it takes effect in (default: the date's)", &from},
		{"year", 'y', OPT_STRING, "YEAR", "the year revised (default: --from's, else the date's)", &year},
		{"note", 'n', OPT_STRING, "TEXT", "why, for the history", &note},
		{0},
	};
	const cli_spec spec = {
		"budgets revise", "FILE --decision REF --date DATE [--from PERIOD] [--year Y] [--note TEXT]",
		"Records a revision of a year's cost-centre budgets agreed by a decision: FILE is\n"
		"cost_centre,budget[,note], the new annual budget in £ of each cost centre revised.\n"
		"It takes effect from a period (by default the date's): the periods before it keep\n"
		"their budgets, and the change is profiled over the rest of the year. A revision from\n"
		"a period closed for a cost centre's partner is refused (a closed period's reports do\n"
		"not change), as is one earlier than a revision already recorded for the same cost\n"
		"centre. The original is kept; revisions are kept as recorded, in the audit log too.",
		opts, 1, 1};
	s75_budget_revise_options o = S75_BUDGET_REVISE_OPTIONS_INIT;
	s75_db *db = NULL;
	int number, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!decision || !date) {
		cli_error("--decision and --date are needed: the decision that agreed the revision");
		return EXIT_USAGE;
	}
	if ((rc = cli_date(date, &o.decided_on)))
		return rc;
	if (from || year) {
		if ((rc = year_and_period(ctx->ag, year, from, &o.fy, &o.from)))
			return rc;
	} else {
		char fyb[8];
		if ((rc = cli_year(ctx->ag, s75_fy_format(fyb, s75_fy_of_date(o.decided_on)), &o.fy)))
			return rc;
	}
	o.decision = decision;
	o.note = note;
	o.now = cli_now();
	if ((rc = cli_db_optional(&db)))
		return rc;
	if (!db) {
		cli_error("no workspace here (s75.db): run 's75 init' first");
		return EXIT_BAD_INPUT;
	}
	cli_set_actor(db);
	rc = s75_budget_revise(&number, db, ctx->ag, argv[first], &o);
	if (!rc) {
		char fyb[8], per[16];
		s75_budget_versions *v = NULL;
		s75_period f = {o.fy, 0};
		if (!s75_budget_versions_load(&v, db, ctx->ag, o.fy) && (size_t)number <= v->nrevisions) {
			f.p = v->revisions[number - 1].from;
			printf("recorded revision R%d of %s's budgets from %s: %zu cost centre%s (decision %s)\n",
			       number, s75_fy_format(fyb, o.fy), s75_period_format(per, f),
			       v->revisions[number - 1].nlines, v->revisions[number - 1].nlines == 1 ? "" : "s",
			       decision);
		}
		s75_budget_versions_free(v);
	}
	s75_db_close(db);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}

int cmd_budgets(int argc, char **argv, cli_ctx *ctx)
{
	if (argc >= 2 && !strcmp(argv[1], "history"))
		return budgets_history(argc - 1, argv + 1, ctx);
	if (argc >= 2 && !strcmp(argv[1], "revise"))
		return budgets_revise(argc - 1, argv + 1, ctx);
	return budgets_list(argc, argv, ctx);
}
