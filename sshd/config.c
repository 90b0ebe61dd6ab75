/*
 * sshd_config loading: lines -> directives (each with FILE:LINE and the
 * Match condition it sits under), then the global settings (first value
 * wins, -o before the file, LIST accumulates, defaults last), and per
 * connection the Match overlay (OpenSSH 9.2 servconf.c semantics).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/config_int.h"

#define CFG_CMDLINE "command-line"

struct cfg_parser {
	struct config *c;
	const char *incdir;	/* base of relative Include; NULL: none */
	int errors;
	size_t nread;		/* files read (CONFIG_MAX_FILES) */
	bool too_many;		/* CONFIG_MAX_DIRECTIVES reported */
};

static void
cfg_error(struct cfg_parser *p, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
cfg_error(struct cfg_parser *p, const char *file, int line,
    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s:%d: %s", file, line, msg);
	p->errors++;
}

static const char *
cfg_intern(struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++) {
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	}
	c->files = xreallocarray(c->files, c->nfiles + 1, sizeof(*c->files));
	c->files[c->nfiles] = xstrdup(name);
	return c->files[c->nfiles++];
}

/* ---- tokenizing ---- */

static bool
cfg_isspace(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' ||
	    ch == '\n';
}

/*
 * "Keyword value", "Keyword=value", "Keyword = value".  Returns false for
 * a blank or comment line.  *rest: the value text, trailing whitespace
 * removed ("" if none).
 */
