/* s75 — the command-line client: global options, the command table, exit codes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <unistd.h>

#include "cli.h"

static int cmd_help(int argc, char **argv, cli_ctx *ctx);
static int cmd_version(int argc, char **argv, cli_ctx *ctx);

static const cli_command commands[] = {
	{"check", cmd_check, NEEDS_NOTHING, "validate the agreement and its statutory contents"},
	{"contributions", cmd_contributions, NEEDS_AGREEMENT,
	 "the contributions schedule of a year: gross, income, grants, net, % share"},
	{"init", cmd_init, NEEDS_AGREEMENT, "create the workspace database (s75.db) beside the agreement"},
	{"import", cmd_import, NEEDS_AGREEMENT | NEEDS_DB,
	 "import a ledger extract, forecasts, care packages or savings delivery; undo an import"},
	{"batches", cmd_batches, NEEDS_DB, "list the imports with their control totals"},
	{"period", cmd_period, NEEDS_AGREEMENT | NEEDS_DB,
	 "close a reconciled period (later rows refused or posted on), reopen it, list them"},
	{"budgets", cmd_budgets, NEEDS_AGREEMENT, "cost-centre budgets of a year"},
	{"report", cmd_report, NEEDS_AGREEMENT | NEEDS_DB, "reports: monitoring, quarterly, annual-return, partner-statement, kpi, packages, savings"},
	{"invoice", cmd_invoice, NEEDS_AGREEMENT | NEEDS_DB,
	 "the demand to a partner for the instalments of its contribution in arrears"},
	{"recharges", cmd_recharges, NEEDS_AGREEMENT | NEEDS_DB,
	 "recharge statements of care packages one partner pays for another, numbered once issued"},
	{"alerts", cmd_alerts, NEEDS_AGREEMENT | NEEDS_DB,
	 "breaches of the tolerance of a forecast variance, and whether each was reported in time"},
	{"riskshare", cmd_riskshare, NEEDS_AGREEMENT | NEEDS_DB,
	 "the projected split of the forecast variance, step by step"},
	{"settle", cmd_settle, NEEDS_AGREEMENT | NEEDS_DB,
	 "the year-end settlement and the balancing payments"},
	{"scenario", cmd_scenario, NEEDS_AGREEMENT | NEEDS_DB,
	 "what-if: other ratios, rebased contributions, a given variance, a saving not delivered"},
	{"exposure", cmd_exposure, NEEDS_AGREEMENT,
	 "risk exposure: each partner's share of the variance as a distribution (Monte Carlo)"},
	{"exit", cmd_exit, NEEDS_AGREEMENT | NEEDS_DB,
	 "what each partner would carry if a pool ended: by package, by risk share, by ratios"},
	{"governance", cmd_governance, NEEDS_AGREEMENT,
	 "governance check (every breach, exit 1 if any), risk register, meetings and decisions"},
	{"record", cmd_record, NEEDS_AGREEMENT | NEEDS_DB,
	 "record a meeting, a decision, a report received, a payment, a saving's delivery"},
	{"notice", cmd_notice, NEEDS_AGREEMENT,
	 "record a notice to end the agreement, a pool or a function; the day it takes effect"},
	{"status", cmd_status, NEEDS_AGREEMENT,
	 "where the agreement and each arrangement stand: active, under notice, ended"},
	{"history", cmd_history, NEEDS_AGREEMENT,
	 "the changes: schedules agreed, variations (with their decisions), notices"},
	{"bcf", cmd_bcf, NEEDS_AGREEMENT,
	 "Better Care Fund: the plan by scheme and stream, the national conditions, the returns"},
	{"user", cmd_user, NEEDS_AGREEMENT | NEEDS_DB,
	 "the web dashboard's accounts: add, list, disable, set a password"},
	{"backup", cmd_backup, NEEDS_DB, "an online copy of the workspace's s75.db"},
	{"migrate", cmd_migrate, NEEDS_DB, "copy the workspace into PostgreSQL and prove the copy"},
	{"audit", cmd_audit, NEEDS_DB, "the audit log: every write and login, who, when, from where"},
	{"serve", cmd_serve, NEEDS_AGREEMENT | NEEDS_DB,
	 "the pool's web dashboard for the partners, the board and the auditor"},
	{"help", cmd_help, NEEDS_NOTHING, "list the commands"},
	{"version", cmd_version, NEEDS_NOTHING, "print the version"},
	{NULL, NULL, 0, NULL},
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: s75 [-C DIR] [--agreement FILE] COMMAND [options]\n\n"
		    "Section 75 pooled budgets: agreements, contributions, ledgers, risk share.\n\n"
		    "commands:\n");
	for (const cli_command *c = commands; c->name; c++)
		fprintf(fp, "  %-15s %s\n", c->name, c->summary);
	fprintf(fp, "\n's75 COMMAND --help' describes a command and its options.\n"
		    "The agreement is 'agreement.yaml' in the current folder (or DIR), or FILE.\n");
}

static int cmd_help(int argc, char **argv, cli_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	usage(stdout);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv, cli_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	printf("s75 %s\n", s75_version());
	return EXIT_OK;
}

void cli_set_actor(s75_db *db)
{
	const char *who = getenv("USER");
	struct passwd *pw = who && *who ? NULL : getpwuid(getuid());
	if (pw)
		who = pw->pw_name;
	s75_buf actor = S75_BUF_INIT;
	s75_buf_printf(&actor, "cli:%s", who && *who ? who : "?");
	s75_db_set_actor(db, actor.ptr, "local");
	s75_buf_release(&actor);
}

/* Prints the diagnostics of a failed load. */
static void print_diags(const s75_diags *d)
{
	s75_buf b = S75_BUF_INIT;
	s75_diags_format(d, &b);
	fputs(b.ptr, stderr);
	s75_buf_release(&b);
}

