/* SPDX-License-Identifier: Apache-2.0 */
/* seccomp.block_setid_files: which containers have a writable bind whose
 * files a host user may reach (confine_mounts_setid_bind), and the two
 * rules that refuse for it, the seccomp rule (setuid modes in Docker's
 * filter) and the capabilities rule (CAP_SETFCAP). Real directories and
 * mounts of this host: the test runs as root, and in a mount namespace
 * of its own once it mounts. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/mounts.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static confine_policy_t *policy;

/* A spec binding SOURCE at /x with OPTIONS (a JSON list's inside), and
 * LINUX_EXTRA as its linux members (default: a mount namespace). */
static confine_spec_t *
spec_binding (const char *source, const char *options, const char *linux_extra)
{
  cleanup_free char *text = NULL;
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;

  if (asprintf (&text,
                "{\"process\":{\"args\":[\"true\"],\"cwd\":\"/\",\"capabilities\":{\"bounding\":"
                "[\"CAP_CHOWN\",\"CAP_SETFCAP\"]}},\"mounts\":[{\"destination\":\"/x\",\"type\":"
                "\"bind\",\"source\":\"%s\",\"options\":[%s]}],\"linux\":{%s}}",
                source, options,
                linux_extra[0] ? linux_extra : "\"namespaces\":[{\"type\":\"mount\"}]")
          < 0
      || confine_spec_parse (text, strlen (text), &spec, NULL, &err) < 0)
    {
      printf ("FAIL parse: %s\n", err ? err->msg : "asprintf");
      exit (1);
    }
  return spec;
}

/* NAME: the bind of SOURCE with OPTIONS counts (COUNTED) or not. */
static void
bind_case (const char *name, const char *source, const char *options, const char *linux_extra,
           bool counted)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *what = NULL;
  confine_context_t ctx = { .policy = policy };
  confine_spec_t *spec = spec_binding (source, options, linux_extra);
  int r = confine_mounts_setid_bind (&ctx, spec, &what, &err);

  CHECK (r == 0 && (what != NULL) == counted
             && (!counted
                 || strstr (what, policy->setid_every_container ? "seccomp.setid_scope" : source)
                        != NULL),
         name, "r %d, %s", r, r < 0 ? err->msg : what ? what : "not counted");
  confine_spec_free (spec);
}

static char *
dir_at (const char *parent, const char *name, mode_t mode, gid_t gid)
{
  char *p = confine_xasprintf ("%s/%s", parent, name);
  if (mkdir (p, mode) < 0 || chmod (p, mode) < 0 || chown (p, 0, gid) < 0)
    abort ();
  return p;
}

