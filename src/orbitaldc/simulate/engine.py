"""The chunked runner: propagate, light, power, heat, fail and link a constellation sample.

Time is processed in chunks of at most ``chunk_sat_steps`` satellite-steps; each chunk is
vectorized over satellites and time except the battery/thermal/restart state, which is a
recursion over time stepped on arrays of satellites. Every chunk's constellation-level series
is written as one Parquet part (``series/part-NNNNN.parquet``) and then dropped, so memory stays
bounded for any duration. Randomness comes from ``numpy.random.SeedSequence([seed, ...])``
streams fixed by the seed and the chunk index, so a seeded run is reproducible bit for bit.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY, SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate import faults, links, power, propagate, thermal
from orbitaldc.simulate.layout import Elements, walker_delta

#: Default chunk size [satellite-steps]; about 12 MB per (N, T, 3) float64 array.
CHUNK_SAT_STEPS = 500_000
#: Failure times beyond this many years are treated as "never" in the searchsorted count (runs
#: last at most 100 years, sim_days <= 36525); small, so that the per-satellite offsets keep
#: float64 resolution near a second even for 100,000 satellites.
_NEVER_YR = 1.0e3

SERIES_COLUMNS = (
    "time", "sunlit_fraction", "satellites_alive", "array_power_w", "load_power_w", "battery_soc",
    "temperature_k", "die_temperature_max_k", "active_gpus", "compute_power_w", "shortfall_w",
    "throttle_loss_w", "restart_loss_w", "upsets", "in_saa", "in_contact", "downlink_bytes",
)


@dataclass
class Design:
    """Per-satellite design quantities derived from the scenario (sample-level, SI units)."""

    rated_power_w: float
    load_w: float
    compute_w: float
    bus_w: float
    gpus: int
    battery_capacity_j: float
    battery_minimum_j: float
    radiator_area_m2: float
    heat_capacity_j_per_k: float
    checkpoint_interval_s: float
    checkpoint_overhead: float


@dataclass
class Setup:
    """Everything a run needs, validated: values, layout, design, counts and times."""

    values: Mapping[str, Any]
    satellites: int
    constellation_satellites: float
    step_s: float
    steps: int
    start_jd: float
    design: Design
    elements: Elements | None = None
    satrecs: list | None = None
    tle_names: tuple[str, ...] = ()
    layout: str = ""
    planes: int = 1
    quiet_upsets_per_gpu_s: float = 0.0  # upset rate outside the SAA (set by :func:`run`)

    @property
    def sample_fraction(self) -> float:
        return self.satellites / self.constellation_satellites

    @property
    def duration_s(self) -> float:
        return self.steps * self.step_s


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
    upsets: float = 0.0
    in_saa_steps: float = 0.0
    contact_steps: float = 0.0
    generated_bytes: float = 0.0
    downlinked_bytes: float = 0.0
    max_die_temperature_k: float = 0.0
    min_soc: float = 1.0
    compute_energy_by_year_j: dict[int, float] = field(default_factory=dict)
    seconds_by_year: dict[int, float] = field(default_factory=dict)


def _values_float(values: Mapping[str, Any], key: str) -> float:
    v = values[key]
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise ScenarioError(f"{key}: the simulation needs a single value, got an array of {v.size}")
        v = v.item()
    return float(v)


def design_for(values: Mapping[str, Any], sun_fraction: float | None = None) -> Design:
    """Per-satellite design: load, GPUs, battery, radiator and checkpointing.

    The satellite's constant load is what its array carries through the scenario's assumed
    sun fraction (``sun_fraction``, or the orbit-derived one the averaged model used) with battery losses (:func:`power.energy_balanced_load_w`); of that load a
    share ``bus_power_fraction / (1 + bus_power_fraction)`` is the bus (the fraction is relative
    to IT power), the rest compute in whole GPUs of ``gpu_power_w``. The battery holds
    ``sim_battery_storage_h`` of that load above its depth-of-discharge floor
    (``battery_max_depth``); the radiator rejects the full load at ``radiator_temperature_k`` in
    sunlight (:mod:`orbitaldc.physics.thermal`). Checkpoints follow Young/Daly for the job's
    interruption rate (GPU failures and orbit-average upsets).
    """
    from orbitaldc.physics import radiation
    from orbitaldc.physics import thermal as pthermal

    f = lambda k: _values_float(values, k)  # noqa: E731
    rated = f("satellite_power_w")
    s = f("sun_fraction") if sun_fraction is None else float(sun_fraction)
    load = float(power.energy_balanced_load_w(rated, s, f("battery_round_trip_efficiency")))
    compute = load / (1.0 + f("bus_power_fraction"))
    bus = load - compute
    gpus = max(1, int(round(compute / f("gpu_power_w"))))
    dod = f("battery_max_depth")
    capacity = f("sim_battery_storage_h") * 3600.0 * load / dod
    sun_abs, dark_abs = radiator_absorbed_w_per_m2(values)
    net = pthermal.radiator_net_flux_w_per_m2(f("radiator_temperature_k"), f("radiator_emissivity"), sun_abs,
                                              f("radiator_sides"), 0.0, f("radiator_view_factor_space"))
    area = float(pthermal.radiator_area_m2(load, net))
    upsets_per_gpu_s = upset_rate_per_gpu_s(values)
    hazard_gpu = -math.log1p(-f("gpu_failure_per_yr")) / SECONDS_PER_JULIAN_YEAR
    rate = gpus * (upsets_per_gpu_s + hazard_gpu)
    if rate > 0:
        interval = float(radiation.young_daly_interval_s(f("checkpoint_cost_s"), 1.0 / rate))
    else:
        interval = math.inf
    overhead = float(faults.checkpoint_write_fraction(f("checkpoint_cost_s"), interval))
    return Design(rated, load, compute, bus, gpus, capacity, (1.0 - dod) * capacity, area,
                  f("sim_heat_capacity_j_per_k_per_w") * load, interval, overhead)


def radiator_absorbed_w_per_m2(values: Mapping[str, Any]) -> tuple[float, float]:
    """Environmental flux absorbed per radiator area in full sun and in eclipse [W/m2]."""
    from orbitaldc.physics.thermal import absorbed_environment_flux_w_per_m2

    f = lambda k: _values_float(values, k)  # noqa: E731

    def absorbed(solar):
        return float(absorbed_environment_flux_w_per_m2(
            f("radiator_absorptivity"), f("radiator_emissivity"), solar, f("earth_albedo"), f("earth_ir_w_per_m2"),
            f("radiator_view_factor_earth"), f("radiator_sun_incidence")))

    return absorbed(SOLAR_CONSTANT_W_PER_M2), absorbed(0.0)


def upset_rate_per_gpu_s(values: Mapping[str, Any]) -> float:
    """Orbit-average job-interrupting upsets per GPU per second (physics.toml rates).

    ``memory_bits_per_w x gpu_tdp_w`` bits (the GPU's own memory, 80 GB per 700 W for an H100)
    upset at ``upset_rate_per_bit_day``, of which
    ``uncorrected_upset_fraction`` escape ECC (:func:`orbitaldc.physics.radiation.upsets_per_day`).
    """
    from orbitaldc.physics.radiation import upsets_per_day

    f = lambda k: _values_float(values, k)  # noqa: E731
    per_day = upsets_per_day(f("memory_bits_per_w") * f("gpu_tdp_w"), f("upset_rate_per_bit_day"))
    return float(per_day) * f("uncorrected_upset_fraction") / SECONDS_PER_DAY


def start_julian_date(values: Mapping[str, Any]) -> float:
    """Julian date of the run's start: 1 January of ``mission_start_year`` + ``sim_start_day``."""
    from orbitaldc.physics.orbit import julian_date

    return float(julian_date(int(_values_float(values, "mission_start_year")), 1, 1)) + _values_float(values, "sim_start_day")


def build_setup(values: Mapping[str, Any], constellation_satellites: float, tle_path: str | Path | None = None,
                sun_fraction: float | None = None) -> Setup:
    """Validate the run's settings and lay out the simulated sample.

    Parameters
    ----------
    values : mapping
        Complete scenario values (``Scenario.values``), single point.
    constellation_satellites : float
        Satellites in the whole constellation (``satellite_count`` of the averaged model); the
        sample is at most this large and its results are scaled up by the ratio.
    tle_path : str or Path, optional
        Two-line element file; then the sample is its first satellites, propagated with SGP4.
    sun_fraction : float, optional
        Sun fraction the design assumes (default ``values["sun_fraction"]``).

    Notes
    -----
    ``orbit_type = "leo"``: a Walker-delta shell ``inclination_rad: n/sim_planes/sim_phasing``;
    ``"sso"`` and ``"terminator"``: one sun-synchronous plane at the node of
    :func:`orbitaldc.physics.orbit.orbit_geometry`, satellites evenly spaced.
    """
    from orbitaldc.physics.orbit import orbit_geometry

    f = lambda k: _values_float(values, k)  # noqa: E731
    step = f("sim_step_s")
    steps = int(math.floor(f("sim_days") * SECONDS_PER_DAY / step + 1e-9))
    if steps < 1:
        raise ScenarioError(f"sim_days = {f('sim_days'):g} is shorter than one step of sim_step_s = {step:g} s")
    total = float(constellation_satellites)
    n = int(min(int(f("sim_satellites")), max(1, int(total))))
    design = design_for(values, sun_fraction)
    start = start_julian_date(values)
    if tle_path is not None:
        from orbitaldc.simulate.layout import read_tle

        tles = read_tle(tle_path, limit=n)
        return Setup(values, len(tles), max(total, len(tles)), step, steps, start, design,
                     satrecs=propagate.satrecs_from_tle(tles), tle_names=tuple(t[0] for t in tles),
                     layout="tle", planes=0)
    orbit_type = str(values["orbit_type"])
    inc, raan = (float(x) for x in orbit_geometry(orbit_type, f("altitude_m"), start, f("inclination_rad"),
                                                   f("ltan_h")))
    if orbit_type == "leo":
        planes = min(int(f("sim_planes")), n)
        n = (n // planes) * planes
        el = walker_delta(n, planes, min(int(f("sim_phasing")), planes - 1), inc, f("altitude_m"), start, raan)
        layout = "walker"
    else:
        planes = 1
        el = walker_delta(n, 1, 0, inc, f("altitude_m"), start, raan)
        layout = "sun_synchronous"
    setup = Setup(values, n, max(total, n), step, steps, start, design, elements=el, layout=layout, planes=planes)
    if values["sim_propagator"] == "sgp4":
        setup.satrecs = propagate.satrecs_from_elements(el)
    return setup


def _stream(seed: int, *key: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *key])))


