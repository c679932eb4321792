# SPDX-License-Identifier: Apache-2.0
# Fuzzing and sanitizers (issue 6, "Reliability and security").
#
#   make fuzz            each libFuzzer harness for FUZZ_SECONDS (default 30)
#   make fuzz-run-NAME   one harness (NAME: state spec policy bpf seccomp authz dockerseccomp)
#   make fuzz-regress    replay the seed corpus and the regressions once, under ASan+UBSan
#   make asan-check      the whole `make check`, built into build-asan with ASan+UBSan
#   make valgrind-check  hook, shim and CLI under valgrind on the real Docker fixtures
#
# The harnesses are tests/fuzz/fuzz-*.c. Each is also linked, without
# libFuzzer, to tests/fuzz/replay.c as $(B)/fuzz-replay/fuzz-NAME, which
# `make check` builds and tests/integration/fuzz-regress.sh runs on the
# corpus and the regressions: a crash once found stays a failing test.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
FUZZ_B := $(B)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# -Werror stays off for the core here: a clang-only warning in a file
# someone else is editing must not stop the fuzzers. The harnesses keep it.
# The core gets libFuzzer's coverage instrumentation too, or the fuzzer is blind.
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP
FUZZ_CORE_OBJ := $(CORE_SRC:%.c=$(FUZZ_B)/obj/%.o)

# The converter's harness is built only while src/dockerseccomp.h exists.
FUZZ_NAMES := state spec policy bpf seccomp authz $(if $(wildcard src/dockerseccomp.h),dockerseccomp)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz-%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(B)/fuzz-replay/fuzz-%)

# -max_len per input kind: a bit above the largest real input of each.
FUZZ_MAXLEN_state := 4096
FUZZ_MAXLEN_spec := 65536
FUZZ_MAXLEN_policy := 16384
FUZZ_MAXLEN_bpf := 32776
FUZZ_MAXLEN_seccomp := 32768
FUZZ_MAXLEN_dockerseccomp := 65536
FUZZ_MAXLEN_authz := 65536
# Narrow suppressions of leaks inside libseccomp (see the file).
# libseccomp is built without frame pointers: only the slow unwinder sees
# past its allocator to the function the suppression names.
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/fuzz/lsan.supp:print_suppressions=0
export ASAN_OPTIONS := fast_unwind_on_malloc=0
FUZZ_FLAGS = -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN_$*) -timeout=10 \
             -rss_limit_mb=2048 -print_final_stats=1 \
             $(if $(filter bpf,$*),,-dict=tests/fuzz/json.dict)

.PHONY: fuzz fuzz-build fuzz-replay fuzz-regress asan-check valgrind-check $(FUZZ_NAMES:%=fuzz-run-%)

$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(filter-out -Werror,$(WARN)) -c $< -o $@

$(FUZZ_B)/obj/src/cache.o: FUZZ_CFLAGS += -DCONFINE_CORE_ID='"fuzz-$(CORE_ID)"'

$(FUZZ_B)/harness/%.o: tests/fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -c $< -o $@

