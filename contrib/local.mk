# contrib/local.mk: systemd units, installed into $(systemdsystemunitdir)
# (configure --with-systemdsystemunitdir=DIR).
systemdsystemunit_DATA = contrib/portcullis.service contrib/portcullis.socket
CLEANFILES += contrib/portcullis.service
EXTRA_DIST += contrib/portcullis.service.in contrib/portcullis.socket

contrib/portcullis.service: contrib/portcullis.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) contrib && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/contrib/portcullis.service.in >$@.tmp && mv $@.tmp $@
