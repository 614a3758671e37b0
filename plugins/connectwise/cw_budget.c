/* SPDX-License-Identifier: MIT */
/*
 * cw_budget.c — the length of a list query's URL (see cw_budget.h).
 */
#include "cw_budget.h"

#include <stdlib.h>
#include <string.h>

#include "cw_buf.h"
#include "cw_list.h"

size_t cw_budget_escaped(cw_ctx *c, const char *s) {
  return c->api->url_escape(s, NULL, 0);
}

size_t cw_budget_room(cw_ctx *c, const char *path, const char *field,
                      const char *extra, const char *fields, long page_size) {
  cw_buf cond;
  cw_buf_init(&cond);
  cw_buf_printf(&cond, "%s in ()%s", field, extra ? extra : "");
  char *q = cw_buf_str(&cond)
                ? cw_list_query(c, path, cw_buf_str(&cond), fields, page_size)
                : NULL;
  cw_buf_free(&cond);
  size_t root = cw_root_len(c);
  if (!q || !root) {
    free(q);
    return 0;
  }
  size_t used = root + strlen(q) + CW_PAGE_ROOM;
  free(q);
  return used < CW_MAX_URL ? CW_MAX_URL - used : 0;
}
