/* SPDX-License-Identifier: Apache-2.0 */
/* Which real runtime the shim executes.
 *
 * The shim runs under two kinds of name:
 *
 * - as `confine-runtime` (Docker's runtimes.confine, containerd's
 *   BinaryName, `ctr run --runc-binary`): it executes the policy's
 *   `runtime`, found on PATH like execvp;
 * - as a stand-in: install.sh moves a runtime binary P aside to P.real
 *   (dpkg-divert --rename) and puts a copy of the shim at P. Every engine
 *   that runs P, by path or as `runc` on PATH, gets the gate, and the shim
 *   executes P.real, the binary it displaced, whatever the policy says.
 *
 * Which of the two, and so P, comes from /proc/self/exe: the kernel sets
 * it at execve, while argv[0] and the environment belong to the caller.
 * Nobody who asks an engine for a container can choose the binary the
 * shim executes. */
#ifndef CONFINE_STANDIN_H
#define CONFINE_STANDIN_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/error.h"
#include "hostpath.h"
#include "policy.h"

/* The suffix of the displaced binary, next to the stand-in. */
#define CONFINE_STANDIN_SUFFIX ".real"
/* The shim's own name; any other name makes it a stand-in. */
#define CONFINE_SHIM_NAME "confine-runtime"

/* The absolute path of the real runtime in *PATH. POLICY_RUNTIME is used
 * only when the shim runs as confine-runtime; a policy runtime that is
 * itself a stand-in (the divert installed, Docker still registered with
 * confine-runtime) is replaced by the binary it stands in for, so one
 * request is judged once. *STANDIN tells which case applied. Fails (and
 * the shim refuses) when the binary is missing, is not a root-owned
 * executable that only root can change, or is the shim again in any form
 * (the same file, or a copy of it: of this build by its GNU build ID,
 * else byte for byte), which would loop. */
int confine_real_runtime (const char *policy_runtime, char **path, bool *standin,
                          confine_error_t *err);

/* The GNU build ID of the ELF file open at FD into ID: 1 with *LEN set,
 * 0 when it has none or is no ELF file this reads (64-bit, native byte
 * order). Bounded reads of the headers and notes alone: any file may come
 * here, so nothing in it is trusted to fit. How the shim knows a copy of
 * itself without reading the whole binary. */
#define CONFINE_BUILD_ID_MAX 64
int confine_elf_build_id (int fd, unsigned char id[CONFINE_BUILD_ID_MAX], size_t *len);

/* Does this process run as a stand-in, under another name than
 * confine-runtime (from /proc/self/exe)? An unreadable link reads as no:
 * confine_real_runtime then refuses on the same read. */
bool confine_running_as_standin (void);

/* Where the runtime at RUNTIME (absolute), executed with this process's
 * environment, and its dynamic loader find code, for the mounts rule:
 * searched by name, RUNTIME's own directory and each absolute PATH entry
 * (as the shim and an engine's runc shim search it); searched below too,
 * each absolute LD_LIBRARY_PATH entry; loaded whatever the search,
 * LD_PRELOAD's and LD_AUDIT's entries that name a path, and the relative
 * entries of PATH and LD_LIBRARY_PATH (an empty one is the working
 * directory, the bundle: containerd's `opt` plugin leaves LD_LIBRARY_PATH
 * ending in `:`). Fails on an entry that names a place by a loader token
 * ($ORIGIN, $LIB, $PLATFORM), which the gate does not expand. */
int confine_runtime_code_paths (const char *runtime, confine_runtime_code_t *code,
                                confine_error_t *err);
void confine_runtime_code_clear (confine_runtime_code_t *code);

/* Is the runtime executable PATH refused by the policy's
 * `runtimes.refused`? Names are compared with PATH's last component, a
 * stand-in's `.real` suffix dropped. With a refusal, *WHY says which name
 * (static storage of the policy). */
bool confine_runtime_refused (const confine_policy_t *policy, const char *path, const char **why);

#endif
