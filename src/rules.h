/* SPDX-License-Identifier: Apache-2.0 */
/* Evaluating a spec against the policy: every rule's result, and the
 * verdict. The hook, the shim and the CLI all decide through here. */
#ifndef CONFINE_RULES_H
#define CONFINE_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "../base/error.h"
#include "hostpath.h"
#include "policy.h"
#include "../oci/spec.h"

typedef enum
{
  CONFINE_RESULT_PASS,
  CONFINE_RESULT_FAIL,
  CONFINE_RESULT_SKIP, /* not applicable, or severity off */
} confine_result_kind_t;

typedef struct
{
  confine_result_kind_t kind;
  confine_severity_t severity; /* from the policy */
  char *fact;                  /* what was found, for people */
  const char *policy_key;      /* the policy key behind a failure */
  int exemption;               /* index of the exemption that waived it, or -1 */
  char **names;                /* the items at fault (e.g. syscalls a filter lets through), or NULL */
} confine_rule_result_t;

/* Who and what is being judged, beyond the spec itself. */
typedef struct
{
  const confine_policy_t *policy;
  const char *id;     /* container id, or NULL */
  const char *bundle; /* for relative bind-mount sources, or NULL */
  long pid;           /* the container's init, when it exists (a hook's state), or 0 */
  bool no_pivot;      /* the runtime was asked for --no-pivot */
  const char *runtime_root; /* the runtime's state root (absolute), or NULL when unknown */
  /* The command line of the conmon that started the runtime (src/conmon.h), or NULL when
   * the runtime was not started by conmon. */
  char *const *conmon_argv;
  size_t conmon_argc;
  long conmon_pid;
  /* Where the runtime the gate runs finds code, or NULL when unknown (the hook). */
  const confine_runtime_code_t *runtime_code;
  const confine_annotation_t *annotations;
  size_t n_annotations;
  /* The policy's host-path lists resolved once for every rule that judges host paths in
   * this context (a zeroed one until the first; its owner clears it), or NULL: each such
   * rule resolves its own (confine_rule_hostpaths). */
  confine_hostpaths_t *hostpaths;
} confine_context_t;

/* The verdict on a spec's seccomp filter, which two rules read (seccomp
 * and seccomp_needs): computed once per evaluation, since its cache key
 * hashes the whole section and the cache is a file. */
typedef struct
{
  bool done;
  int built;       /* 1 when runc could build the filter, 0 when not (BUILD_ERR says why) */
  char **leaks;    /* must_block syscalls the filter lets through */
  char **denied;   /* needed syscalls it may deny */
  size_t insns;
  confine_error_t build_err;
} confine_seccomp_memo_t;
void confine_seccomp_memo_clear (confine_seccomp_memo_t *m);

/* What a rule judges: a whole container (SPEC set, PROCESS its process),
 * or an exec process (SPEC NULL). SECCOMP is the evaluation's shared
 * verdict, or NULL when the rule runs alone. */
typedef struct
{
  const confine_spec_t *spec;
  const confine_process_t *process;
  confine_seccomp_memo_t *seccomp;
} confine_subject_t;

typedef struct
{
  confine_rule_result_t results[CONFINE_RULES];
  bool would_refuse;        /* a deny rule failed, exemptions applied */
  bool refused;             /* would_refuse, unless the policy is in audit mode */
} confine_verdict_t;

/* Each rule fills its result. A negative return is an internal error;
 * confine_evaluate turns it into a failure of that rule, so an error can
 * never read as a pass. One function per registry row (registry.h). */
typedef int confine_rule_fn (const confine_context_t *ctx, const confine_subject_t *subject,
                             confine_rule_result_t *r, confine_error_t *err);
#define CONFINE_RULE_DECLARE(e, name, key, sev, exec) confine_rule_fn confine_rule_##name;
CONFINE_RULE_TABLE (CONFINE_RULE_DECLARE)
#undef CONFINE_RULE_DECLARE

/* True when runc's (or crun's) command line ARGV asks for --no-pivot, in
 * any spelling Go's flag package accepts. */
bool confine_argv_no_pivot (char *const *argv, size_t argc);

/* The policy key a capabilities refusal for CAP_SETFCAP cites; the shim's
 * repair recognises it by this. */
#define CONFINE_CAPS_SETFCAP_KEY "seccomp.block_setid_files"

