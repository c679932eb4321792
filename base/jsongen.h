/* SPDX-License-Identifier: Apache-2.0 */
/* The one JSON generator: yajl's, behind calls that cannot be half
 * obeyed. A call that fails (yajl refuses invalid UTF-8, say) would leave
 * a key without its value, a document that parses as something else than
 * what was decided; so every failure is remembered and the document is
 * then never handed out (confine_jgen_finish fails), unless the generator
 * was asked to replace invalid strings (the decision log, whose facts may
 * quote a host path that is not UTF-8, and must still be written). */
#ifndef CONFINE_JSONGEN_H
#define CONFINE_JSONGEN_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct confine_jgen confine_jgen_t;

enum
{
  CONFINE_JGEN_PRETTY = 1 << 0,          /* indented, for people */
  CONFINE_JGEN_REPLACE_INVALID = 1 << 1, /* a string that is not UTF-8 becomes "(not valid UTF-8)" */
};

confine_jgen_t *confine_jgen_new (unsigned flags) __attribute__ ((returns_nonnull));
void confine_jgen_free (confine_jgen_t *g);
void confine_cleanup_jgenp (confine_jgen_t **g);
#define cleanup_jgen __attribute__ ((cleanup (confine_cleanup_jgenp)))

/* Each value call takes the member's KEY first when inside an object,
 * NULL inside an array or at the top. */
void confine_jgen_key (confine_jgen_t *g, const char *key);
void confine_jgen_open (confine_jgen_t *g, const char *key, bool array);
void confine_jgen_close (confine_jgen_t *g, bool array);
/* VALUE NULL writes null. */
void confine_jgen_str (confine_jgen_t *g, const char *key, const char *value);
void confine_jgen_strv (confine_jgen_t *g, const char *key, char *const *values);
void confine_jgen_int (confine_jgen_t *g, const char *key, long long value);
void confine_jgen_bool (confine_jgen_t *g, const char *key, bool value);
/* A number as its text, written as is: 2^64-1 stays 2^64-1. */
void confine_jgen_number (confine_jgen_t *g, const char *key, const char *text);

/* The document, NUL-terminated, in *OUT (and its length in *LEN when
 * LEN is not NULL); fails if any call failed. G is freed either way. */
int confine_jgen_finish (confine_jgen_t *g, char **out, size_t *len, confine_error_t *err);

#endif
