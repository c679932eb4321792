/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/apparmor.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "apparmor.h"
#include "mounts.h"
#include "seccomp.h"
#include "sha256.h"
#include "status.h"
#include "../oci/spec.h"
#include "../base/utils.h"
#include "verify.h"

#define MAGIC "confine-start-expectation-2"
#define RECORD_MAX_BYTES (64u << 10)
#define PROC_FILE_MAX (64u << 10)
#define PID_FILE_MAX 64
/* The wait for an exec polls from 50 us up to 1 ms: runc's init execs
 * right after `start` has read its fifo, usually within the first
 * ticks, and a busy host still costs only one wakeup per ms. */
#define POLL_FIRST_NS 50000L
#define POLL_MAX_NS 1000000L

/* ---- the record ---- */

void
confine_expect_from_verdict (const confine_spec_t *spec, const confine_verdict_t *v,
                             confine_expect_t *out)
{
  const confine_rule_result_t *aa = &v->results[CONFINE_RULE_APPARMOR];
  const confine_rule_result_t *sc = &v->results[CONFINE_RULE_SECCOMP];

  /* A PASS means the rule ran at warn or deny and found the profile loaded
   * in an allowed mode; a skipped, waived or failed rule sets no
   * expectation, or start would refuse what create let through. */
  out->apparmor_profile = NULL;
  if (aa->kind == CONFINE_RESULT_PASS && spec->process.apparmor_profile)
    out->apparmor_profile = confine_xstrdup (spec->process.apparmor_profile);
  out->seccomp = sc->kind == CONFINE_RESULT_PASS && !confine_seccomp_is_empty (spec->seccomp);
}

void
confine_expect_from_policy (const confine_context_t *ctx, bool apparmor_available,
                            confine_expect_t *out)
{
  /* Severities and exemptions are the verdict's to apply (as at create),
   * so only the host decides what to expect here. */
  memset (out, 0, sizeof (*out));
  out->apparmor_any = apparmor_available || !ctx->policy->apparmor_skip_when_unavailable;
  out->seccomp = true;
}

static void
record_name (const char *root, const char *id, char name[65])
{
  confine_sha256_t c;
  unsigned char d[32];
  uint64_t n;

  /* Keyed by root and id: two runc roots (Docker's and containerd's) may
   * hold the same id. Length-prefixed so no two pairs hash alike. */
  confine_sha256_init (&c);
  n = strlen (root);
  confine_sha256_update (&c, &n, sizeof (n));
  confine_sha256_update (&c, root, n);
  n = strlen (id);
  confine_sha256_update (&c, &n, sizeof (n));
  confine_sha256_update (&c, id, n);
  confine_sha256_final (&c, d);
  confine_hex (d, sizeof (d), name);
}

static int
records_dir (const char *dir, bool create)
{
  cleanup_close int top = -1;

  if (dir == NULL || dir[0] != '/')
    {
      errno = EINVAL;
      return -1;
    }
  if ((top = confine_open_private_dir (AT_FDCWD, dir, create)) < 0)
    return -1;
  return confine_open_private_dir (top, "containers", create);
}

static bool
one_line (const char *s)
{
  return s == NULL || strchr (s, '\n') == NULL;
}

/* The value of the line `KEY=...` that the next line must be; "" becomes
 * NULL unless KEEP_EMPTY. False when the line is not that. */
static bool
field (char **save, const char *key, bool keep_empty, char **out)
{
  char *line = strtok_r (NULL, "\n", save);
  size_t kl = strlen (key);

  if (line == NULL || strncmp (line, key, kl) != 0 || line[kl] != '=')
    return false;
  line += kl + 1;
  *out = line[0] == '\0' && !keep_empty ? NULL : confine_xstrdup (line);
  return true;
}

/* The decimal line `KEY=N`, N at most MAX, that the next line must be. */
static bool
number_field (char **save, const char *key, uint64_t max, uint64_t *out)
{
  cleanup_free char *text = NULL;

  return field (save, key, true, &text) && confine_parse_u64 (text, max, out) == 0;
}

/* Read the record NAME in DFD. True with OUT filled (and ST, the file's);
 * false when it is not a record of ours. */
static bool
read_record (int dfd, const char *name, confine_expect_t *out, struct stat *st)
{
  cleanup_close int fd = -1;
  cleanup_free char *buf = NULL;
  cleanup_free char *seccomp = NULL;
  cleanup_error confine_error_t rerr = NULL;
  confine_expect_t e = { 0 };
  char *save = NULL, *line;
  uint64_t pid = 0, dev = 0, ino = 0;
  size_t len = 0;

  fd = openat (dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  /* Only what we wrote: a record others could have written or read is
   * not ours. */
  if (fd < 0 || fstat (fd, st) < 0 || !S_ISREG (st->st_mode) || !confine_stat_ours_only (st)
      || (st->st_mode & (S_IRWXG | S_IRWXO)))
    return false;
  if (confine_read_fd (fd, RECORD_MAX_BYTES, &buf, &len, &rerr) < 0 || memchr (buf, '\0', len))
    return false;
  if ((line = strtok_r (buf, "\n", &save)) == NULL || strcmp (line, MAGIC) != 0)
    return false;
  if (!field (&save, "root", true, &e.root) || !field (&save, "id", true, &e.id)
      || !field (&save, "bundle", false, &e.bundle)
      || !number_field (&save, "pid", INT32_MAX, &pid)
      || !number_field (&save, "start", UINT64_MAX, &e.start_time)
      || !number_field (&save, "exe_dev", UINT64_MAX, &dev)
      || !number_field (&save, "exe_ino", UINT64_MAX, &ino)
      || !field (&save, "apparmor", false, &e.apparmor_profile)
      || !field (&save, "seccomp", true, &seccomp))
    {
      confine_expect_clear (&e);
      return false;
    }
  /* Roots are recorded resolved, as runc resolves them (confine_runc_root). */
  if (e.root[0] != '/' || (strcmp (seccomp, "0") != 0 && strcmp (seccomp, "1") != 0)
      || (line = strtok_r (NULL, "\n", &save)) == NULL || strcmp (line, "end") != 0
      || strtok_r (NULL, "\n", &save) != NULL)
    {
      confine_expect_clear (&e);
      return false;
    }
  e.seccomp = seccomp[0] == '1';
  e.pid = (pid_t) pid;
  e.exe_dev = (dev_t) dev;
  e.exe_ino = (ino_t) ino;
  *out = e;
  return true;
}

bool
confine_expect_load (const char *dir, const char *root, const char *id, confine_expect_t *out)
{
  cleanup_close int dfd = -1;
  char name[65];
  struct stat st;

  memset (out, 0, sizeof (*out));
  if ((dfd = records_dir (dir, false)) < 0)
    return false;
  record_name (root, id, name);
  if (!read_record (dfd, name, out, &st))
    return false;
  /* The key is a hash: check that the record is for this very pair. */
  if (strcmp (out->root, root) != 0 || strcmp (out->id, id) != 0)
    {
      confine_expect_clear (out);
      return false;
    }
  return true;
}

/* Records of containers that never started pile up: a create that failed
 * after the record was written, a container deleted without a start. One
 * is stale once its container has no state in its runtime root, and it is
 * older than any create still running (the record is written before runc
 * creates the state). Bounded per call; a record wrongly removed only
 * costs `start` the slower path (the runtime's state and the spec). */
static void
prune (int dfd, const char *keep)
{
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  struct timespec now;
  unsigned seen = 0;
  int fd = dup (dfd);

  if (fd < 0 || (d = fdopendir (fd)) == NULL)
    {
      if (fd >= 0)
        close (fd);
      return;
    }
  clock_gettime (CLOCK_REALTIME, &now);
  while ((de = readdir (d)) != NULL && seen++ < CONFINE_EXPECT_PRUNE_SCAN)
    {
      cleanup_free char *state = NULL;
      confine_expect_t e = { 0 };
      struct stat st, sst;
      if (de->d_name[0] == '.' || strlen (de->d_name) != 64 || strcmp (de->d_name, keep) == 0)
        continue;
      if (fstatat (dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0
          || now.tv_sec - st.st_mtim.tv_sec < CONFINE_EXPECT_STALE_SECONDS
          || !read_record (dfd, de->d_name, &e, &st))
        continue;
      if (asprintf (&state, "%s/%s/state.json", e.root, e.id) >= 0
          && lstat (state, &sst) < 0 && errno == ENOENT)
        unlinkat (dfd, de->d_name, 0);
      confine_expect_clear (&e);
    }
}

int
confine_expect_save (const char *dir, const confine_expect_t *e, confine_error_t *err)
{
  cleanup_close int dfd = -1;
  cleanup_free char *text = NULL;
  char name[65];
  int n;

  if (!one_line (e->root) || !one_line (e->id) || !one_line (e->bundle)
      || !one_line (e->apparmor_profile))
    return confine_make_error (err, 0, "cannot record a field with a newline");
  if ((dfd = records_dir (dir, true)) < 0)
    return confine_make_error (err, errno, "state directory `%s/containers`", dir ? dir : "");
  n = asprintf (&text,
                "%s\nroot=%s\nid=%s\nbundle=%s\npid=%d\nstart=%llu\nexe_dev=%llu\nexe_ino=%llu\n"
                "apparmor=%s\nseccomp=%d\nend\n",
                MAGIC, e->root ? e->root : "", e->id ? e->id : "", e->bundle ? e->bundle : "",
                (int) e->pid, (unsigned long long) e->start_time,
                (unsigned long long) e->exe_dev, (unsigned long long) e->exe_ino,
                e->apparmor_profile ? e->apparmor_profile : "", e->seccomp ? 1 : 0);
  if (n < 0)
    {
      text = NULL;
      return confine_make_error (err, ENOMEM, "format state record");
    }
  record_name (e->root ? e->root : "", e->id ? e->id : "", name);
  if (confine_replace_file_at (dfd, name, text, strlen (text), false, err) < 0)
    return confine_error_wrap (err, "state record");
  prune (dfd, name);
  return 0;
}

void
confine_expect_forget (const char *dir, const char *root, const char *id)
{
  cleanup_close int dfd = records_dir (dir, false);
  char name[65];

  if (dfd < 0)
    return;
  record_name (root, id, name);
  unlinkat (dfd, name, 0);
}

void
confine_expect_clear (confine_expect_t *e)
{
  free (e->root);
  free (e->id);
  free (e->bundle);
  free (e->apparmor_profile);
  memset (e, 0, sizeof (*e));
}

int
confine_verify_read_pid_file (const char *path, pid_t *pid)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_close int fd = -1;
  struct stat st;
  uint64_t v;
  size_t len = 0;

  if (path == NULL || path[0] != '/')
    return 0;
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  /* Whoever can write the pid file could point us at another process. */
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || !confine_stat_ours_only (&st))
    return 0;
  if (confine_read_fd (fd, PID_FILE_MAX, &buf, &len, &err) < 0)
    return 0;
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
    buf[--len] = '\0';
  if (confine_parse_u64 (buf, INT32_MAX, &v) < 0 || v == 0)
    return 0;
  *pid = (pid_t) v;
  return 1;
}

