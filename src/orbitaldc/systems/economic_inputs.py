"""Input groups of the like-for-like economics: scope, clock, IT equipment, lives, operating costs, carbon.

Frozen dataclasses whose field names are library parameter names (see
:mod:`orbitaldc.systems.inputs`, which picks them by the scenario's model choices in
:class:`~orbitaldc.systems.inputs.OrbitalInputs` / :class:`~orbitaldc.systems.inputs.TerrestrialInputs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from orbitaldc.systems.groups import InputGroup

__all__ = ["CarbonPrice", "Escalation", "FacilityLives", "GasPlantLife", "GroundSegmentLife", "ITEquipment", "ITLife", "LaunchCarbon", "OrbitalDiscount", "OrbitalIT", "OrbitalOpex", "SatelliteLife", "Scope", "TerrestrialDiscount"]


@dataclass(frozen=True)
class Scope(InputGroup):
    """What both sides' costs include and how capital meets the clock (model choices)."""

    cost_scope: str
    cost_basis: str
    dollar_escalation: str


@dataclass(frozen=True)
class Escalation(InputGroup):
    """The real-dollar year money is escalated to (``dollar_escalation = "cpi"``)."""

    real_dollar_year: Any


@dataclass(frozen=True)
class CarbonPrice(InputGroup):
    """Carbon price on both sides' lifecycle CO2e, and the embodied CO2e of IT equipment."""

    carbon_price_usd_per_t_co2: Any
    it_embodied_co2e_kg_per_kw: Any


@dataclass(frozen=True)
class ITEquipment(InputGroup):
    """IT equipment priced on both sides (``cost_scope = "all_in"``)."""

    it_capex_usd_per_w: Any


@dataclass(frozen=True)
class ITLife(InputGroup):
    """Service life of IT equipment (``cost_basis = "lifecycle"``)."""

    it_life_yr: Any


@dataclass(frozen=True)
class OrbitalDiscount(InputGroup):
    """The orbital side's own discount rate (unset: ``discount_rate_per_yr``)."""

    orbital_discount_rate_per_yr: Any


@dataclass(frozen=True)
class OrbitalIT(InputGroup):
    """Orbital IT equipment premium over the ground price (``cost_scope = "all_in"``)."""

    it_space_premium: Any


@dataclass(frozen=True)
class SatelliteLife(InputGroup):
    """Satellite life and GPU refresh in orbit (``cost_basis = "lifecycle"``)."""

    satellite_life_yr: Any
    orbital_it_refresh: str


@dataclass(frozen=True)
class OrbitalOpex(InputGroup):
    """Orbital costs beyond satellites and launch: insurance, ground segment, licensing, carbon."""

    launch_insurance_fraction: Any
    in_orbit_insurance_fraction_per_yr: Any
    ground_segment_capex_usd_per_w: Any
    ground_segment_opex_fraction_per_yr: Any
    licensing_cost_usd_per_yr: Any
    satellite_embodied_co2e_kg_per_kw: Any


@dataclass(frozen=True)
class GroundSegmentLife(InputGroup):
    """Life of the ground segment (``cost_basis = "lifecycle"``)."""

    network_life_yr: Any


@dataclass(frozen=True)
class LaunchCarbon(InputGroup):
    """Combustion CO2 per kg to orbit of a vehicle outside the catalog (``launch_vehicle = "custom"``)."""

    launch_co2e_kg_per_kg: Any


@dataclass(frozen=True)
class FacilityLives(InputGroup):
    """Lives of the facility's capex buckets (``cost_basis = "lifecycle"``; other capex takes the electrical life)."""

    civil_life_yr: Any
    electrical_life_yr: Any
    mechanical_life_yr: Any
    network_life_yr: Any


@dataclass(frozen=True)
class GasPlantLife(InputGroup):
    """Life of the gas plant (gas power and ``cost_basis = "lifecycle"``)."""

    gas_turbine_life_yr: Any


@dataclass(frozen=True)
class TerrestrialDiscount(InputGroup):
    """The terrestrial side's own discount rate (unset: ``discount_rate_per_yr``)."""

    terrestrial_discount_rate_per_yr: Any
