/* SPDX-License-Identifier: MIT */
/*
 * cw_list.h — reading ConnectWise lists page by page: one page's answer is
 * parsed as a JSON list, each record's id is checked against the ids already
 * seen (a record twice means the paging is broken or the data moved under
 * us: the read fails), each record goes to a callback, and the Link header
 * decides the next page (cw_pager.h). Used for every list the driver reads.
 */
#ifndef CW_LIST_H
#define CW_LIST_H

#include <json-c/json.h>

#include "cw_client.h"
#include "cw_idset.h"
#include "cw_pager.h"

/* Called for each record of a page. Returns LPSA_OK or a status with err. */
typedef int (*cw_record_fn)(void *arg, json_object *rec, char *err,
                            size_t errlen);

/* What is being read, for messages and 403 hints. */
typedef struct cw_list_kind {
  const char *record; /* "company", "agreement", "addition", "catalog item" */
  const char *area;   /* security-role area ("Finance > Agreements") */
  const char *grant;  /* "Inquire" */
} cw_list_kind;

/* Handle one page that arrived for pager `pg`: records to fn (ids checked
 * against `seen`), then advance the pager from the Link header. */
int cw_list_take_page(cw_ctx *c, const cw_list_kind *kind,
                      const lpsa_http_response *resp, cw_pager *pg,
                      cw_idset *seen, cw_record_fn fn, void *arg, char *err,
                      size_t errlen);

/* Read every page of `base` (a relative URL with its query) one after the
 * other. Records' ids are checked against `seen` (may be shared between
 * calls to catch a record returned by two queries, or NULL for a fresh set
 * per call). */
int cw_list_read(cw_ctx *c, const cw_list_kind *kind, const char *base,
                 cw_idset *seen, cw_record_fn fn, void *arg, char *err,
                 size_t errlen);

/* The same for a list counted at `total` records: its pages, known to
 * exist, are fetched at once (one http_many), then taken in order by the
 * same pager and guards; a page beyond the count (the list grew) is read
 * after them. As many requests as page by page. */
int cw_list_read_known(cw_ctx *c, const cw_list_kind *kind, const char *base,
                       long long total, cw_idset *seen, cw_record_fn fn,
                       void *arg, char *err, size_t errlen);

/* Build "<path>?conditions=<cond>&fields=<fields>&pageSize=<n>" with the
 * condition percent-encoded (cond and fields may be NULL). NULL on OOM. */
char *cw_list_query(cw_ctx *c, const char *path, const char *cond,
                    const char *fields, long page_size);

/* GET "<path>/count?conditions=<cond>" ({"count":N}). */
int cw_list_count(cw_ctx *c, const cw_list_kind *kind, const char *path,
                  const char *cond, long long *count, char *err, size_t errlen);

#endif
