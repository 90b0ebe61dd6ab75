/*
 * sshd_config values: every type good and bad (errors name FILE:LINE),
 * quiet and deprecated keywords, -T lines, -C specs, the table itself.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <syslog.h>

#include "common/err.h"
#include "common/log.h"
#include "common/strlist.h"
#include "sshd/config.h"
#include "tests/unit/test_config_util.h"

/* ---- good values: the text and one -T line it must produce ---- */
static const struct {
	const char *text;
	const char *line;
} good[] = {
	{ "PasswordAuthentication No", "passwordauthentication no" },
	{ "passwordauthentication YES", "passwordauthentication yes" },
	{ "MAXSESSIONS 4", "maxsessions 4" },
	{ "MaxSessions=5", "maxsessions 5" },
	{ "MaxSessions = 6", "maxsessions 6" },
	{ "  MaxSessions\t7   # comment", "maxsessions 7" },
	{ "MaxAuthTries 0", "maxauthtries 0" },
	{ "MaxAuthTries +3", "maxauthtries 3" },
	{ "LoginGraceTime 2m", "logingracetime 120" },
	{ "LoginGraceTime 1h30m", "logingracetime 5400" },
	{ "LoginGraceTime 10s", "logingracetime 10" },
	{ "LoginGraceTime 1m30", "logingracetime 90" },
	{ "ClientAliveInterval 1w1d", "clientaliveinterval 691200" },
	{ "ForwardConnectWait 1000", "forwardconnectwait 1000" },
	{ "ForwardLookupTimeout 1m", "forwardlookuptimeout 60" },
	{ "AddressFamily inet6", "addressfamily inet6" },
	{ "AddressFamily INET", "addressfamily inet" },
	{ "PermitRootLogin prohibit-password",
	  "permitrootlogin without-password" },
	{ "PermitRootLogin without-password",
	  "permitrootlogin without-password" },
	{ "PermitRootLogin forced-commands-only",
	  "permitrootlogin forced-commands-only" },
	{ "PermitRootLogin no", "permitrootlogin no" },
	{ "AllowTcpForwarding all", "allowtcpforwarding yes" },
	{ "AllowTcpForwarding local", "allowtcpforwarding local" },
	{ "AllowTcpForwarding REMOTE", "allowtcpforwarding remote" },
	{ "AllowStreamLocalForwarding no", "allowstreamlocalforwarding no" },
	{ "GatewayPorts clientspecified", "gatewayports clientspecified" },
	{ "GatewayPorts Yes", "gatewayports yes" },
	{ "LogLevel debug", "loglevel DEBUG" },
	{ "LogLevel DEBUG1", "loglevel DEBUG" },
	{ "LogLevel debug3", "loglevel DEBUG3" },
	{ "LogLevel VERBOSE", "loglevel VERBOSE" },
	{ "SyslogFacility local0", "syslogfacility LOCAL0" },
	{ "Compression delayed", "compression yes" },
	{ "Compression no", "compression no" },
	{ "FingerprintHash md5", "fingerprinthash MD5" },
	{ "PermitTunnel no", "permittunnel no" },
	{ "MaxStartups 5", "maxstartups 5:30:5" },
	{ "MaxStartups 10:50:20", "maxstartups 10:50:20" },
	{ "PerSourceMaxStartups 3", "persourcemaxstartups 3" },
	{ "PerSourceNetBlockSize 24:56", "persourcenetblocksize 24:56" },
	{ "PerSourceNetBlockSize 24", "persourcenetblocksize 24:128" },
	{ "Subsystem sftp internal-sftp -l INFO",
	  "subsystem sftp internal-sftp -l INFO" },
	{ "Port 2222", "port 2222" },
	{ "Port ssh", "port 22" },
	{ "Port 2022 # the other one", "port 2022" },
	{ "ListenAddress 127.0.0.1:2200", "listenaddress 127.0.0.1:2200" },
	{ "ListenAddress [::1]:2200", "listenaddress [::1]:2200" },
	{ "ListenAddress ::1", "listenaddress [::1]:22" },
	{ "ListenAddress [::1]", "listenaddress [::1]:22" },
	{ "ListenAddress localhost", "listenaddress localhost:22" },
	{ "ListenAddress 0.0.0.0:ssh", "listenaddress 0.0.0.0:22" },
	{ "HostKey /etc/k", "hostkey /etc/k" },
	{ "HostDSAKey /etc/k", "hostkey /etc/k" },
	{ "Banner \"/etc/my banner\"", "banner /etc/my banner" },
	{ "Banner none", "banner none" },
	{ "Banner /etc/a\\ b", "banner /etc/a b" },
	{ "ForceCommand echo \"hi there\"", "forcecommand echo \"hi there\"" },
	{ "ForceCommand NONE", "forcecommand none" },
	{ "StreamLocalBindMask 022", "streamlocalbindmask 022" },
	{ "StreamLocalBindMask 0", "streamlocalbindmask 00" },
	{ "IPQoS lowdelay throughput", "ipqos lowdelay throughput" },
	{ "IPQoS EF", "ipqos ef ef" },
	{ "IPQoS 0x10", "ipqos 0x10 0x10" },
	{ "RekeyLimit 1G 1h", "rekeylimit 1G 1h" },
	{ "RekeyLimit default none", "rekeylimit default none" },
	{ "AcceptEnv LANG LC_*", "acceptenv LANG LC_*" },
	{ "SetEnv A=1 \"B=two words\"", "setenv A=1 B=two words" },
	{ "PermitOpen any", "permitopen any" },
	{ "PermitOpen none", "permitopen none" },
	{ "PermitOpen 127.0.0.1:80 [::1]:443 host:*",
	  "permitopen 127.0.0.1:80 [::1]:443 host:*" },
	/* as OpenSSH 9.2 -T: a bare port is stored as "*:PORT", the rest
	 * as written (service names, case and brackets kept) */
	{ "PermitListen 8080 localhost:*", "permitlisten *:8080 localhost:*" },
	{ "PermitListen 6000", "permitlisten *:6000" },
	{ "PermitListen * ssh [::1]:80 *:*",
	  "permitlisten *:* *:ssh [::1]:80 *:*" },
	{ "PermitListen any", "permitlisten any" },
	{ "PermitListen none", "permitlisten none" },
	{ "PermitOpen host:ssh LOCALHOST:http *:*",
	  "permitopen host:ssh LOCALHOST:http *:*" },
	{ "AllowForwardingPort 3000 4000..4050 >5000 *7",
	  "allowforwardingport 3000 4000..4050 >5000 *7" },
	{ "DenyForwardingPort <1024", "denyforwardingport <1024" },
	{ "DenyForwardingTo server.example.com:80 other.net:* "
	  "yoyodyne.com:<1024", "denyforwardingto server.example.com:80 "
	  "other.net:* yoyodyne.com:<1024" },
	{ "AllowForwardingTo 10.0.0.0/8:5432",
	  "allowforwardingto 10.0.0.0/8:5432" },
	{ "AllowTcpForwardingForUsers alice,bob carol",
	  "allowtcpforwardingforusers alice bob carol" },
	{ "DenyTcpForwardingForGroups guests, nobody",
	  "denytcpforwardingforgroups guests nobody" },
	{ "DenyTcpForwardingForUsers a ,b , c",
	  "denytcpforwardingforusers a b c" },
	{ "AllowUsers alice bob@10.0.0.0/8",
	  "allowusers alice bob@10.0.0.0/8" },
	{ "DenyGroups wheel", "denygroups wheel" },
	{ "ChallengeResponseAuthentication no",
	  "kbdinteractiveauthentication no" },
	{ "PubkeyAcceptedKeyTypes ssh-ed25519",
	  "pubkeyacceptedalgorithms ssh-ed25519" },
	{ "KexAlgorithms +diffie-hellman-group14-sha1",
	  "kexalgorithms +diffie-hellman-group14-sha1" },
	{ "KeepAlive no", "tcpkeepalive no" },
	{ "DSAAuthentication no", "pubkeyauthentication no" },
	{ "UnusedConnectionTimeout none", "unusedconnectiontimeout none" },
	{ "VersionAddendum my text # comment", "versionaddendum my text" },
	{ "VersionAddendum none", "versionaddendum none" },
	{ "AuthorizedKeysFile %h/.ssh/authorized_keys /etc/ssh/keys/%u",
	  "authorizedkeysfile %h/.ssh/authorized_keys /etc/ssh/keys/%u" },
	{ "PubkeyAuthOptions Touch-Required",
	  "pubkeyauthoptions touch-required" },
	{ "IgnoreRhosts shosts-only", "ignorerhosts shosts-only" },
	{ "PermitUserEnvironment LANG,LC_*",
	  "permituserenvironment LANG,LC_*" },
	{ "AuthenticationMethods any", "authenticationmethods any" },
	{ "ChannelTimeout none", "channeltimeout none" },
	{ "AuthorizedKeysCommand none", "authorizedkeyscommand none" },
	{ "HostsAllowFile /tmp/allow", "hostsallowfile /tmp/allow" },
	{ "Protocol 2", "port 22" },
	{ "UsePrivilegeSeparation sandbox", "port 22" },
};

