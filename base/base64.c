/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>

#include "base64.h"
#include "utils.h"

static int
value (char c)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const char *p = c ? strchr (alphabet, c) : NULL;
  return p ? (int) (p - alphabet) : -1;
}

int
confine_base64_decode (const char *text, size_t len, unsigned char **out, size_t *n,
                       confine_error_t *err)
{
  size_t pad = 0, k = 0;
  cleanup_free unsigned char *bytes = NULL;

  if (len % 4 != 0)
    return confine_make_error (err, 0, "not canonical base64 (%zu characters)", len);
  if (len >= 1 && text[len - 1] == '=')
    pad = len >= 2 && text[len - 2] == '=' ? 2 : 1;
  bytes = confine_xcalloc (len / 4 * 3 + 1, 1);
  for (size_t i = 0; i < len; i += 4)
    {
      int v[4];
      for (size_t j = 0; j < 4; j++)
        {
          bool padding = i + j >= len - pad;
          v[j] = padding ? 0 : value (text[i + j]);
          if (v[j] < 0)
            return confine_make_error (err, 0, "not canonical base64 (`%c` at %zu)",
                                       text[i + j], i + j);
        }
      bytes[k++] = (unsigned char) (v[0] << 2 | v[1] >> 4);
      bytes[k++] = (unsigned char) ((v[1] & 0xf) << 4 | v[2] >> 2);
      bytes[k++] = (unsigned char) ((v[2] & 0x3) << 6 | v[3]);
    }
  k -= pad;
  bytes[k] = 0;
  *n = k;
  *out = steal_pointer (&bytes);
  return 0;
}
