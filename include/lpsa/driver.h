/* SPDX-License-Identifier: MIT */
/*
 * lpsa/driver.h — the driver ABI: what a PSA driver exports and the host
 * calls.
 *
 * A driver is a shared object named <name>.so in one of the host's
 * driver_path directories. It exports exactly one symbol, LPSA_DRIVER_ENTRY
 * ("lpsa_driver_entry"), a function returning a pointer to a constant
 * descriptor (lpsa_driver). Build everything else with hidden visibility.
 * LPSA_DRIVER_DEFINE() writes both, filling in the magic, the ABI numbers
 * and struct_size from the headers it is compiled with:
 *
 *     LPSA_DRIVER_DEFINE(
 *         .name = "mypsa", .version = "1.0.0",
 *         .description = "MyPSA contracts, through its REST API",
 *         .terms = &my_terms, .config_keys = my_keys,
 *         .open = my_open, .close = my_close, .snapshot = my_snapshot,
 *         .set_quantity = my_set_quantity, .check = my_check,
 *         .sensitive_headers = my_headers);
 *
 * A descriptor spelled out by hand (a static const lpsa_driver with .magic,
 * .abi_major, .abi_minor and .struct_size set, and an LPSA_EXPORT function
 * lpsa_driver_entry returning it) is just as good.
 *
 * The host refuses a driver, with one line saying why, when: the entry symbol
 * is missing; magic differs; abi_major differs from the host's; abi_minor is
 * newer than the host's; struct_size is not the size of the descriptor for
 * that minor; name differs (case-insensitively) from the file name; name,
 * version, description or a required operation is empty or NULL; a
 * sensitive header name is not an HTTP header name.
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
 *     lpsa_host_api, or fields appended to a record. A host loads drivers
 *     of its minor or older; a driver may use a newer host. Every member
 *     says in its comment the minor that brought it ("since 1.1").
 *
 * Growth rules — how each type may change within a major, and what an older
 * host or an older driver does with what it does not know:
 *   - lpsa_driver (struct_size, "the descriptor"): members are appended.
 *     struct_size must be the size ABI 1.<abi_minor> gives it, so a host
 *     reads only the members of the driver's minor and treats the others as
 *     absent (LPSA_DRIVER_HAS).
 *   - lpsa_host_api (struct_size): members are appended; a driver checks
 *     LPSA_HOST_HAS(api, member) before calling one newer than 1.0, and
 *     refuses at open() a host lacking what it cannot do without.
 *   - Records with `size` (lpsa_http_request, lpsa_http_pace,
 *     lpsa_snapshot_request, lpsa_company, lpsa_agreement, lpsa_line,
 *     lpsa_line_ref, lpsa_set_result, lpsa_note): fields are appended. The
 *     sender sets size to sizeof the struct it was built with (LPSA_INIT);
 *     the receiver reads a field only when LPSA_HAS_FIELD(rec, field) and
 *     treats the rest as zero. A record the host hands a driver to fill
 *     (lpsa_set_result) is written only where LPSA_HAS_FIELD says it exists.
 *   - Frozen, never to grow: lpsa_http_response (the host writes it whole;
 *     a later minor adds a call instead), and the types passed in arrays,
 *     whose stride the other side fixes at build time: lpsa_config_key,
 *     lpsa_config_value, lpsa_product_ref. lpsa_terms is frozen too (it has
 *     no size); more words would come as a new descriptor member.
 *   - lpsa_status: codes are appended before LPSA_STATUS_COUNT_. A host
 *     treats a code it does not know as a failure of that operation, never
 *     retried, named "unknown status" by status_str(); so a driver returns
 *     a code newer than 1.0 only to a host whose abi_minor has it. A driver
 *     treats any status but LPSA_OK that a host call returns as a failure
 *     of that call, known to it or not.
 *   - lpsa_note_kind: kinds are appended; a host reads a kind it does not
 *     know as LPSA_NOTE_BAD_RECORD (the company is not written), the safe
 *     reading.
 *   - lpsa_period_state: states are appended; a host refuses a snapshot
 *     with a state it does not know (the run stops before any write), so a
 *     driver uses a newer state only with a host of that minor.
 *   - lpsa_log_level: levels are appended; a host logs an unknown level as
 *     LPSA_LOG_ERROR.
 *   - Flags (LPSA_KEY_*, LPSA_HTTP_*, LPSA_SNAPSHOT_*): bits are appended. A
 *     host ignores key and request flags it does not know, so a new flag
 *     may only ask for something a driver can live without (or the driver
 *     checks the host's abi_minor). A driver ignores snapshot flags it does
 *     not know, or answers LPSA_ERR_UNSUPPORTED; a host sets a flag newer
 *     than the driver's abi_minor only when ignoring it is safe.
 *
 * Changelog
 *   1.0  (lpsa 0.1.0) first version: descriptor with open, close, snapshot,
 *        set_quantity, check; host table with log, http, http_many,
 *        http_release, http_header, url_escape, now, add_company,
 *        add_agreement, add_line, product_found, check_item, status_str.
 *   1.1  (lpsa 0.2.0)
 *        - host table: add_note (lpsa_note: a company a record of which
 *          cannot be billed safely, or whose period was adjusted
 *          mid-period); lpsa_set_result.verified.
 *        - host table: http_pace (lpsa_http_pace: at most N requests of a
 *          concurrency group per rolling window, the group held after a
 *          429; for PSAs limited per minutes, such as HaloPSA).
 *        - host table: concurrent_writes (an instance whose set_quantity
 *          may run on several threads at once: the host applies in
 *          parallel).
 *        - descriptor: sensitive_headers (the driver's own credential
 *          headers, which the host redacts); the descriptor grew, so 1.1
 *          descriptors are larger than 1.0 ones.
 *        - source only, no change to the binary interface: LPSA_DRIVER_DEFINE,
 *          LPSA_HAS_FIELD, LPSA_DRIVER_HAS, LPSA_ERRLEN, lpsa_driver_ctx as
 *          an opaque struct (it was void), LPSA_INIT usable from C++.
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

/* The size of the err buffer the host hands every operation (errlen is at
 * least this; since 1.0, named since 1.1). One line that fits is enough. */
