/* Where a workspace's database is: its own SQLite file, or a PostgreSQL schema recorded
 * in the workspace (`s75 init --database URI`), or the one S75_DATABASE names. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s75/buf.h"
#include "s75/error.h"
#include "s75/outfile.h"
#include "sql_pg.h"
#include "workspace.h"
#include "xalloc.h"

/* The file beside `path` (the workspace's s75.db) that records its connection. */
static char *record_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	s75_buf b = S75_BUF_INIT;
	if (slash)
		s75_buf_add(&b, path, (size_t)(slash - path + 1));
	s75_buf_puts(&b, DB_RECORD_FILE);
	return s75_buf_detach(&b);
}

int db_recorded_target(char **out, const char *path)
{
	char *rec = record_path(path), line[2048];
	FILE *f;
	int rc = 0;
	*out = NULL;
	if (!(f = fopen(rec, "r"))) {
		if (errno != ENOENT)
			rc = s75_error_set(S75_EIO, "cannot read '%s': %s", rec, strerror(errno));
		free(rec);
		return rc;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (!line[0])
		rc = s75_error_set(S75_EINVALID,
				   "'%s' is empty: expected the workspace's database, a postgresql:// URI (s75 init --database URI writes it)",
				   rec);
	else
		*out = xstrdup(line);
	free(rec);
	return rc;
}

int db_target(char **out, const char *path, const char *database)
{
	const char *env = getenv("S75_DATABASE");
	int rc;
	*out = NULL;
	if (database && *database) {
		*out = xstrdup(database);
		return 0;
	}
	if (env && *env) {
		*out = xstrdup(env);
		return 0;
	}
	if ((rc = db_recorded_target(out, path)))
		return rc;
	if (!*out)
		*out = xstrdup(path);
	return 0;
}

int db_record_target(const char *path, const char *target)
{
	char *conninfo = NULL, *schema = NULL, *rec = record_path(path);
	s75_buf b = S75_BUF_INIT;
	int rc;
	/* never a password in the workspace: pg_target_parse refuses one */
	if ((rc = pg_target_parse(&conninfo, &schema, target)))
		goto done;
	s75_buf_printf(&b, "%s\n", target);
	rc = s75_outfile_write(rec, b.ptr, b.len);
done:
	free(conninfo);
	free(schema);
	free(rec);
	s75_buf_release(&b);
	return rc;
}
