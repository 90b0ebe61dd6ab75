/*
 * portcullisd -X: the forwarding decision for a described request, made
 * by the daemon's own code: Match resolution for the user, the client
 * address and the local end (laddr=/lport=, or the first listening
 * address and port), the authorized_keys line's options, NSS groups, the
 * same bounded name lookup (fwd_resolve) and policy_decide().
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/addr.h"
#include "common/authkeys.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "policy/explain.h"
#include "policy/policy.h"
#include "sshd/conn.h"
#include "sshd/explain_cli.h"
#include "sshd/fwd_int.h"

#define EXPLAIN_MAX_GROUPS 1024

/* The user's groups from NSS, primary first; NULL-terminated. */
static char **
explain_nss_groups(const char *user, gid_t gid)
{
	gid_t gids[EXPLAIN_MAX_GROUPS];
	int n = EXPLAIN_MAX_GROUPS, i, k = 0;
	char **out;

	if (getgrouplist(user, gid, gids, &n) < 0)
		n = 0;
	out = xcalloc((size_t)n + 2, sizeof(*out));
	for (i = 0; i < n || (n == 0 && i == 0); i++) {
		gid_t g = n == 0 ? gid : gids[i];
		struct group *gr = getgrgid(g);

		if (gr == NULL)
			continue;
		/* getgrouplist puts the primary group first already */
		out[k++] = xstrdup(gr->gr_name);
	}
	out[k] = NULL;
	return out;
}

/*
 * The local end a real connection would most likely have when -X gives
 * no laddr= / lport=: the first socket the listener opens, that is the
 * first ListenAddress (its own port, else the first Port) or, with no
 * ListenAddress, the wildcard address on the first Port (-p replaces
 * Port, as for the listener).  A wildcard or a host name is no local
 * address a connection can have: laddr stays unknown then, so Match
 * LocalAddress does not match (as "-T -C" without laddr=), and a note
 * says so.  laddr points into buf.
 */
static void
explain_local_default(const struct servconf *g, char *buf, size_t len,
    const char **laddr, int *lport)
{
	const char *la = g->listen_addrs.n > 0 ? g->listen_addrs.v[0] : NULL;
	const char *close, *colon;
	char port[NI_MAXSERV] = "";
	struct pc_addr a;
	int p;

	buf[0] = '\0';
	if (la != NULL && la[0] == '[' && (close = strchr(la, ']')) != NULL &&
	    close[1] == '\0') {
		/* "[v6]" without a port */
		snprintf(buf, len, "%.*s", (int)(close - la - 1), la + 1);
	} else if (la != NULL && (la[0] == '[' || ((colon = strchr(la,
	    ':')) != NULL && strchr(colon + 1, ':') == NULL))) {
		/* "[v6]:port", "v4:port", "name:port" */
		if (hostport_split(la, buf, len, port, sizeof(port), false,
		    NULL) != 0)
			buf[0] = port[0] = '\0';
	} else if (la != NULL) {
		snprintf(buf, len, "%s", la);	/* bare address or name */
	}
	if (*lport <= 0) {
		if (port[0] == '\0' && g->ports.n > 0)
			snprintf(port, sizeof(port), "%s", g->ports.v[0]);
		if (port_parse(port, &p, true) == 0 && p > 0)
			*lport = p;
	}
	if (*laddr != NULL)
		return;
	if (buf[0] != '\0' && addr_parse(buf, &a) == 0 &&
	    strcmp(buf, "0.0.0.0") != 0 && strcmp(buf, "::") != 0) {
		*laddr = buf;
		return;
	}
	fprintf(stderr, "note: no laddr= given and the first listening "
	    "address (%s) is not one address: Match LocalAddress blocks do "
	    "not apply\n", buf[0] != '\0' ? buf : "any");
}

/* Read line `line` of an authorized_keys file into opts. */
static int
explain_key_line(const char *file, int line, struct key_opts *opts)
{
	char buf[AUTHKEYS_MAX_LINE + 2], err[256], *kb = NULL;
	const char *kt, *k64;
	FILE *f;
	int n = 0, r = PC_ERR_NOTFOUND;

	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		return PC_ERR_IO;
	}
	while (fgets(buf, sizeof(buf), f) != NULL) {
		if (++n != line)
			continue;
		buf[strcspn(buf, "\r\n")] = '\0';
		r = authkeys_parse_line(buf, opts, &kb, &kt, &k64, err,
		    sizeof(err));
		if (r == PC_ERR_NOTFOUND)
			fprintf(stderr, "%s:%d: not a key line\n", file, line);
		else if (r != PC_OK)
			fprintf(stderr, "%s:%d: %s\n", file, line, err);
		free(kb);
		break;
	}
	if (n < line)
		fprintf(stderr, "%s has no line %d\n", file, line);
	fclose(f);
	if (r == PC_OK) {
		free(opts->file);
		opts->file = xstrdup(file);
		opts->line = line;
	}
	return r;
}

