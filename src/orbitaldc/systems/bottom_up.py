"""Bottom-up sizing of an orbital data center from physics (``mass_model = "bottom_up"``).

Orchestration only; every equation lives in :mod:`orbitaldc.physics`. For the IT power target
``P_IT`` and the beginning-of-life array power ``P_req = P_IT / (CF s)`` the orbital chain asks
for (``CF`` from ``sizing_basis``, ``s`` the sun fraction), :func:`size` returns the
:class:`~orbitaldc.systems.design.SatelliteDesign`:

1. the worst orbit: with ``sun_fraction_model = "orbit"`` the orbit of the year with the longest
   eclipse (for ``"leo"``, a shell with nodes over 360 deg, that of the worst plane;
   :mod:`orbitaldc.physics.orbit`, or the precomputed surfaces of :mod:`orbitaldc.physics.sunlight`
   for many distinct orbits); with a typed sun fraction ``s``
   every orbit is ``(1 - s)`` in eclipse (``s = 1``: no eclipse, no battery);
2. array: load ``P_L = P_IT (1 + bus)`` carried through the worst orbit including battery
   recharge (SMAD eq. 11-5, :func:`orbitaldc.physics.solar.worst_orbit_array_power_w`), divided by
   ``CF`` (``P_req s / P_IT = 1 / CF``); area from cell efficiency, packing, temperature;
3. battery for the worst eclipse, depth of discharge from the cycle count;
4. radiator for all electrical power, each face's Earth view factor from its orientation and
   altitude, emission cut only by the structure's blockage (:mod:`orbitaldc.physics.thermal`);
5. compute (board or chassis packaging); aluminium shielding of the enclosure;
6. structure and bus as a share of the dry mass (SMAD);
7. propellant: drag make-up at the mission-average NRLMSIS density through the solar cycle and
   the deorbit burn the disposal rule needs for the tumbling satellite
   (:mod:`orbitaldc.physics.atmosphere`, :mod:`orbitaldc.physics.drag`);
8. checks and availability: dose from AP-8/AE-8 plus cosmic rays and solar events, upsets from
   the shielded proton flux and cosmic-ray access, restarts of whole satellites with Young/Daly
   checkpoints, downlink capped by the stations in view x terminals x clear sky (each station of
   ``ground_network`` weighed by the share of time it sees the orbit's planes)
   (:mod:`orbitaldc.physics.radiation`, :mod:`orbitaldc.physics.comms`,
   :mod:`orbitaldc.physics.stations`).

Satellites: ``ceil(P_A / satellite_power_w)``; installed power is ``P_A`` itself.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY, SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.errors import PhysicsError
from orbitaldc.physics import (atmosphere, battery, comms, drag, orbit, radiation, reliability, season, solar, stations,
                               sunlight as fast_sunlight, thermal, trapped)
from orbitaldc.systems.design import DesignChecks, OrbitEnvironment, SatelliteDesign, Subsystem
from orbitaldc.systems.inputs import BottomUpInputs, Fleet, Mission, Orbit

__all__ = ["EXACT_SUNLIGHT_LIMIT", "size", "sunlight"]

#: distinct orbits per year-sunlight evaluation (memory bound for Monte Carlo over altitude)
SUNLIGHT_CHUNK = 4096
#: up to this many distinct orbits the year sunlight is computed exactly; beyond, from surfaces
EXACT_SUNLIGHT_LIMIT = 64


def sunlight(orbit_inputs: Orbit) -> fast_sunlight.YearSunlight:
    """Year sunlight statistics of the scenario's orbit.

    Parameters
    ----------
    orbit_inputs : Orbit
        Orbit family, altitude, inclination, node time and the mission's start year.

    Returns
    -------
    orbitaldc.physics.sunlight.YearSunlight
        In the broadcast shape of altitude, inclination and node time.

    Notes
    -----
    Up to :data:`EXACT_SUNLIGHT_LIMIT` distinct (altitude, inclination, node time) the exact
    :func:`orbitaldc.physics.sunlight.year_sunlight` is evaluated once per orbit (cached); beyond, the
    precomputed surfaces of :func:`orbitaldc.physics.sunlight.year_sunlight_fast` (array speed,
    every family and inclination; ``"leo"`` is a shell with nodes over 360 deg). A batch and the same
    orbit alone agree within the surfaces' largest errors (sun fraction 0.006, longest eclipse 30 s;
    ``tests/physics/test_sunlight_surfaces.py``).

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), sec. 5.3
       and 9.6 (beta angle, eclipses, sun-synchronous node drift).
    """
    h, inc, ltan = np.broadcast_arrays(np.asarray(orbit_inputs.altitude_m, dtype=float),
                                       np.asarray(orbit_inputs.inclination_rad, dtype=float),
                                       np.asarray(orbit_inputs.ltan_h, dtype=float))
    jd0 = float(orbit.julian_date(int(np.asarray(orbit_inputs.mission_start_year).flat[0]), 1, 1))
    kind = str(orbit_inputs.orbit_type)
    given = (orbit_inputs.altitude_m, orbit_inputs.inclination_rad, orbit_inputs.ltan_h)
    if h.size > EXACT_SUNLIGHT_LIMIT and _all_rows_distinct(given, h.size):  # surfaces, row by row
        flat = [np.ascontiguousarray(x).ravel() for x in (h, inc, ltan)]
        fields = fast_sunlight.year_sunlight_fast(flat[0], kind, jd0, flat[1], flat[2])
        return fast_sunlight.YearSunlight(*(np.asarray(x).reshape(h.shape) for x in fields))
    keys = np.stack([h.ravel(), inc.ravel(), ltan.ravel()], axis=-1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    if uniq.shape[0] > EXACT_SUNLIGHT_LIMIT:
        fields = fast_sunlight.year_sunlight_fast(uniq[:, 0], kind, jd0, uniq[:, 1], uniq[:, 2])
    else:
        fields = _unique_sunlight(kind, jd0, uniq.tobytes(), uniq.shape[0])
    inverse = np.asarray(inverse).ravel()
    return fast_sunlight.YearSunlight(*(np.asarray(x)[inverse].reshape(h.shape) for x in fields))


@lru_cache(maxsize=8)
def _unique_sunlight(kind: str, jd0: float, keys: bytes, count: int) -> tuple[np.ndarray, ...]:
    """Year sunlight of distinct orbits (cached: the chain asks twice, for sun fraction and battery)."""
    uniq = np.frombuffer(keys, dtype=float).reshape(count, 3)
    parts = [fast_sunlight.year_sunlight(u[:, 0], kind, jd0, u[:, 1], u[:, 2])
             for u in np.array_split(uniq, max(1, -(-count // SUNLIGHT_CHUNK)))]
    out = tuple(np.concatenate([np.atleast_1d(p) for p in x]) for x in zip(*parts))
    for arr in out:
        arr.setflags(write=False)
    return out


def _per_unique(fn, *arrays):
    """Evaluate ``fn`` once per distinct broadcast combination of ``arrays`` and scatter back.

    Monte Carlo arrays often vary only parameters that a slow physics term does not read; this keeps
    the term's cost at the number of distinct inputs. Where one input alone already takes a distinct
    value in every row (a sampled altitude), the rows are all distinct and ``fn`` (element-wise) runs
    on them as they are, without the row sort.
    """
    b = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in arrays))
    if _all_rows_distinct(arrays, b[0].size):
        out = fn(*(np.ascontiguousarray(x).ravel() for x in b))
        if isinstance(out, tuple):
            return type(out)(*(np.asarray(o).reshape(b[0].shape) for o in out))
        return np.asarray(out).reshape(b[0].shape)
    keys = np.stack([x.ravel() for x in b], axis=-1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    out = fn(*(uniq[:, k] for k in range(uniq.shape[1])))
    inverse = np.asarray(inverse).ravel()
    if isinstance(out, tuple):
        return type(out)(*(np.asarray(o)[inverse].reshape(b[0].shape) for o in out))
    return np.asarray(out)[inverse].reshape(b[0].shape)


#: fewer rows than this are always deduplicated (the check would cost more than it saves)
_DISTINCT_CHECK_MIN = 256


def _all_rows_distinct(arrays, rows: int) -> bool:
    """Whether some input that spans every row holds a different value in each (then every row is).

    Inside one :func:`size` call each array's answer is kept (the sizing asks about the same
    sampled altitude several times, and nothing changes the inputs meanwhile).
    """
    if rows < _DISTINCT_CHECK_MIN:
        return False
    memo = getattr(_SIZING, "distinct", None)
    for a in arrays:
        x = np.asarray(a, dtype=float)
        if x.size != rows:
            continue
        known = memo.get(id(x)) if memo is not None else None
        if known is not None and known[0] is x:
            distinct = known[1]
        else:
            distinct = np.unique(x.ravel()).size == rows
            if memo is not None:
                memo[id(x)] = (x, distinct)
        if distinct:
            return True
    return False


#: Per thread, while :func:`size` runs: array id -> (array, whether its rows are all distinct).
_SIZING = threading.local()


def _part(mass_kg, area_m2=0.0, power_w=0.0, cost_usd=0.0) -> Subsystem:
    return Subsystem(*(np.asarray(x, dtype=float) for x in (mass_kg, area_m2, power_w, cost_usd)))


def _worst_orbit(p: BottomUpInputs, fleet: Fleet, sun, s, years):
    """Eclipse of the sizing orbit [s], the period [s] and battery cycles over the mission."""
    period = orbit.orbital_period_s(p.orbit.altitude_m)
    if fleet.sun_fraction_model == "orbit":
        return sun.max_eclipse_duration_s, period, sun.eclipses_per_yr * years
    orbits_per_yr = SECONDS_PER_JULIAN_YEAR / period
    return (1.0 - s) * period, period, np.where(s < 1.0, orbits_per_yr, 0.0) * years


def _sizing_day(p: BottomUpInputs, fleet: Fleet, s, period, eta_rt):
    """Eclipse [s] and irradiance factor of the day that sizes the array: the year's worst combination
    (:func:`orbitaldc.physics.season.worst_array_day`); with a typed sun fraction (an eclipse of
    ``(1 - s) T`` every orbit) the aphelion's sunlight."""
    o = p.orbit
    jd0 = float(orbit.julian_date(int(np.asarray(o.mission_start_year).flat[0]), 1, 1))
    if fleet.sun_fraction_model == "orbit":
        kind = str(o.orbit_type)
        day = _per_unique(lambda h, i, lt, e: season.worst_array_day(h, kind, jd0, i, lt, e), o.altitude_m,
                          o.inclination_rad, o.ltan_h, eta_rt)
        return day.eclipse_s, day.irradiance_factor
    return (1.0 - s) * period, season.worst_irradiance_factor(jd0)


