/* SPDX-License-Identifier: MIT */
/*
 * sim_world_main.c — the sim-world program: prints the mapping CSV (and,
 * on request, the companies as JSON) of a generated world, so the demo and
 * the benchmark configure lpsa for the same world the simulators serve.
 *
 *   sim-world --generate N [--seed S] [--change-pct P] [--mapping FILE]
 *             [--companies FILE]
 * FILE "-" (the default for --mapping) is standard output.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_world.h"

static int number(const char *name, const char *v, long lo, long hi,
                  long *out) {
  char *end;
  if (!v) {
    fprintf(stderr, "sim-world: %s needs a value\n", name);
    return -1;
  }
  *out = strtol(v, &end, 10);
  if (!*v || *end || *out < lo || *out > hi) {
    fprintf(stderr, "sim-world: %s must be a number from %ld to %ld\n", name,
            lo, hi);
    return -1;
  }
  return 0;
}

static FILE *open_out(const char *path) {
  if (strcmp(path, "-") == 0)
    return stdout;
  FILE *f = fopen(path, "w");
  if (!f)
    fprintf(stderr, "sim-world: cannot write %s: %s\n", path, strerror(errno));
  return f;
}

static int close_out(FILE *f) {
  if (f == stdout)
    return fflush(f) == 0 ? 0 : -1;
  return fclose(f) == 0 ? 0 : -1;
}

static int write_companies(FILE *out, unsigned seed, int pct, int n) {
  sim_world_company c;
  fputs("[\n", out);
  for (int i = 0; i < n; i++) {
    sim_world_company_at(seed, pct, i, &c);
    json_object *o = json_object_new_object();
    if (!o)
      return -1;
    json_object_object_add(o, "lastpass_id",
                           json_object_new_int64(c.lastpass_id));
    json_object_object_add(o, "psa_company_id",
                           json_object_new_int64(c.psa_company_id));
    json_object_object_add(o, "name", json_object_new_string(c.name));
    json_object_object_add(o, "mfa", json_object_new_boolean(c.mfa));
    json_object_object_add(o, "suspended",
                           json_object_new_boolean(c.suspended));
    json_object_object_add(o, "seats", json_object_new_int(c.seats));
    json_object_object_add(o, "psa_quantity",
                           json_object_new_int(c.psa_quantity));
    fprintf(out, "%s%s\n",
            json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
            i + 1 < n ? "," : "");
    json_object_put(o);
  }
  fputs("]\n", out);
  return ferror(out) ? -1 : 0;
}

int main(int argc, char **argv) {
  long n = -1, seed = 1, pct = 10;
  const char *mapping = NULL, *companies = NULL;
  for (int i = 1; i < argc; i += 2) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    int bad = 0;
    if (strcmp(argv[i], "--generate") == 0)
      bad = number(argv[i], v, 0, 10000000, &n);
    else if (strcmp(argv[i], "--seed") == 0)
      bad = number(argv[i], v, 0, 4294967295L, &seed);
    else if (strcmp(argv[i], "--change-pct") == 0)
      bad = number(argv[i], v, 0, 100, &pct);
    else if (strcmp(argv[i], "--mapping") == 0 && v)
      mapping = v;
    else if (strcmp(argv[i], "--companies") == 0 && v)
      companies = v;
    else {
      fprintf(stderr,
              "usage: sim-world --generate N [--seed S] [--change-pct P] "
              "[--mapping FILE|-] [--companies FILE|-]\n");
      return 2;
    }
    if (bad)
      return 2;
  }
  if (n < 0) {
    fprintf(stderr, "sim-world: --generate N is required\n");
    return 2;
  }
  if (!mapping && !companies)
    mapping = "-";
  if (mapping) {
    FILE *f = open_out(mapping);
    if (!f || sim_world_write_mapping(f, (unsigned)seed, (int)pct, (int)n) ||
        close_out(f)) {
      fprintf(stderr, "sim-world: writing the mapping failed\n");
      return 1;
    }
  }
  if (companies) {
    FILE *f = open_out(companies);
    if (!f || write_companies(f, (unsigned)seed, (int)pct, (int)n) ||
        close_out(f)) {
      fprintf(stderr, "sim-world: writing the companies failed\n");
      return 1;
    }
  }
  return 0;
}
