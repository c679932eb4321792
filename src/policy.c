/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <stdint.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "cache.h"
#include "policy.h"
#include "sha256.h"
#include "../base/utils.h"
#include "../oci/json.h"

#define RULE_NAME(e, name, key, sev, exec) #name,
const char *const confine_rule_names[CONFINE_RULES + 1] = { CONFINE_RULE_TABLE (RULE_NAME) NULL };
#undef RULE_NAME
#define RULE_SEVERITY(e, name, key, sev, exec) sev,
static const confine_severity_t default_severity[CONFINE_RULES] = { CONFINE_RULE_TABLE (RULE_SEVERITY) };
#undef RULE_SEVERITY

/* Unknown keys are refused everywhere in the policy: a misspelt key in a
 * security policy must not silently fall back to a default. */
static const char *const top_fields[]
    = { "mode",  "securityfs",   "runtime",  "hook_path", "decision_log", "cache_dir",
        "rules", "apparmor",     "seccomp",  "capabilities", "namespaces", "masked_paths",
        "mounts", "inject",      "exemptions", "crun", "devices", "hooks",
        "runtimes", "cgroups", "process", "conmon", "authz", NULL };
static const char *const apparmor_fields[]
    = { "when_unavailable", "allowed_modes", "default_profile", "allowed_profiles", NULL };
static const char *const seccomp_fields[]
    = { "must_block", "block_namespace_clone", "block_device_nodes", "block_setid_files", "setid_scope",
        "default_profile", NULL };
static const char *const caps_fields[] = { "forbidden", NULL };
static const char *const ns_fields[] = { "required", NULL };
static const char *const masked_fields[] = { "required", "readonly_required", NULL };
static const char *const mounts_fields[]
    = { "sensitive", "sensitive_subtrees", "allowed_subtrees", "allowed_roots", "allowed_types",
        "writable_pseudo_filesystems", "readonly_subtrees", "allowed_volume_devices",
        "propagation_subtrees", "allowed_sockets", "owner_bundles", "owner_annotations", NULL };
static const char *const crun_fields[] = { "allowed_annotations", NULL };
static const char *const cgroups_fields[] = { "allowed_unified", "shared_slices", NULL };
/* The engines' default slices (Docker's and runc's systemd driver:
 * system.slice; Podman's: machine.slice), which hold host services
 * beside every container put there. */
static const char *const default_shared_slices[] = { "system.slice", "machine.slice", NULL };
static const char *const process_fields[] = { "min_oom_score_adj", "max_rtprio", NULL };
static const char *const conmon_fields[] = { "allowed_subtrees", NULL };
static const char *const authz_fields[] = { "copy", "docker_root", NULL };
/* CRI-O's defaults: kubelet's and its own log directories, and its state
 * directory, where conmon writes exit files and attach sockets' links. */
static const char *const default_conmon_allowed[]
    = { "/var/log/pods", "/var/log/crio/pods", "/var/run/crio", NULL };
/* Kubernetes' lowest for a container (guaranteed and critical pods);
 * kubelet and the engines run at -999, and -1000 is never killed. */
#define DEFAULT_MIN_OOM_SCORE_ADJ (-997)
static const char *const devices_fields[] = { "allowed", "strip", NULL };
static const char *const hooks_fields[] = { "allowed", NULL };
static const char *const hook_allow_fields[] = { "path", "args", "env", "comment", NULL };
static const char *const runtimes_fields[] = { "refused", NULL };
static const char *const inject_fields[]
    = { "seccomp", "seccomp_repair", "apparmor", "no_new_privileges", "hook", NULL };
static const char *const exemption_fields[] = { "rules", "id", "annotations", "comment", NULL };

static const char *const default_must_block[]
    = { "add_key", "bpf", "delete_module", "finit_module", "init_module", "kexec_file_load",
        "kexec_load", "keyctl", "mount", "move_mount", "open_tree", "fsopen", "fsmount",
        "fsconfig", "fspick", "open_by_handle_at", "perf_event_open", "pivot_root", "reboot",
        "request_key", "setns", "swapon", "swapoff", "umount2", "unshare", "userfaultfd", "iopl",
        "ioperm", "acct", "settimeofday", "clock_settime", "uselib", "nfsservctl",
        "mount_setattr", "umount", NULL };
static const char *const default_caps_forbidden[]
    = { "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_PTRACE", "CAP_SYS_BOOT",
        "CAP_SYS_TIME", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_NET_ADMIN", "CAP_BPF",
        "CAP_PERFMON", "CAP_DAC_READ_SEARCH", "CAP_SYSLOG", "CAP_LINUX_IMMUTABLE",
        "CAP_AUDIT_CONTROL", "CAP_CHECKPOINT_RESTORE", "CAP_SYS_RESOURCE", "CAP_SYS_NICE", NULL };
static const char *const default_ns_required[] = { "pid", "ipc", "network", "mount", NULL };
static const char *const default_masked_required[]
    = { "/proc/kcore", "/proc/keys", "/sys/firmware", NULL };
/* Docker's and runc's default read-only paths: /proc/sys alone holds
 * core_pattern and the sysrq switch. */
static const char *const default_readonly_required[]
    = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL };
/* Host paths no bind and no root filesystem may be or contain. Beside the
 * system itself: every endpoint that gives root on a Docker or Kubernetes
 * host (see the README for each). Patterns name sockets wherever they are. */
static const char *const default_sensitive[]
    = { "/", "/etc", "/proc", "/sys", "/dev", "/boot", "/usr", "/lib", "/lib64", "/bin", "/sbin",
        "/root", "/var/run/docker.sock", "/run/docker.sock", "/run/docker", "/var/lib/docker",
        "/run/containerd", "/var/lib/containerd", "/var/run/crio", "/run/crio",
        "/var/lib/containers", "/run/containers", "/run/podman", "/run/buildkit",
        "/var/lib/buildkit", "/run/systemd/private", "/run/dbus/system_bus_socket",
        "/run/udev/control", "/run/initctl", "/run/user", "/var/lib/kubelet", "/var/lib/etcd", "/opt/cni",
        "/var/spool/cron",
        "*/docker.sock", "*/containerd.sock", "*/crio.sock", "*/podman.sock", "*/buildkitd.sock",
        "*/kubelet.sock", "*/systemd/private", "*/snapd.socket", "*/snapd-snap.socket",
        "*/lxd/unix.socket", "*/incus/unix.socket", "*/tailscaled.sock", NULL };
/* Trees whose every file is the host's own business: a bind of anything
 * inside (/proc/sys/kernel, /etc/cron.d, /sys/kernel) is a way out. A
 * container's root is uid 0 on the host, so whatever it writes in a tree
 * a root process later reads as instructions is root's (red team 3
 * F-09..F-12), and such trees are here:
 * - the runtimes' default state roots (runc's is Podman's and CRI-O's):
 *   `runc delete` runs the poststop hooks of the state.json there;
 * - containerd's `opt` plugin puts /opt/containerd/bin first on every
 *   shim's PATH (the `runc` they find) and /opt/containerd/lib on
 *   LD_LIBRARY_PATH (the libseccomp the runtime behind the gate loads);
 * - the runtime counterparts of /etc that root reads: modprobe's
 *   `install` lines (run when a container's socket(2) autoloads a
 *   module), systemd-tmpfiles, sysctl, binfmt_misc interpreters, module
 *   lists, NetworkManager's dispatcher configuration, util-linux's utab
 *   (umount's helpers), systemd's credentials (secrets), sudo's
 *   timestamps and lectures, pam_faillock's tallies; and the rest of
 *   systemd's (red team 7 F-05): the exitrd systemd-shutdown switches
 *   into and runs at every poweroff, sysusers' groups (`m USER sudo`),
 *   system extensions, encrypted credentials, root's user manager
 *   (/run/user/0: its units), kernel-install's, repart's and
 *   sysupdate's configuration, and resolvconf's resolv.conf (the host's
 *   name server);
 * - state in /var that root acts on: cloud-init's per-boot scripts,
 *   polkit's local authority, apt's package lists and cached packages
 *   (installed as trusted once their hash matches the list), snapd's
 *   snaps, DKMS's module sources;
 * - Kubernetes distributions' state where kubeadm's is not: k3s's and
 *   RKE2's containerd (its task bundles, which runc reads) in /run/k3s,
 *   their binaries root runs, CA keys and tokens in /var/lib/rancher,
 *   MicroK8s's in /var/snap/microk8s. */
