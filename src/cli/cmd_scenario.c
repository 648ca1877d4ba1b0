/* s75 scenario: what-if options side by side on the same year. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct option {
	char *name;
	s75_what_if w;
	int64_t *bp; /* owned: ratios or rebase split */
	s75_settlement *s;
} option;


int cmd_scenario(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *pool = NULL, *ratios = NULL, *rebase = NULL, *variance = NULL,
		   *saving = NULL, *format = "table", *output = NULL, *units = "£", *period = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"pool", 0, OPT_STRING, "POOL", "the pool (default: the first pooled fund)", &pool},
		{"variance", 0, OPT_STRING, "AMOUNT", "a given over- (or, negative, under-) spend, e.g. 9.8m", &variance},
		{"period", 'p', OPT_STRING, "P", "start from the forecast at P instead of the year's actuals", &period},
		{"ratios", 0, OPT_STRING, "A:B,...", "alternative fixed ratios, e.g. 70:30,60:40", &ratios},
		{"rebase", 0, OPT_STRING, "A:B,...", "contributions rebased to a new split, same total", &rebase},
		{"saving-not-delivered", 0, OPT_STRING, "PARTNER:AMOUNT", "a saving with no agreed strategy, not delivered", &saving},
		{"format", 'f', OPT_STRING, "FMT", "table, csv, json, xlsx or html (default table)", &format},
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
	s75_buf out = S75_BUF_INIT;
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
	const s75_year *y = s75_agreement_find_year(ag, fy);
	for (size_t k = 0; k < y->ncontributions; k++)
		if (y->contributions[k].pool == pi)
			in_pool[y->contributions[k].partner] = true;

	s75_what_if base = S75_WHAT_IF_INIT;
	base.pool = pi;
	if (variance) {
		if (s75_money_parse(&base.variance, variance, strlen(variance), S75_UNIT_POUNDS,
				    S75_MONEY_SUFFIX)) {
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
		if (s75_money_parse(&o->w.saving_shortfall, colon + 1, strlen(colon + 1),
				    S75_UNIT_POUNDS, S75_MONEY_SUFFIX) ||
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
	for (size_t i = 0; i < nops; i++) {
		s75_settle_options so;
		memset(&so, 0, sizeof(so));
		so.what_if = &ops[i].w;
		if (period) {
			if ((rc = cli_period(period, &so.period)))
				goto done;
			so.forecast = true;
		}
		if (s75_settle(&ops[i].s, ctx->db, ag, fy, &so)) {
			cli_error("%s: %s", ops[i].name, s75_error_last());
			rc = EXIT_BAD_INPUT;
			goto done;
		}
	}
	/* the chosen pool of each option's result */
	size_t slot = 0;
	for (size_t i = 0; i < ops[0].s->npools; i++)
		if (ops[0].s->pools[i].pool == pi)
			slot = i;
	if (fmt == FMT_JSON) {
		json_t *root = json_object(), *arr = json_array();
		char fys[8];
		json_object_set_new(root, "year", json_string(s75_fy_format(fys, fy)));
		json_object_set_new(root, "pool", json_string(ag->arrangements[pi].id));
		for (size_t i = 0; i < nops; i++) {
			const s75_settle_pool *p = &ops[i].s->pools[slot];
			json_t *o = json_object(), *parts = json_array();
			json_object_set_new(o, "option", json_string(ops[i].name));
			json_object_set_new(o, "variance", json_integer(p->variance));
			json_object_set_new(o, "reserve", json_integer(p->reserve));
			for (size_t k = 0; k < np; k++) {
				if (!p->partners[k].involved && !ops[0].s->pools[slot].partners[k].involved)
					continue;
				json_t *x = json_object();
				json_object_set_new(x, "id", json_string(ag->partners[k].id));
				json_object_set_new(x, "contribution", json_integer(p->partners[k].contribution));
				json_object_set_new(x, "variance_share", json_integer(p->partners[k].variance_share));
				json_object_set_new(x, "final_cost", json_integer(p->partners[k].final_cost));
				json_object_set_new(x, "difference", json_integer(p->partners[k].final_cost - ops[0].s->pools[slot].partners[k].final_cost));
				json_array_append_new(parts, x);
			}
			json_object_set_new(o, "partners", parts);
			json_array_append_new(arr, o);
		}
		json_object_set_new(root, "options", arr);
		cli_json_out(root, &out);
	} else {
		s75_buf title = S75_BUF_INIT;
		char fys[8];
		const s75_settle_pool *b0 = &ops[0].s->pools[slot];
		s75_buf_printf(&title, "Scenarios %s, pool %s", s75_fy_format(fys, fy), ag->arrangements[pi].id);
		s75_table *t = s75_table_new(fmt == FMT_CSV ? NULL : "Final cost of each partner, and its difference from the agreement as it stands");
		s75_table_column(t, "Option", S75_CELL_TEXT);
		s75_table_column(t, "Variance", S75_CELL_MONEY);
		for (size_t k = 0; k < np; k++) {
			if (!in_pool[k])
				continue;
			char h[160];
			snprintf(h, sizeof(h), "%s final cost", ag->partners[k].id);
			s75_table_column(t, h, S75_CELL_MONEY);
			snprintf(h, sizeof(h), "%s difference", ag->partners[k].id);
			s75_table_column(t, h, S75_CELL_MONEY);
		}
		s75_table_column(t, "Reserve", S75_CELL_MONEY);
		for (size_t i = 0; i < nops; i++) {
			const s75_settle_pool *p = &ops[i].s->pools[slot];
			s75_table_row(t, 0);
			s75_table_text(t, ops[i].name);
			s75_table_money(t, p->variance);
			for (size_t k = 0; k < np; k++) {
				if (!in_pool[k])
					continue;
				s75_table_money(t, p->partners[k].final_cost);
				s75_table_money(t, p->partners[k].final_cost - b0->partners[k].final_cost);
			}
			s75_table_money(t, p->reserve);
		}
		if (fmt == FMT_CSV) {
			s75_table_render_csv(t, &out, 1);
			s75_table_free(t);
		} else {
			s75_doc *d = cli_doc_new(ctx, title.ptr, spec_params);
			s75_buf_reset(&title);
			s75_buf_puts(&title, "Variance £");
			s75_money_format(&title, b0->variance, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_BRACKETS);
			s75_buf_printf(&title, " (%s)", variance ? "given" : period ? "forecast" : "the year's actuals");
			s75_doc_para(d, title.ptr);
			s75_doc_table(d, t);
			s75_buf_release(&title);
			rc = cli_output_doc(d, fmt, unit, output);
			goto done;
		}
		s75_buf_release(&title);
	}
	rc = cli_write(&out, output);
done:
	for (size_t i = 0; ops && i < nops + 1; i++) {
		free(ops[i].name);
		free(ops[i].bp);
		s75_settlement_free(ops[i].s);
	}
	free(ops);
	free(in_pool);
	s75_buf_release(&params);
	s75_buf_release(&out);
	return rc;
}
