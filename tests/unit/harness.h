/* SPDX-License-Identifier: Apache-2.0 */
/* A small unit-test harness: each check prints `PASS name` or
 * `FAIL name: why`; tests/run.sh counts the lines. */
#ifndef CONFINE_TEST_HARNESS_H
#define CONFINE_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>

#include "../../base/error.h"

extern int harness_failed;
extern const char *harness_root; /* the source tree, from argv[1] */

void harness_check (bool ok, const char *name, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* Read ROOT/REL into a NUL-terminated buffer; aborts the test on error. */
char *harness_read (const char *rel, size_t *len);
/* A temp directory, removed by the test's own cleanup or left in /tmp. */
char *harness_tmpdir (void);
void harness_write (const char *path, const char *text);

/* Parse tests/fixtures/docker/NAME.json (a real Docker config); aborts
 * the test on error. */
void *harness_docker_fixture (const char *name);

#define CHECK(cond, name, ...) harness_check ((cond), (name), __VA_ARGS__)

/* Each test file defines this; main() calls it. */
void run_tests (void);

#endif
