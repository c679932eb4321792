/* SPDX-License-Identifier: Apache-2.0 */
/* confine-runtime: a runtime shim in front of runc.
 *
 *   confine-runtime [runc's global flags] COMMAND [flags] [args]
 *
 * Docker (`runtimes` + `default-runtime`) or containerd (`BinaryName`,
 * `ctr run --runc-binary`) call it exactly as they would call runc. For
 * `create` and `run` it injects what the policy asks into the
 * bundle's config.json (a hook cannot: runc has read the file before any
 * hook runs), judges the final spec, and refuses or execs the real
 * runtime. For `exec` it judges the process file. For `start` it runs the
 * real start as a child and then checks the confinement the kernel really
 * gave the container's process, killing the container when it differs
 * (src/verify.h). Everything else is exec'd unchanged, without reading any
 * spec.
 *
 * A refusal is the line `confine: refused: ...` on stderr, and a runc-style
 * error line in the --log file, because that is where containerd looks for
 * the error it shows to the Docker user; the exit status is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../oci/edit.h"
#include "../src/apparmor.h"
#include "../src/dockerseccomp.h"
#include "../src/log.h"
#include "../src/process.h"
#include "../src/rules.h"
#include "../src/seccomp.h"
#include "../src/utils.h"
#include "../src/verify.h"

/* The gate must not hang a container start: give up (and refuse) first.
 * Cancelled before the real runtime is exec'd, since alarms survive
 * execve. */
#define SHIM_DEADLINE_SECONDS 20
/* runc has no default hook timeout; ours must never hang a start. */
#define HOOK_TIMEOUT_SECONDS 30
#define PROCESS_MAX_BYTES (1u << 20)

extern char **environ;

typedef enum
{
  CMD_NONE,
  CMD_PASS,   /* anything we do not gate */
  CMD_CREATE, /* create, run: a new container from a bundle */
  CMD_RESTORE,
  CMD_EXEC,
  CMD_START,
} cmd_kind_t;

/* What we understood of runc's command line. Pointers borrow argv. */
typedef struct
{
  const char *root;
  const char *log;
  const char *log_format;
  const char *cmd;
  cmd_kind_t kind;
  const char *bundle; /* NULL: the current directory, as runc */
  const char *id;
  const char *process;  /* exec --process */
  const char *pid_file; /* create --pid-file */
} invocation_t;

/* A flag as Go's flag package (under urfave/cli) reads it: `-name` or
 * `--name`, `=value` or the next argument for a value flag. */
typedef struct
{
  const char *name;
  const char *alias;
  bool value;
  const char **out;
} flag_t;

/* ---- refusal ---- */

/* A line in runc's --log file, in the format runc writes there, so the
 * engine's "last error line" logic picks up our reason. containerd always
 * passes --log-format json; JSON is written unless `text` was asked for. */
