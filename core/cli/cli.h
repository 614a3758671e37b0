/* SPDX-License-Identifier: MIT */
/*
 * cli.h — lpsa-host's command line (getopt_long): global options first,
 * then an optional subcommand and its own options.
 */
#ifndef LPSA_CORE_CLI_H
#define LPSA_CORE_CLI_H

#include <stdio.h>

typedef enum cli_command {
  CMD_SYNC = 0, /* no subcommand: one sync run (or --daemon) */
  CMD_DRIVERS,
  CMD_CHECK,
  CMD_HISTORY,
  CMD_MAP_SUGGEST,
  CMD_MAP_ACCEPT, /* map accept: a smaller mapping is the new normal */
  CMD_ACK,
  CMD_PLAN,     /* plan [--out FILE]: a dry run saved as a plan file */
  CMD_APPLY,    /* apply PLAN: write exactly a saved plan */
  CMD_SERVE,    /* the web console alone */
  CMD_WEB_USER, /* web-user add|remove|passwd|list */
  CMD_HELP,
  CMD_VERSION
} cli_command;

typedef struct cli_options {
  cli_command command;
  const char *config; /* --config, else $LPSA_CONFIG, else the default */
  int config_given;   /* --config or $LPSA_CONFIG was used */
  const char *driver; /* --driver */
  int dry_run;
  int json;
  const char *report_file;
  int daemon;
  int run_now; /* --daemon --run-now: sync at start, then on schedule */
  int syslog;
  int allow_large_decrease;
  int verbose;             /* -v: info, -vv: debug */
  int quiet;               /* -q: errors only */
  long long run_id;        /* history --run */
  long long report_run_id; /* history --report N */
  const char *company;     /* history --company ID */
  const char *output;      /* map suggest --output */
  const char *approve;     /* --approve ID[,ID...] */
  int yes;                 /* --yes: do not ask before writing */
  const char *plan_out;    /* plan --out FILE */
  const char *plan_file;   /* apply PLAN */
  int plans;               /* history --plans */
  const char *web_action;  /* web-user: "add" | "remove" | "passwd" | "list" */
  const char *web_name;    /* web-user: NAME */
  const char *role;        /* web-user add --role */
  /* ack ID CODE [--until DATE] [--note TEXT] | --list | --remove ID CODE */
  const char *args[2]; /* the words after the command */
  int n_args;
  const char *until;
  const char *note;
  int ack_list;
  int ack_remove;
} cli_options;

/* Parse argv. Returns 0, or 2 after printing a usage error to `err`. */
int cli_parse(int argc, char **argv, const char *default_config,
              cli_options *out, FILE *err);
void cli_usage(FILE *out);

#endif
