/* The import batches, and the upload of a ledger extract through the same import as
 * `s75 import actuals`: a preview first (every row checked, nothing kept), then the import
 * on a second POST. The uploaded file waits in the upload folder under a random name
 * known only to the account that sent it. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "web.h"

int page_batches(web_req *rq, web_resp *rs)
{
	s75_doc *d;
	s75_report_options o = web_report_options(rq);
	if (s75_report_batches(&d, rq->db, web_params_value(&rq->query, "all") != NULL, &o))
		return web_error(rq, rs, 500, s75_error_last());
	return web_send_doc(rq, rs, d, NULL);
}

/* Whether the account may import with profile `p`: the pool manager any; a partner's
 * finance lead only a profile reading its own organisation's ledger. */
static bool profile_allowed(const web_req *rq, const s75_import_profile *p)
{
	if (rq->user.role == S75_ROLE_POOL_MANAGER)
		return true;
	int partner = rq->user.partner ? s75_agreement_find_partner(rq->ag, rq->user.partner) : -1;
	return partner >= 0 && p->partner == partner;
}

int page_upload_form(web_req *rq, web_resp *rs)
{
	s75_buf *o = &rs->body;
	web_page_begin(rq, rs, "Upload a ledger extract");
	s75_buf_puts(o, "<h1>Upload a ledger extract</h1><p>The file is checked row by row "
			"first and nothing is imported until you confirm. Any bad row means "
			"nothing is imported; a file imported before is refused.</p>"
			"<form method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\" "
			"class=\"upload\">");
	web_csrf_field(rq, o);
	s75_buf_puts(o, "<label>Import profile <select name=\"profile\" required>");
	size_t n = 0;
	for (size_t i = 0; i < rq->ag->nprofiles; i++) {
		const s75_import_profile *p = &rq->ag->profiles[i];
		if (!profile_allowed(rq, p))
			continue;
		s75_buf_puts(o, "<option value=\"");
		web_html_attr(o, p->id);
		s75_buf_puts(o, "\">");
		web_html_text(o, p->id);
		if (p->partner >= 0) {
			s75_buf_puts(o, " (");
			web_html_text(o, rq->ag->partners[p->partner].name);
			s75_buf_puts(o, ")");
		}
		s75_buf_puts(o, "</option>");
		n++;
	}
	s75_buf_puts(o, "</select></label><label>Ledger extract (CSV) <input type=\"file\" "
			"name=\"file\" required/></label><button type=\"submit\">Check the file"
			"</button></form>");
	if (!n)
		s75_buf_puts(o, "<p class=\"error\">The agreement has no import profile for your "
				"organisation.</p>");
	s75_buf_puts(o, "<h2>Forecasts</h2><p>A CSV with the header cost_centre,forecast,note "
			"(forecast outturn for the year, in £), made at a period; ");
	s75_buf_puts(o, rq->user.role == S75_ROLE_POOL_MANAGER
				? "for any cost centre.</p>"
				: "for your organisation's cost centres only.</p>");
	s75_buf_puts(o, "<form method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\" "
			"class=\"upload\"><input type=\"hidden\" name=\"kind\" value=\"forecasts\"/>");
	web_csrf_field(rq, o);
	s75_buf_puts(o, "<label>Made at period <input name=\"period\" required "
			"placeholder=\"2017/18 P6\"/></label><label>Forecasts (CSV) <input "
			"type=\"file\" name=\"file\" required/></label><button type=\"submit\">"
			"Check the file</button></form>");
	web_page_end(rq, rs);
	return 0;
}

/* The upload's name as shown and recorded: its last path component, printable ASCII. */
static char *clean_name(const char *filename)
{
	const char *base = filename ? filename : "upload.csv";
	const char *slash = strrchr(base, '/'), *bslash = strrchr(base, '\\');
	if (slash)
		base = slash + 1;
	if (bslash && bslash + 1 > base)
		base = bslash + 1;
	s75_buf b = S75_BUF_INIT;
	for (const char *p = base; *p && b.len < 120; p++)
		s75_buf_putc(&b, (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ? *p : '_');
	if (!b.len)
		s75_buf_puts(&b, "upload.csv");
	return s75_buf_detach(&b);
}

static void upload_path(s75_buf *b, const web_req *rq, const char *token, const char *ext)
{
	s75_buf_printf(b, "%s/%s.%s", rq->cfg->upload_dir, token, ext);
}

static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(path);
			return -1;
		}
		done += (size_t)w;
	}
	if (close(fd)) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* What an upload is: actuals read with a profile, or forecasts made at a period. */
typedef struct upload_kind {
	bool forecasts;
	const char *profile;
	s75_period period;
} upload_kind;

static int run_import(web_req *rq, web_resp *rs, const char *path, const upload_kind *k,
		      const char *name, bool preview, const char *token)
{
	s75_import_options io = S75_IMPORT_OPTIONS_INIT;
	s75_import_result r;
	s75_doc *d = NULL;
	io.profile = k->profile;
	io.period = k->period;
	io.name = name;
	io.now = rq->now_iso;
	io.validate_only = preview;
	/* a partner's finance lead forecasts its own cost centres only */
	if (rq->user.role != S75_ROLE_POOL_MANAGER)
		io.only_partner = rq->user.partner ? rq->user.partner : "";
	int rc = k->forecasts ? s75_import_forecasts(rq->db, rq->ag, path, &io, &r)
			      : s75_import_actuals(rq->db, rq->ag, path, &io, &r);
	s75_report_options o = web_report_options(rq);
	s75_report_import(&d, &r, name, rc, preview, &o);
	s75_buf extra = S75_BUF_INIT;
	if (preview && !rc) {
		s75_buf_puts(&extra, "<form method=\"post\" action=\"/upload/commit\">");
		web_csrf_field(rq, &extra);
		s75_buf_puts(&extra, "<input type=\"hidden\" name=\"token\" value=\"");
		web_html_attr(&extra, token);
		s75_buf_printf(&extra, "\"/><button type=\"submit\">Import %ld rows</button></form>",
			       r.rows_read);
	} else {
		s75_buf_puts(&extra, "<p><a href=\"/upload\">Upload another file</a> · "
				     "<a href=\"/\">The pools</a></p>");
	}
	if (rc)
		rs->status = rc == S75_EEXISTS ? 409 : 422;
	s75_import_result_release(&r);
	web_send_doc(rq, rs, d, extra.ptr);
	s75_buf_release(&extra);
	return rc;
}

