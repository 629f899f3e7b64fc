"""Uncertainty commands: montecarlo, sensitivity, sweep, trajectory."""

from __future__ import annotations

import math

from collections import Counter
from enum import Enum
from typing import Optional

import typer
from rich import box
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.common import SCENARIO_HELP, SEED, SET_HELP, Format, console, load_with_sets, styled
from orbitaldc.cli.common import count as _count
from orbitaldc.cli.output import dumps
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import learning_text, metric, percent, ratio, usd

def _chunk_size(text: str, scenario, params) -> int:
    """``--chunk-size``, refused above what fits :data:`orbitaldc.sampling.CHUNK_MEMORY_BYTES` for this scenario."""
    from orbitaldc.sampling import CHUNK_MEMORY_BYTES, chunk_limit, define_problem
    from orbitaldc.uncertainty import DEFAULT_CHUNK, DEFAULT_METRICS

    size = _count(text, "--chunk-size", maximum=1e7)
    if size <= DEFAULT_CHUNK:  # the default fits any model (about 0.5 GB at the bottom-up sizing's 15 kB)
        return size
    problem = define_problem(scenario, DEFAULT_METRICS, params=params, what="montecarlo")
    limit, per_sample = chunk_limit(problem, DEFAULT_METRICS)
    if size > limit:
        raise OrbitaldcError(
            f"--chunk-size = {size:,}: this scenario takes about {per_sample / 1e3:,.1f} kB per sample (measured), "
            f"{size * per_sample / 1e9:,.1f} GB per chunk; at most {limit:,} samples keep a chunk within "
            f"{CHUNK_MEMORY_BYTES / 2**30:g} GiB")
    return size


