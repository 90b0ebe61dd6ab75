/*
 * The one keyword table (STYLE.md 'Config as one table').  Parsing,
 * defaults, -T output and the man page's keyword list all come from here.
 *
 * CFG_KW(Keyword, field, type, scope, default, quiet, check)
 *   type     FLAG (yes/no) | INT | TIME (OpenSSH time spec, seconds) |
 *            STR | ENUM (names in config_value.c: cfg_enum_<field>) |
 *            LIST (words accumulate over lines, -o and file together) |
 *            FIRSTLIST (the whole first line wins) |
 *            SPECIAL (own parser in config_value.c: cfg_special_<field>)
 *   scope    G: global section only; M: also inside Match (as OpenSSH
 *            9.2 on Debian: SSHCFG_GLOBAL / SSHCFG_ALL)
 *   default  text as it would be written in the file; NULL = unset
 *            (-T prints "none" for unset lists/strings).  STR fields that
 *            OpenSSH clears on "none" (Banner, ForceCommand, ...) are NULL
 *            when unset or "none" (check *_none).
 *   quiet    NULL: implemented.  Otherwise the keyword parses but the
 *            feature is not implemented: a value other than these
 *            (space-separated, case-insensitive) logs
 *            "FILE:LINE: Keyword value is not supported; ignored" and the
 *            feature stays off (the default, which is a quiet value).
 *            A list starting with '!' marks a feature whose absence would
 *            widen access (ChrootDirectory, AuthenticationMethods,
 *            RevokedKeys): any other value is an error instead.
 *   check    value syntax: cfg_chk_<check> in config_value.c (word count,
 *            per-word validator, number range).
 *
 * CFG_ALIAS(Name, Keyword, scope): another name for Keyword (its scope may
 * differ, as DSAAuthentication's does in OpenSSH).
 * CFG_OLD(Name, scope, how): accepted and ignored; how = DEPRECATED
 * ("Deprecated option X"), UNSUPPORTED ("Unsupported option X"), both at
 * INFO, or IGNORED (debug only), as OpenSSH 9.2 does.
 */
#ifndef CFG_ALIAS
#define CFG_ALIAS(name, kw, scope)
#define CFG_ALIAS_DEFAULTED
#endif
#ifndef CFG_OLD
#define CFG_OLD(name, scope, how)
#define CFG_OLD_DEFAULTED
#endif

