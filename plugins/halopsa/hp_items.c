/* SPDX-License-Identifier: MIT */
/*
 * hp_items.c — configured products to HaloPSA items (see hp_items.h).
 */
#include "hp_items.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hp_client.h"
#include "hp_json.h"
#include "hp_list.h"

long hp_items_index(const long long *ids, size_t n, long long item) {
  for (size_t i = 0; i < n; i++)
    if (ids[i] != HP_NO_ITEM && ids[i] == item)
      return (long)i;
  return -1;
}

/* Equal ignoring ASCII case and surrounding spaces. */
static int same_name(const char *a, const char *b) {
  if (!a || !b)
    return 0;
  while (isspace((unsigned char)*a))
    a++;
  while (isspace((unsigned char)*b))
    b++;
  size_t na = strlen(a), nb = strlen(b);
  while (na && isspace((unsigned char)a[na - 1]))
    na--;
  while (nb && isspace((unsigned char)b[nb - 1]))
    nb--;
  return na == nb && strncasecmp(a, b, na) == 0;
}

typedef struct matches {
  const char *name;
  long long ids[8];
  char label[256];
  size_t n;
} matches;

static int collect(void *arg, json_object *rec, char *err, size_t errlen) {
  (void)err;
  (void)errlen;
  matches *m = arg;
  long long id;
  if (!same_name(hp_string(rec, "name"), m->name) ||
      hp_id(hp_member(rec, "id"), &id) != 0)
    return LPSA_OK;
  if (m->n == 0)
    snprintf(m->label, sizeof m->label, "%s", hp_string(rec, "name"));
  if (m->n < sizeof m->ids / sizeof *m->ids)
    m->ids[m->n] = id;
  m->n++;
  return LPSA_OK;
}

static int by_name(hp_ctx *ctx, const char *name, int whole_list, matches *m,
                   char *err, size_t errlen) {
  memset(m, 0, sizeof *m);
  m->name = name;
  char *query = NULL;
  if (!whole_list) {
    size_t need = ctx->api->url_escape(name, NULL, 0);
    query = malloc(need + 8);
    if (!query) {
      snprintf(err, errlen, "out of memory");
      return LPSA_ERR_NOMEM;
    }
    memcpy(query, "search=", 7);
    ctx->api->url_escape(name, query + 7, need + 1);
  }
  hp_list_req lr = {.entity = "Item",
                    .key = "items",
                    .query = query,
                    .what = "items",
                    .scope = "read:items"};
  int rc = hp_list_all(ctx, &lr, collect, m, err, errlen);
  free(query);
  return rc;
}

static int by_id(hp_ctx *ctx, long long id, matches *m, char *err,
                 size_t errlen) {
  memset(m, 0, sizeof *m);
  char path[64], doing[96];
  snprintf(path, sizeof path, "Item/%lld", id);
  snprintf(doing, sizeof doing, "reading item %lld", id);
  hp_call c = {.path = path,
               .label = "halopsa GET Item/{id}",
               .doing = doing,
               .scope = "read:items"};
  json_object *doc = NULL;
  int rc = hp_get_json(ctx, &c, &doc, err, errlen);
  long long got;
  if (rc == LPSA_ERR_NOT_FOUND)
    rc = LPSA_OK; /* not found: PRODUCT_NOT_FOUND, the host's to report */
  else if (rc == LPSA_OK && hp_id(hp_member(doc, "id"), &got) == 0 &&
           got == id) {
    m->ids[0] = id;
    m->n = 1;
    const char *name = hp_string(doc, "name");
    snprintf(m->label, sizeof m->label, "%s", name ? name : "");
  } else if (rc == LPSA_OK) {
    snprintf(err, errlen,
             "HaloPSA answered item %lld with a record of another id: the "
             "answer is not the API's",
             id);
    rc = LPSA_ERR_PROTOCOL;
  }
  json_object_put(doc);
  return rc;
}

int hp_items_resolve(hp_ctx *ctx, const lpsa_snapshot_request *req,
                     lpsa_snapshot *snap, long long *ids, char *err,
                     size_t errlen) {
  for (size_t i = 0; i < req->n_products; i++)
    ids[i] = HP_NO_ITEM;
  char(*labels)[256] = calloc(req->n_products ? req->n_products : 1, 256);
  if (!labels) {
    snprintf(err, errlen, "out of memory");
    return LPSA_ERR_NOMEM;
  }
  int rc = LPSA_OK;
  for (size_t i = 0; i < req->n_products && rc == LPSA_OK; i++) {
    const char *ref = req->products[i].ref;
    if (!ref || !*ref)
      continue;
    /* The same reference twice (one item for two SKUs): read it once. */
    size_t same = 0;
    while (same < i && strcmp(req->products[same].ref, ref) != 0)
      same++;
    matches m;
    long long id;
    if (same < i) {
      if (ids[same] == HP_NO_ITEM)
        continue;
      memset(&m, 0, sizeof m);
      m.ids[0] = ids[same];
      m.n = 1;
      snprintf(m.label, sizeof m.label, "%s", labels[same]);
    } else if (hp_id_text(ref, &id) == 0) {
      rc = by_id(ctx, id, &m, err, errlen);
    } else {
      rc = by_name(ctx, ref, 0, &m, err, errlen);
      if (rc == LPSA_OK && m.n == 0)
        rc = by_name(ctx, ref, 1, &m, err, errlen);
    }
    if (rc)
      break;
    if (m.n > 1) {
      snprintf(err, errlen,
               "sku.%s = %.80s names %zu HaloPSA items (ids %lld and %lld): "
               "configure the item id instead of its name in "
               "[driver.halopsa]",
               req->products[i].sku, ref, m.n, m.ids[0], m.ids[1]);
      rc = LPSA_ERR_INVALID;
      break;
    }
    if (m.n == 0)
      continue;
    ids[i] = m.ids[0];
    snprintf(labels[i], 256, "%s", m.label);
    char text[32];
    snprintf(text, sizeof text, "%lld", ids[i]);
    rc = ctx->api->product_found(snap, i, text, m.label[0] ? m.label : NULL);
    if (rc)
      snprintf(err, errlen, "the host refused item %s (%s)", text,
               ctx->api->status_str(rc));
  }
  free(labels);
  return rc;
}
