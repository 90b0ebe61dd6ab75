#include "config.h"

/* sshd/auth_keys.c and sshd/auth_user.c: user-name syntax, token
 * expansion, StrictModes, finding a key's line (from=, expiry, FIDO
 * flags, type confusion), fingerprints, Allow/Deny rules. */

#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <libssh/libssh.h>

#include "common/err.h"
#include "common/log.h"
#include "common/strlist.h"
#include "sshd/auth_int.h"

#define D TEST_DATA_DIR "/authkeys/"

static char tmpdir[] = "/tmp/pc-test-auth-keys.XXXXXX";

/* ---- fixtures ------------------------------------------------------- */

static char *
slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n') {
		buf[n - 1] = '\0';
	}
	return buf;
}

static ssh_key
load_key(const char *name)
{
	char path[512];
	ssh_key k = NULL;

	snprintf(path, sizeof(path), D "%s.pub", name);
	assert_int_equal(ssh_pki_import_pubkey_file(path, &k), SSH_OK);
	return k;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
conn_init(struct conn *c, const char *file)
{
	memset(c, 0, sizeof(*c));
	c->user = "tester";
	c->uid = geteuid();
	c->gid = getegid();
	c->home = tmpdir;
	c->client_host = "127.0.0.1";
	snprintf(c->client_addr, sizeof(c->client_addr), "127.0.0.1");
	c->client_port = 50000;
	c->cfg.strict_modes = 1;
	c->cfg.fingerprint_hash = CFG_FP_SHA256;
	strlist_add(&c->cfg.authorized_keys_files, file, NULL, 0);
}

static int
setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	assert_int_equal(chmod(tmpdir, 0755), 0);
	log_init("test_auth_keys", LOG_LEVEL_QUIET, 0, 1);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[256];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- user names ------------------------------------------------------ */

static void
test_user_names(void **state)
{
	static const struct {
		const char *name;
		bool ok;
	} t[] = {
		{ "alice", true }, { "a.b-c_d", true }, { "user@example.com",
		true }, { "x", true }, { "Ü-user", true }, { "", false },
		{ "-alice", false }, { ".", false }, { "..", false },
		{ "a/b", false }, { "a b", false }, { "a\tb", false },
		{ "a\nb", false }, { "a\x01", false }, { "a\x7f", false },
		{ "a;b", false }, { "a$b", false }, { "a`b", false },
		{ "a'b", false }, { "a\"b", false }, { "a|b", false },
		{ "a*", false }, { "a?", false }, { "a:b", false },
		{ "a,b", false }, { "a\\", false }, { "%h", false },
	};
	char longname[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (auth_user_name_ok(t[i].name) != t[i].ok) {
			fail_msg("name \"%s\": expected %s", t[i].name,
			    t[i].ok ? "ok" : "refused");
		}
	}
	memset(longname, 'a', sizeof(longname));
	longname[255] = '\0';
	assert_true(auth_user_name_ok(longname));
	longname[255] = 'a';
	longname[256] = '\0';
	assert_false(auth_user_name_ok(longname));
	assert_false(auth_user_name_ok(NULL));
}

/* ---- AuthorizedKeysFile expansion ------------------------------------ */

static void
test_expand(void **state)
{
	static const struct {
		const char *tmpl, *want;
	} t[] = {
		{ ".ssh/authorized_keys", "/home/al/.ssh/authorized_keys" },
		{ "%h/.ssh/k", "/home/al/.ssh/k" },
		{ "/etc/keys/%u", "/etc/keys/al" },
		{ "/etc/keys/%U.%u", "/etc/keys/1001.al" },
		{ "/x/100%%", "/x/100%" },
		{ "k_%u_%%u", "/home/al/k_al_%u" },
		{ "%x", NULL },
		{ "/a/%", NULL },
	};
	size_t i;
	char *r;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		r = auth_keys_expand(t[i].tmpl, "al", 1001, "/home/al");
		if (t[i].want == NULL) {
			assert_null(r);
			continue;
		}
		assert_non_null(r);
		assert_string_equal(r, t[i].want);
		free(r);
	}
	r = auth_keys_expand("k", "al", 1, "/");
	assert_string_equal(r, "/k");
	free(r);
}

