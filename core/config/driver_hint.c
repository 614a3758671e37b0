/* SPDX-License-Identifier: MIT */
/*
 * driver_hint.c — guess the driver a misspelt or abbreviated name means
 * (see driver_hint.h).
 */
#include "driver_hint.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_NAMES 64

/* word's letters appear in name in order, the first ones equal. */
static int abbreviates(const char *word, const char *name) {
  if (!*word || tolower((unsigned char)*word) != tolower((unsigned char)*name))
    return 0;
  for (; *name && *word; name++)
    if (tolower((unsigned char)*name) == tolower((unsigned char)*word))
      word++;
  return *word == '\0';
}

const char *driver_hint_guess(const char *word, const char *const *names,
                              size_t n) {
  const char *near = config_suggest(word, names, n);
  if (near)
    return near;
  const char *only = NULL;
  for (size_t i = 0; i < n; i++)
    if (abbreviates(word, names[i])) {
      if (only)
        return NULL; /* "c" for connectwise and cwlegacy: say nothing */
      only = names[i];
    }
  return only;
}

void driver_hint_option(const lpsa_config *cfg, const char *name, char *out,
                        size_t len) {
  const char *names[MAX_NAMES];
  size_t n = 0;
  for (size_t i = 0; i < cfg->n_drivers && n < MAX_NAMES; i++)
    names[n++] = cfg->drivers[i].name;
  const char *guess = driver_hint_guess(name, names, n);
  if (guess)
    snprintf(out, len, "did you mean --driver %s? ", guess);
  else if (len)
    out[0] = '\0';
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.so names (without ".so") in the driver_path directories, sorted,
 * each once; the caller frees them. */
static size_t driver_files(const lpsa_config *cfg, char **names) {
  size_t n = 0;
  for (size_t d = 0; d < cfg->n_driver_path; d++) {
    DIR *dir = opendir(cfg->driver_path[d]);
    struct dirent *e;
    while (dir && (e = readdir(dir)) && n < MAX_NAMES) {
      size_t l = strlen(e->d_name);
      if (l <= 3 || strcmp(e->d_name + l - 3, ".so") != 0)
        continue;
      int dup = 0;
      for (size_t i = 0; i < n && !dup; i++)
        dup = strncmp(names[i], e->d_name, l - 3) == 0 && !names[i][l - 3];
      if (!dup && (names[n] = strndup(e->d_name, l - 3)))
        n++;
    }
    if (dir)
      closedir(dir);
  }
  qsort(names, n, sizeof *names, by_name);
  return n;
}

void driver_hint_section(const lpsa_config *cfg,
                         const config_driver_section *sec, char *out,
                         size_t len) {
  if (len)
    out[0] = '\0';
  char *names[MAX_NAMES];
  size_t n = driver_files(cfg, names);
  if (n == 0)
    return;
  char list[1024] = "";
  for (size_t i = 0; i < n; i++) {
    size_t used = strlen(list);
    snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
  }
  const char *guess =
      driver_hint_guess(sec->module, (const char *const *)names, n);
  if (!guess && n == 1)
    guess = names[0];
  char fix[256];
  if (guess)
    snprintf(fix, sizeof fix, "module = %s", guess);
  else
    snprintf(fix, sizeof fix, "module = NAME, NAME one of those");
  if (sec->module_line)
    snprintf(out, len,
             "%s:%d: module = %s in [driver.%s] is no driver on driver_path "
             "(drivers there: %s); %s%s%s",
             cfg->name, sec->module_line, sec->module, sec->name, list,
             guess ? "did you mean " : "write ", fix, guess ? "?" : "");
  else
    snprintf(out, len,
             "%s:%d: [driver.%s] has no module line, so it loads %s.so, which "
             "is no driver on driver_path (drivers there: %s); add %s to "
             "[driver.%s]",
             cfg->name, sec->line, sec->name, sec->module, list, fix,
             sec->name);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
}
