/* SPDX-License-Identifier: Apache-2.0 */
/* confine-facts: what confine reads from a config.json, in the canonical
 * schema that tests/oracle/runc-oracle prints for runc (see facts.go
 * there). A test tool only: the differential test compares the two.
 *
 *   confine-facts FILE...    one JSON line per file
 *   confine-facts --stream   frames on stdin: a line "LENGTH [BPF-FILE]",
 *                            then LENGTH bytes of config.json; one line out
 *                            per frame
 *   confine-facts --stream-process   the same for exec process files
 *
 * A line is {"ok":true,"facts":{...}} or {"ok":false,"error":"..."}.
 * With BPF-FILE (the program runc would load, raw struct sock_filter), the
 * line also has "bpf":{"same":BOOL,"detail":"..."}: whether confine's
 * evaluator gives runc's program the same verdict as the program confine
 * builds with libseccomp. Facts that oci/spec.h does not type are left
 * out, and the test lists them as pending. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "../../oci/spec.h"
#include "../../src/bpf.h"
#include "../../src/hostpath.h"
#include "../../src/policy.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

#define MAX_FRAME (CONFINE_SPEC_MAX_BYTES + 1024)

static void
str (yajl_gen g, const char *s)
{
  if (s == NULL)
    s = ""; /* Go cannot tell an absent string from "" */
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
key (yajl_gen g, const char *k)
{
  str (g, k);
}

static void
strv (yajl_gen g, char *const *v)
{
  yajl_gen_array_open (g);
  for (size_t i = 0; v && v[i]; i++)
    str (g, v[i]);
  yajl_gen_array_close (g);
}

static void
num_u64 (yajl_gen g, uint64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof (buf), "%" PRIu64, v);
  yajl_gen_number (g, buf, (size_t) n);
}

static void
num_i64 (yajl_gen g, int64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof (buf), "%" PRId64, v);
  yajl_gen_number (g, buf, (size_t) n);
}

/* A Go pointer field: null when unset. */
static void
opt_u64 (yajl_gen g, bool has, uint64_t v)
{
  if (has)
    num_u64 (g, v);
  else
    yajl_gen_null (g);
}

static void
opt_i64 (yajl_gen g, bool has, int64_t v)
{
  if (has)
    num_i64 (g, v);
  else
    yajl_gen_null (g);
}

/* One key of a map and its value: KV ("cwd", str (g, p->cwd)). */
#define KV(k, value)                                                                              \
  do                                                                                              \
    {                                                                                             \
      key (g, k);                                                                                 \
      value;                                                                                      \
    }                                                                                             \
  while (0)

static void
process (yajl_gen g, const confine_process_t *p)
{
  if (!p->present)
    {
      yajl_gen_null (g);
      return;
    }
  yajl_gen_map_open (g);
  KV ("apparmorProfile", str (g, p->apparmor_profile));
  KV ("cwd", str (g, p->cwd));
  KV ("noNewPrivileges", yajl_gen_bool (g, p->no_new_privileges));
  key (g, "capabilities");
  if (!p->has_capabilities)
    yajl_gen_null (g);
  else
    {
      yajl_gen_map_open (g);
      for (int s = 0; s < CONFINE_CAP_SETS; s++)
        KV (confine_cap_set_names[s], strv (g, p->caps.names[s]));
      yajl_gen_map_close (g);
    }
  yajl_gen_map_close (g);
}

