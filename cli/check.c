/* SPDX-License-Identifier: Apache-2.0 */
/* `confine check`: the hook's judgement, rule by rule, before deploying;
 * and `confine warm`, the same judgement of the engines' default
 * containers, for the seccomp verdicts it leaves in the cache.
 * It evaluates through the same core as the hook and the shim, so a spec
 * it allows is one they allow under the same policy and AppArmor state. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../front/report.h"
#include "../src/inject.h"
#include "../src/log.h"
#include "../src/rules.h"
#include "../src/seccomp.h"
#include "../base/utils.h"

typedef struct
{
  const char *path;
  bool is_process;
  char *bundle; /* the directory relative bind-mount sources resolve from */
  confine_spec_t *spec;
  confine_json_t *doc; /* the tree SPEC was read from, for --inject */
  confine_process_t process;
} input_t;

static void
input_clear (input_t *in)
{
  free (in->bundle);
  confine_spec_free (in->spec);
  confine_json_free (in->doc);
  confine_process_clear (&in->process);
}

/* What runc would see through its state root for a surface: per ABI. */
typedef struct
{
  bool has_filter;
  char *error; /* the filter could not be built */
  unsigned allowed[8], total[8];
  const char *abi[8];
  size_t n_abi;
  char **unblocked;
} surface_t;

static void
surface_clear (surface_t *s)
{
  free (s->error);
  confine_free_strv (s->unblocked);
}

/* An exec process.json is a bare Process object; a config.json always has
 * one of the spec's top-level keys. Decide on the keys, not on the file
 * name: engines write both under arbitrary names. */
static bool
looks_like_process (const confine_json_t *doc)
{
  static const char *const process_keys[] = { "args", "capabilities", "cwd", NULL };
  static const char *const spec_keys[] = { "ociVersion", "linux", "root", NULL };
  bool any = false;
  for (const char *const *k = spec_keys; *k; k++)
    if (confine_json_get (doc, *k))
      return false;
  for (const char *const *k = process_keys; *k; k++)
    any = any || confine_json_get (doc, *k) != NULL;
  return any;
}

static int
load_input (const char *path, input_t *in, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *copy = NULL;
  cleanup_json confine_json_t *doc = NULL;
  struct stat st;
  size_t len = 0;

  in->path = path;
  if (stat (path, &st) < 0)
    return confine_make_error (err, errno, "`%s`", path);
  /* The gate sees the bundle as runc gives it, absolute: relative bind
   * sources are joined to it, so `check bundle` must judge the same
   * paths as `check /abs/bundle`. */
  if (S_ISDIR (st.st_mode))
    {
      if ((in->bundle = realpath (path, NULL)) == NULL)
        return confine_make_error (err, errno, "`%s`", path);
      return confine_spec_load_bundle (path, &in->spec, &in->doc, err);
    }
  if (confine_read_file (path, CONFINE_SPEC_MAX_BYTES, &buf, &len, err) < 0)
    return -1;
  if (confine_json_parse (buf, len, &doc, err) < 0)
    return confine_error_wrap (err, "`%s`", path);
  if (doc->type != CONFINE_JSON_OBJECT)
    return confine_make_error (err, 0, "`%s` is not a JSON object", path);
  copy = confine_xstrdup (path);
  if ((in->bundle = realpath (dirname (copy), NULL)) == NULL)
    return confine_make_error (err, errno, "directory of `%s`", path);
  in->is_process = looks_like_process (doc);
  if (in->is_process)
    {
      if (confine_process_parse (buf, len, &in->process, err) < 0)
        return confine_error_wrap (err, "`%s`", path);
      return 0;
    }
  if (confine_spec_parse (buf, len, &in->spec, &in->doc, err) < 0)
    return confine_error_wrap (err, "`%s`", path);
  return 0;
}

/* The surface: how much of each ABI the filter leaves callable. No filter
 * is judged as an allow-all program, which is what the kernel runs then. */
