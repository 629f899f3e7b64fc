"""The terrestrial model chain: site -> capex, energy, fuel or grid, water, CO2 -> TerrestrialResult.

Reproduces McCalip (Dec 2025) for on-site combined-cycle gas:

* capex per watt of IT: turbine ``$/kW x PUE / 1000`` + electrical + mechanical + civil +
  network/fit-out (+ a lump ``other`` for analyses that publish only a total);
* IT energy ``P x 8760 h x years x capacity factor``;
* fuel ``heat rate [BTU/kWh] x gas [$/MMBtu] / 1000 = $/MWh`` of facility energy
  (IT energy x PUE), or grid ``$/kWh x 1000`` per facility MWh;
* undiscounted total ``capex + energy cost``; LCOE over IT energy.

Compute starts after ``grid_connection_delay_yr``; with a positive discount rate the delay
raises LCOE and LCOC and lowers NPV (undiscounted totals do not change).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from orbitaldc import finance
from orbitaldc.finance import HOURS_PER_YEAR
from orbitaldc.systems import ByYear
from orbitaldc.systems.inputs import TerrestrialInputs, numeric_inputs

MMBTU_PER_BTU = 1e-6


@dataclass
class TerrestrialResult(ByYear):
    """Everything the terrestrial chain computes (arrays in the scenario's broadcast shape)."""

    capex_usd: np.ndarray
    power_generation_capex_usd: np.ndarray
    electrical_capex_usd: np.ndarray
    mechanical_capex_usd: np.ndarray
    civil_capex_usd: np.ndarray
    network_capex_usd: np.ndarray
    other_capex_usd: np.ndarray
    energy_cost_usd: np.ndarray
    energy_cost_usd_per_mwh: np.ndarray
    energy_cost_usd_per_kw_yr: np.ndarray
    total_cost_usd: np.ndarray
    cost_per_watt_usd: np.ndarray
    it_energy_mwh: np.ndarray
    facility_energy_mwh: np.ndarray
    delivered_gpu_hours: np.ndarray
    lcoe_usd_per_mwh: np.ndarray
    lcoc_usd_per_gpu_hour: np.ndarray
    water_l: np.ndarray
    co2_kg: np.ndarray
    npv_usd: np.ndarray
    irr_per_yr: np.ndarray
    payback_years: np.ndarray
    flow_inputs: tuple = field(default=(), repr=False)

    SUMMARY = (
        "total_cost_usd", "capex_usd", "energy_cost_usd", "power_generation_capex_usd",
        "electrical_capex_usd", "mechanical_capex_usd", "civil_capex_usd", "network_capex_usd",
        "other_capex_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh", "lcoc_usd_per_gpu_hour",
        "energy_cost_usd_per_mwh", "energy_cost_usd_per_kw_yr", "it_energy_mwh",
        "facility_energy_mwh", "delivered_gpu_hours", "water_l", "co2_kg", "npv_usd",
        "irr_per_yr", "payback_years",
    )

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.SUMMARY}


def gas_fuel_cost_usd_per_mwh(heat_rate_btu_per_kwh, gas_price_usd_per_mmbtu):
    """Fuel cost per MWh of electricity from a gas turbine.

    ``$/MWh = heat rate [BTU/kWh] x 1000 kWh/MWh x 1e-6 MMBtu/BTU x gas [$/MMBtu]``;
    6,200 BTU/kWh at $4.30/MMBtu gives $26.66/MWh (McCalip 2025).

    References
    ----------
    .. [1] US EIA, "Electric Power Annual", Table 8.1 notes (heat rate definition).
    """
    return np.asarray(heat_rate_btu_per_kwh, dtype=float) * 1e3 * MMBTU_PER_BTU * np.asarray(gas_price_usd_per_mmbtu, dtype=float)


