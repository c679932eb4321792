/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "process.h"
#include "../base/utils.h"

extern char **environ;

int
confine_process_sanitize (const char *const *keep_env, confine_error_t *err)
{
  /* close_range exists since Linux 5.9; fall back to a bounded loop. */
  if (syscall (SYS_close_range, 3u, ~0u, 0u) < 0)
    {
      long max = sysconf (_SC_OPEN_MAX);
      for (long fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
        close ((int) fd);
    }
  if (prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return confine_make_error (err, errno, "set no_new_privs");

  /* Keep only the named variables. The kept strings belong to the
   * loader's environment block; clearenv drops the rest, and putenv puts
   * the kept ones back without copying. */
  {
    const char *kept[16];
    size_t n = 0;
    for (char **e = environ; e && *e; e++)
      for (const char *const *k = keep_env; k && *k && n < sizeof (kept) / sizeof (kept[0]); k++)
        {
          size_t kl = strlen (*k);
          if (strncmp (*e, *k, kl) == 0 && (*e)[kl] == '=')
            {
              kept[n++] = *e;
              break;
            }
        }
    if (clearenv () != 0)
      return confine_make_error (err, errno, "clear the environment");
    for (size_t i = 0; i < n; i++)
      if (putenv ((char *) kept[i]) != 0)
        return confine_make_error (err, errno, "restore environment variable");
  }
  return 0;
}

/* The capabilities of LIST (N of them) that CUR permits, into OUT. */
static int
held_of (cap_t cur, const cap_value_t *list, size_t n, cap_value_t out[64])
{
  int held = 0;

  for (size_t i = 0; i < n && held < 64; i++)
    {
      cap_flag_value_t v = CAP_CLEAR;
      if (cap_get_flag (cur, list[i], CAP_PERMITTED, &v) == 0 && v == CAP_SET)
        out[held++] = list[i];
    }
  return held;
}

int
confine_process_drop_caps (const cap_value_t *keep, size_t n, const cap_value_t *latent,
                           size_t nl, confine_error_t *err)
{
  cleanup_cap cap_t cur = cap_get_proc ();
  cleanup_cap cap_t next = cap_init ();
  cap_value_t held[64], dormant[64];
  int nheld, ndormant;

  if (cur == NULL || next == NULL)
    return confine_make_error (err, errno, "read capabilities");
  /* The intersection of what we hold and what we keep: never a gain. */
  nheld = held_of (cur, keep, n, held);
  ndormant = held_of (cur, latent, nl, dormant);
  if ((nheld > 0
       && (cap_set_flag (next, CAP_PERMITTED, nheld, held, CAP_SET) < 0
           || cap_set_flag (next, CAP_EFFECTIVE, nheld, held, CAP_SET) < 0))
      || (ndormant > 0 && cap_set_flag (next, CAP_PERMITTED, ndormant, dormant, CAP_SET) < 0))
    return confine_make_error (err, errno, "build capability set");
  if (cap_set_proc (next) < 0)
    return confine_make_error (err, errno, "drop capabilities");
  /* Emptying the inheritable set above already clears the ambient one
   * (the kernel keeps ambient within permitted and inheritable); clear it
   * explicitly all the same. Ambient capabilities exist since Linux 4.3;
   * EINVAL means none. One prctl: libcap's cap_reset_ambient asks about
   * each capability first, forty-odd syscalls on every container start. */
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return confine_make_error (err, errno, "drop ambient capabilities");
  return 0;
}

int
confine_process_raise_cap (int cap)
{
  struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

  if (syscall (SYS_capget, &h, d) < 0)
    return -1;
  d[cap / 32].effective |= 1u << (cap % 32);
  return (int) syscall (SYS_capset, &h, d);
}

static const char *deadline_what = "";
static volatile sig_atomic_t deadline_victim = -1;

static void
on_alarm (int sig CONFINE_UNUSED)
{
  /* Only async-signal-safe calls here. */
  static const char a[] = "confine: refused: ";
  if (deadline_victim >= 0)
    syscall (SYS_pidfd_send_signal, (int) deadline_victim, SIGKILL, NULL, 0);
  static const char b[] = " did not finish in time\n";
  if (write (STDERR_FILENO, a, sizeof (a) - 1) < 0
      || write (STDERR_FILENO, deadline_what, strlen (deadline_what)) < 0
      || write (STDERR_FILENO, b, sizeof (b) - 1) < 0)
    _exit (1);
  _exit (1);
}

void
confine_process_deadline (unsigned seconds, const char *what)
{
  struct sigaction sa;
  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = on_alarm;
  sigaction (SIGALRM, &sa, NULL);
  deadline_what = what;
  alarm (seconds);
}

void
confine_process_deadline_victim (int pidfd)
{
  deadline_victim = pidfd;
}

int
confine_process_argv (long pid, char ***argv, size_t *argc, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  char path[64];
  size_t len = 0, n = 0;
  char **v;
  char *strings;

  snprintf (path, sizeof (path), "/proc/%ld/cmdline", pid);
  if (confine_read_file (path, 1u << 20, &buf, &len, err) < 0)
    return confine_error_wrap (err, "read the command line of process %ld", pid);
  for (size_t i = 0; i < len; i++)
    n += buf[i] == '\0';
  if (len > 0 && buf[len - 1] != '\0')
    n++;
  /* The vector and the strings it points into, in one block. */
  v = confine_xcalloc (1, (n + 1) * sizeof (char *) + len + 1);
  strings = (char *) (v + n + 1);
  memcpy (strings, buf, len);
  for (size_t i = 0, k = 0; k < n; k++)
    {
      v[k] = strings + i;
      i += strlen (strings + i) + 1;
    }
  *argv = v;
  *argc = n;
  return 0;
}
