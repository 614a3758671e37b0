/* SPDX-License-Identifier: MIT */
/*
 * call.h — one API call being answered, shared by the router (api.c) and the
 * resource handlers (listing.c, update.c). Internal to the simulator.
 */
#ifndef CW_CALL_H
#define CW_CALL_H

#include "api.h"
#include "query.h"
#include "schema.h"

typedef struct cw_call {
  cw_sim *sim;
  const cw_request *req;
  cw_response *resp;
  cw_query query;
  char *base_url; /* "http://host/v4_6_release/apis/3.0/..." for Link */
} cw_call;

/* Which records a list or count looks at: every element of `records`, or
 * (index not NULL) records[index[first..first+count)]. */
typedef struct cw_source {
  json_object *records;
  const size_t *index;
  size_t first, count;
} cw_source;

/* GET collection: conditions, orderBy, fields, paging, Link. */
void cw_serve_list(cw_call *c, const cw_schema *s, const cw_source *src);
/* GET .../count: {"count":N} honouring conditions. */
void cw_serve_count(cw_call *c, const cw_schema *s, const cw_source *src);
/* GET .../{id}: one record (fields honoured) or 404 naming `what`. */
void cw_serve_one(cw_call *c, const cw_schema *s, json_object *rec,
                  const char *what, long id);
/* PATCH / PUT finance/agreements/{agreementId}/additions/{id}. */
void cw_serve_patch(cw_call *c, long agreement_id, long id);
void cw_serve_put(cw_call *c, long agreement_id, long id);

/* Turns a record about to be sent into its on-the-wire form: trims nulls
 * when configured and applies the record-level domain faults
 * (wrong_types, missing_fields). */
void cw_finish_record(cw_call *c, const cw_schema *s, json_object *rec);

#endif
