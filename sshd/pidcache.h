/*
 * getpid() answered from a per-process page the kernel wipes in every
 * child (MADV_WIPEONFORK), instead of a system call per call: OpenSSL
 * asks for the pid on every RAND_bytes(), i.e. for every packet libssh
 * sends.  See pidcache.c.
 */
#ifndef PC_SSHD_PIDCACHE_H
#define PC_SSHD_PIDCACHE_H

#include <stdbool.h>

/* Start caching (once per daemon, before any fork or thread).  Returns 0,
 * or PC_ERR_SYSTEM with errno set (ENOSYS: the kernel has no
 * MADV_WIPEONFORK): getpid() then stays the plain system call. */
int pidcache_start(void);

/* Is the pid cached? */
bool pidcache_active(void);

#endif
