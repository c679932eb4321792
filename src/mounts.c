/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "mounts.h"
#include "../base/utils.h"

static bool
has_option (const confine_mount_t *m, const char *opt)
{
  for (char **o = m->options; *o; o++)
    if (strcmp (*o, opt) == 0)
      return true;
  return false;
}

static bool
is_bind (const confine_mount_t *m)
{
  return (m->type && strcmp (m->type, "bind") == 0) || has_option (m, "bind")
         || has_option (m, "rbind");
}

/* The words runc 1.1 reads itself (specconv's mountFlags with a nonzero
 * flag, mountPropagationMapping, recAttrFlags, extensionFlags). Any
 * other word, `defaults` and `X-mount.*` included, runc joins into the
 * data string the filesystem's own parser reads. */
static const char *const runc_words[]
    = { "acl",        "async",       "atime",        "bind",          "dev",
        "diratime",   "dirsync",     "exec",         "iversion",      "lazytime",
        "loud",       "mand",        "noacl",        "noatime",       "nodev",
        "nodiratime", "noexec",      "noiversion",   "nolazytime",    "nomand",
        "norelatime", "nostrictatime", "nosuid",     "nosymfollow",   "rbind",
        "relatime",   "remount",     "ro",           "rw",            "silent",
        "strictatime", "suid",       "sync",         "symfollow",     "private",
        "rprivate",   "slave",       "rslave",       "shared",        "rshared",
        "unbindable", "runbindable", "rro",          "rrw",           "rnosuid",
        "rsuid",      "rnodev",      "rdev",         "rnoexec",       "rexec",
        "rnodiratime", "rdiratime",  "rrelatime",    "rnorelatime",   "rnoatime",
        "ratime",     "rstrictatime", "rnostrictatime", "rnosymfollow", "rsymfollow",
        "tmpcopyup",  NULL };

/* The data each default pseudo-filesystem may get, by key (the part
 * before `=`), as the kernel's parser of that filesystem reads it: sizes,
 * modes and owners of the container's own instance. cgroup and cgroup2
 * take none: cgroup2 has one superblock for the whole host, and a mount
 * from the host's cgroup namespace sets or clears its flags (nsdelegate,
 * memory_localevents) for every cgroup on the host. SELinux's context
 * options only label. */
static const struct
{
  const char *type;
  const char *const keys[12];
} data_keys[] = {
  { "tmpfs", { "size", "nr_blocks", "nr_inodes", "mode", "uid", "gid", "huge", "mpol", "inode32",
               "inode64", "noswap", NULL } },
  { "proc", { "hidepid", "gid", "subset", NULL } },
  { "devpts", { "newinstance", "ptmxmode", "mode", "gid", "uid", "max", NULL } },
  { "mqueue", { NULL } },
  { "sysfs", { NULL } },
  { "cgroup", { NULL } },
  { "cgroup2", { NULL } },
};
static const char *const label_keys[]
    = { "context", "fscontext", "defcontext", "rootcontext", NULL };

static bool
key_in (const char *const *keys, const char *word)
{
  size_t n = strcspn (word, "=");
  for (; *keys; keys++)
    if (strlen (*keys) == n && strncmp (*keys, word, n) == 0)
      return true;
  return false;
}

/* The first word of M's options that runc hands the filesystem as data
 * and that the filesystem's table does not list, or NULL. A type the
 * operator added to mounts.allowed_types has no table here: its data is
 * the operator's choice, as the type is. */
static const char *
unjudged_data (const confine_mount_t *m)
{
  for (size_t t = 0; t < sizeof (data_keys) / sizeof (data_keys[0]); t++)
    if (m->type && strcmp (m->type, data_keys[t].type) == 0)
      {
        for (char **o = m->options; *o; o++)
          if (!confine_strv_has ((char *const *) runc_words, *o) && !key_in (data_keys[t].keys, *o)
              && !key_in (label_keys, *o))
            return *o;
        return NULL;
      }
  return NULL;
}

/* A mount that is not a bind: only the pseudo-filesystems a container
 * needs. A disk (`ext4` of /dev/vda), an overlay of host directories,
 * devtmpfs or debugfs would hand the container host data. A second proc
 * or sysfs elsewhere than /proc and /sys would undo maskedPaths and
 * readonlyPaths, which runc applies under /proc and /sys only. */
