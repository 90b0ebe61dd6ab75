# etc/local.mk: the installed configuration.
#
# etc/sshd_config names /etc/portcullis/...; the copy installed as
# $(sysconfdir)/portcullis/sshd_config names $(sysconfdir)/portcullis/
# instead.  As OpenSSH does, `make install` never overwrites an existing
# sshd_config, and `make uninstall` removes it only if it is unchanged.

portcullisconfdir = $(sysconfdir)/portcullis
pamdir = $(sysconfdir)/pam.d
dist_pam_DATA = etc/pam.d/portcullis
dist_doc_DATA += etc/hosts.allow.example
EXTRA_DIST += etc/sshd_config
noinst_DATA = etc/sshd_config.installed
CLEANFILES += etc/sshd_config.installed

etc/sshd_config.installed: etc/sshd_config Makefile
	$(AM_V_GEN)$(MKDIR_P) etc && \
	sed -e 's|/etc/portcullis/|$(portcullisconfdir)/|g' \
		$(srcdir)/etc/sshd_config >$@.tmp && mv $@.tmp $@

install-data-local: etc/sshd_config.installed
	$(MKDIR_P) '$(DESTDIR)$(portcullisconfdir)/sshd_config.d'
	@if test -f '$(DESTDIR)$(portcullisconfdir)/sshd_config'; then \
		echo "$(DESTDIR)$(portcullisconfdir)/sshd_config exists: not overwritten"; \
	else \
		echo " $(INSTALL_DATA) etc/sshd_config.installed '$(DESTDIR)$(portcullisconfdir)/sshd_config'"; \
		$(INSTALL_DATA) etc/sshd_config.installed '$(DESTDIR)$(portcullisconfdir)/sshd_config'; \
	fi

uninstall-local:
	@f='$(DESTDIR)$(portcullisconfdir)/sshd_config'; \
	if test -f "$$f" && cmp -s etc/sshd_config.installed "$$f"; then \
		echo " rm -f $$f"; rm -f "$$f"; \
	fi
	-rmdir '$(DESTDIR)$(portcullisconfdir)/sshd_config.d' '$(DESTDIR)$(portcullisconfdir)' 2>/dev/null