void
run_tests (void)
{
  cleanup_free char *top = harness_tmpdir ();
  cleanup_free char *open_dir = NULL, *private_dir = NULL, *in_private = NULL;
  cleanup_free char *group_root = NULL, *in_group_root = NULL, *group_other = NULL;
  cleanup_free char *in_group_other = NULL, *mounted = NULL, *file = NULL, *missing = NULL;
  cleanup_free char *missing_private = NULL;
  static const char *rw = "\"rbind\",\"rw\",\"rprivate\"";

  if (geteuid () != 0)
    {
      CHECK (false, "test-setid runs as root", "euid %d", (int) geteuid ());
      return;
    }
  /* Which binds count: the scope that asks. */
  policy = harness_policy ("{\"seccomp\":{\"setid_scope\":\"writable_binds\"}}");
  /* harness_tmpdir's own directory is 0700 root: a barrier. Reachable
   * places live in a directory anyone searches. */
  if (chmod (top, 0755) < 0)
    abort ();
  open_dir = dir_at (top, "open", 0755, 0);
  private_dir = dir_at (top, "private", 0700, 0);
  in_private = dir_at (private_dir, "data", 0777, 0);
  group_root = dir_at (top, "group-root", 0710, 0);
  in_group_root = dir_at (group_root, "data", 0755, 0);
  group_other = dir_at (top, "group-other", 0710, 65534);
  in_group_other = dir_at (group_other, "data", 0755, 0);
  mounted = dir_at (private_dir, "volume", 0755, 0);
  file = confine_xasprintf ("%s/prog", open_dir);
  missing = confine_xasprintf ("%s/missing", open_dir);
  missing_private = confine_xasprintf ("%s/containers/c1/hosts", private_dir);
  harness_write (file, "");

  bind_case ("a writable bind of a directory anyone searches counts", open_dir, rw, "", true);
  bind_case ("a writable bind of a plain file there counts", file, rw, "", true);
  bind_case ("a read-only bind does not count", open_dir, "\"rbind\",\"ro\"", "", false);
  bind_case ("a source that does not exist counts (runc meets it later)", missing, rw, "", true);
  bind_case ("a source not made yet below a 0700 root directory does not count",
             missing_private, rw, "", false);
  bind_case ("below a 0700 root directory (a named volume's _data) it does not count",
             in_private, rw, "", false);
  bind_case ("below a 0710 root:root directory (/var/lib/docker) it does not count",
             in_group_root, rw, "", false);
  bind_case ("below a 0710 directory of another group it counts", in_group_other, rw, "", true);
  bind_case ("a device node does not count", "/dev/null", rw, "", false);
  bind_case ("a user namespace mapping no host id 0 makes it not count", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
             "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
             "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]",
             false);
  bind_case ("a user namespace whose gid map maps host gid 0 counts", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
             "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
             "\"gidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}]",
             true);
  bind_case ("a user namespace without maps counts", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}]", true);

  /* A volume whose data directory is a bind of a host directory (the
   * local driver's o=bind): below a 0700 directory, but its files are
   * the host directory's. */
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount (open_dir, mounted, NULL, MS_BIND, NULL) < 0)
    {
      CHECK (false, "mount a volume's bind", "%m");
      return;
    }
  bind_case ("below a 0700 directory, a mount of a directory anyone searches counts", mounted,
             rw, "", true);
  if (umount (mounted) < 0 || mount ("tmpfs", mounted, "tmpfs", 0, "mode=0755") < 0)
    abort ();
  bind_case ("below a 0700 directory, a tmpfs mounted only there does not count", mounted, rw, "",
             false);
  if (umount (mounted) < 0 || mount (in_private, open_dir, NULL, MS_BIND, NULL) < 0)
    abort ();
  bind_case ("a directory below a 0700 one that is also mounted elsewhere counts", in_private, rw,
             "", true);
  umount (open_dir);

  /* The rules: Docker's filter and CAP_SETFCAP refused beside a counted
   * bind, naming it and the key, and passed beside one that does not. */
  {
    confine_context_t ctx = { .policy = policy };
    confine_spec_t *docker = harness_docker_fixture ("default");
    confine_spec_t *spec = spec_binding (open_dir, rw, "");
    confine_subject_t s = { .spec = spec, .process = &spec->process };
    confine_seccomp_t *filter = spec->seccomp;
    confine_rule_result_t r = { 0 };
    cleanup_error confine_error_t err = NULL;

    spec->seccomp = docker->seccomp;
    cleanup_free char *want = confine_xasprintf ("while the bind mount of `%s` at `/x` is writable",
                                                 open_dir);
    harness_rule_case ("Docker's filter beside a writable bind host users reach is refused",
                       confine_rule_seccomp, &ctx, &s, CONFINE_RESULT_FAIL, want);
    if (confine_rule_seccomp (&ctx, &s, &r, &err) == 0)
      CHECK (r.policy_key && strcmp (r.policy_key, "seccomp.block_device_nodes, "
                                                    "seccomp.block_setid_files") == 0,
             "... citing seccomp.block_setid_files", "key %s", r.policy_key);
    harness_rule_case ("CAP_SETFCAP beside it is refused", confine_rule_capabilities, &ctx, &s,
                       CONFINE_RESULT_FAIL, "CAP_SETFCAP is in the bounding set while the bind");
    spec->mounts[0].options[1][1] = 'o'; /* "rw" -> "ro" */
    harness_rule_case ("CAP_SETFCAP beside a read-only bind passes", confine_rule_capabilities,
                       &ctx, &s, CONFINE_RESULT_PASS, "none forbidden");
    spec->seccomp = filter;
    confine_spec_free (spec);
    confine_spec_free (docker);
    free (r.fact);
    confine_free_strv (r.names);
  }
  confine_policy_free (policy);

  /* seccomp.setid_scope `all` (the default): every container counts,
   * its binds whatever they are (another container can hand it a
   * descriptor of one: red team 7 F-00), but for a user namespace that
   * maps no host id 0. */
  policy = harness_policy ("{}");
  bind_case ("scope all: a read-only bind counts too", open_dir, "\"rbind\",\"ro\"", "", true);
  bind_case ("scope all: a device node's bind counts too", "/dev/null", rw, "", true);
  bind_case ("scope all: a user namespace mapping no host id 0 does not count", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
             "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
             "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]",
             false);
  confine_policy_free (policy);
}
