/* SPDX-License-Identifier: MIT */
/*
 * ats_picklist.h — picklist numbering of one simulated Autotask instance.
 *
 * In Autotask most picklist numbers are chosen per instance: a driver must
 * read them from entityInformation/fields and match labels. The simulator
 * makes that visible: every per-instance picklist is numbered from
 * deliberately odd defaults plus an offset (--picklist-offset or the
 * fixture's "picklistOffset"), and a fixture can replace any list. The
 * documented ones stay fixed: Contracts.contractType (7 = Recurring Service)
 * and Contracts.status (1 active, 0 inactive).
 *
 * Picklists live in the dataset as
 *   {"Services.periodType":[{"value":"4","label":"Monthly","isActive":true}]}
 * (values are strings, as on the wire).
 */
#ifndef ATS_PICKLIST_H
#define ATS_PICKLIST_H

#include <json-c/json.h>

#define ATS_CONTRACT_TYPE_RECURRING 7
#define ATS_CONTRACT_STATUS_ACTIVE 1
#define ATS_CONTRACT_STATUS_INACTIVE 0

/* The default picklists, per-instance values shifted by offset. Returns a
 * new object or NULL on allocation failure. */
json_object *ats_picklist_defaults(int offset);

/* The list of "Entity.field" in picklists, or NULL. */
json_object *ats_picklist_list(json_object *picklists, const char *entity,
                               const char *field);

/* The number of a label (case-insensitive). Returns 0 and sets *value, or -1
 * when the list or label is unknown. */
int ats_picklist_value(json_object *picklists, const char *entity,
                       const char *field, const char *label, int *value);

/* The label of a number, or NULL. */
const char *ats_picklist_label(json_object *picklists, const char *entity,
                               const char *field, int value);

/* Months in a billing period named by a Services.periodType label
 * ("Monthly" 1, "Quarterly" 3, "Semi-Annual" 6, "Yearly"/"Annual" 12);
 * 0 when the label is not a period. */
int ats_period_months(const char *label);

#endif
