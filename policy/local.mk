# Owned by the policy work.  No libssh here.
noinst_LIBRARIES += policy/libpolicy.a
policy_libpolicy_a_SOURCES = \
	policy/policy.h policy/policy_config.h \
	policy/pattern.c policy/pattern.h