/* Reads what the upload is from `spec` ("actuals:PROFILE" or "forecasts:PERIOD") and checks
 * the account may upload it. 0, or -1 after an error page. */
static int upload_kind_parse(web_req *rq, web_resp *rs, const char *spec, upload_kind *k)
{
	memset(k, 0, sizeof(*k));
	if (spec && !strncmp(spec, "forecasts:", 10)) {
		k->forecasts = true;
		if (s75_period_parse(&k->period, spec + 10)) {
			web_error(rq, rs, 400, s75_error_last());
			return -1;
		}
		return 0;
	}
	const char *profile = spec && !strncmp(spec, "actuals:", 8) ? spec + 8 : NULL;
	const s75_import_profile *p = NULL;
	for (size_t i = 0; profile && i < rq->ag->nprofiles; i++)
		if (!strcmp(rq->ag->profiles[i].id, profile))
			p = &rq->ag->profiles[i];
	if (!p) {
		web_error(rq, rs, 400, "choose an import profile of the agreement");
		return -1;
	}
	if (!profile_allowed(rq, p)) {
		web_error(rq, rs, 403, "that profile reads another organisation's ledger");
		return -1;
	}
	k->profile = p->id;
	return 0;
}

int page_upload_preview(web_req *rq, web_resp *rs)
{
	const web_param *file = web_params_get(&rq->form, "file");
	const char *kind = web_params_value(&rq->form, "kind");
	if (!file || !file->value_len)
		return web_error(rq, rs, 400, "choose a file to upload");
	if (!file->path) /* the server streams every file part to disk */
		return web_error(rq, rs, 400, "the file must be sent as a file");
	s75_buf spec = S75_BUF_INIT;
	if (kind && !strcmp(kind, "forecasts"))
		s75_buf_printf(&spec, "forecasts:%s", web_params_value(&rq->form, "period")
							      ? web_params_value(&rq->form, "period")
							      : "");
	else
		s75_buf_printf(&spec, "actuals:%s", web_params_value(&rq->form, "profile")
							    ? web_params_value(&rq->form, "profile")
							    : "");
	upload_kind k;
	if (upload_kind_parse(rq, rs, spec.ptr, &k) || strchr(spec.ptr, '\n')) {
		if (!rs->body.len)
			web_error(rq, rs, 400, "the form could not be read");
		s75_buf_release(&spec);
		return 0;
	}
	unsigned char raw[32];
	char token[65];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	char *name = clean_name(file->filename);
	s75_buf path = S75_BUF_INIT, meta = S75_BUF_INIT, mpath = S75_BUF_INIT;
	upload_path(&path, rq, token, "csv");
	upload_path(&mpath, rq, token, "meta");
	/* the upload arrived in a file of the uploads folder: it waits under this name */
	if (rename(file->path, path.ptr)) {
		web_error(rq, rs, 500, "the upload could not be kept on the server");
		goto done;
	}
	if (run_import(rq, rs, path.ptr, &k, name, true, token)) {
		unlink(path.ptr);
		goto done;
	}
	/* who may import it, what it is, under which name */
	s75_buf_printf(&meta, "%lld\n%s\n%s\n", (long long)rq->user.id, spec.ptr, name);
	if (write_file(mpath.ptr, meta.ptr, meta.len)) {
		unlink(path.ptr);
		web_error(rq, rs, 500, "the upload could not be kept on the server");
	}
done:
	free(name);
	s75_buf_release(&spec);
	s75_buf_release(&path);
	s75_buf_release(&meta);
	s75_buf_release(&mpath);
	return 0;
}

int page_upload_commit(web_req *rq, web_resp *rs)
{
	const char *token = web_params_value(&rq->form, "token");
	if (!token || strlen(token) != 64 || strspn(token, "0123456789abcdef") != 64)
		return web_error(rq, rs, 404, "no such upload");
	s75_buf path = S75_BUF_INIT, mpath = S75_BUF_INIT;
	upload_path(&path, rq, token, "csv");
	upload_path(&mpath, rq, token, "meta");
	char line[3][256] = {"", "", ""};
	FILE *fp = fopen(mpath.ptr, "r");
	for (int i = 0; fp && i < 3; i++) {
		if (!fgets(line[i], sizeof(line[i]), fp))
			break;
		line[i][strcspn(line[i], "\n")] = '\0';
	}
	if (fp)
		fclose(fp);
	/* an upload is imported only by the account that checked it */
	if (!fp || strtoll(line[0], NULL, 10) != rq->user.id || !line[1][0]) {
		web_error(rq, rs, 404, "no such upload (it was imported or cancelled already)");
		goto done;
	}
	upload_kind k;
	if (upload_kind_parse(rq, rs, line[1], &k))
		goto done;
	run_import(rq, rs, path.ptr, &k, line[2], false, token);
	unlink(path.ptr);
	unlink(mpath.ptr);
done:
	s75_buf_release(&path);
	s75_buf_release(&mpath);
	return 0;
}
