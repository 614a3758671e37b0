/* SPDX-License-Identifier: MIT */
/*
 * config.c — load the INI configuration with inih, check every key, resolve
 * secrets, and collect every problem with its file and line.
 *
 * inih does the INI syntax. It does not pass line numbers to the handler
 * (Debian builds it without INI_HANDLER_LINENO), so the file is fed to
 * ini_parse_stream() through a reader that counts lines; since inih reads
 * one line and then calls the handler for it, the reader's count is the
 * handler's line. The reader also strips leading whitespace (so an indented
 * key is a key, not a "continuation" of the previous value), notices section
 * headers (so an empty or misspelt section is still seen) and refuses lines
 * longer than inih's buffer instead of letting inih split them.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "duration.h"
#include "listen_addr.h"
#include "perm_advice.h"
#include "url_check.h"
#include "zone.h"

#define CONFIG_MAX_BYTES (1024 * 1024)
#define MAX_DRIVER_NAME 40

typedef enum sec_kind {
  SEC_NONE, /* before any header */
  SEC_HOST,
  SEC_LASTPASS,
  SEC_DRIVER,
  SEC_WEB,
  SEC_UNKNOWN /* reported at its header; its keys are skipped */
} sec_kind;

typedef struct parse_ctx parse_ctx;
typedef struct key_spec key_spec;
typedef void (*setter)(parse_ctx *c, const key_spec *k, const char *value);

/* One key of [host] or [lastpass]: how to check it and where it goes. */
struct key_spec {
  sec_kind sec;
  const char *name;
  setter set;
  size_t off; /* offsetof the field in lpsa_config */
  int min, max;
};

struct parse_ctx {
  lpsa_config *cfg;
  const char *buf; /* the whole file */
  size_t len, pos;
  int line; /* the line inih is working on */
  diag d;   /* the caller's err buffer: every problem found */
  int oom;
  int literal_reported;
  unsigned flags; /* CONFIG_LOAD_* */
  int seen[32];   /* line where each keys[] entry was set, 0 if not */
};

/* ---- errors ------------------------------------------------------------ */

/* One problem: "NAME:LINE: message", "NAME: message" when line is 0, or
 * the message alone when line is -1 (it already carries its place). Past
 * CONFIG_MAX_ERRORS they are only counted. */
__attribute__((format(printf, 3, 4))) static void
add_error(parse_ctx *c, int line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  diag_vat(&c->d, line, fmt, ap);
  va_end(ap);
}

static void *checked(parse_ctx *c, void *p) {
  if (!p)
    c->oom = 1;
  return p;
}

static char *dup_str(parse_ctx *c, const char *s) {
  return checked(c, strdup(s));
}

/* ---- suggestions --------------------------------------------------------- */

/* Optimal-string-alignment distance: like Levenshtein, but swapping two
 * neighbours ("hots" for "host") costs one edit, as typos usually do. */
int config_edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64)
    return 99;
  int d[65][65];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      int ai = tolower((unsigned char)a[i - 1]);
      int bj = tolower((unsigned char)b[j - 1]);
      int best = d[i - 1][j - 1] + (ai != bj);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
          tolower((unsigned char)a[i - 2]) == bj && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb] > 99 ? 99 : d[la][lb];
}

const char *config_suggest(const char *word, const char *const *candidates,
                           size_t n) {
  size_t len = strlen(word);
  int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  const char *best = NULL;
  int best_d = limit + 1;
  for (size_t i = 0; i < n; i++) {
    int d = config_edit_distance(word, candidates[i]);
    if (d < best_d) {
      best = candidates[i];
      best_d = d;
    }
  }
  return best;
}

/* ---- small parsers ---------------------------------------------------------
 */

static int is_name_char(char ch) {
  return isalnum((unsigned char)ch) || ch == '_' || ch == '-';
}

static int valid_name(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!is_name_char(*s))
      return 0;
  return 1;
}

/* Strict decimal in [min, max]. */
static int parse_int(const char *s, int min, int max, int *out) {
  long v = 0;
  if (!*s)
    return -1;
  for (const char *p = s; *p; p++) {
    if (!isdigit((unsigned char)*p) || v > INT_MAX / 10)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (v < min || v > max)
    return -1;
  *out = (int)v;
  return 0;
}

static char *join_path(parse_ctx *c, const char *path) {
  if (path[0] == '/')
    return dup_str(c, path);
  size_t n = strlen(c->cfg->dir) + strlen(path) + 2;
  char *p = checked(c, malloc(n));
  if (p)
    snprintf(p, n, "%s/%s", c->cfg->dir, path);
  return p;
}

static void free_list(char **items, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(items[i]);
  free(items);
}

/* Split `value` on `sep` into trimmed, non-empty items. On an empty item
 * returns -1 with *bad set to its 1-based position. */
static int split_list(parse_ctx *c, const char *value, char sep, char ***out,
                      size_t *n_out, int *bad) {
  char **items = NULL;
  size_t n = 0;
  const char *p = value;
  *bad = 0;
  for (;;) {
    const char *end = strchr(p, sep);
    if (!end)
      end = p + strlen(p);
    const char *a = p, *b = end;
    while (a < b && isspace((unsigned char)*a))
      a++;
    while (b > a && isspace((unsigned char)b[-1]))
      b--;
    if (a == b) {
      *bad = (int)n + 1;
      break;
    }
    char **grown = checked(c, realloc(items, (n + 1) * sizeof *items));
    if (!grown)
      break;
    items = grown;
    if (!(items[n] = checked(c, strndup(a, (size_t)(b - a)))))
      break;
    n++;
    if (!*end) {
      *out = items;
      *n_out = n;
      return 0;
    }
    p = end + 1;
  }
  free_list(items, n);
  return -1;
}

/* A plain address check: one '@', something on each side, no spaces or
 * characters that would need quoting in a header. Deliverability is the
 * mail server's business. */
static int valid_email(const char *s) {
  const char *at = strchr(s, '@');
  if (!at || at == s || !at[1] || strchr(at + 1, '@') || !strchr(at + 1, '.'))
    return 0;
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch <= 0x20 || ch == 0x7f || strchr("<>()[]\\,;:\"", ch))
      return 0;
  }
  return 1;
}

