/* SPDX-License-Identifier: Apache-2.0 */
/* confine-runtime's parts, one file each, as crun splits its commands:
 * args.c (runc's command line), create.c, exec.c, start.c, passthrough.c
 * (finding and executing the real runtime) and refuse.c (how a refusal
 * reaches the engine). main.c only dispatches. */
#ifndef CONFINE_SHIM_H
#define CONFINE_SHIM_H

#include "../src/log.h"
#include "../src/rules.h"

/* The gate must not hang a container start: give up (and refuse) first.
 * Cancelled before the real runtime is exec'd, since alarms survive
 * execve. */
#define SHIM_DEADLINE_SECONDS 20

typedef enum
{
  CMD_NONE,
  CMD_PASS,   /* anything we do not gate */
  CMD_CREATE, /* create, run: a new container from a bundle */
  CMD_RESTORE,
  CMD_EXEC,
  CMD_START,
  CMD_UPDATE,
} confine_shim_cmd_t;

/* What we understood of runc's command line. Pointers borrow argv. */
typedef struct
{
  const char *root;
  const char *log;
  const char *log_format;
  const char *version; /* --version or -v was given, and not as false */
  const char *cmd;
  confine_shim_cmd_t kind;
  const char *bundle; /* NULL: the current directory, as runc */
  const char *id;
  const char *process;  /* exec --process */
  const char *pid_file; /* create or exec --pid-file */
  const char *detach;   /* exec --detach as given (perhaps `--detach=false`), or NULL */
  bool no_pivot;        /* create or run --no-pivot */
  const char *resources; /* update --resources (`-`: stdin), NULL without */
} confine_shim_inv_t;

/* args.c: runc's global flags up to the command, whose index goes to
 * *CMD_AT (ARGC when there is none) and whose kind is set in INV. */
int confine_shim_parse_global (int argc, char **argv, confine_shim_inv_t *inv, int *cmd_at,
                               confine_error_t *err);
/* args.c: the flags and id of create, run, exec, start or update. */
int confine_shim_parse_command (int argc, char **argv, int at, confine_shim_inv_t *inv,
                                confine_error_t *err);

/* refuse.c: report a refusal (MSG has no `confine: ` prefix) on stderr
 * and in the --log file; returns the exit status, 1. */
int confine_shim_refuse (const confine_shim_inv_t *inv, const char *msg);
/* refuse.c: a refusal by error, also logged as a decision when POLICY is
 * known. */
int confine_shim_refuse_error (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                               confine_log_entry_t *entry, confine_error_t *err);
/* refuse.c: log the decision V (what audit mode let through goes there
 * and to syslog only), and refuse or allow (0). Clears V. */
int confine_shim_conclude (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                           confine_log_entry_t *entry, confine_verdict_t *v, const char *summary);

/* create.c: `create` runs the real create as a child and checks what it
 * set up; `run` is judged and, with *GO_ON set, goes on to the real
 * runtime. Returns the exit status, the outcome already reported. */
int confine_shim_create (const confine_shim_inv_t *inv, const confine_policy_t *policy,
                         const char *policy_path, char **argv, int cmd_at,
                         confine_log_entry_t *entry, bool *go_on);
/* exec.c: with *GO_ON set, go on to the real runtime (ARGV's --process
 * then names the judged copy); else the exit status, the outcome already
 * reported (a detached exec runs the real one as a child and checks what
 * it started). ARGV and CMD_AT as for start, to ask the real runtime's
 * `state` for the container's init. */
int confine_shim_exec (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                       int argc, int cmd_at, confine_log_entry_t *entry, bool *go_on);
/* start.c: runs the real start itself; returns the exit status. */
int confine_shim_start (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                        int cmd_at, confine_log_entry_t *entry);

/* update.c: 0 to go on to the real runtime (ARGV then reads the judged
 * resources from stdin), else the exit status, the outcome already
 * reported. */
int confine_shim_update (const confine_shim_inv_t *inv, const confine_policy_t *policy, char **argv,
                         int argc, int cmd_at, confine_log_entry_t *entry);

/* args.c: a bool flag ARG as ParseFlags kept it (`--flag` or
 * `--flag=V`, NULL when absent) read as urfave/cli reads it (Go's
 * strconv.ParseBool): only an explicit false is false, so that a guess
 * never skips a check. */
bool confine_shim_flag_set (const char *arg);

/* args.c: --pid-file as an absolute path (runc resolves it against its
 * current directory, which is ours); NULL when none is given, or with
 * ERR set when the current directory cannot be read. */
char *confine_shim_pid_file (const confine_shim_inv_t *inv, confine_error_t *err);

/* args.c: set the value of a flag in ARGV (VALUE points into ARGV: the
 * last one given, which runc reads, as the parser found it, its own
 * argument or after `--flag=`) to REPLACEMENT. */
void confine_shim_set_value (char **argv, int argc, int cmd_at, const char *value,
                             const char *replacement);

/* passthrough.c: a sealed memory file holding the LEN bytes of BUF,
 * close-on-exec, at offset 0: what the gate judged, for the real runtime
 * to read instead of a file others can change after the judgement. WHAT
 * names it in errors. Returns the descriptor or -1. */
int confine_shim_judged_copy (const char *what, const char *buf, size_t len,
                              confine_error_t *err);

/* passthrough.c: the real runtime's path (src/standin.h), with argv[0]
 * set for it. */
int confine_shim_resolve_runtime (const confine_policy_t *policy, char **argv, char **out,
                                  confine_error_t *err);
/* passthrough.c: `--version`, the real runtime's and then ours; returns
 * the real runtime's exit status. */
int confine_shim_version (const confine_policy_t *policy, char **argv, confine_error_t *err);
/* passthrough.c: a command the gate does not judge, to the real runtime
 * without loading the policy. Returns only on failure. */
int confine_shim_pass (const char *policy_path, char **argv, confine_error_t *err);
/* passthrough.c: replace this process with the real runtime. Returns only
 * on failure. */
int confine_shim_exec_runtime (const confine_policy_t *policy, char **argv, confine_error_t *err);

#endif