static bool
cfg_split_keyword(char *line, char **kw, char **rest)
{
	char *p = line, *end;

	end = line + strlen(line);
	while (end > line && cfg_isspace(end[-1]))
		*--end = '\0';
	while (cfg_isspace(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return false;
	*kw = p;
	while (*p != '\0' && !cfg_isspace(*p) && *p != '=')
		p++;
	if (*p == '=') {
		*p++ = '\0';
	} else if (*p != '\0') {
		*p++ = '\0';
		while (cfg_isspace(*p))
			p++;
		if (*p == '=')
			p++;
	}
	while (cfg_isspace(*p))
		p++;
	*rest = p;
	return true;
}

void
cfg_argv_free(char **av, int ac)
{
	int i;

	for (i = 0; i < ac; i++)
		free(av[i]);
	free(av);
}

/*
 * OpenSSH argv_split(): words separated by blanks; "..." and '...' quote
 * (also inside a word); \" \' \\ and (unquoted) "\ " escape; a '#' that
 * starts a word ends the line.  An unterminated quote is an error.
 */
int
cfg_argv_split(const char *s, char ***avp, int *acp)
{
	char **av = NULL, *arg;
	int ac = 0;
	size_t i = 0, j;
	char quote;

	*avp = NULL;
	*acp = 0;
	for (;;) {
		while (s[i] == ' ' || s[i] == '\t')
			i++;
		if (s[i] == '\0' || s[i] == '#')
			break;
		av = xreallocarray(av, (size_t)ac + 1, sizeof(*av));
		arg = av[ac++] = xmalloc(strlen(s + i) + 1);
		quote = 0;
		for (j = 0; s[i] != '\0'; i++) {
			if (s[i] == '\\' && (s[i + 1] == '\'' ||
			    s[i + 1] == '"' || s[i + 1] == '\\' ||
			    (quote == 0 && s[i + 1] == ' '))) {
				arg[j++] = s[++i];
			} else if (quote == 0 && (s[i] == ' ' ||
			    s[i] == '\t')) {
				break;
			} else if (quote == 0 && (s[i] == '"' ||
			    s[i] == '\'')) {
				quote = s[i];
			} else if (quote != 0 && s[i] == quote) {
				quote = 0;
			} else {
				arg[j++] = s[i];
			}
		}
		arg[j] = '\0';
		if (quote != 0) {
			cfg_argv_free(av, ac);
			return PC_ERR_INVAL;
		}
	}
	*avp = av;
	*acp = ac;
	return 0;
}
/* ---- one line ---- */

/* 1 if the value is one the table marks as unimplemented. */
static bool
cfg_unsupported(const struct cfg_kwdef *kw, char *const *av, int ac,
    const char *rest, bool *strict)
{
	const char *list, *p, *end;
	size_t n;
	int i;

	*strict = false;
	if (kw->quiet == NULL)
		return false;
	list = kw->quiet;
	if (*list == '!') {
		*strict = true;
		list++;
	}
	for (i = 0; i < ((kw->chk->flags & CFG_CHK_LINE) ? 1 : ac); i++) {
		const char *w = (kw->chk->flags & CFG_CHK_LINE) ? rest : av[i];

		for (p = list; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
			end = p + strcspn(p, " ");
			n = (size_t)(end - p);
			if (n == strlen(w) && strncasecmp(p, w, n) == 0)
				break;
		}
		if (*p == '\0')
			return true;
	}
	return false;
}

static void
cfg_add_dir(struct cfg_parser *p, int k, struct cfg_value *v,
    struct pc_src src, int cur, enum cfg_scope scope)
{
	struct config *c = p->c;
	struct cfg_dir *d;

	if (c->ndirs >= CONFIG_MAX_DIRECTIVES) {
		if (!p->too_many)
			cfg_error(p, src.file, src.line, "too many directives "
			    "(more than %d)", CONFIG_MAX_DIRECTIVES);
		p->too_many = true;
		cfg_value_free(v);
		return;
	}
	c->dirs = xreallocarray(c->dirs, c->ndirs + 1, sizeof(*c->dirs));
	d = &c->dirs[c->ndirs++];
	d->kw = k;
	d->val = *v;
	d->src = src;
	d->cond = cur;
	d->global_too = false;
	if (cur >= 0 && c->conds[cur].uncond) {
		/* Lines after "Match All" act as global lines at start-up
		 * and as a matching block later, as in OpenSSH. */
		if (scope == CFG_SCOPE_G)
			d->cond = -1;
		else
			d->global_too = true;
	}
}

static void cfg_include(struct cfg_parser *p, char *const *av, int ac,
    const char *file, int line, int cur, int depth);

static void
cfg_match_line(struct cfg_parser *p, char *const *av, int ac,
    struct pc_src src, int *cur, int encl)
{
	struct config *c = p->c;
	struct cfg_cond *cond;
	char err[512];

	c->conds = xreallocarray(c->conds, c->nconds + 1, sizeof(*c->conds));
	cond = &c->conds[c->nconds];
	memset(cond, 0, sizeof(*cond));
	cond->parent = encl;
	cond->src = src;
	if (cfg_match_parse(av, ac, cond, err, sizeof(err)) != 0) {
		cfg_error(p, src.file, src.line, "Bad Match condition: %s",
		    err);
		cond->bad = true;
	}
	cond->uncond = !cond->bad && cond->ncrit == 1 &&
	    cond->crit[0].kind == CFG_CRIT_ALL &&
	    (encl < 0 || c->conds[encl].uncond);
	*cur = (int)c->nconds++;
}

/*
 * One line of a file (cur: the Match block it is in, encl: the block the
 * file was included from) or one -o option (cmdline).
 */
static void
cfg_line(struct cfg_parser *p, char *line, const char *file, int lineno,
    int *cur, int encl, int depth, bool cmdline)
{
	const struct cfg_kwdef *kw;
	struct pc_src src = { file, lineno };
	struct cfg_value v;
	enum cfg_scope scope;
	enum cfg_old_how old = CFG_OLD_IGNORED;
	char **av = NULL, *word, *rest, err[512];
	bool strict;
	int ac = 0, k;

	if (!cfg_split_keyword(line, &word, &rest))
		return;
	if (*rest == '\0') {
		cfg_error(p, file, lineno, "no argument after keyword \"%s\"",
		    word);
		return;
	}
	if (cfg_argv_split(rest, &av, &ac) != 0) {
		cfg_error(p, file, lineno, "unterminated quote");
		return;
	}
	if (strcasecmp(word, "Match") == 0 || strcasecmp(word, "Include") ==
	    0) {
		if (cmdline)
			cfg_error(p, file, lineno, "%s directive not supported "
			    "as a command-line option", word);
		else if (strcasecmp(word, "Match") == 0)
			cfg_match_line(p, av, ac, src, cur, encl);
		else
			cfg_include(p, av, ac, file, lineno, *cur, depth);
		goto out;
	}
	if (cfg_kw_lookup(word, &k, &scope, &old) != 0) {
		cfg_error(p, file, lineno, "Bad configuration option: %s",
		    word);
		goto out;
	}
	if (*cur >= 0 && scope == CFG_SCOPE_G && !p->c->conds[*cur].uncond) {
		cfg_error(p, file, lineno, "Directive '%s' is not allowed "
		    "within a Match block", word);
		goto out;
	}
	if (k < 0) {
		if (old == CFG_OLD_IGNORED)
			log_debug2("%s:%d: Ignored option %s", file, lineno,
			    word);
		else
			log_info("%s:%d: %s option %s", file, lineno,
			    old == CFG_OLD_DEPRECATED ? "Deprecated" :
			    "Unsupported", word);
		goto out;
	}
	kw = &cfg_kwdefs[k];
	if (cfg_value_parse(kw, av, ac, rest, &v, err, sizeof(err)) != 0) {
		cfg_error(p, file, lineno, "%s", err);
		goto out;
	}
	if (cfg_unsupported(kw, av, ac, rest, &strict)) {
		if (strict)
			cfg_error(p, file, lineno, "%s %s is not supported",
			    kw->name, rest);
		else
			log_info("%s:%d: %s %s is not supported; ignored",
			    file, lineno, kw->name, rest);
		cfg_value_free(&v);
		goto out;
	}
	cfg_add_dir(p, k, &v, src, *cur, scope);
out:
	cfg_argv_free(av, ac);
}

/* ---- files ---- */

static void
cfg_parse_buffer(struct cfg_parser *p, const char *name, const char *buf,
    size_t len, int encl, int depth)
{
	const char *s = buf, *nl, *end = buf + len;
	char *line;
	size_t n;
	int lineno = 0, cur = encl;

	while (s < end) {
		lineno++;
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		if (n > CONFIG_MAX_LINE) {
			cfg_error(p, name, lineno, "line too long (more than "
			    "%d bytes)", CONFIG_MAX_LINE);
		} else if (memchr(s, '\0', n) != NULL) {
			cfg_error(p, name, lineno, "NUL byte in line");
		} else {
			line = xstrndup(s, n);
			cfg_line(p, line, name, lineno, &cur, encl, depth,
			    false);
			free(line);
		}
		if (nl == NULL)
			break;
		s = nl + 1;
	}
}

/* Read a whole regular file, at most CONFIG_MAX_FILE bytes. */
static int
cfg_read_file(const char *path, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, size;
	ssize_t r;
	int fd, err;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return PC_ERR_SYSTEM;
	if (fstat(fd, &st) != 0) {
		err = errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err = EISDIR;
		goto fail;
	}
	/* the size is a hint (files can change, pipes have none) */
	size = st.st_size > 0 && st.st_size <= CONFIG_MAX_FILE ?
	    (size_t)st.st_size + 1 : 4096;
	buf = xmalloc(size);
	for (;;) {
		if (len == size) {
			if (size > CONFIG_MAX_FILE) {
				err = EFBIG;
				goto fail;
			}
			size = size * 2 > CONFIG_MAX_FILE + 1 ?
			    CONFIG_MAX_FILE + 1 : size * 2;
			buf = xreallocarray(buf, size, 1);
		}
		r = read(fd, buf + len, size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = errno;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > CONFIG_MAX_FILE) {
		err = EFBIG;
		goto fail;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	close(fd);
	errno = err;
	return PC_ERR_SYSTEM;
}

static void
cfg_parse_file(struct cfg_parser *p, const char *path, const char *from,
    int fromline, int encl, int depth)
{
	char *buf = NULL;
	size_t len = 0;

	if (p->nread >= CONFIG_MAX_FILES) {
		cfg_error(p, from, fromline, "too many configuration files "
		    "(more than %d)", CONFIG_MAX_FILES);
		return;
	}
	p->nread++;
	if (cfg_read_file(path, &buf, &len) != 0) {
		if (from != NULL)
			cfg_error(p, from, fromline, "%s: %s", path,
			    strerror(errno));
		else {
			log_error("%s: %s", path, strerror(errno));
			p->errors++;
		}
		return;
	}
	cfg_parse_buffer(p, cfg_intern(p->c, path), buf, len, encl, depth);
	free(buf);
}

/*
 * Include FILE...: relative paths from the configuration directory, globs
 * sorted (glob(3)); a glob without matches is fine, a missing file named
 * without wildcards is an error.  Lines of an included file belong to the
 * Match block the Include sits in; a Match in the included file ends at
 * its end (OpenSSH).
 */
static void
cfg_include(struct cfg_parser *p, char *const *av, int ac, const char *file,
    int line, int cur, int depth)
{
	glob_t g;
	char *path;
	size_t j;
	int i, r;

	if (p->incdir == NULL) {
		cfg_error(p, file, line, "Include is not supported here");
		return;
	}
	if (ac == 0) {
		cfg_error(p, file, line, "Include missing filename argument");
		return;
	}
	if (depth + 1 > CONFIG_MAX_DEPTH) {
		cfg_error(p, file, line, "Too many recursive configuration "
		    "includes");
		return;
	}
	for (i = 0; i < ac; i++) {
		if (av[i][0] == '\0') {
			cfg_error(p, file, line, "Include: empty argument");
			continue;
		}
		path = av[i][0] == '/' ? xstrdup(av[i]) :
		    xasprintf("%s/%s", p->incdir, av[i]);
		memset(&g, 0, sizeof(g));
		r = glob(path, 0, NULL, &g);
		if (r == GLOB_NOMATCH && strpbrk(av[i], "*?[") == NULL) {
			cfg_error(p, file, line, "Include %s: No such file or "
			    "directory", path);
		} else if (r == GLOB_NOMATCH) {
			log_debug2("%s:%d: no match for %s", file, line, path);
		} else if (r != 0) {
			cfg_error(p, file, line, "Include \"%s\": glob failed",
			    path);
		} else {
			for (j = 0; j < g.gl_pathc; j++) {
				log_debug2("%s:%d: including %s", file, line,
				    g.gl_pathv[j]);
				cfg_parse_file(p, g.gl_pathv[j], file, line,
				    cur, depth + 1);
			}
		}
		globfree(&g);
		free(path);
	}
}
static int
cfg_load(const char *name, const char *buf, size_t len, const char *path,
    const char *incdir, const struct strlist *cmdline, struct config **out)
{
	struct cfg_parser p;
	struct config *c;
	char *line;
	size_t i;
	int cur;

	*out = NULL;
	c = xcalloc(1, sizeof(*c));
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.incdir = incdir;
	/* -o first: first value wins, so they beat the file */
	for (i = 0; cmdline != NULL && i < cmdline->n; i++) {
		cur = -1;
		line = xstrdup(cmdline->v[i]);
		cfg_line(&p, line, CFG_CMDLINE, (int)i + 1, &cur, -1, 0, true);
		free(line);
	}
	if (path != NULL)
		cfg_parse_file(&p, path, NULL, 0, -1, 0);
	else
		cfg_parse_buffer(&p, cfg_intern(c, name), buf, len, -1, 0);
	p.errors += cfg_build_global(c, name);
	if (p.errors > 0) {
		log_error("%s: terminating, %d bad configuration option%s",
		    name, p.errors, p.errors == 1 ? "" : "s");
		config_free(c);
		return PC_ERR_CONFIG;
	}
	*out = c;
	return 0;
}

int
config_load(const char *path, const struct strlist *cmdline,
    struct config **out)
{
	char *dir, *slash;
	int r;

	if (path == NULL || out == NULL)
		return PC_ERR_INVAL;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		dir = xstrdup(".");
	} else if (slash == dir) {
		slash[1] = '\0';
	} else {
		*slash = '\0';
	}
	r = cfg_load(path, NULL, 0, path, dir, cmdline, out);
	free(dir);
	return r;
}

int
config_load_buffer(const char *name, const char *buf, size_t len,
    const char *include_dir, const struct strlist *cmdline,
    struct config **out)
{
	if (name == NULL || (buf == NULL && len > 0) || out == NULL)
		return PC_ERR_INVAL;
	if (len > CONFIG_MAX_FILE) {
		log_error("%s: file too large", name);
		*out = NULL;
		return PC_ERR_CONFIG;
	}
	return cfg_load(name, buf != NULL ? buf : "", len, NULL, include_dir,
	    cmdline, out);
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	servconf_free(&c->global);
	for (i = 0; i < c->ndirs; i++)
		cfg_value_free(&c->dirs[i].val);
	free(c->dirs);
	for (i = 0; i < c->nconds; i++)
		cfg_cond_free(&c->conds[i]);
	free(c->conds);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c);
}

const struct servconf *
config_global(const struct config *c)
{
	return &c->global;
}
