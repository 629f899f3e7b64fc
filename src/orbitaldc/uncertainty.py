"""Uncertainty: Monte Carlo, one-at-a-time tornado and Sobol indices from the library's ranges.

Every uncertain parameter of the library (a numeric ``ParamSpec`` whose ``distribution`` is not
``"fixed"``) gets a *marginal* centred on the **scenario's** value; model choices (strings) are
never sampled and ``fixed`` parameters stay at the scenario value. Samples are drawn by inverse
transform from uniform variates, which makes three things exact and cheap:

* **truncation** to the allowed range ``[min, max]`` (the variate is confined to
  ``[F(min), F(max)]`` before the inverse CDF),
* **correlations** (``correlations = { other = rho }`` in the library, Spearman rank
  correlations) through a Gaussian copula, and
* **Sobol indices** (SALib samples the unit hypercube, the same inverse CDFs map it).

Centering rule (documented in the README): the library's ``low``/``high`` give the spread.

1. If the scenario value lies inside ``[low, high]``: uniform and loguniform keep the bounds,
   a triangular takes the scenario value as its mode, and normal/lognormal take it as the
   median with the spread implied by ``low``/``high`` as P5/P95.
2. If it lies outside, the range is moved so that it sits around the scenario value as it sits
   around the library default: shifted by ``value - default`` (uniform, triangular) or scaled by
   ``value / default`` (loguniform). Normal and lognormal follow rule 1 unchanged.
3. Every sample is then truncated to the parameter's allowed ``[min, max]``.

A Monte Carlo is evaluated in chunks, **one vectorized** :func:`orbitaldc.compare.evaluate_values`
call per chunk, so memory stays bounded for any sample count; above ``exact_limit`` samples the
percentiles come from a fine streaming histogram (relative resolution about 1e-4).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy import special

from orbitaldc.compare import evaluate_values, get_metric
from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec, Scenario, load_library, load_scenario

#: Metrics summarized by :func:`monte_carlo` (dotted names of :func:`orbitaldc.compare.get_metric`).
DEFAULT_METRICS = (
    "orbital.total_cost_usd", "terrestrial.total_cost_usd",
    "orbital.cost_per_watt_usd", "terrestrial.cost_per_watt_usd",
    "orbital.lcoe_usd_per_mwh", "terrestrial.lcoe_usd_per_mwh",
    "orbital.lcoc_usd_per_gpu_hour", "terrestrial.lcoc_usd_per_gpu_hour",
    "orbital_to_terrestrial_cost_ratio", "orbital_to_terrestrial_lcoc_ratio",
)
#: Default ratio analysed by the sensitivity tools.
DEFAULT_SENSITIVITY_METRIC = "orbital_to_terrestrial_cost_ratio"
#: Rows evaluated per vectorized call: bounds memory (about 1.5 kB of temporaries per row) and
#: keeps the temporaries in cache; 2^15 measured fastest per row (benchmarks/bench_montecarlo.py).
DEFAULT_CHUNK = 32_768
#: Up to this many samples percentiles are exact (all values kept); above, a streaming histogram.
EXACT_LIMIT = 2_000_000
#: Largest Monte Carlo accepted (a 10^9 run takes about an hour per core).
MAX_SAMPLES = 10_000_000_000
#: Library groups sampled only by the studies that use them (not by Monte Carlo of one point).
STUDY_GROUPS = frozenset({"trajectory"})
#: Standard-normal quantile of 0.95: P5/P95 lie 1.6449 sigma either side of the median.
_Z95 = float(special.ndtri(0.95))
PERCENTILES = (5.0, 50.0, 95.0)


@dataclass(frozen=True)
class Marginal:
    """The sampling distribution of one parameter around a scenario value.

    ``low``/``high`` are bounds (uniform, triangular, loguniform) or P5/P95 (normal,
    lognormal) after the centering rule; ``mode`` is the triangular mode or normal/lognormal
    median; samples are truncated to ``[min, max]``.
    """

    name: str
    distribution: str
    low: float
    high: float
    mode: float
    min: float
    max: float
    integer: bool = False

    def ppf(self, u) -> np.ndarray:
        """Inverse CDF of the *truncated* distribution at ``u`` in [0, 1]."""
        u = np.asarray(u, dtype=float)
        c_lo, c_hi = self._cdf_bounds
        if c_lo > 0.0 or c_hi < 1.0:
            u = c_lo + u * (c_hi - c_lo)
        x = np.clip(_ppf(self, u), self.min, self.max)  # clip: round-off at the ends only
        return np.round(x) if self.integer else x

    @cached_property
    def _cdf_bounds(self) -> tuple[float, float]:
        return float(_cdf(self, self.min)), float(_cdf(self, self.max))

    @property
    def tornado_range(self) -> tuple[float, float]:
        """The low and high values a one-at-a-time study uses (bounds or P5/P95, truncated)."""
        if self._bounded:  # exact bounds (no round trip through the inverse CDF)
            lo, hi = float(np.clip(self.low, self.min, self.max)), float(np.clip(self.high, self.min, self.max))
            return (float(np.round(lo)), float(np.round(hi))) if self.integer else (lo, hi)
        return float(self.ppf(0.05)), float(self.ppf(0.95))

    @property
    def _bounded(self) -> bool:
        return self.distribution in ("uniform", "triangular", "loguniform")


def _sigma(m: Marginal) -> float:
    if m.distribution == "normal":
        return (m.high - m.low) / (2.0 * _Z95)
    return math.log(m.high / m.low) / (2.0 * _Z95)


def _ppf(m: Marginal, u: np.ndarray) -> np.ndarray:
    """Untruncated inverse CDFs (vectorized)."""
    lo, hi = m.low, m.high
    if m.distribution == "uniform":
        return lo + u * (hi - lo)
    if m.distribution == "loguniform":
        return np.exp(math.log(lo) + u * (math.log(hi) - math.log(lo)))
    if m.distribution == "triangular":
        width = hi - lo
        c = (m.mode - lo) / width if width > 0 else 0.5
        left = u < c
        s = np.sqrt(np.where(left, u * (width * (m.mode - lo)), (1.0 - u) * (width * (hi - m.mode))))
        return np.where(left, lo + s, hi - s)
    if m.distribution == "normal":
        return m.mode + _sigma(m) * special.ndtri(u)
    if m.distribution == "lognormal":
        return m.mode * np.exp(_sigma(m) * special.ndtri(u))
    raise OrbitaldcError(f"{m.name}: distribution {m.distribution!r} cannot be sampled")


def _cdf(m: Marginal, x: float) -> float:
    """Untruncated CDF at a scalar (used for the truncation bounds)."""
    if not math.isfinite(x):
        return 0.0 if x < 0 else 1.0
    lo, hi = m.low, m.high
    if m.distribution == "uniform":
        return min(max((x - lo) / (hi - lo), 0.0), 1.0) if hi > lo else float(x >= lo)
    if m.distribution == "loguniform":
        if x <= lo:
            return 0.0
        return min((math.log(x) - math.log(lo)) / (math.log(hi) - math.log(lo)), 1.0) if hi > lo else 1.0
    if m.distribution == "triangular":
        if x <= lo:
            return 0.0
        if x >= hi:
            return 1.0
        if x <= m.mode:
            return (x - lo) ** 2 / ((hi - lo) * (m.mode - lo))
        return 1.0 - (hi - x) ** 2 / ((hi - lo) * (hi - m.mode))
    if m.distribution == "normal":
        return float(special.ndtr((x - m.mode) / _sigma(m)))
    if m.distribution == "lognormal":
        return 0.0 if x <= 0 else float(special.ndtr(math.log(x / m.mode) / _sigma(m)))
    raise OrbitaldcError(f"{m.name}: distribution {m.distribution!r} cannot be sampled")


def marginal(spec: ParamSpec, value: float) -> Marginal:
    """The sampling distribution of ``spec`` around a scenario ``value`` (centering rule above).

    Parameters
    ----------
    spec : ParamSpec
        A numeric library entry with a distribution other than ``"fixed"``.
    value : float
        The scenario's value (in the spec's unit).

    Returns
    -------
    Marginal
    """
    if not spec.is_numeric or spec.distribution == "fixed":
        raise OrbitaldcError(f"{spec.name}: not an uncertain parameter (distribution {spec.distribution!r})")
    lo, hi, x = float(spec.low), float(spec.high), float(value)
    default = float(spec.value) if spec.value is not None else 0.5 * (lo + hi)
    dist = spec.distribution
    if dist in ("loguniform", "lognormal") and (lo <= 0 or hi <= 0):
        raise OrbitaldcError(f"{spec.name}: {dist} needs positive low/high, got [{lo:g}, {hi:g}]")
    if not lo <= hi:
        raise OrbitaldcError(f"{spec.name}: low {lo:g} > high {hi:g}")
    mode = x
    if dist in ("uniform", "triangular", "loguniform") and not lo <= x <= hi:
        if dist == "loguniform":
            if x <= 0 or default <= 0:
                raise OrbitaldcError(f"{spec.name} = {x:g}: a loguniform spread needs a positive value")
            lo, hi = lo * x / default, hi * x / default
        else:
            lo, hi = lo + (x - default), hi + (x - default)
    if dist == "lognormal" and x <= 0:
        raise OrbitaldcError(f"{spec.name} = {x:g}: a lognormal spread needs a positive value")
    vmin = -math.inf if spec.min is None else float(spec.min)
    vmax = math.inf if spec.max is None else float(spec.max)
    return Marginal(spec.name, dist, lo, hi, mode, vmin, vmax, spec.type == "int")


def uncertain_parameters(scenario: Scenario, params: Sequence[str] | None = None,
                         library: Mapping[str, ParamSpec] | None = None,
                         groups: Iterable[str] | None = None) -> dict[str, Marginal]:
    """Marginals of the parameters to sample for ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        A single point (no array parameters).
    params : sequence of str, optional
        Restrict to these names (each must be uncertain); default: every uncertain parameter
        outside the study groups (``trajectory``).
    library : mapping, optional
        Parameter library (default :func:`orbitaldc.params.load_library`).
    groups : iterable of str, optional
        Study groups to include as well.
    """
    library = load_library() if library is None else library
    if scenario.shape:
        raise OrbitaldcError("the scenario has array parameters; uncertainty analyses need a single point "
                             "(use `orbitaldc sweep` for grids)")
    include = set(groups or ())
    out: dict[str, Marginal] = {}
    if params is not None:
        for name in params:
            spec = library.get(name)
            if spec is None or not spec.is_numeric or spec.distribution == "fixed":
                allowed = [n for n, s in library.items() if s.is_numeric and s.distribution != "fixed"]
                raise OrbitaldcError(f"parameter {name!r}: not uncertain; allowed: {', '.join(allowed)}")
            out[name] = marginal(spec, scenario.values[name])
        return out
    for name, spec in library.items():
        if not spec.is_numeric or spec.distribution == "fixed":
            continue
        if spec.group in STUDY_GROUPS and spec.group not in include:
            continue
        out[name] = marginal(spec, scenario.values[name])
    return out


def correlation_matrix(names: Sequence[str], library: Mapping[str, ParamSpec] | None = None) -> np.ndarray | None:
    """Gaussian-copula correlation matrix for ``names`` from the library's ``correlations``.

    The library states Spearman rank correlations ``rho_s``; the copula's Pearson correlation
    is ``r = 2 sin(pi rho_s / 6)``, which reproduces ``rho_s`` exactly for a Gaussian copula.
    Returns None when no pair among ``names`` is correlated.

    Raises
    ------
    OrbitaldcError
        If a correlation is outside [-1, 1], two entries disagree, or the matrix is not
        positive definite.

    References
    ----------
    .. [1] K. Pearson (1907); see R. B. Nelsen, *An Introduction to Copulas*, 2nd ed.,
       Springer (2006), sec. 5.1.3 (Spearman's rho of the Gaussian copula).
    """
    library = load_library() if library is None else library
    index = {n: i for i, n in enumerate(names)}
    rho = np.eye(len(names))
    found = False
    for a in names:
        for b, r in (library[a].correlations or {}).items():
            if b not in index:
                if b not in library:
                    raise OrbitaldcError(f"{a}: correlations name unknown parameter {b!r}")
                continue
            if not -1.0 <= float(r) <= 1.0 or a == b:
                raise OrbitaldcError(f"{a}: correlation with {b!r} = {r!r}: expected a number in [-1, 1] with another parameter")
            i, j = index[a], index[b]
            if rho[i, j] not in (0.0, float(r)):
                raise OrbitaldcError(f"correlation {a}-{b} stated twice with different values ({rho[i, j]:g}, {r:g})")
            rho[i, j] = rho[j, i] = float(r)
            found = True
    if not found:
        return None
    pearson = 2.0 * np.sin(np.pi * rho / 6.0)
    np.fill_diagonal(pearson, 1.0)
    try:
        np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError:
        raise OrbitaldcError("the library's correlations are not consistent (matrix not positive definite)") from None
    return pearson


def sample_uniform(n: int, k: int, rng: np.random.Generator, corr: np.ndarray | None = None) -> np.ndarray:
    """``n x k`` uniform variates, independent or joined by a Gaussian copula ``corr``."""
    if corr is None:
        return rng.random((n, k))
    z = rng.standard_normal((n, k)) @ np.linalg.cholesky(corr).T
    return special.ndtr(z)


def sample_values(marginals: Mapping[str, Marginal], n: int, rng: np.random.Generator,
                  corr: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Draw ``n`` joint samples: name -> array of shape ``(n,)``."""
    names = list(marginals)
    # one contiguous row per parameter (same draws as the (n, k) matrix, read without strides)
    u = np.ascontiguousarray(sample_uniform(n, len(names), rng, corr).T)
    return {name: marginals[name].ppf(u[i]) for i, name in enumerate(names)}


def check_samples(n: Any, what: str = "samples", maximum: int = MAX_SAMPLES, minimum: int = 1) -> int:
    """Validate a sample count (a whole number in ``[minimum, maximum]``)."""
    if isinstance(n, bool) or not isinstance(n, (int, float, np.integer, np.floating)) \
            or not math.isfinite(float(n)) or float(n) != round(float(n)) \
            or not minimum <= float(n) <= maximum:
        raise OrbitaldcError(f"{what} = {n!r}: expected a whole number in [{minimum}, {maximum:g}]")
    return int(n)


# --------------------------------------------------------------------------- percentiles


class StreamingPercentiles:
    """Percentiles of a stream of chunks in bounded memory (fine histogram).

    The first chunk fixes a range 16x wider than its own on each side (logarithmic bins for
    positive data, linear otherwise); later values outside it are counted in end bins. With
    ``bins`` bins the relative resolution is ``ln(range) / bins`` (about 1e-4 by default).
    """

    def __init__(self, bins: int = 65_536):
        self.bins = bins
        self.edges: np.ndarray | None = None
        self.log = False
        self.counts = np.zeros(bins + 2, dtype=np.int64)
        self.nan = 0

    def add(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=float).ravel()
        finite = np.isfinite(x)
        self.nan += int(x.size - finite.sum())
        x = x[finite]
        if x.size == 0:
            return
        if self.edges is None:
            lo, hi = float(x.min()), float(x.max())
            if lo > 0:
                self.log = True
                self.edges = np.geomspace(lo / 16.0, hi * 16.0, self.bins + 1)
            else:
                span = max(hi - lo, abs(hi), abs(lo), 1e-300)
                self.edges = np.linspace(lo - 16 * span, hi + 16 * span, self.bins + 1)
        idx = np.searchsorted(self.edges, x, side="right")  # 0 = below, bins+1 = above
        self.counts += np.bincount(idx, minlength=self.bins + 2)

    def percentile(self, q: float) -> float:
        total = int(self.counts.sum())
        if total == 0 or self.edges is None:
            return math.nan
        target = q / 100.0 * total
        cum = np.cumsum(self.counts)
        i = int(np.searchsorted(cum, target, side="left"))
        if i == 0:
            return float(self.edges[0])
        if i >= self.bins + 1:
            return float(self.edges[-1])
        before = cum[i - 1]
        frac = (target - before) / self.counts[i] if self.counts[i] else 0.0
        a, b = self.edges[i - 1], self.edges[i]
        if self.log:
            return float(a * (b / a) ** frac)
        return float(a + frac * (b - a))


@dataclass
class MonteCarloResult:
    """Summary of a Monte Carlo run (see :func:`monte_carlo`)."""

    scenario: str
    samples: int
    seed: int
    chunk_size: int
    probability_orbital_cheaper: float
    probability_orbital_cheaper_lcoc: float
    percentiles: dict[str, dict[str, float]]
    means: dict[str, float]
    parameters: dict[str, dict[str, Any]]
    exact: bool
    values: dict[str, np.ndarray] | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON contract: ``samples``, ``probability_orbital_cheaper``, ``percentiles``."""
        return {
            "scenario": self.scenario, "samples": self.samples, "seed": self.seed,
            "chunk_size": self.chunk_size,
            "probability_orbital_cheaper": self.probability_orbital_cheaper,
            "probability_orbital_cheaper_lcoc": self.probability_orbital_cheaper_lcoc,
            "percentiles": self.percentiles, "means": self.means,
            "percentile_method": "exact" if self.exact else "streaming histogram (relative resolution ~1e-4)",
            "parameters": self.parameters,
        }


def _progress(total: int, enabled: bool | None, desc: str):
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, disable=not enabled, desc=desc, unit="scen", unit_scale=True,
                file=sys.stderr, dynamic_ncols=True)


def resolve_seed(seed: int | None) -> int:
    """The seed to use: ``seed`` itself, or fresh OS entropy (reported so a run can be repeated)."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))
    return check_samples(seed, "seed", maximum=2**63 - 1, minimum=0)


def monte_carlo(scenario: Scenario | str, n: int = 100_000, seed: int | None = None, *,
                chunk_size: int = DEFAULT_CHUNK, params: Sequence[str] | None = None,
                metrics: Sequence[str] = DEFAULT_METRICS, progress: bool | None = False,
                exact_limit: int = EXACT_LIMIT, keep_values: bool = False,
                library: Mapping[str, ParamSpec] | None = None) -> MonteCarloResult:
    """Monte Carlo of a scenario over the library's distributions, in vectorized chunks.

    Parameters
    ----------
    scenario : Scenario or str
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
        Metrics to summarize (dotted names, see ``orbitaldc metrics``).
    progress : bool or None
        Progress bar on stderr (None: when stderr is a terminal).
    exact_limit : int
        Up to this many samples percentiles are exact; above, streaming histogram.
    keep_values : bool
        Keep every metric value in the result (only when ``n <= exact_limit``).

    Returns
    -------
    MonteCarloResult
        P5/P50/P95 and mean of each metric, and the probability that orbit is cheaper
        (``orbital total / terrestrial total < 1``, and the same on LCOC).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    n = check_samples(n)
    chunk_size = check_samples(chunk_size, "chunk_size", maximum=10_000_000)
    seed = resolve_seed(seed)
    library = load_library() if library is None else library
    marginals = uncertain_parameters(scenario, params, library)
    if not marginals:
        raise OrbitaldcError("no uncertain parameters to sample")
    corr = correlation_matrix(list(marginals), library)
    metrics = list(dict.fromkeys(list(metrics) + ["orbital_to_terrestrial_cost_ratio", "orbital_to_terrestrial_lcoc_ratio"]))
    base = evaluate_values(scenario.values)
    for m in metrics:  # fail early on a bad metric name
        get_metric(base, m)
    exact = n <= exact_limit
    kept: dict[str, list[np.ndarray]] = {m: [] for m in metrics}
    streams = {m: StreamingPercentiles() for m in metrics}
    sums = dict.fromkeys(metrics, 0.0)
    cheaper = cheaper_lcoc = 0
    n_chunks = -(-n // chunk_size)
    children = np.random.SeedSequence(seed).spawn(n_chunks)
    with _progress(n, progress, f"montecarlo {scenario.name}") as bar:
        for i in range(n_chunks):
            size = min(chunk_size, n - i * chunk_size)
            rng = np.random.default_rng(children[i])
            values = dict(scenario.values)
            values.update(sample_values(marginals, size, rng, corr))
            c = evaluate_values(values)
            for m in metrics:
                x = np.asarray(get_metric(c, m), dtype=float)
                sums[m] += float(np.sum(x))
                if exact:
                    kept[m].append(np.array(x, dtype=float))
                else:
                    streams[m].add(x)
            cheaper += int(np.count_nonzero(c.cost_ratio < 1.0))
            cheaper_lcoc += int(np.count_nonzero(c.lcoc_ratio < 1.0))
            bar.update(size)
    percentiles: dict[str, dict[str, float]] = {}
    all_values = {}
    for m in metrics:
        if exact:
            x = np.concatenate(kept[m])
            all_values[m] = x
            p = np.percentile(x, PERCENTILES)
        else:
            p = [streams[m].percentile(q) for q in PERCENTILES]
        percentiles[m] = {f"p{int(q)}": float(v) for q, v in zip(PERCENTILES, p)}
    return MonteCarloResult(
        scenario=scenario.name, samples=n, seed=seed, chunk_size=chunk_size,
        probability_orbital_cheaper=cheaper / n, probability_orbital_cheaper_lcoc=cheaper_lcoc / n,
        percentiles=percentiles, means={m: sums[m] / n for m in metrics},
        parameters={k: {"distribution": v.distribution, "low": v.low, "high": v.high, "mode": v.mode,
                        "min": v.min, "max": v.max} for k, v in marginals.items()},
        exact=exact, values=all_values if (keep_values and exact) else None,
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

    @property
    def swing(self) -> float:
        return abs(self.metric_at_high - self.metric_at_low)

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "low": self.low, "high": self.high,
                "metric_at_low": self.metric_at_low, "metric_at_high": self.metric_at_high, "swing": self.swing}


@dataclass
class Tornado:
    """Result of :func:`tornado`: bars sorted by swing, largest first."""

    scenario: str
    metric: str
    base: float
    bars: list[TornadoBar]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "method": "tornado", "metric": self.metric, "base": self.base,
                "bars": [b.to_dict() for b in self.bars]}


def tornado(scenario: Scenario | str, metric: str = DEFAULT_SENSITIVITY_METRIC,
            params: Sequence[str] | None = None) -> Tornado:
    """One-at-a-time sensitivity: each uncertain parameter at its low and high, others at the scenario.

    The low/high are the marginal's bounds (uniform, triangular, loguniform) or P5/P95 (normal,
    lognormal) after the centering rule, truncated to the allowed range. All ``2k`` cases are one
    vectorized evaluation.

    Returns
    -------
    Tornado
        Bars sorted by ``|metric(high) - metric(low)|``, largest first.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    marginals = uncertain_parameters(scenario, params)
    names = list(marginals)
    k = len(names)
    if k == 0:
        raise OrbitaldcError("no uncertain parameters to vary")
    values = dict(scenario.values)
    ranges = [marginals[nm].tornado_range for nm in names]
    for i, nm in enumerate(names):
        col = np.full(2 * k, float(scenario.values[nm]))
        col[2 * i], col[2 * i + 1] = ranges[i]
        values[nm] = col
    c = evaluate_values(values)
    y = np.asarray(get_metric(c, metric), dtype=float)
    base = float(np.asarray(get_metric(evaluate_values(scenario.values), metric)))
    bars = [TornadoBar(nm, ranges[i][0], ranges[i][1], float(y[2 * i]), float(y[2 * i + 1]))
            for i, nm in enumerate(names)]
    bars.sort(key=lambda b: b.swing, reverse=True)
    return Tornado(scenario.name, metric, base, bars)


