/* SPDX-License-Identifier: MIT */
/*
 * test_loader.c — the driver loader: each refusal's message, loading the good
 * fixture, case-insensitive lookup, the not-found listing, and the driver
 * listing (text and JSON) surviving a driver that crashes or hangs.
 *
 * Fixture drivers are built by tests/fixtures/CMakeLists.txt into
 * $LPSA_BUILD_DIR/tests/fixtures/drivers/<case>/; files a test must shape
 * (symlinks, world-writable files, truncated or foreign ELF) are made in a
 * private temporary directory under the build tree.
 */
#include <check.h>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "drivers_list.h"
#include "loader.h"

#define assert_has(text, needle)                                               \
  ck_assert_msg(strstr((text), (needle)) != NULL, "expected \"%s\" in: %s",    \
                (needle), (text))

/* ---- helpers ------------------------------------------------------------ */

static const char *build_dir(void) {
  const char *b = getenv("LPSA_BUILD_DIR");
  ck_assert_msg(b && *b, "LPSA_BUILD_DIR is not set (run through ctest)");
  return b;
}

/* The directory of one fixture case. */
static void case_dir(const char *name, char *out, size_t cap) {
  snprintf(out, cap, "%s/tests/fixtures/drivers/%s", build_dir(), name);
}

static void case_file(const char *name, const char *file, char *out,
                      size_t cap) {
  snprintf(out, cap, "%s/tests/fixtures/drivers/%s/%s", build_dir(), name,
           file);
}

/* A fresh private (0700) directory under the build tree. */
static void make_tmp_dir(char *out, size_t cap) {
  snprintf(out, cap, "%s/tests/fixtures/tmp-loader-XXXXXX", build_dir());
  ck_assert_ptr_nonnull(mkdtemp(out));
}

/* Remove a temporary directory and the plain entries in it. */
static void remove_tmp_dir(const char *dir) {
  chmod(dir, 0700);
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (unlink(p) != 0)
      rmdir(p);
  }
  closedir(d);
  ck_assert_int_eq(rmdir(dir), 0);
}

static void write_bytes(const char *path, const void *data, size_t len,
                        mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
  ck_assert_int_eq(close(fd), 0);
  ck_assert_int_eq(chmod(path, mode), 0);
}

