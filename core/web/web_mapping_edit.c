/* SPDX-License-Identifier: MIT */
/*
 * web_mapping_edit.c — one row edited in place, checked by the CLI's
 * parser, backed up, written atomically.
 */
#include "web_mapping_edit.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "mapping.h"

#define MAX_BYTES (16 * 1024 * 1024)

enum { C_LASTPASS, C_PSA, C_AGREEMENT, C_NOTE, N_COLS };
static const char *const col_names[N_COLS] = {
    "lastpass_company_id", "psa_company_id", "agreement_id", "note"};

__attribute__((format(printf, 3, 4))) static int
fail(web_map_result *r, int status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(r->message, sizeof r->message, fmt, ap);
  va_end(ap);
  r->status = status;
  return -1;
}

void web_mapping_version(const char *text, size_t len,
                         char out[WEB_MAP_VERSION_LEN + 1]) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, (const unsigned char *)text, len);
  sodium_bin2hex(out, WEB_MAP_VERSION_LEN + 1, digest, sizeof digest);
}

int web_mapping_read(const char *path, char **text, size_t *len,
                     char version[WEB_MAP_VERSION_LEN + 1], char *err,
                     size_t errlen) {
  *text = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      snprintf(version, WEB_MAP_VERSION_LEN + 1, "%s", WEB_MAP_ABSENT);
      return 0;
    }
    snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
    return -1;
  }
  struct stat st;
  char *buf = NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    snprintf(err, errlen, "%s: is not a regular file", path);
  else if (st.st_size > MAX_BYTES)
    snprintf(err, errlen, "%s: is larger than 16 MiB", path);
  else if (!(buf = malloc((size_t)st.st_size + 1)))
    snprintf(err, errlen, "%s: out of memory", path);
  else {
    size_t n = 0;
    ssize_t got;
    while (n < (size_t)st.st_size &&
           ((got = read(fd, buf + n, (size_t)st.st_size - n)) > 0 ||
            (got < 0 && errno == EINTR)))
      n += got > 0 ? (size_t)got : 0;
    buf[n] = '\0';
    *len = n;
  }
  close(fd);
  if (!buf)
    return -1;
  *text = buf;
  web_mapping_version(buf, *len, version);
  return 0;
}

/* ---- checking what the browser sent ------------------------------------ */

static int has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  return 0;
}

static const char *opt(const char *s) {
  return s ? s : "";
}

static int check_cell(web_map_result *r, const char *name, const char *v,
                      int required, size_t max) {
  if (required && !*v)
    return fail(r, 400, "%s is empty; give the id", name);
  if (strlen(v) > max)
    return fail(r, 400, "%s is longer than %zu characters", name, max);
  if (has_control(v))
    return fail(r, 400,
                "%s holds a line break or control character; remove "
                "it",
                name);
  if (*v == ' ' || (*v && v[strlen(v) - 1] == ' '))
    return fail(r, 400, "%s starts or ends with a space; remove it", name);
  return 0;
}

static int check_row(web_map_result *r, const web_map_row *row) {
  if (check_cell(r, col_names[C_LASTPASS], opt(row->lastpass_id), 1,
                 WEB_MAP_ID_MAX) ||
      check_cell(r, col_names[C_PSA], opt(row->psa_company_id), 1,
                 WEB_MAP_ID_MAX) ||
      check_cell(r, col_names[C_AGREEMENT], opt(row->agreement_id), 0,
                 WEB_MAP_ID_MAX) ||
      check_cell(r, col_names[C_NOTE], opt(row->note), 0, WEB_MAP_NOTE_MAX))
    return -1;
  if (row->lastpass_id[0] == '#')
    return fail(r, 400,
                "lastpass_company_id may not start with '#' (the "
                "row would be a comment)");
  return 0;
}

/* ---- the file as lines ------------------------------------------------- */

typedef struct lines {
  char **items; /* each without its '\n' (a '\r' stays) */
  size_t n;
  int crlf; /* the header ends in "\r\n": new lines do too */
} lines;

