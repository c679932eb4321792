/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "json.h"
#include "../base/utils.h"

/* No OCI document comes near these; they only stop a hostile one. */
#define MAX_CHILDREN (1u << 20)
#define MAX_NODES (1u << 19)

struct builder
{
  confine_json_arena_t *arena;
  confine_json_t *root;
  confine_json_t *stack[CONFINE_JSON_MAX_DEPTH + 1];
  size_t depth;
  char *pending_key;
  size_t nodes;
  confine_error_t *err;
  /* confine_json_parse_kept: the paths to build, NULL for all; SKIP counts
   * the open containers of a value being passed over. */
  const char *const *keep;
  size_t skip;
};

const char *
confine_json_type_name (confine_json_type_t t)
{
  switch (t)
    {
    case CONFINE_JSON_NULL:
      return "null";
    case CONFINE_JSON_BOOL:
      return "boolean";
    case CONFINE_JSON_NUMBER:
      return "number";
    case CONFINE_JSON_STRING:
      return "string";
    case CONFINE_JSON_OBJECT:
      return "object";
    case CONFINE_JSON_ARRAY:
      return "array";
    }
  return "unknown";
}

/* The parsed document's storage: chunks from malloc, used front to
 * back, freed together with the root. */
struct chunk
{
  struct chunk *next;
  size_t used, size;
  max_align_t data[];
};
struct confine_json_arena
{
  struct chunk *chunks;
  confine_json_t *root; /* the node whose free frees the arena */
  bool mixed;           /* a node of its own was given a child from elsewhere */
};

#define CHUNK_MIN (16u << 10)
#define CHUNK_MAX (256u << 10)

static void *
arena_alloc (confine_json_arena_t *a, size_t n, size_t align)
{
  struct chunk *c = a->chunks;
  size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;

  if (c == NULL || off + n > c->size)
    {
      /* Each chunk twice the last, so a large document needs few; a
       * request larger than that gets a chunk of its own size. */
      size_t size = c ? c->size * 2 : CHUNK_MIN;
      if (size > CHUNK_MAX)
        size = CHUNK_MAX;
      if (size < n)
        size = n;
      c = confine_xmalloc (sizeof (*c) + size);
      c->size = size;
      c->used = 0;
      c->next = a->chunks;
      a->chunks = c;
      off = 0;
    }
  c->used = off + n;
  return (char *) c->data + off;
}

static char *
arena_strndup (confine_json_arena_t *a, const char *s, size_t n)
{
  char *p = arena_alloc (a, n + 1, 1);
  memcpy (p, s, n);
  p[n] = '\0';
  return p;
}

static void
arena_free (confine_json_arena_t *a)
{
  for (struct chunk *c = a->chunks, *next; c; c = next)
    {
      next = c->next;
      free (c);
    }
  free (a);
}

void
confine_json_free (confine_json_t *node)
{
  /* Iterative, so a deep tree cannot overflow the stack while freed:
   * children are spliced onto a work list through their values array.
   * Arenas are freed last, once nothing on the list points into one. */
  confine_json_t **work = NULL;
  confine_json_arena_t **arenas = NULL;
  size_t n = 0, cap = 0, n_arenas = 0;

  if (node == NULL)
    return;
  /* Parsed nodes with no child from elsewhere (every document the hook
   * reads): nothing to walk, and only the root frees. */
  if (node->arena && !node->arena->mixed)
    {
      if (node->arena->root == node)
        arena_free (node->arena);
      return;
    }
  work = malloc (sizeof (*work) * 64);
  if (work == NULL)
    return; /* leaking beats crashing in a process about to exit */
  cap = 64;
  work[n++] = node;
  while (n > 0)
    {
      confine_json_t *cur = work[--n];
      for (size_t i = 0; i < cur->len; i++)
        {
          if (cur->keys && cur->arena == NULL)
            free (cur->keys[i]);
          if (cur->values && cur->values[i])
            {
              if (n == cap)
                {
                  confine_json_t **nw = reallocarray (work, cap * 2, sizeof (*work));
                  if (nw == NULL)
                    continue;
                  work = nw;
                  cap *= 2;
                }
              work[n++] = cur->values[i];
            }
        }
      if (cur->arena == NULL)
        {
          free (cur->keys);
          free (cur->values);
          free (cur->text);
          free (cur);
        }
      else if (cur->arena->root == cur)
        {
          confine_json_arena_t **na = reallocarray (arenas, n_arenas + 1, sizeof (*arenas));
          if (na == NULL)
            continue;
          arenas = na;
          arenas[n_arenas++] = cur->arena;
        }
    }
  for (size_t i = 0; i < n_arenas; i++)
    arena_free (arenas[i]);
  free (arenas);
  free (work);
}

