"""One chunk of time steps: its inputs, the NumPy reference step, and the links that follow.

A chunk covers steps ``k0 .. k1-1`` of every simulated satellite. :func:`chunk_inputs` draws
everything random and everything that depends on time only; :func:`numpy_chunk` (the reference
implementation, vectorized over satellites and time except the battery/thermal/restart
recursion) and :func:`orbitaldc.simulate.kernel.compiled_chunk` (the same steps fused and
compiled with numba) turn them into per-step sums over satellites; :func:`finish_chunk`
delivers the results through the ground links and assembles the series.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from orbitaldc.constants import EARTH_RADIUS_M, SECONDS_PER_DAY, SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.simulate import faults, links, propagate
from orbitaldc.simulate.design import values_float
from orbitaldc.simulate.plan import Setup

#: Array pointing modes (``sim_array_pointing``) by code, as the compiled kernel reads them.
POINTING = ("sun_tracking", "single_axis", "orbit_normal")
#: Per-step sums over satellites that every chunk path returns (``(T,)`` arrays).
SUMS = ("illum_alive", "satellites_alive", "array_power_w", "load_power_w", "soc_alive", "temperature_alive",
        "die_temperature_max_k", "active_gpus", "compute_power_w", "shortfall_w", "throttle_loss_w",
        "restart_loss_w", "checkpoint_w", "interruptions", "in_contact")


class TwinState(NamedTuple):
    """State carried from chunk to chunk, one entry per satellite."""

    battery_j: np.ndarray
    node_k: np.ndarray
    debt_s: np.ndarray
    bus_failures: np.ndarray
    backlog_b: np.ndarray  #: results waiting aboard [bytes] (one pooled entry with ISL relay)


@dataclass(frozen=True)
class Constants:
    """Per-run arrays and numbers both chunk paths read (drawn or derived once per run)."""

    gpu_fail_yr: np.ndarray  #: ``(N, G)`` sorted GPU failure times [yr]
    sat_fail_yr: np.ndarray  #: ``(N,)`` satellite failure times [yr]
    station_ecef_m: np.ndarray  #: ``(S, 3)``
    station_up: np.ndarray  #: ``(S, 3)`` geodetic vertical
    stations_lat_rad: np.ndarray
    stations_lon_rad: np.ndarray
    array_coefficient_w: float  #: ``A S eta_cell packing`` [W]


@dataclass(frozen=True)
class ChunkInputs:
    """Times, sun, Earth rotation, degradation and random draws of one chunk."""

    k0: int
    t_s: np.ndarray  #: ``(T,)`` seconds since the start
    jd: np.ndarray  #: ``(T,)`` Julian dates
    t_yr: np.ndarray  #: ``(T,)`` years since the start
    sun_m: np.ndarray  #: ``(T, 3)`` sun position, mean equator and equinox of date
    sun_end_m: np.ndarray  #: ``(3,)`` sun position at the last step's end (``t_s[-1] + dt``)
    gmst_rad: np.ndarray  #: ``(T,)``
    degradation: np.ndarray  #: ``(T,)`` remaining array output ``(1 - d)^t``
    irradiance: np.ndarray  #: ``(T,)`` sunlight relative to 1 AU, ``(1 AU / r)^2``
    interrupts: faults.Events  #: candidate node interruptions at the inside-SAA rate (thinned)
    bus: faults.Events  #: non-fatal bus failures


class ChunkSums(NamedTuple):
    """What a chunk path returns: per-step sums, the results to deliver and the new state."""

    sums: dict
    generated_b: np.ndarray  #: ``(N, T)`` (direct relay) or ``(1, T)`` (ISL) result bytes
    capacity_b: np.ndarray  #: same shape: bytes the links can carry
    state: TwinState


def stream(seed: int, *key: int) -> np.random.Generator:
    """The random stream fixed by the seed and a key (PCG64 from a SeedSequence).

    Parameters
    ----------
    seed : int
        Run seed.
    *key : int
        Stream key (0: failure times; 1, chunk: a chunk's draws).

    Returns
    -------
    numpy.random.Generator

    References
    ----------
    .. [1] M. E. O'Neill, "PCG: a family of simple fast space-efficient statistically good
       algorithms for random number generation", HMC-CS-2014-0905 (2014).
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([int(seed), *key])))


