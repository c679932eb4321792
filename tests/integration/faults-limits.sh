#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fault injection (issue 6): resource exhaustion. The hook (and the shim)
# under a small address space (ulimit -v), under a small fd limit
# (ulimit -n), and with single allocations failing (a malloc that returns
# NULL on its Nth call, by LD_PRELOAD). Every run on a spec that must be
# refused must refuse with a `confine: ` line: exit 0 would be the gate
# failing open, a signal a crash, a timeout a hang. A spec that may pass
# either passes or is refused with a `confine: ` line.
# A run that cannot even start (the dynamic loader cannot map libc) is no
# verdict of ours and is counted apart.
#
# CONFINE_SLOW_TESTS=1 fails every allocation index, not a sample.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/../lib/assert.sh"

T=$(mktemp -d /tmp/confine-faults-limits.XXXXXX)
trap 'rm -rf "$T"' EXIT
# Copies: a rebuild while the sweeps run must not show up as a fault.
cp "$BUILD/confine-hook" "$BUILD/confine-runtime" "$T/"
HOOK=$T/confine-hook
SHIM=$T/confine-runtime
# The allocation sweeps interpose on the shared libc (LD_PRELOAD), which a
# static program never loads: they run the same code linked against it
# (make builds both; see the Makefile's LINK).
mkdir -p "$T/dynamic"
cp "$BUILD/dynamic/confine-hook" "$BUILD/dynamic/confine-runtime" "$T/dynamic/"

command -v jq >/dev/null || { fail "faults-limits-setup" "jq is not installed"; exit 1; }
mkdir -p "$T/nosfs"
# No cache: every run compiles and judges the filter, the part of the
# work that allocates most. No filter repair: the weak spec stays refused.
POLICY=$T/policy.json
test_policy "$POLICY" "$T/nosfs" \
  ".apparmor.when_unavailable = \"skip\" | .cache_dir = \"$T/no/cache\" | .decision_log = null
   | .inject.seccomp_repair = false
   | .runtime = \"$T/runtime-stub\" | .seccomp.default_profile = \"$ROOT/profiles/seccomp/default.json\""
# The shim's runtime: if it ever runs for a refused spec, it leaves a mark.
cat > "$T/runtime-stub" <<EOF
#!/bin/sh
: > "$T/runtime-ran"
EOF
chmod 0755 "$T/runtime-stub"

FIX=$ROOT/tests/fixtures/docker
# spec NAME JQ-FILTER: a bundle from Docker's default config, without
# the network hook of the dockerd that wrote it (gone, so refused), its
# cgroup named after the id NAME, as Docker names it.
spec () {
  mkdir -p "$T/$1"
  jq --arg id "$1" "del(.hooks) | .linux.cgroupsPath = \"/docker/\" + \$id | $2 | $SHIM_DEVICES" "$FIX/default.json" > "$T/$1/config.json"
  printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","bundle":"%s"}' \
    "$1" "$T/$1" > "$T/$1.state"
}
spec allowed '.'
# Must be refused: a filter that allows everything it should block.
spec weak ".linux.seccomp = $(jq -c '.linux.seccomp' "$FIX/weak-seccomp.json")"
# Must be refused for exactly one syscall on one ABI: Docker's profile
# plus `mount` allowed, on x86_64 only. A filter built wrong in a way that
# loses rules would hide this single leak.
spec one-leak '.linux.seccomp.syscalls += [{names: ["mount"], action: "SCMP_ACT_ALLOW"}]
               | .linux.seccomp.architectures = ["SCMP_ARCH_X86_64"]'

for s in allowed weak one-leak; do
  "$HOOK" --policy "$POLICY" < "$T/$s.state" > /dev/null 2> "$T/$s.base"
  echo "$?" > "$T/$s.rc"
done
if [ "$(cat "$T/allowed.rc")" != 0 ] || [ "$(cat "$T/weak.rc")" != 1 ] || [ "$(cat "$T/one-leak.rc")" != 1 ]; then
  fail "faults-limits-setup" "unexpected verdicts without faults: allowed $(cat "$T/allowed.rc"), weak $(cat "$T/weak.rc"), one-leak $(cat "$T/one-leak.rc"): $(cat "$T/one-leak.base")"
  exit 1
fi

