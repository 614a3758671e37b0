/* SPDX-License-Identifier: MIT */
/*
 * test_plans.c — plans as files, per-company approval and guardrails both
 * ways, through the real lpsa-host against the LastPass simulator and the
 * JSON-file test PSA (plans_world.h draws the six companies).
 */
#include <check.h>
#include <json-c/json.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plans_world.h"

static pw w;

static void setup(void) {
  pw_setup(&w, "plans");
}

static void teardown(void) {
  pw_teardown(&w);
}

/* SHA-256 of a file of the world, by coreutils (not by lpsa). */
static char *sha256_of(const char *name) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "sha256sum '%s/%s'", w.dir, name);
  char *out = pw_shell(cmd);
  out[strcspn(out, " ")] = '\0';
  return out;
}

static json_object *read_plan(const char *path) {
  char *text = test_read_file(NULL, path);
  ck_assert_ptr_nonnull(text);
  json_object *doc = json_tokener_parse(text);
  free(text);
  ck_assert_ptr_nonnull(doc);
  return doc;
}

static json_object *plan_company(json_object *plan, const char *id) {
  return pw_company(plan, id);
}

START_TEST(plan_file_holds_the_review) {
  char *path = pw_plan(&w, NULL);
  /* Default place, private to the service user. */
  char want_dir[1024];
  snprintf(want_dir, sizeof want_dir, "%s/state/plans/", w.dir);
  ck_assert_msg(strncmp(path, want_dir, strlen(want_dir)) == 0, "%s", path);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  json_object *p = read_plan(path);
  ck_assert_str_eq(json_object_get_string(pw_get(p, "schema")), "lpsa.plan/1");
  const char *id = json_object_get_string(pw_get(p, "plan_id"));
  char file[512];
  snprintf(file, sizeof file, "%s.json", id);
  ck_assert_str_eq(strrchr(path, '/') + 1, file);
  ck_assert_str_eq(json_object_get_string(pw_get(p, "created")), PW_NOW);
  json_object *d = pw_get(p, "driver");
  ck_assert_str_eq(json_object_get_string(pw_get(d, "section")), "jsonpsa");
  ck_assert_str_eq(json_object_get_string(pw_get(d, "name")), "jsonpsa");
  ck_assert_str_eq(json_object_get_string(pw_get(d, "version")), "1.0.0");
  char *conf = sha256_of("lpsa.conf"), *map = sha256_of("mapping.csv");
  ck_assert_str_eq(
      json_object_get_string(pw_get(pw_get(p, "configuration"), "sha256")),
      conf);
  ck_assert_str_eq(
      json_object_get_string(pw_get(pw_get(p, "mapping"), "sha256")), map);
  free(conf);
  free(map);
  json_object *cy = pw_get(p, "billing_cycle");
  ck_assert_str_eq(json_object_get_string(pw_get(cy, "start")), "2026-11-01");
  ck_assert_str_eq(json_object_get_string(pw_get(cy, "end")), "2026-11-30");
  /* A change: its line, old, new, effective date, not held. */
  json_object *ch = pw_get(plan_company(p, "201"), "change");
  ck_assert_str_eq(json_object_get_string(pw_get(ch, "psa_company_id")),
                   "c201");
  ck_assert_str_eq(json_object_get_string(pw_get(ch, "agreement_id")), "a201");
  ck_assert_str_eq(json_object_get_string(pw_get(ch, "line_id")), "l201");
  ck_assert_str_eq(json_object_get_string(pw_get(ch, "product_id")), "p1");
  ck_assert_int_eq(json_object_get_int64(pw_get(ch, "old")), 10);
  ck_assert_int_eq(json_object_get_int64(pw_get(ch, "new")), 12);
  ck_assert_str_eq(json_object_get_string(pw_get(ch, "effective_date")),
                   "2026-11-25");
  ck_assert(!json_object_get_boolean(pw_get(ch, "held")));
  /* A held one says why, with the rule code. */
  ch = pw_get(plan_company(p, "202"), "change");
  ck_assert(json_object_get_boolean(pw_get(ch, "held")));
  json_object *hold = json_object_array_get_idx(pw_get(ch, "hold"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(hold, "code")),
                   "LARGE_INCREASE");
  ck_assert_ptr_nonnull(
      strstr(json_object_get_string(pw_get(hold, "message")), "640"));
  /* In step: no change. */
  ck_assert_ptr_null(pw_get(plan_company(p, "206"), "change"));
  json_object *sum = pw_get(p, "summary");
  ck_assert_int_eq(json_object_get_int(pw_get(sum, "changes")), 3);
  ck_assert_int_eq(json_object_get_int(pw_get(sum, "held")), 2);
  json_object_put(p);
  ck_assert_int_eq(pw_writes(&w), 0);
  free(path);
}
END_TEST

