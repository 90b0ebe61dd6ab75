#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "common/err.h"
#include "common/log.h"
#include "common/match.h"
#include "common/xmalloc.h"
#include "sshd/sshbind.h"

#define SSHBIND_MAX_LIST 2048

/*
 * Defaults: what libssh 0.10 implements, minus what ssh-audit fails
 * (NIST-curve key exchange, SHA-1, CBC).  Administrators widen them with
 * the usual "+list" syntax.
 */
static const char sshbind_kex_default[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,"
    "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512";
static const char sshbind_kex_supported[] =
    "curve25519-sha256,curve25519-sha256@libssh.org,"
    "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group18-sha512,diffie-hellman-group16-sha512,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,"
    "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1,"
    "diffie-hellman-group-exchange-sha1";
static const char sshbind_cipher_default[] =
    "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr";
static const char sshbind_cipher_supported[] =
    "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
    "aes128-cbc,aes192-cbc,aes256-cbc,3des-cbc";
static const char sshbind_mac_default[] =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
    "hmac-sha2-256,hmac-sha2-512";
static const char sshbind_mac_supported[] =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
    "hmac-sha1-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
static const char sshbind_hostkey_default[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";
static const char sshbind_hostkey_supported[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa";
const char sshbind_pubkey_default[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";
const char sshbind_pubkey_supported[] =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,"
    "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256,"
    "ssh-rsa";

/* 1 if name is an element of the comma list. */
static int
sshbind_in_list(const char *name, const char *list)
{
	size_t nlen = strlen(name);
	const char *p = list, *e;

	while (*p != '\0') {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == nlen && strncmp(p, name, nlen) == 0)
			return 1;
		p = (*e == ',') ? e + 1 : e;
	}
	return 0;
}

static void
sshbind_append(char *buf, size_t len, const char *name)
{
	if (sshbind_in_list(name, buf))
		return;
	if (buf[0] != '\0')
		strncat(buf, ",", len - strlen(buf) - 1);
	strncat(buf, name, len - strlen(buf) - 1);
}

char *
sshbind_alg_apply(const char *defaults, const char *supported,
    const char *spec, char *err, size_t errlen)
{
	char out[SSHBIND_MAX_LIST], *copy = NULL, *tok, *save = NULL;
	char mode = '\0';

	out[0] = '\0';
	if (spec == NULL || *spec == '\0')
		return xstrdup(defaults);
	if (strlen(spec) >= SSHBIND_MAX_LIST) {
		snprintf(err, errlen, "algorithm list too long");
		return NULL;
	}
	if (*spec == '+' || *spec == '-' || *spec == '^')
		mode = *spec++;
	copy = xstrdup(spec);
	/* Check every name first: a typo must not silently narrow or
	 * widen anything.  '-' takes patterns, the others exact names. */
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (mode == '-') {
			continue;
		}
		if (!sshbind_in_list(tok, supported)) {
			snprintf(err, errlen, "unsupported algorithm \"%s\"", tok);
			free(copy);
			return NULL;
		}
	}
	free(copy);

	switch (mode) {
	case '\0':
		snprintf(out, sizeof(out), "%s", spec);
		break;
	case '+':
		snprintf(out, sizeof(out), "%s", defaults);
		copy = xstrdup(spec);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			sshbind_append(out, sizeof(out), tok);
		free(copy);
		break;
	case '^':
		copy = xstrdup(spec);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			sshbind_append(out, sizeof(out), tok);
		free(copy);
		/* then the defaults not already listed */
		copy = xstrdup(defaults);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save))
			sshbind_append(out, sizeof(out), tok);
		free(copy);
		break;
	case '-':
		copy = xstrdup(defaults);
		for (tok = strtok_r(copy, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			if (match_pattern_list(tok, spec, 0) != 1)
				sshbind_append(out, sizeof(out), tok);
		}
		free(copy);
		break;
	}
	if (out[0] == '\0') {
		snprintf(err, errlen, "algorithm list is empty");
		return NULL;
	}
	return xstrdup(out);
}

static const char *
sshbind_key_family(enum ssh_keytypes_e t)
{
	switch (t) {
	case SSH_KEYTYPE_ED25519:
		return "ed25519";
	case SSH_KEYTYPE_RSA:
		return "rsa";
	case SSH_KEYTYPE_ECDSA_P256:
	case SSH_KEYTYPE_ECDSA_P384:
	case SSH_KEYTYPE_ECDSA_P521:
		return "ecdsa";
	default:
		return NULL;
	}
}

/* Load host keys: the first of each family wins (libssh would let a later
 * one replace it).  Returns the number of keys loaded. */
static int
sshbind_load_keys(ssh_bind b, const struct servconf *cfg)
{
	const char *seen[4] = { NULL, NULL, NULL, NULL };
	size_t i, nseen = 0, j;
	int loaded = 0;

	for (i = 0; i < cfg->host_keys.n; i++) {
		const char *path = cfg->host_keys.v[i];
		const char *fam;
		ssh_key key = NULL;
		struct stat st;
		bool dup = false;

		if (stat(path, &st) != 0) {
			log_error("Unable to load host key: %s: %s", path,
			    strerror(errno));
			continue;
		}
		if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL,
		    &key) != SSH_OK) {
			log_error("Unable to load host key \"%s\": invalid "
			    "format", path);
			continue;
		}
		fam = sshbind_key_family(ssh_key_type(key));
		if (fam == NULL) {
			log_error("Unable to load host key \"%s\": "
			    "unsupported type", path);
			ssh_key_free(key);
			continue;
		}
		for (j = 0; j < nseen; j++) {
			if (strcmp(seen[j], fam) == 0)
				dup = true;
		}
		if (dup) {
			log_info("Ignoring host key %s: a %s key was already "
			    "loaded", path, fam);
			ssh_key_free(key);
			continue;
		}
		/* The bind takes ownership of the key. */
		if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY,
		    key) != SSH_OK) {
			log_error("Unable to load host key \"%s\": %s", path,
			    ssh_get_error(b));
			ssh_key_free(key);
			continue;
		}
		log_debug("loaded %s host key %s", fam, path);
		if (nseen < 4)
			seen[nseen++] = fam;
		loaded++;
	}
	return loaded;
}

