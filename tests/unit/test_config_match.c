/*
 * sshd_config semantics: first value wins, -o beats the file, Match beats
 * both, LIST accumulation vs Match replacement, every Match criterion,
 * Include, Debian's stock file, hostile input.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/strlist.h"
#include "common/xmalloc.h"
#include "sshd/config.h"
#include "tests/unit/test_config_util.h"

#define assert_src(src, f, l) do { \
	assert_non_null((src).file); \
	assert_string_equal((src).file, (f)); \
	assert_int_equal((src).line, (l)); \
} while (0)

static struct cfg_conn_info
ci_user(const char *user)
{
	struct cfg_conn_info ci;

	memset(&ci, 0, sizeof(ci));
	ci.user = user;
	ci.addr = "192.0.2.10";
	ci.laddr = "198.51.100.1";
	ci.lport = 22;
	return ci;
}

static void
test_first_value_wins(void **state)
{
	struct config *c;
	const struct servconf *g;

	assert_int_equal(tu_load("MaxSessions 3\nMaxSessions 4\n"
	    "Banner /a\nBanner /b\nAllowTcpForwarding local\n"
	    "AllowTcpForwarding no\n", NULL, NULL, &c), 0);
	g = config_global(c);
	assert_int_equal(g->max_sessions, 3);
	assert_src(g->max_sessions_src, "test.conf", 1);
	assert_string_equal(g->banner, "/a");
	assert_int_equal(g->allow_tcp_forwarding, PC_FWD_LOCAL);
	assert_src(g->allow_tcp_forwarding_src, "test.conf", 5);
	/* unset: the default, with no source */
	assert_int_equal(g->max_auth_tries, 6);
	assert_null(g->max_auth_tries_src.file);
	config_free(c);
}

static void
test_cmdline_beats_file(void **state)
{
	const char *opts[] = { "MaxSessions=7", "AllowForwardingPort 1000",
		"PermitOpen=c:3", NULL };
	struct config *c;
	const struct servconf *g;

	assert_int_equal(tu_load("MaxSessions 3\nAllowForwardingPort 2000\n"
	    "AllowForwardingPort 3000\nPermitOpen a:1\n", opts, NULL, &c), 0);
	g = config_global(c);
	assert_int_equal(g->max_sessions, 7);
	assert_src(g->max_sessions_src, "command-line", 1);
	/* LIST: -o and file lines together, -o first */
	assert_int_equal(g->allow_fwd_port.n, 3);
	assert_string_equal(g->allow_fwd_port.v[0], "1000");
	assert_string_equal(g->allow_fwd_port.v[1], "2000");
	assert_string_equal(g->allow_fwd_port.v[2], "3000");
	assert_src(g->allow_fwd_port.src[0], "command-line", 2);
	assert_src(g->allow_fwd_port.src[2], "test.conf", 3);
	/* FIRSTLIST: -o is the first line */
	assert_int_equal(g->permit_open.n, 1);
	assert_string_equal(g->permit_open.v[0], "c:3");
	config_free(c);
}

static void
test_match_beats_both(void **state)
{
	const char *opts[] = { "AllowTcpForwarding no", NULL };
	struct cfg_conn_info ci;
	struct servconf s;
	struct config *c;

	assert_int_equal(tu_load("AllowTcpForwarding local\n"
	    "Match User alice\n\tAllowTcpForwarding yes\n", opts, NULL, &c), 0);
	assert_int_equal(config_global(c)->allow_tcp_forwarding, PC_FWD_NO);
	ci = ci_user("alice");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.allow_tcp_forwarding, PC_FWD_ALL);
	assert_src(s.allow_tcp_forwarding_src, "test.conf", 3);
	servconf_free(&s);
	ci = ci_user("bob");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.allow_tcp_forwarding, PC_FWD_NO);
	assert_src(s.allow_tcp_forwarding_src, "command-line", 1);
	servconf_free(&s);
	/* no connection info: the global settings */
	assert_int_equal(config_resolve(c, NULL, &s), 0);
	assert_int_equal(s.allow_tcp_forwarding, PC_FWD_NO);
	servconf_free(&s);
	config_free(c);
}

