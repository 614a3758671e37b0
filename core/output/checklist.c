/* SPDX-License-Identifier: MIT */
/*
 * checklist.c — collecting and printing `check` items.
 */
#include "checklist.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_escape.h"

static void add_item(checklist *cl, check_status status, const char *what,
                     char *detail) {
  if (cl->n == cl->cap) {
    size_t cap = cl->cap ? cl->cap * 2 : 16;
    check_item *grown = realloc(cl->items, cap * sizeof *grown);
    if (!grown) {
      free(detail);
      cl->oom = 1;
      return;
    }
    cl->items = grown;
    cl->cap = cap;
  }
  char *w = log_redact(cl->redact, what ? what : "");
  if (detail && cl->redact) {
    char *clean = log_redact(cl->redact, detail);
    free(detail);
    detail = clean;
    if (!detail) {
      free(w);
      w = NULL;
    }
  }
  if (!w) {
    free(detail);
    cl->oom = 1;
    return;
  }
  cl->items[cl->n++] = (check_item){status, w, detail};
}

void checklist_add(checklist *cl, check_status status, const char *what,
                   const char *detail_fmt, ...) {
  char *detail = NULL;
  if (detail_fmt) {
    va_list ap, again;
    va_start(ap, detail_fmt);
    va_copy(again, ap);
    int len = vsnprintf(NULL, 0, detail_fmt, ap);
    va_end(ap);
    detail = len >= 0 ? malloc((size_t)len + 1) : NULL;
    if (detail)
      vsnprintf(detail, (size_t)len + 1, detail_fmt, again);
    va_end(again);
    if (!detail) {
      cl->oom = 1;
      return;
    }
  }
  add_item(cl, status, what, detail);
}

void checklist_add_lines(checklist *cl, check_status status, const char *what,
                         const char *lines) {
  const char *p = lines ? lines : "";
  if (!*p) {
    checklist_add(cl, status, what, NULL);
    return;
  }
  while (*p) {
    size_t len = strcspn(p, "\n");
    checklist_add(cl, status, what, "%.*s", (int)len, p);
    p += len;
    if (*p == '\n')
      p++;
  }
}

size_t checklist_count(const checklist *cl, check_status status) {
  size_t n = 0;
  for (size_t i = 0; i < cl->n; i++)
    n += cl->items[i].status == status;
  return n;
}

void checklist_free(checklist *cl) {
  for (size_t i = 0; i < cl->n; i++) {
    free(cl->items[i].what);
    free(cl->items[i].detail);
  }
  free(cl->items);
  memset(cl, 0, sizeof *cl);
}

int checklist_exit_code(const checklist *cl) {
  return cl->oom || checklist_count(cl, CHECK_FAIL) ? 1 : 0;
}

static const char *tag(check_status s) {
  return s == CHECK_OK     ? "[ok]  "
         : s == CHECK_WARN ? "[warn]"
         : s == CHECK_INFO ? "[info]"
                           : "[FAIL]";
}

static const char *status_name(check_status s) {
  return s == CHECK_OK     ? "ok"
         : s == CHECK_WARN ? "warn"
         : s == CHECK_INFO ? "info"
                           : "fail";
}

void checklist_print(FILE *out, const checklist *cl) {
  for (size_t i = 0; i < cl->n; i++) {
    const check_item *it = &cl->items[i];
    fprintf(out, "%s ", tag(it->status));
    text_escape_put(out, it->what, 0);
    if (it->detail) {
      fputs(": ", out);
      text_escape_put(out, it->detail, 0);
    }
    fputc('\n', out);
  }
  size_t failed = checklist_count(cl, CHECK_FAIL);
  size_t warned = checklist_count(cl, CHECK_WARN);
  size_t checks = cl->n - checklist_count(cl, CHECK_INFO);
  if (cl->oom)
    fputs("(some checks could not be recorded: out of memory)\n", out);
  if (failed)
    fprintf(out, "\n%zu of %zu checks failed", failed, checks);
  else
    fprintf(out, "\nAll %zu checks passed", checks);
  if (warned)
    fprintf(out, ", %zu %s", warned, warned == 1 ? "warning" : "warnings");
  fputs(".\n", out);
}

json_object *checklist_json(const checklist *cl) {
  json_object *root = json_object_new_object();
  json_object *items = json_object_new_array();
  if (!root || !items) {
    json_object_put(root);
    json_object_put(items);
    return NULL;
  }
  for (size_t i = 0; i < cl->n; i++) {
    const check_item *it = &cl->items[i];
    json_object *o = json_object_new_object();
    if (!o)
      continue;
    json_object_object_add(o, "status",
                           json_object_new_string(status_name(it->status)));
    json_object_object_add(o, "what", json_object_new_string(it->what));
    json_object_object_add(
        o, "detail", it->detail ? json_object_new_string(it->detail) : NULL);
    json_object_array_add(items, o);
  }
  json_object_object_add(root, "ok",
                         json_object_new_boolean(!checklist_exit_code(cl)));
  json_object_object_add(
      root, "failed",
      json_object_new_int64((int64_t)checklist_count(cl, CHECK_FAIL)));
  json_object_object_add(
      root, "warnings",
      json_object_new_int64((int64_t)checklist_count(cl, CHECK_WARN)));
  json_object_object_add(root, "items", items);
  return root;
}
