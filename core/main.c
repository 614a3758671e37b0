/*
 * main.c — lpsa-host's entry point. Placeholder until the CLI lands: it only
 * answers --version and --help.
 */
#include <stdio.h>
#include <string.h>

#include "lpsa/driver.h"
#include "version.h"

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    printf("lpsa-host %s (driver ABI %d.%d)\n", LPSA_VERSION, LPSA_ABI_MAJOR,
           LPSA_ABI_MINOR);
    return 0;
  }
  printf("usage: lpsa-host --version | --help\n");
  return argc > 1 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
