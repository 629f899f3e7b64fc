"""Check a publication's quantitative claims against the model.

Each claim is checked twice: under the publication's own inputs (its preset) and under a
reference preset (default ``mccalip-2025-12``) brought to the publication's scope
(:func:`orbitaldc.compare.normalize_scope`: the seed article counts IT equipment and capital
only), and each check says ``holds``, ``holds in part`` (over part of the stated launch-price
range, with the price where it turns) or ``does not hold``, with the numbers behind the
verdict. Fairly:

* a CAPEX claim is checked on CAPEX (capital bought up front,
  :func:`orbitaldc.systems.breakdown.capex_total`), not on total cost;
* a verdict under the publication's own inputs on a figure its preset was built from is
  labelled ``calibrated`` (it can only confirm the arithmetic);
* a threshold ("needs launch below $X/kg") is read as a *necessary* condition and the verdict
  says whether it is also *sufficient*, on the headline metric (cost per delivered GPU-hour).

The claims are data quoted from the publication (:data:`SEED_ARTICLE`); every model number
comes from :mod:`orbitaldc.compare`.

    >>> from orbitaldc.claims import check_claims
    >>> [c.article.status for c in check_claims("seed-article-1gw")][:2]
    ['holds', 'holds in part']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from orbitaldc.compare import DEFAULT_BREAKEVEN_METRIC, breakeven, evaluate_values, normalize_scope
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import breakeven_text, usd
from orbitaldc.params import Scenario, as_point
from orbitaldc.systems.breakdown import capex_total

HOLDS, PARTLY, FAILS = "holds", "holds in part", "does not hold"

#: The seed article's figures (03/10/2026, quoting BNP Paribas; see shared REFERENCES.md sec. 1).
#: ``rounding`` is the relative slack for figures the article rounds to the nearest $5B.
SEED_ARTICLE: Mapping[str, Any] = {
    "source": "Seed article (03/10/2026) quoting BNP Paribas",
    "target_power_w": 1.0e9,
    "launch_price_usd_per_kg": (1500.0, 3600.0),
    "launch_cost_usd": (30.0e9, 75.0e9),
    "orbital_total_above_usd": 100.0e9,
    "ground_capex_usd": (35.0e9, 50.0e9),
    "ratio_above": 2.0,
    "launch_threshold_usd_per_kg": 300.0,
    "rounding": 0.05,
    "grid_points": 2101,  # $1/kg steps over $1,500-3,600/kg
    # claims the article's preset was built from (seed-article-1gw: mass from the launch figures,
    # ground lump at the claimed range's midpoint): under its own inputs they are calibrated
    "calibrated": ("launch_cost", "ground_capex"),
}


@dataclass
class Verdict:
    """Whether a claim holds under one scenario, and why.

    ``calibrated``: the scenario was built from this very figure (a "holds" only confirms the
    arithmetic). ``necessary`` / ``sufficient``: for a threshold claim, whether the stated
    condition is necessary for orbit to compete, and whether it is enough (None otherwise).
    """

    status: str
    reason: str
    calibrated: bool = False
    necessary: bool | None = None
    sufficient: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason, "calibrated": self.calibrated,
                "necessary": self.necessary, "sufficient": self.sufficient}


@dataclass
class ClaimCheck:
    """One claim checked under the article's inputs and under the reference preset."""

    key: str
    claim: str
    article: Verdict
    reference: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "claim": self.claim, "article": self.article.to_dict(),
                "reference": self.reference.to_dict()}


def _price_grid(data: Mapping[str, Any]) -> np.ndarray:
    lo, hi = data["launch_price_usd_per_kg"]
    return np.linspace(lo, hi, int(data["grid_points"]))


def _at_prices(sc: Scenario, prices: np.ndarray):
    """The scenario (at the claim's power, priced per kg) evaluated at each launch price."""
    values = dict(sc.values)
    values["launch_pricing"] = "per_kg"
    values["launch_cost_usd_per_kg"] = prices
    return evaluate_values(values)


def _capex(c, side: str) -> np.ndarray:
    """Capital bought up front on one side (what a CAPEX figure counts)."""
    return np.asarray(capex_total(side, getattr(c, side)), float)


