"""Web server under load: cheap-request latency with and without heavy requests running.

Run: ``python benchmarks/bench_web.py [--requests 600] [--interval-ms 25] [--heavy-clients 2]
[--quick]``. Starts the real server (``python -m orbitaldc serve`` on 127.0.0.1, a free port) and
measures, in this one run and side by side, the latency of ``POST /api/evaluate`` (the cheap
lane) sent by one client at a steady pace (one request every ``--interval-ms``, as a page user
moving a slider):

1. alone (the baseline), then
2. while ``--heavy-clients`` threads keep sending heavy requests (Monte Carlo, Sobol and explain
   at their caps on the bottom-up chain, the heaviest) with no pause.

It prints p50/p99 of both phases and their ratio, each heavy request's outcome (200, or 503
when it ran past the server's time bound and was stopped), the server's memory (resident set of
the server, its fork server and workers, sampled every 0.2 s) and the machine's load average.
Issue 16's target: the cheap p99 stays under 100 ms while heavy requests run. Loopback only;
every loop is bounded (request count and a wall-clock cap) and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
#: Heavy requests at their caps, on the bottom-up chain (the most memory and time per row).
BOTTOM_UP = "jpl-1mw-2026-bottom-up"
#: Target of issue 16 for the cheap route's p99 under heavy load [ms].
TARGET_P99_MS = 100.0


def _heavy_requests() -> list[tuple[str, dict]]:
    from orbitaldc.compare import metric_reads
    from orbitaldc.params import load_library, load_scenario
    from orbitaldc.web.schemas import MAX_MC_SAMPLES, MAX_PERMUTATIONS, MAX_SOBOL_SAMPLES, UNCERTAIN

    library, values = load_library(), load_scenario(BOTTOM_UP).values
    # explain with as many players as possible: every uncertain input moved to its plausible high
    moved = {k: library[k].high for k in UNCERTAIN if library[k].high not in (None, values[k])}
    return [
        ("/api/montecarlo", {"preset": BOTTOM_UP, "samples": MAX_MC_SAMPLES, "seed": 1}),
        ("/api/sensitivity", {"preset": BOTTOM_UP, "method": "sobol", "samples": MAX_SOBOL_SAMPLES,
                              # every uncertain input the metric reads (naming one it cannot read is a 422)
                              "params": [k for k in UNCERTAIN if k in metric_reads(values, "cost_ratio")]}),
        ("/api/explain", {"a": {"preset": BOTTOM_UP}, "b": {"preset": BOTTOM_UP, "overrides": moved},
                          "permutations": MAX_PERMUTATIONS}),
    ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _request(conn: http.client.HTTPConnection, path: str, body: dict | None = None) -> tuple[int, bytes]:
    if body is None:
        conn.request("GET", path)
    else:
        conn.request("POST", path, json.dumps(body), {"content-type": "application/json"})
    r = conn.getresponse()
    return r.status, r.read()


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def _percentiles(ms: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return q[49], q[98]


def _cheap_latencies(port: int, n: int, interval_s: float, deadline: float) -> list[float]:
    """``n`` evaluate requests, one every ``interval_s`` (or back to back when one takes longer),
    on one kept-alive connection; latency of each [ms]."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    out = []
    start = time.monotonic()
    try:
        for i in range(n):
            if time.monotonic() > deadline:
                break
            time.sleep(max(0.0, start + i * interval_s - time.monotonic()))
            body = {"preset": "mccalip-2025-12", "overrides": {"pue": 1.1 + (i % 50) / 1000}}
            t0 = time.perf_counter()
            status, _ = _request(conn, "/api/evaluate", body)
            out.append((time.perf_counter() - t0) * 1e3)
            if status != 200:
                raise RuntimeError(f"cheap request answered {status}")
    finally:
        conn.close()
    return out