$(FUZZ_B)/fuzz-%: $(FUZZ_B)/harness/fuzz-%.o $(FUZZ_CORE_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

# The same harnesses as plain programs, built like the unit tests.
$(B)/fuzz-replay/fuzz-%: $(B)/obj/tests/fuzz/fuzz-%.o $(B)/obj/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The JSON layer stands alone: the state harness (the hook's first
# untrusted input, through oci/json.c and oci/spec.c) is linked from
# base/ and oci/ and yajl only, so an include or a call that reaches up
# into the rules breaks this build.
ifeq ($(STATIC_DEPS),1)
JSON_LIBS := -Wl,-Bstatic -l:libyajl_s.a -Wl,-Bdynamic
else
JSON_LIBS := $(shell pkg-config --libs yajl)
endif
$(FUZZ_B)/fuzz-state: $(FUZZ_B)/harness/fuzz-state.o $(filter $(FUZZ_B)/obj/base/% $(FUZZ_B)/obj/oci/%,$(FUZZ_CORE_OBJ))
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(JSON_LIBS)
$(B)/fuzz-replay/fuzz-state: $(B)/obj/tests/fuzz/fuzz-state.o $(B)/obj/tests/fuzz/replay.o \
                             $(filter $(B)/obj/base/% $(B)/obj/oci/%,$(CORE_OBJ))
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(JSON_LIBS)
check: fuzz-replay

# Objects named here, not only by pattern rules, so make neither deletes
# them as intermediates nor skips rebuilding them when they are missing.
FUZZ_OBJS := $(FUZZ_CORE_OBJ) $(FUZZ_NAMES:%=$(FUZZ_B)/harness/fuzz-%.o)
REPLAY_OBJS := $(FUZZ_NAMES:%=$(B)/obj/tests/fuzz/fuzz-%.o) $(B)/obj/tests/fuzz/replay.o
fuzz-build: $(FUZZ_OBJS) $(FUZZ_BINS)
fuzz-replay: $(REPLAY_OBJS) $(REPLAY_BINS)

# A harness's new inputs go to $(FUZZ_B)/work/NAME, never into the
# committed corpus; crashes land in $(FUZZ_B)/artifacts/NAME/.
$(FUZZ_NAMES:%=fuzz-run-%): fuzz-run-%: $(FUZZ_B)/fuzz-%
	@mkdir -p $(FUZZ_B)/work/$* $(FUZZ_B)/artifacts/$* tests/fuzz/regressions/$*
	@echo "== fuzz-$* for $(FUZZ_SECONDS)s"
	$(FUZZ_B)/fuzz-$* $(FUZZ_FLAGS) -artifact_prefix=$(FUZZ_B)/artifacts/$*/ \
	  $(FUZZ_B)/work/$* tests/fuzz/corpus/$* tests/fuzz/regressions/$*

# Every harness runs even when an earlier one crashes; the target fails
# if any did. Then what the spec fuzzer found is read by runc's own code
# too (mk/oracle.mk): a divergence from runc fails like a crash.
fuzz: fuzz-build
	@failed=""; \
	for n in $(FUZZ_NAMES); do \
	  $(MAKE) --no-print-directory fuzz-run-$$n || failed="$$failed $$n"; \
	done; \
	$(MAKE) --no-print-directory fuzz-oracle || failed="$$failed oracle"; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed (see $(FUZZ_B)/artifacts/, $(B)/oracle/divergent/)"; exit 1; fi; \
	echo "fuzz: no crash in $(words $(FUZZ_NAMES)) harnesses"

fuzz-regress: fuzz-build
	@tests/fuzz/regress.sh $(FUZZ_B) $(FUZZ_NAMES)

# Everything rebuilt with gcc's ASan and UBSan, then the whole suite.
# -O2 stays (it keeps _FORTIFY_SOURCE quiet); halt_on_error makes UBSan
# fatal even where -fno-sanitize-recover is not honoured.
ASAN_B ?= build-asan
ASAN_FLAGS := -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Under the sanitizers: every unit test, and the integration suites that
# feed our own binaries their inputs. The engines' suites (dockerd,
# containerd, Podman, the installer) exercise the same code paths at many
# times the cost, and the full list runs in `make check`.
ASAN_SUITES ?= hook-runc.sh shim-runc.sh shim-start.sh cli-check.sh cli-audit.sh cli-status.sh \
               cli-denials.sh faults.sh faults-limits.sh mounts-runc.sh seccomp-needs.sh \
               fuzz-regress.sh seccomp-clone.sh
asan-check:
	CONFINE_TEST_ONLY='$(ASAN_SUITES)' \
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:fast_unwind_on_malloc=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory B=$(ASAN_B) LINK=dynamic CFLAGS='$(ASAN_FLAGS)' \
	  LDFLAGS='-fsanitize=address,undefined' check

valgrind-check: all $(DYN_BINS) fuzz-replay
	@tests/sanitizers/valgrind.sh $(B)

-include $(shell find $(FUZZ_B) -name '*.d' 2>/dev/null)
