/* SPDX-License-Identifier: Apache-2.0 */
/* `confine status`: is this host ready for the gate, and how are the
 * containers that run now really confined? The second half reads the
 * kernel's view of each init process, not any spec, so it also catches a
 * container started around the gate (another runtime, a runc by hand).
 * It needs no engine running: everything comes from files. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/apparmor.h>
#include <sys/stat.h>

#include "cli.h"
#include "../src/apparmor.h"
#include "../src/cves.h"
#include "../src/policy.h"
#include "../src/rules.h"
#include "../src/status.h"
#include "../base/file.h"
#include "../base/utils.h"
#include "../src/verify.h"

#define MAX_EXTRA_ROOTS 64
#define CAP_SYS_ADMIN_BIT 21

typedef struct
{
  bool kernel_enabled;
  char *kernel_error;
  bool available; /* the profile list is readable */
  char *error;
  confine_aa_profiles_t list;
  const char *default_mode; /* mode of the policy's default profile, NULL if not loaded */
  /* AppArmor is not in the kernel and the policy's apparmor.when_unavailable
   * is skip: the gate lets containers run without it, so status judges
   * them on seccomp alone rather than flag every one of them. */
  bool skipped;
} apparmor_info_t;

typedef struct
{
  confine_container_t *c;
  char *name;              /* the engine's name for it, or NULL */
  bool alive;              /* its init was read */
  confine_observed_t seen;
  bool unconfined;         /* the policy's own verdict on what runs: refused */
  char *reasons;           /* the facts behind it */
} container_view_t;

static const char *
seccomp_mode_name (int mode)
{
  switch (mode)
    {
    case 0:
      return "disabled";
    case 1:
      return "strict";
    case 2:
      return "filter";
    default:
      return "unknown";
    }
}

static int
read_apparmor (const confine_policy_t *policy, apparmor_info_t *aa)
{
  cleanup_error confine_error_t rerr = NULL;

  aa->kernel_enabled = aa_is_enabled () == 1;
  aa->skipped = !aa->kernel_enabled && policy->apparmor_skip_when_unavailable;
  if (!aa->kernel_enabled)
    {
      /* libapparmor's errno values, as aa_is_enabled(2) documents them. */
      int e = errno;
      const char *why = e == ENOSYS      ? "AppArmor is not in this kernel, or not an active LSM"
                        : e == ECANCELED ? "AppArmor is disabled at boot"
                        : e == ENOENT    ? "securityfs is not mounted"
                        : e == EBUSY     ? "AppArmor is not accessible from this namespace"
                                         : strerror (e);
      aa->kernel_error = confine_xstrdup (why);
    }
  if (confine_apparmor_profiles (policy->securityfs, &aa->list, &rerr) < 0)
    {
      aa->error = confine_xstrdup (rerr->msg);
      return aa->error ? 0 : -1;
    }
  aa->available = true;
  aa->default_mode = confine_apparmor_mode (&aa->list, policy->apparmor_default_profile);
  return 0;
}

/* The modes seen in the profile list, in order of first appearance. */
static size_t
mode_names (const confine_aa_profiles_t *list, const char **modes, size_t max)
{
  size_t n = 0;
  for (size_t i = 0; i < list->n; i++)
    {
      size_t j = 0;
      while (j < n && strcmp (modes[j], list->profiles[i].mode) != 0)
        j++;
      if (j == n && n < max)
        modes[n++] = list->profiles[i].mode;
    }
  return n;
}

static size_t
mode_count (const confine_aa_profiles_t *list, const char *mode)
{
  size_t n = 0;
  for (size_t i = 0; i < list->n; i++)
    n += strcmp (list->profiles[i].mode, mode) == 0;
  return n;
}

/* Judge what a running init process really has, by the policy's own
 * definition of confined (confine_expect_from_policy, confine_live_judge:
 * the same as the check after start), its exemptions included. A created
 * container is not judged: its init still runs as runc, and the AppArmor
 * label (and, with noNewPrivileges, the filter) only apply at its
 * execve. */