/* ---- StrictModes ------------------------------------------------------- */

static int
secure(const char *path, uid_t uid)
{
	char err[512];
	int fd, r;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	r = auth_keys_secure(fd, path, uid, tmpdir, err, sizeof(err));
	close(fd);
	return r;
}

static void
test_strict_modes(void **state)
{
	char dir[512], file[600];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/sm", tmpdir);
	snprintf(file, sizeof(file), "%s/authorized_keys", dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file(file, "# nothing\n", 0600);
	assert_int_equal(secure(file, geteuid()), 0);
	assert_int_equal(chmod(file, 0644), 0);
	assert_int_equal(secure(file, geteuid()), 0);
	assert_int_equal(chmod(file, 0664), 0);
	assert_int_equal(secure(file, geteuid()), -1);
	assert_int_equal(chmod(file, 0602), 0);
	assert_int_equal(secure(file, geteuid()), -1);
	assert_int_equal(chmod(file, 0600), 0);
	assert_int_equal(chmod(dir, 0770), 0);
	assert_int_equal(secure(file, geteuid()), -1);
	assert_int_equal(chmod(dir, 0700), 0);
	/* the home directory itself is checked, nothing above it */
	assert_int_equal(chmod(tmpdir, 0775), 0);
	assert_int_equal(secure(file, geteuid()), -1);
	assert_int_equal(chmod(tmpdir, 0755), 0);
	if (geteuid() == 0) {
		/* owned by someone else than root or the user */
		assert_int_equal(chown(file, 4242, 4242), 0);
		assert_int_equal(secure(file, 1000), -1);
		assert_int_equal(secure(file, 4242), 0);
		assert_int_equal(chown(file, 0, 0), 0);
		assert_int_equal(chown(dir, 4243, 0), 0);
		assert_int_equal(secure(file, 4242), -1);
		assert_int_equal(chown(dir, 0, 0), 0);
	}
}

/* ---- finding keys ---------------------------------------------------- */

static int
find(const char *content, mode_t mode, const char *key, struct key_opts *o,
    void (*tweak)(struct conn *))
{
	char path[512];
	struct conn c;
	ssh_key k;
	int r;

	snprintf(path, sizeof(path), "%s/ak", tmpdir);
	if (content != NULL) {
		write_file(path, content, mode);
	}
	conn_init(&c, "ak");
	if (tweak != NULL) {
		tweak(&c);
	}
	k = load_key(key);
	r = auth_keys_find(&c, k, o);
	ssh_key_free(k);
	strlist_free(&c.cfg.authorized_keys_files);
	return r;
}

static void
no_strict(struct conn *c)
{
	c->cfg.strict_modes = 0;
}

static void
from_ten(struct conn *c)
{
	snprintf(c->client_addr, sizeof(c->client_addr), "10.1.2.3");
	c->client_host = "10.1.2.3";
}

static void
test_find(void **state)
{
	char ed[1024], rsa[1024], ecdsa[1024], other[1024], sk[1024];
	char buf[8192], edkey[1024];
	struct key_opts o;

	(void)state;
	snprintf(ed, sizeof(ed), "%s", slurp(D "ed25519.pub"));
	snprintf(rsa, sizeof(rsa), "%s", slurp(D "rsa.pub"));
	snprintf(ecdsa, sizeof(ecdsa), "%s", slurp(D "ecdsa.pub"));
	snprintf(other, sizeof(other), "%s", slurp(D "other.pub"));
	snprintf(sk, sizeof(sk), "%s", slurp(D "sk.pub"));
	/* the ed25519 key's base64 alone */
	snprintf(edkey, sizeof(edkey), "%s", strchr(ed, ' ') + 1);
	*strchr(edkey, ' ') = '\0';

	/* plain match, options and location recorded */
	snprintf(buf, sizeof(buf), "# c\n%s\nrestrict,permitopen=\"h:1\" "
	    "%s\n%s\n", other, ed, rsa);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL), 0);
	assert_true(o.restricted && !o.port_forwarding);
	assert_int_equal(o.npermitopen, 1);
	assert_int_equal(o.line, 3);
	assert_non_null(strstr(o.file, "/ak"));
	authkeys_opts_free(&o);
	assert_int_equal(find(buf, 0600, "rsa", &o, NULL), 0);
	assert_int_equal(o.line, 4);
	authkeys_opts_free(&o);
	assert_int_equal(find(buf, 0600, "ecdsa", &o, NULL),
	    PC_ERR_NOTFOUND);

	/* StrictModes: a group-writable file is not read at all */
	assert_int_equal(find(buf, 0660, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	assert_int_equal(find(buf, 0660, "ed25519", &o, no_strict), 0);
	authkeys_opts_free(&o);

	/* from=: the first line is refused, the next one wins */
	snprintf(buf, sizeof(buf), "from=\"10.0.0.0/8\",command=\"a\" %s\n"
	    "command=\"b\" %s\n", ed, ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL), 0);
	assert_string_equal(o.command, "b");
	authkeys_opts_free(&o);
	assert_int_equal(find(buf, 0600, "ed25519", &o, from_ten), 0);
	assert_string_equal(o.command, "a");
	authkeys_opts_free(&o);
	snprintf(buf, sizeof(buf), "from=\"10.0.0.0/8\" %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "from=\"*,!127.0.0.1\" %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "from=\"10.0.0.0/33\" %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, from_ten),
	    PC_ERR_NOTFOUND);

	/* expiry-time */
	snprintf(buf, sizeof(buf), "expiry-time=\"20200101\" %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "expiry-time=\"29990101\" %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL), 0);
	authkeys_opts_free(&o);

	/* a bad line never matches, even with the right key */
	snprintf(buf, sizeof(buf), "bogus-option %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "cert-authority %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	/* type confusion: the label says RSA, the blob is ed25519 */
	snprintf(buf, sizeof(buf), "ssh-rsa %s\necdsa-sha2-nistp256 %s\n",
	    edkey, edkey);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL),
	    PC_ERR_NOTFOUND);
	/* the last line without a newline, CRLF lines */
	snprintf(buf, sizeof(buf), "%s\r\n%s", other, ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL), 0);
	assert_int_equal(o.line, 2);
	authkeys_opts_free(&o);

	/* FIDO keys: usable only with no-touch-required */
	snprintf(buf, sizeof(buf), "%s\n", sk);
	assert_int_equal(find(buf, 0600, "sk", &o, NULL), PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "no-touch-required,verify-required %s\n",
	    sk);
	assert_int_equal(find(buf, 0600, "sk", &o, NULL), PC_ERR_NOTFOUND);
	snprintf(buf, sizeof(buf), "no-touch-required %s\n", sk);
	assert_int_equal(find(buf, 0600, "sk", &o, NULL), 0);
	authkeys_opts_free(&o);
	/* ... and the flags mean nothing for other keys */
	snprintf(buf, sizeof(buf), "verify-required %s\n", ed);
	assert_int_equal(find(buf, 0600, "ed25519", &o, NULL), 0);
	authkeys_opts_free(&o);
}

