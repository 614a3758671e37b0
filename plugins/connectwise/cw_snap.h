/* SPDX-License-Identifier: MIT */
/*
 * cw_snap.h — the state of one snapshot() call, shared by its parts:
 * cw_catalog.c (products), cw_snapshot.c (companies, agreements, the order
 * of things) and cw_additions.c (lines, read concurrently).
 */
#ifndef CW_SNAP_H
#define CW_SNAP_H

#include "cw_client.h"
#include "cw_idset.h"

/* Chunking of `id in (...)` lists: at most this many ids per request, and
 * whatever fits the URL budget (cw_budget.h). */
#define CW_CHUNK_IDS 200
/* Additions requests per http_many() call. The host keeps the requests of
 * one call flowing (the next starts when any answers), so the larger the
 * call the fewer waits for a slowest answer; this only bounds memory (the
 * answers of a call are held until it returns) for the largest accounts. */
#define CW_ADDITIONS_BATCH 10000

typedef struct cw_snap {
  cw_ctx *c;
  const lpsa_snapshot_request *req;
  lpsa_snapshot *snap;
  char *err;
  size_t errlen;
  char as_of[11]; /* YYYY-MM-DD */

  /* Catalog products found: distinct ids, each with the first configured
   * product index that resolved to it. */
  long long *prod_ids;
  size_t *prod_index;
  size_t n_prod;

  /* Mapped company ids that can be ConnectWise ids, deduplicated. */
  long long *mapped;
  size_t n_mapped;
  cw_idset mapped_set;
  /* Companies are read as the whole list (cheaper than id chunks): only
   * mapped ones are emitted. */
  int whole_companies;
  cw_idset companies; /* emitted */

  /* Company statuses (company/companies/statuses): the ids listed, and
   * those whose inactiveFlag is set. */
  cw_idset statuses, inactive_statuses;

  /* Emitted agreements, in order, with their company. */
  long long *agreements;
  long long *agreement_company;
  size_t n_agreements, cap_agreements;
  cw_idset agreement_set;
} cw_snap;

/* cw_catalog.c: resolve the configured products, report product_found(). */
int cw_snap_products(cw_snap *s);
/* cw_additions.c: read and emit the lines of every emitted agreement. */
int cw_snap_additions(cw_snap *s);

/* The configured product index for catalog id `id`, or -1. */
long cw_snap_product_index(const cw_snap *s, long long id);

/* Attach an LPSA_NOTE_BAD_RECORD note to emitted company `company` (and
 * agreement / line when not 0): that company becomes an error, the rest of
 * the run goes on. */
int cw_snap_bad_record(cw_snap *s, long long company, long long agreement,
                       long long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The company of emitted agreement `agreement`, or 0. */
long long cw_snap_agreement_company(const cw_snap *s, long long agreement);

/* Fail the snapshot with a formatted message; returns `status`. */
int cw_snap_fail(cw_snap *s, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
