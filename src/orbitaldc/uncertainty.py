"""Uncertainty: Monte Carlo, one-at-a-time tornado and Sobol indices around a scenario.

Each analysis samples what can move its metrics and nothing else, from the distributions the
scenario states (``[uncertainty.NAME]`` tables or the ``uncertainty`` argument) or, where it
states none, the library's distributions **re-centred on the scenario's values**: the median (mode
for a triangular) of each marginal is the scenario's value, with the library's shape and relative
spread, truncated to the allowed range. The rule and the sampling steps (problem -> sample ->
evaluate -> analyze) are documented in :mod:`orbitaldc.sampling`. Every result says, per sampled
parameter, where its distribution came from, and lists the parameters not sampled with the
reason.

A Monte Carlo is evaluated in chunks, **one vectorized** :func:`orbitaldc.compare.evaluate_values`
call per chunk, so memory stays bounded for any sample count; above ``exact_limit`` samples the
percentiles come from a fine streaming histogram (relative resolution about 1e-4).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from orbitaldc.compare import HEADLINE_METRIC, METRIC_ALIASES, evaluate_values, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, Scenario
from orbitaldc.sampling import (PERCENTILES, PercentileAccumulator, check_samples, define_problem, evaluate_chunks,
                                evaluate_columns, one_at_a_time, resolve_seed, sobol_indices)

__all__ = ["DEFAULT_CHUNK", "DEFAULT_METRICS", "DEFAULT_PROBABILITY_METRIC", "DEFAULT_SENSITIVITY_METRIC", "EXACT_LIMIT",
           "MonteCarloResult", "SobolResult", "Tornado", "TornadoBar", "monte_carlo", "sobol", "tornado"]

#: Metrics summarized by :func:`monte_carlo` (dotted names of :func:`orbitaldc.compare.get_metric`).
DEFAULT_METRICS = (
    "orbital.total_cost_usd", "terrestrial.total_cost_usd",
    "orbital.cost_per_watt_usd", "terrestrial.cost_per_watt_usd",
    "orbital.lcoe_usd_per_mwh", "terrestrial.lcoe_usd_per_mwh",
    "orbital.lcoc_usd_per_gpu_hour", "terrestrial.lcoc_usd_per_gpu_hour",
    "orbital_to_terrestrial_cost_ratio", "orbital_to_terrestrial_lcoc_ratio",
)
#: Metrics behind the probabilities that orbit is cheaper (always summarized; orbit is cheaper where < 1).
_RATIOS = ("orbital_to_terrestrial_cost_ratio", "orbital_to_terrestrial_lcoc_ratio")
#: The ratio :attr:`MonteCarloResult.probability_orbital_cheaper` is counted on unless told.
DEFAULT_PROBABILITY_METRIC = HEADLINE_METRIC
#: Default ratio analysed by the sensitivity tools.
DEFAULT_SENSITIVITY_METRIC = "orbital_to_terrestrial_cost_ratio"
#: Rows evaluated per vectorized call: bounds memory (about 1.5 kB of temporaries per row) and
#: keeps the temporaries in cache; 2^15 measured fastest per row (benchmarks/bench_montecarlo.py).
DEFAULT_CHUNK = 32_768
#: Up to this many samples percentiles are exact (all values kept); above, a streaming histogram.
EXACT_LIMIT = 2_000_000


@dataclass
class MonteCarloResult:
    """Summary of a Monte Carlo run (see :func:`monte_carlo`).

    ``probability_orbital_cheaper`` is counted on ``probability_metric`` (default the headline,
    :data:`orbitaldc.compare.HEADLINE_METRIC`: cost per delivered GPU-hour);
    ``probability_orbital_cheaper_total_cost`` on the undiscounted totals and
    ``probability_orbital_cheaper_lcoc`` on LCOC, whatever the metric. ``parameters`` maps each
    sampled parameter to its marginal and ``source``; ``not_sampled`` maps each parameter held at
    the scenario value to the reason.
    """

    scenario: str
    samples: int
    seed: int
    chunk_size: int
    probability_orbital_cheaper: float
    probability_orbital_cheaper_lcoc: float
    probability_orbital_cheaper_total_cost: float
    probability_metric: str
    percentiles: dict[str, dict[str, float]]
    means: dict[str, float]
    parameters: dict[str, dict[str, Any]]
    exact: bool
    values: dict[str, np.ndarray] | None = field(default=None, repr=False)
    not_sampled: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON contract: ``samples``, ``probability_orbital_cheaper`` (on ``probability_metric``),
        ``probability_orbital_cheaper_total_cost``, ``probability_orbital_cheaper_lcoc``,
        ``percentiles``, ``parameters`` (with ``source``), ``not_sampled``.

        Returns
        -------
        dict
        """
        return {
            "scenario": self.scenario, "samples": self.samples, "seed": self.seed,
            "chunk_size": self.chunk_size,
            "probability_metric": self.probability_metric,
            "probability_orbital_cheaper": self.probability_orbital_cheaper,
            "probability_orbital_cheaper_total_cost": self.probability_orbital_cheaper_total_cost,
            "probability_orbital_cheaper_lcoc": self.probability_orbital_cheaper_lcoc,
            "percentiles": self.percentiles, "means": self.means,
            "percentile_method": "exact" if self.exact else "streaming histogram (relative resolution ~1e-4)",
            "parameters": self.parameters, "not_sampled": self.not_sampled,
        }


