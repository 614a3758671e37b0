/* SPDX-License-Identifier: MIT */
/*
 * ats_fields.h — entity metadata: entityInformation, .../fields and
 * .../userDefinedFields, built from the schema and the instance's picklists
 * so a driver can (and must) read picklist numbers from here.
 */
#ifndef ATS_FIELDS_H
#define ATS_FIELDS_H

#include <json-c/json.h>

#include "ats_db.h"
#include "ats_schema.h"

/* {"info":{"name":..,"canCreate":..,"canQuery":..,...}} */
json_object *ats_fields_info(const ats_entity *e);
/* {"fields":[{"name","dataType","isPickList","picklistValues",...}]} */
json_object *ats_fields_list(ats_db *db, const ats_entity *e);
/* {"fields":[...]} of the user-defined fields seen on the entity's items */
json_object *ats_fields_udfs(ats_db *db, const ats_entity *e);

#endif