START_TEST(plan_prints_path_summary_and_command) {
  const char *args[] = {"--driver", "jsonpsa",   "plan",
                        "--out",    "mine.json", NULL};
  hostrun r;
  pw_run(&w, &r, NULL, args);
  ck_assert_int_eq(r.status, 1); /* two changes held for a person */
  struct stat st;
  char mine[1024];
  snprintf(mine, sizeof mine, "%s/mine.json", w.dir);
  ck_assert_int_eq(stat(mine, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_ptr_nonnull(strstr(r.out, "saved to mine.json"));
  ck_assert_ptr_nonnull(strstr(r.out, "3 changes to write, 2 held"));
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "  lpsa-host --config %s/lpsa.conf --driver jsonpsa apply "
           "mine.json\n",
           w.dir);
  ck_assert_msg(strstr(r.out, cmd) != NULL, "no '%s' in:\n%s", cmd, r.out);
  /* Held ones, in the report's order (by company name). */
  ck_assert_ptr_nonnull(strstr(r.out, "--approve 204,202"));
  hostrun_free(&r);
}
END_TEST

START_TEST(apply_then_again) {
  char *path = pw_plan(&w, NULL);
  pw_lp_seats(&w, 201, 30);
  const char *args[] = {"--driver", "jsonpsa", "apply", path, NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  /* The report says which plan it applied. */
  char id[128];
  snprintf(id, sizeof id, "%s", strrchr(path, '/') + 1);
  id[strlen(id) - strlen(".json")] = '\0';
  ck_assert_str_eq(json_object_get_string(pw_get(r, "plan_id")), id);
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  ck_assert_str_eq(pw_status(r, "203"), "updated");
  ck_assert_str_eq(pw_status(r, "205"), "updated");
  ck_assert_str_eq(pw_status(r, "202"), "held");
  ck_assert_str_eq(pw_status(r, "204"), "held");
  ck_assert_str_eq(pw_status(r, "206"), "unchanged");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l201"), 12); /* the plan's, not 30 */
  ck_assert_int_eq(pw_qty(&w, "l203"), 1);
  ck_assert_int_eq(pw_qty(&w, "l205"), 22);
  ck_assert_int_eq(pw_qty(&w, "l202"), 64);
  ck_assert_int_eq(pw_qty(&w, "l204"), 40);
  ck_assert_int_eq(pw_writes(&w), 3);

  /* The same plan again writes nothing, and says so. */
  char *before = pw_psa_text(&w);
  r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "201"), "unchanged");
  ck_assert(pw_has_rule(r, "201", "PLAN_APPLIED", "info"));
  json_object_put(r);
  char *after = pw_psa_text(&w);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);

  /* Its fate in the history. */
  const char *hist[] = {"history", "--plans", NULL};
  json_object *h = pw_json(&w, 0, NULL, hist);
  json_object *plan = json_object_array_get_idx(pw_get(h, "plans"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(plan, "fate")), "applied");
  ck_assert_int_eq(json_object_get_int(pw_get(plan, "written")), 3);
  json_object_put(h);
  free(path);
}
END_TEST

