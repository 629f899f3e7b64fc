"""Typed, grouped inputs of the model chains, and what each model choice reads.

Each group is a frozen dataclass whose field names *are* library parameter names, so a group
declares the parameters it reads and cannot drift from them (the way pvlib's ``ModelChain``
declares ``_DC_MODEL_PARAMS``). A chain's inputs are built from a scenario's values by
:meth:`OrbitalInputs.from_values` / :meth:`TerrestrialInputs.from_values`, which pick the groups
the scenario's model choices need; :func:`orbital_reads`, :func:`terrestrial_reads` and
:func:`design_check_reads` answer "which parameters can move this side's results" from those
declarations alone, without evaluating the model (used by explain, optimize and the Monte Carlo;
``docs/architecture.md``: "what can move this result" is read from declarations, not probed).

Numeric fields hold float arrays (any shape that broadcasts with the scenario); model choices
hold strings. The base (:class:`InputGroup`, :func:`numeric_inputs`) lives in
:mod:`orbitaldc.systems.groups`, the like-for-like economics groups (scope, clock, IT, lives,
operating costs, carbon) in :mod:`orbitaldc.systems.economic_inputs` and the bottom-up physics groups
in :mod:`orbitaldc.systems.design_inputs`; all are re-exported here.

.. [Holmgren] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for
   modeling solar energy systems", J. Open Source Software 3(29), 884 (2018): ``ModelChain``
   declares the parameters each model choice reads, the model for these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from orbitaldc.systems.economic_inputs import (CarbonPrice, Escalation, FacilityLives, GasPlantLife,
                                               GroundSegmentLife, ITEquipment, ITLife, LaunchCarbon, OrbitalDiscount,
                                               OrbitalIT, OrbitalOpex, SatelliteLife, Scope, TerrestrialDiscount)
from orbitaldc.systems.design_inputs import (Array, Battery, BoardCompute, BottomUpInputs, ChassisCompute, DieThermal,
                                             Dose, Drag, ExponentialAtmosphere, Links, MsisAtmosphere, Orbit, Payload,
                                             PowerSystem, Radiator, Shield, SolarCycle, Structure, Upsets)
from orbitaldc.systems.groups import InputGroup, numeric_inputs

__all__ = [
    "Array", "Battery", "BoardCompute", "BottomUpInputs", "ChassisCompute", "ComputeEconomics", "CustomVehicle",
    "CustomVehiclePrice", "DieThermal", "Dose", "Drag", "ExponentialAtmosphere", "Facility", "Fleet", "GasPlant",
    "GridSupply", "InputGroup", "Launch", "LaunchPerKg", "Links", "Mission", "MsisAtmosphere", "Orbit",
    "OrbitalInputs", "Payload", "PowerSystem", "Radiator", "Shield", "SolarCycle", "SpecificPowerMass",
    "Structure", "TerrestrialInputs", "TypedSunFraction", "Upsets", "design_check_reads", "numeric_inputs",
    "AVAILABILITY_FIELD", "CarbonPrice", "Escalation", "FacilityLives", "GasPlantLife", "ITEquipment", "ITLife",
    "LaunchCarbon", "OrbitalDiscount", "OrbitalIT", "OrbitalOpex", "SatelliteLife", "Scope", "TerrestrialDiscount",
    "field_reads", "orbital_reads", "reads_by_side", "terrestrial_reads",
]


# ----------------------------------------------------------------------------- shared

@dataclass(frozen=True)
class Mission(InputGroup):
    """What both sides deliver: IT power for a number of years."""

    target_power_w: Any
    analysis_years: Any


@dataclass(frozen=True)
class ComputeEconomics(InputGroup):
    """Discounting, the compute unit (GPU-hours) and its price, shared by both sides.

    These move only the discounted and per-GPU-hour results (:data:`ECONOMICS_FIELDS`); the
    undiscounted totals, masses and counts never read them, except that under
    ``cost_basis = "lifecycle"`` residual values are valued at the side's discount rate.
    """

    discount_rate_per_yr: Any
    gpu_power_w: Any
    gpu_utilization: Any
    compute_price_usd_per_gpu_hour: Any


_DISCOUNT = ("discount_rate_per_yr", "orbital_discount_rate_per_yr", "terrestrial_discount_rate_per_yr")
_UNIT = ("gpu_power_w", "gpu_utilization")
_PRICE = ("compute_price_usd_per_gpu_hour",)
#: Result fields that read parameters of :class:`ComputeEconomics` (and the side discount rates), and which ones.
ECONOMICS_FIELDS: dict[str, tuple[str, ...]] = {
    "lcoe_usd_per_mwh": _DISCOUNT,
    "lcoc_usd_per_gpu_hour": _DISCOUNT + _UNIT,
    "delivered_gpu_hours": _UNIT,
    "npv_usd": _DISCOUNT + _UNIT + _PRICE,
    "irr_per_yr": _UNIT + _PRICE,
    "payback_years": _UNIT + _PRICE,
    "pv_cost_usd": _DISCOUNT,
    "pv_hardware_cost_usd": _DISCOUNT,
    "pv_gpu_hours": _DISCOUNT + _UNIT,
    "discount_rate_per_yr": _DISCOUNT,
}
#: Timing parameters that move only discounted results (when money and output happen).
TIMING_PARAMETERS = ("launches_per_yr", "grid_connection_delay_yr", "construction_years")
#: Result fields that read the timing parameters (besides the deployment time itself).
TIMED_FIELDS = ("lcoe_usd_per_mwh", "lcoc_usd_per_gpu_hour", "npv_usd", "irr_per_yr", "payback_years",
                "deployment_years", "pv_cost_usd", "pv_hardware_cost_usd", "pv_gpu_hours")
#: Parameters whose presence in a side's reads means ``cost_basis = "lifecycle"`` (residual values
#: are then valued at the discount rate, so every cost reads it).
LIFECYCLE_MARKERS = ("satellite_life_yr", "civil_life_yr")


def field_reads(side_reads: frozenset[str], field: str) -> frozenset[str]:
    """Narrow a side's declared reads to one result field.

    Parameters
    ----------
    side_reads : frozenset of str
        :func:`orbital_reads` or :func:`terrestrial_reads` of the scenario.
    field : str
        A result field (``OrbitalResult.SUMMARY`` / ``TerrestrialResult.SUMMARY``).

    Returns
    -------
    frozenset of str
        Without the :class:`ComputeEconomics` parameters the field does not read
        (:data:`ECONOMICS_FIELDS`; the discount rates stay for cost fields under a life-cycle
        basis) and without the timing parameters unless it is timed (:data:`TIMED_FIELDS`).

    References
    ----------
    .. [1] Holmgren et al. (2018), pvlib's ``ModelChain`` (see the module notes).
    """
    keep = set(ECONOMICS_FIELDS.get(field, ()))
    if any(m in side_reads for m in LIFECYCLE_MARKERS) and (field.endswith("_usd") or field.endswith("_usd_per_w")
                                                          or field == "npv_usd"):
        keep |= set(_DISCOUNT)
    drop = (set(ComputeEconomics.names()) | set(_DISCOUNT)) - keep
    if field not in TIMED_FIELDS:
        drop |= set(TIMING_PARAMETERS)
    return side_reads - drop


# ----------------------------------------------------------------------------- orbital

@dataclass(frozen=True)
class Fleet(InputGroup):
    """Whole-fleet sizing and costing inputs every orbital mass model reads."""

    satellite_power_w: Any
    satellite_cost_usd_per_w: Any
    cell_degradation_per_yr: Any
    gpu_failure_per_yr: Any
    nre_cost_usd: Any
    ops_cost_fraction_per_yr: Any
    shielding_kg_per_w: Any
    shielding_cost_usd_per_kg: Any
    sizing_basis: str
    replacement: str
    mass_model: str
    sun_fraction_model: str


@dataclass(frozen=True)
class TypedSunFraction(InputGroup):
    """A sun fraction typed by the analyst (``sun_fraction_model = "typed"``)."""

    sun_fraction: Any


@dataclass(frozen=True)
class SpecificPowerMass(InputGroup):
    """McCalip's whole-satellite mass model (``mass_model = "specific_power"``)."""

    specific_power_w_per_kg: Any


