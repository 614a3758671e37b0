/* SPDX-License-Identifier: MIT */
/*
 * ack_list.c — printing the acknowledgements.
 */
#include "ack_list.h"

#include <string.h>

#include "text_escape.h"

static const char *state_of(const ack_record *a, const char *today) {
  return a->until && strcmp(today, a->until) > 0 ? "expired" : "in force";
}

static json_object *str_or_null(const char *s) {
  return s ? json_object_new_string(s) : NULL;
}

json_object *ack_list_json(const ack_record *acks, size_t n, const char *today,
                           const char *const *last_run) {
  json_object *root = json_object_new_object();
  json_object *arr = json_object_new_array();
  for (size_t i = 0; i < n; i++) {
    const ack_record *a = &acks[i];
    json_object *o = json_object_new_object();
    json_object_object_add(o, "driver", json_object_new_string(a->driver));
    json_object_object_add(o, "lastpass_id",
                           json_object_new_string(a->lastpass_id));
    json_object_object_add(o, "lastpass_name",
                           json_object_new_string(a->lastpass_name));
    json_object_object_add(o, "code", json_object_new_string(a->code));
    json_object_object_add(o, "message", json_object_new_string(a->message));
    json_object_object_add(o, "by", json_object_new_string(a->who));
    json_object_object_add(o, "at", json_object_new_string(a->created));
    json_object_object_add(o, "until", str_or_null(a->until));
    json_object_object_add(o, "note", str_or_null(a->note));
    json_object_object_add(o, "run_id", json_object_new_int64(a->run_id));
    json_object_object_add(o, "state",
                           json_object_new_string(state_of(a, today)));
    json_object_object_add(o, "last_run",
                           str_or_null(last_run ? last_run[i] : NULL));
    json_object_array_add(arr, o);
  }
  json_object_object_add(root, "schema", json_object_new_string("lpsa.acks/1"));
  json_object_object_add(root, "acks", arr);
  return root;
}

void ack_list_print(FILE *out, const ack_record *acks, size_t n,
                    const char *today, const char *const *last_run) {
  if (!n) {
    fputs("No acknowledgement is in force. `lpsa-host ack ID CODE` "
          "acknowledges a finding of the last run.\n",
          out);
    return;
  }
  fprintf(out, "%-12s %-10s %-24s %-22s %-12s %-10s %-10s %-9s %s\n", "DRIVER",
          "LASTPASS", "COMPANY", "CODE", "BY", "ON", "UNTIL", "LAST RUN",
          "STATE / NOTE");
  for (size_t i = 0; i < n; i++) {
    const ack_record *a = &acks[i];
    char day[11];
    snprintf(day, sizeof day, "%s", a->created);
    const char *seen = last_run && last_run[i] ? last_run[i] : "-";
    /* Names, codes and notes are shown escaped (text_escape.h). */
    char d[256], id[256], name[256], code[128], who[256], note[1024];
    text_escape(a->driver, 0, d, sizeof d);
    text_escape(a->lastpass_id, 0, id, sizeof id);
    text_escape(a->lastpass_name, 0, name, sizeof name);
    text_escape(a->code, 0, code, sizeof code);
    text_escape(a->who, 0, who, sizeof who);
    text_escape(a->note, 0, note, sizeof note);
    fprintf(out, "%-12s %-10s %-24.24s %-22s %-12s %-10s %-10s %-9s %s%s%s\n",
            d, id, name, code, who, day, a->until ? a->until : "-", seen,
            state_of(a, today), a->note ? ": " : "", a->note ? note : "");
  }
}
