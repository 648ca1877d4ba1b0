/* s75 — writing an output file safely.
 *
 * Every file s75 writes (a report's -o FILE, an import's reject file, an XLSX workbook)
 * goes through here: the bytes go to a new file in a private folder created beside the
 * target (mkdtemp, then O_CREAT|O_EXCL|O_NOFOLLOW), are fsync'ed and renamed over the
 * target, so a crash, a full disk or a planted symbolic link never leaves a half-written
 * or redirected file. A target that is a symbolic link, a FIFO, a device, a socket or a
 * folder is refused: s75 replaces only regular files.
 *
 *     s75_outfile *f;
 *     if (s75_outfile_open(&f, "report.csv") == 0) {
 *         fputs("...", s75_outfile_fp(f));
 *         rc = s75_outfile_commit(f);   // or s75_outfile_abort(f)
 *     }
 */
#ifndef S75_OUTFILE_H
#define S75_OUTFILE_H

#include <stdio.h>
#include "common.h"

typedef struct s75_outfile s75_outfile;

/**
 * Checks that `path` may be replaced and creates its temporary file.
 * @param[out] out the open output, to be ended by s75_outfile_commit() or _abort()
 * @return 0, or S75_EIO (with the cause named in s75_error_last())
 */
S75_EXTERN(int) s75_outfile_open(s75_outfile **out, const char *path);

/** The stream to write to (owned by `f`). */
S75_EXTERN(FILE *) s75_outfile_fp(s75_outfile *f);

/**
 * The temporary file's path, for writers that need a file name (libxlsxwriter): it lies
 * in a folder only this process can write to. Close the stream first with
 * s75_outfile_release_fp(). Owned by `f`.
 */
S75_EXTERN(const char *) s75_outfile_tmp_path(const s75_outfile *f);

/** Closes the stream so that another writer can write the temporary path. */
S75_EXTERN(void) s75_outfile_release_fp(s75_outfile *f);

/**
 * Flushes, fsyncs and renames the temporary file over the target, then frees `f`.
 * On any failure the target is left untouched and the temporary file removed.
 * @return 0, or S75_EIO naming the cause (e.g. "no space left on device")
 */
S75_EXTERN(int) s75_outfile_commit(s75_outfile *f);

/** Removes the temporary file, leaves the target untouched, and frees `f` (NULL is fine). */
S75_EXTERN(void) s75_outfile_abort(s75_outfile *f);

/** Writes `len` bytes of `data` to `path` through the steps above. 0 or S75_EIO. */
S75_EXTERN(int) s75_outfile_write(const char *path, const void *data, size_t len);

#endif
