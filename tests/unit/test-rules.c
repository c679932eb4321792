/* SPDX-License-Identifier: Apache-2.0 */
/* Every rule of the default policy on real Docker configs, with a
 * securityfs directory written by the test (this kernel has no AppArmor). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static char *sfs;         /* securityfs with a profile list */
static char *sfs_missing; /* securityfs without one */

static confine_policy_t *
policy (const char *securityfs, const char *extra)
{
  /* A cache of the test's own, so no run depends on another's entries.
   * Docker's stock filter, in every fixture here, lets mknod of a device
   * node through, and setuid modes beside the fixtures' binds:
   * seccomp.block_device_nodes and seccomp.block_setid_files are judged
   * in test-seccomp and test-mounts and repaired in test-inject, and are
   * off here so each case judges what it names. */
  return harness_policy ("{\"securityfs\":\"%s\",\"cache_dir\":\"%s/cache\","
                         "\"seccomp\":{\"block_device_nodes\":false,"
                         "\"block_setid_files\":false}%s%s}",
                         securityfs, securityfs, extra ? "," : "", extra ? extra : "");
}

static confine_spec_t *
fixture (const char *name, const char *profile)
{
  confine_spec_t *spec = harness_docker_fixture (name);
  /* The dockerd that wrote the fixtures is gone, so their network hook
   * names no process; test-hooks.c judges it with a stand-in. */
  for (size_t i = 0; i < spec->n_hooks[CONFINE_HOOK_PRESTART]; i++)
    {
      free (spec->hooks[CONFINE_HOOK_PRESTART][i].path);
      confine_free_strv (spec->hooks[CONFINE_HOOK_PRESTART][i].args);
      confine_free_strv (spec->hooks[CONFINE_HOOK_PRESTART][i].env);
    }
  free (steal_pointer (&spec->hooks[CONFINE_HOOK_PRESTART]));
  spec->n_hooks[CONFINE_HOOK_PRESTART] = 0;
  /* Its cgroup is named by the id it was captured under, not by the ids
   * these tests judge it as; test-cgroups.c judges cgroup paths. */
  free (steal_pointer (&spec->cgroups_path));
  /* The console's rule Docker writes is taken out by the shim before it
   * judges (devices.strip, test-inject.c); test-devices.c judges it. */
  for (size_t i = 0; i < spec->n_device_rules;)
    if (spec->device_rules[i].allow && spec->device_rules[i].has_major
        && spec->device_rules[i].major == 5 && spec->device_rules[i].minor == 1)
      {
        free (spec->device_rules[i].type);
        free (spec->device_rules[i].access);
        memmove (&spec->device_rules[i], &spec->device_rules[i + 1],
                 (--spec->n_device_rules - i) * sizeof (spec->device_rules[0]));
      }
    else
      i++;
  if (profile)
    spec->process.apparmor_profile = strdup (profile);
  return spec;
}

typedef struct
{
  confine_verdict_t v;
  char *summary;
} outcome_t;

static outcome_t
judge (const confine_policy_t *p, const confine_spec_t *spec, const char *id,
       confine_annotation_t *ann, size_t n_ann)
{
  cleanup_error confine_error_t err = NULL;
  outcome_t o = { 0 };
  confine_context_t ctx = { .policy = p, .id = id, .annotations = ann, .n_annotations = n_ann };
  confine_evaluate_spec (&ctx, spec, &o.v);
  if (confine_verdict_summary (&o.v, &o.summary, &err) < 0)
    {
      printf ("FAIL evaluate: %s\n", err->msg);
      exit (1);
    }
  return o;
}

static void
done (outcome_t *o)
{
  confine_verdict_clear (&o->v);
  free (o->summary);
}

/* Expect a refusal whose summary contains NEEDLE (NULL: expect allowed). */
static void
expect (const char *name, const confine_policy_t *p, const char *fx, const char *profile,
        const char *needle)
{
  confine_spec_t *spec = fixture (fx, profile);
  outcome_t o = judge (p, spec, "c1", NULL, 0);
  if (needle == NULL)
    CHECK (!o.v.refused && !o.v.would_refuse, name, "%s", o.summary);
  else
    CHECK (o.v.refused && strstr (o.summary, needle), name, "%s", o.summary);
  done (&o);
  confine_spec_free (spec);
}

/* An exec (no spec) whose process names PROFILE: refused with NEEDLE, or
 * allowed when NEEDLE is NULL. */
static void
exec_profile (const char *name, const confine_policy_t *p, const char *profile, const char *needle)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = fixture ("default", profile);
  confine_context_t ctx = { .policy = p, .id = "c1" };
  confine_verdict_t v;
  char *summary = NULL;
  confine_evaluate_process (&ctx, &spec->process, &v);
  if (confine_verdict_summary (&v, &summary, &err) < 0)
    {
      printf ("FAIL evaluate: %s\n", err->msg);
      exit (1);
    }
  if (needle == NULL)
    CHECK (!v.refused && !v.would_refuse, name, "%s", summary);
  else
    CHECK (v.refused && strstr (summary, needle), name, "%s", summary);
  free (summary);
  confine_verdict_clear (&v);
  confine_spec_free (spec);
}

