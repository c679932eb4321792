/* SPDX-License-Identifier: Apache-2.0 */
/* confine_open_trusted_path: a path handed to runc after the judgement
 * (a bundle) is accepted only when nobody but root can change where it
 * leads. confine_open_private_path: the same without the sticky
 * exception, for what an engine wrote for us (an exec process file).
 * Built in a temp directory under /tmp (a root-owned sticky directory)
 * with owners and modes set as root. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../base/utils.h"

#define NOBODY 65534

static char *t;

static char *
at (const char *rel)
{
  return confine_xasprintf ("%s/%s", t, rel);
}

static void
dir (const char *rel, mode_t mode, uid_t uid, gid_t gid)
{
  cleanup_free char *p = at (rel);
  if (mkdir (p, mode) < 0 || chmod (p, mode) < 0 || chown (p, uid, gid) < 0)
    abort ();
}

static void
link_as (const char *target, const char *rel, uid_t uid)
{
  cleanup_free char *p = at (rel);
  if (symlink (target, p) < 0 || lchown (p, uid, uid) < 0)
    abort ();
}

/* PATH (under the temp directory unless absolute or `./`) opens, or is refused
 * with NEEDLE in the reason. */
static void
walk_with (int (*open_path) (const char *, int, int *, confine_error_t *), const char *name,
           const char *rel, const char *needle)
{
  cleanup_free char *p = rel[0] == '/' || rel[0] == '.' ? confine_xstrdup (rel) : at (rel);
  cleanup_error confine_error_t err = NULL;
  int fd = -1;
  int r = open_path (p, O_RDONLY, &fd, &err);

  if (needle == NULL)
    CHECK (r == 0 && fd >= 0, name, "refused: %s", err ? err->msg : "");
  else
    CHECK (r < 0 && strstr (err->msg, needle), name, "r=%d: %s", r, err ? err->msg : "(opened)");
  if (fd >= 0)
    close (fd);
}

static void
walk (const char *name, const char *rel, const char *needle)
{
  walk_with (confine_open_trusted_path, name, rel, needle);
}

static void
walk_private (const char *name, const char *rel, const char *needle)
{
  walk_with (confine_open_private_path, name, rel, needle);
}

void
run_tests (void)
{
  cleanup_free char *tmp = harness_tmpdir ();
  cleanup_free char *cwd = getcwd (NULL, 0);
  t = tmp;
  if (chmod (t, 0755) < 0)
    abort ();

  dir ("root", 0755, 0, 0);
  dir ("root/b", 0755, 0, 0);
  dir ("home", 0755, NOBODY, NOBODY);
  dir ("home/b", 0755, 0, 0);
  dir ("grp", 0775, 0, NOBODY);
  dir ("grp/b", 0755, 0, 0);
  dir ("rootgrp", 0775, 0, 0);
  dir ("rootgrp/b", 0755, 0, 0);
  dir ("world", 0777, 0, 0);
  dir ("world/b", 0755, 0, 0);
  dir ("sticky", 01777, 0, 0);
  dir ("sticky/b", 0755, 0, 0);
  dir ("sticky/theirs", 0755, NOBODY, NOBODY);
  dir ("usersticky", 01777, NOBODY, NOBODY);
  dir ("usersticky/b", 0755, 0, 0);
  link_as ("root/b", "rootlink", 0);
  link_as ("../root/b", "home/link", 0);
  link_as ("../root/b", "sticky/theirlink", NOBODY);
  link_as ("../root/b", "sticky/rootlink", 0);
  link_as ("../home/b", "root/tohome", 0);
  link_as ("loop", "root/loop", 0);
  link_as ("../sticky/b", "root/tosticky", 0);
  {
    cleanup_free char *file = at ("root/b/file");
    harness_write (file, "{}");
  }

  /* What engines and users really use. */
  walk ("trusted-root-owned-path", "root/b", NULL);
  walk ("trusted-file", "root/b/file", NULL);
  walk ("trusted-root-itself", "/", NULL);
  walk ("trusted-sticky-tmp", "sticky/b", NULL);
  walk ("trusted-group-root-writable", "rootgrp/b", NULL);
  walk ("trusted-root-link", "rootlink", NULL);
  walk ("trusted-root-link-in-sticky", "sticky/rootlink", NULL);
  walk ("trusted-dots", "root/./b/../b/", NULL);
  /* The directory of a bundle someone else can rename. */
  walk ("refused-user-owned-ancestor", "home/b", "/home`, on the way to");
  walk ("refused-group-writable-ancestor", "grp/b", "can be changed by others than root");
  walk ("refused-world-writable-ancestor", "world/b", "mode 0777");
  walk ("refused-user-owned-sticky", "usersticky/b", "owner uid 65534");
  walk ("refused-user-dir-in-sticky", "sticky/theirs", "belongs to a user other than root");
  walk ("refused-user-link-in-sticky", "sticky/theirlink/file", "belongs to a user other than root");
  /* A link in a trusted place leading through an untrusted one, and a
   * link in an untrusted place leading to a trusted one. */
  walk ("refused-link-target-through-user-dir", "root/tohome", "/home`, on the way to");
  walk ("refused-link-in-user-dir", "home/link", "/home`, on the way to");
  walk ("refused-dotdot-through-user-dir", "home/b/../../root/b", "/home`, on the way to");
  walk ("refused-loop", "root/loop", "open");
  walk ("refused-missing", "root/none", "No such file");

  /* A relative path is resolved from the current directory, as runc,
   * which starts there, resolves it: that directory counts too. */
  {
    cleanup_free char *home = at ("home");
    cleanup_free char *root = at ("root");
    if (chdir (home) < 0)
      abort ();
    walk ("refused-relative-from-user-dir", "./b", "`.`, on the way to");
    if (chdir (root) < 0)
      abort ();
    walk ("trusted-relative-from-root-dir", "./b", NULL);
    if (chdir (cwd) < 0)
      abort ();
  }
  /* The private walk: what the trusted walk follows in a sticky directory
   * (the temp directory itself lies in /tmp) is refused, the rest holds. */
  walk_private ("private-refuses-sticky-tmp", "sticky/b", "is a directory others can add names to");
  walk_private ("private-refuses-root-link-in-sticky", "sticky/rootlink", "others can add names");
  walk_private ("private-refuses-below-tmp", "root/b/file", "/tmp`, on the way to");
  {
    if (chdir (t) < 0)
      abort ();
    walk_private ("private-root-owned-path", "./root/b/file", NULL);
    walk_private ("private-group-root-writable", "./rootgrp/b", NULL);
    walk_private ("private-root-link", "./rootlink", NULL);
    walk_private ("private-refuses-sticky", "./sticky/b", "`./sticky`, on the way to");
    walk_private ("private-refuses-link-to-sticky", "./root/tosticky", "others can add names");
    walk_private ("private-refuses-user-owned-ancestor", "./home/b", "`./home`, on the way to");
    if (chdir (cwd) < 0)
      abort ();
  }
  {
    cleanup_free char *cmd = confine_xasprintf ("rm -rf '%s'", t);
    if (system (cmd) != 0)
      abort ();
  }
}