START_TEST(changed_since_plan_is_not_overwritten) {
  char *path = pw_plan(&w, NULL);
  pw_set_qty(&w, "l205", 25); /* someone edits the PSA after the review */
  const char *args[] = {"--driver", "jsonpsa", "apply", path, NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "205"), "skipped");
  ck_assert(pw_has_rule(r, "205", "CHANGED_SINCE_PLAN", "warning"));
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l205"), 25);
  ck_assert_int_eq(pw_qty(&w, "l201"), 12);
  ck_assert_int_eq(pw_writes(&w), 2);
  const char *hist[] = {"history", "--plans", NULL};
  json_object *h = pw_json(&w, 0, NULL, hist);
  json_object *plan = json_object_array_get_idx(pw_get(h, "plans"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(plan, "fate")),
                   "partly applied");
  json_object_put(h);
  free(path);
}
END_TEST

/* apply PATH with LPSA_NOW = now: refused whole, exit 2, the PSA file
 * byte for byte as it was, stderr saying `why`. */
static void expect_refused(const char *path, const char *now,
                           const char *driver, const char *why) {
  char *before = pw_psa_text(&w);
  const char *args[] = {"--driver", driver, "apply", path, NULL};
  hostrun r;
  pw_run(&w, &r, now, args);
  ck_assert_msg(r.status == 2, "exit %d; stderr: %s", r.status, r.err);
  ck_assert_msg(strstr(r.err, why) != NULL, "no '%s' in: %s", why, r.err);
  ck_assert_ptr_nonnull(strstr(r.err, "nothing was written"));
  hostrun_free(&r);
  char *after = pw_psa_text(&w);
  ck_assert_str_eq(before, after);
  free(before);
  free(after);
}

START_TEST(refused_expired) {
  char *path = pw_plan(&w, NULL);
  expect_refused(path, "2026-11-26T12:00:01Z", "jsonpsa",
                 "plans expire after plan_max_age = 1d 0h");
  /* plan_max_age is the limit: an hour less is still fine. */
  const char *args[] = {"--driver", "jsonpsa", "apply", path, NULL};
  json_object *r = pw_json(&w, 1, "2026-11-26T11:00:00Z", args);
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  json_object_put(r);
  const char *hist[] = {"history", "--plans", NULL};
  json_object *h = pw_json(&w, 0, NULL, hist);
  json_object *plan = json_object_array_get_idx(pw_get(h, "plans"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(plan, "fate")), "applied");
  json_object_put(h);
  free(path);
}
END_TEST

START_TEST(expired_fate_in_history) {
  char *path = pw_plan(&w, NULL);
  const char *hist[] = {"history", "--plans", NULL};
  json_object *h = pw_json(&w, 0, "2026-11-27T00:00:00Z", hist);
  json_object *plan = json_object_array_get_idx(pw_get(h, "plans"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(plan, "fate")), "expired");
  json_object_put(h);
  h = pw_json(&w, 0, NULL, hist);
  plan = json_object_array_get_idx(pw_get(h, "plans"), 0);
  ck_assert_str_eq(json_object_get_string(pw_get(plan, "fate")), "not applied");
  json_object_put(h);
  free(path);
}
END_TEST

START_TEST(refused_other_cycle) {
  /* Made late on the cycle's last day, applied hours later: young enough,
   * but December is another billing cycle. */
  char *path = pw_plan(&w, "2026-11-30T20:00:00Z");
  expect_refused(path, "2026-12-01T08:00:00Z", "jsonpsa",
                 "is for the LastPass billing cycle 2026-11-01..2026-11-30");
  free(path);
}
END_TEST

START_TEST(refused_other_mapping) {
  char *path = pw_plan(&w, NULL);
  char *map = test_read_file(w.dir, "mapping.csv");
  char edited[4096];
  snprintf(edited, sizeof edited, "%s# a comment is an edit too\n", map);
  free(map);
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv", edited), 0);
  expect_refused(path, NULL, "jsonpsa", "the mapping file");
  free(path);
}
END_TEST

START_TEST(refused_other_config) {
  char *path = pw_plan(&w, NULL);
  pw_config(&w, "max_increase_percent = 1000");
  expect_refused(path, NULL, "jsonpsa", "the configuration");
  free(path);
}
END_TEST

