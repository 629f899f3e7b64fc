"""Core commands: run, breakeven, presets, params, metrics."""

from __future__ import annotations

import math
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.common import (SCENARIO_HELP, SET_HELP, Format, console, grouped_table, load_with_sets,
                                  output_file, styled)
from orbitaldc.cli.output import dumps, write_json, write_parquet
from orbitaldc.compare import BREAKEVEN_METRICS, DEFAULT_BREAKEVEN_METRIC
from orbitaldc.compare import breakeven as solve_breakeven
from orbitaldc.compare import evaluate, get_metric, metric_names
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import (breakeven_text, design_check_rows, metric, number, ratio, scope_note, side_by_side,
                                  side_scope_mismatch, usd, verdict)
from orbitaldc.formatting import value as shown
from orbitaldc.params import list_presets, load_library

#: File types ``run --out`` writes.
RUN_OUT_SUFFIXES = (".parquet", ".json")
#: Most rows of an array run printed as a table (the first and last halves are shown).
TABLE_ROWS = 200
#: From this many scenarios on, ``run --format json`` suggests Parquet (stderr note).
LARGE_JSON_SCENARIOS = 100_000

#: Choices of ``breakeven --metric`` (the library's break-even metrics).
BreakevenMetric = Enum("BreakevenMetric", {name: name for name in BREAKEVEN_METRICS}, type=str)

# the other command modules import the shared options from here too
__all__ = ["Format", "SCENARIO_HELP", "SET_HELP", "comparison_table", "load_with_sets"]


def _scalar(x) -> float:
    return float(np.asarray(x).ravel()[0])


def comparison_table(comparison, con: Console) -> None:
    """Print a point comparison: side by side (scope, every cost part, totals, delivered compute,
    physical quantities), the headline, a scope note, and for a bottom-up design its mass budget
    and physics checks.

    Parameters
    ----------
    comparison : Comparison
        A point comparison.
    con : rich.console.Console
        Where to print (:func:`orbitaldc.cli.common.console`).

    Returns
    -------
    None
    """
    sc = comparison.scenario
    title = (sc.title or sc.name) if sc else "scenario"
    con.print(grouped_table(side_by_side(comparison), ("Orbital", "Terrestrial"), title,
                            bold="Total cost (undiscounted)"))
    con.print(styled((verdict(comparison), "bold")))
    note = scope_note(comparison.scope, side_scope_mismatch(comparison))
    if note:
        con.print(note)
    design = comparison.orbital.design
    if design is None:
        return
    mb = Table(title="Mass budget (whole fleet)", box=box.SIMPLE)
    for col, justify in (("Subsystem", "left"), ("Mass", "right"), ("kg/kW (IT)", "right"), ("Area", "right")):
        mb.add_column(col, justify=justify)
    for name in design.SUBSYSTEMS:
        part = design.subsystem(name)
        area = _scalar(part.area_m2)
        mb.add_row(name, number(_scalar(part.mass_kg), "kg"), number(_scalar(design.kg_per_kw(name))),
                   number(area, "m2") if area else "")
    mb.add_row("total", number(_scalar(design.total_mass_kg), "kg"), number(_scalar(design.kg_per_kw("total"))),
               number(_scalar(design.array.area_m2) + _scalar(design.radiator.area_m2), "m2"), style="bold")
    con.print(mb)
    con.print(grouped_table(design_check_rows(comparison), ("Value", "Limit / note"),
                            "Physics checks (bottom-up design)", justify=("right", "left")))


def result_columns(comparison) -> dict[str, np.ndarray]:
    """One column per array parameter and per summary metric of a comparison (``run --out``).

    Parameters
    ----------
    comparison : Comparison

    Returns
    -------
    dict of str to ndarray
        Array parameters by name, then every name of :func:`orbitaldc.compare.metric_names`.
    """
    sc = comparison.scenario
    columns = {k: np.asarray(v) for k, v in sc.values.items() if isinstance(v, np.ndarray)} if sc else {}
    for name in metric_names():
        columns[name] = np.asarray(get_metric(comparison, name))
    return columns


