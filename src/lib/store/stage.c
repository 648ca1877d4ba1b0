/* The staging file of an import: packed records in an unlinked file of the temporary
 * folder. See stage.h. */
#include <errno.h>
#include <sqlite3.h>
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

/* --- s75_stage: the staged rows as a virtual table ------------------------------------- */

typedef struct store_ctx {
	stage *s;
	int64_t id_base;
	const s75_agreement *ag;
	int *plen, *clen;
	int rc; /* a failure to read the staging file: its error is set */
} store_ctx;

typedef struct vtab {
	sqlite3_vtab base;
	store_ctx *ctx;
} vtab;

typedef struct vcursor {
	sqlite3_vtab_cursor base;
	store_ctx *ctx;
	stage_row row;
	int eof;
} vcursor;

static int v_connect(sqlite3 *h, void *aux, int argc, const char *const *argv,
		     sqlite3_vtab **out, char **err)
{
	(void)argc, (void)argv, (void)err;
	int rc = sqlite3_declare_vtab(h, "CREATE TABLE x(id INTEGER, date INTEGER, fy INTEGER,"
					 " period INTEGER, partner TEXT, cost_centre TEXT, account TEXT,"
					 " kind INTEGER, amount INTEGER, description TEXT, reference TEXT)");
	if (rc != SQLITE_OK)
		return rc;
	vtab *v = sqlite3_malloc(sizeof(*v));
	if (!v)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->ctx = aux;
	*out = &v->base;
	return SQLITE_OK;
}

static int v_disconnect(sqlite3_vtab *v)
{
	sqlite3_free(v);
	return SQLITE_OK;
}

static int v_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
	(void)v;
	info->estimatedCost = 1e6;
	return SQLITE_OK;
}

static int v_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
	vcursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->ctx = ((vtab *)v)->ctx;
	c->eof = 1;
	*out = &c->base;
	return SQLITE_OK;
}

static int v_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int v_next(sqlite3_vtab_cursor *cur)
{
	vcursor *c = (vcursor *)cur;
	int got = stage_get(c->ctx->s, &c->row);
	c->eof = got <= 0;
	if (got < 0) {
		c->ctx->rc = got;
		return SQLITE_IOERR;
	}
	return SQLITE_OK;
}

static int v_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc,
		    sqlite3_value **argv)
{
	(void)idx, (void)idxs, (void)argc, (void)argv;
	vcursor *c = (vcursor *)cur;
	if (!c->ctx)
		return SQLITE_MISUSE;
	int rc = stage_rewind(c->ctx->s);
	if (rc) {
		c->ctx->rc = rc;
		return SQLITE_IOERR;
	}
	return v_next(cur);
}

static int v_eof(sqlite3_vtab_cursor *cur)
{
	return ((vcursor *)cur)->eof;
}

static int v_column(sqlite3_vtab_cursor *cur, sqlite3_context *sc, int i)
{
	vcursor *c = (vcursor *)cur;
	const stage_row *r = &c->row;
	const s75_agreement *ag = c->ctx->ag;
	switch (i) {
	case 0: sqlite3_result_int64(sc, c->ctx->id_base + r->line); break;
	case 1: sqlite3_result_int(sc, r->date); break;
	case 2: sqlite3_result_int(sc, r->fy); break;
	case 3: sqlite3_result_int(sc, r->period); break;
	case 4: sqlite3_result_text(sc, ag->partners[r->partner].id, c->ctx->plen[r->partner], SQLITE_STATIC); break;
	case 5:
		sqlite3_result_text(sc, ag->cost_centres[r->cost_centre].code,
				    c->ctx->clen[r->cost_centre], SQLITE_STATIC);
		break;
	case 7: sqlite3_result_int(sc, r->kind); break;
	case 8: sqlite3_result_int64(sc, r->amount); break;
	default: {
		int t = i == 6 ? STAGE_ACCOUNT : i == 9 ? STAGE_DESCRIPTION : STAGE_REFERENCE;
		/* not copied: the only statement over s75_stage is stage_store()'s INSERT ...
		 * SELECT *, which makes each row's record before it asks for the next row (15 %
		 * less time under the write lock than a copy: bench/import-lock.sh) */
		if (r->text[t])
			sqlite3_result_text(sc, r->text[t], (int)r->len[t], SQLITE_STATIC);
		else
			sqlite3_result_null(sc);
	}
	}
	return SQLITE_OK;
}

static int v_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	*out = ((vcursor *)cur)->row.line;
	return SQLITE_OK;
}

static const sqlite3_module stage_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only: s75_stage exists while the module is registered */
	.xConnect = v_connect,
	.xBestIndex = v_best_index,
	.xDisconnect = v_disconnect,
	.xDestroy = v_disconnect,
	.xOpen = v_open,
	.xClose = v_close,
	.xFilter = v_filter,
	.xNext = v_next,
	.xEof = v_eof,
	.xColumn = v_column,
	.xRowid = v_rowid,
};

int stage_store(stage *s, s75_db *db, const s75_agreement *ag, int64_t id_base, const char *insert)
{
	store_ctx ctx = {.s = s, .id_base = id_base, .ag = ag};
	sql_stmt *st = NULL;
	sqlite3 *h = db->conn; /* only the SQLite back end calls this (its bulk load) */
	int rc = 0;
	ctx.plen = xcalloc(ag->npartners + 1, sizeof(int));
	ctx.clen = xcalloc(ag->ncost_centres + 1, sizeof(int));
	for (size_t i = 0; i < ag->npartners; i++)
		ctx.plen[i] = (int)strlen(ag->partners[i].id);
	for (size_t i = 0; i < ag->ncost_centres; i++)
		ctx.clen[i] = (int)strlen(ag->cost_centres[i].code);
	if (sqlite3_create_module_v2(h, "s75_stage", &stage_module, &ctx, NULL) != SQLITE_OK) {
		rc = db_error(db, "cannot store the transactions");
		goto done;
	}
	if ((rc = db_prepare(db, &st, insert)))
		goto done;
	if (sql_step(st) != SQL_DONE)
		rc = ctx.rc ? ctx.rc : db_error(db, "cannot store the transactions");
done:
	sql_finalize(st);
	sqlite3_create_module_v2(h, "s75_stage", NULL, NULL, NULL);
	free(ctx.plen);
	free(ctx.clen);
	return rc;
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
