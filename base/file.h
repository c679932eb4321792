/* SPDX-License-Identifier: Apache-2.0 */
/* Files: bounded reads, whole writes, the one atomic replace, and the
 * ownership rules that decide whom a file speaks for. */
#ifndef CONFINE_FILE_H
#define CONFINE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "error.h"

/* Read a whole regular file, at most MAX bytes, refusing anything else:
 * a FIFO or a device would block or never end, and a symlink is not
 * expected where we read configuration. The result is NUL-terminated. */
int confine_read_file_at (int dirfd, const char *path, size_t max, char **out, size_t *len,
                          confine_error_t *err);
int confine_read_file (const char *path, size_t max, char **out, size_t *len, confine_error_t *err);
/* The same, for configuration that decides what the gate allows (the
 * policy, a seccomp profile to inject): also refused unless owned by root
 * and unwritable by group and others. */
int confine_read_trusted_file (const char *path, size_t max, char **out, size_t *len,
                               confine_error_t *err);
/* The same, for a file another program wrote for us and names by PATH
 * (an engine's exec --process): refused unless the file and its path are
 * ones only root (or our own uid) can change, no sticky directory on the
 * way (confine_open_private_path). */
int confine_read_file_on_private_path (const char *path, size_t max, char **out, size_t *len,
                                       confine_error_t *err);
/* Read an fd to EOF, at most MAX bytes; more is an error, never truncation. */
int confine_read_fd (int fd, size_t max, char **out, size_t *len, confine_error_t *err);
int confine_write_all (int fd, const void *buf, size_t len, confine_error_t *err);

/* Who may change a file decides what it says (doas's rule). ROOT_ONLY:
 * owned by root, not writable by group or others, for configuration.
 * OURS_ONLY: the same with our own uid, for state we keep ourselves. */
bool confine_stat_root_only (const struct stat *st);
bool confine_stat_ours_only (const struct stat *st);
/* May others than root (or our own uid) change it: owned by another
 * user, writable by others, or by a group other than root's. */
bool confine_stat_others_can_change (const struct stat *st);
/* Open PATH with FLAGS, resolving it one name at a time as the kernel
 * does, and refuse unless only root (or our own uid) could change what it
 * leads to: every directory on the way, the start (`/`, or the current
 * directory for a relative PATH) and each link's target included, is
 * one others cannot change, except a root-owned sticky directory (/tmp),
 * from which only an entry of root's (or ours) may be taken. The final
 * object itself is the caller's to judge. For paths we hand to another
 * program that reads them again after our judgement (runc's --bundle and
 * --process). */
int confine_open_trusted_path (const char *path, int flags, int *out, confine_error_t *err);
/* The same walk without the sticky exception: every directory on the way
 * is one only root (or our own uid) can add names to. For what another
 * program wrote for us and names by path (go-runc's exec --process file
 * and console socket): in /tmp, a container that binds it is root too and
 * can put its own entry of root's in place of the engine's before we look,
 * so nothing there is known to be the engine's. */
int confine_open_private_path (const char *path, int flags, int *out, confine_error_t *err);
/* Open PARENT/NAME (PARENT may be AT_FDCWD), creating it 0700 with
 * CREATE, as a directory that is ours only and not a symlink; -1 with
 * errno otherwise. */
int confine_open_private_dir (int parent, const char *name, bool create);

/* Replace DIRFD/NAME with the LEN bytes of BUF. Every file confine
 * writes (the shim's config.json, verdict cache entries, the shim's
 * records for `start`) goes through here, with one durability:
 *  - a reader, or anyone after our process dies at any point, sees the
 *    old content or the new, whole, never a torn file: the bytes go to a
 *    temporary name nobody can guess or have planted (created O_EXCL),
 *    then are renamed over NAME;
 *  - the temporary file is fsync'd before the rename. That is where a
 *    failed write-back (a full or failing device under the bundle)
 *    surfaces, and it must be a refusal: otherwise runc could read bytes
 *    other than those the gate judged. It also means NAME never holds an
 *    empty file after a crash (ext4 and xfs may commit a rename first);
 *  - the directory is not fsync'd: a rename lost in a crash leaves the
 *    old file, which for each of our files is harmless (the container is
 *    gone, the cache recomputes, /run is empty after a reboot).
 * The fsync costs about 0.01 ms on tmpfs (/run on a normal host, where
 * Docker's and containerd's bundles, the cache and the records live) and
 * 2.5 to 5 ms on this machine's ext4 (medians of 200 writes of 12 KB).
 * With LIKE_OLD, NAME must be a regular file, and the new one takes its
 * owner and mode (whoever manages a bundle finds it as they left it);
 * otherwise the file is 0600 and ours. On failure the temporary file is
 * removed and NAME is untouched. */
int confine_replace_file_at (int dirfd, const char *name, const void *buf, size_t len, bool like_old,
                             confine_error_t *err);

/* A directory's entries, read with getdents64 from a descriptor already
 * open (taken over: closed with the list): opendir would stat the
 * directory once more and fcntl it twice, and the cgroup walk and the
 * host-socket search list many directories at each container start. */
typedef struct
{
  int fd;
  char *buf;
  size_t len, off;
} confine_dirents_t;
void confine_dirents_close (confine_dirents_t *d);
#define cleanup_dirents __attribute__ ((cleanup (confine_dirents_close)))
/* The next entry of D (`.` and `..` included), or NULL at the end
 * (errno 0) or on an error (errno set). */
struct dirent64 *confine_dirents_next (confine_dirents_t *d);

#endif
