#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Regenerates the seed corpus in tests/fuzz/corpus from the real inputs
# (Docker's fixtures, the shipped policy and profiles) plus small tricky
# documents. Needs jq, python3 and the fuzz build (make fuzz-build) for the
# BPF seeds. Run from anywhere; rewrites the corpus in place.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
c=$root/tests/fuzz/corpus
fx=$root/tests/fixtures
cd "$root"
rm -rf "$c"
mkdir -p "$c"/{state,spec,policy,bpf,seccomp,dockerseccomp}

# --- state: what runc writes on the hook's stdin
s=$c/state
printf '%s' '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":1,"bundle":"/b"}' > "$s/valid"
printf '%s' '{"ociVersion":"1.0.2","id":"c1","status":"created","pid":4242,"bundle":"/run/containerd/io.containerd.runtime.v2.task/moby/c1","annotations":{"org.opencontainers.image.stopSignal":"SIGTERM","a":""}}' > "$s/annotations"
printf '%s' '{"ociVersion":"1.0.2","id":"x","id":"y","status":"creating","pid":1,"bundle":"/b"}' > "$s/duplicate-key"
printf '%s' '{"ociVersion":"1.0.2","ID":"x","status":"creating","pid":1,"Bundle":"/b"}' > "$s/case-folded-key"
printf '%s' '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":18446744073709551616,"bundle":"/b"}' > "$s/huge-pid"
printf '%s' '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":-1e400,"bundle":"/b"}' > "$s/float-pid"
printf '%s' '{"ociVersion":"1.0.2","id":"x\u0000y","status":"creating","pid":1,"bundle":"/b\u0000/c"}' > "$s/nul-in-string"
printf '%s' '{"ociVersion":"1.0.2","id":"x","status":"creating","pid":1,"bundle":"/b"} /* c */ {}' > "$s/trailing"
python3 -c 'print("{\"annotations\":" + "[" * 200 + "]" * 200 + "}", end="")' > "$s/deep"