static void
seccomp (yajl_gen g, const confine_seccomp_t *s)
{
  if (s == NULL)
    {
      yajl_gen_null (g);
      return;
    }
  yajl_gen_map_open (g);
  KV ("defaultAction", str (g, s->default_action));
  KV ("defaultErrnoRet", opt_u64 (g, s->has_default_errno_ret, s->default_errno_ret));
  KV ("architectures", strv (g, s->architectures));
  KV ("flags", strv (g, s->flags));
  KV ("listenerPath", str (g, s->listener_path));
  key (g, "syscalls");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const confine_seccomp_syscall_t *c = &s->syscalls[i];
      yajl_gen_map_open (g);
      KV ("names", strv (g, c->names));
      KV ("action", str (g, c->action));
      KV ("errnoRet", opt_u64 (g, c->has_errno_ret, c->errno_ret));
      key (g, "args");
      yajl_gen_array_open (g);
      for (size_t j = 0; j < c->n_args; j++)
        {
          yajl_gen_map_open (g);
          KV ("index", num_u64 (g, c->args[j].index));
          KV ("value", num_u64 (g, c->args[j].value));
          KV ("valueTwo", num_u64 (g, c->args[j].value_two));
          KV ("op", str (g, c->args[j].op));
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
}

/* Where confine's resolver says a host path leads, joined to BUNDLE when
 * relative; "!" and the reason when it refuses to resolve it (which the
 * comparison does not count: a path the gate cannot resolve is refused). */
static void
resolved (yajl_gen g, const char *bundle, const char *path)
{
  cleanup_free char *out = NULL;
  confine_error_t err = NULL;

  if (confine_hostpath_resolve (bundle, path ? path : "", &out, &err) < 0)
    {
      cleanup_free char *msg = NULL;
      if (asprintf (&msg, "!%s", err->msg) < 0)
        msg = NULL;
      str (g, msg ? msg : "!");
      confine_error_release (&err);
      return;
    }
  str (g, out);
}

static void
facts (yajl_gen g, const confine_spec_t *spec, const char *bundle)
{
  yajl_gen_map_open (g);
  KV ("process", process (g, &spec->process));

  key (g, "mounts");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      const confine_mount_t *m = &spec->mounts[i];
      yajl_gen_map_open (g);
      KV ("destination", str (g, m->destination));
      KV ("type", str (g, m->type));
      KV ("source", str (g, m->source));
      KV ("options", strv (g, m->options));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);

  key (g, "root");
  if (spec->root_path == NULL)
    yajl_gen_null (g);
  else
    {
      yajl_gen_map_open (g);
      KV ("path", str (g, spec->root_path));
      KV ("readonly", yajl_gen_bool (g, spec->root_readonly));
      yajl_gen_map_close (g);
    }

  key (g, "hooks");
  yajl_gen_map_open (g);
  for (int stage = 0; stage < CONFINE_HOOK_STAGES; stage++)
    {
      key (g, confine_hook_stage_names[stage]);
      yajl_gen_array_open (g);
      for (size_t i = 0; i < spec->n_hooks[stage]; i++)
        {
          const confine_hook_t *h = &spec->hooks[stage][i];
          yajl_gen_map_open (g);
          KV ("path", str (g, h->path));
          KV ("args", strv (g, h->args));
          key (g, "env");
          if (h->has_env)
            strv (g, h->env);
          else
            yajl_gen_null (g);
          KV ("timeout", opt_i64 (g, h->has_timeout, h->timeout));
          yajl_gen_map_close (g);
        }
      yajl_gen_array_close (g);
    }
  yajl_gen_map_close (g);

  key (g, "annotations");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < spec->n_annotations; i++)
    {
      KV (spec->annotations[i].key, str (g, spec->annotations[i].value));
    }
  yajl_gen_map_close (g);

  key (g, "namespaces");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < spec->n_namespaces; i++)
    {
      yajl_gen_map_open (g);
      KV ("type", str (g, spec->namespaces[i].type));
      KV ("path", str (g, spec->namespaces[i].path));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);

  key (g, "devices");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < spec->n_devices; i++)
    {
      const confine_device_t *d = &spec->devices[i];
      yajl_gen_map_open (g);
      KV ("path", str (g, d->path));
      KV ("type", str (g, d->type));
      KV ("major", num_i64 (g, d->major));
      KV ("minor", num_i64 (g, d->minor));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);

  key (g, "sysctl");
  yajl_gen_map_open (g);
  for (size_t i = 0; i < spec->n_sysctls; i++)
    {
      KV (spec->sysctls[i].key, str (g, spec->sysctls[i].value));
    }
  yajl_gen_map_close (g);
  KV ("rootfsPropagation", str (g, spec->rootfs_propagation));

  key (g, "deviceRules");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < spec->n_device_rules; i++)
    {
      const confine_device_rule_t *d = &spec->device_rules[i];
      yajl_gen_map_open (g);
      KV ("allow", yajl_gen_bool (g, d->allow));
      KV ("type", str (g, d->type));
      KV ("major", opt_i64 (g, d->has_major, d->major));
      KV ("minor", opt_i64 (g, d->has_minor, d->minor));
      KV ("access", str (g, d->access));
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);

  KV ("maskedPaths", strv (g, spec->masked_paths));
  KV ("readonlyPaths", strv (g, spec->readonly_paths));
  KV ("seccomp", seccomp (g, spec->seccomp));

  key (g, "applied");
  yajl_gen_map_open (g);
  KV ("seccompFilter", yajl_gen_bool (g, !confine_seccomp_is_empty (spec->seccomp)));
  KV ("rootfs", resolved (g, bundle, spec->root_path));
  key (g, "sources");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < spec->n_mounts; i++)
    resolved (g, bundle, spec->mounts[i].source);
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
}