/* Forwarding lists accumulate; a matching block's list replaces them;
 * lists of several matching blocks accumulate; scalars: first block. */
static void
test_match_lists(void **state)
{
	struct cfg_conn_info ci;
	struct servconf s;
	struct config *c;

	assert_int_equal(tu_load(
	    "AllowForwardingPort 2000\n"
	    "AllowForwardingPort 3000\n"
	    "DenyForwardingTo db:5432\n"
	    "PermitOpen a:1 b:2\n"
	    "PermitOpen c:3\n"
	    "Match User alice\n"
	    "  AllowForwardingPort 4000\n"
	    "  DenyForwardingTo x:1\n"
	    "  MaxSessions 2\n"
	    "  PermitOpen none\n"
	    "Match Address 192.0.2.0/24\n"
	    "  DenyForwardingTo y:2\n"
	    "  MaxSessions 5\n"
	    "  PermitOpen d:4\n", NULL, NULL, &c), 0);
	assert_int_equal(config_global(c)->permit_open.n, 2);

	ci = ci_user("alice");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.allow_fwd_port.n, 1);
	assert_string_equal(s.allow_fwd_port.v[0], "4000");
	assert_src(s.allow_fwd_port.src[0], "test.conf", 7);
	assert_int_equal(s.deny_fwd_to.n, 2);
	assert_string_equal(s.deny_fwd_to.v[0], "x:1");
	assert_string_equal(s.deny_fwd_to.v[1], "y:2");
	assert_int_equal(s.max_sessions, 2);
	assert_int_equal(s.permit_open.n, 1);
	assert_string_equal(s.permit_open.v[0], "none");
	servconf_free(&s);

	ci = ci_user("bob");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.allow_fwd_port.n, 2);
	assert_int_equal(s.deny_fwd_to.n, 1);
	assert_string_equal(s.deny_fwd_to.v[0], "y:2");
	assert_int_equal(s.max_sessions, 5);
	assert_int_equal(s.permit_open.n, 1);
	assert_string_equal(s.permit_open.v[0], "d:4");
	servconf_free(&s);

	ci = ci_user("bob");
	ci.addr = "203.0.113.9";
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.allow_fwd_port.n, 2);
	assert_string_equal(s.allow_fwd_port.v[1], "3000");
	assert_int_equal(s.deny_fwd_to.n, 1);
	assert_string_equal(s.deny_fwd_to.v[0], "db:5432");
	assert_int_equal(s.max_sessions, 10);
	assert_int_equal(s.permit_open.n, 2);
	servconf_free(&s);
	config_free(c);
}

/* "Match All" ends a block; global keywords after it act globally. */
static void
test_match_all(void **state)
{
	struct cfg_conn_info ci;
	struct servconf s;
	struct config *c;

	assert_int_equal(tu_load("PasswordAuthentication yes\n"
	    "Match User alice\n  MaxSessions 1\n"
	    "Match All\nPort 2022\nPasswordAuthentication no\n", NULL, NULL,
	    &c), 0);
	assert_int_equal(config_global(c)->ports.n, 1);
	assert_string_equal(config_global(c)->ports.v[0], "2022");
	assert_int_equal(config_global(c)->password_authentication, 1);
	ci = ci_user("bob");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.password_authentication, 0);
	assert_int_equal(s.max_sessions, 10);
	servconf_free(&s);
	config_free(c);
}