@dataclass(frozen=True)
class Launch(InputGroup):
    """Launch vehicle, cadence and the Wright's-law price learning every launch model reads."""

    launch_pricing: str
    launch_vehicle: str
    launches_per_yr: Any
    launch_learning_rate: Any
    launch_reference_mass_kg: Any
    launch_floor_usd_per_kg: Any


@dataclass(frozen=True)
class LaunchPerKg(InputGroup):
    """A list price per kg (``launch_pricing = "per_kg"``)."""

    launch_cost_usd_per_kg: Any


@dataclass(frozen=True)
class CustomVehicle(InputGroup):
    """A vehicle outside the catalog (``launch_vehicle = "custom"``)."""

    launch_payload_kg: Any


@dataclass(frozen=True)
class CustomVehiclePrice(InputGroup):
    """The price of a custom vehicle's launch (``per_launch`` pricing of a ``custom`` vehicle)."""

    launch_price_usd: Any


#: The design check (:class:`~orbitaldc.systems.design.DesignChecks` field) that is the fraction of
#: compute the fleet delivers; the orbital chain multiplies delivered GPU-hours by it. The groups
#: that move it (upsets, links) are sizing groups of :class:`BottomUpInputs`.
AVAILABILITY_FIELD = "availability"


@dataclass(frozen=True)
class OrbitalInputs:
    """The orbital chain's inputs: the groups its model choices need (others are None)."""

    mission: Mission
    economics: ComputeEconomics
    scope: Scope
    escalation: Escalation | None
    carbon: CarbonPrice
    discount: OrbitalDiscount
    fleet: Fleet
    launch: Launch
    opex: OrbitalOpex
    launch_per_kg: LaunchPerKg | None
    custom_vehicle: CustomVehicle | None
    custom_price: CustomVehiclePrice | None
    launch_carbon: LaunchCarbon | None
    typed_sun: TypedSunFraction | None
    orbit: Orbit | None
    specific_power: SpecificPowerMass | None
    it: ITEquipment | None
    it_space: OrbitalIT | None
    it_mass: BoardCompute | ChassisCompute | None
    it_packaging: Payload | None
    satellite_life: SatelliteLife | None
    it_life: ITLife | None
    ground_segment_life: GroundSegmentLife | None
    physics: BottomUpInputs | None

    @classmethod
    def from_values(cls, f: Mapping[str, Any]) -> "OrbitalInputs":
        """Pick and build the groups the scenario's model choices read.

        Parameters
        ----------
        f : mapping
            Complete parameter values (numbers as float arrays, see :func:`numeric_inputs`).

        Returns
        -------
        OrbitalInputs
            The groups present; a group the model choices do not read is ``None``.

        References
        ----------
        .. [1] pvlib ``ModelChain``: each model choice declares the parameters it reads.
        """
        custom = f["launch_vehicle"] == "custom"
        per_kg = f["launch_pricing"] == "per_kg"
        bottom_up = f["mass_model"] == "bottom_up"
        orbit_sun = f["sun_fraction_model"] == "orbit"
        all_in = f["cost_scope"] == "all_in"
        lifecycle = f["cost_basis"] == "lifecycle"
        refresh = lifecycle and f["orbital_it_refresh"] == "relaunch"
        return cls(
            mission=Mission.take(f), economics=ComputeEconomics.take(f), scope=Scope.take(f),
            escalation=Escalation.take(f) if f["dollar_escalation"] == "cpi" else None,
            carbon=CarbonPrice.take(f), discount=OrbitalDiscount.take(f), fleet=Fleet.take(f), launch=Launch.take(f),
            opex=OrbitalOpex.take(f),
            launch_per_kg=LaunchPerKg.take(f) if per_kg else None,
            custom_vehicle=CustomVehicle.take(f) if custom else None,
            custom_price=CustomVehiclePrice.take(f) if custom and not per_kg else None,
            launch_carbon=LaunchCarbon.take(f) if custom else None,
            typed_sun=None if orbit_sun else TypedSunFraction.take(f),
            orbit=Orbit.take(f) if orbit_sun or bottom_up else None,
            specific_power=None if bottom_up else SpecificPowerMass.take(f),
            it=ITEquipment.take(f) if all_in else None,
            it_space=OrbitalIT.take(f) if all_in else None,
            it_mass=((BoardCompute if f["compute_packaging"] == "board" else ChassisCompute).take(f)
                     if all_in and not bottom_up else None),
            it_packaging=Payload.take(f) if all_in and not bottom_up else None,
            satellite_life=SatelliteLife.take(f) if lifecycle else None,
            it_life=ITLife.take(f) if refresh else None,
            ground_segment_life=GroundSegmentLife.take(f) if lifecycle else None,
            physics=BottomUpInputs.from_values(f) if bottom_up else None,
        )

    def groups(self, checks: bool = False) -> list[Any]:
        """The groups present (with ``checks``, the bottom-up design-check groups too).

        The groups that move the design's availability (upsets, links) are sizing groups, so they
        count as read without ``checks`` too.

        Parameters
        ----------
        checks : bool
            Include the groups only the design checks read.

        Returns
        -------
        list
            The :class:`~orbitaldc.systems.groups.InputGroup` instances present.

        References
        ----------
        .. [1] pvlib ``ModelChain``: each model choice declares the parameters it reads.
        """
        out = [getattr(self, f.name) for f in fields(self) if f.name != "physics"]
        out = [g for g in out if g is not None]
        if self.physics is not None:
            present = [getattr(self.physics, f.name) for f in fields(self.physics)]
            out += [g for g in present if g is not None and (checks or type(g) in BottomUpInputs.SIZING)]
        return out


