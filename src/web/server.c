/* The HTTP server (libmicrohttpd): reads each request, checks it against the route table
 * (session, role, pool, Origin, CSRF token) before any handler runs, and answers with the
 * security headers every response carries. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sodium.h>
#include <time.h>
#include <unistd.h>

#include "web.h"

/* The largest request body: an upload of a ledger extract, streamed to a file as it
 * arrives; a form without a file is kept in memory, up to MAX_FORM; a field of a
 * multipart form (not a file) up to MAX_FIELD. */
#define MAX_BODY (256u << 20)
#define MAX_FORM (1u << 20)
#define MAX_FIELD (64u << 10)
#define MAX_FIELDS 64
#define SESSION_COOKIE "s75_session"

#define CSP "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

struct web_server {
	web_config cfg;
	const s75_agreement *ag;
	struct MHD_Daemon *d;
	char *cert, *key;
	int port;
	/* one SQLite connection per request at a time: a pool of them */
	pthread_mutex_t mu;
	s75_db **free_dbs, **all_dbs;
	size_t nfree, nall, alloc;
	FILE *log; /* the access log (--access-log), or NULL */
	pthread_mutex_t log_mu;
};

/* What is kept of a connection's request while its body arrives. */
typedef struct conn_ctx {
	char *uri; /* as sent: the path and the query */
	s75_buf body;      /* a form that is not multipart */
	web_multipart *mp; /* a multipart form, parsed as it arrives (its files on disk) */
	size_t received;
	bool too_big, bad_form;
	bool no_session; /* a multipart body without a valid session: dropped as it arrives */
	bool started; /* the first call (headers only) has been seen */
} conn_ctx;

static s75_db *db_acquire(web_server *s)
{
	s75_db *db = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->nfree)
		db = s->free_dbs[--s->nfree];
	pthread_mutex_unlock(&s->mu);
	if (db)
		return db;
	if (s75_db_open(&db, s->cfg.db_path, 0))
		return NULL;
	pthread_mutex_lock(&s->mu);
	if (s->nall == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 8;
		s->all_dbs = web_xrealloc(s->all_dbs, s->alloc * sizeof(*s->all_dbs));
		s->free_dbs = web_xrealloc(s->free_dbs, s->alloc * sizeof(*s->free_dbs));
	}
	s->all_dbs[s->nall++] = db;
	pthread_mutex_unlock(&s->mu);
	return db;
}

static void db_release(web_server *s, s75_db *db)
{
	if (!db)
		return;
	s75_db_set_actor(db, NULL, NULL);
	pthread_mutex_lock(&s->mu);
	s->free_dbs[s->nfree++] = db;
	pthread_mutex_unlock(&s->mu);
}

/* Where an upload's file goes as it arrives (request.h): a file of the uploads folder,
 * written through the library's safe writer (a private folder, then a rename). */
static void *sink_open(void *ctx, char **path)
{
	web_server *s = ctx;
	unsigned char raw[16];
	char hex[33];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	s75_buf b = S75_BUF_INIT;
	s75_buf_printf(&b, "%s/in-%s.part", s->cfg.upload_dir, hex);
	s75_outfile *f;
	if (s75_outfile_open(&f, b.ptr)) {
		s75_buf_release(&b);
		return NULL;
	}
	*path = s75_buf_detach(&b);
	return f;
}

static int sink_write(void *file, const char *data, size_t len)
{
	return fwrite(data, 1, len, s75_outfile_fp(file)) == len ? 0 : -1;
}

static int sink_close(void *file, bool keep)
{
	if (keep)
		return s75_outfile_commit(file) ? -1 : 0;
	s75_outfile_abort(file);
	return 0;
}

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	conn_ctx *cx = web_xmalloc(sizeof(*cx));
	cx->uri = web_xstrdup(uri ? uri : "/");
	s75_buf_init(&cx->body);
	cx->mp = NULL;
	cx->received = 0;
	cx->too_big = cx->bad_form = cx->no_session = false;
	cx->started = false;
	return cx;
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	conn_ctx *cx = *req_cls;
	if (!cx)
		return;
	free(cx->uri);
	s75_buf_release(&cx->body);
	web_multipart_free(cx->mp);
	free(cx);
	*req_cls = NULL;
}