static void
check_filesystem (const confine_context_t *ctx, const confine_mount_t *m,
                  confine_rule_result_t *r)
{
  const char *type = m->type ? m->type : "";
  const char *dest = m->destination ? m->destination : "?";

  if (!confine_strv_has (ctx->policy->mounts_allowed_types, type))
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types",
                        "mount of type `%s` from `%s` at `%s` is not an allowed filesystem", type,
                        m->source ? m->source : "", dest);
  else if ((strcmp (type, "proc") == 0 && strcmp (dest, "/proc") != 0)
           || (strcmp (type, "sysfs") == 0 && strcmp (dest, "/sys") != 0))
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types",
                        "a %s mount at `%s` escapes the masked and read-only paths under /%s",
                        type, dest, strcmp (type, "proc") == 0 ? "proc" : "sys");
}

/* Whether runc leaves the mount read-only: it applies ro and rw in
 * order, the last winning; on a bind it then applies the recursive
 * attributes with mount_setattr(2), where `rrw` clears read-only on the
 * mount and everything under it and `rro` sets it (with both, counted
 * writable). On any other mount runc never applies them. */
static bool
readonly (const confine_mount_t *m)
{
  bool ro = false;
  for (char **o = m->options; *o; o++)
    if (strcmp (*o, "ro") == 0 || strcmp (*o, "rw") == 0)
      ro = (*o)[1] == 'o';
  if (is_bind (m) && has_option (m, "rrw"))
    return false;
  return ro || (is_bind (m) && has_option (m, "rro"));
}

bool
confine_mount_is_at (const confine_mount_t *m, const char *where)
{
  const char *d = m->destination;
  size_t n = d ? strlen (d) : 0;
  /* The destination as runc cleans it: trailing slashes dropped. */
  while (n > 1 && d[n - 1] == '/')
    n--;
  return d && strlen (where) == n && strncmp (d, where, n) == 0;
}

bool
confine_mounts_spec_readonly_at (const confine_spec_t *spec, const char *where)
{
  for (size_t i = 0; spec && i < spec->n_mounts; i++)
    if (confine_mount_is_at (&spec->mounts[i], where) && readonly (&spec->mounts[i]))
      return true;
  return false;
}

/* PATH (resolved) is the bundle or holds it. A container that sees its
 * bundle sees config.json, which the shim rewrites there, and the files
 * an engine hands runc later (containerd writes each exec's process file
 * in the bundle); writable, the container rewrites what the gate judged
 * before runc reads it. Returns 1 when it does. */
static int
holds_bundle (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *path,
              confine_error_t *err)
{
  cleanup_free char *bundle = NULL;
  if (ctx->bundle == NULL)
    return 0;
  if (confine_hostpaths_resolve (hp, NULL, ctx->bundle, &bundle, err) < 0)
    return confine_error_wrap (err, "bundle `%s`", ctx->bundle);
  return confine_path_within (bundle, path) ? 1 : 0;
}

/* A host path that reaches the container (WHAT, as written, relative
 * ones joined to the bundle as runc joins them: Go's filepath.Join
 * cleans lexically before the kernel follows any link), judged; fills R
 * with the reason when refused. *RESOLVED gets the path as resolved on
 * the host when it passes. */
static int
judge_path (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *what,
            const char *written, const char *dest, confine_hostpath_use_t use, bool ro,
            char **resolved, confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *at = NULL;
  cleanup_free char *socket = NULL;
  confine_hostpath_verdict_t v = { 0 };
  int ret = 0;

  if (confine_hostpaths_resolve (hp, ctx->bundle, written, &path, err) < 0)
    ret = 1;
  else if ((ret = confine_hostpaths_judge (hp, path, use, ro, &v, err)) < 0)
    return ret;
  else if (ret == 0 && (ret = holds_bundle (hp, ctx, path, err)) <= 0)
    {
      if (ret == 0)
        *resolved = steal_pointer (&path);
      return ret;
    }
  /* Refused: described only now, as most sources pass. */
  if (asprintf (&at, "%s `%s`%s%s%s", what, written, dest ? " at `" : "", dest ? dest : "",
                dest ? "`" : "")
      < 0)
    return confine_make_error (err, ENOMEM, "describe mount");
  if (path == NULL)
    {
      confine_result_from_error (r, "mounts", at, err);
      return 0;
    }
  socket = v.socket;
  if (v.key == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts",
                          "%s (%s) holds the bundle `%s`, whose config.json and exec "
                          "process files runc reads",
                          at, path, ctx->bundle);
      return 0;
    }
  if (socket)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, v.key,
                          "%s (%s) holds %s", at, path, socket);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_FAIL, v.key, "%s (%s) %s the host's `%s`", at,
                      path, v.relation, v.entry);
  return 0;
}

