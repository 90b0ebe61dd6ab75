/*
 * The session loop: one libssh ssh_event per connection process.
 *
 * libssh's event is poll(2) over a flat array with no "modify" call; a
 * handle must never be removed from inside libssh's own iteration (the
 * array is compacted under the loop index and the handle written after the
 * callback returns), and libssh runs poll rounds recursively from inside
 * ssh_channel_write() and friends (notes/libssh-0.10-server.md 2.4).  So:
 *
 *  - every fd has one struct sloop_watch; its address is the userdata
 *    libssh holds, and it stays allocated until the handle is gone;
 *  - sloop_watch/unwatch/close only record what is wanted; sloop_apply()
 *    makes libssh's set match, outside any ssh_event_dopoll();
 *  - an fd whose interest is 0 is taken out of libssh's set entirely, so
 *    POLLHUP/POLLERR on an fd nobody wants to service cannot spin;
 *  - a watch that was dropped (dead) ignores late events: a recursive round
 *    may still report an fd whose number was closed and reused.
 *
 * Our fds are not in libssh's poll array but in one epoll set whose fd is
 * (sloop_ep_cb): libssh's poll(2) then covers two fds however many
 * channels are open.  libssh 0.10 reads the transport 4 KiB per round, so
 * with 100 forwarded connections a poll over 200 fds every 4 KiB was most
 * of the connection's system time (readahead.c now answers most of those
 * rounds from one 256 KiB read without a system call; the rounds remain).
 * epoll is level-triggered like poll, reports ERR/HUP unasked like poll,
 * and an fd epoll refuses (a regular file) goes into libssh's array
 * directly as before.
 *
 * One round: apply -> ssh_event_dopoll(timeout) -> tick hooks -> woken
 * tasks.  Ticks and tasks are the bookkeeping pass of DESIGN.md 'Loop
 * discipline'.  A tick runs every round; a task only when woken (its
 * owner's callbacks wake it), so a connection with many idle channels does
 * not pay for them on every round.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/loop.h"
#include "sshd/readahead.h"

/* Ceiling of one poll round when nobody asked for less: a safety net
 * against a missed edge, not a timer anyone relies on. */
#define SLOOP_DEFAULT_TIMEOUT_MS 1000
/* epoll events taken per wake-up of the epoll fd; more stay ready */
#define SLOOP_EP_BATCH 64

struct sloop_watch {
	int fd;
	short want;		/* events requested by the owner */
	short reg;		/* events registered with libssh; 0 = not */
	bool dead;		/* unwatched: ignore events, free in apply */
	bool close_fd;		/* close fd once unregistered */
	bool dirty;		/* on the dirty list */
	bool direct;		/* registered with libssh, not epoll */
	sloop_fd_fn fn;
	void *arg;
	struct sloop_watch *next_dead;
};

struct sloop_tick {
	sloop_tick_fn fn;
	void *arg;
	int id;
};

struct sloop_task {
	struct sloop *l;
	sloop_tick_fn fn;
	void *arg;
	bool queued;		/* on the run queue (or the pass's list) */
	bool freed;		/* owner freed it while queued */
	struct sloop_task *next;
};

struct sloop {
	ssh_session session;
	ssh_event ev;
	int epfd;			/* our fds; -1: all in libssh's set */
	struct sloop_watch **byfd;	/* live watches, indexed by fd */
	size_t nbyfd;
	struct sloop_watch **dirty;	/* want != reg, to re-register */
	size_t ndirty, capdirty;
	struct sloop_watch *dead;	/* unwatched, not yet unregistered */
	struct sloop_tick *ticks;
	size_t nticks, capticks;
	bool ticks_dirty;		/* removed ticks to compact */
	int next_tick_id;
	struct sloop_task *tq_head;	/* woken tasks, wake order */
	struct sloop_task *tq_tail;
	bool in_tasks;			/* the task pass is running */
	int want_ms;			/* -1: default */
	bool running, stop;
};

long long
sloop_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sloop_ep_cb(socket_t fd, int revents, void *userdata);

