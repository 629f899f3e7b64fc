"""Bottom-up sizing of an orbital data center from physics (``mass_model = "bottom_up"``).

Orchestration only; every equation lives in :mod:`orbitaldc.physics`. For the IT power target
``P_IT`` and the beginning-of-life array power ``P_req`` the orbital chain asks for (already
divided by the array's capacity factor and the sun fraction), :func:`size` returns the
:class:`~orbitaldc.systems.design.SatelliteDesign`:

1. load ``P_L = P_IT (1 + bus)``; array ``P_A = P_req (1 + bus) (s + (1 - s) / eta_rt)``
   (eclipse energy passes through the battery); area from cell efficiency, packing, temperature
   (:mod:`orbitaldc.physics.solar`); mass ``P_A / (W/kg)_array``;
2. battery for the longest eclipse of the year, depth of discharge from the cycle count
   (eclipses per year x years) (:mod:`~orbitaldc.physics.orbit`, :mod:`~orbitaldc.physics.battery`);
3. radiator for all electrical power (``P_L`` becomes heat; the array rejects its own waste heat),
   net of Earth IR, albedo and sun (:mod:`orbitaldc.physics.thermal`); pumped loop per W;
4. compute hardware kg/W; aluminium shielding of the enclosure;
5. structure and bus as a fraction of 1-4; propellant to hold altitude against drag with the
   array and radiator area (:mod:`orbitaldc.physics.drag`);
6. design checks: die temperature, dose and margin, upsets and mitigation loss, lifetime penalty,
   decay time, contact time, downlink and JPL's Gamma test.

Satellites: ``ceil(P_A / satellite_power_w)``; installed power is ``P_A`` itself (the physics
sizes the array, the count only splits it).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from orbitaldc.constants import SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.physics import battery, comms, drag, orbit, radiation, reliability, solar, thermal
from orbitaldc.systems.design import DesignChecks, OrbitEnvironment, SatelliteDesign, Subsystem
from orbitaldc.systems.inputs import BottomUpInputs, Fleet, Mission, Orbit

__all__ = ["size", "sunlight"]

#: distinct orbits per year-sunlight evaluation (memory bound for Monte Carlo over altitude)
SUNLIGHT_CHUNK = 4096


def sunlight(orbit_inputs: Orbit) -> orbit.YearSunlight:
    """Year sunlight statistics of the scenario's orbit.

    Parameters
    ----------
    orbit_inputs : Orbit
        Orbit family, altitude, inclination, node time and the mission's start year.

    Returns
    -------
    orbitaldc.physics.orbit.YearSunlight
        In the broadcast shape of altitude, inclination and node time.

    Notes
    -----
    :func:`orbitaldc.physics.orbit.year_sunlight` is evaluated once per distinct (altitude,
    inclination, node time), so large Monte Carlo arrays of other parameters cost one orbit.

    References
    ----------
    .. [1] Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013), sec. 5.3
       and 9.6 (beta angle, eclipses, sun-synchronous node drift).
    """
    h, inc, ltan = np.broadcast_arrays(np.asarray(orbit_inputs.altitude_m, dtype=float),
                                       np.asarray(orbit_inputs.inclination_rad, dtype=float),
                                       np.asarray(orbit_inputs.ltan_h, dtype=float))
    keys = np.stack([h.ravel(), inc.ravel(), ltan.ravel()], axis=-1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    jd0 = float(orbit.julian_date(int(np.asarray(orbit_inputs.mission_start_year).flat[0]), 1, 1))
    fields = _unique_sunlight(str(orbit_inputs.orbit_type), jd0, uniq.tobytes(), uniq.shape[0])
    inverse = np.asarray(inverse).ravel()
    return orbit.YearSunlight(*(x[inverse].reshape(h.shape) for x in fields))


@lru_cache(maxsize=8)
def _unique_sunlight(kind: str, jd0: float, keys: bytes, count: int) -> tuple[np.ndarray, ...]:
    """Year sunlight of distinct orbits (cached: the chain asks twice, for sun fraction and battery)."""
    uniq = np.frombuffer(keys, dtype=float).reshape(count, 3)
    # chunks bound the (orbits x days) beta-angle arrays to ~SUNLIGHT_CHUNK x 366 floats
    parts = [orbit.year_sunlight(u[:, 0], kind, jd0, u[:, 1], u[:, 2])
             for u in np.array_split(uniq, max(1, -(-count // SUNLIGHT_CHUNK)))]
    out = tuple(np.concatenate([np.atleast_1d(p) for p in x]) for x in zip(*parts))
    for arr in out:
        arr.setflags(write=False)
    return out


def _part(mass_kg, area_m2=0.0, power_w=0.0, cost_usd=0.0) -> Subsystem:
    return Subsystem(*(np.asarray(x, dtype=float) for x in (mass_kg, area_m2, power_w, cost_usd)))


def size(p: BottomUpInputs, mission: Mission, fleet: Fleet, sun_fraction, required_w) -> SatelliteDesign:
    """Size the constellation from physics.

    Parameters
    ----------
    p : BottomUpInputs
        The physics parameters by subsystem.
    mission : Mission
        IT power target [W] and mission years.
    fleet : Fleet
        Satellite power (splits the array into satellites) and the GPU failure rate.
    sun_fraction : array_like
        Sun fraction the array is sized with (typed, or the orbit's year average).
    required_w : array_like
        Beginning-of-life array power the orbital chain requires before bus and battery
        losses, ``P_IT / (capacity factor x sun fraction)`` [W].

    Returns
    -------
    SatelliteDesign
        Fleet totals; masses, areas, power and the design checks.

    References
    ----------
    .. [1] Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed. (1999), sec. 11.4
       (power: eq. 11-5 array sizing, eq. 11-13 battery), sec. 11.5 (thermal), ch. 10
       (mass budgets).
    .. [2] Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002), ch. 6.
    .. [3] Turyshev, "Orbital Data Centers: Spacecraft Constraints and Economic Viability",
       arXiv:2604.27197 (2026) (PV + storage + radiator per kW; Gamma test).
    """
    years = mission.analysis_years
    it_w = mission.target_power_w
    sun = sunlight(p.orbit)
    s = np.asarray(sun_fraction, dtype=float)
    eta_rt = p.power.battery_round_trip_efficiency
    load_w = it_w * (1.0 + p.power.bus_power_fraction)

    # 1. solar array
    a = p.array
    array_w = np.asarray(required_w, dtype=float) * (1.0 + p.power.bus_power_fraction) * (s + (1.0 - s) / eta_rt)
    temp_factor = solar.temperature_factor(a.solar_operating_temperature_k, a.solar_reference_temperature_k,
                                           a.solar_temperature_coefficient_per_k)
    array_area = solar.array_area_m2(array_w, a.solar_cell_efficiency, a.solar_packing_factor,
                                     SOLAR_CONSTANT_W_PER_M2, temp_factor)
    array_mass = array_w / a.solar_array_specific_power_w_per_kg

    # 2. battery
    b = p.battery
    energy = battery.eclipse_energy_j(load_w, sun.max_eclipse_duration_s, np.sqrt(eta_rt))
    allowed_dod = battery.depth_of_discharge_for_cycles(sun.eclipses_per_yr * years, b.battery_reference_cycles,
                                                        b.battery_reference_depth, b.battery_cycle_exponent,
                                                        b.battery_max_depth)
    batt_mass = battery.battery_mass_kg(energy, allowed_dod, b.battery_specific_energy_j_per_kg)

    # 3. radiator and loop
    r = p.radiator
    absorbed = thermal.absorbed_environment_flux_w_per_m2(
        r.radiator_absorptivity, r.radiator_emissivity, SOLAR_CONSTANT_W_PER_M2, r.earth_albedo, r.earth_ir_w_per_m2,
        r.radiator_view_factor_earth, r.radiator_sun_incidence, r.radiator_sides)
    net = thermal.radiator_net_flux_w_per_m2(r.radiator_temperature_k, r.radiator_emissivity, absorbed,
                                             r.radiator_sides, view_factor_space=r.radiator_view_factor_space)
    rad_area = thermal.radiator_area_m2(load_w, net)
    rad_mass = thermal.radiator_mass_kg(rad_area, r.radiator_areal_density_kg_per_m2)
    loop_mass = thermal.pumped_loop_mass_kg(load_w, r.pumped_loop_kg_per_w)

    # 4. compute and shielding
    compute_mass = it_w * p.payload.compute_kg_per_w
    shield_area = it_w * p.shield.shield_area_m2_per_w
    shield_mass = radiation.shielding_mass_kg(shield_area, p.shield.shielding_thickness_m,
                                              p.shield.aluminium_density_kg_per_m3)

    # 5. structure/bus and propellant
    core = array_mass + batt_mass + rad_mass + loop_mass + compute_mass + shield_mass
    structure = p.structure.structure_bus_mass_fraction * core
    dry = core + structure
    count = np.ceil(array_w / fleet.satellite_power_w * (1.0 - 1e-12))
    d = p.drag
    drag_area = (array_area + rad_area) * d.drag_area_fraction
    dv_per_yr = drag.delta_v_per_yr_m_per_s(p.orbit.altitude_m, d.drag_coefficient, drag_area, dry,
                                            d.solar_activity_factor)
    propellant = drag.propellant_mass_kg(dry, dv_per_yr * years, d.specific_impulse_s)
    mass = dry + propellant
    decay_s = drag.decay_time_s(p.orbit.altitude_m, d.drag_coefficient, drag_area / count, dry / count,
                                d.solar_activity_factor, steps=200)

    # 6. design checks
    dz = p.dose
    die_k = thermal.die_temperature_k(r.radiator_temperature_k, p.die.gpu_tdp_w, p.die.die_to_radiator_k_per_w)
    dose = radiation.total_ionizing_dose_rad_per_yr(
        p.orbit.altitude_m, p.shield.shielding_thickness_m, dz.dose_reference_rad_per_yr,
        dz.dose_reference_altitude_m, dz.dose_reference_thickness_m, dz.dose_altitude_scale_m,
        dz.dose_thickness_exponent, sun.inclination_rad, dz.dose_reference_inclination_rad,
        dz.saa_latitude_min_rad, dz.saa_latitude_max_rad)
    u = p.upsets
    upsets = radiation.upsets_per_day(u.memory_bits_per_w * p.die.gpu_tdp_w, u.upset_rate_per_bit_day)
    sdc_per_yr = radiation.silent_data_corruption_per_yr(upsets, u.uncorrected_upset_fraction)
    mtbf_s = SECONDS_PER_JULIAN_YEAR / np.maximum(sdc_per_yr, 1e-300)
    ckpt = radiation.checkpoint_overhead_fraction(u.checkpoint_cost_s, mtbf_s)
    lk = p.links
    contact = comms.contact_time_s_per_day(p.orbit.altitude_m, lk.min_elevation_rad, lk.ground_stations)
    bits_day = comms.downlink_bits_per_day(lk.downlink_rate_bps, contact)

    shape = np.broadcast_shapes(*(np.shape(x) for x in (mass, count, die_k, dose, contact)))
    b_ = lambda x: np.broadcast_to(np.asarray(x, dtype=float), shape)  # noqa: E731
    checks = DesignChecks(
        die_temperature_k=b_(die_k), dose_rad_si_per_yr=b_(dose),
        dose_margin=b_(radiation.dose_margin(dz.tid_tolerance_rad, dose, years)),
        years_to_dose_limit=b_(radiation.years_to_dose_limit(dz.tid_tolerance_rad, dose)),
        upsets_per_gpu_day=b_(upsets), sdc_per_gpu_yr=b_(sdc_per_yr),
        mitigation_compute_loss=b_(radiation.mitigation_compute_loss(u.ecc_overhead_fraction, ckpt,
                                                                     u.redundant_copies)),
        lifetime_penalty=b_(reliability.lifetime_penalty(fleet.gpu_failure_per_yr, years)),
        delta_v_m_per_s_per_yr=b_(dv_per_yr), decay_time_yr=b_(decay_s / SECONDS_PER_JULIAN_YEAR),
        contact_time_s_per_day=b_(contact), downlink_bits_per_day=b_(bits_day),
        gamma_fits=np.broadcast_to(comms.gamma_fits(lk.workload_bits_per_j, it_w, bits_day * count), shape),
        allowed_depth_of_discharge=b_(allowed_dod), propellant_mass_fraction=b_(propellant / mass),
    )
    environment = OrbitEnvironment(
        orbit_type=str(p.orbit.orbit_type), altitude_m=b_(p.orbit.altitude_m), inclination_rad=b_(sun.inclination_rad),
        sun_fraction=b_(s), orbit_sun_fraction=b_(sun.sun_fraction), eclipse_fraction=b_(sun.eclipse_fraction),
        max_eclipse_duration_s=b_(sun.max_eclipse_duration_s), eclipses_per_yr=b_(sun.eclipses_per_yr))
    bus_w = load_w - it_w
    return SatelliteDesign(
        satellite_count=b_(count), it_power_w=b_(it_w), bus_power_w=b_(bus_w), load_power_w=b_(load_w),
        array_rated_power_w=b_(array_w), battery_energy_j=b_(energy),
        battery_capacity_j=b_(np.where(energy > 0, energy / allowed_dod, 0.0)), depth_of_discharge=b_(allowed_dod),
        heat_load_w=b_(load_w), radiator_net_flux_w_per_m2=b_(net),
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
