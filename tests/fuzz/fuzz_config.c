#include "config.h"

/*
 * libFuzzer target: the sshd_config parser with Match and Include
 * (sshd/config*.c), then Match resolution, -T output and the policy built
 * from the result.
 *
 * Input: an sshd_config text.  Comment lines the parser ignores carry the
 * rest of the test, so every seed is itself a valid sshd_config:
 *	#@o KEY VALUE     a -o option (up to 8)
 *	#@C SPEC          a -C connection spec to resolve (up to 4; one
 *	                  built-in spec is always resolved too)
 *	#@nss             resolve those specs with NSS look-ups of the
 *	                  user's groups when they give no group=
 *	#@file            everything after this line is written to
 *	                  fuzzed.conf in the Include directory (and is
 *	                  not part of the main text)
 * Include resolves in a private directory of fixtures made at start-up
 * (sshd_config.d/NN-*.conf, a self-including file, a directory named .conf,
 * fuzzed.conf).  Inputs that could include anything outside it (an
 * absolute path or "..") are refused, so the fuzzer never reads the
 * host's files; so are Include fan-outs (see fuzz_config_refused).
 *
 * Checks beyond memory safety: a failed load leaves *out NULL; a
 * configuration that loads resolves for every spec, dumps, and compiles
 * into a policy (policy.h: "Patterns were validated at config load"), and
 * the policy's answers keep the promises of the decision struct.
 *
 * fuzz-requires: sshd/config.c sshd/config_match.c sshd/config_dump.c
 * fuzz-requires: policy/policy.c policy/pattern.c
 * fuzz-requires-decl: sshd/config.h config_load_buffer
 */

#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "common/strlist.h"
#include "policy/policy.h"
#include "policy/policy_config.h"
#include "sshd/config.h"
#include "tests/fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CONFIG_MAX_INPUT	65536
#define FUZZ_CONFIG_MAX_OPTS	8
#define FUZZ_CONFIG_MAX_SPECS	4

static char fuzz_config_dir[] = "/tmp/pc-fuzz-config.XXXXXX";
static char fuzz_config_file[sizeof(fuzz_config_dir) + 16];
static int fuzz_config_file_dirty = 1;
static FILE *fuzz_config_null;

static const char *const fuzz_config_fixtures[][2] = {
	{ "sshd_config.d/10-forwarding.conf",
	    "AllowTcpForwarding local\nPermitOpen db.internal:5432 "
	    "[2001:db8::5]:443\nGatewayPorts clientspecified\n" },
	{ "sshd_config.d/20-match.conf",
	    "Match User alice Address 10.0.0.0/8\n"
	    "\tPermitListen localhost:8080 9000\n"
	    "\tAllowForwardingPort >1024\n" },
	{ "sshd_config.d/30-empty.conf", "" },
	{ "sshd_config.d/README", "not a configuration file\n" },
	{ "inc_self.conf", "# includes itself until the depth limit\n"
	    "Include inc_self.conf\n" },
	{ "inc_match.conf", "Match Group fwdusers\n"
	    "\tDenyForwardingTo *.internal:<1024 10.0.0.0/8:22\n"
	    "Match all\n\tAllowTcpForwardingForUsers alice,bob@10.0.0.0/8\n" },
	{ "inc_bad.conf", "NoSuchKeyword yes\nPort 99999\n" },
};

static void
fuzz_config_cleanup(void)
{
	char path[sizeof(fuzz_config_dir) + 64];
	size_t i;

	for (i = 0; i < sizeof(fuzz_config_fixtures) /
	    sizeof(fuzz_config_fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_config_dir,
		    fuzz_config_fixtures[i][0]);
		unlink(path);
	}
	unlink(fuzz_config_file);
	snprintf(path, sizeof(path), "%s/dir.conf", fuzz_config_dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sshd_config.d", fuzz_config_dir);
	rmdir(path);
	rmdir(fuzz_config_dir);
}

static void
fuzz_config_write(const char *path, const char *text, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL ||
	    (len > 0 && fwrite(text, 1, len, f) != len) || fclose(f) != 0) {
		fprintf(stderr, "fuzz_config: cannot write %s\n", path);
		abort();
	}
}

