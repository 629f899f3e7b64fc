"""The report's sections as HTML fragments: tables, notes and the charts of :mod:`.figures`.

Every piece of text that comes from a user (scenario names, titles, descriptions, parameter
values) is HTML-escaped here, in :func:`table` and :func:`paragraph`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from orbitaldc.compare import Comparison
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import (RowGroup, breakeven_text, design_check_rows, explain_summary, like_for_like_text,
                                  metric, number, quantity, scope_note, scope_text, side_by_side, side_scope_mismatch,
                                  value)
from orbitaldc.formatting import simulation_rows as formatting_simulation_rows
from orbitaldc.params import Scenario, load_library
from orbitaldc.report import figures

__all__ = ["PARETO_SETTINGS", "breakdown_section", "chart", "comparison_section", "grouped_table", "launch_section",
           "mass_budget_section", "parameter_rows", "parameters_section", "pareto_section", "parse_objectives",
           "physics_checks_section", "side_by_side_section", "simulation_rows", "simulation_section", "table",
           "uncertainty_section"]

#: Settings of :func:`orbitaldc.optimize.pareto` the report's tests may shrink (points, rounds, anchor_maxiter).
PARETO_SETTINGS = ("points", "rounds", "anchor_maxiter", "max_points")


def chart(fig) -> str:
    """A plotly figure as an HTML ``<div>`` (plotly.js itself is embedded once by the page).

    Parameters
    ----------
    fig : plotly.graph_objects.Figure

    Returns
    -------
    str
    """
    import plotly.io as pio

    return pio.to_html(fig, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       config={"displaylogo": False, "responsive": True})


def table(header: Sequence[Any], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    """An HTML table; every cell is escaped.

    Parameters
    ----------
    header : sequence
        Column titles.
    rows : sequence of sequence
        Cells (converted with ``str``).
    cls : str
        CSS class of the table.

    Returns
    -------
    str
    """
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def grouped_table(header: Sequence[Any], groups: Sequence[RowGroup], cls: str = "") -> str:
    """An HTML table of titled row groups (:class:`orbitaldc.formatting.RowGroup`); every cell is escaped.

    Parameters
    ----------
    header : sequence
        Column titles.
    groups : sequence of RowGroup
        Each group's title is a header row (``<tr class="group">``) above its rows.
    cls : str
        CSS class of the table.

    Returns
    -------
    str
    """
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = []
    for g in groups:
        body.append(f'<tr class="group"><th colspan="{len(header)}">{html.escape(g.title)}</th></tr>')
        body.extend("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in g.rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def paragraph(text: str, cls: str = "") -> str:
    """One escaped ``<p>``.

    Parameters
    ----------
    text : str
        Plain text (escaped here).
    cls : str
        CSS class (none when empty).

    Returns
    -------
    str
    """
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{html.escape(text)}</p>"


def _section(heading: str, *parts: str) -> str:
    return f"<h2>{html.escape(heading)}</h2>" + "".join(parts)


def side_by_side_section(c: Comparison) -> str:
    """HTML of "Side by side": what is counted, every cost part, totals, delivered compute, physical quantities.

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    str
        The scope in words, a note when the comparison is not like for like, and the grouped
        table of :func:`orbitaldc.formatting.side_by_side` (every non-zero cost part of
        :data:`orbitaldc.systems.breakdown.COST_PARTS`, the residual value negative).
    """
    note = scope_note(c.scope, side_scope_mismatch(c))
    return _section("Side by side", paragraph(f"Counted: {scope_text(c.scope)}."),
                    paragraph(note, "muted") if note else "",
                    grouped_table(("", "Orbital", "Terrestrial"), side_by_side(c), "summary"))


def physics_checks_section(c: Comparison) -> str:
    """HTML of "Physics checks" of a bottom-up design (empty without a design).

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    str
        Dose and margin, upsets, availability and its parts, die temperature, drag and disposal,
        links (:func:`orbitaldc.formatting.design_check_rows`), beside their limits.
    """
    groups = design_check_rows(c)
    if not groups:
        return ""
    return _section("Physics checks", grouped_table(("Check", "Value", "Limit / note"), groups, "checks"))


def breakdown_section(c: Comparison) -> str:
    """HTML of "Cost breakdown": the stacked bars of both sides.

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    str
    """
    return _section("Cost breakdown", chart(figures.cost_breakdown_figure(c)))


def launch_section(scenario: Scenario) -> str:
    """HTML of "Cost per GPU-hour versus launch price": the LCOC curves and the break-even sentence.

    Parameters
    ----------
    scenario : Scenario
        A single point.

    Returns
    -------
    str
    """
    curve = figures.launch_curve(scenario)
    be = curve["breakeven"]
    note = ("This scenario prices whole launches of a vehicle; a price per kg has no effect." if be is None
            else breakeven_text(be))
    return _section("Cost per GPU-hour versus launch price", chart(figures.launch_curve_figure(curve)), paragraph(note))


def mass_budget_section(design) -> str:
    """HTML of "Mass budget and areas" for a :class:`~orbitaldc.systems.design.SatelliteDesign`.

    Parameters
    ----------
    design : SatelliteDesign

    Returns
    -------
    str
        The chart and a table (subsystem, mass, kg/kW of IT power, area).
    """
    def first(x) -> float:
        return float(np.asarray(x, dtype=float).ravel()[0])

    rows = []
    for name in design.SUBSYSTEMS:
        part = design.subsystem(name)
        area = first(part.area_m2)
        rows.append((name, number(first(part.mass_kg), "kg"), number(first(design.kg_per_kw(name))),
                     number(area, "m2") if area else ""))
    rows.append(("total", number(first(design.total_mass_kg), "kg"), number(first(design.kg_per_kw("total"))), ""))
    return _section("Mass budget and areas", chart(figures.mass_budget_figure(design)),
                    table(("Subsystem", "Mass", "kg/kW (IT)", "Area"), rows))


def uncertainty_section(scenario: Scenario, samples: int, seed: int | None) -> str:
    """HTML of "Uncertainty": Monte Carlo histogram and tornado.

    Parameters
    ----------
    scenario : Scenario
        A single point.
    samples : int
        Monte Carlo samples (see :func:`.figures.monte_carlo_figures`).
    seed : int or None
        Seed (None: fresh, reported).

    Returns
    -------
    str
    """
    hist, tor, stats = figures.monte_carlo_figures(scenario, samples, seed)
    return _section("Uncertainty", paragraph(stats), chart(hist), chart(tor))


def comparison_section(scenario: Scenario, other: Scenario | str, metric_name: str, normalize: bool) -> str:
    """HTML of "Why B differs": the Shapley waterfall of :func:`orbitaldc.explain.explain` and its table.

    Parameters
    ----------
    scenario, other : Scenario or str
        A and B.
    metric_name : str
        The metric explained.
    normalize : bool
        Bring B to A's scope, power and years first (:func:`orbitaldc.explain.explain` does it).

    Returns
    -------
    str
    """
    from orbitaldc.explain import explain

    attr = explain(scenario, other, metric_name, normalize=normalize)
    sampled = attr.method == "sampled"
    rows = [(k, value(attr.values_a[k]), value(attr.values_b[k]), metric(metric_name, v))
            + ((metric(metric_name, attr.standard_errors[k]),) if sampled else ())
            for k, v in attr.contributions.items()]
    header = ("Parameter", attr.scenario_a, attr.scenario_b, "Contribution") + (("Std. error",) if sampled else ())
    return _section(f"Why {attr.scenario_b} differs", paragraph(like_for_like_text(attr)),
                    paragraph(explain_summary(attr)),
                    chart(figures.waterfall_figure(attr)), table(header, rows))


def parse_objectives(text: str | Sequence[str]) -> list[str]:
    """Objective keys from ``"A,B[,C]"`` (or a sequence), blanks dropped.

    Parameters
    ----------
    text : str or sequence of str

    Returns
    -------
    list of str
        Checked by :func:`orbitaldc.optimize.pareto`.
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    return [k.strip() for k in items if k.strip()]


