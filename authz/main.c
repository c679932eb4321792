/* SPDX-License-Identifier: Apache-2.0 */
/* confine-authz: a Docker authorization plugin that refuses the API
 * requests whose host paths the mounts rule refuses.
 *
 *   confine-authz [--policy FILE] [--socket PATH]
 *
 * dockerd serves `docker cp` itself, mounting a created container's binds
 * and volumes as root without calling any runtime, so the runtime gate
 * never sees it (src/authz.h). This plugin judges the creates instead.
 *
 * The plugin API (moby pkg/plugins, pkg/authorization) is HTTP/1.1 on a
 * unix socket, one JSON document per call: `POST /Plugin.Activate`,
 * `POST /AuthZPlugin.AuthZReq` and `POST /AuthZPlugin.AuthZRes`. dockerd
 * is the only client (the socket is root's alone). One process, one
 * thread, poll(2): every connection has a bounded request size and a
 * deadline, so no client can hold the others up, and every answer closes
 * its connection. Any error is a refusal; dockerd itself refuses a request
 * when the plugin cannot be reached or does not answer. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../front/report.h"
#include "../src/authz.h"
#include "../base/utils.h"

#define DEFAULT_SOCKET "/run/docker/plugins/confine-authz.sock"
/* A plugin request is the API request's body in base64 (under 1 MiB
 * decoded) plus its headers, which net/http bounds at 1 MiB. */
#define MAX_REQUEST (4u << 20)
#define MAX_HEADER (64u << 10)
#define MAX_CONNS 64
/* From accept to the last byte of the answer. dockerd's own client gives
 * up on a plugin after 30 s. */
#define DEADLINE_MS 10000

typedef struct
{
  int fd;
  char *buf;
  size_t len, cap;
  long long deadline;
} conn_t;

static const char *policy_path = CONFINE_DEFAULT_POLICY;
/* The requests naming volumes that were allowed and that dockerd has not
 * answered yet (src/copyup.h): a create copies an image into a volume
 * between its AuthZReq and its AuthZRes, and nothing may join the volume
 * meanwhile. In memory: a restart of the plugin forgets them. */
static confine_copyup_flights_t *flights;

static long long
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
usage (FILE *f)
{
  fprintf (f, "usage: confine-authz [--policy FILE] [--socket PATH] | --version | --help\n"
              "A Docker authorization plugin: refuses container, volume and service creates\n"
              "whose host paths the mounts rule refuses, and docker cp (authz.copy).\n"
              "Listens on PATH (default %s),\n"
              "or on the socket systemd passes (LISTEN_FDS).\n",
           DEFAULT_SOCKET);
}

/* The process at the other end of FD (dockerd, waiting for our answer,
 * so the pid is still its own), or -1. */
static pid_t
peer_pid (int fd)
{
  struct ucred cred;
  socklen_t n = sizeof (cred);
  if (getsockopt (fd, SOL_SOCKET, SO_PEERCRED, &cred, &n) < 0 || cred.pid <= 0)
    return -1;
  return cred.pid;
}

/* The verdict on one AuthZReq from the peer on FD, as the plugin's
 * answer: ALLOW and MSG. */
static void
judge (int fd, const char *body, size_t len, bool *allow, char **msg)
{
  cleanup_error confine_error_t err = NULL;
  confine_authz_request_t req = { 0 };
  confine_authz_kind_t kind = CONFINE_AUTHZ_OTHER;
  confine_policy_t *policy = NULL;
  confine_verdict_t v = { 0 };
  confine_log_entry_t entry = { .component = "authz" };
  cleanup_free char *summary = NULL;
  confine_copyup_claims_t claims = { 0 };

  *allow = false;
  if (confine_authz_request_parse (body, len, &req, &err) < 0
      || confine_authz_classify (&req, &kind, &err) < 0)
    goto error;
  req.peer = peer_pid (fd);
  if (kind == CONFINE_AUTHZ_OTHER)
    {
      *allow = true;
      goto out;
    }
  entry.action = confine_authz_action (kind);
  entry.id = req.uri;
  if (confine_policy_load (policy_path, true, &policy, &err) < 0
      || confine_authz_judge (policy, &req, kind, flights, &claims, &v, &err) < 0
      || confine_verdict_summary (&v, &summary, &err) < 0)
    goto error;
  /* Held until dockerd's AuthZRes for the same request, or its end. */
  if (!v.refused && !confine_copyup_claims_empty (&claims))
    {
      unsigned char key[32];
      int pidfd = req.peer > 0 ? (int) syscall (SYS_pidfd_open, req.peer, 0) : -1;
      confine_copyup_key (req.method, req.uri, req.body, req.body_len, key);
      if (confine_copyup_flights_add (flights, key, &claims, pidfd, &err) < 0)
        goto error;
    }
  confine_report_log (policy, &entry, &v);
  *allow = !v.refused;
  if (v.would_refuse)
    {
      *msg = confine_xasprintf ("confine: %s", summary);
      fprintf (stderr, "%s (%s %s)\n", *msg, req.method, req.uri);
    }
  goto out;

error:
  fprintf (stderr, "confine: refused: %s\n", err->msg);
  *msg = confine_xasprintf ("confine: refused: %s", err->msg);
  if (entry.action)
    {
      entry.error = err->msg;
      confine_report_log (policy, &entry, NULL);
    }
out:
  confine_copyup_claims_clear (&claims);
  confine_verdict_clear (&v);
  if (policy)
    confine_policy_free (policy);
  confine_authz_request_clear (&req);
}

