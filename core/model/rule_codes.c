/* SPDX-License-Identifier: MIT */
/*
 * rule_codes.c — the catalogue's table, and findings made from it.
 */
#include "rule_codes.h"

#include <string.h>

static const rule_info table[RULE_COUNT_] = {
#define LPSA_RULE_ROW(name, sev, holds, doc, meaning)                          \
  [RULE_##name] = {#name, sev, holds, doc, meaning},
    LPSA_RULE_CODES(LPSA_RULE_ROW)
#undef LPSA_RULE_ROW
};

const rule_info *rule_info_of(rule_code r) {
  return (unsigned)r < RULE_COUNT_ ? &table[r] : NULL;
}

const rule_info *rule_info_find(const char *code) {
  for (size_t i = 0; code && i < RULE_COUNT_; i++)
    if (strcmp(table[i].code, code) == 0)
      return &table[i];
  return NULL;
}

int finding_rule(finding_list *list, rule_code r, const char *fmt, ...) {
  const rule_info *ri = rule_info_of(r);
  if (!ri)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  int rc = findings_vadd(list, ri->code, ri->sev, fmt, ap);
  va_end(ap);
  return rc;
}

int finding_rule_sev(finding_list *list, rule_code r, severity sev,
                     const char *fmt, ...) {
  const rule_info *ri = rule_info_of(r);
  if (!ri)
    return -1;
  va_list ap;
  va_start(ap, fmt);
  int rc = findings_vadd(list, ri->code, sev, fmt, ap);
  va_end(ap);
  return rc;
}

int findings_has_rule(const finding_list *list, rule_code r) {
  const rule_info *ri = rule_info_of(r);
  return ri && findings_has(list, ri->code);
}
