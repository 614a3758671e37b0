/*
 * lpsa/driver.h — the driver ABI: what a PSA driver exports and the host
 * calls.
 *
 * A driver is a shared object named <name>.so in one of the host's
 * driver_path directories. It exports exactly one symbol, LPSA_DRIVER_ENTRY
 * ("lpsa_driver_entry"), a function returning a pointer to a constant
 * descriptor (lpsa_driver). Build everything else with hidden visibility.
 *
 *     static const lpsa_driver descriptor = {
 *         .magic = LPSA_DRIVER_MAGIC,
 *         .abi_major = LPSA_ABI_MAJOR, .abi_minor = LPSA_ABI_MINOR,
 *         .struct_size = sizeof(lpsa_driver),
 *         .name = "mypsa", .version = "1.0.0",
 *         .description = "MyPSA contracts, through its REST API",
 *         .terms = &my_terms, .config_keys = my_keys,
 *         .open = my_open, .close = my_close, .snapshot = my_snapshot,
 *         .set_quantity = my_set_quantity, .check = my_check,
 *     };
 *     LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void) {
 *       return &descriptor;
 *     }
 *
 * The host refuses a driver, with one line saying why, when: the entry symbol
 * is missing; magic differs; abi_major differs from the host's; abi_minor is
 * newer than the host's; struct_size is not the size of the descriptor for
 * that minor; name differs (case-insensitively) from the file name; name,
 * version, description or a required operation is empty or NULL.
 *
 * Calling sequence, all from one thread:
 *     open -> (snapshot | set_quantity | check)* -> close
 * except that an instance which called api->concurrent_writes() in open()
 * has its set_quantity() calls of one run made from several threads at
 * once (each for a different company and agreement; nothing else runs
 * meanwhile), so its writes go out in parallel.
 * A host may open, use and close a driver many times in one process.
 *
 * Versioning (like Apache's MODULE_MAGIC_NUMBER_MAJOR/MINOR):
 *   - MAJOR changes when an existing member changes meaning, type or place.
 *     A host loads only drivers of its own major.
 *   - MINOR changes when members are appended to lpsa_driver or
 *     lpsa_host_api, or fields appended to a model record. A host loads
 *     drivers of its minor or older; a driver may use a newer host.
 *
 * Changelog
 *   1.0  (lpsa 0.1.0) first version: descriptor with open, close, snapshot,
 *        set_quantity, check; host table with log, http, http_many,
 *        http_release, http_header, url_escape, now, add_company,
 *        add_agreement, add_line, product_found, check_item, status_str.
 *   1.1  (lpsa 0.2.0) host table: add_note (lpsa_note: a company a record of
 *        which cannot be billed safely, or whose period was adjusted
 *        mid-period); lpsa_set_result.verified. The descriptor is unchanged.
 *        host table: http_pace (lpsa_http_pace: at most N requests of a
 *        concurrency group per rolling window, the group held after a 429;
 *        for PSAs limited per minutes, such as HaloPSA).
 *        host table: concurrent_writes (an instance whose set_quantity may
 *        run on several threads at once: the host applies in parallel).
 */
#ifndef LPSA_DRIVER_H
#define LPSA_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "lpsa/host.h"
#include "lpsa/model.h"
#include "lpsa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LPSA_DRIVER_MAGIC 0x4C505341u /* "LPSA" */
#define LPSA_ABI_MAJOR 1
#define LPSA_ABI_MINOR 1

/* The one exported symbol. */
#define LPSA_DRIVER_ENTRY "lpsa_driver_entry"

#if defined(__GNUC__)
#define LPSA_EXPORT __attribute__((visibility("default")))
#else
#define LPSA_EXPORT
#endif

/* Flags of lpsa_config_key.flags. */
enum {
  LPSA_KEY_REQUIRED = 1u << 0, /* the section must set it */
  /* A credential: accepts env:NAME, file:PATH or a literal, which the host
   * resolves before open(); the value is redacted everywhere; a literal is
   * refused when the config file is readable by group or others. */
  LPSA_KEY_SECRET = 1u << 1,
  /* A URL: must be https://, or http:// to a loopback host only. */
  LPSA_KEY_URL = 1u << 2
};