def _failure_times(setup: Setup, seed: int):
    """GPU failure times (sorted per satellite) and satellite failure times [yr]."""
    v = setup.values
    f = lambda k: _values_float(v, k)  # noqa: E731
    rng = _stream(seed, 0)
    shape = f("sim_gpu_weibull_shape")
    scale = faults.weibull_scale_for_annual_failure_yr(f("gpu_failure_per_yr"), shape)
    gpu = faults.weibull_failure_times_yr(rng, shape, scale, (setup.satellites, setup.design.gpus))
    gpu = np.sort(np.minimum(gpu, _NEVER_YR), axis=1)
    sat = faults.weibull_failure_times_yr(rng, f("sim_satellite_weibull_shape"), f("sim_satellite_weibull_scale_yr"),
                                          setup.satellites)
    return gpu, sat


def _failed_count(sorted_fail_yr, t_yr):
    """``(N, T)`` number of failures at or before each time, by one flat searchsorted."""
    n, g = sorted_fail_yr.shape
    offset = 4.0 * _NEVER_YR * np.arange(n)[:, None]
    flat = (sorted_fail_yr + offset).ravel()
    idx = np.searchsorted(flat, (t_yr[None, :] + offset).ravel(), side="right").reshape(n, t_yr.size)
    return idx - g * np.arange(n)[:, None]