static void lines_free(lines *l) {
  for (size_t i = 0; i < l->n; i++)
    free(l->items[i]);
  free(l->items);
}

static int lines_split(const char *text, size_t len, lines *out) {
  memset(out, 0, sizeof *out);
  size_t cap = 64;
  out->items = malloc(cap * sizeof *out->items);
  if (!out->items)
    return -1;
  size_t pos = 0;
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
    if (out->n == cap) {
      char **grown = realloc(out->items, (cap *= 2) * sizeof *grown);
      if (!grown)
        return -1;
      out->items = grown;
    }
    if (!(out->items[out->n] = strndup(text + pos, n)))
      return -1;
    out->n++;
    pos += n + (nl ? 1 : 0);
  }
  return 0;
}

/* Index of the header line (the first that is neither blank nor a comment),
 * or -1. */
static long header_index(const lines *l) {
  for (size_t i = 0; i < l->n; i++) {
    const char *s = l->items[i];
    if (i == 0 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
      s += 3;
    while (*s == ' ' || *s == '\t' || *s == '\r')
      s++;
    if (*s && *s != '#')
      return (long)i;
  }
  return -1;
}

/* The column (C_*) of each header field, in order; *n fields. */
static void header_columns(const char *line, int cols[16], size_t *n) {
  *n = 0;
  if (strncmp(line, "\xEF\xBB\xBF", 3) == 0)
    line += 3;
  while (*n < 16) {
    size_t len = strcspn(line, ",");
    char name[64];
    size_t k = 0;
    for (size_t i = 0; i < len && k + 1 < sizeof name; i++)
      if (!strchr(" \t\r\"", line[i]))
        name[k++] = line[i];
    name[k] = '\0';
    cols[*n] = -1;
    for (int c = 0; c < N_COLS; c++)
      if (strcasecmp(name, col_names[c]) == 0)
        cols[*n] = c;
    (*n)++;
    if (!line[len])
      break;
    line += len + 1;
  }
}

/* One CSV cell, quoted when it must be. */
static void put_cell(FILE *f, const char *v) {
  if (!strpbrk(v, ",\"") && *v != '#') {
    fputs(v, f);
    return;
  }
  fputc('"', f);
  for (; *v; v++) {
    if (*v == '"')
      fputc('"', f);
    fputc(*v, f);
  }
  fputc('"', f);
}

static char *render_row(const int *cols, size_t n, const web_map_row *row) {
  const char *cells[N_COLS] = {row->lastpass_id, row->psa_company_id,
                               opt(row->agreement_id), opt(row->note)};
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  if (!f)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputc(',', f);
    if (cols[i] >= 0)
      put_cell(f, cells[cols[i]]);
  }
  if (fclose(f) != 0) {
    free(out);
    return NULL;
  }
  return out;
}

static char *join(const lines *l, size_t *len, int final_newline) {
  char *out = NULL;
  FILE *f = open_memstream(&out, len);
  if (!f)
    return NULL;
  for (size_t i = 0; i < l->n; i++) {
    fputs(l->items[i], f);
    if (i + 1 < l->n || final_newline)
      fputc('\n', f);
  }
  if (fclose(f) != 0) {
    free(out);
    return NULL;
  }
  return out;
}

/* Replace lines [from, from+count) with `with` (NULL: delete them). */
static int splice(lines *l, size_t from, size_t count, char *with) {
  for (size_t i = from; i < from + count; i++)
    free(l->items[i]);
  size_t add = with ? 1 : 0;
  if (add > count) {
    char **grown = realloc(l->items, (l->n + 1) * sizeof *grown);
    if (!grown)
      return -1;
    l->items = grown;
  }
  memmove(&l->items[from + add], &l->items[from + count],
          (l->n - from - count) * sizeof *l->items);
  l->n = l->n - count + add;
  if (with)
    l->items[from] = with;
  return 0;
}