static const char *const default_sensitive_subtrees[]
    = { "/proc", "/sys", "/dev", "/boot", "/etc", "/root", "/var/lib/docker", "/run/docker",
        "/var/lib/containerd", "/run/containerd", "/var/lib/containers", "/run/containers",
        "/run/crio", "/var/run/crio", "/run/podman", "/run/buildkit", "/var/lib/buildkit",
        "/var/lib/kubelet", "/var/lib/etcd", "/opt/cni", "/var/spool/cron", "/run/systemd",
        "/var/lib/systemd", "/var/lib/dpkg", "/run/libvirt", "/var/lib/libvirt",
        "/run/runc", "/run/crun", "/run/youki", "/run/runsc", "/opt/containerd",
        "/run/modprobe.d", "/run/tmpfiles.d", "/run/sysctl.d", "/run/binfmt.d",
        "/run/modules-load.d", "/run/NetworkManager", "/run/mount", "/run/credentials",
        "/run/initramfs", "/run/sysusers.d", "/run/user/0", "/run/extensions", "/run/confexts",
        "/run/credstore", "/run/credstore.encrypted", "/run/environment.d", "/run/kernel",
        "/run/repart.d", "/run/sysupdate.d", "/run/resolvconf",
        "/run/sudo", "/var/lib/sudo", "/run/faillock", "/var/lib/cloud", "/var/lib/polkit-1",
        "/var/lib/apt", "/var/cache/apt", "/var/lib/snapd", "/var/lib/dkms",
        "/run/k3s", "/var/lib/rancher", "/var/snap/microk8s", NULL };
/* The host's code: read-only, a bind from inside shares a library or a
 * tool (GPU drivers, docker-init); writable, it is root on the host.
 * /opt too: FHS's add-on packages, where root-run agents live (puppet,
 * monitoring and endpoint agents, vendors' drivers).
 * journald's sockets: a container sends to them through a read-only
 * bind; through a writable one it replaces `dev-log` with its own and
 * receives every host process's syslog. udevd's rules (RUN+= commands,
 * run as root on the next device event) and device database (which
 * units systemd starts for a device): containers that use libudev bind
 * /run/udev read-only. And kubelet's pod logs, which it reads as root
 * following links for `kubectl logs`: read-only, log shippers read them;
 * writable, a link planted there reads any host file. And the host files
 * allowed_subtrees lets containers bind (below), which are the host's,
 * not the container's: /etc/timezone bound writable (`-v` binds
 * read-write unless told `:ro`) is the host's zone written by the
 * container; /dev/log where a syslog daemon owns it (not a link into
 * /run/systemd/journal) is its socket, chmod'ed through a writable bind. */
static const char *const default_readonly_subtrees[]
    = { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt",
        "/run/systemd/journal", "/run/udev", "/var/log/pods", "/var/log/containers",
        "/etc/timezone", "/dev/log", NULL };
/* What engines and users bind from inside those trees on purpose: a
 * container's own files and named volumes, its pod's files and volumes
 * (never the directory of all of them: every container's env and every
 * pod's secrets), the host's time zone and syslog socket, and the device
 * nodes every container gets (runc binds them from the host in a user
 * namespace). In Docker's and Podman's per-container directories only
 * the files they bind: the rest is what the engine itself trusts (a
 * Podman or CRI-O container's bundle, whose config.json runc reads after
 * the judgement; Docker's hostconfig.json and log, its conmon's pidfile). */
static const char *const default_allowed_subtrees[]
    = { "/var/lib/docker/containers/*/hostname", "/var/lib/docker/containers/*/hosts",
        "/var/lib/docker/containers/*/resolv.conf",
        "/var/lib/docker/containers/*/mounts",
        "/var/lib/docker/volumes/*/_data",
        "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/{owner}",
        "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/{owner}",
        "/var/lib/containers/storage/overlay-containers/*/userdata/shm",
        "/var/lib/containers/storage/overlay-containers/*/userdata/secrets",
        "/var/lib/containers/storage/vfs-containers/*/userdata/shm",
        "/var/lib/containers/storage/vfs-containers/*/userdata/secrets",
        "/run/containers/storage/overlay-containers/*/userdata/.containerenv",
        "/run/containers/storage/overlay-containers/*/userdata/run",
        "/run/containers/storage/overlay-containers/*/userdata/hostname",
        "/run/containers/storage/overlay-containers/*/userdata/hosts",
        "/run/containers/storage/overlay-containers/*/userdata/resolv.conf",
        "/run/containers/storage/overlay-containers/*/userdata/shm",
        "/run/containers/storage/vfs-containers/*/userdata/.containerenv",
        "/run/containers/storage/vfs-containers/*/userdata/run",
        "/run/containers/storage/vfs-containers/*/userdata/hostname",
        "/run/containers/storage/vfs-containers/*/userdata/hosts",
        "/run/containers/storage/vfs-containers/*/userdata/resolv.conf",
        "/run/containers/storage/vfs-containers/*/userdata/shm",
        "/var/lib/containers/storage/volumes/*/_data", "/var/lib/kubelet/pods/{owner}",
        "/etc/localtime", "/etc/timezone", "/dev/log", "/dev/null", "/dev/zero", "/dev/full",
        "/dev/random", "/dev/urandom", "/dev/tty", "/run/systemd/journal", NULL };
/* Where each engine puts a container's root filesystem (Docker's
 * overlay2, vfs, fuse-overlayfs, btrfs and zfs drivers; containerd's
 * task bundles, which Docker's containerd image store, ctr, nerdctl and
 * the CRI use; Podman's and CRI-O's containers/storage), one container's
 * each: a pattern that matches the whole resolved root. */
static const char *const default_allowed_roots[]
    = { "/var/lib/docker/overlay2/*/merged", "/var/lib/docker/vfs/dir/*",
        "/var/lib/docker/fuse-overlayfs/*/merged", "/var/lib/docker/btrfs/subvolumes/*",
        "/var/lib/docker/zfs/graph/*", "/var/lib/docker/aufs/mnt/*",
        "/var/lib/docker/devicemapper/mnt/*/rootfs", "/var/lib/docker/overlay/*/merged",
        "/run/containerd/io.containerd.runtime.v2.task/*/*/rootfs",
        "/run/containerd/io.containerd.runtime.v1.linux/*/*/rootfs",
        "/var/lib/containers/storage/overlay/*/merged", "/var/lib/containers/storage/vfs/dir/*",
        "/var/lib/containers/storage/btrfs/subvolumes/*", "/var/lib/containers/storage/zfs/graph/*",
        "/var/lib/containers/storage/aufs/mnt/*",
        "/var/lib/containers/storage/devicemapper/mnt/*/rootfs", NULL };
/* Whose a `{owner}` directory is: containerd's CRI writes the pod's uid
 * and the sandbox's id into every spec of the pod, after the annotations
 * a pod passes through, in its own namespace's task directory, where no
 * Docker, Podman or nerdctl container is made. Podman passes its users'
 * annotations into the spec, so an annotation alone names nobody. */
static const char *const default_owner_bundles[]
    = { "/run/containerd/io.containerd.runtime.v2.task/k8s.io/*", NULL };
static const char *const default_owner_annotations[]
    = { "io.kubernetes.cri.sandbox-uid", "io.kubernetes.cri.sandbox-id", NULL };
/* Sockets whose servers take log lines from anyone and grant nothing by
 * the peer's uid: the system log (`/dev/log`, a link to journald's
 * dev-log on systemd hosts, resolved to it), journald's native and
 * stdout streams and the syslog socket it forwards to. Docker and
 * Kubernetes users bind them to log to the host. Not the whole of
 * /run/systemd/journal: its io.systemd.journal varlink socket lets uid 0
 * rotate and flush the journal. */
