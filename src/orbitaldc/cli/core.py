"""Core commands: run, breakeven, presets, params, metrics."""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional

import numpy as np
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.output import dumps, number, usd
from orbitaldc.compare import breakeven as solve_breakeven
from orbitaldc.compare import evaluate, metric_names
from orbitaldc.formatting import breakeven_text
from orbitaldc.params import Scenario, list_presets, load_library, load_scenario, parse_assignment


class Format(str, Enum):
    table = "table"
    json = "json"


SCENARIO_HELP = "A preset name (see `orbitaldc presets`) or a scenario TOML file."
SET_HELP = "Override a parameter: KEY=VALUE, or KEY=[a,b,c] for an array. Repeatable."


def load_with_sets(source: str, sets: list[str] | None) -> Scenario:
    """Load a scenario and apply ``--set`` overrides (validated)."""
    overrides: dict[str, Any] = {}
    for item in sets or []:
        key, value = parse_assignment(item, "--set")
        overrides[key] = value
    scenario = load_scenario(source)
    return scenario.with_overrides(overrides, where="--set") if overrides else scenario


def _scalar(x) -> float:
    return float(np.asarray(x).ravel()[0])


def comparison_table(comparison, console: Console) -> None:
    """Side-by-side summary and cost breakdown of a point comparison."""
    o, t = comparison.orbital, comparison.terrestrial
    v = comparison.values
    title = comparison.scenario.title or comparison.scenario.name if comparison.scenario else "scenario"
    tbl = Table(title=title, box=box.SIMPLE_HEAVY, show_lines=False)
    tbl.add_column("", style="bold")
    tbl.add_column("Orbital", justify="right")
    tbl.add_column("Terrestrial", justify="right")
    P = _scalar(v["target_power_w"])
    tbl.add_row("IT power", number(P / 1e6, "MW"), number(P / 1e6, "MW"))
    tbl.add_row("Years", str(int(_scalar(v["analysis_years"]))), str(int(_scalar(v["analysis_years"]))))
    tbl.add_section()
    tbl.add_row("Hardware / capex", usd(_scalar(o.hardware_cost_usd)), usd(_scalar(t.capex_usd)))
    tbl.add_row("Launch", usd(_scalar(o.launch_cost_usd)), "")
    if _scalar(o.shielding_cost_usd):
        tbl.add_row("Shielding", usd(_scalar(o.shielding_cost_usd)), "")
    tbl.add_row("Operations", usd(_scalar(o.ops_cost_usd)), "")
    tbl.add_row("GPU replacement", usd(_scalar(o.replacement_cost_usd)), "")
    tbl.add_row("NRE", usd(_scalar(o.nre_cost_usd)), "")
    tbl.add_row("Energy (fuel / grid)", "", usd(_scalar(t.energy_cost_usd)))
    tbl.add_section()
    tbl.add_row("Total cost", usd(_scalar(o.total_cost_usd)), usd(_scalar(t.total_cost_usd)), style="bold")
    tbl.add_row("Cost per watt", f"${_scalar(o.cost_per_watt_usd):,.2f}/W", f"${_scalar(t.cost_per_watt_usd):,.2f}/W")
    tbl.add_row("LCOE (IT energy)", f"${_scalar(o.lcoe_usd_per_mwh):,.0f}/MWh", f"${_scalar(t.lcoe_usd_per_mwh):,.0f}/MWh")
    tbl.add_row("LCOC", f"${_scalar(o.lcoc_usd_per_gpu_hour):,.3f}/GPU-h", f"${_scalar(t.lcoc_usd_per_gpu_hour):,.3f}/GPU-h")
    if np.isfinite(_scalar(o.npv_usd)):
        tbl.add_row("NPV at compute price", usd(_scalar(o.npv_usd)), usd(_scalar(t.npv_usd)))
        tbl.add_row("IRR", number(100 * _scalar(o.irr_per_yr), "%/yr"), number(100 * _scalar(t.irr_per_yr), "%/yr"))
        tbl.add_row("Payback", number(_scalar(o.payback_years), "yr"), number(_scalar(t.payback_years), "yr"))
    tbl.add_section()
    tbl.add_row("Mass to orbit", number(_scalar(o.mass_to_orbit_kg), "kg"), "")
    tbl.add_row("Specific mass", number(_scalar(o.specific_mass_kg_per_kw), "kg/kW"), "")
    tbl.add_row("Satellites", number(_scalar(o.satellite_count)), "")
    tbl.add_row("Launches", f"{_scalar(o.launch_count):,.0f} ({number(_scalar(o.deployment_years), 'yr')} to deploy)", "")
    tbl.add_row("Water", "0", f"{_scalar(t.water_l) / 1e9:,.3f} Mt")
    tbl.add_row("CO2", "0 (in operation)", f"{_scalar(t.co2_kg) / 1e9:,.2f} Mt")
    console.print(tbl)
    ratio = _scalar(comparison.cost_ratio)
    verdict = "more" if ratio > 1 else "less"
    console.print(f"Orbit costs [bold]{ratio:.2f}x[/bold] the terrestrial total ({verdict} expensive); "
                  f"LCOC ratio {_scalar(comparison.lcoc_ratio):.2f}x.")
    design = o.design
    if design is not None:
        mb = Table(title="Mass budget (whole fleet)", box=box.SIMPLE)
        mb.add_column("Subsystem")
        mb.add_column("Mass", justify="right")
        mb.add_column("kg/kW (IT)", justify="right")
        mb.add_column("Area", justify="right")
        for name in design.SUBSYSTEMS:
            part = design.subsystem(name)
            area = _scalar(part.area_m2)
            mb.add_row(name, number(_scalar(part.mass_kg), "kg"), number(_scalar(design.kg_per_kw(name))),
                       number(area, "m2") if area else "")
        mb.add_row("total", number(_scalar(design.total_mass_kg), "kg"), number(_scalar(design.kg_per_kw("total"))),
                   number(_scalar(design.array.area_m2) + _scalar(design.radiator.area_m2), "m2"), style="bold")
        console.print(mb)


