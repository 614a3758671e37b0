/* SPDX-License-Identifier: MIT */
/*
 * lastpass_data.h — what the host read from LastPass: the managed companies
 * with their SKU and seat count, and the billing cycle. The rules read it;
 * net/lastpass.h fills it. A plain data type, so the rules do not see the
 * client that fetched it.
 */
#ifndef LPSA_CORE_LASTPASS_DATA_H
#define LPSA_CORE_LASTPASS_DATA_H

#include <stddef.h>

#include "strmap.h"

typedef struct lp_company {
  char *id; /* decimal */
  char *name;
  int suspended;
  const char *sku; /* LPSA_SKU_* */
  long long seats;
  int has_record; /* a billing record was found for it */
} lp_company;

typedef struct lp_data {
  lp_company *companies;
  size_t n, cap;
  strmap ix; /* id -> index */
  char cycle_start[11];
  char cycle_end[11];
} lp_data;

void lp_data_free(lp_data *data);
/* The index of the company with that id, or -1. */
long lp_data_find(const lp_data *data, const char *id);

#endif
