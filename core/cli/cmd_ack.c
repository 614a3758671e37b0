/* SPDX-License-Identifier: MIT */
/*
 * cmd_ack.c — `lpsa-host ack ID CODE [--until DATE] [--note TEXT]`,
 * `ack --list`, `ack --remove ID CODE`: a person acknowledges a standing
 * finding of one company as the newest run of the driver showed it (ack.h),
 * stored in the journal (journal_acks.h) with who (the Unix user) and when.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ack_edit.h"
#include "ack_list.h"
#include "clock.h"
#include "commands.h"
#include "exit_codes.h"
#include "host_api.h"
#include "journal_acks.h"

/* The Unix user running the command. */
static void who_am_i(char *out, size_t cap) {
  struct passwd *pw = getpwuid(getuid());
  if (pw && pw->pw_name && *pw->pw_name)
    snprintf(out, cap, "%s", pw->pw_name);
  else
    snprintf(out, cap, "uid %ld", (long)getuid());
}

static ack_edit_request request(app *a) {
  static char who[256];
  who_am_i(who, sizeof who);
  ack_edit_request r = {.driver = a->driver_name,
                        .lastpass_id = a->opt.args[0],
                        .code = a->opt.args[1],
                        .until = a->opt.until,
                        .note = a->opt.note,
                        .who = who,
                        .now = clock_now(),
                        .until_label = "--until",
                        .state_dir = a->cfg.state_dir};
  return r;
}

static int add(app *a, journal *j) {
  ack_edit_request r = request(a);
  ack_edit_added added;
  char err[2048];
  if (ack_edit_add(j, &r, &added, err, sizeof err) != ACK_EDIT_OK) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  printf("Acknowledged %s of LastPass company %s (%s) as run %lld showed "
         "it, by %s%s%s.\n"
         "It still shows in every report, but no longer makes a run exit "
         "1 nor sends a notify_on = problems notification, until %s or "
         "the finding changes (another code, another count).\n",
         r.code, r.lastpass_id, added.lastpass_name, added.run_id, r.who,
         r.until ? ", until " : "", r.until ? r.until : "",
         r.until ? "it expires" : "it is removed");
  return EXIT_IN_STEP;
}

static int remove_ack(app *a, journal *j) {
  ack_edit_request r = request(a);
  char err[2048];
  if (ack_edit_remove(j, &r, err, sizeof err) != ACK_EDIT_OK) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  printf("Removed the acknowledgement of %s for LastPass company %s: the "
         "finding counts again from the next run.\n",
         r.code, r.lastpass_id);
  return EXIT_IN_STEP;
}

static int list(app *a, journal *j) {
  ack_record *acks;
  size_t n;
  if (journal_acks_list(j, a->opt.driver, &acks, &n) != LPSA_OK) {
    app_error("cannot read the acknowledgements from the journal in %s",
              a->cfg.state_dir);
    return EXIT_USAGE;
  }
  const char **seen = ack_edit_last_runs(j, acks, n);
  char today[11];
  host_local_date(clock_now(), today);
  if (a->opt.json) {
    json_object *o = ack_list_json(acks, n, today, seen);
    printf("%s\n",
           json_object_to_json_string_ext(
               o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
  } else {
    ack_list_print(stdout, acks, n, today, seen);
  }
  free(seen);
  ack_records_free(acks, n);
  return EXIT_IN_STEP;
}

int cmd_ack(app *a) {
  int rc = app_load_config_nosecrets(a);
  if (rc)
    return rc;
  if (!a->opt.ack_list && (rc = app_pick_driver(a)))
    return rc;
  journal *j;
  if ((rc = app_open_journal(a, &j)))
    return rc;
  rc = a->opt.ack_list     ? list(a, j)
       : a->opt.ack_remove ? remove_ack(a, j)
                           : add(a, j);
  journal_close(j);
  return rc;
}
