#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The manuals render, and the policy is documented as the parser reads
# it: every key src/policy.c's field lists accept is in confine-policy(5)
# and in the README's policy table, and every key documented there is one
# the parser accepts (checked by loading a policy that sets it). The
# shipped policy sets every key, and the defaults the README and
# confine-policy(5) state are its values.
set -u
. "$(dirname "$0")/../lib/assert.sh"

T=$(mktemp -d /tmp/confine-docs.XXXXXX)
trap 'rm -rf "$T"' EXIT
MAN=$BUILD/man

for page in confine.1 confine-hook.8 confine-runtime.8 confine-authz.8 confine-policy.5; do
  if [ ! -s "$MAN/$page" ]; then
    fail "man-$page-built" "no $MAN/$page (make builds it with scdoc)"
    continue
  fi
  # man -l reports troff problems on stderr; a page must render cleanly,
  # with its name and sections.
  out=$(MANWIDTH=80 man -l "$MAN/$page" 2>"$T/err")
  name=${page%.*}
  if [ ! -s "$T/err" ] && grep -q "^NAME" <<<"$out" && grep -q "^ *$name - " <<<"$out" &&
     grep -q '^SEE ALSO' <<<"$out"; then
    pass "man-$page-renders"
  else
    fail "man-$page-renders" "$(cat "$T/err") $(head -5 <<<"$out")"
  fi
done

# --- the parser's keys, from src/policy.c's field lists ----------------------
P=$ROOT/src/policy.c
fields_of () {
  awk -v n="$1" 'index($0, "static const char *const " n "[]") { on = 1 }
                 on { print } on && /NULL };/ { exit }' "$P" | grep -o '"[a-z_]*"' | tr -d '"'
}
sections=$(grep -o 'confine_json_struct ([a-z]*, "[a-z_]*", [a-z_]*_fields' "$P" |
           sed 's/.*, "\([a-z_]*\)", \([a-z_]*\)$/\1 \2/')
rules=$(sed -n 's/^ *X ([A-Z_]*, \([a-z_]*\),.*/\1/p' "$ROOT/src/registry.h")
{
  for k in $(fields_of top_fields); do
    grep -q "^$k " <<<"$sections" || [ "$k" = rules ] || echo "$k"
  done
  while read -r s arr; do
    for f in $(fields_of "$arr"); do echo "$s.$f"; done
  done <<<"$sections"
  echo 'rules.<rule>'
  for f in $(fields_of exemption_fields); do echo "exemptions[].$f"; done
} | sort -u >"$T/parser"
# The extraction itself, checked against the parser: each key loads.
bad=
CONFIG=$ROOT/tests/fixtures/docker/default.json
while read -r k; do
  case $k in
    'rules.<rule>') filter='.rules = {}' ;;
    'exemptions[].'*)
      filter='.exemptions = [{rules: ["apparmor"], id: "x"}
                             + ({rules: ["apparmor"], id: "x", annotations: {}, comment: "c"}
                                | {($k): .[$k]})]' ;;
    *) filter="setpath(\"$k\" | split(\".\"); null)" ;;
  esac
  jq --arg k "${k#exemptions[].}" "$filter" "$ROOT/config/policy.json" >"$T/p.json"
  "$BUILD/confine" check --policy "$T/p.json" "$CONFIG" >/dev/null 2>"$T/err"
  [ $? = 2 ] && bad="$bad $k ($(cat "$T/err"))"
done <"$T/parser"
check docs-parser-keys-extracted test -z "$bad" -a "$(wc -l <"$T/parser")" -gt 20
# Positive control: an unknown key is refused.
jq '.seccomp.must_blok = []' "$ROOT/config/policy.json" >"$T/p.json"
"$BUILD/confine" check --policy "$T/p.json" "$CONFIG" >/dev/null 2>&1
check docs-unknown-key-refused test $? = 2
# Every rule name appears in the page's rules.<rule> entry.
missing=
for r in $rules; do
  sed -n '/^\*rules.<rule>\*/,/^$/p' "$ROOT/man/confine-policy.5.scd" | tr '\n' ' ' | grep -qw "$r" ||
    missing="$missing $r"
done
check docs-man-names-every-rule test -z "$missing"

# --- the documented keys ------------------------------------------------------
# confine-policy(5): the definition terms, `*key*` at the start of a line.
grep -E '^\*[^* ]+\*(, \*[^* ]+\*)*$' "$ROOT/man/confine-policy.5.scd" | grep -oE '\*[^*]+\*' |
  tr -d '*' | sort -u >"$T/man"
# README: the first column of the policy table.
sed -n '/^## The policy/,/^### /p' "$ROOT/README.md" | grep '^| `' | cut -d'|' -f2 |
  grep -oE '`[^`]+`' | tr -d '`' | sort -u >"$T/readme"
