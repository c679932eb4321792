/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "standin.h"
#include "../base/strv.h"
#include "../base/utils.h"

/* Are the files at SELF and FD, of equal SIZE, byte for byte the same?
 * Apart from same_program so that only a comparison pays for the buffers:
 * a stack frame this large is touched page by page on entry (stack clash
 * protection), which cost every pass-through 64 page faults. */
static __attribute__ ((noinline)) int
same_bytes (int self, int fd, off_t size, confine_error_t *err)
{
  char a[65536], b[65536];
  off_t off = 0;

  while (off < size)
    {
      ssize_t x = pread (self, a, sizeof (a), off);
      ssize_t y = pread (fd, b, sizeof (b), off);
      if (x < 0 || y < 0)
        return confine_make_error (err, errno, "read the runtime to compare it with the shim");
      if (x != y || x == 0)
        return 0; /* changed under us: not a copy we can vouch for */
      if (memcmp (a, b, (size_t) x) != 0)
        return 0;
      off += x;
    }
  return 1;
}

int
confine_elf_build_id (int fd, unsigned char id[CONFINE_BUILD_ID_MAX], size_t *len)
{
  Elf64_Ehdr eh;
  Elf64_Phdr ph[32];
  size_t n;

  if (pread (fd, &eh, sizeof (eh), 0) != (ssize_t) sizeof (eh)
      || memcmp (eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64
      || eh.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB)
      || eh.e_phentsize != sizeof (Elf64_Phdr) || eh.e_phnum == 0
      || eh.e_phnum > sizeof (ph) / sizeof (ph[0]))
    return 0;
  n = eh.e_phnum * sizeof (Elf64_Phdr);
  if (eh.e_phoff > (Elf64_Off) INT64_MAX || pread (fd, ph, n, (off_t) eh.e_phoff) != (ssize_t) n)
    return 0;
  for (size_t i = 0; i < eh.e_phnum; i++)
    {
      unsigned char note[1024];
      size_t align = ph[i].p_align == 8 ? 8 : 4, off = 0, size = ph[i].p_filesz;

      if (ph[i].p_type != PT_NOTE || size > sizeof (note) || ph[i].p_offset > (Elf64_Off) INT64_MAX
          || pread (fd, note, size, (off_t) ph[i].p_offset) != (ssize_t) size)
        continue;
      /* OFF may pass SIZE by the last note's padding. */
      while (off <= size && size - off >= sizeof (Elf64_Nhdr))
        {
          Elf64_Nhdr nh;
          size_t name, desc;
          memcpy (&nh, note + off, sizeof (nh));
          name = off + sizeof (nh);
          if (nh.n_namesz > size - name)
            break;
          desc = name + ((nh.n_namesz + align - 1) & ~(align - 1));
          if (desc > size || nh.n_descsz > size - desc)
            break;
          if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == sizeof (ELF_NOTE_GNU)
              && memcmp (note + name, ELF_NOTE_GNU, sizeof (ELF_NOTE_GNU)) == 0
              && nh.n_descsz > 0 && nh.n_descsz <= CONFINE_BUILD_ID_MAX)
            {
              memcpy (id, note + desc, nh.n_descsz);
              *len = nh.n_descsz;
              return 1;
            }
          off = desc + ((nh.n_descsz + align - 1) & ~(align - 1));
        }
    }
  return 0;
}

/* Is the file open at FD the program at SELF (whose stat is ME): the same
 * file, or a copy of it? A copy counts, because install.sh puts copies of
 * the shim in place of the runtimes, and executing one from another would
 * judge the same request twice, or loop. A copy of this very build is
 * known by its GNU build ID, the linker's hash of the bytes it wrote, so
 * that confine-runtime in front of a stand-in does not read 2.6 MB twice
 * on every runtime call; without a build ID on both, byte for byte.
 * Returns 1, 0, or negative on a read error. */
static int
same_program (int self, const struct stat *me, int fd, const struct stat *st, confine_error_t *err)
{
  unsigned char a[CONFINE_BUILD_ID_MAX], b[CONFINE_BUILD_ID_MAX];
  size_t al = 0, bl = 0;

  if (me->st_dev == st->st_dev && me->st_ino == st->st_ino)
    return 1;
  if (me->st_size != st->st_size)
    return 0;
  if (confine_elf_build_id (self, a, &al) > 0 && confine_elf_build_id (fd, b, &bl) > 0)
    return al == bl && memcmp (a, b, al) == 0;
  return same_bytes (self, fd, me->st_size, err);
}

