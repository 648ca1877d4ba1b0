/* s75 check [FILE]: validate an agreement, then its statutory contents. */
#include <stdio.h>

#include "cli.h"

int cmd_check(int argc, char **argv, cli_ctx *ctx)
{
	int strict = 0, ledger = 0, first;
	const cli_opt opts[] = {
		{"strict", 0, OPT_FLAG, NULL, "exit 1 on warnings too", &strict},
		{"ledger", 0, OPT_FLAG, NULL, "check the workspace's ledger and forecasts too", &ledger},
		{"agreement", 0, OPT_STRING, "FILE", "the agreement file (default agreement.yaml)", NULL},
		{0},
	};
	const cli_spec spec = {
		"check", "[--strict] [--ledger] [FILE]",
		"Validates the agreement file: unknown keys, missing fields, duplicate ids, references\n"
		"to partners, pools and elements that do not exist, bad dates and amounts. Every\n"
		"problem is printed to stderr as FILE:LINE:COL: error: message. Then checks the\n"
		"statutory contents of each pooled fund (SI 2000/617) and warns for each one missing,\n"
		"and warns of gaps in each year's inputs: contributions without budgets, budgets that\n"
		"do not sum to the contributions, pooled_from outside its year, savings delivering\n"
		"more than their amount or made by a partner not funding the element, risk-share\n"
		"rules naming a partner outside the pool. With --ledger, also the workspace (s75.db):\n"
		"years with no actuals, periods with actuals but no forecast, stale forecasts,\n"
		"forecasts below the actual to date, and batches in no quarterly report or annual\n"
		"return received yet. Exit 0 when there are no errors, 1 when there are (or, with\n"
		"--strict, any warning).",
		opts, 0, 1};
	s75_diags d = S75_DIAGS_INIT;
	s75_agreement *ag = NULL;
	size_t present = 0, expected = 0;
	s75_buf out = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *path = first < argc ? argv[first] : ctx->agreement_path;

	rc = s75_agreement_load(&ag, path, &d);
	if (rc == S75_EIO) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (ag) {
		s75_agreement_check_statutory(ag, &d, &present, &expected);
		s75_agreement_check_budgets(ag, &d);
		s75_agreement_check_inputs(ag, &d);
	}
	if (ag && ledger) {
		s75_db *db = NULL;
		if (s75_db_open(&db, CLI_DB_PATH, 0) || s75_ledger_check(&d, db, ag, s75_db_location(db))) {
			cli_error("%s", s75_error_last());
			s75_db_close(db);
			s75_diags_release(&d);
			s75_agreement_free(ag);
			return EXIT_BAD_INPUT;
		}
		s75_db_close(db);
	}
	s75_diags_format(&d, &out);
	fputs(out.ptr, stderr);
	printf("%s: %zu error%s, %zu warning%s", path, d.nerrors, d.nerrors == 1 ? "" : "s",
	       d.nwarnings, d.nwarnings == 1 ? "" : "s");
	if (ag)
		printf("; statutory contents: %zu of %zu present", present, expected);
	printf("\n");
	rc = d.nerrors || (strict && d.nwarnings) ? EXIT_BAD_INPUT : EXIT_OK;
	s75_buf_release(&out);
	s75_diags_release(&d);
	s75_agreement_free(ag);
	return rc;
}
