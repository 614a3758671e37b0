/* SPDX-License-Identifier: MIT */
/*
 * conf_elf.h — the symbols a shared object exports (its dynamic symbol
 * table), so the suite can tell a driver that leaks its internals into the
 * host's symbol space: a driver exports lpsa_driver_entry and nothing else.
 */
#ifndef LPSA_CONF_ELF_H
#define LPSA_CONF_ELF_H

#include <stddef.h>

/* Write the names of the defined global or weak functions and objects of
 * `path`'s dynamic symbol table, except lpsa_driver_entry and the linker's
 * own (_init, _fini, _edata, _end, __bss_start), into out, separated by
 * ", " and truncated to cap. Returns how many there are (0: only the entry),
 * or -1 with a reason in out when the file is not an ELF shared object of
 * this machine's word size. *has_entry says whether lpsa_driver_entry was
 * among them. */
long conf_elf_extra_exports(const char *path, int *has_entry, char *out,
                            size_t cap);

#endif
