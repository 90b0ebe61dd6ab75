# tests/unit/pidcache.mk: sshd/pidcache.c (getpid() from a MADV_WIPEONFORK
# page): children see their own pid and OpenSSL still reseeds after fork.
check_PROGRAMS += tests/unit/test_pidcache
TESTS += tests/unit/test_pidcache

tests_unit_test_pidcache_SOURCES = tests/unit/test_pidcache.c \
	sshd/pidcache.c sshd/pidcache.h
tests_unit_test_pidcache_CFLAGS = $(unit_cflags) $(CRYPTO_CFLAGS)
tests_unit_test_pidcache_LDADD = $(unit_ldadd) $(CRYPTO_LIBS) -lpthread
