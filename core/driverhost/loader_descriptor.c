/* SPDX-License-Identifier: MIT */
/*
 * loader_descriptor.c — verifying a driver descriptor before the host calls
 * anything in it (the checks GStreamer and Apache make on their modules).
 *
 * The order matters: the magic, the ABI numbers and struct_size are checked
 * before any other member is read, because a descriptor of another ABI may
 * not even have those members where this host expects them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "loader.h"
#include "loader_internal.h"

/* Config keys a descriptor may list before we decide its {NULL} terminator
 * is missing (reading on would run off the end of the array). */
#define MAX_CONFIG_KEYS 256

int loader_fail(char *err, size_t errlen, int status, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return status;
}

void loader_printable(const char *in, char *out, size_t cap) {
  if (!cap)
    return;
  if (!in)
    in = "(null)";
  size_t len = strlen(in), keep = len < cap ? len : cap - 1;
  int cut = keep < len && cap > 4;
  if (cut)
    keep = cap - 4;
  for (size_t i = 0; i < keep; i++) {
    unsigned char c = (unsigned char)in[i];
    out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  if (cut)
    memcpy(out + keep, "...", 3), keep += 3;
  out[keep] = '\0';
}

/* The size of lpsa_driver up to and including `member`. */
#define SIZE_UP_TO(member)                                                     \
  (offsetof(lpsa_driver, member) + sizeof(((lpsa_driver *)0)->member))

size_t driver_struct_size_for_minor(unsigned minor) {
  /* One row per minor: the size of lpsa_driver up to its last member of
   * that minor. A minor that appends members adds its row here. */
  static const size_t sizes[] = {
      /* 1.0 */ SIZE_UP_TO(check),
      /* 1.1 */ SIZE_UP_TO(sensitive_headers),
  };
  if (minor >= sizeof sizes / sizeof sizes[0])
    return 0;
  return sizes[minor];
}

static int is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

static int valid_name_chars(const char *s) {
  for (; *s; s++)
    if (!is_name_char(*s))
      return 0;
  return 1;
}

static int has_control_chars(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  return 0;
}

/* A required, one-line string of at most `max` bytes. */
static int check_text(const char *label, const char *what, const char *value,
                      size_t max, char *err, size_t errlen) {
  if (!value || !*value)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has no %s: its descriptor must set one; "
                       "rebuild the driver or ask its author for a fixed "
                       "release",
                       label, what);
  size_t len = strnlen(value, max + 1);
  if (len > max)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has a %s longer than %zu characters: "
                       "shorten it and rebuild the driver",
                       label, what, max);
  if (has_control_chars(value))
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has a %s with control characters: it must "
                       "be one printable line; fix it and rebuild the driver",
                       label, what);
  return LPSA_OK;
}

static int check_abi(const lpsa_driver *d, const char *label, char *err,
                     size_t errlen) {
  if (d->magic != LPSA_DRIVER_MAGIC)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has bad magic 0x%08X (expected 0x%08X): it "
                       "is not an lpsa driver, or a corrupt one; rebuild it "
                       "against the lpsa SDK",
                       label, (unsigned)d->magic, LPSA_DRIVER_MAGIC);
  if (d->abi_major != LPSA_ABI_MAJOR)
    return loader_fail(err, errlen, LPSA_ERR_UNSUPPORTED,
                       "driver %s was built for driver ABI %u.%u; this host "
                       "speaks %d.%d: install a driver release built for ABI "
                       "%d.x",
                       label, (unsigned)d->abi_major, (unsigned)d->abi_minor,
                       LPSA_ABI_MAJOR, LPSA_ABI_MINOR, LPSA_ABI_MAJOR);
  if (d->abi_minor > LPSA_ABI_MINOR)
    return loader_fail(err, errlen, LPSA_ERR_UNSUPPORTED,
                       "driver %s was built for driver ABI %u.%u, newer than "
                       "this host's %d.%d: upgrade lpsa-host, or install a "
                       "driver release built for ABI %d.%d or older",
                       label, (unsigned)d->abi_major, (unsigned)d->abi_minor,
                       LPSA_ABI_MAJOR, LPSA_ABI_MINOR, LPSA_ABI_MAJOR,
                       LPSA_ABI_MINOR);
  size_t want = driver_struct_size_for_minor(d->abi_minor);
  if (d->struct_size != want)
    return loader_fail(err, errlen, LPSA_ERR_UNSUPPORTED,
                       "driver %s has a descriptor of %u bytes, but ABI %u.%u "
                       "descriptors are %zu bytes: rebuild it against the lpsa "
                       "SDK headers of the ABI it declares",
                       label, (unsigned)d->struct_size, (unsigned)d->abi_major,
                       (unsigned)d->abi_minor, want);
  return LPSA_OK;
}

static int check_name(const lpsa_driver *d, const char *expected,
                      const char *label, char *err, size_t errlen) {
  int rc = check_text(label, "name", d->name, LOADER_MAX_NAME, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  char shown[LOADER_MAX_NAME + 8];
  loader_printable(d->name, shown, sizeof shown);
  if (!valid_name_chars(d->name))
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s calls itself \"%s\": a driver name may only "
                       "hold a-z, 0-9, '_' and '-'; rename the driver",
                       label, shown);
  if (!expected || strcasecmp(d->name, expected) != 0) {
    char file[LOADER_MAX_NAME + 8];
    loader_printable(expected, file, sizeof file);
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s calls itself \"%s\", not \"%s\": name the "
                       "file %s.so, or install the right driver",
                       label, shown, file, shown);
  }
  return LPSA_OK;
}

