/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroups rule: which linux.resources.unified files a runtime may
 * write and which linux.cgroupsPath it may put the container in, one row
 * per case, each read from config.json text as runc would read it. The
 * allowed paths are what Docker, Podman, containerd, Kubernetes and CRI-O
 * write (with their cgroupfs and systemd drivers, with and without a
 * cgroup parent); the engines' ids are 64 hex digits. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../src/cgroups.h"
#include "../../base/utils.h"

#define ID "04a33604901df10e2a7dd74450572d36ca11d2b2fceb6bfa12d29bb3f89fa215"
#define OTHER "9dc3c5e1c735a0fab758414593bb26bb4d10e77f40f70d072407d2601ca47058"

static const struct
{
  const char *name;
  const char *linux_json; /* the spec's `linux` object */
  const char *id;         /* the container's id, or NULL (confine check without --id) */
  bool allow_more;        /* the policy's cgroups.allowed_unified lists cgroup.freeze */
  confine_result_kind_t want;
  const char *fact; /* a part of the result's fact */
} cases[] = {
  /* Nothing to judge. */
  { "no-linux-cgroup-fields", "{}", ID, false, CONFINE_RESULT_PASS, "no linux.cgroupsPath" },
  { "empty-path-is-default", "{\"cgroupsPath\":\"\"}", ID, false, CONFINE_RESULT_PASS,
    "no linux.cgroupsPath" },
  { "null-unified", "{\"resources\":{\"unified\":null}}", ID, false, CONFINE_RESULT_PASS, "0 unified" },

  /* unified: a controller's own limits pass. */
  { "unified-limits", "{\"resources\":{\"unified\":{\"pids.max\":\"10\",\"memory.max\":\"1G\","
                      "\"memory.high\":\"max\",\"memory.swap.max\":\"0\",\"cpu.max\":\"50000 100000\","
                      "\"cpu.weight\":\"100\",\"io.max\":\"8:0 rbps=1024\",\"io.weight\":\"default 50\","
                      "\"cpuset.cpus\":\"0-1\",\"cpuset.mems\":\"0\",\"rdma.max\":\"mlx4_0 hca_handle=2\","
                      "\"misc.max\":\"sev 1\",\"memory.oom.group\":\"1\"}}}",
    ID, false, CONFINE_RESULT_PASS, "13 unified cgroup files" },
  { "unified-hugetlb", "{\"resources\":{\"unified\":{\"hugetlb.2MB.max\":\"0\","
                       "\"hugetlb.1GB.rsvd.max\":\"0\",\"hugetlb.64KB.max\":\"0\"}}}",
    ID, false, CONFINE_RESULT_PASS, "3 unified" },
  /* unified: the core files. */
  { "unified-cgroup-procs", "{\"resources\":{\"unified\":{\"cgroup.procs\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "`cgroup.procs`, which moves any process, a host one too" },
  { "unified-cgroup-threads", "{\"resources\":{\"unified\":{\"cgroup.threads\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "`cgroup.threads`, which moves any process" },
  { "unified-cgroup-kill", "{\"resources\":{\"unified\":{\"cgroup.kill\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "kills every process" },
  { "unified-cgroup-freeze", "{\"resources\":{\"unified\":{\"cgroup.freeze\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "freezes every process" },
  { "unified-subtree-control", "{\"resources\":{\"unified\":{\"cgroup.subtree_control\":\"+cpu\"}}}",
    ID, false, CONFINE_RESULT_FAIL, "`cgroup.subtree_control`, which is a core file" },
  { "unified-cgroup-type", "{\"resources\":{\"unified\":{\"cgroup.type\":\"threaded\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "core file" },
  { "unified-cgroup-max-depth", "{\"resources\":{\"unified\":{\"cgroup.max.depth\":\"9\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "core file" },
  /* A limit among refused files does not save them; each is named. */
  { "unified-mixed", "{\"resources\":{\"unified\":{\"pids.max\":\"10\",\"cgroup.procs\":\"1\","
                     "\"cgroup.kill\":\"1\"}}}",
    ID, false, CONFINE_RESULT_FAIL, "`cgroup.procs`, which moves any process, a host one too, "
                                     "into the container's cgroup; linux.resources.unified writes "
                                     "`cgroup.kill`" },
  /* unified: names that are paths, or not limits. */
  { "unified-dotdot", "{\"resources\":{\"unified\":{\"..\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "is a path" },
  { "unified-dot", "{\"resources\":{\"unified\":{\".\":\"1\"}}}", ID, false, CONFINE_RESULT_FAIL,
    "is a path" },
  { "unified-empty-key", "{\"resources\":{\"unified\":{\"\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "is a path" },
  { "unified-slash", "{\"resources\":{\"unified\":{\"../init.scope/cgroup.procs\":\"1\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "is a path" },
  { "unified-slash-limit", "{\"resources\":{\"unified\":{\"sub/pids.max\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "is a path" },
  { "unified-case", "{\"resources\":{\"unified\":{\"Pids.max\":\"1\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-io-prio", "{\"resources\":{\"unified\":{\"io.prio.class\":\"promote-to-rt\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-partition", "{\"resources\":{\"unified\":{\"cpuset.cpus.partition\":\"root\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-memory-reclaim", "{\"resources\":{\"unified\":{\"memory.reclaim\":\"1G\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-hugetlb-bad-size", "{\"resources\":{\"unified\":{\"hugetlb.2mb.max\":\"0\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-hugetlb-leading-zero", "{\"resources\":{\"unified\":{\"hugetlb.02MB.max\":\"0\"}}}",
    ID, false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-hugetlb-current", "{\"resources\":{\"unified\":{\"hugetlb.2MB.events\":\"0\"}}}", ID,
    false, CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  { "unified-limit-prefix", "{\"resources\":{\"unified\":{\"pids.max.x\":\"0\"}}}", ID, false,
    CONFINE_RESULT_FAIL, "not a resource controller's limit" },
  /* The policy allows more, by exact name, and only those. */
  { "unified-policy-allows", "{\"resources\":{\"unified\":{\"cgroup.freeze\":\"1\"}}}", ID, true,
    CONFINE_RESULT_PASS, "1 unified" },
  { "unified-policy-allows-only-its-own",
    "{\"resources\":{\"unified\":{\"cgroup.freeze\":\"1\",\"cgroup.procs\":\"1\"}}}", ID, true,
    CONFINE_RESULT_FAIL, "`cgroup.procs`" },

  /* cgroupsPath, cgroupfs: what the engines write. */
  { "docker-cgroupfs", "{\"cgroupsPath\":\"/docker/" ID "\"}", ID, false, CONFINE_RESULT_PASS,
    "is a new cgroup of the container's own" },
  { "docker-cgroup-parent", "{\"cgroupsPath\":\"/ci/jobs/" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "docker-cgroup-parent-root", "{\"cgroupsPath\":\"/" ID "\"}", ID, false, CONFINE_RESULT_PASS,
    "new cgroup" },
  { "docker-cgroup-parent-slice", "{\"cgroupsPath\":\"/system.slice/" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "podman-cgroupfs", "{\"cgroupsPath\":\"/libpod_parent/libpod-" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "containerd-ctr", "{\"cgroupsPath\":\"/default/" ID "\"}", ID, false, CONFINE_RESULT_PASS,
    "new cgroup" },
  { "kubelet-cgroupfs", "{\"cgroupsPath\":\"/kubepods/burstable/pod5f1c2d8e-0a6b-4c1e-9f3a-2b7d"
                        "8e6c4a10/" ID "\"}",
    ID, false, CONFINE_RESULT_PASS, "new cgroup" },
  { "crio-cgroupfs", "{\"cgroupsPath\":\"/kubepods/besteffort/podabc/crio-" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "no-id-by-shape", "{\"cgroupsPath\":\"/docker/" OTHER "\"}", NULL, false,
    CONFINE_RESULT_PASS, "by its shape" },
  /* cgroupsPath, cgroupfs: refused. */
  { "root-cgroup", "{\"cgroupsPath\":\"/\"}", ID, false, CONFINE_RESULT_FAIL,
    "the hierarchy's root cgroup" },
  { "dotdot-escape", "{\"cgroupsPath\":\"/docker/../../" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "`..` component" },
  { "dotdot-relative", "{\"cgroupsPath\":\"../" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "`..` component" },
  { "dotdot-leaf", "{\"cgroupsPath\":\"/docker/" ID "/..\"}", ID, false, CONFINE_RESULT_FAIL,
    "`..` component" },
  { "dot-component", "{\"cgroupsPath\":\"/docker/./" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "`..` component" },
  { "dotdot-no-id", "{\"cgroupsPath\":\"/docker/../../x\"}", NULL, false, CONFINE_RESULT_FAIL,
    "`..` component" },
  { "double-slash", "{\"cgroupsPath\":\"/docker//" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "empty component" },
  { "trailing-slash", "{\"cgroupsPath\":\"/docker/" ID "/\"}", ID, false, CONFINE_RESULT_FAIL,
    "empty component" },
  { "host-service", "{\"cgroupsPath\":\"/system.slice/ssh.service\"}", ID, false,
    CONFINE_RESULT_FAIL, "systemd unit's name" },
  { "host-service-no-id", "{\"cgroupsPath\":\"/system.slice/ssh.service\"}", NULL, false,
    CONFINE_RESULT_FAIL, "systemd unit's name" },
  { "host-session", "{\"cgroupsPath\":\"/user.slice/user-1000.slice/session-3.scope\"}", ID,
    false, CONFINE_RESULT_FAIL, "systemd unit's name" },
  { "host-slice", "{\"cgroupsPath\":\"/system.slice\"}", ID, false, CONFINE_RESULT_FAIL,
    "systemd unit's name" },
  /* found-31: the container's cgroup inside a host unit's shares its
   * limits; the OOM killer then kills the unit's processes. */
  { "parent-service", "{\"cgroupsPath\":\"/system.slice/mysql.service/" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "has a parent named as a systemd unit that is not a slice" },
  { "parent-service-relative", "{\"cgroupsPath\":\"mysql.service/" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "has a parent named as a systemd unit that is not a slice" },
  { "parent-session-scope", "{\"cgroupsPath\":\"/user.slice/user-1000.slice/session-3.scope/"
                            "docker/" ID "\"}",
    ID, false, CONFINE_RESULT_FAIL, "has a parent named as a systemd unit" },
  { "parent-service-no-id", "{\"cgroupsPath\":\"/ssh.service/x\"}", NULL, false,
    CONFINE_RESULT_FAIL, "has a parent named as a systemd unit" },
  { "parent-nested-slices", "{\"cgroupsPath\":\"/machine.slice/ci.slice/" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "other-container", "{\"cgroupsPath\":\"/docker/" OTHER "\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup named by the container's id" },
  { "engine-parent", "{\"cgroupsPath\":\"/docker\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup named by the container's id" },
  { "kubepods", "{\"cgroupsPath\":\"/kubepods/burstable\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup" },
  { "id-without-dash", "{\"cgroupsPath\":\"/docker/x" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup" },
  { "id-is-a-prefix", "{\"cgroupsPath\":\"/docker/" ID "-x\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup" },
  { "dash-id-alone", "{\"cgroupsPath\":\"/docker/-" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "not end in a new cgroup" },
  { "one-colon", "{\"cgroupsPath\":\"system.slice:" ID "\"}", ID, false, CONFINE_RESULT_FAIL,
    "has a `:` but is not" },
  { "three-colons", "{\"cgroupsPath\":\"system.slice:docker:x:" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "has a `:` but is not" },

  /* cgroupsPath, systemd: what the engines write. */
  { "docker-systemd", "{\"cgroupsPath\":\"system.slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "docker-systemd-parent", "{\"cgroupsPath\":\"ci-jobs.slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "podman-systemd", "{\"cgroupsPath\":\"machine.slice:libpod:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "podman-pod-systemd", "{\"cgroupsPath\":\"machine-libpod_pod_" OTHER ".slice:libpod:" ID "\"}",
    ID, false, CONFINE_RESULT_PASS, "new cgroup" },
  { "podman-rootless", "{\"cgroupsPath\":\"user.slice:libpod:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "kubelet-systemd", "{\"cgroupsPath\":\"kubepods-burstable-pod5f1c2d8e_0a6b_4c1e_9f3a_2b7d8e6c"
                       "4a10.slice:cri-containerd:" ID "\"}",
    ID, false, CONFINE_RESULT_PASS, "new cgroup" },
  { "crio-systemd", "{\"cgroupsPath\":\"kubepods-besteffort-podabc.slice:crio:" ID "\"}", ID,
    false, CONFINE_RESULT_PASS, "new cgroup" },
  { "systemd-default-slice", "{\"cgroupsPath\":\":docker:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  { "systemd-root-slice", "{\"cgroupsPath\":\"-.slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_PASS, "new cgroup" },
  /* cgroupsPath, systemd: refused. */
  { "systemd-other-name", "{\"cgroupsPath\":\"user-1000.slice:session:3\"}", ID, false,
    CONFINE_RESULT_FAIL, "NAME other than the container's id" },
  { "systemd-name-slice", "{\"cgroupsPath\":\"system.slice:docker:system.slice\"}", ID, false,
    CONFINE_RESULT_FAIL, "NAME ending in .slice" },
  { "systemd-name-slice-no-id", "{\"cgroupsPath\":\"-.slice:x:user.slice\"}", NULL, false,
    CONFINE_RESULT_FAIL, "NAME ending in .slice" },
  { "systemd-slash", "{\"cgroupsPath\":\"system.slice:docker:../../" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "with a `/`" },
  { "systemd-slash-slice", "{\"cgroupsPath\":\"/system.slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "with a `/`" },
  { "systemd-bad-slice", "{\"cgroupsPath\":\"system:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "not a systemd slice name" },
  { "systemd-bad-slice-dashes", "{\"cgroupsPath\":\"a--b.slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "not a systemd slice name" },
  { "systemd-bad-slice-bare", "{\"cgroupsPath\":\".slice:docker:" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "not a systemd slice name" },
  { "systemd-no-prefix", "{\"cgroupsPath\":\"system.slice::" ID "\"}", ID, false,
    CONFINE_RESULT_FAIL, "has no PREFIX" },
  { "systemd-no-name", "{\"cgroupsPath\":\"system.slice:docker:\"}", ID, false,
    CONFINE_RESULT_FAIL, "has no NAME" },

  /* Both at once: both named. */
  { "both", "{\"cgroupsPath\":\"/docker/../x\",\"resources\":{\"unified\":{\"cgroup.procs\":\"1\"}}}",
    ID, false, CONFINE_RESULT_FAIL, "`cgroup.procs`, which moves any process, a host one too, into "
                                    "the container's cgroup; linux.cgroupsPath `/docker/../x` has" },
};

/* `runc update --resources` documents: what runc's decoder reads, judged
 * as the rule judges a spec's unified files. */
static const struct
{
  const char *name;
  const char *doc;
  int parses; /* 0: the document is refused */
  confine_result_kind_t want;
  const char *fact;
} updates[] = {
  { "update-limits-only", "{\"pids\":{\"limit\":50},\"memory\":{\"limit\":1048576}}", 1,
    CONFINE_RESULT_PASS, "0 unified" },
  { "update-unified-limit", "{\"unified\":{\"pids.max\":\"20\",\"memory.high\":\"max\"}}", 1,
    CONFINE_RESULT_PASS, "2 unified" },
  { "update-cgroup-procs", "{\"unified\":{\"cgroup.procs\":\"1\"}}", 1, CONFINE_RESULT_FAIL,
    "runc update --resources writes `cgroup.procs`, which moves any process" },
  { "update-dotdot", "{\"unified\":{\"..\":\"1\"}}", 1, CONFINE_RESULT_FAIL, "is a path" },
  /* What Go would read differently is refused, as at create. */
  { "update-folded-key", "{\"Unified\":{\"cgroup.procs\":\"1\"}}", 0, CONFINE_RESULT_FAIL, "" },
  { "update-duplicate", "{\"unified\":{\"pids.max\":\"1\"},\"unified\":{\"cgroup.procs\":\"1\"}}",
    0, CONFINE_RESULT_FAIL, "" },
  { "update-not-object", "[]", 0, CONFINE_RESULT_FAIL, "" },
  { "update-value-not-string", "{\"unified\":{\"pids.max\":20}}", 0, CONFINE_RESULT_FAIL, "" },
};

static void
update_tests (const confine_policy_t *p)
{
  for (size_t i = 0; i < sizeof (updates) / sizeof (updates[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_annotation_t *unified = NULL;
      confine_rule_result_t r = { .exemption = -1 };
      confine_context_t ctx = { .policy = p, .id = ID };
      size_t n = 0;
      int parsed = confine_resources_parse_unified (updates[i].doc, strlen (updates[i].doc),
                                                    &unified, &n, &err) == 0;

      if (!updates[i].parses || !parsed)
        CHECK (parsed == updates[i].parses, updates[i].name, "parsed %d: %s", parsed,
               err ? err->msg : "");
      else if (confine_cgroups_judge_update (&ctx, unified, n, &r, &err) < 0)
        CHECK (false, updates[i].name, "error: %s", err->msg);
      else
        CHECK (r.kind == updates[i].want && r.fact && strstr (r.fact, updates[i].fact),
               updates[i].name, "kind %d, fact: %s", r.kind, r.fact ? r.fact : "(none)");
      free (r.fact);
      confine_annotations_free (unified, n);
    }
}

/* systemd's SLICE:PREFIX:NAME in the fake hierarchies H of
 * parents_tests (critical.slice and system-getty.slice hold a service
 * each, system.slice a service and a container's scope, the pod slice a
 * container's scope). */
static void
slices_tests (char *const *h)
{
  static char *const shipped[] = { "system.slice", "machine.slice", NULL };
  static char *const none[] = { NULL };
  static const struct
  {
    const char *name, *path;
    char *const *shared;
    int want;
    const char *fact;
  } rows[] = {
    { "slice-holding-a-service-refused", "critical.slice:docker:" ID, shipped, 1,
      "has the parent `/critical.slice`, whose cgroup `/critical.slice/db.service` holds "
      "processes (pid 96)" },
    { "slice-shared-by-the-policy-passes", "system.slice:docker:" ID, shipped, 0, NULL },
    { "slice-empty-is-system-slice", ":docker:" ID, shipped, 0, NULL },
    { "slice-shared-removed-from-policy-refused", "system.slice:docker:" ID, none, 1,
      "has the parent `/system.slice`, whose cgroup `/system.slice/" },
    { "slice-below-a-shared-one-judged", "system-getty.slice:docker:" ID, shipped, 1,
      "has the parent `/system.slice/system-getty.slice`, whose cgroup "
      "`/system.slice/system-getty.slice/getty@tty1.service` holds" },
    { "slice-pod-with-containers-passes", "kubepods-burstable-podX.slice:cri-containerd:" ID,
      shipped, 0, NULL },
    { "slice-new-passes", "ci.slice:docker:" ID, shipped, 0, NULL },
    { "slice-existing-empty-passes", "empty.slice:docker:" ID, shipped, 0, NULL },
    { "slice-root-passes", "-.slice:docker:" ID, shipped, 0, NULL },
  };

  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_free char *why = NULL;
      int r = confine_cgroups_slice_refusal (h, rows[i].shared, rows[i].path, &why, &err);
      const char *said = r < 0 ? err->msg : why;
      CHECK (r == rows[i].want && (rows[i].fact == NULL || (said && strstr (said, rows[i].fact))),
             rows[i].name, "got %d: %s", r, said ? said : "(none)");
    }
}

/* The parents of a cgroupfs path, in fake hierarchies (directories with
 * cgroup.procs files), and the runtime's own cgroup for a relative one;
 * the rule reads /sys/fs/cgroup and /proc/self/cgroup (real runc:
 * redteam found-31 and found-52, shim-docker's --cgroup-parent). */
static void
parents_tests (void)
{
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *mem = NULL, *pids = NULL;
  char *h[3];
  static const char *const at_root = "1:pids:/\n0::/\n";
  static const struct
  {
    const char *name, *self, *path;
    int want;
    const char *fact;
  } rows[] = {
    { "parents-none-exist", NULL, "/ci/jobs/" ID, 0, NULL },
    { "parents-engine-parent-empty", NULL, "/docker/" ID, 0, NULL },
    { "parents-pod-parents-empty", NULL, "/kubepods/burstable/podX/" ID, 0, NULL },
    { "parents-service-holds-processes", NULL, "/mysql/" ID, 1,
      "has the parent `/mysql`, an existing cgroup that holds processes of its own (pid 4242" },
    { "parents-deeper-service", NULL, "/srv/web/sub/" ID, 1, "`/srv/web`" },
    { "parents-leaf-itself-not-a-parent", NULL, "/mysql", 0, NULL },
    { "parents-service-processes-one-level-down", NULL, "/svc/" ID, 1,
      "has the parent `/svc`, whose cgroup `/svc/worker` holds processes (pid 99)" },
    { "parents-service-processes-deep-down", NULL, "/svc2/" ID, 1, "`/svc2/a/b/c` holds" },
    { "parents-other-containers-not-entered", NULL, "/docker/" ID, 0, NULL },
    { "parents-podman-conmon-not-entered", NULL, "/libpod_parent/libpod-" ID, 0, NULL },
    { "parents-pod-containers-not-entered", NULL, "/kubepods/burstable/podX/" ID, 0, NULL },
    { "parents-own-leaf-not-entered", NULL, "/jobs/" ID, 0, NULL },
    { "parents-on-path-engine-shaped-entered", NULL, "/docker/" OTHER "/" ID, 1,
      "has the parent `/docker/" OTHER "`, an existing cgroup that holds processes of its own" },
    { "parents-id-lookalike-entered", NULL, "/svc3/" ID, 1, "`/svc3/x" OTHER "` holds" },
    { "parents-unreadable-fails-closed", NULL, "/locked/" ID, -1, "cgroup parent `/locked`" },
    { "parents-relative-at-root-is-from-root", at_root, "mysql/" ID, 1, "`/mysql`" },
    { "parents-relative-at-root-new", at_root, "ci/" ID, 0, NULL },
    { "parents-relative-below-own-cgroup", "1:pids:/\n4:memory:/system.slice/containerd.service\n",
      "ci/" ID, 1, "relative to the runtime's own cgroup `/system.slice/containerd.service`" },
    /* More entries than one read of the directory returns (see below):
     * the walk reads it to its end. */
    { "parents-big-directory-read-to-the-end", NULL, "/svc4/" ID, 1,
      "has the parent `/svc4`, whose cgroup `/svc4/worker` holds processes (pid 55)" },
  };

  mem = confine_xasprintf ("%s/memory", dir);
  pids = confine_xasprintf ("%s/pids", dir);
  h[0] = mem;
  h[1] = pids;
  h[2] = NULL;
  for (const char *const *d = (const char *const[]) { "memory", "pids", "memory/docker", "memory/kubepods",
                                                      "memory/kubepods/burstable",
                                                      "memory/kubepods/burstable/podX",
                                                      "pids/mysql", "pids/srv", "pids/srv/web",
                                                      "memory/locked", "pids/svc", "pids/svc/worker",
                                                      "pids/svc2", "pids/svc2/a", "pids/svc2/a/b",
                                                      "pids/svc2/a/b/c", "pids/docker",
                                                      "pids/docker/" OTHER, "pids/libpod_parent",
                                                      "pids/libpod_parent/conmon",
                                                      "pids/libpod_parent/libpod-" OTHER,
                                                      "pids/kubepods", "pids/kubepods/burstable",
                                                      "pids/kubepods/burstable/podX",
                                                      "pids/kubepods/burstable/podX/" OTHER,
                                                      "pids/jobs", "pids/jobs/" ID, "pids/svc3",
                                                      "pids/svc3/x" OTHER, "pids/critical.slice",
                                                      "pids/critical.slice/db.service",
                                                      "pids/system.slice",
                                                      "pids/system.slice/ssh.service",
                                                      "pids/system.slice/docker-" OTHER ".scope",
                                                      "pids/system.slice/system-getty.slice",
                                                      "pids/system.slice/system-getty.slice/getty@tty1.service",
                                                      "pids/kubepods.slice",
                                                      "pids/kubepods.slice/kubepods-burstable.slice",
                                                      "pids/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podX.slice",
                                                      "pids/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podX.slice/cri-containerd-" OTHER ".scope",
                                                      "pids/empty.slice", NULL };
       *d; d++)
    {
      cleanup_free char *path = confine_xasprintf ("%s/%s", dir, *d);
      cleanup_free char *procs = confine_xasprintf ("%s/cgroup.procs", path);
      if (mkdir (path, 0755) < 0 && errno != EEXIST)
        abort ();
      /* Processes in host services' cgroups, and in every cgroup an
       * engine made (which the walk must not enter). */
      harness_write (procs, strcmp (*d, "pids/mysql") == 0 ? "4242\n4243\n"
                            : strcmp (*d, "pids/srv/web") == 0 ? "7\n"
                            : strcmp (*d, "pids/svc/worker") == 0 ? "99\n"
                            : strcmp (*d, "pids/svc2/a/b/c") == 0 ? "98\n"
                            : strstr (*d, ".service") ? "96\n"
                            : strstr (*d, OTHER) || strstr (*d, "conmon") || strstr (*d, "jobs/")
                                ? "97\n"
                                : "");
    }
  /* 1500 other containers' cgroups (about 140 KB of entries, several
   * getdents64 reads) beside the one service cgroup that holds
   * processes, created first. */
  {
    cleanup_free char *svc = confine_xasprintf ("%s/pids/svc4", dir);
    cleanup_free char *worker = confine_xasprintf ("%s/worker", svc);
    cleanup_free char *procs = confine_xasprintf ("%s/cgroup.procs", worker);
    if (mkdir (svc, 0755) < 0 || mkdir (worker, 0755) < 0)
      abort ();
    harness_write (procs, "55\n");
    free (procs);
    procs = confine_xasprintf ("%s/cgroup.procs", svc);
    harness_write (procs, "");
    for (int i = 0; i < 1500; i++)
      {
        cleanup_free char *c = confine_xasprintf ("%s/docker-%04d-" OTHER, svc, i);
        if (mkdir (c, 0755) < 0)
          abort ();
      }
  }
  {
    cleanup_free char *locked = confine_xasprintf ("%s/memory/locked/cgroup.procs", dir);
    unlink (locked);
    if (mkdir (locked, 0755) < 0) /* a directory: reading it fails (EISDIR) */
      abort ();
  }
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_free char *why = NULL;
      /* The runtime's own cgroup is read for a relative path only. */
      const char *self = rows[i].self ? rows[i].self : rows[i].path[0] == '/' ? NULL : at_root;
      int r = confine_cgroups_parents_refusal (h, self, rows[i].path, &why, &err);
      const char *said = r < 0 ? err->msg : why;
      CHECK (r == rows[i].want && (rows[i].fact == NULL || (said && strstr (said, rows[i].fact))),
             rows[i].name, "got %d: %s", r, said ? said : "(none)");
    }
  slices_tests (h);
}

void
run_tests (void)
{
  confine_policy_t *plain = harness_policy ("{}");
  confine_policy_t *more = harness_policy ("{\"cgroups\":{\"allowed_unified\":[\"cgroup.freeze\"]}}");

  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      cleanup_spec confine_spec_t *spec = NULL;
      cleanup_free char *text = NULL;

      if (asprintf (&text, "{\"ociVersion\":\"1.0.2\",\"linux\":%s}", cases[i].linux_json) < 0
          || confine_spec_parse (text, strlen (text), &spec, NULL, &err) < 0)
        {
          CHECK (false, cases[i].name, "parse: %s", err ? err->msg : "out of memory");
          continue;
        }
      confine_context_t ctx = { .policy = cases[i].allow_more ? more : plain, .id = cases[i].id };
      confine_subject_t s = { .spec = spec, .process = &spec->process };
      harness_rule_case (cases[i].name, confine_rule_cgroups, &ctx, &s, cases[i].want,
                         cases[i].fact);
    }

  /* The policy's own list takes file names only. */
  {
    static const char *const bad[] = { "\"../cgroup.procs\"", "\"..\"", "\".\"", "\"\"", NULL };
    for (size_t i = 0; bad[i]; i++)
      {
        cleanup_error confine_error_t err = NULL;
        cleanup_policy confine_policy_t *p = NULL;
        cleanup_free char *text = NULL;
        int r = asprintf (&text, "{\"cgroups\":{\"allowed_unified\":[%s]}}", bad[i]) < 0
                    ? 0
                    : confine_policy_parse (text, strlen (text), &p, &err);
        CHECK (r < 0 && err && strstr (err->msg, "cgroups.allowed_unified"),
               "policy-refuses-path-entry", "%s: r=%d %s", bad[i], r, err ? err->msg : "");
      }
  }
  update_tests (plain);
  parents_tests ();
  confine_policy_free (plain);
  confine_policy_free (more);
}
