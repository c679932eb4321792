/* SPDX-License-Identifier: Apache-2.0 */
/* Reading OCI documents as runc reads them.
 *
 * runc decodes config.json with Go's encoding/json into typed structs.
 * Where Go and a naive C reader would see different documents, we refuse:
 *  - duplicate keys: Go keeps the last (json.c refuses any duplicate);
 *  - key matching: Go matches struct fields case-insensitively, with
 *    Unicode folding (`ApparmorProfile`, `proceſs`). A key that is not the
 *    exact field name but folds to one is refused as ambiguous;
 *  - null: Go leaves the field at its zero value, so null reads as absent;
 *  - strings with NUL: refused in json.c;
 *  - numbers and types: Go refuses a wrong type, a fraction, an exponent or
 *    an out-of-range number for an integer field, and so do we;
 *  - unknown keys that fold to no field: Go ignores them, and so do we.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec.h"
#include "fields.h"
#include "../base/utils.h"

const char *const confine_cap_set_names[CONFINE_CAP_SETS] = {
  "bounding", "effective", "inheritable", "permitted", "ambient",
};
/* The JSON names of the stages, in confine_hook_stage order. */
const char *const confine_hook_stage_names[CONFINE_HOOK_STAGES] = {
  "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* Field lists per Go struct (runtime-spec specs-go/config.go). Only the
 * structs we read need them, but each lists every field of the struct we
 * care about, because a folded key aimed at any of them is ambiguous. */
static const char *const spec_fields[]
    = { "ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks",
        "annotations", "linux", NULL };
static const char *const process_fields[]
    = { "terminal", "consoleSize", "user", "args", "commandLine", "env", "cwd", "capabilities",
        "rlimits", "noNewPrivileges", "apparmorProfile", "oomScoreAdj", "selinuxLabel", NULL };
static const char *const rlimit_fields[] = { "type", "hard", "soft", NULL };
static const char *const caps_fields[]
    = { "bounding", "effective", "inheritable", "permitted", "ambient", NULL };
static const char *const user_fields[]
    = { "uid", "gid", "umask", "additionalGids", "username", NULL };
static const char *const mount_fields[]
    = { "destination", "type", "source", "options", "uidMappings", "gidMappings", NULL };
static const char *const hooks_fields[]
    = { "prestart", "createRuntime", "createContainer", "startContainer", "poststart",
        "poststop", NULL };
static const char *const hook_fields[] = { "path", "args", "env", "timeout", NULL };
static const char *const root_fields[] = { "path", "readonly", NULL };
static const char *const device_fields[]
    = { "path", "type", "major", "minor", "fileMode", "uid", "gid", NULL };
static const char *const linux_fields[]
    = { "uidMappings", "gidMappings", "sysctl", "resources", "cgroupsPath", "namespaces",
        "devices", "seccomp", "rootfsPropagation", "maskedPaths", "readonlyPaths",
        "mountLabel", "intelRdt", "personality", "timeOffsets", "netDevices", NULL };
static const char *const ns_fields[] = { "type", "path", NULL };
static const char *const mapping_fields[] = { "containerID", "hostID", "size", NULL };
static const char *const resources_fields[]
    = { "devices", "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma",
        "unified", NULL };
static const char *const device_rule_fields[]
    = { "allow", "type", "major", "minor", "access", NULL };
static const char *const seccomp_fields[]
    = { "defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath",
        "listenerMetadata", "syscalls", NULL };
static const char *const syscall_fields[] = { "names", "action", "errnoRet", "args", NULL };
static const char *const arg_fields[] = { "index", "value", "valueTwo", "op", NULL };
static const char *const state_fields[]
    = { "ociVersion", "id", "status", "pid", "bundle", "annotations", NULL };

/* process.rlimits, which runc sets with setrlimit while its init (or
 * exec's setns process) still holds every capability, so a limit may
 * exceed the engine's own: of them the rule judges RLIMIT_RTPRIO, the
 * highest of its hard and soft values (a soft limit can be raised to
 * the hard one). runc takes each type's name as written (strToRlimit)
 * and sets the entries in order; every entry must decode as runc's Go
 * struct would, or the spec is refused. */
static int
parse_rlimits (const confine_json_t *n, const char *path, confine_process_t *p,
               confine_error_t *err)
{
  confine_jpath_t rpath = confine_jpath_key (path, "rlimits");
  const confine_json_t *arr;

  if (confine_json_array (n, "rlimits", path, &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t ep = confine_jpath_index (rpath.s, i);
      const confine_json_t *e = arr->values[i];
      cleanup_free char *type = NULL;
      uint64_t hard = 0, soft = 0;

      if (confine_json_struct (e, ep.s, rlimit_fields, false, err) < 0
          || confine_json_string (e, "type", ep.s, &type, err) < 0
          || confine_json_u64 (e, "hard", ep.s, UINT64_MAX, &hard, err) < 0
          || confine_json_u64 (e, "soft", ep.s, UINT64_MAX, &soft, err) < 0)
        return -1;
      if (type && strcmp (type, "RLIMIT_RTPRIO") == 0)
        {
          uint64_t v = hard > soft ? hard : soft;
          if (!p->has_rtprio || v > p->rtprio)
            p->rtprio = v;
          p->has_rtprio = true;
        }
    }
  return 0;
}

static int
parse_process (const confine_json_t *n, const char *path, confine_process_t *p,
               confine_error_t *err)
{
  const confine_json_t *caps;
  confine_jpath_t cpath = confine_jpath_key (path, "capabilities");
  int r = confine_json_struct (n, path, process_fields, false, err);

  if (r <= 0)
    return r;
  p->present = true;
  if (confine_json_string (n, "cwd", path, &p->cwd, err) < 0
      || confine_json_string (n, "apparmorProfile", path, &p->apparmor_profile, err) < 0
      || confine_json_bool (n, "noNewPrivileges", path, &p->no_new_privileges, err) < 0
      || (r = confine_json_i64 (n, "oomScoreAdj", path, &p->oom_score_adj, err)) < 0)
    return -1;
  p->has_oom_score_adj = r > 0;
  if (parse_rlimits (n, path, p, err) < 0)
    return -1;
  {
    const confine_json_t *user = confine_json_get (n, "user");
    confine_jpath_t upath = confine_jpath_key (path, "user");
    if ((r = confine_json_struct (user, upath.s, user_fields, false, err)) < 0
        || (r > 0 && (r = confine_json_i64 (user, "uid", upath.s, &p->uid, err)) < 0))
      return -1;
    p->has_uid = r > 0;
  }
  if (p->apparmor_profile && p->apparmor_profile[0] == '\0')
    {
      /* runc applies no profile for "", exactly as for an absent key. */
      free (p->apparmor_profile);
      p->apparmor_profile = NULL;
    }
  caps = confine_json_get (n, "capabilities");
  r = confine_json_struct (caps, cpath.s, caps_fields, false, err);
  if (r < 0)
    return r;
  p->has_capabilities = r > 0;
  for (int s = 0; r > 0 && s < CONFINE_CAP_SETS; s++)
    {
      int present = confine_json_strv (caps, confine_cap_set_names[s], cpath.s, &p->caps.names[s], err);
      if (present < 0)
        return -1;
      if (present == 0)
        {
          free (p->caps.names[s]);
          p->caps.names[s] = NULL;
        }
    }
  return 1;
}

/* A JSON object of strings (Go's map[string]string): annotations, and
 * linux.resources.unified. */
static int
parse_string_map (const confine_json_t *n, const char *path, confine_annotation_t **out,
                  size_t *count, confine_error_t *err)
{
  size_t cap = 0;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error (path, n, "object", err);
  for (size_t i = 0; i < n->len; i++)
    {
      confine_annotation_t *a;
      if (n->values[i]->type != CONFINE_JSON_STRING)
        return confine_json_type_error (confine_jpath_key (path, n->keys[i]).s, n->values[i], "string", err);
      if (confine_append (out, count, &cap, sizeof (**out), CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      a = &(*out)[*count - 1];
      a->key = confine_xstrdup (n->keys[i]);
      a->value = confine_xstrdup (n->values[i]->text);
    }
  return 1;
}

static int
parse_mounts (const confine_json_t *root, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *arr = NULL;
  size_t cap = 0;

  if (confine_json_array (root, "mounts", "", &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t p = confine_jpath_index ("mounts", i);
      const confine_json_t *m = arr->values[i];
      confine_mount_t *mt;
      /* Go decodes a null element as a zero Mount, which runc still
       * tries to mount: it is kept, with every field empty, so the rules
       * judge it and the indices stay runc's. */
      if (confine_json_struct (m, p.s, mount_fields, false, err) < 0)
        return -1;
      if (confine_append (&spec->mounts, &spec->n_mounts, &cap, sizeof (*mt),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      mt = &spec->mounts[spec->n_mounts - 1];
      if (confine_json_string (m, "destination", p.s, &mt->destination, err) < 0
          || confine_json_string (m, "type", p.s, &mt->type, err) < 0
          || confine_json_string (m, "source", p.s, &mt->source, err) < 0
          || confine_json_strv (m, "options", p.s, &mt->options, err) < 0)
        return -1;
    }
  return 0;
}

static int
parse_hooks (const confine_json_t *root, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *hooks = confine_json_get (root, "hooks");
  int r = confine_json_struct (hooks, "hooks", hooks_fields, false, err);

  if (r <= 0)
    return r;
  for (int stage = 0; stage < CONFINE_HOOK_STAGES; stage++)
    {
      const char *name = confine_hook_stage_names[stage];
      confine_jpath_t sp = confine_jpath_key ("hooks", name);
      const confine_json_t *arr = NULL;
      size_t cap = 0;

      if (confine_json_array (hooks, name, "hooks", &arr, err) < 0)
        return -1;
      for (size_t i = 0; arr && i < arr->len; i++)
        {
          confine_jpath_t p = confine_jpath_index (sp.s, i);
          const confine_json_t *n = arr->values[i];
          confine_hook_t *h;
          int has;
          if ((r = confine_json_struct (n, p.s, hook_fields, false, err)) < 0)
            return -1;
          /* Go decodes a null element as a zero Hook, which runc then
           * fails to run: it is kept, with no path. */
          if (confine_append (&spec->hooks[stage], &spec->n_hooks[stage], &cap, sizeof (*h),
                              CONFINE_JSON_MAX_ENTRIES, err) < 0)
            return -1;
          h = &spec->hooks[stage][spec->n_hooks[stage] - 1];
          if (confine_json_string (n, "path", p.s, &h->path, err) < 0
              || confine_json_strv (n, "args", p.s, &h->args, err) < 0
              || (has = confine_json_strv (n, "env", p.s, &h->env, err)) < 0)
            return -1;
          h->has_env = has > 0;
          if ((has = confine_json_i64 (n, "timeout", p.s, &h->timeout, err)) < 0)
            return -1;
          h->has_timeout = has > 0;
        }
    }
  return 0;
}

static int
parse_root (const confine_json_t *root, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (root, "root");
  int r = confine_json_struct (n, "root", root_fields, false, err);

  if (r <= 0)
    return r;
  if (confine_json_string (n, "path", "root", &spec->root_path, err) < 0
      || confine_json_bool (n, "readonly", "root", &spec->root_readonly, err) < 0)
    return -1;
  /* A root object without a path is not "no root": Go reads the path as
   * "", and runc joins that to the bundle, so the bundle directory itself
   * becomes the container's root. Only an absent or null root is none
   * (runc refuses it). */
  if (spec->root_path == NULL)
    spec->root_path = confine_xstrdup ("");
  return 0;
}

/* linux.devices: the nodes runc makes (runc 1.1 adds no device cgroup rule for them). */
static int
parse_devices (const confine_json_t *lx, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *arr = NULL;
  size_t cap = 0;

  if (confine_json_array (lx, "devices", "linux", &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t p = confine_jpath_index ("linux.devices", i);
      const confine_json_t *n = arr->values[i];
      confine_device_t *d;
      int r = confine_json_struct (n, p.s, device_fields, false, err);
      if (r < 0)
        return -1;
      if (confine_append (&spec->devices, &spec->n_devices, &cap, sizeof (*d),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      d = &spec->devices[spec->n_devices - 1];
      if (confine_json_string (n, "path", p.s, &d->path, err) < 0
          || confine_json_string (n, "type", p.s, &d->type, err) < 0
          || confine_json_i64 (n, "major", p.s, &d->major, err) < 0
          || confine_json_i64 (n, "minor", p.s, &d->minor, err) < 0)
        return -1;
    }
  return 0;
}

/* linux.sysctl: a map of strings, as Go decodes map[string]string. */
static int
parse_sysctl (const confine_json_t *lx, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (lx, "sysctl");
  size_t cap = 0;

  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error ("linux.sysctl", n, "object", err);
  for (size_t i = 0; i < n->len; i++)
    {
      confine_sysctl_t *sc;
      if (n->values[i]->type != CONFINE_JSON_STRING)
        return confine_json_type_error (confine_jpath_key ("linux.sysctl", n->keys[i]).s,
                                        n->values[i], "string", err);
      if (confine_append (&spec->sysctls, &spec->n_sysctls, &cap, sizeof (*sc),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      sc = &spec->sysctls[spec->n_sysctls - 1];
      sc->key = confine_xstrdup (n->keys[i]);
      sc->value = confine_xstrdup (n->values[i]->text);
    }
  return 0;
}

int
confine_seccomp_parse (const confine_json_t *n, const char *where, confine_seccomp_t **out,
                       confine_error_t *err)
{
  cleanup_seccomp_spec confine_seccomp_t *s = NULL;
  const confine_json_t *arr = NULL;
  uint64_t v;
  size_t cap = 0;
  int r = confine_json_struct (n, where, seccomp_fields, false, err);

  *out = NULL;
  if (r <= 0)
    return r;
  s = confine_xcalloc (1, sizeof (*s));
  if (confine_json_string (n, "defaultAction", where, &s->default_action, err) < 0
      || (r = confine_json_u64 (n, "defaultErrnoRet", where, UINT32_MAX, &v, err)) < 0)
    return -1;
  s->has_default_errno_ret = r > 0;
  s->default_errno_ret = (uint32_t) v;
  if (confine_json_strv (n, "architectures", where, &s->architectures, err) < 0
      || confine_json_strv (n, "flags", where, &s->flags, err) < 0
      || confine_json_string (n, "listenerPath", where, &s->listener_path, err) < 0
      || confine_json_array (n, "syscalls", where, &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t p = confine_jpath_index (confine_jpath_key (where, "syscalls").s, i);
      const confine_json_t *sc = arr->values[i];
      const confine_json_t *args = NULL;
      confine_seccomp_syscall_t *call;
      size_t acap = 0;

      if ((r = confine_json_struct (sc, p.s, syscall_fields, false, err)) < 0)
        return -1;
      if (confine_append (&s->syscalls, &s->n_syscalls, &cap, sizeof (*call),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      call = &s->syscalls[s->n_syscalls - 1];
      if (confine_json_strv (sc, "names", p.s, &call->names, err) < 0
          || confine_json_string (sc, "action", p.s, &call->action, err) < 0
          || (r = confine_json_u64 (sc, "errnoRet", p.s, UINT32_MAX, &v, err)) < 0)
        return -1;
      call->has_errno_ret = r > 0;
      call->errno_ret = (uint32_t) v;
      if (confine_json_array (sc, "args", p.s, &args, err) < 0)
        return -1;
      for (size_t j = 0; args && j < args->len; j++)
        {
          confine_jpath_t ap = confine_jpath_index (confine_jpath_key (p.s, "args").s, j);
          const confine_json_t *a = args->values[j];
          confine_seccomp_arg_t *arg;
          uint64_t index;
          if (confine_json_struct (a, ap.s, arg_fields, false, err) < 0)
            return -1;
          if (confine_append (&call->args, &call->n_args, &acap, sizeof (*arg),
                              CONFINE_JSON_MAX_ENTRIES, err) < 0)
            return -1;
          arg = &call->args[call->n_args - 1];
          /* Seccomp argument values are full 64-bit unsigned integers:
           * parse the exact text, never through a double. */
          if (confine_json_u64 (a, "index", ap.s, UINT32_MAX, &index, err) < 0
              || confine_json_u64 (a, "value", ap.s, UINT64_MAX, &arg->value, err) < 0
              || confine_json_u64 (a, "valueTwo", ap.s, UINT64_MAX, &arg->value_two, err) < 0
              || confine_json_string (a, "op", ap.s, &arg->op, err) < 0)
            return -1;
          arg->index = (uint32_t) index;
        }
    }
  *out = steal_pointer (&s);
  return 1;
}

/* linux.uidMappings and gidMappings: Go decodes each number as a
 * uint32. */
static int
parse_id_mappings (const confine_json_t *lx, confine_spec_t *spec, confine_error_t *err)
{
  static const char *const keys[2] = { "uidMappings", "gidMappings" };

  for (size_t k = 0; k < 2; k++)
    {
      const confine_json_t *arr = NULL;
      char where[32];
      size_t cap = 0;

      snprintf (where, sizeof (where), "linux.%s", keys[k]);
      if (confine_json_array (lx, keys[k], "linux", &arr, err) < 0)
        return -1;
      for (size_t i = 0; arr && i < arr->len; i++)
        {
          confine_jpath_t p = confine_jpath_index (where, i);
          const confine_json_t *n = arr->values[i];
          confine_id_mapping_t *m;
          if (confine_json_struct (n, p.s, mapping_fields, false, err) < 0
              || confine_append (&spec->id_mappings[k], &spec->n_id_mappings[k], &cap,
                                 sizeof (*m), CONFINE_JSON_MAX_ENTRIES, err)
                     < 0)
            return -1;
          m = &spec->id_mappings[k][spec->n_id_mappings[k] - 1];
          if (confine_json_u64 (n, "containerID", p.s, UINT32_MAX, &m->container_id, err) < 0
              || confine_json_u64 (n, "hostID", p.s, UINT32_MAX, &m->host_id, err) < 0
              || confine_json_u64 (n, "size", p.s, UINT32_MAX, &m->size, err) < 0)
            return -1;
        }
    }
  return 0;
}

static int
parse_linux (const confine_json_t *root, confine_spec_t *spec, confine_error_t *err)
{
  const confine_json_t *lx = confine_json_get (root, "linux");
  const confine_json_t *arr = NULL;
  const confine_json_t *res;
  size_t cap = 0;
  int r = confine_json_struct (lx, "linux", linux_fields, false, err);

  if (r < 0)
    return -1;
  spec->has_linux = r > 0;
  if (confine_json_strv (lx, "maskedPaths", "linux", &spec->masked_paths, err) < 0
      || confine_json_strv (lx, "readonlyPaths", "linux", &spec->readonly_paths, err) < 0)
    return -1;
  if (r == 0)
    return 0;
  if (confine_json_string (lx, "rootfsPropagation", "linux", &spec->rootfs_propagation, err) < 0
      || confine_json_string (lx, "cgroupsPath", "linux", &spec->cgroups_path, err) < 0
      || parse_devices (lx, spec, err) < 0 || parse_sysctl (lx, spec, err) < 0)
    return -1;

  if (confine_json_array (lx, "namespaces", "linux", &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t p = confine_jpath_index ("linux.namespaces", i);
      confine_namespace_t *ns;
      if ((r = confine_json_struct (arr->values[i], p.s, ns_fields, false, err)) < 0)
        return -1;
      if (confine_append (&spec->namespaces, &spec->n_namespaces, &cap, sizeof (*ns),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      ns = &spec->namespaces[spec->n_namespaces - 1];
      if (confine_json_string (arr->values[i], "type", p.s, &ns->type, err) < 0
          || confine_json_string (arr->values[i], "path", p.s, &ns->path, err) < 0)
        return -1;
      if (ns->path && ns->path[0] == '\0')
        {
          /* runc treats an empty path as "create a new namespace". */
          free (ns->path);
          ns->path = NULL;
        }
    }

  if (parse_id_mappings (lx, spec, err) < 0)
    return -1;

  res = confine_json_get (lx, "resources");
  if ((r = confine_json_struct (res, "linux.resources", resources_fields, false, err)) < 0)
    return -1;
  cap = 0;
  if (r > 0 && confine_json_array (res, "devices", "linux.resources", &arr, err) < 0)
    return -1;
  for (size_t i = 0; r > 0 && arr && i < arr->len; i++)
    {
      confine_jpath_t p = confine_jpath_index ("linux.resources.devices", i);
      const confine_json_t *d = arr->values[i];
      confine_device_rule_t *dr;
      int has;
      if (confine_json_struct (d, p.s, device_rule_fields, false, err) < 0)
        return -1;
      if (confine_append (&spec->device_rules, &spec->n_device_rules, &cap, sizeof (*dr),
                          CONFINE_JSON_MAX_ENTRIES, err) < 0)
        return -1;
      dr = &spec->device_rules[spec->n_device_rules - 1];
      if (confine_json_bool (d, "allow", p.s, &dr->allow, err) < 0
          || confine_json_string (d, "type", p.s, &dr->type, err) < 0
          || confine_json_string (d, "access", p.s, &dr->access, err) < 0)
        return -1;
      if ((has = confine_json_i64 (d, "major", p.s, &dr->major, err)) < 0)
        return -1;
      dr->has_major = has > 0;
      if ((has = confine_json_i64 (d, "minor", p.s, &dr->minor, err)) < 0)
        return -1;
      dr->has_minor = has > 0;
    }
  if (r > 0
      && parse_string_map (confine_json_get (res, "unified"), "linux.resources.unified",
                           &spec->unified, &spec->n_unified, err)
             < 0)
    return -1;
  /* runc reads "" as no path: its default cgroup. */
  if (spec->cgroups_path && spec->cgroups_path[0] == '\0')
    {
      free (spec->cgroups_path);
      spec->cgroups_path = NULL;
    }

  return confine_seccomp_parse (confine_json_get (lx, "seccomp"), "linux.seccomp",
                                &spec->seccomp, err)
         < 0 ? -1 : 0;
}

int
confine_spec_parse (const char *buf, size_t len, confine_spec_t **out, confine_json_t **doc,
                    confine_error_t *err)
{
  cleanup_json confine_json_t *root = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  int r;

  if (confine_json_parse (buf, len, &root, err) < 0)
    return -1;
  if ((r = confine_json_struct (root, "", spec_fields, false, err)) < 0)
    return -1;
  if (r == 0)
    return confine_make_error (err, 0, "the spec is not a JSON object");
  spec = confine_xcalloc (1, sizeof (*spec));
  if (parse_process (confine_json_get (root, "process"), "process", &spec->process, err) < 0
      || parse_mounts (root, spec, err) < 0 || parse_hooks (root, spec, err) < 0
      || parse_string_map (confine_json_get (root, "annotations"), "annotations",
                            &spec->annotations, &spec->n_annotations, err)
             < 0
      || parse_linux (root, spec, err) < 0 || parse_root (root, spec, err) < 0
      || confine_fields_refused (root, &spec->refused_fields, err) < 0)
    return -1;
  *out = steal_pointer (&spec);
  if (doc)
    *doc = steal_pointer (&root);
  return 0;
}

/* Only root, or the user the gate runs as (rootless engines), may be
 * able to change it; a group other than root's may not write it. */
static int
trusted (int fd, const char *what, const char *bundle, confine_error_t *err)
{
  struct stat st;
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "stat %s of bundle `%s`", what, bundle);
  if (confine_stat_others_can_change (&st))
    return confine_make_error (err, 0,
                               "%s of bundle `%s` can be changed by others than root (owner uid "
                               "%u, group %u, mode %04o)",
                               what, bundle, (unsigned) st.st_uid, (unsigned) st.st_gid,
                               (unsigned) (st.st_mode & 07777));
  return 0;
}

int
confine_bundle_read (const char *bundle, int *dirfd_out, char **buf, size_t *len,
                     confine_error_t *err)
{
  cleanup_close int dirfd = -1;
  cleanup_close int fd = -1;

  /* runc is handed the bundle by path and changes into it after our
   * judgement: what it reads is what we judged only if nobody but root
   * can change where that path leads (an ancestor the user owns, such as
   * their home, lets them swap the bundle in between). */
  if (confine_open_trusted_path (bundle, O_RDONLY | O_DIRECTORY, &dirfd, err) < 0)
    return confine_error_wrap (err, "bundle `%s`", bundle);
  if (trusted (dirfd, "the directory", bundle, err) < 0)
    return -1;
  if (confine_read_file_at (dirfd, "config.json", CONFINE_SPEC_MAX_BYTES, buf, len, err) < 0)
    return confine_error_wrap (err, "bundle `%s`", bundle);
  /* The file we read is the one checked: it was opened without following
   * links and is a regular file; check its owner through a fresh fd on
   * the same name, which only root could have swapped in between. */
  fd = openat (dirfd, "config.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return confine_make_error (err, errno, "open `%s/config.json`", bundle);
  if (trusted (fd, "config.json", bundle, err) < 0)
    return -1;
  if (dirfd_out)
    *dirfd_out = steal_fd (&dirfd);
  return 0;
}

int
confine_spec_load_bundle (const char *bundle, confine_spec_t **out, confine_json_t **doc,
                          confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (confine_bundle_read (bundle, NULL, &buf, &len, err) < 0)
    return -1;
  if (confine_spec_parse (buf, len, out, doc, err) < 0)
    return confine_error_wrap (err, "`%s/config.json`", bundle);
  return 0;
}

int
confine_process_parse (const char *buf, size_t len, confine_process_t *out, confine_error_t *err)
{
  cleanup_json confine_json_t *root = NULL;
  int r;

  if (confine_json_parse (buf, len, &root, err) < 0)
    return -1;
  if ((r = parse_process (root, "", out, err)) < 0)
    {
      confine_process_clear (out);
      return -1;
    }
  if (r == 0)
    return confine_make_error (err, 0, "the process is not a JSON object");
  return 0;
}

int
confine_resources_parse_unified (const char *buf, size_t len, confine_annotation_t **out,
                                 size_t *count, confine_error_t *err)
{
  cleanup_json confine_json_t *root = NULL;
  int r;

  if (confine_json_parse (buf, len, &root, err) < 0)
    return -1;
  if ((r = confine_json_struct (root, "resources", resources_fields, false, err)) < 0)
    return -1;
  if (r == 0)
    return confine_make_error (err, 0, "the resources are not a JSON object");
  return parse_string_map (confine_json_get (root, "unified"), "resources.unified", out, count,
                           err)
         < 0 ? -1 : 0;
}

int
confine_state_parse (const char *buf, size_t len, confine_state_t **out, confine_error_t *err)
{
  cleanup_json confine_json_t *root = NULL;
  cleanup_state confine_state_t *st = NULL;
  int r;

  if (confine_json_parse (buf, len, &root, err) < 0)
    return confine_error_wrap (err, "OCI state");
  if ((r = confine_json_struct (root, "", state_fields, false, err)) < 0)
    return confine_error_wrap (err, "OCI state");
  if (r == 0)
    return confine_make_error (err, 0, "OCI state is not a JSON object");
  st = confine_xcalloc (1, sizeof (*st));
  if (confine_json_string (root, "id", "", &st->id, err) < 0
      || confine_json_string (root, "status", "", &st->status, err) < 0
      || confine_json_string (root, "bundle", "", &st->bundle, err) < 0
      || confine_json_i64 (root, "pid", "", &st->pid, err) < 0
      || parse_string_map (confine_json_get (root, "annotations"), "annotations",
                            &st->annotations, &st->n_annotations, err)
             < 0)
    return confine_error_wrap (err, "OCI state");
  if (st->bundle == NULL || st->bundle[0] != '/')
    return confine_make_error (err, 0, "OCI state has no absolute `bundle` path");
  *out = steal_pointer (&st);
  return 0;
}

void
confine_process_clear (confine_process_t *p)
{
  free (p->cwd);
  free (p->apparmor_profile);
  for (int s = 0; s < CONFINE_CAP_SETS; s++)
    confine_free_strv (p->caps.names[s]);
  memset (p, 0, sizeof (*p));
}

void
confine_annotations_free (confine_annotation_t *a, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (a[i].key);
      free (a[i].value);
    }
  free (a);
}

void
confine_seccomp_free (confine_seccomp_t *s)
{
  if (s == NULL)
    return;
  free (s->default_action);
  confine_free_strv (s->architectures);
  confine_free_strv (s->flags);
  free (s->listener_path);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      confine_free_strv (s->syscalls[i].names);
      free (s->syscalls[i].action);
      for (size_t j = 0; j < s->syscalls[i].n_args; j++)
        free (s->syscalls[i].args[j].op);
      free (s->syscalls[i].args);
    }
  free (s->syscalls);
  free (s);
}

void
confine_spec_free (confine_spec_t *spec)
{
  if (spec == NULL)
    return;
  confine_process_clear (&spec->process);
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      free (spec->mounts[i].destination);
      free (spec->mounts[i].type);
      free (spec->mounts[i].source);
      confine_free_strv (spec->mounts[i].options);
    }
  free (spec->mounts);
  confine_annotations_free (spec->annotations, spec->n_annotations);
  free (spec->root_path);
  confine_free_strv (spec->refused_fields);
  for (int stage = 0; stage < CONFINE_HOOK_STAGES; stage++)
    {
      for (size_t i = 0; i < spec->n_hooks[stage]; i++)
        {
          free (spec->hooks[stage][i].path);
          confine_free_strv (spec->hooks[stage][i].args);
          confine_free_strv (spec->hooks[stage][i].env);
        }
      free (spec->hooks[stage]);
    }
  free (spec->rootfs_propagation);
  free (spec->cgroups_path);
  confine_annotations_free (spec->unified, spec->n_unified);
  for (size_t i = 0; i < spec->n_sysctls; i++)
    {
      free (spec->sysctls[i].key);
      free (spec->sysctls[i].value);
    }
  free (spec->sysctls);
  for (size_t i = 0; i < spec->n_devices; i++)
    {
      free (spec->devices[i].path);
      free (spec->devices[i].type);
    }
  free (spec->devices);
  for (size_t i = 0; i < spec->n_namespaces; i++)
    {
      free (spec->namespaces[i].type);
      free (spec->namespaces[i].path);
    }
  free (spec->namespaces);
  free (spec->id_mappings[0]);
  free (spec->id_mappings[1]);
  confine_free_strv (spec->masked_paths);
  confine_free_strv (spec->readonly_paths);
  for (size_t i = 0; i < spec->n_device_rules; i++)
    {
      free (spec->device_rules[i].type);
      free (spec->device_rules[i].access);
    }
  free (spec->device_rules);
  confine_seccomp_free (spec->seccomp);
  free (spec);
}

void
confine_state_free (confine_state_t *st)
{
  if (st == NULL)
    return;
  free (st->id);
  free (st->status);
  free (st->bundle);
  confine_annotations_free (st->annotations, st->n_annotations);
  free (st);
}

void
confine_cleanup_specp (confine_spec_t **s)
{
  confine_spec_free (*s);
}

void
confine_cleanup_statep (confine_state_t **s)
{
  confine_state_free (*s);
}

void
confine_cleanup_seccompp (confine_seccomp_t **s)
{
  confine_seccomp_free (*s);
}