static const char *const default_allowed_sockets[]
    = { "/dev/log", "/run/systemd/journal/dev-log", "/run/systemd/journal/socket",
        "/run/systemd/journal/stdout", "/run/systemd/journal/syslog", NULL };
static const char *const empty_list[] = { NULL };
static const char *const pseudo_filesystems[] = { "sysfs", "cgroup", "cgroup2", NULL };
static const char *const default_allowed_types[]
    = { "proc", "sysfs", "tmpfs", "devpts", "mqueue", "cgroup", "cgroup2", NULL };
/* What runc 1.1 gives every container (specconv.AllowedDevices): null,
 * zero, full, random, urandom, tty, ptmx, the pty slaves and tun. Not the
 * console (c 5:1), which Docker's default spec allows: it is the host's
 * system console, and runc's /dev/console is a bind of a pty slave. */
static const char *const default_devices_allowed[]
    = { "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",   "c 1:8 rwm",   "c 1:9 rwm",
        "c 5:0 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm", NULL };
/* Engines' default device cgroup rules the shim takes out of a spec. */
static const char *const default_devices_strip[] = { "c 5:1 rwm", NULL };
/* Docker's network hook: dockerd re-executes itself through
 * /proc/<its pid>/exe with these arguments (moby's WithLibnetwork, and
 * the builder's executor with its own container ids); Docker's packages
 * install dockerd in /usr/bin, Debian's in /usr/sbin. With tracing on,
 * dockerd hands the hook a TRACEPARENT. */
#define DOCKER_SETKEY(path)                                                                      \
  "{\"path\":\"" path "\",\"args\":[\"libnetwork-setkey\",\"-exec-root=/.*\","             \
  "\"[A-Za-z0-9][A-Za-z0-9_.-]*\",\"[0-9a-f]{12}|[0-9a-f]{64}\"],"                              \
  "\"env\":[\"TRACEPARENT=[0-9a-f-]+\"]}"
static const char default_hooks_allowed[]
    = "[" DOCKER_SETKEY ("/usr/sbin/dockerd") "," DOCKER_SETKEY ("/usr/bin/dockerd") "]";
#undef DOCKER_SETKEY
static const char *const default_allowed_modes[] = { "enforce", "kill", NULL };
/* The engines' own default profiles: Docker, Podman (versioned), CRI-O,
 * containerd's CRI. */
static const char *const default_allowed_profiles[]
    = { "docker-default", "containers-default-*", "crio-default", "cri-containerd.apparmor.d",
        NULL };
static const char *const valid_namespaces[]
    = { "pid", "ipc", "network", "mount", "uts", "user", "cgroup", "time", NULL };

/* A string key with a default; OUT always ends up set. */
static int
string_or (const confine_json_t *obj, const char *key, const char *path, const char *def,
           char **out, confine_error_t *err)
{
  int r = confine_json_string (obj, key, path, out, err);
  if (r < 0)
    return -1;
  if (r == 0 && def)
    *out = confine_xstrdup (def);
  return 0;
}

static int
strv_or (const confine_json_t *obj, const char *key, const char *path, const char *const *def,
         char ***out, confine_error_t *err)
{
  int r = confine_json_strv (obj, key, path, out, err);
  if (r < 0)
    return -1;
  if (r == 0)
    {
      confine_free_strv (*out);
      *out = confine_strv_copy (def);
    }
  return 0;
}

static int
bool_or (const confine_json_t *obj, const char *key, const char *path, bool def, bool *out,
         confine_error_t *err)
{
  int r = confine_json_bool (obj, key, path, out, err);
  if (r == 0)
    *out = def;
  return r < 0 ? -1 : 0;
}

static int
enum_of (const char *path, const char *value, const char *const *allowed, confine_error_t *err)
{
  for (int i = 0; allowed[i]; i++)
    if (strcmp (value, allowed[i]) == 0)
      return i;
  return confine_make_error (err, 0, "`%s`: `%s` is not one of the allowed values", path, value);
}

static int
parse_rules (const confine_json_t *root, confine_policy_t *p, confine_error_t *err)
{
  static const char *const sev[] = { "off", "warn", "deny", NULL };
  const confine_json_t *rules = confine_json_get (root, "rules");
  int r = confine_json_struct (rules, "rules", confine_rule_names, true, err);

  for (int i = 0; i < CONFINE_RULES; i++)
    p->severity[i] = default_severity[i];
  if (r <= 0)
    return r;
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      cleanup_free char *v = NULL;
      int s;
      if ((r = confine_json_string (rules, confine_rule_names[i], "rules", &v, err)) < 0)
        return -1;
      if (r == 0)
        continue;
      if ((s = enum_of (confine_jpath_key ("rules", confine_rule_names[i]).s, v, sev, err)) < 0)
        return -1;
      p->severity[i] = (confine_severity_t) s;
    }
  return 0;
}

/* A root-written pattern must not hang every container start. glibc's
 * regcomp builds a node for every position of a pattern once its
 * repetitions are expanded (`(a{1,1000}){1,1000}`: a million, minutes and
 * 7 GB), computes closures over chains of optional copies in time
 * quadratic in their length, and far worse when what is repeated can
 * match nothing (`(){1,400}` 10 s, `(a*)*` twenty times 1 s) or follows a
 * zero-width anchor (`\b` 48 times 1.9 s, 543 MB). So before anything is
 * compiled, a pattern is refused with an interval above POSIX's
 * RE_DUP_MAX minimum (255), a repetition of a part that can match
 * nothing, an empty group, an anchor but a leading `^` and a final `$`
 * (patterns match whole strings anyway), a back-reference (its matching
 * is exponential in the string, which the container's author writes), a
 * `)` or a final `\` that would
 * reach into the `^(RE)$` around it, a `{` glibc would read otherwise
 * than we do, or above 2048 positions once expanded; and a policy above
 * 4096 positions in all. The worst found within these bounds (a run of
 * 1024 `a?`) compiles in about 90 ms here. This bounds compiling, not
 * matching: see confine_pattern_matches. */
#define PATTERN_MAX_REPEAT 255
#define PATTERN_MAX_POSITIONS 2048
#define POLICY_MAX_POSITIONS 4096
#define PATTERN_MAX_DEPTH 64
#define ANCHOR_REFUSED                                                                        \
  "has an anchor (`\\b`, `^` but first, `$` but last, ...): patterns match whole strings"
#define NULLABLE_REPEAT_REFUSED                                                               \
  "repeats a part that can match nothing (write `x*` or `x{0,n}`, not `(x*)*` or `(x?){n}`)"

/* The end of the bracket expression starting at RE (just past its `[`),
 * as glibc reads it: a leading `^` and `]` are members, and `[:class:]`,
 * `[=x=]` and `[.x.]` are read whole. */
static const char *
bracket_end (const char *re)
{
  if (*re == '^')
    re++;
  if (*re == ']')
    re++;
  while (*re && *re != ']')
    {
      if (re[0] == '[' && (re[1] == ':' || re[1] == '=' || re[1] == '.'))
        {
          const char *close = re + 2;
          while (*close && !(close[0] == re[1] && close[1] == ']'))
            close++;
          re = *close ? close + 2 : close;
        }
      else
        re++;
    }
  return *re ? re + 1 : re;
}

/* An interval at RE (its `{`) as glibc reads one: `{m}`, `{m,}`, `{m,n}`
 * and `{,n}`. Sets *MIN and *MAX (ULONG_MAX for none) and returns what
 * follows it, or NULL when the `{` is a literal. */
static const char *
interval (const char *re, unsigned long *min, unsigned long *max)
{
  char *end = (char *) re + 1;
  bool has_min = *end >= '0' && *end <= '9';

  *min = has_min ? strtoul (end, &end, 10) : 0;
  *max = *min;
  if (*end == ',')
    {
      end++;
      *max = *end >= '0' && *end <= '9' ? strtoul (end, &end, 10) : ULONG_MAX;
    }
  else if (!has_min)
    return NULL;
  return *end == '}' ? end + 1 : NULL;
}

/* What a part of a pattern costs: its positions, expanded and saturating
 * above POLICY_MAX_POSITIONS, and whether it can match nothing. */
