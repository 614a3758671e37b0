/* SPDX-License-Identifier: MIT */
/*
 * plan_doc.h — the saved plan as JSON, schema "lpsa.plan/1", for people to
 * review and for `lpsa-host apply PLAN` to read back.
 *
 * {schema, plan_id, created, driver {section, name, version, psa},
 *  configuration {path, sha256}, mapping {path, sha256, rows},
 *  billing_cycle {start, end}, as_of, made_by_run, made_by,
 *  summary {companies, changes, held},
 *  companies [{lastpass_id, lastpass_name, sku, seats, seats_known,
 *    suspended, status, psa_company_id, agreement_id, line_id, product,
 *    product_id, period_start, old_quantity, new_quantity, effective_date,
 *    approved_by, rules [{code, severity, message}],
 *    change: null | {psa_company_id, agreement_id, line_id, product_id,
 *      product, old, new, effective_date, held, hold [{code, message}],
 *      approved_by}}],
 *  findings [{code, severity, message}], tag}
 *
 * A company has a `change` when its count would change (planned, or held
 * with a target a person may approve). The plan id ends with the first 12
 * hex digits of the SHA-256 of the document without its id and tag, so a
 * careless edit is named as such; `tag` (last) is the HMAC-SHA-256 of the
 * compact document with its id under the plan key of state_dir
 * (plan_key.h), so a plan made elsewhere, or edited and given a new id, is
 * refused too.
 */
#ifndef LPSA_CORE_PLAN_DOC_H
#define LPSA_CORE_PLAN_DOC_H

#include <stddef.h>

#include "log.h"
#include "plan.h"
#include "plan_key.h"

/* Set m->id from the content and m->tag with `key`, and render the
 * document (pretty, a new string), every string redacted by `redact` as
 * the report is (NULL: as it is). NULL when out of memory. */
char *plan_doc_render(plan_meta *m, const run_result *r, const plan_key *key,
                      const lpsa_log *redact);

/* Parse and check a plan document; `name` stands for the file in messages.
 * 0 and *out filled (free with plan_doc_free), or -1 with one line in err
 * saying what is wrong and what to do; *out is then empty. */
int plan_doc_parse(const char *text, size_t len, const char *name,
                   plan_doc *out, char *err, size_t errlen);

/* 0 when the tag of the parsed plan `p` verifies with `key`; else -1 with
 * one line in err ("NAME: this plan was not made by this lpsa, or was
 * edited ..."). */
int plan_doc_verify(const plan_doc *p, const plan_key *key, const char *name,
                    char *err, size_t errlen);

/* Read, parse and verify (with `key`) the plan file at `path` (at most
 * 64 MiB). As parse. */
int plan_doc_load(const char *path, const plan_key *key, plan_doc *out,
                  char *err, size_t errlen);

#endif
