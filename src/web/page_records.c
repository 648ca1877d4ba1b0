/* The finance year's records on the web: a saving's delivery in a period (`s75 record
 * saving`) and a partner's payment of its contribution received by the host (`s75 record
 * payment`), through the same library calls, which write the audit log (the server has set
 * the account as the actor). The pool manager records any; a partner's finance lead only a
 * saving its own partner moved into a pool the account sees, and only its own partner's
 * payments (any partner's when its partner is the host, which receives them). A saving or
 * partner the account may not use is one that does not exist (404). */
#include <stdio.h>
#include <string.h>

#include "web.h"

/* The account's partner (an index), or -1 (the pool manager has none). */
static int own_partner(const web_req *rq)
{
	return rq->user.partner ? s75_agreement_find_partner(rq->ag, rq->user.partner) : -1;
}

/* Whether the account may record and see the delivery of saving `s`. */
static bool saving_allowed(const web_req *rq, const s75_saving *s)
{
	if (rq->user.role == S75_ROLE_POOL_MANAGER)
		return true;
	int partner = own_partner(rq);
	return partner >= 0 && s->partner == partner && s->pool >= 0 && rq->pools[s->pool];
}

/* Whether the account may record and see payments of partner `p`. */
static bool payer_allowed(const web_req *rq, int p)
{
	if (rq->user.role == S75_ROLE_POOL_MANAGER)
		return true;
	int partner = own_partner(rq);
	return partner >= 0 && (p == partner || partner == rq->ag->host);
}

/* Saving `id` of year `fy`, or NULL. */
static const s75_saving *find_saving(const s75_agreement *ag, int fy, const char *id)
{
	const s75_year *y = s75_agreement_find_year(ag, fy);
	for (size_t i = 0; y && id && i < y->nsavings; i++)
		if (!strcmp(y->savings[i].id, id))
			return &y->savings[i];
	return NULL;
}

/* An amount in pence as £1,234.56 in `o`, escaped. */
static void money_cell(s75_buf *o, int64_t pence)
{
	s75_buf b = S75_BUF_INIT;
	s75_money_format(&b, pence, S75_UNIT_POUNDS, S75_FMT_SEP | S75_FMT_POUND);
	s75_buf_puts(o, "<td class=\"n\">");
	web_html_text(o, b.ptr);
	s75_buf_puts(o, "</td>");
	s75_buf_release(&b);
}

/* The savings form and the deliveries of year `fy` recorded so far. */
static int savings_page(web_req *rq, web_resp *rs, int fy, const char *message, bool failed)
{
	const s75_year *y = s75_agreement_find_year(rq->ag, fy);
	s75_buf *o = &rs->body;
	char fys[8];
	size_t n = 0;
	s75_fy_format(fys, fy);
	web_page_begin(rq, rs, "Savings delivered");
	s75_buf_puts(o, "<h1>Savings delivered ");
	web_html_text(o, fys);
	s75_buf_puts(o, "</h1>");
	web_message(o, message, failed);
	s75_buf_puts(o, "<p>Record what a saving delivered in a period, and if known the forecast "
			"for the rest of the year. A period already recorded for a saving is refused; "
			"the audit log records each one. The risk share uses delivery to date and the "
			"forecast");
	if (rq->all_pools) /* the report shows every pool */
		s75_buf_puts(o, " (<a href=\"/savings\">Savings delivery</a>)");
	s75_buf_puts(o, ".</p><form method=\"post\" action=\"/savings/delivery\" class=\"record saving\">");
	web_csrf_field(rq, o);
	s75_buf_puts(o, "<label>Saving <select name=\"saving\" required>");
	for (size_t i = 0; y && i < y->nsavings; i++) {
		const s75_saving *s = &y->savings[i];
		if (!saving_allowed(rq, s))
			continue;
		s75_buf_puts(o, "<option value=\"");
		web_html_attr(o, s->id);
		s75_buf_puts(o, "\">");
		web_html_text(o, s->id);
		s75_buf_puts(o, " (");
		web_html_text(o, rq->ag->partners[s->partner].name);
		s75_buf_puts(o, ")</option>");
		n++;
	}
	s75_buf_puts(o, "</select></label><label>Period <input name=\"period\" required placeholder=\"");
	web_html_attr(o, fys);
	s75_buf_puts(o, " P4\"/></label><label>Delivered (£) <input name=\"delivered\" required "
			"inputmode=\"decimal\" placeholder=\"40000.00\"/></label><label>Forecast for the "
			"rest of the year (£) <input name=\"forecast_rest\" inputmode=\"decimal\"/></label>"
			"<label>Reference <input name=\"reference\" placeholder=\"tracker, paper\"/></label>"
			"<button type=\"submit\">Record</button></form>");
	if (!n)
		s75_buf_puts(o, "<p class=\"error\">No saving of this year is yours to record.</p>");
	s75_saving_delivery *v;
	size_t nv;
	if (s75_saving_deliveries_list(&v, &nv, rq->db, fy) == 0) {
		s75_buf_puts(o, "<h2>Recorded</h2><table><thead><tr><th>Saving</th><th>Period</th>"
				"<th class=\"n\">Delivered</th><th class=\"n\">Forecast for the rest</th>"
				"<th>Reference</th></tr></thead><tbody>");
		for (size_t i = 0; i < nv; i++) {
			const s75_saving *s = find_saving(rq->ag, fy, v[i].saving);
			char per[16];
			if (!s || !saving_allowed(rq, s))
				continue;
			s75_buf_puts(o, "<tr><td>");
			web_html_text(o, v[i].saving);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, s75_period_format(per, (s75_period){fy, v[i].period}));
			s75_buf_puts(o, "</td>");
			money_cell(o, v[i].delivered);
			if (v[i].has_forecast)
				money_cell(o, v[i].forecast_rest);
			else
				s75_buf_puts(o, "<td class=\"n\">—</td>");
			s75_buf_puts(o, "<td>");
			web_html_text(o, v[i].reference ? v[i].reference : "");
			s75_buf_puts(o, "</td></tr>");
		}
		s75_buf_puts(o, "</tbody></table>");
		s75_saving_deliveries_free(v, nv);
	}
	web_page_end(rq, rs);
	return 0;
}

