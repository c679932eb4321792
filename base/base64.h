/* SPDX-License-Identifier: Apache-2.0 */
/* Canonical base64 (RFC 4648, with padding), the only form decoded here. */
#ifndef CONFINE_BASE64_H
#define CONFINE_BASE64_H

#include <stddef.h>

#include "error.h"

/* Decode TEXT (LEN characters): only canonical base64 (length a multiple
 * of 4, `=` only at the very end, nothing outside the alphabet), on which
 * every decoder agrees; anything else is refused. *OUT gets the bytes (one
 * more, a NUL, allocated after them) and *N their count. */
int confine_base64_decode (const char *text, size_t len, unsigned char **out, size_t *n,
                           confine_error_t *err);

#endif