static int
read_bpf (const char *path, confine_bpf_t *prog, confine_error_t *err)
{
  cleanup_free char *buf = NULL;
  size_t len = 0;

  if (confine_read_file (path, 1u << 20, &buf, &len, err) < 0)
    return -1;
  if (len == 0 || len % sizeof (struct sock_filter) != 0)
    return confine_make_error (err, 0, "`%s` is not a BPF program", path);
  prog->insns = (struct sock_filter *) steal_pointer (&buf);
  prog->len = len / sizeof (struct sock_filter);
  return confine_bpf_validate (prog, err);
}

static bool
blocked (unsigned classes)
{
  return classes != 0 && (classes & ~CONFINE_BPF_BLOCKING) == 0;
}

/* The verdict of confine's evaluator on runc's program against its
 * verdict on libseccomp's own export: every syscall number of every host
 * ABI (and a foreign architecture) blocked or not alike, and the same
 * must_block syscalls let through under the default policy. */
static int
compare_bpf (const confine_spec_t *spec, const char *runc_path, char **detail,
             confine_error_t *err)
{
  static const char no_policy[] = "{}";
  cleanup_bpf confine_bpf_t runc = { 0 };
  cleanup_bpf confine_bpf_t ours = { 0 };
  cleanup_strv char **runc_open = NULL;
  cleanup_strv char **our_open = NULL;
  confine_policy_t *policy = NULL;
  char *msg = NULL;
  int ret = 0;

  *detail = NULL;
  if (read_bpf (runc_path, &runc, err) < 0)
    return confine_error_wrap (err, "runc's program");
  if (confine_seccomp_compile (spec->seccomp, &ours, err) < 0)
    return confine_error_wrap (err, "confine's program");
  for (const confine_abi_t *abi = confine_host_abis (); abi->name && msg == NULL; abi++)
    {
      uint32_t base = strcmp (abi->name, "x32") == 0 ? 0x40000000u : 0;
      for (uint32_t nr = 0; nr < 1024 && msg == NULL; nr++)
        {
          unsigned a = 0, b = 0;
          if (confine_bpf_reachable (&runc, abi->audit_arch, base + nr, &a, err) < 0
              || confine_bpf_reachable (&ours, abi->audit_arch, base + nr, &b, err) < 0)
            return -1;
          if (blocked (a) != blocked (b)
              && asprintf (&msg, "%s syscall %u: runc's program %s it (classes 0x%x), confine's %s it (0x%x)",
                           abi->name, nr, blocked (a) ? "blocks" : "allows", a,
                           blocked (b) ? "blocks" : "allows", b)
                     < 0)
            return confine_make_error (err, ENOMEM, "format");
        }
    }
  if (msg == NULL)
    {
      if (confine_policy_parse (no_policy, sizeof (no_policy) - 1, &policy, err) < 0)
        return -1;
      if (confine_seccomp_unblocked (&runc, policy->must_block, policy->block_namespace_clone,
                                     policy->block_device_nodes, policy->block_setid_files,
                                     &runc_open, err)
              < 0
          || confine_seccomp_unblocked (&ours, policy->must_block, policy->block_namespace_clone,
                                        policy->block_device_nodes, policy->block_setid_files,
                                        &our_open, err)
                 < 0)
        ret = -1;
      confine_policy_free (policy);
      if (ret < 0)
        return -1;
      for (size_t i = 0; msg == NULL && (runc_open[i] || our_open[i]); i++)
        if (runc_open[i] == NULL || our_open[i] == NULL || strcmp (runc_open[i], our_open[i]) != 0)
          if (asprintf (&msg, "must_block verdict: runc's program lets through `%s`, confine's `%s`",
                        runc_open[i] ? runc_open[i] : "(nothing more)",
                        our_open[i] ? our_open[i] : "(nothing more)")
              < 0)
            return confine_make_error (err, ENOMEM, "format");
    }
  *detail = msg;
  return 0;
}

/* One document in, one line out. */
/* An exec process file, as the shim reads `exec --process`: its facts
 * are the process's. */
