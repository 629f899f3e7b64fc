"""The report's charts: plotly figures for the HTML report and the matplotlib waterfall for files.

Every chart is drawn from results of :mod:`orbitaldc.compare`, :mod:`orbitaldc.uncertainty`,
:mod:`orbitaldc.explain`, :mod:`orbitaldc.optimize` and :mod:`orbitaldc.simulate`; numbers are
written by :mod:`orbitaldc.formatting`. No model arithmetic here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from orbitaldc.compare import DEFAULT_BREAKEVEN_METRIC, HEADLINE_METRIC, Comparison, breakeven, cost_curve
from orbitaldc.errors import OrbitaldcError
from orbitaldc.explain import Attribution
from orbitaldc.formatting import metric, percent, quantity, ratio, usd, value
from orbitaldc.params import Scenario
from orbitaldc.systems.breakdown import COST_PARTS, cost_breakdown

__all__ = ["CURVE_POINTS", "MAX_REPORT_SAMPLES", "SERIES_CHARTS", "SERIES_POINTS", "WATERFALL_BARS",
           "WATERFALL_SUFFIXES", "cost_breakdown_figure", "launch_curve", "launch_curve_figure", "mass_budget_figure",
           "monte_carlo_figures", "pareto_figure", "save_waterfall", "series_figures", "waterfall_figure",
           "waterfall_steps"]

#: Bars drawn individually in a waterfall; smaller contributions are summed into one bar.
WATERFALL_BARS = 12
#: File types :func:`save_waterfall` writes.
WATERFALL_SUFFIXES = (".png", ".svg")
#: Points on the cost-versus-launch-price curve (one vectorized evaluation).
CURVE_POINTS = 400
#: Largest Monte Carlo the report keeps sample by sample for its histogram.
MAX_REPORT_SAMPLES = 2_000_000
#: Label and unit of each break-even metric on a curve's axis.
_CURVE_AXES = {"total_cost": ("total cost", "USD"), "cost_per_watt": ("cost per watt", "USD/W"),
               "lcoe": ("LCOE (IT energy)", "USD/MWh"), "lcoc": ("cost per delivered GPU-hour (LCOC)", "USD/GPU-h")}
#: Axis title of the headline ratio (:data:`orbitaldc.compare.HEADLINE_METRIC`).
HEADLINE_AXIS = "Orbital / terrestrial cost per delivered GPU-hour (LCOC)"
#: Most points per simulated time series in the report; longer runs are averaged into this many bins.
SERIES_POINTS = 2000
#: Series columns charted from a simulation: (title, y-axis title, [(column, label, scale)]).
SERIES_CHARTS = (
    ("Sunlit fraction of the simulated satellites", "sunlit fraction", (("sunlit_fraction", "sunlit", 1.0),)),
    ("Power of the simulated satellites", "MW", (("array_power_w", "array", 1e-6), ("load_power_w", "load served", 1e-6),
                                                 ("compute_power_w", "useful compute", 1e-6))),
    ("Battery state of charge (mean)", "state of charge", (("battery_soc", "mean state of charge", 1.0),)),
    ("Temperatures", "K", (("temperature_k", "mean node", 1.0), ("die_temperature_max_k", "hottest die", 1.0))),
    ("Active GPUs", "GPUs", (("active_gpus", "active GPUs", 1.0),)),
)
#: Colours (plotly's qualitative palette "Plotly", fixed so reports look alike).
UP, DOWN, TOTAL = "#EF553B", "#00CC96", "#636EFA"


def _scalar(x: Any) -> float:
    return float(np.asarray(x, dtype=float).ravel()[0])


# --------------------------------------------------------------------------- waterfall


def waterfall_steps(attr: Attribution, bars: int = WATERFALL_BARS) -> list[tuple[str, float]]:
    """(label, amount) steps from A to B: the largest contributions, the rest summed.

    Parameters
    ----------
    attr : Attribution
        The result of :func:`orbitaldc.explain.explain`.
    bars : int
        Contributions drawn one by one; the others are summed into one step (a single leftover
        is drawn by itself).

    Returns
    -------
    list of (str, float)
        Steps in order of decreasing magnitude; they sum to ``attr.difference``. Parameters with
        exactly zero contribution are left out.
    """
    items = [(k, v) for k, v in attr.contributions.items() if v != 0.0]
    items.sort(key=lambda kv: -abs(kv[1]))
    shown, rest = items[:bars], items[bars:]
    if len(rest) == 1:
        shown, rest = items, []
    steps = list(shown)
    if rest:
        steps.append((f"{len(rest)} other parameters", math.fsum(v for _, v in rest)))
    return steps


def _label(attr: Attribution, name: str) -> str:
    if name not in attr.values_a:
        return name
    return f"{name}  ({value(attr.values_a[name])} → {value(attr.values_b[name])})"


def save_waterfall(attr: Attribution, path: str | Path, bars: int = WATERFALL_BARS) -> Path:
    """Write the waterfall of an attribution as PNG or SVG (matplotlib, by the file suffix).

    Parameters
    ----------
    attr : Attribution
        The result of :func:`orbitaldc.explain.explain`.
    path : str or Path
        File to write, ending in one of :data:`WATERFALL_SUFFIXES`.
    bars : int
        See :func:`waterfall_steps`.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OrbitaldcError
        Another suffix, or the file cannot be written (the message names the path and the reason).
    """
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in WATERFALL_SUFFIXES:
        raise OrbitaldcError(f"path = {str(path)!r}: expected a file name ending in {' or '.join(WATERFALL_SUFFIXES)}")
    steps = waterfall_steps(attr, bars)
    labels = [attr.scenario_a] + [_label(attr, k) for k, _ in steps] + [attr.scenario_b]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(labels) + 1.6))
    y = np.arange(len(labels))[::-1]
    span = max(abs(attr.value_a), abs(attr.value_b), *(abs(a) for _, a in steps), 1e-300)
    pad = 0.01 * span

    def bar(row: int, left: float, width: float, color: str, text: str) -> None:
        ax.barh(y[row], width, left=left, color=color)
        ax.text(max(left, left + width) + pad, y[row], text, va="center", fontsize=8)

    bar(0, 0.0, attr.value_a, TOTAL, metric(attr.metric, attr.value_a))
    level = attr.value_a
    for i, (_, amount) in enumerate(steps, start=1):
        sign = "+" if amount > 0 else ""
        bar(i, level, amount, UP if amount > 0 else DOWN, sign + metric(attr.metric, amount))
        level += amount
    bar(len(labels) - 1, 0.0, attr.value_b, TOTAL, metric(attr.metric, attr.value_b))
    ax.set_yticks(y, labels, fontsize=8)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: metric(attr.metric, x)))
    ax.set_xlabel(attr.metric)
    note = "exact Shapley values" if attr.method == "exact" else (
        f"sampled Shapley values, {attr.permutations} orders, max std. error "
        f"{metric(attr.metric, attr.max_standard_error)}")
    if attr.normalized:
        note += f"; {attr.scenario_b} scaled to {attr.scenario_a}'s power and years"
    ax.set_title(f"Why {attr.metric} differs: {attr.scenario_a} → {attr.scenario_b}\n({note})", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(right=ax.get_xlim()[1] + 0.15 * span)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise OrbitaldcError(f"path = {str(path)!r}: cannot write ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)
    return path


def waterfall_figure(attr: Attribution, bars: int = WATERFALL_BARS):
    """Plotly waterfall of an attribution (for the HTML report).

    Parameters
    ----------
    attr : Attribution
        The result of :func:`orbitaldc.explain.explain`.
    bars : int
        See :func:`waterfall_steps`.

    Returns
    -------
    plotly.graph_objects.Figure
        A at the top, B at the bottom, contributions between.
    """
    import plotly.graph_objects as go

    steps = waterfall_steps(attr, bars)
    x = [attr.scenario_a] + [k for k, _ in steps] + [attr.scenario_b]
    y = [attr.value_a] + [a for _, a in steps] + [attr.value_b]
    measure = ["absolute"] + ["relative"] * len(steps) + ["total"]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=x, x=y, measure=measure, text=[metric(attr.metric, v) for v in y],
        textposition="outside", cliponaxis=False, increasing={"marker": {"color": UP}},
        decreasing={"marker": {"color": DOWN}}, totals={"marker": {"color": TOTAL}},
        connector={"line": {"color": "#999", "width": 1}},
    ))
    fig.update_layout(title=f"Why {attr.metric} differs ({attr.method} Shapley values)",
                      height=120 + 32 * len(x), margin={"l": 260, "r": 100, "t": 60, "b": 40},
                      xaxis_title=attr.metric, showlegend=False)
    fig.update_yaxes(autorange="reversed")  # A at the top, B at the bottom
    return fig


# --------------------------------------------------------------------------- costs and mass


def cost_breakdown_figure(c: Comparison):
    """Stacked bars of the orbital and terrestrial cost parts (:data:`~orbitaldc.systems.breakdown.COST_PARTS`).

    Parameters
    ----------
    c : Comparison
        A point comparison.

    Returns
    -------
    plotly.graph_objects.Figure
        One stacked bar per side (signed: the residual value, a credit, below zero); parts that
        are zero are left out.
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    for side, result in (("orbital", c.orbital), ("terrestrial", c.terrestrial)):
        name = side.capitalize()
        amounts = cost_breakdown(side, result)
        for part in COST_PARTS[side]:
            amount = _scalar(amounts[part.key])
            if amount == 0:
                continue
            fig.add_bar(name=f"{name}: {part.label}", x=[name], y=[amount], text=[usd(amount)],
                        textposition="inside", hovertemplate=f"{part.label}: %{{y:,.4s}} USD<extra></extra>")
    # relative: a credit (the residual value, negative) is drawn below zero
    fig.update_layout(barmode="relative", title="Cost breakdown (undiscounted, USD)", yaxis_title="USD",
                      height=480, legend={"orientation": "v"})
    return fig


