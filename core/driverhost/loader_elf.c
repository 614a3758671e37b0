/* SPDX-License-Identifier: MIT */
/*
 * loader_elf.c — saying why a file is not a loadable shared object.
 *
 * The dynamic linker's own words are poor here: glibc answers "No such file
 * or directory" for a library built for another machine, and libltdl reports
 * every failure as "file not found". Reading the ELF header ourselves gives
 * the person the real reason (wrong machine, 32-bit build, not ELF at all).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "loader_internal.h"

/* The ELF machine this host was compiled for; 0 when unknown (the machine
 * is then not checked). */
static unsigned host_machine(void) {
#if defined(__x86_64__)
  return EM_X86_64;
#elif defined(__aarch64__)
  return EM_AARCH64;
#elif defined(__i386__)
  return EM_386;
#elif defined(__arm__)
  return EM_ARM;
#elif defined(__riscv)
  return EM_RISCV;
#elif defined(__powerpc64__)
  return EM_PPC64;
#elif defined(__s390x__)
  return EM_S390;
#else
  return 0;
#endif
}

static const char *machine_name(unsigned m) {
  switch (m) {
  case EM_X86_64:
    return "x86-64";
  case EM_AARCH64:
    return "AArch64 (64-bit ARM)";
  case EM_386:
    return "i386";
  case EM_ARM:
    return "32-bit ARM";
  case EM_RISCV:
    return "RISC-V";
  case EM_PPC64:
    return "PowerPC 64";
  case EM_S390:
    return "IBM Z";
  default:
    return NULL;
  }
}

static unsigned read_u16(const unsigned char *p, int little) {
  return little ? (unsigned)(p[0] | p[1] << 8) : (unsigned)(p[0] << 8 | p[1]);
}

static void describe_machine(unsigned m, char *out, size_t len) {
  const char *name = machine_name(m);
  if (name)
    snprintf(out, len, "%s", name);
  else
    snprintf(out, len, "ELF machine %u", m);
}

int loader_elf_diagnose(const char *path, char *why, size_t len) {
  unsigned char h[EI_NIDENT + 4];
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return 0;
  ssize_t got = read(fd, h, sizeof h);
  close(fd);
  if (got < 4 || memcmp(h, ELFMAG, SELFMAG) != 0) {
    snprintf(why, len, "not a shared object (no ELF header)");
    return 1;
  }
  if (got < (ssize_t)sizeof h) {
    snprintf(why, len, "a truncated ELF file");
    return 1;
  }
  int bits = h[EI_CLASS] == ELFCLASS64   ? 64
             : h[EI_CLASS] == ELFCLASS32 ? 32
                                         : 0;
  int host_bits = (int)sizeof(void *) * 8;
  if (!bits) {
    snprintf(why, len, "an ELF file of unknown class");
    return 1;
  }
  if (bits != host_bits) {
    snprintf(why, len, "a %d-bit ELF file, but this host is %d-bit", bits,
             host_bits);
    return 1;
  }
  int little = h[EI_DATA] == ELFDATA2LSB;
  int host_little = 1;
  {
    const unsigned one = 1;
    host_little = *(const unsigned char *)&one == 1;
  }
  if (little != host_little) {
    snprintf(why, len, "an ELF file of the other byte order");
    return 1;
  }
  unsigned type = read_u16(h + EI_NIDENT, little);
  unsigned machine = read_u16(h + EI_NIDENT + 2, little);
  unsigned mine = host_machine();
  if (mine && machine != mine) {
    char theirs[64], ours[64];
    describe_machine(machine, theirs, sizeof theirs);
    describe_machine(mine, ours, sizeof ours);
    snprintf(why, len, "built for %s, but this host runs on %s", theirs, ours);
    return 1;
  }
  if (type != ET_DYN) {
    snprintf(why, len, "an ELF file that is not a shared object (type %u)",
             type);
    return 1;
  }
  return 0;
}
