/* SPDX-License-Identifier: Apache-2.0 */
/* What the kernel mounted: /proc/PID/mountinfo of a container's init,
 * each mount's source mapped back to host paths through the host's own
 * mountinfo, and judged as a bind source would be. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "mounts.h"
#include "../base/file.h"
#include "../base/utils.h"

#define MOUNTINFO_MAX_ENTRIES 1000000

typedef struct
{
  unsigned long long id;
  unsigned major, minor;
  char *root;   /* within the filesystem, unescaped */
  char *point;  /* mount point, unescaped */
  bool readonly;
  char *fstype;
  char *source; /* as the mounter named it, unescaped */
  char *super; /* the filesystem's own options (a cgroup v1 hierarchy's controllers) */
} mount_entry_t;

typedef struct
{
  char *text; /* the file; entries point into it */
  mount_entry_t *e;
  size_t n;
} mountinfo_t;

static void
mountinfo_clear (mountinfo_t *mi)
{
  free (mi->text);
  free (mi->e);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
unescape (char *s)
{
  char *w = s;
  for (char *p = s; *p; p++)
    if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' && p[3] >= '0'
        && p[3] <= '7')
      {
        *w++ = (char) (((p[1] - '0') << 6) | ((p[2] - '0') << 3) | (p[3] - '0'));
        p += 3;
      }
    else
      *w++ = *p;
  *w = '\0';
}

