"""Uncertainty commands: montecarlo, sensitivity, sweep, trajectory."""

from __future__ import annotations

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
from orbitaldc.formatting import metric, usd

#: Memory one Monte Carlo chunk may take [bytes]; ``--chunk-size`` above what fits is refused.
CHUNK_MEMORY_BYTES = 2**30
#: Samples of the small run that measures a scenario's memory per sample (:func:`chunk_limit`).
PROBE_SAMPLES = 4096


def chunk_limit(scenario, params) -> tuple[int, float]:
    """Largest Monte Carlo chunk of this scenario that fits :data:`CHUNK_MEMORY_BYTES`.

    The memory per sample is measured (``tracemalloc`` peak over a run of :data:`PROBE_SAMPLES`
    samples, fixed overheads included, so the estimate errs high): it ranges from about 1 kB for
    the specific-power mass model to about 15 kB for the bottom-up sizing.

    Parameters
    ----------
    scenario : Scenario
        The scenario sampled.
    params : list of str or None
        The parameters sampled (None: every uncertain one).

    Returns
    -------
    (int, float)
        The largest chunk [samples] and the measured memory per sample [bytes].
    """
    import tracemalloc

    from orbitaldc.uncertainty import monte_carlo

    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    try:
        monte_carlo(scenario, PROBE_SAMPLES, 0, chunk_size=PROBE_SAMPLES, params=params, progress=False)
        per_sample = max(1.0, (tracemalloc.get_traced_memory()[1] - base) / PROBE_SAMPLES)
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return int(CHUNK_MEMORY_BYTES // per_sample), per_sample


def _chunk_size(text: str, scenario, params) -> int:
    """``--chunk-size``, refused above what fits :data:`CHUNK_MEMORY_BYTES` for this scenario."""
    from orbitaldc.uncertainty import DEFAULT_CHUNK

    size = _count(text, "--chunk-size", maximum=1e7)
    if size <= DEFAULT_CHUNK:  # the default fits any model (about 0.5 GB at the bottom-up sizing's 15 kB)
        return size
    limit, per_sample = chunk_limit(scenario, params)
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
    con.print(styled("Probability orbit is cheaper: ", (f"{result.probability_orbital_cheaper:.2%}", "bold"),
                     f" (total cost), {result.probability_orbital_cheaper_lcoc:.2%} (LCOC)"))
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


@app.command()
def trajectory(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    start: Optional[int] = typer.Option(None, "--start", help="First year (default: trajectory_start_year)."),
    end: Optional[int] = typer.Option(None, "--end", help="Last year (default: trajectory_end_year)."),
    samples: str = typer.Option("2000", "--samples", "-n", help="Monte Carlo samples for the band (0: none)."),
    seed: int = typer.Option(0, "--seed", **SEED),
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
    con = console()
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
    con.print(tbl)
    first = result.first_parity_year
    con.print(styled("First parity year: ", (str(first) if first is not None else f"none by {result.years[-1]}", "bold")))
    if result.samples:
        pct = {k: (v if v is not None else f"after {result.years[-1]}") for k, v in result.parity_year_percentiles.items()}
        con.print(f"Parity year over {result.samples:,} samples: P5 {pct['p5']}, P50 {pct['p50']}, P95 {pct['p95']}; "
                      f"{result.probability_parity_by_end:.1%} reach parity by {result.years[-1]}")
