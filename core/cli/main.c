/* SPDX-License-Identifier: MIT */
/*
 * main.c — lpsa-host's entry point: parse the command line, own the
 * process-wide state (signal flags, curl's global init) and dispatch.
 */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "exit_codes.h"
#include "lpsa/driver.h"
#include "process_guard.h"
#include "version.h"

/* The only mutable globals of the program: set by signal handlers. */
static volatile sig_atomic_t stop_requested;   /* SIGTERM, SIGINT */
static volatile sig_atomic_t reload_requested; /* SIGHUP (daemon) */
static volatile sig_atomic_t run_requested;    /* SIGUSR1 (daemon) */
static volatile sig_atomic_t web_requested;    /* SIGUSR2 (the console) */

static void on_signal(int sig) {
  if (sig == SIGHUP)
    reload_requested = 1;
  else if (sig == SIGUSR1)
    run_requested = 1;
  else if (sig == SIGUSR2)
    web_requested = 1;
  else
    stop_requested = 1;
}

/* SIGHUP and SIGUSR1 only mean something to the daemon (and SIGHUP to
 * `serve`), SIGUSR2 to both (their web console's thread wakes the main
 * thread with it); a one-off run keeps their default action (a stray
 * SIGHUP ends it, as it would any tool). */
static void install_signals(int daemon) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  if (daemon) {
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
  }
  signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv) {
  process_guard_files(); /* before anything creates a file */
  cli_options opt;
  if (cli_parse(argc, argv, CONFIG_DEFAULT_PATH, &opt, stderr) != 0)
    return EXIT_USAGE;
  if (opt.command == CMD_HELP) {
    cli_usage(stdout);
    return 0;
  }
  if (opt.command == CMD_VERSION) {
    printf("lpsa-host %s (driver ABI %d.%d)\n", LPSA_VERSION, LPSA_ABI_MAJOR,
           LPSA_ABI_MINOR);
    return 0;
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    fprintf(stderr, "lpsa-host: cannot initialise libcurl\n");
    return EXIT_USAGE;
  }
  install_signals(opt.daemon || opt.command == CMD_SERVE);
  app a;
  int rc = app_init(&a, &opt, &stop_requested);
  if (rc == 0) {
    switch (opt.command) {
    case CMD_DRIVERS:
      rc = cmd_drivers(&a);
      break;
    case CMD_HISTORY:
      rc = opt.plans ? cmd_history_plans(&a) : cmd_history(&a);
      break;
    case CMD_PLAN:
      rc = cmd_plan(&a);
      break;
    case CMD_APPLY:
      rc = cmd_apply(&a);
      break;
    case CMD_ACK:
      rc = cmd_ack(&a);
      break;
    case CMD_SYNC:
      if (opt.daemon) {
        daemon_signals sig = {&stop_requested, &reload_requested,
                              &run_requested, &web_requested};
        rc = cmd_daemon(&a, &sig);
      } else {
        rc = cmd_sync(&a);
      }
      break;
    case CMD_CHECK:
      rc = cmd_check(&a);
      break;
    case CMD_MAP_SUGGEST:
      rc = cmd_map_suggest(&a);
      break;
    case CMD_MAP_ACCEPT:
      rc = cmd_map_accept(&a);
      break;
    case CMD_SERVE: {
      daemon_signals sig = {&stop_requested, &reload_requested, NULL,
                            &web_requested};
      rc = cmd_serve(&a, &sig);
      break;
    }
    case CMD_WEB_USER:
      rc = cmd_web_user(&a);
      break;
    default:
      app_error("internal error: command %d has no handler", (int)opt.command);
      rc = EXIT_USAGE;
      break;
    }
  }
  app_free(&a);
  curl_global_cleanup();
  return rc;
}
