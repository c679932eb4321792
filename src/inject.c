/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "apparmor.h"
#include "dockerseccomp.h"
#include "inject.h"
#include "rules.h"
#include "seccomp.h"
#include "../base/utils.h"
#include "../oci/edit.h"

int
confine_changes_add (confine_changes_t *c, confine_error_t *err, const char *fmt, ...)
{
  char *line;
  va_list ap;

  va_start (ap, fmt);
  line = confine_xvasprintf (fmt, ap);
  va_end (ap);
  return confine_strv_add (c, line, SIZE_MAX - 1, err);
}

void
confine_inject_hook_entry (const confine_policy_t *policy, const char *policy_path,
                           confine_inject_hook_t *out)
{
  *out = (confine_inject_hook_t) {
    .path = policy->hook_path,
    .args = { "confine-hook", "--policy", policy_path, NULL },
    /* Without `env`, runc hands a hook its own whole environment,
     * LD_PRELOAD and all; the hook needs none of it. */
    .env = { "PATH=" CONFINE_DEFAULT_PATH, NULL },
    .timeout = CONFINE_INJECT_HOOK_TIMEOUT,
  };
}

void
confine_inject_probe (const confine_policy_t *policy, const confine_spec_t *spec,
                      confine_inject_host_t *out)
{
  cleanup_error confine_error_t ignored = NULL;
  confine_aa_profiles_t list = { 0 };
  const char *mode;

  *out = (confine_inject_host_t) { 0 };
  if (!policy->inject_apparmor || !spec->process.present || spec->process.apparmor_profile
      || policy->apparmor_default_profile == NULL
      || policy->apparmor_default_profile[0] == '\0')
    return;
  /* Unreadable means no AppArmor: nothing to inject, the rule decides. */
  if (confine_apparmor_profiles (policy->securityfs, &list, &ignored) < 0)
    return;
  mode = confine_apparmor_mode (&list, policy->apparmor_default_profile);
  out->apparmor_default_usable = mode != NULL
                                 && confine_strv_has (policy->apparmor_allowed_modes, mode);
  confine_apparmor_profiles_clear (&list);
}

static bool
strv_equal (char *const *a, const char *const *b)
{
  for (; *a && *b; a++, b++)
    if (strcmp (*a, *b) != 0)
      return false;
  return *a == NULL && *b == NULL;
}

/* Only an entry equal to ours in every field counts as ours. The spec's
 * author can write our path with `--policy` pointing at a lax policy of
 * their own, an environment with LD_PRELOAD, or a timeout that never
 * fires: an entry that merely names our binary is theirs, and ours is
 * added after it (runc runs every createRuntime hook, and any failure
 * destroys the container). */
static bool
is_own_hook (const confine_hook_t *h, const confine_inject_hook_t *own)
{
  return h->path && strcmp (h->path, own->path) == 0 && strv_equal (h->args, own->args)
         && h->has_env && strv_equal (h->env, own->env) && h->has_timeout
         && h->timeout == own->timeout;
}

void
confine_inject_plan (const confine_policy_t *policy, const confine_spec_t *spec,
                     const confine_inject_host_t *host, const confine_inject_hook_t *hook,
                     confine_inject_plan_t *out)
{
  *out = (confine_inject_plan_t) { 0 };

  /* An empty section installs no filter in runc, exactly like an absent
   * one, so it gets the default profile too. */
  out->seccomp = policy->inject_seccomp && confine_seccomp_is_empty (spec->seccomp)
                 && policy->seccomp_default_profile && policy->seccomp_default_profile[0];

  out->apparmor = policy->inject_apparmor && spec->process.present
                  && spec->process.apparmor_profile == NULL && host->apparmor_default_usable;

  out->no_new_privileges = policy->inject_no_new_privileges && spec->process.present
                           && !spec->process.no_new_privileges;

  for (size_t i = 0; i < spec->n_device_rules; i++)
    out->devices += confine_devices_stripped (policy, &spec->device_rules[i]);

  if (policy->inject_hook && hook->path && hook->path[0])
    {
      bool have = false;
      const confine_hook_t *hooks = spec->hooks[CONFINE_HOOK_CREATE_RUNTIME];
      for (size_t i = 0; i < spec->n_hooks[CONFINE_HOOK_CREATE_RUNTIME] && !have; i++)
        have = is_own_hook (&hooks[i], hook);
      out->hook = !have;
    }
}

