/* SPDX-License-Identifier: MIT */
/*
 * mapping.c — parse the mapping CSV into rows with line numbers, and find
 * rows that map the same company twice.
 *
 * The CSV reader is a small byte-level state machine rather than a library:
 * the rules it follows (RFC 4180 quoting, '#' comments, trimming, the line
 * where each record starts) are few, and every error must name its line.
 */
#include "mapping.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "decimal_id.h"
#include "perm_advice.h"
#include "strmap.h"

#define MAPPING_MAX_BYTES (16 * 1024 * 1024)

enum column { COL_LASTPASS, COL_PSA, COL_AGREEMENT, COL_NOTE, N_COLUMNS };
static const char *const column_names[N_COLUMNS] = {
    "lastpass_company_id", "psa_company_id", "agreement_id", "note"};
#define HEADER_TEXT "lastpass_company_id,psa_company_id,agreement_id,note"

typedef struct strbuf {
  char *s;
  size_t len, cap;
} strbuf;

/* One record: its fields and where it started. */
typedef struct record {
  strbuf *fields;
  size_t n, cap;
  int line;
} record;

typedef struct parser {
  const char *buf;
  size_t len, pos;
  int line;
  const char *name;
  mapping *out;
  int column_of[N_COLUMNS]; /* field index of each column, -1 if absent */
  size_t n_columns;
  int have_header;
  char sep; /* between columns: ',' or, as the header shows, ';' or tab */
  char ignored[512]; /* unknown header columns, quoted, for the warning */
  int header_line;
  char *err;
  size_t errlen, errused;
  int n_errors;
  int oom;
} parser;

/* ---- errors ------------------------------------------------------------ */

__attribute__((format(printf, 3, 4))) static void
add_error(parser *p, int line, const char *fmt, ...) {
  if (++p->n_errors > MAPPING_MAX_ERRORS || !p->err ||
      p->errused + 1 >= p->errlen)
    return;
  char *d = p->err + p->errused;
  size_t room = p->errlen - p->errused;
  int n = snprintf(d, room, "%s%s", p->errused ? "\n" : "", p->name);
  if (line > 0 && n >= 0 && (size_t)n < room)
    n += snprintf(d + n, room - (size_t)n, ":%d", line);
  if (n >= 0 && (size_t)n < room)
    n += snprintf(d + n, room - (size_t)n, ": ");
  if (n >= 0 && (size_t)n < room) {
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(d + n, room - (size_t)n, fmt, ap);
    va_end(ap);
  }
  p->errused += n < 0 ? 0 : (size_t)n < room ? (size_t)n : room - 1;
}

/* ---- buffers ------------------------------------------------------------- */

static int sb_put(parser *p, strbuf *b, char ch) {
  if (b->len + 1 >= b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 32;
    char *s = realloc(b->s, cap);
    if (!s) {
      p->oom = 1;
      return -1;
    }
    b->s = s;
    b->cap = cap;
  }
  b->s[b->len++] = ch;
  b->s[b->len] = '\0';
  return 0;
}

/* Trim spaces and tabs on both ends, in place. */
static void sb_trim(strbuf *b) {
  if (!b->s)
    return;
  size_t a = 0;
  while (a < b->len && (b->s[a] == ' ' || b->s[a] == '\t'))
    a++;
  size_t e = b->len;
  while (e > a &&
         (b->s[e - 1] == ' ' || b->s[e - 1] == '\t' || b->s[e - 1] == '\r'))
    e--;
  memmove(b->s, b->s + a, e - a);
  b->len = e - a;
  b->s[b->len] = '\0';
}

static const char *sb_str(const strbuf *b) {
  return b->s ? b->s : "";
}

static strbuf *record_next_field(parser *p, record *r) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 8;
    strbuf *f = realloc(r->fields, cap * sizeof *f);
    if (!f) {
      p->oom = 1;
      return NULL;
    }
    r->fields = f;
    r->cap = cap;
  }
  strbuf *f = &r->fields[r->n++];
  memset(f, 0, sizeof *f);
  return f;
}

static void record_free(record *r) {
  for (size_t i = 0; i < r->n; i++)
    free(r->fields[i].s);
  free(r->fields);
  memset(r, 0, sizeof *r);
}

/* ---- the CSV state machine ------------------------------------------------
 */

static int at_end(const parser *p) {
  return p->pos >= p->len;
}

static char peek(const parser *p) {
  return at_end(p) ? '\0' : p->buf[p->pos];
}

