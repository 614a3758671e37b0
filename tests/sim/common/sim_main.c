/* SPDX-License-Identifier: MIT */
/*
 * sim_main.c — the life of a simulator process: options, dataset, server,
 * port file, banner, then wait for SIGTERM/SIGINT and stop cleanly (which
 * flushes the request log).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim_server.h"

int sim_write_port_file(const char *path, int port) {
  char tmp[4096];
  if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >=
      (int)sizeof tmp)
    return -1;
  FILE *f = fopen(tmp, "w");
  if (!f)
    return -1;
  int bad = fprintf(f, "%d\n", port) < 0;
  bad |= fclose(f) != 0;
  if (bad || rename(tmp, path) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* Block the stop signals in every thread (MHD's threads inherit the mask) so
 * that sigwait() in the main thread receives them. */
static void block_stop_signals(sigset_t *set) {
  sigemptyset(set);
  sigaddset(set, SIGTERM);
  sigaddset(set, SIGINT);
  pthread_sigmask(SIG_BLOCK, set, NULL);
  signal(SIGPIPE, SIG_IGN);
}

int sim_main(int argc, char **argv, const sim_app *app) {
  sim_options opt;
  char err[1024] = "";
  sigset_t set;
  int sig = 0;
  int rc = sim_options_parse(&opt, argc, argv, app, err, sizeof err);
  if (rc != 0) {
    if (rc < 0)
      fprintf(stderr, "%s: %s\n", app->name, err);
    return rc < 0 ? 2 : 0;
  }
  if (app->load && app->load(app->ctx, &opt, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s\n", app->name, err);
    return 2;
  }
  block_stop_signals(&set);
  sim_server *srv = sim_server_start(&opt, app, err, sizeof err);
  if (!srv) {
    fprintf(stderr, "%s: %s\n", app->name, err);
    return 2;
  }
  if (opt.port_file &&
      sim_write_port_file(opt.port_file, sim_server_port(srv)) != 0) {
    fprintf(stderr, "%s: cannot write the port file %s: %s\n", app->name,
            opt.port_file, strerror(errno));
    sim_server_stop(srv);
    return 2;
  }
  if (!opt.quiet) {
    printf("%s listening on %s://127.0.0.1:%d\n", app->name,
           opt.tls_cert ? "https" : "http", sim_server_port(srv));
    fflush(stdout);
  }
  while (sigwait(&set, &sig) != 0)
    ;
  sim_server_stop(srv);
  return 0;
}
