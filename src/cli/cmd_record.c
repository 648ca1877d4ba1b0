/* s75 record meeting|decision|receipt: the governance logs, one entry at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A required date option. */
static int need_date(const char *arg, const char *name, s75_date *out)
{
	if (!arg) {
		cli_error("--%s is needed (YYYY-MM-DD)", name);
		return EXIT_USAGE;
	}
	if (s75_date_parse(out, arg)) {
		cli_error("--%s: %s", name, s75_error_last());
		return EXIT_USAGE;
	}
	return 0;
}

static int record_meeting(int argc, char **argv, cli_ctx *ctx)
{
	const char *body = NULL, *date = NULL, *present = NULL, *received = NULL, *note = NULL;
	int pub = 0, first;
	const cli_opt opts[] = {
	    {"body", 'b', OPT_STRING, "BODY", "the governance body (its id in the agreement)",
	     &body},
	    {"date", 'd', OPT_STRING, "DATE", "the day it met", &date},
	    {"public", 0, OPT_FLAG, NULL, "it met in public", &pub},
	    {"present", 0, OPT_STRING, "WHO", "members present: PARTNER:N,... or a number",
	     &present},
	    {"received", 0, OPT_STRING, "ITEMS",
	     "reports received: ITEM:PERIOD;... (e.g. quarterly-report:2017/18 Q1)", &received},
	    {"note", 0, OPT_STRING, "TEXT", "a note (e.g. the minutes' reference)", &note},
	    {0},
	};
	const cli_spec spec = {
	    "record meeting",
	    "--body BODY --date DATE [--public] [--present WHO] [--received ITEMS]",
	    "Records a meeting of a governance body: whether it was in public, the members "
	    "present\n"
	    "by partner (checked against the body's quorum), and the reports it received (items:\n"
	    "quarterly-report for a quarter, annual-return, schedules or risk-assessment for a\n"
	    "financial year). The audit log records it.",
	    opts,
	    0,
	    0};
	s75_meeting_input in;
	int64_t id;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!body) {
		cli_error("--body is needed");
		return EXIT_USAGE;
	}
	memset(&in, 0, sizeof(in));
	if ((rc = need_date(date, "date", &in.date)))
		return rc;
	in.body = body;
	in.public_meeting = pub;
	in.present = present;
	in.received = received;
	in.note = note;
	if (s75_meeting_record(ctx->db, ctx->ag, &in, cli_now(), &id)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	const s75_gov_body *b =
	    &s75_agreement_governance(ctx->ag)->bodies[s75_agreement_find_body(ctx->ag, body)];
	const char *why = NULL;
	/* read it back to say whether it was quorate */
	s75_meeting *all;
	size_t n;
	bool quorate = true;
	if (!s75_meetings_list(&all, &n, ctx->db, ctx->ag, body)) {
		for (size_t i = 0; i < n; i++)
			if (all[i].id == id)
				quorate = s75_meeting_quorate(ctx->ag, b, &all[i], &why);
		s75_meetings_free(all, n);
	}
	printf("recorded meeting %lld of %s on %s%s", (long long)id, body, date,
	       pub ? ", in public" : "");
	if (b->quorum_members || b->quorum_each_partner)
		printf(quorate ? " (quorate)" : " (not quorate: %s)", why ? why : "");
	printf("\n");
	return EXIT_OK;
}