static int
view_container (const confine_policy_t *policy, confine_container_t *c, const apparmor_info_t *aa,
                container_view_t *v, confine_error_t *err)
{
  cleanup_spec confine_spec_t *spec = NULL;
  confine_task_ref_t ref = { .dirfd = -1 };
  confine_expect_t e = { 0 };
  confine_verdict_t verdict = { 0 };
  confine_context_t ctx = { .policy = policy, .id = c->id, .bundle = c->bundle };
  int r;

  v->c = c;
  if (c->error || c->pid <= 0 || strcmp (c->status, "stopped") == 0)
    return 0;
  /* The spec gives the name and the annotations exemptions match on. */
  if (confine_cli_container_spec (c, &spec, &v->name, err) < 0)
    return -1;
  if (spec)
    {
      ctx.annotations = spec->annotations;
      ctx.n_annotations = spec->n_annotations;
    }
  if ((r = confine_task_pin (c->pid, &ref, err)) <= 0)
    return r;
  r = confine_task_observe (&ref, aa->kernel_enabled, &v->seen, err);
  confine_task_ref_close (&ref);
  if (r < 0)
    return -1;
  v->alive = !v->seen.gone;
  if (!v->alive || strcmp (c->status, "running") != 0)
    return 0;
  confine_expect_from_policy (&ctx, aa->kernel_enabled, &e);
  confine_live_judge (&ctx, &e, c->pid, &v->seen, &verdict);
  r = 0;
  if ((v->unconfined = verdict.would_refuse))
    {
      /* The gate's own summary of the facts, whatever the mode. */
      static const char prefix[] = "refused: ";
      cleanup_free char *summary = NULL;
      verdict.refused = true;
      if ((r = confine_verdict_summary (&verdict, &summary, err)) == 0)
        v->reasons = confine_xstrdup (summary + sizeof (prefix) - 1);
    }
  confine_verdict_clear (&verdict);
  return r;
}

static const char *const cve_states[] = { "fixed", "fixed by package", "missing" };

/* The runtime the shim runs, against the escapes only a runtime fixes. */
static void
print_runtime (const confine_runtime_info_t *rt)
{
  size_t n_missing = 0;

  printf ("\nruntime:\n");
  if (rt->error)
    {
      printf ("  %s\n", rt->error);
      return;
    }
  if (!rt->runc)
    {
      printf ("  %s: not runc; no table of known escapes for it\n", rt->path);
      return;
    }
  printf ("  runc %s (%s%s%s)\n", rt->version, rt->path, rt->package ? "; Debian package " : "",
          rt->package ? rt->package : "");
  for (int i = 0; i < CONFINE_RUNC_CVES; i++)
    {
      const confine_cve_t *c = &rt->cves[i];
      printf ("  %-15s %-16s %s (fixed upstream in %s)\n", c->id, cve_states[c->state], c->what,
              c->fixed_in);
      n_missing += c->state == CONFINE_CVE_MISSING;
    }
  if (n_missing)
    printf ("  WARNING: this runc lacks the fix for %zu known container escape%s that no spec "
            "check can see; upgrade it (or the distribution's package)\n",
            n_missing, n_missing == 1 ? "" : "s");
}

/* The value of NAME in a NUL-separated environment, NULL without. */
static const char *
env_value (const char *env, size_t len, const char *name)
{
  size_t n = strlen (name);
  for (const char *e = env; e < env + len; e += strlen (e) + 1)
    if (strncmp (e, name, n) == 0 && e[n] == '=')
      return e + n + 1;
  return NULL;
}

/* Where the running containerd's runc shims write exec's process files:
 * go-runc's os.CreateTemp($XDG_RUNTIME_DIR), that is $TMPDIR or /tmp
 * without it. The shim refuses such a file below a directory others can
 * add names to (a container binding /tmp could have put its own there),
 * so every exec through that containerd is refused: say so before its
 * users do. Every containerd and containerd-shim* process counts (a shim
 * keeps the environment of the containerd that started it, so one of a
 * container started before the fix still writes in /tmp); each one that
 * writes there is named (the first 16). NULL when all are fine or none
 * runs; only for the live host. */