/* The capabilities NAMES (a spec's set) give, as the kernel's bit mask
 * in /proc/PID/status. */
uint64_t confine_caps_mask (char *const *names);
/* Does an entry of LIST (N entries, devices.allowed syntax) cover TYPE
 * MAJOR:MINOR (-1: any) for READ and WRITE? A wildcard in the rule is
 * covered only by a wildcard. */
bool confine_devices_cover (const confine_device_allow_t *list, size_t n, char type,
                            int64_t major, int64_t minor, bool read, bool write);
/* Is D an allow rule the shim takes out of a spec (devices.strip)? */
bool confine_devices_stripped (const confine_policy_t *p, const confine_device_rule_t *d);

/* The namespaces the container's init (CTX->pid) is really in, judged
 * against SPEC: none the host's, each joined one the very namespace its
 * path names. Sets R to a pass or a failure. */
int confine_namespaces_judge_live (const confine_context_t *ctx, const confine_spec_t *spec,
                                   confine_rule_result_t *r, confine_error_t *err);
/* Whether PATH (a /proc/PID/ns link, or a file bound to one) is the
 * gate's own namespace of kind FILE (`net`, `pid`, ...): the host's,
 * since the gate runs in the runtime's namespaces. */
int confine_ns_is_hosts (const char *path, const char *file, bool *hosts, confine_error_t *err);

/* Set a result; FMT describes the fact. */
void confine_result_set (confine_rule_result_t *r, confine_result_kind_t kind, const char *key,
                         const char *fmt, ...) CONFINE_PRINTF (4, 5);

/* Fail R with PREFIX and the message of *ERR, and clear *ERR: for an
 * error that decides a rule (a filter runc would reject, a namespace that
 * cannot be inspected) rather than ends the evaluation. */
void confine_result_from_error (confine_rule_result_t *r, const char *key, const char *prefix,
                                confine_error_t *err);

/* Evaluate a whole container spec. */
void confine_evaluate_spec (const confine_context_t *ctx, const confine_spec_t *spec,
                            confine_verdict_t *v);
/* A set of rules: bit I for rule I of the registry. */
#define CONFINE_RULE_BIT(rule) (1u << (rule))
#define CONFINE_RULES_ALL ((1u << CONFINE_RULES) - 1)
/* Evaluate SPEC by the rules in RULES only, each as confine_evaluate_spec
 * would; every other rule fails, "not judged yet", and the verdict refuses
 * (whatever the policy's severities, exemptions or mode) until
 * confine_evaluate_spec_rest (same CTX, SPEC and RULES) judges the
 * others and V is the verdict confine_evaluate_spec gives. For a caller
 * that may act on a few rules' results first (the shim's repair). Rules
 * that share the seccomp verdict (seccomp, seccomp_needs) belong in the
 * same part, or the second builds it again. */
void confine_evaluate_spec_rules (const confine_context_t *ctx, const confine_spec_t *spec,
                                  unsigned rules, confine_verdict_t *v);
void confine_evaluate_spec_rest (const confine_context_t *ctx, const confine_spec_t *spec,
                                 unsigned judged, confine_verdict_t *v);
/* Evaluate an exec process: runc runs no hooks for it, so the shim gates
 * it on the rules that apply to a process (AppArmor, capabilities,
 * noNewPrivileges). The others are reported as skipped. A process that
 * names no AppArmor profile runs under the container's, and passes. */
void confine_evaluate_process (const confine_context_t *ctx, const confine_process_t *p,
                               confine_verdict_t *v);

/* The exemption of CTX's policy that waives RULE for CTX's container, or
 * -1. */
int confine_exemption_find (const confine_context_t *ctx, confine_rule_t rule);
/* Once every rule has its result: a rule at severity off is skipped,
 * exemptions apply to failures, and the verdict follows (audit mode only
 * stops the refusal). Shared by every evaluation, live ones included. */
void confine_verdict_finish (const confine_context_t *ctx, confine_verdict_t *v);

/* One line for stderr, without the `confine: ` prefix, e.g.
 * `refused: seccomp: filter allows mount, keyctl (policy seccomp.must_block)`. */
int confine_verdict_summary (const confine_verdict_t *v, char **out, confine_error_t *err);
void confine_verdict_clear (confine_verdict_t *v);

#endif
