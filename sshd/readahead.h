/*
 * Transport read-ahead for the session loop: libssh 0.10 reads the SSH
 * transport 4 KiB per poll round (MAX_BUF_SIZE, a compile-time constant of
 * the library).  readahead.c takes libssh's recv() and poll() on that one
 * socket and serves them from a larger buffer filled by one system call.
 */
#ifndef PC_SSHD_READAHEAD_H
#define PC_SSHD_READAHEAD_H

#include <stddef.h>

#include <libssh/libssh.h>

/* Serve the transport of SESSION (its current fd) from a buffer of
 * PC_READAHEAD_SIZE bytes.  One session per process; a second call
 * replaces the first.  Returns 0, or a negative PC_ERR_*. */
int readahead_start(ssh_session session);

/* Stop: recv() and poll() go straight to the kernel again, and bytes
 * still buffered are dropped.  Only for when nothing will read the
 * transport any more (the session loop is over), and before the session
 * is freed. */
void readahead_stop(void);

/* Bytes received from the kernel and not yet handed to libssh. */
size_t readahead_pending(void);

/* Counters since start, for the debug log at the end of a connection. */
void readahead_stats(unsigned long long *syscalls, unsigned long long *served,
    unsigned long long *shortcuts);

#endif
