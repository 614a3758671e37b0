/* SPDX-License-Identifier: MIT */
/*
 * notify.c — the e-mail and webhook sent after a run.
 */
#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lpsa/status.h"
#include "smtp.h"
#include "text_escape.h"
#include "url_check.h"

/* RFC 5322 2.1.1: at most 998 characters per line, CRLF excluded. */
#define NOTIFY_MAX_LINE 998

int notify_wanted(config_notify_on on, int exit_code) {
  switch (on) {
  case CONFIG_NOTIFY_ALWAYS:
    return 1;
  case CONFIG_NOTIFY_NEVER:
    return 0;
  default:
    return exit_code != 0;
  }
}

static const char *plural(size_t n, const char *one, const char *many) {
  return n == 1 ? one : many;
}

void notify_subject(const notify_run *r, char *buf, size_t len) {
  const char *drv = r->driver ? r->driver : "?";
  const char *dry = r->dry_run ? "dry run: " : "";
  /* What a person has acknowledged no longer needs attention. */
  size_t attention =
      r->summary.errors + r->summary.held - r->summary.acknowledged;
  switch (r->exit_code) {
  case 0:
    if (r->summary.updated)
      snprintf(buf, len, "lpsa: %sbilling updated for %zu %s (%s)", dry,
               r->summary.updated,
               plural(r->summary.updated, "company", "companies"), drv);
    else
      snprintf(buf, len, "lpsa: %sbilling in step (%s)", dry, drv);
    break;
  case 1:
    if (attention)
      snprintf(buf, len, "lpsa: %s%zu %s attention (%s)", dry, attention,
               plural(attention, "company needs", "companies need"), drv);
    else
      snprintf(buf, len, "lpsa: %sthe configuration needs attention (%s)", dry,
               drv);
    break;
  case 2:
    snprintf(buf, len, "lpsa: %srun could not start (%s)", dry, drv);
    break;
  default:
    snprintf(buf, len, "lpsa: %srun aborted (%s)", dry, drv);
    break;
  }
}

static const char *exit_meaning(int code) {
  switch (code) {
  case 0:
    return "every mapped company is in step";
  case 1:
    return "some companies need a person (see the errors and held changes "
           "below)";
  case 2:
    return "the run could not start (configuration, driver or another "
           "lpsa-host running)";
  default:
    return "the run was aborted by an upstream failure, or stopped writing";
  }
}

/* Append text with every line ending in CRLF and no line over the limit. */
static void put_lines(FILE *f, const char *text) {
  const char *p = text ? text : "";
  while (*p) {
    size_t n = strcspn(p, "\n");
    const char *end = p + n;
    while ((size_t)(end - p) > NOTIFY_MAX_LINE) {
      /* Never split a UTF-8 sequence. */
      size_t cut = NOTIFY_MAX_LINE;
      while (cut > 1 && ((unsigned char)p[cut] & 0xC0) == 0x80)
        cut--;
      fwrite(p, 1, cut, f);
      fputs("\r\n", f);
      p += cut;
    }
    size_t rest = (size_t)(end - p);
    if (rest && p[rest - 1] == '\r')
      rest--;
    fwrite(p, 1, rest, f);
    fputs("\r\n", f);
    p = *end ? end + 1 : end;
  }
}

/* The domain of an address, for the Message-ID. */
static const char *domain_of(const char *addr) {
  const char *at = addr ? strrchr(addr, '@') : NULL;
  return at && at[1] ? at + 1 : "localhost";
}

static void put_headers(FILE *f, const notify_run *r, const char *from,
                        char *const *to, size_t n_to, time_t now,
                        unsigned long unique) {
  char date[64], subject[256];
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
  notify_subject(r, subject, sizeof subject);
  fprintf(f, "Date: %s\r\n", date);
  fprintf(f, "From: %s\r\n", from);
  fputs("To: ", f);
  for (size_t i = 0; i < n_to; i++)
    fprintf(f, "%s%s", i ? ",\r\n " : "", to[i]);
  fputs("\r\n", f);
  fprintf(f, "Subject: %s\r\n", subject);
  fprintf(f, "Message-ID: <lpsa.%lld.%lld.%lu@%s>\r\n", r->run_id,
          (long long)now, unique, domain_of(from));
  fputs("MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "Auto-Submitted: auto-generated\r\n"
        "\r\n",
        f);
}

static void put_body(FILE *f, const notify_run *r) {
  char intro[512];
  snprintf(intro, sizeof intro,
           "lpsa-host %s with %s finished with exit code %d: %s.",
           r->dry_run ? "dry run" : "run", r->driver ? r->driver : "?",
           r->exit_code, exit_meaning(r->exit_code));
  put_lines(f, intro);
  if (r->error && r->error[0]) {
    /* The reason may quote a server: one line, escaped. */
    char *reason = text_escape_dup(r->error, 0);
    fputs("Reason: ", f);
    put_lines(f, reason ? reason : "(out of memory)");
    free(reason);
  }
  if (r->run_id > 0) {
    snprintf(intro, sizeof intro,
             "The journal keeps this run as number %lld: lpsa-host history "
             "--run %lld",
             r->run_id, r->run_id);
    put_lines(f, intro);
  }
  fputs("\r\n", f);
  /* The table escapes what it shows; its own line breaks are meant. */
  char *table = text_escape_dup(r->text, TEXT_KEEP_NEWLINE);
  put_lines(f, table ? table : "(out of memory)");
  free(table);
}

