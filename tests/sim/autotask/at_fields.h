/*
 * at_fields.h — entity metadata: entityInformation, .../fields and
 * .../userDefinedFields, built from the schema and the instance's picklists
 * so a driver can (and must) read picklist numbers from here.
 */
#ifndef AT_FIELDS_H
#define AT_FIELDS_H

#include <json-c/json.h>

#include "at_db.h"
#include "at_schema.h"

/* {"info":{"name":..,"canCreate":..,"canQuery":..,...}} */
json_object *at_fields_info(const at_entity *e);
/* {"fields":[{"name","dataType","isPickList","picklistValues",...}]} */
json_object *at_fields_list(at_db *db, const at_entity *e);
/* {"fields":[...]} of the user-defined fields seen on the entity's items */
json_object *at_fields_udfs(at_db *db, const at_entity *e);

#endif
