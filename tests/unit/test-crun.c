/* SPDX-License-Identifier: Apache-2.0 */
/* The crun rule: every annotation crun 1.8.1 reads, the raw BPF of
 * run.oci.seccomp_bpf_data judged as the kernel would run it, seccomp rules
 * crun reads differently, and the documents crun's JSON reader (yajl_tree
 * and libocispec) would read differently from the gate. */
#define _GNU_SOURCE
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

/* Docker's stock filter, which these cases build on, lets mknod of a
 * device node through, and setuid modes: seccomp.block_device_nodes and
 * seccomp.block_setid_files are judged in test-seccomp and repaired in
 * test-inject, and are off here so each case judges what it names. */
static confine_policy_t *
policy (const char *extra)
{
  return harness_policy ("{\"seccomp\":{\"block_device_nodes\":false,"
                         "\"block_setid_files\":false}%s%s}", extra ? "," : "",
                         extra ? extra : "");
}

static char *
base64 (const void *data, size_t n)
{
  static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *d = data;
  char *out = calloc (n / 3 * 4 + 5, 1), *o = out;
  for (size_t i = 0; i < n; i += 3)
    {
      unsigned v = (unsigned) d[i] << 16 | (i + 1 < n ? (unsigned) d[i + 1] << 8 : 0)
                   | (i + 2 < n ? d[i + 2] : 0);
      *o++ = a[v >> 18 & 63];
      *o++ = a[v >> 12 & 63];
      *o++ = i + 1 < n ? a[v >> 6 & 63] : '=';
      *o++ = i + 2 < n ? a[v & 63] : '=';
    }
  return out;
}

/* Run the crun rule on the Docker default spec with ANNOTATIONS (key,
 * value pairs, NULL-terminated) and return the result. */
static confine_rule_result_t
judge (const confine_policy_t *p, confine_spec_t *spec, const char *const *ann)
{
  cleanup_error confine_error_t err = NULL;
  confine_rule_result_t r = { .exemption = -1 };
  confine_annotation_t a[8] = { { 0 } };
  size_t n = 0;
  confine_context_t ctx = { .policy = p };
  confine_subject_t s = { .spec = spec, .process = &spec->process };

  for (; ann[2 * n]; n++)
    a[n] = (confine_annotation_t){ (char *) ann[2 * n], (char *) ann[2 * n + 1] };
  spec->annotations = a;
  spec->n_annotations = n;
  if (confine_rule_crun (&ctx, &s, &r, &err) < 0)
    {
      printf ("FAIL crun rule: %s\n", err->msg);
      exit (1);
    }
  spec->annotations = NULL;
  spec->n_annotations = 0;
  return r;
}

/* NEEDLE NULL: expect a pass. */
static void
expect (const char *name, const confine_policy_t *p, confine_spec_t *spec, const char *const *ann,
        const char *needle, const char *key)
{
  confine_rule_result_t r = judge (p, spec, ann);
  if (needle == NULL)
    CHECK (r.kind == CONFINE_RESULT_PASS, name, "%s", r.fact);
  else
    CHECK (r.kind == CONFINE_RESULT_FAIL && strstr (r.fact, needle)
               && strcmp (r.policy_key, key) == 0,
           name, "%s (%s)", r.fact, r.policy_key ? r.policy_key : "no key");
  free (r.fact);
  confine_free_strv (r.names);
}

