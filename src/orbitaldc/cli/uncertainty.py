"""Uncertainty commands: montecarlo, sensitivity, sweep, trajectory."""

from __future__ import annotations

import math
from enum import Enum
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.core import SCENARIO_HELP, SET_HELP, Format, load_with_sets
from orbitaldc.cli.output import dumps, number, usd
from orbitaldc.errors import OrbitaldcError


def _count(text: str, what: str, minimum: int = 1, maximum: float = 1e10) -> int:
    """Parse a count given as 1000000, 1e6 or 1_000_000."""
    try:
        x = float(text.replace("_", ""))
    except ValueError:
        raise OrbitaldcError(f"{what} = {text!r}: expected a whole number (e.g. 100000 or 1e6)") from None
    if not math.isfinite(x) or x != round(x) or not minimum <= x <= maximum:
        raise OrbitaldcError(f"{what} = {text!r}: expected a whole number in [{minimum}, {maximum:g}]")
    return int(x)


def _fmt_metric(name: str, x: float) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    if name.endswith("total_cost_usd"):
        return usd(x)
    if name.endswith("cost_per_watt_usd"):
        return f"${x:,.2f}/W"
    if name.endswith("_per_mwh"):
        return f"${x:,.0f}/MWh"
    if name.endswith("_per_gpu_hour"):
        return f"${x:,.3f}/GPU-h"
    return number(x)