def run_terrestrial(v: Mapping[str, Any]) -> TerrestrialResult:
    """Cost a terrestrial data center of the same IT power from a complete parameter mapping.

    Parameters
    ----------
    v : mapping
        Every library parameter (``Scenario.values``); numeric entries scalars or arrays.

    Returns
    -------
    TerrestrialResult
        Arrays in the broadcast shape of every parameter.

    Notes
    -----
    Capex is the sum of the buckets (gas turbines sized for ``P_IT x PUE``); energy per year is
    ``P_IT x 8760 h x capacity factor`` of IT energy, bought at the facility price times PUE;
    operation starts after ``grid_connection_delay_yr``.

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025) (buckets,
       gas heat rate and price, PUE, capacity factor).
    .. [2] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs).
    """
    f, shape = numeric_inputs(v)
    inp = TerrestrialInputs.from_values(f)
    fac, target, years = inp.facility, inp.mission.target_power_w, inp.mission.analysis_years
    pue = fac.pue
    gas = inp.gas
    gen = (gas.gas_turbine_capex_usd_per_kw / 1e3 * pue * target) if gas is not None else np.zeros_like(target)
    electrical = fac.electrical_capex_usd_per_w * target
    mechanical = fac.mechanical_capex_usd_per_w * target
    civil = fac.civil_capex_usd_per_w * target
    network = fac.network_capex_usd_per_w * target
    other = fac.other_capex_usd_per_w * target
    capex = gen + electrical + mechanical + civil + network + other

    if gas is not None:
        per_facility_mwh = gas_fuel_cost_usd_per_mwh(gas.heat_rate_btu_per_kwh, gas.gas_price_usd_per_mmbtu)
        co2_per_facility_mwh = gas.heat_rate_btu_per_kwh * 1e3 * MMBTU_PER_BTU * gas.gas_co2_kg_per_mmbtu
    else:
        per_facility_mwh = inp.grid.grid_price_usd_per_kwh * 1e3
        co2_per_facility_mwh = inp.grid.grid_co2_kg_per_kwh * 1e3
    per_it_mwh = per_facility_mwh * pue
    it_mwh_per_yr = target / 1e6 * HOURS_PER_YEAR * fac.capacity_factor
    energy_cost_per_yr = it_mwh_per_yr * per_it_mwh

    delay = fac.grid_connection_delay_yr
    ec = inp.economics
    fin = finance.stream_finance(capex, energy_cost_per_yr, it_mwh_per_yr, 1.0, ec.discount_rate_per_yr, delay,
                                 years, ec.gpu_power_w, ec.gpu_utilization, ec.compute_price_usd_per_gpu_hour)
    it_mwh = it_mwh_per_yr * years
    energy_cost = energy_cost_per_yr * years
    total = capex + energy_cost
    b = lambda x: np.broadcast_to(x, shape)  # noqa: E731
    return TerrestrialResult(
        capex_usd=b(capex), power_generation_capex_usd=b(gen), electrical_capex_usd=b(electrical),
        mechanical_capex_usd=b(mechanical), civil_capex_usd=b(civil), network_capex_usd=b(network),
        other_capex_usd=b(other), energy_cost_usd=b(energy_cost), energy_cost_usd_per_mwh=b(per_it_mwh),
        energy_cost_usd_per_kw_yr=b(energy_cost_per_yr / (target / 1e3)), total_cost_usd=b(total),
        cost_per_watt_usd=b(total / target), it_energy_mwh=b(it_mwh), facility_energy_mwh=b(it_mwh * pue),
        delivered_gpu_hours=b(finance.gpu_hours(it_mwh * 1e6, ec.gpu_power_w, ec.gpu_utilization)),
        lcoe_usd_per_mwh=b(fin.lcoe_usd_per_mwh), lcoc_usd_per_gpu_hour=b(fin.lcoc_usd_per_gpu_hour),
        water_l=b(it_mwh * 1e3 * fac.water_l_per_kwh), co2_kg=b(it_mwh * pue * co2_per_facility_mwh),
        npv_usd=b(fin.npv_usd), irr_per_yr=b(fin.irr_per_yr), payback_years=b(fin.payback_years),
        flow_inputs=(capex, energy_cost_per_yr, it_mwh_per_yr, 1.0, delay, years),
    )
