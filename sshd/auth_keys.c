#include "config.h"

/*
 * AuthorizedKeysFile: token expansion, opening the files with the user's
 * rights, StrictModes, bounded reading, and finding the line of a key
 * (OpenSSH 9.2 auth2-pubkeyfile.c behaviour; our own code).
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/log.h"
#include "common/match.h"
#include "common/xmalloc.h"
#include "sshd/auth_int.h"

#define AUTH_KEYS_MAX_FILE (16 * 1024 * 1024)	/* bytes read per file */
#define AUTH_KEYS_MAX_GROUPS 1024
#define AUTH_KEYS_CHUNK 65536

/* ---- small helpers ------------------------------------------------- */

static int
auth_keys_b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z') {
		return ch - 'A';
	}
	if (ch >= 'a' && ch <= 'z') {
		return ch - 'a' + 26;
	}
	if (ch >= '0' && ch <= '9') {
		return ch - '0' + 52;
	}
	if (ch == '+') {
		return 62;
	}
	if (ch == '/') {
		return 63;
	}
	return -1;
}

/* Decode base64 into out (at most outlen bytes); -1 on junk or overflow. */
static long
auth_keys_b64decode(const char *s, unsigned char *out, size_t outlen)
{
	unsigned int acc = 0;
	int bits = 0, v;
	size_t n = 0;

	for (; *s != '\0' && *s != '='; s++) {
		if ((v = auth_keys_b64val((unsigned char)*s)) < 0) {
			return -1;
		}
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n >= outlen) {
				return -1;
			}
			out[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (long)n;
}

/* SSH "string" at *pos in a blob; false if it does not fit. */
static bool
auth_keys_blob_string(const unsigned char *b, size_t len, size_t *pos,
    const unsigned char **s, size_t *slen)
{
	size_t l;

	if (len - *pos < 4) {
		return false;
	}
	l = ((size_t)b[*pos] << 24) | ((size_t)b[*pos + 1] << 16) |
	    ((size_t)b[*pos + 2] << 8) | b[*pos + 3];
	*pos += 4;
	if (l > len - *pos) {
		return false;
	}
	*s = b + *pos;
	*slen = l;
	*pos += l;
	return true;
}

/* The key type written inside the blob must be the one on the line:
 * libssh parses the blob as the type it is told, whatever it says. */
static bool
auth_keys_blob_type_is(const char *b64, const char *type)
{
	unsigned char blob[AUTHKEYS_MAX_LINE];
	const unsigned char *s;
	size_t pos = 0, sl;
	long n;

	if ((n = auth_keys_b64decode(b64, blob, sizeof(blob))) < 0) {
		return false;
	}
	if (!auth_keys_blob_string(blob, (size_t)n, &pos, &s, &sl)) {
		return false;
	}
	return sl == strlen(type) && memcmp(s, type, sl) == 0;
}

int
auth_keys_rsa_bits(ssh_key key)
{
	unsigned char blob[AUTHKEYS_MAX_LINE];
	const unsigned char *s, *e, *m;
	size_t pos = 0, sl, el, ml;
	char *b64 = NULL;
	long n;
	int bits = 0;

	if (ssh_key_type(key) != SSH_KEYTYPE_RSA ||
	    ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK) {
		return 0;
	}
	n = auth_keys_b64decode(b64, blob, sizeof(blob));
	ssh_string_free_char(b64);
	if (n < 0 || !auth_keys_blob_string(blob, (size_t)n, &pos, &s, &sl) ||
	    !auth_keys_blob_string(blob, (size_t)n, &pos, &e, &el) ||
	    !auth_keys_blob_string(blob, (size_t)n, &pos, &m, &ml)) {
		return 0;
	}
	while (ml > 0 && *m == 0) {
		m++;
		ml--;
	}
	if (ml == 0) {
		return 0;
	}
	bits = (int)(ml - 1) * 8;
	for (n = m[0]; n != 0; n >>= 1) {
		bits++;
	}
	return bits;
}

/* OpenSSH's sshkey_type(): the label in "Accepted publickey" lines. */
static const char *
auth_keys_type_label(enum ssh_keytypes_e t)
{
	switch (t) {
	case SSH_KEYTYPE_ED25519:
		return "ED25519";
	case SSH_KEYTYPE_RSA:
		return "RSA";
	case SSH_KEYTYPE_DSS:
		return "DSA";
	case SSH_KEYTYPE_ECDSA:
	case SSH_KEYTYPE_ECDSA_P256:
	case SSH_KEYTYPE_ECDSA_P384:
	case SSH_KEYTYPE_ECDSA_P521:
		return "ECDSA";
	case SSH_KEYTYPE_SK_ECDSA:
		return "ECDSA-SK";
	case SSH_KEYTYPE_SK_ED25519:
		return "ED25519-SK";
	default:
		return "unknown";
	}
}

char *
auth_keys_describe(const struct conn *c, ssh_key key)
{
	enum ssh_publickey_hash_type ht = SSH_PUBLICKEY_HASH_SHA256;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp = NULL, *r;

	if (c->cfg.fingerprint_hash == CFG_FP_MD5) {
		ht = SSH_PUBLICKEY_HASH_MD5;
	}
	if (ssh_get_publickey_hash(key, ht, &hash, &hlen) == SSH_OK) {
		fp = ssh_get_fingerprint_hash(ht, hash, hlen);
		ssh_clean_pubkey_hash(&hash);
	}
	r = xasprintf("%s %s", auth_keys_type_label(ssh_key_type(key)),
	    fp != NULL ? fp : "(no fingerprint)");
	ssh_string_free_char(fp);
	return r;
}

/* ---- AuthorizedKeysFile entries ------------------------------------ */

char *
auth_keys_expand(const char *tmpl, const char *user, uid_t uid,
    const char *home)
{
	char buf[PATH_MAX], num[32];
	const char *p, *add;
	size_t o = 0, l;

	for (p = tmpl; *p != '\0'; p++) {
		if (*p != '%') {
			if (o + 1 >= sizeof(buf)) {
				goto toolong;
			}
			buf[o++] = *p;
			continue;
		}
		switch (*++p) {
		case '%':
			add = "%";
			break;
		case 'h':
			add = home;
			break;
		case 'u':
			add = user;
			break;
		case 'U':
			snprintf(num, sizeof(num), "%lu", (unsigned long)uid);
			add = num;
			break;
		default:
			log_error("AuthorizedKeysFile \"%.200s\": unknown "
			    "token %%%c", tmpl, *p != '\0' ? *p : '?');
			return NULL;
		}
		l = strlen(add);
		if (o + l >= sizeof(buf)) {
			goto toolong;
		}
		memcpy(buf + o, add, l);
		o += l;
	}
	buf[o] = '\0';
	if (buf[0] == '/') {
		return xstrdup(buf);
	}
	if (strlen(home) + 1 + o >= sizeof(buf)) {
		goto toolong;
	}
	return xasprintf("%s%s%s", home,
	    home[0] != '\0' && home[strlen(home) - 1] == '/' ? "" : "/", buf);
toolong:
	log_error("AuthorizedKeysFile \"%.200s\": expanded path too long",
	    tmpl);
	return NULL;
}

/* ---- StrictModes ----------------------------------------------------- */

static bool
auth_keys_owner_ok(const struct stat *st, uid_t uid)
{
	return (st->st_uid == 0 || st->st_uid == uid) &&
	    (st->st_mode & 022) == 0;
}

int
auth_keys_secure(int fd, const char *path, uid_t uid, const char *home,
    char *err, size_t errlen)
{
	char real[PATH_MAX], homereal[PATH_MAX], dir[PATH_MAX];
	bool cmphome;
	struct stat st;
	char *d;

	if (realpath(path, real) == NULL) {
		snprintf(err, errlen, "realpath %.200s: %s", path,
		    strerror(errno));
		return -1;
	}
	cmphome = home != NULL && realpath(home, homereal) != NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !auth_keys_owner_ok(&st, uid)) {
		snprintf(err, errlen, "bad ownership or modes for file %s",
		    real);
		return -1;
	}
	/* every directory upwards; stop after the home directory */
	snprintf(dir, sizeof(dir), "%s", real);
	for (;;) {
		d = dirname(dir);
		if (d != dir) {
			memmove(dir, d, strlen(d) + 1);
		}
		if (stat(dir, &st) != 0 || !auth_keys_owner_ok(&st, uid)) {
			snprintf(err, errlen, "bad ownership or modes for "
			    "directory %s", dir);
			return -1;
		}
		if (cmphome && strcmp(homereal, dir) == 0) {
			break;
		}
		if (strcmp(dir, "/") == 0 || strcmp(dir, ".") == 0) {
			break;
		}
	}
	return 0;
}

