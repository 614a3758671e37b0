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

#include "ack.h"
#include "ack_list.h"
#include "civil.h"
#include "commands.h"
#include "exit_codes.h"
#include "host_api.h"
#include "journal_acks.h"
#include "journal_history.h"
#include "report_load.h"

/* The clock of runs: LPSA_NOW fixes it in tests, as for a sync. */
static time_t now_time(void) {
  time_t t = host_parse_utc(getenv("LPSA_NOW"));
  return t != (time_t)-1 ? t : time(NULL);
}

static void utc_text(time_t t, char out[32]) {
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The Unix user running the command. */
static void who_am_i(char *out, size_t cap) {
  struct passwd *pw = getpwuid(getuid());
  if (pw && pw->pw_name && *pw->pw_name)
    snprintf(out, cap, "%s", pw->pw_name);
  else
    snprintf(out, cap, "uid %ld", (long)getuid());
}

/* A real calendar date written YYYY-MM-DD. */
static int valid_date(const char *s) {
  int y, m, d;
  char tail;
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
      sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= civil_days_in_month(y, m);
}

static const outcome *find_company(const run_result *res, const char *id) {
  for (size_t i = 0; i < res->n; i++)
    if (strcmp(res->outcomes[i].lastpass_id, id) == 0)
      return &res->outcomes[i];
  return NULL;
}

static const finding *find_code(const outcome *o, const char *code) {
  for (size_t k = 0; k < o->findings.n; k++)
    if (strcmp(o->findings.items[k].code, code) == 0)
      return &o->findings.items[k];
  return NULL;
}

/* The company's codes, for an error message. */
static void codes_of(const outcome *o, char *out, size_t cap) {
  out[0] = '\0';
  for (size_t k = 0; k < o->findings.n; k++) {
    size_t used = strlen(out);
    snprintf(out + used, cap - used, "%s%s (%s)", used ? ", " : "",
             o->findings.items[k].code,
             severity_name(o->findings.items[k].sev));
  }
}

static int add(app *a, journal *j) {
  const char *id = a->opt.args[0], *code = a->opt.args[1];
  time_t now = now_time();
  char today[11], at[32], who[256];
  host_local_date(now, today);
  utc_text(now, at);
  who_am_i(who, sizeof who);
  if (a->opt.until && !valid_date(a->opt.until)) {
    app_error("--until %s: write the last day the acknowledgement applies as "
              "YYYY-MM-DD",
              a->opt.until);
    return EXIT_USAGE;
  }
  if (a->opt.until && strcmp(a->opt.until, today) < 0) {
    app_error("--until %s is in the past (today is %s); give a later day, "
              "or none for no end",
              a->opt.until, today);
    return EXIT_USAGE;
  }
  journal_run_info run;
  int found = journal_latest_report(j, a->driver_name, &run);
  if (found <= 0) {
    app_error(found < 0 ? "cannot read the runs from the journal in %s"
                        : "no run of driver %s has a report in the journal "
                          "yet; run `lpsa-host --dry-run` first, then "
                          "acknowledge what it shows",
              found < 0 ? a->cfg.state_dir : a->driver_name);
    return EXIT_USAGE;
  }
  report_loaded rl;
  char err[256];
  int rc = EXIT_USAGE;
  if (report_load(run.report, &rl, err, sizeof err) != 0) {
    app_error("run %lld: %s", run.id, err);
    journal_run_info_clear(&run);
    return EXIT_USAGE;
  }
  const outcome *o = find_company(&rl.res, id);
  const finding *f = o ? find_code(o, code) : NULL;
  char codes[1024];
  if (!o) {
    app_error("the newest run of %s (run %lld) lists no LastPass company %s; "
              "`lpsa-host history --run %lld` shows its companies",
              a->driver_name, run.id, id, run.id);
  } else if (!f) {
    codes_of(o, codes, sizeof codes);
    app_error("LastPass company %s (%s) has no finding %s in run %lld%s%s", id,
              o->lastpass_name, code, run.id,
              codes[0] ? "; it has: " : ": it has no finding", codes);
  } else if (f->sev == SEV_INFO) {
    app_error("%s of LastPass company %s is a note (info): it never makes a "
              "run exit 1, so there is nothing to acknowledge",
              code, id);
  } else {
    ack_subject subj;
    ack_subject_of(o, f->code, &subj);
    char print[1024];
    ack_record rec = {.driver = (char *)a->driver_name,
                      .lastpass_id = o->lastpass_id,
                      .lastpass_name = o->lastpass_name,
                      .code = (char *)f->code,
                      .fingerprint = print,
                      .message = f->message,
                      .who = who,
                      .created = at,
                      .until = (char *)a->opt.until,
                      .note = (char *)a->opt.note,
                      .run_id = run.id};
    if (ack_fingerprint(&subj, print, sizeof print) != 0 ||
        journal_ack_add(j, &rec, NULL) != LPSA_OK) {
      app_error("cannot record the acknowledgement in the journal in %s",
                a->cfg.state_dir);
    } else {
      printf("Acknowledged %s of LastPass company %s (%s) as run %lld showed "
             "it, by %s%s%s.\n"
             "It still shows in every report, but no longer makes a run exit "
             "1 nor sends a notify_on = problems notification, until %s or "
             "the finding changes (another code, another count).\n",
             code, id, o->lastpass_name, run.id, who,
             a->opt.until ? ", until " : "", a->opt.until ? a->opt.until : "",
             a->opt.until ? "it expires" : "it is removed");
      rc = EXIT_IN_STEP;
    }
  }
  report_loaded_free(&rl);
  journal_run_info_clear(&run);
  return rc;
}

static int remove_ack(app *a, journal *j) {
  char at[32], who[256];
  utc_text(now_time(), at);
  who_am_i(who, sizeof who);
  int removed;
  if (journal_ack_remove(j, a->driver_name, a->opt.args[0], a->opt.args[1], who,
                         at, &removed) != LPSA_OK) {
    app_error("cannot update the journal in %s", a->cfg.state_dir);
    return EXIT_USAGE;
  }
  if (!removed) {
    app_error("no acknowledgement of %s for LastPass company %s (driver %s) "
              "is in force; `lpsa-host ack --list` lists them",
              a->opt.args[1], a->opt.args[0], a->driver_name);
    return EXIT_USAGE;
  }
  printf("Removed the acknowledgement of %s for LastPass company %s: the "
         "finding counts again from the next run.\n",
         a->opt.args[1], a->opt.args[0]);
  return EXIT_IN_STEP;
}

/* How the newest run of each ack's driver saw it. */
static const char *seen_in(journal *j, const ack_record *ack,
                           const char **cached_driver, report_loaded *rl,
                           int *have) {
  if (!*cached_driver || strcmp(*cached_driver, ack->driver) != 0) {
    if (*have)
      report_loaded_free(rl);
    *have = 0;
    *cached_driver = ack->driver;
    journal_run_info run;
    char err[256];
    if (journal_latest_report(j, ack->driver, &run) == 1) {
      *have = report_load(run.report, rl, err, sizeof err) == 0;
      journal_run_info_clear(&run);
    }
  }
  if (!*have || rl->meta.run_id <= ack->run_id)
    return NULL;
  const outcome *o = find_company(&rl->res, ack->lastpass_id);
  const finding *f = o ? find_code(o, ack->code) : NULL;
  if (!f)
    return "gone";
  return f->ack ? ack_state_name(f->ack->state) : NULL;
}

static int list(app *a, journal *j) {
  ack_record *acks;
  size_t n;
  if (journal_acks_list(j, a->opt.driver, &acks, &n) != LPSA_OK) {
    app_error("cannot read the acknowledgements from the journal in %s",
              a->cfg.state_dir);
    return EXIT_USAGE;
  }
  const char **seen = calloc(n ? n : 1, sizeof *seen);
  const char *cached = NULL;
  report_loaded rl;
  int have = 0;
  for (size_t i = 0; seen && i < n; i++)
    seen[i] = seen_in(j, &acks[i], &cached, &rl, &have);
  char today[11];
  host_local_date(now_time(), today);
  if (a->opt.json) {
    json_object *o = ack_list_json(acks, n, today, seen);
    printf("%s\n",
           json_object_to_json_string_ext(
               o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    json_object_put(o);
  } else {
    ack_list_print(stdout, acks, n, today, seen);
  }
  if (have)
    report_loaded_free(&rl);
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
