/* Matching outside text against a profile's names (textmatch.h). */
#include <stdlib.h>
#include <string.h>

#include "textmatch.h"
#include "xalloc.h"

static int up(int c)
{
	return c >= 'a' && c <= 'z' ? c - 32 : c;
}

size_t text_fold(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0;
	bool space = false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t') {
			space = n > 0;
			continue;
		}
		if (space) {
			if (n + 1 >= cap)
				return cap;
			out[n++] = ' ';
			space = false;
		}
		if (n + 1 >= cap)
			return cap;
		out[n++] = (char)up((unsigned char)c);
	}
	if (cap)
		out[n < cap ? n : cap - 1] = '\0';
	return n;
}

bool text_is_glob(const char *pat)
{
	return strpbrk(pat, "*?") != NULL;
}

bool text_glob(const char *pat, const char *s, size_t len)
{
	/* the usual backtracking to the last star: linear for one star, fine for a few */
	const char *star = NULL;
	size_t i = 0, mark = 0;
	while (i < len) {
		if (*pat == '*') {
			star = pat++;
			mark = i;
		} else if (*pat && (*pat == '?' || up((unsigned char)*pat) == up((unsigned char)s[i]))) {
			pat++;
			i++;
		} else if (star) {
			pat = star + 1;
			i = ++mark;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* Whether a[i..] and b[j..] share a word; memo: 0 unknown, 1 no, 2 yes. */
static bool overlap(const char *a, size_t na, size_t i, const char *b, size_t nb, size_t j,
		    unsigned char *memo)
{
	unsigned char *m = &memo[i * (nb + 1) + j];
	bool r;
	if (*m)
		return *m == 2;
	if (i == na && j == nb)
		r = true;
	else if (i < na && a[i] == '*')
		r = overlap(a, na, i + 1, b, nb, j, memo) ||
		    (j < nb && overlap(a, na, i, b, nb, j + 1, memo));
	else if (j < nb && b[j] == '*')
		r = overlap(a, na, i, b, nb, j + 1, memo) ||
		    (i < na && overlap(a, na, i + 1, b, nb, j, memo));
	else if (i == na || j == nb)
		r = false;
	else if (a[i] == '?' || b[j] == '?' || up((unsigned char)a[i]) == up((unsigned char)b[j]))
		r = overlap(a, na, i + 1, b, nb, j + 1, memo);
	else
		r = false;
	*m = r ? 2 : 1;
	return r;
}

bool text_globs_overlap(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	unsigned char *memo = xcalloc((na + 1) * (nb + 1), 1);
	bool r = overlap(a, na, 0, b, nb, 0, memo);
	free(memo);
	return r;
}

bool text_same_name(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < alen && (a[i] == ' ' || a[i] == '\t'))
			i++;
		while (j < blen && (b[j] == ' ' || b[j] == '\t'))
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (up((unsigned char)a[i]) != up((unsigned char)b[j]))
			return false;
		i++;
		j++;
	}
}

int text_distance(const char *a, size_t alen, const char *b, size_t blen, int max)
{
	if (alen > 64 || blen > 64 || (alen > blen ? alen - blen : blen - alen) > (size_t)max)
		return max + 1;
	int prev[65], cur[65];
	for (size_t j = 0; j <= blen; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= alen; i++) {
		int best = cur[0] = (int)i;
		for (size_t j = 1; j <= blen; j++) {
			int sub = prev[j - 1] + (up((unsigned char)a[i - 1]) != up((unsigned char)b[j - 1]));
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > max)
			return max + 1;
		memcpy(prev, cur, sizeof(int) * (blen + 1));
	}
	return prev[blen] > max ? max + 1 : prev[blen];
}
