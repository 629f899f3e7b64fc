"""The satellite the twin steps: one satellite of the averaged model's own design.

The twin does no sizing of its own. :func:`twin_design` takes the bottom-up
:class:`~orbitaldc.systems.design.SatelliteDesign` of the averaged evaluation
(``evaluate(scenario).orbital.design``), divides it per satellite and keeps its load (IT +
bus), array rating and area (with the degradation margin the chain sized in), battery energy,
capacity and depth-of-discharge floor, radiator area, emission and absorbed environment, die
temperature, and the upset/restart model of :mod:`orbitaldc.physics.radiation` (node interrupt
rate, Young/Daly checkpoints, restart time, ECC and redundancy). The twin adds only what a
time-stepped model needs beyond the averaged one: whole GPUs, a heat capacity, the radiator's
environment in eclipse and the interrupt rate's trapped-proton part (met in the SAA).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from orbitaldc.constants import SECONDS_PER_DAY, SOLAR_CONSTANT_W_PER_M2
from orbitaldc.errors import ScenarioError


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
        The design's ``radiator_emission_factor`` (emission over ``sigma T^4`` per panel area) [-].
    absorbed_sun_w_per_m2, absorbed_eclipse_w_per_m2 : float
        Environmental flux absorbed per panel area in full sun (the design's
        ``environment.radiator_absorbed_w_per_m2``) and in eclipse (Earth IR only) [W/m2].
    heat_capacity_j_per_k : float
        Lumped heat capacity of radiator, loop and payload [J/K].
    die_rise_k : float
        Die temperature above the radiator node at full load (the design's die-temperature
        check less ``radiator_temperature_k``) [K].
    interrupts_per_s, proton_interrupts_per_s : float
        The design's orbit-average node (whole-satellite) interrupt rate and its trapped-proton
        part [1/s] (``checks.node_interrupts_per_day``; :mod:`orbitaldc.physics.radiation`).
    restart_s : float
        Time to restart the node after an interruption (``node_restart_s``) [s].
    checkpoint_interval_s, checkpoint_overhead : float
        Young/Daly interval [s] (``inf`` without interruptions) and the share of compute
        spent writing checkpoints, ``C / tau`` [-].
    mitigation_factor : float
        Compute left after ECC and redundant execution, ``(1 - ecc_overhead_fraction) /
        redundant_copies`` [-].
    gpus_replaced : bool
        Failed GPUs are replaced (``replacement`` other than ``"capacity_loss"``): the averaged
        model keeps the capacity and charges the replacement, so the twin loses none.
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
    die_rise_k: float
    interrupts_per_s: float
    proton_interrupts_per_s: float
    restart_s: float
    checkpoint_interval_s: float
    checkpoint_overhead: float
    mitigation_factor: float
    gpus_replaced: bool


def eclipse_absorbed_w_per_m2(values: Mapping[str, Any], absorbed_sun_w_per_m2: float) -> float:
    """Environmental flux the design's radiator absorbs in eclipse [W/m2 of panel].

    Parameters
    ----------
    values : mapping
        Scenario values (``altitude_m`` and the radiator parameters of ``physics.toml``).
    absorbed_sun_w_per_m2 : float
        The design's absorbed flux in sun (``environment.radiator_absorbed_w_per_m2``) [W/m2].

    Returns
    -------
    float
        ``q_sun`` less the sunlight-borne part (direct sun and albedo) of
        :func:`orbitaldc.physics.thermal.radiator_absorbed_flux_w_per_m2` with the design's
        geometric Earth view factors: the Earth's infrared alone [W/m2].

    References
    ----------
    .. [1] Gilmore (ed.), *Spacecraft Thermal Control Handbook*, vol. I, 2nd ed. (2002), ch. 2
       (environmental loads: sun and albedo vanish in eclipse, Earth IR stays).
    """
    from orbitaldc.physics.thermal import radiator_absorbed_flux_w_per_m2

    f = lambda k: values_float(values, k)  # noqa: E731

    def absorbed(solar):
        return _one(radiator_absorbed_flux_w_per_m2(
            f("altitude_m"), f("radiator_nadir_angle_rad"), f("radiator_sides"), f("radiator_absorptivity"),
            f("radiator_emissivity"), solar, f("earth_albedo"), f("earth_ir_w_per_m2"), f("radiator_sun_incidence")))

    return absorbed_sun_w_per_m2 - (absorbed(SOLAR_CONSTANT_W_PER_M2) - absorbed(0.0))


def interrupt_rates(design, values: Mapping[str, Any]) -> tuple[float, float]:
    """The design's orbit-average node interrupt rate and its trapped-proton part [1/s].

    Parameters
    ----------
    design : orbitaldc.systems.design.SatelliteDesign
        One satellite of the design (``per_satellite()``).
    values : mapping
        Scenario values (the ``Upsets`` group: cross-section, memory, uncorrected fraction).

    Returns
    -------
    (rate, proton_rate) : tuple of float
        ``checks.node_interrupts_per_day / 86400 s`` and
        :func:`orbitaldc.physics.radiation.node_interrupt_rate_per_s` of the proton term of
        :func:`~orbitaldc.physics.radiation.upset_rate_per_bit_s` alone (the design's shielded
        proton flux x cross-section; no cosmic rays, no ground floor) for the same node of
        ``max(1, P_IT / gpu_power_w)`` GPUs as the averaged model.

    References
    ----------
    .. [1] E. L. Petersen, *Single Event Effects in Aerospace*, Wiley-IEEE (2011), ch. 7.
    """
    from orbitaldc.physics import radiation

    f = lambda k: values_float(values, k)  # noqa: E731
    checks = design.checks
    rate = _one(checks.node_interrupts_per_day) / SECONDS_PER_DAY
    proton_per_bit = radiation.upset_rate_per_bit_s(_one(checks.shielded_proton_flux_per_cm2_s),
                                                    f("proton_upset_cross_section_m2_per_bit"), 0.0, 0.0)
    gpus_per_node = max(1.0, _one(design.it_power_w) / f("gpu_power_w"))
    proton = _one(radiation.node_interrupt_rate_per_s(proton_per_bit, f("memory_bits_per_w") * f("gpu_tdp_w"),
                                                      f("uncorrected_upset_fraction"), 0.0, gpus_per_node))
    return rate, min(proton, rate)


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
    radiator area, net flux, emission factor and absorbed flux, die temperature, the node
    interrupt rate and the mitigation of the upset/restart model
    (:mod:`orbitaldc.physics.radiation`). Added: ``gpus = max(1, round(P_IT / gpu_power_w))``;
    heat capacity ``sim_heat_capacity_j_per_k_per_w x load``; the eclipse environment; the
    Young/Daly interval ``sqrt(2 C / lambda)`` of the node rate and the checkpoint share
    :func:`~orbitaldc.physics.radiation.restart_loss_rate` at no interruption, ``C / tau``.

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
    q_sun = _one(per.environment.radiator_absorbed_w_per_m2)
    rate, proton = interrupt_rates(per, values)
    cost, restart = f("checkpoint_cost_s"), f("node_restart_s")
    interval = float(radiation.young_daly_interval_s(cost, 1.0 / rate)) if rate > 0 else math.inf
    load = _one(per.load_power_w)
    return TwinDesign(
        rated_power_w=_one(per.array_rated_power_w), array_area_m2=_one(per.array.area_m2), load_w=load,
        compute_w=compute, bus_w=_one(per.bus_power_w), gpus=gpus, battery_energy_j=_one(per.battery_energy_j),
        battery_capacity_j=capacity, battery_minimum_j=(1.0 - _one(per.depth_of_discharge)) * capacity,
        radiator_area_m2=_one(per.radiator.area_m2), radiator_net_flux_w_per_m2=_one(per.radiator_net_flux_w_per_m2),
        emittance=_one(per.radiator_emission_factor), absorbed_sun_w_per_m2=q_sun,
        absorbed_eclipse_w_per_m2=eclipse_absorbed_w_per_m2(values, q_sun),
        heat_capacity_j_per_k=f("sim_heat_capacity_j_per_k_per_w") * load,
        die_rise_k=_one(per.checks.die_temperature_k) - f("radiator_temperature_k"),
        interrupts_per_s=rate, proton_interrupts_per_s=proton, restart_s=restart, checkpoint_interval_s=interval,
        checkpoint_overhead=float(radiation.restart_loss_rate(0.0, interval, cost, restart)) if rate > 0 else 0.0,
        mitigation_factor=(1.0 - f("ecc_overhead_fraction")) / f("redundant_copies"),
        gpus_replaced=str(values["replacement"]) != "capacity_loss")
