# SPDX-License-Identifier: MIT
"""bench_sims.py - starts, queries and stops the simulators for the benchmark.

Owns the simulator processes of one benchmark case: each is started with the
shared generated world (--generate/--seed/--change-pct) and an injected
latency, on a port the OS picks (--port-file), and is reached through its
control API (/_sim/stats, /_sim/log, /_sim/state), which is never delayed,
faulted or counted.
"""

import json
import os
import signal
import subprocess
import time
import urllib.request

START_TIMEOUT_S = 60.0


class SimError(RuntimeError):
    pass


class Sim:
    """One simulator process (name as in <build>/bin)."""

    def __init__(self, build_dir, name, workdir, args):
        self.name = name
        self.port_file = os.path.join(workdir, name + ".port")
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        exe = os.path.join(build_dir, "bin", name)
        if not os.access(exe, os.X_OK):
            raise SimError(f"{exe} is missing: build the tree first "
                           f"(run tests/bench/bench.sh without --no-build)")
        cmd = [exe, "--port-file", self.port_file, "--quiet"] + args
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=self._stderr, stderr=self._stderr)
        self.port = self._wait_port()
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _wait_port(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SimError(f"{self.name} exited with {self.proc.returncode}"
                               f": {self._stderr_text()}")
            try:
                with open(self.port_file, encoding="ascii") as f:
                    text = f.read()
                if text.endswith("\n"):
                    return int(text)
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        self.stop()
        raise SimError(f"{self.name} did not listen within "
                       f"{START_TIMEOUT_S:.0f} s: {self._stderr_text()}")

    def _stderr_text(self):
        try:
            with open(self.stderr_path, encoding="utf-8",
                      errors="replace") as f:
                return f.read().strip()[-500:] or "no message"
        except OSError:
            return "no message"

    def control(self, method, path):
        """Call the control API; the JSON answer, or None for no body."""
        req = urllib.request.Request(self.base_url + path, method=method)
        with urllib.request.urlopen(req, timeout=120) as resp:
            body = resp.read()
        return json.loads(body) if body.strip() else None

    def reset(self):
        """Forget the counters and the log before a measured run."""
        self.control("DELETE", "/_sim/stats")
        self.control("DELETE", "/_sim/log")

    def stats(self):
        return self.control("GET", "/_sim/stats")

    def log(self):
        return self.control("GET", "/_sim/log")

    def state(self):
        return self.control("GET", "/_sim/state")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()


def log_summary(entries):
    """Span of the logged requests (seconds) and the count of answers that
    were not 2xx (429 thread limit, retried 5xx, closed connections)."""
    if not entries:
        return {"span_s": 0.0, "not_ok": 0}
    ts = [e["ts_ms"] for e in entries]
    not_ok = sum(1 for e in entries if not 200 <= e.get("status", 0) < 300)
    return {"span_s": (max(ts) - min(ts)) / 1000.0, "not_ok": not_ok}
