"""Faults without repair: failure times, radiation upsets (more in the SAA), checkpoints.

Failure times of GPUs and whole satellites are drawn once, at the start of a run, from Weibull
distributions (shape 1 = constant rate), so a component's fate does not depend on how the run
is split into chunks. Non-fatal bus failures and radiation upsets are Poisson events drawn per
step. Randomness always comes from a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

import numpy as np


def weibull_scale_for_annual_failure_yr(failure_per_yr, shape):
    """Weibull scale whose one-year failure probability equals ``failure_per_yr``.

    Parameters
    ----------
    failure_per_yr : array_like
        Probability of failing within the first year [-], in [0, 1).
    shape : array_like
        Weibull shape ``k`` [-], > 0.

    Returns
    -------
    ndarray
        Scale ``eta`` [yr]; ``inf`` where the probability is 0.

    Notes
    -----
    ``F(1) = 1 - exp(-(1/eta)^k) = p``, hence ``eta = (-ln(1 - p))^(-1/k)``. With ``k = 1`` the
    constant hazard is ``-ln(1 - p)`` per year, the rate whose survival ``(1 - p)^t`` the
    averaged model uses.

    References
    ----------
    .. [1] W. Weibull, "A statistical distribution function of wide applicability",
       J. Appl. Mech. 18 (1951); P. D. T. O'Connor, *Practical Reliability Engineering*,
       5th ed., sec. 2.6.
    """
    p = np.asarray(failure_per_yr, dtype=float)
    hazard = -np.log1p(-p)
    with np.errstate(divide="ignore"):
        return np.where(hazard > 0, np.where(hazard > 0, hazard, 1.0) ** (-1.0 / np.asarray(shape, dtype=float)), np.inf)


def weibull_failure_times_yr(rng: np.random.Generator, shape, scale_yr, size):
    """Draw failure times [yr] from a Weibull distribution (``inf`` scale: never fails).

    ``t = eta (-ln U)^(1/k)`` by inverse transform (O'Connor, sec. 2.6).
    """
    u = rng.random(size)
    scale = np.asarray(scale_yr, dtype=float)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        t = scale * (-np.log1p(-u)) ** (1.0 / np.asarray(shape, dtype=float))
    return np.where(np.isinf(scale), np.inf, t)


def checkpoint_write_fraction(checkpoint_cost_s, interval_s):
    """Share of compute time spent writing checkpoints, ``C / (tau + C)`` (0 for no checkpoints).

    Only the writing: the rework after an interruption is simulated event by event
    (:func:`restart_loss_s`), unlike :func:`orbitaldc.physics.radiation.checkpoint_overhead_fraction`,
    which adds its expectation.

    References
    ----------
    .. [1] Daly (2006), eq. 1 (wall time = solve time + dumps).
    """
    c = np.asarray(checkpoint_cost_s, dtype=float)
    tau = np.asarray(interval_s, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(tau) & (tau + c > 0), c / np.where(np.isfinite(tau), tau + c, 1.0), 0.0)


def in_ellipse_region(lat_rad, lon_rad, center_lat_rad, center_lon_rad, half_lat_rad, half_lon_rad):
    """Whether points lie inside an ellipse in latitude/longitude (used for the SAA).

    ``((phi - phi0) / a)^2 + (wrap(lambda - lambda0) / b)^2 <= 1`` with the longitude
    difference wrapped to (-pi, pi].

    References
    ----------
    .. [1] J. R. Heirtzler, "The future of the South Atlantic anomaly and implications for
       radiation damage in space", J. Atmos. Sol.-Terr. Phys. 64 (2002), fig. 1 (extent).
    """
    dlon = np.angle(np.exp(1j * (np.asarray(lon_rad, dtype=float) - center_lon_rad)))
    dlat = np.asarray(lat_rad, dtype=float) - center_lat_rad
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = (dlat / half_lat_rad) ** 2 + (dlon / half_lon_rad) ** 2
    return np.nan_to_num(r2, nan=np.inf) <= 1.0


def upset_rate_per_s(base_per_gpu_yr, saa_factor, in_saa, seconds_per_yr):
    """Upset (job interruption) rate per GPU [1/s], raised by ``saa_factor`` inside the SAA.

    References
    ----------
    .. [1] C. I. Underwood et al., "Observations of single-event upsets in non-hardened
       high-density SRAMs in sun-synchronous orbit", IEEE Trans. Nucl. Sci. 39(6), 1992.
    """
    return np.asarray(base_per_gpu_yr, dtype=float) / seconds_per_yr * np.where(in_saa, saa_factor, 1.0)


def restart_loss_s(rng: np.random.Generator, upsets, checkpoint_interval_s, restart_s):
    """Compute time lost to interruptions in each step [s of the satellite's job].

    Each interruption costs the restart time; the first in a step also rolls the job back to
    its last checkpoint, a uniform fraction of the interval (later ones in the same step roll
    back to the same checkpoint). Infinite intervals (no checkpoints) roll back zero extra:
    the job is then assumed to restart from its inputs at no loss beyond ``restart_s``.

    References
    ----------
    .. [1] Daly (2006), sec. 2 (expected rework of half an interval per failure).
    """
    n = np.asarray(upsets)
    tau = np.where(np.isfinite(checkpoint_interval_s), checkpoint_interval_s, 0.0)
    rollback = rng.random(n.shape) * tau
    return np.where(n > 0, rollback + n * restart_s, 0.0)
