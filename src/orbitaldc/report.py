"""A self-contained HTML report of one scenario, and waterfall charts of :mod:`orbitaldc.explain`.

The report is one file that works offline: plotly.js is embedded inline (no CDN, no network
request), every chart is drawn from numbers computed by :mod:`orbitaldc.compare`,
:mod:`orbitaldc.uncertainty`, :mod:`orbitaldc.explain`, and optionally :mod:`orbitaldc.optimize`
(a Pareto front) and :mod:`orbitaldc.simulate` (a simulated run) (no model arithmetic here), and the
scenario's TOML is included so the run can be repeated::

    >>> from orbitaldc.report import render_report
    >>> html = render_report("mccalip-2025-12")
    >>> "<svg" in html or "Plotly.newPlot" in html
    True
"""

from __future__ import annotations

import datetime as _dt
import html
import math
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from orbitaldc.cli.output import number, usd
from orbitaldc.cli.uncertainty import _fmt_metric
from orbitaldc.compare import Comparison, breakeven, cost_curve, evaluate
from orbitaldc.formatting import breakeven_text
from orbitaldc.errors import OrbitaldcError
from orbitaldc.explain import Attribution
from orbitaldc.params import Scenario, load_library, load_scenario

#: Bars drawn individually in a waterfall; smaller contributions are summed into one bar.
WATERFALL_BARS = 12
#: Points on the cost-versus-launch-price curve (one vectorized evaluation).
CURVE_POINTS = 400
#: Largest Monte Carlo the report keeps sample by sample for its histogram.
MAX_REPORT_SAMPLES = 2_000_000
#: Colours (plotly's qualitative palette "Plotly", fixed so reports look alike).
UP, DOWN, TOTAL = "#EF553B", "#00CC96", "#636EFA"


def _scalar(x: Any) -> float:
    return float(np.asarray(x, dtype=float).ravel()[0])


def format_metric(name: str, x: float) -> str:
    """A metric value with its unit, e.g. ``$51.10B``, ``-$713.75M``, ``$1,167/MWh``, ``3.220x``."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if name.endswith("ratio"):
        return f"{x:.3f}x"
    if x < 0:
        return "-" + format_metric(name, -x)
    if name.endswith("_usd") and not name.endswith("cost_per_watt_usd"):
        return usd(x)
    return _fmt_metric(name, x)


def format_value(x: Any) -> str:
    """A parameter value as written in a scenario (``-`` for unset)."""
    if x is None:
        return "-"
    if isinstance(x, str):
        return x
    if isinstance(x, np.ndarray):
        return "[" + ", ".join(f"{v:g}" for v in x.ravel()[:6]) + (", ...]" if x.size > 6 else "]")
    return f"{x:g}"


# --------------------------------------------------------------------------- waterfall


def waterfall_steps(attr: Attribution, bars: int = WATERFALL_BARS) -> list[tuple[str, float]]:
    """(label, amount) steps from A to B: the largest contributions, the rest summed.

    Steps sum to ``attr.difference``; parameters with exactly zero contribution are left out.
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
    return f"{name}  ({format_value(attr.values_a[name])} → {format_value(attr.values_b[name])})"


