/* SPDX-License-Identifier: MIT */
/*
 * lastpass_async.c — LastPass read beside the PSA (see lastpass_async.h).
 */
#include "lastpass_async.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct lastpass_async {
  pthread_t thread;
  http_client *psa;  /* the caller's: abandoned when LastPass fails */
  http_client *http; /* the thread's own */
  lp_options opt;
  lp_data data;
  int rc;
  char err[1024];
  pthread_mutex_t mu;
  int abandoned; /* by the caller, before the read ended */
  int ended;
};

static void *run(void *arg) {
  lastpass_async *a = arg;
  a->rc = lastpass_fetch(a->http, &a->opt, &a->data, a->err, sizeof a->err);
  pthread_mutex_lock(&a->mu);
  a->ended = 1;
  int abandoned = a->abandoned;
  pthread_mutex_unlock(&a->mu);
  /* The run is going to abort: the PSA need not be read to the end. */
  if (a->rc != LPSA_OK && !abandoned)
    http_abandon(a->psa, "LastPass could not be read; nothing is written");
  return NULL;
}

lastpass_async *lastpass_async_start(http_client *psa, const lp_options *opt) {
  lastpass_async *a = calloc(1, sizeof *a);
  if (!a)
    return NULL;
  a->psa = psa;
  a->opt = *opt;
  if (!(a->http = http_client_new_like(psa))) {
    free(a);
    return NULL;
  }
  pthread_mutex_init(&a->mu, NULL);
  /* Signal handlers run on the caller's thread, as before. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  int rc = pthread_create(&a->thread, NULL, run, a);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc != 0) {
    pthread_mutex_destroy(&a->mu);
    http_client_free(a->http);
    free(a);
    return NULL;
  }
  return a;
}

void lastpass_async_abandon(lastpass_async *a, const char *why) {
  if (!a)
    return;
  pthread_mutex_lock(&a->mu);
  int ended = a->ended;
  a->abandoned = !ended;
  pthread_mutex_unlock(&a->mu);
  if (!ended)
    http_abandon(a->http, why);
}

int lastpass_async_join(lastpass_async *a, lp_data *out, char *err,
                        size_t errlen, int *abandoned) {
  pthread_join(a->thread, NULL);
  *out = a->data;
  snprintf(err, errlen, "%s", a->err);
  *abandoned = a->abandoned;
  int rc = a->rc;
  if (http_add_counts(a->psa, a->http) != 0 && rc == LPSA_OK) {
    snprintf(err, errlen, "out of memory counting LastPass's requests");
    rc = LPSA_ERR_NOMEM;
  }
  http_client_free(a->http);
  pthread_mutex_destroy(&a->mu);
  free(a);
  return rc;
}