/* ---- setters for [host] and [lastpass] ------------------------------------
 */

static char **field_str(parse_ctx *c, const key_spec *k) {
  return (char **)((char *)c->cfg + k->off);
}

static int *field_int(parse_ctx *c, const key_spec *k) {
  return (int *)((char *)c->cfg + k->off);
}

static void replace(char **slot, char *value) {
  free(*slot);
  *slot = value;
}

static void set_path(parse_ctx *c, const key_spec *k, const char *value) {
  char *p = join_path(c, value);
  if (p)
    replace(field_str(c, k), p);
  if (k->off == offsetof(lpsa_config, mapping_file))
    c->cfg->mapping_file_line = c->line;
}

static void set_readable_path(parse_ctx *c, const key_spec *k,
                              const char *value) {
  char *p = join_path(c, value);
  if (!p)
    return;
  if (access(p, R_OK) != 0)
    add_error(c, c->line, "%s = %s: cannot read %s: %s; fix the path", k->name,
              value, p, strerror(errno));
  replace(field_str(c, k), p);
}

static void set_string(parse_ctx *c, const key_spec *k, const char *value) {
  char *s = dup_str(c, value);
  if (s)
    replace(field_str(c, k), s);
}

static void set_int(parse_ctx *c, const key_spec *k, const char *value) {
  if (parse_int(value, k->min, k->max, field_int(c, k)))
    add_error(c, c->line,
              "%s must be a whole number from %d to %d, not \"%s\"; fix the "
              "value",
              k->name, k->min, k->max, value);
}

/* A duration (duration.h) of k->min..k->max seconds. */
static void set_duration(parse_ctx *c, const key_spec *k, const char *value) {
  long v;
  if (duration_parse(value, &v) == 0 && v >= k->min && v <= k->max) {
    *field_int(c, k) = (int)v;
    return;
  }
  char lo[32], hi[32];
  duration_format(k->min, lo, sizeof lo);
  duration_format(k->max, hi, sizeof hi);
  add_error(c, c->line,
            "%s must be a duration from %s to %s such as 2h, 30m or 1h30m, "
            "not \"%s\"; fix the value",
            k->name, lo, hi, value);
}

static void set_url(parse_ctx *c, const key_spec *k, const char *value,
                    url_kind kind) {
  char msg[384];
  if (url_check(value, kind, msg, sizeof msg)) {
    add_error(c, c->line, "%s: %s", k->name, msg);
    return;
  }
  set_string(c, k, value);
  if (k->off == offsetof(lpsa_config, lastpass_api_url))
    c->cfg->lastpass_api_url_line = c->line;
}

static void set_url_web(parse_ctx *c, const key_spec *k, const char *value) {
  set_url(c, k, value, URL_WEB);
}

static void set_url_mail(parse_ctx *c, const key_spec *k, const char *value) {
  set_url(c, k, value, URL_MAIL);
}

void config_literal_advice(const lpsa_config *cfg, int line,
                           const char *section, const char *key, char *out,
                           size_t len) {
  /* The variable to propose: LPSA_<SECTION>_<KEY>, where [host] adds
   * nothing and [driver.NAME] adds NAME. */
  const char *tag = strcasecmp(section, "host") == 0          ? ""
                    : strncasecmp(section, "driver.", 7) == 0 ? section + 7
                                                              : section;
  char var[160];
  snprintf(var, sizeof var, "LPSA_%s%s%s", tag, *tag ? "_" : "", key);
  for (char *p = var; *p; p++)
    *p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
  if (cfg->mode & S_IRGRP)
    /* The installed layout: root:lpsa 0640, so the service can read it.
     * chmod 600 would lock the service out; the unit's environment file
     * is where its secrets belong. */
    snprintf(out, len,
             "%s holds a literal secret (line %d, %s) and is readable by its "
             "group%s, which the service needs; move the secret to the "
             "environment file the systemd units load: add the line "
             "%s=<the secret> to " CONFIG_DEFAULT_ENV_FILE
             " (root:lpsa, mode 640) and write %s = env:%s in [%s] (or "
             "file:PATH)%s%s",
             cfg->name, line, key, cfg->mode & S_IROTH ? " and by others" : "",
             var, key, var, section,
             cfg->mode & S_IROTH ? "; and run: chmod o-r " : "",
             cfg->mode & S_IROTH ? cfg->path : "");
  else
    snprintf(out, len,
             "%s holds a literal secret (line %d, %s) and is readable by "
             "others; run: chmod o-r %s (or give the secret as env:%s or "
             "file:PATH)",
             cfg->name, line, key, cfg->path, var);
}

