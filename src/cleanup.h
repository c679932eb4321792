/* SPDX-License-Identifier: Apache-2.0 */
/* Cleanup attributes for the host libraries the rules use (libseccomp,
 * libcap). They live here, not in base/utils.h, so that base/ and oci/
 * build without those libraries' headers. Safe on NULL, like the rest. */
#ifndef CONFINE_CLEANUP_H
#define CONFINE_CLEANUP_H

#include <seccomp.h>
#include <sys/capability.h>

static inline void
confine_cleanup_scmp_ctxp (scmp_filter_ctx *ctx)
{
  if (*ctx != NULL)
    seccomp_release (*ctx);
}

static inline void
confine_cleanup_capp (cap_t *c)
{
  if (*c != NULL)
    cap_free (*c);
}

#define cleanup_seccomp __attribute__ ((cleanup (confine_cleanup_scmp_ctxp)))
#define cleanup_cap __attribute__ ((cleanup (confine_cleanup_capp)))

#endif
