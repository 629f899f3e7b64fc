"""Compare orbital and terrestrial: ``evaluate`` a scenario, ``cost_curve`` over a parameter,
solve ``breakeven`` on the full model.

``evaluate`` is the single entry point every analysis (Monte Carlo, sweeps, explain, the web
page) calls; it is vectorized, so a million scenarios are one call::

    >>> from orbitaldc.compare import evaluate
    >>> c = evaluate("mccalip-2025-12")
    >>> round(float(c.orbital.total_cost_usd) / 1e9, 2)
    51.1

The **headline** is like for like: the discounted cost per delivered GPU-hour (LCOC) of each
side, their ratio (:data:`HEADLINE_METRIC`), and break-even on LCOC by default. The undiscounted
totals (``cost_ratio``, ``metric="total_cost"``) remain, and are what the published presets
reproduce. Each result states its scope (``cost_scope``, ``cost_basis``); comparing two
scenarios of different scope is flagged by :func:`scope_mismatch` and :func:`normalize_scope`
brings one to the other's.

Results are structured; the words describing them are written by the presentation layer
(:mod:`orbitaldc.formatting`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.metrics import (HEADLINE_METRIC, METRIC_ALIASES, get_metric, metric_names, metric_reads,
                               metric_sides)
from orbitaldc.params import Scenario, as_point, as_scenario, load_library
from orbitaldc.params.spec import ParamSpec
from orbitaldc.systems.inputs import orbital_reads, terrestrial_reads
from orbitaldc.systems.orbital import OrbitalResult, run_orbital
from orbitaldc.systems.terrestrial import TerrestrialResult, run_terrestrial

__all__ = ["BREAKEVEN_METRICS", "Breakeven", "Comparison", "CostCurve", "DEFAULT_BREAKEVEN_METRIC", "HEADLINE_METRIC",
           "METRIC_ALIASES", "SCOPE_PARAMETERS", "breakeven", "cost_curve", "curve_grid", "evaluate", "evaluate_values",
           "get_metric", "metric_names", "metric_reads", "metric_sides", "normalize_scope", "scope_mismatch"]

#: Model choices that make up a scenario's scope: what is costed, on which clock, in which dollars.
SCOPE_PARAMETERS = ("cost_scope", "cost_basis", "dollar_escalation")


def scope_mismatch(values_a: Mapping[str, Any], values_b: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """How two scenarios differ in scope (empty when they compare like with like).

    Parameters
    ----------
    values_a, values_b : mapping
        Scenario values.

    Returns
    -------
    dict
        ``name -> (a's value, b's value)`` for each :data:`SCOPE_PARAMETERS` entry that differs
        (and ``real_dollar_year`` when both escalate to different years).
    """
    names = list(SCOPE_PARAMETERS)
    if values_a.get("dollar_escalation") == values_b.get("dollar_escalation") == "cpi":
        names.append("real_dollar_year")
    out = {}
    for n in names:
        a, b = values_a.get(n), values_b.get(n)
        if (a if isinstance(a, str) else float(np.asarray(a))) != (b if isinstance(b, str) else float(np.asarray(b))):
            out[n] = (a, b)
    return out


def normalize_scope(reference: Scenario, scenario: Scenario, where: str = "normalize") -> Scenario:
    """``scenario`` brought to ``reference``'s scope (its :data:`SCOPE_PARAMETERS` and dollar year).

    Parameters
    ----------
    reference : Scenario
        The scenario whose scope is adopted.
    scenario : Scenario
        The scenario to bring over.
    where : str
        Named in error messages.

    Returns
    -------
    Scenario
        Its own figures stay; what changes is what is counted (e.g. IT equipment priced at the
        library's cited ``it_capex_usd_per_w`` when moving to ``"all_in"``), the clock and the
        dollars.
    """
    names = (*SCOPE_PARAMETERS, "real_dollar_year")
    return scenario.with_overrides({n: reference.values[n] for n in names}, where=where)


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
        """Orbital / terrestrial levelized cost of compute ($/GPU-hour, discounted): the headline."""
        return self.orbital.lcoc_usd_per_gpu_hour / self.terrestrial.lcoc_usd_per_gpu_hour

    @property
    def headline_ratio(self) -> np.ndarray:
        """The headline comparison (:data:`HEADLINE_METRIC`): orbital / terrestrial LCOC."""
        return self.lcoc_ratio

    @property
    def scope(self) -> dict[str, Any]:
        """This comparison's scope: ``cost_scope``, ``cost_basis``, ``dollar_escalation`` (and the dollar year)."""
        out = {n: self.values[n] for n in SCOPE_PARAMETERS}
        out["real_dollar_year"] = int(np.asarray(self.values["real_dollar_year"]).ravel()[0]) \
            if self.values["dollar_escalation"] == "cpi" else None
        return out

    def scope_mismatch(self, other: "Comparison") -> dict[str, tuple[Any, Any]]:
        """How this comparison's scope differs from ``other``'s (:func:`scope_mismatch`)."""
        return scope_mismatch(self.values, other.values)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (NumPy arrays kept) with the documented JSON contract keys."""
        return {
            "scenario": self.scenario.name if self.scenario else None,
            **self.scope,
            "headline_metric": HEADLINE_METRIC,
            "orbital": self.orbital.to_dict(),
            "terrestrial": self.terrestrial.to_dict(),
            "orbital_to_terrestrial_cost_ratio": self.cost_ratio,
            "orbital_to_terrestrial_lcoc_ratio": self.lcoc_ratio,
        }

    def metric(self, name: str) -> np.ndarray:
        """A result by dotted name, e.g. ``orbital.total_cost_usd`` or ``cost_ratio``."""
        return get_metric(self, name)


def evaluate_values(values: Mapping[str, Any], scenario: Scenario | None = None) -> Comparison:
    """Evaluate a complete, validated parameter mapping (scalars or broadcastable arrays).

    Parameters
    ----------
    values : mapping
        Every library parameter (``Scenario.values``).
    scenario : Scenario, optional
        Carried along for names and metadata.

    Returns
    -------
    Comparison
        Every summary result of both sides has the common shape of all array parameters, so a
        result depending on fewer parameters still lines up element by element.
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
    sc = as_scenario(scenario, overrides)
    return evaluate_values(sc.values, sc)


# ----------------------------------------------------------------------------- parameter scans

#: Metrics a break-even or cost curve can equate: the side field compared on both sides (the one list).
BREAKEVEN_METRICS = {
    "total_cost": "total_cost_usd",
    "cost_per_watt": "cost_per_watt_usd",
    "lcoe": "lcoe_usd_per_mwh",
    "lcoc": "lcoc_usd_per_gpu_hour",
}
#: Break-even's default: the headline, discounted cost per delivered GPU-hour.
DEFAULT_BREAKEVEN_METRIC = "lcoc"


def _side_field(metric: str) -> str:
    if metric not in BREAKEVEN_METRICS:
        raise OrbitaldcError(f"metric {metric!r}: expected one of {', '.join(BREAKEVEN_METRICS)}")
    return BREAKEVEN_METRICS[metric]


def _numeric_spec(parameter: str) -> ParamSpec:
    library = load_library()
    spec = library.get(parameter)
    if spec is None or not spec.is_numeric:
        numeric = [n for n, s in library.items() if s.is_numeric]
        raise OrbitaldcError(f"parameter {parameter!r}: expected a numeric parameter, one of "
                             f"{', '.join(numeric)}")
    return spec


def _current(scenario: Scenario, parameter: str) -> float | None:
    value = scenario.values.get(parameter)
    return None if value is None else float(np.asarray(value, dtype=float).ravel()[0])


def curve_grid(scenario: Scenario, parameter: str, points: int = 200, low: float | None = None,
               high: float | None = None, include: Sequence[float | None] = ()) -> np.ndarray:
    """Values of ``parameter`` at which to draw a cost curve.

    Parameters
    ----------
    scenario : Scenario
        The scenario (its value of ``parameter`` is shown).
    parameter : str
        A numeric library parameter.
    points : int
        Number of values (fewer for whole-number parameters).
    low, high : float, optional
        Range; by default the parameter's plausible range (or a decade either side of the
        scenario's value when the library gives none), widened to show the scenario's value and
        every ``include`` value with a margin of 1.5x, and clipped to the allowed range. A single
        given end keeps the default other end if that lies beyond it, else the allowed limit.
    include : sequence of float
        Values that must be visible (e.g. a break-even); None entries are ignored.

    Returns
    -------
    ndarray
        Log-spaced when the range is positive and spans a decade or more, else linear.

    Raises
    ------
    OrbitaldcError
        A range outside the parameter's allowed range, or one that is not a finite interval.
    """
    spec = _numeric_spec(parameter)
    vmin = -math.inf if spec.min is None else spec.min
    vmax = math.inf if spec.max is None else spec.max
    _check_range(spec, low, high)
    current = _current(scenario, parameter)
    marks = [x for x in (current, *include) if x is not None and math.isfinite(x)]
    if low is None or high is None:
        lo, hi = spec.low, spec.high
        if lo is None or hi is None:
            ref = next((x for x in marks if x > 0), None)
            lo, hi = (ref / 10.0, ref * 10.0) if ref is not None else (vmin, vmax)
        for x in marks:
            lo, hi = (min(lo, x / 1.5), max(hi, x * 1.5)) if x > 0 else (min(lo, x), max(hi, x))
        if low is not None:  # one end given: keep the default other end if it lies beyond it
            lo, hi = low, (hi if hi > low else vmax)
        if high is not None:
            lo, hi = (lo if lo < high else vmin), high
        lo, hi = max(lo, vmin), min(hi, vmax)
    else:
        lo, hi = low, high
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise OrbitaldcError(f"range [{lo:g}, {hi:g}] for {parameter} is not a finite interval")
    points = int(points)
    grid = np.geomspace(lo, hi, points) if lo > 0 and hi / lo >= 10 else np.linspace(lo, hi, points)
    if spec.type == "int":
        grid = np.unique(np.round(grid))
    return np.clip(grid, vmin, vmax)


def _check_range(spec: ParamSpec, low: float | None, high: float | None) -> None:
    """A requested search range must lie inside the parameter's allowed range."""
    for name, x in (("low", low), ("high", high)):
        if x is None:
            continue
        if not math.isfinite(x) or (spec.min is not None and x < spec.min) or (spec.max is not None and x > spec.max):
            raise OrbitaldcError(f"{name} = {x:g} for {spec.name}: expected {spec.allowed()}")
    if low is not None and high is not None and low >= high:
        raise OrbitaldcError(f"low = {low:g} must be below high = {high:g} for {spec.name}")


@dataclass
class CostCurve:
    """Both sides' value of a metric over values of one parameter."""

    parameter: str
    unit: str
    metric: str
    x: np.ndarray
    orbital: np.ndarray
    terrestrial: np.ndarray
    current_value: float | None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (arrays kept)."""
        return asdict(self)


def cost_curve(scenario: Scenario | str, parameter: str, grid: Sequence[float] | np.ndarray | None = None, *,
               metric: str = "total_cost", points: int = 200, low: float | None = None,
               high: float | None = None, include: Sequence[float | None] = ()) -> CostCurve:
    """Evaluate both sides over values of one parameter (one vectorized call).

    Parameters
    ----------
    scenario : Scenario or str
        A single-point scenario.
    parameter : str
        A numeric library parameter.
    grid : array_like, optional
        The values; by default :func:`curve_grid` with ``points``, ``low``, ``high``, ``include``.
    metric : str
        A key of :data:`BREAKEVEN_METRICS`.

    Returns
    -------
    CostCurve
    """
    sc = as_point(scenario, what="a cost curve")
    spec = _numeric_spec(parameter)
    field = _side_field(metric)
    x = curve_grid(sc, parameter, points, low, high, include) if grid is None else np.asarray(grid, dtype=float)
    values = dict(sc.values)
    values[parameter] = x
    c = evaluate_values(values)
    return CostCurve(parameter, spec.unit, metric, x, np.asarray(getattr(c.orbital, field), dtype=float),
                     np.asarray(getattr(c.terrestrial, field), dtype=float), _current(sc, parameter))


@dataclass
class Breakeven:
    """Result of :func:`breakeven` (structured; :func:`orbitaldc.formatting.breakeven_text` words it).

    Attributes
    ----------
    parameter, unit, metric : str
        What was solved, its unit, and the compared metric (a :data:`BREAKEVEN_METRICS` key).
    status : {"solved", "orbit_dearer", "orbit_cheaper"}
        Solved, or no value in the range closes the gap (orbit dearer, or cheaper, everywhere).
    value : float or None
        The solution (None unless solved).
    bracket : tuple
        The searched range ``(low, high)``.
    current_value : float or None
        The scenario's own value of the parameter.
    orbital_now, terrestrial_now : float
        Both sides' metric at the scenario's value.
    at_value : float or None
        Where ``orbital_at``/``terrestrial_at`` were evaluated: the solution, or the parameter's
        most favourable (``orbit_dearer``) or least favourable (``orbit_cheaper``) value.
    orbital_at, terrestrial_at : float
        Both sides' metric there.
    hardware_at : float
        Orbital hardware (satellites and IT equipment) there, in the metric's units: its cost
        [USD] for ``total_cost``, per W for ``cost_per_watt``, its present value per MWh or per
        GPU-hour for ``lcoe`` / ``lcoc`` (to say when hardware alone exceeds the ground).
    residual_gap : float
        ``|orbital - terrestrial| / terrestrial`` at the solution (non-zero where the model steps
        in whole satellites or launches).
    crossings : int
        Sign changes of the gap over the range (the lowest is returned).
    reason : str
        Reason code: ``"solved"``, ``"no_crossing"``, ``"hardware_exceeds_ground"`` (the orbital
        hardware alone, in the metric's units, exceeds the ground's) or ``"cheaper_everywhere"``.
    """

    parameter: str
    unit: str
    metric: str
    status: str
    value: float | None
    bracket: tuple[float, float]
    current_value: float | None
    orbital_now: float
    terrestrial_now: float
    at_value: float | None
    orbital_at: float
    terrestrial_at: float
    hardware_at: float
    residual_gap: float
    crossings: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of every field."""
        out = asdict(self)
        out["bracket"] = list(self.bracket)
        return out


def _hardware_metric(orbital: OrbitalResult, metric: str) -> np.ndarray:
    """The orbital hardware (satellites and IT) alone, in the units of a break-even metric."""
    o = orbital
    hardware = o.hardware_cost_usd + o.it_equipment_cost_usd
    with np.errstate(divide="ignore", invalid="ignore"):
        return {"total_cost": hardware, "cost_per_watt": hardware * o.cost_per_watt_usd / o.total_cost_usd,
                "lcoe": o.pv_hardware_cost_usd * o.lcoe_usd_per_mwh / o.pv_cost_usd,
                "lcoc": o.pv_hardware_cost_usd / o.pv_gpu_hours}[metric]


def breakeven(scenario: Scenario | str, parameter: str = "launch_cost_usd_per_kg", low: float | None = None,
              high: float | None = None, iterations: int = 200, metric: str = DEFAULT_BREAKEVEN_METRIC) -> Breakeven:
    """Solve ``parameter`` so that the orbital metric equals the terrestrial one, on the full model.

    Parameters
    ----------
    scenario : Scenario or str
        Scenario, preset name or file; must be a single point.
    parameter : str
        A numeric library parameter that the scenario's model reads.
    low, high : float, optional
        Search range, inside the parameter's allowed range (default: the whole allowed range).
    iterations : int
        Most bisection halvings (200 reach float64 resolution).
    metric : str
        What is equated (:data:`BREAKEVEN_METRICS`): ``lcoc`` (default: discounted cost per
        delivered GPU-hour, the headline), ``lcoe``, ``cost_per_watt`` or ``total_cost``
        (undiscounted, as the published analyses).

    Returns
    -------
    Breakeven

    Raises
    ------
    OrbitaldcError
        An unknown or non-numeric parameter, one neither side reads, a range outside the allowed
        one, or an array scenario.

    Notes
    -----
    The gap ``orbital - terrestrial`` is evaluated on a 2,049-point scan of the range (log-spaced
    when it spans more than two decades) in one vectorized call; the first sign change is refined
    by bisection. Every cost term is kept (operations, NRE, replacement), unlike closed forms that
    drop them.
    """
    sc = as_point(scenario, what="breakeven")
    spec = _numeric_spec(parameter)
    field = _side_field(metric)
    if parameter not in orbital_reads(sc.values) | terrestrial_reads(sc.values):
        raise OrbitaldcError(f"parameter {parameter!r} moves neither side of this scenario "
                             f"(mass_model = {sc.values['mass_model']!r}, sun_fraction_model = "
                             f"{sc.values['sun_fraction_model']!r}, launch_pricing = {sc.values['launch_pricing']!r})")
    _check_range(spec, low, high)
    lo = spec.min if low is None else low
    hi = spec.max if high is None else high
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
        raise OrbitaldcError(f"range [{lo}, {hi}] for {parameter} is not a finite interval; give low and high")
    values = dict(sc.values)
    kind_int = spec.type == "int"

    def gap(x):
        vals = dict(values)
        vals[parameter] = np.round(x) if kind_int else np.asarray(x, dtype=float)
        c = evaluate_values(vals)
        return getattr(c.orbital, field) - getattr(c.terrestrial, field), c

    grid = np.geomspace(lo, hi, 2049) if lo > 0 and hi / lo > 100 else np.linspace(lo, hi, 2049)
    if kind_int:
        grid = np.unique(np.round(grid))
    g, c = gap(grid)
    now = evaluate_values(values)
    o_now, t_now = float(getattr(now.orbital, field)), float(getattr(now.terrestrial, field))
    sign = np.sign(g)
    change = np.nonzero(sign[:-1] * sign[1:] <= 0)[0]
    current = _current(sc, parameter)

    hardware = _hardware_metric(c.orbital, metric)

    def result(status, value, at, i_or_c, residual, reason):
        if isinstance(i_or_c, int):
            o, t, hw = (float(getattr(c.orbital, field)[i_or_c]), float(getattr(c.terrestrial, field)[i_or_c]),
                        float(hardware[i_or_c]))
        else:
            o, t, hw = (float(getattr(i_or_c.orbital, field)), float(getattr(i_or_c.terrestrial, field)),
                        float(_hardware_metric(i_or_c.orbital, metric)))
        return Breakeven(parameter, spec.unit, metric, status, value, (float(lo), float(hi)), current, o_now, t_now,
                         at, o, t, hw, residual, int(change.size), reason)

    if change.size == 0:
        best = int(np.argmin(g))
        if g[best] > 0:
            hw = float(hardware[best])
            t_best = float(getattr(c.terrestrial, field)[best])
            reason = "hardware_exceeds_ground" if hw >= t_best else "no_crossing"
            return result("orbit_dearer", None, float(grid[best]), best, math.nan, reason)
        worst = int(np.argmax(g))
        return result("orbit_cheaper", None, float(grid[worst]), worst, math.nan, "cheaper_everywhere")
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
    _, cx = gap(x)
    o, t = float(getattr(cx.orbital, field)), float(getattr(cx.terrestrial, field))
    residual = abs(o - t) / abs(t) if t else (0.0 if o == t else math.inf)
    return result("solved", float(x), float(x), cx, residual, "solved")