struct sloop *
sloop_new(ssh_session session)
{
	struct sloop *l;

	if (session == NULL)
		return NULL;
	l = xcalloc(1, sizeof(*l));
	l->session = session;
	l->want_ms = -1;
	l->next_tick_id = 1;
	if ((l->ev = ssh_event_new()) == NULL) {
		log_error("ssh_event_new failed");
		free(l);
		return NULL;
	}
	if (ssh_event_add_session(l->ev, session) != SSH_OK) {
		log_error("cannot add the session to the event loop");
		ssh_event_free(l->ev);
		free(l);
		return NULL;
	}
	if ((l->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		log_debug("epoll_create1: %s", strerror(errno));
	} else if (ssh_event_add_fd(l->ev, l->epfd, POLLIN, sloop_ep_cb,
	    l) != SSH_OK) {
		close(l->epfd);
		l->epfd = -1;
	}
	return l;
}

ssh_event
sloop_event(struct sloop *l)
{
	return l->ev;
}

ssh_session
sloop_session(struct sloop *l)
{
	return l->session;
}

bool
sloop_running(const struct sloop *l)
{
	return l->running;
}

/* libssh's callback; userdata is the watch.  Never returns < 0 (that
 * means "handle removed" to libssh). */
static int
sloop_fd_cb(socket_t fd, int revents, void *userdata)
{
	struct sloop_watch *w = userdata;

	if (w->dead || w->fn == NULL)
		return 0;
	w->fn(fd, (short)revents, w->arg);
	return 0;
}

/* The epoll fd is readable: dispatch what is ready.  A recursive libssh
 * round may run inside a watch callback and come here again; each level
 * has its own batch, and callbacks only set flags, so a repeat is
 * harmless.  Watches are freed only in sloop_apply(), outside any round. */
static int
sloop_ep_cb(socket_t fd, int revents, void *userdata)
{
	struct sloop *l = userdata;
	struct epoll_event evs[SLOOP_EP_BATCH];
	struct sloop_watch *w;
	int i, n;

	(void)fd;
	(void)revents;
	do {
		n = epoll_wait(l->epfd, evs, SLOOP_EP_BATCH, 0);
	} while (n < 0 && errno == EINTR);
	for (i = 0; i < n; i++) {
		w = evs[i].data.ptr;
		if (w->dead || w->fn == NULL)
			continue;
		w->fn(w->fd, (short)(evs[i].events & (EPOLLIN | EPOLLPRI |
		    EPOLLOUT | EPOLLERR | EPOLLHUP)), w->arg);
	}
	return 0;
}

static void
sloop_unreg(struct sloop *l, struct sloop_watch *w)
{
	if (w->reg == 0)
		return;
	if (w->direct)
		(void)ssh_event_remove_fd(l->ev, w->fd);
	else
		(void)epoll_ctl(l->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->reg = 0;
	w->direct = false;
}

/* Register w->want; false if nothing took it (retry next round). */
static bool
sloop_reg(struct sloop *l, struct sloop_watch *w)
{
	struct epoll_event ev;

	if (l->epfd >= 0) {
		memset(&ev, 0, sizeof(ev));
		ev.events = (uint32_t)w->want;	/* POLL* == EPOLL* bits */
		ev.data.ptr = w;
		if (w->reg != 0 && !w->direct) {
			if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, w->fd, &ev) == 0)
				return true;
			sloop_unreg(l, w);
		}
		if (w->reg == 0 &&
		    epoll_ctl(l->epfd, EPOLL_CTL_ADD, w->fd, &ev) == 0)
			return true;
		if (errno != EPERM)
			log_debug("epoll_ctl fd %d: %s", w->fd,
			    strerror(errno));
	}
	sloop_unreg(l, w);
	if (ssh_event_add_fd(l->ev, w->fd, w->want, sloop_fd_cb, w) !=
	    SSH_OK)
		return false;
	w->direct = true;
	return true;
}

static void
sloop_mark_dirty(struct sloop *l, struct sloop_watch *w)
{
	if (w->dirty)
		return;
	if (l->ndirty == l->capdirty) {
		l->capdirty = l->capdirty ? l->capdirty * 2 : 16;
		l->dirty = xreallocarray(l->dirty, l->capdirty,
		    sizeof(*l->dirty));
	}
	l->dirty[l->ndirty++] = w;
	w->dirty = true;
}

int
sloop_watch(struct sloop *l, int fd, short events, sloop_fd_fn fn, void *arg)
{
	struct sloop_watch *w;
	size_t n;

	if (fd < 0 || fn == NULL)
		return PC_ERR_INVAL;
	if ((size_t)fd >= l->nbyfd) {
		n = l->nbyfd ? l->nbyfd : 64;
		while (n <= (size_t)fd)
			n *= 2;
		l->byfd = xreallocarray(l->byfd, n, sizeof(*l->byfd));
		memset(l->byfd + l->nbyfd, 0,
		    (n - l->nbyfd) * sizeof(*l->byfd));
		l->nbyfd = n;
	}
	if ((w = l->byfd[fd]) == NULL) {
		w = xcalloc(1, sizeof(*w));
		w->fd = fd;
		l->byfd[fd] = w;
	}
	w->fn = fn;
	w->arg = arg;
	events &= (short)(POLLIN | POLLOUT | POLLPRI);
	if (w->want != events) {
		w->want = events;
		sloop_mark_dirty(l, w);
	}
	return PC_OK;
}