def _write_out(comparison, path: Path) -> str:
    """Write the results to ``path`` (Parquet: one row per scenario; JSON: the JSON contract)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shape = comparison.scenario.shape if comparison.scenario else ()
    if path.suffix.lower() == ".parquet":
        rows = write_parquet(result_columns(comparison), shape, str(path))
        return f"{rows:,} rows written to {path}"
    with open(path, "w", encoding="utf-8") as fh:
        write_json(comparison.to_dict(), fh)
    return f"{math.prod(shape):,} scenarios written to {path}"


@app.command()
def run(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="Also write every result to FILE.parquet (one row "
                                                                "per scenario: array parameters and summary metrics) "
                                                                "or FILE.json (the JSON contract)."),
) -> None:
    """Compare the orbital and terrestrial data center of a scenario."""
    path = output_file(out, "--out", RUN_OUT_SUFFIXES) if out is not None else None
    sc = load_with_sets(scenario, set_)
    comparison = evaluate(sc)
    if path is not None:
        try:
            note = _write_out(comparison, path)
        except OSError as exc:
            raise OrbitaldcError(f"--out {str(path)!r}: cannot write ({exc.strerror or exc})") from None
    if format is Format.json:
        n = math.prod(sc.shape)
        if n >= LARGE_JSON_SCENARIOS and path is None:
            typer.echo(f"note: {n:,} scenarios as JSON; --out FILE.parquet writes them far smaller", err=True)
        write_json(comparison.to_dict(), sys.stdout)
        return
    con = console()
    if sc.shape:
        _array_table(comparison, con)
    else:
        comparison_table(comparison, con)
    if path is not None:
        con.print(note)


def _array_table(comparison, con: Console) -> None:
    """One row per scenario when parameters are arrays (the first and last rows of a long run)."""
    sc = comparison.scenario
    arrays = sc.array_parameters
    shape = sc.shape
    n = math.prod(shape)
    tbl = Table(title=f"{sc.name}: {n:,} scenarios", box=box.SIMPLE_HEAVY)
    for k in arrays:
        tbl.add_column(k, justify="right")
    for col in ("orbital total", "terrestrial total", "LCOC ratio (headline)", "total cost ratio", "orbital LCOC"):
        tbl.add_column(col, justify="right")
    half = TABLE_ROWS // 2
    rows = np.arange(n) if n <= TABLE_ROWS else np.r_[0:half, n - half:n]
    pick = lambda x: np.broadcast_to(np.asarray(x), shape).flat[rows]  # noqa: E731  (only the rows shown)
    params = {k: pick(sc.values[k]) for k in arrays}
    ot, tt = pick(comparison.orbital.total_cost_usd), pick(comparison.terrestrial.total_cost_usd)
    hr, cr = pick(comparison.headline_ratio), pick(comparison.cost_ratio)
    lc = pick(comparison.orbital.lcoc_usd_per_gpu_hour)
    for i in range(rows.size):
        tbl.add_row(*[f"{params[k][i]:g}" for k in arrays], usd(ot[i]), usd(tt[i]), ratio(hr[i]), ratio(cr[i]),
                    metric("lcoc_usd_per_gpu_hour", lc[i]))
    con.print(tbl)
    if n > TABLE_ROWS:
        con.print(f"(showing {TABLE_ROWS} of {n:,} rows; --out FILE.parquet writes all of them)")


@app.command()
def breakeven(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    param: str = typer.Option("launch_cost_usd_per_kg", "--param", "-p", help="Parameter to solve for."),
    metric_: BreakevenMetric = typer.Option(DEFAULT_BREAKEVEN_METRIC, "--metric", "-m",
                                            help="What both sides must equal: lcoc (discounted cost per delivered "
                                                 "GPU-hour, the headline), lcoe, cost_per_watt or total_cost "
                                                 "(undiscounted, as the published analyses)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    low: Optional[float] = typer.Option(None, help="Lower end of the search range (default: the parameter's allowed minimum)."),
    high: Optional[float] = typer.Option(None, help="Upper end of the search range (default: allowed maximum)."),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Solve one parameter so that orbit and ground are equal on a metric (full model; default LCOC)."""
    sc = load_with_sets(scenario, set_)
    result = solve_breakeven(sc, param, low=low, high=high, metric=metric_.value)
    if format is Format.json:
        typer.echo(dumps({**result.to_dict(), "text": breakeven_text(result)}))
        return
    con = console()
    on = f" (on {result.metric})"
    if result.value is None:
        con.print(styled(("No break-even", "bold"), f" for {param}{on}: {breakeven_text(result)}"))
    else:
        unit = "" if result.unit in ("", "1") else f" {result.unit}"
        con.print(styled(f"Break-even {param} = ", (f"{result.value:,.6g}{unit}", "bold"), on))
        con.print(breakeven_text(result))


@app.command()
def presets(format: Format = typer.Option(Format.table, "--format", "-f")) -> None:
    """List the presets (published analyses reproduced)."""
    items = list_presets()
    if format is Format.json:
        typer.echo(dumps(items))
        return
    tbl = Table(box=box.SIMPLE_HEAVY)
    tbl.add_column("preset", style="bold")
    tbl.add_column("title")
    for name, meta in items.items():
        tbl.add_row(name, meta["title"])
    console().print(tbl)


@app.command()
def params(
    format: Format = typer.Option(Format.table, "--format", "-f"),
    scenario: Optional[str] = typer.Option(None, "--scenario", help="Show this scenario's values instead of library defaults."),
) -> None:
    """List every parameter: name, value, unit, source."""
    library = load_library()
    values = load_with_sets(scenario, None).values if scenario else {k: s.value for k, s in library.items()}
    if format is Format.json:
        out = {}
        for name, spec in library.items():
            out[name] = {"value": values[name], "unit": spec.unit, "type": spec.type, "role": spec.role,
                         "min": spec.min, "max": spec.max, "low": spec.low, "high": spec.high,
                         "distribution": spec.distribution, "choices": list(spec.choices),
                         "dollar_year": spec.dollar_year, "source": spec.source}
        typer.echo(dumps(out))
        return
    tbl = Table(box=box.SIMPLE, show_lines=False)
    for col in ("name", "value", "unit", "role", "source"):
        tbl.add_column(col, overflow="fold")
    for name, spec in library.items():
        unit = spec.unit + (f" ({spec.dollar_year})" if spec.dollar_year else "")
        tbl.add_row(name, shown(values[name]), unit, spec.role, spec.source)
    console(width=200).print(tbl)


@app.command()
def metrics() -> None:
    """List the result names usable with --metric (explain, sensitivity, optimize)."""
    for name in metric_names():
        typer.echo(name)

