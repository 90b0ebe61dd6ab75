/*
 * portcullisd [-46DdeqTtV] [-C spec] [-E logfile] [-f config] [-h hostkey]
 *             [-o Key=Value] [-p port] [-X spec]
 * Command line as OpenSSH's sshd where it has the flag (DESIGN.md).
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <syslog.h>
#include <unistd.h>

#include "common/err.h"
#include "common/log.h"
#include "common/xmalloc.h"
#include "sshd/daemon.h"
#include "sshd/explain_cli.h"
#include "sshd/pidcache.h"
#include "sshd/sshbind.h"

#define MAIN_DEFAULT_CONFIG SYSCONFDIR "/portcullis/sshd_config"
/* Descriptors beyond the forwarded channels and listeners: libssh, the
 * log, startup and monitor pipes, PAM, the listen sockets. */
#define MAIN_NOFILE_SLACK 128

static const char *const main_default_host_keys[] = {
	SYSCONFDIR "/portcullis/ssh_host_rsa_key",
	SYSCONFDIR "/portcullis/ssh_host_ecdsa_key",
	SYSCONFDIR "/portcullis/ssh_host_ed25519_key",
};

static void __attribute__((noreturn))
main_usage(void)
{
	fprintf(stderr,
	    "portcullisd %s\n"
	    "usage: portcullisd [-46DdeqTtV] [-C connection_spec] "
	    "[-E log_file] [-f config_file]\n"
	    "                   [-h host_key_file] [-o option] [-p port] "
	    "[-X explain_spec]\n", PACKAGE_VERSION);
	exit(1);
}

void
daemon_apply_logging(const struct daemon *d, const struct servconf *cfg)
{
	enum log_level level = (enum log_level)cfg->log_level;

	if (d->debug > 0) {
		level = (enum log_level)(LOG_LEVEL_DEBUG1 +
		    (d->debug > 3 ? 2 : d->debug - 1));
	} else if (d->quiet) {
		level = LOG_LEVEL_QUIET;
	}
	log_init("portcullisd", level, cfg->syslog_facility,
	    d->log_stderr || d->debug > 0);
}

int
daemon_load_config(struct daemon *d, struct config **cfgp,
    struct servconf *global)
{
	struct config *c = NULL;
	size_t i;
	int r;

	if ((r = config_load(d->config_path, &d->cmdline, &c)) != PC_OK)
		return PC_ERR_CONFIG;
	if ((r = config_resolve(c, NULL, global)) != PC_OK) {
		log_error("%s: cannot resolve the configuration: %s",
		    d->config_path, pc_strerror(r));
		config_free(c);
		return PC_ERR_CONFIG;
	}
	/* -p replaces the file's Port lines, as in OpenSSH. */
	if (d->cli_ports.n > 0) {
		strlist_free(&global->ports);
		strlist_copy(&global->ports, &d->cli_ports);
	}
	if (global->host_keys.n == 0) {
		for (i = 0; i < sizeof(main_default_host_keys) /
		    sizeof(main_default_host_keys[0]); i++) {
			if (access(main_default_host_keys[i], F_OK) == 0)
				strlist_add(&global->host_keys,
				    main_default_host_keys[i], NULL, 0);
		}
	}
	*cfgp = c;
	return PC_OK;
}

/* -o, -h, -4, -6 become config lines parsed before the file. */
static void
main_add_cmdline(struct daemon *d, const char *line)
{
	strlist_add(&d->cmdline, line, "command-line", 0);
}

static int
main_test_mode(struct daemon *d, int extended, const char *conn_spec)
{
	struct servconf eff;
	struct cfg_conn_info ci;
	char *buf = NULL;
	ssh_bind b = NULL;
	int r;

	if (!extended) {
		r = sshbind_create(&d->global, &b);
		if (b != NULL)
			ssh_bind_free(b);
		return r == PC_OK ? 0 : 255;
	}
	if (conn_spec == NULL) {
		config_dump(stdout, &d->global);
		return 0;
	}
	memset(&ci, 0, sizeof(ci));
	ci.lport = -1;
	if (config_parse_conn_spec(conn_spec, &ci, &buf) != PC_OK) {
		fprintf(stderr, "Invalid test mode specification %s\n",
		    conn_spec);
		return 255;
	}
	memset(&eff, 0, sizeof(eff));
	if (config_resolve(d->config, &ci, &eff) != PC_OK) {
		free(buf);
		return 255;
	}
	if (d->cli_ports.n > 0) {
		strlist_free(&eff.ports);
		strlist_copy(&eff.ports, &d->cli_ports);
	}
	config_dump(stdout, &eff);
	servconf_free(&eff);
	free(buf);
	return 0;
}

/*
 * DESIGN.md: the daemon raises RLIMIT_NOFILE to fit MaxForwardChannels.
 * A service manager usually starts us with a soft limit of 1024 (systemd's
 * default LimitNOFILE=1024:524288), which cuts a connection at about 1,014
 * channels ("connect: Too many open files") although MaxForwardChannels
 * defaults to 4096.  Raise the soft limit, never above the hard one.
 * XXX from the global section only: a Match block that raises
 * MaxForwardChannels above it is not seen here; the connection process
 * could do the same after its final configuration.
 */
