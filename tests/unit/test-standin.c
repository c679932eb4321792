/* SPDX-License-Identifier: Apache-2.0 */
/* confine_elf_build_id: how the shim knows a copy of itself (install.sh's
 * stand-ins) without reading the whole binary. It must find the build ID
 * the linker wrote, agree with itself on the same file, and read nothing
 * beyond a note segment however its notes are sized: every runtime call
 * puts the policy's runtime file through it before that file is known to
 * be root's.
 *
 * confine_runtime_code_paths: where the runtime the shim runs, with the
 * shim's environment, finds code, for the mounts rule (red team 3 F-11,
 * F-12). */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/standin.h"
#include "../../base/utils.h"

/* A 64-bit ELF file of one PT_NOTE segment holding NOTE (SIZE bytes),
 * aligned to ALIGN, at DIR/NAME; returns an open fd. */
static int
elf_with_note (const char *dir, const char *name, const void *note, size_t size, size_t align)
{
  char path[4096];
  Elf64_Ehdr eh = { 0 };
  Elf64_Phdr ph = { 0 };
  int fd;

  snprintf (path, sizeof (path), "%s/%s", dir, name);
  memcpy (eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_phoff = sizeof (eh);
  eh.e_phentsize = sizeof (ph);
  eh.e_phnum = 1;
  ph.p_type = PT_NOTE;
  ph.p_offset = sizeof (eh) + sizeof (ph);
  ph.p_filesz = size;
  ph.p_align = align;
  fd = open (path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, &eh, sizeof (eh)) != (ssize_t) sizeof (eh)
      || write (fd, &ph, sizeof (ph)) != (ssize_t) sizeof (ph)
      || write (fd, note, size) != (ssize_t) size)
    {
      fprintf (stderr, "write %s\n", path);
      exit (2);
    }
  return fd;
}

/* V as one string, entries joined by `|`. */
static char *
joined (char **v)
{
  char *out = strdup ("");
  for (size_t i = 0; v && v[i]; i++)
    {
      char *next = NULL;
      if (asprintf (&next, "%s%s%s", out, i ? "|" : "", v[i]) < 0)
        abort ();
      free (out);
      out = next;
    }
  return out;
}

static void
code_paths_cases (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_runtime_code_t code = { 0 };
  char *d, *l, *f;
  int r;

  /* containerd's opt plugin leaves LD_LIBRARY_PATH ending in `:`: the
   * working directory. */
  setenv ("PATH", "/opt/ctd/bin::rel/bin:/usr/bin", 1);
  setenv ("LD_LIBRARY_PATH", "/opt/ctd/lib;/b/lib:", 1);
  setenv ("LD_PRELOAD", "/p/x.so bare.so:/p/y.so", 1);
  setenv ("LD_AUDIT", "/q/a.so", 1);
  r = confine_runtime_code_paths ("/usr/sbin/runc.real", &code, &err);
  d = joined (code.search);
  l = joined (code.libs);
  f = joined (code.files);
  CHECK (r == 0 && strcmp (d, "/usr/sbin|/opt/ctd/bin|/usr/bin") == 0
             && strcmp (l, "/opt/ctd/lib|/b/lib") == 0
             && strcmp (f, ".|rel/bin|.|/p/x.so|/p/y.so|/q/a.so") == 0,
         "code-paths-every-search-directory-and-loaded-file", "search %s libs %s files %s %s", d,
         l, f, err ? err->msg : "");
  free (d);
  free (l);
  free (f);
  confine_runtime_code_clear (&code);

  setenv ("LD_LIBRARY_PATH", "$ORIGIN/../lib", 1);
  r = confine_runtime_code_paths ("/usr/sbin/runc", &code, &err);
  CHECK (r < 0 && code.search == NULL && strstr (err->msg, "LD_LIBRARY_PATH entry `$ORIGIN/../lib`"),
         "code-paths-loader-token-refused", "r %d %s", r, err ? err->msg : "");
  confine_error_release (&err);

  /* No PATH: the shim searches the default one. */
  unsetenv ("PATH");
  unsetenv ("LD_LIBRARY_PATH");
  unsetenv ("LD_PRELOAD");
  unsetenv ("LD_AUDIT");
  r = confine_runtime_code_paths ("/usr/sbin/runc", &code, &err);
  d = joined (code.search);
  CHECK (r == 0 && strstr (d, "/usr/sbin|/usr/local/sbin|") == d && code.libs[0] == NULL
             && code.files[0] == NULL,
         "code-paths-default-path", "search %s", d);
  free (d);
  confine_runtime_code_clear (&code);
}

