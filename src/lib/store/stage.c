/* The staging file of an import: packed records in an unlinked file of the temporary
 * folder. See stage.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "stage.h"
#include "s75/error.h"
#include "xalloc.h"

#define STAGE_BUF (1u << 20)
#define STAGE_NULL UINT32_MAX /* the length of a text that is NULL */

/* On disk: line, date, fy, period, partner, cost centre, kind (7 x 4 bytes), amount (8),
 * the 3 texts' lengths (3 x 4), then the texts' bytes. */
#define STAGE_HEAD (7 * 4 + 8 + STAGE_NTEXT * 4)

struct stage {
	int fd;
	char *buf;
	size_t alloc;
	size_t len; /* writing: bytes buffered; reading: bytes in buf */
	size_t at;  /* reading: the next record */
	size_t rows;
};

static int stage_error(int err, const char *what)
{
	const char *cause = err == ENOSPC || err == EDQUOT ? "the disk is full"
			    : err == EIO		   ? "the disk reported an input/output error"
							   : strerror(err);
	return s75_error_set(S75_EIO, "%s: %s (the temporary folder '%s'; set TMPDIR to use another)",
			     what, cause, db_temp_folder());
}

int stage_new(stage **out)
{
	const char *dir = db_temp_folder();
	size_t n = strlen(dir) + 32;
	char *path = xmalloc(n);
	snprintf(path, n, "%s/s75-stage-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0) {
		int err = errno;
		free(path);
		return stage_error(err, "cannot keep the rows read");
	}
	unlink(path); /* gone when closed, however the process ends */
	free(path);
	stage *s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->alloc = STAGE_BUF;
	s->buf = xmalloc(s->alloc);
	*out = s;
	return 0;
}

static int flush(stage *s)
{
	size_t done = 0;
	while (done < s->len) {
		ssize_t w = write(s->fd, s->buf + done, s->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return stage_error(w < 0 ? errno : ENOSPC, "cannot keep the rows read");
		done += (size_t)w;
	}
	s->len = 0;
	return 0;
}

int stage_put(stage *s, const stage_row *r)
{
	size_t need = STAGE_HEAD;
	uint32_t len[STAGE_NTEXT];
	for (int t = 0; t < STAGE_NTEXT; t++) {
		len[t] = r->text[t] ? r->len[t] : STAGE_NULL;
		need += r->text[t] ? r->len[t] : 0;
	}
	if (s->len + need > s->alloc) {
		int rc = flush(s);
		if (rc)
			return rc;
		if (need > s->alloc) {
			s->alloc = need;
			s->buf = xrealloc(s->buf, s->alloc);
		}
	}
	char *p = s->buf + s->len;
	int32_t head[7] = {(int32_t)r->line, r->date, r->fy, r->period, r->partner, r->cost_centre, r->kind};
	memcpy(p, head, sizeof(head));
	memcpy(p + 28, &r->amount, 8);
	memcpy(p + 36, len, sizeof(len));
	p += STAGE_HEAD;
	for (int t = 0; t < STAGE_NTEXT; t++)
		if (r->text[t]) {
			memcpy(p, r->text[t], r->len[t]);
			p += r->len[t];
		}
	s->len += need;
	s->rows++;
	return 0;
}

int stage_rewind(stage *s)
{
	int rc = flush(s);
	if (rc)
		return rc;
	if (lseek(s->fd, 0, SEEK_SET) < 0)
		return stage_error(errno, "cannot read back the rows read");
	s->len = s->at = 0;
	return 0;
}

/* At least `need` bytes from s->at in the buffer: 1, 0 at the end of the file, or S75_EIO. */
static int fill(stage *s, size_t need)
{
	if (s->len - s->at >= need)
		return 1;
	memmove(s->buf, s->buf + s->at, s->len - s->at);
	s->len -= s->at;
	s->at = 0;
	if (need > s->alloc) {
		s->alloc = need;
		s->buf = xrealloc(s->buf, s->alloc);
	}
	while (s->len < need) {
		ssize_t n = read(s->fd, s->buf + s->len, s->alloc - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return stage_error(errno, "cannot read back the rows read");
		if (n == 0)
			return s->len ? stage_error(EIO, "cannot read back the rows read") : 0;
		s->len += (size_t)n;
	}
	return 1;
}

int stage_get(stage *s, stage_row *r)
{
	int rc = fill(s, STAGE_HEAD);
	if (rc <= 0)
		return rc;
	int32_t head[7];
	uint32_t len[STAGE_NTEXT];
	memcpy(head, s->buf + s->at, sizeof(head));
	memcpy(&r->amount, s->buf + s->at + 28, 8);
	memcpy(len, s->buf + s->at + 36, sizeof(len));
	size_t need = STAGE_HEAD;
	for (int t = 0; t < STAGE_NTEXT; t++)
		need += len[t] == STAGE_NULL ? 0 : len[t];
	if ((rc = fill(s, need)) <= 0)
		return rc ? rc : stage_error(EIO, "cannot read back the rows read");
	r->line = (uint32_t)head[0];
	r->date = head[1];
	r->fy = head[2];
	r->period = head[3];
	r->partner = head[4];
	r->cost_centre = head[5];
	r->kind = head[6];
	const char *p = s->buf + s->at + STAGE_HEAD;
	for (int t = 0; t < STAGE_NTEXT; t++) {
		r->text[t] = len[t] == STAGE_NULL ? NULL : p;
		r->len[t] = len[t] == STAGE_NULL ? 0 : len[t];
		p += r->len[t];
	}
	s->at += need;
	return 1;
}

size_t stage_rows(const stage *s)
{
	return s->rows;
}

void stage_free(stage *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->buf);
	free(s);
}