static unsigned char *read_bytes(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  ck_assert_ptr_nonnull(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  ck_assert_int_gt(n, 0);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc((size_t)n);
  ck_assert_ptr_nonnull(buf);
  ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  *len = (size_t)n;
  return buf;
}

/* Copy fixture <case>/<file> to dir/<as>, with `mode`. */
static void copy_fixture(const char *name, const char *file, const char *dir,
                         const char *as, mode_t mode) {
  char src[4096], dst[4096];
  case_file(name, file, src, sizeof src);
  snprintf(dst, sizeof dst, "%s/%s", dir, as);
  size_t len;
  unsigned char *buf = read_bytes(src, &len);
  write_bytes(dst, buf, len, mode);
  free(buf);
}

/* Load `module` from the single directory of fixture `name`. */
static int load_case(const char *name, const char *module, loaded_driver *d,
                     char *err, size_t errlen) {
  char dir[4096];
  case_dir(name, dir, sizeof dir);
  const char *dirs[] = {dir};
  return loader_load(dirs, 1, module, d, err, errlen);
}

/* Load `module` from one directory and expect a refusal with `status`. */
static void expect_refusal_in(const char *dir, const char *module, int status,
                              char *err, size_t errlen) {
  const char *dirs[] = {dir};
  loaded_driver d;
  int rc = loader_load(dirs, 1, module, &d, err, errlen);
  ck_assert_msg(rc == status, "status %d, expected %d: %s", rc, status, err);
  ck_assert_ptr_null(d.desc);
  ck_assert_ptr_null(d.handle);
  ck_assert_ptr_null(strchr(err, '\n')); /* one line */
}

static void expect_case_refusal(const char *name, int status, char *err,
                                size_t errlen) {
  char dir[4096];
  case_dir(name, dir, sizeof dir);
  expect_refusal_in(dir, name, status, err, errlen);
  assert_has(err, dir); /* names the file */
}

/* ---- loading ------------------------------------------------------------ */

START_TEST(loads_the_good_fixture) {
  loaded_driver d, again;
  char err[1024];
  ck_assert_int_eq(load_case("good", "good", &d, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(err, "");
  ck_assert_str_eq(d.desc->name, "good");
  ck_assert_str_eq(d.desc->version, "1.2.3");
  ck_assert_ptr_nonnull(strstr(d.path, "/good/good.so"));
  ck_assert_ptr_nonnull(d.desc->open);
  ck_assert_ptr_null(d.desc->check);
  /* A second load of the same file is independent of the first. */
  ck_assert_int_eq(load_case("good", "good", &again, err, sizeof err), LPSA_OK);
  loader_unload(&d);
  ck_assert_ptr_null(d.desc);
  ck_assert_str_eq(again.desc->terms->psa, "Fixture PSA");
  loader_unload(&again);
  loader_unload(&again); /* zeroed: a no-op */
  loader_unload(NULL);
}
END_TEST

START_TEST(lookup_ignores_case) {
  loaded_driver d;
  char err[1024];
  ck_assert_int_eq(load_case("good", "GOOD", &d, err, sizeof err), LPSA_OK);
  ck_assert_str_eq(d.desc->name, "good");
  loader_unload(&d);
  ck_assert_int_eq(load_case("good", "Good", &d, err, sizeof err), LPSA_OK);
  loader_unload(&d);
}
END_TEST

START_TEST(first_directory_wins) {
  char tmp[1024], good[4096], err[1024];
  make_tmp_dir(tmp, sizeof tmp);
  copy_fixture("badmagic", "badmagic.so", tmp, "good.so", 0644);
  case_dir("good", good, sizeof good);
  loaded_driver d;
  const char *good_first[] = {good, tmp};
  ck_assert_int_eq(loader_load(good_first, 2, "good", &d, err, sizeof err),
                   LPSA_OK);
  ck_assert_ptr_nonnull(strstr(d.path, good));
  loader_unload(&d);
  const char *bad_first[] = {tmp, good};
  ck_assert_int_eq(loader_load(bad_first, 2, "good", &d, err, sizeof err),
                   LPSA_ERR_INVALID);
  assert_has(err, "bad magic");
  remove_tmp_dir(tmp);
}
END_TEST

/* ---- refusals before anything is opened --------------------------------- */

START_TEST(refuses_bad_module_names) {
  char dir[4096], err[1024];
  case_dir("good", dir, sizeof dir);
  expect_refusal_in(dir, "", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "driver name is empty");
  expect_refusal_in(dir, NULL, LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "driver name is empty");
  const char *escapes[] = {"../good", "good/..", "a/b", "/good", "x..y"};
  for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
    expect_refusal_in(dir, escapes[i], LPSA_ERR_INVALID, err, sizeof err);
    assert_has(err, "contains '/' or '..'");
    assert_has(err, escapes[i]);
  }
  expect_refusal_in(dir, "go od", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "is not valid");
  expect_refusal_in(dir, "good\nINFO fake", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "good?INFO fake"); /* made printable */
}
END_TEST

START_TEST(not_found_lists_every_directory) {
  char good[4096], bad[4096], err[2048];
  case_dir("good", good, sizeof good);
  case_dir("badmagic", bad, sizeof bad);
  const char *dirs[] = {good, bad, "/nonexistent/lpsa/drivers"};
  loaded_driver d;
  ck_assert_int_eq(loader_load(dirs, 3, "connectwise", &d, err, sizeof err),
                   LPSA_ERR_NOT_FOUND);
  assert_has(err, "driver connectwise not found");
  assert_has(err, "connectwise.so");
  assert_has(err, good);
  assert_has(err, bad);
  assert_has(err, "/nonexistent/lpsa/drivers");
  assert_has(err, "driver_path");
  ck_assert_int_eq(loader_load(NULL, 0, "connectwise", &d, err, sizeof err),
                   LPSA_ERR_NOT_FOUND);
  assert_has(err, "driver_path is empty");
}
END_TEST

START_TEST(refuses_a_symlink) {
  char tmp[1024], target[4096], link[4096], err[1024];
  make_tmp_dir(tmp, sizeof tmp);
  case_file("good", "good.so", target, sizeof target);
  snprintf(link, sizeof link, "%s/good.so", tmp);
  ck_assert_int_eq(symlink(target, link), 0);
  expect_refusal_in(tmp, "good", LPSA_ERR_PERMISSION, err, sizeof err);
  assert_has(err, link);
  assert_has(err, "is a symbolic link");
  remove_tmp_dir(tmp);
}
END_TEST

START_TEST(refuses_a_non_regular_file) {
  char tmp[1024], sub[4096], err[1024];
  make_tmp_dir(tmp, sizeof tmp);
  snprintf(sub, sizeof sub, "%s/good.so", tmp);
  ck_assert_int_eq(mkdir(sub, 0700), 0);
  expect_refusal_in(tmp, "good", LPSA_ERR_PERMISSION, err, sizeof err);
  assert_has(err, "is not a regular file");
  remove_tmp_dir(tmp);
}
END_TEST

START_TEST(refuses_a_world_writable_file) {
  char tmp[1024], err[1024];
  make_tmp_dir(tmp, sizeof tmp);
  copy_fixture("good", "good.so", tmp, "good.so", 0666);
  expect_refusal_in(tmp, "good", LPSA_ERR_PERMISSION, err, sizeof err);
  assert_has(err, "/good.so is writable by every user");
  assert_has(err, "chmod o-w");
  remove_tmp_dir(tmp);
}
END_TEST

START_TEST(refuses_a_world_writable_directory) {
  char tmp[1024], err[1024];
  make_tmp_dir(tmp, sizeof tmp);
  copy_fixture("good", "good.so", tmp, "good.so", 0644);
  ck_assert_int_eq(chmod(tmp, 0777), 0);
  expect_refusal_in(tmp, "good", LPSA_ERR_PERMISSION, err, sizeof err);
  assert_has(err, "directory ");
  assert_has(err, "is writable by every user");
  assert_has(err, "chmod o-w");
  remove_tmp_dir(tmp);
}
END_TEST

/* ---- refusals by the dynamic linker ------------------------------------- */

START_TEST(refuses_a_truncated_elf) {
  char tmp[1024], src[4096], err[2048];
  make_tmp_dir(tmp, sizeof tmp);
  case_file("good", "good.so", src, sizeof src);
  size_t len;
  unsigned char *bytes = read_bytes(src, &len);
  char dst[4096];
  snprintf(dst, sizeof dst, "%s/good.so", tmp);
  write_bytes(dst, bytes, 100, 0644);
  free(bytes);
  expect_refusal_in(tmp, "good", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "cannot load driver");
  assert_has(err, dst);
  assert_has(err, "check it is a shared object for this machine: run ldd");
  remove_tmp_dir(tmp);
}
END_TEST

START_TEST(refuses_a_text_file) {
  char tmp[1024], dst[4096], err[2048];
  make_tmp_dir(tmp, sizeof tmp);
  snprintf(dst, sizeof dst, "%s/x.so", tmp);
  const char text[] = "this is not a shared object\n";
  write_bytes(dst, text, sizeof text - 1, 0644);
  expect_refusal_in(tmp, "x", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "cannot load driver");
  assert_has(err, "no ELF header");
  assert_has(err, "run ldd");
  remove_tmp_dir(tmp);
}
END_TEST

/* good.so with one ELF header field changed. */
static void patched_good(const char *dir, size_t offset, unsigned char value) {
  char src[4096], dst[4096];
  case_file("good", "good.so", src, sizeof src);
  size_t len;
  unsigned char *bytes = read_bytes(src, &len);
  bytes[offset] = value;
  if (offset == 18)
    bytes[19] = 0; /* e_machine is 16 bits, little-endian here */
  snprintf(dst, sizeof dst, "%s/good.so", dir);
  write_bytes(dst, bytes, len, 0644);
  free(bytes);
}

START_TEST(refuses_another_architecture) {
  char tmp[1024], err[2048];
  make_tmp_dir(tmp, sizeof tmp);
#if defined(__x86_64__)
  patched_good(tmp, 18, EM_AARCH64);
  const char *expect = "built for AArch64 (64-bit ARM), but this host runs on "
                       "x86-64";
#else
  patched_good(tmp, 18, EM_X86_64);
  const char *expect = "built for x86-64";
#endif
  expect_refusal_in(tmp, "good", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "cannot load driver");
  assert_has(err, expect);
  assert_has(err, "run ldd");
  patched_good(tmp, EI_CLASS, ELFCLASS32);
  expect_refusal_in(tmp, "good", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "a 32-bit ELF file, but this host is 64-bit");
  remove_tmp_dir(tmp);
}
END_TEST

START_TEST(refuses_a_missing_entry_symbol) {
  char err[1024];
  expect_case_refusal("noentry", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "does not export lpsa_driver_entry()");
}
END_TEST

START_TEST(refuses_a_null_entry) {
  char err[1024];
  expect_case_refusal("nullentry", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "lpsa_driver_entry() returned no descriptor");
}
END_TEST

/* ---- refusals of the descriptor, through real files --------------------- */

START_TEST(refuses_bad_magic) {
  char err[1024];
  expect_case_refusal("badmagic", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "has bad magic 0xDEADBEEF (expected 0x4C505341)");
}
END_TEST

START_TEST(refuses_another_major) {
  char err[1024];
  expect_case_refusal("major2", LPSA_ERR_UNSUPPORTED, err, sizeof err);
  assert_has(err, "/major2.so was built for driver ABI 2.1; this host speaks "
                  "1.1: install a driver release built for ABI 1.x");
}
END_TEST

START_TEST(refuses_a_newer_minor) {
  char err[1024];
  expect_case_refusal("minor99", LPSA_ERR_UNSUPPORTED, err, sizeof err);
  assert_has(err, "built for driver ABI 1.99, newer than this host's 1.1");
  assert_has(err, "upgrade lpsa-host");
}
END_TEST

START_TEST(refuses_a_wrong_struct_size) {
  char err[1024], expect[256];
  expect_case_refusal("structsize", LPSA_ERR_UNSUPPORTED, err, sizeof err);
  snprintf(expect, sizeof expect,
           "has a descriptor of %zu bytes, but ABI 1.1 descriptors are %zu "
           "bytes",
           sizeof(lpsa_driver) + 8, sizeof(lpsa_driver));
  assert_has(err, expect);
}
END_TEST

START_TEST(refuses_a_name_mismatch) {
  char err[1024];
  expect_case_refusal("mismatch", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "calls itself \"other\", not \"mismatch\"");
  assert_has(err, "other.so");
}
END_TEST

START_TEST(refuses_an_empty_version) {
  char err[1024];
  expect_case_refusal("noversion", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "has no version");
}
END_TEST

START_TEST(refuses_a_null_open) {
  char err[1024];
  expect_case_refusal("noopen", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "has no open operation");
}
END_TEST

START_TEST(refuses_a_long_description) {
  char err[1024];
  expect_case_refusal("longdesc", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "has a description longer than 200 characters");
}
END_TEST

START_TEST(refuses_bad_name_characters) {
  char dir[4096], err[1024];
  case_dir("upper", dir, sizeof dir);
  /* "upper" finds Upper.so ignoring case; its descriptor says "Upper". */
  expect_refusal_in(dir, "upper", LPSA_ERR_INVALID, err, sizeof err);
  assert_has(err, "/Upper.so calls itself \"Upper\"");
  assert_has(err, "a-z, 0-9, '_' and '-'");
}
END_TEST

/* ---- the pure descriptor check ------------------------------------------ */

/* The descriptor as ABI 1.0 defined it: up to and including check. */
#define ABI10_SIZE                                                             \
  (offsetof(lpsa_driver, check) + sizeof(((lpsa_driver *)0)->check))

static int fake_open(const lpsa_host_api *api, lpsa_host *host,
                     const lpsa_config_value *config, size_t n,
                     lpsa_driver_ctx **out, char *err, size_t errlen) {
  (void)api, (void)host, (void)config, (void)n, (void)out, (void)err;
  (void)errlen;
  return LPSA_OK;
}
static void fake_close(lpsa_driver_ctx *ctx) {
  (void)ctx;
}
static int fake_snapshot(lpsa_driver_ctx *ctx, const lpsa_snapshot_request *r,
                         lpsa_snapshot *s, char *err, size_t errlen) {
  (void)ctx, (void)r, (void)s, (void)err, (void)errlen;
  return LPSA_OK;
}
static int fake_set(lpsa_driver_ctx *ctx, const lpsa_line_ref *l, long long t,
                    lpsa_set_result *o, char *err, size_t errlen) {
  (void)ctx, (void)l, (void)t, (void)o, (void)err, (void)errlen;
  return LPSA_OK;
}

static const lpsa_terms fake_terms = {"Fake PSA", "company", "contract",
                                      "service", "service"};
static const lpsa_config_key fake_keys[] = {{"site", LPSA_KEY_URL, "URL"},
                                            {NULL, 0, NULL}};

static lpsa_driver fake(void) {
  lpsa_driver d = {
      .magic = LPSA_DRIVER_MAGIC,
      .abi_major = LPSA_ABI_MAJOR,
      .abi_minor = LPSA_ABI_MINOR,
      .struct_size = sizeof(lpsa_driver),
      .name = "fake",
      .version = "0.1.0",
      .description = "A fake PSA",
      .terms = &fake_terms,
      .config_keys = fake_keys,
      .open = fake_open,
      .close = fake_close,
      .snapshot = fake_snapshot,
      .set_quantity = fake_set,
  };
  return d;
}

static void expect_descriptor_refusal(const lpsa_driver *d,
                                      const char *needle) {
  char err[1024];
  int rc = loader_check_descriptor(d, "fake", err, sizeof err);
  ck_assert_msg(rc != LPSA_OK, "accepted, expected refusal with %s", needle);
  assert_has(err, "driver fake ");
  assert_has(err, needle);
}

START_TEST(descriptor_check_accepts_a_good_one) {
  char err[64] = "junk";
  lpsa_driver d = fake();
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
  ck_assert_str_eq(err, "");
  ck_assert_int_eq(loader_check_descriptor(&d, "FAKE", err, sizeof err),
                   LPSA_OK);
  /* 1.0 ends with check; 1.1 appended sensitive_headers. */
  ck_assert_uint_eq(driver_struct_size_for_minor(0), ABI10_SIZE);
  ck_assert_uint_eq(driver_struct_size_for_minor(1), sizeof(lpsa_driver));
  ck_assert_uint_lt(ABI10_SIZE, sizeof(lpsa_driver));
  ck_assert_uint_eq(driver_struct_size_for_minor(2), 0);
}
END_TEST

/* A descriptor as a 1.0 driver ships it: minor 0, the 1.0 size. What lies
 * past its end (here: junk where 1.1 has sensitive_headers) is not the
 * driver's and must not be read. */
START_TEST(descriptor_check_accepts_a_1_0_descriptor) {
  char err[256] = "junk";
  lpsa_driver d = fake();
  d.abi_minor = 0;
  d.struct_size = ABI10_SIZE;
  d.sensitive_headers = (const char *const *)(uintptr_t)1;
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
  ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(descriptor_check_accepts_1_1_sensitive_headers) {
  static const char *const names[] = {"X-Api-Token", "clientId",
                                      "ApiIntegrationCode", NULL};
  static const char *const none[] = {NULL};
  char err[256] = "junk";
  lpsa_driver d = fake();
  d.sensitive_headers = names;
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
  d.sensitive_headers = none;
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
  d.sensitive_headers = NULL;
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
}
END_TEST

/* A 1.1 driver whose descriptor has the 1.0 size was built against headers
 * that did not match its minor: refused, with what to do. */
START_TEST(descriptor_check_refuses_a_1_1_descriptor_of_the_1_0_size) {
  char expect[256];
  lpsa_driver d = fake();
  d.abi_minor = 1;
  d.struct_size = ABI10_SIZE;
  snprintf(expect, sizeof expect,
           "has a descriptor of %zu bytes, but ABI 1.1 descriptors are %zu "
           "bytes: rebuild it",
           ABI10_SIZE, sizeof(lpsa_driver));
  expect_descriptor_refusal(&d, expect);
}
END_TEST

START_TEST(descriptor_check_refuses_bad_sensitive_headers) {
  static const char *const spaced[] = {"X Token", NULL};
  static const char *const colon[] = {"X-Token:", NULL};
  static const char *const empty[] = {"", NULL};
  static const char *const breaks[] = {"X-Token\r\nEvil", NULL};
  static const char *const null_then[] = {"X-A", NULL, "X-B", NULL};
  char long_name[LPSA_MAX_HEADER_NAME + 2];
  memset(long_name, 'x', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  const char *long_list[] = {long_name, NULL};
  const char *many[LPSA_MAX_SENSITIVE_HEADERS + 2];
  for (size_t i = 0; i <= LPSA_MAX_SENSITIVE_HEADERS; i++)
    many[i] = "X-Many";
  many[LPSA_MAX_SENSITIVE_HEADERS + 1] = NULL;
  lpsa_driver d;
  d = fake(), d.sensitive_headers = spaced;
  expect_descriptor_refusal(&d, "declares sensitive header \"X Token\": "
                                "a header name is letters, digits and");
  d = fake(), d.sensitive_headers = colon;
  expect_descriptor_refusal(&d, "declares sensitive header \"X-Token:\"");
  d = fake(), d.sensitive_headers = empty;
  expect_descriptor_refusal(&d, "declares sensitive header \"\"");
  d = fake(), d.sensitive_headers = breaks;
  expect_descriptor_refusal(&d, "declares sensitive header \"X-Token??Evil\"");
  d = fake(), d.sensitive_headers = long_list;
  expect_descriptor_refusal(&d, "sensitive header name longer than 64");
  d = fake(), d.sensitive_headers = many;
  expect_descriptor_refusal(&d, "lists more than 32 sensitive headers: its "
                                "sensitive_headers array probably lacks the "
                                "NULL terminator");
  /* The list ends at the first NULL: what follows is not read. */
  d = fake(), d.sensitive_headers = null_then;
  char err[256];
  ck_assert_int_eq(loader_check_descriptor(&d, "fake", err, sizeof err),
                   LPSA_OK);
}
END_TEST

START_TEST(descriptor_check_refuses_each_defect) {
  char long_name[LOADER_MAX_NAME + 2], long_version[LOADER_MAX_VERSION + 2];
  memset(long_name, 'a', sizeof long_name - 1);
  long_name[sizeof long_name - 1] = '\0';
  memset(long_version, '1', sizeof long_version - 1);
  long_version[sizeof long_version - 1] = '\0';
  static const lpsa_terms empty_term = {"Fake PSA", "", "contract", "service",
                                        "service"};
  static const lpsa_config_key host_key[] = {{"module", 0, NULL},
                                             {NULL, 0, NULL}};
  static const lpsa_config_key sku_key[] = {{"sku.lastpass", 0, NULL},
                                            {NULL, 0, NULL}};
  static const lpsa_config_key upper_key[] = {{"Site", 0, NULL},
                                              {NULL, 0, NULL}};
  lpsa_driver d;
  d = fake(), d.name = NULL;
  expect_descriptor_refusal(&d, "has no name");
  d = fake(), d.name = "";
  expect_descriptor_refusal(&d, "has no name");
  d = fake(), d.name = long_name;
  expect_descriptor_refusal(&d, "name longer than 64 characters");
  d = fake(), d.name = "fa.ke";
  expect_descriptor_refusal(&d, "a-z, 0-9, '_' and '-'");
  d = fake(), d.version = NULL;
  expect_descriptor_refusal(&d, "has no version");
  d = fake(), d.version = long_version;
  expect_descriptor_refusal(&d, "version longer than 32 characters");
  d = fake(), d.description = "";
  expect_descriptor_refusal(&d, "has no description");
  d = fake(), d.description = "two\nlines";
  expect_descriptor_refusal(&d, "description with control characters");
  d = fake(), d.terms = NULL;
  expect_descriptor_refusal(&d, "has no terms");
  d = fake(), d.terms = &empty_term;
  expect_descriptor_refusal(&d, "has no terms.company");
  d = fake(), d.config_keys = NULL;
  expect_descriptor_refusal(&d, "has no config_keys");
  d = fake(), d.config_keys = host_key;
  expect_descriptor_refusal(&d, "declares config key \"module\"");
  d = fake(), d.config_keys = sku_key;
  expect_descriptor_refusal(&d, "declares config key \"sku.lastpass\"");
  d = fake(), d.config_keys = upper_key;
  expect_descriptor_refusal(&d, "declares config key \"Site\"");
  d = fake(), d.open = NULL;
  expect_descriptor_refusal(&d, "has no open operation");
  d = fake(), d.close = NULL;
  expect_descriptor_refusal(&d, "has no close operation");
  d = fake(), d.snapshot = NULL;
  expect_descriptor_refusal(&d, "has no snapshot operation");
  d = fake(), d.set_quantity = NULL;
  expect_descriptor_refusal(&d, "has no set_quantity operation");
  d = fake(), d.magic = 0x12345678u;
  expect_descriptor_refusal(&d, "bad magic 0x12345678");
  d = fake(), d.abi_major = 0;
  expect_descriptor_refusal(&d, "built for driver ABI 0.1");
  d = fake(), d.struct_size = 16;
  expect_descriptor_refusal(&d, "descriptor of 16 bytes");
  expect_descriptor_refusal(NULL, "has no descriptor");
  /* The ABI is checked before anything else is read. */
  d = fake(), d.abi_major = 2, d.name = NULL;
  expect_descriptor_refusal(&d, "ABI 2.1");
}
END_TEST

/* ---- the listing -------------------------------------------------------- */

static const loader_entry *entry_for(const loader_listing *l,
                                     const char *suffix) {
  size_t sl = strlen(suffix);
  for (size_t i = 0; i < l->n; i++) {
    size_t pl = strlen(l->entries[i].path);
    if (pl >= sl && strcmp(l->entries[i].path + pl - sl, suffix) == 0)
      return &l->entries[i];
  }
  ck_abort_msg("no listing entry for %s", suffix);
  return NULL;
}

/* Two directories: the first a mix of good and broken files, including one
 * that crashes while loading; the second a good.so shadowed by the first. */
static void make_scan_dirs(char *a, char *b, size_t cap) {
  make_tmp_dir(a, cap);
  make_tmp_dir(b, cap);
  copy_fixture("good", "good.so", a, "good.so", 0644);
  copy_fixture("chatty", "chatty.so", a, "chatty.so", 0644);
  copy_fixture("badmagic", "badmagic.so", a, "badmagic.so", 0644);
  copy_fixture("crash", "crash.so", a, "crash.so", 0644);
  copy_fixture("major2", "major2.so", a, "major2.so", 0644);
  char p[4096];
  snprintf(p, sizeof p, "%s/x.so", a);
  write_bytes(p, "text\n", 5, 0644);
  snprintf(p, sizeof p, "%s/README", a); /* not a *.so: not listed */
  write_bytes(p, "text\n", 5, 0644);
  copy_fixture("good", "good.so", b, "GOOD.so", 0644);
}

START_TEST(scan_survives_a_crashing_driver) {
  char a[4096], b[4096];
  make_scan_dirs(a, b, sizeof a);
  const char *dirs[] = {a, b, "/nonexistent/lpsa"};
  loader_listing l;
  ck_assert_int_eq(loader_scan(dirs, 3, 0, &l), LPSA_OK);
  ck_assert_uint_eq(l.n, 8); /* 6 files, 1 shadowed, 1 unreadable dir */
  ck_assert_uint_eq(l.n_ok, 2);
  const loader_entry *e = entry_for(&l, "/good.so");
  ck_assert(e->ok);
  ck_assert_str_eq(e->name, "good");
  ck_assert_str_eq(e->version, "1.2.3");
  ck_assert_str_eq(e->description, "Fixture driver for the loader tests");
  ck_assert_uint_eq(e->abi_major, 1);
  ck_assert_uint_eq(e->abi_minor, LPSA_ABI_MINOR);
  ck_assert(entry_for(&l, "/chatty.so")->ok);
  e = entry_for(&l, "/crash.so");
  ck_assert(!e->ok);
  assert_has(e->reason, "crash.so crashed while loading (signal 11)");
  assert_has(entry_for(&l, "/badmagic.so")->reason, "bad magic 0xDEADBEEF");
  assert_has(entry_for(&l, "/major2.so")->reason, "ABI 2.1");
  assert_has(entry_for(&l, "/x.so")->reason, "no ELF header");
  e = entry_for(&l, "/GOOD.so");
  ck_assert(!e->ok);
  assert_has(e->reason, "is not used: ");
  assert_has(e->reason, "comes first on driver_path");
  assert_has(entry_for(&l, "/nonexistent/lpsa")->reason,
             "cannot read driver directory /nonexistent/lpsa");
  loader_listing_free(&l);
  loader_listing_free(&l); /* zeroed: safe */
  remove_tmp_dir(a);
  remove_tmp_dir(b);
}
END_TEST

START_TEST(scan_stops_a_hanging_driver) {
  char a[4096];
  make_tmp_dir(a, sizeof a);
  copy_fixture("hang", "hang.so", a, "hang.so", 0644);
  copy_fixture("good", "good.so", a, "good.so", 0644);
  const char *dirs[] = {a};
  loader_listing l;
  ck_assert_int_eq(loader_scan(dirs, 1, 300, &l), LPSA_OK);
  ck_assert_uint_eq(l.n, 2);
  ck_assert_uint_eq(l.n_ok, 1);
  assert_has(entry_for(&l, "/hang.so")->reason,
             "did not finish loading within 300 ms");
  loader_listing_free(&l);
  remove_tmp_dir(a);
}
END_TEST

/* Run drivers_list_print() into a string, with the process's stdout
 * captured meanwhile (a driver must not be able to write into it). */
static char *print_listing(const char *const *dirs, size_t n, int json, int *rc,
                           char **stdout_text) {
  char *text = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&text, &len);
  ck_assert_ptr_nonnull(mem);
  char cap_path[4096];
  snprintf(cap_path, sizeof cap_path, "%s/tests/fixtures/stdout-XXXXXX",
           build_dir());
  int cap = mkstemp(cap_path);
  ck_assert_int_ge(cap, 0);
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  dup2(cap, STDOUT_FILENO);
  *rc = drivers_list_print(mem, dirs, n, json);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(cap);
  fclose(mem);
  size_t slen;
  struct stat st;
  ck_assert_int_eq(stat(cap_path, &st), 0);
  *stdout_text = st.st_size ? (char *)read_bytes(cap_path, &slen) : NULL;
  unlink(cap_path);
  return text;
}

START_TEST(listing_as_json) {
  char a[4096], b[4096];
  make_scan_dirs(a, b, sizeof a);
  const char *dirs[] = {a, b};
  int rc;
  char *leaked;
  char *text = print_listing(dirs, 2, 1, &rc, &leaked);
  ck_assert_int_eq(rc, 0);
  ck_assert_msg(leaked == NULL, "a driver wrote to stdout");
  json_object *doc = json_tokener_parse(text);
  ck_assert_msg(doc != NULL, "not JSON: %s", text);
  json_object *drivers, *refused, *searched;
  ck_assert(json_object_object_get_ex(doc, "drivers", &drivers));
  ck_assert(json_object_object_get_ex(doc, "refused", &refused));
  ck_assert(json_object_object_get_ex(doc, "searched", &searched));
  ck_assert_uint_eq(json_object_array_length(drivers), 2);
  ck_assert_uint_eq(json_object_array_length(refused), 5);
  ck_assert_uint_eq(json_object_array_length(searched), 2);
  ck_assert_str_eq(
      json_object_get_string(json_object_array_get_idx(searched, 0)), a);
  /* Files are listed in name order: chatty.so before good.so. */
  json_object *good = json_object_array_get_idx(drivers, 1), *v;
  ck_assert(json_object_object_get_ex(good, "name", &v));
  ck_assert_str_eq(json_object_get_string(v), "good");
  ck_assert(json_object_object_get_ex(good, "version", &v));
  ck_assert_str_eq(json_object_get_string(v), "1.2.3");
  ck_assert(json_object_object_get_ex(good, "abi", &v));
  ck_assert_str_eq(json_object_get_string(v), "1.1");
  ck_assert(json_object_object_get_ex(good, "description", &v));
  ck_assert_str_eq(json_object_get_string(v),
                   "Fixture driver for the loader tests");
  ck_assert(json_object_object_get_ex(good, "path", &v));
  assert_has(json_object_get_string(v), "/good.so");
  int crash_seen = 0;
  for (size_t i = 0; i < json_object_array_length(refused); i++) {
    json_object *r = json_object_array_get_idx(refused, i), *p, *why;
    ck_assert(json_object_object_get_ex(r, "path", &p));
    ck_assert(json_object_object_get_ex(r, "reason", &why));
    if (strstr(json_object_get_string(p), "/crash.so")) {
      assert_has(json_object_get_string(why), "crashed while loading");
      crash_seen = 1;
    }
  }
  ck_assert(crash_seen);
  json_object_put(doc);
  free(text);
  remove_tmp_dir(a);
  remove_tmp_dir(b);
}
END_TEST

START_TEST(listing_as_text) {
  char a[4096], b[4096];
  make_scan_dirs(a, b, sizeof a);
  const char *dirs[] = {a, b};
  int rc;
  char *leaked;
  char *text = print_listing(dirs, 2, 0, &rc, &leaked);
  ck_assert_int_eq(rc, 0);
  ck_assert_ptr_null(leaked);
  ck_assert_msg(strncmp(text, "NAME ", 5) == 0, "no header: %s", text);
  assert_has(text, "VERSION");
  assert_has(text, "DESCRIPTION");
  assert_has(text, "\ngood    1.2.3    1.1  Fixture driver for the loader "
                   "tests");
  assert_has(text, "\nRefused:\n");
  assert_has(text, "crash.so crashed while loading (signal 11)");
  assert_has(text, "\nSearched: ");
  assert_has(text, a);
  free(text);
  /* Nothing loadable: rc 1, and the listing still says why. */
  remove_tmp_dir(a);
  remove_tmp_dir(b);
  char c[4096];
  make_tmp_dir(c, sizeof c);
  copy_fixture("crash", "crash.so", c, "crash.so", 0644);
  const char *only[] = {c};
  text = print_listing(only, 1, 0, &rc, &leaked);
  ck_assert_int_eq(rc, 1);
  assert_has(text, "No driver loads from the driver path.");
  assert_has(text, "crashed while loading");
  free(text);
  remove_tmp_dir(c);
}
END_TEST

static Suite *loader_suite(void) {
  Suite *s = suite_create("loader");
  TCase *load = tcase_create("load");
  tcase_add_test(load, loads_the_good_fixture);
  tcase_add_test(load, lookup_ignores_case);
  tcase_add_test(load, first_directory_wins);
  suite_add_tcase(s, load);
  TCase *refuse = tcase_create("refuse");
  tcase_add_test(refuse, refuses_bad_module_names);
  tcase_add_test(refuse, not_found_lists_every_directory);
  tcase_add_test(refuse, refuses_a_symlink);
  tcase_add_test(refuse, refuses_a_non_regular_file);
  tcase_add_test(refuse, refuses_a_world_writable_file);
  tcase_add_test(refuse, refuses_a_world_writable_directory);
  tcase_add_test(refuse, refuses_a_truncated_elf);
  tcase_add_test(refuse, refuses_a_text_file);
  tcase_add_test(refuse, refuses_another_architecture);
  tcase_add_test(refuse, refuses_a_missing_entry_symbol);
  tcase_add_test(refuse, refuses_a_null_entry);
  tcase_add_test(refuse, refuses_bad_magic);
  tcase_add_test(refuse, refuses_another_major);
  tcase_add_test(refuse, refuses_a_newer_minor);
  tcase_add_test(refuse, refuses_a_wrong_struct_size);
  tcase_add_test(refuse, refuses_a_name_mismatch);
  tcase_add_test(refuse, refuses_an_empty_version);
  tcase_add_test(refuse, refuses_a_null_open);
  tcase_add_test(refuse, refuses_a_long_description);
  tcase_add_test(refuse, refuses_bad_name_characters);
  suite_add_tcase(s, refuse);
  TCase *desc = tcase_create("descriptor");
  tcase_add_test(desc, descriptor_check_accepts_a_good_one);
  tcase_add_test(desc, descriptor_check_refuses_each_defect);
  tcase_add_test(desc, descriptor_check_accepts_a_1_0_descriptor);
  tcase_add_test(desc, descriptor_check_accepts_1_1_sensitive_headers);
  tcase_add_test(desc,
                 descriptor_check_refuses_a_1_1_descriptor_of_the_1_0_size);
  tcase_add_test(desc, descriptor_check_refuses_bad_sensitive_headers);
  suite_add_tcase(s, desc);
  TCase *scan = tcase_create("scan");
  tcase_set_timeout(scan, 60);
  tcase_add_test(scan, scan_survives_a_crashing_driver);
  tcase_add_test(scan, scan_stops_a_hanging_driver);
  tcase_add_test(scan, listing_as_json);
  tcase_add_test(scan, listing_as_text);
  suite_add_tcase(s, scan);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(loader_suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
