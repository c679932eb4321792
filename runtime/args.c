/* SPDX-License-Identifier: Apache-2.0 */
/* runc 1.1's command line, as far as the gate must understand it: the
 * global flags, the command, and the flags of the commands it gates. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "shim.h"
#include "../base/alloc.h"
#include "../base/utils.h"

/* A flag as Go's flag package (under urfave/cli) reads it: `-name` or
 * `--name`, `=value` or the next argument for a value flag. */
typedef struct
{
  const char *name;
  const char *alias;
  bool value;
  const char **out;
} flag_t;

/* Returns the number of arguments consumed (1 or 2), 0 when ARG is not
 * one of FLAGS, negative when a value is missing. */
static int
match_flag (const flag_t *flags, char *const *argv, int i, int argc)
{
  const char *arg = argv[i];
  const char *name = arg + (arg[1] == '-' ? 2 : 1);
  const char *eq = strchr (name, '=');
  size_t n = eq ? (size_t) (eq - name) : strlen (name);

  for (const flag_t *f = flags; f->name; f++)
    {
      bool hit = (strlen (f->name) == n && strncmp (f->name, name, n) == 0)
                 || (f->alias && strlen (f->alias) == n && strncmp (f->alias, name, n) == 0);
      if (!hit)
        continue;
      if (!f->value)
        {
          /* a bool, perhaps as --flag=false */
          if (f->out)
            *f->out = arg;
          return 1;
        }
      if (eq)
        {
          *f->out = eq + 1;
          return 1;
        }
      if (i + 1 >= argc)
        return -1;
      *f->out = argv[i + 1];
      return 2;
    }
  return 0;
}

static bool
is_flag (const char *arg)
{
  return arg[0] == '-' && arg[1] != '\0' && strcmp (arg, "--") != 0;
}

/* runc's global flags, then the command. An unknown flag before the
 * command makes the command itself uncertain, so it is refused: guessing
 * wrong could let a `create` through as a pass-through. */