static void
test_good_values(void **state)
{
	struct config *c;
	size_t i;
	int r;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		r = tu_load(good[i].text, NULL, NULL, &c);
		if (r != 0)
			fail_msg("\"%s\" did not load: %s", good[i].text,
			    tu_log);
		if (!tu_dump_has(config_global(c), good[i].line))
			fail_msg("\"%s\": no -T line \"%s\"", good[i].text,
			    good[i].line);
		if (strstr(tu_log, "error") != NULL)
			fail_msg("\"%s\" logged an error: %s", good[i].text,
			    tu_log);
		config_free(c);
	}
}

/* ---- bad values: the error must name test.conf and the line ---- */
static const struct {
	const char *text;
	int line;
	const char *msg;
} bad[] = {
	{ "PasswordAuthentication maybe", 1, "unsupported" },
	{ "MaxAuthTries -1", 1, "invalid integer" },
	{ "MaxAuthTries 2x", 1, "invalid integer" },
	{ "MaxAuthTries 99999999999", 1, "invalid integer" },
	{ "LoginGraceTime 2x", 1, "invalid time" },
	{ "LoginGraceTime -5", 1, "invalid time" },
	{ "LoginGraceTime m", 1, "invalid time" },
	{ "ForwardConnectWait 70000", 1, "0-60000" },
	{ "MaxForwardChannels 0", 1, "invalid integer" },
	{ "AddressFamily ipx", 1, "AddressFamily" },
	{ "PermitRootLogin maybe", 1, "PermitRootLogin" },
	{ "AllowTcpForwarding sometimes", 1, "AllowTcpForwarding" },
	{ "GatewayPorts clientspec", 1, "GatewayPorts" },
	{ "LogLevel LOUD", 1, "LogLevel" },
	{ "SyslogFacility LOCAL9", 1, "SyslogFacility" },
	{ "Compression zlib", 1, "Compression" },
	{ "FingerprintHash sha1", 1, "FingerprintHash" },
	{ "PermitTunnel YES", 1, "PermitTunnel" },
	{ "MaxStartups 10:0:100", 1, "MaxStartups" },
	{ "MaxStartups 10:101:100", 1, "MaxStartups" },
	{ "MaxStartups 20:30:10", 1, "MaxStartups" },
	{ "MaxStartups 10:30", 1, "MaxStartups" },
	{ "MaxStartups 10:30:100:5", 1, "MaxStartups" },
	{ "MaxStartups abc", 1, "MaxStartups" },
	{ "MaxStartups 0", 1, "MaxStartups" },
	{ "PerSourceMaxStartups 0", 1, "PerSourceMaxStartups" },
	{ "PerSourceMaxStartups x", 1, "PerSourceMaxStartups" },
	{ "PerSourceNetBlockSize 33", 1, "PerSourceNetBlockSize" },
	{ "PerSourceNetBlockSize 24:129", 1, "PerSourceNetBlockSize" },
	{ "PerSourceNetBlockSize 24:", 1, "PerSourceNetBlockSize" },
	{ "Subsystem sftp", 1, "Missing subsystem command" },
	{ "Subsystem sftp a\nSubsystem sftp b", 2, "already defined" },
	{ "Port 0", 1, "port number" },
	{ "Port 65536", 1, "port number" },
	{ "Port 22 23", 1, "garbage at end of line" },
	{ "Port no-such-service-here", 1, "port number" },
	{ "ListenAddress 1.2.3.4:99999", 1, "port number" },
	{ "ListenAddress 1.2.3.4 rdomain x", 1, "rdomain" },
	{ "ListenAddress [::1", 1, "bad address" },
	{ "ListenAddress :22", 1, "bad address" },
	{ "ListenAddress a b", 1, "ListenAddress" },
	{ "PermitOpen any 1.2.3.4:80", 1, "must appear alone" },
	{ "PermitOpen 1.2.3.4:80 none", 1, "must appear alone" },
	{ "PermitOpen Any", 1, "test.conf:1:" },
	{ "PermitOpen hostonly", 1, "test.conf:1:" },
	{ "PermitOpen host:99999", 1, "test.conf:1:" },
	{ "PermitListen 99999", 1, "test.conf:1:" },
	{ "AllowForwardingPort 5..3", 1, "test.conf:1:" },
	{ "AllowForwardingPort abc!", 1, "test.conf:1:" },
	{ "DenyForwardingTo hostonly", 1, "test.conf:1:" },
	{ "AllowTcpForwardingForUsers alice,,bob", 1, "empty entry" },
	{ "AllowTcpForwardingForGroups ,staff", 1, "empty entry" },
	{ "AllowTcpForwardingForGroups staff,", 1, "empty entry" },
	{ "AllowTcpForwardingForGroups a , , b", 1, "empty entry" },
	{ "AcceptEnv A=B", 1, "environment" },
	{ "SetEnv NOEQ", 1, "environment" },
	{ "StreamLocalBindMask 0999", 1, "StreamLocalBindMask" },
	{ "StreamLocalBindMask 01000", 1, "StreamLocalBindMask" },
	{ "AuthorizedKeysCommand relative/path", 1, "absolute path" },
	{ "IPQoS bogus", 1, "IPQoS" },
	{ "IPQoS af11 af12 af13", 1, "garbage at end of line" },
	{ "RekeyLimit 10", 1, "too small" },
	{ "RekeyLimit 1X", 1, "RekeyLimit" },
	{ "RekeyLimit 1G soon", 1, "invalid time" },
	{ "ChannelTimeout session", 1, "channel timeout" },
	{ "ChannelTimeout none x=1", 1, "alone" },
	{ "PubkeyAuthOptions foo", 1, "PubkeyAuthOptions" },
	{ "Banner a b", 1, "garbage at end of line" },
	{ "Ciphers aes128-ctr,,aes256-ctr", 1, "algorithm" },
	{ "Bogus yes", 1, "Bad configuration option: Bogus" },
	{ "Port", 1, "no argument after keyword" },
	{ "Port # nothing", 1, "missing argument" },
	{ "Banner \"/etc/unterminated", 1, "unterminated quote" },
	{ "UnusedConnectionTimeout 5x", 1, "invalid time" },
	{ "AuthenticationMethods publickey,password", 1, "not supported" },
	{ "AuthenticationMethods any publickey", 1, "alone" },
	{ "AuthenticationMethods publickey,bogus", 1, "method" },
	{ "ChrootDirectory /srv", 1, "not supported" },
	{ "RevokedKeys /etc/ssh/revoked", 1, "not supported" },
	{ "Match Bogus x", 1, "Unsupported Match attribute" },
	{ "Match User", 1, "Missing Match criteria" },
	{ "Match All User x", 1, "cannot be combined" },
	{ "Match User x All", 1, "cannot be combined" },
	{ "Match LocalPort 22,23", 1, "LocalPort" },
	{ "Match Address 10.0.0.1/8", 1, "Invalid Match" },
	{ "Match Address 10.0.0.0/8,,1.2.3.4", 1, "Invalid Match" },
	{ "Match", 1, "no argument after keyword" },
	/* '=' as OpenSSH 9.2's strdelim(): one separates, two do not */
	{ "Match User==alice", 1, "Missing Match criteria for User" },
	{ "Match User= =alice", 1, "Missing Match criteria for User" },
	{ "Match User=", 1, "Missing Match criteria for User" },
	{ "Match User=#x", 1, "Missing Match criteria for User" },
	{ "Match User alice ==x", 1, "extra arguments" },
	{ "Match User alice = =x", 1, "extra arguments" },
	{ "Match User alice \"\" x", 1, "extra arguments" },
	{ "Match User alice=b", 1, "Missing Match criteria for b" },
	{ "Match All=x", 1, "cannot be combined" },
	{ "Match All ==x", 1, "extra arguments" },
	{ "Match ==x", 1, "One or more attributes" },
	{ "Match Bogus=x", 1, "Unsupported Match attribute Bogus" },
	{ "Match LocalPort=-1", 1, "LocalPort" },
	{ "Match User x\nPort 22", 2,
	  "Directive 'Port' is not allowed within a Match block" },
	{ "Match User x\nUseLogin no", 2, "not allowed within a Match" },
	{ "# ok\n\nMaxSessions 1\nMaxSessions two", 4, "invalid integer" },
	{ "Include x.conf", 1, "Include" },
};

