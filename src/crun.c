/* SPDX-License-Identifier: Apache-2.0 */
/* The crun rule: what crun reads in a spec beyond what runc reads.
 *
 * crun (1.8.1 in Debian 12, src/libcrun) honours annotations that
 * change confinement, looked up by exact key (find_annotation, strcmp).
 * The gate judges them whatever the real runtime is: runc ignores them,
 * so judging them always costs nothing and needs no guess about which
 * runtime a hook or an engine will end up running. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mounts.h"
#include "rules.h"
#include "seccomp.h"
#include "../base/base64.h"
#include "../base/utils.h"

#define BPF_DATA "run.oci.seccomp_bpf_data"

/* Every annotation crun 1.8.1 reads, and why it is refused unless the
 * policy's crun.allowed_annotations lists it. The first matching row
 * decides; a row ending in `.` matches a prefix. BPF_DATA is not here: it
 * is always judged, never waived by the policy. */
static const struct
{
  const char *key;
  const char *why; /* NULL: harmless */
} crun_annotations[] = {
  { "run.oci.seccomp.plugins", "loads libraries into crun, as root on the host" },
  { "run.oci.seccomp.receiver", "hands the filter's notifications to a process on the host" },
  { "run.oci.handler", "runs the workload under another executor (krun, wasm, dotnet)" },
  { "module.wasm.image/variant", "runs the workload under a wasm executor" },
  { "run.oci.keep_original_groups", "keeps crun's own supplementary groups instead of the spec's" },
  { "run.oci.hooks.stdout", "makes crun create and append to a host file, as root" },
  { "run.oci.hooks.stderr", "makes crun create and append to a host file, as root" },
  { "run.oci.pidfd_receiver", "sends the container's pidfd to a socket on the host" },
  { "run.oci.delegate-cgroup", "moves the container into a cgroup the spec names, and hands it over" },
  { "run.oci.systemd.subgroup", "moves the container into a cgroup the spec names" },
  { "run.oci.systemd.force_cgroup_v1", "replaces a mount with the host's named systemd hierarchy" },
  { "run.oci.mount_context_type", "is written into the options of every labelled mount" },
  { "org.systemd.property.", "sets a property of the container's systemd scope" },
  /* Only stricter: crun refuses unknown syscall names instead of skipping. */
  { "run.oci.seccomp_fail_unknown_syscall", NULL },
  /* Offsets of the container's own time namespace, which only it sees. */
  { "run.oci.timens_offset", NULL },
  /* crun's namespace: a newer crun may honour keys this one does not. */
  { "run.oci.", "is reserved for crun, and a newer crun may honour it" },
};

static bool
row_matches (const char *row, const char *key)
{
  size_t n = strlen (row);
  return row[n - 1] == '.' ? strncmp (key, row, n) == 0 : strcmp (key, row) == 0;
}

/* Why crun's handling of KEY needs the policy's consent, or NULL. */
static const char *
refusal (const char *key)
{
  for (size_t i = 0; i < sizeof (crun_annotations) / sizeof (crun_annotations[0]); i++)
    if (row_matches (crun_annotations[i].key, key))
      return crun_annotations[i].why;
  return NULL;
}

/* crun's base64_decode (src/libcrun/utils.c) skips characters outside the
 * alphabet, counts `=` anywhere as padding without resetting it per block,
 * and writes the zero bits of a pad, so a non-canonical text decodes to
 * bytes no ordinary decoder would produce. Only canonical base64, on which
 * crun's decoder and RFC 4648 agree, is decoded here; anything else is
 * refused. */
static int
decode_bpf (const char *text, confine_bpf_t *out, confine_error_t *err)
{
  cleanup_free unsigned char *bytes = NULL;
  size_t n = 0;

  if (confine_base64_decode (text, strlen (text), &bytes, &n, err) < 0)
    return -1;
  /* crun hands the kernel len / 8 instructions and drops the rest. */
  if (n == 0 || n % sizeof (struct sock_filter) != 0)
    return confine_make_error (err, 0, "%zu bytes, not a whole number of BPF instructions", n);
  if (n / sizeof (struct sock_filter) > BPF_MAXINSNS)
    return confine_make_error (err, 0, "%zu instructions, more than the kernel's %d",
                               n / sizeof (struct sock_filter), BPF_MAXINSNS);
  out->len = n / sizeof (struct sock_filter);
  out->insns = (struct sock_filter *) steal_pointer (&bytes);
  return 0;
}

/* Judge PROG (what crun would load) on the policy's must_block list. Adds
 * WHAT and the syscalls it lets through to F and returns 1 when it fails,
 * 0 when it passes. */
