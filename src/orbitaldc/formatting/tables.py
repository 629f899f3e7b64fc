"""Table rows at the edge: the side-by-side comparison, the design's physics checks, a simulation summary.

Each function returns groups of rows of text (:class:`RowGroup`); the CLI prints them with rich,
the report as HTML. The numbers are the results' own fields, written by
:mod:`orbitaldc.formatting.numbers`; nothing here computes a model quantity (the one product
shown, availability x utilization, is the delivered share the chains apply).
"""

from __future__ import annotations

import math
from typing import Any, Mapping, NamedTuple

from orbitaldc.compare import scope_mismatch
from orbitaldc.formatting.numbers import first, metric, number, percent, usd, usd_per, value
from orbitaldc.formatting.words import scope_text
from orbitaldc.systems.breakdown import COST_PARTS, UPFRONT_EXCLUDED, cost_breakdown

__all__ = ["COST_GROUPS", "RowGroup", "design_check_rows", "side_by_side", "side_scope_mismatch", "simulation_rows"]


class RowGroup(NamedTuple):
    """A titled group of table rows ``(label, cell, ...)``."""

    title: str
    rows: list[tuple[str, ...]]


#: The cost parts' groups, in display order: title -> which parts (by :class:`~orbitaldc.systems.breakdown.CostPart`).
COST_GROUPS = (
    ("Capital (up front)", lambda p: p.capex and p.key not in UPFRONT_EXCLUDED),
    ("Renewals and residual value", lambda p: p.key in UPFRONT_EXCLUDED),
    ("Yearly costs (over the window)", lambda p: not p.capex),
)


def _cost_rows(c, keep) -> list[tuple[str, str, str]]:
    """Rows of the cost parts ``keep`` selects: one row per label, a part shown in its side's column.

    Parts that are zero are left out; a label both sides carry (IT equipment, residual value)
    is one row with both amounts.
    """
    rows: dict[str, list[str]] = {}
    for col, side in ((0, "orbital"), (1, "terrestrial")):
        amounts = cost_breakdown(side, getattr(c, side))
        for part in COST_PARTS[side]:
            amount = first(amounts[part.key])
            if keep(part) and amount:
                rows.setdefault(part.label, ["", ""])[col] = usd(amount)
    return [(label, *cells) for label, cells in rows.items()]


def side_scope_mismatch(c) -> dict[str, tuple[Any, Any]]:
    """How the two sides of one comparison differ in scope (:func:`orbitaldc.compare.scope_mismatch`).

    Parameters
    ----------
    c : Comparison

    Returns
    -------
    dict
        Empty when both results state the same ``cost_scope`` and ``cost_basis``.
    """
    side = lambda r: {**c.values, "cost_scope": r.cost_scope, "cost_basis": r.cost_basis}  # noqa: E731
    return scope_mismatch(side(c.orbital), side(c.terrestrial))


def _availability_rows(c) -> list[tuple[str, str, str]]:
    """Availability (the design's on orbit, the facility's on the ground), utilization, delivered GPU-hours."""
    o, t, v = c.orbital, c.terrestrial, c.values
    a_o, a_t, use = first(o.compute_availability), first(t.compute_availability), first(v["gpu_utilization"])
    design = o.design
    rows = [("Availability", percent(a_o) + ("" if design is not None else " (none modelled)"),
             percent(a_t) + " (facility)")]
    if design is not None:
        ch = design.checks
        rows += [("  compute lost to radiation", percent(first(ch.radiation_compute_loss)), ""),
                 ("  output the links carry", percent(first(ch.link_delivered_fraction)), "")]
    rows += [("GPU utilization", percent(use), percent(use)),
             ("Availability x utilization", percent(a_o * use), percent(a_t * use)),
             ("Delivered GPU-hours", number(first(o.delivered_gpu_hours)), number(first(t.delivered_gpu_hours)))]
    return rows


def _mt(kg: float) -> str:
    return f"{kg / 1e9:,.2f} Mt"


