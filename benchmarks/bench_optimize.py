"""Optimization loop throughput: model evaluations per second, vectorized population vs one-by-one.

Run: ``python benchmarks/bench_optimize.py [--preset NAME] [--maxiter 200] [--robust-samples 64]``.
All ratios come from this one run on this machine (BLAS threads pinned to 1). Nothing is asserted.

* **optimize**: :func:`orbitaldc.optimize.optimize` (differential evolution, ``vectorized=True``,
  one model call per generation); evaluations = model rows (candidates x Monte Carlo samples);
* **one-by-one**: the same candidates evaluated with one :func:`orbitaldc.compare.evaluate_values`
  call each, as a non-vectorized optimizer would;
* **robust**: the P90 objective over common random numbers (rows = candidates x samples), sampling
  only the assumptions the objective and constraints declare as inputs;
* **pareto**: Sobol sample + refinement of a two-objective front.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from orbitaldc.optimize import DesignProblem, OBJECTIVES, optimize, pareto, select_variables  # noqa: E402
from orbitaldc.params import list_presets, load_scenario  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = "reference-1gw-terminator" if "reference-1gw-terminator" in list_presets() else "mccalip-2025-12"
    ap.add_argument("--preset", default=default)
    ap.add_argument("--maxiter", type=int, default=200)
    ap.add_argument("--robust-samples", type=int, default=64)
    ap.add_argument("--loop", type=int, default=300, help="candidates evaluated one by one")
    args = ap.parse_args()
    sc = load_scenario(args.preset)
    print(f"preset {args.preset}; machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (1 min)")

    r = optimize(sc, "lcoc", seed=0, maxiter=args.maxiter, tol=0.0)
    vec_rate = r.evaluations_per_second
    print(f"optimize (vectorized DE): {r.evaluations:,} evaluations, {r.model_calls} model calls, "
          f"{r.generations} generations, {r.seconds:.3f} s -> {vec_rate:,.0f} evaluations/s "
          f"({r.evaluations / max(r.model_calls, 1):.0f} candidates per call)")

    problem = DesignProblem(sc, r.variables, [OBJECTIVES["lcoc"]])
    rng = np.random.default_rng(0)
    lo, hi = np.array(problem.bounds).T
    X = lo + rng.random((args.loop, lo.size)) * (hi - lo)
    t0 = time.perf_counter()
    for x in X:
        problem.evaluate(x[None, :])
    loop_rate = args.loop / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    problem.evaluate(X)
    one_call = args.loop / (time.perf_counter() - t0)
    print(f"one-by-one: {loop_rate:,.0f} evaluations/s; the same {args.loop} candidates in one call: "
          f"{one_call:,.0f}/s ({one_call / loop_rate:.0f}x); optimization loop vs one-by-one: "
          f"{vec_rate / loop_rate:.1f}x")

    rr = optimize(sc, "lcoc", robust="p90", samples=args.robust_samples, seed=0, maxiter=max(args.maxiter // 4, 5))
    print(f"robust P90 ({args.robust_samples} samples of the {len(rr.robust['sampled'])} assumptions the problem reads, "
          f"{len(rr.robust['not_sampled'])} not sampled; common random numbers): {rr.evaluations:,} evaluations in "
          f"{rr.seconds:.2f} s -> {rr.evaluations_per_second:,.0f} evaluations/s")

    sel = select_variables(sc)
    t0 = time.perf_counter()
    pr = pareto(sc, ["lcoc", "kg_per_kw"], seed=0)
    print(f"pareto lcoc vs kg_per_kw: {pr.evaluations:,} evaluations in {pr.seconds:.2f} s -> "
          f"{pr.evaluations / pr.seconds:,.0f} evaluations/s, {len(pr.designs)} front points "
          f"({len(sel.variables)} candidate variables, {len(pr.variables)} with an effect); "
          f"wall {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
