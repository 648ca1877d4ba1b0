/* Logging in and out, and the style sheet (public). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

static void login_page(web_req *rq, web_resp *rs, const char *message, const char *email)
{
	s75_buf *o = &rs->body;
	web_page_begin(rq, rs, "Log in");
	s75_buf_puts(o, "<h1>Log in</h1>");
	if (message) {
		s75_buf_puts(o, "<p class=\"error\" role=\"alert\">");
		web_html_text(o, message);
		s75_buf_puts(o, "</p>");
	}
	s75_buf_puts(o, "<form method=\"post\" action=\"/login\" class=\"login\">"
			"<label>E-mail address <input type=\"email\" name=\"email\" required "
			"autocomplete=\"username\" value=\"");
	web_html_attr(o, email ? email : "");
	s75_buf_puts(o, "\"/></label><label>Password <input type=\"password\" name=\"password\" "
			"required autocomplete=\"current-password\"/></label>"
			"<button type=\"submit\">Log in</button></form>");
	web_page_end(rq, rs);
}

int page_login_form(web_req *rq, web_resp *rs)
{
	if (rq->logged_in) {
		rs->status = 303;
		rs->location = web_xstrdup("/");
		return 0;
	}
	login_page(rq, rs, NULL, NULL);
	return 0;
}

int page_login(web_req *rq, web_resp *rs)
{
	const char *email = web_params_value(&rq->form, "email");
	const char *password = web_params_value(&rq->form, "password");
	char sid[S75_SESSION_ID_LEN + 1], csrf[S75_SESSION_ID_LEN + 1];
	s75_user u;
	int failures = 0;
	if (!email || !password || !*email) {
		rs->status = 400;
		login_page(rq, rs, "Give your e-mail address and password.", email);
		return 0;
	}
	if (s75_user_login(&u, sid, csrf, &failures, rq->db, email, password, rq->address,
			   &rq->cfg->policy, rq->now, rq->now_iso)) {
		/* each failure slows the next answer: 250 ms a failure, at most 2 s */
		int ms = 250 * (failures < 8 ? failures : 8);
		struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		rs->status = 401;
		login_page(rq, rs, s75_error_last(), email);
		return 0;
	}
	s75_buf c = S75_BUF_INIT;
	s75_buf_printf(&c, "s75_session=%s; Path=/; HttpOnly; SameSite=Strict%s", sid,
		       rq->tls ? "; Secure" : "");
	rs->set_cookie = s75_buf_detach(&c);
	rs->status = 303;
	rs->location = web_xstrdup("/");
	s75_user_release(&u);
	memset(sid, 0, sizeof(sid));
	return 0;
}

int page_logout(web_req *rq, web_resp *rs)
{
	s75_session_end(rq->db, rq->sid, rq->now_iso);
	s75_buf c = S75_BUF_INIT;
	s75_buf_printf(&c, "s75_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
		       rq->tls ? "; Secure" : "");
	rs->set_cookie = s75_buf_detach(&c);
	rs->status = 303;
	rs->location = web_xstrdup("/login");
	return 0;
}

/* The layout's own rules, after the documents' style sheet. */
static const char site_css[] =
	"nav.site{display:flex;flex-wrap:wrap;gap:1em;align-items:center;padding:.5em 1em;"
	"background:#1d3557;color:#fff}nav.site a{color:#fff}nav.site ul{display:flex;gap:1em;"
	"list-style:none;margin:0;padding:0;flex-wrap:wrap}nav.site form.logout{margin-left:auto}"
	".page{padding:0 1em}.error{color:#a4161a;font-weight:bold}.downloads{margin:1em 0}"
	".downloads a{margin-right:1em}form.login label,form.upload label,form.record label{display:block;margin:.5em 0}"
	".drill{columns:3}@media print{nav.site,.downloads{display:none}}"
	/* on a screen the page may be wider than an A4 paper, and a table wider than the page
	 * scrolls within its own box rather than running past the layout */
	"@media screen{body{max-width:min(1180px,100%)}.page{overflow-x:auto}.page svg{max-width:190mm;height:auto}}";

int page_css(web_req *rq, web_resp *rs)
{
	(void)rq;
	rs->content_type = "text/css; charset=utf-8";
	s75_buf_puts(&rs->body, s75_doc_html_css());
	s75_buf_puts(&rs->body, site_css);
	return 0;
}