static void
annotations (void)
{
  confine_policy_t *p = policy (NULL);
  confine_policy_t *allow = policy ("\"crun\":{\"allowed_annotations\":[\"run.oci.handler\","
                                    "\"org.systemd.property.TimeoutStopUSec\"]}");
  confine_spec_t *spec = harness_docker_fixture ("default");
  static const struct
  {
    const char *key, *value;
    bool refused;
  } table[] = {
    { "run.oci.seccomp.plugins", "/var/lib/docker/volumes/x/_data/p.so", true },
    { "run.oci.seccomp.receiver", "/run/receiver.sock", true },
    { "run.oci.handler", "krun", true },
    { "module.wasm.image/variant", "compat", true },
    { "run.oci.keep_original_groups", "1", true },
    { "run.oci.hooks.stdout", "/etc/cron.d/x", true },
    { "run.oci.hooks.stderr", "/etc/cron.d/x", true },
    { "run.oci.pidfd_receiver", "/run/receiver.sock", true },
    { "run.oci.delegate-cgroup", "../../..", true },
    { "run.oci.systemd.subgroup", "../..", true },
    { "run.oci.systemd.force_cgroup_v1", "/sys/fs/cgroup", true },
    { "run.oci.mount_context_type", "context", true },
    { "org.systemd.property.DeviceAllow", "'/dev/sda rwm'", true },
    { "run.oci.some_future_key", "1", true },
    { "run.oci.seccomp_fail_unknown_syscall", "1", false },
    { "run.oci.timens_offset", "monotonic 100 0", false },
    { "io.kubernetes.cri.container-type", "sandbox", false },
    /* crun matches keys exactly (strcmp): not its keys. */
    { "Run.OCI.handler", "krun", false },
    { "run.oci.handler ", "krun", true }, /* not crun 1.8.1's, but in its namespace */
    { "com.example.note", "run.oci.handler", false },
  };

  for (size_t i = 0; i < sizeof (table) / sizeof (table[0]); i++)
    {
      const char *ann[] = { table[i].key, table[i].value, NULL };
      char name[160];
      snprintf (name, sizeof (name), "annotation `%s` is %s", table[i].key,
                table[i].refused ? "refused" : "harmless");
      expect (name, p, spec, ann, table[i].refused ? table[i].key : NULL,
              "crun.allowed_annotations");
    }
  {
    const char *ann[] = { "run.oci.handler", "krun", NULL };
    expect ("crun.allowed_annotations lets a listed annotation through", allow, spec, ann, NULL,
            NULL);
  }
  {
    const char *ann[] = { "org.systemd.property.TimeoutStopUSec", "5", NULL };
    expect ("crun.allowed_annotations names systemd properties one by one", allow, spec, ann,
            NULL, NULL);
  }
  {
    const char *ann[] = { "org.systemd.property.DeviceAllow", "'/dev/sda rwm'", NULL };
    expect ("a systemd property the policy does not list is refused", allow, spec, ann,
            "org.systemd.property.DeviceAllow", "crun.allowed_annotations");
  }
  {
    const char *ann[] = { "run.oci.seccomp.receiver", "/a", "run.oci.handler", "krun", NULL };
    expect ("every refused annotation is named", p, spec, ann,
            "annotation run.oci.seccomp.receiver hands the filter's notifications to a process "
            "on the host; annotation run.oci.handler runs",
            "crun.allowed_annotations");
  }
  confine_spec_free (spec);
  confine_policy_free (p);
  confine_policy_free (allow);
}

#define RET(v) BPF_STMT (BPF_RET | BPF_K, (v))

