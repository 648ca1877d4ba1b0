/* The long JSON lists written row by row (doc_json_rows, json_rows.c) must give the same
 * bytes as jansson's own dump of the same tree: checked here on strings that need escaping
 * (quotes, backslashes, control characters, non-ASCII), integers at the ends of their
 * range, nulls, nested and empty objects, an empty list, and the tree around the lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "s75/s75.h"

static const char *const texts[] = {
	"P000001", "say \"hi\"", "back\\slash", "tab\there", "nl\nand\r", "\x01\x1f ctrl",
	"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "a/b", "", "\x7f del",
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static const int64_t ints[] = {0, -1, 42, INT64_MAX, INT64_MIN, 1000000007};

/* Row i as the writer writes it... */
static void row(doc_json_row *w, size_t i, const void *ctx)
{
	(void)ctx;
	doc_json_row_object(w);
	doc_json_row_string(w, "text", texts[i % NTEXTS]);
	doc_json_row_int(w, "n", ints[i % 6]);
	doc_json_row_string(w, "missing", i % 3 ? NULL : texts[(i + 1) % NTEXTS]);
	doc_json_row_key(w, "nested");
	doc_json_row_object(w);
	if (i % 4)
		doc_json_row_int(w, texts[i % NTEXTS], (int64_t)i);
	if (i % 5)
		doc_json_row_string(w, "k\"ey", texts[(i + 3) % NTEXTS]);
	doc_json_row_end(w);
	doc_json_row_end(w);
}

/* ...and as a jansson tree. */
static json_t *row_tree(size_t i)
{
	json_t *o = json_object(), *n = json_object();
	json_object_set_new(o, "text", json_string(texts[i % NTEXTS]));
	json_object_set_new(o, "n", json_integer(ints[i % 6]));
	json_object_set_new(o, "missing", i % 3 ? json_null() : json_string(texts[(i + 1) % NTEXTS]));
	if (i % 4)
		json_object_set_new(n, texts[i % NTEXTS], json_integer((json_int_t)i));
	if (i % 5)
		json_object_set_new(n, "k\"ey", json_string(texts[(i + 3) % NTEXTS]));
	json_object_set_new(o, "nested", n);
	return o;
}

static int to_buf(const char *s, size_t n, void *b)
{
	s75_buf_add(b, s, n);
	return 0;
}

static void test_same_bytes_as_jansson(void **st)
{
	(void)st;
	const size_t nrows = 61;
	s75_doc *d = s75_doc_new("t");
	json_t *root = json_object(), *want = json_object(), *list = json_array();
	s75_buf got = S75_BUF_INIT, exp = S75_BUF_INIT;

	/* the tree around the lists: scalars of every kind, empty and nested containers */
	json_t *extras[] = {json_string("x\"y"), json_integer(-7), json_real(2.5), json_true(),
			    json_null(), json_object(), json_array(), json_pack("{s:[i,{s:s}]}", "a", 1, "b", "c")};
	for (size_t k = 0; k < sizeof(extras) / sizeof(extras[0]); k++) {
		char key[8] = {'k', (char)('0' + k), 0};
		json_object_set(root, key, extras[k]);
		json_object_set_new(want, key, extras[k]);
	}
	json_object_set_new(root, "rows", doc_json_rows(d, nrows, row, NULL));
	json_object_set_new(root, "none", doc_json_rows(d, 0, row, NULL));
	json_object_set_new(root, "after", json_integer(1));
	for (size_t i = 0; i < nrows; i++)
		json_array_append_new(list, row_tree(i));
	json_object_set_new(want, "rows", list);
	json_object_set_new(want, "none", json_array());
	json_object_set_new(want, "after", json_integer(1));
	s75_doc_json(d, root);

	assert_int_equal(s75_doc_render_json(d, &got), 0);
	assert_int_equal(json_dump_callback(want, to_buf, &exp, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
	s75_buf_putc(&exp, '\n');
	assert_string_equal(got.ptr, exp.ptr);
	/* it is the rows that were written, not an empty list */
	assert_non_null(strstr(got.ptr, "\"say \\\"hi\\\"\""));
	assert_non_null(strstr(got.ptr, "\\u0001"));
	assert_non_null(strstr(got.ptr, "-9223372036854775808"));

	json_decref(want);
	s75_buf_release(&got);
	s75_buf_release(&exp);
	s75_doc_free(d);
}

/* What the rows read is freed with the document. */
static int freed;
static void count_free(void *p)
{
	free(p);
	freed++;
}

static void test_owned_freed(void **st)
{
	(void)st;
	s75_doc *d = s75_doc_new("t");
	doc_own(d, malloc(16), count_free);
	doc_own(d, malloc(16), count_free);
	s75_doc_free(d);
	assert_int_equal(freed, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_as_jansson),
		cmocka_unit_test(test_owned_freed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
