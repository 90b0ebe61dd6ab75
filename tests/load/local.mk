# tests/load/local.mk: load tests too long for `make check`; run by
# `make check-load` and by `./dev.sh ci-extra` (step "load").