/* Space or tab, unless it separates the columns. */
static int is_blank(const parser *p, char ch) {
  return (ch == ' ' || ch == '\t') && ch != p->sep;
}

/* Skip the rest of the current line, including its newline. */
static void skip_line(parser *p) {
  while (!at_end(p) && p->buf[p->pos] != '\n')
    p->pos++;
  if (!at_end(p)) {
    p->pos++;
    p->line++;
  }
}

/* At the start of a record: a blank or comment line? Then skip it. */
static int skip_blank_or_comment(parser *p) {
  size_t i = p->pos;
  while (i < p->len &&
         (p->buf[i] == ' ' || p->buf[i] == '\t' || p->buf[i] == '\r'))
    i++;
  if (i < p->len && p->buf[i] != '\n' && p->buf[i] != '#')
    return 0;
  skip_line(p);
  return 1;
}

/* A quoted field, from its opening quote. Returns 0, or -1 when the quote
 * never closes (which ends the parse: the rest of the file is inside it). */
static int read_quoted(parser *p, strbuf *f) {
  int opened = p->line;
  p->pos++; /* the opening quote */
  for (;;) {
    if (at_end(p)) {
      add_error(p, opened,
                "a quoted field is never closed; add the closing \" (write "
                "\"\" for a quote inside a field)");
      return -1;
    }
    char ch = p->buf[p->pos++];
    if (ch == '"') {
      if (peek(p) != '"')
        break;
      p->pos++;
    } else if (ch == '\n') {
      p->line++;
    } else if (ch == '\r' && peek(p) == '\n') {
      continue; /* CRLF inside quotes becomes LF */
    }
    if (sb_put(p, f, ch))
      return -1;
  }
  /* Only blanks may follow the closing quote before the separator. */
  while (is_blank(p, peek(p)) || peek(p) == '\r')
    p->pos++;
  if (!at_end(p) && peek(p) != p->sep && peek(p) != '\n') {
    add_error(
        p, p->line,
        "text after a closing quote; quote the whole field (\"a \"\"b\"\" "
        "c\") or remove the quotes");
    while (!at_end(p) && peek(p) != p->sep && peek(p) != '\n')
      p->pos++;
  }
  return 0;
}

static int read_unquoted(parser *p, strbuf *f) {
  while (!at_end(p) && peek(p) != p->sep && peek(p) != '\n')
    if (sb_put(p, f, p->buf[p->pos++]))
      return -1;
  return 0;
}

/* Read one record starting at p->pos. Returns 0, or -1 to stop parsing. */
static int read_record(parser *p, record *r) {
  r->line = p->line;
  for (;;) {
    strbuf *f = record_next_field(p, r);
    if (!f)
      return -1;
    while (is_blank(p, peek(p)))
      p->pos++;
    int rc = peek(p) == '"' ? read_quoted(p, f) : read_unquoted(p, f);
    if (rc)
      return -1;
    sb_trim(f);
    if (peek(p) == p->sep) {
      p->pos++;
      continue;
    }
    if (!at_end(p)) { /* the newline */
      p->pos++;
      p->line++;
    }
    return 0;
  }
}

/* ---- header and rows
 * ---------------------------------------------------------- */

/* A header name as people write it ("LastPass Company ID", "psa-company
 * id") in the canonical form: lower case, each run of spaces, '-' and '_'
 * one '_'. */
static void canonical(const char *name, char *out, size_t len) {
  size_t n = 0;
  int gap = 0;
  for (; *name && n + 2 < len; name++) {
    unsigned char ch = (unsigned char)*name;
    if (ch == ' ' || ch == '\t' || ch == '-' || ch == '_') {
      gap = n > 0;
      continue;
    }
    if (gap)
      out[n++] = '_';
    gap = 0;
    out[n++] = (char)tolower(ch);
  }
  out[n] = '\0';
}

static int column_of_name(const char *canon) {
  for (int c = 0; c < N_COLUMNS; c++)
    if (strcmp(canon, column_names[c]) == 0)
      return c;
  return -1;
}

static void note_ignored(parser *p, const char *name) {
  size_t used = strlen(p->ignored);
  snprintf(p->ignored + used, sizeof p->ignored - used, "%s\"%s\"",
           used ? ", " : "", name);
}

