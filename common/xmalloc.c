#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/xmalloc.h"

static void __attribute__((noreturn))
xmalloc_die(void)
{
	static const char msg[] = "portcullisd: out of memory\n";
	ssize_t r;

	r = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)r;
	_exit(255);
}

void *
xmalloc(size_t n)
{
	void *p;

	if (n == 0)
		n = 1;
	if ((p = malloc(n)) == NULL)
		xmalloc_die();
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_die();
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	void *np;

	if (size != 0 && nmemb > SIZE_MAX / size)
		xmalloc_die();
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if ((np = realloc(p, nmemb * size)) == NULL)
		xmalloc_die();
	return np;
}

char *
xstrdup(const char *s)
{
	char *p;

	if ((p = strdup(s)) == NULL)
		xmalloc_die();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if ((p = strndup(s, n)) == NULL)
		xmalloc_die();
	return p;
}

char *
xvasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		xmalloc_die();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
xfree_secret(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}
