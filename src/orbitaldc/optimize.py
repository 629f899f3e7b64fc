"""Design optimization: the cheapest design that meets its constraints, and Pareto fronts.

Engineers ask "which design is cheapest, and what do I trade away for it?". This module answers
on the full model (:func:`orbitaldc.compare.evaluate_values`), varying **design variables only**:

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
  over a Monte Carlo sample of the uncertain *assumptions* (:mod:`orbitaldc.uncertainty`);
  every candidate sees the same sample (common random numbers), so candidates differ only by
  design.

References
----------
.. [1] R. Storn and K. Price, "Differential Evolution - A Simple and Efficient Heuristic for
   Global Optimization over Continuous Spaces", J. Global Optimization 11, 341-359 (1997).
.. [2] J. Lampinen, "A constraint handling approach for the differential evolution
   algorithm", Proc. IEEE CEC 2002, 1468-1473.
.. [3] K. Deb, *Multi-Objective Optimization using Evolutionary Algorithms*, Wiley (2001),
   sec. 2.4 (non-dominated sets) and sec. 2.4.2 (efficient filtering).
.. [4] I. M. Sobol', "On the distribution of points in a cube and the approximate evaluation of
   integrals", USSR Comput. Math. Math. Phys. 7, 86-112 (1967).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
from scipy import optimize as sopt
from scipy.stats import qmc

from orbitaldc.compare import Comparison, evaluate_values, get_metric, metric_reads
from orbitaldc.systems.inputs import design_check_reads, orbital_reads
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, Scenario, load_library, load_scenario

#: A constraint counts as active when its normalized margin is within this of its limit.
ACTIVE_TOLERANCE = 1e-3
#: A float variable whose bounds span at least this ratio is searched on a log scale.
LOG_SPAN = 100.0
#: Largest number of model rows evaluated in one vectorized call (bounds memory).
MAX_ROWS_PER_CALL = 250_000
#: Differential-evolution defaults (population = POPSIZE x number of variables).
POPSIZE = 15
MAXITER = 200
#: Compass-search polish after the evolution: first and last step as fractions of the box width.
POLISH_STEP = 0.05
POLISH_MIN_STEP = 1e-7
#: Robust design defaults: Monte Carlo samples of the assumptions per candidate.
ROBUST_SAMPLES = 128
ROBUST_QUANTILES = {"p50": 50.0, "p90": 90.0}
#: Pareto search defaults.
PARETO_SAMPLES = 4096
PARETO_REFINE_ROUNDS = 4
MAX_PARETO_POINTS = 200
PARETO_POLISH_POINTS = 16
PARETO_POLISH_MIN_STEP = 1e-4


# ----------------------------------------------------------------------------- objectives

@dataclass(frozen=True)
class Objective:
    """A result to minimize, by its metric name (:func:`orbitaldc.compare.get_metric`)."""

    key: str
    metric: str
    unit: str
    label: str


OBJECTIVES: dict[str, Objective] = {
    "lcoc": Objective("lcoc", "orbital.lcoc_usd_per_gpu_hour", "USD/GPU-h", "levelized cost of compute"),
    "total_cost": Objective("total_cost", "orbital.total_cost_usd", "USD", "orbital total cost"),
    "kg_per_kw": Objective("kg_per_kw", "orbital.specific_mass_kg_per_kw", "kg/kW", "mass to orbit per kW of IT"),
    "cost_ratio": Objective("cost_ratio", "orbital_to_terrestrial_cost_ratio", "1",
                            "orbital / terrestrial total cost"),
    "lcoc_ratio": Objective("lcoc_ratio", "orbital_to_terrestrial_lcoc_ratio", "1", "orbital / terrestrial LCOC"),
    "deployment_years": Objective("deployment_years", "orbital.deployment_years", "yr", "years to deploy the fleet"),
    "mass": Objective("mass", "orbital.mass_to_orbit_kg", "kg", "mass to orbit"),
}


def objective(key: str) -> Objective:
    """Look up an objective by key; raises :class:`OrbitaldcError` listing the allowed keys."""
    try:
        return OBJECTIVES[key]
    except KeyError:
        raise OrbitaldcError(f"objective {key!r}: unknown; allowed: {', '.join(OBJECTIVES)}") from None


# ----------------------------------------------------------------------------- constraints

@dataclass(frozen=True)
class Constraint:
    """A design limit ``quantity <= limit`` (``sense = "<="``) or ``quantity >= limit``.

    ``quantity(comparison)`` returns ``(value, limit)`` arrays, or None when the scenario's model
    does not compute the quantity (then the constraint is reported as not applicable).
    """

    name: str
    description: str
    unit: str
    sense: str
    quantity: Callable[[Comparison], tuple[Any, Any] | None]
    origin: str

    def margin(self, value, limit) -> np.ndarray:
        """Normalized margin ``g`` (``g <= 0`` feasible): ``(value - limit) / |limit|`` for ``<=``.

        Notes
        -----
        ``g = s (q - L) / max(|L|, 1e-300)`` with ``s = +1`` for ``q <= L`` and ``-1`` for
        ``q >= L``; a zero limit normalizes by 1. Non-finite quantities count as violated.
        """
        q = np.asarray(value, dtype=float)
        lim = np.asarray(limit, dtype=float)
        scale = np.where(lim != 0.0, np.abs(lim), 1.0)
        g = (q - lim) / scale if self.sense == "<=" else (lim - q) / scale
        return np.where(np.isfinite(g), g, np.inf)


def _deployment(c: Comparison):
    return c.orbital.deployment_years, np.asarray(c.values["max_deployment_years"], dtype=float)


def _check(c: Comparison, name: str):
    """A design check of the bottom-up :class:`~orbitaldc.systems.design.SatelliteDesign` (None without one)."""
    design = c.orbital.design
    return None if design is None else np.asarray(getattr(design.checks, name), dtype=float)


def _die_temperature(c: Comparison):
    got = _check(c, "die_temperature_k")
    return None if got is None else (got, np.asarray(c.values["sim_die_limit_k"], dtype=float))


def _dose_margin(c: Comparison):
    got = _check(c, "dose_margin")
    return None if got is None else (got, np.asarray(c.values["min_dose_margin"], dtype=float))


def _battery_cycle_life(c: Comparison):
    """Sized depth of discharge vs the cycle-life depth the design reports for the mission's eclipses.

    The bottom-up chain sizes the battery at the allowed depth, so wherever there are eclipses the
    limit binds (active); with no eclipse there is no discharge (value 0).
    """
    design = c.orbital.design
    if design is None:
        return None
    dod = np.where(design.battery_energy_j > 0, design.depth_of_discharge, 0.0)
    return dod, design.checks.allowed_depth_of_discharge


def _downlink(c: Comparison):
    """Fleet downlink per day vs the workload's output per day, ``Gamma P_IT 86400 s`` (Turyshev 2026)."""
    got = _check(c, "downlink_bits_per_day")
    if got is None:
        return None
    from orbitaldc.constants import SECONDS_PER_DAY

    v = c.values
    demand = np.asarray(v["workload_bits_per_j"], dtype=float) * np.asarray(v["target_power_w"], dtype=float) \
        * SECONDS_PER_DAY
    return got * c.orbital.satellite_count, demand


