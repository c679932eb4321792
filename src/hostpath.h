/* SPDX-License-Identifier: Apache-2.0 */
/* Host paths: resolving a path the way the kernel will when runc hands it
 * over, and judging a resolved path against the policy's sensitive
 * paths. Bind sources, the root filesystem and the real sources of the
 * mounts the kernel made all go through these two functions, so every
 * way a container reaches a host file is judged by the same rules. */
#ifndef CONFINE_HOSTPATH_H
#define CONFINE_HOSTPATH_H

#include <stdbool.h>

#include "../base/error.h"
#include "../oci/spec.h"
#include "policy.h"

/* Resolve PATH (relative ones joined to BASE, cleaned lexically first as
 * Go's filepath.Join does) following every symlink as the kernel will.
 * A tail that does not exist is appended to the resolved part that does,
 * cleaned, so a dangling link still names where it points. Any other
 * failure (a component that is not a directory, too many links, a name
 * too long, permission, a /proc link that the kernel resolves into
 * another process's view) is an error: never a guess. */
int confine_hostpath_resolve (const char *base, const char *path, char **out,
                              confine_error_t *err);

typedef struct confine_lookups_s confine_lookups_t;

/* PATH is DIR or inside it; both resolved and clean. */
bool confine_path_within (const char *path, const char *dir);

/* How a host path reaches the container. */
typedef enum
{
  CONFINE_HOSTPATH_BIND,  /* a bind mount's source */
  CONFINE_HOSTPATH_ROOT,  /* the root filesystem */
  CONFINE_HOSTPATH_SHOWN, /* where the host shows what the kernel mounted, judged as a bind
                           * source except that it names no owner (a host mount of the same
                           * files in another pod's directory is not this container's bind) */
} confine_hostpath_use_t;

/* A unix socket of the host's (of the gate's network namespace or
 * another) that receives connections or datagrams at a filesystem path. */
typedef struct confine_host_socket_s confine_host_socket_t;

/* A mount of the host's, by its id, and its filesystem's device as the
 * kernel names it to sock_diag and in mountinfo. */
typedef struct
{
  unsigned long long id;
  dev_t dev;
} confine_mount_dev_t;

/* One of the gate's own paths, taken from the loaded policy (see
 * confine_hostpaths_init). */
typedef struct
{
  const char *key;     /* the policy key that names it */
  const char *spelled; /* as the policy spells it */
  char *path;          /* resolved */
  bool tree;           /* a directory the gate writes in: no bind may lie inside it */
  bool code;           /* where the runtime finds code: only writable binds count */
  bool search;         /* a directory searched by name (PATH): a file in it counts too */
} confine_gate_path_t;

/* Where the runtime the shim runs, and its dynamic loader, find code
 * (confine_runtime_code_paths), each list NULL-terminated. */
typedef struct
{
  char **search; /* directories searched by name, not below: its own, PATH's */
  char **libs;   /* LD_LIBRARY_PATH's, which ld.so searches below too (glibc-hwcaps/) */
  char **files;  /* loaded whatever the search (LD_PRELOAD, LD_AUDIT), and relative
                  * entries: the working directory (the bundle), itself only */
} confine_runtime_code_t;

/* The policy's lists, each entry resolved once per evaluation (a spec may
 * carry thousands of mounts), and the host's sockets, read once when a
 * bind is first judged. */
typedef struct
{
  const confine_policy_t *policy;
  char **sensitive;    /* resolved; patterns as written */
  char **subtrees;
  char **allowed;
  char **roots;        /* allowed_roots, their plain directories resolved */
  char **readonly;     /* readonly_subtrees, resolved */
  confine_gate_path_t *gate;
  size_t n_gate;
  confine_host_socket_t *sockets; /* NULL until read */
  size_t n_sockets;
  bool sockets_by_name;            /* read from /proc/net/unix: the kernel has no unix_diag */
  confine_host_socket_t *other_sockets; /* those of the other network namespaces, NULL until read */
  size_t n_other_sockets;
  const char *runtime_root;        /* the gate's runtime's state root (resolved), or NULL */
  confine_mount_dev_t *mount_devs; /* the host's mounts, NULL until read */
  size_t n_mount_devs;
  confine_lookups_t *lookups; /* every name looked up in this evaluation */
  /* allowed_subtrees: each entry's `{owner}` component (its index among
   * the components, from the end, or -1). */
  int *owner_at;
  /* The container judged (confine_hostpaths_container), NULL when
   * unknown: its id as its engine named it to the runtime, its bundle,
   * its spec's annotations; and, once a bind needed them, the owners
   * they establish (owners_known). */
  const char *id;
  const char *bundle;
  const confine_annotation_t *annotations;
  size_t n_annotations;
  bool owners_known;
  char **owners;
  char *own_root; /* a root found to be the container's own snapshot, or NULL */
} confine_hostpaths_t;

