/* SPDX-License-Identifier: MIT */
/*
 * sim_body.h — response bodies produced through MHD content reader callbacks,
 * for the faults that misbehave while the body is on the wire: slow bodies,
 * connections cut short and oversized documents.
 */
#ifndef LPSA_SIM_BODY_H
#define LPSA_SIM_BODY_H

#include <microhttpd.h>
#include <stddef.h>

#include "sim_internal.h"

/* `body` (malloc'd; taken over, even on failure) sent in chunks of
 * `chunk_bytes` with `delay_ms` between them. NULL on allocation failure. */
struct MHD_Response *sim_body_slow(sim_server *srv, char *body, size_t len,
                                   long chunk_bytes, long delay_ms);
/* Announces `len` bytes, sends the first half of `body` (taken over) and then
 * makes MHD close the connection. */
struct MHD_Response *sim_body_cut(char *body, size_t len);
/* A valid JSON document {"items":[{"id":..,"pad":".."},...],
 * "nextPageToken":null} of about `size_mb` MiB, generated as it is sent. */
struct MHD_Response *sim_body_oversize(long size_mb);

#endif
