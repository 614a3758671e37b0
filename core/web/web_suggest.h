/* SPDX-License-Identifier: MIT */
/*
 * web_suggest.h — mapping proposals for the console: `lpsa-host map
 * suggest` itself, run as a child process (the same program, configuration
 * and driver) writing its JSON to <state_dir>/web-suggestions.json. It reads
 * every LastPass and PSA company, which takes seconds on a large account,
 * so it runs in the background: POST /api/v1/mapping/suggestions starts it,
 * GET says how it is going, and the Mapping page shows each unmapped
 * company's proposal and confidence from the last finished run (kept
 * across restarts in that file).
 */
#ifndef LPSA_WEB_SUGGEST_H
#define LPSA_WEB_SUGGEST_H

#include <json-c/json.h>

#include "web_console.h"

/* Reap a finished child and load its answer; load the file of an earlier
 * run at first use. */
void web_suggest_poll(web_console *c);
/* End a running child (console stopping). */
void web_suggest_stop(web_console *c);
/* The proposal for one LastPass company ({psa_company_id, psa_name,
 * confidence, status, runner_up}), borrowed, or NULL. */
json_object *web_suggest_for(web_console *c, const char *lastpass_id);
/* {status: none|running|done|failed, started, finished, error, count} */
json_object *web_suggest_state(web_console *c);

#endif
