/* SPDX-License-Identifier: MIT */
/*
 * plan_save.c — a plan on disk.
 */
#include "plan_save.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "plan_doc.h"
#include "plan_key.h"

int plan_save(plan_meta *m, const run_result *r, const lpsa_log *redact,
              const char *state_dir, const char *out_path, char *path,
              size_t cap, char *err, size_t errlen) {
  plan_key key;
  if (plan_key_load(state_dir, 1, &key, err, errlen) != 0)
    return -1;
  char *text = plan_doc_render(m, r, &key, redact);
  plan_key_wipe(&key);
  if (!text) {
    snprintf(err, errlen, "cannot write the plan: out of memory");
    return -1;
  }
  if (out_path) {
    snprintf(path, cap, "%s", out_path);
  } else {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plans", state_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
      snprintf(err, errlen,
               "cannot create %s: %s; give state_dir to the user that runs "
               "lpsa-host, or save the plan elsewhere with --out FILE",
               dir, strerror(errno));
      free(text);
      return -1;
    }
    snprintf(path, cap, "%s/%s.json", dir, m->id);
  }
  int rc = atomic_write_file(path, text, strlen(text), 0600, err, errlen);
  free(text);
  return rc;
}
