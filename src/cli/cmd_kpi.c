/* s75 import kpi|meetings|decisions FILE; s75 report kpi --period P. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int import_gov(int argc, char **argv, cli_ctx *ctx, int which)
{
	static const char *const names[] = {"import kpi", "import meetings", "import decisions",
					    "import interests", "import participation"};
	static const char *const what[] = {
	    "Imports KPI values from a CSV with the header kpi,period,value and an optional note\n"
	    "column. A period is a month (2017/18 P6 or 2017-09), a quarter (2017/18 Q2), a\n"
	    "financial year (2017/18), a calendar year (2014) or a day (2017-09-30). A value for "
	    "a\n"
	    "KPI and period already held is replaced (a restatement).",
	    "Imports meetings from a CSV with the header body,date,public,present,received,note\n"
	    "(body and date required): public is yes or no; present is PARTNER:N;... or a number\n"
	    "of members; received is ITEM:PERIOD;... (e.g. quarterly-report:2017/18 Q1).",
	    "Imports decisions from a CSV with the header id,body,date,approves,summary: body is\n"
	    "a governance body or a partner; approves is what the decision approved, e.g.\n"
	    "variation:ID, schedules:2018/19, kpi:ID, risk:ID, pool:ID, other:TEXT.",
	    "Imports the register of interests of the people who sit on the bodies, from a CSV\n"
	    "with the header person,body,subject,nature,from and optional name and to columns:\n"
	    "body is a governance body; subject is what the interest is in (a provider, a\n"
	    "partner); from and to are the days it began and ended.",
	    "Imports who took part in each decision, from a CSV with the header\n"
	    "decision,person,subjects and an optional declared column: subjects are what the\n"
	    "decision concerned, declared the interests the person declared at it (each\n"
	    "separated by ;). 'governance check' reports a breach when someone with a registered\n"
	    "interest in a subject took part without declaring it."};
	int first;
	const cli_opt opts[] = {{0}};
	cli_spec spec = {names[which], "FILE", NULL, opts, 1, 1};
	s75_buf desc = S75_BUF_INIT;
	s75_buf_printf(
	    &desc,
	    "%s\nAll or nothing: any bad row means nothing is imported, and every bad row is\n"
	    "listed as FILE:LINE: reason. The audit log records the import.",
	    what[which]);
	spec.description = desc.ptr;
	s75_gov_import_result r;
	int rc = cli_parse(&spec, argc, argv, &first);
	s75_buf_release(&desc);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	const char *file = argv[first];
	const char *now = cli_now();
	rc = which == 0   ? s75_kpi_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 1 ? s75_meetings_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 2 ? s75_decisions_import(ctx->db, ctx->ag, file, now, &r)
	     : which == 3 ? s75_interests_import(ctx->db, ctx->ag, file, now, &r)
	                  : s75_participation_import(ctx->db, ctx->ag, file, now, &r);
	if (rc == S75_EIO && r.error_count == 0) {
		cli_error("%s", s75_error_last());
		s75_gov_import_result_release(&r);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < r.nerrors; i++)
		fprintf(stderr, "%s\n", r.errors[i]);
	if (r.error_count > (long)r.nerrors)
		fprintf(stderr, "... and %ld more\n", r.error_count - (long)r.nerrors);
	if (rc && r.rows_read == 0)
		cli_error("nothing imported from '%s'", file);
	else if (rc)
		cli_error("nothing imported from '%s': %ld row%s read, %ld bad", file, r.rows_read,
		          r.rows_read == 1 ? "" : "s", r.error_count);
	else if (which == 0)
		printf("imported '%s': %ld row%s read, %ld value%s imported (%ld replacing values "
		       "held)\n",
		       file, r.rows_read, r.rows_read == 1 ? "" : "s", r.rows_imported,
		       r.rows_imported == 1 ? "" : "s", r.rows_replaced);
	else
		printf("imported '%s': %ld row%s read, %ld %s%s recorded\n", file, r.rows_read,
		       r.rows_read == 1 ? "" : "s", r.rows_imported,
		       which == 1   ? "meeting"
		       : which == 2 ? "decision"
		       : which == 3 ? "interest"
		                    : "participant",
		       r.rows_imported == 1 ? "" : "s");
	s75_gov_import_result_release(&r);
	return rc ? EXIT_BAD_INPUT : EXIT_OK;
}

int cmd_import_kpi(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 0);
}

int cmd_import_meetings(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 1);
}

int cmd_import_decisions(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 2);
}

int cmd_import_interests(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 3);
}

int cmd_import_participation(int argc, char **argv, cli_ctx *ctx)
{
	return import_gov(argc, argv, ctx, 4);
}

/* A KPI value as text: with separators and a % for percentages when `pretty`. */
static void value_text(s75_buf *b, const s75_kpi *k, int64_t v, bool pretty)
{
	s75_kpi_value_format(b, v, pretty);
	if (pretty && k->unit == S75_KPI_PERCENT)
		s75_buf_putc(b, '%');
}