def _decay(p: BottomUpInputs, inclination_rad, ballistic, allowed_s):
    """Natural decay time [s] of the tumbling satellite and the highest altitude [m] that decays
    within ``allowed_s``, on the cycle-average density profile (NRLMSIS: one compiled pass per
    orbit, :func:`orbitaldc.physics.atmosphere.cycle_decay`)."""
    h = p.orbit.altitude_m
    if p.msis is None:
        grid = fast_sunlight.ALTITUDE_GRID_M
        factor = np.asarray(p.exponential.solar_activity_factor, dtype=float)
        integral = drag.decay_integral(grid, drag.density_kg_per_m3(grid, factor[..., None]))
        return (drag.decay_time_from_integral_s(h, ballistic, grid, integral),
                drag.disposal_altitude_m(allowed_s, ballistic, grid, integral))
    m = p.msis
    return atmosphere.cycle_decay(h, ballistic, allowed_s, inclination_rad, m.f107_solar_min_sfu,
                                  m.f107_solar_max_sfu, m.geomagnetic_ap)


def _mission_density(p: BottomUpInputs, inclination_rad, years):
    if p.msis is None:
        return drag.density_kg_per_m3(p.orbit.altitude_m, p.exponential.solar_activity_factor)
    c, m = p.cycle, p.msis
    return _per_unique(atmosphere.mission_average_density_kg_per_m3, p.orbit.altitude_m, inclination_rad,
                       p.orbit.mission_start_year, years, c.solar_cycle_minimum_year, c.solar_cycle_period_yr,
                       c.solar_cycle_rise_yr, m.f107_solar_min_sfu, m.f107_solar_max_sfu, m.geomagnetic_ap)