def _progress(total: int, enabled: bool | None, desc: str):
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, desc=desc, unit="scen", unit_scale=True,
                file=sys.stderr, dynamic_ncols=True)


def monte_carlo(scenario: Scenario | str | Path, n: int = 100_000, seed: int | None = None, *,
                chunk_size: int = DEFAULT_CHUNK, params: Sequence[str] | None = None,
                metrics: Sequence[str] = DEFAULT_METRICS, progress: bool | None = False,
                exact_limit: int = EXACT_LIMIT, keep_values: bool = False,
                library: Mapping[str, ParamSpec] | None = None,
                uncertainty: Mapping[str, Any] | None = None,
                probability_metric: str = DEFAULT_PROBABILITY_METRIC) -> MonteCarloResult:
    """Monte Carlo of a scenario over its uncertain inputs, in vectorized chunks.

    Parameters
    ----------
    scenario : Scenario, str or Path
        Scenario object, preset name or TOML path (a single point).
    n : int
        Number of samples, 1 to 1e10.
    seed : int, optional
        Seed of the ``numpy.random.Generator`` (PCG64); chunk ``i`` draws from the child
        ``SeedSequence(seed).spawn`` stream ``i``, so a run is reproducible for a given seed and
        chunk size. None draws a fresh seed and reports it.
    chunk_size : int
        Rows per vectorized :func:`~orbitaldc.compare.evaluate_values` call (memory bound).
    params : sequence of str, optional
        Sample only these parameters (others stay at the scenario value).
    metrics : sequence of str
        Metrics to summarize (dotted names, see :func:`orbitaldc.compare.metric_names`); the two
        cost ratios are always added. Only the inputs these metrics declare are sampled.
    progress : bool or None
        Progress bar on stderr (None: when stderr is a terminal).
    exact_limit : int
        Up to this many samples percentiles are exact; above, streaming histogram.
    keep_values : bool
        Keep every metric value in the result (only when ``n <= exact_limit``).
    library : mapping, optional
        Parameter library (default :func:`orbitaldc.params.load_library`).
    uncertainty : mapping, optional
        Parameter -> ``{distribution, low, high, mode, correlations}``: distributions stated for
        this run, on top of the scenario's own (same meaning as a scenario's
        ``[uncertainty.NAME]`` tables).
    probability_metric : str
        The ratio on which "orbit is cheaper" (ratio < 1) is counted for
        ``probability_orbital_cheaper``: ``orbital_to_terrestrial_lcoc_ratio`` (default, the
        headline) or ``orbital_to_terrestrial_cost_ratio`` (aliases ``lcoc_ratio``, ``cost_ratio``).

    Returns
    -------
    MonteCarloResult
        P5/P50/P95 and mean of each metric, the probability that orbit is cheaper on
        ``probability_metric`` (and on the undiscounted totals and on LCOC), each sampled
        parameter's marginal and source, and the parameters not sampled.

    Raises
    ------
    OrbitaldcError
        A bad count, seed, metric, parameter name or stated distribution, or array parameters.

    References
    ----------
    .. [1] N. Metropolis and S. Ulam, "The Monte Carlo method", J. Am. Stat. Assoc. 44, 335-341
       (1949).
    """
    n = check_samples(n)
    chunk_size = check_samples(chunk_size, "chunk_size", maximum=10_000_000)
    seed = resolve_seed(seed)
    on = METRIC_ALIASES.get(probability_metric, probability_metric)
    if on not in _RATIOS:
        raise OrbitaldcError(f"probability_metric {probability_metric!r}: expected one of {', '.join(_RATIOS)}")
    metrics = list(dict.fromkeys(list(metrics) + list(_RATIOS)))
    problem = define_problem(scenario, metrics, params=params, uncertainty=uncertainty, library=library,
                             what="monte_carlo")
    sc = problem.scenario
    if not problem.marginals:
        raise OrbitaldcError(f"monte_carlo {sc.name}: no uncertain parameter moves the requested metrics")
    base = evaluate_values(sc.values)
    for m in metrics:  # fail early on a bad metric name
        get_metric(base, m)
    exact = n <= exact_limit
    acc = {m: PercentileAccumulator(exact, n) for m in metrics}
    cheaper = cheaper_lcoc = 0
    with _progress(n, progress, f"montecarlo {sc.name}") as bar:
        for _, c in evaluate_chunks(problem, n, seed, chunk_size):
            ratios = dict(zip(_RATIOS, (c.cost_ratio, c.lcoc_ratio)))  # each computed once per chunk
            shape = ratios[_RATIOS[0]].shape
            for m in metrics:
                x = ratios.get(METRIC_ALIASES.get(m, m))
                acc[m].add(np.broadcast_to(np.asarray(get_metric(c, m) if x is None else x, dtype=float), shape))
            cheaper += int(np.count_nonzero(ratios[_RATIOS[0]] < 1.0))
            cheaper_lcoc += int(np.count_nonzero(ratios[_RATIOS[1]] < 1.0))
            bar.update(int(np.prod(shape)))
    keep = keep_values and exact
    percentiles = {m: dict(zip(("p5", "p50", "p95"), a.percentiles(PERCENTILES))) for m, a in acc.items()}
    return MonteCarloResult(
        scenario=sc.name, samples=n, seed=seed, chunk_size=chunk_size,
        probability_orbital_cheaper=(cheaper_lcoc if on == _RATIOS[1] else cheaper) / n,
        probability_orbital_cheaper_lcoc=cheaper_lcoc / n, probability_orbital_cheaper_total_cost=cheaper / n,
        probability_metric=on,
        percentiles=percentiles, means={m: a.mean for m, a in acc.items()},
        parameters=problem.describe(), exact=exact,
        values={m: a.values() for m, a in acc.items()} if keep else None,
        not_sampled=problem.not_sampled,
    )


