/* SPDX-License-Identifier: MIT */
/*
 * sim_server.h — the shared HTTP simulator framework used by the LastPass,
 * ConnectWise and Autotask simulators (tests only, never shipped).
 *
 * A simulator is an "app": a context pointer plus callbacks (sim_app). The
 * framework owns everything that is the same for every remote API:
 *   - the HTTP server (libmicrohttpd, 127.0.0.1 only, thread per connection,
 *     so slow requests really overlap);
 *   - the standard command line (sim_options, see sim_options_parse());
 *   - the request log (JSON lines in --log FILE and in memory);
 *   - injected latency and fault rules (sim_fault.h);
 *   - in-flight counting per endpoint key, and request statistics;
 *   - the control API under /_sim/ (never logged, faulted or delayed):
 *       GET    /_sim/log      JSON array of the log entries
 *       DELETE /_sim/log      clear the log
 *       GET    /_sim/state    the app's dataset as JSON (app->state_get)
 *       PUT    /_sim/state    replace the dataset (app->state_put)
 *       GET    /_sim/faults   the rules with their seen/fired counters
 *       POST   /_sim/faults   replace the rules (JSON array, or one object)
 *       DELETE /_sim/faults   remove every rule
 *       GET    /_sim/stats    {"total","inflight","max_inflight",
 *                             "endpoints":{key:{"requests","inflight",
 *                             "max_inflight"}}}
 *       DELETE /_sim/stats    reset the statistics
 *       GET    /_sim/latency  {"ms":N};  PUT /_sim/latency {"ms":N}
 *       anything else under /_sim/ goes to app->control (404 without one).
 *
 * Concurrency contract: calls into the app (handle, endpoint_key, state_get,
 * state_put, control) are serialised by one server mutex, so app code needs
 * no locking. Injected latency and fault delays are slept OUTSIDE that mutex,
 * so N concurrent requests with L ms latency take about L ms, not N*L.
 */
#ifndef LPSA_SIM_SERVER_H
#define LPSA_SIM_SERVER_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

/* One request as the app sees it. Every pointer is valid only during the
 * callback it is passed to. */
typedef struct sim_request {
  const char *method; /* "GET", "PATCH", ... */
  const char *path;   /* URL path, percent-decoded by MHD, no query */
  const char *query;  /* raw query string without '?', "" when none */
  const char *body;   /* request body, NUL-terminated; "" when none */
  size_t body_len;
  void *conn; /* the MHD connection, for sim_header() / sim_query() */
  /* Requests currently in progress (this one included) that share this
   * request's endpoint key; 1 when it is alone. */
  int inflight_same_endpoint;
  const char *endpoint_key; /* the key those requests were counted under */
  /* When a fault rule with an app-specific action fired for this request:
   * the action name (e.g. "page_loop") and the whole rule, so the app can
   * read its own parameters. Both NULL otherwise. */
  const char *fault_action;
  json_object *fault_rule;
} sim_request;

/* A request header, case-insensitive; NULL when absent. */
const char *sim_header(const sim_request *r, const char *name);
/* A decoded query argument; NULL when absent ("" when present without a
 * value). */
const char *sim_query(const sim_request *r, const char *name);

#define SIM_MAX_HEADERS 8

/* The app's answer. The framework zeroes it before calling the app. */
typedef struct sim_response {
  int status; /* 0 means "no answer": the framework sends 500 */
  char *body; /* malloc'd, freed by the framework */
  size_t body_len;
  char content_type[64]; /* "" means no Content-Type header */
  /* Name and value, malloc'd by sim_add_header() and freed by the
   * framework: values are unbounded (a ConnectWise Link header carries
   * whole URLs, many KB with long conditions). */
  char *headers[SIM_MAX_HEADERS][2];
  int n_headers;
} sim_response;

/* Free the body and headers and zero the counts (the framework calls it
 * after sending; apps need it only for answers they discard). */
void sim_response_release(sim_response *resp);

/* Serialise `obj` (the response takes its own reference; the caller keeps
 * its reference) as application/json. */
void sim_respond_json(sim_response *resp, int status, json_object *obj);
/* Like sim_respond_json() with another content type (e.g.
 * "application/problem+json"). */
void sim_respond_json_as(sim_response *resp, int status,
                         const char *content_type, json_object *obj);
/* Copy `text` as the body with the given content type. */
void sim_respond_text(sim_response *resp, int status, const char *content_type,
                      const char *text);