def constants(setup: Setup, seed: int, stations: links.Stations) -> Constants:
    """Draw the failure times and derive the per-run numbers of both chunk paths.

    Parameters
    ----------
    setup : Setup
        The run.
    seed : int
        Seed; failure times come from stream ``(seed, 0)`` so chunking cannot change them.
    stations : links.Stations
        Ground stations.

    Returns
    -------
    Constants

    References
    ----------
    .. [1] P. D. T. O'Connor, *Practical Reliability Engineering*, 5th ed., sec. 2.6 (Weibull).
    """
    v = setup.values
    f = lambda k: values_float(v, k)  # noqa: E731
    d = setup.design
    rng = stream(seed, 0)
    shape = f("sim_gpu_weibull_shape")
    scale = faults.weibull_scale_for_annual_failure_yr(f("gpu_failure_per_yr"), shape)
    gpu = faults.weibull_failure_times_yr(rng, shape, scale, (setup.satellites, d.gpus))
    if d.gpus_replaced:  # replaced as they fail (the averaged model keeps the capacity and charges it)
        gpu = np.full_like(gpu, np.inf)
    gpu = np.sort(np.minimum(gpu, NEVER_YR), axis=1)
    sat = faults.weibull_failure_times_yr(rng, f("sim_satellite_weibull_shape"), f("sim_satellite_weibull_scale_yr"),
                                          setup.satellites)
    st = links.geodetic_to_ecef_m(stations.lat_rad, stations.lon_rad, stations.height_m).reshape(-1, 3)
    up = np.stack([np.cos(stations.lat_rad) * np.cos(stations.lon_rad),
                   np.cos(stations.lat_rad) * np.sin(stations.lon_rad), np.sin(stations.lat_rad)], axis=-1).reshape(-1, 3)
    coefficient = d.array_area_m2 * SOLAR_CONSTANT_W_PER_M2 * f("solar_cell_efficiency") * f("solar_packing_factor")
    return Constants(gpu, np.minimum(sat, NEVER_YR), st, up, np.asarray(stations.lat_rad, dtype=float),
                     np.asarray(stations.lon_rad, dtype=float), float(coefficient))


#: Failure times beyond this many years count as "never" (runs last at most 100 years); small,
#: so that the per-satellite offsets of :func:`failed_count` keep float64 resolution.
NEVER_YR = 1.0e3


def initial_state(setup: Setup) -> TwinState:
    """Full batteries, nodes at the radiator's design temperature, no debt, no failures.

    Parameters
    ----------
    setup : Setup
        The run.

    Returns
    -------
    TwinState

    References
    ----------
    .. [1] The shared design's battery capacity and radiator temperature
       (:mod:`orbitaldc.simulate.design`).
    """
    n = setup.satellites
    backlog = np.zeros(1 if setup.values["sim_relay"] == "isl" else n)
    return TwinState(np.full(n, setup.design.battery_capacity_j),
                     np.full(n, values_float(setup.values, "radiator_temperature_k")), np.zeros(n),
                     np.zeros(n, dtype=np.int64), backlog)


