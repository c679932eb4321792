#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The layers point one way down (README, "Layout"):
#   base/                          errors, allocation, string lists, I/O, JSON output
#   oci/                           reading and editing the documents; on base/
#   src/                           the rules and host probes; on oci/ and base/
#   front/, hook/, runtime/, cli/, authz/
#                                  the front ends; hook/, runtime/, cli/ and
#                                  authz/ may use front/, never each other
# Every quoted #include of the product's sources is resolved and judged,
# and each one that points up or sideways is listed. base/ and oci/ must
# also build without libseccomp's, libapparmor's and libcap's headers,
# which the compiler's own dependency list of each file proves.
set -u
. "$(dirname "$0")/../lib/assert.sh"

T=$(mktemp -d /tmp/confine-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT

level () {
  case $1 in
    base) echo 0 ;; oci) echo 1 ;; src) echo 2 ;; front) echo 3 ;; hook | runtime | cli | authz) echo 4 ;;
    *) echo -1 ;;
  esac
}

# violations TREE: one line per include that points up or sideways, as
# `file:line: includes "x" (dir/ is above dir/)`.
violations () {
  local tree=$1 f dir line inc target tdir
  (cd "$tree" && find base oci src front hook runtime cli authz -name '*.[ch]' 2>/dev/null | sort) |
    while read -r f; do
      dir=${f%%/*}
      grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$tree/$f" |
        while IFS=: read -r line inc; do
          inc=$(sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/' <<<"$inc")
          target=$(realpath -m --relative-to="$tree" "$tree/$(dirname "$f")/$inc")
          tdir=${target%%/*}
          [ "$tdir" = "$dir" ] && continue
          if [ "$(level "$tdir")" -lt 0 ]; then
            echo "$f:$line: includes \"$inc\" ($tdir/ is outside the layers)"
          elif [ "$(level "$tdir")" -ge "$(level "$dir")" ]; then
            echo "$f:$line: includes \"$inc\" ($tdir/ is not below $dir/)"
          fi
        done
    done
}

# Positive control: the checker finds a bad include in a copy of the tree
# (oci/ reaching up into src/), and a sideways one between front ends.
mkdir -p "$T/tree"
cp -r "$ROOT"/base "$ROOT"/oci "$ROOT"/src "$ROOT"/front "$T/tree"/
mkdir -p "$T/tree/hook" "$T/tree/cli"
echo '#include "../src/policy.h"' >> "$T/tree/oci/json.h"
echo '#include "../cli/cli.h"' > "$T/tree/hook/x.c"
echo '#include "../front/report.h"' > "$T/tree/cli/y.c"
violations "$T/tree" > "$T/control"
if grep -q '^oci/json.h:.*src/ is not below oci/' "$T/control" &&
   grep -q '^hook/x.c:1: .*cli/ is not below hook/' "$T/control" &&
   ! grep -q '^cli/y.c' "$T/control"; then
  pass layers-checker-finds-planted
else
  fail layers-checker-finds-planted "expected oci/json.h and hook/x.c, not cli/y.c, got: $(tr '\n' '|' < "$T/control")"
fi

violations "$ROOT" > "$T/found"
n=$(cd "$ROOT" && cat base/* oci/* src/* front/* hook/* runtime/* cli/* authz/* 2>/dev/null |
    grep -c '^[[:space:]]*#[[:space:]]*include[[:space:]]*"')
if [ -s "$T/found" ]; then
  while read -r v; do fail layers-one-way "$v"; done < "$T/found"
else
  check layers-one-way test "$n" -gt 100
fi

# --- base/ and oci/ without the host libraries' headers ----------------------
# The compiler lists every header a file really reads (-M, system ones
# included), however it got there.
CC=${CC:-cc}
CFLAGS_YAJL=$(pkg-config --cflags yajl 2>/dev/null)
: > "$T/libs"
for f in "$ROOT"/base/*.c "$ROOT"/oci/*.c; do
  # shellcheck disable=SC2086
  if ! "$CC" -std=gnu11 $CFLAGS_YAJL -M "$f" > "$T/deps" 2> "$T/err"; then
    echo "${f#"$ROOT"/}: does not preprocess: $(head -1 "$T/err")" >> "$T/libs"
    continue
  fi
  tr ' \\' '\n\n' < "$T/deps" | grep . | while read -r d; do
    case $d in *.o: | *.c) continue ;; esac
    d=$(realpath -m "$d")
    case $d in
      "$ROOT"/base/* | "$ROOT"/oci/*) ;;
      "$ROOT"/*) echo "${f#"$ROOT"/}: reads ${d#"$ROOT"/}" ;;
      */seccomp.h | */seccomp-syscalls.h | */sys/capability.h | */sys/apparmor.h)
        echo "${f#"$ROOT"/}: reads $d" ;;
    esac
  done >> "$T/libs"
done
if [ -s "$T/libs" ]; then
  while read -r v; do fail layers-base-oci-without-host-libraries "$v"; done < "$T/libs"
else
  pass layers-base-oci-without-host-libraries
fi
