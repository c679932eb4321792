/* SPDX-License-Identifier: Apache-2.0 */
/* The shim's edits of config.json: lossless for every key it does not
 * touch, and an atomic write that keeps owner and mode. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "../../oci/edit.h"
#include "../../oci/spec.h"
#include "../../base/utils.h"

static void
roundtrip (void)
{
  static const char *const fixtures[]
      = { "default", "privileged", "cap-add-sys-admin", "seccomp-unconfined", "socket-volume",
          "pid-host", "weak-seccomp", "restrictive-seccomp", NULL };
  for (const char *const *f = fixtures; *f; f++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_json confine_json_t *doc = NULL;
      cleanup_spec confine_spec_t *spec = NULL;
      cleanup_free char *out = NULL;
      cleanup_free char *path = NULL;
      cleanup_free char *name = NULL;
      cleanup_free char *text = NULL;
      size_t len = 0;

      if (asprintf (&path, "tests/fixtures/docker/%s.json", *f) < 0
          || asprintf (&name, "unedited %s.json is written back byte for byte", *f) < 0)
        abort ();
      text = harness_read (path, &len);
      /* Docker writes compact JSON with Go's escaping; yajl's generator
       * writes the same bytes for these documents, so "nothing changed"
       * can be checked as equal text. */
      if (confine_spec_parse (text, len, &spec, &doc, &err) < 0
          || confine_json_write (doc, false, &out, NULL, &err) < 0)
        CHECK (false, name, "%s", err->msg);
      else
        {
          size_t want = len > 0 && text[len - 1] == '\n' ? len - 1 : len;
          CHECK (strlen (out) == want && memcmp (out, text, want) == 0, name, "differs");
        }
    }
}

static void
edits (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_spec confine_spec_t *spec = NULL;
  cleanup_spec confine_spec_t *after = NULL;
  cleanup_free char *out = NULL;
  const char *args[] = { "confine-hook", "--policy", "/p.json", NULL };
  const char *env[] = { "PATH=/bin", NULL };
  const char *text = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"true\"],\"x-unknown\":[1.50,"
                     "18446744073709551615]},\"hooks\":{\"prestart\":[{\"path\":\"/a\"}]},"
                     "\"linux\":null}";
  size_t len = 0;

  if (confine_spec_parse (text, strlen (text), &spec, &doc, &err) < 0)
    {
      CHECK (false, "edit fixture parses", "%s", err->msg);
      return;
    }
  confine_json_t *sec = NULL;
  const char *sectext = "{\"defaultAction\":\"SCMP_ACT_ERRNO\"}";
  CHECK (confine_json_parse (sectext, strlen (sectext), &sec, &err) == 0
             && confine_edit_set_seccomp (doc, sec, &err) == 0
             && confine_edit_set_apparmor (doc, "confine-default", &err) == 0
             && confine_edit_set_no_new_privileges (doc, &err) == 0
             && confine_edit_add_hook (doc, "createRuntime", "/hook", args, env, 30, &err) == 0
             && confine_json_write (doc, false, &out, &len, &err) == 0,
         "edits apply", "%s", err ? err->msg : "");
  if (out == NULL)
    return;
  CHECK (strcmp (out, "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"true\"],\"x-unknown\":[1.50,"
                      "18446744073709551615],\"apparmorProfile\":\"confine-default\","
                      "\"noNewPrivileges\":true},\"hooks\":{\"prestart\":[{\"path\":\"/a\"}],"
                      "\"createRuntime\":[{\"path\":\"/hook\",\"args\":[\"confine-hook\",\"--policy\","
                      "\"/p.json\"],\"env\":[\"PATH=/bin\"],\"timeout\":30}]},\"linux\":{\"seccomp\":{\"defaultAction\":"
                      "\"SCMP_ACT_ERRNO\"}}}")
             == 0,
         "edits touch only their keys; unknown keys and exact numbers survive", "%s", out);
  CHECK (confine_spec_parse (out, len, &after, NULL, &err) == 0 && after->n_hooks[CONFINE_HOOK_CREATE_RUNTIME] == 1
             && after->seccomp && after->process.no_new_privileges
             && strcmp (after->process.apparmor_profile, "confine-default") == 0,
         "edited spec reads back with the injected values", "%s", err ? err->msg : "");
}

static void
edit_errors (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *doc = NULL;
  const char *text = "{\"hooks\":\"not an object\"}";
  const char *args[] = { NULL };

  if (confine_json_parse (text, strlen (text), &doc, &err) < 0)
    return;
  CHECK (confine_edit_add_hook (doc, "createRuntime", "/h", args, NULL, 0, &err) < 0,
         "a hooks value of the wrong type is refused, not overwritten", "accepted");
  confine_error_release (&err);
  CHECK (confine_edit_set_apparmor (doc, "p", &err) < 0, "no process object: no AppArmor edit",
         "accepted");
}

