/*
 * A small PAM module for the integration tests (never installed).
 *
 *   auth     name=N code=C [rounds=1|2] [user=U]
 *            Asks "Name: " (echo on) and "Code: " (echo off) after an
 *            info line, in one conversation call (rounds=1, default) or
 *            two (rounds=2); succeeds when the answers are N and C (and
 *            the user is U, if given).
 *   account  [expired=U1,U2,...]  PAM_ACCT_EXPIRED for those users.
 *   session  [log=FILE]  appends "open USER uid=EUID" / "close USER
 *            uid=EUID" to FILE; open also sets PC_PAM_TEST=1 in the PAM
 *            environment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAM_SM_AUTH
#define PAM_SM_ACCOUNT
#define PAM_SM_SESSION
#include <security/pam_appl.h>
#include <security/pam_modules.h>

/* The value of "key=" among the module arguments, or NULL. */
static const char *
arg(int argc, const char **argv, const char *key)
{
	size_t n = strlen(key);
	int i;

	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], key, n) == 0 && argv[i][n] == '=') {
			return argv[i] + n + 1;
		}
	}
	return NULL;
}

static int
ask(pam_handle_t *pamh, int n, struct pam_message *m, char **answers)
{
	const struct pam_message *mp[3];
	const struct pam_conv *conv = NULL;
	struct pam_response *resp = NULL;
	int i, r, k = 0;

	r = pam_get_item(pamh, PAM_CONV, (const void **)&conv);
	if (r != PAM_SUCCESS || conv == NULL || conv->conv == NULL) {
		return PAM_CONV_ERR;
	}
	for (i = 0; i < n; i++) {
		mp[i] = &m[i];
	}
	r = conv->conv(n, mp, &resp, conv->appdata_ptr);
	if (r != PAM_SUCCESS || resp == NULL) {
		return PAM_CONV_ERR;
	}
	for (i = 0; i < n; i++) {
		if (m[i].msg_style == PAM_PROMPT_ECHO_ON ||
		    m[i].msg_style == PAM_PROMPT_ECHO_OFF) {
			answers[k++] = resp[i].resp;
			resp[i].resp = NULL;
		}
		free(resp[i].resp);
	}
	free(resp);
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	const char *want_name = arg(argc, argv, "name");
	const char *want_code = arg(argc, argv, "code");
	const char *rounds = arg(argc, argv, "rounds");
	const char *only = arg(argc, argv, "user");
	const char *user = NULL;
	char *ans[2] = { NULL, NULL };
	struct pam_message m[3];
	int r;

	(void)flags;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL) {
		return PAM_USER_UNKNOWN;
	}
	m[0].msg_style = PAM_TEXT_INFO;
	m[0].msg = "portcullis test module";
	m[1].msg_style = PAM_PROMPT_ECHO_ON;
	m[1].msg = "Name: ";
	m[2].msg_style = PAM_PROMPT_ECHO_OFF;
	m[2].msg = "Code: ";
	if (rounds != NULL && strcmp(rounds, "2") == 0) {
		r = ask(pamh, 2, m, ans);
		if (r == PAM_SUCCESS) {
			r = ask(pamh, 1, m + 2, ans + 1);
		}
	} else {
		r = ask(pamh, 3, m, ans);
	}
	if (r == PAM_SUCCESS) {
		r = PAM_AUTH_ERR;
		if (ans[0] != NULL && ans[1] != NULL && want_name != NULL &&
		    want_code != NULL && strcmp(ans[0], want_name) == 0 &&
		    strcmp(ans[1], want_code) == 0 &&
		    (only == NULL || strcmp(only, user) == 0)) {
			r = PAM_SUCCESS;
		}
	}
	free(ans[0]);
	free(ans[1]);
	return r;
}

PAM_EXTERN int
pam_sm_setcred(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)pamh;
	(void)flags;
	(void)argc;
	(void)argv;
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_acct_mgmt(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	const char *expired = arg(argc, argv, "expired");
	const char *user = NULL, *p;
	size_t n;

	(void)flags;
	if (expired == NULL) {
		return PAM_SUCCESS;
	}
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || user == NULL) {
		return PAM_USER_UNKNOWN;
	}
	for (p = expired; *p != '\0';) {
		n = strcspn(p, ",");
		if (n == strlen(user) && strncmp(p, user, n) == 0) {
			return PAM_ACCT_EXPIRED;
		}
		p += n;
		if (*p == ',') {
			p++;
		}
	}
	return PAM_SUCCESS;
}

static int
session_log(pam_handle_t *pamh, int argc, const char **argv,
    const char *what)
{
	const char *path = arg(argc, argv, "log");
	const char *user = NULL;
	FILE *f;

	if (path == NULL) {
		return PAM_SUCCESS;
	}
	(void)pam_get_user(pamh, &user, NULL);
	if ((f = fopen(path, "a")) == NULL) {
		return PAM_SESSION_ERR;
	}
	fprintf(f, "%s %s uid=%ld\n", what, user != NULL ? user : "?",
	    (long)geteuid());
	fclose(f);
	return PAM_SUCCESS;
}

PAM_EXTERN int
pam_sm_open_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	(void)flags;
	if (pam_putenv(pamh, "PC_PAM_TEST=1") != PAM_SUCCESS) {
		return PAM_SESSION_ERR;
	}
	return session_log(pamh, argc, argv, "open");
}

PAM_EXTERN int
pam_sm_close_session(pam_handle_t *pamh, int flags, int argc,
    const char **argv)
{
	(void)flags;
	return session_log(pamh, argc, argv, "close");
}
