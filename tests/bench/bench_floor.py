# SPDX-License-Identifier: MIT
"""bench_floor.py - the least wall time any client could take for a run,
from the run's own request counts, the latency and the concurrency.

  dry run   max(LastPass chain, PSA requests x latency / concurrency)
            LastPass's pages come one after the other (each page token is
            in the page before), so its requests cost their sum; the PSA's
            can go `concurrency` at a time.
  apply     the dry run's floor + the writes' requests x latency /
            concurrency, where for Autotask a write's requests are also
            bounded per entity: at most 3 in flight on one entity endpoint,
            so its 2 units reads per change (ContractServiceUnits) cost at
            least 2 x changes x latency / min(concurrency, 3).
Only the simulators' added latency counts: the floor is what the network
forces, not what handling costs.
"""

AT_THREADS_PER_ENTITY = 3


def dry_floor_s(lastpass_requests, psa_requests, latency_ms, concurrency):
    lat = latency_ms / 1000.0
    return max(lastpass_requests * lat, psa_requests * lat / concurrency)


def write_floor_s(driver, write_requests, changes, latency_ms, concurrency):
    lat = latency_ms / 1000.0
    floor = write_requests * lat / concurrency
    if driver == "autotask" and changes:
        per_entity = min(concurrency, AT_THREADS_PER_ENTITY)
        floor = max(floor, 2 * changes * lat / per_entity)
    return floor


def floors(case):
    """{"dry-run": s, "apply": s} for a case (bench.py's dict)."""
    lat, c = case["latency_ms"], case["concurrency"]
    dry = case["runs"]["dry-run"]["requests"]
    out = {"dry-run": dry_floor_s(dry["lastpass"], dry["psa"], lat, c)}
    app = case["runs"].get("apply")
    if app:
        writes = app["requests"]["psa"] - dry["psa"]
        out["apply"] = out["dry-run"] + write_floor_s(
            case["driver"], writes, case["changes"], lat, c)
    return out
