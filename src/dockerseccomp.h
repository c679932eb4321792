/* SPDX-License-Identifier: Apache-2.0 */
/* Docker's seccomp profile format, turned into the OCI `linux.seccomp`
 * section the way moby's profiles/seccomp (setupSeccomp) does it, so the
 * filter the shim injects is the one `docker run` would have produced for
 * the same container on the same host.
 *
 * The conversion depends on the container (its bounding capabilities) and
 * on the host (native architecture, kernel version), which is why it runs
 * per container in the shim and cannot be done once when the profile is
 * shipped. A profile already in OCI form (`architectures`, no `archMap`,
 * no `includes`/`excludes`) goes through the same path unchanged. */
#ifndef CONFINE_DOCKERSECCOMP_H
#define CONFINE_DOCKERSECCOMP_H

#include "../base/error.h"
#include "../oci/json.h"

/* Profiles are small (Docker's default is ~25 KiB); this only stops a
 * runaway file from being read on every container start. */
#define CONFINE_DOCKERSECCOMP_MAX_BYTES (4u << 20)

/* The facts about the host that moby's conversion reads. */
typedef struct
{
  const char *arch;      /* moby's name of the native arch ("amd64", "arm64"...), NULL if unknown */
  const char *scmp_arch; /* its seccomp name ("SCMP_ARCH_X86_64"), NULL if unknown */
  unsigned kernel;       /* kernel version, e.g. 6 for 6.18.44 */
  unsigned major;        /* major revision, e.g. 18 for 6.18.44 */
} confine_dockerseccomp_host_t;

/* Fill HOST from libseccomp's native architecture and uname(2). */
int confine_dockerseccomp_host (confine_dockerseccomp_host_t *host, confine_error_t *err);

/* Read a profile file: a regular file, not a link, owned by root and not
 * writable by group or others (whoever can write the profile can weaken
 * every container that gets it injected), at most the size above. */
int confine_dockerseccomp_load (const char *path, confine_json_t **out, confine_error_t *err);

/* Convert PROFILE for a container whose bounding set is BOUNDING
 * (NULL-terminated; NULL for none). Returns 1 with *OUT set to a new
 * `linux.seccomp` object, 0 when the profile disables seccomp (no
 * defaultAction and no syscalls: moby returns no filter then), negative
 * on error. Argument values are copied as their original JSON text, so
 * 64-bit values survive exactly. */
int confine_dockerseccomp_convert (const confine_json_t *profile, char *const *bounding,
                                   const confine_dockerseccomp_host_t *host, confine_json_t **out,
                                   confine_error_t *err);

#endif
