# SPDX-License-Identifier: MIT
"""bench_table.py - the benchmark's tables, as aligned text or Markdown.

Owns presentation only: one row per run (driver, size, mode) with the
measurements next to the models, then the requests by endpoint, then the
checks. Models of an apply are the dry-run's plus per_change x changes.
"""

import re

from bench_models import lo_hi

COLUMNS = ["driver", "companies", "mode", "changes", "attention", "wall s",
           "requests",
           "LastPass", "PSA", "PSA formula", "lower bound", "naive", "CPU s",
           "peak RSS MB", "max in flight", "LastPass s", "PSA s"]


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


def rows(cases):
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
            req = r["requests"]
            out.append([
                case["driver"], f"{case['size']:,}", mode, str(changes),
                str(attention),
                f"{r['wall_s']:.2f}", str(req["total"]),
                str(req["lastpass"]), str(req["psa"]),
                _psa_formula(case, mode),
                _range(*_model_total(case, "lower_bound", mode)),
                _range(*_model_total(case, "naive", mode)),
                f"{r['cpu_s']:.2f}", f"{r['rss_mb']:.1f}",
                str(r["sim"]["psa"].get("max_inflight", 0)),
                f"{r['sim']['lastpass']['span_s']:.2f}",
                f"{r['sim']['psa']['span_s']:.2f}"
            ])
    return out


def text_table(header, body):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    line = lambda cells: "  ".join(
        str(c).rjust(w) if i > 2 else str(c).ljust(w)
        for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] +
                     [line(r) for r in body])


def markdown_table(header, body):
    sep = ["---" if i <= 2 else "---:" for i in range(len(header))]
    return "\n".join("| " + " | ".join(r) + " |"
                     for r in [header, sep] + body)


def short_label(label):
    """'GET 127.0.0.1:5/v4_6_release/apis/3.0/finance/x' -> 'GET finance/x'."""
    label = re.sub(r"\b\d+\.\d+\.\d+\.\d+(:\d+)?/", "", label)
    return re.sub(r"\S*apis/3\.0/", "", label)


def endpoint_lines(cases):
    lines = []
    for case in cases:
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
            lines.append(f"{status:4}  {case['driver']} {case['size']:,}: "
                         f"{name} - {detail}")
    return lines


def render(cases, results, markdown=False):
    body = rows(cases)
    table = (markdown_table if markdown else text_table)(COLUMNS, body)
    eps = endpoint_lines(cases)
    chk = check_lines(results)
    if markdown:
        return "\n".join([table, "", "Requests by endpoint (host's count):",
                          ""] + [f"- {x}" for x in eps] +
                         (["", "Checks:", ""] + [f"- {x}" for x in chk]
                          if chk else []))
    return "\n".join([table, "", "Requests by endpoint (host's count):"] +
                     ["  " + x for x in eps] +
                     (["", "Checks:"] + ["  " + x for x in chk] if chk else []))