/* Podman's `-v SRC:DST:U` chowns SRC to the container's user when it
 * creates the container, before any runtime runs (README, "What the gate
 * sees"): the spec keeps no `U`, only SRC's owner. A refused source owned
 * by the container's user (not root) says so: the refusal comes after
 * the chown and does not undo it. */
static void
chowned_hint (const confine_spec_t *spec, const char *source, confine_rule_result_t *r)
{
  struct stat st;
  char *fact = NULL;

  if (!spec->process.has_uid || spec->process.uid == 0 || source[0] != '/' || r->fact == NULL
      || stat (source, &st) < 0 || (int64_t) st.st_uid != spec->process.uid)
    return;
  if (asprintf (&fact, "%s; WARNING: `%s` is owned by the container's user (uid %lld): an "
                "engine may already have chowned it (Podman's `:U`), which this refusal does "
                "not undo", r->fact, source, (long long) spec->process.uid) < 0)
    return;
  free (r->fact);
  r->fact = fact;
}

/* A bind whose source lies in the container's own root filesystem: by
 * the time runc binds it, runc has mounted the container's proc, sysfs
 * and the spec's earlier mounts there, so a plain directory of the image
 * when judged (rootfs/proc/sys) becomes a second /proc/sys without
 * readonlyPaths. No engine binds from its container's root. */
static void
inside_root (const char *root, const confine_mount_t *m, const char *source,
             confine_rule_result_t *r)
{
  if (!confine_path_within (source, root))
    return;
  confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts",
                      "bind mount of `%s` at `%s` (%s) is inside the container's own root "
                      "filesystem `%s`, where runc mounts the container's proc and sysfs "
                      "before the bind; no engine binds from there (rule `mounts`, "
                      "switched by rules.mounts)",
                      m->source, m->destination ? m->destination : "?", source, root);
}

/* Whether the bind M stays a slave or peer of the host's mount it
 * copies, so that a mount the host makes later below its source appears
 * in the running container, never judged. runc 1.1 applies the words of
 * its mountPropagationMapping in order (the last wins) after the bind,
 * and a bind with none keeps what linux.rootfsPropagation made of the
 * whole namespace: rslave unless rprivate or runbindable. A
 * non-recursive `private` or `unbindable` leaves an rbind's submounts
 * as they were. */
static const char *
propagation_word (const confine_mount_t *m)
{
  static const char *const words[] = { "slave",    "rslave",     "shared",     "rshared",
                                       "private",  "rprivate",   "unbindable", "runbindable",
                                       NULL };
  const char *last = NULL;

  for (char **o = m->options; *o; o++)
    if (confine_strv_has ((char *const *) words, *o))
      last = *o;
  return last;
}

static bool
receives_propagation (const confine_spec_t *spec, const confine_mount_t *m)
{
  const char *rootfs = spec->rootfs_propagation;
  bool root_private = rootfs && (strcmp (rootfs, "rprivate") == 0
                                 || strcmp (rootfs, "runbindable") == 0);
  const char *last = propagation_word (m);

  if (last == NULL)
    return !root_private;
  if (strcmp (last, "rprivate") == 0 || strcmp (last, "runbindable") == 0)
    return false;
  if (strcmp (last, "private") == 0 || strcmp (last, "unbindable") == 0)
    return has_option (m, "rbind") && !root_private;
  return true;
}