static int
apply_seccomp (const confine_policy_t *policy, const confine_spec_t *spec, confine_json_t *doc,
               confine_error_t *err)
{
  cleanup_json confine_json_t *profile = NULL;
  confine_dockerseccomp_host_t host;
  confine_json_t *sec = NULL;
  int r;

  if (confine_dockerseccomp_load (policy->seccomp_default_profile, &profile, err) < 0
      || confine_dockerseccomp_host (&host, err) < 0)
    return confine_error_wrap (err, "inject seccomp");
  /* Converted against this container's bounding set, as Docker does: a
   * container with CAP_SYS_ADMIN gets the rules Docker gives it. */
  r = confine_dockerseccomp_convert (profile, spec->process.caps.names[CONFINE_CAP_BOUNDING],
                                     &host, &sec, err);
  if (r < 0)
    return confine_error_wrap (err, "inject seccomp: `%s`", policy->seccomp_default_profile);
  if (r == 0)
    return 0;
  if (confine_edit_set_seccomp (doc, sec, err) < 0)
    return -1;
  return 1;
}

int
confine_inject_apply (const confine_policy_t *policy, const confine_spec_t *spec,
                      const confine_inject_plan_t *plan, const confine_inject_hook_t *hook,
                      confine_json_t *doc, confine_changes_t *changes, confine_error_t *err)
{
  int edits = 0, r;

  if (plan->seccomp)
    {
      if ((r = apply_seccomp (policy, spec, doc, err)) < 0)
        return -1;
      if (r > 0
          && confine_changes_add (changes, err,
                                  "linux.seccomp: the default profile `%s` injected (%s)",
                                  policy->seccomp_default_profile,
                                  spec->seccomp ? "the spec's section installs no filter"
                                                : "the spec has no filter")
                 < 0)
        return -1;
      edits += r;
    }
  if (plan->apparmor)
    {
      if (confine_edit_set_apparmor (doc, policy->apparmor_default_profile, err) < 0
          || confine_changes_add (changes, err,
                                  "process.apparmorProfile: `%s` injected (the spec names none)",
                                  policy->apparmor_default_profile)
                 < 0)
        return -1;
      edits++;
    }
  if (plan->no_new_privileges)
    {
      if (confine_edit_set_no_new_privileges (doc, err) < 0
          || confine_changes_add (changes, err, "process.noNewPrivileges: set (policy "
                                  "inject.no_new_privileges)")
                 < 0)
        return -1;
      edits++;
    }
  if (plan->devices > 0)
    {
      cleanup_free bool *drop = confine_xcalloc (spec->n_device_rules, sizeof (bool));
      for (size_t i = 0; i < spec->n_device_rules; i++)
        drop[i] = confine_devices_stripped (policy, &spec->device_rules[i]);
      if ((r = confine_edit_drop_device_rules (doc, drop, spec->n_device_rules, err)) < 0
          || confine_changes_add (changes, err,
                                  "linux.resources.devices: %d allow rule%s removed (policy "
                                  "devices.strip: the engines' default console rule opens the "
                                  "host's console, which no container needs)",
                                  r, r == 1 ? "" : "s")
                 < 0)
        return -1;
      edits += r;
    }
  if (plan->hook)
    {
      bool lookalike = false;
      for (size_t i = 0; i < spec->n_hooks[CONFINE_HOOK_CREATE_RUNTIME]; i++)
        lookalike = lookalike
                    || (spec->hooks[CONFINE_HOOK_CREATE_RUNTIME][i].path
                        && strcmp (spec->hooks[CONFINE_HOOK_CREATE_RUNTIME][i].path, hook->path)
                               == 0);
      if (confine_edit_add_hook (doc, "createRuntime", hook->path, hook->args, hook->env,
                                 hook->timeout, err)
              < 0
          || confine_changes_add (changes, err, "hooks.createRuntime: `%s` added (%s)", hook->path,
                                  lookalike ? "the spec's entry with its path has other args, env "
                                              "or timeout, so it is not the gate's"
                                            : "policy inject.hook")
                 < 0)
        return -1;
      edits++;
    }
  return edits;
}

/* ---- repair ---- */

/* Every flag that makes clone create a namespace, as the seccomp rule
 * judges it (Docker's mask 0x7E020000). */
static const uint64_t clone_new_flags[] = { 0x00020000, 0x02000000, 0x04000000, 0x08000000,
                                            0x10000000, 0x20000000, 0x40000000 };
#define CLONE_NEW_MASK 0x7E020000ull

/* mknod and mknodat, the report's label for each, and the argument that
 * holds the mode (the same on every ABI the rule judges). */
