"""Report commands: report (HTML), explain (why two scenarios differ), check (a publication's claims).

``report`` and ``explain --plot`` launch the report package's renderers (:mod:`orbitaldc.report`),
as ``serve`` launches the web app; numbers and sentences come from :mod:`orbitaldc.formatting`.
"""

from __future__ import annotations

from typing import Optional

import typer
from rich import box
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.common import (SCENARIO_HELP, SEED, SET_HELP, Format, console, load_with_sets, objective_keys,
                                  output_file, printable, styled)
from orbitaldc.cli.output import dumps
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import claim_dict, claim_labels, claim_reason, explain_summary, like_for_like_text
from orbitaldc.formatting import metric as fmt_metric
from orbitaldc.formatting import value

METRIC_HELP = "Metric to explain (see `orbitaldc metrics`)."


@app.command()
def report(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="HTML file to write (default reports/<scenario>.html)."),
    montecarlo: int = typer.Option(0, "--montecarlo", "-n", help="Add a Monte Carlo histogram and tornado with N samples."),
    seed: Optional[int] = typer.Option(None, "--seed", **SEED, help="Seed of the Monte Carlo (default: fresh, reported), "
                                                            "the Pareto search and the simulation (default 0)."),
    compare: Optional[str] = typer.Option(None, "--compare", help="Add a waterfall explaining how this other scenario differs."),
    normalize: bool = typer.Option(False, "--normalize", help="With --compare: bring it to this scenario's scope "
                                                              "(IT equipment, life cycle, dollars), power and years."),
    metric: str = typer.Option("orbital.total_cost_usd", "--metric", "-m", help=METRIC_HELP),
    pareto: Optional[str] = typer.Option(None, "--pareto", help="Add the Pareto front of two or three objectives "
                                                                "A,B[,C] (see `orbitaldc optimize --pareto`)."),
    simulate: Optional[float] = typer.Option(None, "--simulate", help="Add a simulation of the constellation over "
                                                                      "DAYS (see `orbitaldc simulate`)."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
) -> None:
    """Write a self-contained HTML report (works offline) and print its path."""
    from orbitaldc.compare import METRIC_ALIASES, metric_names
    from orbitaldc.report.figures import MAX_REPORT_SAMPLES

    # everything checkable is checked before the first section is computed
    if not 0 <= montecarlo <= MAX_REPORT_SAMPLES:
        raise OrbitaldcError(f"--montecarlo {montecarlo}: expected 0 (none) to {MAX_REPORT_SAMPLES:,} samples")
    if compare is not None and metric not in metric_names() and metric not in METRIC_ALIASES:
        raise OrbitaldcError(f"--metric {metric!r}: unknown; see `orbitaldc metrics`")
    keys = objective_keys(pareto) if pareto is not None else None
    sc = load_with_sets(scenario, set_)
    if simulate is not None:
        sc.with_overrides({"sim_days": simulate}, where="--simulate")
    from orbitaldc.report import default_path, write_report

    path = output_file(out if out is not None else default_path(sc.name), "--out")
    other = load_with_sets(compare, None) if compare else None

    written = write_report(sc, path, montecarlo=montecarlo, seed=seed, compare=other, normalize=normalize,
                           metric=metric, pareto=keys, simulate_days=simulate)
    typer.echo(printable(written))


@app.command()
def explain(
    a: str = typer.Argument(..., help="Scenario A (preset or TOML file)."),
    b: str = typer.Argument(..., help="Scenario B (preset or TOML file)."),
    metric: str = typer.Option("orbital.total_cost_usd", "--metric", "-m", help=METRIC_HELP),
    normalize: bool = typer.Option(False, "--normalize", help="Bring B to A's scope (cost_scope, cost_basis, dollars), "
                                                              "target power and analysis years first (the library "
                                                              "does it: orbitaldc.explain)."),
    plot: Optional[str] = typer.Option(None, "--plot", help="Also write the waterfall chart to this .png or .svg file."),
    permutations: int = typer.Option(2000, "--permutations", help="Orders sampled when more than --exact-limit parameters matter."),
    exact_limit: int = typer.Option(16, "--exact-limit", help="Exact Shapley values up to this many parameters (max 20)."),
    seed: int = typer.Option(0, "--seed", **SEED, help="Seed for sampling and the no-effect test."),
    set_a: Optional[list[str]] = typer.Option(None, "--set-a", help="Override a parameter of A: KEY=VALUE. Repeatable."),
    set_b: Optional[list[str]] = typer.Option(None, "--set-b", help="Override a parameter of B: KEY=VALUE. Repeatable."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
) -> None:
    """Attribute the difference in a metric between A and B to the parameters that differ (Shapley)."""
    from orbitaldc.explain import explain as attribute
    from orbitaldc.report.figures import WATERFALL_SUFFIXES

    plot_path = output_file(plot, "--plot", WATERFALL_SUFFIXES) if plot is not None else None
    attr = attribute(load_with_sets(a, set_a), load_with_sets(b, set_b), metric, normalize=normalize,
                     exact_limit=exact_limit, permutations=permutations, seed=seed)
    if plot_path is not None:
        from orbitaldc.report import save_waterfall

        save_waterfall(attr, plot_path)
    if format is Format.json:
        typer.echo(dumps({**attr.to_dict(), "like_for_like_text": like_for_like_text(attr)}))
        return
    con = console(width=120)
    title = f"{metric}: {attr.scenario_a} -> {attr.scenario_b}" + (" (B brought to A's scope, power and years)"
                                                                   if normalize else "")
    sampled = attr.method == "sampled"
    tbl = Table(title=title, box=box.SIMPLE_HEAVY)
    tbl.add_column("parameter", style="bold")
    for col in (attr.scenario_a, attr.scenario_b, "contribution", "share") + (("std. error",) if sampled else ()):
        tbl.add_column(col, justify="right")
    blank = [""] if sampled else []
    tbl.add_row(attr.scenario_a, "", "", fmt_metric(metric, attr.value_a), "", *blank)
    diff = attr.difference
    for name, amount in attr.contributions.items():
        if name in attr.inert:
            continue
        share = f"{amount / diff:.1%}" if diff else ""
        extra = [fmt_metric(metric, attr.standard_errors[name])] if sampled else []
        tbl.add_row(name, value(attr.values_a[name]), value(attr.values_b[name]),
                    ("+" if amount > 0 else "") + fmt_metric(metric, amount), share, *extra)
    tbl.add_section()
    tbl.add_row(attr.scenario_b, "", "", fmt_metric(metric, attr.value_b), "", *blank, style="bold")
    con.print(tbl)
    con.print(styled((like_for_like_text(attr), "bold" if attr.scope_mismatch and not attr.normalized else "")))
    con.print(explain_summary(attr))
    if attr.inert:
        con.print(f"No effect on {metric}: {', '.join(attr.inert)}.")
    if plot_path is not None:
        con.print(f"waterfall written to {plot_path}")


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
        typer.echo(dumps({"scenario": scenario, "reference": reference, "claims": [claim_dict(c) for c in checks]}))
        return
    con = console(width=120)
    colour = {"holds": "green", "holds in part": "yellow", "does not hold": "red"}
    for c in checks:
        con.print(styled((c.claim, "bold")))
        for label, v in ((f"{scenario} (the article's inputs)", c.article), (f"{reference} (in the article's scope)",
                                                                           c.reference)):
            labels = claim_labels(v)
            tags = f" [{', '.join(labels)}]" if labels else ""
            con.print(styled("  ", (v.status, colour.get(v.status, "")), (tags, "bold"),
                             f" under {label}: {claim_reason(c.key, v)}"))
        con.print()
