noinst_LIBRARIES += common/libcommon.a
common_libcommon_a_SOURCES = \
	common/err.c common/err.h \
	common/xmalloc.c common/xmalloc.h \
	common/log.c common/log.h \
	common/strlist.c common/strlist.h \
	common/match.c common/match.h \
	common/addr.c common/addr.h \
	common/authkeys.c common/authkeys.h
