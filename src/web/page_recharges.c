/* The recharge statements (s75 recharges) of ?period=, else of the latest period issued,
 * else a draft for last month: the pool manager and the auditor see every statement, a
 * partner's finance lead only those its partner pays or receives. */
#include "web.h"

int page_recharges(web_req *rq, web_resp *rs)
{
	s75_period per;
	s75_date today;
	bool given, any;
	const char *partner = NULL;
	s75_doc *d = NULL;
	if (rq->user.role == S75_ROLE_PARTNER) {
		partner = rq->user.partner;
		if (!partner || s75_agreement_find_partner(rq->ag, partner) < 0)
			return web_error(rq, rs, 404, "this account is not a partner's");
	}
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (!given) {
		if (s75_recharges_latest(&per, &any, rq->db))
			return web_error(rq, rs, 500, s75_error_last());
		if (!any) {
			if (s75_date_parse_fmt(&today, rq->now_iso, 10, "yyyy-mm-dd"))
				return web_error(rq, rs, 500, s75_error_last());
			per = s75_period_add(s75_period_of_date(today), -1);
		}
	}
	s75_report_options o = web_report_options(rq);
	if (s75_report_recharges(&d, rq->db, rq->ag, per, partner, &o))
		return web_error(rq, rs, 400, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