/* An AuthZRes: dockerd has answered the request it carries (the same
 * method, target and body as its AuthZReq), so a flight of it ends. The
 * response itself is allowed as dockerd made it. */
static void
answered (const char *body, size_t len)
{
  cleanup_error confine_error_t err = NULL;
  confine_authz_request_t req = { 0 };
  unsigned char key[32];

  if (confine_copyup_flights_count (flights) == 0)
    return;
  if (confine_authz_request_parse (body, len, &req, &err) < 0)
    {
      /* Its flight, if any, stays: requests naming its volumes wait for
       * dockerd's end rather than race a copy. */
      fprintf (stderr, "confine: AuthZRes: %s\n", err->msg);
      return;
    }
  confine_copyup_key (req.method, req.uri, req.body, req.body_len, key);
  confine_copyup_flights_release (flights, key);
  confine_authz_request_clear (&req);
}

static char *
json_answer (bool allow, const char *msg)
{
  cleanup_error confine_error_t err = NULL;
  confine_jgen_t *g = confine_jgen_new (CONFINE_JGEN_REPLACE_INVALID);
  char *out = NULL;

  confine_jgen_open (g, NULL, false);
  confine_jgen_bool (g, "Allow", allow);
  if (msg)
    confine_jgen_str (g, "Msg", msg);
  confine_jgen_close (g, false);
  if (confine_jgen_finish (g, &out, NULL, &err) < 0)
    return NULL;
  return out;
}

/* Write all of BUF before the deadline; the socket is non-blocking. */
static void
send_all (conn_t *c, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t n = write (c->fd, buf, len);
      if (n < 0 && errno == EAGAIN)
        {
          struct pollfd p = { .fd = c->fd, .events = POLLOUT };
          long long left = c->deadline - now_ms ();
          if (left <= 0 || poll (&p, 1, (int) left) <= 0)
            return;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      buf += n;
      len -= (size_t) n;
    }
}

static void
respond (conn_t *c, int status, const char *reason, const char *json)
{
  cleanup_free char *head = confine_xasprintf ("HTTP/1.1 %d %s\r\n"
                                               "Content-Type: application/vnd.docker.plugins.v1+json\r\n"
                                               "Content-Length: %zu\r\n"
                                               "Connection: close\r\n\r\n",
                                               status, reason, strlen (json));
  send_all (c, head, strlen (head));
  send_all (c, json, strlen (json));
}

/* A header's value in the block HDR (lines after the request line), by
 * case-insensitive name; NULL when absent. */
static const char *
header (const char *hdr, const char *name, size_t *vlen)
{
  size_t n = strlen (name);
  for (const char *l = hdr; l && *l; l = strstr (l, "\r\n"), l = l ? l + 2 : NULL)
    if (strncasecmp (l, name, n) == 0 && l[n] == ':')
      {
        const char *v = l + n + 1;
        v += strspn (v, " \t");
        *vlen = strcspn (v, "\r\n");
        while (*vlen > 0 && (v[*vlen - 1] == ' ' || v[*vlen - 1] == '\t'))
          (*vlen)--;
        return v;
      }
  return NULL;
}

/* Returns 1 when C holds a whole request and was answered, 0 when more is
 * needed, -1 when the connection is to be dropped (answered or not). */
