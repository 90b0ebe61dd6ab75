/*
 * Pseudo-terminals for "pty-req" (RFC 4254 6.2) and "window-change"
 * (6.7).  The session loop already runs as the user, so the kernel creates
 * the slave owned by the user; we only make sure of the mode (0620, group
 * tty when we can), as OpenSSH's pty_setowner() does.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "sshd/session_int.h"

void
session_pty_init(struct session_pty *p)
{
	p->master = -1;
	p->slave = -1;
	p->name[0] = '\0';
}

/* Client numbers are uint32 on the wire; a winsize field is 16 bits. */
static unsigned short
session_pty_clamp(int v)
{
	if (v < 0) {
		return 0;
	}
	if (v > 0xffff) {
		return 0xffff;
	}
	return (unsigned short)v;
}

static void
session_pty_winsize(struct winsize *ws, int cols, int rows, int xpix,
    int ypix)
{
	memset(ws, 0, sizeof(*ws));
	ws->ws_col = session_pty_clamp(cols);
	ws->ws_row = session_pty_clamp(rows);
	ws->ws_xpixel = session_pty_clamp(xpix);
	ws->ws_ypixel = session_pty_clamp(ypix);
}

static int
session_pty_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFD)) == -1 ||
	    fcntl(fd, F_SETFD, fl | FD_CLOEXEC) == -1) {
		return PC_ERR_SYSTEM;
	}
	return 0;
}

int
session_pty_open(struct session_pty *p, int cols, int rows, int xpix,
    int ypix)
{
	struct winsize ws;
	struct group *gr;
	gid_t gid = (gid_t)-1;
	int r = PC_ERR_SYSTEM;

	session_pty_winsize(&ws, cols, rows, xpix, ypix);
	if (openpty(&p->master, &p->slave, NULL, NULL, &ws) == -1) {
		log_error("openpty: %s", strerror(errno));
		p->master = p->slave = -1;
		return PC_ERR_SYSTEM;
	}
	if (session_pty_cloexec(p->master) != 0 ||
	    session_pty_cloexec(p->slave) != 0) {
		log_error("fcntl(FD_CLOEXEC) on pty: %s", strerror(errno));
		goto out;
	}
	if ((errno = ttyname_r(p->slave, p->name, sizeof(p->name))) != 0) {
		log_error("ttyname_r: %s", strerror(errno));
		goto out;
	}
	if ((gr = getgrnam("tty")) != NULL) {
		gid = gr->gr_gid;
	}
	/* Best effort: devpts normally did this already (gid=5,mode=620);
	 * a non-root user cannot give the slave to a group it is not in. */
	if (fchown(p->slave, getuid(), gid) == -1 &&
	    fchown(p->slave, getuid(), (gid_t)-1) == -1) {
		log_debug("fchown %s: %s", p->name, strerror(errno));
	}
	if (fchmod(p->slave, S_IRUSR | S_IWUSR | S_IWGRP) == -1) {
		log_debug("fchmod %s: %s", p->name, strerror(errno));
	}
	r = 0;
out:
	if (r != 0) {
		session_pty_close(p);
	}
	return r;
}

int
session_pty_resize(struct session_pty *p, int cols, int rows, int xpix,
    int ypix)
{
	struct winsize ws;

	if (p->master == -1) {
		return PC_ERR_INVAL;
	}
	session_pty_winsize(&ws, cols, rows, xpix, ypix);
	if (ioctl(p->master, TIOCSWINSZ, &ws) == -1) {
		log_debug("TIOCSWINSZ: %s", strerror(errno));
		return PC_ERR_SYSTEM;
	}
	return 0;
}

void
session_pty_close(struct session_pty *p)
{
	if (p->slave != -1) {
		close(p->slave);
	}
	if (p->master != -1) {
		close(p->master);
	}
	session_pty_init(p);
}
