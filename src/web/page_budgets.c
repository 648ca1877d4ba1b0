/* The budgets in their versions (s75 budgets --version revised|latest): the original, the
 * revisions with their decisions, the revised budget and (?version=latest) the forecast; read
 * by the pool manager, the partners' finance leads and the auditor. ?year=, ?period=. */
#include "web.h"

int page_budgets(web_req *rq, web_resp *rs)
{
	s75_budgets_options bo = S75_BUDGETS_OPTIONS_INIT;
	const char *v = web_params_value(&rq->query, "version");
	s75_period per;
	bool given;
	s75_doc *d;
	bo.version = S75_BV_REVISED;
	if (v && *v && s75_budget_version_parse(&bo.version, v))
		return web_error(rq, rs, 400, s75_error_last());
	if (web_period(rq, rs, &per, &given))
		return 0;
	if (given) {
		bo.fy = per.fy;
		bo.period = per.p;
	} else if (web_year(rq, rs, &bo.fy)) {
		return 0;
	}
	s75_report_options o = web_report_options(rq);
	if (s75_report_budget_versions(&d, rq->db, rq->ag, &bo, &o))
		return web_error(rq, rs, 400, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}
