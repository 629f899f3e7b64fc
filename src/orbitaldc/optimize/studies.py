"""Design studies: the cheapest design that meets its constraints, Pareto fronts, robust design.

* **Single objective** (:data:`~orbitaldc.optimize.problem.OBJECTIVES`: LCOC, total cost, kg/kW,
  cost ratio, ...) by vectorized differential evolution (:mod:`orbitaldc.optimize.search`); the
  scenario's own design is in the initial population, so a feasible scenario is never beaten by
  a worse answer.
* **Constraints** from the one satellite design (:mod:`orbitaldc.optimize.constraints`); a
  constraint is *active* when its normalized margin is within ``ACTIVE_TOLERANCE`` of the limit.
* **Pareto fronts** for two or three objectives (:func:`~orbitaldc.optimize.search.pareto_search`).
* **Robust design**: the objective (and each constraint margin) is replaced by its P50 or P90
  over a Monte Carlo sample of the uncertain *assumptions* the problem reads
  (:func:`~orbitaldc.optimize.problem.sample_assumptions`); every candidate sees the same sample.

Every study enters through :func:`orbitaldc.params.as_point` (a Scenario, preset name or file;
a single point).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from orbitaldc.compare import Comparison, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.optimize.constraints import ACTIVE_TOLERANCE, Constraint, ConstraintStatus
from orbitaldc.optimize.problem import (OBJECTIVES, ROBUST_SAMPLES, DesignProblem, DesignVariable, Objective,
                                        Selection, objective, select_variables)
from orbitaldc.optimize.search import (MAXITER, PARETO_REFINE_ROUNDS, PARETO_SAMPLES, POPSIZE, minimize_population,
                                       pareto_search)
from orbitaldc.params import Scenario, as_point

__all__ = ["MAX_PARETO_POINTS", "OptimizationResult", "ParetoResult", "at_bound", "optimize", "pareto"]

#: Front points kept by :func:`pareto` (evenly thinned along the first objective when more).
MAX_PARETO_POINTS = 200



def _drop_without_effect(problem: DesignProblem, selection: Selection) -> None:
    """Hold fixed every searched variable that no objective and no constraint reads.

    What can move a result is read from the model's declarations
    (:meth:`DesignProblem.reads`), not probed.
    """
    values = problem.base
    relevant = problem.reads()
    kept = []
    for var in problem.variables:
        if var.name in relevant:
            kept.append(var)
            continue
        model = values.get("mass_model")
        selection.held_fixed[var.name] = (f"no effect on the objective(s) or constraints in this model "
                                          f"(mass_model = {model!r})")
        if var.explicit:
            selection.warnings.append(f"vary {var.name}: no effect on the objective(s) or constraints here; held fixed")
    problem.variables = kept


def _prepare(scenario: Scenario | str | Path, objectives: Sequence[Objective], vary, robust, samples, seed,
             constraints=None, what: str = "optimize") -> tuple[Scenario, Selection, DesignProblem]:
    sc = as_point(scenario, what=what)
    selection = select_variables(sc, vary)
    problem = DesignProblem(sc, selection.variables, objectives, constraints, robust, samples, seed)
    _drop_without_effect(problem, selection)
    if not problem.variables:
        raise OrbitaldcError(f"{what}: nothing to vary - no design variable with a design range changes the "
                             f"objective in this scenario; name one in vary with bounds (low, high)")
    selection.variables = problem.variables
    return sc, selection, problem


def _statuses(problem: DesignProblem, x: np.ndarray, margins: np.ndarray) -> list[ConstraintStatus]:
    """Constraint quantities at search point ``x`` (their sample quantile in robust mode)."""
    comparison = problem._comparison(problem._values(np.asarray(x, dtype=float)[None, :]))
    out = []
    for k, con in enumerate(problem.constraints):
        value, limit = (float(problem._reduce(q, 1)[0]) for q in con.quantity(comparison))
        g = float(margins[k])
        out.append(ConstraintStatus(con.name, con.description, con.unit, con.sense, value, limit, g,
                                    abs(g) <= ACTIVE_TOLERANCE or g > 0, g <= 0, con.origin))
    return out


def at_bound(var: DesignVariable, value: float) -> str | None:
    """Which bound of its search box a variable sits on (within ``ACTIVE_TOLERANCE`` of the width).

    Parameters
    ----------
    var : DesignVariable
        The searched variable.
    value : float
        Its value (parameter unit).

    Returns
    -------
    str or None
        ``"low"``, ``"high"`` or None.
    """
    lo, hi = var.search_bounds
    x = float(var.from_unit(value))
    tol = ACTIVE_TOLERANCE * (hi - lo)
    if x <= lo + tol:
        return "low"
    if x >= hi - tol:
        return "high"
    return None


@dataclass
class OptimizationResult:
    """The best design found, how it compares with the scenario's own, and why it stops there."""

    scenario: str
    objective: Objective
    value: float
    preset_value: float
    nominal_value: float
    design: dict[str, float]
    preset_design: dict[str, float]
    variables: list[DesignVariable]
    held_fixed: dict[str, str]
    warnings: list[str]
    constraints: list[ConstraintStatus]
    not_applicable: dict[str, str]
    feasible: bool
    preset_feasible: bool
    preset_violations: list[str]
    robust: dict[str, Any] | None
    evaluations: int
    model_calls: int
    generations: int
    seconds: float
    message: str
    scenario_toml: str
    comparison: Comparison = field(repr=False)

    @property
    def evaluations_per_second(self) -> float:
        return self.evaluations / self.seconds if self.seconds > 0 else math.inf

    @property
    def active_constraints(self) -> list[str]:
        """Active design limits and variables at a bound (``name@low`` / ``name@high``)."""
        out = [c.name for c in self.constraints if c.active]
        for var in self.variables:
            side = at_bound(var, self.design[var.name])
            if side:
                out.append(f"{var.name}@{side}")
        return out

    def violations(self) -> list[str]:
        return [c.text() for c in self.constraints if not c.satisfied]

    def to_dict(self) -> dict[str, Any]:
        obj = self.objective
        return {
            "scenario": self.scenario,
            "objective": {"key": obj.key, "metric": obj.metric, "unit": obj.unit, "label": obj.label,
                          "value": self.value, "scenario_value": self.preset_value,
                          "nominal_value": self.nominal_value,
                          "improvement": 1.0 - self.value / self.preset_value if self.preset_value else None},
            "robust": self.robust,
            "feasible": self.feasible,
            "scenario_feasible": self.preset_feasible,
            "scenario_violations": self.preset_violations,
            "message": self.message,
            "design": {v.name: {"value": self.design[v.name], "scenario_value": self.preset_design[v.name],
                                "low": v.low, "high": v.high, "unit": v.unit, "role": v.role,
                                "integer": v.integer, "log_scale": v.log, "explicit": v.explicit,
                                "at_bound": at_bound(v, self.design[v.name])} for v in self.variables},
            "active_constraints": self.active_constraints,
            "constraints": [c.to_dict() for c in self.constraints],
            "constraints_not_applicable": self.not_applicable,
            "held_fixed": self.held_fixed,
            "warnings": self.warnings,
            "evaluations": self.evaluations,
            "model_calls": self.model_calls,
            "generations": self.generations,
            "seconds": self.seconds,
            "evaluations_per_second": self.evaluations_per_second,
            "scenario_toml": self.scenario_toml,
        }