def save_waterfall(attr: Attribution, path: str | Path, bars: int = WATERFALL_BARS) -> Path:
    """Write the waterfall of an attribution as PNG or SVG (matplotlib, by the file suffix)."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise OrbitaldcError(f"--plot {path}: expected a .png or .svg file name")
    steps = waterfall_steps(attr, bars)
    labels = [attr.scenario_a] + [_label(attr, k) for k, _ in steps] + [attr.scenario_b]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(labels) + 1.6))
    y = np.arange(len(labels))[::-1]
    span = max(abs(attr.value_a), abs(attr.value_b), *(abs(a) for _, a in steps), 1e-300)
    pad = 0.01 * span

    def bar(row: int, left: float, width: float, color: str, text: str) -> None:
        ax.barh(y[row], width, left=left, color=color)
        ax.text(max(left, left + width) + pad, y[row], text, va="center", fontsize=8)

    bar(0, 0.0, attr.value_a, TOTAL, format_metric(attr.metric, attr.value_a))
    level = attr.value_a
    for i, (_, amount) in enumerate(steps, start=1):
        sign = "+" if amount > 0 else ""
        bar(i, level, amount, UP if amount > 0 else DOWN, sign + format_metric(attr.metric, amount))
        level += amount
    bar(len(labels) - 1, 0.0, attr.value_b, TOTAL, format_metric(attr.metric, attr.value_b))
    ax.set_yticks(y, labels, fontsize=8)
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: format_metric(attr.metric, x)))
    ax.set_xlabel(attr.metric)
    note = "exact Shapley values" if attr.method == "exact" else (
        f"sampled Shapley values, {attr.permutations} orders, max std. error "
        f"{format_metric(attr.metric, attr.max_standard_error)}")
    if attr.normalized:
        note += f"; {attr.scenario_b} scaled to {attr.scenario_a}'s power and years"
    ax.set_title(f"Why {attr.metric} differs: {attr.scenario_a} → {attr.scenario_b}\n({note})", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlim(right=ax.get_xlim()[1] + 0.15 * span)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def waterfall_figure(attr: Attribution, bars: int = WATERFALL_BARS):
    """Plotly waterfall of an attribution (for the HTML report)."""
    import plotly.graph_objects as go

    steps = waterfall_steps(attr, bars)
    x = [attr.scenario_a] + [k for k, _ in steps] + [attr.scenario_b]
    y = [attr.value_a] + [a for _, a in steps] + [attr.value_b]
    measure = ["absolute"] + ["relative"] * len(steps) + ["total"]
    text = [format_metric(attr.metric, v) for v in y]
    fig = go.Figure(go.Waterfall(
        orientation="h", y=x, x=y, measure=measure, text=text,
        textposition="outside", cliponaxis=False, increasing={"marker": {"color": UP}},
        decreasing={"marker": {"color": DOWN}}, totals={"marker": {"color": TOTAL}},
        connector={"line": {"color": "#999", "width": 1}},
    ))
    fig.update_layout(title=f"Why {attr.metric} differs ({attr.method} Shapley values)",
                      height=120 + 32 * len(x), margin={"l": 260, "r": 100, "t": 60, "b": 40},
                      xaxis_title=attr.metric, showlegend=False)
    fig.update_yaxes(autorange="reversed")  # A at the top, B at the bottom
    return fig


# --------------------------------------------------------------------------- report pieces


def _div(fig) -> str:
    import plotly.io as pio

    return pio.to_html(fig, full_html=False, include_plotlyjs=False, include_mathjax=False,
                       config={"displaylogo": False, "responsive": True})


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


ORBITAL_PARTS = (("hardware_cost_usd", "Satellites (hardware)"), ("launch_cost_usd", "Launch"),
                 ("shielding_cost_usd", "Shielding"), ("ops_cost_usd", "Operations"),
                 ("replacement_cost_usd", "GPU replacement"), ("nre_cost_usd", "NRE"))
TERRESTRIAL_PARTS = (("power_generation_capex_usd", "Power generation"), ("electrical_capex_usd", "Electrical"),
                     ("mechanical_capex_usd", "Mechanical (cooling)"), ("civil_capex_usd", "Civil"),
                     ("network_capex_usd", "Network / fit-out"), ("other_capex_usd", "Other capex"),
                     ("energy_cost_usd", "Energy (fuel / grid)"))


def summary_rows(c: Comparison) -> list[tuple[str, str, str]]:
    """Side-by-side rows (label, orbital, terrestrial) of a point comparison."""
    o, t, v = c.orbital, c.terrestrial, c.values
    s = _scalar
    rows = [
        ("IT power", number(s(v["target_power_w"]) / 1e6, "MW"), number(s(v["target_power_w"]) / 1e6, "MW")),
        ("Years", format_value(v["analysis_years"]), format_value(v["analysis_years"])),
        ("Total cost (undiscounted)", usd(s(o.total_cost_usd)), usd(s(t.total_cost_usd))),
        ("Capex", usd(s(o.hardware_cost_usd) + s(o.launch_cost_usd) + s(o.shielding_cost_usd) + s(o.nre_cost_usd)),
         usd(s(t.capex_usd))),
        ("Cost per watt", f"${s(o.cost_per_watt_usd):,.2f}/W", f"${s(t.cost_per_watt_usd):,.2f}/W"),
        ("LCOE (IT energy)", f"${s(o.lcoe_usd_per_mwh):,.0f}/MWh", f"${s(t.lcoe_usd_per_mwh):,.0f}/MWh"),
        ("LCOC", f"${s(o.lcoc_usd_per_gpu_hour):,.3f}/GPU-h", f"${s(t.lcoc_usd_per_gpu_hour):,.3f}/GPU-h"),
        ("Mass to orbit", number(s(o.mass_to_orbit_kg), "kg"), ""),
        ("Satellites / launches", f"{number(s(o.satellite_count))} / {number(s(o.launch_count))}", ""),
        ("Deployment", number(s(o.deployment_years), "yr"), ""),
        ("Water", "0", f"{s(t.water_l) / 1e9:,.3f} Mt"),
        ("CO2 in operation", "0", f"{s(t.co2_kg) / 1e9:,.2f} Mt"),
    ]
    return rows


def cost_breakdown_figure(c: Comparison):
    """Stacked bars of the orbital and terrestrial cost components."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for side, parts, result in (("Orbital", ORBITAL_PARTS, c.orbital), ("Terrestrial", TERRESTRIAL_PARTS, c.terrestrial)):
        for field, label in parts:
            amount = _scalar(getattr(result, field))
            if amount == 0:
                continue
            fig.add_bar(name=f"{side}: {label}", x=[side], y=[amount], text=[usd(amount)],
                        textposition="inside", hovertemplate=f"{label}: %{{y:,.4s}} USD<extra></extra>")
    fig.update_layout(barmode="stack", title="Cost breakdown (undiscounted, USD)", yaxis_title="USD",
                      height=480, legend={"orientation": "v"})
    return fig