static int
serve (conn_t *c)
{
  char *end = NULL, *sp1, *sp2;
  const char *cl, *body;
  size_t hlen, vlen = 0;
  uint64_t clen = 0;

  c->buf[c->len] = '\0';
  if ((end = strstr (c->buf, "\r\n\r\n")) == NULL)
    {
      if (c->len > MAX_HEADER)
        {
          respond (c, 431, "Request Header Fields Too Large", "{\"Err\":\"confine: header too large\"}");
          return -1;
        }
      return 0;
    }
  hlen = (size_t) (end - c->buf) + 4;
  if (header (strstr (c->buf, "\r\n") + 2, "Transfer-Encoding", &vlen))
    {
      respond (c, 411, "Length Required", "{\"Err\":\"confine: a Content-Length is required\"}");
      return -1;
    }
  if ((cl = header (strstr (c->buf, "\r\n") + 2, "Content-Length", &vlen)))
    {
      cleanup_free char *v = confine_xstrndup (cl, vlen);
      if (confine_parse_u64 (v, MAX_REQUEST, &clen) < 0)
        {
          respond (c, 413, "Payload Too Large", "{\"Err\":\"confine: bad or too large Content-Length\"}");
          return -1;
        }
    }
  if (c->len < hlen + clen)
    return 0;
  body = c->buf + hlen;
  /* The request line: METHOD SP TARGET SP VERSION. */
  sp1 = strchr (c->buf, ' ');
  sp2 = sp1 ? strchr (sp1 + 1, ' ') : NULL;
  if (sp1 == NULL || sp2 == NULL || sp2 > end)
    {
      respond (c, 400, "Bad Request", "{\"Err\":\"confine: bad request line\"}");
      return -1;
    }
  *sp1 = *sp2 = '\0';
  if (strcmp (c->buf, "POST") != 0)
    respond (c, 405, "Method Not Allowed", "{\"Err\":\"confine: only POST\"}");
  else if (strcmp (sp1 + 1, "/Plugin.Activate") == 0)
    respond (c, 200, "OK", "{\"Implements\":[\"authz\"]}");
  else if (strcmp (sp1 + 1, "/AuthZPlugin.AuthZRes") == 0)
    {
      c->buf[hlen + clen] = '\0';
      answered (body, (size_t) clen);
      respond (c, 200, "OK", "{\"Allow\":true}");
    }
  else if (strcmp (sp1 + 1, "/AuthZPlugin.AuthZReq") == 0)
    {
      cleanup_free char *msg = NULL;
      cleanup_free char *json = NULL;
      bool allow = false;
      /* The body ends the buffer (nothing is read past Content-Length
       * that matters): NUL-terminate it for the parser's messages. */
      c->buf[hlen + clen] = '\0';
      judge (c->fd, body, (size_t) clen, &allow, &msg);
      json = json_answer (allow, msg);
      if (json)
        respond (c, 200, "OK", json);
      else
        respond (c, 200, "OK", "{\"Allow\":false,\"Msg\":\"confine: refused: cannot write the answer\"}");
    }
  else
    respond (c, 404, "Not Found", "{\"Err\":\"confine: no such plugin method\"}");
  return 1;
}

static void
conn_close (conn_t *c)
{
  if (c->fd >= 0)
    close (c->fd);
  free (c->buf);
  memset (c, 0, sizeof (*c));
  c->fd = -1;
}

