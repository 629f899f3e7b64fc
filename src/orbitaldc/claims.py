"""Check a publication's quantitative claims against the model.

Each claim is checked twice: under the publication's own inputs (its preset) and under a
reference preset (default ``mccalip-2025-12``), and each check says ``holds``, ``holds in
part`` (over part of the stated launch-price range, with the price where it turns) or ``does
not hold``, with the numbers behind the verdict. The claims are data quoted from the
publication (:data:`SEED_ARTICLE`); every model number comes from :mod:`orbitaldc.compare`.

    >>> from orbitaldc.claims import check_claims
    >>> [c.article.status for c in check_claims("seed-article-1gw")][:2]
    ['holds', 'holds in part']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np

from orbitaldc.formatting import breakeven_text, usd
from orbitaldc.compare import breakeven, evaluate_values
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, as_point

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
}


@dataclass
class Verdict:
    """Whether a claim holds under one scenario, and why."""

    status: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


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


def _orbital_capex(c) -> np.ndarray:
    o = c.orbital
    return np.asarray(o.hardware_cost_usd + o.launch_cost_usd + o.shielding_cost_usd + o.nre_cost_usd, float)


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
    """The orbital total exceeds the stated amount over the stated launch prices."""
    prices = _price_grid(data)
    c = _at_prices(sc, prices)
    total = np.asarray(c.orbital.total_cost_usd, float)
    o = c.orbital
    parts = (f"total {usd(total[0])}-{usd(total[-1])} (hardware {usd(float(o.hardware_cost_usd[0]))}, launch "
             f"{usd(float(o.launch_cost_usd[0]))}-{usd(float(o.launch_cost_usd[-1]))}, operations, replacement "
             f"and NRE {usd(float(o.ops_cost_usd[0] + o.replacement_cost_usd[0] + o.nre_cost_usd[0]))})")
    return _over_range(total > data["orbital_total_above_usd"], prices,
                       f"orbit costs more than {usd(data['orbital_total_above_usd'])}", parts)


def check_ground(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """The terrestrial capex lies in the stated range (within rounding)."""
    c = evaluate_values(sc.values)
    capex = float(np.asarray(c.terrestrial.capex_usd).ravel()[0])
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
    ratio = _orbital_capex(c) / np.asarray(c.terrestrial.capex_usd, float)
    own = evaluate_values(sc.values)
    total_ratio = float(np.asarray(own.cost_ratio).ravel()[0])
    nums = (f"capex ratio {ratio[0]:.2f}x-{ratio[-1]:.2f}x; total-cost ratio at the scenario's own "
            f"${float(sc.values['launch_cost_usd_per_kg']):,.0f}/kg {total_ratio:.2f}x")
    return _over_range(ratio > data["ratio_above"], prices,
                       f"orbit's capex is more than {data['ratio_above']:g}x the ground's", nums)


def check_threshold(sc: Scenario, data: Mapping[str, Any]) -> Verdict:
    """Launch below the stated $/kg is what it takes: the full-model break-even is at or below it."""
    threshold = data["launch_threshold_usd_per_kg"]
    point = sc.with_overrides({"launch_pricing": "per_kg"}, where="claims")
    be = breakeven(point, "launch_cost_usd_per_kg")
    at = point.with_overrides({"launch_cost_usd_per_kg": threshold}, where="claims")
    hw = breakeven(at, "satellite_cost_usd_per_w")
    need = (f"; at ${threshold:,.0f}/kg orbit would break even with satellite hardware at "
            f"${hw.value:,.2f}/W (now ${float(sc.values['satellite_cost_usd_per_w']):,.2f}/W)"
            if hw.value is not None else f"; at ${threshold:,.0f}/kg no satellite price closes the gap either")
    if be.value is None:
        if be.status == "orbit_cheaper":
            return Verdict(FAILS, f"orbit is already cheaper at any launch price: {breakeven_text(be)}")
        return Verdict(FAILS, f"no launch price, not even $0/kg, makes orbit as cheap as the ground: "
                              f"{breakeven_text(be)}{need}")
    if be.value <= threshold:
        return Verdict(HOLDS, f"the full-model break-even is ${be.value:,.0f}/kg, below ${threshold:,.0f}/kg{need}")
    return Verdict(FAILS, f"the full-model break-even is ${be.value:,.0f}/kg: orbit already competes above "
                          f"${threshold:,.0f}/kg{need}")


#: (key, claim as stated, check) for the seed article, in the article's order.
SEED_ARTICLE_CLAIMS: tuple[tuple[str, str, Callable[[Scenario, Mapping[str, Any]], Verdict]], ...] = (
    ("launch_cost", "Launching 1 GW costs $30-75B at today's $1,500-3,600/kg", check_launch),
    ("orbital_total", "1 GW in orbit costs more than $100B in total", check_total),
    ("ground_capex", "1 GW on the ground costs $35-50B", check_ground),
    ("more_than_twice", "Orbit is more than twice as expensive as the ground (capex only)", check_ratio),
    ("launch_threshold", "Orbital data centers need launch below $300/kg", check_threshold),
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
        The preset the claims are also checked against, scaled to the claim's power.

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
    sc, ref = sc.with_overrides(power, where="claims"), ref.with_overrides(power, where="claims")
    return [ClaimCheck(k, text, fn(sc, data), fn(ref, data)) for k, text, fn in claims]
