# SPDX-License-Identifier: MIT
"""bench_table.py - the benchmark's tables, as aligned text or Markdown.

Owns presentation only: the time table (one row per run: driver, size,
concurrency, mode) with the wall time against its floor and the reference
client, then the request table (one row per driver, size and mode: the
counts do not depend on the concurrency) next to the models, then the
requests by endpoint, then the checks. Models of an apply are the
dry-run's plus per_change x changes.
"""

import re

from bench_checks import sim_busy
from bench_models import lo_hi

TIME_COLUMNS = ["driver", "companies", "concurrency", "mode", "changes",
                "attention", "wall s", "floor s", "x floor", "reference s",
                "x reference", "used", "max in flight", "CPU s",
                "peak RSS MB", "sim ms/req", "sim busy %", "LastPass s",
                "PSA s"]
REQUEST_COLUMNS = ["driver", "companies", "mode", "requests", "LastPass",
                   "PSA", "PSA formula", "lower bound", "naive"]
LEFT = 4  # text columns, aligned left


def _model_total(case, key, mode):
    lp = case["models"]["lastpass"][key]
    psa = case["models"]["psa"][key]
    lo = lo_hi(lp["dry"])[0] + lo_hi(psa["dry"])[0]
    hi = lo_hi(lp["dry"])[1] + lo_hi(psa["dry"])[1]
    if mode == "apply":
        extra = psa["per_change"] * case["changes"]
        lo, hi = lo + extra, hi + extra
    return lo, hi


def _range(lo, hi):
    return f"{lo}" if lo == hi else f"{lo}..{hi}"


def _psa_formula(case, mode):
    f = case["models"]["psa"]["formula"]
    lo, hi = lo_hi(f["dry"])
    if mode == "apply":
        lo += f["per_change"] * case["changes"]
        hi += f["per_change"] * case["changes"]
    return _range(lo, hi)


def _used(r):
    """The concurrency the run used: peak of max, and halvings."""
    c = r.get("concurrency") or {}
    if not c:
        return "-"
    text = f"{c.get('peak', 0)}/{c.get('max', 0)}"
    if c.get("halved"):
        text += f", halved {c['halved']}x to {c.get('smallest')}"
    return text


def _sim_ms(r):
    h = r["sim"]["psa"].get("handler") or {}
    n = h.get("requests") or 0
    return f"{h.get('total_ms', 0.0) / n:.2f}" if n else "-"


def time_rows(cases):
    out = []
    for case in cases:
        for mode in ("dry-run", "apply"):
            r = case["runs"].get(mode)
            if not r:
                continue
            summary = r["report"].get("summary") or {}
            changes = summary.get("planned" if mode == "dry-run" else
                                  "updated", 0)
            attention = summary.get("errors", 0) + summary.get("held", 0)
            floor = case["floors"].get(mode)
            ref = case.get("reference") if mode == "dry-run" else None
            busy = max(sim_busy(r, "psa"), sim_busy(r, "lastpass"))
            out.append([
                case["driver"], f"{case['size']:,}",
                str(case["concurrency"]), mode, str(changes), str(attention),
                f"{r['wall_s']:.2f}", f"{floor:.2f}" if floor else "-",
                f"{r['wall_s'] / floor:.2f}" if floor else "-",
                f"{ref['wall_s']:.2f}" if ref else "-",
                f"{r['wall_s'] / ref['wall_s']:.2f}" if ref else "-",
                _used(r), str(r["sim"]["psa"].get("max_inflight", 0)),
                f"{r['cpu_s']:.2f}", f"{r['rss_mb']:.1f}", _sim_ms(r),
                f"{busy * 100:.1f}",
                f"{r['sim']['lastpass']['span_s']:.2f}",
                f"{r['sim']['psa']['span_s']:.2f}"
            ])
    return out


def request_rows(cases):
    out, seen = [], set()
    for case in cases:
        key = (case["driver"], case["size"])
        if key in seen:
            continue
        seen.add(key)
        for mode in ("dry-run", "apply"):
            r = case["runs"].get(mode)
            if not r:
                continue
            req = r["requests"]
            out.append([
                case["driver"], f"{case['size']:,}", mode, str(req["total"]),
                str(req["lastpass"]), str(req["psa"]),
                _psa_formula(case, mode),
                _range(*_model_total(case, "lower_bound", mode)),
                _range(*_model_total(case, "naive", mode))
            ])
    return out


def text_table(header, body, left):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    line = lambda cells: "  ".join(
        str(c).rjust(w) if i >= left else str(c).ljust(w)
        for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] +
                     [line(r) for r in body])


def markdown_table(header, body, left):
    sep = ["---" if i < left else "---:" for i in range(len(header))]
    return "\n".join("| " + " | ".join(r) + " |"
                     for r in [header, sep] + body)


def short_label(label):
    """'GET 127.0.0.1:5/v4_6_release/apis/3.0/finance/x' -> 'GET finance/x'."""
    label = re.sub(r"\b\d+\.\d+\.\d+\.\d+(:\d+)?/", "", label)
    return re.sub(r"\S*apis/3\.0/", "", label)


def endpoint_lines(cases):
    lines, seen = [], set()
    for case in cases:
        key = (case["driver"], case["size"])
        if key in seen:
            continue
        seen.add(key)
        for mode, r in case["runs"].items():
            parts = [f"{short_label(k)} {v}" for k, v in sorted(
                r["requests"]["by_endpoint"].items(), key=lambda kv: kv[0])]
            lines.append(f"{case['driver']} {case['size']:,} {mode}: " +
                         ", ".join(parts))
    return lines


def check_lines(results):
    lines = []
    for case, checks in results:
        for name, status, detail in checks:
            lines.append(f"{status:4}  {case['driver']} {case['size']:,} "
                         f"x{case['concurrency']}: {name} - {detail}")
    return lines


def render(cases, results, markdown=False):
    fmt = markdown_table if markdown else text_table
    times = fmt(TIME_COLUMNS, time_rows(cases), LEFT)
    requests = fmt(REQUEST_COLUMNS, request_rows(cases), 3)
    eps = endpoint_lines(cases)
    chk = check_lines(results)
    if markdown:
        return "\n".join([times, "", requests, "",
                          "Requests by endpoint (host's count):", ""] +
                         [f"- {x}" for x in eps] +
                         (["", "Checks:", ""] + [f"- {x}" for x in chk]
                          if chk else []))
    return "\n".join([times, "", requests, "",
                      "Requests by endpoint (host's count):"] +
                     ["  " + x for x in eps] +
                     (["", "Checks:"] + ["  " + x for x in chk] if chk else []))
