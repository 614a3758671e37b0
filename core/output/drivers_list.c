/* SPDX-License-Identifier: MIT */
/*
 * drivers_list.c — printing the driver listing (loader_scan()) as an aligned
 * table or as JSON. The scan has already made every string printable (no
 * control characters), so the table stays one line per file.
 */
#include "drivers_list.h"

#include <string.h>

/* ---- JSON --------------------------------------------------------------- */

static void json_str(FILE *out, const char *s) {
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(out, "\\u%04x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

static void json_driver(FILE *out, const loader_entry *e) {
  fputs("{\"name\":", out);
  json_str(out, e->name);
  fputs(",\"version\":", out);
  json_str(out, e->version);
  fprintf(out, ",\"abi\":\"%u.%u\",\"description\":", e->abi_major,
          e->abi_minor);
  json_str(out, e->description);
  fputs(",\"path\":", out);
  json_str(out, e->path);
  fputc('}', out);
}

static void json_refused(FILE *out, const loader_entry *e) {
  fputs("{\"path\":", out);
  json_str(out, e->path);
  fputs(",\"reason\":", out);
  json_str(out, e->reason);
  fputc('}', out);
}

static void write_json(FILE *out, const loader_listing *l,
                       const char *const *dirs, size_t n_dirs) {
  fputs("{\"drivers\":[", out);
  for (size_t i = 0, k = 0; i < l->n; i++)
    if (l->entries[i].ok) {
      fputs(k++ ? "," : "", out);
      json_driver(out, &l->entries[i]);
    }
  fputs("],\"refused\":[", out);
  for (size_t i = 0, k = 0; i < l->n; i++)
    if (!l->entries[i].ok) {
      fputs(k++ ? "," : "", out);
      json_refused(out, &l->entries[i]);
    }
  fputs("],\"searched\":[", out);
  for (size_t i = 0, k = 0; i < n_dirs; i++)
    if (dirs[i] && *dirs[i]) {
      fputs(k++ ? "," : "", out);
      json_str(out, dirs[i]);
    }
  fputs("]}\n", out);
}

/* ---- table -------------------------------------------------------------- */

enum { COL_NAME, COL_VERSION, COL_ABI, COL_DESCRIPTION, COL_PATH, N_COLS };

static void widths(const loader_listing *l, int w[N_COLS]) {
  static const char *const heads[N_COLS] = {"NAME", "VERSION", "ABI",
                                            "DESCRIPTION", "PATH"};
  for (int c = 0; c < N_COLS; c++)
    w[c] = (int)strlen(heads[c]);
  for (size_t i = 0; i < l->n; i++) {
    const loader_entry *e = &l->entries[i];
    if (!e->ok)
      continue;
    const size_t len[N_COLS] = {strlen(e->name), strlen(e->version), 3,
                                strlen(e->description), strlen(e->path)};
    for (int c = 0; c < N_COLS; c++)
      if ((int)len[c] > w[c])
        w[c] = (int)len[c];
  }
}

static void write_searched(FILE *out, const char *const *dirs, size_t n) {
  for (size_t i = 0, k = 0; i < n; i++)
    if (dirs[i] && *dirs[i])
      fprintf(out, "%s%s", k++ ? ", " : "", dirs[i]);
}

static void write_table(FILE *out, const loader_listing *l,
                        const char *const *dirs, size_t n_dirs) {
  if (l->n_ok) {
    int w[N_COLS];
    widths(l, w);
    fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", w[0], "NAME", w[1], "VERSION",
            w[2], "ABI", w[3], "DESCRIPTION", "PATH");
    for (size_t i = 0; i < l->n; i++) {
      const loader_entry *e = &l->entries[i];
      if (!e->ok)
        continue;
      char abi[24];
      snprintf(abi, sizeof abi, "%u.%u", e->abi_major, e->abi_minor);
      fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", w[0], e->name, w[1],
              e->version, w[2], abi, w[3], e->description, e->path);
    }
  } else {
    fputs("No driver loads from the driver path.\n", out);
  }
  if (l->n > l->n_ok) {
    fprintf(out, "%sRefused:\n", l->n_ok ? "\n" : "");
    for (size_t i = 0; i < l->n; i++)
      if (!l->entries[i].ok)
        fprintf(out, "  %s\n", l->entries[i].reason);
  }
  fputs("\nSearched: ", out);
  write_searched(out, dirs, n_dirs);
  fputs(n_dirs ? "\n" : "(driver_path is empty)\n", out);
}

int drivers_list_write(FILE *out, const loader_listing *l,
                       const char *const *dirs, size_t n_dirs, int json) {
  if (json)
    write_json(out, l, dirs, n_dirs);
  else
    write_table(out, l, dirs, n_dirs);
  return l->n_ok ? 0 : 1;
}

int drivers_list_print(FILE *out, const char *const *dirs, size_t n_dirs,
                       int json) {
  loader_listing l;
  int rc = loader_scan(dirs, n_dirs, 0, &l);
  if (rc != LPSA_OK) {
    loader_listing_free(&l);
    return -1;
  }
  rc = drivers_list_write(out, &l, dirs, n_dirs, json);
  loader_listing_free(&l);
  return rc;
}
