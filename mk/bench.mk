# SPDX-License-Identifier: Apache-2.0
# Benchmarks (issue 6, "Performance").
#
#   make bench    build, run bench/*.sh against runc, print one Markdown
#                 table and write it, with the machine and the commands,
#                 to bench/RESULTS.md (root; runc, jq and busybox needed)
#
# Knobs: BENCH_ROUNDS (>= 20), BENCH_REPEATS, BENCH_PARALLEL_ROUNDS; see
# bench/lib.sh and bench/run.sh.

BENCH_B := $(B)/bench

.PHONY: bench

# The paired timer is built like the front ends, hardening included, so
# its own fork and exec are what a real caller's would be.
$(BENCH_B)/%: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(HARDEN) $(CFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The pass-through's floors (bench/engine.sh): a program in front of runc
# that only execs it, linked as the front ends are, and one without libc.
$(BENCH_B)/exec-glibc: bench/exec-glibc.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(HARDEN) $(CFLAGS) $(ALL_LDFLAGS) $(FRONT_LDFLAGS) -o $@ $<

$(BENCH_B)/exec-nolibc: bench/exec-nolibc.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -static -nostdlib -fno-stack-protector -o $@ $<

bench: all $(BENCH_B)/timer $(BENCH_B)/lifecycle $(BENCH_B)/exec-glibc $(BENCH_B)/exec-nolibc
	@bench/run.sh $(B)
