/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "hostpath.h"
#include "mounts.h"
#include "netns.h"
#include "../base/utils.h"

/* The kernel's limit on symlinks followed in one lookup (MAXSYMLINKS). */
#define MAX_SYMLINKS 40
#define PROC_SUPER_MAGIC 0x9fa0
/* A host with more listening sockets than this is refused rather than
 * read without bound. */
#define MAX_SOCKETS 100000u
/* Entries read below one bind source looking for sockets no name
 * places; a larger tree on the same filesystem as such a socket is
 * refused. */
#define MAX_SEARCH_ENTRIES 100000u
/* Entries read below a bound directory looking for a socket file that
 * is none of the gate's namespace's listeners, before the other network
 * namespaces are listed (others_needed); most binds have fewer. */
#define OTHERS_WALK_ENTRIES 4096u
/* sock_diag answers in messages of up to a page each; a larger buffer
 * takes several per read. */
#define SOCK_DIAG_BUF (32u << 10)

struct confine_host_socket_s
{
  char *name; /* as its binder wrote it */
  dev_t dev;  /* the socket file's filesystem and inode */
  ino_t ino;
  char *at;   /* the host path (resolved) where that inode is, or NULL when not found */
  bool placed; /* AT has been looked for (place_socket) */
  bool named;  /* its name matches a pattern of mounts.sensitive */
  ino_t sock;  /* the socket's own inode, `socket:[N]` in its holders' /proc/PID/fd */
  ino_t netns; /* its network namespace's inode; 0 for the gate's own */
  /* Of another namespace (classify_sockets): whether judged, whether
   * held by containers only, and otherwise a holder that is not (0: none). */
  bool classified, contained;
  pid_t outside;
};

typedef struct
{
  confine_host_socket_t *s;
  size_t n, cap;
} socket_list_t;

static void
sockets_free (socket_list_t *l)
{
  for (size_t i = 0; i < l->n; i++)
    {
      free (l->s[i].name);
      free (l->s[i].at);
    }
  free (l->s);
  *l = (socket_list_t){ 0 };
}

/* A growing string: the resolved part of a path. */
typedef struct
{
  char *s;
  size_t len, cap;
} buf_t;

static int
buf_append (buf_t *b, const char *seg, size_t len, confine_error_t *err)
{
  if (b->len + len + 2 > b->cap)
    {
      size_t cap = (b->len + len + 2) * 2;
      char *s = realloc (b->s, cap);
      if (s == NULL)
        return confine_make_error (err, ENOMEM, "resolve path");
      b->s = s;
      b->cap = cap;
    }
  b->s[b->len++] = '/';
  memcpy (b->s + b->len, seg, len);
  b->len += len;
  b->s[b->len] = '\0';
  return 0;
}

static void
buf_pop (buf_t *b)
{
  while (b->len > 0 && b->s[b->len - 1] != '/')
    b->len--;
  if (b->len > 0)
    b->len--;
  if (b->s)
    b->s[b->len] = '\0';
}

static int
resolve_error (const char *path, int e, confine_error_t *err)
{
  return confine_make_error (err, e, "cannot resolve `%s` as the kernel will: %s", path,
                             strerror (e));
}

/* What a lookup of one resolved name found. One evaluation resolves the
 * policy's hundred-odd entries and every source, most under the same few
 * directories (/var/lib, /run), so each name is looked up once. */
enum
{
  LOOK_MISSING,
  LOOK_DIR,
  LOOK_OTHER,
  LOOK_LINK,      /* TARGET is what it points to */
  LOOK_PROC_LINK, /* a link in /proc, which the kernel does not follow by its text */
};

typedef struct lookup_s
{
  struct lookup_s *next;
  char *name;
  int kind;
  char *target;
  bool fs_known; /* a directory's filesystem type, asked when a link in it is first met */
  long fs;
} lookup_t;

#define LOOKUP_BUCKETS 256
struct confine_lookups_s
{
  lookup_t *bucket[LOOKUP_BUCKETS];
  bool root_fs_known; /* as fs_known, for `/`, which no lookup names */
  long root_fs;
};

static unsigned
hash (const char *s)
{
  unsigned h = 2166136261u;
  for (; *s; s++)
    h = (h ^ (unsigned char) *s) * 16777619u;
  return h % LOOKUP_BUCKETS;
}

static lookup_t *
cached (const confine_lookups_t *cache, const char *name, unsigned h)
{
  for (lookup_t *c = cache->bucket[h]; c; c = c->next)
    if (strcmp (c->name, name) == 0)
      return c;
  return NULL;
}

/* The filesystem type of NAME's directory (its first PARENT_LEN bytes,
 * `/` when 0), which an earlier lookup of this CACHE found to be a
 * directory: asked once per directory, not once per link in it (/lib,
 * /bin, /sbin and /lib64 are links in `/` on usrmerged hosts). */
static int
parent_fs (confine_lookups_t *cache, const char *name, size_t parent_len, long *fs)
{
  cleanup_free char *parent = confine_xstrndup (name, parent_len ? parent_len : 1);
  bool *known = &cache->root_fs_known;
  long *slot = &cache->root_fs;
  struct statfs sfs;

  if (parent_len)
    {
      lookup_t *dir = cached (cache, parent, hash (parent));
      /* Never reached: the walk looks each directory up before its names. */
      if (dir == NULL || dir->kind != LOOK_DIR)
        return -ENOTDIR;
      known = &dir->fs_known;
      slot = &dir->fs;
    }
  if (!*known)
    {
      if (statfs (parent, &sfs) < 0)
        return -errno;
      *slot = (long) sfs.f_type;
      *known = true;
    }
  *fs = *slot;
  return 0;
}

/* Look NAME up (lstat, and readlink for a link), once per CACHE. Its
 * first PARENT_LEN bytes are its resolved directory (`/` when 0). A
 * failure other than "does not exist" is an error, never remembered. */
static int
look (confine_lookups_t *cache, const char *name, size_t parent_len, const lookup_t **out)
{
  cleanup_free lookup_t *l = NULL;
  struct stat st;
  unsigned h = hash (name);
  lookup_t *c = cached (cache, name, h);

  if (c)
    {
      *out = c;
      return 0;
    }
  l = confine_xcalloc (1, sizeof (*l));
  if (lstat (name, &st) < 0)
    {
      if (errno != ENOENT)
        return -errno;
      l->kind = LOOK_MISSING;
    }
  else if (S_ISLNK (st.st_mode))
    {
      char target[PATH_MAX];
      ssize_t n;
      long fs = 0;
      int r;

      /* /proc/PID/root, /proc/PID/fd/N, /proc/self/cwd: the kernel
       * jumps to the object, which may be in another mount namespace,
       * not to what readlink prints. */
      if ((r = parent_fs (cache, name, parent_len, &fs)) < 0)
        return r;
      l->kind = fs == PROC_SUPER_MAGIC ? LOOK_PROC_LINK : LOOK_LINK;
      n = readlink (name, target, sizeof (target));
      if (n < 0 || (size_t) n >= sizeof (target))
        return n < 0 ? -errno : -ENAMETOOLONG;
      l->target = confine_xstrndup (target, (size_t) n);
    }
  else
    l->kind = S_ISDIR (st.st_mode) ? LOOK_DIR : LOOK_OTHER;
  l->name = confine_xstrdup (name);
  l->next = cache->bucket[h];
  cache->bucket[h] = l;
  *out = steal_pointer (&l);
  return 0;
}

static void
lookups_free (confine_lookups_t *cache)
{
  if (cache == NULL)
    return;
  for (size_t b = 0; b < LOOKUP_BUCKETS; b++)
    for (lookup_t *c = cache->bucket[b], *next; c; c = next)
      {
        next = c->next;
        free (c->name);
        free (c->target);
        free (c);
      }
  free (cache);
}

/* The walk: DONE holds the resolved prefix (no symlinks, no dots), TODO
 * the components still to look at. A symlink's target is put in front of
 * the rest of TODO, as the kernel does. */
static int
resolve (confine_lookups_t *cache, const char *base, const char *path, char **out,
         confine_error_t *err)
{
  cleanup_free char *joined = NULL;
  cleanup_free char *owned = NULL;
  /* PATH itself until a link's target replaces it: one evaluation walks
   * the policy's hundred-odd entries, most with no link in them. */
  const char *todo = path;
  buf_t done = { 0 };
  size_t pos = 0;
  unsigned links = 0;
  bool missing = false, is_dir = true;
  int ret = -1;

  if (path[0] != '/')
    {
      if (asprintf (&joined, "%s/%s", base ? base : "/", path) < 0)
        return confine_make_error (err, ENOMEM, "join path");
      todo = owned = confine_path_clean (joined);
    }
  /* The kernel refuses such a name before it looks at it. */
  if (strlen (todo) >= PATH_MAX)
    return resolve_error (path, ENAMETOOLONG, err);
  /* Room for TODO as it is; a link's target may need more. */
  done.cap = strlen (todo) + 2;
  done.s = confine_xmalloc (done.cap);
  done.s[0] = '\0';

  while (todo[pos])
    {
      const char *seg;
      size_t len, parent_len;
      const lookup_t *l = NULL;
      int r;

      while (todo[pos] == '/')
        pos++;
      seg = todo + pos;
      while (todo[pos] && todo[pos] != '/')
        pos++;
      len = (size_t) (todo + pos - seg);
      if (len == 0)
        continue;
      if (!missing && !is_dir)
        {
          ret = resolve_error (path, ENOTDIR, err);
          goto out;
        }
      if (len == 1 && seg[0] == '.')
        continue;
      if (len == 2 && seg[0] == '.' && seg[1] == '.')
        {
          buf_pop (&done);
          continue;
        }
      if (len > NAME_MAX)
        {
          ret = resolve_error (path, ENAMETOOLONG, err);
          goto out;
        }
      /* The name to look up is DONE with this component; taken back off
       * below if it is a link. Below a missing name nothing exists to
       * follow: the rest is cleaned. runc's mount of it fails unless
       * someone creates it first, and what they create is judged once
       * mounted. */
      parent_len = done.len;
      if (buf_append (&done, seg, len, err) < 0)
        goto out;
      if (missing)
        continue;
      if ((r = look (cache, done.s, parent_len, &l)) < 0)
        {
          ret = r == -ENOMEM ? -1 : resolve_error (path, -r, err);
          goto out;
        }
      if (l->kind == LOOK_MISSING)
        {
          missing = true;
          continue;
        }
      if (l->kind == LOOK_PROC_LINK)
        {
          ret = confine_make_error (err, 0,
                                    "cannot resolve `%s` as the kernel will: `%s` is a /proc "
                                    "link into another process's view",
                                    path, done.s);
          goto out;
        }
      if (l->kind == LOOK_LINK)
        {
          char *next;
          if (++links > MAX_SYMLINKS)
            {
              ret = resolve_error (path, ELOOP, err);
              goto out;
            }
          if (asprintf (&next, "%s/%s", l->target, todo + pos) < 0)
            {
              ret = confine_make_error (err, ENOMEM, "resolve path");
              goto out;
            }
          free (owned);
          todo = owned = next;
          pos = 0;
          done.len = l->target[0] == '/' ? 0 : parent_len;
          done.s[done.len] = '\0';
          continue;
        }
      is_dir = l->kind == LOOK_DIR;
    }
  if (done.len == 0)
    {
      done.s[0] = '/';
      done.s[1] = '\0';
    }
  *out = steal_pointer (&done.s);
  ret = 0;
out:
  free (done.s);
  return ret;
}

