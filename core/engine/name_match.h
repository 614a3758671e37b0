/* SPDX-License-Identifier: MIT */
/*
 * name_match.h — how alike two company names are, for `lpsa-host map
 * suggest`: a normal form that ignores what people write differently about
 * the same company, and a 0..100 confidence score. Pure functions, no I/O.
 *
 * Normal form (name_normalize):
 *   - UTF-8 letters of Latin-1 Supplement and Latin Extended-A are folded to
 *     ASCII ("Café Müller" -> "cafe muller", "Ærø" -> "aero", "ß" -> "ss",
 *     "Łódź" -> "lodz"); other non-ASCII characters are kept as they are;
 *   - ASCII letters lower-cased; "&" is the word "and";
 *   - apostrophes and full stops are dropped without splitting the word
 *     ("O'Brien" -> "obrien", "B.V." -> "bv"); every other punctuation or
 *     space separates words;
 *   - a leading "the" is dropped, and trailing legal forms (Inc, LLC, Ltd,
 *     Limited, GmbH, B.V., S.A., SAS, Pty Ltd, Co, Corp, Corporation, AG,
 *     plc and others, see name_match.c) are dropped one by one, with an "and"
 *     they leave dangling ("Smith & Co" -> "smith"), but never the last word.
 *
 * Score (name_score), highest rule that applies:
 *   100  the same text ignoring case and runs of spaces;
 *    95  the same normal form;
 *    92  the same normal form once spaces are removed ("Data Flow" and
 *        "DataFlow");
 *  0-90  90 x the larger of the character similarity of the space-less forms
 *        (1 - edit distance / longer length) and the word overlap (Dice:
 *        2 x shared words / all words), rounded.
 * A name whose normal form is empty (only punctuation) scores 0 with
 * everything.
 */
#ifndef LPSA_CORE_NAME_MATCH_H
#define LPSA_CORE_NAME_MATCH_H

#include <stddef.h>

/* The normal form: words separated by single spaces. A new string ("" for a
 * name without letters or digits), or NULL when out of memory. */
char *name_normalize(const char *name);

/* A name prepared once for scoring against many others. */
typedef struct name_key {
  char *plain;   /* lower case, trimmed, spaces collapsed (for the 100 rule) */
  char *norm;    /* name_normalize() */
  char *compact; /* norm without spaces */
  char **words;  /* point into a private copy of norm */
  size_t n_words;
  char *words_buf;
  /* How often each byte occurs in compact, and the distinct bytes: the
   * quick bound of name_key_score_bound(). */
  unsigned short *counts; /* 256 entries */
  unsigned char *distinct;
  size_t n_distinct;
} name_key;

/* 0, or -1 when out of memory (*k is then safe to free). */
int name_key_init(name_key *k, const char *name);
void name_key_free(name_key *k);
int name_key_score(const name_key *a, const name_key *b);
/* The best score a pair could reach, from the lengths alone; used to skip
 * the edit distance when it cannot beat a score already found. */
int name_key_score_bound(const name_key *a, const name_key *b);

/* name_key_score of two raw names; -1 when out of memory. */
int name_score(const char *a, const char *b);

#endif