/* ---- listening and process ---- */
CFG_KW(Port, ports, LIST, G, "22", NULL, port)
CFG_KW(ListenAddress, listen_addrs, LIST, G, NULL, NULL, listenaddr)
CFG_KW(AddressFamily, address_family, ENUM, G, "any", NULL, none)
CFG_KW(HostKey, host_keys, LIST, G, NULL, NULL, path)
CFG_KW(HostCertificate, host_certificates, LIST, G, NULL, "", path)
CFG_KW(HostKeyAgent, host_key_agent, STR, G, NULL, "none", path_none)
CFG_KW(PidFile, pid_file, STR, G, "/run/portcullisd.pid", NULL, path_none)
CFG_KW(LogLevel, log_level, ENUM, M, "INFO", NULL, none)
CFG_KW(LogVerbose, log_verbose, FIRSTLIST, M, NULL, "none", logverbose)
CFG_KW(SyslogFacility, syslog_facility, ENUM, G, "AUTH", NULL, none)
CFG_KW(LoginGraceTime, login_grace_time, TIME, G, "120", NULL, nonneg)
CFG_KW(MaxStartups, max_startups, SPECIAL, G, "10:30:100", NULL, none)
CFG_KW(PerSourceMaxStartups, per_source_max_startups, SPECIAL, G, "none", NULL, none)
CFG_KW(PerSourceNetBlockSize, per_source_netblock, SPECIAL, G, "32:128", NULL, none)
CFG_KW(TCPKeepAlive, tcp_keep_alive, FLAG, G, "yes", NULL, none)
CFG_KW(ClientAliveInterval, client_alive_interval, TIME, M, "0", NULL, nonneg)
CFG_KW(ClientAliveCountMax, client_alive_count_max, INT, M, "3", NULL, nonneg)
CFG_KW(UseDNS, use_dns, FLAG, G, "no", NULL, none)
CFG_KW(VersionAddendum, version_addendum, STR, G, "none", NULL, addendum)
CFG_KW(DebianBanner, debian_banner, FLAG, G, "yes", NULL, none)
CFG_KW(IPQoS, ipqos, STR, M, "af21 cs1", NULL, ipqos)
CFG_KW(RDomain, rdomain, STR, M, NULL, "none", word_none)
CFG_KW(UnusedConnectionTimeout, unused_connection_timeout, STR, M, "none", "none", time_none)
CFG_KW(ChannelTimeout, channel_timeout, FIRSTLIST, M, NULL, "none", chantimeout)
CFG_KW(ModuliFile, moduli_file, STR, G, NULL, NULL, path_none)
/* ---- crypto ---- */
CFG_KW(KexAlgorithms, kex_algorithms, STR, G, NULL, NULL, algos)
CFG_KW(Ciphers, ciphers, STR, G, NULL, NULL, algos)
CFG_KW(MACs, macs, STR, G, NULL, NULL, algos)
CFG_KW(HostKeyAlgorithms, host_key_algorithms, STR, G, NULL, NULL, algos)
CFG_KW(PubkeyAcceptedAlgorithms, pubkey_accepted_algorithms, STR, M, NULL, NULL, algos)
CFG_KW(HostbasedAcceptedAlgorithms, hostbased_accepted_algorithms, STR, M, NULL, NULL, algos)
CFG_KW(CASignatureAlgorithms, ca_signature_algorithms, STR, M, NULL, NULL, algos)
CFG_KW(RekeyLimit, rekey_limit, STR, M, "default none", NULL, rekey)
CFG_KW(Compression, compression, ENUM, G, "yes", NULL, none)
CFG_KW(FingerprintHash, fingerprint_hash, ENUM, G, "SHA256", NULL, none)
CFG_KW(RequiredRSASize, required_rsa_size, INT, M, "1024", NULL, nonneg)
CFG_KW(SecurityKeyProvider, security_key_provider, STR, G, "internal", NULL, path)
/* ---- authentication ---- */
CFG_KW(PermitRootLogin, permit_root_login, ENUM, M, "prohibit-password", NULL, none)
CFG_KW(MaxAuthTries, max_auth_tries, INT, M, "6", NULL, nonneg)
CFG_KW(MaxSessions, max_sessions, INT, M, "10", NULL, nonneg)
CFG_KW(PubkeyAuthentication, pubkey_authentication, FLAG, M, "yes", NULL, none)
CFG_KW(PubkeyAuthOptions, pubkey_auth_options, FIRSTLIST, M, "none", NULL, pkauthopts)
CFG_KW(AuthorizedKeysFile, authorized_keys_files, FIRSTLIST, M, ".ssh/authorized_keys .ssh/authorized_keys2", NULL, paths)
CFG_KW(AuthorizedKeysCommand, authorized_keys_command, STR, M, "none", "none", command)
CFG_KW(AuthorizedKeysCommandUser, authorized_keys_command_user, STR, M, NULL, NULL, word_none)
CFG_KW(AuthorizedPrincipalsFile, authorized_principals_file, STR, M, "none", "none", path_none)
CFG_KW(AuthorizedPrincipalsCommand, authorized_principals_command, STR, M, "none", "none", command)
CFG_KW(AuthorizedPrincipalsCommandUser, authorized_principals_command_user, STR, M, NULL, NULL, word_none)
CFG_KW(TrustedUserCAKeys, trusted_user_ca_keys, STR, M, "none", "none", path_none)
CFG_KW(RevokedKeys, revoked_keys, STR, M, "none", "!none", path_none)
CFG_KW(StrictModes, strict_modes, FLAG, G, "yes", NULL, none)
CFG_KW(PasswordAuthentication, password_authentication, FLAG, M, "yes", NULL, none)
CFG_KW(KbdInteractiveAuthentication, kbd_interactive_authentication, FLAG, M, "yes", NULL, none)
CFG_KW(PermitEmptyPasswords, permit_empty_passwords, FLAG, M, "no", NULL, none)
CFG_KW(UsePAM, use_pam, FLAG, G, "no", NULL, none)
CFG_KW(AuthenticationMethods, authentication_methods, STR, M, "any", "!any", authmethods)
CFG_KW(AllowUsers, allow_users, LIST, M, NULL, NULL, userpat)
CFG_KW(DenyUsers, deny_users, LIST, M, NULL, NULL, userpat)
CFG_KW(AllowGroups, allow_groups, LIST, M, NULL, NULL, words)
CFG_KW(DenyGroups, deny_groups, LIST, M, NULL, NULL, words)
CFG_KW(HostbasedAuthentication, hostbased_authentication, FLAG, M, "no", "no", none)
CFG_KW(HostbasedUsesNameFromPacketOnly, hostbased_uses_name_from_packet_only, FLAG, M, "no", NULL, none)
CFG_KW(IgnoreRhosts, ignore_rhosts, STR, M, "yes", NULL, ignorerhosts)
CFG_KW(IgnoreUserKnownHosts, ignore_user_known_hosts, FLAG, G, "no", NULL, none)
CFG_KW(KerberosAuthentication, kerberos_authentication, FLAG, M, "no", "no", none)
CFG_KW(KerberosOrLocalPasswd, kerberos_or_local_passwd, FLAG, G, "yes", NULL, none)
CFG_KW(KerberosTicketCleanup, kerberos_ticket_cleanup, FLAG, G, "yes", NULL, none)
CFG_KW(KerberosGetAFSToken, kerberos_get_afs_token, FLAG, G, "no", "no", none)
CFG_KW(GSSAPIAuthentication, gssapi_authentication, FLAG, M, "no", "no", none)
CFG_KW(GSSAPICleanupCredentials, gssapi_cleanup_credentials, FLAG, G, "yes", NULL, none)
CFG_KW(GSSAPIStrictAcceptorCheck, gssapi_strict_acceptor_check, FLAG, G, "yes", NULL, none)
CFG_KW(GSSAPIKeyExchange, gssapi_key_exchange, FLAG, G, "no", "no", none)
CFG_KW(GSSAPIStoreCredentialsOnRekey, gssapi_store_credentials_on_rekey, FLAG, G, "no", NULL, none)
CFG_KW(GSSAPIKexAlgorithms, gssapi_kex_algorithms, STR, G, NULL, NULL, algos)
CFG_KW(ExposeAuthInfo, expose_auth_info, FLAG, M, "no", "no", none)
/* ---- sessions ---- */
CFG_KW(AcceptEnv, accept_env, LIST, M, NULL, NULL, envname)
CFG_KW(SetEnv, set_env, FIRSTLIST, M, NULL, NULL, setenv)
CFG_KW(PermitUserEnvironment, permit_user_environment, STR, G, "no", NULL, word)
CFG_KW(Subsystem, subsystems, SPECIAL, G, NULL, NULL, none)
CFG_KW(ForceCommand, force_command, STR, M, "none", NULL, line_none)
CFG_KW(Banner, banner, STR, M, "none", NULL, path_none)
CFG_KW(PermitTTY, permit_tty, FLAG, M, "yes", NULL, none)
CFG_KW(PermitUserRC, permit_user_rc, FLAG, M, "yes", NULL, none)
CFG_KW(PrintMotd, print_motd, FLAG, G, "no", "no", none)
CFG_KW(PrintLastLog, print_last_log, FLAG, G, "no", "no", none)
CFG_KW(ChrootDirectory, chroot_directory, STR, M, "none", "!none", path_none)
CFG_KW(X11Forwarding, x11_forwarding, FLAG, M, "no", "no", none)
CFG_KW(X11DisplayOffset, x11_display_offset, INT, M, "10", NULL, nonneg)
CFG_KW(X11UseLocalhost, x11_use_localhost, FLAG, M, "yes", NULL, none)
CFG_KW(XAuthLocation, xauth_location, STR, G, "/usr/bin/xauth", NULL, path_none)
CFG_KW(AllowAgentForwarding, allow_agent_forwarding, FLAG, M, "yes", NULL, none)
CFG_KW(PermitTunnel, permit_tunnel, ENUM, M, "no", "no", none)
/* ---- forwarding (POLICY.md) ---- */
CFG_KW(AllowTcpForwarding, allow_tcp_forwarding, ENUM, M, "yes", NULL, none)
CFG_KW(AllowStreamLocalForwarding, allow_streamlocal_forwarding, ENUM, M, "yes", NULL, none)
CFG_KW(DisableForwarding, disable_forwarding, FLAG, M, "no", NULL, none)
CFG_KW(GatewayPorts, gateway_ports, ENUM, M, "no", NULL, none)
CFG_KW(PermitOpen, permit_open, FIRSTLIST, M, NULL, NULL, permitopen)
CFG_KW(PermitListen, permit_listen, FIRSTLIST, M, NULL, NULL, permitlisten)
CFG_KW(StreamLocalBindMask, streamlocal_bind_mask, STR, M, "0177", NULL, mask)
CFG_KW(StreamLocalBindUnlink, streamlocal_bind_unlink, FLAG, M, "no", NULL, none)
CFG_KW(AllowTcpForwardingForUsers, allow_fwd_users, LIST, M, NULL, NULL, fwduser)
CFG_KW(AllowTcpForwardingForGroups, allow_fwd_groups, LIST, M, NULL, NULL, fwdgroup)
CFG_KW(DenyTcpForwardingForUsers, deny_fwd_users, LIST, M, NULL, NULL, fwduser)
CFG_KW(DenyTcpForwardingForGroups, deny_fwd_groups, LIST, M, NULL, NULL, fwdgroup)
CFG_KW(AllowForwardingPort, allow_fwd_port, LIST, M, NULL, NULL, fwdport)
CFG_KW(DenyForwardingPort, deny_fwd_port, LIST, M, NULL, NULL, fwdport)
CFG_KW(AllowForwardingTo, allow_fwd_to, LIST, M, NULL, NULL, fwdto)
CFG_KW(DenyForwardingTo, deny_fwd_to, LIST, M, NULL, NULL, fwdto)
CFG_KW(ForwardConnectWait, forward_connect_wait, INT, M, "250", NULL, connwait)
CFG_KW(ForwardLookupTimeout, forward_lookup_timeout, TIME, M, "2", NULL, lookup)
CFG_KW(MaxForwardChannels, max_forward_channels, INT, M, "4096", NULL, fwdchannels)
CFG_KW(MaxForwardListeners, max_forward_listeners, INT, M, "64", NULL, fwdlisteners)
CFG_KW(HostsAllowFile, hosts_allow_file, STR, G, "/etc/hosts.allow", NULL, path)
CFG_KW(HostsDenyFile, hosts_deny_file, STR, G, "/etc/hosts.deny", NULL, path)

