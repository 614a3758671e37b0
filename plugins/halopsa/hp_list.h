/* SPDX-License-Identifier: MIT */
/*
 * hp_list.h — reading a whole HaloPSA list: pageinate=true&page_size=N&
 * page_no=P to record_count, the rows of every page handed to a callback,
 * checked by hp_paging.h (a server capping pages below page_size, a list
 * changing under the read) and for ids sent twice. The first page comes
 * alone (it fixes the page size and the count); the caller may then read
 * the rest, fetched several pages at a time, or stop there.
 */
#ifndef HP_LIST_H
#define HP_LIST_H

#include <json-c/json.h>

#include "hp_ctx.h"
#include "hp_idset.h"
#include "hp_paging.h"

/* Called for each record (borrowed: take a reference to keep it). Return
 * LPSA_OK to go on, anything else to stop with err set. */
typedef int (*hp_record_fn)(void *arg, json_object *record, char *err,
                            size_t errlen);

typedef struct hp_list_req {
  const char *entity; /* "Client", "Item", "RecurringInvoice" */
  const char *key;    /* the wrapper key: "clients", "items", "invoices" */
  const char *query;  /* more parameters ("includeinactive=true"), or NULL */
  const char *what;   /* for messages: "clients" */
  const char *scope;  /* the scope it needs: "read:customers" */
} hp_list_req;

typedef struct hp_list {
  hp_ctx *ctx;
  hp_list_req req;
  hp_paging paging;
  long next_page; /* the next page to read */
  int done;
  hp_idset ids;
} hp_list;

/* Read the first page. LPSA_OK, or an error with err set. */
int hp_list_first(hp_list *l, hp_ctx *ctx, const hp_list_req *req,
                  hp_record_fn fn, void *arg, char *err, size_t errlen);
/* Pages still to read (0 when done; 1 when record_count is unknown and
 * the last page was full). */
long hp_list_pages_left(const hp_list *l);
/* Read every page left. */
int hp_list_rest(hp_list *l, hp_record_fn fn, void *arg, char *err,
                 size_t errlen);
void hp_list_free(hp_list *l);

/* hp_list_first() then hp_list_rest(). */
int hp_list_all(hp_ctx *ctx, const hp_list_req *req, hp_record_fn fn, void *arg,
                char *err, size_t errlen);

#endif
