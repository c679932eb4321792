/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"
#include "../base/utils.h"

/* OBJ[KEY] as an object or array, created (or replacing a null) when
 * absent. Any other type is an error: overwriting a value the spec
 * author put there would change the document behind their back. */
static confine_json_t *
member (confine_json_t *obj, const char *key, confine_json_type_t type, confine_error_t *err)
{
  confine_json_t *n = confine_json_get (obj, key);

  if (n != NULL && n->type == type)
    return n;
  if (n != NULL && n->type != CONFINE_JSON_NULL)
    {
      confine_json_type_error (key, n, confine_json_type_name (type), err);
      return NULL;
    }
  n = confine_json_new (type, NULL);
  if (confine_json_set (obj, key, n, err) < 0)
    {
      confine_json_free (n);
      return NULL;
    }
  return n;
}

static int
set_scalar (confine_json_t *obj, const char *key, confine_json_type_t type, const char *text,
            bool boolean, confine_error_t *err)
{
  confine_json_t *n = confine_json_new (type, text);
  n->boolean = boolean;
  if (confine_json_set (obj, key, n, err) < 0)
    {
      confine_json_free (n);
      return -1;
    }
  return 0;
}

int
confine_edit_set_seccomp (confine_json_t *doc, confine_json_t *seccomp, confine_error_t *err)
{
  confine_json_t *lx = member (doc, "linux", CONFINE_JSON_OBJECT, err);
  if (lx == NULL || confine_json_set (lx, "seccomp", seccomp, err) < 0)
    {
      confine_json_free (seccomp);
      return -1;
    }
  return 0;
}

/* linux.seccomp.syscalls, created (or replacing a null) when absent. */
static confine_json_t *
syscalls_of (confine_json_t *doc, confine_error_t *err)
{
  confine_json_t *s = confine_json_get (confine_json_get (doc, "linux"), "seccomp");

  if (s == NULL || s->type != CONFINE_JSON_OBJECT)
    {
      confine_make_error (err, 0, "the spec has no `linux.seccomp` object");
      return NULL;
    }
  return member (s, "syscalls", CONFINE_JSON_ARRAY, err);
}

/* Take every string of NAMES out of the array V; returns how many. */
static size_t
remove_strings (confine_json_t *v, const char *const *names)
{
  size_t before = v->len;

  for (size_t j = 0; j < v->len;)
    {
      bool hit = false;
      for (const char *const *n = names; *n && !hit; n++)
        hit = v->values[j]->type == CONFINE_JSON_STRING && strcmp (v->values[j]->text, *n) == 0;
      if (!hit)
        {
          j++;
          continue;
        }
      confine_json_free (v->values[j]);
      memmove (&v->values[j], &v->values[j + 1], (v->len - j - 1) * sizeof (v->values[0]));
      v->len--;
    }
  return before - v->len;
}

int
confine_edit_seccomp_strip (confine_json_t *doc, const char *const *names, confine_error_t *err)
{
  confine_json_t *calls = syscalls_of (doc, err);
  int changed = 0;

  if (calls == NULL)
    return -1;
  for (size_t i = 0; i < calls->len;)
    {
      confine_json_t *v = confine_json_get (calls->values[i], "names");
      size_t before;
      if (v == NULL || v->type != CONFINE_JSON_ARRAY)
        {
          i++;
          continue;
        }
      before = v->len;
      if (remove_strings (v, names) > 0)
        changed++;
      if (v->len == 0 && before > 0)
        {
          confine_json_free (calls->values[i]);
          memmove (&calls->values[i], &calls->values[i + 1],
                   (calls->len - i - 1) * sizeof (calls->values[0]));
          calls->len--;
          continue;
        }
      i++;
    }
  return changed;
}

int
confine_edit_seccomp_prepend (confine_json_t *doc, confine_json_t *rule, confine_error_t *err)
{
  confine_json_t *calls = syscalls_of (doc, err);

  if (calls == NULL || confine_json_push (calls, rule, err) < 0)
    {
      confine_json_free (rule);
      return -1;
    }
  memmove (&calls->values[1], &calls->values[0], (calls->len - 1) * sizeof (calls->values[0]));
  calls->values[0] = rule;
  return 0;
}