static void
test_bad_values(void **state)
{
	struct config *c = NULL;
	char want[64];
	size_t i;
	int r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = tu_load(bad[i].text, NULL, NULL, &c);
		if (r != PC_ERR_CONFIG || c != NULL)
			fail_msg("\"%s\" loaded (%d)", bad[i].text, r);
		snprintf(want, sizeof(want), "test.conf:%d: ", bad[i].line);
		if (strstr(tu_log, want) == NULL ||
		    strstr(tu_log, bad[i].msg) == NULL)
			fail_msg("\"%s\": expected \"%s\" and \"%s\" in: %s",
			    bad[i].text, want, bad[i].msg, tu_log);
	}
}

/* Every error is reported, not only the first. */
static void
test_all_errors(void **state)
{
	struct config *c;

	assert_int_equal(tu_load("Bogus 1\nMaxSessions 1\nPort x\n"
	    "MaxSessions x y\nMatch User a\nPidFile /x\n", NULL, NULL, &c),
	    PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "test.conf:1: Bad configuration"));
	assert_non_null(strstr(tu_log, "test.conf:3: "));
	assert_non_null(strstr(tu_log, "test.conf:4: "));
	assert_non_null(strstr(tu_log, "test.conf:6: Directive 'PidFile'"));
	assert_null(strstr(tu_log, "test.conf:2:"));
}