def _propagate(setup: Setup, t_s, jd):
    if setup.satrecs is not None:
        return propagate.sgp4(setup.satrecs, jd)
    return propagate.kepler_j2(setup.elements, t_s)


def _cos_incidence(pointing: str, state, sun_unit):
    if pointing == "sun_tracking":
        return np.ones(state.position_m.shape[:2])
    sb = propagate.beta_sine(state.position_m, state.velocity_m_s, sun_unit[None, :, :])
    if pointing == "single_axis":
        return np.sqrt(np.clip(1.0 - sb * sb, 0.0, 1.0))
    return np.abs(sb)


def _in_saa(values, position_m, jd):
    f = lambda k: _values_float(values, k)  # noqa: E731
    lat, lon = propagate.geocentric_lat_lon(propagate.eci_to_ecef(position_m, propagate.gmst_rad(jd)))
    return faults.in_ellipse_region(lat, lon, f("sim_saa_center_lat_rad"), f("sim_saa_center_lon_rad"),
                                    f("sim_saa_half_lat_rad"), f("sim_saa_half_lon_rad"))


def saa_time_fraction(setup: Setup, days: float = 1.0, step_s: float = 60.0) -> float:
    """Share of satellite time inside the SAA over the first ``days`` (1-minute sampling).

    Used to split the orbit-average upset rate into inside/outside rates whose ratio is
    ``sim_saa_upset_factor``: ``r_out = r_avg / (1 + (F - 1) p_SAA)``.
    """
    t = np.arange(0.0, days * SECONDS_PER_DAY, step_s)
    jd = setup.start_jd + t / SECONDS_PER_DAY
    st = _propagate(setup, t, jd)
    inside = _in_saa(setup.values, st.position_m, jd) & st.ok
    return float(inside.sum() / max(st.ok.sum(), 1))


