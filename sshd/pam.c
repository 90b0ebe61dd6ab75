#include "config.h"

/*
 * PAM (UsePAM yes): password, keyboard-interactive, account, session.
 *
 * Keyboard-interactive needs PAM's conversation answered over the network
 * while pam_authenticate() blocks, so that call runs in a helper thread
 * and its conversation function talks to the connection's thread over a
 * socketpair, as OpenSSH's auth-pam.c does.  The connection thread never
 * touches the PAM handle while the helper runs (any other use stops the
 * helper first), and the helper never touches libssh.
 *
 * Wire format on the socketpair (host byte order, same process):
 *   helper -> main  'P' u32 n { u8 style, u32 len, bytes }*n   conversation
 *                   'R' i32 pam_result                          finished
 *   main -> helper  'A' u32 n { u32 len, bytes }*n   one answer per message
 * To abandon a conversation the main thread shuts the socket down.
 */

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <security/pam_appl.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/auth_int.h"
#include "sshd/pam.h"

#define PAM_CONV_MAX_MSG 32		/* PAM_MAX_NUM_MSG */
#define PAM_CONV_MAX_LEN 4096		/* one message or answer */
#define PAM_CONV_MAX_INFO 8192		/* text shown with the prompts */

/* A password no PAM module will accept (OpenSSH's badpw). */
static const char pam_badpw[] = "\b\n\r\177INCORRECT";

enum pam_mode { PAM_MODE_NONE, PAM_MODE_PASSWORD, PAM_MODE_KBDINT };

struct pam_state {
	pam_handle_t *h;
	struct pam_conv conv;
	enum pam_mode mode;
	const char *password;		/* PAM_MODE_PASSWORD */
	bool cred_set, session_open;
	/* keyboard-interactive */
	bool thread_running;
	pthread_t thread;
	int fd_main, fd_thread;
	int flags;
	unsigned int nmsg;		/* messages of the pending conversation */
	bool is_prompt[PAM_CONV_MAX_MSG];
	unsigned int nprompts;		/* sent in the last INFO_REQUEST */
	char info[PAM_CONV_MAX_INFO];	/* info/error text not yet shown */
};

/* ---- socketpair framing --------------------------------------------- */

