/* The report layer: a document carries its JSON and CSV; a report is one library call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "s75/s75.h"

static void test_doc_json_csv_bare(void **st)
{
	(void)st;
	s75_doc *d = s75_doc_new("T");
	s75_buf b = S75_BUF_INIT;
	/* no JSON or CSV form yet: an error, nothing written */
	assert_int_equal(s75_doc_render_json(d, &b), S75_EINVALID);
	assert_int_equal(s75_doc_render_csv(d, &b), S75_EINVALID);
	assert_int_equal(b.len, 0);

	json_t *j = json_object();
	json_object_set_new(j, "b", json_integer(2));
	json_object_set_new(j, "a", json_integer(1));
	s75_doc_json(d, j);
	assert_int_equal(s75_doc_render_json(d, &b), 0);
	/* keys in the order set, two-space indent, a newline after */
	assert_string_equal(b.ptr, "{\n  \"b\": 2,\n  \"a\": 1\n}\n");

	s75_table *t = s75_table_new(NULL);
	s75_table_column(t, "x", S75_CELL_TEXT);
	s75_table_column(t, "y", S75_CELL_MONEY);
	s75_table_row(t, 0);
	s75_table_text(t, "p");
	s75_table_money(t, 150); /* 150 pence */
	s75_doc_csv(d, t);
	s75_buf_reset(&b);
	assert_int_equal(s75_doc_render_csv(d, &b), 0);
	assert_string_equal(b.ptr, "x,y\r\np,1.50\r\n");

	/* bare: the paragraph alone on its line, no title line */
	s75_doc_bare(d);
	s75_doc_para(d, "line one\nline two");
	s75_buf_reset(&b);
	s75_doc_render_text(d, &b, S75_UNIT_POUNDS);
	assert_string_equal(b.ptr, "line one\nline two\n");
	s75_buf_release(&b);
	s75_doc_free(d);
}

static void test_due_to_date(void **st)
{
	(void)st;
	/* 100,003p in four instalments: 25,000.75 each, so 25,000 each and 3 pennies left, to
	 * the earliest: 25,001 + 25,001 + 25,001 + 25,000 */
	assert_int_equal(s75_contrib_due_to_date(100003, 0), 0);
	assert_int_equal(s75_contrib_due_to_date(100003, 1), 25001);
	assert_int_equal(s75_contrib_due_to_date(100003, 2), 50002);
	assert_int_equal(s75_contrib_due_to_date(100003, 3), 75003);
	assert_int_equal(s75_contrib_due_to_date(100003, 4), 100003);
	assert_int_equal(s75_contrib_due_to_date(-100003, 1), -25001);
}

/* Cambridgeshire LDP 2022/23 (examples/cambridgeshire-ldp/agreement.yaml, £'000): the
 * Council 72,450 + 8,120 + 9,140 + 4,000 = 93,710; the ICB 19,880 + 1,210 + 3,150 + 3,400 +
 * 700 = 28,340; total 122,050, i.e. 12,205,000,000 pence. */
static void test_contributions_report(void **st)
{
	(void)st;
	char path[4096];
	const char *ex = getenv("S75_EXAMPLES");
	s75_diags diags = S75_DIAGS_INIT;
	s75_agreement *ag = NULL;
	s75_doc *d = NULL;
	s75_buf b = S75_BUF_INIT;
	snprintf(path, sizeof(path), "%s/cambridgeshire-ldp/agreement.yaml", ex ? ex : "examples");
	assert_int_equal(s75_agreement_load(&ag, path, &diags), 0);
	int fy;
	assert_int_equal(s75_fy_parse(&fy, "2022/23"), 0);
	s75_report_options o = S75_REPORT_OPTIONS_INIT;
	assert_int_equal(s75_report_contributions(&d, ag, fy, s75_fy_end(fy), &o), 0);

	assert_int_equal(s75_doc_render_json(d, &b), 0);
	json_error_t err;
	json_t *root = json_loads(b.ptr, 0, &err);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "total"), "net")),
			 12205000000LL);
	json_t *parts = json_object_get(root, "partners");
	assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 0), "id")), "ccc");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(parts, 0), "net")),
			 9371000000LL);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(parts, 1), "net")),
			 2834000000LL);
	json_decref(root);

	s75_buf_reset(&b);
	assert_int_equal(s75_doc_render_csv(d, &b), 0);
	assert_non_null(strstr(b.ptr, "year,pool,element,partner,gross,income,grants,net\r\n"));
	assert_non_null(strstr(b.ptr, "2022/23,ldp,placements,ccc,72450000.00,"));

	s75_buf_reset(&b);
	s75_doc_render_text(d, &b, S75_UNIT_THOUSANDS);
	assert_memory_equal(b.ptr, "Contributions 2022/23", 21);
	assert_non_null(strstr(b.ptr, "122,050"));
	s75_buf_release(&b);
	s75_doc_free(d);
	s75_agreement_free(ag);
	s75_diags_release(&diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_json_csv_bare),
		cmocka_unit_test(test_due_to_date),
		cmocka_unit_test(test_contributions_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