/* -o lines: errors name "command-line" and the option's position. */
static void
test_cmdline_errors(void **state)
{
	const char *opts[] = { "MaxSessions=2", "Port=x", "Match User a",
		"Include /etc/ssh/x", NULL };
	struct config *c;

	assert_int_equal(tu_load("", opts, NULL, &c), PC_ERR_CONFIG);
	assert_non_null(strstr(tu_log, "command-line:2: "));
	assert_non_null(strstr(tu_log, "command-line:3: Match directive not "
	    "supported"));
	assert_non_null(strstr(tu_log, "command-line:4: Include directive"));
	assert_null(strstr(tu_log, "command-line:1:"));
}

/* Unimplemented features: a warning naming FILE:LINE, value stays off. */
static const struct {
	const char *text;
	const char *line;	/* -T line after loading */
	const char *warn;	/* NULL: no warning expected */
} quiet[] = {
	{ "X11Forwarding yes", "x11forwarding no",
	  "test.conf:1: X11Forwarding yes is not supported; ignored" },
	{ "X11Forwarding no", "x11forwarding no", NULL },
	{ "PrintMotd no", "printmotd no", NULL },
	{ "PrintMotd yes", "printmotd no", "test.conf:1: PrintMotd yes" },
	{ "PermitTunnel point-to-point", "permittunnel no",
	  "PermitTunnel point-to-point is not supported" },
	{ "HostCertificate /etc/ssh/cert.pub", "hostcertificate none",
	  "test.conf:1: HostCertificate /etc/ssh/cert.pub is not supported" },
	{ "GSSAPIAuthentication yes", "gssapiauthentication no",
	  "GSSAPIAuthentication yes is not supported" },
	{ "ChannelTimeout session=5m", "channeltimeout none",
	  "ChannelTimeout session=5m is not supported" },
	{ "\n\nKerberosAuthentication yes", "kerberosauthentication no",
	  "test.conf:3: KerberosAuthentication" },
	{ "UseLogin no", "port 22", "test.conf:1: Deprecated option UseLogin" },
	{ "RSAAuthentication yes", "port 22",
	  "Deprecated option RSAAuthentication" },
	{ "KerberosTgtPassing yes", "port 22",
	  "test.conf:1: Unsupported option KerberosTgtPassing" },
	{ "AuthorizedKeysFile2 .ssh/ak2", "port 22",
	  "Deprecated option AuthorizedKeysFile2" },
};

