/* SPDX-License-Identifier: Apache-2.0 */
/* The devices rule: every device the container can reach is one the
 * policy allows (devices.allowed).
 *
 * Two parts of the spec give devices. linux.devices makes runc create a
 * node in the container (or, in a user namespace, bind the host's file at
 * that path). linux.resources.devices becomes the device cgroup, which
 * decides what the container may open; runc 1.1 appends its own defaults
 * (specconv.AllowedDevices) but adds no rule for linux.devices nodes, so
 * a node is only as open as the cgroup rules make it, and where no device
 * cgroup applies (a rootless runc, runc inside a user namespace) the node
 * is all there is. Both are judged, each on its own. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "hostpath.h"
#include "mounts.h"
#include "rules.h"
#include "../base/utils.h"

bool
confine_devices_cover (const confine_device_allow_t *list, size_t n, char type, int64_t major,
                       int64_t minor, bool read, bool write)
{
  for (size_t i = 0; i < n; i++)
    {
      const confine_device_allow_t *a = &list[i];
      if (a->type == type && (a->major == -1 || a->major == major)
          && (a->minor == -1 || a->minor == minor) && (!read || a->read) && (!write || a->write))
        return true;
    }
  return false;
}

static bool
covered (const confine_policy_t *p, char type, int64_t major, int64_t minor, bool read,
         bool write)
{
  return confine_devices_cover (p->devices_allowed, p->n_devices_allowed, type, major, minor,
                                read, write);
}

bool
confine_devices_stripped (const confine_policy_t *p, const confine_device_rule_t *d)
{
  const char *access = d->access && d->access[0] ? d->access : "rwm";
  return d->allow && d->type && (strcmp (d->type, "c") == 0 || strcmp (d->type, "b") == 0)
         && confine_devices_cover (p->devices_strip, p->n_devices_strip, d->type[0],
                                   !d->has_major || d->major < 0 ? -1 : d->major,
                                   !d->has_minor || d->minor < 0 ? -1 : d->minor,
                                   strchr (access, 'r') != NULL, strchr (access, 'w') != NULL);
}

/* Where runc cannot mknod (a user namespace, no CAP_MKNOD) it binds the
 * host's file of the node's path in its place (bindMountDeviceNode in
 * runc's rootfs_linux.go), so that file must be the very node the spec
 * names, or absent (the bind then fails). NULL when it is; else why not.
 * A FIFO has no numbers to judge: the host's FIFO at that path is some
 * host program's channel (/run/initctl halts the host), and *FIFO is set
 * so the caller judges it as the bind source it becomes. */
static const char *
host_file (const confine_device_t *d, char type, bool *fifo)
{
  struct stat st;
  bool same;
  *fifo = false;
  if (d->path == NULL || d->path[0] != '/')
    return "has no absolute path";
  if (stat (d->path, &st) < 0)
    return errno == ENOENT || errno == ENOTDIR ? NULL : "cannot be checked on the host";
  if (type == 'p')
    {
      *fifo = S_ISFIFO (st.st_mode);
      return *fifo ? NULL : "is another kind of file on the host, which runc binds where it "
                            "cannot mknod";
    }
  same = (type == 'b' ? S_ISBLK (st.st_mode) : S_ISCHR (st.st_mode))
         && (int64_t) major (st.st_rdev) == d->major && (int64_t) minor (st.st_rdev) == d->minor;
  return same ? NULL : "is another file on the host, which runc binds where it cannot mknod";
}

/* The host FIFO a node's path names, judged as a writable bind source of
 * that path (mounts.sensitive and the subtrees): runc binds it whenever
 * it runs in or creates a user namespace. Returns 1 when refused, with
 * the reason in F. */
static int
judge_fifo (const confine_context_t *ctx, const confine_device_t *d, FILE *f, int bad,
            confine_error_t *err)
{
  confine_hostpaths_t local = { 0 };
  confine_hostpaths_t *hp = confine_rule_hostpaths (ctx, &local, err);
  confine_hostpath_verdict_t v = { 0 };
  cleanup_free char *path = NULL;
  int ret;

  if (hp == NULL)
    return -1;
  ret = confine_hostpaths_resolve (hp, NULL, d->path, &path, err);
  if (ret == 0)
    ret = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_BIND, false, &v, err);
  if (ret > 0)
    fprintf (f, "%slinux.devices `%s` (p) is the host's FIFO `%s`, which runc binds where it "
             "cannot mknod, and which %s the host's `%s` (policy %s)",
             bad ? ", " : "", d->path, path, v.relation, v.entry, v.key);
  free (v.socket);
  confine_rule_hostpaths_done (hp, &local);
  return ret;
}

