/* The agreement's reports, the same documents as `s75 ... -f html`: risk share, settlement,
 * contributions, the quarterly report, the annual return, governance, status, history. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

/* ?date= or today. -1 after an error page. */
static int web_date(web_req *rq, web_resp *rs, s75_date *out)
{
	const char *d = web_params_value(&rq->query, "date");
	char today[11];
	if (!d || !*d) {
		snprintf(today, sizeof(today), "%.10s", rq->now_iso);
		d = today;
	}
	if (s75_date_parse(out, d)) {
		web_error(rq, rs, 400, s75_error_last());
		return -1;
	}
	return 0;
}

/* Sends the document, or an error page for a report that failed. */
static int doc_or_error(web_req *rq, web_resp *rs, int rc, s75_doc *d)
{
	if (rc)
		return web_error(rq, rs, rc == S75_ENOTFOUND || rc == S75_EINVALID ? 404 : 500,
				 s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}

int page_riskshare(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	s75_doc *d = NULL;
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (!given && s75_ledger_latest_period(&per, rq->db))
		return web_error(rq, rs, 404, "no ledger has been imported yet");
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_riskshare(&d, rq->db, rq->ag, per, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_settle(web_req *rq, web_resp *rs)
{
	int fy;
	s75_doc *d = NULL;
	if (web_year(rq, rs, &fy))
		return 0;
	bool direct = web_params_value(&rq->query, "direct") != NULL;
	bool net = web_params_value(&rq->query, "net") != NULL;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_settle(&d, rq->db, rq->ag, fy, direct, net, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_contributions(web_req *rq, web_resp *rs)
{
	int fy;
	s75_doc *d = NULL;
	if (web_year(rq, rs, &fy))
		return 0;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_contributions(&d, rq->ag, fy, s75_fy_end(fy), &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_quarterly(web_req *rq, web_resp *rs)
{
	int fy;
	s75_doc *d = NULL;
	if (web_year(rq, rs, &fy))
		return 0;
	const char *qs = web_params_value(&rq->query, "quarter");
	int q = 0;
	if (qs && *qs) {
		q = qs[0] - '0';
		if (qs[1] || q < 1 || q > 4)
			return web_error(rq, rs, 400, "quarter is 1, 2, 3 or 4");
	} else {
		s75_period per;
		/* the quarter of the latest period imported in that year, else the first */
		q = !s75_ledger_latest_period(&per, rq->db) && per.fy == fy ? (per.p + 2) / 3 : 1;
	}
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_quarterly(&d, rq->db, rq->ag, fy, q, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_annual_return(web_req *rq, web_resp *rs)
{
	int fy;
	s75_doc *d = NULL;
	if (web_year(rq, rs, &fy))
		return 0;
	bool direct = web_params_value(&rq->query, "direct") != NULL;
	bool net = web_params_value(&rq->query, "net") != NULL;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_annual_return(&d, rq->db, rq->ag, fy, direct, net, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_governance(web_req *rq, web_resp *rs)
{
	s75_gov_check_options g = S75_GOV_CHECK_OPTIONS_INIT;
	s75_doc *d = NULL;
	size_t n;
	if (web_date(rq, rs, &g.as_of))
		return 0;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_governance_check(&d, &n, rq->db, rq->ag, &g, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_status(web_req *rq, web_resp *rs)
{
	s75_date day;
	s75_doc *d = NULL;
	if (web_date(rq, rs, &day))
		return 0;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_status(&d, rq->db, rq->ag, day, &o);
	return doc_or_error(rq, rs, rc, d);
}

int page_history(web_req *rq, web_resp *rs)
{
	s75_doc *d = NULL;
	s75_report_options o = web_report_options(rq);
	int rc = s75_report_history(&d, rq->db, rq->ag, -1, &o);
	return doc_or_error(rq, rs, rc, d);
}
