/* The parsing of an HTTP request's parts, without a socket (request.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "request.h"

void web_params_release(web_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
		free(p->items[i].filename);
		free(p->items[i].path);
	}
	free(p->items);
	p->items = NULL;
	p->n = p->alloc = 0;
}

const web_param *web_params_get(const web_params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->items[i].name, name))
			return &p->items[i];
	return NULL;
}

const char *web_params_value(const web_params *p, const char *name)
{
	const web_param *x = web_params_get(p, name);
	return x ? x->value : NULL;
}

/* Takes name, value (value_len bytes) and filename. */
static void add(web_params *p, char *name, char *value, size_t value_len, char *filename)
{
	if (p->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 8;
		p->items = web_xrealloc(p->items, p->alloc * sizeof(*p->items));
	}
	p->items[p->n++] = (web_param){name, value, value_len, filename, NULL};
}

static char *dup_bytes(const char *s, size_t len)
{
	char *r = web_xmalloc(len + 1);
	memcpy(r, s, len);
	r[len] = '\0';
	return r;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *web_url_decode(const char *s, size_t len, bool plus)
{
	char *r = web_xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= len || (h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0) {
				free(r);
				return NULL;
			}
			c = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == '\0') {
			free(r);
			return NULL;
		}
		r[o++] = c;
	}
	r[o] = '\0';
	return r;
}

int web_parse_urlencoded(web_params *out, const char *s, size_t len, size_t max)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && s[eq] != '=')
				eq++;
			if (out->n >= max)
				return -1;
			char *name = web_url_decode(s + i, eq - i, true);
			char *value = eq < end ? web_url_decode(s + eq + 1, end - eq - 1, true)
					       : dup_bytes("", 0);
			if (!name || !value) {
				free(name);
				free(value);
				return -1;
			}
			add(out, name, value, strlen(value), NULL);
		}
		i = end + 1;
	}
	return 0;
}

static bool cookie_octet_ok(unsigned char c)
{
	/* RFC 6265 cookie-octet, and the name's token characters */
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
}

int web_parse_cookies(web_params *out, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t start = i;
		while (i < len && s[i] != ';')
			i++;
		size_t end = i;
		while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
			end--;
		if (end > start) {
			size_t eq = start;
			while (eq < end && s[eq] != '=')
				eq++;
			if (eq == end || eq == start)
				return -1;
			for (size_t k = start; k < end; k++)
				if (k != eq && !cookie_octet_ok((unsigned char)s[k]) &&
				    !(k > eq && s[k] == '='))
					return -1;
			if (out->n >= 64)
				return -1;
			add(out, dup_bytes(s + start, eq - start), dup_bytes(s + eq + 1, end - eq - 1),
			    end - eq - 1, NULL);
		}
		i++;
	}
	return 0;
}

char *web_multipart_boundary(const char *ct)
{
	if (!ct)
		return NULL;
	size_t l = strlen("multipart/form-data");
	if (strncasecmp_ascii(ct, "multipart/form-data", l))
		return NULL;
	const char *b = strstr(ct + l, "boundary=");
	if (!b)
		return NULL;
	b += strlen("boundary=");
	bool quoted = *b == '"';
	if (quoted)
		b++;
	size_t n = 0;
	while (b[n] && (quoted ? b[n] != '"' : b[n] != ';' && b[n] != ' '))
		n++;
	if (n == 0 || n > 70)
		return NULL;
	return dup_bytes(b, n);
}

/* Finds `needle` (nlen bytes) in hay[0..hlen). */
static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen == 0 || hlen < nlen)
		return NULL;
	const char *end = hay + hlen - nlen;
	for (const char *p = hay; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (!memcmp(p, needle, nlen))
			return p;
	}
	return NULL;
}

/* A parameter of a Content-Disposition line (`name="x"`), as a new string, or NULL. */
static char *disposition_param(const char *line, size_t len, const char *key)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl + 2 <= len; i++) {
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ';') &&
		    !memcmp(line + i, key, kl) && line[i + kl] == '=' && line[i + kl + 1] == '"') {
			size_t s = i + kl + 2, e = s;
			while (e < len && line[e] != '"')
				e++;
			if (e == len)
				return NULL;
			char *v = dup_bytes(line + s, e - s);
			if (strlen(v) != e - s) {
				free(v);
				return NULL;
			}
			return v;
		}
	}
	return NULL;
}