static void
main_raise_nofile(const struct servconf *g)
{
	struct rlimit rl;
	rlim_t need;
	long chans = g->max_forward_channels > 0 ? g->max_forward_channels : 0;
	long lsn = g->max_forward_listeners > 0 ? g->max_forward_listeners : 0;
	long st = g->max_startups_full > 0 ? g->max_startups_full : 0;

	need = (rlim_t)((chans + lsn > st ? chans + lsn : st) +
	    MAIN_NOFILE_SLACK);
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
		log_error("getrlimit RLIMIT_NOFILE: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		log_info("MaxForwardChannels %ld needs about %lu file "
		    "descriptors; the hard limit is %lu: raising to that",
		    chans, (unsigned long)need, (unsigned long)rl.rlim_max);
		need = rl.rlim_max;
	}
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_error("setrlimit RLIMIT_NOFILE %lu: %s",
		    (unsigned long)need, strerror(errno));
	else
		log_verbose("RLIMIT_NOFILE soft limit raised to %lu",
		    (unsigned long)need);
}

int
main(int argc, char **argv)
{
	struct daemon d;
	const char *conn_spec = NULL, *explain_spec = NULL;
	int opt, test = 0, r;
	char line[4096];

	/* before any fork or thread; without MADV_WIPEONFORK getpid() just
	 * stays a system call */
	(void)pidcache_start();
	sshbind_crypto_init();
	memset(&d, 0, sizeof(d));
	d.config_path = MAIN_DEFAULT_CONFIG;
	/* Until the configuration says otherwise, errors go to stderr. */
	log_init("portcullisd", LOG_LEVEL_INFO, LOG_AUTH, 1);

	while ((opt = getopt(argc, argv, "46C:DdE:ef:h:o:p:qTtVX:")) != -1) {
		switch (opt) {
		case '4':
			main_add_cmdline(&d, "AddressFamily inet");
			break;
		case '6':
			main_add_cmdline(&d, "AddressFamily inet6");
			break;
		case 'C':
			conn_spec = optarg;
			break;
		case 'D':
			d.foreground = true;
			break;
		case 'd':
			d.debug++;
			d.foreground = true;
			break;
		case 'E':
			d.log_file = optarg;
			break;
		case 'e':
			d.log_stderr = true;
			break;
		case 'f':
			d.config_path = optarg;
			break;
		case 'h':
			snprintf(line, sizeof(line), "HostKey %s", optarg);
			main_add_cmdline(&d, line);
			break;
		case 'o':
			main_add_cmdline(&d, optarg);
			break;
		case 'p': {
			char *end = NULL;
			long p;

			errno = 0;
			p = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    p < 1 || p > 65535) {
				fprintf(stderr, "Bad port number: %s\n",
				    optarg);
				exit(1);
			}
			strlist_add(&d.cli_ports, optarg, "command-line", 0);
			break;
		}
		case 'q':
			d.quiet = true;
			break;
		case 'T':
			test = 2;
			break;
		case 't':
			if (test == 0)
				test = 1;
			break;
		case 'V':
			fprintf(stderr, "portcullisd %s (libssh %s)\n",
			    PACKAGE_VERSION, ssh_version(0));
			exit(0);
		case 'X':
			explain_spec = optarg;
			break;
		default:
			main_usage();
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Extra argument %s.\n", argv[optind]);
		exit(1);
	}
	if (conn_spec != NULL && test != 2) {
		fprintf(stderr, "-C requires -T\n");
		exit(1);
	}
	if (d.log_file != NULL && log_set_file(d.log_file) != PC_OK) {
		fprintf(stderr, "Couldn't open logfile %s: %s\n", d.log_file,
		    strerror(errno));
		exit(1);
	}
	d.uid = getuid();
	d.running_as_root = geteuid() == 0;
	if (!d.running_as_root) {
		struct passwd *pw = getpwuid(d.uid);

		if (pw == NULL) {
			fprintf(stderr, "No passwd entry for uid %ld\n",
			    (long)d.uid);
			exit(255);
		}
		d.self_user = xstrdup(pw->pw_name);
		/* A non-root daemon cannot switch users or use PAM. */
		main_add_cmdline(&d, "UsePAM no");
	}

	if (daemon_load_config(&d, &d.config, &d.global) != PC_OK)
		exit(255);
	if (explain_spec != NULL) {
		r = explain_cli_run(&d, explain_spec);
		exit(r);
	}
	if (test != 0)
		exit(main_test_mode(&d, test == 2, conn_spec));

	daemon_apply_logging(&d, &d.global);
	main_raise_nofile(&d.global);
	if (sshbind_create(&d.global, &d.bind) != PC_OK)
		exit(255);
	sshbind_warmup();
	if (!d.running_as_root)
		log_info("Running as %s (uid %ld): serving only this user, "
		    "without PAM or privilege separation.", d.self_user,
		    (long)d.uid);
	r = listener_run(&d);
	exit(r == 0 ? 0 : 255);
}
