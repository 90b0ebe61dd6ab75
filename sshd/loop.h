/* The session loop: one libssh ssh_event per connection process serves the
 * SSH socket and every fd of every channel (DESIGN.md 'Loop discipline').
 * Callbacks only change state; fd (un)registration requested from inside
 * a callback is applied in the bookkeeping pass after ssh_event_dopoll(),
 * never inside libssh's own iteration. */
#ifndef PC_LOOP_H
#define PC_LOOP_H

#include <stdbool.h>

#include <libssh/libssh.h>

struct sloop;

/* revents: POLLIN/POLLOUT/POLLERR/POLLHUP bits.  Must not free arg or
 * unwatch directly with ssh_event calls; use sloop_* (deferred). */
typedef void (*sloop_fd_fn)(int fd, short revents, void *arg);
/* Bookkeeping hook, run after every ssh_event_dopoll() round. */
typedef void (*sloop_tick_fn)(void *arg);

struct sloop *sloop_new(ssh_session session);
void sloop_free(struct sloop *l);
ssh_event sloop_event(struct sloop *l);
ssh_session sloop_session(struct sloop *l);

/* Register or change interest in fd (0 events = keep registered, idle). */
int sloop_watch(struct sloop *l, int fd, short events, sloop_fd_fn fn,
    void *arg);
/* Stop watching fd; takes effect before the next poll. */
void sloop_unwatch(struct sloop *l, int fd);
/* Stop watching fd and close it once it is out of libssh's poll set (so
 * the number cannot be reused while libssh still polls it).  Use this
 * instead of close() for any fd that was ever watched. */
void sloop_close(struct sloop *l, int fd);

/* Tick hooks; the returned id removes it. */
int sloop_add_tick(struct sloop *l, sloop_tick_fn fn, void *arg);
void sloop_remove_tick(struct sloop *l, int id);

/*
 * Tasks: bookkeeping work that runs in a round's pass only when woken, so
 * an owner with many objects (relays) pays per round for those with work,
 * not for all of them.  Tasks run after the tick hooks, in wake order.
 */
struct sloop_task;

struct sloop_task *sloop_task_new(struct sloop *l, sloop_tick_fn fn,
    void *arg);
/* Something happened (an fd or channel event, a state change): run fn in
 * this round's pass if the pass has not started yet, else in the next
 * round's, which then polls with a zero timeout (an event seen inside a
 * recursive libssh round must not wait for the next poll to report
 * something else). */
void sloop_task_wake(struct sloop_task *t);
/* Run fn again after the next poll, whenever that returns (no timeout
 * change): for state only visible by looking, e.g. a remote window, or a
 * deadline the owner also gave sloop_want_timeout(). */
void sloop_task_again(struct sloop_task *t);
/* Free the task; safe from its own fn and from callbacks. */
void sloop_task_free(struct sloop_task *t);

/* Poll timeout ceiling in ms for the next round (e.g. pending connects,
 * ClientAlive).  The smallest request wins for one round. */
void sloop_want_timeout(struct sloop *l, int ms);

/* Run until the SSH session is closed or sloop_stop(); returns 0 on clean
 * end, PC_ERR_* on an ssh_event_dopoll error.  Switches the session to
 * non-blocking mode (ssh_channel_write() must never block the loop).
 * Signals do not interrupt a round (libssh retries poll() on EINTR): a
 * signal handler should write to a pipe whose read end is watched. */
int sloop_run(struct sloop *l);
void sloop_stop(struct sloop *l);
/* True while sloop_run() is executing (callbacks and ticks): frees must be
 * deferred to a tick.  False before and after (clean-up code). */
bool sloop_running(const struct sloop *l);
/* Monotonic clock in milliseconds (timers, durations). */
long long sloop_now_ms(void);

#endif
