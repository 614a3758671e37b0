/* SPDX-License-Identifier: MIT */
/*
 * hp_snapshot.c — driver.snapshot(): what HaloPSA bills now.
 *
 *   1. the configured items (hp_items.h);
 *   2. clients: the first page of GET /Client?includeinactive=true; then
 *      either the rest of the list, or, when fewer requested clients are
 *      still missing than pages are left, GET /Client/{id} for each of
 *      them (a 404 is a client that does not exist);
 *   3. recurring invoices with their lines: the first page of
 *      GET /RecurringInvoice?includelines=true; then the rest, or, when
 *      fewer clients need invoices than pages are left, the list of each
 *      client (client_id=ID; every answer is checked to be that client's,
 *      since Halo ignores a parameter it does not know); pinned invoices
 *      not seen so far are read by id;
 *   4. an invoice is an agreement when it is not disabled and has not
 *      ended; its lines of configured items that are not inactive nor
 *      ended are lines. A line Halo computes the quantity of
 *      (recurring_invoice_quantity_type set), or whose quantity is null,
 *      not a number, fractional or negative, is not emitted: a
 *      LPSA_NOTE_BAD_RECORD note tells the person, and the host writes
 *      nothing for that client.
 * When the whole client and invoice lists were read anyway, clients
 * outside the request whose active invoices bill a configured item are
 * emitted too (ORPHAN_BILLING).
 */
#include "hp_snapshot.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hp_client.h"
#include "hp_idset.h"
#include "hp_items.h"
#include "hp_json.h"
#include "hp_list.h"

typedef struct client_rec {
  long long id;
  char *name;
  int inactive;
  int emitted;
} client_rec;

typedef struct snap_run {
  hp_ctx *ctx;
  const lpsa_snapshot_request *req;
  lpsa_snapshot *snap;
  char as_of[11];
  long long *items; /* per product: its item id, or HP_NO_ITEM */
  hp_idset requested;
  client_rec *clients;
  size_t n_clients, cap_clients;
  hp_idset client_ids;
  int clients_complete;
  json_object **invoices; /* references */
  size_t n_invoices, cap_invoices;
  hp_idset invoice_ids;
  long long only_client; /* a per-client invoice list: its client */
  int whole_invoice_list;
} snap_run;

void hp_today(hp_ctx *ctx, char out[11]) {
  time_t now = ctx->api->now(ctx->host);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

static int nomem(char *err, size_t errlen) {
  snprintf(err, errlen, "out of memory");
  return LPSA_ERR_NOMEM;
}

/* ---- clients ------------------------------------------------------------ */

static int keep_client(void *arg, json_object *rec, char *err, size_t errlen) {
  snap_run *r = arg;
  long long id;
  if (hp_id(hp_member(rec, "id"), &id) != 0)
    return LPSA_OK; /* hp_list refuses records without ids */
  if (hp_idset_has(&r->client_ids, id))
    return LPSA_OK;
  if (r->n_clients == r->cap_clients) {
    size_t cap = r->cap_clients ? r->cap_clients * 2 : 256;
    client_rec *grown = realloc(r->clients, cap * sizeof *grown);
    if (!grown)
      return nomem(err, errlen);
    r->clients = grown;
    r->cap_clients = cap;
  }
  const char *name = hp_string(rec, "name");
  client_rec *c = &r->clients[r->n_clients];
  memset(c, 0, sizeof *c);
  c->id = id;
  c->inactive = hp_bool(rec, "inactive", 0);
  c->name = name ? strdup(name) : NULL;
  if ((name && !c->name) || hp_idset_add(&r->client_ids, id) < 0) {
    free(c->name);
    return nomem(err, errlen);
  }
  r->n_clients++;
  return LPSA_OK;
}

static size_t missing_requested(const snap_run *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->req->n_company_ids; i++) {
    long long id;
    if (hp_id_text(r->req->company_ids[i], &id) == 0 &&
        !hp_idset_has(&r->client_ids, id))
      n++;
  }
  return n;
}