static int record_decision(int argc, char **argv, cli_ctx *ctx)
{
	const char *id = NULL, *body = NULL, *date = NULL, *approves = NULL, *summary = NULL;
	int first;
	const cli_opt opts[] = {
	    {"id", 0, OPT_STRING, "ID", "its id (default: the next free dN)", &id},
	    {"body", 'b', OPT_STRING, "BODY", "the governance body, or the partner, that took it",
	     &body},
	    {"date", 'd', OPT_STRING, "DATE", "the day it was taken", &date},
	    {"approves", 0, OPT_STRING, "WHAT",
	     "what it approved: variation:ID, schedules:YEAR, kpi:ID, ...", &approves},
	    {"summary", 0, OPT_STRING, "TEXT", "the decision in words", &summary},
	    {0},
	};
	const cli_spec spec = {
	    "record decision",
	    "[--id ID] --body BODY --date DATE --approves WHAT --summary TEXT",
	    "Records a decision and what it approved: variation:ID (a variation in the "
	    "agreement),\n"
	    "schedules:YEAR, budget:YEAR, kpi:ID, risk:ID, risk-register:YEAR, pool:ID, "
	    "function:ID,\n"
	    "arrangement:ID, notice:N, agreement, or other:TEXT. References are checked against "
	    "the\n"
	    "agreement. A variation's decision must be recorded for the governance check to pass.",
	    opts,
	    0,
	    0};
	s75_decision_input in;
	char *got = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!body || !approves || !summary) {
		cli_error("--body, --approves and --summary are needed");
		return EXIT_USAGE;
	}
	memset(&in, 0, sizeof(in));
	if ((rc = need_date(date, "date", &in.date)))
		return rc;
	in.id = id;
	in.body = body;
	in.approves = approves;
	in.summary = summary;
	if (s75_decision_record(ctx->db, ctx->ag, &in, cli_now(), &got)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("recorded decision %s of %s on %s: approves %s\n", got, body, date, approves);
	free(got);
	return EXIT_OK;
}

static int record_receipt(int argc, char **argv, cli_ctx *ctx)
{
	const char *body = NULL, *item = NULL, *period = NULL, *date = NULL;
	int first;
	const cli_opt opts[] = {
	    {"body", 'b', OPT_STRING, "BODY", "the governance body that received it", &body},
	    {"item", 0, OPT_STRING, "ITEM",
	     "quarterly-report, annual-return, schedules or risk-assessment", &item},
	    {"period", 'p', OPT_STRING, "P", "the quarter (2017/18 Q1) or year (2017/18) it covers",
	     &period},
	    {"date", 'd', OPT_STRING, "DATE", "the day it was received", &date},
	    {0},
	};
	const cli_spec spec = {
	    "record receipt",
	    "--body BODY --item ITEM --period P --date DATE",
	    "Records a report a governance body received outside a meeting (e.g. the quarterly\n"
	    "report circulated to its members).",
	    opts,
	    0,
	    1};
	s75_date d;
	s75_buf pjoin = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_period_join(&period, &pjoin, first, argc, argv))
		return EXIT_USAGE;
	if (!body || !item || !period) {
		cli_error("--body, --item and --period are needed");
		s75_buf_release(&pjoin);
		return EXIT_USAGE;
	}
	if ((rc = need_date(date, "date", &d))) {
		s75_buf_release(&pjoin);
		return rc;
	}
	rc = s75_receipt_record(ctx->db, ctx->ag, body, item, period, d, cli_now());
	if (rc)
		cli_error("%s", s75_error_last());
	else
		printf("recorded %s for %s received by %s on %s\n", item, period, body, date);
	s75_buf_release(&pjoin);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

int cmd_record(int argc, char **argv, cli_ctx *ctx)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		FILE *fp = argc < 2 ? stderr : stdout;
		fprintf(
		    fp,
		    "usage: s75 record meeting --body BODY --date DATE [--public] [--present WHO] "
		    "[--received ITEMS]\n"
		    "       s75 record decision [--id ID] --body BODY --date DATE --approves WHAT "
		    "--summary TEXT\n"
		    "       s75 record receipt --body BODY --item ITEM --period P --date DATE\n"
		    "       s75 record payment --partner P --date DATE --amount AMOUNT\n"
		    "       s75 record saving --saving ID --period P --delivered AMOUNT [--forecast-rest AMOUNT]\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "meeting"))
		return record_meeting(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "decision"))
		return record_decision(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "receipt"))
		return record_receipt(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "payment"))
		return record_payment(argc - 1, argv + 1, ctx);
	if (!strcmp(argv[1], "saving"))
		return record_saving(argc - 1, argv + 1, ctx);
	cli_error("'%s' is not something to record (meeting, decision, receipt, payment, saving)", argv[1]);
	return EXIT_USAGE;
}