typedef struct
{
  uint64_t positions;
  bool nullable;
} pattern_part_t;

static uint64_t
capped (uint64_t n)
{
  return n > POLICY_MAX_POSITIONS ? POLICY_MAX_POSITIONS + 1 : n;
}

/* An open group, as pattern_cost reads it: its closed alternatives
 * (their positions, whether one can match nothing), the current one up
 * to its last part, and the last part, the one a repetition applies to. */
typedef struct
{
  pattern_part_t closed, before_last, last;
} group_cost_t;

static const group_cost_t group_opened = { { 0, false }, { 0, true }, { 0, true } };

/* The positions of G's alternatives so far, the current one included. */
static uint64_t
group_positions (const group_cost_t *g)
{
  return capped (g->closed.positions + g->before_last.positions + g->last.positions);
}

/* Whether G's current alternative can match nothing. */
static bool
branch_nullable (const group_cost_t *g)
{
  return g->before_last.nullable && g->last.nullable;
}

/* Why RE is too costly to compile, or NULL with its positions in
 * *POSITIONS (an upper bound: `*`, `+` and `?` count two copies, glibc
 * copies for `+`; `{m,}` m + 1; `{m,n}` n). */
static const char *
pattern_cost (const char *re, uint64_t *positions)
{
  const char *const start = re;
  group_cost_t g[PATTERN_MAX_DEPTH + 1];
  size_t depth = 0;

  g[0] = group_opened;
  while (*re)
    {
      pattern_part_t part = { 1, false };
      unsigned long min = 1, max = 1;
      bool repeat = false;
      switch (*re)
        {
        case '\\':
          /* A lone `\` at the end would escape the `)` of `^(RE)$`. */
          if (re[1] == '\0')
            return "ends in a lone `\\`";
          if (re[1] >= '1' && re[1] <= '9')
            return "has a back-reference, whose matching can take exponential time";
          if (strchr ("bB<>`'", re[1]) != NULL)
            return ANCHOR_REFUSED;
          re += 2;
          break;
        case '[':
          re = bracket_end (re + 1);
          break;
        case '^':
        case '$':
          /* Harmless where patterns are wrapped anyway: `^` first, `$` last. */
          if (*re == '^' ? re != start : re[1] != '\0')
            return ANCHOR_REFUSED;
          part.nullable = true;
          re++;
          break;
        case '(':
          if (depth == PATTERN_MAX_DEPTH)
            return "nests groups too deeply";
          g[++depth] = group_opened;
          re++;
          continue;
        case ')':
          re++;
          /* It would close the `(` of `^(RE)$`: `a)|(.*` matches anything. */
          if (depth == 0)
            return "has an unmatched `)`";
          if (group_positions (&g[depth]) == 0)
            return "has an empty group";
          part.positions = capped (group_positions (&g[depth]) + 1);
          part.nullable = g[depth].closed.nullable || branch_nullable (&g[depth]);
          depth--;
          break;
        case '|':
          g[depth].closed.positions = group_positions (&g[depth]);
          g[depth].closed.nullable = g[depth].closed.nullable || branch_nullable (&g[depth]);
          g[depth].before_last = g[depth].last = (pattern_part_t){ 0, true };
          re++;
          continue;
        case '*':
        case '?':
          min = 0;
          /* fall through */
        case '+':
          if (g[depth].last.positions != 0 && g[depth].last.nullable)
            return NULLABLE_REPEAT_REFUSED;
          max = 2;
          repeat = true;
          re++;
          break;
        case '{':
          {
            const char *after = interval (re, &min, &max);
            /* Outside brackets glibc reads `{` as an interval or refuses
             * it, and reads `\,` and `\0` inside one as `,` and `0`. */
            if (after == NULL)
              return "has a `{` that does not open a plain interval `{m,n}`";
            if (min > PATTERN_MAX_REPEAT || (max != ULONG_MAX && max > PATTERN_MAX_REPEAT))
              return "repeats more than 255 times (POSIX's RE_DUP_MAX)";
            if (max == ULONG_MAX)
              max = min + 1;
            if (g[depth].last.positions != 0 && g[depth].last.nullable)
              return NULLABLE_REPEAT_REFUSED;
            repeat = true;
            re = after;
            break;
          }
        default:
          re++;
          break;
        }
      if (repeat && g[depth].last.positions != 0)
        {
          g[depth].last.positions = capped (g[depth].last.positions * (max > 1 ? max : 1));
          g[depth].last.nullable = g[depth].last.nullable || min == 0;
        }
      else
        {
          /* A repetition with nothing before it is a literal to glibc. */
          g[depth].before_last.positions
              = capped (g[depth].before_last.positions + g[depth].last.positions);
          g[depth].before_last.nullable = branch_nullable (&g[depth]);
          g[depth].last = part;
        }
    }
  /* Groups left open count as closed: regcomp refuses them anyway. */
  for (; depth > 0; depth--)
    g[depth - 1].before_last.positions
        = capped (g[depth - 1].before_last.positions + group_positions (&g[depth]) + 1);
  *positions = group_positions (&g[0]);
  return NULL;
}

/* RE, named PATH in messages, cheap enough to compile on its own and,
 * counted into *TOTAL, with the policy's others. */
static int
check_pattern (const char *path, const char *re, size_t *total, confine_error_t *err)
{
  uint64_t n;
  const char *why = pattern_cost (re, &n);

  if (why)
    return confine_make_error (err, 0, "`%s`: regular expression `%s` %s", path, re, why);
  if (n > PATTERN_MAX_POSITIONS)
    return confine_make_error (err, 0,
                               "`%s`: regular expression `%s` expands to more than %d positions "
                               "(its repetitions multiply); write it with smaller `{m,n}`",
                               path, re, PATTERN_MAX_POSITIONS);
  *total += (size_t) n;
  if (*total > POLICY_MAX_POSITIONS)
    return confine_make_error (err, 0,
                               "`%s`: the policy's regular expressions expand to more than %d "
                               "positions in all",
                               path, POLICY_MAX_POSITIONS);
  return 0;
}

bool
confine_pattern_matches (const char *pattern, const regex_t *rx, const char *s)
{
  const char *p = pattern;

  if (strnlen (s, CONFINE_PATTERN_MAX_SUBJECT + 1) > CONFINE_PATTERN_MAX_SUBJECT)
    return false;
  while (*p >= 0x20 && *p <= 0x7e && strchr ("^.[]$()|*+?{}\\", *p) == NULL)
    p++;
  if (*p == '\0')
    return strcmp (pattern, s) == 0;
  return regexec (rx, s, 0, NULL, 0) == 0;
}

/* Compile RE to match whole strings, as `^(RE)$`. */
static int
compile_anchored (const char *path, const char *re, regex_t *out, confine_error_t *err)
{
  cleanup_free char *anchored = NULL;
  if (asprintf (&anchored, "^(%s)$", re) < 0)
    return confine_make_error (err, ENOMEM, "compile regular expression");
  if (regcomp (out, anchored, REG_EXTENDED | REG_NOSUB) != 0)
    return confine_make_error (err, 0, "`%s`: invalid regular expression `%s`", path, re);
  return 0;
}