/* Add a response header (silently ignored past SIM_MAX_HEADERS). */
void sim_add_header(sim_response *resp, const char *name, const char *value);

typedef void (*sim_handler)(void *app, const sim_request *req,
                            sim_response *resp);

/* The standard command line, shared by every simulator. Strings point into
 * argv. */
typedef struct sim_options {
  int port;                /* --port N, 0 = chosen by the OS (default) */
  const char *port_file;   /* --port-file FILE: "PORT\n", written atomically */
  const char *log_file;    /* --log FILE: request log, JSON lines */
  int latency_ms;          /* --latency-ms N: added to every app request */
  const char *fixture;     /* --fixture FILE: dataset for the app's loader */
  int generate;            /* --generate N: generated dataset; -1 when absent */
  unsigned seed;           /* --seed S (default 1) */
  int change_pct;          /* --change-pct P, 0..100 (default 10) */
  const char *faults_file; /* --faults FILE: initial fault rules */
  int quiet;               /* --quiet: no banner */
  size_t log_max;          /* --log-max N: in-memory log cap (default 100000) */
  /* --tls-cert FILE --tls-key FILE (PEM, both or neither): serve https, for
   * real API clients that only speak https. */
  const char *tls_cert;
  const char *tls_key;
} sim_options;

/* What the app parsed from one of its own options. */
enum {
  SIM_OPT_ERROR = -1,  /* the value is bad; err says why */
  SIM_OPT_UNKNOWN = 0, /* not one of the app's options */
  SIM_OPT_VALUE = 1,   /* consumed the option and its value */
  SIM_OPT_FLAG = 2     /* consumed the option only (value untouched) */
};

typedef struct sim_app {
  const char *name; /* e.g. "lastpass-sim": banner and messages */
  void *ctx;        /* passed as `app` to every callback */
  sim_handler handle;
  /* Optional: the endpoint key used for in-flight counting and stats, written
   * into buf; return buf (or a constant). NULL callback: "METHOD /path" with
   * numeric path segments replaced by {id}. */
  const char *(*endpoint_key)(void *app, const sim_request *req, char *buf,
                              size_t cap);
  /* Optional: the whole dataset as JSON (a new reference). */
  json_object *(*state_get)(void *app);
  /* Optional: replace the dataset; 0 on success, else -1 with err filled. */
  int (*state_put)(void *app, json_object *state, char *err, size_t cap);
  /* Optional: called once after parsing, before listening, to load
   * --fixture / --generate; 0 on success, else -1 with err filled. */
  int (*load)(void *app, const sim_options *opt, char *err, size_t cap);
  /* Optional: the app's own options ("--name", value or NULL when it is the
   * last argument); returns one of SIM_OPT_*. Both "--x v" and "--x=v"
   * reach it as name "--x" and value "v". */
  int (*option)(void *app, const char *name, const char *value, char *err,
                size_t cap);
  const char *usage; /* the app's option lines for --help, or NULL */
  /* Optional: other /_sim/... control paths. */
  sim_handler control;
} sim_app;

/* Parse the standard options and hand the others to app->option. Returns 0,
 * 1 for --help (usage already printed), or -1 with err filled. */
int sim_options_parse(sim_options *opt, int argc, char **argv,
                      const sim_app *app, char *err, size_t cap);
/* Defaults of every field (as documented above). */
void sim_options_default(sim_options *opt);
/* Print the standard usage plus app->usage. */
void sim_options_usage(FILE *out, const sim_app *app);

typedef struct sim_server sim_server;

/* Start serving on 127.0.0.1 with the given options (latency, log file,
 * faults file, port). Does not call app->load and does not write the port
 * file (sim_main() does both). NULL with err filled on failure. */
sim_server *sim_server_start(const sim_options *opt, const sim_app *app,
                             char *err, size_t cap);
/* The port actually bound. */
int sim_server_port(const sim_server *srv);
/* Stop: wake sleeping requests, join every thread, flush and close the log,
 * free everything. NULL is allowed. */
void sim_server_stop(sim_server *srv);

/* The whole program: parse options, app->load, start, write the port file,
 * print "<name> listening on http://127.0.0.1:PORT", serve until SIGTERM or
 * SIGINT, stop cleanly. Returns the process exit code (0, or 2 on a usage or
 * start error, with one line on stderr). */
int sim_main(int argc, char **argv, const sim_app *app);

/* Write "PORT\n" to `path` atomically (temporary file + rename). 0 or -1. */
int sim_write_port_file(const char *path, int port);

#endif
