/* s75 scenario: what-if options side by side on the same year: the options are parsed
 * here, the report is built by src/lib/report/scenario_report.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct option {
	char *name;
	s75_what_if w;
	int64_t *bp; /* owned: ratios or rebase split */
} option;


/* An amount typed on the command line: with a k or m suffix as it says (9.8m), otherwise
 * in --units (500 with --units "£'000" is £500,000). */
static int amount_parse(int64_t *out, const char *s, s75_unit unit)
{
	size_t n = strlen(s);
	bool suffix = n && (s[n - 1] == 'k' || s[n - 1] == 'm');
	return s75_money_parse(out, s, n, suffix ? S75_UNIT_POUNDS : unit, S75_MONEY_SUFFIX);
}

int cmd_scenario(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *pool = NULL, *ratios = NULL, *rebase = NULL, *variance = NULL,
		   *saving = NULL, *format = "table", *output = NULL, *units = NULL, *period = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"pool", 0, OPT_STRING, "POOL", "the pool (default: the first pooled fund)", &pool},
		{"variance", 0, OPT_STRING, "AMOUNT", "a given over- (or, negative, under-) spend, e.g. 9.8m", &variance},
		{"period", 'p', OPT_STRING, "P", "start from the forecast at P instead of the year's actuals", &period},
		{"ratios", 0, OPT_STRING, "A:B,...", "alternative fixed ratios, e.g. 70:30,60:40", &ratios},
		{"rebase", 0, OPT_STRING, "A:B,...", "contributions rebased to a new split, same total", &rebase},
		{"saving-not-delivered", 0, OPT_STRING, "PARTNER:AMOUNT", "a saving with no agreed strategy, not delivered", &saving},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"scenario", "[--year Y] [--pool P] [--variance 9.8m] [--ratios 70:30,60:40] [--rebase 70:30] [--saving-not-delivered PARTNER:AMOUNT] [--format F] [-o FILE]",
		"Puts options side by side on the same year and pool: the agreement as it stands,\n"
		"then each alternative — other fixed ratios, contributions rebased to a new split\n"
		"with the same total, a saving not delivered — with each partner's final cost and its\n"
		"difference from the agreement as it stands. The variance is the year's actual\n"
		"outturn (or the forecast at --period), or the one given with --variance.",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	option *ops = NULL;
	size_t nops = 0, np = ag ? ag->npartners : 0; /* no agreement is opened for --help */
	int fy, pi = -1, rc = cli_parse(&spec, argc, argv, &first);
	bool *in_pool = NULL;
	s75_buf params = S75_BUF_INIT;
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_output_parse(format, FMT_ALL, &fmt, units, &unit))
		return EXIT_USAGE;
	if ((rc = cli_year(ag, year, &fy)))
		return rc;
	for (size_t a = 0; a < ag->narrangements && pi < 0; a++)
		if (ag->arrangements[a].kind == S75_ARR_POOLED_FUND && (!pool || !strcmp(pool, ag->arrangements[a].id)))
			pi = (int)a;
	if (pi < 0) {
		cli_error(pool ? "no pooled fund '%s' in the agreement" : "the agreement has no pooled fund%s", pool ? pool : "");
		return EXIT_USAGE;
	}
	s75_buf_printf(&params, "year %s%s%s%s%s%s%s%s%s%s%s", year ? year : "(latest)",
		       variance ? ", variance " : "", variance ? variance : "",
		       ratios ? ", ratios " : "", ratios ? ratios : "", rebase ? ", rebase " : "",
		       rebase ? rebase : "", saving ? ", saving not delivered " : "", saving ? saving : "",
		       period ? ", forecast at " : "", period ? period : "");
	const char *spec_params = params.ptr;
	in_pool = calloc(np + 1, sizeof(bool));
	s75_pool_partners(in_pool, ag, pi, fy);

	s75_what_if base = S75_WHAT_IF_INIT;
	base.pool = pi;
	if (variance) {
		if (amount_parse(&base.variance, variance, unit)) {
			cli_error("--variance: %s", s75_error_last());
			rc = EXIT_USAGE;
			goto done;
		}
		base.has_variance = true;
	}
	ops = calloc(64, sizeof(option));
	ops[nops].name = strdup("as agreed");
	ops[nops++].w = base;
	/* each comma-separated split is one option */
	for (int kind = 0; kind < 2; kind++) {
		const char *list = kind ? rebase : ratios;
		while (list && *list && nops < 60) {
			const char *end = strchr(list, ',');
			size_t len = end ? (size_t)(end - list) : strlen(list);
			char *one = strndup(list, len);
			option *o = &ops[nops];
			o->bp = calloc(np + 1, sizeof(int64_t));
			if (cli_parse_split(ag, in_pool, one, o->bp)) {
				free(one);
				rc = EXIT_USAGE;
				goto done;
			}
			o->w = base;
			if (kind)
				o->w.rebase_bp = o->bp;
			else
				o->w.ratio_bp = o->bp;
			size_t nl = len + 32;
			o->name = malloc(nl);
			snprintf(o->name, nl, "%s %s", kind ? "contributions rebased to" : "ratios", one);
			free(one);
			nops++;
			list = end ? end + 1 : NULL;
		}
	}
	if (saving) {
		const char *colon = strchr(saving, ':');
		char id[128];
		snprintf(id, sizeof(id), "%.*s", colon ? (int)(colon - saving) : 0, saving);
		int p = colon ? s75_agreement_find_partner(ag, id) : -1;
		option *o = &ops[nops];
		o->w = base;
		if (!colon) {
			cli_error("--saving-not-delivered takes PARTNER:AMOUNT, e.g. occ:1.5m");
			rc = EXIT_USAGE;
			goto done;
		}
		if (p < 0) {
			cli_error("--saving-not-delivered: unknown partner '%s'", id);
			rc = EXIT_USAGE;
			goto done;
		}
		if (amount_parse(&o->w.saving_shortfall, colon + 1, unit) ||
		    o->w.saving_shortfall <= 0) {
			cli_error("--saving-not-delivered: %s",
				  o->w.saving_shortfall <= 0 && !s75_error_code()
					  ? "the amount must be more than zero"
					  : s75_error_last());
			rc = EXIT_USAGE;
			goto done;
		}
		o->w.saving_partner = p;
		size_t nl = strlen(saving) + 48;
		o->name = malloc(nl);
		snprintf(o->name, nl, "saving of %s not delivered", saving);
		nops++;
	}
	s75_period at;
	if (period && (rc = cli_period(period, &at)))
		goto done;
	s75_scenario_option *so = calloc(nops + 1, sizeof(*so));
	if (!so)
		abort();
	for (size_t i = 0; i < nops; i++) {
		so[i].name = ops[i].name;
		so[i].w = ops[i].w;
	}
	s75_report_options ro = cli_report_options(fmt);
	s75_doc *d = NULL;
	rc = s75_report_scenario(&d, ctx->db, ag, fy, pi, so, nops, period ? &at : NULL, spec_params,
				 &ro);
	free(so);
	if (rc) {
		cli_error("%s", s75_error_last());
		rc = EXIT_BAD_INPUT;
		goto done;
	}
	rc = cli_output_doc(d, fmt, unit, output);
done:
	for (size_t i = 0; ops && i < nops + 1; i++) {
		free(ops[i].name);
		free(ops[i].bp);
	}
	free(ops);
	free(in_pool);
	s75_buf_release(&params);
	return rc;
}
