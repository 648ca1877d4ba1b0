/* Fuzzes the dashboard's request parsing (src/web/request.c): the input is taken as a query
 * string or form body, a Cookie header, a path, a Content-Type and a multipart body
 * (whole, and in chunks as the server reads it).
 * A first line `boundary=B` (when present) gives the multipart boundary, else "XyZ".
 *
 * Invariants: a decoded string holds no NUL and is no longer than its input; every field
 * parsed has a name; a multipart part's bytes lie within the body and are no longer than it;
 * a clean path has no "..", "." or empty segment and no byte outside 0x21..0x7e; parsing
 * the same input twice gives the same fields. */
#include <string.h>

#include "fuzz_util.h"
#include "request.h"

static void check_params(const web_params *p, size_t input_len)
{
	for (size_t i = 0; i < p->n; i++) {
		FUZZ_CHECK(p->items[i].name != NULL, "field %zu has no name", i);
		FUZZ_CHECK(p->items[i].value != NULL, "field %zu has no value", i);
		FUZZ_CHECK(p->items[i].value_len <= input_len, "field %zu longer than the input", i);
		FUZZ_CHECK(p->items[i].value[p->items[i].value_len] == '\0',
			   "field %zu is not terminated", i);
	}
}

static void same(const web_params *a, const web_params *b)
{
	FUZZ_CHECK(a->n == b->n, "two parses gave %zu and %zu fields", a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		FUZZ_CHECK(!strcmp(a->items[i].name, b->items[i].name), "names differ");
		FUZZ_CHECK(a->items[i].value_len == b->items[i].value_len &&
				   !memcmp(a->items[i].value, b->items[i].value, a->items[i].value_len),
			   "values differ");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';

	for (int plus = 0; plus < 2; plus++) {
		char *d = web_url_decode(s, size, plus);
		if (d) {
			FUZZ_CHECK(strlen(d) <= size, "decoded longer than its input");
			free(d);
		}
	}
	web_params a = WEB_PARAMS_INIT, b = WEB_PARAMS_INIT;
	int ra = web_parse_urlencoded(&a, s, size, 64), rb = web_parse_urlencoded(&b, s, size, 64);
	FUZZ_CHECK(ra == rb, "two parses of a form disagree");
	check_params(&a, size);
	same(&a, &b);
	web_params_release(&a);
	web_params_release(&b);

	if (!web_parse_cookies(&a, s, size))
		check_params(&a, size);
	web_params_release(&a);

	if (web_path_ok(copy)) {
		FUZZ_CHECK(copy[0] == '/', "a clean path starts with /");
		FUZZ_CHECK(!strstr(copy, "/../") && !strstr(copy, "//") && !strstr(copy, "/./"),
			   "a clean path with a bad segment: %s", copy);
		for (const char *p = copy; *p; p++)
			FUZZ_CHECK((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f, "bad byte");
	}

	char *ct_boundary = web_multipart_boundary(copy);
	if (ct_boundary) {
		FUZZ_CHECK(*ct_boundary && strlen(ct_boundary) <= 70, "bad boundary");
		free(ct_boundary);
	}
	const char *body = s;
	size_t blen = size;
	char boundary[80] = "XyZ";
	if (size > 9 && !memcmp(s, "boundary=", 9)) {
		const char *nl = memchr(s, '\n', size);
		size_t n = nl ? (size_t)(nl - s) - 9 : 0;
		if (nl && n > 0 && n < 70 && !memchr(s + 9, '\0', n)) {
			memcpy(boundary, s + 9, n);
			boundary[n] = '\0';
			body = nl + 1;
			blen = size - (size_t)(body - s);
		}
	}
	int whole = web_parse_multipart(&a, body, blen, boundary, 64);
	if (!whole) {
		check_params(&a, blen);
		FUZZ_CHECK(!web_parse_multipart(&b, body, blen, boundary, 64), "second parse failed");
		same(&a, &b);
	}
	web_params_release(&b);
	/* the same body as the server reads it, in chunks (of a size the input picks): the
	 * same parts, or the same refusal */
	size_t step = blen ? (size_t)(unsigned char)body[0] % 17 + 1 : 1;
	web_multipart *m = web_multipart_new(boundary, 64, blen, NULL);
	int chunked = 0;
	for (size_t i = 0; i < blen && !chunked; i += step)
		chunked = web_multipart_feed(m, body + i, blen - i < step ? blen - i : step);
	chunked = chunked || web_multipart_finish(m, &b);
	web_multipart_free(m);
	FUZZ_CHECK(!chunked == !whole, "chunked %d, whole %d", chunked, whole);
	if (!whole)
		same(&a, &b);
	web_params_release(&a);
	web_params_release(&b);
	free(copy);
	return 0;
}
