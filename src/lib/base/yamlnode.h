/* Helpers that read typed values out of a libfyaml document and report every problem
 * as a diagnostic with the node's position. Shared by the loaders of YAML inputs. */
#ifndef S75_YAMLNODE_H
#define S75_YAMLNODE_H

#include <libfyaml.h>
#include <stdbool.h>

#include "arena.h"
#include "s75/common.h"
#include "s75/date.h"
#include "s75/money.h"
#include "s75/diag.h"

typedef struct ynctx {
	const char *file;
	s75_diags *diags;
	s75_arena *arena;
	const char *text;  /* the source, to find the bracket or dash that opens a container */
	size_t text_len;
	/* the value yn_get() found last, and its key's position: errors about a whole
	 * container value point at its key */
	struct fy_node *last_value;
	s75_pos last_key_pos;
} ynctx;

s75_pos yn_pos(struct fy_node *n);
/** Where an error about `n` should point: see ynctx.last_value. */
s75_pos yn_node_pos(ynctx *c, struct fy_node *n);
/** True for a value written as nothing (`key:`), which counts as no value. */
bool yn_is_empty(struct fy_node *n);
void yn_error(ynctx *c, struct fy_node *n, const char *fmt, ...) S75_PRINTF(3, 4);
void yn_warning(ynctx *c, struct fy_node *n, const char *fmt, ...) S75_PRINTF(3, 4);
/** The position of `key` in `map` (the key's own token), or the map's. */
s75_pos yn_key_pos(struct fy_node *map, const char *key);

/** True if `n` is a mapping; otherwise reports "`what` must be a mapping". */
bool yn_is_map(ynctx *c, struct fy_node *n, const char *what);
bool yn_is_seq(ynctx *c, struct fy_node *n, const char *what);
/** Reports every key of `map` not in the NULL-terminated `allowed` list. */
void yn_check_keys(ynctx *c, struct fy_node *map, const char *const *allowed, const char *what);
/** The value of `key` in `map`, or NULL; reports it if `required` and missing. */
struct fy_node *yn_get(ynctx *c, struct fy_node *map, const char *key, bool required,
		       const char *what);
/** A scalar's text copied into the arena, or NULL (reported) if not a scalar. */
const char *yn_str(ynctx *c, struct fy_node *n, const char *what);
/** `yn_get` + `yn_str`. */
const char *yn_get_str(ynctx *c, struct fy_node *map, const char *key, bool required,
		       const char *what);
/** An id (`[a-z0-9][a-z0-9_.-]*`). */
const char *yn_get_id(ynctx *c, struct fy_node *map, const char *key, bool required,
		      const char *what);
bool yn_get_date(ynctx *c, struct fy_node *map, const char *key, bool required, const char *what,
		 s75_date *out);
/** A non-negative integer; -1 when absent. */
bool yn_get_int(ynctx *c, struct fy_node *map, const char *key, const char *what, int min, int max,
		int *out);
/** One of `names` (NULL-terminated); stores its index. */
bool yn_get_enum(ynctx *c, struct fy_node *map, const char *key, bool required, const char *what,
		 const char *const *names, int *out);
/** An amount in `unit`. */
bool yn_money(ynctx *c, struct fy_node *n, s75_unit unit, const char *what, int64_t *out);
/** A string or a sequence of strings. */
void yn_get_strlist(ynctx *c, struct fy_node *map, const char *key, const char *what,
		    s75_strlist *out);
/** The scalar text of a mapping key (not copied). */
const char *yn_key_text(struct fy_node *key, size_t *len);

#endif