@dataclass(frozen=True)
class Facility(InputGroup):
    """The terrestrial facility: efficiency, availability, capex buckets, timing, operations, water."""

    pue: Any
    capacity_factor: Any
    terrestrial_availability: Any
    terrestrial_power_source: str
    electrical_capex_usd_per_w: Any
    mechanical_capex_usd_per_w: Any
    civil_capex_usd_per_w: Any
    network_capex_usd_per_w: Any
    other_capex_usd_per_w: Any
    construction_years: Any
    grid_connection_delay_yr: Any
    terrestrial_om_fraction_per_yr: Any
    terrestrial_staff_usd_per_kw_yr: Any
    property_tax_fraction_per_yr: Any
    terrestrial_insurance_fraction_per_yr: Any
    facility_embodied_co2e_kg_per_kw: Any
    water_l_per_kwh: Any


@dataclass(frozen=True)
class GasPlant(InputGroup):
    """On-site gas turbines (``terrestrial_power_source = "gas"``)."""

    gas_turbine_capex_usd_per_kw: Any
    gas_price_usd_per_mmbtu: Any
    heat_rate_btu_per_kwh: Any
    gas_co2_kg_per_mmbtu: Any
    gas_plant_fixed_om_usd_per_kw_yr: Any
    gas_plant_variable_om_usd_per_mwh: Any


