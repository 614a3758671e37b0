/* SPDX-License-Identifier: MIT */
/*
 * web_mapping_edit.h — add, change or remove one row of the mapping file
 * from the console, as carefully as a person editing it by hand would:
 *
 *   - the edit names the version of the file it was made on (the SHA-256 of
 *     its bytes, as GET /api/v1/mapping returned it): a file changed since
 *     (by a person, or another browser) is refused, nothing written;
 *   - only the edited row's lines change: comments, blank lines, the other
 *     rows and their quoting stay byte for byte; a new row goes at the end,
 *     in the header's column order (a missing optional column is appended
 *     to the header, which leaves every other row valid);
 *   - the result goes through the CLI's own parser (mapping.h) and its
 *     duplicate finder: an edit that would not load, or that would map a
 *     LastPass or PSA company twice (MAPPING_DUPLICATE), is refused;
 *   - the file as it was is first copied to FILE.YYYYMMDD-HHMMSSZ.bak next
 *     to it, then the new content replaces it atomically (atomic_file.h),
 *     with the mode it had; a symbolic link is followed to the real file.
 */
#ifndef LPSA_WEB_MAPPING_EDIT_H
#define LPSA_WEB_MAPPING_EDIT_H

#include <stddef.h>
#include <time.h>

#define WEB_MAP_VERSION_LEN 64
#define WEB_MAP_ABSENT                                                         \
  "absent"                 /* the version of a file that does not exist        \
                            */
#define WEB_MAP_ID_MAX 100 /* characters of an id */
#define WEB_MAP_NOTE_MAX 500

typedef enum web_map_op {
  WEB_MAP_ADD,
  WEB_MAP_CHANGE,
  WEB_MAP_REMOVE
} web_map_op;

/* A row as the console sends it (NULL or "" for an empty optional cell). */
typedef struct web_map_row {
  const char *lastpass_id;
  const char *psa_company_id;
  const char *agreement_id;
  const char *note;
} web_map_row;

typedef struct web_map_result {
  int status; /* 200 changed, 201 added, 400 bad value, 404 no such row,
                 409 stale version / duplicate / file with errors,
                 500 cannot write */
  char message[8192];
  char version[WEB_MAP_VERSION_LEN + 1]; /* after, or current on 409 */
  char backup[4096];                     /* the backup written, or "" */
  /* The row before and after (empty when there was none / is none). */
  char before[4][WEB_MAP_NOTE_MAX + 1];
  char after[4][WEB_MAP_NOTE_MAX + 1];
  int line; /* where the row is now (0 when removed) */
} web_map_result;

/* The version of `len` bytes of a mapping file (hex SHA-256). */
void web_mapping_version(const char *text, size_t len,
                         char out[WEB_MAP_VERSION_LEN + 1]);

/* Read the file at `path`: its bytes (*text, malloc'd, NUL-terminated) and
 * version. A missing file gives *text = NULL and WEB_MAP_ABSENT. 0, or -1
 * with err. */
int web_mapping_read(const char *path, char **text, size_t *len,
                     char version[WEB_MAP_VERSION_LEN + 1], char *err,
                     size_t errlen);

/* Apply one edit. `target` is the LastPass id of the row to change or
 * remove (ADD: ignored; CHANGE: row->lastpass_id must equal it). `now`
 * names the backup. Always fills *r; returns 0 when the file was
 * written. */
int web_mapping_edit(const char *path, web_map_op op, const char *target,
                     const web_map_row *row, const char *expect_version,
                     time_t now, web_map_result *r);

#endif