def sobol_indices(func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
                  ppfs: Sequence[Callable[[np.ndarray], np.ndarray]], n: int, seed: int,
                  num_resamples: int = 100) -> dict[str, dict[str, float]]:
    """First- and total-order Sobol indices of ``func`` with SALib (Saltelli/Jansen estimators).

    SALib draws a scrambled Sobol' design of ``n (k + 2)`` points on the unit hypercube; each
    column ``i`` is mapped through ``ppfs[i]`` (inverse CDF of input ``i``) and ``func`` gets
    the ``(rows, k)`` input matrix in one call.

    Parameters
    ----------
    func : callable
        ``(rows, k) -> (rows,)``, vectorized.
    names : sequence of str
        Input names (k >= 1).
    ppfs : sequence of callable
        Inverse CDFs mapping [0, 1] to each input.
    n : int
        Base sample size (a power of 2 keeps the Sobol' design balanced).
    seed : int
        Seed of the scrambling and of the bootstrap confidence intervals.

    Returns
    -------
    dict
        name -> {"S1", "S1_conf", "ST", "ST_conf"} (95 % bootstrap half-widths).

    References
    ----------
    .. [1] A. Saltelli et al., "Variance based sensitivity analysis of model output. Design and
       estimator for the total sensitivity index", Comput. Phys. Commun. 181, 259-270 (2010).
    .. [2] J. Herman and W. Usher, "SALib: An open-source Python library for sensitivity
       analysis", JOSS 2(9), 97 (2017).
    """
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    k = len(names)
    problem = {"num_vars": k, "names": list(names), "bounds": [[0.0, 1.0]] * k}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib warns when n is not a power of 2
        u = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    x = np.column_stack([ppfs[i](u[:, i]) for i in range(k)])
    y = np.asarray(func(x), dtype=float)
    if not np.all(np.isfinite(y)):
        raise OrbitaldcError("Sobol analysis: the metric is not finite for some samples")
    res = sobol_analyze.analyze(problem, y, calc_second_order=False, num_resamples=num_resamples, seed=seed)
    return {nm: {"S1": float(res["S1"][i]), "S1_conf": float(res["S1_conf"][i]),
                 "ST": float(res["ST"][i]), "ST_conf": float(res["ST_conf"][i])} for i, nm in enumerate(names)}


