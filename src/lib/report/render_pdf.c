/* A report document as a PDF: its HTML page printed by headless Chromium (A4, the running
 * header and page numbers come from the page's print CSS). Chromium prints into the
 * temporary file of s75_outfile (the one safe writer), committed over the target at the
 * end, so a failure leaves nothing half-written. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_internal.h"
#include "s75/error.h"
#include "s75/outfile.h"

extern char **environ;

static int write_file(const char *path, const s75_buf *b)
{
	FILE *fp = fopen(path, "wb");
	int bad = !fp || fwrite(b->ptr, 1, b->len, fp) != b->len;
	bad |= fp && fclose(fp) != 0;
	return bad ? s75_error_set(S75_EIO, "cannot write '%s': %s", path, strerror(errno)) : 0;
}

/* Runs argv with stdin, stdout and stderr on /dev/null; its exit status, or -1 when it
 * could not be started (errno set). */
static int run_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;
	posix_spawn_file_actions_init(&fa);
	for (int fd = 0; fd < 3; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
	int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		errno = e;
		return -1;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

/* The temporary folder: the page and Chromium's profile. */
static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int s75_doc_render_pdf(const s75_doc *d, const char *path, const char *chromium)
{
	const char *tmpdir = getenv("TMPDIR");
	s75_buf dir = S75_BUF_INIT, html = S75_BUF_INIT, page = S75_BUF_INIT, part = S75_BUF_INIT,
		a_profile = S75_BUF_INIT, a_pdf = S75_BUF_INIT, a_url = S75_BUF_INIT;
	int rc = 0;
	if (!chromium || !*chromium)
		chromium = "chromium";
	s75_buf_printf(&dir, "%s/s75-pdf-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(dir.ptr)) {
		rc = s75_error_set(S75_EIO, "cannot create a temporary folder: %s", strerror(errno));
		goto out;
	}
	s75_doc_render_html(d, &html);
	s75_buf_printf(&page, "%s/paper.html", dir.ptr);
	if ((rc = write_file(page.ptr, &html)))
		goto clean;
	/* through the one safe writer: Chromium prints to its temporary file, committed over
	 * `path` at the end */
	s75_outfile *of;
	if ((rc = s75_outfile_open(&of, path)))
		goto clean;
	s75_outfile_release_fp(of);
	s75_buf_puts(&part, s75_outfile_tmp_path(of));
	s75_buf_printf(&a_profile, "--user-data-dir=%s/profile", dir.ptr);
	s75_buf_printf(&a_pdf, "--print-to-pdf=%s", part.ptr);
	s75_buf_printf(&a_url, "file://%s", page.ptr);
	char *const argv[] = {(char *)chromium, (char *)"--headless", (char *)"--no-sandbox",
			      (char *)"--disable-gpu", (char *)"--no-first-run",
			      (char *)"--disable-background-networking",
			      (char *)"--disable-component-update", (char *)"--disable-sync",
			      (char *)"--no-pdf-header-footer", a_profile.ptr, a_pdf.ptr, a_url.ptr,
			      NULL};
	int st = run_quiet(argv);
	struct stat sb;
	if (st < 0 && errno == ENOENT) {
		rc = s75_error_set(S75_EIO, "-f pdf prints the page with headless Chromium, and '%s' is not "
					    "installed: install the Debian package 'chromium' (or set "
					    "S75_CHROMIUM to its path)", chromium);
	} else if (st != 0 || stat(part.ptr, &sb) || sb.st_size == 0) {
		rc = s75_error_set(S75_EIO, "'%s' did not print '%s' (exit %d)", chromium, path, st);
	}
	if (rc)
		s75_outfile_abort(of);
	else
		rc = s75_outfile_commit(of);
clean:
	remove_tree(dir.ptr);
out:
	s75_buf_release(&dir);
	s75_buf_release(&html);
	s75_buf_release(&page);
	s75_buf_release(&part);
	s75_buf_release(&a_profile);
	s75_buf_release(&a_pdf);
	s75_buf_release(&a_url);
	return rc;
}
