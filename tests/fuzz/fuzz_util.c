#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "common/log.h"
#include "tests/fuzz/fuzz_util.h"

void
fuzz_in_init(struct fuzz_in *in, const uint8_t *data, size_t size)
{
	in->p = data;
	in->n = size;
}

uint8_t
fuzz_byte(struct fuzz_in *in)
{
	uint8_t b;

	if (in->n == 0) {
		return 0;
	}
	b = in->p[0];
	in->p++;
	in->n--;
	return b;
}

/* Exactly len + 1 bytes; a NUL inside p cuts the string there (and the
 * allocation is cut to match, so ASan still guards the real end). */
static char *
fuzz_copy(const uint8_t *p, size_t len)
{
	const uint8_t *nul;
	char *s;

	if (len > 0 && (nul = memchr(p, '\0', len)) != NULL) {
		len = (size_t)(nul - p);
	}
	if ((s = malloc(len + 1)) == NULL) {
		abort();
	}
	if (len > 0) {
		memcpy(s, p, len);
	}
	s[len] = '\0';
	return s;
}

char *
fuzz_strndup(const uint8_t *p, size_t len)
{
	return fuzz_copy(p, len);
}

char *
fuzz_field(struct fuzz_in *in, char sep)
{
	const uint8_t *end;
	size_t len;
	char *s;

	end = in->n > 0 ? memchr(in->p, (unsigned char)sep, in->n) : NULL;
	len = end != NULL ? (size_t)(end - in->p) : in->n;
	s = fuzz_copy(in->p, len);
	in->p += len;
	in->n -= len;
	if (end != NULL) {
		in->p++;
		in->n--;
	}
	return s;
}

char *
fuzz_rest(struct fuzz_in *in)
{
	char *s;

	s = fuzz_copy(in->p, in->n);
	in->p += in->n;
	in->n = 0;
	return s;
}

char *
fuzz_outbuf(size_t len)
{
	char *b;

	if (len == 0 || (b = malloc(len)) == NULL) {
		abort();
	}
	memset(b, 0xa5, len);
	return b;
}

bool
fuzz_terminated(const char *buf, size_t len)
{
	return memchr(buf, '\0', len) != NULL;
}

void
fuzz_check(bool cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "fuzz_check failed: %s\n", what);
		abort();
	}
}

void
fuzz_log_setup(void)
{
	const char *e = getenv("FUZZ_LOG_STDERR");

	if (e != NULL && strcmp(e, "1") == 0) {
		log_init("fuzz", LOG_LEVEL_DEBUG3, LOG_AUTH, 1);
		return;
	}
	log_init("fuzz", LOG_LEVEL_DEBUG3, LOG_AUTH, 0);
	if (log_set_file("/dev/null") != 0) {
		/* no /dev/null: stay quiet rather than fill syslog */
		log_init("fuzz", LOG_LEVEL_QUIET, LOG_AUTH, 1);
	}
}
