/* SPDX-License-Identifier: MIT */
/*
 * dataset.h — the simulated ConnectWise database and its fixture format.
 *
 * A fixture is one JSON object (also what GET /_sim/state answers and PUT
 * /_sim/state takes):
 *
 *   {"companies":  [{"id":1000,"name":"O'Brien & Sons"}, ...],
 *    "agreements": [{"id":5000,"company":{"id":1000}}, ...],
 *    "additions":  [{"id":9000,"agreementId":5000,
 *                    "product":{"identifier":"LASTPASS-BUS"},"quantity":12}],
 *    "catalog":    [{"id":700,"identifier":"LASTPASS-BUS","price":4.5}],
 *    "statuses":   [{"id":6,"name":"Former Client","inactiveFlag":true}],
 *    "denied":     ["finance/agreements", "PATCH
 * finance/agreements/additions"], "changes":    [...]}
 *
 * Records are written with their wire field names; only ids and references
 * are required, every other field gets a realistic default and derived
 * fields are recomputed (records.h). A dumped state therefore loads back
 * unchanged. Dates are normalised to "2026-11-01T00:00:00Z".
 *
 * `denied` lists the areas the API member's security role lacks: an entry
 * "finance/agreements" refuses every method under that path (ids left out,
 * so it covers finance/agreements/{id}/additions too); "PATCH
 * finance/agreements/additions" refuses one method only.
 * `statuses` are the company statuses (CW_DEFAULT_STATUSES when absent: the
 * ones a new ConnectWise tenant has); a company's status names one by id or
 * by name (absent: the defaultFlag one). Whether a status is inactive is only
 * its inactiveFlag, as on the real server, whatever its name says.
 * `changes` is the simulator's own journal of quantity updates (one object
 * per PATCH/PUT that changed a quantity), so tests can see what was written.
 */
#ifndef CW_DATASET_H
#define CW_DATASET_H

#include <json-c/json.h>
#include <stddef.h>

/* The statuses of a new tenant. */
#define CW_DEFAULT_STATUSES                                                    \
  "[{\"id\":1,\"name\":\"Active\",\"defaultFlag\":true},"                      \
  "{\"id\":2,\"name\":\"Inactive\",\"inactiveFlag\":true},"                    \
  "{\"id\":3,\"name\":\"Not-Approved\",\"inactiveFlag\":true},"                \
  "{\"id\":4,\"name\":\"Credit Hold\"},"                                       \
  "{\"id\":5,\"name\":\"Imported\"}]"

typedef struct cw_dataset {
  json_object *companies; /* arrays of wire records, sorted by id */
  json_object *agreements;
  json_object *additions;
  json_object *catalog;
  json_object *statuses; /* company statuses (company/companies/statuses) */
  json_object *denied;   /* array of strings */
  json_object *changes;  /* array of change objects */
  size_t *by_agreement;  /* additions indexes sorted by (agreementId, id) */
} cw_dataset;

/* Builds a dataset from a fixture (not consumed). `d` must be all zeroes. 0;
 * -1 with a message naming the record and field for a bad fixture; -2 when
 * out of memory. On failure `d` is left empty. */
int cw_dataset_load(cw_dataset *d, json_object *fixture, char *err,
                    size_t errlen);
void cw_dataset_free(cw_dataset *d);
/* The dataset in fixture form (a new, independent object), or NULL. */
json_object *cw_dataset_dump(const cw_dataset *d);

/* The position of the record with this id in one of the sorted arrays, or
 * -1. */
long cw_dataset_index(json_object *records, long id);
/* The record with this id in one of the sorted arrays, or NULL. */
json_object *cw_dataset_find(json_object *records, long id);
/* The additions of one agreement: *first is an index into d->by_agreement,
 * *count how many follow. */
void cw_dataset_additions_of(const cw_dataset *d, long agreement_id,
                             size_t *first, size_t *count);
#endif
