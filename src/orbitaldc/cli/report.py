"""Report commands: report (HTML), explain (why two scenarios differ), check (a publication's claims)."""

from __future__ import annotations

from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.core import SCENARIO_HELP, SET_HELP, Format, load_with_sets
from orbitaldc.cli.output import dumps

METRIC_HELP = "Metric to explain (see `orbitaldc metrics`)."


@app.command()
def report(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="HTML file to write (default reports/<scenario>.html)."),
    montecarlo: int = typer.Option(0, "--montecarlo", "-n", help="Add a Monte Carlo histogram and tornado with N samples."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the Monte Carlo (default: fresh, reported), "
                                                            "the Pareto search and the simulation (default 0)."),
    compare: Optional[str] = typer.Option(None, "--compare", help="Add a waterfall explaining how this other scenario differs."),
    normalize: bool = typer.Option(False, "--normalize", help="With --compare: scale it to this scenario's power and years."),
    metric: str = typer.Option("orbital.total_cost_usd", "--metric", "-m", help=METRIC_HELP),
    pareto: Optional[str] = typer.Option(None, "--pareto", help="Add the Pareto front of two or three objectives "
                                                                "A,B[,C] (see `orbitaldc optimize --pareto`)."),
    simulate: Optional[float] = typer.Option(None, "--simulate", help="Add a simulation of the constellation over "
                                                                      "DAYS (see `orbitaldc simulate`)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
) -> None:
    """Write a self-contained HTML report (works offline) and print its path."""
    from orbitaldc.report import write_report

    sc = load_with_sets(scenario, set_)
    other = load_with_sets(compare, None) if compare else None
    path = write_report(sc, out, montecarlo=montecarlo, seed=seed, compare=other, normalize=normalize, metric=metric,
                        pareto=pareto, simulate_days=simulate)
    typer.echo(str(path))


@app.command()
def explain(
    a: str = typer.Argument(..., help="Scenario A (preset or TOML file)."),
    b: str = typer.Argument(..., help="Scenario B (preset or TOML file)."),
    metric: str = typer.Option("orbital.total_cost_usd", "--metric", "-m", help=METRIC_HELP),
    normalize: bool = typer.Option(False, "--normalize", help="Scale B to A's target power and analysis years first."),
    plot: Optional[str] = typer.Option(None, "--plot", help="Also write the waterfall chart to this .png or .svg file."),
    permutations: int = typer.Option(2000, "--permutations", help="Orders sampled when more than --exact-limit parameters matter."),
    exact_limit: int = typer.Option(16, "--exact-limit", help="Exact Shapley values up to this many parameters (max 20)."),
    seed: int = typer.Option(0, "--seed", help="Seed for sampling and the no-effect test."),
    set_a: Optional[list[str]] = typer.Option(None, "--set-a", help="Override a parameter of A: KEY=VALUE. Repeatable."),
    set_b: Optional[list[str]] = typer.Option(None, "--set-b", help="Override a parameter of B: KEY=VALUE. Repeatable."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
) -> None:
    """Attribute the difference in a metric between A and B to the parameters that differ (Shapley)."""
    from orbitaldc.explain import explain as attribute
    from orbitaldc.report import explain_summary, format_metric, format_value, save_waterfall

    attr = attribute(load_with_sets(a, set_a), load_with_sets(b, set_b), metric, normalize=normalize,
                     exact_limit=exact_limit, permutations=permutations, seed=seed)
    if plot:
        save_waterfall(attr, plot)
    if format is Format.json:
        typer.echo(dumps(attr.to_dict()))
        return
    console = Console(width=max(Console().width, 120))
    title = f"{metric}: {attr.scenario_a} -> {attr.scenario_b}" + (" (B scaled to A's power and years)" if normalize else "")
    tbl = Table(title=title, box=box.SIMPLE_HEAVY)
    tbl.add_column("parameter", style="bold")
    tbl.add_column(attr.scenario_a, justify="right")
    tbl.add_column(attr.scenario_b, justify="right")
    tbl.add_column("contribution", justify="right")
    tbl.add_column("share", justify="right")
    if attr.method == "sampled":
        tbl.add_column("std. error", justify="right")
    tbl.add_row(attr.scenario_a, "", "", format_metric(metric, attr.value_a), "", *([""] if attr.method == "sampled" else []))
    diff = attr.difference
    for name, amount in attr.contributions.items():
        if name in attr.inert:
            continue
        share = f"{amount / diff:.1%}" if diff else ""
        extra = [format_metric(metric, attr.standard_errors[name])] if attr.method == "sampled" else []
        tbl.add_row(name, format_value(attr.values_a[name]), format_value(attr.values_b[name]),
                    ("+" if amount > 0 else "") + format_metric(metric, amount), share, *extra)
    tbl.add_section()
    tbl.add_row(attr.scenario_b, "", "", format_metric(metric, attr.value_b), "", *([""] if attr.method == "sampled" else []),
                style="bold")
    console.print(tbl)
    console.print(explain_summary(attr))
    if attr.inert:
        console.print(f"No effect on {metric}: {', '.join(attr.inert)}.")
    if plot:
        console.print(f"waterfall written to {plot}")


@app.command()
def check(
    scenario: str = typer.Argument("seed-article-1gw", help="A publication's preset with recorded claims."),
    reference: str = typer.Option("mccalip-2025-12", "--reference", "-r", help="Reference preset to check the claims against too."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
) -> None:
    """Check a publication's quantitative claims under its own inputs and under a reference preset."""
    from orbitaldc.claims import check_claims

    checks = check_claims(load_with_sets(scenario, None), load_with_sets(reference, None))
    if format is Format.json:
        typer.echo(dumps({"scenario": scenario, "reference": reference, "claims": [c.to_dict() for c in checks]}))
        return
    console = Console(width=max(Console().width, 120))
    colour = {"holds": "green", "holds in part": "yellow", "does not hold": "red"}
    for c in checks:
        console.print(f"[bold]{c.claim}[/bold]")
        for label, v in ((f"{scenario} (the article's inputs)", c.article), (reference, c.reference)):
            console.print(f"  [{colour[v.status]}]{v.status}[/{colour[v.status]}] under {label}: {v.reason}")
        console.print()