static bool
has_option (const char *opts, const char *opt)
{
  size_t n = strlen (opt);
  for (const char *p = opts; p; p = strchr (p, ','))
    {
      if (*p == ',')
        p++;
      if (strncmp (p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0'))
        return true;
    }
  return false;
}

/* One line: ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE
 * SOURCE SUPER. Anything else is an error: a line we cannot read is a
 * mount we cannot judge. */
static int
parse_line (char *line, mount_entry_t *m, const char *what, confine_error_t *err)
{
  char *field[6], *save = NULL, *tok;
  size_t n = 0;

  while (n < 6 && (tok = strtok_r (n ? NULL : line, " ", &save)))
    field[n++] = tok;
  if (n < 6 || sscanf (field[0], "%llu", &m->id) != 1
      || sscanf (field[2], "%u:%u", &m->major, &m->minor) != 2)
    return confine_make_error (err, 0, "cannot read a line of %s", what);
  while ((tok = strtok_r (NULL, " ", &save)) && strcmp (tok, "-") != 0)
    ;
  if (tok == NULL || (tok = strtok_r (NULL, " ", &save)) == NULL)
    return confine_make_error (err, 0, "cannot read a line of %s", what);
  m->root = field[3];
  m->point = field[4];
  m->readonly = has_option (field[5], "ro");
  m->fstype = tok;
  /* SOURCE, then the superblock's options, left escaped: an overlay's
   * layer names are split on the separators the kernel did not escape. */
  if ((m->source = strtok_r (NULL, " ", &save)) == NULL
      || (m->super = strtok_r (NULL, " ", &save)) == NULL)
    m->super = (char *) "";
  if (m->source == NULL)
    m->source = (char *) "";
  unescape (m->source);
  unescape (m->root);
  unescape (m->point);
  unescape (m->fstype);
  return 0;
}

static int
mountinfo_read (const char *path, mountinfo_t *mi, confine_error_t *err)
{
  size_t len = 0, cap = 0;
  char *save = NULL;

  *mi = (mountinfo_t){ 0 };
  if (confine_read_file (path, CONFINE_MOUNTINFO_MAX_BYTES, &mi->text, &len, err) < 0)
    return -1;
  for (char *line = strtok_r (mi->text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *copy = line;
      if (confine_append (&mi->e, &mi->n, &cap, sizeof (*mi->e), MOUNTINFO_MAX_ENTRIES, err) < 0
          || parse_line (copy, &mi->e[mi->n - 1], path, err) < 0)
        return -1;
    }
  return 0;
}

bool
confine_mounts_must_be_readonly (const confine_policy_t *policy, const char *type)
{
  bool cgroup = strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0;
  if (!cgroup && strcmp (type, "sysfs") != 0)
    return false;
  /* runc mounts whichever hierarchy the host has for either name. */
  if (cgroup)
    return !confine_strv_has (policy->mounts_writable_pseudo, "cgroup")
           && !confine_strv_has (policy->mounts_writable_pseudo, "cgroup2");
  return !confine_strv_has (policy->mounts_writable_pseudo, type);
}

/* The init PID is in our namespace of kind NS. */
static int
same_ns (long pid, const char *ns, bool *same, confine_error_t *err)
{
  char path[64];
  snprintf (path, sizeof (path), "/proc/%ld/ns/%s", pid, ns);
  return confine_ns_is_hosts (path, ns, same, err);
}

/* ID (as this process sees it) has a mapping in the init PID's
 * /proc/PID/FILE (uid_map, gid_map: `inside outside count` per line,
 * outside as the reader sees it). */
static int
id_mapped (long pid, const char *file, unsigned long id, bool *mapped, confine_error_t *err)
{
  cleanup_free char *map = NULL;
  char path[64];
  size_t len = 0;

  *mapped = false;
  snprintf (path, sizeof (path), "/proc/%ld/%s", pid, file);
  if (confine_read_file (path, 65536, &map, &len, err) < 0)
    return -1;
  for (char *line = map; line && *line;)
    {
      char *next = strchr (line, '\n');
      unsigned long inside, outside, count;
      if (next)
        *next++ = '\0';
      if (sscanf (line, "%lu %lu %lu", &inside, &outside, &count) != 3)
        return confine_make_error (err, 0, "cannot read `%s`", path);
      if (id >= outside && id - outside < count)
        *mapped = true;
      line = next;
    }
  return 0;
}

int
confine_mounts_device_bind (long pid, bool userns, const char *path, bool readonly,
                            const char *what, confine_rule_result_t *r, confine_error_t *err)
{
  struct stat st;
  bool same = true, uid = true, gid = true;

  if (readonly)
    return 0;
  if (lstat (path, &st) < 0)
    {
      /* A bind source that is gone is runc's to refuse. */
      if (errno == ENOENT)
        return 0;
      return confine_make_error (err, errno, "stat `%s`", path);
    }
  if (!S_ISCHR (st.st_mode) && !S_ISBLK (st.st_mode))
    return 0;
  if (pid > 0)
    {
      if (same_ns (pid, "user", &same, err) < 0
          || (!same && (id_mapped (pid, "uid_map", st.st_uid, &uid, err) < 0
                        || id_mapped (pid, "gid_map", st.st_gid, &gid, err) < 0)))
        return -1;
      if (!same && !uid && !gid)
        return 0;
    }
  else if (userns)
    return 0;
  confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts",
                      "%s is writable and is the host's device node `%s` (%c %u:%u), whose "
                      "mode and owner the container's root would change for every host "
                      "process; bind it read-only, or ask for the device (`--device`, "
                      "linux.devices)%s",
                      what, path, S_ISCHR (st.st_mode) ? 'c' : 'b', major (st.st_rdev),
                      minor (st.st_rdev),
                      same ? "" : " (the container's user namespace maps its owner or group)");
  return 0;
}

/* A kernel filesystem whose one instance belongs to a namespace: a
 * container that shares that namespace with the host (which the
 * namespaces rule judges) mounts the host's own instance, at its root. */
static int
shared_instance (long pid, const mount_entry_t *m, bool *shared, confine_error_t *err)
{
  static const char *const map[][2]
      = { { "proc", "pid" }, { "sysfs", "net" }, { "mqueue", "ipc" } };
  *shared = false;
  if (strcmp (m->root, "/") != 0)
    return 0;
  for (size_t i = 0; i < sizeof (map) / sizeof (map[0]); i++)
    if (strcmp (m->fstype, map[i][0]) == 0)
      return same_ns (pid, map[i][1], shared, err);
  return 0;
}

/* Filesystems that are views of kernel state rather than storage: an
 * instance of one the host has not mounted is still no private
 * directory. The container's own proc reached through a bind of
 * <rootfs>/proc (a plain directory of the image when the spec is judged,
 * the container's proc once runc has mounted it) is a second /proc
 * without maskedPaths and readonlyPaths: the host's global sysctls. */
static const char *const kernel_fs[]
    = { "proc",     "sysfs",   "cgroup",    "cgroup2",  "mqueue",      "devpts",
        "securityfs", "debugfs", "tracefs",  "bpf",     "configfs",    "pstore",
        "efivarfs", "binfmt_misc", "fusectl", "selinuxfs", "nsfs",      "autofs",
        "rpc_pipefs", "nfsd",  NULL };

static bool
is_cgroup (const char *type)
{
  return type && (strcmp (type, "cgroup") == 0 || strcmp (type, "cgroup2") == 0);
}

/* CGROUPS (the init's /proc/PID/cgroup) names ROOT as the init's own
 * cgroup in the hierarchy of a mount of FSTYPE whose superblock options
 * are SUPER: cgroup2's `0::PATH`, or the v1 line whose controllers the
 * mount has. */
static bool
own_cgroup (const char *cgroups, const char *fstype, const char *super, const char *root)
{
  bool v2 = strcmp (fstype, "cgroup2") == 0;
  for (const char *line = cgroups; line && *line; line = strchr (line, '\n') ? strchr (line, '\n') + 1 : NULL)
    {
      const char *c = strchr (line, ':'), *p = c ? strchr (c + 1, ':') : NULL;
      const char *end = strchr (line, '\n');
      size_t n = end ? (size_t) (end - line) : strlen (line);
      bool match = true;
      if (p == NULL || p >= line + n)
        continue;
      if (v2)
        match = p == c + 1;
      else if (p == c + 1)
        match = false;
      else
        for (const char *w = c + 1; w < p && match;)
          {
            const char *e = memchr (w, ',', (size_t) (p - w));
            cleanup_free char *word = strndup (w, (size_t) ((e ? e : p) - w));
            match = word && has_option (super, word);
            w = e ? e + 1 : p;
          }
      if (match && strlen (root) == n - (size_t) (p + 1 - line)
          && strncmp (root, p + 1, strlen (root)) == 0)
        return true;
    }
  return false;
}

const char *
confine_mounts_kernel_fs_misplaced (const confine_spec_t *spec, const char *fstype,
                                    const char *root, const char *super, const char *where,
                                    const char *cgroups, bool host_cgroupns)
{
  bool cgroup = is_cgroup (fstype), placed = false, at_destination = false;

  if (!confine_strv_has ((char *const *) kernel_fs, fstype))
    return NULL;
  /* runc binds the console's pty from the container's own devpts. */
  if (strcmp (fstype, "devpts") == 0 && strcmp (where, "/dev/console") == 0 && root[0] == '/'
      && root[1] && strchr (root + 1, '/') == NULL)
    return NULL;
  for (size_t i = 0; spec && i < spec->n_mounts && !placed; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      cleanup_free char *at = NULL;
      size_t n;
      if (m->type == NULL || m->destination == NULL
          || !(strcmp (m->type, fstype) == 0 || (cgroup && is_cgroup (m->type))))
        continue;
      /* The destination as runc cleans it, then the mount's root under
       * it: the instance itself (root `/`), or runc's bind of a path of
       * it onto itself (readonlyPaths: root /sys at /proc/sys). */
      if (asprintf (&at, "%s%s", m->destination, strcmp (root, "/") == 0 ? "" : root) < 0)
        return "cannot join its path";
      n = strlen (m->destination);
      while (n > 1 && at[n - 1] == '/')
        memmove (at + n - 1, at + n, strlen (at + n) + 1), n--;
      if (n == 1 && at[1])
        memmove (at, at + 1, strlen (at));
      /* runc's cgroup v1 hierarchies go below the cgroup mount's
       * destination, each its controllers' directory, and their root is
       * the container's cgroup, judged below. */
      if (cgroup)
        {
          at[n] = '\0';
          placed = confine_path_within (where, at);
          at_destination = placed && strcmp (where, at) == 0;
        }
      else
        placed = strcmp (at, where) == 0;
    }
  if (!placed)
    return "runc mounts it nowhere else than where the spec asks its type";
  /* runc mounts the whole cgroup2 hierarchy of a container in our
   * cgroup namespace at the destination itself, nowhere below it. */
  if (cgroup && !own_cgroup (cgroups, fstype, super, root)
      && !(host_cgroupns && strcmp (fstype, "cgroup2") == 0 && strcmp (root, "/") == 0
           && at_destination))
    return "it is not the container's own cgroup";
  return NULL;
}

int
confine_init_pivoted (long pid, bool *pivoted, confine_error_t *err)
{
  char path[64];
  struct stat theirs, ours;

  snprintf (path, sizeof (path), "/proc/%ld/root/", pid);
  if (stat (path, &theirs) < 0)
    return confine_make_error (err, errno, "stat `%s`", path);
  if (stat ("/", &ours) < 0)
    return confine_make_error (err, errno, "stat `/`");
  *pivoted = theirs.st_dev != ours.st_dev || theirs.st_ino != ours.st_ino;
  return 0;
}

/* Where the container's mounts are in the init's view: under its root
 * filesystem before pivot_root (the init's root is still the host's),
 * everything after. */
static int
container_prefix (const confine_context_t *ctx, const confine_spec_t *spec, long pid,
                  char **out, confine_error_t *err)
{
  bool pivoted = false;

  if (confine_init_pivoted (pid, &pivoted, err) < 0)
    return -1;
  if (pivoted)
    {
      *out = confine_xstrdup ("/");
      return 0;
    }
  if (spec == NULL || spec->root_path == NULL)
    return confine_make_error (err, 0, "the container's init (pid %ld) has not entered its root "
                               "filesystem, and the spec names none", pid);
  /* runc refuses a root.path with a symlink in it, so its clean path is
   * the mount point the kernel shows. */
  return confine_hostpath_resolve (ctx->bundle, spec->root_path, out, err);
}

/* The mount point relative to the container's root, or NULL when the
 * mount is not the container's. */
static const char *
relative (const char *point, const char *prefix)
{
  size_t n = strlen (prefix);
  if (strcmp (prefix, "/") == 0)
    return point;
  if (!confine_path_within (point, prefix))
    return NULL;
  return point[n] ? point + n : "/";
}

/* How deep overlays may stand on filesystems that need their own
 * judgement (an overlay whose layer is another engine-made mount). */
#define MAX_CONTENT_DEPTH 8

/* The host mount whose filesystem PATH (resolved) is on now: the
 * longest mount point holding it, the later of two at the same point
 * (it is on top). */
static const mount_entry_t *
covering (const mountinfo_t *host, const char *path)
{
  const mount_entry_t *best = NULL;
  for (size_t h = 0; h < host->n; h++)
    if (confine_path_within (path, host->e[h].point)
        && (best == NULL || strlen (host->e[h].point) >= strlen (best->point)))
      best = &host->e[h];
  return best;
}

/* PATH, on the mount C that covers it, as its filesystem names it: what
 * every namespace's mountinfo shows as a mount's root. */
static char *
in_filesystem (const mount_entry_t *c, const char *path)
{
  const char *rel = relative (path, c->point);

  if (strcmp (c->root, "/") == 0)
    return confine_xstrdup (rel);
  return strcmp (rel, "/") == 0 ? confine_xstrdup (c->root)
                                : confine_xasprintf ("%s%s", c->root, rel);
}

int
confine_mounts_held_anywhere (const char *path, char **who, confine_error_t *err)
{
  cleanup_dirents confine_dirents_t d = { .fd = -1 };
  cleanup_free ino_t *seen = NULL;
  cleanup_free char *within = NULL;
  mountinfo_t self = { 0 };
  const mount_entry_t *c = NULL;
  size_t n_seen = 0, cap = 0;
  unsigned major = 0, minor = 0;
  struct dirent64 *e;
  struct stat st;
  int ret = -1;

  *who = NULL;
  if (stat (path, &st) < 0)
    return errno == ENOENT ? 0 : confine_make_error (err, errno, "stat `%s`", path);
  /* PATH as its filesystem names it, which is what every namespace's
   * mountinfo shows as a mount's root. */
  if (mountinfo_read ("/proc/self/mountinfo", &self, err) < 0)
    goto out;
  if ((c = covering (&self, path)) == NULL || makedev (c->major, c->minor) != st.st_dev)
    {
      confine_make_error (err, 0, "cannot find the filesystem `%s` is on in our mountinfo", path);
      goto out;
    }
  major = c->major;
  minor = c->minor;
  within = in_filesystem (c, path);
  mountinfo_clear (&self);
  self = (mountinfo_t){ 0 };
  d.fd = open ("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd < 0)
    {
      confine_make_error (err, errno, "open /proc");
      goto out;
    }
  /* One process of each mount namespace. */
  while ((errno = 0, e = confine_dirents_next (&d)))
    {
      char ns[300], file[300]; /* /proc/, a name of up to 255 bytes, /mountinfo */
      mountinfo_t mi = { 0 };
      bool known = false;

      if (strspn (e->d_name, "0123456789") != strlen (e->d_name))
        continue;
      snprintf (ns, sizeof (ns), "/proc/%s/ns/mnt", e->d_name);
      if (stat (ns, &st) < 0)
        continue; /* gone, or a kernel thread's */
      for (size_t i = 0; i < n_seen && !known; i++)
        known = seen[i] == st.st_ino;
      if (known)
        continue;
      if (confine_append (&seen, &n_seen, &cap, sizeof (*seen), MOUNTINFO_MAX_ENTRIES, err) < 0)
        goto out;
      seen[n_seen - 1] = st.st_ino;
      snprintf (file, sizeof (file), "/proc/%s/mountinfo", e->d_name);
      if (mountinfo_read (file, &mi, err) < 0)
        {
          mountinfo_clear (&mi);
          snprintf (file, sizeof (file), "/proc/%s", e->d_name);
          if (stat (file, &st) == 0) /* still there: a namespace we cannot read */
            goto out;
          confine_error_release (err);
          n_seen--; /* another process may show the namespace */
          continue;
        }
      for (size_t i = 0; i < mi.n && *who == NULL; i++)
        if (mi.e[i].major == major && mi.e[i].minor == minor
            && confine_path_within (mi.e[i].root, within))
          *who = confine_xasprintf ("process %s has it mounted at %s", e->d_name, mi.e[i].point);
      mountinfo_clear (&mi);
      if (*who)
        break;
    }
  if (*who == NULL && errno != 0)
    {
      confine_make_error (err, errno, "read /proc");
      goto out;
    }
  ret = 0;
out:
  mountinfo_clear (&self);
  return ret;
}

/* Is there a mount outside BARRIER of device DEV whose root overlaps
 * ROOT (one holds the other), or, with STRICT, whose root lies strictly
 * below ROOT: a way to ROOT's files that does not pass BARRIER? */
static bool
reached_elsewhere (const mountinfo_t *host, const char *barrier, unsigned major, unsigned minor,
                   const char *root, bool strict)
{
  for (size_t h = 0; h < host->n; h++)
    {
      const mount_entry_t *e = &host->e[h];
      if (e->major != major || e->minor != minor || confine_path_within (e->point, barrier))
        continue;
      if (strict ? confine_path_within (e->root, root) && strcmp (e->root, root) != 0
                 : confine_path_within (e->root, root) || confine_path_within (root, e->root))
        return true;
    }
  return false;
}

int
confine_mounts_bypass (const char *barrier, const char *source, bool *bypass,
                       confine_error_t *err)
{
  __attribute__ ((cleanup (mountinfo_clear))) mountinfo_t host = { 0 };
  const mount_entry_t *c;
  cleanup_free char *in_fs = NULL;

  *bypass = true;
  if (mountinfo_read ("/proc/self/mountinfo", &host, err) < 0)
    return -1;
  if ((c = covering (&host, barrier)) == NULL)
    return 0;
  /* BARRIER's own directory is reached by every mount of its filesystem
   * whose root holds it, and only through its mode: a mount elsewhere of
   * a directory strictly below it skips it. */
  in_fs = in_filesystem (c, barrier);
  if (reached_elsewhere (&host, barrier, c->major, c->minor, in_fs, true))
    return 0;
  /* A mount below BARRIER on the way to SOURCE, or below SOURCE (a
   * volume whose data directory is a bind of another host directory),
   * shows files that another mount of its filesystem may show outside
   * BARRIER. */
  for (size_t h = 0; h < host.n; h++)
    {
      const mount_entry_t *e = &host.e[h];
      if (!confine_path_within (e->point, barrier) || strcmp (e->point, barrier) == 0
          || !(confine_path_within (source, e->point) || confine_path_within (e->point, source)))
        continue;
      if (reached_elsewhere (&host, barrier, e->major, e->minor, e->root, false))
        return 0;
    }
  *bypass = false;
  return 0;
}

static int judge_content (confine_hostpaths_t *hp, const mountinfo_t *host,
                          const mount_entry_t *m, const char *where, unsigned depth,
                          confine_rule_result_t *r, confine_error_t *err);

/* One layer of the overlay mounted at WHERE: ESCAPED as the kernel
 * printed it. Older kernels print the name as the mounter wrote it,
 * with its own backslash escapes (`\:` for a colon in a name), newer
 * ones escape the colon in octal, so after the octal escapes any
 * backslash left is read two ways: refused, as is a relative name
 * (relative to the mounter's working directory, which is gone). The
 * layer is judged as a bind source of the same access, and so is the
 * filesystem it lies on. */
static int
judge_layer (confine_hostpaths_t *hp, const mountinfo_t *host, const char *escaped,
             const char *kind, bool readonly, const char *where, unsigned depth,
             confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *name = confine_xstrdup (escaped);
  cleanup_free char *path = NULL;
  confine_hostpath_verdict_t v;
  const mount_entry_t *on;
  int ret;

  unescape (name);
  if (name[0] != '/' || strchr (name, '\\'))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the kernel mounted an overlay at `%s` whose %s `%s` cannot be read "
                          "as one host path (relative, or a backslash kernels print two ways)",
                          where, kind, name);
      return 0;
    }
  if (confine_hostpaths_resolve (hp, NULL, name, &path, err) < 0)
    return -1;
  ret = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_SHOWN, readonly, &v, err);
  if (ret < 0)
    return -1;
  if (ret > 0)
    {
      cleanup_free char *socket = v.socket;
      if (socket)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, v.key,
                              "the kernel mounted an overlay at `%s` whose %s is the host's "
                              "`%s`, which holds %s",
                              where, kind, path, socket);
          return 0;
        }
      confine_result_set (r, CONFINE_RESULT_FAIL, v.key,
                          "the kernel mounted an overlay at `%s` whose %s is the host's `%s`, "
                          "which %s the host's `%s`",
                          where, kind, path, v.relation, v.entry);
      return 0;
    }
  on = covering (host, path);
  if (on == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the kernel mounted an overlay at `%s` whose %s `%s` is on no mount "
                          "of the host",
                          where, kind, path);
      return 0;
    }
  return judge_content (hp, host, on, where, depth + 1, r, err);
}