START_TEST(refused_other_driver) {
  char *path = pw_plan(&w, NULL);
  expect_refused(path, NULL, "other",
                 "is for [driver.jsonpsa] and this run uses [driver.other]");
  free(path);
}
END_TEST

/* Replace the first `from` in the plan file by `to` (same length). */
static void edit_plan(const char *path, const char *from, const char *to) {
  char *text = test_read_file(NULL, path);
  ck_assert_ptr_nonnull(text);
  char *at = strstr(text, from);
  ck_assert_msg(at != NULL, "no %s in the plan", from);
  ck_assert_int_eq(strlen(from), strlen(to));
  memcpy(at, to, strlen(to));
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(fputs(text, f) >= 0, 1);
  ck_assert_int_eq(fclose(f), 0);
  free(text);
}

START_TEST(refused_edited_plan) {
  char *path = pw_plan(&w, NULL);
  /* An edit that keeps the document consistent: 12 -> 19 for company 201,
   * both where the company says it and in its change. */
  edit_plan(path, "\"new_quantity\":12", "\"new_quantity\":19");
  edit_plan(path, "\"new\":12", "\"new\":19");
  expect_refused(path, NULL, "jsonpsa", "was changed after lpsa-host made it");
  /* A clumsy one is not a plan at all. */
  edit_plan(path, "\"new\":19", "\"new\":17");
  expect_refused(path, NULL, "jsonpsa", "is not a plan lpsa-host can apply");
  free(path);
}
END_TEST

/* What a forger with write access to the plan file can do: set company
 * `lp_id`'s target to `target` in both places the plan says it (no hold
 * left, planned), and compute the id again as lpsa computes it (the first
 * 12 hex digits of the SHA-256 of the compact document without plan_id and
 * tag). With `key` (32 bytes: someone who could also read state_dir), the
 * tag is made again too; without, the old tag stays. */
static void forge(const char *path, const char *lp_id, long long target,
                  const unsigned char *key) {
  json_object *doc = read_plan(path), *list = pw_get(doc, "companies");
  for (size_t i = 0; i < json_object_array_length(list); i++) {
    json_object *c = json_object_array_get_idx(list, i);
    if (strcmp(json_object_get_string(pw_get(c, "lastpass_id")), lp_id) != 0)
      continue;
    json_object_object_add(c, "new_quantity", json_object_new_int64(target));
    json_object_object_add(c, "status", json_object_new_string("planned"));
    json_object *ch = pw_get(c, "change");
    json_object_object_add(ch, "new", json_object_new_int64(target));
    json_object_object_add(ch, "held", json_object_new_boolean(0));
    json_object_object_add(ch, "hold", json_object_new_array());
    json_object *rules = pw_get(c, "rules"), *kept = json_object_new_array();
    for (size_t k = 0; k < json_object_array_length(rules); k++) {
      json_object *f = json_object_array_get_idx(rules, k);
      const char *code = json_object_get_string(pw_get(f, "code"));
      if (strcmp(code, "LARGE_DECREASE") && strcmp(code, "LARGE_INCREASE") &&
          strcmp(code, "MAPPING_SHRANK"))
        json_object_array_add(kept, json_object_get(f));
    }
    json_object_object_add(c, "rules", kept);
  }
  /* The summary as the parser does not check it: left alone. */
  json_object *tag = NULL;
  char old_tag[128] = "";
  if (json_object_object_get_ex(doc, "tag", &tag))
    snprintf(old_tag, sizeof old_tag, "%s", json_object_get_string(tag));
  json_object_object_del(doc, "tag");
  json_object_object_del(doc, "plan_id");
  const char *body = json_object_to_json_string_ext(
      doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
  unsigned char sha[crypto_hash_sha256_BYTES];
  ck_assert_int_ge(sodium_init(), 0);
  crypto_hash_sha256(sha, (const unsigned char *)body, strlen(body));
  char hex[65], id[64], when[16] = "";
  sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);
  const char *created = json_object_get_string(pw_get(doc, "created"));
  for (size_t i = 0, k = 0; created[i] && k < 15; i++) {
    if (created[i] >= '0' && created[i] <= '9')
      when[k++] = created[i];
    if (k == 8 && created[i] == 'T')
      when[k++] = '-';
  }
  snprintf(id, sizeof id, "%s-%.12s", when, hex);
  /* plan_id goes back second, as lpsa writes it. */
  json_object *out = json_object_new_object();
  json_object_object_foreach(doc, k, v) {
    json_object_object_add(out, k, json_object_get(v));
    if (strcmp(k, "schema") == 0)
      json_object_object_add(out, "plan_id", json_object_new_string(id));
  }
  if (key) {
    const char *signed_text = json_object_to_json_string_ext(
        out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, (const unsigned char *)signed_text,
                           strlen(signed_text), key);
    sodium_bin2hex(old_tag, sizeof old_tag, mac, sizeof mac);
  }
  if (old_tag[0])
    json_object_object_add(out, "tag", json_object_new_string(old_tag));
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_ge(
      fputs(json_object_to_json_string_ext(
                out, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE),
            f),
      0);
  ck_assert_int_eq(fclose(f), 0);
  json_object_put(out);
  json_object_put(doc);
}