int
confine_edit_drop_device_rules (confine_json_t *doc, const bool *drop, size_t n,
                                confine_error_t *err)
{
  confine_json_t *rules
      = confine_json_get (confine_json_get (confine_json_get (doc, "linux"), "resources"),
                          "devices");
  size_t kept = 0;

  if (rules == NULL || rules->type != CONFINE_JSON_ARRAY || rules->len != n)
    return confine_make_error (err, 0, "`linux.resources.devices` is not the array judged");
  for (size_t i = 0; i < n; i++)
    if (drop[i])
      confine_json_free (rules->values[i]);
    else
      rules->values[kept++] = rules->values[i];
  rules->len = kept;
  return (int) (n - kept);
}

static confine_json_t *
process_of (confine_json_t *doc, confine_error_t *err)
{
  confine_json_t *p = confine_json_get (doc, "process");
  if (p == NULL || p->type != CONFINE_JSON_OBJECT)
    {
      confine_make_error (err, 0, "the spec has no `process` object");
      return NULL;
    }
  return p;
}

int
confine_edit_drop_capability (confine_json_t *doc, bool process_file, const char *cap,
                              confine_error_t *err)
{
  const char *const names[] = { cap, NULL };
  confine_json_t *p = process_file ? doc : process_of (doc, err);
  confine_json_t *caps;
  int sets = 0;

  if (p == NULL)
    return -1;
  caps = confine_json_get (p, "capabilities");
  for (size_t i = 0; caps && caps->type == CONFINE_JSON_OBJECT && i < caps->len; i++)
    if (caps->values[i]->type == CONFINE_JSON_ARRAY && remove_strings (caps->values[i], names) > 0)
      sets++;
  return sets;
}

int
confine_edit_set_apparmor (confine_json_t *doc, const char *profile, confine_error_t *err)
{
  confine_json_t *p = process_of (doc, err);
  if (p == NULL)
    return -1;
  return set_scalar (p, "apparmorProfile", CONFINE_JSON_STRING, profile, false, err);
}

int
confine_edit_set_no_new_privileges (confine_json_t *doc, confine_error_t *err)
{
  confine_json_t *p = process_of (doc, err);
  if (p == NULL)
    return -1;
  return set_scalar (p, "noNewPrivileges", CONFINE_JSON_BOOL, NULL, true, err);
}

/* OBJ[KEY] = the strings of V, as an array. */
static int
set_strings (confine_json_t *obj, const char *key, const char *const *v, confine_error_t *err)
{
  confine_json_t *arr = member (obj, key, CONFINE_JSON_ARRAY, err);
  if (arr == NULL)
    return -1;
  for (; v && *v; v++)
    {
      confine_json_t *s = confine_json_new (CONFINE_JSON_STRING, *v);
      if (confine_json_push (arr, s, err) < 0)
        {
          confine_json_free (s);
          return -1;
        }
    }
  return 0;
}

int
confine_edit_add_hook (confine_json_t *doc, const char *stage, const char *path,
                       const char *const *args, const char *const *env, int timeout,
                       confine_error_t *err)
{
  cleanup_json confine_json_t *hook = NULL;
  confine_json_t *hooks, *list;

  hook = confine_json_new (CONFINE_JSON_OBJECT, NULL);
  if (set_scalar (hook, "path", CONFINE_JSON_STRING, path, false, err) < 0
      || set_strings (hook, "args", args, err) < 0 || set_strings (hook, "env", env, err) < 0)
    return -1;
  if (timeout > 0)
    {
      char num[16]; /* an int always fits */
      snprintf (num, sizeof (num), "%d", timeout);
      if (set_scalar (hook, "timeout", CONFINE_JSON_NUMBER, num, false, err) < 0)
        return -1;
    }
  if ((hooks = member (doc, "hooks", CONFINE_JSON_OBJECT, err)) == NULL
      || (list = member (hooks, stage, CONFINE_JSON_ARRAY, err)) == NULL)
    return confine_error_wrap (err, "hooks");
  if (confine_json_push (list, hook, err) < 0)
    return -1;
  hook = NULL;
  return 0;
}
