/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c — libFuzzer target for the configuration parser
 * (core/config/config.c) and the driver-section check
 * (core/config/config_driver.c).
 *
 * config_load() reads a path (it checks the file's permissions and resolves
 * relative paths against its directory), so each input is written to a
 * private 0600 file first. Both loads run: with secrets resolved and with
 * CONFIG_LOAD_NO_SECRETS. A loaded configuration's driver sections are then
 * checked against a ConnectWise-like key table, the way lpsa-host does once
 * the driver is loaded.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_driver.h"

static const lpsa_config_key keys[] = {
    {"site", LPSA_KEY_REQUIRED | LPSA_KEY_URL, "API host"},
    {"company_id", LPSA_KEY_REQUIRED, "login company"},
    {"public_key", LPSA_KEY_REQUIRED | LPSA_KEY_SECRET, "public key"},
    {"private_key", LPSA_KEY_SECRET, "private key"},
    {"page_size", 0, "records per page"},
    {NULL, 0, NULL}};

/* A failed load leaves *cfg zeroed and says why. */
static void check_failed(const lpsa_config *cfg, const char *err) {
  static const lpsa_config zero;
  if (memcmp(cfg, &zero, sizeof zero) != 0 || !err[0])
    abort();
}

static void check_drivers(const lpsa_config *cfg) {
  for (size_t i = 0; i < cfg->n_drivers; i++) {
    const config_driver_section *s = &cfg->drivers[i];
    if (!s->name || !s->module || config_driver(cfg, s->name) == NULL)
      abort();
    driver_config dc;
    char err[4096];
    if (config_driver_resolve(cfg, s, NULL, keys, &dc, err, sizeof err) == 0)
      driver_config_free(&dc);
    lpsa_product_ref *refs = NULL;
    size_t n = 0;
    if (config_driver_products(s, &refs, &n) == 0)
      free(refs);
  }
}

static void load(const char *path, unsigned flags) {
  lpsa_config cfg;
  char err[8192];
  if (config_load_flags(path, "/nonexistent/drivers", flags, &cfg, err,
                        sizeof err) != 0) {
    check_failed(&cfg, err);
    return;
  }
  if (!cfg.path || !cfg.dir || !cfg.state_dir || !cfg.lastpass_api_url)
    abort();
  if (!(flags & CONFIG_LOAD_NO_SECRETS) && !cfg.lastpass_api_key)
    abort();
  check_drivers(&cfg);
  config_free(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *tmp = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/lpsa-fuzz-config-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0)
    return 0;
  size_t done = 0;
  while (done < size) {
    ssize_t w = write(fd, data + done, size - done);
    if (w <= 0)
      break;
    done += (size_t)w;
  }
  close(fd);
  if (done == size) {
    load(path, 0);
    load(path, CONFIG_LOAD_NO_SECRETS);
  }
  unlink(path);
  return 0;
}