void
confine_cleanup_jsonp (confine_json_t **node)
{
  confine_json_free (*node);
}

/* A copy of array V (LEN entries) with room for CAP, in A. */
static void *
arena_grow (confine_json_arena_t *a, void *v, size_t len, size_t cap)
{
  void *nv = arena_alloc (a, cap * sizeof (void *), sizeof (void *));
  if (len)
    memcpy (nv, v, len * sizeof (void *));
  return nv;
}

/* Add KEY (objects; owned by PARENT from here on, so in its arena when it
 * has one) and VALUE to PARENT. */
static int
child_add (confine_json_t *parent, char *key, confine_json_t *value, confine_error_t *err)
{
  if (parent->len >= MAX_CHILDREN)
    return confine_make_error (err, 0, "more than %u members in one JSON value", MAX_CHILDREN);
  if (parent->len == parent->cap)
    {
      size_t ncap = parent->cap ? parent->cap * 2 : 4;
      if (parent->arena)
        {
          /* The old arrays stay in the arena until it is freed. */
          parent->values = arena_grow (parent->arena, parent->values, parent->len, ncap);
          if (parent->type == CONFINE_JSON_OBJECT)
            parent->keys = arena_grow (parent->arena, parent->keys, parent->len, ncap);
        }
      else
        {
          parent->values = confine_xreallocarray (parent->values, ncap, sizeof (*parent->values));
          if (parent->type == CONFINE_JSON_OBJECT)
            parent->keys = confine_xreallocarray (parent->keys, ncap, sizeof (*parent->keys));
        }
      parent->cap = ncap;
    }
  if (parent->arena && value->arena != parent->arena)
    parent->arena->mixed = true;
  if (parent->type == CONFINE_JSON_OBJECT)
    parent->keys[parent->len] = key;
  parent->values[parent->len] = value;
  parent->len++;
  return 0;
}

confine_json_t *
confine_json_new (confine_json_type_t type, const char *text)
{
  confine_json_t *n = confine_xcalloc (1, sizeof (*n));
  n->type = type;
  if (text)
    n->text = confine_xstrdup (text);
  return n;
}

/* A node of the document being parsed, in its arena. */
static confine_json_t *
parsed_node (struct builder *b, confine_json_type_t type)
{
  confine_json_t *n = arena_alloc (b->arena, sizeof (*n), _Alignof (confine_json_t));
  *n = (confine_json_t){ .type = type, .arena = b->arena };
  return n;
}

/* Attach a new node where the parser is. A failure makes the callback
 * return 0 and yajl stop; the arena holds the node and is freed whole. */
static int
attach (struct builder *b, confine_json_t *node)
{
  if (++b->nodes > MAX_NODES)
    {
      confine_make_error (b->err, 0, "JSON document has more than %u values", MAX_NODES);
      return 0;
    }
  if (b->depth == 0)
    {
      b->root = node;
      return 1;
    }
  confine_json_t *parent = b->stack[b->depth - 1];
  char *key = NULL;
  if (parent->type == CONFINE_JSON_OBJECT)
    key = steal_pointer (&b->pending_key);
  return child_add (parent, key, node, b->err) == 0;
}

/* Is the value about to start one of B->keep, inside one, or on the way
 * to one? Its path is the keys from the root down to it; an array
 * element has no name, so only a kept array keeps its elements. */
