/* SPDX-License-Identifier: MIT */
/*
 * test_files.h — files and directories in tests: private temporary
 * directories (removed at the end even when a forked test failed), small
 * files written, read, copied from the source tree and searched.
 */
#ifndef LPSA_TEST_FILES_H
#define LPSA_TEST_FILES_H

#include <stddef.h>
#include <sys/types.h>

/* A new empty directory under $TMPDIR; malloc'd path, or NULL. */
char *test_tmpdir(const char *tag);
/* A new directory made $TMPDIR for the rest of the program, so whatever a
 * failed test leaves behind (a forked test cannot run its teardown) goes
 * with test_rmtree() at the end of main(). Exits when it cannot. */
char *test_private_tmpdir(const char *tag);
/* Remove a directory tree (tests' own temp dirs only: paths under /tmp/). */
void test_rmtree(const char *path);

/* Write `text` to dir/name (dir NULL: name is a path); 0 or -1. */
int test_write_file(const char *dir, const char *name, const char *text);
/* The same, created or truncated with `mode` (e.g. 0600 for a file holding
 * a secret); 0 or -1. */
int test_write_file_mode(const char *dir, const char *name, const char *text,
                         mode_t mode);
/* Read dir/name (NULL dir: name is a path); malloc'd, NUL-terminated, or
 * NULL when it cannot be read. */
char *test_read_file(const char *dir, const char *name);
/* The same from an open descriptor, from its start. */
char *test_read_fd(int fd);
/* Copy the source-tree file LPSA_SOURCE_DIR/rel into dir/name. 0 or -1. */
int test_copy_source(const char *rel, const char *dir, const char *name);
/* Copy the file `src` (any content) to dir/name with `mode`. 0 or -1. */
int test_copy_file(const char *src, const char *dir, const char *name,
                   mode_t mode);
/* LPSA_SOURCE_DIR/rel into out (the source tree's file). */
void test_source_path(const char *rel, char *out, size_t cap);
/* How many times `needle` occurs in dir/name (0 when it cannot be read). */
int test_count_in_file(const char *dir, const char *name, const char *needle);

#endif