static const struct
{
  const char *name, *label;
  unsigned mode_index;
} mknods[2] = { { "mknod", CONFINE_SECCOMP_MKNOD_DEV, 1 },
                { "mknodat", CONFINE_SECCOMP_MKNODAT_DEV, 2 } };
/* The file types mknod may still make (0 makes a regular file), and the
 * ones it may not. */
static const unsigned file_types[] = { 0, S_IFREG, S_IFIFO, S_IFSOCK };
static const unsigned device_types[] = { S_IFCHR, S_IFBLK };

/* Does the report name SYSCALL, on every ABI or on some? */
static bool
reported_as (char *const *reported, const char *syscall)
{
  size_t n = strlen (syscall);
  for (char *const *r = reported; r && *r; r++)
    if (strncmp (*r, syscall, n) == 0 && ((*r)[n] == '\0' || strncmp (*r + n, " (", 2) == 0))
      return true;
  return false;
}

void
confine_inject_seccomp_leaks (const confine_policy_t *policy, char *const *reported,
                              confine_seccomp_leaks_t *out)
{
  size_t n_must = 0, k = 0;

  *out = (confine_seccomp_leaks_t) { 0 };
  while (policy->must_block[n_must])
    n_must++;
  out->names = confine_xcalloc (n_must + 2 + CONFINE_SECCOMP_SETID_DENIED, sizeof (char *));
  for (size_t i = 0; i < n_must; i++)
    if (reported_as (reported, policy->must_block[i])
        && !confine_strv_has (out->names, policy->must_block[i]))
      out->names[k++] = confine_xstrdup (policy->must_block[i]);
  if (policy->block_namespace_clone)
    {
      if (reported_as (reported, "clone3") && !confine_strv_has (out->names, "clone3"))
        out->names[k++] = confine_xstrdup ("clone3");
      out->clone_ns = reported_as (reported, CONFINE_SECCOMP_CLONE_NS);
    }
  if (policy->block_device_nodes)
    for (size_t i = 0; i < 2; i++)
      out->device_nodes[i] = reported_as (reported, mknods[i].label)
                             && !confine_strv_has (out->names, mknods[i].name);
  if (!policy->block_setid_files)
    return;
  for (size_t i = 0; i < CONFINE_SECCOMP_SETID_CALLS; i++)
    {
      const char *name = confine_seccomp_setid_calls[i].name;
      cleanup_free char *label = confine_xasprintf ("%s" CONFINE_SECCOMP_SETID_MODE, name);
      out->setid[i] = reported_as (reported, label) && !confine_strv_has (out->names, name);
    }
  for (size_t i = 0; i < CONFINE_SECCOMP_SETID_DENIED; i++)
    {
      const char *name = confine_seccomp_setid_denied[i].name;
      out->setid_denied[i] = reported_as (reported, name) && !confine_strv_has (out->names, name);
      if (out->setid_denied[i])
        out->names[k++] = confine_xstrdup (name);
    }
}

/* The index of mknod's or mknodat's row in confine_seccomp_setid_calls. */
static size_t
setid_row (const char *name)
{
  size_t i = 0;
  while (strcmp (confine_seccomp_setid_calls[i].name, name) != 0)
    i++;
  return i;
}

void
confine_seccomp_leaks_clear (confine_seccomp_leaks_t *l)
{
  confine_free_strv (l->names);
  *l = (confine_seccomp_leaks_t) { 0 };
}

/* runc's action for a section or rule: an errno action without errnoRet
 * returns EPERM. */
static bool
action_is (const char *action, bool has_errno, uint32_t errno_ret, const char *want,
           uint32_t want_errno)
{
  if (action == NULL || strcmp (action, want) != 0)
    return false;
  if (strcmp (want, "SCMP_ACT_ERRNO") != 0)
    return true;
  return (has_errno ? errno_ret : EPERM) == want_errno;
}

/* A default action under which a syscall no rule names is blocked. */
static bool
default_denies (const confine_seccomp_t *s)
{
  static const char *const deny[] = { "SCMP_ACT_ERRNO",        "SCMP_ACT_KILL",
                                      "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
                                      "SCMP_ACT_TRAP",         NULL };
  return s->default_action && confine_strv_has ((char *const *) deny, s->default_action);
}

/* Does every rule of S that names SYSCALL allow it with no conditions?
 * Then taking it out and allowing only some arguments narrows the filter,
 * and never widens it. */
static bool
only_plain_allows (const confine_seccomp_t *s, const char *syscall)
{
  for (size_t i = 0; i < s->n_syscalls; i++)
    if (confine_strv_has (s->syscalls[i].names, syscall)
        && (s->syscalls[i].n_args > 0 || s->syscalls[i].action == NULL
            || strcmp (s->syscalls[i].action, "SCMP_ACT_ALLOW") != 0))
      return false;
  return true;
}

