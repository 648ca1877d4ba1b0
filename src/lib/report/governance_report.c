/* The governance reports (s75 governance check|risks|meetings|decisions): the breaches of
 * the agreement's governance, the risk register and the logs, as documents with their JSON
 * and CSV. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/governance.h"
#include "s75/report.h"

/* ---- check ------------------------------------------------------------------------- */

static json_t *check_json(const s75_breaches *b)
{
	char d[11], f[11];
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "from", json_string(s75_date_format(f, b->from)));
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, b->as_of)));
	json_object_set_new(root, "in_order", json_boolean(b->n == 0));
	for (size_t i = 0; i < b->n; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "date",
		                    json_string(s75_date_format(d, b->items[i].date)));
		json_object_set_new(x, "breach",
		                    json_string(s75_breach_kind_name(b->items[i].kind)));
		json_object_set_new(x, "subject", json_string(b->items[i].subject));
		json_object_set_new(x, "evidence", json_string(b->items[i].evidence));
		json_array_append_new(arr, x);
	}
	json_object_set_new(root, "breaches", arr);
	return root;
}

static s75_table *check_table(const s75_breaches *b)
{
	char d[11];
	s75_table *t = s75_table_new(NULL);
	const char *cols[] = {"Date", "Breach", "Subject", "Evidence"};
	for (int i = 0; i < 4; i++)
		s75_table_column(t, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < b->n; i++) {
		s75_table_row(t, 0);
		s75_table_text(t, s75_date_format(d, b->items[i].date));
		s75_table_text(t, s75_breach_kind_name(b->items[i].kind));
		s75_table_text(t, b->items[i].subject);
		s75_table_text(t, b->items[i].evidence);
	}
	return t;
}

int s75_report_governance_check(s75_doc **out, size_t *nbreaches, s75_db *db,
				 const s75_agreement *ag, const s75_gov_check_options *opts,
				 const s75_report_options *o)
{
	s75_breaches *b;
	char d[11], f[11];
	int rc;
	*out = NULL;
	*nbreaches = 0;
	if ((rc = s75_governance_check(&b, db, ag, opts)))
		return rc;
	s75_doc *doc = s75_report_doc_new(ag, "Governance check", NULL, o);
	s75_doc_bare(doc);
	s75_buf head = S75_BUF_INIT;
	s75_buf_printf(&head, "Governance check — %s\n", ag->title);
	s75_buf_printf(&head, "from %s to %s: ", s75_date_format(f, b->from),
		       s75_date_format(d, b->as_of));
	if (b->n)
		s75_buf_printf(&head, "%zu breach%s\n", b->n, b->n == 1 ? "" : "es");
	else
		s75_buf_puts(&head, "all in order");
	s75_doc_para(doc, head.ptr);
	s75_buf_release(&head);
	if (b->n)
		s75_doc_table(doc, check_table(b));
	s75_doc_csv(doc, check_table(b));
	s75_doc_json(doc, check_json(b));
	*nbreaches = b->n;
	s75_breaches_free(b);
	*out = doc;
	return 0;
}

/* ---- risks ------------------------------------------------------------------------- */