/* Detach the live watch of fd (if any); true if it was registered. */
static bool
sloop_drop(struct sloop *l, int fd, bool close_fd)
{
	struct sloop_watch *w;

	if (fd < 0 || (size_t)fd >= l->nbyfd || (w = l->byfd[fd]) == NULL)
		return false;
	l->byfd[fd] = NULL;
	w->dead = true;
	w->fn = NULL;
	w->close_fd = close_fd && w->reg != 0;
	w->next_dead = l->dead;
	l->dead = w;
	return w->reg != 0;
}

static void sloop_apply(struct sloop *l);

void
sloop_unwatch(struct sloop *l, int fd)
{
	(void)sloop_drop(l, fd, false);
	if (!l->running)
		sloop_apply(l);
}

void
sloop_close(struct sloop *l, int fd)
{
	if (fd < 0)
		return;
	/* Not in libssh's set: nothing can poll the number any more. */
	if (!sloop_drop(l, fd, true))
		close(fd);
	else if (!l->running)
		sloop_apply(l);	/* outside any poll round: now */
}

/* Make libssh's poll set match what the owners want.  Never called from
 * inside ssh_event_dopoll(). */
static void
sloop_apply(struct sloop *l)
{
	struct sloop_watch *w, *next;
	size_t i, j;

	/* Unregister dropped watches first: a live watch may already use
	 * the same (reused) fd number and is registered below. */
	for (w = l->dead; w != NULL; w = w->next_dead) {
		sloop_unreg(l, w);
		if (w->close_fd) {
			close(w->fd);
			w->close_fd = false;
		}
	}
	for (i = j = 0; i < l->ndirty; i++) {
		w = l->dirty[i];
		w->dirty = false;
		if (w->dead || w->want == w->reg)
			continue;
		if (w->want == 0) {
			sloop_unreg(l, w);
			continue;
		}
		if (w->direct)
			sloop_unreg(l, w);	/* libssh has no "modify" */
		if (!sloop_reg(l, w)) {
			/* Out of memory in libssh: retry next round. */
			log_error("cannot watch fd %d", w->fd);
			w->dirty = true;
			l->dirty[j++] = w;
			sloop_want_timeout(l, 100);
			continue;
		}
		w->reg = w->want;
	}
	l->ndirty = j;
	for (w = l->dead; w != NULL; w = next) {
		next = w->next_dead;
		free(w);
	}
	l->dead = NULL;
}

int
sloop_add_tick(struct sloop *l, sloop_tick_fn fn, void *arg)
{
	if (fn == NULL)
		return PC_ERR_INVAL;
	if (l->nticks == l->capticks) {
		l->capticks = l->capticks ? l->capticks * 2 : 16;
		l->ticks = xreallocarray(l->ticks, l->capticks,
		    sizeof(*l->ticks));
	}
	l->ticks[l->nticks].fn = fn;
	l->ticks[l->nticks].arg = arg;
	l->ticks[l->nticks].id = l->next_tick_id;
	l->nticks++;
	if (++l->next_tick_id <= 0)
		l->next_tick_id = 1;
	return l->ticks[l->nticks - 1].id;
}

void
sloop_remove_tick(struct sloop *l, int id)
{
	size_t i;

	for (i = 0; i < l->nticks; i++) {
		if (l->ticks[i].id == id) {
			/* compacted after the tick pass */
			l->ticks[i].fn = NULL;
			l->ticks_dirty = true;
			return;
		}
	}
}

static void
sloop_run_ticks(struct sloop *l)
{
	size_t i, j, n = l->nticks;

	/* Ticks added during the pass run next round; the array may move. */
	for (i = 0; i < n; i++) {
		if (l->ticks[i].fn != NULL)
			l->ticks[i].fn(l->ticks[i].arg);
	}
	if (!l->ticks_dirty)
		return;
	for (i = j = 0; i < l->nticks; i++) {
		if (l->ticks[i].fn != NULL)
			l->ticks[j++] = l->ticks[i];
	}
	l->nticks = j;
	l->ticks_dirty = false;
}

struct sloop_task *
sloop_task_new(struct sloop *l, sloop_tick_fn fn, void *arg)
{
	struct sloop_task *t;

	if (l == NULL || fn == NULL)
		return NULL;
	t = xcalloc(1, sizeof(*t));
	t->l = l;
	t->fn = fn;
	t->arg = arg;
	return t;
}