void
confine_inject_seccomp_plan (const confine_seccomp_t *s, const confine_seccomp_leaks_t *leaks,
                             confine_seccomp_repair_t *out)
{
  size_t n = 0, ns = 0, ne = 0, nx = 0, no = 0;
  bool denies = default_denies (s);

  *out = (confine_seccomp_repair_t) { 0 };
  while (leaks->names && leaks->names[n])
    n++;
  out->strip = confine_xcalloc (n + 4 + CONFINE_SECCOMP_SETID_CALLS, sizeof (char *));
  out->eperm = confine_xcalloc (n + 1, sizeof (char *));
  out->enosys = confine_xcalloc (n + 1, sizeof (char *));
  out->eopnotsupp = confine_xcalloc (n + 1, sizeof (char *));
  for (size_t i = 0; i < n; i++)
    {
      const char *name = leaks->names[i];
      int setid_errnum = 0;
      for (size_t d = 0; d < CONFINE_SECCOMP_SETID_DENIED; d++)
        if (leaks->setid_denied[d] && strcmp (name, confine_seccomp_setid_denied[d].name) == 0)
          setid_errnum = confine_seccomp_setid_denied[d].errnum;
      out->strip[ns++] = name;
      if (setid_errnum)
        {
          /* Unless the default already answers the same. */
          if (!action_is (s->default_action, s->has_default_errno_ret, s->default_errno_ret,
                          "SCMP_ACT_ERRNO", setid_errnum))
            {
              if (setid_errnum == ENOSYS)
                out->enosys[nx++] = name;
              else
                out->eopnotsupp[no++] = name;
            }
        }
      else if (strcmp (name, "clone3") == 0)
        /* Unless the default already answers ENOSYS. */
        out->clone3_enosys = !action_is (s->default_action, s->has_default_errno_ret,
                                         s->default_errno_ret, "SCMP_ACT_ERRNO", ENOSYS);
      else if (!denies)
        out->eperm[ne++] = name;
    }

  if (leaks->clone_ns)
    {
      /* Only rules without conditions are replaced: a conditional clone
       * rule says something about flags that a new rule could widen. */
      for (size_t i = 0; i < s->n_syscalls && out->unrepaired == NULL; i++)
        if (s->syscalls[i].n_args > 0
            && confine_strv_has (s->syscalls[i].names, "clone"))
          out->unrepaired = "clone has conditional rules, which the shim does not rewrite";
      if (out->unrepaired == NULL)
        {
          out->strip[ns++] = "clone";
          out->clone = denies ? CONFINE_CLONE_ALLOW_WITHOUT_NEW : CONFINE_CLONE_DENY_NEW;
        }
    }

  /* mknod and mknodat: one repair for device nodes and setuid files. */
  for (size_t i = 0; i < CONFINE_SECCOMP_SETID_CALLS; i++)
    {
      const confine_setid_call_t *c = &confine_seccomp_setid_calls[i];
      size_t dev = 0;
      while (c->mknod && strcmp (mknods[dev].name, c->name) != 0)
        dev++;
      if (!leaks->setid[i] && !(c->mknod && leaks->device_nodes[dev]))
        continue;
      if (!only_plain_allows (s, c->name))
        {
          out->unrepaired = out->unrepaired ? out->unrepaired
                                            : "a syscall judged by its mode (mknod, chmod, "
                                              "open...) has a rule with conditions or another "
                                              "action than SCMP_ACT_ALLOW, which the shim does "
                                              "not rewrite";
          continue;
        }
      out->strip[ns++] = c->name;
      out->setid[i] = leaks->setid[i];
      out->setid_allow = denies;
      if (c->mknod)
        {
          out->device_nodes[dev] = leaks->device_nodes[dev];
          out->device_allow_others = denies;
        }
    }
}

void
confine_seccomp_repair_clear (confine_seccomp_repair_t *r)
{
  free (r->strip);
  free (r->eperm);
  free (r->enosys);
  free (r->eopnotsupp);
  *r = (confine_seccomp_repair_t) { 0 };
}

/* A JSON node built from TEXT: the rules are fixed shapes with syscall
 * names from the policy, which libseccomp knows (plain identifiers). */
static confine_json_t *
rule_json (const char *text, confine_error_t *err)
{
  confine_json_t *rule = NULL;
  if (confine_json_parse (text, strlen (text), &rule, err) < 0)
    return NULL;
  return rule;
}