def chunk_inputs(setup: Setup, k0: int, k1: int, seed: int, chunk_index: int) -> ChunkInputs:
    """Times, sun, GMST, degradation and the chunk's random events (stream ``(seed, 1, chunk)``).

    Parameters
    ----------
    setup : Setup
        The run.
    k0, k1 : int
        Steps ``k0 .. k1-1``.
    seed, chunk_index : int
        Seed and chunk number.

    Returns
    -------
    ChunkInputs

    References
    ----------
    .. [1] Montenbruck & Gill (2000), sec. 3.3.2 (sun); Vallado, 4th ed., sec. 3.5.1 (GMST).
    """
    from orbitaldc.physics.orbit import irradiance_factor, sun_position_eci_m
    from orbitaldc.physics.solar import life_degradation

    edges_s = np.arange(k0, k1 + 1, dtype=float) * setup.step_s  # the steps' starts and the last one's end
    t_s = edges_s[:-1]
    jd = setup.start_jd + t_s / SECONDS_PER_DAY
    sun = sun_position_eci_m(setup.start_jd + edges_s / SECONDS_PER_DAY, of_date=True)
    t_yr = t_s / SECONDS_PER_JULIAN_YEAR
    rng = stream(seed, 1, chunk_index)
    bus_rate = values_float(setup.values, "sim_bus_failure_per_yr") / SECONDS_PER_JULIAN_YEAR
    bus = faults.poisson_events(rng, bus_rate, setup.step_s, setup.satellites, t_s.size)
    interrupts = faults.poisson_events(rng, setup.interrupts.inside_per_s, setup.step_s, setup.satellites, t_s.size)
    return ChunkInputs(k0, t_s, jd, t_yr, sun[:-1], sun[-1], propagate.gmst_rad(jd),
                       np.asarray(life_degradation(values_float(setup.values, "cell_degradation_per_yr"), t_yr),
                                  dtype=float), irradiance_factor(jd), interrupts, bus)


def failed_count(sorted_fail_yr, t_yr):
    """``(N, T)`` number of failures at or before each time, by one flat searchsorted.

    Parameters
    ----------
    sorted_fail_yr : ndarray
        ``(N, G)`` failure times sorted per row, at most :data:`NEVER_YR` [yr].
    t_yr : ndarray
        ``(T,)`` times [yr], below :data:`NEVER_YR`.

    Returns
    -------
    ndarray of int

    References
    ----------
    .. [1] NumPy ``searchsorted`` on one flat array with per-row offsets (rows never overlap).
    """
    n, g = sorted_fail_yr.shape
    offset = (2.0 * NEVER_YR) * np.arange(n)[:, None]
    flat = (sorted_fail_yr + offset).ravel()
    idx = np.searchsorted(flat, (t_yr[None, :] + offset).ravel(), side="right").reshape(n, t_yr.size)
    return idx - g * np.arange(n)[:, None]


def positions(setup: Setup, ci: ChunkInputs, ends: bool = False) -> propagate.State:
    """Satellite positions and velocities of the chunk, ``(N, T, 3)``.

    Parameters
    ----------
    setup : Setup
        The run.
    ci : ChunkInputs
        The chunk's times.
    ends : bool
        Also at the last step's end (``(N, T + 1, 3)``): every step's start and end.

    Returns
    -------
    propagate.State

    References
    ----------
    .. [1] Vallado, 4th ed., sec. 9.6 (Kepler + J2); Vallado et al., AIAA 2006-6753 (SGP4).
    """
    t_s, jd = ci.t_s, ci.jd
    if ends:
        t_s = np.append(t_s, t_s[-1] + setup.step_s)
        jd = np.append(jd, setup.start_jd + t_s[-1] / SECONDS_PER_DAY)
    if setup.satrecs is not None:
        return propagate.sgp4(setup.satrecs, jd, setup.names, setup.source)
    return propagate.kepler_j2(setup.elements, t_s)


def cos_incidence(pointing: str, state: propagate.State, sun_unit):
    """Cosine of the sun's incidence on the array, ``(N, T)`` (see :data:`POINTING`).

    ``sun_tracking`` 1; ``single_axis`` (axis normal to the orbit plane) ``cos(beta)``;
    ``orbit_normal`` ``|sin(beta)|`` (SMAD 3rd ed., sec. 11.4).

    Parameters
    ----------
    pointing : str
        ``sim_array_pointing``.
    state : propagate.State
        ``(N, T, 3)`` positions and velocities.
    sun_unit : ndarray
        ``(T, 3)`` unit vectors to the sun.

    Returns
    -------
    ndarray
        ``(N, T)`` cosine [-].

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed., sec. 11.4.
    """
    if pointing == "sun_tracking":
        return np.ones(state.position_m.shape[:2])
    sb = propagate.beta_sine(state.position_m, state.velocity_m_s, sun_unit[None, :, :])
    if pointing == "single_axis":
        return np.sqrt(np.clip(1.0 - sb * sb, 0.0, 1.0))
    return np.abs(sb)


