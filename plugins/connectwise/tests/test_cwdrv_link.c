/* SPDX-License-Identifier: MIT */
/*
 * test_cwdrv_link.c — the ConnectWise driver's Link header parser and pager:
 * every rel, spacing variations, forward-only pageId links, malformed
 * headers, and the loop/skip/beyond-last guards.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cw_link.h"
#include "cw_pager.h"

#define BASE "https://h/v4_6_release/apis/3.0/company/companies"

START_TEST(navigable_links) {
  cw_links l;
  const char *h = "<" BASE "?pageSize=2&page=1>; rel=\"first\", <" BASE
                  "?pageSize=2&page=1>; rel=\"prev\", <" BASE
                  "?pageSize=2&page=3>; rel=\"next\", <" BASE
                  "?pageSize=2&page=9>; rel=\"last\"";
  ck_assert_int_eq(cw_link_parse(h, &l), CW_LINK_OK);
  ck_assert_str_eq(l.next, BASE "?pageSize=2&page=3");
  ck_assert_str_eq(l.last, BASE "?pageSize=2&page=9");
  ck_assert_str_eq(l.first, BASE "?pageSize=2&page=1");
  ck_assert_str_eq(l.prev, BASE "?pageSize=2&page=1");
  cw_links_free(&l);
}
END_TEST

START_TEST(spacing_and_case_variations) {
  cw_links l;
  const char *h = "  <a?page=2>;rel=next ,<a?page=4> ;  REL = \"Last\"  ,";
  ck_assert_int_eq(cw_link_parse(h, &l), CW_LINK_OK);
  ck_assert_str_eq(l.next, "a?page=2");
  ck_assert_str_eq(l.last, "a?page=4");
  ck_assert_ptr_null(l.prev);
  cw_links_free(&l);
  /* Several rels in one value, other parameters, unknown rels. */
  h = "<a?page=5>; title=\"x, y; z\"; rel=\"next last\", <b>; rel=canonical";
  ck_assert_int_eq(cw_link_parse(h, &l), CW_LINK_OK);
  ck_assert_str_eq(l.next, "a?page=5");
  ck_assert_str_eq(l.last, "a?page=5");
  cw_links_free(&l);
  /* A comma inside the URL is not a separator. */
  h = "<a?conditions=id in (1,2)&page=2>; rel=\"next\"";
  ck_assert_int_eq(cw_link_parse(h, &l), CW_LINK_OK);
  ck_assert_str_eq(l.next, "a?conditions=id in (1,2)&page=2");
  cw_links_free(&l);
}
END_TEST

START_TEST(absent_or_empty) {
  cw_links l;
  ck_assert_int_eq(cw_link_parse(NULL, &l), CW_LINK_OK);
  ck_assert_ptr_null(l.next);
  cw_links_free(&l);
  ck_assert_int_eq(cw_link_parse("", &l), CW_LINK_OK);
  ck_assert_ptr_null(l.next);
  cw_links_free(&l);
  ck_assert_int_eq(cw_link_parse("<a?page=1>; rel=\"first\"", &l), CW_LINK_OK);
  ck_assert_ptr_null(l.next);
  cw_links_free(&l);
}
END_TEST

START_TEST(malformed) {
  const char *bad[] = {
      "a?page=2; rel=next",                         /* no angle brackets */
      "<a?page=2; rel=next",                        /* unclosed < */
      "<>; rel=next",                               /* empty target */
      "<a?page=2>; rel=\"next",                     /* unclosed quote */
      "<a?page=2> rel=next",                        /* no semicolon */
      "<a?page=2>; =next",                          /* parameter without name */
      "<a?page=2>; rel=next, <a?page=3>; rel=next", /* two different nexts */
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cw_links l;
    ck_assert_msg(cw_link_parse(bad[i], &l) == CW_LINK_MALFORMED, "accepted %s",
                  bad[i]);
    cw_links_free(&l);
  }
  /* The same next twice is harmless. */
  cw_links l;
  ck_assert_int_eq(
      cw_link_parse("<a?page=2>; rel=next, <a?page=2>; rel=next", &l),
      CW_LINK_OK);
  cw_links_free(&l);
}
END_TEST

START_TEST(query_params) {
  char buf[32];
  long long v = 0;
  const char *u = "https://h/x?pageSize=1000&page=3&pageId=77#frag";
  ck_assert_int_eq(cw_url_param(u, "page", buf, sizeof buf), 1);
  ck_assert_str_eq(buf, "3");
  ck_assert_int_eq(cw_url_param_num(u, "pageSize", &v), 1);
  ck_assert_int_eq(v, 1000);
  ck_assert_int_eq(cw_url_param_num(u, "pageId", &v), 1);
  ck_assert_int_eq(v, 77);
  ck_assert_int_eq(cw_url_param_num("https://h/x?pageSize=5", "page", &v), 0);
  ck_assert_int_eq(cw_url_param_num("https://h/x?page=abc", "page", &v), -1);
  ck_assert_int_eq(cw_url_param_num("https://h/x?page=0", "page", &v), 1);
  ck_assert_int_eq(v, 0);
  ck_assert_int_eq(cw_url_param_num("https://h/x?page=-1", "page", &v), -1);
  ck_assert_int_eq(cw_url_param_num("https://h/x?page=", "page", &v), -1);
  ck_assert_int_eq(cw_url_param_num("https://h/page=2", "page", &v), 0);
}
END_TEST