static int
prepend (confine_json_t *doc, const char *text, confine_error_t *err)
{
  confine_json_t *rule = rule_json (text, err);
  if (rule == NULL)
    return -1;
  return confine_edit_seccomp_prepend (doc, rule, err);
}

/* Prepend a rule for NAME whose mode, argument INDEX, has (mode & MASK)
 * == VALUE: allowed, or denied with EPERM. */
static int
mode_rule (confine_json_t *doc, const char *name, unsigned index, bool allow, unsigned mask,
           unsigned value, confine_error_t *err)
{
  cleanup_free char *action = NULL;
  cleanup_free char *text = NULL;

  if ((allow ? asprintf (&action, "\"SCMP_ACT_ALLOW\"")
             : asprintf (&action, "\"SCMP_ACT_ERRNO\",\"errnoRet\":%d", EPERM))
          < 0
      || asprintf (&text, "{\"names\":[\"%s\"],\"action\":%s,\"args\":[{\"index\":%u,"
                   "\"value\":%u,\"valueTwo\":%u,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}",
                   name, action, index, mask, value)
             < 0)
    return confine_make_error (err, ENOMEM, "repair %s", name);
  return prepend (doc, text, err);
}

/* "a", "b", "c" for a JSON array, or the plain list for people. */
static char *
join (const char *const *v, bool quoted, confine_error_t *err)
{
  size_t len = 1;
  char *out, *p;
  for (const char *const *s = v; *s; s++)
    len += strlen (*s) + 4;
  out = confine_xcalloc (1, len);
  p = out;
  for (const char *const *s = v; *s; s++)
    {
      int w = snprintf (p, len - (size_t) (p - out), quoted ? "%s\"%s\"" : "%s%s",
                        s == v ? "" : ", ", *s);
      if (w < 0 || (size_t) w >= len - (size_t) (p - out))
        {
          free (out);
          confine_make_error (err, 0, "join syscall names");
          return NULL;
        }
      p += w;
    }
  return out;
}

/* Prepend a rule denying NAMES with ERRNUM (EPERM, ENOSYS or EOPNOTSUPP), and say so
 * in CHANGES with WHY after it. */
static int
deny_names (confine_json_t *doc, const char *const *names, int errnum, const char *why,
            confine_changes_t *changes, confine_error_t *err)
{
  cleanup_free char *quoted = join (names, true, err);
  cleanup_free char *list = join (names, false, err);
  cleanup_free char *text = NULL;

  if (quoted == NULL || list == NULL)
    return -1;
  if (asprintf (&text, "{\"names\":[%s],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":%d}", quoted,
                errnum)
      < 0)
    return confine_make_error (err, ENOMEM, "repair seccomp");
  if (prepend (doc, text, err) < 0
      || confine_changes_add (changes, err, "linux.seccomp: %s denied with %s%s", list,
                              errnum == ENOSYS       ? "ENOSYS"
                              : errnum == EOPNOTSUPP ? "EOPNOTSUPP"
                                                     : "EPERM",
                              why)
             < 0)
    return -1;
  return 0;
}

