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

bench: all $(BENCH_B)/timer $(BENCH_B)/lifecycle
	@bench/run.sh $(B)
