/* SPDX-License-Identifier: MIT */
/*
 * fuzz_mapping.c — libFuzzer target for the mapping CSV parser
 * (core/config/mapping.c: mapping_parse_buffer) and the duplicate finder.
 *
 * Beyond "no crash, no leak", a parsed mapping must keep the promises of
 * mapping.h: both ids of every row are non-empty, optional fields are NULL
 * rather than empty, lines never go backwards, and every duplicate set
 * names at least two rows that really share the id.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mapping.h"

static void check_rows(const mapping *m) {
  int last_line = 0;
  for (size_t i = 0; i < m->n_rows; i++) {
    const mapping_row *r = &m->rows[i];
    if (!r->lastpass_company_id || !*r->lastpass_company_id ||
        !r->psa_company_id || !*r->psa_company_id)
      abort();
    if ((r->agreement_id && !*r->agreement_id) || (r->note && !*r->note))
      abort();
    if (r->line < 1 || r->line < last_line)
      abort();
    last_line = r->line;
  }
}

static void check_dups(const mapping *m) {
  mapping_dups d;
  if (mapping_find_duplicates(m, &d) != 0)
    return;
  for (size_t i = 0; i < d.n; i++) {
    const mapping_dup *s = &d.items[i];
    if (s->n_rows < 2)
      abort();
    for (size_t j = 0; j < s->n_rows; j++) {
      if (s->rows[j] >= m->n_rows || (j && s->rows[j] <= s->rows[j - 1]))
        abort();
      const mapping_row *r = &m->rows[s->rows[j]];
      const char *id = s->kind == MAPPING_DUP_LASTPASS ? r->lastpass_company_id
                                                       : r->psa_company_id;
      if (strcmp(id, s->id) != 0)
        abort();
    }
  }
  mapping_dups_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mapping m;
  char err[8192];
  if (mapping_parse_buffer((const char *)data, size, "fuzz.csv", &m, err,
                           sizeof err) != 0) {
    if (m.rows || m.n_rows || !err[0])
      abort();
    return 0;
  }
  check_rows(&m);
  check_dups(&m);
  mapping_free(&m);
  return 0;
}
