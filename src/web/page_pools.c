/* The pools at a glance, a pool's monitoring with its drill-down (element, cost centre,
 * transactions), and a pool's KPIs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define PAGE_ROWS 100

int page_glance(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	s75_doc *d;
	if (web_period(rq, rs, &per, &given))
		return 0;
	s75_report_options o = web_report_options(rq);
	if (s75_report_glance(&d, rq->db, rq->ag, given ? &per : NULL, rq->pools, &o))
		return web_error(rq, rs, 500, s75_error_last());
	s75_buf extra = S75_BUF_INIT, href = S75_BUF_INIT;
	s75_buf_puts(&extra, "<h2>Pools</h2><ul>");
	for (size_t a = 0; a < rq->ag->narrangements; a++) {
		if (!rq->pools[a])
			continue;
		const s75_arrangement *arr = &rq->ag->arrangements[a];
		s75_buf_reset(&href);
		s75_buf_puts(&href, "/pool/");
		web_url_encode(&href, arr->id);
		s75_buf_puts(&extra, "<li>");
		web_link(&extra, href.ptr, arr->name);
		size_t base_len = href.len;
		s75_buf_puts(&extra, " (");
		s75_buf_puts(&href, "/kpi");
		web_link(&extra, href.ptr, "KPIs");
		href.len = base_len;
		href.ptr[base_len] = '\0';
		s75_buf_puts(&href, "/packages");
		s75_buf_puts(&extra, ", ");
		web_link(&extra, href.ptr, "care packages");
		s75_buf_puts(&extra, ")</li>");
	}
	s75_buf_puts(&extra, "</ul>");
	web_send_doc(rq, rs, d, extra.ptr);
	s75_buf_release(&extra);
	s75_buf_release(&href);
	return 0;
}

int page_pool(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	s75_doc *d;
	if (web_period(rq, rs, &per, &given))
		return 0;
	const char *lv = web_params_value(&rq->query, "level");
	s75_level level = S75_LEVEL_ELEMENT;
	if (lv && !strcmp(lv, "cost-centre"))
		level = S75_LEVEL_COST_CENTRE;
	else if (lv && *lv && strcmp(lv, "element"))
		return web_error(rq, rs, 400, "level is element or cost-centre");
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_pool(&d, rq->db, rq->ag, rq->pool, given ? &per : NULL, level,
				 rq->pools, &o);
	if (rc == S75_ENOTFOUND)
		return web_error(rq, rs, 404, s75_error_last());
	if (rc)
		return web_error(rq, rs, 500, s75_error_last());
	/* the drill-down: by cost centre, and each cost centre's transactions */
	const s75_arrangement *arr = &rq->ag->arrangements[rq->pool];
	s75_buf extra = S75_BUF_INIT, base = S75_BUF_INIT, href = S75_BUF_INIT;
	s75_buf_puts(&base, "/pool/");
	web_url_encode(&base, arr->id);
	s75_buf_puts(&extra, "<h2>Drill down</h2><p>");
	s75_buf_printf(&href, "%s?level=%s", base.ptr,
		       level == S75_LEVEL_ELEMENT ? "cost-centre" : "element");
	if (given) {
		char p[16];
		s75_buf_puts(&href, "&period=");
		web_url_encode(&href, s75_period_format(p, per));
	}
	web_link(&extra, href.ptr, level == S75_LEVEL_ELEMENT ? "By cost centre" : "By element");
	/* element -> cost centre -> transactions: the links to each cost centre's transactions
	 * are on the page by cost centre only, so that the element page, the one most asked
	 * for, stays small however many cost centres the pool has (bench/README.md) */
	if (level == S75_LEVEL_ELEMENT) {
		s75_buf_puts(&extra, " (with each cost centre's transactions)</p>");
	} else {
		s75_buf_puts(&extra, "</p><h3>Transactions by cost centre</h3><ul class=\"drill\">");
		for (size_t c = 0; c < rq->ag->ncost_centres; c++) {
			const s75_cost_centre *cc = &rq->ag->cost_centres[c];
			if (cc->pool != rq->pool)
				continue;
			s75_buf_reset(&href);
			s75_buf_printf(&href, "%s/transactions?cc=", base.ptr);
			web_url_encode(&href, cc->code);
			if (given) {
				char p[16];
				s75_buf_puts(&href, "&period=");
				web_url_encode(&href, s75_period_format(p, per));
			}
			s75_buf_puts(&extra, "<li>");
			web_link(&extra, href.ptr, cc->code);
			s75_buf_puts(&extra, " ");
			web_html_text(&extra, cc->name ? cc->name : "");
			s75_buf_puts(&extra, "</li>");
		}
		s75_buf_puts(&extra, "</ul>");
	}
	web_send_doc(rq, rs, d, extra.ptr);
	s75_buf_release(&extra);
	s75_buf_release(&base);
	s75_buf_release(&href);
	return 0;
}

