/* SPDX-License-Identifier: MIT */
/*
 * cmd_plan.c — `lpsa-host plan [--out FILE]`: a dry run whose plan is
 * saved as a file to review, then applied exactly with `apply PLAN`.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "apply_hint.h"
#include "commands.h"
#include "exit_codes.h"

static void print_json(const app *a, const sync_report *r) {
  char prefix[4096], cmd[8400];
  apply_hint_prefix(a, prefix, sizeof prefix);
  snprintf(cmd, sizeof cmd, "%s apply %s", prefix, r->plan_path);
  json_object *o = json_object_new_object();
  json_object_object_add(o, "schema",
                         json_object_new_string("lpsa.plan-saved/1"));
  json_object_object_add(o, "plan_id", json_object_new_string(r->plan_id));
  json_object_object_add(o, "plan_file", json_object_new_string(r->plan_path));
  json_object_object_add(o, "changes",
                         json_object_new_int64((int64_t)r->plan_changes));
  json_object_object_add(o, "held",
                         json_object_new_int64((int64_t)r->plan_held));
  json_object_object_add(o, "apply_command", json_object_new_string(cmd));
  json_object_object_add(o, "report", json_object_get(r->json));
  printf("%s\n",
         json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                               JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(o);
}

int cmd_plan(app *a) {
  int rc;
  if ((rc = app_load_config(a)) || (rc = app_load_driver(a)) ||
      (rc = app_load_mapping(a)) || (rc = app_http(a)))
    return rc;
  sync_settings s;
  sync_settings_from_app(a, &s);
  s.dry_run = 1;
  s.save_plan = 1;
  s.plan_out = a->opt.plan_out;
  sync_report r;
  sync_run(&s, &r); /* logs its own abort reason, once */
  rc = r.exit_code;
  if (!r.plan_id[0]) {
    /* Nothing saved: the report still says why. */
    if (cmd_sync_output(a, &r) != 0 && rc == EXIT_IN_STEP)
      rc = EXIT_ATTENTION;
  } else {
    if (a->opt.json)
      print_json(a, &r);
    else if (r.text)
      fputs(r.text, stdout);
    if (!a->opt.json)
      apply_hint_plan(stdout, a, &r);
    fflush(stdout);
    if (cmd_sync_report_file(a, &r) != 0 && rc == EXIT_IN_STEP)
      rc = EXIT_ATTENTION;
  }
  cmd_followup(a, &r);
  sync_report_free(&r);
  return rc;
}