enum { MP_PREAMBLE, MP_AFTER_DELIM, MP_HEADERS, MP_DATA, MP_END, MP_FAILED };

#define MP_MAX_HEADERS 8192

struct web_multipart {
	char delim[84]; /* "\r\n--boundary" */
	size_t dl;
	int state;
	char *buf; /* bytes received and not yet consumed */
	size_t len, cap;
	size_t max_parts, max_field;
	web_file_sink sink;
	bool use_sink;
	web_params parts;
	/* the part being read */
	char *name, *filename;
	char *data; /* in memory */
	size_t dlen, dcap;
	void *file; /* or to the sink */
	char *path;
};

web_multipart *web_multipart_new(const char *boundary, size_t max_parts, size_t max_field,
				 const web_file_sink *sink)
{
	web_multipart *m = web_xmalloc(sizeof(*m));
	memset(m, 0, sizeof(*m));
	int dl = snprintf(m->delim, sizeof(m->delim), "\r\n--%s", boundary);
	m->state = dl <= 4 || (size_t)dl >= sizeof(m->delim) ? MP_FAILED : MP_PREAMBLE;
	m->dl = dl > 0 ? (size_t)dl : 0;
	m->max_parts = max_parts;
	m->max_field = max_field;
	if (sink) {
		m->sink = *sink;
		m->use_sink = true;
	}
	/* the first delimiter may open the body: as if a line break came before it */
	m->cap = 256;
	m->buf = web_xmalloc(m->cap);
	m->buf[0] = '\r';
	m->buf[1] = '\n';
	m->len = 2;
	return m;
}

static void part_reset(web_multipart *m, bool keep_file)
{
	if (m->file)
		m->sink.close(m->file, keep_file);
	free(m->name);
	free(m->filename);
	free(m->data);
	free(m->path);
	m->name = m->filename = m->data = m->path = NULL;
	m->file = NULL;
	m->dlen = m->dcap = 0;
}

static int mp_fail(web_multipart *m)
{
	part_reset(m, false);
	m->state = MP_FAILED;
	return -1;
}

/* Appends a part's bytes to its file or its memory. */
static int part_data(web_multipart *m, const char *p, size_t n)
{
	if (!n)
		return 0;
	if (m->file) {
		m->dlen += n;
		return m->sink.write(m->file, p, n) ? -1 : 0;
	}
	if (!m->filename && m->dlen + n > m->max_field)
		return -1;
	if (m->dlen + n + 1 > m->dcap) {
		m->dcap = (m->dlen + n + 1) * 2;
		m->data = web_xrealloc(m->data, m->dcap);
	}
	memcpy(m->data + m->dlen, p, n);
	m->dlen += n;
	return 0;
}

/* The part's headers h[0..n) (from the line break before them): its name and file name. */
static int part_begin(web_multipart *m, const char *h, size_t n)
{
	const char *line = h, *end = h + n;
	while (line < end) {
		const char *eol = find(line, (size_t)(end - line), "\r\n", 2);
		size_t ll = eol ? (size_t)(eol - line) : (size_t)(end - line);
		const char *cd = "Content-Disposition:";
		if (ll > strlen(cd) && !strncasecmp_ascii(line, cd, strlen(cd))) {
			free(m->name);
			free(m->filename);
			m->name = disposition_param(line, ll, "name");
			m->filename = disposition_param(line, ll, "filename");
		}
		line += ll + 2;
	}
	if (!m->name || m->parts.n >= m->max_parts)
		return -1;
	if (m->filename && m->use_sink && !(m->file = m->sink.open(m->sink.ctx, &m->path)))
		return -1;
	return 0;
}

static int part_end(web_multipart *m)
{
	if (m->file) {
		void *f = m->file;
		m->file = NULL;
		if (m->sink.close(f, true))
			return -1;
	}
	/* a part in a file: its value is "" and value_len the number of its bytes */
	char *value = m->path ? web_xmalloc(1) : m->data ? m->data : web_xmalloc(1);
	value[m->path ? 0 : m->dlen] = '\0';
	if (m->path)
		free(m->data);
	add(&m->parts, m->name, value, m->dlen, m->filename);
	m->parts.items[m->parts.n - 1].path = m->path;
	m->name = m->filename = m->data = m->path = NULL;
	m->dlen = m->dcap = 0;
	return 0;
}

