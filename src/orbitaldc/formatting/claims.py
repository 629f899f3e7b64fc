"""The words of a claim check (:mod:`orbitaldc.claims` returns verdicts as data: status, reason code, numbers).

One sentence per verdict, built from its reason code and its numbers, and the labels an
interface shows beside it (``calibrated``, ``necessary``, ``sufficient``).
"""

from __future__ import annotations

from typing import Any, Mapping

from orbitaldc.formatting.numbers import usd, usd_per
from orbitaldc.formatting.words import breakeven_text

__all__ = ["CALIBRATED_NOTE", "claim_dict", "claim_labels", "claim_reason"]

#: Written before the reason of a calibrated verdict.
CALIBRATED_NOTE = "calibrated (the preset was built from this figure, so this only checks the arithmetic)"


def _kg(x: float) -> str:
    return usd_per(x, "kg", 0)


def _range(pair) -> str:
    return f"{usd(pair[0])}-{usd(pair[1])}"


def _over_range(what: str, v, numbers: str) -> str:
    n = v.numbers
    lo, hi = n["launch_price_usd_per_kg"]
    span = f"from ${lo:,.0f} to {_kg(hi)}"
    if v.code == "every_price":
        return f"{what} at every launch price {span}: {numbers}"
    if v.code == "no_price":
        return f"{what} at no launch price {span}: {numbers}"
    side = "above" if v.code == "above_price" else "below"
    return f"{what} only {side} about {_kg(n['turn_usd_per_kg'])} (of ${lo:,.0f}-{hi:,.0f}/kg): {numbers}"


def _launch_cost(v) -> str:
    n = v.numbers
    mass = n["mass_to_orbit_kg"]
    nums = (f"the model gives {_range(n['launch_cost_usd'])} for {mass / 1e6:,.2f} Mkg to orbit "
            f"({n['it_w_per_kg']:,.1f} W/kg of IT power); the claim implies "
            f"{n['implied_mass_kg'][0] / 1e6:,.2f}-{n['implied_mass_kg'][1] / 1e6:,.2f} Mkg")
    claimed = _range(n["claimed_launch_cost_usd"])
    if v.code == "within_rounding":
        return f"launch cost matches {claimed} within the article's rounding: {nums}"
    if v.code == "one_end":
        return f"one end of {claimed} matches: {nums}"
    return f"launch cost is {v.code} {claimed}: {nums}"


def _orbital_total(v) -> str:
    n = v.numbers
    nums = (f"CAPEX {_range(n['capex_usd'])} (satellites {usd(n['hardware_cost_usd'])}, IT "
            f"{usd(n['it_equipment_cost_usd'])}, launch {_range(n['launch_cost_usd'])}); total cost with operations "
            f"and replacements {_range(n['total_cost_usd'])}")
    return _over_range(f"orbit's CAPEX is more than {usd(n['threshold_usd'])}", v, nums)


def _ground_capex(v) -> str:
    n = v.numbers
    nums = (f"the model's ground capex is {usd(n['capex_usd'])} ({usd_per(n['capex_usd_per_w'], 'W', 2)}), "
            f"total with energy {usd(n['total_cost_usd'])}")
    where = "within" if v.code == "within_range" else v.code
    return f"{where} {_range(n['claimed_capex_usd'])}: {nums}"


def _more_than_twice(v) -> str:
    n = v.numbers
    lo, hi = n["capex_ratio"]
    nums = (f"capex ratio {lo:.2f}x-{hi:.2f}x; total-cost ratio at the scenario's own "
            f"{_kg(n['scenario_launch_usd_per_kg'])} {n['total_cost_ratio']:.2f}x")
    return _over_range(f"orbit's capex is more than {n['ratio_above']:g}x the ground's", v, nums)


def _launch_threshold(v) -> str:
    n = v.numbers
    threshold = _kg(n["threshold_usd_per_kg"])
    hw = n["satellite_breakeven_usd_per_w"]
    need = (f"; at {threshold} orbit would break even with satellite hardware at {usd_per(hw, 'W', 2)} "
            f"(now {usd_per(n['satellite_cost_usd_per_w'], 'W', 2)})" if hw is not None
            else f"; at {threshold} no satellite price closes the gap either")
    on = f" (on {n['metric'].upper()}, cost per delivered GPU-hour)"
    be = n["breakeven"]
    if v.code == "cheaper_everywhere":
        return f"not necessary: orbit is cheaper at any launch price{on}: {breakeven_text(be)}"
    if v.code == "no_breakeven":
        return (f"necessary but not sufficient: no launch price, not even $0/kg, makes orbit as cheap as the "
                f"ground{on}: {breakeven_text(be)}{need}")
    at = _kg(n["breakeven_usd_per_kg"])
    if v.code == "breakeven_at_or_below":
        return (f"necessary{'' if v.sufficient else ' but not sufficient'}: the full-model break-even is {at}, at "
                f"or below {threshold}{on}{need}")
    return (f"not necessary: the full-model break-even is {at}, so orbit already competes above "
            f"{threshold}{on}{need}")


#: Claim key -> writer of its reason (the seed article's claims, :data:`orbitaldc.claims.SEED_ARTICLE_CLAIMS`).
_WRITERS = {"launch_cost": _launch_cost, "orbital_total": _orbital_total, "ground_capex": _ground_capex,
            "more_than_twice": _more_than_twice, "launch_threshold": _launch_threshold}


def claim_reason(key: str, verdict) -> str:
    """The reason behind a claim's verdict, in words, with its numbers.

    Parameters
    ----------
    key : str
        The claim (:attr:`orbitaldc.claims.ClaimCheck.key`).
    verdict : Verdict
        One of the claim's verdicts (status, reason code, numbers, labels).

    Returns
    -------
    str
        E.g. ``"orbit's CAPEX is more than $100.00B only above about $2,449/kg (of $1,500-3,600/kg):
        CAPEX ..."``; a calibrated verdict starts with :data:`CALIBRATED_NOTE`.
    """
    text = _WRITERS[key](verdict)
    return f"{CALIBRATED_NOTE}: {text}" if verdict.calibrated else text


def claim_labels(verdict) -> list[str]:
    """The labels shown beside a verdict: ``calibrated``, ``[not] necessary``, ``[not] sufficient``.

    Parameters
    ----------
    verdict : Verdict

    Returns
    -------
    list of str
        In that order; a label is left out when it does not apply (None).
    """
    out = ["calibrated"] if verdict.calibrated else []
    for name in ("necessary", "sufficient"):
        flag = getattr(verdict, name)
        if flag is not None:
            out.append(name if flag else f"not {name}")
    return out


def claim_dict(check) -> Mapping[str, Any]:
    """A :class:`orbitaldc.claims.ClaimCheck` as a dict with each verdict's ``reason`` and ``labels`` added.

    Parameters
    ----------
    check : ClaimCheck

    Returns
    -------
    dict
    """
    out = check.to_dict()
    for side in ("article", "reference"):
        v = getattr(check, side)
        out[side].update(reason=claim_reason(check.key, v), labels=claim_labels(v))
    return out

