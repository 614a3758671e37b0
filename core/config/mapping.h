/* SPDX-License-Identifier: MIT */
/*
 * mapping.h — the mapping file: which PSA company (and optionally which
 * agreement/contract) bills each LastPass managed company.
 *
 * Format: CSV (RFC 4180) with a header naming the columns, matched by name
 * in any order, case-insensitively and with spaces, '-' or '_' between
 * words ("LastPass Company ID" is lastpass_company_id):
 *   lastpass_company_id   required column; never empty
 *   psa_company_id        required column; never empty
 *   agreement_id          optional column; empty = "the company's only
 *                         agreement/contract"
 *   note                  optional column; free text for people
 * Any other column is ignored, with one warning naming them all
 * (mapping.warning), unless its name is a near miss of a column the header
 * lacks ("lastpass_compny_id": an error with a did-you-mean). The columns
 * are separated by ',' or, as spreadsheets save them, ';' or tabs: the
 * header line decides (the most frequent of the three outside quotes), and
 * a row using another one is an error saying so. Fields may be quoted
 * ("Acme, Inc."), with "" for a quote and line breaks inside quotes.
 * Whitespace around every value is trimmed. Lines whose first non-blank
 * character is '#' are comments; blank lines and rows whose cells are all
 * empty (",,,", left below the data by spreadsheets) are skipped; a UTF-8
 * BOM and CRLF line ends are accepted. A row may omit trailing optional
 * columns; more fields than columns is an error.
 *
 *   lastpass_company_id,psa_company_id,agreement_id,note
 *   # Acme moved to the new agreement in May
 *   12345,250,1034,"Acme, Inc."
 *   12346,251,,
 *
 * Duplicates (one LastPass company twice, or one PSA company for two LastPass
 * companies) are not parse errors: the rules engine reports them
 * (MAPPING_DUPLICATE) with every row involved; mapping_find_duplicates()
 * finds them.
 */
#ifndef LPSA_CORE_MAPPING_H
#define LPSA_CORE_MAPPING_H

#include <stddef.h>

/* The most errors mapping_load() lists before summing up the rest. */
#define MAPPING_MAX_ERRORS 20

typedef struct mapping_row {
  char *lastpass_company_id; /* never NULL or empty */
  char *psa_company_id;      /* never NULL or empty */
  char *agreement_id;        /* NULL when absent or empty */
  char *note;                /* NULL when absent or empty */
  int line;                  /* line where the row starts, for messages */
} mapping_row;

typedef struct mapping {
  char *name;        /* the path or name given, for messages */
  char *warning;     /* "FILE:LINE: ignoring the columns ...", or NULL */
  mapping_row *rows; /* file order */
  size_t n_rows;
} mapping;

/* Read and parse the file at `path` (a regular file of at most 16 MiB).
 * Returns 0 and fills *out, or -1 with every problem found (at most
 * MAPPING_MAX_ERRORS, then a line counting the rest), one per line,
 * "FILE:LINE: what is wrong; what to do", in err, leaving *out zeroed. */
int mapping_load(const char *path, mapping *out, char *err, size_t errlen);

/* The same on a buffer of `len` bytes (need not be NUL-terminated); `name`
 * stands for the file in messages. For tests and fuzzing. */
int mapping_parse_buffer(const char *buf, size_t len, const char *name,
                         mapping *out, char *err, size_t errlen);

/* Free and zero. Safe on a zeroed struct. */
void mapping_free(mapping *m);

typedef enum mapping_dup_kind {
  MAPPING_DUP_LASTPASS, /* rows share a lastpass_company_id */
  MAPPING_DUP_PSA       /* rows share a psa_company_id */
} mapping_dup_kind;

/* One set of two or more rows sharing an id. */
typedef struct mapping_dup {
  mapping_dup_kind kind;
  const char *id; /* points into the mapping */
  size_t *rows;   /* indexes into mapping.rows, ascending */
  size_t n_rows;  /* >= 2 */
} mapping_dup;

typedef struct mapping_dups {
  mapping_dup *items; /* LastPass sets first, each kind in order of first
                         appearance */
  size_t n;
} mapping_dups;

/* Every set of rows sharing a LastPass id, then every set sharing a PSA
 * company id (ids compare exactly). A row may appear in one set of each
 * kind. 0, or -1 when out of memory (*out then empty). */
int mapping_find_duplicates(const mapping *m, mapping_dups *out);
void mapping_dups_free(mapping_dups *d);

#endif
