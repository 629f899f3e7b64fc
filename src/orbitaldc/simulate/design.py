"""The satellite the twin steps: one satellite of the averaged model's own design.

The twin does no sizing of its own. :func:`twin_design` takes the bottom-up
:class:`~orbitaldc.systems.design.SatelliteDesign` of the averaged evaluation
(``evaluate(scenario).orbital.design``), divides it per satellite and keeps its load (IT +
bus), array rating and area (with the degradation margin the chain sized in), battery energy,
capacity and depth-of-discharge floor, radiator area and net flux. The twin adds only what a
time-stepped model needs beyond the averaged one: whole GPUs, a heat capacity, the radiator's
environment in sun and in eclipse, and a checkpoint interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_JULIAN_YEAR, SOLAR_CONSTANT_W_PER_M2, STEFAN_BOLTZMANN_W_PER_M2_K4
from orbitaldc.errors import ScenarioError
from orbitaldc.simulate import faults


def values_float(values: Mapping[str, Any], key: str) -> float:
    """One scalar parameter of a single-point scenario, as a float.

    Parameters
    ----------
    values : mapping
        ``Scenario.values``.
    key : str
        Parameter name.

    Returns
    -------
    float

    Raises
    ------
    ScenarioError
        Where the value is an array of more than one element (the twin runs one point).

    References
    ----------
    .. [1] ``orbitaldc.params`` (the parameter library's units and ranges).
    """
    v = values[key]
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise ScenarioError(f"{key}: the simulation needs a single value, got an array of {v.size}")
        v = v.item()
    return float(v)


def _one(x) -> float:
    return float(np.asarray(x, dtype=float).reshape(-1)[0])


@dataclass(frozen=True)
class TwinDesign:
    """One satellite of the shared design, as the twin steps it (SI units).

    Attributes
    ----------
    rated_power_w : float
        Array output at beginning of life, operating temperature, full sun
        (``SatelliteDesign.array_rated_power_w`` per satellite) [W].
    array_area_m2 : float
        Array panel area [m2].
    load_w, compute_w, bus_w : float
        Constant load and its IT and bus parts (``load_power_w``, ``it_power_w``,
        ``bus_power_w`` per satellite) [W].
    gpus : int
        Whole GPUs of ``gpu_power_w`` in the IT load (at least 1).
    battery_energy_j, battery_capacity_j, battery_minimum_j : float
        Usable energy, nameplate capacity and the depth-of-discharge floor
        ``(1 - DoD) C`` [J].
    radiator_area_m2 : float
        Radiator panel area [m2].
    radiator_net_flux_w_per_m2 : float
        The design's net rejection per panel area at ``radiator_temperature_k`` in sun [W/m2].
    emittance : float
        ``sides x eps x F_space`` (emission over ``sigma T^4`` per panel area) [-].
    absorbed_sun_w_per_m2, absorbed_eclipse_w_per_m2 : float
        Environmental flux absorbed per panel area in full sun and in eclipse [W/m2].
    heat_capacity_j_per_k : float
        Lumped heat capacity of radiator, loop and payload [J/K].
    upsets_per_gpu_s : float
        Orbit-average job-interrupting upsets per GPU [1/s] (the design's checks).
    checkpoint_interval_s, checkpoint_overhead : float
        Young/Daly interval [s] (``inf`` without interruptions) and the share of compute
        spent writing checkpoints [-].
    """

    rated_power_w: float
    array_area_m2: float
    load_w: float
    compute_w: float
    bus_w: float
    gpus: int
    battery_energy_j: float
    battery_capacity_j: float
    battery_minimum_j: float
    radiator_area_m2: float
    radiator_net_flux_w_per_m2: float
    emittance: float
    absorbed_sun_w_per_m2: float
    absorbed_eclipse_w_per_m2: float
    heat_capacity_j_per_k: float
    upsets_per_gpu_s: float
    checkpoint_interval_s: float
    checkpoint_overhead: float


def radiator_environment(values: Mapping[str, Any], net_flux_w_per_m2: float,
                         temperature_k: float) -> tuple[float, float, float]:
    """Emittance and absorbed environment of the design's radiator, in sun and in eclipse.

    Parameters
    ----------
    values : mapping
        Scenario values (radiator and Earth parameters of ``physics.toml``).
    net_flux_w_per_m2 : float
        The design's net rejection per panel area at ``temperature_k`` in sun [W/m2].
    temperature_k : float
        Radiator design temperature [K].

    Returns
    -------
    (emittance, absorbed_sun, absorbed_eclipse) : tuple of float
        ``e = sides eps F_space``; ``q_sun = e sigma T^4 - q_net``, so that the twin's node at
        full load in sun is in balance exactly at the design temperature; ``q_eclipse`` is
        ``q_sun`` less the sunlight-borne part (direct sun and albedo) of
        :func:`orbitaldc.physics.thermal.absorbed_environment_flux_w_per_m2` [W/m2].

    References
    ----------
    .. [1] Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002), ch. 2
       (environmental loads) and ch. 6 (radiator balance).
    """
    from orbitaldc.physics.thermal import absorbed_environment_flux_w_per_m2

    f = lambda k: values_float(values, k)  # noqa: E731
    emittance = f("radiator_sides") * f("radiator_emissivity") * f("radiator_view_factor_space")
    q_sun = emittance * STEFAN_BOLTZMANN_W_PER_M2_K4 * temperature_k ** 4 - net_flux_w_per_m2

    def absorbed(solar):
        return _one(absorbed_environment_flux_w_per_m2(
            f("radiator_absorptivity"), f("radiator_emissivity"), solar, f("earth_albedo"), f("earth_ir_w_per_m2"),
            f("radiator_view_factor_earth"), f("radiator_sun_incidence"), f("radiator_sides")))

    return emittance, q_sun, q_sun - (absorbed(SOLAR_CONSTANT_W_PER_M2) - absorbed(0.0))


def twin_design(design, values: Mapping[str, Any]) -> TwinDesign:
    """One satellite of the averaged model's design, with what the time steps add.

    Parameters
    ----------
    design : orbitaldc.systems.design.SatelliteDesign or None
        ``evaluate(scenario).orbital.design`` (a single point).
    values : mapping
        The same scenario's values.

    Returns
    -------
    TwinDesign

    Raises
    ------
    ScenarioError
        Where the scenario has no physical design (``mass_model = "specific_power"``): the twin
        has no battery or radiator to step.

    Notes
    -----
    Shared (per satellite): load, array rating and area, battery energy, capacity and floor,
    radiator area and net flux. Added: ``gpus = max(1, round(P_IT / gpu_power_w))``; heat
    capacity ``sim_heat_capacity_j_per_k_per_w x load``; Young/Daly checkpoint interval
    ``sqrt(2 C M)`` for the satellite's interruption rate ``M^-1 = gpus (r_upset + h_gpu)``
    with ``h_gpu = -ln(1 - gpu_failure_per_yr)`` per year.

    References
    ----------
    .. [1] J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
       dumps", Future Gener. Comput. Syst. 22 (2006) 303-312.
    """
    from orbitaldc.physics import radiation

    if design is None:
        model = values.get("mass_model", "?")
        raise ScenarioError(f"mass_model = {model!r}: the simulation steps the bottom-up satellite design "
                            "(battery, radiator, array), which this mass model does not size; "
                            "set mass_model = 'bottom_up'")
    f = lambda k: values_float(values, k)  # noqa: E731
    per = design.per_satellite()
    compute = _one(per.it_power_w)
    gpus = max(1, int(round(compute / f("gpu_power_w"))))
    capacity = _one(per.battery_capacity_j)
    net = _one(per.radiator_net_flux_w_per_m2)
    emittance, q_sun, q_dark = radiator_environment(values, net, f("radiator_temperature_k"))
    upsets = faults.orbit_average_upsets_per_gpu_s(per.checks)
    hazard_gpu = -math.log1p(-f("gpu_failure_per_yr")) / SECONDS_PER_JULIAN_YEAR
    rate = gpus * (upsets + hazard_gpu)
    interval = float(radiation.young_daly_interval_s(f("checkpoint_cost_s"), 1.0 / rate)) if rate > 0 else math.inf
    load = _one(per.load_power_w)
    return TwinDesign(
        rated_power_w=_one(per.array_rated_power_w), array_area_m2=_one(per.array.area_m2), load_w=load,
        compute_w=compute, bus_w=_one(per.bus_power_w), gpus=gpus, battery_energy_j=_one(per.battery_energy_j),
        battery_capacity_j=capacity, battery_minimum_j=(1.0 - _one(per.depth_of_discharge)) * capacity,
        radiator_area_m2=_one(per.radiator.area_m2), radiator_net_flux_w_per_m2=net, emittance=emittance,
        absorbed_sun_w_per_m2=q_sun, absorbed_eclipse_w_per_m2=q_dark,
        heat_capacity_j_per_k=f("sim_heat_capacity_j_per_k_per_w") * load, upsets_per_gpu_s=upsets,
        checkpoint_interval_s=interval,
        checkpoint_overhead=float(faults.checkpoint_write_fraction(f("checkpoint_cost_s"), interval)))
