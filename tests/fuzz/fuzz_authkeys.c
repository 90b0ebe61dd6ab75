#include "config.h"

/*
 * libFuzzer target: authorized_keys lines and option strings
 * (common/authkeys.c).  Input: one control byte, then the line.
 * Checks the contract of common/authkeys.h beyond "no crash": the state
 * of opts and *buf on error, where the key type and base64 point, the
 * list caps, and that err is always a terminated string of at most
 * errlen bytes (the buffer is exactly errlen bytes, so ASan sees any
 * write past it).
 *
 * fuzz-requires: common/authkeys.c
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fuzz_authkeys_is_default(const struct key_opts *o)
{
	struct key_opts d;

	authkeys_opts_init(&d);
	return memcmp(o, &d, sizeof(d)) == 0;
}

static void
fuzz_authkeys_check_opts(const struct key_opts *o)
{
	size_t i;

	fuzz_check(o->npermitopen <= AUTHKEYS_MAX_LIST, "permitopen cap");
	fuzz_check(o->npermitlisten <= AUTHKEYS_MAX_LIST, "permitlisten cap");
	fuzz_check(o->nenvironment <= AUTHKEYS_MAX_LIST, "environment cap");
	fuzz_check((o->npermitopen == 0) == (o->permitopen == NULL),
	    "permitopen count and array agree");
	fuzz_check((o->npermitlisten == 0) == (o->permitlisten == NULL),
	    "permitlisten count and array agree");
	fuzz_check((o->nenvironment == 0) == (o->environment == NULL),
	    "environment count and array agree");
	/* touch every string so ASan checks each allocation */
	for (i = 0; i < o->npermitopen; i++) {
		fuzz_check(strlen(o->permitopen[i]) > 0, "empty permitopen");
	}
	for (i = 0; i < o->npermitlisten; i++) {
		fuzz_check(strlen(o->permitlisten[i]) > 0,
		    "empty permitlisten");
	}
	for (i = 0; i < o->nenvironment; i++) {
		fuzz_check(strchr(o->environment[i], '=') != NULL,
		    "environment entry without '='");
	}
	if (o->command != NULL) {
		(void)strlen(o->command);
	}
	if (o->from != NULL) {
		(void)strlen(o->from);
	}
}

/* Copy and free: authkeys_opts_copy must give an independent deep copy. */
static void
fuzz_authkeys_copy(const struct key_opts *o)
{
	struct key_opts c;

	authkeys_opts_copy(&c, o);
	fuzz_authkeys_check_opts(&c);
	fuzz_check(c.npermitopen == o->npermitopen, "copy permitopen");
	fuzz_check(c.port_forwarding == o->port_forwarding, "copy flags");
	authkeys_opts_free(&c);
	fuzz_check(fuzz_authkeys_is_default(&c), "free leaves defaults");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	struct fuzz_in in;
	struct key_opts opts;
	const char *keytype = NULL, *keyb64 = NULL;
	char *line, *buf = NULL, *err = NULL;
	size_t errlen = 0, len;
	uint8_t ctl;
	int r;

	if (!init) {
		fuzz_log_setup();
		init = 1;
	}
	if (size > 2 * AUTHKEYS_MAX_LINE) {
		return -1;
	}
	fuzz_in_init(&in, data, size);
	ctl = fuzz_byte(&in);
	/* err buffer: none (0) or 1..127 bytes, exactly that large */
	if ((ctl & 0x7f) != 0) {
		errlen = ctl & 0x7f;
		err = fuzz_outbuf(errlen);
	}
	line = fuzz_rest(&in);
	len = strlen(line);

	r = authkeys_parse_line(line, &opts, &buf, &keytype, &keyb64, err,
	    errlen);
	if (r == 0) {
		fuzz_check(buf != NULL && keytype != NULL && keyb64 != NULL,
		    "success sets buf, keytype, keyb64");
		fuzz_check(keytype >= buf && keytype < buf + len + 1 &&
		    keyb64 >= buf && keyb64 < buf + len + 1,
		    "keytype and keyb64 point into buf");
		fuzz_check(strlen(keytype) > 0 && strlen(keyb64) > 0,
		    "non-empty key type and base64");
		fuzz_check(strpbrk(keytype, " \t") == NULL &&
		    strpbrk(keyb64, " \t") == NULL, "key words have no blanks");
		fuzz_check(strstr(keytype, "-cert-") == NULL,
		    "certificate key types refused");
		fuzz_authkeys_check_opts(&opts);
		fuzz_authkeys_copy(&opts);
		authkeys_opts_free(&opts);
		free(buf);
	} else {
		fuzz_check(r == PC_ERR_NOTFOUND || r == PC_ERR_INVAL ||
		    r == PC_ERR_TOOLONG || r == PC_ERR_LIMIT,
		    "documented error codes");
		fuzz_check(buf == NULL, "error leaves buf NULL");
		fuzz_check(fuzz_authkeys_is_default(&opts),
		    "error leaves opts in the default state");
		if (err != NULL && r != PC_ERR_NOTFOUND) {
			fuzz_check(fuzz_terminated(err, errlen),
			    "err is terminated");
		}
	}

	/* The same text as a bare option string. */
	r = authkeys_parse_options(line, &opts, err, errlen);
	if (r == 0) {
		fuzz_authkeys_check_opts(&opts);
		fuzz_authkeys_copy(&opts);
		authkeys_opts_free(&opts);
	} else {
		fuzz_check(fuzz_authkeys_is_default(&opts),
		    "options error leaves opts in the default state");
		if (err != NULL) {
			fuzz_check(fuzz_terminated(err, errlen),
			    "err is terminated");
		}
	}

	free(line);
	free(err);
	return 0;
}
