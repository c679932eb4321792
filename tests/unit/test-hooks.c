/* SPDX-License-Identifier: Apache-2.0 */
/* The hooks rule, one row per case: a spec fragment, the verdict and a
 * fragment of the fact. In the fragments, @SELF@ is /proc/<this test's
 * pid>/exe, @BIN@ the test binary's own path (an allowed hook in the
 * table's policy), @POLICY@ the policy file the judgment loads, @LINK@ a
 * symbolic link to @BIN@, @OTHER@ /proc/<pid>/exe of a process that runs
 * /usr/bin/true. */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <regex.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/policy.h"
#include "../../src/rules.h"
#include "../../base/utils.h"

#define HOOK(stage, path, ...) "{\"hooks\":{\"" stage "\":[{\"path\":\"" path "\"" __VA_ARGS__ "}]}}"
#define ARGS(...) ",\"args\":[" __VA_ARGS__ "]"
#define SETKEY ARGS ("\"setkey\",\"-root=/run/x\",\"ab12\"")
#define OWN_PATH "/opt/confine/confine-hook"

static const char policy_text[]
    = "{\"hook_path\":\"" OWN_PATH "\",\"hooks\":{\"allowed\":["
      "{\"path\":\"@BIN@\",\"args\":[\"setkey\",\"-root=/.*\",\"[0-9a-f]{4}\"],"
      "\"env\":[\"TRACEPARENT=[0-9a-f-]+\"]},"
      "{\"path\":\"/usr/bin/nvidia-hook\",\"args\":[\"nvidia-hook\",\"prestart\"]}]}}";