static int
sshbind_set_algs(ssh_bind b, const char *what, const char *defaults,
    const char *supported, const char *spec, struct pc_src src,
    enum ssh_bind_options_e opt1, int opt2)
{
	char err[256];
	char *list;
	int r = PC_OK;

	list = sshbind_alg_apply(defaults, supported, spec, err, sizeof(err));
	if (list == NULL) {
		if (src.file != NULL)
			log_error("%s:%d: %s: %s", src.file, src.line, what, err);
		else
			log_error("%s: %s", what, err);
		return PC_ERR_CONFIG;
	}
	if (ssh_bind_options_set(b, opt1, list) != SSH_OK ||
	    (opt2 >= 0 && ssh_bind_options_set(b,
	    (enum ssh_bind_options_e)opt2, list) != SSH_OK)) {
		log_error("%s: libssh refused \"%s\": %s", what, list,
		    ssh_get_error(b));
		r = PC_ERR_CONFIG;
	}
	free(list);
	return r;
}

const char *
sshbind_version(const struct servconf *cfg)
{
	static char buf[256];

	if (cfg->version_addendum != NULL &&
	    strcmp(cfg->version_addendum, "none") != 0)
		snprintf(buf, sizeof(buf), "Portcullis_%s %s", PACKAGE_VERSION,
		    cfg->version_addendum);
	else
		snprintf(buf, sizeof(buf), "Portcullis_%s", PACKAGE_VERSION);
	return buf;
}