static json_t *value_json(int64_t v)
{
	s75_buf b = S75_BUF_INIT;
	s75_kpi_value_format(&b, v, false);
	json_t *j = json_string(b.ptr);
	s75_buf_release(&b);
	return j;
}

static json_t *kv_json(const s75_kpi_value *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "period", json_string(v->period));
	json_object_set_new(o, "value", value_json(v->value));
	json_object_set_new(o, "note", v->note ? json_string(v->note) : json_null());
	return o;
}

static void render_json(const s75_agreement *ag, const s75_kpi_report *r, s75_buf *out)
{
	json_t *root = json_object(), *arr = json_array();
	char d[11];
	json_object_set_new(root, "period", json_string(r->period.label));
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, r->period.end)));
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *x = &r->lines[i];
		const s75_kpi *k = &x->def;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(k->id));
		json_object_set_new(o, "pool", json_string(ag->arrangements[k->pool].id));
		json_object_set_new(o, "name", json_string(k->name));
		json_object_set_new(o, "unit", json_string(s75_kpi_unit_name(k->unit)));
		json_object_set_new(o, "better",
		                    json_string(k->better == S75_KPI_HIGHER ? "higher" : "lower"));
		if (k->has_baseline) {
			json_t *b = json_object();
			json_object_set_new(b, "value", value_json(k->baseline));
			json_object_set_new(b, "period", json_string(k->baseline_period));
			json_object_set_new(o, "baseline", b);
		} else {
			json_object_set_new(o, "baseline", json_null());
		}
		if (k->has_target) {
			json_t *t = json_object();
			json_object_set_new(t, "value", value_json(k->target));
			json_object_set_new(t, "by",
			                    k->has_target_date
			                        ? json_string(s75_date_format(d, k->target_date))
			                        : json_null());
			json_object_set_new(o, "target", t);
			json_object_set_new(o, "tolerance", value_json(k->tolerance));
		} else {
			json_object_set_new(o, "target", json_null());
			json_object_set_new(o, "tolerance", json_null());
		}
		json_object_set_new(o, "latest", x->has_latest ? kv_json(&x->latest) : json_null());
		json_object_set_new(o, "previous",
		                    x->has_previous ? kv_json(&x->previous) : json_null());
		json_object_set_new(o, "rag",
		                    x->rag ? json_string(s75_rag_name(x->rag)) : json_null());
		json_object_set_new(o, "trend",
		                    x->trend ? json_string(s75_trend_name(x->trend)) : json_null());
		json_object_set_new(o, "change_from_baseline",
		                    x->has_latest && k->has_baseline
		                        ? value_json(x->latest.value - k->baseline)
		                        : json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "kpis", arr);
	cli_json_out(root, out);
}

