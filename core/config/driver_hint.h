/* SPDX-License-Identifier: MIT */
/*
 * driver_hint.h — did-you-mean for driver names: `--driver conectwise`, and
 * a [driver.NAME] section whose NAME (or module) is not a driver file on
 * driver_path ("add module = connectwise to [driver.cw]").
 */
#ifndef LPSA_CORE_DRIVER_HINT_H
#define LPSA_CORE_DRIVER_HINT_H

#include <stddef.h>

#include "config.h"

/* The name among `names` that `word` most likely means: a near spelling
 * (config_suggest), else the only name that holds word's letters in order
 * starting with its first ("cw" -> connectwise), else NULL. */
const char *driver_hint_guess(const char *word, const char *const *names,
                              size_t n);

/* For --driver NAME that names no section: "did you mean --driver X?" when
 * a section is likely meant, else "" (into out). */
void driver_hint_option(const lpsa_config *cfg, const char *name, char *out,
                        size_t len);

/* For a section whose module file is not on driver_path: the line saying
 * which module to write, "FILE:LINE: [driver.cw] loads cw.so (its name,
 * having no module line), which is no driver on driver_path: add module =
 * connectwise to [driver.cw] (drivers there: autotask, connectwise)".
 * Empty when driver_path holds no driver at all (the loader's message
 * already says where it looked). */
void driver_hint_section(const lpsa_config *cfg,
                         const config_driver_section *sec, char *out,
                         size_t len);

#endif