/* GET /Client/{id} for each requested client not seen yet. */
static int read_missing_clients(snap_run *r, char *err, size_t errlen) {
  for (size_t i = 0; i < r->req->n_company_ids; i++) {
    long long id;
    if (hp_id_text(r->req->company_ids[i], &id) != 0 ||
        hp_idset_has(&r->client_ids, id))
      continue;
    char path[64], doing[96];
    snprintf(path, sizeof path, "Client/%lld", id);
    snprintf(doing, sizeof doing, "reading client %lld", id);
    hp_call c = {.path = path,
                 .label = "halopsa GET Client/{id}",
                 .doing = doing,
                 .scope = "read:customers"};
    json_object *doc = NULL;
    int rc = hp_get_json(r->ctx, &c, &doc, err, errlen);
    long long got;
    if (rc == LPSA_ERR_NOT_FOUND)
      continue; /* no such client: PSA_COMPANY_NOT_FOUND */
    if (rc == LPSA_OK &&
        (hp_id(hp_member(doc, "id"), &got) != 0 || got != id)) {
      snprintf(err, errlen,
               "HaloPSA answered client %lld with a record of another id: "
               "the answer is not the API's",
               id);
      rc = LPSA_ERR_PROTOCOL;
    }
    if (rc == LPSA_OK)
      rc = keep_client(r, doc, err, errlen);
    json_object_put(doc);
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

static int read_clients(snap_run *r, char *err, size_t errlen) {
  hp_list_req lr = {.entity = "Client",
                    .key = "clients",
                    .query = "includeinactive=true",
                    .what = "clients",
                    .scope = "read:customers"};
  hp_list l;
  int rc = hp_list_first(&l, r->ctx, &lr, keep_client, r, err, errlen);
  if (rc == LPSA_OK) {
    long left = hp_list_pages_left(&l);
    size_t missing = missing_requested(r);
    int all = r->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES;
    if (left == 0) {
      r->clients_complete = 1;
    } else if (!all && (long)missing < left) {
      rc = read_missing_clients(r, err, errlen);
    } else {
      rc = hp_list_rest(&l, keep_client, r, err, errlen);
      r->clients_complete = rc == LPSA_OK;
    }
  }
  hp_list_free(&l);
  return rc;
}

static int emit_client(snap_run *r, client_rec *c, char *err, size_t errlen) {
  char id[32];
  snprintf(id, sizeof id, "%lld", c->id);
  lpsa_company co = LPSA_INIT(lpsa_company);
  co.id = id;
  co.name = c->name;
  co.active = !c->inactive;
  int rc = r->ctx->api->add_company(r->snap, &co);
  if (rc) {
    snprintf(err, errlen, "the host refused client %s (%s)", id,
             r->ctx->api->status_str(rc));
    return rc;
  }
  c->emitted = 1;
  return LPSA_OK;
}

static int emit_clients(snap_run *r, char *err, size_t errlen) {
  int all = r->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES;
  for (size_t i = 0; i < r->n_clients; i++) {
    client_rec *c = &r->clients[i];
    if (!all && !hp_idset_has(&r->requested, c->id))
      continue;
    int rc = emit_client(r, c, err, errlen);
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

static client_rec *client_of(snap_run *r, long long id) {
  for (size_t i = 0; i < r->n_clients; i++)
    if (r->clients[i].id == id)
      return &r->clients[i];
  return NULL;
}

/* ---- invoices ----------------------------------------------------------- */

static int keep_invoice(void *arg, json_object *rec, char *err, size_t errlen) {
  snap_run *r = arg;
  hp_invoice inv;
  if (hp_invoice_read(rec, &inv, err, errlen) != 0) {
    size_t n = strlen(err);
    snprintf(err + n, errlen - n, ": HaloPSA's answer is not the API's");
    return LPSA_ERR_PROTOCOL;
  }
  if (r->only_client != LLONG_MIN && inv.client_id != r->only_client) {
    snprintf(err, errlen,
             "HaloPSA answered the recurring invoices of client %lld with "
             "invoice %lld of client %lld: it ignored the client_id filter, "
             "so its answer cannot be trusted",
             r->only_client, inv.id, inv.client_id);
    return LPSA_ERR_PROTOCOL;
  }
  int added = hp_idset_add(&r->invoice_ids, inv.id);
  if (added < 0)
    return nomem(err, errlen);
  if (added == 0)
    return LPSA_OK; /* seen on the first page of the whole list */
  if (r->n_invoices == r->cap_invoices) {
    size_t cap = r->cap_invoices ? r->cap_invoices * 2 : 256;
    json_object **grown = realloc(r->invoices, cap * sizeof *grown);
    if (!grown)
      return nomem(err, errlen);
    r->invoices = grown;
    r->cap_invoices = cap;
  }
  r->invoices[r->n_invoices++] = json_object_get(rec);
  return LPSA_OK;
}

/* Clients whose invoices the sync needs: emitted and active. */
static size_t invoice_clients(const snap_run *r) {
  size_t n = 0;
  for (size_t i = 0; i < r->n_clients; i++)
    n += r->clients[i].emitted && !r->clients[i].inactive;
  return n;
}

static int read_client_invoices(snap_run *r, char *err, size_t errlen) {
  for (size_t i = 0; i < r->n_clients; i++) {
    client_rec *c = &r->clients[i];
    if (!c->emitted || c->inactive)
      continue;
    char query[96], what[96];
    snprintf(query, sizeof query, "client_id=%lld&includelines=true", c->id);
    snprintf(what, sizeof what, "recurring invoices of client %lld", c->id);
    hp_list_req lr = {.entity = "RecurringInvoice",
                      .key = "invoices",
                      .query = query,
                      .what = what,
                      .scope = "read:invoices"};
    r->only_client = c->id;
    int rc = hp_list_all(r->ctx, &lr, keep_invoice, r, err, errlen);
    r->only_client = LLONG_MIN;
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

static int read_invoices(snap_run *r, char *err, size_t errlen) {
  size_t needed = invoice_clients(r);
  int all = r->req->flags & LPSA_SNAPSHOT_ALL_COMPANIES;
  if (needed == 0 && !all && r->req->n_agreement_ids == 0)
    return LPSA_OK;
  hp_list_req lr = {.entity = "RecurringInvoice",
                    .key = "invoices",
                    .query = "includelines=true",
                    .what = "recurring invoices",
                    .scope = "read:invoices"};
  hp_list l;
  int rc = hp_list_first(&l, r->ctx, &lr, keep_invoice, r, err, errlen);
  if (rc == LPSA_OK) {
    long left = hp_list_pages_left(&l);
    if (left == 0) {
      r->whole_invoice_list = 1;
    } else if (!all && (long)needed < left) {
      rc = read_client_invoices(r, err, errlen);
    } else {
      rc = hp_list_rest(&l, keep_invoice, r, err, errlen);
      r->whole_invoice_list = rc == LPSA_OK;
    }
  }
  hp_list_free(&l);
  return rc;
}

/* Pinned invoices not read so far (the mapping names them by id). */
static int read_pinned(snap_run *r, char *err, size_t errlen) {
  for (size_t i = 0; i < r->req->n_agreement_ids; i++) {
    long long id;
    if (hp_id_text(r->req->agreement_ids[i], &id) != 0 ||
        hp_idset_has(&r->invoice_ids, id))
      continue;
    char path[64], doing[96];
    snprintf(path, sizeof path, "RecurringInvoice/%lld", id);
    snprintf(doing, sizeof doing, "reading recurring invoice %lld", id);
    hp_call c = {.path = path,
                 .label = "halopsa GET RecurringInvoice/{id}",
                 .doing = doing,
                 .scope = "read:invoices"};
    json_object *doc = NULL;
    int rc = hp_get_json(r->ctx, &c, &doc, err, errlen);
    if (rc == LPSA_ERR_NOT_FOUND)
      continue; /* AGREEMENT_NOT_FOUND, the host's to report */
    if (rc == LPSA_OK)
      rc = keep_invoice(r, doc, err, errlen);
    json_object_put(doc);
    if (rc)
      return rc;
  }
  return LPSA_OK;
}

/* ---- emitting ----------------------------------------------------------- */

static int note(snap_run *r, const char *client, const char *invoice,
                const char *line, const char *message, char *err,
                size_t errlen) {
  lpsa_note n = LPSA_INIT(lpsa_note);
  n.kind = LPSA_NOTE_BAD_RECORD;
  n.company_id = client;
  n.agreement_id = invoice;
  n.line_id = line;
  n.message = message;
  int rc = r->ctx->api->add_note(r->snap, &n);
  if (rc)
    snprintf(err, errlen, "the host refused a note on client %s (%s)", client,
             r->ctx->api->status_str(rc));
  return rc;
}

/* Why a live line of a configured item cannot be synced (a sentence with
 * what to do), or NULL; *q gets the quantity of a usable line. */
static const char *unusable(const hp_line *l, long long *q, char *why,
                            size_t cap) {
  if (!l->has_id)
    snprintf(why, cap,
             "an invoice line of item %lld has no id, so lpsa cannot write "
             "to it: correct the line in HaloPSA",
             l->item_id);
  else if (l->qty_type_set)
    snprintf(why, cap,
             "invoice line %lld's quantity is computed by HaloPSA "
             "(recurring_invoice_quantity_type %lld), so lpsa does not set "
             "it: make that line's quantity manual in HaloPSA, or remove "
             "this client from the mapping file",
             l->id, l->qty_type);
  else if (l->qty_state == HP_QTY_NULL)
    snprintf(why, cap,
             "invoice line %lld has no quantity (qty_order is null): set it "
             "in HaloPSA",
             l->id);
  else if (l->qty_state != HP_QTY_OK)
    snprintf(why, cap,
             "invoice line %lld's quantity is not a number: correct it in "
             "HaloPSA",
             l->id);
  else if (!hp_qty_whole(l->qty, q))
    snprintf(why, cap,
             "invoice line %lld has quantity %g, not a whole number of "
             "seats: correct it in HaloPSA",
             l->id, l->qty);
  else
    return NULL;
  return why;
}

static int emit_lines(snap_run *r, const hp_invoice *inv, const char *client,
                      const char *invoice, int orphan, char *err,
                      size_t errlen) {
  size_t n = json_object_array_length(inv->lines);
  for (size_t i = 0; i < n; i++) {
    hp_line l;
    hp_line_read(json_object_array_get_idx(inv->lines, i), &l);
    long product = l.has_item
                       ? hp_items_index(r->items, r->req->n_products, l.item_id)
                       : -1;
    if (product < 0 || !hp_line_live(&l, r->as_of))
      continue;
    long long q = 0;
    char why[512], text[768];
    if (unusable(&l, &q, why, sizeof why)) {
      if (orphan)
        continue;
      snprintf(text, sizeof text, "HaloPSA recurring invoice %s: %s", invoice,
               why);
      char lid[32];
      snprintf(lid, sizeof lid, "%lld", l.id);
      int rc =
          note(r, client, invoice, l.has_id ? lid : NULL, text, err, errlen);
      if (rc)
        return rc;
      continue;
    }
    char id[32];
    snprintf(id, sizeof id, "%lld", l.id);
    lpsa_line line = LPSA_INIT(lpsa_line);
    line.id = id;
    line.agreement_id = invoice;
    line.product = (size_t)product;
    line.quantity = q;
    line.description = l.description;
    int rc = r->ctx->api->add_line(r->snap, &line);
    if (rc) {
      snprintf(err, errlen, "the host refused invoice line %s (%s)", id,
               r->ctx->api->status_str(rc));
      return rc;
    }
  }
  return LPSA_OK;
}

/* Does an invoice bill a configured item with a usable line (orphans)? */
static int bills_configured(const snap_run *r, const hp_invoice *inv) {
  size_t n = json_object_array_length(inv->lines);
  for (size_t i = 0; i < n; i++) {
    hp_line l;
    hp_line_read(json_object_array_get_idx(inv->lines, i), &l);
    long long q;
    char why[512];
    if (l.has_item &&
        hp_items_index(r->items, r->req->n_products, l.item_id) >= 0 &&
        hp_line_live(&l, r->as_of) && !unusable(&l, &q, why, sizeof why) &&
        q > 0)
      return 1;
  }
  return 0;
}

static int emit_invoice(snap_run *r, json_object *rec, char *err,
                        size_t errlen) {
  hp_invoice inv;
  if (hp_invoice_read(rec, &inv, err, errlen) != 0)
    return LPSA_ERR_PROTOCOL;
  if (!hp_invoice_active(&inv, r->as_of))
    return LPSA_OK;
  if (!inv.lines) {
    snprintf(err, errlen,
             "HaloPSA sent recurring invoice %lld without its lines although "
             "they were asked for (includelines=true): its answer cannot be "
             "trusted",
             inv.id);
    return LPSA_ERR_PROTOCOL;
  }
  client_rec *c = client_of(r, inv.client_id);
  int orphan = 0;
  if (!c || !c->emitted) {
    /* Outside the request: worth reporting only when it bills LastPass
     * and the whole lists were read anyway. */
    if (!c || !r->clients_complete || !r->whole_invoice_list ||
        !bills_configured(r, &inv))
      return LPSA_OK;
    int rc = emit_client(r, c, err, errlen);
    if (rc)
      return rc;
    orphan = 1;
  }
  char client[32], invoice[32];
  snprintf(client, sizeof client, "%lld", inv.client_id);
  snprintf(invoice, sizeof invoice, "%lld", inv.id);
  lpsa_agreement ag = LPSA_INIT(lpsa_agreement);
  ag.id = invoice;
  ag.company_id = client;
  ag.period = LPSA_PERIOD_NONE;
  int rc = r->ctx->api->add_agreement(r->snap, &ag);
  if (rc) {
    snprintf(err, errlen, "the host refused recurring invoice %s (%s)", invoice,
             r->ctx->api->status_str(rc));
    return rc;
  }
  return emit_lines(r, &inv, client, invoice, orphan, err, errlen);
}

/* ---- the operation ------------------------------------------------------ */

static void run_free(snap_run *r) {
  for (size_t i = 0; i < r->n_clients; i++)
    free(r->clients[i].name);
  free(r->clients);
  for (size_t i = 0; i < r->n_invoices; i++)
    json_object_put(r->invoices[i]);
  free(r->invoices);
  free(r->items);
  hp_idset_free(&r->requested);
  hp_idset_free(&r->client_ids);
  hp_idset_free(&r->invoice_ids);
}

static int run(snap_run *r, char *err, size_t errlen) {
  const lpsa_snapshot_request *req = r->req;
  int companies_only = req->flags & LPSA_SNAPSHOT_COMPANIES_ONLY;
  for (size_t i = 0; i < req->n_company_ids; i++) {
    long long id;
    if (req->company_ids[i] && hp_id_text(req->company_ids[i], &id) == 0 &&
        hp_idset_add(&r->requested, id) < 0)
      return nomem(err, errlen);
  }
  int rc = LPSA_OK;
  if (!companies_only && req->n_products) {
    r->items = calloc(req->n_products, sizeof *r->items);
    if (!r->items)
      return nomem(err, errlen);
    rc = hp_items_resolve(r->ctx, req, r->snap, r->items, err, errlen);
    if (rc)
      return rc;
  }
  if (req->n_company_ids || (req->flags & LPSA_SNAPSHOT_ALL_COMPANIES)) {
    rc = read_clients(r, err, errlen);
    if (!rc)
      rc = emit_clients(r, err, errlen);
    if (rc)
      return rc;
  }
  if (companies_only || !r->items)
    return LPSA_OK;
  rc = read_invoices(r, err, errlen);
  if (!rc)
    rc = read_pinned(r, err, errlen);
  for (size_t i = 0; !rc && i < r->n_invoices; i++)
    rc = emit_invoice(r, r->invoices[i], err, errlen);
  return rc;
}

int hp_snapshot(lpsa_driver_ctx *vctx, const lpsa_snapshot_request *req,
                lpsa_snapshot *snap, char *err, size_t errlen) {
  hp_ctx *ctx = vctx;
  if (!err || errlen == 0)
    return LPSA_ERR_INVALID;
  err[0] = '\0';
  if (!ctx || !req || !snap || (req->n_products && !req->products) ||
      (req->n_company_ids && !req->company_ids) ||
      (req->n_agreement_ids && !req->agreement_ids)) {
    snprintf(err, errlen, "snapshot called without a request or snapshot");
    return LPSA_ERR_INVALID;
  }
  snap_run r;
  memset(&r, 0, sizeof r);
  r.ctx = ctx;
  r.req = req;
  r.snap = snap;
  r.only_client = LLONG_MIN;
  if (req->as_of && strlen(req->as_of) == 10)
    memcpy(r.as_of, req->as_of, 11);
  else
    hp_today(ctx, r.as_of);
  int rc = run(&r, err, errlen);
  run_free(&r);
  return rc;
}