def _over_range(ok: np.ndarray, prices: np.ndarray, what: str, numbers: str) -> Verdict:
    """Verdict for a condition evaluated over the launch-price grid."""
    lo, hi = prices[0], prices[-1]
    if ok.all():
        return Verdict(HOLDS, f"{what} at every launch price from ${lo:,.0f} to ${hi:,.0f}/kg: {numbers}")
    if not ok.any():
        return Verdict(FAILS, f"{what} at no launch price from ${lo:,.0f} to ${hi:,.0f}/kg: {numbers}")
    turn = prices[np.argmax(ok != ok[0])]
    side = "above" if ok[-1] else "below"
    return Verdict(PARTLY, f"{what} only {side} about ${turn:,.0f}/kg (of ${lo:,.0f}-{hi:,.0f}/kg): {numbers}")


def check_launch(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """Launch alone costs the stated range at the stated launch prices (within rounding)."""
    lo_p, hi_p = data["launch_price_usd_per_kg"]
    c = _at_prices(sc, np.array([lo_p, hi_p]))
    cost = np.asarray(c.orbital.launch_cost_usd, float)
    mass = float(np.asarray(c.orbital.mass_to_orbit_kg).ravel()[0])
    want = np.asarray(data["launch_cost_usd"])
    rel = np.abs(cost / want - 1.0)
    nums = (f"the model gives {usd(cost[0])}-{usd(cost[1])} for {mass / 1e6:,.2f} Mkg to orbit "
            f"({data['target_power_w'] / mass:,.1f} W/kg of IT power); the claim implies "
            f"{want[0] / lo_p / 1e6:,.2f}-{want[1] / hi_p / 1e6:,.2f} Mkg")
    if np.all(rel <= data["rounding"]):
        return Verdict(HOLDS, f"launch cost matches {usd(want[0])}-{usd(want[1])} within the article's rounding: {nums}")
    if np.any(rel <= data["rounding"]):
        return Verdict(PARTLY, f"one end of {usd(want[0])}-{usd(want[1])} matches: {nums}")
    return Verdict(FAILS, f"launch cost is {'above' if cost[0] > want[0] else 'below'} "
                          f"{usd(want[0])}-{usd(want[1])}: {nums}")


def check_total(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """Orbit's CAPEX (capital bought up front) exceeds the stated amount over the stated launch prices."""
    prices = _price_grid(data)
    c = _at_prices(sc, prices)
    capex = _capex(c, "orbital")
    o = c.orbital
    parts = (f"CAPEX {usd(capex[0])}-{usd(capex[-1])} (satellites {usd(float(o.hardware_cost_usd[0]))}, IT "
             f"{usd(float(o.it_equipment_cost_usd[0]))}, launch {usd(float(o.launch_cost_usd[0]))}-"
             f"{usd(float(o.launch_cost_usd[-1]))}); total cost with operations and replacements "
             f"{usd(float(o.total_cost_usd[0]))}-{usd(float(o.total_cost_usd[-1]))}")
    return _over_range(capex > data["orbital_total_above_usd"], prices,
                       f"orbit's CAPEX is more than {usd(data['orbital_total_above_usd'])}", parts)


def check_ground(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """The terrestrial capex lies in the stated range (within rounding)."""
    c = evaluate_values(sc.values)
    capex = float(_capex(c, "terrestrial").ravel()[0])
    total = float(np.asarray(c.terrestrial.total_cost_usd).ravel()[0])
    lo, hi = data["ground_capex_usd"]
    slack = data["rounding"]
    nums = f"the model's ground capex is {usd(capex)} (${capex / data['target_power_w']:,.2f}/W), total with energy {usd(total)}"
    if lo * (1 - slack) <= capex <= hi * (1 + slack):
        return Verdict(HOLDS, f"within {usd(lo)}-{usd(hi)}: {nums}")
    return Verdict(FAILS, f"{'below' if capex < lo else 'above'} {usd(lo)}-{usd(hi)}: {nums}")


def check_ratio(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """Orbit's capex exceeds the stated multiple of the ground's capex (capex only)."""
    prices = _price_grid(data)
    c = _at_prices(sc, prices)
    ratio = _capex(c, "orbital") / _capex(c, "terrestrial")
    own = evaluate_values(sc.values)
    total_ratio = float(np.asarray(own.cost_ratio).ravel()[0])
    nums = (f"capex ratio {ratio[0]:.2f}x-{ratio[-1]:.2f}x; total-cost ratio at the scenario's own "
            f"${float(sc.values['launch_cost_usd_per_kg']):,.0f}/kg {total_ratio:.2f}x")
    return _over_range(ratio > data["ratio_above"], prices,
                       f"orbit's capex is more than {data['ratio_above']:g}x the ground's", nums)


def check_threshold(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """Launch below the stated $/kg is *necessary* for orbit to compete (and is it sufficient?).

    On the headline metric (:data:`orbitaldc.compare.DEFAULT_BREAKEVEN_METRIC`): the condition
    is necessary when no launch price at or above the threshold makes orbit competitive (the
    full-model break-even is at or below it, or there is none at all); it is sufficient when
    orbit competes at the threshold itself.
    """
    threshold = data["launch_threshold_usd_per_kg"]
    point = sc.with_overrides({"launch_pricing": "per_kg"}, where="claims")
    be = breakeven(point, "launch_cost_usd_per_kg", metric=DEFAULT_BREAKEVEN_METRIC)
    at = point.with_overrides({"launch_cost_usd_per_kg": threshold}, where="claims")
    hw = breakeven(at, "satellite_cost_usd_per_w", metric=DEFAULT_BREAKEVEN_METRIC)
    need = (f"; at ${threshold:,.0f}/kg orbit would break even with satellite hardware at "
            f"${hw.value:,.2f}/W (now ${float(sc.values['satellite_cost_usd_per_w']):,.2f}/W)"
            if hw.value is not None else f"; at ${threshold:,.0f}/kg no satellite price closes the gap either")
    on = f" (on {DEFAULT_BREAKEVEN_METRIC.upper()}, cost per delivered GPU-hour)"
    if be.status == "orbit_cheaper":
        return Verdict(FAILS, f"not necessary: orbit is cheaper at any launch price{on}: {breakeven_text(be)}",
                       necessary=False, sufficient=True)
    if be.value is None:
        return Verdict(HOLDS, f"necessary but not sufficient: no launch price, not even $0/kg, makes orbit as cheap "
                              f"as the ground{on}: {breakeven_text(be)}{need}", necessary=True, sufficient=False)
    if be.value <= threshold:
        sufficient = be.value >= threshold
        return Verdict(HOLDS, f"necessary{'' if sufficient else ' but not sufficient'}: the full-model break-even is "
                              f"${be.value:,.0f}/kg, at or below ${threshold:,.0f}/kg{on}{need}",
                       necessary=True, sufficient=sufficient)
    return Verdict(FAILS, f"not necessary: the full-model break-even is ${be.value:,.0f}/kg, so orbit already "
                          f"competes above ${threshold:,.0f}/kg{on}{need}", necessary=False, sufficient=True)


#: (key, claim as stated, check) for the seed article, in the article's order.
SEED_ARTICLE_CLAIMS: tuple[tuple[str, str, Callable[[Scenario, Mapping[str, Any]], Verdict]], ...] = (
    ("launch_cost", "Launching 1 GW costs $30-75B at today's $1,500-3,600/kg", check_launch),
    ("orbital_total", "1 GW in orbit costs more than $100B (CAPEX)", check_total),
    ("ground_capex", "1 GW on the ground costs $35-50B", check_ground),
    ("more_than_twice", "Orbit is more than twice as expensive as the ground (capex only)", check_ratio),
    ("launch_threshold", "Orbital data centers need launch below $300/kg (a necessary condition)", check_threshold),
)

#: Publications with recorded claims: preset -> (figures, claims).
CLAIMS = {"seed-article-1gw": (SEED_ARTICLE, SEED_ARTICLE_CLAIMS)}


def check_claims(scenario: Scenario | str = "seed-article-1gw",
                 reference: Scenario | str = "mccalip-2025-12") -> list[ClaimCheck]:
    """Check a publication's claims under its own inputs and under a reference preset.

    Parameters
    ----------
    scenario : Scenario or str
        The publication's preset (or a scenario extending it); must have recorded claims.
    reference : Scenario or str
        The preset the claims are also checked against, at the claim's power and in the
        publication's scope (:func:`orbitaldc.compare.normalize_scope`).

    Returns
    -------
    list of ClaimCheck
    """
    sc = as_point(scenario, what="check")
    key = sc.name if sc.name in CLAIMS else sc.extends
    if key not in CLAIMS:
        raise OrbitaldcError(f"check: no claims recorded for {sc.name!r}; claims exist for: {', '.join(CLAIMS)}")
    data, claims = CLAIMS[key]
    ref = as_point(reference, what="check")
    power = {"target_power_w": data["target_power_w"]}
    sc = sc.with_overrides(power, where="claims")
    ref = normalize_scope(sc, ref.with_overrides(power, where="claims"), where="claims")
    out = []
    for k, text, fn in claims:
        own = fn(sc, data)
        if k in data.get("calibrated", ()):
            own = Verdict(own.status, f"calibrated (the preset was built from this figure, so this only checks the "
                                      f"arithmetic): {own.reason}", True, own.necessary, own.sufficient)
        out.append(ClaimCheck(k, text, own, fn(ref, data)))
    return out