/* The plan key in state/, as someone who can read state_dir would. */
static void read_key(unsigned char key[32]) {
  char path[1024];
  snprintf(path, sizeof path, "%s/state/plan.key", w.dir);
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  ck_assert_int_eq(st.st_mode & 0777, 0600);
  ck_assert_int_eq(st.st_size, 32);
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  ck_assert_uint_eq(fread(key, 1, 32, f), 32);
  fclose(f);
}

START_TEST(forged_plan_refused) {
  char *path = pw_plan(&w, NULL);
  /* 10 -> 12 becomes 10 -> 0, not held, with a correct id. */
  forge(path, "201", 0, NULL);
  expect_refused(path, NULL, "jsonpsa",
                 "this plan was not made by this lpsa, or was edited");
  ck_assert_int_eq(pw_qty(&w, "l201"), 10);
  /* Nor is a plan made by another lpsa (another state_dir, another host):
   * here, no plan key at all. */
  char *other = pw_plan(&w, NULL);
  char key[1024];
  snprintf(key, sizeof key, "%s/state/plan.key", w.dir);
  ck_assert_int_eq(unlink(key), 0);
  expect_refused(other, NULL, "jsonpsa", "was not made by this lpsa");
  ck_assert_int_eq(pw_writes(&w), 0);
  free(other);
  free(path);
}
END_TEST

START_TEST(signed_forgery_still_guarded) {
  char *path = pw_plan(&w, NULL);
  unsigned char key[32];
  read_key(key);
  /* Even a plan that verifies does not write past a guardrail: the drop
   * to 0 is held at apply time, and only --approve releases it. */
  forge(path, "201", 0, key);
  const char *args[] = {"--driver", "jsonpsa", "apply", path, NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "201"), "held");
  ck_assert(pw_has_rule(r, "201", "LARGE_DECREASE", "warning"));
  ck_assert_str_eq(pw_status(r, "205"), "updated");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l201"), 10);
  const char *approve[] = {"--driver",  "jsonpsa", "apply", path,
                           "--approve", "201",     NULL};
  r = pw_json(&w, 1, NULL, approve);
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l201"), 0);
  free(path);
}
END_TEST

