"""The chunked runner: calibrate the upsets, step every chunk, sum and write the results.

Time is processed in chunks of at most ``chunk_sat_steps`` satellite-steps
(:mod:`orbitaldc.simulate.steps`); each chunk's constellation-level series is written as one
Parquet part (``series/part-NNNNN.parquet``) and then dropped, so memory stays bounded for any
duration and any number of satellites. Randomness comes from ``numpy.random.SeedSequence([seed,
...])`` streams fixed by the seed and the chunk index, so a seeded run is reproducible bit for
bit. Two implementations of a chunk give the same results to rounding: ``"compiled"`` (numba,
the default) and ``"numpy"`` (the reference).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY, SECONDS_PER_JULIAN_YEAR
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate import faults, links, propagate, steps
from orbitaldc.simulate.design import values_float
from orbitaldc.simulate.io import SERIES_COLUMNS, prepare_series_dir, write_part
from orbitaldc.simulate.plan import Setup, build_setup, start_julian_date

__all__ = ["CHUNK_SAT_STEPS", "KERNELS", "SERIES_COLUMNS", "RunResult", "Totals", "build_setup", "run",
           "saa_time_fraction", "start_julian_date"]

#: Default chunk size [satellite-steps]; about 4 MB per (N, T) float64 array.
CHUNK_SAT_STEPS = 500_000
#: Chunk implementations: the compiled (numba) step and the NumPy reference.
KERNELS = ("compiled", "numpy")
#: Sampling of the SAA calibration (:func:`saa_time_fraction`): one day at one minute, over at
#: most this many satellites of the sample, evenly spread through it (all of a smaller sample).
SAA_CALIBRATION_DAYS = 1.0
SAA_CALIBRATION_STEP_S = 60.0
SAA_CALIBRATION_SATELLITES = 1000


@dataclass
class Totals:
    """Running sums over the whole run (sample level)."""

    sat_steps_alive: float = 0.0
    illumination: float = 0.0
    array_energy_j: float = 0.0
    compute_energy_j: float = 0.0
    shortfall_energy_j: float = 0.0
    throttle_energy_j: float = 0.0
    restart_energy_j: float = 0.0
    checkpoint_energy_j: float = 0.0
    interruptions: float = 0.0
    contact_steps: float = 0.0
    generated_bytes: float = 0.0
    downlinked_bytes: float = 0.0
    max_die_temperature_k: float = 0.0
    min_soc: float = 1.0
    compute_energy_by_year_j: dict[int, float] = field(default_factory=dict)
    seconds_by_year: dict[int, float] = field(default_factory=dict)


@dataclass
class RunResult:
    """What :func:`run` returns: the setup, totals and where the series went."""

    setup: Setup
    totals: Totals
    series_dir: Path | None
    parts: int
    stations: tuple[str, ...]
    seed: int


def saa_time_fraction(setup: Setup, days: float = SAA_CALIBRATION_DAYS, step_s: float = SAA_CALIBRATION_STEP_S,
                      chunk_sat_steps: int = CHUNK_SAT_STEPS, satellites: int = SAA_CALIBRATION_SATELLITES) -> float:
    """Share of satellite time inside the SAA over the first ``days``, in bounded memory and time.

    Parameters
    ----------
    setup : Setup
        The run.
    days, step_s : float
        Calibration window and sampling [d, s].
    chunk_sat_steps : int
        Satellite-steps propagated at once (blocks of satellites x the window's times).
    satellites : int
        Largest number of the sample's satellites used, evenly spread through it (a statistical
        average: a thousand orbits of a shell sample its SAA passes well; all of a smaller sample).

    Returns
    -------
    float
        Inside steps over all steps; splits the orbit-average node interrupt rate
        (:func:`orbitaldc.physics.radiation.saa_interrupt_rates_per_s`).

    References
    ----------
    .. [1] J. R. Heirtzler, J. Atmos. Sol.-Terr. Phys. 64 (2002), fig. 1 (SAA extent).
    """
    t = np.arange(0.0, days * SECONDS_PER_DAY, step_s)
    jd = setup.start_jd + t / SECONDS_PER_DAY
    gmst = propagate.gmst_rad(jd)
    chosen = np.unique(np.linspace(0, setup.satellites - 1, min(setup.satellites, int(satellites))).round().astype(int))
    block = max(1, int(chunk_sat_steps) // t.size)
    inside = 0
    for b0 in range(0, chosen.size, block):
        idx = chosen[b0:b0 + block]
        if setup.satrecs is not None:
            pos = propagate.sgp4([setup.satrecs[i] for i in idx], jd, [setup.names[i] for i in idx],
                                 setup.source).position_m
        else:
            el = setup.elements
            pos = propagate.kepler_j2(type(el)(*(x[idx] for x in el[:-1]), el.epoch_jd), t).position_m
        inside += int(steps.in_saa(setup.values, pos, gmst).sum())
    return inside / (chosen.size * t.size)


def _accumulate(tot: Totals, s: Mapping[str, np.ndarray], dt: float) -> None:
    tot.sat_steps_alive += float(s["satellites_alive"].sum())
    tot.illumination += float(s["_illum_alive"].sum())
    tot.array_energy_j += float(s["array_power_w"].sum() * dt)
    tot.compute_energy_j += float(s["compute_power_w"].sum() * dt)
    tot.shortfall_energy_j += float(s["shortfall_w"].sum() * dt)
    tot.throttle_energy_j += float(s["throttle_loss_w"].sum() * dt)
    tot.restart_energy_j += float(s["restart_loss_w"].sum() * dt)
    tot.checkpoint_energy_j += float(s["_checkpoint_w"].sum() * dt)
    tot.interruptions += float(s["interruptions"].sum())
    tot.contact_steps += float(s["in_contact"].sum())
    tot.generated_bytes += float(s["_generated_bytes"].sum())
    tot.downlinked_bytes += float(s["downlink_bytes"].sum())
    die = s["die_temperature_max_k"]
    if np.isfinite(die).any():
        tot.max_die_temperature_k = max(tot.max_die_temperature_k, float(np.nanmax(die)))
    soc = s["battery_soc"]
    if np.isfinite(soc).any():
        tot.min_soc = min(tot.min_soc, float(np.nanmin(soc)))
    year = np.floor(s["_t_s"] / SECONDS_PER_JULIAN_YEAR).astype(int)
    for y in np.unique(year):
        m = year == y
        tot.compute_energy_by_year_j[int(y)] = tot.compute_energy_by_year_j.get(int(y), 0.0) + float(
            s["compute_power_w"][m].sum() * dt)
        tot.seconds_by_year[int(y)] = tot.seconds_by_year.get(int(y), 0.0) + float(m.sum() * dt)


def _chunk_function(kernel: str) -> Callable:
    if kernel == "numpy":
        return steps.numpy_chunk
    if kernel == "compiled":
        from orbitaldc.simulate.kernel import compiled_chunk

        return compiled_chunk
    raise ScenarioError(f"kernel = {kernel!r}: expected one of {', '.join(map(repr, KERNELS))}")


def run(setup: Setup, seed: int = 0, out_dir: str | Path | None = None, progress: bool = False,
        chunk_sat_steps: int = CHUNK_SAT_STEPS, on_chunk: Callable[[Mapping[str, np.ndarray]], None] | None = None,
        kernel: str = "compiled") -> RunResult:
    """Run the simulation in chunks; write Parquet parts under ``out_dir/series`` if given.

    Parameters
    ----------
    setup : Setup
        From :func:`build_setup`.
    seed : int
        Seed of every random stream (failures, bus events, interruptions, rollbacks).
    out_dir : str or Path, optional
        Output folder; ``series/part-NNNNN.parquet`` are (re)written there.
    progress : bool
        Show a progress bar on stderr (satellite-steps).
    chunk_sat_steps : int
        Satellite-steps per chunk (memory bound).
    on_chunk : callable, optional
        Called with each chunk's series (tests, plots).
    kernel : {"compiled", "numpy"}
        Chunk implementation: numba-compiled (default) or the NumPy reference; equal to
        rounding.

    Returns
    -------
    RunResult

    Raises
    ------
    ScenarioError
        A bad seed or kernel name; SGP4 failures during the run.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), ch. 11 (the subsystems stepped); the
       chunk step: :func:`orbitaldc.simulate.steps.numpy_chunk`.
    """
    from orbitaldc.physics.radiation import saa_interrupt_rates_per_s

    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ScenarioError(f"seed = {seed!r}: expected a whole number >= 0")
    step_chunk = _chunk_function(kernel)
    stations = links.network(str(setup.values["ground_network"]), values_float(setup.values, "ground_stations"))
    const = steps.constants(setup, seed, stations)
    d = setup.design
    p = saa_time_fraction(setup, chunk_sat_steps=chunk_sat_steps) if d.proton_interrupts_per_s > 0 else 0.0
    outside, inside = saa_interrupt_rates_per_s(d.interrupts_per_s, d.proton_interrupts_per_s, p)
    setup.interrupts = faults.InterruptRates(float(outside), float(inside), float(p))
    state = steps.initial_state(setup)
    per_chunk = max(1, int(chunk_sat_steps) // setup.satellites)
    series_dir = prepare_series_dir(out_dir) if out_dir is not None else None
    totals = Totals()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=setup.steps * setup.satellites, unit="sat-step", unit_scale=True, file=sys.stderr,
                   desc="simulate", leave=False)
    parts = 0
    try:
        for ci, k0 in enumerate(range(0, setup.steps, per_chunk)):
            k1 = min(k0 + per_chunk, setup.steps)
            inputs = steps.chunk_inputs(setup, k0, k1, seed, ci)
            series, state = steps.finish_chunk(inputs, step_chunk(setup, inputs, state, const, stations))
            _accumulate(totals, series, setup.step_s)
            if series_dir is not None:
                write_part(series, setup.start_jd, series_dir / f"part-{ci:05d}.parquet")
                parts += 1
            if on_chunk is not None:
                on_chunk(series)
            if bar is not None:
                bar.update((k1 - k0) * setup.satellites)
    finally:
        if bar is not None:
            bar.close()
    return RunResult(setup, totals, series_dir, parts, stations.names, int(seed))
