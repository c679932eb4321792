/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroups rule: what a runtime writes into cgroups, and which cgroup
 * the container gets.
 *
 * linux.resources.unified maps a file name to a value written into that
 * file of the container's cgroup: runc 1.1 (fs2.setUnified) refuses a
 * `/` and then path.Join's the name to the cgroup's directory, so `..` is
 * its parent; crun 1.8 openat's the name and writes each line of the
 * value apart. Both write during `create`, before any hook runs (runc's
 * process_linux.go sets the cgroup before prestart and createRuntime), so
 * only a refusal before the runtime starts keeps the write from
 * happening. A name is one of the kernel's resource-controller limits,
 * or is refused: the core files act on more than the container's limits
 * (cgroup.procs and cgroup.threads move any host process into the
 * container's cgroup, to be frozen, killed or starved with it;
 * cgroup.kill, cgroup.freeze, cgroup.subtree_control, cgroup.type,
 * cgroup.max.*).
 *
 * linux.cgroupsPath names the container's cgroup. runc 1.1 joins the
 * cgroup it names, existing or not, writes the limits there, and at
 * delete signals what is in it or stops its systemd unit. runc cleans
 * `..` away as text (never above the hierarchy's root, but to any cgroup
 * in it); crun 1.8 appends the path to /sys/fs/cgroup as text and leaves
 * `..` to the kernel, and when the container ends kills everything in
 * the cgroup it named. Every engine gives a container a new cgroup named
 * by its id: PARENT/ID (Docker, containerd, Kubernetes), PARENT/libpod-ID
 * (Podman), PARENT/crio-ID (CRI-O), or with systemd SLICE:PREFIX:ID (the
 * unit PREFIX-ID.scope in SLICE). Only those shapes pass. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroups.h"
#include "../base/file.h"
#include "../base/utils.h"

/* Where runc 1.1 finds the hierarchies (cgroups.FindCgroupMountpoint
 * joins /sys/fs/cgroup with the mount's name). */
#define CGROUP_ROOT "/sys/fs/cgroup"
#define SELF_CGROUP_MAX (64 * 1024)

/* The files of Documentation/admin-guide/cgroup-v2.rst through which a
 * controller limits or weighs the cgroup they are in, and only it.
 * hugetlb's per-size limits are matched apart (hugetlb_limit). Left out
 * on purpose, so that only the policy can allow them: io.prio.class
 * (`promote-to-rt` raises the container's I/O above the host's),
 * cpuset.cpus.partition and cpuset.cpus.exclusive (take CPUs away from
 * the siblings), memory.reclaim (an action, not a limit), the *.pressure
 * triggers, and files only the root cgroup has (io.cost.*). */
static const char *const limit_files[] = {
  "cpu.weight", "cpu.weight.nice", "cpu.max", "cpu.max.burst", "cpu.idle",
  "cpu.uclamp.min", "cpu.uclamp.max", "cpuset.cpus", "cpuset.mems",
  "io.weight", "io.bfq.weight", "io.max", "io.latency",
  "memory.min", "memory.low", "memory.high", "memory.max", "memory.swap.high",
  "memory.swap.max", "memory.zswap.max", "memory.zswap.writeback", "memory.oom.group",
  "pids.max", "rdma.max", "misc.max", NULL,
};

/* The suffixes of systemd's unit names: a cgroup so named is one systemd
 * made for host processes, never the new cgroup an engine makes. */
static const char *const unit_suffixes[] = {
  ".slice", ".scope", ".service", ".socket", ".mount", ".swap", ".device", ".target",
  ".timer", ".path", ".automount", NULL,
};

static bool
ends_with (const char *s, size_t len, const char *suffix)
{
  size_t n = strlen (suffix);
  return len >= n && memcmp (s + len - n, suffix, n) == 0;
}

/* hugetlb.<size>.max and hugetlb.<size>.rsvd.max, <size> as the kernel
 * names it (mm/hugetlb_cgroup.c: a number and KB, MB or GB). */