/* An overlay's content is its layers, named in its superblock's options
 * (SUPER, still escaped; a comma in a name is escaped): `lowerdir=`
 * (read, `:` between layers, `::` before data-only ones), `upperdir=`
 * and `workdir=` (written unless the mount is read-only). */
static int
judge_overlay (confine_hostpaths_t *hp, const mountinfo_t *host, const mount_entry_t *m,
               const char *where, unsigned depth, confine_rule_result_t *r,
               confine_error_t *err)
{
  cleanup_free char *opts = confine_xstrdup (m->super);
  char *save = NULL;
  bool lower = false;

  for (char *opt = strtok_r (opts, ",", &save); opt; opt = strtok_r (NULL, ",", &save))
    {
      char *value = strchr (opt, '=');
      char *lsave = NULL;
      if (value == NULL)
        continue;
      *value++ = '\0';
      if (strcmp (opt, "upperdir") == 0 || strcmp (opt, "workdir") == 0)
        {
          if (judge_layer (hp, host, value, opt, m->readonly, where, depth, r, err) < 0)
            return -1;
        }
      else if (strcmp (opt, "lowerdir") == 0)
        for (char *layer = strtok_r (value, ":", &lsave); layer && r->kind != CONFINE_RESULT_FAIL;
             layer = strtok_r (NULL, ":", &lsave))
          {
            lower = true;
            if (judge_layer (hp, host, layer, "lower layer", true, where, depth, r, err) < 0)
              return -1;
          }
      if (r->kind == CONFINE_RESULT_FAIL)
        return 0;
    }
  if (!lower)
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                        "the kernel mounted an overlay at `%s` whose layers its options do not "
                        "name",
                        where);
  return 0;
}

