/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../base/utils.h"

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

int
confine_cli_json_close (confine_jgen_t *g, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (confine_jgen_finish (g, &buf, &len, err) < 0)
    return confine_error_wrap (err, "output");
  if (fwrite (buf, 1, len, stdout) != len || (len && buf[len - 1] != '\n' && putchar ('\n') == EOF)
      || fflush (stdout) != 0)
    return confine_make_error (err, errno, "write output");
  return 0;
}