static void
test_find_hostile(void **state)
{
	char ed[1024], *big;
	struct key_opts o;
	size_t n = 3 * AUTHKEYS_MAX_LINE;

	(void)state;
	snprintf(ed, sizeof(ed), "%s", slurp(D "ed25519.pub"));
	/* an endless line, then the key: the long line is skipped */
	big = malloc(n + 2048);
	assert_non_null(big);
	memset(big, 'A', n);
	snprintf(big + n, 2048, "\n%s\n", ed);
	assert_int_equal(find(big, 0600, "ed25519", &o, NULL), 0);
	assert_int_equal(o.line, 2);
	authkeys_opts_free(&o);
	/* a NUL byte hides nothing */
	{
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/ak", tmpdir);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite("restrict\0", 1, 9, f);
		fprintf(f, " %s\n", ed);
		fclose(f);
		assert_int_equal(chmod(path, 0600), 0);
	}
	assert_int_equal(find(NULL, 0, "ed25519", &o, NULL), PC_ERR_NOTFOUND);
	free(big);
}

static void
test_missing_files(void **state)
{
	struct conn c;
	struct key_opts o;
	ssh_key k = load_key("ed25519");
	char path[512];

	(void)state;
	conn_init(&c, "none");
	assert_int_equal(auth_keys_find(&c, k, &o), PC_ERR_NOTFOUND);
	strlist_add(&c.cfg.authorized_keys_files, "does/not/exist", NULL, 0);
	strlist_add(&c.cfg.authorized_keys_files, "%z", NULL, 0);
	strlist_add(&c.cfg.authorized_keys_files, tmpdir, NULL, 0);
	assert_int_equal(auth_keys_find(&c, k, &o), PC_ERR_NOTFOUND);
	/* a second file is read when the first has no match */
	snprintf(path, sizeof(path), "%s/ak2", tmpdir);
	write_file(path, slurp(D "ed25519.pub"), 0600);
	strlist_add(&c.cfg.authorized_keys_files, "%h/ak2", NULL, 0);
	assert_int_equal(auth_keys_find(&c, k, &o), 0);
	assert_string_equal(o.file, path);
	authkeys_opts_free(&o);
	strlist_free(&c.cfg.authorized_keys_files);
	ssh_key_free(k);
}

