/* SPDX-License-Identifier: Apache-2.0 */
/* confine-runtime: a runtime shim in front of runc.
 *
 *   confine-runtime [runc's global flags] COMMAND [flags] [args]
 *
 * Docker (`runtimes` + `default-runtime`) or containerd (`BinaryName`,
 * `ctr run --runc-binary`) call it exactly as they would call runc. For
 * `create` and `run` it injects what the policy asks into the bundle's
 * config.json and judges the final spec (create.c); for `exec` it judges
 * the process file (exec.c); for `start` it checks what the kernel applied
 * (start.c); for `update` it judges the unified cgroup files of
 * --resources (update.c). Everything else is exec'd unchanged, without reading any
 * spec (passthrough.c). A refusal exits 1 (refuse.c). */
#define _GNU_SOURCE
#include <stdlib.h>

#include "shim.h"
#include "../src/process.h"
#include "../base/utils.h"

int
main (int argc, char **argv)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_policy confine_policy_t *policy = NULL;
  const char *policy_path = getenv ("CONFINE_POLICY");
  confine_shim_inv_t inv = { 0 };
  confine_log_entry_t entry = { .component = "shim" };
  int cmd_at = argc;

  /* No confine_process_sanitize here, on purpose: it sets no_new_privs,
   * which runc and every container would inherit (breaking setuid
   * programs inside and AppArmor's profile change at exec), and the shim
   * must hand runc its whole environment (XDG_RUNTIME_DIR, NOTIFY_SOCKET,
   * _LIBCONTAINER_*, GOMAXPROCS...) and its inherited fds (console
   * socket, --preserve-fds) exactly as it got them. We open nothing
   * without O_CLOEXEC. */
  if (policy_path == NULL || policy_path[0] == '\0')
    policy_path = CONFINE_DEFAULT_POLICY;

  if (confine_shim_parse_global (argc, argv, &inv, &cmd_at, &err) < 0)
    return confine_shim_refuse_error (&inv, NULL, NULL, &err);

  /* state, kill, delete, features...: engines call these many times per
   * container, and the gate has nothing to judge in them. No deadline
   * either: reading one bounded regular file cannot hang. */
  if ((inv.kind == CMD_PASS || inv.kind == CMD_NONE) && inv.version == NULL)
    {
      confine_shim_pass (policy_path, argv, &err);
      return confine_shim_refuse_error (&inv, NULL, NULL, &err);
    }

  confine_process_deadline (SHIM_DEADLINE_SECONDS, "confine-runtime");
  confine_heap_populate ();

  /* The policy names the runtime and what to judge. A broken policy
   * refuses every judged command: it is the administrator's to fix. */
  if (confine_policy_load (policy_path, true, &policy, &err) < 0)
    return confine_shim_refuse_error (&inv, NULL, NULL, &err);

  /* runc prints its version and stops, whatever follows. */
  if (inv.version)
    {
      int rc = confine_shim_version (policy, argv, &err);
      return rc < 0 ? confine_shim_refuse_error (&inv, NULL, NULL, &err) : rc;
    }

  entry.action = inv.cmd;
  switch (inv.kind)
    {
    case CMD_RESTORE:
      /* A restored process takes its capabilities and seccomp state from
       * the checkpoint image, and its AppArmor label from the image or
       * from --lsm-profile: nothing the gate can judge from config.json. */
      confine_make_error (&err, 0, "restore: a restored container's confinement comes from "
                          "its checkpoint image, which the gate cannot judge");
      return confine_shim_refuse_error (&inv, policy, &entry, &err);

    case CMD_CREATE:
    case CMD_EXEC:
      {
        bool go_on = true;
        int rc;
        if (confine_shim_parse_command (argc, argv, cmd_at, &inv, &err) < 0)
          return confine_shim_refuse_error (&inv, policy, &entry, &err);
        entry.id = inv.id;
        rc = inv.kind == CMD_CREATE
                 ? confine_shim_create (&inv, policy, policy_path, argv, cmd_at, &entry, &go_on)
                 : confine_shim_exec (&inv, policy, argv, argc, cmd_at, &entry, &go_on);
        if (rc != 0 || !go_on)
          return rc;
        break;
      }

    case CMD_START:
      /* A start we cannot parse is the runtime's to reject. */
      if (confine_shim_parse_command (argc, argv, cmd_at, &inv, &err) == 0 && inv.id)
        {
          entry.id = inv.id;
          return confine_shim_start (&inv, policy, argv, cmd_at, &entry);
        }
      confine_error_release (&err);
      break;

    case CMD_UPDATE:
      {
        int rc;
        if (confine_shim_parse_command (argc, argv, cmd_at, &inv, &err) < 0)
          return confine_shim_refuse_error (&inv, policy, &entry, &err);
        entry.id = inv.id;
        if ((rc = confine_shim_update (&inv, policy, argv, argc, cmd_at, &entry)) != 0)
          return rc;
        break;
      }

    case CMD_NONE:
    case CMD_PASS:
      break; /* --version, above */
    }

  confine_shim_exec_runtime (policy, argv, &err);
  return confine_shim_refuse_error (&inv, NULL, NULL, &err);
}
