/* SPDX-License-Identifier: Apache-2.0 */
/* A paired timer: runs each command in turn, N rounds, interleaved so
 * that drift on a busy machine hits every command alike, and prints the
 * median, min and max wall time of each and the ratio of each median to
 * the first command's.
 *
 *   timer [-n ROUNDS] [-w WARMUP] [-b SETUP] [-c CPU-FILE] [-t] [-i STDIN-FILE]...
 *         [-l LABEL]... -- CMD... [-- CMD...]...
 *
 *   -i FILE   stdin for the commands: given once, for all of them; given
 *             several times, the k-th file for the k-th command
 *   -b SETUP  a /bin/sh command run, untimed, before every round (a
 *             fresh config.json for a shim, an emptied cache for a cold
 *             run); the timer stops if it fails
 *   -c FILE   CPU time from a cgroup's counter (cpuacct.usage, in ns)
 *             read before and after each run, instead of the command's
 *             own: for a command whose work is done by daemons (docker
 *             run), which the caller has put in that cgroup
 *   -t        tab-separated output for scripts, instead of a Markdown
 *             table: label, median, min, max, ratio of medians, median of
 *             the per-round ratios, median CPU ms (user+sys), failed runs,
 *             median of the per-round CPU ratios, median of the per-round
 *             CPU differences in ms (each to the first command)
 *
 * A command may start with VAR=VALUE words, as in the shell: they are
 * set in its environment only, without the cost of an `env` process.
 *
 * Each round starts at a different command (round r starts at r mod K),
 * so no command always runs right after the same other one.
 * A run that exits non-zero or by a signal counts as failed: a benchmark
 * of a start that did not happen measures nothing.
 *
 * hyperfine 1.15 (Debian 12) cannot feed a file to stdin without a shell,
 * and a shell would be most of what we measure. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CMDS 8
#define MAX_ROUNDS 100000

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

static int
parse_int (const char *s, int max, int *out)
{
  char *end = NULL;
  long v;

  errno = 0;
  v = strtol (s, &end, 10);
  if (errno != 0 || end == s || *end != '\0' || v < 0 || v > max)
    return -1;
  *out = (int) v;
  return 0;
}

/* The cgroup's CPU counter in ms; exits on a read error, since every
 * later figure would be wrong. */
static double
cgroup_cpu_ms (const char *file)
{
  char buf[64] = "";
  unsigned long long ns;
  int fd = open (file, O_RDONLY | O_CLOEXEC);
  ssize_t n = fd < 0 ? -1 : read (fd, buf, sizeof (buf) - 1);

  if (fd >= 0)
    close (fd);
  if (n <= 0 || sscanf (buf, "%llu", &ns) != 1)
    {
      fprintf (stderr, "timer: cannot read %s\n", file);
      exit (2);
    }
  return (double) ns / 1e6;
}

