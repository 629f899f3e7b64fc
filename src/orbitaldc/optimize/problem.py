"""The design problem: objectives, design variables, and the model as a vectorized function.

* **Design variables are not assumptions.** The parameter library marks each parameter's
  ``role``. :func:`select_variables` takes the numeric ``role = "design"`` parameters that have a
  design range in the library (``low``/``high``); everything else (launch price, hardware $/W,
  failure rates, discount rate, utilization ...) is held at the scenario's value and listed as
  held fixed. Another parameter is varied only when the caller names it with explicit bounds
  (``vary``), with a warning: an optimizer that "wins" by moving an assumption to its bound is
  not an answer.
* :class:`DesignProblem` evaluates search points ``X (S, N)`` in one
  :func:`orbitaldc.compare.evaluate_values` call; in robust mode every candidate sees the same
  Monte Carlo sample of the uncertain assumptions (:mod:`orbitaldc.sampling`, common random
  numbers), and objectives and margins are that sample's quantile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from orbitaldc.compare import Comparison, evaluate_values, get_metric, metric_reads
from orbitaldc.errors import OrbitaldcError
from orbitaldc.optimize.constraints import CONSTRAINTS, Constraint
from orbitaldc.params import ROLES, ParamSpec, Scenario, load_library
from orbitaldc.sampling import check_samples, define_problem
from orbitaldc.systems.inputs import design_check_reads, orbital_reads

__all__ = ["DesignProblem", "DesignVariable", "LOG_SPAN", "MAX_ROWS_PER_CALL", "OBJECTIVES", "Objective",
           "ROBUST_QUANTILES", "ROBUST_SAMPLES", "Selection", "objective", "parse_vary", "sample_assumptions",
           "select_variables"]

#: A float variable whose bounds span at least this ratio is searched on a log scale.
LOG_SPAN = 100.0
#: Largest number of model rows evaluated in one vectorized call (bounds memory).
MAX_ROWS_PER_CALL = 250_000
#: Robust design defaults: Monte Carlo samples of the assumptions per candidate.
ROBUST_SAMPLES = 128
ROBUST_QUANTILES = {"p50": 50.0, "p90": 90.0}


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
    """Look up an objective by key.

    Parameters
    ----------
    key : str
        A key of :data:`OBJECTIVES`.

    Returns
    -------
    Objective

    Raises
    ------
    OrbitaldcError
        Unknown key (the allowed ones are listed).
    """
    try:
        return OBJECTIVES[key]
    except KeyError:
        raise OrbitaldcError(f"objective {key!r}: unknown; allowed: {', '.join(OBJECTIVES)}") from None


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
    """Parse ``NAME=LOW:HIGH`` items into ``{name: (low, high)}`` (the ``vary`` argument).

    Parameters
    ----------
    items : sequence of str, optional
        E.g. ``["specific_power_w_per_kg=20:80"]``.

    Returns
    -------
    dict
        Name -> (low, high).

    Raises
    ------
    OrbitaldcError
        Malformed item, non-numeric bounds, a name given twice.
    """
    out: dict[str, tuple[float, float]] = {}
    for item in items or []:
        name, sep, rng = item.partition("=")
        lo_text, sep2, hi_text = rng.partition(":")
        name = name.strip()
        if not sep or not sep2 or not name:
            raise OrbitaldcError(f"vary {item!r}: expected NAME=LOW:HIGH, e.g. specific_power_w_per_kg=20:80")
        try:
            lo, hi = float(lo_text), float(hi_text)
        except ValueError:
            raise OrbitaldcError(f"vary {item!r}: LOW and HIGH must be numbers") from None
        if name in out:
            raise OrbitaldcError(f"vary {name}: given twice")
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

    Parameters
    ----------
    scenario : Scenario
        A single point.
    vary : mapping, optional
        Name -> (low, high) bounds to search.
    library : mapping, optional
        Parameter library.

    Returns
    -------
    Selection
        The variables, the parameters held fixed with the reason, and warnings.

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
            raise OrbitaldcError(f"vary {name}: unknown parameter; design variables: {', '.join(design)}")
        if not spec.is_numeric:
            raise OrbitaldcError(f"vary {name}: a model choice ({spec.allowed()}), not a number; "
                                 f"compare choices with overrides ({name} = ...)")
    for name, spec in library.items():
        if not spec.is_numeric:
            continue
        value = scenario.values[name]
        if name in vary:
            lo, hi = _check_bounds(spec, *vary[name], where="vary")
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
            held[name] = "design variable without a design range in the library (name it in vary with bounds)"
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
        self.not_sampled: dict[str, str] = {}
        if robust is not None and robust not in ROBUST_QUANTILES:
            raise OrbitaldcError(f"robust = {robust!r}: expected one of {', '.join(ROBUST_QUANTILES)}")
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
        if robust is not None:
            self.quantile = ROBUST_QUANTILES[robust]
            self.sampled, self.not_sampled = sample_assumptions(
                scenario, {v.name: "a searched design variable" for v in self.variables}, samples, seed,
                self.reads())

    def robust_info(self, samples: int, seed: int) -> dict[str, Any] | None:
        """What a robust study sampled (None when not robust).

        Parameters
        ----------
        samples, seed : int
            As passed to the study.

        Returns
        -------
        dict or None
            ``quantile``, ``samples``, ``seed``, ``sampled``, ``not_sampled`` (with reasons) and
            ``common_random_numbers``.
        """
        if self.robust is None:
            return None
        return {"quantile": self.robust, "samples": int(samples), "seed": seed, "sampled": sorted(self.sampled),
                "not_sampled": self.not_sampled, "common_random_numbers": True}

    def reads(self) -> frozenset[str]:
        """Parameters that can move an objective or a constraint (from the model's declarations).

        Returns
        -------
        frozenset of str
            :func:`orbitaldc.compare.metric_reads` of each objective, and the orbital chain's and
            design checks' inputs (:mod:`orbitaldc.systems.inputs`) when a constraint applies.
        """
        out = frozenset().union(*(metric_reads(self.base, obj.metric) for obj in self.objectives))
        if self.constraints:
            out |= orbital_reads(self.base) | design_check_reads(self.base)
        return out

    # -- bounds
    @property
    def bounds(self) -> list[tuple[float, float]]:
        return [v.search_bounds for v in self.variables]

    @property
    def integrality(self) -> np.ndarray:
        return np.array([v.integer for v in self.variables], dtype=bool)

    def x_of(self, design: Mapping[str, float]) -> np.ndarray:
        """Search coordinates of a design (clipped into the bounds).

        Parameters
        ----------
        design : mapping
            Variable name -> value.

        Returns
        -------
        ndarray
        """
        x = np.array([float(v.from_unit(design[v.name])) for v in self.variables])
        lo, hi = np.array(self.bounds).T
        return np.clip(x, lo, hi)

    def design_of(self, x: np.ndarray) -> dict[str, float]:
        """Parameter values of one search point (integers rounded).

        Parameters
        ----------
        x : ndarray
            Search coordinates ``(N,)``.

        Returns
        -------
        dict
        """
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

        Parameters
        ----------
        X : ndarray
            Search points ``(S, N)``.

        Returns
        -------
        F, G : ndarray
            Objectives (infinite where rejected) and margins (``G <= 0`` feasible).

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
        """Re-evaluate one design through the validating scenario path (nominal assumptions).

        Parameters
        ----------
        design : mapping
            Variable name -> value.

        Returns
        -------
        Comparison
        """
        sc = self.scenario.with_overrides(dict(design), where="optimum")
        return self._comparison(sc.values)


def sample_assumptions(scenario: Scenario, exclude: Mapping[str, str], n: int, seed: int,
                       reads: Sequence[str] | None = None) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Monte Carlo sample of the scenario's uncertain assumptions for robust design (common random numbers).

    Parameters
    ----------
    scenario : Scenario
        A single point.
    exclude : mapping
        Parameter -> reason it is not sampled (the searched design variables).
    n : int
        Samples (2 to 100,000), shared by every candidate.
    seed : int
        Seed of the ``numpy.random.Generator``.
    reads : sequence of str, optional
        The inputs that can move the objectives and constraints; only those are sampled (None:
        every uncertain input).

    Returns
    -------
    sampled : dict
        Parameter -> ``(n,)`` draws (every non-design uncertain input the problem reads, with
        the scenario's stated distribution or the library's re-centred on the scenario value;
        correlations through the Gaussian copula, :mod:`orbitaldc.sampling`).
    not_sampled : dict
        Parameter -> why it is held at the scenario value.

    Raises
    ------
    OrbitaldcError
        A bad count, or nothing left to sample.
    """
    n = check_samples(n, "samples", maximum=100_000, minimum=2)
    problem = define_problem(scenario, None, inputs=reads, exclude=exclude,
                             roles=[r for r in ROLES if r != "design"], what="robust design")
    if not problem.marginals:
        raise OrbitaldcError("robust design: no uncertain assumption left to sample")
    return problem.sample(n, np.random.default_rng(seed)), problem.not_sampled
