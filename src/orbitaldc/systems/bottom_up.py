"""Bottom-up sizing of an orbital data center from physics (``mass_model = "bottom_up"``).

Orchestration only; every equation lives in ``orbitaldc.physics``. For the IT power target
``P_IT`` and the beginning-of-life array power ``P_req`` that the orbital chain asks for (already
divided by the array's capacity factor and the sun fraction), the chain sizes:

1. load ``P_L = P_IT (1 + bus)``; array ``P_A = P_req (1 + bus) (s + (1 - s) / eta_rt)``
   (eclipse energy passes through the battery); area from cell efficiency, packing, temperature
   (:mod:`orbitaldc.physics.solar`); mass ``P_A / (W/kg)_array``;
2. battery for the longest eclipse of the year, depth of discharge from the cycle count
   (eclipses per year x years) (:mod:`~orbitaldc.physics.orbit`, :mod:`~orbitaldc.physics.battery`);
3. radiator for all electrical power (``P_L`` becomes heat; the array rejects its own waste heat),
   net of Earth IR, albedo and sun (:mod:`orbitaldc.physics.thermal`); pumped loop per W;
4. compute hardware kg/W; aluminium shielding of the enclosure; dose, margin and years to the
   part's limit (:mod:`orbitaldc.physics.radiation`);
5. structure and bus as a fraction of 1-4; propellant to hold altitude against drag with the
   array and radiator area (:mod:`orbitaldc.physics.drag`);
6. diagnostics: upsets, silent data corruption, checkpoint loss, lifetime penalty, contact time,
   downlink and JPL's Gamma test.

Satellites: ``ceil(P_A / satellite_power_w)``; installed power is ``P_A`` itself (the physics
sizes the array, the count only splits it).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.physics import (battery, comms, drag, orbit, radiation, reliability, solar,
                               thermal)

__all__ = ["size", "sunlight"]

#: distinct orbits per year-sunlight evaluation (memory bound for Monte Carlo over altitude)
SUNLIGHT_CHUNK = 4096

SUBSYSTEMS = ("solar", "battery", "radiator", "pumped_loop", "compute", "shielding", "structure_bus",
              "propellant")


def sunlight(f: Mapping[str, Any]) -> orbit.YearSunlight:
    """Year sunlight statistics of the scenario's orbit (:func:`orbitaldc.physics.orbit.year_sunlight`).

    Evaluated once per distinct (altitude, inclination, node time) so large Monte Carlo arrays of
    other parameters cost one orbit computation.
    """
    kind = str(f["orbit_type"])
    h, inc, ltan = np.broadcast_arrays(np.asarray(f["altitude_m"], dtype=float),
                                       np.asarray(f["inclination_rad"], dtype=float),
                                       np.asarray(f["ltan_h"], dtype=float))
    keys = np.stack([h.ravel(), inc.ravel(), ltan.ravel()], axis=-1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    jd0 = float(orbit.julian_date(int(np.asarray(f["mission_start_year"]).flat[0]), 1, 1))
    fields = _unique_sunlight(kind, jd0, uniq.tobytes(), uniq.shape[0])
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


def _item(mass_kg, it_kw, area_m2=None, cost_usd=None) -> dict[str, Any]:
    out = {"mass_kg": mass_kg, "kg_per_kw": mass_kg / it_kw}
    if area_m2 is not None:
        out["area_m2"] = area_m2
    if cost_usd is not None:
        out["cost_usd"] = cost_usd
    return out


def size(f: Mapping[str, Any], required_w):
    """Size the constellation from physics.

    Parameters
    ----------
    f : mapping
        Complete parameter values (numeric as float arrays, strings as str).
    required_w : array_like
        Beginning-of-life array power the orbital chain requires [W].

    Returns
    -------
    tuple
        ``(satellite_count, installed_power_w, satellite_mass_kg, subsystems)``; ``subsystems``
        holds ``budget`` (per subsystem mass, kg per IT kW, area, cost) and the physics
        diagnostics (sun fraction, radiator area, dose, ...).
    """
    years = f["analysis_years"]
    it_w = f["target_power_w"]
    it_kw = it_w / 1e3
    sun = sunlight(f)
    s = f["sun_fraction"]
    bus = 1.0 + f["bus_power_fraction"]
    load_w = it_w * bus

    # 1. solar array
    array_w = np.asarray(required_w, dtype=float) * bus * (s + (1.0 - s) / f["battery_round_trip_efficiency"])
    temp_factor = solar.temperature_factor(f["solar_operating_temperature_k"], f["solar_reference_temperature_k"],
                                           f["solar_temperature_coefficient_per_k"])
    array_area = solar.array_area_m2(array_w, f["solar_cell_efficiency"], f["solar_packing_factor"],
                                     SOLAR_CONSTANT_W_PER_M2, temp_factor)
    array_mass = array_w / f["solar_array_specific_power_w_per_kg"]

    # 2. battery
    energy = battery.eclipse_energy_j(load_w, sun.max_eclipse_duration_s,
                                      np.sqrt(f["battery_round_trip_efficiency"]))
    dod = battery.depth_of_discharge_for_cycles(sun.eclipses_per_yr * years, f["battery_reference_cycles"],
                                                f["battery_reference_depth"], f["battery_cycle_exponent"],
                                                f["battery_max_depth"])
    batt_mass = battery.battery_mass_kg(energy, dod, f["battery_specific_energy_j_per_kg"])

    # 3. radiator and loop
    absorbed = thermal.absorbed_environment_flux_w_per_m2(
        f["radiator_absorptivity"], f["radiator_emissivity"], SOLAR_CONSTANT_W_PER_M2, f["earth_albedo"],
        f["earth_ir_w_per_m2"], f["radiator_view_factor_earth"], f["radiator_sun_incidence"], f["radiator_sides"])
    net = thermal.radiator_net_flux_w_per_m2(f["radiator_temperature_k"], f["radiator_emissivity"], absorbed,
                                             f["radiator_sides"], view_factor_space=f["radiator_view_factor_space"])
    rad_area = thermal.radiator_area_m2(load_w, net)
    rad_mass = thermal.radiator_mass_kg(rad_area, f["radiator_areal_density_kg_per_m2"])
    loop_mass = thermal.pumped_loop_mass_kg(load_w, f["pumped_loop_kg_per_w"])
    die_k = thermal.die_temperature_k(f["radiator_temperature_k"], f["gpu_tdp_w"], f["die_to_radiator_k_per_w"])

    # 4. compute, shielding, dose
    compute_mass = it_w * f["compute_kg_per_w"]
    shield_area = it_w * f["shield_area_m2_per_w"]
    shield_mass = radiation.shielding_mass_kg(shield_area, f["shielding_thickness_m"], f["aluminium_density_kg_per_m3"])
    dose = radiation.total_ionizing_dose_rad_per_yr(
        f["altitude_m"], f["shielding_thickness_m"], f["dose_reference_rad_per_yr"], f["dose_reference_altitude_m"],
        f["dose_reference_thickness_m"], f["dose_altitude_scale_m"], f["dose_thickness_exponent"],
        sun.inclination_rad, f["dose_reference_inclination_rad"], f["saa_latitude_min_rad"],
        f["saa_latitude_max_rad"])

    # 5. structure/bus and propellant
    core = array_mass + batt_mass + rad_mass + loop_mass + compute_mass + shield_mass
    structure = f["structure_bus_mass_fraction"] * core
    dry = core + structure
    count = np.ceil(array_w / f["satellite_power_w"] * (1.0 - 1e-12))
    drag_area = (array_area + rad_area) * f["drag_area_fraction"]
    dv_per_yr = drag.delta_v_per_yr_m_per_s(f["altitude_m"], f["drag_coefficient"], drag_area, dry,
                                            f["solar_activity_factor"])
    propellant = drag.propellant_mass_kg(dry, dv_per_yr * years, f["specific_impulse_s"])
    mass = dry + propellant
    decay_s = drag.decay_time_s(f["altitude_m"], f["drag_coefficient"], drag_area / count, dry / count,
                                f["solar_activity_factor"], steps=200)

    # 6. diagnostics: upsets and mitigation (per GPU-sized job), failures, links
    upsets = radiation.upsets_per_day(f["memory_bits_per_w"] * f["gpu_tdp_w"], f["upset_rate_per_bit_day"])
    sdc_per_yr = radiation.silent_data_corruption_per_yr(upsets, f["uncorrected_upset_fraction"])
    mtbf_s = SECONDS_PER_JULIAN_YEAR / np.maximum(sdc_per_yr, 1e-300)
    ckpt = radiation.checkpoint_overhead_fraction(f["checkpoint_cost_s"], mtbf_s)
    loss = radiation.mitigation_compute_loss(f["ecc_overhead_fraction"], ckpt, f["redundant_copies"])
    contact = comms.contact_time_s_per_day(f["altitude_m"], f["min_elevation_rad"], f["ground_stations"])
    bits_day = comms.downlink_bits_per_day(f["downlink_rate_bps"], contact)

    budget = {
        "solar": _item(array_mass, it_kw, area_m2=array_area),
        "battery": _item(batt_mass, it_kw),
        "radiator": _item(rad_mass, it_kw, area_m2=rad_area),
        "pumped_loop": _item(loop_mass, it_kw),
        "compute": _item(compute_mass, it_kw),
        "shielding": _item(shield_mass, it_kw, area_m2=shield_area,
                           cost_usd=shield_mass * f["shielding_cost_usd_per_kg"]),
        "structure_bus": _item(structure, it_kw),
        "propellant": _item(propellant, it_kw),
        "total": _item(mass, it_kw, area_m2=array_area + rad_area),
    }
    subsystems = {
        "budget": budget,
        "orbit_type": str(f["orbit_type"]),
        "altitude_m": f["altitude_m"],
        "sun_fraction": s,
        "orbit_sun_fraction": sun.sun_fraction,
        "eclipse_fraction": sun.eclipse_fraction,
        "max_eclipse_duration_s": sun.max_eclipse_duration_s,
        "eclipses_per_yr": sun.eclipses_per_yr,
        "array_power_w": array_w,
        "solar_array_area_m2": array_area,
        "heat_load_w": load_w,
        "radiator_net_flux_w_per_m2": net,
        "radiator_area_m2": rad_area,
        "die_temperature_k": die_k,
        "battery_energy_j": energy,
        "depth_of_discharge": dod,
        "dose_rad_si_per_yr": dose,
        "dose_margin": radiation.dose_margin(f["tid_tolerance_rad"], dose, years),
        "years_to_dose_limit": radiation.years_to_dose_limit(f["tid_tolerance_rad"], dose),
        "upsets_per_gpu_day": upsets,
        "sdc_per_gpu_yr": sdc_per_yr,
        "mitigation_compute_loss": loss,
        "lifetime_penalty": reliability.lifetime_penalty(f["gpu_failure_per_yr"], years),
        "delta_v_m_per_s_per_yr": dv_per_yr,
        "decay_time_yr": decay_s / SECONDS_PER_JULIAN_YEAR,
        "contact_time_s_per_day": contact,
        "downlink_bits_per_day": bits_day,
        "gamma_fits": comms.gamma_fits(f["workload_bits_per_j"], it_w, bits_day * count),
        "specific_power_w_per_kg": array_w / mass,
    }
    return count, array_w, mass, subsystems