/* ---- the process ---- */

static bool
gone_errno (int e)
{
  return e == ENOENT || e == ESRCH;
}

/* Read a small /proc/<pid> file through the pinned directory. Returns 0,
 * or -errno. */
static int
read_at (int dirfd, const char *name, char **out)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_close int fd = openat (dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  size_t len = 0;

  if (fd < 0)
    return -errno;
  if (confine_read_fd (fd, PROC_FILE_MAX, out, &len, &err) < 0)
    return -(err->status ? err->status : EIO);
  return 0;
}

/* 1 when comm is runc's init, 0 when it is something else, -errno. */
static int
is_runc_init (int dirfd)
{
  cleanup_free char *comm = NULL;
  int r = read_at (dirfd, "comm", &comm);
  size_t n;

  if (r < 0)
    return r;
  n = strlen (comm);
  if (n > 0 && comm[n - 1] == '\n')
    comm[n - 1] = '\0';
  return strcmp (comm, CONFINE_RUNC_INIT_COMM) == 0;
}

int
confine_task_pin (pid_t pid, confine_task_ref_t *ref, confine_error_t *err)
{
  char path[32];
  int n;

  ref->pid = pid;
  ref->dirfd = -1;
  n = snprintf (path, sizeof (path), "/proc/%d", (int) pid);
  if (pid <= 0 || n < 0 || (size_t) n >= sizeof (path))
    return 0;
  ref->dirfd = open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (ref->dirfd < 0)
    return gone_errno (errno) ? 0 : confine_make_error (err, errno, "open `%s`", path);
  return 1;
}

int
confine_task_ref_open (pid_t pid, confine_task_ref_t *ref, confine_error_t *err)
{
  struct stat st;
  int r;

  if ((r = confine_task_pin (pid, ref, err)) <= 0)
    return r;
  if ((r = is_runc_init (ref->dirfd)) <= 0 || fstatat (ref->dirfd, "exe", &st, 0) < 0)
    {
      int saved = r < 0 ? -r : errno;
      confine_task_ref_close (ref);
      if (r == 0 || gone_errno (saved))
        return 0;
      return confine_make_error (err, saved, "read /proc/%d", (int) pid);
    }
  ref->exe_dev = st.st_dev;
  ref->exe_ino = st.st_ino;
  return 1;
}

/* Through the pinned fd DIRFD: the start time (field 22 of stat) of this
 * very process, which runc records to tell a recycled pid from its init.
 * Returns 1 with *START, 0 (and *START 0) when stat does not read as
 * one, negative errno when it cannot be read. */
static int
task_start_time (int dirfd, uint64_t *start)
{
  cleanup_free char *stat = NULL;
  char state = '?';
  int r = read_at (dirfd, "stat", &stat);

  *start = 0;
  if (r < 0)
    return r;
  return confine_proc_stat_parse (stat, &state, start) == 0;
}

int
confine_task_ref_open_recorded (const confine_expect_t *e, confine_task_ref_t *ref,
                                confine_error_t *err)
{
  uint64_t start = 0;
  int r;

  if ((r = confine_task_ref_open (e->pid, ref, err)) <= 0)
    return r;
  /* This very process, not a recycled pid, still running the program it
   * ran when judged (a started process can take runc's init's name, not
   * its executable). */
  if (ref->exe_dev != e->exe_dev || ref->exe_ino != e->exe_ino
      || (r = task_start_time (ref->dirfd, &start)) <= 0 || start != e->start_time)
    {
      confine_task_ref_close (ref);
      if (r < 0 && !gone_errno (-r))
        return confine_make_error (err, -r, "read /proc/%d/stat", (int) e->pid);
      return 0;
    }
  return 1;
}

int
confine_task_open_started (pid_t pid, int timeout_ms, confine_task_ref_t *ref,
                           confine_error_t *err)
{
  struct stat st;
  int r;

  if ((r = confine_task_pin (pid, ref, err)) <= 0)
    return r;
  if ((r = is_runc_init (ref->dirfd)) == 0)
    return 1;
  /* Still runc's init: wait for its execve as after start. */
  if (r < 0 || fstatat (ref->dirfd, "exe", &st, 0) < 0)
    {
      int saved = r < 0 ? -r : errno;
      if (gone_errno (saved))
        return 0;
      return confine_make_error (err, saved, "read /proc/%d", (int) pid);
    }
  ref->exe_dev = st.st_dev;
  ref->exe_ino = st.st_ino;
  return confine_task_wait_exec (ref, timeout_ms, err);
}

void
confine_task_ref_kill (const confine_task_ref_t *ref)
{
  if (ref->dirfd >= 0)
    syscall (SYS_pidfd_send_signal, ref->dirfd, SIGKILL, NULL, 0);
}