static void
apparmor_and_fixtures (void)
{
  confine_policy_t *p = policy (sfs, NULL);
  confine_policy_t *gone = policy (sfs_missing, NULL);
  confine_policy_t *skip = policy (sfs_missing, "\"apparmor\":{\"when_unavailable\":\"skip\"}");
  confine_policy_t *named = policy (
      sfs, "\"apparmor\":{\"allowed_profiles\":[\"lax\",\"ghost\",\"strict\",\"docker-nginx\"]}");

  expect ("Docker default with a loaded enforcing profile is allowed", p, "default",
          "docker-default", NULL);
  expect ("no AppArmor profile is refused", p, "default", NULL,
          "apparmor: no AppArmor profile");
  expect ("profile unconfined is refused", p, "default", "unconfined", "is `unconfined`");
  /* The mode and load tests list their profiles, so that the mode or the
   * load decides them, not the name. */
  expect ("a profile in complain mode is refused", named, "default", "lax",
          "apparmor: AppArmor profile `lax` is in complain mode, not enforce (policy "
          "apparmor.allowed_modes)");
  expect ("a profile that is not loaded is refused", named, "default", "ghost",
          "`ghost` is not loaded");
  expect ("a profile in kill mode counts as enforcing", named, "default", "strict", NULL);
  expect ("a host program's enforcing profile is refused, naming it and the key", p, "default",
          "/usr/bin/man",
          "apparmor: AppArmor profile `/usr/bin/man` is not one the policy allows; to allow it, "
          "add it to apparmor.allowed_profiles (policy apparmor.allowed_profiles)");
  expect ("a loaded custom profile is refused until listed (the seeds' docker-nginx)", p,
          "default", "docker-nginx", "add it to apparmor.allowed_profiles");
  expect ("... and allowed once apparmor.allowed_profiles lists it", named, "default",
          "docker-nginx", NULL);
  expect ("Podman's versioned default matches the default pattern", p, "default",
          "containers-default-0.50.1", NULL);
  expect ("CRI-O's default is allowed by default", p, "default", "crio-default", NULL);
  expect ("containerd CRI's default is allowed by default", p, "default",
          "cri-containerd.apparmor.d", NULL);
  expect ("confine's own default_profile is allowed without being listed", named, "default",
          "confine-default", NULL);
  expect ("a pattern matches the whole name", named, "default", "docker-nginx-debug",
          "`docker-nginx-debug` is not one the policy allows");
  expect ("a listed profile still needs an allowed mode", named, "default", "lax",
          "in complain mode");
  exec_profile ("docker exec naming a host program's profile is refused", p, "/usr/bin/man",
                "apparmor: AppArmor profile `/usr/bin/man` is not one the policy allows");
  exec_profile ("docker exec naming Docker's default is allowed", p, "docker-default", NULL);
  expect ("a host without AppArmor fails closed by default", gone, "default", "docker-default",
          "AppArmor is not available on this host");
  expect ("when_unavailable skip lets a host without AppArmor run", skip, "default", NULL, NULL);
  expect ("--privileged is refused for capabilities", p, "privileged", "docker-default",
          "capabilities: CAP_DAC_READ_SEARCH, ");
  expect ("--privileged is refused for the device cgroup", p, "privileged", "docker-default",
          "devices: device cgroup rule 0 allows every device (type `a`");
  expect ("--privileged is refused for unmasked /proc", p, "privileged", "docker-default",
          "masked_paths: linux.maskedPaths does not mask /proc/kcore, /proc/keys, /sys/firmware");
  expect ("--privileged is refused for having no filter", p, "privileged", "docker-default",
          "seccomp: no seccomp filter");
  expect ("--cap-add SYS_ADMIN is refused naming the capability", p, "cap-add-sys-admin",
          "docker-default", "CAP_SYS_ADMIN (bounding");
  expect ("--cap-add SYS_ADMIN is refused for what the filter then allows", p,
          "cap-add-sys-admin", "docker-default", "seccomp: filter allows bpf, mount");
  expect ("seccomp=unconfined is refused", p, "seccomp-unconfined", "docker-default",
          "seccomp: no seccomp filter");
  expect ("a weak profile is refused naming what gets through", p, "weak-seccomp",
          "docker-default", "filter allows bpf, delete_module");
  expect ("--pid host is refused", p, "pid-host", "docker-default",
          "namespaces: no pid namespace");
  expect ("a bind-mounted engine socket is refused", p, "socket-volume", "docker-default",
          "mounts: bind mount of");
  expect ("the seed's restrictive profile passes", p, "restrictive-seccomp", "docker-default",
          NULL);
  confine_policy_free (p);
  confine_policy_free (named);
  confine_policy_free (gone);
  confine_policy_free (skip);
}

/* Docker's default spec with mount I's fields set where given (NULL keeps
 * one): 0 is its proc, 1 its tmpfs at /dev. */