static void header(parser *p, const record *r) {
  for (int c = 0; c < N_COLUMNS; c++)
    p->column_of[c] = -1;
  p->n_columns = r->n;
  p->header_line = r->line;
  char canon[128];
  /* The known columns first, so that an unknown one can be told apart from
   * a misspelt one that is missing. */
  for (size_t i = 0; i < r->n; i++) {
    const char *name = sb_str(&r->fields[i]);
    canonical(name, canon, sizeof canon);
    int c = column_of_name(canon);
    if (!*canon)
      add_error(p, r->line,
                "column %zu of the header is empty; the header names the "
                "columns: " HEADER_TEXT,
                i + 1);
    else if (c >= 0 && p->column_of[c] >= 0)
      add_error(p, r->line, "column %s appears twice in the header; keep one",
                column_names[c]);
    else if (c >= 0)
      p->column_of[c] = (int)i;
  }
  for (size_t i = 0; i < r->n; i++) {
    const char *name = sb_str(&r->fields[i]);
    canonical(name, canon, sizeof canon);
    if (!*canon || column_of_name(canon) >= 0)
      continue;
    const char *hint = config_suggest(canon, column_names, N_COLUMNS);
    int missing = hint && p->column_of[column_of_name(hint)] < 0;
    if (missing)
      add_error(p, r->line,
                "unknown column \"%s\" in the header; did you mean \"%s\"?",
                name, hint);
    else
      note_ignored(p, name); /* an extra column people keep: not ours */
  }
  for (int c = COL_LASTPASS; c <= COL_PSA; c++)
    if (p->column_of[c] < 0 && p->n_errors == 0)
      add_error(p, r->line,
                "the header lacks the %s column; the first line must name "
                "the columns: " HEADER_TEXT,
                column_names[c]);
  p->have_header = 1;
}

/* The value of column c in r, or NULL when the row stops before it. */
static const char *cell(const parser *p, const record *r, int c) {
  int i = p->column_of[c];
  return i >= 0 && (size_t)i < r->n ? sb_str(&r->fields[i]) : NULL;
}

static int has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  return 0;
}

/* Check a required id cell; returns it, or NULL after reporting. */
static const char *required_id(parser *p, const record *r, int c) {
  const char *v = cell(p, r, c);
  if (!v)
    add_error(p, r->line,
              "the row has %zu field%s and lacks %s; add it (rows follow the "
              "header's columns)",
              r->n, r->n == 1 ? "" : "s", column_names[c]);
  else if (!*v)
    add_error(p, r->line,
              "%s is empty; fill it in, or delete the row (unmapped "
              "companies are not updated)",
              column_names[c]);
  else if (has_control(v))
    add_error(p, r->line,
              "%s holds a line break or control character; remove it",
              column_names[c]);
  else
    return v;
  return NULL;
}

static char *dup_or_null(parser *p, const char *s) {
  if (!s || !*s)
    return NULL;
  char *d = strdup(s);
  if (!d)
    p->oom = 1;
  return d;
}

/* Every cell empty: what a spreadsheet leaves below the data (",,,"). */
static int all_empty(const record *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->fields[i].len)
      return 0;
  return 1;
}

static void row(parser *p, const record *r) {
  if (all_empty(r))
    return;
  if (r->n == 1 && p->n_columns > 1) {
    const char *only = sb_str(&r->fields[0]);
    char other = strchr(only, ';') ? ';' : strchr(only, '\t') ? '\t' : 0;
    if (other && other != p->sep) {
      add_error(p, r->line,
                "this row uses %s between columns, but the header uses %s; "
                "use one separator in the whole file",
                other == ';' ? "';'" : "tabs",
                p->sep == ','   ? "','"
                : p->sep == ';' ? "';'"
                                : "tabs");
      return;
    }
  }
  if (r->n > p->n_columns) {
    add_error(p, r->line,
              "the row has %zu fields but the header has %zu columns; quote "
              "fields that contain commas (\"Acme, Inc.\")",
              r->n, p->n_columns);
    return;
  }
  const char *lp = required_id(p, r, COL_LASTPASS);
  const char *psa = required_id(p, r, COL_PSA);
  if (lp && strspn(lp, "0123456789") == strlen(lp) &&
      !decimal_id_fits_int64(lp)) {
    /* Refused, never clamped to an id that may be another company's. */
    add_error(p, r->line,
              "lastpass_company_id %s is beyond the largest LastPass id "
              "(9223372036854775807); fix the id",
              lp);
    lp = NULL;
  }
  const char *agr = cell(p, r, COL_AGREEMENT);
  if (agr && has_control(agr)) {
    add_error(p, r->line,
              "agreement_id holds a line break or control character; remove "
              "it");
    return;
  }
  if (!lp || !psa || p->n_errors)
    return; /* once anything failed, only errors are collected */
  mapping *m = p->out;
  mapping_row *grown = realloc(m->rows, (m->n_rows + 1) * sizeof *grown);
  if (!grown) {
    p->oom = 1;
    return;
  }
  m->rows = grown;
  mapping_row *out = &m->rows[m->n_rows];
  memset(out, 0, sizeof *out);
  out->line = r->line;
  out->lastpass_company_id = dup_or_null(p, lp);
  out->psa_company_id = dup_or_null(p, psa);
  out->agreement_id = dup_or_null(p, agr);
  out->note = dup_or_null(p, cell(p, r, COL_NOTE));
  m->n_rows++; /* counted even if a copy failed, so mapping_free frees it */
}