static void
test_quiet(void **state)
{
	struct config *c;
	size_t i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		if (tu_load(quiet[i].text, NULL, NULL, &c) != 0)
			fail_msg("\"%s\" did not load: %s", quiet[i].text,
			    tu_log);
		assert_dump(config_global(c), quiet[i].line);
		if (quiet[i].warn == NULL && tu_log[0] != '\0')
			fail_msg("\"%s\" logged: %s", quiet[i].text, tu_log);
		if (quiet[i].warn != NULL && strstr(tu_log, quiet[i].warn) ==
		    NULL)
			fail_msg("\"%s\": no \"%s\" in: %s", quiet[i].text,
			    quiet[i].warn, tu_log);
		config_free(c);
	}
}

/* -T: multi-entry keywords, defaults, every keyword present. */
static void
test_dump(void **state)
{
	const char *const *names = config_keyword_names();
	struct config *c;
	const struct servconf *g;
	char *d, key[80], *p;
	size_t i, j;

	assert_int_equal(tu_load("Port 22\nPort 2222\nHostKey /a\nHostKey /b\n"
	    "Subsystem sftp internal-sftp\nSubsystem x /usr/bin/x -y\n"
	    "AcceptEnv A\nAcceptEnv B C\nAddressFamily inet\n"
	    "PermitRootLogin prohibit-password\n", NULL, NULL, &c), 0);
	g = config_global(c);
	assert_dump(g, "port 22");
	assert_dump(g, "port 2222");
	assert_dump(g, "listenaddress 0.0.0.0:22");
	assert_dump(g, "listenaddress 0.0.0.0:2222");
	assert_false(tu_dump_has(g, "listenaddress [::]:22"));
	assert_dump(g, "hostkey /a");
	assert_dump(g, "hostkey /b");
	assert_dump(g, "subsystem sftp internal-sftp");
	assert_dump(g, "subsystem x /usr/bin/x -y");
	assert_dump(g, "acceptenv A B C");
	assert_dump(g, "permitrootlogin without-password");
	assert_dump(g, "allowusers none");
	assert_dump(g, "permitopen any");
	assert_dump(g, "logingracetime 120");
	assert_dump(g, "authorizedkeysfile .ssh/authorized_keys "
	    ".ssh/authorized_keys2");
	assert_dump(g, "persourcemaxstartups none");
	assert_dump(g, "maxstartups 10:30:100");
	/* every keyword of the table, lower-case, at the start of a line */
	d = tu_dump(g);
	for (i = 0; names[i] != NULL; i++) {
		for (j = 0; names[i][j] != '\0' && j < sizeof(key) - 2; j++)
			key[j] = (char)tolower((unsigned char)names[i][j]);
		key[j++] = ' ';
		key[j] = '\0';
		for (p = d; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 :
		    NULL) {
			if (strncmp(p, key, j) == 0)
				break;
		}
		if (p == NULL)
			fail_msg("-T lacks %s", names[i]);
	}
	free(d);
	config_free(c);
}

