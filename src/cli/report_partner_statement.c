/* s75 report partner-statement: a partner's share of each pool for its own accounts. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

extern char **environ;

/* PDF: the HTML rendering (laid out for A4) printed by headless Chromium ($S75_CHROMIUM,
 * default `chromium`), the one way to print it exactly as a browser shows it. */
static int write_pdf(s75_doc *d, const char *output)
{
	char dir[] = "/tmp/s75-pdf-XXXXXX", html[64], pdf[64], prof[64], arg_pdf[96], url[96];
	const char *chromium = getenv("S75_CHROMIUM") ? getenv("S75_CHROMIUM") : "chromium";
	s75_buf h = S75_BUF_INIT, out = S75_BUF_INIT;
	int rc = EXIT_BAD_INPUT, status = 0;
	pid_t pid;
	if (!output || !strcmp(output, "-")) {
		if (isatty(1)) {
			cli_error("a PDF is binary: give -o FILE (or redirect stdout)");
			return EXIT_USAGE;
		}
	}
	if (!mkdtemp(dir)) {
		cli_error("cannot create a temporary folder: %s", strerror(errno));
		return EXIT_BAD_INPUT;
	}
	snprintf(html, sizeof(html), "%s/s.html", dir);
	snprintf(pdf, sizeof(pdf), "%s/s.pdf", dir);
	snprintf(prof, sizeof(prof), "--user-data-dir=%s/profile", dir);
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", pdf);
	snprintf(url, sizeof(url), "file://%s", html);
	s75_doc_render_html(d, &h);
	if (cli_write(&h, html))
		goto done;
	const char *args[] = {chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			      "--disable-background-networking", "--disable-component-update", "--disable-sync",
			      prof, arg_pdf, "--no-pdf-header-footer", url, NULL};
	char *argv[sizeof(args) / sizeof(args[0])];
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		argv[i] = (char *)args[i]; /* posix_spawn's argv is not const; it is not written */
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	int e = posix_spawnp(&pid, chromium, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		cli_error("PDF needs Chromium ('%s' %s): write HTML with -f html and print it to PDF", chromium,
			  e ? "was not found" : "failed");
		goto done;
	}
	FILE *fp = fopen(pdf, "rb");
	char chunk[65536];
	size_t n;
	while (fp && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		s75_buf_add(&out, chunk, n);
	if (fp)
		fclose(fp);
	if (!fp || out.len < 5 || memcmp(out.ptr, "%PDF-", 5)) {
		cli_error("Chromium wrote no PDF");
		goto done;
	}
	rc = cli_write(&out, output);
done:
	remove(pdf);
	remove(html);
	{
		/* Chromium's profile folder: removed with rm -r, the one thing it leaves */
		char rm0[] = "rm", rm1[] = "-rf", *rm[] = {rm0, rm1, dir, NULL};
		if (!posix_spawnp(&pid, "rm", NULL, NULL, rm, environ))
			waitpid(pid, &status, 0);
	}
	s75_buf_release(&h);
	s75_buf_release(&out);
	s75_doc_free(d);
	return rc;
}

int report_partner_statement(int argc, char **argv, cli_ctx *ctx)
{
	const char *year = NULL, *partner = NULL, *format = "table", *output = NULL, *units = NULL;
	int first;
	const cli_opt opts[] = {
		{"year", 'y', OPT_STRING, "YEAR", "the financial year (default: the latest)", &year},
		{"partner", 0, OPT_STRING, "PARTNER", "the partner (its id)", &partner},
		{"format", 'f', OPT_STRING, "FMT", "table, json, xlsx, html or pdf (default table)", &format},
		CLI_UNITS_OUTPUT_OPTS(units, output),
		{0},
	};
	const cli_spec spec = {
		"report partner-statement", "--partner P [--year Y] [--format table|json|xlsx|html|pdf] [-o FILE]",
		"A partner's share of each pooled fund it is part of, for its own statutory\n"
		"accounts (a joint arrangement): its contribution, its share of the pool's other\n"
		"income, gross expenditure, surplus or deficit and reserve, in proportion to its\n"
		"final cost under the risk share, and the balance owed to it or due from it at the\n"
		"year end; with every partner's share of each line beside the annual return's\n"
		"memorandum account, which they sum to to the penny. PDF is the HTML printed by\n"
		"headless Chromium ($S75_CHROMIUM, default chromium).",
		opts, 0, 0};
	const s75_agreement *ag = ctx->ag;
	cli_format fmt;
	s75_unit unit;
	s75_doc *d = NULL;
	int fy, p, rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	bool pdf = format && !strcmp(format, "pdf");
	if (cli_output_parse(pdf ? "html" : format, FMT_ALL & ~(1u << FMT_CSV), &fmt, units, &unit))
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
	s75_report_options ro = cli_report_options(fmt);
	if (s75_report_partner_statement(&d, ctx->db, ag, fy, p, &ro)) {
		cli_error("%s", s75_error_last());
		return EXIT_BAD_INPUT;
	}
	return pdf ? write_pdf(d, output) : cli_output_doc(d, fmt, unit, output);
}