static bool
hugetlb_limit (const char *key)
{
  const char *p = key + strlen ("hugetlb.");
  size_t digits;

  if (strncmp (key, "hugetlb.", strlen ("hugetlb.")) != 0)
    return false;
  digits = strspn (p, "0123456789");
  if (digits == 0 || p[0] == '0')
    return false;
  p += digits;
  if (strncmp (p, "KB", 2) != 0 && strncmp (p, "MB", 2) != 0 && strncmp (p, "GB", 2) != 0)
    return false;
  return strcmp (p + 2, ".max") == 0 || strcmp (p + 2, ".rsvd.max") == 0;
}

/* Why writing the unified file KEY needs the policy's consent, or NULL. */
static const char *
unified_refusal (const char *key, char *const *allowed)
{
  if (key[0] == '\0' || strchr (key, '/') || strcmp (key, ".") == 0 || strcmp (key, "..") == 0)
    return "is a path, not a file of the container's cgroup";
  if (confine_strv_has ((char *const *) limit_files, key) || hugetlb_limit (key)
      || confine_strv_has (allowed, key))
    return NULL;
  if (strcmp (key, "cgroup.procs") == 0 || strcmp (key, "cgroup.threads") == 0)
    return "moves any process, a host one too, into the container's cgroup";
  if (strcmp (key, "cgroup.kill") == 0)
    return "kills every process in the cgroup";
  if (strcmp (key, "cgroup.freeze") == 0)
    return "freezes every process in the cgroup";
  if (strncmp (key, "cgroup.", strlen ("cgroup.")) == 0)
    return "is a core file of the cgroup, not a resource limit";
  return "is not a resource controller's limit";
}

/* LEAF (LEN bytes) is the container's own new cgroup: not a systemd
 * unit's, and, when the container's ID is known, ID or PREFIX-ID. */
static const char *
leaf_refusal (const char *leaf, size_t len, const char *id)
{
  size_t il = id ? strlen (id) : 0;

  for (size_t i = 0; unit_suffixes[i]; i++)
    if (ends_with (leaf, len, unit_suffixes[i]))
      return "ends in a systemd unit's name, a cgroup systemd made for host processes";
  if (id == NULL || (len == il && memcmp (leaf, id, il) == 0)
      || (len > il + 1 && leaf[len - il - 1] == '-' && ends_with (leaf, len, id)))
    return NULL;
  return "does not end in a new cgroup named by the container's id (ID or PREFIX-ID, where "
         "every engine puts a container), so it may be any cgroup, a host service's too";
}

/* systemd's SLICE:PREFIX:NAME (runc's specconv splits at every `:`),
 * which runc makes the unit PREFIX-NAME.scope in SLICE. Read as a
 * cgroupfs path, as a runtime without --systemd-cgroup does, the same
 * text must be one new relative cgroup: no `/`. */
static const char *
systemd_refusal (const char *path, const char *id)
{
  const char *c1 = strchr (path, ':');
  const char *c2 = strchr (c1 + 1, ':');
  const char *name = c2 + 1;
  size_t slice_len = (size_t) (c1 - path);

  if (strchr (path, '/'))
    return "is systemd's SLICE:PREFIX:NAME with a `/`, which a runtime would follow as a path";
  /* An empty slice is the runtime's default (system.slice). Otherwise
   * systemd's rules as runc's ExpandSlice applies them: a name ending in
   * .slice whose `-`-separated parts are not empty, or `-.slice`. */
  if (slice_len > 0)
    {
      size_t base = slice_len - strlen (".slice");
      if (!ends_with (path, slice_len, ".slice") || base == 0)
        return "has a SLICE that is not a systemd slice name";
      if (!(base == 1 && path[0] == '-'))
        for (size_t i = 0; i < base; i++)
          if (path[i] == '-' && (i == 0 || i + 1 == base || path[i + 1] == '-'))
            return "has a SLICE that is not a systemd slice name";
    }
  if (c2 == c1 + 1)
    return "has no PREFIX";
  if (*name == '\0')
    return "has no NAME";
  /* runc makes a NAME ending in .slice the unit itself, instead of a
   * scope of the container's own: an existing slice is joined. */
  if (ends_with (name, strlen (name), ".slice"))
    return "has a NAME ending in .slice, which runc joins as the unit itself (an existing "
           "slice too)";
  if (id && strcmp (name, id) != 0)
    return "has a NAME other than the container's id, so its unit PREFIX-NAME.scope may be any "
           "scope, a host session's too";
  return NULL;
}

