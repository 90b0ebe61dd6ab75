# tests/unit/authkeys.mk