static void refuse_literal(parse_ctx *c, const key_spec *k) {
  if (c->literal_reported)
    return;
  c->literal_reported = 1;
  char msg[1024];
  config_literal_advice(c->cfg, c->line,
                        k->sec == SEC_HOST ? "host" : "lastpass", k->name, msg,
                        sizeof msg);
  add_error(c, -1, "%s", msg);
}

static void set_secret(parse_ctx *c, const key_spec *k, const char *value) {
  if (c->flags & CONFIG_LOAD_NO_SECRETS)
    return; /* the command needs no credential: leave it unresolved */
  if (secret_source_of(value) == SECRET_LITERAL && c->cfg->insecure_perms) {
    refuse_literal(c, k);
    return;
  }
  char *resolved = NULL;
  char msg[512];
  if (secret_resolve(value, c->cfg->dir, c->cfg->name, c->line, k->name,
                     &resolved, msg, sizeof msg)) {
    /* secret_resolve already wrote "FILE:LINE: " */
    add_error(c, -1, "%s", msg);
    return;
  }
  if (secret_list_add(&c->cfg->secrets, resolved))
    c->oom = 1;
  replace(field_str(c, k), resolved);
}

/* Replace every copy of `secret` in msg with "<the URL>", so a refused URL
 * that came from env: or file: is not echoed. */
static void hide(char *msg, const char *secret) {
  static const char mask[] = "<the URL>";
  size_t n = strlen(secret);
  char *at;
  if (n < sizeof mask - 1)
    return; /* too short to be a URL worth hiding; and the mask would grow */
  while ((at = strstr(msg, secret))) {
    memcpy(at, mask, sizeof mask - 1);
    memmove(at + sizeof mask - 1, at + n, strlen(at + n) + 1);
  }
}

/* A URL that is also a credential (a webhook URL carries its token): env:,
 * file: or literal like any secret, then the URL policy. */
static void set_secret_url(parse_ctx *c, const key_spec *k, const char *value) {
  set_secret(c, k, value);
  const char *url = *field_str(c, k);
  char msg[512];
  if (url && url_check(url, URL_WEB, msg, sizeof msg)) {
    hide(msg, url);
    add_error(c, c->line, "%s: %s", k->name, msg);
  }
}

static void set_schedule(parse_ctx *c, const key_spec *k, const char *value) {
  char msg[384];
  (void)k;
  if (schedule_parse(value, &c->cfg->schedule, msg, sizeof msg)) {
    add_error(c, c->line, "%s", msg);
    return;
  }
  char *s = dup_str(c, value);
  if (!s)
    return;
  replace(&c->cfg->schedule_text, s);
  c->cfg->schedule_line = c->line;
}

static void set_timezone(parse_ctx *c, const key_spec *k, const char *value) {
  char msg[512];
  if (zone_check(value, msg, sizeof msg) != 0) {
    add_error(c, c->line, "%s", msg);
    return;
  }
  set_string(c, k, value);
}

static void set_suspended(parse_ctx *c, const key_spec *k, const char *value) {
  if (strcasecmp(value, "skip") == 0 || strcasecmp(value, "zero") == 0)
    c->cfg->suspended_zero = strcasecmp(value, "zero") == 0;
  else
    add_error(c, c->line, "%s must be skip or zero, not \"%s\"; fix the value",
              k->name, value);
}

static void set_notify_on(parse_ctx *c, const key_spec *k, const char *value) {
  static const char *const names[] = {"problems", "always", "never"};
  for (int i = 0; i < 3; i++)
    if (strcasecmp(value, names[i]) == 0) {
      c->cfg->notify_on = (config_notify_on)i;
      return;
    }
  add_error(c, c->line,
            "%s must be always, problems or never, not \"%s\"; fix the value",
            k->name, value);
}

static void set_email(parse_ctx *c, const key_spec *k, const char *value) {
  if (!valid_email(value)) {
    add_error(c, c->line,
              "%s: \"%s\" is not an e-mail address; write name@example.com",
              k->name, value);
    return;
  }
  set_string(c, k, value);
}