static char *
exec_dir_warning (const char *sysroot)
{
  cleanup_dir DIR *proc = strcmp (sysroot, "/") == 0 ? opendir ("/proc") : NULL;
  cleanup_free char *list = NULL;
  cleanup_free char *why = NULL;
  struct dirent *de;
  unsigned n = 0;

  while (proc && (de = readdir (proc)) != NULL)
    {
      cleanup_error confine_error_t e = NULL;
      cleanup_free char *comm = NULL;
      cleanup_free char *env = NULL;
      cleanup_free char *path = NULL;
      const char *dir;
      size_t len = 0;
      int fd = -1;

      if (de->d_name[0] < '1' || de->d_name[0] > '9')
        continue;
      path = confine_xasprintf ("/proc/%s/comm", de->d_name);
      if (confine_read_file (path, 64, &comm, NULL, &e) < 0)
        continue; /* gone meanwhile */
      comm[strcspn (comm, "\n")] = '\0';
      if (strcmp (comm, "containerd") != 0 && strncmp (comm, "containerd-shim", 15) != 0)
        continue;
      free (path);
      path = confine_xasprintf ("/proc/%s/environ", de->d_name);
      if (confine_read_file (path, 1u << 20, &env, &len, &e) < 0)
        {
          if (e->status == ENOENT || e->status == ESRCH)
            continue;
          dir = "?";
        }
      else
        {
          dir = env_value (env, len, "XDG_RUNTIME_DIR");
          if (dir == NULL || dir[0] == '\0')
            dir = env_value (env, len, "TMPDIR");
          if (dir == NULL || dir[0] == '\0')
            dir = "/tmp";
          /* DIR/. : DIR itself is then walked through, where files are
           * created, not only reached. */
          free (path);
          path = confine_xasprintf ("%s/.", dir);
          if (confine_open_private_path (path, O_PATH | O_DIRECTORY, &fd, &e) == 0)
            {
              close (fd);
              continue;
            }
        }
      if (why == NULL)
        why = confine_xstrdup (e->msg);
      if (++n <= 16)
        {
          char *more = confine_xasprintf ("%s%s%s pid %s in `%s`", list ? list : "",
                                          list ? "; " : "", comm, de->d_name, dir);
          free (list);
          list = more;
        }
    }
  if (n == 0)
    return NULL;
  return confine_xasprintf ("%u containerd process%s %s exec's process files written where the "
                            "shim refuses them, so every exec through %s is refused (%s): %s%s; "
                            "run containerd with XDG_RUNTIME_DIR=/run/containerd/tmp "
                            "(install.sh's drop-in), restart it and the containers to exec into",
                            n, n == 1 ? "" : "es", n == 1 ? "has" : "have", n == 1 ? "it" : "them",
                            why, list, n > 16 ? "; ..." : "");
}