/* One Match line per row: does a connection match it? */
static const char *const grp_staff[] = { "users", "staff", NULL };
static const char *const grp_users[] = { "users", NULL };
static const struct {
	const char *match;
	const char *user, *host, *addr, *laddr, *rdomain;
	const char *const *groups;
	int lport;
	int want;
} crit[] = {
	{ "User alice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "user alice", "bob", NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "USER alice", NULL, NULL, "1.2.3.4", NULL, NULL, NULL, -1, 0 },
	{ "User a*,!admin", "ann", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User a*,!admin", "admin", NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "User !bob", "alice", NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "User ?lice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "Group staff", "alice", NULL, NULL, NULL, NULL, grp_staff, -1, 1 },
	{ "Group staff", "alice", NULL, NULL, NULL, NULL, grp_users, -1, 0 },
	{ "Group st*,!users", "alice", NULL, NULL, NULL, NULL, grp_staff, -1,
	  0 },
	{ "Group staff", NULL, NULL, NULL, NULL, NULL, grp_staff, -1, 0 },
	/* NSS: root is in group root on any Debian system */
	{ "Group root", "root", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "Group root", "no-such-user-here", NULL, NULL, NULL, NULL, NULL, -1,
	  0 },
	{ "Host *.example.com", NULL, "a.example.com", NULL, NULL, NULL, NULL,
	  -1, 1 },
	{ "Host *.example.com", NULL, "A.EXAMPLE.COM", NULL, NULL, NULL, NULL,
	  -1, 1 },
	{ "Host *.example.com", NULL, "example.org", NULL, NULL, NULL, NULL, -1,
	  0 },
	{ "Host 10.0.0.*", NULL, NULL, "10.0.0.5", NULL, NULL, NULL, -1, 1 },
	{ "Address 10.0.0.0/8", NULL, NULL, "10.1.2.3", NULL, NULL, NULL, -1,
	  1 },
	{ "Address 10.0.0.0/8", NULL, NULL, "11.0.0.1", NULL, NULL, NULL, -1,
	  0 },
	{ "Address 10.0.0.0/8", NULL, NULL, "::1", NULL, NULL, NULL, -1, 0 },
	{ "Address 10.0.0.0/8", NULL, NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "Address 10.0.0.0/8,!10.9.0.0/16", NULL, NULL, "10.9.1.1", NULL,
	  NULL, NULL, -1, 0 },
	{ "Address 10.0.0.0/8,!10.9.0.0/16", NULL, NULL, "10.1.1.1", NULL,
	  NULL, NULL, -1, 1 },
	{ "Address 2001:db8::/32", NULL, NULL, "2001:db8::1", NULL, NULL, NULL,
	  -1, 1 },
	{ "Address 192.168.1.*", NULL, NULL, "192.168.1.7", NULL, NULL, NULL,
	  -1, 1 },
	{ "LocalAddress 127.0.0.1", NULL, NULL, NULL, "127.0.0.1", NULL, NULL,
	  -1, 1 },
	{ "LocalAddress 127.0.0.0/8", NULL, NULL, NULL, "10.0.0.1", NULL, NULL,
	  -1, 0 },
	{ "LocalPort 2222", NULL, NULL, NULL, NULL, NULL, NULL, 2222, 1 },
	{ "LocalPort 2222", NULL, NULL, NULL, NULL, NULL, NULL, 22, 0 },
	{ "LocalPort 2222", NULL, NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "RDomain r1", NULL, NULL, NULL, NULL, "r1", NULL, -1, 1 },
	{ "RDomain r1", NULL, NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "All", NULL, NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "all # everyone", NULL, NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User alice Address 10.0.0.0/8", "alice", NULL, "10.1.1.1", NULL,
	  NULL, NULL, -1, 1 },
	{ "User alice Address 10.0.0.0/8", "alice", NULL, "11.1.1.1", NULL,
	  NULL, NULL, -1, 0 },
	{ "User alice LocalPort 22", "alice", NULL, NULL, NULL, NULL, NULL, 22,
	  1 },
	/* Criterion=value, with or without blanks round one '=' (9.2) */
	{ "User=alice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User=alice", "bob", NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "User = alice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User= alice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User =alice", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User=alice=", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User=\"alice\"", "alice", NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "user=u1,alice Address=10.0.0.0/8", "alice", NULL, "10.1.1.1", NULL,
	  NULL, NULL, -1, 1 },
	{ "user=u1,u2 Address=10.0.0.0/8", "alice", NULL, "10.1.1.1", NULL,
	  NULL, NULL, -1, 0 },
	{ "User=alice Address=10.0.0.0/8", "alice", NULL, "11.1.1.1", NULL,
	  NULL, NULL, -1, 0 },
	{ "User alice =Address 10.0.0.0/8", "alice", NULL, "10.1.1.1", NULL,
	  NULL, NULL, -1, 1 },
	{ "Group=st*", "alice", NULL, NULL, NULL, NULL, grp_staff, -1, 1 },
	{ "Host=*.example.com", NULL, "a.example.com", NULL, NULL, NULL, NULL,
	  -1, 1 },
	{ "LocalAddress=127.0.0.0/8 LocalPort=22", NULL, NULL, NULL,
	  "127.0.0.1", NULL, NULL, 22, 1 },
	{ "LocalPort=22", NULL, NULL, NULL, NULL, NULL, NULL, 2222, 0 },
	/* 0 parses (OpenSSH's a2port) and never matches */
	{ "LocalPort 0", NULL, NULL, NULL, NULL, NULL, NULL, -1, 0 },
	{ "RDomain=r*", NULL, NULL, NULL, NULL, "r1", NULL, -1, 1 },
	{ "All=", NULL, NULL, NULL, NULL, NULL, NULL, -1, 1 },
	{ "User alice =#comment", "alice", NULL, NULL, NULL, NULL, NULL, -1,
	  1 },
	{ "User alice =#comment ==x", "alice", NULL, NULL, NULL, NULL, NULL,
	  -1, 1 },
	{ "All =#comment ==x", NULL, NULL, NULL, NULL, NULL, NULL, -1, 1 },
};

static void
test_match_criteria(void **state)
{
	struct cfg_conn_info ci;
	struct servconf s;
	struct config *c;
	char *text;
	size_t i;

	for (i = 0; i < sizeof(crit) / sizeof(crit[0]); i++) {
		text = xasprintf("Match %s\n\tMaxSessions 1\n", crit[i].match);
		if (tu_load(text, NULL, NULL, &c) != 0)
			fail_msg("Match %s: %s", crit[i].match, tu_log);
		memset(&ci, 0, sizeof(ci));
		ci.user = crit[i].user;
		ci.host = crit[i].host;
		ci.addr = crit[i].addr;
		ci.laddr = crit[i].laddr;
		ci.rdomain = crit[i].rdomain;
		ci.groups = crit[i].groups;
		ci.lport = crit[i].lport;
		assert_int_equal(config_resolve(c, &ci, &s), 0);
		if ((s.max_sessions == 1) != crit[i].want)
			fail_msg("Match %s (row %zu): expected %s",
			    crit[i].match, i, crit[i].want ? "a match" :
			    "no match");
		servconf_free(&s);
		config_free(c);
		free(text);
	}
}

static void
test_include(void **state)
{
	struct cfg_conn_info ci;
	struct servconf s;
	struct config *c;
	const struct servconf *g;
	char *dir, *main_conf, *a_conf, cwd[4096];

	dir = tu_tmpdir();
	tu_write(dir, "main.conf", "Include conf.d/*.conf\nMaxSessions 9\n"
	    "Include nomatch/*.conf\n"
	    "Match User alice\nInclude alice.conf\nMaxAuthTries 4\n");
	tu_write(dir, "conf.d/10-a.conf", "MaxSessions 3\n");
	tu_write(dir, "conf.d/20-b.conf", "MaxAuthTries 2\nPort 2022\n"
	    "Match User carol\n  MaxAuthTries 1\n");
	tu_write(dir, "conf.d/notconf.txt", "Bogus line\n");
	tu_write(dir, "alice.conf", "PermitTTY no\nMatch Address 10.0.0.0/8\n"
	    "  PermitOpen 10.0.0.1:80\n");
	main_conf = xasprintf("%s/main.conf", dir);
	a_conf = xasprintf("%s/conf.d/10-a.conf", dir);
	/* relative paths come from the configuration directory */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir("/"), 0);
	if (tu_load_file(main_conf, NULL, &c) != 0)
		fail_msg("include: %s", tu_log);
	assert_int_equal(chdir(cwd), 0);
	g = config_global(c);
	assert_int_equal(g->max_sessions, 3);
	assert_src(g->max_sessions_src, a_conf, 1);
	assert_string_equal(g->ports.v[0], "2022");
	/* the included Match ended with its file: MaxSessions 9 was
	 * global (ignored, first wins) and MaxAuthTries 2 is global */
	assert_int_equal(g->max_auth_tries, 2);
	assert_string_equal(g->config_file, main_conf);

	ci = ci_user("alice");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.permit_tty, 0);
	assert_int_equal(s.max_auth_tries, 4);
	assert_int_equal(s.permit_open.n, 0);
	servconf_free(&s);
	ci.addr = "10.1.1.1";
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.permit_open.n, 1);
	servconf_free(&s);
	ci = ci_user("bob");
	ci.addr = "10.1.1.1";
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.permit_tty, 1);
	assert_int_equal(s.permit_open.n, 0);
	assert_int_equal(s.max_auth_tries, 2);
	servconf_free(&s);
	ci = ci_user("carol");
	assert_int_equal(config_resolve(c, &ci, &s), 0);
	assert_int_equal(s.max_auth_tries, 1);
	servconf_free(&s);
	config_free(c);

	/* a missing file named without wildcards is an error */
	tu_write(dir, "main.conf", "MaxSessions 1\nInclude missing.conf\n");
	assert_int_equal(tu_load_file(main_conf, NULL, &c), PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "main.conf:2: Include"));
	/* an error in an included file names that file */
	tu_write(dir, "main.conf", "Include conf.d/*.conf\n");
	tu_write(dir, "conf.d/30-bad.conf", "\nMaxSessions lots\n");
	assert_int_equal(tu_load_file(main_conf, NULL, &c), PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "conf.d/30-bad.conf:2: "));
	/* recursion is bounded */
	tu_write(dir, "main.conf", "Include main.conf\n");
	assert_int_equal(tu_load_file(main_conf, NULL, &c), PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "Too many recursive"));
	/* two includes per level would be 2^16 files: bounded too */
	tu_write(dir, "main.conf", "Include main.conf main.conf\n");
	assert_int_equal(tu_load_file(main_conf, NULL, &c), PC_ERR_CONFIG);
	/* a global keyword in a file included inside Match */
	tu_write(dir, "main.conf", "Match User x\nInclude g.conf\n");
	tu_write(dir, "g.conf", "Port 1\n");
	assert_int_equal(tu_load_file(main_conf, NULL, &c), PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "g.conf:1: Directive 'Port'"));
	/* the main file missing */
	assert_int_equal(tu_load_file("/nonexistent/sshd_config", NULL, &c),
	    PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "/nonexistent/sshd_config"));

	tu_rmtree(dir);
	free(dir);
	free(main_conf);
	free(a_conf);
}

