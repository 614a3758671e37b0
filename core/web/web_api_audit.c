/* SPDX-License-Identifier: MIT */
/*
 * web_api_audit.c — GET /api/v1/audit: what people did through the
 * console (web_audit.h), newest first, paginated; `action` filters by
 * prefix ("mapping.", "login").
 */
#include "web_audit.h"
#include "web_router.h"

void web_api_audit(web_request *req, web_reply *rep) {
  long long page, per_page;
  if (web_query_int(req, rep, "page", 1, 1, 1000000, &page) ||
      web_query_int(req, rep, "per_page", 50, 1, 200, &per_page))
    return;
  json_object *o =
      req->c->db ? web_audit_list(req->c->db, web_query(req, "action"),
                                  (int)((page - 1) * per_page), (int)per_page)
                 : NULL;
  if (!o) {
    web_reply_error(rep, 500, "journal", "cannot read the journal");
    return;
  }
  json_object_object_add(o, "page", json_object_new_int64(page));
  json_object_object_add(o, "per_page", json_object_new_int64(per_page));
  web_reply_json(rep, 200, o);
}
