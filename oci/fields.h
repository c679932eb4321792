/* SPDX-License-Identifier: Apache-2.0 */
/* Every field of the runtime spec that runc 1.1 reads, and what the gate
 * makes of it: judged by a rule, harmless to confinement, or refused when
 * set. A field runc applies that is in neither of the first two is in the
 * third, so no field goes unjudged by accident; the README's field table
 * is this table (checked by tests/unit/test-fields.c). */
#ifndef CONFINE_FIELDS_H
#define CONFINE_FIELDS_H

#include <stddef.h>

#include "json.h"

typedef enum
{
  CONFINE_FIELD_JUDGED,   /* a rule judges it: `why` names the rule */
  CONFINE_FIELD_HARMLESS, /* runc applies it, and it cannot widen access */
  CONFINE_FIELD_REFUSED,  /* refused when set to anything but null */
} confine_field_status_t;

typedef struct
{
  const char *path; /* dotted; `[]` is every element of an array */
  confine_field_status_t status;
  const char *why;
} confine_field_t;

extern const confine_field_t confine_spec_fields[];
extern const size_t confine_n_spec_fields;

/* The REFUSED fields that ROOT (a config.json tree) sets, as a
 * NULL-terminated list of paths (never NULL). */
int confine_fields_refused (const confine_json_t *root, char ***out, confine_error_t *err);

#endif
