/* The one table of routes: path, method, the roles that may use it, and its handler.
 * server.c checks all of it (session, role, pool, Origin, CSRF) before a handler runs.
 * WEB_POOL paths follow /pool/ID; WEB_WHOLE pages show every pool of the agreement. */
#include "web.h"

#define READERS (WEB_PM | WEB_PARTNER | WEB_AUDITOR)

const web_route web_routes[] = {
	{"GET", "/login", WEB_PUBLIC, 0, page_login_form, NULL},
	{"POST", "/login", WEB_PUBLIC, 0, page_login, NULL},
	{"POST", "/logout", WEB_ANYONE, 0, page_logout, NULL},
	{"GET", "/s75.css", WEB_PUBLIC, 0, page_css, NULL},
	{"GET", "/", WEB_ANYONE, WEB_CACHE, page_glance, "Pools"},
	{"GET", "", WEB_ANYONE, WEB_POOL | WEB_CACHE, page_pool, NULL},
	{"GET", "/transactions", READERS, WEB_POOL, page_transactions, NULL},
	{"GET", "/kpi", WEB_ANYONE, WEB_POOL, page_pool_kpi, NULL},
	/* aggregates only, unless the pool manager (page_pool_packages) */
	{"GET", "/packages", WEB_ANYONE, WEB_POOL, page_pool_packages, NULL},
	{"GET", "/riskshare", WEB_ANYONE, WEB_WHOLE, page_riskshare, "Risk share"},
	{"GET", "/alerts", WEB_ANYONE, WEB_WHOLE, page_alerts, "Tolerance alerts"},
	{"GET", "/savings", WEB_ANYONE, WEB_WHOLE, page_savings, "Savings delivery"},
	{"GET", "/settlement", WEB_ANYONE, WEB_WHOLE, page_settle, "Settlement"},
	{"GET", "/contributions", WEB_ANYONE, WEB_WHOLE, page_contributions, "Contributions"},
	{"GET", "/quarterly", WEB_ANYONE, WEB_WHOLE, page_quarterly, "Quarterly report"},
	{"GET", "/annual-return", WEB_ANYONE, WEB_WHOLE, page_annual_return, "Annual return"},
	{"GET", "/governance", WEB_ANYONE, WEB_WHOLE, page_governance, "Governance"},
	{"GET", "/status", WEB_ANYONE, WEB_WHOLE, page_status, "Status"},
	{"GET", "/history", WEB_ANYONE, WEB_WHOLE, page_history, "History"},
	{"GET", "/batches", READERS, WEB_WHOLE, page_batches, "Batches"},
	{"GET", "/periods", READERS, WEB_WHOLE, page_periods, "Closed periods"},
	{"GET", "/budgets", READERS, WEB_WHOLE, page_budgets, "Budgets"},
	{"GET", "/contributions-due", READERS, WEB_WHOLE, page_contributions_due, "Contributions due"},
	/* a partner's finance lead: only the statements its partner pays or receives, whichever
	 * pools it sees (page_recharges) */
	{"GET", "/recharges", READERS, 0, page_recharges, "Recharges"},
	{"GET", "/upload", WEB_PM | WEB_PARTNER, 0, page_upload_form, "Upload"},
	{"POST", "/upload", WEB_PM | WEB_PARTNER, 0, page_upload_preview, NULL},
	{"POST", "/upload/commit", WEB_PM | WEB_PARTNER, 0, page_upload_commit, NULL},
	{"GET", "/receipts", WEB_PM | WEB_PARTNER, 0, page_receipts, "Receipts"},
	{"POST", "/receipts", WEB_PM | WEB_PARTNER, 0, page_receipt_record, NULL},
	/* a partner's finance lead: only its own partner's savings and payments (page_records.c) */
	{"GET", "/savings/delivery", WEB_PM | WEB_PARTNER, 0, page_savings_delivery, "Savings delivered"},
	{"POST", "/savings/delivery", WEB_PM | WEB_PARTNER, 0, page_saving_record, NULL},
	{"GET", "/payments", WEB_PM | WEB_PARTNER, 0, page_payments, "Payments"},
	{"POST", "/payments", WEB_PM | WEB_PARTNER, 0, page_payment_record, NULL},
	{"GET", "/audit", WEB_PM | WEB_AUDITOR, 0, page_audit, "Audit log"},
	{"GET", "/users", WEB_PM | WEB_AUDITOR, 0, page_users, "Accounts"},
	{NULL, NULL, 0, 0, NULL, NULL},
};