# --------------------------------------------------------------------------- sensitivity


@dataclass
class TornadoBar:
    """One parameter's one-at-a-time effect on the metric."""

    parameter: str
    low: float
    high: float
    metric_at_low: float
    metric_at_high: float
    source: str = ""

    @property
    def swing(self) -> float:
        """``|metric(high) - metric(low)|``."""
        return abs(self.metric_at_high - self.metric_at_low)

    def to_dict(self) -> dict[str, Any]:
        """Fields and ``swing``.

        Returns
        -------
        dict
        """
        return {"parameter": self.parameter, "low": self.low, "high": self.high, "source": self.source,
                "metric_at_low": self.metric_at_low, "metric_at_high": self.metric_at_high, "swing": self.swing}


@dataclass
class Tornado:
    """Result of :func:`tornado`: bars sorted by swing, largest first; parameters not varied and why."""

    scenario: str
    metric: str
    base: float
    bars: list[TornadoBar]
    not_varied: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON contract (``bars`` with ``parameter``, ``low``, ``high``, ``swing``, ``source``).

        Returns
        -------
        dict
        """
        return {"scenario": self.scenario, "method": "tornado", "metric": self.metric, "base": self.base,
                "bars": [b.to_dict() for b in self.bars], "not_varied": self.not_varied}


def _sensitivity_problem(scenario, metric: str, params, uncertainty, what: str):
    """The independent inputs that can move ``metric`` (correlations are not used by OAT or Sobol)."""
    problem = define_problem(scenario, [metric], params=params, uncertainty=uncertainty, correlated=False,
                             what=what)
    if not problem.marginals:
        raise OrbitaldcError(f"{what} {problem.scenario.name}: no uncertain parameter moves {metric}")
    return problem


def tornado(scenario: Scenario | str | Path, metric: str = DEFAULT_SENSITIVITY_METRIC,
            params: Sequence[str] | None = None, *,
            uncertainty: Mapping[str, Any] | None = None) -> Tornado:
    """One-at-a-time sensitivity: each uncertain input at its low and high, the others at the scenario.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A single point.
    metric : str
        The result analysed (see :func:`orbitaldc.compare.metric_names`).
    params : sequence of str, optional
        Vary only these parameters.
    uncertainty : mapping, optional
        Stated distributions on top of the scenario's (see :func:`monte_carlo`).

    Returns
    -------
    Tornado
        Bars sorted by ``|metric(high) - metric(low)|``, largest first.

    Notes
    -----
    The low/high are each marginal's bounds (uniform, triangular, loguniform) or P5/P95 (normal,
    lognormal), truncated to the allowed range. All ``2k`` cases are one vectorized evaluation.

    References
    ----------
    .. [1] A. Saltelli et al., *Global Sensitivity Analysis: The Primer*, Wiley (2008), sec. 1.2.4
       (one-at-a-time designs).
    """
    problem = _sensitivity_problem(scenario, metric, params, uncertainty, "tornado")
    sc = problem.scenario
    ranges = {name: m.tornado_range for name, m in problem.marginals.items()}
    y = np.asarray(get_metric(evaluate_values(one_at_a_time(sc.values, ranges)), metric), dtype=float)
    y = np.broadcast_to(y, (2 * len(ranges),))
    base = float(np.asarray(get_metric(evaluate_values(sc.values), metric)))
    bars = [TornadoBar(name, lo, hi, float(y[2 * i]), float(y[2 * i + 1]), problem.sources[name])
            for i, (name, (lo, hi)) in enumerate(ranges.items())]
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Tornado(sc.name, metric, base, bars, problem.not_sampled)


@dataclass
class SobolResult:
    """Result of :func:`sobol`: indices sorted by total order, largest first."""

    scenario: str
    metric: str
    samples: int
    evaluations: int
    seed: int
    indices: dict[str, dict[str, float]]
    sources: dict[str, str] = field(default_factory=dict)
    not_sampled: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON contract (``indices`` name -> S1, S1_conf, ST, ST_conf).

        Returns
        -------
        dict
        """
        return {"scenario": self.scenario, "method": "sobol", "metric": self.metric, "samples": self.samples,
                "evaluations": self.evaluations, "seed": self.seed, "indices": self.indices,
                "sources": self.sources, "not_sampled": self.not_sampled}


