/* SPDX-License-Identifier: Apache-2.0 */
/* Docker API requests, as dockerd's authorization middleware forwards
 * them to a plugin (moby pkg/authorization), judged by the mounts rule.
 *
 * dockerd serves some requests that reach host paths without ever
 * calling a runtime: `docker cp` (PUT, GET and HEAD on
 * /containers/{id}/archive) mounts a created container's binds and
 * volumes in dockerd's own namespace and copies there as root. The
 * runtime gate never sees them, so the binds are judged when they are
 * asked for: a container, volume or service whose host paths the mounts
 * rule refuses is never created. And since dockerd re-mounts them by
 * path at each copy, following links a running container may have
 * planted since, docker cp itself is refused (authz.copy). */
#ifndef CONFINE_AUTHZ_H
#define CONFINE_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../base/error.h"
#include "copyup.h"
#include "policy.h"
#include "rules.h"

/* dockerd forwards a request's body only when it is application/json, has
 * a Content-Length and is shorter than this (authz.go, maxBodySize). */
#define CONFINE_AUTHZ_MAX_BODY (1u << 20)

/* What a plugin request carries that the judgement reads. */
typedef struct
{
  char *method;
  char *uri;            /* the raw request-target, query included */
  unsigned char *body;  /* decoded, NUL after it; NULL when dockerd sent none */
  size_t body_len;
  char *content_length; /* the request's Content-Length header, or NULL */
  pid_t peer;           /* the dockerd that asked (SO_PEERCRED), -1 when unknown; 0 where no
                         * process asked (the unit tests) */
} confine_authz_request_t;

/* Which request it is, for the judgement and the decision log. */
typedef enum
{
  CONFINE_AUTHZ_OTHER,            /* reaches no host path: allowed unchanged */
  CONFINE_AUTHZ_CONTAINER_CREATE, /* POST /containers/create */
  CONFINE_AUTHZ_CONTAINER_START,  /* POST /containers/{id}/start, API < 1.24: a HostConfig body */
  CONFINE_AUTHZ_VOLUME_CREATE,    /* POST /volumes/create */
  CONFINE_AUTHZ_SERVICE,          /* POST /services/create, /services/{id}/update */
  CONFINE_AUTHZ_COPY,             /* /containers/{id}/archive, /containers/{id}/copy: docker cp */
} confine_authz_kind_t;

/* The body of `POST /AuthZPlugin.AuthZReq` (JSON, RequestBody base64). */
int confine_authz_request_parse (const char *buf, size_t len, confine_authz_request_t *out,
                                 confine_error_t *err);
void confine_authz_request_clear (confine_authz_request_t *req);

/* Classify REQ by its method and path, read as dockerd's router reads
 * them (percent-decoded, cleaned, an optional /vN.N prefix). An
 * request-target that cannot be read is an error. */
int confine_authz_classify (const confine_authz_request_t *req, confine_authz_kind_t *kind,
                            confine_error_t *err);
/* The action named in the decision log for KIND. */
const char *confine_authz_action (confine_authz_kind_t kind);

/* Judge REQ (of KIND, not OTHER) with POLICY's mounts rule; V gets the
 * verdict (every other rule skipped). A create that makes dockerd copy an
 * image into a volume, and a request naming a volume such a create
 * (among FLIGHTS, the requests allowed and not yet answered; NULL: none)
 * copies into, is judged by src/copyup.h; CLAIMS (NULL: not wanted) gets
 * what the request names, for the caller to record while it is in
 * flight. Negative when the request cannot be judged: no body forwarded,
 * a body that is not what dockerd would accept, dockerd's data root
 * unreadable, an internal error. The caller refuses then. */
int confine_authz_judge (const confine_policy_t *policy, const confine_authz_request_t *req,
                         confine_authz_kind_t kind, confine_copyup_flights_t *flights,
                         confine_copyup_claims_t *claims, confine_verdict_t *v,
                         confine_error_t *err);

#endif
