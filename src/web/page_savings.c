/* Savings delivery (s75 report savings) at the latest period, or ?period=: for every role,
 * as the risk share it feeds; the board follows the plans at risk. */
#include "web.h"

int page_savings(web_req *rq, web_resp *rs)
{
	s75_period per;
	bool given;
	s75_doc *d = NULL;
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (!given && s75_ledger_latest_period(&per, rq->db))
		return web_error(rq, rs, 404, "no ledger has been imported yet");
	s75_report_options o = web_report_options(rq);
	if (s75_report_savings(&d, rq->db, rq->ag, per, &o))
		return web_error(rq, rs, 400, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