def launch_curve(scenario: Scenario, points: int = CURVE_POINTS,
                 metric: str = DEFAULT_BREAKEVEN_METRIC) -> dict[str, Any]:
    """Both sides' metric over launch prices, and the break-even point on that metric.

    Parameters
    ----------
    scenario : Scenario
        A single point.
    points : int
        Prices on the curve (:func:`orbitaldc.compare.curve_grid`: the plausible range widened
        to show the scenario's own price and the break-even).
    metric : str
        A break-even metric (:data:`orbitaldc.compare.BREAKEVEN_METRICS`); default the headline,
        LCOC (cost per delivered GPU-hour), so the curve and its break-even share one unit.

    Returns
    -------
    dict
        ``price``, ``orbital``, ``terrestrial`` (arrays [USD/kg] and the metric's unit), ``metric``, ``breakeven``
        (:class:`~orbitaldc.compare.Breakeven` or None when launches are priced per vehicle),
        ``current`` (the scenario's price [USD/kg]) and ``per_kg`` (bool).
    """
    per_kg = scenario.values["launch_pricing"] == "per_kg"
    be = breakeven(scenario, "launch_cost_usd_per_kg", metric=metric) if per_kg else None
    curve = cost_curve(scenario, "launch_cost_usd_per_kg", points=points, include=(be.value if be else None,),
                       metric=metric)
    return {"price": curve.x, "orbital": curve.orbital, "terrestrial": curve.terrestrial, "breakeven": be,
            "current": curve.current_value, "per_kg": per_kg, "metric": metric}


