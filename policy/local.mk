# Owned by the policy work.  No libssh here.
noinst_LIBRARIES += policy/libpolicy.a
policy_libpolicy_a_SOURCES = \
	policy/policy.h policy/policy_config.h policy/policy_int.h \
	policy/pattern.c policy/pattern.h \
	policy/policy.c policy/policy_compile.c policy/policy_permit.c \
	policy/policy_ext.c policy/gateway.c \
	policy/explain.c policy/explain.h
if WITH_LIBWRAP
policy_libpolicy_a_SOURCES += policy/wrap.c policy/wrap.h
endif
