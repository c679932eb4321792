/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../base/utils.h"

/* Set when any generator call fails (invalid UTF-8 in a fact, say):
 * yajl then skips the value and would hand out a broken document. */
static bool json_failed;

static void
track (yajl_gen_status s)
{
  if (s != yajl_gen_status_ok)
    json_failed = true;
}

int
confine_cli_common_option (int c, const char **policy_path, bool *json, void (*usage) (FILE *))
{
  switch (c)
    {
    case 'p':
      *policy_path = optarg;
      return -1;
    case 'j':
      *json = true;
      return -1;
    case 'h':
      usage (stdout);
      return CLI_EXIT_OK;
    default:
      usage (stderr);
      return CLI_EXIT_USAGE;
    }
}

int
confine_cli_fail (confine_error_t *err)
{
  fprintf (stderr, "confine: %s\n", *err && (*err)->msg ? (*err)->msg : "unknown error");
  return CLI_EXIT_USAGE;
}

yajl_gen
confine_cli_json_open (confine_error_t *err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  if (g == NULL)
    {
      confine_make_error (err, ENOMEM, "allocate JSON generator");
      return NULL;
    }
  yajl_gen_config (g, yajl_gen_beautify, 1);
  /* Facts quote file contents and paths; never emit invalid UTF-8 to a
   * CI pipeline that will parse it. */
  yajl_gen_config (g, yajl_gen_validate_utf8, 1);
  return g;
}

void
confine_cli_jkey (yajl_gen g, const char *key)
{
  if (key)
    track (yajl_gen_string (g, (const unsigned char *) key, strlen (key)));
}

void
confine_cli_jopen (yajl_gen g, const char *key, bool array)
{
  confine_cli_jkey (g, key);
  track (array ? yajl_gen_array_open (g) : yajl_gen_map_open (g));
}

void
confine_cli_jclose (yajl_gen g, bool array)
{
  track (array ? yajl_gen_array_close (g) : yajl_gen_map_close (g));
}

void
confine_cli_jstr (yajl_gen g, const char *key, const char *value)
{
  confine_cli_jkey (g, key);
  track (value ? yajl_gen_string (g, (const unsigned char *) value, strlen (value))
               : yajl_gen_null (g));
}

void
confine_cli_jint (yajl_gen g, const char *key, long long value)
{
  confine_cli_jkey (g, key);
  track (yajl_gen_integer (g, value));
}

void
confine_cli_jbool (yajl_gen g, const char *key, bool value)
{
  confine_cli_jkey (g, key);
  track (yajl_gen_bool (g, value));
}

void
confine_cli_jstrv (yajl_gen g, const char *key, char *const *values)
{
  confine_cli_jkey (g, key);
  track (yajl_gen_array_open (g));
  for (char *const *v = values; v && *v; v++)
    confine_cli_jstr (g, NULL, *v);
  track (yajl_gen_array_close (g));
}

int
confine_cli_json_close (yajl_gen g, confine_error_t *err)
{
  const unsigned char *buf = NULL;
  size_t len = 0;
  int ret = 0;

  /* yajl records a generation error (such as invalid UTF-8) and refuses
   * to hand out the buffer; that is an error, never partial output. */
  if (json_failed || yajl_gen_get_buf (g, &buf, &len) != yajl_gen_status_ok)
    ret = confine_make_error (err, 0, "format JSON output");
  else if (fwrite (buf, 1, len, stdout) != len || (len && buf[len - 1] != '\n' && putchar ('\n') == EOF)
           || fflush (stdout) != 0)
    ret = confine_make_error (err, errno, "write output");
  yajl_gen_free (g);
  return ret;
}