START_TEST(apply_approve_releases_only_those) {
  char *path = pw_plan(&w, NULL);
  const char *args[] = {"--driver",  "jsonpsa", "apply", path,
                        "--approve", "202",     NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "202"), "updated");
  ck_assert_str_eq(
      json_object_get_string(pw_get(pw_company(r, "202"), "approved_by")),
      pw_user());
  ck_assert(pw_has_rule(r, "202", "LARGE_INCREASE", "info"));
  ck_assert_str_eq(pw_status(r, "204"), "held");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l202"), 640);
  ck_assert_int_eq(pw_qty(&w, "l204"), 40);
  /* Later, the other company too, from the same plan: only its line is
   * written. */
  const char *more[] = {"--driver",  "jsonpsa", "apply", path,
                        "--approve", "204",     NULL};
  r = pw_json(&w, 0, NULL, more);
  ck_assert_str_eq(pw_status(r, "204"), "updated");
  ck_assert_str_eq(pw_status(r, "202"), "unchanged");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l204"), 4);
  ck_assert_int_eq(pw_writes(&w), 5);
  free(path);
}
END_TEST

START_TEST(guardrails_both_ways) {
  const char *args[] = {"--driver", "jsonpsa", "--dry-run", NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "202"), "held"); /* 64 -> 640 */
  ck_assert(pw_has_rule(r, "202", "LARGE_INCREASE", "warning"));
  ck_assert_str_eq(pw_status(r, "204"), "held"); /* 40 -> 4 */
  ck_assert(pw_has_rule(r, "204", "LARGE_DECREASE", "warning"));
  ck_assert_str_eq(pw_status(r, "203"), "planned"); /* 3 -> 1 */
  ck_assert_str_eq(pw_status(r, "201"), "planned"); /* 10 -> 12 */
  json_object_put(r);
  /* The limits are settings. */
  pw_config(&w, "max_increase_percent = 1000\nguardrail_min_seats = 1");
  r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "202"), "planned"); /* +900% < 1000% */
  ck_assert_str_eq(pw_status(r, "203"), "held");    /* -66%, 2 seats */
  json_object_put(r);
}
END_TEST

START_TEST(sync_approve_and_deprecated_flag) {
  const char *args[] = {"--driver", "jsonpsa", "--approve", "204", NULL};
  json_object *r = pw_json(&w, 1, NULL, args);
  ck_assert_str_eq(pw_status(r, "204"), "updated");
  ck_assert_str_eq(pw_status(r, "202"), "held");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l204"), 4);
  ck_assert_int_eq(pw_qty(&w, "l202"), 64);
  /* The old flag still releases drops, says it is deprecated, and never
   * releases a growth. */
  pw_lp_seats(&w, 201, 0); /* 12 -> 0 */
  const char *old[] = {"--driver", "jsonpsa", "--allow-large-decrease", NULL};
  hostrun h;
  pw_run(&w, &h, NULL, old);
  ck_assert_int_eq(h.status, 1);
  ck_assert_ptr_nonnull(strstr(h.err, "deprecated"));
  ck_assert_ptr_nonnull(strstr(h.err, "--approve"));
  hostrun_free(&h);
  ck_assert_int_eq(pw_qty(&w, "l201"), 0);
  ck_assert_int_eq(pw_qty(&w, "l202"), 64);
}
END_TEST

START_TEST(daemon_takes_no_approval) {
  const char *args[] = {"--driver",  "jsonpsa", "--daemon",
                        "--approve", "202",     NULL};
  hostrun h;
  pw_run(&w, &h, NULL, args);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "not for the daemon"));
  hostrun_free(&h);
}
END_TEST

START_TEST(empty_mapping_is_a_configuration_error) {
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"),
                   0);
  const char *sync[] = {"--driver", "jsonpsa", NULL};
  hostrun h;
  pw_run(&w, &h, NULL, sync);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "has no rows"));
  hostrun_free(&h);
  const char *plan[] = {"--driver", "jsonpsa", "plan", NULL};
  pw_run(&w, &h, NULL, plan);
  ck_assert_int_eq(h.status, 2);
  hostrun_free(&h);
  const char *check[] = {"--driver", "jsonpsa", "check", NULL};
  pw_run(&w, &h, NULL, check);
  ck_assert_int_eq(h.status, 1);
  ck_assert_ptr_nonnull(strstr(h.out, "[FAIL] mapping file"));
  ck_assert_ptr_nonnull(strstr(h.out, "map suggest"));
  hostrun_free(&h);
  /* Rows, but none LastPass knows. */
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "999,c201\n"),
                   0);
  pw_run(&w, &h, NULL, sync);
  ck_assert_int_eq(h.status, 2);
  ck_assert_ptr_nonnull(strstr(h.err, "names a company LastPass lists"));
  hostrun_free(&h);
  pw_run(&w, &h, NULL, check);
  ck_assert_int_eq(h.status, 1);
  ck_assert_ptr_nonnull(strstr(h.out, "[FAIL] mapping file: none of its 1"));
  hostrun_free(&h);
  ck_assert_int_eq(pw_writes(&w), 0);
}
END_TEST