static bool
kept (const struct builder *b)
{
  if (b->keep == NULL || b->depth == 0)
    return true;
  for (const char *const *k = b->keep; *k; k++)
    {
      const char *p = *k;
      bool match = true;
      for (size_t i = 1; i <= b->depth && match; i++)
        {
          const confine_json_t *parent = b->stack[i - 1];
          const char *name = parent->type != CONFINE_JSON_OBJECT ? NULL
                             : i < b->depth                      ? parent->keys[parent->len - 1]
                                                                 : b->pending_key;
          size_t n = strcspn (p, "/");
          if (*p == '\0')
            return true; /* inside a kept value */
          match = name && strlen (name) == n && strncmp (name, p, n) == 0;
          p += n + (p[n] == '/');
        }
      if (match)
        return true;
    }
  return false;
}

/* Pass over a value that is not kept: nothing is built for it. */
static int
passed_over (struct builder *b, bool container)
{
  if (b->skip == 0 && kept (b))
    return 0;
  if (container && b->depth + ++b->skip > CONFINE_JSON_MAX_DEPTH)
    {
      confine_make_error (b->err, 0, "JSON nested deeper than %d levels", CONFINE_JSON_MAX_DEPTH);
      return -1;
    }
  return 1;
}

static int
scalar (struct builder *b, confine_json_type_t type, const char *text, size_t len, bool boolean)
{
  int r = passed_over (b, false);
  confine_json_t *n;
  if (r != 0)
    return r > 0;
  /* Go keeps a string with an embedded NUL whole; C cannot. Refuse
   * rather than compare a truncated value to what runc will use. */
  if (text && memchr (text, '\0', len) != NULL)
    {
      confine_make_error (b->err, 0, "JSON string contains a NUL character");
      return 0;
    }
  n = parsed_node (b, type);
  n->boolean = boolean;
  if (text)
    n->text = arena_strndup (b->arena, text, len);
  return attach (b, n);
}

static int
cb_null (void *ctx)
{
  return scalar (ctx, CONFINE_JSON_NULL, NULL, 0, false);
}

static int
cb_bool (void *ctx, int v)
{
  return scalar (ctx, CONFINE_JSON_BOOL, NULL, 0, v != 0);
}

static int
cb_number (void *ctx, const char *s, size_t len)
{
  return scalar (ctx, CONFINE_JSON_NUMBER, s, len, false);
}

static int
cb_string (void *ctx, const unsigned char *s, size_t len)
{
  return scalar (ctx, CONFINE_JSON_STRING, (const char *) s, len, false);
}

static int
start (struct builder *b, confine_json_type_t type)
{
  confine_json_t *n;
  int r = passed_over (b, true);
  if (r != 0)
    return r > 0;
  if (b->depth >= CONFINE_JSON_MAX_DEPTH)
    {
      confine_make_error (b->err, 0, "JSON nested deeper than %d levels", CONFINE_JSON_MAX_DEPTH);
      return 0;
    }
  n = parsed_node (b, type);
  if (!attach (b, n))
    return 0;
  b->stack[b->depth++] = n;
  return 1;
}

static int
cb_start_map (void *ctx)
{
  return start (ctx, CONFINE_JSON_OBJECT);
}

