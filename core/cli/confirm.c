/* SPDX-License-Identifier: MIT */
/*
 * confirm.c — the y/N question.
 */
#include "confirm.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int confirm_wanted(const app *a) {
  return !a->opt.yes && !a->opt.dry_run && !a->opt.daemon &&
         isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

int confirm_on_terminal(void *arg, const sync_confirm *c) {
  (void)arg;
  fputs(c->text, stdout);
  printf("\nApply %zu change%s to %s? This changes what customers are "
         "billed. [y/N] ",
         c->changes, c->changes == 1 ? "" : "s", c->psa);
  fflush(stdout);
  char line[64];
  if (!fgets(line, sizeof line, stdin)) {
    fputc('\n', stdout);
    return 0;
  }
  char *s = line, *e = line + strlen(line);
  while (*s && isspace((unsigned char)*s))
    s++;
  while (e > s && isspace((unsigned char)e[-1]))
    e--;
  *e = '\0';
  return strcasecmp(s, "y") == 0 || strcasecmp(s, "yes") == 0;
}
