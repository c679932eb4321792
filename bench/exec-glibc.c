/* SPDX-License-Identifier: Apache-2.0 */
/* The least any C program in front of runc adds: it starts (glibc's own
 * start, as every front end's) and execs its arguments, nothing else.
 *
 *   exec-glibc /ABSOLUTE/PATH [ARG]...
 *
 * Linked as the front ends are (static-pie, same hardening), so a
 * pass-through's cost above it is the shim's own work. */
#include <unistd.h>

int
main (int argc, char **argv)
{
  if (argc < 2)
    return 2;
  execv (argv[1], argv + 1);
  return 127;
}
