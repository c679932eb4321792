/* SPDX-License-Identifier: Apache-2.0 */
/* usock listen PATH: a unix stream server at PATH that answers each
 * connection with `served by uid U`, as php-fpm would serve nginx;
 * usock connect PATH: print the answer. Built static for a busybox
 * rootfs by found-62. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct sockaddr_un a = { .sun_family = AF_UNIX };
  char buf[256];
  ssize_t n;
  int fd;

  if (argc != 3 || strlen (argv[2]) >= sizeof (a.sun_path))
    return 2;
  strcpy (a.sun_path, argv[2]);
  if ((fd = socket (AF_UNIX, SOCK_STREAM, 0)) < 0)
    return 1;
  if (strcmp (argv[1], "listen") == 0)
    {
      if (bind (fd, (struct sockaddr *) &a, sizeof (a)) < 0 || listen (fd, 8) < 0)
        {
          perror ("listen");
          return 1;
        }
      for (;;)
        {
          int c = accept (fd, NULL, NULL);
          if (c < 0)
            continue;
          n = snprintf (buf, sizeof (buf), "served by uid %d\n", (int) getuid ());
          if (write (c, buf, (size_t) n) < 0)
            perror ("write");
          close (c);
        }
    }
  if (connect (fd, (struct sockaddr *) &a, sizeof (a)) < 0)
    {
      perror ("connect");
      return 1;
    }
  while ((n = read (fd, buf, sizeof (buf))) > 0)
    fwrite (buf, 1, (size_t) n, stdout);
  return 0;
}
