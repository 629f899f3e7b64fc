"""The orbital model chain: design -> sizing -> masses, counts, costs by year -> OrbitalResult.

Orchestration only (PySAM/pvlib ModelChain style): physics lives in ``orbitaldc.physics``,
launch in ``orbitaldc.launch``, money in ``orbitaldc.finance``. Every step is vectorized: any
numeric parameter may be an array and every output keeps the broadcast shape.

The default method reproduces McCalip (Dec 2025):

1. average capacity factor of the array ``mean((1 - d)^y), y = 0..N-1``
   (or end-of-life ``(1 - d)^N`` with ``sizing_basis = "end_of_life"``);
2. required beginning-of-life power ``P_req = P_target / (CF x sun_fraction)``;
3. satellites ``ceil(P_req / P_sat)``, installed power ``n x P_sat``;
4. mass ``installed / (W/kg)`` (``mass_model = "specific_power"``) or the physics sizing of
   ``orbitaldc.systems.bottom_up`` (``mass_model = "bottom_up"``);
5. hardware ``$/W x installed``; launch ``$/kg x mass`` (or whole launches of a vehicle);
   operations ``fraction x hardware`` per year; GPU failures ``rate x hardware`` per year
   (``replacement = "charged"``) or lost compute (``"capacity_loss"``); plus NRE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from orbitaldc import finance, launch
from orbitaldc.finance import HOURS_PER_YEAR
from orbitaldc.systems import ByYear, bottom_up
from orbitaldc.systems.design import SatelliteDesign
from orbitaldc.systems.inputs import OrbitalInputs, numeric_inputs


@dataclass
class OrbitalResult(ByYear):
    """Everything the orbital chain computes (arrays in the scenario's broadcast shape)."""

    required_power_w: np.ndarray
    installed_power_w: np.ndarray
    satellite_count: np.ndarray
    satellite_mass_kg: np.ndarray
    shielding_mass_kg: np.ndarray
    mass_to_orbit_kg: np.ndarray
    specific_mass_kg_per_kw: np.ndarray
    launch_count: np.ndarray
    deployment_years: np.ndarray
    launch_price_usd_per_kg: np.ndarray
    hardware_cost_usd: np.ndarray
    launch_cost_usd: np.ndarray
    shielding_cost_usd: np.ndarray
    ops_cost_usd: np.ndarray
    replacement_cost_usd: np.ndarray
    nre_cost_usd: np.ndarray
    total_cost_usd: np.ndarray
    cost_per_watt_usd: np.ndarray
    delivered_energy_mwh: np.ndarray
    delivered_gpu_hours: np.ndarray
    lcoe_usd_per_mwh: np.ndarray
    lcoc_usd_per_gpu_hour: np.ndarray
    launched_power_price_usd_per_kw_yr: np.ndarray
    average_capacity_factor: np.ndarray
    npv_usd: np.ndarray
    irr_per_yr: np.ndarray
    payback_years: np.ndarray
    sun_fraction: np.ndarray
    design: SatelliteDesign | None = None
    flow_inputs: tuple = field(default=(), repr=False)

    #: fields reported in summaries (``to_dict``); the by-year arrays are reported separately
    SUMMARY = (
        "total_cost_usd", "hardware_cost_usd", "launch_cost_usd", "shielding_cost_usd", "ops_cost_usd",
        "replacement_cost_usd", "nre_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh",
        "lcoc_usd_per_gpu_hour", "mass_to_orbit_kg", "satellite_mass_kg", "shielding_mass_kg",
        "specific_mass_kg_per_kw", "satellite_count", "launch_count", "deployment_years",
        "launch_price_usd_per_kg", "required_power_w", "installed_power_w",
        "sun_fraction", "average_capacity_factor", "delivered_energy_mwh", "delivered_gpu_hours",
        "launched_power_price_usd_per_kw_yr", "npv_usd", "irr_per_yr", "payback_years",
    )

    def to_dict(self) -> dict[str, Any]:
        """Summary results by name (arrays kept), and the ``design`` when there is one."""
        out = {name: getattr(self, name) for name in self.SUMMARY}
        if self.design is not None:
            out["design"] = self.design.to_dict()
        return out


def array_capacity_factor(degradation_per_yr, years, basis="average"):
    """Array output relative to beginning of life, averaged over the mission or at its end.

    Parameters
    ----------
    degradation_per_yr : array_like
        Compounded fractional loss per year, ``d``.
    years : array_like
        Mission length ``N`` [yr].
    basis : {"average", "end_of_life"}
        ``"average"``: ``mean((1-d)^y) for y = 0..N-1 = (1 - (1-d)^N) / (N d)`` (McCalip 2025,
        start-of-year values); ``"end_of_life"``: ``(1-d)^N``.

    Returns
    -------
    ndarray
        Fraction in (0, 1].

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025).
    .. [2] Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed., sec. 11.4
       (end-of-life array sizing, ``L_d = (1 - d)^life``).
    """
    d = np.asarray(degradation_per_yr, dtype=float)
    n = np.asarray(years, dtype=float)
    keep = 1.0 - d
    if basis == "end_of_life":
        return keep ** n
    with np.errstate(divide="ignore", invalid="ignore"):
        avg = (1.0 - keep ** n) / (n * d)
    return np.where(d == 0, 1.0, avg)


def year_average_survival(failure_per_yr, year_index):
    """Mean surviving fraction during operating year ``k`` (1-based) without repair.

    With a fraction ``f`` failing per year, survival is ``(1-f)^t``; its mean over year
    ``k`` is ``(1-f)^(k-1) x f / -ln(1-f)`` (1 at ``f = 0``).
    """
    f = np.asarray(failure_per_yr, dtype=float)
    k = np.asarray(year_index, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_in_year = np.where(f == 0, 1.0, f / -np.log1p(-f))
    return (1.0 - f) ** (k - 1.0) * mean_in_year


def run_orbital(v: Mapping[str, Any]) -> OrbitalResult:
    """Size and cost an orbital data center from a complete parameter mapping.

    Parameters
    ----------
    v : mapping
        Every library parameter (``Scenario.values``); numeric entries scalars or arrays.

    Returns
    -------
    OrbitalResult
        Arrays in the broadcast shape of every parameter; ``design`` is the bottom-up
        :class:`~orbitaldc.systems.design.SatelliteDesign` (None for the whole-satellite
        ``specific_power`` mass model).

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025) (method
       and defaults).
    .. [2] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (present values and
       levelized costs).
    """
    f, shape = numeric_inputs(v)
    inp = OrbitalInputs.from_values(f)
    m, fl, ln = inp.mission, inp.fleet, inp.launch
    target, years = m.target_power_w, m.analysis_years
    cf = array_capacity_factor(fl.cell_degradation_per_yr, years, fl.sizing_basis)
    if inp.typed_sun is not None:
        sun_fraction = inp.typed_sun.sun_fraction
    else:  # year-average sunlit fraction of the orbit
        sun_fraction = bottom_up.sunlight(inp.orbit).sun_fraction
    required = target / (cf * sun_fraction)
    design = None
    if inp.physics is not None:
        design = bottom_up.size(inp.physics, m, fl, sun_fraction, required)
        count, installed, sat_mass = design.satellite_count, design.array_rated_power_w, design.total_mass_kg
    else:
        count = np.ceil(np.asarray(required) / fl.satellite_power_w * (1.0 - 1e-12))
        installed = count * fl.satellite_power_w
        sat_mass = installed / inp.specific_power.specific_power_w_per_kg

    shield_mass = fl.shielding_kg_per_w * target
    shield_cost = shield_mass * fl.shielding_cost_usd_per_kg
    mass = sat_mass + shield_mass

    if ln.launch_vehicle == "custom":
        payload = inp.custom_vehicle.launch_payload_kg
        price_per_launch = inp.custom_price.launch_price_usd if inp.custom_price is not None else None
    else:
        veh = launch.vehicle(ln.launch_vehicle)
        payload, price_per_launch = veh.payload_kg, veh.price_usd
    n_launch = launch.launch_count(mass, payload)
    per_kg = inp.launch_per_kg is not None
    list_price = inp.launch_per_kg.launch_cost_usd_per_kg if per_kg else price_per_launch / payload
    price = launch.average_wright_price_usd_per_kg(
        list_price, mass, ln.launch_reference_mass_kg, ln.launch_learning_rate, ln.launch_floor_usd_per_kg)
    billed_mass = mass if per_kg else n_launch * payload
    launch_cost = price * billed_mass
    deploy = launch.deployment_years(n_launch, ln.launches_per_yr)

    hardware = fl.satellite_cost_usd_per_w * installed
    ops_per_yr = fl.ops_cost_fraction_per_yr * hardware
    charged = fl.replacement == "charged"
    repl_per_yr = fl.gpu_failure_per_yr * hardware if charged else np.zeros_like(hardware)
    nre = fl.nre_cost_usd

    # money and energy in time: build and launch at t = 0, operating years k at deploy + k;
    # array output falls by (1 - d) a year under average sizing, and with no repair the
    # surviving compute falls by (1 - f) a year (closed-form geometric streams, no year axis)
    upfront = hardware + launch_cost + shield_cost + nre
    annual = ops_per_yr + repl_per_yr
    d = fl.cell_degradation_per_yr
    if fl.sizing_basis == "average":
        first, growth = 1.0 / cf, 1.0 - d
    else:
        first, growth = np.ones_like(cf), np.ones_like(d)
    if not charged:
        first = first * year_average_survival(fl.gpu_failure_per_yr, 1.0)
        growth = growth * (1.0 - fl.gpu_failure_per_yr)
    first_energy = target * HOURS_PER_YEAR / 1e6 * first
    ec = inp.economics
    fin = finance.stream_finance(upfront, annual, first_energy, growth, ec.discount_rate_per_yr, deploy, years,
                                 ec.gpu_power_w, ec.gpu_utilization, ec.compute_price_usd_per_gpu_hour)
    total = upfront + annual * years
    delivered = finance.geometric_stream(first_energy, growth, 0.0, 0.0, years).total
    b = lambda x: np.broadcast_to(x, shape)  # noqa: E731
    return OrbitalResult(
        required_power_w=b(required), installed_power_w=b(installed), satellite_count=b(count),
        satellite_mass_kg=b(sat_mass), shielding_mass_kg=b(shield_mass), mass_to_orbit_kg=b(mass),
        specific_mass_kg_per_kw=b(mass / (target / 1e3)), launch_count=b(n_launch),
        deployment_years=b(deploy), launch_price_usd_per_kg=b(price),
        hardware_cost_usd=b(hardware), launch_cost_usd=b(launch_cost), shielding_cost_usd=b(shield_cost),
        ops_cost_usd=b(ops_per_yr * years), replacement_cost_usd=b(repl_per_yr * years), nre_cost_usd=b(nre),
        total_cost_usd=b(total), cost_per_watt_usd=b(total / target),
        delivered_energy_mwh=b(delivered),
        delivered_gpu_hours=b(finance.gpu_hours(delivered * 1e6, ec.gpu_power_w, ec.gpu_utilization)),
        lcoe_usd_per_mwh=b(fin.lcoe_usd_per_mwh), lcoc_usd_per_gpu_hour=b(fin.lcoc_usd_per_gpu_hour),
        launched_power_price_usd_per_kw_yr=b(launch_cost / (installed / 1e3 * years)),
        sun_fraction=b(sun_fraction), average_capacity_factor=b(cf), npv_usd=b(fin.npv_usd),
        irr_per_yr=b(fin.irr_per_yr), payback_years=b(fin.payback_years), design=design,
        flow_inputs=(upfront, annual, first_energy, growth, deploy, years),
    )