static void
bpf_data (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = policy (NULL);
  confine_policy_t *listed = policy ("\"crun\":{\"allowed_annotations\":["
                                     "\"run.oci.seccomp_bpf_data\"]}");
  confine_spec_t *spec = harness_docker_fixture ("default");
  cleanup_bpf confine_bpf_t docker = { 0 };
  struct sock_filter allow_all[] = { RET (SECCOMP_RET_ALLOW) };
  struct sock_filter deny_all[] = { RET (SECCOMP_RET_ERRNO | 1) };
  struct sock_filter notify_all[] = { RET (SECCOMP_RET_USER_NOTIF) };
  /* Blocks everything for x86_64 and lets every other ABI through. */
  struct sock_filter native_only[] = {
    BPF_STMT (BPF_LD | BPF_W | BPF_ABS, offsetof (struct seccomp_data, arch)),
    BPF_JUMP (BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 1),
    RET (SECCOMP_RET_ERRNO | 1),
    RET (SECCOMP_RET_ALLOW),
  };
  struct sock_filter bad_jump[] = {
    BPF_JUMP (BPF_JMP | BPF_JA, 5, 0, 0),
    RET (SECCOMP_RET_ERRNO | 1),
  };
  char *docker_b64, *allow_b64, *deny_b64, *notify_b64, *native_b64, *bad_b64, *short_b64;
  char *newline_b64, *inner_pad_b64;

  /* Docker's default profile as runc would build it: the real program a
   * crun user could paste into the annotation, and a positive control. */
  if (confine_seccomp_compile (spec->seccomp, &docker, &err) < 0)
    {
      printf ("FAIL compile Docker's default: %s\n", err->msg);
      exit (1);
    }
  docker_b64 = base64 (docker.insns, docker.len * sizeof (struct sock_filter));
  allow_b64 = base64 (allow_all, sizeof (allow_all));
  deny_b64 = base64 (deny_all, sizeof (deny_all));
  notify_b64 = base64 (notify_all, sizeof (notify_all));
  native_b64 = base64 (native_only, sizeof (native_only));
  bad_b64 = base64 (bad_jump, sizeof (bad_jump));
  short_b64 = base64 (deny_all, sizeof (deny_all) - 1);
  /* crun skips a newline inside the text; RFC 4648 decoders differ. */
  if (asprintf (&newline_b64, "%.4s\n%s", deny_b64, deny_b64 + 4) < 0
      /* crun counts a `=` inside the text as padding of every later block. */
      || asprintf (&inner_pad_b64, "%.6s==%s", allow_b64, deny_b64) < 0)
    abort ();

  {
    const struct
    {
      const char *name, *value, *needle;
    } table[] = {
      { "Docker's default program, raw, passes", docker_b64, NULL },
      { "a program that denies everything passes", deny_b64, NULL },
      { "a program that allows everything is refused, naming the syscalls", allow_b64,
        "the filter in run.oci.seccomp_bpf_data allows add_key, bpf" },
      { "a program that hands every call to a notifier is refused", notify_b64,
        "the filter in run.oci.seccomp_bpf_data allows" },
      { "a program that blocks only x86_64 is refused for i386", native_b64, "mount (x86)" },
      { "a program the kernel would reject is refused", bad_b64, "run.oci.seccomp_bpf_data: " },
      { "a partial instruction is refused", short_b64,
        "run.oci.seccomp_bpf_data: 7 bytes, not a whole number of BPF instructions" },
      { "an empty program is refused", "", "run.oci.seccomp_bpf_data: 0 bytes" },
      { "text crun decodes its own way (a newline) is refused", newline_b64,
        "not canonical base64" },
      { "text crun decodes its own way (inner padding) is refused", inner_pad_b64,
        "not canonical base64" },
      { "a character outside the alphabet is refused", "AAAA-AAA", "not canonical base64" },
    };
    for (size_t i = 0; i < sizeof (table) / sizeof (table[0]); i++)
      {
        const char *ann[] = { "run.oci.seccomp_bpf_data", table[i].value, NULL };
        expect (table[i].name, p, spec, ann, table[i].needle, "seccomp.must_block");
      }
  }
  {
    const char *ann[] = { "run.oci.seccomp_bpf_data", allow_b64, NULL };
    expect ("listing run.oci.seccomp_bpf_data in the policy does not waive the judgement", listed,
            spec, ann, "allows add_key", "seccomp.must_block");
  }
  {
    const char *ann[] = { "run.oci.seccomp_bpf_data", allow_b64, "run.oci.handler", "krun", NULL };
    expect ("a BPF and an annotation failure are both reported", p, spec, ann,
            "; annotation run.oci.handler", "seccomp.must_block");
  }
  free (docker_b64);
  free (allow_b64);
  free (deny_b64);
  free (notify_b64);
  free (native_b64);
  free (bad_b64);
  free (short_b64);
  free (newline_b64);
  free (inner_pad_b64);
  confine_spec_free (spec);
  confine_policy_free (p);
  confine_policy_free (listed);
}

/* A spec whose filter blocks every must_block syscall and clone3 with
 * ERRNO, and clone with each CLONE_NEW* flag by one MASKED_EQ condition
 * per flag, in the entries CLONE_ENTRIES gives (a JSON fragment of
 * syscall objects, each with `"names":["clone"]`). */
static confine_spec_t *
clone_spec (const confine_policy_t *p, const char *clone_entries)
{
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;
  char *names = NULL, *doc = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&names, &len);

  for (char **m = p->must_block; *m; m++)
    fprintf (f, "\"%s\",", *m);
  fputs ("\"clone3\"", f);
  fclose (f);
  if (asprintf (&doc,
                "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"},"
                "\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
                "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":["
                "{\"names\":[%s],\"action\":\"SCMP_ACT_ERRNO\"},%s]}}}",
                names, clone_entries)
          < 0
      || confine_spec_parse (doc, strlen (doc), &spec, NULL, &err) < 0)
    {
      printf ("FAIL clone spec: %s\n", err ? err->msg : "asprintf");
      exit (1);
    }
  free (names);
  free (doc);
  return spec;
}

#define FLAG(v) "{\"index\":0,\"value\":" #v ",\"valueTwo\":" #v ",\"op\":\"SCMP_CMP_MASKED_EQ\"}"
#define CLONE_NEW_1_TO_6 FLAG (131072) "," FLAG (33554432) "," FLAG (67108864) "," FLAG (134217728) "," FLAG (268435456) "," FLAG (536870912)
#define CLONE_NEWNET FLAG (1073741824)
#define ENTRY(name, conds) "{\"names\":[\"" name "\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[" conds "]}"

/* crun (seccomp.c) reads at most 6 conditions of a rule: the filter it
 * builds is judged, not runc's. */
static void
seccomp_args (void)
{
  confine_policy_t *p = policy (NULL);
  const char *none[] = { NULL };
  static const struct
  {
    const char *name, *entries, *needle;
  } table[] = {
    { "7 OR'd conditions on clone: crun drops CLONE_NEWNET, refused",
      ENTRY ("clone", CLONE_NEW_1_TO_6 "," CLONE_NEWNET),
      "crun reads only the first 6 conditions of a seccomp rule, and the filter it builds allows "
      "clone with CLONE_NEW* flags" },
    { "the same conditions in two rules of 6 and 1 pass",
      ENTRY ("clone", CLONE_NEW_1_TO_6) "," ENTRY ("clone", CLONE_NEWNET), NULL },
    { "7 conditions on a syscall outside must_block pass: the verdict does not change",
      ENTRY ("clone", CLONE_NEW_1_TO_6) "," ENTRY ("clone", CLONE_NEWNET) ","
      ENTRY ("chmod", CLONE_NEW_1_TO_6 "," CLONE_NEWNET), NULL },
  };

  for (size_t i = 0; i < sizeof (table) / sizeof (table[0]); i++)
    {
      confine_spec_t *spec = clone_spec (p, table[i].entries);
      expect (table[i].name, p, spec, none, table[i].needle, "seccomp.must_block");
      confine_spec_free (spec);
    }
  {
    /* runc's reading of the first case passes: only crun's fails. */
    confine_spec_t *spec = clone_spec (p, table[0].entries);
    confine_context_t ctx = { .policy = p };
    confine_verdict_t v;
    confine_evaluate_spec (&ctx, spec, &v);
    CHECK (v.results[CONFINE_RULE_SECCOMP].kind == CONFINE_RESULT_PASS
               && v.results[CONFINE_RULE_CRUN].kind == CONFINE_RESULT_FAIL,
           "7 conditions: the seccomp rule (runc's filter) passes, the crun rule fails", "%s / %s",
           v.results[CONFINE_RULE_SECCOMP].fact, v.results[CONFINE_RULE_CRUN].fact);
    confine_verdict_clear (&v);
    confine_spec_free (spec);
  }
  confine_policy_free (p);
}