int
confine_hostpath_resolve (const char *base, const char *path, char **out, confine_error_t *err)
{
  confine_lookups_t *cache = confine_xcalloc (1, sizeof (*cache));
  int ret = resolve (cache, base, path, out, err);
  lookups_free (cache);
  return ret;
}

int
confine_hostpaths_resolve (confine_hostpaths_t *hp, const char *base, const char *path,
                           char **out, confine_error_t *err)
{
  return resolve (hp->lookups, base, path, out, err);
}

static bool
has_glob (const char *s)
{
  return strpbrk (s, "*?[") != NULL;
}

/* The length of PATTERN's leading plain directories, up to and including
 * the slash before the component holding its first glob character;
 * strlen (PATTERN) when it has none. */
static size_t
plain_head (const char *pattern)
{
  const char *glob = strpbrk (pattern, "*?[");
  size_t n;

  if (glob == NULL)
    return strlen (pattern);
  n = (size_t) (glob - pattern);
  while (n > 0 && pattern[n - 1] != '/')
    n--;
  return n;
}

bool
confine_path_within (const char *path, const char *dir)
{
  size_t n = strlen (dir);
  if (strcmp (dir, "/") == 0)
    return true;
  return strncmp (path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* DIR (resolved) and NAME below it, as one path: a string join, not
 * asprintf, which costs more than the lookup it follows. */
static char *
join (const char *dir, const char *name)
{
  size_t d = strcmp (dir, "/") == 0 ? 0 : strlen (dir), n = strlen (name);
  char *out = confine_xmalloc (d + n + 2);

  memcpy (out, dir, d);
  out[d] = '/';
  memcpy (out + d + 1, name, n + 1);
  return out;
}

/* Each list entry resolved once. Patterns are kept as written. */
static char **
resolve_all (confine_hostpaths_t *hp, char *const *list, confine_error_t *err)
{
  size_t n = 0;
  cleanup_strv char **out = NULL;

  while (list[n])
    n++;
  out = confine_xcalloc (n + 1, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    {
      if (has_glob (list[i]))
        out[i] = confine_xstrdup (list[i]);
      else
        confine_hostpaths_resolve (hp, NULL, list[i], &out[i], err);
      if (out[i] == NULL)
        return NULL;
    }
  return steal_pointer (&out);
}

/* A pattern with its leading plain directories resolved, so it matches
 * resolved paths on a host where, say, /var/lib/docker is a link. */
static char *
resolve_pattern (confine_hostpaths_t *hp, const char *pattern, confine_error_t *err)
{
  size_t cut = plain_head (pattern);
  cleanup_free char *dir = NULL;
  cleanup_free char *resolved = NULL;
  char *out = NULL;

  if (pattern[cut] == '\0')
    return confine_hostpaths_resolve (hp, NULL, pattern, &out, err) < 0 ? NULL : out;
  dir = confine_xstrndup (pattern, cut ? cut : 1);
  if (confine_hostpaths_resolve (hp, NULL, dir, &resolved, err) < 0)
    return NULL;
  return join (resolved, pattern + cut);
}

/* The `{owner}` placeholder of allowed_subtrees: one whole component
 * that matches as `*`, and only the pod or sandbox the container belongs
 * to (the pod's uid below /var/lib/kubelet/pods: a pod reaches its own
 * volumes, never another pod's). */
#define OWNER "{owner}"

/* SPELLED's placeholder NAME respelled `*` in place. Returns its
 * component's index counted from the end (1: the last), or -1 when
 * SPELLED has none; counted from the end because resolving the leading
 * directories (a /var/lib/kubelet that is a link) may change how many
 * precede. The policy checked that it is a whole component. */
static int
placeholder (char *spelled, const char *name)
{
  char *at = strstr (spelled, name);
  size_t n = strlen (name);
  int from_end = 0;

  if (at == NULL)
    return -1;
  for (const char *c = at - 1; *c; c++)
    from_end += *c == '/';
  at[0] = '*';
  memmove (at + 1, at + n, strlen (at + n) + 1);
  return from_end;
}

/* PATH's component K from the end (1: the last), within PATH; an empty
 * one past its start. */
static const char *
component_from_end (const char *path, int k, size_t *len)
{
  const char *end = path + strlen (path);

  for (;;)
    {
      const char *start = end;
      while (start > path && start[-1] != '/')
        start--;
      if (--k == 0 || start == path)
        {
          *len = k == 0 ? (size_t) (end - start) : 0;
          return start;
        }
      end = start - 1;
    }
}

/* Each allowed_subtrees entry: a plain one resolved, one with patterns
 * with `{owner}` spelled `*` and its leading plain directories resolved. */
static int
resolve_allowed (confine_hostpaths_t *hp, confine_error_t *err)
{
  char *const *list = hp->policy->mounts_allowed_subtrees;
  size_t n = 0;

  while (list[n])
    n++;
  hp->allowed = confine_xcalloc (n + 1, sizeof (char *));
  hp->owner_at = confine_xcalloc (n + 1, sizeof (int));
  for (size_t i = 0; i < n; i++)
    {
      cleanup_free char *spelled = confine_xstrdup (list[i]);
      hp->owner_at[i] = placeholder (spelled, OWNER);
      if ((hp->allowed[i] = resolve_pattern (hp, spelled, err)) == NULL)
        return -1;
    }
  return 0;
}

/* The files and trees of the gate itself are sensitive whatever the
 * lists say, and wherever the operator moved them: a container's root is
 * uid 0 on the host, so what it writes there is root's, all the gate can
 * ask of its own files (red team 3 F-07, F-08). The cache directory holds
 * seccomp verdicts and the records `start` checks against: no bind may
 * be, hold or lie inside it. The decision log, the policy file, the hook
 * runc runs as root and the default seccomp profile: no bind may be one,
 * nor hold one writable (a writable parent lets the container rename the
 * directory and put a link in its place). The runtime's state root, as
 * the cache directory. A relative path is where the
 * gate opens it, from the current directory. */
static int
add_gate_path (confine_hostpaths_t *hp, const char *key, const char *spelled, bool tree,
               confine_error_t *err)
{
  cleanup_free char *cwd = NULL;
  confine_gate_path_t *g;

  if (spelled == NULL || spelled[0] == '\0')
    return 0;
  hp->gate = confine_xreallocarray (hp->gate, hp->n_gate + 1, sizeof (*hp->gate));
  g = &hp->gate[hp->n_gate];
  *g = (confine_gate_path_t){ 0 };
  if (spelled[0] != '/' && (cwd = getcwd (NULL, 0)) == NULL)
    return confine_make_error (err, errno, "getcwd");
  if (confine_hostpaths_resolve (hp, cwd, spelled, &g->path, err) < 0)
    return confine_error_wrap (err, "policy `%s`", key);
  g->key = key;
  g->spelled = spelled;
  g->tree = tree;
  hp->n_gate++;
  return 0;
}

/* Where the runtime the gate runs, and its dynamic loader, find code
 * (red team 3 F-11, F-12): containerd's `opt` plugin puts its own
 * directories first on the PATH and LD_LIBRARY_PATH of every shim, and a
 * `runc` or `libseccomp.so.2` a container writes there runs as root for
 * every later container. Read-only they are only read (GPU drivers). */
static int
add_code_paths (confine_hostpaths_t *hp, char *const *paths, bool tree, bool search,
                confine_error_t *err)
{
  for (size_t i = 0; paths && paths[i]; i++)
    {
      if (add_gate_path (hp, "rules.mounts", paths[i], tree, err) < 0)
        return -1;
      hp->gate[hp->n_gate - 1].code = true;
      hp->gate[hp->n_gate - 1].search = search;
    }
  return 0;
}

/* PATH is a file (or nothing yet) directly in DIR, both resolved. */
static bool
file_in (const char *path, const char *dir)
{
  const char *rest;
  struct stat st;

  if (!confine_path_within (path, dir) || strcmp (path, dir) == 0)
    return false;
  rest = path + strlen (dir) + (strcmp (dir, "/") != 0);
  return strchr (rest, '/') == NULL && (lstat (path, &st) < 0 || !S_ISDIR (st.st_mode));
}

int
confine_hostpaths_init (const confine_policy_t *policy, const char *runtime_root,
                        const confine_runtime_code_t *code, confine_hostpaths_t *hp,
                        confine_error_t *err)
{
  size_t n_roots = 0;

  *hp = (confine_hostpaths_t){ .policy = policy };
  hp->lookups = confine_xcalloc (1, sizeof (*hp->lookups));
  while (policy->mounts_allowed_roots[n_roots])
    n_roots++;
  if ((hp->sensitive = resolve_all (hp, policy->mounts_sensitive, err)) == NULL
      || (hp->subtrees = resolve_all (hp, policy->mounts_sensitive_subtrees, err)) == NULL
      || resolve_allowed (hp, err) < 0
      || (hp->readonly = resolve_all (hp, policy->mounts_readonly_subtrees, err)) == NULL)
    {
      confine_hostpaths_clear (hp);
      return confine_error_wrap (err, "policy `mounts`");
    }
  hp->roots = confine_xcalloc (n_roots + 1, sizeof (char *));
  for (size_t i = 0; policy->mounts_allowed_roots[i]; i++)
    if ((hp->roots[i] = resolve_pattern (hp, policy->mounts_allowed_roots[i], err)) == NULL)
    {
      confine_hostpaths_clear (hp);
      return confine_error_wrap (err, "policy `mounts`");
    }
  /* The policy file's key is none of its own: the mounts rule refuses. */
  if (add_gate_path (hp, "cache_dir", policy->cache_dir, true, err) < 0
      || add_gate_path (hp, "decision_log", policy->decision_log, false, err) < 0
      || add_gate_path (hp, "hook_path", policy->hook_path, false, err) < 0
      || add_gate_path (hp, "seccomp.default_profile", policy->seccomp_default_profile, false,
                        err) < 0
      || add_gate_path (hp, "rules.mounts", policy->path, false, err) < 0
      /* runc trusts each container's state.json there for every later
       * command: `delete` runs its poststop hooks (F-09). */
      || add_gate_path (hp, "rules.mounts", runtime_root, true, err) < 0)
    {
      confine_hostpaths_clear (hp);
      return -1;
    }
  /* Its containers' sockets are containers' (holds_listener): the entry
   * just added, resolved. */
  if (runtime_root && runtime_root[0])
    hp->runtime_root = hp->gate[hp->n_gate - 1].path;
  if (code
      && (add_code_paths (hp, code->search, false, true, err) < 0
          || add_code_paths (hp, code->libs, true, false, err) < 0
          || add_code_paths (hp, code->files, false, false, err) < 0))
    {
      confine_hostpaths_clear (hp);
      return -1;
    }
  return 0;
}

/* What HP learnt of the host and the container, freed. */
static void
forget_host (confine_hostpaths_t *hp)
{
  lookups_free (hp->lookups);
  hp->lookups = NULL;
  sockets_free (&(socket_list_t){ hp->sockets, hp->n_sockets, hp->n_sockets });
  sockets_free (&(socket_list_t){ hp->other_sockets, hp->n_other_sockets, hp->n_other_sockets });
  hp->sockets = hp->other_sockets = NULL;
  hp->n_sockets = hp->n_other_sockets = 0;
  hp->sockets_by_name = false;
  free (hp->mount_devs);
  hp->mount_devs = NULL;
  hp->n_mount_devs = 0;
  confine_free_strv (hp->owners);
  hp->owners = NULL;
  hp->owners_known = false;
  free (hp->own_root);
  hp->own_root = NULL;
  hp->id = hp->bundle = NULL;
  hp->annotations = NULL;
  hp->n_annotations = 0;
}

void
confine_hostpaths_forget (confine_hostpaths_t *hp)
{
  forget_host (hp);
  hp->lookups = confine_xcalloc (1, sizeof (*hp->lookups));
}

void
confine_hostpaths_clear (confine_hostpaths_t *hp)
{
  forget_host (hp);
  confine_free_strv (hp->sensitive);
  confine_free_strv (hp->subtrees);
  confine_free_strv (hp->allowed);
  free (hp->owner_at);
  confine_free_strv (hp->roots);
  confine_free_strv (hp->readonly);
  for (size_t g = 0; g < hp->n_gate; g++)
    free (hp->gate[g].path);
  free (hp->gate);
  *hp = (confine_hostpaths_t){ 0 };
}

/* The device of the filesystem NAME (in DIRFD, not followed) is on, as
 * sock_diag names a socket's: its superblock's, from the host's
 * mountinfo by the mount's id. stat's st_dev is not always that: btrfs
 * gives each subvolume a device of its own, overlayfs a layer's. *MNT
 * gets the mount's id. */
static int
filesystem_dev (confine_hostpaths_t *hp, int dirfd, const char *name, dev_t *dev,
                unsigned long long *mnt, confine_error_t *err)
{
  struct statx stx;

  if (statx (dirfd, name, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
    return confine_make_error (err, errno, "stat `%s`", name);
  if (!(stx.stx_mask & STATX_MNT_ID))
    return confine_make_error (err, 0, "the kernel does not say which mount `%s` is on", name);
  if (hp->mount_devs == NULL)
    {
      cleanup_free char *text = NULL;
      cleanup_free confine_mount_dev_t *v = NULL;
      size_t len = 0, n = 0, cap = 0;

      if (confine_read_file ("/proc/self/mountinfo", CONFINE_MOUNTINFO_MAX_BYTES, &text, &len,
                             err) < 0)
        return -1;
      for (const char *line = text; *line;)
        {
          const char *next = strchrnul (line, '\n');
          unsigned long long id;
          unsigned major, minor;

          if (sscanf (line, "%llu %*u %u:%u", &id, &major, &minor) != 3)
            return confine_make_error (err, 0, "cannot read a line of /proc/self/mountinfo");
          if (confine_append (&v, &n, &cap, sizeof (*v), SIZE_MAX / sizeof (*v), err) < 0)
            return -1;
          v[n - 1] = (confine_mount_dev_t){ id, makedev (major, minor) };
          line = *next ? next + 1 : next;
        }
      hp->mount_devs = steal_pointer (&v);
      hp->n_mount_devs = n;
    }
  for (size_t i = 0; i < hp->n_mount_devs; i++)
    if (hp->mount_devs[i].id == stx.stx_mnt_id)
      {
        *dev = hp->mount_devs[i].dev;
        *mnt = stx.stx_mnt_id;
        return 0;
      }
  return confine_make_error (err, 0, "`%s` is on mount %llu, which /proc/self/mountinfo does "
                             "not list", name, (unsigned long long) stx.stx_mnt_id);
}

void
confine_hostpaths_container (confine_hostpaths_t *hp, const char *id, const char *bundle,
                             const confine_annotation_t *annotations, size_t n)
{
  hp->id = id;
  hp->bundle = bundle;
  hp->annotations = annotations;
  hp->n_annotations = n;
}

/* S names one directory entry: not empty, `.`, `..`, nor with a slash. */
static bool
plain_component (const char *s, size_t n)
{
  return n > 0 && memchr (s, '/', n) == NULL && !(n == 1 && s[0] == '.')
         && !(n == 2 && s[0] == '.' && s[1] == '.');
}

/* The largest containers.json read: containers/storage's record of every
 * container, a few hundred bytes each. */
#define STORAGE_RECORD_MAX_BYTES (64u << 20)

/* LAYER (N bytes, a component of PATH, a resolved root that an
 * allowed_roots entry matched) is the layer its engine made for this
 * container, by the engine's own record of the container's id, which
 * no API user names: Docker's `image/DRIVER/layerdb/mounts/ID/mount-id`,
 * containers/storage's (Podman's, CRI-O's) `DRIVER-containers/
 * containers.json` entry for ID and its `layer`. The engine's directory
 * and the driver's are the ones holding LAYER, the driver's one up from
 * graphdriver's inner `dir`, `subvolumes`, `graph` or `mnt`. Another
 * container's snapshot and an image's layer are in neither record as
 * this container's. Returns 1 when it is, 0 when not. */
static int
own_layer (const confine_hostpaths_t *hp, const char *path, const char *layer, size_t n,
           confine_error_t *err)
{
  static const char *const inner[] = { "dir", "subvolumes", "graph", "mnt", NULL };
  cleanup_free char *engine = confine_xstrndup (path, layer > path ? (size_t) (layer - 1 - path) : 0);
  cleanup_free char *record = NULL;
  cleanup_free char *text = NULL;
  cleanup_json confine_json_t *doc = NULL;
  char *driver = strrchr (engine, '/');
  size_t len = 0;
  struct stat st;

  if (hp->id == NULL || !plain_component (hp->id, strlen (hp->id)) || driver == NULL)
    return 0;
  if (confine_strv_has ((char *const *) inner, driver + 1) && driver != engine)
    {
      *driver = '\0';
      driver = strrchr (engine, '/');
    }
  *driver++ = '\0';
  if (asprintf (&record, "%s/image/%s/layerdb/mounts/%s/mount-id", engine, driver, hp->id) < 0)
    return confine_make_error (err, ENOMEM, "join path");
  if (lstat (record, &st) == 0)
    {
      if (confine_read_trusted_file (record, PATH_MAX, &text, &len, err) < 0)
        return -1;
      return len == n && memcmp (text, layer, n) == 0;
    }
  if (errno != ENOENT)
    return confine_make_error (err, errno, "stat `%s`", record);
  free (record);
  if (asprintf (&record, "%s/%s-containers/containers.json", engine, driver) < 0)
    return confine_make_error (err, ENOMEM, "join path");
  if (lstat (record, &st) < 0)
    return errno == ENOENT ? 0 : confine_make_error (err, errno, "stat `%s`", record);
  if (confine_read_trusted_file (record, STORAGE_RECORD_MAX_BYTES, &text, &len, err) < 0
      || confine_json_parse (text, len, &doc, err) < 0)
    return -1;
  if (doc->type != CONFINE_JSON_ARRAY)
    return confine_make_error (err, 0, "`%s` is not a JSON array", record);
  for (size_t i = 0; i < doc->len; i++)
    {
      const confine_json_t *id = confine_json_get (doc->values[i], "id");
      const confine_json_t *own = confine_json_get (doc->values[i], "layer");
      if (id == NULL || id->type != CONFINE_JSON_STRING || strcmp (id->text, hp->id) != 0)
        continue;
      return own && own->type == CONFINE_JSON_STRING && strlen (own->text) == n
             && memcmp (own->text, layer, n) == 0;
    }
  return 0;
}

/* PATH (resolved) is this container's snapshot: an allowed_roots entry
 * matches it, and of the components its `*`s matched, one is the
 * container's id (containerd's task directory, `NAMESPACE/ID/rootfs`) or
 * the layer its engine's record of the container names (own_layer).
 * *MATCHED: an entry matched at all. Returns 1 when it is, 0 when not. */
static int
engine_snapshot (confine_hostpaths_t *hp, const char *path, bool *matched,
                 confine_error_t *err)
{
  *matched = false;
  /* Judged up to three times (the lists, the sockets, the live mounts). */
  if (hp->own_root && strcmp (hp->own_root, path) == 0)
    return *matched = true;
  for (size_t a = 0; hp->roots[a]; a++)
    {
      const char *entry = hp->roots[a];
      int k = 0;

      if (fnmatch (entry, path, FNM_PATHNAME) != 0)
        continue;
      *matched = true;
      /* The entry's components, from the end (as many as PATH's). */
      for (const char *e = entry + strlen (entry); e > entry; e--)
        {
          const char *c;
          size_t n;
          int r;

          if (e[-1] != '/')
            continue;
          k++;
          if (strcmp (e, "*") != 0 && strncmp (e, "*/", 2) != 0)
            continue;
          c = component_from_end (path, k, &n);
          r = hp->id && strlen (hp->id) == n && memcmp (hp->id, c, n) == 0;
          if (r == 0 && (r = own_layer (hp, path, c, n, err)) < 0)
            return -1;
          if (r)
            {
              free (hp->own_root);
              hp->own_root = confine_xstrdup (path);
              return 1;
            }
        }
    }
  return 0;
}

/* PATH (resolved) is the socket file S: the name leads to its inode. */
static int
is_socket_at (confine_hostpaths_t *hp, const char *path, confine_host_socket_t *s,
              confine_error_t *err)
{
  cleanup_free char *dir = NULL;
  cleanup_free char *resolved = NULL;
  const char *base = strrchr (path, '/');
  struct stat st;

  /* First as the kernel finds it, one lstat: most sockets are not below
   * the bind, and this is paid for each on its filesystem. */
  if (base == NULL || base[1] == '\0' || lstat (path, &st) < 0 || !S_ISSOCK (st.st_mode)
      || st.st_ino != s->ino)
    return 0;
  if (st.st_dev != s->dev)
    {
      dev_t fs;
      unsigned long long mnt;
      if (filesystem_dev (hp, AT_FDCWD, path, &fs, &mnt, err) < 0)
        return -1;
      if (fs != s->dev)
        return 0;
    }
  /* Then where: its directory resolved as bind sources are (sockets
   * share a few directories, each resolved once), and the socket's own
   * name, which is no link. A directory the resolver refuses (a /proc
   * link into another view) places nothing; the socket is then
   * searched for by its inode. */
  dir = confine_xstrndup (path, base == path ? 1 : (size_t) (base - path));
  if (confine_hostpaths_resolve (hp, NULL, dir, &resolved, err) < 0)
    {
      if ((*err)->status == ENOMEM)
        return -1;
      confine_error_release (err);
      return 0;
    }
  if (asprintf (&s->at, "%s%s", strcmp (resolved, "/") == 0 ? "" : resolved, base) < 0)
    {
      s->at = NULL;
      return confine_make_error (err, ENOMEM, "join path");
    }
  return 1;
}

/* S is at one of the paths PATTERN (a glob(3) pattern) matches. */
static int
socket_in_glob (confine_hostpaths_t *hp, const char *pattern, confine_host_socket_t *s,
                confine_error_t *err)
{
  cleanup_glob glob_t g = { 0 };
  int r = glob (pattern, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g);

  if (r == GLOB_NOMATCH)
    return 0;
  if (r != 0)
    return confine_make_error (err, r == GLOB_NOSPACE ? ENOMEM : EIO,
                               "look for host socket `%s` in `%s`", s->name, pattern);
  for (size_t i = 0; i < g.gl_pathc; i++)
    if ((r = is_socket_at (hp, g.gl_pathv[i], s, err)) != 0)
      return r;
  return 0;
}

/* Where the host shows S. Its name is what the binder wrote, in its own
 * mount namespace and working directory: the socket is placed only
 * where a name leads to its very inode (device and inode, as sock_diag
 * reports them). Two binders are known to name their sockets otherwise:
 * systemd's PrivateTmp= services see /tmp/systemd-private-*-SERVICE-*\/tmp
 * (and the same in /var/tmp) as /tmp, and an engine's monitor (Podman's
 * conmon) binds `/proc/self/fd/N/attach` through a descriptor of the
 * container's directory, which lies in an engine's tree
 * (mounts.allowed_subtrees, at most one level below an entry). Those
 * places are tried. Anything else stays unplaced (S->at NULL) and is
 * searched for by its inode below each bind on its filesystem. */
static int
place_socket (confine_hostpaths_t *hp, confine_host_socket_t *s, confine_error_t *err)
{
  static const char *const private_tmp[] = { "/tmp", "/var/tmp", NULL };
  const char *rest;
  int r;

  /* Placed when first needed: a host with thousands of sockets pays
   * for the few on a bound filesystem or matching a pattern. */
  if (s->placed)
    return 0;
  s->placed = true;
  if (s->name[0] != '/')
    return 0;
  if ((r = is_socket_at (hp, s->name, s, err)) != 0)
    return r < 0 ? -1 : 0;
  for (const char *const *t = private_tmp; *t; t++)
    {
      cleanup_free char *pattern = NULL;
      if (!confine_path_within (s->name, *t))
        continue;
      if (asprintf (&pattern, "%s/systemd-private-*/tmp%s", *t, s->name + strlen (*t)) < 0)
        return confine_make_error (err, ENOMEM, "join path");
      if ((r = socket_in_glob (hp, pattern, s, err)) != 0)
        return r < 0 ? -1 : 0;
    }
  /* /proc/PID/fd/N/REST (PID `self` or a number). */
  if (strncmp (s->name, "/proc/", 6) != 0 || (rest = strstr (s->name + 6, "/fd/")) == NULL
      || strchr (s->name + 6, '/') != rest)
    return 0;
  rest += 4;
  rest += strspn (rest, "0123456789");
  if (*rest != '/' || strchr (rest + 1, '/'))
    return 0;
  for (size_t a = 0; hp->allowed[a]; a++)
    for (int depth = 0; depth < 2; depth++)
      {
        cleanup_free char *pattern = NULL;
        if (asprintf (&pattern, "%s%s%s", hp->allowed[a], depth ? "/*" : "", rest) < 0)
          return confine_make_error (err, ENOMEM, "join path");
        if ((r = socket_in_glob (hp, pattern, s, err)) != 0)
          return r < 0 ? -1 : 0;
      }
  return 0;
}

/* Add the socket NAME (taken over), whose file is inode INO of DEV, to
 * L; SOCK is the socket's own inode, NETNS its network namespace's (0:
 * the gate's). */
static int
add_socket (socket_list_t *l, char *name, dev_t dev, ino_t ino, ino_t sock, ino_t netns,
            confine_error_t *err)
{
  if (l->n >= MAX_SOCKETS)
    {
      free (name);
      return confine_make_error (err, E2BIG, "the host has more than %u listening sockets",
                                 MAX_SOCKETS);
    }
  if (l->n == l->cap)
    {
      l->cap = l->cap ? l->cap * 2 : 64;
      l->s = confine_xreallocarray (l->s, l->cap, sizeof (*l->s));
    }
  l->s[l->n++] = (confine_host_socket_t){ .name = name, .dev = dev, .ino = ino, .sock = sock,
                                          .netns = netns };
  return 0;
}

/* One sock_diag answer: the sockets it lists, of network namespace
 * NETNS, added to L. Returns 1 at the end of the dump. */
static int
add_sockets (socket_list_t *l, const char *buf, size_t len, ino_t netns, confine_error_t *err)
{
  for (const struct nlmsghdr *h = (const struct nlmsghdr *) buf; NLMSG_OK (h, len);
       h = NLMSG_NEXT (h, len))
    {
      const struct unix_diag_msg *m = NLMSG_DATA (h);
      const struct unix_diag_vfs *vfs = NULL;
      const char *name = NULL;
      size_t name_len = 0;
      int alen;

      /* A socket closed or bound while the kernel walked its table
       * may be missing: the list is not the host's. */
      if (h->nlmsg_flags & NLM_F_DUMP_INTR)
        return confine_make_error (err, EAGAIN, "the host's socket list changed while read");
      if (h->nlmsg_type == NLMSG_DONE)
        return 1;
      if (h->nlmsg_type == NLMSG_ERROR)
        {
          const struct nlmsgerr *e = NLMSG_DATA (h);
          return confine_make_error (err, e->error ? -e->error : EIO, "sock_diag");
        }
      if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || h->nlmsg_len < NLMSG_LENGTH (sizeof (*m)))
        return confine_make_error (err, EPROTO, "sock_diag: unexpected message");
      alen = (int) (h->nlmsg_len - NLMSG_LENGTH (sizeof (*m)));
      for (const struct rtattr *a = (const struct rtattr *) (m + 1); RTA_OK (a, alen);
           a = RTA_NEXT (a, alen))
        if (a->rta_type == UNIX_DIAG_VFS && RTA_PAYLOAD (a) >= sizeof (*vfs))
          vfs = RTA_DATA (a);
        else if (a->rta_type == UNIX_DIAG_NAME)
          {
            name = RTA_DATA (a);
            name_len = RTA_PAYLOAD (a);
          }
      /* Only a socket with a file receives through the filesystem (an
       * abstract name, `@...`, has none); a datagram socket receives
       * unless connected, a stream or seqpacket one once listening. */
      if (vfs == NULL || name == NULL || name_len == 0 || name[0] == '\0'
          || (m->udiag_state != TCP_LISTEN
              && !(m->udiag_type == SOCK_DGRAM && m->udiag_state == TCP_CLOSE)))
        continue;
      /* The kernel's own dev_t (MAJOR << 20 | MINOR), not stat's. */
      if (add_socket (l, confine_xstrndup (name, strnlen (name, name_len)),
                      makedev (vfs->udiag_vfs_dev >> 20, vfs->udiag_vfs_dev & 0xfffff),
                      vfs->udiag_vfs_ino, m->udiag_ino, netns, err)
          < 0)
        return -1;
    }
  return 0;
}

/* Where the kernel has no sock_diag for unix sockets (unix_diag is a
 * module, CONFIG_UNIX_DIAG=m, on Debian's kernels; a kernel that cannot
 * load it answers ENOENT), /proc/net/unix lists the same sockets, by
 * name only: its inode is the socket's, not its file's. A socket is
 * then known where its name leads to a socket file (a stale file there
 * counts too: it refuses more, never less); one whose name leads
 * nowhere on the host (bound in another mount namespace) cannot be
 * looked for by its inode. TEXT is such a list, of network namespace
 * NETNS (0: the gate's); with L NULL, the sockets that receive at a
 * path and are not the gate's namespace's (by their own inodes, unique
 * on the host) are only counted, in *SEEN, and *MARKED tells whether
 * the socket whose inode is MARKER is listed. */
static int
add_proc_sockets (confine_hostpaths_t *hp, socket_list_t *l, char *text, ino_t netns,
                  size_t *seen, ino_t marker, bool *marked, confine_error_t *err)
{
  char *save = NULL;

  /* Num RefCount Protocol Flags Type St Inode [Path] */
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      unsigned long flags, type, st;
      unsigned long long mnt, sock;
      struct stat sb;
      int path_at = 0;
      dev_t dev;

      if (sscanf (line, "%*s %*s %*s %lx %lx %lx %llu %n", &flags, &type, &st, &sock, &path_at)
          != 4)
        continue;
      if (marked && (ino_t) sock == marker)
        *marked = true;
      if (path_at == 0 || line[path_at] != '/')
        continue;
      /* Listening (__SO_ACCEPTCON), or a datagram socket not connected. */
      if (!(flags & 0x10000) && !(type == SOCK_DGRAM && st == 1))
        continue;
      if (l == NULL)
        {
          bool known = false;
          for (size_t i = 0; i < hp->n_sockets && !known; i++)
            known = hp->sockets[i].sock == (ino_t) sock;
          *seen += !known;
          continue;
        }
      if (lstat (line + path_at, &sb) < 0 || !S_ISSOCK (sb.st_mode))
        continue;
      if (filesystem_dev (hp, AT_FDCWD, line + path_at, &dev, &mnt, err) < 0)
        return -1;
      if (add_socket (l, confine_xstrdup (line + path_at), dev, sb.st_ino, (ino_t) sock, netns,
                      err)
          < 0)
        return -1;
    }
  return 0;
}

/* The unix sockets that receive at a filesystem path (listening stream
 * and seqpacket sockets and unconnected datagram ones) of the network
 * namespace the sock_diag socket FD was made in (NETNS; 0: the gate's),
 * each with its file's device and inode, added to L. Any failure, a
 * truncated or interrupted dump included, is an error; ENOENT when the
 * kernel has no unix_diag. */
static int
dump_sockets (int fd, socket_list_t *l, ino_t netns, confine_error_t *err)
{
  struct
  {
    struct nlmsghdr h;
    struct unix_diag_req r;
  } req = {
    .h = { .nlmsg_len = sizeof (req), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
           .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
    .r = { .sdiag_family = AF_UNIX,
           .udiag_states = (1u << TCP_LISTEN) | (1u << TCP_CLOSE),
           .udiag_show = UDIAG_SHOW_VFS | UDIAG_SHOW_NAME },
  };
  struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
  cleanup_free char *buf = NULL;
  int done = 0;

  if (sendto (fd, &req, sizeof (req), 0, (struct sockaddr *) &kernel, sizeof (kernel)) < 0)
    return confine_make_error (err, errno, "sock_diag");
  buf = confine_xcalloc (1, SOCK_DIAG_BUF);
  while (done == 0)
    {
      struct iovec iov = { buf, SOCK_DIAG_BUF };
      struct msghdr msg = { .msg_name = &kernel, .msg_namelen = sizeof (kernel),
                            .msg_iov = &iov, .msg_iovlen = 1 };
      ssize_t n = recvmsg (fd, &msg, 0);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return confine_make_error (err, errno, "sock_diag");
      if (n == 0 || (msg.msg_flags & MSG_TRUNC) || kernel.nl_pid != 0)
        return confine_make_error (err, EPROTO, "sock_diag answer truncated or not the kernel's");
      if ((done = add_sockets (l, buf, (size_t) n, netns, err)) < 0)
        return -1;
    }
  return 0;
}

/* The sockets of the gate's own network namespace: one dump per
 * evaluation, only when a bind is judged. A host without unix_diag is
 * read through /proc/net/unix (add_proc_sockets). */
static int
load_sockets (confine_hostpaths_t *hp, confine_error_t *err)
{
  __attribute__ ((cleanup (sockets_free))) socket_list_t l = { 0 };
  cleanup_close int fd = -1;

  if (hp->sockets)
    return 0;
  fd = socket (AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0)
    return confine_make_error (err, errno, "list the host's sockets: sock_diag");
  if (dump_sockets (fd, &l, 0, err) < 0)
    {
      cleanup_free char *text = NULL;
      if ((*err)->status != ENOENT || l.n != 0)
        return confine_error_wrap (err, "list the host's sockets");
      confine_error_release (err);
      if (confine_read_file ("/proc/net/unix", CONFINE_MOUNTINFO_MAX_BYTES, &text, NULL, err) < 0
          || add_proc_sockets (hp, &l, text, 0, NULL, 0, NULL, err) < 0)
        return confine_error_wrap (err, "list the host's sockets");
      hp->sockets_by_name = true;
    }
  /* Matched once here, not for each pattern and directory judged. */
  for (size_t i = 0; i < l.n; i++)
    for (char **pat = hp->policy->mounts_sensitive; *pat && !l.s[i].named; pat++)
      l.s[i].named = has_glob (*pat) && fnmatch (*pat, l.s[i].name, 0) == 0;
  /* Never NULL once read, even with no socket. */
  if (l.s == NULL)
    l.s = confine_xcalloc (1, sizeof (*l.s));
  hp->sockets = steal_pointer (&l.s);
  hp->n_sockets = l.n;
  l.n = 0;
  return 0;
}

/* /proc/PID/net/unix of namespace NS, in *TEXT, through the first of
 * its processes still in it (the /proc/PID directory held open while
 * its namespace is checked and the list read: a pid reused meanwhile
 * names another process). Returns 0 when every process has gone. */
static int
read_netns_unix (const confine_netns_t *ns, char **text, confine_error_t *err)
{
  for (size_t p = 0; p < ns->n_pids; p++)
    {
      char dir[32];
      struct stat st;
      cleanup_close int fd = -1;

      snprintf (dir, sizeof (dir), "/proc/%d", (int) ns->pids[p]);
      if ((fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
          || fstatat (fd, "ns/net", &st, 0) < 0)
        {
          if (errno == ENOENT || errno == ESRCH)
            continue;
          return confine_make_error (err, errno, "read the network namespace of process %d",
                                     (int) ns->pids[p]);
        }
      if (st.st_ino != ns->ino)
        continue;
      if (confine_read_file_at (fd, "net/unix", CONFINE_MOUNTINFO_MAX_BYTES, text, NULL, err) == 0)
        return 1;
      if ((*err)->status != ENOENT && (*err)->status != ESRCH)
        return confine_error_wrap (err, "list the sockets of network namespace net:[%lu]",
                                   (unsigned long) ns->ino);
      confine_error_release (err);
    }
  return 0;
}

/* The sockets of the host's other network namespaces: a socket bound
 * at a path is reached through the filesystem from any namespace, and
 * a host service may listen in one of its own (systemd's
 * PrivateNetwork=, `ip netns exec`, `unshare -n`). Each namespace a
 * process is in is read first through its /proc/PID/net/unix, without
 * entering it: one that lists no socket receiving at a path (most
 * containers') costs nothing more. The others are entered in one child
 * (confine_netns_diag_sockets) and dumped as the gate's own, for each
 * socket file's device and inode; where the kernel has no unix_diag,
 * their lists are read by name, as /proc/net/unix is. A namespace all
 * of whose processes exit while it is read is not listed; any other
 * failure is an error. */
static int
load_other_sockets (confine_hostpaths_t *hp, confine_error_t *err)
{
  __attribute__ ((cleanup (sockets_free))) socket_list_t l = { 0 };
  cleanup_free confine_netns_t *want = NULL;
  cleanup_free int *fds = NULL;
  cleanup_close int mark = -1;
  confine_netns_t *ns = NULL;
  size_t n_ns = 0, n_want = 0;
  struct stat st;
  ino_t self;
  int r = 0;

  if (hp->other_sockets)
    return 0;
  if (load_sockets (hp, err) < 0)
    return -1;
  if (confine_netns_list (&ns, &n_ns, &self, err) < 0)
    return confine_error_wrap (err, "list the host's sockets");
  want = confine_xcalloc (n_ns + 1, sizeof (*want));
  /* A process whose namespace the kernel hides even from root (ns[0]
   * with inode 0): its list of sockets is still readable. It is in the
   * gate's namespace when it lists a socket the gate has just made
   * (socket inodes are unique on the host); otherwise it may have no
   * socket at a path, or the namespace is one the gate cannot enter:
   * refused. */
  if (n_ns > 0 && ns[0].ino == 0
      && ((mark = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 || fstat (mark, &st) < 0))
    r = confine_make_error (err, errno, "make a socket to know the gate's namespace by");
  for (size_t p = 0; n_ns > 0 && ns[0].ino == 0 && p < ns[0].n_pids && r == 0; p++)
    {
      cleanup_free char *text = NULL;
      char file[64];
      size_t seen = 0;
      bool marked = false;
      snprintf (file, sizeof (file), "/proc/%d/net/unix", (int) ns[0].pids[p]);
      if (confine_read_file (file, CONFINE_MOUNTINFO_MAX_BYTES, &text, NULL, err) < 0)
        {
          if ((*err)->status == ENOENT || (*err)->status == ESRCH)
            confine_error_release (err);
          else
            r = -1;
          continue;
        }
      if ((r = add_proc_sockets (hp, NULL, text, 0, &seen, st.st_ino, &marked, err)) == 0
          && !marked && seen > 0)
        r = confine_make_error (err, EACCES, "the network namespace of process %d cannot be "
                                "read, is not the gate's, and has %zu sockets at a path",
                                (int) ns[0].pids[p], seen);
    }
  for (size_t i = 0; i < n_ns && r == 0; i++)
    {
      cleanup_free char *text = NULL;
      size_t seen = 0;
      if (ns[i].ino == 0 || (r = read_netns_unix (&ns[i], &text, err)) <= 0)
        continue;
      r = add_proc_sockets (hp, hp->sockets_by_name ? &l : NULL, text, ns[i].ino, &seen, 0, NULL,
                            err);
      if (seen > 0)
        want[n_want++] = ns[i];
    }
  if (r >= 0 && n_want > 0)
    {
      fds = confine_xcalloc (n_want, sizeof (int));
      r = confine_netns_diag_sockets (want, n_want, fds, err);
      for (size_t i = 0; r == 0 && i < n_want; i++)
        if ((r = dump_sockets (fds[i], &l, want[i].ino, err)) < 0)
          confine_error_wrap (err, "list the sockets of network namespace net:[%lu]",
                              (unsigned long) want[i].ino);
      for (size_t i = 0; i < n_want; i++)
        if (fds[i] >= 0)
          close (fds[i]);
    }
  confine_netns_free (ns, n_ns);
  if (r < 0)
    return confine_error_wrap (err, "list the host's sockets");
  if (l.s == NULL)
    l.s = confine_xcalloc (1, sizeof (*l.s));
  hp->other_sockets = steal_pointer (&l.s);
  hp->n_other_sockets = l.n;
  l.n = 0;
  return 0;
}

/* PATH holds a file matching PATTERN: directly (PATH/<last component>,
 * when the pattern's last component is plain; DIRFD is PATH opened, or -1
 * when PATH is no directory), or at any depth as a listening socket of
 * the host's. The direct check also finds a socket whose listener is in
 * another network namespace, as a rootless engine's is. */
static int
holds_match (confine_hostpaths_t *hp, const char *path, int dirfd, const char *pattern,
             char **which, confine_error_t *err)
{
  const char *last = strrchr (pattern, '/');
  struct stat st;

  if (dirfd >= 0 && last && !has_glob (last + 1) && last[1] != '\0')
    {
      cleanup_free char *child = NULL;
      if (asprintf (&child, "%s%s", strcmp (path, "/") == 0 ? "" : path, last) < 0)
        return confine_make_error (err, ENOMEM, "join path");
      if (fnmatch (pattern, child, 0) == 0)
        {
          if (fstatat (dirfd, last + 1, &st, AT_SYMLINK_NOFOLLOW) == 0)
            {
              *which = steal_pointer (&child);
              return 1;
            }
          if (errno != ENOENT)
            return resolve_error (child, errno, err);
        }
    }
  if (load_sockets (hp, err) < 0)
    return -1;
  for (size_t i = 0; i < hp->n_sockets; i++)
    {
      confine_host_socket_t *s = &hp->sockets[i];
      /* The name as bound must match too: where a pattern's endpoint
       * is bound by the name the pattern knows it by. */
      if (!s->named || fnmatch (pattern, s->name, 0) != 0)
        continue;
      if (place_socket (hp, s, err) < 0)
        return -1;
      if (s->at && confine_path_within (s->at, path) && fnmatch (pattern, s->at, 0) == 0)
        {
          *which = confine_xstrdup (s->at);
          return 1;
        }
    }
  return 0;
}

/* Bytes of directory entries read per getdents64 call in a search. */
/* A socket of DEV whose inode is one of INOS (N of them), or with
 * OTHER none of them, in the directory DFD (taken over), REL below the
 * bind source, or below it on the same filesystem (another filesystem
 * mounted below is judged as its own mount by the live check). BUDGET
 * bounds the entries read. Returns 1 with *FOUND (REL/name) and *INO, 0
 * when none, 2 when the budget ran out. The entries are read on DFD
 * itself (confine_dirents_t): readdir's fdopendir costs three more calls
 * per directory (fstat, two fcntl), a third of a bound root's walk. */
static int
search_inodes (int dfd, const char *rel, unsigned long long mnt, const ino_t *inos, size_t n,
               bool other, size_t *budget, char **found, ino_t *ino, confine_error_t *err)
{
  cleanup_dirents confine_dirents_t d = { .fd = dfd };
  const struct dirent64 *e;

  while ((e = confine_dirents_next (&d)) != NULL)
    {
      cleanup_free char *sub = NULL;
      struct statx st;
      int sfd, r;

      if (strcmp (e->d_name, ".") == 0 || strcmp (e->d_name, "..") == 0)
        continue;
      if (*budget == 0)
        return 2;
      (*budget)--;
      if (e->d_type != DT_DIR && e->d_type != DT_SOCK && e->d_type != DT_UNKNOWN)
        continue;
      if (statx (d.fd, e->d_name, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_INO | STATX_MNT_ID,
                 &st) < 0)
        {
          if (errno == ENOENT)
            continue;
          return confine_make_error (err, errno, "search `%s/%s` for a host socket", rel,
                                     e->d_name);
        }
      /* The same mount, not the same st_dev: btrfs subvolumes below it
       * have devices of their own. */
      if (!(st.stx_mask & STATX_MNT_ID) || st.stx_mnt_id != mnt
          || (!S_ISSOCK (st.stx_mode) && !S_ISDIR (st.stx_mode)))
        continue;
      if (asprintf (&sub, "%s/%s", rel, e->d_name) < 0)
        return confine_make_error (err, ENOMEM, "join path");
      if (S_ISSOCK (st.stx_mode))
        {
          bool listed = false;
          for (size_t i = 0; i < n && !listed; i++)
            listed = inos[i] == st.stx_ino;
          if (listed != other)
            {
              *found = steal_pointer (&sub);
              *ino = st.stx_ino;
              return 1;
            }
          continue;
        }
      sfd = openat (d.fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sfd < 0)
        {
          if (errno == ENOENT)
            continue;
          return confine_make_error (err, errno, "search `%s` for a host socket", sub);
        }
      if ((r = search_inodes (sfd, sub, mnt, inos, n, other, budget, found, ino, err)) != 0)
        return r;
    }
  if (errno != 0)
    return confine_make_error (err, errno, "search `%s` for a host socket", rel);
  return 0;
}

/* *WHICH: socket S, at AT, held by a bind, unless mounts.allowed_sockets
 * lists AT. Returns 1 when held, 0 when allowed. */
static int
held_socket (const confine_hostpaths_t *hp, const confine_host_socket_t *s, const char *at_path,
             char **which, confine_error_t *err)
{
  int r;

  if (confine_strv_match (hp->policy->mounts_allowed_sockets, at_path))
    return 0;
  if (s->netns == 0)
    r = asprintf (which, "`%s` (a socket a host process listens on, which "
                  "mounts.allowed_sockets does not list)", at_path);
  else if (s->outside)
    r = asprintf (which, "`%s` (a socket a host process listens on, from network namespace "
                  "net:[%lu], held by process %d, which is in no running container's "
                  "namespaces; mounts.allowed_sockets does not list it)",
                  at_path, (unsigned long) s->netns, (int) s->outside);
  else
    r = asprintf (which, "`%s` (a socket a host process listens on, from network namespace "
                  "net:[%lu], held by no process the gate can see; mounts.allowed_sockets "
                  "does not list it)", at_path, (unsigned long) s->netns);
  if (r < 0)
    return confine_make_error (err, ENOMEM, "describe socket");
  return 1;
}

/* Which of the other namespaces' sockets on filesystem FS are
 * containers' own (confine_sockets_of_containers), each judged once per
 * evaluation, all in one pass over /proc. A container's socket passes
 * wherever it is, and is neither placed nor searched for: nginx and
 * php-fpm in two containers share /sock/php.sock through a volume. */
static int
classify_sockets (confine_hostpaths_t *hp, dev_t fs, confine_error_t *err)
{
  cleanup_free confine_host_socket_t **todo = NULL;
  cleanup_free ino_t *socks = NULL;
  cleanup_free ino_t *nets = NULL;
  cleanup_free bool *contained = NULL;
  cleanup_free pid_t *outside = NULL;
  size_t n = 0;

  for (size_t i = 0; i < hp->n_other_sockets; i++)
    {
      confine_host_socket_t *s = &hp->other_sockets[i];
      if (s->dev != fs || s->classified)
        continue;
      if (todo == NULL)
        {
          todo = confine_xcalloc (hp->n_other_sockets, sizeof (*todo));
          socks = confine_xcalloc (hp->n_other_sockets, sizeof (*socks));
          nets = confine_xcalloc (hp->n_other_sockets, sizeof (*nets));
        }
      todo[n] = s;
      socks[n] = s->sock;
      nets[n++] = s->netns;
    }
  if (n == 0)
    return 0;
  contained = confine_xcalloc (n, sizeof (*contained));
  outside = confine_xcalloc (n, sizeof (*outside));
  if (confine_sockets_of_containers (socks, nets, n, hp->runtime_root, contained, outside, err)
      < 0)
    return confine_error_wrap (err, "tell containers' sockets from the host's");
  for (size_t i = 0; i < n; i++)
    {
      todo[i]->classified = true;
      todo[i]->contained = contained[i];
      todo[i]->outside = outside[i];
    }
  return 0;
}

/* Whether PATH (resolved; ST its stat, on filesystem FS, mount MNT)
 * may hold a socket of another network namespace: when it is a socket,
 * or holds one at any depth on the same mount, that is none of the gate's
 * namespace's listeners (a stale socket file counts too), or is too
 * large to tell within OTHERS_WALK_ENTRIES. A bind of a directory with
 * no such file, most binds, never pays for listing the namespaces. */
static int
others_needed (confine_hostpaths_t *hp, const char *path, const struct stat *st, dev_t fs,
               unsigned long long mnt, confine_error_t *err)
{
  cleanup_free ino_t *own = confine_xcalloc (hp->n_sockets + 1, sizeof (*own));
  cleanup_free char *found = NULL;
  size_t n = 0, budget = OTHERS_WALK_ENTRIES;
  ino_t ino;
  int fd, r;

  for (size_t i = 0; i < hp->n_sockets; i++)
    if (hp->sockets[i].dev == fs)
      own[n++] = hp->sockets[i].ino;
  if (S_ISSOCK (st->st_mode))
    {
      for (size_t i = 0; i < n; i++)
        if (own[i] == st->st_ino)
          return 0;
      return 1;
    }
  if ((fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
    return resolve_error (path, errno, err);
  r = search_inodes (fd, strcmp (path, "/") == 0 ? "" : path, mnt, own, n, true, &budget, &found,
                     &ino, err);
  return r < 0 ? -1 : r != 0;
}

/* PATH (resolved) is or holds a socket a host process receives on,
 * which mounts.allowed_sockets does not list. Such servers trust their
 * peers by SO_PEERCRED, and a container's root is uid 0 there: root's
 * tmux, screen and ssh-agent, X11, any daemon's control socket. The
 * sockets are those of every network namespace: a path socket is
 * reached through the filesystem from any, and one of another
 * namespace counts unless every process holding it is a container's
 * (classify_sockets). A socket placed at a host path is judged by that
 * path. One no name places (bound in another mount namespace or
 * through a /proc link, or removed) may lie anywhere on its filesystem:
 * when PATH is on it, PATH is searched for the socket's inode,
 * boundedly, and a search that cannot finish refuses. The live check
 * judges each mount the kernel made, submounts included, the same way.
 * *WHICH gets the socket and why it counts. */
static int
holds_listener (confine_hostpaths_t *hp, const char *path, char **which, confine_error_t *err)
{
  cleanup_free ino_t *inos = NULL;
  cleanup_free const confine_host_socket_t **cands = NULL;
  cleanup_free char *rel = NULL;
  const confine_host_socket_t *first = NULL;
  size_t n = 0, budget = MAX_SEARCH_ENTRIES;
  unsigned long long mnt;
  struct stat st;
  ino_t ino = 0;
  dev_t fs;
  int fd, r, others = 0;

  /* Only a directory holds a socket, and a socket is one: a file bind
   * (Docker's hosts, hostname and resolv.conf) costs no dump. A path
   * that does not exist holds nothing yet. */
  if (stat (path, &st) < 0)
    return errno == ENOENT ? 0 : resolve_error (path, errno, err);
  if (!S_ISDIR (st.st_mode) && !S_ISSOCK (st.st_mode))
    return 0;
  if (load_sockets (hp, err) < 0 || filesystem_dev (hp, AT_FDCWD, path, &fs, &mnt, err) < 0
      || (others = others_needed (hp, path, &st, fs, mnt, err)) < 0
      || (others && (load_other_sockets (hp, err) < 0 || classify_sockets (hp, fs, err) < 0)))
    return -1;
  for (int list = 0; list < 1 + others; list++)
    for (size_t i = 0; i < (list ? hp->n_other_sockets : hp->n_sockets); i++)
      {
        confine_host_socket_t *s = list ? &hp->other_sockets[i] : &hp->sockets[i];
        /* A socket on another filesystem lies below PATH only on a mount
         * below it, which the live check judges as a mount of its own. */
        if (s->dev != fs || s->contained)
          continue;
        if (place_socket (hp, s, err) < 0)
          return -1;
        if (s->at)
          {
            if (confine_path_within (s->at, path)
                && (r = held_socket (hp, s, s->at, which, err)) != 0)
              return r;
            continue;
          }
        if (S_ISSOCK (st.st_mode))
          {
            if (s->ino == st.st_ino && (r = held_socket (hp, s, path, which, err)) != 0)
              return r;
            continue;
          }
        if (inos == NULL)
          {
            size_t cap = hp->n_sockets + (others ? hp->n_other_sockets : 0);
            inos = confine_xcalloc (cap, sizeof (*inos));
            cands = confine_xcalloc (cap, sizeof (*cands));
          }
        cands[n] = s;
        inos[n++] = s->ino;
        first = first ? first : s;
      }
  if (n == 0)
    return 0;
  /* A socket found that allowed_sockets lists is struck off and the
   * search starts again, within the same bound. */
  for (;;)
    {
      int held = 0;
      free (rel);
      rel = NULL;
      if ((fd = open (path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return resolve_error (path, errno, err);
      r = search_inodes (fd, strcmp (path, "/") == 0 ? "" : path, mnt, inos, n, false, &budget,
                         &rel, &ino, err);
      if (r <= 0)
        return r < 0 ? confine_error_wrap (err, "host socket `%s`", first->name) : 0;
      if (r == 2)
        break;
      /* Found by its inode: judged at the path where it is. */
      for (size_t i = 0; i < n && held == 0; i++)
        if (inos[i] == ino)
          held = held_socket (hp, cands[i], rel, which, err);
      if (held != 0)
        return held;
      for (size_t i = 0; i < n; i++)
        if (inos[i] == ino)
          {
            n--;
            inos[i] = inos[n];
            cands[i--] = cands[n];
          }
      if (n == 0)
        return 0;
    }
  if (asprintf (which, "`%s` (a socket a host process listens on, inode %lu of device %u:%u, "
                "which no host path by its name leads to: bound in another mount namespace, "
                "through a /proc link, or removed; it may lie anywhere on this filesystem, and "
                "the search below the source for it stopped at the gate's bound of %u entries)",
                first->name, (unsigned long) first->ino, major (first->dev), minor (first->dev),
                MAX_SEARCH_ENTRIES) < 0)
    return confine_make_error (err, ENOMEM, "describe socket");
  return 1;
}

/* PATH is at or below what allowed_subtrees entry A admits. An entry
 * with patterns matches PATH's leading components, as many as it has,
 * with FNM_PATHNAME: `/var/lib/kubelet/pods/{owner}` admits a pod's
 * directory and all below it, never /var/lib/kubelet/pods itself, where
 * every pod's secrets are. OWNER, when not NULL, gets the component of
 * PATH that the entry's `{owner}` matched (the pod's uid), or NULL. */
static bool
allowed_by (const confine_hostpaths_t *hp, size_t a, const char *path, char **owner)
{
  const char *entry = hp->allowed[a], *end = path;
  cleanup_free char *head = NULL;
  int depth = 0;

  if (!has_glob (entry))
    return confine_path_within (path, entry);
  for (const char *c = entry; *c; c++)
    depth += *c == '/';
  for (int d = 0; d < depth; d++)
    {
      if (*end != '/' || end[1] == '\0')
        return false;
      end = strchrnul (end + 1, '/');
    }
  head = confine_xstrndup (path, (size_t) (end - path));
  if (fnmatch (entry, head, FNM_PATHNAME) != 0)
    return false;
  if (owner && hp->owner_at[a] > 0)
    {
      size_t n;
      const char *c = component_from_end (head, hp->owner_at[a], &n);
      *owner = confine_xstrndup (c, n);
    }
  return true;
}

bool
confine_hostpaths_allowed (const confine_hostpaths_t *hp, const char *path)
{
  for (size_t a = 0; hp->allowed[a]; a++)
    if (allowed_by (hp, a, path, NULL))
      return true;
  return false;
}

bool
confine_hostpaths_allowed_whole (const confine_hostpaths_t *hp, const char *path)
{
  for (size_t a = 0; hp->allowed[a]; a++)
    {
      const char *entry = hp->allowed[a];
      int depth = 0;

      if (!has_glob (entry))
        {
          if (strcmp (path, entry) == 0)
            return true;
          continue;
        }
      /* A pattern matches as many leading components as it has. */
      for (const char *c = entry; *c; c++)
        depth += *c == '/';
      for (const char *c = path; *c; c++)
        depth -= *c == '/';
      if (depth == 0 && allowed_by (hp, a, path, NULL))
        return true;
    }
  return false;
}

char *
confine_hostpaths_engine_tree (const confine_hostpaths_t *hp, const char *path)
{
  for (size_t a = 0; hp->allowed[a]; a++)
    {
      const char *entry = hp->allowed[a];
      size_t n = plain_head (entry);
      cleanup_free char *tree = NULL;

      /* The entry's leading plain directories: where its pattern starts. */
      if (entry[n] == '\0')
        tree = confine_xstrdup (entry);
      else
        tree = confine_xstrndup (entry, n > 1 ? n - 1 : 1);
      if (confine_path_within (path, tree) || confine_path_within (tree, path))
        return steal_pointer (&tree);
    }
  return NULL;
}

/* The owners the container belongs to, by what only its engine writes:
 * its bundle is one of mounts.owner_bundles, a directory the engine
 * chooses and no API user names (containerd's task directory of the CRI's
 * namespace, `k8s.io`), and there its spec's annotations listed in
 * mounts.owner_annotations (the CRI's pod uid and sandbox id, which
 * containerd sets after any the pod passes through) name them. None when
 * either is missing. */
static int
container_owners (confine_hostpaths_t *hp, confine_error_t *err)
{
  cleanup_free char *bundle = NULL;
  cleanup_strv char **owners = NULL;
  bool engines = false;
  size_t n = 0;

  if (hp->owners_known)
    return 0;
  owners = confine_xcalloc (hp->n_annotations + 1, sizeof (char *));
  if (hp->bundle && confine_hostpaths_resolve (hp, NULL, hp->bundle, &bundle, err) < 0)
    return confine_error_wrap (err, "bundle `%s`", hp->bundle);
  for (char **b = hp->policy->mounts_owner_bundles; bundle && *b && !engines; b++)
    {
      cleanup_free char *pattern = resolve_pattern (hp, *b, err);
      if (pattern == NULL)
        return confine_error_wrap (err, "policy `mounts.owner_bundles`");
      engines = fnmatch (pattern, bundle, FNM_PATHNAME) == 0;
    }
  for (size_t i = 0; engines && i < hp->n_annotations; i++)
    {
      const confine_annotation_t *an = &hp->annotations[i];
      if (confine_strv_has (hp->policy->mounts_owner_annotations, an->key)
          && plain_component (an->value, strlen (an->value)))
        owners[n++] = confine_xstrdup (an->value);
    }
  hp->owners = steal_pointer (&owners);
  hp->owners_known = true;
  return 0;
}

/* PATH, a bind source inside a sensitive subtree, is admitted by an
 * allowed subtree; one with `{owner}` only when the directory it matched
 * is one of the container's own (container_owners). Returns the entry's
 * index, -1 when none admits it, -2 when its owner is not the
 * container's (*OTHER: the entry as spelled), -3 on error. */
static int
allowed_bind (confine_hostpaths_t *hp, const char *path, const char **other,
              confine_error_t *err)
{
  for (size_t a = 0; hp->allowed[a]; a++)
    {
      cleanup_free char *owner = NULL;
      if (!allowed_by (hp, a, path, &owner))
        continue;
      if (owner == NULL)
        return (int) a;
      if (container_owners (hp, err) < 0)
        return -3;
      if (confine_strv_has (hp->owners, owner))
        return (int) a;
      *other = hp->policy->mounts_allowed_subtrees[a];
      return -2;
    }
  return -1;
}

int
confine_hostpaths_judge (confine_hostpaths_t *hp, const char *path, confine_hostpath_use_t use,
                         bool readonly, confine_hostpath_verdict_t *v, confine_error_t *err)
{
  char *const *spelled = hp->policy->mounts_sensitive;
  char *const *spelled_sub = hp->policy->mounts_sensitive_subtrees;
  char *const *spelled_ro = hp->policy->mounts_readonly_subtrees;
  cleanup_close int dirfd = -1;
  bool opened = false;
  int r;

  *v = (confine_hostpath_verdict_t){ 0 };
  for (size_t s = 0; hp->sensitive[s]; s++)
    {
      if (has_glob (spelled[s]))
        {
          if (!opened)
            {
              /* Only a directory holds anything; PATH's lookup is
               * remembered from resolving it. */
              const lookup_t *l = NULL;
              if ((r = look (hp->lookups, path, (size_t) (strrchr (path, '/') - path), &l)) < 0)
                return r == -ENOMEM ? -1 : resolve_error (path, -r, err);
              if (l->kind == LOOK_DIR
                  && (dirfd = open (path, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)) < 0)
                return resolve_error (path, errno, err);
              opened = true;
            }
          if (fnmatch (spelled[s], path, 0) == 0)
            r = 1;
          else if ((r = holds_match (hp, path, dirfd, spelled[s], &v->socket, err)) < 0)
            return -1;
          if (r == 0)
            continue;
          if (v->socket)
            {
              char *held = v->socket;
              if (asprintf (&v->socket, "`%s` (policy pattern `%s`)", held, spelled[s]) < 0)
                v->socket = NULL;
              free (held);
              if (v->socket == NULL)
                return confine_make_error (err, ENOMEM, "describe socket");
            }
          *v = (confine_hostpath_verdict_t){ "mounts.sensitive", spelled[s],
                                             v->socket ? "holds" : "exposes", v->socket };
          return 1;
        }
      /* Is or contains, in both spellings: /var/run is a link to /run on
       * most hosts, and either must match. */
      if (confine_path_within (hp->sensitive[s], path) || confine_path_within (spelled[s], path))
        {
          *v = (confine_hostpath_verdict_t){ "mounts.sensitive", spelled[s], "exposes", NULL };
          return 1;
        }
    }
  for (size_t s = 0; hp->subtrees[s]; s++)
    {
      bool ok = false;
      if (!confine_path_within (path, hp->subtrees[s])
          && !confine_path_within (path, spelled_sub[s]))
        continue;
      /* An engine's snapshot directory holds every container's root
       * filesystem and its images' layers: a root must be exactly this
       * container's. */
      if (use == CONFINE_HOSTPATH_ROOT)
        {
          bool matched;
          if ((r = engine_snapshot (hp, path, &matched, err)) < 0)
            return -1;
          ok = r == 1;
          if (!ok && matched)
            {
              *v = (confine_hostpath_verdict_t){ "mounts.allowed_roots", spelled_sub[s],
                                                 "is not this container's own snapshot (its "
                                                 "engine's record of the container names "
                                                 "another: an image's layer or another "
                                                 "container's root), inside",
                                                 NULL };
              return 1;
            }
        }
      else if (use == CONFINE_HOSTPATH_SHOWN)
        ok = confine_hostpaths_allowed (hp, path);
      else
        {
          const char *other = NULL;
          int a = allowed_bind (hp, path, &other, err);
          if (a == -3)
            return -1;
          if (a == -2)
            {
              *v = (confine_hostpath_verdict_t){
                hp->owners && hp->owners[0] ? "mounts.owner_annotations" : "mounts.owner_bundles",
                other,
                hp->owners && hp->owners[0]
                    ? "lies in another owner's directory than the container's own (named by "
                      "its engine's annotations), matched by"
                    : "lies in an owner's directory, and the container has no owner its engine "
                      "named (a bundle of mounts.owner_bundles with its annotations), matched by",
                NULL
              };
              return 1;
            }
          ok = a >= 0;
        }
      if (!ok)
        {
          *v = (confine_hostpath_verdict_t){
            use == CONFINE_HOSTPATH_ROOT ? "mounts.allowed_roots" : "mounts.sensitive_subtrees",
            spelled_sub[s], "is inside", NULL
          };
          return 1;
        }
    }
  /* The gate's own paths (add_gate_path), after the lists, whose
   * verdicts say more of what a bind of /etc or /run exposes. */
  for (size_t g = 0; g < hp->n_gate; g++)
    {
      const confine_gate_path_t *gp = &hp->gate[g];
      const char *relation = NULL;
      if (gp->code && readonly)
        continue;
      if (strcmp (path, gp->path) == 0)
        relation = gp->code ? "is writable and is where the runtime the gate runs finds code "
                              "(its PATH, LD_LIBRARY_PATH, LD_PRELOAD or own directory):"
                            : "exposes";
      else if (gp->tree && confine_path_within (path, gp->path))
        relation = gp->code ? "is writable inside where the runtime the gate runs finds "
                              "libraries (its LD_LIBRARY_PATH):"
                            : "is inside";
      else if (gp->search && file_in (path, gp->path))
        relation = "is writable and is a file in where the runtime the gate runs finds "
                   "programs (its PATH or own directory):";
      /* Read-only, a parent of the gate's paths is only read (`/var/log`
       * for log shippers). */
      else if (!readonly && confine_path_within (gp->path, path))
        relation = gp->code ? "is writable and holds where the runtime the gate runs finds "
                              "code (its PATH, LD_LIBRARY_PATH, LD_PRELOAD or own directory):"
                            : "holds";
      if (relation)
        {
          *v = (confine_hostpath_verdict_t){ gp->key, gp->spelled, relation, NULL };
          return 1;
        }
    }
  /* Code the host runs as root (a library, a binary, a unit file) may be
   * shared read-only, as GPU drivers are; writable, it is root on the
   * host. allowed_subtrees are exceptions to sensitive_subtrees only:
   * /etc/localtime resolves to a file in /usr/share/zoneinfo, which a
   * writable bind would rewrite for every host program. A writable bind
   * that holds such a tree writes it too (/var/log holds kubelet's
   * /var/log/pods). */
  for (size_t s = 0; !readonly && hp->readonly[s]; s++)
    {
      bool inside = confine_path_within (path, hp->readonly[s])
                    || confine_path_within (path, spelled_ro[s]);
      if (inside || confine_path_within (hp->readonly[s], path)
          || confine_path_within (spelled_ro[s], path))
        {
          *v = (confine_hostpath_verdict_t){ "mounts.readonly_subtrees", spelled_ro[s],
                                             inside ? "is writable inside" : "is writable and holds",
                                             NULL };
          return 1;
        }
    }
  /* A root filesystem that is an engine's snapshot holds what its
   * image holds, which no host process listens in; judging it would cost
   * every container a dump. Any other root (Podman's `--rootfs DIR`) is
   * a host directory an API user names, judged as a bind source. */
  if (use == CONFINE_HOSTPATH_ROOT)
    {
      bool matched;
      if ((r = engine_snapshot (hp, path, &matched, err)) != 0)
        return r < 0 ? -1 : 0;
    }
  if ((r = holds_listener (hp, path, &v->socket, err)) <= 0)
    return r;
  *v = (confine_hostpath_verdict_t){ "mounts.allowed_sockets", NULL, "holds", v->socket };
  return 1;
}

int
confine_hostpaths_own_snapshot (confine_hostpaths_t *hp, const char *path, confine_error_t *err)
{
  bool matched;
  return engine_snapshot (hp, path, &matched, err);
}