def pareto_section(scenario: Scenario, objectives: str | Sequence[str], seed: int,
                   settings: dict[str, Any] | None = None) -> str:
    """HTML of "Design trade-offs (Pareto front)" (chart, table of front designs, held-fixed line).

    Parameters
    ----------
    scenario : Scenario
        A single point.
    objectives : str or sequence of str
        Two or three keys of :data:`orbitaldc.optimize.OBJECTIVES` (``"A,B[,C]"``).
    seed : int
        Seed of the search.
    settings : dict, optional
        Keyword arguments of :func:`orbitaldc.optimize.pareto` among :data:`PARETO_SETTINGS`.

    Returns
    -------
    str
    """
    from orbitaldc import optimize

    extra = dict(settings or {})
    unknown = sorted(set(extra) - set(PARETO_SETTINGS))
    if unknown:
        raise OrbitaldcError(f"pareto settings {', '.join(unknown)}: expected some of {', '.join(PARETO_SETTINGS)}")
    result = optimize.pareto(scenario, parse_objectives(objectives), seed=seed, **extra)
    objs = result.objectives
    header = [f"{o.key} [{o.unit}]" for o in objs] + [v.name for v in result.variables]
    rows = [[quantity(result.values[i, m], o.unit) for m, o in enumerate(objs)]
            + [f"{d[v.name]:.5g}" for v in result.variables] for i, d in enumerate(result.designs)]
    given = ", ".join(f"{o.key} {quantity(result.scenario_values[m], o.unit)}" for m, o in enumerate(objs))
    held = ", ".join(result.held_fixed) or "none"
    notes = [f"{len(result.designs)} feasible non-dominated designs over {len(result.variables)} design variables "
             f"({result.evaluations:,} model evaluations, seed {seed}); all objectives minimized.",
             f"Scenario as given: {given}" + ("" if result.scenario_feasible else " (infeasible)") + ".",
             f"Constraints: {', '.join(result.constraints) or 'none'}."]
    notes += [f"Warning: {w}" for w in result.warnings]
    return (_section("Design trade-offs (Pareto front)", *(paragraph(n) for n in notes))
            + chart(figures.pareto_figure(result)) + '<div class="wide">' + table(header, rows, "pareto") + "</div>"
            + f'<p class="muted">Held fixed at the scenario\'s values ({len(result.held_fixed)}, see '
            f'<code>orbitaldc optimize --pareto</code> for why): {html.escape(held)}</p>')