static const struct
{
  const char *name;
  const char *spec;
  bool pass;
  const char *fact;
} cases[] = {
  { "no hooks pass", "{}", true, "0 hooks" },
  { "an allowed binary by its path passes", HOOK ("prestart", "@BIN@", SETKEY), true, "1 hooks" },
  { "/proc/<pid>/exe is judged by the file it names", HOOK ("prestart", "@SELF@", SETKEY), true,
    "" },
  /* runc runs it in the container's mount namespace as root before the
   * filter: a spec mount over the path makes it any file (red team). */
  { "even an allowed hook is refused at createContainer", HOOK ("createContainer", "@BIN@", SETKEY),
    false, "runs inside the container's mount namespace" },
  { "an allowed hook passes at poststop", HOOK ("poststop", "@SELF@", SETKEY), true, "" },
  { "a host script as prestart is refused, naming it",
    HOOK ("prestart", "/tmp/evil.sh", ARGS ("\"evil.sh\"")), false,
    "prestart hook 0 `/tmp/evil.sh` with args `evil.sh` is not an allowed hook" },
  { "createRuntime, poststart and poststop are judged alike",
    "{\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/sh\"}],\"poststart\":[{\"path\":\"/bin/sh\"}],"
    "\"poststop\":[{\"path\":\"/bin/sh\"}]}}",
    false, "createRuntime hook 0 `/bin/sh` is not an allowed hook, poststart hook 0 `/bin/sh` "
           "is not an allowed hook, poststop hook 0" },
  { "createContainer runs with the host's files in view, and is judged",
    HOOK ("createContainer", "/bin/sh", ARGS ("\"sh\",\"-c\",\"id\"")), false,
    "createContainer hook 0 `/bin/sh` with args `sh -c id`" },
  { "startContainer runs a file of the container's root and is refused",
    HOOK ("startContainer", "@BIN@", SETKEY), false,
    "startContainer hook 0 `@BIN@` with args `setkey -root=/run/x ab12` runs inside the "
    "container's mount namespace" },
  { "one argument more is refused",
    HOOK ("prestart", "@BIN@", ARGS ("\"setkey\",\"-root=/run/x\",\"ab12\",\"more\"")), false,
    "is not an allowed hook" },
  { "one argument fewer is refused", HOOK ("prestart", "@BIN@", ARGS ("\"setkey\",\"-root=/x\"")),
    false, "is not an allowed hook" },
  { "argv[0] is judged too",
    HOOK ("prestart", "@BIN@", ARGS ("\"other\",\"-root=/run/x\",\"ab12\"")), false,
    "not an allowed hook" },
  { "patterns match whole arguments",
    HOOK ("prestart", "@BIN@", ARGS ("\"setkey\",\"-root=/run/x\",\"ab12; id\"")), false,
    "not an allowed hook" },
  { "no args means argv is the path alone", HOOK ("prestart", "/usr/bin/nvidia-hook"), false,
    "`/usr/bin/nvidia-hook` is not an allowed hook" },
  { "an entry's own args pass", HOOK ("prestart", "/usr/bin/nvidia-hook", ARGS ("\"nvidia-hook\",\"prestart\"")),
    true, "" },
  { "an env the entry allows passes",
    HOOK ("prestart", "@BIN@", SETKEY ",\"env\":[\"TRACEPARENT=00-ab-cd-01\"]"), true, "" },
  { "LD_PRELOAD in an allowed hook's env is refused",
    HOOK ("prestart", "@BIN@", SETKEY ",\"env\":[\"TRACEPARENT=00-ab\",\"LD_PRELOAD=/tmp/x.so\"]"),
    false, "has env `LD_PRELOAD=/tmp/x.so`, which no entry allows" },
  { "a relative path is refused", HOOK ("prestart", "bin/setkey", SETKEY), false,
    "`bin/setkey` with args `setkey -root=/run/x ab12` has no absolute path" },
  { "an empty path is refused", HOOK ("prestart", "", SETKEY), false, "has no absolute path" },
  { "another process's executable is refused, naming the file",
    HOOK ("prestart", "@OTHER@", SETKEY), false, "`@OTHER@` (runs `/usr/bin/true`) with args" },
  { "a process that does not exist is refused", HOOK ("prestart", "/proc/2147483647/exe", SETKEY),
    false, "names a process whose executable cannot be read" },
  /* Whoever resolves /proc/self is runc when it runs the hook. */
  { "/proc/self/exe is not the judge's own file", HOOK ("prestart", "/proc/self/exe", SETKEY), false,
    "`/proc/self/exe` with args" },
  { "a link to an allowed binary is refused: it could change before runc runs it",
    HOOK ("prestart", "@LINK@", SETKEY), false, "`@LINK@` with args" },
  { "a path with .. is not the allowed path", HOOK ("prestart", "/proc/../@BIN@", SETKEY), false,
    "is not an allowed hook" },

  /* confine's own hook, as the shim and hooks.d give it. */
  { "confine's own hook as the shim injects it passes",
    HOOK ("createRuntime", OWN_PATH,
          ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\"")
              ",\"env\":[\"PATH=/usr/sbin:/usr/bin\"],\"timeout\":30"),
    true, "" },
  { "confine's own hook from hooks.d passes at prestart",
    HOOK ("prestart", OWN_PATH, ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\"")), true, "" },
  /* The red team's escape: confine's own path at createContainer, with
   * a spec bind mount over that path in the container's namespace. */
  { "confine's own hook at createContainer is refused",
    HOOK ("createContainer", OWN_PATH, ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\"")), false,
    "runs inside the container's mount namespace" },
  { "confine's own hook naming another policy file is refused",
    HOOK ("createRuntime", OWN_PATH, ARGS ("\"confine-hook\",\"--policy\",\"/etc/shadow\"")), false,
    "createRuntime hook 0 `" OWN_PATH "` with args `confine-hook --policy /etc/shadow` is "
    "confine's hook, but not as this policy runs it" },
  { "confine's own hook with the default policy is not this policy",
    HOOK ("createRuntime", OWN_PATH, ARGS ("\"confine-hook\"")), false, "not as this policy runs it" },
  { "confine's own hook with LD_PRELOAD is refused",
    HOOK ("createRuntime", OWN_PATH,
          ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\"") ",\"env\":[\"LD_PRELOAD=/x.so\"]"),
    false, "not as this policy runs it" },
  { "confine's own hook with extra args is refused",
    HOOK ("createRuntime", OWN_PATH, ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\",\"x\"")),
    false, "not as this policy runs it" },
  { "confine's own hook by another path is refused",
    HOOK ("createRuntime", "/tmp/confine-hook", ARGS ("\"confine-hook\",\"--policy\",\"@POLICY@\"")),
    false, "is not an allowed hook" },
};