def sobol(scenario: Scenario | str | Path, metric: str = DEFAULT_SENSITIVITY_METRIC, n: int = 4096,
          seed: int | None = 0, params: Sequence[str] | None = None, *,
          uncertainty: Mapping[str, Any] | None = None) -> SobolResult:
    """Sobol first- and total-order indices of ``metric`` over the scenario's uncertain inputs.

    Parameters
    ----------
    scenario : Scenario, str or Path
        A single point.
    metric : str
        The result analysed.
    n : int
        Base sample size (2 to 1e6); ``n (k + 2)`` evaluations in one vectorized call.
    seed : int, optional
        Seed of the Sobol' design and the bootstrap.
    params : sequence of str, optional
        Vary only these parameters.
    uncertainty : mapping, optional
        Stated distributions on top of the scenario's (see :func:`monte_carlo`).

    Returns
    -------
    SobolResult

    Notes
    -----
    Inputs are treated as independent (correlations are ignored here: Sobol indices assume
    independent inputs).

    References
    ----------
    .. [1] A. Saltelli et al., "Variance based sensitivity analysis of model output. Design and
       estimator for the total sensitivity index", Comput. Phys. Commun. 181, 259-270 (2010).
    """
    n = check_samples(n, "samples", maximum=1_000_000, minimum=2)
    seed = resolve_seed(seed)
    problem = _sensitivity_problem(scenario, metric, params, uncertainty, "sobol")
    sc = problem.scenario
    names = problem.names
    get_metric(evaluate_values(sc.values), metric)

    def model(x: np.ndarray) -> np.ndarray:
        y = np.asarray(get_metric(evaluate_columns(sc.values, names, x), metric), dtype=float)
        return np.broadcast_to(y, (x.shape[0],))

    idx = sobol_indices(model, names, [problem.marginals[nm].ppf for nm in names], n, seed)
    idx = dict(sorted(idx.items(), key=lambda kv: kv[1]["ST"], reverse=True))
    return SobolResult(sc.name, metric, n, n * (len(names) + 2), seed, idx, problem.sources, problem.not_sampled)
