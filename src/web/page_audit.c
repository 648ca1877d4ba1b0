/* The audit log and the accounts: read by the pool manager and the auditor. */
#include "web.h"

int page_audit(web_req *rq, web_resp *rs)
{
	s75_doc *d;
	s75_report_options o = web_report_options(rq);
	if (s75_report_audit(&d, rq->db, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}

int page_users(web_req *rq, web_resp *rs)
{
	s75_doc *d;
	s75_report_options o = web_report_options(rq);
	if (s75_report_users(&d, rq->db, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
