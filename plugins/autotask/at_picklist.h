/* SPDX-License-Identifier: MIT */
/*
 * at_picklist.h — picklists read from GET /v1.0/{Entity}/entityInformation/
 * fields. Pure: parsing and lookups only.
 *
 * Picklist numbers are per Autotask instance (Services periodType, Contracts
 * status, contractType, contractCategory), so the driver reads them and
 * matches LABELS. Values arrive as strings ("1") or numbers; both are read.
 */
#ifndef AT_PICKLIST_H
#define AT_PICKLIST_H

#include <json-c/json.h>
#include <stddef.h>

typedef struct at_pick {
  long long value;
  char *label;
  int active;
} at_pick;

typedef struct at_picklist {
  at_pick *items;
  size_t n;
  int found; /* 1 when the field exists and is a picklist */
} at_picklist;

/* Read the picklist of `field` (case-insensitive name) from a parsed fields
 * answer {"fields":[...]}. A field that is absent or not a picklist leaves
 * out->found = 0 and returns 0. Returns -1 with a message in err when the
 * answer is malformed or memory runs out. */
int at_picklist_parse(json_object *root, const char *field, at_picklist *out,
                      char *err, size_t errlen);

void at_picklist_free(at_picklist *p);

/* The label of `value`, or NULL. */
const char *at_picklist_label(const at_picklist *p, long long value);

/* The value whose label equals `label` ignoring case and surrounding
 * blanks. Returns 1 and *value when exactly one matches, 0 when none, -1
 * when several do. */
int at_picklist_value(const at_picklist *p, const char *label,
                      long long *value);

#endif
