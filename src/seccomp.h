/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp rule: build the filter runc would build from the spec with
 * libseccomp, export its BPF, and judge that program. */
#ifndef CONFINE_SECCOMP_H
#define CONFINE_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf.h"
#include "../base/error.h"
#include "cleanup.h"
#include "../oci/spec.h"

/* An ABI whose syscalls a process on this host can make, and the audit
 * architecture the kernel reports for them. x32 calls arrive as
 * AUDIT_ARCH_X86_64 with bit 30 set in the number, so a filter must be
 * judged on them even if it never mentions x32. */
typedef struct
{
  const char *name;
  uint32_t audit_arch;
  uint32_t scmp_arch; /* for resolving names to numbers */
} confine_abi_t;

/* The ABIs of this host, terminated by an entry with name NULL. */
const confine_abi_t *confine_host_abis (void);

/* Compile as runc 1.1 does (libcontainer/seccomp/seccomp_linux.go):
 * seccomp_init(default), every listed architecture added to the native
 * one, one rule per name resolved on the native architecture, unknown
 * names skipped, rules whose action equals the default skipped, arguments
 * that repeat an index split into separate rules. Anything runc would
 * reject is an error here too. */
int confine_seccomp_compile (const confine_seccomp_t *s, confine_bpf_t *out, confine_error_t *err);

/* True when runc would install no filter at all for this section: it
 * skips a section with no default action and no syscalls. */
bool confine_seccomp_is_empty (const confine_seccomp_t *s);

/* How the seccomp rule names, in its report, the calls that
 * seccomp.block_namespace_clone and seccomp.block_device_nodes refuse;
 * the shim's repair reads the report back by these. */
#define CONFINE_SECCOMP_CLONE_NS "clone with CLONE_NEW* flags"
#define CONFINE_SECCOMP_MKNOD_DEV "mknod of a device node"
#define CONFINE_SECCOMP_MKNODAT_DEV "mknodat of a device node"

/* The names in MUST_BLOCK that PROG lets through on some ABI, as a
 * NULL-terminated list like {"mount", "keyctl (x86)", NULL}. A name that
 * exists on no ABI of this host is an error: a typo in the policy must not
 * pass as "blocked". With NAMESPACE_CLONE, also clone3 (whose flags a
 * filter cannot see) and clone with any CLONE_NEW* flag: either creates
 * namespaces as unshare does. With DEVICE_NODES, also mknod and mknodat
 * with a mode whose file type is S_IFCHR or S_IFBLK: a node the
 * container's root makes in a writable bind opens the host's device for
 * any host user who reaches it there. */
int confine_seccomp_unblocked (const confine_bpf_t *prog, char *const *must_block,
                               bool namespace_clone, bool device_nodes, char ***out,
                               confine_error_t *err);

/* The syscalls of NAMES that PROG may deny on the host's native ABI for
 * some argument values (any return but ALLOW and LOG is reachable), as a
 * NULL-terminated list. Names that are not syscalls there are skipped. */
int confine_seccomp_denied (const confine_bpf_t *prog, const char *const *names, char ***out,
                            confine_error_t *err);

/* How many of an ABI's syscalls PROG does not block (for `confine check`). */
int confine_seccomp_surface (const confine_bpf_t *prog, const confine_abi_t *abi,
                             unsigned *allowed, unsigned *total, confine_error_t *err);

#endif
