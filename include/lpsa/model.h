/* SPDX-License-Identifier: MIT */
/*
 * lpsa/model.h — the PSA-neutral model a driver fills and the host reads.
 *
 * A PSA is seen as companies, which hold agreements (ConnectWise agreements,
 * Autotask contracts), which hold lines (ConnectWise additions, Autotask
 * contract services) of products (ConnectWise catalog items, Autotask
 * services) with a quantity. The host asks a driver for a snapshot of the part
 * of the PSA that the sync needs and then sets quantities one line at a time.
 *
 * Ownership: every struct in this file is owned by whoever created it. When a
 * driver hands a record to a builder call (see host.h) the host copies every
 * field before the call returns, so the driver may pass pointers to its own
 * stack or to a parsed JSON document it frees right after.
 *
 * Growth: records that cross the boundary start with `size`, which the sender
 * sets to sizeof(the struct) as it knew it. A newer receiver reads only the
 * fields that fit in `size` (LPSA_HAS_FIELD) and treats the rest as zero, so
 * fields are only ever appended. Use the LPSA_INIT() macro to get this
 * right. Each field says the ABI minor that brought it; the rules for every
 * type are under "Growth rules" in lpsa/driver.h.
 *
 * Identifiers are strings (ConnectWise and Autotask use integers on the wire;
 * another PSA may use GUIDs). Dates are ISO "YYYY-MM-DD" strings in the PSA's
 * own calendar, or NULL when unknown.
 */
#ifndef LPSA_MODEL_H
#define LPSA_MODEL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Zero a record and set its size: `lpsa_company c = LPSA_INIT(lpsa_company);`
 * (since 1.0; valid C++ since 1.1). */
#ifdef __cplusplus
#define LPSA_INIT(type) (::lpsa_init_<type>())
#else
#define LPSA_INIT(type) ((type){.size = sizeof(type)})
#endif

/* Does the record `rec` (a pointer to a struct starting with `size`) hold
 * `field`? A receiver asks before reading a field appended after 1.0, and a
 * driver before writing one into a record the host hands it (since 1.1). */
#define LPSA_HAS_FIELD(rec, field)                                             \
  ((rec)->size >=                                                              \
   (size_t)((const char *)&(rec)->field - (const char *)(rec)) +               \
       sizeof((rec)->field))

/* The two LastPass SKUs (reference: LastPass documents exactly these two). */
#define LPSA_SKU_LASTPASS "lastpass"
#define LPSA_SKU_LASTPASS_MFA "lastpass_mfa"

/*
 * A product the host wants read: one value of a `sku.<code> = a, b` key of
 * the driver's configuration section. `ref` is what the person typed: a
 * ConnectWise product identifier, an Autotask service name or id. The driver
 * resolves it against the PSA catalog and reports the result with
 * lpsa_host_api.product_found(); an unresolved product becomes the
 * PRODUCT_NOT_FOUND rule. Frozen (an array).
 */
typedef struct lpsa_product_ref {
  const char *sku; /* since 1.0: LPSA_SKU_LASTPASS or LPSA_SKU_LASTPASS_MFA */
  const char *ref; /* since 1.0: as configured; never NULL or empty */
} lpsa_product_ref;

/* Flags of lpsa_snapshot_request.flags. */
enum {
  /* since 1.0: Emit every company of the PSA, not only the mapped ones
   * (used by `lpsa-host map suggest`). */
  LPSA_SNAPSHOT_ALL_COMPANIES = 1u << 0,
  /* since 1.0: Emit companies only: no agreements, no lines, no product
   * lookup. */
  LPSA_SNAPSHOT_COMPANIES_ONLY = 1u << 1
};

/* What the host asks of driver.snapshot(). All arrays are host-owned and live
 * until snapshot() returns. */
typedef struct lpsa_snapshot_request {
  size_t size; /* since 1.0 */
  /* since 1.0: the mapped products, in config order */
  const lpsa_product_ref *products;
  size_t n_products; /* since 1.0 */
  /* since 1.0: the PSA company ids in the mapping file */
  const char *const *company_ids;
  size_t n_company_ids; /* since 1.0 */
  /* since 1.0: Agreement ids pinned by the mapping file (its agreement_id
   * column). The driver must emit these agreements if they exist and are
   * active, even when it would otherwise filter them out (for example by
   * agreement type). */
  const char *const *agreement_ids;
  size_t n_agreement_ids; /* since 1.0 */
  /* since 1.0: the run's date, "YYYY-MM-DD", in the host's clock */
  const char *as_of;
  unsigned flags; /* since 1.0: LPSA_SNAPSHOT_* */
} lpsa_snapshot_request;

/* A PSA company (ConnectWise company, Autotask company/account). Emit every
 * requested company id that exists, including inactive or deleted ones (set
 * active = 0): the host then says "deleted" rather than "not found". A
 * driver may also emit companies outside the request whose active
 * agreements carry lines of mapped products, with those agreements and
 * lines, when it learns of them at little cost: the host reports them as
 * ORPHAN_BILLING (LastPass billed in the PSA, but not mapped). */
typedef struct lpsa_company {
  size_t size;      /* since 1.0 */
  const char *id;   /* since 1.0: required */
  const char *name; /* since 1.0: as the PSA shows it; may be NULL */
  int active; /* since 1.0: 0: deleted, inactive or otherwise not billable */
} lpsa_company;