static void
put_number (FILE *f, int64_t n)
{
  if (n < 0)
    fputc ('*', f);
  else
    fprintf (f, "%lld", (long long) n);
}

int
confine_rule_devices (const confine_context_t *ctx, const confine_subject_t *s,
                      confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = s->spec;
  const confine_policy_t *p = ctx->policy;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  int bad = 0;
  FILE *f;

  for (size_t i = 0; i < spec->n_device_rules; i++)
    {
      const confine_device_rule_t *d = &spec->device_rules[i];
      const char *type = d->type && d->type[0] ? d->type : "a";
      /* runc's device-cgroup emulator turns any allow rule of type `a`
       * (or none) into `a *:* rwm`, whatever its numbers and access. */
      if (d->allow && strcmp (type, "a") == 0)
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "rules.devices",
                              "device cgroup rule %zu allows every device (type `a`, which "
                              "runc applies as `a *:* rwm`)",
                              i);
          return 0;
        }
    }

  f = open_memstream (&buf, &len);
  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");

  /* Every allowing rule is judged by itself, whatever comes after it: a
   * later deny or a reset by runc's emulator does not make an allow rule
   * for a host disk acceptable in a spec. */
  for (size_t i = 0; i < spec->n_device_rules; i++)
    {
      const confine_device_rule_t *d = &spec->device_rules[i];
      const char *type = d->type && d->type[0] ? d->type : "a";
      /* runc refuses an empty access; read as everything to be safe. */
      const char *access = d->access && d->access[0] ? d->access : "rwm";
      bool read = strchr (access, 'r') != NULL, write = strchr (access, 'w') != NULL;
      int64_t major = !d->has_major || d->major < 0 ? -1 : d->major;
      int64_t minor = !d->has_minor || d->minor < 0 ? -1 : d->minor;
      /* Rules that deny, and mknod alone (Docker's and runc's `c *:* m`),
       * open nothing. */
      if (!d->allow || !(read || write))
        continue;
      if (strcmp (type, "c") != 0 && strcmp (type, "b") != 0)
        fprintf (f, "%sdevice cgroup rule %zu has type `%s`, not a, b or c", bad++ ? ", " : "", i,
                 type);
      else if (covered (p, type[0], major, minor, read, write))
        continue;
      else if (major < 0 && minor < 0)
        /* `c *:* rw` alone opens /dev/mem and every other character
         * device. */
        fprintf (f, "%sdevice cgroup rule %zu allows every %s device (`%s *:* %s`)",
                 bad++ ? ", " : "", i, type[0] == 'b' ? "block" : "character", type, access);
      else
        {
          fprintf (f, "%sdevice cgroup rule %zu allows `%s ", bad++ ? ", " : "", i, type);
          put_number (f, major);
          fputc (':', f);
          put_number (f, minor);
          fprintf (f, " %s`", access);
        }
    }

  for (size_t i = 0; i < spec->n_devices; i++)
    {
      const confine_device_t *d = &spec->devices[i];
      const char *type = d->type ? d->type : "";
      char t = strcmp (type, "u") == 0 ? 'c' : type[0];
      bool fifo = false;
      const char *host = host_file (d, t, &fifo);
      int judged;
      if (host)
        {
          fprintf (f, "%slinux.devices `%s` (%s %lld:%lld) %s", bad++ ? ", " : "",
                   d->path ? d->path : "", type, (long long) d->major, (long long) d->minor, host);
          continue;
        }
      if (fifo && (judged = judge_fifo (ctx, d, f, bad, err)) != 0)
        {
          if (judged < 0)
            {
              fclose (f);
              confine_result_from_error (r, "devices.allowed", "cannot judge a FIFO", err);
              return 0;
            }
          bad++;
          continue;
        }
      /* A FIFO is a named pipe, no device: runc ignores its numbers. */
      if (strcmp (type, "p") == 0)
        continue;
      if ((strcmp (type, "c") == 0 || strcmp (type, "u") == 0 || strcmp (type, "b") == 0)
          && d->major >= 0 && d->minor >= 0
          && (covered (p, t, d->major, d->minor, true, false)
              || covered (p, t, d->major, d->minor, false, true)))
        continue;
      fprintf (f, "%slinux.devices `%s` (%s %lld:%lld)", bad++ ? ", " : "",
               d->path ? d->path : "", type, (long long) d->major, (long long) d->minor);
    }

  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe devices");
  if (bad)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "devices.allowed",
                          "not allowed: %s", buf);
      return 0;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "%zu device nodes and %zu device cgroup rules, none beyond the "
                      "allowed devices",
                      spec->n_devices, spec->n_device_rules);
  return 0;
}
