#include "config.h"

/*
 * Authentication: the rules and the log lines (OpenSSH 9.2's auth2.c,
 * auth.c, auth2-pubkey.c behaviour).  conn.c owns the libssh callbacks and
 * calls auth_begin() then one of auth_none/auth_pubkey/auth_password, or
 * auth_handle_message() for keyboard-interactive.
 *
 * An invalid user (unknown, refused by Allow/Deny, bad name) goes through
 * the same steps and gets the same answers as a valid one; only the log
 * says "invalid user".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "common/authkeys.h"
#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/auth.h"
#include "sshd/auth_int.h"
#include "sshd/config.h"
#include "sshd/conn.h"
#include "sshd/sshbind.h"
#ifdef HAVE_PAM
#include "sshd/pam.h"
#endif

struct pam_ctx *
auth_ctx(struct conn *c)
{
	if (c->pam == NULL) {
		c->pam = xcalloc(1, sizeof(*c->pam));
	}
	return c->pam;
}

bool
auth_use_pam(const struct conn *c)
{
#ifdef HAVE_PAM
	/* A daemon started by a user runs without PAM (DESIGN.md). */
	return c->cfg.use_pam && c->running_as_root;
#else
	(void)c;
	return false;
#endif
}

int
auth_methods(const struct conn *c)
{
	int m = 0;

	if (c->cfg.pubkey_authentication) {
		m |= SSH_AUTH_METHOD_PUBLICKEY;
	}
	if (auth_use_pam(c)) {
		if (c->cfg.password_authentication) {
			m |= SSH_AUTH_METHOD_PASSWORD;
		}
		if (c->cfg.kbd_interactive_authentication) {
			m |= SSH_AUTH_METHOD_INTERACTIVE;
		}
	}
	/* XXX with nothing enabled libssh advertises its default list
	 * (publickey,password); every attempt is still refused. */
	return m;
}

void
auth_disconnect(struct conn *c, const char *reason)
{
	struct pam_ctx *a = auth_ctx(c);

	log_info("Disconnecting %s user %.100s %s port %d: %s [preauth]",
	    c->user_valid ? "authenticating" : "invalid",
	    c->user != NULL ? c->user : "", c->client_addr, c->client_port,
	    reason);
	a->exceeded = true;
	c->disconnecting = true;
	if (c->session != NULL) {
		/*
		 * XXX inside a libssh callback, as libssh's own
		 * samplesshd-cb.c does: the reply libssh then tries to send
		 * goes nowhere, and conn.c's loop sees the closed session.
		 */
		ssh_session_set_disconnect_message(c->session, reason);
		/*
		 * In the callback of a read, libssh has not yet noticed that
		 * the socket is writable again (POLLOUT is handled after
		 * POLLIN), so ssh_disconnect() would queue the DISCONNECT
		 * and drop it with the socket.  We know it is writable: the
		 * client is waiting for our answer.
		 */
		ssh_set_fd_towrite(c->session);
		ssh_disconnect(c->session);
	}
}

/* OpenSSH auth_log(): one line per decision. */
static void
auth_log(struct conn *c, enum log_level level, const char *what,
    const char *method, const char *sub, const char *info)
{
	log_msg(level, __func__, "%s %s%s%s for %s%.100s from %.200s port %d "
	    "ssh2%s%s", what, method, sub != NULL ? "/" : "",
	    sub != NULL ? sub : "", c->user_valid ? "" : "invalid user ",
	    c->user != NULL ? c->user : "", c->client_addr, c->client_port,
	    info != NULL ? ": " : "", info != NULL ? info : "");
}

void
auth_accepted(struct conn *c, const char *method, const char *sub,
    const char *info)
{
	auth_log(c, LOG_LEVEL_INFO, "Accepted", method, sub, info);
}

void
auth_failed(struct conn *c, const char *method, const char *sub,
    const char *info)
{
	struct pam_ctx *a = auth_ctx(c);
	enum log_level level = LOG_LEVEL_VERBOSE;
	int max = c->cfg.max_auth_tries;

	if (!c->user_valid || c->auth_attempts >= max / 2 ||
	    strcmp(method, "password") == 0) {
		level = LOG_LEVEL_INFO;
	}
	auth_log(c, level, "Failed", method, sub, info);
	/* The first "none" is free: clients start with it to learn the
	 * methods (OpenSSH userauth_finish). */
	if (strcmp(method, "none") == 0 && a->requests <= 1) {
		return;
	}
	c->auth_attempts++;
	if (c->auth_attempts >= max && !a->exceeded) {
		log_error("maximum authentication attempts exceeded for "
		    "%s%.100s from %.200s port %d ssh2 [preauth]",
		    c->user_valid ? "" : "invalid user ", c->user,
		    c->client_addr, c->client_port);
		auth_disconnect(c, "Too many authentication failures");
	}
}

