/* Private: matching the text of an outside file against what a profile names — codes
 * folded for comparison, globs, overlap of two globs, and near spellings. ASCII letters
 * fold; other bytes compare as they are. */
#ifndef S75_TEXTMATCH_H
#define S75_TEXTMATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Writes `s` folded into `out` (at most cap-1 bytes and a NUL): trimmed, ASCII
 * uppercase, each run of spaces or tabs one space. Returns the length, or cap if it
 * did not fit. */
size_t text_fold(char *out, size_t cap, const char *s, size_t len);
/* True if `s` matches the glob `pat` (`*` any text, `?` one byte), ASCII case folded. */
bool text_glob(const char *pat, const char *s, size_t len);
/* True if some text matches both globs. */
bool text_globs_overlap(const char *a, const char *b);
/* True if the pattern holds a `*` or `?`. */
bool text_is_glob(const char *pat);
/* Case- and space-insensitive equality (for header names). */
bool text_same_name(const char *a, size_t alen, const char *b, size_t blen);
/* The edit distance of a and b, ASCII case folded, or max+1 if more than max. */
int text_distance(const char *a, size_t alen, const char *b, size_t blen, int max);

#endif