static void set_email_list(parse_ctx *c, const key_spec *k, const char *value) {
  char **items = NULL;
  size_t n = 0;
  int bad;
  if (split_list(c, value, ',', &items, &n, &bad)) {
    if (bad)
      add_error(c, c->line,
                "%s: address %d of the list is empty; separate addresses "
                "with single commas",
                k->name, bad);
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (!valid_email(items[i]))
      add_error(c, c->line,
                "%s: \"%s\" is not an e-mail address; write "
                "name@example.com, separated by commas",
                k->name, items[i]);
  free_list(c->cfg->notify_email, c->cfg->n_notify_email);
  c->cfg->notify_email = items;
  c->cfg->n_notify_email = n;
}

static void set_driver_path(parse_ctx *c, const key_spec *k,
                            const char *value) {
  char **items = NULL;
  size_t n = 0;
  int bad;
  if (split_list(c, value, ':', &items, &n, &bad)) {
    if (bad)
      add_error(c, c->line,
                "%s: directory %d of the list is empty; separate "
                "directories with single ':'",
                k->name, bad);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    char *abs = join_path(c, items[i]);
    if (abs)
      replace(&items[i], abs);
  }
  free_list(c->cfg->driver_path, c->cfg->n_driver_path);
  c->cfg->driver_path = items;
  c->cfg->n_driver_path = n;
}

static void set_listen(parse_ctx *c, const key_spec *k, const char *value) {
  listen_addr a;
  char msg[384];
  if (listen_addr_parse(value, &a, msg, sizeof msg)) {
    add_error(c, c->line, "%s", msg);
    return;
  }
  set_string(c, k, value);
  c->cfg->web_listen_line = c->line;
}

#define F(field) offsetof(lpsa_config, field)
static const key_spec keys[] = {
    {SEC_HOST, "driver_path", set_driver_path, 0, 0, 0},
    {SEC_HOST, "state_dir", set_path, F(state_dir), 0, 0},
    {SEC_HOST, "mapping_file", set_path, F(mapping_file), 0, 0},
    {SEC_HOST, "schedule", set_schedule, 0, 0, 0},
    {SEC_HOST, "timezone", set_timezone, F(timezone), 0, 0},
    {SEC_HOST, "max_decrease_percent", set_int, F(max_decrease_percent), 0,
     100},
    {SEC_HOST, "max_increase_percent", set_int, F(max_increase_percent), 0,
     1000000},
    {SEC_HOST, "guardrail_min_seats", set_int, F(guardrail_min_seats), 0,
     1000000},
    {SEC_HOST, "plan_max_age", set_duration, F(plan_max_age), 60, 31 * 86400},
    {SEC_HOST, "history_days", set_int, F(history_days), 0, 36500},
    {SEC_HOST, "suspended_companies", set_suspended, 0, 0, 0},
    {SEC_HOST, "metrics_file", set_path, F(metrics_file), 0, 0},
    {SEC_HOST, "notify_email", set_email_list, 0, 0, 0},
    {SEC_HOST, "notify_on", set_notify_on, 0, 0, 0},
    {SEC_HOST, "notify_webhook", set_secret_url, F(notify_webhook), 0, 0},
    {SEC_HOST, "smtp_url", set_url_mail, F(smtp_url), 0, 0},
    {SEC_HOST, "smtp_from", set_email, F(smtp_from), 0, 0},
    {SEC_HOST, "smtp_username", set_string, F(smtp_username), 0, 0},
    {SEC_HOST, "smtp_password", set_secret, F(smtp_password), 0, 0},
    {SEC_HOST, "http_timeout", set_int, F(http_timeout), 1, 3600},
    {SEC_HOST, "run_timeout", set_duration, F(run_timeout), 1, 7 * 86400},
    {SEC_HOST, "max_concurrency", set_int, F(max_concurrency), 1, 16},
    {SEC_HOST, "ca_file", set_readable_path, F(ca_file), 0, 0},
    {SEC_LASTPASS, "api_url", set_url_web, F(lastpass_api_url), 0, 0},
    {SEC_LASTPASS, "api_key", set_secret, F(lastpass_api_key), 0, 0},
    {SEC_WEB, "listen", set_listen, F(web_listen), 0, 0},
    {SEC_WEB, "users_file", set_path, F(web_users_file), 0, 0},
    {SEC_WEB, "tls_cert", set_readable_path, F(web_tls_cert), 0, 0},
    {SEC_WEB, "tls_key", set_readable_path, F(web_tls_key), 0, 0},
    {SEC_WEB, "session_minutes", set_int, F(web_session_minutes), 1, 1440},
};
#undef F
#define N_KEYS (sizeof keys / sizeof keys[0])
_Static_assert(N_KEYS <= 32, "parse_ctx.seen is too small");

static const char *section_label(sec_kind s) {
  return s == SEC_HOST ? "[host]" : s == SEC_WEB ? "[web]" : "[lastpass]";
}

static int find_key(sec_kind sec, const char *name) {
  for (size_t i = 0; i < N_KEYS; i++)
    if (keys[i].sec == sec && strcasecmp(keys[i].name, name) == 0)
      return (int)i;
  return -1;
}

static void unknown_table_key(parse_ctx *c, sec_kind sec, const char *name) {
  const char *names[N_KEYS];
  size_t n = 0;
  char list[512] = "";
  size_t used = 0;
  for (size_t i = 0; i < N_KEYS; i++)
    if (keys[i].sec == sec) {
      names[n++] = keys[i].name;
      int w = snprintf(list + used, sizeof list - used, "%s%s",
                       used ? ", " : "", keys[i].name);
      if (w > 0 && (size_t)w < sizeof list - used)
        used += (size_t)w;
    }
  const char *hint = config_suggest(name, names, n);
  sec_kind other = SEC_NONE;
  for (sec_kind o = SEC_HOST; o <= SEC_WEB; o++)
    if (o != sec && o != SEC_DRIVER && find_key(o, name) >= 0)
      other = o;
  if (other != SEC_NONE)
    add_error(c, c->line, "\"%s\" belongs in %s, not %s; move it", name,
              section_label(other), section_label(sec));
  else if (strncasecmp(name, "sku.", 4) == 0 || strcasecmp(name, "module") == 0)
    add_error(c, c->line,
              "\"%s\" belongs in a [driver.NAME] section, not %s; move it",
              name, section_label(sec));
  else if (hint)
    add_error(c, c->line, "unknown key \"%s\" in %s; did you mean \"%s\"?",
              name, section_label(sec), hint);
  else
    add_error(c, c->line, "unknown key \"%s\" in %s; %s accepts: %s", name,
              section_label(sec), section_label(sec), list);
}

static void table_key(parse_ctx *c, sec_kind sec, const char *name,
                      const char *value) {
  int i = find_key(sec, name);
  if (i < 0) {
    unknown_table_key(c, sec, name);
    return;
  }
  const key_spec *k = &keys[i];
  if (c->seen[i]) {
    add_error(c, c->line,
              "%s is set twice in %s (first at line %d); keep one of them",
              k->name, section_label(sec), c->seen[i]);
    return;
  }
  c->seen[i] = c->line;
  if (!*value) {
    add_error(c, c->line, "%s is empty; give it a value or delete the line",
              k->name);
    return;
  }
  k->set(c, k, value);
}

/* ---- [driver.NAME] sections
 * ---------------------------------------------------- */

static config_driver_section *find_driver(lpsa_config *cfg, const char *name) {
  for (size_t i = 0; i < cfg->n_drivers; i++)
    if (strcasecmp(cfg->drivers[i].name, name) == 0)
      return &cfg->drivers[i];
  return NULL;
}

static void add_driver(parse_ctx *c, const char *name) {
  lpsa_config *cfg = c->cfg;
  if (find_driver(cfg, name))
    return; /* a repeated header continues the same section */
  config_driver_section *grown =
      checked(c, realloc(cfg->drivers, (cfg->n_drivers + 1) * sizeof *grown));
  if (!grown)
    return;
  cfg->drivers = grown;
  config_driver_section *d = &cfg->drivers[cfg->n_drivers];
  memset(d, 0, sizeof *d);
  d->name = dup_str(c, name);
  d->module = dup_str(c, name);
  d->line = c->line;
  if (!d->name || !d->module) {
    free(d->name);
    free(d->module);
    return;
  }
  cfg->n_drivers++;
}

static void driver_module(parse_ctx *c, config_driver_section *d,
                          const char *value) {
  if (d->module_line) {
    add_error(c, c->line,
              "module is set twice in [driver.%s] (first at line %d); keep "
              "one of them",
              d->name, d->module_line);
    return;
  }
  d->module_line = c->line;
  if (!valid_name(value) || strlen(value) > MAX_DRIVER_NAME) {
    add_error(c, c->line,
              "module \"%s\" is not a driver name; write the driver file's "
              "name without \".so\" (letters, digits, '_' and '-')",
              value);
    return;
  }
  char *m = dup_str(c, value);
  if (m)
    replace(&d->module, m);
}

static void driver_sku(parse_ctx *c, config_driver_section *d, const char *key,
                       const char *value) {
  const char *code = key + 4;
  char ***list;
  size_t *n;
  int *line;
  if (strcasecmp(code, "lastpass") == 0) {
    list = &d->sku_lastpass;
    n = &d->n_sku_lastpass;
    line = &d->sku_lastpass_line;
  } else if (strcasecmp(code, "lastpass_mfa") == 0) {
    list = &d->sku_lastpass_mfa;
    n = &d->n_sku_lastpass_mfa;
    line = &d->sku_lastpass_mfa_line;
  } else {
    add_error(c, c->line,
              "unknown SKU \"%s\" in %s; the SKUs are sku.lastpass and "
              "sku.lastpass_mfa",
              code, key);
    return;
  }
  if (*line) {
    add_error(c, c->line,
              "%s is set twice in [driver.%s] (first at line %d); list all "
              "products on one line, separated by commas",
              key, d->name, *line);
    return;
  }
  *line = c->line;
  int bad;
  if (split_list(c, value, ',', list, n, &bad) && bad)
    add_error(c, c->line,
              "%s: product %d of the list is empty; write the %s product "
              "names or ids separated by single commas",
              key, bad, d->name);
}

static void driver_key(parse_ctx *c, const char *section, const char *key,
                       const char *value) {
  config_driver_section *d = find_driver(c->cfg, section);
  if (!d)
    return; /* an invalid name, reported at the header */
  if (strcasecmp(key, "module") == 0) {
    driver_module(c, d, value);
    return;
  }
  if (strncasecmp(key, "sku.", 4) == 0) {
    driver_sku(c, d, key, value);
    return;
  }
  for (size_t i = 0; i < d->n_values; i++)
    if (strcasecmp(d->values[i].key, key) == 0) {
      add_error(c, c->line,
                "%s is set twice in [driver.%s] (first at line %d); keep "
                "one of them",
                key, d->name, d->values[i].line);
      return;
    }
  config_value *grown =
      checked(c, realloc(d->values, (d->n_values + 1) * sizeof *grown));
  if (!grown)
    return;
  d->values = grown;
  config_value *v = &d->values[d->n_values];
  v->key = dup_str(c, key);
  v->value = dup_str(c, value);
  v->line = c->line;
  if (!v->key || !v->value) {
    free(v->key);
    free(v->value);
    return;
  }
  d->n_values++;
}

/* ---- sections --------------------------------------------------------------
 */

/* Trimmed copy of s[0..n) into buf (size len); returns buf. */
static char *trim_copy(const char *s, size_t n, char *buf, size_t len) {
  while (n && isspace((unsigned char)*s))
    s++, n--;
  while (n && isspace((unsigned char)s[n - 1]))
    n--;
  if (n >= len)
    n = len - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

/* Classify a section name; for a driver section *driver points at NAME. */
static sec_kind classify(const char *name, const char **driver) {
  *driver = NULL;
  if (strcasecmp(name, "host") == 0)
    return SEC_HOST;
  if (strcasecmp(name, "lastpass") == 0)
    return SEC_LASTPASS;
  if (strcasecmp(name, "web") == 0)
    return SEC_WEB;
  if (strncasecmp(name, "driver.", 7) == 0) {
    *driver = name + 7;
    return SEC_DRIVER;
  }
  return SEC_UNKNOWN;
}

static void unknown_section(parse_ctx *c, const char *name) {
  static const char *const known[] = {"host", "lastpass", "web", "driver"};
  const char *dot = strchr(name, '.');
  char head[64];
  trim_copy(name, dot ? (size_t)(dot - name) : strlen(name), head, sizeof head);
  if (strcasecmp(name, "driver") == 0) {
    add_error(c, c->line,
              "[driver] needs the driver's name; write [driver.NAME], e.g. "
              "[driver.connectwise]");
  } else if (dot && config_edit_distance(head, "driver") <= 2) {
    add_error(c, c->line, "unknown section [%s]; did you mean [driver.%s]?",
              name, dot + 1);
  } else {
    const char *hint = config_suggest(head, known, 3);
    if (hint)
      add_error(c, c->line, "unknown section [%s]; did you mean [%s]?", name,
                hint);
    else
      add_error(c, c->line,
                "unknown section [%s]; use [host], [lastpass], [web] or "
                "[driver.NAME]",
                name);
  }
}

/* Called by the reader for each "[...]" line, before inih sees it. */
static void on_header(parse_ctx *c, const char *line, size_t n) {
  const char *close = memchr(line, ']', n);
  if (!close)
    return; /* inih reports the syntax error */
  char name[128];
  const char *driver;
  trim_copy(line + 1, (size_t)(close - line - 1), name, sizeof name);
  switch (classify(name, &driver)) {
  case SEC_DRIVER:
    if (!valid_name(driver) || strlen(driver) > MAX_DRIVER_NAME)
      add_error(c, c->line,
                "[%s]: \"%s\" is not a driver name; use up to %d letters, "
                "digits, '_' and '-'",
                name, driver, MAX_DRIVER_NAME);
    else
      add_driver(c, driver);
    break;
  case SEC_WEB:
    if (!c->cfg->web_configured)
      c->cfg->web_line = c->line;
    c->cfg->web_configured = 1;
    break;
  case SEC_UNKNOWN:
    unknown_section(c, name);
    break;
  default:
    break;
  }
}

/* ---- inih glue
 * --------------------------------------------------------------- */

/* inih's ini_reader: hand over one line, counted and cleaned. */
static char *reader(char *str, int num, void *stream) {
  parse_ctx *c = stream;
  if (c->pos >= c->len || num < 3)
    return NULL;
  const char *line = c->buf + c->pos;
  const char *nl = memchr(line, '\n', c->len - c->pos);
  size_t n = nl ? (size_t)(nl - line) : c->len - c->pos;
  c->pos += n + (nl ? 1 : 0);
  c->line++;
  if (c->line == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0)
    line += 3, n -= 3;
  while (n && (*line == ' ' || *line == '\t'))
    line++, n--;
  if (n && line[n - 1] == '\r')
    n--;
  if (n > (size_t)num - 2) {
    add_error(c, c->line,
              "the line is longer than %d characters; shorten it (a long "
              "secret can live in a file: key = file:PATH)",
              num - 2);
    n = 0;
  }
  memcpy(str, line, n);
  str[n] = '\n';
  str[n + 1] = '\0';
  if (n && line[0] == '[')
    on_header(c, line, n);
  return str;
}

static int handler(void *user, const char *section, const char *name,
                   const char *value) {
  parse_ctx *c = user;
  char sec[128];
  const char *driver;
  trim_copy(section, strlen(section), sec, sizeof sec);
  if (!*sec) {
    add_error(c, c->line,
              "\"%s\" is outside any section; put it under [host], "
              "[lastpass], [web] or [driver.NAME]",
              name);
    return 1;
  }
  sec_kind kind = classify(sec, &driver);
  if (kind == SEC_HOST || kind == SEC_LASTPASS || kind == SEC_WEB)
    table_key(c, kind, name, value);
  else if (kind == SEC_DRIVER)
    driver_key(c, driver, name, value);
  return 1; /* errors are collected, never returned to inih */
}

/* ---- loading
 * ------------------------------------------------------------------- */

static char *dup_or_null(const char *s) {
  return s ? strdup(s) : NULL;
}

int config_init_defaults(lpsa_config *cfg, const char *default_driver_dir) {
  memset(cfg, 0, sizeof *cfg);
  cfg->state_dir = strdup(CONFIG_DEFAULT_STATE_DIR);
  cfg->lastpass_api_url = strdup(CONFIG_DEFAULT_LASTPASS_URL);
  cfg->max_decrease_percent = 50;
  cfg->max_increase_percent = CONFIG_DEFAULT_MAX_INCREASE_PERCENT;
  cfg->guardrail_min_seats = CONFIG_DEFAULT_GUARDRAIL_MIN_SEATS;
  cfg->plan_max_age = CONFIG_DEFAULT_PLAN_MAX_AGE;
  cfg->history_days = 400;
  cfg->notify_on = CONFIG_NOTIFY_PROBLEMS;
  cfg->http_timeout = 60;
  cfg->run_timeout = CONFIG_DEFAULT_RUN_TIMEOUT;
  cfg->max_concurrency = 8;
  cfg->web_listen = strdup(CONFIG_DEFAULT_WEB_LISTEN);
  cfg->web_session_minutes = 30;
  int ok = cfg->state_dir && cfg->lastpass_api_url && cfg->web_listen;
  if (ok && default_driver_dir) {
    cfg->driver_path = calloc(1, sizeof *cfg->driver_path);
    if (cfg->driver_path &&
        (cfg->driver_path[0] = dup_or_null(default_driver_dir)))
      cfg->n_driver_path = 1;
    else
      ok = 0;
  }
  if (!ok) {
    config_free(cfg);
    return -1;
  }
  return 0;
}

static void free_driver(config_driver_section *d) {
  free(d->name);
  free(d->module);
  for (size_t i = 0; i < d->n_values; i++) {
    free(d->values[i].key);
    free(d->values[i].value);
  }
  free(d->values);
  free_list(d->sku_lastpass, d->n_sku_lastpass);
  free_list(d->sku_lastpass_mfa, d->n_sku_lastpass_mfa);
}

void config_free(lpsa_config *cfg) {
  if (!cfg)
    return;
  free(cfg->path);
  free(cfg->name);
  free(cfg->dir);
  free_list(cfg->driver_path, cfg->n_driver_path);
  free(cfg->state_dir);
  free(cfg->mapping_file);
  free(cfg->schedule_text);
  free(cfg->timezone);
  free(cfg->metrics_file);
  free_list(cfg->notify_email, cfg->n_notify_email);
  free(cfg->notify_webhook);
  free(cfg->smtp_url);
  free(cfg->smtp_from);
  free(cfg->smtp_username);
  free(cfg->smtp_password);
  free(cfg->ca_file);
  free(cfg->web_listen);
  free(cfg->web_users_file);
  free(cfg->web_tls_cert);
  free(cfg->web_tls_key);
  free(cfg->lastpass_api_url);
  free(cfg->lastpass_api_key);
  for (size_t i = 0; i < cfg->n_drivers; i++)
    free_driver(&cfg->drivers[i]);
  free(cfg->drivers);
  secret_list_free(&cfg->secrets);
  memset(cfg, 0, sizeof *cfg);
}

/* Read the whole file; fills cfg->path, dir and insecure_perms. */
static char *read_file(parse_ctx *c, const char *path, size_t *len) {
  lpsa_config *cfg = c->cfg;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    char why[1024];
    add_error(c, 0, "cannot open: %s",
              perm_advice(cfg->path, errno, "; check the path (--config FILE)",
                          why, sizeof why));
    return NULL;
  }
  struct stat st;
  char *buf = NULL;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
    add_error(c, 0, "is not a regular file; point --config at the INI file");
  } else if (st.st_size > CONFIG_MAX_BYTES) {
    add_error(c, 0, "is larger than 1 MiB; is this the configuration file?");
  } else if ((buf = checked(c, malloc((size_t)st.st_size + 1)))) {
    ssize_t r;
    size_t n = 0;
    while ((r = read(fd, buf + n, (size_t)st.st_size - n)) > 0 ||
           (r < 0 && errno == EINTR))
      n += r > 0 ? (size_t)r : 0;
    buf[n] = '\0';
    *len = n;
    cfg->insecure_perms = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
    cfg->mode = (unsigned)st.st_mode & 07777;
    if (r < 0) {
      add_error(c, 0, "cannot read: %s", strerror(errno));
      free(buf);
      buf = NULL;
    }
  }
  close(fd);
  return buf;
}