def launch_curve(scenario: Scenario, points: int = CURVE_POINTS) -> dict[str, Any]:
    """Orbital and terrestrial totals over launch prices, and the break-even point.

    The prices come from :func:`orbitaldc.compare.curve_grid` (the plausible range widened to
    show the scenario's own price and the break-even).
    """
    per_kg = scenario.values["launch_pricing"] == "per_kg"
    be = breakeven(scenario, "launch_cost_usd_per_kg") if per_kg else None
    curve = cost_curve(scenario, "launch_cost_usd_per_kg", points=points, include=(be.value if be else None,))
    return {"price": curve.x, "orbital": curve.orbital, "terrestrial": curve.terrestrial, "breakeven": be,
            "current": curve.current_value, "per_kg": per_kg}


def _curve_note(curve: dict[str, Any]) -> str:
    if curve["breakeven"] is None:
        return "This scenario prices whole launches of a vehicle; a price per kg has no effect."
    return breakeven_text(curve["breakeven"])


def launch_curve_figure(curve: dict[str, Any]):
    """Total cost versus launch price, break-even marked (or the reason there is none)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.add_scatter(x=curve["price"], y=curve["orbital"], name="Orbital total", line={"color": TOTAL})
    fig.add_scatter(x=curve["price"], y=curve["terrestrial"], name="Terrestrial total", line={"color": DOWN})
    be = curve["breakeven"]
    # on a log axis annotations take log10 coordinates while shapes take data coordinates
    fig.add_vline(x=curve["current"], line_dash="dot", line_color="#888")
    fig.add_annotation(x=math.log10(curve["current"]), y=1.0, yref="paper", showarrow=False, xanchor="right",
                       text=f"scenario: {curve['current']:,.0f} USD/kg ", yanchor="top")
    if be is not None and be.value is not None:
        fig.add_scatter(x=[be.value], y=[be.terrestrial_at], mode="markers+text", name="Break-even",
                        marker={"size": 12, "color": UP, "symbol": "x"},
                        text=[f"break-even {be.value:,.0f} USD/kg"], textposition="bottom right")
    title = "Total cost versus launch price"
    if not curve["per_kg"]:
        title += " (this scenario prices whole launches of a vehicle; USD/kg has no effect)"
    fig.update_layout(title=title, xaxis_title="Launch price [USD/kg]", yaxis_title="Total cost [USD]",
                      xaxis_type="log", yaxis_type="log", height=480)
    return fig


def mass_budget_figure(design):
    """Mass and area by subsystem of a :class:`~orbitaldc.systems.design.SatelliteDesign`."""
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


def monte_carlo_figures(scenario: Scenario, samples: int, seed: int | None):
    """Histogram of the cost ratio and a tornado of the cost ratio (both from uncertainty)."""
    import plotly.graph_objects as go

    from orbitaldc import uncertainty

    if not 1 <= samples <= MAX_REPORT_SAMPLES:
        raise OrbitaldcError(f"--montecarlo {samples}: expected 1 to {MAX_REPORT_SAMPLES:,} samples for the report")
    metric = "orbital_to_terrestrial_cost_ratio"
    mc = uncertainty.monte_carlo(scenario, samples, seed, keep_values=True, exact_limit=MAX_REPORT_SAMPLES)
    x = mc.values[metric]
    hist = go.Figure(go.Histogram(x=x, nbinsx=80, marker_color=TOTAL, name="cost ratio"))
    hist.add_vline(x=1.0, line_color=UP, annotation_text="parity (ratio 1)")
    p = mc.percentiles[metric]
    hist.update_layout(title=(f"Monte Carlo, {samples:,} samples (seed {mc.seed}): orbital / terrestrial cost; "
                              f"P(orbit cheaper) = {mc.probability_orbital_cheaper:.1%}"),
                       xaxis_title="Orbital / terrestrial total cost", yaxis_title="Samples", height=440)
    tor = uncertainty.tornado(scenario, metric)
    bars = tor.bars[:15][::-1]
    fig = go.Figure()
    fig.add_bar(y=[b.parameter for b in bars], x=[b.metric_at_low - tor.base for b in bars], base=tor.base,
                orientation="h", name="parameter at low", marker_color=DOWN)
    fig.add_bar(y=[b.parameter for b in bars], x=[b.metric_at_high - tor.base for b in bars], base=tor.base,
                orientation="h", name="parameter at high", marker_color=UP)
    fig.update_layout(barmode="overlay", title=f"Tornado: cost ratio (base {tor.base:.3f}) with each parameter at its low/high",
                      xaxis_title="Orbital / terrestrial total cost", height=160 + 28 * len(bars),
                      margin={"l": 260})
    stats = (f"P5 {p['p5']:.3f}, P50 {p['p50']:.3f}, P95 {p['p95']:.3f}; "
             f"probability orbit is cheaper {mc.probability_orbital_cheaper:.2%}; seed {mc.seed}")
    return hist, fig, stats


# --------------------------------------------------------------------------- Pareto front and simulation

#: Settings of :func:`orbitaldc.optimize.pareto` the report's tests may shrink (points, rounds, anchor_maxiter).
PARETO_SETTINGS = ("points", "rounds", "anchor_maxiter", "max_points")
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


def parse_objectives(text: str | Sequence[str]) -> list[str]:
    """Objective keys from ``"A,B[,C]"`` (or a sequence), blanks dropped; checked by :func:`orbitaldc.optimize.pareto`."""
    items = text.split(",") if isinstance(text, str) else list(text)
    return [k.strip() for k in items if k.strip()]


def pareto_figure(result):
    """Plotly scatter of a :class:`orbitaldc.optimize.ParetoResult` with the scenario's own point marked.

    Two objectives: the front as a line of points; three: points coloured by the third objective.
    """
    import plotly.graph_objects as go

    from orbitaldc.cli.optimize import _fmt

    objs, F, F0 = result.objectives, np.asarray(result.values, float), np.asarray(result.scenario_values, float)
    label = [f"{o.label} [{o.unit}]" for o in objs]
    hover = ["<br>".join(f"{o.key}: {_fmt(o.unit, row[m])}" for m, o in enumerate(objs)) for row in F]
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
                    hovertext=["<br>".join(f"{o.key}: {_fmt(o.unit, F0[m])}" for m, o in enumerate(objs))],
                    hoverinfo="text")
    fig.update_layout(title=f"Pareto front: {' vs '.join(o.key for o in objs)} ({len(result.designs)} designs)",
                      xaxis_title=label[0], yaxis_title=label[1], height=480,
                      legend={"orientation": "h", "y": -0.2})
    return fig


def pareto_section(scenario: Scenario, objectives: str | Sequence[str], seed: int,
                   settings: dict[str, Any] | None = None) -> str:
    """HTML of the "Design trade-offs (Pareto front)" section (chart, table of front designs, held-fixed line).

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
    """
    from orbitaldc import optimize
    from orbitaldc.cli.optimize import _fmt

    extra = dict(settings or {})
    unknown = sorted(set(extra) - set(PARETO_SETTINGS))
    if unknown:
        raise OrbitaldcError(f"pareto settings {', '.join(unknown)}: expected some of {', '.join(PARETO_SETTINGS)}")
    result = optimize.pareto(scenario, parse_objectives(objectives), seed=seed, **extra)
    objs = result.objectives
    header = [f"{o.key} [{o.unit}]" for o in objs] + [v.name for v in result.variables]
    rows = [[_fmt(o.unit, result.values[i, m]) for m, o in enumerate(objs)]
            + [f"{d[v.name]:.5g}" for v in result.variables] for i, d in enumerate(result.designs)]
    given = ", ".join(f"{o.key} {_fmt(o.unit, result.scenario_values[m])}" for m, o in enumerate(objs))
    held = ", ".join(result.held_fixed) or "none"
    notes = [f"{len(result.designs)} feasible non-dominated designs over {len(result.variables)} design variables "
             f"({result.evaluations:,} model evaluations, seed {seed}); all objectives minimized.",
             f"Scenario as given: {given}" + ("" if result.scenario_feasible else " (infeasible)") + ".",
             f"Constraints: {', '.join(result.constraints) or 'none'}."]
    notes += [f"Warning: {w}" for w in result.warnings]
    return ("<h2>Design trade-offs (Pareto front)</h2>" + "".join(f"<p>{html.escape(n)}</p>" for n in notes)
            + _div(pareto_figure(result)) + '<div class="wide">' + _table(header, rows, "pareto") + "</div>"
            + f'<p class="muted">Held fixed at the scenario\'s values ({len(result.held_fixed)}, see '
            f'<code>orbitaldc optimize --pareto</code> for why): {html.escape(held)}</p>')


def simulation_rows(summary: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, averaged model, simulated) rows of a simulation summary (:func:`orbitaldc.simulate.simulate`)."""
    from orbitaldc.cli.simulate import _fmt, _money

    s, a, lc, loss = summary["simulated"], summary["averaged"], summary["lcoc"], summary["losses_wh"]
    return [
        ("Sun fraction", _fmt(a["sun_fraction"], pct=True), _fmt(s["sunlit_fraction"], pct=True)),
        ("Availability (of nominal compute)", _fmt(a["availability"], pct=True), _fmt(s["availability"], pct=True)),
        ("Delivered GPU-hours (window)", _fmt(a["delivered_gpu_hours"]), _fmt(s["delivered_gpu_hours"])),
        ("Results delivered", "assumed 100 %", _fmt(s["results_delivered_fraction"], pct=True)),
        ("Mission GPU-hours", _fmt(lc["averaged_mission_gpu_hours"]), _fmt(lc["simulated_mission_gpu_hours"])),
        ("LCOE (IT energy)", _money(lc["averaged_lcoe_usd_per_mwh"], "MWh", 0),
         _money(lc["simulated_lcoe_usd_per_mwh"], "MWh", 0)),
        ("LCOC", _money(lc["averaged_usd_per_gpu_hour"], "GPU-h", 3), _money(lc["simulated_usd_per_gpu_hour"], "GPU-h", 3)),
        ("LCOC terrestrial", _money(lc["terrestrial_usd_per_gpu_hour"], "GPU-h", 3), ""),
        ("Loss: energy shortfall", "", _fmt(loss["energy_shortfall"] / 1e6, "MWh")),
        ("Loss: thermal throttling", "", _fmt(loss["thermal_throttle"] / 1e6, "MWh")),
        ("Loss: restarts", "", _fmt(loss["restarts"] / 1e6, "MWh")),
        ("Loss: checkpoints", "", _fmt(loss["checkpoints"] / 1e6, "MWh")),
        ("Max die temperature", "", _fmt(s["max_die_temperature_k"], "K")),
    ]