int
confine_inject_seccomp_repair (const confine_seccomp_repair_t *r, confine_json_t *doc,
                               confine_changes_t *changes, confine_error_t *err)
{
  int edits = 0;

  if (r->strip[0] == NULL)
    return 0;
  {
    cleanup_free char *names = join (r->strip, false, err);
    int changed = confine_edit_seccomp_strip (doc, r->strip, err);
    if (names == NULL || changed < 0)
      return -1;
    if (changed > 0
        && confine_changes_add (changes, err, "linux.seccomp: %s taken out of %d rule%s that "
                                "let %s through (policy inject.seccomp_repair)",
                                names, changed, changed == 1 ? "" : "s",
                                r->strip[1] ? "them" : "it")
               < 0)
      return -1;
    edits += changed;
  }
  /* Prepended last first: the final order is eperm, clone3, clone,
   * eopnotsupp, enosys, the calls judged by their mode. */
  for (size_t i = 0; i < CONFINE_SECCOMP_SETID_CALLS; i++)
    {
      const confine_setid_call_t *c = &confine_seccomp_setid_calls[i];
      if (!r->setid[i] || c->mknod)
        continue;
      if (r->setid_allow)
        {
          if (mode_rule (doc, c->name, c->mode_index, true, CONFINE_SETID_BITS, 0, err) < 0)
            return -1;
          edits++;
          continue;
        }
      if (mode_rule (doc, c->name, c->mode_index, false, S_ISUID, S_ISUID, err) < 0
          || mode_rule (doc, c->name, c->mode_index, false, S_ISGID, S_ISGID, err) < 0)
        return -1;
      edits += 2;
    }
  {
    const char *names[CONFINE_SECCOMP_SETID_CALLS + 1] = { NULL };
    size_t n = 0;
    for (size_t i = 0; i < CONFINE_SECCOMP_SETID_CALLS; i++)
      if (r->setid[i] && !confine_seccomp_setid_calls[i].mknod)
        names[n++] = confine_seccomp_setid_calls[i].name;
    if (n)
      {
        cleanup_free char *list = join (names, false, err);
        if (list == NULL
            || confine_changes_add (changes, err, "linux.seccomp: %s %s (policy "
                                    "seccomp.block_setid_files: the container may make files "
                                    "host users reach)",
                                    list,
                                    r->setid_allow ? "allowed only without S_ISUID and S_ISGID "
                                                     "in the mode, (mode & 06000) == 0"
                                                   : "denied with EPERM with S_ISUID or S_ISGID "
                                                     "in the mode")
                   < 0)
          return -1;
      }
  }
  for (size_t i = 0; i < 2; i++)
    {
      size_t row = setid_row (mknods[i].name);
      bool setid = r->setid[row];
      if (!r->device_nodes[i] && !setid)
        continue;
      if (r->device_allow_others)
        {
          /* One rule per file type: rules for one syscall OR together.
           * Regular files only without S_ISUID and S_ISGID where the
           * setuid rule applies; device nodes not at all where theirs
           * does. */
          size_t n_types = sizeof (file_types) / sizeof (file_types[0]);
          for (size_t t = 0; t < n_types + (r->device_nodes[i] ? 0 : 2); t++)
            {
              unsigned type = t < n_types ? file_types[t] : device_types[t - n_types];
              bool regular = type == 0 || type == S_IFREG;
              if (mode_rule (doc, mknods[i].name, mknods[i].mode_index, true,
                             S_IFMT | (setid && regular ? CONFINE_SETID_BITS : 0), type, err)
                  < 0)
                return -1;
              edits++;
            }
        }
      else
        {
          static const unsigned regular[] = { 0, S_IFREG }, bits[] = { S_ISUID, S_ISGID };
          for (size_t t = 0; r->device_nodes[i] && t < 2; t++, edits++)
            if (mode_rule (doc, mknods[i].name, mknods[i].mode_index, false, S_IFMT,
                           device_types[t], err)
                < 0)
              return -1;
          for (size_t t = 0; setid && t < 4; t++, edits++)
            if (mode_rule (doc, mknods[i].name, mknods[i].mode_index, false,
                           S_IFMT | bits[t % 2], regular[t / 2] | bits[t % 2], err)
                < 0)
              return -1;
        }
      if (confine_changes_add (
              changes, err, "linux.seccomp: %s %s%s (policy %s)", mknods[i].name,
              r->device_allow_others
                  ? (r->device_nodes[i] ? "allowed only for regular files, FIFOs and sockets, "
                                          "(mode & S_IFMT) in 0, S_IFREG, S_IFIFO, S_IFSOCK"
                                        : "allowed for every file type")
                  : (r->device_nodes[i] ? "of a character or block device node denied with "
                                          "EPERM"
                                        : "of a regular file with S_ISUID or S_ISGID denied "
                                          "with EPERM"),
              setid && (r->device_allow_others || r->device_nodes[i])
                  ? (r->device_allow_others ? ", regular files only without S_ISUID and S_ISGID"
                                            : ", and of a regular file with S_ISUID or S_ISGID")
                  : "",
              r->device_nodes[i] && setid ? "seccomp.block_device_nodes, seccomp.block_setid_files"
              : setid                     ? "seccomp.block_setid_files"
                                          : "seccomp.block_device_nodes")
          < 0)
        return -1;
    }
  if (r->enosys[0]
      && deny_names (doc, r->enosys, ENOSYS, ", so programs fall back to calls whose mode the "
                     "filter reads (policy seccomp.block_setid_files)", changes, err) < 0)
    return -1;
  edits += r->enosys[0] != NULL;
  if (r->eopnotsupp[0]
      && deny_names (doc, r->eopnotsupp, EOPNOTSUPP, ": a POSIX ACL keeps S_ISGID while it "
                     "rewrites the group bits; tar and cp go on without xattrs (policy "
                     "seccomp.block_setid_files)", changes, err) < 0)
    return -1;
  edits += r->eopnotsupp[0] != NULL;

  if (r->clone == CONFINE_CLONE_ALLOW_WITHOUT_NEW)
    {
      cleanup_free char *text = NULL;
      if (asprintf (&text, "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
                    "[{\"index\":0,\"value\":%llu,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}",
                    CLONE_NEW_MASK)
              < 0)
        return confine_make_error (err, ENOMEM, "repair clone");
      if (prepend (doc, text, err) < 0
          || confine_changes_add (changes, err, "linux.seccomp: clone allowed only without "
                                  "CLONE_NEW* flags, (flags & 0x%llx) == 0, as Docker allows it "
                                  "(policy seccomp.block_namespace_clone)",
                                  CLONE_NEW_MASK)
                 < 0)
        return -1;
      edits++;
    }
  else if (r->clone == CONFINE_CLONE_DENY_NEW)
    {
      /* One rule per flag: rules for one syscall OR together, and one
       * rule with seven conditions would be more than crun reads. */
      for (size_t i = 0; i < sizeof (clone_new_flags) / sizeof (clone_new_flags[0]); i++)
        {
          cleanup_free char *text = NULL;
          if (asprintf (&text, "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\","
                        "\"errnoRet\":%d,\"args\":[{\"index\":0,\"value\":%llu,"
                        "\"valueTwo\":%llu,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}",
                        EPERM, (unsigned long long) clone_new_flags[i],
                        (unsigned long long) clone_new_flags[i])
              < 0)
            return confine_make_error (err, ENOMEM, "repair clone");
          if (prepend (doc, text, err) < 0)
            return -1;
          edits++;
        }
      if (confine_changes_add (changes, err, "linux.seccomp: clone with any CLONE_NEW* flag "
                               "denied with EPERM (policy seccomp.block_namespace_clone)")
          < 0)
        return -1;
    }
  if (r->clone3_enosys)
    {
      cleanup_free char *text = NULL;
      if (asprintf (&text, "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\","
                    "\"errnoRet\":%d}", ENOSYS)
              < 0)
        return confine_make_error (err, ENOMEM, "repair clone3");
      if (prepend (doc, text, err) < 0
          || confine_changes_add (changes, err, "linux.seccomp: clone3 denied with ENOSYS, so "
                                  "the C library falls back to clone (policy "
                                  "seccomp.block_namespace_clone)")
                 < 0)
        return -1;
      edits++;
    }
  if (r->eperm[0]
      && deny_names (doc, r->eperm, EPERM, " (policy seccomp.must_block)", changes, err) < 0)
    return -1;
  edits += r->eperm[0] != NULL;
  return edits;
}

