// SPDX-License-Identifier: MIT
/*
 * app.js — the lpsa console: one page, its views drawn from the JSON API
 * (/api/v1/...). Text reaches the page only through textContent, never as
 * HTML; the Content-Security-Policy forbids inline scripts and styles.
 * Views: #/login, #/overview, #/plan (the latest plan), #/plans/ID,
 * #/history, #/runs/ID, #/companies/ID, #/mapping, #/acks, #/audit.
 */
"use strict";

(function () {
  var session = null; // {user, role, csrf_token, console}
  var view = document.getElementById("view");
  var statusBox = document.getElementById("status");

  // ---- small helpers ------------------------------------------------------

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") e.textContent = v;
        else if (k === "class") e.className = v;
        else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : v);
      });
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }

  function add(parent, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { add(parent, c); });
    } else if (typeof child === "string" || typeof child === "number") {
      parent.appendChild(document.createTextNode(String(child)));
    } else {
      parent.appendChild(child);
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function when(iso) {
    if (!iso) return "—";
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function badge(text) {
    return el("span", { class: "badge " + (text || ""), text: text || "—" });
  }

  function say(text, isError) {
    statusBox.textContent = text || "";
    statusBox.className = "status" + (isError ? " error" : "");
  }

  function query(obj) {
    var parts = [];
    Object.keys(obj).forEach(function (k) {
      if (obj[k] !== "" && obj[k] !== null && obj[k] !== undefined)
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(obj[k]));
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function parseHash() {
    var h = location.hash.replace(/^#\/?/, "");
    var q = h.indexOf("?");
    var path = q < 0 ? h : h.slice(0, q);
    var params = {};
    if (q >= 0) {
      h.slice(q + 1).split("&").forEach(function (p) {
        var i = p.indexOf("=");
        if (i > 0)
          params[decodeURIComponent(p.slice(0, i))] =
            decodeURIComponent(p.slice(i + 1));
      });
    }
    return { parts: path.split("/").filter(Boolean), params: params };
  }

  function go(hash) {
    if (location.hash === hash) render();
    else location.hash = hash;
  }

  // ---- the API ------------------------------------------------------------

  function ApiError(status, body) {
    this.status = status;
    this.code = body && body.error ? body.error.code : "error";
    this.message = body && body.error ? body.error.message
                                      : "the console answered " + status;
    this.body = body;
  }

  function api(method, path, body) {
    var headers = { "Accept": "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && session) headers["X-CSRF-Token"] = session.csrf_token;
    return fetch("/api/v1" + path, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) {
        if (r.status === 401 && path !== "/session") {
          session = null;
          showChrome();
          go("#/login");
        }
        if (!r.ok) throw new ApiError(r.status, j);
        return j;
      });
    });
  }

  function failed(e) {
    say(e && e.message ? e.message : String(e), true);
  }

  // ---- chrome -------------------------------------------------------------

  function showChrome() {
    var nav = document.getElementById("nav");
    var who = document.getElementById("who");
    nav.hidden = !session;
    who.hidden = !session;
    document.getElementById("psa").textContent =
      session && session.console && session.console.psa
        ? "· " + session.console.psa : "";
    document.getElementById("who-name").textContent =
      session ? session.user + " (" + session.role + ")" : "";
  }

  function markNav(page) {
    var links = document.querySelectorAll("#nav a");
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-page") === page)
        links[i].setAttribute("aria-current", "page");
      else links[i].removeAttribute("aria-current");
    }
  }

  function page(title, navName) {
    clear(view);
    markNav(navName);
    document.title = title + " · lpsa console";
    var h = el("h1", { tabindex: "-1", text: title });
    view.appendChild(h);
    return h;
  }

  function focusHeading() {
    var h = view.querySelector("h1");
    if (h) h.focus();
  }

  function table(headers, rows, caption) {
    var thead = el("thead", null, el("tr", null, headers.map(function (h) {
      var num = h.charAt(0) === "#";
      return el("th", { scope: "col", class: num ? "num" : null,
                        text: num ? h.slice(1) : h });
    })));
    var tbody = el("tbody");
    rows.forEach(function (r) {
      tbody.appendChild(el("tr", null, r.map(function (c, i) {
        var num = headers[i].charAt(0) === "#";
        return el("td", { class: num ? "num" : null }, c);
      })));
    });
    if (!rows.length)
      tbody.appendChild(el("tr", null, el("td", { colspan: headers.length,
        class: "muted", text: "nothing to show" })));
    return el("div", { class: "table-wrap" },
              el("table", null, caption ? el("caption", { class: "muted",
                text: caption }) : null, thead, tbody));
  }

  function pager(data, onPage) {
    var pages = Math.max(1, Math.ceil(data.total / data.per_page));
    return el("nav", { class: "pager", "aria-label": "Pages" },
      el("button", { type: "button", disabled: data.page <= 1,
        onclick: function () { onPage(data.page - 1); },
        text: "Previous page" }),
      el("span", { text: "Page " + data.page + " of " + pages + " (" +
                           data.total + ")" }),
      el("button", { type: "button", disabled: data.page >= pages,
        onclick: function () { onPage(data.page + 1); },
        text: "Next page" }));
  }

  function facts(pairs) {
    var dl = el("dl", { class: "facts" });
    pairs.forEach(function (p) {
      dl.appendChild(el("dt", { text: p[0] }));
      dl.appendChild(el("dd", null, p[1]));
    });
    return dl;
  }

  function runLink(id) {
    return el("a", { href: "#/runs/" + id, text: "Run " + id });
  }

  function companyLink(id, name) {
    return el("a", { href: "#/companies/" + encodeURIComponent(id),
                     text: name ? name + " (" + id + ")" : id });
  }

  function summaryText(s) {
    if (!s) return "—";
    return (s.updated || 0) + " updated, " + (s.planned || 0) + " planned, " +
      (s.held || 0) + " held, " + (s.errors || 0) + " errors, " +
      (s.unchanged || 0) + " in step, " + (s.skipped || 0) + " skipped";
  }

  // ---- login --------------------------------------------------------------

  function viewLogin() {
    clear(view);
    markNav(null);
    document.title = "Log in · lpsa console";
    var err = el("p", { class: "alert", role: "alert" });
    var user = el("input", { id: "login-user", name: "user",
                             autocomplete: "username", required: true });
    var pass = el("input", { id: "login-password", name: "password",
                             type: "password",
                             autocomplete: "current-password",
                             required: true });
    var form = el("form", { onsubmit: function (ev) {
      ev.preventDefault();
      err.textContent = "";
      api("POST", "/session", { user: user.value, password: pass.value })
        .then(function (s) {
          session = s;
          pass.value = "";
          showChrome();
          go("#/overview");
        })
        .catch(function (e) {
          err.textContent = e.message;
          pass.value = "";
          pass.focus();
        });
    } },
      el("label", { for: "login-user" }, "User", user),
      el("label", { for: "login-password" }, "Password", pass),
      el("button", { type: "submit", class: "primary", text: "Log in" }),
      err);
    view.appendChild(el("section", { class: "card login" },
      el("h1", { tabindex: "-1", text: "Log in" }), form));
    user.focus();
  }

  // ---- overview -----------------------------------------------------------

  function viewOverview() {
    page("Overview", "overview");
    var body = el("div", { class: "grid" });
    view.appendChild(body);
    return api("GET", "/overview").then(function (o) {
      var r = o.last_run;
      var last = el("section", { class: "card", "aria-labelledby": "h-last" },
                    el("h2", { id: "h-last", text: "Last run" }));
      if (!r) {
        last.appendChild(el("p", { class: "muted",
          text: "No run in the journal yet." }));
      } else {
        var req = r.requests ? r.requests.total : null;
        last.appendChild(facts([
          ["Run", runLink(r.run_id)],
          ["Started", when(r.started)],
          ["Finished", when(r.finished)],
          ["Driver", (r.driver || "") + " " + (r.driver_version || "")],
          ["Mode", r.mode],
          ["Result", badge(r.result)],
          ["Requests", req === null || req === undefined ? "—" : String(req)]
        ]));
        var s = r.summary || {};
        last.appendChild(table(["Outcome", "#Companies"], [
          ["updated", String(s.updated || 0)],
          ["planned", String(s.planned || 0)],
          ["held", String(s.held || 0)],
          ["errors", String(s.errors || 0)],
          ["in step", String(s.unchanged || 0)],
          ["skipped", String(s.skipped || 0)]
        ]));
      }
      body.appendChild(last);

      var n = o.next_run || {};
      var a = o.last_apply;
      body.appendChild(el("section", { class: "card",
                                      "aria-labelledby": "h-next" },
        el("h2", { id: "h-next", text: "Next run" }),
        facts([
          ["Next", n.at ? when(n.at) : "not scheduled by lpsa"],
          ["By", n.source === "daemon" ? "the daemon"
                 : n.source === "schedule" ? "the schedule (no daemon running here)"
                 : "— (the systemd timer, if installed)"],
          ["Schedule", n.schedule || "—"],
          ["Sync running now", n.syncing ? "yes" : "no"],
          ["Last apply", a ? el("span", null, runLink(a.run_id), " · ",
                                when(a.finished), " · ", badge(a.result))
                           : "none yet"]
        ])));

      var probs = o.problems || [];
      body.appendChild(el("section", { class: "card wide",
                                      "aria-labelledby": "h-problems" },
        el("h2", { id: "h-problems", text: "Open problems by rule" +
                   (o.problems_run ? " (run " + o.problems_run + ")" : "") }),
        table(["Rule", "Severity", "#Companies", "Example"],
              probs.map(function (p) {
                return [el("span", { class: "code", text: p.code }),
                        badge(p.severity), String(p.companies),
                        p.example || ""];
              }))));

      body.appendChild(el("section", { class: "card wide",
                                      "aria-labelledby": "h-checks" },
        el("h2", { id: "h-checks", text: "Checks" }),
        table(["Status", "What", "Detail"], (o.checks || []).map(function (c) {
          return [badge(c.status), c.what, c.detail || ""];
        })),
        el("p", { class: "muted",
          text: "These checks read local files only. `lpsa-host check` also " +
                "tries the LastPass and PSA credentials." })));
    });
  }

  // ---- history ------------------------------------------------------------

  function viewHistory(params) {
    page("History", "history");
    var f = {
      from: el("input", { id: "f-from", type: "date", value: params.from || "" }),
      to: el("input", { id: "f-to", type: "date", value: params.to || "" }),
      outcome: el("select", { id: "f-outcome" }, ["", "ok", "problems",
        "aborted", "stopped", "interrupted", "running"].map(function (v) {
          return el("option", { value: v, selected: params.outcome === v,
                                text: v || "any" });
        })),
      mode: el("select", { id: "f-mode" }, ["", "apply", "dry-run"].map(
        function (v) {
          return el("option", { value: v, selected: params.mode === v,
                                text: v || "any" });
        })),
      company: el("input", { id: "f-company", value: params.company || "",
                             size: 12 })
    };
    function current(pageNo) {
      return { from: f.from.value, to: f.to.value, outcome: f.outcome.value,
               mode: f.mode.value, company: f.company.value.trim(),
               page: pageNo || "" };
    }
    view.appendChild(el("form", { class: "filters", role: "search",
      "aria-label": "Filter runs",
      onsubmit: function (ev) { ev.preventDefault(); go("#/history" +
                                                   query(current())); } },
      el("label", { for: "f-from" }, "From (UTC)", f.from),
      el("label", { for: "f-to" }, "To (UTC)", f.to),
      el("label", { for: "f-outcome" }, "Outcome", f.outcome),
      el("label", { for: "f-mode" }, "Mode", f.mode),
      el("label", { for: "f-company" }, "LastPass company id", f.company),
      el("button", { type: "submit", class: "primary", text: "Filter" })));
    var out = el("div");
    view.appendChild(out);
    var q = query({ from: params.from, to: params.to, outcome: params.outcome,
                    mode: params.mode, company: params.company,
                    page: params.page });
    return api("GET", "/runs" + q).then(function (d) {
      out.appendChild(table(
        ["Run", "Started", "Driver", "Mode", "Result", "#Updated", "#Planned",
         "#Held", "#Errors"],
        d.runs.map(function (r) {
          var s = r.summary || {};
          return [runLink(r.run_id), when(r.started), r.driver, r.mode,
                  badge(r.result), String(s.updated || 0),
                  String(s.planned || 0), String(s.held || 0),
                  String(s.errors || 0)];
        })));
      out.appendChild(pager(d, function (p) {
        go("#/history" + query(current(p)));
      }));
      if (params.company)
        out.appendChild(el("p", null, "Counts over time: ",
                           companyLink(params.company)));
      return api("GET", "/plans" + query({ page: params.plans_page,
                                           per_page: 10 }));
    }).then(function (pl) {
      var sec = el("section", { id: "plans", "aria-labelledby": "h-plans" },
        el("h2", { id: "h-plans", text: "Plans and their fate" }));
      sec.appendChild(table(["Plan", "Made", "By", "#Changes", "#Held",
                             "#Written", "#Approved", "Fate", "Last run"],
        pl.plans.map(function (x) {
          return [el("a", { class: "code", href: "#/plans/" +
                            encodeURIComponent(x.plan_id), text: x.plan_id }),
                  when(x.created), x.made_by || "—", String(x.changes),
                  String(x.held), String(x.written), String(x.approved),
                  el("span", null, badge(x.fate), x.refused
                    ? " " + x.refused : ""),
                  x.last_run ? runLink(x.last_run) : "—"];
        })));
      sec.appendChild(pager(pl, function (pg) {
        var cur = parseHash().params;
        cur.plans_page = pg;
        go("#/history" + query(cur));
      }));
      out.appendChild(sec);
      if (params.plans) {
        var h = document.getElementById("h-plans");
        h.setAttribute("tabindex", "-1");
        return { focus: h };
      }
    });
  }

  function viewRun(id, params) {
    page("Run " + id, "history");
    var out = el("div");
    view.appendChild(out);
    var q = query({ status: params.status, q: params.q, page: params.page });
    return api("GET", "/runs/" + encodeURIComponent(id) + q).then(function (r) {
      var cyc = r.billing_cycle;
      out.appendChild(el("section", { class: "card" }, facts([
        ["Started", when(r.started)],
        ["Finished", when(r.finished)],
        ["Driver", (r.driver || "") + " " + (r.driver_version || "")],
        ["Mode", r.mode],
        ["Result", badge(r.result)],
        ["Exit code", r.exit_code === null ? "—" : String(r.exit_code)],
        ["Billing cycle", cyc ? cyc.start + " to " + (cyc.end || "") : "—"],
        ["Requests", r.requests ? String(r.requests.total) : "—"],
        ["Summary", summaryText(r.summary)],
        ["Journaled changes", String(r.changes_total)],
        ["Plan applied", r.plan_id ? el("a", { class: "code",
          href: "#/plans/" + encodeURIComponent(r.plan_id),
          text: r.plan_id }) : "—"],
        ["Aborted", r.aborted || "no"]
      ])));
      if (r.approvals && r.approvals.length) {
        out.appendChild(el("section", { id: "run-approvals",
                                        "aria-labelledby": "h-approvals" },
          el("h2", { id: "h-approvals", text: "Held changes approved" }),
          table(["LastPass company", "Rule", "#Old", "#New", "Approved by",
                 "When"],
            r.approvals.map(function (x) {
              return [companyLink(x.lastpass_id, x.lastpass_name),
                      el("span", { class: "code", text: x.codes || "" }),
                      String(x.old_quantity), String(x.new_quantity),
                      x.approved_by, when(x.ts)];
            }))));
      }
      if (r.findings && r.findings.length) {
        out.appendChild(el("h2", { text: "Findings of the run" }));
        out.appendChild(table(["Rule", "Severity", "Message"],
          r.findings.map(function (x) {
            return [el("span", { class: "code", text: x.code }),
                    badge(x.severity), x.message];
          })));
      }
      var st = el("select", { id: "r-status" }, ["", "updated", "unchanged",
        "planned", "skipped", "held", "error"].map(function (v) {
          return el("option", { value: v, selected: params.status === v,
                                text: v || "any" });
        }));
      var search = el("input", { id: "r-q", value: params.q || "",
                                 type: "search" });
      function current(p) {
        return { status: st.value, q: search.value.trim(), page: p || "" };
      }
      out.appendChild(el("h2", { text: "Companies" }));
      out.appendChild(el("form", { class: "filters", role: "search",
        "aria-label": "Filter companies",
        onsubmit: function (ev) { ev.preventDefault();
          go("#/runs/" + id + query(current())); } },
        el("label", { for: "r-status" }, "Status", st),
        el("label", { for: "r-q" }, "Name or id", search),
        el("button", { type: "submit", class: "primary", text: "Filter" })));
      var c = r.companies;
      out.appendChild(table(
        ["LastPass company", "PSA company", "#Seats", "#Old", "#New",
         "Status", "Rules", "Journal"],
        c.items.map(function (x) {
          var rules = (x.rules || []).map(function (k) {
            return el("div", null, el("span", { class: "code",
              text: k.code }), " ", k.message);
          });
          var ch = x.change;
          if (x.approved_by)
            rules.push(el("div", { class: "muted",
                                   text: "approved by " + x.approved_by }));
          return [companyLink(x.lastpass_id, x.lastpass_name),
                  (x.psa_company_name ? x.psa_company_name + " " : "") +
                    (x.psa_company_id ? "(" + x.psa_company_id + ")" : "—"),
                  String(x.seats),
                  x.old_quantity === null ? "—" : String(x.old_quantity),
                  x.new_quantity === null ? "—" : String(x.new_quantity),
                  badge(x.status), rules,
                  ch ? ch.state + (ch.message ? ": " + ch.message : "") : ""];
        })));
      out.appendChild(pager(c, function (p) {
        go("#/runs/" + id + query(current(p)));
      }));
    });
  }

  function viewCompany(id, params) {
    page("Company " + id, "history");
    var out = el("div");
    view.appendChild(out);
    return api("GET", "/companies/" + encodeURIComponent(id) +
               query({ page: params.page })).then(function (c) {
      var l = c.latest, m = c.mapping;
      if (c.lastpass_name)
        view.querySelector("h1").textContent = c.lastpass_name + " (" + id + ")";
      out.appendChild(el("section", { class: "card" }, facts([
        ["Mapped to", m ? m.psa_company_id + (m.agreement_id ? ", agreement " +
                         m.agreement_id : "") + " (line " + m.line + ")"
                        : "no row in the mapping file"],
        ["Latest run", c.latest_run ? runLink(c.latest_run) : "—"],
        ["Seats then", l ? String(l.seats) : "—"],
        ["Billed then", l && l.old_quantity !== null ? String(l.old_quantity)
                                                     : "—"],
        ["Status then", l ? badge(l.status) : "—"]
      ])));
      out.appendChild(el("h2", { text: "Counts over time" }));
      var h = c.history;
      out.appendChild(table(["When", "Run", "Mode", "#Old", "#New", "State",
                             "Note"],
        h.items.map(function (x) {
          return [when(x.ts), runLink(x.run_id), x.mode || "",
                  String(x.old_quantity), String(x.new_quantity),
                  badge(x.state), x.message || ""];
        })));
      out.appendChild(pager(h, function (p) {
        go("#/companies/" + encodeURIComponent(id) + query({ page: p }));
      }));
    });
  }

  // ---- plan ---------------------------------------------------------------

  var poll = { timer: null, token: 0 };

  function stopPolling() {
    if (poll.timer) clearTimeout(poll.timer);
    poll.timer = null;
    poll.token++;
  }

  function jobText(j) {
    if (!j) return "";
    var what = j.kind === "plan" ? "Making a plan" : "Applying plan " +
      (j.plan_id || "");
    if (j.state === "queued")
      return what + ": waiting for the sync in progress to finish";
    if (j.state === "running") {
      var pr = j.progress || {};
      var phase = { "lastpass": "reading LastPass",
                    "psa-read": "reading the PSA",
                    "psa-write": "writing to the PSA" }[pr.phase] ||
                  "running";
      return what + ": " + phase +
        (pr.total ? " (" + pr.done + " of " + pr.total + ")"
                  : pr.done ? " (" + pr.done + ")" : "") +
        ", " + (pr.elapsed_s || 0) + " s";
    }
    if (j.state === "failed")
      return (j.kind === "plan" ? "The plan" : "The apply") +
        " could not start: " + (j.error || "");
    var s = j.summary || {};
    if (j.kind === "plan")
      return "Plan " + (j.plan_id || "") + " made by " + j.user + " (run " +
        j.run_id + "): " + (j.plan_changes || 0) + " change" +
        (j.plan_changes === 1 ? "" : "s") + ", " +
        (j.plan_held || 0) + " held" + (j.error ? "; " + j.error : "");
    return "Applied by " + j.user + " (run " + j.run_id + ", exit code " +
      j.exit_code + "): " + (s.updated || 0) + " updated, " +
      (s.errors || 0) + " errors, " + (s.held || 0) + " held" +
      (j.error ? "; " + j.error : "");
  }

  // The job line of the Plan page; calls onEnd(job) once when the job
  // that was running ends.
  function watchJob(box, bar, job, onEnd) {
    stopPolling();
    var token = poll.token;
    function show(j) {
      box.textContent = jobText(j);
      box.className = "job" + (j && j.state === "failed" ? " error" : "");
      var running = j && (j.state === "queued" || j.state === "running");
      bar.hidden = !running;
      if (running && j.progress && j.progress.total) {
        bar.max = j.progress.total;
        bar.value = j.progress.done;
      } else if (running) {
        bar.removeAttribute("value");
      }
      return running;
    }
    function tick(wasRunning) {
      api("GET", "/job").then(function (r) {
        if (token !== poll.token) return;
        var running = show(r.job);
        if (running) poll.timer = setTimeout(function () { tick(true); }, 700);
        else if (wasRunning && onEnd) onEnd(r.job);
      }).catch(function (e) { if (token === poll.token) failed(e); });
    }
    if (show(job)) poll.timer = setTimeout(function () { tick(true); }, 300);
  }

  function confirmApply(plan, onDone) {
    var a = plan.apply;
    var dlg = el("dialog", { "aria-labelledby": "ap-title",
                             "aria-describedby": "ap-text" });
    var err = el("p", { class: "alert", role: "alert" });
    var opener = document.activeElement;
    function close() {
      dlg.close();
      dlg.remove();
      if (opener && opener.focus) opener.focus();
    }
    var yes = el("button", { type: "button", class: "danger", id: "ap-yes",
      text: "Apply " + a.changes + " change" + (a.changes === 1 ? "" : "s") +
            " to " + a.psa,
      onclick: function () {
        yes.disabled = true;
        api("POST", "/plans/" + encodeURIComponent(plan.plan_id) + "/apply",
            { changes: a.changes })
          .then(function (r) { close(); onDone(r.job); })
          .catch(function (e) { yes.disabled = false; err.textContent = e.message; });
      } });
    dlg.appendChild(el("h2", { id: "ap-title", text: a.question }));
    dlg.appendChild(el("div", { id: "ap-text" },
      el("p", { text: a.planned + " planned change" +
        (a.planned === 1 ? "" : "s") + " and " + a.approved +
        " approved held change" + (a.approved === 1 ? "" : "s") +
        " of plan " + plan.plan_id + " will be written to " + a.psa +
        ", each line read again first; a line someone changed since the " +
        "plan is left as it is (CHANGED_SINCE_PLAN)." }),
      el("p", { text: "This changes what customers are billed." })));
    dlg.appendChild(err);
    dlg.appendChild(el("div", { class: "actions" }, yes,
      el("button", { type: "button", id: "ap-no", onclick: close,
                     text: "Cancel" })));
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); close(); });
    document.body.appendChild(dlg);
    dlg.showModal();
    // the safe choice first: Enter on an unread question cancels
    dlg.querySelector("#ap-no").focus();
  }

  function changeText(x) {
    var ch = x.change;
    if (ch) return String(ch.old) + " → " + String(ch.new);
    if (x.old_quantity !== null && x.old_quantity !== undefined)
      return String(x.old_quantity);
    return "—";
  }

  function viewPlan(id, params) {
    page("Plan", "plan");
    var approver = session && session.role === "approver";
    var top = el("div", { class: "toolbar" });
    var jobBox = el("p", { class: "job", id: "job", role: "status",
                           "aria-live": "polite" });
    var bar = el("progress", { id: "job-progress", "aria-label": "Progress",
                               hidden: true });
    view.appendChild(top);
    view.appendChild(el("div", { class: "jobline" }, jobBox, bar));
    var out = el("div");
    view.appendChild(out);
    function afterJob(j) {
      if (j && j.state === "done" && j.kind === "plan" && j.plan_id)
        go("#/plans/" + encodeURIComponent(j.plan_id));
      else render(); /* the job line tells the result */
    }
    var make = approver ? el("button", { type: "button", class: "primary",
      id: "plan-make", text: "Make a plan now (dry run)",
      onclick: function () {
        make.disabled = true;
        api("POST", "/plans", {}).then(function (r) {
          watchJob(jobBox, bar, r.job, afterJob);
        }).catch(function (e) { make.disabled = false; failed(e); });
      } }) : null;
    if (make) top.appendChild(make);
    top.appendChild(el("a", { href: "#/history?plans=1", text: "All plans" }));
    var q = query({ view: params.view, q: params.q, code: params.code,
                    page: params.page });
    return api("GET", "/plans/" + encodeURIComponent(id || "latest") + q)
      .then(function (p) {
        draw(p);
        var busy = p.job && (p.job.state === "queued" ||
                             p.job.state === "running");
        if (make) make.disabled = busy;
        watchJob(jobBox, bar, p.job, afterJob);
      }, function (e) {
        if (e.status !== 404) throw e;
        out.appendChild(el("section", { class: "card" },
          el("p", { text: e.message })));
        return api("GET", "/job").then(function (r) {
          watchJob(jobBox, bar, r.job, afterJob);
        });
      });

    function draw(p) {
      view.querySelector("h1").textContent = "Plan " + p.plan_id;
      var cyc = p.billing_cycle || {};
      var drv = p.driver || {};
      out.appendChild(el("section", { class: "card" }, facts([
        ["Made", when(p.created) + " by " + (p.made_by || "?") +
          (p.made_by_run ? " (dry run " + p.made_by_run + ")" : "")],
        ["PSA", (drv.psa || "") + " · driver " + (drv.section || "") + " " +
          (drv.version || "")],
        ["Billing cycle", (cyc.start || "") + " to " + (cyc.end || "")],
        ["Expires", when(p.expires)],
        ["Fate", el("span", null, badge(p.fate),
          p.last_run ? el("span", null, " · last applied in ",
                          runLink(p.last_run)) : null)],
        ["Can be applied", p.applicable ? "yes"
          : el("span", { class: "alert", text: "no: " + p.not_applicable })],
        ["File", el("span", { class: "code", text: p.file || "" })]
      ])));
      var a = p.apply;
      var applyBox = el("section", { class: "card apply",
                                     "aria-labelledby": "h-apply" },
        el("h2", { id: "h-apply", text: "Apply" }),
        el("p", { id: "apply-question", text: a.changes ? a.question
          : "Nothing left to write: " + (p.summary.approvable
            ? "approve a held company below, or make a new plan"
            : "make a new plan when LastPass changes") }));
      if (approver)
        applyBox.appendChild(el("button", { type: "button", class: "danger",
          id: "plan-apply", disabled: !a.changes || !p.applicable,
          text: "Apply this plan",
          onclick: function () {
            confirmApply(p, function (job) {
              say("Applying plan " + p.plan_id + "…");
              watchJob(jobBox, bar, job, afterJob);
            });
          } }));
      out.appendChild(applyBox);

      var s = p.summary;
      out.appendChild(el("section", { class: "card" },
        el("h2", { text: "Summary" }),
        table(["What", "#Companies"], [
          ["changes to write", String(s.changes)],
          ["held for a person", String(s.held) + " (" + s.approvable +
            " can be approved)"],
          ["errors (not updated)", String(s.errors)],
          ["in step or skipped", String(s.other)]])));

      if (p.problems && p.problems.length) {
        out.appendChild(el("h2", { text: "Problems by rule (what to do)" }));
        out.appendChild(table(["Rule", "Severity", "#Found",
                               "What it says"],
          p.problems.map(function (g) {
            return [el("a", { class: "code", href: "#/plans/" +
                              encodeURIComponent(p.plan_id) +
                              query({ code: g.code }), text: g.code }),
                    badge(g.severity),
                    String(g.companies + (g.run_findings || 0)),
                    el("div", null, g.examples.map(function (x) {
                      return el("div", null, x.lastpass_name
                        ? x.lastpass_name + " (" + x.lastpass_id + "): " : "",
                        x.message);
                    }))];
          })));
      }
      if (p.approvals && p.approvals.length) {
        out.appendChild(el("h2", { text: "Approved on this page" }));
        out.appendChild(table(["LastPass company", "Approved by", "When"],
          p.approvals.map(function (x) {
            return [companyLink(x.lastpass_id, x.lastpass_name),
                    x.approved_by, when(x.ts)];
          })));
      }

      var sel = el("select", { id: "p-view" }, [["", "everything"],
        ["changes", "changes"], ["held", "held"], ["errors", "errors"],
        ["other", "in step or skipped"]].map(function (v) {
          return el("option", { value: v[0],
            selected: (params.view || "") === v[0], text: v[1] });
        }));
      var search = el("input", { id: "p-q", type: "search",
                                 value: params.q || "" });
      function current(pg) {
        return { view: sel.value, q: search.value.trim(),
                 code: params.code || "", page: pg || "" };
      }
      var base = "#/plans/" + encodeURIComponent(p.plan_id);
      out.appendChild(el("h2", { text: "Companies" +
        (params.code ? " with " + params.code : "") }));
      out.appendChild(el("form", { class: "filters", role: "search",
        "aria-label": "Filter the plan's companies",
        onsubmit: function (ev) { ev.preventDefault();
          go(base + query(current())); } },
        el("label", { for: "p-view" }, "Show", sel),
        el("label", { for: "p-q" }, "Name or id", search),
        el("button", { type: "submit", class: "primary", text: "Filter" })));
      var c = p.companies;
      out.appendChild(table(
        ["LastPass company", "PSA company", "#Seats", "Change", "Status",
         "Why", "Approval", "Applied"],
        c.items.map(function (x) {
          var why = (x.rules || []).map(function (k) {
            return el("div", null, el("span", { class: "code",
              text: k.code }), " ", k.message);
          });
          var appr = el("div", { class: "actions" });
          if (x.approval)
            appr.appendChild(el("span", { text: "approved by " +
                                          x.approval.approved_by }));
          else if (x.kind === "held")
            appr.appendChild(el("span", { class: "muted",
              text: x.approvable ? "held" : "held (nothing to approve)" }));
          if (approver && x.approvable && p.applicable &&
              !(x.line && (x.line.state === "applied" ||
                           x.line.state === "already"))) {
            var yes = !x.approval;
            appr.appendChild(el("button", { type: "button",
              class: yes ? "primary" : null,
              "aria-label": (yes ? "Approve " : "Leave held ") +
                            x.lastpass_name + " (" + x.lastpass_id + ")",
              text: yes ? "Approve" : "Leave held",
              onclick: function () {
                api("POST", "/plans/" + encodeURIComponent(p.plan_id) +
                    "/approvals", { lastpass_id: x.lastpass_id,
                                    approve: yes })
                  .then(function (r) {
                    return render().then(function () { say(r.message); });
                  }).catch(failed);
              } }));
          }
          return [companyLink(x.lastpass_id, x.lastpass_name),
                  x.psa_company_id || "—", String(x.seats), changeText(x),
                  badge(x.status), why, appr,
                  x.line ? el("span", null, x.line.state + " in ",
                              runLink(x.line.run_id)) : ""];
        })));
      out.appendChild(pager(c, function (pg) { go(base + query(current(pg))); }));
    }
  }

  // ---- mapping ------------------------------------------------------------

  var mappingState = null; // the last GET /mapping answer

  function rowDialog(title, row, isNew, onSaved) {
    var dlg = el("dialog", { "aria-labelledby": "dlg-title" });
    var err = el("p", { class: "alert", role: "alert" });
    function field(id, label, value, readonly) {
      var input = el("input", { id: id, value: value || "",
                                readonly: readonly });
      return { input: input,
               label: el("label", { for: id }, label, input) };
    }
    var lp = field("m-lp", "LastPass company id", row.lastpass_id, !isNew);
    var psa = field("m-psa", "PSA company id", row.psa_company_id);
    var agr = field("m-agr", "Agreement / contract id (optional)",
                    row.agreement_id);
    var note = field("m-note", "Note (optional)", row.note);
    var opener = document.activeElement;
    function close() {
      dlg.close();
      dlg.remove();
      if (opener && opener.focus) opener.focus();
    }
    var form = el("form", { onsubmit: function (ev) {
      ev.preventDefault();
      err.textContent = "";
      var body = { version: mappingState.version,
                   psa_company_id: psa.input.value.trim(),
                   agreement_id: agr.input.value.trim(),
                   note: note.input.value.trim() };
      var p;
      if (isNew) {
        body.lastpass_company_id = lp.input.value.trim();
        p = api("POST", "/mapping/rows", body);
      } else {
        p = api("PUT", "/mapping/rows/" + encodeURIComponent(row.lastpass_id),
                body);
      }
      p.then(function (r) { close(); onSaved(r); })
       .catch(function (e) { err.textContent = e.message; });
    } },
      el("h2", { id: "dlg-title", text: title }),
      lp.label, psa.label, agr.label, note.label, err,
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "primary", text: "Save" }),
        el("button", { type: "button", onclick: close, text: "Cancel" })));
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); close(); });
    dlg.appendChild(form);
    document.body.appendChild(dlg);
    dlg.showModal();
    (isNew && !row.lastpass_id ? lp.input : psa.input).focus();
  }

  function confirmRemove(row, onDone) {
    var dlg = el("dialog", { "aria-labelledby": "rm-title" });
    var err = el("p", { class: "alert", role: "alert" });
    var opener = document.activeElement;
    function close() {
      dlg.close();
      dlg.remove();
      if (opener && opener.focus) opener.focus();
    }
    var yes = el("button", { type: "button", class: "danger",
      text: "Remove the row",
      onclick: function () {
        api("DELETE", "/mapping/rows/" + encodeURIComponent(row.lastpass_id),
            { version: mappingState.version })
          .then(function (r) { close(); onDone(r); })
          .catch(function (e) { err.textContent = e.message; });
      } });
    dlg.appendChild(el("h2", { id: "rm-title",
      text: "Remove the row of LastPass company " + row.lastpass_id + "?" }));
    dlg.appendChild(el("p", { text: "Its seats will no longer be billed by " +
      "lpsa until it is mapped again. The file as it is now is kept as a " +
      "backup." }));
    dlg.appendChild(err);
    dlg.appendChild(el("div", { class: "actions" }, yes,
      el("button", { type: "button", onclick: close, text: "Cancel" })));
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); close(); });
    document.body.appendChild(dlg);
    dlg.showModal();
    yes.focus();
  }

  function viewMapping(params) {
    page("Mapping", "mapping");
    var approver = session && session.role === "approver";
    var out = el("div");
    view.appendChild(out);
    var q = query({ view: params.view, q: params.q, page: params.page });
    function reload(message) {
      return render().then(function () { if (message) say(message); });
    }
    function saved(r) {
      var msg = r.message || "saved";
      reload(msg);
    }
    return Promise.all([api("GET", "/mapping" + q),
                        api("GET", "/mapping/backups")]).then(function (res) {
      var m = res[0], backups = res[1].backups || [];
      mappingState = m;
      var sel = el("select", { id: "m-view" }, [["all", "all"],
        ["mapped", "mapped rows"], ["unmapped", "unmapped companies"]].map(
        function (v) {
          return el("option", { value: v[0],
            selected: (params.view || "all") === v[0], text: v[1] });
        }));
      var search = el("input", { id: "m-q", type: "search",
                                 value: params.q || "" });
      function current(p) {
        return { view: sel.value === "all" ? "" : sel.value,
                 q: search.value.trim(), page: p || "" };
      }
      out.appendChild(el("section", { class: "card" }, facts([
        ["File", m.file || "—"],
        ["Rows", String(m.rows_total)],
        ["Unmapped companies", String(m.unmapped_total) +
          (m.last_run ? " (as of run " + m.last_run + ")" : "")],
        ["Version", el("span", { class: "code",
                                 text: (m.version || "").slice(0, 12) })]
      ]), m.error ? el("p", { class: "alert", role: "alert",
                              text: m.error }) : null));
      var sug = m.suggestions || {};
      var tools = el("div", { class: "toolbar" });
      if (approver) {
        tools.appendChild(el("button", { type: "button", class: "primary",
          id: "m-add", text: "Add a row",
          onclick: function () { rowDialog("Add a mapping row", {}, true,
                                           saved); } }));
        tools.appendChild(el("button", { type: "button", id: "m-suggest",
          disabled: sug.status === "running",
          text: "Propose mappings (map suggest)",
          onclick: function () {
            api("POST", "/mapping/suggestions", {}).then(function () {
              reload("map suggest is running: it reads every LastPass and " +
                     "PSA company; reload in a moment");
            }).catch(failed);
          } }));
      }
      tools.appendChild(el("span", { class: "muted suggest",
        text: "Proposals: " + (sug.status === "done"
          ? sug.count + " from " + when(sug.finished)
          : sug.status === "running" ? "running since " + when(sug.started)
          : sug.status === "failed" ? "failed: " + sug.error : "none yet") }));
      out.appendChild(tools);
      out.appendChild(el("form", { class: "filters", role: "search",
        "aria-label": "Filter the mapping",
        onsubmit: function (ev) { ev.preventDefault();
          go("#/mapping" + query(current())); } },
        el("label", { for: "m-view" }, "Show", sel),
        el("label", { for: "m-q" }, "Name or id", search),
        el("button", { type: "submit", class: "primary", text: "Filter" })));
      out.appendChild(table(
        ["LastPass company", "PSA company", "Agreement", "Note", "Last run",
         "Proposal", "Actions"],
        m.items.map(function (x) {
          var actions = el("div", { class: "actions" });
          var s = x.suggestion;
          if (approver && x.kind === "mapped") {
            actions.appendChild(el("button", { type: "button",
              "aria-label": "Change the row of " + x.lastpass_id,
              text: "Change",
              onclick: function () { rowDialog("Change the row of " +
                x.lastpass_id, x, false, saved); } }));
            actions.appendChild(el("button", { type: "button", class: "danger",
              "aria-label": "Remove the row of " + x.lastpass_id,
              text: "Remove",
              onclick: function () { confirmRemove(x, saved); } }));
          } else if (approver) {
            actions.appendChild(el("button", { type: "button",
              "aria-label": "Map " + x.lastpass_id, text: "Map",
              onclick: function () {
                rowDialog("Map LastPass company " + x.lastpass_id, {
                  lastpass_id: x.lastpass_id,
                  psa_company_id: s && s.psa_company_id ? s.psa_company_id : ""
                }, true, saved);
              } }));
          }
          return [
            companyLink(x.lastpass_id, x.lastpass_name),
            x.kind === "mapped"
              ? (x.psa_company_name ? x.psa_company_name + " " : "") + "(" +
                x.psa_company_id + ")"
              : el("span", { class: "muted", text: "not mapped" }),
            x.agreement_id || "",
            x.note || "",
            x.last_status ? el("span", null, badge(x.last_status), " ",
              (x.rules || []).join(", ")) : "—",
            s && s.psa_company_id
              ? (s.psa_name || s.psa_company_id) + " (" + s.psa_company_id +
                "), confidence " + s.confidence + (s.status !== "suggested"
                  ? ", " + s.status : "")
              : "",
            actions
          ];
        })));
      out.appendChild(pager(m, function (p) {
        go("#/mapping" + query(current(p)));
      }));
      out.appendChild(el("details", { id: "m-backups" },
        el("summary", { text: "Backups (" + backups.length + ")" }),
        backups.length ? el("ul", null, backups.map(function (b) {
          return el("li", { class: "code", text: b.file + " · " +
                            when(b.modified) });
        })) : el("p", { class: "muted", text: "No edit made from here yet." })));
    });
  }

  // ---- acknowledgements ---------------------------------------------------

  function ackDialog(f, onSaved) {
    var dlg = el("dialog", { "aria-labelledby": "k-title" });
    var err = el("p", { class: "alert", role: "alert" });
    var note = el("input", { id: "k-note", maxlength: "500" });
    var until = el("input", { id: "k-until", inputmode: "numeric",
                              placeholder: "YYYY-MM-DD", maxlength: "10",
                              "aria-describedby": "k-until-help" });
    var opener = document.activeElement;
    function close() {
      dlg.close();
      dlg.remove();
      if (opener && opener.focus) opener.focus();
    }
    var form = el("form", { onsubmit: function (ev) {
      ev.preventDefault();
      err.textContent = "";
      api("POST", "/acks", { lastpass_id: f.lastpass_id, code: f.code,
                             note: note.value.trim(),
                             until: until.value.trim() })
        .then(function (r) { close(); onSaved(r); })
        .catch(function (e) { err.textContent = e.message; });
    } },
      el("h2", { id: "k-title", text: "Acknowledge " + f.code + " of " +
                 (f.lastpass_name || f.lastpass_id) + " (" + f.lastpass_id +
                 ")" }),
      el("p", { class: "muted", text: f.message || "" }),
      el("label", { for: "k-note" }, "Note (why, for the next person)", note),
      el("label", { for: "k-until" }, "Last day it applies (optional)", until,
         el("span", { id: "k-until-help", class: "muted",
                      text: "YYYY-MM-DD; empty: until it is removed" })),
      el("p", { text: "It still shows in every report, but no longer makes " +
                "a run exit 1 nor sends a problems notification, until it " +
                "expires, is removed, or the finding changes." }),
      err,
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "primary", id: "k-save",
                       text: "Acknowledge" }),
        el("button", { type: "button", onclick: close, text: "Cancel" })));
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); close(); });
    dlg.appendChild(form);
    document.body.appendChild(dlg);
    dlg.showModal();
    note.focus();
  }

  function confirmUnack(a, onDone) {
    var dlg = el("dialog", { "aria-labelledby": "ku-title" });
    var err = el("p", { class: "alert", role: "alert" });
    var opener = document.activeElement;
    function close() {
      dlg.close();
      dlg.remove();
      if (opener && opener.focus) opener.focus();
    }
    var yes = el("button", { type: "button", class: "danger", id: "ku-yes",
      text: "Remove the acknowledgement",
      onclick: function () {
        api("DELETE", "/acks", { lastpass_id: a.lastpass_id, code: a.code })
          .then(function (r) { close(); onDone(r); })
          .catch(function (e) { err.textContent = e.message; });
      } });
    dlg.appendChild(el("h2", { id: "ku-title", text: "Remove the " +
      "acknowledgement of " + a.code + " for " +
      (a.lastpass_name || a.lastpass_id) + " (" + a.lastpass_id + ")?" }));
    dlg.appendChild(el("p", { text: "The finding counts again from the " +
      "next run: it makes the run exit 1 and sends a problems " +
      "notification." }));
    dlg.appendChild(err);
    dlg.appendChild(el("div", { class: "actions" }, yes,
      el("button", { type: "button", onclick: close, text: "Cancel" })));
    dlg.addEventListener("cancel", function (ev) { ev.preventDefault(); close(); });
    document.body.appendChild(dlg);
    dlg.showModal();
    yes.focus();
  }

  function viewAcks(params) {
    page("Acknowledgements", "acks");
    var approver = session && session.role === "approver";
    var out = el("div");
    view.appendChild(out);
    function done(r) {
      render().then(function () { say(r.message); });
    }
    return api("GET", "/acks" + query({ q: params.q, page: params.page }))
      .then(function (d) {
        out.appendChild(el("p", { class: "muted", text: "An acknowledged " +
          "finding still shows in every report, marked, but no longer makes " +
          "a run exit 1 nor sends a problems notification, until it " +
          "expires, is removed, or changes (another count). It never " +
          "releases a held change." }));
        out.appendChild(el("h2", { text: "In force" }));
        var acks = d.acks || [];
        out.appendChild(el("div", { id: "acks-in-force" }, acks.length
          ? table(["Company", "Rule", "Finding", "By", "When", "Until", "Note",
                   "State", "Newest run", "Actions"],
              acks.map(function (a) {
                return [companyLink(a.lastpass_id, a.lastpass_name),
                  el("span", { class: "code", text: a.code }),
                  a.message || "", a.by || "—", when(a.at),
                  a.until || "no end", a.note || "",
                  el("span", { class: "badge " +
                    (a.state === "expired" ? "warn" : "ok"), text: a.state }),
                  a.last_run || "—",
                  approver ? el("button", { type: "button", class: "danger",
                    "aria-label": "Remove the acknowledgement of " + a.code +
                                  " for " + a.lastpass_id,
                    text: "Remove",
                    onclick: function () { confirmUnack(a, done); } }) : ""];
              }))
          : el("p", { class: "muted",
                      text: "No acknowledgement is in force." })));

        var f = d.findings || { items: [], total: 0, page: 1, per_page: 50 };
        out.appendChild(el("h2", { text: "Findings that can be acknowledged" +
          (f.run_id ? " (run " + f.run_id + ")" : "") }));
        var search = el("input", { id: "k-q", type: "search",
                                   value: params.q || "" });
        out.appendChild(el("form", { class: "filters", role: "search",
          "aria-label": "Filter the findings",
          onsubmit: function (ev) { ev.preventDefault();
            go("#/acks" + query({ q: search.value.trim() })); } },
          el("label", { for: "k-q" }, "Company name or id", search),
          el("button", { type: "submit", class: "primary", text: "Filter" })));
        out.appendChild(el("div", { id: "acks-findings" }, table(
          ["Company", "Rule", "Severity", "Finding", "Actions"],
          f.items.map(function (x) {
            return [companyLink(x.lastpass_id, x.lastpass_name),
              el("span", { class: "code", text: x.code }),
              badge(x.severity), x.message || "",
              approver ? el("button", { type: "button",
                "aria-label": "Acknowledge " + x.code + " of " +
                              (x.lastpass_name || x.lastpass_id) + " (" +
                              x.lastpass_id + ")",
                text: "Acknowledge",
                onclick: function () { ackDialog(x, done); } }) : ""];
          }))));
        out.appendChild(pager(f, function (pg) {
          go("#/acks" + query({ q: params.q, page: pg }));
        }));
      });
  }

  // ---- activity -----------------------------------------------------------

  function viewAudit(params) {
    page("Activity", "audit");
    var out = el("div");
    view.appendChild(out);
    return api("GET", "/audit" + query({ page: params.page }))
      .then(function (a) {
        out.appendChild(table(["When", "User", "From", "Action", "On",
                               "Detail"],
          a.events.map(function (e) {
            var d = e.detail;
            var text = "";
            if (d && d.backup) text = "backup " + d.backup;
            if (d && d.after)
              text = "→ " + d.after.psa_company_id + (text ? "; " + text : "");
            return [when(e.ts), e.user || "—", e.address || "", e.action,
                    e.target || "", text];
          })));
        a.total = a.total || 0;
        out.appendChild(pager(a, function (p) {
          go("#/audit" + query({ page: p }));
        }));
      });
  }

  // ---- routing ------------------------------------------------------------

  function render() {
    var h = parseHash();
    var name = h.parts[0] || "overview";
    say("");
    if (!session && name !== "login") {
      go("#/login");
      return Promise.resolve();
    }
    stopPolling();
    var p;
    switch (name) {
    case "login": viewLogin(); return Promise.resolve();
    case "overview": p = viewOverview(); break;
    case "history": p = viewHistory(h.params); break;
    case "runs": p = viewRun(h.parts[1], h.params); break;
    case "companies": p = viewCompany(decodeURIComponent(h.parts[1] || ""),
                                      h.params); break;
    case "mapping": p = viewMapping(h.params); break;
    case "audit": p = viewAudit(h.params); break;
    case "acks": p = viewAcks(h.params); break;
    case "plan": p = viewPlan(null, h.params); break;
    case "plans": p = viewPlan(decodeURIComponent(h.parts[1] || "latest"),
                               h.params); break;
    default:
      page("Not found", null);
      view.appendChild(el("p", { text: "No such page. " }));
      p = Promise.resolve();
    }
    return p.then(function (r) {
      if (r && r.focus) r.focus.focus();
      else focusHeading();
    }).catch(failed);
  }

  document.getElementById("logout").addEventListener("click", function () {
    api("DELETE", "/session").catch(function () {}).then(function () {
      session = null;
      showChrome();
      go("#/login");
    });
  });
  document.getElementById("skip").addEventListener("click", function (ev) {
    ev.preventDefault();
    document.getElementById("main").focus();
  });
  window.addEventListener("hashchange", render);

  api("GET", "/session").then(function (s) { session = s; })
    .catch(function () { session = null; })
    .then(function () { showChrome(); render(); });
})();
