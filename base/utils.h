/* SPDX-License-Identifier: Apache-2.0 */
/* What every file needs: the base headers, cleanup attributes and
 * small helpers shared by the whole tree.
 * Every cleanup function is safe on NULL and on -1, so a variable can be
 * declared with its attribute and initialised in the same statement. */
#ifndef CONFINE_UTILS_H
#define CONFINE_UTILS_H

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdbool.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "file.h"
#include "jsongen.h"
#include "strv.h"

/* The version of the three programs (`confine --version`, and the shim's
 * line under the real runtime's `--version`). */
#ifndef CONFINE_VERSION
#define CONFINE_VERSION "0.1.0"
#endif

#define CONFINE_UNUSED __attribute__ ((unused))

/* The search path where PATH is unset or empty: Docker's default for a
 * container (moby's DefaultPathEnv), which the gate also gives its hook. */
#define CONFINE_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

void confine_cleanup_freep (void *p);
void confine_cleanup_closep (int *fd);
void confine_cleanup_dirp (DIR **d);
void confine_cleanup_globp (glob_t *g);

#define cleanup_free __attribute__ ((cleanup (confine_cleanup_freep)))
#define cleanup_close __attribute__ ((cleanup (confine_cleanup_closep)))
#define cleanup_dir __attribute__ ((cleanup (confine_cleanup_dirp)))
#define cleanup_glob __attribute__ ((cleanup (confine_cleanup_globp)))

static inline void *
confine_steal_pointer (void *pp)
{
  void **p = (void **) pp;
  void *ret = *p;
  *p = NULL;
  return ret;
}
#define steal_pointer(pp) confine_steal_pointer (pp)

static inline int
confine_steal_fd (int *fd)
{
  int ret = *fd;
  *fd = -1;
  return ret;
}
#define steal_fd(fd) confine_steal_fd (fd)

/* PATH made absolute (from `/`) and free of `.`, `..` and repeated
 * slashes without touching the filesystem, as Go's filepath.Clean does;
 * allocated. */
char *confine_path_clean (const char *path);

/* V is one of the spellings Go's strconv.ParseBool reads as false, as
 * urfave/cli and Go's flag package read `--flag=V`. */
bool confine_go_false (const char *v);

/* Parse a decimal integer with range checks; no sign, space or suffix. */
int confine_parse_u64 (const char *s, uint64_t max, uint64_t *out);
int confine_parse_i64 (const char *s, int64_t *out);

#endif