static void
log_runc_error (const invocation_t *inv, const char *msg)
{
  cleanup_close int fd = -1;
  char ts[32];
  time_t now = time (NULL);
  struct tm tm;
  bool text = inv->log_format && strcmp (inv->log_format, "text") == 0;

  if (inv->log == NULL || inv->log[0] == '\0')
    return;
  gmtime_r (&now, &tm);
  if (strftime (ts, sizeof (ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    ts[0] = '\0';
  /* runc opens it the same way (O_APPEND, 0644); O_NOFOLLOW because the
   * path sits in a bundle we do not own. */
  fd = open (inv->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK,
             0644);
  if (fd < 0)
    return;
  if (text)
    {
      cleanup_free char *line = NULL;
      cleanup_free char *quoted = NULL;
      size_t n = strlen (msg);
      char *q;
      /* logrus's text format quotes with Go's %q; escaping `"` and `\`
       * is all a one-line message needs. */
      if ((quoted = malloc (2 * n + 1)) == NULL)
        return;
      q = quoted;
      for (const char *c = msg; *c; c++)
        {
          if (*c == '"' || *c == '\\')
            *q++ = '\\';
          *q++ = *c;
        }
      *q = '\0';
      if (asprintf (&line, "time=\"%s\" level=error msg=\"%s\"\n", ts, quoted) < 0)
        return;
      cleanup_error confine_error_t ignored = NULL;
      confine_write_all (fd, line, strlen (line), &ignored);
      return;
    }

  {
    cleanup_free char *line = NULL;
    cleanup_error confine_error_t ignored = NULL;
    size_t n;
    if (confine_log_format_runc (msg, ts, &line, &ignored) < 0)
      return;
    /* One write for line and newline, so lines never interleave; the
     * NUL is overwritten, the write goes by length. */
    n = strlen (line);
    line[n] = '\n';
    confine_write_all (fd, line, n + 1, &ignored);
  }
}

/* Report a refusal (MSG has no `confine: ` prefix) and return the exit
 * status. */
static int
refuse (const invocation_t *inv, const char *msg)
{
  cleanup_free char *full = NULL;
  if (asprintf (&full, "confine: %s", msg) < 0)
    full = NULL;
  fprintf (stderr, "%s\n", full ? full : "confine: refused");
  log_runc_error (inv, full ? full : "confine: refused");
  return 1;
}

/* Refusal by error: reported, and logged as a decision when the policy is
 * known. */
static int
refuse_error (const invocation_t *inv, const confine_policy_t *policy, confine_log_entry_t *entry,
              confine_error_t *err)
{
  cleanup_error confine_error_t logerr = NULL;
  cleanup_free char *msg = NULL;

  if (asprintf (&msg, "refused: %s", (*err)->msg) < 0)
    msg = NULL;
  if (entry && policy)
    {
      entry->error = (*err)->msg;
      if (confine_log_decision (policy, entry, NULL, &logerr) < 0)
        fprintf (stderr, "confine: warning: %s\n", logerr->msg);
    }
  return refuse (inv, msg ? msg : "refused");
}

/* ---- command line ---- */

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
        return 1; /* a bool, perhaps as --flag=false */
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
static int
parse_global (int argc, char **argv, invocation_t *inv, int *cmd_at, confine_error_t *err)
{
  const char *ignored = NULL;
  const flag_t flags[] = {
    { "root", NULL, true, &inv->root },   { "log", NULL, true, &inv->log },
    { "log-format", NULL, true, &inv->log_format }, { "criu", NULL, true, &ignored },
    { "rootless", NULL, true, &ignored }, { "debug", NULL, false, NULL },
    { "systemd-cgroup", NULL, false, NULL }, { "help", "h", false, NULL },
    { "version", "v", false, NULL },      { NULL, NULL, false, NULL },
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
  return 0;
}

/* The flags of runc 1.1's create and run, of exec, and of start. */
static int
parse_command (int argc, char **argv, int at, invocation_t *inv, confine_error_t *err)
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
    { "pid-file", NULL, true, &ignored },
    { "process-label", NULL, true, &ignored },
    { "apparmor", NULL, true, &ignored },
    { "cap", "c", true, &ignored },
    { "preserve-fds", NULL, true, &ignored },
    { "cgroup", NULL, true, &ignored },
    { "tty", "t", false, NULL },
    { "detach", "d", false, NULL },
    { "no-new-privs", NULL, false, NULL },
    { "ignore-paused", NULL, false, NULL },
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  const flag_t start_flags[] = {
    { "help", "h", false, NULL },
    { NULL, NULL, false, NULL },
  };
  bool exec = inv->kind == CMD_EXEC;
  const flag_t *flags = exec ? exec_flags : inv->kind == CMD_START ? start_flags : create_flags;

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

/* Log a decision, say what audit mode let through, and refuse or allow.
 * Clears V. */
static int
conclude (const invocation_t *inv, const confine_policy_t *policy, confine_log_entry_t *entry,
          confine_verdict_t *v, const char *summary)
{
  cleanup_error confine_error_t logerr = NULL;
  bool refused = v->refused;

  if (confine_log_decision (policy, entry, v, &logerr) < 0)
    fprintf (stderr, "confine: warning: %s\n", logerr->msg);
  if (v->would_refuse && !refused)
    fprintf (stderr, "confine: %s\n", summary);
  confine_verdict_clear (v);
  return refused ? refuse (inv, summary) : 0;
}

/* ---- create, run ---- */

/* The default AppArmor profile, when it is loaded in an allowed mode. On
 * a host without AppArmor nothing is injected and the AppArmor rule
 * decides (reject, or skip when the policy says so). */
static bool
apparmor_injectable (const confine_policy_t *policy)
{
  cleanup_error confine_error_t ignored = NULL;
  confine_aa_profiles_t list = { 0 };
  const char *mode;
  bool ok;

  if (policy->apparmor_default_profile == NULL || policy->apparmor_default_profile[0] == '\0')
    return false;
  if (confine_apparmor_profiles (policy->securityfs, &list, &ignored) < 0)
    return false;
  mode = confine_apparmor_mode (&list, policy->apparmor_default_profile);
  ok = mode != NULL && confine_strv_has (policy->apparmor_allowed_modes, mode);
  confine_apparmor_profiles_clear (&list);
  return ok;
}

/* Edit DOC per policy. Returns the number of edits, negative on error. */
static int
inject (const confine_policy_t *policy, const char *policy_path, const confine_spec_t *spec,
        confine_json_t *doc, confine_error_t *err)
{
  int edits = 0;

  /* An empty section installs no filter in runc, exactly like an absent
   * one, so it gets the default profile too. */
  if (policy->inject_seccomp && confine_seccomp_is_empty (spec->seccomp)
      && policy->seccomp_default_profile && policy->seccomp_default_profile[0])
    {
      cleanup_json confine_json_t *profile = NULL;
      confine_dockerseccomp_host_t host;
      confine_json_t *sec = NULL;
      int r;
      if (confine_dockerseccomp_load (policy->seccomp_default_profile, &profile, err) < 0
          || confine_dockerseccomp_host (&host, err) < 0)
        return confine_error_wrap (err, "inject seccomp");
      /* Converted against this container's bounding set, as Docker does:
       * a container with CAP_SYS_ADMIN gets the rules Docker gives it. */
      r = confine_dockerseccomp_convert (profile, spec->process.caps.names[CONFINE_CAP_BOUNDING],
                                         &host, &sec, err);
      if (r < 0)
        return confine_error_wrap (err, "inject seccomp: `%s`", policy->seccomp_default_profile);
      if (r > 0)
        {
          if (confine_edit_set_seccomp (doc, sec, err) < 0)
            return -1;
          edits++;
        }
    }

  if (policy->inject_apparmor && spec->process.present && spec->process.apparmor_profile == NULL
      && apparmor_injectable (policy))
    {
      if (confine_edit_set_apparmor (doc, policy->apparmor_default_profile, err) < 0)
        return -1;
      edits++;
    }

  if (policy->inject_no_new_privileges && spec->process.present
      && !spec->process.no_new_privileges)
    {
      if (confine_edit_set_no_new_privileges (doc, err) < 0)
        return -1;
      edits++;
    }

  if (policy->inject_hook && policy->hook_path && policy->hook_path[0])
    {
      bool have = false;
      for (size_t i = 0; i < spec->n_hooks[CONFINE_HOOK_CREATE_RUNTIME] && !have; i++)
        have = spec->hooks[CONFINE_HOOK_CREATE_RUNTIME][i].path
               && strcmp (spec->hooks[CONFINE_HOOK_CREATE_RUNTIME][i].path, policy->hook_path) == 0;
      if (!have)
        {
          const char *args[] = { "confine-hook", "--policy", policy_path, NULL };
          /* Without `env`, runc hands a hook its own whole environment,
           * LD_PRELOAD and all; the hook needs none of it. */
          const char *env[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                NULL };
          if (confine_edit_add_hook (doc, "createRuntime", policy->hook_path, args, env,
                                     HOOK_TIMEOUT_SECONDS, err)
              < 0)
            return -1;
          edits++;
        }
    }
  return edits;
}

/* Fix, for `start`, what the kernel must show once the user process runs
 * (src/verify.h). Only for `create`: `run` starts the container
 * itself. Best effort: without a record, start asks the
 * runtime. */
static void
remember_create (const invocation_t *inv, const confine_policy_t *policy, const char *bundle,
                 const confine_spec_t *spec, const confine_verdict_t *v)
{
  cleanup_error confine_error_t err = NULL;
  confine_expect_t e = { 0 };

  if (strcmp (inv->cmd, "create") != 0 || inv->id == NULL)
    return;
  /* runc resolves --pid-file against its cwd, which start will not share. */
  if (inv->pid_file && inv->pid_file[0] && inv->pid_file[0] != '/')
    {
      cleanup_free char *cwd = getcwd (NULL, 0);
      if (cwd && asprintf (&e.pid_file, "%s/%s", cwd, inv->pid_file) < 0)
        e.pid_file = NULL;
    }
  else if (inv->pid_file && inv->pid_file[0])
    e.pid_file = confine_strdup (inv->pid_file, &err);
  if (err != NULL || (e.root = confine_strdup (inv->root ? inv->root : "", &err)) == NULL
      || (e.id = confine_strdup (inv->id, &err)) == NULL
      || (e.bundle = confine_strdup (bundle, &err)) == NULL
      || confine_expect_from_verdict (spec, v, &e, &err) < 0
      || confine_expect_save (policy->cache_dir, &e, &err) < 0)
    fprintf (stderr, "confine: warning: %s\n", err->msg);
  confine_expect_clear (&e);
}

/* Returns 0 to run the container, 1 when refused (reported), negative on
 * error (not yet reported). */
static int
gate_create (const invocation_t *inv, const confine_policy_t *policy, const char *policy_path,
             const char *bundle, confine_log_entry_t *entry, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *text = NULL;
  cleanup_free char *summary = NULL;
  cleanup_close int dirfd = -1;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  confine_verdict_t verdict = { 0 };
  size_t len = 0, tlen = 0;
  int edits;

  /* runc chdirs into the bundle and reads config.json there; we read the
   * same file through one directory fd. */
  if (confine_bundle_read (bundle, &dirfd, &buf, &len, err) < 0)
    return -1;
  if (confine_spec_parse (buf, len, &spec, &doc, err) < 0)
    return confine_error_wrap (err, "`%s/config.json`", bundle);

  if ((edits = inject (policy, policy_path, spec, doc, err)) < 0)
    return -1;
  if (edits > 0)
    {
      /* Judge the bytes runc will read, not our tree: parse the text we
       * are about to write. */
      confine_spec_free (steal_pointer (&spec));
      if (confine_json_write (doc, false, &text, &tlen, err) < 0
          || confine_spec_parse (text, tlen, &spec, NULL, err) < 0)
        return confine_error_wrap (err, "rewritten `%s/config.json`", bundle);
    }

  {
    confine_context_t ctx = { .policy = policy,
                              .id = inv->id,
                              .bundle = bundle,
                              .annotations = spec->annotations,
                              .n_annotations = spec->n_annotations };
    if (confine_evaluate_spec (&ctx, spec, &verdict, err) < 0
        || confine_verdict_summary (&verdict, &summary, err) < 0)
      {
        confine_verdict_clear (&verdict);
        return -1;
      }
  }
  /* Written only once the spec is allowed: a refused bundle stays as its
   * owner left it. A failed write refuses (logged as such by the caller),
   * with the old file intact. */
  if (!verdict.refused && edits > 0
      && confine_edit_write_atomic (dirfd, "config.json", text, tlen, err) < 0)
    {
      confine_verdict_clear (&verdict);
      return confine_error_wrap (err, "rewrite `%s/config.json`", bundle);
    }
  if (!verdict.refused)
    remember_create (inv, policy, bundle, spec, &verdict);
  return conclude (inv, policy, entry, &verdict, summary);
}

/* ---- exec ---- */

static int
gate_exec (const invocation_t *inv, const confine_policy_t *policy, confine_log_entry_t *entry,
           confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *summary = NULL;
  confine_process_t proc = { 0 };
  confine_verdict_t verdict = { 0 };
  size_t len = 0;

  /* Without --process, runc builds the process from the bundle's current
   * config.json plus --cap, --apparmor and --no-new-privs; engines never
   * do that, and judging it would mean finding the bundle through runc's
   * state. Refused rather than let through unjudged. */
  if (inv->process == NULL || inv->process[0] == '\0')
    return confine_make_error (err, 0, "exec without --process cannot be judged; pass the "
                               "process as a file with --process");
  if (confine_read_file (inv->process, PROCESS_MAX_BYTES, &buf, &len, err) < 0
      || confine_process_parse (buf, len, &proc, err) < 0)
    return confine_error_wrap (err, "exec process `%s`", inv->process);

  {
    confine_context_t ctx = { .policy = policy, .id = inv->id };
    if (confine_evaluate_process (&ctx, &proc, &verdict, err) < 0
        || confine_verdict_summary (&verdict, &summary, err) < 0)
      {
        confine_verdict_clear (&verdict);
        confine_process_clear (&proc);
        return -1;
      }
  }
  confine_process_clear (&proc);
  return conclude (inv, policy, entry, &verdict, summary);
}

/* ---- the real runtime ---- */

/* Resolve NAME as execvp would, so we can refuse to exec ourselves: a
 * policy whose `runtime` points back at the shim would loop forever. */
static int
resolve_runtime (const char *name, char **out, confine_error_t *err)
{
  const char *path = getenv ("PATH");
  struct stat self, st;

  if (name == NULL || name[0] == '\0')
    return confine_make_error (err, 0, "the policy names no `runtime`");
  if (strchr (name, '/'))
    {
      if ((*out = confine_strdup (name, err)) == NULL)
        return -1;
    }
  else
    {
      *out = NULL;
      if (path == NULL || path[0] == '\0')
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
      for (const char *p = path; *out == NULL;)
        {
          const char *colon = strchr (p, ':');
          size_t n = colon ? (size_t) (colon - p) : strlen (p);
          char *cand = NULL;
          if (asprintf (&cand, "%.*s%s%s", (int) n, n ? p : ".", "/", name) < 0)
            return confine_make_error (err, ENOMEM, "runtime path");
          if (stat (cand, &st) == 0 && S_ISREG (st.st_mode) && access (cand, X_OK) == 0)
            *out = cand;
          else
            free (cand);
          if (colon == NULL)
            break;
          p = colon + 1;
        }
      if (*out == NULL)
        return confine_make_error (err, ENOENT, "runtime `%s` not found in PATH", name);
    }
  if (stat (*out, &st) < 0)
    return confine_make_error (err, errno, "runtime `%s`", *out);
  if (stat ("/proc/self/exe", &self) == 0 && self.st_dev == st.st_dev && self.st_ino == st.st_ino)
    return confine_make_error (err, 0, "the policy's runtime `%s` is confine-runtime itself",
                               *out);
  return 0;
}

/* Replace this process with the runtime: same argv (but argv[0]), same
 * environment, fds, signal dispositions we never touched, and so the
 * runtime's own exit status. Returns only on failure. */
static int
exec_runtime (const confine_policy_t *policy, char **argv, confine_error_t *err)
{
  cleanup_free char *path = NULL;

  if (resolve_runtime (policy->runtime, &path, err) < 0)
    return -1;
  alarm (0);
  argv[0] = policy->runtime;
  execv (path, argv);
  return confine_make_error (err, errno, "execute runtime `%s`", path);
}

/* ---- start ---- */

/* Returns the exit status (the real start's, or 1 when refused and
 * reported), negative on error (not yet reported; a container that had
 * started is killed first). */
static int
gate_start (const invocation_t *inv, const confine_policy_t *policy, char **argv, int cmd_at,
            confine_log_entry_t *entry, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *summary = NULL;
  cleanup_error confine_error_t logerr = NULL;
  confine_expect_t e = { 0 };
  confine_task_ref_t ref = { .dirfd = -1 };
  confine_observed_t seen = { 0 };
  confine_verdict_t verdict = { 0 };
  confine_runtime_t rt = { .globals = argv, .n_globals = (size_t) cmd_at };
  int status = 0, r, rc = -1;

  if (resolve_runtime (policy->runtime, &path, err) < 0)
    return -1;
  rt.path = path;
  argv[0] = policy->runtime;
  r = confine_verify_find (&rt, policy, inv->root ? inv->root : "", inv->id, &e, &ref, err);
  if (r <= 0)
    {
      confine_expect_clear (&e);
      if (r < 0)
        return -1;
      exec_runtime (policy, argv, err);
      return -1;
    }
  entry->bundle = e.bundle;

  /* The start itself runs without our deadline, as it would when exec'd. */
  alarm (0);
  r = confine_run_child (path, argv, &status, NULL, 0, err);
  confine_expect_forget (policy->cache_dir, inv->root ? inv->root : "", inv->id);
  if (r < 0 || status != 0)
    {
      /* Not started (fork failed) or the runtime failed and said why:
       * nothing runs that could be checked. */
      rc = r < 0 ? -1 : status;
      goto out;
    }
  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime start");

  /* From here the container runs: any failure to verify kills it. */
  if ((r = confine_task_wait_exec (&ref, CONFINE_VERIFY_EXEC_TIMEOUT_MS, err)) < 0
      || (r > 0 && confine_task_observe (&ref, e.apparmor_profile != NULL, &seen, err) < 0))
    {
      confine_verify_kill (&rt, inv->id, &ref);
      confine_error_wrap (err, "container `%s` killed after start", inv->id);
      goto out;
    }
  seen.gone = seen.gone || r == 0;
  if (confine_verify_judge (policy, &e, ref.pid, &seen, &verdict, err) < 0
      || confine_verdict_summary (&verdict, &summary, err) < 0)
    {
      confine_verify_kill (&rt, inv->id, &ref);
      goto out;
    }
  if (verdict.refused)
    confine_verify_kill (&rt, inv->id, &ref);
  if (confine_log_decision (policy, entry, &verdict, &logerr) < 0)
    fprintf (stderr, "confine: warning: %s\n", logerr->msg);
  if (verdict.would_refuse && !verdict.refused)
    fprintf (stderr, "confine: %s\n", summary);
  if (verdict.refused)
    {
      cleanup_free char *msg = NULL;
      if (asprintf (&msg, "%s; the container was killed", summary) < 0)
        msg = NULL;
      rc = refuse (inv, msg ? msg : summary);
    }
  else
    rc = 0;

out:
  confine_verdict_clear (&verdict);
  confine_observed_clear (&seen);
  confine_task_ref_close (&ref);
  confine_expect_clear (&e);
  return rc;
}

int
main (int argc, char **argv)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *policy = NULL;
  cleanup_free char *policy_abs = NULL;
  cleanup_free char *bundle = NULL;
  const char *policy_path = getenv ("CONFINE_POLICY");
  invocation_t inv = { 0 };
  confine_log_entry_t entry = { .component = "shim" };
  int cmd_at = argc;

  /* No confine_process_sanitize here, on purpose: it sets no_new_privs,
   * which runc and every container would inherit (breaking setuid
   * programs inside and AppArmor's profile change at exec), and the shim
   * must hand runc its whole environment (XDG_RUNTIME_DIR, NOTIFY_SOCKET,
   * _LIBCONTAINER_*, GOMAXPROCS...) and its inherited fds (console
   * socket, --preserve-fds) exactly as it got them. We open nothing
   * without O_CLOEXEC. */
  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime");

  if (policy_path == NULL || policy_path[0] == '\0')
    policy_path = CONFINE_DEFAULT_POLICY;

  if (parse_global (argc, argv, &inv, &cmd_at, &err) < 0)
    return refuse_error (&inv, NULL, NULL, &err);
  if (cmd_at < argc)
    {
      inv.cmd = argv[cmd_at];
      if (strcmp (inv.cmd, "create") == 0 || strcmp (inv.cmd, "run") == 0)
        inv.kind = CMD_CREATE;
      else if (strcmp (inv.cmd, "restore") == 0)
        inv.kind = CMD_RESTORE;
      else if (strcmp (inv.cmd, "exec") == 0)
        inv.kind = CMD_EXEC;
      else if (strcmp (inv.cmd, "start") == 0)
        inv.kind = CMD_START;
      else
        inv.kind = CMD_PASS;
    }

  /* The policy names the runtime, so even a pass-through needs it. A
   * broken policy refuses everything: it is the administrator's to fix,
   * and a guessed runtime could be the wrong one. */
  if (confine_policy_load (policy_path, true, &policy, &err) < 0)
    return refuse_error (&inv, NULL, NULL, &err);

  /* A restored process takes its capabilities and seccomp state from the
   * checkpoint image, and its AppArmor label from the image or from
   * --lsm-profile: nothing the gate can judge from config.json. */
  if (inv.kind == CMD_RESTORE)
    {
      confine_make_error (&err, 0, "restore: a restored container's confinement comes from "
                          "its checkpoint image, which the gate cannot judge");
      return refuse_error (&inv, policy, &entry, &err);
    }

  if (inv.kind == CMD_CREATE || inv.kind == CMD_EXEC)
    {
      int rc;
      entry.action = inv.cmd;
      if (parse_command (argc, argv, cmd_at, &inv, &err) < 0)
        return refuse_error (&inv, policy, &entry, &err);
      entry.id = inv.id;
      if (inv.kind == CMD_CREATE)
        {
          /* The hook runs with the bundle as cwd: give it a path that
           * means the same file from there. */
          if (policy_path[0] != '/')
            {
              policy_abs = realpath (policy_path, NULL);
              if (policy_abs == NULL)
                {
                  confine_make_error (&err, errno, "policy `%s`", policy_path);
                  return refuse_error (&inv, policy, &entry, &err);
                }
              policy_path = policy_abs;
            }
          /* Resolved for the rules that compare host paths (relative
           * bind-mount sources are relative to the bundle). */
          bundle = realpath (inv.bundle && inv.bundle[0] ? inv.bundle : ".", NULL);
          if (bundle == NULL)
            {
              confine_make_error (&err, errno, "bundle `%s`", inv.bundle ? inv.bundle : ".");
              return refuse_error (&inv, policy, &entry, &err);
            }
          entry.bundle = bundle;
          rc = gate_create (&inv, policy, policy_path, bundle, &entry, &err);
        }
      else
        rc = gate_exec (&inv, policy, &entry, &err);
      if (rc < 0)
        return refuse_error (&inv, policy, &entry, &err);
      if (rc > 0)
        return rc;
    }

  /* A start we cannot parse is the runtime's to reject. */
  if (inv.kind == CMD_START && parse_command (argc, argv, cmd_at, &inv, &err) == 0 && inv.id)
    {
      int rc;
      entry.action = inv.cmd;
      entry.id = inv.id;
      if ((rc = gate_start (&inv, policy, argv, cmd_at, &entry, &err)) < 0)
        return refuse_error (&inv, policy, &entry, &err);
      return rc;
    }
  confine_error_release (&err);

  exec_runtime (policy, argv, &err);
  return refuse_error (&inv, NULL, NULL, &err);
}