# The README documents the exemption fields in prose and an example.
grep -v '^exemptions\[\]' "$T/parser" >"$T/parser-table"

diff_keys () {
  local name=$1 want=$2 got=$3
  local missing extra
  missing=$(comm -23 "$want" "$got" | paste -sd' ')
  extra=$(comm -13 "$want" "$got" | paste -sd' ')
  if [ -z "$missing$extra" ]; then pass "$name"
  else fail "$name" "undocumented: ${missing:-none}; documented but not parsed: ${extra:-none}"; fi
}
diff_keys docs-policy-man-matches-parser "$T/parser" "$T/man"
diff_keys docs-policy-readme-matches-parser "$T/parser-table" "$T/readme"

# --- the documented defaults ---------------------------------------------------
# config/policy.json sets every key the parser accepts (so what it says is
# each key's value, and tests/unit/test-policy.c proves it equal to the
# built-in default), and the README's default column and lists say the same.
CFG=$ROOT/config/policy.json
unset_keys=
while read -r k; do
  case $k in
    'rules.<rule>'|'exemptions[].'*) continue ;;
  esac
  jq -e --arg k "$k" '($k | split(".")) as $p | getpath($p[:-1]) | type == "object" and has($p[-1])' \
     "$CFG" >/dev/null || unset_keys="$unset_keys $k"
done <"$T/parser"
for r in $rules; do
  jq -e --arg r "$r" '.rules | has($r)' "$CFG" >/dev/null || unset_keys="$unset_keys rules.$r"
done
if [ -z "$unset_keys" ]; then pass docs-shipped-policy-sets-every-key
else fail docs-shipped-policy-sets-every-key "not in config/policy.json:$unset_keys"; fi

sed -n '/^## The policy/,/^## Performance/p' "$ROOT/README.md" >"$T/policy.md"
# The paragraph (with the bullet list after it) that starts with `KEY`.
block () {
  awk -v k="\`$1\`" '!on && index($0, k) == 1 { on = 1 }
    on && /^$/ { blank = 1; next }
    on && blank { if ($0 ~ /^- /) blank = 0; else exit }
    on { print }' "$T/policy.md"
}
# The entries a block lists: its absolute paths and patterns, or else the
# words of its first sentence after `KEY`:.
block_items () {
  local b
  b=$(block "$1")
  if grep -oE '`(/|\*/)[^`]*`' <<<"$b" | tr -d '`' | grep .; then return; fi
  tr '\n' ' ' <<<"$b" | sed 's/^`[^`]*`: //; s/\. .*//; s/\. *$//' | tr ',' '\n' |
    sed 's/^ *//; s/ *$//; s/^and //' | grep .
}
shipped_list () { jq -r --arg k "$1" 'getpath($k | split("."))[]' "$CFG"; }
same_set () { [ "$(sort -u <<<"$1")" = "$(sort -u <<<"$2")" ]; }
wrong=
while IFS='|' read -r _ keys def _; do
  def=$(sed 's/^ *//; s/ *$//' <<<"$def")
  for k in $(grep -oE '`[^`]+`' <<<"$keys" | tr -d '`'); do
    ok=
    case $k:$def in
      'rules.<rule>:'*)
        warn=$(sed -n 's/.*`"deny"`, \(.*\): `"warn"`$/\1/p' <<<"$def" | grep -oE '`[a-z_]+`' | tr -d '`')
        [ -n "$warn" ] &&
          same_set "$warn" "$(jq -r '.rules | to_entries[] | select(.value == "warn") | .key' "$CFG")" &&
          [ "$(jq -r '[.rules[] | select(. != "warn" and . != "deny")] | length' "$CFG")" = 0 ] && ok=1 ;;
      decision_log:unset*)
        # The one key without a built-in value (test-policy.c); the
        # shipped file turns the log on.
        lit=$(sed -n 's/^unset (`config\/policy.json`: `\(.*\)`)$/\1/p' <<<"$def")
        [ -n "$lit" ] && jq -e --argjson v "$lit" '.decision_log == $v' "$CFG" >/dev/null && ok=1 ;;
      *:'see below'|*:'the '[0-9]*' below')
        got=$(block_items "$k")
        n=$(sed -n 's/^the \([0-9]*\) .*/\1/p' <<<"$def")
        same_set "$got" "$(shipped_list "$k")" &&
          { [ -z "$n" ] || [ "$n" = "$(shipped_list "$k" | wc -l)" ]; } && ok=1 ;;
      devices.allowed:*'see "Devices"')
        got=$(sed -n '/^### Devices/,/^### /p' "$ROOT/README.md" | tr '\n' ' ' |
              sed -n 's/.*The default is [^:]*: \(.*\) all `rwm`\..*/\1/p' |
              grep -oE '`[cb] [0-9*]+:[0-9*]+`' | tr -d '`' | sed 's/$/ rwm/')
        same_set "$got" "$(shipped_list "$k")" && ok=1 ;;
      hooks.allowed:*'see "Hooks"')
        para=$(sed -n '/^### Hooks/,/^### /p' "$ROOT/README.md" | tr '\n' ' ' |
               sed -n 's/.*\(The default allows .*packages)\).*/\1/p')
        ok=1
        while read -r path arg0; do
          grep -q "\`$(dirname "$path")\`" <<<"$para" && grep -q "$arg0" <<<"$para" || ok=
        done < <(jq -r '.hooks.allowed[] | "\(.path) \(.args[0])"' "$CFG") ;;
      *:'`'*'`')
        if lit=$(tr -d '`' <<<"$def") && [ "${def//[^\`]/}" = '``' ] &&
           jq . >/dev/null 2>&1 <<<"$lit"; then
          jq -e --arg k "$k" --argjson v "$lit" 'getpath($k | split(".")) == $v' "$CFG" >/dev/null && ok=1
        elif grep -qE '^`[^`]+`(, `[^`]+`)*$' <<<"$def"; then
          same_set "$(grep -oE '`[^`]+`' <<<"$def" | tr -d '`')" "$(shipped_list "$k")" && ok=1
        fi ;;
    esac
    [ -n "$ok" ] || wrong="$wrong $k ($def)"
  done
