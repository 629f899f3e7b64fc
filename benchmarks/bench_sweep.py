"""Sweep scaling: one local process, a local pool and Dask LocalClusters, light and heavy models.

Run: ``python benchmarks/bench_sweep.py [--quick] [--repeats 5] [--only light|heavy]``.

Two sweeps, each written by every side in this one run:

- *light*: McCalip's whole-satellite model (``mccalip-2025-12``), launch price x PUE, all
  default metrics, about 2 million rows: little arithmetic per row, so the cost is encoding,
  hashing and writing the results (Issue 14 measured the old single-writer design at 0.55x).
- *heavy*: the bottom-up physics reference (``reference-1gw-terminator``), altitude x launch
  price, one metric: the year-average sun fraction and drag per row dominate.

Sides: ``workers=1`` (one process computes and writes every part); a local process pool of 2;
a 1-worker and a 2-worker Dask ``LocalCluster`` (worker processes, loopback TCP), driven through
a connected client, their workers writing the parts themselves. Every side first runs a small
sweep of the same model (imports, caches, worker start-up), then the sides alternate
``--repeats`` times; medians are reported with their ratios. CPU seconds per side add this
process (the coordinator, and both clusters' schedulers, which run in it and tick even when
idle) and the side's workers, so the cost of distribution shows even when other programs share
the cores: on two cores the wall-clock ratio of 2 workers cannot exceed
``2 x CPU(one process) / CPU(2 workers)``. The parts written by every
side are compared receipt by receipt (same rows, bytes and SHA-256). The load average is
printed before and after: the wall-clock ratios are only as good as the cores that were free.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from orbitaldc.sweep import run_sweep

#: name -> (scenario, (first axis, low, high), other axes, metrics); the first axis gets as many
#: points as the requested row count leaves.
WORKLOADS = {
    "light": ("mccalip-2025-12", ("launch_cost_usd_per_kg", 100.0, 3000.0), ["pue=1.1,1.2,1.3,1.4"], None),
    "heavy": ("reference-1gw-terminator", ("altitude_m", 400_000.0, 1_200_000.0),
              ["launch_cost_usd_per_kg=100:3000:50"], ["cost_ratio"]),
}
ONE = "one process (workers=1)"


def _grid(axis: tuple[str, float, float], others: list[str], rows: int) -> list[str]:
    """A grid of about ``rows`` rows."""
    other_points = 1
    for text in others:
        values = text.split("=", 1)[1]
        if ":" in values:
            a, b, s = (float(x) for x in values.split(":"))
            other_points *= int((b - a) / s) + 1
        else:
            other_points *= len(values.split(","))
    name, lo, hi = axis
    points = max(2, rows // other_points)
    return [f"{name}={lo!r}:{hi!r}:{(hi - lo) / (points - 1)!r}", *others]


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_here() -> float:
    """CPU seconds of this process and its finished children (a pool's workers)."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _cpu_worker() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _receipts(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text())["parts"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--light-rows", type=float, default=2e6, help="rows of the light sweep")
    ap.add_argument("--heavy-rows", type=float, default=4e5, help="rows of the heavy sweep")
    ap.add_argument("--chunk-rows", type=int, default=100_000, help="rows per part of the light sweep")
    ap.add_argument("--heavy-chunk-rows", type=int, default=10_000, help="rows per part of the heavy sweep")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per side (median reported)")
    ap.add_argument("--quick", action="store_true", help="a tenth of the rows, one repeat")
    ap.add_argument("--only", choices=sorted(WORKLOADS), help="run one of the two sweeps")
    args = ap.parse_args()
    scale = 0.1 if args.quick else 1.0
    repeats = 1 if args.quick else args.repeats
    import logging

    from distributed import Client, LocalCluster

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Sweep benchmark: {cores} usable cores (os.cpu_count() = {os.cpu_count()}); {_load()} at start")
    tmp = Path(tempfile.mkdtemp(prefix="orbitaldc-bench-sweep-"))
    cluster_kw = dict(threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0",
                      silence_logs=logging.ERROR)
    try:
        with LocalCluster(n_workers=1, **cluster_kw) as c1, Client(c1) as client1, \
                LocalCluster(n_workers=2, **cluster_kw) as c2, Client(c2) as client2:
            sides = {ONE: ({"workers": 1}, None), "process pool (workers=2)": ({"workers": 2}, None),
                     "Dask LocalCluster, 1 worker": ({"scheduler": client1}, client1),
                     "Dask LocalCluster, 2 workers": ({"scheduler": client2}, client2)}
            for label, (scenario, axis, others, metrics) in WORKLOADS.items():
                if args.only and label != args.only:
                    continue
                rows = int((args.light_rows if label == "light" else args.heavy_rows) * scale)
                chunk_rows = args.chunk_rows if label == "light" else args.heavy_chunk_rows
                grid = _grid(axis, others, rows)
                warm = _grid(axis, others, 4 * chunk_rows)
                for i, (kw, _) in enumerate(sides.values()):  # warm-up: imports, caches, worker start-up
                    run_sweep(scenario, warm, tmp / f"warm-{label}-{i}", metrics=metrics, chunk_rows=chunk_rows, **kw)
                wall: dict[str, list[float]] = {s: [] for s in sides}
                cpu: dict[str, list[float]] = {s: [] for s in sides}
                result = None
                for rep in range(repeats):
                    for i, (side, (kw, client)) in enumerate(sides.items()):
                        out = tmp / f"{label}-{i}-{rep}"
                        workers0 = sum(client.run(_cpu_worker).values()) if client else 0.0
                        here0, t0 = _cpu_here(), time.perf_counter()
                        result = run_sweep(scenario, grid, out, metrics=metrics, chunk_rows=chunk_rows, **kw)
                        wall[side].append(time.perf_counter() - t0)
                        workers1 = sum(client.run(_cpu_worker).values()) if client else 0.0
                        cpu[side].append(_cpu_here() - here0 + workers1 - workers0)
                        if rep < repeats - 1:
                            shutil.rmtree(out)
                print(f"\n{label}: {scenario}, {result.rows:,} rows in {result.chunks} parts of {chunk_rows:,}, "
                      f"{len(metrics) if metrics else 'all default'} metric(s); median of {repeats}")
                for side in sides:
                    med = statistics.median(wall[side])
                    print(f"  {side:<30} {med:6.2f} s {result.rows / med:11,.0f} rows/s  CPU {statistics.median(cpu[side]):5.2f} s"
                          f"  (runs: {', '.join(f'{t:.2f}' for t in wall[side])})")
                ref = _receipts(tmp / f"{label}-0-{repeats - 1}")
                same = all(_receipts(tmp / f"{label}-{i}-{repeats - 1}") == ref for i in range(1, len(sides)))
                print(f"  parts identical across sides (rows, bytes, SHA-256 of every part): {'yes' if same else 'NO'}")
                med = {s: statistics.median(wall[s]) for s in sides}
                print(f"RATIO {label} process pool x2 / one process:     {med[ONE] / med['process pool (workers=2)']:.2f}x")
                print(f"RATIO {label} Dask 2 workers / one process:       {med[ONE] / med['Dask LocalCluster, 2 workers']:.2f}x"
                      f"  (target >= 1.7x)")
                print(f"RATIO {label} Dask 2 workers / Dask 1 worker:     "
                      f"{med['Dask LocalCluster, 1 worker'] / med['Dask LocalCluster, 2 workers']:.2f}x")
                cpu_med = {s: statistics.median(cpu[s]) for s in sides}
                print(f"  ceiling of the Dask 2-worker ratio on 2 free cores, 2 x CPU(one process) / CPU(2 workers): "
                      f"{2 * cpu_med[ONE] / cpu_med['Dask LocalCluster, 2 workers']:.2f}x (lower when other programs "
                      f"use the cores: see the load average)")
                for p in tmp.iterdir():
                    shutil.rmtree(p)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{_load()} at end")


if __name__ == "__main__":
    main()
