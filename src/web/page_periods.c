/* The closed periods and prior-period items (s75 period list): read by the pool manager,
 * the partners' finance leads and the auditor. */
#include "web.h"

int page_periods(web_req *rq, web_resp *rs)
{
	s75_doc *d;
	s75_report_options o = web_report_options(rq);
	if (s75_report_periods(&d, rq->db, rq->ag, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
