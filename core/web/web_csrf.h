/* SPDX-License-Identifier: MIT */
/*
 * web_csrf.h — the CSRF rule: every request that changes something (POST,
 * PUT, PATCH, DELETE) carries the session's token in the X-CSRF-Token
 * header. A page of another site can make the browser send the cookie
 * (SameSite=Strict already stops most browsers), but it cannot read the
 * token, which only a same-origin GET /api/v1/session returns. The login
 * itself has no session yet: it must be sent as application/json, which a
 * cross-site form cannot do and which a cross-site script may only send
 * after a CORS preflight that the console never grants.
 */
#ifndef LPSA_WEB_CSRF_H
#define LPSA_WEB_CSRF_H

#include "web_session.h"

#define WEB_CSRF_HEADER "X-CSRF-Token"

/* 1 when `method` changes state and so needs the token. */
int web_csrf_needed(const char *method);
/* 1 when `sent` (the header's value, may be NULL) is the session's token. */
int web_csrf_valid(const web_session *s, const char *sent);

#endif
