/* SPDX-License-Identifier: MIT */
/*
 * atomic_file.h — replace a file so that a reader sees either the old or the
 * new content, never half of one: a temporary file in the same directory,
 * written and synced, then renamed over the target, then the directory
 * synced. Every file lpsa writes goes through here.
 *
 * No other file can be made to receive the content: the temporary name is
 * random and created exclusively (mkstemp: O_CREAT|O_EXCL, so a symbolic
 * link planted at any name is never followed), and the rename replaces a
 * link at the target itself rather than the file it points to. The mode is
 * set on the open descriptor, so the umask does not change it.
 */
#ifndef LPSA_CORE_ATOMIC_FILE_H
#define LPSA_CORE_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Write `len` bytes of `data` to `path` with permissions `mode`. 0, or -1
 * with one line in err ("cannot write PATH: reason"); the target is then
 * untouched and no temporary file is left. */
int atomic_write_file(const char *path, const char *data, size_t len,
                      mode_t mode, char *err, size_t errlen);

#endif