int
sshbind_create(const struct servconf *cfg, ssh_bind *out)
{
	ssh_bind b;
	bool no = false;
	int r = PC_OK, min_rsa;

	*out = NULL;
	if ((b = ssh_bind_new()) == NULL)
		return PC_ERR_NOMEM;
	/* Never read /etc/ssh/libssh_server_config behind our back. */
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG,
	    &no) != SSH_OK) {
		log_error("libssh: cannot disable its own configuration file");
		r = PC_ERR_CONFIG;
		goto out;
	}
	if (sshbind_load_keys(b, cfg) == 0) {
		log_error("no hostkeys available -- exiting.");
		r = PC_ERR_CONFIG;
		goto out;
	}
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_BANNER,
	    sshbind_version(cfg)) != SSH_OK)
		log_error("libssh: cannot set the version string");
	min_rsa = cfg->required_rsa_size;
	if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_RSA_MIN_SIZE,
	    &min_rsa) != SSH_OK)
		log_error("libssh: cannot set RequiredRSASize");
	if (sshbind_set_algs(b, "KexAlgorithms", sshbind_kex_default,
	    sshbind_kex_supported, cfg->kex_algorithms, cfg->kex_algorithms_src,
	    SSH_BIND_OPTIONS_KEY_EXCHANGE, -1) != PC_OK)
		r = PC_ERR_CONFIG;
	if (sshbind_set_algs(b, "Ciphers", sshbind_cipher_default,
	    sshbind_cipher_supported, cfg->ciphers, cfg->ciphers_src,
	    SSH_BIND_OPTIONS_CIPHERS_C_S, SSH_BIND_OPTIONS_CIPHERS_S_C) != PC_OK)
		r = PC_ERR_CONFIG;
	if (sshbind_set_algs(b, "MACs", sshbind_mac_default,
	    sshbind_mac_supported, cfg->macs, cfg->macs_src,
	    SSH_BIND_OPTIONS_HMAC_C_S, SSH_BIND_OPTIONS_HMAC_S_C) != PC_OK)
		r = PC_ERR_CONFIG;
	if (sshbind_set_algs(b, "HostKeyAlgorithms", sshbind_hostkey_default,
	    sshbind_hostkey_supported, cfg->host_key_algorithms,
	    cfg->host_key_algorithms_src, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS,
	    -1) != PC_OK)
		r = PC_ERR_CONFIG;
	if (sshbind_set_algs(b, "PubkeyAcceptedAlgorithms",
	    sshbind_pubkey_default, sshbind_pubkey_supported,
	    cfg->pubkey_accepted_algorithms,
	    cfg->pubkey_accepted_algorithms_src,
	    SSH_BIND_OPTIONS_PUBKEY_ACCEPTED_KEY_TYPES, -1) != PC_OK)
		r = PC_ERR_CONFIG;
	if (cfg->moduli_file != NULL && ssh_bind_options_set(b,
	    SSH_BIND_OPTIONS_MODULI, cfg->moduli_file) != SSH_OK) {
		log_error("ModuliFile %s: %s", cfg->moduli_file,
		    ssh_get_error(b));
		r = PC_ERR_CONFIG;
	}
out:
	if (r != PC_OK) {
		ssh_bind_free(b);
		return r;
	}
	*out = b;
	return PC_OK;
}

/*
 * OpenSSL registers OPENSSL_cleanup() with atexit() on its first
 * initialisation.  In a connection process that clean-up frees the whole
 * algorithm cache and random generator inherited from the listener: every
 * page it writes is a copy-on-write fault (with a TLB flush) for memory the
 * kernel is about to drop anyway.  Measured on hs-W (callgrind, perf):
 * OPENSSL_cleanup was 1.2 M instructions and a sixth of the page faults of a
 * connection.  Must run before anything initialises OpenSSL (libssh's
 * constructor does not); no effect if something already did.
 */
void
sshbind_crypto_init(void)
{
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL) != 1)
		log_debug("OPENSSL_init_crypto failed");
}

/* A fresh key pair of TYPE, then both halves again from their raw bytes:
 * libssh rebuilds X25519 and Ed25519 keys from raw bytes each time.
 * 1 on success (*skp and *pkp set, the caller frees them), 0 on failure. */
static int
sshbind_warm_raw_pair(int type, EVP_PKEY **skp, EVP_PKEY **pkp)
{
	EVP_PKEY_CTX *kc = NULL;
	EVP_PKEY *a = NULL;
	unsigned char priv[32], pub[32];
	size_t plen = sizeof(priv), ulen = sizeof(pub);
	int ok;

	*skp = *pkp = NULL;
	ok = (kc = EVP_PKEY_CTX_new_id(type, NULL)) != NULL &&
	    EVP_PKEY_keygen_init(kc) == 1 && EVP_PKEY_keygen(kc, &a) == 1 &&
	    EVP_PKEY_get_raw_private_key(a, priv, &plen) == 1 &&
	    EVP_PKEY_get_raw_public_key(a, pub, &ulen) == 1 &&
	    (*skp = EVP_PKEY_new_raw_private_key(type, NULL, priv,
	    plen)) != NULL &&
	    (*pkp = EVP_PKEY_new_raw_public_key(type, NULL, pub,
	    ulen)) != NULL;
	EVP_PKEY_CTX_free(kc);
	EVP_PKEY_free(a);
	explicit_bzero(priv, sizeof(priv));
	return ok;
}

/* X25519 as libssh's curve25519 key exchange does it: derive against a
 * raw public key. */
