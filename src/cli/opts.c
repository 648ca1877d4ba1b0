/* Option parsing driven by each command's option table, and the helpers every command
 * shares (formats, output, errors). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_now(void)
{
	static char buf[32];
	const char *env = getenv("S75_NOW");
	if (env && *env)
		return env;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

int cli_now_check(void)
{
	const char *env = getenv("S75_NOW");
	s75_date d;
	int h, m, sec;
	char day[11];
	if (!env || !*env)
		return 0;
	/* exactly YYYY-MM-DDTHH:MM:SSZ, a real day and time: it is written into the ledger */
	if (strlen(env) == 20 && env[10] == 'T' && env[13] == ':' && env[16] == ':' && env[19] == 'Z' &&
	    sscanf(env + 11, "%2d:%2d:%2d", &h, &m, &sec) == 3 && h >= 0 && h < 24 && m >= 0 && m < 60 &&
	    sec >= 0 && sec < 60 && isdigit((unsigned char)env[11]) && isdigit((unsigned char)env[12]) &&
	    isdigit((unsigned char)env[14]) && isdigit((unsigned char)env[15]) &&
	    isdigit((unsigned char)env[17]) && isdigit((unsigned char)env[18])) {
		memcpy(day, env, 10);
		day[10] = '\0';
		if (!s75_date_parse(&d, day))
			return 0;
	}
	cli_error("S75_NOW='%s' is not a time like 2017-05-02T09:00:00Z (UTC)", env);
	return -1;
}

/* "70:30" over the pool's partners in agreement order -> basis points per partner. */
int cli_parse_split(const s75_agreement *ag, const bool *in_pool, const char *text,
		       int64_t *bp)
{
	if (s75_split_parse(bp, ag, in_pool, text)) {
		cli_error("%s", s75_error_last());
		return -1;
	}
	return 0;
}

