/* SPDX-License-Identifier: MIT */
/*
 * config_driver.h — check a [driver.NAME] section against the keys the
 * loaded driver declares (lpsa_driver.config_keys) and build the values
 * handed to driver.open().
 *
 * config.c keeps a driver section raw because the keys a driver accepts are
 * only known once the driver is loaded. Here every key is checked:
 *   - a key the driver does not declare is refused with its line, a "did you
 *     mean" or the list of keys the driver accepts;
 *   - a LPSA_KEY_REQUIRED key that is absent or empty is refused;
 *   - a LPSA_KEY_SECRET value is resolved (env:/file:/literal, secret.h); a
 *     literal is refused when the config file is readable by group or
 *     others;
 *   - a LPSA_KEY_URL value must be https://, or http:// to loopback.
 * The host-owned keys (module, sku.*) never reach the driver.
 */
#ifndef LPSA_CORE_CONFIG_DRIVER_H
#define LPSA_CORE_CONFIG_DRIVER_H

#include <stddef.h>

#include "config.h"
#include "lpsa/driver.h"
#include "lpsa/model.h"
#include "secret.h"

/* What driver.open() gets: values[i].key is the driver's own spelling of the
 * key, values[i].value is resolved, values[i].line is the config line.
 * Keys the section does not set are absent (the driver applies its own
 * defaults). Everything is owned by this struct. */
typedef struct driver_config {
  lpsa_config_value *values;
  size_t n_values;
  /* The resolved secrets among values; register them with the logger. */
  secret_list secrets;
} driver_config;

/* Check `section` (NULL when the file has no [driver.NAME] section) against
 * `keys` (terminated by {NULL}) of the driver called `driver_name` (used in
 * messages; NULL: section->module). Returns 0 and fills *out, or -1 with
 * every problem, one per line ("FILE:LINE: what is wrong; what to do"), in
 * err, leaving *out zeroed. */
int config_driver_resolve(const lpsa_config *cfg,
                          const config_driver_section *section,
                          const char *driver_name, const lpsa_config_key *keys,
                          driver_config *out, char *err, size_t errlen);

/* Free what config_driver_resolve() built and zero *dc. Secrets are wiped. */
void driver_config_free(driver_config *dc);

/* The products of the section's sku.* keys, LastPass first then LastPass +
 * MFA, in file order: a new array (the caller frees it) whose strings point
 * into `section`. *n = 0 and *out = NULL when none. 0, or -1 when out of
 * memory. */
int config_driver_products(const config_driver_section *section,
                           lpsa_product_ref **out, size_t *n);

#endif