@dataclass(frozen=True)
class GridSupply(InputGroup):
    """Grid power (``terrestrial_power_source = "grid"``)."""

    grid_price_usd_per_kwh: Any
    grid_co2_kg_per_kwh: Any


@dataclass(frozen=True)
class TerrestrialInputs:
    """The terrestrial chain's inputs (groups the model choices need; others None)."""

    mission: Mission
    economics: ComputeEconomics
    scope: Scope
    escalation: Escalation | None
    carbon: CarbonPrice
    discount: TerrestrialDiscount
    facility: Facility
    gas: GasPlant | None
    grid: GridSupply | None
    it: ITEquipment | None
    lives: FacilityLives | None
    gas_life: GasPlantLife | None
    it_life: ITLife | None

    @classmethod
    def from_values(cls, f: Mapping[str, Any]) -> "TerrestrialInputs":
        """Pick and build the groups the scenario's power source, scope and basis read.

        Parameters
        ----------
        f : mapping
            Complete parameter values (numbers as float arrays, see :func:`numeric_inputs`).

        Returns
        -------
        TerrestrialInputs
            The groups present; a group the model choices do not read is ``None``.

        References
        ----------
        .. [1] pvlib ``ModelChain``: each model choice declares the parameters it reads.
        """
        gas = f["terrestrial_power_source"] == "gas"
        lifecycle = f["cost_basis"] == "lifecycle"
        return cls(
            Mission.take(f), ComputeEconomics.take(f), Scope.take(f),
            Escalation.take(f) if f["dollar_escalation"] == "cpi" else None, CarbonPrice.take(f),
            TerrestrialDiscount.take(f), Facility.take(f), GasPlant.take(f) if gas else None,
            None if gas else GridSupply.take(f), ITEquipment.take(f) if f["cost_scope"] == "all_in" else None,
            FacilityLives.take(f) if lifecycle else None, GasPlantLife.take(f) if gas and lifecycle else None,
            ITLife.take(f) if lifecycle else None)

    def groups(self) -> list[Any]:
        """The groups present.

        Returns
        -------
        list
            The :class:`~orbitaldc.systems.groups.InputGroup` instances that are not ``None``.

        References
        ----------
        .. [1] pvlib ``ModelChain``: each model choice declares the parameters it reads.
        """
        return [g for g in (getattr(self, f.name) for f in fields(self)) if g is not None]


