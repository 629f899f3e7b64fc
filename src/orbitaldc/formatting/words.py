"""Sentences written at the edge: break-even, attribution, headline, scope, launch learning, claims.

The analyses return structured results (:class:`orbitaldc.compare.Breakeven`,
:class:`orbitaldc.explain.Attribution`, :class:`orbitaldc.claims.Verdict`, ...); the words are
written here, once, for every interface. Nothing here computes a model quantity.
"""

from __future__ import annotations

from typing import Any, Mapping

from orbitaldc.compare import BREAKEVEN_METRICS, HEADLINE_METRIC
from orbitaldc.formatting.numbers import first, metric, percent, ratio

__all__ = ["breakeven_text", "explain_summary", "learning_text", "like_for_like_text", "scope_note", "scope_text",
           "verdict"]

#: How each scope choice reads (``cost_scope``, ``cost_basis``, ``dollar_escalation`` values).
_SCOPE_WORDS = {
    "all_in": ("all-in", "IT equipment counted"),
    "facility": ("facility", "IT equipment not counted"),
    "lifecycle": ("life cycle", "renewals and residual value over the window"),
    "capex": ("capital", "capital charged to the window, no renewals or residual value"),
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
    name = BREAKEVEN_METRICS.get(b.metric, b.metric)
    fmt = lambda x: metric(name, x)  # noqa: E731
    what = "costs" if b.metric == "total_cost" else f"{b.metric.replace('_', ' ')} is"
    p, u = b.parameter, f" {b.unit}" if b.unit not in ("", "1") else ""
    lo, hi = b.bracket
    if b.status == "orbit_dearer":
        text = (f"no {p} in [{lo:g}, {hi:g}] makes orbit as cheap as the ground: at its most favourable value "
                f"({b.at_value:g}) orbit {what} {fmt(b.orbital_at)} vs {fmt(b.terrestrial_at)} terrestrial")
        if b.reason == "hardware_exceeds_ground":
            text += (f"; satellite hardware alone is {fmt(b.hardware_at)}, above the whole terrestrial "
                     f"{b.metric.replace('_', ' ')}")
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


def _dearer(r: float) -> str:
    if r > 1:
        return "more expensive"
    return "cheaper" if r < 1 else "at parity"


def verdict(c) -> str:
    """The headline of a point comparison: cost per delivered GPU-hour, with the undiscounted totals beside it.

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    str
        ``"Headline (orbital_to_terrestrial_lcoc_ratio): per delivered GPU-hour, discounted, orbit
        costs 3.14x the ground (more expensive); undiscounted total cost ratio 2.73x."``
    """
    r = first(c.headline_ratio)
    return (f"Headline ({HEADLINE_METRIC}): per delivered GPU-hour, discounted, orbit costs {ratio(r, 2)} the "
            f"ground ({_dearer(r)}); undiscounted total cost ratio {ratio(first(c.cost_ratio), 2)}.")


def scope_text(scope: Mapping[str, Any], short: bool = False) -> str:
    """What a comparison counts: IT equipment in or out, its clock, its dollars.

    Parameters
    ----------
    scope : mapping
        ``cost_scope``, ``cost_basis``, ``dollar_escalation`` and ``real_dollar_year``
        (:attr:`orbitaldc.compare.Comparison.scope`).
    short : bool
        Three words for a table cell instead of the explanation.

    Returns
    -------
    str
        ``"all-in, life cycle, 2025 $"`` (short) or ``"all-in (IT equipment counted), life cycle
        (renewals and residual value over the window), 2025 dollars (CPI-U)"``.
    """
    what = _SCOPE_WORDS.get(scope["cost_scope"], (scope["cost_scope"], ""))
    clock = _SCOPE_WORDS.get(scope["cost_basis"], (scope["cost_basis"], ""))
    year = scope.get("real_dollar_year")
    if short:
        return f"{what[0]}, {clock[0]}, " + (f"{year} $" if year is not None else "$ as typed")
    dollars = f"{year} dollars (CPI-U)" if year is not None else "dollars as typed (each figure's own year)"
    return f"{what[0]} ({what[1]}), {clock[0]} ({clock[1]}), {dollars}"


def _mismatch_items(mismatch: Mapping[str, tuple[Any, Any]]) -> str:
    return "; ".join(f"{k} {a!r} vs {b!r}" for k, (a, b) in mismatch.items())


def scope_note(scope: Mapping[str, Any], mismatch: Mapping[str, tuple[Any, Any]] | None = None) -> str | None:
    """A note under a comparison that is not like for like (None when it is all-in on a life cycle).

    Parameters
    ----------
    scope : mapping
        The comparison's scope (:attr:`orbitaldc.compare.Comparison.scope`).
    mismatch : mapping, optional
        How its two sides differ in scope (:func:`orbitaldc.compare.scope_mismatch`); non-empty
        is reported first.

    Returns
    -------
    str or None
    """
    if mismatch:
        return (f"NOTE: the two sides differ in scope ({_mismatch_items(mismatch)}): the ratios do not compare "
                f"like with like.")
    if scope["cost_scope"] == "all_in" and scope["cost_basis"] == "lifecycle":
        return None
    left = []
    if scope["cost_scope"] != "all_in":
        left.append("IT equipment")
    if scope["cost_basis"] != "lifecycle":
        left.append("renewals and residual value")
    return (f"Scope as published ({scope_text(scope, short=True)}): {', '.join(left)} not counted on either side; "
            f"set cost_scope = 'all_in' and cost_basis = 'lifecycle' to compare like with like.")


def like_for_like_text(attr) -> str:
    """Whether an attribution's two scenarios compare like with like, and what was done about it.

    Parameters
    ----------
    attr : Attribution
        The result of :func:`orbitaldc.explain.explain` (``scope_mismatch``, ``normalized``).

    Returns
    -------
    str
        ``"like for like: A and B share one scope"``, or the differences and either the
        normalization the library applied or how to ask for it.
    """
    a, b = attr.scenario_a, attr.scenario_b
    if not attr.scope_mismatch:
        head = f"like for like: {a} and {b} share one scope"
        return head + ("; B brought to A's power and years (normalize)" if attr.normalized else "")
    items = _mismatch_items(attr.scope_mismatch)
    if attr.normalized:
        return (f"like for like after normalizing: {a} and {b} differ in scope as given ({items}); the library "
                f"(orbitaldc.explain, normalize=True) brought {b} to {a}'s scope, power and years before attributing")
    return (f"NOT like for like: {a} and {b} differ in scope ({items}); part of the difference is what is counted, "
            f"not what it costs (normalize brings {b} to {a}'s scope, power and years)")


def learning_text(learning: Mapping[str, Any]) -> str:
    """The launch learning a trajectory used: fitted Wright's law with its uncertainty, or the assumed rate.

    Parameters
    ----------
    learning : mapping
        :attr:`orbitaldc.trajectory.Trajectory.learning` (``source``, ``learning_rate``; for a fit
        also ``b``, ``b_standard_error``, ``points``, ``learning_rate_low``, ``learning_rate_high``).

    Returns
    -------
    str
        ``"Launch learning: Wright's law fitted to 6 cited prices: exponent b = 0.32 ± 0.07, 20.0 %
        cheaper per doubling of launches (one standard error: 15.0-24.0 %)"``.
    """
    if learning.get("source") != "fitted":
        return (f"Launch learning: assumed {percent(learning['learning_rate'], 1)} cheaper per doubling of "
                f"cumulative launched mass (trajectory_learning_rate)")
    return (f"Launch learning: Wright's law fitted to {learning['points']} cited prices: exponent b = "
            f"{learning['b']:.3f} ± {learning['b_standard_error']:.3f} (standard error), "
            f"{percent(learning['learning_rate'], 1)} cheaper per doubling of launches (one standard error: "
            f"{percent(learning['learning_rate_low'], 1)}-{percent(learning['learning_rate_high'], 1)}); "
            f"the band samples b from its standard error")

