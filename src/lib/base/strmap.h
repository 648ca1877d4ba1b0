/* Small open-addressing hash maps: strings to ints (cost-centre codes to indices) and
 * 64-bit keys to slots (the ledger's in-memory aggregation). Keys are not copied. */
#ifndef S75_STRMAP_H
#define S75_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct s75_strmap s75_strmap;

s75_strmap *s75_strmap_new(void);
void s75_strmap_free(s75_strmap *m);
/** Maps `key` (len bytes; the memory must outlive the map) to `value`; replaces. */
void s75_strmap_put(s75_strmap *m, const char *key, size_t len, int value);
/** The value of `key`, or -1. */
int s75_strmap_get(const s75_strmap *m, const char *key, size_t len);

typedef struct s75_u64map s75_u64map;

s75_u64map *s75_u64map_new(void);
void s75_u64map_free(s75_u64map *m);
/** The slot index of `key`, created (as a new slot `*created` = 1) if absent. */
size_t s75_u64map_slot(s75_u64map *m, uint64_t key, int *created);
size_t s75_u64map_count(const s75_u64map *m);

#endif