static char self_exe[64], other_exe[64], bin[PATH_MAX], link_path[PATH_MAX],
    policy_path[PATH_MAX];

/* TEXT with the placeholders replaced; the result is malloc'd. */
static char *
expand (const char *text)
{
  static const char *const keys[] = { "@SELF@", "@BIN@", "@POLICY@", "@LINK@", "@OTHER@" };
  const char *values[] = { self_exe, bin, policy_path, link_path, other_exe };
  char *out = strdup (text);
  for (size_t k = 0; k < 5; k++)
    {
      char *at;
      while ((at = strstr (out, keys[k])) != NULL)
        {
          char *next = NULL;
          if (asprintf (&next, "%.*s%s%s", (int) (at - out), out, values[k], at + strlen (keys[k]))
              < 0)
            abort ();
          free (out);
          out = next;
        }
    }
  return out;
}

static confine_policy_t *
load (const char *text)
{
  cleanup_error confine_error_t err = NULL;
  confine_policy_t *p = NULL;
  char *expanded = expand (text);
  harness_write (policy_path, expanded);
  free (expanded);
  if (confine_policy_load (policy_path, false, &p, &err) < 0)
    {
      printf ("FAIL policy: %s\n", err->msg);
      exit (1);
    }
  return p;
}

/* Judge SPEC with the hooks rule; FACT gets the fact. */
static bool
passes (const confine_policy_t *p, const confine_spec_t *spec, char **fact)
{
  cleanup_error confine_error_t err = NULL;
  confine_rule_result_t r = { 0 };
  confine_context_t ctx = { .policy = p };
  confine_subject_t s = { spec, &spec->process };
  if (confine_rule_hooks (&ctx, &s, &r, &err) < 0)
    {
      *fact = strdup (err->msg);
      return false;
    }
  *fact = r.fact;
  return r.kind == CONFINE_RESULT_PASS;
}

/* A process whose executable is PATH, stopped by ptrace at its exec,
 * before the program's first instruction. */
static pid_t
stopped_exec (const char *path)
{
  int st;
  pid_t pid = fork ();
  if (pid == 0)
    {
      ptrace (PTRACE_TRACEME, 0, NULL, NULL);
      execl (path, path, "--version", (char *) NULL);
      _exit (127);
    }
  if (pid < 0 || waitpid (pid, &st, 0) != pid || !WIFSTOPPED (st))
    return -1;
  return pid;
}

static void
table (void)
{
  confine_policy_t *p = load (policy_text);
  pid_t other = stopped_exec ("/bin/true");
  snprintf (other_exe, sizeof (other_exe), "/proc/%d/exe", (int) other);
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_spec_t *spec = NULL;
      char *text = expand (cases[i].spec), *want = expand (cases[i].fact), *fact = NULL;
      bool ok;
      if (confine_spec_parse (text, strlen (text), &spec, NULL, &err) < 0)
        CHECK (false, cases[i].name, "parse: %s", err->msg);
      else
        {
          ok = passes (p, spec, &fact);
          CHECK (ok == cases[i].pass && strstr (fact, want), cases[i].name, "%s: %s",
                 ok ? "pass" : "fail", fact);
        }
      free (fact);
      free (text);
      free (want);
      confine_spec_free (spec);
    }
  kill (other, SIGKILL);
  waitpid (other, NULL, 0);
  confine_policy_free (p);
}


