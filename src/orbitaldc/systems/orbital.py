"""The orbital model chain: design -> sizing -> masses, counts, costs by year -> OrbitalResult.

Orchestration only (PySAM/pvlib ModelChain style): physics lives in ``orbitaldc.physics``,
launch in ``orbitaldc.launch``, money in ``orbitaldc.finance``. Every step is vectorized: any
numeric parameter may be an array and every output keeps the broadcast shape.

With ``cost_basis = "capex"`` and ``cost_scope = "facility"`` (and the items McCalip leaves out
set to zero, as his preset does) the chain reproduces McCalip (Dec 2025):

1. average capacity factor of the array ``mean((1 - d)^y), y = 0..N-1``
   (or end-of-life ``(1 - d)^N`` with ``sizing_basis = "end_of_life"``);
2. required beginning-of-life power ``P_req = P_target / (CF x sun_fraction)``;
3. satellites ``ceil(P_req / P_sat)``, installed power ``n x P_sat``;
4. mass ``installed / (W/kg)`` (``mass_model = "specific_power"``) or the physics sizing of
   ``orbitaldc.systems.bottom_up`` (``mass_model = "bottom_up"``);
5. hardware ``$/W x installed``; launch ``$/kg x mass`` (or whole launches of a vehicle);
   operations ``fraction x hardware`` per year; GPU failures ``rate x hardware`` per year
   (``replacement = "charged"``) or lost compute (``"capacity_loss"``); plus NRE.

Like for like (:mod:`orbitaldc.lifecycle` states the conventions): ``cost_scope = "all_in"`` adds
the IT equipment (its price times ``it_space_premium``, its mass in both mass models);
``cost_basis = "lifecycle"`` relaunches the fleet every ``min(satellite_life_yr, it_life_yr)``
years (the array and batteries are sized for one generation) and credits its residual value;
the fleet enters service batch by batch as it is launched; insurance, the ground segment,
licensing, propulsive disposal and carbon are priced; delivered GPU-hours carry the design's
compute availability (:data:`~orbitaldc.systems.inputs.AVAILABILITY_FIELD`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import numpy as np

from orbitaldc import launch
from orbitaldc.dollars import cpi_factor, escalated
from orbitaldc.finance import HOURS_PER_YEAR
from orbitaldc.lifecycle import Capital, Ledger, Lump, Stream, Timing, ledger_finance
from orbitaldc.systems import ByYear, bottom_up, shaped
from orbitaldc.systems.design import SatelliteDesign
from orbitaldc.systems.inputs import AVAILABILITY_FIELD, OrbitalInputs, numeric_inputs


@dataclass
class OrbitalResult(ByYear):
    """Everything the orbital chain computes (arrays in the scenario's broadcast shape).

    Money in dollars of ``real_dollar_year`` (``dollar_escalation = "cpi"``) or as typed.
    Totals are undiscounted over the ``analysis_years`` window: the first fleet, its renewals
    within the window, less the residual value at its end, plus yearly costs.
    """

    required_power_w: np.ndarray
    installed_power_w: np.ndarray
    it_power_w: np.ndarray
    satellite_count: np.ndarray
    satellite_mass_kg: np.ndarray
    shielding_mass_kg: np.ndarray
    it_mass_kg: np.ndarray
    mass_to_orbit_kg: np.ndarray
    specific_mass_kg_per_kw: np.ndarray
    launch_count: np.ndarray
    deployment_years: np.ndarray
    launch_price_usd_per_kg: np.ndarray
    hardware_cost_usd: np.ndarray
    it_equipment_cost_usd: np.ndarray
    launch_cost_usd: np.ndarray
    shielding_cost_usd: np.ndarray
    launch_insurance_cost_usd: np.ndarray
    ground_segment_cost_usd: np.ndarray
    carbon_cost_usd: np.ndarray
    nre_cost_usd: np.ndarray
    renewal_cost_usd: np.ndarray
    residual_value_usd: np.ndarray
    ops_cost_usd: np.ndarray
    replacement_cost_usd: np.ndarray
    insurance_cost_usd: np.ndarray
    ground_segment_opex_usd: np.ndarray
    licensing_cost_usd: np.ndarray
    total_cost_usd: np.ndarray
    cost_per_watt_usd: np.ndarray
    satellite_generations: np.ndarray
    generation_years: np.ndarray
    delivered_energy_mwh: np.ndarray
    delivered_gpu_hours: np.ndarray
    compute_availability: np.ndarray
    pue: np.ndarray
    discount_rate_per_yr: np.ndarray
    pv_cost_usd: np.ndarray
    pv_hardware_cost_usd: np.ndarray
    pv_gpu_hours: np.ndarray
    lcoe_usd_per_mwh: np.ndarray
    lcoc_usd_per_gpu_hour: np.ndarray
    launched_power_price_usd_per_kw_yr: np.ndarray
    average_capacity_factor: np.ndarray
    launch_co2_kg: np.ndarray
    embodied_co2_kg: np.ndarray
    lifecycle_co2_kg: np.ndarray
    npv_usd: np.ndarray
    irr_per_yr: np.ndarray
    payback_years: np.ndarray
    sun_fraction: np.ndarray
    cost_scope: str = "facility"
    cost_basis: str = "capex"
    design: SatelliteDesign | None = None
    ledger: Ledger | None = field(default=None, repr=False)

    #: fields reported in summaries (``to_dict``); the by-year arrays are reported separately
    SUMMARY = (
        "total_cost_usd", "hardware_cost_usd", "it_equipment_cost_usd", "launch_cost_usd", "shielding_cost_usd",
        "launch_insurance_cost_usd", "ground_segment_cost_usd", "carbon_cost_usd", "nre_cost_usd",
        "renewal_cost_usd", "residual_value_usd", "ops_cost_usd", "replacement_cost_usd", "insurance_cost_usd",
        "ground_segment_opex_usd", "licensing_cost_usd", "cost_per_watt_usd", "lcoe_usd_per_mwh",
        "lcoc_usd_per_gpu_hour", "pv_cost_usd", "pv_hardware_cost_usd", "pv_gpu_hours", "discount_rate_per_yr",
        "mass_to_orbit_kg", "satellite_mass_kg", "shielding_mass_kg", "it_mass_kg",
        "specific_mass_kg_per_kw", "satellite_count", "satellite_generations", "generation_years", "launch_count",
        "deployment_years", "launch_price_usd_per_kg", "required_power_w", "installed_power_w", "it_power_w",
        "sun_fraction", "average_capacity_factor", "compute_availability", "pue", "delivered_energy_mwh",
        "delivered_gpu_hours", "launched_power_price_usd_per_kw_yr", "launch_co2_kg", "embodied_co2_kg",
        "lifecycle_co2_kg", "npv_usd", "irr_per_yr", "payback_years",
    )

    def to_dict(self) -> dict[str, Any]:
        """Summary results by name (arrays kept), the scope, and the ``design`` when there is one.

        Returns
        -------
        dict
            ``cost_scope``, ``cost_basis``, each of :attr:`SUMMARY` in its SI unit, and
            ``design`` (:meth:`SatelliteDesign.to_dict`) for the bottom-up model.

        References
        ----------
        .. [1] NREL PySAM: performance chained to finance through named outputs.
        """
        out: dict[str, Any] = {"cost_scope": self.cost_scope, "cost_basis": self.cost_basis}
        out.update({name: getattr(self, name) for name in self.SUMMARY})
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

    Parameters
    ----------
    failure_per_yr : array_like
        Fraction of GPUs failing per year, ``f``, in [0, 1).
    year_index : array_like
        Operating year ``k``, 1 for the first year.

    Returns
    -------
    ndarray
        Mean fraction of the initial GPUs still working during year ``k`` (dimensionless),
        in (0, 1].

    References
    ----------
    .. [1] P. O'Connor and A. Kleyner, *Practical Reliability Engineering*, 5th ed., Wiley
       (2012), ch. 2 (constant-hazard survival ``exp(-lambda t)``, here ``lambda = -ln(1-f)``).
    .. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025): GPU
       failures of 9 %/yr (Meta, "The Llama 3 Herd of Models", 2024, sec. 3.3.4).
    """
    f = np.asarray(failure_per_yr, dtype=float)
    k = np.asarray(year_index, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_in_year = np.where(f == 0, 1.0, f / -np.log1p(-f))
    return (1.0 - f) ** (k - 1.0) * mean_in_year


def compute_availability(design: SatelliteDesign | None) -> np.ndarray | float:
    """Fraction of the GPUs' time that delivers compute, from the design's compute losses.

    Parameters
    ----------
    design : SatelliteDesign or None
        The bottom-up design (None for the whole-satellite model).

    Returns
    -------
    ndarray or float
        The design's ``checks.availability`` (:data:`~orbitaldc.systems.inputs.AVAILABILITY_FIELD`:
        compute not lost to radiation restarts, checkpoints and mitigation, times the share of
        output the ground links carry); 1 without a design (McCalip's whole-satellite model
        states none).

    References
    ----------
    .. [1] J. T. Daly, "A higher order estimate of the optimum checkpoint interval for restart
       dumps", Future Generation Computer Systems 22 (2006) 303-312 (the checkpoint share of the
       mitigation loss).
    """
    if design is None:
        return 1.0
    return np.asarray(getattr(design.checks, AVAILABILITY_FIELD), dtype=float)


def _launch_vehicle(inp: OrbitalInputs):
    """Payload per launch, price per launch (None when priced per kg) and CO2 per kg to orbit."""
    ln = inp.launch
    if ln.launch_vehicle == "custom":
        price = inp.custom_price.launch_price_usd if inp.custom_price is not None else None
        return inp.custom_vehicle.launch_payload_kg, price, inp.launch_carbon.launch_co2e_kg_per_kg
    veh = launch.vehicle(ln.launch_vehicle)
    price = veh.price_usd
    if inp.escalation is not None:
        price = price * cpi_factor(veh.dollar_year, inp.escalation.real_dollar_year)
    return veh.payload_kg, price, veh.co2_kg_per_kg


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

    Notes
    -----
    One fleet generation costs ``K = hardware + IT + launch + shielding + launch insurance +
    carbon of its launch and manufacture``; it is renewed every ``T`` years within the window
    (``T = min(satellite_life_yr, it_life_yr)`` under ``orbital_it_refresh = "relaunch"``;
    ``T = N`` under ``cost_basis = "capex"``) and credited with its residual value at the end
    (:class:`orbitaldc.lifecycle.Ledger`). Yearly costs: operations, GPU replacement, in-orbit
    insurance, ground-segment operations, licensing. Output of operating year ``k``:
    ``P_IT x 8760 h x g^((k-1) mod T)`` of IT energy, and GPU-hours of it at ``gpu_power_w`` x
    utilization x the design's compute availability. Propulsive disposal adds
    ``m_dry (exp(dv / (g0 Isp)) - 1)`` of propellant (Tsiolkovsky) to the bottom-up design.

    References
    ----------
    .. [1] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (Dec 2025) (method
       and defaults).
    .. [2] W. Short, D. J. Packey, T. Holt, NREL/TP-462-5173 (1995), sec. 4 (present values and
       levelized costs); NREL ATB (capital recovery, residual value).
    .. [3] Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed., sec. 17.1 (rocket
       equation, propellant budgets).
    """
    f, shape = numeric_inputs(v)
    f = escalated(f)
    inp = OrbitalInputs.from_values(f)
    m, fl, ln, ec, op = inp.mission, inp.fleet, inp.launch, inp.economics, inp.opex
    target, years = m.target_power_w, m.analysis_years
    rate = ec.discount_rate_per_yr if inp.discount.orbital_discount_rate_per_yr is None \
        else inp.discount.orbital_discount_rate_per_yr
    # generation length: the fleet is renewed when its bus (or, refreshed, its IT) ends its life
    if inp.satellite_life is not None:
        period = inp.satellite_life.satellite_life_yr
        if inp.it_life is not None:
            period = np.minimum(period, inp.it_life.it_life_yr)
    else:
        period = years
    service = np.minimum(period, years)
    cf = array_capacity_factor(fl.cell_degradation_per_yr, service, fl.sizing_basis)
    if inp.typed_sun is not None:
        sun_fraction = inp.typed_sun.sun_fraction
    else:  # year-average sunlit fraction of the orbit
        sun_fraction = bottom_up.sunlight(inp.orbit).sun_fraction
    required = target / (cf * sun_fraction)
    design = None
    if inp.physics is not None:
        design = bottom_up.size(inp.physics, replace(m, analysis_years=service), fl, sun_fraction, required)
        count, installed, sat_mass = design.satellite_count, design.array_rated_power_w, design.total_mass_kg
    else:
        count = np.ceil(np.asarray(required) / fl.satellite_power_w * (1.0 - 1e-12))
        installed = count * fl.satellite_power_w
        sat_mass = installed / inp.specific_power.specific_power_w_per_kg

    # IT nameplate: the GPUs the array feeds at its peak (average sizing runs them down with it)
    average = fl.sizing_basis == "average"
    first = 1.0 / cf if average else np.ones_like(cf)
    it_power = target * first
    it_mass = inp.it_mass.kg_per_w * it_power if inp.it_mass is not None else 0.0
    shield_mass = fl.shielding_kg_per_w * target
    shield_cost = shield_mass * fl.shielding_cost_usd_per_kg
    mass = sat_mass + shield_mass  # the bottom-up design carries its own disposal propellant
    if inp.it_mass is not None:
        mass = mass + it_mass

    payload, price_per_launch, co2_per_kg = _launch_vehicle(inp)
    n_launch = launch.launch_count(mass, payload)
    per_kg = inp.launch_per_kg is not None
    list_price = inp.launch_per_kg.launch_cost_usd_per_kg if per_kg else price_per_launch / payload
    price = launch.average_wright_price_usd_per_kg(
        list_price, mass, ln.launch_reference_mass_kg, ln.launch_learning_rate, ln.launch_floor_usd_per_kg)
    launch_cost = price * (mass if per_kg else n_launch * payload)
    deploy = launch.deployment_years(n_launch, ln.launches_per_yr)

    hardware = fl.satellite_cost_usd_per_w * installed
    it_cost = inp.it.it_capex_usd_per_w * inp.it_space.it_space_premium * it_power if inp.it is not None \
        else np.zeros_like(it_power)
    insured = hardware + it_cost + shield_cost + launch_cost
    launch_ins = op.launch_insurance_fraction * insured
    launch_co2 = mass * co2_per_kg
    embodied_co2 = (op.satellite_embodied_co2e_kg_per_kw * installed + inp.carbon.it_embodied_co2e_kg_per_kw * it_power) / 1e3
    carbon_cost = inp.carbon.carbon_price_usd_per_t_co2 * (launch_co2 + embodied_co2) / 1e3
    generation = insured + launch_ins + carbon_cost
    ground_segment = op.ground_segment_capex_usd_per_w * target
    nre = fl.nre_cost_usd

    ops_per_yr = fl.ops_cost_fraction_per_yr * hardware
    failures = fl.gpu_failure_per_yr
    repl_base = {"charged": hardware + it_cost, "relaunched": generation}.get(fl.replacement)
    repl_per_yr = failures * repl_base if repl_base is not None else np.zeros_like(hardware)
    insurance_per_yr = op.in_orbit_insurance_fraction_per_yr * insured
    gs_opex_per_yr = op.ground_segment_opex_fraction_per_yr * ground_segment
    licensing_per_yr = op.licensing_cost_usd_per_yr

    # output per generation: array output falls by (1 - d) a year under average sizing, and
    # with no repair the surviving compute falls by (1 - f) a year; each new generation restarts
    growth = 1.0 - fl.cell_degradation_per_yr if average else np.ones_like(cf)
    first_energy = target * HOURS_PER_YEAR / 1e6 * first
    if fl.replacement == "capacity_loss":
        first_energy = first_energy * year_average_survival(failures, 1.0)
        growth = growth * (1.0 - failures)
    availability = compute_availability(design)
    hours_per_mwh = 1e6 / ec.gpu_power_w * ec.gpu_utilization * availability
    lifecycle = inp.satellite_life is not None
    gs_life = inp.ground_segment_life.network_life_yr if lifecycle else None
    fleet_start = Timing.ramp_end(deploy)
    per_yr = ops_per_yr + repl_per_yr + insurance_per_yr + gs_opex_per_yr + licensing_per_yr
    ledger = Ledger(
        horizon=years, anchor=fleet_start, valuation_rate=rate,
        capital=[Capital(generation, period if lifecycle else None, fleet_start),
                 Capital(ground_segment, gs_life, fleet_start)],
        lumps=[Lump(nre, Timing.at(0.0))],
        costs=Stream(per_yr),
        energy=Stream(first_energy, growth, period if lifecycle else None), hours_per_mwh=hours_per_mwh)
    fin = ledger_finance(ledger, ec.compute_price_usd_per_gpu_hour)
    renewals, residual = ledger.capital_totals()
    yearly = lambda x: x * years  # noqa: E731
    total = nre + generation + ground_segment
    if ledger.renews:  # else both are 0
        total = total + renewals - residual
    total = total + yearly(per_yr)
    delivered = ledger.stream_total(ledger.energy)
    # CO2: each generation's launch and manufacture, straight-line over the share of its life used
    used = years / period
    replaced = failures * years if fl.replacement == "relaunched" else 0.0
    gens = np.ceil(years / period * (1.0 - 1e-12))
    b = lambda x: shaped(x, shape)  # noqa: E731
    return OrbitalResult(
        required_power_w=b(required), installed_power_w=b(installed), it_power_w=b(it_power), satellite_count=b(count),
        satellite_mass_kg=b(sat_mass), shielding_mass_kg=b(shield_mass), it_mass_kg=b(it_mass),
        mass_to_orbit_kg=b(mass), specific_mass_kg_per_kw=b(mass / (target / 1e3)),
        launch_count=b(n_launch), deployment_years=b(deploy), launch_price_usd_per_kg=b(price),
        hardware_cost_usd=b(hardware), it_equipment_cost_usd=b(it_cost), launch_cost_usd=b(launch_cost),
        shielding_cost_usd=b(shield_cost), launch_insurance_cost_usd=b(launch_ins),
        ground_segment_cost_usd=b(ground_segment), carbon_cost_usd=b(carbon_cost), nre_cost_usd=b(nre),
        renewal_cost_usd=b(renewals), residual_value_usd=b(residual), ops_cost_usd=b(yearly(ops_per_yr)),
        replacement_cost_usd=b(yearly(repl_per_yr)), insurance_cost_usd=b(yearly(insurance_per_yr)),
        ground_segment_opex_usd=b(yearly(gs_opex_per_yr)), licensing_cost_usd=b(yearly(licensing_per_yr)),
        total_cost_usd=b(total), cost_per_watt_usd=b(total / target), satellite_generations=b(gens),
        generation_years=b(service), delivered_energy_mwh=b(delivered),
        delivered_gpu_hours=b(delivered * hours_per_mwh), compute_availability=b(availability),
        pue=b(design.load_power_w / design.it_power_w if design is not None else 1.0), discount_rate_per_yr=b(rate),
        pv_cost_usd=b(fin.pv_cost_usd), pv_hardware_cost_usd=b(ledger.capital_present_value(
            Capital(hardware + it_cost, period if lifecycle else None, fleet_start))),
        pv_gpu_hours=b(fin.pv_gpu_hours), lcoe_usd_per_mwh=b(fin.lcoe_usd_per_mwh),
        lcoc_usd_per_gpu_hour=b(fin.lcoc_usd_per_gpu_hour),
        launched_power_price_usd_per_kw_yr=b(launch_cost / (installed / 1e3 * years)),
        average_capacity_factor=b(cf), launch_co2_kg=b(launch_co2 * (used + replaced)),
        embodied_co2_kg=b(embodied_co2 * (used + replaced)),
        lifecycle_co2_kg=b((launch_co2 + embodied_co2) * (used + replaced)),
        npv_usd=b(fin.npv_usd), irr_per_yr=b(fin.irr_per_yr), payback_years=b(fin.payback_years),
        sun_fraction=b(sun_fraction), cost_scope=inp.scope.cost_scope, cost_basis=inp.scope.cost_basis,
        design=design, ledger=ledger,
    )