static json_t *risks_json(const s75_agreement *ag, const s75_gov_model *g, const size_t *order,
			  s75_date day)
{
	char d[11];
	json_t *root = json_object(), *arr = json_array();
	json_object_set_new(root, "as_of", json_string(s75_date_format(d, day)));
	for (size_t k = 0; k < g->nrisks; k++) {
		const s75_risk *r = &g->risks[order[k]];
		json_t *o = json_object(), *m = json_array();
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "title", json_string(r->title));
		json_object_set_new(o, "kind", json_string(s75_risk_kind_name(r->kind)));
		json_object_set_new(o, "pool",
		                    r->pool >= 0 ? json_string(ag->arrangements[r->pool].id)
		                                 : json_null());
		json_object_set_new(o, "owner", json_string(ag->partners[r->owner].id));
		json_object_set_new(o, "owner_role", json_string(r->owner_role));
		json_object_set_new(o, "likelihood", json_integer(r->likelihood));
		json_object_set_new(o, "impact", json_integer(r->impact));
		json_object_set_new(o, "score", json_integer(r->likelihood * r->impact));
		for (size_t i = 0; i < r->mitigations.n; i++)
			json_array_append_new(m, json_string(r->mitigations.items[i]));
		json_object_set_new(o, "mitigations", m);
		json_object_set_new(o, "review",
		                    json_string(s75_date_format(d, r->review)));
		json_object_set_new(o, "reviewed",
		                    r->has_reviewed
		                        ? json_string(s75_date_format(d, r->reviewed))
		                        : json_null());
		json_object_set_new(o, "overdue", json_boolean(r->review < day));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "risks", arr);
	return root;
}

static s75_table *risks_table(const s75_agreement *ag, const s75_gov_model *g, const size_t *order,
			      s75_date day, bool csv)
{
	s75_buf t = S75_BUF_INIT;
	char d[11];
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Risk register on %s — %s", s75_date_format(d, day),
	               ag->title);
	s75_table *tb = s75_table_new(csv ? NULL : title.ptr);
	const char *cols[] = {"Risk", "Kind", "Pool", "Owner"};
	for (int i = 0; i < 4; i++) {
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
		if (i == 0 && !csv) /* the title on the page, the id beside to match the agreement */
			s75_table_column(tb, "Id", S75_CELL_TEXT);
	}
	s75_table_column(tb, "L", S75_CELL_INT);
	s75_table_column(tb, "I", S75_CELL_INT);
	s75_table_column(tb, "Score", S75_CELL_INT);
	s75_table_column(tb, "Review", S75_CELL_TEXT);
	s75_table_column(tb, "Mitigating actions", S75_CELL_TEXT);
	for (size_t k = 0; k < g->nrisks; k++) {
		const s75_risk *r = &g->risks[order[k]];
		s75_table_row(tb, 0);
		if (!csv)
			s75_table_text(tb, r->title);
		s75_table_text(tb, r->id);
		s75_table_text(tb, s75_risk_kind_name(r->kind));
		s75_table_text(tb, r->pool >= 0 ? (csv ? ag->arrangements[r->pool].id
						       : ag->arrangements[r->pool].name)
					 : csv ? "all" : "all pools");
		s75_buf_reset(&t);
		if (csv)
			s75_buf_printf(&t, "%s %s", ag->partners[r->owner].id, r->owner_role);
		else
			s75_buf_printf(&t, "%s: %s", r->owner_role, ag->partners[r->owner].name);
		s75_table_text(tb, t.ptr);
		s75_table_int(tb, r->likelihood);
		s75_table_int(tb, r->impact);
		s75_table_int(tb, r->likelihood * r->impact);
		s75_buf_reset(&t);
		s75_buf_printf(&t, "%s%s", s75_date_format(d, r->review),
		               r->review < day ? " OVERDUE" : "");
		s75_table_text(tb, t.ptr);
		s75_buf_reset(&t);
		for (size_t i = 0; i < r->mitigations.n; i++)
			s75_buf_printf(&t, "%s%s", i ? "; " : "", r->mitigations.items[i]);
		s75_table_text(tb, t.ptr);
	}
	s75_buf_release(&title);
	s75_buf_release(&t);
	return tb;
}

