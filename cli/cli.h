/* SPDX-License-Identifier: Apache-2.0 */
/* The `confine` command: shared pieces of its subcommands. Like the hook
 * and the shim, it is a thin front end: every judgement comes from the
 * core library, and only these files print. */
#ifndef CONFINE_CLI_H
#define CONFINE_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "../base/error.h"
#include "../src/policy.h"
#include "../src/status.h"
#include "../base/utils.h"

/* Exit codes, the same for every subcommand. */
enum
{
  CLI_EXIT_OK = 0,      /* allowed; or, for status, nothing unconfined */
  CLI_EXIT_REFUSED = 1, /* refused; or, for status, something unconfined */
  CLI_EXIT_USAGE = 2,   /* usage or input error */
};

/* The container configs `confine warm` judges by default (install.sh
 * puts config/warm/ there). */
#define CONFINE_WARM_DIR "/etc/confine/warm"

int confine_cli_check (int argc, char **argv);
int confine_cli_warm (int argc, char **argv);
int confine_cli_status (int argc, char **argv);
int confine_cli_denials (int argc, char **argv);
int confine_cli_audit_summary (int argc, char **argv);

/* The policy, or the built-in defaults when none is installed yet:
 * status and denials are most useful exactly before installation. */
typedef struct
{
  const char *path;
  confine_policy_t *policy;
  bool from_file;
  bool owner_ok;
  char *error;
} confine_cli_policy_t;

int confine_cli_load_policy (const char *path, confine_cli_policy_t *pi, confine_error_t *err);
void confine_cli_policy_clear (confine_cli_policy_t *pi);
/* The default runc state roots, then EXTRA (the --root options), once each. */
int confine_cli_roots (const char *const *extra, size_t n_extra, char ***out, confine_error_t *err);
/* C's spec (NULL when its bundle cannot be read) and engine name (or NULL). */
int confine_cli_container_spec (const confine_container_t *c, confine_spec_t **spec, char **name,
                                confine_error_t *err);

/* The options every subcommand takes, as getopt returned C: 'p'
 * (--policy), 'j' (--json), 'h' (--help, USAGE on stdout). Returns -1
 * when C was one of them, else the exit code to return now (--help, or an
 * unknown option: USAGE on stderr). */
int confine_cli_common_option (int c, const char **policy_path, bool *json,
                               void (*usage) (FILE *));

/* Report an error as `confine: MSG` on stderr and return CLI_EXIT_USAGE. */
int confine_cli_fail (confine_error_t *err);

/* JSON output goes through base/jsongen.h (confine_jgen_new with
 * CONFINE_JGEN_PRETTY): write the document to stdout and free the
 * generator. A failed call anywhere is an error, never partial output. */
int confine_cli_json_close (confine_jgen_t *g, confine_error_t *err);

#endif
