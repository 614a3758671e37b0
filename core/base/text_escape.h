/* SPDX-License-Identifier: MIT */
/*
 * text_escape.h — the one escaping of every text lpsa shows a person (the
 * report table, history, e-mail, log lines on stderr and syslog, `check`,
 * `map suggest`): text that came from LastPass, a PSA or a file cannot
 * drive the terminal (retitle it, clear it), print a line of its own or
 * reorder what is shown.
 *
 * Shown visibly instead of sent:
 *   C0 controls (U+0000..U+001F), DEL      \xHH   ("\x1b", "\x07", "\x0a")
 *   C1 controls (U+0080..U+009F)           \uHHHH ("\u009b")
 *   bidi embeddings, overrides, isolates   \uHHHH ("\u202e")
 *     (U+202A..U+202E, U+2066..U+2069) and the line and paragraph
 *     separators U+2028, U+2029
 *   bytes that are not UTF-8               \xHH
 * A line feed is kept only with TEXT_KEEP_NEWLINE, for text whose line
 * breaks are meant (a block the program wrote itself). Everything else,
 * UTF-8 letters included, is kept as it is. JSON output does not use this:
 * the JSON writer escapes control characters itself.
 */
#ifndef LPSA_CORE_TEXT_ESCAPE_H
#define LPSA_CORE_TEXT_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

enum { TEXT_KEEP_NEWLINE = 1u << 0 };

/* Escape `in` into out (like snprintf: always NUL-terminated when cap > 0,
 * truncated between two escapes or characters, never inside one). Returns
 * the length of the whole escaped text, so a result >= cap means it was
 * cut. A NULL `in` is "". */
size_t text_escape(const char *in, unsigned flags, char *out, size_t cap);
/* The escaped text as a new string (the caller frees); NULL when out of
 * memory. */
char *text_escape_dup(const char *in, unsigned flags);
/* Write the escaped text to `f`. */
void text_escape_put(FILE *f, const char *in, unsigned flags);
/* 1 when text_escape() would change `in`. */
int text_needs_escape(const char *in, unsigned flags);

#endif
