"""The ``simulate`` command: time-stepped constellation simulation beside the averaged model."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from orbitaldc.cli import app
from orbitaldc.cli.common import (SCENARIO_HELP, SEED, SET_HELP, Format, console, grouped_table, load_with_sets,
                                  output_file, output_folder, styled)
from orbitaldc.cli.output import dumps
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import file_stem, simulation_rows

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")


def start_overrides(text: str) -> dict:
    """``mission_start_year`` and ``sim_start_day`` for an ISO date ``YYYY-MM-DD[THH:MM[:SS]]`` (UTC).

    Parameters
    ----------
    text : str
        The ``--start`` option's text.

    Returns
    -------
    dict
        ``{"mission_start_year": int, "sim_start_day": float}`` (day of the year from 0 [days]).
    """
    import numpy as np

    if not _DATE.match(text.strip()):
        raise OrbitaldcError(f"--start = {text!r}: expected a date YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC)")
    try:
        stamp = np.datetime64(text.strip().replace(" ", "T"), "s")
    except ValueError:
        raise OrbitaldcError(f"--start = {text!r}: not a valid calendar date") from None
    year = int(str(stamp)[:4])
    day = (stamp - np.datetime64(f"{year:04d}-01-01T00:00:00", "s")) / np.timedelta64(1, "D")
    return {"mission_start_year": year, "sim_start_day": float(day)}


def _write_summary(summary: dict, path: Path) -> None:
    tmp = path.with_suffix(".json.tmp")
    try:
        tmp.write_text(dumps(summary) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise OrbitaldcError(f"--out {str(path.parent)!r}: cannot write {path.name} ({exc.strerror or exc})") from None


def _table(summary: dict, out_dir: Path, con: Console) -> None:
    r = summary["run"]
    con.print(styled((str(r["scenario"]), "bold"),
                     f": {r['satellites_simulated']} of {r['satellites_constellation']:,.0f} satellites "
                     f"({r['layout']}, {r['propagator']}), {r['days']:g} days at {r['step_s']:g} s, seed {r['seed']}"))
    con.print(grouped_table(simulation_rows(summary), ("Averaged model", "Simulated"), bold="LCOC"))
    con.print(f"series: {out_dir / 'series'} ({r['parts']} Parquet parts); summary: {out_dir / 'summary.json'}")


@app.command()
def simulate(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    days: Optional[float] = typer.Option(None, "--days", help="Simulated duration [days] (sim_days)."),
    step_s: Optional[float] = typer.Option(None, "--step-s", help="Time step [s] (sim_step_s)."),
    satellites: Optional[int] = typer.Option(None, "--satellites", help="Satellites simulated (sim_satellites)."),
    seed: int = typer.Option(0, "--seed", **SEED, help="Seed of every random stream; equal seeds give identical results."),
    out: Optional[str] = typer.Option(None, "--out", help="Output folder (default: simulation-SCENARIO)."),
    tle: Optional[Path] = typer.Option(None, "--tle", help="Two-line element file for the sample (SGP4)."),
    start: Optional[str] = typer.Option(None, "--start", help="Start date, UTC, YYYY-MM-DD[THH:MM] (sets mission_start_year and sim_start_day)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: on a terminal)."),
    plot: bool = typer.Option(True, "--plot/--no-plot", help="Write series.png (matplotlib) beside the series."),
) -> None:
    """Simulate the constellation in time (orbits, eclipses, power, heat, faults, links) and set
    its delivered compute beside the averaged model's, LCOC included."""
    from orbitaldc.simulate import simulate as run_simulation

    extra = {option: {key: value} for option, key, value in (
        ("--days", "sim_days", days), ("--step-s", "sim_step_s", step_s), ("--satellites", "sim_satellites", satellites))
        if value is not None}
    if start is not None:
        extra["--start"] = start_overrides(start)
    sc = load_with_sets(scenario, set_, extra)
    out_dir = output_folder(out if out is not None else Path(f"simulation-{file_stem(sc.name)}"), "--out")
    if plot:
        output_file(out_dir / "series.png", "--out")
    show = sys.stderr.isatty() if progress is None else progress
    result = run_simulation(sc, seed=seed, out_dir=out_dir, progress=show, tle_path=tle)
    _write_summary(result.summary, out_dir / "summary.json")
    if plot:
        from orbitaldc.simulate.plots import plot_series

        plot_series(out_dir / "series", out_dir / "series.png", title=sc.name)
    if format == Format.json:
        typer.echo(dumps(result.summary))
    else:
        _table(result.summary, out_dir, console())
