"""Human-readable money and numbers, shared by analyses (claims) and interfaces (CLI, report, web)."""

from __future__ import annotations

import math


def usd(x: float) -> str:
    """$51.10B, $8.20M, $12.3k, $0.85."""
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if a >= scale:
            return f"${x / scale:,.2f}{suffix}"
    return f"${x:,.2f}"


def number(x: float, unit: str = "", digits: int = 4) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1e6:
        text = f"{x:,.0f}" if a < 1e12 else f"{x:.4g}"
    elif a >= 100 or x == round(x):
        text = f"{x:,.{0 if x == round(x) else 1}f}"
    else:
        text = f"{x:.{digits}g}"
    return f"{text} {unit}".strip()


#: How each break-even metric's amounts are written.
_BREAKEVEN_AMOUNT = {
    "total_cost": usd,
    "cost_per_watt": lambda x: f"${x:,.2f}/W",
    "lcoe": lambda x: f"${x:,.0f}/MWh",
    "lcoc": lambda x: f"${x:,.3f}/GPU-h",
}


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
    fmt = _BREAKEVEN_AMOUNT.get(b.metric, lambda x: f"{x:.6g}")
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