/* S as a JSON string, every byte outside printable ASCII, `"` and `\`
 * escaped as \u00XX (bytes above 0x7f as U+0080.. would change them, so
 * the cases below keep to ASCII and use the escapes for control bytes). */
static char *
json_string (const char *s)
{
  char *out = calloc (1, strlen (s) * 6 + 3), *o = out;
  if (out == NULL)
    abort ();
  *o++ = '"';
  for (; *s; s++)
    o += (*s < 0x20 || *s == '"' || *s == '\\') ? sprintf (o, "\\u%04x", (unsigned char) *s)
                                                 : sprintf (o, "%c", *s);
  *o = '"';
  return out;
}

/* A pattern of ordinary characters is compared, not run through regexec
 * (src/hooks.c, matches): the rule's verdict for every pattern and
 * argument below is regexec's on `^(PATTERN)$`, literal or not. */
static void
literal_patterns (void)
{
  static const char *const patterns[]
      = { "libnetwork-setkey", "a-b_c=d/e:f,g@h%i~j'k;l<m>n&o#p!q`r", "x y", "setkey ", "",
          "a.c", "-root=/.*", "a|b", "[ab]", "ab*", "a+", "a?", "a{2}", "(ab)", "^ab", "ab$",
          "a\\.c", "a]", "a}", "a\tb", "a\nb", NULL };
  static const char *const args[]
      = { "libnetwork-setkey", "libnetwork-setkeyX", "Xlibnetwork-setkey", "libnetwork-setke",
          "libnetwork-setkey\n", "LIBNETWORK-SETKEY", "a-b_c=d/e:f,g@h%i~j'k;l<m>n&o#p!q`r",
          "x y", "x  y", "setkey ", "setkey", "", "a.c", "abc", "-root=/run/x", "a|b", "a", "b",
          "[ab]", "ab*", "abbb", "a+", "aa", "a?", "a{2}", "(ab)", "ab", "^ab", "ab$", "a\\.c",
          "a]", "a}", "a\tb", "a\nb", NULL };

  for (size_t i = 0; patterns[i]; i++)
    {
      cleanup_free char *pj = json_string (patterns[i]);
      cleanup_free char *text = NULL, *anchored = NULL;
      confine_policy_t *p = NULL;
      const char *first = NULL;
      size_t wrong = 0;
      regex_t rx;
      if (asprintf (&text, "{\"hooks\":{\"allowed\":[{\"path\":\"/usr/bin/lit\",\"args\":[%s]}]}}",
                    pj)
              < 0
          || asprintf (&anchored, "^(%s)$", patterns[i]) < 0
          || regcomp (&rx, anchored, REG_EXTENDED | REG_NOSUB) != 0)
        abort ();
      p = load (text);
      for (size_t j = 0; args[j]; j++)
        {
          cleanup_error confine_error_t err = NULL;
          cleanup_free char *aj = json_string (args[j]);
          cleanup_free char *spec_text = NULL;
          confine_spec_t *spec = NULL;
          char *fact = NULL;
          bool want = regexec (&rx, args[j], 0, NULL, 0) == 0;
          if (asprintf (&spec_text, HOOK ("prestart", "/usr/bin/lit", ",\"args\":[%s]"), aj) < 0
              || confine_spec_parse (spec_text, strlen (spec_text), &spec, NULL, &err) < 0)
            abort ();
          if (passes (p, spec, &fact) != want && wrong++ == 0)
            first = args[j];
          free (fact);
          confine_spec_free (spec);
        }
      CHECK (wrong == 0, "patterns judged as regexec judges them",
             "`%s`: %zu arguments judged otherwise, the first `%s`", patterns[i], wrong,
             first ? first : "");
      regfree (&rx);
      confine_policy_free (p);
    }
}

