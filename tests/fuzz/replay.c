/* SPDX-License-Identifier: Apache-2.0 */
/* Runs a harness's LLVMFuzzerTestOneInput once per file, without libFuzzer,
 * so the corpus and the regressions are a plain test built by the normal
 * compiler (and by `make asan-check` under ASan and UBSan).
 *
 *   fuzz-NAME FILE|DIR...
 *
 * Each input gets a fresh heap copy of exactly its size, so a read past
 * the end is caught by ASan (or valgrind) as it would be under libFuzzer.
 * A hang is a failure too: every input must finish within the alarm. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#define REPLAY_MAX_BYTES (16u << 20)
#define REPLAY_TIMEOUT_SECONDS 20

static const char *current;

static void
on_alarm (int sig)
{
  (void) sig;
  static const char msg[] = "replay: timeout on ";
  if (write (STDERR_FILENO, msg, sizeof msg - 1) < 0 || write (STDERR_FILENO, current, strlen (current)) < 0
      || write (STDERR_FILENO, "\n", 1) < 0)
    _exit (124);
  _exit (124);
}

static int
run_file (const char *path)
{
  struct stat st;
  unsigned char *buf;
  size_t len = 0;
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || st.st_size > REPLAY_MAX_BYTES)
    {
      fprintf (stderr, "replay: cannot read %s\n", path);
      if (fd >= 0)
        close (fd);
      return -1;
    }
  /* malloc(0) may return NULL; keep one byte but pass the true size. */
  buf = malloc (st.st_size ? (size_t) st.st_size : 1);
  if (buf == NULL)
    abort ();
  while (len < (size_t) st.st_size)
    {
      ssize_t r = read (fd, buf + len, (size_t) st.st_size - len);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        break;
      len += (size_t) r;
    }
  close (fd);
  current = path;
  alarm (REPLAY_TIMEOUT_SECONDS);
  LLVMFuzzerTestOneInput (buf, len);
  alarm (0);
  free (buf);
  return 0;
}

static int
run_path (const char *path, unsigned *n)
{
  struct stat st;
  if (stat (path, &st) < 0)
    {
      fprintf (stderr, "replay: %s: %s\n", path, strerror (errno));
      return -1;
    }
  if (!S_ISDIR (st.st_mode))
    {
      (*n)++;
      return run_file (path);
    }
  {
    struct dirent **ents = NULL;
    int k = scandir (path, &ents, NULL, alphasort), rc = 0;
    if (k < 0)
      return -1;
    for (int i = 0; i < k; i++)
      {
        char sub[4096];
        int w;
        if (ents[i]->d_name[0] != '.' && rc == 0)
          {
            w = snprintf (sub, sizeof sub, "%s/%s", path, ents[i]->d_name);
            if (w < 0 || (size_t) w >= sizeof sub)
              rc = -1;
            else
              rc = run_path (sub, n);
          }
        free (ents[i]);
      }
    free (ents);
    return rc;
  }
}

int
main (int argc, char **argv)
{
  unsigned n = 0;
  signal (SIGALRM, on_alarm);
  for (int i = 1; i < argc; i++)
    if (run_path (argv[i], &n) < 0)
      return 2;
  printf ("replay: %u inputs ran\n", n);
  return 0;
}
