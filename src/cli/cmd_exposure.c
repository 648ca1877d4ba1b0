/* s75 exposure: what each partner could carry of a pool's variance, as a distribution. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A whole number from an option; -1 after printing an error. */
static int parse_count(const char *name, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s)
		return 0;
	v = strtoull(s, &end, 10);
	if (!*s || *end || *s == '-' || v < lo || v > hi) {
		cli_error("--%s: expected a whole number from %llu to %llu, not '%s'", name,
			  (unsigned long long)lo, (unsigned long long)hi, s);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_exposure(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *pool = NULL, *ratios = NULL, *draws = NULL, *seed = NULL,
		   *threads = NULL, *ranges = NULL, *common = NULL, *period = NULL, *bins = NULL,
		   *format = "table", *output = NULL, *units = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"pool", 0, OPT_STRING, "POOL", "the pool (default: the first pooled fund)", &pool},
		{"draws", 'n', OPT_STRING, "N", "number of draws (default 100000, at most 100000000)", &draws},
		{"seed", 0, OPT_STRING, "S", "the generator's seed (default 1)", &seed},
		{"threads", 0, OPT_STRING, "T", "threads (default 2; the result does not depend on it)", &threads},
		{"ratios", 0, OPT_STRING, "A:B,...", "alternative fixed ratios, e.g. 70:30,60:40", &ratios},
		{"ranges", 0, OPT_STRING, "FILE", "each element's P10,P50,P90 (CSV element,p10,p50,p90 in £) instead of the history", &ranges},
		{"common", 0, OPT_STRING, "PCT", "weight of the factor common to all elements (default 50)", &common},
		{"period", 'p', OPT_STRING, "P", "history: the forecast to start from (default: the latest)", &period},
		{"bins", 0, OPT_STRING, "N", "bands of each histogram (default 20)", &bins},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"exposure", "[--year Y] [--pool P] [--draws N] [--seed S] [--ratios 70:30,60:40] [--ranges FILE] [--common PCT] [--period P] [--format F] [-o FILE]",
		"A Monte Carlo of the pool's year-end variance: each draw is put through the\n"
		"agreement's own risk share (the rules settle applies) and through each alternative\n"
		"ratio, giving per partner and option the mean, P50, P90, P95 and P99 of its share,\n"
		"the probability that each cap binds and that the pool overspends. The uncertainty\n"
		"comes from the workspace's history (past forecasts against outturn at the same\n"
		"period) or from --ranges. The same seed gives the same result. docs/exposure.md.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	s75_exposure_options o = S75_EXPOSURE_OPTIONS_INIT;
	s75_expo_range *rg = NULL;
	size_t nrg = 0, nr = 0, np = ag ? ag->npartners : 0;
	int64_t *bp = NULL;
	const int64_t **bpp = NULL;
	char **names = NULL;
	bool *in_pool = NULL;
	s75_db *db = NULL;
	s75_buf params = S75_BUF_INIT;
	s75_doc *d = NULL;
	uint64_t v;
	int fy, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	o.threads = 2;
	if (parse_count("draws", draws, 1, S75_EXPOSURE_MAX_DRAWS, &o.draws) ||
	    parse_count("seed", seed, 0, UINT64_MAX, &o.seed))
		return EXIT_USAGE;
	v = (uint64_t)o.threads;
	if (parse_count("threads", threads, 1, 64, &v))
		return EXIT_USAGE;
	o.threads = (int)v;
	v = 50;
	if (parse_count("common", common, 0, 100, &v))
		return EXIT_USAGE;
	o.common_bp = (int64_t)v * 100;
	v = 20;
	if (parse_count("bins", bins, 1, 200, &v))
		return EXIT_USAGE;
	o.bins = (int)v;
	if (period) {
		if ((rc = cli_period(period, &o.period)))
			return rc;
		o.has_period = true;
	}
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	o.pool = -1;
	for (size_t a = 0; a < ag->narrangements && o.pool < 0; a++)
		if (ag->arrangements[a].kind == S75_ARR_POOLED_FUND && (!pool || !strcmp(pool, ag->arrangements[a].id)))
			o.pool = (int)a;
	if (o.pool < 0) {
		cli_error(pool ? "no pooled fund '%s' in the agreement" : "the agreement has no pooled fund%s", pool ? pool : "");
		return EXIT_USAGE;
	}
	/* the partners of the pool, for the ratios */
	in_pool = calloc(np + 1, sizeof(bool));
	const s75_year *y = s75_agreement_find_year(ag, fy);
	for (size_t k = 0; k < y->ncontributions; k++)
		if (y->contributions[k].pool == o.pool)
			in_pool[y->contributions[k].partner] = true;
	for (const char *list = ratios; list && *list;) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		names = realloc(names, (nr + 1) * sizeof(char *));
		bp = realloc(bp, (nr + 1) * (np + 1) * sizeof(int64_t));
		names[nr] = strndup(list, len);
		nr++;
		if (cli_parse_split(ag, in_pool, names[nr - 1], &bp[(nr - 1) * (np + 1)])) {
			rc = EXIT_USAGE;
			goto done;
		}
		list = end ? end + 1 : NULL;
	}
	bpp = calloc(nr + 1, sizeof(*bpp));
	for (size_t i = 0; i < nr; i++)
		bpp[i] = &bp[i * (np + 1)];
	o.ratio_bp = bpp;
	o.ratio_name = (const char *const *)names;
	o.nratios = nr;
	if (ranges) {
		if (s75_exposure_read_ranges(&rg, &nrg, ag, o.pool, ranges)) {
			cli_error("%s", s75_error_last());
			rc = EXIT_BAD_INPUT;
			goto done;
		}
		o.ranges = rg;
		o.nranges = nrg;
		o.ranges_name = ranges;
	} else if ((rc = cli_db_optional(&db))) {
		goto done;
	}
	char fys[16];
	s75_fy_format(fys, fy);
	s75_buf_printf(&params, "year %s, %llu draws, seed %llu, common factor %llu%%%s%s%s%s", fys,
		       (unsigned long long)o.draws, (unsigned long long)o.seed,
		       (unsigned long long)(o.common_bp / 100), ratios ? ", ratios " : "",
		       ratios ? ratios : "", ranges ? ", ranges " : "", ranges ? ranges : "");
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_exposure(&d, db, ag, fy, &o, params.ptr, &ro)) {
		cli_error("%s", s75_error_last());
		rc = EXIT_BAD_INPUT;
		goto done;
	}
	rc = cli_output_doc(d, fmt, unit, output);
done:
	s75_db_close(db);
	for (size_t i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	free(bp);
	free(bpp);
	free(rg);
	free(in_pool);
	s75_buf_release(&params);
	return rc;
}