/* The separator the header line (from p->pos) uses: the most frequent of
 * ',', ';' and tab outside quotes; ',' when tied or none. Spreadsheets
 * write ';' where ',' is the decimal mark, and tabs when copied. */
static char sniff_separator(const parser *p) {
  size_t n_comma = 0, n_semi = 0, n_tab = 0;
  int quoted = 0;
  for (size_t i = p->pos; i < p->len && (quoted || p->buf[i] != '\n'); i++) {
    char ch = p->buf[i];
    if (ch == '"')
      quoted = !quoted;
    else if (!quoted)
      n_comma += ch == ',', n_semi += ch == ';', n_tab += ch == '\t';
  }
  if (n_semi > n_comma && n_semi >= n_tab)
    return ';';
  if (n_tab > n_comma && n_tab > n_semi)
    return '\t';
  return ',';
}

static void parse(parser *p) {
  if (p->len >= 3 && memcmp(p->buf, "\xEF\xBB\xBF", 3) == 0)
    p->pos = 3;
  const char *nul = memchr(p->buf, '\0', p->len);
  if (nul) {
    int line = 1;
    for (const char *s = p->buf; s < nul; s++)
      line += *s == '\n';
    add_error(p, line, "holds a NUL byte; is this a CSV file?");
    return;
  }
  while (!at_end(p) && !p->oom) {
    if (skip_blank_or_comment(p))
      continue;
    if (!p->have_header)
      p->sep = sniff_separator(p);
    record r = {0};
    int rc = read_record(p, &r);
    int was_header = !p->have_header;
    if (rc == 0 && was_header)
      header(p, &r);
    else if (rc == 0)
      row(p, &r);
    record_free(&r);
    /* Without a good header every row would only repeat the problem. */
    if (rc || (was_header && p->n_errors))
      return;
  }
  if (!p->have_header && !p->oom)
    add_error(
        p, 0,
        "has no header; the first line must name the columns: " HEADER_TEXT);
}

/* ---- entry points
 * ------------------------------------------------------------- */

int mapping_parse_buffer(const char *buf, size_t len, const char *name,
                         mapping *out, char *err, size_t errlen) {
  parser p;
  memset(&p, 0, sizeof p);
  memset(out, 0, sizeof *out);
  p.buf = buf;
  p.len = len;
  p.line = 1;
  p.sep = ',';
  p.name = name;
  p.out = out;
  p.err = err;
  p.errlen = errlen;
  if (err && errlen)
    err[0] = '\0';
  out->name = strdup(name);
  if (!out->name)
    p.oom = 1;
  else
    parse(&p);
  if (p.oom) {
    if (err && errlen)
      snprintf(err, errlen, "%s: out of memory while reading the mapping",
               name);
  } else if (p.n_errors > MAPPING_MAX_ERRORS && err && p.errused + 1 < errlen) {
    snprintf(err + p.errused, errlen - p.errused,
             "\n%s: %d more problems not shown; fix these and run again", name,
             p.n_errors - MAPPING_MAX_ERRORS);
  }
  if (!p.oom && !p.n_errors && p.ignored[0]) {
    char w[1024];
    snprintf(w, sizeof w,
             "%s:%d: ignoring the column%s %s (lpsa reads only "
             "lastpass_company_id, psa_company_id, agreement_id and note)",
             name, p.header_line, strchr(p.ignored, ',') ? "s" : "", p.ignored);
    if (!(out->warning = strdup(w)))
      p.oom = 1;
  }
  if (p.oom || p.n_errors) {
    mapping_free(out);
    return -1;
  }
  return 0;
}

