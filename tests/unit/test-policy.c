/* SPDX-License-Identifier: Apache-2.0 */
/* One truth for the defaults: config/policy.json, read by the real
 * parser, equals the built-in defaults (the policy `{}`) key by key.
 *
 * The keys are one table. That the table is whole and right is proved,
 * not assumed: every key the shipped file sets must have a row, every row
 * a key there (tests/integration/docs.sh proves the shipped file sets
 * every key the parser accepts), and for each row, changing that one key
 * in the shipped file must change what its row compares and nothing any
 * other row compares. So a key added without a row, or a row that looks
 * at the wrong field, fails here. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "../../oci/json.h"
#include "../../src/policy.h"
#include "../../base/utils.h"

typedef enum
{
  STR,
  BOOL,
  I64,
  U64,
  STRV,
  SEVERITY, /* rules.<rule>: OFF is the rule's index */
  DEVICES,      /* devices.allowed */
  DEVICES_STRIP, /* devices.strip */
  HOOKS,
  EXEMPTIONS,
} kind_t;

typedef struct
{
  const char *key; /* `section.key` or `key`, as in the file */
  kind_t kind;
  size_t off;           /* of the field in confine_policy_t */
  const char *mutation; /* another valid value for the key, as JSON */
} row_t;

#define F(field) offsetof (confine_policy_t, field)

static const row_t fixed_rows[] = {
  { "mode", BOOL, F (audit), "\"audit\"" },
  { "securityfs", STR, F (securityfs), "\"/mutated\"" },
  { "runtime", STR, F (runtime), "\"crun\"" },
  { "hook_path", STR, F (hook_path), "\"/mutated\"" },
  { "decision_log", STR, F (decision_log), "\"/mutated\"" },
  { "cache_dir", STR, F (cache_dir), "\"/mutated\"" },
  { "apparmor.when_unavailable", BOOL, F (apparmor_skip_when_unavailable), "\"skip\"" },
  { "apparmor.allowed_modes", STRV, F (apparmor_allowed_modes), "[\"kill\"]" },
  { "apparmor.default_profile", STR, F (apparmor_default_profile), "\"mutated\"" },
  { "apparmor.allowed_profiles", STRV, F (apparmor_allowed_profiles), "[\"mutated\"]" },
  { "seccomp.must_block", STRV, F (must_block), "[\"bpf\"]" },
  { "seccomp.block_namespace_clone", BOOL, F (block_namespace_clone), "false" },
  { "seccomp.block_device_nodes", BOOL, F (block_device_nodes), "false" },
  { "seccomp.block_setid_files", BOOL, F (block_setid_files), "false" },
  { "seccomp.setid_scope", BOOL, F (setid_every_container), "\"writable_binds\"" },
  { "seccomp.default_profile", STR, F (seccomp_default_profile), "\"/mutated\"" },
  { "capabilities.forbidden", STRV, F (caps_forbidden), "[\"CAP_SYS_ADMIN\"]" },
  { "namespaces.required", STRV, F (namespaces_required), "[\"pid\"]" },
  { "masked_paths.required", STRV, F (masked_paths_required), "[\"/proc/kcore\"]" },
  { "masked_paths.readonly_required", STRV, F (readonly_paths_required), "[\"/proc/sys\"]" },
  { "mounts.sensitive", STRV, F (mounts_sensitive), "[\"/\"]" },
  { "mounts.sensitive_subtrees", STRV, F (mounts_sensitive_subtrees), "[\"/proc\"]" },
  { "mounts.allowed_subtrees", STRV, F (mounts_allowed_subtrees), "[\"/dev/null\"]" },
  { "mounts.readonly_subtrees", STRV, F (mounts_readonly_subtrees), "[\"/usr\"]" },
  { "mounts.allowed_roots", STRV, F (mounts_allowed_roots), "[\"/srv/*\"]" },
  { "mounts.owner_bundles", STRV, F (mounts_owner_bundles), "[\"/srv/*\"]" },
  { "mounts.owner_annotations", STRV, F (mounts_owner_annotations), "[\"x\"]" },
  { "mounts.allowed_types", STRV, F (mounts_allowed_types), "[\"proc\"]" },
  { "mounts.allowed_volume_devices", STRV, F (mounts_allowed_volume_devices), "[\"/dev/sdb1\"]" },
  { "mounts.writable_pseudo_filesystems", STRV, F (mounts_writable_pseudo), "[\"sysfs\"]" },
  { "mounts.propagation_subtrees", STRV, F (mounts_propagation_subtrees), "[\"/srv\"]" },
  { "mounts.allowed_sockets", STRV, F (mounts_allowed_sockets), "[\"/srv/*.sock\"]" },
  { "crun.allowed_annotations", STRV, F (crun_allowed_annotations), "[\"x\"]" },
  { "conmon.allowed_subtrees", STRV, F (conmon_allowed_subtrees), "[\"/srv/logs\"]" },
  { "authz.copy", BOOL, F (authz_copy_allow), "\"allow\"" },
  { "authz.docker_root", STR, F (authz_docker_root), "\"/mutated\"" },
  { "devices.allowed", DEVICES, 0, "[\"c 1:3 rwm\"]" },
  { "devices.strip", DEVICES_STRIP, 0, "[]" },
  { "process.min_oom_score_adj", I64, F (min_oom_score_adj), "-1000" },
  { "process.max_rtprio", U64, F (max_rtprio), "99" },
  { "cgroups.shared_slices", STRV, F (cgroups_shared_slices), "[\"a.slice\"]" },
  { "hooks.allowed", HOOKS, 0, "[]" },
  { "runtimes.refused", STRV, F (runtimes_refused), "[\"runsc\"]" },
  { "cgroups.allowed_unified", STRV, F (cgroups_allowed_unified), "[\"cgroup.freeze\"]" },
  { "inject.seccomp", BOOL, F (inject_seccomp), "false" },
  { "inject.seccomp_repair", BOOL, F (inject_seccomp_repair), "false" },
  { "inject.apparmor", BOOL, F (inject_apparmor), "false" },
  { "inject.no_new_privileges", BOOL, F (inject_no_new_privileges), "true" },
  { "inject.hook", BOOL, F (inject_hook), "false" },
  { "exemptions", EXEMPTIONS, 0, "[{\"rules\":[\"apparmor\"],\"id\":\"x\"}]" },
};