def in_saa(values, position_m, gmst_rad):
    """Whether inertial positions ``(N, T, 3)`` lie inside the SAA ellipse (``sim_saa_*``).

    Parameters
    ----------
    values : mapping
        Scenario values (``sim_saa_*``).
    position_m : ndarray
        ``(N, T, 3)`` inertial positions [m].
    gmst_rad : ndarray
        ``(T,)`` sidereal angle [rad].

    Returns
    -------
    ndarray of bool
        ``(N, T)``.

    References
    ----------
    .. [1] J. R. Heirtzler, J. Atmos. Sol.-Terr. Phys. 64 (2002), fig. 1.
    """
    f = lambda k: values_float(values, k)  # noqa: E731
    lat, lon = propagate.geocentric_lat_lon(propagate.eci_to_ecef(position_m, gmst_rad))
    return faults.in_ellipse_region(lat, lon, f("sim_saa_center_lat_rad"), f("sim_saa_center_lon_rad"),
                                    f("sim_saa_half_lat_rad"), f("sim_saa_half_lon_rad"))


class Rings(NamedTuple):
    """The constellation's planes, evenly filled, over a chunk (:func:`rings`)."""

    raan_start_rad: np.ndarray  #: ``(P,)`` node of each plane at the run's start
    raan_rate_rad_s: np.ndarray  #: ``(P,)`` its drift (J2)
    inclination_rad: np.ndarray  #: ``(P,)``
    per_plane: np.ndarray  #: ``(P,)`` constellation satellites in each plane
    cos_lambda: np.ndarray  #: ``(P,)`` cosine of the visibility circle's Earth central angle


def rings(setup: Setup, ci: ChunkInputs) -> Rings | None:
    """The planes of a layout sample smaller than its constellation, filled to the constellation.

    Parameters
    ----------
    setup : Setup
        The run.
    ci : ChunkInputs
        The chunk's times.

    Returns
    -------
    Rings or None
        The constellation fills the sample's planes evenly: ``C n_p / N`` satellites in a plane
        that holds ``n_p`` of the ``N`` sampled, nodes drifting at the J2 rate; the visibility
        circle from the plane's altitude and ``min_elevation_rad``. None for a TLE sample or a
        sample that is the whole constellation (the sample's own count is then used).

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 5.1, eq. 5-15 to 5-17 (visibility circle).
    """
    from orbitaldc.physics.comms import earth_central_angle_rad

    el = setup.elements
    if el is None or setup.satellites >= setup.constellation_satellites:
        return None
    raan_dot, _ = propagate.circular_rates(el)
    keys, _, count = np.unique(np.stack([el.raan_rad, raan_dot, el.inclination_rad, el.semi_major_axis_m]), axis=1,
                               return_inverse=True, return_counts=True)
    lam = earth_central_angle_rad(keys[3] - EARTH_RADIUS_M, values_float(setup.values, "min_elevation_rad"))
    return Rings(keys[0], keys[1], keys[2], count * setup.constellation_satellites / setup.satellites, np.cos(lam))


def station_directions(const: Constants) -> np.ndarray:
    """``(S, 3)`` geocentric unit vectors of the stations, Earth-fixed."""
    return const.station_ecef_m / np.linalg.norm(const.station_ecef_m, axis=-1, keepdims=True)


