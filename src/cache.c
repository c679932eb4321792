/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "sha256.h"
#include "../base/utils.h"

#define MAGIC "confine-seccomp-verdict-2"
#define ENTRY_MAX_BYTES (64u << 10)

/* Length-prefixed fields, so no two different inputs hash alike. */
static void
feed (confine_sha256_t *c, const char *s)
{
  uint64_t n = s ? strlen (s) + 1 : 0; /* 0 for absent, distinct from "" */
  confine_sha256_update (c, &n, sizeof (n));
  if (s)
    confine_sha256_update (c, s, n - 1);
}

static void
feed_u64 (confine_sha256_t *c, uint64_t v)
{
  confine_sha256_update (c, &v, sizeof (v));
}

static void
feed_strv (confine_sha256_t *c, char *const *v)
{
  uint64_t n = 0;
  for (char *const *p = v; p && *p; p++)
    n++;
  feed_u64 (c, n);
  for (char *const *p = v; p && *p; p++)
    feed (c, *p);
}

/* The judge's identity: the core's sources, the compiler and the flags
 * (CONFINE_CORE_ID, from the Makefile). A verdict computed by another
 * build of the core, before a fix to the compiler or the evaluator, must
 * not be reused; one computed by the hook, the shim or the CLI of the same
 * build is the same verdict, so the three share entries, and the cache
 * install.sh warms with `confine check` is the one the hook and the shim
 * read. */
#ifndef CONFINE_CORE_ID
#error "CONFINE_CORE_ID must name the build (see the Makefile)"
#endif

void
confine_cache_key (const confine_seccomp_t *s, char *const *must_block, bool namespace_clone,
                   bool device_nodes, bool setid_files, confine_cache_key_t *key)
{
  const struct scmp_version *lib = seccomp_version ();
  unsigned char d[32];
  confine_sha256_t c;

  confine_sha256_init (&c);
  feed (&c, MAGIC);
  /* The same section compiles differently on another libseccomp or
   * another architecture. */
  feed_u64 (&c, lib ? ((uint64_t) lib->major << 32 | lib->minor << 16 | lib->micro) : 0);
  feed_u64 (&c, seccomp_arch_native ());
  feed (&c, CONFINE_CORE_ID);
  feed_strv (&c, must_block);
  feed_u64 (&c, namespace_clone);
  feed_u64 (&c, device_nodes);
  feed_u64 (&c, setid_files);
  feed (&c, s->default_action);
  feed_u64 (&c, s->has_default_errno_ret);
  feed_u64 (&c, s->default_errno_ret);
  feed_strv (&c, s->architectures);
  feed_strv (&c, s->flags);
  feed_u64 (&c, s->n_syscalls);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const confine_seccomp_syscall_t *call = &s->syscalls[i];
      feed_strv (&c, call->names);
      feed (&c, call->action);
      feed_u64 (&c, call->has_errno_ret);
      feed_u64 (&c, call->errno_ret);
      feed_u64 (&c, call->n_args);
      for (size_t j = 0; j < call->n_args; j++)
        {
          feed_u64 (&c, call->args[j].index);
          feed_u64 (&c, call->args[j].value);
          feed_u64 (&c, call->args[j].value_two);
          feed (&c, call->args[j].op);
        }
    }
  confine_sha256_final (&c, d);
  confine_hex (d, sizeof (d), key->hex);
}

/* A count, then that many lines, from the entry being parsed. */
static bool
read_list (char **save, char ***out)
{
  cleanup_strv char **list = NULL;
  char *line;
  uint64_t count;

  if ((line = strtok_r (NULL, "\n", save)) == NULL || confine_parse_u64 (line, 1000, &count) < 0
      || (list = calloc (count + 1, sizeof (char *))) == NULL)
    return false;
  for (size_t n = 0; n < count; n++)
    if ((line = strtok_r (NULL, "\n", save)) == NULL || (list[n] = strdup (line)) == NULL)
      return false;
  *out = steal_pointer (&list);
  return true;
}

/* The entry KEY names, as text, if it is a regular file of ours in a
 * directory only we can write. */
static bool
read_entry (const char *dir, const confine_cache_key_t *key, char **buf)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_close int dfd = -1;
  cleanup_close int fd = -1;
  struct stat st;
  size_t len = 0;

  if (dir == NULL || (dfd = confine_open_private_dir (AT_FDCWD, dir, false)) < 0)
    return false;
  fd = openat (dfd, key->hex, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0 || fstat (fd, &st) < 0 || !S_ISREG (st.st_mode) || !confine_stat_ours_only (&st))
    return false;
  if (confine_read_fd (fd, ENTRY_MAX_BYTES, buf, &len, &err) < 0 || memchr (*buf, '\0', len))
    {
      free (steal_pointer (buf));
      return false;
    }
  return true;
}

