/* SPDX-License-Identifier: MIT */
/*
 * apply_hint.c — the commands printed after a dry run or a plan.
 */
#include "apply_hint.h"

#include <json-c/json.h>
#include <string.h>

#include "str_append.h"

/* Append `arg`, single-quoted when a shell would split or expand it. */
static void shell_arg(char *out, size_t cap, const char *arg) {
  static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                              "VWXYZ0123456789_./:=@%+,-";
  if (*arg && strspn(arg, plain) == strlen(arg)) {
    str_appendf(out, cap, " %s", arg);
    return;
  }
  str_appendf(out, cap, " '");
  for (const char *p = arg; *p; p++) {
    if (*p == '\'')
      str_appendf(out, cap, "'\\''");
    else
      str_appendf(out, cap, "%c", *p);
  }
  str_appendf(out, cap, "'");
}

void apply_hint_prefix(const app *a, char *out, size_t cap) {
  snprintf(out, cap, "lpsa-host");
  if (a->cfg.path) {
    str_appendf(out, cap, " --config");
    shell_arg(out, cap, a->cfg.path);
  }
  if (a->driver_name) {
    str_appendf(out, cap, " --driver");
    shell_arg(out, cap, a->driver_name);
  }
}

void apply_hint_held_ids(const sync_report *r, char *out, size_t cap) {
  out[0] = '\0';
  json_object *list = NULL;
  if (!r->json || !json_object_object_get_ex(r->json, "companies", &list))
    return;
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i), *st, *nq, *id;
    if (json_object_object_get_ex(c, "status", &st) &&
        strcmp(json_object_get_string(st), "held") == 0 &&
        json_object_object_get_ex(c, "new_quantity", &nq) && nq &&
        json_object_object_get_ex(c, "lastpass_id", &id))
      str_appendf(out, cap, "%s%s", out[0] ? "," : "",
                  json_object_get_string(id));
  }
}

void apply_hint_dry_run(FILE *out, const app *a, const sync_report *r) {
  char prefix[4096], held[2048];
  apply_hint_prefix(a, prefix, sizeof prefix);
  apply_hint_held_ids(r, held, sizeof held);
  size_t n = r->summary.planned;
  if (!n && !held[0]) {
    fputs("\nNothing to apply.\n", out);
    return;
  }
  fputc('\n', out);
  if (n == 1)
    fprintf(out, "To apply this change: %s\n", prefix);
  else if (n)
    fprintf(out, "To apply these %zu changes: %s\n", n, prefix);
  if (held[0])
    fprintf(out,
            "Held changes are written only once approved, company by "
            "company; after checking them: %s --approve %s\n",
            prefix, held);
  fprintf(out,
          "To review a saved plan and apply exactly what you reviewed: %s "
          "plan\n",
          prefix);
}

void apply_hint_plan(FILE *out, const app *a, const sync_report *r) {
  char prefix[4096], held[2048];
  apply_hint_prefix(a, prefix, sizeof prefix);
  apply_hint_held_ids(r, held, sizeof held);
  fprintf(out, "\nPlan %s saved to %s\n", r->plan_id, r->plan_path);
  fprintf(out, "  %zu change%s to write, %zu held for a person%s%s%s.\n",
          r->plan_changes, r->plan_changes == 1 ? "" : "s", r->plan_held,
          held[0] ? " (LastPass " : "", held, held[0] ? ")" : "");
  if (!r->plan_changes && !r->plan_held) {
    fputs("Nothing to apply.\n", out);
    return;
  }
  char path[4200] = "";
  shell_arg(path, sizeof path, r->plan_path);
  fprintf(out, "Review it, then apply exactly this plan with:\n  %s apply%s\n",
          prefix, path);
  if (held[0])
    fprintf(out,
            "To write held changes too, check them, then add --approve with "
            "their LastPass ids: --approve %s\n",
            held);
}