static void add_security_headers(struct MHD_Response *r, bool tls)
{
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	if (tls)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

/* What a response made of parts frees when it is done. */
typedef struct parts {
	char *body;
	web_blob *shared;
} parts;

static void parts_free(void *cls)
{
	parts *p = cls;
	free(p->body);
	web_blob_unref(p->shared);
	free(p);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, web_resp *rs, bool tls,
				 bool cacheable)
{
	/* the body is handed over, not copied: MHD frees it (a page may be large); a cached
	 * document follows it as the cache keeps it */
	size_t len = rs->body.len;
	char *body = s75_buf_detach(&rs->body);
	struct MHD_Response *r;
	if (rs->shared) {
		parts *p = web_xmalloc(sizeof(*p));
		p->body = body;
		p->shared = rs->shared;
		rs->shared = NULL;
		const char *tail = rs->tail ? rs->tail : "";
		struct MHD_IoVec iov[3] = {{body, len},
					   {web_blob_data(p->shared), web_blob_len(p->shared)},
					   {tail, strlen(tail)}};
		r = MHD_create_response_from_iovec(iov, 3, parts_free, p);
		if (!r) {
			parts_free(p);
			return MHD_NO;
		}
	} else {
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!r) {
			free(body);
			return MHD_NO;
		}
	}
	add_security_headers(r, tls);
	MHD_add_response_header(r, "Content-Type",
				rs->content_type ? rs->content_type : "text/html; charset=utf-8");
	/* every page may carry figures or personal data: nothing is kept by a cache */
	MHD_add_response_header(r, "Cache-Control", cacheable ? "max-age=3600" : "no-store");
	if (rs->set_cookie)
		MHD_add_response_header(r, "Set-Cookie", rs->set_cookie);
	if (rs->location)
		MHD_add_response_header(r, "Location", rs->location);
	if (rs->disposition)
		MHD_add_response_header(r, "Content-Disposition", rs->disposition);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The pools an account sees (docs/web.md): everything for the pool manager and the auditor;
 * for a partner's finance lead and a board member, the pools its partner takes part in, or
 * the one pool it is limited to. */
static void visible_pools(web_req *rq)
{
	const s75_agreement *ag = rq->ag;
	const s75_user *u = &rq->user;
	int partner = u->partner ? s75_agreement_find_partner(ag, u->partner) : -1;
	rq->pools = calloc(ag->narrangements + 1, sizeof(bool));
	if (!rq->pools)
		abort();
	rq->all_pools = true;
	for (size_t a = 0; a < ag->narrangements; a++) {
		if (ag->arrangements[a].kind != S75_ARR_POOLED_FUND)
			continue;
		bool see;
		if (u->role == S75_ROLE_POOL_MANAGER || u->role == S75_ROLE_AUDITOR)
			see = true;
		else if (u->pool)
			see = !strcmp(u->pool, ag->arrangements[a].id) &&
			      (!u->partner || s75_agreement_partner_in_pool(ag, partner, (int)a));
		else if (u->partner)
			see = s75_agreement_partner_in_pool(ag, partner, (int)a);
		else
			see = u->role == S75_ROLE_BOARD;
		rq->pools[a] = see;
		rq->all_pools &= see;
	}
}

/* Whether the request's Origin is this server: its host (and port) as the Host header says,
 * by http or https (a reverse proxy may end TLS in front of it). Under Referrer-Policy
 * no-referrer a browser sends "Origin: null" with a form's POST; then its Sec-Fetch-Site
 * header, which no page's script can set, must say the form was this site's own. */
static bool origin_ok(const web_req *rq)
{
	if (rq->origin && !strcmp(rq->origin, "null"))
		return rq->fetch_site && !strcmp(rq->fetch_site, "same-origin");
	if (!rq->origin || !rq->host)
		return false;
	const char *o = rq->origin;
	if (!strncmp(o, "https://", 8))
		o += 8;
	else if (!strncmp(o, "http://", 7))
		o += 7;
	else
		return false;
	return !strcmp(o, rq->host);
}

/* Matches `path` against a route; for WEB_POOL routes sets *pool_id (length *plen). */
static bool route_match(const web_route *r, const char *path, const char **pool_id, size_t *plen)
{
	if (!(r->flags & WEB_POOL))
		return !strcmp(r->path, path);
	if (strncmp(path, "/pool/", 6))
		return false;
	const char *id = path + 6, *slash = strchr(id, '/');
	size_t n = slash ? (size_t)(slash - id) : strlen(id);
	if (n == 0)
		return false;
	*pool_id = id;
	*plen = n;
	return !strcmp(slash ? slash : "", r->path);
}

static int dispatch(web_server *s, web_req *rq, web_resp *rs, conn_ctx *cx)
{
	const web_route *route = NULL;
	bool path_known = false;
	const char *pool_id = NULL;
	size_t plen = 0;
	for (const web_route *r = web_routes; r->path; r++) {
		const char *id = NULL;
		size_t n = 0;
		if (!route_match(r, rq->path, &id, &n))
			continue;
		path_known = true;
		if (!strcmp(r->method, rq->method) ||
		    (!strcmp(rq->method, "HEAD") && !strcmp(r->method, "GET"))) {
			route = r;
			pool_id = id;
			plen = n;
			break;
		}
	}
	if (!route)
		return web_error(rq, rs, path_known ? 405 : 404,
				 path_known ? "that method is not allowed here" : "no such page");
	bool post = !strcmp(route->method, "POST");
	if (post) {
		/* every state-changing request comes from a page of this server */
		if (!origin_ok(rq))
			return web_error(rq, rs, 403, "the request did not come from this site");
		if (cx->too_big)
			return web_error(rq, rs, 413, "the upload is too large");
		int bad;
		if (cx->no_session)
			bad = 0; /* no form: refused below as without a session */
		else if (cx->mp)
			bad = cx->bad_form || web_multipart_finish(cx->mp, &rq->form);
		else
			bad = cx->bad_form || web_parse_urlencoded(&rq->form,
								   cx->body.ptr ? cx->body.ptr : "",
								   cx->body.len, MAX_FIELDS);
		if (bad)
			return web_error(rq, rs, 400, "the form could not be read");
	}
	if (route->roles == WEB_PUBLIC)
		return route->fn(rq, rs);
	if (!rq->logged_in) {
		if (post)
			return web_error(rq, rs, 403, "your session has ended: log in again");
		rs->status = 303;
		rs->location = web_xstrdup("/login");
		return 0;
	}
	if (!(route->roles & (1u << rq->user.role)))
		return web_error(rq, rs, 403, "your role may not do this");
	if (post) {
		const char *t = web_params_value(&rq->form, "csrf");
		if (!t || !s75_secret_equal(t, rq->csrf))
			return web_error(rq, rs, 403, "the form has expired: reload the page");
	}
	if (route->flags & WEB_POOL) {
		rq->pool = -1;
		for (size_t a = 0; a < rq->ag->narrangements; a++)
			if (strlen(rq->ag->arrangements[a].id) == plen &&
			    !strncmp(rq->ag->arrangements[a].id, pool_id, plen) && rq->pools[a])
				rq->pool = (int)a;
		/* a pool the account may not see is a pool that does not exist */
		if (rq->pool < 0)
			return web_error(rq, rs, 404, "no such page");
	}
	if ((route->flags & WEB_WHOLE) && !rq->all_pools)
		return web_error(rq, rs, 404, "no such page");
	s75_db_set_actor(rq->db, rq->user.email, rq->address);
	(void)s;
	/* a page reads one snapshot of the database: its figures are of one commit, and its
	 * generation is that commit's (the cache's consistency rule, cache.c) */
	bool snapshot = !post;
	if (snapshot && s75_db_read_begin(&rq->generation, rq->db))
		return web_error(rq, rs, 503, s75_error_last());
	if ((route->flags & WEB_CACHE) && !web_params_get(&rq->query, "format")) {
		s75_buf key = S75_BUF_INIT, title = S75_BUF_INIT;
		web_blob *html = NULL;
		web_cache_key(rq, &key);
		rq->cache_state = web_cache_get(rq, key.ptr, rq->generation, &title, &html);
		if (html) {
			/* the layout around the cached document, which is sent as it is kept */
			web_page_begin(rq, rs, title.ptr ? title.ptr : "");
			s75_buf_release(&title);
			web_downloads(rq, rs);
			rs->shared = html;
			rs->tail = WEB_PAGE_END;
			s75_buf_release(&key);
			s75_db_read_end(rq->db);
			return 0;
		}
		s75_buf_release(&title);
		rq->cache_key = s75_buf_detach(&key);
	}
	int rc = route->fn(rq, rs);
	if (rq->cache_key)
		web_cache_done(rq->cache_key, rq->generation);
	if (snapshot)
		s75_db_read_end(rq->db);
	return rc;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void client_address(struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, len, "?");
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)len);
}

