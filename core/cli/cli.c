/* SPDX-License-Identifier: MIT */
/*
 * cli.c — parsing lpsa-host's options; the commands live elsewhere.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

void cli_usage(FILE *out) {
  fputs(
      "usage: lpsa-host --driver NAME [--config FILE] [--dry-run] [--json]\n"
      "                 [--report FILE] [--approve ID[,ID...]] [--yes]\n"
      "                 [--daemon [--run-now] [--syslog]]\n"
      "       lpsa-host [--config FILE] [--driver NAME] [--json] COMMAND\n"
      "       lpsa-host --version | --help\n"
      "\n"
      "Keeps each customer's LastPass seat count and its PSA billing in step.\n"
      "Without a command, runs one sync with the driver NAME (the\n"
      "[driver.NAME] section of the configuration; optional when there is\n"
      "only one).\n"
      "\n"
      "From a terminal, a sync shows its plan and asks before it writes\n"
      "(--yes does not ask); without one (daemon, timer, script) it does\n"
      "not ask.\n"
      "\n"
      "Commands:\n"
      "  plan [--out FILE]\n"
      "                   a dry run saved as a plan file to review (default\n"
      "                   <state_dir>/plans/ID.json); prints how to apply it\n"
      "  apply PLAN [--approve ID[,ID...]] [--yes]\n"
      "                   write exactly that plan: its planned changes, and\n"
      "                   the held ones of the companies approved; a line\n"
      "                   changed since the plan is left as it is\n"
      "  drivers          list the drivers found on driver_path, and refused\n"
      "                   files with the reason\n"
      "  check            check configuration, mapping, credentials and\n"
      "                   products; print a checklist\n"
      "  history [--run N | --report N | --company ID | --plans]\n"
      "                   list the journal's runs; one run (every company:\n"
      "                   changes, held changes and why, errors, warnings,\n"
      "                   skipped, what a dry run planned); its stored JSON\n"
      "                   report; one LastPass company's counts over time;\n"
      "                   the saved plans and their fate\n"
      "  ack ID CODE [--until YYYY-MM-DD] [--note TEXT]\n"
      "                   acknowledge finding CODE of LastPass company ID as\n"
      "                   the last run showed it: still reported, but no\n"
      "                   longer exit 1 or a notification, until it expires\n"
      "                   or its counts change\n"
      "  ack --list | ack --remove ID CODE\n"
      "                   the acknowledgements in force; withdraw one\n"
      "  map suggest [--output FILE]\n"
      "                   propose mapping rows by matching company names\n"
      "                   (a CSV to review; never writes the mapping file)\n"
      "  map accept       accept that the mapping file lost more than half of\n"
      "                   its rows (MAPPING_SHRANK): runs compare with its\n"
      "                   size from now on\n"
      "  serve            serve the web console ([web] section) until SIGTERM\n"
      "                   (the daemon serves it too when [web] is there)\n"
      "  web-user add NAME [--role viewer|approver]\n"
      "  web-user remove NAME | passwd NAME | list\n"
      "                   manage the console's users (the password is asked\n"
      "                   without echo, or read from standard input)\n"
      "\n"
      "Options:\n"
      "  -c, --config FILE        configuration (default $LPSA_CONFIG, else\n"
      "                           /etc/lpsa/lpsa.conf)\n"
      "  -d, --driver NAME        the [driver.NAME] section to use\n"
      "  -n, --dry-run            plan and report, write nothing\n"
      "      --json               print JSON instead of a table\n"
      "      --report FILE        also write the JSON report to FILE\n"
      "      --approve ID[,ID...]  release the held changes of these\n"
      "                           LastPass companies (and only these)\n"
      "      --yes                write without asking, even on a terminal\n"
      "      --allow-large-decrease  deprecated: releases every held drop;\n"
      "                           use --approve\n"
      "      --daemon             run on the configured schedule until "
      "SIGTERM\n"
      "                           (SIGHUP reloads the configuration, "
      "SIGUSR1\n"
      "                           runs a sync now)\n"
      "      --run-now            with --daemon: sync once at start, then "
      "on\n"
      "                           schedule\n"
      "      --syslog             log to syslog instead of stderr\n"
      "  -v, --verbose            more log lines (twice for debug)\n"
      "  -q, --quiet              errors only\n"
      "      --version            print the version and driver ABI\n"
      "  -h, --help               this help\n"
      "\n"
      "Exit status: 0 every mapped company in step (or only planned changes\n"
      "in a dry run); 1 some companies need a person; 2 usage, configuration\n"
      "or driver error, or a plan that cannot be applied; 3 aborted by an\n"
      "upstream failure before any write, stopped writing, or another\n"
      "lpsa-host holds the lock.\n",
      out);
}

enum {
  OPT_JSON = 256,
  OPT_REPORT,
  OPT_DAEMON,
  OPT_SYSLOG,
  OPT_ALLOW,
  OPT_VERSION,
  OPT_RUN,
  OPT_OUTPUT,
  OPT_RUN_NOW,
  OPT_COMPANY,
  OPT_UNTIL,
  OPT_NOTE,
  OPT_LIST,
  OPT_REMOVE,
  OPT_APPROVE,
  OPT_YES,
  OPT_OUT,
  OPT_PLANS,
  OPT_ROLE
};

static const struct option options[] = {
    {"config", required_argument, NULL, 'c'},
    {"driver", required_argument, NULL, 'd'},
    {"dry-run", no_argument, NULL, 'n'},
    {"json", no_argument, NULL, OPT_JSON},
    {"report", required_argument, NULL, OPT_REPORT},
    {"daemon", no_argument, NULL, OPT_DAEMON},
    {"run-now", no_argument, NULL, OPT_RUN_NOW},
    {"syslog", no_argument, NULL, OPT_SYSLOG},
    {"allow-large-decrease", no_argument, NULL, OPT_ALLOW},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {"run", required_argument, NULL, OPT_RUN},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"company", required_argument, NULL, OPT_COMPANY},
    {"until", required_argument, NULL, OPT_UNTIL},
    {"note", required_argument, NULL, OPT_NOTE},
    {"list", no_argument, NULL, OPT_LIST},
    {"remove", no_argument, NULL, OPT_REMOVE},
    {"approve", required_argument, NULL, OPT_APPROVE},
    {"yes", no_argument, NULL, OPT_YES},
    {"out", required_argument, NULL, OPT_OUT},
    {"plans", no_argument, NULL, OPT_PLANS},
    {"role", required_argument, NULL, OPT_ROLE},
    {NULL, 0, NULL, 0}};

static int usage_error(FILE *err, const char *what, const char *arg) {
  fprintf(err, "lpsa-host: %s%s%s\nTry 'lpsa-host --help'.\n", what,
          arg ? ": " : "", arg ? arg : "");
  return 2;
}

static int run_number(const char *text, long long *out) {
  char *end;
  *out = strtoll(text, &end, 10);
  return !*text || *end || *out <= 0 ? -1 : 0;
}

/* The checks of history's and ack's options. 0 or 2. */
static int check_history_ack(cli_options *o, FILE *err) {
  if (o->command == CMD_HISTORY && o->report_file) {
    if (run_number(o->report_file, &o->report_run_id))
      return usage_error(err, "history --report needs a run number",
                         o->report_file);
    o->report_file = NULL;
  }
  if (o->company && o->command != CMD_HISTORY)
    return usage_error(err, "--company only goes with 'history'", NULL);
  if ((!!o->run_id + !!o->report_run_id + !!o->company + !!o->plans) > 1)
    return usage_error(err,
                       "history takes one of --run N, --report N, --company "
                       "ID and --plans",
                       NULL);
  if ((o->until || o->note || o->ack_list || o->ack_remove) &&
      o->command != CMD_ACK)
    return usage_error(
        err, "--until, --note, --list and --remove go with 'ack'", NULL);
  if (o->command != CMD_ACK)
    return 0;
  if (o->ack_list && (o->ack_remove || o->n_args || o->until || o->note))
    return usage_error(err, "ack --list takes nothing else", NULL);
  if (o->ack_remove && (o->until || o->note))
    return usage_error(err, "ack --remove takes only ID CODE", NULL);
  if (!o->ack_list && o->n_args != 2)
    return usage_error(err,
                       "ack needs a LastPass company id and a rule code: ack "
                       "ID CODE (or ack --list)",
                       NULL);
  if (o->report_file)
    return usage_error(err, "--report does not go with 'ack'", NULL);
  return 0;
}

