/* SPDX-License-Identifier: MIT */
/*
 * plan.h — a saved plan (the Terraform model): what a dry run decided,
 * with what it was decided from, so that `apply PLAN` writes exactly that
 * and refuses it when the world it was made in is gone.
 *
 * The decisions are an ordinary run_result (one outcome per LastPass
 * company, its line, old and new count, status and findings); the metadata
 * says where they came from. A parsed plan owns the rule codes its findings
 * point to (`codes`), since finding.code is not freed with the finding.
 */
#ifndef LPSA_CORE_PLAN_H
#define LPSA_CORE_PLAN_H

#include <stddef.h>

#include "outcome.h"

#define PLAN_SCHEMA "lpsa.plan/1"
#define PLAN_ID_LEN 48

typedef struct plan_meta {
  char id[PLAN_ID_LEN]; /* "20261125-120000-<12 hex of the content>" */
  char created[32];     /* UTC, "2026-11-25T12:00:00Z" */
  long long created_epoch;
  char *driver;         /* the [driver.NAME] section */
  char *driver_name;    /* the driver's own name (its descriptor) */
  char *driver_version; /* the driver's release */
  char *psa;            /* the PSA's name, for people */
  char *config_path;
  char config_digest[65]; /* SHA-256 of the configuration file, hex */
  char *mapping_path;
  char mapping_digest[65]; /* SHA-256 of the mapping file, hex */
  long long mapping_rows;
  char cycle_start[11]; /* the LastPass billing cycle, "YYYY-MM-DD" */
  char cycle_end[11];
  char as_of[11]; /* the run's date */
  long long made_by_run;
  char *made_by; /* the user who ran the dry run, or NULL */
  /* HMAC-SHA-256 of the document (plan_key.h), hex; "" until rendered */
  char tag[65];
} plan_meta;

typedef struct plan_doc {
  plan_meta meta;
  run_result res;
  char **codes; /* owned rule codes of a parsed plan */
  size_t n_codes, cap_codes;
} plan_doc;

/* The code's owned copy (one per distinct code), or NULL on OOM. */
const char *plan_doc_code(plan_doc *p, const char *code);
void plan_doc_free(plan_doc *p);
void plan_meta_free(plan_meta *m);

/* Counted over the outcomes: changes planned (ST_PLANNED) and held ones
 * with a target a person may approve. */
void plan_count(const run_result *res, size_t *planned, size_t *held);

#endif