int
confine_mounts_volume_device_allowed (const confine_policy_t *policy, const char *source,
                                      bool *allowed, confine_error_t *err)
{
  *allowed = false;
  for (char **d = policy->mounts_allowed_volume_devices; *d && !*allowed; d++)
    {
      cleanup_free char *resolved = NULL;
      if (fnmatch (*d, source, 0) == 0)
        *allowed = true;
      /* /dev/disk/by-uuid/... names the /dev/sdb1 the kernel shows. */
      else if (strpbrk (*d, "*?[") == NULL)
        {
          if (confine_hostpath_resolve (NULL, *d, &resolved, err) < 0)
            return confine_error_wrap (err, "`mounts.allowed_volume_devices`");
          *allowed = strcmp (resolved, source) == 0;
        }
    }
  return 0;
}

/* A mount is judged by where the host shows its filesystem (the paths
 * judge_entry maps it to); this judges what the filesystem holds when
 * that is not the whole story: a filesystem an engine mounted for a
 * volume (Docker's local driver mounts any `type=` with any `device=`
 * and `o=` at `.../_data`) is shown by the host only inside the
 * engines' trees, an allowed subtree. A disk, a share, devtmpfs,
 * hugetlbfs, an overlay that the host shows nowhere else is refused
 * unless mounts.allowed_volume_devices lists its source: a docker-group
 * user would otherwise mount the host's unmounted /boot, or any disk, or
 * an overlay of any host directory; a listed overlay's layers are each
 * judged as a bind source. A
 * tmpfs is memory the mount made, the container's own. Kernel
 * filesystems are judged by where runc puts them (depth 0), and are
 * never an overlay's layer. */