/* ---- reading as the user ------------------------------------------- */

struct auth_keys_ids {
	bool switched;
	uid_t euid;
	gid_t egid;
	int ngroups;
	gid_t groups[AUTH_KEYS_MAX_GROUPS];
};

/* OpenSSH temporarily_use_uid(): the files are opened with the user's
 * rights (NFS homes, and no reading what the user could not). */
static int
auth_keys_become_user(const struct conn *c, struct auth_keys_ids *save)
{
	gid_t groups[AUTH_KEYS_MAX_GROUPS];
	int n = AUTH_KEYS_MAX_GROUPS;

	save->switched = false;
	if (geteuid() != 0 || c->uid == 0) {
		return PC_OK;
	}
	save->euid = geteuid();
	save->egid = getegid();
	if ((save->ngroups = getgroups(AUTH_KEYS_MAX_GROUPS,
	    save->groups)) < 0) {
		log_error("getgroups: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	if (getgrouplist(c->user, c->gid, groups, &n) < 0) {
		n = AUTH_KEYS_MAX_GROUPS;
	}
	if (setgroups((size_t)n, groups) != 0 || setegid(c->gid) != 0) {
		log_error("temporarily_use_uid: setgroups/setegid: %s",
		    strerror(errno));
		goto restore;
	}
	if (seteuid(c->uid) != 0) {
		log_error("temporarily_use_uid: seteuid %lu: %s",
		    (unsigned long)c->uid, strerror(errno));
		goto restore;
	}
	save->switched = true;
	return PC_OK;
restore:
	if (setegid(save->egid) != 0 ||
	    setgroups((size_t)save->ngroups, save->groups) != 0) {
		log_fatal("cannot restore the daemon's groups: %s",
		    strerror(errno));
	}
	return PC_ERR_SYSTEM;
}

static void
auth_keys_restore(const struct auth_keys_ids *save)
{
	if (!save->switched) {
		return;
	}
	if (seteuid(save->euid) != 0 || setegid(save->egid) != 0 ||
	    setgroups((size_t)save->ngroups, save->groups) != 0) {
		log_fatal("restore_uid: %s", strerror(errno));
	}
}

/* Open one file as OpenSSH's auth_openkeyfile(): non-blocking open (no
 * hanging on a FIFO), regular files only, StrictModes.  -1 if unusable. */
static int
auth_keys_open(struct conn *c, const char *path)
{
	char err[PATH_MAX + 64];
	struct stat st;
	int fd, fl;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		log_debug("Could not open user '%.100s' authorized keys "
		    "'%.200s': %s", c->user, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		log_info("User %.100s authorized keys %.200s is not a regular "
		    "file", c->user, path);
		close(fd);
		return -1;
	}
	if ((fl = fcntl(fd, F_GETFL)) >= 0) {
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	if (c->cfg.strict_modes &&
	    auth_keys_secure(fd, path, c->uid, c->home, err,
	    sizeof(err)) != 0) {
		log_info("Authentication refused: %s", err);
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- one line ---------------------------------------------------------- */

/* OpenSSH match_host_and_ip() for from=: 1 allowed, 0 not, -1 bad list. */
static int
auth_keys_from_ok(const char *host, const char *ip, const char *list)
{
	int mip, mhost;

	if ((mip = addr_match_list(ip, list)) == -2) {
		return -1;
	}
	if (mip == -1) {
		return 0;
	}
	if ((mhost = match_hostname(host, list)) == -1) {
		return 0;
	}
	return mhost == 1 || mip == 1;
}

static bool
auth_keys_is_sk(ssh_key key)
{
	enum ssh_keytypes_e t = ssh_key_type(key);

	return t == SSH_KEYTYPE_SK_ECDSA || t == SSH_KEYTYPE_SK_ED25519;
}

/*
 * Authorisation checks of a line whose key matched (OpenSSH
 * auth_authorise_keyopts): from=, expiry-time, and what libssh 0.10
 * cannot enforce for FIDO keys.  0 ok, -1 refused (logged).
 */
static int
auth_keys_line_ok(struct conn *c, ssh_key key, const struct key_opts *o,
    const char *loc)
{
	char when[64];
	struct tm tm;
	int r;

	if (o->from != NULL) {
		r = auth_keys_from_ok(c->client_host, c->client_addr, o->from);
		if (r != 1) {
			if (r < 0) {
				log_debug("%s: invalid from criteria", loc);
			}
			log_info("%s: Authentication tried for %.100s with "
			    "correct key but not from a permitted host "
			    "(host=%.200s, ip=%.200s, required=%.200s).", loc,
			    c->user, c->client_host, c->client_addr, o->from);
			return -1;
		}
	}
	if (o->expiry != 0 && o->expiry < time(NULL)) {
		if (localtime_r(&o->expiry, &tm) == NULL ||
		    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S",
		    &tm) == 0) {
			snprintf(when, sizeof(when), "%lld",
			    (long long)o->expiry);
		}
		log_info("%s: Authentication tried for %.100s with correct "
		    "key but the key has expired (expiry-time %s).", loc,
		    c->user, when);
		return -1;
	}
	if (auth_keys_is_sk(key)) {
		/*
		 * XXX libssh 0.10 verifies FIDO signatures but not their
		 * user-presence / user-verification flags.  OpenSSH demands
		 * presence unless no-touch-required, so only such lines are
		 * usable here; verify-required can never be honoured.
		 */
		if (o->verify_required) {
			log_info("%s: key for %.100s refused: verify-required "
			    "cannot be enforced by this server", loc, c->user);
			return -1;
		}
		/* PubkeyAuthOptions asks for what cannot be checked either:
		 * refuse rather than silently allow (OpenSSH applies it to
		 * every line, no-touch-required or not). */
		if (strlist_find(&c->cfg.pubkey_auth_options,
		    "verify-required") >= 0 ||
		    strlist_find(&c->cfg.pubkey_auth_options,
		    "touch-required") >= 0) {
			log_info("%s: key for %.100s refused: PubkeyAuthOptions "
			    "%s cannot be enforced by this server", loc,
			    c->user, strlist_find(&c->cfg.pubkey_auth_options,
			    "verify-required") >= 0 ? "verify-required" :
			    "touch-required");
			return -1;
		}
		if (!o->no_touch_required) {
			log_info("%s: key for %.100s refused: security key "
			    "touch cannot be checked by this server (add "
			    "no-touch-required to allow it)", loc, c->user);
			return -1;
		}
	}
	return 0;
}

/* Does this parsed line hold key?  Cheap type filter first. */
static bool
auth_keys_same_key(ssh_key key, const char *type, const char *b64)
{
	enum ssh_keytypes_e t = ssh_key_type_from_name(type);
	ssh_key k = NULL;
	bool same;

	if (t == SSH_KEYTYPE_UNKNOWN || t != ssh_key_type(key)) {
		return false;
	}
	if (!auth_keys_blob_type_is(b64, type)) {
		return false;
	}
	if (ssh_pki_import_pubkey_base64(b64, t, &k) != SSH_OK) {
		return false;
	}
	same = ssh_key_cmp(k, key, SSH_KEY_CMP_PUBLIC) == 0;
	ssh_key_free(k);
	return same;
}

/* 0 and opts filled: this line is the one; 1 not this line. */
static int
auth_keys_check_line(struct conn *c, ssh_key key, const char *line,
    const char *path, int lineno, struct key_opts *opts)
{
	const char *type, *b64;
	char loc[PATH_MAX + 32], err[256];
	char *buf = NULL;
	int r;

	snprintf(loc, sizeof(loc), "%s:%d", path, lineno);
	r = authkeys_parse_line(line, opts, &buf, &type, &b64, err,
	    sizeof(err));
	if (r == PC_ERR_NOTFOUND) {
		return 1;
	}
	if (r != 0) {
		if (strstr(err, "cert-authority") != NULL) {
			log_verbose("%s: line skipped: %s", loc, err);
		} else {
			log_debug("%s: bad key line: %s", loc, err);
		}
		return 1;
	}
	if (!auth_keys_same_key(key, type, b64)) {
		free(buf);
		authkeys_opts_free(opts);
		return 1;
	}
	free(buf);
	if (auth_keys_line_ok(c, key, opts, loc) != 0) {
		authkeys_opts_free(opts);
		return 1;
	}
	opts->file = xstrdup(path);
	opts->line = lineno;
	return 0;
}

/*
 * Read fd line by line (bounded: lines over AUTHKEYS_MAX_LINE and lines
 * with NUL bytes are skipped, at most AUTH_KEYS_MAX_FILE bytes).  Like
 * OpenSSH, the whole file is consumed even after a match.
 */
static int
auth_keys_scan(struct conn *c, int fd, const char *path, ssh_key key,
    struct key_opts *opts)
{
	static char line[AUTHKEYS_MAX_LINE + 1];
	char chunk[AUTH_KEYS_CHUNK];
	size_t len = 0, total = 0;
	bool skipping = false, nul = false, found = false;
	int lineno = 0;
	ssize_t n, i;

	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			log_error("read %s: %s", path, strerror(errno));
			break;
		}
		total += (size_t)n;
		if (n == 0 || total > AUTH_KEYS_MAX_FILE) {
			if (total > AUTH_KEYS_MAX_FILE) {
				log_error("%s: more than %d bytes, the rest is "
				    "ignored", path, AUTH_KEYS_MAX_FILE);
				n = 0;
			}
			/* a last line without newline */
			if (len > 0 && !skipping && !nul && !found) {
				line[len] = '\0';
				lineno++;
				found = auth_keys_check_line(c, key, line,
				    path, lineno, opts) == 0;
			}
			break;
		}
		for (i = 0; i < n; i++) {
			if (chunk[i] == '\n') {
				lineno++;
				if (skipping || nul) {
					log_debug("%s:%d: line skipped (%s)",
					    path, lineno, skipping ?
					    "too long" : "NUL byte");
				} else if (!found) {
					line[len] = '\0';
					found = auth_keys_check_line(c, key,
					    line, path, lineno, opts) == 0;
				}
				len = 0;
				skipping = nul = false;
				continue;
			}
			if (chunk[i] == '\0') {
				nul = true;
			}
			if (len >= AUTHKEYS_MAX_LINE) {
				skipping = true;
				continue;
			}
			line[len++] = chunk[i];
		}
	}
	return found ? PC_OK : PC_ERR_NOTFOUND;
}

int
auth_keys_find(struct conn *c, ssh_key key, struct key_opts *opts)
{
	struct auth_keys_ids ids;
	const struct strlist *files = &c->cfg.authorized_keys_files;
	char *path;
	size_t i;
	int fd, r = PC_ERR_NOTFOUND;

	authkeys_opts_init(opts);
	for (i = 0; i < files->n && r == PC_ERR_NOTFOUND; i++) {
		if (strcasecmp(files->v[i], "none") == 0) {
			continue;
		}
		path = auth_keys_expand(files->v[i], c->user, c->uid, c->home);
		if (path == NULL) {
			continue;
		}
		log_debug("trying public key file %s", path);
		if (auth_keys_become_user(c, &ids) != PC_OK) {
			free(path);
			return PC_ERR_SYSTEM;
		}
		fd = auth_keys_open(c, path);
		if (fd >= 0) {
			r = auth_keys_scan(c, fd, path, key, opts);
			close(fd);
		}
		auth_keys_restore(&ids);
		if (r == PC_OK) {
			char *d = auth_keys_describe(c, key);

			log_verbose("Accepted key %s found at %s:%d", d, path,
			    opts->line);
			free(d);
		}
		free(path);
	}
	return r;
}
