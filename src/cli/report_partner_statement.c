/* s75 report partner-statement: a partner's share of each pool for its own accounts. */
#include <string.h>

#include "cli.h"

int report_partner_statement(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *partner = NULL, *format = "table", *output = NULL, *units = "£";
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"partner", 0, OPT_STRING, "PARTNER", "the partner (its id)", &partner},
		{"format", 'f', OPT_STRING, "FMT", "table, json, xlsx or html (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report partner-statement", "--partner P [--year Y] [--format table|json|xlsx|html] [-o FILE]",
		"A partner's share of each pooled fund it is part of, for its own statutory\n"
		"accounts (a joint arrangement): its contribution, its share of the pool's other\n"
		"income, gross expenditure, surplus or deficit and reserve, in proportion to its\n"
		"final cost under the risk share, and the balance owed to it or due from it at the\n"
		"year end; with every partner's share of each line beside the annual return's\n"
		"memorandum account, which they sum to to the penny.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	s75_partner_statement *st = NULL;
	s75_buf out = S75_BUF_INIT, b = S75_BUF_INIT;
	int fy, p, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL & ~(1u << FMT_CSV), &fmt, units, &unit))
		return EXIT_USAGE;
	if (!partner) {
		cli_error("report partner-statement: --partner is required");
		return EXIT_USAGE;
	}
	if ((p = s75_agreement_find_partner(ag, partner)) < 0) {
		cli_error("--partner: the agreement has no partner '%s'", partner);
		return EXIT_USAGE;
	}
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	if (s75_partner_statement_build(&st, ctx->db, ag, fy, p)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON) {
		s75_partner_statement_json(st, ag, &out);
		rc = cli_write(&out, output);
	} else {
		char fys[16];
		s75_fy_format(fys, fy);
		s75_buf_printf(&b, "Statement of %s's share of the pooled funds %s", ag->partners[p].name, fys);
		s75_doc *d = cli_doc_new(ctx, b.ptr, fys);
		s75_partner_statement_doc(d, st, ag);
		rc = cli_output_doc(d, fmt, unit, output);
	}
	s75_partner_statement_free(st);
	s75_buf_release(&out);
	s75_buf_release(&b);
	return rc;
}
