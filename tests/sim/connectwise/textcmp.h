/* SPDX-License-Identifier: MIT */
/*
 * textcmp.h — string comparison the way ConnectWise's SQL Server compares.
 *
 * ConnectWise PSA stores its data in SQL Server with a case-insensitive,
 * accent-sensitive collation, so `name="acme"` finds "ACME", `=` ignores
 * trailing spaces (ANSI padding), and `like` takes `%` (any run) and `_` (one
 * character). A simulator that compared bytes would let a driver pass that
 * fails against the real server, so the conditions evaluator, orderBy and the
 * uniqueness checks all go through here.
 */
#ifndef CW_TEXTCMP_H
#define CW_TEXTCMP_H

/* <0, 0, >0 like strcmp, case-insensitively (ASCII, Latin-1, Latin
 * Extended-A), trailing spaces ignored. */
int cw_text_cmp(const char *a, const char *b);
/* 1 when `needle` occurs in `hay`, case-insensitively (empty needle: 1). */
int cw_text_contains(const char *hay, const char *needle);
/* 1 when `text` matches the SQL LIKE `pattern` (% and _), case-insensitively.
 */
int cw_text_like(const char *text, const char *pattern);

#endif
