/* SPDX-License-Identifier: MIT */
/*
 * lp_users.c — GET /business/v1/managed-companies/{id}/users: a company's
 * users, generated from its activeUsers so the two always agree:
 * activeUsers users with accountStatus "enrolled" (the consumed licences),
 * plus activeUsers/8 + 2 others spread over pending-invitation,
 * expired-invitation, staged, disabled and awaiting-approval (which consume
 * none), interleaved by id. Paged like the other lists (max-results 1..500,
 * default 10; no nextPageToken member on the last page). Unknown company:
 * 404 problem details.
 * User: {"id","email","fullName","accountStatus"} (fields not published;
 * only accountStatus and its values are documented).
 */
#include <stdio.h>
#include <string.h>

#include "lp_app.h"

static const char *const others[] = {"pending-invitation", "expired-invitation",
                                     "staged", "disabled", "awaiting-approval"};

typedef struct users {
  const lp_company *company;
  size_t enrolled;
  size_t extra;
} users;

/* Spread the extra users evenly: user i is "other" when it falls on the
 * stride. */
static const char *status_of(const users *u, size_t i, size_t *other_no) {
  size_t total = u->enrolled + u->extra;
  size_t stride = u->extra ? total / u->extra : 0;
  if (u->extra && i % stride == stride - 1 && i / stride < u->extra) {
    *other_no = i / stride;
    return others[*other_no % 5];
  }
  return "enrolled";
}

static json_object *make_user(const void *ctx, size_t i) {
  const users *u = ctx;
  char email[128], name[64];
  size_t other_no = 0;
  json_object *o = json_object_new_object();
  if (!o)
    return NULL;
  snprintf(email, sizeof email, "user%zu@c%ld.example.com", i + 1,
           u->company->id);
  snprintf(name, sizeof name, "User %zu", i + 1);
  json_object_object_add(
      o, "id", json_object_new_int64(u->company->id * 10000 + (long)i + 1));
  json_object_object_add(o, "email", json_object_new_string(email));
  json_object_object_add(o, "fullName", json_object_new_string(name));
  json_object_object_add(o, "accountStatus",
                         json_object_new_string(status_of(u, i, &other_no)));
  return o;
}

void lp_list_users(lp_app *app, long company_id, const sim_request *req,
                   sim_response *resp) {
  static const char *const hashed[] = {NULL};
  users u;
  lp_paging pg;
  char detail[128];
  u.company = lp_data_find(&app->data, company_id);
  if (!u.company) {
    snprintf(detail, sizeof detail, "There is no managed company %ld.",
             company_id);
    lp_problem(resp, req, 404, "Not Found", detail);
    return;
  }
  /* the company id is part of the path, so it goes into the token hash */
  if (lp_paging_read(app, req, 10, 500,
                     lp_query_hash(req, hashed) ^ (unsigned long)company_id,
                     &pg, resp) != 0)
    return;
  u.enrolled = (size_t)u.company->active_users;
  u.extra = u.enrolled / 8 + 2;
  lp_page_respond(app, req, resp, &pg, u.enrolled + u.extra, make_user, &u, 0,
                  "id");
}