/* Debian's stock sshd_config (bookworm, openssh-server 9.2p1) with a
 * cloud-init style drop-in: loads with warnings only. */
static void
test_debian_stock(void **state)
{
	char *text, *p, *fixed, *dir;
	struct config *c;
	const struct servconf *g;

	text = tu_read_data("debian_sshd_config");
	p = strstr(text, "Include /etc/ssh/sshd_config.d/*.conf");
	assert_non_null(p);
	/* the drop-in directory of the fixture instead of /etc/ssh */
	fixed = xasprintf("%.*sInclude sshd_config.d/*.conf%s",
	    (int)(p - text), text, p + strlen("Include /etc/ssh/"
	    "sshd_config.d/*.conf"));
	dir = xasprintf("%s/config", TEST_DATA_DIR);
	if (tu_load(fixed, NULL, dir, &c) != 0)
		fail_msg("Debian's sshd_config: %s", tu_log);
	assert_null(strstr(tu_log, "error"));
	assert_non_null(strstr(tu_log, "test.conf:90: X11Forwarding yes is "
	    "not supported; ignored"));
	g = config_global(c);
	assert_dump(g, "usepam yes");
	assert_dump(g, "kbdinteractiveauthentication no");
	assert_dump(g, "acceptenv LANG LC_*");
	assert_dump(g, "subsystem sftp /usr/lib/openssh/"
	    "sftp-server");
	assert_dump(g, "printmotd no");
	assert_dump(g, "x11forwarding no");
	/* from the drop-in, which comes first */
	assert_dump(g, "passwordauthentication no");
	config_free(c);
	free(text);
	free(fixed);
	free(dir);
}