static double
median (double *v, int n)
{
  qsort (v, (size_t) n, sizeof (double), cmp);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* CPU is the command's user+sys time and that of the children it waited
 * for (runc waits for its init and its hooks): on a shared machine it
 * moves far less than wall time when someone else's load comes and goes. */
static double
run (char **argv, const char *input, const char *cpu_file, int *status, double *cpu)
{
  struct rusage ru;
  double cg = cpu_file ? cgroup_cpu_ms (cpu_file) : 0;
  double start = now_ms ();
  pid_t pid = fork ();
  if (pid == 0)
    {
      int fd = open (input ? input : "/dev/null", O_RDONLY | O_CLOEXEC);
      int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
      if (fd < 0 || null < 0 || dup2 (fd, 0) < 0 || dup2 (null, 1) < 0 || dup2 (null, 2) < 0)
        _exit (127);
      for (; argv[0] && strchr (argv[0], '=') && argv[0][0] != '='; argv++)
        if (putenv (argv[0]) != 0)
          _exit (127);
      if (argv[0] == NULL)
        _exit (127);
      execvp (argv[0], argv);
      _exit (127);
    }
  if (pid < 0 || wait4 (pid, status, 0, &ru) < 0)
    {
      perror ("timer");
      exit (2);
    }
  start = now_ms () - start;
  if (cpu_file)
    *cpu = cgroup_cpu_ms (cpu_file) - cg;
  else
    *cpu = (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3
           + (double) (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
  return start;
}

int
main (int argc, char **argv)
{
  char **cmds[MAX_CMDS];
  const char *labels[MAX_CMDS] = { 0 };
  const char *inputs[MAX_CMDS] = { 0 };
  const char *setup = NULL;
  const char *cpu_file = NULL;
  int n = 20, warm = 3, ncmd = 0, nlabel = 0, ninput = 0, c;
  double *t[MAX_CMDS], *cpu[MAX_CMDS], *pair[MAX_CMDS], *cpair[MAX_CMDS], *cdiff[MAX_CMDS];
  double med[MAX_CMDS];
  int failures[MAX_CMDS] = { 0 };
  int tsv = 0;

  while ((c = getopt (argc, argv, "+n:w:i:l:b:c:t")) != -1)
    switch (c)
      {
      case 'n':
        if (parse_int (optarg, MAX_ROUNDS, &n) < 0 || n < 1)
          goto usage;
        break;
      case 'w':
        if (parse_int (optarg, MAX_ROUNDS, &warm) < 0)
          goto usage;
        break;
      case 'i':
        if (ninput < MAX_CMDS)
          inputs[ninput++] = optarg;
        break;
      case 'l':
        if (nlabel < MAX_CMDS)
          labels[nlabel++] = optarg;
        break;
      case 'b':
        setup = optarg;
        break;
      case 'c':
        cpu_file = optarg;
        break;
      case 't':
        tsv = 1;
        break;
      default:
        goto usage;
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
  if (ncmd == 0 || (ninput > 1 && ninput != ncmd))
    goto usage;
  for (int k = 0; k < ncmd; k++)
    {
      if ((t[k] = calloc ((size_t) n, sizeof (double))) == NULL
          || (cpu[k] = calloc ((size_t) n, sizeof (double))) == NULL
          || (pair[k] = calloc ((size_t) n, sizeof (double))) == NULL
          || (cpair[k] = calloc ((size_t) n, sizeof (double))) == NULL
          || (cdiff[k] = calloc ((size_t) n, sizeof (double))) == NULL)
        return 2;
      if (ninput == 1)
        inputs[k] = inputs[0];
    }
  for (int r = -warm; r < n; r++)
    {
      if (setup)
        {
          int st = system (setup);
          if (st == -1 || !WIFEXITED (st) || WEXITSTATUS (st) != 0)
            {
              fprintf (stderr, "timer: setup failed: %s\n", setup);
              return 2;
            }
        }
      for (int j = 0; j < ncmd; j++)
        {
          int k = (int) (((long) r + warm + j) % ncmd);
          int status = 0;
          double c_ms = 0;
          double ms = run (cmds[k], inputs[k], cpu_file, &status, &c_ms);
          if (r >= 0)
            {
              t[k][r] = ms;
              cpu[k][r] = c_ms;
              if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
                failures[k]++;
            }
        }
      /* Pairs from the same round share the machine's state of the
       * moment, so their ratio is steadier than a ratio of medians. */
      for (int k = 0; r >= 0 && k < ncmd; k++)
        {
          pair[k][r] = t[k][r] / t[0][r];
          cpair[k][r] = cpu[0][r] > 0 ? cpu[k][r] / cpu[0][r] : 1;
          cdiff[k][r] = cpu[k][r] - cpu[0][r];
        }
    }
  if (!tsv)
    printf ("| command | median ms | min ms | max ms | ratio to first |\n|---|---|---|---|---|\n");
  for (int k = 0; k < ncmd; k++)
    {
      const char *label = labels[k];
      for (char **a = cmds[k]; label == NULL; a++)
        if (a[1] == NULL || strchr (a[0], '=') == NULL)
          label = a[0];
      med[k] = median (t[k], n); /* sorts t[k] */
      if (tsv)
        printf ("%s\t%.3f\t%.3f\t%.3f\t%.4f\t%.4f\t%.3f\t%d\t%.4f\t%.3f\n", label, med[k],
                t[k][0], t[k][n - 1], med[k] / med[0], median (pair[k], n), median (cpu[k], n),
                failures[k], median (cpair[k], n), median (cdiff[k], n));
      else
        {
          printf ("| %s | %.3f | %.3f | %.3f | %.3f |", label, med[k], t[k][0], t[k][n - 1],
                  med[k] / med[0]);
          if (failures[k])
            printf (" (%d of %d runs failed)", failures[k], n);
          printf ("\n");
        }
    }
  return 0;

usage:
  fprintf (stderr, "usage: timer [-n N] [-w W] [-b SETUP] [-c CPU-FILE] [-t] [-i FILE]... [-l LABEL]... "
                   "-- CMD... [-- CMD...]...\n");
  return 2;
}