def _dose(p: BottomUpInputs, inclination_rad, share):
    d, sh = p.dose, p.shield
    geometry = str(d.shield_geometry)

    def run(h, inc, t, rho, s, gcr, spe):
        return radiation.total_ionizing_dose(h, inc, t, rho, s, gcr, spe, geometry)

    return _per_unique(run, p.orbit.altitude_m, inclination_rad, sh.shielding_thickness_m,
                       sh.aluminium_density_kg_per_m3, share, d.gcr_free_space_rad_per_yr, d.spe_free_space_rad_per_yr)


def _stations_in_view(p: BottomUpInputs, inclination_rad):
    """Stations used (the first ``ground_stations`` of ``ground_network``, at most its size) and
    their time-averaged count in view of the constellation: the sum of each one's visible
    fraction (one node for the sun-synchronous families, as the layout builds them; nodes
    filling the circle for a ``leo`` shell)."""
    lk = p.links
    full = stations.load_network(str(lk.ground_network))
    used = np.clip(np.floor(np.asarray(lk.ground_stations, dtype=float) + 1e-9), 0.0, len(full.names))
    if not full.names:
        return used, np.zeros_like(used)
    lam = comms.earth_central_angle_rad(np.asarray(p.orbit.altitude_m, dtype=float), lk.min_elevation_rad)
    planes = np.inf if str(p.orbit.orbit_type) == "leo" else 1
    frac = comms.station_visible_fraction(stations.geocentric_latitude_rad(full),
                                          np.asarray(inclination_rad, dtype=float)[..., None], lam[..., None], planes)
    cum = np.concatenate([np.zeros(frac.shape[:-1] + (1,)), np.cumsum(frac, axis=-1)], axis=-1)
    idx = np.broadcast_to(used, cum.shape[:-1]).astype(int)[..., None]
    return used, np.take_along_axis(cum, np.broadcast_to(idx, cum.shape[:-1] + (1,)), axis=-1)[..., 0]