/* A bind that receives the host's later mounts (receives_propagation):
 * whatever is mounted below its source afterwards appears in the running
 * container, judged by nobody. In or around an engine's tree
 * (mounts.allowed_subtrees: volumes, kubelet's pods, per-container
 * directories) an engine mounts there what any API user asks for
 * (`docker volume create -o o=bind -o device=/etc`, then any container
 * with the volume); anywhere else the host does (a build tool's chroot
 * `proc`, a rescue bind of `/`, a disk under /media: found-76). Engines
 * bind with rprivate unless asked; rslave is Kubernetes' HostToContainer
 * or a user's bind-propagation. The policy's mounts.propagation_subtrees
 * allow it. */
static int
propagation_refusal (confine_hostpaths_t *hp, const confine_context_t *ctx,
                     const confine_spec_t *spec, const confine_mount_t *m, const char *source,
                     confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *tree = NULL;

  if (!receives_propagation (spec, m))
    return 0;
  /* Docker binds a named volume (`-v NAME:/x`) with no word: its data
   * directory, exactly what an entry names. The engine mounts there only
   * when a container starts using the volume, before this one started
   * with it; what an API user can have it mount later lands beside it,
   * at another volume's. A bind of that directory by path gets rprivate
   * from Docker, or the word the user asked for. */
  if (propagation_word (m) == NULL && confine_hostpaths_allowed_whole (hp, source))
    return 0;
  tree = confine_hostpaths_engine_tree (hp, source);
  /* Outside the engines' trees only a word asks for it: Docker, Podman,
   * CRI-O and containerd's CRI write one on every bind (rprivate unless
   * told otherwise), so a bind with none comes from a bundle written by
   * hand, by host root, where runc's default rslave root applies. */
  if (tree == NULL && propagation_word (m) == NULL)
    return 0;
  for (char **p = ctx->policy->mounts_propagation_subtrees; *p; p++)
    {
      cleanup_free char *allowed = NULL;
      if (confine_hostpaths_resolve (hp, NULL, *p, &allowed, err) < 0)
        return -1;
      if (confine_path_within (source, allowed))
        return 0;
    }
  if (tree == NULL)
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.propagation_subtrees",
                        "bind mount of `%s` at `%s` (%s) receives the mounts the host makes later "
                        "below it (propagation `%s`), which reach the running container unjudged "
                        "(use rprivate)",
                        m->source, m->destination ? m->destination : "?", source,
                        propagation_word (m));
  else
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.propagation_subtrees",
                        "bind mount of `%s` at `%s` (%s) receives the mounts the host makes later "
                        "below it (propagation %s) in `%s`, where an engine mounts what an API "
                        "user asks for into the running container (use rprivate)",
                        m->source, m->destination ? m->destination : "?", source,
                        spec->rootfs_propagation && spec->rootfs_propagation[0]
                            ? "of its options or linux.rootfsPropagation"
                            : "of its options or runc's default rslave",
                        tree);
  return 0;
}

/* A writable bind of a host device node (confine_mounts_device_bind):
 * with a user namespace the check of the init decides, by its maps. */
static int
device_bind (const confine_context_t *ctx, const confine_spec_t *spec, const confine_mount_t *m,
             const char *source, confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *what = NULL;
  bool userns = false;

  for (size_t i = 0; i < spec->n_namespaces; i++)
    userns = userns || (spec->namespaces[i].type && strcmp (spec->namespaces[i].type, "user") == 0);
  if (asprintf (&what, "bind mount of `%s` at `%s`", m->source,
                m->destination ? m->destination : "?")
      < 0)
    return confine_make_error (err, ENOMEM, "describe mount");
  return confine_mounts_device_bind (ctx->pid, userns, source, readonly (m), what, r, err);
}