/* Effective PubkeyAcceptedAlgorithms after Match; libssh enforces it on
 * the signature algorithm, we on the key type (probes included). */
static void
auth_set_algorithms(struct conn *c)
{
	struct pam_ctx *a = auth_ctx(c);
	char err[256];
	char *l;

	l = sshbind_alg_apply(sshbind_pubkey_default, sshbind_pubkey_supported,
	    c->cfg.pubkey_accepted_algorithms, err, sizeof(err));
	if (l == NULL) {
		log_error("PubkeyAcceptedAlgorithms: %s; using the defaults",
		    err);
		l = xstrdup(sshbind_pubkey_default);
	}
	free(a->pk_algs);
	a->pk_algs = l;
	if (c->session != NULL &&
	    ssh_options_set(c->session, SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES,
	    l) != SSH_OK) {
		log_debug("could not set the accepted key types on the "
		    "session");
	}
}

static bool
auth_in_list(const char *name, const char *list)
{
	size_t n = strlen(name);
	const char *p = list, *e;

	while (p != NULL && *p != '\0') {
		e = strchr(p, ',');
		if (e == NULL) {
			e = p + strlen(p);
		}
		if ((size_t)(e - p) == n && strncmp(p, name, n) == 0) {
			return true;
		}
		p = *e == ',' ? e + 1 : e;
	}
	return false;
}

/* Is some signature algorithm of this key type accepted? */
static bool
auth_key_alg_ok(struct conn *c, ssh_key key)
{
	const char *l = auth_ctx(c)->pk_algs;

	if (l == NULL) {
		l = sshbind_pubkey_default;
	}
	switch (ssh_key_type(key)) {
	case SSH_KEYTYPE_RSA:
		return auth_in_list("rsa-sha2-512", l) ||
		    auth_in_list("rsa-sha2-256", l) ||
		    auth_in_list("ssh-rsa", l);
	case SSH_KEYTYPE_ED25519:
		return auth_in_list("ssh-ed25519", l);
	case SSH_KEYTYPE_ECDSA_P256:
		return auth_in_list("ecdsa-sha2-nistp256", l);
	case SSH_KEYTYPE_ECDSA_P384:
		return auth_in_list("ecdsa-sha2-nistp384", l);
	case SSH_KEYTYPE_ECDSA_P521:
		return auth_in_list("ecdsa-sha2-nistp521", l);
	case SSH_KEYTYPE_SK_ECDSA:
		return auth_in_list("sk-ecdsa-sha2-nistp256@openssh.com", l);
	case SSH_KEYTYPE_SK_ED25519:
		return auth_in_list("sk-ssh-ed25519@openssh.com", l);
	case SSH_KEYTYPE_DSS:
		return auth_in_list("ssh-dss", l);
	default:
		return false;
	}
}

/* Re-resolve c->cfg for this user (Match User/Group). */
static void
auth_resolve_config(struct conn *c, const char *user)
{
	static const char *const nogroups[] = { NULL };
	struct cfg_conn_info ci;
	struct servconf n;

	if (c->config == NULL) {
		return;
	}
	memset(&ci, 0, sizeof(ci));
	ci.user = user;
	ci.groups = c->groups != NULL ? (const char *const *)c->groups :
	    nogroups;
	ci.host = c->client_host != NULL ? c->client_host : c->client_addr;
	ci.addr = c->client_addr;
	ci.laddr = c->local_addr;
	ci.lport = c->local_port;
	memset(&n, 0, sizeof(n));
	if (config_resolve(c->config, &ci, &n) != PC_OK) {
		log_error("cannot resolve the configuration for user %.100s; "
		    "keeping the connection's settings", user);
		return;
	}
	/* -p on the command line replaced Port for this connection */
	strlist_free(&n.ports);
	strlist_copy(&n.ports, &c->cfg.ports);
	servconf_free(&c->cfg);
	c->cfg = n;
}