static void
fuzz_config_init(void)
{
	char path[sizeof(fuzz_config_dir) + 64];
	size_t i;

	fuzz_log_setup();
	if (mkdtemp(fuzz_config_dir) == NULL) {
		perror("fuzz_config: mkdtemp");
		abort();
	}
	atexit(fuzz_config_cleanup);
	snprintf(path, sizeof(path), "%s/sshd_config.d", fuzz_config_dir);
	snprintf(fuzz_config_file, sizeof(fuzz_config_file), "%s/fuzzed.conf",
	    fuzz_config_dir);
	if (mkdir(path, 0755) != 0) {
		abort();
	}
	snprintf(path, sizeof(path), "%s/dir.conf", fuzz_config_dir);
	if (mkdir(path, 0755) != 0) {
		abort();
	}
	for (i = 0; i < sizeof(fuzz_config_fixtures) /
	    sizeof(fuzz_config_fixtures[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fuzz_config_dir,
		    fuzz_config_fixtures[i][0]);
		fuzz_config_write(path, fuzz_config_fixtures[i][1],
		    strlen(fuzz_config_fixtures[i][1]));
	}
	if ((fuzz_config_null = fopen("/dev/null", "w")) == NULL) {
		abort();
	}
}

/* Case-insensitive count of "include" in data[0..size). */
static size_t
fuzz_config_includes(const uint8_t *data, size_t size)
{
	static const char inc[] = "include";
	size_t i, n = 0;

	for (i = 0; i + sizeof(inc) - 1 <= size; i++) {
		if (strncasecmp((const char *)data + i, inc,
		    sizeof(inc) - 1) == 0) {
			n++;
		}
	}
	return n;
}

/*
 * Inputs the harness refuses (return -1: not added to the corpus):
 * - an Include that could leave the fixture directory: any '/' that
 *   starts a path (after a blank, '=', a quote, a bracket, a backslash...)
 *   or any "..", when the text mentions include at all (conservative);
 * - more than FUZZ_CONFIG_MAX_INCLUDES mentions, or any Include inside the
 *   #@file part (fuzzed.conf including itself fans out to the parser's
 *   limit of CONFIG_MAX_FILES reads, each of which allocates
 *   CONFIG_MAX_FILE bytes: 0.7 s natively but over 15 s under ASan, a
 *   "timeout" that is no bug of the parser).
 */
#define FUZZ_CONFIG_MAX_INCLUDES 6

static bool
fuzz_config_refused(const uint8_t *data, size_t size)
{
	const uint8_t *file;
	size_t i, n;

	if ((n = fuzz_config_includes(data, size)) == 0) {
		return false;
	}
	if (n > FUZZ_CONFIG_MAX_INCLUDES) {
		return true;
	}
	file = memmem(data, size, "#@file", 6);
	if (file != NULL && fuzz_config_includes(file,
	    size - (size_t)(file - data)) > 0) {
		return true;
	}
	for (i = 0; i < size; i++) {
		if (data[i] == '.' && i + 1 < size && data[i + 1] == '.') {
			return true;
		}
		if (data[i] == '/' && (i == 0 || !(isalnum(data[i - 1]) ||
		    (data[i - 1] != '\0' && strchr("*?-_.", data[i - 1]) !=
		    NULL)))) {
			return true;
		}
	}
	return false;
}

/* Policy answers for one effective configuration. */
static void
fuzz_config_decide(const struct servconf *sc, const struct cfg_conn_info *ci)
{
	static const char *const hosts[] = { "localhost", "db.internal", "",
		"10.1.2.3", "0.0.0.0", "::1" };
	static const long ports[] = { 22, 5432, 0, 8080, 80, 65536 };
	const char *groups[] = { "alice", "fwdusers", NULL };
	struct policy_config pv;
	struct pc_subject s;
	struct pc_request r;
	struct pc_decision d;
	struct pc_addr a;
	struct policy *p = NULL;
	size_t i, j;
	int rc;

	config_policy_view(sc, &pv);
	rc = policy_new(&pv, &p);
	fuzz_check(rc == 0 && p != NULL, "a configuration that loads "
	    "compiles into a policy");
	memset(&s, 0, sizeof(s));
	s.user = ci != NULL && ci->user != NULL ? ci->user : "alice";
	s.uid = 20001;
	s.groups = ci != NULL && ci->groups != NULL ? ci->groups : groups;
	s.client_addr = ci != NULL && ci->addr != NULL ? ci->addr :
	    "10.1.2.3";
	s.client_host = ci != NULL && ci->host != NULL ? ci->host :
	    s.client_addr;
	memset(&a, 0, sizeof(a));
	(void)addr_parse("10.1.2.3", &a);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		for (j = 0; j < 2; j++) {
			memset(&r, 0, sizeof(r));
			r.kind = j == 0 ? PC_OPEN : PC_LISTEN;
			r.host = hosts[i];
			r.port = ports[i];
			r.addrs = j == 0 ? &a : NULL;
			r.naddrs = j == 0 ? 1 : 0;
			policy_decide(p, &s, &r, &d);
			fuzz_check(d.nlayers <= PC_MAX_LAYERS, "layer count");
			fuzz_check(fuzz_terminated(d.rule, sizeof(d.rule)) &&
			    fuzz_terminated(d.why, sizeof(d.why)) &&
			    fuzz_terminated(d.bind_addr, sizeof(d.bind_addr)),
			    "decision strings terminated");
			if (r.port > 65535) {
				fuzz_check(!d.allow, "port > 65535 refused");
			}
			if (pv.disable_forwarding) {
				fuzz_check(!d.allow,
				    "DisableForwarding refuses");
			}
		}
	}
	policy_free(p);
}

