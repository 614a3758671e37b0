/* SPDX-License-Identifier: MIT */
/*
 * snapshot.h — the host-owned copy of what a driver reported about the PSA.
 *
 * Drivers fill it only through the builder calls of the host table
 * (snapshot_add_company() and friends are those calls); the rules and the
 * planner read it as plain arrays. Every string is an owned copy.
 */
#ifndef LPSA_CORE_SNAPSHOT_H
#define LPSA_CORE_SNAPSHOT_H

#include <stddef.h>

#include "lpsa/host.h"
#include "lpsa/model.h"
#include "strmap.h"

typedef struct snap_product {
  char *sku;
  char *ref;
  int found;
  char *psa_id; /* when found */
  char *label;  /* the PSA's name for it, when given */
} snap_product;

typedef struct snap_company {
  char *id;
  char *name;
  int active;
} snap_company;

typedef struct snap_agreement {
  char *id;
  size_t company; /* index into companies */
  char *name;
  char *type;
  int prorate;
  lpsa_period_state period;
  char *period_start;
  char *period_end;
  char *note;
} snap_agreement;

typedef struct snap_line {
  char *id;
  size_t agreement; /* index into agreements */
  size_t product;   /* index into products */
  long long quantity;
  char *description;
} snap_line;

/* A driver's note about one company (lpsa_host_api.add_note). */
typedef struct snap_note {
  lpsa_note_kind kind; /* an unknown kind is stored as LPSA_NOTE_BAD_RECORD */
  size_t company;      /* index into companies */
  long agreement;      /* index into agreements, or -1 */
  char *line_id;       /* or NULL */
  char *message;
} snap_note;

struct lpsa_snapshot {
  snap_product *products;
  size_t n_products;
  snap_company *companies;
  size_t n_companies, cap_companies;
  snap_agreement *agreements;
  size_t n_agreements, cap_agreements;
  snap_line *lines;
  size_t n_lines, cap_lines;
  snap_note *notes;
  size_t n_notes, cap_notes;
  strmap company_ix, agreement_ix, line_ix;
  /* The first builder error, kept so a driver that ignores a return code
   * still fails the snapshot. */
  char error[256];
};

/* A snapshot expecting the products of `req` (copied). NULL on OOM. */
lpsa_snapshot *snapshot_new(const lpsa_snapshot_request *req);
void snapshot_free(lpsa_snapshot *snap);

/* The builder calls of the host table. */
int snapshot_add_company(lpsa_snapshot *snap, const lpsa_company *company);
int snapshot_add_agreement(lpsa_snapshot *snap, const lpsa_agreement *ag);
int snapshot_add_line(lpsa_snapshot *snap, const lpsa_line *line);
int snapshot_add_note(lpsa_snapshot *snap, const lpsa_note *note);
int snapshot_product_found(lpsa_snapshot *snap, size_t index,
                           const char *psa_product_id, const char *label);

/* Lookups by PSA id; -1 when absent. */
long snapshot_find_company(const lpsa_snapshot *snap, const char *id);
long snapshot_find_agreement(const lpsa_snapshot *snap, const char *id);
long snapshot_find_line(const lpsa_snapshot *snap, const char *id);

#endif