@app.command()
def montecarlo(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    samples: str = typer.Option("100000", "--samples", "-n", help="Number of samples (e.g. 1000000 or 1e6)."),
    seed: Optional[int] = typer.Option(None, "--seed", **SEED, help="Seed of the random generator (default: fresh, reported)."),
    chunk_size: str = typer.Option("32768", "--chunk-size", help="Samples per vectorized evaluation (memory bound)."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Sample only this parameter (repeatable)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."),
) -> None:
    """Monte Carlo around the scenario (its stated uncertainty, else the library's re-centred on its values)."""
    from orbitaldc.uncertainty import monte_carlo

    n = _count(samples, "--samples")
    sc = load_with_sets(scenario, set_)
    chunk = _chunk_size(chunk_size, sc, param or None)
    result = monte_carlo(sc, n, seed, chunk_size=chunk, params=param or None, progress=progress)
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    con = console()
    tbl = Table(title=f"{sc.name}: {n:,} samples (seed {result.seed})", box=box.SIMPLE_HEAVY)
    for col in ("metric", "P5", "P50", "P95"):
        tbl.add_column(col, justify="left" if col == "metric" else "right")
    for name, p in result.percentiles.items():
        tbl.add_row(name, *(metric(name, p[k]) for k in ("p5", "p50", "p95")))
    con.print(tbl)
    # an infinite percentile Pq of a cost per unit delivered: at least 100 - q % of the samples deliver nothing
    infinite = {f"{k.upper()} of {name}": 100.0 - float(k[1:]) for name, p in result.percentiles.items()
                for k in ("p5", "p50", "p95") if p[k] == math.inf}
    if infinite:
        con.print(f"n/a above is infinite ({', '.join(infinite)}): at least {max(infinite.values()):g} % of the "
                  "samples deliver nothing, so their cost per unit delivered has no finite value (JSON: null)")
    con.print(styled("Probability orbit is cheaper: ", (percent(result.probability_orbital_cheaper), "bold"),
                     f" on {result.probability_metric} (the headline, cost per delivered GPU-hour); "
                     f"{percent(result.probability_orbital_cheaper_total_cost)} on the undiscounted total cost"))
    sources = Counter(p["source"] for p in result.parameters.values())
    con.print(f"Sampled {len(result.parameters)} inputs ("
              + ", ".join(f"{k} from {src}" for src, k in sources.items())
              + f"); {len(result.not_sampled)} held at the scenario value (--format json says why)")


class Method(str, Enum):
    tornado = "tornado"
    sobol = "sobol"


@app.command()
def sensitivity(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    method: Method = typer.Option(Method.tornado, "--method", "-m", help="tornado (one at a time) or sobol (SALib)."),
    metric: str = typer.Option("cost_ratio", "--metric", help="Result to analyse (see `orbitaldc metrics`)."),
    samples: str = typer.Option("4096", "--samples", "-n", help="Sobol base sample size N (N x (k+2) evaluations)."),
    seed: int = typer.Option(0, "--seed", **SEED, help="Seed of the Sobol design and bootstrap."),
    param: Optional[list[str]] = typer.Option(None, "--param", "-p", help="Only this parameter (repeatable)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Which assumption decides it: tornado (low/high from the library) or Sobol indices."""
    from orbitaldc.uncertainty import sobol, tornado

    sc = load_with_sets(scenario, set_)
    con = console()
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
        con.print(tbl)
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
    con.print(tbl)


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


class TrajectoryMetric(str, Enum):
    lcoc_ratio = "lcoc_ratio"
    cost_ratio = "cost_ratio"


@app.command()
def trajectory(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default: trajectory_start_year)."),
    end: Optional[int] = typer.Option(None, "--end", help="Last year (default: trajectory_end_year)."),
    samples: str = typer.Option("2000", "--samples", "-n", help="Monte Carlo samples for the band (0: none)."),
    metric_: TrajectoryMetric = typer.Option(TrajectoryMetric.lcoc_ratio, "--metric", "-m",
                                             help="Ratio followed to parity: lcoc_ratio (cost per delivered GPU-hour, "
                                                  "discounted: the headline) or cost_ratio (undiscounted totals)."),
    seed: int = typer.Option(0, "--seed", **SEED),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Year by year: launch price on Wright's law (fitted), stated trends, first parity year and its band."""
    from orbitaldc.trajectory import trajectory as run_trajectory

    sc = load_with_sets(scenario, set_)
    result = run_trajectory(sc, start, end, samples=_count(samples, "--samples", minimum=0, maximum=1e6), seed=seed,
                            metric=metric_.value)
    if format is Format.json:
        typer.echo(dumps({**result.to_dict(), "learning_text": learning_text(result.learning)}))
        return
    con = console()
    tbl = Table(title=f"{sc.name}: trajectory {result.years[0]}-{result.years[-1]} on {result.metric}",
                box=box.SIMPLE_HEAVY)
    cols = ["year", "launch $/kg", "orbital total", "terrestrial total", result.metric]
    if result.metric != "cost_ratio":
        cols.append("cost_ratio")
    if result.samples:
        cols += ["P5", "P50", "P95", "P(orbit cheaper)"]
    for col in cols:
        tbl.add_column(col, justify="right")
    for i, year in enumerate(result.years):
        row = [str(year), f"{result.launch_cost_usd_per_kg[i]:,.0f}", usd(result.orbital_total_cost_usd[i]),
               usd(result.terrestrial_total_cost_usd[i]), ratio(result.ratio[i])]
        if result.metric != "cost_ratio":
            row.append(ratio(result.cost_ratio[i]))
        if result.samples:
            row += [ratio(result.band[k][i]) for k in ("p5", "p50", "p95")]
            row.append(percent(result.probability_orbital_cheaper[i], 1))
        tbl.add_row(*row)
    con.print(tbl)
    first = result.first_parity_year
    con.print(styled(f"First parity year on {result.metric}: ",
                     (str(first) if first is not None else f"none by {result.years[-1]}", "bold")))
    if result.samples:
        pct = {k: (v if v is not None else f"after {result.years[-1]}") for k, v in result.parity_year_percentiles.items()}
        con.print(f"Parity year over {result.samples:,} samples: P5 {pct['p5']}, P50 {pct['p50']}, P95 {pct['p95']}; "
                  f"{result.probability_parity_by_end:.1%} reach parity by {result.years[-1]}")
    con.print(learning_text(result.learning))
