/* Private to the library: the SQLite handle behind an s75_db, and helpers. */
#ifndef S75_DB_INTERNAL_H
#define S75_DB_INTERNAL_H

#include <sqlite3.h>
#include "s75/db.h"

struct s75_db {
	sqlite3 *h;
	char *path;
	int readonly; /* opened read-only: the file or its folder cannot be written */
	char *actor, *address; /* s75_db_set_actor(): recorded with each audit entry */
};

/* Runs SQL with no results; on failure sets the last error and returns S75_EIO. */
int db_exec(s75_db *db, const char *sql);
/* Prepares `sql`; on failure sets the last error. */
int db_prepare(s75_db *db, sqlite3_stmt **st, const char *sql);
/* Sets the last error from SQLite's message. */
int db_error(s75_db *db, const char *what);
/* Sets the last error for a failure of a TEMP table, naming the temporary folder it is in
 * (not the workspace). */
int db_temp_error(s75_db *db, const char *what);
/* The folder TEMP tables and other temporary files go in: SQLITE_TMPDIR, TMPDIR, or the
 * first of /var/tmp, /usr/tmp, /tmp that can be written. */
const char *db_temp_folder(void);
/* Appends to the audit log (inside the caller's transaction). */
int db_audit(s75_db *db, const char *at, const char *action, int64_t batch_id,
	     const char *detail);

#endif
