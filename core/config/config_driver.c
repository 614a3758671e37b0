/* SPDX-License-Identifier: MIT */
/*
 * config_driver.c — validate a raw [driver.NAME] section against the
 * driver's declared keys and resolve its secrets and URLs.
 *
 * Every problem is collected (like config.c) so a person fixes the section
 * in one go; nothing reaches driver.open() unless the whole section is good.
 */
#include "config_driver.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url_check.h"

typedef struct resolve_ctx {
  const lpsa_config *cfg;
  const config_driver_section *sec;
  const char *driver;
  const lpsa_config_key *keys;
  driver_config *out;
  char *err;
  size_t errlen, errused;
  int n_errors;
  int oom;
  int literal_reported;
} resolve_ctx;

/* One line: "FILE:LINE: msg" (or "FILE: msg" for line 0, or the message
 * alone for line -1). Past CONFIG_MAX_ERRORS lines are only counted. */
__attribute__((format(printf, 3, 4))) static void
add_error(resolve_ctx *c, int line, const char *fmt, ...) {
  if (++c->n_errors > CONFIG_MAX_ERRORS || !c->err ||
      c->errused + 1 >= c->errlen)
    return;
  char *p = c->err + c->errused;
  size_t room = c->errlen - c->errused;
  int n = snprintf(p, room, "%s", c->errused ? "\n" : "");
  if (line >= 0 && n >= 0 && (size_t)n < room)
    n += snprintf(p + n, room - (size_t)n, "%s", c->cfg->name);
  if (line > 0 && n >= 0 && (size_t)n < room)
    n += snprintf(p + n, room - (size_t)n, ":%d", line);
  if (line >= 0 && n >= 0 && (size_t)n < room)
    n += snprintf(p + n, room - (size_t)n, ": ");
  if (n >= 0 && (size_t)n < room) {
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(p + n, room - (size_t)n, fmt, ap);
    va_end(ap);
  }
  c->errused += n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
}

/* module and sku.* belong to the host even if a driver lists them. */
static int host_owned(const char *key) {
  return strcasecmp(key, "module") == 0 || strncasecmp(key, "sku.", 4) == 0;
}

static const lpsa_config_key *find_key(const lpsa_config_key *keys,
                                       const char *name) {
  for (; keys && keys->name; keys++)
    if (!host_owned(keys->name) && strcasecmp(keys->name, name) == 0)
      return keys;
  return NULL;
}

/* "site, company_id, ..." into buf. */
static void key_list(const lpsa_config_key *keys, char *buf, size_t len) {
  size_t used = 0;
  buf[0] = '\0';
  for (; keys && keys->name; keys++) {
    if (host_owned(keys->name))
      continue;
    int n =
        snprintf(buf + used, len - used, "%s%s", used ? ", " : "", keys->name);
    if (n < 0 || (size_t)n >= len - used)
      break;
    used += (size_t)n;
  }
  if (!used)
    snprintf(buf, len, "(no keys)");
}

static void unknown_key(resolve_ctx *c, const config_value *v) {
  const char *names[64];
  size_t n = 0;
  for (const lpsa_config_key *k = c->keys; k && k->name && n < 64; k++)
    if (!host_owned(k->name))
      names[n++] = k->name;
  const char *hint = config_suggest(v->key, names, n);
  char list[768];
  key_list(c->keys, list, sizeof list);
  if (hint)
    add_error(c, v->line,
              "unknown key \"%s\" in [driver.%s]; did you mean \"%s\"?", v->key,
              c->sec->name, hint);
  else
    add_error(c, v->line, "unknown key \"%s\" in [driver.%s]; %s accepts: %s",
              v->key, c->sec->name, c->driver, list);
}

static const config_value *find_value(const config_driver_section *sec,
                                      const char *key) {
  for (size_t i = 0; sec && i < sec->n_values; i++)
    if (strcasecmp(sec->values[i].key, key) == 0)
      return &sec->values[i];
  return NULL;
}

static void refuse_literal(resolve_ctx *c, const config_value *v) {
  if (c->literal_reported)
    return;
  c->literal_reported = 1;
  char section[64], msg[1024];
  snprintf(section, sizeof section, "driver.%s", c->sec->name);
  config_literal_advice(c->cfg, v->line, section, v->key, msg, sizeof msg);
  add_error(c, -1, "%s", msg);
}

