"""Design optimization: the cheapest design that meets its constraints, and Pareto fronts.

Engineers ask "which design is cheapest, and what do I trade away for it?". This module answers
on the full model (:func:`orbitaldc.compare.evaluate_values`), varying **design variables only**.
Modules: :mod:`~orbitaldc.optimize.problem` (objectives, variables, the vectorized problem),
:mod:`~orbitaldc.optimize.constraints` (limits read from the satellite design),
:mod:`~orbitaldc.optimize.search` (differential evolution, Pareto search) and
:mod:`~orbitaldc.optimize.studies` (optimize, pareto, robust design).

* **Design variables are not assumptions.** The parameter library marks each parameter's
  ``role``. :func:`optimize` varies the numeric ``role = "design"`` parameters that have a
  design range in the library (``low``/``high``) and that change the objective or a constraint
  in the scenario's model; everything else (launch price, hardware $/W, failure rates, discount
  rate, utilization ...) is held at the scenario's value and listed as held fixed. Another
  parameter is varied only when the caller names it with explicit bounds (``vary``), and the
  result then carries a warning: an optimizer that "wins" by moving an assumption to its bound
  is not an answer.
* **Constraints from physics** (:data:`CONSTRAINTS`): deployment within the launch cadence, and
  (with ``mass_model = "bottom_up"``) die temperature, radiation dose margin, battery depth of
  discharge, downlink capacity and drag make-up propellant. Each is a normalized margin
  ``g <= 0`` (feasible); a constraint is *active* when its margin is within
  :data:`ACTIVE_TOLERANCE` of the limit.
* **Single objective** (:data:`OBJECTIVES`: LCOC, total cost, kg/kW, cost ratio, ...) with
  differential evolution (Storn & Price 1997) from SciPy, ``vectorized=True`` and
  ``updating="deferred"``: each generation is **one** vectorized model call for the whole
  population. Integer variables are rounded inside the model (SciPy's ``integrality``), never
  after the search. Constraints use Lampinen's feasibility rules (SciPy's ``constraints=``):
  a feasible design beats an infeasible one, infeasible ones compare by total violation.
* **Pareto fronts** for two or three objectives: a scrambled Sobol sample of the design box,
  evaluated in one call, plus the single-objective optima as anchors; feasible points are
  filtered by non-dominated sorting, then refined by perturbing the front and filtering again.
* **Robust design**: the objective (and each constraint margin) is replaced by its P50 or P90
  over a Monte Carlo sample of the uncertain *assumptions* the problem reads (:mod:`orbitaldc.sampling`);
  every candidate sees the same sample (common random numbers), so candidates differ only by
  design.

References are given in each submodule (differential evolution, Lampinen's constraint handling,
non-dominated sorting, Sobol' sequences: :mod:`~orbitaldc.optimize.search`).
"""

from orbitaldc.optimize.constraints import ACTIVE_TOLERANCE, CONSTRAINTS, Constraint, ConstraintStatus
from orbitaldc.optimize.problem import (LOG_SPAN, MAX_ROWS_PER_CALL, OBJECTIVES, ROBUST_QUANTILES, ROBUST_SAMPLES,
                                        DesignProblem, DesignVariable, Objective, Selection, objective, parse_vary,
                                        sample_assumptions, select_variables)
from orbitaldc.optimize.search import (MAXITER, PARETO_REFINE_ROUNDS, PARETO_SAMPLES, POPSIZE, SearchResult,
                                       minimize_population, non_dominated, pareto_search)
from orbitaldc.optimize.studies import MAX_PARETO_POINTS, OptimizationResult, ParetoResult, at_bound, optimize, pareto

__all__ = [
    "ACTIVE_TOLERANCE", "CONSTRAINTS", "LOG_SPAN", "MAXITER", "MAX_PARETO_POINTS", "MAX_ROWS_PER_CALL", "OBJECTIVES",
    "PARETO_REFINE_ROUNDS", "PARETO_SAMPLES", "POPSIZE", "ROBUST_QUANTILES", "ROBUST_SAMPLES", "Constraint",
    "ConstraintStatus", "DesignProblem", "DesignVariable", "Objective", "OptimizationResult", "ParetoResult",
    "SearchResult", "Selection", "at_bound", "minimize_population", "non_dominated", "objective", "optimize",
    "pareto", "pareto_search", "parse_vary", "sample_assumptions", "select_variables",
]
