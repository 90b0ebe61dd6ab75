# cmocka unit tests; each part adds its programs in its own fragment.
if HAVE_CMOCKA
unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DTEST_DATA_DIR='"$(abs_top_srcdir)/tests/unit/data"'
unit_ldadd = policy/libpolicy.a common/libcommon.a $(CMOCKA_LIBS)
include tests/unit/common.mk
include tests/unit/policy.mk
include tests/unit/config.mk
include tests/unit/authkeys.mk
include tests/unit/session.mk
include tests/unit/readahead.mk
include tests/unit/pidcache.mk
endif
EXTRA_DIST += tests/unit/data
