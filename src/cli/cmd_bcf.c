/* s75 bcf plan|check|return: the Better Care Fund pool's plan, the check of the national
 * conditions (exit 1 when one is not met) and the national return (docs/bcf.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* table, xlsx, html: the formats a document renders to */
#define BCF_FORMATS ((1u << FMT_TABLE) | (1u << FMT_XLSX) | (1u << FMT_HTML))

typedef enum { BCF_PLAN, BCF_CHECK, BCF_RETURN } bcf_verb;

static int run(int argc, char **argv, cli_ctx *ctx, bcf_verb verb)
{
	const char *year = NULL, *pool = NULL, *format = "table", *units = NULL, *output = NULL,
		   *as_of = NULL, *quarter = NULL;
	int first;
	const cli_opt plan_opts[] = {
	    {"year", 0, OPT_STRING, "YEAR", "the year (default: the agreement's latest)", &year},
	    {"pool", 0, OPT_STRING, "POOL", "the BCF pool (default: the only one)", &pool},
	    {"format", 'f', OPT_STRING, "FMT", "table, xlsx or html (default table)", &format},
	    CLI_UNITS_OUTPUT_OPTS(units, output),
	    {0},
	};
	const cli_opt check_opts[] = {
	    {"year", 0, OPT_STRING, "YEAR", "the year (default: the agreement's latest)", &year},
	    {"pool", 0, OPT_STRING, "POOL", "the BCF pool (default: the only one)", &pool},
	    {"as-of", 0, OPT_STRING, "DATE", "decisions and transfers up to DATE (default: today)",
	     &as_of},
	    {"format", 'f', OPT_STRING, "FMT", "table, xlsx or html (default table)", &format},
	    CLI_UNITS_OUTPUT_OPTS(units, output),
	    {0},
	};
	const cli_opt return_opts[] = {
	    {"year", 0, OPT_STRING, "YEAR", "the year (default: the agreement's latest)", &year},
	    {"quarter", 'q', OPT_STRING, "Q", "quarter 1 to 4 (default: the year-end return)",
	     &quarter},
	    {"pool", 0, OPT_STRING, "POOL", "the BCF pool (default: the only one)", &pool},
	    {"format", 'f', OPT_STRING, "FMT", "table, xlsx or html (default table)", &format},
	    CLI_UNITS_OUTPUT_OPTS(units, output),
	    {0},
	};
	const cli_spec specs[] = {
	    {"bcf plan", "[--year Y] [--pool P] [--format table|xlsx|html]",
	     "The Better Care Fund plan of a year: planned expenditure by scheme (its scheme type,\n"
	     "commissioner, provider, area of spend, cost centres and funding streams), by scheme\n"
	     "type and by funding stream, each stream's total against its income from the\n"
	     "contributions, and the pool's contributions. The pool names its national framework\n"
	     "and its plan file in the agreement (bcf: {framework: ID, plan: FILE}).",
	     plan_opts, 0, 0},
	    {"bcf check", "[--year Y] [--pool P] [--as-of DATE] [--format table|xlsx|html]",
	     "Proves each national condition of the framework from the figures: the NHS\n"
	     "contribution at least the minimum, the minimum spends (adult social care, the\n"
	     "out-of-hospital ring-fence), each pass-through (the DFG to the district councils, in\n"
	     "full and on time, from the ledger's transfers), each stream's income and expenditure\n"
	     "balancing; and lists each assurance with the decision that evidences it.\n"
	     "Exit 0 when every condition is met, 1 when one is not.",
	     check_opts, 0, 0},
	    {"bcf return", "[--year Y] [--quarter Q] [--pool P] [--format table|xlsx|html]",
	     "The national return for a quarter, or the year-end return: income by funding\n"
	     "stream, expenditure by scheme type and by scheme (planned, and actual to the\n"
	     "quarter's end from the ledger, with the cost centres each figure sums), the metrics\n"
	     "against the area's ambitions, and the national conditions confirmed.",
	     return_opts, 0, 0},
	};
	cli_format fmt;
	s75_unit unit;
	s75_diags dg = S75_DIAGS_INIT;
	s75_bcf *b = NULL;
	s75_date day = 0;
	int fy, q = 0, pi = -1, rc;

	rc = cli_parse(&specs[verb], argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, BCF_FORMATS, &fmt, units, &unit))
		return EXIT_USAGE;
	if (verb == BCF_CHECK && cli_date(as_of, &day))
		return EXIT_USAGE;
	if (quarter) {
		if (strlen(quarter) != 1 || quarter[0] < '1' || quarter[0] > '4') {
			cli_error("--quarter: '%s' is not a quarter (1 to 4)", quarter);
			return EXIT_USAGE;
		}
		q = quarter[0] - '0';
	}
	if ((rc = cli_year(ctx->ag, year, &fy)))
		return rc;
	if (pool && (pi = cli_pool(ctx->ag, pool)) < 0)
		return pi == -2 ? EXIT_BAD_INPUT : EXIT_USAGE;
	if ((rc = s75_bcf_load(&b, ctx->ag, pi, &dg))) {
		if (rc == S75_EINVALID) {
			s75_buf e = S75_BUF_INIT;
			s75_diags_format(&dg, &e);
			fputs(e.ptr, stderr);
			s75_buf_release(&e);
			cli_error("the Better Care Fund framework or plan has %zu error%s", dg.nerrors,
				  dg.nerrors == 1 ? "" : "s");
		} else {
			cli_error("%s", s75_error_last());
		}
		s75_diags_release(&dg);
		return EXIT_BAD_INPUT;
	}
	s75_diags_release(&dg);
	if (verb != BCF_PLAN && !ctx->db && s75_db_open(&ctx->db, CLI_DB_PATH, 0)) {
		cli_error("%s", s75_error_last());
		s75_bcf_free(b);
		return EXIT_BAD_INPUT;
	}
	s75_doc *doc = NULL;
	size_t failed = 0;
	s75_report_options ro = cli_report_options(fmt);
	rc = s75_report_bcf(&doc, &failed, b, ctx->db, ctx->ag,
			    verb == BCF_PLAN ? S75_BCF_PLAN : verb == BCF_CHECK ? S75_BCF_CHECK : S75_BCF_RETURN,
			    fy, q, day, &ro);
	s75_bcf_free(b);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	rc = cli_output_doc(doc, fmt, unit, output);
	if (rc == EXIT_OK && verb == BCF_CHECK && failed)
		return EXIT_BAD_INPUT;
	return rc;
}

int cmd_bcf(int argc, char **argv, cli_ctx *ctx)
{
	static const char *const verbs[] = {"plan", "check", "return"};
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 bcf plan [--year Y] [--pool P] [--format F]\n"
			    "       s75 bcf check [--year Y] [--pool P] [--as-of DATE] [--format F]\n"
			    "       s75 bcf return [--year Y] [--quarter Q] [--pool P] [--format F]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (int v = 0; v < 3; v++)
		if (!strcmp(argv[1], verbs[v]))
			return run(argc - 1, argv + 1, ctx, (bcf_verb)v);
	cli_error("'%s' is not a bcf command (plan, check, return)", argv[1]);
	return EXIT_USAGE;
}