static int check_terms(const lpsa_terms *t, const char *label, char *err,
                       size_t errlen) {
  if (!t)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has no terms: its descriptor must name the "
                       "PSA's words; rebuild the driver or ask its author for "
                       "a fixed release",
                       label);
  const struct {
    const char *what, *value;
  } words[] = {{"terms.psa", t->psa},
               {"terms.company", t->company},
               {"terms.agreement", t->agreement},
               {"terms.line", t->line},
               {"terms.product", t->product}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    int rc = check_text(label, words[i].what, words[i].value,
                        LOADER_MAX_DESCRIPTION, err, errlen);
    if (rc != LPSA_OK)
      return rc;
  }
  return LPSA_OK;
}

static int valid_key_name(const char *k) {
  if (!*k || strcmp(k, "module") == 0 || strncmp(k, "sku.", 4) == 0)
    return 0;
  return valid_name_chars(k);
}

static int check_keys(const lpsa_config_key *keys, const char *label, char *err,
                      size_t errlen) {
  if (!keys)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has no config_keys: its descriptor must "
                       "list them (an empty list is {NULL}); rebuild the "
                       "driver or ask its author for a fixed release",
                       label);
  for (size_t i = 0; keys[i].name; i++) {
    if (i == MAX_CONFIG_KEYS)
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver %s lists more than %d config keys: its "
                         "config_keys array probably lacks the {NULL} "
                         "terminator; fix it and rebuild the driver",
                         label, MAX_CONFIG_KEYS);
    if (!valid_key_name(keys[i].name)) {
      char shown[80];
      loader_printable(keys[i].name, shown, sizeof shown);
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver %s declares config key \"%s\": keys are "
                         "lower case a-z, 0-9, '_' and '-', and 'module' and "
                         "'sku.*' belong to the host; rename it and rebuild",
                         label, shown);
    }
  }
  return LPSA_OK;
}

/* An HTTP header name (RFC 9110 token). */
static int is_header_name(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || strchr("!#$%&'*+-.^_`|~", *s)))
      return 0;
  return 1;
}

/* The 1.1 list of credential headers: read only when the descriptor holds
 * it, and never past LPSA_MAX_SENSITIVE_HEADERS (a missing terminator). */
static int check_sensitive_headers(const lpsa_driver *d, const char *label,
                                   char *err, size_t errlen) {
  if (!LPSA_DRIVER_HAS(d, sensitive_headers) || !d->sensitive_headers)
    return LPSA_OK;
  for (size_t i = 0; d->sensitive_headers[i]; i++) {
    const char *h = d->sensitive_headers[i];
    if (i == LPSA_MAX_SENSITIVE_HEADERS)
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver %s lists more than %d sensitive headers: its "
                         "sensitive_headers array probably lacks the NULL "
                         "terminator; fix it and rebuild the driver",
                         label, LPSA_MAX_SENSITIVE_HEADERS);
    if (strnlen(h, LPSA_MAX_HEADER_NAME + 1) > LPSA_MAX_HEADER_NAME)
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver %s declares a sensitive header name longer "
                         "than %d characters: shorten it and rebuild the "
                         "driver",
                         label, LPSA_MAX_HEADER_NAME);
    if (!is_header_name(h)) {
      char shown[LPSA_MAX_HEADER_NAME + 8];
      loader_printable(h, shown, sizeof shown);
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver %s declares sensitive header \"%s\": a "
                         "header name is letters, digits and "
                         "!#$%%&'*+-.^_`|~, without a colon; fix it and "
                         "rebuild the driver",
                         label, shown);
    }
  }
  return LPSA_OK;
}

static int check_ops(const lpsa_driver *d, const char *label, char *err,
                     size_t errlen) {
  const char *missing = !d->open           ? "open"
                        : !d->close        ? "close"
                        : !d->snapshot     ? "snapshot"
                        : !d->set_quantity ? "set_quantity"
                                           : NULL;
  if (missing)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has no %s operation: every driver must "
                       "provide open, close, snapshot and set_quantity; "
                       "rebuild it or ask its author for a fixed release",
                       label, missing);
  return LPSA_OK;
}

int loader_check_descriptor_as(const lpsa_driver *d, const char *expected_name,
                               const char *label, char *err, size_t errlen) {
  char shown[300];
  loader_printable(label ? label : expected_name, shown, sizeof shown);
  if (!d)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver %s has no descriptor", shown);
  int rc = check_abi(d, shown, err, errlen);
  if (rc == LPSA_OK)
    rc = check_name(d, expected_name, shown, err, errlen);
  if (rc == LPSA_OK)
    rc = check_text(shown, "version", d->version, LOADER_MAX_VERSION, err,
                    errlen);
  if (rc == LPSA_OK)
    rc = check_text(shown, "description", d->description,
                    LOADER_MAX_DESCRIPTION, err, errlen);
  if (rc == LPSA_OK)
    rc = check_terms(d->terms, shown, err, errlen);
  if (rc == LPSA_OK)
    rc = check_keys(d->config_keys, shown, err, errlen);
  if (rc == LPSA_OK)
    rc = check_ops(d, shown, err, errlen);
  if (rc == LPSA_OK)
    rc = check_sensitive_headers(d, shown, err, errlen);
  if (rc == LPSA_OK && err && errlen)
    err[0] = '\0';
  return rc;
}

int loader_check_descriptor(const lpsa_driver *d, const char *expected_name,
                            char *err, size_t errlen) {
  return loader_check_descriptor_as(d, expected_name, NULL, err, errlen);
}
