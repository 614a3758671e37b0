/* SPDX-License-Identifier: MIT */
/*
 * hps_list.c — reads: lists in Halo's wrapper {"<key>":[...],
 * "record_count":N}, paged with pageinate/page_size/page_no (or the first
 * `count` rows), cut at the page cap whatever page_size asks; single
 * records as bare objects.
 *
 * Paging: page P of size S holds rows (P-1)*S .. P*S-1 of the filtered,
 * id-ordered list, of which at most page_cap are sent. So a client that
 * asks for more than the cap and steps page_no skips rows: it must notice
 * the short page (fewer rows than asked while record_count says more
 * remain) and ask again with the size it was given.
 *
 * Filters: Client hides inactive clients unless includeinactive=true and
 * takes search (a case-insensitive substring of the name); Item takes
 * search; RecurringInvoice takes client_id and sends lines only with
 * includelines=true. Unknown parameters are ignored, as Halo does.
 *
 * Domain faults (a fault rule's action): page_repeat (page_no ignored),
 * page_cap (this answer cut at the rule's "cap", default 10),
 * no_record_count, bare_array, record_count_inflated (+1), empty_page,
 * wrong_types (ids and qty_order as strings), ignore_filter (client_id
 * ignored, as Halo does with a parameter it does not know).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hps_api.h"

typedef struct entity {
  const char *name; /* the path segment */
  const char *key;  /* the wrapper key */
} entity;

static const entity entities[] = {
    {"Client", "clients"},
    {"Item", "items"},
    {"RecurringInvoice", "invoices"},
};

static json_object *table(hps_api *api, const char *name) {
  if (strcasecmp(name, "Client") == 0)
    return api->db.clients;
  if (strcasecmp(name, "Item") == 0)
    return api->db.items;
  return api->db.invoices;
}

static const char *wrapper_key(const char *name) {
  for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
    if (strcasecmp(entities[i].name, name) == 0)
      return entities[i].key;
  return "records";
}

/* A query argument as a whole number; dflt when absent, -1 when bad. */
static long long arg_int(const sim_request *r, const char *name,
                         long long dflt) {
  const char *v = sim_query(r, name);
  if (!v)
    return dflt;
  char *end;
  long long n = strtoll(v, &end, 10);
  return *v && !*end ? n : LLONG_MIN;
}

static int arg_true(const sim_request *r, const char *name) {
  const char *v = sim_query(r, name);
  return v && strcasecmp(v, "true") == 0;
}

/* Case-insensitive (ASCII) substring. */
static int contains(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  if (!n)
    return 1;
  for (; hay && *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0)
      return 1;
  return 0;
}

static int keep(const sim_request *r, const char *name, json_object *rec,
                long long client) {
  const char *search = sim_query(r, "search");
  if (strcasecmp(name, "Client") == 0) {
    if (hps_true(rec, "inactive") && !arg_true(r, "includeinactive"))
      return 0;
    return !search || contains(hps_str(rec, "name"), search);
  }
  if (strcasecmp(name, "Item") == 0)
    return !search || contains(hps_str(rec, "name"), search);
  return client == LLONG_MAX || hps_int(rec, "client_id", 0) == client;
}

static int by_id(const void *a, const void *b) {
  long long x = hps_int(*(json_object *const *)a, "id", 0);
  long long y = hps_int(*(json_object *const *)b, "id", 0);
  return x < y ? -1 : x > y;
}

/* Ids and quantities as strings, as a misbehaving server might send. */
static void stringify(json_object *rec) {
  char text[64];
  snprintf(text, sizeof text, "%lld", hps_int(rec, "id", 0));
  json_object_object_add(rec, "id", json_object_new_string(text));
  json_object *lines = json_object_object_get(rec, "lines");
  for (size_t i = 0; lines && i < json_object_array_length(lines); i++) {
    json_object *l = json_object_array_get_idx(lines, i);
    snprintf(
        text, sizeof text, "%s",
        json_object_to_json_string(json_object_object_get(l, "qty_order")));
    json_object_object_add(l, "qty_order", json_object_new_string(text));
  }
}

