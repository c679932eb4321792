/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <string.h>

#include "fields.h"
#include "../base/utils.h"

#define J CONFINE_FIELD_JUDGED
#define H CONFINE_FIELD_HARMLESS
#define R CONFINE_FIELD_REFUSED

/* runc 1.1's specs-go Spec, field by field (Windows, Solaris, VM and z/OS
 * sections are never read on Linux), plus the fields later runtimes
 * apply that runc 1.1 does not: those are refused, because the same spec
 * may reach a newer runc or crun that applies them unjudged. */
const confine_field_t confine_spec_fields[] = {
  { "ociVersion", H, "a version string" },
  { "hostname", H, "set in the container's own UTS namespace (runc refuses it without one)" },
  { "domainname", H, "as hostname" },
  { "annotations", H, "runc applies none; exemptions may match on them" },
  { "root.path", J, "mounts: the root filesystem is a host path like a bind source" },
  { "root.readonly", H, "only narrows access" },
  { "mounts[].destination", J, "mounts" },
  { "mounts[].type", J, "mounts" },
  { "mounts[].source", J, "mounts" },
  { "mounts[].options", J, "mounts" },
  { "mounts[].uidMappings", R, "idmapped mounts: runc 1.1 ignores them, later runtimes apply them" },
  { "mounts[].gidMappings", R, "as uidMappings" },
  { "process.terminal", H, "a pseudo-terminal for the container" },
  { "process.consoleSize", H, "the terminal's size" },
  { "process.user", H, "ids inside the container; what they may do is the capabilities rule's" },
  { "process.args", H, "the command, run inside the confinement" },
  { "process.commandLine", H, "Windows only" },
  { "process.env", H, "the command's environment" },
  { "process.cwd", J, "cwd" },
  { "process.capabilities", J, "capabilities" },
  { "process.rlimits", J, "rlimits: RLIMIT_RTPRIO not above process.max_rtprio" },
  { "process.noNewPrivileges", J, "no_new_privileges" },
  { "process.apparmorProfile", J, "apparmor" },
  { "process.oomScoreAdj", J, "fields: process.min_oom_score_adj (below it, the OOM killer "
                              "spares the container and kills host processes)" },
  { "process.selinuxLabel", H, "SELinux; the gate judges AppArmor" },
  { "process.scheduler", R, "runc 1.1 ignores it; later runtimes set real-time policies as root" },
  { "hooks.prestart", J, "hooks" },
  { "hooks.createRuntime", J, "hooks" },
  { "hooks.createContainer", J, "hooks" },
  { "hooks.startContainer", J, "hooks" },
  { "hooks.poststart", J, "hooks" },
  { "hooks.poststop", J, "hooks" },
  { "linux.uidMappings", H, "a user namespace maps container ids to unprivileged host ids" },
  { "linux.gidMappings", H, "as uidMappings" },
  { "linux.sysctl", J, "namespaces: only sysctls of the container's own namespaces" },
  { "linux.resources.devices", J, "devices" },
  { "linux.resources.memory", H, "limits on the container's own cgroup" },
  { "linux.resources.cpu", H, "limits on the container's own cgroup" },
  { "linux.resources.pids", H, "limits on the container's own cgroup" },
  { "linux.resources.blockIO", H, "limits on the container's own cgroup" },
  { "linux.resources.hugepageLimits", H, "limits on the container's own cgroup" },
  { "linux.resources.network", H, "classid and priorities of the container's own traffic" },
  { "linux.resources.rdma", H, "limits on the container's own cgroup" },
  { "linux.resources.unified", J, "cgroups: only a resource controller's limit files; the runtime writes any file of the cgroup (cgroup.procs moves a host process in)" },
  { "linux.cgroupsPath", J, "cgroups: only a new cgroup named by the container's id; the runtime joins whatever cgroup it names" },
  { "linux.namespaces", J, "namespaces" },
  { "linux.devices", J, "devices" },
  { "linux.seccomp", J, "seccomp" },
  { "linux.rootfsPropagation", J, "mounts" },
  { "linux.maskedPaths", J, "masked_paths" },
  { "linux.readonlyPaths", J, "masked_paths" },
  { "linux.mountLabel", H, "SELinux" },
  { "linux.intelRdt", H, "cache and memory bandwidth allocation" },
  { "linux.personality", R, "runc 1.1 ignores it; later runtimes switch the execution domain" },
  { "linux.timeOffsets", R, "runc 1.1 ignores it; later runtimes apply it" },
  { "linux.netDevices", R, "runc 1.4 moves a host network device into the container" },
};
const size_t confine_n_spec_fields = sizeof (confine_spec_fields) / sizeof (confine_spec_fields[0]);

typedef struct
{
  char **v;
  size_t n, cap;
} found_t;

/* Entries borrow the table's paths; the list is copied out at the end. */
static int
note (found_t *f, const char *path, confine_error_t *err)
{
  if (confine_append (&f->v, &f->n, &f->cap, sizeof (char *), 1024, err) < 0)
    return -1;
  f->v[f->n - 1] = (char *) path;
  return 0;
}

/* Record the path if NODE's member (folded as Go folds keys, since a later
 * Go runtime would read `NetDevices` as `netDevices`) under the remaining
 * segments of PATH is set. */
static int
walk (const confine_json_t *node, const char *rest, const char *full, found_t *f,
      confine_error_t *err)
{
  char seg[64];
  size_t len = strcspn (rest, ".");
  bool each = len >= 2 && strncmp (rest + len - 2, "[]", 2) == 0;

  if (node == NULL || node->type != CONFINE_JSON_OBJECT)
    return 0;
  if (len - (each ? 2 : 0) >= sizeof (seg))
    return confine_make_error (err, 0, "field path `%s` too long", full);
  memcpy (seg, rest, len - (each ? 2 : 0));
  seg[len - (each ? 2 : 0)] = '\0';
  for (size_t i = 0; i < node->len; i++)
    {
      const confine_json_t *v = node->values[i];
      if (!confine_json_go_fold_equal (node->keys[i], seg) || v->type == CONFINE_JSON_NULL)
        continue;
      if (rest[len] == '\0')
        {
          return note (f, full, err);
        }
      if (!each)
        {
          if (walk (v, rest + len + 1, full, f, err) < 0)
            return -1;
          continue;
        }
      for (size_t j = 0; v->type == CONFINE_JSON_ARRAY && j < v->len; j++)
        if (walk (v->values[j], rest + len + 1, full, f, err) < 0)
          return -1;
    }
  return 0;
}

int
confine_fields_refused (const confine_json_t *root, char ***out, confine_error_t *err)
{
  found_t f = { 0 };
  cleanup_strv char **copy = NULL;
  int ret = 0;

  for (size_t i = 0; i < confine_n_spec_fields && ret == 0; i++)
    if (confine_spec_fields[i].status == CONFINE_FIELD_REFUSED)
      ret = walk (root, confine_spec_fields[i].path, confine_spec_fields[i].path, &f, err);
  if (ret == 0)
    {
      copy = confine_xcalloc (f.n + 1, sizeof (char *));
      for (size_t i = 0; i < f.n; i++)
        copy[i] = confine_xstrdup (f.v[i]);
    }
  free (f.v);
  if (ret < 0)
    return -1;
  *out = steal_pointer (&copy);
  return 0;
}