def _availability(p: BottomUpInputs, inclination_rad, share, it_w, count):
    """Upsets, node restarts and link capacity: the fraction of compute the economics delivers."""
    u, sh, h = p.upsets, p.shield, p.orbit.altitude_m
    phi = _per_unique(radiation.shielded_proton_flux_per_cm2_s, h, inclination_rad, u.proton_upset_threshold_mev,
                      sh.shielding_thickness_m, sh.aluminium_density_kg_per_m3, share)
    access = _per_unique(lambda hh, ii: trapped.cosmic_ray_access(hh, ii).gcr_transmission, h, inclination_rad)
    rate = radiation.upset_rate_per_bit_s(phi, u.proton_upset_cross_section_m2_per_bit,
                                          access * trapped.earth_shadow_factor(h),
                                          np.asarray(u.gcr_upset_rate_per_bit_day) / SECONDS_PER_DAY)
    bits = np.asarray(u.memory_bits_per_w) * np.asarray(u.gpu_tdp_w)
    gpus_per_node = np.maximum(1.0, it_w / count / np.asarray(u.gpu_power_w))
    node_rate = radiation.node_interrupt_rate_per_s(rate, bits, u.uncorrected_upset_fraction,
                                                    np.asarray(u.ground_interruptions_per_gpu_day) / SECONDS_PER_DAY,
                                                    gpus_per_node)
    restart = radiation.restart_compute_loss(node_rate, u.checkpoint_cost_s, u.node_restart_s)
    copies = np.asarray(u.redundant_copies, dtype=float)
    lost = 1.0 - (1.0 - np.asarray(u.ecc_overhead_fraction)) * (1.0 - restart) / copies
    lk = p.links
    used, in_view = _stations_in_view(p, inclination_rad)
    contact = comms.contact_time_s_per_day(h, lk.min_elevation_rad, used)
    own = comms.downlink_bits_per_day(lk.downlink_rate_bps, contact) * lk.clear_sky_fraction
    network = comms.network_downlink_bits_per_day(in_view, lk.terminals_per_station, lk.downlink_rate_bps,
                                                  lk.clear_sky_fraction)
    fleet_bits = np.minimum(own * count, network)
    useful_w = it_w * (1.0 - lost)  # results come from the compute that is not lost
    delivered = comms.delivered_output_fraction(lk.workload_bits_per_j, useful_w, fleet_bits)
    upsets_day = rate * bits * SECONDS_PER_DAY
    return dict(shielded_proton_flux_per_cm2_s=phi, upsets_per_gpu_day=upsets_day,
                sdc_per_gpu_yr=upsets_day * np.asarray(u.uncorrected_upset_fraction) * 365.25,
                node_interrupts_per_day=node_rate * SECONDS_PER_DAY, restart_compute_loss=restart,
                radiation_compute_loss=lost, link_delivered_fraction=delivered, availability=(1.0 - lost) * delivered,
                contact_time_s_per_day=contact, downlink_bits_per_day=fleet_bits / count,
                network_downlink_bits_per_day=network, stations_in_view=in_view,
                gamma_fits=comms.gamma_fits(lk.workload_bits_per_j, useful_w, fleet_bits))