/* ---- fingerprints ----------------------------------------------------- */

static void
test_describe(void **state)
{
	static const struct {
		const char *key, *want;
		int md5;
	} t[] = {
		{ "ed25519", "ED25519 SHA256:7nHIHowMkmauKa1WluE3T0wiG82j4eJr"
		    "NIdlJOKDziE", 0 },
		{ "rsa", "RSA SHA256:oWQIDjMR24zf1hf8epkVc/ZgDN088DGMeHYPHFc"
		    "zxlE", 0 },
		{ "ecdsa", "ECDSA SHA256:3BtcHB08OMF6mefN11CwPg18RXLc68x/tK"
		    "KVZqMgXEE", 0 },
		{ "sk", "ED25519-SK SHA256:nX0hpi5mKbTIJ10yBq5/sLQhiI1Y0RBA"
		    "qN0drDdgJWs", 0 },
		{ "ed25519", "ED25519 MD5:6e:83:ee:dc:49:4c:af:41:db:93:cc:"
		    "cd:66:38:f8:45", 1 },
	};
	struct conn c;
	ssh_key k;
	size_t i;
	char *d;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.cfg.fingerprint_hash = t[i].md5 ? CFG_FP_MD5 : CFG_FP_SHA256;
		k = load_key(t[i].key);
		d = auth_keys_describe(&c, k);
		assert_string_equal(d, t[i].want);
		free(d);
		ssh_key_free(k);
	}
	k = load_key("rsa");
	assert_int_equal(auth_keys_rsa_bits(k), 3072);
	ssh_key_free(k);
	k = load_key("ed25519");
	assert_int_equal(auth_keys_rsa_bits(k), 0);
	ssh_key_free(k);
}

/* ---- Allow/Deny (as the running user, no NSS wrapper needed) ---------- */

