/* A document's JSON is written by our own writer (render_json.c): byte for byte what
 * jansson's json_dump_callback(JSON_INDENT(2) | JSON_PRESERVE_ORDER) writes, on a tree with
 * every kind of value, empty and nested containers, keys in the order set, escapes,
 * controls and UTF-8; and it leaves to jansson what it does not write itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "doc_internal.h"

static void same_as_jansson(void **state)
{
	(void)state;
	json_t *root = json_object();
	json_object_set_new(root, "zeta", json_string("first key set, last in order of name"));
	json_object_set_new(root, "alpha", json_integer(-9223372036854775807LL - 1));
	json_object_set_new(root, "max", json_integer(9223372036854775807LL));
	json_object_set_new(root, "none", json_null());
	json_object_set_new(root, "yes", json_true());
	json_object_set_new(root, "no", json_false());
	json_object_set_new(root, "empty object", json_object());
	json_object_set_new(root, "empty array", json_array());
	json_object_set_new(root, "esc \"q\" \\ /", json_string("tab\there\nline\r\b\f\x01\x1f \x7f \"x\" \\ / £ é € 😀"));
	json_t *arr = json_array();
	for (int i = 0; i < 40; i++) { /* deep enough to pass 32 spaces of indent */
		json_t *o = json_object();
		json_object_set_new(o, "i", json_integer(i));
		json_t *inner = json_array();
		json_array_append_new(inner, json_string(""));
		json_array_append_new(inner, json_array());
		json_object_set_new(o, "inner", inner);
		json_array_append_new(arr, o);
	}
	json_t *deep = json_array(), *cur = deep;
	for (int i = 0; i < 20; i++) {
		json_t *next = json_object();
		json_object_set_new(next, "d", json_integer(i));
		json_array_append_new(cur, next);
		cur = json_array();
		json_object_set_new(next, "a", cur);
	}
	json_object_set_new(root, "rows", arr);
	json_object_set_new(root, "deep", deep);
	s75_buf ours = S75_BUF_INIT;
	s75_buf_puts(&ours, "before|");
	assert_int_equal(doc_json_write(&ours, root), 0);
	char *theirs = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	assert_non_null(theirs);
	assert_string_equal(ours.ptr + 7, theirs);
	free(theirs);
	s75_buf_release(&ours);

	/* a real, and text that is not UTF-8: left to jansson, `out` as it was */
	json_t *r = json_object();
	json_object_set_new(r, "a", json_integer(1));
	json_object_set_new(r, "x", json_real(0.5));
	s75_buf b = S75_BUF_INIT;
	s75_buf_puts(&b, "kept");
	assert_int_equal(doc_json_write(&b, r), -1);
	assert_string_equal(b.ptr, "kept");
	json_object_del(r, "x");
	json_object_set_new(r, "x", json_stringn_nocheck("\xff\xfe", 2));
	assert_int_equal(doc_json_write(&b, r), -1);
	assert_string_equal(b.ptr, "kept");
	assert_int_equal(doc_json_write(&b, json_object_get(r, "a")), -1); /* not a container */
	s75_buf_release(&b);
	json_decref(r);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_jansson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