/* Docker's real default spec, with the shipped policy: its network hook
 * passes when /proc/<pid>/exe is dockerd, and not when it is another file. */
static void
docker_fixture (void)
{
  size_t len;
  char *shipped = harness_read ("config/policy.json", &len);
  confine_policy_t *p = load (shipped);
  confine_spec_t *spec = harness_docker_fixture ("default");
  confine_hook_t *h = &spec->hooks[CONFINE_HOOK_PRESTART][0];
  /* It stands in for the dockerd that wrote the fixture. */
  pid_t dockerd = stopped_exec ("/usr/sbin/dockerd");
  char *fact = NULL;
  bool ok;

  if (dockerd < 0)
    CHECK (false, "Docker's network hook passes with the shipped policy",
           "cannot start /usr/sbin/dockerd stopped at exec");
  else
    {
      free (h->path);
      if (asprintf (&h->path, "/proc/%d/exe", (int) dockerd) < 0)
        abort ();
      ok = passes (p, spec, &fact);
      CHECK (ok, "Docker's network hook passes with the shipped policy", "%s", fact);
      free (fact);
      kill (dockerd, SIGKILL);
      waitpid (dockerd, NULL, 0);
    }
  free (h->path);
  h->path = strdup (self_exe);
  ok = passes (p, spec, &fact);
  CHECK (!ok && strstr (fact, "libnetwork-setkey"),
         "the same hook through another binary is refused", "%s", fact);
  free (fact);
  confine_spec_free (spec);
  confine_policy_free (p);
  free (shipped);
}

static void
policy_errors (void)
{
  static const struct
  {
    const char *name, *hooks, *error;
  } bad[] = {
    { "a relative path is refused", "[{\"path\":\"dockerd\",\"args\":[\"x\"]}]",
      "must be an absolute path" },
    { "an entry without args is refused", "[{\"path\":\"/x\"}]", "must give a pattern" },
    { "an invalid pattern is refused", "[{\"path\":\"/x\",\"args\":[\"(\"]}]",
      "invalid regular expression" },
    { "an invalid env pattern is refused", "[{\"path\":\"/x\",\"args\":[\"x\"],\"env\":[\"[\"]}]",
      "invalid regular expression" },
    { "an unknown key is refused", "[{\"path\":\"/x\",\"args\":[\"x\"],\"stage\":\"prestart\"}]",
      "unknown key `stage`" },
  };
  for (size_t i = 0; i < sizeof (bad) / sizeof (bad[0]); i++)
    {
      cleanup_error confine_error_t err = NULL;
      confine_policy_t *p = NULL;
      char *text = NULL;
      if (asprintf (&text, "{\"hooks\":{\"allowed\":%s}}", bad[i].hooks) < 0)
        abort ();
      CHECK (confine_policy_parse (text, strlen (text), &p, &err) < 0
                 && strstr (err->msg, bad[i].error),
             bad[i].name, "%s", err ? err->msg : "accepted");
      confine_policy_free (p);
      free (text);
    }
}

static size_t
entries (const char *dir)
{
  size_t n = 0;
  DIR *d = opendir (dir);
  for (struct dirent *e; d && (e = readdir (d));)
    n += e->d_name[0] != '.';
  if (d)
    closedir (d);
  return n;
}

static bool
compiled (const confine_policy_t *p, size_t i)
{
  return p->hooks_allowed[i].rx->compiled;
}

/* A policy file's patterns: all compiled, so an invalid one refuses the
 * policy, at the first load with a cache directory, which records that
 * they compile; later loads believe the record and compile an entry when
 * a hook reaches it. */
