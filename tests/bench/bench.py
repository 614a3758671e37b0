#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench.py - the scaling benchmark of lpsa-host.

For each size, driver and concurrency: starts lastpass-sim and the PSA
simulator on the same generated world with an injected latency, writes the
configuration and the matching mapping, runs a dry-run, the naive reference
client (bench_reference.py) with as many threads, and then an apply (the
world differs in --change-pct percent of the counts), measures each run
against its floor (bench_floor.py) and checks the targets. Started through
bench.sh; see README.md for the options and the models behind the "lower
bound", "naive" and "formula" columns.
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
import bench_floor
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
    p.add_argument("--concurrency", default="4,8,16",
                   help="[host] max_concurrency values, comma-separated; each "
                   "is a case of its own (default %(default)s; the host's "
                   "default is 8)")
    p.add_argument("--no-reference", action="store_true",
                   help="do not run the naive reference client")
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
    try:
        a.concurrency = [int(c) for c in a.concurrency.split(",")
                         if c.strip()]
    except ValueError:
        p.error("--concurrency takes numbers, e.g. 4,8,16")
    if not a.concurrency or not all(1 <= c <= 16 for c in a.concurrency):
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


def sim_side(sims):
    out = {}
    for side, s in sims.items():
        st = s.stats()
        st.update(log_summary(s.log()))
        out[side] = st
    return out


def measured_run(args, driver, sims, workdir, dry_run):
    for s in sims.values():
        s.reset()
    r = bench_host.run(args.build_dir, workdir, driver, dry_run, args.now)
    total, lp, psa, by = bench_host.split_requests(r["report"])
    r["requests"] = {"total": total, "lastpass": lp, "psa": psa,
                     "by_endpoint": by}
    r["sim"] = sim_side(sims)
    return r


def reference_run(args, driver, sims, mapping, concurrency):
    for s in sims.values():
        s.reset()
    r = bench_host.run_reference(driver, sims["lastpass"].base_url,
                                 sims["psa"].base_url, mapping, concurrency,
                                 args.now)
    r["sim"] = sim_side(sims)
    return r


def run_case(args, driver, size, concurrency):
    workdir = tempfile.mkdtemp(
        prefix=f"lpsa-bench-{driver}-{size}-c{concurrency}-")
    ok = False
    try:
        mapping = bench_host.write_mapping(args.build_dir, workdir, size,
                                           args.seed, args.change_pct)
        sims = start_sims(args, driver, size, workdir)
        what = f"{driver} {size:,} x{concurrency}"
        try:
            data = dataset_of(driver, sims, mapping, args.now)
            bench_host.write_config(workdir, args.build_dir, driver,
                                    sims["lastpass"].base_url,
                                    sims["psa"].base_url, concurrency)
            runs, reference = {}, None
            for mode, dry in (("dry-run", True), ("apply", False)):
                runs[mode] = measured_run(args, driver, sims, workdir, dry)
                r = runs[mode]
                print(f"bench: {what} {mode}: {r['wall_s']:.2f} s, "
                      f"{r['requests']['total']} requests, exit {r['exit']}",
                      file=sys.stderr, flush=True)
                if dry and not args.no_reference:
                    # Reads only: the world is the dry run's.
                    reference = reference_run(args, driver, sims, mapping,
                                              concurrency)
                    print(f"bench: {what} reference: "
                          f"{reference['wall_s']:.2f} s", file=sys.stderr,
                          flush=True)
        finally:
            for s in sims.values():
                s.stop()
        case = {"driver": driver, "size": size, "latency_ms": args.latency_ms,
                "concurrency": concurrency, "dataset": data,
                "models": models_of(driver, data), "runs": runs,
                "reference": reference,
                "changes": (runs["apply"]["report"].get("summary")
                            or {}).get("updated", 0)}
        case["floors"] = bench_floor.floors(case)
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
            "checks": [{"driver": c["driver"], "size": c["size"],
                        "concurrency": c["concurrency"], "check": n,
                        "status": s, "detail": d}
                       for c, chk in results for n, s, d in chk]}


def main(argv):
    args = parse_args(argv)
    try:
        if not args.no_build:
            print(f"bench: building {args.build_dir}", file=sys.stderr)
            build(args)
        cases = [run_case(args, d, n, c) for n in args.sizes
                 for d in args.drivers for c in args.concurrency]
    except (SimError, bench_host.HostRunError, bench_host.RefClientError,
            OSError, subprocess.CalledProcessError) as e:
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