@dataclass
class SobolResult:
    """Result of :func:`sobol`: indices sorted by total order, largest first."""

    scenario: str
    metric: str
    samples: int
    evaluations: int
    seed: int
    indices: dict[str, dict[str, float]]

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "method": "sobol", "metric": self.metric, "samples": self.samples,
                "evaluations": self.evaluations, "seed": self.seed, "indices": self.indices}


def sobol(scenario: Scenario | str, metric: str = DEFAULT_SENSITIVITY_METRIC, n: int = 4096,
          seed: int | None = 0, params: Sequence[str] | None = None) -> SobolResult:
    """Sobol first- and total-order indices of ``metric`` over the scenario's uncertain inputs.

    Inputs are treated as independent (library correlations are ignored here: Sobol indices
    assume independent inputs). Evaluations ``n (k + 2)`` in one vectorized call.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    n = check_samples(n, "samples", maximum=1_000_000, minimum=2)
    seed = resolve_seed(seed)
    marginals = uncertain_parameters(scenario, params)
    names = list(marginals)
    if not names:
        raise OrbitaldcError("no uncertain parameters to vary")
    get_metric(evaluate_values(scenario.values), metric)

    def model(x: np.ndarray) -> np.ndarray:
        values = dict(scenario.values)
        for i, nm in enumerate(names):
            values[nm] = x[:, i]
        return np.asarray(get_metric(evaluate_values(values), metric), dtype=float)

    idx = sobol_indices(model, names, [marginals[nm].ppf for nm in names], n, seed)
    idx = dict(sorted(idx.items(), key=lambda kv: kv[1]["ST"], reverse=True))
    return SobolResult(scenario.name, metric, n, n * (len(names) + 2), seed, idx)