/* The one key whose shipped value is not the built-in one, on purpose:
 * without the key nothing is logged to a file, and the shipped policy
 * turns the log on (README, `decision_log`). */
#define LOG_KEY "decision_log"
#define LOG_SHIPPED "/var/log/confine/decisions.log"

static row_t rows[sizeof (fixed_rows) / sizeof (fixed_rows[0]) + CONFINE_RULES];
static size_t n_rows;

static bool
strv_same (char *const *a, char *const *b)
{
  static char *const none[] = { NULL };
  a = a ? a : none;
  b = b ? b : none;
  for (; *a && *b; a++, b++)
    if (strcmp (*a, *b) != 0)
      return false;
  return *a == NULL && *b == NULL;
}

static bool
str_same (const char *a, const char *b)
{
  return a == b || (a && b && strcmp (a, b) == 0);
}

static bool
device_same (const confine_device_allow_t *a, const confine_device_allow_t *b)
{
  return a->type == b->type && a->major == b->major && a->minor == b->minor
         && a->read == b->read && a->write == b->write && a->mknod == b->mknod;
}

static bool
devices_same (const confine_device_allow_t *a, size_t na, const confine_device_allow_t *b,
              size_t nb)
{
  if (na != nb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (!device_same (&a[i], &b[i]))
      return false;
  return true;
}

static bool
hook_same (const confine_hook_allow_t *a, const confine_hook_allow_t *b)
{
  return str_same (a->path, b->path) && strv_same (a->args, b->args)
         && strv_same (a->env, b->env) && a->n_args == b->n_args && a->n_env == b->n_env;
}

static bool
exemption_same (const confine_exemption_t *a, const confine_exemption_t *b)
{
  return strv_same (a->rules, b->rules) && str_same (a->id, b->id)
         && strv_same (a->annotation_keys, b->annotation_keys)
         && strv_same (a->annotation_values, b->annotation_values)
         && str_same (a->comment, b->comment) && a->n_annotations == b->n_annotations;
}

/* Whether A and B agree on what ROW governs. */
static bool
same (const row_t *row, const confine_policy_t *a, const confine_policy_t *b)
{
#define AT(p, type) (*(type const *) ((const char *) (p) + row->off))
  switch (row->kind)
    {
    case STR:
      return str_same (AT (a, char *), AT (b, char *));
    case BOOL:
      return AT (a, bool) == AT (b, bool);
    case I64:
      return AT (a, int64_t) == AT (b, int64_t);
    case U64:
      return AT (a, uint64_t) == AT (b, uint64_t);
    case STRV:
      return strv_same (AT (a, char **), AT (b, char **));
    case SEVERITY:
      return a->severity[row->off] == b->severity[row->off];
    case DEVICES:
      return devices_same (a->devices_allowed, a->n_devices_allowed, b->devices_allowed,
                           b->n_devices_allowed);
    case DEVICES_STRIP:
      return devices_same (a->devices_strip, a->n_devices_strip, b->devices_strip,
                           b->n_devices_strip);
    case HOOKS:
      if (a->n_hooks_allowed != b->n_hooks_allowed)
        return false;
      for (size_t i = 0; i < a->n_hooks_allowed; i++)
        if (!hook_same (&a->hooks_allowed[i], &b->hooks_allowed[i]))
          return false;
      return true;
    case EXEMPTIONS:
      if (a->n_exemptions != b->n_exemptions)
        return false;
      for (size_t i = 0; i < a->n_exemptions; i++)
        if (!exemption_same (&a->exemptions[i], &b->exemptions[i]))
          return false;
      return true;
    }
#undef AT
  abort ();
}

static void
build_rows (void)
{
  static char keys[CONFINE_RULES][64];
  for (size_t i = 0; i < sizeof (fixed_rows) / sizeof (fixed_rows[0]); i++)
    rows[n_rows++] = fixed_rows[i];
  /* A rule added to the registry gets its row here. */
  for (size_t i = 0; i < CONFINE_RULES; i++)
    {
      snprintf (keys[i], sizeof (keys[i]), "rules.%s", confine_rule_names[i]);
      rows[n_rows++] = (row_t) { keys[i], SEVERITY, i, NULL };
    }
}

/* Add KEY to the space-separated list in BUF (SIZE bytes). */
static void
note (char *buf, size_t size, const char *key)
{
  size_t n = strlen (buf);
  snprintf (buf + n, size - n, "%s ", key);
}

static const row_t *
row_of (const char *key)
{
  for (size_t i = 0; i < n_rows; i++)
    if (strcmp (rows[i].key, key) == 0)
      return &rows[i];
  return NULL;
}

/* The object KEY's last part lives in, within DOC, and that part. */
static confine_json_t *
parent_of (confine_json_t *doc, const char *key, const char **leaf)
{
  const char *dot = strchr (key, '.');
  char section[64];
  if (dot == NULL)
    {
      *leaf = key;
      return doc;
    }
  snprintf (section, sizeof (section), "%.*s", (int) (dot - key), key);
  *leaf = dot + 1;
  return confine_json_get (doc, section);
}

/* Every key the shipped file sets, `section.key` below the top: the
 * sections are objects, every value under them is one key's. */
static void
shipped_keys_have_rows (const confine_json_t *doc)
{
  char missing[4096] = "";
  char key[256];
  for (size_t i = 0; i < doc->len; i++)
    {
      const confine_json_t *v = doc->values[i];
      if (v->type != CONFINE_JSON_OBJECT)
        {
          if (row_of (doc->keys[i]) == NULL)
            note (missing, sizeof (missing), doc->keys[i]);
          continue;
        }
      for (size_t j = 0; j < v->len; j++)
        {
          snprintf (key, sizeof (key), "%s.%s", doc->keys[i], v->keys[j]);
          if (row_of (key) == NULL)
            note (missing, sizeof (missing), key);
        }
    }
  CHECK (missing[0] == '\0', "every key config/policy.json sets is compared",
         "no row for: %s", missing);
}

/* Set ROW's key in a copy of DOC to ROW's mutation (or, for a severity,
 * another severity), and parse that. */
static confine_policy_t *
mutated (const confine_json_t *doc, const row_t *row)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *copy = confine_json_copy (doc, &err);
  confine_json_t *value = NULL, *parent;
  const char *leaf, *text = row->mutation;
  char *out = NULL;
  size_t len = 0;
  confine_policy_t *p;

  if (copy == NULL || (parent = parent_of (copy, row->key, &leaf)) == NULL
      || confine_json_get (parent, leaf) == NULL)
    {
      printf ("FAIL mutate %s: config/policy.json does not set it\n", row->key);
      exit (1);
    }
  if (row->kind == SEVERITY)
    text = strcmp (confine_json_get (parent, leaf)->text, "deny") == 0 ? "\"warn\"" : "\"deny\"";
  if (confine_json_parse (text, strlen (text), &value, &err) < 0
      || confine_json_set (parent, leaf, value, &err) < 0
      || confine_json_write (copy, false, &out, &len, &err) < 0)
    {
      printf ("FAIL mutate %s: %s\n", row->key, err->msg);
      exit (1);
    }
  p = harness_policy ("%s", out);
  free (out);
  return p;
}

