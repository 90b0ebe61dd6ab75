# tests/integration/hostile.mk: hostile-client and fault tests that fit
# in `make check` (each well under a minute).
integration_tests +=
