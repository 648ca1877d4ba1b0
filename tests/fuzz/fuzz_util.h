/* Helpers shared by the fuzz targets: a private temporary folder and an invariant check
 * that aborts (so both libFuzzer and the standalone driver report the input). */
#ifndef S75_FUZZ_UTIL_H
#define S75_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The libFuzzer entry point every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A folder of this process's own, created on first use and removed at exit. */
const char *fuzz_tmpdir(void);

/* `name` inside fuzz_tmpdir(); the result is the caller's to free(). */
char *fuzz_path(const char *name);

/* Writes `size` bytes to `path` (replacing it); aborts if it cannot. */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* `rel` inside the source tree (S75_FUZZ_SOURCE_DIR in the environment, else the folder
 * CMake configured); the result is the caller's to free(). */
char *fuzz_source_path(const char *rel);

/* Copies `rel` from the source tree into fuzz_tmpdir() as `name`; false if missing. */
int fuzz_copy_source(const char *rel, const char *name);

/* Reads all of `path` into a malloc'd buffer; aborts if it cannot. */
uint8_t *fuzz_read_file(const char *path, size_t *size);

/* Aborts with the condition, where it failed and a message when `cond` is false. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__,  \
			        #cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif
