/* SPDX-License-Identifier: Apache-2.0 */
/* The devices rule, one row per case: a spec fragment, the policy's
 * devices section, the verdict and a fragment of the fact. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

#define DEV(path, type, major, minor)                                                             \
  "{\"path\":\"" path "\",\"type\":\"" type "\",\"major\":" #major ",\"minor\":" #minor "}"
#define NODES(...) "{\"linux\":{\"devices\":[" __VA_ARGS__ "]}}"
#define RULES(...) "{\"linux\":{\"resources\":{\"devices\":[" __VA_ARGS__ "]}}}"
#define DENY_ALL "{\"allow\":false,\"access\":\"rwm\"}"
#define ALLOW(type, major, minor, access)                                                         \
  "{\"allow\":true,\"type\":\"" type "\",\"major\":" #major ",\"minor\":" #minor                  \
  ",\"access\":\"" access "\"}"

static const struct
{
  const char *name;
  const char *spec;
  const char *policy; /* the policy's `devices` object, or NULL for the default */
  bool pass;
  const char *fact; /* a fragment of the fact */
} cases[] = {
  { "no devices at all pass", "{}", NULL, true, "0 device nodes and 0 device cgroup rules" },
  { "runc's default nodes pass",
    NODES (DEV ("/dev/null", "c", 1, 3) "," DEV ("/dev/zero", "c", 1, 5) "," DEV (
        "/dev/full", "c", 1, 7) "," DEV ("/dev/random", "c", 1, 8) "," DEV ("/dev/urandom", "c", 1,
                                                                           9) "," DEV ("/dev/tty",
                                                                                       "c", 5, 0)),
    NULL, true, "6 device nodes" },
  { "a pty slave and tun pass", NODES (DEV ("/dev/pts/3", "c", 136, 3) "," DEV ("/dev/net/tun", "c", 10, 200)),
    NULL, true, "2 device nodes" },
  { "a host disk node is refused, naming it", NODES (DEV ("/dev/sda", "b", 8, 0)), NULL, false,
    "not allowed: linux.devices `/dev/sda` (b 8:0)" },
  { "/dev/mem is refused", NODES (DEV ("/dev/mem", "c", 1, 1)), NULL, false,
    "linux.devices `/dev/mem` (c 1:1)" },
  { "/dev/kmsg is refused", NODES (DEV ("/dev/kmsg", "c", 1, 11)), NULL, false,
    "linux.devices `/dev/kmsg` (c 1:11)" },
  { "/dev/fuse is refused by default, as Docker denies it", NODES (DEV ("/dev/fuse", "c", 10, 229)),
    NULL, false, "`/dev/fuse` (c 10:229)" },
  { "a harmless path does not hide a disk's numbers", NODES (DEV ("/dev/null", "b", 8, 0)), NULL,
    false, "`/dev/null` (b 8:0)" },
  { "a char device with a block device's numbers is judged by type",
    NODES (DEV ("/dev/x", "b", 1, 3)), NULL, false, "(b 1:3)" },
  { "`u` is a character device to runc", NODES (DEV ("/dev/null2", "u", 1, 3)), NULL, true, "" },
  { "a FIFO is no device", NODES (DEV ("/dev/fifo", "p", 8, 0)), NULL, true, "" },
  { "an unknown node type is refused", NODES (DEV ("/dev/x", "q", 1, 3)), NULL, false,
    "`/dev/x` (q 1:3)" },
  { "a negative number is refused", NODES (DEV ("/dev/x", "c", -1, 3)), NULL, false, "(c -1:3)" },
  /* runc's mknod truncates to 32 bits; only the exact number passes. */
  { "a number beyond 32 bits is refused", NODES (DEV ("/dev/x", "c", 4294967297, 3)), NULL, false,
    "(c 4294967297:3)" },
  { "every problem is named", NODES (DEV ("/dev/sda", "b", 8, 0) "," DEV ("/dev/mem", "c", 1, 1)),
    NULL, false, "`/dev/sda` (b 8:0), linux.devices `/dev/mem` (c 1:1)" },
  /* Where runc cannot mknod it binds the host's file of that path. */
  { "a node over a host file that is not that device is refused",
    NODES (DEV ("/etc/passwd", "c", 1, 3)), NULL, false,
    "linux.devices `/etc/passwd` (c 1:3) is another file on the host, which runc binds where it "
    "cannot mknod" },
  { "a FIFO over a host file is refused", NODES (DEV ("/etc/passwd", "p", 0, 0)), NULL, false,
    "`/etc/passwd` (p 0:0) is another kind of file on the host" },
  { "a node whose host file is that device passes", NODES (DEV ("/dev/null", "c", 1, 3)), NULL,
    true, "1 device nodes" },
  { "a relative node path is refused", NODES (DEV ("dev/null", "c", 1, 3)), NULL, false,
    "`dev/null` (c 1:3) has no absolute path" },
  { "an operator's entry lets /dev/fuse in", NODES (DEV ("/dev/fuse", "c", 10, 229)),
    "{\"allowed\":[\"c 10:229 rwm\"]}", true, "" },
  { "an operator's list replaces the default", NODES (DEV ("/dev/null", "c", 1, 3)),
    "{\"allowed\":[\"c 10:229 rwm\"]}", false, "`/dev/null` (c 1:3)" },
  { "a wildcard entry covers every minor", NODES (DEV ("/dev/nvidia3", "c", 195, 3)),
    "{\"allowed\":[\"c 195:* rw\"]}", true, "" },
  { "an mknod-only entry admits no node", NODES (DEV ("/dev/fuse", "c", 10, 229)),
    "{\"allowed\":[\"c 10:229 m\"]}", false, "`/dev/fuse`" },

  /* linux.resources.devices: the device cgroup. */
  { "Docker's default cgroup rules pass, once the shim took out the console's",
    RULES (DENY_ALL "," ALLOW ("c", 1, 5, "rwm") "," ALLOW ("c", 1, 3, "rwm") "," ALLOW (
        "c", 1, 9, "rwm") "," ALLOW ("c", 1, 8, "rwm") "," ALLOW ("c", 5, 0, "rwm") ",{\"allow\":false,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rwm\"}"),
    NULL, true, "7 device cgroup rules" },
  /* The host's system console: a node made with CAP_MKNOD, or an
   * image's, would open it. */
  { "the console's rule, which Docker writes, is refused", RULES (DENY_ALL "," ALLOW ("c", 5, 1, "rwm")),
    NULL, false, "`c 5:1 rwm`" },
  { "a /dev/console node of the host's console is refused",
    NODES (DEV ("/dev/console", "c", 5, 1)), NULL, false, "`/dev/console`" },
  { "runc's mknod-anything rules pass",
    RULES ("{\"allow\":true,\"type\":\"c\",\"access\":\"m\"},{\"allow\":true,\"type\":\"b\","
           "\"access\":\"m\"}"),
    NULL, true, "" },
  { "the pty wildcard passes", RULES ("{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}"),
    NULL, true, "" },
  { "a rule for a host disk is refused, naming it", RULES (DENY_ALL "," ALLOW ("b", 8, 0, "rw")),
    NULL, false, "not allowed: device cgroup rule 1 allows `b 8:0 rw`" },
  { "read alone on /dev/mem is refused", RULES (ALLOW ("c", 1, 1, "r")), NULL, false,
    "device cgroup rule 0 allows `c 1:1 r`" },
  { "a deny after an allow does not make the allow acceptable",
    RULES (DENY_ALL "," ALLOW ("b", 8, 0, "rwm") ",{\"allow\":false,\"type\":\"b\",\"major\":8,"
                                                  "\"minor\":0,\"access\":\"rwm\"}"),
    NULL, false, "rule 1 allows `b 8:0 rwm`" },
  { "a wildcard minor is not covered by single minors",
    RULES (ALLOW ("c", 1, 3, "rwm") ",{\"allow\":true,\"type\":\"c\",\"major\":1,\"access\":\"rw\"}"),
    NULL, false, "rule 1 allows `c 1:* rw`" },
  { "every character device is refused with the old message",
    RULES ("{\"allow\":true,\"type\":\"c\",\"access\":\"rw\"}"), NULL, false,
    "device cgroup rule 0 allows every character device (`c *:* rw`)" },
  { "every block device is refused", RULES ("{\"allow\":true,\"type\":\"b\",\"access\":\"rwm\"}"),
    NULL, false, "allows every block device" },
  { "type `a` is every device, whatever its numbers",
    RULES ("{\"allow\":true,\"type\":\"a\",\"major\":1,\"minor\":3,\"access\":\"r\"}"), NULL, false,
    "allows every device (type `a`" },
  { "no type is `a`", RULES ("{\"allow\":true,\"access\":\"rwm\"}"), NULL, false,
    "allows every device (type `a`" },
  { "an empty access is read as rwm", RULES (ALLOW ("c", 1, 1, "")), NULL, false,
    "allows `c 1:1 rwm`" },
  { "access is judged per letter", RULES (ALLOW ("c", 1, 3, "r")), "{\"allowed\":[\"c 1:3 w\"]}",
    false, "allows `c 1:3 r`" },
  { "an operator's entry covers its access", RULES (ALLOW ("c", 10, 229, "rw")),
    "{\"allowed\":[\"c 10:229 rw\"]}", true, "" },
  { "a type runc does not know is refused", RULES (ALLOW ("p", 1, 3, "rw")), NULL, false,
    "has type `p`" },
  { "nodes and rules are both judged",
    "{\"linux\":{\"devices\":[" DEV ("/dev/sda", "b", 8, 0) "],\"resources\":{\"devices\":[" ALLOW (
        "b", 8, 0, "rw") "]}}}",
    NULL, false, "device cgroup rule 0 allows `b 8:0 rw`, linux.devices `/dev/sda` (b 8:0)" },
};