@app.command()
def run(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
) -> None:
    """Compare the orbital and terrestrial data center of a scenario."""
    sc = load_with_sets(scenario, set_)
    comparison = evaluate(sc)
    if format is Format.json:
        typer.echo(dumps(comparison.to_dict()))
        return
    console = Console()
    if sc.shape:
        _array_table(comparison, console)
    else:
        comparison_table(comparison, console)


def _array_table(comparison, console: Console) -> None:
    """One row per scenario when parameters are arrays."""
    sc = comparison.scenario
    arrays = {k: v for k, v in sc.values.items() if isinstance(v, np.ndarray)}
    shape = sc.shape
    tbl = Table(title=f"{sc.name}: {int(np.prod(shape))} scenarios", box=box.SIMPLE_HEAVY)
    for k in arrays:
        tbl.add_column(k, justify="right")
    for col in ("orbital total", "terrestrial total", "ratio", "orbital LCOE $/MWh"):
        tbl.add_column(col, justify="right")
    flat = {k: np.broadcast_to(v, shape).ravel() for k, v in arrays.items()}
    ot = np.broadcast_to(comparison.orbital.total_cost_usd, shape).ravel()
    tt = np.broadcast_to(comparison.terrestrial.total_cost_usd, shape).ravel()
    lc = np.broadcast_to(comparison.orbital.lcoe_usd_per_mwh, shape).ravel()
    n = ot.size
    rows = range(n) if n <= 200 else list(range(100)) + list(range(n - 100, n))
    for i in rows:
        tbl.add_row(*[f"{flat[k][i]:g}" for k in arrays], usd(ot[i]), usd(tt[i]), f"{ot[i] / tt[i]:.3f}", f"{lc[i]:,.0f}")
    console.print(tbl)
    if n > 200:
        console.print(f"(showing 200 of {n} rows; use --format json for all)")


@app.command()
def breakeven(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    param: str = typer.Option("launch_cost_usd_per_kg", "--param", "-p", help="Parameter to solve for."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    low: Optional[float] = typer.Option(None, help="Lower end of the search range (default: the parameter's allowed minimum)."),
    high: Optional[float] = typer.Option(None, help="Upper end of the search range (default: allowed maximum)."),
    format: Format = typer.Option(Format.table, "--format", "-f"),
) -> None:
    """Solve one parameter so that orbital total cost equals terrestrial (full model)."""
    sc = load_with_sets(scenario, set_)
    result = solve_breakeven(sc, param, low=low, high=high)
    if format is Format.json:
        typer.echo(dumps({**result.to_dict(), "text": breakeven_text(result)}))
        return
    console = Console()
    if result.value is None:
        console.print(f"[bold]No break-even[/bold] for {param}: {breakeven_text(result)}")
    else:
        console.print(f"Break-even {param} = [bold]{result.value:,.6g} {result.unit}[/bold]")
        console.print(breakeven_text(result))


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
    Console().print(tbl)


@app.command()
def params(
    format: Format = typer.Option(Format.table, "--format", "-f"),
    scenario: Optional[str] = typer.Option(None, "--scenario", help="Show this scenario's values instead of library defaults."),
) -> None:
    """List every parameter: name, value, unit, source."""
    library = load_library()
    values = load_scenario(scenario).values if scenario else {k: s.value for k, s in library.items()}
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
        val = values[name]
        shown = "-" if val is None else (f"{val:g}" if isinstance(val, (int, float)) else str(val))
        unit = spec.unit + (f" ({spec.dollar_year})" if spec.dollar_year else "")
        tbl.add_row(name, shown, unit, spec.role, spec.source)
    Console(width=200).print(tbl)


@app.command()
def metrics() -> None:
    """List the result names usable with --metric (explain, sensitivity, optimize)."""
    for name in metric_names():
        typer.echo(name)
