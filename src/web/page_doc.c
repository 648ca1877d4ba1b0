/* A library document as a page (in the layout, with its downloads) or as a download: CSV,
 * XLSX, or PDF printed by Chromium. The figures are the document's: nothing is computed here. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web.h"

s75_report_options web_report_options(const web_req *rq)
{
	s75_report_options o = S75_REPORT_OPTIONS_INIT;
	o.now = rq->now_iso;
	o.producer = "s75 serve";
	return o;
}

int web_period(web_req *rq, web_resp *rs, s75_period *out, bool *given)
{
	const char *p = web_params_value(&rq->query, "period");
	*given = false;
	if (!p || !*p)
		return 0;
	if (s75_period_parse(out, p)) {
		web_error(rq, rs, 400, s75_error_last());
		return -1;
	}
	*given = true;
	return 0;
}

int web_year(web_req *rq, web_resp *rs, int *fy)
{
	const char *y = web_params_value(&rq->query, "year");
	if (!y || !*y) {
		if (!rq->ag->nyears) {
			web_error(rq, rs, 404, "the agreement has no years");
			return -1;
		}
		*fy = rq->ag->years[rq->ag->nyears - 1].fy;
		return 0;
	}
	if (s75_fy_parse(fy, y)) {
		web_error(rq, rs, 400, s75_error_last());
		return -1;
	}
	return 0;
}

/* The page's own address with format=FMT in place of any format. */
static void format_href(web_req *rq, s75_buf *out, const char *fmt)
{
	for (const char *p = rq->path; *p; p++) {
		char one[2] = {*p, '\0'};
		if (*p == '/')
			s75_buf_putc(out, '/');
		else
			web_url_encode(out, one);
	}
	s75_buf_putc(out, '?');
	for (size_t i = 0; i < rq->query.n; i++) {
		if (!strcmp(rq->query.items[i].name, "format"))
			continue;
		web_url_encode(out, rq->query.items[i].name);
		s75_buf_putc(out, '=');
		web_url_encode(out, rq->query.items[i].value);
		s75_buf_putc(out, '&');
	}
	s75_buf_printf(out, "format=%s", fmt);
}

static void attachment(web_req *rq, web_resp *rs, const char *ext)
{
	s75_buf b = S75_BUF_INIT;
	s75_buf_puts(&b, "attachment; filename=\"s75");
	for (const char *p = rq->path; *p; p++)
		s75_buf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '-');
	s75_buf_printf(&b, ".%s\"", ext);
	rs->disposition = s75_buf_detach(&b);
}

static int slurp(const char *path, s75_buf *out)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		s75_buf_add(out, chunk, n);
	int bad = ferror(fp);
	fclose(fp);
	return bad ? -1 : 0;
}

/* The document printed to PDF by headless Chromium: the library's one PDF writer
 * (s75_doc_render_pdf, as `-f pdf`) into a temporary file, read back. */
static int print_pdf(const char *chromium, const s75_doc *d, s75_buf *out)
{
	char tmp[] = "/tmp/s75-pdf-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	close(fd);
	int rc = s75_doc_render_pdf(d, tmp, chromium) || slurp(tmp, out) ? -1 : 0;
	unlink(tmp);
	return rc;
}

void web_downloads_for(web_req *rq, web_resp *rs, bool has_csv)
{
	s75_buf *o = &rs->body, href = S75_BUF_INIT;
	const char *fmts[] = {"csv", "xlsx", "pdf"};
	const char *labels[] = {"CSV", "XLSX", "PDF"};
	s75_buf_puts(o, "<p class=\"downloads\">Download: ");
	for (int i = 0; i < 3; i++) {
		if ((i == 0 && !has_csv) || (i == 2 && !rq->cfg->chromium))
			continue;
		s75_buf_reset(&href);
		format_href(rq, &href, fmts[i]);
		web_link(o, href.ptr, labels[i]);
		s75_buf_putc(o, ' ');
	}
	s75_buf_puts(o, "</p>");
	s75_buf_release(&href);
}

void web_downloads(web_req *rq, web_resp *rs)
{
	/* the cached pages (the pools, a pool's monitoring) all have a CSV form */
	web_downloads_for(rq, rs, true);
}

int web_send_doc(web_req *rq, web_resp *rs, s75_doc *d, const char *extra)
{
	const char *fmt = web_params_value(&rq->query, "format");
	/* the page, the workbook and the PDF in £, as the CLI without --units (no unit option) */
	s75_doc_units(d, S75_UNIT_POUNDS);
	s75_buf csv = S75_BUF_INIT;
	bool has_csv = s75_doc_render_csv(d, &csv) == 0;
	s75_error_clear();
	if (fmt && !strcmp(fmt, "csv")) {
		if (!has_csv) {
			web_error(rq, rs, 404, "this report has no CSV form: download it as XLSX");
		} else {
			rs->content_type = "text/csv; charset=utf-8";
			attachment(rq, rs, "csv");
			s75_buf_add(&rs->body, csv.ptr, csv.len);
		}
	} else if (fmt && !strcmp(fmt, "xlsx")) {
		char tmp[] = "/tmp/s75-xlsx-XXXXXX";
		int fd = mkstemp(tmp);
		if (fd < 0 || (close(fd), s75_doc_render_xlsx(d, tmp)) || slurp(tmp, &rs->body)) {
			web_error(rq, rs, 500, "the workbook could not be written");
		} else {
			rs->content_type =
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
			attachment(rq, rs, "xlsx");
		}
		if (fd >= 0)
			unlink(tmp);
	} else if (fmt && !strcmp(fmt, "pdf")) {
		if (!rq->cfg->chromium || print_pdf(rq->cfg->chromium, d, &rs->body)) {
			web_error(rq, rs, 404, "no PDF here: Chromium is not installed on the server");
		} else {
			rs->content_type = "application/pdf";
			attachment(rq, rs, "pdf");
		}
	} else if (fmt && strcmp(fmt, "html")) {
		web_error(rq, rs, 400, "format is one of html, csv, xlsx, pdf");
	} else {
		s75_buf *o = &rs->body;
		web_page_begin(rq, rs, s75_doc_title(d));
		/* a POST's result is not a page to fetch again: no downloads */
		if (strcmp(rq->method, "POST"))
			web_downloads_for(rq, rs, has_csv);
		size_t from = o->len;
		s75_doc_render_html_body(d, o);
		if (extra)
			s75_buf_puts(o, extra);
		if (rq->cache_key)
			web_cache_put(rq->cache_key, rq->generation, s75_doc_title(d), o->ptr + from);
		web_page_end(rq, rs);
	}
	s75_buf_release(&csv);
	s75_doc_free(d);
	return 0;
}
