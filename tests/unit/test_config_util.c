/* Helpers shared by the sshd_config unit tests: load from text with the
 * log captured, -T output as text, temporary directories. */
#include "config.h"

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "common/log.h"
#include "common/strlist.h"
#include "common/xmalloc.h"
#include "tests/unit/test_config_util.h"

char tu_log[65536];

/* Run the load with stderr going to a temporary file, then keep what was
 * written in tu_log. */
static int
tu_capture(const char *text, const char *path, const char *const *opts,
    const char *incdir, struct config **out)
{
	struct strlist o = { NULL, NULL, 0 };
	char tmpl[] = "/tmp/tu_log.XXXXXX";
	ssize_t n;
	int fd, saved, r;
	size_t i;

	for (i = 0; opts != NULL && opts[i] != NULL; i++)
		strlist_add(&o, opts[i], "command-line", 0);
	log_init("test", LOG_LEVEL_INFO, LOG_AUTH, 1);
	if ((fd = mkstemp(tmpl)) < 0)
		abort();
	unlink(tmpl);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	if (path != NULL)
		r = config_load(path, &o, out);
	else
		r = config_load_buffer("test.conf", text, strlen(text), incdir,
		    &o, out);
	dup2(saved, STDERR_FILENO);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, tu_log, sizeof(tu_log) - 1);
	tu_log[n > 0 ? n : 0] = '\0';
	close(fd);
	strlist_free(&o);
	return r;
}

int
tu_load(const char *text, const char *const *opts, const char *incdir,
    struct config **out)
{
	return tu_capture(text, NULL, opts, incdir, out);
}

int
tu_load_file(const char *path, const char *const *opts, struct config **out)
{
	return tu_capture(NULL, path, opts, NULL, out);
}

char *
tu_dump(const struct servconf *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	config_dump(f, s);
	fclose(f);
	return buf;
}

bool
tu_dump_has(const struct servconf *s, const char *line)
{
	char *d = tu_dump(s), *p;
	size_t n = strlen(line);
	bool found = false;

	for (p = d; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, line, n) == 0 &&
		    (p[n] == '\n' || p[n] == '\0')) {
			found = true;
			break;
		}
	}
	free(d);
	return found;
}

char *
tu_tmpdir(void)
{
	char tmpl[] = "/tmp/tu_cfg.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		abort();
	return xstrdup(tmpl);
}

void
tu_write(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name), *slash;
	FILE *f;

	slash = strrchr(path, '/');
	*slash = '\0';
	(void)mkdir(path, 0700);
	*slash = '/';
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs(text, f);
	fclose(f);
	free(path);
}

static int
tu_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

void
tu_rmtree(const char *dir)
{
	(void)nftw(dir, tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
tu_read_data(const char *name)
{
	char *path = xasprintf("%s/config/%s", TEST_DATA_DIR, name);
	char *buf = xmalloc(1 << 20);
	size_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	free(path);
	return buf;
}
