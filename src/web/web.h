/* The web dashboard (s75 serve): a client of the library, like src/cli. One route table
 * (routes.c) says for each path its method, the roles that may use it and its handler; the
 * server (server.c) checks the session, the role, the pool, the CSRF token and the Origin
 * before any handler runs. Pages (page_*.c) show the library's documents, wrapped in a
 * layout (html.c); every value not from the program itself goes through web_html_text() or
 * web_html_attr(). */
#ifndef S75_WEB_H
#define S75_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "s75/s75.h"

/* How the server is started (cmd_serve.c fills it from its options). */
typedef struct web_config {
	const char *listen;     /* "127.0.0.1:8075", "[::1]:8075"; port 0 picks a free one */
	const char *tls_cert;   /* PEM files, both or neither */
	const char *tls_key;
	bool insecure_listen;   /* allow plain HTTP on an address other than loopback */
	const char *db_path;    /* the workspace's s75.db */
	const char *upload_dir; /* where uploads wait between preview and import */
	const char *chromium;   /* for PDFs; NULL: no PDF links */
	int threads;
	s75_login_policy policy;
	const char *access_log; /* a file to append one line per request to, or NULL */
} web_config;

#define WEB_CONFIG_INIT {"127.0.0.1:8075", NULL, NULL, false, "s75.db", ".s75-uploads", NULL, 4, S75_LOGIN_POLICY_INIT, NULL}

typedef struct web_server web_server;

/* Starts serving `ag` (not copied: keep it until web_stop). 0, or -1 with `err` set. */
int web_start(web_server **out, const web_config *cfg, const s75_agreement *ag, char *err,
	      size_t errlen);
/* The port it listens on. */
int web_port(const web_server *s);
/* Stops it and frees it. */
void web_stop(web_server *s);

/* A role as a bit, for the route table. */
enum {
	WEB_PM = 1u << S75_ROLE_POOL_MANAGER,
	WEB_PARTNER = 1u << S75_ROLE_PARTNER,
	WEB_BOARD = 1u << S75_ROLE_BOARD,
	WEB_AUDITOR = 1u << S75_ROLE_AUDITOR,
	WEB_ANYONE = 15u,
	WEB_PUBLIC = 0u /* no login needed */
};

/* Route flags. */
enum {
	WEB_POOL = 1,  /* the path is /pool/ID/...: the pool must be one the account sees */
	WEB_WHOLE = 2, /* shows every pool: only for an account that sees every pool */
	WEB_CACHE = 4  /* its document's HTML is kept until the database changes (cache.c) */
};

typedef struct web_req {
	const web_config *cfg;
	const s75_agreement *ag;
	s75_db *db;
	const char *method;
	const char *path;    /* decoded, without the query */
	web_params query, form, cookies;
	const char *origin, *host, *address;
	const char *fetch_site; /* Sec-Fetch-Site */
	bool tls;
	bool logged_in;
	s75_user user;
	char sid[S75_SESSION_ID_LEN + 1];
	char csrf[S75_SESSION_ID_LEN + 1];
	bool *pools;         /* the pools the account sees, per arrangement */
	bool all_pools;      /* it sees every pooled fund */
	int pool;            /* WEB_POOL routes: the arrangement, else -1 */
	const char *raw_query; /* as sent, or NULL */
	char *cache_key;     /* WEB_CACHE routes: where web_send_doc keeps the HTML */
	int64_t generation;  /* s75_db_generation() when the request began */
	const char *cache_state; /* WEB_CACHE routes: "hit", "wait" (got another's build), "build" */
	int64_t now;         /* seconds since 1970 */
	char now_iso[32];
} web_req;

/* cache.c: a page's HTML as the cache keeps it, shared (counted) with the responses that
 * send it. */
typedef struct web_blob web_blob;
const char *web_blob_data(const web_blob *b);
size_t web_blob_len(const web_blob *b);
void web_blob_unref(web_blob *b);

typedef struct web_resp {
	int status;
	s75_buf body;
	web_blob *shared;  /* sent after body, uncopied (a cached page's document), or NULL */
	const char *tail;  /* a constant sent after it, or NULL */
	const char *content_type;
	char *set_cookie;
	char *location;
	char *disposition; /* Content-Disposition, for downloads */
} web_resp;

typedef int (*web_handler)(web_req *rq, web_resp *rs);

typedef struct web_route {
	const char *method;
	const char *path;  /* WEB_POOL: what follows /pool/ID ("" for the pool's page) */
	unsigned roles;
	unsigned flags;
	web_handler fn;
	const char *nav;   /* its label in the navigation, or NULL */
} web_route;

/* The route table (routes.c), ending with a NULL path. */
extern const web_route web_routes[];

