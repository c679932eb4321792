/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../oci/spec.h"
#include "../../base/utils.h"

int harness_failed;
const char *harness_root = ".";

void
harness_check (bool ok, const char *name, const char *fmt, ...)
{
  va_list ap;
  if (ok)
    {
      printf ("PASS %s\n", name);
      return;
    }
  harness_failed++;
  printf ("FAIL %s: ", name);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  putchar ('\n');
}

char *
harness_read (const char *rel, size_t *len)
{
  cleanup_error confine_error_t err = NULL;
  char *path = NULL, *buf = NULL;
  if (asprintf (&path, "%s/%s", harness_root, rel) < 0)
    abort ();
  if (confine_read_file (path, 64u << 20, &buf, len, &err) < 0)
    {
      printf ("FAIL read %s: %s\n", path, err->msg);
      exit (1);
    }
  free (path);
  return buf;
}

/* The directories harness_tmpdir made, removed when the test that made
 * them exits (not a child it forked, which exits while they are in use). */
#define TMPDIRS_MAX 64
static char *tmpdirs[TMPDIRS_MAX];
static size_t n_tmpdirs;
static pid_t tmpdirs_owner;

static int
remove_entry (const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
  (void) st;
  (void) ftw;
  (void) (flag == FTW_DP ? rmdir (path) : unlink (path));
  return 0;
}

static void
remove_tmpdirs (void)
{
  if (getpid () != tmpdirs_owner)
    return;
  /* Depth first, without crossing into a mount a test left behind. */
  for (size_t i = 0; i < n_tmpdirs; i++)
    (void) nftw (tmpdirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

char *
harness_tmpdir (void)
{
  char *t = strdup ("/tmp/confine-unit.XXXXXX");
  if (t == NULL || mkdtemp (t) == NULL || n_tmpdirs == TMPDIRS_MAX)
    abort ();
  if (n_tmpdirs == 0)
    {
      tmpdirs_owner = getpid ();
      atexit (remove_tmpdirs);
    }
  /* A copy: the test owns T and may free it before it exits. */
  if ((tmpdirs[n_tmpdirs] = strdup (t)) == NULL)
    abort ();
  n_tmpdirs++;
  return t;
}

void
harness_write (const char *path, const char *text)
{
  FILE *f = fopen (path, "w");
  if (f == NULL || fputs (text, f) < 0 || fclose (f) != 0)
    {
      printf ("FAIL write %s\n", path);
      exit (1);
    }
}

confine_policy_t *
harness_policy (const char *fmt, ...)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *text = NULL;
  confine_policy_t *p = NULL;
  va_list ap;
  int n;
  va_start (ap, fmt);
  n = vasprintf (&text, fmt, ap);
  va_end (ap);
  if (n < 0)
    abort ();
  if (confine_policy_parse (text, (size_t) n, &p, &err) < 0)
    {
      printf ("FAIL policy %s: %s\n", text, err->msg);
      exit (1);
    }
  return p;
}

char *
harness_replace (const char *s, char c, const char *with)
{
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&out, &len);
  if (f == NULL)
    abort ();
  for (; *s; s++)
    if (*s == c)
      fputs (with, f);
    else
      fputc (*s, f);
  if (fclose (f) != 0)
    abort ();
  return out;
}

void
harness_rule_case (const char *name, confine_rule_fn *rule, const confine_context_t *ctx,
                   const confine_subject_t *subject, confine_result_kind_t want, const char *fact)
{
  cleanup_error confine_error_t err = NULL;
  confine_rule_result_t r = { 0 };
  if (rule (ctx, subject, &r, &err) < 0)
    CHECK (false, name, "error: %s", err->msg);
  else
    CHECK (r.kind == want && r.fact && strstr (r.fact, fact), name, "kind %d, fact: %s", r.kind,
           r.fact ? r.fact : "(none)");
  free (r.fact);
  confine_free_strv (r.names);
}

void *
harness_docker_fixture (const char *name)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;
  char rel[128];
  size_t len;
  char *buf;
  snprintf (rel, sizeof (rel), "tests/fixtures/docker/%s.json", name);
  buf = harness_read (rel, &len);
  if (confine_spec_parse (buf, len, &spec, NULL, &err) < 0)
    {
      printf ("FAIL parse %s: %s\n", rel, err->msg);
      exit (1);
    }
  free (buf);
  return spec;
}

int
main (int argc, char **argv)
{
  if (argc > 1)
    harness_root = argv[1];
  setvbuf (stdout, NULL, _IOLBF, 0);
  run_tests ();
  return harness_failed ? 1 : 0;
}

pid_t
harness_in_own_mount_ns (int (*setup) (void *), void *arg)
{
  int ready[2];
  char c = 0;
  pid_t child;

  if (pipe (ready) < 0 || (child = fork ()) < 0)
    abort ();
  if (child == 0)
    {
      if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
          || setup (arg) < 0 || write (ready[1], "", 1) != 1)
        _exit (1);
      pause ();
      _exit (0);
    }
  close (ready[1]);
  if (read (ready[0], &c, 1) != 1)
    abort ();
  close (ready[0]);
  return child;
}

void
harness_stop (pid_t child)
{
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
}
