"""The presentation layer's words and numbers: money, quantities, metrics, parameter values, prose.

Every interface (CLI, HTML report, web API) writes a number through these functions, so one
quantity reads the same everywhere: ``$51.10B``, ``$1,167/MWh``, ``$2.063/GPU-h``, ``3.224x``,
``12.34 %``. Nothing here computes a model quantity; the functions only turn results into text.
Non-finite and missing values are written ``n/a``.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

import numpy as np

__all__ = ["NOT_AVAILABLE", "breakeven_text", "explain_summary", "file_stem", "metric", "number", "one_line", "percent",
           "quantity", "ratio", "side_by_side", "simulation_rows", "usd", "usd_per", "value", "verdict"]

#: How a missing or non-finite number is written.
NOT_AVAILABLE = "n/a"
#: Control characters (C0 but tab and newline, DEL, C1): they can drive a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Money scales, largest first: (threshold, suffix).
_MONEY_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def _missing(x: Any) -> bool:
    return x is None or not math.isfinite(x)


def usd(x: float | None) -> str:
    """An amount of money with a scale suffix.

    Parameters
    ----------
    x : float or None
        Amount [USD].

    Returns
    -------
    str
        Two decimals after scaling to thousands (``k``), millions (``M``), billions (``B``) or
        trillions (``T``): ``$51.10B``, ``$8.20M``, ``$12.30k``, ``$0.85``; negative amounts
        ``-$713.75M``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    if x < 0:
        return "-" + usd(-x)
    for scale, suffix in _MONEY_SCALES:
        if x >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.2f}"


def usd_per(x: float | None, unit: str, decimals: int) -> str:
    """A price per unit, e.g. ``$2.50/W``, ``$1,167/MWh``, ``$2.063/GPU-h``.

    Parameters
    ----------
    x : float or None
        Price [USD per ``unit``].
    unit : str
        The unit after the slash.
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``$`` amount with thousands separators, ``/unit``; a minus sign before the ``$``;
        ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    sign = "-" if x < 0 else ""
    return f"{sign}${abs(x):,.{decimals}f}/{unit}"


def number(x: float | None, unit: str = "", digits: int = 4) -> str:
    """A plain quantity with an optional unit.

    Parameters
    ----------
    x : float or None
        The value.
    unit : str
        Appended after a space (omitted when empty).
    digits : int
        Significant digits for values below 100 that are not whole numbers.

    Returns
    -------
    str
        Whole numbers and values of 100 or more with thousands separators (one decimal if not
        whole): ``1,234.5 kg``; below 100, ``digits`` significant digits: ``3.142``; from 10^12 on,
        four significant digits in exponent form: ``5e+12``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    a = abs(x)
    if a >= 1e6:
        text = f"{x:,.0f}" if a < 1e12 else f"{x:.4g}"
    elif a >= 100 or x == round(x):
        text = f"{x:,.{0 if x == round(x) else 1}f}"
    else:
        text = f"{x:.{digits}g}"
    return f"{text} {unit}".strip()


