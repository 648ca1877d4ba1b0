/* The dashboard's request parsing (src/web/request.c) and its escaping (src/web/html.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "web.h"

static void test_urlencoded(void **st)
{
	(void)st;
	web_params p = WEB_PARAMS_INIT;
	const char *q = "period=2017%2F18+P6&q=%3Cscript%3E&empty=&flag&&x=1";
	assert_int_equal(web_parse_urlencoded(&p, q, strlen(q), 64), 0);
	assert_int_equal(p.n, 5);
	assert_string_equal(web_params_value(&p, "period"), "2017/18 P6");
	assert_string_equal(web_params_value(&p, "q"), "<script>");
	assert_string_equal(web_params_value(&p, "empty"), "");
	assert_string_equal(web_params_value(&p, "flag"), "");
	assert_null(web_params_value(&p, "missing"));
	web_params_release(&p);
	assert_int_equal(web_parse_urlencoded(&p, "a=%zz", 5, 64), -1);
	web_params_release(&p);
	assert_int_equal(web_parse_urlencoded(&p, "a=%00", 5, 64), -1); /* no NUL inside */
	web_params_release(&p);
	assert_int_equal(web_parse_urlencoded(&p, "a=%4", 4, 64), -1);
	web_params_release(&p);
	assert_int_equal(web_parse_urlencoded(&p, "a&b&c", 5, 2), -1); /* too many fields */
	web_params_release(&p);
}

static void test_cookies(void **st)
{
	(void)st;
	web_params p = WEB_PARAMS_INIT;
	const char *c = "theme=dark; s75_session=abc123==;  other=1 ";
	assert_int_equal(web_parse_cookies(&p, c, strlen(c)), 0);
	assert_string_equal(web_params_value(&p, "s75_session"), "abc123==");
	assert_string_equal(web_params_value(&p, "other"), "1");
	web_params_release(&p);
	assert_int_equal(web_parse_cookies(&p, "noequals", 8), -1);
	web_params_release(&p);
	assert_int_equal(web_parse_cookies(&p, "a=\"x\"", 5), -1);
	web_params_release(&p);
}

static void test_multipart(void **st)
{
	(void)st;
	char *b = web_multipart_boundary("multipart/form-data; boundary=----X1");
	assert_string_equal(b, "----X1");
	free(b);
	b = web_multipart_boundary("multipart/form-data; boundary=\"q q\"");
	assert_string_equal(b, "q q");
	free(b);
	assert_null(web_multipart_boundary("application/x-www-form-urlencoded"));
	const char body[] = "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt0k\r\n"
			    "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
			    "Content-Type: text/csv\r\n\r\nx,y\r\n1,\0\r\n--B--\r\n";
	web_params p = WEB_PARAMS_INIT;
	assert_int_equal(web_parse_multipart(&p, body, sizeof(body) - 1, "B", 64), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(web_params_value(&p, "csrf"), "t0k");
	const web_param *f = web_params_get(&p, "file");
	assert_string_equal(f->filename, "a.csv");
	assert_int_equal(f->value_len, 8); /* x , y CR LF 1 , NUL: the bytes as sent */
	assert_memory_equal(f->value, "x,y\r\n1,\0", 8);
	web_params_release(&p);
	assert_int_equal(web_parse_multipart(&p, body, 40, "B", 64), -1); /* cut short */
	web_params_release(&p);
}

/* A sink that keeps the files in memory, to check what a streamed upload wrote. */
typedef struct mem_file {
	s75_buf b;
} mem_file;
static int kept, removed, opened, fail_write;
static s75_buf last;

static void *mem_open(void *ctx, char **path)
{
	(void)ctx;
	mem_file *f = calloc(1, sizeof(*f));
	s75_buf_init(&f->b);
	*path = strdup("mem-file");
	opened++;
	return f;
}

static int mem_write(void *file, const char *data, size_t len)
{
	mem_file *f = file;
	if (fail_write)
		return -1;
	s75_buf_add(&f->b, data, len);
	return 0;
}

static int mem_close(void *file, bool keep)
{
	mem_file *f = file;
	if (keep) {
		kept++;
		s75_buf_reset(&last);
		s75_buf_add(&last, f->b.ptr ? f->b.ptr : "", f->b.len);
	} else {
		removed++;
	}
	s75_buf_release(&f->b);
	free(f);
	return 0;
}

/* Feeds `body` in chunks of `step` bytes. */
static int feed(web_params *out, const char *body, size_t len, size_t step, size_t max_field)
{
	web_file_sink sink = {mem_open, mem_write, mem_close, NULL};
	web_multipart *m = web_multipart_new("B", 64, max_field, &sink);
	int rc = 0;
	for (size_t i = 0; i < len && !rc; i += step)
		rc = web_multipart_feed(m, body + i, len - i < step ? len - i : step);
	if (!rc)
		rc = web_multipart_finish(m, out);
	web_multipart_free(m);
	return rc;
}

static void test_multipart_streamed(void **st)
{
	(void)st;
	/* a delimiter-like run inside the file ("\r\n--C", "\r\n-") is data, not a delimiter */
	const char body[] = "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nt0k\r\n"
			    "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
			    "Content-Type: text/csv\r\n\r\nx,y\r\n--C\r\n-1,\0\r\n--B--\r\n";
	const char file[] = "x,y\r\n--C\r\n-1,\0";
	size_t steps[] = {1, 2, 3, 7, 64, sizeof(body)};
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		web_params p = WEB_PARAMS_INIT;
		kept = removed = opened = 0;
		assert_int_equal(feed(&p, body, sizeof(body) - 1, steps[k], 1024), 0);
		assert_int_equal(p.n, 2);
		assert_string_equal(web_params_value(&p, "csrf"), "t0k");
		const web_param *f = web_params_get(&p, "file");
		assert_non_null(f->path); /* the file part went to the sink, not to memory */
		assert_string_equal(f->value, "");
		assert_int_equal(f->value_len, sizeof(file) - 1);
		assert_int_equal(kept, 1);
		assert_int_equal(last.len, sizeof(file) - 1);
		assert_memory_equal(last.ptr, file, sizeof(file) - 1);
		web_params_release(&p);
	}
	/* cut short: the file is removed, nothing is returned */
	web_params p = WEB_PARAMS_INIT;
	kept = removed = opened = 0;
	assert_int_equal(feed(&p, body, sizeof(body) - 12, 5, 1024), -1);
	assert_int_equal(p.n, 0);
	assert_int_equal(opened, 1);
	assert_int_equal(removed, 1);
	assert_int_equal(kept, 0);
	/* a field (not a file) over the limit, or a write that fails, is refused */
	assert_int_equal(feed(&p, body, sizeof(body) - 1, 5, 2), -1);
	fail_write = 1;
	assert_int_equal(feed(&p, body, sizeof(body) - 1, 5, 1024), -1);
	fail_write = 0;
	assert_int_equal(p.n, 0);
	s75_buf_release(&last);
}