static int
cb_start_array (void *ctx)
{
  return start (ctx, CONFINE_JSON_ARRAY);
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static int
cb_end (void *ctx)
{
  struct builder *b = ctx;
  confine_json_t *n;

  if (b->skip > 0)
    {
      b->skip--;
      return 1;
    }
  n = b->stack[--b->depth];

  /* Go keeps the last of duplicate keys (and merges duplicate objects into
   * one struct); yajl-based code would naturally see the first. Neither
   * reading is safe to bet on, so a duplicate anywhere is refused. */
  if (n->type == CONFINE_JSON_OBJECT && n->len > 1)
    {
      cleanup_free char **sorted = malloc (n->len * sizeof (char *));
      if (sorted == NULL)
        {
          confine_make_error (b->err, ENOMEM, "check JSON keys");
          return 0;
        }
      memcpy (sorted, n->keys, n->len * sizeof (char *));
      qsort (sorted, n->len, sizeof (char *), cmp_str);
      for (size_t i = 1; i < n->len; i++)
        if (strcmp (sorted[i - 1], sorted[i]) == 0)
          {
            confine_make_error (b->err, 0, "duplicate JSON key `%s`", sorted[i]);
            return 0;
          }
    }
  return 1;
}

static int
cb_map_key (void *ctx, const unsigned char *key, size_t len)
{
  struct builder *b = ctx;
  if (b->skip > 0)
    return 1;
  if (memchr (key, '\0', len) != NULL)
    {
      confine_make_error (b->err, 0, "JSON key contains a NUL character");
      return 0;
    }
  /* A key given twice in a row without a value cannot happen in valid
   * JSON; the previous one simply stays unused in the arena. */
  b->pending_key = arena_strndup (b->arena, (const char *) key, len);
  return 1;
}

static int
hex4 (const char *p, const char *end, unsigned *out)
{
  unsigned v = 0;
  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      char c = p[i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= (unsigned) (c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= (unsigned) (c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= (unsigned) (c - 'A' + 10);
      else
        return -1;
    }
  *out = v;
  return 0;
}

/* A `\uD800`-`\uDFFF` escape that is not half of a valid pair: Go decodes
 * it as U+FFFD, yajl as `?`, so the two would read different strings (a
 * different mount source, say). Backslashes only occur inside strings in
 * valid JSON, and yajl rejects the rest, so a plain scan suffices. */
static int
check_surrogates (const char *buf, size_t len, confine_error_t *err)
{
  const char *end = buf + len;
  for (const char *p = buf; p < end; p++)
    {
      unsigned u, lo;
      /* memchr, not a byte loop: a spec is tens of kilobytes with few
       * escapes, and this scan runs on every container start. */
      if ((p = memchr (p, '\\', (size_t) (end - p))) == NULL)
        break;
      if (++p >= end || *p != 'u')
        continue; /* a one-character escape, skipped whole */
      if (hex4 (p + 1, end, &u) < 0 || u < 0xD800 || u > 0xDFFF)
        continue;
      if (u <= 0xDBFF && end - p >= 11 && p[5] == '\\' && p[6] == 'u'
          && hex4 (p + 7, end, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF)
        {
          p += 10; /* a valid pair */
          continue;
        }
      return confine_make_error (err, 0,
                                 "JSON string has an unpaired surrogate escape at byte %zu, which "
                                 "Go and yajl decode differently",
                                 (size_t) (p - 1 - buf));
    }
  return 0;
}

static const yajl_callbacks callbacks = {
  .yajl_null = cb_null,
  .yajl_boolean = cb_bool,
  .yajl_number = cb_number,
  .yajl_string = cb_string,
  .yajl_start_map = cb_start_map,
  .yajl_map_key = cb_map_key,
  .yajl_end_map = cb_end,
  .yajl_start_array = cb_start_array,
  .yajl_end_array = cb_end,
};

int
confine_json_parse (const char *buf, size_t len, confine_json_t **out, confine_error_t *err)
{
  return confine_json_parse_kept (buf, len, NULL, out, err);
}

int
confine_json_parse_kept (const char *buf, size_t len, const char *const *keep,
                         confine_json_t **out, confine_error_t *err)
{
  struct builder b = { .err = err, .keep = keep };
  yajl_handle h;
  yajl_status st;
  int ret = 0;

  *err = NULL;
  if (check_surrogates (buf, len, err) < 0)
    return -1;
  h = yajl_alloc (&callbacks, NULL, &b);
  if (h == NULL)
    return confine_make_error (err, ENOMEM, "allocate JSON parser");
  b.arena = confine_xcalloc (1, sizeof (*b.arena));
  /* Comments, trailing garbage and multiple values stay off: yajl's
   * defaults, written down because the gate depends on them. UTF-8 is
   * validated (Go would replace bad bytes with U+FFFD; we refuse). */
  yajl_config (h, yajl_allow_comments, 0);
  yajl_config (h, yajl_dont_validate_strings, 0);
  yajl_config (h, yajl_allow_trailing_garbage, 0);
  yajl_config (h, yajl_allow_multiple_values, 0);

  st = yajl_parse (h, (const unsigned char *) buf, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  if (st != yajl_status_ok)
    {
      if (*err == NULL)
        {
          unsigned char *msg = yajl_get_error (h, 0, (const unsigned char *) buf, len);
          size_t off = yajl_get_bytes_consumed (h);
          /* yajl's message ends in a newline; a refusal is one line. */
          for (unsigned char *c = msg; c && *c; c++)
            if (*c == '\n')
              *c = c[1] ? ' ' : '\0';
          confine_make_error (err, 0, "invalid JSON at byte %zu: %s", off,
                              msg ? (const char *) msg : "parse error");
          if (msg)
            yajl_free_error (h, msg);
        }
      ret = -1;
    }
  else if (b.root == NULL)
    ret = confine_make_error (err, 0, "empty JSON document");
  yajl_free (h);
  if (ret < 0)
    {
      arena_free (b.arena);
      return ret;
    }
  b.arena->root = b.root;
  *out = b.root;
  return 0;
}

confine_json_t *
confine_json_get (const confine_json_t *node, const char *key)
{
  if (node == NULL || node->type != CONFINE_JSON_OBJECT)
    return NULL;
  for (size_t i = 0; i < node->len; i++)
    if (strcmp (node->keys[i], key) == 0)
      return node->values[i];
  return NULL;
}

int
confine_json_set (confine_json_t *obj, const char *key, confine_json_t *value, confine_error_t *err)
{
  char *k;
  for (size_t i = 0; i < obj->len; i++)
    if (strcmp (obj->keys[i], key) == 0)
      {
        confine_json_free (obj->values[i]);
        obj->values[i] = value;
        if (obj->arena && value->arena != obj->arena)
          obj->arena->mixed = true;
        return 0;
      }
  k = obj->arena ? arena_strndup (obj->arena, key, strlen (key)) : confine_xstrdup (key);
  if (child_add (obj, k, value, err) < 0)
    {
      if (obj->arena == NULL)
        free (k);
      return -1;
    }
  return 0;
}

int
confine_json_push (confine_json_t *arr, confine_json_t *value, confine_error_t *err)
{
  return child_add (arr, NULL, value, err);
}

confine_json_t *
confine_json_copy (const confine_json_t *node, confine_error_t *err)
{
  cleanup_json confine_json_t *n = confine_json_new (node->type, node->text);
  n->boolean = node->boolean;
  for (size_t i = 0; i < node->len; i++)
    {
      char *k = NULL;
      confine_json_t *v = confine_json_copy (node->values[i], err);
      if (v == NULL)
        return NULL;
      if (node->keys)
        k = confine_xstrdup (node->keys[i]);
      if (child_add (n, k, v, err) < 0)
        {
          free (k);
          confine_json_free (v);
          return NULL;
        }
    }
  return steal_pointer (&n);
}

static void
gen (confine_jgen_t *g, const confine_json_t *n)
{
  switch (n->type)
    {
    case CONFINE_JSON_NULL:
      confine_jgen_str (g, NULL, NULL);
      break;
    case CONFINE_JSON_BOOL:
      confine_jgen_bool (g, NULL, n->boolean);
      break;
    case CONFINE_JSON_NUMBER:
      /* The original text, so 2^64-1 stays 2^64-1 and 1.50 stays 1.50. */
      confine_jgen_number (g, NULL, n->text);
      break;
    case CONFINE_JSON_STRING:
      confine_jgen_str (g, NULL, n->text);
      break;
    case CONFINE_JSON_OBJECT:
    case CONFINE_JSON_ARRAY:
      {
        bool array = n->type == CONFINE_JSON_ARRAY;
        confine_jgen_open (g, NULL, array);
        for (size_t i = 0; i < n->len; i++)
          {
            if (!array)
              confine_jgen_key (g, n->keys[i]);
            gen (g, n->values[i]);
          }
        confine_jgen_close (g, array);
      }
      break;
    }
}

int
confine_json_write (const confine_json_t *node, bool pretty, char **out, size_t *len,
                    confine_error_t *err)
{
  confine_jgen_t *g = confine_jgen_new (pretty ? CONFINE_JGEN_PRETTY : 0);

  gen (g, node);
  if (confine_jgen_finish (g, out, len, err) < 0)
    return confine_error_wrap (err, "serialise");
  return 0;
}

/* ---- typed reading, shared by the OCI documents and the policy ---- */

/* A JSON path for messages, e.g. `linux.seccomp.syscalls[3].action`.
 * Truncation only shortens a message, never changes a decision. */

confine_jpath_t
confine_jpath_key (const char *parent, const char *key)
{
  confine_jpath_t p;
  int r = snprintf (p.s, sizeof (p.s), "%s%s%s", parent, *parent ? "." : "", key);
  if (r < 0 || (size_t) r >= sizeof (p.s))
    memcpy (p.s + sizeof (p.s) - 4, "...", 4);
  return p;
}

confine_jpath_t
confine_jpath_index (const char *parent, size_t i)
{
  confine_jpath_t p;
  int r = snprintf (p.s, sizeof (p.s), "%s[%zu]", parent, i);
  if (r < 0 || (size_t) r >= sizeof (p.s))
    memcpy (p.s + sizeof (p.s) - 4, "...", 4);
  return p;
}

int
confine_json_type_error (const char *path, const confine_json_t *n, const char *want, confine_error_t *err)
{
  return confine_make_error (err, 0, "`%s`: expected %s, got %s", *path ? path : "(document)",
                             want, confine_json_type_name (n->type));
}

/* Returns 1 for an object, 0 for absent or null, negative on error. */
int
confine_json_struct (const confine_json_t *n, const char *path, const char *const *fields,
                     bool strict, confine_error_t *err)
{
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_OBJECT)
    return confine_json_type_error (path, n, "object", err);
  for (size_t i = 0; i < n->len; i++)
    {
      const char *key = n->keys[i];
      bool exact = false;
      for (const char *const *f = fields; *f && !exact; f++)
        exact = strcmp (key, *f) == 0;
      if (exact)
        continue;
      for (const char *const *f = fields; *f; f++)
        if (confine_json_go_fold_equal (key, *f))
          return confine_make_error (err, 0,
                                     "`%s`: key `%s` is not `%s`, but runc's JSON decoder would "
                                     "read it as `%s`; refusing the ambiguous document",
                                     *path ? path : "(document)", key, *f, *f);
      if (strict)
        return confine_make_error (err, 0, "`%s`: unknown key `%s`", *path ? path : "(document)",
                                   key);
    }
  return 1;
}

int
confine_json_string (const confine_json_t *obj, const char *key, const char *path, char **out,
            confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  *out = NULL;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_STRING)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, "string", err);
  *out = confine_xstrdup (n->text);
  return *out ? 1 : -1;
}

int
confine_json_bool (const confine_json_t *obj, const char *key, const char *path, bool *out,
          confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  *out = false;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_BOOL)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, "boolean", err);
  *out = n->boolean;
  return 1;
}

