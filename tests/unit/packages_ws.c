/* A scratch workspace on the care-packages fixture (packages_ws.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "packages_ws.h"

void ws_open(ws *w)
{
	char path[512];
	const char *tests = getenv("S75_TESTS");
	memset(w, 0, sizeof(*w));
	strcpy(w->dir, "/tmp/s75-test-packages-XXXXXX");
	assert_non_null(mkdtemp(w->dir));
	snprintf(path, sizeof(path), "%s/fixtures/packages-ws/agreement.yaml", tests ? tests : "tests");
	if (s75_agreement_load(&w->ag, path, &w->d))
		fail_msg("cannot load %s", path);
	snprintf(path, sizeof(path), "%s/s75.db", w->dir);
	assert_int_equal(s75_db_open(&w->db, path, S75_DB_CREATE), 0);
}

void ws_close(ws *w)
{
	char cmd[128];
	s75_db_close(w->db);
	s75_agreement_free(w->ag);
	s75_diags_release(&w->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", w->dir);
	assert_int_equal(system(cmd), 0);
}

int ws_import_packages(ws *w, const char *name, const char *text, s75_import_result *r)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	s75_import_options o = S75_IMPORT_OPTIONS_INIT;
	o.now = "2023-09-01T00:00:00Z";
	o.name = name;
	return s75_import_packages(w->db, w->ag, path, &o, r, NULL);
}
