/* SPDX-License-Identifier: MIT */
/*
 * name_match.c — company-name normal form and similarity score.
 */
#include "name_match.h"

#include <stdlib.h>
#include <string.h>

/* ASCII for U+00C0..U+017F (Latin-1 Supplement letters and Latin
 * Extended-A), lower case. "" marks a non-letter (x and / in Latin-1), which
 * separates words. */
static const char *const fold_table[0x180 - 0xC0] = {
    /* C0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    /* C8 */ "e",  "e", "e",  "e",  "i", "i", "i",  "i",
    /* D0 */ "d",  "n", "o",  "o",  "o", "o", "o",  "",
    /* D8 */ "o",  "u", "u",  "u",  "u", "y", "th", "ss",
    /* E0 */ "a",  "a", "a",  "a",  "a", "a", "ae", "c",
    /* E8 */ "e",  "e", "e",  "e",  "i", "i", "i",  "i",
    /* F0 */ "d",  "n", "o",  "o",  "o", "o", "o",  "",
    /* F8 */ "o",  "u", "u",  "u",  "u", "y", "th", "y",
    /* 100 */ "a", "a", "a",  "a",  "a", "a", "c",  "c",
    /* 108 */ "c", "c", "c",  "c",  "c", "c", "d",  "d",
    /* 110 */ "d", "d", "e",  "e",  "e", "e", "e",  "e",
    /* 118 */ "e", "e", "e",  "e",  "g", "g", "g",  "g",
    /* 120 */ "g", "g", "g",  "g",  "h", "h", "h",  "h",
    /* 128 */ "i", "i", "i",  "i",  "i", "i", "i",  "i",
    /* 130 */ "i", "i", "ij", "ij", "j", "j", "k",  "k",
    /* 138 */ "k", "l", "l",  "l",  "l", "l", "l",  "l",
    /* 140 */ "l", "l", "l",  "n",  "n", "n", "n",  "n",
    /* 148 */ "n", "n", "n",  "n",  "o", "o", "o",  "o",
    /* 150 */ "o", "o", "oe", "oe", "r", "r", "r",  "r",
    /* 158 */ "r", "r", "s",  "s",  "s", "s", "s",  "s",
    /* 160 */ "s", "s", "t",  "t",  "t", "t", "t",  "t",
    /* 168 */ "u", "u", "u",  "u",  "u", "u", "u",  "u",
    /* 170 */ "u", "u", "u",  "u",  "w", "w", "y",  "y",
    /* 178 */ "y", "z", "z",  "z",  "z", "z", "z",  "s",
};

/* Legal forms dropped from the end of a name (after full stops are
 * removed, so "B.V." is "bv" and "S.A." is "sa"). */
static const char *const legal_forms[] = {
    "inc",  "incorporated", "llc",     "llp", "lp",  "ltd", "limited",
    "gmbh", "mbh",          "bv",      "nv",  "sa",  "sas", "sarl",
    "srl",  "spa",          "sl",      "ag",  "kg",  "plc", "co",
    "corp", "corporation",  "company", "pty", "pte", "oy",  "ab",
    "pllc", "pc",           "se",      "ug",  NULL};

