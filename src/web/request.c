/* The parsing of an HTTP request's parts, without a socket (request.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "request.h"

void web_params_release(web_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].name);
		free(p->items[i].value);
		free(p->items[i].filename);
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
	p->items[p->n++] = (web_param){name, value, value_len, filename};
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

int web_parse_multipart(web_params *out, const char *body, size_t len, const char *boundary,
			size_t max)
{
	char delim[80];
	int dl = snprintf(delim, sizeof(delim), "--%s", boundary);
	if (dl <= 2 || (size_t)dl >= sizeof(delim))
		return -1;
	const char *p = find(body, len, delim, (size_t)dl);
	if (!p)
		return -1;
	const char *end = body + len;
	for (;;) {
		p += dl;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		/* the part's headers, up to a blank line */
		const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hend)
			return -1;
		char *name = NULL, *filename = NULL;
		const char *line = p;
		while (line < hend + 2) {
			const char *eol = find(line, (size_t)(hend + 2 - line), "\r\n", 2);
			if (!eol)
				break;
			size_t ll = (size_t)(eol - line);
			const char *cd = "Content-Disposition:";
			if (ll > strlen(cd) && !strncasecmp_ascii(line, cd, strlen(cd))) {
				free(name);
				free(filename);
				name = disposition_param(line, ll, "name");
				filename = disposition_param(line, ll, "filename");
			}
			line = eol + 2;
		}
		const char *data = hend + 4;
		char next[84];
		int nl = snprintf(next, sizeof(next), "\r\n%s", delim);
		const char *dend = find(data, (size_t)(end - data), next, (size_t)nl);
		if (!dend || !name || out->n >= max) {
			free(name);
			free(filename);
			return -1;
		}
		add(out, name, dup_bytes(data, (size_t)(dend - data)), (size_t)(dend - data), filename);
		p = dend + 2;
	}
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
