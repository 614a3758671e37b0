/* SPDX-License-Identifier: MIT */
/*
 * config.h — the configuration file (INI, read with inih): what it may hold,
 * its defaults, and the checked, resolved form the rest of the host uses.
 *
 * Syntax: `[section]` headers, `key = value` lines, comments on lines of
 * their own starting with ';' or '#', and inline comments after " ;" (a ';'
 * preceded by a space or tab; '#' is not an inline comment). Leading
 * whitespace is ignored, so indented lines are ordinary keys (inih's
 * "continuation line" feature is off). Section names and keys are
 * case-insensitive. A line may be at most 198 characters. A UTF-8 BOM and
 * CRLF line ends are accepted.
 *
 * [host]
 *   driver_path          ':'-separated directories searched for drivers,
 *                        each relative to the config file's directory;
 *                        default: the directory given to config_load()
 *                        (<exe dir>/../lib/lpsa/drivers)
 *   state_dir            journal and lock; default /var/lib/lpsa; relative
 *                        to the config file's directory
 *   mapping_file         the CSV mapping (see mapping.h); relative to the
 *                        config file's directory; no default (NULL)
 *   schedule             see schedule.h; no default (NULL): --daemon needs it
 *   timezone             IANA zone name (Europe/Berlin) for the schedule and
 *                        every time shown to people (zone.h); default
 *                        NULL: the machine's zone
 *   max_decrease_percent 0..100, default 50: bigger drops are held
 *   max_increase_percent 0..1000000, default 100: bigger growth is held
 *   guardrail_min_seats  0..1000000, default 5: a change of fewer seats is
 *                        never held by the two percentages above (a drop to
 *                        0 always is)
 *   plan_max_age         a duration (duration.h), 1m..31d, default 24h:
 *                        `apply PLAN` refuses an older plan
 *   history_days         0..36500, default 400: runs older than that are
 *                        pruned from the journal at the start of a run
 *                        (never one holding an unresolved change); 0 keeps
 *                        every run
 *   suspended_companies  skip | zero, default skip
 *   metrics_file         Prometheus text file written after each run; path
 *   notify_email         comma-separated addresses mailed after a run
 *   notify_on            always | problems | never, default problems
 *   notify_webhook       URL POSTed the JSON report (https, or http to
 *                        loopback); a secret too (env:/file:/literal), since
 *                        webhook URLs usually carry their token
 *   smtp_url             smtps://host[:port] or smtp://host[:port]; required
 *                        with notify_email
 *   smtp_from            the sender address; required with notify_email
 *   smtp_username        SMTP AUTH user (optional)
 *   smtp_password        SMTP AUTH password: a secret (env:/file:/literal);
 *                        requires smtp_username
 *   http_timeout         seconds, 1..3600, default 60
 *   run_timeout          a duration (duration.h), 1s..7d, default 2h: a run
 *                        still going then stops (no request starts, writing
 *                        stops after the write in progress; exit 3)
 *   max_concurrency      parallel requests, 1..16, default 4
 *   ca_file              PEM bundle to trust instead of the system's; must
 *                        be readable
 * [lastpass]
 *   api_url              default https://api.lastpass.com/business
 *   api_key              required; a secret (see secret.h)
 * [web]                  the web console (web/); the section's presence
 *                        turns it on for the daemon
 *   listen               HOST:PORT (listen_addr.h), default 127.0.0.1:8750
 *   users_file           the console's users (web/web_users.h); default
 *                        <state_dir>/web-users; relative to the config
 *                        file's directory
 *   tls_cert, tls_key    PEM files (both or neither): HTTPS
 *   session_minutes      idle minutes before a login expires, 1..1440,
 *                        default 30
 * [driver.NAME]          one per PSA site; NAME is letters, digits, '_' '-'
 *   module               the driver file to load, default NAME
 *   sku.lastpass         comma-separated product refs billing LastPass
 *   sku.lastpass_mfa     ... billing LastPass + MFA
 *   anything else        kept raw with its line; checked against the
 *                        driver's own keys by config_driver.h
 *
 * Permissions: a config file holding a literal secret (api_key,
 * smtp_password, notify_webhook here; secret keys of a driver in
 * config_driver.c) must not be readable by group or others.
 */
