#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench.py - the scaling benchmark of lpsa-host.

For each driver and size: starts lastpass-sim and the PSA simulator on the
same generated world with an injected latency, writes the configuration and
the matching mapping, runs a dry-run and then an apply (the world differs in
--change-pct percent of the counts), measures each run and checks the
targets. Started through bench.sh; see README.md for the options and the
models behind the "lower bound", "naive" and "formula" columns.
Exit status: 0 every check passed (or --no-check), 1 a check failed, 2 the
benchmark itself could not run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import bench_checks
import bench_dataset
import bench_host
import bench_models
import bench_table
from bench_sims import Sim, SimError, log_summary

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DRIVERS = ("connectwise", "autotask", "halopsa")
PSA_SIM = {"connectwise": "connectwise-sim", "autotask": "autotask-sim",
           "halopsa": "halopsa-sim"}
SIMS_WITH_NOW = ("lastpass-sim", "autotask-sim")
# HaloPSA's rate limit (requests per rolling 5 minutes) would make the
# measurement one of the limit, not of lpsa: the simulator's is off and the
# driver's budget out of the way (bench_host.py); the models give the paced
# time (bench_models.halopsa_paced_s).
SIM_ARGS = {"halopsa-sim": ["--rate-limit", "0"]}
TARGETS = ["lpsa-host", "connectwise", "autotask", "halopsa", "lastpass-sim",
           "connectwise-sim", "autotask-sim", "halopsa-sim", "sim-world",
           "lpsa-bench-run"]


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench.sh",
        description="Benchmark lpsa-host against the simulators: requests, "
        "wall time, CPU and memory for dry-run and apply, next to the lower "
        "bound, a naive per-company sync and the drivers' formulas.")
    p.add_argument("--sizes", default="100,1000,5000",
                   help="companies per dataset, comma-separated "
                   "(default %(default)s)")
    p.add_argument("--drivers", default="connectwise,autotask,halopsa",
                   help="drivers, comma-separated (default %(default)s)")
    p.add_argument("--latency-ms", type=int, default=50,
                   help="latency the simulators add to every API request "
                   "(default %(default)s)")
    p.add_argument("--concurrency", type=int, default=4,
                   help="[host] max_concurrency (default %(default)s, the "
                   "host's default)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--change-pct", type=int, default=10,
                   help="percent of counts that differ (default %(default)s)")
    p.add_argument("--now", default="2026-11-15",
                   help="the run date (simulators and LPSA_NOW)")
    p.add_argument("--build-dir",
                   default=os.environ.get("LPSA_BENCH_BUILD",
                                          os.path.join(TOP, "build-bench")),
                   help="build tree (default $LPSA_BENCH_BUILD or "
                   "build-bench/ at the top)")
    p.add_argument("--build-type", default="RelWithDebInfo",
                   help="CMAKE_BUILD_TYPE when the build tree is configured "
                   "(default %(default)s)")
    p.add_argument("--no-build", action="store_true",
                   help="use the build tree as it is")
    p.add_argument("--no-check", action="store_true",
                   help="measure only: print the checks, exit 0")
    p.add_argument("--smoke", action="store_true",
                   help="CI: check only completion and the request formulas "
                   "(nothing timed or machine-dependent)")
    p.add_argument("--json", metavar="FILE", help="write all results as JSON")
    p.add_argument("--markdown", metavar="FILE",
                   help="write the tables as Markdown")
    p.add_argument("--keep", action="store_true",
                   help="keep each case's work directory (configuration, "
                   "reports, simulator logs)")
    a = p.parse_args(argv)
    try:
        a.sizes = [int(s) for s in a.sizes.split(",") if s.strip()]
    except ValueError:
        p.error("--sizes takes numbers, e.g. 100,1000,5000")
    a.drivers = [d.strip() for d in a.drivers.split(",") if d.strip()]
    for d in a.drivers:
        if d not in DRIVERS:
            p.error(f"unknown driver {d!r}: use connectwise, autotask, "
                    "halopsa")
    if not a.sizes or min(a.sizes) < 1:
        p.error("--sizes needs positive numbers")
    if not 1 <= a.concurrency <= 16:
        p.error("--concurrency is 1..16 (the host's range)")
    return a


def build(args):
    if not os.path.exists(os.path.join(args.build_dir, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", TOP, "-B", args.build_dir,
                        f"-DCMAKE_BUILD_TYPE={args.build_type}"],
                       check=True, stdout=subprocess.DEVNULL)
    jobs = str(os.cpu_count() or 2)
    subprocess.run(["cmake", "--build", args.build_dir, "-j", jobs,
                    "--target"] + TARGETS, check=True,
                   stdout=subprocess.DEVNULL)