static int
judge_mounts (confine_hostpaths_t *hp, const confine_context_t *ctx, const confine_spec_t *spec,
              unsigned *binds, confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *root = NULL;
  int ret;

  /* runc 1.1 makes every mount of the container's namespace a slave of
   * the host's (rslave) unless told otherwise. Any other propagation
   * leaves some mounts peers of the host's: runc's next mount inside a
   * bind of such a mount (a second bind at a path under the first) then
   * appears on the host too, at the first bind's source, and a
   * read-only bind of /usr gets a writable file mounted over one of its
   * programs on the host. Only the recursive, one-way values pass. */
  if (spec->rootfs_propagation && spec->rootfs_propagation[0]
      && strcmp (spec->rootfs_propagation, "rslave") != 0
      && strcmp (spec->rootfs_propagation, "rprivate") != 0
      && strcmp (spec->rootfs_propagation, "runbindable") != 0)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts",
                          "linux.rootfsPropagation `%s` leaves the container's mounts peers "
                          "of the host's, so a mount runc makes inside a bind appears on "
                          "the host (use rslave or rprivate)",
                          spec->rootfs_propagation);
      return 0;
    }

  /* The root filesystem is a host directory, writable unless
   * root.readonly: judged like a bind source. */
  if (spec->root_path)
    {
      ret = judge_path (hp, ctx, "root filesystem", spec->root_path, NULL, CONFINE_HOSTPATH_ROOT,
                        spec->root_readonly, &root, r, err);
      if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
        return ret;
    }
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      const char *dest = m->destination ? m->destination : "?";
      const char *data = NULL;
      cleanup_free char *source = NULL;
      /* A remount mounts nothing: it changes whatever is mounted at the
       * destination when runc gets there (an earlier mount, the root
       * filesystem, the host's filesystem under it), its per-mount flags
       * with bind, the whole superblock, shared with the host, without.
       * The spec's text cannot say what that is. */
      ret = 0;
      if (has_option (m, "remount"))
        confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts",
                            "mount at `%s` has the `remount` option, which changes "
                            "whatever is already mounted there",
                            dest);
      else if (!is_bind (m))
        {
          check_filesystem (ctx, m, r);
          if (r->kind != CONFINE_RESULT_FAIL && (data = unjudged_data (m)))
            confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_types",
                                "%s mount at `%s` has option `%s`, which runc passes to "
                                "the filesystem as data",
                                m->type, dest, data);
          if (r->kind != CONFINE_RESULT_FAIL && m->type
              && confine_mounts_must_be_readonly (ctx->policy, m->type) && !readonly (m))
            confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.writable_pseudo_filesystems",
                                "%s mount at `%s` is not read-only", m->type, dest);
        }
      else if (m->source == NULL)
        confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                            "bind mount at `%s` has no source", dest);
      else
        {
          (*binds)++;
          ret = judge_path (hp, ctx, "bind mount of", m->source, dest, CONFINE_HOSTPATH_BIND,
                            readonly (m), &source, r, err);
          if (ret == 0 && r->kind == CONFINE_RESULT_FAIL)
            chowned_hint (spec, m->source, r);
          if (ret == 0 && r->kind != CONFINE_RESULT_FAIL && root)
            inside_root (root, m, source, r);
          if (ret == 0 && r->kind != CONFINE_RESULT_FAIL)
            ret = propagation_refusal (hp, ctx, spec, m, source, r, err);
          if (ret == 0 && r->kind != CONFINE_RESULT_FAIL)
            ret = device_bind (ctx, spec, m, source, r, err);
        }
      if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
        return ret;
    }
  /* Where the container's init exists (a hook's state), judge what the
   * kernel really mounted too. */
  if (ctx->pid > 0)
    return confine_mounts_judge_live_with (hp, ctx, spec, ctx->pid, r, err);
  return 0;
}

/* A new user namespace whose uid and gid maps both map no host id 0. */
static bool
userns_without_root (const confine_spec_t *spec)
{
  bool fresh = false;

  for (size_t i = 0; i < spec->n_namespaces; i++)
    if (spec->namespaces[i].type && strcmp (spec->namespaces[i].type, "user") == 0)
      fresh = spec->namespaces[i].path == NULL;
  if (!fresh || spec->n_id_mappings[0] == 0 || spec->n_id_mappings[1] == 0)
    return false;
  for (size_t k = 0; k < 2; k++)
    for (size_t i = 0; i < spec->n_id_mappings[k]; i++)
      if (spec->id_mappings[k][i].host_id == 0)
        return false;
  return true;
}

/* DIR (an lstat of it, PATH) can be searched by root alone. A POSIX ACL
 * grants named users no more than the group bits (its mask) allow. */
static bool
root_only (const char *path, const struct stat *st)
{
  if (!S_ISDIR (st->st_mode) || st->st_uid != 0 || (st->st_mode & 0001))
    return false;
  if ((st->st_mode & 0010) == 0)
    return true;
  return st->st_gid == 0 && lgetxattr (path, "system.posix_acl_access", NULL, 0) < 0
         && errno == ENODATA;
}

