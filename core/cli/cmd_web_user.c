/* SPDX-License-Identifier: MIT */
/*
 * cmd_web_user.c — `lpsa-host web-user add|remove|passwd NAME [--role
 * ROLE]` and `web-user list`: the web console's users file ([web]
 * users_file, web_users.h). Passwords are asked on the terminal without
 * echo, twice; when standard input is not a terminal (scripts, tests) one
 * line is read from it. Run it as the user the console runs as (the file
 * must be readable by that user only).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "commands.h"
#include "exit_codes.h"
#include "web_password.h"
#include "web_users.h"

/* One line from stdin into buf (no newline); echo off on a terminal. 0, or
 * -1 at end of input. */
static int read_line(const char *prompt, char *buf, size_t cap) {
  int tty = isatty(STDIN_FILENO);
  struct termios old, quiet;
  if (tty) {
    fputs(prompt, stderr);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) == 0) {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      quiet.c_lflag |= ECHONL;
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
      tty = 0;
    }
  }
  char *got = fgets(buf, (int)cap, stdin);
  if (tty)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  if (!got)
    return -1;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 0;
}

static int ask_password(const char *name, char *pw, size_t cap) {
  char again[WEB_PASSWORD_MAX + 2];
  char prompt[128];
  snprintf(prompt, sizeof prompt, "New password for %s: ", name);
  if (read_line(prompt, pw, cap) != 0) {
    app_error("no password given on standard input");
    return -1;
  }
  char err[256];
  if (web_password_acceptable(pw, err, sizeof err) != 0) {
    app_error("%s", err);
    return -1;
  }
  if (isatty(STDIN_FILENO)) {
    int same = read_line("Again: ", again, sizeof again) == 0 &&
               strcmp(again, pw) == 0;
    sodium_memzero(again, sizeof again);
    if (!same) {
      app_error("the two passwords differ; nothing changed");
      return -1;
    }
  }
  return 0;
}

static int save(const app *a, const web_users *u) {
  char err[1024];
  /* the default file lives in state_dir, which the first run creates */
  mkdir(a->cfg.state_dir, 0700);
  if (web_users_save(a->cfg.web_users_file, u, err, sizeof err) != 0) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  return EXIT_IN_STEP;
}

static int set_password(const app *a, web_user *w) {
  char pw[WEB_PASSWORD_MAX + 2];
  int rc = ask_password(w->name, pw, sizeof pw);
  char err[256];
  if (rc == 0 && web_password_hash(pw, w->hash, err, sizeof err) != 0) {
    app_error("%s", err);
    rc = -1;
  }
  sodium_memzero(pw, sizeof pw);
  (void)a;
  return rc;
}

int cmd_web_user(app *a) {
  int rc = app_load_config_nosecrets(a);
  if (rc)
    return rc;
  const char *file = a->cfg.web_users_file;
  const char *act = a->opt.web_action, *name = a->opt.web_name;
  web_users u;
  char err[1024];
  if (web_users_load(file, &u, NULL, err, sizeof err) != 0) {
    app_error("%s", err);
    return EXIT_USAGE;
  }
  if (strcmp(act, "list") == 0) {
    for (size_t i = 0; i < u.n; i++)
      printf("%s %s\n", u.items[i].name, web_role_name(u.items[i].role));
    web_users_free(&u);
    return EXIT_IN_STEP;
  }
  if (!web_user_name_valid(name)) {
    app_error("\"%s\" is not a user name: use 1 to 64 letters, digits, '.', "
              "'_', '-' or '@'",
              name);
    web_users_free(&u);
    return EXIT_USAGE;
  }
  web_user *w = web_users_find(&u, name);
  rc = EXIT_USAGE;
  if (strcmp(act, "add") == 0) {
    web_user fresh;
    memset(&fresh, 0, sizeof fresh);
    snprintf(fresh.name, sizeof fresh.name, "%s", name);
    if (w)
      app_error("user %s exists in %s; use web-user passwd to set a new "
                "password, or remove it first to change its role",
                name, file);
    else if (a->opt.role && web_role_parse(a->opt.role, &fresh.role) != 0)
      app_error("--role is viewer or approver, not \"%s\"", a->opt.role);
    else if (set_password(a, &fresh) == 0 && web_users_add(&u, &fresh) == 0 &&
             (rc = save(a, &u)) == 0)
      printf("added %s (%s) to %s\n", name, web_role_name(fresh.role), file);
  } else if (!w) {
    app_error("no user %s in %s (web-user list shows them)", name, file);
  } else if (strcmp(act, "remove") == 0) {
    web_users_remove(&u, name);
    if ((rc = save(a, &u)) == 0)
      printf("removed %s from %s; their sessions end at once\n", name, file);
  } else if (set_password(a, w) == 0 && (rc = save(a, &u)) == 0) {
    printf("new password set for %s; their sessions end at once\n", name);
  }
  if (u.n)
    sodium_memzero(u.items, u.n * sizeof *u.items);
  web_users_free(&u);
  return rc;
}
