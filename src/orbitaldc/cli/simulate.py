"""The ``simulate`` command: time-stepped constellation simulation beside the averaged model."""

from __future__ import annotations

import math
import os
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.core import SCENARIO_HELP, SET_HELP, Format, load_with_sets
from orbitaldc.cli.output import dumps, number
from orbitaldc.errors import OrbitaldcError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?$")


def start_overrides(text: str) -> dict:
    """``mission_start_year`` and ``sim_start_day`` for an ISO date ``YYYY-MM-DD[THH:MM[:SS]]`` (UTC)."""
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
    tmp.write_text(dumps(summary) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _fmt(x, unit="", pct=False) -> str:
    if x is None or not math.isfinite(x):
        return "n/a"
    return f"{100 * x:.2f} %" if pct else number(x, unit)


def _money(x, unit: str, digits: int) -> str:
    return f"${x:,.{digits}f}/{unit}" if x is not None and math.isfinite(x) else "n/a"


def _table(summary: dict, out_dir: Path, console: Console) -> None:
    r, s, a, lc, loss = summary["run"], summary["simulated"], summary["averaged"], summary["lcoc"], summary["losses_wh"]
    console.print(f"[bold]{r['scenario']}[/bold]: {r['satellites_simulated']} of {r['satellites_constellation']:,.0f} "
                  f"satellites ({r['layout']}, {r['propagator']}), {r['days']:g} days at {r['step_s']:g} s, seed {r['seed']}")
    tbl = Table(box=box.SIMPLE_HEAVY)
    tbl.add_column("", style="bold")
    tbl.add_column("Averaged model", justify="right")
    tbl.add_column("Simulated", justify="right")
    tbl.add_row("Sun fraction", _fmt(a["sun_fraction"], pct=True), _fmt(s["sunlit_fraction"], pct=True))
    tbl.add_row("Availability (of nominal compute)", _fmt(a["availability"], pct=True), _fmt(s["availability"], pct=True))
    tbl.add_row("Delivered GPU-hours (window)", _fmt(a["delivered_gpu_hours"]), _fmt(s["delivered_gpu_hours"]))
    tbl.add_row("Results delivered", "assumed 100 %", _fmt(s["results_delivered_fraction"], pct=True))
    tbl.add_section()
    tbl.add_row("Mission GPU-hours", _fmt(lc["averaged_mission_gpu_hours"]), _fmt(lc["simulated_mission_gpu_hours"]))
    tbl.add_row("LCOE (IT energy)", _money(lc["averaged_lcoe_usd_per_mwh"], "MWh", 0),
                _money(lc["simulated_lcoe_usd_per_mwh"], "MWh", 0))
    tbl.add_row("LCOC", _money(lc["averaged_usd_per_gpu_hour"], "GPU-h", 3), _money(lc["simulated_usd_per_gpu_hour"], "GPU-h", 3),
                style="bold")
    tbl.add_row("LCOC terrestrial", _money(lc["terrestrial_usd_per_gpu_hour"], "GPU-h", 3), "")
    tbl.add_section()
    tbl.add_row("Energy shortfall", "", _fmt(loss["energy_shortfall"] / 1e6, "MWh"))
    tbl.add_row("Thermal throttling", "", _fmt(loss["thermal_throttle"] / 1e6, "MWh"))
    tbl.add_row("Restarts / checkpoints", "", f"{_fmt(loss['restarts'] / 1e6, 'MWh')} / {_fmt(loss['checkpoints'] / 1e6, 'MWh')}")
    tbl.add_row("Data delivered", "", _fmt(s["data_delivered_bytes"] / 1e12, "TB"))
    tbl.add_row("Max die temperature", "", _fmt(s["max_die_temperature_k"], "K"))
    console.print(tbl)
    console.print(f"series: {out_dir / 'series'} ({r['parts']} Parquet parts); summary: {out_dir / 'summary.json'}")


@app.command()
def simulate(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    days: Optional[float] = typer.Option(None, "--days", help="Simulated duration [days] (sim_days)."),
    step_s: Optional[float] = typer.Option(None, "--step-s", help="Time step [s] (sim_step_s)."),
    satellites: Optional[int] = typer.Option(None, "--satellites", help="Satellites simulated (sim_satellites)."),
    seed: int = typer.Option(0, "--seed", help="Seed of every random stream; equal seeds give identical results."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default: simulation-SCENARIO)."),
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

    if seed < 0:
        raise OrbitaldcError(f"--seed = {seed}: expected a whole number >= 0")
    sc = load_with_sets(scenario, set_)
    for option, key, value in (("--days", "sim_days", days), ("--step-s", "sim_step_s", step_s),
                               ("--satellites", "sim_satellites", satellites)):
        if value is not None:
            sc = sc.with_overrides({key: value}, where=option)
    if start is not None:
        sc = sc.with_overrides(start_overrides(start), where="--start")
    out_dir = out if out is not None else Path(f"simulation-{sc.name}")
    if out_dir.exists() and not out_dir.is_dir():
        raise OrbitaldcError(f"--out = {str(out_dir)!r}: exists and is not a folder")
    show = sys.stderr.isatty() if progress is None else progress
    result = run_simulation(sc, seed=seed, out_dir=out_dir, progress=show, tle_path=tle)
    _write_summary(result.summary, out_dir / "summary.json")
    if plot:
        from orbitaldc.simulate.plots import plot_series

        plot_series(out_dir / "series", out_dir / "series.png", title=sc.name)
    if format == Format.json:
        typer.echo(dumps(result.summary))
    else:
        _table(result.summary, out_dir, Console())