def side_by_side(c, breakdown: bool = True) -> list[RowGroup]:
    """The rows of a point comparison's side-by-side table, in titled groups.

    Parameters
    ----------
    c : Comparison
        A point comparison (:func:`orbitaldc.compare.evaluate` of a single-point scenario).
    breakdown : bool
        Include every cost part of :data:`orbitaldc.systems.breakdown.COST_PARTS` (signed: the
        residual value is a credit, written negative; parts that are zero on both sides are left
        out), grouped as :data:`COST_GROUPS`.

    Returns
    -------
    list of RowGroup
        ``(label, orbital, terrestrial)`` rows: scope (what is counted, power, years); the cost
        parts; totals and levelized costs (NPV, IRR and payback when a compute price is set);
        delivered compute (availability, utilization, GPU-hours); physical quantities (mass,
        satellites, launches, water, life-cycle CO2 and its parts).
    """
    o, t, v = c.orbital, c.terrestrial, c.values
    power = number(first(v["target_power_w"]) / 1e6, "MW")
    sides = {"orbital": o, "terrestrial": t}
    scopes = [scope_text({**c.scope, "cost_scope": r.cost_scope, "cost_basis": r.cost_basis}, short=True)
              for r in sides.values()]
    groups = [RowGroup("Scope", [("Counted", *scopes), ("IT power", power, power),
                                 ("Years", value(v["analysis_years"]), value(v["analysis_years"]))])]
    if breakdown:
        for title, keep in COST_GROUPS:
            rows = _cost_rows(c, keep)
            if rows:
                groups.append(RowGroup(title, rows))
    capex = [math.fsum(first(x) for x in cost_breakdown(side, r, capex_only=True).values())
             for side, r in sides.items()]
    totals = [("Total cost (undiscounted)", usd(first(o.total_cost_usd)), usd(first(t.total_cost_usd))),
              ("Capex (up front)", usd(capex[0]), usd(capex[1]))]
    for label, field in (("Cost per watt", "cost_per_watt_usd"), ("LCOE (IT energy)", "lcoe_usd_per_mwh"),
                         ("LCOC (headline)", "lcoc_usd_per_gpu_hour")):
        totals.append((label, metric(field, first(getattr(o, field))), metric(field, first(getattr(t, field)))))
    if math.isfinite(first(o.npv_usd)):
        for label, field in (("NPV at compute price", "npv_usd"), ("IRR", "irr_per_yr"), ("Payback", "payback_years")):
            totals.append((label, metric(field, first(getattr(o, field))), metric(field, first(getattr(t, field)))))
    groups.append(RowGroup("Totals", totals))
    groups.append(RowGroup("Delivered compute", _availability_rows(c)))
    groups.append(RowGroup("Physical", [
        ("Mass to orbit", number(first(o.mass_to_orbit_kg), "kg"), ""),
        ("Specific mass", number(first(o.specific_mass_kg_per_kw), "kg/kW"), ""),
        ("Satellites / launches", f"{number(first(o.satellite_count))} / {number(first(o.launch_count))}", ""),
        ("Deployment", number(first(o.deployment_years), "yr"), ""),
        ("Water", "0", f"{first(t.water_l) / 1e9:,.3f} Mt"),
        ("CO2 over the life cycle", _mt(first(o.lifecycle_co2_kg)), _mt(first(t.lifecycle_co2_kg))),
        ("  launch", _mt(first(o.launch_co2_kg)), ""),
        ("  manufacture, construction", _mt(first(o.embodied_co2_kg)), _mt(first(t.embodied_co2_kg))),
        ("  operation", "0", _mt(first(t.co2_kg))),
    ]))
    return groups


def _limit(text: str, name: str, v: Mapping[str, Any], unit: str = "", write=value) -> str:
    """``"at most 358.15 K (sim_die_limit_k)"``: a limit from the scenario, with the parameter's name."""
    amount = write(first(v[name])) if write is percent else f"{value(first(v[name]))} {unit}".strip()
    return f"{text} {amount} ({name})"