static void
atomic (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *file = NULL;
  cleanup_free char *link = NULL;
  cleanup_free char *got = NULL;
  cleanup_close int dfd = -1;
  struct stat st;
  int entries = 0;

  if (asprintf (&file, "%s/config.json", dir) < 0 || asprintf (&link, "%s/link.json", dir) < 0)
    abort ();
  harness_write (file, "old");
  if (chown (file, 0, 1) < 0 || chmod (file, 0640) < 0)
    {
      CHECK (false, "atomic write setup", "chown/chmod (not root?)");
      return;
    }
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  CHECK (confine_replace_file_at (dfd, "config.json", "new text", 8, true, &err) == 0
             && confine_read_file (file, 100, &got, NULL, &err) == 0 && strcmp (got, "new text") == 0,
         "atomic write replaces the file", "%s", err ? err->msg : got);
  CHECK (stat (file, &st) == 0 && st.st_uid == 0 && st.st_gid == 1 && (st.st_mode & 07777) == 0640,
         "atomic write keeps owner and mode", "uid %u gid %u mode %o", st.st_uid, st.st_gid,
         st.st_mode & 07777);
  if (symlink (file, link) == 0)
    {
      CHECK (confine_replace_file_at (dfd, "link.json", "x", 1, true, &err) < 0,
             "atomic write refuses a symlink", "accepted");
      confine_error_release (&err);
      free (got);
      got = NULL;
      CHECK (confine_read_file (file, 100, &got, NULL, &err) == 0 && strcmp (got, "new text") == 0,
             "refused write leaves the target intact", "%s", got ? got : "");
      unlink (link);
    }
  {
    DIR *d = opendir (dir);
    struct dirent *e;
    while (d && (e = readdir (d)))
      if (e->d_name[0] != '.' || strncmp (e->d_name, ".config.json.", 13) == 0)
        entries++;
    if (d)
      closedir (d);
  }
  CHECK (entries == 1, "atomic write leaves no temp files", "%d entries", entries);
  unlink (file);
  rmdir (dir);
}

/* A parsed document keeps its nodes in an arena its root frees; edits
 * give it nodes that own their storage, and whole parsed documents. The
 * sanitizer builds (make asan-check, valgrind-check) fail this on a leak,
 * a double free or a use after free; the text checks that every kind of
 * node is still read right after the edits. */
static void
mixed_tree (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_json confine_json_t *doc = NULL;
  cleanup_free char *out = NULL;
  confine_json_t *parsed = NULL, *own = NULL;
  static const char text[] = "{\"a\":{\"b\":[1,2]},\"c\":\"x\"}";
  static const char other[] = "[\"p\",{\"q\":true}]";
  bool ok = confine_json_parse (text, strlen (text), &doc, &err) == 0
            && confine_json_parse (other, strlen (other), &parsed, &err) == 0;

  own = confine_json_new (CONFINE_JSON_OBJECT, NULL);
  ok = ok && confine_json_set (own, "inner", confine_json_new (CONFINE_JSON_STRING, "i"), &err) == 0
       /* a parsed document under a node of its own, replacing a parsed value */
       && confine_json_set (own, "parsed", steal_pointer (&parsed), &err) == 0
       && confine_json_set (doc, "a", steal_pointer (&own), &err) == 0
       /* growing a parsed array, and a new key on a parsed object */
       && confine_json_push (confine_json_get (confine_json_get (doc, "a"), "parsed"),
                             confine_json_new (CONFINE_JSON_NUMBER, "3"), &err) == 0
       && confine_json_set (doc, "d", confine_json_new (CONFINE_JSON_BOOL, NULL), &err) == 0
       && confine_json_set (doc, "c", confine_json_new (CONFINE_JSON_STRING, "y"), &err) == 0
       && confine_json_write (doc, false, &out, NULL, &err) == 0;
  CHECK (ok && strcmp (out, "{\"a\":{\"inner\":\"i\",\"parsed\":[\"p\",{\"q\":true},3]},"
                            "\"c\":\"y\",\"d\":false}")
                   == 0,
         "a parsed document edited with nodes of both kinds reads back whole",
         "%s", ok ? out : err ? err->msg : "?");
  confine_json_free (parsed);
  confine_json_free (own);
}

void
run_tests (void)
{
  roundtrip ();
  mixed_tree ();
  edits ();
  edit_errors ();
  atomic ();
}