/* A cgroupfs path: absolute from the hierarchy's root, or relative to
 * the runtime's own cgroup (runc) or the root (crun). */
static const char *
cgroupfs_refusal (const char *path, const char *id)
{
  const char *c = path[0] == '/' ? path + 1 : path;
  const char *leaf = c;
  size_t n = 0;

  if (*c == '\0')
    return "is the hierarchy's root cgroup, the host's own";
  for (;; c += n + 1)
    {
      n = strcspn (c, "/");
      if (n == 0)
        return "has an empty component (`//` or a trailing `/`)";
      /* Refused however the runtime reads it: runc cleans it as text,
       * crun hands it to the kernel; either way it names another cgroup
       * than its text seems to, anywhere in the hierarchy or beyond. */
      if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
        return "has a `.` or `..` component, which runc cleans away as text and crun leaves to "
               "the kernel, so it may name any cgroup";
      leaf = c;
      if (c[n] == '\0')
        break;
      /* A parent named as a systemd unit other than a slice is a cgroup
       * systemd made for host processes (a service, a session's scope):
       * inside it the container is charged to the unit's limits, and
       * the kernel's OOM killer, run for the unit's memory limit, picks
       * the unit's own processes too. Slices only group; engines put
       * their parents in them. */
      if (!ends_with (c, n, ".slice"))
        for (size_t i = 0; unit_suffixes[i]; i++)
          if (ends_with (c, n, unit_suffixes[i]))
            return "has a parent named as a systemd unit that is not a slice, a cgroup "
                   "systemd made for host processes, whose limits the container would share "
                   "(its OOM killer kills the unit's processes)";
    }
  return leaf_refusal (leaf, n, id);
}

/* Why the container may not have the cgroup PATH, or NULL. */
static const char *
path_refusal (const char *path, const char *id)
{
  const char *colon = strchr (path, ':');
  size_t colons = 0;

  for (const char *p = colon; p; p = strchr (p + 1, ':'))
    colons++;
  if (colons == 2)
    return systemd_refusal (path, id);
  /* crun's systemd driver reads any `:` as SLICE:SCOPE, and no engine
   * writes one into a cgroupfs path. */
  if (colons > 0)
    return "has a `:` but is not systemd's SLICE:PREFIX:NAME";
  return cgroupfs_refusal (path, id);
}

/* Does the cgroup DIRFD (named DIR) hold processes of its own? 1 with
 * *PID its first, 0 when empty or not a cgroup (*ABSENT), -1 on any
 * other error: a parent that cannot be read is not known to be empty. */
