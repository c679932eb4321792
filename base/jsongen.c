/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <string.h>
#include <yajl/yajl_gen.h>

#include "jsongen.h"
#include "utils.h"

struct confine_jgen
{
  yajl_gen g;
  bool ok;
  bool replace_invalid;
};

confine_jgen_t *
confine_jgen_new (unsigned flags)
{
  confine_jgen_t *g = confine_xcalloc (1, sizeof (*g));
  /* yajl allocates through malloc, which alloc.c makes infallible; under
   * AddressSanitizer it is ASan's, so check here too. */
  if ((g->g = yajl_gen_alloc (NULL)) == NULL)
    confine_oom ();
  g->ok = true;
  g->replace_invalid = (flags & CONFINE_JGEN_REPLACE_INVALID) != 0;
  yajl_gen_config (g->g, yajl_gen_beautify, (flags & CONFINE_JGEN_PRETTY) ? 1 : 0);
  yajl_gen_config (g->g, yajl_gen_validate_utf8, 1);
  return g;
}

void
confine_jgen_free (confine_jgen_t *g)
{
  if (g == NULL)
    return;
  yajl_gen_free (g->g);
  free (g);
}

void
confine_cleanup_jgenp (confine_jgen_t **g)
{
  confine_jgen_free (*g);
}

static void
track (confine_jgen_t *g, yajl_gen_status s)
{
  if (s != yajl_gen_status_ok)
    g->ok = false;
}

static void
string (confine_jgen_t *g, const char *s)
{
  yajl_gen_status st = yajl_gen_string (g->g, (const unsigned char *) s, strlen (s));
  if (st == yajl_gen_invalid_string && g->replace_invalid)
    st = yajl_gen_string (g->g, (const unsigned char *) "(not valid UTF-8)", 17);
  track (g, st);
}

void
confine_jgen_key (confine_jgen_t *g, const char *key)
{
  if (key)
    string (g, key);
}

void
confine_jgen_open (confine_jgen_t *g, const char *key, bool array)
{
  confine_jgen_key (g, key);
  track (g, array ? yajl_gen_array_open (g->g) : yajl_gen_map_open (g->g));
}

void
confine_jgen_close (confine_jgen_t *g, bool array)
{
  track (g, array ? yajl_gen_array_close (g->g) : yajl_gen_map_close (g->g));
}

void
confine_jgen_str (confine_jgen_t *g, const char *key, const char *value)
{
  confine_jgen_key (g, key);
  if (value)
    string (g, value);
  else
    track (g, yajl_gen_null (g->g));
}

void
confine_jgen_strv (confine_jgen_t *g, const char *key, char *const *values)
{
  confine_jgen_open (g, key, true);
  for (char *const *v = values; v && *v; v++)
    confine_jgen_str (g, NULL, *v);
  confine_jgen_close (g, true);
}

void
confine_jgen_int (confine_jgen_t *g, const char *key, long long value)
{
  confine_jgen_key (g, key);
  track (g, yajl_gen_integer (g->g, value));
}

void
confine_jgen_bool (confine_jgen_t *g, const char *key, bool value)
{
  confine_jgen_key (g, key);
  track (g, yajl_gen_bool (g->g, value));
}

void
confine_jgen_number (confine_jgen_t *g, const char *key, const char *text)
{
  confine_jgen_key (g, key);
  track (g, yajl_gen_number (g->g, text, strlen (text)));
}

int
confine_jgen_finish (confine_jgen_t *g, char **out, size_t *len, confine_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t blen = 0;
  int ret = 0;

  /* yajl also refuses to hand out the buffer after an error of its own. */
  if (!g->ok || yajl_gen_get_buf (g->g, &buf, &blen) != yajl_gen_status_ok)
    ret = confine_make_error (err, 0, "format JSON");
  else
    {
      *out = confine_xstrndup ((const char *) buf, blen);
      if (len)
        *len = blen;
    }
  confine_jgen_free (g);
  return ret;
}