static confine_spec_t *
with_mount (size_t i, const char *type, const char *source, const char *dest, const char *option0)
{
  confine_spec_t *spec = fixture ("default", "docker-default");
  confine_mount_t *m = &spec->mounts[i];
  const char *const values[] = { type, source, dest, option0 };
  char **fields[] = { &m->type, &m->source, &m->destination, &m->options[0] };
  for (size_t f = 0; f < sizeof (fields) / sizeof (fields[0]); f++)
    if (values[f])
      {
        free (*fields[f]);
        *fields[f] = strdup (values[f]);
      }
  return spec;
}

/* NAME: SPEC is refused by RULE (with the verdict), or allowed, as WANT. */
static void
refused_by (const char *name, const confine_policy_t *p, confine_spec_t *spec, confine_rule_t rule,
            bool want)
{
  outcome_t o = judge (p, spec, "c1", NULL, 0);
  CHECK (o.v.refused == want && (o.v.results[rule].kind == CONFINE_RESULT_FAIL) == want, name,
         "%s", o.summary);
  done (&o);
  confine_spec_free (spec);
}

static void
mounts (void)
{
  confine_policy_t *p = policy (sfs, NULL);
  static const struct
  {
    const char *source, *name;
    bool refused;
  } cases[] = {
    { "/", "binding / is refused", true },
    { "/etc", "binding /etc is refused", true },
    { "/var", "binding /var (contains /var/lib/docker) is refused", true },
    { "/var/run", "binding /var/run (reaches the Docker socket) is refused", true },
    { "/usr/../etc/./", "a path with .. and . is cleaned before comparing", true },
    { "/srv/data/app", "an ordinary data directory is allowed", false },
    { "/var/lib/docker/containers/abc/hosts", "Docker's own hosts file inside its state is allowed",
      false },
    { "/proc/sys/kernel", "a bind from inside /proc (core_pattern is a way out) is refused", true },
    { "/sys/kernel", "a bind from inside /sys is refused", true },
    { "/etc/cron.d", "a bind from inside /etc is refused", true },
    { "/etc/localtime", "a writable bind of the host's time zone (a file in /usr) is refused",
      true },
    { "/var/lib/docker/volumes/data/_data", "a Docker named volume is allowed", false },
    { "/var/lib/docker/image", "other Docker state is refused", true },
    { "/var/lib/docker/containers", "the directory of every Docker container is refused", true },
    { "/var/lib/docker/containers/abc", "a Docker container's directory (hostconfig.json, its log) "
      "is refused", true },
    { "/var/lib/docker/containers/abc/hostconfig.json", "a Docker container's hostconfig.json "
      "is refused", true },
    { "/var/lib/docker/containers/abc/mounts/shm", "a Docker container's shm passes", false },
    { "/var/lib/docker/volumes", "the directory of every Docker volume is refused", true },
    { "/var/lib/docker/volumes/data", "a volume's directory above its data is refused", true },
    { "/var/lib/kubelet/pods", "the directory of every pod is refused", true },
    { "/var/lib/kubelet/pods/6f1e/volumes/kubernetes.io~empty-dir/cache",
      "a pod's volume in a container no engine put in a pod is refused", true },
  };
  /* rprivate, as engines bind: a bind that receives the host's later
   * mounts is refused in the engines' trees. */
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    refused_by (cases[i].name, p, with_mount (0, "bind", cases[i].source, NULL, "rprivate"),
                CONFINE_RULE_MOUNTS, cases[i].refused);
  {
    confine_spec_t *spec = with_mount (0, "bind", "/etc/localtime", NULL, "ro");
    free (spec->mounts[0].options[1]);
    spec->mounts[0].options[1] = strdup ("rprivate");
    refused_by ("the host's time zone bound read-only is allowed", p, spec, CONFINE_RULE_MOUNTS,
                false);
  }
  {
    /* The kubelet binds a pod's files from that pod's directory only: a
     * second pod's volume beside the first one's hosts file is another
     * tenant's secret. With no CRI bundle, no pod is the container's own
     * (test-mounts judges them for a pod's container). */
    static const struct
    {
      const char *second, *name;
      bool refused;
    } pods[] = {
      { "/var/lib/kubelet/pods/6f1e/volumes/kubernetes.io~secret/s",
        "binds from one pod's directory, in a container of no pod, are refused", true },
      { "/var/lib/kubelet/pods/7a0b/volumes/kubernetes.io~secret/s",
        "a bind from another pod's directory is refused", true },
    };
    for (size_t i = 0; i < sizeof (pods) / sizeof (pods[0]); i++)
      {
        confine_spec_t *spec = with_mount (0, "bind", "/var/lib/kubelet/pods/6f1e/etc-hosts",
                                           NULL, "rprivate");
        confine_mount_t *m = &spec->mounts[2];
        free (m->type);
        free (m->source);
        free (m->options[0]);
        m->type = strdup ("bind");
        m->source = strdup (pods[i].second);
        m->options[0] = strdup ("rbind");
        free (m->options[1]);
        m->options[1] = strdup ("rprivate");
        refused_by (pods[i].name, p, spec, CONFINE_RULE_MOUNTS, pods[i].refused);
      }
  }

  {
    static const struct
    {
      const char *type, *source, *dest, *name;
      bool refused;
    } fs[] = {
      { "ext4", "/dev/vda", "/host", "a disk mounted by type is refused", true },
      { "overlay", "overlay", "/o", "an overlay of host directories is refused", true },
      { "devtmpfs", "devtmpfs", "/d", "devtmpfs is refused", true },
      { "proc", "proc", "/p2", "a second proc outside /proc is refused", true },
      { "sysfs", "sysfs", "/s2", "a second sysfs outside /sys is refused", true },
      { "tmpfs", "tmpfs", "/dev", "a tmpfs is allowed", false },
    };
    /* The mounts rule itself decides, not another rule. */
    for (size_t i = 0; i < sizeof (fs) / sizeof (fs[0]); i++)
      refused_by (fs[i].name, p, with_mount (1, fs[i].type, fs[i].source, fs[i].dest, NULL),
                  CONFINE_RULE_MOUNTS, fs[i].refused);
  }

  {
    /* runc masks with the container's /dev/null: without a tmpfs of its
     * own at /dev, that is the image's file, maybe a link to /proc/keys
     * (red team's finding 1). */
    static const struct
    {
      const char *type, *dest, *option, *name;
      bool refused;
    } dev[] = {
      { "tmpfs", "/dev", "nosuid", "Docker's tmpfs at /dev passes", false },
      { "tmpfs", "/scratch", "nosuid", "no mount at /dev is refused", true },
      { "tmpfs", "/dev/", "nosuid", "a tmpfs at /dev/ is /dev", false },
      { "tmpfs", "/dev", "rbind", "a bind at /dev is refused", true },
    };
    for (size_t i = 0; i < sizeof (dev) / sizeof (dev[0]); i++)
      {
        confine_spec_t *spec = with_mount (1, NULL, NULL, dev[i].dest, dev[i].option);
        outcome_t o = judge (p, spec, "c1", NULL, 0);
        CHECK ((o.v.results[CONFINE_RULE_MASKED_PATHS].kind == CONFINE_RESULT_FAIL) == dev[i].refused
                   && (!dev[i].refused || strstr (o.summary, "CVE-2025-31133")),
               dev[i].name, "%s", o.summary);
        done (&o);
        confine_spec_free (spec);
      }
  }

  {
    /* runc joins a relative source with Go's filepath.Join, which
     * cleans `missing/..` away before the kernel follows `hostetc`. */
    char *bundle = harness_tmpdir (), *link = NULL;
    confine_spec_t *spec = with_mount (0, "bind", "missing/../hostetc", NULL, NULL);
    confine_context_t ctx = { .policy = p, .bundle = bundle };
    confine_verdict_t v;
    if (asprintf (&link, "%s/hostetc", bundle) < 0 || symlink ("/etc", link) < 0)
      abort ();
    confine_evaluate_spec (&ctx, spec, &v);
    CHECK (v.refused && v.results[CONFINE_RULE_MOUNTS].kind == CONFINE_RESULT_FAIL,
           "a relative source is cleaned as Go does before it is resolved", "%s",
           v.results[CONFINE_RULE_MOUNTS].fact);
    confine_verdict_clear (&v);
    unlink (link);
    rmdir (bundle);
    free (link);
    free (bundle);
    confine_spec_free (spec);
  }
  confine_policy_free (p);
}

