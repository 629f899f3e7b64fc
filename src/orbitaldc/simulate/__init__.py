"""Time-stepped digital twin of a constellation: what it delivers minute by minute.

``simulate(scenario)`` takes the averaged model's own satellite design (the bottom-up
``SatelliteDesign``: load, array, battery, radiator), lays out a sample of its constellation
(Walker shell, sun-synchronous planes or a TLE file), propagates it (Kepler + J2 or SGP4), and
steps power (array, battery,
load shedding), a lumped thermal node (throttling above the die limit), faults (GPU lifetimes
lost without repair or replaced as the averaged model assumes, satellite infant mortality, bus
failures) and node interruptions of the shared upset/restart model of
:mod:`orbitaldc.physics.radiation` (trapped protons met in the SAA, cosmic rays and the ground
floor everywhere; Young/Daly checkpoints and restarts of the whole satellite), and ground links
(visibility of the averaged model's stations, each with terminals x rate x clear sky while
it sees the constellation, store-and-forward delivery). Time is
processed in chunks written as Parquet parts; the summary scales the sample to the constellation
and puts the simulated LCOC beside the averaged model's.

    >>> from orbitaldc.simulate import simulate
    >>> out = simulate("mccalip-2025-12", {"sim_days": 1.0, "sim_satellites": 10, "orbit_type": "leo",
    ...                                     "mass_model": "bottom_up"})
    >>> 0.5 < out.summary["simulated"]["sunlit_fraction"] <= 1.0
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from orbitaldc.params import Scenario, as_point
from orbitaldc.simulate.engine import KERNELS, RunResult, build_setup, run

__all__ = ["KERNELS", "RunResult", "Simulation", "build_setup", "run", "simulate"]


@dataclass
class Simulation:
    """Result of :func:`simulate`: the run (totals, setup) and its summary dict."""

    result: RunResult
    summary: dict[str, Any]
    comparison: Any


def simulate(scenario: Scenario | str, overrides: Mapping[str, Any] | None = None, seed: int = 0,
             out_dir: str | Path | None = None, progress: bool = False, tle_path: str | Path | None = None,
             chunk_sat_steps: int | None = None, kernel: str = "compiled") -> Simulation:
    """Simulate a scenario's constellation in time and summarize it against the averaged model.

    Parameters
    ----------
    scenario : Scenario or str
        Scenario object, preset name or TOML path; its ``mass_model`` must be ``"bottom_up"``
        (the twin steps that design's battery and radiator).
    overrides : mapping, optional
        Parameter overrides (validated like scenario files), e.g. ``{"sim_days": 365}``.
    seed : int
        Seed of all random streams; equal seeds give bit-identical results.
    out_dir : str or Path, optional
        Folder for ``series/part-*.parquet`` (the caller writes the summary).
    progress : bool
        Progress bar on stderr.
    tle_path : str or Path, optional
        Two-line element file for the sample (SGP4).
    chunk_sat_steps : int, optional
        Satellite-steps per chunk (memory bound); default :data:`engine.CHUNK_SAT_STEPS`.
    kernel : {"compiled", "numpy"}
        Chunk implementation (:data:`engine.KERNELS`): numba-compiled or the NumPy reference.

    Returns
    -------
    Simulation

    Raises
    ------
    ScenarioError
        Bad settings, a scenario without a physical design, a bad TLE file.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), ch. 11 (the subsystems stepped).
    """
    from orbitaldc.compare import evaluate
    from orbitaldc.simulate.engine import CHUNK_SAT_STEPS
    from orbitaldc.simulate.summary import summarize

    scenario = as_point(scenario, overrides, what="the simulation")
    comparison = evaluate(scenario)
    setup = build_setup(scenario.values, comparison.orbital.design, tle_path)
    result = run(setup, seed=seed, out_dir=out_dir, progress=progress,
                 chunk_sat_steps=chunk_sat_steps or CHUNK_SAT_STEPS, kernel=kernel)
    return Simulation(result, summarize(result, comparison), comparison)
