/* SPDX-License-Identifier: MIT */
/*
 * main.c — lpsa-conformance, the driver conformance suite's command line
 * (the suite itself is the library behind lpsa/conformance.h).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lpsa/conformance.h"

#define MAX_COMPANIES 256

static const char usage_text[] =
    "usage: lpsa-conformance --driver PATH_OR_NAME --config FILE\n"
    "                        [--section NAME] [--level 0|1|2] [--tap FILE]\n"
    "                        [--strict] [--company ID]... [--test-line ID]\n"
    "                        [--timeout SECONDS] [--only PREFIX]\n"
    "                        [--log FILE] [-v]\n"
    "       lpsa-conformance --list | --help | --version\n"
    "\n"
    "Proves an lpsa driver: level 0 needs no network, level 1 reads the\n"
    "configured PSA, level 2 changes ONE line (--test-line) and restores "
    "it.\n"
    "\n"
    "  --driver PATH_OR_NAME  the driver file (build/mypsa.so), or a\n"
    "                         [driver.NAME] section whose module is found on\n"
    "                         driver_path, as lpsa-host --driver does\n"
    "  --config FILE          an lpsa configuration: its [driver.NAME]\n"
    "                         section configures the driver; [host]\n"
    "                         mapping_file, when set, names the companies\n"
    "  --section NAME         the [driver.NAME] section (default: the\n"
    "                         driver's name, or the only one)\n"
    "  --level N              run levels 0..N (default 0)\n"
    "  --tap FILE             also write TAP version 13 there (- : stdout,\n"
    "                         instead of the table)\n"
    "  --strict               tests that cannot apply fail (not \"not run\")\n"
    "  --company ID           a PSA company to request (repeatable; added to\n"
    "                         the mapping file's); it must exist\n"
    "  --test-line ID         level 2: the line it may change and restores\n"
    "  --timeout SECONDS      per test (default 60)\n"
    "  --only PREFIX          only tests whose name starts so (level1.shape)\n"
    "  --log FILE             append the host and driver log there\n"
    "  -v, --verbose          with --log: debug lines too\n"
    "  --list                 list the tests and what each requires\n"
    "\n"
    "Exit status: 0 every test passed or did not apply, 1 a test failed,\n"
    "2 usage or configuration error.\n";

typedef struct cli {
  lpsa_conformance_options opt;
  const char *tap;
  const char *companies[MAX_COMPANIES];
  size_t n_companies;
  int list;
} cli;

static int usage_error(const char *fmt, const char *arg) {
  fputs("lpsa-conformance: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("; see lpsa-conformance --help\n", stderr);
  return 2;
}

static int parse_uint(const char *text, long max, long *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < 0 || v > max)
    return -1;
  *out = v;
  return 0;
}

enum {
  OPT_DRIVER = 256,
  OPT_CONFIG,
  OPT_SECTION,
  OPT_LEVEL,
  OPT_TAP,
  OPT_STRICT,
  OPT_COMPANY,
  OPT_TEST_LINE,
  OPT_TIMEOUT,
  OPT_ONLY,
  OPT_LOG,
  OPT_LIST,
  OPT_HELP,
  OPT_VERSION
};

static const struct option long_options[] = {
    {"driver", required_argument, NULL, OPT_DRIVER},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"section", required_argument, NULL, OPT_SECTION},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"tap", required_argument, NULL, OPT_TAP},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"company", required_argument, NULL, OPT_COMPANY},
    {"test-line", required_argument, NULL, OPT_TEST_LINE},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"only", required_argument, NULL, OPT_ONLY},
    {"log", required_argument, NULL, OPT_LOG},
    {"verbose", no_argument, NULL, 'v'},
    {"list", no_argument, NULL, OPT_LIST},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

/* One option; 0 to go on, 1 to stop with exit 0, 2 on a usage error. */
static int apply_option(cli *c, int ch, const char *arg) {
  long v;
  switch (ch) {
  case OPT_DRIVER:
    c->opt.driver = arg;
    return 0;
  case OPT_CONFIG:
    c->opt.config = arg;
    return 0;
  case OPT_SECTION:
    c->opt.section = arg;
    return 0;
  case OPT_LEVEL:
    if (parse_uint(arg, 2, &v))
      return usage_error("--level %s: give 0, 1 or 2", arg);
    c->opt.level = (int)v;
    return 0;
  case OPT_TAP:
    c->tap = arg;
    return 0;
  case OPT_STRICT:
    c->opt.strict = 1;
    return 0;
  case OPT_COMPANY:
    if (c->n_companies == MAX_COMPANIES)
      return usage_error("too many --company options (at most %s); use "
                         "[host] mapping_file",
                         "256");
    c->companies[c->n_companies++] = arg;
    return 0;
  case OPT_TEST_LINE:
    c->opt.test_line = arg;
    return 0;
  case OPT_TIMEOUT:
    if (parse_uint(arg, 86400, &v) || v == 0)
      return usage_error("--timeout %s: give seconds, 1 to 86400", arg);
    c->opt.timeout_s = (unsigned)v;
    return 0;
  case OPT_ONLY:
    c->opt.only = arg;
    return 0;
  case OPT_LOG:
    c->opt.log_file = arg;
    return 0;
  case 'v':
    c->opt.verbose = 1;
    return 0;
  case OPT_LIST:
    c->list = 1;
    return 0;
  case OPT_HELP:
    fputs(usage_text, stdout);
    return 1;
  case OPT_VERSION:
    printf("lpsa-conformance %s\n", LPSA_CONFORMANCE_VERSION);
    return 1;
  default:
    return usage_error("%s", "unknown option");
  }
}

