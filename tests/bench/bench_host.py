# SPDX-License-Identifier: MIT
"""bench_host.py - runs lpsa-host once and measures it.

Owns one measured run: the configuration and mapping files of a case, the
child process, what is measured about it and the JSON report it prints.
lpsa-host runs under lpsa-bench-run (bench_run.c), which measures its wall
time, CPU time (user + system) and peak RSS alone: measured from this
script, the peak RSS would include the Python interpreter's.
"""

import json
import os
import subprocess
import sys

# Credentials of the simulators' defaults, passed as env: references so the
# configuration file holds no literal secret (lpsa-host refuses a readable
# file with one).
SECRETS_ENV = {
    "BENCH_LP_KEY": "lpkey_demo",
    "BENCH_CW_PUBLIC": "pubkey",
    "BENCH_CW_PRIVATE": "privkey",
    "BENCH_CW_CLIENT": "00000000-0000-0000-0000-000000000000",
    "BENCH_AT_USER": "api@demo.example",
    "BENCH_AT_SECRET": "demosecret",
    "BENCH_AT_CODE": "DEMOCODE",
    "BENCH_HP_SECRET": "demosecret",
}

DRIVER_SECTIONS = {
    "connectwise": """[driver.connectwise]
site = {psa_url}
company_id = lpsademo
public_key = env:BENCH_CW_PUBLIC
private_key = env:BENCH_CW_PRIVATE
client_id = env:BENCH_CW_CLIENT
sku.lastpass = LASTPASS-BUS
sku.lastpass_mfa = LASTPASS-MFA
""",
    "autotask": """[driver.autotask]
zone_lookup_url = {psa_url}/atservicesrest
username = env:BENCH_AT_USER
secret = env:BENCH_AT_SECRET
integration_code = env:BENCH_AT_CODE
sku.lastpass = LastPass Business
sku.lastpass_mfa = LastPass Business + MFA
""",
    # The budget out of the way: the benchmark measures lpsa, and its
    # simulator runs without a rate limit (bench.py).
    "halopsa": """[driver.halopsa]
url = {psa_url}
client_id = lpsa-demo-client
client_secret = env:BENCH_HP_SECRET
requests_per_5min = 100000
sku.lastpass = LastPass Business
sku.lastpass_mfa = LastPass Business + MFA
""",
}


def write_config(workdir, build_dir, driver, lp_url, psa_url, concurrency):
    """Write lpsa.conf (mode 600) next to mapping.csv; returns its path."""
    text = f"""; written by tests/bench/bench.py
[host]
driver_path = {os.path.join(build_dir, "lib", "lpsa", "drivers")}
state_dir = state
mapping_file = mapping.csv
max_decrease_percent = 50
max_concurrency = {concurrency}

[lastpass]
api_url = {lp_url}/business
api_key = env:BENCH_LP_KEY

""" + DRIVER_SECTIONS[driver].format(psa_url=psa_url)
    path = os.path.join(workdir, "lpsa.conf")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.makedirs(os.path.join(workdir, "state"), mode=0o700, exist_ok=True)
    return path


def write_mapping(build_dir, workdir, size, seed, change_pct):
    """The mapping CSV of the generated world, from sim-world."""
    path = os.path.join(workdir, "mapping.csv")
    subprocess.run([os.path.join(build_dir, "bin", "sim-world"), "--generate",
                    str(size), "--seed", str(seed), "--change-pct",
                    str(change_pct), "--mapping", path],
                   check=True, stdout=subprocess.DEVNULL)
    return path


class HostRunError(RuntimeError):
    pass


class RefClientError(RuntimeError):
    pass


REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "bench_reference.py")


def run_reference(driver, lp_url, psa_url, mapping, threads, now):
    """The naive reference client (bench_reference.py) with `threads`
    threads: its JSON line (wall_s, requests, records)."""
    cmd = [sys.executable, REFERENCE, "--driver", driver, "--lastpass", lp_url,
           "--psa", psa_url, "--mapping", mapping, "--threads", str(threads),
           "--now", now]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if p.returncode != 0:
        raise RefClientError(f"the reference client failed (exit "
                             f"{p.returncode}): {p.stderr.strip()[-800:]}")
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        raise RefClientError(f"the reference client printed no JSON ({e})")


def run(build_dir, workdir, driver, dry_run, now):
    """Run one sync; returns a dict of measurements plus the report."""
    cmd = [os.path.join(build_dir, "bin", "lpsa-host"), "--driver", driver,
           "--config", os.path.join(workdir, "lpsa.conf"), "--json"]
    if dry_run:
        cmd.append("--dry-run")
    env = dict(os.environ)
    env.update(SECRETS_ENV)
    env["LPSA_NOW"] = now + "T12:00:00Z"
    name = "dry-run" if dry_run else "apply"
    out_path = os.path.join(workdir, f"{driver}-{name}.json")
    err_path = os.path.join(workdir, f"{driver}-{name}.stderr")
    cost_path = os.path.join(workdir, f"{driver}-{name}.cost.json")
    runner = os.path.join(build_dir, "bin", "lpsa-bench-run")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        subprocess.run([runner, cost_path, "--"] + cmd, cwd=workdir, env=env,
                       stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                       check=True)
    with open(cost_path, encoding="utf-8") as f:
        cost = json.load(f)
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    try:
        with open(out_path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        raise HostRunError(f"lpsa-host {name} (exit {cost['exit']}) printed"
                           f" no JSON report ({e}); stderr: "
                           f"{stderr.strip()[-800:]}") from None
    conc = (report.get("requests") or {}).get("concurrency") or {}
    return {
        "mode": name,
        "exit": cost["exit"],
        "concurrency": conc,
        "wall_s": cost["wall_s"],
        "cpu_s": cost["user_s"] + cost["sys_s"],
        "rss_mb": cost["maxrss_kb"] / 1024.0,
        "report": report,
        "stderr": stderr,
    }


def split_requests(report):
    """Host-side request counts: (total, lastpass, psa, by_endpoint)."""
    req = report.get("requests") or {}
    by = req.get("by_endpoint") or {}
    lastpass = sum(v for k, v in by.items() if k.startswith("lastpass"))
    total = req.get("total", sum(by.values()))
    return total, lastpass, total - lastpass, by
