/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cw_link.c — libFuzzer target for the ConnectWise `Link` header
 * parser, the query-parameter lookup and the pager that walks pages with
 * them (plugins/connectwise: cw_link.c, cw_pager.c).
 *
 * The whole input is parsed as one header value; then each line of it is
 * fed to a pager as the Link header of the next page. A pager that says
 * "go on" must always move forward (a higher page number or cursor), so a
 * hostile server can never make the driver loop; and it never goes past
 * CW_PAGER_MAX_PAGES.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cw_buf.h"
#include "cw_link.h"
#include "cw_pager.h"
#include "fuzz_input.h"

static void params_of(const char *url) {
  static const char *const names[] = {"page", "pageId", "pageSize",
                                      "conditions"};
  char buf[256];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    long n = cw_url_param(url, names[i], buf, sizeof buf);
    if (n >= 0 && (size_t)n != strlen(buf))
      abort();
    long long v;
    int found = cw_url_param_num(url, names[i], &v);
    if (found == 1 && v < 0)
      abort();
  }
}

static void parse_whole(const char *header) {
  cw_links l;
  int rc = cw_link_parse(header, &l);
  if (rc != CW_LINK_OK && rc != CW_LINK_MALFORMED && rc != CW_LINK_NOMEM)
    abort();
  const char *urls[] = {l.next, l.prev, l.first, l.last};
  for (size_t i = 0; i < 4; i++)
    if (urls[i])
      params_of(urls[i]);
  cw_links_free(&l);
}

static void walk_pages(fuzz_input *in) {
  cw_pager p;
  if (cw_pager_init(&p, "company/companies?conditions=id%20in%20(1,2)"
                        "&fields=id&pageSize=2") != 0)
    return;
  cw_buf url;
  cw_buf_init(&url);
  while (!p.done && in->len) {
    char *link = fuzz_string(in, '\n');
    if (!link)
      break;
    cw_buf_clear(&url);
    cw_pager_url(&p, &url);
    if (!url.oom && !cw_buf_str(&url))
      abort();
    long long page = p.page, page_id = p.page_id;
    char err[512];
    err[0] = '\0';
    int rc = cw_pager_advance(&p, *link ? link : NULL, err, sizeof err);
    free(link);
    if (rc == -1 && !err[0])
      abort();
    if (rc != 0)
      break;
    if (p.pages > CW_PAGER_MAX_PAGES)
      abort();
    if (!p.done && p.page <= page && p.page_id <= page_id)
      abort(); /* "go on" without moving forward: a loop */
  }
  cw_buf_free(&url);
  cw_pager_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_input in = fuzz_input_make(data, size);
  char *whole = fuzz_rest(&in);
  if (!whole)
    return 0;
  parse_whole(whole);
  free(whole);
  in = fuzz_input_make(data, size);
  walk_pages(&in);
  return 0;
}