/* Go refuses "1.0", "1e3", a sign on an unsigned field, and overflow. */
int
confine_json_u64 (const confine_json_t *obj, const char *key, const char *path, uint64_t max,
         uint64_t *out, confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  *out = 0;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_NUMBER)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, "number", err);
  if (confine_parse_u64 (n->text, max, out) < 0)
    return confine_make_error (err, 0, "`%s`: `%s` is not an integer in [0, %llu]",
                               confine_jpath_key (path, key).s, n->text, (unsigned long long) max);
  return 1;
}

int
confine_json_i64 (const confine_json_t *obj, const char *key, const char *path, int64_t *out,
         confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  *out = 0;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_NUMBER)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, "number", err);
  if (confine_parse_i64 (n->text, out) < 0)
    return confine_make_error (err, 0, "`%s`: `%s` is not a 64-bit integer", confine_jpath_key (path, key).s,
                               n->text);
  return 1;
}

/* An array to iterate; NULL for absent or null. */
int
confine_json_array (const confine_json_t *obj, const char *key, const char *path,
           const confine_json_t **out, confine_error_t *err)
{
  const confine_json_t *n = confine_json_get (obj, key);
  *out = NULL;
  if (n == NULL || n->type == CONFINE_JSON_NULL)
    return 0;
  if (n->type != CONFINE_JSON_ARRAY)
    return confine_json_type_error (confine_jpath_key (path, key).s, n, "array", err);
  if (n->len > CONFINE_JSON_MAX_ENTRIES)
    return confine_make_error (err, 0, "`%s`: more than %u entries", confine_jpath_key (path, key).s,
                               CONFINE_JSON_MAX_ENTRIES);
  *out = n;
  return 1;
}