static int
parse_exemptions (const confine_json_t *root, confine_policy_t *p, size_t *positions,
                  confine_error_t *err)
{
  const confine_json_t *arr = NULL;
  size_t cap = 0;

  if (confine_json_array (root, "exemptions", "", &arr, err) < 0)
    return -1;
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      confine_jpath_t path = confine_jpath_index ("exemptions", i);
      const confine_json_t *e = arr->values[i];
      const confine_json_t *ann;
      confine_exemption_t *ex;
      int r = confine_json_struct (e, path.s, exemption_fields, true, err);
      if (r < 0)
        return -1;
      if (r == 0)
        return confine_make_error (err, 0, "`%s`: null exemption", path.s);
      if (confine_append (&p->exemptions, &p->n_exemptions, &cap, sizeof (*ex), 1000, err) < 0)
        return -1;
      ex = &p->exemptions[p->n_exemptions - 1];
      if (confine_json_strv (e, "rules", path.s, &ex->rules, err) < 0
          || confine_json_string (e, "id", path.s, &ex->id, err) < 0
          || confine_json_string (e, "comment", path.s, &ex->comment, err) < 0)
        return -1;
      if (ex->rules[0] == NULL)
        return confine_make_error (err, 0, "`%s`: an exemption must name the rules it waives",
                                   path.s);
      for (char **r2 = ex->rules; *r2; r2++)
        if (enum_of (path.s, *r2, confine_rule_names, err) < 0)
          return confine_error_wrap (err, "unknown rule");
      if (ex->id)
        {
          if (check_pattern (path.s, ex->id, positions, err) < 0)
            return -1;
          ex->id_rx = confine_xcalloc (1, sizeof (regex_t));
          if (compile_anchored (path.s, ex->id, ex->id_rx, err) < 0)
            {
              free (steal_pointer (&ex->id_rx));
              return -1;
            }
        }
      ann = confine_json_get (e, "annotations");
      if (ann && ann->type != CONFINE_JSON_NULL && ann->type != CONFINE_JSON_OBJECT)
        return confine_json_type_error (confine_jpath_key (path.s, "annotations").s, ann,
                                        "object", err);
      {
        size_t n = ann && ann->type == CONFINE_JSON_OBJECT ? ann->len : 0;
        ex->annotation_keys = confine_xcalloc (n + 1, sizeof (char *));
        ex->annotation_values = confine_xcalloc (n + 1, sizeof (char *));
        ex->key_rx = confine_xcalloc (n + 1, sizeof (regex_t));
        ex->value_rx = confine_xcalloc (n + 1, sizeof (regex_t));
        for (size_t j = 0; j < n; j++)
          {
            if (ann->values[j]->type != CONFINE_JSON_STRING)
              return confine_json_type_error (confine_jpath_key (path.s, "annotations").s,
                                              ann->values[j], "string", err);
            if (check_pattern (path.s, ann->keys[j], positions, err) < 0
                || check_pattern (path.s, ann->values[j]->text, positions, err) < 0
                || compile_anchored (path.s, ann->keys[j], &ex->key_rx[j], err) < 0)
              return -1;
            if (compile_anchored (path.s, ann->values[j]->text, &ex->value_rx[j], err) < 0)
              {
                regfree (&ex->key_rx[j]);
                return -1;
              }
            ex->n_annotations++;
            ex->annotation_keys[j] = confine_xstrdup (ann->keys[j]);
            ex->annotation_values[j] = confine_xstrdup (ann->values[j]->text);
          }
      }
      /* An exemption with no condition would waive the rules for every
       * container: that is `rules: {...: "off"}`, said explicitly. */
      if (ex->id == NULL && ex->annotation_keys[0] == NULL)
        return confine_make_error (err, 0, "`%s`: an exemption needs `id` or `annotations`",
                                   path.s);
    }
  return 0;
}

/* A number of a device rule: decimal up to 2^32-1, or `*` for any. */
static int
device_number (const char *s, int64_t *out)
{
  uint64_t v;
  if (strcmp (s, "*") == 0)
    {
      *out = -1;
      return 0;
    }
  if (s[0] < '0' || s[0] > '9' || confine_parse_u64 (s, UINT32_MAX, &v) < 0)
    return -1;
  *out = (int64_t) v;
  return 0;
}

/* `TYPE MAJOR:MINOR ACCESS` with TYPE c or b and ACCESS a non-empty
 * subset of rwm: the kernel's devices.allow syntax, without `a`, which
 * would allow every device (that is `rules.devices: off`). */
static int
parse_device_allow (const char *path, const char *text, confine_device_allow_t *out,
                    confine_error_t *err)
{
  char type[2], major[12], minor[12], access[4], canon[64];
  /* Parsed, then printed back and compared, so no other spacing passes. */
  if (sscanf (text, "%1[bc] %11[0-9*]:%11[0-9*] %3[rwm]", type, major, minor, access) != 4
      || (size_t) snprintf (canon, sizeof (canon), "%s %s:%s %s", type, major, minor, access)
             >= sizeof (canon)
      || strcmp (canon, text) != 0 || device_number (major, &out->major) < 0
      || device_number (minor, &out->minor) < 0)
    return confine_make_error (err, 0, "`%s`: `%s` is not `c|b MAJOR:MINOR ACCESS` (numbers "
                               "or `*`, ACCESS of r, w and m)",
                               path, text);
  out->type = type[0];
  out->read = strchr (access, 'r') != NULL;
  out->write = strchr (access, 'w') != NULL;
  out->mknod = strchr (access, 'm') != NULL;
  return 0;
}

/* devices.KEY (default DEFAULTS) into *OUT, *N entries. */
static int
parse_device_list (const confine_json_t *devices, const char *key,
                   const char *const *defaults, confine_device_allow_t **out, size_t *n,
                   confine_error_t *err)
{
  cleanup_strv char **list = NULL;
  cleanup_free char *path = confine_xasprintf ("devices.%s", key);
  size_t len = 0;
  if (strv_or (devices, key, "devices", defaults, &list, err) < 0)
    return -1;
  while (list[len])
    len++;
  *out = confine_xcalloc (len + 1, sizeof (confine_device_allow_t));
  for (size_t i = 0; i < len; i++, (*n)++)
    if (parse_device_allow (path, list[i], &(*out)[i], err) < 0)
      return -1;
  return 0;
}

static int
parse_devices (const confine_json_t *devices, confine_policy_t *p, confine_error_t *err)
{
  if (parse_device_list (devices, "allowed", default_devices_allowed, &p->devices_allowed,
                         &p->n_devices_allowed, err)
      < 0)
    return -1;
  return parse_device_list (devices, "strip", default_devices_strip, &p->devices_strip,
                            &p->n_devices_strip, err);
}

static void
free_rx (regex_t *rx, size_t n)
{
  for (size_t i = 0; rx && i < n; i++)
    regfree (&rx[i]);
  free (rx);
}

/* Compile each of the N PATTERNS, all or none. */
static int
compile_all (const char *path, char *const *patterns, size_t n, regex_t **out,
             confine_error_t *err)
{
  regex_t *rx = confine_xcalloc (n + 1, sizeof (regex_t));
  for (size_t i = 0; i < n; i++)
    if (compile_anchored (path, patterns[i], &rx[i], err) < 0)
      {
        free_rx (rx, i);
        return -1;
      }
  *out = rx;
  return 0;
}

/* A's patterns, named PATH in messages. */
static int
compile_entry (const char *path, const confine_hook_allow_t *a, confine_error_t *err)
{
  confine_hook_rx_t *rx = a->rx;

  if (rx->compiled)
    return 0;
  if (compile_all (path, a->args, a->n_args, &rx->args, err) < 0)
    return -1;
  if (compile_all (path, a->env, a->n_env, &rx->env, err) < 0)
    {
      free_rx (steal_pointer (&rx->args), a->n_args);
      return -1;
    }
  rx->compiled = true;
  return 0;
}

int
confine_hook_allow_compile (const confine_hook_allow_t *a, confine_error_t *err)
{
  cleanup_free char *path = NULL;

  if (a->rx->compiled)
    return 0;
  path = confine_xasprintf ("hooks.allowed entry for `%s`", a->path);
  return compile_entry (path, a, err);
}

/* Every entry's patterns, so a policy with one regcomp refuses is
 * refused whole, as any other invalid policy is. */
static int
compile_hooks (const confine_policy_t *p, confine_error_t *err)
{
  for (size_t i = 0; i < p->n_hooks_allowed; i++)
    if (compile_entry (confine_jpath_index ("hooks.allowed", i).s, &p->hooks_allowed[i], err) < 0)
      return -1;
  return 0;
}

