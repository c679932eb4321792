/* SPDX-License-Identifier: Apache-2.0 */
/* dockerd's volume copy-up (red team 6, F-06), as confine-authz judges it.
 *
 * At `POST /containers/create` (and only there: daemon/create_unix.go
 * populateVolumes), dockerd copies the image's content at a volume's
 * destination into the volume when the volume is empty, unless the mount
 * says `nocopy` (HostConfig.Binds mode) or VolumeOptions.NoCopy: by path,
 * as root, in its own mount namespace, before any runtime runs
 * (continuity's fs.CopyDir, following links). Whatever else can write into
 * the volume at that moment can swap a directory dockerd has just made for
 * a link, and the rest of the image lands in any host directory; a volume
 * whose local options bind a host directory receives the image's files
 * there, setuid programs with their modes.
 *
 * So a create that copies into the named volume V is refused when V binds
 * a host directory, or when anything dockerd knows of could write into V:
 * a container on disk (any state) that mounts V or binds a path holding
 * V's data or held by it, a mount of V's data in any mount namespace (a
 * bind through a link since retargeted, another engine's container), a
 * request allowed and not yet answered that names V (its container is
 * not on disk yet), or swarm mode (services start containers without
 * asking the plugin). And while such a create is
 * in flight (between its AuthZReq and its AuthZRes, which dockerd sends
 * after the copy), any request naming V is refused. Anonymous volumes (no
 * name, a random one) are new and nobody else's: only their options are
 * judged. */
#ifndef CONFINE_COPYUP_H
#define CONFINE_COPYUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../base/error.h"
#include "../base/strv.h"
#include "policy.h"

/* What one request names that a copy could be raced through. */
typedef struct
{
  confine_strv_t volumes; /* named volumes it mounts or creates */
  confine_strv_t copies;  /* "NAME\tDESTINATION": those dockerd copies an image's content into */
  confine_strv_t paths;   /* host paths it binds (bind sources, local volumes' bind devices), as
                           * written and, after confine_copyup_judge, also resolved */
  confine_strv_t data;    /* after confine_copyup_judge: its copies' data directories */
} confine_copyup_claims_t;

void confine_copyup_claims_clear (confine_copyup_claims_t *c);
bool confine_copyup_claims_empty (const confine_copyup_claims_t *c);
int confine_copyup_claim_volume (confine_copyup_claims_t *c, const char *name, confine_error_t *err);
int confine_copyup_claim_copy (confine_copyup_claims_t *c, const char *name, const char *dest,
                               confine_error_t *err);
int confine_copyup_claim_path (confine_copyup_claims_t *c, const char *path, confine_error_t *err);

/* The requests confine-authz allowed whose AuthZRes has not come yet,
 * each under a digest of the request (method, target, body: dockerd sends
 * the same three with the AuthZRes) and with a pidfd of the dockerd that
 * asked: when that process has ended, its requests have too. */
typedef struct confine_copyup_flights confine_copyup_flights_t;

confine_copyup_flights_t *confine_copyup_flights_new (void);
void confine_copyup_flights_free (confine_copyup_flights_t *f);
size_t confine_copyup_flights_count (const confine_copyup_flights_t *f);
/* Record C (taken over, cleared) under KEY with PIDFD (taken over; -1 when
 * unknown: the flight then ends only with its AuthZRes). Fails when the
 * table is full: the caller refuses the request. */
int confine_copyup_flights_add (confine_copyup_flights_t *f, const unsigned char key[32],
                                confine_copyup_claims_t *c, int pidfd, confine_error_t *err);
/* End one flight recorded under KEY; false when there is none. */
bool confine_copyup_flights_release (confine_copyup_flights_t *f, const unsigned char key[32]);
/* The digest of a request, as recorded and released. */
void confine_copyup_key (const char *method, const char *uri, const unsigned char *body,
                         size_t body_len, unsigned char key[32]);

/* Judge the claims C of a request (a container create, a legacy start, a
 * volume create) from the dockerd PEER (its pid; 0: no process to check)
 * against dockerd's data root (authz.docker_root), which must be PEER's,
 * and the flights F (NULL: none). *WHY gets the reason to refuse, or NULL. C's
 * paths get their resolved forms, and its data its copies' data
 * directories, as they are to be recorded. Negative when dockerd's data root cannot be
 * read: the caller refuses. */
int confine_copyup_judge (const confine_policy_t *policy, pid_t peer, confine_copyup_claims_t *c,
                          confine_copyup_flights_t *f, char **why, confine_error_t *err);

#endif
