/* SPDX-License-Identifier: MIT */
/*
 * test_url_check.c — which configured URLs the host accepts, including the
 * inputs that fool naive "is this loopback?" checks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "url_check.h"

typedef struct url_case {
  const char *url;
  url_kind kind;
  int ok;
  const char *fragment; /* in the error, when refused */
} url_case;

static const url_case cases[] = {
    {"https://api.lastpass.com/business", URL_WEB, 1, NULL},
    {"https://api-na.myconnectwise.net", URL_WEB, 1, NULL},
    {"HTTPS://API.LASTPASS.COM/", URL_WEB, 1, NULL},
    {"https://host:8443/x?y=1#z", URL_WEB, 1, NULL},
    {"http://127.0.0.1:8080/x", URL_WEB, 1, NULL},
    {"http://127.255.3.4/", URL_WEB, 1, NULL},
    {"http://localhost/", URL_WEB, 1, NULL},
    {"http://LOCALHOST:99", URL_WEB, 1, NULL},
    {"HTTP://localhost./", URL_WEB, 1, NULL},
    {"http://[::1]:8080/x", URL_WEB, 1, NULL},
    {"http://[::ffff:127.0.0.1]/", URL_WEB, 1, NULL},
    {"https://[2001:db8::1]:443/", URL_WEB, 1, NULL},
    {"http://example.com/", URL_WEB, 0, "http:// to another machine"},
    {"http://127.0.0.1.evil.com/", URL_WEB, 0, "http:// to another machine"},
    {"http://localhost.evil.com/", URL_WEB, 0, "http:// to another machine"},
    {"http://128.0.0.1/", URL_WEB, 0, "http:// to another machine"},
    {"http://127.1/", URL_WEB, 0, "http:// to another machine"},
    {"http://0x7f.0.0.1/", URL_WEB, 0, "http:// to another machine"},
    {"http://2130706433/", URL_WEB, 0, "http:// to another machine"},
    {"http://[::2]/", URL_WEB, 0, "http:// to another machine"},
    {"http://[::ffff:10.0.0.1]/", URL_WEB, 0, "http:// to another machine"},
    {"http://localhost@evil.com/", URL_WEB, 0, "user name or password"},
    {"https://user:pw@host/", URL_WEB, 0, "user name or password"},
    {"http://evil.com#@127.0.0.1/", URL_WEB, 0, "http:// to another machine"},
    {"http://evil.com?@127.0.0.1/", URL_WEB, 0, "http:// to another machine"},
    {"http://127.0.0.1\\@evil.com/", URL_WEB, 0, "backslash"},
    {"http://127.0.0.1 .evil.com/", URL_WEB, 0, "space"},
    {"http://127.0.0.1%2eevil.com/", URL_WEB, 0, "no valid host"},
    {"http://[::1/", URL_WEB, 0, "no valid host"},
    {"http://[::1]x/", URL_WEB, 0, "no valid host"},
    {"http://[127.0.0.1]/", URL_WEB, 0, "no valid host"},
    {"http://:80/", URL_WEB, 0, "no valid host"},
    {"http:///path", URL_WEB, 0, "no valid host"},
    {"http://host:/", URL_WEB, 0, "no valid host"},
    {"http://host:0/", URL_WEB, 0, "no valid host"},
    {"http://host:65536/", URL_WEB, 0, "no valid host"},
    {"http://host:80x/", URL_WEB, 0, "no valid host"},
    {"ftp://127.0.0.1/", URL_WEB, 0, "unsupported scheme"},
    {"file:///etc/passwd", URL_WEB, 0, "unsupported scheme"},
    {"smtps://mail.example.com", URL_WEB, 0, "unsupported scheme"},
    {"api.lastpass.com/business", URL_WEB, 0, "is not a URL"},
    {"//host/", URL_WEB, 0, "is not a URL"},
    {"ht-tp://host/", URL_WEB, 0, "is not a URL"},
    {"", URL_WEB, 0, "empty"},
    {"smtps://mail.example.com:465", URL_MAIL, 1, NULL},
    {"smtp://mail.example.com:587", URL_MAIL, 1, NULL},
    {"SMTP://127.0.0.1:2525", URL_MAIL, 1, NULL},
    {"https://mail.example.com", URL_MAIL, 0, "unsupported scheme"},
    {"smtps://me:pw@mail.example.com", URL_MAIL, 0, "user name or password"},
};

START_TEST(check_url) {
  const url_case *c = &cases[_i];
  char err[256] = "";
  int rc = url_check(c->url, c->kind, err, sizeof err);
  ck_assert_msg(rc == (c->ok ? 0 : -1), "%s: rc %d (%s)", c->url, rc, err);
  if (!c->ok) {
    ck_assert_msg(strstr(err, c->fragment) != NULL, "%s: \"%s\"", c->url, err);
    ck_assert(strchr(err, '\n') == NULL);
  }
}
END_TEST

START_TEST(parts) {
  url_parts p;
  char err[256];
  ck_assert_int_eq(
      url_parse("HTTP://[::1]:8080/x?y", URL_WEB, &p, err, sizeof err), 0);
  ck_assert_str_eq(p.scheme, "http");
  ck_assert_str_eq(p.host, "::1");
  ck_assert_int_eq(p.port, 8080);
  ck_assert_int_eq(p.loopback, 1);
  ck_assert_str_eq(p.rest, "/x?y");
  ck_assert_int_eq(
      url_parse("https://Api.Example.COM", URL_WEB, &p, err, sizeof err), 0);
  ck_assert_str_eq(p.host, "api.example.com");
  ck_assert_int_eq(p.port, 0);
  ck_assert_int_eq(p.loopback, 0);
  ck_assert_str_eq(p.rest, "");
}
END_TEST

START_TEST(userinfo_not_echoed) {
  char err[256];
  ck_assert_int_eq(
      url_check("https://me:hunter2secret@host/", URL_WEB, err, sizeof err),
      -1);
  ck_assert_ptr_null(strstr(err, "hunter2secret"));
}
END_TEST

START_TEST(loopback_hosts) {
  ck_assert(url_host_is_loopback("127.0.0.1"));
  ck_assert(url_host_is_loopback("127.9.9.9"));
  ck_assert(url_host_is_loopback("localhost"));
  ck_assert(url_host_is_loopback("::1"));
  ck_assert(!url_host_is_loopback("0.0.0.0"));
  ck_assert(!url_host_is_loopback("127.0.0.1.nip.io"));
  ck_assert(!url_host_is_loopback(""));
  ck_assert(!url_host_is_loopback("localhost.."));
}
END_TEST

START_TEST(tiny_error_buffer) {
  char err[8];
  ck_assert_int_eq(url_check("ftp://x/", URL_WEB, err, sizeof err), -1);
  ck_assert_uint_lt(strlen(err), sizeof err);
  ck_assert_int_eq(url_check("ftp://x/", URL_WEB, NULL, 0), -1);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("url_check");
  TCase *tc = tcase_create("core");
  tcase_add_loop_test(tc, check_url, 0, sizeof cases / sizeof cases[0]);
  tcase_add_test(tc, parts);
  tcase_add_test(tc, userinfo_not_echoed);
  tcase_add_test(tc, loopback_hosts);
  tcase_add_test(tc, tiny_error_buffer);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
