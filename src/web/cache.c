/* The pages most asked for (the pools, a pool's monitoring) keep the HTML of their document
 * until the database changes (s75_db_generation()): a repeated request copies it into the
 * layout instead of building the same report again. Keyed by the address, the role, the
 * pools the account sees and the day; shared by the server's threads.
 *
 * When the database changes, the first request for a page builds it again; requests for
 * the same page meanwhile get the version before the change rather than all building it
 * at once (for at most REBUILD_WAIT seconds, in case that build fails). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "web.h"

#define SLOTS 64
#define REBUILD_WAIT 5

typedef struct slot {
	char *key, *title, *html;
	int64_t generation;
	int64_t building;       /* the generation a request is building, or -1 */
	int64_t building_since; /* when it began, seconds */
	unsigned long used;
} slot;

static slot slots[SLOTS];
static unsigned long clock_hand;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

void web_cache_key(web_req *rq, s75_buf *key)
{
	s75_buf_printf(key, "%s\n%s\n%d\n%.10s\n", rq->path, rq->raw_query ? rq->raw_query : "",
		       (int)rq->user.role, rq->now_iso);
	for (size_t a = 0; a < rq->ag->narrangements; a++)
		s75_buf_putc(key, rq->pools[a] ? '1' : '0');
}

bool web_cache_get(web_req *rq, const char *key, int64_t generation, s75_buf *title,
		   s75_buf *html)
{
	bool hit = false;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < SLOTS; i++) {
		slot *s = &slots[i];
		if (!s->key || strcmp(s->key, key))
			continue;
		if (s->generation == generation ||
		    (s->generation < generation && s->building == generation &&
		     rq->now - s->building_since < REBUILD_WAIT)) {
			s75_buf_puts(title, s->title);
			s75_buf_puts(html, s->html);
			s->used = ++clock_hand;
			hit = true;
		} else if (s->generation < generation) {
			/* this request builds it; the others meanwhile get this version */
			s->building = generation;
			s->building_since = rq->now;
		}
		break;
	}
	pthread_mutex_unlock(&mu);
	return hit;
}

void web_cache_put(const char *key, int64_t generation, const char *title, const char *html)
{
	pthread_mutex_lock(&mu);
	int victim = 0;
	for (int i = 0; i < SLOTS; i++) {
		if (slots[i].key && !strcmp(slots[i].key, key)) {
			victim = i;
			break;
		}
		if (slots[i].used < slots[victim].used)
			victim = i;
	}
	slot *s = &slots[victim];
	if (s->key && !strcmp(s->key, key) && s->generation > generation) {
		pthread_mutex_unlock(&mu); /* a newer version is there already */
		return;
	}
	free(s->key);
	free(s->title);
	free(s->html);
	s->key = web_xstrdup(key);
	s->title = web_xstrdup(title);
	s->html = web_xstrdup(html);
	s->generation = generation;
	s->building = -1;
	s->used = ++clock_hand;
	pthread_mutex_unlock(&mu);
}

void web_cache_clear(void)
{
	pthread_mutex_lock(&mu);
	for (int i = 0; i < SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].title);
		free(slots[i].html);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	pthread_mutex_unlock(&mu);
}