static int append(lines *l, char *line) {
  char **grown = realloc(l->items, (l->n + 1) * sizeof *grown);
  if (!grown)
    return -1;
  l->items = grown;
  l->items[l->n++] = line;
  return 0;
}

static char *with_cr(char *s, int crlf) {
  if (!s || !crlf)
    return s;
  size_t n = strlen(s);
  char *grown = realloc(s, n + 2);
  if (!grown) {
    free(s);
    return NULL;
  }
  grown[n] = '\r';
  grown[n + 1] = '\0';
  return grown;
}

/* ---- rows -------------------------------------------------------------- */

static void copy_row(char dst[4][WEB_MAP_NOTE_MAX + 1], const char *lp,
                     const char *psa, const char *agr, const char *note) {
  snprintf(dst[0], WEB_MAP_NOTE_MAX + 1, "%s", opt(lp));
  snprintf(dst[1], WEB_MAP_NOTE_MAX + 1, "%s", opt(psa));
  snprintf(dst[2], WEB_MAP_NOTE_MAX + 1, "%s", opt(agr));
  snprintf(dst[3], WEB_MAP_NOTE_MAX + 1, "%s", opt(note));
}

static size_t newlines_in(const char *s) {
  size_t n = 0;
  for (; s && *s; s++)
    n += *s == '\n';
  return n;
}

/* The row mapping LastPass id `id`: its index, -1 when none, -2 when
 * several (*second: the other's line). */
static long find_row(const mapping *m, const char *id, int *second) {
  long found = -1;
  for (size_t i = 0; i < m->n_rows; i++)
    if (strcmp(m->rows[i].lastpass_company_id, id) == 0) {
      if (found >= 0) {
        *second = m->rows[i].line;
        return -2;
      }
      found = (long)i;
    }
  return found;
}

/* Refuse a result that maps the edited row's companies twice. */
static int check_duplicates(web_map_result *r, const mapping *m,
                            const web_map_row *row) {
  mapping_dups d;
  if (mapping_find_duplicates(m, &d) != 0)
    return fail(r, 500, "out of memory");
  int rc = 0;
  for (size_t i = 0; i < d.n && rc == 0; i++) {
    const mapping_dup *g = &d.items[i];
    const mapping_row *a = &m->rows[g->rows[0]], *b = &m->rows[g->rows[1]];
    if (g->kind == MAPPING_DUP_PSA && strcmp(g->id, row->psa_company_id) == 0) {
      const mapping_row *other =
          strcmp(a->lastpass_company_id, row->lastpass_id) == 0 ? b : a;
      rc = fail(r, 409,
                "PSA company %s is already mapped to LastPass company %s "
                "(line %d); the billing update needs one PSA company per "
                "LastPass company (MAPPING_DUPLICATE): change or remove that "
                "row first",
                g->id, other->lastpass_company_id, other->line);
    } else if (g->kind == MAPPING_DUP_LASTPASS &&
               strcmp(g->id, row->lastpass_id) == 0) {
      rc = fail(r, 409,
                "LastPass company %s would be mapped twice (lines %d and %d, "
                "MAPPING_DUPLICATE); keep one row",
                g->id, a->line, b->line);
    }
  }
  mapping_dups_free(&d);
  return rc;
}

/* The backup's name: FILE.YYYYMMDD-HHMMSSZ.bak, or with -2, -3... when a
 * backup of that second exists. */
static int backup_name(const char *path, time_t now, char *out, size_t cap) {
  struct tm tm;
  gmtime_r(&now, &tm);
  char stamp[32];
  strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%SZ", &tm);
  for (int k = 1; k < 100; k++) {
    int n = k == 1 ? snprintf(out, cap, "%s.%s.bak", path, stamp)
                   : snprintf(out, cap, "%s.%s-%d.bak", path, stamp, k);
    struct stat st;
    if (n < 0 || (size_t)n >= cap)
      return -1;
    if (lstat(out, &st) != 0 && errno == ENOENT)
      return 0;
  }
  return -1;
}

