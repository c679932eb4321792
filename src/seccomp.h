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

/* The calls seccomp.block_setid_files judges by their mode argument
 * (MODE_INDEX, the same on every ABI of the host tables), each reported
 * as its name and CONFINE_SECCOMP_SETID_MODE: any mode with S_ISUID or
 * S_ISGID, every other bit free (for mknod and mknodat, of a regular
 * file: file type 0 or S_IFREG). The kernel reads the mode as a umode_t,
 * its low 16 bits. NAME NULL ends the table. */
typedef struct
{
  const char *name;
  unsigned mode_index;
  bool mknod;
} confine_setid_call_t;
#define CONFINE_SECCOMP_SETID_CALLS 9
extern const confine_setid_call_t confine_seccomp_setid_calls[CONFINE_SECCOMP_SETID_CALLS + 1];
#define CONFINE_SECCOMP_SETID_MODE " with a setuid or setgid mode"
/* And the calls it requires denied for every argument: openat2 takes its
 * mode in a struct a filter cannot read, io_uring's IORING_OP_OPENAT
 * carries one in the ring; setxattr and its kin set a POSIX access ACL
 * (system.posix_acl_access, name and value behind pointers), which
 * rewrites the group bits and keeps S_ISGID for a caller in the file's
 * group: a user's `chmod 2644` file, chowned 0:0 (CAP_FSETID or the
 * group keeps S_ISGID on a file that is not group-executable), becomes
 * setgid root and executable. ERRNUM is what the shim's repair answers:
 * ENOSYS where programs fall back to a call the filter reads,
 * EOPNOTSUPP where tools (tar, cp -a) take "not supported" on xattrs as
 * non-fatal. NAME NULL ends the table. */
typedef struct
{
  const char *name;
  int errnum;
} confine_setid_denied_t;
#define CONFINE_SECCOMP_SETID_DENIED 8
extern const confine_setid_denied_t confine_seccomp_setid_denied[CONFINE_SECCOMP_SETID_DENIED + 1];
/* The mode bits the rule is about. */
#define CONFINE_SETID_BITS 06000u

/* The names in MUST_BLOCK that PROG lets through on some ABI, as a
 * NULL-terminated list like {"mount", "keyctl (x86)", NULL}. A name that
 * exists on no ABI of this host is an error: a typo in the policy must not
 * pass as "blocked". With NAMESPACE_CLONE, also clone3 (whose flags a
 * filter cannot see) and clone with any CLONE_NEW* flag: either creates
 * namespaces as unshare does. With DEVICE_NODES, also mknod and mknodat
 * with a mode whose file type is S_IFCHR or S_IFBLK: a node the
 * container's root makes in a writable bind opens the host's device for
 * any host user who reaches it there. With SETID_FILES, also the calls
 * of confine_seccomp_setid_calls with a setuid or setgid mode, and those
 * of confine_seccomp_setid_denied: a program the container's root makes
 * setuid root in a writable bind runs as root for the host user who
 * reaches it (the rule counts these only for such a container). */
int confine_seccomp_unblocked (const confine_bpf_t *prog, char *const *must_block,
                               bool namespace_clone, bool device_nodes, bool setid_files,
                               char ***out, confine_error_t *err);

/* The syscalls of NAMES that PROG may deny on the host's native ABI for
 * some argument values (any return but ALLOW and LOG is reachable), as a
 * NULL-terminated list. Names that are not syscalls there are skipped. */
int confine_seccomp_denied (const confine_bpf_t *prog, const char *const *names, char ***out,
                            confine_error_t *err);

/* How many of an ABI's syscalls PROG does not block (for `confine check`). */
int confine_seccomp_surface (const confine_bpf_t *prog, const confine_abi_t *abi,
                             unsigned *allowed, unsigned *total, confine_error_t *err);

#endif
