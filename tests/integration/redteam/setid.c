/* SPDX-License-Identifier: Apache-2.0 */
/* found-78's helper, run as the container's root: every way it knows to
 * leave a setuid, setgid or file-capability program in DIR (argv[1]), one
 * line each, `NAME ok` or `NAME <error>`. Static: the image is busybox. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

static const char *dir;

static const char *
path (const char *name)
{
  static char buf[4096];
  snprintf (buf, sizeof (buf), "%s/%s", dir, name);
  return buf;
}

/* A plain root-owned file NAME, 0755, for the calls that change a mode. */
static const char *
plain (const char *name)
{
  int fd = open (path (name), O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
  if (fd >= 0)
    close (fd);
  return path (name);
}

static void
report (const char *name, long r)
{
  printf ("%s %s\n", name, r < 0 ? strerror (errno) : "ok");
  if (r >= 0 && r < 1024 && strstr (name, "open"))
    close ((int) r);
}

int
main (int argc, char **argv)
{
  /* vfs_cap_data, revision 2: CAP_SETUID (7) permitted and effective. */
  const unsigned char cap[20] = { 0x01, 0x00, 0x00, 0x02, 0x80 };
  struct open_how how = { .flags = O_CREAT | O_WRONLY, .mode = 04755 };
  unsigned char params[120] = { 0 };
  int fd;

  if (argc != 2)
    return 2;
  dir = argv[1];
  umask (0);
  errno = 0, report ("chmod-plain", chmod (plain ("plain"), 0700));
  errno = 0, report ("chmod-4755", chmod (plain ("chmod"), 04755));
  errno = 0, report ("chmod-2755", chmod (plain ("chmod-g"), 02755));
  fd = open (plain ("fchmod"), O_RDONLY | O_CLOEXEC);
  errno = 0, report ("fchmod-4755", fchmod (fd, 04755));
  close (fd);
  errno = 0, report ("fchmodat-4755", fchmodat (AT_FDCWD, plain ("fchmodat"), 04755, 0));
  errno = 0, report ("fchmodat2-4755", syscall (452, AT_FDCWD, plain ("fchmodat2"), 04755, 0));
  errno = 0, report ("open-4755", open (path ("open"), O_CREAT | O_WRONLY | O_CLOEXEC, 04755));
  errno = 0, report ("openat-2755", openat (AT_FDCWD, path ("openat"), O_CREAT | O_WRONLY, 02755));
  errno = 0, report ("creat-4755", creat (path ("creat"), 04755));
  errno = 0, report ("mknod-4755", mknod (path ("mknod"), S_IFREG | 04755, 0));
  errno = 0, report ("mknodat-2755", mknodat (AT_FDCWD, path ("mknodat"), 02755, 0));
  errno = 0, report ("openat2-4755", syscall (SYS_openat2, AT_FDCWD, path ("openat2"), &how,
                                              sizeof (how)));
  errno = 0, report ("setxattr-capability",
                     setxattr (plain ("fcap"), "security.capability", cap, sizeof (cap), 0));
  errno = 0, report ("io_uring_setup", syscall (SYS_io_uring_setup, 4, params));
  errno = 0, report ("setxattr-user", setxattr (plain ("xattr"), "user.confine", "1", 1, 0));
  /* Red team 7 F-01: the host user's own `chmod 2644` file (`usergid`,
   * made by the test): chown keeps S_ISGID on a file that is not
   * group-executable (CAP_FSETID), and an access ACL rewrites the group
   * bits and keeps it for a caller in the file's group (now 0). */
  if (access (path ("usergid"), F_OK) == 0)
    {
      /* posix_acl_xattr_header, then u::rwx, g::r-x, o::r-x */
      const unsigned char acl[28] = { 2, 0, 0, 0, 0x01, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,
                                      0x04, 0, 5, 0, 0xff, 0xff, 0xff, 0xff,
                                      0x20, 0, 5, 0, 0xff, 0xff, 0xff, 0xff };
      errno = 0, report ("chown-usergid", chown (path ("usergid"), 0, 0));
      errno = 0, report ("setxattr-acl", setxattr (path ("usergid"), "system.posix_acl_access",
                                                    acl, sizeof (acl), 0));
      errno = 0, report ("lsetxattr-acl", lsetxattr (path ("usergid"), "system.posix_acl_access",
                                                      acl, sizeof (acl), 0));
      fd = open (path ("usergid"), O_RDONLY | O_CLOEXEC);
      errno = 0, report ("fsetxattr-acl", fsetxattr (fd, "system.posix_acl_access", acl,
                                                      sizeof (acl), 0));
      close (fd);
    }
  return 0;
}