int page_transactions(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	if (web_period(rq, rs, &per, &given))
		return 0;
	const char *cc = web_params_value(&rq->query, "cc");
	int c = cc ? s75_agreement_find_cost_centre(rq->ag, cc, strlen(cc)) : -1;
	/* a cost centre of another pool is not here */
	if (c < 0 || rq->ag->cost_centres[c].pool != rq->pool)
		return web_error(rq, rs, 404, "no such cost centre in this pool");
	if (!given && s75_ledger_latest_period(&per, rq->db))
		return web_error(rq, rs, 404, "no ledger has been imported yet");
	const char *pg = web_params_value(&rq->query, "page");
	long page = pg ? strtol(pg, NULL, 10) : 1;
	if (page < 1 || page > 1000000)
		page = 1;
	const char *search = web_params_value(&rq->query, "q");
	s75_txn_query q = {per, cc, search, (page - 1) * PAGE_ROWS, PAGE_ROWS};
	bool download = web_params_value(&rq->query, "format") != NULL;
	if (download) {
		/* a download has every row that matches, not one page */
		q.offset = 0;
		q.limit = 1000000;
	}
	s75_doc *d;
	long total = 0;
	s75_report_options o = web_report_options(rq);
	if (s75_report_transactions(&d, &total, rq->db, rq->ag, &q, &o))
		return web_error(rq, rs, 500, s75_error_last());
	/* the search form and the pages */
	s75_buf extra = S75_BUF_INIT, href = S75_BUF_INIT, base = S75_BUF_INIT;
	char ptext[16];
	s75_buf_puts(&base, "/pool/");
	web_url_encode(&base, rq->ag->arrangements[rq->pool].id);
	s75_buf_puts(&base, "/transactions?cc=");
	web_url_encode(&base, cc);
	s75_buf_puts(&base, "&period=");
	web_url_encode(&base, s75_period_format(ptext, per));
	if (search && *search) {
		s75_buf_puts(&base, "&q=");
		web_url_encode(&base, search);
	}
	s75_buf_puts(&extra, "<form method=\"get\" class=\"search\"><input type=\"hidden\" name=\"cc\" value=\"");
	web_html_attr(&extra, cc);
	s75_buf_puts(&extra, "\"/><input type=\"hidden\" name=\"period\" value=\"");
	web_html_attr(&extra, ptext);
	s75_buf_puts(&extra, "\"/><label>Search descriptions, references and accounts "
			     "<input type=\"search\" name=\"q\" value=\"");
	web_html_attr(&extra, search ? search : "");
	s75_buf_puts(&extra, "\"/></label> <button type=\"submit\">Search</button></form><p>");
	if (page > 1) {
		s75_buf_reset(&href);
		s75_buf_printf(&href, "%s&page=%ld", base.ptr, page - 1);
		web_link(&extra, href.ptr, "Previous page");
		s75_buf_puts(&extra, " ");
	}
	if (page * PAGE_ROWS < total) {
		s75_buf_reset(&href);
		s75_buf_printf(&href, "%s&page=%ld", base.ptr, page + 1);
		web_link(&extra, href.ptr, "Next page");
	}
	s75_buf_puts(&extra, "</p>");
	web_send_doc(rq, rs, d, extra.ptr);
	s75_buf_release(&extra);
	s75_buf_release(&href);
	s75_buf_release(&base);
	return 0;
}

int page_pool_kpi(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (!given && s75_ledger_latest_period(&per, rq->db)) {
		/* no ledger: the KPIs as of the agreement's latest year end */
		per.fy = rq->ag->nyears ? rq->ag->years[rq->ag->nyears - 1].fy : 2000;
		per.p = 12;
	}
	char ptext[16];
	s75_rperiod rp;
	if (s75_rperiod_parse(&rp, s75_period_format(ptext, per)))
		return web_error(rq, rs, 400, s75_error_last());
	s75_doc *d;
	s75_report_options o = web_report_options(rq);
	if (s75_report_kpi(&d, rq->db, rq->ag, &rp, rq->pool, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}

int page_pool_packages(web_req *rq, web_resp *rs)
{
	s75_date on;
	char today[11];
	const char *d = web_params_value(&rq->query, "date");
	if (!d || !*d) {
		snprintf(today, sizeof(today), "%.10s", rq->now_iso);
		d = today;
	}
	if (s75_date_parse(&on, d))
		return web_error(rq, rs, 400, s75_error_last());
	s75_doc *doc;
	s75_report_options o = web_report_options(rq);
	/* the packages one by one (pseudonymous ids) for the pool manager only */
	o.aggregates_only = rq->user.role != S75_ROLE_POOL_MANAGER;
	if (s75_report_packages(&doc, rq->db, rq->ag, rq->pool, on, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, doc, NULL);
}
