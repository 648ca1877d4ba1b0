/* The dashboard's request parsing (src/web/request.c) and its escaping (src/web/html.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
		cmocka_unit_test(test_paths_and_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
