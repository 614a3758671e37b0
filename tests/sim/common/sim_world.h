/* SPDX-License-Identifier: MIT */
/*
 * sim_world.h — the deterministic "world" of generated MSP customers shared
 * by the three simulators, so that `--generate N --seed S --change-pct P`
 * gives a LastPass dataset and PSA datasets that agree (same companies, PSA
 * quantities that differ from the LastPass seats for about P% of them).
 *
 * Company i (0..N-1) depends only on (seed, change_pct, i): no state, no
 * allocation, any process computes the same record.
 */
#ifndef LPSA_SIM_WORLD_H
#define LPSA_SIM_WORLD_H

#include <stdio.h>

typedef struct sim_world_company {
  int index;           /* 0..N-1 */
  long lastpass_id;    /* 100000 + index */
  long psa_company_id; /* 1000 + index (both PSAs use this id) */
  /* Deterministic and awkward on purpose: apostrophes, &, accents (UTF-8),
   * double quotes, %, commas, sometimes a trailing space, legal suffixes.
   * Unique within a world (ignoring the trailing space). */
  char name[128];
  int mfa;          /* 1: SKU "LastPass + MFA" (addons ["mfa"]) */
  int suspended;    /* about 2% */
  int seats;        /* LastPass activeUsers, 1..300 */
  int psa_quantity; /* what the PSA bills now: == seats, except for about
                       change_pct% of companies where it differs by a small
                       amount (never so that seats is a drop of more than
                       50% from it, and never below 0) */
  int changed;      /* psa_quantity != seats */
} sim_world_company;

#define SIM_WORLD_LASTPASS_ID_BASE 100000L
#define SIM_WORLD_PSA_ID_BASE 1000L

void sim_world_company_at(unsigned seed, int change_pct, int index,
                          sim_world_company *out);

/* The mapping CSV for companies 0..n-1: header
 * "lastpass_company_id,psa_company_id,agreement_id,note", agreement_id empty
 * (the only agreement is found), note = the company name (RFC 4180 quoted
 * when needed). Returns 0, or -1 on a write error. */
int sim_world_write_mapping(FILE *out, unsigned seed, int change_pct, int n);

/* Write `s` as one CSV field (quoted when it holds , " CR LF or leading /
 * trailing spaces). */
void sim_world_csv_field(FILE *out, const char *s);

#endif