int cli_period_join(const char **period, s75_buf *joined, int first, int argc, char **argv)
{
	if (first < argc && *period) {
		s75_buf_printf(joined, "%s %s", *period, argv[first]);
		*period = joined->ptr;
	} else if (first < argc) {
		cli_error("unexpected argument '%s'", argv[first]);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_period(const char *arg, s75_period *out)
{
	if (!arg) {
		cli_error("a period is needed (e.g. --period 2017/18 P6 or 2017-09)");
		return EXIT_USAGE;
	}
	if (s75_period_parse(out, arg)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	return 0;
}

s75_report_options cli_report_options(cli_format fmt)
{
	s75_report_options o = S75_REPORT_OPTIONS_INIT;
	o.now = cli_now();
	o.producer = "s75 " S75_CLI_VERSION;
	o.form = fmt == FMT_JSON ? S75_FORM_JSON : fmt == FMT_CSV ? S75_FORM_CSV : S75_FORM_DOC;
	o.no_charts = fmt != FMT_HTML && fmt != FMT_PDF; /* only a page draws them */
	return o;
}

s75_doc *cli_doc_new(const cli_ctx *ctx, const char *title, const char *params)
{
	s75_report_options o = cli_report_options(FMT_TABLE);
	return s75_report_doc_new(ctx->ag, title, params, &o);
}

int cli_output_doc(s75_doc *d, cli_format fmt, s75_unit unit, const char *output)
{
	s75_buf out = S75_BUF_INIT;
	int rc = 0;
	s75_doc_units(d, unit); /* --units for the page and the workbook as for the terminal */
	if (fmt == FMT_PDF) {
		if (!output || !strcmp(output, "-")) {
			cli_error("a PDF is printed to a file: give -o FILE");
			s75_doc_free(d);
			return EXIT_USAGE;
		}
		if (s75_doc_render_pdf(d, output, getenv("S75_CHROMIUM"))) {
			cli_error("%s", s75_error_last());
			rc = EXIT_BAD_INPUT;
		}
	} else if (fmt == FMT_XLSX) {
		/* libxlsxwriter writes a file: to stdout by way of a temporary one */
		char tmp[] = "/tmp/s75-xlsx-XXXXXX";
		const char *path = output;
		int fd = -1;
		if (!path || !strcmp(path, "-")) {
			if (isatty(1)) {
				cli_error("an XLSX workbook is binary: give -o FILE (or redirect stdout)");
				s75_doc_free(d);
				return EXIT_USAGE;
			}
			if ((fd = mkstemp(tmp)) < 0) {
				cli_error("cannot create a temporary file: %s", strerror(errno));
				s75_doc_free(d);
				return EXIT_BAD_INPUT;
			}
			close(fd);
			path = tmp;
		}
		if (s75_doc_render_xlsx(d, path)) {
			cli_error("%s", s75_error_last());
			rc = EXIT_BAD_INPUT;
		} else if (path == tmp) {
			FILE *fp = fopen(tmp, "rb");
			char chunk[65536];
			size_t n;
			while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
				fwrite(chunk, 1, n, stdout);
			if (fp)
				fclose(fp);
		}
		if (path == tmp)
			remove(tmp);
	} else {
		if (fmt == FMT_HTML)
			s75_doc_render_html(d, &out);
		else if (fmt == FMT_JSON)
			rc = s75_doc_render_json(d, &out);
		else if (fmt == FMT_CSV)
			rc = s75_doc_render_csv(d, &out);
		else
			s75_doc_render_text(d, &out, unit);
		if (rc) {
			cli_error("%s", s75_error_last());
			rc = EXIT_USAGE;
		} else {
			rc = cli_write(&out, output);
		}
	}
	s75_buf_release(&out);
	s75_doc_free(d);
	return rc;
}

void cli_render_table(const s75_table *t, cli_format fmt, s75_unit unit, s75_buf *out)
{
	if (fmt == FMT_CSV)
		s75_table_render_csv(t, out, 1);
	else
		s75_table_render_text(t, out, unit);
}

void cli_json_out(struct json_t *j, s75_buf *out)
{
	char *txt = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	s75_buf_puts(out, txt);
	s75_buf_putc(out, '\n');
	free(txt);
	json_decref(j);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;
	s75_buf raw = S75_BUF_INIT, shown = S75_BUF_INIT;
	va_start(ap, fmt);
	s75_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	/* arguments and values from files: control characters escaped, long ones cut */
	s75_text_escape_msg(&shown, raw.ptr);
	fprintf(stderr, "s75: %s\n", shown.ptr);
	s75_buf_release(&raw);
	s75_buf_release(&shown);
}

static void print_help(const cli_spec *spec)
{
	printf("usage: s75 [-C DIR] %s %s\n\n%s\n", spec->name, spec->usage, spec->description);
	if (spec->opts && spec->opts[0].name)
		printf("\noptions:\n");
	for (const cli_opt *o = spec->opts; o && o->name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name, o->name,
				 o->kind == OPT_STRING ? " " : "", o->kind == OPT_STRING ? o->argname : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->kind == OPT_STRING ? " " : "", o->kind == OPT_STRING ? o->argname : "");
		printf("  %-28s %s\n", left, o->help);
	}
	printf("  %-28s %s\n", "-h, --help", "show this help");
}

static int usage_error(const cli_spec *spec, const char *fmt, const char *arg)
{
	fprintf(stderr, "s75 %s: ", spec->name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nusage: s75 %s %s\n", spec->name, spec->usage);
	return -1;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, int *first_arg)
{
	int i, npos = 0, only_pos = 0;
	/* positional arguments are moved to the end of argv's front, in order */
	char **pos = calloc((size_t)argc + 1, sizeof(char *));
	if (!pos)
		abort();
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const cli_opt *o = NULL;
		const char *val = NULL;
		if (only_pos || a[0] != '-' || !a[1]) {
			pos[npos++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = 1;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(spec);
			free(pos);
			return 1;
		}
		if (a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			for (const cli_opt *x = spec->opts; x && x->name; x++)
				if (strlen(x->name) == n && !strncmp(x->name, a + 2, n))
					o = x;
			if (o && eq)
				val = eq + 1;
		} else if (!a[2]) {
			for (const cli_opt *x = spec->opts; x && x->name; x++)
				if (x->short_name == a[1])
					o = x;
		}
		if (!o) {
			free(pos);
			return usage_error(spec, "unknown option '%s'", a);
		}
		if (o->kind == OPT_FLAG) {
			if (val) {
				free(pos);
				return usage_error(spec, "option '--%s' takes no value", o->name);
			}
			*(int *)o->dest = 1;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				free(pos);
				return usage_error(spec, "option '--%s' needs a value", o->name);
			}
			val = argv[++i];
		}
		*(const char **)o->dest = val;
	}
	if (npos < spec->min_args || npos > spec->max_args) {
		free(pos);
		return usage_error(spec, "%s", npos < spec->min_args ? "too few arguments"
								    : "too many arguments");
	}
	for (i = 0; i < npos; i++)
		argv[argc - npos + i] = pos[i];
	*first_arg = argc - npos;
	free(pos);
	return 0;
}

int cli_format_parse(const char *s, unsigned allowed, cli_format *out)
{
	static const char *const names[] = {"table", "csv", "json", "xlsx", "html", "pdf"};
	for (int i = 0; i < 6; i++)
		if ((allowed & (1u << i)) && !strcmp(s, names[i])) {
			*out = (cli_format)i;
			return 0;
		}
	fprintf(stderr, "s75: unknown format '%s' (expected", s);
	for (int i = 0, first = 1; i < 6; i++)
		if (allowed & (1u << i)) {
			fprintf(stderr, "%s%s", first ? " " : "|", names[i]);
			first = 0;
		}
	fprintf(stderr, ")\n");
	return -1;
}

/* The unit of amounts when --units is not given: the agreement's reporting_unit, or £. */
static s75_unit default_unit = S75_UNIT_POUNDS;

void cli_default_unit_set(s75_unit unit)
{
	default_unit = unit;
}

int cli_output_parse(const char *format, unsigned allowed, cli_format *fmt, const char *units,
		     s75_unit *unit)
{
	if (cli_format_parse(format, allowed, fmt))
		return EXIT_USAGE;
	if (!units)
		*unit = default_unit;
	else if (s75_unit_parse(unit, units)) {
		cli_error("%s", s75_error_last());
		return EXIT_USAGE;
	}
	return 0;
}

int cli_write(const s75_buf *b, const char *path)
{
	if (!path || !strcmp(path, "-")) {
		fwrite(b->ptr, 1, b->len, stdout);
		return 0;
	}
	if (s75_outfile_write(path, b->ptr, b->len)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return 0;
}

int cli_year(const s75_agreement *ag, const char *arg, int *fy)
{
	if (arg) {
		if (s75_fy_parse(fy, arg)) {
			cli_error("%s", s75_error_last());
			return EXIT_USAGE;
		}
		if (!s75_agreement_find_year(ag, *fy)) {
			char buf[8];
			cli_error("the agreement has no year %s", s75_fy_format(buf, *fy));
			return EXIT_BAD_INPUT;
		}
		return 0;
	}
	if (ag->nyears == 0) {
		cli_error("the agreement has no years of contributions");
		return EXIT_BAD_INPUT;
	}
	*fy = ag->years[0].fy;
	for (size_t i = 1; i < ag->nyears; i++)
		if (ag->years[i].fy > *fy)
			*fy = ag->years[i].fy;
	return 0;
}
