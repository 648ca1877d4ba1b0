/* Contributions due and overdue (s75 report contributions-due) as of today: the pool
 * manager, the partners' finance leads and the auditor. */
#include "web.h"

int page_contributions_due(web_req *rq, web_resp *rs)
{
	s75_date today;
	s75_doc *d = NULL;
	if (s75_date_parse_fmt(&today, rq->now_iso, 10, "yyyy-mm-dd"))
		return web_error(rq, rs, 500, s75_error_last());
	s75_report_options o = web_report_options(rq);
	if (s75_report_contributions_due(&d, rq->db, rq->ag, s75_fy_of_date(today), today, &o))
		return web_error(rq, rs, 404, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