static int write_files(web_map_result *r, const char *path, const char *old,
                       size_t old_len, const char *text, size_t len,
                       time_t now) {
  char err[1024];
  struct stat st;
  mode_t mode = 0640;
  if (old && stat(path, &st) == 0)
    mode = st.st_mode & 07777;
  if (old) {
    if (backup_name(path, now, r->backup, sizeof r->backup) != 0)
      return fail(r, 500, "cannot name a backup of %s", path);
    if (atomic_write_file(r->backup, old, old_len, mode, err, sizeof err)) {
      r->backup[0] = '\0';
      return fail(r, 500,
                  "%s; nothing changed. The console's user must be able to "
                  "write the mapping file's directory (put mapping_file "
                  "under the state directory, see the README)",
                  err);
    }
  }
  if (atomic_write_file(path, text, len, mode, err, sizeof err))
    return fail(r, 500,
                "%s; the mapping file is unchanged. The console's user must "
                "be able to write its directory",
                err);
  return 0;
}

int web_mapping_edit(const char *path_in, web_map_op op, const char *target,
                     const web_map_row *row, const char *expect_version,
                     time_t now, web_map_result *r) {
  memset(r, 0, sizeof *r);
  char path[PATH_MAX];
  if (!realpath(path_in, path))
    snprintf(path, sizeof path, "%s", path_in); /* not there yet */
  char *text = NULL, *out = NULL;
  size_t len = 0, out_len = 0;
  char err[2048];
  mapping cur = {0}, next = {0};
  lines l = {0};
  int rc = -1;
  if (web_mapping_read(path, &text, &len, r->version, err, sizeof err)) {
    fail(r, 500, "%s", err);
    goto done;
  }
  if (!expect_version || strcmp(expect_version, r->version) != 0) {
    fail(r, 409,
         "the mapping file changed since this page read it (someone else "
         "edited it); reload the page and make the change again");
    goto done;
  }
  if (op != WEB_MAP_REMOVE && check_row(r, row))
    goto done;
  if (op == WEB_MAP_CHANGE && strcmp(row->lastpass_id, target) != 0) {
    fail(r, 400,
         "a change keeps the LastPass company (%s); to map another "
         "one, add a row and remove this one",
         target);
    goto done;
  }
  static const char canonical[] =
      "lastpass_company_id,psa_company_id,agreement_id,note\n";
  const char *base = text ? text : canonical;
  size_t base_len = text ? len : sizeof canonical - 1;
  if (mapping_parse_buffer(base, base_len, path, &cur, err, sizeof err)) {
    fail(r, 409, "the mapping file has errors; fix them in the file first:\n%s",
         err);
    goto done;
  }
  int second = 0;
  long at =
      find_row(&cur, op == WEB_MAP_ADD ? row->lastpass_id : target, &second);
  if (at == -2) {
    fail(r, 409,
         "LastPass company %s is mapped on several lines (%d...); "
         "fix the file by hand",
         op == WEB_MAP_ADD ? row->lastpass_id : target, second);
    goto done;
  }
  if (op == WEB_MAP_ADD && at >= 0) {
    fail(r, 409,
         "LastPass company %s is already mapped (line %d); change "
         "that row instead",
         row->lastpass_id, cur.rows[at].line);
    goto done;
  }
  if (op != WEB_MAP_ADD && at < 0) {
    fail(r, 404, "LastPass company %s has no row in the mapping file", target);
    goto done;
  }
  if (at >= 0) {
    const mapping_row *m = &cur.rows[at];
    copy_row(r->before, m->lastpass_company_id, m->psa_company_id,
             m->agreement_id, m->note);
  }
  if (lines_split(base, base_len, &l)) {
    fail(r, 500, "out of memory");
    goto done;
  }
  long h = header_index(&l);
  if (h < 0) {
    fail(r, 500, "the mapping file has no header");
    goto done;
  }
  size_t hl = strlen(l.items[h]);
  l.crlf = hl && l.items[h][hl - 1] == '\r';
  int cols[16];
  size_t n_cols;
  header_columns(l.items[h], cols, &n_cols);
  if (op != WEB_MAP_REMOVE) {
    /* The optional columns this row needs and the header lacks. */
    const int need[2] = {row->agreement_id && *row->agreement_id,
                         row->note && *row->note};
    for (int c = C_AGREEMENT; c <= C_NOTE; c++) {
      int present = 0;
      for (size_t i = 0; i < n_cols; i++)
        present |= cols[i] == c;
      if (need[c - C_AGREEMENT] && !present && n_cols < 16) {
        char *hdr = l.items[h];
        size_t n = strlen(hdr) - (l.crlf ? 1 : 0);
        char *grown = malloc(n + strlen(col_names[c]) + 3);
        if (!grown) {
          fail(r, 500, "out of memory");
          goto done;
        }
        snprintf(grown, n + strlen(col_names[c]) + 3, "%.*s,%s%s", (int)n, hdr,
                 col_names[c], l.crlf ? "\r" : "");
        free(hdr);
        l.items[h] = grown;
        cols[n_cols++] = c;
      }
    }
  }
  char *line = NULL;
  if (op != WEB_MAP_REMOVE &&
      !(line = with_cr(render_row(cols, n_cols, row), l.crlf))) {
    fail(r, 500, "out of memory");
    goto done;
  }
  int ok;
  if (op == WEB_MAP_ADD) {
    ok = append(&l, line) == 0;
  } else {
    const mapping_row *m = &cur.rows[at];
    size_t from = (size_t)m->line - 1;
    size_t count = 1 + newlines_in(m->note);
    ok = from + count <= l.n && splice(&l, from, count, line) == 0;
  }
  if (!ok) {
    free(line);
    fail(r, 500, "cannot edit the mapping file's lines");
    goto done;
  }
  if (!(out = join(&l, &out_len, 1))) {
    fail(r, 500, "out of memory");
    goto done;
  }
  /* The CLI's parser is the judge of the result. */
  if (mapping_parse_buffer(out, out_len, path, &next, err, sizeof err)) {
    fail(r, 400, "the edited file would not load:\n%s", err);
    goto done;
  }
  if (op != WEB_MAP_REMOVE) {
    if (check_duplicates(r, &next, row))
      goto done;
    long now_at = find_row(&next, row->lastpass_id, &second);
    const mapping_row *m = now_at >= 0 ? &next.rows[now_at] : NULL;
    if (!m || strcmp(m->psa_company_id, row->psa_company_id) != 0 ||
        strcmp(opt(m->agreement_id), opt(row->agreement_id)) != 0 ||
        strcmp(opt(m->note), opt(row->note)) != 0) {
      fail(r, 500,
           "the written row would not read back as given; nothing "
           "changed");
      goto done;
    }
    r->line = m->line;
    copy_row(r->after, m->lastpass_company_id, m->psa_company_id,
             m->agreement_id, m->note);
  } else if (find_row(&next, target, &second) != -1) {
    fail(r, 500, "the row would still be there; nothing changed");
    goto done;
  }
  if (write_files(r, path, text, len, out, out_len, now))
    goto done;
  web_mapping_version(out, out_len, r->version);
  r->status = op == WEB_MAP_ADD ? 201 : 200;
  snprintf(r->message, sizeof r->message, "%s LastPass company %s%s%s",
           op == WEB_MAP_ADD      ? "mapped"
           : op == WEB_MAP_CHANGE ? "changed the row of"
                                  : "removed the row of",
           op == WEB_MAP_ADD ? row->lastpass_id : target,
           r->backup[0] ? "; the file as it was is in " : "", r->backup);
  rc = 0;
done:
  lines_free(&l);
  mapping_free(&cur);
  mapping_free(&next);
  free(text);
  free(out);
  return rc;
}