/* The rule runs in the evaluation, can be switched off, and is reported. */
static void
in_the_verdict (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = policy (NULL);
  confine_policy_t *off = policy ("\"rules\":{\"crun\":\"off\"}");
  confine_spec_t *spec = harness_docker_fixture ("default");
  confine_annotation_t a = { (char *) "run.oci.seccomp.plugins", (char *) "/x.so" };
  confine_context_t ctx = { .policy = p };
  confine_verdict_t v;
  char *summary = NULL;

  spec->annotations = &a;
  spec->n_annotations = 1;
  confine_evaluate_spec (&ctx, spec, &v);
  if (confine_verdict_summary (&v, &summary, &err) < 0)
    abort ();
  CHECK (v.would_refuse
             && strstr (summary, "crun: annotation run.oci.seccomp.plugins loads libraries into "
                                 "crun, as root on the host (policy crun.allowed_annotations)"),
         "the verdict names the crun rule and its policy key", "%s", summary);
  free (summary);
  confine_verdict_clear (&v);
  ctx.policy = off;
  confine_evaluate_spec (&ctx, spec, &v);
  CHECK (v.results[CONFINE_RULE_CRUN].kind == CONFINE_RESULT_SKIP,
         "rules.crun off skips the rule", "kind %d", v.results[CONFINE_RULE_CRUN].kind);
  confine_verdict_clear (&v);
  spec->annotations = NULL;
  spec->n_annotations = 0;
  confine_spec_free (spec);
  confine_policy_free (p);
  confine_policy_free (off);
}

/* Documents that crun 1.8.1 reads differently from runc and the gate
 * (yajl_tree_parse, then libocispec's generated reader; checked with the
 * real crun, see tests/vm/scenarios.sh crun-json-*): each is refused. */
static void
json_reading (void)
{
#define BASE_HEAD "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\""
#define SECCOMP(x) ",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[" x "]}}"
  static const struct
  {
    const char *name, *doc;
    bool refused;
  } table[] = {
    { "the base document is read (positive control)",
      BASE_HEAD "}" SECCOMP ("{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}") "}", false },
    { "a duplicate key (yajl_tree_get returns the first) is refused",
      BASE_HEAD ",\"args\":[\"true\"]}}", true },
    { "a wrong type (libocispec reads it as absent: no filter) is refused",
      BASE_HEAD "},\"linux\":{\"seccomp\":\"x\"}}", true },
    { "a wrong-typed boolean (read as absent) is refused",
      BASE_HEAD ",\"noNewPrivileges\":\"true\"}}", true },
    { "null in a string list (libocispec reads \"\") is refused",
      BASE_HEAD "}" SECCOMP ("{\"names\":[null,\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}") "}", true },
    { "a number in a string list (libocispec reads \"\") is refused",
      BASE_HEAD "}" SECCOMP ("{\"names\":[1,\"mount\"],\"action\":\"SCMP_ACT_ERRNO\"}") "}", true },
    { "-1 for a uint64 (strtoull makes it 2^64-1) is refused",
      BASE_HEAD "}" SECCOMP ("{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
                             "[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}") "}", true },
    { "-0 for an unsigned field (strtoull reads 0) is refused",
      BASE_HEAD "}" SECCOMP ("{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":"
                             "[{\"index\":-0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}") "}", true },
    { "a comment (yajl_tree_parse always allows them) is refused",
      BASE_HEAD "/* c */}}", true },
    { "a NUL in a key (yajl_tree keeps the part before it) is refused",
      BASE_HEAD "},\"annotations\":{\"run.oci.handler\\u0000x\":\"krun\"}}", true },
    { "a NUL in a value is refused",
      BASE_HEAD "},\"annotations\":{\"a\":\"x\\u0000y\"}}", true },
  };

  for (size_t i = 0; i < sizeof (table) / sizeof (table[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_spec_t *spec = NULL;
      int r = confine_spec_parse (table[i].doc, strlen (table[i].doc), &spec, NULL, &err);
      CHECK ((r < 0) == table[i].refused, table[i].name, "%s", err ? err->msg : "parsed");
      confine_spec_free (spec);
    }
  {
    /* yajl_tree_parse takes a C string: crun reads up to the first NUL
     * byte and never sees what follows. */
    static const char doc[] = BASE_HEAD "}}\0{\"trailing\":1}";
    cleanup_error confine_error_t err = NULL;
    confine_spec_t *spec = NULL;
    int r = confine_spec_parse (doc, sizeof (doc) - 1, &spec, NULL, &err);
    CHECK (r < 0, "a raw NUL byte (crun stops reading there) is refused", "%s",
           err ? err->msg : "parsed");
    confine_spec_free (spec);
  }
#undef SECCOMP
#undef BASE_HEAD
}

void
run_tests (void)
{
  annotations ();
  bpf_data ();
  seccomp_args ();
  in_the_verdict ();
  json_reading ();
}