def series_figures(series_dir: str | Path, points: int = SERIES_POINTS) -> list:
    """Plotly time-series charts of a run's Parquet parts (:data:`SERIES_CHARTS`), binned to ``points``."""
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


def simulation_section(scenario: Scenario, days: float, seed: int) -> str:
    """HTML of the "Simulated constellation" section: averaged-vs-simulated table and time-series charts.

    Runs :func:`orbitaldc.simulate.simulate` with ``sim_days = days`` into a temporary folder that is
    removed afterwards.

    Parameters
    ----------
    scenario : Scenario
        A single point (``sim_*`` parameters as set in it).
    days : float
        Simulated duration [days], validated like ``sim_days``.
    seed : int
        Seed of every random stream.
    """
    import tempfile

    from orbitaldc.simulate import simulate

    if seed < 0:
        raise OrbitaldcError(f"--seed = {seed}: the simulation needs a whole number >= 0")
    sc = scenario.with_overrides({"sim_days": days}, where="--simulate")
    with tempfile.TemporaryDirectory(prefix="orbitaldc-report-") as tmp:
        sim = simulate(sc, seed=seed, out_dir=tmp, progress=False)
        figures = series_figures(Path(tmp) / "series")
    r = sim.summary["run"]
    intro = (f"{r['satellites_simulated']} of {r['satellites_constellation']:,.0f} satellites simulated "
             f"({r['layout']}, {r['propagator']}), {r['days']:g} days at {r['step_s']:g} s steps, seed {r['seed']}; "
             f"totals are scaled to the constellation, the charts show the simulated sample.")
    return ("<h2>Simulated constellation</h2>" + f"<p>{html.escape(intro)}</p>"
            + _table(("", "Averaged model", "Simulated"), simulation_rows(sim.summary), "summary simulation")
            + "".join(_div(f) for f in figures))


