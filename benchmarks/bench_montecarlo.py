"""Monte Carlo throughput: vectorized vs a plain Python loop vs a pure-NumPy memory bound.

Run: ``python benchmarks/bench_montecarlo.py [--samples 1e6] [--big 1e8] [--quick]``.
All ratios come from this one run on this machine (one core: NumPy's element-wise kernels are
single-threaded; BLAS threads are pinned to 1 below). Nothing here is asserted.

* **vectorized**: one :func:`orbitaldc.compare.evaluate_values` call per chunk, as
  :func:`orbitaldc.uncertainty.monte_carlo` does (sampling and percentiles timed separately);
* **plain loop**: the same model called once per scenario with Python floats;
* **NumPy bound**: ``ndarray.sum`` over the very input arrays (same bytes) - the time just to
  stream the inputs through memory once, a lower bound for any model reading them;
* **big run**: 10^8 samples in chunks with a progress bar, peak resident memory reported.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from orbitaldc.compare import evaluate_values  # noqa: E402
from orbitaldc.params import load_scenario  # noqa: E402
from orbitaldc.uncertainty import DEFAULT_CHUNK, monte_carlo, sample_values, uncertain_parameters  # noqa: E402

PRESET = "mccalip-2025-12"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=float, default=1e6)
    ap.add_argument("--loop", type=int, default=2000, help="scenarios in the plain Python loop")
    ap.add_argument("--big", type=float, default=1e8, help="samples of the chunked big run (0: skip)")
    ap.add_argument("--quick", action="store_true", help="big run of 1e7 instead")
    ap.add_argument("--big-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    n = int(args.samples)
    big = int(1e7 if args.quick and args.big == 1e8 else args.big)
    if args.big_only:
        big_run(big)
        return

    sc = load_scenario(PRESET)
    marg = uncertain_parameters(sc)
    rng = np.random.default_rng(0)
    drawn = sample_values(marg, n, rng)
    values = dict(sc.values)
    values.update(drawn)

    def chunked():
        for s in range(0, n, DEFAULT_CHUNK):
            v = dict(sc.values)
            v.update({k: a[s:s + DEFAULT_CHUNK] for k, a in drawn.items()})
            evaluate_values(v)

    t_model = best_of(chunked)
    t_one_call = best_of(lambda: evaluate_values(values), repeat=1)
    t_sample = best_of(lambda: sample_values(marg, n, np.random.default_rng(1)), repeat=1)
    t_mc = best_of(lambda: monte_carlo(sc, n, seed=1), repeat=1)

    m = min(args.loop, n)
    scalar_rows = [{k: float(a[i]) for k, a in drawn.items()} for i in range(m)]

    def loop():
        for row in scalar_rows:
            v = dict(sc.values)
            v.update(row)
            evaluate_values(v)

    t_loop = best_of(loop, repeat=1) / m * n  # extrapolated to n scenarios

    arrays = list(drawn.values())
    nbytes = sum(a.nbytes for a in arrays)
    t_bound = best_of(lambda: [a.sum() for a in arrays], repeat=5)

    print(f"Monte Carlo benchmark, preset {PRESET}: {len(arrays)} uncertain inputs, {n:,} scenarios, one core")
    print(f"  model, vectorized in chunks of {DEFAULT_CHUNK:,}: {t_model:8.3f} s  = {n / t_model:14,.0f} evaluations/s")
    print(f"  model, one call of {n:,} rows:            {t_one_call:8.3f} s  = {n / t_one_call:14,.0f} evaluations/s")
    print(f"  sampling the inputs (inverse CDFs):        {t_sample:8.3f} s")
    print(f"  monte_carlo() end to end (sample+model+percentiles): {t_mc:.3f} s = {n / t_mc:,.0f} samples/s")
    print(f"  plain Python loop ({m:,} scalar calls, scaled): {t_loop:10.1f} s  = {n / t_loop:14,.0f} evaluations/s")
    print(f"  NumPy bound: sum over the same {nbytes / 1e6:,.0f} MB of inputs: {t_bound:.4f} s "
          f"({nbytes / t_bound / 1e9:.1f} GB/s)")
    print(f"RATIO vectorized / plain loop:  {t_loop / t_model:10,.0f}x  (target >= 300x)")
    print(f"RATIO model time / NumPy bound: {t_model / t_bound:10,.1f}x  (1x would be memory-bandwidth bound)")

    if big:  # in a fresh process, so that its peak memory is its own
        subprocess.run([sys.executable, __file__, "--big-only", "--big", str(big)], check=True)


def big_run(big: int) -> None:
    """The chunked big run with a progress bar; peak resident memory of this process."""
    sc = load_scenario(PRESET)
    if big:
        t0 = time.perf_counter()
        r = monte_carlo(sc, big, seed=2, progress=True)
        dt = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"BIG {big:,} samples chunked: {dt:.1f} s = {big / dt:,.0f} samples/s; peak RSS {rss_mb:,.0f} MB "
              f"(percentiles: {'exact' if r.exact else 'streaming histogram'}); "
              f"P(orbit cheaper) = {r.probability_orbital_cheaper:.6f}; "
              f"cost ratio P5/P50/P95 = {r.percentiles['orbital_to_terrestrial_cost_ratio']['p5']:.3f}/"
              f"{r.percentiles['orbital_to_terrestrial_cost_ratio']['p50']:.3f}/"
              f"{r.percentiles['orbital_to_terrestrial_cost_ratio']['p95']:.3f}")


if __name__ == "__main__":
    main()
