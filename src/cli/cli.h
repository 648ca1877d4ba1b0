/* The s75 command-line client: shared declarations of its commands. */
#ifndef S75_CLI_H
#define S75_CLI_H

#include <stdio.h>
#include "s75/s75.h"

/* Exit codes, defined once. */
enum { EXIT_OK = 0, EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

/* What a command needs opened before it runs. */
enum { NEEDS_NOTHING = 0, NEEDS_AGREEMENT = 1, NEEDS_DB = 2 };

/* The workspace database, in the current folder (after -C). */
#define CLI_DB_PATH "s75.db"

typedef struct cli_ctx {
	const char *agreement_path; /* --agreement, else "agreement.yaml" */
	s75_agreement *ag;          /* opened by main for NEEDS_AGREEMENT */
	s75_db *db;                 /* opened by main for NEEDS_DB */
} cli_ctx;

typedef int (*cli_fn)(int argc, char **argv, cli_ctx *ctx);

typedef struct cli_command {
	const char *name;
	cli_fn fn;
	unsigned needs;
	const char *summary;
} cli_command;

typedef enum { OPT_FLAG, OPT_STRING } cli_opt_kind;

/* One option of a command: drives both parsing and --help. */
typedef struct cli_opt {
	const char *name; /* long name without "--" */
	char short_name;  /* 0 if none */
	cli_opt_kind kind;
	const char *argname;
	const char *help;
	void *dest; /* int * for flags, const char ** for strings */
} cli_opt;

typedef struct cli_spec {
	const char *name;
	const char *usage;       /* after "s75 NAME " */
	const char *description; /* a paragraph for --help */
	const cli_opt *opts;     /* terminated by {0} */
	int min_args, max_args;  /* positional arguments */
} cli_spec;

/*
 * Parses argv (argv[0] is the command name) against spec. Returns 0 and sets
 * *first_arg to the index of the first positional argument; 1 after printing --help
 * (exit 0); -1 after printing a usage error (exit 2).
 */
int cli_parse(const cli_spec *spec, int argc, char **argv, int *first_arg);

/* Output formats. */
typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_XLSX, FMT_HTML, FMT_PDF } cli_format;
/* Every format a data report offers. */
#define FMT_ALL 63u
/* Parses --format's value; -1 after printing a usage error. `allowed` is a bitmask of 1<<fmt. */
int cli_format_parse(const char *s, unsigned allowed, cli_format *out);