def _propellant(c: Comparison):
    got = _check(c, "propellant_mass_fraction")
    return None if got is None else (got, np.asarray(c.values["max_propellant_mass_fraction"], dtype=float))


CONSTRAINTS: dict[str, Constraint] = {
    "deployment_cadence": Constraint(
        "deployment_cadence", "fleet deployed within max_deployment_years at the launch cadence", "yr", "<=",
        _deployment, "orbital.deployment_years (launches / launches_per_yr) vs max_deployment_years"),
    "die_temperature": Constraint(
        "die_temperature", "GPU die temperature (radiator + die-to-radiator rise) within its limit", "K", "<=",
        _die_temperature, "design.checks.die_temperature_k (bottom-up) vs sim_die_limit_k"),
    "dose_margin": Constraint(
        "dose_margin", "total-dose tolerance over mission dose behind the shielding", "1", ">=",
        _dose_margin, "design.checks.dose_margin (bottom-up) vs min_dose_margin"),
    "battery_cycle_life": Constraint(
        "battery_cycle_life", "battery depth of discharge within the cycle life for the mission's eclipses", "1",
        "<=", _battery_cycle_life,
        "design.depth_of_discharge vs design.checks.allowed_depth_of_discharge (bottom-up)"),
    "downlink": Constraint(
        "downlink", "fleet downlink carries the workload's output bits", "bit/day", ">=", _downlink,
        "design.checks.downlink_bits_per_day x satellites (bottom-up) vs workload_bits_per_j x P_IT x 86400 s"),
    "drag_propellant": Constraint(
        "drag_propellant", "drag make-up propellant within the propellant budget (fraction of launch mass)", "1",
        "<=", _propellant, "design.checks.propellant_mass_fraction (bottom-up) vs max_propellant_mass_fraction"),
}


# ----------------------------------------------------------------------------- variables