char *notify_email_message(const notify_run *r, const char *from,
                           char *const *to, size_t n_to, time_t now,
                           unsigned long unique) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  put_headers(f, r, from, to, n_to, now, unique);
  put_body(f, r);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    free(buf);
    return NULL;
  }
  return buf;
}

static int send_email(const lpsa_config *cfg, const notify_run *r,
                      lpsa_log *log) {
  char *msg = notify_email_message(r, cfg->smtp_from, cfg->notify_email,
                                   cfg->n_notify_email, time(NULL),
                                   (unsigned long)getpid());
  /* Whatever quoted a credential (an error text, a name) never leaves. */
  char *clean = msg ? log_redact(log, msg) : NULL;
  free(msg);
  msg = clean;
  if (!msg) {
    log_msg(log, LPSA_LOG_WARN,
            "could not e-mail the run report: out of "
            "memory");
    return -1;
  }
  smtp_options o = {cfg->smtp_url,      cfg->smtp_from,
                    cfg->smtp_username, cfg->smtp_password,
                    cfg->ca_file,       (long)cfg->http_timeout * 1000L};
  char err[1024] = "";
  int rc = smtp_send(&o, (const char *const *)cfg->notify_email,
                     cfg->n_notify_email, msg, strlen(msg), err, sizeof err);
  free(msg);
  if (rc != LPSA_OK) {
    log_msg(log, LPSA_LOG_WARN,
            "could not e-mail the run report: %s; check smtp_url, smtp_from "
            "and the SMTP credentials in [host] (the run itself is not "
            "affected)",
            err);
    return -1;
  }
  log_msg(log, LPSA_LOG_INFO, "run report e-mailed to %zu %s",
          cfg->n_notify_email,
          plural(cfg->n_notify_email, "address", "addresses"));
  return 0;
}

/* The transport names a request "host/path" in its warnings and errors;
 * a webhook's path usually is its token (Slack, Teams, most chat hooks), so
 * it is redacted as well as the whole URL. */
static void hide_webhook_path(lpsa_log *log, const char *url) {
  url_parts u;
  char why[384];
  if (url_parse(url, URL_WEB, &u, why, sizeof why) != 0)
    return;
  size_t n = strcspn(u.rest, "?#");
  char *path = n >= 4 ? strndup(u.rest, n) : NULL;
  if (path && log_add_secret(log, path) != 0)
    log_msg(log, LPSA_LOG_WARN, "out of memory while registering a secret");
  free(path);
}

static int post_webhook(const lpsa_config *cfg, const notify_run *r,
                        http_client *http, lpsa_log *log) {
  hide_webhook_path(log, cfg->notify_webhook);
  /* The report hides credentials already; the serialised text is checked
   * again because it leaves the machine. */
  char *body = log_redact(
      log, r->report ? json_object_to_json_string_ext(
                           r->report, JSON_C_TO_STRING_PLAIN |
                                          JSON_C_TO_STRING_NOSLASHESCAPE)
                     : "{}");
  if (!body) {
    log_msg(log, LPSA_LOG_WARN,
            "could not POST the run report to notify_webhook: out of memory");
    return -1;
  }
  static const char *const headers[] = {"Content-Type: application/json", NULL};
  lpsa_http_request req = LPSA_INIT(lpsa_http_request);
  req.method = "POST";
  req.url = cfg->notify_webhook;
  req.headers = headers;
  req.body = body;
  req.body_len = strlen(body);
  /* A repeated notification beats a lost one. */
  req.flags = LPSA_HTTP_RETRY_SAFE;
  req.label = "notify webhook"; /* never the URL: it carries a token */
  lpsa_http_response resp;
  int rc = http_send(http, &req, &resp);
  free(body);
  long status = resp.status;
  char why[256];
  snprintf(why, sizeof why, "%s", resp.error);
  http_response_release(&resp);
  if (rc != LPSA_OK || status < 200 || status > 299) {
    if (rc == LPSA_OK)
      snprintf(why, sizeof why, "it answered HTTP %ld", status);
    log_msg(log, LPSA_LOG_WARN,
            "could not POST the run report to notify_webhook: %s; check the "
            "webhook (the run itself is not affected)",
            why[0] ? why : "no answer");
    return -1;
  }
  log_msg(log, LPSA_LOG_INFO, "run report POSTed to notify_webhook (HTTP %ld)",
          status);
  return 0;
}

int notify_send(const lpsa_config *cfg, const notify_run *r, http_client *http,
                lpsa_log *log) {
  if (!notify_wanted(cfg->notify_on, r->exit_code))
    return 0;
  int failed = 0;
  if (cfg->n_notify_email && cfg->smtp_url && cfg->smtp_from)
    failed += send_email(cfg, r, log) != 0;
  if (cfg->notify_webhook && http)
    failed += post_webhook(cfg, r, http, log) != 0;
  return failed;
}
