/* SPDX-License-Identifier: MIT */
/*
 * lpsa/status.h — the status codes that cross the driver boundary.
 *
 * Every driver operation returns one of these codes and, on failure, writes a
 * one-line human message into the caller's buffer. The host turns the code into
 * an exit code and a rule (WRITE_FAILED, an aborted run...), and shows the
 * message to the person. The host services table offers status_str() to name a
 * code; drivers never need to link against the host to do so.
 *
 * Codes are only appended (before LPSA_STATUS_COUNT_). A host treats a code
 * it does not know as a failure of the operation that returned it, never
 * retried; see "Growth rules" in lpsa/driver.h.
 */
#ifndef LPSA_STATUS_H
#define LPSA_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lpsa_status {
  /* All since 1.0. */
  LPSA_OK = 0,
  LPSA_ERR_INVALID = 1,    /* bad argument or bad configuration value */
  LPSA_ERR_AUTH = 2,       /* the remote rejected the credentials */
  LPSA_ERR_PERMISSION = 3, /* authenticated, but the account lacks a right */
  LPSA_ERR_NOT_FOUND = 4,  /* the record asked for does not exist (any more) */
  LPSA_ERR_CONFLICT = 5,   /* the record changed under us: not written */
  LPSA_ERR_NETWORK = 6,    /* no answer: refused, reset, timed out, TLS */
  LPSA_ERR_REMOTE = 7,     /* the remote answered with an error (5xx, 4xx) */
  LPSA_ERR_PROTOCOL = 8,   /* the answer is not what the API documents */
  LPSA_ERR_NOMEM = 9,      /* an allocation failed */
  LPSA_ERR_UNSUPPORTED = 10,  /* the operation or option is not supported */
  LPSA_ERR_RATE_LIMITED = 11, /* still throttled after every allowed retry */
  LPSA_ERR_TOO_LARGE = 12,    /* an answer exceeded the host's size cap */
  LPSA_STATUS_COUNT_ = 13     /* not a status: one past the last code */
} lpsa_status;

#ifdef __cplusplus
}
#endif

#endif