static int
holds_processes (int dirfd, const char *dir, long *pid, bool *absent, confine_error_t *err)
{
  cleanup_close int fd = -1;
  char buf[32];
  ssize_t n;

  *absent = false;
  fd = openat (dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
    {
      *absent = true;
      return 0;
    }
  if (fd < 0)
    return confine_make_error (err, errno, "open `%s/cgroup.procs`", dir);
  do
    n = read (fd, buf, sizeof (buf) - 1);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return confine_make_error (err, errno, "read `%s/cgroup.procs`", dir);
  buf[n] = '\0';
  *pid = strtol (buf, NULL, 10);
  return n > 0;
}

/* Is NAME a cgroup an engine made for one container or pod sandbox,
 * ID or PREFIX-ID with a 64-digit hex ID (Docker, containerd's CRI,
 * libpod-ID, crio-ID, crio-conmon-ID), each also as a systemd scope
 * (PREFIX-ID.scope), or Podman's `conmon` group (cgroupfs: every conmon
 * of PARENT sits in PARENT/conmon)? What runs there is the engine's, in
 * the limits its parent was made to share. */
static bool
engine_made (const char *name)
{
  size_t len = strlen (name);
  const char *id;

  if (strcmp (name, "conmon") == 0)
    return true;
  if (ends_with (name, len, ".scope"))
    len -= strlen (".scope");
  id = name + (len > 64 ? len - 64 : 0);
  if (len < 64 || (len > 64 && id[-1] != '-'))
    return false;
  return strspn (id, "0123456789abcdef") >= 64 && id + 64 == name + len;
}

/* The walk below one parent: at most this many cgroups, each at most
 * this deep, or the parent is refused (not known to be empty). */
#define SUBTREE_MAX 4096
#define SUBTREE_DEPTH 32

struct subtree
{
  const char *hierarchy;
  size_t seen;
  char **why;
};

/* Refuse the parent REL[0..N) of the container's cgroup REL if the
 * cgroup DIR (REL[0..AT), at or below that parent) or any cgroup below
 * it holds a process. Cgroups an engine made for other containers are
 * not entered, nor the container's own leaf; the parents on REL always
 * are, whatever their names. 1 when refused, 0, -1 on an error. */
static int
walk_subtree (struct subtree *w, const char *dir, const char *rel, size_t n, size_t at,
              size_t depth, confine_error_t *err)
{
  cleanup_dirents confine_dirents_t l = { .fd = -1 };
  struct dirent64 *e;
  bool absent = false;
  long pid = 0;
  int r;

  if (++w->seen > SUBTREE_MAX || depth > SUBTREE_DEPTH)
    return confine_make_error (err, E2BIG, "more than %d cgroups or %d levels below `%s`",
                               SUBTREE_MAX, SUBTREE_DEPTH, dir);
  /* An absent directory is no parent: nothing below it to share. */
  l.fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (l.fd < 0 && (errno == ENOENT || errno == ENOTDIR))
    return 0;
  if (l.fd < 0)
    r = confine_make_error (err, errno, "open `%s`", dir);
  else
    r = holds_processes (l.fd, dir, &pid, &absent, err);
  if (r < 0)
    return confine_error_wrap (err, "cgroup parent `/%.*s`", (int) n, rel);
  if (r > 0 && at != SIZE_MAX)
    *w->why = confine_xasprintf ("has the parent `/%.*s`, an existing cgroup that holds "
                                 "processes of its own (pid %ld, in `%s`): the container "
                                 "would share its limits (its OOM killer kills them)",
                                 (int) at, rel, pid, w->hierarchy);
  else if (r > 0)
    *w->why = confine_xasprintf ("has the parent `/%.*s`, whose cgroup `%s` holds processes "
                                 "(pid %ld): the container would share the parent's limits "
                                 "with them (its OOM killer kills them)",
                                 (int) n, rel, dir + strlen (w->hierarchy), pid);
  if (r != 0 || absent)
    return r;
  while ((e = confine_dirents_next (&l)) != NULL)
    {
      cleanup_free char *sub = NULL;
      size_t len = strlen (e->d_name);
      /* Where the walk is still on the container's path, the next
       * component: a parent to enter, or the leaf to leave. */
      bool on_path = at != SIZE_MAX && rel[at] == '/' && strncmp (rel + at + 1, e->d_name, len) == 0
                     && (rel[at + 1 + len] == '/' || rel[at + 1 + len] == '\0');
      struct stat st;

      if (e->d_name[0] == '.')
        continue;
      if (e->d_type == DT_UNKNOWN && fstatat (l.fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return confine_make_error (err, errno, "stat `%s/%s`", dir, e->d_name);
      if (e->d_type == DT_UNKNOWN ? !S_ISDIR (st.st_mode) : e->d_type != DT_DIR)
        continue;
      if (on_path ? rel[at + 1 + len] == '\0' : engine_made (e->d_name))
        continue;
      sub = confine_xasprintf ("%s/%s", dir, e->d_name);
      r = walk_subtree (w, sub, rel, n, on_path ? at + 1 + len : SIZE_MAX, depth + 1, err);
      if (r != 0)
        return r;
    }
  if (errno != 0)
    return confine_make_error (err, errno, "read `%s`", dir);
  return 0;
}

static int host_hierarchies (confine_strv_t *out, confine_error_t *err);

/* Refuse the parent REL[0..TOP) of the container's cgroup REL, in each
 * of HIERARCHIES, when its subtree holds a process; see walk_subtree. */
static int
subtree_refusal (char *const *hierarchies, const char *rel, size_t top, char **why,
                 confine_error_t *err)
{
  for (char *const *h = hierarchies; h && *h; h++)
    {
      cleanup_free char *dir = confine_xasprintf ("%s/%.*s", *h, (int) top, rel);
      struct subtree w = { .hierarchy = *h, .why = why };
      int r = walk_subtree (&w, dir, rel, top, top, 0, err);
      if (r != 0)
        return r;
    }
  return 0;
}

int
confine_cgroups_parents_refusal (char *const *hierarchies, const char *self, const char *path,
                                 char **why, confine_error_t *err)
{
  const char *rel = path[0] == '/' ? path + 1 : path;
  size_t top = strcspn (rel, "/");

  *why = NULL;
  /* A relative path is below the runtime's own cgroup (runc's
   * subsysPath, GetOwnCgroupPath), which holds the runtime and the engine
   * that started it (containerd's service): inside it the container
   * shares their limits. Only where the runtime is in every hierarchy's
   * root is it a path from the root like any other. */
  if (path[0] != '/')
    {
      cleanup_free char *copy = confine_xstrdup (self);
      char *save = NULL;
      for (char *line = strtok_r (copy, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
        {
          char *p = strchr (line, ':');
          p = p ? strchr (p + 1, ':') : NULL;
          if (p && strcmp (p + 1, "/") != 0)
            {
              *why = confine_xasprintf ("is relative to the runtime's own cgroup `%s`, which "
                                        "holds the runtime and the engine that started it: the "
                                        "container would share their limits (its OOM killer "
                                        "kills them)",
                                        p + 1);
              return 1;
            }
        }
    }
  /* Limits are hierarchical: a parent's limit is shared by its whole
   * subtree. So the topmost existing parent below the root, in every
   * hierarchy, must hold no process anywhere in it but in other
   * containers' cgroups: engines' parents (/docker,
   * /kubepods/QOS/podUID, /libpod_parent) hold only those; a host
   * service's cgroup holds its own processes, directly (/mysql) or in
   * cgroups below (/svc/worker), whatever the names. The root holds the
   * host's unsorted processes and is no one's limit. */
  if (rel[top] != '/')
    return 0;
  return subtree_refusal (hierarchies, rel, top, why, err);
}

int
confine_cgroups_slice_refusal (char *const *hierarchies, char *const *shared, const char *path,
                               char **why, confine_error_t *err)
{
  const char *c1 = strchr (path, ':');
  const char *c2 = strchr (c1 + 1, ':');
  cleanup_free char *slice = c1 == path ? confine_xstrdup ("system.slice")
                                        : confine_xasprintf ("%.*s", (int) (c1 - path), path);
  size_t base = strlen (slice) - strlen (".slice");
  cleanup_free char *rel = NULL;
  size_t start = 0, n = 0;
  FILE *f;

  *why = NULL;
  /* systemd's own expansion (runc's ExpandSlice): a-b.slice lives in
   * /a.slice/a-b.slice; -.slice is the root. The container's scope is
   * PREFIX-NAME.scope inside. */
  if (strcmp (slice, "-.slice") == 0)
    return 0;
  f = open_memstream (&rel, &n);
  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (size_t i = 0; i <= base; i++)
    if (i == base || slice[i] == '-')
      {
        cleanup_free char *name = confine_xasprintf ("%.*s.slice", (int) i, slice);
        /* The walk starts below the slices the policy shares (the
         * engines' defaults, which hold host services beside every
         * container): at the first that is not. */
        if (start == 0 && !confine_strv_has (shared, name))
          start = (size_t) ftell (f) + strlen (name);
        fprintf (f, "%s%s", name, i == base ? "" : "/");
      }
  fprintf (f, "/%.*s-%s.scope", (int) (c2 - c1 - 1), c1 + 1, c2 + 1);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "expand slice");
  if (start == 0)
    return 0;
  if (hierarchies == NULL)
    {
      cleanup_strv_list confine_strv_t h = { 0 };
      if (host_hierarchies (&h, err) < 0)
        return -1;
      return subtree_refusal (h.v, rel, start, why, err);
    }
  return subtree_refusal (hierarchies, rel, start, why, err);
}

/* The hierarchies runc creates a cgroup in: /sys/fs/cgroup itself when
 * it is cgroup2, else each cgroup or cgroup2 mount right below it (its
 * links, cpu -> cpu,cpuacct, name mounts twice). */
static int
host_hierarchies (confine_strv_t *out, confine_error_t *err)
{
  cleanup_dirents confine_dirents_t l = { .fd = -1 };
  struct statfs sf;
  struct dirent64 *e;

  if (statfs (CGROUP_ROOT, &sf) < 0)
    return errno == ENOENT ? 0 : confine_make_error (err, errno, "statfs `%s`", CGROUP_ROOT);
  if (sf.f_type == CGROUP2_SUPER_MAGIC)
    return confine_strv_add (out, confine_xstrdup (CGROUP_ROOT), SIZE_MAX - 1, err);
  l.fd = open (CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (l.fd < 0)
    return confine_make_error (err, errno, "open `%s`", CGROUP_ROOT);
  while ((e = confine_dirents_next (&l)) != NULL)
    {
      cleanup_free char *dir = NULL;
      struct stat st;
      if (e->d_name[0] == '.')
        continue;
      dir = confine_xasprintf ("%s/%s", CGROUP_ROOT, e->d_name);
      /* The entry's type as the directory gives it (no stat per entry:
       * a link, cpu -> cpu,cpuacct, is skipped as before). */
      if (e->d_type == DT_UNKNOWN && lstat (dir, &st) < 0)
        return confine_make_error (err, errno, "stat `%s`", dir);
      if (e->d_type == DT_UNKNOWN ? !S_ISDIR (st.st_mode) : e->d_type != DT_DIR)
        continue;
      if (statfs (dir, &sf) < 0)
        return confine_make_error (err, errno, "statfs `%s`", dir);
      if ((sf.f_type == CGROUP_SUPER_MAGIC || sf.f_type == CGROUP2_SUPER_MAGIC)
          && confine_strv_add (out, steal_pointer (&dir), SIZE_MAX - 1, err) < 0)
        return -1;
    }
  if (errno != 0)
    return confine_make_error (err, errno, "read `%s`", CGROUP_ROOT);
  return 0;
}

/* The parents of PATH on this host, a cgroupfs path or systemd's
 * SLICE:PREFIX:NAME; see confine_cgroups_parents_refusal and
 * confine_cgroups_slice_refusal. */
static int
host_parents_refusal (const char *path, char *const *shared, char **why, confine_error_t *err)
{
  cleanup_strv_list confine_strv_t h = { 0 };
  cleanup_free char *self = NULL;
  size_t len = 0;

  /* A slice shared by the policy (the engines' defaults) walks nothing:
   * the hierarchies are read only when a slice must be walked. */
  if (strchr (path, ':'))
    return confine_cgroups_slice_refusal (NULL, shared, path, why, err);
  if (host_hierarchies (&h, err) < 0)
    return -1;
  /* The runtime's own cgroup matters to a relative path alone. */
  if (path[0] != '/'
      && confine_read_file ("/proc/self/cgroup", SELF_CGROUP_MAX, &self, &len, err) < 0)
    return -1;
  return confine_cgroups_parents_refusal (h.v, self, path, why, err);
}

/* Describe on F each of the N UNIFIED files that needs the policy's
 * consent; returns how many. */
static int
judge_unified (const confine_policy_t *policy, const confine_annotation_t *unified, size_t n,
               const char *what, FILE *f)
{
  int failures = 0;

  for (size_t i = 0; i < n; i++)
    {
      const char *why = unified_refusal (unified[i].key, policy->cgroups_allowed_unified);
      if (why == NULL)
        continue;
      failures++;
      fprintf (f, "%s writes `%s`, which %s; ", what, unified[i].key, why);
    }
  return failures;
}

int
confine_cgroups_judge_update (const confine_context_t *ctx, const confine_annotation_t *unified,
                              size_t n, confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *facts = NULL;
  size_t len = 0;
  int failures;
  FILE *f = open_memstream (&facts, &len);

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  failures = judge_unified (ctx->policy, unified, n, "runc update --resources", f);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe cgroups result");
  if (failures > 0)
    {
      facts[len - 2] = '\0'; /* the last "; " */
      confine_result_set (r, CONFINE_RESULT_FAIL, "cgroups.allowed_unified", "%s", facts);
    }
  else
    confine_result_set (r, CONFINE_RESULT_PASS, NULL, "%zu unified cgroup files, each a limit", n);
  return 0;
}

int
confine_rule_cgroups (const confine_context_t *ctx, const confine_subject_t *s,
                      confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  const char *key = NULL;
  const char *why;
  cleanup_free char *parents = NULL;
  cleanup_free char *facts = NULL;
  size_t len = 0;
  int failures = 0;
  FILE *f = open_memstream (&facts, &len);

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  if ((failures = judge_unified (ctx->policy, spec->unified, spec->n_unified,
                                 "linux.resources.unified", f))
      > 0)
    key = "cgroups.allowed_unified";
  if (spec->cgroups_path && (why = path_refusal (spec->cgroups_path, ctx->id)) != NULL)
    {
      if (failures++ == 0)
        key = "rules.cgroups";
      fprintf (f, "linux.cgroupsPath `%s` %s; ", spec->cgroups_path, why);
    }
  else if (spec->cgroups_path)
    {
      int ret = host_parents_refusal (spec->cgroups_path, ctx->policy->cgroups_shared_slices,
                                      &parents, err);
      if (ret < 0)
        {
          fclose (f);
          confine_result_from_error (r, "rules.cgroups", "cannot read the cgroup's parents", err);
          return 0;
        }
      if (ret > 0)
        {
          if (failures++ == 0)
            key = strchr (spec->cgroups_path, ':') ? "cgroups.shared_slices" : "rules.cgroups";
          fprintf (f, "linux.cgroupsPath `%s` %s; ", spec->cgroups_path, parents);
        }
    }
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe cgroups result");
  if (failures > 0)
    {
      facts[len - 2] = '\0'; /* the last "; " */
      confine_result_set (r, CONFINE_RESULT_FAIL, key, "%s", facts);
    }
  else if (spec->cgroups_path == NULL)
    confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                        "%zu unified cgroup files, each a limit; no linux.cgroupsPath (the "
                        "runtime's default, a new cgroup named by the id)",
                        spec->n_unified);
  else
    confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                        "%zu unified cgroup files, each a limit; linux.cgroupsPath `%s` is a new "
                        "cgroup of the container's own%s",
                        spec->n_unified, spec->cgroups_path,
                        ctx->id ? "" : " (by its shape: no container id to tie it to)");
  return 0;
}