def percent(x: float | None, decimals: int = 2) -> str:
    """A fraction written as a percentage, e.g. ``0.1234`` -> ``12.34 %``.

    Parameters
    ----------
    x : float or None
        Fraction [1].
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``100 x`` with ``decimals`` decimals and `` %``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    return f"{100.0 * x:.{decimals}f} %"


def ratio(x: float | None, decimals: int = 3) -> str:
    """A ratio of two like quantities, e.g. ``3.224x``.

    Parameters
    ----------
    x : float or None
        The ratio [1].
    decimals : int
        Digits after the decimal point.

    Returns
    -------
    str
        ``x`` with ``decimals`` decimals and an ``x``; ``n/a`` for None, NaN or infinity.
    """
    if _missing(x):
        return NOT_AVAILABLE
    return f"{x:.{decimals}f}x"


#: How a result is written, by the end of its name (first match wins; see :func:`metric`).
_METRIC_SUFFIXES: tuple[tuple[str, Any], ...] = (
    ("ratio", ratio),
    ("_usd_per_mwh", lambda x: usd_per(x, "MWh", 0)),
    ("_usd_per_gpu_hour", lambda x: usd_per(x, "GPU-h", 3)),
    ("_usd_per_kg", lambda x: usd_per(x, "kg", 0)),
    ("_usd_per_kw_yr", lambda x: usd_per(x, "kW-yr", 0)),
    ("cost_per_watt_usd", lambda x: usd_per(x, "W", 2)),
    ("_usd", usd),
    ("_per_yr", lambda x: percent(x) + "/yr" if not _missing(x) else NOT_AVAILABLE),
    ("_kg_per_kw", lambda x: number(x, "kg/kW")),
    ("_kg", lambda x: number(x, "kg")),
    ("_mwh", lambda x: number(x, "MWh")),
    ("_gpu_hours", lambda x: number(x, "GPU-h")),
    ("_years", lambda x: number(x, "yr")),
    ("_w", lambda x: number(x, "W")),
    ("_l", lambda x: number(x, "L")),
)


def metric(name: str, x: float | None) -> str:
    """A result value written with the unit its name carries.

    Parameters
    ----------
    name : str
        A result name (``orbital.total_cost_usd``, ``cost_ratio``, ``terrestrial.lcoe_usd_per_mwh``,
        see :func:`orbitaldc.compare.metric_names`).
    x : float or None
        The value in the unit of the name (SI, USD, fractions).

    Returns
    -------
    str
        Ratios ``3.224x``; money :func:`usd`; prices per unit :func:`usd_per` (``$2.50/W``,
        ``$1,167/MWh``, ``$2.063/GPU-h``); rates per year ``12.00 %/yr``; masses, energies,
        durations with their unit; anything else :func:`number`.
    """
    for suffix, write in _METRIC_SUFFIXES:
        if name.endswith(suffix):
            return write(x)
    return number(x)


#: Units written as money by :func:`quantity`: unit -> (unit after the slash, decimals); None: :func:`usd`.
_MONEY_UNITS = {"USD": None, "USD/GPU-h": ("GPU-h", 4), "USD/W": ("W", 2), "USD/MWh": ("MWh", 0),
                "USD/kg": ("kg", 0)}


def quantity(x: float | None, unit: str) -> str:
    """A value written with a unit string from the parameter library or an objective.

    Parameters
    ----------
    x : float or None
        The value in ``unit``.
    unit : str
        ``"USD"``, ``"USD/GPU-h"``, ``"USD/W"``, ... (money), ``"1"`` (dimensionless) or any other
        unit (appended).

    Returns
    -------
    str
        ``$1.20B``, ``$2.0631/GPU-h``, ``12.5``, ``7.3 kg/kW``; ``n/a`` for None, NaN or infinity.
    """
    if unit in _MONEY_UNITS:
        per = _MONEY_UNITS[unit]
        return usd(x) if per is None else usd_per(x, *per)
    return number(x, "" if unit == "1" else unit)


def value(x: Any) -> str:
    """A parameter value as written in a scenario.

    Parameters
    ----------
    x : float, int, str, ndarray or None
        A scenario value.

    Returns
    -------
    str
        ``-`` for unset, strings as they are, numbers in ``%g`` form (``22``, ``0.0005``,
        ``1e+09``), arrays as ``[a, b, ...]`` with at most six elements shown.
    """
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray):
        return "[" + ", ".join(f"{v:g}" for v in x.ravel()[:6]) + (", ...]" if x.size > 6 else "]")
    return f"{x:g}"


def one_line(text: Any) -> str:
    """User-supplied text made safe for one line of a terminal or a log.

    Parameters
    ----------
    text : Any
        Text from a user (a scenario name, a title, an error message quoting a value).

    Returns
    -------
    str
        ``str(text)`` with line breaks and tabs as spaces and control characters (escape sequences
        among them) removed.
    """
    return _CONTROL.sub("", re.sub(r"[\r\n\t]+", " ", str(text)))


def file_stem(name: str) -> str:
    """A scenario name made safe as a file or folder name.

    Parameters
    ----------
    name : str
        A scenario name (from a file, possibly hostile: ``../../x``, separators, control characters).

    Returns
    -------
    str
        Runs of characters other than letters, digits, ``.``, ``_`` and ``-`` replaced by ``_``,
        leading dots removed; ``scenario`` when nothing is left.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".") or "scenario"


#: Break-even metric -> the result name whose unit its amounts carry.
_BREAKEVEN_RESULT = {"total_cost": "total_cost_usd", "cost_per_watt": "cost_per_watt_usd",
                     "lcoe": "lcoe_usd_per_mwh", "lcoc": "lcoc_usd_per_gpu_hour"}


