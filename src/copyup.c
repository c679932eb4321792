/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copyup.h"
#include "hostpath.h"
#include "mounts.h"
#include "sha256.h"
#include "../base/file.h"
#include "../base/utils.h"
#include "../oci/json.h"

/* Names and paths one request may claim (dockerd has no bound; a real
 * create has a handful). */
#define MAX_CLAIMS 4096
/* Requests allowed and unanswered at once: dockerd serves a few dozen
 * concurrently at most; more is refused, never forgotten. */
#define MAX_FLIGHTS 1024
/* dockerd's files read here: a container's config.v2.json (its
 * MountPoints, labels, environment) and a local volume's opts.json. */
#define MAX_CONFIG (8u << 20)
#define MAX_OPTS (64u << 10)

void
confine_copyup_claims_clear (confine_copyup_claims_t *c)
{
  confine_strv_clear (&c->volumes);
  confine_strv_clear (&c->copies);
  confine_strv_clear (&c->paths);
  confine_strv_clear (&c->data);
}

bool
confine_copyup_claims_empty (const confine_copyup_claims_t *c)
{
  return c->volumes.n == 0 && c->copies.n == 0 && c->paths.n == 0;
}

int
confine_copyup_claim_volume (confine_copyup_claims_t *c, const char *name, confine_error_t *err)
{
  return confine_strv_add (&c->volumes, confine_xstrdup (name), MAX_CLAIMS, err);
}

int
confine_copyup_claim_copy (confine_copyup_claims_t *c, const char *name, const char *dest,
                           confine_error_t *err)
{
  if (confine_copyup_claim_volume (c, name, err) < 0)
    return -1;
  return confine_strv_add (&c->copies, confine_xasprintf ("%s\t%s", name, dest), MAX_CLAIMS, err);
}

int
confine_copyup_claim_path (confine_copyup_claims_t *c, const char *path, confine_error_t *err)
{
  return confine_strv_add (&c->paths, confine_xstrdup (path), MAX_CLAIMS, err);
}

typedef struct
{
  unsigned char key[32];
  confine_copyup_claims_t c;
  int pidfd;
} flight_t;

struct confine_copyup_flights
{
  flight_t *v;
  size_t n, cap;
};

confine_copyup_flights_t *
confine_copyup_flights_new (void)
{
  return confine_xcalloc (1, sizeof (confine_copyup_flights_t));
}

static void
flight_end (confine_copyup_flights_t *f, size_t i)
{
  confine_copyup_claims_clear (&f->v[i].c);
  if (f->v[i].pidfd >= 0)
    close (f->v[i].pidfd);
  f->v[i] = f->v[--f->n];
}

void
confine_copyup_flights_free (confine_copyup_flights_t *f)
{
  if (f == NULL)
    return;
  while (f->n > 0)
    flight_end (f, 0);
  free (f->v);
  free (f);
}

size_t
confine_copyup_flights_count (const confine_copyup_flights_t *f)
{
  return f->n;
}

int
confine_copyup_flights_add (confine_copyup_flights_t *f, const unsigned char key[32],
                            confine_copyup_claims_t *c, int pidfd, confine_error_t *err)
{
  flight_t *fl;
  if (confine_append (&f->v, &f->n, &f->cap, sizeof (*f->v), MAX_FLIGHTS, err) < 0)
    {
      if (pidfd >= 0)
        close (pidfd);
      return confine_error_wrap (err, "requests naming volumes that dockerd has not answered");
    }
  fl = &f->v[f->n - 1];
  memcpy (fl->key, key, 32);
  fl->c = *c;
  fl->pidfd = pidfd;
  memset (c, 0, sizeof (*c));
  return 0;
}

bool
confine_copyup_flights_release (confine_copyup_flights_t *f, const unsigned char key[32])
{
  for (size_t i = 0; i < f->n; i++)
    if (memcmp (f->v[i].key, key, 32) == 0)
      {
        flight_end (f, i);
        return true;
      }
  return false;
}

/* A flight whose dockerd has ended will get no AuthZRes: its request
 * ended with that process, copy included. */
static void
prune (confine_copyup_flights_t *f)
{
  for (size_t i = 0; i < f->n;)
    {
      struct pollfd p = { .fd = f->v[i].pidfd, .events = POLLIN };
      if (f->v[i].pidfd >= 0 && poll (&p, 1, 0) > 0)
        flight_end (f, i);
      else
        i++;
    }
}

void
confine_copyup_key (const char *method, const char *uri, const unsigned char *body,
                    size_t body_len, unsigned char key[32])
{
  confine_sha256_t s;
  confine_sha256_init (&s);
  confine_sha256_update (&s, method, strlen (method) + 1);
  confine_sha256_update (&s, uri, strlen (uri) + 1);
  if (body)
    confine_sha256_update (&s, body, body_len);
  confine_sha256_final (&s, key);
}