void
run_tests (void)
{
  unsigned char a[CONFINE_BUILD_ID_MAX], b[CONFINE_BUILD_ID_MAX];
  size_t al = 0, bl = 0;
  char *dir = harness_tmpdir ();
  int self = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  int again = open ("/proc/self/exe", O_RDONLY | O_CLOEXEC);

  /* The build links with the linker's build ID (Debian's gcc asks for
   * it): this test program has one, and reads it alike twice. */
  CHECK (confine_elf_build_id (self, a, &al) == 1 && al == 20, "build-id-of-this-program",
         "len %zu", al);
  CHECK (confine_elf_build_id (again, b, &bl) == 1 && bl == al && memcmp (a, b, al) == 0,
         "build-id-same-file-same-id", "len %zu", bl);
  close (self);
  close (again);

  /* A note written by hand is found the same way. */
  {
    unsigned char note[12 + 4 + 8] = { 0 };
    Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = 8, .n_type = NT_GNU_BUILD_ID };
    int fd;
    memcpy (note, &nh, sizeof (nh));
    memcpy (note + 12, "GNU", 4);
    memcpy (note + 16, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    fd = elf_with_note (dir, "plain", note, sizeof (note), 4);
    CHECK (confine_elf_build_id (fd, a, &al) == 1 && al == 8 && memcmp (a, note + 16, 8) == 0,
           "build-id-hand-written-note", "len %zu", al);
    close (fd);
  }

  /* The last note's padding runs past the segment, which fills the
   * reader's whole buffer (8-byte alignment, 1024 bytes): the walk must
   * stop there, not read on (AddressSanitizer: make asan-check). */
  {
    unsigned char note[1024] = { 0 };
    Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = 1004, .n_type = 0x1234 };
    int fd;
    memcpy (note, &nh, sizeof (nh));
    memcpy (note + 12, "GNU", 4);
    fd = elf_with_note (dir, "padded", note, sizeof (note), 8);
    CHECK (confine_elf_build_id (fd, a, &al) == 0, "build-id-padding-past-the-segment-stops",
           "found one");
    close (fd);
  }

  /* Notes that claim more than the segment holds, and files that are no
   * ELF of ours: none, never a read beyond them. */
  {
    unsigned char note[16] = { 0 };
    Elf64_Nhdr nh = { .n_namesz = 4, .n_descsz = 0xffffffffu, .n_type = NT_GNU_BUILD_ID };
    int fd;
    memcpy (note, &nh, sizeof (nh));
    memcpy (note + 12, "GNU", 4);
    fd = elf_with_note (dir, "huge-desc", note, sizeof (note), 4);
    CHECK (confine_elf_build_id (fd, a, &al) == 0, "build-id-desc-beyond-the-segment", "found one");
    close (fd);
    nh.n_descsz = 4;
    nh.n_namesz = 0xfffffff0u;
    memcpy (note, &nh, sizeof (nh));
    fd = elf_with_note (dir, "huge-name", note, sizeof (note), 4);
    CHECK (confine_elf_build_id (fd, a, &al) == 0, "build-id-name-beyond-the-segment", "found one");
    close (fd);
  }
  {
    char path[4096];
    int fd;
    snprintf (path, sizeof (path), "%s/script", dir);
    harness_write (path, "#!/bin/sh\nexit 0\n");
    fd = open (path, O_RDONLY | O_CLOEXEC);
    CHECK (confine_elf_build_id (fd, a, &al) == 0, "build-id-of-a-script-is-none", "found one");
    close (fd);
    fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK (confine_elf_build_id (fd, a, &al) == 0, "build-id-of-an-empty-file-is-none",
           "found one");
    close (fd);
  }
  free (dir);
  code_paths_cases ();
}
