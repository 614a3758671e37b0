/* SPDX-License-Identifier: MIT */
/*
 * lastpass_data.c — freeing and searching what was read from LastPass.
 */
#include "lastpass_data.h"

#include <stdlib.h>
#include <string.h>

void lp_data_free(lp_data *data) {
  for (size_t i = 0; i < data->n; i++) {
    free(data->companies[i].id);
    free(data->companies[i].name);
  }
  free(data->companies);
  strmap_free(&data->ix);
  memset(data, 0, sizeof *data);
}

long lp_data_find(const lp_data *data, const char *id) {
  size_t v;
  return id && strmap_get(&data->ix, id, &v) ? (long)v : -1;
}