def _names(groups) -> frozenset[str]:
    return frozenset(n for g in groups for n in g.names())


def orbital_reads(values: Mapping[str, Any]) -> frozenset[str]:
    """Parameters that can move the orbital side's results for this scenario's model choices.

    Parameters
    ----------
    values : mapping
        Scenario values; only the model-choice strings (``mass_model``, ``launch_pricing``,
        ``launch_vehicle``, ``sun_fraction_model``, ``cost_scope``, ``cost_basis``, ...) are
        looked at.

    Returns
    -------
    frozenset of str
        The names declared by the groups :meth:`OrbitalInputs.from_values` would build (design
        checks excluded; see :func:`design_check_reads`).

    References
    ----------
    .. [1] Holmgren et al. (2018), pvlib's ``ModelChain`` (see the module notes).
    """
    return _names(OrbitalInputs.from_values(values).groups())


def design_check_reads(values: Mapping[str, Any]) -> frozenset[str]:
    """Parameters that move only the bottom-up design checks (die temperature, dose margin).

    Parameters
    ----------
    values : mapping
        Scenario values; ``mass_model`` and the other orbital model choices decide the groups.

    Returns
    -------
    frozenset of str
        Empty unless ``mass_model = "bottom_up"``.

    References
    ----------
    .. [1] Holmgren et al. (2018), pvlib's ``ModelChain`` (see the module notes); the checks are
       those of :class:`orbitaldc.systems.design.DesignChecks`.
    """
    inputs = OrbitalInputs.from_values(values)
    if inputs.physics is None:
        return frozenset()
    return _names(inputs.groups(checks=True)) - _names(inputs.groups())


def terrestrial_reads(values: Mapping[str, Any]) -> frozenset[str]:
    """Parameters that can move the terrestrial side's results for this scenario's power source.

    Parameters
    ----------
    values : mapping
        Scenario values; only ``terrestrial_power_source``, ``cost_scope``, ``cost_basis`` and
        ``dollar_escalation`` are looked at.

    Returns
    -------
    frozenset of str
        The names declared by the groups :meth:`TerrestrialInputs.from_values` would build.

    References
    ----------
    .. [1] Holmgren et al. (2018), pvlib's ``ModelChain`` (see the module notes).
    """
    return _names(TerrestrialInputs.from_values(values).groups())


def reads_by_side(values: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """``{"orbital": ..., "terrestrial": ...}``: what can move each side (see the two functions).

    Parameters
    ----------
    values : mapping
        As for :func:`orbital_reads` and :func:`terrestrial_reads`.

    Returns
    -------
    dict
        ``"orbital"`` -> :func:`orbital_reads`, ``"terrestrial"`` -> :func:`terrestrial_reads`.

    References
    ----------
    .. [1] As :func:`orbital_reads` (pvlib's ``ModelChain``, Holmgren et al. 2018).
    """
    return {"orbital": orbital_reads(values), "terrestrial": terrestrial_reads(values)}