/* DIR (resolved) and every directory above it are out of every
 * container's reach: a writable bind of each is refused (a sensitive
 * path, or inside a sensitive subtree and no allowed one). Only then is
 * DIR's mode a barrier: a container with a bind of DIR or of a directory
 * above it changes the mode (red team 7, F-02). */
static int
unbindable (confine_hostpaths_t *hp, const char *dir, bool *out, confine_error_t *err)
{
  cleanup_free char *p = confine_xstrdup (dir);

  *out = false;
  for (;;)
    {
      confine_hostpath_verdict_t v = { 0 };
      char *slash;
      int r = confine_hostpaths_judge (hp, p, CONFINE_HOSTPATH_BIND, false, &v, err);

      free (v.socket);
      if (r <= 0)
        return r;
      if (strcmp (p, "/") == 0 || (slash = strrchr (p, '/')) == NULL)
        break;
      slash[slash == p] = '\0';
    }
  *out = true;
  return 0;
}

/* Whether the files of SOURCE (resolved) are out of every host user's
 * reach: a device node, socket or FIFO, or inside an engine's tree
 * (mounts.allowed_subtrees) below a directory only root can search, at
 * or above that tree, that no container can bind (unbindable) and no
 * host mount bypasses (confine_mounts_bypass). Nowhere else is a
 * directory's mode a barrier: the container, or another one binding a
 * directory above it, opens it after the judgement (red team 7, F-02).
 * A SOURCE that does not exist yet (an engine makes a container's files
 * just before runc binds them) is judged by its tree. */
static int
out_of_reach (confine_hostpaths_t *hp, const char *source, bool *out, confine_error_t *err)
{
  cleanup_free char *dir = confine_hostpaths_engine_tree (hp, source);
  struct stat st;
  bool exists = lstat (source, &st) == 0;

  *out = false;
  if (!exists && errno != ENOENT)
    return 0; /* counted */
  if (exists
      && (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode) || S_ISSOCK (st.st_mode)
          || S_ISFIFO (st.st_mode)))
    {
      *out = true;
      return 0;
    }
  if (dir == NULL || !confine_path_within (source, dir) || !confine_hostpaths_allowed (hp, source))
    return 0;
  /* The deepest such directory: the fewer mounts between it and SOURCE,
   * the fewer ways around it. */
  for (;;)
    {
      char *slash;
      if (lstat (dir, &st) < 0)
        {
          if (errno != ENOENT)
            return 0;
        }
      else if (root_only (dir, &st))
        {
          bool fixed = false, bypass = true;
          if (unbindable (hp, dir, &fixed, err) < 0)
            return -1;
          if (fixed && confine_mounts_bypass (dir, source, &bypass, err) < 0)
            return -1;
          *out = fixed && !bypass;
          return 0;
        }
      if (strcmp (dir, "/") == 0 || (slash = strrchr (dir, '/')) == NULL)
        return 0;
      slash[slash == dir] = '\0';
    }
}

/* A bind that stays read-only in the container: runc 1.1 remounts only
 * the top of an `rbind` read-only, so the host's submounts below its
 * source stay writable unless `rro` makes the whole tree read-only (red
 * team 7, F-08). A plain `bind` carries no submounts. */
static bool
setid_readonly (const confine_mount_t *m)
{
  return readonly (m) && (has_option (m, "rro") || !has_option (m, "rbind"));
}

/* Whether the host path WRITTEN (relative to the bundle), writable in
 * the container, counts: *COUNTED unless its files are out of reach. */
static int
counts (confine_hostpaths_t *hp, const confine_context_t *ctx, const char *written,
        bool *counted, confine_error_t *err)
{
  cleanup_free char *source = NULL;
  cleanup_error confine_error_t unresolved = NULL;
  bool out = false;

  /* A source that does not resolve counts: runc follows it later. */
  if (confine_hostpaths_resolve (hp, ctx->bundle, written, &source, &unresolved) == 0
      && out_of_reach (hp, source, &out, err) < 0)
    return -1;
  *counted = !out;
  return 0;
}

