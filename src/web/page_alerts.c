/* The tolerance alerts (s75 alerts) of the latest period, or ?period=, as of today: for
 * every role, as the risk share and governance pages. */
#include <stdio.h>

#include "web.h"

int page_alerts(web_req *rq, web_resp *rs)
{
	s75_period per;
	s75_date today;
	bool given;
	s75_doc *d = NULL;
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (!given && s75_ledger_latest_period(&per, rq->db))
		return web_error(rq, rs, 404, "no ledger has been imported yet");
	if (s75_date_parse_fmt(&today, rq->now_iso, 10, "yyyy-mm-dd"))
		return web_error(rq, rs, 500, s75_error_last());
	s75_report_options o = web_report_options(rq);
	if (s75_report_alerts(&d, rq->db, rq->ag, per, today, &o))
		return web_error(rq, rs, 400, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