static int open_agreement(cli_ctx *ctx)
{
	s75_diags d = S75_DIAGS_INIT;
	int rc = s75_agreement_load(&ctx->ag, ctx->agreement_path, &d);
	if (rc == S75_EIO) {
		cli_error("%s (use -C DIR or --agreement FILE)", s75_error_last());
	} else if (rc) {
		/* errors only: warnings are for 'check' */
		s75_diags errs = S75_DIAGS_INIT;
		for (size_t i = 0; i < d.n; i++)
			if (d.items[i].level == S75_DIAG_ERROR)
				s75_diags_add(&errs, S75_DIAG_ERROR, d.items[i].file, d.items[i].pos,
					      "%s", d.items[i].msg);
		print_diags(&errs);
		cli_error("'%s' has %zu error%s; run 's75 check' for details", ctx->agreement_path,
			  d.nerrors, d.nerrors == 1 ? "" : "s");
		s75_diags_release(&errs);
	}
	s75_diags_release(&d);
	if (!rc && ctx->ag->has_reporting_unit)
		cli_default_unit_set(ctx->ag->reporting_unit);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

/* Removes `--agreement FILE` / `--agreement=FILE` from a command's arguments. */
static int take_agreement_opt(int *argc, char **argv, cli_ctx *ctx)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--agreement")) {
			if (i + 1 >= *argc) {
				cli_error("option '--agreement' needs a value");
				return -1;
			}
			ctx->agreement_path = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--agreement=", 12)) {
			ctx->agreement_path = argv[i] + 12;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	cli_ctx ctx = {"agreement.yaml", NULL, NULL};
	const cli_command *cmd = NULL;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				cli_error("option '-C' needs a folder");
				return EXIT_USAGE;
			}
			if (chdir(argv[++i])) {
				cli_error("cannot change to '%s': %s", argv[i], strerror(errno));
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--agreement")) {
			if (i + 1 >= argc) {
				cli_error("option '--agreement' needs a value");
				return EXIT_USAGE;
			}
			ctx.agreement_path = argv[++i];
		} else if (!strncmp(argv[i], "--agreement=", 12)) {
			ctx.agreement_path = argv[i] + 12;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			return cmd_version(0, NULL, &ctx);
		} else {
			cli_error("unknown option '%s'", argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_now_check())
		return EXIT_USAGE;
	for (const cli_command *c = commands; c->name; c++)
		if (!strcmp(c->name, argv[i]))
			cmd = c;
	if (!cmd) {
		cli_error("'%s' is not an s75 command; see 's75 help'", argv[i]);
		return EXIT_USAGE;
	}
	argc -= i;
	argv += i;
	if (take_agreement_opt(&argc, argv, &ctx))
		return EXIT_USAGE;
	/* --help needs nothing opened */
	int wants_help = 0;
	for (int k = 1; k < argc && strcmp(argv[k], "--"); k++)
		wants_help |= !strcmp(argv[k], "-h") || !strcmp(argv[k], "--help");
	if ((cmd->needs & NEEDS_AGREEMENT) && !wants_help && (rc = open_agreement(&ctx)))
		return rc;
	if ((cmd->needs & NEEDS_DB) && !wants_help && s75_db_open(&ctx.db, CLI_DB_PATH, 0)) {
		cli_error("%s", s75_error_last());
		s75_agreement_free(ctx.ag);
		return EXIT_BAD_INPUT;
	}
	if (ctx.db)
		cli_set_actor(ctx.db);
	rc = cmd->fn(argc, argv, &ctx);
	s75_db_close(ctx.db);
	s75_agreement_free(ctx.ag);
	/* a full disk must not give a truncated report with exit 0 */
	if (fflush(stdout) || ferror(stdout)) {
		cli_error("cannot write the output: %s", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	return rc;
}