/* cfg->path (absolute, symlinks resolved) and cfg->dir. */
static int locate(parse_ctx *c, const char *path) {
  char *abs = realpath(path, NULL);
  if (!abs) {
    char why[1024];
    add_error(c, 0, "cannot open: %s",
              perm_advice(path, errno, "; check the path (--config FILE)", why,
                          sizeof why));
    return -1;
  }
  c->cfg->path = abs;
  char *slash = strrchr(abs, '/');
  size_t n = slash == abs ? 1 : (size_t)(slash - abs);
  c->cfg->dir = checked(c, strndup(abs, n));
  return c->cfg->dir ? 0 : -1;
}

static void check_together(parse_ctx *c) {
  lpsa_config *cfg = c->cfg;
  int email = find_key(SEC_HOST, "notify_email");
  int user = find_key(SEC_HOST, "smtp_username");
  int pass = find_key(SEC_HOST, "smtp_password");
  if (!c->seen[find_key(SEC_LASTPASS, "api_key")])
    add_error(c, 0,
              "[lastpass] lacks api_key; add api_key = "
              "env:LPSA_LASTPASS_API_KEY (or file:PATH)");
  if (cfg->n_notify_email && (!cfg->smtp_url || !cfg->smtp_from))
    add_error(c, c->seen[email],
              "notify_email needs smtp_url and smtp_from in [host]; add "
              "them (e.g. smtp_url = smtps://mail.example.com:465)");
  if (c->seen[pass] && !c->seen[user])
    add_error(c, c->seen[pass],
              "smtp_password needs smtp_username; add it to [host]");
  int cert = c->seen[find_key(SEC_WEB, "tls_cert")];
  int key = c->seen[find_key(SEC_WEB, "tls_key")];
  if (!cert != !key)
    add_error(c, cert ? cert : key,
              "[web] needs both tls_cert and tls_key for HTTPS (or neither); "
              "add the missing one");
  if (!cfg->web_users_file && cfg->state_dir) {
    size_t n = strlen(cfg->state_dir) + sizeof "/" CONFIG_DEFAULT_WEB_USERS;
    if ((cfg->web_users_file = checked(c, malloc(n))))
      snprintf(cfg->web_users_file, n, "%s/%s", cfg->state_dir,
               CONFIG_DEFAULT_WEB_USERS);
  }
}