int cli_parse(int argc, char **argv, const char *default_config, cli_options *o,
              FILE *err) {
  memset(o, 0, sizeof *o);
  o->config = default_config;
  const char *env = getenv("LPSA_CONFIG");
  if (env && *env) {
    o->config = env;
    o->config_given = 1;
  }
  optind = 1;
  opterr = 0;
  int c;
  /* '+': stop at the first non-option so subcommands keep their words;
   * options after the subcommand are parsed in a second round below. */
  for (int round = 0; round < 2; round++) {
  more:
    while ((c = getopt_long(argc, argv, "+c:d:nvqh", options, NULL)) != -1) {
      switch (c) {
      case 'c':
        o->config = optarg;
        o->config_given = 1;
        break;
      case 'd':
        o->driver = optarg;
        break;
      case 'n':
        o->dry_run = 1;
        break;
      case OPT_JSON:
        o->json = 1;
        break;
      case OPT_REPORT:
        o->report_file = optarg;
        break;
      case OPT_DAEMON:
        o->daemon = 1;
        break;
      case OPT_RUN_NOW:
        o->run_now = 1;
        break;
      case OPT_SYSLOG:
        o->syslog = 1;
        break;
      case OPT_ALLOW:
        o->allow_large_decrease = 1;
        break;
      case 'v':
        o->verbose++;
        break;
      case 'q':
        o->quiet = 1;
        break;
      case OPT_VERSION:
        o->command = CMD_VERSION;
        return 0;
      case 'h':
        o->command = CMD_HELP;
        return 0;
      case OPT_RUN:
        if (run_number(optarg, &o->run_id))
          return usage_error(err, "--run needs a run number", optarg);
        break;
      case OPT_OUTPUT:
        o->output = optarg;
        break;
      case OPT_COMPANY:
        o->company = optarg;
        break;
      case OPT_UNTIL:
        o->until = optarg;
        break;
      case OPT_NOTE:
        o->note = optarg;
        break;
      case OPT_LIST:
        o->ack_list = 1;
        break;
      case OPT_REMOVE:
        o->ack_remove = 1;
        break;
      case OPT_APPROVE:
        o->approve = optarg;
        break;
      case OPT_YES:
        o->yes = 1;
        break;
      case OPT_OUT:
        o->plan_out = optarg;
        break;
      case OPT_PLANS:
        o->plans = 1;
        break;
      case OPT_ROLE:
        o->role = optarg;
        break;
      default:
        return usage_error(err, "unknown or incomplete option",
                           argv[optind - 1]);
      }
    }
    if (round == 1 && optind < argc && o->command == CMD_ACK && o->n_args < 2) {
      /* ack's words (ID CODE), with options before, between or after. */
      o->args[o->n_args++] = argv[optind++];
      goto more;
    }
    if (round == 1 || optind >= argc)
      break;
    const char *word = argv[optind++];
    if (strcmp(word, "drivers") == 0) {
      o->command = CMD_DRIVERS;
    } else if (strcmp(word, "check") == 0) {
      o->command = CMD_CHECK;
    } else if (strcmp(word, "history") == 0) {
      o->command = CMD_HISTORY;
    } else if (strcmp(word, "ack") == 0) {
      o->command = CMD_ACK;
    } else if (strcmp(word, "plan") == 0) {
      o->command = CMD_PLAN;
    } else if (strcmp(word, "apply") == 0) {
      if (optind >= argc || argv[optind][0] == '-')
        return usage_error(err,
                           "'apply' needs the plan file `lpsa-host plan` "
                           "saved",
                           NULL);
      o->plan_file = argv[optind++];
      o->command = CMD_APPLY;
    } else if (strcmp(word, "map") == 0) {
      const char *act = optind < argc ? argv[optind] : "";
      if (strcmp(act, "suggest") != 0 && strcmp(act, "accept") != 0)
        return usage_error(err, "'map' needs the word 'suggest' or 'accept'",
                           NULL);
      optind++;
      o->command = act[0] == 's' ? CMD_MAP_SUGGEST : CMD_MAP_ACCEPT;
    } else if (strcmp(word, "serve") == 0) {
      o->command = CMD_SERVE;
    } else if (strcmp(word, "web-user") == 0) {
      static const char *const actions[] = {"add", "remove", "passwd", "list"};
      const char *act = optind < argc ? argv[optind] : NULL;
      size_t k = 0;
      while (act && k < 4 && strcmp(act, actions[k]) != 0)
        k++;
      if (!act || k == 4)
        return usage_error(err, "'web-user' needs add, remove, passwd or list",
                           act);
      o->web_action = actions[k];
      optind++;
      if (k < 3) {
        if (optind >= argc || argv[optind][0] == '-')
          return usage_error(err, "'web-user' needs the user's NAME", NULL);
        o->web_name = argv[optind++];
      }
      o->command = CMD_WEB_USER;
    } else {
      return usage_error(err, "unknown command", word);
    }
  }
  if (optind < argc)
    return usage_error(err, "unexpected argument", argv[optind]);
  if (o->run_id && o->command != CMD_HISTORY)
    return usage_error(err, "--run only goes with 'history'", NULL);
  if (check_history_ack(o, err))
    return 2;
  if (o->role &&
      (o->command != CMD_WEB_USER || strcmp(o->web_action, "add") != 0))
    return usage_error(err, "--role only goes with 'web-user add'", NULL);
  if (o->output && o->command != CMD_MAP_SUGGEST)
    return usage_error(err, "--output only goes with 'map suggest'", NULL);
  if (o->plan_out && o->command != CMD_PLAN)
    return usage_error(err, "--out only goes with 'plan'", NULL);
  if (o->plans && (o->command != CMD_HISTORY || o->run_id))
    return usage_error(err, "--plans only goes with 'history', without --run",
                       NULL);
  if (o->approve && o->command == CMD_PLAN)
    return usage_error(err,
                       "a plan records what is held; approve when you apply "
                       "it: lpsa-host apply PLAN --approve ID[,ID...]",
                       NULL);
  if ((o->approve || o->yes) && o->command != CMD_SYNC &&
      o->command != CMD_APPLY)
    return usage_error(err,
                       o->approve ? "--approve only goes with a sync or "
                                    "'apply PLAN'"
                                  : "--yes only goes with a sync or 'apply "
                                    "PLAN'",
                       NULL);
  if (o->command == CMD_APPLY && o->dry_run)
    return usage_error(err,
                       "'apply' writes the plan; to see what it would write, "
                       "read the plan file",
                       NULL);
  if (o->command == CMD_APPLY && o->allow_large_decrease)
    return usage_error(err,
                       "a plan holds what it holds: release a company's held "
                       "change with --approve ID",
                       NULL);
  if (o->command == CMD_PLAN && o->allow_large_decrease)
    return usage_error(err,
                       "a plan records what is held; approve when you apply "
                       "it: lpsa-host apply PLAN --approve ID[,ID...]",
                       NULL);
  if (o->daemon && o->command != CMD_SYNC)
    return usage_error(err, "--daemon only goes with a sync", NULL);
  if (o->run_now && !o->daemon)
    return usage_error(err, "--run-now only goes with --daemon", NULL);
  if (o->daemon && o->dry_run)
    return usage_error(err, "--daemon runs real syncs; drop --dry-run", NULL);
  /* The override is for one run a person has checked, never for every
   * scheduled run to come. */
  if (o->daemon && o->allow_large_decrease)
    return usage_error(err,
                       "--allow-large-decrease is for one checked run, not "
                       "for the daemon; run it once without --daemon",
                       NULL);
  if (o->daemon && (o->approve || o->yes))
    return usage_error(err,
                       o->approve ? "--approve is for one checked run, not "
                                    "for the daemon; run it once without "
                                    "--daemon"
                                  : "the daemon never asks; drop --yes",
                       NULL);
  if (o->allow_large_decrease)
    fputs("lpsa-host: --allow-large-decrease is deprecated: it releases "
          "every held drop at once; release the companies you checked with "
          "--approve ID[,ID...] instead\n",
          err);
  return 0;
}