static int
pam_io_write(int fd, const void *p, size_t n)
{
	const char *b = p;
	ssize_t w;

	while (n > 0) {
		w = send(fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR) {
			continue;
		}
		if (w <= 0) {
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
pam_io_read(int fd, void *p, size_t n)
{
	char *b = p;
	ssize_t r;

	while (n > 0) {
		r = read(fd, b, n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			return -1;
		}
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static int
pam_io_write_str(int fd, const char *s)
{
	uint32_t l = s != NULL ? (uint32_t)strnlen(s, PAM_CONV_MAX_LEN) : 0;

	if (pam_io_write(fd, &l, sizeof(l)) != 0) {
		return -1;
	}
	return l > 0 ? pam_io_write(fd, s, l) : 0;
}

/* A length-prefixed string into a new buffer (bounded). */
static char *
pam_io_read_str(int fd)
{
	uint32_t l;
	char *s;

	if (pam_io_read(fd, &l, sizeof(l)) != 0 || l > PAM_CONV_MAX_LEN) {
		return NULL;
	}
	s = xmalloc((size_t)l + 1);
	if (l > 0 && pam_io_read(fd, s, l) != 0) {
		free(s);
		return NULL;
	}
	s[l] = '\0';
	return s;
}

/* ---- the conversation ------------------------------------------------ */

static void
pam_free_resp(struct pam_response *r, int n)
{
	int i;

	if (r == NULL) {
		return;
	}
	for (i = 0; i < n; i++) {
		if (r[i].resp != NULL) {
			xfree_secret(r[i].resp);
		}
	}
	free(r);
}

static bool
pam_style_is_prompt(int style)
{
	return style == PAM_PROMPT_ECHO_OFF || style == PAM_PROMPT_ECHO_ON;
}

/* In the helper thread: send the messages, wait for the answers. */
static int
pam_conv_relay(struct pam_state *ps, int n, const struct pam_message **msg,
    struct pam_response *resp)
{
	uint32_t cnt = (uint32_t)n;
	uint8_t style;
	char type = 'P';
	int i;

	if (pam_io_write(ps->fd_thread, &type, 1) != 0 ||
	    pam_io_write(ps->fd_thread, &cnt, sizeof(cnt)) != 0) {
		return PAM_CONV_ERR;
	}
	for (i = 0; i < n; i++) {
		style = (uint8_t)msg[i]->msg_style;
		if (pam_io_write(ps->fd_thread, &style, 1) != 0 ||
		    pam_io_write_str(ps->fd_thread, msg[i]->msg) != 0) {
			return PAM_CONV_ERR;
		}
	}
	if (pam_io_read(ps->fd_thread, &type, 1) != 0 || type != 'A' ||
	    pam_io_read(ps->fd_thread, &cnt, sizeof(cnt)) != 0 ||
	    cnt != (uint32_t)n) {
		return PAM_CONV_ERR;
	}
	for (i = 0; i < n; i++) {
		if ((resp[i].resp = pam_io_read_str(ps->fd_thread)) == NULL) {
			return PAM_CONV_ERR;
		}
		if (!pam_style_is_prompt(msg[i]->msg_style)) {
			free(resp[i].resp);
			resp[i].resp = NULL;
		}
	}
	return PAM_SUCCESS;
}

static int
pam_conv_fn(int n, const struct pam_message **msg,
    struct pam_response **respp, void *appdata)
{
	struct pam_state *ps = appdata;
	struct pam_response *resp;
	int i, r = PAM_SUCCESS;

	*respp = NULL;
	if (n <= 0 || n > PAM_CONV_MAX_MSG) {
		return PAM_CONV_ERR;
	}
	resp = xcalloc((size_t)n, sizeof(*resp));
	if (ps->mode == PAM_MODE_KBDINT) {
		r = pam_conv_relay(ps, n, msg, resp);
		goto out;
	}
	for (i = 0; i < n && r == PAM_SUCCESS; i++) {
		switch (msg[i]->msg_style) {
		case PAM_PROMPT_ECHO_OFF:
			/* Only a password can be answered without a user
			 * at a prompt (OpenSSH sshpam_passwd_conv). */
			if (ps->mode != PAM_MODE_PASSWORD ||
			    ps->password == NULL) {
				r = PAM_CONV_ERR;
				break;
			}
			resp[i].resp = xstrdup(ps->password);
			break;
		case PAM_ERROR_MSG:
		case PAM_TEXT_INFO:
			log_debug("PAM: %.200s", msg[i]->msg != NULL ?
			    msg[i]->msg : "");
			break;
		default:
			r = PAM_CONV_ERR;
			break;
		}
	}
out:
	if (r != PAM_SUCCESS) {
		pam_free_resp(resp, n);
		return PAM_CONV_ERR;
	}
	*respp = resp;
	return PAM_SUCCESS;
}

/* ---- the handle -------------------------------------------------------- */

static struct pam_state *
pam_get(struct conn *c)
{
	struct pam_ctx *a = auth_ctx(c);
	struct pam_state *ps;
	int r;

	if (a->ps != NULL) {
		return a->ps;
	}
	ps = xcalloc(1, sizeof(*ps));
	ps->fd_main = ps->fd_thread = -1;
	ps->conv.conv = pam_conv_fn;
	ps->conv.appdata_ptr = ps;
	r = pam_start(PC_PAM_SERVICE, c->user, &ps->conv, &ps->h);
	if (r != PAM_SUCCESS) {
		log_error("PAM: initialisation failed: %s",
		    pam_strerror(NULL, r));
		free(ps);
		return NULL;
	}
	if ((r = pam_set_item(ps->h, PAM_RHOST, c->client_host != NULL ?
	    c->client_host : c->client_addr)) != PAM_SUCCESS ||
	    (r = pam_set_item(ps->h, PAM_TTY, "ssh")) != PAM_SUCCESS) {
		log_error("PAM: pam_set_item: %s", pam_strerror(ps->h, r));
		pam_end(ps->h, r);
		free(ps);
		return NULL;
	}
	a->ps = ps;
	return ps;
}

/* PAM must not hand us a different user than the one we checked. */
static bool
pam_user_unchanged(struct conn *c, struct pam_state *ps)
{
	const void *item = NULL;

	if (pam_get_item(ps->h, PAM_USER, &item) != PAM_SUCCESS ||
	    item == NULL || strcmp((const char *)item, c->user) != 0) {
		log_error("PAM: user name changed by a module (%.100s -> "
		    "%.100s); refused", c->user,
		    item != NULL ? (const char *)item : "(none)");
		return false;
	}
	return true;
}

static int
pam_auth_flags(const struct conn *c)
{
	return c->cfg.permit_empty_passwords ? 0 : PAM_DISALLOW_NULL_AUTHTOK;
}

/* ---- keyboard-interactive helper -------------------------------------- */

static void *
pam_kbd_thread(void *arg)
{
	struct pam_state *ps = arg;
	int32_t r;
	char type = 'R';

	r = pam_authenticate(ps->h, ps->flags);
	if (pam_io_write(ps->fd_thread, &type, 1) == 0) {
		(void)pam_io_write(ps->fd_thread, &r, sizeof(r));
	}
	return NULL;
}

static void
pam_kbd_reap(struct pam_state *ps)
{
	pthread_join(ps->thread, NULL);
	ps->thread_running = false;
	close(ps->fd_main);
	close(ps->fd_thread);
	ps->fd_main = ps->fd_thread = -1;
	ps->mode = PAM_MODE_NONE;
	ps->nmsg = ps->nprompts = 0;
	ps->info[0] = '\0';
}

/*
 * Abandon a conversation (the client moved on, or the exchange broke):
 * shutting the socket down makes the helper's conversation fail, so PAM
 * returns and the thread ends; its last write fails harmlessly.  No
 * protocol is needed, so a half-written frame cannot deadlock us.
 */
static void
pam_kbd_stop(struct pam_state *ps)
{
	if (!ps->thread_running) {
		return;
	}
	shutdown(ps->fd_main, SHUT_RDWR);
	pam_kbd_reap(ps);
}

static void
pam_info_add(struct pam_state *ps, const char *s)
{
	size_t l = strlen(ps->info);

	snprintf(ps->info + l, sizeof(ps->info) - l, "%s%s", s,
	    s[0] != '\0' && s[strlen(s) - 1] == '\n' ? "" : "\n");
}

/* Send empty answers for a conversation that had no prompt. */
static int
pam_kbd_answer_empty(struct pam_state *ps)
{
	uint32_t n = ps->nmsg, i;
	char type = 'A';

	if (pam_io_write(ps->fd_main, &type, 1) != 0 ||
	    pam_io_write(ps->fd_main, &n, sizeof(n)) != 0) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (pam_io_write_str(ps->fd_main, "") != 0) {
			return -1;
		}
	}
	return 0;
}

/* The helper finished with r: the verdict, and the reply to msg. */
static int
pam_kbd_result(struct conn *c, struct pam_state *ps, ssh_message msg,
    int r)
{
	pam_kbd_reap(ps);
	if (r != PAM_SUCCESS || !c->user_valid ||
	    !pam_user_unchanged(c, ps)) {
		if (r != PAM_SUCCESS) {
			log_debug("PAM: keyboard-interactive for %.100s: %s",
			    c->user, pam_strerror(ps->h, r));
		}
		auth_failed(c, "keyboard-interactive", "pam", NULL);
		return 1;
	}
	if (!auth_user_root_allowed(c, "keyboard-interactive", NULL)) {
		auth_failed(c, "keyboard-interactive", "pam", NULL);
		return 1;
	}
	if (pam_account(c) != PC_OK) {
		return 1;
	}
	auth_accepted(c, "keyboard-interactive", "pam", NULL);
	c->auth_method = "keyboard-interactive";
	if (ssh_message_auth_reply_success(msg, 0) != SSH_OK) {
		log_error("could not send the authentication success");
		return 0;
	}
	c->authenticated = true;
	return 0;
}

/* Read what the helper says next and answer the client accordingly. */
static int
pam_kbd_step(struct conn *c, struct pam_state *ps, ssh_message msg)
{
	const char *prompts[PAM_CONV_MAX_MSG];
	char *texts[PAM_CONV_MAX_MSG], echo[PAM_CONV_MAX_MSG];
	uint32_t n, i;
	uint8_t style;
	int32_t r;
	char type;
	int ret;

	for (;;) {
		if (pam_io_read(ps->fd_main, &type, 1) != 0) {
			goto broken;
		}
		if (type == 'R') {
			if (pam_io_read(ps->fd_main, &r, sizeof(r)) != 0) {
				goto broken;
			}
			return pam_kbd_result(c, ps, msg, r);
		}
		if (type != 'P' || pam_io_read(ps->fd_main, &n,
		    sizeof(n)) != 0 || n == 0 || n > PAM_CONV_MAX_MSG) {
			goto broken;
		}
		ps->nmsg = n;
		ps->nprompts = 0;
		for (i = 0; i < n; i++) {
			texts[i] = NULL;
		}
		for (i = 0; i < n; i++) {
			if (pam_io_read(ps->fd_main, &style, 1) != 0 ||
			    (texts[i] = pam_io_read_str(ps->fd_main)) ==
			    NULL) {
				goto broken_free;
			}
			ps->is_prompt[i] = pam_style_is_prompt(style);
			if (ps->is_prompt[i]) {
				echo[ps->nprompts] =
				    style == PAM_PROMPT_ECHO_ON;
				prompts[ps->nprompts++] = texts[i];
			} else {
				pam_info_add(ps, texts[i]);
			}
		}
		if (ps->nprompts == 0) {
			for (i = 0; i < n; i++) {
				free(texts[i]);
			}
			if (pam_kbd_answer_empty(ps) != 0) {
				goto broken;
			}
			continue;
		}
		/* RFC 4256 3.2: name, instruction, prompts */
		ret = ssh_message_auth_interactive_request(msg, "", ps->info,
		    ps->nprompts, prompts, echo);
		ps->info[0] = '\0';
		for (i = 0; i < n; i++) {
			free(texts[i]);
		}
		if (ret != SSH_OK) {
			log_error("could not send the keyboard-interactive "
			    "prompts");
			pam_kbd_stop(ps);
			return 1;
		}
		return 0;
	}
broken_free:
	for (i = 0; i < ps->nmsg; i++) {
		free(texts[i]);
	}
broken:
	log_error("PAM: keyboard-interactive helper failed");
	pam_kbd_stop(ps);
	auth_failed(c, "keyboard-interactive", "pam", NULL);
	return 1;
}

/* The client's answers to our last prompts go to the helper. */
static int
pam_kbd_answers(struct conn *c, struct pam_state *ps)
{
	uint32_t n = ps->nmsg, i;
	unsigned int k = 0;
	const char *ans;
	char type = 'A';
	int na;

	na = ssh_userauth_kbdint_getnanswers(c->session);
	if (na < 0 || (unsigned int)na != ps->nprompts) {
		log_info("keyboard-interactive: %d answers for %u prompts from "
		    "%.200s", na, ps->nprompts, c->client_addr);
		return -1;
	}
	if (pam_io_write(ps->fd_main, &type, 1) != 0 ||
	    pam_io_write(ps->fd_main, &n, sizeof(n)) != 0) {
		return -1;
	}
	for (i = 0; i < n; i++) {
		ans = "";
		if (ps->is_prompt[i]) {
			ans = ssh_userauth_kbdint_getanswer(c->session, k++);
			if (ans == NULL || strlen(ans) >= PAM_CONV_MAX_LEN) {
				return -1;
			}
		}
		if (pam_io_write_str(ps->fd_main, ans) != 0) {
			return -1;
		}
	}
	ps->nmsg = 0;
	return 0;
}

int
pam_kbdint(struct conn *c, ssh_message msg)
{
	struct pam_state *ps;
	int sv[2];

	if ((ps = pam_get(c)) == NULL) {
		auth_failed(c, "keyboard-interactive", "pam", NULL);
		return 1;
	}
	if (ssh_message_auth_kbdint_is_response(msg)) {
		if (!ps->thread_running || ps->nmsg == 0) {
			log_debug("keyboard-interactive response without a "
			    "pending question");
			auth_failed(c, "keyboard-interactive", "pam", NULL);
			return 1;
		}
		if (pam_kbd_answers(c, ps) != 0) {
			pam_kbd_stop(ps);
			auth_failed(c, "keyboard-interactive", "pam", NULL);
			return 1;
		}
		return pam_kbd_step(c, ps, msg);
	}
	/* a new request: a conversation the client abandoned ends now */
	pam_kbd_stop(ps);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("socketpair: %s", strerror(errno));
		auth_failed(c, "keyboard-interactive", "pam", NULL);
		return 1;
	}
	ps->fd_main = sv[0];
	ps->fd_thread = sv[1];
	ps->mode = PAM_MODE_KBDINT;
	ps->flags = pam_auth_flags(c);
	ps->nmsg = ps->nprompts = 0;
	ps->info[0] = '\0';
	if (pthread_create(&ps->thread, NULL, pam_kbd_thread, ps) != 0) {
		log_error("cannot start the PAM helper thread");
		close(sv[0]);
		close(sv[1]);
		ps->fd_main = ps->fd_thread = -1;
		ps->mode = PAM_MODE_NONE;
		auth_failed(c, "keyboard-interactive", "pam", NULL);
		return 1;
	}
	ps->thread_running = true;
	return pam_kbd_step(c, ps, msg);
}

/* ---- password, account, session ---------------------------------------- */

int
pam_password(struct conn *c, const char *password, bool force_fail)
{
	struct pam_state *ps;
	int r;

	if ((ps = pam_get(c)) == NULL) {
		return PC_ERR_DENIED;
	}
	pam_kbd_stop(ps);
	ps->mode = PAM_MODE_PASSWORD;
	ps->password = force_fail ? pam_badpw : password;
	r = pam_authenticate(ps->h, pam_auth_flags(c));
	ps->password = NULL;
	ps->mode = PAM_MODE_NONE;
	if (r == PAM_SUCCESS && !force_fail && pam_user_unchanged(c, ps)) {
		return PC_OK;
	}
	log_debug("PAM: password authentication failed for %.100s: %s",
	    c->user, pam_strerror(ps->h, r));
	return PC_ERR_DENIED;
}

int
pam_account(struct conn *c)
{
	struct pam_state *ps;
	int r;

	if ((ps = pam_get(c)) == NULL) {
		r = PAM_SYSTEM_ERR;
		goto refused;
	}
	pam_kbd_stop(ps);
	r = pam_acct_mgmt(ps->h, 0);
	if (r == PAM_SUCCESS) {
		return PC_OK;
	}
	if (r == PAM_NEW_AUTHTOK_REQD) {
		/* XXX no password change dialogue: refused instead */
		log_info("PAM: password of %.100s has expired; changing it "
		    "over SSH is not supported", c->user);
	}
	log_debug("PAM: pam_acct_mgmt for %.100s: %s", c->user,
	    pam_strerror(ps->h, r));
refused:
	log_error("Access denied for user %.100s by PAM account "
	    "configuration [preauth]", c->user);
	auth_disconnect(c, "Access denied by PAM account configuration");
	return PC_ERR_DENIED;
}

int
pam_session_open(struct conn *c)
{
	struct pam_state *ps;
	char **env;
	int r;

	if ((ps = pam_get(c)) == NULL) {
		return PC_ERR_DENIED;
	}
	pam_kbd_stop(ps);
	if ((r = pam_setcred(ps->h, PAM_ESTABLISH_CRED)) != PAM_SUCCESS) {
		log_error("PAM: pam_setcred(): %s", pam_strerror(ps->h, r));
		return PC_ERR_DENIED;
	}
	ps->cred_set = true;
	if ((r = pam_open_session(ps->h, 0)) != PAM_SUCCESS) {
		log_error("PAM: pam_open_session(): %s",
		    pam_strerror(ps->h, r));
		return PC_ERR_DENIED;
	}
	ps->session_open = true;
	if ((env = pam_getenvlist(ps->h)) != NULL) {
		c->pam_env = env;	/* malloc'd by PAM; free() frees it */
	}
	return PC_OK;
}

void
pam_done(struct conn *c)
{
	struct pam_ctx *a = c->pam;
	struct pam_state *ps;
	int r;

	if (a == NULL || (ps = a->ps) == NULL) {
		return;
	}
	pam_kbd_stop(ps);
	if (ps->session_open &&
	    (r = pam_close_session(ps->h, 0)) != PAM_SUCCESS) {
		log_error("PAM: pam_close_session(): %s",
		    pam_strerror(ps->h, r));
	}
	if (ps->cred_set &&
	    (r = pam_setcred(ps->h, PAM_DELETE_CRED)) != PAM_SUCCESS) {
		log_debug("PAM: pam_setcred(PAM_DELETE_CRED): %s",
		    pam_strerror(ps->h, r));
	}
	pam_end(ps->h, PAM_SUCCESS);
	free(ps);
	a->ps = NULL;
}
