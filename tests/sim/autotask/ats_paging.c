/* SPDX-License-Identifier: MIT */
/*
 * ats_paging.c — building and reading nextPageUrl cursors.
 */
#include "ats_paging.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ats_item.h"

char *ats_url_encode(const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  char *out = malloc(strlen(s) * 3 + 1), *p = out;
  if (!out)
    return NULL;
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      *p++ = (char)c;
    } else {
      *p++ = '%';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 15];
    }
  }
  *p = '\0';
  return out;
}

static char *paging_arg(json_object *search, int from_post, int page_size,
                        int64_t prev_after, int64_t next_after) {
  json_object *o = json_object_new_object(), *prev = json_object_new_array(),
              *next = json_object_new_array();
  char *out = NULL;
  int bad = !o || !prev || !next ||
            json_object_array_add(prev, json_object_new_int64(prev_after)) ||
            json_object_array_add(next, json_object_new_int64(next_after));
  if (bad) {
    json_object_put(prev);
    json_object_put(next);
  } else {
    bad = ats_add(o, "pageSize", json_object_new_int(page_size)) |
          ats_add(o, "previousIds", prev) | ats_add(o, "nextIds", next) |
          ats_add(o, "method",
                  json_object_new_string(from_post ? "POST" : "GET")) |
          ats_add(o, "search", json_object_get(search));
  }
  if (!bad)
    out = ats_url_encode(json_object_to_json_string_ext(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
  return out;
}

char *ats_paging_url(const char *base, const char *entity, json_object *search,
                     int from_post, int page_size, int64_t prev_after,
                     int64_t next_after) {
  char *paging =
      paging_arg(search, from_post, page_size, prev_after, next_after);
  char *url = NULL;
  if (paging) {
    size_t len = strlen(base) + strlen(entity) + strlen(paging) + 32;
    url = malloc(len);
    if (url)
      snprintf(url, len, "%s/%s/query/next?paging=%s", base, entity, paging);
  }
  free(paging);
  return url;
}

int ats_paging_parse(const char *paging, ats_cursor *c) {
  memset(c, 0, sizeof *c);
  json_object *o = paging ? json_tokener_parse(paging) : NULL;
  json_object *next = ats_member(o, "nextIds"),
              *size = ats_member(o, "pageSize");
  json_object *search = ats_member(o, "search"),
              *method = ats_member(o, "method");
  json_object *v = json_object_is_type(next, json_type_array) &&
                           json_object_array_length(next) == 1
                       ? json_object_array_get_idx(next, 0)
                       : NULL;
  int rc = -1;
  if (json_object_is_type(v, json_type_int) &&
      json_object_is_type(size, json_type_int) &&
      json_object_is_type(search, json_type_object)) {
    c->after = json_object_get_int64(v);
    c->page_size = json_object_get_int(size);
    c->from_post =
        method && strcmp(json_object_get_string(method), "POST") == 0;
    c->search = json_object_get(search);
    rc = c->after >= 0 ? 0 : -1;
  }
  json_object_put(o);
  if (rc != 0)
    ats_cursor_release(c);
  return rc;
}

void ats_cursor_release(ats_cursor *c) {
  json_object_put(c->search);
  c->search = NULL;
}