static void
sshbind_warm_x25519(void)
{
	EVP_PKEY_CTX *dc = NULL;
	EVP_PKEY *sk = NULL, *pk = NULL;
	unsigned char out[32];
	size_t olen = sizeof(out);

	if (!sshbind_warm_raw_pair(EVP_PKEY_X25519, &sk, &pk) ||
	    (dc = EVP_PKEY_CTX_new(sk, NULL)) == NULL ||
	    EVP_PKEY_derive_init(dc) != 1 ||
	    EVP_PKEY_derive_set_peer(dc, pk) != 1 ||
	    EVP_PKEY_derive(dc, out, &olen) != 1)
		log_debug("X25519 warm-up failed");
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(sk);
	explicit_bzero(out, sizeof(out));
}

/* Ed25519 as libssh signs with the host key and verifies a user key. */
static void
sshbind_warm_ed25519(void)
{
	EVP_PKEY *sk = NULL, *pk = NULL;
	EVP_MD_CTX *sc = NULL, *vc = NULL;
	unsigned char sig[64];
	static const unsigned char msg[32];
	size_t slen = sizeof(sig);

	if (!sshbind_warm_raw_pair(EVP_PKEY_ED25519, &sk, &pk) ||
	    (sc = EVP_MD_CTX_new()) == NULL || (vc = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(sc, NULL, NULL, NULL, sk) != 1 ||
	    EVP_DigestSign(sc, sig, &slen, msg, sizeof(msg)) != 1 ||
	    EVP_DigestVerifyInit(vc, NULL, NULL, NULL, pk) != 1 ||
	    EVP_DigestVerify(vc, sig, slen, msg, sizeof(msg)) != 1)
		log_debug("Ed25519 warm-up failed");
	EVP_MD_CTX_free(vc);
	EVP_MD_CTX_free(sc);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(sk);
}

/*
 * Done once in the listener so that every forked connection process
 * inherits an initialised random generator and OpenSSL's algorithm
 * fetch cache instead of building both per connection (measured with
 * callgrind: the largest single cost of a handshake).  The ciphers and
 * digests go through the legacy EVP_aes_*()/EVP_sha*() objects as
 * libssh uses them; the key exchange and signature algorithms through
 * the calls libssh makes (their keymgmt, keyexch, signature and SSHKDF
 * fetches were still 0.6 M instructions and ~14 copy-on-write faults per
 * connection with only the ciphers warmed).  Failures only cost the
 * optimisation.
 */
void
sshbind_warmup(void)
{
	const EVP_CIPHER *ciphers[] = {
		EVP_aes_128_gcm(), EVP_aes_256_gcm(), EVP_aes_128_ctr(),
		EVP_aes_192_ctr(), EVP_aes_256_ctr(), EVP_chacha20(),
	};
	const EVP_MD *digests[] = { EVP_sha256(), EVP_sha384(),
		EVP_sha512(), EVP_sha1() };
	static const char *const kdfs[] = { "SSHKDF" };
	static const unsigned char key[32], iv[16];
	unsigned char buf[32];
	unsigned int dlen;
	size_t i;

	if (RAND_bytes(buf, (int)sizeof(buf)) != 1)
		log_debug("RAND_bytes failed during warm-up");
	for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
		EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();

		if (cc == NULL || ciphers[i] == NULL ||
		    EVP_EncryptInit_ex(cc, ciphers[i], NULL, key, iv) != 1)
			log_debug("cipher warm-up failed");
		EVP_CIPHER_CTX_free(cc);
	}
	for (i = 0; i < sizeof(digests) / sizeof(digests[0]); i++) {
		EVP_MD_CTX *mc = EVP_MD_CTX_new();

		if (mc == NULL || EVP_DigestInit_ex(mc, digests[i], NULL) != 1 ||
		    EVP_DigestUpdate(mc, key, sizeof(key)) != 1 ||
		    EVP_DigestFinal_ex(mc, buf, &dlen) != 1)
			log_debug("digest warm-up failed");
		EVP_MD_CTX_free(mc);
	}
	for (i = 0; i < sizeof(kdfs) / sizeof(kdfs[0]); i++) {
		EVP_KDF *k = EVP_KDF_fetch(NULL, kdfs[i], NULL);

		EVP_KDF_free(k);
	}
	{
		EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);

		EVP_MAC_free(m);
	}
	sshbind_warm_x25519();
	sshbind_warm_ed25519();
	explicit_bzero(buf, sizeof(buf));
}