void
confine_task_ref_close (confine_task_ref_t *ref)
{
  if (ref->dirfd >= 0)
    close (ref->dirfd);
  ref->dirfd = -1;
}

int
confine_task_wait_exec (const confine_task_ref_t *ref, int timeout_ms, confine_error_t *err)
{
  struct timespec t0, now;
  struct timespec tick = { 0, POLL_FIRST_NS };

  clock_gettime (CLOCK_MONOTONIC, &t0);
  for (;;)
    {
      struct stat st;
      int r = is_runc_init (ref->dirfd);

      if (r < 0)
        return gone_errno (-r) ? 0 : confine_make_error (err, -r, "read pid %d", (int) ref->pid);
      /* The init's exe is runc's (a memfd copy in 1.1): a different file
       * or a different comm means the execve has happened. */
      if (r == 0)
        return 1;
      if (fstatat (ref->dirfd, "exe", &st, 0) < 0)
        {
          if (gone_errno (errno))
            return 0;
          return confine_make_error (err, errno, "read pid %d", (int) ref->pid);
        }
      if (st.st_dev != ref->exe_dev || st.st_ino != ref->exe_ino)
        return 1;
      clock_gettime (CLOCK_MONOTONIC, &now);
      if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 >= timeout_ms)
        return confine_make_error (err, 0, "pid %d was still runc's init %d ms after start",
                                   (int) ref->pid, timeout_ms);
      nanosleep (&tick, NULL);
      tick.tv_nsec = tick.tv_nsec * 2 > POLL_MAX_NS ? POLL_MAX_NS : tick.tv_nsec * 2;
    }
}

/* The value of `Key:\tvalue` in a /proc/<pid>/status text, or NULL. */
static const char *
status_value (const char *buf, const char *key)
{
  size_t kl = strlen (key);
  for (const char *l = buf; l && *l; l = strchr (l, '\n'), l = l ? l + 1 : NULL)
    if (strncmp (l, key, kl) == 0 && l[kl] == ':')
      {
        l += kl + 1;
        while (*l == ' ' || *l == '\t')
          l++;
        return l;
      }
  return NULL;
}

/* A small decimal `Key:` value, or -1. */
static int
status_number (const char *buf, const char *key)
{
  const char *v = status_value (buf, key);
  char *end = NULL;
  long n;
  if (v == NULL)
    return -1;
  errno = 0;
  n = strtol (v, &end, 10);
  if (errno != 0 || end == v || (*end != '\n' && *end != '\0') || n < 0 || n > 1000000)
    return -1;
  return (int) n;
}

/* The status keys of each capability set, in enum confine_cap_set order. */
static const char *const cap_keys[CONFINE_CAP_SETS]
    = { "CapBnd", "CapEff", "CapInh", "CapPrm", "CapAmb" };

int
confine_task_observe (const confine_task_ref_t *ref, bool apparmor, confine_observed_t *out,
                      confine_error_t *err)
{
  cleanup_free char *status = NULL;
  cleanup_free char *con = NULL;
  const char *v;
  int r;

  memset (out, 0, sizeof (*out));
  out->seccomp = out->seccomp_filters = out->no_new_privs = -1;
  if ((r = read_at (ref->dirfd, "status", &status)) < 0)
    {
      if (gone_errno (-r))
        return out->gone = true, 0;
      return confine_make_error (err, -r, "read /proc/%d/status", (int) ref->pid);
    }
  v = status_value (status, "State");
  if (v && (v[0] == 'Z' || v[0] == 'X'))
    return out->gone = true, 0;
  v = status_value (status, "Seccomp");
  if (v && v[0] >= '0' && v[0] <= '2' && (v[1] == '\n' || v[1] == '\0'))
    out->seccomp = v[0] - '0';
  out->seccomp_filters = status_number (status, "Seccomp_filters");
  out->no_new_privs = status_number (status, "NoNewPrivs");
  for (int set = 0; set < CONFINE_CAP_SETS; set++)
    if ((v = status_value (status, cap_keys[set])) != NULL)
      {
        char *end = NULL;
        errno = 0;
        out->caps[set] = strtoull (v, &end, 16);
        if (errno == 0 && end != v && (*end == '\n' || *end == '\0'))
          out->has_caps |= 1u << set;
      }
  if ((r = task_start_time (ref->dirfd, &out->start_time)) < 0)
    {
      if (gone_errno (-r))
        return out->gone = true, 0;
      return confine_make_error (err, -r, "read /proc/%d/stat", (int) ref->pid);
    }

  if (!apparmor)
    return 0;
  /* Where libapparmor's aa_gettaskcon looks, through our pinned fd: the
   * LSM-specific file first (5.x with LSM stacking), then the shared one. */
  r = read_at (ref->dirfd, "attr/apparmor/current", &con);
  if (r == -ENOENT)
    r = read_at (ref->dirfd, "attr/current", &con);
  if (r < 0)
    {
      if (r == -ESRCH)
        return out->gone = true, 0;
      if (asprintf (&out->label_error, "%s", strerror (-r)) < 0)
        out->label_error = NULL;
      return 0;
    }
  {
    size_t n = strlen (con);
    char *mode = NULL, *label;
    while (n > 0 && (con[n - 1] == '\n' || con[n - 1] == ' '))
      con[--n] = '\0';
    label = aa_splitcon (con, &mode);
    if (label == NULL)
      {
        if (asprintf (&out->label_error, "unparseable label `%s`", con) < 0)
          out->label_error = NULL;
        return 0;
      }
    out->label = confine_xstrdup (label);
    if (mode)
      out->mode = confine_xstrdup (mode);
  }
  return 0;
}

void
confine_observed_clear (confine_observed_t *o)
{
  free (o->label);
  free (o->mode);
  free (o->label_error);
  memset (o, 0, sizeof (*o));
  o->seccomp = o->seccomp_filters = o->no_new_privs = -1;
}

/* ---- the comparison ---- */

/* WHEN prefixes each fact: "after start, " for the shim's check, "" for
 * status. */
static void
judge_apparmor (const confine_policy_t *policy, const char *when, const confine_expect_t *e,
                pid_t pid, const confine_observed_t *o, confine_rule_result_t *r)
{
  const char *want = e->apparmor_profile;

  if (want == NULL && !e->apparmor_any)
    {
      confine_result_set (r, CONFINE_RESULT_SKIP, NULL,
                          "no AppArmor profile was judged at create");
      return;
    }
  if (o->label == NULL)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.apparmor",
                          "%sthe AppArmor label of pid %d cannot be read (%s)%s%s%s", when,
                          (int) pid, o->label_error ? o->label_error : "AppArmor is not enabled in the kernel",
                          want ? "; expected `" : "", want ? want : "", want ? "`" : "");
      return;
    }
  if (want ? strcmp (o->label, want) != 0 : strcmp (o->label, "unconfined") == 0)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.apparmor",
                          "%spid %d runs as `%s%s%s%s`%s%s%s", when, (int) pid, o->label,
                          o->mode ? " (" : "", o->mode ? o->mode : "", o->mode ? ")" : "",
                          want ? ", not under profile `" : ", with no AppArmor profile",
                          want ? want : "", want ? "`" : "");
      return;
    }
  /* Without a judged profile (status), the label itself is judged as the
   * rule judges a spec's profile. */
  if (want == NULL && !confine_apparmor_profile_allowed (policy, o->label))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "apparmor.allowed_profiles",
                          "%spid %d runs under `%s`, which apparmor.allowed_profiles does not "
                          "list", when, (int) pid, o->label);
      return;
    }
  if (o->mode == NULL || !confine_strv_has (policy->apparmor_allowed_modes, o->mode))
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "apparmor.allowed_modes",
                          "%spid %d runs under `%s` in %s mode, which does not confine", when,
                          (int) pid, o->label, o->mode ? o->mode : "no");
      return;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL, "%spid %d runs as `%s (%s)`",
                      when, (int) pid, o->label, o->mode);
}