/* Drive a pager over a list of Link headers; returns the advance result of
 * the last one and leaves the message in err. */
static int walk(cw_pager *p, const char *const *links, size_t n, char *err) {
  int rc = 0;
  for (size_t i = 0; i < n && rc == 0; i++)
    rc = cw_pager_advance(p, links[i], err, 300);
  return rc;
}

static char *url_of(const cw_pager *p) {
  cw_buf b;
  cw_buf_init(&b);
  cw_pager_url(p, &b);
  return cw_buf_steal(&b);
}

START_TEST(pager_follows_pages_on_its_own_query) {
  cw_pager p;
  char err[300];
  ck_assert_int_eq(
      cw_pager_init(&p, "company/companies?conditions=x&pageSize=2"), 0);
  char *u = url_of(&p);
  ck_assert_str_eq(u, "company/companies?conditions=x&pageSize=2");
  free(u);
  /* The server's link drops the conditions: the pager keeps ours. */
  ck_assert_int_eq(cw_pager_advance(&p,
                                    "<https://other/x?pageSize=2&page=2>; "
                                    "rel=\"next\", <https://other/x?page=3>; "
                                    "rel=\"last\"",
                                    err, sizeof err),
                   0);
  ck_assert(!p.done);
  u = url_of(&p);
  ck_assert_str_eq(u, "company/companies?conditions=x&pageSize=2&page=2");
  free(u);
  ck_assert_int_eq(
      cw_pager_advance(&p, "<x?page=3>; rel=next, <x?page=3>; rel=last", err,
                       sizeof err),
      0);
  ck_assert_int_eq(
      cw_pager_advance(&p, "<x?page=1>; rel=first", err, sizeof err), 0);
  ck_assert(p.done);
  ck_assert_uint_eq(p.pages, 3);
  cw_pager_free(&p);
}
END_TEST

START_TEST(pager_forward_only) {
  cw_pager p;
  char err[300];
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=2"), 0);
  const char *links[] = {"<a?pageSize=2&pageId=10>; rel=\"next\"",
                         "<a?pageSize=2&pageId=25>; rel=\"next\""};
  ck_assert_int_eq(walk(&p, links, 2, err), 0);
  char *u = url_of(&p);
  ck_assert_str_eq(u, "a?pageSize=2&pageId=25");
  free(u);
  /* A cursor that does not move forward is a loop (also back to 0). */
  ck_assert_int_eq(
      cw_pager_advance(&p, "<a?pageId=0>; rel=next", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "loop"));
  ck_assert_int_eq(
      cw_pager_advance(&p, "<a?pageId=25>; rel=next", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "loop"));
  cw_pager_free(&p);
}
END_TEST

START_TEST(pager_refuses_loops_skips_and_beyond_last) {
  cw_pager p;
  char err[300];
  /* Loop: page 2 says next is page 2 again. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  const char *loop[] = {"<a?page=2>; rel=next", "<a?page=2>; rel=next"};
  ck_assert_int_eq(walk(&p, loop, 2, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "loop"));
  cw_pager_free(&p);
  /* Back to page 1. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  const char *back[] = {"<a?page=2>; rel=next", "<a?page=1>; rel=next"};
  ck_assert_int_eq(walk(&p, back, 2, err), -1);
  cw_pager_free(&p);
  /* Skip. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  const char *skip[] = {"<a?page=3>; rel=next"};
  ck_assert_int_eq(walk(&p, skip, 1, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "skips"));
  cw_pager_free(&p);
  /* Next beyond last. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  const char *beyond[] = {"<a?page=2>; rel=next, <a?page=2>; rel=last",
                          "<a?page=3>; rel=next, <a?page=2>; rel=last"};
  ck_assert_int_eq(walk(&p, beyond, 2, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "beyond"));
  cw_pager_free(&p);
  /* A page whose own number is beyond last. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  const char *past[] = {"<a?page=2>; rel=next",
                        "<a?page=1>; rel=first, <a?page=1>; rel=last"};
  ck_assert_int_eq(walk(&p, past, 2, err), -1);
  ck_assert_ptr_nonnull(strstr(err, "last page"));
  cw_pager_free(&p);
  /* A next link without a page number, and an unreadable header. */
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  ck_assert_int_eq(
      cw_pager_advance(&p, "<a?cursor=xyz>; rel=next", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "no page number"));
  cw_pager_free(&p);
  ck_assert_int_eq(cw_pager_init(&p, "a?pageSize=1"), 0);
  ck_assert_int_eq(cw_pager_advance(&p, "garbage", err, sizeof err), -1);
  ck_assert_ptr_nonnull(strstr(err, "cannot be read"));
  cw_pager_free(&p);
}
END_TEST

int main(void) {
  Suite *s = suite_create("cwdrv_link");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, navigable_links);
  tcase_add_test(tc, spacing_and_case_variations);
  tcase_add_test(tc, absent_or_empty);
  tcase_add_test(tc, malformed);
  tcase_add_test(tc, query_params);
  tcase_add_test(tc, pager_follows_pages_on_its_own_query);
  tcase_add_test(tc, pager_forward_only);
  tcase_add_test(tc, pager_refuses_loops_skips_and_beyond_last);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
