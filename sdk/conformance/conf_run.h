/* SPDX-License-Identifier: MIT */
/*
 * conf_run.h — what one conformance run prepares in the parent process
 * before any test starts: the configuration (read exactly as lpsa-host reads
 * it), the driver file and its section, the products and companies every
 * snapshot requests, the run date and a private temporary directory.
 *
 * The tests run in forked children and only read this.
 */
#ifndef LPSA_CONF_RUN_H
#define LPSA_CONF_RUN_H

#include <stddef.h>

#include "config.h"
#include "lpsa/conformance.h"
#include "lpsa/model.h"
#include "mapping.h"

#define CONF_PATH_MAX 4096

typedef struct conf_run {
  const lpsa_conformance_options *opt;
  lpsa_config cfg;
  int cfg_loaded;
  const config_driver_section *section;
  char driver_path[CONF_PATH_MAX]; /* the file every test loads */
  char expected_name[128];         /* the name its descriptor must carry */
  lpsa_product_ref *products;      /* the section's sku.* products */
  size_t n_products;
  mapping map;              /* [host] mapping_file, when set */
  const char **company_ids; /* distinct: mapping file, then options */
  size_t n_company_ids;
  const char **agreement_ids; /* pinned by the mapping file */
  size_t n_agreement_ids;
  char as_of[11];             /* the run's date, from the host's clock */
  char tmpdir[CONF_PATH_MAX]; /* private; removed after the run */
  unsigned timeout_s;
} conf_run;

/* Prepare `run` from the options. 0, or -1 with one line per problem in err
 * (the suite cannot run). conf_run_free() in every case. */
int conf_run_prepare(conf_run *run, const lpsa_conformance_options *opt,
                     char *err, size_t errlen);
void conf_run_free(conf_run *run);

/* The snapshot request of a sync: every product and requested company, the
 * pinned agreements, the run date, and `flags`. Points into `run`. */
lpsa_snapshot_request conf_run_request(const conf_run *run, unsigned flags);

#endif
