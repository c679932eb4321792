/* SPDX-License-Identifier: Apache-2.0 */
/* Is the runtime binary older than the fixes for the container escapes a
 * spec-level gate cannot see? CVE-2024-21626 (a leaked fd as the cwd),
 * CVE-2024-45310 (a container racing another's create through a shared
 * volume: runc makes directories and empty files at host paths), and
 * the 2025 procfs and masked-path escapes (CVE-2025-31133, -52565,
 * -52881: the LSM label written to a decoy, so the process runs
 * unconfined) are fixed only in the runtime. Debian backports fixes
 * without changing the upstream version, so a Debian package's changelog
 * is read too. For `confine status`. */
#ifndef CONFINE_CVES_H
#define CONFINE_CVES_H

#include <stdbool.h>

#include "../base/error.h"

typedef enum
{
  CONFINE_CVE_FIXED,         /* the upstream version has the fix */
  CONFINE_CVE_FIXED_PACKAGE, /* the distribution's package names it in its changelog */
  CONFINE_CVE_MISSING,
} confine_cve_state_t;

typedef struct
{
  const char *id;
  const char *what;     /* one line */
  const char *fixed_in; /* upstream versions, "1.2.8, 1.3.3, 1.4.0" */
  confine_cve_state_t state;
} confine_cve_t;

#define CONFINE_RUNC_CVES 5

typedef struct
{
  char *path;            /* the binary, resolved */
  char *version;         /* "1.1.5+ds1", from `--version` */
  char *package;         /* "runc 1.1.5+ds1-1+deb12u1" when dpkg installed it, or NULL */
  bool runc;             /* it says it is runc: the table applies */
  confine_cve_t cves[CONFINE_RUNC_CVES];
  char *error;           /* why nothing could be said, or NULL */
} confine_runtime_info_t;

/* Inspect RUNTIME (a path, or a name looked up in PATH). What cannot be
 * read is put in OUT->error. */
void confine_runtime_info (const char *runtime, confine_runtime_info_t *out);
void confine_runtime_info_clear (confine_runtime_info_t *r);

/* 1 when upstream version VERSION ("1.2.8", "1.1.5+ds1") has the fix whose
 * releases are FIXED_IN, 0 when not, -1 when VERSION is not a version. */
int confine_version_has_fix (const char *version, const char *fixed_in);

#endif