def optimize(scenario: Scenario | str, objective_key: str = "lcoc",
             vary: Mapping[str, tuple[float, float]] | None = None, *, robust: str | None = None,
             samples: int = ROBUST_SAMPLES, seed: int = 0, popsize: int = POPSIZE, maxiter: int = MAXITER,
             tol: float = 1e-6, constraints: Sequence[Constraint] | None = None) -> OptimizationResult:
    """Find the design that minimizes an objective subject to the design limits.

    Parameters
    ----------
    scenario : Scenario or str
        A single-point scenario, preset name or scenario file.
    objective_key : str
        A key of :data:`OBJECTIVES` (default ``"lcoc"``, $/GPU-hour).
    vary : mapping, optional
        ``name -> (low, high)``: search these bounds; a non-design name is searched too, with a
        warning in the result.
    robust : {"p50", "p90"}, optional
        Minimize this quantile of the objective over ``samples`` Monte Carlo draws of the
        assumptions (common random numbers), with each constraint margin held at that quantile.
    seed : int
        Seeds the search and the Monte Carlo sample.
    popsize, maxiter, tol
        Differential-evolution settings (SciPy's meanings).
    constraints : sequence of Constraint, optional
        Default: every applicable entry of :data:`CONSTRAINTS`.

    Returns
    -------
    OptimizationResult
        The design is re-evaluated through the validating scenario path; the scenario's own
        design is in the initial population, so a feasible scenario is never beaten by a worse
        answer.

    Raises
    ------
    OrbitaldcError
        Bad objective, bounds, or nothing to vary.
    """
    obj = objective(objective_key)
    sc, selection, problem = _prepare(scenario, [obj], vary, robust, samples, seed, constraints)
    x0 = problem.x_of(sc.values)
    F0, G0 = problem.evaluate(x0[None, :])
    preset_feasible = bool(np.all(G0 <= 0))
    rows_before = problem.rows
    t0 = time.perf_counter()
    res = minimize_population(problem.evaluate, problem.bounds, problem.integrality, x0, seed, popsize, maxiter,
                              tol, len(problem.constraints))
    seconds = time.perf_counter() - t0
    x, f, g, feasible = res.x, res.f, res.g, res.feasible
    if preset_feasible and (not feasible or F0[0, 0] < f):  # never return a worse answer than the input
        x, f, g, feasible = x0, float(F0[0, 0]), G0[0], True
    design = problem.design_of(x)
    comparison = problem.comparison_at(design)
    statuses = _statuses(problem, x, g)
    preset_design = {v.name: sc.values[v.name] for v in problem.variables}
    preset_design = {k: (int(v) if isinstance(v, int) else float(v)) for k, v in preset_design.items()}
    best_sc = sc.with_overrides(design, where="optimum")
    best_sc.name = f"{sc.name}-optimized-{obj.key}"
    best_sc.description = f"{sc.name} with the design minimizing {obj.label} (orbitaldc optimize)"
    if feasible:
        message = f"minimum {obj.label} found after {res.generations} generations ({res.message})"
    else:
        where = f" ({robust.upper()} over the assumptions)" if robust else ""
        message = ("infeasible: no design within the bounds meets every constraint; the least-violating design "
                   f"found{where} has " + "; ".join(c.text() for c in statuses if not c.satisfied))
    return OptimizationResult(
        scenario=sc.name, objective=obj, value=f, preset_value=float(F0[0, 0]),
        nominal_value=float(np.asarray(get_metric(comparison, obj.metric)).ravel()[0]),
        design=design, preset_design=preset_design, variables=problem.variables,
        held_fixed=selection.held_fixed, warnings=selection.warnings, constraints=statuses,
        not_applicable=problem.not_applicable, feasible=feasible, preset_feasible=preset_feasible,
        preset_violations=[c.text() for c in _statuses(problem, x0, G0[0]) if not c.satisfied],
        robust=problem.robust_info(samples, seed), evaluations=problem.rows - rows_before, model_calls=res.model_calls,
        generations=res.generations, seconds=seconds, message=message, scenario_toml=best_sc.to_toml(),
        comparison=comparison)


