/* The pages most asked for (the pools, a pool's monitoring) keep the HTML of their document
 * until the database changes (s75_db_generation()): a repeated request copies it into the
 * layout instead of building the same report again. Keyed by the address, the role, the
 * pools the account sees and the day; shared by the server's threads.
 *
 * The consistency rule (docs/web.md, "Cache"): a request that began at generation G gets a
 * page built at G or later, never an older one. When the database changes, the first
 * request for a page builds it again; the requests for the same page that arrive
 * meanwhile wait for that one build (a single flight) rather than each building it at once
 * (a stampede) or getting the version from before the change. A waiter that waits longer
 * than WAIT_MAX, or whose builder failed, builds the page itself. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web.h"

#define SLOTS 64
#define WAIT_MAX 10 /* seconds */

/* A page's HTML, shared by the cache and the responses sending it (never copied). */
struct web_blob {
	atomic_size_t refs;
	size_t len;
	char data[];
};

static web_blob *blob_new(const char *s)
{
	size_t n = strlen(s);
	web_blob *b = web_xmalloc(sizeof(*b) + n + 1);
	atomic_init(&b->refs, 1);
	b->len = n;
	memcpy(b->data, s, n + 1);
	return b;
}

const char *web_blob_data(const web_blob *b)
{
	return b->data;
}

size_t web_blob_len(const web_blob *b)
{
	return b->len;
}

void web_blob_unref(web_blob *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

typedef struct slot {
	char *key, *title;
	web_blob *html; /* NULL: no version built yet */
	int64_t generation;       /* of title and html */
	int64_t building;         /* the generation a request is building, or -1 */
	unsigned long used;
} slot;

static slot slots[SLOTS];
static unsigned long clock_hand;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t built = PTHREAD_COND_INITIALIZER; /* a build ended, well or not */

void web_cache_key(web_req *rq, s75_buf *key)
{
	s75_buf_printf(key, "%s\n%s\n%d\n%.10s\n", rq->path, rq->raw_query ? rq->raw_query : "",
		       (int)rq->user.role, rq->now_iso);
	for (size_t a = 0; a < rq->ag->narrangements; a++)
		s75_buf_putc(key, rq->pools[a] ? '1' : '0');
}

static slot *find(const char *key)
{
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].key && !strcmp(slots[i].key, key))
			return &slots[i];
	return NULL;
}

/* The slot for `key`: its own, or the least recently used one (preferring one that no
 * request is building), emptied and given the key. */
static slot *claim(const char *key)
{
	slot *s = find(key);
	if (s)
		return s;
	int victim = -1;
	for (int i = 0; i < SLOTS; i++) {
		const slot *c = &slots[i];
		if (victim < 0 || (c->building < 0 && slots[victim].building >= 0) ||
		    ((c->building < 0) == (slots[victim].building < 0) && c->used < slots[victim].used))
			victim = i;
	}
	s = &slots[victim];
	free(s->key);
	free(s->title);
	web_blob_unref(s->html);
	memset(s, 0, sizeof(*s));
	s->key = web_xstrdup(key);
	s->building = -1;
	return s;
}

const char *web_cache_get(web_req *rq, const char *key, int64_t generation, s75_buf *title,
			  web_blob **html)
{
	const char *state = "build";
	*html = NULL;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += WAIT_MAX;
	bool timed_out = false;
	(void)rq;
	pthread_mutex_lock(&mu);
	for (;;) {
		slot *s = find(key);
		if (s && s->html && s->generation >= generation) {
			s75_buf_puts(title, s->title);
			atomic_fetch_add(&s->html->refs, 1);
			*html = s->html;
			s->used = ++clock_hand;
			if (strcmp(state, "wait"))
				state = "hit";
			break;
		}
		if (s && s->building >= generation && !timed_out) {
			/* another request is building it: wait for that build */
			state = "wait";
			if (pthread_cond_timedwait(&built, &mu, &deadline) == ETIMEDOUT)
				timed_out = true;
			continue;
		}
		/* this request builds it (web_cache_put, then web_cache_done) */
		s = claim(key);
		if (s->building < generation)
			s->building = generation;
		s->used = ++clock_hand;
		state = "build";
		break;
	}
	pthread_mutex_unlock(&mu);
	return state;
}

void web_cache_put(const char *key, int64_t generation, const char *title, const char *html)
{
	pthread_mutex_lock(&mu);
	slot *s = claim(key);
	if (!s->html || s->generation <= generation) {
		free(s->title);
		web_blob_unref(s->html);
		s->title = web_xstrdup(title);
		s->html = blob_new(html);
		s->generation = generation;
	}
	if (s->building <= generation)
		s->building = -1;
	s->used = ++clock_hand;
	pthread_cond_broadcast(&built);
	pthread_mutex_unlock(&mu);
}

void web_cache_done(const char *key, int64_t generation)
{
	pthread_mutex_lock(&mu);
	slot *s = find(key);
	if (s && s->building == generation) {
		s->building = -1; /* the build failed: a waiter builds it */
		pthread_cond_broadcast(&built);
	}
	pthread_mutex_unlock(&mu);
}

void web_cache_clear(void)
{
	pthread_mutex_lock(&mu);
	for (int i = 0; i < SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].title);
		web_blob_unref(slots[i].html);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	pthread_mutex_unlock(&mu);
}
