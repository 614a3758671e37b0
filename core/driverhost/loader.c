/* SPDX-License-Identifier: MIT */
/*
 * loader.c — finding <module>.so on the driver path, checking the file is
 * safe to load, loading it with libltdl and verifying its descriptor.
 *
 * Like collectd's plugin_load(): the name must match exactly but ignoring
 * case, symbolic links and non-regular files are refused, and a dlopen
 * failure says how to investigate. A file or directory that every user can
 * write is refused too: whoever can replace a driver runs code as the host.
 */
#include "loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <ltdl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "loader_internal.h"

/* Longest path we build; longer ones are refused rather than truncated. */
#define LOADER_PATH_MAX 4096

static int check_module_name(const char *module, char *err, size_t errlen) {
  if (!module || !*module)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver name is empty: give the driver's name, for "
                       "example connectwise");
  char shown[LOADER_MAX_NAME + 8];
  loader_printable(module, shown, sizeof shown);
  if (strchr(module, '/') || strstr(module, ".."))
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver name \"%s\" contains '/' or '..': give the bare "
                       "name (for example connectwise) and put its directory "
                       "in driver_path",
                       shown);
  if (strlen(module) > LOADER_MAX_NAME)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "driver name \"%s\" is longer than %d characters: give "
                       "the driver's name, for example connectwise",
                       shown, LOADER_MAX_NAME);
  for (const char *c = module; *c; c++) {
    int ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
             (*c >= '0' && *c <= '9') || *c == '_' || *c == '-';
    if (!ok)
      return loader_fail(err, errlen, LPSA_ERR_INVALID,
                         "driver name \"%s\" is not valid: a driver name only "
                         "holds letters, digits, '_' and '-'",
                         shown);
  }
  return LPSA_OK;
}

/* "dir/file" into out; 0, or -1 when it does not fit. */
static int join(char *out, size_t cap, const char *dir, const char *file) {
  int n = snprintf(out, cap, "%s/%s", dir, file);
  return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Look for `file` in `dir`: 1 and the path in out when found (exactly, or
 * else ignoring case), 0 when absent, -1 (err set) when ambiguous. */
static int find_in_dir(const char *dir, const char *file, char *out, size_t cap,
                       char *err, size_t errlen) {
  struct stat st;
  if (join(out, cap, dir, file) == 0 && lstat(out, &st) == 0)
    return 1;
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  char first[256] = "";
  int found = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (strcasecmp(e->d_name, file) != 0)
      continue;
    if (found++ == 0)
      snprintf(first, sizeof first, "%s", e->d_name);
    else {
      char a[300], b[300];
      loader_printable(first, a, sizeof a);
      loader_printable(e->d_name, b, sizeof b);
      closedir(d);
      return loader_fail(err, errlen, -1,
                         "driver %s is ambiguous in %s: both %s and %s match; "
                         "remove one of them",
                         file, dir, a, b);
    }
  }
  closedir(d);
  if (!found || join(out, cap, dir, first) != 0)
    return 0;
  return 1;
}

/* "a, b, c" of the directories, for the not-found message. */
static void list_dirs(const char *const *dirs, size_t n, char *out,
                      size_t cap) {
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < n && used < cap; i++) {
    char shown[LOADER_PATH_MAX];
    loader_printable(dirs[i], shown, sizeof shown);
    int w = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", shown);
    if (w < 0)
      break;
    used += (size_t)w;
  }
}

static int not_found(const char *const *dirs, size_t n_dirs, const char *module,
                     char *err, size_t errlen) {
  if (n_dirs == 0)
    return loader_fail(err, errlen, LPSA_ERR_NOT_FOUND,
                       "driver %s not found: driver_path is empty; set "
                       "driver_path in [host] to the drivers' directory",
                       module);
  char searched[2048];
  list_dirs(dirs, n_dirs, searched, sizeof searched);
  return loader_fail(err, errlen, LPSA_ERR_NOT_FOUND,
                     "driver %s not found: no %s.so in %s; install it in one "
                     "of them or add its directory to driver_path",
                     module, module, searched);
}

int loader_load(const char *const *dirs, size_t n_dirs, const char *module,
                loaded_driver *out, char *err, size_t errlen) {
  if (out)
    memset(out, 0, sizeof *out);
  if (err && errlen)
    err[0] = '\0';
  int rc = check_module_name(module, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  if (!out || (n_dirs && !dirs))
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "loader_load: no output or no directories given");
  char file[LOADER_MAX_NAME + 4];
  snprintf(file, sizeof file, "%s.so", module);
  for (size_t i = 0; i < n_dirs; i++) {
    if (!dirs[i] || !*dirs[i])
      continue;
    char path[LOADER_PATH_MAX];
    int found = find_in_dir(dirs[i], file, path, sizeof path, err, errlen);
    if (found < 0)
      return LPSA_ERR_INVALID;
    if (found) {
      /* The descriptor must match the name as the file spells it. */
      const char *base = strrchr(path, '/') + 1;
      char expected[LOADER_MAX_NAME + 4];
      snprintf(expected, sizeof expected, "%.*s", (int)(strlen(base) - 3),
               base);
      return loader_load_file(path, expected, out, err, errlen);
    }
  }
  return not_found(dirs, n_dirs, module, err, errlen);
}

