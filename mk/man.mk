# SPDX-License-Identifier: Apache-2.0
# Manual pages: man/*.scd, written in scdoc (a Debian package), built into
# build/man and installed by install.sh. `make check` renders each with
# `man -l` and checks the policy page against the parser
# (tests/integration/docs.sh).
SCDOC ?= scdoc
MAN_SRC := $(wildcard man/*.scd)
MANS := $(MAN_SRC:man/%.scd=$(B)/man/%)

.PHONY: man
man: $(MANS)
all: $(MANS)

$(B)/man/%: man/%.scd
	@mkdir -p $(dir $@)
	$(SCDOC) <$< >$@.tmp && mv $@.tmp $@