/* The run's own findings hold `code`. */
static int has_run_finding(json_object *report, const char *code) {
  json_object *list = pw_get(report, "findings");
  for (size_t i = 0; i < json_object_array_length(list); i++)
    if (strcmp(json_object_get_string(
                   pw_get(json_object_array_get_idx(list, i), "code")),
               code) == 0)
      return 1;
  return 0;
}

/* `map accept` takes the mapping's `rows` (it had `before`). */
static void map_accept(int rows, int before) {
  const char *args[] = {"--driver", "jsonpsa", "map", "accept", NULL};
  hostrun h;
  pw_run(&w, &h, NULL, args);
  ck_assert_msg(h.status == 0, "exit %d; stderr: %s", h.status, h.err);
  char want[256];
  snprintf(want, sizeof want, "has %d rows (it had %d", rows, before);
  ck_assert_msg(strstr(h.out, want) != NULL, "no '%s' in: %s", want, h.out);
  ck_assert_ptr_nonnull(strstr(h.out, pw_user()));
  hostrun_free(&h);
}

START_TEST(mapping_shrank_holds_every_change) {
  const char *sync[] = {"--driver", "jsonpsa", NULL};
  json_object *r = pw_json(&w, 1, NULL, sync); /* 6 rows recorded */
  json_object_put(r);
  ck_assert_int_eq(pw_writes(&w), 3);
  /* Four of the six rows go; LastPass moves for the two left. */
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "201,c201\n205,c205\n"),
                   0);
  pw_lp_seats(&w, 201, 13);
  pw_lp_seats(&w, 205, 23);
  r = pw_json(&w, 1, NULL, sync);
  ck_assert_str_eq(pw_status(r, "201"), "held");
  ck_assert(pw_has_rule(r, "201", "MAPPING_SHRANK", "warning"));
  ck_assert_str_eq(pw_status(r, "205"), "held");
  json_object_put(r);
  ck_assert_int_eq(pw_writes(&w), 3);
  /* Held until approved, run after run. */
  r = pw_json(&w, 1, NULL, sync);
  ck_assert_str_eq(pw_status(r, "201"), "held");
  json_object_put(r);
  /* Approving one releases that one only. */
  const char *one[] = {"--driver", "jsonpsa", "--approve", "201", NULL};
  r = pw_json(&w, 1, NULL, one);
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  ck_assert_str_eq(pw_status(r, "205"), "held");
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l201"), 13);
  /* Approving every company releases their changes, not the shrink: the
   * next change is held again, until a person accepts the smaller
   * mapping. */
  const char *other[] = {"--driver", "jsonpsa", "--approve", "205", NULL};
  r = pw_json(&w, 1, NULL, other);
  ck_assert_str_eq(pw_status(r, "205"), "updated");
  json_object_put(r);
  pw_lp_seats(&w, 201, 14);
  r = pw_json(&w, 1, NULL, sync);
  ck_assert_str_eq(pw_status(r, "201"), "held");
  json_object_put(r);
  map_accept(2, 6);
  r = pw_json(&w, 0, NULL, sync);
  ck_assert_str_eq(pw_status(r, "201"), "updated");
  ck_assert(!has_run_finding(r, "MAPPING_SHRANK"));
  json_object_put(r);
  ck_assert_int_eq(pw_qty(&w, "l201"), 14);
}
END_TEST

/* A mapping that lost most rows while the rows left need no change: every
 * run says so and needs a person (exit 1), and never takes the smaller
 * size as the new normal, until `map accept`. */