@dataclass
class ParetoResult:
    """Non-dominated feasible designs for two or three objectives, sorted by the first."""

    scenario: str
    objectives: list[Objective]
    variables: list[DesignVariable]
    held_fixed: dict[str, str]
    warnings: list[str]
    constraints: list[str]
    not_applicable: dict[str, str]
    designs: list[dict[str, float]]
    values: np.ndarray
    margins: np.ndarray
    scenario_values: np.ndarray
    scenario_feasible: bool
    robust: dict[str, Any] | None
    evaluations: int
    seconds: float

    def active(self, i: int) -> list[str]:
        """Active constraints and bounds of front point ``i``."""
        out = [name for name, g in zip(self.constraints, self.margins[i]) if abs(g) <= ACTIVE_TOLERANCE]
        for var in self.variables:
            side = at_bound(var, self.designs[i][var.name])
            if side:
                out.append(f"{var.name}@{side}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "objectives": [{"key": o.key, "metric": o.metric, "unit": o.unit, "label": o.label} for o in self.objectives],
            "robust": self.robust,
            "points": [{"design": d, "objectives": {o.key: float(self.values[i, m]) for m, o in enumerate(self.objectives)},
                        "active_constraints": self.active(i)} for i, d in enumerate(self.designs)],
            "scenario_point": {"objectives": {o.key: float(self.scenario_values[m]) for m, o in enumerate(self.objectives)},
                               "feasible": self.scenario_feasible},
            "variables": {v.name: {"low": v.low, "high": v.high, "unit": v.unit, "role": v.role,
                                   "explicit": v.explicit} for v in self.variables},
            "constraints": self.constraints,
            "constraints_not_applicable": self.not_applicable,
            "held_fixed": self.held_fixed,
            "warnings": self.warnings,
            "evaluations": self.evaluations,
            "seconds": self.seconds,
            "evaluations_per_second": self.evaluations / self.seconds if self.seconds > 0 else None,
        }


def pareto(scenario: Scenario | str, objective_keys: Sequence[str] = ("lcoc", "deployment_years"),
           vary: Mapping[str, tuple[float, float]] | None = None, *, robust: str | None = None,
           samples: int = ROBUST_SAMPLES, seed: int = 0, points: int = PARETO_SAMPLES,
           rounds: int = PARETO_REFINE_ROUNDS, anchor_maxiter: int = 60,
           max_points: int = MAX_PARETO_POINTS) -> ParetoResult:
    """Pareto front of two or three objectives over the design variables.

    Parameters
    ----------
    objective_keys : sequence of str
        Two or three keys of :data:`OBJECTIVES`, all minimized.
    points : int
        Size of the Sobol sample of the design box (one vectorized call).
    rounds : int
        Refinement rounds around the front.
    anchor_maxiter : int
        Generations of each single-objective run that anchors the ends of the front.
    max_points : int
        Front points kept (evenly thinned along the first objective when more).

    Returns
    -------
    ParetoResult
    """
    keys = list(objective_keys)
    if not 2 <= len(keys) <= 3 or len(set(keys)) != len(keys):
        raise OrbitaldcError(f"objective_keys = {','.join(keys)}: expected two or three different objectives from "
                             f"{', '.join(OBJECTIVES)}")
    objs = [objective(k) for k in keys]
    if not 16 <= points <= 1_000_000:
        raise OrbitaldcError(f"pareto points = {points}: expected 16 to 1000000")
    sc, selection, problem = _prepare(scenario, objs, vary, robust, samples, seed, what="pareto")
    x0 = problem.x_of(sc.values)
    F0, G0 = problem.evaluate(x0[None, :])
    rows_before = problem.rows
    t0 = time.perf_counter()
    anchors = [x0]
    for m in range(len(objs)):
        res = minimize_population(problem.evaluate, problem.bounds, problem.integrality, x0, seed + m,
                                  maxiter=anchor_maxiter, n_constraints=len(problem.constraints), objective_index=m)
        anchors.append(res.x)
    X, F, G, _ = pareto_search(problem.evaluate, problem.bounds, problem.integrality, points, rounds, seed, anchors)
    seconds = time.perf_counter() - t0
    if X.shape[0] == 0:
        raise OrbitaldcError("pareto: no feasible design within the bounds; optimize() shows the "
                             "least-violating design and which constraints it breaks")
    if X.shape[0] > max_points:
        keep = np.unique(np.linspace(0, X.shape[0] - 1, max_points).round().astype(int))
        X, F, G = X[keep], F[keep], G[keep]
    return ParetoResult(
        scenario=sc.name, objectives=objs, variables=problem.variables, held_fixed=selection.held_fixed,
        warnings=selection.warnings, constraints=[c.name for c in problem.constraints],
        not_applicable=problem.not_applicable, designs=[problem.design_of(x) for x in X], values=F, margins=G,
        scenario_values=F0[0], scenario_feasible=bool(np.all(G0 <= 0)), robust=problem.robust_info(samples, seed),
        evaluations=problem.rows - rows_before, seconds=seconds)