def breakeven_text(b) -> str:
    """One paragraph describing a :class:`orbitaldc.compare.Breakeven` result.

    Parameters
    ----------
    b : Breakeven
        A solved or unsolved break-even.

    Returns
    -------
    str
        E.g. ``"at launch_cost_usd_per_kg = 250 USD/kg orbit costs $10.00M = terrestrial
        $10.00M (now 500 USD/kg: orbit $12.00M vs $10.00M)"``.
    """
    name = _BREAKEVEN_RESULT.get(b.metric, b.metric)
    fmt = lambda x: metric(name, x)  # noqa: E731
    what = "costs" if b.metric == "total_cost" else f"{b.metric.replace('_', ' ')} is"
    p, u = b.parameter, f" {b.unit}" if b.unit not in ("", "1") else ""
    lo, hi = b.bracket
    if b.status == "orbit_dearer":
        text = (f"no {p} in [{lo:g}, {hi:g}] makes orbit as cheap as the ground: at its most favourable value "
                f"({b.at_value:g}) orbit {what} {fmt(b.orbital_at)} vs {fmt(b.terrestrial_at)} terrestrial")
        if b.reason == "hardware_exceeds_ground":
            text += f"; satellite hardware alone is {fmt(b.hardware_at)}, above the whole terrestrial {b.metric.replace('_', ' ')}"
        return text
    if b.status == "orbit_cheaper":
        return (f"orbit is cheaper for every {p} in [{lo:g}, {hi:g}] (at the least favourable value "
                f"{b.at_value:g}: {fmt(b.orbital_at)} vs {fmt(b.terrestrial_at)})")
    now = "" if b.current_value is None else f"now {b.current_value:g}{u}: "
    text = (f"at {p} = {b.value:.6g}{u} orbit {what} {fmt(b.orbital_at)} = terrestrial {fmt(b.terrestrial_at)} "
            f"({now}orbit {fmt(b.orbital_now)} vs {fmt(b.terrestrial_now)})")
    if b.residual_gap > 1e-4:
        text += (f"; the model steps here (whole satellites or launches), the closest value leaves a "
                 f"{b.residual_gap:.2%} gap")
    if b.crossings > 1:
        text += f"; note: the gap changes sign {b.crossings} times in the range, this is the lowest crossing"
    return text


def explain_summary(attr) -> str:
    """One sentence on an :class:`orbitaldc.explain.Attribution`: the difference and its largest parts.

    Parameters
    ----------
    attr : Attribution
        The result of :func:`orbitaldc.explain.explain`.

    Returns
    -------
    str
        ``"METRIC: A-value (A) → B-value (B), a difference of D; largest: p1 +x, p2 -y, p3 +z
        (exact Shapley values)."``; sampled attributions name the orders and the largest
        standard error.
    """
    top = [(k, v) for k, v in attr.contributions.items() if v != 0][:3]
    parts = ", ".join(f"{k} {'+' if v > 0 else ''}{metric(attr.metric, v)}" for k, v in top)
    how = "exact Shapley values" if attr.method == "exact" else (
        f"Shapley values sampled over {attr.permutations} orders (max standard error "
        f"{metric(attr.metric, attr.max_standard_error)})")
    return (f"{attr.metric}: {metric(attr.metric, attr.value_a)} ({attr.scenario_a}) → "
            f"{metric(attr.metric, attr.value_b)} ({attr.scenario_b}), a difference of "
            f"{metric(attr.metric, attr.difference)}; largest: {parts or 'none'} ({how}).")


def _first(x: Any) -> float:
    """The first element of a result (a point comparison holds size-1 arrays)."""
    return float(np.asarray(x, dtype=float).ravel()[0])


def side_by_side(c, breakdown: bool = True) -> list[list[tuple[str, str, str]]]:
    """The rows of a point comparison's side-by-side table, in groups.

    Parameters
    ----------
    c : Comparison
        A point comparison (:func:`orbitaldc.compare.evaluate` of a single-point scenario).
    breakdown : bool
        Include the cost parts of :data:`orbitaldc.systems.breakdown.COST_PARTS` (each in its
        side's column; parts that are zero are left out).

    Returns
    -------
    list of list of (str, str, str)
        Groups of ``(label, orbital, terrestrial)`` rows: scope (power, years), cost parts (if
        ``breakdown``), totals and levelized costs (net present value, IRR and payback when a
        compute price is set), and physical quantities (mass, satellites, launches, water, CO2).
    """
    from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown

    o, t, v = c.orbital, c.terrestrial, c.values
    power = number(_first(v["target_power_w"]) / 1e6, "MW")
    groups = [[("IT power", power, power), ("Years", value(v["analysis_years"]), value(v["analysis_years"]))]]
    if breakdown:
        rows = []
        for side, result in (("orbital", o), ("terrestrial", t)):
            for part in COST_PARTS[side]:
                amount = _first(getattr(result, part.field))
                if amount:
                    rows.append((part.label, usd(amount), "") if side == "orbital" else (part.label, "", usd(amount)))
        groups.append(rows)
    capex = [math.fsum(_first(x) for x in cost_breakdown(side, r, capex_only=True).values()) for side, r in
             (("orbital", o), ("terrestrial", t))]
    totals = [("Total cost", usd(_first(o.total_cost_usd)), usd(_first(t.total_cost_usd))),
              ("Capex", usd(capex[0]), usd(capex[1]))]
    for label, field in (("Cost per watt", "cost_per_watt_usd"), ("LCOE (IT energy)", "lcoe_usd_per_mwh"),
                         ("LCOC", "lcoc_usd_per_gpu_hour")):
        totals.append((label, metric(field, _first(getattr(o, field))), metric(field, _first(getattr(t, field)))))
    if math.isfinite(_first(o.npv_usd)):
        for label, field in (("NPV at compute price", "npv_usd"), ("IRR", "irr_per_yr"), ("Payback", "payback_years")):
            totals.append((label, metric(field, _first(getattr(o, field))), metric(field, _first(getattr(t, field)))))
    groups.append(totals)
    groups.append([
        ("Mass to orbit", number(_first(o.mass_to_orbit_kg), "kg"), ""),
        ("Specific mass", number(_first(o.specific_mass_kg_per_kw), "kg/kW"), ""),
        ("Satellites / launches", f"{number(_first(o.satellite_count))} / {number(_first(o.launch_count))}", ""),
        ("Deployment", number(_first(o.deployment_years), "yr"), ""),
        ("Water", "0", f"{_first(t.water_l) / 1e9:,.3f} Mt"),
        ("CO2 in operation", "0", f"{_first(t.co2_kg) / 1e9:,.2f} Mt"),
    ])
    return groups


