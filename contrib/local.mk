# contrib/local.mk: systemd units, installed into $(systemdsystemunitdir)
# (configure --with-systemdsystemunitdir=DIR).
systemdsystemunit_DATA = contrib/portcullis.service contrib/portcullis.socket
CLEANFILES += contrib/portcullis.service
EXTRA_DIST += contrib/portcullis.service.in contrib/portcullis.socket

contrib/portcullis.service: contrib/portcullis.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) contrib && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/contrib/portcullis.service.in >$@.tmp && mv $@.tmp $@

# Debian packaging (debian/), shipped in the tarball so that
# `./dev.sh ci-extra deb` can build the package from it.
EXTRA_DIST += debian/changelog debian/control debian/copyright \
	debian/rules debian/postinst debian/postrm debian/README.Debian \
	debian/source/format
# Keeps m4/ (ACLOCAL_AMFLAGS -I m4) in the tarball.
EXTRA_DIST += m4/.gitkeep
