/* SPDX-License-Identifier: Apache-2.0 */
/* Docker seccomp profile -> OCI linux.seccomp, after moby's
 * profiles/seccomp/seccomp_linux.go (setupSeccomp). Where this file and
 * moby could differ, it follows moby, because the point of injecting is
 * that a container started through the shim gets the filter Docker would
 * have given it; comments mark the places where moby's behaviour is not
 * the obvious one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "dockerseccomp.h"
#include "../base/utils.h"

/* moby's Seccomp, Architecture, Syscall, Filter and specs.LinuxSeccompArg
 * fields. confine_json_struct refuses a key that Go would fold onto one
 * of these, and ignores the rest, as Go does. */
static const char *const profile_fields[]
    = { "defaultAction", "defaultErrnoRet", "architectures", "archMap", "flags",
        "listenerPath",  "listenerMetadata", "syscalls",     NULL };
static const char *const archmap_fields[] = { "architecture", "subArchitectures", NULL };
static const char *const syscall_fields[]
    = { "name", "names", "action", "errnoRet", "args", "comment", "includes", "excludes", NULL };
static const char *const filter_fields[] = { "caps", "arches", "minKernel", NULL };
static const char *const arg_fields[] = { "index", "value", "valueTwo", "op", NULL };

/* moby's nativeToSeccomp, keyed by libseccomp's native token instead of
 * GOARCH: the shim is C, so "the architecture Docker was built for" is the
 * one libseccomp reports for this process. */
static const struct
{
  uint32_t token;
  const char *arch;
  const char *scmp;
} arches[] = {
  { SCMP_ARCH_X86_64, "amd64", "SCMP_ARCH_X86_64" },
  { SCMP_ARCH_X86, "x86", "SCMP_ARCH_X86" },
  { SCMP_ARCH_AARCH64, "arm64", "SCMP_ARCH_AARCH64" },
  { SCMP_ARCH_ARM, "arm", "SCMP_ARCH_ARM" },
  { SCMP_ARCH_PPC64LE, "ppc64le", "SCMP_ARCH_PPC64LE" },
  { SCMP_ARCH_PPC64, "ppc64", "SCMP_ARCH_PPC64" },
  { SCMP_ARCH_PPC, "ppc", "SCMP_ARCH_PPC" },
  { SCMP_ARCH_S390X, "s390x", "SCMP_ARCH_S390X" },
  { SCMP_ARCH_S390, "s390", "SCMP_ARCH_S390" },
  { SCMP_ARCH_MIPS64, "mips64", "SCMP_ARCH_MIPS64" },
  { SCMP_ARCH_MIPS64N32, "mips64n32", "SCMP_ARCH_MIPS64N32" },
  { SCMP_ARCH_MIPSEL64, "mipsel64", "SCMP_ARCH_MIPSEL64" },
  { SCMP_ARCH_MIPSEL64N32, "mips3l64n32", "SCMP_ARCH_MIPSEL64N32" },
  { SCMP_ARCH_RISCV64, "riscv64", "SCMP_ARCH_RISCV64" },
};

/* Go's fmt.Sscanf(release, "%d.%d"): two numbers and a dot, anything
 * after the second number ignored ("6.18.44-fc" is 6.18, "3.12-1" is
 * 3.12). Signs and spaces, which Sscanf would skip, are refused: no
 * kernel or profile spells a version that way. */
static int
parse_release (const char *s, unsigned *kernel, unsigned *major)
{
  char num[16];
  const char *p = s;
  size_t n;
  uint64_t v;

  for (int part = 0; part < 2; part++)
    {
      n = strspn (p, "0123456789");
      if (n == 0 || n >= sizeof (num))
        return -1;
      memcpy (num, p, n);
      num[n] = '\0';
      if (confine_parse_u64 (num, UINT32_MAX, &v) < 0)
        return -1;
      *(part == 0 ? kernel : major) = (unsigned) v;
      p += n;
      if (part == 0 && *p++ != '.')
        return -1;
    }
  return 0;
}

int
confine_dockerseccomp_host (confine_dockerseccomp_host_t *host, confine_error_t *err)
{
  struct utsname u;
  uint32_t native = seccomp_arch_native ();

  memset (host, 0, sizeof (*host));
  for (size_t i = 0; i < sizeof (arches) / sizeof (arches[0]); i++)
    if (arches[i].token == native)
      {
        host->arch = arches[i].arch;
        host->scmp_arch = arches[i].scmp;
      }
  if (uname (&u) < 0)
    return confine_make_error (err, errno, "uname");
  if (parse_release (u.release, &host->kernel, &host->major) < 0)
    return confine_make_error (err, 0, "cannot parse the kernel version `%s`", u.release);
  return 0;
}

