/* SPDX-License-Identifier: MIT */
/*
 * sim_options.c — the standard simulator command line (see sim_server.h).
 * Every option takes "--name value" or "--name=value".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_server.h"

void sim_options_default(sim_options *opt) {
  memset(opt, 0, sizeof *opt);
  opt->generate = -1;
  opt->seed = 1;
  opt->change_pct = 10;
  opt->log_max = 100000;
}

void sim_options_usage(FILE *out, const sim_app *app) {
  fprintf(out,
          "usage: %s [options]\n"
          "  --port N            listen on 127.0.0.1:N (0 = any free port)\n"
          "  --port-file FILE    write the bound port there once listening\n"
          "  --log FILE          append every request as a JSON line\n"
          "  --log-max N         requests kept in memory for /_sim/log\n"
          "  --latency-ms N      delay every request by N ms\n"
          "  --fixture FILE      load the dataset from a JSON file\n"
          "  --generate N        generate N companies (with --seed, "
          "--change-pct)\n"
          "  --seed S            generator seed (default 1)\n"
          "  --change-pct P      %% of companies whose PSA count differs "
          "(default 10)\n"
          "  --faults FILE       initial fault rules (JSON array)\n"
          "  --tls-cert FILE     serve https with this PEM certificate\n"
          "  --tls-key FILE      ... and this PEM private key\n"
          "  --quiet             no banner\n",
          app->name);
  if (app->usage)
    fputs(app->usage, out);
}

static int parse_int(const char *name, const char *v, long lo, long hi,
                     long *out, char *err, size_t cap) {
  char *end;
  long n;
  if (!v) {
    snprintf(err, cap, "%s needs a value; see --help", name);
    return -1;
  }
  n = strtol(v, &end, 10);
  if (!*v || *end || n < lo || n > hi) {
    snprintf(err, cap, "%s must be a whole number from %ld to %ld, not \"%s\"",
             name, lo, hi, v);
    return -1;
  }
  *out = n;
  return 0;
}

/* One standard option; 1 consumed value, 2 flag, 0 unknown, -1 error. */
static int standard(sim_options *opt, const char *name, const char *v,
                    char *err, size_t cap) {
  long n;
  const char **str = NULL;
  if (strcmp(name, "--quiet") == 0) {
    opt->quiet = 1;
    return SIM_OPT_FLAG;
  }
  if (strcmp(name, "--port-file") == 0)
    str = &opt->port_file;
  else if (strcmp(name, "--log") == 0)
    str = &opt->log_file;
  else if (strcmp(name, "--fixture") == 0)
    str = &opt->fixture;
  else if (strcmp(name, "--faults") == 0)
    str = &opt->faults_file;
  else if (strcmp(name, "--tls-cert") == 0)
    str = &opt->tls_cert;
  else if (strcmp(name, "--tls-key") == 0)
    str = &opt->tls_key;
  if (str) {
    if (!v || !*v) {
      snprintf(err, cap, "%s needs a file name; see --help", name);
      return SIM_OPT_ERROR;
    }
    *str = v;
    return SIM_OPT_VALUE;
  }
  static const struct {
    const char *name;
    long lo, hi;
  } ints[] = {{"--port", 0, 65535},        {"--latency-ms", 0, 600000},
              {"--generate", 0, 10000000}, {"--seed", 0, UINT_MAX},
              {"--change-pct", 0, 100},    {"--log-max", 1, 100000000}};
  for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    if (strcmp(name, ints[i].name) != 0)
      continue;
    if (parse_int(name, v, ints[i].lo, ints[i].hi, &n, err, cap) != 0)
      return SIM_OPT_ERROR;
    switch (i) {
    case 0:
      opt->port = (int)n;
      break;
    case 1:
      opt->latency_ms = (int)n;
      break;
    case 2:
      opt->generate = (int)n;
      break;
    case 3:
      opt->seed = (unsigned)n;
      break;
    case 4:
      opt->change_pct = (int)n;
      break;
    default:
      opt->log_max = (size_t)n;
      break;
    }
    return SIM_OPT_VALUE;
  }
  return SIM_OPT_UNKNOWN;
}

/* Split "--x=v" into name and value; the name goes to `buf`. */
static const char *split(const char *arg, char *buf, size_t cap,
                         const char **value) {
  const char *eq = strchr(arg, '=');
  if (!eq || (size_t)(eq - arg) >= cap)
    return arg;
  memcpy(buf, arg, (size_t)(eq - arg));
  buf[eq - arg] = '\0';
  *value = eq + 1;
  return buf;
}

int sim_options_parse(sim_options *opt, int argc, char **argv,
                      const sim_app *app, char *err, size_t cap) {
  sim_options_default(opt);
  for (int i = 1; i < argc; i++) {
    char namebuf[64];
    const char *inline_value = NULL;
    const char *name = split(argv[i], namebuf, sizeof namebuf, &inline_value);
    const char *v =
        inline_value ? inline_value : (i + 1 < argc ? argv[i + 1] : NULL);
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
      sim_options_usage(stdout, app);
      return 1;
    }
    int rc = standard(opt, name, v, err, cap);
    if (rc == SIM_OPT_UNKNOWN && app->option)
      rc = app->option(app->ctx, name, v, err, cap);
    if (rc == SIM_OPT_UNKNOWN) {
      snprintf(err, cap, "unknown option \"%s\"; see --help", argv[i]);
      return -1;
    }
    if (rc == SIM_OPT_ERROR)
      return -1;
    if (rc == SIM_OPT_FLAG && inline_value) {
      snprintf(err, cap, "%s takes no value", name);
      return -1;
    }
    if (rc == SIM_OPT_VALUE && !inline_value)
      i++;
  }
  if (!opt->tls_cert != !opt->tls_key) {
    snprintf(err, cap, "--tls-cert and --tls-key go together");
    return -1;
  }
  return 0;
}
