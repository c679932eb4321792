/* SPDX-License-Identifier: Apache-2.0 */
/* The Docker authorization plugin's judgement (src/authz.c), pure: a
 * request as dockerd forwards it in, a verdict out. One row per case;
 * `@` in a body is the test's directory (an ordinary host directory the
 * mounts rule allows). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "../../src/authz.h"
#include "../../base/utils.h"

enum want
{
  ALLOW,  /* not judged, or judged and allowed */
  REFUSE, /* the mounts rule refuses */
  ERROR,  /* cannot be judged: the plugin refuses */
};

static const struct
{
  const char *name;
  const char *method;
  const char *uri;
  const char *body; /* NULL: dockerd forwarded none */
  const char *content_length;
  const char *policy; /* extra policy JSON, or NULL */
  enum want want;
  const char *fact;
} cases[] = {
  /* Positive controls: normal Docker use passes. */
  { "a plain create passes", "POST", "/v1.41/containers/create?name=web",
    "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"default\"}}", NULL,
    NULL, ALLOW, NULL },
  { "a create binding an ordinary directory passes", "POST", "/v1.41/containers/create",
    "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"@:/data:ro\",\"@:/d2\"]}}", NULL, NULL,
    ALLOW, NULL },
  { "named and anonymous volumes of the local driver pass", "POST", "/v1.41/containers/create",
    "{\"Image\":\"b\",\"Volumes\":{\"/v\":{}},\"HostConfig\":{\"Binds\":[\"myvol:/x\",\"/anon\"],"
    "\"VolumeDriver\":\"local\",\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v2\",\"Target\":\"/y\"},"
    "{\"Type\":\"tmpfs\",\"Target\":\"/t\"}]}}",
    NULL, NULL, ALLOW, NULL },
  { "a tmpfs volume passes", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"t\",\"DriverOpts\":{\"type\":\"tmpfs\",\"device\":\"tmpfs\",\"o\":\"size=10m\"}}",
    NULL, NULL, ALLOW, NULL },
  { "a volume without options passes", "POST", "/volumes/create", "{\"Name\":\"v\"}", NULL, NULL,
    ALLOW, NULL },
  { "a volume binding an ordinary directory passes", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"@\"}}", NULL,
    NULL, ALLOW, NULL },
  { "requests that mount nothing are not judged", "GET", "/v1.41/containers/json", NULL, NULL,
    NULL, ALLOW, NULL },
  { "docker cp passes with authz.copy allow", "PUT", "/v1.41/containers/abc/archive?path=/x",
    NULL, NULL, "\"authz\":{\"copy\":\"allow\"}", ALLOW, NULL },
  { "a container's other requests are not judged", "GET", "/v1.41/containers/archive/json", NULL,
    NULL, NULL, ALLOW, NULL },
  { "a container named archive is not docker cp", "DELETE", "/v1.41/containers/archive", NULL,
    NULL, NULL, ALLOW, NULL },
  { "start at API 1.24 and later has no body to judge", "POST", "/v1.41/containers/abc/start",
    NULL, NULL, NULL, ALLOW, NULL },
  { "a legacy start with an empty body passes", "POST", "/v1.23/containers/abc/start", NULL, "0",
    NULL, ALLOW, NULL },
  /* F-02: the binds docker cp would reach. */
  { "Binds of /etc is refused", "POST", "/v1.41/containers/create",
    "{\"Image\":\"busybox\",\"HostConfig\":{\"Binds\":[\"/etc:/hostetc\"]}}", NULL, NULL, REFUSE,
    "bind mount of `/etc` at `/hostetc` (/etc) exposes the host's `/etc`" },
  { "Binds of /etc without a version prefix is refused", "POST", "/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/hostetc:ro,rprivate\"]}}", NULL, NULL, REFUSE,
    "exposes the host's `/etc`" },
  { "a read-only bind of /etc is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x:ro\"]}}", NULL, NULL, REFUSE, "`/etc`" },
  { "Binds cleaned by dockerd are judged cleaned", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/usr/../etc/:/x\"]}}", NULL, NULL, REFUSE, "(/etc) exposes" },
  { "the deprecated top-level Binds is judged", "POST", "/v1.41/containers/create",
    "{\"Image\":\"b\",\"Binds\":[\"/etc:/x\"],\"HostConfig\":{}}", NULL, NULL, REFUSE, "`/etc`" },
  { "a Mounts bind of /root is refused", "POST", "/v1.43/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/root\",\"Target\":\"/x\","
    "\"BindOptions\":{\"NonRecursive\":true}}]}}",
    NULL, NULL, REFUSE, "`/root`" },
  { "a Mounts volume with o=bind device=/etc is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\","
    "\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"local\",\"Options\":{\"type\":\"none\","
    "\"o\":\"bind,rw\",\"device\":\"/etc\"}}}}]}}",
    NULL, NULL, REFUSE, "bind mount of `/etc`" },
  { "a volume with o=bind device=/etc is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"/etc\"}}", NULL,
    NULL, REFUSE, "bind mount of `/etc` at `volume v`" },
  { "a volume of a host disk is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"ext4\",\"device\":\"/dev/sda1\"}}", NULL, NULL,
    REFUSE, "`ext4` filesystem of `/dev/sda1`" },
  { "a volume that is the host's proc is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"proc\",\"device\":\"proc\"}}", NULL, NULL, REFUSE,
    "`proc` filesystem of `proc` that dockerd mounts itself" },
  { "a volume binding a relative path is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"none\",\"o\":\"rbind\",\"device\":\"etc\"}}", NULL,
    NULL, REFUSE, "relative path `etc`" },
  { "a volume driver plugin is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"Driver\":\"local-persist\",\"DriverOpts\":{\"mountpoint\":\"/etc\"}}", NULL,
    NULL, REFUSE, "volume driver `local-persist`" },
  { "a container's VolumeDriver plugin is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"v:/x\"],\"VolumeDriver\":\"local-persist\"}}", NULL, NULL,
    REFUSE, "volume driver `local-persist`" },
  { "a Mounts volume of a driver plugin is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\","
    "\"VolumeOptions\":{\"DriverConfig\":{\"Name\":\"x\"}}}]}}",
    NULL, NULL, REFUSE, "volume driver `x`" },
  { "an unknown mount type is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"npipe\",\"Source\":\"/etc\",\"Target\":\"/x\"}]}}",
    NULL, NULL, REFUSE, "type `npipe`" },
  { "a service's bind is refused", "POST", "/v1.41/services/create",
    "{\"Name\":\"s\",\"TaskTemplate\":{\"ContainerSpec\":{\"Image\":\"b\",\"Mounts\":[{\"Type\":"
    "\"bind\",\"Source\":\"/etc\",\"Target\":\"/x\"}]}}}",
    NULL, NULL, REFUSE, "`/etc`" },
  { "a service update's bind is refused", "POST", "/v1.41/services/abc/update?version=3",
    "{\"TaskTemplate\":{\"ContainerSpec\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"/root\","
    "\"Target\":\"/x\"}]}}}",
    NULL, NULL, REFUSE, "`/root`" },
  { "a legacy start's HostConfig is judged", "POST", "/v1.23/containers/abc/start",
    "{\"Binds\":[\"/etc:/x\"]}", "22", NULL, REFUSE, "`/etc`" },
  /* F-04, F-02: docker cp, every route dockerd serves for it, every
   * spelling the router reads. */
  { "docker cp into a container is refused", "PUT", "/v1.41/containers/abc/archive?path=/x",
    NULL, NULL, NULL, REFUSE,
    "mounts: docker cp (PUT /v1.41/containers/abc/archive?path=/x): dockerd re-mounts the "
    "container's volumes and binds by path" },
  { "docker cp out of a container is refused", "GET", "/containers/abc/archive?path=/x", NULL,
    NULL, NULL, REFUSE, "(policy authz.copy)" },
  { "docker cp's stat is refused", "HEAD", "/v1.24/containers/abc/archive?path=/x", NULL, NULL,
    NULL, REFUSE, "following links a running container may have planted" },
  { "the old copy endpoint is refused", "POST", "/v1.19/containers/abc/copy",
    "{\"Resource\":\"/etc\"}", NULL, NULL, REFUSE, "authz.copy" },
  { "the old copy endpoint without a body is refused", "POST", "/containers/abc/copy", NULL, NULL,
    NULL, REFUSE, "authz.copy" },
  { "docker cp of a name with a slash is refused", "PUT", "/v1.41/containers/a/b/archive", NULL,
    NULL, NULL, REFUSE, "authz.copy" },
  { "docker cp in another method spelling is refused", "put", "/v1.41/containers/abc/archive",
    NULL, NULL, NULL, REFUSE, "authz.copy" },
  { "docker cp percent-encoded is refused", "PUT", "/v1.41/containers/abc/%61rchive?path=/x",
    NULL, NULL, NULL, REFUSE, "authz.copy" },
  { "docker cp with dot segments is refused", "GET",
    "/v1.41/containers/abc/../abc/./archive?path=/x", NULL, NULL, NULL, REFUSE, "authz.copy" },
  { "docker cp as an absolute-form target is refused", "PUT",
    "http://docker/v1.41/containers/abc//archive", NULL, NULL, NULL, REFUSE, "authz.copy" },
  { "docker cp with a `#` in the name is refused", "PUT", "/containers/a#/archive", NULL, NULL,
    NULL, REFUSE, "authz.copy" },
  { "audit mode allows docker cp and logs it", "PUT", "/v1.41/containers/abc/archive", NULL, NULL,
    "\"mode\":\"audit\"", ALLOW, NULL },
  { "authz.copy refuse is the default, and may be said", "PUT", "/v1.41/containers/abc/archive",
    NULL, NULL, "\"authz\":{\"copy\":\"refuse\"}", REFUSE, "authz.copy" },
  /* F-05: what dockerd mounts for a local volume is the host's instance. */
  { "an mqueue volume is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"q\",\"DriverOpts\":{\"type\":\"mqueue\",\"device\":\"mqueue\"}}", NULL,
    NULL, REFUSE, "volume q is a `mqueue` filesystem of `mqueue` that dockerd mounts itself" },
  { "an mqueue volume is refused although mounts.allowed_types lists it", "POST",
    "/v1.41/volumes/create",
    "{\"Name\":\"q\",\"DriverOpts\":{\"type\":\"mqueue\",\"device\":\"mqueue\"}}", NULL,
    "\"mounts\":{\"allowed_types\":[\"mqueue\",\"proc\",\"sysfs\",\"ext4\"]}", REFUSE,
    "mounts.allowed_volume_devices" },
  { "a Mounts volume of mqueue is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/q\","
    "\"VolumeOptions\":{\"DriverConfig\":{\"Options\":{\"type\":\"mqueue\","
    "\"device\":\"mqueue\"}}}}]}}",
    NULL, NULL, REFUSE, "`mqueue`" },
  { "a sysfs volume is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"sysfs\",\"device\":\"sysfs\"}}", NULL,
    NULL, REFUSE, "`sysfs` filesystem" },
  { "a volume with a device and no type is refused", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"device\":\"/dev/sda1\"}}", NULL, NULL, REFUSE,
    "mounts.allowed_volume_devices" },
  { "a disk listed in mounts.allowed_volume_devices passes", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"v\",\"DriverOpts\":{\"type\":\"ext4\",\"device\":\"/dev/sdz9\"}}", NULL,
    "\"mounts\":{\"allowed_volume_devices\":[\"/dev/sdz*\"]}", ALLOW, NULL },
  { "a tmpfs volume passes without a device", "POST", "/v1.41/volumes/create",
    "{\"Name\":\"t\",\"DriverOpts\":{\"type\":\"tmpfs\"}}", NULL, NULL, ALLOW, NULL },
  /* F-06: dockerd's copy-up at create, judged by the request alone. */
  { "a copy into an anonymous volume binding a host directory is refused", "POST",
    "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"VolumeOptions\":"
    "{\"DriverConfig\":{\"Options\":{\"type\":\"none\",\"o\":\"bind\",\"device\":\"@\"}}}}]}}",
    NULL, NULL, REFUSE, "setuid programs with their modes" },
  { "the same volume with NoCopy passes", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Target\":\"/x\",\"VolumeOptions\":"
    "{\"NoCopy\":true,\"DriverConfig\":{\"Options\":{\"type\":\"none\",\"o\":\"bind\","
    "\"device\":\"@\"}}}}]}}",
    NULL, NULL, ALLOW, NULL },
  { "a key Go would fold onto NoCopy is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\",\"Target\":\"/x\","
    "\"VolumeOptions\":{\"nocopy\":true}}]}}",
    NULL, NULL, ERROR, "NoCopy" },
  { "a service's copy into a named volume is refused", "POST", "/v1.41/services/create",
    "{\"TaskTemplate\":{\"ContainerSpec\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\","
    "\"Target\":\"/x\"}]}}}",
    NULL, NULL, REFUSE, "swarm creates the service's containers without asking the plugin" },
  { "a service's named volume with NoCopy passes", "POST", "/v1.41/services/create",
    "{\"TaskTemplate\":{\"ContainerSpec\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"v\","
    "\"Target\":\"/x\",\"VolumeOptions\":{\"NoCopy\":true}}]}}}",
    NULL, NULL, ALLOW, NULL },
  { "a copy into a name the local driver refuses is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"a/b:/x\"]}}", NULL, NULL, REFUSE,
    "not a name of the local driver" },
  { "a copy-up with dockerd's data root missing is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"v:/x\"]}}", NULL,
    "\"authz\":{\"docker_root\":\"/nonexistent/docker\"}", ERROR, "authz.docker_root" },
  { "a legacy start naming a volume copies nothing and passes", "POST",
    "/v1.23/containers/abc/start", "{\"Binds\":[\"v:/x\"]}", "17",
    "\"authz\":{\"docker_root\":\"/nonexistent/docker\"}", ALLOW, NULL },
  /* The path as dockerd's router reads it. */
  { "a percent-encoded path is decoded", "POST", "/v1.41/containers/%63reate",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, NULL, REFUSE, "`/etc`" },
  { "a path with dot segments is cleaned", "POST", "/v1.41/images/../containers/./create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, NULL, REFUSE, "`/etc`" },
  { "an absolute-form target is read for its path", "POST",
    "http://docker/v1.41/containers/create", "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL,
    NULL, REFUSE, "`/etc`" },
  { "the method in any case is judged", "post", "/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, NULL, REFUSE, "`/etc`" },
  { "a start with a `#` in the name is judged", "POST", "/v1.23/containers/a#/start",
    "{\"Binds\":[\"/etc:/x\"]}", "22", NULL, REFUSE, "`/etc`" },
  /* Policy: severity, audit mode and exemptions as for a container. */
  { "rules.mounts off allows", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, "\"rules\":{\"mounts\":\"off\"}", ALLOW,
    NULL },
  { "audit mode allows what it would refuse", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, "\"mode\":\"audit\"", ALLOW, NULL },
  /* Fail closed: what cannot be judged is refused. */
  { "a create whose body was not forwarded is refused", "POST", "/v1.41/containers/create", NULL,
    NULL, NULL, ERROR, "did not forward the body" },
  { "a legacy start whose body was not forwarded is refused", "POST",
    "/v1.23/containers/abc/start", NULL, "900", NULL, ERROR, "did not forward" },
  { "a legacy start with a chunked body is refused", "POST", "/v1.12/containers/abc/start", NULL,
    NULL, NULL, ERROR, "did not forward" },
  { "a body that is not JSON is refused", "POST", "/v1.41/containers/create", "{\"HostConfig\":",
    NULL, NULL, ERROR, "JSON" },
  { "a body that is not an object is refused", "POST", "/v1.41/containers/create", "[1]", NULL,
    NULL, ERROR, "object" },
  { "a Binds that is not a list is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":\"/etc:/x\"}}", NULL, NULL, ERROR, "Binds" },
  { "a key Go would fold onto HostConfig is refused", "POST", "/v1.41/containers/create",
    "{\"hostconfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, NULL, ERROR, "hostconfig" },
  { "a key Go would fold onto Binds (long s) is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Bind\\u017f\":[\"/etc:/x\"]}}", NULL, NULL, ERROR, "Binds" },
  { "a duplicated HostConfig is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Binds\":[\"/etc:/x\"]},\"HostConfig\":{}}", NULL, NULL, ERROR,
    "HostConfig" },
  { "trailing data after the body is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{}} {\"HostConfig\":{\"Binds\":[\"/etc:/x\"]}}", NULL, NULL, ERROR, "JSON" },
  { "comments in the body are refused", "POST", "/v1.41/containers/create",
    "{/* x */\"HostConfig\":{}}", NULL, NULL, ERROR, "JSON" },
  { "a Mounts bind with a relative Source is refused", "POST", "/v1.41/containers/create",
    "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"bind\",\"Source\":\"etc\",\"Target\":\"/x\"}]}}",
    NULL, NULL, ERROR, "absolute" },
  { "a bad escape in the path is refused", "POST", "/v1.41/containers/%zzcreate", "{}", NULL, NULL,
    ERROR, "escape" },
  { "an escaped NUL in the path is refused", "POST", "/v1.41/containers/create%00", "{}", NULL,
    NULL, ERROR, "NUL" },
  { "a target that is not a path is refused", "POST", "containers/create", "{}", NULL, NULL, ERROR,
    "not a path" },
};

static void
run_case (size_t i, const char *dir)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *body = cases[i].body ? harness_replace (cases[i].body, '@', dir) : NULL;
  /* dockerd's data root: the test's empty one, unless the case sets authz. */
  confine_policy_t *p = cases[i].policy && strstr (cases[i].policy, "\"authz\"")
                            ? harness_policy ("{%s}", cases[i].policy)
                            : harness_policy ("{\"authz\":{\"docker_root\":\"%s/docker\"}%s%s}", dir,
                                              cases[i].policy ? "," : "",
                                              cases[i].policy ? cases[i].policy : "");
  confine_authz_request_t req = { .method = (char *) cases[i].method,
                                  .uri = (char *) cases[i].uri,
                                  .body = (unsigned char *) body,
                                  .body_len = body ? strlen (body) : 0,
                                  .content_length = (char *) cases[i].content_length };
  confine_authz_kind_t kind = CONFINE_AUTHZ_OTHER;
  confine_verdict_t v = { 0 };
  cleanup_free char *summary = NULL;
  enum want got;
  const char *said = NULL;
  int ret = confine_authz_classify (&req, &kind, &err);

  if (ret == 0 && kind != CONFINE_AUTHZ_OTHER)
    ret = confine_authz_judge (p, &req, kind, NULL, NULL, &v, &err);
  if (ret < 0)
    {
      got = ERROR;
      said = err->msg;
    }
  else if (kind == CONFINE_AUTHZ_OTHER)
    got = ALLOW;
  else
    {
      if (confine_verdict_summary (&v, &summary, &err) < 0)
        abort ();
      got = v.refused ? REFUSE : ALLOW;
      said = summary;
    }
  CHECK (got == cases[i].want && (cases[i].fact == NULL || (said && strstr (said, cases[i].fact))),
         cases[i].name, "got %d (%s), want %d with `%s`", got, said ? said : "",
         cases[i].want, cases[i].fact ? cases[i].fact : "");
  if (cases[i].policy && strstr (cases[i].policy, "audit"))
    CHECK (v.would_refuse && !v.refused, "audit mode still names what it would refuse",
           "would_refuse %d refused %d", v.would_refuse, v.refused);
  confine_verdict_clear (&v);
  confine_policy_free (p);
}

static int
parse (const char *doc, confine_authz_request_t *req, confine_error_t *err)
{
  return confine_authz_request_parse (doc, strlen (doc), req, err);
}

/* The plugin's own request document, as dockerd marshals it. */
static void
request_documents (void)
{
  cleanup_error confine_error_t err = NULL;
  confine_authz_request_t req = { 0 };
  static const char ok[]
      = "{\"User\":\"\",\"RequestMethod\":\"POST\",\"RequestUri\":\"/v1.41/containers/create\","
        "\"RequestBody\":\"eyJIb3N0Q29uZmlnIjp7fX0=\",\"RequestHeaders\":{\"Content-Length\":"
        "\"17\",\"Content-Type\":\"application/json\"}}";
  static const char head[] = "{\"RequestMethod\":\"POST\",\"RequestUri\":\"/x\",\"RequestBody\":\"";
  char *huge = NULL;
  size_t n = (CONFINE_AUTHZ_MAX_BODY + 2) / 3 * 4 + 4;
  int ret;

  ret = parse (ok, &req, &err);
  CHECK (ret == 0 && req.body && strcmp ((char *) req.body, "{\"HostConfig\":{}}") == 0
             && req.content_length && strcmp (req.content_length, "17") == 0,
         "a request's base64 body and Content-Length are read", "ret %d", ret);
  confine_authz_request_clear (&req);

  ret = parse ("{\"RequestMethod\":\"GET\",\"RequestUri\":\"/_ping\"}", &req, &err);
  CHECK (ret == 0 && req.body == NULL, "a request without a body has none", "ret %d", ret);
  confine_authz_request_clear (&req);

  ret = parse ("{\"RequestMethod\":\"POST\",\"RequestUri\":\"/x\",\"RequestBody\":\"e30\"}", &req,
               &err);
  CHECK (ret < 0 && strstr (err->msg, "base64"), "a body that is not canonical base64 is refused",
         "ret %d: %s", ret, err ? err->msg : "");
  confine_error_release (&err);

  ret = parse ("{\"RequestUri\":\"/x\"}", &req, &err);
  CHECK (ret < 0, "a request without a method is refused", "ret %d: %s", ret, err ? err->msg : "");
  confine_error_release (&err);

  ret = parse ("not json", &req, &err);
  CHECK (ret < 0, "a request that is not JSON is refused", "ret %d: %s", ret, err ? err->msg : "");
  confine_error_release (&err);

  /* More than dockerd ever forwards. */
  huge = confine_xmalloc (n + sizeof (head) + 3);
  memcpy (huge, head, sizeof (head) - 1);
  memset (huge + sizeof (head) - 1, 'A', n);
  memcpy (huge + sizeof (head) - 1 + n, "\"}", 3);
  ret = parse (huge, &req, &err);
  CHECK (ret < 0 && strstr (err->msg, "more than dockerd forwards"),
         "a body larger than dockerd forwards is refused", "ret %d: %s", ret, err ? err->msg : "");
  confine_error_release (&err);
  free (huge);
}

/* One create body (`@` the test's directory) judged against dockerd's
 * data root DIR/docker and FLIGHTS: refused with FACT, or allowed (FACT
 * NULL). CLAIMS, when given, gets what it names. */
static void
copyup_case (const char *name, const char *dir, confine_copyup_flights_t *flights,
             const char *body, const char *fact, confine_copyup_claims_t *claims)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *b = harness_replace (body, '@', dir);
  cleanup_free char *summary = NULL;
  confine_policy_t *p = harness_policy ("{\"authz\":{\"docker_root\":\"%s/docker\"}}", dir);
  confine_authz_request_t req = { .method = (char *) "POST",
                                  .uri = (char *) "/v1.41/containers/create",
                                  .body = (unsigned char *) b,
                                  .body_len = strlen (b) };
  confine_verdict_t v = { 0 };
  int ret = confine_authz_judge (p, &req, CONFINE_AUTHZ_CONTAINER_CREATE, flights, claims, &v, &err);

  if (ret == 0 && confine_verdict_summary (&v, &summary, &err) < 0)
    abort ();
  CHECK (ret == 0 && v.refused == (fact != NULL) && (fact == NULL || strstr (summary, fact)), name,
         "ret %d refused %d: %s", ret, v.refused, ret < 0 ? err->msg : summary);
  confine_verdict_clear (&v);
  confine_policy_free (p);
}

static void
put (const char *dir, const char *rel, const char *text)
{
  cleanup_free char *path = confine_xasprintf ("%s/docker/%s", dir, rel);
  cleanup_free char *d = confine_xstrdup (path);
  cleanup_free char *cmd = NULL;
  *strrchr (d, '/') = '\0';
  cmd = confine_xasprintf ("mkdir -p '%s'", d);
  if (system (cmd) != 0)
    abort ();
  cleanup_free char *t = harness_replace (text, '@', dir);
  harness_write (path, t);
}

/* The data root read must be the asking dockerd's: it holds
 * volumes/metadata.db open. */
static void
peer (const char *dir)
{
  cleanup_error confine_error_t err = NULL;
  cleanup_free char *why = NULL;
  cleanup_free char *db = confine_xasprintf ("%s/docker/volumes/metadata.db", dir);
  confine_policy_t *p = harness_policy ("{\"authz\":{\"docker_root\":\"%s/docker\"}}", dir);
  confine_copyup_claims_t c = { 0 };
  int fd = -1, ret;

  harness_write (db, "");
  if (confine_copyup_claim_copy (&c, "fresh", "/data", NULL) < 0)
    abort ();
  ret = confine_copyup_judge (p, getpid (), &c, NULL, &why, &err);
  CHECK (ret < 0 && strstr (err->msg, "is not the data root of the dockerd that asked"),
         "a data root the asking process does not hold open is refused", "ret %d: %s", ret,
         ret < 0 ? err->msg : "");
  confine_error_release (&err);
  ret = confine_copyup_judge (p, -1, &c, NULL, &why, &err);
  CHECK (ret < 0 && strstr (err->msg, "SO_PEERCRED"), "an unknown peer is refused", "ret %d", ret);
  confine_error_release (&err);
  fd = open (db, O_RDONLY | O_CLOEXEC);
  ret = confine_copyup_judge (p, getpid (), &c, NULL, &why, &err);
  CHECK (ret == 0 && why == NULL, "the data root of the asking process is read", "ret %d: %s", ret,
         ret < 0 ? err->msg : why ? why : "");
  close (fd);
  unlink (db);
  confine_copyup_claims_clear (&c);
  confine_policy_free (p);
}

/* A process elsewhere binds a volume's data: a container started through
 * a link since retargeted, or another engine's. */
static int
bind_held (void *arg)
{
  const char *dir = arg;
  cleanup_free char *src = confine_xasprintf ("%s/docker/volumes/held/_data/sub", dir);
  cleanup_free char *dst = confine_xasprintf ("%s/mnt-held", dir);
  return mount (src, dst, NULL, MS_BIND, NULL);
}

/* F-06: what dockerd has on disk and what is in flight decide a copy. */
static void
copyup (const char *dir)
{
  confine_copyup_flights_t *f = confine_copyup_flights_new ();
  confine_copyup_claims_t c = { 0 };
  cleanup_free char *swarm = confine_xasprintf ("%s/docker/swarm/docker-state.json", dir);
  unsigned char key[32] = { 1 }, key2[32] = { 2 };
  pid_t child;
  int pidfd, hold[2];

  put (dir, "volumes/bv/opts.json",
       "{\"MountType\":\"none\",\"MountOpts\":\"bind\",\"MountDevice\":\"@\",\"Quota\":{}}");
  put (dir, "volumes/tv/opts.json", "{\"MountType\":\"tmpfs\",\"MountOpts\":\"size=1m\","
                                    "\"MountDevice\":\"tmpfs\"}");
  put (dir, "volumes/wv/opts.json",
       "{\"MountType\":\"none\",\"MountOpts\":\"bind\",\"MountDevice\":\"@/docker/volumes/viaw/_data\"}");
  put (dir, "containers/c1aaaaaaaaaaaaaaaa/config.v2.json",
       "{\"ID\":\"c1\",\"MountPoints\":{\"/v\":{\"Name\":\"shared\",\"Source\":"
       "\"@/docker/volumes/shared/_data\",\"Destination\":\"/v\",\"Type\":\"volume\","
       "\"Driver\":\"local\",\"RW\":true}}}");
  put (dir, "containers/c2/config.v2.json",
       "{\"MountPoints\":{\"/b\":{\"Name\":\"\",\"Source\":\"@/docker/volumes/bound/_data/sub\","
       "\"Type\":\"bind\"},\"/w\":{\"Name\":\"wv\",\"Source\":\"@/docker/volumes/wv/_data\","
       "\"Type\":\"volume\",\"Driver\":\"local\"}}}");
  put (dir, "containers/c3/config.v2.json", "{\"MountPoints\":null}");

  copyup_case ("a copy into a new volume nobody mounts passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fresh:/data\"]}}", NULL, NULL);
  copyup_case ("a copy into a volume binding a host directory is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"bv:/data\"]}}",
               "volume bv at /data: dockerd copies the image's /data into it at create", NULL);
  copyup_case ("the refusal says how to mount it without the copy", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"bv:/data\"]}}",
               "`-v bv:/data:nocopy`, or `--mount type=volume,src=bv,dst=/data,volume-nocopy`",
               NULL);
  copyup_case ("the same volume with nocopy passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"bv:/data:ro,nocopy\"]}}", NULL, NULL);
  copyup_case ("a copy into a tmpfs volume passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"tv:/data\"]}}", NULL, NULL);
  copyup_case ("a copy into a volume another container mounts is refused", dir, f,
               "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"shared\","
               "\"Target\":\"/data\"}]}}",
               "container c1aaaaaaaaaa mounts it at /v, which could write into it", NULL);
  copyup_case ("sharing it with NoCopy passes", dir, f,
               "{\"HostConfig\":{\"Mounts\":[{\"Type\":\"volume\",\"Source\":\"shared\","
               "\"Target\":\"/data\",\"VolumeOptions\":{\"NoCopy\":true}}]}}",
               NULL, NULL);
  copyup_case ("a copy into a volume whose data another container binds is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"bound:/data\"]}}", "container c2's mount at /b",
               NULL);
  copyup_case ("a copy into a volume another volume binds is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"viaw:/data\"]}}", "container c2's mount at /w",
               NULL);
  put (dir, "swarm/docker-state.json", "{}");
  copyup_case ("a copy in swarm mode is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fresh:/data\"]}}", "swarm mode", NULL);
  unlink (swarm);

  put (dir, "volumes/held/_data/sub/f", "");
  put (dir, "../mnt-held/f", "");
  child = harness_in_own_mount_ns (bind_held, (void *) dir);
  copyup_case ("a copy into a volume whose data another mount namespace holds is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"held:/data\"]}}", "has it mounted at", NULL);
  harness_stop (child);
  copyup_case ("once it is gone, the copy passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"held:/data\"]}}", NULL, NULL);

  /* In flight: a create copying into `fl`, between its AuthZReq and AuthZRes. */
  copyup_case ("a copy into fl passes", dir, f, "{\"HostConfig\":{\"Binds\":[\"fl:/data\"]}}",
               NULL, &c);
  CHECK (confine_copyup_flights_add (f, key, &c, -1, NULL) == 0 && confine_copyup_flights_count (f) == 1,
         "the copy is recorded in flight", "count %zu", confine_copyup_flights_count (f));
  copyup_case ("joining fl during the copy is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl:/x:nocopy\"]}}",
               "volume fl is being initialised from an image by a create dockerd has not answered",
               NULL);
  copyup_case ("binding fl's data during the copy is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"@/docker/volumes/fl/_data:/x\"]}}",
               "volume fl is being initialised", NULL);
  copyup_case ("another copy into fl during the copy is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl:/y\"]}}", "volume fl is being initialised",
               NULL);
  copyup_case ("another volume passes during the copy", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"other:/y\"]}}", NULL, NULL);
  CHECK (!confine_copyup_flights_release (f, key2) && confine_copyup_flights_release (f, key),
         "the AuthZRes of the same request ends the flight, another does not", "count %zu",
         confine_copyup_flights_count (f));
  copyup_case ("joining fl after the copy passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl:/x:nocopy\"]}}", NULL, NULL);

  /* A copy the mounts rule did not judge (audited, or the rule off) has
   * no data directory recorded: other requests still pass. */
  if (confine_copyup_claim_copy (&c, "unjudged", "/data", NULL) < 0
      || confine_copyup_flights_add (f, key2, &c, -1, NULL) < 0)
    abort ();
  copyup_case ("an unjudged copy in flight holds nothing", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"unjudged:/x:nocopy\"]}}", NULL, NULL);
  confine_copyup_flights_release (f, key2);

  /* In flight: a create naming fl2, not on disk yet. */
  copyup_case ("a create naming fl2 passes", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl2:/x:nocopy\"]}}", NULL, &c);
  if (pipe (hold) < 0)
    abort ();
  child = fork ();
  if (child == 0)
    {
      char b;
      close (hold[1]);
      _exit (read (hold[0], &b, 1) < 0);
    }
  close (hold[0]);
  pidfd = (int) syscall (SYS_pidfd_open, child, 0);
  CHECK (pidfd >= 0 && confine_copyup_flights_add (f, key, &c, pidfd, NULL) == 0, "recorded", "pidfd %d",
         pidfd);
  copyup_case ("a copy into fl2 while a create naming it is in flight is refused", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl2:/data\"]}}", "another request naming it is in flight",
               NULL);
  close (hold[1]); /* the dockerd that asked ends */
  waitpid (child, NULL, 0);
  copyup_case ("a flight whose dockerd has ended is dropped", dir, f,
               "{\"HostConfig\":{\"Binds\":[\"fl2:/data\"]}}", NULL, NULL);
  CHECK (confine_copyup_flights_count (f) == 0, "no flight is left", "count %zu",
         confine_copyup_flights_count (f));
  confine_copyup_flights_free (f);
  peer (dir);
}

void
run_tests (void)
{
  cleanup_free char *dir = harness_tmpdir ();
  cleanup_free char *root = confine_xasprintf ("mkdir -p %s/docker/volumes %s/docker/containers", dir, dir);
  if (system (root) != 0)
    abort ();
  for (size_t i = 0; i < sizeof (cases) / sizeof (cases[0]); i++)
    run_case (i, dir);
  request_documents ();
  copyup (dir);
}
