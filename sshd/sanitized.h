/*
 * PC_SANITIZED is 1 in an AddressSanitizer build (gcc defines
 * __SANITIZE_ADDRESS__, clang answers __has_feature), else 0.  Such a
 * build keeps the plain, slower paths whose shortcuts ASan cannot follow:
 * exit() instead of _exit() so LeakSanitizer runs (conn.c), fork()
 * instead of clone(CLONE_VM) for the user's command (session_exec.c).
 */
#ifndef PC_SSHD_SANITIZED_H
#define PC_SSHD_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__)
#define PC_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PC_SANITIZED 1
#endif
#endif
#ifndef PC_SANITIZED
#define PC_SANITIZED 0
#endif

#endif