static void
judge_seccomp (const char *when, const confine_expect_t *e, pid_t pid, const confine_observed_t *o,
               confine_rule_result_t *r)
{
  if (!e->seccomp)
    {
      confine_result_set (r, CONFINE_RESULT_SKIP, NULL,
                          "no seccomp filter was judged at create");
      return;
    }
  if (o->seccomp < 0)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.seccomp",
                          "%sthe seccomp mode of pid %d cannot be read", when, (int) pid);
      return;
    }
  if (o->seccomp != 2)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.seccomp",
                          "%spid %d has Seccomp: %d, not filter mode (2)", when, (int) pid,
                          o->seccomp);
      return;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "%spid %d is in seccomp filter mode", when, (int) pid);
}

static void
judge (const confine_context_t *ctx, const char *when, const confine_expect_t *e, pid_t pid,
       const confine_observed_t *o, confine_verdict_t *v)
{
  memset (v, 0, sizeof (*v));
  for (int i = 0; i < CONFINE_RULES; i++)
    {
      v->results[i].severity = ctx->policy->severity[i];
      v->results[i].exemption = -1;
      v->results[i].kind = CONFINE_RESULT_SKIP;
      if (i != CONFINE_RULE_APPARMOR && i != CONFINE_RULE_SECCOMP)
        confine_result_set (&v->results[i], CONFINE_RESULT_SKIP, NULL,
                            "judged at create; not observable in a running process");
    }
  if (o->gone)
    {
      confine_result_set (&v->results[CONFINE_RULE_APPARMOR], CONFINE_RESULT_SKIP, NULL,
                          "pid %d exited before it could be verified", (int) pid);
      confine_result_set (&v->results[CONFINE_RULE_SECCOMP], CONFINE_RESULT_SKIP, NULL,
                          "pid %d exited before it could be verified", (int) pid);
      return;
    }
  judge_apparmor (ctx->policy, when, e, pid, o, &v->results[CONFINE_RULE_APPARMOR]);
  judge_seccomp (when, e, pid, o, &v->results[CONFINE_RULE_SECCOMP]);
  /* The rule's severity still decides (off is not checked, warn only
   * reports), and so do exemptions, as at create. */
  confine_verdict_finish (ctx, v);
}

void
confine_verify_judge (const confine_policy_t *policy, const confine_expect_t *e, pid_t pid,
                      const confine_observed_t *o, confine_verdict_t *v)
{
  /* The expectation already leaves out what an exemption waived at
   * create; the id is all an exemption could match on here. */
  confine_context_t ctx = { .policy = policy, .id = e->id };
  judge (&ctx, e->after_exec ? "after exec, " : "after start, ", e, pid, o, v);
}

void
confine_live_judge (const confine_context_t *ctx, const confine_expect_t *e, pid_t pid,
                    const confine_observed_t *o, confine_verdict_t *v)
{
  judge (ctx, "", e, pid, o, v);
}

/* ---- every process of the container ---- */

/* Where runc 1.1 finds the hierarchies. */
#define CGROUP_ROOT "/sys/fs/cgroup"
/* A container's own cgroups below its cgroup: how deep and how many are
 * walked before the scan gives up (and the container is refused). */
#define CGROUP_MAX_DEPTH 16
#define CGROUP_MAX_DIRS 256
/* A cgroup's thread list is read whole: a decimal tid and a newline. */
#define TID_TEXT_MAX 12

/* The controllers field of a /proc/<pid>/cgroup line names CTRL. */
static bool
has_controller (const char *list, size_t n, const char *ctrl)
{
  size_t c = strlen (ctrl);
  for (const char *p = list; p < list + n;)
    {
      const char *comma = memchr (p, ',', (size_t) (list + n - p));
      size_t len = comma ? (size_t) (comma - p) : (size_t) (list + n - p);
      if (len == c && memcmp (p, ctrl, c) == 0)
        return true;
      p += len + 1;
    }
  return false;
}