#define LPSA_ERRLEN 256

/* Most sensitive header names a descriptor may declare, and the longest
 * name (since 1.1). */
#define LPSA_MAX_SENSITIVE_HEADERS 32
#define LPSA_MAX_HEADER_NAME 64

/* Flags of lpsa_config_key.flags (see "Growth rules" above). */
enum {
  LPSA_KEY_REQUIRED = 1u << 0, /* since 1.0: the section must set it */
  /* since 1.0: a credential: accepts env:NAME, file:PATH or a literal,
   * which the host resolves before open(); the value is redacted
   * everywhere; a literal is refused when the config file is readable by
   * group or others. */
  LPSA_KEY_SECRET = 1u << 1,
  /* since 1.0: a URL: must be https://, or http:// to a loopback host
   * only. */
  LPSA_KEY_URL = 1u << 2
};

/* One key the driver accepts in its [driver.NAME] section. The host rejects
 * any other key with the file and line, so drivers never see typos, and
 * checks the flags before open(): a driver need not check again that a
 * required key is set or that a URL key is https://. The keys `module` and
 * `sku.<code>` are the host's and must not be listed. Frozen (an array). */
typedef struct lpsa_config_key {
  const char *name; /* since 1.0: exact, lower case */
  unsigned flags;   /* since 1.0: LPSA_KEY_* */
  /* since 1.0: one line, shown by `lpsa-host drivers --keys` and errors */
  const char *help;
} lpsa_config_key;

/* One configured value handed to open(), secrets already resolved. Frozen
 * (an array). */
typedef struct lpsa_config_value {
  const char *key;   /* since 1.0 */
  const char *value; /* since 1.0 */
  int line;          /* since 1.0: line in the config file, for messages; 0 if
                        defaulted */
} lpsa_config_value;

/* The PSA's own words, so that every message the host writes speaks as the
 * PSA does ("agreement"/"addition" for ConnectWise, "contract"/"service" for
 * Autotask). Singular, lower case. Frozen (it has no size). */
typedef struct lpsa_terms {
  const char *psa;       /* since 1.0: "ConnectWise PSA" */
  const char *company;   /* since 1.0: "company" */
  const char *agreement; /* since 1.0: "agreement" | "contract" */
  const char *line;      /* since 1.0: "addition" | "contract service" */
  const char *product;   /* since 1.0: "product" | "service" */
} lpsa_terms;

/* A driver instance, opaque to the host (since 1.0; a struct since 1.1, it
 * was void: the same pointer on the wire). A driver defines
 * `struct lpsa_driver_ctx { ... };` as its instance, or converts its own
 * type's pointer. */
typedef struct lpsa_driver_ctx lpsa_driver_ctx;

