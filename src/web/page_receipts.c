/* Reports received by a governance body (outside a meeting), recorded through the same
 * library call as `s75 record receipt`, which writes the audit log. The pool manager
 * records them for any body; a partner's finance lead only for a body its own partner
 * sits on and that oversees a pool the account sees. A body the account may not use is
 * a body that does not exist (404). */
#include <stdio.h>
#include <string.h>

#include "web.h"

/* Whether the account may record and see receipts of body `b`. */
static bool body_allowed(const web_req *rq, const s75_gov_body *b)
{
	if (rq->user.role == S75_ROLE_POOL_MANAGER)
		return true;
	int partner = rq->user.partner ? s75_agreement_find_partner(rq->ag, rq->user.partner) : -1;
	bool member = false, pool = b->npools == 0;
	for (size_t m = 0; m < b->nmembers; m++)
		member |= partner >= 0 && b->members[m].partner == partner;
	for (size_t p = 0; p < b->npools; p++)
		pool |= b->pools[p] >= 0 && rq->pools[b->pools[p]];
	return member && pool;
}

/* The form and the receipts recorded so far; `message` (may be NULL) above them. */
static int receipts_page(web_req *rq, web_resp *rs, const char *message, bool failed)
{
	const s75_gov_model *g = s75_agreement_governance(rq->ag);
	s75_buf *o = &rs->body;
	web_page_begin(rq, rs, "Reports received");
	s75_buf_puts(o, "<h1>Reports received</h1>");
	web_message(o, message, failed);
	s75_buf_puts(o, "<p>Record a report a governance body received outside a meeting (e.g. "
			"the quarterly report circulated to its members). The audit log records "
			"it.</p><form method=\"post\" action=\"/receipts\" class=\"receipt\">");
	web_csrf_field(rq, o);
	s75_buf_puts(o, "<label>Body <select name=\"body\" required>");
	size_t n = 0;
	for (size_t i = 0; i < g->nbodies; i++) {
		if (!body_allowed(rq, &g->bodies[i]))
			continue;
		s75_buf_puts(o, "<option value=\"");
		web_html_attr(o, g->bodies[i].id);
		s75_buf_puts(o, "\">");
		web_html_text(o, g->bodies[i].name ? g->bodies[i].name : g->bodies[i].id);
		s75_buf_puts(o, "</option>");
		n++;
	}
	s75_buf_puts(o, "</select></label><label>Report <select name=\"item\" required>");
	for (int i = 0; i < S75_ITEM_COUNT; i++) {
		const char *name = s75_gov_item_name((s75_gov_item)i);
		s75_buf_puts(o, "<option value=\"");
		web_html_attr(o, name);
		s75_buf_puts(o, "\">");
		web_html_text(o, name);
		s75_buf_puts(o, "</option>");
	}
	s75_buf_puts(o, "</select></label><label>Covering <input name=\"period\" required "
			"placeholder=\"2017/18 Q1\"/></label><label>Received on <input "
			"type=\"date\" name=\"date\" required/></label><button type=\"submit\">"
			"Record</button></form>");
	if (!n)
		s75_buf_puts(o, "<p class=\"error\">Your organisation sits on none of the "
				"agreement's governance bodies.</p>");
	s75_receipt *r;
	size_t nr;
	if (s75_receipts_list(&r, &nr, rq->db, NULL) == 0) {
		s75_buf_puts(o, "<h2>Recorded</h2><table><thead><tr><th>Body</th><th>Report</th>"
				"<th>Covering</th><th>Received on</th></tr></thead><tbody>");
		for (size_t i = 0; i < nr; i++) {
			int b = s75_agreement_find_body(rq->ag, r[i].body);
			char d[11];
			if (b < 0 || !body_allowed(rq, &g->bodies[b]))
				continue;
			s75_buf_puts(o, "<tr><td>");
			web_html_text(o, r[i].body);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, r[i].item);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, r[i].period);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, s75_date_format(d, r[i].date));
			s75_buf_puts(o, "</td></tr>");
		}
		s75_buf_puts(o, "</tbody></table>");
		s75_receipts_free(r, nr);
	}
	web_page_end(rq, rs);
	return 0;
}

int page_receipts(web_req *rq, web_resp *rs)
{
	return receipts_page(rq, rs, NULL, false);
}

int page_receipt_record(web_req *rq, web_resp *rs)
{
	const char *body = web_params_value(&rq->form, "body");
	const char *item = web_params_value(&rq->form, "item");
	const char *period = web_params_value(&rq->form, "period");
	const char *date = web_params_value(&rq->form, "date");
	int b = body ? s75_agreement_find_body(rq->ag, body) : -1;
	if (b < 0 || !body_allowed(rq, &s75_agreement_governance(rq->ag)->bodies[b]))
		return web_error(rq, rs, 404, "no such governance body");
	if (!item || !*item || !period || !*period || !date || !*date) {
		rs->status = 400;
		return receipts_page(rq, rs, "body, report, covering and received on are needed",
				     true);
	}
	s75_date d;
	if (s75_date_parse(&d, date)) {
		rs->status = 400;
		return receipts_page(rq, rs, s75_error_last(), true);
	}
	if (s75_receipt_record(rq->db, rq->ag, body, item, period, d, rq->now_iso)) {
		rs->status = 400;
		return receipts_page(rq, rs, s75_error_last(), true);
	}
	s75_buf msg = S75_BUF_INIT;
	s75_buf_printf(&msg, "Recorded %s for %s received by %s on %s.", item, period, body, date);
	receipts_page(rq, rs, msg.ptr, false);
	s75_buf_release(&msg);
	return 0;
}