static int
answer_process (yajl_gen g, const char *buf, size_t len)
{
  confine_process_t p = { 0 };
  confine_error_t err = NULL;

  key (g, "ok");
  if (confine_process_parse (buf, len, &p, &err) < 0)
    {
      yajl_gen_bool (g, false);
      KV ("error", str (g, err->msg));
      confine_error_release (&err);
      return 0;
    }
  yajl_gen_bool (g, true);
  key (g, "facts");
  yajl_gen_map_open (g);
  KV ("process", process (g, &p));
  yajl_gen_map_close (g);
  confine_process_clear (&p);
  return 0;
}

static int
answer (const char *buf, size_t len, const char *bundle, bool exec_process, const char *bpf_path)
{
  cleanup_spec confine_spec_t *spec = NULL;
  cleanup_free char *detail = NULL;
  confine_error_t err = NULL;
  const unsigned char *out = NULL;
  size_t out_len = 0;
  yajl_gen g = yajl_gen_alloc (NULL);
  int ret = 0;

  if (g == NULL)
    return -1;
  yajl_gen_map_open (g);
  if (exec_process)
    answer_process (g, buf, len);
  else if ((key (g, "ok"), confine_spec_parse (buf, len, &spec, NULL, &err) < 0))
    {
      yajl_gen_bool (g, false);
      KV ("error", str (g, err->msg));
      confine_error_release (&err);
    }
  else
    {
      yajl_gen_bool (g, true);
      key (g, "facts");
      facts (g, spec, bundle);
      if (bpf_path)
        {
          key (g, "bpf");
          yajl_gen_map_open (g);
          if (compare_bpf (spec, bpf_path, &detail, &err) < 0)
            {
              KV ("same", yajl_gen_bool (g, false));
              KV ("detail", str (g, err->msg));
              confine_error_release (&err);
            }
          else
            {
              KV ("same", yajl_gen_bool (g, detail == NULL));
              KV ("detail", str (g, detail));
            }
          yajl_gen_map_close (g);
        }
    }
  yajl_gen_map_close (g);
  if (yajl_gen_get_buf (g, &out, &out_len) != yajl_gen_status_ok
      || fwrite (out, 1, out_len, stdout) != out_len || fputc ('\n', stdout) == EOF
      || fflush (stdout) != 0)
    ret = -1;
  yajl_gen_free (g);
  return ret;
}

static int
stream (const char *bundle, bool exec_process)
{
  char head[4096];

  while (fgets (head, sizeof (head), stdin) != NULL)
    {
      cleanup_free char *buf = NULL;
      char *end = NULL, *bpf = NULL;
      unsigned long len;

      head[strcspn (head, "\n")] = '\0';
      errno = 0;
      len = strtoul (head, &end, 10);
      if (errno != 0 || end == head || len > MAX_FRAME || (*end != '\0' && *end != ' '))
        {
          fprintf (stderr, "confine-facts: bad frame header `%s`\n", head);
          return 1;
        }
      if (*end == ' ')
        bpf = end + 1;
      if ((buf = malloc (len + 1)) == NULL || fread (buf, 1, len, stdin) != len)
        {
          fprintf (stderr, "confine-facts: short frame\n");
          return 1;
        }
      buf[len] = '\0';
      if (answer (buf, len, bundle, exec_process, bpf) < 0)
        {
          fprintf (stderr, "confine-facts: cannot write\n");
          return 1;
        }
    }
  return ferror (stdin) ? 1 : 0;
}

int
main (int argc, char **argv)
{
  /* Relative host paths are joined to the bundle, which for runc is its
   * working directory: the same here. */
  cleanup_free char *bundle = getcwd (NULL, 0);

  if (bundle == NULL)
    {
      fprintf (stderr, "confine-facts: getcwd: %s\n", strerror (errno));
      return 1;
    }
  if (argc == 2 && strcmp (argv[1], "--stream") == 0)
    return stream (bundle, false);
  if (argc == 2 && strcmp (argv[1], "--stream-process") == 0)
    return stream (bundle, true);
  if (argc < 2)
    {
      fprintf (stderr, "usage: confine-facts FILE... | --stream | --stream-process\n");
      return 2;
    }
  for (int i = 1; i < argc; i++)
    {
      cleanup_free char *buf = NULL;
      size_t len = 0;
      confine_error_t err = NULL;
      if (confine_read_file (argv[i], CONFINE_SPEC_MAX_BYTES, &buf, &len, &err) < 0)
        {
          fprintf (stderr, "confine-facts: %s\n", err->msg);
          confine_error_release (&err);
          return 1;
        }
      if (answer (buf, len, bundle, false, NULL) < 0)
        return 1;
    }
  return 0;
}