/* ---- other names (OpenSSH 9.2 servconf.c keywords[] + Debian) ---- */
CFG_ALIAS(HostDSAKey, HostKey, G)
CFG_ALIAS(HostbasedAcceptedKeyTypes, HostbasedAcceptedAlgorithms, M)
CFG_ALIAS(PubkeyAcceptedKeyTypes, PubkeyAcceptedAlgorithms, M)
CFG_ALIAS(DSAAuthentication, PubkeyAuthentication, G)
CFG_ALIAS(ChallengeResponseAuthentication, KbdInteractiveAuthentication, M)
CFG_ALIAS(SkeyAuthentication, KbdInteractiveAuthentication, M)
CFG_ALIAS(KeepAlive, TCPKeepAlive, G)
CFG_ALIAS(GSSAPICleanupCreds, GSSAPICleanupCredentials, G)

CFG_OLD(PAMAuthenticationViaKbdInt, G, DEPRECATED)
CFG_OLD(ServerKeyBits, G, DEPRECATED)
CFG_OLD(KeyRegenerationInterval, G, DEPRECATED)
CFG_OLD(RhostsAuthentication, G, DEPRECATED)
CFG_OLD(RhostsRSAAuthentication, M, DEPRECATED)
CFG_OLD(RSAAuthentication, M, DEPRECATED)
CFG_OLD(CheckMail, G, DEPRECATED)
CFG_OLD(UseLogin, G, DEPRECATED)
CFG_OLD(VerifyReverseMapping, G, DEPRECATED)
CFG_OLD(ReverseMappingCheck, G, DEPRECATED)
CFG_OLD(AuthorizedKeysFile2, M, DEPRECATED)
CFG_OLD(UsePrivilegeSeparation, G, DEPRECATED)
CFG_OLD(PermitBlacklistedKeys, G, DEPRECATED)
CFG_OLD(KerberosTgtPassing, G, UNSUPPORTED)
CFG_OLD(AFSTokenPassing, G, UNSUPPORTED)
CFG_OLD(GSSAPIUseSessionCredCache, G, UNSUPPORTED)
CFG_OLD(GSSUseSessionCCache, G, UNSUPPORTED)
CFG_OLD(Protocol, G, IGNORED)

#ifdef CFG_ALIAS_DEFAULTED
#undef CFG_ALIAS
#undef CFG_ALIAS_DEFAULTED
#endif
#ifdef CFG_OLD_DEFAULTED
#undef CFG_OLD
#undef CFG_OLD_DEFAULTED
#endif