static int
judge_content (confine_hostpaths_t *hp, const mountinfo_t *host, const mount_entry_t *m,
               const char *where, unsigned depth, confine_rule_result_t *r, confine_error_t *err)
{
  bool reached = false, outside = false, allowed = false;

  if (depth > MAX_CONTENT_DEPTH)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the kernel mounted an overlay at `%s` whose layers stand on overlays "
                          "more than %d deep",
                          where, MAX_CONTENT_DEPTH);
      return 0;
    }
  if (confine_strv_has ((char *const *) kernel_fs, m->fstype))
    {
      if (depth > 0)
        confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                            "the kernel mounted an overlay at `%s` with a layer on %s",
                            where, m->fstype);
      return 0;
    }
  if (strcmp (m->fstype, "tmpfs") == 0)
    return 0;
  for (size_t h = 0; h < host->n && !outside; h++)
    {
      const mount_entry_t *hm = &host->e[h];
      if (hm->major != m->major || hm->minor != m->minor || !confine_path_within (m->root, hm->root))
        continue;
      reached = true;
      outside = !confine_hostpaths_allowed (hp, hm->point);
    }
  /* Shown by the host outside the engines' trees (an overlay or a disk
   * the host itself runs on): judge_entry has judged those paths. */
  if (outside)
    return 0;
  if (confine_mounts_volume_device_allowed (hp->policy, m->source, &allowed, err) < 0)
    return -1;
  /* An overlay an engine mounted for a volume is known by its layers'
   * names, as the mounter passed them and the kernel resolved them once,
   * at mount time: a name through a link or a directory in a volume a
   * container writes (or a volume since unmounted) now leads elsewhere
   * than the layer the kernel holds. So it is refused like a disk unless
   * the operator lists its source, and then judged by those names. */
  if (allowed && strcmp (m->fstype, "overlay") == 0)
    return judge_overlay (hp, host, m, where, depth, r, err);
  if (!allowed)
    confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.allowed_volume_devices",
                        "the kernel mounted %s `%s`%s at `%s`, which the host shows %s: a "
                        "filesystem an engine mounted for a volume%s",
                        m->fstype, m->source, depth ? " under an overlay's layer" : "", where,
                        reached ? "only inside the engines' trees (mounts.allowed_subtrees)"
                                : "nowhere",
                        strcmp (m->fstype, "overlay") == 0
                            ? ", whose layers are known only by names a container can re-point"
                            : "");
  return 0;
}

