/* A list of words, each remembering where it was written (FILE:LINE). */
#ifndef PC_STRLIST_H
#define PC_STRLIST_H

#include <stddef.h>

struct pc_src {
	const char *file;	/* path as opened, "command-line" for -o;
				 * NULL: built-in default */
	int line;
};

struct strlist {
	char **v;
	struct pc_src *src;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s, const char *file, int line);
void strlist_free(struct strlist *l);
void strlist_copy(struct strlist *dst, const struct strlist *src);
/* Index of s in l (exact), or -1. */
long strlist_find(const struct strlist *l, const char *s);
/* Words joined with sep into a new string ("" when empty). */
char *strlist_join(const struct strlist *l, const char *sep);

#endif