int
confine_task_cgroup (const confine_task_ref_t *ref, confine_cgroup_ref_t *out,
                     confine_error_t *err)
{
  cleanup_free char *text = NULL;
  struct statfs sf;
  const char *hierarchy;
  char *save = NULL;
  int r;

  out->dirfd = -1;
  out->path = NULL;
  if (statfs (CGROUP_ROOT, &sf) < 0)
    return confine_make_error (err, errno, "statfs `%s`", CGROUP_ROOT);
  /* cgroup2: the one hierarchy. cgroup v1: pids, which runc 1.1 always
   * joins and which every process of the container stays in. */
  out->unified = sf.f_type == CGROUP2_SUPER_MAGIC;
  hierarchy = out->unified ? CGROUP_ROOT : CGROUP_ROOT "/pids";
  if (!out->unified && (statfs (hierarchy, &sf) < 0 || sf.f_type != CGROUP_SUPER_MAGIC))
    return confine_make_error (err, 0, "no cgroup v2 at `%s` and no pids hierarchy",
                               CGROUP_ROOT);
  if ((r = read_at (ref->dirfd, "cgroup", &text)) < 0)
    return confine_make_error (err, -r, "read /proc/%d/cgroup", (int) ref->pid);
  for (char *line = strtok_r (text, "\n", &save); line; line = strtok_r (NULL, "\n", &save))
    {
      char *ctrl = strchr (line, ':');
      char *path = ctrl ? strchr (ctrl + 1, ':') : NULL;
      if (path == NULL)
        continue;
      if (out->unified ? (strncmp (line, "0::", 3) != 0)
                       : !has_controller (ctrl + 1, (size_t) (path - ctrl - 1), "pids"))
        continue;
      path++;
      /* Seen from a cgroup namespace the shim is not at the root of, the
       * path climbs out of it: not a directory of ours to read. The root
       * itself would hold every process of the host. */
      if (path[0] != '/' || strstr (path, "/..") != NULL || strcmp (path, "/") == 0)
        return confine_make_error (err, 0, "/proc/%d/cgroup names `%s`, not a container's "
                                   "cgroup in this cgroup namespace", (int) ref->pid, path);
      out->path = confine_xasprintf ("%s%s", hierarchy, path);
      /* Opened now, while the init waits: the directory, not a path that
       * could name another one later. */
      out->dirfd = open (out->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (out->dirfd < 0)
        return confine_make_error (err, errno, "open the container's cgroup `%s`", out->path);
      return 0;
    }
  return confine_make_error (err, 0, "/proc/%d/cgroup has no %s line", (int) ref->pid,
                             out->unified ? "cgroup2" : "pids");
}

void
confine_cgroup_ref_close (confine_cgroup_ref_t *cg)
{
  if (cg->dirfd >= 0)
    close (cg->dirfd);
  cg->dirfd = -1;
  free (cg->path);
  cg->path = NULL;
}

typedef struct
{
  pid_t *tids;
  size_t n;
  unsigned dirs;
} tid_list_t;

static int
tid_cmp (const void *a, const void *b)
{
  pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
  return (x > y) - (x < y);
}

/* Append the threads of the cgroup DFD (its thread list: cgroup2's
 * cgroup.threads, v1's tasks, which name every thread, not only leaders:
 * a leader that has exited shows as a zombie while its threads run on)
 * and of every cgroup below it. */
static int
list_threads (const confine_cgroup_ref_t *cg, int dfd, unsigned depth, tid_list_t *out,
              confine_error_t *err)
{
  const char *file = cg->unified ? "cgroup.threads" : "tasks";
  cleanup_close int fd = openat (dfd, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  cleanup_free char *text = NULL;
  cleanup_dir DIR *d = NULL;
  struct dirent *de;
  char *save = NULL;
  size_t len = 0;
  int sub;

  if (++out->dirs > CGROUP_MAX_DIRS || depth > CGROUP_MAX_DEPTH)
    return confine_make_error (err, 0, "`%s` has more than %d cgroups, or deeper than %d",
                               cg->path, CGROUP_MAX_DIRS, CGROUP_MAX_DEPTH);
  /* Unreadable, or removed (the container ended and was deleted), is not
   * known to be empty. */
  if (fd < 0)
    return confine_make_error (err, errno, "`%s`: open %s", cg->path, file);
  if (confine_read_fd (fd, (size_t) CONFINE_VERIFY_REST_MAX * TID_TEXT_MAX, &text, &len, err) < 0)
    return confine_error_wrap (err, "`%s`: more than %d threads, or %s cannot be read",
                               cg->path, CONFINE_VERIFY_REST_MAX, file);
  for (char *tok = strtok_r (text, "\n", &save); tok; tok = strtok_r (NULL, "\n", &save))
    {
      uint64_t v;
      if (confine_parse_u64 (tok, INT32_MAX, &v) < 0 || v == 0)
        return confine_make_error (err, 0, "`%s/%s`: not a thread id: `%s`", cg->path, file, tok);
      if (out->n >= CONFINE_VERIFY_REST_MAX)
        return confine_make_error (err, 0, "`%s` has more than %d threads", cg->path,
                                   CONFINE_VERIFY_REST_MAX);
      out->tids[out->n++] = (pid_t) v;
    }
  if ((sub = dup (dfd)) < 0)
    return confine_make_error (err, errno, "`%s`", cg->path);
  if ((d = fdopendir (sub)) == NULL)
    {
      close (sub);
      return confine_make_error (err, errno, "list `%s`", cg->path);
    }
  while ((errno = 0, de = readdir (d)) != NULL)
    {
      cleanup_close int child = -1;
      /* cgroupfs gives every entry's type: a cgroup is a directory. */
      if (de->d_type != DT_DIR || strcmp (de->d_name, ".") == 0 || strcmp (de->d_name, "..") == 0)
        continue;
      child = openat (dirfd (d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (child < 0)
        return confine_make_error (err, errno, "`%s`: open cgroup `%s`", cg->path, de->d_name);
      if (list_threads (cg, child, depth + 1, out, err) < 0)
        return -1;
    }
  if (errno != 0)
    return confine_make_error (err, errno, "list `%s`", cg->path);
  return 0;
}

uint64_t
confine_boot_ticks (void)
{
  struct timespec ts;
  long hz = sysconf (_SC_CLK_TCK);

  /* /proc/<pid>/stat's start time counts clock ticks of CLOCK_BOOTTIME. */
  if (hz <= 0 || clock_gettime (CLOCK_BOOTTIME, &ts) < 0)
    return 0;
  return (uint64_t) ts.tv_sec * (uint64_t) hz + (uint64_t) ts.tv_nsec / (1000000000u / (uint64_t) hz);
}

/* Thread TID started before SINCE (clock ticks after boot): 1 when it
 * did, 0 when it did not or is gone (both leave it out), negative when
 * that cannot be read (it is then judged). */
static int
started_before (pid_t tid, uint64_t since)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *text = NULL;
  char path[32], state = '?';
  uint64_t start = 0;
  size_t len = 0;

  if (snprintf (path, sizeof (path), "/proc/%d/stat", (int) tid) >= (int) sizeof (path))
    return -1;
  if (confine_read_file (path, PROC_FILE_MAX, &text, &len, &err) < 0)
    return err->status == ENOENT || err->status == ESRCH ? 0 : -1;
  if (confine_proc_stat_parse (text, &state, &start) < 0 || start == 0)
    return -1;
  return start < since;
}

/* The sorted thread ids of CG and below; with SINCE, only those that
 * started at or after it (clock ticks after boot). */
static int
read_threads (const confine_cgroup_ref_t *cg, uint64_t since, tid_list_t *out,
              confine_error_t *err)
{
  size_t kept = 0;

  out->n = 0;
  out->dirs = 0;
  if (list_threads (cg, cg->dirfd, 0, out, err) < 0)
    return -1;
  qsort (out->tids, out->n, sizeof (pid_t), tid_cmp);
  if (since == 0)
    return 0;
  for (size_t i = 0; i < out->n; i++)
    if (started_before (out->tids[i], since) != 1)
      out->tids[kept++] = out->tids[i];
  out->n = kept;
  return 0;
}

/* Judge thread TID against each of the N expectations E: it passes when
 * one of them passes. Returns 1 with V filled (the passing verdict, else
 * the first one's), 0 when it is really gone (no such task, or a zombie),
 * negative when it cannot be judged. */
static int
judge_thread (const confine_policy_t *policy, const confine_expect_t *e, size_t n, pid_t tid,
              confine_verdict_t *v, confine_error_t *err)
{
  confine_task_ref_t ref = { .dirfd = -1 };
  confine_observed_t seen = { 0 };
  bool apparmor = false;
  int r;

  for (size_t k = 0; k < n; k++)
    apparmor = apparmor || e[k].apparmor_profile != NULL || e[k].apparmor_any;
  /* /proc/<tid> is that thread, listed or not: its own state, Seccomp:
   * and AppArmor label, which are each thread's. A tid recycled since
   * the list was read names another process, judged all the same: at
   * worst a refusal. */
  if ((r = confine_task_pin (tid, &ref, err)) <= 0)
    return r;
  r = confine_task_observe (&ref, apparmor, &seen, err);
  confine_task_ref_close (&ref);
  if (r < 0 || seen.gone)
    {
      confine_observed_clear (&seen);
      return r < 0 ? -1 : 0;
    }
  confine_verify_judge (policy, &e[0], tid, &seen, v);
  for (size_t k = 1; k < n && (v->refused || v->would_refuse); k++)
    {
      confine_verdict_t other;
      confine_verify_judge (policy, &e[k], tid, &seen, &other);
      if (other.refused || other.would_refuse)
        confine_verdict_clear (&other);
      else
        {
          confine_verdict_clear (v);
          *v = other;
        }
    }
  confine_observed_clear (&seen);
  return 1;
}

int
confine_verify_judge_cgroup (const confine_policy_t *policy, const confine_expect_t *e,
                             size_t n_e, const confine_cgroup_ref_t *cg, uint64_t since,
                             bool init_gone,
                             confine_verdict_t *v, confine_error_t *err)
{
  cleanup_free pid_t *a = confine_xcalloc (CONFINE_VERIFY_REST_MAX, sizeof (pid_t));
  cleanup_free pid_t *b = confine_xcalloc (CONFINE_VERIFY_REST_MAX, sizeof (pid_t));
  tid_list_t cur = { .tids = a }, next = { .tids = b };
  struct timespec t0, now;

  clock_gettime (CLOCK_MONOTONIC, &t0);
  if (read_threads (cg, since, &cur, err) < 0)
    return confine_error_wrap (err, "the container's processes");
  for (int round = 0; round < CONFINE_VERIFY_ROUNDS; round++)
    {
      pid_t *swap;
      /* Every thread listed is judged after the list was read; the list
       * is read again after the last one is judged. When both lists are
       * the same, every thread alive at the second reading was judged
       * alive (a confined process forks only confined ones, and cannot
       * shed its label) or was already gone. */
      for (size_t i = 0; i < cur.n; i++)
        {
          confine_verdict_t tv;
          int r;
          /* Bounded in time as well, well within the shim's deadline,
           * which would end us and leave the container running. */
          clock_gettime (CLOCK_MONOTONIC, &now);
          if ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000
              >= CONFINE_VERIFY_SCAN_MS)
            return confine_make_error (err, 0, "the threads of `%s` were not all judged in %d ms",
                                       cg->path, CONFINE_VERIFY_SCAN_MS);
          r = judge_thread (policy, e, n_e, cur.tids[i], &tv, err);
          if (r < 0)
            return confine_error_wrap (err, "thread %d of the container cannot be judged",
                                       (int) cur.tids[i]);
          if (r == 0)
            continue;
          /* The first thread that does not pass is the verdict; while all
           * pass, the init's stands unless it was gone. */
          if (tv.refused || tv.would_refuse || init_gone)
            {
              confine_verdict_clear (v);
              *v = tv;
              init_gone = false;
              if (v->refused || v->would_refuse)
                return 0;
            }
          else
            confine_verdict_clear (&tv);
        }
      if (read_threads (cg, since, &next, err) < 0)
        return confine_error_wrap (err, "the container's processes");
      if (next.n == cur.n && memcmp (next.tids, cur.tids, cur.n * sizeof (pid_t)) == 0)
        return 0;
      swap = cur.tids;
      cur = next;
      next.tids = swap;
    }
  return confine_make_error (err, 0, "the threads of `%s` kept changing over %d readings",
                             cg->path, CONFINE_VERIFY_ROUNDS);
}

/* ---- the runtime as a child ---- */

static volatile sig_atomic_t child_pid;

static void
forward (int sig)
{
  if (child_pid > 0)
    kill (child_pid, sig);
}

/* What an engine uses to stop a runtime call; the child gets them too. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 };
#define N_FORWARDED (sizeof (forwarded) / sizeof (forwarded[0]))

int
confine_run_child (const char *path, char *const *argv, int *status, char **out, size_t max,
                   confine_error_t *err)
{
  struct sigaction old[N_FORWARDED], sa;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  sigset_t block, saved;
  cleanup_close int rd = -1;
  cleanup_close int wr = -1;
  cleanup_free char *buf = NULL;
  size_t len = 0;
  int ws = 0, ret = 0, e;
  pid_t pid = 0;

  if (out)
    {
      int p[2];
      if (pipe2 (p, O_CLOEXEC) < 0)
        return confine_make_error (err, errno, "pipe");
      rd = p[0];
      wr = p[1];
    }
  /* posix_spawn, not fork: glibc's runs the child on our memory until it
   * execs (CLONE_VM|CLONE_VFORK), so no page table is copied and no page
   * we write afterwards takes a copy-on-write fault. That is on every
   * runtime call the shim makes. */
  posix_spawnattr_init (&attr);
  posix_spawn_file_actions_init (&actions);
  if (out
      && ((e = posix_spawn_file_actions_adddup2 (&actions, wr, STDOUT_FILENO)) != 0
          || (e = posix_spawn_file_actions_addopen (&actions, STDERR_FILENO, "/dev/null",
                                                    O_WRONLY, 0))
                 != 0))
    {
      posix_spawn_file_actions_destroy (&actions);
      posix_spawnattr_destroy (&attr);
      return confine_make_error (err, e, "run `%s`", path);
    }
  sigemptyset (&block);
  for (size_t i = 0; i < N_FORWARDED; i++)
    sigaddset (&block, forwarded[i]);
  /* Blocked across the spawn, so a signal is either forwarded to the
   * child or delivered to it directly, never lost in between. The child
   * starts with our original mask; glibc resets to the default every
   * signal we catch (the forwarding handler is ours, not the runtime's),
   * and one we were told to ignore stays ignored, as execve does. */
  sigprocmask (SIG_BLOCK, &block, &saved);
  posix_spawnattr_setsigmask (&attr, &saved);
  posix_spawnattr_setflags (&attr, POSIX_SPAWN_SETSIGMASK);
  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = forward;
  sa.sa_flags = SA_RESTART;
  /* One call per signal on the common path; an ignored one is put back
   * at once (all of them are blocked here, so none is caught meanwhile). */
  for (size_t i = 0; i < N_FORWARDED; i++)
    if (sigaction (forwarded[i], &sa, &old[i]) == 0 && old[i].sa_handler == SIG_IGN)
      sigaction (forwarded[i], &old[i], NULL);

  /* An execve that fails is reported here, not as an exit status. */
  if ((e = posix_spawn (&pid, path, &actions, &attr, argv, environ)) != 0)
    ret = confine_make_error (err, e, "run `%s`", path);
  else
    child_pid = pid;
  posix_spawn_file_actions_destroy (&actions);
  posix_spawnattr_destroy (&attr);
  sigprocmask (SIG_SETMASK, &saved, NULL);

  if (pid > 0 && out)
    {
      cleanup_error confine_error_t rerr = NULL;
      close (steal_fd (&wr));
      if (confine_read_fd (rd, max, &buf, &len, &rerr) < 0)
        {
          /* Too much output: stop reading, let the child end on EPIPE. */
          close (steal_fd (&rd));
          ret = confine_make_error (err, rerr->status, "`%s`: %s", path, rerr->msg);
        }
    }
  while (pid > 0 && waitpid (pid, &ws, 0) < 0)
    if (errno != EINTR)
      {
        ret = confine_make_error (err, errno, "wait for `%s`", path);
        break;
      }
  child_pid = 0;
  for (size_t i = 0; i < N_FORWARDED; i++)
    sigaction (forwarded[i], &old[i], NULL);
  if (ret < 0)
    return ret;
  *status = WIFEXITED (ws) ? WEXITSTATUS (ws) : WIFSIGNALED (ws) ? 128 + WTERMSIG (ws) : 1;
  if (out)
    *out = steal_pointer (&buf);
  return 0;
}

/* ---- finding the container ---- */

char **
confine_runtime_argv (const confine_runtime_t *rt, const char *const *cmd)
{
  size_t n = 0, k = 0;
  char **v;

  while (cmd[n])
    n++;
  v = confine_xcalloc (rt->n_globals + n + 1, sizeof (char *));
  for (size_t i = 0; i < rt->n_globals; i++)
    v[k++] = rt->globals[i];
  for (size_t i = 0; i < n; i++)
    v[k++] = (char *) cmd[i];
  return v;
}

int
confine_verify_find (const confine_runtime_t *rt, const confine_policy_t *policy,
                     const char *root, const char *id, confine_expect_t *e,
                     confine_task_ref_t *ref, confine_error_t *err)
{
  /* `--`: runc takes any id matching [\w+\-.]+, `-x` too. */
  const char *state_cmd[] = { "state", "--", id, NULL };
  cleanup_free char **sv = NULL;
  cleanup_free char *out = NULL;
  cleanup_state confine_state_t *st = NULL;
  int r, status = 0;

  ref->dirfd = -1;
  if (confine_expect_load (policy->cache_dir, root, id, e))
    {
      if ((r = confine_task_ref_open_recorded (e, ref, err)) != 0)
        return r;
      /* Not the init judged after create (gone, started, or another
       * container's by now): the record is for no process that waits,
       * and what waits under this id is judged afresh below. */
      confine_expect_clear (e);
    }

  /* `state` is a Go program: about 5 ms on the critical path, so only
   * when the record is missing or does not fit. */
  sv = confine_runtime_argv (rt, state_cmd);
  if (confine_run_child (rt->path, sv, &status, &out, CONFINE_STATE_MAX_BYTES, err) < 0)
    return -1;
  if (status != 0)
    return 0;
  if (confine_state_parse (out, strlen (out), &st, err) < 0)
    return confine_error_wrap (err, "`state %s`", id);
  if (st->status == NULL || strcmp (st->status, "created") != 0)
    return 0;
  if (st->pid <= 0 || st->pid > INT32_MAX
      || (r = confine_task_ref_open ((pid_t) st->pid, ref, err)) == 0)
    return confine_make_error (err, 0, "container `%s` is created, but pid %lld is not its "
                               "waiting init", id, (long long) st->pid);
  if (r < 0)
    return -1;

  /* Created around the shim, or its check after create never finished
   * (no record, or one naming another init): judge the bundle as create
   * would have, and the waiting init as the check after create does. */
  cleanup_spec confine_spec_t *spec = NULL;
  confine_observed_t seen = { 0 };
  confine_verdict_t v = { 0 };
  confine_context_t ctx = { .policy = policy, .id = id, .bundle = st->bundle };
  if (confine_spec_load_bundle (st->bundle, &spec, NULL, err) < 0)
    return confine_error_wrap (err, "bundle `%s`", st->bundle);
  ctx.annotations = spec->annotations;
  ctx.n_annotations = spec->n_annotations;
  confine_evaluate_spec (&ctx, spec, &v);
  /* What start expects is the spec's (in audit mode the check after
   * start then logs what the init lacks). */
  confine_expect_from_verdict (spec, &v, e);
  r = confine_task_observe (ref, false, &seen, err);
  if (r == 0)
    r = confine_verify_created_judge (&ctx, spec, ref, &seen, &v, err);
  confine_observed_clear (&seen);
  /* It has not started yet: a container the gate refuses never does. */
  if (r == 0 && v.refused)
    {
      cleanup_free char *summary = NULL;
      r = confine_verdict_summary (&v, &summary, err);
      if (r == 0)
        r = confine_make_error (err, 0, "container `%s` was created without the gate, and "
                                "it is %s", id, summary);
    }
  confine_verdict_clear (&v);
  if (r < 0)
    return -1;
  e->bundle = confine_xstrdup (st->bundle);
  return 1;
}

/* Run the runtime's CMD; when it fails, SIGKILL the init if REF shows it
 * still alive. */
static void
stop (const confine_runtime_t *rt, const char *const *cmd, const confine_task_ref_t *ref)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char **argv = confine_runtime_argv (rt, cmd);
  int status = 1;

  if (confine_run_child (rt->path, argv, &status, NULL, 0, &err) == 0 && status == 0)
    return;
  if (ref)
    confine_task_ref_kill (ref);
}