static void
devices (void)
{
  confine_policy_t *p = policy (sfs, NULL);
  static const struct
  {
    const char *type, *access, *name;
    bool refused;
  } cases[] = {
    { "c", "rw", "read-write access to every character device is refused", true },
    { "b", "rwm", "read-write access to every block device is refused", true },
    { NULL, NULL, "a rule with no type and no access (all of them) is refused", true },
    { "c", "m", "mknod of any character device, as Docker allows, passes", false },
    { "", "m", "an empty type is `a` to runc, and refused", true },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      confine_spec_t *spec = fixture ("default", "docker-default");
      confine_device_rule_t *d = &spec->device_rules[spec->n_device_rules - 1];
      outcome_t o;
      free (d->type);
      free (d->access);
      d->allow = true;
      d->has_major = d->has_minor = false;
      d->type = cases[i].type ? strdup (cases[i].type) : NULL;
      d->access = cases[i].access ? strdup (cases[i].access) : NULL;
      o = judge (p, spec, "c1", NULL, 0);
      CHECK (o.v.refused == cases[i].refused, cases[i].name, "%s", o.summary);
      done (&o);
      confine_spec_free (spec);
    }
  {
    confine_spec_t *spec = fixture ("default", "docker-default");
    confine_device_rule_t *d = &spec->device_rules[spec->n_device_rules - 1];
    outcome_t o;
    free (d->type);
    free (d->access);
    d->allow = true;
    d->type = strdup ("a");
    d->access = strdup ("m");
    d->has_major = d->has_minor = true;
    d->major = 1;
    d->minor = 3;
    o = judge (p, spec, "c1", NULL, 0);
    CHECK (o.v.refused && strstr (o.summary, "allows every device"),
           "type `a` with numbers is still every device to runc, and refused", "%s", o.summary);
    done (&o);
    confine_spec_free (spec);
  }
  confine_policy_free (p);
}

