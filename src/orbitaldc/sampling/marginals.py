"""Marginal distributions: the library's spread re-centred on the scenario, or the scenario's own.

See :mod:`orbitaldc.sampling` for the re-centring rule. A :class:`Marginal` is sampled by inverse
transform of uniform variates, truncated to the parameter's allowed range ``[min, max]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
from scipy import special

from orbitaldc.errors import OrbitaldcError
from orbitaldc.params import ParamSpec
from orbitaldc.params.spec import BOUNDED_DISTRIBUTIONS, StatedUncertainty
from orbitaldc.sampling import kernels

__all__ = ["LOG_DISTRIBUTIONS", "Marginal", "SOURCE_LIBRARY", "SOURCE_RECENTRED", "SOURCE_SCENARIO",
           "from_uniform", "library_centre", "marginal", "recentred_marginal", "stated_marginal"]

#: Where a sampled parameter's distribution came from (``MonteCarloResult.parameters[...]["source"]``).
SOURCE_SCENARIO = "scenario"
SOURCE_RECENTRED = "library (re-centred on the scenario value)"
SOURCE_LIBRARY = "library"
#: Distributions of positive quantities with a multiplicative spread.
LOG_DISTRIBUTIONS = ("loguniform", "lognormal")
#: Standard-normal quantile of 0.95: P5/P95 lie 1.6449 sigma either side of the median.
_Z95 = float(special.ndtri(0.95))


@dataclass(frozen=True)
class Marginal:
    """The sampling distribution of one parameter.

    Attributes
    ----------
    name : str
        Parameter name.
    distribution : str
        uniform, triangular, loguniform, normal or lognormal.
    low, high : float
        Bounds (uniform, triangular, loguniform) or P5/P95 (normal, lognormal), in the
        parameter's unit, before truncation.
    mode : float
        The triangular's mode, the median of a normal or lognormal; the median of a uniform or
        loguniform (not used by their inverse CDF).
    min, max : float
        The allowed range; samples are truncated to it (``-inf``/``inf`` when open).
    integer : bool
        Whole-number parameter (samples rounded).
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
        """Inverse CDF of the *truncated* distribution at ``u`` in [0, 1].

        Parameters
        ----------
        u : array_like
            Uniform variates.

        Returns
        -------
        ndarray
            Samples in ``[min, max]`` (same shape as ``u``).
        """
        u = np.asarray(u, dtype=float)
        c_lo, c_hi = self._cdf_bounds
        if self.distribution in ("uniform", "loguniform"):  # affine in u: truncation folds into a, b
            a, b = self._affine
            x = np.asarray(u * b)
            x += a
            if self.distribution == "loguniform":
                np.exp(x, out=x)
        else:
            if c_lo > 0.0 or c_hi < 1.0:
                u = c_lo + u * (c_hi - c_lo)
            x = np.asarray(_ppf(self, u), dtype=float)
        np.clip(x, self.min, self.max, out=x)  # round-off at the ends only
        return np.round(x, out=x) if self.integer else x

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` independent samples (NumPy's direct samplers where no truncation applies).

        Parameters
        ----------
        n : int
            Number of samples.
        rng : numpy.random.Generator
            Random stream.

        Returns
        -------
        ndarray
            Shape ``(n,)``; the same distribution as ``ppf(rng.random(n))`` (the inverse CDF is
            used when truncation or rounding applies), and the very numbers
            ``rng.uniform(low, high, n)`` or ``rng.triangular(low, mode, high, n)`` give where
            those apply (:func:`from_uniform`).
        """
        return from_uniform([self], rng.random((1, n)), direct=True)[0]

    def plan(self, direct: bool) -> tuple[float, ...]:
        """This marginal's row of :func:`orbitaldc.sampling.kernels.transform_rows`.

        Parameters
        ----------
        direct : bool
            Use NumPy's direct sampler's formula where it applies (independent draws) rather
            than the inverse CDF (copula variates, designs).

        Returns
        -------
        tuple of float
            ``(code, p0, ..., p7, min, max)``.
        """
        return self._plans[bool(direct)]

    @cached_property
    def _plans(self) -> dict[bool, tuple[float, ...]]:
        return {direct: self._plan(direct) for direct in (False, True)}

    def _plan(self, direct: bool) -> tuple[float, ...]:
        c_lo, c_hi = self._cdf_bounds
        lo, hi, mode = self.low, self.high, self.mode
        row = [float(kernels.UNTOUCHED)] + [0.0] * (kernels.PLAN_WIDTH - 1)
        if direct and c_lo == 0.0 and c_hi == 1.0 and not self.integer and lo < hi \
                and self.distribution in ("uniform", "triangular"):
            if self.distribution == "uniform":
                row[:3] = [kernels.DIRECT_UNIFORM, lo, hi - lo]
            else:
                base, left = hi - lo, mode - lo
                row[:6] = [kernels.DIRECT_TRIANGULAR, lo, hi, left / base, left * base, (hi - mode) * base]
        elif self.distribution in ("uniform", "loguniform"):
            a, b = self._affine
            clip = (self.min, self.max) if self.distribution == "uniform" else (-math.inf, math.inf)
            row = [kernels.AFFINE, a, b] + [0.0] * 6 + list(clip)
        elif self.distribution == "triangular":
            width = hi - lo
            truncated = c_lo > 0.0 or c_hi < 1.0
            row = [kernels.TRIANGULAR, c_lo, c_hi - c_lo, float(truncated), (mode - lo) / width if width > 0 else 0.5,
                   lo, hi, width * (mode - lo), width * (hi - mode), self.min, self.max]
        return tuple(float(x) for x in row)

    @cached_property
    def _cdf_bounds(self) -> tuple[float, float]:
        return float(_cdf(self, self.min)), float(_cdf(self, self.max))

    @cached_property
    def _affine(self) -> tuple[float, float]:
        """``ppf(u) = a + b u`` (uniform) or ``exp(a + b u)`` (loguniform), truncation included."""
        lo, hi = (math.log(self.low), math.log(self.high)) if self.distribution == "loguniform" else (self.low, self.high)
        c_lo, c_hi = self._cdf_bounds
        return lo + c_lo * (hi - lo), (c_hi - c_lo) * (hi - lo)

    @property
    def tornado_range(self) -> tuple[float, float]:
        """The low and high values a one-at-a-time study uses (bounds or P5/P95, truncated)."""
        if self.distribution in BOUNDED_DISTRIBUTIONS:  # exact bounds, no round trip through the ppf
            lo, hi = (float(np.clip(x, self.min, self.max)) for x in (self.low, self.high))
            return (float(np.round(lo)), float(np.round(hi))) if self.integer else (lo, hi)
        return float(self.ppf(0.05)), float(self.ppf(0.95))

    def to_dict(self) -> dict[str, float | str]:
        """``distribution``, ``low``, ``high``, the centre, ``min``, ``max``.

        The centre is named for what it is: ``mode`` for a triangular, ``median`` for every other
        distribution (:attr:`mode` holds both).

        Returns
        -------
        dict
        """
        centre = "mode" if self.distribution == "triangular" else "median"
        return {"distribution": self.distribution, "low": self.low, "high": self.high, centre: self.mode,
                "min": self.min, "max": self.max}


def from_uniform(marginals: Sequence[Marginal], u: np.ndarray, direct: bool) -> np.ndarray:
    """Samples of each marginal from its row of uniform variates, in place (one compiled pass).

    Parameters
    ----------
    marginals : sequence of Marginal
        One per row of ``u``.
    u : ndarray
        ``(k, n)`` uniform variates in [0, 1), C-contiguous; overwritten.
    direct : bool
        Independent draws: the numbers of NumPy's direct samplers (``Generator.uniform``,
        ``Generator.triangular``) where they apply, as :meth:`Marginal.draw` documents;
        otherwise every row through its inverse CDF, equal to :meth:`Marginal.ppf`.

    Returns
    -------
    ndarray
        ``u``, row ``i`` now samples of ``marginals[i]``.

    Notes
    -----
    :func:`orbitaldc.sampling.kernels.transform_rows` maps the uniform, triangular and
    loguniform rows (the loguniform's exponential, the clip and a whole number's rounding follow
    here, as in :meth:`Marginal.ppf`); normal and lognormal rows go through :meth:`Marginal.ppf`.
    """
    if not marginals:
        return u
    plan = np.array([m.plan(direct) for m in marginals])
    kernels.transform_rows(u, plan)
    for i, m in enumerate(marginals):
        row = u[i]
        if plan[i, 0] == kernels.UNTOUCHED:
            row[:] = m.ppf(row)
            continue
        if m.distribution == "loguniform":
            np.exp(row, out=row)
            np.clip(row, m.min, m.max, out=row)
        if m.integer:
            np.round(row, out=row)
    return u


def _sigma(m: Marginal) -> float:
    if m.distribution == "normal":
        return (m.high - m.low) / (2.0 * _Z95)
    return math.log(m.high / m.low) / (2.0 * _Z95)


def _ppf(m: Marginal, u: np.ndarray) -> np.ndarray:
    """Untruncated inverse CDFs of triangular, normal and lognormal (vectorized)."""
    lo, hi = m.low, m.high
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


def _allowed(spec: ParamSpec) -> tuple[float, float]:
    return (-math.inf if spec.min is None else float(spec.min), math.inf if spec.max is None else float(spec.max))


def library_centre(spec: ParamSpec) -> float:
    """The point of the library's distribution that the re-centring rule moves onto the scenario value.

    Parameters
    ----------
    spec : ParamSpec
        An uncertain library entry.

    Returns
    -------
    float
        The mode of a triangular (the library value), the median otherwise: ``(low + high) / 2``
        (uniform, normal) or ``sqrt(low high)`` (loguniform, lognormal).
    """
    lo, hi = float(spec.low), float(spec.high)
    if spec.distribution == "triangular":
        return float(spec.value) if spec.value is not None else 0.5 * (lo + hi)
    if spec.distribution in LOG_DISTRIBUTIONS:
        return math.sqrt(lo * hi)
    return 0.5 * (lo + hi)


def recentred_marginal(spec: ParamSpec, value: float) -> tuple[Marginal, str]:
    """The library's distribution of ``spec`` moved onto the scenario ``value`` (rule in :mod:`orbitaldc.sampling`).

    Parameters
    ----------
    spec : ParamSpec
        A numeric library entry with a distribution other than ``"fixed"``.
    value : float
        The scenario's value (in the spec's unit).

    Returns
    -------
    Marginal
        Same shape; median (mode for a triangular) at ``value``; scaled by ``value / centre`` when
        the library range and the value are positive (same relative spread), else shifted by
        ``value - centre`` (same width); truncated to the allowed range.
    str
        :data:`SOURCE_LIBRARY` when ``value`` is the library's centre (nothing moved), else
        :data:`SOURCE_RECENTRED`.

    Raises
    ------
    OrbitaldcError
        Not uncertain, inconsistent library bounds, or a log distribution around a value <= 0.

    Notes
    -----
    With centre ``c`` (:func:`library_centre`) and scenario value ``x``: ``low' = low x / c``,
    ``high' = high x / c`` if ``low > 0`` and ``x > 0``; else ``low' = low + (x - c)``,
    ``high' = high + (x - c)``.
    """
    if not spec.is_uncertain:
        raise OrbitaldcError(f"{spec.name}: not an uncertain parameter (distribution {spec.distribution!r})")
    lo, hi, x = float(spec.low), float(spec.high), float(value)
    dist = spec.distribution
    if not lo <= hi:
        raise OrbitaldcError(f"{spec.name}: library low {lo:g} > high {hi:g}")
    if dist in LOG_DISTRIBUTIONS and lo <= 0:
        raise OrbitaldcError(f"{spec.name}: a {dist} needs positive low/high, the library has [{lo:g}, {hi:g}]")
    if dist in LOG_DISTRIBUTIONS and x <= 0:
        raise OrbitaldcError(f"{spec.name} = {x:g}: a {dist} spread needs a positive value")
    c = library_centre(spec)
    source = SOURCE_LIBRARY if x == c else SOURCE_RECENTRED
    if x != c:
        if lo > 0 and x > 0:
            lo, hi = lo * (x / c), hi * (x / c)
        else:
            lo, hi = lo + (x - c), hi + (x - c)
    vmin, vmax = _allowed(spec)
    return Marginal(spec.name, dist, lo, hi, x, vmin, vmax, spec.type == "int"), source


def stated_marginal(spec: ParamSpec, stated: StatedUncertainty, value: float) -> Marginal:
    """The scenario's own distribution of a parameter, exactly as stated (truncated to the allowed range).

    Parameters
    ----------
    spec : ParamSpec
        The parameter's library entry (allowed range, integer flag).
    stated : StatedUncertainty
        A validated ``[uncertainty.NAME]`` table with a distribution other than ``"fixed"``.
    value : float
        The scenario's value (the mode of a triangular stated without one).

    Returns
    -------
    Marginal

    Raises
    ------
    OrbitaldcError
        A triangular without a mode whose scenario value lies outside its bounds.
    """
    lo, hi, dist = float(stated.low), float(stated.high), stated.distribution
    if dist == "triangular":
        mode = float(value) if stated.mode is None else float(stated.mode)
        if not lo <= mode <= hi:
            raise OrbitaldcError(f"uncertainty.{spec.name}: a triangular without a mode takes the scenario value "
                                 f"{float(value):g} as its mode, outside [low, high] = [{lo:g}, {hi:g}]; give mode")
    elif dist in LOG_DISTRIBUTIONS:
        mode = math.sqrt(lo * hi)
    else:
        mode = 0.5 * (lo + hi)
    vmin, vmax = _allowed(spec)
    return Marginal(spec.name, dist, lo, hi, mode, vmin, vmax, spec.type == "int")


def marginal(spec: ParamSpec, value: float) -> Marginal:
    """The library's distribution of ``spec`` re-centred on ``value`` (see :func:`recentred_marginal`).

    Parameters
    ----------
    spec : ParamSpec
        A numeric library entry with a distribution other than ``"fixed"``.
    value : float
        The scenario's value.

    Returns
    -------
    Marginal
    """
    return recentred_marginal(spec, value)[0]