@dataclass
class ChunkResult:
    series: dict[str, np.ndarray]
    state: tuple


def run_chunk(setup: Setup, k0: int, k1: int, state: tuple, gpu_fail, sat_fail, stations, seed: int,
              chunk_index: int) -> ChunkResult:
    """Simulate steps ``k0 .. k1-1``; ``state`` = (battery J, node K, restart debt s, bus failures, backlog B)."""
    from orbitaldc.physics.orbit import shadow_fraction, sun_position_eci_m

    v = setup.values
    f = lambda k: _values_float(v, k)  # noqa: E731
    d = setup.design
    dt = setup.step_s
    n = setup.satellites
    t_s = np.arange(k0, k1, dtype=float) * dt
    jd = setup.start_jd + t_s / SECONDS_PER_DAY
    t_yr = t_s / SECONDS_PER_JULIAN_YEAR
    st = _propagate(setup, t_s, jd)
    sun = sun_position_eci_m(jd, of_date=True)  # (T, 3), mean equator and equinox of date, like TEME and GMST
    parked = np.where(st.ok[..., None], st.position_m, 2.0 * sun / np.linalg.norm(sun, axis=-1, keepdims=True)
                      * 1.0e7)  # decayed: park sunward (output is zeroed by ``alive`` anyway)
    illum = 1.0 - shadow_fraction(parked, sun[None, :, :])
    sun_unit = sun / np.linalg.norm(sun, axis=-1, keepdims=True)
    cos_inc = _cos_incidence(str(v["sim_array_pointing"]), st, sun_unit)
    t_arr = power.array_temperature_k(f("solar_operating_temperature_k"), cos_inc)

    rng = _stream(seed, 1, chunk_index)
    bus_events = rng.poisson(f("sim_bus_failure_per_yr") / SECONDS_PER_JULIAN_YEAR * dt, (n, t_s.size))
    battery_j, node_k, debt_s, bus_failures, backlog = state
    bus_count = bus_failures[:, None] + np.cumsum(bus_events, axis=1)
    health = (1.0 - f("sim_bus_failure_power_loss")) ** bus_count
    alive = st.ok & (t_yr[None, :] < sat_fail[:, None])
    # satellite_power_w is the array's output at its design operating temperature (the bottom-up
    # chain sizes the area with that temperature factor), so the step derates only for the
    # departure from it, not again from the cells' 25 C rating
    p_arr = power.array_power_w(d.rated_power_w, illum, cos_inc, f("cell_degradation_per_yr"), t_yr[None, :],
                                f("solar_temperature_coefficient_per_k"), t_arr,
                                f("solar_operating_temperature_k"), health) * alive

    failed = _failed_count(gpu_fail, t_yr)
    active = np.where(alive, d.gpus - failed, 0)
    before = _failed_count(gpu_fail, t_yr[:1] - dt / SECONDS_PER_JULIAN_YEAR) if k0 > 0 else np.zeros((n, 1), int)
    new_failures = np.diff(failed, axis=1, prepend=before)

    saa = _in_saa(v, st.position_m, jd) & alive
    rate = faults.upset_rate_per_s(setup.quiet_upsets_per_gpu_s * SECONDS_PER_JULIAN_YEAR, f("sim_saa_upset_factor"),
                                   saa, SECONDS_PER_JULIAN_YEAR)
    upsets = rng.poisson(rate * active * dt)
    loss_s = faults.restart_loss_s(rng, upsets + np.where(alive, new_failures, 0), d.checkpoint_interval_s,
                                   f("sim_restart_s"))

    # ---- the recursion over time (battery, thermal node, restart debt), on arrays of satellites
    dc_max = (d.compute_w * active / d.gpus).T.copy()
    bus_w = (d.bus_w * alive).T.copy()
    parr_t = p_arr.T.copy()
    sun_abs, dark_abs = radiator_absorbed_w_per_m2(v)
    q_env = (dark_abs + (sun_abs - dark_abs) * illum).T.copy()
    inc = loss_s.T.copy()
    cap = d.battery_capacity_j * health.T
    emin = d.battery_minimum_j * health.T
    eta_c = eta_d = math.sqrt(f("battery_round_trip_efficiency"))  # split evenly (physics.toml round trip)
    # rise at full load (the GPU's own TDP share of its IT power crosses the die-to-radiator
    # resistance; the rest is cooled elsewhere), scaled by the throttle below
    die_dt = f("die_to_radiator_k_per_w") * d.compute_w / d.gpus * f("gpu_tdp_w") / f("gpu_power_w")
    die_lim, band = f("sim_die_limit_k"), f("sim_throttle_band_k")
    eps = f("radiator_sides") * f("radiator_emissivity") * f("radiator_view_factor_space")
    area, heat_cap = d.radiator_area_m2, d.heat_capacity_j_per_k
    T = t_s.size
    soc = np.empty((T, n))
    temp = np.empty((T, n))
    served = np.empty((T, n))
    comp = np.empty((T, n))
    short = np.empty((T, n))
    thr_loss = np.empty((T, n))
    rst_loss = np.empty((T, n))
    thr_t = np.empty((T, n))
    for k in range(T):
        battery_j = np.minimum(battery_j, cap[k])
        thr = thermal.throttle_factor(node_k, die_dt, die_lim, band)
        want = dc_max[k] * thr
        demand = want + bus_w[k]
        step = power.battery_step(battery_j, parr_t[k] - demand, dt, cap[k], emin[k], eta_c, eta_d)
        battery_j = step.energy_j
        compute = np.maximum(want - step.shortfall_w, 0.0)
        debt_s = debt_s + inc[k]
        productive = np.clip(1.0 - debt_s / dt, 0.0, 1.0)
        debt_s = np.maximum(debt_s - dt, 0.0)
        heat = demand - step.shortfall_w
        node_k = thermal.lumped_node_step(node_k, heat, area, eps, q_env[k], heat_cap, dt)
        soc[k] = np.divide(battery_j, cap[k], out=np.zeros(n), where=cap[k] > 0)
        temp[k] = node_k
        served[k] = heat
        comp[k] = compute * productive
        short[k] = step.shortfall_w
        thr_loss[k] = dc_max[k] - want
        thr_t[k] = thr
        rst_loss[k] = compute * (1.0 - productive)
    useful = comp * (1.0 - d.checkpoint_overhead)  # (T, n) compute power doing useful work

    # ---- links: results produced, link capacity, store-and-forward delivery
    generated = (useful * dt * f("workload_bits_per_j") / 8.0).T  # (n, T) bytes of results
    vis = links.visibility(st.position_m, propagate.gmst_rad(jd), stations, f("min_elevation_rad")) & alive[..., None]
    cap_bps = links.downlink_capacity_bps(vis, f("downlink_rate_bps"), int(f("sim_links_per_station")),
                                          setup.sample_fraction, str(v["sim_relay"]))
    cap_b = cap_bps * dt / 8.0
    if v["sim_relay"] == "isl":
        sent, left = links.deliver_results(generated.sum(axis=0, keepdims=True), cap_b.sum(axis=0, keepdims=True),
                                           backlog)
        sent_step = sent[0]
    else:
        sent, left = links.deliver_results(generated, cap_b, backlog)
        sent_step = sent.sum(axis=0)

    alive_t = alive.T
    n_alive = alive_t.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        series = {
            "sunlit_fraction": np.where(n_alive > 0, (illum.T * alive_t).sum(axis=1) / n_alive, np.nan),
            "satellites_alive": n_alive.astype(np.int64),
            "array_power_w": p_arr.sum(axis=0),
            "load_power_w": served.sum(axis=1),
            "battery_soc": np.where(n_alive > 0, (soc * alive_t).sum(axis=1) / n_alive, np.nan),
            "temperature_k": np.where(n_alive > 0, (temp * alive_t).sum(axis=1) / n_alive, np.nan),
            "die_temperature_max_k": np.where(alive_t, temp + die_dt * thr_t, -np.inf).max(axis=1),
            "active_gpus": active.sum(axis=0).astype(np.int64),
            "compute_power_w": useful.sum(axis=1),
            "shortfall_w": short.sum(axis=1),
            "throttle_loss_w": thr_loss.sum(axis=1),
            "restart_loss_w": rst_loss.sum(axis=1),
            "upsets": upsets.sum(axis=0).astype(np.int64),
            "in_saa": saa.sum(axis=0).astype(np.int64),
            "in_contact": vis.any(axis=-1).sum(axis=0).astype(np.int64),
            "downlink_bytes": sent_step,
            "_generated_bytes": generated.sum(axis=0),
            "_checkpoint_w": (comp * d.checkpoint_overhead).sum(axis=1),
            "_illum_alive": (illum.T * alive_t).sum(axis=1),
        }
    series["die_temperature_max_k"] = np.where(np.isfinite(series["die_temperature_max_k"]),
                                               series["die_temperature_max_k"], np.nan)
    series["_t_s"] = t_s
    return ChunkResult(series, (battery_j, node_k, debt_s, bus_count[:, -1], left))