# judge NAME SPEC RC ERRFILE: classify one run into $T/NAME.bad (one line
# per bad outcome: "class detail").
judge () {
  local name=$1 s=$2 rc=$3 err=$4 first
  first=$(head -n 1 "$err")
  if [ "$rc" = 0 ]; then
    [ "$s" != allowed ] && echo "fail-open ${first:-(no output)}" >> "$T/$name.bad"
  elif [ "$rc" = 124 ]; then
    echo "hang (killed by timeout)" >> "$T/$name.bad"
  elif [ "$rc" -gt 128 ]; then
    echo "crash signal $((rc - 128)): ${first:-(no output)}" >> "$T/$name.bad"
  elif [ "$rc" = 127 ] && grep -Eqi 'error while loading shared libraries|cannot allocate TLS' "$err"; then
    echo "nostart" >> "$T/$name.starts"
  elif ! [[ $first == "confine: "* ]]; then
    echo "unclear exit $rc: ${first:-(no output)}" >> "$T/$name.bad"
  fi
}

# report NAME WHAT RUNS: one PASS, or one FAIL per class of bad outcome.
report () {
  local name=$1 what=$2 runs=$3 nostart=0
  [ -f "$T/$name.starts" ] && nostart=$(wc -l < "$T/$name.starts")
  if [ ! -s "$T/$name.bad" ]; then
    pass "$name: $what: $runs runs, each refused with a confine: line or allowed where allowed ($nostart could not start)"
    return
  fi
  cut -d' ' -f1 "$T/$name.bad" | sort | uniq -c | while read -r n class; do
    fail "$name-$class" "$what: $n of $runs runs: $(grep -m 3 "^$class" "$T/$name.bad" | cut -c 1-160 | tr '\n' '|')"
  done
}

# Under AddressSanitizer (make asan-check) the allocator is ASan's: it
# reserves far more address space than any limit here, and it replaces
# base/alloc.c's. The memory cases test the product's own allocator, so they
# run in the plain build only.
ASAN=
if ldd "$HOOK" 2>/dev/null | grep -q libasan; then
  ASAN=1
  printf 'SKIP %s: %s\n' "ulimit-v and malloc-failure" "an AddressSanitizer build has its own allocator"
fi

# --- ulimit -v ---------------------------------------------------------------

# Find the smallest address space the hook starts in, then walk down to
# it from well above in small steps: allocations fail at every depth.
for s in $([ -z "$ASAN" ] && echo weak one-leak allowed); do
  name=ulimit-v-hook-$s
  : > "$T/$name.bad"
  hi=65536
  while [ "$hi" -gt 512 ]; do
    { ( ulimit -v $((hi / 2)); exec "$HOOK" --help ) > /dev/null 2>&1; } 2>/dev/null || break
    hi=$((hi / 2))
  done
  lo=$((hi / 2)); top=$((hi * 2)); runs=0
  for kb in $(seq "$top" -$(( (top - lo) / 120 + 1 )) "$lo"); do
    # (The braces keep bash's own "Segmentation fault" notice out of the
    # output; the run's stderr is in $T/err.)
    { ( ulimit -v "$kb"; exec timeout 5 "$HOOK" --policy "$POLICY" ) < "$T/$s.state" > /dev/null 2> "$T/err"; } 2>/dev/null
    rc=$?
    runs=$((runs + 1))
    bad=$(wc -l < "$T/$name.bad")
    judge "$name" "$s" "$rc" "$T/err"
    [ "$(wc -l < "$T/$name.bad")" != "$bad" ] && sed -i "\$s/\$/ (at ${kb} KiB)/" "$T/$name.bad"
  done
  report "$name" "the hook on the $s spec, address space ${lo}..${top} KiB" "$runs"
done

# --- ulimit -n -----------------------------------------------------------------

for s in weak one-leak allowed; do
  name=ulimit-n-hook-$s
  : > "$T/$name.bad"
  for n in 3 4 5 6 7 8 10; do
    # stdio are already open; the limit leaves N-3 fds for the hook.
    { ( exec < "$T/$s.state" > /dev/null 2> "$T/err"; ulimit -n "$n"; exec "$HOOK" --policy "$POLICY" ); } 2>/dev/null
    judge "$name" "$s" "$?" "$T/err"
  done
  report "$name" "the hook on the $s spec with 3 to 10 fds" 7