/* Why a path is refused: the policy key, the entry as the policy spells
 * it, and how the path relates to it. */
typedef struct
{
  const char *key;
  const char *entry;
  const char *relation; /* "exposes", "is inside", "holds", "is writable inside" */
  char *socket;         /* the socket a directory holds and why it counts, or NULL */
} confine_hostpath_verdict_t;

/* RUNTIME_ROOT: the state root of the runtime the gate runs (its
 * `--root`, absolute), a tree of the gate's own for this evaluation, or
 * NULL when the caller does not know it (the hook). CODE, or NULL
 * likewise: where that runtime finds code; no writable bind may be or
 * hold one of those places, be a file in a searched directory, or lie
 * below a library directory. */
int confine_hostpaths_init (const confine_policy_t *policy, const char *runtime_root,
                            const confine_runtime_code_t *code, confine_hostpaths_t *hp,
                            confine_error_t *err);
void confine_hostpaths_clear (confine_hostpaths_t *hp);
/* Forget what HP has learnt of the host beyond the policy's lists as
 * resolved: every name looked up, the host's sockets and mounts, the
 * container and what was found of its owners and snapshot. The lists
 * are kept. A later use looks every path it judges up again, as a fresh
 * HP would, against the lists as they were first resolved (the shim's
 * check after create judges the mounts runc made with the lists its
 * judgement of the spec resolved: runtime/create.c says why that is
 * sound). */
void confine_hostpaths_forget (confine_hostpaths_t *hp);
/* The container whose host paths are judged: ID as its engine named it
 * to the runtime, its BUNDLE and its spec's annotations (N of them), all
 * kept by reference. Without it, no `{owner}` directory and no engine's
 * snapshot (mounts.allowed_roots) is the container's own. */
void confine_hostpaths_container (confine_hostpaths_t *hp, const char *id, const char *bundle,
                                  const confine_annotation_t *annotations, size_t n);
/* confine_hostpath_resolve, remembering each name looked up for the rest
 * of the evaluation. */
int confine_hostpaths_resolve (confine_hostpaths_t *hp, const char *base, const char *path,
                               char **out, confine_error_t *err);
/* PATH (resolved) lies inside one of mounts.allowed_subtrees (a plain
 * entry: at or below it; an entry with patterns: at or below a path its
 * components match, one `*` or `{owner}` per component). */
bool confine_hostpaths_allowed (const confine_hostpaths_t *hp, const char *path);
/* PATH (resolved) is itself what an allowed_subtrees entry names, not
 * something below it: one volume's data directory
 * (/var/lib/docker/volumes/V/_data), as an engine binds a named volume. */
bool confine_hostpaths_allowed_whole (const confine_hostpaths_t *hp, const char *path);
/* The engine's tree (an allowed_subtrees entry, or the plain directories
 * its pattern starts with: /var/lib/kubelet/pods for
 * /var/lib/kubelet/pods/{owner}) that PATH (resolved) lies in or
 * around, where an engine mounts what an API user asks for; NULL when
 * none. */
char *confine_hostpaths_engine_tree (const confine_hostpaths_t *hp, const char *path);
/* PATH (resolved) is the container's own snapshot (an allowed_roots
 * entry matches it and the engine's record names it this container's,
 * as the mounts rule judges a root filesystem). Returns 1 when it is, 0
 * when not, negative on error. */
int confine_hostpaths_own_snapshot (confine_hostpaths_t *hp, const char *path,
                                    confine_error_t *err);
/* Judge a resolved host path, mounted READONLY or not. Returns 1 when
 * refused (V says why), 0 when allowed, negative on error. */
int confine_hostpaths_judge (confine_hostpaths_t *hp, const char *path,
                             confine_hostpath_use_t use, bool readonly,
                             confine_hostpath_verdict_t *v, confine_error_t *err);

#endif