def size(p: BottomUpInputs, mission: Mission, fleet: Fleet, sun_fraction, required_w) -> SatelliteDesign:
    """Size the constellation from physics.

    Parameters
    ----------
    p : BottomUpInputs
        The physics parameters by subsystem.
    mission : Mission
        IT power target [W] and mission years.
    fleet : Fleet
        Satellite power (splits the array into satellites), GPU failure rate and the model choices
        (``sun_fraction_model`` decides the worst orbit).
    sun_fraction : array_like
        Sun fraction the chain used (typed, or the orbit's year average).
    required_w : array_like
        Beginning-of-life array power the orbital chain requires before bus and battery
        losses, ``P_IT / (CF x sun fraction)`` [W].

    Returns
    -------
    SatelliteDesign
        Fleet totals; masses, areas, power, the environment and the design checks.

    References
    ----------
    .. [1] Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed. (1999), sec. 11.4
       (power: eq. 11-5 worst-case array sizing, eq. 11-13 battery), sec. 11.5 (thermal), sec. 10.3
       (mass budgets).
    .. [2] Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002), ch. 2, 6.
    .. [3] Turyshev, "Orbital Data Centers: Spacecraft Constraints and Economic Viability",
       arXiv:2604.27197 (2026) (PV + storage + radiator per kW; Gamma test).
    .. [4] Sawyer & Vette (1976) AP-8; Vette (1991) AE-8; Emmert et al. (2021) NRLMSIS 2.0/2.1;
       FCC 22-74 (2022) disposal rule.
    """
    _SIZING.distinct = {}
    try:
        return _size(p, mission, fleet, sun_fraction, required_w)
    finally:
        _SIZING.distinct = None