/* Read what C's peer sent; serve it once whole. False when C is done. */
static bool
conn_read (conn_t *c)
{
  for (;;)
    {
      ssize_t n;
      if (c->cap - c->len < 4096 + 1)
        {
          size_t cap = c->cap ? c->cap * 2 : 16384;
          if (cap > MAX_REQUEST + MAX_HEADER + 1)
            cap = MAX_REQUEST + MAX_HEADER + 1;
          if (cap - c->len < 2)
            {
              respond (c, 413, "Payload Too Large", "{\"Err\":\"confine: request too large\"}");
              return false;
            }
          c->buf = confine_xreallocarray (c->buf, cap, 1);
          c->cap = cap;
        }
      n = read (c->fd, c->buf + c->len, c->cap - c->len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return serve (c) == 0;
      if (n == 0)
        serve (c); /* a peer that sent it all and shut its side */
      if (n <= 0)
        return false;
      c->len += (size_t) n;
    }
}

/* A free slot for a new connection. When every slot is taken, the
 * oldest connection is dropped: clients that connect and say nothing can
 * delay an answer, never stop it. */
static conn_t *
slot (conn_t *conns)
{
  conn_t *oldest = &conns[0];
  for (size_t i = 0; i < MAX_CONNS; i++)
    {
      if (conns[i].fd < 0)
        return &conns[i];
      if (conns[i].deadline < oldest->deadline)
        oldest = &conns[i];
    }
  conn_close (oldest);
  return oldest;
}

/* The listening socket: systemd's (socket activation), or our own at PATH. */
static int
listener (const char *path, confine_error_t *err)
{
  const char *pid = getenv ("LISTEN_PID"), *fds = getenv ("LISTEN_FDS");
  struct sockaddr_un sa = { .sun_family = AF_UNIX };
  struct stat st;
  cleanup_close int fd = -1;

  if (pid && fds && strtol (pid, NULL, 10) == getpid () && strcmp (fds, "1") == 0)
    {
      if (fstat (3, &st) < 0 || !S_ISSOCK (st.st_mode))
        return confine_make_error (err, errno ? errno : ENOTSOCK, "LISTEN_FDS: fd 3 is not a socket");
      unsetenv ("LISTEN_PID");
      unsetenv ("LISTEN_FDS");
      if (fcntl (3, F_SETFD, FD_CLOEXEC) < 0 || fcntl (3, F_SETFL, O_NONBLOCK) < 0)
        return confine_make_error (err, errno, "socket from systemd");
      return 3;
    }
  if (strlen (path) >= sizeof (sa.sun_path))
    return confine_make_error (err, ENAMETOOLONG, "socket path `%s`", path);
  strcpy (sa.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return confine_make_error (err, errno, "socket");
  /* A socket left by an earlier run is replaced; anything else stays. */
  if (lstat (path, &st) == 0 && S_ISSOCK (st.st_mode) && unlink (path) < 0)
    return confine_make_error (err, errno, "remove the stale socket `%s`", path);
  umask (077);
  if (bind (fd, (struct sockaddr *) &sa, sizeof (sa)) < 0)
    return confine_make_error (err, errno, "bind `%s`", path);
  if (listen (fd, 128) < 0)
    return confine_make_error (err, errno, "listen on `%s`", path);
  return steal_fd (&fd);
}

int
main (int argc, char **argv)
{
  static const struct option opts[] = { { "policy", required_argument, NULL, 'p' },
                                        { "socket", required_argument, NULL, 's' },
                                        { "help", no_argument, NULL, 'h' },
                                        { "version", no_argument, NULL, 'V' },
                                        { NULL, 0, NULL, 0 } };
  cleanup_error confine_error_t err = NULL;
  const char *socket_path = DEFAULT_SOCKET;
  conn_t conns[MAX_CONNS];
  int lfd, c;

  while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1)
    switch (c)
      {
      case 'p':
        policy_path = optarg;
        break;
      case 's':
        socket_path = optarg;
        break;
      case 'h':
        usage (stdout);
        return 0;
      case 'V':
        printf ("confine-authz %s\n", CONFINE_VERSION);
        return 0;
      default:
        usage (stderr);
        return 2;
      }
  if (optind != argc)
    {
      usage (stderr);
      return 2;
    }
  /* A peer that goes away mid-answer must not end the plugin. */
  signal (SIGPIPE, SIG_IGN);
  if ((lfd = listener (socket_path, &err)) < 0)
    {
      fprintf (stderr, "confine: %s\n", err->msg);
      return 1;
    }
  for (size_t i = 0; i < MAX_CONNS; i++)
    conns[i] = (conn_t){ .fd = -1 };
  flights = confine_copyup_flights_new ();

  for (;;)
    {
      struct pollfd p[MAX_CONNS + 1];
      size_t idx[MAX_CONNS + 1], np = 0;
      long long now = now_ms (), wait = -1;

      for (size_t i = 0; i < MAX_CONNS; i++)
        if (conns[i].fd >= 0)
          {
            if (conns[i].deadline <= now)
              {
                conn_close (&conns[i]);
                continue;
              }
            p[np] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
            idx[np++] = i;
            if (wait < 0 || conns[i].deadline - now < wait)
              wait = conns[i].deadline - now;
          }
      p[np] = (struct pollfd){ .fd = lfd, .events = POLLIN };
      idx[np++] = MAX_CONNS;
      if (poll (p, np, (int) wait) < 0)
        {
          if (errno == EINTR)
            continue;
          fprintf (stderr, "confine: poll: %s\n", strerror (errno));
          return 1;
        }
      for (size_t k = 0; k < np; k++)
        {
          if (p[k].revents == 0)
            continue;
          if (idx[k] == MAX_CONNS)
            {
              int fd = accept4 (lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
              if (fd >= 0)
                *slot (conns) = (conn_t){ .fd = fd, .deadline = now_ms () + DEADLINE_MS };
              continue;
            }
          if (!conn_read (&conns[idx[k]]))
            conn_close (&conns[idx[k]]);
        }
    }
}
