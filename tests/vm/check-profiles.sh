#!/bin/sh
# Syntax-check every AppArmor profile shipped in profiles/apparmor/.
#
# Usage: tests/vm/check-profiles.sh [PROFILE_DIR]
#
# Prints "ok NAME" or "FAIL NAME" per profile (the parser's message follows
# a failure), then "N passed, N failed", and exits non-zero if any failed.
#
# This runs on a host WITHOUT AppArmor in the kernel: -Q (skip kernel load)
# with -K (skip the cache) compiles the profile fully in user space.  With
# no kernel interface the parser takes its feature set from
# /etc/apparmor/parser.conf's policy-features= (Debian ships
# /usr/share/apparmor-features/features in package apparmor), and resolves
# "#include <...>" from its default base /etc/apparmor.d, so no -I or -M
# flag is needed as long as package apparmor is installed.  Extra parser
# flags (e.g. "-I /some/dir") can be passed in APPARMOR_PARSER_FLAGS.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../profiles/apparmor}
parser=${APPARMOR_PARSER:-apparmor_parser}

if ! command -v "$parser" >/dev/null 2>&1; then
	echo "FAIL apparmor_parser: not installed (apt-get install apparmor)" >&2
	exit 2
fi

passed=0
failed=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT INT TERM

for f in "$dir"/*; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	# Editor backups and notes are not profiles.
	case $name in *~|*.md|*.txt|.*) continue ;; esac
	# shellcheck disable=SC2086 # flags are meant to split
	if timeout 60 "$parser" -QK ${APPARMOR_PARSER_FLAGS:-} "$f" >/dev/null 2>"$err"; then
		echo "ok $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		# The parser always notes the missing kernel interface; only the
		# real error is worth showing.
		grep -v 'Cache read/write disabled' "$err" | sed 's/^/    /' || true
		failed=$((failed + 1))
	fi
done

if [ $((passed + failed)) -eq 0 ]; then
	echo "FAIL no profiles found in $dir"
	exit 1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
