/* A scratch workspace on the care-packages fixture (tests/fixtures/packages-ws), shared by the
 * unit tests of packages and recharges (linked into each by tests/CMakeLists.txt). */
#ifndef S75_TEST_PACKAGES_WS_H
#define S75_TEST_PACKAGES_WS_H

#include "s75/s75.h"

typedef struct ws {
	char dir[64];
	s75_agreement *ag;
	s75_db *db;
	s75_diags d;
} ws;

/* Loads the fixture's agreement and creates a workspace in a new folder under /tmp; a
 * failure fails the test. Release with ws_close(). */
void ws_open(ws *w);
/* Closes the workspace, frees the agreement and removes the folder. */
void ws_close(ws *w);
/* Writes `text` to the file `name` in the workspace's folder and imports it as the package
 * register (as on 2023-09-01); returns s75_import_packages()'s code, `r` filled as it fills it. */
int ws_import_packages(ws *w, const char *name, const char *text, s75_import_result *r);

#endif