static void
print_text (const confine_cli_policy_t *pi, const apparmor_info_t *aa, char *const *actions,
            const char *actions_error, const confine_registration_t *reg,
            const confine_runtime_info_t *rt, const char *exec_dir, char *const *roots,
            const confine_containers_t *list, const container_view_t *views)
{
  static const char *const engines[] = { "docker", "containerd", "hooks.d", "runtimes" };
  const confine_policy_t *p = pi->policy;
  const char *modes[32];
  size_t n_modes, n_views = list->n;
  unsigned flagged = 0;

  printf ("policy: %s: ", pi->path);
  if (pi->from_file)
    printf ("%s mode, sha256 %.12s%s\n", p->audit ? "audit" : "enforce", p->sha256,
            pi->owner_ok ? "" : " (NOT root-owned or group/other-writable: the gate refuses everything)");
  else
    printf ("not usable (%s); showing built-in defaults\n", pi->error);

  printf ("\nAppArmor:\n");
  printf ("  kernel: %s%s%s\n", aa->kernel_enabled ? "enabled" : "not enabled",
          aa->kernel_error ? " - " : "", aa->kernel_error ? aa->kernel_error : "");
  if (aa->skipped)
    printf ("  containers: judged on seccomp only (AppArmor is unavailable and the policy's "
            "apparmor.when_unavailable is skip)\n");
  if (!aa->available)
    printf ("  profiles: AppArmor not available: %s\n", aa->error);
  else
    {
      n_modes = mode_names (&aa->list, modes, 32);
      printf ("  profiles: %zu loaded (%s/apparmor/profiles)", aa->list.n, p->securityfs);
      for (size_t m = 0; m < n_modes; m++)
        printf ("%s%zu %s", m ? ", " : ": ", mode_count (&aa->list, modes[m]), modes[m]);
      putchar ('\n');
      for (size_t m = 0; m < n_modes; m++)
        {
          printf ("    %s:", modes[m]);
          for (size_t i = 0; i < aa->list.n; i++)
            if (strcmp (aa->list.profiles[i].mode, modes[m]) == 0)
              printf (" %s", aa->list.profiles[i].name);
          putchar ('\n');
        }
      printf ("  default profile `%s`: %s%s\n", p->apparmor_default_profile,
              aa->default_mode ? "loaded in " : "NOT loaded (run install.sh, or apparmor_parser -r -W)",
              aa->default_mode ? aa->default_mode : "");
    }

  printf ("\nseccomp:\n  kernel actions: ");
  if (actions == NULL)
    printf ("unknown (%s)\n", actions_error);
  else
    {
      for (char *const *a = actions; *a; a++)
        printf ("%s%s", a == actions ? "" : " ", *a);
      putchar ('\n');
    }

  printf ("\nengines:\n");
  for (int i = 0; i < 4; i++)
    printf ("  %-11s %s: %s\n", engines[i], reg[i].state, reg[i].detail ? reg[i].detail : "");
  if (exec_dir)
    printf ("  WARNING: %s\n", exec_dir);
  print_runtime (rt);

  printf ("\ncontainers (runc state roots:");
  for (char *const *r = roots; *r; r++)
    printf (" %s", *r);
  printf ("%s):\n", roots[0] ? "" : " none found");
  for (size_t i = 0; i < list->n_unreadable; i++)
    printf ("  %s: %s: its containers are not checked (run as root)\n", list->unreadable[i].root,
            list->unreadable[i].error);
  if (n_views == 0 && list->n_unreadable == 0)
    printf ("  none\n");
  for (size_t i = 0; i < n_views; i++)
    {
      const container_view_t *v = &views[i];
      const confine_container_t *c = v->c;
      printf ("  %s%s%s%s  %s", c->id, v->name ? " (" : "", v->name ? v->name : "",
              v->name ? ")" : "", c->error ? "unreadable" : c->status);
      if (c->error)
        {
          printf ("  state: %s  [%s]\n", c->error, c->root);
          continue;
        }
      if (c->pid > 0)
        printf ("  pid %d", (int) c->pid);
      if (v->alive)
        {
          const confine_observed_t *o = &v->seen;
          printf ("  apparmor: ");
          if (o->label)
            printf ("%s%s%s%s", o->label, o->mode ? " (" : "", o->mode ? o->mode : "",
                    o->mode ? ")" : "");
          else
            printf ("%s", aa->kernel_enabled ? o->label_error ? o->label_error : "?"
                          : aa->skipped      ? "none (skipped by policy)"
                                             : "none");
          printf ("  Seccomp: %d (%s", o->seccomp, seccomp_mode_name (o->seccomp));
          if (o->seccomp_filters >= 0)
            printf (", %d filter%s", o->seccomp_filters, o->seccomp_filters == 1 ? "" : "s");
          printf (")  NoNewPrivs: %d", o->no_new_privs);
          if ((o->has_caps & (1u << CONFINE_CAP_EFFECTIVE)) && (o->caps[CONFINE_CAP_EFFECTIVE] >> CAP_SYS_ADMIN_BIT) & 1)
            printf ("  CAP_SYS_ADMIN");
        }
      printf ("  [%s]\n", c->root);
      if (v->unconfined)
        {
          printf ("    UNCONFINED: %s\n", v->reasons);
          flagged++;
        }
      else if (strcmp (c->status, "created") == 0)
        printf ("    not started yet: AppArmor applies when init execs the container process\n");
    }
  if (flagged)
    printf ("\n%u running container%s not confined\n", flagged, flagged == 1 ? " is" : "s are");
  if (list->n_unreadable)
    printf ("\n%zu state root%s could not be read: the list above may be incomplete\n",
            list->n_unreadable, list->n_unreadable == 1 ? "" : "s");
}

static int
print_json (const confine_cli_policy_t *pi, const apparmor_info_t *aa, char *const *actions,
            const char *actions_error, const confine_registration_t *reg,
            const confine_runtime_info_t *rt, const char *exec_dir, char *const *roots,
            const confine_containers_t *list, const container_view_t *views, confine_error_t *err)
{
  static const char *const engines[] = { "docker", "containerd", "hooks.d", "runtimes" };
  const confine_policy_t *p = pi->policy;
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_PRETTY);
  const char *modes[32];
  size_t n_modes, n_views = list->n;

  confine_jgen_open (g, NULL, false);
  confine_jgen_open (g, "policy", false);
  confine_jgen_str (g, "path", pi->path);
  confine_jgen_bool (g, "loaded", pi->from_file);
  confine_jgen_str (g, "error", pi->error);
  confine_jgen_bool (g, "owner_ok", pi->owner_ok);
  confine_jgen_str (g, "mode", p->audit ? "audit" : "enforce");
  confine_jgen_str (g, "sha256", pi->from_file ? p->sha256 : NULL);
  confine_jgen_close (g, false);

  confine_jgen_open (g, "apparmor", false);
  confine_jgen_bool (g, "kernel_enabled", aa->kernel_enabled);
  confine_jgen_str (g, "kernel_error", aa->kernel_error);
  /* false: containers are judged on seccomp only (see apparmor_info_t). */
  confine_jgen_bool (g, "judged", !aa->skipped);
  confine_jgen_str (g, "securityfs", p->securityfs);
  confine_jgen_bool (g, "available", aa->available);
  confine_jgen_str (g, "error", aa->error);
  confine_jgen_open (g, "modes", false);
  n_modes = mode_names (&aa->list, modes, 32);
  for (size_t m = 0; m < n_modes; m++)
    confine_jgen_int (g, modes[m], (long long) mode_count (&aa->list, modes[m]));
  confine_jgen_close (g, false);
  confine_jgen_open (g, "profiles", true);
  for (size_t i = 0; i < aa->list.n; i++)
    {
      confine_jgen_open (g, NULL, false);
      confine_jgen_str (g, "name", aa->list.profiles[i].name);
      confine_jgen_str (g, "mode", aa->list.profiles[i].mode);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, true);
  confine_jgen_str (g, "default_profile", p->apparmor_default_profile);
  confine_jgen_str (g, "default_profile_mode", aa->default_mode);
  confine_jgen_close (g, false);

  confine_jgen_open (g, "seccomp", false);
  if (actions)
    confine_jgen_strv (g, "actions_avail", actions);
  else
    confine_jgen_str (g, "actions_avail", NULL);
  confine_jgen_str (g, "error", actions_error);
  confine_jgen_close (g, false);

  confine_jgen_open (g, "engines", false);
  for (int i = 0; i < 4; i++)
    {
      confine_jgen_open (g, engines[i], false);
      confine_jgen_str (g, "state", reg[i].state);
      confine_jgen_str (g, "file", reg[i].file);
      confine_jgen_str (g, "detail", reg[i].detail);
      confine_jgen_str (g, "default_runtime", reg[i].default_runtime);
      if (i == 1)
        confine_jgen_str (g, "exec_dir_warning", exec_dir);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, false);

  confine_jgen_open (g, "runtime", false);
  confine_jgen_str (g, "path", rt->path);
  confine_jgen_str (g, "error", rt->error);
  confine_jgen_bool (g, "runc", rt->runc);
  confine_jgen_str (g, "version", rt->version);
  confine_jgen_str (g, "package", rt->package);
  confine_jgen_open (g, "cves", true);
  for (int i = 0; rt->runc && i < CONFINE_RUNC_CVES; i++)
    {
      confine_jgen_open (g, NULL, false);
      confine_jgen_str (g, "id", rt->cves[i].id);
      confine_jgen_str (g, "state", cve_states[rt->cves[i].state]);
      confine_jgen_str (g, "fixed_in", rt->cves[i].fixed_in);
      confine_jgen_str (g, "what", rt->cves[i].what);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, true);
  confine_jgen_close (g, false);

  confine_jgen_strv (g, "roots", roots);
  confine_jgen_open (g, "unreadable_roots", true);
  for (size_t i = 0; i < list->n_unreadable; i++)
    {
      confine_jgen_open (g, NULL, false);
      confine_jgen_str (g, "root", list->unreadable[i].root);
      confine_jgen_str (g, "error", list->unreadable[i].error);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, true);
  confine_jgen_open (g, "containers", true);
  for (size_t i = 0; i < n_views; i++)
    {
      const container_view_t *v = &views[i];
      const confine_container_t *c = v->c;
      confine_jgen_open (g, NULL, false);
      confine_jgen_str (g, "id", c->id);
      confine_jgen_str (g, "name", v->name);
      confine_jgen_str (g, "root", c->root);
      confine_jgen_str (g, "bundle", c->bundle);
      confine_jgen_str (g, "status", c->error ? "unreadable" : c->status);
      confine_jgen_str (g, "error", c->error);
      confine_jgen_int (g, "pid", c->pid);
      if (v->alive)
        {
          const confine_observed_t *o = &v->seen;
          confine_jgen_open (g, "apparmor", false);
          confine_jgen_str (g, "label", o->label);
          confine_jgen_str (g, "mode", o->mode);
          confine_jgen_str (g, "error", o->label_error);
          confine_jgen_close (g, false);
          confine_jgen_open (g, "seccomp", false);
          confine_jgen_int (g, "mode", o->seccomp);
          confine_jgen_str (g, "mode_name", seccomp_mode_name (o->seccomp));
          confine_jgen_int (g, "filters", o->seccomp_filters);
          confine_jgen_close (g, false);
          confine_jgen_int (g, "no_new_privs", o->no_new_privs);
          confine_jgen_bool (g, "cap_sys_admin",
                             (o->has_caps & (1u << CONFINE_CAP_EFFECTIVE)) && ((o->caps[CONFINE_CAP_EFFECTIVE] >> CAP_SYS_ADMIN_BIT) & 1));
        }
      confine_jgen_bool (g, "unconfined", v->unconfined);
      confine_jgen_str (g, "reasons", v->unconfined ? v->reasons : NULL);
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, true);
  confine_jgen_close (g, false);
  return confine_cli_json_close (g, err);
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine status [--policy FILE] [--json] [--root DIR]... [--sysroot DIR]\n"
              "Exit 0: nothing running unconfined; 1: something is; 2: error, or a runc\n"
              "state root could not be read (the report is still printed).\n");
}

