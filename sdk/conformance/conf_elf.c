/* SPDX-License-Identifier: MIT */
/*
 * conf_elf.c — read the dynamic symbol table of a shared object.
 *
 * Only this machine's word size is read: a driver of another class cannot
 * load anyway, and the loader test says so first.
 */
#include "conf_elf.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lpsa/driver.h"

#if __SIZEOF_POINTER__ == 8
#define CONF_ELFCLASS ELFCLASS64
#else
#define CONF_ELFCLASS ELFCLASS32
#endif

/* Symbols every linker adds; not the driver's doing. */
static int linker_symbol(const char *name) {
  static const char *const own[] = {"_init", "_fini", "_edata", "_end",
                                    "__bss_start"};
  for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strcmp(name, own[i]) == 0)
      return 1;
  return 0;
}

static void append(char *out, size_t cap, const char *name) {
  size_t used = strlen(out);
  if (used + 1 < cap)
    snprintf(out + used, cap - used, "%s%s", used ? ", " : "", name);
}

/* The section headers, checked to lie within the file; NULL if not. */
static const ElfW(Shdr) * section_headers(const unsigned char *m, size_t size,
                                          const ElfW(Ehdr) * eh) {
  if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(ElfW(Shdr)) ||
      eh->e_shoff > size ||
      (size - eh->e_shoff) / sizeof(ElfW(Shdr)) < eh->e_shnum)
    return NULL;
  return (const ElfW(Shdr) *)(const void *)(m + eh->e_shoff);
}

static long scan_dynsym(const unsigned char *m, size_t size,
                        const ElfW(Shdr) * sh, size_t n_sh, int *has_entry,
                        char *out, size_t cap) {
  long extra = 0;
  for (size_t i = 0; i < n_sh; i++) {
    if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= n_sh)
      continue;
    const ElfW(Shdr) *strs = &sh[sh[i].sh_link];
    if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
        strs->sh_offset > size || strs->sh_size > size - strs->sh_offset)
      return -1;
    const ElfW(Sym) *syms =
        (const ElfW(Sym) *)(const void *)(m + sh[i].sh_offset);
    size_t n = sh[i].sh_size / sizeof(ElfW(Sym));
    const char *names = (const char *)m + strs->sh_offset;
    for (size_t k = 0; k < n; k++) {
      unsigned bind = ELF64_ST_BIND(syms[k].st_info);
      unsigned type = ELF64_ST_TYPE(syms[k].st_info);
      if (syms[k].st_shndx == SHN_UNDEF || syms[k].st_name >= strs->sh_size ||
          (bind != STB_GLOBAL && bind != STB_WEAK) ||
          (type != STT_FUNC && type != STT_OBJECT && type != STT_TLS &&
           type != STT_GNU_IFUNC))
        continue;
      const char *name = names + syms[k].st_name;
      if (!memchr(name, '\0', strs->sh_size - syms[k].st_name))
        continue;
      if (strcmp(name, LPSA_DRIVER_ENTRY) == 0)
        *has_entry = 1;
      else if (!linker_symbol(name)) {
        extra++;
        append(out, cap, name);
      }
    }
  }
  return extra;
}

long conf_elf_extra_exports(const char *path, int *has_entry, char *out,
                            size_t cap) {
  *has_entry = 0;
  if (cap)
    out[0] = '\0';
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
    if (fd >= 0)
      close(fd);
    snprintf(out, cap, "cannot read %s as an ELF file", path);
    return -1;
  }
  size_t size = (size_t)st.st_size;
  void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    snprintf(out, cap, "cannot map %s", path);
    return -1;
  }
  const unsigned char *m = map;
  const ElfW(Ehdr) *eh = map;
  const ElfW(Shdr) *sh = NULL;
  if (memcmp(m, ELFMAG, SELFMAG) == 0 && m[EI_CLASS] == CONF_ELFCLASS &&
      eh->e_type == ET_DYN)
    sh = section_headers(m, size, eh);
  long extra =
      sh ? scan_dynsym(m, size, sh, eh->e_shnum, has_entry, out, cap) : -1;
  munmap(map, size);
  if (extra < 0)
    snprintf(out, cap,
             "%s is not an ELF shared object of this machine's word size",
             path);
  return extra;
}