/* Judge the bytes runc will read, not our tree: serialise DOC and parse
 * the text, which replaces *TEXT and *SPEC. */
static int
reread (const confine_json_t *doc, char **text, size_t *tlen, confine_spec_t **spec,
        confine_error_t *err)
{
  free (steal_pointer (text));
  confine_spec_free (steal_pointer (spec));
  if (confine_json_write (doc, false, text, tlen, err) < 0)
    return -1;
  return confine_spec_parse (*text, *tlen, spec, NULL, err);
}

/* The rules whose results decide the repairs (repairable and
 * setfcap_repairable), and seccomp_needs, which shares their seccomp
 * verdict. */
#define REPAIR_RULES                                                                          \
  (CONFINE_RULE_BIT (CONFINE_RULE_SECCOMP) | CONFINE_RULE_BIT (CONFINE_RULE_SECCOMP_NEEDS)      \
   | CONFINE_RULE_BIT (CONFINE_RULE_CAPABILITIES))

/* SPEC judged in CTX with its own annotations: by RULES only, or, with
 * REST, V completed by every rule but RULES. */
static void
evaluate (const confine_context_t *ctx, const confine_spec_t *spec, unsigned rules, bool rest,
          confine_verdict_t *v)
{
  confine_context_t c = *ctx;
  c.annotations = spec->annotations;
  c.n_annotations = spec->n_annotations;
  if (rest)
    confine_evaluate_spec_rest (&c, spec, rules, v);
  else
    {
      confine_verdict_clear (v);
      confine_evaluate_spec_rules (&c, spec, rules, v);
    }
}

/* The seccomp rule refuses because the filter lets must_block syscalls
 * through (not because runc could not build it), and nothing waived it. */
static bool
repairable (const confine_policy_t *policy, const confine_spec_t *spec, const confine_verdict_t *v)
{
  const confine_rule_result_t *r = &v->results[CONFINE_RULE_SECCOMP];
  return policy->inject_seccomp_repair && spec->seccomp && r->kind == CONFINE_RESULT_FAIL
         && r->severity == CONFINE_SEV_DENY && r->exemption < 0 && r->names && r->names[0];
}