bool
confine_cache_get (const char *dir, const confine_cache_key_t *key, char ***unblocked,
                   char ***denied, size_t *insns)
{
  cleanup_free char *buf = NULL;
  cleanup_strv char **leaks = NULL;
  cleanup_strv char **needs = NULL;
  uint64_t v;
  char *save = NULL, *line;

  if (!read_entry (dir, key, &buf))
    return false;

  /* MAGIC, the key again, the instruction count, the number of unblocked
   * names and the names, the number of denied names and the names, and
   * "end": anything else is a corrupt entry. */
  if ((line = strtok_r (buf, "\n", &save)) == NULL || strcmp (line, MAGIC) != 0
      || (line = strtok_r (NULL, "\n", &save)) == NULL || strcmp (line, key->hex) != 0
      || (line = strtok_r (NULL, "\n", &save)) == NULL || confine_parse_u64 (line, 4096, &v) < 0
      || !read_list (&save, &leaks) || !read_list (&save, &needs))
    return false;
  if ((line = strtok_r (NULL, "\n", &save)) == NULL || strcmp (line, "end") != 0
      || strtok_r (NULL, "\n", &save) != NULL)
    return false;
  *insns = (size_t) v;
  *unblocked = steal_pointer (&leaks);
  *denied = steal_pointer (&needs);
  return true;
}

static int
write_list (FILE *f, char *const *list, confine_error_t *err)
{
  size_t count = 0;
  for (char *const *u = list; *u; u++)
    {
      if (strchr (*u, '\n'))
        return confine_make_error (err, 0, "cannot cache a name with a newline");
      count++;
    }
  fprintf (f, "%zu\n", count);
  for (char *const *u = list; *u; u++)
    fprintf (f, "%s\n", *u);
  return 0;
}

/* Facts: an entry that says "true" of its key, and nothing else. */
#define FACT_MAGIC "confine-fact-1"

void
confine_cache_fact_key (const char *what, const unsigned char digest[32], confine_cache_key_t *key)
{
  unsigned char d[32];
  confine_sha256_t c;

  confine_sha256_init (&c);
  feed (&c, FACT_MAGIC);
  feed (&c, CONFINE_CORE_ID);
  feed (&c, what);
  confine_sha256_update (&c, digest, 32);
  confine_sha256_final (&c, d);
  confine_hex (d, sizeof (d), key->hex);
}

static char *
fact_text (const confine_cache_key_t *key)
{
  return confine_xasprintf ("%s\n%s\nend\n", FACT_MAGIC, key->hex);
}

bool
confine_cache_fact_get (const char *dir, const confine_cache_key_t *key)
{
  cleanup_free char *buf = NULL;
  cleanup_free char *want = NULL;

  if (!read_entry (dir, key, &buf))
    return false;
  want = fact_text (key);
  return strcmp (buf, want) == 0;
}

int
confine_cache_fact_put (const char *dir, const confine_cache_key_t *key, confine_error_t *err)
{
  cleanup_close int dfd = -1;
  cleanup_free char *text = fact_text (key);

  if (dir == NULL || (dfd = confine_open_private_dir (AT_FDCWD, dir, true)) < 0)
    return confine_make_error (err, errno, "cache directory `%s`", dir ? dir : "");
  return confine_replace_file_at (dfd, key->hex, text, strlen (text), false, err);
}

int
confine_cache_put (const char *dir, const confine_cache_key_t *key, char *const *unblocked,
                   char *const *denied, size_t insns, confine_error_t *err)
{
  cleanup_close int dfd = -1;
  cleanup_free char *text = NULL;
  size_t len = 0;
  FILE *f;
  int r;

  if (dir == NULL || (dfd = confine_open_private_dir (AT_FDCWD, dir, true)) < 0)
    return confine_make_error (err, errno, "cache directory `%s`", dir ? dir : "");
  if ((f = open_memstream (&text, &len)) == NULL)
    return confine_make_error (err, errno, "open_memstream");
  fprintf (f, "%s\n%s\n%zu\n", MAGIC, key->hex, insns);
  r = write_list (f, unblocked, err);
  if (r == 0)
    r = write_list (f, denied, err);
  fputs ("end\n", f);
  if (fclose (f) != 0)
    return r < 0 ? r : confine_make_error (err, ENOMEM, "format cache entry");
  if (r < 0)
    return r;

  return confine_replace_file_at (dfd, key->hex, text, len, false, err);
}
