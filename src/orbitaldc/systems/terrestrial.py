"""The terrestrial model chain: site -> capex, energy, fuel or grid, O&M, water, CO2 -> TerrestrialResult.

Reproduces McCalip (Dec 2025) for on-site combined-cycle gas (``cost_basis = "capex"``,
``cost_scope = "facility"``, and the items he leaves out set to zero, as his preset does):

* capex per watt of IT: turbine ``$/kW x PUE / 1000`` + electrical + mechanical + civil +
  network/fit-out (+ a lump ``other`` for analyses that publish only a total);
* IT energy ``P x 8760 h x years x availability x capacity factor``;
* fuel ``heat rate [BTU/kWh] x gas [$/MMBtu] / 1000 = $/MWh`` of facility energy
  (IT energy x PUE), or grid ``$/kWh x 1000`` per facility MWh;
* undiscounted total ``capex + energy cost``; LCOE over IT energy.

Like for like (:mod:`orbitaldc.lifecycle` states the conventions): ``cost_scope = "all_in"``
adds the IT equipment (bought when the facility enters service, refreshed every
``it_life_yr``); ``cost_basis = "lifecycle"`` renews each capex bucket at the end of its life and
credits its residual value; construction spends the capex over ``construction_years`` and
operation starts after construction plus ``grid_connection_delay_yr``; plant and facility O&M,
staff, property tax, insurance and carbon are priced; delivered GPU-hours are the GPUs' hours
at the facility's availability times ``gpu_utilization`` (the capacity factor sets energy and
fuel, not compute).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np

from orbitaldc.dollars import escalated
from orbitaldc.finance import HOURS_PER_YEAR
from orbitaldc.lifecycle import Capital, Ledger, Stream, Timing, ledger_finance
from orbitaldc.systems import ByYear, shaped
from orbitaldc.systems.inputs import TerrestrialInputs, numeric_inputs

MMBTU_PER_BTU = 1e-6


@dataclass
class TerrestrialResult(ByYear):
    """Everything the terrestrial chain computes (arrays in the scenario's broadcast shape).

    ``capex_usd`` is the facility (generation and buckets) without IT equipment; totals are
    undiscounted over the window (first purchases, renewals less residual value, yearly costs).
    """

    capex_usd: np.ndarray
    power_generation_capex_usd: np.ndarray
    electrical_capex_usd: np.ndarray
    mechanical_capex_usd: np.ndarray
    civil_capex_usd: np.ndarray
    network_capex_usd: np.ndarray
    other_capex_usd: np.ndarray
    it_equipment_cost_usd: np.ndarray
    embodied_carbon_cost_usd: np.ndarray
    renewal_cost_usd: np.ndarray
    residual_value_usd: np.ndarray
    energy_cost_usd: np.ndarray
    om_cost_usd: np.ndarray
    staff_cost_usd: np.ndarray
    property_tax_usd: np.ndarray
    insurance_cost_usd: np.ndarray
    operation_carbon_cost_usd: np.ndarray
    energy_cost_usd_per_mwh: np.ndarray
    energy_cost_usd_per_kw_yr: np.ndarray
    total_cost_usd: np.ndarray
    cost_per_watt_usd: np.ndarray
    it_energy_mwh: np.ndarray
    facility_energy_mwh: np.ndarray
    delivered_gpu_hours: np.ndarray
    compute_availability: np.ndarray
    operation_start_years: np.ndarray
    discount_rate_per_yr: np.ndarray
    pv_cost_usd: np.ndarray
    pv_gpu_hours: np.ndarray
    lcoe_usd_per_mwh: np.ndarray
    lcoc_usd_per_gpu_hour: np.ndarray
    water_l: np.ndarray
    co2_kg: np.ndarray
    embodied_co2_kg: np.ndarray
    lifecycle_co2_kg: np.ndarray
    npv_usd: np.ndarray
    irr_per_yr: np.ndarray
    payback_years: np.ndarray
    cost_scope: str = "facility"
    cost_basis: str = "capex"
    ledger: Ledger | None = field(default=None, repr=False)

    SUMMARY = (
        "total_cost_usd", "capex_usd", "energy_cost_usd", "power_generation_capex_usd",
        "electrical_capex_usd", "mechanical_capex_usd", "civil_capex_usd", "network_capex_usd",
        "other_capex_usd", "it_equipment_cost_usd", "embodied_carbon_cost_usd", "renewal_cost_usd",
        "residual_value_usd", "om_cost_usd", "staff_cost_usd", "property_tax_usd", "insurance_cost_usd",
        "operation_carbon_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh", "lcoc_usd_per_gpu_hour",
        "pv_cost_usd", "pv_gpu_hours", "discount_rate_per_yr", "energy_cost_usd_per_mwh",
        "energy_cost_usd_per_kw_yr", "it_energy_mwh", "facility_energy_mwh", "delivered_gpu_hours",
        "compute_availability", "operation_start_years", "water_l", "co2_kg", "embodied_co2_kg",
        "lifecycle_co2_kg", "npv_usd", "irr_per_yr", "payback_years",
    )

    def to_dict(self) -> dict[str, Any]:
        """Summary results by name (arrays kept) and the scope.

        Returns
        -------
        dict
            ``cost_scope``, ``cost_basis`` and each of :attr:`SUMMARY` in its SI unit.

        References
        ----------
        .. [1] NREL PySAM: performance chained to finance through named outputs.
        """
        out: dict[str, Any] = {"cost_scope": self.cost_scope, "cost_basis": self.cost_basis}
        out.update({name: getattr(self, name) for name in self.SUMMARY})
        return out


def gas_fuel_cost_usd_per_mwh(heat_rate_btu_per_kwh, gas_price_usd_per_mmbtu):
    """Fuel cost per MWh of electricity from a gas turbine.

    ``$/MWh = heat rate [BTU/kWh] x 1000 kWh/MWh x 1e-6 MMBtu/BTU x gas [$/MMBtu]``;
    6,200 BTU/kWh at $4.30/MMBtu gives $26.66/MWh (McCalip 2025).

    Parameters
    ----------
    heat_rate_btu_per_kwh : array_like
        Plant heat rate [BTU/kWh], fuel energy per kWh of electricity (3,412 BTU/kWh is 100 %
        efficiency).
    gas_price_usd_per_mmbtu : array_like
        Delivered natural-gas price [USD/MMBtu].

    Returns
    -------
    ndarray
        Fuel cost per MWh of electricity generated [USD/MWh], in the broadcast shape.

    References
    ----------
    .. [1] US EIA, "Electric Power Annual", Table 8.1 notes (heat rate definition).
    .. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025): fuel =
       heat rate x gas price / 1000 [USD/MWh].
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
    Capex is the sum of the buckets (gas turbines sized for ``P_IT x PUE``), each with its own
    life under ``cost_basis = "lifecycle"`` (other capex takes the electrical life). IT energy
    per year is ``P_IT x 8760 h x availability x capacity factor``, bought at the facility
    price times PUE; GPU-hours per year ``P_IT / gpu_power_w x 8760 h x availability x
    utilization``. Yearly costs: energy, plant fixed O&M (per kW of plant) and variable O&M (per
    MWh generated), facility maintenance (fraction of the buckets), staff, property tax and
    insurance (fractions of facility and IT capex), and the carbon price on operating CO2.

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025) (buckets,
       gas heat rate and price, PUE, capacity factor).
    .. [2] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (levelized costs);
       NREL ATB (capital recovery, fixed and variable O&M).
    .. [3] Uptime Institute, Tier Standard: Topology (facility availability by tier).
    """
    f, shape = numeric_inputs(v)
    f = escalated(f)
    inp = TerrestrialInputs.from_values(f)
    fac, target, years = inp.facility, inp.mission.target_power_w, inp.mission.analysis_years
    ec = inp.economics
    rate = ec.discount_rate_per_yr if inp.discount.terrestrial_discount_rate_per_yr is None \
        else inp.discount.terrestrial_discount_rate_per_yr
    pue, gas = fac.pue, inp.gas
    zero = np.zeros_like(target)
    gen = (gas.gas_turbine_capex_usd_per_kw / 1e3 * pue * target) if gas is not None else zero
    electrical = fac.electrical_capex_usd_per_w * target
    mechanical = fac.mechanical_capex_usd_per_w * target
    civil = fac.civil_capex_usd_per_w * target
    network = fac.network_capex_usd_per_w * target
    other = fac.other_capex_usd_per_w * target
    buildings = electrical + mechanical + civil + network + other
    capex = gen + buildings
    it_cost = inp.it.it_capex_usd_per_w * target if inp.it is not None else zero

    if gas is not None:
        per_facility_mwh = gas_fuel_cost_usd_per_mwh(gas.heat_rate_btu_per_kwh, gas.gas_price_usd_per_mmbtu)
        co2_per_facility_mwh = gas.heat_rate_btu_per_kwh * 1e3 * MMBTU_PER_BTU * gas.gas_co2_kg_per_mmbtu
    else:
        per_facility_mwh = inp.grid.grid_price_usd_per_kwh * 1e3
        co2_per_facility_mwh = inp.grid.grid_co2_kg_per_kwh * 1e3
    per_it_mwh = per_facility_mwh * pue
    hours = HOURS_PER_YEAR * fac.terrestrial_availability
    it_mwh_per_yr = target / 1e6 * hours * fac.capacity_factor
    energy_cost_per_yr = it_mwh_per_yr * per_it_mwh
    plant_om_per_yr = (gas.gas_plant_fixed_om_usd_per_kw_yr * target * pue / 1e3
                       + gas.gas_plant_variable_om_usd_per_mwh * it_mwh_per_yr * pue) if gas is not None else zero
    om_per_yr = plant_om_per_yr + fac.terrestrial_om_fraction_per_yr * buildings
    staff_per_yr = fac.terrestrial_staff_usd_per_kw_yr * target / 1e3
    owned = capex + it_cost
    tax_per_yr = fac.property_tax_fraction_per_yr * owned
    insurance_per_yr = fac.terrestrial_insurance_fraction_per_yr * owned
    op_co2_per_yr = it_mwh_per_yr * pue * co2_per_facility_mwh
    carbon_price = inp.carbon.carbon_price_usd_per_t_co2
    op_carbon_per_yr = carbon_price * op_co2_per_yr / 1e3
    facility_co2 = fac.facility_embodied_co2e_kg_per_kw * target / 1e3
    it_co2 = inp.carbon.it_embodied_co2e_kg_per_kw * target / 1e3
    fac_carbon, it_carbon = carbon_price * facility_co2 / 1e3, carbon_price * it_co2 / 1e3

    lv = inp.lives
    life = lambda name: getattr(lv, name) if lv is not None else None  # noqa: E731
    gas_life = inp.gas_life.gas_turbine_life_yr if inp.gas_life is not None else None
    it_life = inp.it_life.it_life_yr if inp.it_life is not None else None
    build = Timing.ramp_start(fac.construction_years)
    start = fac.construction_years + fac.grid_connection_delay_yr
    in_service = Timing.at(start)
    yearly_costs = energy_cost_per_yr + om_per_yr + staff_per_yr + tax_per_yr + insurance_per_yr + op_carbon_per_yr
    gpu_hours_per_yr = target / ec.gpu_power_w * hours * ec.gpu_utilization
    if lv is None:  # charged to the window: the facility is one asset, the IT another
        capital = [Capital(capex + fac_carbon, None, build), Capital(it_cost + it_carbon, None, in_service)]
    else:
        capital = [Capital(gen, gas_life if gas is not None else None, build),
                   Capital(electrical + other, life("electrical_life_yr"), build),
                   Capital(mechanical, life("mechanical_life_yr"), build), Capital(civil, life("civil_life_yr"), build),
                   Capital(network, life("network_life_yr"), build), Capital(fac_carbon, life("civil_life_yr"), build),
                   Capital(it_cost + it_carbon, it_life, in_service)]
    with np.errstate(divide="ignore", invalid="ignore"):
        hours_per_mwh = gpu_hours_per_yr / it_mwh_per_yr
    producing = it_mwh_per_yr > 0
    if not np.all(producing):
        hours_per_mwh = np.where(producing, hours_per_mwh, 0.0)
    ledger = Ledger(horizon=years, anchor=in_service, valuation_rate=rate, capital=capital, lumps=[],
                    costs=Stream(yearly_costs), energy=Stream(it_mwh_per_yr), hours_per_mwh=hours_per_mwh)
    fin = ledger_finance(ledger, ec.compute_price_usd_per_gpu_hour)
    renewals, residual = ledger.capital_totals()
    it_mwh = it_mwh_per_yr * years
    total = capex + it_cost + fac_carbon + it_carbon
    if ledger.renews:  # else both are 0
        total = total + renewals - residual
    total = total + yearly_costs * years
    embodied = facility_co2 * (years / life("civil_life_yr") if lv is not None else 1.0) \
        + it_co2 * (years / it_life if it_life is not None else 1.0)
    b = lambda x: shaped(x, shape)  # noqa: E731
    return TerrestrialResult(
        capex_usd=b(capex), power_generation_capex_usd=b(gen), electrical_capex_usd=b(electrical),
        mechanical_capex_usd=b(mechanical), civil_capex_usd=b(civil), network_capex_usd=b(network),
        other_capex_usd=b(other), it_equipment_cost_usd=b(it_cost), embodied_carbon_cost_usd=b(fac_carbon + it_carbon),
        renewal_cost_usd=b(renewals), residual_value_usd=b(residual), energy_cost_usd=b(energy_cost_per_yr * years),
        om_cost_usd=b(om_per_yr * years), staff_cost_usd=b(staff_per_yr * years), property_tax_usd=b(tax_per_yr * years),
        insurance_cost_usd=b(insurance_per_yr * years), operation_carbon_cost_usd=b(op_carbon_per_yr * years),
        energy_cost_usd_per_mwh=b(per_it_mwh), energy_cost_usd_per_kw_yr=b(energy_cost_per_yr / (target / 1e3)),
        total_cost_usd=b(total), cost_per_watt_usd=b(total / target), it_energy_mwh=b(it_mwh),
        facility_energy_mwh=b(it_mwh * pue), delivered_gpu_hours=b(gpu_hours_per_yr * years),
        compute_availability=b(fac.terrestrial_availability), operation_start_years=b(start),
        discount_rate_per_yr=b(rate), pv_cost_usd=b(fin.pv_cost_usd), pv_gpu_hours=b(fin.pv_gpu_hours),
        lcoe_usd_per_mwh=b(fin.lcoe_usd_per_mwh), lcoc_usd_per_gpu_hour=b(fin.lcoc_usd_per_gpu_hour),
        water_l=b(it_mwh * 1e3 * fac.water_l_per_kwh), co2_kg=b(op_co2_per_yr * years), embodied_co2_kg=b(embodied),
        lifecycle_co2_kg=b(op_co2_per_yr * years + embodied), npv_usd=b(fin.npv_usd), irr_per_yr=b(fin.irr_per_yr),
        payback_years=b(fin.payback_years), cost_scope=inp.scope.cost_scope, cost_basis=inp.scope.cost_basis,
        ledger=ledger,
    )
