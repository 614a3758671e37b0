/* SPDX-License-Identifier: MIT */
/*
 * map_suggest.h — proposing mapping rows from company names (the pure part
 * of `lpsa-host map suggest`): for each LastPass managed company, the PSA
 * company whose name scores best (name_match.h) and the runner-up, and the
 * state of each row; map_suggest_render.h writes them as a mapping CSV for
 * a person to review.
 *
 * A suggestion is kept as a live row only when it is safe to use as it
 * stands; otherwise the row is written commented out ('#'), with the reason
 * in its note:
 *   suggested        the best score reaches the threshold, the runner-up is
 *                    clearly behind (margin), and no other LastPass company
 *                    matches that PSA company better;
 *   below_threshold  the best score is under the threshold;
 *   ambiguous        the runner-up is within the margin of the best (and the
 *                    best is not an identical name);
 *   taken            another LastPass company matches the same PSA company
 *                    better (or as well): mapping both would be a
 *                    MAPPING_DUPLICATE;
 *   no_match         no PSA company scores above 0.
 *
 * The CSV has exactly the mapping file's columns (lastpass_company_id,
 * psa_company_id, agreement_id, note), so the reviewed output can be used as
 * the mapping file; the details go into `note`:
 *   confidence 93; runner-up 1044 'Acme Holdings' 71; LastPass name 'Acme';
 *   PSA name 'ACME Inc.'
 * Rows are ordered by confidence, highest first, then by LastPass name.
 */
#ifndef LPSA_CORE_MAP_SUGGEST_H
#define LPSA_CORE_MAP_SUGGEST_H

#include <stddef.h>

#define MAP_SUGGEST_THRESHOLD 70
#define MAP_SUGGEST_MARGIN 5

typedef struct ms_company {
  const char *id;
  const char *name; /* may be NULL (no name) */
} ms_company;

typedef enum ms_state {
  MS_SUGGESTED = 0,
  MS_BELOW_THRESHOLD,
  MS_AMBIGUOUS,
  MS_TAKEN,
  MS_NO_MATCH
} ms_state;

typedef struct ms_row {
  size_t lastpass;   /* index into the LastPass list */
  long best, second; /* indexes into the PSA list, -1 for none */
  int best_score, second_score;
  ms_state state;
  long taken_by; /* MS_TAKEN: the LastPass index that keeps the PSA company */
} ms_row;

typedef struct ms_result {
  ms_row *rows; /* one per LastPass company, in output order */
  size_t n;
} ms_result;

typedef struct ms_options {
  int threshold; /* 0: MAP_SUGGEST_THRESHOLD */
  int margin;    /* 0: MAP_SUGGEST_MARGIN */
} ms_options;

/* Score every pair and decide each row. 0, or -1 when out of memory. */
int map_suggest(const ms_company *lastpass, size_t n_lastpass,
                const ms_company *psa, size_t n_psa, const ms_options *opt,
                ms_result *out);
void ms_result_free(ms_result *r);

const char *ms_state_name(ms_state s);

#endif