int
confine_shim_parse_global (int argc, char **argv, confine_shim_inv_t *inv, int *cmd_at, confine_error_t *err)
{
  const char *ignored = NULL;
  const flag_t flags[] = {
    { "root", NULL, true, &inv->root },   { "log", NULL, true, &inv->log },
    { "log-format", NULL, true, &inv->log_format }, { "criu", NULL, true, &ignored },
    { "rootless", NULL, true, &ignored }, { "debug", NULL, false, NULL },
    { "systemd-cgroup", NULL, false, NULL }, { "help", "h", false, NULL },
    { "version", "v", false, &inv->version },      { NULL, NULL, false, NULL },
  };
  int i = 1;

  *cmd_at = argc;
  while (i < argc)
    {
      int r;
      if (strcmp (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      if (!is_flag (argv[i]))
        break;
      r = match_flag (flags, argv, i, argc);
      if (r < 0)
        return confine_make_error (err, 0, "runtime flag `%s` needs a value", argv[i]);
      if (r == 0)
        return confine_make_error (err, 0, "unknown runtime flag `%s`", argv[i]);
      i += r;
    }
  *cmd_at = i;
  /* `--version=false` runs the command, as runc reads it: judged. */
  if (!confine_shim_flag_set (inv->version))
    inv->version = NULL;
  if (i < argc)
    {
      inv->cmd = argv[i];
      if (strcmp (inv->cmd, "create") == 0 || strcmp (inv->cmd, "run") == 0)
        inv->kind = CMD_CREATE;
      else if (strcmp (inv->cmd, "restore") == 0)
        inv->kind = CMD_RESTORE;
      else if (strcmp (inv->cmd, "exec") == 0)
        inv->kind = CMD_EXEC;
      else if (strcmp (inv->cmd, "start") == 0)
        inv->kind = CMD_START;
      else if (strcmp (inv->cmd, "update") == 0)
        inv->kind = CMD_UPDATE;
      else
        inv->kind = CMD_PASS;
    }
  return 0;
}

/* The flags of runc 1.1's create and run, of exec, of start, and of
 * update. */
int
confine_shim_parse_command (int argc, char **argv, int at, confine_shim_inv_t *inv, confine_error_t *err)
{
  const char *ignored = NULL;
  const flag_t create_flags[] = {
    { "bundle", "b", true, &inv->bundle },
    { "console-socket", NULL, true, &ignored },
    { "pid-file", NULL, true, &inv->pid_file },
    { "preserve-fds", NULL, true, &ignored },
    { "no-pivot", NULL, false, NULL },
    { "no-new-keyring", NULL, false, NULL },
    /* run */
    { "detach", "d", false, NULL },
    { "keep", NULL, false, NULL },
    { "no-subreaper", NULL, false, NULL },
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  const flag_t exec_flags[] = {
    { "process", "p", true, &inv->process },
    { "console-socket", NULL, true, &ignored },
    { "cwd", NULL, true, &ignored },
    { "env", "e", true, &ignored },
    { "user", "u", true, &ignored },
    { "additional-gids", "g", true, &ignored },
    { "pid-file", NULL, true, &inv->pid_file },
    { "process-label", NULL, true, &ignored },
    { "apparmor", NULL, true, &ignored },
    { "cap", "c", true, &ignored },
    { "preserve-fds", NULL, true, &ignored },
    { "cgroup", NULL, true, &ignored },
    { "tty", "t", false, NULL },
    { "detach", "d", false, &inv->detach },
    { "no-new-privs", NULL, false, NULL },
    { "ignore-paused", NULL, false, NULL },
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  const flag_t start_flags[] = {
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  /* Only --resources can carry linux.resources.unified; the rest set
   * limits runc builds itself. */
  const flag_t update_flags[] = {
    { "resources", "r", true, &inv->resources },
    { "blkio-weight", NULL, true, &ignored },
    { "cpu-period", NULL, true, &ignored },
    { "cpu-quota", NULL, true, &ignored },
    { "cpu-share", NULL, true, &ignored },
    { "cpu-rt-period", NULL, true, &ignored },
    { "cpu-rt-runtime", NULL, true, &ignored },
    { "cpuset-cpus", NULL, true, &ignored },
    { "cpuset-mems", NULL, true, &ignored },
    { "kernel-memory", NULL, true, &ignored },
    { "kernel-memory-tcp", NULL, true, &ignored },
    { "memory", NULL, true, &ignored },
    { "memory-reservation", NULL, true, &ignored },
    { "memory-swap", NULL, true, &ignored },
    { "pids-limit", NULL, true, &ignored },
    { "l3-cache-schema", NULL, true, &ignored },
    { "mem-bw-schema", NULL, true, &ignored },
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  bool exec = inv->kind == CMD_EXEC;
  const flag_t *flags = exec                         ? exec_flags
                        : inv->kind == CMD_START   ? start_flags
                        : inv->kind == CMD_UPDATE ? update_flags
                                                   : create_flags;

  /* Read in every spelling Go accepts, by the same reader as the hook's;
   * an id that looks like the flag reads as the flag, which only refuses. */
  if (inv->kind == CMD_CREATE)
    inv->no_pivot = confine_argv_no_pivot (argv + at + 1, (size_t) (argc - at - 1));

  /* urfave/cli moves create's flags before its arguments, so a flag may
   * follow the id; exec sets SkipArgReorder, so its flags end at the
   * first argument (the rest is the command to run). Either way `--` ends
   * the flags. The last of repeated flags wins, as in Go's flag package. */
  for (int i = at + 1; i < argc;)
    {
      int r;
      if (strcmp (argv[i], "--") == 0)
        {
          if (inv->id == NULL && i + 1 < argc)
            inv->id = argv[i + 1];
          break;
        }
      if (!is_flag (argv[i]))
        {
          if (inv->id == NULL)
            inv->id = argv[i];
          if (exec)
            break;
          i++;
          continue;
        }
      r = match_flag (flags, argv, i, argc);
      if (r < 0)
        return confine_make_error (err, 0, "`%s %s` needs a value", inv->cmd, argv[i]);
      if (r == 0)
        return confine_make_error (err, 0, "unknown flag `%s` for `%s`", argv[i], inv->cmd);
      i += r;
    }
  return 0;
}

void
confine_shim_set_value (char **argv, int argc, int cmd_at, const char *value,
                        const char *replacement)
{
  for (int i = cmd_at + 1; i < argc; i++)
    {
      size_t n = strlen (argv[i]);
      if (argv[i] == value)
        argv[i] = (char *) replacement;
      else if (value > argv[i] && value <= argv[i] + n)
        argv[i] = confine_xasprintf ("%.*s%s", (int) (value - argv[i]), argv[i], replacement);
      else
        continue;
      return;
    }
}

char *
confine_shim_pid_file (const confine_shim_inv_t *inv, confine_error_t *err)
{
  cleanup_free char *cwd = NULL;

  if (inv->pid_file == NULL || inv->pid_file[0] == '\0')
    return NULL;
  if (inv->pid_file[0] == '/')
    return confine_xstrdup (inv->pid_file);
  if ((cwd = getcwd (NULL, 0)) == NULL)
    {
      confine_make_error (err, errno, "pid file `%s`: the current directory", inv->pid_file);
      return NULL;
    }
  return confine_xasprintf ("%s/%s", cwd, inv->pid_file);
}

bool
confine_shim_flag_set (const char *arg)
{
  const char *eq = arg ? strchr (arg, '=') : NULL;

  if (arg == NULL)
    return false;
  return eq == NULL || !confine_go_false (eq + 1);
}