static void
lazy_patterns (const char *dir)
{
  static const char spec_text[] = HOOK ("prestart", "@BIN@", SETKEY);
  char cache[PATH_MAX], *text, *expanded = expand (spec_text), *fact = NULL;
  cleanup_error confine_error_t err = NULL;
  confine_spec_t *spec = NULL;
  confine_policy_t *p;
  bool ok;

  snprintf (cache, sizeof (cache), "%s/cache", dir);
  if (asprintf (&text, "{\"cache_dir\":\"%s\",%s", cache, policy_text + 1) < 0
      || confine_spec_parse (expanded, strlen (expanded), &spec, NULL, &err) < 0)
    abort ();

  p = load (text);
  CHECK (compiled (p, 0) && compiled (p, 1) && entries (cache) == 1,
         "a policy file's first load compiles every hook pattern and records that they compile",
         "compiled %d %d, %zu cache entries", compiled (p, 0), compiled (p, 1), entries (cache));
  confine_policy_free (p);

  p = load (text);
  CHECK (!compiled (p, 0) && !compiled (p, 1),
         "a later load believes the record and compiles no pattern", "compiled %d %d",
         compiled (p, 0), compiled (p, 1));
  ok = passes (p, spec, &fact);
  CHECK (ok && compiled (p, 0) && !compiled (p, 1),
         "a hook compiles the one entry its path reaches, and is judged by it",
         "%s; compiled %d %d", fact, compiled (p, 0), compiled (p, 1));
  free (fact);
  confine_policy_free (p);

  /* The record vouches for those exact patterns: one that regcomp would
   * refuse, put in their place behind the record's back, is compiled
   * when a hook reaches it, and the rule fails instead of judging. */
  p = load (text);
  free (p->hooks_allowed[0].args[2]);
  p->hooks_allowed[0].args[2] = strdup ("[");
  ok = passes (p, spec, &fact);
  CHECK (!ok && strstr (fact, "invalid regular expression"),
         "an entry whose pattern does not compile when a hook reaches it fails the rule",
         "%s", fact);
  free (fact);
  confine_policy_free (p);

  {
    confine_policy_t *q = NULL;
    char *bad = NULL, *bad_expanded;
    /* Another pattern: no record, and the load refuses it whole. */
    if (asprintf (&bad, "{\"cache_dir\":\"%s\",\"hooks\":{\"allowed\":[{\"path\":\"/x\","
                        "\"args\":[\"(\"]}]}}", cache) < 0)
      abort ();
    bad_expanded = expand (bad);
    harness_write (policy_path, bad_expanded);
    confine_error_release (&err);
    CHECK (confine_policy_load (policy_path, false, &q, &err) < 0
               && strstr (err->msg, "invalid regular expression") && entries (cache) == 1,
           "a policy file with a pattern that does not compile is refused at load, and not "
           "recorded",
           "%s, %zu cache entries", err ? err->msg : "accepted", entries (cache));
    confine_policy_free (q);
    free (bad);
    free (bad_expanded);
  }
  confine_spec_free (spec);
  free (expanded);
  free (text);
  for (size_t i = 0; i < 2; i++)
    {
      DIR *d = opendir (cache);
      for (struct dirent *e; d && (e = readdir (d));)
        if (e->d_name[0] != '.')
          unlinkat (dirfd (d), e->d_name, 0);
      if (d)
        closedir (d);
    }
  rmdir (cache);
}

void
run_tests (void)
{
  char *dir = harness_tmpdir ();
  ssize_t n = readlink ("/proc/self/exe", bin, sizeof (bin) - 1);
  if (n <= 0)
    abort ();
  bin[n] = '\0';
  snprintf (self_exe, sizeof (self_exe), "/proc/%d/exe", (int) getpid ());
  snprintf (policy_path, sizeof (policy_path), "%s/policy.json", dir);
  snprintf (link_path, sizeof (link_path), "%s/setkey", dir);
  if (symlink (bin, link_path) < 0)
    abort ();
  table ();
  docker_fixture ();
  literal_patterns ();
  policy_errors ();
  lazy_patterns (dir);
  unlink (link_path);
  unlink (policy_path);
  rmdir (dir);
  free (dir);
}