static bool
overlaps (const char *a, const char *b)
{
  return confine_path_within (a, b) || confine_path_within (b, a);
}

/* C mounts or creates the volume NAME, or binds a path that holds its
 * data directory DATA or lies in it. */
static bool
reaches (const confine_copyup_claims_t *c, const char *name, const char *data)
{
  if (c->volumes.v && confine_strv_has (c->volumes.v, name))
    return true;
  for (size_t i = 0; i < c->paths.n; i++)
    if (overlaps (c->paths.v[i], data))
      return true;
  return false;
}

/* A copy entry's name and destination. */
static void
split_copy (const char *entry, char **name, const char **dest)
{
  const char *tab = strchr (entry, '\t');
  *name = confine_xstrndup (entry, (size_t) (tab - entry));
  *dest = tab + 1;
}

/* The local driver's names (daemon/names RestrictedNamePattern): what
 * dockerd accepts, and one path component. */
static bool
volume_name_ok (const char *name)
{
  static const char first[]
      = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  size_t n = strlen (name);
  return n >= 2 && strchr (first, name[0])
         && strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

/* The local driver's record of NAME's mount (volume/local: opts.json,
 * written at create when the volume has options): its type, options and
 * device, each NULL when the volume has none. */
static int
volume_opts (int rootfd, const char *name, char **type, char **o, char **device,
             confine_error_t *err)
{
  cleanup_free char *path = confine_xasprintf ("volumes/%s/opts.json", name);
  cleanup_free char *buf = NULL;
  cleanup_json confine_json_t *doc = NULL;
  size_t len = 0;

  *type = *o = *device = NULL;
  if (confine_read_file_at (rootfd, path, MAX_OPTS, &buf, &len, err) < 0)
    {
      if ((*err)->status != ENOENT)
        return -1;
      confine_error_release (err);
      return 0;
    }
  if (confine_json_parse (buf, len, &doc, err) < 0
      || confine_json_string (doc, "MountType", path, type, err) < 0
      || confine_json_string (doc, "MountOpts", path, o, err) < 0
      || confine_json_string (doc, "MountDevice", path, device, err) < 0)
    return confine_error_wrap (err, "dockerd's `%s`", path);
  return 0;
}

/* Whether the words of the local driver's `o` ask for a bind. */
static bool
binds (const char *o)
{
  cleanup_free char *copy = confine_xstrdup (o ? o : "");
  for (char *save = NULL, *w = strtok_r (copy, ",", &save); w; w = strtok_r (NULL, ",", &save))
    if (strcmp (w, "bind") == 0 || strcmp (w, "rbind") == 0)
      return true;
  return false;
}

/* PATH as written and, unless it is dockerd's own path for a local
 * volume (LOCAL: DATA_ROOT/volumes/NAME/_data, made by dockerd, only
 * root's), as the kernel resolves it now, against DATA. */
static int
path_overlaps (const char *path, const char *data, bool local, bool *out, confine_error_t *err)
{
  cleanup_free char *r = NULL;
  *out = overlaps (path, data);
  if (*out || local || path[0] != '/')
    return 0;
  if (confine_hostpath_resolve (NULL, path, &r, err) < 0)
    return -1;
  *out = overlaps (r, data);
  return 0;
}

/* The containers dockerd has on disk (any state; created before the
 * plugin too): does one of them mount NAME, or bind a path that holds
 * DATA or lies in it, directly or through a local volume's bind? *WHO
 * gets which. */
static int
containers_reaching (int rootfd, const char *name, const char *data, char **who,
                     confine_error_t *err)
{
  static const char *const keep[] = { "MountPoints", NULL };
  cleanup_dirents confine_dirents_t d = { .fd = -1 };
  struct dirent64 *e;

  *who = NULL;
  d.fd = openat (rootfd, "containers", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (d.fd < 0)
    return confine_make_error (err, errno, "open dockerd's `containers` directory");
  while ((errno = 0, e = confine_dirents_next (&d)))
    {
      cleanup_free char *path = NULL, *buf = NULL;
      cleanup_json confine_json_t *doc = NULL;
      const confine_json_t *mps = NULL;
      size_t len = 0;

      if (e->d_name[0] == '.')
        continue;
      path = confine_xasprintf ("%s/config.v2.json", e->d_name);
      if (confine_read_file_at (d.fd, path, MAX_CONFIG, &buf, &len, err) < 0)
        {
          /* Removed meanwhile, or being created: a create the plugin
           * allowed is among the flights until dockerd answers it. */
          if ((*err)->status != ENOENT)
            return confine_error_wrap (err, "dockerd's container %s", e->d_name);
          confine_error_release (err);
          continue;
        }
      if (confine_json_parse_kept (buf, len, keep, &doc, err) < 0)
        return confine_error_wrap (err, "dockerd's `containers/%s`", path);
      mps = confine_json_get (doc, "MountPoints");
      if (mps && mps->type != CONFINE_JSON_OBJECT && mps->type != CONFINE_JSON_NULL)
        return confine_json_type_error (path, mps, "object", err);
      for (size_t i = 0; mps && mps->type == CONFINE_JSON_OBJECT && i < mps->len; i++)
        {
          const confine_json_t *mp = mps->values[i];
          cleanup_free char *mname = NULL, *source = NULL, *type = NULL, *driver = NULL;
          cleanup_free char *vtype = NULL, *vo = NULL, *vdevice = NULL;
          bool hit = false, local = false;

          if (confine_json_string (mp, "Name", path, &mname, err) < 0
              || confine_json_string (mp, "Source", path, &source, err) < 0
              || confine_json_string (mp, "Type", path, &type, err) < 0
              || confine_json_string (mp, "Driver", path, &driver, err) < 0)
            return -1;
          if (mname && strcmp (mname, name) == 0 && !(type && strcmp (type, "bind") == 0))
            {
              *who = confine_xasprintf ("container %.12s mounts it at %s", e->d_name,
                                        mps->keys[i]);
              return 0;
            }
          /* A volume; before Docker 1.13 a mount point had no Type, and a
           * name only when it was a volume. */
          local = ((type && strcmp (type, "volume") == 0)
                   || ((type == NULL || *type == '\0') && mname && *mname))
                  && (driver == NULL || *driver == '\0' || strcmp (driver, "local") == 0);
          if (source && *source && path_overlaps (source, data, local, &hit, err) < 0)
            return confine_error_wrap (err, "container %.12s's mount at %s", e->d_name,
                                       mps->keys[i]);
          /* Another local volume that binds a host directory: what
           * the container writes is that directory. */
          if (!hit && local && mname && volume_name_ok (mname))
            {
              if (volume_opts (rootfd, mname, &vtype, &vo, &vdevice, err) < 0)
                return -1;
              if (vdevice && *vdevice && binds (vo)
                  && path_overlaps (vdevice, data, false, &hit, err) < 0)
                return confine_error_wrap (err, "volume %s's device", mname);
            }
          if (hit)
            {
              *who = confine_xasprintf ("container %.12s's mount at %s (`%s`) reaches its data",
                                        e->d_name, mps->keys[i], vdevice ? vdevice : source);
              return 0;
            }
        }
    }
  if (errno != 0)
    return confine_make_error (err, errno, "read dockerd's `containers` directory");
  return 0;
}

/* Why a copy into NAME at DEST is refused, or NULL; DATA is where it
 * lands. */
static int
judge_copy (int rootfd, const char *root, const char *name, const char *dest, const char *data,
            confine_copyup_flights_t *f, char **why, confine_error_t *err)
{
  cleanup_free char *type = NULL, *o = NULL, *device = NULL, *who = NULL;
  cleanup_free char *reason = NULL;

  *why = NULL;
  if (volume_opts (rootfd, name, &type, &o, &device, err) < 0)
    return -1;
  if (binds (o))
    reason = confine_xasprintf ("it binds the host directory `%s`, where the image's files would "
                                "be written, setuid programs with their modes",
                                device ? device : "");
  else if ((type && *type && strcmp (type, "tmpfs") != 0) || (device && *device && !type))
    reason = confine_xasprintf ("it is a `%s` filesystem of `%s` that dockerd mounts itself",
                                type ? type : "", device ? device : "");
  else if (faccessat (rootfd, "swarm/docker-state.json", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
    reason = confine_xasprintf ("dockerd is in swarm mode (`%s/swarm/docker-state.json`), where "
                                "services start containers with any volume without asking the "
                                "plugin",
                                root);
  else
    {
      for (size_t i = 0; f && i < f->n && !reason; i++)
        if (reaches (&f->v[i].c, name, data))
          reason = confine_xstrdup ("another request naming it is in flight (its container is "
                                    "not on disk yet and could write into it during the copy); "
                                    "retry when it has returned");
      if (!reason && containers_reaching (rootfd, name, data, &who, err) < 0)
        return -1;
      /* What the kernel mounted, in every mount namespace: a container
       * (of any engine) holding the volume's data through a bind whose
       * path has since been made to lead elsewhere. */
      if (!reason && !who && confine_mounts_held_anywhere (data, &who, err) < 0)
        return confine_error_wrap (err, "who has `%s` mounted", data);
      if (!reason && who)
        reason = confine_xasprintf ("%s, which could write into it during the copy", who);
    }
  if (reason)
    *why = confine_xasprintf (
        "volume %s at %s: dockerd copies the image's %s into it at create, by path, as root, "
        "following links; %s. Mount it without the copy: `-v %s:%s:nocopy`, or `--mount "
        "type=volume,src=%s,dst=%s,volume-nocopy`",
        name, dest, dest, reason, name, dest, name, dest);
  return 0;
}

/* What we read must be the data root of the dockerd that asked, or a
 * misconfigured authz.docker_root (a stale /var/lib/docker beside a
 * dockerd with another data-root) would show no container and allow
 * every copy. dockerd keeps its volume store, DATA_ROOT/volumes/
 * metadata.db (bolt), open for its lifetime; PEER is waiting for our
 * answer, so its pid is still its own. */
static int
root_is_peers (int rootfd, const char *root, pid_t peer, confine_error_t *err)
{
  cleanup_dirents confine_dirents_t d = { .fd = -1 };
  struct dirent64 *e;
  struct stat db, st;
  char dir[64];

  if (peer < 0)
    return confine_make_error (err, 0, "cannot tell which process asked (SO_PEERCRED)");
  if (fstatat (rootfd, "volumes/metadata.db", &db, AT_SYMLINK_NOFOLLOW) < 0)
    return confine_make_error (err, errno, "`%s/volumes/metadata.db`", root);
  snprintf (dir, sizeof (dir), "/proc/%d/fd", (int) peer);
  d.fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd < 0)
    return confine_make_error (err, errno, "open `%s`", dir);
  while ((e = confine_dirents_next (&d)))
    if (e->d_name[0] != '.' && fstatat (d.fd, e->d_name, &st, 0) == 0 && st.st_dev == db.st_dev
        && st.st_ino == db.st_ino)
      return 0;
  return confine_make_error (err, 0,
                             "`%s` is not the data root of the dockerd that asked (pid %d has no "
                             "`volumes/metadata.db` of it open)",
                             root, (int) peer);
}

int
confine_copyup_judge (const confine_policy_t *policy, pid_t peer, confine_copyup_claims_t *c,
                      confine_copyup_flights_t *f, char **why, confine_error_t *err)
{
  cleanup_close int rootfd = -1;
  cleanup_free char *root = NULL;
  size_t n = c->paths.n;

  *why = NULL;
  /* A bind's source as the kernel resolves it now, beside its words. */
  for (size_t i = 0; i < n; i++)
    {
      char *r = NULL;
      if (c->paths.v[i][0] != '/')
        continue;
      if (confine_hostpath_resolve (NULL, c->paths.v[i], &r, err) < 0)
        return confine_error_wrap (err, "host path `%s`", c->paths.v[i]);
      if (confine_strv_add (&c->paths, r, MAX_CLAIMS * 2, err) < 0)
        return -1;
    }
  if (f)
    prune (f);
  /* Joining a volume while a create copies into it (a copy the rule did
   * not judge, with the mounts rule off or its refusal only audited, has
   * no data directory: nothing to hold). */
  for (size_t i = 0; f && i < f->n; i++)
    for (size_t k = 0; k < f->v[i].c.copies.n && k < f->v[i].c.data.n; k++)
      {
        cleanup_free char *name = NULL;
        const char *dest = NULL;
        split_copy (f->v[i].c.copies.v[k], &name, &dest);
        if (reaches (c, name, f->v[i].c.data.v[k]))
          {
            *why = confine_xasprintf (
                "volume %s is being initialised from an image by a create dockerd has not "
                "answered yet (it copies by path, as root, following links): a container "
                "joining it now could turn the copy to a host directory; retry when that "
                "create has returned",
                name);
            return 0;
          }
      }
  if (c->copies.n == 0)
    return 0;
  if (confine_open_trusted_path (policy->authz_docker_root,
                                 O_RDONLY | O_DIRECTORY | O_CLOEXEC, &rootfd, err)
          < 0
      || confine_hostpath_resolve (NULL, policy->authz_docker_root, &root, err) < 0
      || (peer != 0 && root_is_peers (rootfd, root, peer, err) < 0))
    return confine_error_wrap (err, "dockerd's data root (authz.docker_root), where the "
                                    "volumes a create copies into are judged");
  for (size_t k = 0; k < c->copies.n && *why == NULL; k++)
    {
      cleanup_free char *name = NULL;
      const char *dest = NULL;
      char *data = NULL;

      split_copy (c->copies.v[k], &name, &dest);
      if (!volume_name_ok (name))
        {
          *why = confine_xasprintf ("volume `%s` at %s: not a name of the local driver, whose "
                                    "data the copy-up's judgement reads",
                                    name, dest);
          break;
        }
      data = confine_xasprintf ("%s/volumes/%s/_data", root, name);
      if (confine_strv_add (&c->data, data, MAX_CLAIMS, err) < 0
          || judge_copy (rootfd, root, name, dest, data, f, why, err) < 0)
        return -1;
    }
  return 0;
}