/* One key the driver accepts in its [driver.NAME] section. The host rejects
 * any other key with the file and line, so drivers never see typos. The keys
 * `module` and `sku.<code>` are the host's and must not be listed. */
typedef struct lpsa_config_key {
  const char *name; /* exact, lower case */
  unsigned flags;   /* LPSA_KEY_* */
  const char *help; /* one line, shown by `lpsa-host drivers --keys`/errors */
} lpsa_config_key;

/* One configured value handed to open(), secrets already resolved. */
typedef struct lpsa_config_value {
  const char *key;
  const char *value;
  int line; /* line in the config file, for messages; 0 if defaulted */
} lpsa_config_value;

/* The PSA's own words, so that every message the host writes speaks as the
 * PSA does ("agreement"/"addition" for ConnectWise, "contract"/"service" for
 * Autotask). Singular, lower case. */
typedef struct lpsa_terms {
  const char *psa;       /* "ConnectWise PSA" */
  const char *company;   /* "company" */
  const char *agreement; /* "agreement" | "contract" */
  const char *line;      /* "addition" | "contract service" */
  const char *product;   /* "product" | "service" */
} lpsa_terms;

/* A driver instance, opaque to the host. */
typedef void lpsa_driver_ctx;

typedef struct lpsa_driver {
  uint32_t magic;          /* LPSA_DRIVER_MAGIC */
  uint16_t abi_major;      /* LPSA_ABI_MAJOR the driver was built against */
  uint16_t abi_minor;      /* LPSA_ABI_MINOR the driver was built against */
  uint32_t struct_size;    /* sizeof(lpsa_driver) the driver was built with */
  const char *name;        /* equals the file name without ".so" */
  const char *version;     /* the driver's own release, "1.0.0" */
  const char *description; /* one line */
  const lpsa_terms *terms; /* required */
  const lpsa_config_key *config_keys; /* terminated by {NULL}; required */

  /* Create an instance. `config` holds the section's values (secrets
   * resolved, only keys from config_keys). `api` and `host` stay valid until
   * close(). On failure return a status, write a one-line message into err
   * (always NUL-terminated; errlen >= 256) and leave *out untouched. Must not
   * touch the network: check() and snapshot() do that. */
  int (*open)(const lpsa_host_api *api, lpsa_host *host,
              const lpsa_config_value *config, size_t n_config,
              lpsa_driver_ctx **out, char *err, size_t errlen);

  /* Release an instance. NULL is a no-op. */
  void (*close)(lpsa_driver_ctx *ctx);

  /* Read the part of the PSA the request describes into `snap`, through the
   * builder calls of the host table. Read-only. On failure the host discards
   * the snapshot and aborts the run before any write, so a driver must fail
   * rather than emit a partial picture. */
  int (*snapshot)(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *request,
                  lpsa_snapshot *snap, char *err, size_t errlen);

  /* Set one line's quantity to the absolute `target`, as of line->as_of.
   * The driver re-reads the line first: if it already equals target it
   * writes nothing (out->wrote = 0); otherwise it writes and verifies. For a
   * PSA whose API takes deltas, the delta is computed from that fresh
   * re-read, never from the snapshot, so a re-run after a crash cannot apply
   * a change twice. LPSA_ERR_CONFLICT when the line no longer carries
   * line->product_id or no longer exists on the agreement. On failure, set
   * out->wrote = 1 when a write may have reached the PSA (accepted but not
   * verified, or its answer lost): the host then re-checks the line at the
   * start of the next run instead of reporting that nothing changed. */
  int (*set_quantity)(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                      long long target, lpsa_set_result *out, char *err,
                      size_t errlen);

  /* Verify credentials, reachability and the permissions the sync needs,
   * reporting each item with api->check_item(). Returns LPSA_OK when every
   * item passed. May be NULL (the host then reports "not supported"). */
  int (*check)(lpsa_driver_ctx *ctx, char *err, size_t errlen);
} lpsa_driver;

/* The type of the exported entry function. */
typedef const lpsa_driver *(*lpsa_driver_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif
