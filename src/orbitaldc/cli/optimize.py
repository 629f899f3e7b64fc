"""The ``optimize`` command: cheapest feasible design, or a Pareto front of two or three objectives."""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from orbitaldc.cli import app
from orbitaldc.cli.common import (SCENARIO_HELP, SEED, SET_HELP, Format, console, load_with_sets, objective_keys,
                                  output_file, styled, with_flag)
from orbitaldc.cli.output import dumps
from orbitaldc.errors import OrbitaldcError
from orbitaldc.formatting import quantity

PLOT_SUFFIXES = (".png", ".svg", ".pdf")


class Robust(str, Enum):
    p50 = "p50"
    p90 = "p90"


def _held_fixed_lines(held: dict[str, str]) -> list[str]:
    """Design variables held fixed (one line each, with the reason), then the rest by role."""
    lines = []
    by_role: dict[str, list[str]] = {}
    for name, reason in held.items():
        role = reason.split(" ", 1)[0]
        if role in ("assumption", "requirement", "model"):
            by_role.setdefault(role, []).append(name)
        else:
            lines.append(f"  {name}: {reason}")
    for role, names in by_role.items():
        lines.append(f"  {len(names)} {role} parameters at the scenario's values: {', '.join(names)}")
    return lines


def _plot(result, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    objs = result.objectives
    F = result.values
    fig, ax = plt.subplots(figsize=(7, 5))
    label = lambda o: f"{o.label} [{o.unit}]"  # noqa: E731
    if len(objs) == 2:
        ax.plot(F[:, 0], F[:, 1], "o-", ms=4, label="Pareto front (feasible, non-dominated)")
    else:
        sc = ax.scatter(F[:, 0], F[:, 1], c=F[:, 2], cmap="viridis", s=18, label="Pareto front")
        fig.colorbar(sc, ax=ax, label=label(objs[2]))
    ax.plot([result.scenario_values[0]], [result.scenario_values[1]], "r*", ms=12,
            label=f"{result.scenario} as given" + ("" if result.scenario_feasible else " (infeasible)"))
    ax.set_xlabel(label(objs[0]))
    ax.set_ylabel(label(objs[1]))
    ax.set_title(f"{result.scenario}: design trade-off ({', '.join(v.name for v in result.variables)} varied)",
                 fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    try:
        fig.savefig(path, dpi=120, bbox_inches="tight")
    except OSError as exc:
        raise OrbitaldcError(f"--plot {str(path)!r}: cannot write ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)


@app.command()
def optimize(
    scenario: str = typer.Argument(..., help=SCENARIO_HELP),
    objective: str = typer.Option("lcoc", "--objective", "-o",
                                  help="lcoc ($/GPU-h), total_cost, kg_per_kw, cost_ratio, lcoc_ratio, "
                                       "deployment_years, mass."),
    vary: Optional[list[str]] = typer.Option(None, "--vary", "-v",
                                             help="Search NAME over LOW:HIGH (repeatable); a non-design "
                                                  "parameter is varied only when named here, with a warning."),
    pareto: Optional[str] = typer.Option(None, "--pareto", help="Two or three objectives A,B[,C]: Pareto front."),
    robust: Optional[Robust] = typer.Option(None, "--robust", help="Optimize the P50 or P90 over the assumptions."),
    samples: int = typer.Option(64, "--samples", "-n", help="Monte Carlo samples per candidate with --robust."),
    seed: int = typer.Option(0, "--seed", **SEED, help="Seed of the search and of the Monte Carlo sample."),
    maxiter: int = typer.Option(200, "--maxiter", help="Generations of differential evolution."),
    set_: Optional[list[str]] = typer.Option(None, "--set", "-s", help=SET_HELP),
    format: Format = typer.Option(Format.table, "--format", "-f", help="table or json"),
    plot: Optional[str] = typer.Option(None, "--plot", help="With --pareto: write the front to FILE (.png/.svg/.pdf)."),
) -> None:
    """Cheapest design that meets the design limits (design variables only), or a Pareto front."""
    from orbitaldc import optimize as opt

    if not 1 <= maxiter <= 100_000:
        raise OrbitaldcError(f"--maxiter {maxiter}: expected 1 to 100000")
    if plot and not pareto:
        raise OrbitaldcError("--plot needs --pareto A,B[,C]")
    if plot is not None:
        output_file(plot, "--plot", PLOT_SUFFIXES)
    keys = objective_keys(pareto) if pareto else None
    sc = load_with_sets(scenario, set_)
    try:
        _optimize(opt, sc, objective, keys, vary, robust.value if robust else None, samples, seed, maxiter, format,
                  plot)
    except OrbitaldcError as exc:  # the library names its arguments; name our flags instead
        raise with_flag(exc, _FLAGS) from None


#: Messages of orbitaldc.optimize that start with an argument -> this command's flag.
_FLAGS = {"vary ": "--vary ", "robust = ": "--robust = "}


def _optimize(opt, sc, objective, keys, vary, quantile, samples, seed, maxiter, format, plot) -> None:
    """The optimize command's body (its errors re-worded with the flags by the caller)."""
    bounds = opt.parse_vary(vary)
    if keys:
        result = opt.pareto(sc, keys, bounds, robust=quantile, samples=samples, seed=seed)
        if plot:
            _plot(result, plot)
        if format is Format.json:
            typer.echo(dumps(result.to_dict()))
            return
        _pareto_table(result, console(), plot)
        return
    result = opt.optimize(sc, objective, bounds, robust=quantile, samples=samples, seed=seed, maxiter=maxiter)
    if not result.feasible:
        raise OrbitaldcError(f"optimize {sc.name}: {result.message}")
    if format is Format.json:
        typer.echo(dumps(result.to_dict()))
        return
    _optimum_table(result, console())


def _warnings(console: Console, warnings: list[str]) -> None:
    for w in warnings:
        console.print(styled(("WARNING", "bold red"), f": {w}"))


def _optimum_table(result, console: Console) -> None:
    from orbitaldc.optimize import at_bound

    obj = result.objective
    _warnings(console, result.warnings)
    title = f"{result.scenario}: minimum {obj.label}"
    if result.robust:
        title += f" ({result.robust['quantile'].upper()} over {result.robust['samples']} samples of the assumptions)"
    tbl = Table(title=title, box=box.SIMPLE_HEAVY)
    for col in ("design variable", "scenario", "optimum", "range", "note"):
        tbl.add_column(col, justify="left" if col in ("design variable", "note") else "right")
    for var in result.variables:
        note = []
        if var.role != "design":
            note.append(f"{var.role}!")
        side = at_bound(var, result.design[var.name])
        if side:
            note.append(f"at {side} bound")
        tbl.add_row(var.name, f"{result.preset_design[var.name]:.6g}", f"{result.design[var.name]:.6g}",
                    f"{var.low:g} to {var.high:g} {var.unit}", ", ".join(note))
    console.print(tbl)
    change = (1.0 - result.value / result.preset_value) if result.preset_value else 0.0
    console.print(styled(f"{obj.label}: ", (quantity(result.value, obj.unit), "bold"),
                         f" vs {quantity(result.preset_value, obj.unit)} as given ({change:.1%} lower)"))
    ct = Table(title="Design limits", box=box.SIMPLE)
    for col in ("constraint", "value", "limit", "slack", "status"):
        ct.add_column(col, justify="left" if col in ("constraint", "status") else "right")
    for c in result.constraints:
        status = "ACTIVE" if c.active and c.satisfied else ("ok" if c.satisfied else "VIOLATED")
        unit = "" if c.unit == "1" else f" {c.unit}"
        slack = 0.0 if abs(c.margin) < 5e-4 else -c.margin  # no "-0.0%"
        ct.add_row(c.name, f"{c.value:.4g}{unit}", f"{c.sense} {c.limit:.4g}", f"{slack:.1%}", status)
    for name, why in result.not_applicable.items():
        ct.add_row(name, "", "", "", f"n/a: {why}")
    console.print(ct)
    if result.preset_violations:
        console.print(f"The scenario as given violates: {'; '.join(result.preset_violations)}")
    console.print(f"Active constraints: {', '.join(result.active_constraints) or 'none'}")
    console.print("Held fixed (not varied):")
    for line in _held_fixed_lines(result.held_fixed):
        console.print(line, soft_wrap=True)
    console.print(f"{result.evaluations:,} model evaluations in {result.model_calls} vectorized calls, "
                  f"{result.generations} generations, {result.seconds:.2f} s "
                  f"({result.evaluations_per_second:,.0f} evaluations/s)")


def _pareto_table(result, console: Console, plot: str | None) -> None:
    _warnings(console, result.warnings)
    objs = result.objectives
    tbl = Table(title=f"{result.scenario}: Pareto front, {len(result.designs)} designs", box=box.SIMPLE_HEAVY)
    for o in objs:
        tbl.add_column(f"{o.key} [{o.unit}]", justify="right")
    # variables that differ along the front get a column; the others are stated once below
    moving = [v for v in result.variables if len({d[v.name] for d in result.designs}) > 1]
    constant = [v for v in result.variables if v not in moving]
    for v in moving:
        tbl.add_column(v.name, justify="right")
    tbl.add_column("active constraints")
    n = len(result.designs)
    rows = range(n) if n <= 40 else sorted(set(round(i * (n - 1) / 39) for i in range(40)))
    for i in rows:
        active = [a for a in result.active(i) if "@" not in a]
        tbl.add_row(*[quantity(result.values[i, m], o.unit) for m, o in enumerate(objs)],
                    *[f"{result.designs[i][v.name]:.5g}" for v in moving], ", ".join(active))
    console.print(tbl)
    if n > 40:
        console.print(f"(showing 40 of {n} designs; --format json for all)")
    if constant:
        same = ", ".join(f"{v.name} = {result.designs[0][v.name]:.5g}" for v in constant)
        console.print(f"Same on every front design: {same}", soft_wrap=True)
    if n == 1:
        console.print("The objectives do not conflict over these variables: one design is best in all of them.")
    given = ", ".join(f"{o.key} {quantity(result.scenario_values[m], o.unit)}" for m, o in enumerate(objs))
    console.print(f"Scenario as given: {given}" + ("" if result.scenario_feasible else " (infeasible)"))
    console.print(f"Constraints: {', '.join(result.constraints) or 'none'}; not applicable: "
                  f"{', '.join(result.not_applicable) or 'none'}")
    console.print("Held fixed (not varied):")
    for line in _held_fixed_lines(result.held_fixed):
        console.print(line, soft_wrap=True)
    console.print(f"{result.evaluations:,} model evaluations in {result.seconds:.2f} s")
    if plot:
        console.print(f"Plot written to {plot}")