static void consume(web_multipart *m, size_t n)
{
	memmove(m->buf, m->buf + n, m->len - n);
	m->len -= n;
}

int web_multipart_feed(web_multipart *m, const char *data, size_t len)
{
	if (m->state == MP_FAILED)
		return -1;
	if (m->state == MP_END)
		return 0; /* the epilogue */
	if (m->len + len > m->cap) {
		m->cap = m->len + len;
		m->buf = web_xrealloc(m->buf, m->cap);
	}
	memcpy(m->buf + m->len, data, len);
	m->len += len;
	for (;;) {
		const char *at;
		switch (m->state) {
		case MP_PREAMBLE:
			if (!(at = find(m->buf, m->len, m->delim, m->dl))) {
				if (m->len >= m->dl)
					consume(m, m->len - (m->dl - 1));
				return 0;
			}
			consume(m, (size_t)(at - m->buf) + m->dl);
			m->state = MP_AFTER_DELIM;
			break;
		case MP_AFTER_DELIM:
			if (m->len < 2)
				return 0;
			if (m->buf[0] == '-' && m->buf[1] == '-') {
				m->state = MP_END;
				m->len = 0;
				return 0;
			}
			if (m->buf[0] != '\r' || m->buf[1] != '\n')
				return mp_fail(m);
			m->state = MP_HEADERS; /* the line break stays: headers are "\r\nH: v"... */
			break;
		case MP_HEADERS:
			if (!(at = find(m->buf, m->len, "\r\n\r\n", 4))) {
				if (m->len > MP_MAX_HEADERS)
					return mp_fail(m);
				return 0;
			}
			/* the headers lie between the line break kept and the blank line */
			if ((size_t)(at - m->buf) > MP_MAX_HEADERS ||
			    part_begin(m, m->buf + 2, at > m->buf ? (size_t)(at - m->buf) - 2 : 0))
				return mp_fail(m);
			consume(m, (size_t)(at - m->buf) + 4);
			m->state = MP_DATA;
			break;
		case MP_DATA:
			if (!(at = find(m->buf, m->len, m->delim, m->dl))) {
				/* all but what may be the start of a delimiter */
				if (m->len >= m->dl) {
					size_t n = m->len - (m->dl - 1);
					if (part_data(m, m->buf, n))
						return mp_fail(m);
					consume(m, n);
				}
				return 0;
			}
			if (part_data(m, m->buf, (size_t)(at - m->buf)) || part_end(m))
				return mp_fail(m);
			consume(m, (size_t)(at - m->buf) + m->dl);
			m->state = MP_AFTER_DELIM;
			break;
		default:
			return m->state == MP_FAILED ? -1 : 0;
		}
	}
}

int web_multipart_finish(web_multipart *m, web_params *out)
{
	if (m->state != MP_END)
		return -1;
	*out = m->parts;
	memset(&m->parts, 0, sizeof(m->parts));
	return 0;
}

void web_multipart_free(web_multipart *m)
{
	if (!m)
		return;
	part_reset(m, false);
	for (size_t i = 0; i < m->parts.n; i++)
		if (m->parts.items[i].path)
			unlink(m->parts.items[i].path); /* a whole file part, not handed over */
	web_params_release(&m->parts);
	free(m->buf);
	free(m);
}

int web_parse_multipart(web_params *out, const char *body, size_t len, const char *boundary,
			size_t max)
{
	web_multipart *m = web_multipart_new(boundary, max, len, NULL);
	int rc = web_multipart_feed(m, body, len) || web_multipart_finish(m, out) ? -1 : 0;
	web_multipart_free(m);
	return rc;
}

bool web_path_ok(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const char *s = path; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x21 || c > 0x7e)
			return false;
		if (c == '/') {
			const char *seg = s + 1;
			size_t n = strcspn(seg, "/");
			if ((n == 0 && seg[0] == '/') || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return false;
		}
	}
	return true;
}