/* The first user name of the connection: validate, look up, allow. */
static void
auth_first_user(struct conn *c, const char *user)
{
	struct pam_ctx *a = auth_ctx(c);
	bool found;

	c->user = xstrdup(user);
	c->user_valid = false;
	if (!auth_user_name_ok(user)) {
		/* Never given to NSS, PAM or Match: it stays invalid. */
		a->name_bad = true;
		log_info("Invalid user %.100s from %.200s port %d", user,
		    c->client_addr, c->client_port);
		auth_set_algorithms(c);
		return;
	}
	found = auth_user_lookup(c, user) == PC_OK;
	if (found && !c->running_as_root && c->uid != geteuid()) {
		/* Started by a user: only that user can log in. */
		found = false;
		auth_user_reset(c);
	}
	auth_resolve_config(c, user);
	auth_set_algorithms(c);
	if (!found) {
		auth_user_reset(c);
		log_info("Invalid user %.100s from %.200s port %d", user,
		    c->client_addr, c->client_port);
		return;
	}
	if (auth_user_allowed(c) == PC_OK) {
		c->user_valid = true;
	}
}

int
auth_begin(struct conn *c, const char *user, const char *method)
{
	struct pam_ctx *a = auth_ctx(c);

	if (a->exceeded || c->authenticated) {
		return -1;
	}
	if (user == NULL) {
		user = "";
	}
	a->requests++;
	log_debug("userauth-request for user %.100s method %s", user, method);
	if (c->user == NULL) {
		auth_first_user(c, user);
		return 0;
	}
	if (strcmp(user, c->user) != 0) {
		char reason[512];

		snprintf(reason, sizeof(reason), "Change of username or "
		    "service not allowed: (%.100s,ssh-connection) -> "
		    "(%.100s,ssh-connection)", c->user, user);
		auth_disconnect(c, reason);
		return -1;
	}
	return 0;
}

/* Callers may not have called auth_begin() for this request (a defence,
 * not the contract): do it when the user is not the one on record. */
static int
auth_check_begun(struct conn *c, const char *user, const char *method)
{
	if (auth_ctx(c)->exceeded || c->authenticated) {
		return -1;
	}
	if (c->user == NULL || user == NULL || strcmp(c->user, user) != 0) {
		return auth_begin(c, user, method);
	}
	return 0;
}

int
auth_none(struct conn *c, const char *user)
{
	if (auth_check_begun(c, user, "none") != 0) {
		return SSH_AUTH_DENIED;
	}
	auth_failed(c, "none", NULL, NULL);
	return SSH_AUTH_DENIED;
}

int
auth_pubkey(struct conn *c, const char *user, ssh_key key,
    char signature_state)
{
	struct key_opts opts;
	char *info = NULL;
	int bits;

	authkeys_opts_init(&opts);
	if (auth_check_begun(c, user, "publickey") != 0 || key == NULL) {
		return SSH_AUTH_DENIED;
	}
	info = auth_keys_describe(c, key);
	if (signature_state != SSH_PUBLICKEY_STATE_NONE &&
	    signature_state != SSH_PUBLICKEY_STATE_VALID) {
		log_verbose("bad signature from %.100s (%s)", c->user, info);
		goto fail;
	}
	if (!c->cfg.pubkey_authentication) {
		log_debug("publickey authentication is disabled");
		goto fail;
	}
	if (!c->user_valid) {
		goto fail;
	}
	if (!auth_key_alg_ok(c, key)) {
		log_info("userauth_pubkey: key type %s not in "
		    "PubkeyAcceptedAlgorithms [preauth]",
		    ssh_key_type_to_char(ssh_key_type(key)));
		goto fail;
	}
	if (ssh_key_type(key) == SSH_KEYTYPE_RSA &&
	    (bits = auth_keys_rsa_bits(key)) < c->cfg.required_rsa_size) {
		log_info("userauth_pubkey: refusing RSA key: Invalid key "
		    "length (%d bits < RequiredRSASize %d) [preauth]", bits,
		    c->cfg.required_rsa_size);
		goto fail;
	}
	if (auth_keys_find(c, key, &opts) != PC_OK) {
		goto fail;
	}
	if (signature_state == SSH_PUBLICKEY_STATE_NONE) {
		/* a probe: PK_OK, the client signs next; not a failure */
		log_verbose("Postponed publickey for %.100s from %.200s port "
		    "%d ssh2 [preauth]", c->user, c->client_addr,
		    c->client_port);
		authkeys_opts_free(&opts);
		free(info);
		return SSH_AUTH_SUCCESS;
	}
	if (!auth_user_root_allowed(c, "publickey", &opts)) {
		goto fail;
	}
#ifdef HAVE_PAM
	if (auth_use_pam(c) && pam_account(c) != PC_OK) {
		/* refused by PAM account: the connection is ended */
		authkeys_opts_free(&opts);
		free(info);
		return SSH_AUTH_DENIED;
	}
#endif
	auth_accepted(c, "publickey", NULL, info);
	authkeys_opts_free(&c->key_opts);
	c->key_opts = opts;
	c->have_key_opts = true;
	c->auth_method = "publickey";
	free(c->auth_info);
	c->auth_info = info;
	return SSH_AUTH_SUCCESS;
fail:
	authkeys_opts_free(&opts);
	auth_failed(c, "publickey", NULL, info);
	free(info);
	return SSH_AUTH_DENIED;
}

