/* Private to the store: where a workspace's database is (workspace.c). */
#ifndef S75_WORKSPACE_H
#define S75_WORKSPACE_H

#include "s75/db.h"

/* The file in a workspace's folder that records its PostgreSQL connection (one line, a
 * postgresql:// URI with no password), beside where its s75.db would be. */
#define DB_RECORD_FILE "s75.database"

/* The connection recorded in the workspace of `path`: *out NULL when none is (free()).
 * 0, or S75_EIO / S75_EINVALID (the record cannot be read, or is empty). */
int db_recorded_target(char **out, const char *path);

/*
 * The database to open for the workspace whose SQLite file is `path`: `database` when
 * given, else $S75_DATABASE when set, else the connection recorded in DB_RECORD_FILE
 * beside `path`, else `path` itself.
 * @param[out] out  the file path or URI (free())
 * @return 0, or S75_EIO / S75_EINVALID (the record cannot be read, or is empty)
 */
int db_target(char **out, const char *path, const char *database);

/* Records `target` (a postgresql:// URI, refused with a password in it) as the database of
 * the workspace whose SQLite file would be `path`. 0, S75_EINVALID or S75_EIO. */
int db_record_target(const char *path, const char *target);

/* Opens the workspace of `path` in `database` (NULL: the workspace's own, db_target())
 * and migrates it, as s75_db_open(). */
int db_open_at(s75_db **out, const char *path, const char *database, unsigned flags);

#endif