void
confine_verify_kill (const confine_runtime_t *rt, const char *id, const confine_task_ref_t *ref)
{
  const char *cmd[] = { "kill", "--", id, "KILL", NULL };
  stop (rt, cmd, ref);
}

/* SIGKILL every thread left in CG, until none is listed (bounded). */
static void
kill_cgroup (const confine_cgroup_ref_t *cg)
{
  cleanup_free pid_t *tids = confine_xcalloc (CONFINE_VERIFY_REST_MAX, sizeof (pid_t));
  tid_list_t list = { .tids = tids };
  struct timespec tick = { 0, POLL_MAX_NS };
  cleanup_close int fd = -1;

  /* cgroup2 (5.14 on) kills the whole subtree at once, forks included. */
  if (cg->unified
      && (fd = openat (cg->dirfd, "cgroup.kill", O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0)
    (void) !write (fd, "1", 1);
  for (int i = 0; i < CONFINE_VERIFY_ROUNDS; i++)
    {
      cleanup_error confine_error_t err = NULL;
      if (read_threads (cg, 0, &list, &err) < 0 || list.n == 0)
        return;
      for (size_t t = 0; t < list.n; t++)
        kill (list.tids[t], SIGKILL);
      nanosleep (&tick, NULL);
    }
}

void
confine_verify_kill_all (const confine_runtime_t *rt, const char *id,
                         const confine_task_ref_t *ref, const confine_cgroup_ref_t *cg)
{
  const char *cmd[] = { "kill", "--all", "--", id, "KILL", NULL };
  stop (rt, cmd, ref);
  /* Whatever the runtime did (it finds no container that was deleted
   * meanwhile), what is still in the container's cgroup is killed. */
  if (cg && cg->dirfd >= 0)
    kill_cgroup (cg);
}

/* ---- after create ---- */

/* runc's userns.RunningInUserNS: anything but the full identity map. */
static bool
in_user_ns (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *map = NULL;
  unsigned long id, parent, count;
  int n = 0;

  /* The file exists wherever user namespaces do; runc reads its absence
   * as the initial namespace. */
  if (confine_read_file ("/proc/self/uid_map", PROC_FILE_MAX, &map, NULL, &err) < 0)
    return false;
  return sscanf (map, " %lu %lu %lu %n", &id, &parent, &count, &n) != 3 || map[n] != '\0'
         || id != 0 || parent != 0 || count != 4294967295ul;
}

int
confine_runc_root (const char *root, char **out, confine_error_t *err)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  const char *user = getenv ("USER");
  cleanup_free char *cwd = NULL;
  int n;

  /* reviseRootDir: filepath.Abs, which cleans the path too (`R/` and
   * `R/./x/..` are runc's `R`). */
  if (root && root[0] == '/')
    {
      *out = confine_path_clean (root);
      return 0;
    }
  /* runc 1.1 leaves an empty --root as it is and makes it absolute only
   * later, from whatever directory that command is in (the bundle for
   * create, anywhere for delete): no one place to find the container. */
  if (root && root[0] == '\0')
    return confine_make_error (err, 0, "an empty runtime root (--root \"\") names no one "
                               "directory runc will find the container in again");
  if (root)
    {
      /* reviseRootDir makes --root absolute in app.Before, from the
       * directory runc starts in (ours), before create changes into the
       * bundle. */
      cleanup_free char *joined = NULL;
      if ((cwd = getcwd (NULL, 0)) == NULL)
        return confine_make_error (err, errno, "runtime root `%s` is relative", root);
      joined = confine_xasprintf ("%s/%s", cwd, root);
      *out = confine_path_clean (joined);
      return 0;
    }
  /* main.go and shouldHonorXDGRuntimeDir: $XDG_RUNTIME_DIR/runc for an
   * unprivileged user, or for root in a user namespace unless USER is
   * root; /run/runc otherwise. */
  else if (xdg && xdg[0] && (geteuid () != 0 || (in_user_ns () && (user == NULL || strcmp (user, "root") != 0))))
    n = asprintf (out, "%s/runc", xdg);
  else
    n = asprintf (out, "/run/runc");
  if (n < 0)
    return confine_make_error (err, ENOMEM, "runtime root");
  return 0;
}

/* runc's record of container ID under ROOT: a regular file that only we
 * (root, as runc) can write, in the directory runc made for ID. */
static int
runc_record (const char *root, const char *id, confine_runc_state_t *st, confine_error_t *err)
{
  cleanup_free char *path = NULL;
  cleanup_free char *buf = NULL;
  cleanup_close int fd = -1;
  struct stat sb;
  size_t len = 0;

  /* runc accepts only ids matching ^[\w+-\.]+$, never `.` or `..`. */
  if (id == NULL || id[0] == '\0' || strchr (id, '/') || strcmp (id, ".") == 0
      || strcmp (id, "..") == 0)
    return confine_make_error (err, 0, "container id `%s` is not one runc accepts", id ? id : "");
  if (asprintf (&path, "%s/%s/state.json", root, id) < 0)
    return confine_make_error (err, ENOMEM, "state path");
  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    return confine_make_error (err, errno, "open runc's state `%s`", path);
  if (fstat (fd, &sb) < 0)
    return confine_make_error (err, errno, "stat `%s`", path);
  if (!S_ISREG (sb.st_mode) || !confine_stat_ours_only (&sb))
    return confine_make_error (err, 0, "runc's state `%s` is not a regular file only we can "
                               "write", path);
  if (confine_read_fd (fd, CONFINE_RUNC_STATE_MAX_BYTES, &buf, &len, err) < 0
      || confine_runc_state_parse (buf, len, st, err) < 0)
    return confine_error_wrap (err, "runc's state `%s`", path);
  if (st->id == NULL || strcmp (st->id, id) != 0)
    return confine_make_error (err, 0, "runc's state `%s` is of container `%s`", path,
                               st->id ? st->id : "");
  return 0;
}

/* The bundle runc says it ran (its `bundle=` label, runc's working
 * directory when it read config.json) is the directory the gate judged,
 * BUNDLE_FD: the same inode, however either path is spelt. */
static int
same_bundle (const confine_runc_state_t *st, int bundle_fd, const char *judged,
             confine_error_t *err)
{
  struct stat a, b;

  if (st->bundle == NULL)
    return confine_make_error (err, 0, "runc's state names no bundle");
  if (stat (st->bundle, &a) < 0)
    return confine_make_error (err, errno, "runc's bundle `%s`", st->bundle);
  if (fstat (bundle_fd, &b) < 0)
    return confine_make_error (err, errno, "the judged bundle `%s`", judged);
  if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
    return confine_make_error (err, 0, "runc created the container from bundle `%s`, not from "
                               "`%s`, which the gate judged", st->bundle, judged);
  return 0;
}

/* CAPABILITIES: each set the init holds is within the spec's set of the
 * same name, which the rule judged. After execve the kernel derives the
 * process's sets from these (bounding, inheritable, ambient, and for
 * root the permitted set from the first two), so nothing beyond the
 * judged sets can appear there. */
static void
judge_caps (const confine_spec_t *spec, pid_t pid, const confine_observed_t *o,
            confine_rule_result_t *r)
{
  for (int set = 0; set < CONFINE_CAP_SETS; set++)
    {
      uint64_t extra;
      if (!(o->has_caps & (1u << set)))
        {
          confine_result_set (r, CONFINE_RESULT_FAIL, "capabilities.forbidden",
                              "after create, the %s capabilities of pid %d cannot be read",
                              confine_cap_set_names[set], (int) pid);
          return;
        }
      extra = o->caps[set] & ~confine_caps_mask (spec->process.caps.names[set]);
      if (extra)
        {
          int bit = __builtin_ctzll (extra);
          char *name = cap_to_name ((cap_value_t) bit);
          /* libcap's names are lower case; specs spell them as runc does. */
          for (char *c = name; c && *c; c++)
            *c = (char) (*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
          confine_result_set (r, CONFINE_RESULT_FAIL, "capabilities.forbidden",
                              "after create, pid %d holds %s in its %s set, which the "
                              "spec does not give",
                              (int) pid, name ? name : "an unnamed capability",
                              confine_cap_set_names[set]);
          cap_free (name);
          return;
        }
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "after create, pid %d holds no capability beyond the spec's sets",
                      (int) pid);
}

static void
judge_no_new_privs (const confine_spec_t *spec, pid_t pid, const confine_observed_t *o,
                    confine_rule_result_t *r)
{
  if (!spec->process.no_new_privileges)
    {
      confine_result_set (r, CONFINE_RESULT_SKIP, NULL, "not asked for");
      return;
    }
  if (o->no_new_privs != 1)
    {
      confine_result_set (r, CONFINE_RESULT_FAIL, "rules.no_new_privileges",
                          "after create, pid %d has NoNewPrivs: %d, though the spec sets "
                          "noNewPrivileges",
                          (int) pid, o->no_new_privs);
      return;
    }
  confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                      "after create, pid %d has no_new_privs set", (int) pid);
}

/* runc 1.1 loads the filter before the init waits for `start`, with or
 * without noNewPrivileges (standard_init_linux.go: without it, before
 * the capabilities are dropped; with it, after, but still before the
 * exec fifo is opened). */
static void
judge_filter (const confine_spec_t *spec, pid_t pid, const confine_observed_t *o,
              confine_rule_result_t *r)
{
  confine_expect_t e = { .seccomp = !confine_seccomp_is_empty (spec->seccomp) };
  judge_seccomp ("after create, ", &e, pid, o, r);
}

/* Put what the init shows for a rule (LIVE) into the spec's result R: a
 * failure replaces it, a pass is added to its fact, after WHEN. */
static void
merge (confine_rule_result_t *r, confine_rule_result_t *live, const char *when)
{
  if (live->kind == CONFINE_RESULT_FAIL)
    {
      free (r->fact);
      confine_free_strv (r->names);
      r->names = NULL;
      r->kind = live->kind;
      r->policy_key = live->policy_key;
      r->fact = steal_pointer (&live->fact);
    }
  else if (live->kind == CONFINE_RESULT_PASS && r->kind == CONFINE_RESULT_PASS)
    confine_result_set (r, r->kind, r->policy_key, "%s; %s%s", r->fact ? r->fact : "", when,
                        live->fact ? live->fact : "");
  free (live->fact);
  confine_free_strv (live->names);
}

int
confine_verify_created_find (const char *root, const char *id, const char *bundle, int bundle_fd,
                             confine_task_ref_t *ref, confine_observed_t *seen,
                             confine_error_t *err)
{
  confine_runc_state_t st = { 0 };
  int r = -1;

  ref->dirfd = -1;
  if (runc_record (root, id, &st, err) < 0 || same_bundle (&st, bundle_fd, bundle, err) < 0)
    goto out;
  if (st.pid <= 0 || st.pid > INT32_MAX || !st.has_start
      || (r = confine_task_ref_open ((pid_t) st.pid, ref, err)) == 0)
    {
      r = confine_make_error (err, 0, "runc's state names pid %lld, which is not the container's "
                              "waiting init", (long long) st.pid);
      goto out;
    }
  if (r < 0 || (r = confine_task_observe (ref, false, seen, err)) < 0)
    goto out;
  /* The pinned process is the one runc recorded, not a recycled pid. */
  if (seen->gone || seen->start_time != st.start)
    r = confine_make_error (err, 0, "pid %d is not the init runc recorded (started at %llu, "
                            "not %llu)", (int) ref->pid, (unsigned long long) seen->start_time,
                            (unsigned long long) st.start);
out:
  confine_runc_state_clear (&st);
  return r < 0 ? -1 : 0;
}

int
confine_verify_created_judge (const confine_context_t *ctx, const confine_spec_t *spec,
                              const confine_task_ref_t *ref, const confine_observed_t *seen,
                              confine_verdict_t *v, confine_error_t *err)
{
  static const int rules[] = { CONFINE_RULE_SECCOMP,   CONFINE_RULE_CAPABILITIES,
                               CONFINE_RULE_NAMESPACES, CONFINE_RULE_MOUNTS,
                               CONFINE_RULE_NO_NEW_PRIVILEGES, CONFINE_RULE_CWD };
  confine_subject_t subject = { .spec = spec, .process = &spec->process };
  confine_context_t live = *ctx;
  int r;

  live.pid = ref->pid;
  for (size_t i = 0; i < sizeof (rules) / sizeof (rules[0]); i++)
    {
      confine_rule_result_t one = { .exemption = -1, .kind = CONFINE_RESULT_SKIP };
      int k = rules[i];
      /* The rules' own live judgements do not say when. */
      bool by_rule = k == CONFINE_RULE_NAMESPACES || k == CONFINE_RULE_MOUNTS
                     || k == CONFINE_RULE_CWD;
      if (v->results[k].severity == CONFINE_SEV_OFF)
        continue;
      switch (k)
        {
        case CONFINE_RULE_SECCOMP:
          judge_filter (spec, ref->pid, seen, &one);
          r = 0;
          break;
        case CONFINE_RULE_CAPABILITIES:
          judge_caps (spec, ref->pid, seen, &one);
          r = 0;
          break;
        case CONFINE_RULE_NAMESPACES:
          r = confine_namespaces_judge_live (&live, spec, &one, err);
          break;
        case CONFINE_RULE_MOUNTS:
          r = confine_mounts_judge_live (&live, spec, live.pid, &one, err);
          break;
        case CONFINE_RULE_NO_NEW_PRIVILEGES:
          judge_no_new_privs (spec, ref->pid, seen, &one);
          r = 0;
          break;
        default:
          r = confine_rule_cwd (&live, &subject, &one, err);
          break;
        }
      /* As in the evaluation: an error fails the rule, never passes it. */
      if (r < 0)
        confine_result_from_error (&one, confine_rule_names[k], "after create", err);
      merge (&v->results[k], &one, by_rule ? "after create, " : "");
    }
  /* Every fact above was read by pid: the pid was this process's the
   * whole time only if it is still alive and still runc's init now. */
  if ((r = is_runc_init (ref->dirfd)) <= 0)
    return r < 0 && !gone_errno (-r)
               ? confine_make_error (err, -r, "read pid %d", (int) ref->pid)
               : confine_make_error (err, 0, "pid %d exited or changed while it was verified",
                                     (int) ref->pid);
  confine_verdict_finish (ctx, v);
  return 0;
}

void
confine_verify_destroy (const confine_runtime_t *rt, const char *id, const confine_task_ref_t *ref)
{
  const char *cmd[] = { "delete", "--force", "--", id, NULL };
  /* Killed first by its pin: a container that must not run never gets
   * the chance, whatever the runtime's delete does. */
  if (ref)
    confine_task_ref_kill (ref);
  stop (rt, cmd, ref);
}