/* How many mounts of FSTYPE's kind runc makes at WHERE for SPEC: one per
 * spec entry of that type there (cgroup: at its destination, or a v1
 * hierarchy's directory right below it), one per readonlyPaths entry
 * there (its bind of the path onto itself), the console's pty. */
static size_t
runc_makes_at (const confine_spec_t *spec, const char *fstype, const char *where)
{
  bool cgroup = is_cgroup (fstype);
  size_t n = strcmp (fstype, "devpts") == 0 && strcmp (where, "/dev/console") == 0;
  const char *slash = strrchr (where, '/');
  cleanup_free char *parent = slash && slash != where ? strndup (where, (size_t) (slash - where))
                                                      : confine_xstrdup ("/");

  for (size_t i = 0; spec && i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      if (m->type == NULL || !(strcmp (m->type, fstype) == 0 || (cgroup && is_cgroup (m->type))))
        continue;
      n += confine_mount_is_at (m, where) || (cgroup && parent && confine_mount_is_at (m, parent));
    }
  for (char **p = spec ? spec->readonly_paths : NULL; p && *p; p++)
    {
      confine_mount_t self = { .destination = *p };
      n += confine_mount_is_at (&self, where);
    }
  return n;
}

/* Why the kernel filesystem mounts at entry I's place outnumber the ones
 * runc makes there, or NULL. A bind whose destination an image symlink
 * turns into runc's place (/myproc -> /proc) passes every other test
 * there: right type, right place, and a device the host shows only at
 * a volume path; but it is another instance (a proc of the host's pid
 * namespace, the host IPC namespace's mqueue) stacked over runc's own.
 * Each kernel filesystem mount must be one runc made for the spec. */