done < <(sed -n '/^| `mode`/,/^[^|]/p' "$T/policy.md" | grep '^| `')
if [ -z "$wrong" ]; then pass docs-readme-defaults-are-the-shipped-ones
else fail docs-readme-defaults-are-the-shipped-ones "default differs or is not stated checkably:$wrong"; fi

# --- the manual's defaults ---------------------------------------------------------
# confine-policy(5) states each key's default, and it must be the shipped
# value (which tests/unit/test-policy.c proves equal to the built-in one).
# Where the page lists the values (a literal, a JSON list, or a list of
# names) they must be the shipped ones exactly; where it sums some up in
# prose ("the engines' state directories"), every path it does name must
# be shipped. A key whose default the page does not state checkably fails.
# man_entries PAGE: `KEY<TAB>TEXT` per documented key, TEXT its entry on
# one line with scdoc's markup (\*, *emphasis*) taken out.
man_entries () {
  awk '/^# KEYS/ { on = 1; next } /^# / && on { exit } !on { next }
       /^\*[^* ]+\*(, \*[^* ]+\*)*$/ { keys = $0; text = ""; next }
       /^\t/ && keys != "" { sub(/^\t/, ""); text = text " " $0; next }
       /^$/ && keys != "" { n = split(keys, k, ", "); for (i = 1; i <= n; i++) print k[i] "\t" text; keys = "" }
       END { if (keys != "") { n = split(keys, k, ", "); for (i = 1; i <= n; i++) print k[i] "\t" text } }' "$1" |
    sed 's/\\\*/*/g; s/^\*\([^*]*\)\*\t/\1\t/; s/\*\([a-z_.]*\)\*/\1/g; s/  */ /g'
}
# man_defaults_wrong PAGE: the keys whose stated default is not the
# shipped value, each with the page's words.
man_defaults_wrong () {
  local k text def items paths wrong=
  man_entries "$1" >"$T/man-entries"
  while read -r k; do
    case $k in exemptions\[\].*) continue ;; esac
    text=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$T/man-entries")
    ok=
    case $k in
      rules.\<rule\>)
        def=$(sed -n 's/.*Default "deny", except \(.*\): "warn"\..*/\1/p' <<<"$text")
        [ -n "$def" ] &&
          same_set "$(grep -oE '[a-z_]+' <<<"${def//and/}")" \
                   "$(jq -r '.rules | to_entries[] | select(.value == "warn") | .key' "$CFG")" &&
          [ "$(jq -r '[.rules[] | select(. != "warn" and . != "deny")] | length' "$CFG")" = 0 ] && ok=1 ;;
      decision_log)
        def=$(sed -n 's/.*unset by default, and \("[^"]*"\) in the shipped policy.*/\1/p' <<<"$text")
        [ -n "$def" ] && jq -e --argjson v "$def" '.decision_log == $v' "$CFG" >/dev/null && ok=1 ;;
      devices.allowed)
        # "c 1:3, 1:5, ... and 10:200, all rwm": the type carries over.
        def=$(sed -n 's/.*Default: [^,]*, \(.*\), all \([rwm]*\)\..*/\1 \2/p' <<<"$text")
        items=$(grep -oE '([cb] )?[0-9*]+:[0-9*]+' <<<"$def" |
                awk -v a="${def##* }" 'NF == 2 { t = $1; $0 = $2 } { print t " " $0 " " a }')
        [ -n "$def" ] && same_set "$items" "$(shipped_list "$k")" && ok=1 ;;
      hooks.allowed)
        # Docker's network hook, for each dockerd path named.
        def=$(sed -n "s/.*Default: Docker's network hook, dockerd's \([a-z-]*\), for \(.*\)\./\1 \2/p" <<<"$text")
        [ -n "$def" ] &&
          same_set "$(grep -oE '/[^ ,]+' <<<"$def")" "$(jq -r '.hooks.allowed[].path' "$CFG")" &&
          [ "$(jq -r --arg a "${def%% *}" '[.hooks.allowed[] | select(.args[0] != $a)] | length' "$CFG")" = 0 ] &&
          ok=1 ;;
      *)
        if def=$(sed -nE 's/.*("[^"]*"|true|false) \(default\).*/\1/p' <<<"$text") && [ -n "$def" ] ||
           def=$(sed -nE 's/.*default ("[^"]*"|\[[^]]*\]|true|false|-?[0-9]+)([.,;: ]|$).*/\1/p' <<<"$text") &&
           [ -n "$def" ]; then
          jq -e --arg k "$k" --argjson v "$def" \
             'getpath($k | split(".")) as $s | if ($v | type) == "array" then ($s | sort) == ($v | sort) else $s == $v end' \
             "$CFG" >/dev/null && ok=1
        elif grep -q 'default none\.' <<<"$text"; then
          [ "$(jq -c --arg k "$k" 'getpath($k | split("."))' "$CFG")" = '[]' ] && ok=1
        elif def=$(sed -n 's/.*[Dd]efault:\{0,1\} \([^.]*\(\.[^ ][^.]*\)*\)\..*/\1/p' <<<"$text") && [ -n "$def" ]; then
          items=$(sed 's/, and /, /g; s/ and /, /g' <<<"$def" | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep .)
          if ! grep -q ' ' <<<"$items"; then
            same_set "$items" "$(shipped_list "$k")" && ok=1
          else
            paths=$(grep -oE '(^| )(/|\*/)[^ ,]*' <<<"$def" | tr -d ' ')
            ok=1
            [ -n "$paths" ] || ok=
            while read -r p; do
              [ -z "$p" ] || shipped_list "$k" | grep -qxF -- "$p" || ok=
            done <<<"$paths"
          fi
        fi ;;
    esac
    [ -n "$ok" ] || wrong="$wrong $k"
  done <"$T/parser"
  echo "${wrong# }"
}
wrong=$(man_defaults_wrong "$ROOT/man/confine-policy.5.scd")
if [ -z "$wrong" ]; then pass docs-man-defaults-are-the-shipped-ones
else fail docs-man-defaults-are-the-shipped-ones "default differs or is not stated checkably: $wrong"; fi
# Positive control: a page with a wrong literal, a name missing from a
# list, a wrong JSON list and a prose path that is not shipped is caught,
# each key and no other (the keys come in sorted order).
sed 's/default "runc"/default "crun"/; s/swapon, swapoff,/swapon,/; s/\["pid",$/["uts",/;
     s|/etc/localtime, /etc/timezone,|/etc/localtime, /etc/shadow,|' \
  "$ROOT/man/confine-policy.5.scd" >"$T/planted.scd"
planted=$(man_defaults_wrong "$T/planted.scd")
if [ "$planted" = "mounts.allowed_subtrees namespaces.required runtime seccomp.must_block" ]; then
  pass docs-man-defaults-check-catches-planted-errors
else
  fail docs-man-defaults-check-catches-planted-errors "caught: ${planted:-nothing}"
fi

# --- versions -------------------------------------------------------------------
# Every binary names confine's version (base/utils.h); the shim also the
# runtime's.
V=$(sed -n 's/^#define CONFINE_VERSION "\(.*\)"$/\1/p' "$ROOT/base/utils.h")
check version-known test -n "$V"
check version-cli test "$("$BUILD/confine" --version | head -1)" = "confine $V"
check version-hook test "$("$BUILD/confine-hook" --version)" = "confine-hook $V"
mkdir -p "$T/sfs"
test_policy "$T/shim.json" "$T/sfs" '.runtime = "runc"'
out=$(CONFINE_POLICY=$T/shim.json "$BUILD/confine-runtime" --version 2>&1)
if grep -q "^runc version " <<<"$out" && grep -q "confine.* $V " <<<"$out"; then pass version-shim
else fail version-shim "$out"; fi
