/* SPDX-License-Identifier: MIT */
/*
 * ats_render.h — a stored item as the API sends it.
 *
 * Every schema field is written, in schema order, null when unset (the real
 * API sends nulls), datetimes in the configured style, userDefinedFields as
 * an array. IncludeFields trims the item to the named fields. Two domain
 * faults damage items: "wrong_types" (numbers as strings, booleans as 0/1)
 * and "missing_fields" (everything but id left out).
 *
 * A stored item may carry "wire": {"field": value, ...}: those fields are
 * sent as given, unchecked, instead of the stored values (which filters and
 * adjustments keep using). That is how a dataset holds a record the real
 * API sends broken: a units row with "units": null or 2.5, a contract
 * service without its serviceID, an id beyond the 64-bit range.
 */
#ifndef ATS_RENDER_H
#define ATS_RENDER_H

#include <json-c/json.h>
#include <stddef.h>

#include "ats_date.h"
#include "ats_schema.h"

#define ATS_MAX_FIELDS 32

typedef struct ats_render_opts {
  ats_date_style style;
  int wrong_types;
  int missing_fields;
} ats_render_opts;

/* Fills mask[ATS_MAX_FIELDS] from an IncludeFields array (NULL or empty: all
 * fields; userDefinedFields always, as Autotask sends them). -1 with the
 * API's message when a name is unknown. */
int ats_render_mask(const ats_entity *e, json_object *include,
                    unsigned char *mask, char *err, size_t len);

/* A new object, or NULL on allocation failure. */
json_object *ats_render_item(const ats_entity *e, json_object *item,
                             const unsigned char *mask,
                             const ats_render_opts *opt);

#endif