#ifndef LPSA_CORE_CONFIG_H
#define LPSA_CORE_CONFIG_H

#include <stddef.h>

#include "schedule.h"
#include "secret.h"

#define CONFIG_DEFAULT_PATH "/etc/lpsa/lpsa.conf"
#define CONFIG_DEFAULT_STATE_DIR "/var/lib/lpsa"
/* The environment file the systemd units load (EnvironmentFile=). */
#define CONFIG_DEFAULT_ENV_FILE "/etc/lpsa/lpsa.env"
#define CONFIG_DEFAULT_LASTPASS_URL "https://api.lastpass.com/business"
#define CONFIG_DEFAULT_MAX_INCREASE_PERCENT 100
#define CONFIG_DEFAULT_GUARDRAIL_MIN_SEATS 5
#define CONFIG_DEFAULT_PLAN_MAX_AGE (24 * 3600) /* seconds */
#define CONFIG_DEFAULT_RUN_TIMEOUT (2 * 3600)   /* seconds */
#define CONFIG_DEFAULT_WEB_LISTEN "127.0.0.1:8750"
#define CONFIG_DEFAULT_WEB_USERS "web-users" /* in state_dir */
/* Where drivers live relative to the directory holding lpsa-host, both
 * installed (<prefix>/bin, <prefix>/lib/lpsa/drivers) and in the build tree. */
#define CONFIG_DRIVER_SUBDIR "lib/lpsa/drivers"

/* The most errors config_load() lists before summing up the rest. */
#define CONFIG_MAX_ERRORS 20

/* One raw key of a [driver.NAME] section. */
typedef struct config_value {
  char *key;   /* as written (keys compare case-insensitively) */
  char *value; /* as written, unresolved (env:/file: kept) */
  int line;
} config_value;

typedef struct config_driver_section {
  char *name;           /* NAME of [driver.NAME], as written */
  char *module;         /* `module`, else NAME */
  int line;             /* line of the section header */
  int module_line;      /* 0 when defaulted */
  config_value *values; /* every other key, file order */
  size_t n_values;
  /* The products billing each SKU: trimmed, non-empty, in file order. */
  char **sku_lastpass;
  size_t n_sku_lastpass;
  int sku_lastpass_line; /* 0 when not set */
  char **sku_lastpass_mfa;
  size_t n_sku_lastpass_mfa;
  int sku_lastpass_mfa_line;
} config_driver_section;

typedef enum config_notify_on {
  CONFIG_NOTIFY_PROBLEMS = 0, /* default: only when a person must act */
  CONFIG_NOTIFY_ALWAYS,
  CONFIG_NOTIFY_NEVER
} config_notify_on;

typedef struct lpsa_config {
  char *path; /* absolute */
  char *name; /* as given to config_load(), for messages */
  char *dir;  /* absolute directory of the file */
  /* Group or others may read the file: literal secrets are refused. */
  int insecure_perms;
  unsigned mode; /* the file's permission bits */

  char **driver_path; /* absolute directories, search order */
  size_t n_driver_path;
  char *state_dir;    /* absolute */
  char *mapping_file; /* absolute, or NULL when not configured */
  int mapping_file_line;
  char *schedule_text; /* as written, or NULL when not configured */
  int schedule_line;
  schedule schedule; /* parsed; valid when schedule_text != NULL */
  char *timezone;    /* IANA name, or NULL for the machine's zone */
  int max_decrease_percent;
  int max_increase_percent;
  int guardrail_min_seats;
  int plan_max_age;   /* seconds */
  int history_days;   /* 0: keep every run */
  int suspended_zero; /* suspended_companies = zero */
  char *metrics_file; /* absolute, or NULL */

  char **notify_email; /* addresses, or NULL */
  size_t n_notify_email;
  config_notify_on notify_on;
  char *notify_webhook; /* resolved, or NULL */
  char *smtp_url;       /* or NULL */
  char *smtp_from;      /* or NULL */
  char *smtp_username;  /* or NULL */
  char *smtp_password;  /* resolved, or NULL */
  int http_timeout;     /* seconds */
  int run_timeout;      /* seconds */
  int max_concurrency;
  char *ca_file; /* absolute, or NULL for the system's trust store */

  /* [web] */
  int web_configured; /* the file has a [web] section */
  int web_line;       /* its header's line */
  char *web_listen;   /* as written, checked by listen_addr_parse() */
  int web_listen_line;
  char *web_users_file; /* absolute */
  char *web_tls_cert;   /* absolute, or NULL */
  char *web_tls_key;    /* absolute, or NULL */
  int web_session_minutes;

  char *lastpass_api_url;
  int lastpass_api_url_line; /* 0 when defaulted */
  char *lastpass_api_key;    /* resolved */

  config_driver_section *drivers; /* file order */
  size_t n_drivers;

  /* Every secret resolved so far; config_driver adds its own. Register them
   * with the logger: secret_list_register(&cfg->secrets, log). */
  secret_list secrets;
} lpsa_config;