/* A sink of real files, to see that a refused body leaves none behind. */
static char made[64];

static void *file_open(void *ctx, char **path)
{
	(void)ctx;
	char tmp[] = "/tmp/s75-test-part-XXXXXX";
	int fd = mkstemp(tmp);
	if (fd < 0)
		return NULL;
	*path = strdup(tmp);
	snprintf(made, sizeof(made), "%s", tmp);
	return fdopen(fd, "w");
}

static int file_write(void *file, const char *data, size_t len)
{
	return fwrite(data, 1, len, file) == len ? 0 : -1;
}

static int file_close(void *file, bool keep)
{
	(void)keep; /* the parser removes a file it does not keep (by its path) */
	return fclose(file) ? -1 : 0;
}

static void test_multipart_refused_leaves_no_file(void **st)
{
	(void)st;
	/* a whole file part, then a part with no name: the body is refused */
	const char body[] = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
			    "\r\nx,y\r\n--B\r\nContent-Type: text/plain\r\n\r\nz\r\n--B--\r\n";
	web_file_sink sink = {file_open, file_write, file_close, NULL};
	web_multipart *m = web_multipart_new("B", 64, 1024, &sink);
	/* up to the second part's headers: the file part is whole */
	const char *second = strstr(body + 4, "--B\r\nContent-Type");
	assert_int_equal(web_multipart_feed(m, body, (size_t)(second - body)), 0);
	assert_int_equal(web_multipart_feed(m, second, strlen(second)), -1);
	/* the whole file part's file is there until the parser is freed, then removed */
	web_params p = WEB_PARAMS_INIT;
	assert_int_equal(web_multipart_finish(m, &p), -1);
	assert_int_equal(access(made, F_OK), 0);
	web_multipart_free(m);
	assert_int_equal(access(made, F_OK), -1);
}

static void test_paths_and_escaping(void **st)
{
	(void)st;
	assert_true(web_path_ok("/"));
	assert_true(web_path_ok("/pool/adults/transactions"));
	assert_false(web_path_ok("/pool/../audit"));
	assert_false(web_path_ok("/pool/./x"));
	assert_false(web_path_ok("//audit"));
	assert_false(web_path_ok("/a b"));
	assert_false(web_path_ok("pool"));
	s75_buf b = S75_BUF_INIT;
	web_html_text(&b, "<script>alert('x') & \"y\"</script>");
	assert_string_equal(b.ptr, "&lt;script&gt;alert('x') &amp; \"y\"&lt;/script&gt;");
	s75_buf_reset(&b);
	web_html_attr(&b, "\"><script>'`&");
	assert_string_equal(b.ptr, "&quot;&gt;&lt;script&gt;&#39;&#96;&amp;");
	s75_buf_reset(&b);
	web_url_encode(&b, "2017/18 P6&x");
	assert_string_equal(b.ptr, "2017%2F18%20P6%26x");
	s75_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlencoded),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_multipart),
		cmocka_unit_test(test_multipart_streamed),
		cmocka_unit_test(test_multipart_refused_leaves_no_file),
		cmocka_unit_test(test_paths_and_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
