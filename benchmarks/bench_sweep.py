"""Sweep throughput and scaling: in-process, local process pool, Dask LocalCluster (2 workers).

Run: ``python benchmarks/bench_sweep.py [--rows 2e6] [--chunk-rows 100000]``. The same sweep is
written three times; the Parquet contents are compared (they must be identical) and the
throughput ratios are printed from this one run. Scaling is bounded by the cores this machine
really has free (``os.cpu_count()`` is printed) and by the single writer process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from orbitaldc.sweep import read_sweep, run_sweep

PRESET = "mccalip-2025-12"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=float, default=2e6, help="approximate sweep size")
    ap.add_argument("--chunk-rows", type=int, default=100_000)
    ap.add_argument("--quick", action="store_true", help="2e5 rows in chunks of 20,000")
    args = ap.parse_args()
    rows = int(2e5 if args.quick else args.rows)
    if args.quick:
        args.chunk_rows = 20_000
    per_axis = max(2, rows // 4)
    step = (3000.0 - 100.0) / (per_axis - 1)
    grid = [f"launch_cost_usd_per_kg=100:3000:{step!r}", "pue=1.1,1.2,1.3,1.4"]
    tmp = Path(tempfile.mkdtemp(prefix="orbitaldc-bench-sweep-"))
    results = {}
    try:
        def timed(label, **kw):
            out = tmp / label
            t0 = time.perf_counter()
            r = run_sweep(PRESET, grid, out, chunk_rows=args.chunk_rows, **kw)
            dt = time.perf_counter() - t0
            results[label] = (dt, r)
            print(f"  {label:<28} {dt:7.2f} s  {r.rows / dt:12,.0f} rows/s  ({r.chunks} parts, {r.executor})")

        print(f"Sweep benchmark: {PRESET}, {per_axis * 4:,} rows, chunks of {args.chunk_rows:,}, "
              f"os.cpu_count() = {os.cpu_count()}")
        timed("in-process (workers=1)", workers=1)
        timed("process pool (workers=2)", workers=2)
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            timed("dask LocalCluster (2 workers)", scheduler=cluster.scheduler_address)
        ref = read_sweep(tmp / "in-process (workers=1)")
        for label in ("process pool (workers=2)", "dask LocalCluster (2 workers)"):
            pd.testing.assert_frame_equal(ref, read_sweep(tmp / label))
        print("  Parquet contents identical across the three runs: yes")
        t1 = results["in-process (workers=1)"][0]
        print(f"RATIO process pool x2 / in-process: {t1 / results['process pool (workers=2)'][0]:.2f}x faster")
        print(f"RATIO dask 2 workers / in-process:  {t1 / results['dask LocalCluster (2 workers)'][0]:.2f}x faster")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