int
confine_dockerseccomp_load (const char *path, confine_json_t **out, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;

  /* A profile the shim injects decides what containers may do: it gets
   * the policy's ownership rules. */
  if (confine_read_trusted_file (path, CONFINE_DOCKERSECCOMP_MAX_BYTES, &buf, &len, err) < 0
      || confine_json_parse (buf, len, out, err) < 0)
    return confine_error_wrap (err, "seccomp profile `%s`", path);
  return 0;
}

static bool
present (const confine_json_t *n)
{
  return n != NULL && n->type != CONFINE_JSON_NULL;
}

/* A []string field: absent, null, or an array of strings. */
static int
check_strv (const confine_json_t *n, const char *path, confine_error_t *err)
{
  if (!present (n))
    return 0;
  if (n->type != CONFINE_JSON_ARRAY)
    return confine_json_type_error (path, n, "array", err);
  for (size_t i = 0; i < n->len; i++)
    if (n->values[i]->type != CONFINE_JSON_STRING)
      return confine_json_type_error (confine_jpath_index (path, i).s, n->values[i], "string", err);
  return 1;
}

static bool
strv_has (const confine_json_t *arr, const char *s)
{
  for (size_t i = 0; present (arr) && i < arr->len; i++)
    if (strcmp (arr->values[i]->text, s) == 0)
      return true;
  return false;
}

/* Copy OBJ[KEY] into DST when present and not null, as Go's omitempty
 * would write it back; WANT checks the JSON type (the final parse of the
 * whole spec checks the values). */
static int
copy_key (confine_json_t *dst, const confine_json_t *obj, const char *key, const char *path,
          confine_json_type_t want, confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  confine_json_t *c;

  if (!present (n))
    return 0;
  if (n->type != want)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, confine_json_type_name (want),
                                    err);
  if (want == CONFINE_JSON_ARRAY && check_strv (n, confine_jpath_key (path, key).s, err) < 0)
    return -1;
  if ((c = confine_json_copy (n, err)) == NULL)
    return -1;
  if (confine_json_set (dst, key, c, err) < 0)
    {
      confine_json_free (c);
      return -1;
    }
  return 1;
}

/* moby's Filter: returns 1 when the filter matches this container and
 * host. ALL: includes need every listed cap, excludes need any one. */
typedef struct
{
  bool arches, caps, min_kernel; /* which parts the filter has */
  bool arch_in, caps_match, kernel_ge;
} filter_t;

static int
read_filter (const confine_json_t *n, const char *path, char *const *bounding,
             const confine_dockerseccomp_host_t *host, bool all_caps, filter_t *f,
             confine_error_t *err)
{
  const confine_json_t *a, *c, *k;
  int r = confine_json_struct (n, path, filter_fields, false, err);

  memset (f, 0, sizeof (*f));
  if (r <= 0)
    return r;
  a = confine_json_get (n, "arches");
  c = confine_json_get (n, "caps");
  k = confine_json_get (n, "minKernel");
  if (check_strv (a, confine_jpath_key (path, "arches").s, err) < 0
      || check_strv (c, confine_jpath_key (path, "caps").s, err) < 0)
    return -1;
  /* moby tests `len(...) > 0`, so an empty list is no condition. */
  f->arches = present (a) && a->len > 0;
  f->arch_in = f->arches && strv_has (a, host->arch ? host->arch : "");
  f->caps = present (c) && c->len > 0;
  if (f->caps)
    {
      f->caps_match = all_caps;
      for (size_t i = 0; i < c->len; i++)
        {
          bool has = confine_strv_has (bounding, c->values[i]->text);
          if (all_caps && !has)
            f->caps_match = false;
          if (!all_caps && has)
            f->caps_match = true;
        }
    }
  if (present (k))
    {
      unsigned kv = 0, mv = 0;
      if (k->type != CONFINE_JSON_STRING)
        return confine_json_type_error (confine_jpath_key (path, "minKernel").s, k, "string", err);
      /* moby's KernelVersion.UnmarshalJSON leaves "" at 0.0, which every
       * kernel satisfies. */
      if (k->text[0] != '\0' && parse_release (k->text, &kv, &mv) < 0)
        return confine_make_error (err, 0, "`%s.minKernel`: invalid kernel version `%s`", path,
                                   k->text);
      f->min_kernel = true;
      f->kernel_ge = host->kernel > kv || (host->kernel == kv && host->major >= mv);
    }
  return 1;
}

