#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_util.h"

#ifndef S75_FUZZ_SOURCE_DIR
#define S75_FUZZ_SOURCE_DIR "."
#endif

static char *tmpdir;

/* Removes the folder's files (the targets create no subfolders), then the folder. */
static void remove_tmpdir(void)
{
	DIR *d;
	struct dirent *e;
	if (!tmpdir)
		return;
	if ((d = opendir(tmpdir))) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = fuzz_path(e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
}

const char *fuzz_tmpdir(void)
{
	if (!tmpdir) {
		const char *base = getenv("TMPDIR");
		size_t n;
		if (!base || !*base)
			base = "/tmp";
		n = strlen(base) + 32;
		tmpdir = malloc(n);
		if (!tmpdir)
			abort();
		snprintf(tmpdir, n, "%s/s75-fuzz-XXXXXX", base);
		if (!mkdtemp(tmpdir)) {
			perror("s75 fuzz: mkdtemp");
			abort();
		}
		atexit(remove_tmpdir);
	}
	return tmpdir;
}

char *fuzz_path(const char *name)
{
	const char *dir = fuzz_tmpdir();
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		perror(path);
		abort();
	}
	if ((size && fwrite(data, 1, size, fp) != size) || fclose(fp)) {
		perror(path);
		abort();
	}
}

uint8_t *fuzz_read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, alloc = 0, n;
	if (!fp) {
		perror(path);
		abort();
	}
	do {
		if (alloc - len < 65536) {
			alloc = alloc ? alloc * 2 : 65536;
			if (!(buf = realloc(buf, alloc)))
				abort();
		}
		n = fread(buf + len, 1, alloc - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		perror(path);
		abort();
	}
	fclose(fp);
	*size = len;
	return buf;
}

char *fuzz_source_path(const char *rel)
{
	const char *dir = getenv("S75_FUZZ_SOURCE_DIR");
	size_t n;
	char *p;
	if (!dir || !*dir)
		dir = S75_FUZZ_SOURCE_DIR;
	n = strlen(dir) + strlen(rel) + 2;
	if (!(p = malloc(n)))
		abort();
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

int fuzz_copy_source(const char *rel, const char *name)
{
	char *src = fuzz_source_path(rel), *dst;
	uint8_t *data;
	size_t size;
	if (access(src, R_OK)) {
		free(src);
		return 0;
	}
	data = fuzz_read_file(src, &size);
	dst = fuzz_path(name);
	fuzz_write_file(dst, data, size);
	free(data);
	free(dst);
	free(src);
	return 1;
}