static const struct
{
  const char *name, *devices, *error;
} policy_cases[] = {
  { "`a` is not an allowed type", "{\"allowed\":[\"a *:* rwm\"]}", "is not `c|b MAJOR:MINOR ACCESS`" },
  { "access must be r, w and m", "{\"allowed\":[\"c 1:3 rwx\"]}", "not `c|b" },
  { "spacing is exact", "{\"allowed\":[\"c  1:3 rwm\"]}", "not `c|b" },
  { "trailing text is refused", "{\"allowed\":[\"c 1:3 rwm x\"]}", "not `c|b" },
  { "a number beyond 32 bits is refused", "{\"allowed\":[\"c 4294967296:1 rwm\"]}", "not `c|b" },
  { "half a wildcard is refused", "{\"allowed\":[\"c 1*:1 rwm\"]}", "not `c|b" },
  { "an unknown key is refused", "{\"allow\":[]}", "unknown key `allow`" },
};

/* A FIFO node over a host FIFO: runc binds the host's file where it
 * cannot mknod (a user namespace), so the host path is judged as a bind
 * source. `@` is the test's directory, which holds the FIFO `fifo`. */
static const struct
{
  const char *name;
  const char *policy; /* the whole policy */
  bool pass;
  const char *fact;
} fifo_cases[] = {
  { "a host FIFO outside every sensitive path passes", "{}", true, "1 device nodes" },
  { "a host FIFO that is a sensitive path is refused", "{\"mounts\":{\"sensitive\":[\"@/fifo\"]}}",
    false, "is the host's FIFO `@/fifo`, which runc binds where it cannot mknod, and which exposes "
           "the host's `@/fifo` (policy mounts.sensitive)" },
  { "a host FIFO inside a sensitive subtree is refused",
    "{\"mounts\":{\"sensitive_subtrees\":[\"@\"]}}", false, "is inside the host's `@`" },
};

static char *
at (const char *s, const char *dir)
{
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&out, &len);
  for (; *s; s++)
    if (*s == '@')
      fputs (dir, f);
    else
      fputc (*s, f);
  fclose (f);
  return out;
}

static void
run_fifo_cases (void)
{
  char *dir = harness_tmpdir ();
  char *fifo = at ("@/fifo", dir);
  if (mkfifo (fifo, 0600) < 0)
    abort ();
  for (size_t i = 0; i < sizeof (fifo_cases) / sizeof (fifo_cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      char *text = at (fifo_cases[i].policy, dir);
      char *fact = at (fifo_cases[i].fact, dir);
      char *json = at ("{\"linux\":{\"devices\":[{\"path\":\"@/fifo\",\"type\":\"p\"}]}}", dir);
      confine_policy_t *p = NULL;
      confine_spec_t *spec = NULL;
      confine_rule_result_t r = { 0 };
      if (confine_policy_parse (text, strlen (text), &p, &err) < 0
          || confine_spec_parse (json, strlen (json), &spec, NULL, &err) < 0)
        CHECK (false, fifo_cases[i].name, "setup: %s", err->msg);
      else
        {
          confine_context_t ctx = { .policy = p };
          confine_subject_t s = { spec, &spec->process };
          if (confine_rule_devices (&ctx, &s, &r, &err) < 0)
            CHECK (false, fifo_cases[i].name, "error: %s", err->msg);
          else
            CHECK ((r.kind == CONFINE_RESULT_PASS) == fifo_cases[i].pass && strstr (r.fact, fact),
                   fifo_cases[i].name, "%s: %s", r.kind == CONFINE_RESULT_PASS ? "pass" : "fail",
                   r.fact);
        }
      free (r.fact);
      confine_spec_free (spec);
      confine_policy_free (p);
      free (text);
      free (fact);
      free (json);
    }
  unlink (fifo);
  rmdir (dir);
  free (fifo);
  free (dir);
}

static confine_policy_t *
load (const char *devices, confine_error_t *err)
{
  confine_policy_t *p = NULL;
  char *text = NULL;
  if (asprintf (&text, "{%s%s}", devices ? "\"devices\":" : "", devices ? devices : "") < 0)
    abort ();
  if (confine_policy_parse (text, strlen (text), &p, err) < 0)
    p = NULL;
  free (text);
  return p;
}

void
run_tests (void)
{
  run_fifo_cases ();
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = load (cases[i].policy, &err);
      confine_spec_t *spec = NULL;
      confine_rule_result_t r = { 0 };
      confine_context_t ctx = { .policy = p };
      confine_subject_t s;
      if (p == NULL || confine_spec_parse (cases[i].spec, strlen (cases[i].spec), &spec, NULL, &err) < 0)
        {
          CHECK (false, cases[i].name, "setup: %s", err->msg);
          confine_policy_free (p);
          continue;
        }
      s = (confine_subject_t){ spec, &spec->process };
      if (confine_rule_devices (&ctx, &s, &r, &err) < 0)
        CHECK (false, cases[i].name, "error: %s", err->msg);
      else
        CHECK ((r.kind == CONFINE_RESULT_PASS) == cases[i].pass && strstr (r.fact, cases[i].fact),
               cases[i].name, "%s: %s", r.kind == CONFINE_RESULT_PASS ? "pass" : "fail", r.fact);
      free (r.fact);
      confine_spec_free (spec);
      confine_policy_free (p);
    }
  for (size_t i = 0; i < sizeof (policy_cases) / sizeof (policy_cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = load (policy_cases[i].devices, &err);
      CHECK (p == NULL && strstr (err->msg, policy_cases[i].error), policy_cases[i].name, "%s",
             p ? "accepted" : err->msg);
      confine_policy_free (p);
    }
}