static void
readonly_paths (void)
{
  confine_policy_t *p = policy (sfs, NULL);
  confine_spec_t *spec = fixture ("default", "docker-default");
  outcome_t o;
  confine_free_strv (spec->readonly_paths);
  spec->readonly_paths = calloc (1, sizeof (char *));
  o = judge (p, spec, "c1", NULL, 0);
  CHECK (o.v.refused
             && strstr (o.summary, "linux.readonlyPaths does not make /proc/bus, /proc/fs, "
                                   "/proc/irq, /proc/sys, /proc/sysrq-trigger read-only"),
         "a spec that leaves /proc/sys writable is refused", "%s", o.summary);
  done (&o);
  confine_spec_free (spec);
  confine_policy_free (p);
}

static void
namespaces (void)
{
  confine_policy_t *p = policy (sfs, NULL);
  int pipefd[2];
  pid_t child;
  char path[64];
  confine_spec_t *spec;
  outcome_t o;
  size_t net = 0;

  spec = fixture ("default", "docker-default");
  for (size_t i = 0; i < spec->n_namespaces; i++)
    if (strcmp (spec->namespaces[i].type, "network") == 0)
      net = i;
  spec->namespaces[net].path = strdup ("/proc/self/ns/net");
  o = judge (p, spec, "c1", NULL, 0);
  CHECK (o.v.refused && strstr (o.summary, "is the host's own namespace"),
         "joining the host's network namespace by path is refused", "%s", o.summary);
  done (&o);

  /* Another "container": a child in a network namespace of its own. */
  if (pipe (pipefd) < 0)
    abort ();
  child = fork ();
  if (child == 0)
    {
      /* Signal readiness, then wait to be killed. */
      if (unshare (CLONE_NEWNET) < 0 || write (pipefd[1], "x", 1) != 1)
        _exit (1);
      for (;;)
        pause ();
    }
  {
    char c;
    close (pipefd[1]);
    if (read (pipefd[0], &c, 1) != 1)
      abort ();
  }
  snprintf (path, sizeof (path), "/proc/%d/ns/net", (int) child);
  free (spec->namespaces[net].path);
  spec->namespaces[net].path = strdup (path);
  o = judge (p, spec, "c1", NULL, 0);
  CHECK (!o.v.refused, "joining another container's network namespace is allowed", "%s",
         o.summary);
  done (&o);
  kill (child, SIGKILL);
  waitpid (child, NULL, 0);
  close (pipefd[0]);
  confine_spec_free (spec);
  confine_policy_free (p);
}

static void
operations (void)
{
  confine_policy_t *audit = policy (sfs, "\"mode\":\"audit\"");
  confine_policy_t *warn = policy (sfs, "\"rules\":{\"capabilities\":\"warn\"}");
  confine_policy_t *off = policy (sfs, "\"rules\":{\"capabilities\":\"off\"}");
  confine_policy_t *ex = policy (
      sfs, "\"exemptions\":[{\"rules\":[\"capabilities\",\"seccomp\"],\"id\":\"trusted-[0-9]+\","
           "\"comment\":\"ops tools\"},{\"rules\":[\"capabilities\",\"seccomp\"],"
           "\"annotations\":{\"^io\\\\.kubernetes\\\\.pod\\\\.namespace$\":\"^kube-system$\"}}]");
  confine_spec_t *spec = fixture ("cap-add-sys-admin", "docker-default");
  confine_annotation_t kube = { (char *) "io.kubernetes.pod.namespace", (char *) "kube-system" };
  confine_annotation_t other = { (char *) "io.kubernetes.pod.namespace", (char *) "default" };
  outcome_t o;

  o = judge (audit, spec, "c1", NULL, 0);
  CHECK (!o.v.refused && o.v.would_refuse && strncmp (o.summary, "audit: would refuse:", 20) == 0,
         "audit mode never refuses but says what it would refuse", "%s", o.summary);
  done (&o);
  o = judge (warn, spec, "c1", NULL, 0);
  CHECK (o.v.refused && !strstr (o.summary, "capabilities:"),
         "a warn rule is reported but does not refuse", "%s", o.summary);
  done (&o);
  o = judge (off, spec, "c1", NULL, 0);
  CHECK (o.v.results[CONFINE_RULE_CAPABILITIES].kind == CONFINE_RESULT_SKIP,
         "an off rule is skipped", "kind %d", o.v.results[CONFINE_RULE_CAPABILITIES].kind);
  done (&o);
  o = judge (ex, spec, "trusted-1", NULL, 0);
  CHECK (!o.v.refused && o.v.results[CONFINE_RULE_CAPABILITIES].exemption == 0,
         "an exemption by id waives the rules it names", "%s", o.summary);
  done (&o);
  o = judge (ex, spec, "untrusted", NULL, 0);
  CHECK (o.v.refused, "an exemption does not apply to other ids", "%s", o.summary);
  done (&o);
  o = judge (ex, spec, "evil-trusted-1", NULL, 0);
  CHECK (o.v.refused, "an id pattern matches the whole id, not a part of it", "%s", o.summary);
  done (&o);
  o = judge (ex, spec, "c9", &kube, 1);
  CHECK (!o.v.refused && o.v.results[CONFINE_RULE_SECCOMP].exemption == 1,
         "an exemption by annotation regex waives the rules it names", "%s", o.summary);
  done (&o);
  o = judge (ex, spec, "c9", &other, 1);
  CHECK (o.v.refused, "an annotation that does not match gets no exemption", "%s", o.summary);
  done (&o);
  {
    /* Matching stops at CONFINE_PATTERN_MAX_SUBJECT bytes: longer, no
     * exemption, whatever the pattern. */
    confine_policy_t *big = policy (
        sfs, "\"exemptions\":[{\"rules\":[\"capabilities\",\"seccomp\"],"
             "\"annotations\":{\"note\":\"x+\"}}]");
    char *value = calloc (1, CONFINE_PATTERN_MAX_SUBJECT + 2);
    confine_annotation_t note = { (char *) "note", value };
    memset (value, 'x', CONFINE_PATTERN_MAX_SUBJECT);
    o = judge (big, spec, "c9", &note, 1);
    CHECK (!o.v.refused, "an annotation of the longest length matched is matched", "%s",
           o.summary);
    done (&o);
    value[CONFINE_PATTERN_MAX_SUBJECT] = 'x';
    o = judge (big, spec, "c9", &note, 1);
    CHECK (o.v.refused, "a longer annotation matches no pattern: no exemption", "%s", o.summary);
    done (&o);
    free (value);
    confine_policy_free (big);
  }
  confine_spec_free (spec);
  confine_policy_free (audit);
  confine_policy_free (warn);
  confine_policy_free (off);
  confine_policy_free (ex);
}

