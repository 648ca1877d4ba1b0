/* s75 exit: what each partner would carry if a pool ended on a date
 * (src/lib/report/exit_report.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_exit(int argc, char **argv, cli_ctx *ctx)
{
	const char *pool = NULL, *date = NULL, *ratios = NULL, *format = "table", *output = NULL,
		   *units = NULL;
	int first;
	const cli_opt opts[] = {
		{"pool", 0, OPT_STRING, "POOL", "the pool (default: the only pooled fund)", &pool},
		{"date", 'd', OPT_STRING, "DATE", "the day the pool would end", &date},
		{"ratios", 0, OPT_STRING, "A:B,...", "alternative splits, e.g. 70:30,60:40", &ratios},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"exit", "--pool P --date D [--ratios 70:30,60:40] [--format table|csv|json|xlsx|html|pdf] [-o FILE]",
		"What each partner would carry if the pool ended on D: every package active that\n"
		"day, for a full year at the terms in force, split by its own funding arrangement,\n"
		"beside the same total under the agreement's risk share (the year of D, or the\n"
		"latest before it) and under the alternative splits given, with the difference per\n"
		"partner. Packages whose funding has not been reviewed in the 12 months to D are\n"
		"listed as the uncertainty in the by-package figures (docs/packages.md).",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	size_t np = 0, nr = 0;
	cli_format fmt;
	s75_unit unit;
	s75_date on;
	s75_doc *d = NULL;
	int64_t *bp = NULL;
	char **names = NULL;
	bool *in_pool = NULL;
	int pi = -1, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	np = ag->npartners; /* the agreement is not opened for --help */
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if (!date) {
		cli_error("the day the pool would end is needed (--date YYYY-MM-DD)");
		return EXIT_USAGE;
	}
	if ((rc = cli_date(date, &on)))
		return rc;
	if (pool) {
		if ((pi = cli_pool(ag, pool)) < 0)
			return EXIT_USAGE;
	} else {
		int n = 0;
		for (size_t a = 0; a < ag->narrangements; a++)
			if (ag->arrangements[a].kind == S75_ARR_POOLED_FUND && !n++)
				pi = (int)a;
		if (n != 1) {
			cli_error("the agreement has %d pooled funds: say which with --pool", n);
			return EXIT_USAGE;
		}
	}
	/* ratios are over the partners that contribute to the pool in any year */
	in_pool = calloc(np + 1, sizeof(bool));
	s75_pool_partners(in_pool, ag, pi, -1);
	for (const char *l = ratios; l && *l;) {
		const char *end = strchr(l, ',');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		bp = realloc(bp, (nr + 1) * (np + 1) * sizeof(int64_t));
		names = realloc(names, (nr + 1) * sizeof(char *));
		if (!bp || !names)
			abort();
		names[nr] = strndup(l, len);
		nr++;
		if (cli_parse_split(ag, in_pool, names[nr - 1], &bp[(nr - 1) * np])) {
			rc = EXIT_USAGE;
			goto done;
		}
		l = end ? end + 1 : NULL;
	}
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_exit(&d, ctx->db, ag, pi, on, bp, names, nr, &ro)) {
		cli_error("%s", s75_error_last());
		rc = EXIT_BAD_INPUT;
		goto done;
	}
	rc = cli_output_doc(d, fmt, unit, output);
done:
	for (size_t r = 0; r < nr; r++)
		free(names[r]);
	free(names);
	free(bp);
	free(in_pool);
	return rc;
}