static int
parse_hooks (const confine_json_t *hooks, confine_policy_t *p, size_t *positions,
             confine_error_t *err)
{
  cleanup_json confine_json_t *defaults = NULL;
  const confine_json_t *arr = NULL;
  size_t cap = 0;
  int r = confine_json_array (hooks, "allowed", "hooks", &arr, err);

  if (r < 0)
    return -1;
  if (r == 0)
    {
      if (confine_json_parse (default_hooks_allowed, strlen (default_hooks_allowed), &defaults,
                              err)
          < 0)
        return -1;
      arr = defaults;
    }
  for (size_t i = 0; i < arr->len; i++)
    {
      confine_jpath_t path = confine_jpath_index ("hooks.allowed", i);
      const confine_json_t *e = arr->values[i];
      cleanup_free char *comment = NULL;
      confine_hook_allow_t *h;
      if ((r = confine_json_struct (e, path.s, hook_allow_fields, true, err)) < 0)
        return -1;
      if (r == 0)
        return confine_make_error (err, 0, "`%s`: null entry", path.s);
      if (confine_append (&p->hooks_allowed, &p->n_hooks_allowed, &cap, sizeof (*h), 1000, err)
          < 0)
        return -1;
      h = &p->hooks_allowed[p->n_hooks_allowed - 1];
      if (confine_json_string (e, "path", path.s, &h->path, err) < 0
          || confine_json_strv (e, "args", path.s, &h->args, err) < 0
          || confine_json_strv (e, "env", path.s, &h->env, err) < 0
          || confine_json_string (e, "comment", path.s, &comment, err) < 0)
        return -1;
      /* runc runs the path as written, with no search: only an absolute
       * path names one file. */
      if (h->path == NULL || h->path[0] != '/')
        return confine_make_error (err, 0, "`%s`: `path` must be an absolute path", path.s);
      if (h->args[0] == NULL)
        return confine_make_error (err, 0, "`%s`: `args` must give a pattern for each argument, "
                                   "the first included",
                                   path.s);
      for (; h->args[h->n_args]; h->n_args++)
        if (check_pattern (path.s, h->args[h->n_args], positions, err) < 0)
          return -1;
      for (; h->env[h->n_env]; h->n_env++)
        if (check_pattern (path.s, h->env[h->n_env], positions, err) < 0)
          return -1;
      h->rx = confine_xcalloc (1, sizeof (*h->rx));
    }
  return 0;
}

/* The policy in BUF, every key checked, the hooks' patterns not yet
 * compiled. */