/* Read and check the file at `path`. `default_driver_dir` is the driver_path
 * when the file sets none (NULL: an empty path). Returns 0 and fills *out,
 * or -1 with every problem found (at most CONFIG_MAX_ERRORS, then a line
 * counting the rest), one per line, "FILE:LINE: what is wrong; what to do",
 * in err (lines separated by '\n', no trailing newline), leaving *out
 * zeroed. Secrets are resolved (env:/file:) during the load. */
int config_load(const char *path, const char *default_driver_dir,
                lpsa_config *out, char *err, size_t errlen);

/* Flags of config_load_flags(). */
enum {
  /* Do not resolve secrets (env:/file:) nor check literal ones: for
   * commands that use no credential (`drivers`, `history`), so they work
   * without the service's environment. The secret fields stay NULL. */
  CONFIG_LOAD_NO_SECRETS = 1u << 0
};
int config_load_flags(const char *path, const char *default_driver_dir,
                      unsigned flags, lpsa_config *out, char *err,
                      size_t errlen);

/* The defaults alone, as if an empty file had been read (name, path and
 * dir NULL; no api_key). For commands that can run without a file. 0, or -1
 * when out of memory. */
int config_init_defaults(lpsa_config *cfg, const char *default_driver_dir);

/* The refusal of a literal secret at `line` (key `key` of [section]) in a
 * file that group or others may read: when its group may (the installed
 * layout, root:lpsa 0640, which the service needs), move the secret to the
 * units' environment file as env:LPSA_<SECTION>_<KEY>; when only others
 * may, chmod o-r. One line, into out. */
void config_literal_advice(const lpsa_config *cfg, int line,
                           const char *section, const char *key, char *out,
                           size_t len);

/* Free everything config_load() or config_init_defaults() allocated and zero
 * *cfg. Safe on a zeroed struct. */
void config_free(lpsa_config *cfg);

/* The [driver.NAME] section, NAME compared case-insensitively, or NULL. */
const config_driver_section *config_driver(const lpsa_config *cfg,
                                           const char *name);

/* The default driver directory for an executable at `exe_path`:
 * "<dir>/../lib/lpsa/drivers", written as "<prefix>/lib/lpsa/drivers" when
 * <dir> ends in "/bin". A new string, or NULL when out of memory. */
char *config_driver_dir_for_exe(const char *exe_path);

/* config_driver_dir_for_exe() of /proc/self/exe; NULL when it cannot be
 * read. */
char *config_default_driver_dir(void);

/* Levenshtein distance between a and b, case-insensitive, capped at 99.
 * Used for "did you mean" suggestions (also by config_driver.c). */
int config_edit_distance(const char *a, const char *b);

/* The candidate closest to `word` if it is close enough to be a likely typo
 * (distance <= 1 for short words, up to 3 for long ones), else NULL. */
const char *config_suggest(const char *word, const char *const *candidates,
                           size_t n);

#endif