static int
compute_surface (const confine_policy_t *policy, const confine_spec_t *spec, surface_t *s,
                 confine_error_t *err)
{
  static struct sock_filter allow_all[] = { BPF_STMT (BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
  cleanup_bpf confine_bpf_t prog = { 0 };
  confine_bpf_t none = { allow_all, 1 };
  const confine_bpf_t *judged = &none;

  s->has_filter = !confine_seccomp_is_empty (spec->seccomp);
  if (s->has_filter)
    {
      cleanup_error confine_error_t cerr = NULL;
      if (confine_seccomp_compile (spec->seccomp, &prog, &cerr) < 0)
        {
          /* The rule already failed on this; show why, and no numbers. */
          s->error = confine_xstrdup (cerr->msg);
          return s->error ? 0 : -1;
        }
      judged = &prog;
    }
  for (const confine_abi_t *abi = confine_host_abis (); abi->name && s->n_abi < 8; abi++)
    {
      if (confine_seccomp_surface (judged, abi, &s->allowed[s->n_abi], &s->total[s->n_abi], err)
          < 0)
        return confine_error_wrap (err, "seccomp surface on %s", abi->name);
      s->abi[s->n_abi++] = abi->name;
    }
  return confine_seccomp_unblocked (judged, policy->must_block, policy->block_namespace_clone,
                                    policy->block_device_nodes, policy->block_setid_files,
                                    &s->unblocked, err);
}

/* The verdict column: what the gate does with this rule's result. */
static const char *
rule_verdict (const confine_rule_result_t *r, bool upper)
{
  switch (r->kind)
    {
    case CONFINE_RESULT_PASS:
      return "pass";
    case CONFINE_RESULT_SKIP:
      return "skip";
    case CONFINE_RESULT_FAIL:
    default:
      if (r->exemption >= 0)
        return "exempt";
      if (r->severity == CONFINE_SEV_WARN)
        return "warn";
      return upper ? "FAIL" : "fail";
    }
}

/* How to allow what rule I refused: the change to the spec, or the policy
 * key that governs it. Exemptions (one container) are offered separately. */
static const char *
hint (int i, const confine_rule_result_t *r)
{
  const char *key = r->policy_key ? r->policy_key : "";

  switch (i)
    {
    case CONFINE_RULE_APPARMOR:
      if (strcmp (key, "apparmor.when_unavailable") == 0)
        return "enable AppArmor on this host, or set apparmor.when_unavailable to \"skip\"";
      return "name a profile that is loaded in enforce mode (apparmor_parser -r -W FILE loads "
             "one; aa-enforce NAME enforces it), or leave process.apparmorProfile unset for the "
             "shim to inject apparmor.default_profile";
    case CONFINE_RULE_SECCOMP:
      if (strcmp (key, "rules.seccomp") == 0)
        return "give the container a seccomp filter (Docker's default profile; the shim injects "
               "seccomp.default_profile when linux.seccomp is absent)";
      return "deny these syscalls in the container's seccomp profile (Docker's default profile "
             "does, without CAP_SYS_ADMIN), or remove them from the policy key named";
    case CONFINE_RULE_CAPABILITIES:
      return "drop these capabilities (no --privileged, no --cap-add), or remove them from "
             "capabilities.forbidden";
    case CONFINE_RULE_SECCOMP_NEEDS:
      return "allow these syscalls in the container's seccomp profile (Docker's default profile "
             "does), or set rules.seccomp_needs to \"off\"";
    case CONFINE_RULE_NO_NEW_PRIVILEGES:
      return "set process.noNewPrivileges (docker run --security-opt no-new-privileges, or "
             "inject.no_new_privileges in the policy)";
    default:
      return "change the spec, or the policy key named";
    }
}

static const char *
overall (const confine_verdict_t *v)
{
  return v->refused ? "refuse" : v->would_refuse ? "audit-refuse" : "allow";
}

static void
print_text (const char *policy_path, const confine_policy_t *policy, const input_t *in,
            const char *id, const confine_changes_t *changes, const confine_verdict_t *v,
            const surface_t *s)
{
  const char *waivable[CONFINE_RULES];
  size_t n_waivable = 0;

  printf ("%s: %s\n", in->path,
          in->is_process ? "exec process" : in->bundle && in->spec ? "container config" : "?");
  printf ("policy: %s (%s mode, sha256 %.12s)\n\n", policy_path,
          policy->audit ? "audit" : "enforce", policy->sha256);
  if (changes)
    {
      /* --inject: the spec judged is the one the shim would hand runc. */
      printf ("as the shim would run it:%s\n", changes->n ? "" : " unchanged");
      for (size_t i = 0; i < changes->n; i++)
        printf ("  %s\n", changes->v[i]);
      putchar ('\n');
    }
  printf ("%-18s %-7s %s\n", "RULE", "VERDICT", "FACT");
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      printf ("%-18s %-7s %s", confine_rule_names[i], rule_verdict (r, true),
              r->fact ? r->fact : "");
      if (r->kind == CONFINE_RESULT_FAIL && r->exemption >= 0)
        {
          const confine_exemption_t *ex = &policy->exemptions[r->exemption];
          printf (" (waived by exemption #%d%s%s)", r->exemption, ex->comment ? ": " : "",
                  ex->comment ? ex->comment : "");
        }
      else if (r->kind == CONFINE_RESULT_FAIL && r->policy_key)
        printf (" [policy %s]", r->policy_key);
      putchar ('\n');
      if (r->kind == CONFINE_RESULT_FAIL && r->exemption < 0 && r->severity == CONFINE_SEV_DENY)
        {
          printf ("%-26s to allow: %s\n", "", hint (i, r));
          waivable[n_waivable++] = confine_rule_names[i];
        }
    }
  /* One container, rather than every container: an exemption. */
  if (n_waivable)
    {
      printf ("%-26s or waive for this container only, in the policy's exemptions: "
              "{\"rules\": [", "");
      for (size_t k = 0; k < n_waivable; k++)
        printf ("%s\"%s\"", k ? ", " : "", waivable[k]);
      printf ("], \"id\": \"%s\"}\n", id ? id : "<container id regex>");
    }

  printf ("\nseccomp surface:\n");
  if (in->is_process)
    printf ("  an exec process has no filter of its own: runc applies the container's\n");
  else if (s->error)
    printf ("  the filter cannot be built as runc would: %s\n", s->error);
  else
    {
      if (!s->has_filter)
        printf ("  no seccomp filter: every syscall is allowed\n");
      for (size_t i = 0; i < s->n_abi; i++)
        printf ("  %-8s %u/%u syscalls allowed\n", s->abi[i], s->allowed[i], s->total[i]);
      if (s->unblocked == NULL || s->unblocked[0] == NULL)
        printf ("  must_block: all blocked\n");
      else
        {
          printf ("  must_block syscalls that get through:");
          for (char **u = s->unblocked; *u; u++)
            printf ("%s %s", u == s->unblocked ? "" : ",", *u);
          putchar ('\n');
        }
    }
  /* The facts are in the table already; name the rules that decided. */
  printf ("\nverdict: %s", v->refused ? "refused" : v->would_refuse ? "allowed (audit mode), "
                                                                      "enforce would refuse"
                                                                    : "allowed");
  for (int i = 0, n = 0; i < CONFINE_RULES && v->would_refuse; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      if (r->kind == CONFINE_RESULT_FAIL && r->severity == CONFINE_SEV_DENY && r->exemption < 0)
        printf ("%s%s", n++ ? ", " : " by ", confine_rule_names[i]);
    }
  putchar ('\n');
}

static int
print_json (const char *policy_path, const confine_policy_t *policy, const input_t *in,
            const confine_changes_t *changes, const confine_verdict_t *v, const surface_t *s,
            const char *summary, confine_error_t *err)
{
  static const char *const sev[] = { "off", "warn", "deny" };
  static const char *const kinds[] = { "pass", "fail", "skip" };
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_PRETTY);

  confine_jgen_open (g, NULL, false);
  confine_jgen_str (g, "path", in->path);
  confine_jgen_str (g, "kind", in->is_process ? "process" : "config");
  confine_jgen_str (g, "policy", policy_path);
  confine_jgen_str (g, "policy_sha256", policy->sha256);
  confine_jgen_str (g, "mode", policy->audit ? "audit" : "enforce");
  confine_jgen_str (g, "verdict", overall (v));
  confine_jgen_bool (g, "refused", v->refused);
  confine_jgen_bool (g, "would_refuse", v->would_refuse);
  confine_jgen_str (g, "summary", summary);
  if (changes)
    confine_jgen_strv (g, "changes", changes->v);
  confine_jgen_open (g, "rules", false);
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      const confine_rule_result_t *r = &v->results[i];
      confine_jgen_open (g, confine_rule_names[i], false);
      confine_jgen_str (g, "result", kinds[r->kind]);
      confine_jgen_str (g, "verdict", rule_verdict (r, false));
      confine_jgen_str (g, "severity", sev[r->severity]);
      confine_jgen_str (g, "fact", r->fact);
      confine_jgen_str (g, "policy_key", r->kind == CONFINE_RESULT_FAIL ? r->policy_key : NULL);
      confine_jgen_str (g, "hint", r->kind == CONFINE_RESULT_FAIL ? hint (i, r) : NULL);
      if (r->kind == CONFINE_RESULT_FAIL && r->exemption >= 0)
        {
          confine_jgen_int (g, "exemption", r->exemption);
          confine_jgen_str (g, "exemption_comment", policy->exemptions[r->exemption].comment);
        }
      confine_jgen_close (g, false);
    }
  confine_jgen_close (g, false);
  confine_jgen_open (g, "seccomp", false);
  if (in->is_process)
    confine_jgen_str (g, "note", "an exec process runs under the container's filter");
  else
    {
      confine_jgen_bool (g, "filter", s->has_filter);
      confine_jgen_str (g, "error", s->error);
      confine_jgen_open (g, "surface", true);
      for (size_t i = 0; i < s->n_abi; i++)
        {
          confine_jgen_open (g, NULL, false);
          confine_jgen_str (g, "abi", s->abi[i]);
          confine_jgen_int (g, "allowed", s->allowed[i]);
          confine_jgen_int (g, "total", s->total[i]);
          confine_jgen_close (g, false);
        }
      confine_jgen_close (g, true);
      confine_jgen_strv (g, "unblocked", s->unblocked);
    }
  confine_jgen_close (g, false);
  confine_jgen_close (g, false);
  return confine_cli_json_close (g, err);
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine check [--policy FILE] [--json] [--id ID] [--inject] [--log] PATH\n"
              "PATH: a bundle directory, a config.json, or an exec process.json.\n"
              "Exit 0: allowed; 1: refused; 2: usage or input error.\n");
}

