/* s75 backup: an online copy of an SQLite workspace, with SQLite's backup API. The one
 * file of the store besides the SQLite back end that calls SQLite itself: a backup is a
 * page-by-page copy of the file, which no statement layer can express. */
#include <string.h>

#include <sqlite3.h>

#include "db_internal.h"
#include "s75/error.h"
#include "s75/outfile.h"

int s75_db_backup(s75_db *db, const char *dest)
{
	s75_outfile *f = NULL;
	sqlite3 *to = NULL;
	sqlite3_backup *b = NULL;
	sqlite3_stmt *st = NULL;
	int rc = 0, r;
	if (strcmp(db->be->name, "sqlite"))
		return s75_error_set(S75_EINVALID,
				     "the workspace is in PostgreSQL ('%s'): back it up with pg_dump (docs/deploy.md)",
				     db->path);
	if ((rc = s75_outfile_open(&f, dest)))
		return rc;
	s75_outfile_release_fp(f);
	if (sqlite3_open_v2(s75_outfile_tmp_path(f), &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto fail;
	/* one step: the whole file is copied inside one read transaction, a snapshot that
	 * commands writing meanwhile (the server, an import) do not disturb in WAL mode */
	if (!(b = sqlite3_backup_init(to, "main", (sqlite3 *)db->conn, "main")))
		goto fail;
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED)
		sqlite3_sleep(20);
	r = r == SQLITE_DONE ? sqlite3_backup_finish(b) : (sqlite3_backup_finish(b), r);
	b = NULL;
	if (r != SQLITE_OK)
		goto fail;
	/* the copy is checked before it replaces anything */
	if (sqlite3_prepare_v2(to, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok")) {
		sqlite3_finalize(st);
		rc = s75_error_set(S75_EIO, "the copy of '%s' in '%s' failed its check; nothing written", db->path, dest);
		goto done;
	}
	sqlite3_finalize(st);
	if (sqlite3_close(to) != SQLITE_OK) {
		to = NULL;
		goto fail;
	}
	to = NULL;
	return s75_outfile_commit(f);
fail:
	rc = s75_error_set(S75_EIO, "cannot back up '%s' to '%s': %s", db->path, dest,
			   to ? sqlite3_errmsg(to) : "cannot open the copy");
done:
	sqlite3_close(to);
	s75_outfile_abort(f);
	return rc;
}
