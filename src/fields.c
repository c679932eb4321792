/* SPDX-License-Identifier: Apache-2.0 */
/* The fields rule: a spec field that a runtime applies and that no other
 * rule judges is refused when set (oci/fields.h has the table). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>

#include "rules.h"
#include "../base/utils.h"
#include "../oci/fields.h"

int
confine_rule_fields (const confine_context_t *ctx CONFINE_UNUSED, const confine_subject_t *s,
                     confine_rule_result_t *r, confine_error_t *err)
{
  cleanup_free char *list = NULL;
  size_t len = 0;
  FILE *f;

  if (s->spec->refused_fields[0] == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "sets no field the gate cannot judge");
      return 0;
    }
  if ((f = open_memstream (&list, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (char **p = s->spec->refused_fields; *p; p++)
    fprintf (f, "%s%s", p == s->spec->refused_fields ? "" : ", ", *p);
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe fields");
  confine_result_set (r, CONFINE_RESULT_FAIL, "rules.fields",
                      "sets %s, which the gate does not judge (a runtime newer than runc "
                      "1.1 applies it)",
                      list);
  return 0;
}