int
explain_cli_run(struct daemon *d, const char *spec)
{
	struct explain_spec es;
	struct cfg_conn_info ci;
	struct conn c;
	struct fwd_state fs;
	struct fwd_addrs addrs;
	struct policy_config pc;
	struct pc_subject subj;
	struct pc_request req;
	struct pc_decision dec;
	struct passwd *pw;
	char err[256], **groups = NULL, laddr[NI_MAXHOST];
	size_t i;
	int rc = 255, r;

	memset(&c, 0, sizeof(c));
	memset(&fs, 0, sizeof(fs));
	memset(&addrs, 0, sizeof(addrs));
	authkeys_opts_init(&c.key_opts);
	if (policy_explain_spec_parse(spec, &es, err, sizeof(err)) != PC_OK) {
		fprintf(stderr, "Invalid explain specification: %s\n", err);
		return 255;
	}
	if ((pw = getpwnam(es.user)) == NULL) {
		fprintf(stderr, "No such user: %s\n", es.user);
		goto out;
	}
	c.user = es.user;
	c.uid = pw->pw_uid;
	c.gid = pw->pw_gid;
	groups = es.have_groups ? NULL : explain_nss_groups(es.user, pw->pw_gid);
	c.groups = es.have_groups ? es.groups : groups;
	snprintf(c.client_addr, sizeof(c.client_addr), "%s", es.addr);
	c.client_host = es.addr;

	memset(&ci, 0, sizeof(ci));
	ci.user = es.user;
	ci.groups = (const char *const *)c.groups;
	ci.addr = es.addr;
	ci.host = es.addr;
	ci.laddr = es.laddr;
	ci.lport = es.lport > 0 ? es.lport : -1;
	if (es.laddr == NULL || es.lport <= 0)
		explain_local_default(&d->global, laddr, sizeof(laddr),
		    &ci.laddr, &ci.lport);
	if (config_resolve(d->config, &ci, &c.cfg) != PC_OK) {
		fprintf(stderr, "cannot resolve the configuration for %s\n",
		    es.user);
		goto out;
	}
	if (es.have_key) {
		if (explain_key_line(es.key_file, es.key_line,
		    &c.key_opts) != PC_OK)
			goto out_cfg;
		c.have_key_opts = true;
	}
	memset(&pc, 0, sizeof(pc));
	config_policy_view(&c.cfg, &pc);
	if ((r = policy_new(&pc, &c.policy)) != PC_OK) {
		fprintf(stderr, "cannot build the policy: %s\n",
		    pc_strerror(r));
		goto out_cfg;
	}
	fs.c = &c;
	policy_explain_spec_request(&es, &req);
	if (req.kind == PC_OPEN && req.port >= 0 && req.port <= 65535) {
		r = fwd_resolve(&fs, req.host, (int)req.port, fwd_family(&c),
		    false, c.cfg.forward_lookup_timeout, &addrs, err,
		    sizeof(err));
		if (r != PC_OK)
			fprintf(stderr, "note: %s does not resolve (%s); "
			    "matched as a string only\n", req.host, err);
		req.addrs = addrs.n > 0 ? addrs.pa : NULL;
		req.naddrs = addrs.n;
	}
	fwd_subject(&c, &subj);
	policy_decide(c.policy, &subj, &req, &dec);
	policy_explain_print(stdout, &dec);
	if (fflush(stdout) != 0)
		goto out_policy;
	rc = dec.allow ? 0 : 1;
out_policy:
	policy_free(c.policy);
out_cfg:
	servconf_free(&c.cfg);
out:
	if (groups != NULL) {
		for (i = 0; groups[i] != NULL; i++)
			free(groups[i]);
		free(groups);
	}
	authkeys_opts_free(&c.key_opts);
	policy_explain_spec_free(&es);
	return rc;
}