static void
policy_errors (void)
{
  static const struct
  {
    const char *name, *text, *needle;
  } cases[] = {
    { "an unknown policy key is refused", "{\"mdoe\":\"audit\"}", "unknown key `mdoe`" },
    { "an unknown mode is refused", "{\"mode\":\"permissive\"}", "not one of the allowed" },
    { "an unknown authz.copy is refused", "{\"authz\":{\"copy\":\"yes\"}}",
      "`authz.copy`: `yes` is not one of the allowed" },
    { "an unknown authz key is refused", "{\"authz\":{\"cp\":\"allow\"}}", "unknown key `cp`" },
    { "an unknown rule severity is refused", "{\"rules\":{\"seccomp\":\"maybe\"}}",
      "not one of the allowed" },
    { "complain cannot be an allowed AppArmor mode",
      "{\"apparmor\":{\"allowed_modes\":[\"complain\"]}}", "does not confine" },
    { "an exemption without a condition is refused", "{\"exemptions\":[{\"rules\":[\"seccomp\"]}]}",
      "needs `id` or `annotations`" },
    { "an exemption naming an unknown rule is refused",
      "{\"exemptions\":[{\"rules\":[\"selinux\"],\"id\":\"x\"}]}", "unknown rule" },
    { "an invalid exemption regex is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(\"}]}", "invalid regular expression" },
    { "an exemption regex whose intervals multiply past glibc's sane size is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"((a{1,200}){1,200}){1,200}\"}]}",
      "expands to more than 2048 positions" },
    { "an interval above 255 (a{32767}: over a minute in regcomp) is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"annotations\":{\"k\":\"a{32767}\"}}]}",
      "repeats more than 255 times" },
    { "glibc's {,n} is an interval too",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(a){,4000}\"}]}",
      "repeats more than 255 times" },
    { "an open-ended interval counts its minimum",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a{18446744073709551615,}\"}]}",
      "repeats more than 255 times" },
    { "a brace glibc reads as an interval we do not (its \\, is a comma) is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(a*b){1\\\\,255}\"}]}",
      "does not open a plain interval" },
    { "repetitions chained on one atom multiply",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a{100}{100}\"}]}",
      "expands to more than 2048 positions" },
    { "a group left open still counts its repetitions",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"((a{100}){100}\"}]}",
      "expands to more than 2048 positions" },
    { "an empty group (10 s in regcomp under {1,400}) is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(){1,100}\"}]}",
      "has an empty group" },
    { "an interval on a group that can match nothing is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"((a*)*){1,16}\"}]}",
      "repeats a part that can match nothing" },
    { "a star on a group that can match nothing is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(a*)*(b*)*\"}]}",
      "repeats a part that can match nothing" },
    { "a doubled ? is a repetition of what can match nothing",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a??\"}]}",
      "repeats a part that can match nothing" },
    { "an alternative that matches nothing makes its group nullable",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(ab|c?){2}\"}]}",
      "repeats a part that can match nothing" },
    { "a word anchor is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"\\\\ba\"}]}",
      "has an anchor" },
    { "a ^ but first is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a|^b\"}]}",
      "has an anchor" },
    { "an unmatched ) would close the wrapper's group (a)|(.* matches anything)",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a)|(.*\"}]}",
      "unmatched `)`" },
    { "a final backslash would escape the wrapper's )",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"a\\\\\"}]}",
      "lone" },
    { "a hook's argument pattern is bounded at parse, before it is ever compiled",
      "{\"hooks\":{\"allowed\":[{\"path\":\"/h\",\"args\":[\"h\",\"((x+){64}){64}\"]}]}}",
      "expands to more than 2048 positions" },
    { "patterns within their own bound are refused past the policy's total",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"annotations\":{\"(a{200}){10}\":\"(b{200}){10}\","
      "\"(c{200}){10}\":\"d\"}}]}",
      "expand to more than 4096 positions in all" },
    { "a back-reference (exponential matching of what the container writes) is refused",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(a+)\\\\1\"}]}",
      "back-reference" },
    { "a policy with comments is refused", "{/* */}", "invalid JSON" },
    { "a forbidden capability libcap does not know is refused",
      "{\"capabilities\":{\"forbidden\":[\"CAP_SYS_ADMN\"]}}", "unknown capability" },
  };
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = NULL;
      int r = confine_policy_parse (cases[i].text, strlen (cases[i].text), &p, &err);
      CHECK (r < 0 && strstr (err->msg, cases[i].needle), cases[i].name, "r=%d %s", r,
             err ? err->msg : "accepted");
      confine_policy_free (p);
    }
  /* What real policies write stays within the bounds: a container ID
   * either way, a class, a brace inside brackets (not an interval). */
  {
    static const char *const accepted[] = {
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"[0-9a-f]{12}|[0-9a-f]{64}\"}]}",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"[[:xdigit:]]{64}\"}]}",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"[]{]{255}\"}]}",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"((ab|cd){100}x){4}\"}]}",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"^io\\\\.k8s\\\\.[a-z]+$\"}]}",
      "{\"exemptions\":[{\"rules\":[\"seccomp\"],\"id\":\"(a*b)+(c?d){2,3}x{0,255}\"}]}",
    };
    for (size_t i = 0; i < sizeof (accepted) / sizeof (accepted[0]); i++)
      {
        cleanup_error confine_error_t err = NULL;
        confine_policy_t *p = NULL;
        CHECK (confine_policy_parse (accepted[i], strlen (accepted[i]), &p, &err) == 0,
               "a pattern within the bounds is accepted", "%s: %s", accepted[i],
               err ? err->msg : "");
        confine_policy_free (p);
      }
  }

  {
    cleanup_error confine_error_t err = NULL;
    confine_policy_t *p = NULL;
    char *dir = harness_tmpdir (), *path = NULL;
    if (asprintf (&path, "%s/policy.json", dir) < 0)
      abort ();
    harness_write (path, "{}");
    chmod (path, 0666);
    CHECK (confine_policy_load (path, true, &p, &err) < 0 && strstr (err->msg, "not writable by"),
           "a policy writable by others is refused", "%s", err ? err->msg : "accepted");
    confine_error_release (&err);
    chmod (path, 0644);
    CHECK (confine_policy_load (path, true, &p, &err) == 0, "a root-owned 0644 policy loads",
           "%s", err ? err->msg : "");
    confine_policy_free (p);
    p = NULL;
    {
      confine_policy_t *sp = NULL;
      cleanup_error confine_error_t e2 = NULL;
      size_t len;
      char *buf = harness_read ("config/policy.json", &len);
      CHECK (confine_policy_parse (buf, len, &sp, &e2) == 0 && sp->n_exemptions == 0
                 && !sp->audit && sp->severity[CONFINE_RULE_NO_NEW_PRIVILEGES] == CONFINE_SEV_WARN,
             "the shipped policy parses with the documented defaults", "%s",
             e2 ? e2->msg : "");
      confine_policy_free (sp);
      free (buf);
    }
    unlink (path);
    rmdir (dir);
    free (path);
    free (dir);
  }
}

