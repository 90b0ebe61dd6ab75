/* The listener's ssh_bind: host keys (first of each type wins) and
 * algorithm lists, prepared once; connection processes call
 * ssh_bind_accept_fd() on it after fork. */
#ifndef PC_SSHBIND_H
#define PC_SSHBIND_H

#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd/config.h"

/* Build a bind from the configuration.  extra_keys (-h) come first.
 * Logs each problem; returns 0 or PC_ERR_CONFIG (no usable host key or a
 * bad algorithm list). */
int sshbind_create(const struct servconf *cfg, ssh_bind *out);

/* Apply an OpenSSH algorithm spec ("list", "+list", "-list", "^list") to
 * a default list, checking every name against the supported set.
 * Returns a new string or NULL (error in err). */
char *sshbind_alg_apply(const char *defaults, const char *supported,
    const char *spec, char *err, size_t errlen);

/* PubkeyAcceptedAlgorithms: our default and what libssh 0.10 verifies
 * (auth.c resolves Match-level values against them). */
extern const char sshbind_pubkey_default[];
extern const char sshbind_pubkey_supported[];

/* Initialise OpenSSL state the connection processes inherit. */
/* First thing in main(): OpenSSL without its exit-time clean-up (see
 * sshbind.c). */
void sshbind_crypto_init(void);
void sshbind_warmup(void);

/* The software version we announce (SSH-2.0-<this>). */
const char *sshbind_version(const struct servconf *cfg);

#endif
