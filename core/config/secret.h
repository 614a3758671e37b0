/* SPDX-License-Identifier: MIT */
/*
 * secret.h — credentials in the configuration: env:NAME, file:PATH or a
 * literal, resolved to the value itself, and the list of resolved values
 * the logger must redact.
 *
 *   api_key = env:LPSA_LASTPASS_API_KEY   the environment variable's value;
 *                                         unset or empty is an error
 *   api_key = file:/etc/lpsa/lastpass.key the file's content without one
 *                                         trailing line end ("\n" or
 *                                         "\r\n"); PATH relative
 *                                         to the config file's directory; the
 *                                         file must be a regular file, not
 *                                         empty, at most 64 KiB, and not
 *                                         readable by others (chmod o-r)
 *   api_key = lpkey_...                   a literal (the config file must
 *                                         then be readable by its owner
 *                                         only; config.c enforces that)
 * The prefixes are lower case and exact; a literal that happens to begin
 * with "env:" or "file:" must be put in a file. A secret holding a control
 * character (a line break, a tab, ...) after that is refused, whatever its
 * source: sent in a header, a line break would inject another one.
 */
#ifndef LPSA_CORE_SECRET_H
#define LPSA_CORE_SECRET_H

#include <stddef.h>

#include "log.h"

typedef enum secret_source {
  SECRET_LITERAL,
  SECRET_ENV, /* "env:NAME" */
  SECRET_FILE /* "file:PATH" */
} secret_source;

/* How `value` is given. */
secret_source secret_source_of(const char *value);

/* Resolve `value` of `key`, set at `file`:`line`, into a new string (*out,
 * the caller frees). Relative file: paths are taken from `config_dir`.
 * Returns 0, or -1 with one line in err: "FILE:LINE: KEY = ...: what is
 * wrong; what to do". The message never contains the secret itself. */
int secret_resolve(const char *value, const char *config_dir, const char *file,
                   int line, const char *key, char **out, char *err,
                   size_t errlen);

/* Every resolved secret of a configuration, kept so the caller can register
 * them with the logger (and anything else that must redact). */
typedef struct secret_list {
  char **values;
  size_t n;
} secret_list;

/* Add a copy of `value` (duplicates are kept once). 0, or -1 when out of
 * memory. An empty list is all zeroes. */
int secret_list_add(secret_list *list, const char *value);
void secret_list_free(secret_list *list);
/* log_add_secret() for each value. 0, or -1 when out of memory. */
int secret_list_register(const secret_list *list, lpsa_log *log);

#endif