static int
judge_prog (const confine_context_t *ctx, const confine_spec_t *spec, const confine_bpf_t *prog,
            const char *what, FILE *f, confine_error_t *err)
{
  cleanup_strv char **leaks = NULL;
  cleanup_free char *bind = NULL;

  /* Setuid modes count for a container that may make files host users
   * reach, as in the seccomp rule. */
  if (confine_mounts_setid_bind (ctx, spec, &bind, err) < 0
      || confine_seccomp_unblocked (prog, ctx->policy->must_block,
                                    ctx->policy->block_namespace_clone,
                                    ctx->policy->block_device_nodes, bind != NULL, &leaks, err)
             < 0)
    return -1;
  if (leaks[0] == NULL)
    return 0;
  fprintf (f, "%s allows ", what);
  for (char **l = leaks; *l; l++)
    fprintf (f, "%s%s", l == leaks ? "" : ", ", *l);
  fputs ("; ", f);
  return 1;
}

/* The raw program crun loads instead of building linux.seccomp. */
static int
judge_bpf (const confine_context_t *ctx, const confine_spec_t *spec, const char *text, FILE *f,
           confine_error_t *err)
{
  cleanup_bpf confine_bpf_t prog = { 0 };

  if (decode_bpf (text, &prog, err) < 0 || confine_bpf_validate (&prog, err) < 0)
    {
      fprintf (f, BPF_DATA ": %s; ", (*err)->msg);
      confine_error_release (err);
      return 1;
    }
  return judge_prog (ctx, spec, &prog, "the filter in " BPF_DATA, f, err);
}

/* crun (seccomp.c) reads at most six conditions of a rule and drops the
 * rest, where runc and the gate's compiler read them all: a rule of seven
 * OR'd conditions loses one under crun. When a rule has more than six,
 * build the filter crun would build, from the first six, and judge it. */
static int
judge_six_conditions (const confine_context_t *ctx, const confine_spec_t *spec, FILE *f,
                      confine_error_t *err)
{
  cleanup_free confine_seccomp_syscall_t *calls = NULL;
  cleanup_bpf confine_bpf_t prog = { 0 };
  const confine_seccomp_t *s = spec->seccomp;
  confine_seccomp_t view;
  bool truncated = false;

  for (size_t i = 0; s && i < s->n_syscalls; i++)
    truncated |= s->syscalls[i].n_args > 6;
  if (!truncated)
    return 0;
  calls = confine_xcalloc (s->n_syscalls, sizeof (*calls));
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      calls[i] = s->syscalls[i];
      if (calls[i].n_args > 6)
        calls[i].n_args = 6;
    }
  view = *s;
  view.syscalls = calls;
  if (confine_seccomp_compile (&view, &prog, err) < 0)
    {
      fprintf (f, "the seccomp filter crun would build from the first 6 conditions of each rule: "
               "%s; ", (*err)->msg);
      confine_error_release (err);
      return 1;
    }
  return judge_prog (ctx, spec, &prog,
                     "crun reads only the first 6 conditions of a seccomp rule, and the filter "
                     "it builds",
                     f, err);
}

int
confine_rule_crun (const confine_context_t *ctx, const confine_subject_t *subject,
                   confine_rule_result_t *r, confine_error_t *err)
{
  const confine_spec_t *spec = subject->spec;
  const char *key = NULL;
  cleanup_free char *facts = NULL;
  size_t len = 0;
  int failures = 0, ret;
  FILE *f = open_memstream (&facts, &len);

  if (f == NULL)
    return confine_make_error (err, errno, "open_memstream");
  for (size_t i = 0; i < spec->n_annotations; i++)
    {
      const confine_annotation_t *a = &spec->annotations[i];
      const char *why = refusal (a->key);

      if (strcmp (a->key, BPF_DATA) == 0)
        {
          if ((ret = judge_bpf (ctx, spec, a->value, f, err)) < 0)
            goto fail;
          if (ret > 0 && failures++ == 0)
            key = "seccomp.must_block";
          continue;
        }
      if (why == NULL || confine_strv_has (ctx->policy->crun_allowed_annotations, a->key))
        continue;
      if (failures++ == 0)
        key = "crun.allowed_annotations";
      fprintf (f, "annotation %s %s; ", a->key, why);
    }
  if ((ret = judge_six_conditions (ctx, spec, f, err)) < 0)
    goto fail;
  if (ret > 0 && failures++ == 0)
    key = "seccomp.must_block";
  if (fclose (f) != 0)
    return confine_make_error (err, ENOMEM, "describe crun result");
  if (failures == 0)
    {
      confine_result_set (r, CONFINE_RESULT_PASS, NULL,
                          "nothing crun reads beyond runc changes the confinement");
      return 0;
    }
  facts[len - 2] = '\0'; /* the last "; " */
  confine_result_set (r, CONFINE_RESULT_FAIL, key, "%s", facts);
  return 0;

fail:
  fclose (f);
  return -1;
}