/* Whether the request's session cookie names a live session (before its body is read). */
static bool session_valid(web_server *s, struct MHD_Connection *c)
{
	const char *cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
	web_params cookies = WEB_PARAMS_INIT;
	bool ok = false;
	if (cookie && !web_parse_cookies(&cookies, cookie, strlen(cookie))) {
		const char *sid = web_params_value(&cookies, SESSION_COOKIE);
		s75_db *db = sid ? db_acquire(s) : NULL;
		if (db) {
			s75_user u;
			char csrf[S75_SESSION_ID_LEN + 1];
			ok = !s75_session_find(&u, csrf, db, sid, &s->cfg.policy, (int64_t)time(NULL));
			s75_user_release(&u);
			db_release(s, db);
		}
	}
	web_params_release(&cookies);
	return ok;
}

/* One line of the access log: when the request's handling began (UTC, milliseconds), from
 * where, who, the method and the address as sent (bytes outside printable ASCII as '?'), the
 * status, the bytes of the body, the microseconds the server took to answer, and for the
 * cached pages whether the page was a cache hit, built, or waited for another's build. */
static void log_request(web_server *s, const struct timespec *at, int64_t us, const web_req *rq,
			const char *uri, int status, size_t bytes)
{
	struct tm tm;
	char when[32];
	time_t t = at->tv_sec;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	pthread_mutex_lock(&s->log_mu);
	fprintf(s->log, "%s.%03ldZ %s %s %s ", when, at->tv_nsec / 1000000L, rq->address,
		rq->logged_in && rq->user.email ? rq->user.email : "-", rq->method);
	for (const char *p = uri; *p; p++)
		fputc(*p > 0x20 && *p < 0x7f ? *p : '?', s->log);
	fprintf(s->log, " %d %zu %lld %s\n", status, bytes, (long long)us,
		rq->cache_state ? rq->cache_state : "-");
	pthread_mutex_unlock(&s->log_mu);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	web_server *s = cls;
	conn_ctx *cx = *req_cls;
	(void)url;
	(void)version;
	if (!cx->started) {
		/* the headers alone: the body (if any) follows in later calls */
		cx->started = true;
		if (!strcmp(method, "POST")) {
			char *boundary = web_multipart_boundary(header(c, "Content-Type"));
			/* only a logged-in account's upload is written to disk; another's body is
			 * read and dropped, and the request refused (403) */
			if (boundary && !session_valid(s, c)) {
				cx->no_session = true;
			} else if (boundary) {
				web_file_sink sink = {sink_open, sink_write, sink_close, s};
				cx->mp = web_multipart_new(boundary, MAX_FIELDS, MAX_FIELD, &sink);
			}
			free(boundary);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (cx->too_big || cx->bad_form || n > MAX_BODY - cx->received) {
			cx->too_big = cx->too_big || !cx->bad_form;
			web_multipart_free(cx->mp); /* removes its files */
			cx->mp = NULL;
			return MHD_YES;
		}
		cx->received += n;
		if (cx->no_session) {
			/* dropped: dispatch() refuses the request */
		} else if (cx->mp) {
			if (web_multipart_feed(cx->mp, upload_data, n))
				cx->bad_form = true;
		} else if (cx->body.len + n > MAX_FORM) {
			cx->too_big = true;
			s75_buf_release(&cx->body);
		} else {
			s75_buf_add(&cx->body, upload_data, n);
		}
		return MHD_YES;
	}
	web_req rq;
	web_resp rs;
	char address[64];
	struct timespec t0, t0_wall;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &t0_wall);
	memset(&rq, 0, sizeof(rq));
	memset(&rs, 0, sizeof(rs));
	s75_buf_init(&rs.body);
	rs.status = 200;
	rq.cfg = &s->cfg;
	rq.ag = s->ag;
	rq.method = method;
	rq.pool = -1;
	rq.tls = s->cert != NULL;
	rq.origin = header(c, "Origin");
	rq.host = header(c, "Host");
	rq.fetch_site = header(c, "Sec-Fetch-Site");
	client_address(c, address, sizeof(address));
	rq.address = address;
	rq.now = (int64_t)time(NULL);
	struct tm tm;
	time_t t = (time_t)rq.now;
	gmtime_r(&t, &tm);
	strftime(rq.now_iso, sizeof(rq.now_iso), "%Y-%m-%dT%H:%M:%SZ", &tm);

	char *path = NULL;
	const char *q = strchr(cx->uri, '?');
	size_t plen = q ? (size_t)(q - cx->uri) : strlen(cx->uri);
	path = web_url_decode(cx->uri, plen, false);
	rq.path = path;
	rq.raw_query = q ? q + 1 : NULL;
	bool cacheable = false;
	const char *cookie = header(c, "Cookie");
	if (cookie && web_parse_cookies(&rq.cookies, cookie, strlen(cookie)))
		web_params_release(&rq.cookies); /* a malformed header: as if none */
	if (!(rq.db = db_acquire(s))) {
		web_error(&rq, &rs, 503, "the workspace database cannot be opened");
	} else if (!path || !web_path_ok(path)) {
		web_error(&rq, &rs, 404, "no such page");
	} else if (q && web_parse_urlencoded(&rq.query, q + 1, strlen(q + 1), MAX_FIELDS)) {
		web_error(&rq, &rs, 400, "the address could not be read");
	} else {
		const char *sid = web_params_value(&rq.cookies, SESSION_COOKIE);
		if (sid && !s75_session_find(&rq.user, rq.csrf, rq.db, sid, &s->cfg.policy, rq.now)) {
			rq.logged_in = true;
			snprintf(rq.sid, sizeof(rq.sid), "%s", sid);
		}
		visible_pools(&rq);
		cacheable = !strcmp(path, "/s75.css");
		dispatch(s, &rq, &rs, cx);
		/* the files of an upload the page did not keep (it renames those it keeps) */
		for (size_t i = 0; i < rq.form.n; i++)
			if (rq.form.items[i].path)
				unlink(rq.form.items[i].path);
	}
	size_t bytes = rs.body.len + (rs.shared ? web_blob_len(rs.shared) : 0) +
		       (rs.tail ? strlen(rs.tail) : 0);
	enum MHD_Result ret = send_resp(c, &rs, rq.tls, cacheable);
	db_release(s, rq.db);
	if (s->log) {
		struct timespec t1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		int64_t us = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
			     (t1.tv_nsec - t0.tv_nsec) / 1000;
		log_request(s, &t0_wall, us, &rq, cx->uri, rs.status, bytes);
	}
	free(path);
	free(rq.pools);
	free(rq.cache_key);
	web_params_release(&rq.query);
	web_params_release(&rq.form);
	web_params_release(&rq.cookies);
	s75_user_release(&rq.user);
	s75_buf_release(&rs.body);
	web_blob_unref(rs.shared);
	free(rs.set_cookie);
	free(rs.location);
	free(rs.disposition);
	return ret;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	s75_buf b = S75_BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		s75_buf_add(&b, chunk, n);
	fclose(fp);
	return s75_buf_detach(&b);
}