/* Hostile input never crashes and always ends in 0 or PC_ERR_CONFIG. */
static void
test_hostile(void **state)
{
	static const char *const texts[] = {
		"\"", "'", "Port \"22", "Port '22", "\\", "Port \\",
		"=", "==", "= =", "Port=", "Port==22", "#", "\t\r\f",
		"Match User \"a b\" \"\"", "Match \"\"", "PermitOpen \"\"",
		"AllowForwardingTo \"\"", "Subsystem \"\" x",
		"ListenAddress []:1", "ListenAddress [::1]:", "MaxStartups :::",
		"MaxStartups 1::", "PerSourceNetBlockSize ::",
		"AllowTcpForwardingForUsers ,", "AcceptEnv \"\"",
		"Include \"\"", "Match Address ,", "Match User a,,b",
		"LoginGraceTime 99999999999999999999w",
		"LoginGraceTime 3000000000", "MaxSessions 2147483648",
		"ForceCommand \"", "VersionAddendum #",
		"StreamLocalBindMask -1",
		"IPQoS 0x100", "RekeyLimit 99999999999999999999",
	};
	struct config *c;
	char *buf;
	size_t i, j, len;
	unsigned int seed = 42;
	int r;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		r = tu_load(texts[i], NULL, NULL, &c);
		assert_true(r == 0 || r == PC_ERR_CONFIG);
		config_free(c);
	}
	log_init("test", LOG_LEVEL_QUIET, LOG_AUTH, 1);
	/* a NUL byte, a line over the limit */
	assert_int_equal(config_load_buffer("nul", "Port 22\0\n", 9, NULL,
	    NULL, &c), PC_ERR_CONFIG);
	len = CONFIG_MAX_LINE + 10;
	buf = xmalloc(len);
	memset(buf, 'a', len);
	assert_int_equal(config_load_buffer("long", buf, len, NULL, NULL, &c),
	    PC_ERR_CONFIG);
	/* random bytes from a small alphabet that hits the tokenizer */
	for (i = 0; i < 3000; i++) {
		static const char alpha[] = "Port Match User ListenAddress "
		    "PermitOpen AllowForwardingTo =\"'\\#,:[]!*?/ \t\n"
		    "0123456789abcAll";
		len = (size_t)rand_r(&seed) % 200;
		for (j = 0; j < len; j++)
			buf[j] = alpha[(size_t)rand_r(&seed) %
			    (sizeof(alpha) - 1)];
		r = config_load_buffer("fuzz", buf, len, NULL, NULL, &c);
		assert_true(r == 0 || r == PC_ERR_CONFIG);
		config_free(c);
	}
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_value_wins),
		cmocka_unit_test(test_cmdline_beats_file),
		cmocka_unit_test(test_match_beats_both),
		cmocka_unit_test(test_match_lists),
		cmocka_unit_test(test_match_all),
		cmocka_unit_test(test_match_criteria),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_debian_stock),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
