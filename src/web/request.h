/* The parsing of an HTTP request's parts, without a socket: percent-decoding, the query
 * string and urlencoded forms, cookies, multipart/form-data. Used by the server and by the
 * fuzz target (tests/fuzz/fuzz_request.c). Every function takes bytes with a length, never
 * trusts a NUL, and keeps what it returns in memory it owns. */
#ifndef S75_WEB_REQUEST_H
#define S75_WEB_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

/* Allocation that aborts on failure (util.c). */
void *web_xmalloc(size_t n);
void *web_xrealloc(void *p, size_t n);
char *web_xstrdup(const char *s);
/* ASCII case-insensitive strncmp, independent of the locale. */
int strncasecmp_ascii(const char *a, const char *b, size_t n);

/* One name and value (a query or form field, a cookie, a multipart part). */
typedef struct web_param {
	char *name;
	char *value;      /* NUL-terminated; may hold NULs within value_len */
	size_t value_len;
	char *filename;   /* multipart: the part's file name, or NULL */
	char *path;       /* multipart, streamed: the file holding the part's bytes (value is
			     then "" and value_len their number), or NULL */
} web_param;

typedef struct web_params {
	web_param *items;
	size_t n, alloc;
} web_params;

#define WEB_PARAMS_INIT {NULL, 0, 0}

void web_params_release(web_params *p);
/* The first value named `name`, or NULL. */
const web_param *web_params_get(const web_params *p, const char *name);
/* Its value, or NULL. */
const char *web_params_value(const web_params *p, const char *name);

/* Percent-decodes s[0..len) ('+' as a space when `plus`) into a new string; NULL when the
 * escapes are bad or the result holds a NUL. */
char *web_url_decode(const char *s, size_t len, bool plus);

/* Parses `a=1&b=two` (a query string or an application/x-www-form-urlencoded body) into
 * `out`. -1 on a bad escape or more than `max` fields (out keeps what was read). */
int web_parse_urlencoded(web_params *out, const char *s, size_t len, size_t max);

/* Parses a Cookie header (`a=1; b=2`). -1 when malformed. */
int web_parse_cookies(web_params *out, const char *s, size_t len);

/* The boundary of a `multipart/form-data; boundary=...` content type, as a new string, or
 * NULL. */
char *web_multipart_boundary(const char *content_type);

/* Parses a multipart/form-data body with `boundary` into `out` (each part's name, file
 * name and bytes). -1 when malformed or over `max` parts. */
int web_parse_multipart(web_params *out, const char *body, size_t len, const char *boundary,
			size_t max);

/* Where a streamed multipart body's file parts go: `open` makes a new private file and
 * sets *path (allocated) to where it will be; `write` appends to it; `close` keeps it
 * (`keep`) or removes it. open returns NULL, write and close -1, on failure. */
typedef struct web_file_sink {
	void *(*open)(void *ctx, char **path);
	int (*write)(void *file, const char *data, size_t len);
	int (*close)(void *file, bool keep);
	void *ctx;
} web_file_sink;

/* A multipart/form-data body parsed as it arrives, in chunks of any size: the fields are
 * kept in memory (each at most `max_field` bytes), the parts with a file name go to
 * `sink` (or, when it is NULL, are kept in memory too). Memory stays at about the size
 * of a chunk whatever the size of the files. */
typedef struct web_multipart web_multipart;
web_multipart *web_multipart_new(const char *boundary, size_t max_parts, size_t max_field,
				 const web_file_sink *sink);
/* -1 when the body is malformed or over a limit (later calls then fail too). */
int web_multipart_feed(web_multipart *m, const char *data, size_t len);
/* The parts, once the closing delimiter has been read; -1 if it has not or a feed failed.
 * Moves the parts into `out`. */
int web_multipart_finish(web_multipart *m, web_params *out);
/* Frees `m`, removing the files of parts not handed over by web_multipart_finish(). */
void web_multipart_free(web_multipart *m);

/* Whether `path` is a clean absolute path: starts with '/', no "//", no "." or ".."
 * segment, no byte below 0x21 or above 0x7e. */
bool web_path_ok(const char *path);

#endif
