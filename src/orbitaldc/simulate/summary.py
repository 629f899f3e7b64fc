"""Summary of a run, scaled to the constellation, and LCOC beside the averaged model.

The averaged model (``orbitaldc.compare.evaluate``) assumes a sun fraction, a failure rate and
a downlink; the simulation measures what the sample delivered. Both are put on the same
footing: the *availability* is delivered compute energy over the nominal compute capacity
(satellites x the shared design's IT load per satellite, :mod:`orbitaldc.simulate.design`) over
the simulated window. The simulated LCOC keeps the averaged model's cash flows (costs by year,
discounting) and replaces its delivered energy: operating year ``k`` is scaled by the ratio of
simulated to averaged availability in that year, and years beyond the run by the ratio of the
last simulated year (a stated extrapolation).
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


def averaged_availability_by_year(comparison, nominal_compute_w: float) -> np.ndarray:
    """Averaged model's delivered energy per operating year over nominal capacity ``(years,)``.

    ``a_k = E_k / (P_nominal x 8760 h)`` with ``E_k`` the orbital side's
    ``energy_by_year_mwh`` (operating years, the leading t = 0 entry dropped).

    Parameters
    ----------
    comparison : orbitaldc.compare.Comparison
        Averaged evaluation (single point).
    nominal_compute_w : float
        Constellation IT power [W].

    Returns
    -------
    ndarray
        ``(years,)`` availability [-].

    References
    ----------
    .. [1] A. McCalip (2025), energy by year of the averaged model (``finance.geometric_stream``).
    """
    energy = np.asarray(comparison.orbital.energy_by_year_mwh, dtype=float).reshape(-1)[1:]
    return energy * 1e6 / (nominal_compute_w * HOURS_PER_YEAR)


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


def simulated_lcoc(comparison, sim_ratio_by_year: np.ndarray) -> dict[str, float]:
    """LCOE and LCOC of the averaged model's cash flows with simulated delivered energy.

    Parameters
    ----------
    comparison : orbitaldc.compare.Comparison
        The averaged evaluation of the same scenario (a single point).
    sim_ratio_by_year : ndarray
        ``(years,)`` simulated / averaged delivered energy per operating year.

    Returns
    -------
    dict
        ``lcoe_usd_per_mwh``, ``lcoc_usd_per_gpu_hour``, ``delivered_gpu_hours`` (mission, PV-free)
        and ``delivered_energy_mwh``.

    Notes
    -----
    ``LCOC = sum_t C_t (1+r)^-t / sum_t H_t (1+r)^-t`` (:func:`orbitaldc.finance.project_finance`)
    with ``H_t`` from ``E_t x ratio_t``.

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs).
    """
    o = comparison.orbital
    v = comparison.values
    energy = np.asarray(o.energy_by_year_mwh, dtype=float).reshape(-1).copy()
    energy[1:] = energy[1:] * sim_ratio_by_year
    costs = np.asarray(o.costs_by_year_usd, dtype=float).reshape(-1)
    times = np.asarray(o.times_yr, dtype=float).reshape(-1)
    fin = finance.project_finance(costs, energy, times, _scalar(v["discount_rate_per_yr"]), _scalar(v["gpu_power_w"]),
                                  _scalar(v["gpu_utilization"]))
    hours = finance.gpu_hours(energy.sum() * 1e6, _scalar(v["gpu_power_w"]), _scalar(v["gpu_utilization"]))
    return {"lcoe_usd_per_mwh": _scalar(fin.lcoe_usd_per_mwh), "lcoc_usd_per_gpu_hour": _scalar(fin.lcoc_usd_per_gpu_hour),
            "delivered_gpu_hours": float(hours), "delivered_energy_mwh": float(energy.sum())}


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
        (the averaged model over the same window), ``lcoc`` (both sides) and ``losses``.

    References
    ----------
    .. [1] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs).
    """
    s = result.setup
    t = result.totals
    v = s.values
    d = s.design
    duration = s.duration_s
    scale = s.constellation_satellites / s.satellites
    nominal_sample_w = s.satellites * d.compute_w
    availability = t.compute_energy_j / (nominal_sample_w * duration)
    nominal_const_w = s.constellation_satellites * d.compute_w
    avg_by_year = averaged_availability_by_year(comparison, nominal_const_w)
    years = avg_by_year.size
    sim_by_year = np.full(years, np.nan)
    for y, sec in t.seconds_by_year.items():
        if y < years:
            sim_by_year[y] = t.compute_energy_by_year_j[y] / (nominal_sample_w * sec)
    covered = np.isfinite(sim_by_year)
    ratio = np.ones(years)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio[covered] = sim_by_year[covered] / avg_by_year[covered]
    if covered.any():
        last = int(np.flatnonzero(covered)[-1])
        ratio[last + 1:] = ratio[last]
    gpu_w, util = _values_float(v, "gpu_power_w"), _values_float(v, "gpu_utilization")
    delivered_fraction = min(1.0, t.downlinked_bytes / t.generated_bytes) if t.generated_bytes > 0 else (
        1.0 if _values_float(v, "workload_bits_per_j") == 0 else 0.0)
    sim_gpu_h = float(finance.gpu_hours(t.compute_energy_j / 3600.0 * scale, gpu_w, util))
    avg_avail = window_average(avg_by_year, t.seconds_by_year)
    avg_gpu_h = float(finance.gpu_hours(avg_avail * nominal_const_w * duration / 3600.0, gpu_w, util))
    lcoc_sim = simulated_lcoc(comparison, ratio * delivered_fraction)
    o = comparison.orbital
    sunlit = t.illumination / t.sat_steps_alive if t.sat_steps_alive else float("nan")
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
        },
        "simulated": {
            "sunlit_fraction": sunlit,
            "availability": availability,
            "delivered_gpu_hours": sim_gpu_h,
            "delivered_gpu_hours_with_results_down": sim_gpu_h * delivered_fraction,
            "energy_shortfall_wh": t.shortfall_energy_j / 3600.0 * scale,
            "data_generated_bytes": t.generated_bytes * scale,
            "data_delivered_bytes": t.downlinked_bytes * scale,
            "results_delivered_fraction": delivered_fraction,
            "contact_fraction": t.contact_steps / t.sat_steps_alive if t.sat_steps_alive else float("nan"),
            "saa_fraction": t.in_saa_steps / t.sat_steps_alive if t.sat_steps_alive else float("nan"),
            "upsets": t.upsets * scale,
            "satellite_steps_alive_fraction": t.sat_steps_alive / (s.satellites * s.steps),
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
            "sun_fraction": float(np.asarray(comparison.orbital.sun_fraction)),
            "availability": avg_avail,
            "delivered_gpu_hours": avg_gpu_h,
            "replacement": str(v["replacement"]),
        },
        "lcoc": {
            "averaged_usd_per_gpu_hour": _scalar(o.lcoc_usd_per_gpu_hour),
            "simulated_usd_per_gpu_hour": lcoc_sim["lcoc_usd_per_gpu_hour"],
            "averaged_lcoe_usd_per_mwh": _scalar(o.lcoe_usd_per_mwh),
            "simulated_lcoe_usd_per_mwh": lcoc_sim["lcoe_usd_per_mwh"],
            "averaged_mission_gpu_hours": _scalar(o.delivered_gpu_hours),
            "simulated_mission_gpu_hours": lcoc_sim["delivered_gpu_hours"],
            "energy_ratio_by_year": ratio * delivered_fraction,
            "terrestrial_usd_per_gpu_hour": _scalar(comparison.terrestrial.lcoc_usd_per_gpu_hour),
        },
    }