static int
parse_policy (const char *buf, size_t len, confine_policy_t **out, confine_error_t *err)
{
  static const char *const modes[] = { "enforce", "audit", NULL };
  static const char *const unavailable[] = { "reject", "skip", NULL };
  static const char *const copy[] = { "refuse", "allow", NULL };
  static const char *const setid_scopes[] = { "all", "writable_binds", NULL };
  cleanup_json confine_json_t *root = NULL;
  cleanup_policy confine_policy_t *p = NULL;
  cleanup_free char *mode = NULL;
  cleanup_free char *when = NULL;
  cleanup_free char *copy_mode = NULL;
  cleanup_free char *setid_scope = NULL;
  size_t positions = 0;
  const confine_json_t *aa, *sc, *caps, *ns, *masked, *mounts, *inject, *crun, *devices, *hooks,
      *runtimes, *cgroups, *process, *conmon, *authz;
  int r;

  if (confine_json_parse (buf, len, &root, err) < 0)
    return -1;
  if ((r = confine_json_struct (root, "", top_fields, true, err)) < 0)
    return -1;
  if (r == 0)
    return confine_make_error (err, 0, "the policy is not a JSON object");
  p = confine_xcalloc (1, sizeof (*p));

  aa = confine_json_get (root, "apparmor");
  sc = confine_json_get (root, "seccomp");
  caps = confine_json_get (root, "capabilities");
  ns = confine_json_get (root, "namespaces");
  masked = confine_json_get (root, "masked_paths");
  mounts = confine_json_get (root, "mounts");
  inject = confine_json_get (root, "inject");
  crun = confine_json_get (root, "crun");
  devices = confine_json_get (root, "devices");
  hooks = confine_json_get (root, "hooks");
  runtimes = confine_json_get (root, "runtimes");
  cgroups = confine_json_get (root, "cgroups");
  process = confine_json_get (root, "process");
  conmon = confine_json_get (root, "conmon");
  authz = confine_json_get (root, "authz");
  if (confine_json_struct (aa, "apparmor", apparmor_fields, true, err) < 0
      || confine_json_struct (sc, "seccomp", seccomp_fields, true, err) < 0
      || confine_json_struct (caps, "capabilities", caps_fields, true, err) < 0
      || confine_json_struct (ns, "namespaces", ns_fields, true, err) < 0
      || confine_json_struct (masked, "masked_paths", masked_fields, true, err) < 0
      || confine_json_struct (mounts, "mounts", mounts_fields, true, err) < 0
      || confine_json_struct (inject, "inject", inject_fields, true, err) < 0
      || confine_json_struct (crun, "crun", crun_fields, true, err) < 0
      || confine_json_struct (conmon, "conmon", conmon_fields, true, err) < 0
      || confine_json_struct (devices, "devices", devices_fields, true, err) < 0
      || confine_json_struct (hooks, "hooks", hooks_fields, true, err) < 0
      || confine_json_struct (runtimes, "runtimes", runtimes_fields, true, err) < 0
      || confine_json_struct (cgroups, "cgroups", cgroups_fields, true, err) < 0
      || confine_json_struct (process, "process", process_fields, true, err) < 0
      || confine_json_struct (authz, "authz", authz_fields, true, err) < 0)
    return -1;
  if ((r = confine_json_i64 (process, "min_oom_score_adj", "process", &p->min_oom_score_adj, err))
      < 0)
    return -1;
  if (r == 0)
    p->min_oom_score_adj = DEFAULT_MIN_OOM_SCORE_ADJ;
  else if (p->min_oom_score_adj < -1000 || p->min_oom_score_adj > 1000)
    return confine_make_error (err, 0, "`process.min_oom_score_adj`: %lld is not in -1000..1000",
                               (long long) p->min_oom_score_adj);
  /* The kernel's real-time priorities are 1 to 99 (0: none). */
  if (confine_json_u64 (process, "max_rtprio", "process", 99, &p->max_rtprio, err) < 0)
    return -1;

  if (string_or (root, "mode", "", "enforce", &mode, err) < 0
      || (r = enum_of ("mode", mode, modes, err)) < 0)
    return -1;
  p->audit = r == 1;
  if (string_or (root, "securityfs", "", "/sys/kernel/security", &p->securityfs, err) < 0
      || string_or (root, "runtime", "", CONFINE_POLICY_DEFAULT_RUNTIME, &p->runtime, err) < 0
      || string_or (root, "hook_path", "", "/usr/local/libexec/confine/confine-hook",
                    &p->hook_path, err)
             < 0
      || string_or (root, "decision_log", "", NULL, &p->decision_log, err) < 0
      || string_or (root, "cache_dir", "", "/run/confine", &p->cache_dir, err) < 0
      || parse_rules (root, p, err) < 0)
    return -1;

  if (string_or (aa, "when_unavailable", "apparmor", "reject", &when, err) < 0
      || (r = enum_of ("apparmor.when_unavailable", when, unavailable, err)) < 0)
    return -1;
  p->apparmor_skip_when_unavailable = r == 1;
  if (string_or (sc, "setid_scope", "seccomp", "all", &setid_scope, err) < 0
      || (r = enum_of ("seccomp.setid_scope", setid_scope, setid_scopes, err)) < 0)
    return -1;
  p->setid_every_container = r == 0;
  if (string_or (authz, "copy", "authz", "refuse", &copy_mode, err) < 0
      || (r = enum_of ("authz.copy", copy_mode, copy, err)) < 0)
    return -1;
  p->authz_copy_allow = r == 1;
  if (string_or (authz, "docker_root", "authz", "/var/lib/docker", &p->authz_docker_root, err) < 0)
    return -1;
  if (p->authz_docker_root[0] != '/')
    return confine_make_error (err, 0, "`authz.docker_root`: `%s` is not an absolute path",
                               p->authz_docker_root);
  if (strv_or (aa, "allowed_modes", "apparmor", default_allowed_modes,
               &p->apparmor_allowed_modes, err)
          < 0
      || string_or (aa, "default_profile", "apparmor", "confine-default",
                    &p->apparmor_default_profile, err)
             < 0
      || strv_or (aa, "allowed_profiles", "apparmor", default_allowed_profiles,
                  &p->apparmor_allowed_profiles, err)
             < 0
      || string_or (sc, "default_profile", "seccomp",
                    "/etc/confine/profiles/seccomp/default.json", &p->seccomp_default_profile,
                    err)
             < 0
      || strv_or (sc, "must_block", "seccomp", default_must_block, &p->must_block, err) < 0
      || bool_or (sc, "block_namespace_clone", "seccomp", true, &p->block_namespace_clone, err)
             < 0
      || bool_or (sc, "block_device_nodes", "seccomp", true, &p->block_device_nodes, err) < 0
      || bool_or (sc, "block_setid_files", "seccomp", true, &p->block_setid_files, err) < 0
      || strv_or (caps, "forbidden", "capabilities", default_caps_forbidden, &p->caps_forbidden,
                  err)
             < 0
      || strv_or (ns, "required", "namespaces", default_ns_required, &p->namespaces_required,
                  err)
             < 0
      || strv_or (masked, "required", "masked_paths", default_masked_required,
                  &p->masked_paths_required, err)
             < 0
      || strv_or (masked, "readonly_required", "masked_paths", default_readonly_required,
                  &p->readonly_paths_required, err)
             < 0
      || strv_or (mounts, "sensitive", "mounts", default_sensitive, &p->mounts_sensitive, err)
             < 0
      || strv_or (mounts, "sensitive_subtrees", "mounts", default_sensitive_subtrees,
                  &p->mounts_sensitive_subtrees, err)
             < 0
      || strv_or (mounts, "allowed_subtrees", "mounts", default_allowed_subtrees,
                  &p->mounts_allowed_subtrees, err)
             < 0
      || strv_or (mounts, "allowed_types", "mounts", default_allowed_types,
                  &p->mounts_allowed_types, err)
             < 0
      || strv_or (mounts, "readonly_subtrees", "mounts", default_readonly_subtrees,
                  &p->mounts_readonly_subtrees, err)
             < 0
      || strv_or (mounts, "allowed_roots", "mounts", default_allowed_roots,
                  &p->mounts_allowed_roots, err)
             < 0
      || strv_or (mounts, "owner_bundles", "mounts", default_owner_bundles,
                  &p->mounts_owner_bundles, err)
             < 0
      || strv_or (mounts, "owner_annotations", "mounts", default_owner_annotations,
                  &p->mounts_owner_annotations, err)
             < 0
      || strv_or (mounts, "allowed_volume_devices", "mounts", empty_list,
                  &p->mounts_allowed_volume_devices, err)
             < 0
      || strv_or (mounts, "writable_pseudo_filesystems", "mounts", empty_list,
                  &p->mounts_writable_pseudo, err)
             < 0
      || strv_or (mounts, "propagation_subtrees", "mounts", empty_list,
                  &p->mounts_propagation_subtrees, err)
             < 0
      || strv_or (mounts, "allowed_sockets", "mounts", default_allowed_sockets,
                  &p->mounts_allowed_sockets, err)
             < 0
      || bool_or (inject, "seccomp", "inject", true, &p->inject_seccomp, err) < 0
      || bool_or (inject, "seccomp_repair", "inject", true, &p->inject_seccomp_repair, err) < 0
      || bool_or (inject, "apparmor", "inject", true, &p->inject_apparmor, err) < 0
      || bool_or (inject, "no_new_privileges", "inject", false, &p->inject_no_new_privileges, err)
             < 0
      || bool_or (inject, "hook", "inject", true, &p->inject_hook, err) < 0
      || confine_json_strv (crun, "allowed_annotations", "crun", &p->crun_allowed_annotations, err) < 0
      || strv_or (conmon, "allowed_subtrees", "conmon", default_conmon_allowed,
                  &p->conmon_allowed_subtrees, err)
             < 0
      || parse_devices (devices, p, err) < 0 || parse_hooks (hooks, p, &positions, err) < 0
      || strv_or (runtimes, "refused", "runtimes", empty_list, &p->runtimes_refused, err) < 0
      || strv_or (cgroups, "allowed_unified", "cgroups", empty_list, &p->cgroups_allowed_unified,
                  err)
             < 0
      || strv_or (cgroups, "shared_slices", "cgroups", default_shared_slices,
                  &p->cgroups_shared_slices, err)
             < 0
      || parse_exemptions (root, p, &positions, err) < 0)
    return -1;

  for (char **n = p->namespaces_required; *n; n++)
    if (!confine_strv_has ((char *const *) valid_namespaces, *n))
      return confine_make_error (err, 0, "`namespaces.required`: unknown namespace type `%s`", *n);
  for (char **m = p->mounts_sensitive; *m; m++)
    if ((*m)[0] != '/' && (*m)[0] != '*')
      return confine_make_error (err, 0, "`mounts.sensitive`: `%s` is not an absolute path or "
                                 "a pattern", *m);
  for (char **m = p->mounts_sensitive_subtrees; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`mounts.sensitive_subtrees`: `%s` is not an absolute "
                                 "path", *m);
  for (char **m = p->conmon_allowed_subtrees; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`conmon.allowed_subtrees`: `%s` is not an absolute "
                                 "path", *m);
  for (char **m = p->mounts_allowed_subtrees; *m; m++)
    {
      const char *owner = strstr (*m, "/{owner}");
      if ((*m)[0] != '/')
        return confine_make_error (err, 0, "`mounts.allowed_subtrees`: `%s` is not an absolute "
                                   "path", *m);
      if ((strstr (*m, "{owner}") && owner == NULL)
          || (owner && ((owner[8] != '\0' && owner[8] != '/') || strstr (owner + 8, "{owner}"))))
        return confine_make_error (err, 0, "`mounts.allowed_subtrees`: `%s` has `{owner}` other "
                                   "than once as a whole component", *m);
    }
  for (char **m = p->mounts_readonly_subtrees; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`mounts.readonly_subtrees`: `%s` is not an absolute "
                                 "path", *m);
  for (char **m = p->mounts_allowed_roots; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`mounts.allowed_roots`: `%s` is not an absolute "
                                 "path", *m);
  for (char **m = p->mounts_owner_bundles; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`mounts.owner_bundles`: `%s` is not an absolute "
                                 "path", *m);
  for (char **m = p->mounts_propagation_subtrees; *m; m++)
    if ((*m)[0] != '/')
      return confine_make_error (err, 0, "`mounts.propagation_subtrees`: `%s` is not an "
                                 "absolute path", *m);
  for (char **m = p->mounts_allowed_sockets; *m; m++)
    if ((*m)[0] != '/' && (*m)[0] != '*')
      return confine_make_error (err, 0, "`mounts.allowed_sockets`: `%s` is not an absolute "
                                 "path or pattern", *m);
  for (char **m = p->mounts_writable_pseudo; *m; m++)
    if (!confine_strv_has ((char *const *) pseudo_filesystems, *m))
      return confine_make_error (err, 0, "`mounts.writable_pseudo_filesystems`: `%s` is not "
                                 "sysfs, cgroup or cgroup2", *m);
  for (char **k = p->cgroups_allowed_unified; *k; k++)
    if ((*k)[0] == '\0' || strchr (*k, '/') || strcmp (*k, ".") == 0 || strcmp (*k, "..") == 0)
      return confine_make_error (err, 0, "`cgroups.allowed_unified`: `%s` is not the name of a "
                                 "file in the container's cgroup", *k);
  for (char **k = p->cgroups_shared_slices; *k; k++)
    if (strlen (*k) <= strlen (".slice") || strcmp (*k + strlen (*k) - strlen (".slice"), ".slice") != 0
        || strchr (*k, '/'))
      return confine_make_error (err, 0, "`cgroups.shared_slices`: `%s` is not a systemd slice's "
                                 "name", *k);
  for (char **c = p->caps_forbidden; *c; c++)
    {
      /* Checked against libcap's names, not the running kernel's: a
       * capability this kernel lacks cannot be granted anyway. */
      cap_value_t v;
      if (strncmp (*c, "CAP_", 4) != 0 || cap_from_name (*c, &v) != 0 || v < 0 || v > 63)
        return confine_make_error (err, 0, "`capabilities.forbidden`: unknown capability `%s`", *c);
      p->caps_forbidden_mask |= 1ull << v;
    }
  for (char **m = p->apparmor_allowed_modes; *m; m++)
    if (strcmp (*m, "complain") == 0 || strcmp (*m, "unconfined") == 0)
      return confine_make_error (err, 0,
                                 "`apparmor.allowed_modes`: `%s` does not confine anything", *m);
  if (p->securityfs[0] != '/')
    return confine_make_error (err, 0, "`securityfs`: `%s` is not an absolute path", p->securityfs);

  confine_sha256_hex (buf, len, p->sha256);
  *out = steal_pointer (&p);
  return 0;
}

