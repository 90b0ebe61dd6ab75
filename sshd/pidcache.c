/*
 * getpid() without a system call (issue 7).
 *
 * OpenSSL 3 checks for a fork on every RAND_bytes() by comparing getpid()
 * with the pid its generator was seeded in, and libssh asks RAND_bytes()
 * for the padding of every packet it sends: a 1 GiB -R transfer made
 * 32,800 getpid() system calls, more than half of the connection
 * process's system calls (glibc has not cached the pid since 2.25).
 *
 * The daemon defines getpid() in the executable, so the dynamic linker
 * gives every library (libcrypto among them) this definition, as with
 * recv() and poll() in readahead.c.  The pid is kept in a page of its own
 * marked MADV_WIPEONFORK: the kernel hands every child made without
 * CLONE_VM (fork(), posix_spawn's clone without CLONE_VM, a raw
 * clone(2)) a zero-filled copy of that page, and zero means "ask the
 * kernel".  So the answer is always the calling process's pid, whoever
 * forked it and however, and OpenSSL's fork check keeps working: a child
 * still reseeds its generator before its first random byte.
 *
 * Processes sharing our memory (threads, a CLONE_VM|CLONE_VFORK child
 * until it execs) share the page.  Threads have our pid anyway; the vfork
 * child of session_exec.c only execs, and because pidcache_start() fills
 * the page at once, such a child could never write its own pid into the
 * parent's page.  Without MADV_WIPEONFORK (Linux < 4.14) nothing is
 * cached and getpid() is the system call it always was.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/err.h"
#include "sshd/pidcache.h"

/* The mapping, or NULL: nothing cached.  Page contents: the pid, or 0 in
 * a child the kernel wiped it for. */
static volatile pid_t *pidcache_page;

static pid_t
pidcache_kernel(void)
{
	return (pid_t)syscall(SYS_getpid);
}

int
pidcache_start(void)
{
	long pagesz;
	void *p;

	if (pidcache_page != NULL)
		return PC_OK;
	if ((pagesz = sysconf(_SC_PAGESIZE)) <= 0)
		return PC_ERR_SYSTEM;
	p = mmap(NULL, (size_t)pagesz, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return PC_ERR_SYSTEM;
#ifdef MADV_WIPEONFORK
	if (madvise(p, (size_t)pagesz, MADV_WIPEONFORK) == 0) {
		*(volatile pid_t *)p = pidcache_kernel();
		pidcache_page = p;
		return PC_OK;
	}
#endif
	(void)munmap(p, (size_t)pagesz);
	errno = ENOSYS;
	return PC_ERR_SYSTEM;
}

bool
pidcache_active(void)
{
	return pidcache_page != NULL;
}

pid_t
getpid(void)
{
	volatile pid_t *c = pidcache_page;
	pid_t pid;

	if (c == NULL)
		return pidcache_kernel();
	if ((pid = *c) > 0)
		return pid;
	/* a child whose copy of the page the kernel wiped */
	pid = pidcache_kernel();
	*c = pid;
	return pid;
}