/* The path the kernel recorded at execve, into EXE (PATH_MAX bytes). */
static int
self_exe (char *exe, confine_error_t *err)
{
  ssize_t n = readlink ("/proc/self/exe", exe, PATH_MAX);
  if (n < 0)
    return confine_make_error (err, errno, "read /proc/self/exe");
  if (n >= PATH_MAX)
    return confine_make_error (err, ENAMETOOLONG, "read /proc/self/exe");
  exe[n] = '\0';
  return 0;
}

static bool
standin_name (const char *exe)
{
  const char *base = strrchr (exe, '/');
  return strcmp (base ? base + 1 : exe, CONFINE_SHIM_NAME) != 0;
}

bool
confine_running_as_standin (void)
{
  cleanup_error confine_error_t err = NULL;
  char exe[PATH_MAX];

  return self_exe (exe, &err) == 0 && standin_name (exe);
}

/* NAME on PATH, as execvp finds it. */
static int
search_path (const char *name, char **out, confine_error_t *err)
{
  const char *path = getenv ("PATH");
  struct stat st;

  *out = NULL;
  if (path == NULL || path[0] == '\0')
    path = CONFINE_DEFAULT_PATH;
  for (const char *p = path;;)
    {
      const char *colon = strchr (p, ':');
      size_t n = colon ? (size_t) (colon - p) : strlen (p);
      char *cand = NULL;
      if (asprintf (&cand, "%.*s/%s", (int) n, n ? p : ".", name) < 0)
        return confine_make_error (err, ENOMEM, "runtime path");
      if (stat (cand, &st) == 0 && S_ISREG (st.st_mode) && access (cand, X_OK) == 0)
        {
          *out = cand;
          return 0;
        }
      free (cand);
      if (colon == NULL)
        return confine_make_error (err, ENOENT, "runtime `%s` not found in PATH", name);
      p = colon + 1;
    }
}

/* Environment entries kept at most: PATH and friends are short, and no
 * caller grows a list without bound. */
#define CODE_PATHS_MAX 4096

/* The entries of the environment variable NAME (separated by any of
 * SEPS): absolute ones to DIRS, relative ones (an empty one is `.`) to
 * FILES; with DIRS NULL, only the entries that name a path (with a `/`),
 * to FILES. */
static int
add_entries (const char *name, const char *value, const char *seps, confine_strv_t *dirs,
             confine_strv_t *files, confine_error_t *err)
{
  for (const char *p = value; p;)
    {
      size_t n = strcspn (p, seps);
      char *entry = confine_xstrndup (p, n);
      confine_strv_t *to = NULL;
      p = p[n] ? p + n + 1 : NULL;
      if (strchr (entry, '$'))
        {
          confine_make_error (err, 0, "the runtime's %s entry `%s` names a place by a dynamic "
                              "loader token, which the gate does not expand",
                              name, entry);
          free (entry);
          return -1;
        }
      if (dirs)
        to = entry[0] == '/' ? dirs : files;
      else if (strchr (entry, '/'))
        to = files;
      if (to && entry[0] == '\0')
        {
          free (entry);
          entry = confine_xstrdup (".");
        }
      if (to == NULL)
        free (entry);
      else if (confine_strv_add (to, entry, CODE_PATHS_MAX, err) < 0)
        return -1;
    }
  return 0;
}

int
confine_runtime_code_paths (const char *runtime, confine_runtime_code_t *code,
                            confine_error_t *err)
{
  cleanup_strv_list confine_strv_t search = { 0 }, libs = { 0 }, files = { 0 };
  const char *path = getenv ("PATH");
  const char *slash = strrchr (runtime, '/');
  const char *v;

  *code = (confine_runtime_code_t){ 0 };
  if ((slash
       && confine_strv_add (&search,
                            confine_xstrndup (runtime, slash == runtime ? 1 : (size_t) (slash - runtime)),
                            CODE_PATHS_MAX, err) < 0)
      || add_entries ("PATH", path && path[0] ? path : CONFINE_DEFAULT_PATH, ":", &search, &files, err) < 0
      /* ld.so(8): colons or semicolons; an empty entry is the working
       * directory. */
      || ((v = getenv ("LD_LIBRARY_PATH")) && v[0]
          && add_entries ("LD_LIBRARY_PATH", v, ":;", &libs, &files, err) < 0)
      /* A name without `/` is searched for as any library. */
      || ((v = getenv ("LD_PRELOAD")) && add_entries ("LD_PRELOAD", v, " :", NULL, &files, err) < 0)
      || ((v = getenv ("LD_AUDIT")) && add_entries ("LD_AUDIT", v, ":", NULL, &files, err) < 0))
    return -1;
  code->search = confine_strv_steal (&search);
  code->libs = confine_strv_steal (&libs);
  code->files = confine_strv_steal (&files);
  return 0;
}