int
auth_password(struct conn *c, const char *user, const char *password)
{
#ifdef HAVE_PAM
	bool ok = true;
	int r;
#endif

	if (auth_check_begun(c, user, "password") != 0) {
		return SSH_AUTH_DENIED;
	}
	if (password == NULL) {
		password = "";
	}
	if (!c->cfg.password_authentication || !auth_use_pam(c) ||
	    auth_ctx(c)->name_bad) {
		/* XXX Without PAM there is no password check at all:
		 * checking shadow directly is out of scope. */
		auth_failed(c, "password", NULL, NULL);
		return SSH_AUTH_DENIED;
	}
#ifdef HAVE_PAM
	/* As OpenSSH auth_password(): refused cases still run PAM, with a
	 * password that cannot match, so they take as long. */
	if (!c->user_valid) {
		ok = false;
	}
	if (c->uid == 0 && c->cfg.permit_root_login != CFG_ROOT_YES) {
		ok = false;
	}
	if (password[0] == '\0' && !c->cfg.permit_empty_passwords) {
		ok = false;
	}
	r = pam_password(c, password, !ok);
	if (r != PC_OK || !ok) {
		auth_failed(c, "password", NULL, NULL);
		return SSH_AUTH_DENIED;
	}
	if (!auth_user_root_allowed(c, "password", NULL)) {
		auth_failed(c, "password", NULL, NULL);
		return SSH_AUTH_DENIED;
	}
	if (pam_account(c) != PC_OK) {
		return SSH_AUTH_DENIED;
	}
	auth_accepted(c, "password", NULL, NULL);
	c->auth_method = "password";
	return SSH_AUTH_SUCCESS;
#else
	return SSH_AUTH_DENIED;
#endif
}

int
auth_handle_message(struct conn *c, ssh_message msg)
{
	if (ssh_message_type(msg) != SSH_REQUEST_AUTH ||
	    ssh_message_subtype(msg) != SSH_AUTH_METHOD_INTERACTIVE) {
		return 1;
	}
	if (c->authenticated || auth_ctx(c)->exceeded) {
		return 1;
	}
	if (!ssh_message_auth_kbdint_is_response(msg) &&
	    auth_check_begun(c, ssh_message_auth_user(msg),
	    "keyboard-interactive") != 0) {
		return 1;
	}
	if (!c->cfg.kbd_interactive_authentication || !auth_use_pam(c) ||
	    auth_ctx(c)->name_bad) {
		auth_failed(c, "keyboard-interactive", NULL, NULL);
		return 1;
	}
#ifdef HAVE_PAM
	return pam_kbdint(c, msg);
#else
	return 1;
#endif
}

int
auth_finish(struct conn *c)
{
	if (!c->authenticated || c->user == NULL || !c->user_valid) {
		return PC_ERR_DENIED;
	}
#ifdef HAVE_PAM
	if (auth_use_pam(c) && pam_session_open(c) != PC_OK) {
		return PC_ERR_DENIED;
	}
#endif
	return PC_OK;
}

bool
auth_has_pam(const struct conn *c)
{
	return c->pam != NULL && c->pam->ps != NULL;
}

void
auth_cleanup(struct conn *c)
{
	struct pam_ctx *a = c->pam;

	if (a == NULL) {
		return;
	}
#ifdef HAVE_PAM
	pam_done(c);
#endif
	free(a->pk_algs);
	free(a);
	c->pam = NULL;
}