def simulation_rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, averaged model, simulated) rows of a simulation summary.

    Parameters
    ----------
    summary : dict
        ``SimulationResult.summary`` of :func:`orbitaldc.simulate.simulate`.

    Returns
    -------
    list of (str, str, str)
        :func:`orbitaldc.formatting.simulation_rows`, flattened.
    """
    return [row for group in formatting_simulation_rows(summary) for row in group.rows]


def simulation_section(scenario: Scenario, days: float, seed: int) -> str:
    """HTML of "Simulated constellation": averaged-vs-simulated table and time-series charts.

    Runs :func:`orbitaldc.simulate.simulate` with ``sim_days = days`` into a temporary folder that is
    removed afterwards.

    Parameters
    ----------
    scenario : Scenario
        A single point (``sim_*`` parameters as set in it).
    days : float
        Simulated duration [days], validated like ``sim_days``.
    seed : int
        Seed of every random stream (>= 0).

    Returns
    -------
    str
    """
    import tempfile

    from orbitaldc.simulate import simulate

    if seed < 0:
        raise OrbitaldcError(f"seed = {seed}: the simulation needs a whole number >= 0")
    sc = scenario.with_overrides({"sim_days": days}, where="simulate_days")
    with tempfile.TemporaryDirectory(prefix="orbitaldc-report-") as tmp:
        sim = simulate(sc, seed=seed, out_dir=tmp, progress=False)
        charts = figures.series_figures(Path(tmp) / "series")
    r = sim.summary["run"]
    intro = (f"{r['satellites_simulated']} of {r['satellites_constellation']:,.0f} satellites simulated "
             f"({r['layout']}, {r['propagator']}), {r['days']:g} days at {r['step_s']:g} s steps, seed {r['seed']}; "
             f"totals are scaled to the constellation, the charts show the simulated sample.")
    return _section("Simulated constellation", paragraph(intro),
                    grouped_table(("", "Averaged model", "Simulated"), formatting_simulation_rows(sim.summary),
                                  "summary simulation"),
                    *(chart(f) for f in charts))


def parameter_rows(scenario: Scenario) -> list[tuple[str, str, str, str, str]]:
    """(name, value, unit, role, source) for every parameter; scenario values cite the scenario.

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    list of (str, str, str, str, str)
        In library order.
    """
    rows = []
    for name, spec in load_library().items():
        if name in scenario.overrides:
            origin = scenario.reference or scenario.description or scenario.origin
            source = f"scenario {scenario.name}: {origin}" if origin else f"scenario {scenario.name}"
        else:
            source = spec.source
        unit = spec.unit + (f" ({spec.dollar_year} USD)" if spec.dollar_year else "")
        rows.append((name, value(scenario.values.get(name)), unit, spec.role, source))
    return rows


def parameters_section(scenario: Scenario) -> str:
    """HTML of "Parameters and sources" and "Scenario file" (the TOML that repeats the report).

    Parameters
    ----------
    scenario : Scenario

    Returns
    -------
    str
    """
    return (_section("Parameters and sources",
                     table(("Parameter", "Value", "Unit", "Role", "Source"), parameter_rows(scenario), "params"))
            + _section("Scenario file", "<p>Save as <code>scenario.toml</code> and run "
                       "<code>orbitaldc report scenario.toml</code> to repeat this report.</p>"
                       f"<pre>{html.escape(scenario.to_toml())}</pre>"))