def launch_curve_figure(curve: dict[str, Any]):
    """A side metric (LCOC by default) versus launch price, the break-even marked.

    Parameters
    ----------
    curve : dict
        The result of :func:`launch_curve`.

    Returns
    -------
    plotly.graph_objects.Figure
        Log-log curves of both sides' metric, the scenario's price as a dotted line, the
        break-even as a cross (when there is one).
    """
    import plotly.graph_objects as go

    fig = go.Figure()
    label, unit = _CURVE_AXES[curve["metric"]]
    fig.add_scatter(x=curve["price"], y=curve["orbital"], name=f"Orbital {label}", line={"color": TOTAL})
    fig.add_scatter(x=curve["price"], y=curve["terrestrial"], name=f"Terrestrial {label}", line={"color": DOWN})
    be = curve["breakeven"]
    # on a log axis annotations take log10 coordinates while shapes take data coordinates
    fig.add_vline(x=curve["current"], line_dash="dot", line_color="#888")
    fig.add_annotation(x=math.log10(curve["current"]), y=1.0, yref="paper", showarrow=False, xanchor="right",
                       text=f"scenario: {curve['current']:,.0f} USD/kg ", yanchor="top")
    if be is not None and be.value is not None:
        fig.add_scatter(x=[be.value], y=[be.terrestrial_at], mode="markers+text", name="Break-even",
                        marker={"size": 12, "color": UP, "symbol": "x"},
                        text=[f"break-even {be.value:,.0f} USD/kg"], textposition="bottom right")
    title = f"{label[0].upper()}{label[1:]} versus launch price"
    if not curve["per_kg"]:
        title += " (this scenario prices whole launches of a vehicle; USD/kg has no effect)"
    fig.update_layout(title=title, xaxis_title="Launch price [USD/kg]", yaxis_title=f"{label} [{unit}]",
                      xaxis_type="log", yaxis_type="log", height=480)
    return fig


