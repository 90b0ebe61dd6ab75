/* Helpers shared by the sshd_config unit tests. */
#ifndef TEST_CONFIG_UTIL_H
#define TEST_CONFIG_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "sshd/config.h"

/* Everything config_load*() logged during the last tu_load*() call. */
extern char tu_log[65536];

/* Load text (name "test.conf", Include relative to incdir or off) with
 * the -o options in opts (NULL-terminated, may be NULL).  Returns
 * config_load_buffer()'s result; the log is in tu_log. */
int tu_load(const char *text, const char *const *opts, const char *incdir,
    struct config **out);
/* config_load() of a file, log in tu_log. */
int tu_load_file(const char *path, const char *const *opts,
    struct config **out);
/* The -T output of s (malloc'ed). */
char *tu_dump(const struct servconf *s);
/* Whether the -T output of s has this exact line. */
bool tu_dump_has(const struct servconf *s, const char *line);
#define assert_dump(s, line) do { \
	if (!tu_dump_has((s), (line))) \
		fail_msg("-T has no line \"%s\"", (line)); \
} while (0)
/* A fresh temporary directory (malloc'ed path) and files in it. */
char *tu_tmpdir(void);
void tu_write(const char *dir, const char *name, const char *text);
void tu_rmtree(const char *dir);
/* Read a file of tests/unit/data/config (malloc'ed, NUL-terminated). */
char *tu_read_data(const char *name);

#endif