/* Parses "HOST:PORT" or "[V6]:PORT" into `ss`. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl,
			bool *loopback)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof(host))
		return -1;
	const char *h = listen;
	size_t hl = (size_t)(colon - listen);
	if (h[0] == '[') {
		if (h[hl - 1] != ']')
			return -1;
		h++;
		hl -= 2;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	char *end;
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (*end || colon[1] == '\0' || port < 0 || port > 65535 || errno)
		return -1;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) || !res)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sl = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)(void *)ss;
		a->sin_port = htons((uint16_t)port);
		*loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)ss;
		a->sin6_port = htons((uint16_t)port);
		*loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
	}
	return 0;
}

int web_start(web_server **out, const web_config *cfg, const s75_agreement *ag, char *err,
	      size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool loopback = false;
	*out = NULL;
	if (parse_listen(cfg->listen, &ss, &sl, &loopback)) {
		snprintf(err, errlen, "'%s' is not an address to listen on (HOST:PORT, [V6]:PORT)",
			 cfg->listen);
		return -1;
	}
	if (!cfg->tls_cert != !cfg->tls_key) {
		snprintf(err, errlen, "--tls-cert and --tls-key go together");
		return -1;
	}
	if (!loopback && !cfg->tls_cert && !cfg->insecure_listen) {
		snprintf(err, errlen,
			 "plain HTTP only on loopback: give --tls-cert and --tls-key, or put a "
			 "reverse proxy in front and say --insecure-listen");
		return -1;
	}
	web_server *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->cfg = *cfg;
	s->ag = ag;
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->log_mu, NULL);
	if (cfg->access_log) {
		int fd = open(cfg->access_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0 || !(s->log = fdopen(fd, "a"))) {
			snprintf(err, errlen, "cannot open the access log '%s': %s", cfg->access_log,
				 strerror(errno));
			if (fd >= 0)
				close(fd);
			web_stop(s);
			return -1;
		}
	}
	if (cfg->tls_cert) {
		s->cert = read_file(cfg->tls_cert);
		s->key = read_file(cfg->tls_key);
		if (!s->cert || !s->key) {
			snprintf(err, errlen, "cannot read '%s': %s",
				 s->cert ? cfg->tls_key : cfg->tls_cert, strerror(errno));
			web_stop(s);
			return -1;
		}
	}
	/* check the database opens before listening */
	s75_db *db = db_acquire(s);
	if (!db) {
		snprintf(err, errlen, "%s", s75_error_last());
		web_stop(s);
		return -1;
	}
	db_release(s, db);
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (s->cert)
		flags |= MHD_USE_TLS;
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
		MHD_OPTION_URI_LOG_CALLBACK, uri_log, NULL, MHD_OPTION_NOTIFY_COMPLETED, completed,
		NULL, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_CONNECTION_LIMIT, 1000u,
		s->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
		MHD_OPTION_HTTPS_MEM_KEY, s->key, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "cannot listen on '%s' (in use, or not an address here?)",
			 cfg->listen);
		web_stop(s);
		return -1;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return 0;
}

int web_port(const web_server *s)
{
	return s->port;
}

void web_stop(web_server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	web_cache_clear();
	for (size_t i = 0; i < s->nall; i++)
		s75_db_close(s->all_dbs[i]);
	free(s->all_dbs);
	free(s->free_dbs);
	free(s->cert);
	free(s->key);
	if (s->log)
		fclose(s->log);
	pthread_mutex_destroy(&s->log_mu);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
