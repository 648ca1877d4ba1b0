/* The one escaping of text and of attribute values, and the layout every page shares. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

void web_html_text(s75_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': s75_buf_puts(out, "&amp;"); break;
		case '<': s75_buf_puts(out, "&lt;"); break;
		case '>': s75_buf_puts(out, "&gt;"); break;
		default: s75_buf_putc(out, *s);
		}
	}
}

void web_html_attr(s75_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': s75_buf_puts(out, "&amp;"); break;
		case '<': s75_buf_puts(out, "&lt;"); break;
		case '>': s75_buf_puts(out, "&gt;"); break;
		case '"': s75_buf_puts(out, "&quot;"); break;
		case '\'': s75_buf_puts(out, "&#39;"); break;
		case '`': s75_buf_puts(out, "&#96;"); break;
		default: s75_buf_putc(out, *s);
		}
	}
}

void web_url_encode(s75_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			s75_buf_putc(out, (char)c);
		} else {
			s75_buf_putc(out, '%');
			s75_buf_putc(out, hex[c >> 4]);
			s75_buf_putc(out, hex[c & 15]);
		}
	}
}

void web_message(s75_buf *out, const char *message, bool failed)
{
	if (!message)
		return;
	s75_buf_puts(out, failed ? "<p class=\"error\" role=\"alert\">" : "<p class=\"ok\" role=\"status\">");
	web_html_text(out, message);
	s75_buf_puts(out, "</p>");
}

void web_link(s75_buf *out, const char *href, const char *label)
{
	s75_buf_puts(out, "<a href=\"");
	web_html_attr(out, href);
	s75_buf_puts(out, "\">");
	web_html_text(out, label);
	s75_buf_puts(out, "</a>");
}

void web_csrf_field(web_req *rq, s75_buf *out)
{
	s75_buf_puts(out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	web_html_attr(out, rq->csrf);
	s75_buf_puts(out, "\"/>");
}

static bool route_allowed(const web_req *rq, const web_route *r)
{
	if (!rq->logged_in || !(r->roles & (1u << rq->user.role)))
		return false;
	return !(r->flags & WEB_WHOLE) || rq->all_pools;
}

void web_page_begin(web_req *rq, web_resp *rs, const char *title)
{
	s75_buf *o = &rs->body;
	rs->content_type = "text/html; charset=utf-8";
	s75_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"/>"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
			"<title>");
	web_html_text(o, title);
	s75_buf_puts(o, " · s75</title><link rel=\"stylesheet\" href=\"/s75.css\"/></head>\n<body>"
			"<nav class=\"site\"><strong>");
	web_html_text(o, rq->ag->title);
	s75_buf_puts(o, "</strong>");
	if (rq->logged_in) {
		s75_buf_puts(o, "<ul>");
		for (const web_route *r = web_routes; r->path; r++) {
			if (!r->nav || strcmp(r->method, "GET") || (r->flags & WEB_POOL) ||
			    !route_allowed(rq, r))
				continue;
			s75_buf_puts(o, "<li>");
			web_link(o, r->path, r->nav);
			s75_buf_puts(o, "</li>");
		}
		s75_buf_puts(o, "</ul><form method=\"post\" action=\"/logout\" class=\"logout\">");
		web_html_text(o, rq->user.email);
		s75_buf_puts(o, " (");
		web_html_text(o, s75_role_name(rq->user.role));
		s75_buf_puts(o, ") ");
		web_csrf_field(rq, o);
		s75_buf_puts(o, "<button type=\"submit\">Log out</button></form>");
	}
	s75_buf_puts(o, "</nav>\n<div class=\"page\">");
}

void web_page_end(web_req *rq, web_resp *rs)
{
	(void)rq;
	s75_buf_puts(&rs->body, WEB_PAGE_END);
}

int web_error(web_req *rq, web_resp *rs, int status, const char *message)
{
	s75_buf_reset(&rs->body);
	rs->status = status;
	web_page_begin(rq, rs, status == 404 ? "Not found" : status == 403 ? "Forbidden" : "Error");
	s75_buf_puts(&rs->body, "<h1>");
	s75_buf_printf(&rs->body, "%d", status);
	s75_buf_puts(&rs->body, "</h1><p class=\"error\">");
	web_html_text(&rs->body, message);
	s75_buf_puts(&rs->body, "</p>");
	web_page_end(rq, rs);
	return 0;
}
