/* SPDX-License-Identifier: MIT */
/*
 * loader_scan.c — the driver listing: every *.so on the driver path, each
 * loaded and verified in a child process.
 *
 * Loading a shared object runs its code (constructors, the entry function).
 * A broken driver that crashes or hangs there must not take the listing
 * down, since the listing is what a person runs to find the broken driver.
 * So each file is probed in a forked child that loads it with the same
 * loader_load_file() the host uses and sends its verdict back through a
 * pipe; the parent turns a signal, an odd exit or a timeout into a refusal.
 *
 * Forking is safe here because the host lists drivers before it starts any
 * thread; the child only loads, writes and _exit()s.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader.h"
#include "loader_internal.h"

/* The verdict a child sends: "O\0name\0version\0major\0minor\0description\0"
 * or "R\0reason\0". Descriptor strings were verified to be printable, and
 * reasons are made printable, so NUL separates fields safely. */
#define VERDICT_MAX 8192
/* Longest path shown in a reason. */
#define SHOWN_MAX 4096

typedef struct probe_result {
  int ok;
  char *name, *version, *description, *reason;
  unsigned abi_major, abi_minor;
} probe_result;

/* ---- the child ---------------------------------------------------------- */

static void write_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t w = write(fd, buf, len);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return;
    buf += w;
    len -= (size_t)w;
  }
}

/* Let a crash kill the child with its real signal, even when a sanitizer
 * runtime installed handlers that would turn it into an exit status. */
static void default_crash_signals(void) {
  const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    signal(sigs[i], SIG_DFL);
}

/* Keep a chatty driver from writing into the listing (which may be JSON). */
static void silence_stdout(void) {
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) {
    dup2(null, STDOUT_FILENO);
    close(null);
  }
}

static void child_probe(int fd, const char *path, const char *expected) {
  default_crash_signals();
  silence_stdout();
  char buf[VERDICT_MAX];
  loaded_driver d;
  char err[2048];
  int n;
  if (loader_load_file(path, expected, &d, err, sizeof err) == LPSA_OK)
    n = snprintf(buf, sizeof buf, "O%c%s%c%s%c%u%c%u%c%s%c", 0, d.desc->name, 0,
                 d.desc->version, 0, (unsigned)d.desc->abi_major, 0,
                 (unsigned)d.desc->abi_minor, 0, d.desc->description, 0);
  else
    n = snprintf(buf, sizeof buf, "R%c%s%c", 0, err, 0);
  if (n > 0)
    write_all(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf);
  /* No unload, no exit handlers: the process ends here. */
  _exit(0);
}

/* ---- the parent --------------------------------------------------------- */

static long ms_since(const struct timespec *start) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (long)(now.tv_sec - start->tv_sec) * 1000 +
         (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Read the child's verdict until EOF or the deadline. Returns the bytes
 * read, or -1 on timeout. */
static long read_verdict(int fd, char *buf, size_t cap, long timeout_ms) {
  struct timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  size_t used = 0;
  for (;;) {
    long left = timeout_ms - ms_since(&start);
    if (left <= 0)
      return -1;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return r == 0 ? -1 : (long)used;
    char scratch[512];
    char *dst = used < cap ? buf + used : scratch;
    size_t room = used < cap ? cap - used : sizeof scratch;
    ssize_t got = read(fd, dst, room);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return (long)used;
    if (used < cap)
      used += (size_t)got;
  }
}

/* The next NUL-terminated field of buf[*pos..len), or NULL. */
static const char *next_field(const char *buf, size_t len, size_t *pos) {
  if (*pos >= len)
    return NULL;
  const char *s = buf + *pos;
  const char *end = memchr(s, '\0', len - *pos);
  if (!end)
    return NULL;
  *pos = (size_t)(end - buf) + 1;
  return s;
}

static char *dup_printable(const char *s) {
  size_t cap = strlen(s) + 1;
  char *out = malloc(cap);
  if (out)
    loader_printable(s, out, cap);
  return out;
}

/* Parse a verdict into *r. 0, -1 when garbled, -2 out of memory. */
static int parse_verdict(const char *buf, size_t len, probe_result *r) {
  size_t pos = 0;
  const char *kind = next_field(buf, len, &pos);
  if (kind && strcmp(kind, "R") == 0) {
    const char *reason = next_field(buf, len, &pos);
    if (!reason)
      return -1;
    r->reason = dup_printable(reason);
    return r->reason ? 0 : -2;
  }
  if (!kind || strcmp(kind, "O") != 0)
    return -1;
  const char *f[5];
  for (int i = 0; i < 5; i++)
    if (!(f[i] = next_field(buf, len, &pos)))
      return -1;
  r->ok = 1;
  r->name = dup_printable(f[0]);
  r->version = dup_printable(f[1]);
  r->abi_major = (unsigned)strtoul(f[2], NULL, 10);
  r->abi_minor = (unsigned)strtoul(f[3], NULL, 10);
  r->description = dup_printable(f[4]);
  return r->name && r->version && r->description ? 0 : -2;
}

static int set_reason(probe_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int set_reason(probe_result *r, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  r->reason = strdup(line);
  return r->reason ? LPSA_OK : LPSA_ERR_NOMEM;
}

static void wait_child(pid_t pid, int *status) {
  while (waitpid(pid, status, 0) < 0 && errno == EINTR)
    ;
}

/* Turn how the child ended into *r. */
static int judge(const char *shown, long got, const char *buf, int status,
                 long timeout_ms, probe_result *r) {
  if (got < 0)
    return set_reason(r,
                      "driver %s did not finish loading within %ld ms and "
                      "was stopped: it hangs in its entry function or "
                      "constructors; remove it or ask its author for a fix",
                      shown, timeout_ms);
  if (WIFSIGNALED(status))
    return set_reason(r,
                      "driver %s crashed while loading (signal %d): remove it "
                      "from driver_path or ask its author for a fixed release",
                      shown, WTERMSIG(status));
  int parsed = parse_verdict(buf, (size_t)got, r);
  if (parsed == -2)
    return LPSA_ERR_NOMEM;
  if (parsed == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return LPSA_OK;
  free(r->name), free(r->version), free(r->description), free(r->reason);
  memset(r, 0, sizeof *r);
  return set_reason(r,
                    "driver %s ended the process while loading (exit status "
                    "%d): a driver must never exit; remove it or ask its "
                    "author for a fixed release",
                    shown, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static int probe(const char *path, const char *expected, long timeout_ms,
                 probe_result *r) {
  char shown[SHOWN_MAX];
  loader_printable(path, shown, sizeof shown);
  int fds[2];
  if (pipe(fds) != 0)
    return LPSA_ERR_INVALID;
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return LPSA_ERR_INVALID;
  }
  if (pid == 0) {
    close(fds[0]);
    child_probe(fds[1], path, expected);
  }
  close(fds[1]);
  static const size_t cap = VERDICT_MAX;
  char *buf = malloc(cap);
  long got = buf ? read_verdict(fds[0], buf, cap, timeout_ms) : -1;
  close(fds[0]);
  if (got < 0 && buf)
    kill(pid, SIGKILL);
  int status = 0;
  wait_child(pid, &status);
  int rc = buf ? judge(shown, got, buf, status, timeout_ms, r) : LPSA_ERR_NOMEM;
  free(buf);
  return rc;
}

/* ---- the listing -------------------------------------------------------- */

static loader_entry *new_entry(loader_listing *l, size_t *cap) {
  if (l->n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    loader_entry *grown = realloc(l->entries, ncap * sizeof *grown);
    if (!grown)
      return NULL;
    l->entries = grown;
    *cap = ncap;
  }
  loader_entry *e = &l->entries[l->n++];
  memset(e, 0, sizeof *e);
  return e;
}

static int has_so_suffix(const char *name) {
  size_t len = strlen(name);
  return len > 3 && strcasecmp(name + len - 3, ".so") == 0;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
}

/* The sorted *.so names of `dir`. 0, -1 when unreadable (errno set), -2 out
 * of memory. */
static int list_so_files(const char *dir, char ***out, size_t *n_out) {
  *out = NULL;
  *n_out = 0;
  DIR *d = opendir(dir);
  if (!d)
    return -1;
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
    if (!has_so_suffix(e->d_name))
      continue;
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 16;
      char **grown = realloc(names, ncap * sizeof *grown);
      if (!grown) {
        rc = -2;
        break;
      }
      names = grown;
      cap = ncap;
    }
    if (!(names[n] = strdup(e->d_name)))
      rc = -2;
    else
      n++;
  }
  closedir(d);
  if (rc != 0) {
    free_names(names, n);
    return rc;
  }
  if (n)
    qsort(names, n, sizeof *names, cmp_names);
  *out = names;
  *n_out = n;
  return 0;
}

/* The entry of an earlier directory that loader_load() would pick instead
 * of `name` (same name ignoring case), or NULL. */
static const loader_entry *shadowing(const loader_listing *l,
                                     size_t first_of_dir, const char *name) {
  for (size_t i = 0; i < first_of_dir; i++) {
    const char *slash = strrchr(l->entries[i].path, '/');
    if (slash && strcasecmp(slash + 1, name) == 0)
      return &l->entries[i];
  }
  return NULL;
}

static int add_text_entry(loader_entry *e, const char *path,
                          const char *reason) {
  e->path = strdup(path);
  e->reason = strdup(reason);
  return e->path && e->reason ? LPSA_OK : LPSA_ERR_NOMEM;
}

static int scan_file(loader_listing *l, size_t *cap, size_t first_of_dir,
                     const char *dir, const char *name, long timeout_ms) {
  size_t plen = strlen(dir) + 1 + strlen(name) + 1;
  char *path = malloc(plen);
  if (!path)
    return LPSA_ERR_NOMEM;
  snprintf(path, plen, "%s/%s", dir, name);
  const loader_entry *first = shadowing(l, first_of_dir, name);
  loader_entry *e = new_entry(l, cap);
  if (!e) {
    free(path);
    return LPSA_ERR_NOMEM;
  }
  e->path = path;
  if (first) {
    char a[SHOWN_MAX], b[SHOWN_MAX];
    loader_printable(path, a, sizeof a);
    loader_printable(first->path, b, sizeof b);
    char line[2 * SHOWN_MAX + 128];
    snprintf(line, sizeof line,
             "driver %s is not used: %s comes first on driver_path", a, b);
    return (e->reason = strdup(line)) ? LPSA_OK : LPSA_ERR_NOMEM;
  }
  char expected[LOADER_MAX_NAME + 8];
  snprintf(expected, sizeof expected, "%.*s", (int)(strlen(name) - 3), name);
  probe_result r = {0};
  int rc = probe(path, expected, timeout_ms, &r);
  e->ok = r.ok;
  e->name = r.name;
  e->version = r.version;
  e->description = r.description;
  e->reason = r.reason;
  e->abi_major = r.abi_major;
  e->abi_minor = r.abi_minor;
  if (e->ok)
    l->n_ok++;
  return rc;
}

static int scan_dir(loader_listing *l, size_t *cap, const char *dir,
                    long timeout_ms) {
  char **names;
  size_t n;
  int lr = list_so_files(dir, &names, &n);
  if (lr == -2)
    return LPSA_ERR_NOMEM;
  if (lr == -1) {
    char line[SHOWN_MAX + 256], shown[SHOWN_MAX];
    loader_printable(dir, shown, sizeof shown);
    snprintf(line, sizeof line,
             "cannot read driver directory %s: %s; fix driver_path", shown,
             strerror(errno));
    loader_entry *e = new_entry(l, cap);
    return e ? add_text_entry(e, dir, line) : LPSA_ERR_NOMEM;
  }
  size_t first_of_dir = l->n;
  int rc = LPSA_OK;
  for (size_t i = 0; i < n && rc == LPSA_OK; i++)
    rc = scan_file(l, cap, first_of_dir, dir, names[i], timeout_ms);
  free_names(names, n);
  return rc;
}

int loader_scan(const char *const *dirs, size_t n_dirs, long timeout_ms,
                loader_listing *out) {
  memset(out, 0, sizeof *out);
  if (timeout_ms <= 0)
    timeout_ms = LOADER_PROBE_TIMEOUT_MS;
  size_t cap = 0;
  for (size_t i = 0; i < n_dirs; i++) {
    if (!dirs[i] || !*dirs[i])
      continue;
    int rc = scan_dir(out, &cap, dirs[i], timeout_ms);
    if (rc != LPSA_OK)
      return rc;
  }
  return LPSA_OK;
}

void loader_listing_free(loader_listing *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->n; i++) {
    loader_entry *e = &l->entries[i];
    free(e->path);
    free(e->name);
    free(e->version);
    free(e->description);
    free(e->reason);
  }
  free(l->entries);
  memset(l, 0, sizeof *l);
}