def initial_state(setup: Setup, stations_count: int) -> tuple:
    d = setup.design
    n = setup.satellites
    backlog = np.zeros(1 if setup.values["sim_relay"] == "isl" else n)
    return (np.full(n, d.battery_capacity_j), np.full(n, _values_float(setup.values, "radiator_temperature_k")),
            np.zeros(n), np.zeros(n, dtype=np.int64), backlog)


def _accumulate(tot: Totals, s: Mapping[str, np.ndarray], dt: float) -> None:
    tot.sat_steps_alive += float(s["satellites_alive"].sum())
    tot.illumination += float(s["_illum_alive"].sum())
    tot.array_energy_j += float(s["array_power_w"].sum() * dt)
    tot.compute_energy_j += float(s["compute_power_w"].sum() * dt)
    tot.shortfall_energy_j += float(s["shortfall_w"].sum() * dt)
    tot.throttle_energy_j += float(s["throttle_loss_w"].sum() * dt)
    tot.restart_energy_j += float(s["restart_loss_w"].sum() * dt)
    tot.checkpoint_energy_j += float(s["_checkpoint_w"].sum() * dt)
    tot.upsets += float(s["upsets"].sum())
    tot.in_saa_steps += float(s["in_saa"].sum())
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


def _write_part(series: Mapping[str, np.ndarray], start_jd: float, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # time as integer nanoseconds since the Unix epoch (JD 2440587.5), exact for 1 s steps
    ns = np.round((start_jd - 2440587.5) * SECONDS_PER_DAY * 1e9).astype(np.int64) + np.round(
        series["_t_s"] * 1e9).astype(np.int64)
    cols = {"time": pa.array(ns, type=pa.timestamp("ns", tz="UTC"))}
    for name in SERIES_COLUMNS[1:]:
        cols[name] = pa.array(series[name])
    tmp = path.with_suffix(".parquet.tmp")
    pq.write_table(pa.table(cols), tmp, compression="zstd")
    os.replace(tmp, path)


@dataclass
class RunResult:
    """What :func:`run` returns: the setup, totals and where the series went."""

    setup: Setup
    totals: Totals
    series_dir: Path | None
    parts: int
    stations: tuple[str, ...]
    seed: int


def run(setup: Setup, seed: int = 0, out_dir: str | Path | None = None, progress: bool = False,
        chunk_sat_steps: int = CHUNK_SAT_STEPS, on_chunk: Callable[[Mapping[str, np.ndarray]], None] | None = None) -> RunResult:
    """Run the simulation in chunks; write Parquet parts under ``out_dir/series`` if given.

    Parameters
    ----------
    setup : Setup
        From :func:`build_setup`.
    seed : int
        Seed of every random stream (failures, bus events, upsets, rollbacks).
    out_dir : str or Path, optional
        Output folder; ``series/part-NNNNN.parquet`` are (re)written there.
    progress : bool
        Show a progress bar on stderr (satellite-steps).
    chunk_sat_steps : int
        Satellite-steps per chunk (memory bound).
    on_chunk : callable, optional
        Called with each chunk's series (tests, plots).
    """
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ScenarioError(f"seed = {seed!r}: expected a whole number >= 0")
    stations = links.load_network(str(setup.values["sim_ground_network"]))
    gpu_fail, sat_fail = _failure_times(setup, seed)
    factor = _values_float(setup.values, "sim_saa_upset_factor")
    setup.quiet_upsets_per_gpu_s = upset_rate_per_gpu_s(setup.values) / (1.0 + (factor - 1.0) * saa_time_fraction(setup))
    state = initial_state(setup, len(stations.names))
    per_chunk = max(1, int(chunk_sat_steps) // setup.satellites)
    series_dir = None
    if out_dir is not None:
        series_dir = Path(out_dir) / "series"
        series_dir.mkdir(parents=True, exist_ok=True)
        for old in series_dir.glob("part-*.parquet"):
            old.unlink()
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
            res = run_chunk(setup, k0, k1, state, gpu_fail, sat_fail, stations, seed, ci)
            state = res.state
            _accumulate(totals, res.series, setup.step_s)
            if series_dir is not None:
                _write_part(res.series, setup.start_jd, series_dir / f"part-{ci:05d}.parquet")
                parts += 1
            if on_chunk is not None:
                on_chunk(res.series)
            if bar is not None:
                bar.update((k1 - k0) * setup.satellites)
    finally:
        if bar is not None:
            bar.close()
    return RunResult(setup, totals, series_dir, parts, stations.names, int(seed))