/* A growing string. */
typedef struct sbuf {
  char *data;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
      b->oom = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

/* Add a word separator, never two in a row nor one at the start. */
static void sb_space(sbuf *b) {
  if (b->len && b->data[b->len - 1] != ' ')
    sb_add(b, " ", 1);
}

/* Decode one UTF-8 sequence at s; returns its length (1 for an invalid
 * byte, with *cp = 0xFFFD). */
static size_t utf8_next(const unsigned char *s, unsigned *cp) {
  unsigned c = s[0];
  size_t n = c < 0x80         ? 1
             : (c >> 5) == 6  ? 2
             : (c >> 4) == 14 ? 3
             : (c >> 3) == 30 ? 4
                              : 0;
  if (n == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  unsigned v = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

static int is_alnum_ascii(unsigned c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* Characters dropped without splitting a word: apostrophes (ASCII and the
 * typographic ones) and full stops. */
static int is_joiner(unsigned c) {
  return c == '\'' || c == '.' || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

/* Non-ASCII code points that are punctuation or spaces. */
static int is_separator(unsigned c) {
  return (c >= 0x80 && c < 0xC0) || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x3000 && c <= 0x303F) || c == 0xFEFF || c == 0xFFFD;
}

/* Fold, lower-case and split into words separated by single spaces. */
static void fold_words(const char *name, sbuf *out) {
  const unsigned char *p = (const unsigned char *)name;
  while (*p) {
    unsigned cp;
    size_t n = utf8_next(p, &cp);
    if (is_alnum_ascii(cp)) {
      char ch = (char)(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
      sb_add(out, &ch, 1);
    } else if (cp == '&') {
      sb_space(out);
      sb_add(out, "and ", 4);
    } else if (is_joiner(cp)) {
      /* dropped: "O'Brien", "B.V." */
    } else if (cp >= 0xC0 && cp < 0x180) {
      const char *ascii = fold_table[cp - 0xC0];
      if (*ascii)
        sb_add(out, ascii, strlen(ascii));
      else
        sb_space(out);
    } else if (cp < 0x80 || is_separator(cp)) {
      sb_space(out);
    } else {
      sb_add(out, (const char *)p, n); /* another script: kept as is */
    }
    p += n;
  }
  if (out->len && out->data[out->len - 1] == ' ')
    out->data[--out->len] = '\0';
}

static int is_legal_form(const char *word, size_t len) {
  for (size_t i = 0; legal_forms[i]; i++)
    if (strlen(legal_forms[i]) == len && memcmp(legal_forms[i], word, len) == 0)
      return 1;
  return 0;
}

/* The start of the last word of s[0..len). */
static size_t last_word(const char *s, size_t len) {
  size_t i = len;
  while (i > 0 && s[i - 1] != ' ')
    i--;
  return i;
}

/* Drop a leading "the" and trailing legal forms (with an "and" they leave
 * dangling), keeping at least one word. */
static void trim_words(sbuf *b) {
  if (b->len > 4 && strncmp(b->data, "the ", 4) == 0) {
    memmove(b->data, b->data + 4, b->len - 3);
    b->len -= 4;
  }
  for (;;) {
    size_t start = last_word(b->data, b->len);
    if (start == 0)
      break; /* one word left */
    const char *w = b->data + start;
    size_t wlen = b->len - start;
    int legal = is_legal_form(w, wlen);
    int dangling_and = wlen == 3 && memcmp(w, "and", 3) == 0;
    if (!legal && !dangling_and)
      break;
    b->len = start - 1;
    b->data[b->len] = '\0';
  }
}

char *name_normalize(const char *name) {
  sbuf b = {0};
  sb_add(&b, "", 0);
  if (name)
    fold_words(name, &b);
  if (!b.oom)
    trim_words(&b);
  if (b.oom) {
    free(b.data);
    return NULL;
  }
  return b.data;
}

/* Lower case, trimmed, runs of ASCII spaces and tabs made one space. */
static char *plain_form(const char *name) {
  size_t n = strlen(name);
  char *out = malloc(n + 1), *o = out;
  if (!out)
    return NULL;
  int space = 0;
  for (const char *p = name; *p; p++) {
    char ch = *p;
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      space = o != out;
      continue;
    }
    if (space)
      *o++ = ' ';
    space = 0;
    *o++ = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
  }
  *o = '\0';
  return out;
}

static char *without_spaces(const char *s) {
  char *out = malloc(strlen(s) + 1), *o = out;
  if (!out)
    return NULL;
  for (; *s; s++)
    if (*s != ' ')
      *o++ = *s;
  *o = '\0';
  return out;
}

static int split_words(name_key *k) {
  if (!(k->words_buf = strdup(k->norm)))
    return -1;
  size_t n = 0;
  for (const char *p = k->norm; *p; p++)
    n += *p == ' ';
  if (!(k->words = calloc(n + 2, sizeof *k->words)))
    return -1;
  char *save = NULL;
  for (char *w = strtok_r(k->words_buf, " ", &save); w;
       w = strtok_r(NULL, " ", &save))
    k->words[k->n_words++] = w;
  return 0;
}

static int count_bytes(name_key *k) {
  size_t len = strlen(k->compact);
  if (!(k->counts = calloc(256, sizeof *k->counts)) ||
      !(k->distinct = malloc(len + 1)))
    return -1;
  for (const unsigned char *p = (const unsigned char *)k->compact; *p; p++) {
    if (k->counts[*p] == 0)
      k->distinct[k->n_distinct++] = *p;
    if (k->counts[*p] < 0xFFFF)
      k->counts[*p]++;
  }
  return 0;
}

int name_key_init(name_key *k, const char *name) {
  memset(k, 0, sizeof *k);
  if (!name)
    name = "";
  if (!(k->plain = plain_form(name)) || !(k->norm = name_normalize(name)) ||
      !(k->compact = without_spaces(k->norm)) || split_words(k) != 0 ||
      count_bytes(k) != 0)
    return -1;
  return 0;
}

void name_key_free(name_key *k) {
  free(k->plain);
  free(k->norm);
  free(k->compact);
  free(k->words);
  free(k->words_buf);
  free(k->counts);
  free(k->distinct);
  memset(k, 0, sizeof *k);
}

/* Levenshtein distance of two byte strings (two rows, O(min) memory). */
static size_t edit_distance(const char *a, size_t la, const char *b,
                            size_t lb) {
  if (la < lb) {
    const char *t = a;
    a = b;
    b = t;
    size_t tl = la;
    la = lb;
    lb = tl;
  }
  size_t *row = malloc((lb + 1) * sizeof *row);
  if (!row)
    return la; /* out of memory: the worst distance, never a false match */
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;
  for (size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  size_t d = row[lb];
  free(row);
  return d;
}

/* Dice coefficient of the word lists, each word of b matched at most once.
 * It runs for every pair map suggest looks at, so the usual short names use
 * a stack buffer. */
static double word_overlap(const name_key *a, const name_key *b) {
  if (!a->n_words || !b->n_words)
    return 0.0;
  unsigned char local[64] = {0};
  unsigned char *used =
      b->n_words <= sizeof local ? local : calloc(b->n_words, 1);
  if (!used)
    return 0.0;
  size_t shared = 0;
  for (size_t i = 0; i < a->n_words; i++)
    for (size_t j = 0; j < b->n_words; j++)
      if (!used[j] && strcmp(a->words[i], b->words[j]) == 0) {
        used[j] = 1;
        shared++;
        break;
      }
  if (used != local)
    free(used);
  return 2.0 * (double)shared / (double)(a->n_words + b->n_words);
}

static int scaled(double similarity) {
  int s = (int)(similarity * 90.0 + 0.5);
  return s < 0 ? 0 : s > 90 ? 90 : s;
}

/* The exact rules (100, 95, 92), or -1 when none applies. */
static int exact_rules(const name_key *a, const name_key *b) {
  if (!a->norm[0] || !b->norm[0])
    return 0;
  if (strcmp(a->plain, b->plain) == 0)
    return 100;
  if (strcmp(a->norm, b->norm) == 0)
    return 95;
  if (strcmp(a->compact, b->compact) == 0)
    return 92;
  return -1;
}

/* The bag distance: how many characters one string has that the other
 * lacks, counted with multiplicity, the larger of the two ways. Never more
 * than the edit distance, and linear in the distinct characters, so it
 * bounds the score cheaply. */
static size_t bag_distance(const name_key *a, const name_key *b) {
  size_t only_a = 0, only_b = 0;
  for (size_t i = 0; i < a->n_distinct; i++) {
    unsigned char c = a->distinct[i];
    if (a->counts[c] > b->counts[c])
      only_a += (size_t)(a->counts[c] - b->counts[c]);
  }
  for (size_t i = 0; i < b->n_distinct; i++) {
    unsigned char c = b->distinct[i];
    if (b->counts[c] > a->counts[c])
      only_b += (size_t)(b->counts[c] - a->counts[c]);
  }
  return only_a > only_b ? only_a : only_b;
}

int name_key_score_bound(const name_key *a, const name_key *b) {
  int exact = exact_rules(a, b);
  if (exact >= 0)
    return exact;
  size_t la = strlen(a->compact), lb = strlen(b->compact);
  size_t hi = la < lb ? lb : la;
  double chars = 1.0 - (double)bag_distance(a, b) / (double)hi;
  double words = word_overlap(a, b);
  return scaled(chars > words ? chars : words);
}

int name_key_score(const name_key *a, const name_key *b) {
  int exact = exact_rules(a, b);
  if (exact >= 0)
    return exact;
  size_t la = strlen(a->compact), lb = strlen(b->compact);
  size_t hi = la < lb ? lb : la;
  double chars =
      1.0 - (double)edit_distance(a->compact, la, b->compact, lb) / (double)hi;
  double words = word_overlap(a, b);
  return scaled(chars > words ? chars : words);
}

int name_score(const char *a, const char *b) {
  name_key ka = {0}, kb = {0};
  int rc = -1;
  if (name_key_init(&ka, a) == 0 && name_key_init(&kb, b) == 0)
    rc = name_key_score(&ka, &kb);
  name_key_free(&ka);
  name_key_free(&kb);
  return rc;
}
