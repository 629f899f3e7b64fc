"""Analysing samples: percentiles (exact or streaming, bounded memory) and Sobol indices (SALib)."""

from __future__ import annotations

import math
import warnings
from typing import Callable, Sequence

import numpy as np

from orbitaldc.errors import OrbitaldcError
from orbitaldc.sampling import kernels

__all__ = ["PERCENTILES", "PercentileAccumulator", "StreamingPercentiles", "exact_percentiles", "sobol_indices"]

#: Percentiles every summary reports.
PERCENTILES = (5.0, 50.0, 95.0)


class StreamingPercentiles:
    """Percentiles of a stream of chunks in bounded memory (fine histogram).

    The first chunk fixes a range 16x wider than its own on each side (logarithmic bins for
    positive data, linear otherwise); later values outside it are counted in end bins. With
    ``bins`` bins the relative resolution is ``ln(range) / bins`` (about 1e-4 by default).

    Parameters
    ----------
    bins : int
        Number of histogram bins.
    """

    def __init__(self, bins: int = 65_536):
        self.bins = bins
        self.edges: np.ndarray | None = None
        self.log = False
        self.counts = np.zeros(bins + 2, dtype=np.int64)
        self.nan = 0

    def add(self, x: np.ndarray) -> None:
        """Count the finite values of one chunk (non-finite ones are counted apart).

        Parameters
        ----------
        x : ndarray
            Values.
        """
        x = np.ascontiguousarray(x, dtype=float).ravel()
        if self.edges is None:
            finite = x[np.isfinite(x)]
            if finite.size == 0:
                self.nan += x.size
                return
            lo, hi = float(finite.min()), float(finite.max())
            if lo > 0:
                self.log = True
                self.edges = np.geomspace(lo / 16.0, hi * 16.0, self.bins + 1)
            else:
                span = max(hi - lo, abs(hi), abs(lo), 1e-300)
                self.edges = np.linspace(lo - 16 * span, hi + 16 * span, self.bins + 1)
            axis = np.log(self.edges[[0, -1]]) if self.log else self.edges[[0, -1]]
            self._axis = (float(axis[0]), self.bins / float(axis[1] - axis[0]))
        # bin = searchsorted(edges, x, side="right") (0 = below, bins + 1 = above), found from the
        # even spacing and settled on the edges in one compiled pass
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.log(x) if self.log else x
        self.nan += int(kernels.histogram_add(x, t, *self._axis, self.edges, self.counts))

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile (interpolated within its bin; NaN when empty).

        Parameters
        ----------
        q : float
            Percentile in [0, 100].

        Returns
        -------
        float
        """
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


#: Below this many values :func:`exact_percentiles` calls :func:`numpy.percentile` directly.
_SELECT_MIN = 16_384
#: Largest systematic pilot sample that brackets each order statistic (at most every 16th value).
_PILOT = 32_768


def _lerp(a: float, b: float, t: float) -> float:
    """NumPy's interpolation between neighbouring order statistics (``numpy.percentile``, linear),
    except between equal values (two equal infinities give that infinity, not NaN) and towards an
    infinity (``t > 0`` towards ``+inf`` is ``+inf``)."""
    if a == b or t == 0.0:
        return float(a)
    if math.isinf(a) or math.isinf(b):
        return float(b) if math.isinf(b) else float(a)
    d = b - a
    return float(b - d * (1.0 - t)) if t >= 0.5 else float(a + d * t)


def _ranks(q: float, n: int) -> tuple[float, int, int]:
    """Position ``h = (q / 100) (n - 1)`` of percentile ``q`` among ``n`` sorted values and the
    two order statistics ``k = floor(h)``, ``min(k + 1, n - 1)`` it interpolates (definition 7)."""
    h = (float(q) / 100.0) * (n - 1)
    k = int(math.floor(h))
    return h, k, min(k + 1, n - 1)


def _percentiles_sorted(x: np.ndarray, qs: Sequence[float]) -> list[float]:
    """Percentiles of a few values by sorting (definition 7, :func:`_lerp`)."""
    if np.isnan(x).any():
        return [math.nan] * len(qs)
    xs = np.sort(x)
    return [_lerp(xs[k], xs[k1], h - k) for h, k, k1 in (_ranks(q, x.size) for q in qs)]


def exact_percentiles(x: np.ndarray, qs: Sequence[float] = PERCENTILES) -> list[float]:
    """``numpy.percentile(x, qs)`` (linear method), computed by selection inside narrow brackets.

    Parameters
    ----------
    x : ndarray
        Values (any order; not modified).
    qs : sequence of float
        Percentiles in [0, 100].

    Returns
    -------
    list of float
        ``numpy.percentile(x, qs)`` (NaN when ``x`` holds a NaN), except where an order statistic
        that enters is infinite: the percentile is then that infinity (NumPy gives NaN between two
        equal infinities, e.g. the P95 of a cost per GPU-hour when 10 % of the designs deliver none).

    Notes
    -----
    Percentile ``q`` interpolates the order statistics ``k = floor(h)`` and ``k + 1`` with
    ``h = (q / 100) (n - 1)`` (Hyndman & Fan 1996, definition 7). A systematic pilot sample (every
    ``max(16, n / 32768)``-th value) brackets each ``k`` by ``+- 5`` binomial standard deviations of
    its rank (selection in the pilot); one compiled pass
    (:func:`~orbitaldc.sampling.kernels.bracket_select`) counts the values below each bracket and
    gathers those inside, and selecting in the few gathered values gives the order statistics
    exactly. A bracket that misses (never for independent samples in practice) falls back to
    :func:`numpy.partition`. Fewer than 16,384 values are sorted instead.

    References
    ----------
    .. [1] R. J. Hyndman and Y. Fan, "Sample quantiles in statistical packages", Am. Stat. 50,
       361-365 (1996).
    """
    x = np.asarray(x, dtype=float).ravel()
    n = x.size
    if n < _SELECT_MIN:
        return _percentiles_sorted(x, qs)
    step = max(16, n // _PILOT)
    pilot = x[::step].copy()
    m = pilot.size
    ranks, ends = [], []
    for q in qs:
        h, k, k1 = _ranks(q, n)
        f = k / (n - 1)
        d = int(5.0 * math.sqrt(m * f * (1.0 - f))) + 3
        ranks.append((h, k, k1))
        ends.append((int(math.floor(f * (m - 1))) - d, int(math.ceil(f * (m - 1))) + d))
    inner = sorted({i for pair in ends for i in pair if 0 < i < m - 1})
    if inner:
        pilot.partition(inner)
    # the brackets' ends in the pilot, three brackets per compiled pass (an unused slot never matches)
    low = [pilot[lo] if lo > 0 else -np.inf for lo, _ in ends]
    high = [pilot[hi] if hi < m - 1 else np.inf for _, hi in ends]
    out = []
    for start in range(0, len(qs), 3):
        group = range(start, min(start + 3, len(qs)))
        pad = 3 - len(group)
        # room for twice the expected count inside each bracket (its pilot span times the step)
        capacity = max(min(n, 2 * (ends[i][1] - ends[i][0] + 1) * step + 64) for i in group)
        kept = np.empty((3, capacity))
        below, inside, nan = kernels.bracket_select(x, np.array([low[i] for i in group] + [np.inf] * pad),
                                                    np.array([high[i] for i in group] + [-np.inf] * pad), kept)
        if nan:
            return [math.nan] * len(qs)
        for slot, i in enumerate(group):
            (h, k, k1), under, count = ranks[i], below[slot], inside[slot]
            if under <= k and under + count > k1 and (count <= capacity or low[i] == high[i]):
                if count <= capacity:
                    gathered = kept[slot, :count]
                    gathered.partition([k - under, k1 - under])
                    lo, hi = gathered[k - under], gathered[k1 - under]
                else:  # every value inside a bracket of one value is that value
                    lo = hi = low[i]
            else:
                part = np.partition(x, [k, k1])
                lo, hi = part[k], part[k1]
            out.append(_lerp(lo, hi, h - k))
    return out


class PercentileAccumulator:
    """Mean and percentiles of one metric over chunks: exact (values kept) or streaming.

    Parameters
    ----------
    exact : bool
        Keep every value (exact percentiles, NumPy's linear interpolation) or a
        :class:`StreamingPercentiles` histogram.
    capacity : int, optional
        How many values will be added in all (exact mode): they are then copied into one array
        as they come instead of joined at the end.
    """

    def __init__(self, exact: bool, capacity: int | None = None):
        self.exact = exact
        self.parts: list[np.ndarray] = []
        self.buffer = np.empty(capacity) if exact and capacity else None
        self.stream = None if exact else StreamingPercentiles()
        self.total = 0.0
        self.count = 0

    def add(self, x: np.ndarray) -> None:
        """Add one chunk's values.

        Parameters
        ----------
        x : ndarray
            Values (flattened).
        """
        x = np.asarray(x, dtype=float)
        if x.ndim != 1:
            x = x.ravel()
        start = self.count
        self.total += float(np.sum(x))
        self.count += x.size
        if not self.exact:
            self.stream.add(x)
        elif self.buffer is not None and self.count <= self.buffer.size:
            self.buffer[start:self.count] = x
        else:
            if self.buffer is not None:  # more than announced: keep what was copied and go on in parts
                self.parts, self.buffer = [self.buffer[:start]], None
            self.parts.append(x)

    @property
    def mean(self) -> float:
        """Mean of all values added."""
        return self.total / self.count if self.count else math.nan

    def values(self) -> np.ndarray:
        """Every value added, in order (exact mode only)."""
        if self.buffer is not None:
            return self.buffer[:self.count]
        if len(self.parts) != 1:
            self.parts = [np.concatenate(self.parts)] if self.parts else [np.empty(0)]
        return self.parts[0]

    def percentiles(self, qs: Sequence[float] = PERCENTILES) -> list[float]:
        """The percentiles ``qs``.

        Parameters
        ----------
        qs : sequence of float
            Percentiles in [0, 100].

        Returns
        -------
        list of float
        """
        if not self.exact:
            return [self.stream.percentile(q) for q in qs]
        return exact_percentiles(self.values(), qs)


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
    num_resamples : int
        Bootstrap resamples of the confidence intervals.

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