def _size(p: BottomUpInputs, mission: Mission, fleet: Fleet, sun_fraction, required_w) -> SatelliteDesign:
    """:func:`size`, within its scope."""
    years = mission.analysis_years
    it_w = mission.target_power_w
    req = np.asarray(required_w, dtype=float)
    if not np.all(np.isfinite(req) & (req > 0)):
        bad = float(req[~(np.isfinite(req) & (req > 0))].flat[0]) if req.ndim else float(req)
        raise PhysicsError(f"required array power = {bad:g} W is not a finite positive power: it is target_power_w / "
                           "(capacity factor x sun_fraction); check cell_degradation_per_yr, analysis_years, "
                           "sun_fraction and target_power_w")
    h = p.orbit.altitude_m
    sun = sunlight(p.orbit)
    s = np.asarray(sun_fraction, dtype=float)
    eta_rt = p.power.battery_round_trip_efficiency
    load_w = it_w * (1.0 + p.power.bus_power_fraction)

    # 1-2. worst orbit and array (P_req s / P_IT = 1 / CF carries the chain's sizing basis), on the
    # year's worst day for eclipse and sunlight together (rated at 1 AU); the battery for the longest eclipse
    t_e, period, cycles = _worst_orbit(p, fleet, sun, s, years)
    sizing_eclipse, sizing_irradiance = _sizing_day(p, fleet, s, period, eta_rt)
    a = p.array
    array_w = (solar.worst_orbit_array_power_w(load_w, sizing_eclipse, period, eta_rt) / sizing_irradiance
               * np.asarray(required_w) * s / it_w)
    temp_factor = solar.temperature_factor(a.solar_operating_temperature_k, a.solar_reference_temperature_k,
                                           a.solar_temperature_coefficient_per_k)
    array_area = solar.array_area_m2(array_w, a.solar_cell_efficiency, a.solar_packing_factor,
                                     SOLAR_CONSTANT_W_PER_M2, temp_factor)
    array_mass = array_w / a.solar_array_specific_power_w_per_kg

    # 3. battery
    b = p.battery
    energy = battery.eclipse_energy_j(load_w, t_e, np.sqrt(eta_rt))
    allowed_dod = battery.depth_of_discharge_for_cycles(cycles, b.battery_reference_cycles, b.battery_reference_depth,
                                                        b.battery_cycle_exponent, b.battery_max_depth)
    batt_mass = battery.battery_mass_kg(energy, allowed_dod, b.battery_specific_energy_j_per_kg)
    capacity = np.where(energy > 0, energy / allowed_dod, 0.0)

    # 4. radiator and loop: one environment on every emitting face
    r = p.radiator
    absorbed = thermal.radiator_absorbed_flux_w_per_m2(h, r.radiator_nadir_angle_rad, r.radiator_sides,
                                                       r.radiator_absorptivity, r.radiator_emissivity,
                                                       SOLAR_CONSTANT_W_PER_M2, r.earth_albedo, r.earth_ir_w_per_m2,
                                                       r.radiator_sun_incidence)
    earth_vf = (thermal.earth_view_factor_plate(h, r.radiator_nadir_angle_rad) + (np.asarray(r.radiator_sides) - 1.0)
                * thermal.earth_view_factor_plate(h, np.pi - np.asarray(r.radiator_nadir_angle_rad)))
    emitting = 1.0 - np.asarray(r.radiator_blockage_fraction)
    net = thermal.radiator_net_flux_w_per_m2(r.radiator_temperature_k, r.radiator_emissivity, absorbed,
                                             r.radiator_sides, view_factor_space=emitting)
    rad_area = thermal.radiator_area_m2(load_w, net)
    rad_mass = thermal.radiator_mass_kg(rad_area, r.radiator_areal_density_kg_per_m2)
    loop_mass = thermal.pumped_loop_mass_kg(load_w, r.pumped_loop_kg_per_w)

    # 5. compute and shielding
    kg_per_w = p.board.compute_board_kg_per_w if p.board is not None else p.chassis.compute_kg_per_w
    compute_mass = it_w * kg_per_w
    shield_area = it_w * p.shield.shield_area_m2_per_w
    shield_mass = radiation.shielding_mass_kg(shield_area, p.shield.shielding_thickness_m,
                                              p.shield.aluminium_density_kg_per_m3)

    # 6. structure and bus: a share of the dry mass
    core = array_mass + batt_mass + rad_mass + loop_mass + compute_mass + shield_mass
    share = np.asarray(p.structure.structure_bus_dry_mass_share, dtype=float)
    structure = core * share / (1.0 - share)
    dry = core + structure
    count = np.ceil(array_w / fleet.satellite_power_w * (1.0 - 1e-12))

    # 7. drag make-up over the solar cycle, natural decay of the tumbling satellite, disposal burn
    d = p.drag
    inc = sun.inclination_rad
    rho = _mission_density(p, inc, years)
    dv_per_yr = drag.make_up_delta_v_per_yr_m_per_s(h, rho, d.drag_coefficient,
                                                    (array_area + rad_area) * d.drag_area_fraction, dry)
    ballistic = np.asarray(d.drag_coefficient) * drag.tumbling_area_m2(array_area + rad_area) / dry
    allowed_s = np.asarray(d.disposal_years) * SECONDS_PER_JULIAN_YEAR
    decay_s, disposal_m = _decay(p, inc, ballistic, allowed_s)
    target = np.minimum(disposal_m, h)
    dv_deorbit = np.where(decay_s > allowed_s, drag.hohmann_delta_v_m_per_s(h, target), 0.0)
    propellant = drag.propellant_mass_kg(dry, dv_per_yr * years + dv_deorbit, d.specific_impulse_s)
    mass = dry + propellant

    # 8. checks and availability
    c = p.cycle
    solar_share = _per_unique(atmosphere.solar_max_share, p.orbit.mission_start_year, years,
                              c.solar_cycle_minimum_year, c.solar_cycle_period_yr, c.solar_cycle_rise_yr)
    dose = _dose(p, inc, solar_share)
    avail = _availability(p, inc, solar_share, it_w, count)
    die_k = thermal.die_temperature_k(r.radiator_temperature_k, p.die.gpu_tdp_w, p.die.die_to_radiator_k_per_w)

    shape = np.broadcast_shapes(*(np.shape(x) for x in (mass, count, die_k, dose.total, avail["availability"])))
    b_ = lambda x: np.broadcast_to(np.asarray(x, dtype=float), shape)  # noqa: E731
    tol = p.dose.tid_tolerance_rad
    checks = DesignChecks(
        die_temperature_k=b_(die_k), dose_rad_si_per_yr=b_(dose.total),
        dose_trapped_proton_rad_per_yr=b_(dose.trapped_protons),
        dose_trapped_electron_rad_per_yr=b_(dose.trapped_electrons),
        dose_cosmic_rad_per_yr=b_(dose.cosmic_rays + dose.solar_events),
        dose_margin=b_(radiation.dose_margin(tol, dose.total, years)),
        years_to_dose_limit=b_(radiation.years_to_dose_limit(tol, dose.total)),
        lifetime_penalty=b_(reliability.lifetime_penalty(fleet.gpu_failure_per_yr, years)),
        delta_v_m_per_s_per_yr=b_(dv_per_yr), deorbit_delta_v_m_per_s=b_(dv_deorbit),
        decay_time_yr=b_(decay_s / SECONDS_PER_JULIAN_YEAR),
        allowed_depth_of_discharge=b_(allowed_dod), propellant_mass_fraction=b_(propellant / mass),
        **{k: (np.broadcast_to(v, shape) if k == "gamma_fits" else b_(v)) for k, v in avail.items()},
    )
    environment = OrbitEnvironment(
        orbit_type=str(p.orbit.orbit_type), altitude_m=b_(h), inclination_rad=b_(inc), sun_fraction=b_(s),
        orbit_sun_fraction=b_(sun.sun_fraction), eclipse_fraction=b_(sun.eclipse_fraction),
        max_eclipse_duration_s=b_(sun.max_eclipse_duration_s), eclipses_per_yr=b_(sun.eclipses_per_yr),
        period_s=b_(period), sizing_eclipse_s=b_(t_e), radiator_absorbed_w_per_m2=b_(absorbed),
        radiator_earth_view_factor=b_(earth_vf), solar_max_share=b_(solar_share), density_kg_per_m3=b_(rho))
    bus_w = load_w - it_w
    return SatelliteDesign(
        satellite_count=b_(count), it_power_w=b_(it_w), bus_power_w=b_(bus_w), load_power_w=b_(load_w),
        array_rated_power_w=b_(array_w), battery_energy_j=b_(energy), battery_capacity_j=b_(capacity),
        battery_minimum_j=b_(capacity - energy), depth_of_discharge=b_(allowed_dod), heat_load_w=b_(load_w),
        radiator_net_flux_w_per_m2=b_(net),
        radiator_emission_factor=b_(np.asarray(r.radiator_sides) * np.asarray(r.radiator_emissivity) * emitting),
        array=_part(b_(array_mass), b_(array_area), b_(array_w)),
        battery=_part(b_(batt_mass)),
        radiator=_part(b_(rad_mass), b_(rad_area)),
        pumped_loop=_part(b_(loop_mass)),
        compute=_part(b_(compute_mass), power_w=b_(it_w)),
        shielding=_part(b_(shield_mass), b_(shield_area)),
        structure_bus=_part(b_(structure), power_w=b_(bus_w)),
        propellant=_part(b_(propellant)),
        total_mass_kg=b_(mass), environment=environment, checks=checks,
    )