/* One syscall block: 1 and *OUT set when kept, 0 when filtered out. */
static int
convert_syscall (const confine_json_t *call, const char *path, char *const *bounding,
                 const confine_dockerseccomp_host_t *host, confine_json_t **out,
                 confine_error_t *err)
{
  cleanup_json confine_json_t *sc = NULL;
  const confine_json_t *name, *names, *args, *comment;
  filter_t inc, exc;
  int r;

  *out = NULL;
  if ((r = confine_json_struct (call, path, syscall_fields, false, err)) < 0)
    return -1;
  if (r == 0)
    return confine_make_error (err, 0, "`%s`: null syscall entry", path);
  name = confine_json_get (call, "name");
  names = confine_json_get (call, "names");
  comment = confine_json_get (call, "comment");
  if (present (name) && name->type != CONFINE_JSON_STRING)
    return confine_json_type_error (confine_jpath_key (path, "name").s, name, "string", err);
  if (present (comment) && comment->type != CONFINE_JSON_STRING)
    return confine_json_type_error (confine_jpath_key (path, "comment").s, comment, "string", err);
  if (check_strv (names, confine_jpath_key (path, "names").s, err) < 0)
    return -1;
  /* Checked before the filters, as current moby does, so a profile that
   * is wrong somewhere is wrong on every host. */
  if (present (name) && name->text[0] != '\0' && present (names) && names->len > 0)
    return confine_make_error (err, 0, "`%s`: both 'name' and 'names' are specified, use "
                               "either 'name' or 'names'", path);

  if (read_filter (confine_json_get (call, "excludes"), confine_jpath_key (path, "excludes").s,
                   bounding, host, false, &exc, err) < 0
      || read_filter (confine_json_get (call, "includes"), confine_jpath_key (path, "includes").s,
                      bounding, host, true, &inc, err) < 0)
    return -1;
  if ((exc.arches && exc.arch_in) || (exc.caps && exc.caps_match)
      || (exc.min_kernel && exc.kernel_ge))
    return 0;
  if ((inc.arches && !inc.arch_in) || (inc.caps && !inc.caps_match)
      || (inc.min_kernel && !inc.kernel_ge))
    return 0;

  /* The output is specs.LinuxSyscall: names, action, errnoRet, args. */
  sc = confine_json_new (CONFINE_JSON_OBJECT, NULL);
  if (present (name) && name->text[0] != '\0')
    {
      confine_json_t *arr = confine_json_new (CONFINE_JSON_ARRAY, NULL);
      confine_json_t *s = confine_json_new (CONFINE_JSON_STRING, name->text);
      if (confine_json_push (arr, s, err) < 0)
        {
          confine_json_free (s);
          confine_json_free (arr);
          return -1;
        }
      /* S is ARR's now: freeing it too would free it twice. */
      if (confine_json_set (sc, "names", arr, err) < 0)
        {
          confine_json_free (arr);
          return -1;
        }
    }
  else if (copy_key (sc, call, "names", path, CONFINE_JSON_ARRAY, err) < 0)
    return -1;
  if (copy_key (sc, call, "action", path, CONFINE_JSON_STRING, err) < 0
      || copy_key (sc, call, "errnoRet", path, CONFINE_JSON_NUMBER, err) < 0)
    return -1;

  args = confine_json_get (call, "args");
  if (present (args))
    {
      cleanup_json confine_json_t *oargs = NULL;
      confine_jpath_t apath = confine_jpath_key (path, "args");
      if (args->type != CONFINE_JSON_ARRAY)
        return confine_json_type_error (apath.s, args, "array", err);
      oargs = confine_json_new (CONFINE_JSON_ARRAY, NULL);
      for (size_t i = 0; i < args->len; i++)
        {
          confine_jpath_t p = confine_jpath_index (apath.s, i);
          const confine_json_t *a = args->values[i];
          confine_json_t *oa;
          if ((r = confine_json_struct (a, p.s, arg_fields, false, err)) < 0)
            return -1;
          if (r == 0)
            return confine_make_error (err, 0, "`%s`: null argument", p.s);
          oa = confine_json_new (CONFINE_JSON_OBJECT, NULL);
          /* Numbers are copied as text: 18446744073709551615 stays exact. */
          if (copy_key (oa, a, "index", p.s, CONFINE_JSON_NUMBER, err) < 0
              || copy_key (oa, a, "value", p.s, CONFINE_JSON_NUMBER, err) < 0
              || copy_key (oa, a, "valueTwo", p.s, CONFINE_JSON_NUMBER, err) < 0
              || copy_key (oa, a, "op", p.s, CONFINE_JSON_STRING, err) < 0
              || confine_json_push (oargs, oa, err) < 0)
            {
              confine_json_free (oa);
              return -1;
            }
        }
      if (oargs->len > 0)
        {
          if (confine_json_set (sc, "args", oargs, err) < 0)
            return -1;
          oargs = NULL;
        }
    }
  *out = steal_pointer (&sc);
  return 1;
}