typedef struct lpsa_driver {
  uint32_t magic;          /* since 1.0: LPSA_DRIVER_MAGIC */
  uint16_t abi_major;      /* since 1.0: LPSA_ABI_MAJOR built against */
  uint16_t abi_minor;      /* since 1.0: LPSA_ABI_MINOR built against */
  uint32_t struct_size;    /* since 1.0: sizeof(lpsa_driver) built with */
  const char *name;        /* since 1.0: the file name without ".so" */
  const char *version;     /* since 1.0: the driver's own release, "1.0.0" */
  const char *description; /* since 1.0: one line */
  const lpsa_terms *terms; /* since 1.0: required */
  /* since 1.0: terminated by {NULL}; required */
  const lpsa_config_key *config_keys;

  /* since 1.0: Create an instance. `config` holds the section's values
   * (secrets resolved, only keys from config_keys, the flags checked).
   * `api` and `host` stay valid until close(). On failure return a status,
   * write a one-line message into err (always NUL-terminated; errlen >=
   * LPSA_ERRLEN) and leave *out untouched. Must not touch the network:
   * check() and snapshot() do that. */
  int (*open)(const lpsa_host_api *api, lpsa_host *host,
              const lpsa_config_value *config, size_t n_config,
              lpsa_driver_ctx **out, char *err, size_t errlen);

  /* since 1.0: Release an instance. NULL is a no-op. */
  void (*close)(lpsa_driver_ctx *ctx);

  /* since 1.0: Read the part of the PSA the request describes into `snap`,
   * through the builder calls of the host table. Read-only. On failure the
   * host discards the snapshot and aborts the run before any write, so a
   * driver must fail rather than emit a partial picture. */
  int (*snapshot)(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *request,
                  lpsa_snapshot *snap, char *err, size_t errlen);

  /* since 1.0: Set one line's quantity to the absolute `target`, as of
   * line->as_of. The driver re-reads the line first: if it already equals
   * target it writes nothing (out->wrote = 0); otherwise it writes and
   * verifies. For a PSA whose API takes deltas, the delta is computed from
   * that fresh re-read, never from the snapshot, so a re-run after a crash
   * cannot apply a change twice. LPSA_ERR_CONFLICT when the line no longer
   * carries line->product_id or no longer exists on the agreement. On
   * failure, set out->wrote = 1 when a write may have reached the PSA
   * (accepted but not verified, or its answer lost): the host then
   * re-checks the line at the start of the next run instead of reporting
   * that nothing changed. */
  int (*set_quantity)(lpsa_driver_ctx *ctx, const lpsa_line_ref *line,
                      long long target, lpsa_set_result *out, char *err,
                      size_t errlen);

  /* since 1.0: Verify credentials, reachability and the permissions the
   * sync needs, reporting each item with api->check_item(). Returns LPSA_OK
   * when every item passed. May be NULL (the host then reports "not
   * supported"). */
  int (*check)(lpsa_driver_ctx *ctx, char *err, size_t errlen);

  /* since 1.1: The request headers whose values are credentials in this
   * PSA ("ApiIntegrationCode", "X-Session-Token"), NULL-terminated; or
   * NULL. The host learns each value as the request is sent and hides it,
   * raw or encoded, from every log line, report, journal entry and
   * notification; a debug log shows the header as "Name: ***". The host
   * already counts its own (Authorization, Proxy-Authorization, Cookie)
   * and the value of every LPSA_KEY_SECRET key. At most
   * LPSA_MAX_SENSITIVE_HEADERS names, each an HTTP header name (a token:
   * letters, digits and !#$%&'*+-.^_`|~, no colon) of at most
   * LPSA_MAX_HEADER_NAME characters; compared without case. */
  const char *const *sensitive_headers;
} lpsa_driver;

/* Does descriptor `d` hold `member`? For hosts and tools reading a
 * descriptor of an older minor (since 1.1). */
#define LPSA_DRIVER_HAS(d, member)                                             \
  ((size_t)(d)->struct_size >=                                                 \
   offsetof(lpsa_driver, member) + sizeof(((lpsa_driver *)0)->member))

/* The type of the exported entry function. */
typedef const lpsa_driver *(*lpsa_driver_entry_fn)(void);

#ifdef __cplusplus
#define LPSA_EXTERN_C extern "C"
#else
#define LPSA_EXTERN_C
#endif

/*
 * LPSA_DRIVER_DEFINE(.name = ..., .version = ..., ...) (since 1.1): the
 * descriptor, with magic, abi_major, abi_minor and struct_size taken from
 * these headers, and the exported lpsa_driver_entry() returning it. Give
 * the other members as designated initializers; those left out are NULL.
 * Use it once, at file scope, in one source file of the driver, followed
 * by a semicolon. C, or C++20 with the members in declaration order.
 */
#define LPSA_DRIVER_DEFINE(...)                                                \
  static const lpsa_driver lpsa_driver_descriptor_ = {                         \
      .magic = LPSA_DRIVER_MAGIC,                                              \
      .abi_major = LPSA_ABI_MAJOR,                                             \
      .abi_minor = LPSA_ABI_MINOR,                                             \
      .struct_size = sizeof(lpsa_driver),                                      \
      __VA_ARGS__};                                                            \
  LPSA_EXTERN_C LPSA_EXPORT const lpsa_driver *lpsa_driver_entry(void);        \
  LPSA_EXTERN_C const lpsa_driver *lpsa_driver_entry(void) {                   \
    return &lpsa_driver_descriptor_;                                           \
  }                                                                            \
  struct lpsa_driver_define_needs_a_semicolon_

#ifdef __cplusplus
}
#endif

#endif