int
confine_cli_status (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "json", no_argument, NULL, 'j' },
                                        { "root", required_argument, NULL, 'r' },
                                        { "sysroot", required_argument, NULL, 's' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error confine_error_t err = NULL;
  cleanup_error confine_error_t aerr = NULL;
  cleanup_strv char **roots = NULL;
  cleanup_strv char **actions = NULL;
  cleanup_free container_view_t *views = NULL;
  cleanup_free char *exec_dir = NULL;
  const char *extra[MAX_EXTRA_ROOTS];
  const char *sysroot = "/";
  size_t n_extra = 0;
  confine_cli_policy_t pi = { 0 };
  apparmor_info_t aa = { 0 };
  confine_registration_t reg[4] = { { 0 } };
  confine_runtime_info_t rt = { 0 };
  confine_containers_t list = { 0 };
  bool json = false;
  int c, rc = CLI_EXIT_USAGE;
  const char *policy_path = CONFINE_DEFAULT_POLICY;

  optind = 1;
  while ((c = getopt_long (argc, argv, "p:jh", opts, NULL)) != -1)
    switch (c)
      {
      case 'r':
        if (n_extra == MAX_EXTRA_ROOTS)
          {
            fprintf (stderr, "confine: at most %d --root options\n", MAX_EXTRA_ROOTS);
            return CLI_EXIT_USAGE;
          }
        extra[n_extra++] = optarg;
        break;
      case 's':
        sysroot = optarg;
        break;
      default:
        if ((c = confine_cli_common_option (c, &policy_path, &json, usage)) >= 0)
          return c;
      }
  if (optind != argc)
    {
      fprintf (stderr, "confine: status takes no arguments\n");
      usage (stderr);
      return CLI_EXIT_USAGE;
    }

  if (confine_cli_load_policy (policy_path, &pi, &err) < 0 || read_apparmor (pi.policy, &aa) < 0)
    goto out;
  if (confine_seccomp_actions_avail (&actions, &aerr) < 0)
    actions = NULL;
  if (confine_registration_docker (sysroot, &reg[0], &err) < 0
      || confine_registration_containerd (sysroot, &reg[1], &err) < 0
      || confine_registration_hooksd (sysroot, &reg[2], &err) < 0
      || confine_registration_runtimes (sysroot, &reg[3], &err) < 0)
    goto out;
  confine_runtime_info (pi.policy->runtime, &rt);
  exec_dir = exec_dir_warning (sysroot);

  if (confine_cli_roots (extra, n_extra, &roots, &err) < 0)
    goto out;
  if (confine_runc_containers (roots, &list, &err) < 0)
    goto out;
  if (list.n)
    views = confine_xcalloc (list.n, sizeof (*views));
  rc = CLI_EXIT_OK;
  for (size_t i = 0; i < list.n; i++)
    {
      if (view_container (pi.policy, &list.items[i], &aa, &views[i], &err) < 0)
        goto out;
      if (views[i].unconfined)
        rc = CLI_EXIT_REFUSED;
    }

  if (json)
    {
      if (print_json (&pi, &aa, actions, aerr ? aerr->msg : NULL, reg, &rt, exec_dir, roots, &list,
                      views, &err)
          < 0)
        goto out;
    }
  else
    print_text (&pi, &aa, actions, aerr ? aerr->msg : NULL, reg, &rt, exec_dir, roots, &list, views);
  /* A root that could not be read may hold an unconfined container:
   * "nothing unconfined" (0) cannot be claimed, so this is an error (2)
   * unless something was found unconfined anyway (1). The report above is
   * still complete for everything that could be read. */
  if (list.n_unreadable && rc == CLI_EXIT_OK)
    {
      fprintf (stderr, "confine: %zu runc state root%s could not be read; run as root to check "
               "every container\n", list.n_unreadable, list.n_unreadable == 1 ? "" : "s");
      rc = CLI_EXIT_USAGE;
    }

out:
  if (err)
    rc = confine_cli_fail (&err);
  for (size_t i = 0; views && i < list.n; i++)
    {
      confine_observed_clear (&views[i].seen);
      free (views[i].name);
      free (views[i].reasons);
    }
  confine_containers_clear (&list);
  for (int i = 0; i < 4; i++)
    confine_registration_clear (&reg[i]);
  confine_runtime_info_clear (&rt);
  confine_apparmor_profiles_clear (&aa.list);
  free (aa.kernel_error);
  free (aa.error);
  confine_cli_policy_clear (&pi);
  return rc;
}
