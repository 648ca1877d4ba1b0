#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "s75/s75.h"

static char path[64];

static s75_csv *open_text(const char *text, size_t len)
{
	s75_csv *c;
	strcpy(path, "/tmp/s75-test-csv-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(s75_csv_open(&c, path, "t.csv", ','), 0);
	return c;
}

static void done(s75_csv *c)
{
	s75_csv_free(c);
	unlink(path);
}

static void expect_fields(s75_csv *c, size_t n, const char *const *want)
{
	const s75_csv_field *f;
	size_t nf;
	assert_int_equal(s75_csv_next(c, &f, &nf), 1);
	assert_int_equal(nf, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(f[i].len, strlen(want[i]));
		assert_memory_equal(f[i].ptr, want[i], f[i].len);
	}
}

static void test_basic(void **st)
{
	(void)st;
	const char t[] = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n,,\n\"multi\nline\",2,3";
	s75_csv *c = open_text(t, sizeof(t) - 1);
	const char *r1[] = {"a", "b", "c"}, *r2[] = {"1", "x,y", "say \"hi\""}, *r3[] = {"", "", ""},
		   *r4[] = {"multi\nline", "2", "3"};
	expect_fields(c, 3, r1);
	assert_int_equal(s75_csv_line(c), 1);
	assert_true(s75_csv_had_bom(c));
	expect_fields(c, 3, r2);
	assert_int_equal(s75_csv_line(c), 2);
	size_t rl;
	const char *raw = s75_csv_raw(c, &rl);
	assert_int_equal(rl, strlen("1,\"x,y\",\"say \"\"hi\"\"\"\r\n"));
	assert_memory_equal(raw, "1,\"x,y\",\"say \"\"hi\"\"\"\r\n", rl);
	expect_fields(c, 3, r3);
	expect_fields(c, 3, r4);
	assert_int_equal(s75_csv_line(c), 4);
	const s75_csv_field *f;
	size_t nf;
	assert_int_equal(s75_csv_next(c, &f, &nf), 0);
	done(c);
}

static void expect_error(const char *text, const char *msg)
{
	s75_csv *c = open_text(text, strlen(text));
	const s75_csv_field *f;
	size_t nf;
	int rc;
	while ((rc = s75_csv_next(c, &f, &nf)) > 0)
		;
	assert_int_equal(rc, S75_EINVALID);
	if (strcmp(s75_error_last(), msg))
		fail_msg("got '%s', want '%s'", s75_error_last(), msg);
	done(c);
}

static void test_errors(void **st)
{
	(void)st;
	expect_error("a,b\n1,\"unterminated\n", "t.csv:2:3: unterminated quoted field");
	expect_error("a,b\n1,x\"y\n", "t.csv:2:4: stray quote in an unquoted field");
	expect_error("a,b\n\"q\"x,1\n", "t.csv:2:4: text after a closing quote");
}

static void test_empty(void **st)
{
	(void)st;
	s75_csv *c = open_text("", 0);
	const s75_csv_field *f;
	size_t nf;
	assert_int_equal(s75_csv_next(c, &f, &nf), 0);
	done(c);
	assert_int_equal(s75_csv_open(&c, "/nonexistent/x.csv", NULL, ','), S75_EIO);
	assert_non_null(strstr(s75_error_last(), "cannot open '/nonexistent/x.csv'"));
}

static void test_long_record(void **st)
{
	(void)st;
	/* a record longer than the read chunk, split across refills */
	size_t n = 200000;
	char *t = malloc(n + 8);
	memset(t, 'x', n);
	memcpy(t + n, ",y\n", 4);
	s75_csv *c = open_text(t, n + 3);
	const s75_csv_field *f;
	size_t nf;
	assert_int_equal(s75_csv_next(c, &f, &nf), 1);
	assert_int_equal(nf, 2);
	assert_int_equal(f[0].len, n);
	assert_int_equal(f[1].len, 1);
	done(c);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_long_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