@dataclass(frozen=True)
class DesignVariable:
    """One searched parameter: bounds in its unit, integer flag, log-scale flag."""

    name: str
    low: float
    high: float
    unit: str
    role: str
    integer: bool = False
    explicit: bool = False
    log: bool = False

    def to_unit(self, x):
        """Search coordinate -> parameter value (``10**x`` on a log scale; rounded if integer)."""
        v = 10.0 ** np.asarray(x, dtype=float) if self.log else np.asarray(x, dtype=float)
        return np.round(v) if self.integer else v

    def from_unit(self, v):
        return np.log10(np.asarray(v, dtype=float)) if self.log else np.asarray(v, dtype=float)

    @property
    def search_bounds(self) -> tuple[float, float]:
        lo, hi = (math.log10(self.low), math.log10(self.high)) if self.log else (self.low, self.high)
        return float(lo), float(hi)


@dataclass
class Selection:
    """Which parameters are searched, which are held fixed (with the reason), and warnings."""

    variables: list[DesignVariable]
    held_fixed: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def parse_vary(items: Sequence[str] | None) -> dict[str, tuple[float, float]]:
    """Parse ``NAME=LOW:HIGH`` items (CLI ``--vary``) into ``{name: (low, high)}``."""
    out: dict[str, tuple[float, float]] = {}
    for item in items or []:
        name, sep, rng = item.partition("=")
        lo_text, sep2, hi_text = rng.partition(":")
        name = name.strip()
        if not sep or not sep2 or not name:
            raise OrbitaldcError(f"--vary {item!r}: expected NAME=LOW:HIGH, e.g. specific_power_w_per_kg=20:80")
        try:
            lo, hi = float(lo_text), float(hi_text)
        except ValueError:
            raise OrbitaldcError(f"--vary {item!r}: LOW and HIGH must be numbers") from None
        if name in out:
            raise OrbitaldcError(f"--vary {name}: given twice")
        out[name] = (lo, hi)
    return out


def _check_bounds(spec: ParamSpec, lo: float, hi: float, where: str) -> tuple[float, float]:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise OrbitaldcError(f"{where} {spec.name}={lo:g}:{hi:g}: bounds must be finite numbers")
    if lo >= hi:
        raise OrbitaldcError(f"{where} {spec.name}={lo:g}:{hi:g}: LOW must be below HIGH")
    if (spec.min is not None and lo < spec.min) or (spec.max is not None and hi > spec.max):
        raise OrbitaldcError(f"{where} {spec.name}={lo:g}:{hi:g}: outside the allowed range; expected {spec.allowed()}")
    if spec.type == "int":
        lo, hi = float(math.ceil(lo)), float(math.floor(hi))
        if lo >= hi:
            raise OrbitaldcError(f"{where} {spec.name}: no two whole numbers between the bounds; widen them")
    return lo, hi


def select_variables(scenario: Scenario, vary: Mapping[str, tuple[float, float]] | None = None,
                     library: Mapping[str, ParamSpec] | None = None) -> Selection:
    """Choose the searched parameters (before the no-effect probe of :class:`DesignProblem`).

    Every numeric ``role = "design"`` parameter with a library design range ``low``/``high`` is
    searched over that range, widened to include the scenario's own value (so the scenario is a
    candidate). ``vary`` adds or re-bounds parameters; a non-design one gets a warning.

    Raises
    ------
    OrbitaldcError
        Unknown or non-numeric names, non-finite or empty bounds, bounds outside the allowed range.
    """
    library = load_library() if library is None else library
    vary = dict(vary or {})
    variables: list[DesignVariable] = []
    held: dict[str, str] = {}
    notes: list[str] = []
    for name in vary:
        spec = library.get(name)
        if spec is None:
            design = [n for n, s in library.items() if s.role == "design" and s.is_numeric]
            raise OrbitaldcError(f"--vary {name}: unknown parameter; design variables: {', '.join(design)}")
        if not spec.is_numeric:
            raise OrbitaldcError(f"--vary {name}: a model choice ({spec.allowed()}), not a number; "
                                 f"compare choices with --set {name}=...")
    for name, spec in library.items():
        if not spec.is_numeric:
            continue
        value = scenario.values[name]
        if name in vary:
            lo, hi = _check_bounds(spec, *vary[name], where="--vary")
            if spec.role != "design":
                article = "an" if spec.role[0] in "aeiou" else "a"
                notes.append(f"{name} is {article} {spec.role}, not a design choice: the optimum depends on choosing "
                             f"it (varied over [{lo:g}, {hi:g}] because you asked)")
            variables.append(_variable(spec, lo, hi, explicit=True))
            continue
        if spec.role != "design":
            held[name] = f"{spec.role} (held at the scenario value)"
            continue
        if spec.low is None or spec.high is None:
            held[name] = "design variable without a design range in the library (give --vary NAME=LOW:HIGH)"
            continue
        if value is None:
            held[name] = "not set in this scenario"
            continue
        lo, hi = min(float(spec.low), float(value)), max(float(spec.high), float(value))
        if spec.min is not None:
            lo = max(lo, float(spec.min))
        if spec.max is not None:
            hi = min(hi, float(spec.max))
        if hi <= lo:
            held[name] = "design range is a single value"
            continue
        if not float(spec.low) <= float(value) <= float(spec.high):
            notes.append(f"{name}: range widened to [{lo:g}, {hi:g}] to include the scenario value {float(value):g}")
        variables.append(_variable(spec, lo, hi, explicit=False))
    return Selection(variables, held, notes)


