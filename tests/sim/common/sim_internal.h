/* SPDX-License-Identifier: MIT */
/*
 * sim_internal.h — the server's private state, shared by the framework's own
 * files (server, control API). Apps never include it.
 */
#ifndef LPSA_SIM_INTERNAL_H
#define LPSA_SIM_INTERNAL_H

#include <pthread.h>

#include "sim_fault.h"
#include "sim_log.h"
#include "sim_server.h"
#include "sim_stats.h"

struct sim_server {
  struct MHD_Daemon *daemon;
  sim_app app; /* a copy */
  int port;
  /* Serialises the app callbacks, the log, the stats, the faults and the
   * latency setting. */
  pthread_mutex_t lock;
  /* Interruptible sleeps: stop() wakes them through this pair. */
  pthread_mutex_t sleep_lock;
  pthread_cond_t sleep_cond;
  int stopping;
  int latency_ms;
  sim_log log;
  sim_stats stats;
  sim_faults *faults;
  char *tls_cert, *tls_key; /* PEM contents when serving https */
};

/* Sleep up to `ms`, returning early when the server stops. Returns 0, or -1
 * when interrupted by stop. */
int sim_server_sleep(sim_server *srv, long ms);

/* The control API (/_sim/...). Called with srv->lock held. */
void sim_control_handle(sim_server *srv, const sim_request *req,
                        sim_response *resp);

/* The default endpoint key: "METHOD /path" with numeric segments as {id}. */
const char *sim_default_endpoint_key(const sim_request *req, char *buf,
                                     size_t cap);

#endif
