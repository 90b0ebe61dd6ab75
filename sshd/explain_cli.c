/*
 * portcullisd -X: the forwarding decision for a described request, made
 * by the daemon's own code: Match resolution for the user and address,
 * the authorized_keys line's options, NSS groups, the same bounded name
 * lookup (fwd_resolve) and policy_decide().
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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
	char err[256], **groups = NULL;
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
	ci.lport = -1;
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
