/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel's records of what confinement stopped: AppArmor denials
 * (audit type 1400, AVC) and seccomp actions (type 1326, SECCOMP), as the
 * kernel prints them to its log when no audit daemon listens, or as
 * auditd writes them to /var/log/audit/audit.log. For `confine
 * denials`: which container, which profile or filter, which operation or
 * syscall. */
#ifndef CONFINE_DENIALS_H
#define CONFINE_DENIALS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "../base/error.h"

/* Records kept per read, newest last; older ones are dropped first. */
#define CONFINE_DENIALS_MAX 10000
#define CONFINE_AUDIT_LOG_MAX (256u << 20)

typedef enum
{
  CONFINE_DENIAL_SECCOMP,
  CONFINE_DENIAL_APPARMOR,
} confine_denial_kind_t;

typedef struct
{
  confine_denial_kind_t kind;
  int64_t time;        /* seconds since the epoch, from audit(TIME:SERIAL) */
  unsigned msec;
  uint64_t serial;     /* with TIME, the record's identity */
  pid_t pid;
  char *comm;
  char *exe;
  /* seccomp */
  uint32_t arch;       /* AUDIT_ARCH_*, which libseccomp's arch tokens equal */
  long syscall;
  char *syscall_name;  /* resolved for ARCH, or NULL */
  uint32_t code;       /* the filter's return value */
  const char *action;  /* "log", "errno", "kill_process", ... */
  /* AppArmor */
  char *outcome;       /* "DENIED", or "ALLOWED" in complain mode */
  char *operation;
  char *profile;
  char *name;          /* the object, a path mostly */
  char *denied_mask;
} confine_denial_t;

/* Parse one record, a kernel log line (`audit: type=1326 audit(...): ...`)
 * or an audit.log line (`type=SECCOMP msg=audit(...): ...`). True with OUT
 * filled, false when LINE is no such record. */
bool confine_denial_parse (const char *line, confine_denial_t *out);
void confine_denial_clear (confine_denial_t *d);

typedef struct
{
  confine_denial_t *items;
  size_t n;
} confine_denials_t;

/* Add the records of a kernel log (/dev/kmsg: one record per read) or of
 * an audit log file, skipping any already in LIST (a record can be in
 * both). The kernel log needs CAP_SYSLOG when kernel.dmesg_restrict is
 * set. */
int confine_denials_read_kmsg (const char *path, confine_denials_t *list, confine_error_t *err);
int confine_denials_read_file (const char *path, confine_denials_t *list, confine_error_t *err);
void confine_denials_clear (confine_denials_t *list);

/* When process PID started, in seconds since the epoch, or -1 when it is
 * gone: a record older than its process is about another process that
 * had the same pid. */
int64_t confine_process_start_time (pid_t pid);

/* Where a process lives: its cgroups (the whole /proc/<pid>/cgroup) and
 * its pid namespace. Processes of one container share both with its
 * init. Returns 1, or 0 when PID is gone. */
typedef struct
{
  char *cgroup;
  dev_t pidns_dev;
  ino_t pidns_ino;
} confine_task_place_t;

int confine_task_place (pid_t pid, confine_task_place_t *out, confine_error_t *err);
void confine_task_place_clear (confine_task_place_t *p);

#endif