done
name=ulimit-n-shim-weak
: > "$T/$name.bad"
rm -f "$T/runtime-ran"
for n in 3 4 5 6 7 8 10; do
  { ( exec < /dev/null > /dev/null 2> "$T/err"; ulimit -n "$n"
      CONFINE_POLICY=$POLICY exec "$SHIM" create --bundle "$T/weak" limits-weak ); } 2>/dev/null
  judge "$name" weak "$?" "$T/err"
done
[ -e "$T/runtime-ran" ] && echo "fail-open the runtime was executed" >> "$T/$name.bad"
report "$name" "the shim's create on the weak spec with 3 to 10 fds" 7

# --- failing allocations -------------------------------------------------------

[ -z "$ASAN" ] || exit 0
if ! command -v gcc >/dev/null; then
  printf 'SKIP %s: %s\n' "malloc-failure" "gcc is not installed"
  exit 0
fi
# glibc's allocator entry points, failing on their Nth call
# (FAILMALLOC_N); calls are counted into FAILMALLOC_COUNT_FILE at exit, and
# the variables are removed before main, so nothing the process starts
# inherits them. confine's programs replace malloc and friends with
# versions that end the process on failure (base/alloc.c) and call
# __libc_malloc and friends, so those are the ones interposed here: an
# LD_PRELOAD malloc would never be called.
cat > "$T/failmalloc.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long fail_at = -1, calls;
static char count_path[4096];
static void *(*real_malloc) (size_t);
static void *(*real_calloc) (size_t, size_t);
static void *(*real_realloc) (void *, size_t);
static void *(*real_memalign) (size_t, size_t);

static int
hit (void)
{
  return ++calls == fail_at;
}
/* Before the constructor has looked the real ones up, dlsym itself may
 * allocate: those calls go to a small static arena, never freed. */
static char boot[65536];
static size_t boot_used;
static void *
boot_alloc (size_t n)
{
  void *p;
  n = (n + 15) & ~(size_t) 15;
  if (boot_used + n > sizeof boot) return NULL;
  p = boot + boot_used;
  boot_used += n;
  return p;
}
void *__libc_malloc (size_t n)
{
  if (!real_malloc) return boot_alloc (n);
  if (hit ()) { errno = ENOMEM; return NULL; }
  return real_malloc (n);
}
void *__libc_calloc (size_t a, size_t b)
{
  if (!real_calloc) return boot_alloc (a * b); /* static, already zero */
  if (hit ()) { errno = ENOMEM; return NULL; }
  return real_calloc (a, b);
}
void *__libc_realloc (void *p, size_t n)
{
  if (hit ()) { errno = ENOMEM; return NULL; }
  return real_realloc (p, n);
}
void *__libc_memalign (size_t al, size_t n)
{
  if (hit ()) { errno = ENOMEM; return NULL; }
  return real_memalign (al, n);
}
static void
report (void)
{
  char b[32];
  int l = snprintf (b, sizeof b, "%ld\n", calls);
  int fd = open (count_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0 && write (fd, b, (size_t) l) < 0) {}
  if (fd >= 0) close (fd);
}
__attribute__ ((constructor)) static void
init (void)
{
  const char *s;
  s = getenv ("FAILMALLOC_N");
  if (s) fail_at = atol (s);
  s = getenv ("FAILMALLOC_COUNT_FILE");
  if (s && strlen (s) < sizeof count_path) { strcpy (count_path, s); atexit (report); }
  unsetenv ("LD_PRELOAD"); unsetenv ("FAILMALLOC_N"); unsetenv ("FAILMALLOC_COUNT_FILE");
  real_malloc = dlsym (RTLD_NEXT, "__libc_malloc");
  real_calloc = dlsym (RTLD_NEXT, "__libc_calloc");
  real_realloc = dlsym (RTLD_NEXT, "__libc_realloc");
  real_memalign = dlsym (RTLD_NEXT, "__libc_memalign");
  calls = 0;
}
EOF
if ! gcc -shared -fPIC -O2 -o "$T/failmalloc.so" "$T/failmalloc.c" -ldl 2> "$T/gcc.err"; then
  fail "malloc-failure-setup" "cannot build the allocator: $(head -c 300 "$T/gcc.err")"
  exit 0
