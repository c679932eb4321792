/* SPDX-License-Identifier: Apache-2.0 */
/* A paired timer: runs each command in turn, N rounds, interleaved so
 * that drift on a busy machine hits every command alike, and prints the
 * median, min and max wall time of each and the ratio of each median to
 * the first command's.
 *
 *   timer [-n ROUNDS] [-w WARMUP] [-i STDIN-FILE] [-l LABEL]... -- CMD... [-- CMD...]...
 *
 * hyperfine 1.15 (Debian 12) cannot feed a file to stdin without a shell,
 * and a shell would be most of what we measure. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8

static double
now_ms (void)
{
  struct timespec t;
  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec * 1e3 + (double) t.tv_nsec / 1e6;
}

static int
cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
run (char **argv, const char *input, int *status)
{
  double start = now_ms ();
  pid_t pid = fork ();
  if (pid == 0)
    {
      int fd = open (input ? input : "/dev/null", O_RDONLY | O_CLOEXEC);
      int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
      if (fd < 0 || null < 0 || dup2 (fd, 0) < 0 || dup2 (null, 1) < 0 || dup2 (null, 2) < 0)
        _exit (127);
      execvp (argv[0], argv);
      _exit (127);
    }
  if (pid < 0 || waitpid (pid, status, 0) < 0)
    {
      perror ("timer");
      exit (2);
    }
  return now_ms () - start;
}

int
main (int argc, char **argv)
{
  char **cmds[MAX_CMDS];
  const char *labels[MAX_CMDS] = { 0 };
  const char *input = NULL;
  int n = 20, warm = 3, ncmd = 0, nlabel = 0, c;
  double *t[MAX_CMDS], med[MAX_CMDS];
  int failures[MAX_CMDS] = { 0 };

  while ((c = getopt (argc, argv, "+n:w:i:l:")) != -1)
    switch (c)
      {
      case 'n':
        n = atoi (optarg);
        break;
      case 'w':
        warm = atoi (optarg);
        break;
      case 'i':
        input = optarg;
        break;
      case 'l':
        if (nlabel < MAX_CMDS)
          labels[nlabel++] = optarg;
        break;
      default:
        return 2;
      }
  /* getopt consumed the first `--`; later ones separate commands. */
  if (optind < argc)
    cmds[ncmd++] = &argv[optind];
  for (int i = optind; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        argv[i] = NULL;
        if (i + 1 < argc && ncmd < MAX_CMDS)
          cmds[ncmd++] = &argv[i + 1];
      }
  if (ncmd == 0 || n < 1)
    {
      fprintf (stderr, "usage: timer [-n N] [-w W] [-i FILE] [-l LABEL]... -- CMD... [-- CMD...]\n");
      return 2;
    }
  for (int k = 0; k < ncmd; k++)
    if ((t[k] = calloc ((size_t) n, sizeof (double))) == NULL)
      return 2;
  for (int r = -warm; r < n; r++)
    for (int k = 0; k < ncmd; k++)
      {
        int status = 0;
        double ms = run (cmds[k], input, &status);
        if (r >= 0)
          {
            t[k][r] = ms;
            if (!WIFEXITED (status) || WEXITSTATUS (status) == 127)
              failures[k]++;
          }
      }
  printf ("| command | median ms | min ms | max ms | ratio to first |\n|---|---|---|---|---|\n");
  for (int k = 0; k < ncmd; k++)
    {
      qsort (t[k], (size_t) n, sizeof (double), cmp);
      med[k] = n % 2 ? t[k][n / 2] : (t[k][n / 2 - 1] + t[k][n / 2]) / 2;
      printf ("| %s | %.3f | %.3f | %.3f | %.3f |%s\n", labels[k] ? labels[k] : cmds[k][0], med[k],
              t[k][0], t[k][n - 1], med[k] / med[0],
              failures[k] ? " (some runs failed to start)" : "");
    }
  return 0;
}
