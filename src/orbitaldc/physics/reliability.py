"""Failures without repair: survival (constant rate and Weibull), spares, JPL's lifetime
penalty, delivered compute-years.

References
----------
.. [OConnor] P. O'Connor and A. Kleyner, *Practical Reliability Engineering*, 5th ed., Wiley
   (2012): ch. 2 (exponential and Weibull reliability ``R(t) = exp(-(t/eta)^beta)``).
.. [Turyshev] S. G. Turyshev, "Orbital Data Centers: Spacecraft Constraints and Economic
   Viability", arXiv:2604.27197 (2026): lifetime penalty ``lambda T / (1 - exp(-lambda T))``.
"""

from __future__ import annotations

import numpy as np

from orbitaldc.physics import check_range

__all__ = ["delivered_compute_years", "lifetime_penalty", "mean_surviving_fraction", "spares_factor",
           "survival_exponential", "survival_weibull"]


def _rate(failure_rate_per_yr):
    return check_range(failure_rate_per_yr, "failure_rate_per_yr", 0.0, np.inf, "1/yr")


def survival_exponential(failure_rate_per_yr, years):
    """Surviving fraction with a constant hazard.

    Parameters
    ----------
    failure_rate_per_yr : array_like
        Rate [1/yr], >= 0.
    years : array_like
        Time [yr].

    Returns
    -------
    ndarray
        ``R = exp(-lambda t)``.

    References
    ----------
    .. [1] O'Connor & Kleyner (2012), ch. 2.
    """
    return np.exp(-_rate(failure_rate_per_yr) * np.asarray(years, dtype=float))


def survival_weibull(years, scale_years, shape):
    """Weibull survival.

    Parameters
    ----------
    years : array_like
        Time [yr].
    scale_years : array_like
        Scale ``eta`` [yr], > 0.
    shape : array_like
        Shape ``beta`` > 0 (< 1 infant mortality, 1 constant rate, > 1 wear-out).

    Returns
    -------
    ndarray
        ``R = exp(-(t / eta)^beta)``.

    References
    ----------
    .. [1] O'Connor & Kleyner (2012), ch. 2.
    """
    eta = check_range(scale_years, "scale_years", 0.0, np.inf, "yr", low_inclusive=False)
    beta = check_range(shape, "shape", 0.0, np.inf, low_inclusive=False)
    return np.exp(-(np.asarray(years, dtype=float) / eta) ** beta)


def mean_surviving_fraction(failure_rate_per_yr, years):
    """Time-average surviving fraction over ``[0, T]``.

    Parameters
    ----------
    failure_rate_per_yr : array_like
        Constant failure rate [1/yr], >= 0.
    years : array_like
        Mission length [yr].

    Returns
    -------
    ndarray
        ``(1 - exp(-lambda T)) / (lambda T)`` (1 at 0).

    References
    ----------
    .. [1] O'Connor & Kleyner (2012), ch. 2.
    """
    x = _rate(failure_rate_per_yr) * np.asarray(years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, -np.expm1(-x) / np.where(x > 0, x, 1.0), 1.0)


def lifetime_penalty(failure_rate_per_yr, years):
    """JPL's lifetime penalty: hardware to launch per unit of average delivered capacity.

    Parameters
    ----------
    failure_rate_per_yr : array_like
        Constant failure rate ``lambda`` [1/yr], >= 0.
    years : array_like
        Mission length ``T`` [yr].

    Returns
    -------
    ndarray
        ``lambda T / (1 - exp(-lambda T))`` (1 at ``lambda T = 0``; ~``1 + lambda T / 2`` small).

    References
    ----------
    .. [1] Turyshev (2026), lifetime penalty for unrepaired failures.
    """
    return 1.0 / mean_surviving_fraction(failure_rate_per_yr, years)


def spares_factor(failure_rate_per_yr, years, basis="end_of_life"):
    """Over-provisioning so the delivered capacity meets the target.

    Parameters
    ----------
    failure_rate_per_yr : array_like
        Constant failure rate [1/yr].
    years : array_like
        Mission length [yr].
    basis : {"end_of_life", "average"}
        Meet the target at the end, or on average.

    Returns
    -------
    ndarray
        ``exp(lambda T)`` (end of life) or the lifetime penalty (average).

    References
    ----------
    .. [1] Turyshev (2026); O'Connor & Kleyner (2012), ch. 2.
    """
    if basis == "average":
        return lifetime_penalty(failure_rate_per_yr, years)
    return 1.0 / survival_exponential(failure_rate_per_yr, years)


def delivered_compute_years(installed_capacity, failure_rate_per_yr, years):
    """Capacity-years delivered without repair.

    Parameters
    ----------
    installed_capacity : array_like
        Capacity at the start.
    failure_rate_per_yr : array_like
        Constant failure rate [1/yr].
    years : array_like
        Mission length [yr].

    Returns
    -------
    ndarray
        ``C (1 - exp(-lambda T)) / lambda`` (``C T`` at 0).

    References
    ----------
    .. [1] O'Connor & Kleyner (2012), ch. 2.
    """
    return (np.asarray(installed_capacity, dtype=float) * np.asarray(years, dtype=float)
            * mean_surviving_fraction(failure_rate_per_yr, years))
