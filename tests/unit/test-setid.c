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

/* A new user namespace whose maps leave host ids 0 out. */
#define USERNS_UNMAPPED                                                                            \
  "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"                                 \
  "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"                     \
  "\"gidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}]"

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

/* A spec whose root filesystem is ROOT, writable unless READONLY, with
 * no mounts. */
static void
root_case (const char *name, const char *id, const char *root, bool readonly, bool counted)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *what = NULL;
  cleanup_free char *text = confine_xasprintf (
      "{\"process\":{\"args\":[\"true\"],\"cwd\":\"/\"},\"root\":{\"path\":\"%s\","
      "\"readonly\":%s},\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
      root, readonly ? "true" : "false");
  confine_context_t ctx = { .policy = policy, .id = id };
  confine_spec_t *spec = NULL;
  int r = -1;

  if (confine_spec_parse (text, strlen (text), &spec, NULL, &err) == 0)
    r = confine_mounts_setid_bind (&ctx, spec, &what, &err);
  CHECK (r == 0 && (what != NULL) == counted
             && (!counted || strstr (what, "root filesystem") != NULL),
         name, "r %d, %s", r, r < 0 ? err->msg : what ? what : "not counted");
  confine_spec_free (spec);
}

void
run_tests (void)
{
  cleanup_free char *top = harness_tmpdir ();
  cleanup_free char *open_dir = NULL, *private_dir = NULL, *in_private = NULL;
  cleanup_free char *group_root = NULL, *in_group_root = NULL, *group_other = NULL;
  cleanup_free char *in_group_other = NULL, *file = NULL, *missing = NULL;
  cleanup_free char *missing_private = NULL, *engine = NULL, *volumes = NULL, *vol = NULL;
  cleanup_free char *data = NULL, *missing_data = NULL, *opened = NULL, *snaps = NULL;
  cleanup_free char *snap = NULL, *other_snap = NULL, *below = NULL;
  static const char *rw = "\"rbind\",\"rw\",\"rprivate\"";

  if (geteuid () != 0)
    {
      CHECK (false, "test-setid runs as root", "euid %d", (int) geteuid ());
      return;
    }
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
  /* An engine's data root as the shipped policy names Docker's: a
   * sensitive path (no container binds it or a directory above it),
   * 0710 root:root, its volumes' data allowed. */
  engine = dir_at (top, "engine", 0710, 0);
  volumes = dir_at (engine, "volumes", 0701, 0);
  vol = dir_at (volumes, "v1", 0755, 0);
  data = dir_at (vol, "_data", 0755, 0);
  missing_data = confine_xasprintf ("%s/v2/_data", volumes);
  snaps = dir_at (engine, "snap", 0700, 0);
  snap = dir_at (snaps, "c1", 0755, 0);
  other_snap = dir_at (snaps, "c2", 0755, 0);
  below = dir_at (open_dir, "below", 0755, 0);
  file = confine_xasprintf ("%s/prog", open_dir);
  missing = confine_xasprintf ("%s/missing", open_dir);
  missing_private = confine_xasprintf ("%s/containers/c1/hosts", private_dir);
  opened = dir_at (open_dir, "made-private", 0700, 0);
  harness_write (file, "");
  /* Which binds count: the scope that asks. */
  policy = harness_policy ("{\"seccomp\":{\"setid_scope\":\"writable_binds\"},"
                           "\"mounts\":{\"sensitive\":[\"/\",\"%s\"],\"sensitive_subtrees\":"
                           "[\"%s\"],\"allowed_subtrees\":[\"%s/*/_data\"],\"allowed_roots\":"
                           "[\"%s/*\"]}}",
                           engine, engine, volumes, snaps);

  bind_case ("a writable bind of a directory anyone searches counts", open_dir, rw, "", true);
  bind_case ("a writable bind of a plain file there counts", file, rw, "", true);
  bind_case ("an rro bind does not count", open_dir, "\"rbind\",\"ro\",\"rro\"", "", false);
  bind_case ("a non-recursive ro bind does not count", open_dir, "\"bind\",\"ro\"", "", false);
  bind_case ("an rbind made ro only at its top counts (its submounts stay writable)", open_dir,
             "\"rbind\",\"ro\",\"rprivate\"", "", true);
  bind_case ("rro undone by rrw counts", open_dir, "\"rbind\",\"rro\",\"rrw\"", "", true);
  bind_case ("a source that does not exist counts (runc meets it later)", missing, rw, "", true);
  bind_case ("a source not made yet below a 0700 root directory outside an engine's tree counts",
             missing_private, rw, "", true);
  bind_case ("below a 0700 root directory outside an engine's tree it counts (the container "
             "opens it)",
             in_private, rw, "", true);
  bind_case ("a 0700 root directory a container made in a user's directory counts", opened, rw,
             "", true);
  bind_case ("below a 0710 root:root directory outside an engine's tree it counts", in_group_root,
             rw, "", true);
  bind_case ("below a 0710 directory of another group it counts", in_group_other, rw, "", true);
  bind_case ("a volume's data below the engine's 0710 root:root data root does not count", data,
             rw, "", false);
  bind_case ("a volume's data not made yet there does not count", missing_data, rw, "", false);
  if (chmod (engine, 0711) < 0)
    abort ();
  bind_case ("with the data root searchable by others it counts", data, rw, "", true);
  if (chmod (engine, 0710) < 0)
    abort ();
  {
    /* The same tree not named sensitive: a container binding it (or a
     * directory above it) opens the barrier. */
    confine_policy_t *kept = policy;
    policy = harness_policy ("{\"seccomp\":{\"setid_scope\":\"writable_binds\"},"
                             "\"mounts\":{\"sensitive\":[\"/\"],\"allowed_subtrees\":"
                             "[\"%s/*/_data\"]}}",
                             volumes);
    bind_case ("a data root a container may bind is no barrier", data, rw, "", true);
    confine_policy_free (policy);
    policy = kept;
  }
  bind_case ("a device node does not count", "/dev/null", rw, "", false);
  bind_case ("a user namespace mapping no host id 0 makes it not count", open_dir, rw,
             USERNS_UNMAPPED, false);
  bind_case ("a user namespace whose gid map maps host gid 0 counts", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}],"
             "\"uidMappings\":[{\"containerID\":0,\"hostID\":100000,\"size\":65536}],"
             "\"gidMappings\":[{\"containerID\":0,\"hostID\":0,\"size\":1}]",
             true);
  bind_case ("a user namespace without maps counts", open_dir, rw,
             "\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"user\"}]", true);

  /* The root filesystem (red team 7, F-03). */
  root_case ("a writable root in a user's directory counts", NULL, open_dir, false, true);
  root_case ("a read-only one does not", NULL, open_dir, true, false);
  root_case ("the container's own snapshot does not", "c1", snap, false, false);
  root_case ("another container's snapshot counts", "c1", other_snap, false, true);

  /* A volume whose data directory is a bind of a host directory (the
   * local driver's o=bind): below the data root, but its files are the
   * host directory's. */
  if (unshare (CLONE_NEWNS) < 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0
      || mount (open_dir, data, NULL, MS_BIND, NULL) < 0)
    {
      CHECK (false, "mount a volume's bind", "%m");
      return;
    }
  bind_case ("a volume whose data is a mount of a directory anyone searches counts", data, rw,
             "", true);
  if (umount (data) < 0 || mount ("tmpfs", data, "tmpfs", 0, "mode=0755") < 0)
    abort ();
  bind_case ("a tmpfs mounted only at a volume's data does not count", data, rw, "", false);
  if (umount (data) < 0 || mount (data, below, NULL, MS_BIND, NULL) < 0)
    abort ();
  bind_case ("a volume's data also mounted elsewhere counts", data, rw, "", true);
  umount (below);
  /* A submount below a read-only rbind's source (red team 7, F-08):
   * runc leaves it writable. */
  if (mount ("tmpfs", below, "tmpfs", 0, "mode=0755") < 0)
    abort ();
  bind_case ("an ro rbind over a tmpfs below its source counts", open_dir,
             "\"rbind\",\"ro\",\"rprivate\"", "", true);
  bind_case ("an rro rbind over it does not", open_dir, "\"rbind\",\"rro\",\"rprivate\"", "",
             false);
  umount (below);

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
    memcpy (spec->mounts[0].options[0], "rro", 4); /* "rbind" -> "rro": read-only, whole */
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
  bind_case ("scope all: a read-only bind counts too", open_dir, "\"rbind\",\"rro\"", "", true);
  bind_case ("scope all: a device node's bind counts too", "/dev/null", rw, "", true);
  bind_case ("scope all: a user namespace mapping no host id 0 does not count", open_dir, rw,
             USERNS_UNMAPPED, false);
  confine_policy_free (policy);
}