int page_savings_delivery(web_req *rq, web_resp *rs)
{
	int fy;
	if (web_year(rq, rs, &fy))
		return 0;
	return savings_page(rq, rs, fy, NULL, false);
}

/* A form's amount in £ as pence; the field's label names it in the error. */
static int form_amount(int64_t *out, const char *text, const char *label, s75_buf *err)
{
	if (!s75_money_parse(out, text, strlen(text), S75_UNIT_POUNDS, 0))
		return 0;
	s75_buf_printf(err, "%s: %s", label, s75_error_last());
	return -1;
}

int page_saving_record(web_req *rq, web_resp *rs)
{
	const char *saving = web_params_value(&rq->form, "saving");
	const char *period = web_params_value(&rq->form, "period");
	const char *delivered = web_params_value(&rq->form, "delivered");
	const char *rest = web_params_value(&rq->form, "forecast_rest");
	const char *ref = web_params_value(&rq->form, "reference");
	s75_saving_delivery_input in;
	s75_buf msg = S75_BUF_INIT;
	const s75_saving *s;
	char per[16];
	int fy;
	if (web_year(rq, rs, &fy))
		return 0;
	memset(&in, 0, sizeof(in));
	if (!period || s75_period_parse(&in.period, period)) {
		rs->status = 400;
		s75_buf_printf(&msg, "period: %s", period ? s75_error_last() : "a period is needed (2017/18 P4)");
		goto done;
	}
	fy = in.period.fy;
	s = find_saving(rq->ag, fy, saving);
	if (!s || !saving_allowed(rq, s)) {
		s75_buf_release(&msg);
		return web_error(rq, rs, 404, "no such saving");
	}
	if (!delivered || !*delivered) {
		rs->status = 400;
		s75_buf_puts(&msg, "delivered: an amount in £ is needed");
		goto done;
	}
	if (form_amount(&in.delivered, delivered, "delivered", &msg) ||
	    (rest && *rest && form_amount(&in.forecast_rest, rest, "forecast for the rest of the year", &msg))) {
		rs->status = 400;
		goto done;
	}
	in.has_forecast = rest && *rest;
	in.saving = s->id;
	in.reference = ref && *ref ? ref : NULL;
	if (s75_saving_delivery_record(rq->db, rq->ag, &in, rq->now_iso)) {
		rs->status = 400;
		s75_buf_puts(&msg, s75_error_last());
		goto done;
	}
	s75_buf_printf(&msg, "Recorded the delivery of saving %s in %s.", s->id,
		       s75_period_format(per, in.period));
done:
	savings_page(rq, rs, fy, msg.ptr, rs->status >= 400);
	s75_buf_release(&msg);
	return 0;
}

