/* SPDX-License-Identifier: MIT */
/*
 * loader.h — finding, verifying and loading PSA drivers (see lpsa/driver.h).
 *
 * A driver is the file <module>.so in one of the driver_path directories.
 * The loader refuses, with one line naming the file and saying what to do, a
 * name with '/' or '..', a missing file (listing every directory searched), a
 * symbolic link, anything but a regular file, a file or directory writable by
 * every user, a file the dynamic linker cannot load, a missing entry symbol,
 * an entry returning NULL, and a descriptor that fails
 * loader_check_descriptor().
 *
 * Loading goes through libltdl with local binding, so two drivers may define
 * the same (hidden or not) symbols without clashing. Each loaded_driver holds
 * one libltdl reference, so loading and unloading many times is safe.
 *
 * loader_scan() is the `lpsa-host drivers` listing: it probes every *.so of
 * the path in a forked child, so a driver that crashes or hangs while loading
 * is reported as refused instead of taking the listing down.
 */
#ifndef LPSA_CORE_LOADER_H
#define LPSA_CORE_LOADER_H

#include <stddef.h>

#include "lpsa/driver.h"

/* Longest accepted descriptor strings, in bytes. */
#define LOADER_MAX_NAME 64
#define LOADER_MAX_VERSION 32
#define LOADER_MAX_DESCRIPTION 200

/* A loaded driver. Owned by the caller; release with loader_unload(). */
typedef struct loaded_driver {
  const lpsa_driver *desc; /* verified; valid until loader_unload() */
  char *path;              /* the file loaded, as found on the path */
  void *handle;            /* private: the lt_dlhandle */
} loaded_driver;

/*
 * Find `module`.so in dirs[0..n_dirs) (first directory wins; within one
 * directory an exact file name beats a case-insensitive match, so
 * "ConnectWise" finds connectwise.so), check the file and load it.
 * Returns LPSA_OK and fills *out, or leaves *out zeroed and returns:
 *   LPSA_ERR_INVALID     bad module name, unloadable file, bad descriptor
 *   LPSA_ERR_NOT_FOUND   no such file in any directory
 *   LPSA_ERR_PERMISSION  symbolic link, not a regular file, world-writable
 *   LPSA_ERR_UNSUPPORTED built for another ABI (major, newer minor, size)
 *   LPSA_ERR_NOMEM
 * with one line in err (always NUL-terminated when errlen > 0).
 */
int loader_load(const char *const *dirs, size_t n_dirs, const char *module,
                loaded_driver *out, char *err, size_t errlen);

/* Check and load the file `path`, whose descriptor must be named
 * `expected_name` (case-insensitively). Same results as loader_load(). */
int loader_load_file(const char *path, const char *expected_name,
                     loaded_driver *out, char *err, size_t errlen);

/* Unload and zero *d. A zeroed or NULL d is a no-op. */
void loader_unload(loaded_driver *d);

/*
 * Verify a descriptor, without loading anything: magic, ABI major, minor not
 * newer than the host's, struct_size for that minor, name equal to
 * `expected_name` ignoring case and made of [a-z0-9_-], non-empty name,
 * version, description, terms and config keys within their length limits,
 * every required operation (check is optional), and, in a 1.1 descriptor,
 * the sensitive header names (HTTP tokens, at most
 * LPSA_MAX_SENSITIVE_HEADERS of LPSA_MAX_HEADER_NAME). Returns LPSA_OK, or
 * LPSA_ERR_UNSUPPORTED (ABI) / LPSA_ERR_INVALID (anything else) with one line
 * in err naming the driver `expected_name`.
 */
int loader_check_descriptor(const lpsa_driver *d, const char *expected_name,
                            char *err, size_t errlen);

/* sizeof(lpsa_driver) as ABI 1.`minor` defines it, or 0 for a minor this
 * host does not know. */
size_t driver_struct_size_for_minor(unsigned minor);

/* One *.so file seen by loader_scan(). */
typedef struct loader_entry {
  char *path;
  int ok; /* 1: loads; 0: refused (reason says why) */
  /* When ok: */
  char *name;
  char *version;
  char *description;
  unsigned abi_major, abi_minor;
  /* When refused: one line. */
  char *reason;
} loader_entry;

typedef struct loader_listing {
  loader_entry *entries; /* directory order, then file name order */
  size_t n;
  size_t n_ok;
} loader_listing;

/* Default time a probe may take before it is killed and refused. */
#define LOADER_PROBE_TIMEOUT_MS 10000L

/*
 * Probe every *.so of every directory, each in a child process that loads
 * and verifies it. A file that shares its name (ignoring case) with one found
 * earlier on the path is refused as shadowed, since loader_load() would never
 * pick it. A directory that cannot be read is listed as a refused entry.
 * timeout_ms <= 0 means LOADER_PROBE_TIMEOUT_MS.
 * Returns LPSA_OK (even when every file is refused) or LPSA_ERR_NOMEM, or
 * LPSA_ERR_INVALID when a child process or pipe cannot be made; *out is
 * always safe to free.
 */
int loader_scan(const char *const *dirs, size_t n_dirs, long timeout_ms,
                loader_listing *out);
void loader_listing_free(loader_listing *l);

#endif