static const char *
stacked (const mountinfo_t *mi, const char *prefix, size_t i, const char *where,
         const confine_spec_t *spec)
{
  const mount_entry_t *m = &mi->e[i];
  size_t live = 0;

  if (!confine_strv_has ((char *const *) kernel_fs, m->fstype))
    return NULL;
  for (size_t j = 0; j < mi->n; j++)
    {
      const char *there = relative (mi->e[j].point, prefix);
      if (there && strcmp (there, where) == 0
          && (strcmp (mi->e[j].fstype, m->fstype) == 0
              || (is_cgroup (m->fstype) && is_cgroup (mi->e[j].fstype))))
        live++;
    }
  return live > runc_makes_at (spec, m->fstype, where)
             ? "more instances are mounted there than runc makes for the spec"
             : NULL;
}

static int
judge_entry (confine_hostpaths_t *hp, const mountinfo_t *host, long pid, const mount_entry_t *m,
             const char *where, const confine_spec_t *spec, bool pivoted, const char *cgroups,
             bool host_cgroupns, confine_rule_result_t *r, confine_error_t *err)
{
  bool is_root = strcmp (where, "/") == 0, shared = false, reached = false, private = true;
  const char *what = is_root ? "root filesystem" : "mount", *why;

  /* crun mounts sysfs and cgroup read-write and remounts them read-only
   * only after the createRuntime hooks have run, so before the init has
   * pivoted a read-write one passes where the spec asks read-only there
   * (which the spec check requires); once it has pivoted, the kernel's
   * flag is what counts. */
  if (confine_mounts_must_be_readonly (hp->policy, m->fstype) && !m->readonly
      && (pivoted || !confine_mounts_spec_readonly_at (spec, where)))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts.writable_pseudo_filesystems",
                          "the kernel mounted %s at `%s` read-write", m->fstype, where);
      return 0;
    }
  /* A kernel filesystem passes only where runc puts it: whether the
   * host mounted the same instance or not, anywhere else it is a second
   * view of kernel state past maskedPaths and readonlyPaths. */
  why = confine_mounts_kernel_fs_misplaced (spec, m->fstype, m->root, m->super, where, cgroups,
                                            host_cgroupns);
  if (why)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the kernel mounted %s (its `%s`) at `%s`, and %s (a bind of a "
                          "path in the container's root filesystem or of a host kernel "
                          "filesystem reaches it)",
                          m->fstype, m->root, where, why);
      return 0;
    }
  /* A cgroup mount, read-only and the container's own cgroup as runc
   * mounts it (judged above): a kernel interface, not host files, and
   * its root is a cgroup path, not one in any directory. */
  if (is_cgroup (m->fstype))
    return 0;
  for (size_t h = 0; h < host->n && private; h++)
    private = host->e[h].major != m->major || host->e[h].minor != m->minor;
  /* A filesystem the host has not mounted is the container's own
   * instance (its tmpfs, or a kernel filesystem where runc put it, judged
   * above), or a bind from one (runc's /dev/null over masked paths): no
   * host path reaches it, and judge_content says whether it is memory or
   * something no path shows (an overlay, a disk). */
  if (private)
    return is_root ? 0 : judge_content (hp, host, m, where, 0, r, err);
  if (shared_instance (pid, m, &shared, err) < 0)
    return -1;
  if (shared)
    return 0;
  for (size_t h = 0; h < host->n; h++)
    {
      const mount_entry_t *hm = &host->e[h];
      cleanup_free char *path = NULL;
      confine_hostpath_verdict_t v;
      const char *suffix;
      int ret;

      if (hm->major != m->major || hm->minor != m->minor)
        continue;
      if (!confine_path_within (m->root, hm->root))
        continue;
      reached = true;
      /* The part of the host's mount below its root that the container
       * got: ROOT minus the host mount's own root, under its point. */
      suffix = m->root + (strcmp (hm->root, "/") == 0 ? 0 : strlen (hm->root));
      if (strcmp (suffix, "/") == 0)
        suffix = "";
      if (asprintf (&path, "%s%s", strcmp (hm->point, "/") == 0 && *suffix ? "" : hm->point,
                    suffix)
          < 0)
        return confine_make_error (err, ENOMEM, "join path");
      ret = confine_hostpaths_judge (hp, path,
                                     is_root ? CONFINE_HOSTPATH_ROOT : CONFINE_HOSTPATH_SHOWN,
                                     m->readonly, &v, err);
      if (ret < 0)
        return -1;
      if (ret > 0)
        {
          cleanup_free char *socket = v.socket;
          if (socket)
            {
              confine_result_set (r, CONFINE_RESULT_FAIL, v.key,
                                  "the kernel mounted the host's `%s` at `%s`, which holds %s",
                                  path, where, socket);
              return 0;
            }
          confine_result_set (r, CONFINE_RESULT_FAIL, v.key,
                              "the kernel mounted the host's `%s` as the %s at `%s`, which "
                              "%s the host's `%s`",
                              path, what, where, v.relation, v.entry);
          return 0;
        }
      if (!is_root)
        {
          cleanup_free char *mounted = NULL;
          if (asprintf (&mounted, "the kernel's mount at `%s`", where) < 0)
            return confine_make_error (err, ENOMEM, "describe mount");
          if (confine_mounts_device_bind (pid, true, path, m->readonly, mounted, r, err) < 0)
            return -1;
          if (r->kind == CONFINE_RESULT_FAIL)
            return 0;
        }
    }
  if (!reached)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the kernel mounted `%s` of device %u:%u at `%s`, which no mount of "
                          "the host shows",
                          m->root, m->major, m->minor, where);
      return 0;
    }
  /* The root is an engine's snapshot, its layers the engine's own
   * storage: mounts.allowed_roots judged where the host shows it. */
  return is_root ? 0 : judge_content (hp, host, m, where, 0, r, err);
}