int
confine_policy_parse (const char *buf, size_t len, confine_policy_t **out, confine_error_t *err)
{
  if (parse_policy (buf, len, out, err) < 0)
    return -1;
  if (compile_hooks (*out, err) < 0)
    {
      confine_policy_free (steal_pointer (out));
      return -1;
    }
  return 0;
}

/* Are the hooks' patterns known to compile? Compiling them all costs a
 * container start more than a fifth of a millisecond (glibc builds an
 * automaton of a few pages for each, and Docker's entry matches a
 * 64-digit id), while a hook reaches one entry at most. So the first load
 * of a policy file compiles every pattern, refusing the policy if one
 * does not compile, and records in the cache directory that this build
 * compiled these exact patterns; later loads believe the record and
 * compile an entry when a hook first reaches it. The record is trusted
 * as the seccomp verdicts beside it are (a root-only directory, checked);
 * if it lied, the entry's compile would fail when used and refuse that
 * container, never allow it. */
static int
check_hook_patterns (const confine_policy_t *p, confine_error_t *err)
{
  cleanup_error confine_error_t cache_err = NULL;
  unsigned char digest[32];
  confine_cache_key_t key;
  confine_sha256_t c;

  confine_sha256_init (&c);
  confine_sha256_update (&c, &(uint64_t){ p->n_hooks_allowed }, sizeof (uint64_t));
  for (size_t i = 0; i < p->n_hooks_allowed; i++)
    {
      const confine_hook_allow_t *h = &p->hooks_allowed[i];
      char *const *lists[] = { h->args, h->env };
      for (size_t l = 0; l < 2; l++)
        {
          uint64_t n = l == 0 ? h->n_args : h->n_env;
          confine_sha256_update (&c, &n, sizeof (n));
          for (char *const *s = lists[l]; *s; s++)
            {
              n = strlen (*s);
              confine_sha256_update (&c, &n, sizeof (n));
              confine_sha256_update (&c, *s, n);
            }
        }
    }
  confine_sha256_final (&c, digest);
  confine_cache_fact_key ("hooks.allowed patterns compile", digest, &key);
  if (confine_cache_fact_get (p->cache_dir, &key))
    return 0;
  if (compile_hooks (p, err) < 0)
    return -1;
  confine_cache_fact_put (p->cache_dir, &key, &cache_err);
  return 0;
}

int
confine_policy_load (const char *path, bool check_owner, confine_policy_t **out,
                     confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;
  int r = check_owner ? confine_read_trusted_file (path, CONFINE_POLICY_MAX_BYTES, &buf, &len, err)
                      : confine_read_file (path, CONFINE_POLICY_MAX_BYTES, &buf, &len, err);

  if (r < 0 || parse_policy (buf, len, out, err) < 0)
    return confine_error_wrap (err, "policy `%s`", path);
  if (check_hook_patterns (*out, err) < 0)
    {
      confine_policy_free (steal_pointer (out));
      return confine_error_wrap (err, "policy `%s`", path);
    }
  /* The hooks rule knows confine's own hook by the policy it names. */
  if (((*out)->path = realpath (path, NULL)) == NULL)
    {
      r = confine_make_error (err, errno, "policy `%s`", path);
      confine_policy_free (steal_pointer (out));
      return r;
    }
  return 0;
}

int
confine_policy_runtime (const char *path, char *out, size_t size, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  cleanup_policy confine_policy_t *p = NULL;
  size_t len = 0;
  const char *rt;
  int r;

  if (confine_read_trusted_file (path, CONFINE_POLICY_MAX_BYTES, &buf, &len, err) < 0)
    return confine_error_wrap (err, "policy `%s`", path);
  r = confine_json_peek_string (buf, len, "runtime", out, size);
  if (r > 0)
    return 0;
  if (r < 0 && confine_policy_parse (buf, len, &p, err) < 0)
    return confine_error_wrap (err, "policy `%s`", path);
  rt = p ? p->runtime : CONFINE_POLICY_DEFAULT_RUNTIME;
  if (strlen (rt) >= size)
    return confine_make_error (err, ENAMETOOLONG, "policy `%s`: `runtime`", path);
  memcpy (out, rt, strlen (rt) + 1);
  return 0;
}

void
confine_policy_free (confine_policy_t *p)
{
  if (p == NULL)
    return;
  free (p->path);
  free (p->securityfs);
  free (p->runtime);
  free (p->hook_path);
  free (p->decision_log);
  free (p->cache_dir);
  free (p->authz_docker_root);
  confine_free_strv (p->apparmor_allowed_modes);
  free (p->apparmor_default_profile);
  confine_free_strv (p->apparmor_allowed_profiles);
  free (p->seccomp_default_profile);
  confine_free_strv (p->must_block);
  confine_free_strv (p->caps_forbidden);
  confine_free_strv (p->namespaces_required);
  confine_free_strv (p->masked_paths_required);
  confine_free_strv (p->readonly_paths_required);
  confine_free_strv (p->mounts_sensitive);
  confine_free_strv (p->mounts_sensitive_subtrees);
  confine_free_strv (p->mounts_allowed_subtrees);
  confine_free_strv (p->mounts_allowed_types);
  confine_free_strv (p->crun_allowed_annotations);
  confine_free_strv (p->conmon_allowed_subtrees);
  confine_free_strv (p->mounts_readonly_subtrees);
  confine_free_strv (p->runtimes_refused);
  confine_free_strv (p->cgroups_allowed_unified);
  confine_free_strv (p->cgroups_shared_slices);
  confine_free_strv (p->mounts_allowed_roots);
  confine_free_strv (p->mounts_owner_bundles);
  confine_free_strv (p->mounts_owner_annotations);
  confine_free_strv (p->mounts_allowed_volume_devices);
  confine_free_strv (p->mounts_writable_pseudo);
  confine_free_strv (p->mounts_propagation_subtrees);
  confine_free_strv (p->mounts_allowed_sockets);
  free (p->devices_allowed);
  free (p->devices_strip);
  for (size_t i = 0; i < p->n_hooks_allowed; i++)
    {
      confine_hook_allow_t *h = &p->hooks_allowed[i];
      free (h->path);
      confine_free_strv (h->args);
      confine_free_strv (h->env);
      if (h->rx && h->rx->compiled)
        {
          free_rx (h->rx->args, h->n_args);
          free_rx (h->rx->env, h->n_env);
        }
      free (h->rx);
    }
  free (p->hooks_allowed);
  for (size_t i = 0; i < p->n_exemptions; i++)
    {
      confine_free_strv (p->exemptions[i].rules);
      free (p->exemptions[i].id);
      if (p->exemptions[i].id_rx)
        regfree (p->exemptions[i].id_rx);
      free (p->exemptions[i].id_rx);
      for (size_t j = 0; j < p->exemptions[i].n_annotations; j++)
        {
          regfree (&p->exemptions[i].key_rx[j]);
          regfree (&p->exemptions[i].value_rx[j]);
        }
      free (p->exemptions[i].key_rx);
      free (p->exemptions[i].value_rx);
      confine_free_strv (p->exemptions[i].annotation_keys);
      confine_free_strv (p->exemptions[i].annotation_values);
      free (p->exemptions[i].comment);
    }
  free (p->exemptions);
  free (p);
}

void
confine_cleanup_policyp (confine_policy_t **p)
{
  confine_policy_free (*p);
}