def verdict(c) -> str:
    """One sentence: how many times the terrestrial total orbit costs.

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    str
        ``"Orbit costs 3.22x the terrestrial total (more expensive); LCOC ratio 2.74x."``
    """
    r = _first(c.cost_ratio)
    return (f"Orbit costs {ratio(r, 2)} the terrestrial total ({'more' if r > 1 else 'less'} expensive); "
            f"LCOC ratio {ratio(_first(c.lcoc_ratio), 2)}.")


def simulation_rows(summary: Mapping[str, Any]) -> list[list[tuple[str, str, str]]]:
    """The rows of a simulation's summary table beside the averaged model's, in groups.

    Parameters
    ----------
    summary : mapping
        ``SimulationResult.summary`` of :func:`orbitaldc.simulate.simulate` (``simulated``,
        ``averaged``, ``lcoc`` and ``losses_wh`` entries).

    Returns
    -------
    list of list of (str, str, str)
        Groups of ``(label, averaged model, simulated)``: availability (sun fraction, availability,
        GPU-hours, results delivered); costs (mission GPU-hours, LCOE, LCOC); losses [MWh], data
        delivered [TB] and the hottest die [K].
    """
    s, a, lc, loss = summary["simulated"], summary["averaged"], summary["lcoc"], summary["losses_wh"]

    def scaled(x: float | None, factor: float, unit: str) -> str:
        return number(None if x is None else x / factor, unit)

    return [
        [("Sun fraction", percent(a["sun_fraction"]), percent(s["sunlit_fraction"])),
         ("Availability (of nominal compute)", percent(a["availability"]), percent(s["availability"])),
         ("Delivered GPU-hours (window)", number(a["delivered_gpu_hours"]), number(s["delivered_gpu_hours"])),
         ("Results delivered", "assumed 100 %", percent(s["results_delivered_fraction"]))],
        [("Mission GPU-hours", number(lc["averaged_mission_gpu_hours"]), number(lc["simulated_mission_gpu_hours"])),
         ("LCOE (IT energy)", usd_per(lc["averaged_lcoe_usd_per_mwh"], "MWh", 0),
          usd_per(lc["simulated_lcoe_usd_per_mwh"], "MWh", 0)),
         ("LCOC", usd_per(lc["averaged_usd_per_gpu_hour"], "GPU-h", 3),
          usd_per(lc["simulated_usd_per_gpu_hour"], "GPU-h", 3)),
         ("LCOC terrestrial", usd_per(lc["terrestrial_usd_per_gpu_hour"], "GPU-h", 3), "")],
        [("Loss: energy shortfall", "", scaled(loss["energy_shortfall"], 1e6, "MWh")),
         ("Loss: thermal throttling", "", scaled(loss["thermal_throttle"], 1e6, "MWh")),
         ("Loss: restarts", "", scaled(loss["restarts"], 1e6, "MWh")),
         ("Loss: checkpoints", "", scaled(loss["checkpoints"], 1e6, "MWh")),
         ("Data delivered", "", scaled(s["data_delivered_bytes"], 1e12, "TB")),
         ("Max die temperature", "", number(s["max_die_temperature_k"], "K"))],
    ]