static void
sloop_task_queue(struct sloop_task *t)
{
	struct sloop *l = t->l;

	t->queued = true;
	t->next = NULL;
	if (l->tq_tail != NULL)
		l->tq_tail->next = t;
	else
		l->tq_head = t;
	l->tq_tail = t;
}

void
sloop_task_wake(struct sloop_task *t)
{
	if (t == NULL || t->freed || t->queued)
		return;
	sloop_task_queue(t);
	if (t->l->in_tasks)
		sloop_want_timeout(t->l, 0);
}

void
sloop_task_again(struct sloop_task *t)
{
	if (t == NULL || t->freed || t->queued)
		return;
	sloop_task_queue(t);
}

void
sloop_task_free(struct sloop_task *t)
{
	if (t == NULL)
		return;
	if (t->queued) {
		/* still linked: the pass (or sloop_free) frees it */
		t->freed = true;
		t->fn = NULL;
		return;
	}
	free(t);
}

/* Run the tasks woken so far; tasks woken meanwhile go to a fresh queue
 * and run next round. */
static void
sloop_run_tasks(struct sloop *l)
{
	struct sloop_task *t, *next;

	t = l->tq_head;
	l->tq_head = l->tq_tail = NULL;
	l->in_tasks = true;
	for (; t != NULL; t = next) {
		next = t->next;
		t->queued = false;
		if (t->freed) {
			free(t);
			continue;
		}
		/* may free t (not queued now: freed at once) or wake it */
		t->fn(t->arg);
	}
	l->in_tasks = false;
}

void
sloop_want_timeout(struct sloop *l, int ms)
{
	if (ms < 0)
		ms = 0;
	if (l->want_ms < 0 || ms < l->want_ms)
		l->want_ms = ms;
}

static bool
sloop_session_ended(struct sloop *l)
{
	return !ssh_is_connected(l->session) ||
	    (ssh_get_status(l->session) & (SSH_CLOSED | SSH_CLOSED_ERROR)) != 0;
}

/* The loop is over: nothing reads the transport for the session any more
 * (what follows only sends), so the read-ahead buffer goes. */
static void
sloop_readahead_end(void)
{
	unsigned long long sys, served, cuts;

	readahead_stats(&sys, &served, &cuts);
	log_debug("session loop: transport read-ahead: %llu bytes in %llu "
	    "reads, %llu polls answered from the buffer", served, sys, cuts);
	readahead_stop();
}

int
sloop_run(struct sloop *l)
{
	int rc, timeout, r = PC_OK;

	ssh_set_blocking(l->session, 0);
	l->running = true;
	l->stop = false;
	/* Transport reads of 256 KiB instead of libssh's 4 KiB (readahead.c);
	 * without it the loop still works, only slower. */
	if (readahead_start(l->session) != PC_OK)
		log_debug("session loop: no transport read-ahead");
	for (;;) {
		sloop_apply(l);
		if (l->stop || sloop_session_ended(l))
			break;
		timeout = l->want_ms >= 0 ? l->want_ms :
		    SLOOP_DEFAULT_TIMEOUT_MS;
		l->want_ms = -1;
		rc = ssh_event_dopoll(l->ev, timeout);
		if (rc == SSH_ERROR) {
			if (sloop_session_ended(l))
				break;
			log_error("session loop: poll failed: %s",
			    strerror(errno));
			r = PC_ERR_IO;
			break;
		}
		sloop_run_ticks(l);
		sloop_run_tasks(l);
	}
	l->running = false;
	sloop_apply(l);
	sloop_readahead_end();
	return r;
}

void
sloop_stop(struct sloop *l)
{
	l->stop = true;
}

void
sloop_free(struct sloop *l)
{
	struct sloop_task *t, *next;
	size_t i;

	if (l == NULL)
		return;
	/* Freed tasks still queued go now; a live one is its owner's to
	 * free (unlinked, so that frees it at once). */
	for (t = l->tq_head; t != NULL; t = next) {
		next = t->next;
		t->queued = false;
		if (t->freed)
			free(t);
	}
	l->tq_head = l->tq_tail = NULL;
	for (i = 0; i < l->nbyfd; i++) {
		if (l->byfd[i] != NULL)
			(void)sloop_drop(l, (int)i, false);
	}
	l->ndirty = 0;
	l->running = false;
	sloop_apply(l);
	if (l->epfd >= 0) {
		(void)ssh_event_remove_fd(l->ev, l->epfd);
		close(l->epfd);
	}
	(void)ssh_event_remove_session(l->ev, l->session);
	ssh_event_free(l->ev);
	free(l->byfd);
	free(l->dirty);
	free(l->ticks);
	free(l);
}
