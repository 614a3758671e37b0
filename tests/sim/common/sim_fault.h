/* SPDX-License-Identifier: MIT */
/*
 * sim_fault.h — fault injection rules for the simulators.
 *
 * A rule is a JSON object; rules are evaluated in order before the app's
 * handler and the first one that fires wins:
 *   {"name":"lp429",            label written to the request log
 *    "method":"GET",            optional; absent/"" = any method
 *    "path_prefix":"/v1/x",     optional; absent/"" = any path
 *    "query_contains":"a=b",    optional substring of the raw query
 *    "after":2,                 let this many matching requests pass first
 *    "times":1,                 fire this many times (0/absent = forever)
 *    "status":429, "headers":{"Retry-After":"1"},
 *    "body":"...", "content_type":"application/json",
 *    "delay_ms":0,              slept before answering (see actions)
 *    "action":null}
 * Actions:
 *   null         answer status/headers/body instead of the handler;
 *   "delay"      sleep delay_ms, then run the handler normally;
 *   "reset"      close the connection without any answer;
 *   "hang"       sleep delay_ms (default 30000), then close without answer;
 *   "truncate"   run the handler, send the first half of its body (with a
 *                Content-Length of that half);
 *   "cut"        run the handler, announce the full Content-Length but close
 *                the connection after half of the body;
 *   "malformed"  run the handler, replace its body with `{"items":[{"id":`;
 *   "slow_body"  run the handler, send its body in chunks of chunk_bytes
 *                (default 16) with delay_ms (default 100) between chunks;
 *   "oversize"   answer 200 with a valid JSON document of size_mb megabytes
 *                (default 80) instead of the handler;
 *   any other    run the handler with sim_request.fault_action set to it
 *                (domain faults: "page_loop", "duplicate_ids", ...).
 * With any action but "hang" and "slow_body", delay_ms > 0 is slept first.
 */
#ifndef LPSA_SIM_FAULT_H
#define LPSA_SIM_FAULT_H

#include <json-c/json.h>
#include <stddef.h>

typedef enum sim_fault_kind {
  SIM_FAULT_NONE = 0,
  SIM_FAULT_ANSWER,
  SIM_FAULT_DELAY,
  SIM_FAULT_RESET,
  SIM_FAULT_HANG,
  SIM_FAULT_TRUNCATE,
  SIM_FAULT_CUT,
  SIM_FAULT_MALFORMED,
  SIM_FAULT_SLOW_BODY,
  SIM_FAULT_OVERSIZE,
  SIM_FAULT_APP
} sim_fault_kind;

/* What fired for one request: a private copy, safe after the rules change. */
typedef struct sim_fault_hit {
  sim_fault_kind kind;
  char name[64];
  char action[64]; /* the action string ("" for null) */
  long delay_ms;
  long chunk_bytes;
  long size_mb;
  json_object *rule; /* a reference to the rule (put it when done) */
} sim_fault_hit;

typedef struct sim_faults sim_faults;

sim_faults *sim_faults_new(void);
void sim_faults_free(sim_faults *f);
/* Replace every rule with `rules` (an array of rule objects, or one object).
 * Validates first: on error the old rules stay and err says which rule is
 * wrong. 0 or -1. */
int sim_faults_set(sim_faults *f, json_object *rules, char *err, size_t cap);
/* Parse a JSON file and sim_faults_set() it. */
int sim_faults_load_file(sim_faults *f, const char *path, char *err,
                         size_t cap);
void sim_faults_clear(sim_faults *f);
/* Count this request against every matching rule and report the first that
 * fires. Returns 1 with `hit` filled (release with sim_fault_hit_release()),
 * 0 when nothing fires (hit->kind = SIM_FAULT_NONE). */
int sim_faults_match(sim_faults *f, const char *method, const char *path,
                     const char *query, sim_fault_hit *hit);
void sim_fault_hit_release(sim_fault_hit *hit);
/* The rules with "seen" and "fired" counters added (a new reference). */
json_object *sim_faults_to_json(const sim_faults *f);

#endif
