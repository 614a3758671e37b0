/* SPDX-License-Identifier: MIT */
/*
 * test_sdk_drivers.c — the three PSA drivers of the tree meet the host the
 * same way: each checks the host table it is given in open() (the ABI
 * major, and the 1.1 services it needs, by struct_size) and refuses a 1.0
 * host or another major with one sentence of the same shape; each reports
 * its folder's version; each declares its own credential headers in the
 * 1.1 descriptor (none stays hard-coded in the host).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "host_api.h"
#include "loader.h"

typedef struct driver_case {
  const char *name;
  const char *psa;      /* as its messages name it */
  const char *services; /* the 1.1 services it needs, as it names them */
  const char *headers[4];
  const char *config[3][2]; /* a section the host would accept */
} driver_case;

static const driver_case cases[] = {
    {"connectwise",
     "ConnectWise",
     "add_note",
     {"clientId", NULL},
     {{"site", "https://api-na.myconnectwise.net"},
      {"company_id", "lpsademo"},
      {"client_id", "cid"}}},
    {"autotask",
     "Autotask",
     "add_note",
     {"ApiIntegrationCode", "UserName", "Secret", NULL},
     {{"username", "api@msp.example"},
      {"secret", "secret"},
      {"integration_code", "code"}}},
    {"halopsa",
     "HaloPSA",
     "add_note, http_pace",
     {NULL},
     {{"url", "https://acme.halopsa.com"},
      {"client_id", "cid"},
      {"client_secret", "secret"}}},
};

static void load(const driver_case *c, loaded_driver *d) {
  char path[4200], err[1024] = "";
  snprintf(path, sizeof path, "%s/%s.so", getenv("LPSA_DRIVER_DIR"), c->name);
  ck_assert_msg(loader_load_file(path, c->name, d, err, sizeof err) == LPSA_OK,
                "%s", err);
}

/* open() with `api`: must be refused with the driver's sentence, *out
 * untouched. */
static void expect_refused(const driver_case *c, const loaded_driver *d,
                           const lpsa_host_api *api, const char *speaks) {
  lpsa_config_value cfg[5] = {{"public_key", "pub", 0},
                              {"private_key", "priv", 0}};
  size_t n = strcmp(c->name, "connectwise") == 0 ? 2 : 0;
  for (size_t i = 0; i < 3; i++)
    cfg[n++] = (lpsa_config_value){c->config[i][0], c->config[i][1], 0};
  lpsa_host host;
  host_init(&host, NULL, NULL);
  static int sentinel_target;
  lpsa_driver_ctx *const sentinel = (lpsa_driver_ctx *)&sentinel_target;
  lpsa_driver_ctx *out = sentinel;
  char err[LPSA_ERRLEN];
  int rc = d->desc->open(api, &host, cfg, n, &out, err, sizeof err);
  ck_assert_msg(rc == LPSA_ERR_UNSUPPORTED, "%s: open() gave %d", c->name, rc);
  ck_assert_msg(out == sentinel, "%s: *out changed", c->name);
  char expect[512];
  snprintf(expect, sizeof expect,
           "the %s driver 1.0.0 needs a host of driver ABI 1.1 or newer "
           "(%s); this host speaks ABI %s: upgrade lpsa-host",
           c->psa, c->services, speaks);
  ck_assert_msg(strcmp(err, expect) == 0,
                "%s:\n  got    \"%s\"\n  wanted \"%s\"", c->name, err, expect);
}

START_TEST(a_1_0_host_or_another_major_is_refused_alike) {
  const driver_case *c = &cases[_i];
  loaded_driver d;
  load(c, &d);
  lpsa_host_api old = *host_api();
  old.abi_minor = 0;
  old.struct_size = offsetof(lpsa_host_api, add_note);
  expect_refused(c, &d, &old, "1.0");
  /* A 1.1 table without pacing: only the driver needing it refuses. */
  lpsa_host_api no_pace = *host_api();
  no_pace.struct_size = offsetof(lpsa_host_api, http_pace);
  if (strstr(c->services, "http_pace"))
    expect_refused(c, &d, &no_pace, "1.1");
  lpsa_host_api next = *host_api();
  next.abi_major = 2;
  expect_refused(c, &d, &next, "2.1");
  loader_unload(&d);
}
END_TEST

START_TEST(version_and_credential_headers_declared) {
  const driver_case *c = &cases[_i];
  loaded_driver d;
  load(c, &d);
  ck_assert_str_eq(d.desc->version, "1.0.0"); /* project(... VERSION) */
  ck_assert_uint_eq(d.desc->abi_minor, 1);
  ck_assert(LPSA_DRIVER_HAS(d.desc, sensitive_headers));
  const char *const *h = d.desc->sensitive_headers;
  size_t n = 0;
  for (; h && h[n]; n++) {
    ck_assert_msg(c->headers[n] != NULL, "%s declares more than expected: %s",
                  c->name, h[n]);
    ck_assert_str_eq(h[n], c->headers[n]);
  }
  ck_assert_msg(c->headers[n] == NULL, "%s does not declare %s", c->name,
                c->headers[n]);
  loader_unload(&d);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sdk_drivers");
  TCase *tc = tcase_create("alike");
  size_t n = sizeof cases / sizeof *cases;
  tcase_add_loop_test(tc, a_1_0_host_or_another_major_is_refused_alike, 0,
                      (int)n);
  tcase_add_loop_test(tc, version_and_credential_headers_declared, 0, (int)n);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
