/* The files an agreement names (budgets, profiles, plans): inside the agreement's folder,
 * regular files. Shared by the agreement loader and the import profiles. */
#include <string.h>
#include <sys/stat.h>

#include "loader.h"

/*
 * The path of a file the agreement names: relative to the agreement's folder and inside
 * it (no absolute path, no '..'), and a regular file. An agreement from elsewhere must not
 * make s75 read, and echo in its errors, any file on the machine.
 */
bool named_file(loader *l, struct fy_node *v, const s75_agreement *ag, const char *name,
		s75_buf *path)
{
	struct stat st;
	bool up = !strcmp(name, "..") || !strncmp(name, "../", 3) || strstr(name, "/../") ||
		  (strlen(name) >= 3 && !strcmp(name + strlen(name) - 3, "/.."));
	if (!*name || name[0] == '/' || up) {
		yn_error(&l->y, v, "'%s': a file the agreement names must be inside the agreement's folder (a relative path without '..')",
			 name);
		return false;
	}
	if (!strcmp(ag->dir, "."))
		s75_buf_puts(path, name);
	else
		s75_buf_printf(path, "%s/%s", ag->dir, name);
	if (!stat(path->ptr, &st) && !S_ISREG(st.st_mode)) {
		yn_error(&l->y, v, "'%s' is not a regular file", name);
		return false;
	}
	return true;
}