static int parse(cli *c, int argc, char **argv) {
  int ch;
  opterr = 0;
  while ((ch = getopt_long(argc, argv, "v", long_options, NULL)) != -1) {
    if (ch == '?')
      return usage_error("unknown or incomplete option %s", argv[optind - 1]);
    int rc = apply_option(c, ch, optarg);
    if (rc)
      return rc;
  }
  if (optind < argc)
    return usage_error("unexpected argument %s", argv[optind]);
  c->opt.company_ids = c->companies;
  c->opt.n_company_ids = c->n_companies;
  if (!c->list && (!c->opt.driver || !c->opt.config))
    return usage_error("%s", "--driver and --config are required");
  return 0;
}

static int list_tests(void) {
  lpsa_conformance_test_info info[128];
  size_t n = lpsa_conformance_tests(info, 128);
  for (size_t i = 0; i < n && i < 128; i++)
    printf("%-30s %s\n", info[i].name, info[i].what);
  return 0;
}

static int write_tap(const lpsa_conformance_report *rep, const char *path) {
  if (strcmp(path, "-") == 0)
    return lpsa_conformance_write_tap(rep, stdout);
  FILE *f = fopen(path, "w");
  if (!f) {
    fprintf(stderr, "lpsa-conformance: cannot write %s: %s\n", path,
            strerror(errno));
    return -1;
  }
  int rc = lpsa_conformance_write_tap(rep, f);
  return fclose(f) != 0 || rc != 0 ? -1 : 0;
}

/* Print every line of the error block with the program's prefix. */
static void print_error(const char *text) {
  while (*text) {
    size_t len = strcspn(text, "\n");
    fprintf(stderr, "lpsa-conformance: %.*s\n", (int)len, text);
    text += len;
    if (*text == '\n')
      text++;
  }
}

int main(int argc, char **argv) {
  cli c = {.opt = LPSA_CONFORMANCE_OPTIONS_INIT};
  int rc = parse(&c, argc, argv);
  if (rc)
    return rc == 1 ? 0 : rc;
  if (c.list)
    return list_tests();
  signal(SIGPIPE, SIG_IGN); /* the HTTP transport reports broken pipes */
  lpsa_conformance_report rep;
  rc = lpsa_conformance_run(&c.opt, &rep);
  if (rc == 2)
    print_error(rep.error);
  if (!c.tap || strcmp(c.tap, "-") != 0)
    lpsa_conformance_write_text(&rep, stdout);
  if (c.tap && write_tap(&rep, c.tap) != 0 && rc == 0)
    rc = 2;
  lpsa_conformance_report_free(&rep);
  return rc;
}