static void finish_errors(parse_ctx *c) {
  if (c->oom) /* nothing else said can be trusted to be complete */
    diag_oom(&c->d, "out of memory while reading the configuration");
  diag_finish(&c->d);
}

int config_load(const char *path, const char *default_driver_dir,
                lpsa_config *out, char *err, size_t errlen) {
  return config_load_flags(path, default_driver_dir, 0, out, err, errlen);
}

int config_load_flags(const char *path, const char *default_driver_dir,
                      unsigned flags, lpsa_config *out, char *err,
                      size_t errlen) {
  parse_ctx c;
  memset(&c, 0, sizeof c);
  c.flags = flags;
  c.cfg = out;
  diag_init(&c.d, err, err ? errlen : 0, path, CONFIG_MAX_ERRORS);
  if (config_init_defaults(out, default_driver_dir)) {
    if (err && errlen)
      snprintf(err, errlen, "%s: out of memory", path);
    return -1;
  }
  out->name = strdup(path);
  if (!out->name) {
    config_free(out);
    if (err && errlen)
      snprintf(err, errlen, "%s: out of memory", path);
    return -1;
  }
  size_t len = 0;
  char *buf = NULL;
  if (locate(&c, path) == 0)
    buf = read_file(&c, path, &len);
  if (buf && memchr(buf, '\0', len))
    add_error(&c, 0, "holds a NUL byte; is this the configuration file?");
  else if (buf) {
    c.buf = buf;
    c.len = len;
    int rc = ini_parse_stream(reader, &c, handler, &c);
    if (rc > 0)
      add_error(&c, rc,
                "cannot read this line; write key = value, [section], or a "
                "comment starting with ; or #");
    else if (rc == -2)
      c.oom = 1;
    check_together(&c);
  }
  free(buf);
  finish_errors(&c);
  if (diag_failed(&c.d)) {
    config_free(out);
    return -1;
  }
  return 0;
}

const config_driver_section *config_driver(const lpsa_config *cfg,
                                           const char *name) {
  for (size_t i = 0; i < cfg->n_drivers; i++)
    if (strcasecmp(cfg->drivers[i].name, name) == 0)
      return &cfg->drivers[i];
  return NULL;
}

char *config_driver_dir_for_exe(const char *exe_path) {
  const char *slash = strrchr(exe_path, '/');
  size_t dlen = slash ? (size_t)(slash - exe_path) : 0;
  const char *dir = slash ? exe_path : ".";
  if (!slash)
    dlen = 1;
  size_t n = dlen + sizeof "/../" CONFIG_DRIVER_SUBDIR;
  char *out = malloc(n);
  if (!out)
    return NULL;
  if (dlen >= 4 && memcmp(dir + dlen - 4, "/bin", 4) == 0)
    snprintf(out, n, "%.*s/%s", (int)(dlen - 4), dir, CONFIG_DRIVER_SUBDIR);
  else
    snprintf(out, n, "%.*s/../%s", (int)dlen, dir, CONFIG_DRIVER_SUBDIR);
  return out;
}

char *config_default_driver_dir(void) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  return config_driver_dir_for_exe(exe);
}