/* Blank the -T lines a file cannot say that way ("hostkey none" would
 * be a key named none; listenaddress lines carry the port). */
static void
blank_unwritable(char *text)
{
	char *l, *nl;
	size_t n;

	for (l = text; l != NULL && *l != '\0'; l = nl != NULL ? nl + 1 :
	    NULL) {
		nl = strchr(l, '\n');
		n = nl != NULL ? (size_t)(nl - l) : strlen(l);
		if (strncmp(l, "listenaddress ", 14) == 0 ||
		    (memmem(l, n, " none", 5) != NULL))
			memset(l, ' ', n);
	}
}

/* Table sanity: names unique, every default loads silently (empty file),
 * every quiet keyword's default is a quiet value. */
static void
test_table(void **state)
{
	const char *const *names = config_keyword_names();
	struct config *c;
	char *d;
	size_t i, j;

	for (i = 0; names[i] != NULL; i++) {
		for (j = i + 1; names[j] != NULL; j++)
			assert_true(strcasecmp(names[i], names[j]) != 0);
	}
	assert_true(i > 100);
	assert_int_equal(tu_load("", NULL, NULL, &c), 0);
	assert_string_equal(tu_log, "");
	config_free(c);
	/* the -T output of an empty file loads back silently: defaults
	 * are valid values and no quiet keyword's default warns */
	assert_int_equal(tu_load("", NULL, NULL, &c), 0);
	d = tu_dump(config_global(c));
	config_free(c);
	blank_unwritable(d);
	if (tu_load(d, NULL, NULL, &c) != 0)
		fail_msg("-T output does not load back: %s", tu_log);
	if (tu_log[0] != '\0')
		fail_msg("-T output loads with messages: %s", tu_log);
	config_free(c);
	free(d);
}