def in_view(setup: Setup, ci: ChunkInputs, const: Constants, seen) -> np.ndarray:
    """Satellites of the whole constellation in view of each station, ``(T, S)``.

    Parameters
    ----------
    setup : Setup
        The run.
    ci : ChunkInputs
        The chunk's times.
    const : Constants
        Station positions.
    seen : array_like
        ``(T, S)`` simulated satellites that see each station.

    Returns
    -------
    ndarray
        :func:`links.ring_in_view` of the :func:`rings`; without rings ``seen / f``.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed. (1999), sec. 5.1 (visibility circle).
    """
    seen = np.asarray(seen, dtype=float)
    ring = rings(setup, ci)
    if ring is None or seen.shape[-1] == 0:
        return seen / setup.sample_fraction
    raan = ring.raan_start_rad[:, None] + ring.raan_rate_rad_s[:, None] * ci.t_s[None, :]
    si, co = np.sin(ring.inclination_rad)[:, None], np.cos(ring.inclination_rad)[:, None]
    normals = np.stack([np.sin(raan) * si, -np.cos(raan) * si, np.broadcast_to(co, raan.shape)], axis=-1)
    g = station_directions(const)
    c, s = np.cos(ci.gmst_rad)[:, None], np.sin(ci.gmst_rad)[:, None]
    dirs = np.stack([c * g[:, 0] - s * g[:, 1], s * g[:, 0] + c * g[:, 1], np.broadcast_to(g[:, 2], (c.size, g.shape[0]))],
                    axis=-1)
    return links.ring_in_view(normals, ring.per_plane, ring.cos_lambda, dirs)


