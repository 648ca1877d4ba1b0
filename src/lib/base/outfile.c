/* Output files written beside their target in a private folder, fsync'ed and renamed. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "s75/error.h"
#include "s75/outfile.h"
#include "xalloc.h"

struct s75_outfile {
	char *target;
	char *dir;  /* the private folder beside the target */
	char *tmp;  /* dir + "/out" */
	FILE *fp;
	int failed; /* errno of the first failure, 0 if none */
};

/* What a non-regular file is, for the refusal. */
static const char *kind_of(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISDIR(m))
		return "a folder";
	return "not a regular file";
}

/* The folder part of `path` ("." when it has none). */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	size_t n = (size_t)(slash - path);
	char *d = xmalloc(n + 1);
	memcpy(d, path, n);
	d[n] = '\0';
	return d;
}

static void free_outfile(s75_outfile *f)
{
	if (f->fp)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	if (f->dir)
		rmdir(f->dir);
	free(f->target);
	free(f->dir);
	free(f->tmp);
	free(f);
}

int s75_outfile_open(s75_outfile **out, const char *path)
{
	struct stat st;
	s75_outfile *f = NULL;
	char *parent = NULL;
	int fd = -1, rc = S75_EIO;
	*out = NULL;
	if (!path || !*path)
		return s75_error_set(S75_EIO, "an output file needs a name");
	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		return s75_error_set(S75_EIO, "will not write '%s': it is %s, and s75 replaces only regular files",
				     path, kind_of(st.st_mode));
	}
	f = xcalloc(1, sizeof(*f));
	f->target = xstrdup(path);
	parent = dir_of(path);
	size_t n = strlen(parent) + 32;
	f->dir = xmalloc(n);
	snprintf(f->dir, n, "%s/.s75-out-XXXXXX", parent);
	if (!mkdtemp(f->dir)) {
		s75_error_set(S75_EIO, "cannot write '%s': cannot create a temporary file in '%s': %s",
			      path, parent, strerror(errno));
		free(f->dir);
		f->dir = NULL;
		goto done;
	}
	f->tmp = xmalloc(strlen(f->dir) + 5);
	snprintf(f->tmp, strlen(f->dir) + 5, "%s/out", f->dir);
	fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 || !(f->fp = fdopen(fd, "wb"))) {
		s75_error_set(S75_EIO, "cannot write '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(f->tmp);
		f->tmp = NULL;
		goto done;
	}
	*out = f;
	f = NULL;
	rc = 0;
done:
	if (f)
		free_outfile(f);
	free(parent);
	return rc;
}

FILE *s75_outfile_fp(s75_outfile *f)
{
	return f->fp;
}

const char *s75_outfile_tmp_path(const s75_outfile *f)
{
	return f->tmp;
}

void s75_outfile_release_fp(s75_outfile *f)
{
	if (f->fp && fclose(f->fp) && !f->failed)
		f->failed = errno ? errno : EIO;
	f->fp = NULL;
}

/* fsyncs a folder so that a rename in it survives a crash (best effort). */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int s75_outfile_commit(s75_outfile *f)
{
	int err = 0, fd;
	char *parent;
	if (f->fp) {
		if (fflush(f->fp) || ferror(f->fp))
			err = errno ? errno : EIO;
		if (!err && fsync(fileno(f->fp)))
			err = errno;
		if (fclose(f->fp) && !err)
			err = errno ? errno : EIO;
		f->fp = NULL;
	} else if ((fd = open(f->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 || fsync(fd)) {
		/* written by another writer under its name: make it durable too */
		err = errno;
		if (fd >= 0)
			close(fd);
	} else {
		close(fd);
	}
	if (!err)
		err = f->failed;
	if (!err && rename(f->tmp, f->target))
		err = errno;
	if (err) {
		s75_error_set(S75_EIO, "cannot write '%s': %s (the file is unchanged)", f->target,
			      strerror(err));
		free_outfile(f);
		return S75_EIO;
	}
	parent = dir_of(f->target);
	sync_dir(parent);
	free(parent);
	free(f->tmp); /* renamed: nothing to unlink */
	f->tmp = NULL;
	free_outfile(f);
	return 0;
}

void s75_outfile_abort(s75_outfile *f)
{
	if (f)
		free_outfile(f);
}

int s75_outfile_write(const char *path, const void *data, size_t len)
{
	s75_outfile *f;
	int rc = s75_outfile_open(&f, path);
	if (rc)
		return rc;
	if (len && fwrite(data, 1, len, f->fp) != len && !f->failed)
		f->failed = errno ? errno : EIO;
	return s75_outfile_commit(f);
}