/* A copy of a record as the API sends it. */
static json_object *render(json_object *rec, int with_lines,
                           const char *action) {
  json_object *copy = NULL;
  if (json_object_deep_copy(rec, &copy, NULL) != 0)
    return NULL;
  if (!with_lines)
    json_object_object_del(copy, "lines");
  if (action && strcmp(action, "wrong_types") == 0)
    stringify(copy);
  return copy;
}

static void one(hps_api *api, const sim_request *r, const char *name,
                const char *id_text, sim_response *resp) {
  char *end;
  long long id = strtoll(id_text, &end, 10);
  json_object *rec = *id_text && !*end ? hps_find(table(api, name), id) : NULL;
  if (!rec) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s %.40s not found", name, id_text);
    hps_error(resp, 404, msg);
    return;
  }
  json_object *out = render(rec, 1, r->fault_action);
  sim_respond_json(resp, 200, out);
  json_object_put(out);
}

void hps_list_handle(hps_api *api, const sim_request *r, const char *name,
                     const char *id, sim_response *resp) {
  if (id) {
    one(api, r, name, id, resp);
    return;
  }
  const char *action = r->fault_action ? r->fault_action : "";
  long long client = LLONG_MAX;
  if (strcasecmp(name, "RecurringInvoice") == 0 && sim_query(r, "client_id") &&
      strcmp(action, "ignore_filter") != 0) {
    client = arg_int(r, "client_id", 0);
    if (client == LLONG_MIN) {
      hps_error(resp, 400, "client_id must be a number");
      return;
    }
  }
  int paged = arg_true(r, "pageinate");
  long long size = arg_int(r, "page_size", 50), page = arg_int(r, "page_no", 1);
  long long count = arg_int(r, "count", LLONG_MAX);
  if (size == LLONG_MIN || page == LLONG_MIN || count == LLONG_MIN ||
      size < 1 || page < 1 || count < 0) {
    hps_error(resp, 400, "page_size, page_no and count must be positive");
    return;
  }
  if (strcmp(action, "page_repeat") == 0)
    page = 1;
  json_object *list = table(api, name);
  size_t n = json_object_array_length(list), kept = 0;
  json_object **rows = calloc(n ? n : 1, sizeof *rows);
  if (!rows) {
    hps_error(resp, 500, "out of memory");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    json_object *rec = json_object_array_get_idx(list, i);
    if (keep(r, name, rec, client))
      rows[kept++] = rec;
  }
  qsort(rows, kept, sizeof *rows, by_id);
  long long from = paged ? (page - 1) * size : 0;
  long long want = paged ? size : count;
  long long cap = api->cfg.page_cap > 0 ? api->cfg.page_cap : LLONG_MAX;
  if (strcmp(action, "page_cap") == 0)
    cap = hps_rule_int(r, "cap", 10);
  if (want > cap)
    want = cap;
  if (strcmp(action, "empty_page") == 0)
    want = 0;
  int lines =
      strcasecmp(name, "RecurringInvoice") != 0 || arg_true(r, "includelines");
  json_object *arr = json_object_new_array();
  for (long long i = from; arr && i < (long long)kept && i - from < want; i++)
    json_object_array_add(arr, render(rows[i], lines, action));
  free(rows);
  if (strcmp(action, "bare_array") == 0) {
    sim_respond_json(resp, 200, arr);
    json_object_put(arr);
    return;
  }
  json_object *doc = json_object_new_object();
  long long total = (long long)kept;
  if (strcmp(action, "record_count_inflated") == 0)
    total++;
  if (strcmp(action, "no_record_count") != 0)
    json_object_object_add(doc, "record_count", json_object_new_int64(total));
  json_object_object_add(doc, wrapper_key(name), arr);
  sim_respond_json(resp, 200, doc);
  json_object_put(doc);
}