int s75_report_risks(s75_doc **out, const s75_agreement *ag, s75_date day,
		     const s75_report_options *o)
{
	const s75_gov_model *g = s75_agreement_governance(ag);
	char d[11];
	*out = NULL;
	/* highest score first; ties in the file's order */
	size_t *order = calloc(g->nrisks + 1, sizeof(size_t));
	if (!order)
		abort();
	for (size_t i = 0; i < g->nrisks; i++) {
		size_t at = i;
		int sc = g->risks[i].likelihood * g->risks[i].impact;
		while (at > 0 &&
		       g->risks[order[at - 1]].likelihood * g->risks[order[at - 1]].impact < sc) {
			order[at] = order[at - 1];
			at--;
		}
		order[at] = i;
	}
	s75_buf title = S75_BUF_INIT;
	s75_buf_printf(&title, "Risk register on %s", s75_date_format(d, day));
	s75_doc *doc = s75_report_doc_new(ag, title.ptr, d, o);
	s75_buf_release(&title);
	s75_doc_bare(doc);
	s75_doc_table(doc, risks_table(ag, g, order, day, false));
	s75_doc_csv(doc, risks_table(ag, g, order, day, true));
	s75_doc_json(doc, risks_json(ag, g, order, day));
	free(order);
	*out = doc;
	return 0;
}

/* ---- meetings ---------------------------------------------------------------------- */

/* The meetings as a table, and (when `arr` is not NULL) as JSON objects appended to it. */
static s75_table *meetings_table(const s75_agreement *ag, const s75_meeting *m, size_t nm,
				 const s75_receipt *r, size_t nr, json_t *arr)
{
	s75_buf t = S75_BUF_INIT;
	char d[11];
	s75_table *tb = s75_table_new(NULL);
	const char *cols[] = {"Date", "Body", "Public", "Present", "Quorate", "Received", "Note"};
	for (int i = 0; i < 7; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < nm; i++) {
		int bi = s75_agreement_find_body(ag, m[i].body);
		const char *why = NULL;
		bool q = bi < 0 || s75_meeting_quorate(
		                       ag, &s75_agreement_governance(ag)->bodies[bi], &m[i], &why);
		s75_buf present = S75_BUF_INIT, named = S75_BUF_INIT;
		if (m[i].present) {
			for (size_t p = 0; p < ag->npartners; p++)
				if (m[i].present[p] >= 0) {
					s75_buf_printf(&present, "%s%s:%d", present.len ? "," : "",
					               ag->partners[p].id, m[i].present[p]);
					s75_buf_printf(&named, "%s%s %d", named.len ? ", " : "",
					               ag->partners[p].name, m[i].present[p]);
				}
		} else if (m[i].present_total >= 0) {
			s75_buf_printf(&present, "%d", m[i].present_total);
		}
		json_t *rec = json_array();
		s75_buf_reset(&t);
		for (size_t k = 0; k < nr; k++)
			if (r[k].date == m[i].date && !strcmp(r[k].body, m[i].body)) {
				s75_buf_printf(&t, "%s%s:%s", t.len ? ";" : "", r[k].item,
				               r[k].period);
				json_t *x = json_object();
				json_object_set_new(x, "item", json_string(r[k].item));
				json_object_set_new(x, "period", json_string(r[k].period));
				json_array_append_new(rec, x);
			}
		s75_date_format(d, m[i].date);
		if (arr) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_integer(m[i].id));
			json_object_set_new(o, "date", json_string(d));
			json_object_set_new(o, "body", json_string(m[i].body));
			json_object_set_new(o, "public", json_boolean(m[i].public_meeting));
			json_object_set_new(o, "present",
			                    present.len ? json_string(present.ptr) : json_null());
			json_object_set_new(o, "quorate", json_boolean(q));
			json_object_set_new(o, "received", rec);
			json_object_set_new(o, "note",
			                    m[i].note ? json_string(m[i].note) : json_null());
			json_array_append_new(arr, o);
		} else {
			json_decref(rec);
		}
		{
			/* the body by name on the page (arr set), by id in CSV */
			const char *body = arr && bi >= 0 ? s75_agreement_governance(ag)->bodies[bi].name
			                                  : m[i].body;
			s75_table_row(tb, 0);
			s75_table_text(tb, d);
			s75_table_text(tb, body ? body : m[i].body);
			s75_table_text(tb, m[i].public_meeting ? "yes" : "no");
			s75_table_text(tb, arr && named.len ? named.ptr : present.ptr);
			s75_table_text(tb, q ? "yes" : why);
			s75_table_text(tb, t.ptr);
			s75_table_text(tb, m[i].note ? m[i].note : "");
		}
		s75_buf_release(&present);
		s75_buf_release(&named);
	}
	s75_buf_release(&t);
	return tb;
}

