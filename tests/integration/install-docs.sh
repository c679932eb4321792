#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# install.sh installs the manuals and the logrotate rule, man finds them
# there, and --uninstall takes them away again (a temporary --root).
set -u
. "$(dirname "$0")/../lib/assert.sh"

T=$(mktemp -d /tmp/confine-instdoc.XXXXXX)
trap 'rm -rf "$T"' EXIT
R=$T/root
mkdir -p "$R"
if ! "$ROOT/install.sh" --root "$R" --no-build --build-dir "$BUILD" >"$T/out" 2>&1; then
  fail install-docs-install "$(cat "$T/out")"
  exit 0
fi
M=$R/usr/local/share/man
found=
for page in man1/confine.1 man8/confine-hook.8 man8/confine-runtime.8 man5/confine-policy.5; do
  cmp -s "$BUILD/man/${page#*/}" "$M/$page" && found="$found ${page#*/}"
done
check install-docs-manuals test "$found" = " confine.1 confine-hook.8 confine-runtime.8 confine-policy.5"
check install-docs-man-finds-them test "$(MANPATH=$M man -w confine-policy 2>/dev/null)" = "$M/man5/confine-policy.5"
check install-docs-logrotate cmp -s "$ROOT/config/logrotate" "$R/etc/logrotate.d/confine"
"$ROOT/install.sh" --root "$R" --uninstall >"$T/out" 2>&1
check install-docs-uninstalled test -z "$(find "$M" "$R/etc/logrotate.d" -type f 2>/dev/null)"
