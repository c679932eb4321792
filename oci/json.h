/* SPDX-License-Identifier: Apache-2.0 */
/* A JSON tree that keeps what Go's encoding/json would see, built with
 * yajl's event parser rather than yajl_tree, because yajl_tree accepts
 * comments, keeps every duplicate key and returns the first (Go keeps the
 * last), truncates strings at an embedded NUL, and frees recursively.
 * Here: comments are refused, duplicate keys are refused, strings with NUL
 * are refused, depth is bounded, and numbers keep their exact text so a
 * rewrite is lossless. */
#ifndef CONFINE_JSON_H
#define CONFINE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/error.h"

#define CONFINE_JSON_MAX_DEPTH 64
/* Entries in one array that the typed getters accept. */
#define CONFINE_JSON_MAX_ENTRIES 100000

typedef enum
{
  CONFINE_JSON_NULL,
  CONFINE_JSON_BOOL,
  CONFINE_JSON_NUMBER,
  CONFINE_JSON_STRING,
  CONFINE_JSON_OBJECT,
  CONFINE_JSON_ARRAY,
} confine_json_type_t;

typedef struct confine_json confine_json_t;
typedef struct confine_json_arena confine_json_arena_t;
struct confine_json
{
  confine_json_type_t type;
  bool boolean;
  char *text;   /* string value, or a number's exact text */
  size_t len;   /* number of keys or elements */
  size_t cap;
  char **keys;  /* objects only, same index as values */
  confine_json_t **values;
  /* A parsed node: the node, its text, its keys and its arrays live in
   * ARENA, which the parsed document's root owns and frees whole (one
   * allocation per few thousand nodes instead of one per value, and no
   * walk of the tree to free it). NULL for a node built with
   * confine_json_new, which owns its storage. Either kind may hold the
   * other as a child: confine_json_free frees what each owns. */
  confine_json_arena_t *arena;
};

int confine_json_parse (const char *buf, size_t len, confine_json_t **out, confine_error_t *err);
/* The same, building only the values at the paths KEEP names
 * (NULL-terminated, keys joined by `/`, e.g. "config/labels") and the
 * objects on the way to them; everything else is checked as JSON and
 * passed over without a node, so a large document read for a few fields
 * costs its lexing alone. Duplicate keys are refused among the kept. */
int confine_json_parse_kept (const char *buf, size_t len, const char *const *keep,
                             confine_json_t **out, confine_error_t *err);
void confine_json_free (confine_json_t *node);
void confine_cleanup_jsonp (confine_json_t **node);
#define cleanup_json __attribute__ ((cleanup (confine_cleanup_jsonp)))

const char *confine_json_type_name (confine_json_type_t t);
/* Exact-key lookup in an object; NULL when absent or NODE is not an object. */
confine_json_t *confine_json_get (const confine_json_t *node, const char *key);

/* Constructors and edits, for the shim's rewrite. */
confine_json_t *confine_json_new (confine_json_type_t type, const char *text)
    __attribute__ ((returns_nonnull));
int confine_json_set (confine_json_t *obj, const char *key, confine_json_t *value, confine_error_t *err);
int confine_json_push (confine_json_t *arr, confine_json_t *value, confine_error_t *err);
confine_json_t *confine_json_copy (const confine_json_t *node, confine_error_t *err);

/* Serialise with base/jsongen.h. Numbers are written from their original text. */
int confine_json_write (const confine_json_t *node, bool pretty, char **out, size_t *len,
                        confine_error_t *err);

/* The value of the string KEY of the object that BUF holds, without
 * building a tree (the shim's pass-through needs one key of the policy).
 * Returns 1 with the value in OUT, 0 when KEY is absent, and -1 whenever
 * the full parser could read the document differently or refuse it: not
 * valid JSON, KEY duplicated or not a string (null included), a key Go
 * would fold onto KEY, a value that is not printable ASCII or does not fit
 * in SIZE. On -1 the caller parses the document the full way. */
int confine_json_peek_string (const char *buf, size_t len, const char *key, char *out,
                              size_t size);

/* Go's encoding/json matches object keys to struct fields with a
 * case-insensitive fold (including the Kelvin sign for 'k' and the long s
 * for 's'). True when KEY folds to FIELD. */
bool confine_json_go_fold_equal (const char *key, const char *field);

/* Typed reading. Each getter treats an absent key and null alike, as Go
 * does (null leaves a field at its zero value), and refuses a wrong type.
 * They return 1 when the key had a value, 0 when absent, negative on error.
 * PATH names the enclosing object in messages. */
typedef struct
{
  char s[256];
} confine_jpath_t;
confine_jpath_t confine_jpath_key (const char *parent, const char *key);
confine_jpath_t confine_jpath_index (const char *parent, size_t i);

int confine_json_type_error (const char *path, const confine_json_t *n, const char *want,
                             confine_error_t *err);
/* An object whose keys map to FIELDS. A key that is not a field but that
 * Go would fold onto one is refused; STRICT also refuses unknown keys. */
int confine_json_struct (const confine_json_t *n, const char *path, const char *const *fields,
                         bool strict, confine_error_t *err);
int confine_json_string (const confine_json_t *obj, const char *key, const char *path, char **out,
                         confine_error_t *err);
int confine_json_bool (const confine_json_t *obj, const char *key, const char *path, bool *out,
                       confine_error_t *err);
int confine_json_u64 (const confine_json_t *obj, const char *key, const char *path, uint64_t max,
                      uint64_t *out, confine_error_t *err);
int confine_json_i64 (const confine_json_t *obj, const char *key, const char *path, int64_t *out,
                      confine_error_t *err);
int confine_json_array (const confine_json_t *obj, const char *key, const char *path,
                        const confine_json_t **out, confine_error_t *err);
/* A string list, NULL-terminated; absent or null gives an empty list. */
int confine_json_strv (const confine_json_t *obj, const char *key, const char *path, char ***out,
                       confine_error_t *err);

#endif
