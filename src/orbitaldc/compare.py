"""Compare orbital and terrestrial: ``evaluate`` a scenario, solve ``breakeven`` on the full model.

``evaluate`` is the single entry point every analysis (Monte Carlo, sweeps, explain, the web
page) calls; it is vectorized, so a million scenarios are one call::

    >>> from orbitaldc.compare import evaluate
    >>> c = evaluate("mccalip-2025-12")
    >>> round(float(c.orbital.total_cost_usd) / 1e9, 2)
    51.1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import Scenario, load_library, load_scenario
from orbitaldc.systems.orbital import OrbitalResult, run_orbital
from orbitaldc.systems.terrestrial import TerrestrialResult, run_terrestrial


@dataclass
class Comparison:
    """Both sides of one scenario (or one array of scenarios) and their ratios."""

    scenario: Scenario | None
    values: Mapping[str, Any]
    orbital: OrbitalResult
    terrestrial: TerrestrialResult

    @property
    def cost_ratio(self) -> np.ndarray:
        """Orbital total cost / terrestrial total cost (undiscounted, as published analyses)."""
        return self.orbital.total_cost_usd / self.terrestrial.total_cost_usd

    @property
    def lcoc_ratio(self) -> np.ndarray:
        """Orbital / terrestrial levelized cost of compute ($/GPU-hour, discounted)."""
        return self.orbital.lcoc_usd_per_gpu_hour / self.terrestrial.lcoc_usd_per_gpu_hour

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (NumPy arrays kept) with the documented JSON contract keys."""
        return {
            "scenario": self.scenario.name if self.scenario else None,
            "orbital": self.orbital.to_dict(),
            "terrestrial": self.terrestrial.to_dict(),
            "orbital_to_terrestrial_cost_ratio": self.cost_ratio,
            "orbital_to_terrestrial_lcoc_ratio": self.lcoc_ratio,
        }

    def metric(self, name: str) -> np.ndarray:
        """A result by dotted name, e.g. ``orbital.total_cost_usd`` or ``cost_ratio``."""
        return get_metric(self, name)


METRIC_ALIASES = {
    "cost_ratio": "orbital_to_terrestrial_cost_ratio",
    "lcoc_ratio": "orbital_to_terrestrial_lcoc_ratio",
}


def metric_names() -> list[str]:
    """Every scalar result a caller may ask for by dotted name."""
    names = [f"orbital.{n}" for n in OrbitalResult.SUMMARY] + [f"terrestrial.{n}" for n in TerrestrialResult.SUMMARY]
    return names + ["orbital_to_terrestrial_cost_ratio", "orbital_to_terrestrial_lcoc_ratio"]


def get_metric(comparison: Comparison, name: str) -> np.ndarray:
    """Look up a metric by dotted name; raises :class:`OrbitaldcError` listing allowed names."""
    name = METRIC_ALIASES.get(name, name)
    if name == "orbital_to_terrestrial_cost_ratio":
        return comparison.cost_ratio
    if name == "orbital_to_terrestrial_lcoc_ratio":
        return comparison.lcoc_ratio
    side, _, field = name.partition(".")
    result = {"orbital": comparison.orbital, "terrestrial": comparison.terrestrial}.get(side)
    if result is None or field not in type(result).SUMMARY:
        raise OrbitaldcError(f"metric {name!r}: unknown; allowed e.g. orbital.total_cost_usd, "
                             f"terrestrial.lcoe_usd_per_mwh, cost_ratio (see `orbitaldc metrics`)")
    return getattr(result, field)


def evaluate_values(values: Mapping[str, Any], scenario: Scenario | None = None) -> Comparison:
    """Evaluate a complete, validated parameter mapping (scalars or broadcastable arrays).

    Every summary result of both sides has the common shape of all array parameters (the
    chains broadcast to it), so a result depending on fewer parameters still lines up element
    by element.
    """
    return Comparison(scenario, values, run_orbital(values), run_terrestrial(values))