def numpy_chunk(setup: Setup, ci: ChunkInputs, state: TwinState, const: Constants,
                stations: links.Stations) -> ChunkSums:
    """The reference step: vectorized physics, then the recursion over time on satellite arrays.

    Parameters
    ----------
    setup : Setup
        The run (``setup.interrupts`` set).
    ci : ChunkInputs
        The chunk's times and draws.
    state : TwinState
        State at the chunk's start.
    const : Constants
        Per-run arrays.
    stations : links.Stations
        Ground stations.

    Returns
    -------
    ChunkSums

    Notes
    -----
    Per satellite and step: sunlight ``S (1 AU / r)^2`` (the sun's distance of the day),
    illumination, the share of the step in sunlight
    (:func:`orbitaldc.physics.eclipse.mean_sunlit_fraction` of the conical shadow coordinate at the
    step's two ends, interpolated across it: an eclipse's edges to ``O(dt^2)``), array power
    :func:`orbitaldc.physics.solar.array_power_w` at the thin-plate temperature, health
    ``(1 - loss)^bus failures``; active GPUs; node interruptions (Poisson at the SAA-dependent
    rate times the active share of the node, thinned from the inside rate) cost
    :func:`faults.interrupt_loss_s` each; then the recursion :func:`orbitaldc.physics.thermal.throttle_factor`,
    :func:`orbitaldc.physics.battery.battery_step`, :func:`faults.restart_debt_step`,
    :func:`orbitaldc.physics.thermal.lumped_node_step`.

    References
    ----------
    .. [1] Wertz & Larson, *SMAD*, 3rd ed., sec. 11.4 (power), 11.5 (thermal).
    """
    from orbitaldc.physics.battery import battery_step
    from orbitaldc.physics.eclipse import mean_sunlit_fraction, shadow_coordinate
    from orbitaldc.physics.solar import array_power_w, array_temperature_k, temperature_factor
    from orbitaldc.physics.thermal import lumped_node_step, throttle_factor

    v = setup.values
    f = lambda k: values_float(v, k)  # noqa: E731
    d = setup.design
    dt = setup.step_s
    n, steps = setup.satellites, ci.t_s.size
    ends = positions(setup, ci, ends=True)
    x = shadow_coordinate(ends.position_m, np.vstack([ci.sun_m, ci.sun_end_m[None, :]])[None, :, :])
    illum = mean_sunlit_fraction(x[:, :-1], x[:, 1:])
    st = propagate.State(ends.position_m[:, :-1], ends.velocity_m_s[:, :-1])
    sun_unit = ci.sun_m / np.linalg.norm(ci.sun_m, axis=-1, keepdims=True)
    cos_inc = cos_incidence(str(v["sim_array_pointing"]), st, sun_unit)
    t_arr = array_temperature_k(f("solar_operating_temperature_k"), cos_inc)
    bus_count = state.bus_failures[:, None] + np.cumsum(faults.event_counts(ci.bus, n, steps), axis=1)
    health = (1.0 - f("sim_bus_failure_power_loss")) ** bus_count
    alive = ci.t_yr[None, :] < const.sat_fail_yr[:, None]
    factor = temperature_factor(t_arr, f("solar_reference_temperature_k"), f("solar_temperature_coefficient_per_k"))
    p_arr = array_power_w(d.array_area_m2, f("solar_cell_efficiency"), f("solar_packing_factor"),
                          SOLAR_CONSTANT_W_PER_M2 * ci.irradiance[None, :] * illum, factor, ci.degradation[None, :],
                          cos_inc) * health * alive

    active = np.where(alive, d.gpus - failed_count(const.gpu_fail_yr, ci.t_yr), 0)
    rates = setup.interrupts
    ev = ci.interrupts
    saa = in_saa(v, st.position_m[ev.satellite, ev.step][None], ci.gmst_rad[ev.step])[0]
    rate = np.where(saa, rates.inside_per_s, rates.outside_per_s)
    hit = faults.accepted(ev, rates.inside_per_s, rate, active[ev.satellite, ev.step], d.gpus)
    hits = faults.Events(*(x[hit] for x in ev))
    interruptions = faults.event_counts(hits, n, steps)
    loss_s = faults.event_counts(hits, n, steps, faults.interrupt_loss_s(hits.rollback_u, d.checkpoint_interval_s,
                                                                         d.restart_s))

    # ---- the recursion over time (battery, thermal node, restart debt), on arrays of satellites
    dc_max = d.compute_w * active / d.gpus
    q_env = d.absorbed_eclipse_w_per_m2 + (d.absorbed_sun_w_per_m2 - d.absorbed_eclipse_w_per_m2) * illum
    cap, emin = d.battery_capacity_j * health, d.battery_minimum_j * health
    eta = np.sqrt(f("battery_round_trip_efficiency"))  # split evenly between charge and discharge
    lim, band = f("sim_die_limit_k"), f("sim_throttle_band_k")
    battery_j, node_k, debt_s = state.battery_j, state.node_k, state.debt_s
    out = {k: np.empty((n, steps)) for k in ("soc", "temp", "served", "comp", "short", "want", "thr", "rst")}
    for k in range(steps):
        thr = throttle_factor(node_k, d.die_rise_k, lim, band)
        want = dc_max[:, k] * thr
        demand = want + d.bus_w * alive[:, k]
        battery_j, short = battery_step(battery_j, p_arr[:, k] - demand, dt, cap[:, k], emin[:, k], eta, eta)
        compute = np.maximum(want - short, 0.0)
        debt_s, productive = faults.restart_debt_step(debt_s, loss_s[:, k], dt)
        heat = demand - short
        node_k = lumped_node_step(node_k, heat, d.radiator_area_m2, d.emittance, q_env[:, k], d.heat_capacity_j_per_k, dt)
        out["soc"][:, k] = np.divide(battery_j, cap[:, k], out=np.zeros(n), where=cap[:, k] > 0)
        out["temp"][:, k] = node_k
        out["served"][:, k] = heat
        out["comp"][:, k] = compute * productive
        out["short"][:, k] = short
        out["want"][:, k] = want
        out["thr"][:, k] = thr
        out["rst"][:, k] = compute * (1.0 - productive)
    useful = out["comp"] * (1.0 - d.checkpoint_overhead) * d.mitigation_factor

    # ---- links: results produced and link capacity
    generated = useful * dt * f("workload_bits_per_j") / 8.0
    vis = links.visibility(st.position_m, ci.gmst_rad, stations, f("min_elevation_rad")) & alive[..., None]
    view = in_view(setup, ci, const, vis.sum(axis=0))
    cap_b = links.downlink_capacity_bps(vis, view, f("downlink_rate_bps"), f("terminals_per_station"),
                                        f("clear_sky_fraction"), setup.sample_fraction, str(v["sim_relay"])) * dt / 8.0
    if v["sim_relay"] == "isl":
        generated, cap_b = generated.sum(axis=0, keepdims=True), cap_b.sum(axis=0, keepdims=True)
    die = np.where(alive, out["temp"] + d.die_rise_k * out["thr"], -np.inf).max(axis=0)
    sums = {
        "illum_alive": (illum * alive).sum(axis=0), "satellites_alive": alive.sum(axis=0),
        "array_power_w": p_arr.sum(axis=0), "load_power_w": out["served"].sum(axis=0),
        "soc_alive": (out["soc"] * alive).sum(axis=0), "temperature_alive": (out["temp"] * alive).sum(axis=0),
        "die_temperature_max_k": die, "active_gpus": active.sum(axis=0), "compute_power_w": useful.sum(axis=0),
        "shortfall_w": out["short"].sum(axis=0), "throttle_loss_w": (dc_max - out["want"]).sum(axis=0),
        "restart_loss_w": out["rst"].sum(axis=0),
        "checkpoint_w": (out["comp"] * (1.0 - d.mitigation_factor * (1.0 - d.checkpoint_overhead))).sum(axis=0),
        "interruptions": interruptions.sum(axis=0), "in_contact": vis.any(axis=-1).sum(axis=0),
    }
    return ChunkSums(sums, generated, cap_b, TwinState(battery_j, node_k, debt_s, bus_count[:, -1], state.backlog_b))


