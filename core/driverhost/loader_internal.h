/* SPDX-License-Identifier: MIT */
/*
 * loader_internal.h — what the loader's files share and nobody else needs:
 * message helpers, the descriptor check with a label, the ELF diagnosis.
 */
#ifndef LPSA_CORE_LOADER_INTERNAL_H
#define LPSA_CORE_LOADER_INTERNAL_H

#include <stddef.h>

#include "lpsa/driver.h"

/* Write one formatted line into err (NUL-terminated when errlen > 0) and
 * return `status`, so refusals are one statement. */
int loader_fail(char *err, size_t errlen, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Copy `in` for a message: control characters become '?', and anything
 * beyond cap - 4 bytes is cut and marked with "...". NULL becomes "(null)". */
void loader_printable(const char *in, char *out, size_t cap);

/* loader_check_descriptor(), naming the driver `label` (a path) in err. */
int loader_check_descriptor_as(const lpsa_driver *d, const char *expected_name,
                               const char *label, char *err, size_t errlen);

/* Why the ELF header of `path` cannot load on this machine (not an ELF file,
 * other word size, byte order, machine, or not a shared object). Returns 1
 * and one phrase in why, or 0 when the header looks loadable or unreadable. */
int loader_elf_diagnose(const char *path, char *why, size_t len);

#endif
