/* SPDX-License-Identifier: Apache-2.0 */
/* confine_elf_build_id: how the shim knows a copy of itself (install.sh's
 * stand-ins) without reading the whole binary. It must find the build ID
 * the linker wrote, agree with itself on the same file, and read nothing
 * beyond a note segment however its notes are sized: every runtime call
 * puts the policy's runtime file through it before that file is known to
 * be root's. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/standin.h"

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
}