def evaluate(scenario: Scenario | str, overrides: Mapping[str, Any] | None = None) -> Comparison:
    """Evaluate a scenario (object, preset name or TOML path), with optional overrides.

    Parameters
    ----------
    scenario : Scenario or str
        The scenario, a preset name or a path to a scenario file.
    overrides : mapping, optional
        Parameter -> value (scalar or array), validated like scenario files.

    Returns
    -------
    Comparison
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    return evaluate_values(scenario.values, scenario)


@dataclass
class Breakeven:
    """Result of :func:`breakeven`: ``value`` is None where no value in range closes the gap."""

    parameter: str
    value: Any
    reason: str
    orbital_total_cost_usd: Any = None
    terrestrial_total_cost_usd: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "value": self.value, "reason": self.reason,
                "orbital_total_cost_usd": self.orbital_total_cost_usd,
                "terrestrial_total_cost_usd": self.terrestrial_total_cost_usd}


def _fmt_usd(x: float) -> str:
    return f"${x / 1e9:,.2f}B" if abs(x) >= 1e9 else f"${x / 1e6:,.2f}M"


def breakeven(scenario: Scenario | str, parameter: str = "launch_cost_usd_per_kg",
              low: float | None = None, high: float | None = None, iterations: int = 200) -> Breakeven:
    """Solve ``parameter`` so that orbital total cost equals terrestrial, on the full model.

    The difference ``orbital - terrestrial`` is evaluated on the whole allowed range of the
    parameter (``min``/``max`` from the library, or ``low``/``high``); a sign change is
    refined by vectorized bisection (200 halvings reach float64 resolution). All cost terms
    are kept (operations, NRE, replacement), unlike closed forms that drop them.

    Parameters
    ----------
    scenario : Scenario or str
        Scenario, preset name or file; must be a single point (no array parameters).
    parameter : str
        A numeric library parameter.
    low, high : float, optional
        Search range; defaults to the parameter's allowed range.

    Returns
    -------
    Breakeven
        ``value`` is None, with the reason, when no value in the range closes the gap.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    library = load_library()
    spec = library.get(parameter)
    if spec is None or not spec.is_numeric:
        numeric = [n for n, s in library.items() if s.is_numeric]
        raise OrbitaldcError(f"breakeven --param {parameter!r}: expected a numeric parameter, one of {', '.join(numeric)}")
    if scenario.shape:
        raise OrbitaldcError("breakeven: the scenario has array parameters; give a single point")
    lo = spec.min if low is None else low
    hi = spec.max if high is None else high
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise OrbitaldcError(f"breakeven: range [{lo}, {hi}] for {parameter} is not a finite interval")
    values = dict(scenario.values)
    kind_int = spec.type == "int"

    def gap(x):
        vals = dict(values)
        vals[parameter] = np.round(x) if kind_int else np.asarray(x, dtype=float)
        c = evaluate_values(vals)
        return c.orbital.total_cost_usd - c.terrestrial.total_cost_usd, c

    # scan the range (log-spaced when it spans decades) for the first sign change
    if lo > 0 and hi / lo > 100:
        grid = np.geomspace(lo, hi, 2049)
    else:
        grid = np.linspace(lo, hi, 2049)
    if kind_int:
        grid = np.unique(np.round(grid))
    g, c = gap(grid)
    sign = np.sign(g)
    change = np.nonzero(sign[:-1] * sign[1:] <= 0)[0]
    now = evaluate_values(values)
    current, terr_now = float(now.orbital.total_cost_usd), float(now.terrestrial.total_cost_usd)
    if change.size == 0:
        best = int(np.argmin(g))
        o_best = float(c.orbital.total_cost_usd[best])
        t_best = float(c.terrestrial.total_cost_usd[best])
        hw = float(c.orbital.hardware_cost_usd[best])
        if o_best > t_best:
            why = (f"no {parameter} in [{lo:g}, {hi:g}] makes orbit as cheap as the ground: at its most "
                   f"favourable value ({grid[best]:g}) orbit costs {_fmt_usd(o_best)} vs {_fmt_usd(t_best)} terrestrial")
            if hw >= t_best:
                why += f"; satellite hardware alone is {_fmt_usd(hw)}, above the whole terrestrial total"
        else:
            why = (f"orbit is cheaper for every {parameter} in [{lo:g}, {hi:g}] (at the least favourable value "
                   f"{grid[int(np.argmax(g))]:g}: {_fmt_usd(float(c.orbital.total_cost_usd[int(np.argmax(g))]))} vs "
                   f"{_fmt_usd(float(c.terrestrial.total_cost_usd[int(np.argmax(g))]))})")
        return Breakeven(parameter, None, why, current, terr_now)
    i = int(change[0])
    a, b = grid[i], grid[i + 1]
    ga = g[i]
    if kind_int:
        x = b if g[i + 1] == 0 or abs(g[i + 1]) < abs(ga) else a
    elif ga == 0:
        x = a
    else:
        for _ in range(iterations):
            m = 0.5 * (a + b)
            gm, _ = gap(m)
            if np.sign(gm) == np.sign(ga):
                a, ga = m, gm
            else:
                b = m
            if b - a <= 1e-15 * max(abs(a), abs(b), 1e-300):
                break
        x = 0.5 * (a + b)
    gx, cx = gap(x)
    o, t = float(cx.orbital.total_cost_usd), float(cx.terrestrial.total_cost_usd)
    rel = abs(o - t) / t
    why = (f"at {parameter} = {x:.6g} {spec.unit} orbit costs {_fmt_usd(o)} = terrestrial {_fmt_usd(t)} "
           f"(now {values[parameter]:g} {spec.unit}: orbit {_fmt_usd(current)} vs {_fmt_usd(terr_now)})")
    if rel > 1e-4:
        why += (f"; the model steps here (whole satellites or launches), the closest value leaves a "
                f"{rel:.2%} gap")
    if change.size > 1:
        why += f"; note: the gap changes sign {change.size} times in the range, this is the lowest crossing"
    return Breakeven(parameter, float(x), why, o, t)
