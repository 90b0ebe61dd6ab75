/* Helpers shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): cut the
 * fuzz input into NUL-terminated fields, and keep logging cheap but live
 * (every log call still formats its arguments). */
#ifndef PC_FUZZ_UTIL_H
#define PC_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A cursor over the fuzz input. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

void fuzz_in_init(struct fuzz_in *in, const uint8_t *data, size_t size);
/* Next byte (0 when the input is used up). */
uint8_t fuzz_byte(struct fuzz_in *in);
/* Next field: the bytes up to the next sep (or the end), as a malloc'ed
 * NUL-terminated string of exactly that length + 1, so that ASan sees any
 * read past its end.  Never NULL; "" once the input is used up. */
char *fuzz_field(struct fuzz_in *in, char sep);
/* A malloc'ed copy of p[0..len) as a string, cut at the first NUL. */
char *fuzz_strndup(const uint8_t *p, size_t len);
/* The rest of the input as one malloc'ed string (embedded NULs cut it). */
char *fuzz_rest(struct fuzz_in *in);
/* A malloc'ed buffer of exactly len bytes (len >= 1) for an output
 * parameter, filled with a marker byte. */
char *fuzz_outbuf(size_t len);
/* True if buf (len bytes) holds a NUL: what every err/out buffer must. */
bool fuzz_terminated(const char *buf, size_t len);
/* Abort (a crash libFuzzer records) with a message when cond is false:
 * for properties the contracts in the headers promise. */
void fuzz_check(bool cond, const char *what);

/* Call once: logging at DEBUG3 into /dev/null, or to stderr when the
 * environment has FUZZ_LOG_STDERR=1 (to read a reproducer's messages). */
void fuzz_log_setup(void);

#endif
