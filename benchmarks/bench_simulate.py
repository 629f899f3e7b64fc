"""Throughput of ``orbitaldc.simulate`` against Skyfield's sunlit flags, on this machine, in one run.

Default: a year at 30 s steps for 100 satellites (105 million satellite-steps) in chunks, with a
progress bar on stderr and peak memory reported. Skyfield (``EarthSatellite.is_sunlit`` with the
bundled JPL DE421, no download) computes the same sunlit flags for a sample of satellite-steps of
the same orbits; its rate is extrapolated and the ratio printed. Skyfield computes only the
eclipse flag; orbitaldc computes eclipse, power, battery, heat, faults and links per step.

    python benchmarks/bench_simulate.py                      # the full year (minutes)
    python benchmarks/bench_simulate.py --days 3 --skyfield-steps 20000
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import warnings
from pathlib import Path

import numpy as np


def skyfield_rate(setup, steps: int) -> tuple[float, int]:
    """Sunlit flags per second by Skyfield for ``steps`` satellite-steps of the run's orbits."""
    from skyfield.api import EarthSatellite, Loader
    from skyfield_data import get_skyfield_data_path

    from orbitaldc.simulate import propagate

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        load = Loader(get_skyfield_data_path(), expire=False, verbose=False)
        eph, ts = load("de421.bsp"), load.timescale(builtin=True)
    recs = setup.satrecs or propagate.satrecs_from_elements(setup.elements)
    n_sat = min(len(recs), 10)
    per_sat = max(1, steps // n_sat)
    seconds = np.arange(per_sat) * setup.step_s
    jd = setup.start_jd + seconds / 86400.0
    t = ts.ut1_jd(jd)
    start = time.perf_counter()
    done = 0
    for rec in recs[:n_sat]:
        flags = EarthSatellite.from_satrec(rec, ts).at(t).is_sunlit(eph)
        done += np.size(flags)
    return done / (time.perf_counter() - start), done


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="mccalip-2025-12")
    ap.add_argument("--days", type=float, default=365.25)
    ap.add_argument("--step-s", type=float, default=30.0)
    ap.add_argument("--satellites", type=int, default=100)
    ap.add_argument("--skyfield-steps", type=int, default=200_000, help="satellite-steps timed with Skyfield")
    ap.add_argument("--out", type=Path, default=None, help="write the Parquet series here (default: not written)")
    args = ap.parse_args(argv)

    from orbitaldc.compare import evaluate
    from orbitaldc.params import load_scenario
    from orbitaldc.simulate.engine import build_setup, run

    sc = load_scenario(args.scenario).with_overrides(
        {"sim_days": args.days, "sim_step_s": args.step_s, "sim_satellites": args.satellites, "orbit_type": "leo",
         "altitude_m": 550e3})
    comparison = evaluate(sc)
    setup = build_setup(sc.values, float(comparison.orbital.satellite_count))
    sat_steps = setup.satellites * setup.steps
    start = time.perf_counter()
    result = run(setup, seed=0, out_dir=args.out, progress=sys.stderr.isatty())
    elapsed = time.perf_counter() - start
    ours = sat_steps / elapsed
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    sky, sky_n = skyfield_rate(setup, args.skyfield_steps)
    print(f"orbitaldc.simulate: {setup.satellites} satellites x {setup.steps:,} steps = {sat_steps:,} satellite-steps "
          f"in {elapsed:,.1f} s -> {ours:,.0f} satellite-steps/s (chunks of {len(range(0, setup.steps, max(1, 500_000 // setup.satellites)))}"
          f"; peak RSS {peak_mb:,.0f} MB; eclipse fraction {1 - result.totals.illumination / result.totals.sat_steps_alive:.4f})")
    print(f"skyfield is_sunlit (DE421): {sky_n:,} satellite-steps -> {sky:,.0f} satellite-steps/s")
    print(f"ratio orbitaldc / skyfield = {ours / sky:,.2f} (orbitaldc also steps power, heat, faults and links)")


if __name__ == "__main__":
    main()
