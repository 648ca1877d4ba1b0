/* The audit log (s75 audit) and the dashboard's accounts (s75 user list) as documents. */
#include <jansson.h>
#include <stdio.h>

#include "s75/report.h"
#include "s75/users.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static s75_table *audit_table(const s75_audit_entry *e, size_t n)
{
	s75_table *t = s75_table_new(NULL);
	s75_table_column(t, "Entry", S75_CELL_INT);
	const char *cols[] = {"At", "Who", "From", "Action", "Batch", "Detail"};
	for (int i = 0; i < 6; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < n; i++) {
		char batch[32] = "";
		if (e[i].batch_id)
			snprintf(batch, sizeof(batch), "%lld", (long long)e[i].batch_id);
		s75_table_row(t, 0);
		s75_table_int(t, e[i].id);
		s75_table_text(t, e[i].at);
		s75_table_text(t, e[i].actor ? e[i].actor : "");
		s75_table_text(t, e[i].address ? e[i].address : "");
		s75_table_text(t, e[i].action);
		s75_table_text(t, batch);
		s75_table_text(t, e[i].detail ? e[i].detail : "");
	}
	return t;
}

int s75_report_audit(s75_doc **out, s75_db *db, const s75_report_options *o)
{
	s75_audit_entry *e;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = s75_audit_list(&e, &n, db)))
		return rc;
	s75_doc *d = s75_report_doc_new(NULL, "Audit log", NULL, o);
	s75_doc_bare(d);
	s75_doc_table(d, audit_table(e, n));
	s75_doc_csv(d, audit_table(e, n));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer(e[i].id));
		json_object_set_new(x, "at", json_string(e[i].at));
		json_object_set_new(x, "actor", str_or_null(e[i].actor));
		json_object_set_new(x, "address", str_or_null(e[i].address));
		json_object_set_new(x, "action", json_string(e[i].action));
		json_object_set_new(x, "batch", e[i].batch_id ? json_integer(e[i].batch_id) : json_null());
		json_object_set_new(x, "detail", str_or_null(e[i].detail));
		json_array_append_new(arr, x);
	}
	json_t *root = json_object();
	json_object_set_new(root, "audit", arr);
	s75_doc_json(d, root);
	s75_audit_free(e, n);
	*out = d;
	return 0;
}

static s75_table *users_table(const s75_user *u, size_t n)
{
	s75_table *t = s75_table_new(NULL);
	const char *cols[] = {"E-mail", "Role", "Partner", "Pool", "Created", "Disabled", "Password"};
	for (int i = 0; i < 7; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < n; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, u[i].email);
		s75_table_text(t, s75_role_name(u[i].role));
		s75_table_text(t, u[i].partner ? u[i].partner : "");
		s75_table_text(t, u[i].pool ? u[i].pool : "");
		s75_table_text(t, u[i].created_at);
		s75_table_text(t, u[i].disabled_at ? u[i].disabled_at : "");
		s75_table_text(t, u[i].has_password ? "set" : "not set");
	}
	return t;
}

int s75_report_users(s75_doc **out, s75_db *db, const s75_report_options *o)
{
	s75_user *u;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = s75_user_list(&u, &n, db)))
		return rc;
	s75_doc *d = s75_report_doc_new(NULL, "Accounts", NULL, o);
	s75_doc_bare(d);
	s75_doc_table(d, users_table(u, n));
	s75_doc_csv(d, users_table(u, n));
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "email", json_string(u[i].email));
		json_object_set_new(x, "role", json_string(s75_role_name(u[i].role)));
		json_object_set_new(x, "partner", str_or_null(u[i].partner));
		json_object_set_new(x, "pool", str_or_null(u[i].pool));
		json_object_set_new(x, "created_at", json_string(u[i].created_at));
		json_object_set_new(x, "disabled_at", str_or_null(u[i].disabled_at));
		json_object_set_new(x, "password_set", json_boolean(u[i].has_password));
		json_array_append_new(arr, x);
	}
	json_t *root = json_object();
	json_object_set_new(root, "users", arr);
	s75_doc_json(d, root);
	s75_users_free(u, n);
	*out = d;
	return 0;
}