def parameter_rows(scenario: Scenario) -> list[tuple[str, str, str, str, str]]:
    """(name, value, unit, role, source) for every parameter; scenario values cite the scenario."""
    rows = []
    for name, spec in load_library().items():
        value = scenario.values.get(name)
        if name in scenario.overrides:
            origin = scenario.reference or scenario.description or scenario.origin
            source = f"scenario {scenario.name}: {origin}" if origin else f"scenario {scenario.name}"
        else:
            source = spec.source
        unit = spec.unit + (f" ({spec.dollar_year} USD)" if spec.dollar_year else "")
        rows.append((name, format_value(value), unit, spec.role, source))
    return rows


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1150px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}th,td{padding:.25em .6em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td:nth-child(n+2){font-variant-numeric:tabular-nums}.summary td:nth-child(n+2){text-align:right}
.verdict{font-size:1.15em;background:#f4f6ff;padding:.6em 1em;border-left:4px solid #636EFA}
pre{background:#f7f7f7;padding:1em;overflow-x:auto}.wide{overflow-x:auto}.params{font-size:.8em}.muted{color:#777}
"""


def render_report(scenario: Scenario | str, *, montecarlo: int = 0, seed: int | None = None,
                  compare: Scenario | str | None = None, normalize: bool = False,
                  metric: str = "orbital.total_cost_usd", pareto: str | Sequence[str] | None = None,
                  pareto_settings: dict[str, Any] | None = None, simulate_days: float | None = None) -> str:
    """The HTML text of the report of one (point) scenario.

    Parameters
    ----------
    scenario : Scenario or str
        Preset name, TOML path or Scenario; must be a single point.
    montecarlo : int
        Samples for the Monte Carlo histogram and the tornado (0: leave them out).
    seed : int, optional
        Monte Carlo seed (default: fresh, reported in the report).
    compare : Scenario or str, optional
        A second scenario: adds the waterfall of :func:`orbitaldc.explain.explain`.
    normalize : bool
        With ``compare``: scale it to this scenario's power and years first.
    metric : str
        Metric explained by the waterfall.
    pareto : str or sequence of str, optional
        Two or three objectives (``"lcoc,deployment_years"``): adds the Pareto front section
        (:func:`orbitaldc.optimize.pareto`, searched with ``seed``, 0 when unset).
    pareto_settings : dict, optional
        Search settings passed to :func:`orbitaldc.optimize.pareto` (:data:`PARETO_SETTINGS`).
    simulate_days : float, optional
        Adds the simulated constellation section (:func:`orbitaldc.simulate.simulate` over this
        many days, seeded with ``seed``, 0 when unset).
    """
    import plotly.offline

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if sc.shape:
        raise OrbitaldcError(f"report: scenario {sc.name} has array parameters; give a single point "
                             f"(use `orbitaldc sweep` for studies)")
    c = evaluate(sc)
    ratio = _scalar(c.cost_ratio)
    sections: list[str] = []
    title = sc.title or sc.name
    sections.append(f"<h1>{html.escape(title)}</h1>")
    meta = [f"scenario <code>{html.escape(sc.name)}</code>"]
    if sc.description:
        meta.append(html.escape(sc.description))
    sections.append(f"<p>{' &middot; '.join(meta)}</p>")
    if sc.reference:
        sections.append(f'<p class="muted">Source: {html.escape(sc.reference)}</p>')
    verdict = "more" if ratio > 1 else "less"
    sections.append(f'<p class="verdict">Orbit costs <b>{ratio:.2f}x</b> the terrestrial total '
                    f'({verdict} expensive); levelized cost of compute ratio {_scalar(c.lcoc_ratio):.2f}x.</p>')
    sections.append("<h2>Side by side</h2>" + _table(("", "Orbital", "Terrestrial"), summary_rows(c), "summary"))
    sections.append("<h2>Cost breakdown</h2>" + _div(cost_breakdown_figure(c)))
    curve = launch_curve(sc)
    sections.append("<h2>Cost versus launch price</h2>" + _div(launch_curve_figure(curve))
                    + f"<p>{html.escape(_curve_note(curve))}</p>")
    design = c.orbital.design
    if design is not None:
        rows = [(n, number(_scalar(design.subsystem(n).mass_kg), "kg"), number(_scalar(design.kg_per_kw(n))),
                 number(_scalar(design.subsystem(n).area_m2), "m2") if _scalar(design.subsystem(n).area_m2) else "")
                for n in design.SUBSYSTEMS]
        rows.append(("total", number(_scalar(design.total_mass_kg), "kg"), number(_scalar(design.kg_per_kw("total"))),
                     ""))
        sections.append("<h2>Mass budget and areas</h2>" + _div(mass_budget_figure(design))
                        + _table(("Subsystem", "Mass", "kg/kW (IT)", "Area"), rows))
    if montecarlo:
        hist, tor, stats = monte_carlo_figures(sc, montecarlo, seed)
        sections.append("<h2>Uncertainty</h2>" + f"<p>{html.escape(stats)}</p>" + _div(hist) + _div(tor))
    if compare is not None:
        from orbitaldc.explain import explain

        attr = explain(sc, compare, metric, normalize=normalize)
        sampled = attr.method == "sampled"
        rows = [(k, format_value(attr.values_a[k]), format_value(attr.values_b[k]), format_metric(metric, v))
                + ((format_metric(metric, attr.standard_errors[k]),) if sampled else ())
                for k, v in attr.contributions.items()]
        header = ("Parameter", attr.scenario_a, attr.scenario_b, "Contribution") + (("Std. error",) if sampled else ())
        sections.append(f"<h2>Why {html.escape(attr.scenario_b)} differs</h2>"
                        f"<p>{html.escape(explain_summary(attr))}</p>" + _div(waterfall_figure(attr))
                        + _table(header, rows))
    if pareto:
        sections.append(pareto_section(sc, pareto, 0 if seed is None else seed, pareto_settings))
    if simulate_days is not None:
        sections.append(simulation_section(sc, simulate_days, 0 if seed is None else seed))
    sections.append("<h2>Parameters and sources</h2>"
                    + _table(("Parameter", "Value", "Unit", "Role", "Source"), parameter_rows(sc), "params"))
    sections.append("<h2>Scenario file</h2><p>Save as <code>scenario.toml</code> and run "
                    "<code>orbitaldc report scenario.toml</code> to repeat this report.</p>"
                    f"<pre>{html.escape(sc.to_toml())}</pre>")
    from orbitaldc import __version__ as version

    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections.append(f'<p class="muted">Generated by orbitaldc {html.escape(str(version))} on {stamp}.</p>')
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)} - orbitaldc report</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<style>{_CSS}</style>"
            f"<script type=\"text/javascript\">{plotly.offline.get_plotlyjs()}</script>"
            "</head><body>" + "\n".join(sections) + "</body></html>\n")


def explain_summary(attr: Attribution) -> str:
    """One sentence: the difference and its largest contributors."""
    top = [(k, v) for k, v in attr.contributions.items() if v != 0][:3]
    parts = ", ".join(f"{k} {'+' if v > 0 else ''}{format_metric(attr.metric, v)}" for k, v in top)
    how = "exact Shapley values" if attr.method == "exact" else (
        f"Shapley values sampled over {attr.permutations} orders (max standard error "
        f"{format_metric(attr.metric, attr.max_standard_error)})")
    return (f"{attr.metric}: {format_metric(attr.metric, attr.value_a)} ({attr.scenario_a}) → "
            f"{format_metric(attr.metric, attr.value_b)} ({attr.scenario_b}), a difference of "
            f"{format_metric(attr.metric, attr.difference)}; largest: {parts or 'none'} ({how}).")


def write_report(scenario: Scenario | str, out: str | Path | None = None, **kwargs: Any) -> Path:
    """Render the report and write it to ``out`` (default ``reports/<scenario>.html``)."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    text = render_report(sc, **kwargs)
    path = Path(out) if out else Path("reports") / f"{sc.name}.html"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OrbitaldcError(f"--out {path}: cannot write ({exc.strerror})") from None
    return path