/* Read a regular file of at most MAPPING_MAX_BYTES; NULL with err set. */
static char *read_file(const char *path, size_t *len, char *err,
                       size_t errlen) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    char why[1024];
    snprintf(err, errlen, "%s: cannot open: %s", path,
             perm_advice(path, errno,
                         "; check mapping_file in the configuration", why,
                         sizeof why));
    return NULL;
  }
  struct stat st;
  char *buf = NULL;
  if (fstat(fd, &st) || !S_ISREG(st.st_mode))
    snprintf(err, errlen,
             "%s: is not a regular file; point mapping_file at the CSV file",
             path);
  else if (st.st_size > MAPPING_MAX_BYTES)
    snprintf(err, errlen, "%s: is larger than 16 MiB; is this the mapping?",
             path);
  else if (!(buf = malloc((size_t)st.st_size + 1)))
    snprintf(err, errlen, "%s: out of memory", path);
  else {
    size_t n = 0;
    ssize_t r;
    while ((r = read(fd, buf + n, (size_t)st.st_size - n)) > 0 ||
           (r < 0 && errno == EINTR))
      n += r > 0 ? (size_t)r : 0;
    if (r < 0) {
      snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
      free(buf);
      buf = NULL;
    }
    *len = n;
  }
  close(fd);
  return buf;
}

int mapping_load(const char *path, mapping *out, char *err, size_t errlen) {
  char scratch[1];
  if (!err || !errlen) {
    err = scratch;
    errlen = sizeof scratch;
  }
  memset(out, 0, sizeof *out);
  size_t len = 0;
  char *buf = read_file(path, &len, err, errlen);
  if (!buf)
    return -1;
  int rc = mapping_parse_buffer(buf, len, path, out, err, errlen);
  free(buf);
  return rc;
}

void mapping_free(mapping *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->n_rows; i++) {
    free(m->rows[i].lastpass_company_id);
    free(m->rows[i].psa_company_id);
    free(m->rows[i].agreement_id);
    free(m->rows[i].note);
  }
  free(m->rows);
  free(m->name);
  free(m->warning);
  memset(m, 0, sizeof *m);
}

/* ---- duplicates
 * ------------------------------------------------------------------ */

static int group_add(mapping_dup *g, size_t row) {
  size_t *rows = realloc(g->rows, (g->n_rows + 1) * sizeof *rows);
  if (!rows)
    return -1;
  g->rows = rows;
  g->rows[g->n_rows++] = row;
  return 0;
}

/* Group rows by one id; append groups of two or more to out. */
static int find_kind(const mapping *m, mapping_dup_kind kind,
                     mapping_dups *out) {
  strmap seen = {0};
  mapping_dup *groups = NULL;
  size_t n_groups = 0;
  int rc = 0;
  for (size_t i = 0; i < m->n_rows && rc == 0; i++) {
    const char *id = kind == MAPPING_DUP_LASTPASS
                         ? m->rows[i].lastpass_company_id
                         : m->rows[i].psa_company_id;
    size_t g;
    if (!strmap_get(&seen, id, &g)) {
      mapping_dup *grown = realloc(groups, (n_groups + 1) * sizeof *grown);
      if (!grown || strmap_put(&seen, id, n_groups)) {
        groups = grown ? grown : groups;
        rc = -1;
        break;
      }
      groups = grown;
      g = n_groups++;
      groups[g] = (mapping_dup){kind, id, NULL, 0};
    }
    rc = group_add(&groups[g], i);
  }
  for (size_t g = 0; g < n_groups; g++) {
    if (rc == 0 && groups[g].n_rows >= 2) {
      mapping_dup *grown = realloc(out->items, (out->n + 1) * sizeof *grown);
      if (grown) {
        out->items = grown;
        out->items[out->n++] = groups[g];
        continue;
      }
      rc = -1;
    }
    free(groups[g].rows);
  }
  free(groups);
  strmap_free(&seen);
  return rc;
}

int mapping_find_duplicates(const mapping *m, mapping_dups *out) {
  memset(out, 0, sizeof *out);
  if (find_kind(m, MAPPING_DUP_LASTPASS, out) ||
      find_kind(m, MAPPING_DUP_PSA, out)) {
    mapping_dups_free(out);
    return -1;
  }
  return 0;
}

void mapping_dups_free(mapping_dups *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->n; i++)
    free(d->items[i].rows);
  free(d->items);
  memset(d, 0, sizeof *d);
}
