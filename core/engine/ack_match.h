/* SPDX-License-Identifier: MIT */
/*
 * ack_match.h — which findings of a run the stored acknowledgements cover
 * (ack.h). Pure.
 */
#ifndef LPSA_CORE_ACK_MATCH_H
#define LPSA_CORE_ACK_MATCH_H

#include <stddef.h>

#include "ack.h"
#include "outcome.h"

/* Give every company finding named by one of `acks` (same LastPass company
 * and code) its finding_ack: ACK_APPLIES when the fingerprint is the same
 * and `as_of` ("YYYY-MM-DD", the run date) is not past its `until`,
 * ACK_EXPIRED when it is, ACK_CHANGED when the fingerprint differs. The
 * acks must be of the run's driver. 0, or -1 when out of memory. */
int acks_match(const ack_record *acks, size_t n, const char *as_of,
               run_result *res);

#endif