/* `check` may read a policy the gate itself would refuse, so that one can
 * be tried before it is installed; but say so, because the hook and the
 * shim would refuse every container under it (they fail closed). */
static void
warn_policy_owner (const char *path)
{
  struct stat st;
  if (stat (path, &st) == 0 && S_ISREG (st.st_mode)
      && !confine_stat_root_only (&st))
    fprintf (stderr,
             "confine: warning: policy `%s` is not owned by root or is writable by group or "
             "others (owner uid %u, mode %04o); checking with it anyway, but the hook and the "
             "shim refuse every container under such a policy\n",
             path, (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
}

/* Reads PATH into IN and judges it as the hook would, or with INJECT as
 * the shim would run it (what it injects and repairs listed in CHANGES). */
static int
judge (const char *policy_path, const confine_policy_t *policy, const char *path, const char *id,
       bool inject, input_t *in, confine_changes_t *changes, confine_verdict_t *verdict,
       confine_error_t *err)
{
  if (load_input (path, in, err) < 0)
    return -1;
  confine_context_t ctx = { .policy = policy,
                            .id = id,
                            .bundle = in->bundle,
                            .annotations = in->spec ? in->spec->annotations : NULL,
                            .n_annotations = in->spec ? in->spec->n_annotations : 0 };
  if (inject && !in->is_process)
    {
      /* The shim's own step: what it would inject and repair, judged as
       * it would judge it. The hook it injects names the policy by an
       * absolute path, as the shim's does. */
      cleanup_free char *text = NULL;
      cleanup_free char *abs_policy = realpath (policy_path, NULL);
      size_t tlen = 0;
      if (abs_policy == NULL)
        return confine_make_error (err, errno, "policy `%s`", policy_path);
      if (confine_inject_and_judge (&ctx, abs_policy, &in->spec, in->doc, &text, &tlen, changes,
                                    verdict, err)
          < 0)
        return confine_error_wrap (err, "`%s`", path);
      return 0;
    }
  if (in->is_process)
    confine_evaluate_process (&ctx, &in->process, verdict);
  else
    confine_evaluate_spec (&ctx, in->spec, verdict);
  return 0;
}

int
confine_cli_check (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "json", no_argument, NULL, 'j' },
                                        { "id", required_argument, NULL, 'i' },
                                        { "log", no_argument, NULL, 'l' },
                                        { "inject", no_argument, NULL, 'I' },
                                        { "no-log", no_argument, NULL, 'n' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *policy = NULL;
  cleanup_free char *summary = NULL;
  const char *policy_path = CONFINE_DEFAULT_POLICY;
  const char *id = NULL;
  bool json = false, log = false, inject = false;
  confine_changes_t changes = { 0 };
  input_t in = { 0 };
  surface_t surface = { 0 };
  confine_verdict_t verdict = { 0 };
  int c, rc = CLI_EXIT_USAGE;

  optind = 1;
  while ((c = getopt_long (argc, argv, "p:jh", opts, NULL)) != -1)
    switch (c)
      {
      case 'i':
        id = optarg;
        break;
      case 'l':
        log = true;
        break;
      case 'I':
        inject = true;
        break;
      case 'n':
        /* The old opt-out, kept for scripts: not logging is the default. */
        log = false;
        break;
      default:
        if ((c = confine_cli_common_option (c, &policy_path, &json, usage)) >= 0)
          return c;
      }
  if (argc - optind != 1)
    {
      fprintf (stderr, "confine: check takes exactly one PATH\n");
      usage (stderr);
      return CLI_EXIT_USAGE;
    }

  warn_policy_owner (policy_path);
  if (confine_policy_load (policy_path, false, &policy, &err) < 0)
    return confine_cli_fail (&err);
  if (judge (policy_path, policy, argv[optind], id, inject, &in, &changes, &verdict, &err) < 0
      || confine_verdict_summary (&verdict, &summary, &err) < 0)
    goto out;
  if (!in.is_process && compute_surface (policy, in.spec, &surface, &err) < 0)
    goto out;

  if (log)
    {
      confine_log_entry_t entry = { .component = "cli",
                                    .action = in.is_process ? "check-exec" : "check",
                                    .id = id,
                                    .bundle = in.path,
                                    .changes = inject ? changes.v : NULL };
      /* Only when asked: a check is not a container start, and `refuse`
       * lines from trying out specs would read as real refusals. Logging
       * never changes the answer; an unprivileged user simply cannot
       * append to the root-owned log. */
      confine_report_log (policy, &entry, &verdict);
    }

  if (json)
    {
      if (print_json (policy_path, policy, &in, inject ? &changes : NULL, &verdict, &surface,
                      summary, &err)
          < 0)
        goto out;
    }
  else
    print_text (policy_path, policy, &in, id, inject ? &changes : NULL, &verdict, &surface);
  rc = verdict.refused ? CLI_EXIT_REFUSED : CLI_EXIT_OK;

out:
  if (err)
    rc = confine_cli_fail (&err);
  confine_verdict_clear (&verdict);
  confine_strv_clear (&changes);
  surface_clear (&surface);
  input_clear (&in);
  return rc;
}

static void
warm_usage (FILE *f)
{
  fprintf (f, "usage: confine warm [--policy FILE] [PATH...]\n"
              "PATH: a config.json, a bundle directory, or a directory of container configs\n"
              "(its *.json files); default %s.\n"
              "Each is judged as the shim would run it (confine check --inject), which leaves\n"
              "its seccomp verdict in the policy's cache_dir.\n"
              "Exit 0: every config judged (allowed or refused); 2: one could not be.\n",
              CONFINE_WARM_DIR);
}

static int
is_json_name (const struct dirent *d)
{
  size_t n = strlen (d->d_name);
  return d->d_name[0] != '.' && n > 5 && strcmp (d->d_name + n - 5, ".json") == 0;
}

/* Judges one config for `warm`, printing its verdict; false, with the
 * reason on stderr, when it could not be judged. */
static bool
warm_one (const char *policy_path, const confine_policy_t *policy, const char *path)
{
  cleanup_error confine_error_t err = NULL;
  confine_changes_t changes = { 0 };
  input_t in = { 0 };
  confine_verdict_t verdict = { 0 };
  bool ok = judge (policy_path, policy, path, NULL, true, &in, &changes, &verdict, &err) == 0;

  if (ok)
    printf ("%s: %s\n", path, overall (&verdict));
  else
    confine_cli_fail (&err); /* the message names PATH */
  confine_verdict_clear (&verdict);
  confine_strv_clear (&changes);
  input_clear (&in);
  return ok;
}

/* A directory that holds no config.json is a directory of configs: its
 * *.json files in name order. Anything else is one config. */
static bool
warm_path (const char *policy_path, const confine_policy_t *policy, const char *path)
{
  struct dirent **names = NULL;
  struct stat st;
  bool ok = true;
  int n;

  if (stat (path, &st) < 0 || !S_ISDIR (st.st_mode))
    return warm_one (policy_path, policy, path);
  {
    cleanup_free char *config = confine_xasprintf ("%s/config.json", path);
    if (access (config, F_OK) == 0)
      return warm_one (policy_path, policy, path);
  }
  if ((n = scandir (path, &names, is_json_name, alphasort)) <= 0)
    {
      /* Nothing to warm is a mistake worth saying: a wrong directory. */
      fprintf (stderr, "confine: `%s`: %s\n", path,
               n < 0 ? strerror (errno) : "no container configs (*.json) in it");
      free (names);
      return false;
    }
  for (int i = 0; i < n; i++)
    {
      cleanup_free char *file = confine_xasprintf ("%s/%s", path, names[i]->d_name);
      ok = warm_one (policy_path, policy, file) && ok;
      free (names[i]);
    }
  free (names);
  return ok;
}

int
confine_cli_warm (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "help", no_argument, NULL, 'h' },
                                        { NULL, 0, NULL, 0 } };
  static char *const default_paths[] = { (char *) CONFINE_WARM_DIR, NULL };
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *policy = NULL;
  const char *policy_path = CONFINE_DEFAULT_POLICY;
  char *const *paths;
  bool json = false, ok = true;
  int c;

  optind = 1;
  while ((c = getopt_long (argc, argv, "p:h", opts, NULL)) != -1)
    if ((c = confine_cli_common_option (c, &policy_path, &json, warm_usage)) >= 0)
      return c;
  paths = optind < argc ? argv + optind : default_paths;

  warn_policy_owner (policy_path);
  if (confine_policy_load (policy_path, false, &policy, &err) < 0)
    return confine_cli_fail (&err);
  for (; *paths; paths++)
    ok = warm_path (policy_path, policy, *paths) && ok;
  return ok ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}
