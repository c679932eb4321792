/* SPDX-License-Identifier: Apache-2.0 */
/* Lossless edits of a config.json tree (written back with
 * confine_replace_file_at, base/file.h).
 *
 * The shim changes only the keys it injects; every other key keeps its
 * position, type and exact text (json.c keeps numbers as written), so a
 * seccomp value of 18446744073709551615 or a field runc does not know yet
 * comes out as it went in.
 *
 * The tree must come from confine_spec_parse, which refused duplicate and
 * case-folded keys: that is what makes "the key `linux`" mean the one
 * object Go's decoder will read. */
#ifndef CONFINE_EDIT_H
#define CONFINE_EDIT_H

#include <stdbool.h>

#include "json.h"

/* Set linux.seccomp to SECCOMP (taken over, also on failure), creating
 * `linux` when it is absent or null. */
int confine_edit_set_seccomp (confine_json_t *doc, confine_json_t *seccomp, confine_error_t *err);
/* Take each of NAMES (NULL-terminated) out of the `names` of every rule
 * in linux.seccomp.syscalls, dropping a rule left with no names (runc
 * would add nothing for it). Returns how many rules changed. */
int confine_edit_seccomp_strip (confine_json_t *doc, const char *const *names, confine_error_t *err);
/* Insert RULE (taken over, also on failure) as the first entry of
 * linux.seccomp.syscalls (created when absent; linux.seccomp must exist): runc adds rules in order, and
 * libseccomp keeps the first rule without conditions for a syscall. */
int confine_edit_seccomp_prepend (confine_json_t *doc, confine_json_t *rule, confine_error_t *err);
/* Remove entry I of linux.resources.devices for each DROP[I] true; the
 * array must have exactly N entries (the parsed spec's rules, in order),
 * else nothing changes and it fails. Returns how many were removed. */
int confine_edit_drop_device_rules (confine_json_t *doc, const bool *drop, size_t n,
                                    confine_error_t *err);
/* Set process.apparmorProfile. Fails when `process` is absent or null:
 * runc refuses such a spec anyway, and inventing a process is not ours. */
/* Take CAP out of every set of process.capabilities (of an exec's process
 * file, PROCESS_FILE, whose top level is the process); returns the number
 * of sets it was in. */
int confine_edit_drop_capability (confine_json_t *doc, bool process_file, const char *cap,
                                  confine_error_t *err);
int confine_edit_set_apparmor (confine_json_t *doc, const char *profile, confine_error_t *err);
/* Set process.noNewPrivileges to true; same condition on `process`. */
int confine_edit_set_no_new_privileges (confine_json_t *doc, confine_error_t *err);
/* Append {"path": PATH, "args": ARGS, "env": ENV, "timeout": TIMEOUT} to
 * hooks.<STAGE>, creating `hooks` and the stage when absent or null.
 * ARGS and ENV are NULL-terminated; TIMEOUT <= 0 leaves `timeout` out. */
int confine_edit_add_hook (confine_json_t *doc, const char *stage, const char *path,
                           const char *const *args, const char *const *env, int timeout,
                           confine_error_t *err);

#endif