void
confine_runtime_code_clear (confine_runtime_code_t *code)
{
  confine_free_strv (code->search);
  confine_free_strv (code->libs);
  confine_free_strv (code->files);
  *code = (confine_runtime_code_t){ 0 };
}

bool
confine_runtime_refused (const confine_policy_t *policy, const char *path, const char **why)
{
  const char *base = strrchr (path, '/');
  size_t n, sl = strlen (CONFINE_STANDIN_SUFFIX);

  base = base ? base + 1 : path;
  n = strlen (base);
  if (n > sl && strcmp (base + n - sl, CONFINE_STANDIN_SUFFIX) == 0)
    n -= sl;
  for (char **r = policy->runtimes_refused; r && *r; r++)
    if (strlen (*r) == n && strncmp (*r, base, n) == 0)
      {
        *why = *r;
        return true;
      }
  return false;
}

int
confine_real_runtime (const char *policy_runtime, char **path, bool *standin,
                      confine_error_t *err)
{
  cleanup_free char *cand = NULL;
  cleanup_close int self = -1;
  cleanup_close int fd = -1;
  char exe[PATH_MAX];
  struct stat me, st;
  int r = -1;

  *path = NULL;
  if (self_exe (exe, err) < 0)
    return -1;
  self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (self < 0)
    return confine_make_error (err, errno, "open /proc/self/exe");
  if (fstat (self, &me) < 0)
    return confine_make_error (err, errno, "stat /proc/self/exe");

  *standin = standin_name (exe);
  if (*standin)
    {
      /* Never the policy's runtime: a stand-in for crun must not run runc,
       * and no setting may point it at an ungated binary. */
      if (asprintf (&cand, "%s%s", exe, CONFINE_STANDIN_SUFFIX) < 0)
        return confine_make_error (err, ENOMEM, "runtime path");
    }
  else
    {
      if (policy_runtime == NULL || policy_runtime[0] == '\0')
        return confine_make_error (err, 0, "the policy names no `runtime`");
      if (strchr (policy_runtime, '/'))
        cand = confine_xstrdup (policy_runtime);
      else
        search_path (policy_runtime, &cand, err);
      if (cand == NULL)
        return -1;
      /* The policy's runtime may be a stand-in itself (runc diverted while
       * Docker still names confine-runtime): run what it stands in for.
       * Otherwise the file stays open for the checks below. */
      fd = open (cand, O_RDONLY | O_CLOEXEC);
      if (fd >= 0 && fstat (fd, &st) == 0 && S_ISREG (st.st_mode))
        {
          if ((r = same_program (self, &me, fd, &st, err)) < 0)
            return -1;
          if (r > 0)
            {
              char *real = NULL;
              if (asprintf (&real, "%s%s", cand, CONFINE_STANDIN_SUFFIX) < 0)
                return confine_make_error (err, ENOMEM, "runtime path");
              free (cand);
              cand = real;
              *standin = true;
              close (steal_fd (&fd));
              r = -1;
            }
        }
    }

  if (fd < 0)
    fd = open (cand, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      if (errno == ENOENT && *standin)
        return confine_make_error (err, errno, "the runtime `%s` that `%s` stands in for is "
                                   "missing; reinstall it or run install.sh --uninstall",
                                   cand, exe);
      return confine_make_error (err, errno, "runtime `%s`", cand);
    }
  if (fstat (fd, &st) < 0)
    return confine_make_error (err, errno, "stat runtime `%s`", cand);
  if (!S_ISREG (st.st_mode) || (st.st_mode & 0111) == 0)
    return confine_make_error (err, 0, "runtime `%s` is not an executable file", cand);
  /* Whoever can replace the runtime decides what every container runs. */
  if (!confine_stat_root_only (&st))
    return confine_make_error (err, 0,
                               "runtime `%s` must be owned by root and not writable by group or "
                               "others (owner uid %u, mode %04o)",
                               cand, (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
  /* R already says so when this very file was compared above. */
  if (r < 0 && (r = same_program (self, &me, fd, &st, err)) < 0)
    return -1;
  if (r > 0)
    return confine_make_error (err, 0, "the runtime `%s` is confine-runtime itself", cand);
  *path = steal_pointer (&cand);
  return 0;
}
