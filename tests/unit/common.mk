# tests/unit/common.mk
