/* s75 invoice, s75 report contributions-due, s75 record payment: instalments and arrears
 * (include/s75/arrears.h; documents by src/lib/report/arrears_report.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_invoice(int argc, char **argv, cli_ctx *ctx)
{
	const char *partner = NULL, *as_of = NULL, *format = "html", *units = "£", *output = NULL;
	int first;
	const cli_opt opts[] = {
		{"partner", 'p', OPT_STRING, "P", "the partner in arrears (its id)", &partner},
		{"as-of", 0, OPT_STRING, "DATE", "what is overdue on DATE (default today)", &as_of},
		{"format", 'f', OPT_STRING, "FMT", "html, pdf, json or table (default html)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"invoice", "--partner P [--as-of DATE] [--format html|pdf|json|table] [-o FILE]",
		"The demand to a partner for the instalments of its contribution overdue on DATE\n"
		"(its financial year): each instalment, when due, received, outstanding, days late,\n"
		"and the total to pay, from the host partner.",
		opts, 0, 0};
	cli_format fmt;
	s75_unit unit;
	s75_date at;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!partner) {
		cli_error("--partner is needed");
		return EXIT_USAGE;
	}
	if ((rc = cli_date(as_of, &at)))
		return rc;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_invoice(&d, ctx->db, ctx->ag, partner, at, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int report_contributions_due(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *as_of = NULL, *format = "table", *units = "£", *output = NULL;
	int first, fy;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "financial year (default: as-of's)", &year},
		{"as-of", 0, OPT_STRING, "DATE", "due, received and overdue on DATE (default today)", &as_of},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report contributions-due", "[--year Y] [--as-of DATE] [--format F] [--units U] [-o FILE]",
		"Lists each paying partner's instalments of the year (the agreement's 'instalments':\n"
		"its net contribution split equally, the odd pennies to the earliest): due, received\n"
		"(payments recorded with 'record payment', oldest instalment first), outstanding, and\n"
		"days late on DATE. An overdue instalment is a breach in 'governance check'.",
		opts, 0, 0};
	cli_format fmt;
	s75_unit unit;
	s75_date at;
	s75_doc *d = NULL;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if ((rc = cli_date(as_of, &at)))
		return rc;
	if (year) {
		if ((rc = cli_year(ctx->ag, year, &fy)))
			return rc;
	} else {
		fy = s75_fy_of_date(at);
	}
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_contributions_due(&d, ctx->db, ctx->ag, fy, at, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return cli_output_doc(d, fmt, unit, output);
}

int record_payment(int argc, char **argv, cli_ctx *ctx)
{
	const char *partner = NULL, *year = NULL, *date = NULL, *amount = NULL, *ref = NULL;
	int first, fy;
	const cli_opt opts[] = {
		{"partner", 'p', OPT_STRING, "P", "the partner that paid (its id)", &partner},
		{"year", 'y', OPT_STRING, "YEAR", "the year's contribution it pays (default: the date's)", &year},
		{"date", 'd', OPT_STRING, "DATE", "the day it was received", &date},
		{"amount", 0, OPT_STRING, "AMOUNT", "in £ (e.g. 250000.00)", &amount},
		{"reference", 0, OPT_STRING, "REF", "the remittance or invoice reference", &ref},
		{0},
	};
	const cli_spec spec = {
		"record payment", "--partner P --date DATE --amount AMOUNT [--year Y] [--reference REF]",
		"Records a payment of a partner's contribution received by the host (audited); it is\n"
		"set against the year's instalments oldest first (report contributions-due).",
		opts, 0, 0};
	s75_date d;
	int64_t pence, id;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (!partner || !date || !amount) {
		cli_error("--partner, --date and --amount are needed");
		return EXIT_USAGE;
	}
	if (s75_date_parse(&d, date)) {
		cli_error("--date: %s", s75_error_last());
		return EXIT_USAGE;
	}
	if (s75_money_parse(&pence, amount, strlen(amount), S75_UNIT_POUNDS, 0)) {
		cli_error("--amount: %s", s75_error_last());
		return EXIT_USAGE;
	}
	if (year) {
		if ((rc = cli_year(ctx->ag, year, &fy)))
			return rc;
	} else {
		fy = s75_fy_of_date(d);
	}
	if (s75_payment_record(ctx->db, ctx->ag, partner, fy, d, pence, ref, cli_now(), &id)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	printf("recorded payment %lld from %s on %s\n", (long long)id, partner, date);
	return EXIT_OK;
}

int cmd_import_payments(int argc, char **argv, cli_ctx *ctx)
{
	const char *profile = NULL;
	int first;
	const cli_opt opts[] = {
		{"profile", 0, OPT_STRING, "ID", "an import profile with 'reads: receipts' (default: the header date,partner,amount,reference)", &profile},
		{0},
	};
	const cli_spec spec = {
		"import payments", "FILE [--profile ID]",
		"Imports the host's receipts of the partners' contributions, as 'record payment' does one\n"
		"at a time: a partner's id or name, the day, the amount and the reference. A profile\n"
		"with 'reads: receipts' reads an ERP's export (title lines, dd/mm/yyyy dates, bracketed\n"
		"credits, a footer). All or nothing: any bad row, or a receipt already recorded (the same\n"
		"partner, day, amount and reference), means nothing is imported; each is listed as\n"
		"FILE:LINE: reason.",
		opts, 1, 1};
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *file = argv[first];
	o.profile = profile;
	o.now = cli_now();
	rc = s75_import_payments(ctx->db, ctx->ag, file, &o, &r);
	for (size_t i = 0; i < r.nerrors; i++)
		fprintf(stderr, "%s\n", r.errors[i]);
	if (r.error_count > (long)r.nerrors)
		fprintf(stderr, "... and %ld more\n", r.error_count - (long)r.nerrors);
	if (rc && !r.nerrors)
		cli_error("%s", s75_error_last());
	if (rc)
		cli_error("nothing imported from '%s': %ld row%s read, %ld bad", file, r.rows_read,
			  r.rows_read == 1 ? "" : "s", r.rows_rejected);
	else {
		printf("imported '%s': %ld row%s read, %ld payment%s recorded", file, r.rows_read,
		       r.rows_read == 1 ? "" : "s", r.rows_imported, r.rows_imported == 1 ? "" : "s");
		if (r.rows_skipped)
			printf(", %ld skipped (footer, empty)", r.rows_skipped);
		printf("\n");
	}
	s75_import_result_release(&r);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}