int s75_report_meetings(s75_doc **out, s75_db *db, const s75_agreement *ag, const char *body,
			const s75_report_options *o)
{
	s75_meeting *m = NULL;
	s75_receipt *r = NULL;
	size_t nm = 0, nr = 0;
	int rc;
	*out = NULL;
	if ((rc = s75_meetings_list(&m, &nm, db, ag, body)) ||
	    (rc = s75_receipts_list(&r, &nr, db, body))) {
		s75_meetings_free(m, nm);
		return rc;
	}
	s75_doc *doc = s75_report_doc_new(ag, "Meetings", body, o);
	s75_doc_bare(doc);
	json_t *root = json_object(), *arr = json_array();
	s75_doc_table(doc, meetings_table(ag, m, nm, r, nr, arr));
	s75_doc_csv(doc, meetings_table(ag, m, nm, r, nr, NULL));
	json_object_set_new(root, "meetings", arr);
	s75_doc_json(doc, root);
	s75_meetings_free(m, nm);
	s75_receipts_free(r, nr);
	*out = doc;
	return 0;
}

/* ---- decisions --------------------------------------------------------------------- */

static json_t *decisions_json(const s75_decision *v, size_t n)
{
	char d[11];
	json_t *root = json_object(), *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(v[i].id));
		json_object_set_new(o, "body", json_string(v[i].body));
		json_object_set_new(o, "date", json_string(s75_date_format(d, v[i].date)));
		json_object_set_new(o, "approves", json_string(v[i].approves));
		json_object_set_new(o, "summary", json_string(v[i].summary));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "decisions", arr);
	return root;
}

/* Who took a decision, by name: a governance body or a partner (the id if neither). */
static const char *taker_name(const s75_agreement *ag, const char *id)
{
	int b = ag ? s75_agreement_find_body(ag, id) : -1;
	if (b >= 0)
		return s75_agreement_governance(ag)->bodies[b].name;
	for (size_t p = 0; ag && p < ag->npartners; p++)
		if (!strcmp(ag->partners[p].id, id))
			return ag->partners[p].name;
	return id;
}

static s75_table *decisions_table(const s75_agreement *ag, const s75_decision *v, size_t n)
{
	char d[11];
	s75_table *tb = s75_table_new(NULL);
	const char *cols[] = {"Id", "Body", "Date", "Approves", "Summary"};
	for (int i = 0; i < 5; i++)
		s75_table_column(tb, cols[i], S75_CELL_TEXT);
	for (size_t i = 0; i < n; i++) {
		s75_table_row(tb, 0);
		s75_table_text(tb, v[i].id);
		s75_table_text(tb, taker_name(ag, v[i].body));
		s75_table_text(tb, s75_date_format(d, v[i].date));
		s75_table_text(tb, v[i].approves);
		s75_table_text(tb, v[i].summary);
	}
	return tb;
}

int s75_report_decisions(s75_doc **out, s75_db *db, const s75_agreement *ag,
			 const s75_report_options *o)
{
	s75_decision *v;
	size_t n;
	int rc;
	*out = NULL;
	if ((rc = s75_decisions_list(&v, &n, db)))
		return rc;
	s75_doc *doc = s75_report_doc_new(ag, "Decisions", NULL, o);
	s75_doc_bare(doc);
	s75_doc_table(doc, decisions_table(ag, v, n));
	s75_doc_csv(doc, decisions_table(NULL, v, n)); /* ids in CSV */
	s75_doc_json(doc, decisions_json(v, n));
	s75_decisions_free(v, n);
	*out = doc;
	return 0;
}