int
confine_mounts_judge_live_with (confine_hostpaths_t *hp, const confine_context_t *ctx,
                                const confine_spec_t *spec, long pid, confine_rule_result_t *r,
                                confine_error_t *err)
{
  __attribute__ ((cleanup (mountinfo_clear))) mountinfo_t theirs = { 0 };
  __attribute__ ((cleanup (mountinfo_clear))) mountinfo_t host = { 0 };
  cleanup_free char *prefix = NULL;
  cleanup_free char *cgroups = NULL;
  char path[64], cgpath[64];
  size_t judged = 0, len = 0;
  bool host_cgroupns = false;

  snprintf (path, sizeof (path), "/proc/%ld/mountinfo", pid);
  snprintf (cgpath, sizeof (cgpath), "/proc/%ld/cgroup", pid);
  if (container_prefix (ctx, spec, pid, &prefix, err) < 0
      || mountinfo_read (path, &theirs, err) < 0
      || mountinfo_read ("/proc/self/mountinfo", &host, err) < 0
      || confine_read_file (cgpath, CONFINE_MOUNTINFO_MAX_BYTES, &cgroups, &len, err) < 0
      || same_ns (pid, "cgroup", &host_cgroupns, err) < 0)
    {
      confine_result_from_error (r, "mounts", "cannot read the container's mounts", err);
      return 0;
    }
  /* The host's mounts by id, which the sockets' filesystems are found
   * by (filesystem_dev), from this same read rather than another. */
  if (hp->mount_devs == NULL)
    {
      hp->mount_devs = confine_xcalloc (host.n + 1, sizeof (*hp->mount_devs));
      for (size_t h = 0; h < host.n; h++)
        hp->mount_devs[h] = (confine_mount_dev_t){ host.e[h].id,
                                                   makedev (host.e[h].major, host.e[h].minor) };
      hp->n_mount_devs = host.n;
    }
  for (size_t i = 0; i < theirs.n; i++)
    {
      const char *where = relative (theirs.e[i].point, prefix), *why;
      if (where == NULL)
        continue;
      judged++;
      r->kind = CONFINE_RESULT_PASS;
      if (judge_entry (hp, &host, pid, &theirs.e[i], where, spec, strcmp (prefix, "/") == 0,
                       cgroups, host_cgroupns, r, err)
          < 0)
        {
          confine_result_from_error (r, "mounts", "cannot judge the container's mounts", err);
          return 0;
        }
      if (r->kind == CONFINE_RESULT_FAIL)
        return 0;
      why = stacked (&theirs, prefix, i, where, spec);
      if (why)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                              "the kernel mounted %s (its `%s`) at `%s`, and %s (a bind whose "
                              "destination an image symlink turned into that place stacks "
                              "another instance, such as the host's, over runc's)",
                              theirs.e[i].fstype, theirs.e[i].root, where, why);
          return 0;
        }
    }
  if (judged == 0)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "mounts",
                          "the container's init (pid %ld) shows no mount at its root `%s`",
                          pid, prefix);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "%zu mounts the kernel made, each from an allowed host path or the "
                      "container's own filesystems",
                      judged);
  return 0;
}

int
confine_mounts_judge_live (const confine_context_t *ctx, const confine_spec_t *spec, long pid,
                           confine_rule_result_t *r, confine_error_t *err)
{
  confine_hostpaths_t local = { 0 };
  confine_hostpaths_t *hp = confine_rule_hostpaths (ctx, &local, err);
  int ret;

  if (hp == NULL)
    return -1;
  confine_hostpaths_container (hp, ctx->id, ctx->bundle, spec->annotations, spec->n_annotations);
  ret = confine_mounts_judge_live_with (hp, ctx, spec, pid, r, err);
  confine_rule_hostpaths_done (hp, &local);
  return ret;
}
