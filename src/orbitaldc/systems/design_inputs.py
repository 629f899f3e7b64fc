"""Input groups of the bottom-up physics sizing (``mass_model = "bottom_up"``), one per subsystem.

Each group is a frozen dataclass whose field names *are* library parameter names (see
:mod:`orbitaldc.systems.inputs`, which re-exports everything here and builds the chains' inputs).
:class:`BottomUpInputs` holds them all, split into the groups that size the design (``SIZING``)
and those that only move its checks (``CHECKS``).

References
----------
.. [1] W. F. Holmgren, C. W. Hansen, M. A. Mikofski, "pvlib python: a python package for modeling
   solar energy systems", J. Open Source Software 3(29), 884 (2018): ``ModelChain`` declares the
   parameters each model choice reads, the model for these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Mapping

from orbitaldc.systems.groups import InputGroup

__all__ = ["Array", "Battery", "BoardCompute", "BottomUpInputs", "ChassisCompute", "DieThermal", "Dose", "Drag", "ExponentialAtmosphere", "Links", "MsisAtmosphere", "Orbit", "Payload", "PowerSystem", "Radiator", "Shield", "SolarCycle", "Structure", "Upsets"]


@dataclass(frozen=True)
class Orbit(InputGroup):
    """The orbit: family, altitude, inclination, node time and epoch."""

    orbit_type: str
    altitude_m: Any
    inclination_rad: Any
    ltan_h: Any
    mission_start_year: Any


@dataclass(frozen=True)
class PowerSystem(InputGroup):
    """Bus load and battery round trip (they set the array and battery sizes)."""

    bus_power_fraction: Any
    battery_round_trip_efficiency: Any


@dataclass(frozen=True)
class Array(InputGroup):
    """Solar array technology."""

    solar_cell_efficiency: Any
    solar_packing_factor: Any
    solar_temperature_coefficient_per_k: Any
    solar_reference_temperature_k: Any
    solar_operating_temperature_k: Any
    solar_array_specific_power_w_per_kg: Any


@dataclass(frozen=True)
class Battery(InputGroup):
    """Battery technology and its cycle-life curve."""

    battery_specific_energy_j_per_kg: Any
    battery_reference_cycles: Any
    battery_reference_depth: Any
    battery_cycle_exponent: Any
    battery_max_depth: Any


@dataclass(frozen=True)
class Radiator(InputGroup):
    """Radiator panel, its orientation, its thermal environment and the pumped loop."""

    radiator_temperature_k: Any
    radiator_emissivity: Any
    radiator_absorptivity: Any
    radiator_sides: Any
    radiator_nadir_angle_rad: Any
    radiator_blockage_fraction: Any
    radiator_sun_incidence: Any
    earth_albedo: Any
    earth_ir_w_per_m2: Any
    radiator_areal_density_kg_per_m2: Any
    pumped_loop_kg_per_w: Any


@dataclass(frozen=True)
class Payload(InputGroup):
    """How the compute hardware is packaged (board or chassis)."""

    compute_packaging: str


@dataclass(frozen=True)
class BoardCompute(InputGroup):
    """Compute mass per W as 8-GPU baseboards with cold plates (``compute_packaging = "board"``)."""

    compute_board_kg_per_w: Any

    @property
    def kg_per_w(self):
        """Compute hardware mass per W of IT power [kg/W]."""
        return self.compute_board_kg_per_w


@dataclass(frozen=True)
class ChassisCompute(InputGroup):
    """Compute mass per W as terrestrial server chassis (``compute_packaging = "chassis"``)."""

    compute_kg_per_w: Any

    @property
    def kg_per_w(self):
        """Compute hardware mass per W of IT power [kg/W]."""
        return self.compute_kg_per_w


@dataclass(frozen=True)
class Shield(InputGroup):
    """Aluminium enclosure shielding the compute."""

    shield_area_m2_per_w: Any
    shielding_thickness_m: Any
    aluminium_density_kg_per_m3: Any


@dataclass(frozen=True)
class Structure(InputGroup):
    """Structure and bus as a share of the dry mass."""

    structure_bus_dry_mass_share: Any


@dataclass(frozen=True)
class Drag(InputGroup):
    """Drag make-up and disposal: aerodynamics, the thruster and the disposal rule."""

    drag_coefficient: Any
    drag_area_fraction: Any
    specific_impulse_s: Any
    disposal_years: Any
    atmosphere_model: str


@dataclass(frozen=True)
class SolarCycle(InputGroup):
    """The solar-cycle profile (belt models' min/max weight; F10.7 for NRLMSIS)."""

    solar_cycle_minimum_year: Any
    solar_cycle_period_yr: Any
    solar_cycle_rise_yr: Any


@dataclass(frozen=True)
class MsisAtmosphere(InputGroup):
    """NRLMSIS 2.1 drivers (``atmosphere_model = "nrlmsis"``)."""

    f107_solar_min_sfu: Any
    f107_solar_max_sfu: Any
    geomagnetic_ap: Any


@dataclass(frozen=True)
class ExponentialAtmosphere(InputGroup):
    """The fallback exponential atmosphere (``atmosphere_model = "exponential"``)."""

    solar_activity_factor: Any


@dataclass(frozen=True)
class Upsets(InputGroup):
    """Single-event upsets, restarts and their mitigation (they reduce the delivered compute)."""

    memory_bits_per_w: Any
    gpu_tdp_w: Any
    gpu_power_w: Any
    proton_upset_cross_section_m2_per_bit: Any
    proton_upset_threshold_mev: Any
    gcr_upset_rate_per_bit_day: Any
    uncorrected_upset_fraction: Any
    ground_interruptions_per_gpu_day: Any
    ecc_overhead_fraction: Any
    checkpoint_cost_s: Any
    node_restart_s: Any
    redundant_copies: Any


@dataclass(frozen=True)
class Links(InputGroup):
    """Ground links, their capacity and the workload's output (JPL's Gamma test; caps delivered output)."""

    ground_network: str
    ground_stations: Any
    min_elevation_rad: Any
    downlink_rate_bps: Any
    terminals_per_station: Any
    clear_sky_fraction: Any
    workload_bits_per_j: Any


@dataclass(frozen=True)
class DieThermal(InputGroup):
    """GPU heat and the die-to-radiator path (die temperature, a design check)."""

    gpu_tdp_w: Any
    die_to_radiator_k_per_w: Any


@dataclass(frozen=True)
class Dose(InputGroup):
    """Total ionizing dose: shield geometry, external radiation terms and the part's tolerance (a check)."""

    shield_geometry: str
    gcr_free_space_rad_per_yr: Any
    spe_free_space_rad_per_yr: Any
    tid_tolerance_rad: Any


@dataclass(frozen=True)
class BottomUpInputs:
    """Everything the physics sizing (``mass_model = "bottom_up"``) reads, by subsystem.

    ``SIZING`` groups move masses, costs or the availability the economics subtracts (upsets and
    link capacity); ``CHECKS`` groups move only the design checks (die temperature, dose margin)
    that the optimizer constrains. Model-choice groups are None when the choice does not read them.
    """

    orbit: Orbit
    power: PowerSystem
    array: Array
    battery: Battery
    radiator: Radiator
    payload: Payload
    board: BoardCompute | None
    chassis: ChassisCompute | None
    shield: Shield
    structure: Structure
    drag: Drag
    cycle: SolarCycle
    msis: MsisAtmosphere | None
    exponential: ExponentialAtmosphere | None
    upsets: Upsets
    links: Links
    die: DieThermal
    dose: Dose

    SIZING: ClassVar[tuple[type, ...]] = (Orbit, PowerSystem, Array, Battery, Radiator, Payload, BoardCompute,
                                          ChassisCompute, Shield, Structure, Drag, SolarCycle, MsisAtmosphere,
                                          ExponentialAtmosphere, Upsets, Links)
    CHECKS: ClassVar[tuple[type, ...]] = (DieThermal, Dose)

    @classmethod
    def from_values(cls, f: Mapping[str, Any]) -> "BottomUpInputs":
        """Group the bottom-up parameters of a value mapping (model-choice groups as chosen).

        Parameters
        ----------
        f : mapping
            Complete parameter values (numbers as float arrays, see
            :func:`orbitaldc.systems.inputs.numeric_inputs`).

        Returns
        -------
        BottomUpInputs
            One group per physics model; of each pair of alternatives (board or chassis
            compute, NRLMSIS or exponential atmosphere) only the chosen one.

        References
        ----------
        .. [1] pvlib ``ModelChain``: each model choice declares the parameters it reads.
        """
        board = f["compute_packaging"] == "board"
        msis = f["atmosphere_model"] == "nrlmsis"
        return cls(
            orbit=Orbit.take(f), power=PowerSystem.take(f), array=Array.take(f), battery=Battery.take(f),
            radiator=Radiator.take(f), payload=Payload.take(f),
            board=BoardCompute.take(f) if board else None, chassis=None if board else ChassisCompute.take(f),
            shield=Shield.take(f), structure=Structure.take(f), drag=Drag.take(f), cycle=SolarCycle.take(f),
            msis=MsisAtmosphere.take(f) if msis else None, exponential=None if msis else ExponentialAtmosphere.take(f),
            upsets=Upsets.take(f), links=Links.take(f), die=DieThermal.take(f), dose=Dose.take(f))