def _heavy_driver(port: int, server_pid: int, clients: int, heavy: list, seconds: float, stop, results) -> None:
    """Send heavy requests from ``clients`` threads until ``stop``; sample the server's memory."""
    deadline = time.monotonic() + seconds
    outcomes: list[tuple[str, int, float]] = []
    rss_peak = 0

    def client(k: int) -> None:
        i = k
        while not stop.is_set() and time.monotonic() < deadline:
            path, body = heavy[i % len(heavy)]
            i += 1
            t0 = time.perf_counter()
            try:
                c = http.client.HTTPConnection(HOST, port, timeout=120)
                status, _ = _request(c, path, body)
                c.close()
            except OSError:
                status = -1
            outcomes.append((path, status, time.perf_counter() - t0))

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # the heavy lane is busy before the cheap client starts
    results.put(True)
    while not stop.is_set() and time.monotonic() < deadline:
        rss_peak = max(rss_peak, _rss_bytes(_tree(server_pid)))
        time.sleep(0.2)
    for t in threads:
        t.join(timeout=130)
    results.put((outcomes, rss_peak))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=600, help="cheap requests per phase")
    ap.add_argument("--interval-ms", type=float, default=25.0, help="time between cheap requests [ms]")
    ap.add_argument("--heavy-clients", type=int, default=2, help="threads sending heavy requests")
    ap.add_argument("--max-seconds", type=float, default=600, help="wall-clock cap of the whole run")
    ap.add_argument("--quick", action="store_true", help="120 cheap requests per phase")
    args = ap.parse_args()
    n = 120 if args.quick else args.requests
    interval = args.interval_ms / 1e3
    deadline = time.monotonic() + args.max_seconds
    port = _free_port()
    load_start = os.getloadavg()
    server = subprocess.Popen([sys.executable, "-m", "orbitaldc", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:  # wait for the server (its lifespan starts the workers)
            try:
                conn = http.client.HTTPConnection(HOST, port, timeout=5)
                _request(conn, "/api/presets")
                conn.close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"server did not start: {server.stderr.read() if server.stderr else ''}")
                time.sleep(0.1)
        heavy = _heavy_requests()
        print(f"Web server benchmark: 127.0.0.1:{port}, {n} cheap requests per phase (one per "
              f"{args.interval_ms:g} ms), {args.heavy_clients} heavy clients; os.cpu_count() = {os.cpu_count()}, "
              f"load average at start {load_start[0]:.2f} "
              f"{load_start[1]:.2f} {load_start[2]:.2f}")
        # warm-up: every route once, so neither phase pays first-call costs
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        for path, body in [("/api/evaluate", {})] * 20 + heavy:
            _request(conn, path, body)
        conn.close()

        baseline = _cheap_latencies(port, n, interval, deadline)

        # heavy clients and the memory sampler run in another process: their threads must not
        # take the GIL from the cheap client whose latency is measured here
        ctx = multiprocessing.get_context("spawn")
        stop, results = ctx.Event(), ctx.Queue()
        driver = ctx.Process(target=_heavy_driver, args=(port, server.pid, args.heavy_clients, heavy,
                                                         deadline - time.monotonic(), stop, results))
        driver.start()
        results.get(timeout=120)  # the driver's first heavy requests are in flight
        loaded = _cheap_latencies(port, n, interval, deadline)
        stop.set()
        outcomes, rss_peak = results.get(timeout=180)
        driver.join(timeout=30)
        load_end = os.getloadavg()

        (b50, b99), (l50, l99) = _percentiles(baseline), _percentiles(loaded)
        print(f"  {'POST /api/evaluate':<24} {'p50 [ms]':>10} {'p99 [ms]':>10} {'max [ms]':>10} {'requests':>9}")
        print(f"  {'alone':<24} {b50:10.2f} {b99:10.2f} {max(baseline):10.2f} {len(baseline):9d}")
        print(f"  {'with heavy load':<24} {l50:10.2f} {l99:10.2f} {max(loaded):10.2f} {len(loaded):9d}")
        print(f"  ratio loaded/alone        p50 {l50 / b50:.2f}x, p99 {l99 / b99:.2f}x; p99 target < "
              f"{TARGET_P99_MS:g} ms: {'met' if l99 < TARGET_P99_MS else 'MISSED'}")
        print(f"RATIO web /api/evaluate p99 with heavy requests running / alone: {l99 / b99:.2f}x "
              f"({l99:.1f} ms; target p99 < {TARGET_P99_MS:g} ms: {'met' if l99 < TARGET_P99_MS else 'MISSED'})")
        print("  heavy requests during the loaded phase (status: count, mean seconds):")
        for path, _ in heavy:
            for status in sorted({s for p, s, _ in outcomes if p == path}):
                times = [d for p, s, d in outcomes if p == path and s == status]
                print(f"    {path:<18} {status}: {len(times)}, {statistics.fmean(times):.2f} s")
        print(f"  server + fork server + workers, peak resident memory: {rss_peak / 2**20:,.0f} MiB "
              f"(sum of VmRSS; shared pages counted once per process)")
        print(f"  load average at end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}")
        return 0
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