/* The --units and --output options every data report takes. */
#define CLI_UNITS_OUTPUT_OPTS(units, output)                                                   \
	{"units", 0, OPT_STRING, "UNIT", "amounts in £, £'000 or £m (default: the agreement's reporting_unit, or £)", &(units)}, \
	{"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &(output)}

/* The unit cli_output_parse() gives when --units is not given (the agreement's
 * reporting_unit, set once the agreement is loaded). */
void cli_default_unit_set(s75_unit unit);
/* Parses --format and --units (NULL: not given, the default unit); 0, or EXIT_USAGE after
 * printing the error. */
int cli_output_parse(const char *format, unsigned allowed, cli_format *fmt, const char *units,
		     s75_unit *unit);

/* Writes `b` to stdout, or atomically to `path` when not NULL. 0 or EXIT_BAD_INPUT. */
int cli_write(const s75_buf *b, const char *path);

/* Prints an error to stderr: "s75: <msg>". */
void cli_error(const char *fmt, ...) S75_PRINTF(1, 2);

int cmd_check(int argc, char **argv, cli_ctx *ctx);
int cmd_contributions(int argc, char **argv, cli_ctx *ctx);
int cmd_init(int argc, char **argv, cli_ctx *ctx);
int cmd_backup(int argc, char **argv, cli_ctx *ctx);
int cmd_migrate(int argc, char **argv, cli_ctx *ctx);
int cmd_import(int argc, char **argv, cli_ctx *ctx);
int cmd_batches(int argc, char **argv, cli_ctx *ctx);
/* closed periods (cmd_period.c): `period close|reopen|list` */
int cmd_period(int argc, char **argv, cli_ctx *ctx);
int cmd_budgets(int argc, char **argv, cli_ctx *ctx);
int cmd_report(int argc, char **argv, cli_ctx *ctx);
int cmd_riskshare(int argc, char **argv, cli_ctx *ctx);
/* tolerance alerts (cmd_alerts.c) */
int cmd_alerts(int argc, char **argv, cli_ctx *ctx);
/* instalments and arrears (cmd_invoice.c): `invoice`, `report contributions-due`,
 * `record payment` */
int cmd_invoice(int argc, char **argv, cli_ctx *ctx);
int report_contributions_due(int argc, char **argv, cli_ctx *ctx);
/* recharges of care packages between partners (cmd_recharges.c) */
int cmd_recharges(int argc, char **argv, cli_ctx *ctx);
int record_payment(int argc, char **argv, cli_ctx *ctx);
/* savings delivery (cmd_savings.c): `record saving`, `report savings` */
int record_saving(int argc, char **argv, cli_ctx *ctx);
int report_savings(int argc, char **argv, cli_ctx *ctx);
int cmd_import_savings(int argc, char **argv, cli_ctx *ctx);
/* `import payments` (cmd_invoice.c) */
int cmd_import_payments(int argc, char **argv, cli_ctx *ctx);
int report_quarterly(int argc, char **argv, cli_ctx *ctx);
int report_annual_return(int argc, char **argv, cli_ctx *ctx);
int report_partner_statement(int argc, char **argv, cli_ctx *ctx);
int cmd_settle(int argc, char **argv, cli_ctx *ctx);
int cmd_scenario(int argc, char **argv, cli_ctx *ctx);
int cmd_exit(int argc, char **argv, cli_ctx *ctx);
int cmd_exposure(int argc, char **argv, cli_ctx *ctx);
/* care packages (cmd_packages.c): `import packages`, `report packages` */
int cmd_import_packages(int argc, char **argv, cli_ctx *ctx);
int cmd_report_packages(int argc, char **argv, cli_ctx *ctx);
/* Reads --date (default: today, or $S75_NOW's day). 0, or EXIT_USAGE after an error. */
int cli_date(const char *arg, s75_date *out);
/* The pooled fund named `id`; -1 (every pool) when NULL; -2 after an error. */
int cli_pool(const s75_agreement *ag, const char *id);
/* governance (cmd_governance.c, cmd_record.c, cmd_notice.c, cmd_status.c, cmd_history.c,
 * cmd_kpi.c): `governance`, `record`, `notice`, `status`, `history`, `import kpi|meetings|
 * decisions`, `report kpi` */
int cmd_governance(int argc, char **argv, cli_ctx *ctx);
int cmd_record(int argc, char **argv, cli_ctx *ctx);
int cmd_notice(int argc, char **argv, cli_ctx *ctx);
int cmd_status(int argc, char **argv, cli_ctx *ctx);
int cmd_history(int argc, char **argv, cli_ctx *ctx);
int cmd_import_kpi(int argc, char **argv, cli_ctx *ctx);
int cmd_import_meetings(int argc, char **argv, cli_ctx *ctx);
int cmd_import_decisions(int argc, char **argv, cli_ctx *ctx);
int cmd_import_interests(int argc, char **argv, cli_ctx *ctx);
int cmd_import_participation(int argc, char **argv, cli_ctx *ctx);
int report_kpi(int argc, char **argv, cli_ctx *ctx);
/* the Better Care Fund (cmd_bcf.c): `bcf plan|check|return` */
int cmd_bcf(int argc, char **argv, cli_ctx *ctx);
/* the web dashboard's accounts (cmd_user.c), the audit log (cmd_audit.c), the server
 * (cmd_serve.c, over src/web/) */
int cmd_user(int argc, char **argv, cli_ctx *ctx);
int cmd_audit(int argc, char **argv, cli_ctx *ctx);
int cmd_serve(int argc, char **argv, cli_ctx *ctx);
/* The audit log's actor for the command line: "cli:$USER" from "local". */
void cli_set_actor(s75_db *db);
/* Opens s75.db if the workspace has one (*out NULL if not). 0, or EXIT_BAD_INPUT. */
int cli_db_optional(s75_db **out);

/* The time to record: $S75_NOW if set (for reproducible tests), else now, ISO 8601 UTC. */
const char *cli_now(void);
/* Checks $S75_NOW when set: 0, or -1 after printing why it is not a UTC time. */
int cli_now_check(void);
/* `--period 2017/18 P6` typed without quotes: the P6 arrives as the one positional
 * argument. Joins it into `joined` and points *period at it; EXIT_USAGE (after an error)
 * for any other positional argument. */
int cli_period_join(const char **period, s75_buf *joined, int first, int argc, char **argv);
/* A split such as "70:30" over the partners marked in `in_pool`, in agreement order, as
 * basis points per partner summing to 10000; 0, or -1 after printing an error. */
int cli_parse_split(const s75_agreement *ag, const bool *in_pool, const char *text,
		    int64_t *bp);
/* Reads a period argument; 0, or EXIT_USAGE after an error. */
int cli_period(const char *arg, s75_period *out);
/* Kept for commands still being written on other branches; a new report is built in the
 * library (include/s75/report.h) and rendered with cli_output_doc. */
/* Renders a table in `fmt` (table or csv) to `out`. */
void cli_render_table(const s75_table *t, cli_format fmt, s75_unit unit, s75_buf *out);
/* A report document with the cover every report carries: what, when, the agreement
 * (file and sha256) and `params`. */
s75_doc *cli_doc_new(const cli_ctx *ctx, const char *title, const char *params);
/* The cover's provenance: now (S75_NOW, else the time) and this program's version; and
 * the form --format asks for. */
s75_report_options cli_report_options(cli_format fmt);
/* Renders `d` as text, CSV, JSON, XLSX or HTML to `output` (stdout when NULL) and frees it. */
int cli_output_doc(s75_doc *d, cli_format fmt, s75_unit unit, const char *output);

/* Dumps a JSON value with a final newline and frees it. */
struct json_t;
void cli_json_out(struct json_t *j, s75_buf *out);


/* Reads --year (or the agreement's only/latest year). 0, or EXIT_BAD_INPUT after an error. */
int cli_year(const s75_agreement *ag, const char *arg, int *fy);

#endif
