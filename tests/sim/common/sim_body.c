/* SPDX-License-Identifier: MIT */
/*
 * sim_body.c — bodies sent through content reader callbacks (see sim_body.h).
 * Each reader runs in its connection's own thread (thread per connection),
 * so sleeping in it delays only that client.
 */
#include "sim_body.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct held_body {
  sim_server *srv;
  char *body;
  size_t len;
  size_t chunk;
  long delay_ms;
} held_body;

static void free_held(void *cls) {
  held_body *h = cls;
  free(h->body);
  free(h);
}

static held_body *hold(sim_server *srv, char *body, size_t len) {
  held_body *h = calloc(1, sizeof *h);
  if (!h) {
    free(body);
    return NULL;
  }
  h->srv = srv;
  h->body = body;
  h->len = len;
  return h;
}

static ssize_t read_slow(void *cls, uint64_t pos, char *buf, size_t max) {
  held_body *h = cls;
  if (pos >= h->len)
    return MHD_CONTENT_READER_END_OF_STREAM;
  if (pos > 0 && sim_server_sleep(h->srv, h->delay_ms) != 0)
    return MHD_CONTENT_READER_END_WITH_ERROR;
  size_t n = h->len - (size_t)pos;
  if (n > h->chunk)
    n = h->chunk;
  if (n > max)
    n = max;
  memcpy(buf, h->body + pos, n);
  return (ssize_t)n;
}

struct MHD_Response *sim_body_slow(sim_server *srv, char *body, size_t len,
                                   long chunk_bytes, long delay_ms) {
  held_body *h = hold(srv, body, len);
  if (!h)
    return NULL;
  h->chunk = chunk_bytes > 0 ? (size_t)chunk_bytes : 1;
  h->delay_ms = delay_ms;
  struct MHD_Response *r =
      MHD_create_response_from_callback(len, 1024, read_slow, h, free_held);
  if (!r)
    free_held(h);
  return r;
}

static ssize_t read_cut(void *cls, uint64_t pos, char *buf, size_t max) {
  held_body *h = cls;
  size_t half = h->len / 2;
  if (pos >= half)
    return MHD_CONTENT_READER_END_WITH_ERROR; /* MHD closes the socket */
  size_t n = half - (size_t)pos;
  if (n > max)
    n = max;
  memcpy(buf, h->body + pos, n);
  return (ssize_t)n;
}

struct MHD_Response *sim_body_cut(char *body, size_t len) {
  held_body *h = hold(NULL, body, len);
  if (!h)
    return NULL;
  struct MHD_Response *r =
      MHD_create_response_from_callback(len, 4096, read_cut, h, free_held);
  if (!r)
    free_held(h);
  return r;
}

/* The oversized document: HEAD, n records of exactly REC bytes, FOOT. */
#define OV_HEAD "{\"items\":["
#define OV_FOOT "],\"nextPageToken\":null}"
#define OV_REC 100

typedef struct oversize {
  uint64_t n;
  uint64_t total;
} oversize;

static void record_at(uint64_t i, const oversize *o, char rec[OV_REC + 1]) {
  int k = snprintf(rec, OV_REC + 1, "{\"id\":%010llu,\"pad\":\"",
                   (unsigned long long)(1000000000ULL + i));
  memset(rec + k, 'x', (size_t)(OV_REC - 3 - k));
  memcpy(rec + OV_REC - 3, "\"}", 2);
  rec[OV_REC - 1] = i + 1 == o->n ? ' ' : ',';
  rec[OV_REC] = '\0';
}

static ssize_t read_oversize(void *cls, uint64_t pos, char *buf, size_t max) {
  const oversize *o = cls;
  const uint64_t head = sizeof OV_HEAD - 1, foot = sizeof OV_FOOT - 1;
  size_t done = 0;
  while (done < max && pos < o->total) {
    char rec[OV_REC + 1];
    const char *src;
    uint64_t off, len;
    if (pos < head) {
      src = OV_HEAD, off = pos, len = head;
    } else if (pos < head + o->n * OV_REC) {
      record_at((pos - head) / OV_REC, o, rec);
      src = rec, off = (pos - head) % OV_REC, len = OV_REC;
    } else {
      src = OV_FOOT, off = pos - head - o->n * OV_REC, len = foot;
    }
    size_t k = (size_t)(len - off);
    if (k > max - done)
      k = max - done;
    memcpy(buf + done, src + off, k);
    done += k;
    pos += k;
  }
  return done ? (ssize_t)done : MHD_CONTENT_READER_END_OF_STREAM;
}

struct MHD_Response *sim_body_oversize(long size_mb) {
  oversize *o = calloc(1, sizeof *o);
  if (!o)
    return NULL;
  uint64_t want = (uint64_t)size_mb * 1024 * 1024;
  uint64_t fixed = (sizeof OV_HEAD - 1) + (sizeof OV_FOOT - 1);
  o->n = want > fixed ? (want - fixed) / OV_REC : 0;
  o->total = fixed + o->n * OV_REC;
  struct MHD_Response *r = MHD_create_response_from_callback(
      o->total, 64 * 1024, read_oversize, o, free);
  if (!r)
    free(o);
  return r;
}
