/* SPDX-License-Identifier: Apache-2.0 */
/* A small unit-test harness: each check prints `PASS name` or
 * `FAIL name: why`; tests/run.sh counts the lines. */
#ifndef CONFINE_TEST_HARNESS_H
#define CONFINE_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "../../base/error.h"
#include "../../src/policy.h"
#include "../../src/rules.h"

extern int harness_failed;
extern const char *harness_root; /* the source tree, from argv[1] */

void harness_check (bool ok, const char *name, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* Read ROOT/REL into a NUL-terminated buffer; aborts the test on error. */
char *harness_read (const char *rel, size_t *len);
/* A temp directory in /tmp, removed with what it holds when the test
 * exits (not when a child it forked does). */
char *harness_tmpdir (void);
void harness_write (const char *path, const char *text);

/* The policy printf (FMT, ...) writes; aborts the test when it does not
 * parse. */
confine_policy_t *harness_policy (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/* S with every character C replaced by WITH (a test's directory for `@`). */
char *harness_replace (const char *s, char c, const char *with);

/* Run RULE on SUBJECT: a check NAME that it gives WANT with a fact that
 * contains FACT. */
void harness_rule_case (const char *name, confine_rule_fn *rule, const confine_context_t *ctx,
                        const confine_subject_t *subject, confine_result_kind_t want,
                        const char *fact);

/* A child in a mount namespace of its own (private propagation) that runs
 * SETUP (ARG), which returns 0 when done, and then waits to be stopped:
 * a host process elsewhere, as a container's init or a service with
 * PrivateTmp= is. Returns its pid once SETUP is done; aborts the test
 * when it failed. */
pid_t harness_in_own_mount_ns (int (*setup) (void *), void *arg);
/* Stop such a child and reap it. */
void harness_stop (pid_t child);

/* Parse tests/fixtures/docker/NAME.json (a real Docker config); aborts
 * the test on error. */
void *harness_docker_fixture (const char *name);

#define CHECK(cond, name, ...) harness_check ((cond), (name), __VA_ARGS__)

/* Each test file defines this; main() calls it. */
void run_tests (void);

#endif