def _variable(spec: ParamSpec, lo: float, hi: float, explicit: bool) -> DesignVariable:
    log = spec.type != "int" and lo > 0 and hi / lo >= LOG_SPAN
    return DesignVariable(spec.name, float(lo), float(hi), spec.unit, spec.role, spec.type == "int", explicit, log)


# ----------------------------------------------------------------------------- the problem

class DesignProblem:
    """The model as a vectorized function of search coordinates ``X`` of shape ``(S, N)``.

    ``evaluate(X)`` returns objectives ``F`` ``(S, M)`` and constraint margins ``G`` ``(S, C)``
    (``G <= 0`` feasible) from one :func:`orbitaldc.compare.evaluate_values` call (chunked above
    :data:`MAX_ROWS_PER_CALL` rows). In robust mode every candidate is evaluated on the same
    Monte Carlo sample of the assumptions and ``F``, ``G`` are that sample's quantile.
    """

    def __init__(self, scenario: Scenario, variables: Sequence[DesignVariable], objectives: Sequence[Objective],
                 constraints: Sequence[Constraint] | None = None, robust: str | None = None,
                 samples: int = ROBUST_SAMPLES, seed: int = 0):
        self.scenario = scenario
        self.variables = list(variables)
        self.objectives = list(objectives)
        self.base = dict(scenario.values)
        self.robust = robust
        self.quantile = None
        self.sampled: dict[str, np.ndarray] = {}
        if robust is not None:
            if robust not in ROBUST_QUANTILES:
                raise OrbitaldcError(f"--robust {robust!r}: expected one of {', '.join(ROBUST_QUANTILES)}")
            self.quantile = ROBUST_QUANTILES[robust]
            self.sampled = sample_assumptions(scenario, [v.name for v in self.variables], samples, seed)
        self.rows = 0  # model rows evaluated so far (candidates x samples)
        self.calls = 0
        self.rejected: str | None = None  # last reason the model rejected a candidate
        candidates = list(CONSTRAINTS.values()) if constraints is None else list(constraints)
        probe = self._comparison(self._values(np.array([[v.from_unit(self.base[v.name]) for v in self.variables]])
                                              if self.variables else np.zeros((1, 0))))
        self.constraints = []
        self.not_applicable: dict[str, str] = {}
        for con in candidates:
            if con.quantity(probe) is None:
                self.not_applicable[con.name] = (f"not computed by mass_model = {self.base.get('mass_model')!r}"
                                                 f" ({con.origin})")
            else:
                self.constraints.append(con)

    # -- bounds
    @property
    def bounds(self) -> list[tuple[float, float]]:
        return [v.search_bounds for v in self.variables]

    @property
    def integrality(self) -> np.ndarray:
        return np.array([v.integer for v in self.variables], dtype=bool)

    def x_of(self, design: Mapping[str, float]) -> np.ndarray:
        """Search coordinates of a design (clipped into the bounds)."""
        x = np.array([float(v.from_unit(design[v.name])) for v in self.variables])
        lo, hi = np.array(self.bounds).T
        return np.clip(x, lo, hi)

    def design_of(self, x: np.ndarray) -> dict[str, float]:
        """Parameter values of one search point (integers rounded)."""
        return {v.name: (int(v.to_unit(xi)) if v.integer else float(v.to_unit(xi))) for v, xi in zip(self.variables, x)}

    # -- evaluation
    def _values(self, X: np.ndarray) -> dict[str, Any]:
        values = dict(self.base)
        robust = bool(self.sampled)
        for j, var in enumerate(self.variables):
            col = var.to_unit(X[:, j])
            values[var.name] = col[:, None] if robust else col
        for name, draw in self.sampled.items():
            values[name] = draw[None, :]
        return values

    def _comparison(self, values: Mapping[str, Any]) -> Comparison:
        with np.errstate(all="ignore"):
            return evaluate_values(values)

    def evaluate(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Objectives ``(S, M)`` and constraint margins ``(S, C)`` of search points ``X (S, N)``.

        A block the model rejects (:class:`OrbitaldcError`, e.g. a physically impossible
        combination) is re-evaluated row by row; rejected rows get infinite objectives and
        margins (infeasible) and the last reason is kept in ``rejected``.
        """
        X = np.atleast_2d(np.asarray(X, dtype=float))
        S = X.shape[0]
        per_row = len(next(iter(self.sampled.values()))) if self.sampled else 1
        step = max(1, MAX_ROWS_PER_CALL // per_row)
        F = np.empty((S, len(self.objectives)))
        G = np.empty((S, len(self.constraints)))
        for start in range(0, S, step):
            part = X[start:start + step]
            n = part.shape[0]
            try:
                F[start:start + n], G[start:start + n] = self._block(part)
            except OrbitaldcError:
                for i in range(n):
                    try:
                        F[start + i], G[start + i] = (a[0] for a in self._block(part[i:i + 1]))
                    except OrbitaldcError as exc:
                        F[start + i], G[start + i] = np.inf, np.inf
                        self.rejected = str(exc)
        F = np.where(np.isfinite(F), F, np.inf)
        return F, G

    def _block(self, part: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One vectorized model call for the search points ``part``."""
        n = part.shape[0]
        c = self._comparison(self._values(part))
        self.rows += n * (len(next(iter(self.sampled.values()))) if self.sampled else 1)
        self.calls += 1
        F = np.empty((n, len(self.objectives)))
        G = np.empty((n, len(self.constraints)))
        for m, obj in enumerate(self.objectives):
            F[:, m] = self._reduce(get_metric(c, obj.metric), n)
        for k, con in enumerate(self.constraints):
            value, limit = con.quantity(c)
            G[:, k] = self._reduce(con.margin(value, limit), n)
        return F, G

    def _reduce(self, a, n: int) -> np.ndarray:
        """One value per candidate: the sample quantile (robust) or the value itself."""
        a = np.asarray(a, dtype=float)
        if self.sampled:
            per_row = len(next(iter(self.sampled.values())))
            return np.percentile(np.broadcast_to(a, (n, per_row)), self.quantile, axis=1)
        return np.broadcast_to(a, (n,))

    def comparison_at(self, design: Mapping[str, float]) -> Comparison:
        """Re-evaluate one design through the validating scenario path (nominal assumptions)."""
        sc = self.scenario.with_overrides(dict(design), where="optimum")
        return self._comparison(sc.values)


def sample_assumptions(scenario: Scenario, exclude: Sequence[str], n: int, seed: int) -> dict[str, np.ndarray]:
    """Monte Carlo sample of the scenario's uncertain non-design parameters (common random numbers).

    Uses :func:`orbitaldc.uncertainty.uncertain_parameters` (the library's distributions centred
    on the scenario, truncated to the allowed range, Gaussian-copula correlations).
    """
    from orbitaldc import uncertainty

    library = load_library()
    n = uncertainty.check_samples(n, "robust samples", maximum=100_000, minimum=2)
    marg = uncertainty.uncertain_parameters(scenario)
    marg = {k: m for k, m in marg.items() if k not in set(exclude) and library[k].role != "design"}
    if not marg:
        raise OrbitaldcError("robust design: no uncertain assumption left to sample")
    corr = uncertainty.correlation_matrix(list(marg), library)
    return uncertainty.sample_values(marg, n, np.random.default_rng(seed), corr)


# ----------------------------------------------------------------------------- generic search

@dataclass
class SearchResult:
    """Outcome of :func:`minimize_population` (search coordinates)."""

    x: np.ndarray
    f: float
    g: np.ndarray
    feasible: bool
    generations: int
    model_calls: int
    message: str


def _memo(evaluate, objective_index: int = 0):
    """``run(points)`` evaluates the points not yet in ``cache`` (point bytes -> (f, g)) in one call."""
    cache: dict[bytes, tuple[float, np.ndarray]] = {}
    calls = [0]

    def run(points: np.ndarray) -> None:
        missing = [p for p in points if p.tobytes() not in cache]
        if missing:
            P = np.array(missing)
            F, G = evaluate(P)
            calls[0] += 1
            for p, f, g in zip(P, F[:, objective_index], G):
                cache[p.tobytes()] = (float(f), g)

    return run, cache, calls


def minimize_population(evaluate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                        bounds: Sequence[tuple[float, float]], integrality: np.ndarray | None = None,
                        x0: np.ndarray | None = None, seed: int = 0, popsize: int = POPSIZE,
                        maxiter: int = MAXITER, tol: float = 1e-6, n_constraints: int = 0,
                        objective_index: int = 0) -> SearchResult:
    """Minimize ``F[:, objective_index]`` subject to ``G <= 0`` by vectorized differential evolution.

    Parameters
    ----------
    evaluate : callable
        ``X (S, N) -> (F (S, M), G (S, C))``, one vectorized call per population.
    bounds : sequence of (low, high)
        Search box.
    integrality : array of bool, optional
        Integer coordinates (rounded by SciPy before ``evaluate`` sees them).
    x0 : array, optional
        A point placed in the initial population (e.g. the preset's design).
    n_constraints : int
        ``C``; zero for an unconstrained problem.

    Returns
    -------
    SearchResult

    Notes
    -----
    SciPy asks for constraint violations of a whole population first, then objectives of its
    feasible members; both come from one model evaluation through a cache keyed by the point.
    """
    run, cache, calls = _memo(evaluate, objective_index)

    def fun(x):  # x: (N, S) or (N,)
        P = np.ascontiguousarray(np.atleast_2d(np.asarray(x, dtype=float).T))
        run(P)
        return np.array([cache[p.tobytes()][0] for p in P])

    def con(x):
        P = np.ascontiguousarray(np.atleast_2d(np.asarray(x, dtype=float).T))
        run(P)
        out = np.array([cache[p.tobytes()][1] for p in P]).T  # (C, S)
        return out if np.ndim(x) > 1 else out[:, 0]

    constraints = ()
    if n_constraints:
        constraints = (sopt.NonlinearConstraint(con, -np.inf, 0.0),)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = sopt.differential_evolution(
            fun, bounds, vectorized=True, updating="deferred", integrality=integrality, x0=x0,
            rng=np.random.default_rng(seed), popsize=popsize, maxiter=maxiter, tol=tol, polish=False,
            constraints=constraints, init="sobol")
    x = _compass_polish(run, cache, np.asarray(res.x, dtype=float), bounds, integrality)
    # coordinates within ACTIVE_TOLERANCE of a bound are tried on the bound itself (DE's mutation
    # approaches a bound but rarely lands on it); kept only when no worse and no less feasible
    lo, hi = np.array(bounds, dtype=float).T
    near_lo = x - lo <= ACTIVE_TOLERANCE * (hi - lo)
    near_hi = hi - x <= ACTIVE_TOLERANCE * (hi - lo)
    snapped = np.where(near_lo, lo, np.where(near_hi, hi, x))
    run(np.ascontiguousarray(np.vstack([x, snapped])))
    f, g = cache[np.ascontiguousarray(x).tobytes()]
    fs, gs = cache[np.ascontiguousarray(snapped).tobytes()]
    if fs <= f and np.sum(np.maximum(gs, 0)) <= np.sum(np.maximum(g, 0)):
        x, f, g = snapped, fs, gs
    feasible = bool(np.all(g <= 0)) if n_constraints else True
    return SearchResult(x, f, g, feasible, int(res.nit), calls[0], str(res.message))


def _violation(g: np.ndarray) -> float:
    return float(np.sum(np.maximum(g, 0.0)))


def _compass_polish(run, cache, x, bounds, integrality, step: float = POLISH_STEP,
                    min_step: float = POLISH_MIN_STEP) -> np.ndarray:
    """Vectorized compass search from the evolution's best point (one model call per iteration).

    Each iteration evaluates ``x +- h_j e_j`` for every coordinate (clipped to the box, integers
    rounded) and moves to the best candidate by Lampinen's rules (feasible and lower objective,
    or less violation); otherwise the step halves, from ``step`` to ``min_step`` of the box width.
    It lands on active constraints and bounds that differential evolution only approaches.

    References
    ----------
    .. [1] T. G. Kolda, R. M. Lewis and V. Torczon, "Optimization by direct search: new
       perspectives on some classical and modern methods", SIAM Review 45, 385-482 (2003),
       sec. 3 (compass search).
    """
    lo, hi = np.array(bounds, dtype=float).T
    ints = np.zeros(lo.size, bool) if integrality is None else np.asarray(integrality, bool)
    width = hi - lo
    key = lambda p: np.ascontiguousarray(p).tobytes()  # noqa: E731
    run(np.ascontiguousarray(x[None, :]))
    f, g = cache[key(x)]
    h = step
    while h >= min_step:
        eye = np.eye(lo.size) * np.maximum(h * width, np.where(ints, 1.0, 0.0))
        P = np.clip(np.vstack([x + eye, x - eye]), lo, hi)
        P[:, ints] = np.round(P[:, ints])
        P = np.ascontiguousarray(P)
        run(P)
        best = None
        for p in P:
            fp, gp = cache[key(p)]
            vp, vb = _violation(gp), _violation(g if best is None else best[2])
            fb = f if best is None else best[1]
            if (vp == 0 and vb == 0 and fp < fb) or vp < vb:
                best = (p, fp, gp)
        if best is None:
            h /= 2.0
        else:
            x, f, g = best
    return x


def non_dominated(F: np.ndarray, chunk: int = 512) -> np.ndarray:
    """Mask of the non-dominated rows of ``F (S, M)`` (all objectives minimized).

    Row ``i`` is dominated when some row ``j`` has ``F_j <= F_i`` in every objective and
    ``F_j < F_i`` in at least one (Deb 2001, sec. 2.4). Exact duplicates keep only their first.

    Notes
    -----
    Pairwise comparison in chunks of ``chunk`` rows: ``O(S^2 M)`` work, ``O(chunk S M)`` memory.
    """
    F = np.asarray(F, dtype=float)
    S = F.shape[0]
    keep = np.isfinite(F).all(axis=1)
    _, first = np.unique(F, axis=0, return_index=True)
    unique = np.zeros(S, dtype=bool)
    unique[first] = True
    keep &= unique
    idx = np.nonzero(keep)[0]
    Fk = F[idx]
    dominated = np.zeros(idx.size, dtype=bool)
    for s in range(0, idx.size, chunk):
        block = Fk[s:s + chunk, None, :]
        le = (Fk[None, :, :] <= block).all(axis=2)
        lt = (Fk[None, :, :] < block).any(axis=2)
        dominated[s:s + chunk] = (le & lt).any(axis=1)
    mask = np.zeros(S, dtype=bool)
    mask[idx[~dominated]] = True
    return mask


def pareto_search(evaluate: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]],
                  bounds: Sequence[tuple[float, float]], integrality: np.ndarray | None = None,
                  samples: int = PARETO_SAMPLES, rounds: int = PARETO_REFINE_ROUNDS, seed: int = 0,
                  anchors: Sequence[np.ndarray] = (), polish: int = PARETO_POLISH_POINTS
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Feasible non-dominated points of a vectorized problem.

    A scrambled Sobol sample of ``samples`` points (Sobol' 1967) plus ``anchors`` (e.g. the
    single-objective optima) is evaluated in one call; each refinement round perturbs the current
    front (at most ``samples`` parents, ``samples`` children in all) with Gaussian steps of
    ``0.1 / 2^r`` of the box width, evaluates them in one call, and filters again.
    Finally up to ``polish`` front designs are polished by the epsilon-constraint method
    (:func:`_epsilon_polish`) and the front is filtered once more.

    Returns
    -------
    X, F, G : ndarray
        Front points (search coordinates), objectives and constraint margins.
    evaluated : int
        Points evaluated in all.
    """
    lo, hi = np.array(bounds, dtype=float).T
    width = hi - lo
    rng = np.random.default_rng(seed)
    ints = np.zeros(lo.size, dtype=bool) if integrality is None else np.asarray(integrality, dtype=bool)

    def snap(X):
        X = np.clip(X, lo, hi)
        X[:, ints] = np.round(X[:, ints])
        return X

    m = max(1, int(math.ceil(math.log2(max(samples, 2)))))
    X = qmc.Sobol(lo.size, scramble=True, rng=rng).random_base2(m)[:samples]
    X = snap(lo + X * width)
    if len(anchors):
        X = np.vstack([X, snap(np.array(anchors, dtype=float))])
    evaluated = 0

    def add_to_front(Y, front=None):
        """Evaluate ``Y``; return the non-dominated points of ``front`` and ``Y``'s feasible rows."""
        nonlocal evaluated
        Fy, Gy = evaluate(Y)
        evaluated += Y.shape[0]
        ok = np.all(Gy <= 0, axis=1) if Gy.size else np.ones(Y.shape[0], bool)
        parts = ([front] if front is not None else []) + [(Y[ok], Fy[ok], Gy[ok])]
        X, F, G = (np.vstack(column) for column in zip(*parts))
        keep = non_dominated(F)
        return X[keep], F[keep], G[keep]

    X, F, G = add_to_front(X)
    for r in range(rounds):
        if X.shape[0] == 0:
            break
        sigma = 0.1 / 2 ** r * width
        parents = X if X.shape[0] <= samples else X[rng.choice(X.shape[0], samples, replace=False)]
        per_point = max(1, samples // parents.shape[0])
        Y = snap(np.repeat(parents, per_point, axis=0)
                 + rng.standard_normal((parents.shape[0] * per_point, lo.size)) * sigma)
        X, F, G = add_to_front(Y, (X, F, G))
    if polish and X.shape[0]:
        X, F, G = add_to_front(_epsilon_polish(evaluate, X, F, bounds, ints, polish), (X, F, G))
    order = np.lexsort(F.T[::-1])
    return X[order], F[order], G[order], evaluated


def _epsilon_polish(evaluate, X, F, bounds, integrality, points: int) -> np.ndarray:
    """Improve up to ``points`` front designs by the epsilon-constraint method.

    Each chosen design ``i`` is polished by compass search on the first objective subject to the
    constraints and to every other objective staying at or below its value ``F_i`` (Haimes,
    Lasdon and Wismer 1971; Deb 2001, sec. 3.2), so a polished design dominates or equals the
    one it started from.
    """
    idx = np.unique(np.linspace(0, X.shape[0] - 1, min(points, X.shape[0])).round().astype(int))
    out = []
    for i in idx:
        fi = F[i, 1:]
        scale = np.where(fi != 0, np.abs(fi), 1.0)

        def scalarized(P, fi=fi, scale=scale):
            Fp, Gp = evaluate(P)
            return Fp[:, :1], np.hstack([Gp, (Fp[:, 1:] - fi) / scale])

        run, cache, _ = _memo(scalarized)
        out.append(_compass_polish(run, cache, X[i].copy(), bounds, integrality,
                                   min_step=PARETO_POLISH_MIN_STEP))
    return np.array(out)


# ----------------------------------------------------------------------------- design studies

@dataclass
class ConstraintStatus:
    """One constraint at a design: quantity, limit, normalized margin, active and satisfied flags."""

    name: str
    description: str
    unit: str
    sense: str
    value: float
    limit: float
    margin: float
    active: bool
    satisfied: bool
    origin: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("name", "description", "unit", "sense", "value", "limit",
                                              "margin", "active", "satisfied", "origin")}

    def text(self) -> str:
        """``name = value unit (limit <= L)``, for messages."""
        return f"{self.name} = {self.value:.4g} {self.unit} (limit {self.sense} {self.limit:.4g})"