/* Billing-period state of an agreement (lpsa_agreement.period). */
typedef enum lpsa_period_state {
  /* since 1.0: The PSA has no billing period to honour when setting a count
   * (ConnectWise: it only sets the count). */
  LPSA_PERIOD_NONE = 0,
  /* since 1.0: period_start/period_end hold the current billing period;
   * changes are made effective at period_start (Autotask's proration
   * bypass). */
  LPSA_PERIOD_CURRENT = 1,
  /* since 1.0: The PSA needs a period but none covers as_of: the contract
   * starts in the future or has ended. The host reports NO_BILLING_PERIOD. */
  LPSA_PERIOD_MISSING = 2
} lpsa_period_state;

/* An active agreement/contract. Drivers emit only agreements that bill now
 * (not cancelled, expired or inactive) and of the configured kind (Autotask:
 * Recurring Service contracts). */
typedef struct lpsa_agreement {
  size_t size;            /* since 1.0 */
  const char *id;         /* since 1.0: required */
  const char *company_id; /* since 1.0: required: an emitted company's id */
  const char *name;       /* since 1.0: may be NULL */
  /* since 1.0: the PSA's agreement/contract type name, or NULL */
  const char *type;
  int prorate; /* since 1.0: 1 when the PSA will prorate a mid-period change */
  lpsa_period_state period; /* since 1.0 */
  /* since 1.0: LPSA_PERIOD_CURRENT: first day of the period */
  const char *period_start;
  /* since 1.0: LPSA_PERIOD_CURRENT: last day of the period */
  const char *period_end;
  /* since 1.0: optional: why period is MISSING, in the PSA's words */
  const char *note;
} lpsa_agreement;

/* A line of a mapped product on an emitted agreement, with its quantity now
 * (Autotask: the units of the ContractServiceUnits row covering as_of). Emit
 * every such line, including several on one agreement: the host turns that
 * into MULTIPLE_PRODUCTS. Do not emit cancelled lines. */
typedef struct lpsa_line {
  size_t size;    /* since 1.0 */
  const char *id; /* since 1.0: required */
  /* since 1.0: required: an emitted agreement's id */
  const char *agreement_id;
  /* since 1.0: index into lpsa_snapshot_request.products */
  size_t product;
  long long quantity;      /* since 1.0: >= 0 */
  const char *description; /* since 1.0: optional, shown in reports */
} lpsa_line;

/* The line the host wants changed, as the snapshot described it. */
typedef struct lpsa_line_ref {
  size_t size;              /* since 1.0 */
  const char *company_id;   /* since 1.0 */
  const char *agreement_id; /* since 1.0 */
  const char *line_id;      /* since 1.0 */
  /* since 1.0: the PSA product id the line must still carry */
  const char *product_id;
  /* since 1.0: the agreement's period_start, or NULL */
  const char *period_start;
  const char *as_of; /* since 1.0: the run's date */
} lpsa_line_ref;

/* What set_quantity() observed and did. The host sets size; the driver
 * writes a field appended after 1.0 only when LPSA_HAS_FIELD(out, field). */
typedef struct lpsa_set_result {
  size_t size;      /* since 1.0 */
  long long before; /* since 1.0: the quantity re-read right before writing */
  /* since 1.0: the quantity read back after writing (or before) */
  long long after;
  int wrote; /* since 1.0: 1 if a write request was sent and accepted */
  /* since 1.1: 1 when `after` was read from the PSA after a write that was
   * accepted or whose answer was lost. The host then trusts `after`:
   * after == target is success; after == before means the PSA did not apply
   * the write as documented (the host never writes that line again in the
   * same billing period and asks a person to check it); any other value
   * means another writer changed the line (the host stops writing for the
   * rest of the run). */
  int verified;
} lpsa_set_result;

/* Kinds of lpsa_note (since 1.1). A host treats a kind it does not know as
 * LPSA_NOTE_BAD_RECORD, the safe reading, so new kinds may be appended. */
typedef enum lpsa_note_kind {
  /* A record of this company cannot be billed safely as read: a null or
   * fractional quantity, a missing product reference, a units row without
   * units. The host makes the company an error (rule BAD_PSA_RECORD, the
   * note's message shown as is) and writes none of its lines; the rest of
   * the run goes on. Emit it instead of failing the whole snapshot, which
   * is for a picture that cannot be trusted as a whole (truncated pages,
   * paging loops, duplicate ids). */
  LPSA_NOTE_BAD_RECORD = 1, /* since 1.1 */
  /* The agreement's current billing period was already adjusted after its
   * start (Autotask: a ContractServiceUnits row starting mid-period). Shown
   * as information (rule MID_PERIOD_ADJUSTED) with the note's message; the
   * line is still synced. */
  LPSA_NOTE_MID_PERIOD = 2 /* since 1.1 */
} lpsa_note_kind;

/* Something a driver found about one company that the host must tell the
 * person (since 1.1; see lpsa_host_api.add_note). */
typedef struct lpsa_note {
  size_t size;         /* since 1.1 */
  lpsa_note_kind kind; /* since 1.1 */
  /* since 1.1: required: an emitted company's id */
  const char *company_id;
  /* since 1.1: optional: an emitted agreement's id */
  const char *agreement_id;
  /* since 1.1: optional: the line concerned, emitted or not */
  const char *line_id;
  /* since 1.1: required: one line in the PSA's words, saying what was found
   * and what a person should do */
  const char *message;
} lpsa_note;

#ifdef __cplusplus
}

/* LPSA_INIT's C++ form: a value-initialised (zeroed) record with its size
 * set, as the C compound literal gives. */
template <typename T> inline T lpsa_init_() {
  T rec = T();
  rec.size = sizeof(T);
  return rec;
}
#endif

#endif