static void
test_allowed(void **state)
{
	static const struct {
		const char *kw, *val;
		int want;
	} t[] = {
		{ NULL, NULL, 0 },
		{ "AllowUsers", "nobody-else", PC_ERR_DENIED },
		{ "AllowUsers", "%U", 0 },
		{ "AllowUsers", "%U@127.0.0.1", 0 },
		{ "AllowUsers", "%U@10.0.0.0/8", PC_ERR_DENIED },
		{ "DenyUsers", "%U", PC_ERR_DENIED },
		{ "DenyUsers", "*@127.0.0.0/8", PC_ERR_DENIED },
		{ "DenyUsers", "other", 0 },
		{ "AllowGroups", "%G", 0 },
		{ "AllowGroups", "no-such-group", PC_ERR_DENIED },
		{ "DenyGroups", "%G", PC_ERR_DENIED },
		{ "DenyGroups", "no-such-group", 0 },
	};
	struct conn c;
	struct passwd *pw = getpwuid(geteuid());
	char val[256];
	const char *p;
	size_t i;

	(void)state;
	assert_non_null(pw);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.user = pw->pw_name;
		c.client_host = "127.0.0.1";
		snprintf(c.client_addr, sizeof(c.client_addr), "127.0.0.1");
		assert_int_equal(auth_user_lookup(&c, pw->pw_name), 0);
		if (t[i].kw != NULL) {
			struct strlist *l;

			p = t[i].val;
			if (strncmp(p, "%U", 2) == 0) {
				snprintf(val, sizeof(val), "%s%s", pw->pw_name,
				    p + 2);
			} else if (strcmp(p, "%G") == 0) {
				snprintf(val, sizeof(val), "%s", c.groups[0]);
			} else {
				snprintf(val, sizeof(val), "%s", p);
			}
			l = strcmp(t[i].kw, "AllowUsers") == 0 ?
			    &c.cfg.allow_users :
			    strcmp(t[i].kw, "DenyUsers") == 0 ?
			    &c.cfg.deny_users :
			    strcmp(t[i].kw, "AllowGroups") == 0 ?
			    &c.cfg.allow_groups : &c.cfg.deny_groups;
			strlist_add(l, val, NULL, 0);
		}
		if (auth_user_allowed(&c) != t[i].want) {
			fail_msg("%s %s: expected %d", t[i].kw ? t[i].kw : "-",
			    t[i].val ? t[i].val : "", t[i].want);
		}
		strlist_free(&c.cfg.allow_users);
		strlist_free(&c.cfg.deny_users);
		strlist_free(&c.cfg.allow_groups);
		strlist_free(&c.cfg.deny_groups);
		c.user = NULL;
		auth_user_reset(&c);
	}
}

static void
test_root_allowed(void **state)
{
	static const struct {
		int mode;
		const char *method;
		bool forced, want;
	} t[] = {
		{ CFG_ROOT_YES, "password", false, true },
		{ CFG_ROOT_PROHIBIT_PASSWORD, "publickey", false, true },
		{ CFG_ROOT_PROHIBIT_PASSWORD, "password", false, false },
		{ CFG_ROOT_PROHIBIT_PASSWORD, "keyboard-interactive", false,
		    false },
		{ CFG_ROOT_FORCED_ONLY, "publickey", false, false },
		{ CFG_ROOT_FORCED_ONLY, "publickey", true, true },
		{ CFG_ROOT_FORCED_ONLY, "password", false, false },
		{ CFG_ROOT_NO, "publickey", true, false },
	};
	struct key_opts o;
	struct conn c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&c, 0, sizeof(c));
		c.uid = 0;
		c.cfg.permit_root_login = t[i].mode;
		authkeys_opts_init(&o);
		o.command = t[i].forced ? "true" : NULL;
		if (auth_user_root_allowed(&c, t[i].method, &o) != t[i].want) {
			fail_msg("case %zu: expected %d", i, t[i].want);
		}
		c.uid = 1000;
		assert_true(auth_user_root_allowed(&c, t[i].method, &o));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_names),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_strict_modes),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_hostile),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_root_allowed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
