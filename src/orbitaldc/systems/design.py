"""The one satellite design every analysis uses: :class:`SatelliteDesign`.

The bottom-up sizing (:mod:`orbitaldc.systems.bottom_up`) produces it; the orbital chain costs
it, the optimizer's constraints read its checks, and the time-stepped simulator steps it
(:meth:`SatelliteDesign.per_satellite` gives one satellite's share). Quantities are fleet totals
unless a name says otherwise; arrays have the scenario's broadcast shape.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, NamedTuple

import numpy as np

__all__ = ["DesignChecks", "OrbitEnvironment", "SatelliteDesign", "Subsystem"]


class Subsystem(NamedTuple):
    """Mass, area, electrical power and cost of one subsystem (fleet totals).

    ``area_m2`` is the panel area where the subsystem has one (array, radiator, shield) and 0
    elsewhere; ``power_w`` is the electrical power it produces (array) or consumes (payload,
    bus), 0 where not meaningful; ``cost_usd`` is the cost charged for it apart from the
    satellite's $/W price, 0 where the $/W price covers it.
    """

    mass_kg: np.ndarray
    area_m2: np.ndarray
    power_w: np.ndarray
    cost_usd: np.ndarray

    def scaled(self, factor) -> "Subsystem":
        """Every extensive quantity multiplied by ``factor`` (e.g. ``1 / satellite_count``).

        Parameters
        ----------
        factor : float or array_like
            Multiplier [-], broadcast against the fields.

        Returns
        -------
        Subsystem
            Mass [kg], area [m2], power [W] and cost [USD] each times ``factor``.

        References
        ----------
        .. [1] SMAD (Wertz & Larson 1999), ch. 10: spacecraft mass and power budgets by subsystem.
        """
        return Subsystem(*(np.asarray(x, dtype=float) * factor for x in self))


class OrbitEnvironment(NamedTuple):
    """The orbit's environment over the mission (sunlight, the sizing orbit, radiator loads, atmosphere).

    ``sun_fraction`` is the fraction the chain used (typed or the orbit's year average);
    ``sizing_eclipse_s`` and ``period_s`` describe the worst orbit the array and battery are sized
    for (the longest eclipse of the year; with a typed sun fraction, ``(1 - s)`` of every orbit);
    ``radiator_absorbed_w_per_m2`` is the environmental load on the radiator's emitting faces and
    ``radiator_earth_view_factor`` their summed Earth view factor; ``solar_max_share`` the mission's
    time-average solar activity (0 minimum, 1 maximum) and ``density_kg_per_m3`` the mission-average
    atmospheric density at the orbit.
    """

    orbit_type: str
    altitude_m: np.ndarray
    inclination_rad: np.ndarray
    sun_fraction: np.ndarray
    orbit_sun_fraction: np.ndarray
    eclipse_fraction: np.ndarray
    max_eclipse_duration_s: np.ndarray
    eclipses_per_yr: np.ndarray
    period_s: np.ndarray
    sizing_eclipse_s: np.ndarray
    radiator_absorbed_w_per_m2: np.ndarray
    radiator_earth_view_factor: np.ndarray
    solar_max_share: np.ndarray
    density_kg_per_m3: np.ndarray


class DesignChecks(NamedTuple):
    """Engineering checks of the design (the optimizer's constraints read these) and its availability.

    Dose: ``dose_rad_si_per_yr`` (total) and its parts (trapped protons, trapped electrons, cosmic
    rays plus solar events). Upsets: the shielded proton flux above the upset threshold, upsets
    and uncorrected upsets per GPU, node (satellite) interruptions per day. Availability, the
    fraction of compute the economics delivers: ``availability = (1 - radiation_compute_loss) x
    link_delivered_fraction`` with ``radiation_compute_loss`` from checkpoints, restarts, ECC and
    redundancy, and ``link_delivered_fraction`` the share of the output the ground links can carry.
    Links: ``downlink_bits_per_day`` is each satellite's share of what the fleet can deliver (its
    own contact time x rate x clear sky, capped by ``network_downlink_bits_per_day`` = stations in
    view x terminals x rate x clear sky, ``stations_in_view`` the time-averaged count of the
    network's stations that see the constellation). Drag and disposal: make-up delta-v per year, natural decay time
    of the tumbling satellite, deorbit delta-v to meet the disposal rule.
    """

    die_temperature_k: np.ndarray
    dose_rad_si_per_yr: np.ndarray
    dose_trapped_proton_rad_per_yr: np.ndarray
    dose_trapped_electron_rad_per_yr: np.ndarray
    dose_cosmic_rad_per_yr: np.ndarray
    dose_margin: np.ndarray
    years_to_dose_limit: np.ndarray
    shielded_proton_flux_per_cm2_s: np.ndarray
    upsets_per_gpu_day: np.ndarray
    sdc_per_gpu_yr: np.ndarray
    node_interrupts_per_day: np.ndarray
    restart_compute_loss: np.ndarray
    radiation_compute_loss: np.ndarray
    link_delivered_fraction: np.ndarray
    availability: np.ndarray
    lifetime_penalty: np.ndarray
    delta_v_m_per_s_per_yr: np.ndarray
    deorbit_delta_v_m_per_s: np.ndarray
    decay_time_yr: np.ndarray
    contact_time_s_per_day: np.ndarray
    downlink_bits_per_day: np.ndarray
    network_downlink_bits_per_day: np.ndarray
    stations_in_view: np.ndarray
    gamma_fits: np.ndarray
    allowed_depth_of_discharge: np.ndarray
    propellant_mass_fraction: np.ndarray


@dataclass(frozen=True)
class SatelliteDesign:
    """A sized orbital data center: ``satellite_count`` identical satellites (fleet totals).

    Attributes
    ----------
    satellite_count : ndarray
        Whole satellites.
    it_power_w, bus_power_w, load_power_w : ndarray
        IT (compute) load, bus load and their sum, the constant electrical load [W].
    array_rated_power_w : ndarray
        Beginning-of-life array output at its operating temperature in full sun [W]: the worst orbit's
        need (SMAD eq. 11-5) divided by the chain's capacity factor (``sizing_basis``).
    battery_energy_j : ndarray
        Energy the battery delivers through the longest eclipse [J].
    battery_capacity_j : ndarray
        Nameplate capacity, ``battery_energy_j / depth_of_discharge`` [J].
    battery_minimum_j : ndarray
        Lowest allowed state of charge, ``capacity - energy`` [J] (the floor the twin keeps).
    depth_of_discharge : ndarray
        Depth of discharge the battery is sized at.
    heat_load_w : ndarray
        Heat the radiator rejects [W].
    radiator_net_flux_w_per_m2 : ndarray
        Net rejection per m2 of radiator panel [W/m2].
    radiator_emission_factor : ndarray
        ``sides x emissivity x (1 - blockage)``: emitted power per m2 of panel is this times
        ``sigma T^4`` (the environment load is ``environment.radiator_absorbed_w_per_m2``).
    array, battery, radiator, pumped_loop, compute, shielding, structure_bus, propellant : Subsystem
        Mass, area, power and cost of each subsystem.
    total_mass_kg : ndarray
        Launch mass of the fleet [kg].
    environment : OrbitEnvironment
    checks : DesignChecks
    """

    satellite_count: np.ndarray
    it_power_w: np.ndarray
    bus_power_w: np.ndarray
    load_power_w: np.ndarray
    array_rated_power_w: np.ndarray
    battery_energy_j: np.ndarray
    battery_capacity_j: np.ndarray
    battery_minimum_j: np.ndarray
    depth_of_discharge: np.ndarray
    heat_load_w: np.ndarray
    radiator_net_flux_w_per_m2: np.ndarray
    radiator_emission_factor: np.ndarray
    array: Subsystem
    battery: Subsystem
    radiator: Subsystem
    pumped_loop: Subsystem
    compute: Subsystem
    shielding: Subsystem
    structure_bus: Subsystem
    propellant: Subsystem
    total_mass_kg: np.ndarray
    environment: OrbitEnvironment
    checks: DesignChecks

    #: Subsystems in budget order (every one is a :class:`Subsystem` attribute).
    SUBSYSTEMS: ClassVar[tuple[str, ...]] = ("array", "battery", "radiator", "pumped_loop", "compute", "shielding",
                                             "structure_bus", "propellant")
    #: Extensive scalar attributes (divided by the count in :meth:`per_satellite`).
    EXTENSIVE: ClassVar[tuple[str, ...]] = ("it_power_w", "bus_power_w", "load_power_w", "array_rated_power_w",
                                            "battery_energy_j", "battery_capacity_j", "battery_minimum_j", "heat_load_w",
                                            "total_mass_kg")

    def subsystem(self, name: str) -> Subsystem:
        """One subsystem by name (see :attr:`SUBSYSTEMS`).

        Parameters
        ----------
        name : str
            One of :attr:`SUBSYSTEMS`.

        Returns
        -------
        Subsystem
            Its mass [kg], area [m2], power [W] and cost [USD].

        Raises
        ------
        KeyError
            ``name`` is not a subsystem.

        References
        ----------
        .. [1] SMAD (Wertz & Larson 1999), ch. 10: spacecraft mass and power budgets by subsystem.
        """
        if name not in self.SUBSYSTEMS:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def specific_power_w_per_kg(self) -> np.ndarray:
        """Array rating over launch mass [W/kg] (the whole-satellite specific power)."""
        return self.array_rated_power_w / self.total_mass_kg

    def kg_per_kw(self, name: str) -> np.ndarray:
        """A subsystem's mass per kW of IT power (``"total"`` for the whole satellite).

        Parameters
        ----------
        name : str
            One of :attr:`SUBSYSTEMS`, or ``"total"``.

        Returns
        -------
        ndarray
            Mass over IT power [kg/kW].

        References
        ----------
        .. [1] Turyshev (2026), arXiv:2604.27197: the JPL 1 MW case's budget in kg per kW.
        """
        mass = self.total_mass_kg if name == "total" else self.subsystem(name).mass_kg
        return mass / (self.it_power_w / 1e3)

    def per_satellite(self) -> "SatelliteDesign":
        """One satellite's share: every extensive quantity divided by ``satellite_count``.

        Returns
        -------
        SatelliteDesign
            ``satellite_count`` is 1; intensive quantities (depth of discharge, fluxes, the
            environment and the checks) are unchanged.

        References
        ----------
        .. [1] SMAD (Wertz & Larson 1999), ch. 10: spacecraft mass and power budgets by subsystem.
        """
        per = 1.0 / np.asarray(self.satellite_count, dtype=float)
        changes: dict[str, Any] = {name: np.asarray(getattr(self, name), dtype=float) * per
                                   for name in self.EXTENSIVE}
        changes.update({name: getattr(self, name).scaled(per) for name in self.SUBSYSTEMS})
        changes["satellite_count"] = np.ones_like(np.asarray(self.satellite_count, dtype=float))
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Nested plain dict (arrays kept): scalars, ``subsystems`` (with kg per IT kW),
        ``environment`` and ``checks``.

        Returns
        -------
        dict
            Field name -> value in the field's SI unit; ``subsystems`` -> name -> mass [kg],
            area [m2], power [W], cost [USD], ``kg_per_kw``; ``specific_power_w_per_kg``.

        References
        ----------
        .. [1] :mod:`orbitaldc.serialization` writes this dict as JSON (``run --format json``).
        """
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in self.SUBSYSTEMS:
                continue
            out[f.name] = value._asdict() if isinstance(value, tuple) else value
        out["subsystems"] = {name: {**getattr(self, name)._asdict(), "kg_per_kw": self.kg_per_kw(name)}
                             for name in self.SUBSYSTEMS}
        out["specific_power_w_per_kg"] = self.specific_power_w_per_kg
        out["kg_per_kw"] = self.kg_per_kw("total")
        return out