/* The directory part of `path` ("." when none). */
static void dir_of(const char *path, char *out, size_t cap) {
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(out, cap, ".");
  else if (slash == path)
    snprintf(out, cap, "/");
  else
    snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

static int check_file(const char *path, const char *shown, char *err,
                      size_t errlen) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return loader_fail(err, errlen,
                       errno == ENOENT ? LPSA_ERR_NOT_FOUND : LPSA_ERR_INVALID,
                       "cannot read driver %s: %s", shown, strerror(errno));
  if (S_ISLNK(st.st_mode))
    return loader_fail(err, errlen, LPSA_ERR_PERMISSION,
                       "driver %s is a symbolic link, which is refused for "
                       "safety: copy the real file there instead",
                       shown);
  if (!S_ISREG(st.st_mode))
    return loader_fail(err, errlen, LPSA_ERR_PERMISSION,
                       "driver %s is not a regular file: replace it with the "
                       "driver's shared object",
                       shown);
  if (st.st_mode & S_IWOTH)
    return loader_fail(err, errlen, LPSA_ERR_PERMISSION,
                       "driver %s is writable by every user, so anyone could "
                       "replace it: run chmod o-w %s",
                       shown, shown);
  char dir[LOADER_PATH_MAX];
  dir_of(path, dir, sizeof dir);
  if (stat(dir, &st) != 0)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "cannot read the directory of driver %s: %s", shown,
                       strerror(errno));
  if (st.st_mode & S_IWOTH) {
    char dshown[LOADER_PATH_MAX];
    loader_printable(dir, dshown, sizeof dshown);
    return loader_fail(err, errlen, LPSA_ERR_PERMISSION,
                       "directory %s of driver %s is writable by every user, "
                       "so anyone could replace the driver: run chmod o-w %s",
                       dshown, shown, dshown);
  }
  return LPSA_OK;
}

/* Why the dynamic linker refused `path`: our reading of the ELF header
 * first, then dlopen's own words (libltdl replaces them with "file not
 * found"), then libltdl's. */
static void load_failure_reason(const char *path, const char *lt_reason,
                                char *why, size_t len) {
  if (loader_elf_diagnose(path, why, len))
    return;
  void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
  const char *dl = h ? NULL : dlerror();
  if (h)
    dlclose(h);
  if (dl) {
    /* dlerror() starts with "path: "; the message names the file already. */
    size_t plen = strlen(path);
    if (strncmp(dl, path, plen) == 0 && strncmp(dl + plen, ": ", 2) == 0)
      dl += plen + 2;
    loader_printable(dl, why, len);
    return;
  }
  loader_printable(lt_reason ? lt_reason : "unknown error", why, len);
}

static lt_dlhandle open_local(const char *path) {
  lt_dladvise advise;
  if (lt_dladvise_init(&advise) != 0)
    return NULL;
  lt_dlhandle h = NULL;
  if (lt_dladvise_local(&advise) == 0)
    h = lt_dlopenadvise(path, advise);
  lt_dladvise_destroy(&advise);
  return h;
}

/* Resolve and call the entry function; NULL (err set) on failure. */
static const lpsa_driver *call_entry(lt_dlhandle h, const char *shown,
                                     char *err, size_t errlen) {
  void *sym = lt_dlsym(h, LPSA_DRIVER_ENTRY);
  if (!sym) {
    loader_fail(err, errlen, LPSA_ERR_INVALID,
                "driver %s does not export %s(): it is not an lpsa driver, "
                "or was built without LPSA_EXPORT on its entry function",
                shown, LPSA_DRIVER_ENTRY);
    return NULL;
  }
  /* POSIX guarantees a data pointer from dlsym converts to a function
   * pointer; memcpy says so without a cast ISO C frowns on. */
  lpsa_driver_entry_fn entry;
  memcpy(&entry, &sym, sizeof entry);
  const lpsa_driver *d = entry();
  if (!d)
    loader_fail(err, errlen, LPSA_ERR_INVALID,
                "driver %s: %s() returned no descriptor: the driver is "
                "broken; reinstall it or ask its author for a fixed release",
                shown, LPSA_DRIVER_ENTRY);
  return d;
}

int loader_load_file(const char *path, const char *expected_name,
                     loaded_driver *out, char *err, size_t errlen) {
  if (out)
    memset(out, 0, sizeof *out);
  if (!path || !out)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "loader_load_file: no path or no output given");
  char shown[LOADER_PATH_MAX];
  loader_printable(path, shown, sizeof shown);
  int rc = check_file(path, shown, err, errlen);
  if (rc != LPSA_OK)
    return rc;
  if (lt_dlinit() != 0)
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "cannot load driver %s: libltdl failed to start: %s",
                       shown, lt_dlerror());
  lt_dlhandle h = open_local(path);
  if (!h) {
    char why[512];
    load_failure_reason(path, lt_dlerror(), why, sizeof why);
    lt_dlexit();
    return loader_fail(err, errlen, LPSA_ERR_INVALID,
                       "cannot load driver %s: %s: check it is a shared "
                       "object for this machine: run ldd %s",
                       shown, why, shown);
  }
  const lpsa_driver *d = call_entry(h, shown, err, errlen);
  rc = d ? loader_check_descriptor_as(d, expected_name, shown, err, errlen)
         : LPSA_ERR_INVALID;
  char *copy = rc == LPSA_OK ? strdup(path) : NULL;
  if (rc == LPSA_OK && !copy)
    rc = loader_fail(err, errlen, LPSA_ERR_NOMEM,
                     "cannot load driver %s: out of memory", shown);
  if (rc != LPSA_OK) {
    lt_dlclose(h);
    lt_dlexit();
    return rc;
  }
  out->desc = d;
  out->path = copy;
  out->handle = h;
  return LPSA_OK;
}

void loader_unload(loaded_driver *d) {
  if (!d)
    return;
  if (d->handle) {
    lt_dlclose((lt_dlhandle)d->handle);
    lt_dlexit();
  }
  free(d->path);
  memset(d, 0, sizeof *d);
}