START_TEST(mapping_shrink_pending_until_accepted) {
  const char *sync[] = {"--driver", "jsonpsa", NULL};
  json_object *r = pw_json(&w, 1, NULL, sync); /* 6 rows recorded */
  json_object_put(r);
  /* The two rows left are in step now (201 at 12, 203 at 1). */
  ck_assert_int_eq(test_write_file(w.dir, "mapping.csv",
                                   "lastpass_company_id,psa_company_id\n"
                                   "201,c201\n203,c203\n"),
                   0);
  for (int run = 0; run < 2; run++) {
    r = pw_json(&w, 1, NULL, sync);
    ck_assert_msg(has_run_finding(r, "MAPPING_SHRANK"), "run %d: %s", run,
                  json_object_to_json_string(r));
    ck_assert_str_eq(pw_status(r, "201"), "unchanged");
    json_object_put(r);
  }
  /* Nothing held, nothing written, and still pending: a person accepts. */
  ck_assert_int_eq(pw_writes(&w), 3);
  map_accept(2, 6);
  r = pw_json(&w, 0, NULL, sync);
  ck_assert(!has_run_finding(r, "MAPPING_SHRANK"));
  json_object_put(r);
  /* Accepting again: nothing to accept. */
  const char *again[] = {"--driver", "jsonpsa", "map", "accept", NULL};
  hostrun h;
  pw_run(&w, &h, NULL, again);
  ck_assert_int_eq(h.status, 0);
  ck_assert_msg(strstr(h.out, "Nothing to accept") != NULL, "%s", h.out);
  hostrun_free(&h);
}
END_TEST

START_TEST(dry_run_ends_with_the_command) {
  const char *args[] = {"--driver", "jsonpsa", "--dry-run", NULL};
  hostrun h;
  pw_run(&w, &h, NULL, args);
  ck_assert_int_eq(h.status, 1);
  char want[2048];
  snprintf(want, sizeof want,
           "To apply these 3 changes: lpsa-host --config %s/lpsa.conf "
           "--driver jsonpsa\n",
           w.dir);
  ck_assert_msg(strstr(h.out, want) != NULL, "no '%s' in:\n%s", want, h.out);
  ck_assert_ptr_nonnull(strstr(h.out, "--driver jsonpsa --approve 204,202\n"));
  ck_assert_ptr_nonnull(strstr(h.out, "--driver jsonpsa plan\n"));
  /* ... and it is the end of the output. */
  ck_assert(strstr(h.out, "plan\n")[5] == '\0');
  hostrun_free(&h);
  ck_assert_int_eq(pw_writes(&w), 0);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("plans");
  TCase *tc = tcase_create("plans");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 240);
  tcase_add_test(tc, plan_file_holds_the_review);
  tcase_add_test(tc, plan_prints_path_summary_and_command);
  tcase_add_test(tc, apply_then_again);
  tcase_add_test(tc, changed_since_plan_is_not_overwritten);
  tcase_add_test(tc, refused_expired);
  tcase_add_test(tc, expired_fate_in_history);
  tcase_add_test(tc, refused_other_cycle);
  tcase_add_test(tc, refused_other_mapping);
  tcase_add_test(tc, refused_other_config);
  tcase_add_test(tc, refused_other_driver);
  tcase_add_test(tc, refused_edited_plan);
  tcase_add_test(tc, forged_plan_refused);
  tcase_add_test(tc, signed_forgery_still_guarded);
  tcase_add_test(tc, apply_approve_releases_only_those);
  tcase_add_test(tc, guardrails_both_ways);
  tcase_add_test(tc, sync_approve_and_deprecated_flag);
  tcase_add_test(tc, daemon_takes_no_approval);
  tcase_add_test(tc, empty_mapping_is_a_configuration_error);
  tcase_add_test(tc, mapping_shrank_holds_every_change);
  tcase_add_test(tc, mapping_shrink_pending_until_accepted);
  tcase_add_test(tc, dry_run_ends_with_the_command);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
