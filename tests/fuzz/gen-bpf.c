/* SPDX-License-Identifier: Apache-2.0 */
/* gen-bpf < SECCOMP.json > FILTER.bpf: compile a linux.seccomp section
 * with the project's own compiler and write the exported BPF as raw
 * struct sock_filter, a seed for fuzz-bpf (see make-corpus.sh). */
#include <unistd.h>

#include "../../oci/spec.h"
#include "../../src/seccomp.h"
#include "../../base/utils.h"

int
main (void)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *buf = NULL;
  cleanup_json confine_json_t *node = NULL;
  cleanup_seccomp_spec confine_seccomp_t *s = NULL;
  cleanup_bpf confine_bpf_t prog = { NULL, 0 };
  size_t len = 0;

  if (confine_read_fd (STDIN_FILENO, 1u << 20, &buf, &len, &err) < 0
      || confine_json_parse (buf, len, &node, &err) < 0
      || confine_seccomp_parse (node, "stdin", &s, &err) < 0
      || confine_seccomp_compile (s, &prog, &err) < 0
      || confine_write_all (STDOUT_FILENO, prog.insns, prog.len * sizeof prog.insns[0], &err) < 0)
    {
      fprintf (stderr, "gen-bpf: %s\n", err ? err->msg : "no filter");
      return 1;
    }
  return 0;
}