/* html.c: the one escaping of text and of attribute values, and the page layout. */
void web_html_text(s75_buf *out, const char *s);
void web_html_attr(s75_buf *out, const char *s);
void web_page_begin(web_req *rq, web_resp *rs, const char *title);
void web_page_end(web_req *rq, web_resp *rs);
/* What web_page_end() appends. */
#define WEB_PAGE_END "</div></body></html>\n"
/* A hidden CSRF field for a form. */
void web_csrf_field(web_req *rq, s75_buf *out);
/* A form's outcome above it: `message` (NULL: nothing) as an error or a confirmation. */
void web_message(s75_buf *out, const char *message, bool failed);
/* A link to `href` (built by the program; its query values escaped by the caller). */
void web_link(s75_buf *out, const char *href, const char *label);
/* Appends `s` percent-encoded, for a query value. */
void web_url_encode(s75_buf *out, const char *s);
/* An error page. Returns 0. */
int web_error(web_req *rq, web_resp *rs, int status, const char *message);

/* A document as the response: HTML in the layout (with download links), or CSV, XLSX or
 * PDF by ?format=. Frees `d`. `extra` (may be NULL) is HTML added under the document. */
int web_send_doc(web_req *rq, web_resp *rs, s75_doc *d, const char *extra);
/* The download links of a document page (CSV when it has that form). */
void web_downloads_for(web_req *rq, web_resp *rs, bool has_csv);
void web_downloads(web_req *rq, web_resp *rs);
/* The report options of a page: produced now by the server. */
s75_report_options web_report_options(const web_req *rq);
/* Reads ?period= (default: NULL, the latest); -1 after an error page. */
int web_period(web_req *rq, web_resp *rs, s75_period *out, bool *given);
/* Reads ?year= (default: the agreement's latest year); -1 after an error page. */
int web_year(web_req *rq, web_resp *rs, int *fy);

/* cache.c: a document's HTML kept per key until the database's generation changes. A
 * request of generation G gets a version built at G or later: "hit" (copied into `title`
 * and `html`), "wait" (it waited for another request's build and got it), or "build" (none:
 * this request builds it, gives it to web_cache_put(), and calls web_cache_done() after,
 * whether the build succeeded or not). */
void web_cache_key(web_req *rq, s75_buf *key);
const char *web_cache_get(web_req *rq, const char *key, int64_t generation, s75_buf *title,
			  web_blob **html);
void web_cache_put(const char *key, int64_t generation, const char *title, const char *html);
void web_cache_done(const char *key, int64_t generation);
void web_cache_clear(void);

/* The handlers, one file per page group. */
int page_login_form(web_req *rq, web_resp *rs);
int page_login(web_req *rq, web_resp *rs);
int page_logout(web_req *rq, web_resp *rs);
int page_css(web_req *rq, web_resp *rs);
int page_glance(web_req *rq, web_resp *rs);
int page_pool(web_req *rq, web_resp *rs);
int page_transactions(web_req *rq, web_resp *rs);
int page_pool_kpi(web_req *rq, web_resp *rs);
int page_pool_packages(web_req *rq, web_resp *rs);
int page_riskshare(web_req *rq, web_resp *rs);
int page_settle(web_req *rq, web_resp *rs);
int page_contributions(web_req *rq, web_resp *rs);
int page_quarterly(web_req *rq, web_resp *rs);
int page_annual_return(web_req *rq, web_resp *rs);
int page_governance(web_req *rq, web_resp *rs);
int page_status(web_req *rq, web_resp *rs);
int page_history(web_req *rq, web_resp *rs);
int page_batches(web_req *rq, web_resp *rs);
int page_periods(web_req *rq, web_resp *rs);
int page_alerts(web_req *rq, web_resp *rs);
/* page_recharges.c */
int page_recharges(web_req *rq, web_resp *rs);
int page_savings(web_req *rq, web_resp *rs);
int page_budgets(web_req *rq, web_resp *rs);
int page_contributions_due(web_req *rq, web_resp *rs);
int page_upload_form(web_req *rq, web_resp *rs);
int page_upload_preview(web_req *rq, web_resp *rs);
int page_upload_commit(web_req *rq, web_resp *rs);
int page_audit(web_req *rq, web_resp *rs);
int page_users(web_req *rq, web_resp *rs);
int page_receipts(web_req *rq, web_resp *rs);
int page_receipt_record(web_req *rq, web_resp *rs);
/* page_records.c: savings delivered and contributions received */
int page_savings_delivery(web_req *rq, web_resp *rs);
int page_saving_record(web_req *rq, web_resp *rs);
int page_payments(web_req *rq, web_resp *rs);
int page_payment_record(web_req *rq, web_resp *rs);

#endif
