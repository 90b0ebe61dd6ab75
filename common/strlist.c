#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "common/strlist.h"
#include "common/xmalloc.h"

void
strlist_add(struct strlist *l, const char *s, const char *file, int line)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->src = xreallocarray(l->src, l->n + 1, sizeof(*l->src));
	l->v[l->n] = xstrdup(s);
	l->src[l->n].file = file;
	l->src[l->n].line = line;
	l->n++;
}

void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->src);
	l->v = NULL;
	l->src = NULL;
	l->n = 0;
}

void
strlist_copy(struct strlist *dst, const struct strlist *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	for (i = 0; i < src->n; i++)
		strlist_add(dst, src->v[i], src->src[i].file, src->src[i].line);
}

long
strlist_find(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return (long)i;
	}
	return -1;
}

char *
strlist_join(const struct strlist *l, const char *sep)
{
	size_t i, len = 1, seplen = strlen(sep);
	char *out;

	for (i = 0; i < l->n; i++)
		len += strlen(l->v[i]) + seplen;
	out = xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(out, sep);
		strcat(out, l->v[i]);
	}
	return out;
}
