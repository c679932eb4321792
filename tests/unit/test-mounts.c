/* SPDX-License-Identifier: Apache-2.0 */
/* The mounts rule on every way a spec names a host path, one row per
 * case: a host set up by the test (links, files, a listening socket), a
 * bind source, root.path or filesystem mount, and the verdict with a
 * fragment of its reason. `@` in a row is the test's directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/hostpath.h"
#include "../../src/mounts.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

/* The reason a snapshot pattern's match that is not the container's own
 * is refused with. */
#define OWN_ROOT "is not this container's own snapshot"

enum kind
{
  BIND,
  ROOT,
  FS, /* a filesystem mount of type SOURCE */
  PROPAGATION, /* linux.rootfsPropagation SOURCE */
  ROOTBIND,    /* a bind of SOURCE with root.path @/data */
  PRIVATEBIND, /* a bind of SOURCE with linux.rootfsPropagation rprivate */
};

static const struct
{
  const char *name;
  enum kind kind;
  const char *source;  /* bind source, root.path or filesystem type */
  const char *options; /* comma-separated */
  const char *policy;  /* extra policy JSON, or NULL */
  confine_result_kind_t want;
  const char *fact;
} cases[] = {
  /* Positive controls. */
  { "an ordinary data directory passes", BIND, "@/data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "a home project directory passes", BIND, "/home/someone/project", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a relative source inside the bundle passes", BIND, "data", NULL, NULL, CONFINE_RESULT_PASS,
    NULL },
  /* The host itself. */
  { "binding / is refused", BIND, "/", NULL, NULL, CONFINE_RESULT_FAIL, "exposes the host's `/`" },
  { "binding /etc is refused", BIND, "/etc", NULL, NULL, CONFINE_RESULT_FAIL,
    "(/etc) exposes the host's `/etc`" },
  { "binding inside /etc is refused", BIND, "/etc/cron.d", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/etc`" },
  { "a path with .. and . is cleaned before comparing", BIND, "/usr/../etc/./", NULL, NULL,
    CONFINE_RESULT_FAIL, "(/etc) exposes" },
  /* Principle 2: resolved as the kernel will, never guessed. */
  { "a link whose missing tail is under /etc is followed", BIND, "@/link/sub", NULL, NULL,
    CONFINE_RESULT_FAIL, "(/etc/sub) is inside the host's `/etc`" },
  { "a dangling link into /etc is followed", BIND, "@/dangling", NULL, NULL, CONFINE_RESULT_FAIL,
    "(/etc/confine-test-missing) is inside the host's `/etc`" },
  { "a dangling link with a missing tail is followed", BIND, "@/dangling/a/../b", NULL, NULL,
    CONFINE_RESULT_FAIL, "(/etc/confine-test-missing/b) is inside" },
  { "a relative link is followed from its directory", BIND, "@/rel/x", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/etc`" },
  { "a link loop is refused", BIND, "@/loop", NULL, NULL, CONFINE_RESULT_FAIL,
    "Too many levels of symbolic links" },
  { "a path through a file is refused", BIND, "@/file/x", NULL, NULL, CONFINE_RESULT_FAIL,
    "Not a directory" },
  { "a component longer than NAME_MAX is refused", BIND, "@/LONG", NULL, NULL,
    CONFINE_RESULT_FAIL, "File name too long" },
  { "a /proc magic link is refused", BIND, "/proc/self/root/srv", NULL, NULL, CONFINE_RESULT_FAIL,
    "is a /proc link into another process's view" },
  { "a relative source is cleaned as Go does before links are followed", BIND,
    "missing/../hostetc", NULL, NULL, CONFINE_RESULT_FAIL, "(/etc) exposes" },
  /* Principle 4: is or contains, for every kind of entry. */
  { "binding /run reaches the engine sockets", BIND, "/run", NULL, NULL, CONFINE_RESULT_FAIL,
    "exposes the host's" },
  { "binding /var/run (a link to /run) is refused", BIND, "/var/run", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's" },
  { "binding /run/dbus exposes the system bus", BIND, "/run/dbus", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/run/dbus/system_bus_socket`" },
  { "binding /run/systemd exposes systemd's private socket", BIND, "/run/systemd", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/run/systemd/private`" },
  { "binding the journal's directory read-only passes", BIND, "/run/systemd/journal",
    "ro,rprivate", NULL, CONFINE_RESULT_PASS, NULL },
  /* Writable, the container replaces dev-log and gets the host's syslog. */
  { "binding the journal's directory writable is refused", BIND, "/run/systemd/journal",
    "rprivate", NULL, CONFINE_RESULT_FAIL,
    "is writable inside the host's `/run/systemd/journal`" },
  { "binding /run/user exposes every user's runtime", BIND, "/run/user", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/run/user`" },
  { "a user's sound socket passes", BIND, "/run/user/1000/pulse", NULL, NULL, CONFINE_RESULT_PASS,
    NULL },
  { "the kubelet's directory is refused", BIND, "/var/lib/kubelet", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/var/lib/kubelet`" },
  { "the kubelet's device plugin sockets are refused", BIND, "/var/lib/kubelet/device-plugins",
    NULL, NULL, CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/kubelet`" },
  { "a pod's volume bound by a container no engine put in a pod is refused", BIND,
    "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/v", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "(policy mounts.owner_bundles)" },
  { "etcd's data is refused", BIND, "/var/lib/etcd", NULL, NULL, CONFINE_RESULT_FAIL,
    "`/var/lib/etcd`" },
  { "CNI plugins, run as root, are refused", BIND, "/opt/cni/bin", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/opt/cni`" },
  { "Docker's plugin sockets are refused", BIND, "/run/docker/plugins", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/docker`" },
  { "a directory holding docker.sock is refused", BIND, "@/shallow", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds `@/shallow/docker.sock` (policy pattern `*/docker.sock`)" },
  { "a directory holding a listening docker.sock deep down is refused", BIND, "@/deep", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds `@/deep/a/b/docker.sock`" },
  { "the socket itself is refused", BIND, "@/deep/a/b/docker.sock", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `*/docker.sock`" },
  /* Daemons that act for any uid-0 client (snapd installs a snap, LXD,
   * Incus and tailscaled run what they are asked as root). */
  { "a directory holding snapd's socket is refused", BIND, "@/snap", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds `@/snap/snapd.socket` (policy pattern `*/snapd.socket`)" },
  { "LXD's socket directory is refused", BIND, "@/lxdhome/lxd", NULL, NULL, CONFINE_RESULT_FAIL,
    "holds `@/lxdhome/lxd/unix.socket` (policy pattern `*/lxd/unix.socket`)" },
  { "tailscaled's socket itself is refused", BIND, "@/ts/tailscaled.sock", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `*/tailscaled.sock`" },
  { "a unix.socket of another daemon nobody listens on passes", BIND, "@/other", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  /* Any socket a host process listens on, whatever its name: root's
   * tmux trusts any uid-0 peer, and the container's root is one (red
   * team F10). */
  { "a directory holding a socket a host process listens on is refused", BIND, "@/listen", NULL,
    NULL, CONFINE_RESULT_FAIL,
    "holds `@/listen/tmux-0/default` (a socket a host process listens on, which "
    "mounts.allowed_sockets does not list) (policy mounts.allowed_sockets)" },
  { "the listening socket itself is refused", BIND, "@/listen/tmux-0/default", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds `@/listen/tmux-0/default`" },
  { "a listening socket mounts.allowed_sockets lists passes", BIND, "@/listen", NULL,
    "\"mounts\": {\"allowed_sockets\": [\"*/tmux-0/default\"]}", CONFINE_RESULT_PASS, NULL },
  { "an allowed_sockets entry for another socket does not pass it", BIND, "@/listen", NULL,
    "\"mounts\": {\"allowed_sockets\": [\"*/tmux-0/other\"]}", CONFINE_RESULT_FAIL,
    "holds `@/listen/tmux-0/default`" },
  { "a directory holding a bound datagram socket is refused", BIND, "@/dgram", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds `@/dgram/log`" },
  { "a socket file whose socket was closed passes", BIND, "@/stale", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a file bind beside a listening socket passes", BIND, "@/listen/file", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  /* What Podman 4.3 (and CRI-O, on the same containers/storage) binds,
   * as captured with --storage-driver vfs and overlay. */
  { "Podman's hosts file (vfs) passes", BIND,
    "/run/containers/storage/vfs-containers/523c/userdata/hosts", "rprivate", NULL,
    CONFINE_RESULT_PASS,
    NULL },
  { "Podman's /dev/shm (vfs) passes", BIND,
    "/var/lib/containers/storage/vfs-containers/523c/userdata/shm", "rprivate", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "Podman's hosts file (overlay) passes", BIND,
    "/run/containers/storage/overlay-containers/523c/userdata/hosts", "rprivate", NULL,
    CONFINE_RESULT_PASS, NULL },
  /* Never a container's userdata: Podman's and CRI-O's bundle, whose
   * config.json runc reads after the judgement (red team 3 F-04). */
  { "a Podman container's userdata (its bundle) is refused", BIND,
    "/var/lib/containers/storage/vfs-containers/523c/userdata", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/containers`" },
  { "a Podman container's config.json is refused", BIND,
    "/var/lib/containers/storage/overlay-containers/523c/userdata/config.json", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/containers`" },
  { "a Podman container's directory is refused", BIND,
    "/var/lib/containers/storage/overlay-containers/523c", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/containers`" },
  { "a CRI-O container's bundle is refused", BIND,
    "/run/containers/storage/overlay-containers/523c/userdata", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/containers`" },
  { "conmon's pidfile is refused", BIND,
    "/run/containers/storage/vfs-containers/523c/userdata/conmon.pid", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/containers`" },
  { "Podman's secrets (vfs) pass", BIND,
    "/var/lib/containers/storage/vfs-containers/523c/userdata/secrets/mysec", "rprivate", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "Podman's .containerenv (overlay) passes", BIND,
    "/run/containers/storage/overlay-containers/523c/userdata/.containerenv", "rprivate", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "Podman's whole storage is refused", BIND, "/var/lib/containers/storage", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/containers`" },
  /* A bind is the host's inode: writable, the container's root chmods
   * the host's /dev/null (red team 3 F-06). */
  { "the host's /dev/null read-only passes", BIND, "/dev/null", "ro", NULL, CONFINE_RESULT_PASS,
    NULL },
  { "the host's /dev/null writable is refused", BIND, "/dev/null", "rprivate", NULL,
    CONFINE_RESULT_FAIL, "is writable and is the host's device node `/dev/null` (c 1:3)" },
  { "a host disk is refused", BIND, "/dev/vda", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/dev`" },
  { "an engine's snapshot is no bind source", BIND, "/var/lib/docker/overlay2/abc/merged", NULL,
    NULL, CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/docker`" },
  /* The host's code: shared read-only, never writable. */
  { "a read-only bind of a host library passes", BIND, "/usr/lib/x86_64-linux-gnu", "ro", NULL, CONFINE_RESULT_PASS,
    NULL },
  { "a writable bind of a host library is refused", BIND, "/usr/lib/x86_64-linux-gnu", NULL, NULL,
    CONFINE_RESULT_FAIL, "(/usr/lib/x86_64-linux-gnu) is writable inside the host's `/usr` (policy "
                         "mounts.readonly_subtrees)" },
  { "a writable bind of /usr/local/bin is refused", BIND, "/usr/local/bin", "rw", NULL,
    CONFINE_RESULT_FAIL, "is writable inside the host's `/usr`" },
  /* kubelet's pod logs, which it reads as root following links. */
  { "a read-only bind of /var/log passes", BIND, "/var/log", "ro", NULL, CONFINE_RESULT_PASS,
    NULL },
  { "a writable bind of /var/log, which holds kubelet's pod logs, is refused", BIND, "/var/log",
    "rw", NULL, CONFINE_RESULT_FAIL, "is writable and holds the host's `/var/log/pods`" },
  { "a writable bind inside /var/log/containers is refused", BIND,
    "/var/log/containers/web_default_app-0a1b.log", "rw", NULL, CONFINE_RESULT_FAIL,
    "is writable inside the host's `/var/log/containers`" },
  { "a writable bind of another log directory passes", BIND, "/var/log/apt", "rw", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "root's crontabs are refused", BIND, "/var/spool/cron/crontabs", "ro", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/spool/cron`" },
  /* The gate's own paths, sensitive whatever the lists say (red team 3
   * F-07, F-08): a container's root writes them as uid 0. */
  { "binding the gate's cache_dir is refused", BIND, "/run/confine", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/run/confine` (policy cache_dir)" },
  { "a bind inside the gate's cache_dir is refused, even read-only", BIND,
    "/run/confine/containers", "ro", NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/confine` (policy cache_dir)" },
  { "a cache_dir moved elsewhere is sensitive there", BIND, "/srv/gate/cache/x", NULL,
    "\"cache_dir\": \"/srv/gate/cache\"", CONFINE_RESULT_FAIL,
    "is inside the host's `/srv/gate/cache` (policy cache_dir)" },
  { "a writable bind holding a moved cache_dir is refused", BIND, "/srv/gate", NULL,
    "\"cache_dir\": \"/srv/gate/cache\"", CONFINE_RESULT_FAIL,
    "holds the host's `/srv/gate/cache` (policy cache_dir)" },
  { "a directory beside a moved cache_dir passes", BIND, "/srv/gate/data", NULL,
    "\"cache_dir\": \"/srv/gate/cache\"", CONFINE_RESULT_PASS, NULL },
  { "the old cache_dir is no longer the gate's", BIND, "/run/confine", NULL,
    "\"cache_dir\": \"/srv/gate/cache\"", CONFINE_RESULT_PASS, NULL },
  { "a writable /var/log holding the decision log is refused", BIND, "/var/log", NULL,
    "\"decision_log\": \"/var/log/confine/decisions.log\"", CONFINE_RESULT_FAIL,
    "holds the host's `/var/log/confine/decisions.log` (policy decision_log)" },
  { "a read-only /var/log holding the decision log passes", BIND, "/var/log", "ro",
    "\"decision_log\": \"/var/log/confine/decisions.log\"", CONFINE_RESULT_PASS, NULL },
  { "the decision log itself is refused, even read-only", BIND,
    "/var/log/confine/decisions.log", "ro", "\"decision_log\": \"/var/log/confine/decisions.log\"",
    CONFINE_RESULT_FAIL, "exposes the host's `/var/log/confine/decisions.log`" },
  { "a decision log moved elsewhere is sensitive there", BIND, "/srv/audit", NULL,
    "\"decision_log\": \"/srv/audit/decisions.log\"", CONFINE_RESULT_FAIL,
    "holds the host's `/srv/audit/decisions.log` (policy decision_log)" },
  { "a directory beside a moved decision log passes", BIND, "/srv/audit-other", NULL,
    "\"decision_log\": \"/srv/audit/decisions.log\"", CONFINE_RESULT_PASS, NULL },
  { "a writable bind holding hook_path is refused", BIND, "/srv/gate", NULL,
    "\"hook_path\": \"/srv/gate/bin/confine-hook\"", CONFINE_RESULT_FAIL,
    "holds the host's `/srv/gate/bin/confine-hook` (policy hook_path)" },
  { "a read-only bind holding hook_path passes", BIND, "/srv/gate", "ro",
    "\"hook_path\": \"/srv/gate/bin/confine-hook\"", CONFINE_RESULT_PASS, NULL },
  { "a writable bind holding the default seccomp profile is refused", BIND, "/srv/prof", NULL,
    "\"seccomp\": {\"default_profile\": \"/srv/prof/default.json\"}", CONFINE_RESULT_FAIL,
    "holds the host's `/srv/prof/default.json` (policy seccomp.default_profile)" },
  /* Trees root reads as instructions (red team 3 F-09..F-12). */
  { "runc's default state root is refused (Podman's, CRI-O's)", BIND, "/run/runc", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/runc`" },
  { "a container's runc state is refused", BIND, "/run/runc/abc", "ro", NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/runc`" },
  { "crun's default state root is refused", BIND, "/run/crun", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/crun`" },
  { "containerd's opt bin (first on the shims' PATH) is refused", BIND, "/opt/containerd/bin",
    NULL, NULL, CONFINE_RESULT_FAIL, "is inside the host's `/opt/containerd`" },
  { "containerd's opt lib (on the shims' LD_LIBRARY_PATH) is refused", BIND,
    "/opt/containerd/lib", "ro", NULL, CONFINE_RESULT_FAIL, "is inside the host's `/opt/containerd`" },
  { "a directory in /opt beside containerd's passes read-only", BIND, "/opt/myapp", "ro", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a writable directory in /opt (root-run agents' code) is refused", BIND, "/opt/agent/bin/..",
    NULL, NULL, CONFINE_RESULT_FAIL, "is writable inside the host's `/opt`" },
  { "k3s's containerd state (its task bundles) is refused", BIND,
    "/run/k3s/containerd/io.containerd.runtime.v2.task", "ro", NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/k3s`" },
  { "k3s's and RKE2's binaries and keys are refused", BIND, "/var/lib/rancher/k3s/data", "ro",
    NULL, CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/rancher`" },
  { "modprobe's runtime configuration is refused", BIND, "/run/modprobe.d", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/modprobe.d`" },
  { "tmpfiles.d in /run is refused", BIND, "/run/tmpfiles.d", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/tmpfiles.d`" },
  { "sysctl.d in /run is refused", BIND, "/run/sysctl.d", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/sysctl.d`" },
  { "binfmt.d in /run is refused", BIND, "/run/binfmt.d", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/binfmt.d`" },
  { "modules-load.d in /run is refused", BIND, "/run/modules-load.d", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/modules-load.d`" },
  { "the exitrd systemd-shutdown runs is refused", BIND, "/run/initramfs", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/initramfs`" },
  { "sysusers.d in /run is refused", BIND, "/run/sysusers.d", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/sysusers.d`" },
  { "root's user manager's units are refused", BIND, "/run/user/0/systemd", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/user/0`" },
  { "resolvconf's resolv.conf is refused", BIND, "/run/resolvconf", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/run/resolvconf`" },
  { "sudo's timestamps are refused", BIND, "/run/sudo/ts", "ro", NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/sudo`" },
  { "a writable bind of udev's rules is refused", BIND, "/run/udev/rules.d", NULL, NULL,
    CONFINE_RESULT_FAIL, "is writable inside the host's `/run/udev`" },
  { "a read-only bind of libudev's device database passes", BIND, "/run/udev/data", "ro", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "cloud-init's scripts are refused", BIND, "/var/lib/cloud/scripts/per-boot", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/cloud`" },
  { "apt's cached packages are refused", BIND, "/var/cache/apt/archives", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/cache/apt`" },
  { "a service's data in /var/lib passes", BIND, "/var/lib/mysql", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a cache in /var/cache beside apt's passes", BIND, "/var/cache/myapp", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a plain host directory passes", BIND, "/srv/x", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  /* Principle 1: root.path is a host path like a bind source. */
  { "a root filesystem in the test's directory passes", ROOT, "@/data", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a relative root is the bundle's", ROOT, "data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  /* Podman's --rootfs makes any host directory the root (red team 4 F-05). */
  { "a root filesystem holding a socket a host process listens on is refused", ROOT,
    "@/listen", NULL, NULL, CONFINE_RESULT_FAIL,
    "root filesystem `@/listen` (@/listen) holds `@/listen/tmux-0/default` (a socket a host "
    "process listens on" },
  { "the host's / as root is refused", ROOT, "/", NULL, NULL, CONFINE_RESULT_FAIL,
    "root filesystem `/` (/) exposes the host's `/`" },
  { "the host's /etc as root is refused", ROOT, "/etc", NULL, NULL, CONFINE_RESULT_FAIL,
    "exposes the host's `/etc`" },
  { "Docker's whole state as root is refused", ROOT, "/var/lib/docker", NULL, NULL,
    CONFINE_RESULT_FAIL, "exposes the host's `/var/lib/docker`" },
  { "a relative root climbing to /etc is refused", ROOT, "../../../../../../../../etc", NULL, NULL,
    CONFINE_RESULT_FAIL, "(/etc) exposes" },
  { "a root that is a link to /etc is refused", ROOT, "@/hostetc", NULL, NULL, CONFINE_RESULT_FAIL,
    "(/etc) exposes" },
  { "Docker's overlay2 root of no recorded container is refused", ROOT, "/var/lib/docker/overlay2/abc/merged", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Docker's vfs root of no recorded container is refused", ROOT, "/var/lib/docker/vfs/dir/abc", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "containerd's task rootfs of another id is refused", ROOT,
    "/run/containerd/io.containerd.runtime.v2.task/moby/abc/rootfs", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Podman's and CRI-O's overlay root of no recorded container is refused", ROOT,
    "/var/lib/containers/storage/overlay/abc/merged", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Podman's vfs root of no recorded container is refused", ROOT, "/var/lib/containers/storage/vfs/dir/abc", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Docker's devicemapper root of no recorded container is refused", ROOT, "/var/lib/docker/devicemapper/mnt/abc/rootfs",
    NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Docker's devicemapper mount itself is no root", ROOT,
    "/var/lib/docker/devicemapper/mnt/abc", NULL, NULL, CONFINE_RESULT_FAIL,
    "mounts.allowed_roots" },
  { "Docker's aufs root of no recorded container is refused", ROOT, "/var/lib/docker/aufs/mnt/abc", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Podman's zfs root of no recorded container is refused", ROOT, "/var/lib/containers/storage/zfs/graph/abc", NULL, NULL,
    CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Podman's devicemapper root of no recorded container is refused", ROOT,
    "/var/lib/containers/storage/devicemapper/mnt/abc/rootfs", NULL, NULL, CONFINE_RESULT_FAIL,
    OWN_ROOT },
  { "every aufs mount at once is no root", ROOT, "/var/lib/docker/aufs/mnt", NULL, NULL,
    CONFINE_RESULT_FAIL, "mounts.allowed_roots" },
  { "a whole layer directory is no root", ROOT, "/var/lib/docker/overlay2/abc", NULL, NULL,
    CONFINE_RESULT_FAIL, "is inside the host's `/var/lib/docker`" },
  { "containerd's namespace directory is no root", ROOT,
    "/run/containerd/io.containerd.runtime.v2.task/k8s.io", NULL, NULL, CONFINE_RESULT_FAIL,
    "is inside the host's `/run/containerd`" },
  { "an engine's snapshot outside allowed_roots is refused", ROOT,
    "/var/lib/docker/overlay2/abc/merged", NULL, "\"mounts\":{\"allowed_roots\":[]}",
    CONFINE_RESULT_FAIL, "(policy mounts.allowed_roots)" },
  /* Principle 7: sysfs and cgroup read-only. */
  { "a read-only sysfs passes", FS, "sysfs", "nosuid,ro", NULL, CONFINE_RESULT_PASS, NULL },
  { "a writable sysfs is refused", FS, "sysfs", "nosuid", NULL, CONFINE_RESULT_FAIL,
    "sysfs mount at `/sys` is not read-only" },
  { "a later rw undoes ro", FS, "sysfs", "ro,rw", NULL, CONFINE_RESULT_FAIL, "not read-only" },
  { "a later ro wins", FS, "sysfs", "rw,ro", NULL, CONFINE_RESULT_PASS, NULL },
  { "a writable cgroup is refused", FS, "cgroup", "nosuid", NULL, CONFINE_RESULT_FAIL,
    "cgroup mount at `/sys` is not read-only (policy mounts.writable_pseudo_filesystems)" },
  { "a writable cgroup2 is refused", FS, "cgroup2", "nosuid", NULL, CONFINE_RESULT_FAIL,
    "not read-only" },
  { "writable_pseudo_filesystems lets a writable cgroup pass", FS, "cgroup", "nosuid",
    "\"mounts\":{\"writable_pseudo_filesystems\":[\"cgroup\"]}", CONFINE_RESULT_PASS, NULL },
  { "a writable tmpfs passes", FS, "tmpfs", "nosuid", NULL, CONFINE_RESULT_PASS, NULL },
  /* Options as runc 1.1 reads them (specconv's tables). */
  { "a remount of what is at the destination is refused", FS, "tmpfs", "remount,rw", NULL,
    CONFINE_RESULT_FAIL, "`remount` option, which changes whatever is already mounted there" },
  { "a bind remount is refused", BIND, "@/data", "remount", NULL, CONFINE_RESULT_FAIL,
    "`remount` option" },
  { "rrw makes a read-only bind of a host library writable", BIND, "/usr/lib/x86_64-linux-gnu",
    "ro,rrw", NULL, CONFINE_RESULT_FAIL, "is writable inside the host's `/usr`" },
  { "rrw wins over rro", BIND, "/usr/lib/x86_64-linux-gnu", "rro,rrw", NULL,
    CONFINE_RESULT_FAIL, "is writable inside" },
  { "rro makes a bind read-only", BIND, "/usr/lib/x86_64-linux-gnu", "rro", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "rro does nothing on a sysfs, which runc never gives it", FS, "sysfs", "rro", NULL,
    CONFINE_RESULT_FAIL, "not read-only" },
  { "Docker's /dev tmpfs data passes", FS, "tmpfs", "nosuid,strictatime,mode=755,size=65536k",
    NULL, CONFINE_RESULT_PASS, NULL },
  { "Podman's tmpcopyup and propagation pass", FS, "tmpfs", "rprivate,tmpcopyup,nr_inodes=10",
    NULL, CONFINE_RESULT_PASS, NULL },
  { "an unknown word is filesystem data and refused", FS, "tmpfs", "X-mount.mkdir", NULL,
    CONFINE_RESULT_FAIL, "option `X-mount.mkdir`, which runc passes to the filesystem as data" },
  { "`defaults` is data to runc", FS, "sysfs", "ro,defaults", NULL, CONFINE_RESULT_FAIL,
    "option `defaults`" },
  { "cgroup2 takes no data: it would set the host's hierarchy flags", FS, "cgroup2",
    "ro,nsdelegate", NULL, CONFINE_RESULT_FAIL, "option `nsdelegate`" },
  { "a bind's data is ignored by the kernel", BIND, "@/data", "X-mount.mkdir", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "rootfsPropagation rslave passes", PROPAGATION, "rslave", NULL, NULL, CONFINE_RESULT_PASS,
    NULL },
  { "rootfsPropagation rprivate passes", PROPAGATION, "rprivate", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
  { "rootfsPropagation shared is refused", PROPAGATION, "shared", NULL, NULL,
    CONFINE_RESULT_FAIL, "a mount runc makes inside a bind appears on the host" },
  { "rootfsPropagation slave leaves submounts peers and is refused", PROPAGATION, "slave", NULL,
    NULL, CONFINE_RESULT_FAIL, "`slave`" },
  /* Propagation into a running container (found-30): a bind that stays
   * a slave or peer of the host's mount receives what an engine mounts
   * later below an engine's tree at any API user's request. */
  { "a volume bound rprivate (Docker's default) passes", BIND, "/var/lib/docker/volumes/Y/_data",
    "rprivate", NULL, CONFINE_RESULT_PASS, NULL },
  { "a volume bound rslave receives later host mounts and is refused", BIND,
    "/var/lib/docker/volumes/Y/_data", "rslave", NULL, CONFINE_RESULT_FAIL,
    "receives the mounts the host makes later below it (propagation of its options or runc's "
    "default rslave) in `/var/lib/docker/volumes`, where an engine mounts what an API user asks "
    "for into the running container (use rprivate) (policy mounts.propagation_subtrees)" },
  { "a volume bound rshared is refused", BIND, "/var/lib/docker/volumes/Y/_data", "rshared",
    NULL, CONFINE_RESULT_FAIL, "(policy mounts.propagation_subtrees)" },
  /* Docker writes no word for a named volume (`-v Y:/x`): its data
   * directory, where the engine mounts only as a container starts using it. */
  { "a named volume's data with no propagation word passes", BIND,
    "/var/lib/docker/volumes/Y/_data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "a directory below a volume's data with no propagation word keeps runc's rslave and is "
    "refused", BIND, "/var/lib/docker/volumes/Y/_data/sub", NULL, NULL, CONFINE_RESULT_FAIL,
    "(policy mounts.propagation_subtrees)" },
  { "the last propagation word wins: rslave after rprivate is refused", BIND,
    "/var/lib/docker/volumes/Y/_data", "rprivate,slave", NULL, CONFINE_RESULT_FAIL,
    "(policy mounts.propagation_subtrees)" },
  { "a non-recursive private rbind leaves its submounts slaves and is refused", BIND,
    "/var/lib/docker/volumes/Y/_data", "rslave,private", NULL, CONFINE_RESULT_FAIL,
    "(policy mounts.propagation_subtrees)" },
  { "runbindable stops propagation and passes", BIND, "/var/lib/docker/volumes/Y/_data",
    "rslave,runbindable", NULL, CONFINE_RESULT_PASS, NULL },
  { "a bind around an engine's tree receiving propagation is refused", BIND,
    "/var/lib/containers/storage", "rslave,ro", NULL, CONFINE_RESULT_FAIL, NULL },
  /* found-76: outside the engines' trees the host mounts there later
   * (a build tool's chroot proc): an asked-for word is refused too. */
  { "a bind outside the engines' trees asking rslave is refused", BIND, "@/data", "rslave", NULL,
    CONFINE_RESULT_FAIL, "receives the mounts the host makes later below it (propagation "
    "`rslave`), which reach the running container unjudged (use rprivate) (policy "
    "mounts.propagation_subtrees)" },
  { "a bind outside the engines' trees asking rshared is refused", BIND, "@/data", "rw,rshared",
    NULL, CONFINE_RESULT_FAIL, "(propagation `rshared`)" },
  { "a non-recursive private rbind outside the engines' trees is refused", BIND, "@/data",
    "rslave,private", NULL, CONFINE_RESULT_FAIL, "(propagation `private`)" },
  { "a bind asking rslave below mounts.propagation_subtrees passes", BIND, "/srv/build", "rslave",
    "\"mounts\": {\"propagation_subtrees\": [\"/srv\"]}", CONFINE_RESULT_PASS, NULL },
  { "a bind asking rslave beside mounts.propagation_subtrees is refused", BIND, "/srv/build",
    "rslave", "\"mounts\": {\"propagation_subtrees\": [\"/srv/other\"]}", CONFINE_RESULT_FAIL,
    "(propagation `rslave`)" },
  { "a bind outside the engines' trees with no word (a hand-written bundle) passes", BIND,
    "@/data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "a bind outside the engines' trees bound rprivate passes", BIND, "@/data", "rprivate", NULL,
    CONFINE_RESULT_PASS, NULL },
  { "a bind with no word under rootfsPropagation rprivate passes", PRIVATEBIND,
    "/var/lib/docker/volumes/Y/_data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  /* The bundle: config.json and an engine's exec process files. */
  { "the bundle as root is refused", ROOT, ".", NULL, NULL, CONFINE_RESULT_FAIL,
    "holds the bundle" },
  { "a root that climbs back to the bundle is refused", ROOT, "data/..", NULL, NULL,
    CONFINE_RESULT_FAIL, "holds the bundle" },
  { "binding the bundle is refused", BIND, "@/b", "ro", NULL, CONFINE_RESULT_FAIL,
    "holds the bundle" },
  { "a directory inside the bundle passes", ROOT, "data", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  /* The container's own root filesystem, where runc mounts its proc
   * before the bind (red team found-10, found-12). */
  { "a bind of rootfs/proc/sys is refused", ROOTBIND, "@/data/proc/sys", NULL, NULL,
    CONFINE_RESULT_FAIL, "inside the container's own root filesystem `@/data`" },
  { "a bind of the root filesystem itself is refused", ROOTBIND, "@/data", NULL, NULL,
    CONFINE_RESULT_FAIL, "inside the container's own root filesystem" },
  { "a link into the root filesystem is followed", ROOTBIND, "@/b/data/../../data/proc", NULL,
    NULL, CONFINE_RESULT_FAIL, "inside the container's own root filesystem" },
  { "a bind beside the root filesystem passes", ROOTBIND, "@/b/data", NULL, NULL,
    CONFINE_RESULT_PASS, NULL },
};

/* Kernel filesystems in the kernel's mountinfo, against a Docker-like
 * spec whose init is in /docker/c: where runc puts them, and where a bind
 * of the container's own rootfs/proc or a host kernel filesystem puts
 * them. */
static const struct
{
  const char *name;
  const char *fstype, *root, *super, *where;
  bool host_cgroupns;
  const char *fact; /* NULL: runc's own placement */
} kernel_cases[] = {
  { "proc at /proc is runc's", "proc", "/", "rw", "/proc", false, NULL },
  { "runc's readonlyPaths self-bind of /proc/sys", "proc", "/sys", "rw", "/proc/sys", false, NULL },
  { "runc's self-bind of a file, /proc/sysrq-trigger", "proc", "/sysrq-trigger", "rw",
    "/proc/sysrq-trigger", false, NULL },
  { "sysfs at /sys is runc's", "sysfs", "/", "ro", "/sys", false, NULL },
  { "mqueue at /dev/mqueue is runc's", "mqueue", "/", "rw", "/dev/mqueue", false, NULL },
  { "devpts at /dev/pts is runc's", "devpts", "/", "rw", "/dev/pts", false, NULL },
  { "the console pty bound at /dev/console is runc's", "devpts", "/0", "rw", "/dev/console", false,
    NULL },
  { "tmpfs anywhere is storage, judged by the mount rules", "tmpfs", "/", "rw", "/mnt", false,
    NULL },
  { "a masked path's /dev/null bind is not a kernel filesystem", "devtmpfs", "/null", "rw",
    "/proc/kcore", false, NULL },
  { "cgroup v1 hierarchy with the init's own cgroup", "cgroup", "/docker/c", "rw,cpu,cpuacct",
    "/sys/fs/cgroup/cpu,cpuacct", false, NULL },
  { "cgroup v1 named hierarchy with the init's own cgroup", "cgroup", "/docker/c",
    "rw,xattr,name=systemd", "/sys/fs/cgroup/systemd", false, NULL },
  { "cgroup2 with the init's own cgroup", "cgroup2", "/docker/c", "rw", "/sys/fs/cgroup", false,
    NULL },
  { "cgroup2's whole hierarchy in the host's cgroup namespace, as runc binds it", "cgroup2", "/",
    "rw", "/sys/fs/cgroup", true, NULL },
  { "a proc at /mnt is refused", "proc", "/", "rw", "/mnt", false, "runc mounts it nowhere else" },
  { "a proc whose root is /sys at /mnt is refused", "proc", "/sys", "rw", "/mnt", false,
    "runc mounts it nowhere else" },
  { "a proc whose root is /sys at /proc/kernel is refused", "proc", "/sys", "rw", "/proc/kernel",
    false, "runc mounts it nowhere else" },
  { "a sysfs at /host is refused", "sysfs", "/", "ro", "/host", false,
    "runc mounts it nowhere else" },
  { "a whole devpts at /dev/console is refused", "devpts", "/", "rw", "/dev/console", false,
    "runc mounts it nowhere else" },
  { "a devpts at /mnt is refused", "devpts", "/", "rw", "/mnt", false,
    "runc mounts it nowhere else" },
  { "a cgroup at /mnt is refused", "cgroup2", "/docker/c", "rw", "/mnt", false,
    "runc mounts it nowhere else" },
  { "a cgroup v1 root of another cgroup is refused", "cgroup", "/docker/other", "rw,cpu,cpuacct",
    "/sys/fs/cgroup/cpu,cpuacct", false, "not the container's own cgroup" },
  { "a cgroup v1 root of the init's cgroup in another hierarchy's line is refused", "cgroup",
    "/docker/c", "rw,memory", "/sys/fs/cgroup/memory", false, "not the container's own cgroup" },
  { "a cgroup2 root of the host's hierarchy is refused in a cgroup namespace", "cgroup2", "/",
    "rw", "/sys/fs/cgroup", false, "not the container's own cgroup" },
  { "cgroup2's whole hierarchy below the destination is refused in the host's cgroup namespace",
    "cgroup2", "/", "ro", "/sys/fs/cgroup/host", true, "not the container's own cgroup" },
  { "a cgroup2 root of another cgroup is refused", "cgroup2", "/system.slice", "rw",
    "/sys/fs/cgroup/x", true, "not the container's own cgroup" },
};

static void
run_kernel_cases (void)
{
  static const char *const cgroups
      = "12:cpu,cpuacct:/docker/c\n4:memory:/docker/m\n1:name=systemd:/docker/c\n0::/docker/c\n";
  char *ro[] = { (char *) "ro", NULL }, *none[] = { NULL };
  confine_mount_t m[] = {
    { (char *) "/proc", (char *) "proc", (char *) "proc", none },
    { (char *) "/dev", (char *) "tmpfs", (char *) "tmpfs", none },
    { (char *) "/dev/pts", (char *) "devpts", (char *) "devpts", none },
    { (char *) "/sys", (char *) "sysfs", (char *) "sysfs", ro },
    { (char *) "/sys/fs/cgroup/", (char *) "cgroup", (char *) "cgroup", ro },
    { (char *) "/dev/mqueue", (char *) "mqueue", (char *) "mqueue", none },
  };
  confine_spec_t spec = { .mounts = m, .n_mounts = sizeof (m) / sizeof (m[0]) };

  for (size_t i = 0; i < sizeof (kernel_cases) / sizeof (kernel_cases[0]); i++)
    {
      const char *why = confine_mounts_kernel_fs_misplaced (
          &spec, kernel_cases[i].fstype, kernel_cases[i].root, kernel_cases[i].super,
          kernel_cases[i].where, cgroups, kernel_cases[i].host_cgroupns);
      CHECK (kernel_cases[i].fact ? why && strstr (why, kernel_cases[i].fact) : why == NULL,
             kernel_cases[i].name, "%s", why ? why : "passed");
    }
}

/* A name longer than NAME_MAX (255). */
#define LONG_NAME_LEN 300

static char *dir;

/* S with every `@` replaced by the test's directory. */
static char *
at (const char *s)
{
  return harness_replace (s, '@', dir);
}

static int listeners[2] = { -1, -1 };

/* A unix socket of TYPE bound at @/NAME: listening, for a stream one. */
static int
listen_at (const char *name, int type)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, type | SOCK_CLOEXEC, 0);
  snprintf (sa.sun_path, sizeof (sa.sun_path), "%s/%s", dir, name);
  if (fd < 0 || bind (fd, (struct sockaddr *) &sa, sizeof (sa)) < 0
      || (type == SOCK_STREAM && listen (fd, 1) < 0))
    abort ();
  return fd;
}

/* The host of the table: links, files, and a socket someone listens on
 * three levels below a directory. */
static void
setup (int *sock)
{
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  char *cmd = at ("cd @ && mkdir -p data b/data shallow deep/a/b && ln -s /etc b/hostetc"
                  " && ln -s /etc hostetc && ln -s /etc link"
                  " && ln -s /etc/confine-test-missing dangling && ln -s hostetc rel"
                  " && ln -s @/loop loop && echo x > file && : > shallow/docker.sock"
                  " && mkdir -p snap lxdhome/lxd ts other && : > snap/snapd.socket"
                  " && : > lxdhome/lxd/unix.socket && : > ts/tailscaled.sock"
                  " && : > other/unix.socket");
  if (system (cmd) != 0)
    abort ();
  free (cmd);
  snprintf (sa.sun_path, sizeof (sa.sun_path), "%s/deep/a/b/docker.sock", dir);
  *sock = socket (AF_UNIX, SOCK_STREAM, 0);
  if (*sock < 0 || bind (*sock, (struct sockaddr *) &sa, sizeof (sa)) < 0 || listen (*sock, 1) < 0)
    abort ();
  cmd = at ("mkdir -p @/listen/tmux-0 @/dgram @/stale && : > @/listen/file");
  if (system (cmd) != 0)
    abort ();
  free (cmd);
  listeners[0] = listen_at ("listen/tmux-0/default", SOCK_STREAM);
  listeners[1] = listen_at ("dgram/log", SOCK_DGRAM);
  close (listen_at ("stale/s", SOCK_STREAM));
}

static confine_policy_t *
policy (const char *extra)
{
  return harness_policy ("{%s}", extra ? extra : "");
}

/* Whose root and whose pod: engines' records laid out below @/e, with
 * the shipped patterns moved there, judged for a container of ID in
 * BUNDLE whose CRI annotation names pod UID. Docker's layerdb names L1
 * for c1 (and L3 for c3, in a record others can write), containers/
 * storage's containers.json P1 for p1 and P2 for p2; IMG is an image's
 * layer; @/e/task/k8s.io is containerd's CRI task directory. */
static const struct
{
  const char *name;
  enum kind kind; /* BIND (rbind, OPTIONS) or ROOT */
  const char *source, *options, *id, *bundle, *uid;
  confine_result_kind_t want;
  const char *fact;
} engine_cases[] = {
  { "Docker's overlay2 root of this container passes", ROOT, "@/e/docker/overlay2/L1/merged",
    NULL, "c1", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "another Docker container's overlay2 root is refused", ROOT,
    "@/e/docker/overlay2/L2/merged", NULL, "c1", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "Docker's vfs root of this container passes", ROOT, "@/e/docker/vfs/dir/L1", NULL, "c1",
    NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "an image's vfs layer is no Docker container's root", ROOT, "@/e/docker/vfs/dir/IMG", NULL,
    "c1", NULL, NULL, CONFINE_RESULT_FAIL, "(policy mounts.allowed_roots)" },
  { "a Docker root judged with no container id is refused", ROOT,
    "@/e/docker/overlay2/L1/merged", NULL, NULL, NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "an id that is a path is no record's", ROOT, "@/e/docker/overlay2/L1/merged", NULL,
    "../mounts/c1", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "a layerdb record others can write is refused", ROOT, "@/e/docker/overlay2/L3/merged", NULL,
    "c3", NULL, NULL, CONFINE_RESULT_FAIL, "not writable by group or others" },
  { "Podman's vfs root of this container passes", ROOT, "@/e/containers/vfs/dir/P1", NULL, "p1",
    NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "Podman's overlay root of this container passes", ROOT,
    "@/e/containers/overlay/P1/merged", NULL, "p1", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "another Podman container's root (`--rootfs`) is refused", ROOT, "@/e/containers/vfs/dir/P2",
    NULL, "p1", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "an image's layer as a Podman root is refused", ROOT, "@/e/containers/vfs/dir/IMG", NULL,
    "p1", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "a Podman container with no storage (its own `--rootfs`) cannot name a layer", ROOT,
    "@/e/containers/vfs/dir/P1", NULL, "p9", NULL, NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "containerd's task rootfs of this container passes", ROOT, "@/e/task/k8s.io/t1/rootfs", NULL,
    "t1", NULL, NULL, CONFINE_RESULT_PASS, NULL },
  { "another task's rootfs is refused", ROOT, "@/e/task/k8s.io/t2/rootfs", NULL, "t1", NULL,
    NULL, CONFINE_RESULT_FAIL, OWN_ROOT },
  { "the pod's own volume passes from its CRI bundle", BIND, "@/e/pods/u1/volumes/v", "rprivate",
    "t1", "@/e/task/k8s.io/t1", "u1", CONFINE_RESULT_PASS, NULL },
  { "another pod's volume is refused from a CRI bundle", BIND, "@/e/pods/u2/volumes/v",
    "rprivate", "t1", "@/e/task/k8s.io/t1", "u1", CONFINE_RESULT_FAIL,
    "(policy mounts.owner_annotations)" },
  { "the CRI's annotation outside a CRI bundle names no pod", BIND, "@/e/pods/u1/volumes/v",
    "rprivate", "x1", "@/b", "u1", CONFINE_RESULT_FAIL, "(policy mounts.owner_bundles)" },
  { "a CRI bundle without the annotation names no pod", BIND, "@/e/pods/u1/volumes/v",
    "rprivate", "t1", "@/e/task/k8s.io/t1", NULL, CONFINE_RESULT_FAIL,
    "(policy mounts.owner_bundles)" },
  { "a whole pod directory of its own passes", BIND, "@/e/pods/u1", "rprivate", "t1",
    "@/e/task/k8s.io/t1", "u1", CONFINE_RESULT_PASS, NULL },
  /* Propagation is judged on the pod's own binds too. */
  { "a pod's volume with no propagation word is refused", BIND, "@/e/pods/u1/volumes/v", NULL,
    "t1", "@/e/task/k8s.io/t1", "u1", CONFINE_RESULT_FAIL,
    "(policy mounts.propagation_subtrees)" },
  { "Kubernetes' HostToContainer on a pod's volume is refused", BIND, "@/e/pods/u1/volumes/v",
    "rslave", "t1", "@/e/task/k8s.io/t1", "u1", CONFINE_RESULT_FAIL, "in `@/e/pods`" },
};

static void
run_engine_cases (void)
{
  char *cmd = at (
      "cd @ && mkdir -p e/docker/overlay2/L1/merged e/docker/overlay2/L2/merged "
      "e/docker/overlay2/L3/merged e/docker/vfs/dir/L1 e/docker/vfs/dir/IMG "
      "e/docker/image/overlay2/layerdb/mounts/c1 e/docker/image/overlay2/layerdb/mounts/c3 "
      "e/docker/image/vfs/layerdb/mounts/c1 e/containers/vfs/dir/P1 e/containers/vfs/dir/P2 "
      "e/containers/vfs/dir/IMG e/containers/vfs-containers e/containers/overlay/P1/merged "
      "e/containers/overlay-containers e/task/k8s.io/t1/rootfs e/task/k8s.io/t2/rootfs "
      "e/pods/u1/volumes/v e/pods/u2/volumes/v "
      "&& printf L1 > e/docker/image/overlay2/layerdb/mounts/c1/mount-id "
      "&& printf L1 > e/docker/image/vfs/layerdb/mounts/c1/mount-id "
      "&& printf L3 > e/docker/image/overlay2/layerdb/mounts/c3/mount-id "
      "&& chmod 666 e/docker/image/overlay2/layerdb/mounts/c3/mount-id "
      "&& echo '[{\"id\":\"p1\",\"layer\":\"P1\"},{\"id\":\"p2\",\"layer\":\"P2\"}]' "
      "> e/containers/vfs-containers/containers.json "
      "&& cp e/containers/vfs-containers/containers.json e/containers/overlay-containers/");
  char *extra = at ("\"mounts\": {\"sensitive_subtrees\": [\"@/e\"], "
                    "\"allowed_subtrees\": [\"@/e/pods/{owner}\"], "
                    "\"allowed_roots\": [\"@/e/docker/overlay2/*/merged\", "
                    "\"@/e/docker/vfs/dir/*\", \"@/e/containers/vfs/dir/*\", "
                    "\"@/e/containers/overlay/*/merged\", \"@/e/task/*/*/rootfs\"], "
                    "\"owner_bundles\": [\"@/e/task/k8s.io/*\"]}");
  confine_policy_t *p = policy (extra);

  if (system (cmd) != 0)
    abort ();
  for (size_t i = 0; i < sizeof (engine_cases) / sizeof (engine_cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      char *source = at (engine_cases[i].source);
      char *bundle = engine_cases[i].bundle ? at (engine_cases[i].bundle) : NULL;
      char *fact = engine_cases[i].fact ? at (engine_cases[i].fact) : NULL;
      char *opts[] = { (char *) "rbind", (char *) engine_cases[i].options, NULL };
      confine_annotation_t a = { (char *) "io.kubernetes.cri.sandbox-uid",
                                 (char *) engine_cases[i].uid };
      confine_mount_t m = { (char *) "/mnt", (char *) "bind", source, opts };
      confine_spec_t spec = { 0 };
      confine_context_t ctx = { .policy = p, .id = engine_cases[i].id, .bundle = bundle };
      confine_subject_t subject = { .spec = &spec };
      confine_rule_result_t r = { 0 };
      char *said = NULL;
      int ret;

      if (engine_cases[i].kind == ROOT)
        spec.root_path = source;
      else
        {
          spec.mounts = &m;
          spec.n_mounts = 1;
        }
      if (engine_cases[i].uid)
        {
          spec.annotations = &a;
          spec.n_annotations = 1;
        }
      ret = confine_rule_mounts (&ctx, &subject, &r, &err);
      if (asprintf (&said, "%s (policy %s)", r.fact ? r.fact : "",
                    r.policy_key ? r.policy_key : "")
          < 0)
        abort ();
      /* An error is a refusal (confine_evaluate), with its reason. */
      CHECK ((ret == 0 && r.kind == engine_cases[i].want && (fact == NULL || strstr (said, fact)))
                 || (ret < 0 && engine_cases[i].want == CONFINE_RESULT_FAIL && fact
                     && strstr (err->msg, fact)),
             engine_cases[i].name, "ret %d, result %d, fact: %s%s", ret, r.kind, said,
             err ? err->msg : "");
      free (said);
      free (r.fact);
      free (source);
      free (bundle);
      free (fact);
    }
  confine_policy_free (p);
  free (extra);
  free (cmd);
}

static void
run_case (size_t i, const char *bundle)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = policy (cases[i].policy);
  confine_rule_result_t r = { 0 };
  char *source = at (strstr (cases[i].source, "LONG") ? "@/" : cases[i].source);
  char *fact = cases[i].fact ? at (cases[i].fact) : NULL;
  char *options = cases[i].options ? strdup (cases[i].options) : NULL;
  char *opts[8] = { NULL };
  size_t n = 0;
  confine_mount_t m = { 0 };
  confine_spec_t spec = { 0 };
  confine_context_t ctx = { .policy = p, .bundle = bundle };
  confine_subject_t subject = { .spec = &spec };
  char *said = NULL, *rootfs = NULL;
  int ret;

  if (strstr (cases[i].source, "LONG"))
    {
      char *longer = NULL;
      if (asprintf (&longer, "%s%0*d", source, LONG_NAME_LEN, 0) < 0)
        abort ();
      free (source);
      source = longer;
    }
  for (char *o = options ? strtok (options, ",") : NULL; o && n < 7; o = strtok (NULL, ","))
    opts[n++] = o;
  m.options = opts;
  switch (cases[i].kind)
    {
    case PRIVATEBIND:
      spec.rootfs_propagation = (char *) "rprivate";
      /* fall through */
    case BIND:
      opts[n++] = (char *) "rbind";
      m = (confine_mount_t){ (char *) "/mnt", (char *) "bind", source, opts };
      spec.mounts = &m;
      spec.n_mounts = 1;
      break;
    case ROOT:
      spec.root_path = source;
      break;
    case FS:
      m = (confine_mount_t){ (char *) "/sys", source, source, opts };
      spec.mounts = &m;
      spec.n_mounts = 1;
      break;
    case PROPAGATION:
      spec.rootfs_propagation = source;
      break;
    case ROOTBIND:
      opts[n++] = (char *) "rbind";
      m = (confine_mount_t){ (char *) "/mnt", (char *) "bind", source, opts };
      spec.mounts = &m;
      spec.n_mounts = 1;
      spec.root_path = rootfs = at ("@/data");
      break;
    }
  ret = confine_rule_mounts (&ctx, &subject, &r, &err);
  /* The fact as a refusal shows it, with the policy key behind it. */
  if (asprintf (&said, "%s (policy %s)", r.fact ? r.fact : "", r.policy_key ? r.policy_key : "")
      < 0)
    abort ();
  CHECK (ret == 0 && r.kind == cases[i].want && (fact == NULL || strstr (said, fact)),
         cases[i].name, "ret %d, result %d, fact: %s%s", ret, r.kind, said, err ? err->msg : "");
  free (said);
  free (r.fact);
  free (rootfs);
  free (source);
  free (fact);
  free (options);
  confine_policy_free (p);
}

/* The mounts rule on one bind of SOURCE under the default policy: 1
 * when refused with FACT in its reason, 0 when allowed, -1 otherwise.
 * SAID gets the reason. */
static int
judge_bind (const char *source, const char *fact, char **said)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = policy (NULL);
  char *opts[] = { (char *) "rbind", NULL };
  confine_mount_t m = { (char *) "/mnt", (char *) "bind", (char *) source, opts };
  confine_spec_t spec = { .mounts = &m, .n_mounts = 1 };
  confine_context_t ctx = { .policy = p };
  confine_subject_t subject = { .spec = &spec };
  confine_rule_result_t r = { 0 };
  int ret = confine_rule_mounts (&ctx, &subject, &r, &err);

  *said = strdup (r.fact ? r.fact : err ? err->msg : "");
  if (ret < 0)
    ret = -1;
  else if (r.kind == CONFINE_RESULT_PASS)
    ret = 0;
  else
    ret = r.kind == CONFINE_RESULT_FAIL && fact && strstr (*said, fact) ? 1 : -1;
  free (r.fact);
  confine_policy_free (p);
  return ret;
}

/* A refused bind source owned by the container's user (Podman's `:U`
 * chowned it before any runtime ran) says so; one owned by root, or a
 * container running as root, does not. */
static void
run_chowned_cases (void)
{
  static const struct
  {
    const char *name;
    int64_t uid;
    uid_t owner;
    bool warned;
  } rows[] = {
    { "a refused source owned by the container's user warns of a chown", 4242, 4242, true },
    { "a refused source owned by root does not warn", 4242, 0, false },
    { "a container running as root does not warn", 0, 0, false },
  };
  char *sens = at ("@/sens");
  char *source = at ("@/sens/file");
  char *extra = NULL;
  if (asprintf (&extra, "\"mounts\":{\"sensitive_subtrees\":[\"%s\"]}", sens) < 0)
    abort ();
  CHECK (mkdir (sens, 0755) == 0 || errno == EEXIST, "chowned: mkdir", "%s", sens);
  harness_write (source, "secret\n");
  for (size_t i = 0; i < sizeof (rows) / sizeof (rows[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = policy (extra);
      char *opts[] = { (char *) "rbind", NULL };
      confine_mount_t m = { (char *) "/x", (char *) "bind", source, opts };
      confine_spec_t spec = { .mounts = &m, .n_mounts = 1 };
      confine_context_t ctx = { .policy = p };
      confine_subject_t subject = { .spec = &spec };
      confine_rule_result_t r = { 0 };
      int ret;

      spec.process.has_uid = true;
      spec.process.uid = rows[i].uid;
      CHECK (chown (source, rows[i].owner, rows[i].owner) == 0, "chowned: chown", "%s", source);
      ret = confine_rule_mounts (&ctx, &subject, &r, &err);
      CHECK (ret == 0 && r.kind == CONFINE_RESULT_FAIL && r.fact
                 && (strstr (r.fact, "WARNING: `") != NULL) == rows[i].warned
                 && strstr (r.fact, "is inside the host's"),
             rows[i].name, "ret %d, kind %d, fact: %s", ret, r.kind, r.fact ? r.fact : "");
      free (r.fact);
      confine_policy_free (p);
    }
  free (extra);
  free (source);
  free (sens);
}

typedef struct
{
  const char *where, *at_path, *name;
} elsewhere_t;

/* In its own mount namespace: bind WHERE over AT (as systemd's
 * PrivateTmp= binds a service's directory over /tmp) and listen on NAME
 * there; the host's NAME is not that socket. */
static int
listen_there (void *arg)
{
  const elsewhere_t *e = arg;
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  int fd = socket (AF_UNIX, SOCK_STREAM, 0);

  snprintf (sa.sun_path, sizeof (sa.sun_path), "%s", e->name);
  if (fd < 0 || mount (e->where, e->at_path, NULL, MS_BIND, NULL) < 0
      || bind (fd, (struct sockaddr *) &sa, sizeof (sa)) < 0 || listen (fd, 1) < 0)
    return -1;
  return 0;
}

static pid_t
listen_elsewhere (const char *where, const char *at_path, const char *name)
{
  elsewhere_t e = { where, at_path, name };
  return harness_in_own_mount_ns (listen_there, &e);
}

/* Sockets whose names, as their binders wrote them, do not lead to them
 * on the host: placed through PrivateTmp's directories, or else judged
 * by their filesystem. */
static void
run_namespace_cases (void)
{
  char *said = NULL, *priv = NULL, *name = NULL, *held = NULL, *data = at ("@/data");
  char *shown = at ("@/shown"), *hidden = at ("@/hidden"), *tmpfs = at ("@/tmpfs");
  char *fact = at ("holds `@/hidden/s` (a socket a host process listens on, which "
                   "mounts.allowed_sockets does not list)");
  pid_t child;
  int r;

  if (asprintf (&priv, "/tmp/systemd-private-confine-unit-%d-x.service-y", (int) getpid ()) < 0
      || asprintf (&name, "/tmp/confine-unit-%d.sock", (int) getpid ()) < 0
      || asprintf (&held, "holds `%s/tmp/confine-unit-%d.sock` (a socket a host process listens "
                   "on, which mounts.allowed_sockets does not list)", priv, (int) getpid ()) < 0)
    abort ();
  {
    char *tmp = NULL;
    if (asprintf (&tmp, "%s/tmp", priv) < 0 || mkdir (priv, 0700) < 0 || mkdir (tmp, 01777) < 0)
      abort ();
    child = listen_elsewhere (tmp, "/tmp", name);
    free (tmp);
  }
  r = judge_bind (priv, held, &said);
  CHECK (r == 1, "a PrivateTmp service's socket is found in its host directory",
         "%d: %s", r, said);
  free (said);
  r = judge_bind (data, NULL, &said);
  CHECK (r == 0, "a PrivateTmp service's socket does not refuse other binds of its filesystem",
         "%d: %s", r, said);
  free (said);
  harness_stop (child);

  if (mkdir (shown, 0755) < 0 || mkdir (hidden, 0755) < 0 || mkdir (tmpfs, 0755) < 0
      || mount ("tmpfs", tmpfs, "tmpfs", 0, "size=64k") < 0)
    abort ();
  free (name);
  name = at ("@/shown/s");
  child = listen_elsewhere (hidden, shown, name);
  r = judge_bind (hidden, fact, &said);
  CHECK (r == 1, "a socket no host name leads to is found by its inode below a bind", "%d: %s",
         r, said);
  free (said);
  r = judge_bind (data, NULL, &said);
  CHECK (r == 0, "a socket no host name leads to leaves a directory beside it alone", "%d: %s",
         r, said);
  free (said);
  r = judge_bind (tmpfs, NULL, &said);
  CHECK (r == 0, "a socket no host name leads to leaves binds of other filesystems alone",
         "%d: %s", r, said);
  free (said);
  harness_stop (child);
  r = judge_bind (hidden, NULL, &said);
  CHECK (r == 0, "once that socket is closed, the bind passes", "%d: %s", r, said);
  free (said);
  {
    /* A tree larger than the search's bound, on the filesystem of a
     * socket no name places: refused, not passed unsearched. */
    char *big = at ("@/tmpfs/big"), *hid = at ("@/tmpfs/hid"), *sh = at ("@/tmpfs/sh");
    char *where = at ("@/tmpfs/sh/s"), *cmd = NULL;
    if (asprintf (&cmd, "mkdir -p %s %s %s && cd %s && seq 100001 | xargs touch", big, hid, sh,
                  big) < 0
        || umount (tmpfs) < 0 || mount ("tmpfs", tmpfs, "tmpfs", 0, "size=64m") < 0
        || system (cmd) != 0)
      abort ();
    child = listen_elsewhere (hid, sh, where);
    r = judge_bind (big, "the search below the source for it stopped at the gate's bound of "
                         "100000 entries", &said);
    CHECK (r == 1, "a tree beyond the search's bound on an unplaced socket's filesystem is "
                   "refused", "%d: %s", r, said);
    free (said);
    harness_stop (child);
    r = judge_bind (big, NULL, &said);
    CHECK (r == 0, "the same tree passes once that socket is closed", "%d: %s", r, said);
    free (said);
    free (big);
    free (hid);
    free (sh);
    free (where);
    free (cmd);
  }
  umount (tmpfs);
  {
    char cmd[4200];
    snprintf (cmd, sizeof (cmd), "rm -rf '%s'", priv);
    if (system (cmd) != 0)
      printf ("FAIL cleanup of %s\n", priv);
  }
  free (priv);
  free (name);
  free (held);
  free (data);
  free (shown);
  free (hidden);
  free (tmpfs);
  free (fact);
}

/* The resolver against the kernel, on a tree of links made for it:
 * every generated absolute path is resolved by the kernel (open with
 * O_PATH, then its /proc/self/fd link), by a fresh resolver, and by one
 * evaluation's resolver, whose lookups (and the filesystem types of the
 * directories holding links) are shared by all the paths, as the policy's
 * lists and a spec's sources share them. All three agree: the same
 * path, or, where the kernel finds a loop or a file used as a directory,
 * an error; a missing name the kernel cannot open resolves. */
static void
run_resolve_differential (void)
{
  static const char *const names[]
      = { "d0", "d1", "f0", "l0", "l1", "l2", "l3", "l4", "l5", "nx", ".", ".." };
  /* Each directory's links, by its index: relative (through `..` too),
   * absolute into the tree, dangling, a file, a loop. */
  static const char *const links[][6] = {
    { "d1", "d0/d1", "../d0", "f0", "l1", "nx/deeper" },
    { "..", "l0", "d0/../d1", "../../f0", "l4", "." },
    { "../l2", "d1/l3", "/", "d0/f0", "l5", "l0/l1" },
  };
  const char *dirs[] = { "@/diff", "@/diff/d0", "@/diff/d0/d1" };
  confine_hostpaths_t hp = { 0 };
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *pol = policy (NULL);
  char *root = at ("@/diff");
  unsigned seed = 12, agreed = 0, failed = 0, opened = 0, loops = 0, notdir = 0, missing = 0;
  char buf[PATH_MAX];

  for (size_t d = 0; d < 3; d++)
    {
      char *p = at (dirs[d]);
      char name[PATH_MAX];
      if (mkdir (p, 0755) < 0 && errno != EEXIST)
        printf ("FAIL mkdir %s\n", p);
      snprintf (name, sizeof (name), "%s/d0", p);
      if (d == 2 && mkdir (name, 0755) < 0)
        printf ("FAIL mkdir %s\n", name);
      snprintf (name, sizeof (name), "%s/f0", p);
      harness_write (name, "x");
      for (size_t l = 0; l < 6; l++)
        {
          char target[PATH_MAX];
          snprintf (name, sizeof (name), "%s/l%zu", p, l);
          /* The absolute links point into the tree. */
          if (links[d][l][0] == '/')
            snprintf (target, sizeof (target), "%s%s", root, links[d][l]);
          else
            snprintf (target, sizeof (target), "%s", links[d][l]);
          if (symlink (target, name) < 0)
            printf ("FAIL symlink %s\n", name);
        }
      free (p);
    }
  if (confine_hostpaths_init (pol, NULL, NULL, &hp, &err) < 0)
    {
      CHECK (false, "the resolver's differential sets up", "%s", err->msg);
      return;
    }
  for (int i = 0; i < 3000; i++)
    {
      cleanup_error confine_error_t e1 = NULL;
      cleanup_error confine_error_t e2 = NULL;
      cleanup_free char *fresh = NULL;
      cleanup_free char *shared = NULL;
      cleanup_free char *kernel = NULL;
      char path[PATH_MAX];
      int n = snprintf (path, sizeof (path), "%s", root), fd, r1, r2, kerr = 0;
      int depth = 1 + (int) (rand_r (&seed) % 6);

      for (int c = 0; c < depth; c++)
        n += snprintf (path + n, sizeof (path) - (size_t) n, "/%s",
                       names[rand_r (&seed) % (sizeof (names) / sizeof (names[0]))]);
      r1 = confine_hostpath_resolve (NULL, path, &fresh, &e1);
      r2 = confine_hostpaths_resolve (&hp, NULL, path, &shared, &e2);
      fd = open (path, O_PATH | O_CLOEXEC);
      if (fd >= 0)
        {
          char proc[64];
          ssize_t len;
          snprintf (proc, sizeof (proc), "/proc/self/fd/%d", fd);
          len = readlink (proc, buf, sizeof (buf) - 1);
          close (fd);
          if (len > 0)
            kernel = confine_xstrndup (buf, (size_t) len);
          opened++;
        }
      else
        kerr = errno;
      loops += kerr == ELOOP;
      notdir += kerr == ENOTDIR;
      missing += kerr == ENOENT;
      if ((r1 < 0) != (r2 < 0) || (r1 == 0 && strcmp (fresh, shared) != 0))
        {
          CHECK (false, "one evaluation's resolver agrees with a fresh one", "`%s`: `%s` / `%s`",
                 path, r1 < 0 ? e1->msg : fresh, r2 < 0 ? e2->msg : shared);
          failed++;
          continue;
        }
      if ((kernel && (r1 < 0 || strcmp (kernel, fresh) != 0))
          || ((kerr == ELOOP || kerr == ENOTDIR) && r1 == 0)
          || (kerr == ENOENT && r1 < 0) || (kernel == NULL && kerr == 0))
        {
          CHECK (false, "the resolver agrees with the kernel", "`%s`: kernel `%s` (%s), ours `%s`",
                 path, kernel ? kernel : "", strerror (kerr), r1 < 0 ? e1->msg : fresh);
          failed++;
          continue;
        }
      agreed++;
    }
  /* Each of the kernel's answers is met many times. */
  CHECK (failed == 0 && opened > 300 && loops > 10 && notdir > 100 && missing > 100,
         "3000 generated paths through links resolve as the kernel resolves them, with "
         "lookups shared or not",
         "%u agreed, %u disagreed; the kernel opened %u, found %u loops, %u files as "
         "directories, %u missing", agreed, failed, opened, loops, notdir, missing);
  confine_hostpaths_clear (&hp);
  confine_policy_free (pol);
  free (root);
}

/* Where the runtime the shim runs finds code (red team 3 F-11, F-12:
 * containerd's opt directory first on its PATH and LD_LIBRARY_PATH):
 * only writable binds count. */
static void
run_runtime_code_cases (void)
{
  static const struct
  {
    const char *name, *source, *options, *fact;
  } code_cases[] = {
    { "a writable bind holding the runtime's PATH directory is refused", "@/opt", "rw",
      "is writable and holds where the runtime the gate runs finds code (its PATH, "
      "LD_LIBRARY_PATH, LD_PRELOAD or own directory): the host's `@/opt/bin`" },
    { "a writable bind of the runtime's PATH directory is refused", "@/opt/bin", "rw",
      "is writable and is where the runtime the gate runs finds code" },
    { "a writable bind of a program in the runtime's PATH directory is refused", "@/opt/bin/runc",
      "rw", "is writable and is a file in where the runtime the gate runs finds programs" },
    { "a writable bind of a directory in the runtime's PATH directory passes", "@/opt/bin/sub",
      "rw", NULL },
    { "a writable bind of the runtime's library directory is refused", "@/opt/lib", "rw",
      "is writable and is where the runtime the gate runs finds code" },
    { "a writable bind below the runtime's library directory is refused",
      "@/opt/lib/glibc-hwcaps", "rw", "is writable inside where the runtime the gate runs finds "
      "libraries" },
    { "a writable bind of the runtime's LD_PRELOAD file is refused", "@/pre/x.so", "rw",
      "the host's `@/pre/x.so`" },
    { "a writable bind holding the runtime's LD_PRELOAD file is refused", "@/pre", "rw",
      "is writable and holds where the runtime" },
    { "a read-only bind of the runtime's PATH directory's parent passes", "@/opt", "ro", NULL },
    { "a read-only bind of a program in the runtime's PATH passes", "@/opt/bin/runc", "ro", NULL },
    { "a read-only bind of the runtime's LD_PRELOAD file passes", "@/pre/x.so", "ro", NULL },
    { "a writable bind beside them passes", "@/data", "rw", NULL },
  };
  char *bin = at ("@/opt/bin"), *lib = at ("@/opt/lib"), *pre = at ("@/pre/x.so");
  char *search[] = { bin, NULL }, *libs[] = { lib, NULL }, *files[] = { pre, NULL };
  confine_runtime_code_t code = { search, libs, files };
  char *opt = at ("@/opt"), *sub = at ("@/opt/bin/sub");

  if (mkdir (opt, 0755) < 0 || mkdir (bin, 0755) < 0 || mkdir (sub, 0755) < 0)
    printf ("FAIL mkdir %s\n", sub);
  for (size_t i = 0; i < sizeof (code_cases) / sizeof (code_cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = policy (NULL);
      char *source = at (code_cases[i].source);
      char *fact = code_cases[i].fact ? at (code_cases[i].fact) : NULL;
      char *opts[] = { (char *) "rbind", (char *) code_cases[i].options, NULL };
      confine_mount_t m = { (char *) "/mnt", (char *) "bind", source, opts };
      confine_spec_t spec = { .mounts = &m, .n_mounts = 1 };
      confine_context_t ctx = { .policy = p, .runtime_code = &code };
      confine_subject_t subject = { .spec = &spec };
      confine_rule_result_t r = { 0 };
      int ret = confine_rule_mounts (&ctx, &subject, &r, &err);
      CHECK (ret == 0
                 && r.kind == (fact ? CONFINE_RESULT_FAIL : CONFINE_RESULT_PASS)
                 && (fact == NULL || strstr (r.fact, fact)),
             code_cases[i].name, "ret %d, result %d, fact: %s%s", ret, r.kind,
             r.fact ? r.fact : "", err ? err->msg : "");
      free (r.fact);
      free (source);
      free (fact);
      confine_policy_free (p);
    }
  free (bin);
  free (lib);
  free (pre);
  free (opt);
  free (sub);
}

/* One context's host paths shared by its rules (the shim's judgement
 * and its check after create): the lists are resolved once and kept,
 * while what was learnt of the host is looked up again at each later
 * use. A bind source missing when first judged (it holds nothing) and
 * then made holding a file a pattern names is refused at the second use,
 * as a fresh resolver refuses it. */
static void
run_shared_cases (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = policy ("\"mounts\": {\"sensitive\": [\"*/docker.sock\"]}");
  confine_hostpaths_t shared = { 0 }, local = { 0 }, fresh = { 0 };
  confine_context_t ctx = { .policy = p, .hostpaths = &shared };
  confine_hostpath_verdict_t v = { 0 };
  char *src = at ("@/later"), *sock = at ("@/later/docker.sock");
  confine_hostpaths_t *hp = confine_rule_hostpaths (&ctx, &local, &err);
  char **lists = hp ? hp->sensitive : NULL;
  cleanup_free char *path = NULL;
  int first = -1, second = -1, control = -1;

  if (hp && confine_hostpaths_resolve (hp, NULL, src, &path, &err) == 0)
    first = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_SHOWN, true, &v, &err);
  confine_rule_hostpaths_done (hp, &local);
  free (v.socket);
  if (mkdir (src, 0755) < 0)
    printf ("FAIL mkdir %s\n", src);
  harness_write (sock, "");
  hp = confine_rule_hostpaths (&ctx, &local, &err);
  if (hp)
    second = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_SHOWN, true, &v, &err);
  CHECK (hp == &shared && local.policy == NULL && hp->sensitive == lists,
         "a context's rules share one resolution of the policy's lists", "%p %p", (void *) hp,
         (void *) &shared);
  CHECK (first == 0 && second == 1 && v.entry && strcmp (v.entry, "*/docker.sock") == 0,
         "a shared resolution looks up again what it judges: a source made after its first "
         "use holding docker.sock is refused at the next",
         "%d then %d (%s)", first, second, err ? err->msg : v.entry ? v.entry : "");
  free (v.socket);
  confine_rule_hostpaths_done (hp, &local);
  /* Control: a resolver of its own refuses it too. */
  ctx.hostpaths = NULL;
  hp = confine_rule_hostpaths (&ctx, &fresh, &err);
  if (hp)
    control = confine_hostpaths_judge (hp, path, CONFINE_HOSTPATH_SHOWN, true, &v, &err);
  CHECK (hp == &fresh && control == 1, "without sharing, a rule resolves its own", "%d", control);
  free (v.socket);
  confine_rule_hostpaths_done (hp, &fresh);
  CHECK (fresh.policy == NULL, "a rule's own resolution is cleared when done", "left");
  confine_hostpaths_clear (&shared);
  confine_policy_free (p);
  free (src);
  free (sock);
}

void
run_tests (void)
{
  int sock = -1;
  char *bundle;

  dir = harness_tmpdir ();
  setup (&sock);
  bundle = at ("@/b");
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    run_case (i, bundle);
  run_kernel_cases ();
  run_namespace_cases ();
  run_resolve_differential ();
  run_shared_cases ();
  run_engine_cases ();
  run_chowned_cases ();
  run_runtime_code_cases ();
  {
    /* A path longer than PATH_MAX, in short components. */
    cleanup_error confine_error_t err = NULL;
    char *out = NULL;
    char path[PATH_MAX + 64];
    size_t n = 0;
    while (n + 3 < sizeof (path) - 1)
      n += (size_t) snprintf (path + n, sizeof (path) - n, "/ab");
    CHECK (confine_hostpath_resolve (NULL, path, &out, &err) < 0 && strstr (err->msg, "too long"),
           "a path longer than PATH_MAX is refused", "%s", err ? err->msg : out);
    free (out);
  }
  {
    /* Permission: a gate run without root (`confine check`) that cannot
     * look where runc will must refuse, not guess. */
    char *private = at ("@/data/x");
    pid_t child = fork ();
    int status = 0;
    if (child == 0)
      {
        cleanup_error confine_error_t err = NULL;
        char *out = NULL;
        if (chmod (dir, 0700) < 0 || setresgid (65534, 65534, 65534) < 0
            || setresuid (65534, 65534, 65534) < 0)
          _exit (2);
        _exit (confine_hostpath_resolve (NULL, private, &out, &err) < 0
                       && strstr (err->msg, "Permission denied")
                   ? 0
                   : 1);
      }
    waitpid (child, &status, 0);
    CHECK (WIFEXITED (status) && WEXITSTATUS (status) == 0,
           "a path the gate may not look into is refused (EACCES)", "child status %d", status);
    free (private);
  }
  close (sock);
  close (listeners[0]);
  close (listeners[1]);
  {
    char cmd[4200];
    snprintf (cmd, sizeof (cmd), "rm -rf '%s'", dir);
    if (system (cmd) != 0)
      printf ("FAIL cleanup of %s\n", dir);
  }
  free (bundle);
  free (dir);
}
