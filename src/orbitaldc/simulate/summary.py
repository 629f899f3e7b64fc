"""Summary of a run, scaled to the constellation, and LCOC beside the averaged model.

Both models are put on the same footing. The *availability* is the share of the installed
GPUs' time that delivers compute whose results reach the ground, against the design's IT load
(satellites x ``it_power_w`` per satellite, :mod:`orbitaldc.simulate.design`):

- averaged: the design's ``checks.availability`` (compute not lost to restarts, checkpoints,
  ECC and redundancy, times the share of the output the links carry) times the mean surviving
  share of GPUs in the year when failed GPUs are not replaced (``replacement =
  "capacity_loss"``), exactly the factors the economics puts on its GPU-hours
  (:mod:`orbitaldc.systems.orbital`);
- simulated: delivered useful compute over the IT load, times the share of the results the
  links brought down.

The averaged economics credits operating year ``k`` with ``P_IT / CF x (1 - d)^(k-1)`` of IT
energy (average sizing buys the GPUs the array feeds at its peak), which the twin, stepping the
design's constant IT load, does not reproduce: that factor is reported (``it_output_factor``)
and is not availability. The simulated LCOC keeps the averaged model's cash flows and its
by-year GPU-hours (``gpu_hours_by_year``) and scales operating year ``k`` by the ratio of
simulated to averaged availability (years beyond the run by the last simulated year's ratio, a
stated extrapolation), discounted at the orbital side's own rate, as the averaged LCOC is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from orbitaldc import finance
from orbitaldc.simulate.design import values_float as _values_float
from orbitaldc.simulate.engine import RunResult

#: Hours per operating year of the averaged model's cash-flow grid (finance.HOURS_PER_YEAR).
HOURS_PER_YEAR = finance.HOURS_PER_YEAR


def _scalar(x) -> float:
    return float(np.asarray(x, dtype=float).ravel()[0])


def averaged_availability_by_year(comparison, years: int) -> np.ndarray:
    """The averaged model's availability in operating years ``1..years``, ``(years,)``.

    Parameters
    ----------
    comparison : orbitaldc.compare.Comparison
        Averaged evaluation (single point, bottom-up design).
    years : int
        Operating years wanted.

    Returns
    -------
    ndarray
        ``checks.availability x s_k`` with ``s_k`` the mean surviving share of GPUs in year
        ``k``, :func:`orbitaldc.systems.orbital.year_average_survival`, under ``replacement =
        "capacity_loss"`` (1 otherwise: failed GPUs are replaced and charged).

    References
    ----------
    .. [1] :func:`orbitaldc.systems.orbital.run_orbital` (availability and survival of the
       delivered GPU-hours).
    """
    from orbitaldc.systems.orbital import compute_availability, year_average_survival

    v = comparison.values
    k = np.arange(1, years + 1, dtype=float)
    availability = _scalar(compute_availability(comparison.orbital.design))
    if str(v["replacement"]) != "capacity_loss":
        return np.full(k.shape, availability)
    return availability * np.asarray(year_average_survival(_values_float(v, "gpu_failure_per_yr"), k), dtype=float)


def window_average(by_year: np.ndarray, seconds_by_year: dict[int, float]) -> float:
    """Time-weighted mean of per-year values over the simulated seconds of each year.

    Parameters
    ----------
    by_year : ndarray
        Per-year values.
    seconds_by_year : dict
        Simulated seconds in each year.

    Returns
    -------
    float

    References
    ----------
    .. [1] Time-weighted mean (no model: bookkeeping of the simulated window).
    """
    total = sum(seconds_by_year.values())
    acc = 0.0
    for y, sec in seconds_by_year.items():
        value = by_year[min(y, by_year.size - 1)] if by_year.size else np.nan
        acc += value * sec
    return acc / total if total > 0 else float("nan")


def simulated_lcoc(comparison, ratio_by_year: np.ndarray) -> dict[str, float]:
    """LCOE and LCOC of the averaged model's cash flows with its output scaled year by year.

    Parameters
    ----------
    comparison : orbitaldc.compare.Comparison
        The averaged evaluation of the same scenario (a single point).
    ratio_by_year : ndarray
        ``(years,)`` simulated / averaged availability per operating year.

    Returns
    -------
    dict
        ``lcoe_usd_per_mwh``, ``lcoc_usd_per_gpu_hour``, ``delivered_gpu_hours`` (mission, not
        discounted) and ``delivered_energy_mwh``.

    Notes
    -----
    ``LCOC = sum_t C_t v^t / sum_t r_t H_t v^t`` with the orbital side's by-year costs ``C_t``,
    GPU-hours ``H_t`` (``gpu_hours_by_year``), times ``t`` and discount rate
    (``OrbitalResult.discount_rate_per_yr``, ``v = 1 / (1 + rate)``); with every ``r_t = 1`` it is
    the averaged LCOC (the by-year flows' present values equal the summary's). The LCOE scales
    the IT energy the same way.

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs).
    """
    o = comparison.orbital
    ratio = np.concatenate([[1.0], np.asarray(ratio_by_year, dtype=float)])  # index 0: purchases, no output
    hours = np.asarray(o.gpu_hours_by_year, dtype=float).reshape(-1) * ratio
    energy = np.asarray(o.energy_by_year_mwh, dtype=float).reshape(-1) * ratio
    costs = np.asarray(o.costs_by_year_usd, dtype=float).reshape(-1)
    times = np.asarray(o.times_yr, dtype=float).reshape(-1)
    rate = _scalar(o.discount_rate_per_yr)
    pv_cost = finance.present_value(costs, rate, times)
    return {"lcoe_usd_per_mwh": _scalar(finance.levelized_cost(pv_cost, finance.present_value(energy, rate, times))),
            "lcoc_usd_per_gpu_hour": _scalar(finance.levelized_cost(pv_cost, finance.present_value(hours, rate, times))),
            "delivered_gpu_hours": float(hours.sum()), "delivered_energy_mwh": float(energy.sum())}


def availability_ratio_by_year(result: RunResult, comparison, delivered_fraction: float) -> np.ndarray:
    """Simulated over averaged availability in each operating year of the averaged model.

    Parameters
    ----------
    result : RunResult
        The run.
    comparison : orbitaldc.compare.Comparison
        The averaged evaluation.
    delivered_fraction : float
        Share of the run's results the links brought down.

    Returns
    -------
    ndarray
        ``(N,)`` ratios; years after the run repeat its last year's ratio, years before none
        (a run shorter than a year covers year 1) are 1.

    References
    ----------
    .. [1] Time-weighted bookkeeping of the simulated window (no model).
    """
    t, s = result.totals, result.setup
    operating = int(np.asarray(comparison.orbital.gpu_hours_by_year).reshape(-1).size) - 1
    years = max(operating, max(t.seconds_by_year, default=0) + 1)
    avg = averaged_availability_by_year(comparison, years)
    ratio = np.ones(years)
    covered = np.zeros(years, dtype=bool)
    for y, sec in t.seconds_by_year.items():
        sim = t.compute_energy_by_year_j[y] / (s.satellites * s.design.compute_w * sec) * delivered_fraction
        ratio[y] = sim / avg[y] if avg[y] > 0 else 1.0
        covered[y] = True
    if covered.any():
        last = int(np.flatnonzero(covered)[-1])
        ratio[last + 1:] = ratio[last]
    return ratio[:operating]


def summarize(result: RunResult, comparison) -> dict[str, Any]:
    """The run's summary (sample totals scaled to the constellation) and the side-by-side LCOC.

    Parameters
    ----------
    result : RunResult
        From :func:`orbitaldc.simulate.engine.run`.
    comparison : orbitaldc.compare.Comparison
        Averaged evaluation of the same scenario.

    Returns
    -------
    dict
        ``run`` (settings), ``simulated`` (measured, constellation-scaled), ``averaged``
        (the averaged model over the same window), ``lcoc`` (both sides) and ``losses_wh``
        (``checkpoints`` includes the ECC and redundancy share of the upset model).

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs).
    """
    s = result.setup
    t = result.totals
    v = s.values
    d = s.design
    o = comparison.orbital
    duration = s.duration_s
    scale = s.constellation_satellites / s.satellites
    delivered_fraction = min(1.0, t.downlinked_bytes / t.generated_bytes) if t.generated_bytes > 0 else (
        1.0 if _values_float(v, "workload_bits_per_j") == 0 else 0.0)
    compute_availability = t.compute_energy_j / (s.satellites * d.compute_w * duration)
    ratio = availability_ratio_by_year(result, comparison, delivered_fraction)
    years = max(ratio.size, max(t.seconds_by_year, default=0) + 1)
    avg_avail = window_average(averaged_availability_by_year(comparison, years), t.seconds_by_year)
    gpu_w, util = _values_float(v, "gpu_power_w"), _values_float(v, "gpu_utilization")
    nominal_w = s.constellation_satellites * d.compute_w
    sim_compute_h = float(finance.gpu_hours(t.compute_energy_j / 3600.0 * scale, gpu_w, util))
    avg_gpu_h = float(finance.gpu_hours(avg_avail * nominal_w * duration / 3600.0, gpu_w, util))
    lcoc_sim = simulated_lcoc(comparison, ratio)
    energy = np.asarray(o.energy_by_year_mwh, dtype=float).reshape(-1)[1:]
    links = _scalar(o.design.checks.link_delivered_fraction)
    sunlit = t.illumination / t.sat_steps_alive if t.sat_steps_alive else float("nan")
    alive = t.sat_steps_alive
    return {
        "run": {
            "scenario": comparison.scenario.name if comparison.scenario else None,
            "layout": s.layout, "planes": s.planes, "propagator": "sgp4" if s.satrecs is not None else "kepler_j2",
            "satellites_simulated": s.satellites, "satellites_constellation": s.constellation_satellites,
            "scale": scale, "step_s": s.step_s, "steps": s.steps, "days": duration / 86400.0,
            "start_jd": s.start_jd, "seed": result.seed, "parts": result.parts, "stations": list(result.stations),
            "gpus_per_satellite": d.gpus, "compute_w_per_satellite": d.compute_w, "bus_w_per_satellite": d.bus_w,
            "load_w_per_satellite": d.load_w, "array_rated_w_per_satellite": d.rated_power_w,
            "battery_energy_wh_per_satellite": d.battery_energy_j / 3600.0,
            "battery_capacity_wh_per_satellite": d.battery_capacity_j / 3600.0,
            "radiator_area_m2_per_satellite": d.radiator_area_m2, "checkpoint_interval_s": d.checkpoint_interval_s,
            "node_interrupts_per_day": d.interrupts_per_s * 86400.0,
            "saa_calibration_fraction": s.interrupts.saa_time_fraction if s.interrupts else float("nan"),
        },
        "simulated": {
            "sunlit_fraction": sunlit,
            "availability": compute_availability * delivered_fraction,
            "compute_availability": compute_availability,
            "delivered_gpu_hours": sim_compute_h * delivered_fraction,
            "computed_gpu_hours": sim_compute_h,
            "energy_shortfall_wh": t.shortfall_energy_j / 3600.0 * scale,
            "data_generated_bytes": t.generated_bytes * scale,
            "data_delivered_bytes": t.downlinked_bytes * scale,
            "results_delivered_fraction": delivered_fraction,
            "contact_fraction": t.contact_steps / alive if alive else float("nan"),
            "interruptions": t.interruptions * scale,
            "satellite_steps_alive_fraction": alive / (s.satellites * s.steps),
            "max_die_temperature_k": t.max_die_temperature_k,
            "min_battery_soc": t.min_soc,
        },
        "losses_wh": {
            "energy_shortfall": t.shortfall_energy_j / 3600.0 * scale,
            "thermal_throttle": t.throttle_energy_j / 3600.0 * scale,
            "restarts": t.restart_energy_j / 3600.0 * scale,
            "checkpoints": t.checkpoint_energy_j / 3600.0 * scale,
        },
        "averaged": {
            "sun_fraction": float(np.asarray(o.sun_fraction)),
            "availability": avg_avail,
            "compute_availability": avg_avail / links if links > 0 else float("nan"),
            "results_delivered_fraction": links,
            "delivered_gpu_hours": avg_gpu_h,
            "it_output_factor": window_average(energy * 1e6 / (nominal_w * HOURS_PER_YEAR), t.seconds_by_year),
            "replacement": str(v["replacement"]),
        },
        "lcoc": {
            "averaged_usd_per_gpu_hour": _scalar(o.lcoc_usd_per_gpu_hour),
            "simulated_usd_per_gpu_hour": lcoc_sim["lcoc_usd_per_gpu_hour"],
            "averaged_lcoe_usd_per_mwh": _scalar(o.lcoe_usd_per_mwh),
            "simulated_lcoe_usd_per_mwh": lcoc_sim["lcoe_usd_per_mwh"],
            "averaged_mission_gpu_hours": _scalar(o.delivered_gpu_hours),
            "simulated_mission_gpu_hours": lcoc_sim["delivered_gpu_hours"],
            "availability_ratio_by_year": ratio,
            "discount_rate_per_yr": _scalar(o.discount_rate_per_yr),
            "terrestrial_usd_per_gpu_hour": _scalar(comparison.terrestrial.lcoc_usd_per_gpu_hour),
        },
    }