static void render_table(const s75_agreement *ag, const s75_kpi_report *r, cli_format fmt,
                         s75_buf *out)
{
	bool pretty = fmt != FMT_CSV;
	s75_buf title = S75_BUF_INIT, t = S75_BUF_INIT;
	char d[11];
	s75_buf_printf(&title, "KPIs at %s (to %s) — %s", r->period.label,
	               s75_date_format(d, r->period.end), ag->title);
	s75_table *tb = s75_table_new(pretty ? title.ptr : NULL);
	const char *cols[] = {"Pool",     "KPI",    "Unit",   "Better",
	                      "Baseline", "Target", "Period", "Latest",
	                      "Previous", "RAG",    "Trend",  "Since baseline"};
	for (int i = 0; i < 12; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < r->nlines; i++) {
		const s75_kpi_line *x = &r->lines[i];
		const s75_kpi *k = &x->def;
		s75_table_row(tb, 0);
		s75_table_text(tb, ag->arrangements[k->pool].id);
		s75_table_text(tb, pretty ? k->name : k->id);
		s75_table_text(tb, s75_kpi_unit_name(k->unit));
		s75_table_text(tb, k->better == S75_KPI_HIGHER ? "higher" : "lower");
		s75_buf_reset(&t);
		if (k->has_baseline) {
			value_text(&t, k, k->baseline, pretty);
			s75_buf_printf(&t, " (%s)", k->baseline_period);
		}
		s75_table_text(tb, t.ptr);
		s75_buf_reset(&t);
		if (k->has_target) {
			value_text(&t, k, k->target, pretty);
			if (k->has_target_date)
				s75_buf_printf(&t, " by %s", s75_date_format(d, k->target_date));
			if (k->tolerance) {
				s75_buf_puts(&t, " ±");
				value_text(&t, k, k->tolerance, pretty);
			}
		}
		s75_table_text(tb, t.ptr);
		s75_table_text(tb, x->has_latest ? x->latest.period : "");
		s75_buf_reset(&t);
		if (x->has_latest)
			value_text(&t, k, x->latest.value, pretty);
		s75_table_text(tb, x->has_latest ? t.ptr : "no value");
		s75_buf_reset(&t);
		if (x->has_previous) {
			value_text(&t, k, x->previous.value, pretty);
			s75_buf_printf(&t, " (%s)", x->previous.period);
		}
		s75_table_text(tb, t.ptr);
		s75_table_text(tb, s75_rag_name(x->rag));
		s75_table_text(tb, s75_trend_name(x->trend));
		s75_buf_reset(&t);
		if (x->has_latest && k->has_baseline) {
			int64_t ch = x->latest.value - k->baseline;
			if (ch > 0 && pretty)
				s75_buf_putc(&t, '+');
			value_text(&t, k, ch, pretty);
		}
		s75_table_text(tb, t.ptr);
	}
	cli_render_table(tb, fmt, S75_UNIT_POUNDS, out);
	s75_table_free(tb);
	s75_buf_release(&title);
	s75_buf_release(&t);
}

int report_kpi(int argc, char **argv, cli_ctx *ctx)
{
	const char *period = NULL, *pool = NULL, *format = "table", *output = NULL;
	int first;
	const cli_opt opts[] = {
	    {"period", 'p', OPT_STRING, "P",
	     "the period: 2017/18 P6, 2017-09, 2017/18 Q2 or 2017/18", &period},
	    {"pool", 0, OPT_STRING, "POOL", "one pool's KPIs (default: all)", &pool},
	    {"format", 'f', OPT_STRING, "FMT", "table, csv or json (default table)", &format},
	    {"output", 'o', OPT_STRING, "FILE", "write to FILE instead of stdout", &output},
	    {0},
	};
	const cli_spec spec = {
	    "report kpi",
	    "--period P [--pool POOL] [--format table|csv|json] [-o FILE]",
	    "The KPI dashboard at a period: for each KPI the latest value reported for a period\n"
	    "ending by the period's end, against its baseline and its target (as in force then,\n"
	    "variations included), its RAG status (green: target met; amber: missed by no more\n"
	    "than the tolerance; red: missed by more) and its trend since the value before.",
	    opts,
	    0,
	    1};
	cli_format fmt;
	s75_rperiod p;
	s75_kpi_report *r;
	s75_buf out = S75_BUF_INIT, pjoin = S75_BUF_INIT;
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	if (cli_period_join(&period, &pjoin, first, argc, argv))
		return EXIT_USAGE;
	if (cli_format_parse(format, 7, &fmt)) {
		s75_buf_release(&pjoin);
		return EXIT_USAGE;
	}
	if (!period) {
		cli_error("a period is needed (e.g. --period 2017/18 Q2)");
		return EXIT_USAGE;
	}
	rc = s75_rperiod_parse(&p, period);
	s75_buf_release(&pjoin);
	if (rc) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	int pi = cli_pool(ctx->ag, pool);
	if (pi == -2)
		return EXIT_BAD_INPUT;
	if (s75_kpi_report_build(&r, ctx->db, ctx->ag, &p, pi)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	if (fmt == FMT_JSON)
		render_json(ctx->ag, r, &out);
	else
		render_table(ctx->ag, r, fmt, &out);
	rc = cli_write(&out, output);
	s75_buf_release(&out);
	s75_kpi_report_free(r);
	return rc;
}