/* The capabilities rule refuses only for CAP_SETFCAP in a container that
 * may make files host users reach (seccomp.block_setid_files), and nothing waived
 * it: the engines give CAP_SETFCAP by default, and no ordinary container
 * needs to set file capabilities. */
static bool
setfcap_repairable (const confine_policy_t *policy, const confine_verdict_t *v)
{
  const confine_rule_result_t *r = &v->results[CONFINE_RULE_CAPABILITIES];
  return policy->inject_seccomp_repair && r->kind == CONFINE_RESULT_FAIL
         && r->severity == CONFINE_SEV_DENY && r->exemption < 0 && r->policy_key
         && strcmp (r->policy_key, CONFINE_CAPS_SETFCAP_KEY) == 0;
}

static int
drop_setfcap (confine_json_t *doc, confine_changes_t *changes, confine_error_t *err)
{
  int sets = confine_edit_drop_capability (doc, false, "CAP_SETFCAP", err);

  if (sets <= 0)
    return sets;
  if (confine_changes_add (changes, err, "process.capabilities: CAP_SETFCAP taken out of %d "
                           "set%s (policy seccomp.block_setid_files: the container may make "
                           "files host users reach, where a program given file "
                           "capabilities keeps them on the host)",
                           sets, sets == 1 ? "" : "s")
      < 0)
    return -1;
  return sets;
}

/* Add the denials the spec's own filter lacks, as the rule reported them
 * in V. Returns the number of edits. */
static int
repair (const confine_policy_t *policy, const confine_spec_t *spec, const confine_verdict_t *v,
        confine_json_t *doc, confine_changes_t *changes, confine_error_t *err)
{
  confine_seccomp_leaks_t leaks = { 0 };
  confine_seccomp_repair_t fix = { 0 };
  int r;

  confine_inject_seccomp_leaks (policy, v->results[CONFINE_RULE_SECCOMP].names, &leaks);
  confine_inject_seccomp_plan (spec->seccomp, &leaks, &fix);
  r = confine_inject_seccomp_repair (&fix, doc, changes, err);
  confine_seccomp_repair_clear (&fix);
  confine_seccomp_leaks_clear (&leaks);
  return r;
}

int
confine_inject_and_judge (const confine_context_t *ctx, const char *policy_path,
                          confine_spec_t **spec, confine_json_t *doc, char **text, size_t *tlen,
                          confine_changes_t *changes, confine_verdict_t *v, confine_error_t *err)
{
  const confine_policy_t *policy = ctx->policy;
  confine_inject_hook_t hook;
  confine_inject_host_t host;
  confine_inject_plan_t plan;
  int edits, r;

  *text = NULL;
  *tlen = 0;
  hook = (confine_inject_hook_t) { 0 };
  if (policy_path)
    confine_inject_hook_entry (policy, policy_path, &hook);
  confine_inject_probe (policy, *spec, &host);
  confine_inject_plan (policy, *spec, &host, &hook, &plan);
  if ((edits = confine_inject_apply (policy, *spec, &plan, &hook, doc, changes, err)) < 0)
    return -1;
  if (edits > 0 && reread (doc, text, tlen, spec, err) < 0)
    return confine_error_wrap (err, "rewritten");
  /* First the rules the repairs depend on: a spec that is repaired is
   * judged again from the start, and the other rules' results for the
   * spec before would only be thrown away (the mounts rule's walk of the
   * host above all). */
  evaluate (ctx, *spec, REPAIR_RULES, false, v);

  /* An engine's own filter that lets must_block syscalls through gets the
   * missing denials, a container that may make files host users reach
   * loses CAP_SETFCAP, and the result is judged again from the start. */
  r = 0;
  if (repairable (policy, *spec, v) || setfcap_repairable (policy, v))
    {
      int caps = 0;
      r = repairable (policy, *spec, v) ? repair (policy, *spec, v, doc, changes, err) : 0;
      if (r < 0 || (setfcap_repairable (policy, v) && (caps = drop_setfcap (doc, changes, err)) < 0))
        return -1;
      r += caps;
      if (r > 0)
        {
          edits += r;
          if (reread (doc, text, tlen, spec, err) < 0)
            return confine_error_wrap (err, "repaired");
          evaluate (ctx, *spec, CONFINE_RULES_ALL, false, v);
        }
    }
  /* Not repaired: the same spec, judged by the other rules too. */
  if (r == 0)
    evaluate (ctx, *spec, REPAIR_RULES, true, v);
  return edits;
}
