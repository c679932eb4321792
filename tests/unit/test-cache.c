/* SPDX-License-Identifier: Apache-2.0 */
/* The verdict cache: a hit gives the computed verdict, and anything
 * doubtful is a miss, never a trusted answer. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/cache.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

static confine_policy_t *
policy_with_cache (const char *dir)
{
  return harness_policy ("{\"cache_dir\":\"%s\",\"apparmor\":{\"when_unavailable\":\"skip\"},"
                         "\"securityfs\":\"/nonexistent\"}", dir);
}

/* The seccomp rule's fact for SPEC under P. */
static char *
seccomp_fact (const confine_policy_t *p, const confine_spec_t *spec)
{
  confine_verdict_t v;
  confine_context_t ctx = { .policy = p };
  char *fact;
  confine_evaluate_spec (&ctx, spec, &v);
  fact = strdup (v.results[CONFINE_RULE_SECCOMP].fact);
  confine_verdict_clear (&v);
  return fact;
}

static char *
entry_path (const char *dir, const confine_spec_t *spec, const confine_policy_t *p)
{
  confine_cache_key_t key;
  char *path = NULL;
  confine_cache_key (spec->seccomp, p->must_block, true, true, true, &key);
  if (asprintf (&path, "%s/%s", dir, key.hex) < 0)
    abort ();
  return path;
}

void
run_tests (void)
{
  char *tmp = harness_tmpdir ();
  char *dir = NULL;
  confine_policy_t *p;
  confine_spec_t *weak = harness_docker_fixture ("weak-seccomp"), *def = harness_docker_fixture ("default");
  char *cold, *warm, *entry;
  struct stat st;

  if (asprintf (&dir, "%s/cache", tmp) < 0)
    abort ();
  p = policy_with_cache (dir);

  cold = seccomp_fact (p, weak);
  entry = entry_path (dir, weak, p);
  CHECK (stat (entry, &st) == 0 && (st.st_mode & 0777) == 0600, "a miss writes a 0600 entry",
         "no entry at %s", entry);
  CHECK (stat (dir, &st) == 0 && (st.st_mode & 0777) == 0700, "the cache directory is 0700",
         "mode %o", st.st_mode & 0777);
  warm = seccomp_fact (p, weak);
  CHECK (strcmp (cold, warm) == 0, "a hit gives the verdict that was computed", "%s vs %s", cold,
         warm);
  free (warm);

  /* Positive control: an entry exactly as the cache writes it is
   * believed, even one that says "nothing leaks" for a filter that
   * leaks. Without this, a cache that never reads passes every test
   * below. */
  {
    cleanup_error confine_error_t err = NULL;
    confine_cache_key_t key;
    char *none[] = { NULL };
    confine_cache_key (weak->seccomp, p->must_block, true, true, true, &key);
    unlink (entry);
    CHECK (confine_cache_put (dir, &key, none, none, 10, &err) == 0, "the cache writes a planted entry",
           "%s", err ? err->msg : "");
    warm = seccomp_fact (p, weak);
    CHECK (strstr (warm, "(10 BPF instructions) blocks all") != NULL,
           "a genuine entry is believed (the cache really reads)", "%s", warm);
    free (warm);
  }

  /* A forged entry saying "nothing leaks" must not be believed once it
   * is not exactly what we wrote. */
  {
    confine_cache_key_t key;
    char *forged = NULL;
    confine_cache_key (weak->seccomp, p->must_block, true, true, true, &key);
    if (asprintf (&forged, "confine-seccomp-verdict-2\n%s\n10\n0\n1\nfstatfs\nend\n", key.hex) < 0)
      abort ();
    /* The positive control: exactly what we write, with our owner and
     * mode, is believed, both lists of it. */
    harness_write (entry, forged);
    chmod (entry, 0600);
    warm = seccomp_fact (p, weak);
    {
      confine_verdict_t v;
      confine_context_t ctx = { .policy = p };
      confine_evaluate_spec (&ctx, weak, &v);
      CHECK (strstr (warm, "blocks all") && strstr (v.results[CONFINE_RULE_SECCOMP_NEEDS].fact,
                                                    "fstatfs"),
             "a well-formed entry of ours is believed, both its lists", "%s / %s", warm,
             v.results[CONFINE_RULE_SECCOMP_NEEDS].fact);
      confine_verdict_clear (&v);
    }
    free (warm);
    harness_write (entry, forged);
    chmod (entry, 0666);
    warm = seccomp_fact (p, weak);
    CHECK (strcmp (cold, warm) == 0, "an entry writable by others is ignored", "%s", warm);
    free (warm);
    harness_write (entry, forged);
    chmod (entry, 0600);
    if (chown (entry, 65534, 65534) < 0)
      abort ();
    warm = seccomp_fact (p, weak);
    CHECK (strcmp (cold, warm) == 0, "an entry owned by someone else is ignored", "%s", warm);
    free (warm);
    unlink (entry);
    harness_write (entry, "confine-seccomp-verdict-2\ngarbage\n");
    chmod (entry, 0600);
    warm = seccomp_fact (p, weak);
    CHECK (strcmp (cold, warm) == 0, "a corrupt entry is ignored and recomputed", "%s", warm);
    free (warm);
    free (forged);
  }

  chmod (dir, 0777);
  unlink (entry);
  warm = seccomp_fact (p, weak);
  CHECK (strcmp (cold, warm) == 0 && stat (entry, &st) < 0,
         "a cache directory others can write is neither read nor written", "%s", warm);
  free (warm);
  chmod (dir, 0700);

  {
    confine_policy_t *ro = policy_with_cache ("/proc/confine-cannot-exist");
    char *a = seccomp_fact (ro, def), *b = seccomp_fact (p, def);
    CHECK (strcmp (a, b) == 0, "an unusable cache directory only costs time", "%s vs %s", a, b);
    free (a);
    free (b);
    confine_policy_free (ro);
  }

  {
    confine_cache_key_t k1, k2;
    char *mb[] = { (char *) "mount", NULL };
    confine_cache_key (def->seccomp, p->must_block, true, true, true, &k1);
    confine_cache_key (def->seccomp, mb, true, true, true, &k2);
    CHECK (strcmp (k1.hex, k2.hex) != 0, "the key covers the must_block list", "same key");
    confine_cache_key (def->seccomp, p->must_block, true, false, true, &k2);
    CHECK (strcmp (k1.hex, k2.hex) != 0, "the key covers seccomp.block_device_nodes", "same key");
    confine_cache_key (def->seccomp, p->must_block, true, true, false, &k2);
    CHECK (strcmp (k1.hex, k2.hex) != 0, "the key covers seccomp.block_setid_files", "same key");
    def->seccomp->syscalls[0].args = NULL;
    free (def->seccomp->default_action);
    def->seccomp->default_action = strdup ("SCMP_ACT_ALLOW");
    confine_cache_key (def->seccomp, p->must_block, true, true, true, &k2);
    CHECK (strcmp (k1.hex, k2.hex) != 0, "the key covers the seccomp section", "same key");
  }

  free (cold);
  free (entry);
  confine_spec_free (weak);
  confine_spec_free (def);
  confine_policy_free (p);
  free (dir);
  free (tmp);
}