def design_check_rows(c) -> list[RowGroup]:
    """The bottom-up design's physics checks beside their limits (empty without a design).

    Parameters
    ----------
    c : Comparison
        A point comparison; ``c.orbital.design`` is the :class:`~orbitaldc.systems.design.SatelliteDesign`.

    Returns
    -------
    list of RowGroup
        ``(check, value, limit or note)`` rows: radiation dose and its parts, dose margin and
        years to the tolerance; upsets and the compute they cost; availability and its parts; die
        temperature; drag make-up, natural decay against the disposal rule and the deorbit burn,
        propellant; links (contact time, each satellite's share of the capped network, the cap).
    """
    design = c.orbital.design
    if design is None:
        return []
    ch, v = design.checks, c.values
    g = lambda name: first(getattr(ch, name))  # noqa: E731
    per_day = lambda bits: number(bits / 1e12, "Tb/day")  # noqa: E731
    decay, disposal = g("decay_time_yr"), first(v["disposal_years"])
    return [
        RowGroup("Radiation", [
            ("Dose behind the shielding", number(g("dose_rad_si_per_yr"), "rad(Si)/yr"),
             _limit("tolerance", "tid_tolerance_rad", v, "rad(Si)")),
            ("  trapped protons (AP-8)", number(g("dose_trapped_proton_rad_per_yr"), "rad(Si)/yr"), ""),
            ("  trapped electrons (AE-8)", number(g("dose_trapped_electron_rad_per_yr"), "rad(Si)/yr"), ""),
            ("  cosmic rays and solar events", number(g("dose_cosmic_rad_per_yr"), "rad(Si)/yr"), ""),
            ("Dose margin", number(g("dose_margin")), _limit("at least", "min_dose_margin", v)),
            ("Years to the dose tolerance", number(g("years_to_dose_limit"), "yr"), ""),
        ]),
        RowGroup("Upsets", [
            ("Shielded proton flux (upset threshold)", number(g("shielded_proton_flux_per_cm2_s"), "/cm2/s"), ""),
            ("Upsets per GPU", number(g("upsets_per_gpu_day"), "/day"), ""),
            ("Silent data corruptions per GPU", number(g("sdc_per_gpu_yr"), "/yr"), ""),
            ("Node interruptions per satellite", number(g("node_interrupts_per_day"), "/day"), ""),
            ("Compute lost to restarts", percent(g("restart_compute_loss")), ""),
        ]),
        RowGroup("Availability", [
            ("Compute lost to radiation", percent(g("radiation_compute_loss")), "restarts, checkpoints, mitigation"),
            ("Output the links carry", percent(g("link_delivered_fraction")), "share of the output"),
            ("Availability", percent(g("availability")), "(1 - loss) x link share"),
        ]),
        RowGroup("Thermal", [
            ("Die temperature", number(g("die_temperature_k"), "K"), _limit("at most", "sim_die_limit_k", v, "K")),
        ]),
        RowGroup("Drag and disposal", [
            ("Drag make-up", number(g("delta_v_m_per_s_per_yr"), "m/s per yr"), ""),
            ("Natural decay (tumbling)", number(decay, "yr"),
             _limit("disposal rule", "disposal_years", v, "yr")
             + ("; deorbit burn needed" if decay > disposal else "")),
            ("Deorbit burn", number(g("deorbit_delta_v_m_per_s"), "m/s"), ""),
            ("Propellant (share of launch mass)", percent(g("propellant_mass_fraction")),
             _limit("at most", "max_propellant_mass_fraction", v, write=percent)),
        ]),
        RowGroup("Links", [
            ("Contact time per satellite", number(g("contact_time_s_per_day") / 3600.0, "h/day"), ""),
            ("Downlink per satellite (share of the cap)", per_day(g("downlink_bits_per_day")), ""),
            ("Stations in view (time average)", number(g("stations_in_view")), ""),
            ("Network cap (stations in view x terminals x clear sky)", per_day(g("network_downlink_bits_per_day")),
             "fleet total"),
            ("Output fits the links (Gamma)", "yes" if bool(first(ch.gamma_fits)) else "no", ""),
        ]),
    ]


def simulation_rows(summary: Mapping[str, Any]) -> list[RowGroup]:
    """The rows of a simulation's summary table beside the averaged model's, in groups.

    Parameters
    ----------
    summary : mapping
        ``SimulationResult.summary`` of :func:`orbitaldc.simulate.simulate` (``simulated``,
        ``averaged``, ``lcoc`` and ``losses_wh`` entries).

    Returns
    -------
    list of RowGroup
        Groups of ``(label, averaged model, simulated)``: availability (sun fraction, availability,
        GPU-hours, results delivered); costs (mission GPU-hours, LCOE, LCOC); losses [MWh], data
        delivered [TB] and the hottest die [K].
    """
    s, a, lc, loss = summary["simulated"], summary["averaged"], summary["lcoc"], summary["losses_wh"]

    def scaled(x: float | None, factor: float, unit: str) -> str:
        return number(None if x is None else x / factor, unit)

    return [
        RowGroup("Availability", [
            ("Sun fraction", percent(a["sun_fraction"]), percent(s["sunlit_fraction"])),
            ("Availability (of nominal compute)", percent(a["availability"]), percent(s["availability"])),
            ("Delivered GPU-hours (window)", number(a["delivered_gpu_hours"]), number(s["delivered_gpu_hours"])),
            ("Results delivered", percent(a["results_delivered_fraction"]), percent(s["results_delivered_fraction"])),
        ]),
        RowGroup("Costs", [
            ("Mission GPU-hours", number(lc["averaged_mission_gpu_hours"]), number(lc["simulated_mission_gpu_hours"])),
            ("LCOE (IT energy)", usd_per(lc["averaged_lcoe_usd_per_mwh"], "MWh", 0),
             usd_per(lc["simulated_lcoe_usd_per_mwh"], "MWh", 0)),
            ("LCOC", usd_per(lc["averaged_usd_per_gpu_hour"], "GPU-h", 3),
             usd_per(lc["simulated_usd_per_gpu_hour"], "GPU-h", 3)),
            ("LCOC terrestrial", usd_per(lc["terrestrial_usd_per_gpu_hour"], "GPU-h", 3), ""),
        ]),
        RowGroup("Losses", [
            ("Loss: energy shortfall", "", scaled(loss["energy_shortfall"], 1e6, "MWh")),
            ("Loss: thermal throttling", "", scaled(loss["thermal_throttle"], 1e6, "MWh")),
            ("Loss: restarts", "", scaled(loss["restarts"], 1e6, "MWh")),
            ("Loss: checkpoints", "", scaled(loss["checkpoints"], 1e6, "MWh")),
            ("Data delivered", "", scaled(s["data_delivered_bytes"], 1e12, "TB")),
            ("Max die temperature", "", number(s["max_die_temperature_k"], "K")),
        ]),
    ]