# --- spec: every Docker fixture, then edits of the default one
for f in "$fx"/docker/*.json; do cp "$f" "$c/spec/$(basename "$f" .json)"; done
d=$fx/docker/default.json
jq -c '.process.Capabilities = .process.capabilities' "$d" > "$c/spec/case-folded-capabilities"
# U+017F (long s) folds onto "s" in Go: "\u017feccomp" is "seccomp" to runc.
jq -c '.linux.seccomp' "$d" | sed 's/^/{"linux":{"\\u017feccomp":/; s/$/}}/' > "$c/spec/long-s-seccomp"
printf '%s' '{"process":{"noNewPrivileges":true},"process":{"noNewPrivileges":false},"linux":{}}' > "$c/spec/duplicate-process"
printf '%s' '{"process":{"apparmorProfile":"x\u0000y"},"linux":{"namespaces":[{"type":"pid"}],"maskedPaths":["/proc/kcore"]}}' > "$c/spec/nul-profile"
printf '%s' '{"linux":{"resources":{"devices":[{"allow":true,"type":"c","major":9223372036854775808,"minor":-1,"access":"rwm"}]}}}' > "$c/spec/huge-device"
printf '%s' '{"mounts":[{"destination":"/x","type":"bind","source":"../../../etc","options":["rbind","rw"]},{"destination":"/y","source":"/var/run/docker.sock"}],"linux":{}}' > "$c/spec/mounts"
python3 -c 'print("{\"annotations\":{\"a\":" + "[" * 63 + "]" * 63 + "}}", end="")' > "$c/spec/depth-63"
python3 -c 'print("{\"linux\":" + "{\"a\":" * 70 + "1" + "}" * 71, end="")' > "$c/spec/depth-70"

# --- policy
cp config/policy.json "$c/policy/shipped"
printf '{}' > "$c/policy/empty"
printf '%s' '{"mode":"audit","rules":{"apparmor":"off","seccomp":"warn"},"exemptions":[{"rules":["mounts","devices"],"id":"^build-[0-9]+$","annotations":{"io.kubernetes.pod.namespace":"^ci$"},"comment":"ci"}]}' > "$c/policy/exemptions"
printf '%s' '{"exemptions":[{"rules":["seccomp"],"id":"(","annotations":{"a":"[[:alpha:"}}]}' > "$c/policy/bad-regex"
printf '%s' '{"mode":"enforce","mode":"audit"}' > "$c/policy/duplicate-key"
printf '%s' '{"Mode":"audit","SECURITYFS":"/x","seccomp":{"Must_Block":[]}}' > "$c/policy/case-folded-key"
printf '%s' '{"seccomp":{"must_block":["mount","no_such_syscall",""]},"capabilities":{"forbidden":["CAP_SYS_ADMIN","cap_bpf","CAP_999"]}}' > "$c/policy/unknown-names"
printf '%s' '{"securityfs":"relative","decision_log":"","apparmor":{"allowed_modes":["complain"]}}' > "$c/policy/bad-values"

# --- seccomp: the real sections, then hand-made ones
for f in default weak-seccomp restrictive-seccomp cap-add-sys-admin; do
  jq -c '.linux.seccomp' "$fx/docker/$f.json" > "$c/seccomp/$f"
done
printf '{}' > "$c/seccomp/empty"
printf 'null' > "$c/seccomp/null"
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["mount","mount","no_such_call"],"action":"SCMP_ACT_ERRNO","errnoRet":1},{"names":["bpf"],"action":"SCMP_ACT_ALLOW"}]}' > "$c/seccomp/duplicates"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"syscalls":[{"names":["personality"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":0,"op":"SCMP_CMP_EQ"},{"index":0,"value":8,"op":"SCMP_CMP_EQ"},{"index":5,"value":18446744073709551615,"valueTwo":18446744073709551615,"op":"SCMP_CMP_MASKED_EQ"}]}]}' > "$c/seccomp/args"
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_SPEC_ALLOW"],"listenerPath":"/run/l.sock","syscalls":[{"names":["mount","keyctl"],"action":"SCMP_ACT_NOTIFY"},{"names":["unshare"],"action":"SCMP_ACT_TRACE"},{"names":["bpf"],"action":"SCMP_ACT_KILL_PROCESS"}]}' > "$c/seccomp/notify"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ALLOW","args":[{"index":6,"value":1,"op":"SCMP_CMP_GT"}]},{"names":["bpf"],"action":"SCMP_ACT_ERRNO","errnoRet":4294967296}]}' > "$c/seccomp/out-of-range"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","SYSCALLS":[{"names":["mount"],"action":"SCMP_ACT_ALLOW"}]}' > "$c/seccomp/case-folded-key"

# --- dockerseccomp: Docker's own profile format
cp profiles/seccomp/default.json "$c/dockerseccomp/shipped-default"
cp "$fx/weak-seccomp-profile.json" "$c/dockerseccomp/weak"
cp "$fx/restrictive-seccomp-profile.json" "$c/dockerseccomp/restrictive"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":["SCMP_ARCH_X86","SCMP_ARCH_X32"]},{"architecture":"SCMP_ARCH_AARCH64","subArchitectures":["SCMP_ARCH_ARM"]}],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["mount"],"action":"SCMP_ACT_ALLOW","includes":{"caps":["CAP_SYS_ADMIN"]}},{"names":["ptrace"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"4.8"}},{"names":["arch_prctl"],"action":"SCMP_ACT_ALLOW","includes":{"arches":["amd64","x32"]},"excludes":{"caps":["CAP_SYS_PTRACE"]}},{"name":"old_style","action":"SCMP_ACT_ALLOW"}]}' > "$c/dockerseccomp/includes-excludes"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["a"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"99999999999999999999.1"}},{"names":["b"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"a.b"}},{"names":["c"],"action":"SCMP_ACT_ALLOW","excludes":{"minKernel":"4."}}]}' > "$c/dockerseccomp/bad-kernel"
printf '%s' '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":18446744073709551615,"valueTwo":0,"op":"SCMP_CMP_NE"}]}]}' > "$c/dockerseccomp/oci-form"
printf '{}' > "$c/dockerseccomp/empty"
printf '%s' '{"defaultAction":"SCMP_ACT_ERRNO","archMap":[{"architecture":"SCMP_ARCH_X86_64"},{"architecture":"SCMP_ARCH_X86_64","subArchitectures":null}],"ARCHMAP":[],"syscalls":null}' > "$c/dockerseccomp/odd-archmap"

# --- bpf: the filters libseccomp exports for the real sections, then tiny ones
gen=$root/build/fuzz/gen-bpf
if [ ! -x "$gen" ]; then
  make -s -C "$root" build/fuzz/fuzz-bpf > /dev/null
  clang -O1 -g -fsanitize=address,undefined -I/usr/include/yajl -o "$gen" tests/fuzz/gen-bpf.c \
    $(ls build/fuzz/obj/base/*.o build/fuzz/obj/oci/*.o build/fuzz/obj/src/*.o) $(pkg-config --libs libseccomp libapparmor yajl libcap)
fi
for f in default weak-seccomp restrictive-seccomp; do
  "$gen" < "$c/seccomp/$f" > "$c/bpf/$f"
done
python3 - "$c/bpf" <<'PY'
import struct, sys
d = sys.argv[1]
def ins(code, jt, jf, k): return struct.pack("=HBBI", code, jt, jf, k & 0xffffffff)
RET_K, RET_A, LD_ABS, JEQ, JSET_X, LDX_IMM, ST, LD_MEM, DIV_X, TAX = 0x06, 0x16, 0x20, 0x15, 0x4d, 0x01, 0x02, 0x60, 0x3c, 0x07
ALLOW, ERRNO, KILL = 0x7fff0000, 0x00050001, 0
open(f"{d}/allow", "wb").write(ins(RET_K, 0, 0, ALLOW))
open(f"{d}/ret-a-unknown", "wb").write(ins(LD_ABS, 0, 0, 16) + ins(RET_A, 0, 0, 0))
# arch check, then nr == mount -> errno, else allow
open(f"{d}/mount-errno", "wb").write(
    ins(LD_ABS, 0, 0, 4) + ins(JEQ, 1, 0, 0xc000003e) + ins(RET_K, 0, 0, KILL)
    + ins(LD_ABS, 0, 0, 0) + ins(JEQ, 0, 1, 165) + ins(RET_K, 0, 0, ERRNO) + ins(RET_K, 0, 0, ALLOW))
# scratch memory, division by an unknown X, and a chain of unknown branches
prog = ins(LD_ABS, 0, 0, 16) + ins(ST, 0, 0, 15) + ins(LD_MEM, 0, 0, 15) + ins(TAX, 0, 0, 0) + ins(DIV_X, 0, 0, 0)
for i in range(40):
    prog += ins(LD_ABS, 0, 0, 16 + 8 * (i % 6)) + ins(JSET_X, 0, 1, 0) + ins(0x04, 0, 0, 1)
prog += ins(RET_A, 0, 0, 0)
open(f"{d}/unknown-branches", "wb").write(prog)
open(f"{d}/no-return", "wb").write(ins(LD_ABS, 0, 0, 0))
open(f"{d}/jump-out", "wb").write(ins(0x05, 0, 0, 5) + ins(RET_K, 0, 0, ALLOW))
PY
du -sh "$c"; find "$c" -type f | wc -l