def mass_budget_figure(design):
    """Mass and area by subsystem of a :class:`~orbitaldc.systems.design.SatelliteDesign`.

    Parameters
    ----------
    design : SatelliteDesign
        The fleet's design (point comparison).

    Returns
    -------
    plotly.graph_objects.Figure
        Two bar charts: mass [kg] of every subsystem, area [m2] of those with an area.
    """
    from plotly.subplots import make_subplots

    names = list(design.SUBSYSTEMS)
    mass = [_scalar(design.subsystem(n).mass_kg) for n in names]
    with_area = [n for n in names if _scalar(design.subsystem(n).area_m2) > 0]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4],
                        subplot_titles=("Mass to orbit by subsystem [kg]", "Area by subsystem [m2]"))
    fig.add_bar(x=names, y=mass, name="Mass [kg]", marker_color=TOTAL, row=1, col=1)
    fig.add_bar(x=with_area, y=[_scalar(design.subsystem(n).area_m2) for n in with_area], name="Area [m2]",
                marker_color=DOWN, row=1, col=2)
    fig.update_layout(title="Mass budget and areas", height=440, showlegend=False)
    return fig


# --------------------------------------------------------------------------- uncertainty


def monte_carlo_figures(scenario: Scenario, samples: int, seed: int | None):
    """Histogram of the cost ratio over a Monte Carlo, and a tornado of the cost ratio.

    Parameters
    ----------
    scenario : Scenario
        A single point.
    samples : int
        Monte Carlo samples, 1 to :data:`MAX_REPORT_SAMPLES`.
    seed : int or None
        Seed (None: fresh, reported).

    Returns
    -------
    (Figure, Figure, str)
        The histogram, the tornado and a one-line summary (P5/P50/P95, probability, seed).
    """
    import plotly.graph_objects as go

    from orbitaldc import uncertainty

    if not 1 <= samples <= MAX_REPORT_SAMPLES:
        raise OrbitaldcError(f"montecarlo = {samples}: expected 1 to {MAX_REPORT_SAMPLES:,} samples for the report")
    name = HEADLINE_METRIC
    mc = uncertainty.monte_carlo(scenario, samples, seed, keep_values=True, exact_limit=MAX_REPORT_SAMPLES,
                                 probability_metric=name)
    hist = go.Figure(go.Histogram(x=mc.values[name], nbinsx=80, marker_color=TOTAL, name="LCOC ratio"))
    hist.add_vline(x=1.0, line_color=UP, annotation_text="parity (ratio 1)")
    p = mc.percentiles[name]
    hist.update_layout(title=(f"Monte Carlo, {samples:,} samples (seed {mc.seed}): orbital / terrestrial cost per "
                              f"delivered GPU-hour; P(orbit cheaper) = {percent(mc.probability_orbital_cheaper, 1)}"),
                       xaxis_title=HEADLINE_AXIS, yaxis_title="Samples", height=440)
    tor = uncertainty.tornado(scenario, name)
    bars = tor.bars[:15][::-1]
    fig = go.Figure()
    fig.add_bar(y=[b.parameter for b in bars], x=[b.metric_at_low - tor.base for b in bars], base=tor.base,
                orientation="h", name="parameter at low", marker_color=DOWN)
    fig.add_bar(y=[b.parameter for b in bars], x=[b.metric_at_high - tor.base for b in bars], base=tor.base,
                orientation="h", name="parameter at high", marker_color=UP)
    fig.update_layout(barmode="overlay", title=f"Tornado: LCOC ratio (base {ratio(tor.base)}) with each parameter at its "
                                               f"low/high", xaxis_title=HEADLINE_AXIS, height=160 + 28 * len(bars),
                      margin={"l": 260})
    stats = (f"{name}: P5 {ratio(p['p5'])}, P50 {ratio(p['p50'])}, P95 {ratio(p['p95'])}; probability orbit is "
             f"cheaper {percent(mc.probability_orbital_cheaper)} per delivered GPU-hour (LCOC), "
             f"{percent(mc.probability_orbital_cheaper_total_cost)} on the undiscounted total cost; seed {mc.seed}")
    return hist, fig, stats