/* A string list; absent or null gives an empty list, never NULL.
 * Returns 1 when present, 0 when absent. */
int
confine_json_strv (const confine_json_t *obj, const char *key, const char *path, char ***out,
          confine_error_t *err)
{
  const confine_json_t *arr = NULL;
  cleanup_strv char **v = NULL;
  int present = confine_json_array (obj, key, path, &arr, err);

  *out = NULL;
  if (present < 0)
    return -1;
  v = confine_xcalloc ((arr ? arr->len : 0) + 1, sizeof (char *));
  for (size_t i = 0; arr && i < arr->len; i++)
    {
      const confine_json_t *e = arr->values[i];
      if (e->type != CONFINE_JSON_STRING)
        return confine_json_type_error (confine_jpath_index (confine_jpath_key (path, key).s, i).s, e, "string", err);
      v[i] = confine_xstrdup (e->text);
    }
  *out = steal_pointer (&v);
  return present;
}

/* Go's encoding/json matches keys to fields case-insensitively. Up to Go
 * 1.20 (fold.go) ASCII letters fold by case and two other runes fold onto
 * ASCII letters: U+212A KELVIN SIGN is 'k' and U+017F LONG S is 's'. From
 * Go 1.21 a key is folded with unicode.ToUpper(unicode.ToLower(r)), which
 * also makes U+0130 and U+0131 (dotted capital and dotless small i) read
 * as 'i'. runc is built with many Go versions, so all four fold here. */
