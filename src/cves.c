/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cves.h"
#include "../base/utils.h"
#include "verify.h"

#define VERSION_OUT_MAX (64u << 10)
#define DPKG_FILE_MAX (64u << 20)
#define CHANGELOG_MAX (8u << 20)

/* runc's escapes that only the runtime can fix (FACTS.md, runc's
 * advisories). 1.1.x gets no upstream fix for the 2025 ones. */
static const confine_cve_t runc_cves[CONFINE_RUNC_CVES] = {
  { "CVE-2024-21626", "a leaked host fd as the container's cwd", "1.1.12", CONFINE_CVE_MISSING },
  /* The gate cannot refuse its precondition (a mount destination below
   * a volume another container shares) without refusing Kubernetes'
   * nested volumeMounts and common compose files; runc creates the
   * host path while it builds the mounts, before any check can run. */
  { "CVE-2024-45310", "another container's shared volume makes runc create directories and "
    "empty files at host paths", "1.1.14, 1.2.0", CONFINE_CVE_MISSING },
  { "CVE-2025-31133", "masked paths replaced by symlinks to host files", "1.2.8, 1.3.3, 1.4.0",
    CONFINE_CVE_MISSING },
  { "CVE-2025-52565", "/dev/console redirected to host files", "1.2.8, 1.3.3, 1.4.0",
    CONFINE_CVE_MISSING },
  { "CVE-2025-52881", "the LSM label written to a decoy file: the process runs unconfined",
    "1.2.8, 1.3.3, 1.4.0", CONFINE_CVE_MISSING },
};

static int
parse_version (const char *s, unsigned v[3])
{
  char *end = NULL;
  for (int i = 0; i < 3; i++)
    {
      errno = 0;
      unsigned long n = strtoul (s, &end, 10);
      if (errno || end == s || n > 100000 || (i < 2 && *end != '.'))
        return -1;
      v[i] = (unsigned) n;
      s = end + 1;
    }
  return 0;
}

static int
cmp (const unsigned a[3], const unsigned b[3])
{
  for (int i = 0; i < 3; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

int
confine_version_has_fix (const char *version, const char *fixed_in)
{
  unsigned v[3], f[3], last[3] = { 0, 0, 0 };
  const char *p = fixed_in;

  if (parse_version (version, v) < 0)
    return -1;
  /* Each release line has its own fix; a line newer than the newest
   * listed has them all. */
  while (p && *p)
    {
      if (parse_version (p, f) < 0)
        return -1;
      if (v[0] == f[0] && v[1] == f[1])
        return v[2] >= f[2];
      memcpy (last, f, sizeof (last));
      p = strchr (p, ',');
      p = p ? p + 1 + strspn (p + 1, " ") : NULL;
    }
  return cmp (v, last) >= 0;
}

static char *
find_in_path (const char *name)
{
  const char *path = getenv ("PATH");
  cleanup_free char *copy = NULL;
  char *save = NULL;

  if (strchr (name, '/'))
    return realpath (name, NULL);
  copy = confine_xstrdup (path && *path ? path : CONFINE_DEFAULT_PATH);
  for (char *d = strtok_r (copy, ":", &save); d; d = strtok_r (NULL, ":", &save))
    {
      cleanup_free char *cand = NULL;
      cand = confine_xasprintf ("%s/%s", d, name);
      if (access (cand, X_OK) == 0)
        return realpath (cand, NULL);
    }
  return NULL;
}

/* The stanza of PACKAGE in dpkg's status file, its Version. */
static char *
dpkg_version (const char *package)
{
  cleanup_error confine_error_t rerr = NULL;
  cleanup_free char *buf = NULL;
  cleanup_free char *head = NULL;
  const char *p, *v, *end;

  head = confine_xasprintf ("Package: %s\n", package);
  if (confine_read_file ("/var/lib/dpkg/status", DPKG_FILE_MAX, &buf, NULL, &rerr) < 0)
    return NULL;
  for (p = buf; (p = strstr (p, head)) != NULL; p += strlen (head))
    if (p == buf || p[-1] == '\n')
      break;
  if (p == NULL || (v = strstr (p, "\nVersion: ")) == NULL)
    return NULL;
  /* Within this stanza: before the blank line that ends it. */
  end = strstr (p, "\n\n");
  if (end && v > end)
    return NULL;
  v += 10;
  return confine_xstrndup (v, strcspn (v, "\n"));
}

/* Did dpkg install PATH, as part of PACKAGE? */
static bool
dpkg_owns (const char *package, const char *path)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *list = NULL;
  cleanup_free char *buf = NULL;
  size_t pl = strlen (path);

  if (asprintf (&list, "/var/lib/dpkg/info/%s.list", package) < 0)
    return false;
  if (confine_read_file (list, DPKG_FILE_MAX, &buf, NULL, &err) < 0)
    return false;
  for (const char *l = buf; l && *l; l = strchr (l, '\n'), l = l ? l + 1 : NULL)
    if (strncmp (l, path, pl) == 0 && (l[pl] == '\n' || l[pl] == '\0'))
      return true;
  return false;
}

void
confine_runtime_info (const char *runtime, confine_runtime_info_t *out)
{
  cleanup_free char *text = NULL;
  cleanup_free char *changelog = NULL;
  cleanup_free char *pkg = NULL;
  char *argv[] = { NULL, (char *) "--version", NULL };
  char *gz[] = { (char *) "gzip", (char *) "-dc", (char *) "/usr/share/doc/runc/changelog.Debian.gz",
                 NULL };
  const char *line;
  int status = 0;

  memset (out, 0, sizeof (*out));
  memcpy (out->cves, runc_cves, sizeof (runc_cves));
  if ((out->path = find_in_path (runtime)) == NULL)
    {
      out->error = confine_xasprintf ("`%s` not found", runtime);
      return;
    }
  argv[0] = out->path;
  {
    cleanup_error confine_error_t rerr = NULL;
    if (confine_run_child (out->path, argv, &status, &text, VERSION_OUT_MAX, &rerr) < 0
        || status != 0)
      {
        out->error = confine_xasprintf ("`%s --version` failed", out->path);
        return;
      }
  }
  /* "runc version 1.1.5+ds1": the first line names the runtime. */
  line = text;
  if (strncmp (line, "runc version ", 13) != 0)
    return;
  out->runc = true;
  out->version = confine_xstrndup (line + 13, strcspn (line + 13, "\n"));
  for (int i = 0; i < CONFINE_RUNC_CVES; i++)
    if (confine_version_has_fix (out->version, out->cves[i].fixed_in) == 1)
      out->cves[i].state = CONFINE_CVE_FIXED;
  /* Debian's runc keeps upstream's version and backports fixes; its
   * changelog names each CVE a version fixed. */
  if (!dpkg_owns ("runc", out->path) || (pkg = dpkg_version ("runc")) == NULL)
    return;
  out->package = confine_xasprintf ("runc %s", pkg);
  {
    cleanup_error confine_error_t rerr = NULL;
    if (confine_run_child ("/bin/gzip", gz, &status, &changelog, CHANGELOG_MAX, &rerr) < 0
        || status != 0)
      return;
  }
  for (int i = 0; i < CONFINE_RUNC_CVES; i++)
    if (out->cves[i].state == CONFINE_CVE_MISSING && strstr (changelog, out->cves[i].id))
      out->cves[i].state = CONFINE_CVE_FIXED_PACKAGE;
}

void
confine_runtime_info_clear (confine_runtime_info_t *r)
{
  free (r->path);
  free (r->version);
  free (r->package);
  free (r->error);
  memset (r, 0, sizeof (*r));
}
