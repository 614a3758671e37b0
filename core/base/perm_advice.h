/* SPDX-License-Identifier: MIT */
/*
 * perm_advice.h — what to say when a file cannot be opened: a permission
 * problem is named as one (who runs lpsa-host, who owns the file, its
 * mode, whom to run as), never as "check the path".
 */
#ifndef LPSA_CORE_PERM_ADVICE_H
#define LPSA_CORE_PERM_ADVICE_H

#include <stddef.h>

/* 1 when errno value `err` from open() or realpath() is a permission
 * refusal (EACCES, EPERM). */
int perm_denied(int err);

/* For a permission refusal (perm_denied(err)) on `path`: "permission
 * denied: a permission problem, not a wrong path: USER may not read PATH
 * (owner O, group G, mode 0640); run lpsa-host as O or a member of G (the
 * service user), or give USER read access" — or the same about the first
 * directory on the way that USER may not enter. Otherwise strerror(err)
 * followed by `otherwise` ("; check the path", for instance). Writes into
 * out (always terminated); returns out. */
const char *perm_advice(const char *path, int err, const char *otherwise,
                        char *out, size_t len);

#endif