@app.command()
def montecarlo(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    samples: str = typer.Option("100000", "--samples", "-n", help="Number of samples (e.g. 1000000 or 1e6)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the random generator (default: fresh, reported)."),
    chunk_size: str = typer.Option("32768", "--chunk-size", help="Samples per vectorized evaluation (memory bound)."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Sample only this parameter (repeatable)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."),
) -> None:
    """Monte Carlo over the parameter library's distributions: P5/P50/P95 and P(orbit cheaper)."""
    from orbitaldc.uncertainty import monte_carlo

    sc = load_with_sets(scenario, set_)
    n = _count(samples, "--samples")
    result = monte_carlo(sc, n, seed, chunk_size=_count(chunk_size, "--chunk-size", maximum=1e7),
                         params=param or None, progress=progress)
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    console = Console()
    tbl = Table(title=f"{sc.name}: {n:,} samples (seed {result.seed})", box=box.SIMPLE_HEAVY)
    for col in ("metric", "P5", "P50", "P95"):
        tbl.add_column(col, justify="left" if col == "metric" else "right")
    for name, p in result.percentiles.items():
        tbl.add_row(name, *(_fmt_metric(name, p[k]) for k in ("p5", "p50", "p95")))
    console.print(tbl)
    console.print(f"Probability orbit is cheaper: [bold]{result.probability_orbital_cheaper:.2%}[/bold] "
                  f"(total cost), {result.probability_orbital_cheaper_lcoc:.2%} (LCOC)")


class Method(str, Enum):
    tornado = "tornado"
    sobol = "sobol"


@app.command()
def sensitivity(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    method: Method = typer.Option(Method.tornado, "--method", "-m", help="tornado (one at a time) or sobol (SALib)."),
    metric: str = typer.Option("cost_ratio", "--metric", help="Result to analyse (see `orbitaldc metrics`)."),
    samples: str = typer.Option("4096", "--samples", "-n", help="Sobol base sample size N (N x (k+2) evaluations)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the Sobol design and bootstrap."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Only this parameter (repeatable)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Which assumption decides it: tornado (low/high from the library) or Sobol indices."""
    from orbitaldc.uncertainty import sobol, tornado

    sc = load_with_sets(scenario, set_)
    console = Console()
    if method is Method.tornado:
        result = tornado(sc, metric, params=param or None)
        if format is Format.json:
            typer.echo(dumps(result.to_dict()))
            return
        tbl = Table(title=f"{sc.name}: tornado of {metric} (base {result.base:.4g})", box=box.SIMPLE_HEAVY)
        for col in ("parameter", "low", "high", "at low", "at high", "swing"):
            tbl.add_column(col, justify="left" if col == "parameter" else "right")
        for b in result.bars:
            tbl.add_row(b.parameter, f"{b.low:.4g}", f"{b.high:.4g}", f"{b.metric_at_low:.4g}",
                        f"{b.metric_at_high:.4g}", f"{b.swing:.4g}")
        console.print(tbl)
        return
    result = sobol(sc, metric, n=_count(samples, "--samples", minimum=2, maximum=1e6), seed=seed, params=param or None)
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    tbl = Table(title=f"{sc.name}: Sobol indices of {metric} ({result.evaluations:,} evaluations)", box=box.SIMPLE_HEAVY)
    for col in ("parameter", "first order S1", "total order ST"):
        tbl.add_column(col, justify="left" if col == "parameter" else "right")
    for name, ix in result.indices.items():
        tbl.add_row(name, f"{ix['S1']:.3f} ± {ix['S1_conf']:.3f}", f"{ix['ST']:.3f} ± {ix['ST_conf']:.3f}")
    console.print(tbl)


@app.command()
def sweep(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    grid: Optional[list[str]] = typer.Option(None, "--grid", "-g", help="Axis NAME=START:STOP:STEP or NAME=a,b,c (repeatable; Cartesian product)."),
    out: str = typer.Option(..., "--out", "-o", help="Output folder for Parquet parts (resumed if it holds the same sweep)."),
    metric: Optional[list[str]] = typer.Option(None, "--metric", help="Result column (repeatable; default: costs, LCOE, LCOC, ratios)."),
    chunk_rows: str = typer.Option("100000", "--chunk-rows", help="Rows per chunk and Parquet part."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", help="Local worker processes (default: CPU count)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask distributed scheduler, e.g. tcp://HOST:8786."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Discard a different sweep found in --out (never one another process is writing)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."),
) -> None:
    """Sweep a grid of parameters in chunks (local processes or Dask); verified Parquet parts, resumable."""
    from orbitaldc.sweep import SweepError, run_sweep

    sc = load_with_sets(scenario, set_)
    try:
        result = run_sweep(sc, grid or [], out, metrics=metric or None,
                           chunk_rows=_count(chunk_rows, "--chunk-rows", maximum=1e7), workers=workers,
                           scheduler=scheduler, progress=progress, overwrite=overwrite)
    except SweepError as exc:  # the library names its arguments; name our flags instead
        raise OrbitaldcError(exc.with_flag(_SWEEP_FLAGS)) from None
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    why = ", ".join(f"{n} {reason}" for reason, n in result.recomputed.items())
    typer.echo(f"{result.rows:,} rows in {result.chunks} Parquet parts in {result.out} "
               f"({result.computed_chunks} computed, {result.skipped_chunks} already present and verified"
               f"{f'; parts not trusted, deleted and recomputed: {why}' if why else ''}; {result.executor})")


_SWEEP_FLAGS = {"grid": "--grid", "out": "--out", "metrics": "--metric", "chunk_rows": "--chunk-rows",
                "workers": "--workers", "scheduler": "--scheduler"}


@app.command()
def trajectory(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default: trajectory_start_year)."),
    end: Optional[int] = typer.Option(None, "--end", help="Last year (default: trajectory_end_year)."),
    samples: str = typer.Option("2000", "--samples", "-n", help="Monte Carlo samples for the band (0: none)."),
    seed: int = typer.Option(0, "--seed"),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Year by year: launch price on Wright's law, stated trends, first parity year and its band."""
    from orbitaldc.trajectory import trajectory as run_trajectory

    sc = load_with_sets(scenario, set_)
    result = run_trajectory(sc, start, end, samples=_count(samples, "--samples", minimum=0, maximum=1e6), seed=seed)
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    console = Console()
    tbl = Table(title=f"{sc.name}: trajectory {result.years[0]}-{result.years[-1]}", box=box.SIMPLE_HEAVY)
    cols = ["year", "launch $/kg", "orbital total", "terrestrial total", "ratio"]
    if result.samples:
        cols += ["ratio P5", "ratio P50", "ratio P95", "P(orbit cheaper)"]
    for col in cols:
        tbl.add_column(col, justify="right")
    for i, year in enumerate(result.years):
        row = [str(year), f"{result.launch_cost_usd_per_kg[i]:,.0f}", usd(result.orbital_total_cost_usd[i]),
               usd(result.terrestrial_total_cost_usd[i]), f"{result.cost_ratio[i]:.3f}"]
        if result.samples:
            row += [f"{result.band[k][i]:.3f}" for k in ("p5", "p50", "p95")]
            row.append(f"{result.probability_orbital_cheaper[i]:.1%}")
        tbl.add_row(*row)
    console.print(tbl)
    first = result.first_parity_year
    console.print(f"First parity year: [bold]{first if first is not None else 'none by ' + str(result.years[-1])}[/bold]")
    if result.samples:
        pct = {k: (v if v is not None else f"after {result.years[-1]}") for k, v in result.parity_year_percentiles.items()}
        console.print(f"Parity year over {result.samples:,} samples: P5 {pct['p5']}, P50 {pct['p50']}, P95 {pct['p95']}; "
                      f"{result.probability_parity_by_end:.1%} reach parity by {result.years[-1]}")