/* The value to hand over, or NULL after reporting why not. */
static char *checked_value(resolve_ctx *c, const lpsa_config_key *k,
                           const config_value *v) {
  char msg[512];
  if (!*v->value &&
      (k->flags & (LPSA_KEY_REQUIRED | LPSA_KEY_SECRET | LPSA_KEY_URL))) {
    add_error(c, v->line, "%s is empty in [driver.%s]; give it a value (%s)",
              v->key, c->sec->name, k->help ? k->help : k->name);
    return NULL;
  }
  if (k->flags & LPSA_KEY_SECRET) {
    if (secret_source_of(v->value) == SECRET_LITERAL &&
        c->cfg->insecure_perms) {
      refuse_literal(c, v);
      return NULL;
    }
    char *resolved = NULL;
    if (secret_resolve(v->value, c->cfg->dir, c->cfg->name, v->line, v->key,
                       &resolved, msg, sizeof msg)) {
      add_error(c, -1, "%s", msg);
      return NULL;
    }
    if (secret_list_add(&c->out->secrets, resolved))
      c->oom = 1;
    return resolved;
  }
  if ((k->flags & LPSA_KEY_URL) &&
      url_check(v->value, URL_WEB, msg, sizeof msg)) {
    add_error(c, v->line, "%s: %s", v->key, msg);
    return NULL;
  }
  char *copy = strdup(v->value);
  if (!copy)
    c->oom = 1;
  return copy;
}

static void add_value(resolve_ctx *c, const lpsa_config_key *k,
                      const config_value *v) {
  char *value = checked_value(c, k, v);
  if (!value)
    return;
  driver_config *out = c->out;
  lpsa_config_value *grown =
      realloc(out->values, (out->n_values + 1) * sizeof *grown);
  char *key = strdup(k->name);
  if (!grown || !key) {
    if (grown)
      out->values = grown;
    free(key);
    free(value);
    c->oom = 1;
    return;
  }
  out->values = grown;
  out->values[out->n_values].key = key;
  out->values[out->n_values].value = value;
  out->values[out->n_values].line = v->line;
  out->n_values++;
}

static void check_required(resolve_ctx *c) {
  for (const lpsa_config_key *k = c->keys; k && k->name; k++) {
    if (!(k->flags & LPSA_KEY_REQUIRED) || host_owned(k->name) ||
        find_value(c->sec, k->name))
      continue;
    if (c->sec)
      add_error(c, c->sec->line,
                "[driver.%s] lacks \"%s\" (%s); add %s = ... to the section",
                c->sec->name, k->name, k->help ? k->help : "required", k->name);
  }
}

int config_driver_resolve(const lpsa_config *cfg,
                          const config_driver_section *section,
                          const char *driver_name, const lpsa_config_key *keys,
                          driver_config *out, char *err, size_t errlen) {
  resolve_ctx c;
  memset(&c, 0, sizeof c);
  memset(out, 0, sizeof *out);
  c.cfg = cfg;
  c.sec = section;
  c.driver = driver_name ? driver_name : section ? section->module : "?";
  c.keys = keys;
  c.out = out;
  c.err = err;
  c.errlen = errlen;
  if (err && errlen)
    err[0] = '\0';
  if (!section) {
    char list[768];
    key_list(keys, list, sizeof list);
    add_error(&c, 0, "has no [driver.%s] section; add one (%s accepts: %s)",
              c.driver, c.driver, list);
  } else {
    for (size_t i = 0; i < section->n_values; i++) {
      const config_value *v = &section->values[i];
      const lpsa_config_key *k = find_key(keys, v->key);
      if (k)
        add_value(&c, k, v);
      else
        unknown_key(&c, v);
    }
    check_required(&c);
  }
  if (c.oom && err && errlen)
    snprintf(err, errlen, "%s: out of memory while checking [driver.%s]",
             cfg->name, c.driver);
  else if (c.n_errors > CONFIG_MAX_ERRORS && err && c.errused + 1 < errlen)
    snprintf(err + c.errused, errlen - c.errused,
             "\n%s: %d more problems not shown; fix these and run again",
             cfg->name, c.n_errors - CONFIG_MAX_ERRORS);
  if (c.n_errors || c.oom) {
    driver_config_free(out);
    return -1;
  }
  return 0;
}

void driver_config_free(driver_config *dc) {
  if (!dc)
    return;
  for (size_t i = 0; i < dc->n_values; i++) {
    free((char *)dc->values[i].key);
    char *v = (char *)dc->values[i].value;
    explicit_bzero(v, strlen(v)); /* may be a secret */
    free(v);
  }
  free(dc->values);
  secret_list_free(&dc->secrets);
  memset(dc, 0, sizeof *dc);
}

int config_driver_products(const config_driver_section *section,
                           lpsa_product_ref **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t total = section->n_sku_lastpass + section->n_sku_lastpass_mfa;
  if (!total)
    return 0;
  lpsa_product_ref *refs = calloc(total, sizeof *refs);
  if (!refs)
    return -1;
  size_t j = 0;
  for (size_t i = 0; i < section->n_sku_lastpass; i++, j++) {
    refs[j].sku = LPSA_SKU_LASTPASS;
    refs[j].ref = section->sku_lastpass[i];
  }
  for (size_t i = 0; i < section->n_sku_lastpass_mfa; i++, j++) {
    refs[j].sku = LPSA_SKU_LASTPASS_MFA;
    refs[j].ref = section->sku_lastpass_mfa[i];
  }
  *out = refs;
  *n = total;
  return 0;
}