int
confine_dockerseccomp_convert (const confine_json_t *profile, char *const *bounding,
                               const confine_dockerseccomp_host_t *host, confine_json_t **out,
                               confine_error_t *err)
{
  cleanup_json confine_json_t *sec = NULL;
  cleanup_json confine_json_t *calls = NULL;
  const confine_json_t *def, *archs, *archmap, *syscalls;
  int r;

  *out = NULL;
  if ((r = confine_json_struct (profile, "", profile_fields, false, err)) < 0)
    return -1;
  if (r == 0)
    return confine_make_error (err, 0, "the seccomp profile is not a JSON object");
  def = confine_json_get (profile, "defaultAction");
  archs = confine_json_get (profile, "architectures");
  archmap = confine_json_get (profile, "archMap");
  syscalls = confine_json_get (profile, "syscalls");
  if (present (def) && def->type != CONFINE_JSON_STRING)
    return confine_json_type_error ("defaultAction", def, "string", err);
  if (present (syscalls) && syscalls->type != CONFINE_JSON_ARRAY)
    return confine_json_type_error ("syscalls", syscalls, "array", err);
  if (present (archmap) && archmap->type != CONFINE_JSON_ARRAY)
    return confine_json_type_error ("archMap", archmap, "array", err);
  if (check_strv (archs, "architectures", err) < 0)
    return -1;

  /* moby: "No default action specified, no syscalls listed, assume
   * seccomp disabled". The caller decides what no filter means. */
  if ((!present (def) || def->text[0] == '\0') && (!present (syscalls) || syscalls->len == 0))
    return 0;
  if (present (archs) && archs->len > 0 && present (archmap) && archmap->len > 0)
    return confine_make_error (err, 0, "both 'architectures' and 'archMap' are specified in the "
                               "seccomp profile, use either 'architectures' or 'archMap'");

  /* specs.LinuxSeccomp, in its field order; moby copies every standard
   * field of the profile through. */
  sec = confine_json_new (CONFINE_JSON_OBJECT, NULL);
  if (copy_key (sec, profile, "defaultAction", "", CONFINE_JSON_STRING, err) < 0
      || copy_key (sec, profile, "defaultErrnoRet", "", CONFINE_JSON_NUMBER, err) < 0
      || copy_key (sec, profile, "architectures", "", CONFINE_JSON_ARRAY, err) < 0)
    return -1;

  /* archMap: the entry of the native architecture and its
   * subArchitectures; the first match only, and nothing at all on an
   * architecture moby does not know. */
  for (size_t i = 0; present (archmap) && host->scmp_arch && i < archmap->len; i++)
    {
      confine_jpath_t p = confine_jpath_index ("archMap", i);
      const confine_json_t *e = archmap->values[i];
      const confine_json_t *a, *subs;
      confine_json_t *list;
      if ((r = confine_json_struct (e, p.s, archmap_fields, false, err)) < 0)
        return -1;
      if (r == 0)
        continue;
      a = confine_json_get (e, "architecture");
      subs = confine_json_get (e, "subArchitectures");
      if (present (a) && a->type != CONFINE_JSON_STRING)
        return confine_json_type_error (confine_jpath_key (p.s, "architecture").s, a, "string", err);
      if (check_strv (subs, confine_jpath_key (p.s, "subArchitectures").s, err) < 0)
        return -1;
      if (!present (a) || strcmp (a->text, host->scmp_arch) != 0)
        continue;
      list = confine_json_new (CONFINE_JSON_ARRAY, NULL);
      if (confine_json_set (sec, "architectures", list, err) < 0)
        {
          confine_json_free (list);
          return -1;
        }
      for (size_t j = 0; j < 1 + (present (subs) ? subs->len : 0); j++)
        {
          confine_json_t *s = confine_json_new (CONFINE_JSON_STRING,
                                                j == 0 ? a->text : subs->values[j - 1]->text);
          if (confine_json_push (list, s, err) < 0)
            {
              confine_json_free (s);
              return -1;
            }
        }
      break;
    }

  if (copy_key (sec, profile, "flags", "", CONFINE_JSON_ARRAY, err) < 0
      || copy_key (sec, profile, "listenerPath", "", CONFINE_JSON_STRING, err) < 0
      || copy_key (sec, profile, "listenerMetadata", "", CONFINE_JSON_STRING, err) < 0)
    return -1;

  calls = confine_json_new (CONFINE_JSON_ARRAY, NULL);
  for (size_t i = 0; present (syscalls) && i < syscalls->len; i++)
    {
      confine_json_t *sc = NULL;
      r = convert_syscall (syscalls->values[i], confine_jpath_index ("syscalls", i).s, bounding,
                           host, &sc, err);
      if (r < 0)
        return confine_error_wrap (err, "seccomp profile");
      if (r > 0 && confine_json_push (calls, sc, err) < 0)
        {
          confine_json_free (sc);
          return -1;
        }
    }
  if (calls->len > 0)
    {
      if (confine_json_set (sec, "syscalls", calls, err) < 0)
        return -1;
      calls = NULL;
    }
  *out = steal_pointer (&sec);
  return 1;
}