static size_t
fold_rune (const unsigned char *k, unsigned char *out)
{
  static const struct
  {
    unsigned char bytes[3];
    size_t len;
    unsigned char ascii;
  } special[] = {
    { { 0xE2, 0x84, 0xAA }, 3, 'k' },
    { { 0xC5, 0xBF }, 2, 's' },
    { { 0xC4, 0xB0 }, 2, 'i' },
    { { 0xC4, 0xB1 }, 2, 'i' },
  };
  /* strncmp, not memcmp: KEY may end before the pattern does. */
  for (size_t i = 0; i < sizeof (special) / sizeof (special[0]); i++)
    if (strncmp ((const char *) k, (const char *) special[i].bytes, special[i].len) == 0)
      {
        *out = special[i].ascii;
        return special[i].len;
      }
  *out = (unsigned char) (*k >= 'A' && *k <= 'Z' ? *k + 32 : *k);
  return 1;
}

bool
confine_json_go_fold_equal (const char *key, const char *field)
{
  const unsigned char *k = (const unsigned char *) key;
  const unsigned char *f = (const unsigned char *) field;

  while (*f)
    {
      unsigned char fc = (unsigned char) (*f >= 'A' && *f <= 'Z' ? *f + 32 : *f);
      unsigned char kc;
      if (*k == 0)
        return false;
      k += fold_rune (k, &kc);
      if (kc != fc)
        return false;
      f++;
    }
  return *k == 0;
}

/* confine_json_peek_string: one top-level string, read by yajl's events
 * without building a tree. */