def _drop_without_effect(problem: DesignProblem, selection: Selection) -> None:
    """Hold fixed every searched variable that no objective and no constraint reads.

    What can move a result is read from the model's declarations
    (:func:`orbitaldc.compare.metric_reads` for the objectives; the orbital chain's and the design
    checks' inputs, :mod:`orbitaldc.systems.inputs`, for the constraints), not probed.
    """
    values = problem.base
    relevant: set[str] = set()
    for obj in problem.objectives:
        relevant |= metric_reads(values, obj.metric)
    if problem.constraints:
        relevant |= orbital_reads(values) | design_check_reads(values)
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


def _prepare(scenario: Scenario | str, objectives: Sequence[Objective], vary, robust, samples, seed,
             constraints=None) -> tuple[Scenario, Selection, DesignProblem]:
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if sc.shape:
        raise OrbitaldcError("optimize: the scenario has array parameters; give a single point")
    selection = select_variables(sc, vary)
    problem = DesignProblem(sc, selection.variables, objectives, constraints, robust, samples, seed)
    _drop_without_effect(problem, selection)
    if not problem.variables:
        raise OrbitaldcError("optimize: nothing to vary - no design variable with a design range changes the "
                             "objective in this scenario; name one with --vary NAME=LOW:HIGH")
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
    robust_info = None
    if robust:
        robust_info = {"quantile": robust, "samples": int(samples), "seed": seed,
                       "sampled": sorted(problem.sampled), "common_random_numbers": True}
    return OptimizationResult(
        scenario=sc.name, objective=obj, value=f, preset_value=float(F0[0, 0]),
        nominal_value=float(np.asarray(get_metric(comparison, obj.metric)).ravel()[0]),
        design=design, preset_design=preset_design, variables=problem.variables,
        held_fixed=selection.held_fixed, warnings=selection.warnings, constraints=statuses,
        not_applicable=problem.not_applicable, feasible=feasible, preset_feasible=preset_feasible,
        preset_violations=[c.text() for c in _statuses(problem, x0, G0[0]) if not c.satisfied],
        robust=robust_info, evaluations=problem.rows - rows_before, model_calls=res.model_calls,
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
        raise OrbitaldcError(f"--pareto {','.join(keys)}: expected two or three different objectives from "
                             f"{', '.join(OBJECTIVES)}")
    objs = [objective(k) for k in keys]
    if not 16 <= points <= 1_000_000:
        raise OrbitaldcError(f"pareto points = {points}: expected 16 to 1000000")
    sc, selection, problem = _prepare(scenario, objs, vary, robust, samples, seed)
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
        raise OrbitaldcError("pareto: no feasible design within the bounds; run `orbitaldc optimize` to see the "
                             "least-violating design and which constraints it breaks")
    if X.shape[0] > max_points:
        keep = np.unique(np.linspace(0, X.shape[0] - 1, max_points).round().astype(int))
        X, F, G = X[keep], F[keep], G[keep]
    robust_info = None
    if robust:
        robust_info = {"quantile": robust, "samples": int(samples), "seed": seed, "common_random_numbers": True}
    return ParetoResult(
        scenario=sc.name, objectives=objs, variables=problem.variables, held_fixed=selection.held_fixed,
        warnings=selection.warnings, constraints=[c.name for c in problem.constraints],
        not_applicable=problem.not_applicable, designs=[problem.design_of(x) for x in X], values=F, margins=G,
        scenario_values=F0[0], scenario_feasible=bool(np.all(G0 <= 0)), robust=robust_info,
        evaluations=problem.rows - rows_before, seconds=seconds)