static void
fuzz_config_resolve(const struct config *c, const char *spec, bool nss)
{
	static const char *const groups[] = { "alice", "fwdusers", NULL };
	struct cfg_conn_info ci;
	struct servconf sc;
	char *buf = NULL;
	int r;

	if (config_parse_conn_spec(spec, &ci, &buf) != 0) {
		fuzz_check(buf == NULL, "bad spec leaves buf NULL");
		return;
	}
	/* NSS look-ups (getpwnam, getgrouplist) only now and then */
	if (ci.groups == NULL && !nss) {
		ci.groups = groups;
	}
	memset(&sc, 0, sizeof(sc));
	r = config_resolve(c, &ci, &sc);
	fuzz_check(r == 0, "a loaded configuration resolves");
	config_dump(fuzz_config_null, &sc);
	fuzz_config_decide(&sc, &ci);
	servconf_free(&sc);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	static char sentinel;
	struct strlist opts = { NULL, NULL, 0 };
	char *specs[FUZZ_CONFIG_MAX_SPECS];
	char *text, *scan, *line, *end;
	struct config *c = (struct config *)(void *)&sentinel;
	struct servconf copy;
	size_t nspecs = 0, len = size, file_off = 0, i;
	bool nss = false, has_file = false;
	int r;

	if (!init) {
		fuzz_config_init();
		init = 1;
	}
	if (size > FUZZ_CONFIG_MAX_INPUT || fuzz_config_refused(data, size)) {
		return -1;
	}
	/* the #@ lines, from a scratch copy cut at the first NUL */
	scan = fuzz_strndup(data, size);
	for (line = scan; line != NULL && *line != '\0';
	    line = end != NULL ? end + 1 : NULL) {
		if ((end = strchr(line, '\n')) != NULL) {
			*end = '\0';
		}
		if (strcmp(line, "#@file") == 0) {
			has_file = true;
			len = (size_t)(line - scan);
			file_off = end != NULL ? (size_t)(end + 1 - scan) :
			    size;
			break;
		}
		if (strncmp(line, "#@o ", 4) == 0 &&
		    opts.n < FUZZ_CONFIG_MAX_OPTS) {
			strlist_add(&opts, line + 4, "command-line",
			    (int)opts.n + 1);
		} else if (strncmp(line, "#@C ", 4) == 0 &&
		    nspecs < FUZZ_CONFIG_MAX_SPECS) {
			specs[nspecs++] = line + 4;
		} else if (strcmp(line, "#@nss") == 0) {
			nss = true;
		}
	}
	if (has_file) {
		fuzz_config_write(fuzz_config_file, (const char *)data +
		    file_off, size - file_off);
		fuzz_config_file_dirty = 1;
	} else if (fuzz_config_file_dirty) {
		fuzz_config_write(fuzz_config_file, "", 0);
		fuzz_config_file_dirty = 0;
	}
	/* the parser sees the exact bytes (a NUL in them is an error) in a
	 * buffer of exactly len bytes, not terminated */
	text = malloc(len > 0 ? len : 1);
	fuzz_check(text != NULL, "malloc");
	if (len > 0) {
		memcpy(text, data, len);
	}

	r = config_load_buffer("fuzz_config", text, len, fuzz_config_dir,
	    &opts, &c);
	if (r != 0) {
		fuzz_check(r == PC_ERR_CONFIG, "load error code");
		fuzz_check(c == NULL, "failed load leaves *out NULL");
		goto out;
	}
	fuzz_check(c != NULL && c != (struct config *)(void *)&sentinel,
	    "load sets *out");
	config_dump(fuzz_config_null, config_global(c));
	servconf_copy(&copy, config_global(c));
	servconf_free(&copy);
	fuzz_config_decide(config_global(c), NULL);
	fuzz_config_resolve(c, "user=alice,host=client.example.com,"
	    "addr=10.1.2.3,laddr=127.0.0.1,lport=22,group=fwdusers", false);
	for (i = 0; i < nspecs; i++) {
		fuzz_config_resolve(c, specs[i], nss);
	}
	config_free(c);
out:
	strlist_free(&opts);
	free(text);
	free(scan);
	return 0;
}