/* The payments form and the payments recorded so far. */
static int payments_page(web_req *rq, web_resp *rs, const char *message, bool failed)
{
	const s75_agreement *ag = rq->ag;
	s75_buf *o = &rs->body;
	web_page_begin(rq, rs, "Contributions received");
	s75_buf_puts(o, "<h1>Contributions received</h1>");
	web_message(o, message, failed);
	s75_buf_puts(o, "<p>Record a payment of a partner's contribution received by the host. It "
			"is set against the year's instalments oldest first");
	if (rq->all_pools) /* the report shows every pool */
		s75_buf_puts(o, " (<a href=\"/contributions-due\">Contributions due</a>)");
	s75_buf_puts(o, "; the same partner, day, amount and reference twice is refused, and the "
			"audit log records each one.</p>"
			"<form method=\"post\" action=\"/payments\" class=\"record payment\">");
	web_csrf_field(rq, o);
	s75_buf_puts(o, "<label>Partner <select name=\"partner\" required>");
	for (size_t i = 0; i < ag->npartners; i++) {
		if (!payer_allowed(rq, (int)i))
			continue;
		s75_buf_puts(o, "<option value=\"");
		web_html_attr(o, ag->partners[i].id);
		s75_buf_puts(o, "\">");
		web_html_text(o, ag->partners[i].name);
		s75_buf_puts(o, "</option>");
	}
	s75_buf_puts(o, "</select></label><label>Received on <input type=\"date\" name=\"date\" "
			"required/></label><label>Amount (£) <input name=\"amount\" required "
			"inputmode=\"decimal\" placeholder=\"250000.00\"/></label><label>Year "
			"<input name=\"year\" placeholder=\"the date's\"/></label><label>Reference "
			"<input name=\"reference\" placeholder=\"remittance\"/></label>"
			"<button type=\"submit\">Record</button></form>");
	s75_contribution_payment *p;
	size_t np;
	if (s75_payments_list(&p, &np, rq->db) == 0) {
		s75_buf_puts(o, "<h2>Recorded</h2><table><thead><tr><th>Payment</th><th>Partner</th>"
				"<th>Year</th><th>Received on</th><th class=\"n\">Amount</th>"
				"<th>Reference</th></tr></thead><tbody>");
		for (size_t i = 0; i < np; i++) {
			int k = s75_agreement_find_partner(ag, p[i].partner);
			char d[11], fys[8], id[24];
			if (k < 0 || !payer_allowed(rq, k))
				continue;
			snprintf(id, sizeof(id), "%lld", (long long)p[i].id);
			s75_buf_puts(o, "<tr><td>");
			web_html_text(o, id);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, ag->partners[k].name);
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, s75_fy_format(fys, p[i].fy));
			s75_buf_puts(o, "</td><td>");
			web_html_text(o, s75_date_format(d, p[i].date));
			s75_buf_puts(o, "</td>");
			money_cell(o, p[i].amount);
			s75_buf_puts(o, "<td>");
			web_html_text(o, p[i].reference ? p[i].reference : "");
			s75_buf_puts(o, "</td></tr>");
		}
		s75_buf_puts(o, "</tbody></table>");
		s75_payments_free(p, np);
	}
	web_page_end(rq, rs);
	return 0;
}

int page_payments(web_req *rq, web_resp *rs)
{
	return payments_page(rq, rs, NULL, false);
}

int page_payment_record(web_req *rq, web_resp *rs)
{
	const char *partner = web_params_value(&rq->form, "partner");
	const char *date = web_params_value(&rq->form, "date");
	const char *amount = web_params_value(&rq->form, "amount");
	const char *year = web_params_value(&rq->form, "year");
	const char *ref = web_params_value(&rq->form, "reference");
	int k = partner ? s75_agreement_find_partner(rq->ag, partner) : -1;
	s75_buf msg = S75_BUF_INIT;
	s75_date d;
	int64_t pence, id;
	int fy;
	if (k < 0 || !payer_allowed(rq, k))
		return web_error(rq, rs, 404, "no such partner");
	rs->status = 400;
	if (!date || s75_date_parse(&d, date)) {
		s75_buf_printf(&msg, "received on: %s", date ? s75_error_last() : "a date is needed");
		goto done;
	}
	if (!amount || !*amount) {
		s75_buf_puts(&msg, "amount: an amount in £ is needed");
		goto done;
	}
	if (form_amount(&pence, amount, "amount", &msg))
		goto done;
	fy = s75_fy_of_date(d);
	if (year && *year && s75_fy_parse(&fy, year)) {
		s75_buf_printf(&msg, "year: %s", s75_error_last());
		goto done;
	}
	if (s75_payment_record(rq->db, rq->ag, rq->ag->partners[k].id, fy, d, pence,
			       ref && *ref ? ref : NULL, rq->now_iso, &id)) {
		s75_buf_puts(&msg, s75_error_last());
		goto done;
	}
	rs->status = 200;
	s75_buf_printf(&msg, "Recorded payment %lld from %s on %s.", (long long)id,
		       rq->ag->partners[k].id, date);
done:
	payments_page(rq, rs, msg.ptr, rs->status >= 400);
	s75_buf_release(&msg);
	return 0;
}
