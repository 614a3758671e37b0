/* SPDX-License-Identifier: MIT */
/*
 * conf_no_subunit.c — the four libsubunit calls that Check's static library
 * refers to, so liblpsa-conformance needs no test library at run time.
 *
 * Check writes through them only in its CK_SUBUNIT output mode; the suite
 * runs Check with CK_SILENT (conf_suite.c) and collects results itself, so
 * they are never reached. Should that change, they say so and stop rather
 * than write a wrong stream.
 */
#include <stdio.h>
#include <stdlib.h>

void subunit_test_start(const char *const name);
void subunit_test_pass(const char *const name);
void subunit_test_fail(const char *name, const char *error);
void subunit_test_error(const char *name, const char *error);

static void unsupported(const char *name) {
  fprintf(stderr,
          "liblpsa-conformance: Check's subunit output is not built in (test "
          "%s); run the suite without CK_SUBUNIT\n",
          name ? name : "?");
  abort();
}

void subunit_test_start(const char *const name) {
  unsupported(name);
}

void subunit_test_pass(const char *const name) {
  unsupported(name);
}

void subunit_test_fail(const char *name, const char *error) {
  (void)error;
  unsupported(name);
}

void subunit_test_error(const char *name, const char *error) {
  (void)error;
  unsupported(name);
}