# --------------------------------------------------------------------------- Pareto front and simulation


def pareto_figure(result):
    """Plotly scatter of a :class:`orbitaldc.optimize.ParetoResult` with the scenario's own point marked.

    Parameters
    ----------
    result : ParetoResult
        A front of two or three objectives.

    Returns
    -------
    plotly.graph_objects.Figure
        Two objectives: the front as a line of points; three: points coloured by the third.
    """
    import plotly.graph_objects as go

    objs, F, F0 = result.objectives, np.asarray(result.values, float), np.asarray(result.scenario_values, float)
    label = [f"{o.label} [{o.unit}]" for o in objs]
    hover = ["<br>".join(f"{o.key}: {quantity(row[m], o.unit)}" for m, o in enumerate(objs)) for row in F]
    fig = go.Figure()
    if len(objs) == 2:
        fig.add_scatter(x=F[:, 0], y=F[:, 1], mode="lines+markers", name="Pareto front (feasible, non-dominated)",
                        marker={"color": TOTAL, "size": 8}, hovertext=hover, hoverinfo="text")
    else:
        fig.add_scatter(x=F[:, 0], y=F[:, 1], mode="markers", name="Pareto front (feasible, non-dominated)",
                        marker={"color": F[:, 2], "colorscale": "Viridis", "size": 9, "showscale": True,
                                "colorbar": {"title": {"text": label[2]}}}, hovertext=hover, hoverinfo="text")
    given = f"{result.scenario} as given" + ("" if result.scenario_feasible else " (infeasible)")
    fig.add_scatter(x=[F0[0]], y=[F0[1]], mode="markers", name=given, marker={"color": UP, "size": 15, "symbol": "star"},
                    hovertext=["<br>".join(f"{o.key}: {quantity(F0[m], o.unit)}" for m, o in enumerate(objs))],
                    hoverinfo="text")
    fig.update_layout(title=f"Pareto front: {' vs '.join(o.key for o in objs)} ({len(result.designs)} designs)",
                      xaxis_title=label[0], yaxis_title=label[1], height=480,
                      legend={"orientation": "h", "y": -0.2})
    return fig


def series_figures(series_dir: str | Path, points: int = SERIES_POINTS) -> list:
    """Plotly time-series charts of a simulation's Parquet parts (:data:`SERIES_CHARTS`).

    Parameters
    ----------
    series_dir : str or Path
        The ``series`` folder of a :func:`orbitaldc.simulate.simulate` run.
    points : int
        Most points per line; longer series are averaged into this many bins.

    Returns
    -------
    list of plotly.graph_objects.Figure
        One chart per entry of :data:`SERIES_CHARTS` (empty when the run wrote no rows).
    """
    import plotly.graph_objects as go

    from orbitaldc.simulate.plots import _binned, read_series

    columns = ["time"] + [col for _, _, lines in SERIES_CHARTS for col, _, _ in lines]
    df = read_series(series_dir, columns)
    if df.empty:
        return []
    days = _binned((df["time"] - df["time"].iloc[0]).dt.total_seconds().to_numpy() / 86400.0, points)
    figures = []
    for title, unit, lines in SERIES_CHARTS:
        fig = go.Figure()
        for col, label, scale in lines:
            fig.add_scatter(x=days, y=_binned(df[col].to_numpy(dtype=float) * scale, points), mode="lines", name=label)
        fig.update_layout(title=title, xaxis_title="days from start", yaxis_title=unit, height=320,
                          margin={"t": 50, "b": 40}, showlegend=len(lines) > 1)
        figures.append(fig)
    return figures
