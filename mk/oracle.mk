# SPDX-License-Identifier: Apache-2.0
# runc's own reading of config.json as a test oracle (issue 9).
#
#   make oracle        build $(B)/oracle/runc-oracle (Go, from runc 1.1.5's
#                      packaged source, offline) and $(B)/oracle/confine-facts
#   make oracle-check  the differential alone (tests/integration/oracle.sh)
#   make fuzz-oracle   replay what the spec fuzzer found through the differential
#
# The Go side needs golang-go, golang-github-opencontainers-runc-dev and
# golang-github-opencontainers-specs-dev (tests/deps.sh), and cgo with
# libseccomp for runc's BPF. It is a test tool only; nothing ships it.

ORACLE_GO_ENV := GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off \
                 GOTOOLCHAIN=local CGO_ENABLED=1 GOCACHE=$(CURDIR)/$(B)/go-cache
ORACLE_GO_SRC := $(wildcard tests/oracle/runc-oracle/*.go tests/oracle/runc-oracle/*.s)

.PHONY: oracle oracle-check fuzz-oracle
oracle: $(B)/oracle/runc-oracle $(B)/oracle/confine-facts
check: oracle

$(B)/oracle/runc-oracle: $(ORACLE_GO_SRC)
	@mkdir -p $(dir $@)
	$(ORACLE_GO_ENV) go build -tags seccomp -o $@ ./tests/oracle/runc-oracle

$(B)/oracle/confine-facts: $(B)/obj/tests/oracle/confine-facts.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

oracle-check: oracle
	@BUILD=$(CURDIR)/$(B) ROOT=$(CURDIR) bash tests/integration/oracle.sh

# Every input the spec fuzzer kept (its work corpus and its findings) is
# read by runc's code and by confine's, and mutated further for
# FUZZ_SECONDS with a new seed each run (printed, for ORACLE_SEED): a
# document that confine reads differently from runc fails here.
fuzz-oracle: oracle
	@BUILD=$(CURDIR)/$(B) ROOT=$(CURDIR) ORACLE_EXTRA="$(wildcard $(FUZZ_B)/work/spec $(FUZZ_B)/artifacts/spec)" \
	  ORACLE_SEED=$${ORACLE_SEED:-$$(date +%s)} ORACLE_N=$${ORACLE_N:-10000000} ORACLE_BUDGET=$(FUZZ_SECONDS) \
	  bash tests/integration/oracle.sh