def finish_chunk(ci: ChunkInputs, res: ChunkSums) -> tuple[dict[str, np.ndarray], TwinState]:
    """Deliver the chunk's results through the links and assemble its series.

    Parameters
    ----------
    ci : ChunkInputs
        The chunk's times.
    res : ChunkSums
        A chunk path's sums.

    Returns
    -------
    (series, state) : (dict, TwinState)
        Columns of :data:`orbitaldc.simulate.io.SERIES_COLUMNS` (less ``time``) plus private
        ``_``-prefixed totals, and the state with the new backlog.

    References
    ----------
    .. [1] D. V. Lindley (1952) (store-and-forward queue, :func:`links.deliver_results`).
    """
    sent, left = links.deliver_results(res.generated_b, res.capacity_b, res.state.backlog_b)
    s = res.sums
    n_alive = np.asarray(s["satellites_alive"])
    some = n_alive > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = lambda x: np.where(some, x / n_alive, np.nan)  # noqa: E731
        series = {
            "sunlit_fraction": mean(s["illum_alive"]),
            "satellites_alive": n_alive.astype(np.int64),
            "array_power_w": s["array_power_w"],
            "load_power_w": s["load_power_w"],
            "battery_soc": mean(s["soc_alive"]),
            "temperature_k": mean(s["temperature_alive"]),
            "die_temperature_max_k": np.where(np.isfinite(s["die_temperature_max_k"]), s["die_temperature_max_k"], np.nan),
            "active_gpus": np.asarray(s["active_gpus"]).astype(np.int64),
            "compute_power_w": s["compute_power_w"],
            "shortfall_w": s["shortfall_w"],
            "throttle_loss_w": s["throttle_loss_w"],
            "restart_loss_w": s["restart_loss_w"],
            "interruptions": np.asarray(s["interruptions"]).astype(np.int64),
            "in_contact": np.asarray(s["in_contact"]).astype(np.int64),
            "downlink_bytes": sent.sum(axis=0),
            "_generated_bytes": res.generated_b.sum(axis=0),
            "_checkpoint_w": s["checkpoint_w"],
            "_illum_alive": s["illum_alive"],
            "_t_s": ci.t_s,
        }
    return series, res.state._replace(backlog_b=left)