def start_sims(args, driver, size, workdir):
    sims = {}
    common = ["--generate", str(size), "--seed", str(args.seed),
              "--change-pct", str(args.change_pct), "--latency-ms",
              str(args.latency_ms)]
    try:
        for side, name in (("lastpass", "lastpass-sim"),
                           ("psa", PSA_SIM[driver])):
            extra = ["--now", args.now] if name in SIMS_WITH_NOW else []
            extra += SIM_ARGS.get(name, [])
            sims[side] = Sim(args.build_dir, name, workdir, common + extra)
    except BaseException:
        for s in sims.values():
            s.stop()
        raise
    return sims


def dataset_of(driver, sims, mapping, now):
    mapped = bench_dataset.mapped_psa_ids(mapping)
    lp = bench_dataset.lastpass_counts(sims["lastpass"].state())
    count = {"connectwise": bench_dataset.connectwise_counts,
             "autotask": bench_dataset.autotask_counts,
             "halopsa": bench_dataset.halopsa_counts}[driver]
    return {"lastpass": lp, "psa": count(sims["psa"].state(), mapped, now)}


def models_of(driver, data):
    psa = {"connectwise": bench_models.connectwise,
           "autotask": bench_models.autotask,
           "halopsa": bench_models.halopsa}[driver]
    return {"lastpass": bench_models.lastpass(data["lastpass"]),
            "psa": psa(data["psa"])}


def measured_run(args, driver, sims, workdir, dry_run):
    for s in sims.values():
        s.reset()
    r = bench_host.run(args.build_dir, workdir, driver, dry_run, args.now)
    total, lp, psa, by = bench_host.split_requests(r["report"])
    r["requests"] = {"total": total, "lastpass": lp, "psa": psa,
                     "by_endpoint": by}
    r["sim"] = {}
    for side, s in sims.items():
        st = s.stats()
        st.update(log_summary(s.log()))
        r["sim"][side] = st
    return r


def run_case(args, driver, size):
    workdir = tempfile.mkdtemp(prefix=f"lpsa-bench-{driver}-{size}-")
    ok = False
    try:
        mapping = bench_host.write_mapping(args.build_dir, workdir, size,
                                           args.seed, args.change_pct)
        sims = start_sims(args, driver, size, workdir)
        try:
            data = dataset_of(driver, sims, mapping, args.now)
            bench_host.write_config(workdir, args.build_dir, driver,
                                    sims["lastpass"].base_url,
                                    sims["psa"].base_url, args.concurrency)
            runs = {}
            for mode, dry in (("dry-run", True), ("apply", False)):
                runs[mode] = measured_run(args, driver, sims, workdir, dry)
                r = runs[mode]
                print(f"bench: {driver} {size:,} {mode}: {r['wall_s']:.2f} s,"
                      f" {r['requests']['total']} requests, exit {r['exit']}",
                      file=sys.stderr, flush=True)
        finally:
            for s in sims.values():
                s.stop()
        case = {"driver": driver, "size": size, "latency_ms": args.latency_ms,
                "concurrency": args.concurrency, "dataset": data,
                "models": models_of(driver, data), "runs": runs,
                "changes": (runs["apply"]["report"].get("summary")
                            or {}).get("updated", 0)}
        ok = all(r["exit"] in (0, 1) for r in runs.values())
        return case
    finally:
        if args.keep or not ok:
            print(f"bench: {driver} {size:,}: files kept in {workdir}",
                  file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def json_ready(cases, results):
    def clean(case):
        c = dict(case)
        c["dataset"] = {k: {n: v for n, v in d.items()
                            if not isinstance(v, (list, dict, set))}
                        for k, d in case["dataset"].items()}
        c["runs"] = {m: {k: v for k, v in r.items() if k != "report"}
                     | {"summary": r["report"].get("summary")}
                     for m, r in case["runs"].items()}
        return c

    return {"cases": [clean(c) for c in cases],
            "checks": [{"driver": c["driver"], "size": c["size"], "check": n,
                        "status": s, "detail": d}
                       for c, chk in results for n, s, d in chk]}


def main(argv):
    args = parse_args(argv)
    try:
        if not args.no_build:
            print(f"bench: building {args.build_dir}", file=sys.stderr)
            build(args)
        cases = [run_case(args, d, n) for n in args.sizes
                 for d in args.drivers]
    except (SimError, bench_host.HostRunError, OSError,
            subprocess.CalledProcessError) as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    results = [(c, bench_checks.check_case(c, args.smoke)) for c in cases]
    print(bench_table.render(cases, results))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(bench_table.render(cases, results, markdown=True) + "\n")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(json_ready(cases, results), f, indent=1, default=list)
    failed = [n for _, chk in results for n, s, _ in chk if s == "FAIL"]
    if failed and not args.no_check:
        print(f"bench: {len(failed)} check(s) FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