fi

# sweep NAME SPEC CMD...: fail allocation N for N = 1..count (every one
# with CONFINE_SLOW_TESTS, else all of the first 64 and about 250 spread
# over the rest; the sample is fixed, so a failure reproduces).
sweep () {
  local name=$1 s=$2 total step n runs=0 bad
  shift 2
  : > "$T/$name.bad"
  env LD_PRELOAD="$T/failmalloc.so" FAILMALLOC_COUNT_FILE="$T/count" "$@" \
    < "$T/$s.state" > /dev/null 2>&1
  total=$(cat "$T/count" 2>/dev/null || echo 0)
  if [ "$total" -lt 10 ]; then
    fail "$name" "the allocator was not used (count ${total:-0})"
    return
  fi
  step=1
  [ -z "${CONFINE_SLOW_TESTS:-}" ] && step=$(( total / 250 + 1 ))
  for n in $(seq 1 64) $(seq 65 "$step" "$total"); do
    [ "$n" -le "$total" ] || break
    rm -f "$T/runtime-ran"
    { timeout 2 env LD_PRELOAD="$T/failmalloc.so" FAILMALLOC_N="$n" "$@" \
        < "$T/$s.state" > /dev/null 2> "$T/err"; } 2>/dev/null
    rc=$?
    runs=$((runs + 1))
    bad=$(wc -l < "$T/$name.bad")
    judge "$name" "$s" "$rc" "$T/err"
    [ -e "$T/runtime-ran" ] && [ "$s" != allowed ] && echo "fail-open the runtime was executed" >> "$T/$name.bad"
    [ "$(wc -l < "$T/$name.bad")" != "$bad" ] && sed -i "\$s/\$/ (allocation $n)/" "$T/$name.bad"
  done
  report "$name" "the $s spec with allocation N of $total failing" "$runs"
}

HOOK=$T/dynamic/confine-hook
SHIM=$T/dynamic/confine-runtime
sweep malloc-failure-hook-weak weak "$HOOK" --policy "$POLICY"
sweep malloc-failure-hook-one-leak one-leak "$HOOK" --policy "$POLICY"
sweep malloc-failure-hook-allowed allowed "$HOOK" --policy "$POLICY"

# A verdict computed under a fault must not outlive it: with the verdict
# cache on, fail the allocations that made the one-leak spec pass, then
# judge the spec again with nothing failing. It must be refused.
CACHED=$T/cached.json
jq --arg c "$T/cache" '.cache_dir = $c' "$POLICY" > "$CACHED"
name=malloc-failure-cache-not-poisoned
ns=$(grep -o '^fail-open.*(allocation [0-9]*)' "$T/malloc-failure-hook-one-leak.bad" 2>/dev/null \
     | grep -o '[0-9]*)$' | tr -d ')' | head -n 3)
[ -n "$ns" ] || ns="$(seq 4000 1500 7000)"
poisoned=""
for n in $ns; do
  rm -rf "$T/cache"
  { timeout 2 env LD_PRELOAD="$T/failmalloc.so" FAILMALLOC_N="$n" "$HOOK" --policy "$CACHED" \
      < "$T/one-leak.state" > /dev/null 2>&1; } 2>/dev/null
  timeout 10 "$HOOK" --policy "$CACHED" < "$T/one-leak.state" > /dev/null 2> "$T/err"
  [ "$?" = 0 ] && poisoned="$poisoned $n"
done
if [ -z "$poisoned" ]; then
  pass "$name: after allocation failures at$(echo $ns | sed 's/^/ /'), a fault-free run still refuses the one-leak spec"
else
  fail "$name" "after allocation$poisoned failed once, every later fault-free run allows the one-leak spec: the cache holds $(tr '\n' ' ' < "$T"/cache/[0-9a-f]* 2>/dev/null)"
fi
# The shim: `create` on the weak spec must never execute the runtime.
export CONFINE_POLICY=$POLICY
cp "$T/weak/config.json" "$T/weak.orig"
sweep malloc-failure-shim-weak weak "$SHIM" create --bundle "$T/weak" limits-weak
cmp -s "$T/weak/config.json" "$T/weak.orig" || fail "malloc-failure-shim-weak-config-intact" "a refused bundle's config.json changed"
