/* s75 user add|list|disable|password: the web dashboard's accounts (include/s75/users.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* Reads one line into buf without its newline; the terminal does not echo it. 0 or -1. */
static int read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(0) && tcgetattr(0, &old) == 0;
	if (tty) {
		fputs(prompt, stderr);
		fflush(stderr);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(0, TCSAFLUSH, &quiet);
	}
	char *ok = fgets(buf, (int)size, stdin);
	if (tty) {
		tcsetattr(0, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok)
		return -1;
	size_t len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return 0;
}

static int user_add(int argc, char **argv, cli_ctx *ctx)
{
	const char *role = NULL, *partner = NULL, *pool = NULL;
	int first;
	const cli_opt opts[] = {
		{"role", 0, OPT_STRING, "ROLE", "pool-manager, partner, board or auditor", &role},
		{"partner", 0, OPT_STRING, "P", "the partner the account belongs to (a partner's finance lead, a board member)", &partner},
		{"pool", 0, OPT_STRING, "ID", "limit the account to one pooled fund", &pool},
		{0},
	};
	const cli_spec spec = {
		"user add", "EMAIL --role ROLE [--partner P] [--pool ID]",
		"Adds an account to the web dashboard (s75 serve). It cannot log in until\n"
		"'s75 user password EMAIL' sets its password. A partner account sees the pools its\n"
		"partner takes part in (or only --pool); a board account with --partner or --pool\n"
		"is limited the same way.",
		opts, 1, 1};
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	s75_role r;
	if (!role) {
		cli_error("'user add' needs --role (pool-manager, partner, board, auditor)");
		return EXIT_USAGE;
	}
	if (s75_role_parse(&r, role)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	if (partner && s75_agreement_find_partner(ctx->ag, partner) < 0) {
		cli_error("'%s' is not a partner of the agreement", partner);
		return EXIT_BAD_INPUT;
	}
	if (pool) {
		int a = s75_agreement_find_arrangement(ctx->ag, pool);
		if (a < 0 || ctx->ag->arrangements[a].kind != S75_ARR_POOLED_FUND) {
			cli_error("'%s' is not a pooled fund of the agreement", pool);
			return EXIT_BAD_INPUT;
		}
		if (partner && !s75_agreement_partner_in_pool(ctx->ag,
							      s75_agreement_find_partner(ctx->ag, partner), a)) {
			cli_error("partner '%s' takes no part in pool '%s'", partner, pool);
			return EXIT_BAD_INPUT;
		}
	}
	if ((r == S75_ROLE_POOL_MANAGER || r == S75_ROLE_AUDITOR) && (partner || pool)) {
		cli_error("the %s role sees every pool: no --partner or --pool", s75_role_name(r));
		return EXIT_USAGE;
	}
	if (s75_user_add(ctx->db, argv[first], r, partner, pool, cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("added %s (%s); set its password with 's75 user password %s'\n", argv[first],
	       s75_role_name(r), argv[first]);
	return EXIT_OK;
}

static int user_list(int argc, char **argv, cli_ctx *ctx)
{
	const char *format = "table";
	int first;
	const cli_opt opts[] = {
		{"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
		{0},
	};
	const cli_spec spec = {"user list", "[--format table|csv|json]",
			       "Lists the dashboard's accounts: e-mail, role, partner, pool, when added\n"
			       "and disabled, whether a password is set.",
			       opts, 0, 0};
	cli_format fmt;
	s75_doc *d;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_format_parse(format, 7, &fmt))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_users(&d, ctx->db, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, S75_UNIT_POUNDS, NULL);
}

static int user_disable(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {"user disable", "EMAIL",
			       "Disables an account: it can no longer log in and its sessions end.\n"
			       "The account stays listed, and the audit log keeps what it did.",
			       opts, 1, 1};
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (s75_user_disable(ctx->db, argv[first], cli_now())) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("disabled %s\n", argv[first]);
	return EXIT_OK;
}

static int user_password(int argc, char **argv, cli_ctx *ctx)
{
	int first;
	const cli_opt opts[] = {{0}};
	const cli_spec spec = {
		"user password", "EMAIL",
		"Sets an account's password, read from the terminal (typed twice, not shown) or\n"
		"as the first line of standard input; never from an argument. It needs at least\n"
		"12 characters and must not be a common password. The account's sessions end.",
		opts, 1, 1};
	char pw[1100], again[1100];
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (read_secret("new password: ", pw, sizeof(pw))) {
		cli_error("no password given on standard input");
		return EXIT_BAD_INPUT;
	}
	if (isatty(0)) {
		if (read_secret("again: ", again, sizeof(again)) || strcmp(pw, again)) {
			cli_error("the two passwords differ");
			return EXIT_BAD_INPUT;
		}
	}
	rc = s75_user_set_password(ctx->db, argv[first], pw, cli_now());
	memset(pw, 0, sizeof(pw));
	memset(again, 0, sizeof(again));
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("set the password of %s\n", argv[first]);
	return EXIT_OK;
}

int cmd_user(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(fp, "usage: s75 user add EMAIL --role ROLE [--partner P] [--pool ID]\n"
			    "       s75 user list [--format table|csv|json]\n"
			    "       s75 user disable EMAIL\n"
			    "       s75 user password EMAIL   (the password on the terminal or stdin)\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "add"))
		return user_add(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "list"))
		return user_list(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "disable"))
		return user_disable(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "password"))
		return user_password(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not a 'user' command (add, list, disable, password)", argv[1]);
	return EXIT_USAGE;
}