void
run_tests (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *doc = NULL;
  size_t len;
  char *text = harness_read ("config/policy.json", &len);
  confine_policy_t *builtin = harness_policy ("{}");
  confine_policy_t *shipped = harness_policy ("%s", text);
  char differ[4096] = "";

  build_rows ();
  if (confine_json_parse (text, len, &doc, &err) < 0)
    abort ();
  shipped_keys_have_rows (doc);

  /* The defaults themselves. */
  for (size_t i = 0; i < n_rows; i++)
    if (strcmp (rows[i].key, LOG_KEY) != 0 && !same (&rows[i], builtin, shipped))
      note (differ, sizeof (differ), rows[i].key);
  CHECK (differ[0] == '\0', "config/policy.json sets every key to its built-in default",
         "differs: %s", differ);
  CHECK (builtin->decision_log == NULL && str_same (shipped->decision_log, LOG_SHIPPED),
         "decision_log: unset built in, " LOG_SHIPPED " shipped", "built in %s, shipped %s",
         builtin->decision_log ? builtin->decision_log : "unset",
         shipped->decision_log ? shipped->decision_log : "unset");

  /* Each row compares its key, and only its key. */
  for (size_t i = 0; i < n_rows; i++)
    {
      confine_policy_t *m = mutated (doc, &rows[i]);
      char others[4096] = "";
      for (size_t j = 0; j < n_rows; j++)
        if (j != i && !same (&rows[j], shipped, m))
          note (others, sizeof (others), rows[j].key);
      {
        char name[160];
        snprintf (name, sizeof (name), "the row for %s sees that key change, and no other row does",
                  rows[i].key);
        CHECK (!same (&rows[i], shipped, m) && others[0] == '\0', name,
               "own row %s; other rows that changed: %s",
               same (&rows[i], shipped, m) ? "saw no change" : "saw it", others);
      }
      confine_policy_free (m);
    }

  confine_policy_free (builtin);
  confine_policy_free (shipped);
  free (text);
}
