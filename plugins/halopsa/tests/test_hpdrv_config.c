/* SPDX-License-Identifier: MIT */
/*
 * test_hpdrv_config.c — the [driver.halopsa] keys: defaults, the URL
 * forms, the limits, and messages naming the key and its line.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hp_config.h"

static hp_ctx *ctx;

static void setup(void) {
  ctx = calloc(1, sizeof *ctx);
}

static void teardown(void) {
  hp_ctx_free(ctx);
}

#define V(k, v, l)                                                             \
  { k, v, l }

START_TEST(defaults) {
  lpsa_config_value cfg[] = {V("url", "https://acme.halopsa.com/api/", 3),
                             V("client_id", "abc", 4),
                             V("client_secret", "s3cret", 5)};
  char err[256];
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 3, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(ctx->url, "https://acme.halopsa.com");
  ck_assert_str_eq(ctx->api_base, "https://acme.halopsa.com/api");
  ck_assert_ptr_null(ctx->auth_url);
  ck_assert_str_eq(ctx->scope, "all");
  ck_assert_int_eq(ctx->rate, 250);
  ck_assert_int_eq(ctx->window_ms, 300000);
  ck_assert_int_eq(ctx->page_size, 100);
}
END_TEST

START_TEST(every_key) {
  lpsa_config_value cfg[] = {
      V("url", "https://acme.halopsa.com", 1),
      V("auth_url", "https://auth.example/auth/", 2),
      V("tenant", "acme", 3),
      V("client_id", "abc", 4),
      V("client_secret", "s3cret", 5),
      V("scope", "read:customers read:items edit:invoices", 6),
      V("requests_per_5min", "100", 7),
      V("rate_window_seconds", "0.5", 8),
      V("page_size", "50", 9)};
  char err[256];
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 9, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(ctx->auth_url, "https://auth.example/auth");
  ck_assert(ctx->auth_configured);
  ck_assert_str_eq(ctx->tenant, "acme");
  ck_assert_int_eq(ctx->rate, 100);
  ck_assert_int_eq(ctx->window_ms, 500);
  ck_assert_int_eq(ctx->page_size, 50);
}
END_TEST

START_TEST(bad_values_named) {
  char err[256];
  lpsa_config_value cfg[] = {
      V("url", "https://acme.halopsa.com", 1), V("client_id", "abc", 2),
      V("client_secret", "s", 3), V("requests_per_5min", "0", 7)};
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 4, err, sizeof err),
                   LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "requests_per_5min = 0 (line 7)"));
  cfg[3] = (lpsa_config_value)V("page_size", "lots", 8);
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 4, err, sizeof err),
                   LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "page_size = lots (line 8)"));
  cfg[3] = (lpsa_config_value)V("rate_window_seconds", "0", 9);
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 4, err, sizeof err),
                   LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "rate_window_seconds = 0 (line 9)"));
  cfg[3] = (lpsa_config_value)V("scope", "read:items\tedit:invoices", 9);
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 4, err, sizeof err),
                   LPSA_ERR_INVALID);
  ck_assert_ptr_nonnull(strstr(err, "scope holds a control character"));
}
END_TEST

/* Unknown keys, required keys and the URL scheme are the host's to check
 * (config_keys' flags), before open(): the driver does not check them
 * again, and a section the host would refuse never reaches it. Without
 * the host in front, a missing required key reads as empty, and nothing
 * crashes. */
START_TEST(host_checks_are_not_repeated) {
  char err[256] = "";
  lpsa_config_value cfg[] = {V("url", "https://acme.halopsa.com", 1),
                             V("client_id", "abc", 2),
                             V("client_secret", "s", 3), V("bogus", "1", 4)};
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 4, err, sizeof err), LPSA_OK);
  hp_ctx_free(ctx);
  ctx = calloc(1, sizeof *ctx);
  ck_assert_int_eq(hp_config_apply(ctx, cfg, 2, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(ctx->client_secret, "");
}
END_TEST

START_TEST(urls) {
  ck_assert(hp_url_is_safe("https://acme.halopsa.com"));
  ck_assert(hp_url_is_safe("http://127.0.0.1:8080/auth"));
  ck_assert(hp_url_is_safe("http://localhost"));
  ck_assert(!hp_url_is_safe("http://127.0.0.1.evil.example/"));
  ck_assert(!hp_url_is_safe("http://acme.halopsa.com"));
  ck_assert(!hp_url_is_safe("https://"));
  ck_assert(!hp_url_is_safe("ftp://x"));
  char *b = hp_url_base("https://acme.halopsa.com/API//");
  ck_assert_str_eq(b, "https://acme.halopsa.com");
  free(b);
}
END_TEST

int main(void) {
  Suite *s = suite_create("hpdrv_config");
  TCase *tc = tcase_create("config");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, defaults);
  tcase_add_test(tc, every_key);
  tcase_add_test(tc, bad_values_named);
  tcase_add_test(tc, host_checks_are_not_repeated);
  tcase_add_test(tc, urls);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
