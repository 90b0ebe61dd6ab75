/* Allocation wrappers that end the process on failure: a connection
 * process that cannot allocate ends cleanly instead of limping on. */
#ifndef PC_XMALLOC_H
#define PC_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Overwrite then free (passwords, key material). */
void xfree_secret(char *s);

#endif