static void
test_conn_spec(void **state)
{
	struct cfg_conn_info ci;
	char *buf = NULL;

	assert_int_equal(config_parse_conn_spec("user=alice,host=h.example,"
	    "addr=192.0.2.1,laddr=198.51.100.2,lport=2222,rdomain=r1", &ci,
	    &buf), 0);
	assert_string_equal(ci.user, "alice");
	assert_string_equal(ci.host, "h.example");
	assert_string_equal(ci.addr, "192.0.2.1");
	assert_string_equal(ci.laddr, "198.51.100.2");
	assert_int_equal(ci.lport, 2222);
	assert_string_equal(ci.rdomain, "r1");
	assert_null(ci.groups);
	free(buf);

	assert_int_equal(config_parse_conn_spec("user=bob,group=g1,group=g2",
	    &ci, &buf), 0);
	assert_non_null(ci.groups);
	assert_string_equal(ci.groups[0], "g1");
	assert_string_equal(ci.groups[1], "g2");
	assert_null(ci.groups[2]);
	assert_int_equal(ci.lport, -1);
	free(buf);

	log_init("test", LOG_LEVEL_QUIET, LOG_AUTH, 1);
	assert_int_equal(config_parse_conn_spec("user=a,lport=99999", &ci,
	    &buf), PC_ERR_INVAL);
	assert_null(buf);
	assert_int_equal(config_parse_conn_spec("bogus=1", &ci, &buf),
	    PC_ERR_INVAL);
	assert_int_equal(config_parse_conn_spec("user=", &ci, &buf),
	    PC_ERR_INVAL);
	assert_int_equal(config_parse_conn_spec("user", &ci, &buf),
	    PC_ERR_INVAL);
	assert_int_equal(config_parse_conn_spec("user=a,,addr=b", &ci, &buf),
	    PC_ERR_INVAL);
}

static void
test_policy_view(void **state)
{
	struct policy_config pc;
	struct config *c;
	const struct servconf *g;

	assert_int_equal(tu_load("AddressFamily inet6\nGatewayPorts yes\n"
	    "AllowTcpForwarding remote\nDisableForwarding yes\nUseDNS yes\n"
	    "PermitOpen a:1\nAllowForwardingPort 80\n", NULL, NULL, &c), 0);
	g = config_global(c);
	config_policy_view(g, &pc);
	assert_int_equal(pc.address_family, AF_INET6);
	assert_int_equal(pc.gateway_ports, PC_GW_YES);
	assert_int_equal(pc.allow_tcp_forwarding, PC_FWD_REMOTE);
	assert_int_equal(pc.allow_tcp_forwarding_src.line, 3);
	assert_string_equal(pc.allow_tcp_forwarding_src.file, "test.conf");
	assert_true(pc.disable_forwarding);
	assert_true(pc.use_dns);
	assert_ptr_equal(pc.permit_open, &g->permit_open);
	assert_int_equal(pc.permit_open->n, 1);
	assert_int_equal(pc.allow_fwd_port->n, 1);
	assert_int_equal(pc.deny_fwd_to->n, 0);
	config_free(c);

	assert_int_equal(tu_load("AddressFamily inet\n", NULL, NULL, &c), 0);
	config_policy_view(config_global(c), &pc);
	assert_int_equal(pc.address_family, AF_INET);
	assert_int_equal(pc.allow_tcp_forwarding, PC_FWD_ALL);
	assert_null(pc.allow_tcp_forwarding_src.file);
	config_free(c);
	assert_int_equal(tu_load("", NULL, NULL, &c), 0);
	config_policy_view(config_global(c), &pc);
	assert_int_equal(pc.address_family, AF_UNSPEC);
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_cmdline_errors),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_conn_spec),
		cmocka_unit_test(test_policy_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
