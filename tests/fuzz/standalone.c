/* Runs a fuzz target's LLVMFuzzerTestOneInput() on files, without libFuzzer, so that the
 * committed corpus runs in the ordinary test suite with any compiler.
 *
 *     fuzz_csv_standalone FILE|DIR...
 *
 * A folder's files are run in name order (so a failure is reproducible); a crash or
 * a failed invariant aborts with the name of the input printed just before.
 * After libgit2's fuzzers/standalone_driver.c. */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_util.h"

static int run_file(const char *path)
{
	size_t size;
	uint8_t *data;
	fprintf(stderr, "running %s\n", path);
	data = fuzz_read_file(path, &size);
	/* hand the target exactly `size` bytes, as libFuzzer does, so that ASan sees
	 * any read past the end */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		abort();
	if (size)
		memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int count = 0;
	if (!d) {
		fprintf(stderr, "cannot open '%s': %s\n", dir, strerror(errno));
		exit(2);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			if (!(names = realloc(names, alloc * sizeof(*names))))
				abort();
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		if (!(names[n] = malloc(len)))
			abort();
		snprintf(names[n++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			count += run_file(names[i]);
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	int count = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "cannot open '%s': %s\n", argv[i], strerror(errno));
			return 2;
		}
		count += S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]);
	}
	if (count == 0) {
		fprintf(stderr, "no inputs\n");
		return 2;
	}
	printf("%d inputs ran\n", count);
	return 0;
}