struct peek
{
  const char *key;
  char *out;
  size_t size;
  int depth;
  int seen;    /* values of KEY at the top level */
  bool want;   /* the next value is KEY's */
  bool unsure; /* a reading the full parser might not share */
};

static int
peek_value (struct peek *p, bool is_string)
{
  /* A scalar document is no object; nor is a wrong type for KEY. */
  if (p->depth == 0 || (p->want && !is_string))
    p->unsure = true;
  p->want = false;
  return !p->unsure;
}

static int
peek_scalar (void *ctx)
{
  return peek_value (ctx, false);
}

static int
peek_bool (void *ctx, int v)
{
  (void) v;
  return peek_value (ctx, false);
}

static int
peek_number (void *ctx, const char *s, size_t len)
{
  (void) s;
  (void) len;
  return peek_value (ctx, false);
}

static int
peek_string (void *ctx, const unsigned char *s, size_t len)
{
  struct peek *p = ctx;
  if (p->want)
    {
      /* Printable ASCII only: escapes that decode to NUL or to a lone
       * surrogate read differently in the full parser. */
      for (size_t i = 0; i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
          p->unsure = true;
      if (len >= p->size)
        p->unsure = true;
      if (!p->unsure)
        {
          memcpy (p->out, s, len);
          p->out[len] = '\0';
          p->seen++;
        }
    }
  return peek_value (p, true);
}

static int
peek_open (struct peek *p, bool map)
{
  if (p->depth == 0)
    p->unsure |= !map; /* the document must be an object */
  else
    peek_value (p, false);
  p->depth++;
  return !p->unsure;
}

static int
peek_map (void *ctx)
{
  return peek_open (ctx, true);
}

static int
peek_array (void *ctx)
{
  return peek_open (ctx, false);
}

static int
peek_close (void *ctx)
{
  struct peek *p = ctx;
  p->depth--;
  return 1;
}

static int
peek_key (void *ctx, const unsigned char *key, size_t len)
{
  struct peek *p = ctx;
  char k[256];
  if (p->depth != 1)
    return 1;
  if (len >= sizeof (k) || memchr (key, '\0', len))
    {
      /* Too long to be KEY, or to fold onto it. */
      p->want = false;
      return 1;
    }
  memcpy (k, key, len);
  k[len] = '\0';
  p->want = strcmp (k, p->key) == 0;
  if (p->want && p->seen > 0)
    p->unsure = true; /* a duplicate, which the full parser refuses */
  else if (!p->want && confine_json_go_fold_equal (k, p->key))
    p->unsure = true;
  return !p->unsure;
}

static const yajl_callbacks peek_callbacks = {
  .yajl_null = peek_scalar,
  .yajl_boolean = peek_bool,
  .yajl_number = peek_number,
  .yajl_string = peek_string,
  .yajl_start_map = peek_map,
  .yajl_map_key = peek_key,
  .yajl_end_map = peek_close,
  .yajl_start_array = peek_array,
  .yajl_end_array = peek_close,
};

int
confine_json_peek_string (const char *buf, size_t len, const char *key, char *out, size_t size)
{
  cleanup_error confine_error_t err = NULL;
  struct peek p = { .key = key, .out = out, .size = size };
  yajl_handle h;
  yajl_status st;

  /* A lone surrogate decodes to `?` in yajl, and is refused in full. */
  if (check_surrogates (buf, len, &err) < 0)
    return -1;
  if ((h = yajl_alloc (&peek_callbacks, NULL, &p)) == NULL)
    return -1;
  /* The settings of confine_json_parse. */
  yajl_config (h, yajl_allow_comments, 0);
  yajl_config (h, yajl_dont_validate_strings, 0);
  yajl_config (h, yajl_allow_trailing_garbage, 0);
  yajl_config (h, yajl_allow_multiple_values, 0);
  st = yajl_parse (h, (const unsigned char *) buf, len);
  if (st == yajl_status_ok)
    st = yajl_complete_parse (h);
  yajl_free (h);
  if (st != yajl_status_ok || p.unsure)
    return -1;
  return p.seen;
}