/* Two results alike in everything a verdict shows. */
static bool
same_result (const confine_rule_result_t *a, const confine_rule_result_t *b)
{
  size_t i = 0;
  if (a->kind != b->kind || a->severity != b->severity || a->exemption != b->exemption
      || (a->policy_key == NULL) != (b->policy_key == NULL)
      || (a->policy_key && strcmp (a->policy_key, b->policy_key) != 0)
      || (a->fact == NULL) != (b->fact == NULL) || (a->fact && strcmp (a->fact, b->fact) != 0)
      || (a->names == NULL) != (b->names == NULL))
    return false;
  for (; a->names && a->names[i] && b->names[i]; i++)
    if (strcmp (a->names[i], b->names[i]) != 0)
      return false;
  return a->names == NULL || (a->names[i] == NULL && b->names[i] == NULL);
}

/* confine_evaluate_spec_rules then _rest: until the rest is judged the
 * verdict refuses, every rule left out failing "not judged yet"; after
 * it, the verdict is confine_evaluate_spec's, result by result, on every
 * fixture and for splits that put any rule in either part (the shim's
 * repair judges seccomp, seccomp_needs and capabilities first). */
static void
partial_evaluation (void)
{
  static const char *const fixtures[]
      = { "default", "cap-add-sys-admin", "pid-host", "privileged", "restrictive-seccomp",
          "seccomp-unconfined", "socket-volume", "weak-seccomp" };
  const unsigned splits[]
      = { CONFINE_RULE_BIT (CONFINE_RULE_SECCOMP) | CONFINE_RULE_BIT (CONFINE_RULE_SECCOMP_NEEDS)
              | CONFINE_RULE_BIT (CONFINE_RULE_CAPABILITIES),
          CONFINE_RULE_BIT (CONFINE_RULE_MOUNTS), 0x5555u & CONFINE_RULES_ALL, 0 };
  confine_policy_t *p = policy (sfs, "\"exemptions\":[{\"rules\":[\"namespaces\"],\"id\":\"c1\"}]");
  /* Every rule but seccomp at warn, in audit mode: nothing a whole
   * verdict would refuse, and still a partial one must. */
  confine_policy_t *lax = policy (sfs, "\"mode\":\"audit\",\"rules\":{\"apparmor\":\"warn\","
                                       "\"capabilities\":\"warn\",\"namespaces\":\"off\","
                                       "\"mounts\":\"warn\",\"devices\":\"warn\",\"hooks\":\"warn\","
                                       "\"masked_paths\":\"warn\",\"fields\":\"warn\",\"cwd\":\"warn\","
                                       "\"crun\":\"warn\",\"no_pivot\":\"warn\",\"cgroups\":\"warn\","
                                       "\"rlimits\":\"warn\",\"conmon\":\"warn\"}");
  unsigned compared = 0, differ = 0, open_partial = 0, partials = 0;
  char first[256] = "";

  for (size_t f = 0; f < sizeof (fixtures) / sizeof (fixtures[0]); f++)
    for (size_t k = 0; k < sizeof (splits) / sizeof (splits[0]); k++)
      {
        confine_spec_t *spec = fixture (fixtures[f], "docker-default");
        confine_context_t ctx = { .policy = p, .id = "c1" };
        confine_verdict_t whole, parts;
        confine_evaluate_spec (&ctx, spec, &whole);
        confine_evaluate_spec_rules (&ctx, spec, splits[k], &parts);
        if (splits[k] != CONFINE_RULES_ALL)
          {
            bool marked = parts.refused;
            partials++;
            for (int i = 0; i < CONFINE_RULES; i++)
              if ((splits[k] & CONFINE_RULE_BIT (i)) == 0)
                marked = marked && parts.results[i].kind == CONFINE_RESULT_FAIL
                         && strcmp (parts.results[i].fact, "not judged yet") == 0;
            open_partial += !marked;
          }
        confine_evaluate_spec_rest (&ctx, spec, splits[k], &parts);
        for (int i = 0; i < CONFINE_RULES; i++, compared++)
          if (!same_result (&whole.results[i], &parts.results[i]) && differ++ == 0)
            snprintf (first, sizeof (first), "%s, split %#x, rule %s: `%s` against `%s`",
                      fixtures[f], splits[k], confine_rule_names[i],
                      whole.results[i].fact ? whole.results[i].fact : "",
                      parts.results[i].fact ? parts.results[i].fact : "");
        if ((whole.refused != parts.refused || whole.would_refuse != parts.would_refuse)
            && differ++ == 0)
          snprintf (first, sizeof (first), "%s, split %#x: refused %d against %d", fixtures[f],
                    splits[k], whole.refused, parts.refused);
        confine_verdict_clear (&whole);
        confine_verdict_clear (&parts);
        confine_spec_free (spec);
      }
  CHECK (partials > 0 && open_partial == 0,
         "a verdict of some rules refuses, each rule left out failing not judged yet",
         "%u of %u partial verdicts did not", open_partial, partials);
  {
    confine_spec_t *spec = fixture ("default", "docker-default");
    confine_context_t ctx = { .policy = lax, .id = "c1" };
    confine_verdict_t whole, part;
    confine_evaluate_spec (&ctx, spec, &whole);
    confine_evaluate_spec_rules (&ctx, spec, CONFINE_RULE_BIT (CONFINE_RULE_SECCOMP), &part);
    CHECK (!whole.refused && part.refused && part.would_refuse,
           "a partial verdict refuses under a policy that refuses nothing (audit, rules at warn)",
           "whole refused %d, partial refused %d", whole.refused, part.refused);
    confine_verdict_clear (&whole);
    confine_verdict_clear (&part);
    confine_spec_free (spec);
  }
  CHECK (compared > 0 && differ == 0,
         "some rules then the rest give confine_evaluate_spec's verdict, rule by rule",
         "%u of %u differ; first: %s", differ, compared, first);
  confine_policy_free (p);
  confine_policy_free (lax);
}

void
run_tests (void)
{
  char *path = NULL;
  sfs = harness_tmpdir ();
  sfs_missing = harness_tmpdir ();
  if (asprintf (&path, "%s/apparmor", sfs) < 0 || mkdir (path, 0755) < 0)
    abort ();
  free (path);
  if (asprintf (&path, "%s/apparmor/profiles", sfs) < 0)
    abort ();
  harness_write (path, "docker-default (enforce)\nlax (complain)\nstrict (kill)\n"
                       ":ns://docker-default (complain)\n/usr/bin/man (enforce)\n"
                       "docker-nginx (enforce)\ndocker-nginx-debug (enforce)\n"
                       "containers-default-0.50.1 (enforce)\ncrio-default (enforce)\n"
                       "cri-containerd.apparmor.d (enforce)\nconfine-default (enforce)\n");
  free (path);
  apparmor_and_fixtures ();
  mounts ();
  devices ();
  readonly_paths ();
  namespaces ();
  operations ();
  policy_errors ();
  partial_evaluation ();
}
