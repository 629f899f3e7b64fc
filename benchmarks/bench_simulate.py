"""Throughput of ``orbitaldc.simulate`` against Skyfield's sunlit flags, side by side in one run.

Default: a year at 30 s steps for 100 satellites (105 million satellite-steps) of a 53-deg
Walker shell at 550 km, in chunks, with a progress bar on stderr. Skyfield
(``EarthSatellite.is_sunlit`` with the bundled JPL DE421, no download) computes the sunlit flags
of the same orbits (the run's own SGP4 records) for a sample of satellite-steps. Both sides are
warmed up before timing: Skyfield's first call loads the ephemeris and the timescale, ours
compiles the numba step (cached on disk after the first run); the timings then measure steady
throughput only. Skyfield computes only the eclipse flag; orbitaldc computes eclipse, power,
battery, heat, faults and links per step. The machine's load is printed beside the ratio.

    python benchmarks/bench_simulate.py                      # the full year (about 10 s)
    python benchmarks/bench_simulate.py --quick              # 3 days, 50,000 Skyfield steps
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import warnings
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core for both sides

import numpy as np  # noqa: E402


class Clock:
    """Wall and CPU seconds of a block (CPU time is steadier on a shared, loaded machine)."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def skyfield_setup():
    """Skyfield's ephemeris and timescale from skyfield-data (no download)."""
    from skyfield.api import Loader
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # skyfield-data's bundled finals2000A is past its date; unused here
        load = Loader(get_skyfield_data_path(), expire=False, verbose=False)
        return load("de421.bsp"), load.timescale(builtin=True)


def skyfield_rate(recs, start_jd: float, step_s: float, steps: int, eph, ts) -> tuple[Clock, Clock, int]:
    """Skyfield's sunlit flags for about ``steps`` satellite-steps of the given SGP4 records, timed.

    Every record is computed at the same times (one ``Time`` array, as for a constellation):
    the first timing includes Skyfield's per-time work (precession-nutation, the sun from DE421)
    amortized over the satellites, as ours includes its sun and sidereal time; the second times
    the satellites again with those per-time caches filled (satellite work only).
    """
    from skyfield.api import EarthSatellite

    per_sat = max(1, steps // len(recs))
    sats = [EarthSatellite.from_satrec(rec, ts) for rec in recs]
    sats[0].at(ts.ut1_jd(start_jd + np.arange(10) * step_s / 86400.0)).is_sunlit(eph)  # warm-up: code paths, ephemeris
    t = ts.ut1_jd(start_jd + np.arange(per_sat) * step_s / 86400.0)
    clocks = []
    for _ in range(2):
        with Clock() as clock:
            done = sum(np.size(sat.at(t).is_sunlit(eph)) for sat in sats)
        clocks.append(clock)
    return clocks[0], clocks[1], done


def _scenario(args, days: float):
    from orbitaldc.params import load_scenario

    return load_scenario(args.scenario).with_overrides(
        {"sim_days": days, "sim_step_s": args.step_s, "sim_satellites": args.satellites, "orbit_type": "leo",
         "altitude_m": 550e3, "mass_model": "bottom_up", "sun_fraction_model": "orbit"})


def _timed_run(sc, design, kernel: str, out=None, progress=False):
    from orbitaldc.simulate.engine import build_setup, run

    setup = build_setup(sc.values, design)
    with Clock() as clock:
        result = run(setup, seed=0, out_dir=out, progress=progress, kernel=kernel)
    return setup, result, clock


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="mccalip-2025-12")
    ap.add_argument("--days", type=float, default=365.25)
    ap.add_argument("--step-s", type=float, default=30.0)
    ap.add_argument("--satellites", type=int, default=100)
    ap.add_argument("--skyfield-steps", type=int, default=200_000, help="satellite-steps timed with Skyfield")
    ap.add_argument("--reference-days", type=float, default=1.0,
                    help="days also run with the NumPy reference step, for its rate (0: skip)")
    ap.add_argument("--out", type=Path, default=None, help="write the Parquet series here (default: not written)")
    ap.add_argument("--quick", action="store_true", help="3 days and 50,000 Skyfield steps (smoke run)")
    args = ap.parse_args(argv)
    if args.quick:
        args.days, args.skyfield_steps = min(args.days, 3.0), min(args.skyfield_steps, 50_000)

    from orbitaldc.compare import evaluate
    from orbitaldc.simulate import propagate

    sc = _scenario(args, args.days)
    design = evaluate(sc).orbital.design
    # warm-up of our side: compile (or load from numba's cache) the step on a short run
    _timed_run(_scenario(args, 0.05), design, "compiled")
    eph, ts = skyfield_setup()

    setup, result, ours = _timed_run(sc, design, "compiled", args.out, sys.stderr.isatty())
    n = setup.satellites * setup.steps
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    recs = propagate.satrecs_from_elements(setup.elements)
    sky, sky_cached, sky_n = skyfield_rate(recs, setup.start_jd, setup.step_s, args.skyfield_steps, eph, ts)
    eclipse = 1 - result.totals.illumination / result.totals.sat_steps_alive
    print(f"orbitaldc.simulate (compiled): {setup.satellites} satellites x {setup.steps:,} steps = {n:,} "
          f"satellite-steps in {ours.wall:,.1f} s wall ({ours.cpu:,.1f} s CPU) -> {n / ours.cpu:,.0f} satellite-steps "
          f"per CPU second (peak RSS {peak_mb:,.0f} MB; eclipse fraction {eclipse:.4f})")
    if args.reference_days > 0:
        ref_setup, _, ref = _timed_run(_scenario(args, args.reference_days), design, "numpy")
        ref_rate = ref_setup.satellites * ref_setup.steps / ref.cpu
        print(f"orbitaldc.simulate (NumPy reference, {args.reference_days:g} d): {ref_rate:,.0f} satellite-steps per "
              f"CPU second -> compiled / reference = {n / ours.cpu / ref_rate:,.1f}")
    print(f"skyfield is_sunlit (DE421, warm, same {len(recs)} orbits): {sky_n:,} satellite-steps -> "
          f"{sky_n / sky.cpu:,.0f} per CPU second ({sky_n / sky_cached.cpu:,.0f} with its per-time caches filled)")
    load = os.getloadavg()
    print(f"ratio orbitaldc / skyfield (CPU time) = {sky.cpu / sky_n * n / ours.cpu:,.1f} "
          f"({sky_cached.cpu / sky_n * n / ours.cpu:,.1f} against the cached rate; wall-clock "
          f"{sky.wall / sky_n * n / ours.wall:,.1f}); orbitaldc also steps power, heat, faults and links; one "
          f"core each; {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"RATIO twin / Skyfield is_sunlit, satellite-steps per CPU second: {sky.cpu / sky_n * n / ours.cpu:,.1f}x "
          f"({len(recs)} satellites, {args.days:g} d at {args.step_s:g} s in {ours.wall:.1f} s wall; target >= 50x)")


if __name__ == "__main__":
    main()
