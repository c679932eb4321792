/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authz.h"
#include "copyup.h"
#include "mounts.h"
#include "../base/base64.h"
#include "../base/utils.h"
#include "../oci/json.h"

/* Binds and mounts one request may ask for (dockerd has no bound; a
 * real create has a handful). */
#define MAX_MOUNTS 4096
/* Path segments of a request-target that the router reads. */
#define MAX_SEGMENTS 64

void
confine_authz_request_clear (confine_authz_request_t *req)
{
  free (req->method);
  free (req->uri);
  free (req->body);
  free (req->content_length);
  memset (req, 0, sizeof (*req));
}

/* dockerd (authorization.Request) marshals the body as base64 and the
 * headers as one string per name, in Go's canonical spelling. */
int
confine_authz_request_parse (const char *buf, size_t len, confine_authz_request_t *out,
                             confine_error_t *err)
{
  cleanup_json confine_json_t *doc = NULL;
  cleanup_free char *body = NULL;
  const confine_json_t *headers = NULL;
  int ret;

  memset (out, 0, sizeof (*out));
  if (confine_json_parse (buf, len, &doc, err) < 0)
    return confine_error_wrap (err, "authorization request");
  if (doc->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error ("(document)", doc, "object", err);
  if (confine_json_string (doc, "RequestMethod", "", &out->method, err) < 0
      || confine_json_string (doc, "RequestUri", "", &out->uri, err) < 0
      || (ret = confine_json_string (doc, "RequestBody", "", &body, err)) < 0)
    goto fail;
  if (out->method == NULL || out->uri == NULL)
    {
      confine_make_error (err, 0, "authorization request without RequestMethod or RequestUri");
      goto fail;
    }
  if (ret > 0)
    {
      size_t blen = strlen (body);
      if (blen > (CONFINE_AUTHZ_MAX_BODY + 2) / 3 * 4)
        {
          confine_make_error (err, EFBIG, "RequestBody of %zu characters, more than dockerd forwards",
                              blen);
          goto fail;
        }
      if (confine_base64_decode (body, blen, &out->body, &out->body_len, err) < 0)
        {
          confine_error_wrap (err, "RequestBody");
          goto fail;
        }
    }
  headers = confine_json_get (doc, "RequestHeaders");
  if (headers && headers->type != CONFINE_JSON_NULL
      && confine_json_string (headers, "Content-Length", "RequestHeaders", &out->content_length,
                              err)
             < 0)
    goto fail;
  return 0;

fail:
  confine_authz_request_clear (out);
  return -1;
}

static int
hex (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = (char) (c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The path of a request-target as Go's net/http and dockerd's router
 * (gorilla/mux) read it: an absolute-form target (`http://h/p`) gives its
 * path, the query is cut, %XX is decoded. Into SEG, the segments as
 * path.Clean leaves them (empty ones and `.` dropped, `..` taking one
 * back): mux redirects a path that is not clean instead of routing it,
 * so only the clean form is ever served. Returns the count. */
static int
segments (const char *uri, char *buf, size_t size, char **seg, size_t max,
          confine_error_t *err)
{
  const char *p = uri;
  size_t n = 0, k = 0;
  int count = 0;

  if (*p != '/')
    {
      const char *s = strstr (p, "://");
      if (s == NULL || s == p || strcspn (p, "/?") < (size_t) (s - p))
        return confine_make_error (err, 0, "request-target `%s` is not a path", uri);
      p = s + 3;
      p += strcspn (p, "/?");
    }
  /* A `#` is part of the path here: net/http's ParseRequestURI keeps it. */
  for (; *p && *p != '?'; p++)
    {
      char c = *p;
      if (c == '%')
        {
          int hi = hex (p[1]), lo = hi < 0 ? -1 : hex (p[2]);
          if (lo < 0)
            return confine_make_error (err, 0, "request-target `%s`: bad escape", uri);
          c = (char) (hi << 4 | lo);
          p += 2;
        }
      if (c == '\0')
        return confine_make_error (err, 0, "request-target `%s`: NUL in the path", uri);
      if (n + 1 >= size)
        return confine_make_error (err, 0, "request-target of %zu bytes, too long", strlen (uri));
      buf[n++] = c;
    }
  buf[n] = '\0';
  /* Split in place; the decoded bytes are what the router compares. */
  for (char *s = buf; k <= n;)
    {
      size_t l = strcspn (s, "/");
      s[l] = '\0';
      if (l == 0 || strcmp (s, ".") == 0)
        ;
      else if (strcmp (s, "..") == 0)
        count -= count > 0;
      else if ((size_t) count >= max)
        return confine_make_error (err, 0, "request-target `%s`: too many segments", uri);
      else
        seg[count++] = s;
      s += l + 1;
      k += l + 1;
    }
  return count;
}

/* Go's versions.LessThan (api/types/versions): dot-separated integers,
 * missing or unreadable parts counting as 0. */
static bool
version_less (const char *v, const char *than)
{
  while (*v || *than)
    {
      long a = strtol (v, NULL, 10), b = strtol (than, NULL, 10);
      if (a != b)
        return a < b;
      v += strcspn (v, ".");
      v += *v == '.';
      than += strcspn (than, ".");
      than += *than == '.';
    }
  return false;
}

static bool
is_version (const char *s)
{
  return s[0] == 'v' && s[1] && strspn (s + 1, "0123456789.") == strlen (s + 1);
}

int
confine_authz_classify (const confine_authz_request_t *req, confine_authz_kind_t *kind,
                        confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  char *seg[MAX_SEGMENTS];
  const char *version = NULL;
  size_t size = strlen (req->uri) + 1;
  int n;
  char **s = seg;

  *kind = CONFINE_AUTHZ_OTHER;
  buf = confine_xmalloc (size);
  if ((n = segments (req->uri, buf, size, seg, MAX_SEGMENTS, err)) < 0)
    return -1;
  /* Every route dockerd has is served with and without `/v{version:[0-9.]+}`. */
  if (n > 0 && is_version (seg[0]))
    {
      version = seg[0] + 1;
      s++;
      n--;
    }
  /* docker cp: `/containers/{name:.*}/archive` (routed for HEAD, GET and
   * PUT) and the old `/containers/{name:.*}/copy` (POST; dockerd 20.10
   * still serves it below API 1.24). Any method is classified: mux
   * compares the method exactly, so another one is never routed and
   * refusing it costs nothing. */
  if (n >= 3 && strcmp (s[0], "containers") == 0
      && (strcmp (s[n - 1], "archive") == 0 || strcmp (s[n - 1], "copy") == 0))
    {
      *kind = CONFINE_AUTHZ_COPY;
      return 0;
    }
  /* mux compares the method exactly; any spelling is judged here. */
  if (strcasecmp (req->method, "POST") != 0 || n < 2)
    return 0;
  if (n == 2 && strcmp (s[0], "containers") == 0 && strcmp (s[1], "create") == 0)
    *kind = CONFINE_AUTHZ_CONTAINER_CREATE;
  else if (n == 2 && strcmp (s[0], "volumes") == 0 && strcmp (s[1], "create") == 0)
    *kind = CONFINE_AUTHZ_VOLUME_CREATE;
  else if (strcmp (s[0], "services") == 0
           && ((n == 2 && strcmp (s[1], "create") == 0) || (n >= 3 && strcmp (s[n - 1], "update") == 0)))
    *kind = CONFINE_AUTHZ_SERVICE;
  /* `/containers/{name:.*}/start`: before API 1.24 its body is a
   * HostConfig that replaces the container's, binds included
   * (daemon/start.go, "kept for backward compatibility"). */
  else if (n >= 3 && strcmp (s[0], "containers") == 0 && strcmp (s[n - 1], "start") == 0
           && version && version_less (version, "1.24"))
    *kind = CONFINE_AUTHZ_CONTAINER_START;
  return 0;
}

const char *
confine_authz_action (confine_authz_kind_t kind)
{
  switch (kind)
    {
    case CONFINE_AUTHZ_CONTAINER_CREATE:
      return "docker-container-create";
    case CONFINE_AUTHZ_CONTAINER_START:
      return "docker-container-start";
    case CONFINE_AUTHZ_VOLUME_CREATE:
      return "docker-volume-create";
    case CONFINE_AUTHZ_SERVICE:
      return "docker-service";
    case CONFINE_AUTHZ_COPY:
      return "docker-container-copy";
    case CONFINE_AUTHZ_OTHER:
      break;
    }
  return "docker-request";
}

/* The host paths a request asks dockerd to mount, as the mounts a spec
 * would carry, and the first reason to refuse that is not a path, with
 * the policy key that decides it. */
typedef struct
{
  const confine_policy_t *policy;
  confine_authz_kind_t kind;
  confine_mount_t *m;
  size_t n, cap;
  char *refusal;
  const char *key;
  confine_copyup_claims_t claims; /* what a copy-up could be raced through (src/copyup.h) */
  char *copyup;                   /* the first copy-up the request alone refuses, judged once
                                   * the mounts rule has passed what it mounts */
} asked_t;

static void
asked_clear (asked_t *a)
{
  for (size_t i = 0; i < a->n; i++)
    {
      free (a->m[i].destination);
      free (a->m[i].type);
      free (a->m[i].source);
      confine_free_strv (a->m[i].options);
    }
  free (a->m);
  free (a->refusal);
  free (a->copyup);
  confine_copyup_claims_clear (&a->claims);
}

static void CONFINE_PRINTF (3, 4)
refuse (asked_t *a, const char *key, const char *fmt, ...)
{
  va_list ap;
  if (a->refusal)
    return;
  a->key = key;
  va_start (ap, fmt);
  a->refusal = confine_xvasprintf (fmt, ap);
  va_end (ap);
}

static int
add_mount (asked_t *a, const char *type, const char *source, const char *dest, char **options,
           confine_error_t *err)
{
  confine_mount_t *m;
  if (confine_append (&a->m, &a->n, &a->cap, sizeof (*a->m), MAX_MOUNTS, err) < 0)
    {
      confine_free_strv (options);
      return confine_error_wrap (err, "mounts asked for");
    }
  m = &a->m[a->n - 1];
  m->type = confine_xstrdup (type);
  m->source = source ? confine_xstrdup (source) : NULL;
  m->destination = confine_xstrdup (dest);
  m->options = options;
  return 0;
}

/* A bind as dockerd hands it to the runtime (daemon/oci_linux.go): rbind
 * (bind when non-recursive), ro or rw, and its propagation, rprivate
 * unless asked. */
static int
add_bind (asked_t *a, const char *source, const char *dest, bool ro, const char *propagation,
          bool recursive, confine_error_t *err)
{
  char **o = confine_xcalloc (4, sizeof (char *));
  o[0] = confine_xstrdup (recursive ? "rbind" : "bind");
  o[1] = confine_xstrdup (ro ? "ro" : "rw");
  o[2] = confine_xstrdup (propagation && *propagation ? propagation : "rprivate");
  return add_mount (a, "bind", source, dest, o, err);
}

static bool
local_driver (const char *name)
{
  return name == NULL || *name == '\0' || strcmp (name, "local") == 0;
}

/* A volume driver other than `local` is a plugin that mounts whatever
 * host path it chooses, at dockerd's request (docker cp included): no
 * path to judge before it is created. */
static void
driver (asked_t *a, const char *name, const char *what)
{
  if (!local_driver (name))
    refuse (a, "rules.mounts", "%s uses the volume driver `%s`, whose plugin mounts a host path of its "
               "choosing that the gate cannot judge before dockerd mounts it",
            what, name);
}

/* The local driver's options (volume/local/local_unix.go): with `type`
 * or `device`, dockerd runs mount(DEVICE, <volume>/_data, TYPE, O) when
 * the volume is first used, `docker cp` included, in its own namespaces.
 * `o=bind` binds the host path DEVICE, judged by the mounts rule. Any
 * other type is not what mounts.allowed_types is about (the runtime's
 * new instance for the container): dockerd's mount of a kernel
 * filesystem is the host's instance (mqueue the host's queues, proc its
 * processes, sysfs its network devices), and a disk is the host's disk.
 * So only a tmpfs (memory the mount makes) passes, or a DEVICE the
 * operator lists in mounts.allowed_volume_devices. */
static int
local_options (asked_t *a, const confine_json_t *opts, const char *path, const char *what,
               bool *mounted, confine_error_t *err)
{
  cleanup_free char *type = NULL, *o = NULL, *device = NULL, *dest = NULL;
  cleanup_strv_list confine_strv_t words = { 0 };

  if (opts == NULL || opts->type == CONFINE_JSON_NULL)
    return 0;
  if (opts->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error (path, opts, "object", err);
  if (confine_json_string (opts, "type", path, &type, err) < 0
      || confine_json_string (opts, "o", path, &o, err) < 0
      || confine_json_string (opts, "device", path, &device, err) < 0)
    return -1;
  if ((type == NULL || *type == '\0') && (device == NULL || *device == '\0'))
    return 0;
  *mounted = true;
  for (char *save = NULL, *w = o ? strtok_r (o, ",", &save) : NULL; w; w = strtok_r (NULL, ",", &save))
    if (confine_strv_add (&words, confine_xstrdup (w), MAX_MOUNTS, err) < 0)
      return confine_error_wrap (err, "%s: options", path);
  if (!confine_strv_has (words.v, "bind") && !confine_strv_has (words.v, "rbind"))
    {
      bool listed = false;
      if (type && strcmp (type, "tmpfs") == 0)
        {
          *mounted = false; /* memory of its own: nothing of the host's to write into */
          return 0;
        }
      if (device && *device
          && confine_mounts_volume_device_allowed (a->policy, device, &listed, err) < 0)
        return -1;
      if (!listed)
        refuse (a, "mounts.allowed_volume_devices",
                "%s is a `%s` filesystem of `%s` that dockerd mounts itself, in the host's "
                "namespaces (a kernel filesystem there is the host's instance): a local volume "
                "may be a tmpfs, a bind the mounts rule allows, or a device listed in "
                "mounts.allowed_volume_devices",
                what, type ? type : "", device ? device : "");
      return 0;
    }
  dest = confine_xasprintf ("%s", what);
  /* A bind's device is a host path; relative, the kernel resolves it from
   * dockerd's working directory, which the judgement cannot know. */
  if (device && *device && *device != '/')
    {
      refuse (a, "rules.mounts",
              "%s binds the relative path `%s`, which dockerd resolves from its own working "
              "directory",
              what, device);
      return 0;
    }
  if (device && confine_copyup_claim_path (&a->claims, device, err) < 0)
    return -1;
  return add_mount (a, type ? type : "", device, dest, confine_strv_steal (&words), err);
}

/* One `HostConfig.Binds` entry, split as dockerd's linux parser splits it
 * (volume/mounts/linux_parser.go): SOURCE:TARGET[:MODE]; an absolute
 * SOURCE is a bind, any other a named volume of the VolumeDriver. */
static int
bind_entry (asked_t *a, const char *spec, confine_error_t *err)
{
  cleanup_free char *copy = confine_xstrdup (spec);
  char *target = strchr (copy, ':'), *mode = NULL;
  const char *propagation = NULL;
  bool ro = false, nocopy = false;

  if (target == NULL)
    return 0; /* an anonymous volume at SPEC */
  *target++ = '\0';
  if ((mode = strchr (target, ':')))
    *mode++ = '\0';
  for (char *save = NULL, *w = mode ? strtok_r (mode, ",", &save) : NULL; w; w = strtok_r (NULL, ",", &save))
    {
      static const char *const modes[]
          = { "private", "rprivate", "slave", "rslave", "shared", "rshared", NULL };
      if (strcmp (w, "ro") == 0)
        ro = true;
      else if (strcmp (w, "nocopy") == 0)
        nocopy = true;
      else if (confine_strv_has ((char *const *) modes, w))
        propagation = w;
    }
  /* A named volume: its driver is judged with VolumeDriver, and dockerd
   * copies the image's content into it unless `nocopy`; not at a legacy
   * start, which registers the mounts again but copies nothing
   * (populateVolumes runs at create only). */
  if (copy[0] != '/' && (nocopy || a->kind == CONFINE_AUTHZ_CONTAINER_START))
    return confine_copyup_claim_volume (&a->claims, copy, err);
  if (copy[0] != '/')
    return confine_copyup_claim_copy (&a->claims, copy, target, err);
  if (confine_copyup_claim_path (&a->claims, copy, err) < 0)
    return -1;
  return add_bind (a, copy, target, ro, propagation, true, err);
}

/* A volume mount's part in a copy-up (src/copyup.h): dockerd copies the
 * image's content at DEST into the volume NAME at create, unless NOCOPY.
 * Into a volume whose options make dockerd mount a host directory or a
 * device (MOUNTED) the image's files land there, setuid programs with
 * their modes, whatever the volume's name; a new anonymous one (no NAME:
 * dockerd picks a random one) is nobody else's. Swarm creates a service's
 * containers itself, with no request the plugin sees, again at every
 * task: a service's copy into a named volume cannot be judged. */
static int
copy_claim (asked_t *a, const char *name, const char *dest, bool nocopy, bool mounted,
            confine_error_t *err)
{
  if (nocopy || a->kind == CONFINE_AUTHZ_CONTAINER_START) /* a legacy start copies nothing */
    return name && *name ? confine_copyup_claim_volume (&a->claims, name, err) : 0;
  if (mounted && a->copyup == NULL)
    a->copyup = confine_xasprintf ("volume %s at %s: dockerd copies the image's %s into it at "
                                   "create, as root, and its options mount a host directory or "
                                   "device there, which would receive the image's files, setuid "
                                   "programs with their modes. Mount it without the copy: "
                                   "`--mount type=volume,...,volume-nocopy`",
                                   name && *name ? name : "(anonymous)", dest, dest);
  else if (name && *name && a->kind == CONFINE_AUTHZ_SERVICE && a->copyup == NULL)
    a->copyup = confine_xasprintf ("volume %s at %s: swarm creates the service's containers "
                                   "without asking the plugin, and each create copies the "
                                   "image's %s into the volume by path, as root, which a "
                                   "container sharing it could turn to a host directory. Mount "
                                   "it without the copy: `--mount "
                                   "type=volume,src=%s,dst=%s,volume-nocopy`",
                                   name, dest, dest, name, dest);
  if (name == NULL || *name == '\0')
    return 0;
  return confine_copyup_claim_copy (&a->claims, name, dest, err);
}

/* One api/types/mount.Mount (HostConfig.Mounts, a service's
 * ContainerSpec.Mounts). */
static int
mount_entry (asked_t *a, const confine_json_t *m, const char *path, confine_error_t *err)
{
  static const char *const fields[] = { "Type", "Source", "Target", "ReadOnly", "BindOptions",
                                        "VolumeOptions", NULL };
  static const char *const bind_fields[] = { "Propagation", "NonRecursive", NULL };
  static const char *const volume_fields[] = { "DriverConfig", "NoCopy", NULL };
  static const char *const driver_fields[] = { "Name", "Options", NULL };
  cleanup_free char *type = NULL, *source = NULL, *target = NULL, *what = NULL;
  bool ro = false;
  int ret;

  if ((ret = confine_json_struct (m, path, fields, false, err)) <= 0)
    return ret < 0 ? -1 : confine_make_error (err, 0, "`%s`: null mount", path);
  if (confine_json_string (m, "Type", path, &type, err) < 0
      || confine_json_string (m, "Source", path, &source, err) < 0
      || confine_json_string (m, "Target", path, &target, err) < 0
      || confine_json_bool (m, "ReadOnly", path, &ro, err) < 0)
    return -1;
  if (type && strcmp (type, "bind") == 0)
    {
      const confine_json_t *bo = confine_json_get (m, "BindOptions");
      cleanup_free char *propagation = NULL;
      bool non_recursive = false;
      confine_jpath_t bp = confine_jpath_key (path, "BindOptions");
      if (confine_json_struct (bo, bp.s, bind_fields, false, err) < 0
          || confine_json_string (bo, "Propagation", bp.s, &propagation, err) < 0
          || confine_json_bool (bo, "NonRecursive", bp.s, &non_recursive, err) < 0)
        return -1;
      if (source == NULL || source[0] != '/')
        return confine_make_error (err, 0, "`%s`: a bind whose Source is not an absolute path",
                                   path);
      if (confine_copyup_claim_path (&a->claims, source, err) < 0)
        return -1;
      return add_bind (a, source, target ? target : "?", ro, propagation, !non_recursive, err);
    }
  if (type && strcmp (type, "volume") == 0)
    {
      const confine_json_t *vo = confine_json_get (m, "VolumeOptions"), *dc = NULL;
      cleanup_free char *name = NULL;
      confine_jpath_t vp = confine_jpath_key (path, "VolumeOptions");
      confine_jpath_t dp = confine_jpath_key (vp.s, "DriverConfig");
      bool nocopy = false, mounted = false;
      if (confine_json_struct (vo, vp.s, volume_fields, false, err) < 0
          || confine_json_bool (vo, "NoCopy", vp.s, &nocopy, err) < 0)
        return -1;
      dc = confine_json_get (vo, "DriverConfig");
      if (confine_json_struct (dc, dp.s, driver_fields, false, err) < 0
          || confine_json_string (dc, "Name", dp.s, &name, err) < 0)
        return -1;
      what = confine_xasprintf ("volume %s at %s", source ? source : "", target ? target : "?");
      driver (a, name, what);
      if (local_options (a, confine_json_get (dc, "Options"), confine_jpath_key (dp.s, "Options").s,
                         what, &mounted, err)
          < 0)
        return -1;
      return copy_claim (a, source, target ? target : "?", nocopy, mounted, err);
    }
  if (type && strcmp (type, "tmpfs") == 0)
    return 0;
  refuse (a, "rules.mounts", "mount `%s` has the type `%s`, which dockerd does not mount on Linux", path,
          type ? type : "");
  return 0;
}

static int
mounts_list (asked_t *a, const confine_json_t *obj, const char *path, confine_error_t *err)
{
  const confine_json_t *arr = NULL;
  confine_jpath_t mp = confine_jpath_key (path, "Mounts");
  if (confine_json_array (obj, "Mounts", path, &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    if (mount_entry (a, arr->values[i], confine_jpath_index (mp.s, i).s, err) < 0)
      return -1;
  return 0;
}

/* A container's HostConfig, or the top level of a create body, whose
 * HostConfig fields dockerd also reads (runconfig's
 * ContainerConfigWrapper embeds a deprecated HostConfig there and merges
 * VolumeDriver from it): both are judged. */
static int
host_config (asked_t *a, const confine_json_t *hc, const char *path, confine_error_t *err)
{
  static const char *const fields[] = { "Binds", "Mounts", "VolumeDriver", "HostConfig", NULL };
  cleanup_strv char **binds = NULL;
  cleanup_free char *volume_driver = NULL;
  int ret;

  if ((ret = confine_json_struct (hc, path, fields, false, err)) <= 0)
    return ret;
  if (confine_json_strv (hc, "Binds", path, &binds, err) < 0
      || confine_json_string (hc, "VolumeDriver", path, &volume_driver, err) < 0)
    return -1;
  /* It is every named and anonymous volume's driver. */
  driver (a, volume_driver, "the container");
  for (char **b = binds; *b; b++)
    if (bind_entry (a, *b, err) < 0)
      return -1;
  return mounts_list (a, hc, path, err);
}

static int
service_spec (asked_t *a, const confine_json_t *doc, confine_error_t *err)
{
  static const char *const top[] = { "TaskTemplate", NULL };
  static const char *const task[] = { "ContainerSpec", NULL };
  static const char *const container[] = { "Mounts", NULL };
  const confine_json_t *t = confine_json_get (doc, "TaskTemplate");
  const confine_json_t *c = confine_json_get (t, "ContainerSpec");

  if (confine_json_struct (doc, "", top, false, err) < 0
      || confine_json_struct (t, "TaskTemplate", task, false, err) < 0
      || confine_json_struct (c, "TaskTemplate/ContainerSpec", container, false, err) < 0)
    return -1;
  return mounts_list (a, c, "TaskTemplate/ContainerSpec", err);
}

static int
volume_create (asked_t *a, const confine_json_t *doc, confine_error_t *err)
{
  static const char *const fields[] = { "Name", "Driver", "DriverOpts", NULL };
  cleanup_free char *name = NULL, *drv = NULL, *what = NULL;
  bool mounted = false;

  if (confine_json_struct (doc, "", fields, false, err) < 0
      || confine_json_string (doc, "Name", "", &name, err) < 0
      || confine_json_string (doc, "Driver", "", &drv, err) < 0)
    return -1;
  what = confine_xasprintf ("volume %s", name ? name : "");
  driver (a, drv, what);
  /* No name: dockerd picks a random one, nobody else's. */
  if (name && *name && confine_copyup_claim_volume (&a->claims, name, err) < 0)
    return -1;
  return local_options (a, confine_json_get (doc, "DriverOpts"), "DriverOpts", what, &mounted, err);
}

/* What REQ asks dockerd to mount. */
static int
asked (const confine_authz_request_t *req, confine_authz_kind_t kind, asked_t *a,
       confine_error_t *err)
{
  cleanup_json confine_json_t *doc = NULL;

  if (kind == CONFINE_AUTHZ_COPY)
    {
      if (!a->policy->authz_copy_allow)
        refuse (a, "authz.copy",
                "docker cp (%s %s): dockerd re-mounts the container's volumes and binds by "
                "path below its root in its own mount namespace, following links a running "
                "container may have planted (another volume mounted over a host directory, "
                "the host's / propagated into a running container); copy with `docker exec` "
                "instead",
                req->method, req->uri);
      return 0;
    }
  if (kind == CONFINE_AUTHZ_CONTAINER_START && req->body == NULL)
    {
      /* dockerd reads a start body only past 7 bytes; net/http drops the
       * header of a chunked one, which dockerd reads too. */
      uint64_t cl = 0;
      if (req->content_length && confine_parse_u64 (req->content_length, 7, &cl) == 0)
        return 0;
    }
  if (req->body == NULL)
    return confine_make_error (err, 0, "dockerd did not forward the body of %s %s (it forwards "
                                       "only application/json bodies under %u bytes with a "
                                       "Content-Length): cannot judge its mounts",
                               req->method, req->uri, CONFINE_AUTHZ_MAX_BODY);
  if (confine_json_parse ((const char *) req->body, req->body_len, &doc, err) < 0)
    return confine_error_wrap (err, "body of %s %s", req->method, req->uri);
  if (doc->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error ("body", doc, "object", err);
  switch (kind)
    {
    case CONFINE_AUTHZ_CONTAINER_CREATE:
      if (host_config (a, doc, "", err) < 0)
        return -1;
      return host_config (a, confine_json_get (doc, "HostConfig"), "HostConfig", err);
    case CONFINE_AUTHZ_CONTAINER_START:
      return host_config (a, doc, "", err);
    case CONFINE_AUTHZ_VOLUME_CREATE:
      return volume_create (a, doc, err);
    case CONFINE_AUTHZ_SERVICE:
      return service_spec (a, doc, err);
    case CONFINE_AUTHZ_COPY:
    case CONFINE_AUTHZ_OTHER:
      break;
    }
  return 0;
}

int
confine_authz_judge (const confine_policy_t *policy, const confine_authz_request_t *req,
                     confine_authz_kind_t kind, confine_copyup_flights_t *flights,
                     confine_copyup_claims_t *claims, confine_verdict_t *v, confine_error_t *err)
{
  confine_context_t ctx = { .policy = policy };
  confine_spec_t spec = { 0 };
  confine_subject_t subject = { &spec, NULL, NULL };
  confine_rule_result_t *r = &v->results[CONFINE_RULE_MOUNTS];
  asked_t a = { .policy = policy, .kind = kind };
  int ret;

  memset (v, 0, sizeof (*v));
  if ((ret = asked (req, kind, &a, err)) < 0)
    {
      asked_clear (&a);
      return ret;
    }
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      v->results[i].severity = policy->severity[i];
      v->results[i].exemption = -1;
      if (i != CONFINE_RULE_MOUNTS)
        confine_result_set (&v->results[i], CONFINE_RESULT_SKIP, NULL,
                            "a Docker API request is judged by the mounts rule only");
    }
  spec.mounts = a.m;
  spec.n_mounts = a.n;
  if (a.refusal)
    confine_result_set (r, CONFINE_RESULT_FAIL, a.key, "%s", a.refusal);
  else
    {
      cleanup_error confine_error_t e = NULL;
      if (confine_rule_mounts (&ctx, &subject, r, &e) < 0)
        confine_result_from_error (r, "mounts", "cannot evaluate", &e);
    }
  /* What the mounts rule passed, dockerd may still copy an image into
   * (src/copyup.h); a service's copies were judged above, its containers
   * are swarm's. */
  if (r->kind == CONFINE_RESULT_PASS && a.copyup)
    confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts", "%s", a.copyup);
  else if (r->kind == CONFINE_RESULT_PASS && kind != CONFINE_AUTHZ_SERVICE
           && !confine_copyup_claims_empty (&a.claims))
    {
      cleanup_free char *why = NULL;
      if (confine_copyup_judge (policy, req->peer, &a.claims, flights, &why, err) < 0)
        {
          confine_verdict_clear (v);
          asked_clear (&a);
          return -1;
        }
      if (why)
        confine_result_set (r, CONFINE_RESULT_FAIL, "rules.mounts", "%s", why);
    }
  confine_verdict_finish (&ctx, v);
  if (claims)
    {
      *claims = a.claims;
      memset (&a.claims, 0, sizeof (a.claims));
    }
  asked_clear (&a);
  return 0;
}