static int
setid_bind (confine_hostpaths_t *hp, const confine_context_t *ctx, const confine_spec_t *spec,
            char **what, confine_error_t *err)
{
  bool counted = false;

  /* The binds first: a refusal names the one the user asked for. */
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];

      if (!is_bind (m) || setid_readonly (m) || m->source == NULL)
        continue;
      if (counts (hp, ctx, m->source, &counted, err) < 0)
        return -1;
      if (!counted)
        continue;
      *what = confine_xasprintf ("the bind mount of `%s` at `%s` is writable and host users "
                                 "reach its files",
                                 m->source, m->destination ? m->destination : "?");
      return 0;
    }
  /* The root filesystem is a host directory too (Podman's `--rootfs
   * DIR`): writable and not the container's own snapshot, it counts as a
   * bind (red team 7, F-03). */
  if (spec->root_path && !spec->root_readonly)
    {
      cleanup_free char *root = NULL;
      cleanup_error confine_error_t unresolved = NULL;
      int own = 0;

      if (confine_hostpaths_resolve (hp, ctx->bundle, spec->root_path, &root, &unresolved) == 0
          && (own = confine_hostpaths_own_snapshot (hp, root, err)) < 0)
        return -1;
      if (own == 0 && counts (hp, ctx, spec->root_path, &counted, err) < 0)
        return -1;
      if (counted)
        *what = confine_xasprintf ("the root filesystem `%s` is writable and host users reach "
                                   "its files",
                                   spec->root_path);
    }
  return 0;
}

int
confine_mounts_setid_bind (const confine_context_t *ctx, const confine_spec_t *spec,
                           char **what, confine_error_t *err)
{
  confine_hostpaths_t local = { 0 };
  confine_hostpaths_t *hp;
  int ret;

  *what = NULL;
  if (!ctx->policy->block_setid_files || userns_without_root (spec))
    return 0;
  /* A container with no such bind of its own can still be handed a
   * descriptor of one by a container that has it (SCM_RIGHTS over a
   * socket they share) and make the file through it (red team 7 F-00). */
  if (ctx->policy->setid_every_container)
    {
      *what = confine_xstrdup ("seccomp.setid_scope is `all`: any container may be handed a "
                               "descriptor of a directory host users reach");
      return 0;
    }
  if ((hp = confine_rule_hostpaths (ctx, &local, err)) == NULL)
    return -1;
  confine_hostpaths_container (hp, ctx->id, ctx->bundle, spec->annotations, spec->n_annotations);
  ret = setid_bind (hp, ctx, spec, what, err);
  confine_rule_hostpaths_done (hp, &local);
  return ret;
}

confine_hostpaths_t *
confine_rule_hostpaths (const confine_context_t *ctx, confine_hostpaths_t *local,
                        confine_error_t *err)
{
  confine_hostpaths_t *hp = ctx->hostpaths ? ctx->hostpaths : local;

  if (hp->policy)
    {
      confine_hostpaths_forget (hp);
      return hp;
    }
  if (confine_hostpaths_init (ctx->policy, ctx->runtime_root, ctx->runtime_code, hp, err) < 0)
    return NULL;
  return hp;
}

void
confine_rule_hostpaths_done (confine_hostpaths_t *hp, confine_hostpaths_t *local)
{
  if (hp == local)
    confine_hostpaths_clear (local);
}

int
confine_rule_mounts (const confine_context_t *ctx, const confine_subject_t *s,
                     confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  confine_hostpaths_t local = { 0 };
  confine_hostpaths_t *hp = confine_rule_hostpaths (ctx, &local, err);
  unsigned binds = 0;
  int ret;

  if (hp == NULL)
    return -1;
  confine_hostpaths_container (hp, ctx->id, ctx->bundle, spec->annotations, spec->n_annotations);
  r->kind = CONFINE_RESULT_PASS;
  ret = judge_mounts (hp, ctx, spec, &binds, r, err);
  confine_rule_hostpaths_done (hp, &local);
  if (ret < 0 || r->kind == CONFINE_RESULT_FAIL)
    return ret;
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "%s%zu mounts (%u binds), none of or inside a sensitive host path, "
                      "every other one an allowed filesystem%s",
                      spec->root_path ? "root filesystem and " : "", spec->n_mounts, binds,
                      ctx->pid > 0 ? ", as the kernel really mounted them" : "");
  return 0;
}
